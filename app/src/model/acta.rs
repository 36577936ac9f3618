//! Actas: the minutes of the route's meetings (comité barrial, comité interinstitucional,
//! socialización, reunión con instituciones) as structured records — attendance counted by
//! sector (never names), agenda, development, decisions and commitments. Drafted on a tablet
//! offline, sent as numbered versions like marks: a version is immutable, the newest counts.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::registro::is_date;
use super::Bilingual;

pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_COMMITMENTS: usize = 60;
pub const MAX_COMMITMENT_CHARS: usize = 500;
/// More people than any barrio meeting holds: a typo, not a crowd.
pub const MAX_ATTENDANCE: u32 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActaKind {
    ComiteBarrial,
    ComiteInterinstitucional,
    Socializacion,
    ReunionInstituciones,
}

impl ActaKind {
    pub const ALL: [ActaKind; 4] =
        [ActaKind::ComiteBarrial, ActaKind::ComiteInterinstitucional, ActaKind::Socializacion, ActaKind::ReunionInstituciones];

    pub fn label_es(self) -> &'static str {
        match self {
            ActaKind::ComiteBarrial => "Comité barrial",
            ActaKind::ComiteInterinstitucional => "Comité interinstitucional",
            ActaKind::Socializacion => "Socialización",
            ActaKind::ReunionInstituciones => "Reunión con instituciones",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ActaKind::ComiteBarrial => "comite_barrial",
            ActaKind::ComiteInterinstitucional => "comite_interinstitucional",
            ActaKind::Socializacion => "socializacion",
            ActaKind::ReunionInstituciones => "reunion_instituciones",
        }
    }

    pub fn from_code(code: &str) -> Option<ActaKind> {
        ActaKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How many attended, by sector: counts only, so a printed or leaked acta names no one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Asistencia {
    pub comunidad: u32,
    pub policia: u32,
    pub secretarias: u32,
    pub otras: u32,
}

impl Asistencia {
    pub fn total(&self) -> u32 {
        self.comunidad.saturating_add(self.policia).saturating_add(self.secretarias).saturating_add(self.otras)
    }
}

/// A commitment made at the meeting: who, what, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compromiso {
    pub responsable: String,
    pub que: String,
    /// `YYYY-MM-DD`, or empty when none was set.
    #[serde(default)]
    pub fecha_limite: String,
}

/// One version of an acta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acta {
    pub id: Uuid,
    pub barrio_id: i64,
    pub version: u32,
    pub kind: ActaKind,
    pub fecha: String,
    #[serde(default)]
    pub lugar: String,
    #[serde(default)]
    pub asistencia: Asistencia,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub desarrollo: String,
    #[serde(default)]
    pub decisiones: String,
    #[serde(default)]
    pub compromisos: Vec<Compromiso>,
    /// When this version was written on its device.
    pub updated_at_ms: i64,
    /// Who wrote this version: the server sets it from the session.
    #[serde(default)]
    pub author: String,
    /// A tombstone: the acta was withdrawn (its versions stay).
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActaError {
    #[error("the version must be 1 or more")]
    NoVersion,
    #[error("the date {0:?} is not a date written YYYY-MM-DD")]
    BadDate(String),
    #[error("the place is over {MAX_PLACE_CHARS} characters")]
    PlaceTooLong,
    #[error("{0} is over {MAX_TEXT_CHARS} characters")]
    TextTooLong(&'static str),
    #[error("an attendance count over {MAX_ATTENDANCE}")]
    TooMany,
    #[error("more than {MAX_COMMITMENTS} commitments")]
    TooManyCommitments,
    #[error("commitment {0} has no responsible or no content, or a text over {MAX_COMMITMENT_CHARS} characters")]
    BadCommitment(usize),
    #[error("commitment {0} has a due date that is not YYYY-MM-DD")]
    BadDueDate(usize),
    #[error("version {0} of this acta is already stored with other content")]
    Conflict(u32),
    #[error("a newer version ({0}) is stored")]
    Stale(u32),
    #[error("the acta is stored in another barrio")]
    OtherBarrio,
    #[error("only staff or the facilitator who wrote it may change this acta")]
    NotYours,
}

impl ActaError {
    pub fn code(&self) -> &'static str {
        match self {
            ActaError::NoVersion => "no_version",
            ActaError::BadDate(_) => "bad_date",
            ActaError::PlaceTooLong => "place_too_long",
            ActaError::TextTooLong(_) => "text_too_long",
            ActaError::TooMany => "attendance_too_large",
            ActaError::TooManyCommitments => "too_many_commitments",
            ActaError::BadCommitment(_) => "bad_commitment",
            ActaError::BadDueDate(_) => "bad_due_date",
            ActaError::Conflict(_) => "conflict",
            ActaError::Stale(_) => "stale_version",
            ActaError::OtherBarrio => "barrio_changed",
            ActaError::NotYours => "not_yours",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            ActaError::NoVersion | ActaError::Conflict(_) | ActaError::Stale(_) => Some("version"),
            ActaError::BadDate(_) => Some("fecha"),
            ActaError::PlaceTooLong => Some("lugar"),
            ActaError::TextTooLong(field) => Some(field),
            ActaError::TooMany => Some("asistencia"),
            ActaError::TooManyCommitments | ActaError::BadCommitment(_) | ActaError::BadDueDate(_) => Some("compromisos"),
            ActaError::OtherBarrio => Some("barrio_id"),
            ActaError::NotYours => None,
        }
    }
}

