//! Fichas de intervención (paso 5 of the ruta): one action done in the barrio — what, by which
//! institution, when, where, and the compromisos of the pacto it fulfils. Filled on a tablet in
//! the barrio, offline, and sent as numbered versions like the actas: a version is immutable,
//! the newest counts, and a withdrawn ficha is a tombstone whose versions stay.
//!
//! # The API contract for paso 5
//! - `POST /intervenciones` — staff of the barrio's city or a facilitator assigned to it; body
//!   [`FichaIntervencion`] → 201 when this version is stored now, 200 when this very version was
//!   stored before (a tablet that lost the answer sends it again). 409 another content under the
//!   same version or a newer version stored; 422 [`FichaError`]s, and an institution not in the
//!   catalogue, a place that is not a hotspot of one of the barrio's diagnósticos, a point far
//!   from the barrio, or a compromiso that is not in one of the barrio's signed pactos.
//! - `GET /barrios/{id}/intervenciones` — those who work in the barrio → the latest version of
//!   each ficha, withdrawn ones too (the page leaves them out).
//! - `GET /intervenciones/{id}` — the latest version.
//! - `GET /barrios/{id}/intervenciones/contexto` → [`ContextoFicha`]: what the form offers,
//!   which the tablet keeps to fill fichas with no signal.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::mark::has_control_characters;
use super::pacto::compromiso::EstadoCompromiso;
use super::pacto::pacto::LugarOpcion;
use super::registro::is_date;
use super::Bilingual;

pub const MAX_TEXT_CHARS: usize = 4_000;
pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_ACTION_CHARS: usize = 120;
pub const MAX_COMPROMISOS: usize = 40;

/// What was done: the actions the procedure names, and any other in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accion {
    Poda,
    Alumbrado,
    Patrullaje,
    JornadaCultural,
    JornadaDeportiva,
    RecuperacionParque,
    LimpiezaLote,
    Otra,
}

impl Accion {
    pub const ALL: [Accion; 8] = [
        Accion::Poda,
        Accion::Alumbrado,
        Accion::Patrullaje,
        Accion::JornadaCultural,
        Accion::JornadaDeportiva,
        Accion::RecuperacionParque,
        Accion::LimpiezaLote,
        Accion::Otra,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Accion::Poda => "poda",
            Accion::Alumbrado => "alumbrado",
            Accion::Patrullaje => "patrullaje",
            Accion::JornadaCultural => "jornada_cultural",
            Accion::JornadaDeportiva => "jornada_deportiva",
            Accion::RecuperacionParque => "recuperacion_parque",
            Accion::LimpiezaLote => "limpieza_lote",
            Accion::Otra => "otra",
        }
    }

    pub fn from_code(code: &str) -> Option<Accion> {
        Accion::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label_es(self) -> &'static str {
        match self {
            Accion::Poda => "Poda",
            Accion::Alumbrado => "Alumbrado",
            Accion::Patrullaje => "Patrullaje",
            Accion::JornadaCultural => "Jornada cultural",
            Accion::JornadaDeportiva => "Jornada deportiva",
            Accion::RecuperacionParque => "Recuperación de parque",
            Accion::LimpiezaLote => "Limpieza de lote",
            Accion::Otra => "Otra acción",
        }
    }
}

/// Where it was done: a place of the diagnóstico, the tablet's position, words, or several.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lugar {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotspot_id: Option<Uuid>,
    /// `[lon, lat]`, WGS84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub punto: Option<[f64; 2]>,
    #[serde(default)]
    pub descripcion: String,
}

