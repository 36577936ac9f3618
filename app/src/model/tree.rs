//! The árbol de problemas: causes tied to the problems drawn on the map, and solutions tied
//! to causes with the institution responsible. Validated here, on both sides, including the
//! links: a cause or solution never points at something missing or deleted.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::clock::Hlc;
use super::mark::{check_alias, first_version, has_control_characters, Mark, MarkError, MAX_CREATED_MS, MIN_CREATED_MS};
use super::taxonomy::MarkKind;
use super::Bilingual;

/// Longest text of a cause or a solution, in characters: a sentence or two on a card.
pub const MAX_TREE_TEXT_CHARS: usize = 500;

/// A kind of cause, as the group names it on the problem tree's roots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CauseCategory {
    pub code: &'static str,
    pub label_es: &'static str,
    pub label_en: &'static str,
}

pub const CAUSE_CATEGORIES: &[CauseCategory] = &[
    CauseCategory { code: "falta_iluminacion", label_es: "Falta de iluminación", label_en: "Poor lighting" },
    CauseCategory { code: "espacios_abandonados", label_es: "Espacios abandonados", label_en: "Abandoned spaces" },
    CauseCategory { code: "desempleo_juvenil", label_es: "Desempleo juvenil", label_en: "Youth unemployment" },
    CauseCategory {
        code: "falta_oportunidades",
        label_es: "Falta de oportunidades (estudio, deporte, cultura)",
        label_en: "Lack of opportunities",
    },
    CauseCategory { code: "consumo_alcohol", label_es: "Consumo de alcohol", label_en: "Alcohol use" },
    CauseCategory { code: "consumo_spa", label_es: "Consumo de sustancias", label_en: "Drug use" },
    CauseCategory { code: "ausencia_institucional", label_es: "Ausencia institucional", label_en: "Absent institutions" },
    CauseCategory { code: "poca_presencia_policial", label_es: "Poca presencia policial", label_en: "Little police presence" },
    CauseCategory { code: "falta_denuncia", label_es: "Miedo a denunciar", label_en: "Fear of reporting" },
    CauseCategory { code: "problemas_familiares", label_es: "Problemas en las familias", label_en: "Family problems" },
    CauseCategory { code: "basuras_desorden", label_es: "Basuras y desorden del espacio público", label_en: "Rubbish and disorder" },
    CauseCategory { code: "falta_organizacion", label_es: "Poca organización comunitaria", label_en: "Weak community organisation" },
    CauseCategory { code: "otra_causa", label_es: "Otra causa", label_en: "Other cause" },
];

/// Who is to carry out a solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Institution {
    pub code: &'static str,
    pub label_es: &'static str,
    pub label_en: &'static str,
}

pub const INSTITUTIONS: &[Institution] = &[
    Institution { code: "policia", label_es: "Policía Nacional (cuadrante)", label_en: "National Police" },
    Institution { code: "secretaria_seguridad", label_es: "Alcaldía / Secretaría de Seguridad", label_en: "Mayor's Office / Security" },
    Institution { code: "essmar", label_es: "ESSMAR (aseo y alumbrado)", label_en: "ESSMAR (waste and lighting)" },
    Institution { code: "secretaria_educacion", label_es: "Secretaría de Educación", label_en: "Education department" },
    Institution { code: "icbf", label_es: "ICBF", label_en: "ICBF (family welfare)" },
    Institution { code: "secretaria_salud", label_es: "Secretaría de Salud", label_en: "Health department" },
    Institution { code: "deporte_cultura", label_es: "Deporte y cultura (INRED, Cultura)", label_en: "Sport and culture" },
    Institution { code: "comisaria_familia", label_es: "Comisaría de Familia / Casa de Justicia", label_en: "Family commission" },
    Institution { code: "comunidad_jac", label_es: "Comunidad / JAC", label_en: "Community / JAC" },
    Institution { code: "otra_institucion", label_es: "Otra institución", label_en: "Other institution" },
];

impl CauseCategory {
    pub fn by_code(code: &str) -> Option<&'static CauseCategory> {
        CAUSE_CATEGORIES.iter().find(|c| c.code == code)
    }
}