impl Bilingual for ActaError {
    fn es(&self) -> String {
        match self {
            ActaError::NoVersion => "La versión del acta debe ser 1 o más.".into(),
            ActaError::BadDate(d) => format!("La fecha «{d}» no es válida: escríbala como AAAA-MM-DD."),
            ActaError::PlaceTooLong => format!("El lugar pasa de {MAX_PLACE_CHARS} caracteres."),
            ActaError::TextTooLong(f) => format!("El texto de «{f}» pasa de {MAX_TEXT_CHARS} caracteres."),
            ActaError::TooMany => format!("Un conteo de asistencia pasa de {MAX_ATTENDANCE}: revise el número."),
            ActaError::TooManyCommitments => format!("Un acta tiene hasta {MAX_COMMITMENTS} compromisos."),
            ActaError::BadCommitment(n) => {
                format!("El compromiso {} necesita responsable y qué se hará (hasta {MAX_COMMITMENT_CHARS} caracteres cada uno).", n + 1)
            }
            ActaError::BadDueDate(n) => format!("La fecha límite del compromiso {} no es válida: AAAA-MM-DD.", n + 1),
            ActaError::Conflict(v) => format!("Ya hay guardada otra versión {v} de esta acta, con otro contenido."),
            ActaError::Stale(v) => format!("Hay una versión más nueva ({v}) de esta acta: ábrala de nuevo antes de cambiarla."),
            ActaError::OtherBarrio => "El acta está guardada en otro barrio; un acta nunca cambia de barrio.".into(),
            ActaError::NotYours => "Solo el equipo o quien facilitó y escribió el acta puede cambiarla.".into(),
        }
    }
    fn en(&self) -> String {
        format!("{self}.")
    }
}

fn within(text: &str, limit: usize) -> bool {
    text.chars().count() <= limit
}

impl Acta {
    /// The acta with its texts trimmed, or why it cannot be kept. Whether the barrio exists
    /// and who may write it are the store's to check.
    pub fn checked(mut self) -> Result<Acta, ActaError> {
        if self.version == 0 {
            return Err(ActaError::NoVersion);
        }
        self.fecha = self.fecha.trim().to_string();
        if !is_date(&self.fecha) {
            return Err(ActaError::BadDate(self.fecha.chars().take(40).collect()));
        }
        self.lugar = self.lugar.trim().to_string();
        if !within(&self.lugar, MAX_PLACE_CHARS) {
            return Err(ActaError::PlaceTooLong);
        }
        for (name, text) in [("agenda", &mut self.agenda), ("desarrollo", &mut self.desarrollo), ("decisiones", &mut self.decisiones)] {
            *text = text.trim().to_string();
            if !within(text, MAX_TEXT_CHARS) {
                return Err(ActaError::TextTooLong(name));
            }
        }
        let a = self.asistencia;
        if [a.comunidad, a.policia, a.secretarias, a.otras].iter().any(|n| *n > MAX_ATTENDANCE) {
            return Err(ActaError::TooMany);
        }
        if self.compromisos.len() > MAX_COMMITMENTS {
            return Err(ActaError::TooManyCommitments);
        }
        // Rows left empty on the form are not commitments.
        self.compromisos.retain(|c| !(c.responsable.trim().is_empty() && c.que.trim().is_empty() && c.fecha_limite.trim().is_empty()));
        for (i, c) in self.compromisos.iter_mut().enumerate() {
            c.responsable = c.responsable.trim().to_string();
            c.que = c.que.trim().to_string();
            c.fecha_limite = c.fecha_limite.trim().to_string();
            if c.responsable.is_empty()
                || c.que.is_empty()
                || !within(&c.responsable, MAX_COMMITMENT_CHARS)
                || !within(&c.que, MAX_COMMITMENT_CHARS)
            {
                return Err(ActaError::BadCommitment(i));
            }
            if !c.fecha_limite.is_empty() && !is_date(&c.fecha_limite) {
                return Err(ActaError::BadDueDate(i));
            }
        }
        Ok(self)
    }

