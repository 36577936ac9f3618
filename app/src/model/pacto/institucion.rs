//! The catalogue of institutions a pacto's compromisos name: public and private bodies and the
//! community itself (JAC / CBSC). A contact is a position (cargo) with an optional name, because
//! people change and the position answers. Admins edit it; every edit is a new version.

use serde::{Deserialize, Serialize};

use super::PactoError;
use crate::model::mark::has_control_characters;

pub const MAX_CODE_CHARS: usize = 40;
pub const MAX_NAME_CHARS: usize = 160;
pub const MAX_CONTACTS: usize = 12;
pub const MAX_CONTACT_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipoInstitucion {
    Publica,
    Privada,
    /// The community's own organisations (JAC, CBSC): their compromisos are the community's.
    Comunidad,
}

impl TipoInstitucion {
    pub fn label_es(self) -> &'static str {
        match self {
            TipoInstitucion::Publica => "Pública",
            TipoInstitucion::Privada => "Privada",
            TipoInstitucion::Comunidad => "Comunidad",
        }
    }
}

/// Someone to ask at an institution: the position always, the person's name only if staff
/// choose to keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contacto {
    pub cargo: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nombre: Option<String>,
}

/// An entry of the catalogue as an admin sends it (`PUT /instituciones/{codigo}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitucionDraft {
    pub nombre: String,
    pub tipo: TipoInstitucion,
    #[serde(default)]
    pub contactos: Vec<Contacto>,
    /// An inactive institution stays on the compromisos that name it and is offered for no
    /// new one.
    #[serde(default = "yes")]
    pub activa: bool,
}

fn yes() -> bool {
    true
}

/// An entry of the catalogue: its latest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institucion {
    pub codigo: String,
    pub version: u32,
    pub nombre: String,
    pub tipo: TipoInstitucion,
    pub contactos: Vec<Contacto>,
    pub activa: bool,
    pub at_ms: i64,
    pub por: String,
}

/// Whether `code` can name an institution: `[a-z0-9_]`, 1 to 40 characters.
pub fn is_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= MAX_CODE_CHARS && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `text` trimmed, refused with control characters or over `max` characters (`what` names it).
pub(super) fn clean(text: &str, max: usize, what: &'static str) -> Result<String, PactoError> {
    let text = text.trim();
    if has_control_characters(text) {
        return Err(PactoError::ControlCharacters);
    }
    if text.chars().count() > max {
        return Err(PactoError::TooLong(what));
    }
    Ok(text.to_string())
}

impl InstitucionDraft {
    /// The draft trimmed and checked; empty contact names dropped.
    pub fn checked(self) -> Result<InstitucionDraft, PactoError> {
        let nombre = clean(&self.nombre, MAX_NAME_CHARS, "nombre").map_err(|_| PactoError::BadInstitutionName)?;
        if nombre.is_empty() {
            return Err(PactoError::BadInstitutionName);
        }
        if self.contactos.len() > MAX_CONTACTS {
            return Err(PactoError::BadContacts(MAX_CONTACTS));
        }
        let mut contactos = Vec::with_capacity(self.contactos.len());
        for c in self.contactos {
            let cargo = clean(&c.cargo, MAX_CONTACT_CHARS, "cargo")?;
            if cargo.is_empty() {
                return Err(PactoError::BadContacts(MAX_CONTACTS));
            }
            let nombre = match c.nombre {
                Some(n) => Some(clean(&n, MAX_CONTACT_CHARS, "nombre")?).filter(|n| !n.is_empty()),
                None => None,
            };
            contactos.push(Contacto { cargo, nombre });
        }
        Ok(InstitucionDraft { nombre, tipo: self.tipo, contactos, activa: self.activa })
    }
}

/// The catalogue a city starts with: the institutions the seed and the Comité Interinstitucional
/// name. The first codes are the problem tree's ([`crate::model::INSTITUTIONS`]), so the
/// solutions participants tie to an institution land on its entry.
pub const SEMILLA: &[(&str, &str, TipoInstitucion, &str)] = &[
    ("policia", "Policía Nacional (cuadrante)", TipoInstitucion::Publica, "Comandante de cuadrante"),
    ("secretaria_seguridad", "Secretaría de Seguridad y Convivencia", TipoInstitucion::Publica, "Profesional Universitario"),
    ("essmar", "ESSMAR (aseo y alumbrado)", TipoInstitucion::Publica, "Coordinador de zona"),
    ("secretaria_educacion", "Secretaría de Educación", TipoInstitucion::Publica, "Rector de la institución educativa"),
    ("icbf", "ICBF", TipoInstitucion::Publica, "Coordinador del centro zonal"),
    ("secretaria_salud", "Secretaría de Salud", TipoInstitucion::Publica, "Referente de salud mental"),
    ("deporte_cultura", "Deporte y cultura (INRED, Cultura)", TipoInstitucion::Publica, "Promotor deportivo"),
    ("comisaria_familia", "Comisaría de Familia / Casa de Justicia", TipoInstitucion::Publica, "Comisario de familia"),
    ("secretaria_gobierno", "Secretaría de Gobierno", TipoInstitucion::Publica, "Secretario de despacho"),
    ("inspeccion_policia", "Inspección de Policía", TipoInstitucion::Publica, "Inspector de policía"),
    ("personeria", "Personería Distrital", TipoInstitucion::Publica, "Personero delegado"),
    ("comunidad_jac", "Comunidad / JAC", TipoInstitucion::Comunidad, "Presidente de la JAC"),
    ("cbsc", "Comité Barrial de Seguridad y Convivencia (CBSC)", TipoInstitucion::Comunidad, "Coordinador del CBSC"),
    ("otra_institucion", "Otra institución", TipoInstitucion::Publica, "Enlace"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> InstitucionDraft {
        InstitucionDraft {
            nombre: "  ESSMAR  ".into(),
            tipo: TipoInstitucion::Publica,
            contactos: vec![Contacto { cargo: " Coordinador ".into(), nombre: Some(" ".into()) }],
            activa: true,
        }
    }

    #[test]
    fn a_draft_is_trimmed_and_an_empty_name_dropped() {
        let d = draft().checked().unwrap();
        assert_eq!(d.nombre, "ESSMAR");
        assert_eq!(d.contactos, vec![Contacto { cargo: "Coordinador".into(), nombre: None }]);
    }

    #[test]
    fn a_contact_needs_its_position() {
        let mut d = draft();
        d.contactos[0].cargo = "  ".into();
        assert!(matches!(d.checked(), Err(PactoError::BadContacts(_))));
        let mut d = draft();
        d.nombre = "\u{7}".into();
        assert_eq!(d.checked(), Err(PactoError::BadInstitutionName));
    }

    #[test]
    fn the_seed_covers_the_problem_tree_and_its_codes_are_codes() {
        for inst in crate::model::INSTITUTIONS {
            assert!(SEMILLA.iter().any(|(c, ..)| *c == inst.code), "{} is not in the seed", inst.code);
        }
        assert!(SEMILLA.iter().all(|(c, ..)| is_code(c)));
        assert!(!is_code("Policía") && !is_code("") && !is_code(&"a".repeat(41)));
    }
}