impl Institution {
    pub fn by_code(code: &str) -> Option<&'static Institution> {
        INSTITUTIONS.iter().find(|c| c.code == code)
    }
}

/// A cause on the problem tree, tied to one or more problems drawn on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    pub id: Uuid,
    pub barrio_id: i64,
    pub category: String,
    #[serde(default)]
    pub text: String,
    /// The problem marks this cause explains.
    pub problem_ids: Vec<Uuid>,
    #[serde(default)]
    pub alias: String,
    pub created_at_ms: i64,
    #[serde(default = "first_version")]
    pub version: u32,
    #[serde(default)]
    pub updated_at_ms: i64,
    #[serde(default)]
    pub deleted: bool,
    /// The workshop (taller) it was drawn in, for good; none when drawn outside one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop_id: Option<Uuid>,
    /// When this version was made, on the hybrid logical clock that picks the current version
    /// among concurrent ones; none for versions from before devices kept a clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hlc: Option<Hlc>,
}

/// An alternative de solución, tied to the causes it addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    pub id: Uuid,
    pub barrio_id: i64,
    pub text: String,
    pub institution: String,
    pub cause_ids: Vec<Uuid>,
    #[serde(default)]
    pub alias: String,
    pub created_at_ms: i64,
    #[serde(default = "first_version")]
    pub version: u32,
    #[serde(default)]
    pub updated_at_ms: i64,
    #[serde(default)]
    pub deleted: bool,
    /// The workshop (taller) it was drawn in, for good; none when drawn outside one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop_id: Option<Uuid>,
    /// When this version was made, on the hybrid logical clock that picks the current version
    /// among concurrent ones; none for versions from before devices kept a clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hlc: Option<Hlc>,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum TreeError {
    #[error("the body is not valid: {0}")]
    Malformed(String),
    #[error("unknown cause category {0:?}")]
    UnknownCauseCategory(String),
    #[error("unknown institution {0:?}")]
    UnknownInstitution(String),
    #[error("the text is empty")]
    EmptyText,
    #[error("the text has {0} characters, more than the {MAX_TREE_TEXT_CHARS} allowed")]
    TextTooLong(usize),
    #[error("the text has control characters; only line breaks and tabs are allowed")]
    ControlCharacters,
    #[error("it must be linked to at least one {0}")]
    NoLinks(&'static str),
    #[error("it links to {0} twice")]
    RepeatedLink(Uuid),
    #[error("it links to {0}, which does not exist")]
    MissingLink(Uuid),
    #[error("it links to {0}, which was deleted")]
    DeletedLink(Uuid),
    #[error("it links to {0}, which is not a problem")]
    NotAProblem(Uuid),
    #[error("it links to {0}, which belongs to another barrio")]
    OtherBarrio(Uuid),
    #[error("{0}")]
    Common(MarkError),
}

impl TreeError {
    /// The member of a cause (`of_cause`) or solution the rule break is about, so a form can
    /// point at it.
    pub fn field(&self, of_cause: bool) -> Option<&'static str> {
        match self {
            TreeError::Malformed(_) => None,
            TreeError::UnknownCauseCategory(_) => Some("category"),
            TreeError::UnknownInstitution(_) => Some("institution"),
            TreeError::EmptyText | TreeError::TextTooLong(_) | TreeError::ControlCharacters => Some("text"),
            TreeError::NoLinks(_)
            | TreeError::RepeatedLink(_)
            | TreeError::MissingLink(_)
            | TreeError::DeletedLink(_)
            | TreeError::NotAProblem(_)
            | TreeError::OtherBarrio(_) => Some(if of_cause { "problem_ids" } else { "cause_ids" }),
            // The rules shared with marks name a mark's Feature members; here they are top-level.
            TreeError::Common(m) => m.field().map(|f| f.trim_start_matches("properties.")),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            TreeError::Malformed(_) => "malformed",
            TreeError::UnknownCauseCategory(_) => "unknown_cause_category",
            TreeError::UnknownInstitution(_) => "unknown_institution",
            TreeError::EmptyText => "empty_text",
            TreeError::TextTooLong(_) => "text_too_long",
            TreeError::ControlCharacters => "control_characters",
            TreeError::NoLinks(_) => "no_links",
            TreeError::RepeatedLink(_) => "repeated_link",
            TreeError::MissingLink(_) => "missing_link",
            TreeError::DeletedLink(_) => "deleted_link",
            TreeError::NotAProblem(_) => "not_a_problem",
            TreeError::OtherBarrio(_) => "other_barrio",
            TreeError::Common(e) => e.code(),
        }
    }
}

