//! A barrio's Comité Barrial de Seguridad y Convivencia as staff record it: when it was formed,
//! how many members it has, which roles are filled, its status, and (optionally, staff only)
//! its members' names. Kept as versions: a change is a new one, never an edit.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Bilingual;

/// The most members a committee is recorded with.
pub const MAX_MIEMBROS: u32 = 500;
/// The longest member name.
pub const MAX_NOMBRE_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstadoCbsc {
    Activo,
    Inactivo,
    EnConformacion,
}

impl EstadoCbsc {
    pub const ALL: [EstadoCbsc; 3] = [EstadoCbsc::Activo, EstadoCbsc::EnConformacion, EstadoCbsc::Inactivo];

    pub fn label_es(self) -> &'static str {
        match self {
            EstadoCbsc::Activo => "Activo",
            EstadoCbsc::Inactivo => "Inactivo",
            EstadoCbsc::EnConformacion => "En conformación",
        }
    }
}

/// The committee's offices. The seed names none; these are the dignidades of a Junta de
/// Acción Comunal (Ley 743 de 2002), which barrio committees copy, plus vocales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RolCbsc {
    Presidente,
    Vicepresidente,
    Secretario,
    Tesorero,
    Fiscal,
    /// The only office more than one member may hold.
    Vocal,
}

impl RolCbsc {
    pub const ALL: [RolCbsc; 6] =
        [RolCbsc::Presidente, RolCbsc::Vicepresidente, RolCbsc::Secretario, RolCbsc::Tesorero, RolCbsc::Fiscal, RolCbsc::Vocal];

    pub fn label_es(self) -> &'static str {
        match self {
            RolCbsc::Presidente => "Presidencia",
            RolCbsc::Vicepresidente => "Vicepresidencia",
            RolCbsc::Secretario => "Secretaría",
            RolCbsc::Tesorero => "Tesorería",
            RolCbsc::Fiscal => "Fiscal",
            RolCbsc::Vocal => "Vocal",
        }
    }
}

/// A member's name, with their office if they hold one. Staff only: never exported or
/// published, since these people can be targeted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiembroCbsc {
    pub nombre: String,
    #[serde(default)]
    pub rol: Option<RolCbsc>,
}

/// `POST /api/v1/barrios/{id}/cbsc`: the committee as it is now. Who and when are the server's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CbscDraft {
    /// When it was formed, `YYYY-MM-DD`; may be empty while it is being formed.
    #[serde(default)]
    pub fecha_conformacion: String,
    pub miembros: u32,
    /// The offices filled.
    #[serde(default)]
    pub roles: Vec<RolCbsc>,
    pub estado: EstadoCbsc,
    /// Optional; staff only.
    #[serde(default)]
    pub nombres: Vec<MiembroCbsc>,
}

/// One version of a barrio's committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cbsc {
    pub barrio_id: i64,
    /// 1, 2, 3… per barrio.
    pub version: u32,
    pub fecha_conformacion: String,
    pub miembros: u32,
    pub roles: Vec<RolCbsc>,
    pub estado: EstadoCbsc,
    /// The members' names: present for staff only, absent for everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nombres: Option<Vec<MiembroCbsc>>,
    pub at_ms: i64,
    /// The account that recorded the version.
    pub by: String,
}

/// `GET /api/v1/barrios/{id}/cbsc`: every version, newest (the committee as it is) first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CbscHistoria {
    pub barrio_id: i64,
    pub versiones: Vec<Cbsc>,
}

impl CbscHistoria {
    pub fn actual(&self) -> Option<&Cbsc> {
        self.versiones.first()
    }