    /// Whether two versions say the same (who wrote them aside: the server sets it).
    pub fn same_content(&self, other: &Acta) -> bool {
        Acta { author: String::new(), ..self.clone() } == Acta { author: String::new(), ..other.clone() }
    }

    /// A title for lists and the printed page.
    pub fn title(&self) -> String {
        format!("Acta de {} — {}", self.kind.label_es().to_lowercase(), super::workshop::date_es(&self.fecha))
    }
}

impl super::versioned::Versioned for Acta {
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

#[cfg(test)]
mod tests {
    use super::*;

    pub fn acta() -> Acta {
        Acta {
            id: Uuid::from_u128(5),
            barrio_id: 218,
            version: 1,
            kind: ActaKind::ComiteBarrial,
            fecha: "2026-12-05".into(),
            lugar: " Caseta comunal ".into(),
            asistencia: Asistencia { comunidad: 18, policia: 2, secretarias: 1, otras: 0 },
            agenda: "1. Saludo\n2. Diagnóstico".into(),
            desarrollo: String::new(),
            decisiones: String::new(),
            compromisos: vec![
                Compromiso {
                    responsable: "ESSMAR".into(),
                    que: "Cambiar las luminarias de la calle 8".into(),
                    fecha_limite: "2027-01-31".into(),
                },
                Compromiso { responsable: " ".into(), que: String::new(), fecha_limite: String::new() },
            ],
            updated_at_ms: 1_764_000_000_000,
            author: String::new(),
            deleted: false,
        }
    }

    #[test]
    fn an_acta_is_trimmed_and_its_empty_rows_dropped() {
        let a = acta().checked().unwrap();
        assert_eq!((a.lugar.as_str(), a.compromisos.len(), a.asistencia.total()), ("Caseta comunal", 1, 21));
        assert_eq!(a.title(), "Acta de comité barrial — 05/12/2026");
    }

    #[test]
    fn what_cannot_be_an_acta_is_refused_with_its_field() {
        let cases: Vec<(Acta, &str)> = vec![
            (Acta { version: 0, ..acta() }, "version"),
            (Acta { fecha: "5/12/2026".into(), ..acta() }, "fecha"),
            (Acta { agenda: "x".repeat(MAX_TEXT_CHARS + 1), ..acta() }, "agenda"),
            (Acta { asistencia: Asistencia { comunidad: MAX_ATTENDANCE + 1, ..Asistencia::default() }, ..acta() }, "asistencia"),
            (
                Acta {
                    compromisos: vec![Compromiso { responsable: "Policía".into(), que: String::new(), fecha_limite: String::new() }],
                    ..acta()
                },
                "compromisos",
            ),
            (
                Acta {
                    compromisos: vec![Compromiso { responsable: "P".into(), que: "q".into(), fecha_limite: "mañana".into() }],
                    ..acta()
                },
                "compromisos",
            ),
        ];
        for (a, field) in cases {
            let e = a.checked().unwrap_err();
            assert_eq!(e.field(), Some(field), "{e}");
            assert!(!e.es().is_empty());
        }
        assert!(acta().same_content(&Acta { author: "Marta".into(), ..acta() }));
        assert!(!acta().same_content(&Acta { lugar: "Otra".into(), ..acta() }));
    }
}