impl Bilingual for TreeError {
    fn es(&self) -> String {
        match self {
            TreeError::Malformed(d) => format!("El cuerpo no es válido: {d}."),
            TreeError::UnknownCauseCategory(c) => format!("El tipo de causa «{c}» no existe."),
            TreeError::UnknownInstitution(c) => format!("La institución «{c}» no existe."),
            TreeError::EmptyText => "Escriba el texto.".into(),
            TreeError::TextTooLong(n) => {
                format!("El texto tiene {n} caracteres; el máximo es {MAX_TREE_TEXT_CHARS}.")
            }
            TreeError::ControlCharacters => {
                "El texto tiene caracteres de control (invisibles); solo se admiten saltos de línea y tabulaciones.".into()
            }
            TreeError::NoLinks("problem") => "Debe estar unida al menos a un problema.".into(),
            TreeError::NoLinks(_) => "Debe estar unida al menos a una causa.".into(),
            TreeError::RepeatedLink(id) => format!("Está unida dos veces a {id}."),
            TreeError::MissingLink(id) => format!("Está unida a {id}, que no existe."),
            TreeError::DeletedLink(id) => format!("Está unida a {id}, que fue borrada."),
            TreeError::NotAProblem(id) => format!("Está unida a {id}, que no es un problema."),
            TreeError::OtherBarrio(id) => format!("Está unida a {id}, que es de otro barrio."),
            TreeError::Common(e) => e.es(),
        }
    }
    fn en(&self) -> String {
        match self {
            TreeError::Common(e) => e.en(),
            other => super::sentence(other),
        }
    }
}

/// Rules shared by causes and solutions: dates, version, alias, text, links without repeats.
fn check_common(
    text: &str,
    alias: &str,
    created: i64,
    updated: i64,
    version: u32,
    links: &[Uuid],
    what: &'static str,
) -> Result<(), TreeError> {
    if !(MIN_CREATED_MS..MAX_CREATED_MS).contains(&created) {
        return Err(TreeError::Common(MarkError::CreatedAtOutOfRange(created)));
    }
    if updated != 0 && !(created..MAX_CREATED_MS).contains(&updated) {
        return Err(TreeError::Common(MarkError::UpdatedAtOutOfRange(updated)));
    }
    if version == 0 {
        return Err(TreeError::Common(MarkError::InvalidVersion));
    }
    check_alias(alias).map_err(TreeError::Common)?;
    let chars = text.chars().count();
    if chars > MAX_TREE_TEXT_CHARS {
        return Err(TreeError::TextTooLong(chars));
    }
    if has_control_characters(text) {
        return Err(TreeError::ControlCharacters);
    }
    if links.is_empty() {
        return Err(TreeError::NoLinks(what));
    }
    for (i, id) in links.iter().enumerate() {
        if links[..i].contains(id) {
            return Err(TreeError::RepeatedLink(*id));
        }
    }
    Ok(())
}

impl Cause {
    /// The checks that need nothing but the cause itself. A cause may have no text: its
    /// category already says what it is.
    pub fn check(&self) -> Result<(), TreeError> {
        if CauseCategory::by_code(&self.category).is_none() {
            return Err(TreeError::UnknownCauseCategory(self.category.clone()));
        }
        check_common(&self.text, &self.alias, self.created_at_ms, self.updated_at_ms, self.version, &self.problem_ids, "problem")
    }