/// One version of a ficha.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FichaIntervencion {
    pub id: Uuid,
    pub barrio_id: i64,
    pub version: u32,
    pub accion: Accion,
    /// The action in words, for [`Accion::Otra`].
    #[serde(default)]
    pub accion_otra: String,
    /// The institution's code in the catalogue.
    pub institucion: String,
    /// `YYYY-MM-DD`.
    pub fecha: String,
    #[serde(default)]
    pub lugar: Lugar,
    /// The compromisos of the barrio's pacto it fulfils.
    #[serde(default)]
    pub compromisos: Vec<Uuid>,
    #[serde(default)]
    pub descripcion: String,
    /// When this version was written on its device.
    pub updated_at_ms: i64,
    /// Who wrote this version: the server sets it from the session.
    #[serde(default)]
    pub author: String,
    /// A tombstone: the ficha was withdrawn (its versions stay).
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FichaError {
    #[error("the version must be 1 or more")]
    NoVersion,
    #[error("a date is written YYYY-MM-DD")]
    BadDate,
    #[error("the ficha needs the institution that acted")]
    NoInstitution,
    #[error("another action needs its name, of at most {MAX_ACTION_CHARS} characters")]
    OtherActionUnnamed,
    #[error("{0} is too long")]
    TextTooLong(&'static str),
    #[error("a text has control characters")]
    ControlCharacters,
    #[error("the ficha needs its place: a place of the diagnóstico, the position, or words")]
    NoPlace,
    #[error("the position is not a longitude and latitude")]
    BadPoint,
    #[error("a ficha names at most {MAX_COMPROMISOS} compromisos, each once")]
    BadCompromisos,
    #[error("version {0} of this ficha is already stored with other content")]
    Conflict(u32),
    #[error("a newer version ({0}) is stored")]
    Stale(u32),
    #[error("the ficha is stored in another barrio")]
    OtherBarrio,
    #[error("only staff or the facilitator who wrote it may change this ficha")]
    NotYours,
    #[error("the institution {0:?} is not in the catalogue")]
    UnknownInstitution(String),
    #[error("the place is not one of the barrio's diagnóstico")]
    UnknownPlace,
    #[error("the position is far from the barrio")]
    OutsideBarrio,
    #[error("a compromiso named is not in one of the barrio's signed pactos")]
    UnknownCompromiso,
}

impl FichaError {
    pub fn code(&self) -> &'static str {
        match self {
            FichaError::NoVersion => "no_version",
            FichaError::BadDate => "bad_date",
            FichaError::NoInstitution => "no_institution",
            FichaError::OtherActionUnnamed => "other_action_unnamed",
            FichaError::TextTooLong(_) => "text_too_long",
            FichaError::ControlCharacters => "control_characters",
            FichaError::NoPlace => "no_place",
            FichaError::BadPoint => "bad_point",
            FichaError::BadCompromisos => "bad_compromisos",
            FichaError::Conflict(_) => "conflict",
            FichaError::Stale(_) => "stale_version",
            FichaError::OtherBarrio => "barrio_changed",
            FichaError::NotYours => "not_yours",
            FichaError::UnknownInstitution(_) => "unknown_institution",
            FichaError::UnknownPlace => "unknown_place",
            FichaError::OutsideBarrio => "outside_barrio",
            FichaError::UnknownCompromiso => "unknown_compromiso",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            FichaError::NoVersion | FichaError::Conflict(_) | FichaError::Stale(_) => Some("version"),
            FichaError::BadDate => Some("fecha"),
            FichaError::NoInstitution | FichaError::UnknownInstitution(_) => Some("institucion"),
            FichaError::OtherActionUnnamed => Some("accion_otra"),
            FichaError::TextTooLong(f) => Some(f),
            FichaError::NoPlace | FichaError::UnknownPlace => Some("lugar"),
            FichaError::BadPoint | FichaError::OutsideBarrio => Some("lugar.punto"),
            FichaError::BadCompromisos | FichaError::UnknownCompromiso => Some("compromisos"),
            FichaError::OtherBarrio => Some("barrio_id"),
            FichaError::ControlCharacters | FichaError::NotYours => None,
        }
    }

    /// 409: the request is fine; what is stored refuses it.
    pub fn is_conflict(&self) -> bool {
        matches!(self, FichaError::Conflict(_) | FichaError::Stale(_))
    }
}