    /// The same history with the members' names taken out of every version.
    pub fn without_names(mut self) -> CbscHistoria {
        for v in &mut self.versiones {
            v.nombres = None;
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CbscError {
    #[error("the date {0:?} is not a date written YYYY-MM-DD")]
    BadDate(String),
    #[error("the date it was formed is after today")]
    FutureDate,
    #[error("an active or inactive committee needs the date it was formed")]
    DateMissing,
    #[error("a committee has at most {MAX_MIEMBROS} members")]
    TooManyMembers,
    #[error("an active committee has at least one member")]
    NoMembers,
    #[error("more offices filled ({roles}) than members ({miembros})")]
    RolesOverMembers { roles: usize, miembros: u32 },
    #[error("more names ({nombres}) than members ({miembros})")]
    NamesOverMembers { nombres: usize, miembros: u32 },
    #[error("a member's name is empty")]
    NameMissing,
    #[error("a member's name is over {MAX_NOMBRE_CHARS} characters")]
    NameTooLong,
    #[error("the office {0:?} is given to more than one member")]
    RolTwice(RolCbsc),
}

impl CbscError {
    pub fn code(&self) -> &'static str {
        match self {
            CbscError::BadDate(_) => "bad_date",
            CbscError::FutureDate => "future_date",
            CbscError::DateMissing => "date_missing",
            CbscError::TooManyMembers => "too_many_members",
            CbscError::NoMembers => "no_members",
            CbscError::RolesOverMembers { .. } => "roles_over_members",
            CbscError::NamesOverMembers { .. } => "names_over_members",
            CbscError::NameMissing => "name_missing",
            CbscError::NameTooLong => "name_too_long",
            CbscError::RolTwice(_) => "rol_twice",
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            CbscError::BadDate(_) | CbscError::FutureDate | CbscError::DateMissing => "fecha_conformacion",
            CbscError::TooManyMembers | CbscError::NoMembers => "miembros",
            CbscError::RolesOverMembers { .. } => "roles",
            CbscError::NamesOverMembers { .. } | CbscError::NameMissing | CbscError::NameTooLong | CbscError::RolTwice(_) => "nombres",
        }
    }
}

impl Bilingual for CbscError {
    fn es(&self) -> String {
        match self {
            CbscError::BadDate(d) => format!("La fecha «{d}» no es válida: escríbala como AAAA-MM-DD."),
            CbscError::FutureDate => "La fecha de conformación es posterior a hoy.".into(),
            CbscError::DateMissing => "Un comité activo o inactivo necesita la fecha en que se conformó.".into(),
            CbscError::TooManyMembers => format!("Un comité tiene como máximo {MAX_MIEMBROS} integrantes."),
            CbscError::NoMembers => "Un comité activo tiene al menos un integrante.".into(),
            CbscError::RolesOverMembers { roles, miembros } => {
                format!("Hay {roles} cargos ocupados y solo {miembros} integrantes: cada cargo lo ocupa una persona.")
            }
            CbscError::NamesOverMembers { nombres, miembros } => {
                format!("Hay {nombres} nombres y el comité tiene {miembros} integrantes.")
            }
            CbscError::NameMissing => "Un nombre está vacío: escríbalo o quite la fila.".into(),
            CbscError::NameTooLong => format!("Un nombre pasa de {MAX_NOMBRE_CHARS} caracteres."),
            CbscError::RolTwice(rol) => format!("El cargo «{}» está asignado a más de una persona.", rol.label_es()),
        }
    }
    fn en(&self) -> String {
        super::sentence(self)
    }
}

impl CbscDraft {
    /// The draft cleaned (roles sorted, once each, with those the named members hold), or the
    /// first rule it breaks. `today` is `YYYY-MM-DD` in Colombia.
    pub fn checked(self, today: &str) -> Result<CbscDraft, CbscError> {
        let fecha = self.fecha_conformacion.trim().to_string();
        if fecha.is_empty() {
            if self.estado != EstadoCbsc::EnConformacion {
                return Err(CbscError::DateMissing);
            }
        } else if !super::registro::is_date(&fecha) {
            return Err(CbscError::BadDate(fecha.chars().take(40).collect()));
        } else if fecha.as_str() > today {
            return Err(CbscError::FutureDate);
        }
        if self.miembros > MAX_MIEMBROS {
            return Err(CbscError::TooManyMembers);
        }
        if self.miembros == 0 && self.estado == EstadoCbsc::Activo {
            return Err(CbscError::NoMembers);
        }
        let mut nombres = Vec::with_capacity(self.nombres.len());
        for m in self.nombres {
            let nombre: String = m.nombre.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string();
            if nombre.is_empty() {
                return Err(CbscError::NameMissing);
            }
            if nombre.chars().count() > MAX_NOMBRE_CHARS {
                return Err(CbscError::NameTooLong);
            }
            if let Some(rol) = m.rol.filter(|r| *r != RolCbsc::Vocal) {
                if nombres.iter().any(|n: &MiembroCbsc| n.rol == Some(rol)) {
                    return Err(CbscError::RolTwice(rol));
                }
            }
            nombres.push(MiembroCbsc { nombre, rol: m.rol });
        }
        if nombres.len() > self.miembros as usize {
            return Err(CbscError::NamesOverMembers { nombres: nombres.len(), miembros: self.miembros });
        }
        let mut roles = self.roles;
        roles.extend(nombres.iter().filter_map(|m| m.rol));
        roles.sort_unstable();
        roles.dedup();
        if roles.len() > self.miembros as usize {
            return Err(CbscError::RolesOverMembers { roles: roles.len(), miembros: self.miembros });
        }
        Ok(CbscDraft { fecha_conformacion: fecha, miembros: self.miembros, roles, estado: self.estado, nombres })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-12-07";

    fn draft() -> CbscDraft {
        CbscDraft {
            fecha_conformacion: " 2026-03-14 ".into(),
            miembros: 9,
            roles: vec![RolCbsc::Tesorero, RolCbsc::Presidente, RolCbsc::Presidente],
            estado: EstadoCbsc::Activo,
            nombres: vec![],
        }
    }

    #[test]
    fn a_committee_is_cleaned_with_its_offices_sorted_once_each() {
        let ok = draft().checked(TODAY).unwrap();
        assert_eq!(ok.fecha_conformacion, "2026-03-14");
        assert_eq!(ok.roles, vec![RolCbsc::Presidente, RolCbsc::Tesorero]);
        let named = CbscDraft {
            nombres: vec![
                MiembroCbsc { nombre: " Rosa Díaz ".into(), rol: Some(RolCbsc::Secretario) },
                MiembroCbsc { nombre: "Luis".into(), rol: Some(RolCbsc::Vocal) },
                MiembroCbsc { nombre: "Ana".into(), rol: Some(RolCbsc::Vocal) },
                MiembroCbsc { nombre: "Juan".into(), rol: None },
            ],
            ..draft()
        }
        .checked(TODAY)
        .unwrap();
        assert_eq!(
            named.roles,
            vec![RolCbsc::Presidente, RolCbsc::Secretario, RolCbsc::Tesorero, RolCbsc::Vocal],
            "offices the named hold"
        );
        assert_eq!(named.nombres[0].nombre, "Rosa Díaz");
    }

    #[test]
    fn dates_members_offices_and_names_are_checked() {
        let with = |f: fn(&mut CbscDraft)| {
            let mut d = draft();
            f(&mut d);
            d.checked(TODAY)
        };
        assert_eq!(with(|d| d.fecha_conformacion = "14/03/2026".into()), Err(CbscError::BadDate("14/03/2026".into())));
        assert_eq!(with(|d| d.fecha_conformacion = "2027-01-01".into()), Err(CbscError::FutureDate));
        assert_eq!(with(|d| d.fecha_conformacion = String::new()), Err(CbscError::DateMissing));
        assert!(with(|d| {
            d.fecha_conformacion = String::new();
            d.estado = EstadoCbsc::EnConformacion;
            d.miembros = 0;
            d.roles.clear();
        })
        .is_ok());
        assert_eq!(with(|d| d.miembros = MAX_MIEMBROS + 1), Err(CbscError::TooManyMembers));
        assert_eq!(with(|d| d.miembros = 0), Err(CbscError::NoMembers));
        assert_eq!(with(|d| d.miembros = 1), Err(CbscError::RolesOverMembers { roles: 2, miembros: 1 }));
        assert_eq!(with(|d| d.nombres = vec![MiembroCbsc { nombre: " ".into(), rol: None }]), Err(CbscError::NameMissing));
        assert_eq!(
            with(|d| d.nombres = vec![MiembroCbsc { nombre: "n".repeat(MAX_NOMBRE_CHARS + 1), rol: None }]),
            Err(CbscError::NameTooLong)
        );
        assert_eq!(
            with(|d| d.nombres = vec![
                MiembroCbsc { nombre: "A".into(), rol: Some(RolCbsc::Fiscal) },
                MiembroCbsc { nombre: "B".into(), rol: Some(RolCbsc::Fiscal) }
            ]),
            Err(CbscError::RolTwice(RolCbsc::Fiscal))
        );
        assert_eq!(
            with(|d| {
                d.miembros = 2;
                d.roles.clear();
                d.nombres = vec![MiembroCbsc { nombre: "A".into(), rol: None }; 3];
            }),
            Err(CbscError::NamesOverMembers { nombres: 3, miembros: 2 })
        );
        for e in [CbscError::FutureDate, CbscError::RolTwice(RolCbsc::Presidente), CbscError::NoMembers] {
            assert!(!e.es().is_empty() && e.en().ends_with('.') && !e.code().is_empty());
        }
    }

    #[test]
    fn names_leave_every_version_for_whoever_is_not_staff() {
        let version = |n: u32| Cbsc {
            barrio_id: 1,
            version: n,
            fecha_conformacion: "2026-03-14".into(),
            miembros: 3,
            roles: vec![RolCbsc::Presidente],
            estado: EstadoCbsc::Activo,
            nombres: Some(vec![MiembroCbsc { nombre: "Rosa".into(), rol: Some(RolCbsc::Presidente) }]),
            at_ms: 1,
            by: "Marta".into(),
        };
        let history = CbscHistoria { barrio_id: 1, versiones: vec![version(2), version(1)] };
        assert_eq!(history.actual().map(|c| c.version), Some(2));
        let hidden = history.without_names();
        assert!(hidden.versiones.iter().all(|v| v.nombres.is_none()));
        let json = serde_json::to_string(&hidden).unwrap();
        assert!(!json.contains("nombres") && !json.contains("Rosa"), "{json}");
    }
}