    /// Every problem it links to exists, is a problem of the same barrio, and is not deleted.
    /// A tombstone's links are history and are not checked.
    pub fn check_links<'a>(&self, mark: impl Fn(&Uuid) -> Option<&'a Mark>) -> Result<(), TreeError> {
        if self.deleted {
            return Ok(());
        }
        for id in &self.problem_ids {
            let m = mark(id).ok_or(TreeError::MissingLink(*id))?;
            if m.barrio_id != self.barrio_id {
                return Err(TreeError::OtherBarrio(*id));
            }
            if m.deleted {
                return Err(TreeError::DeletedLink(*id));
            }
            if m.kind() != Some(MarkKind::Problem) {
                return Err(TreeError::NotAProblem(*id));
            }
        }
        Ok(())
    }

    pub fn label_es(&self) -> &'static str {
        CauseCategory::by_code(&self.category).map(|c| c.label_es).unwrap_or("Causa")
    }
}

impl Solution {
    pub fn check(&self) -> Result<(), TreeError> {
        if Institution::by_code(&self.institution).is_none() {
            return Err(TreeError::UnknownInstitution(self.institution.clone()));
        }
        if self.text.trim().is_empty() {
            return Err(TreeError::EmptyText);
        }
        check_common(&self.text, &self.alias, self.created_at_ms, self.updated_at_ms, self.version, &self.cause_ids, "cause")
    }

    /// Every cause it links to exists, is of the same barrio, and is not deleted.
    pub fn check_links<'a>(&self, cause: impl Fn(&Uuid) -> Option<&'a Cause>) -> Result<(), TreeError> {
        if self.deleted {
            return Ok(());
        }
        for id in &self.cause_ids {
            let c = cause(id).ok_or(TreeError::MissingLink(*id))?;
            if c.barrio_id != self.barrio_id {
                return Err(TreeError::OtherBarrio(*id));
            }
            if c.deleted {
                return Err(TreeError::DeletedLink(*id));
            }
        }
        Ok(())
    }

    pub fn institution_es(&self) -> &'static str {
        Institution::by_code(&self.institution).map(|c| c.label_es).unwrap_or("Institución")
    }
}

/// [`cause_from_json`] for a cause already parsed as JSON (a change in a batch).
pub fn cause_from_value(value: serde_json::Value) -> Result<Cause, TreeError> {
    let cause: Cause = serde_json::from_value(value).map_err(|e| TreeError::Malformed(e.to_string()))?;
    cause.check()?;
    Ok(cause)
}

/// [`solution_from_json`] for a solution already parsed as JSON (a change in a batch).
pub fn solution_from_value(value: serde_json::Value) -> Result<Solution, TreeError> {
    let solution: Solution = serde_json::from_value(value).map_err(|e| TreeError::Malformed(e.to_string()))?;
    solution.check()?;
    Ok(solution)
}

/// Parses and checks a cause sent as JSON (links are the store's to check).
pub fn cause_from_json(body: &[u8]) -> Result<Cause, TreeError> {
    let cause: Cause = serde_json::from_slice(body).map_err(|e| TreeError::Malformed(e.to_string()))?;
    cause.check()?;
    Ok(cause)
}