impl Bilingual for FichaError {
    fn es(&self) -> String {
        match self {
            FichaError::NoVersion => "La versión de la ficha debe ser 1 o más.".into(),
            FichaError::BadDate => "La fecha se escribe AAAA-MM-DD.".into(),
            FichaError::NoInstitution => "Falta la institución que hizo la intervención.".into(),
            FichaError::OtherActionUnnamed => format!("Escriba qué acción se hizo (hasta {MAX_ACTION_CHARS} caracteres)."),
            FichaError::TextTooLong(f) => format!("El texto de «{f}» es demasiado largo."),
            FichaError::ControlCharacters => "Un texto tiene caracteres de control.".into(),
            FichaError::NoPlace => "Falta el lugar: elija un lugar del diagnóstico, use la ubicación o descríbalo.".into(),
            FichaError::BadPoint => "La ubicación no es una longitud y latitud válidas.".into(),
            FichaError::BadCompromisos => format!("Una ficha nombra hasta {MAX_COMPROMISOS} compromisos, cada uno una vez."),
            FichaError::Conflict(v) => format!("Ya hay guardada otra versión {v} de esta ficha, con otro contenido."),
            FichaError::Stale(v) => format!("Hay una versión más nueva ({v}) de esta ficha: ábrala de nuevo antes de cambiarla."),
            FichaError::OtherBarrio => "La ficha está guardada en otro barrio; una ficha nunca cambia de barrio.".into(),
            FichaError::NotYours => "Solo el equipo o quien facilitó y escribió la ficha puede cambiarla.".into(),
            FichaError::UnknownInstitution(c) => format!("La institución «{c}» no está en el catálogo."),
            FichaError::UnknownPlace => "El lugar elegido no es de un diagnóstico de este barrio.".into(),
            FichaError::OutsideBarrio => "La ubicación queda lejos del barrio.".into(),
            FichaError::UnknownCompromiso => "Un compromiso elegido no está en un pacto firmado de este barrio.".into(),
        }
    }

    fn en(&self) -> String {
        super::sentence(self)
    }
}

impl FichaIntervencion {
    /// The ficha with its texts trimmed, or why it cannot be kept. What depends on stored data
    /// (the catalogue, the diagnósticos, the pactos, the barrio's outline) is the server's.
    pub fn checked(mut self) -> Result<FichaIntervencion, FichaError> {
        fn text(t: &mut String, max: usize, what: &'static str) -> Result<(), FichaError> {
            *t = t.trim().to_string();
            if has_control_characters(t) {
                return Err(FichaError::ControlCharacters);
            }
            if t.chars().count() > max {
                return Err(FichaError::TextTooLong(what));
            }
            Ok(())
        }
        if self.version == 0 {
            return Err(FichaError::NoVersion);
        }
        self.fecha = self.fecha.trim().to_string();
        if !is_date(&self.fecha) {
            return Err(FichaError::BadDate);
        }
        self.institucion = self.institucion.trim().to_string();
        if self.institucion.is_empty() {
            return Err(FichaError::NoInstitution);
        }
        text(&mut self.accion_otra, MAX_ACTION_CHARS, "accion_otra").map_err(|e| match e {
            FichaError::TextTooLong(_) => FichaError::OtherActionUnnamed,
            other => other,
        })?;
        if self.accion == Accion::Otra && self.accion_otra.is_empty() {
            return Err(FichaError::OtherActionUnnamed);
        }
        if self.accion != Accion::Otra {
            self.accion_otra.clear();
        }
        text(&mut self.descripcion, MAX_TEXT_CHARS, "descripcion")?;
        text(&mut self.lugar.descripcion, MAX_PLACE_CHARS, "lugar")?;
        if let Some([lon, lat]) = self.lugar.punto {
            if !(lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
                return Err(FichaError::BadPoint);
            }
        }
        if self.lugar.hotspot_id.is_none() && self.lugar.punto.is_none() && self.lugar.descripcion.is_empty() {
            return Err(FichaError::NoPlace);
        }
        let mut seen = std::collections::HashSet::new();
        if self.compromisos.len() > MAX_COMPROMISOS || !self.compromisos.iter().all(|c| seen.insert(*c)) {
            return Err(FichaError::BadCompromisos);
        }
        Ok(self)
    }

    /// Whether two versions say the same (who wrote them aside: the server sets it).
    pub fn same_content(&self, other: &FichaIntervencion) -> bool {
        FichaIntervencion { author: String::new(), ..self.clone() } == FichaIntervencion { author: String::new(), ..other.clone() }
    }

    /// What was done, in words.
    pub fn accion_es(&self) -> String {
        if self.accion == Accion::Otra {
            self.accion_otra.clone()
        } else {
            self.accion.label_es().to_string()
        }
    }

    /// A title for lists and the printed page.
    pub fn title(&self) -> String {
        format!("{} — {}", self.accion_es(), super::workshop::date_es(&self.fecha))
    }
}

impl super::versioned::Versioned for FichaIntervencion {
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn barrio_id(&self) -> i64 {
        self.barrio_id
    }
    fn fecha(&self) -> &str {
        &self.fecha
    }
    fn updated_at_ms(&self) -> i64 {
        self.updated_at_ms
    }
    fn deleted(&self) -> bool {
        self.deleted
    }
}

