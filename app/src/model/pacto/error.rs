//! Why a pacto, a compromiso, a status change, an institution or a publication was refused,
//! in Spanish and English.

use thiserror::Error;

use crate::model::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PactoError {
    #[error("an institution code is lower-case letters, digits and _, at most 40 characters")]
    BadInstitutionCode,
    #[error("an institution needs a name of at most 160 characters")]
    BadInstitutionName,
    #[error("an institution has at most {0} contacts, each with a position")]
    BadContacts(usize),
    #[error("{0} is too long")]
    TooLong(&'static str),
    #[error("a text has control characters")]
    ControlCharacters,
    #[error("a date is YYYY-MM-DD")]
    BadDate,
    #[error("a pacto has at most {0} compromisos")]
    TooManyCompromisos(usize),
    #[error("compromiso {0} needs {1}")]
    CompromisoIncompleto(usize, &'static str),
    #[error("compromiso {0} names an institution that is not in the catalogue: {1}")]
    UnknownInstitution(usize, String),
    #[error("compromiso {0} names a place that is not in the diagnóstico")]
    UnknownPlace(usize),
    #[error("compromiso {0} is listed twice")]
    RepeatedCompromiso(usize),
    #[error("the status change needs its evidence: a text or a registro")]
    NoEvidence,
    #[error("a cancelled compromiso needs the reason")]
    NoReason,
    #[error("the compromiso is already in that status")]
    SameStatus,
    #[error("a cancelled compromiso does not change again; an otrosí can take it up")]
    Cancelled,
    #[error("no compromiso is chosen for publication")]
    NothingToPublish,
    #[error("the publication names a compromiso that is not in the pacto")]
    UnknownCompromiso,
    #[error("a city is named by its five-digit DANE code")]
    BadMunicipio,
    #[error("a committee acta reviews at least one compromiso")]
    NoRevisiones,
    #[error("a committee acta reviews at most {0} compromisos")]
    TooManyRevisiones(usize),
}

impl PactoError {
    pub fn code(&self) -> &'static str {
        match self {
            PactoError::BadInstitutionCode => "bad_institution_code",
            PactoError::BadInstitutionName => "bad_institution_name",
            PactoError::BadContacts(_) => "bad_contacts",
            PactoError::TooLong(_) => "text_too_long",
            PactoError::ControlCharacters => "control_characters",
            PactoError::BadDate => "bad_date",
            PactoError::TooManyCompromisos(_) => "too_many_compromisos",
            PactoError::CompromisoIncompleto(..) => "compromiso_incomplete",
            PactoError::UnknownInstitution(..) => "unknown_institution",
            PactoError::UnknownPlace(_) => "unknown_place",
            PactoError::RepeatedCompromiso(_) => "repeated_compromiso",
            PactoError::NoEvidence => "no_evidence",
            PactoError::NoReason => "no_reason",
            PactoError::SameStatus => "same_status",
            PactoError::Cancelled => "cancelled",
            PactoError::NothingToPublish => "nothing_to_publish",
            PactoError::UnknownCompromiso => "unknown_compromiso",
            PactoError::BadMunicipio => "bad_municipio",
            PactoError::NoRevisiones => "no_revisiones",
            PactoError::TooManyRevisiones(_) => "too_many_revisiones",
        }
    }

    /// The form field at fault, for the page to point at.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            PactoError::BadInstitutionCode => Some("codigo"),
            PactoError::BadInstitutionName => Some("nombre"),
            PactoError::BadContacts(_) => Some("contactos"),
            PactoError::BadDate => Some("fecha"),
            PactoError::NoEvidence => Some("evidencia"),
            PactoError::NoReason => Some("motivo"),
            PactoError::BadMunicipio => Some("municipio"),
            PactoError::NoRevisiones | PactoError::TooManyRevisiones(_) => Some("revisiones"),
            _ => None,
        }
    }
}

impl Bilingual for PactoError {
    fn es(&self) -> String {
        match self {
            PactoError::BadInstitutionCode => "El código de una institución lleva minúsculas, dígitos y _, hasta 40 caracteres.".into(),
            PactoError::BadInstitutionName => "La institución necesita un nombre de hasta 160 caracteres.".into(),
            PactoError::BadContacts(n) => format!("Una institución tiene hasta {n} contactos, cada uno con su cargo."),
            PactoError::TooLong(what) => format!("El texto de «{what}» es demasiado largo."),
            PactoError::ControlCharacters => "Un texto tiene caracteres de control.".into(),
            PactoError::BadDate => "Una fecha se escribe AAAA-MM-DD.".into(),
            PactoError::TooManyCompromisos(n) => format!("Un pacto tiene hasta {n} compromisos."),
            PactoError::CompromisoIncompleto(i, what) => format!("Al compromiso {} le falta {}.", i + 1, falta_es(what)),
            PactoError::UnknownInstitution(i, code) => {
                format!("El compromiso {} nombra una institución que no está en el catálogo: {code}.", i + 1)
            }
            PactoError::UnknownPlace(i) => format!("El compromiso {} nombra un lugar que no está en el diagnóstico.", i + 1),
            PactoError::RepeatedCompromiso(i) => format!("El compromiso {} está repetido.", i + 1),
            PactoError::NoEvidence => "El cambio de estado necesita su evidencia: un texto o un registro.".into(),
            PactoError::NoReason => "Para cancelar un compromiso hay que decir por qué.".into(),
            PactoError::SameStatus => "El compromiso ya está en ese estado.".into(),
            PactoError::Cancelled => "Un compromiso cancelado no cambia más; un otrosí puede retomarlo.".into(),
            PactoError::NothingToPublish => "No se eligió ningún compromiso para publicar.".into(),
            PactoError::UnknownCompromiso => "La publicación nombra un compromiso que no está en el pacto.".into(),
            PactoError::BadMunicipio => "La ciudad se indica con su código DANE de cinco dígitos.".into(),
            PactoError::NoRevisiones => "El acta del comité revisa al menos un compromiso.".into(),
            PactoError::TooManyRevisiones(n) => format!("El acta de un comité revisa hasta {n} compromisos."),
        }
    }

    fn en(&self) -> String {
        crate::model::sentence(self)
    }
}

fn falta_es(what: &str) -> &'static str {
    match what {
        "who" => "quién lo cumple",
        "what" => "qué se compromete",
        "by when" => "la fecha límite",
        "indicator" => "cómo se sabrá que se cumplió",
        _ => "un dato",
    }
}