/// Parses and checks a solution sent as JSON (links are the store's to check).
pub fn solution_from_json(body: &[u8]) -> Result<Solution, TreeError> {
    let solution: Solution = serde_json::from_slice(body).map_err(|e| TreeError::Malformed(e.to_string()))?;
    solution.check()?;
    Ok(solution)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_764_000_000_000;

    fn problem(n: u128) -> Mark {
        Mark::new_point(Uuid::from_u128(n), 1, "hurto_personas", -74.2, 11.24, T)
    }

    fn cause(links: &[u128]) -> Cause {
        Cause {
            workshop_id: None,
            hlc: None,
            id: Uuid::from_u128(100),
            barrio_id: 1,
            category: "falta_iluminacion".into(),
            text: "El poste de la esquina lleva meses dañado".into(),
            problem_ids: links.iter().map(|n| Uuid::from_u128(*n)).collect(),
            alias: "Rosa".into(),
            created_at_ms: T,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
        }
    }

    #[test]
    fn a_cause_needs_a_known_category_and_a_problem() {
        assert!(cause(&[1]).check().is_ok());
        assert_eq!(cause(&[]).check().unwrap_err().code(), "no_links");
        assert_eq!(cause(&[1, 1]).check().unwrap_err().code(), "repeated_link");
        let mut c = cause(&[1]);
        c.category = "brujeria".into();
        assert_eq!(c.check().unwrap_err().code(), "unknown_cause_category");
    }

    #[test]
    fn links_must_reach_a_live_problem_of_the_same_barrio() {
        let marks = [
            problem(1),
            Mark { deleted: true, ..problem(2) },
            Mark { barrio_id: 9, ..problem(3) },
            Mark::new_point(Uuid::from_u128(4), 1, "parque", 0.0, 0.0, T),
        ];
        let find = |id: &Uuid| marks.iter().find(|m| m.id == *id);
        assert!(cause(&[1]).check_links(find).is_ok());
        assert_eq!(cause(&[1, 2]).check_links(find), Err(TreeError::DeletedLink(Uuid::from_u128(2))));
        assert_eq!(cause(&[3]).check_links(find), Err(TreeError::OtherBarrio(Uuid::from_u128(3))));
        assert_eq!(cause(&[4]).check_links(find), Err(TreeError::NotAProblem(Uuid::from_u128(4))));
        assert_eq!(cause(&[5]).check_links(find), Err(TreeError::MissingLink(Uuid::from_u128(5))));
        // A deleted cause keeps its old links as history.
        assert!(Cause { deleted: true, ..cause(&[2]) }.check_links(find).is_ok());
    }

    #[test]
    fn a_solution_needs_text_an_institution_and_a_live_cause() {
        let causes = [cause(&[1]), Cause { id: Uuid::from_u128(101), deleted: true, ..cause(&[1]) }];
        let s = Solution {
            workshop_id: None,
            hlc: None,
            id: Uuid::from_u128(200),
            barrio_id: 1,
            text: "Arreglar el alumbrado de la calle 5".into(),
            institution: "essmar".into(),
            cause_ids: vec![Uuid::from_u128(100)],
            alias: String::new(),
            created_at_ms: T,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
        };
        assert!(s.check().is_ok());
        assert!(s.check_links(|id| causes.iter().find(|c| c.id == *id)).is_ok());
        let gone = Solution { cause_ids: vec![Uuid::from_u128(101)], ..s.clone() };
        assert_eq!(gone.check_links(|id| causes.iter().find(|c| c.id == *id)).unwrap_err().code(), "deleted_link");
        assert_eq!(Solution { text: "  ".into(), ..s.clone() }.check().unwrap_err(), TreeError::EmptyText);
        assert_eq!(Solution { institution: "nasa".into(), ..s }.check().unwrap_err().code(), "unknown_institution");
    }

    #[test]
    fn a_cause_or_solution_text_with_a_nul_is_refused() {
        let mut c = cause(&[1]);
        c.text = "El poste\u{0} de la esquina".into();
        let err = c.check().unwrap_err();
        assert_eq!((err.code(), err.field(true)), ("control_characters", Some("text")));
        assert!(err.es().starts_with("El texto tiene caracteres de control"), "{}", err.es());
        c.text = "Dos cosas:\n\t- la luz\n\t- la basura".into();
        assert!(c.check().is_ok());
        let body = br#"{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","barrio_id":1,"text":"Luz\u0007","institution":"essmar","cause_ids":["0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"],"created_at_ms":1764000000000}"#;
        assert_eq!(solution_from_json(body).unwrap_err(), TreeError::ControlCharacters);
    }

    #[test]
    fn json_with_a_misspelt_member_is_refused() {
        let body = br#"{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","barrio_id":1,"category":"falta_iluminacion","problem_ids":[],"problemas":[],"created_at_ms":1764000000000}"#;
        assert_eq!(cause_from_json(body).unwrap_err().code(), "malformed");
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = CAUSE_CATEGORIES.iter().map(|c| c.code).chain(INSTITUTIONS.iter().map(|i| i.code)).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }
}