/// A compromiso a ficha may fulfil: of the barrio's pacto in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompromisoOpcion {
    pub id: Uuid,
    pub responsable: String,
    pub que: String,
    pub fecha_limite: String,
    pub estado: EstadoCompromiso,
}

/// `GET /barrios/{id}/intervenciones/contexto`: what the form offers, kept on the tablet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextoFicha {
    pub barrio_id: i64,
    pub barrio: String,
    /// `(code, name)` of each active institution of the catalogue.
    pub instituciones: Vec<(String, String)>,
    /// The places of the barrio's latest diagnóstico.
    pub lugares: Vec<LugarOpcion>,
    /// The compromisos of the barrio's pacto in force, with their status when this was read.
    pub compromisos: Vec<CompromisoOpcion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn ficha() -> FichaIntervencion {
        FichaIntervencion {
            id: Uuid::from_u128(1),
            barrio_id: 7,
            version: 1,
            accion: Accion::Alumbrado,
            accion_otra: " sobra ".into(),
            institucion: " essmar ".into(),
            fecha: "2027-03-02".into(),
            lugar: Lugar { hotspot_id: None, punto: Some([-74.2, 11.24]), descripcion: " Parque de la 5ª ".into() },
            compromisos: vec![Uuid::from_u128(9)],
            descripcion: "Se cambiaron 6 luminarias".into(),
            updated_at_ms: 1,
            author: String::new(),
            deleted: false,
        }
    }

    #[test]
    fn a_ficha_says_what_who_when_and_where() {
        let ok = ficha().checked().unwrap();
        assert_eq!((ok.institucion.as_str(), ok.lugar.descripcion.as_str(), ok.accion_otra.as_str()), ("essmar", "Parque de la 5ª", ""));
        assert_eq!(ok.title(), "Alumbrado — 02/03/2027");
        assert_eq!(FichaIntervencion { version: 0, ..ficha() }.checked(), Err(FichaError::NoVersion));
        assert_eq!(FichaIntervencion { fecha: "2/3/27".into(), ..ficha() }.checked(), Err(FichaError::BadDate));
        assert_eq!(FichaIntervencion { institucion: " ".into(), ..ficha() }.checked(), Err(FichaError::NoInstitution));
        let otra = FichaIntervencion { accion: Accion::Otra, accion_otra: "  ".into(), ..ficha() };
        assert_eq!(otra.checked(), Err(FichaError::OtherActionUnnamed));
        let otra = FichaIntervencion { accion: Accion::Otra, accion_otra: "Mural con los niños".into(), ..ficha() }.checked().unwrap();
        assert_eq!(otra.accion_es(), "Mural con los niños");
        assert_eq!(FichaIntervencion { lugar: Lugar::default(), ..ficha() }.checked(), Err(FichaError::NoPlace));
        let lejos = Lugar { punto: Some([200.0, 11.0]), ..Lugar::default() };
        assert_eq!(FichaIntervencion { lugar: lejos, ..ficha() }.checked(), Err(FichaError::BadPoint));
        let twice = FichaIntervencion { compromisos: vec![Uuid::from_u128(9), Uuid::from_u128(9)], ..ficha() };
        assert_eq!(twice.checked(), Err(FichaError::BadCompromisos));
        assert_eq!(FichaIntervencion { descripcion: "a\u{7}".into(), ..ficha() }.checked(), Err(FichaError::ControlCharacters));
    }

    #[test]
    fn the_same_version_sent_again_is_the_same_whoever_the_server_says_wrote_it() {
        let a = ficha();
        let b = FichaIntervencion { author: "Ana".into(), ..ficha() };
        assert!(a.same_content(&b));
        assert!(!a.same_content(&FichaIntervencion { descripcion: "otra".into(), ..ficha() }));
    }

    #[test]
    fn every_error_has_a_code_and_both_languages() {
        for e in [FichaError::NoPlace, FichaError::Conflict(2), FichaError::UnknownInstitution("x".into()), FichaError::OutsideBarrio] {
            assert!(!e.code().is_empty() && !e.es().is_empty() && e.en().ends_with('.'), "{e:?}");
        }
        assert!(FichaError::Stale(3).is_conflict() && !FichaError::NoPlace.is_conflict());
    }
}
