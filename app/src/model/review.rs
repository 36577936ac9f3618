//! What staff do with a barrio's diagnóstico: numbered snapshots of the merge, and decisions
//! on single marks (rejected with a reason, or restored), each kept with who and when.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::diagnostico::{Diagnostico, MergeParams, Totals};

/// Longest reason for rejecting a mark, and longest reviewer name.
pub const MAX_REASON_CHARS: usize = 500;
pub const MAX_REVIEWER_CHARS: usize = 80;

/// One stored diagnóstico: the engine's output, as generated, with its number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDiagnostico {
    pub barrio_id: i64,
    pub number: u32,
    pub created_at_ms: i64,
    pub created_by: String,
    pub diagnostico: Diagnostico,
}

/// A line of a barrio's list of diagnósticos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticoSummary {
    pub barrio_id: i64,
    pub number: u32,
    pub created_at_ms: i64,
    pub created_by: String,
    pub engine_version: u32,
    pub totals: Totals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// Left out of the diagnósticos generated from now on (the mark itself stays stored).
    Reject,
    /// Counted again.
    Restore,
}

impl ReviewAction {
    pub fn code(self) -> &'static str {
        match self {
            ReviewAction::Reject => "reject",
            ReviewAction::Restore => "restore",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewAction> {
        match code {
            "reject" => Some(ReviewAction::Reject),
            "restore" => Some(ReviewAction::Restore),
            _ => None,
        }
    }
}

/// A staff decision on one mark, as asked for (`POST /api/v1/marks/{id}/reviews`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDraft {
    pub action: ReviewAction,
    /// Why: required to reject (it is what the next reviewer reads), optional to restore.
    #[serde(default)]
    pub reason: String,
    /// Who decided: the server writes the signed-in account's name here, whatever was sent.
    #[serde(default)]
    pub reviewer: String,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ReviewError {
    #[error("a rejection needs its reason")]
    ReasonMissing,
    #[error("the reason has {0} characters; at most {MAX_REASON_CHARS}")]
    ReasonTooLong(usize),
    #[error("the reviewer's name is missing")]
    ReviewerMissing,
    #[error("the reviewer's name has {0} characters; at most {MAX_REVIEWER_CHARS}")]
    ReviewerTooLong(usize),
    #[error("{field} must be between {min} and {max}")]
    ParamOutOfRange { field: &'static str, min: f64, max: f64 },
    #[error("desde is a date written YYYY-MM-DD")]
    BadDesde,
}

impl ReviewError {
    pub fn code(&self) -> &'static str {
        match self {
            ReviewError::ReasonMissing => "reason_missing",
            ReviewError::ReasonTooLong(_) => "reason_too_long",
            ReviewError::ReviewerMissing => "reviewer_missing",
            ReviewError::ReviewerTooLong(_) => "reviewer_too_long",
            ReviewError::ParamOutOfRange { .. } => "param_out_of_range",
            ReviewError::BadDesde => "bad_date",
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            ReviewError::ReasonMissing | ReviewError::ReasonTooLong(_) => "reason",
            ReviewError::ReviewerMissing | ReviewError::ReviewerTooLong(_) => "reviewer",
            ReviewError::ParamOutOfRange { field, .. } => field,
            ReviewError::BadDesde => "desde",
        }
    }
}

impl super::Bilingual for ReviewError {
    fn es(&self) -> String {
        match self {
            ReviewError::ReasonMissing => "Para rechazar una marca escriba el motivo.".into(),
            ReviewError::ReasonTooLong(n) => format!("El motivo tiene {n} caracteres; el máximo es {MAX_REASON_CHARS}."),
            ReviewError::ReviewerMissing => "Falta el nombre de quien revisa.".into(),
            ReviewError::ReviewerTooLong(n) => {
                format!("El nombre de quien revisa tiene {n} caracteres; el máximo es {MAX_REVIEWER_CHARS}.")
            }
            ReviewError::ParamOutOfRange { field, min, max } => format!("«{field}» debe estar entre {min} y {max}."),
            ReviewError::BadDesde => "«Desde» es una fecha AAAA-MM-DD.".into(),
        }
    }
    fn en(&self) -> String {
        super::sentence(self)
    }
}

/// A reviewer's name, trimmed, or why it cannot be kept.
pub(crate) fn checked_reviewer(name: &str) -> Result<String, ReviewError> {
    let name = name.trim();
    let chars = name.chars().count();
    if name.is_empty() {
        return Err(ReviewError::ReviewerMissing);
    }
    if chars > MAX_REVIEWER_CHARS {
        return Err(ReviewError::ReviewerTooLong(chars));
    }
    Ok(name.to_string())
}

impl ReviewDraft {
    /// The draft with its texts trimmed, or why it cannot be kept.
    pub fn checked(self) -> Result<ReviewDraft, ReviewError> {
        let reason = self.reason.trim().to_string();
        let reason_chars = reason.chars().count();
        if self.action == ReviewAction::Reject && reason.is_empty() {
            return Err(ReviewError::ReasonMissing);
        }
        if reason_chars > MAX_REASON_CHARS {
            return Err(ReviewError::ReasonTooLong(reason_chars));
        }
        Ok(ReviewDraft { action: self.action, reason, reviewer: checked_reviewer(&self.reviewer)? })
    }
}

/// A request to generate the next diagnóstico (`POST /api/v1/barrios/{id}/diagnosticos`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateRequest {
    /// Who generates it: the server writes the signed-in account's name here.
    #[serde(default)]
    pub created_by: String,
    /// The merge's thresholds; the defaults when left out.
    #[serde(default)]
    pub params: MergeParams,
    /// A re-mapping: only the marks made on or after this day (`YYYY-MM-DD`, Colombian time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desde: Option<String>,
}

impl GenerateRequest {
    /// The request with its name trimmed and every threshold within sensible bounds (a radius
    /// of 0 m or of 10 km would be a typing mistake, not a choice).
    pub fn checked(self) -> Result<GenerateRequest, ReviewError> {
        let p = &self.params;
        let bounds: [(&'static str, f64, f64, f64); 5] = [
            ("params.point_radius_m", p.point_radius_m, 1.0, 1000.0),
            ("params.route_distance_m", p.route_distance_m, 1.0, 1000.0),
            ("params.route_step_m", p.route_step_m, 1.0, 500.0),
            ("params.zone_iou", p.zone_iou, 0.01, 1.0),
            ("params.zone_cover", p.zone_cover, 0.01, 1.0),
        ];
        for (field, value, min, max) in bounds {
            if !(min..=max).contains(&value) {
                return Err(ReviewError::ParamOutOfRange { field, min, max });
            }
        }
        let mut params = self.params;
        let desde = self.desde.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        if let Some(d) = &desde {
            params.desde_ms = Some(super::workshop::colombia_midnight_ms(d).ok_or(ReviewError::BadDesde)?);
        }
        Ok(GenerateRequest { created_by: checked_reviewer(&self.created_by)?, params, desde })
    }
}

/// A decision as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkReview {
    pub seq: i64,
    pub mark_id: Uuid,
    pub barrio_id: i64,
    pub action: ReviewAction,
    pub reason: String,
    pub reviewer: String,
    pub at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bilingual;

    #[test]
    fn a_re_mapping_begins_at_a_colombian_midnight() {
        let request = |desde: &str| GenerateRequest { created_by: "Ana".into(), params: MergeParams::default(), desde: Some(desde.into()) };
        let ok = request(" 2027-05-01 ").checked().unwrap();
        let ms = ok.params.desde_ms.expect("a start");
        assert_eq!(crate::model::workshop::colombia_date_time(ms), ("2027-05-01".to_string(), "00:00".to_string()));
        assert_eq!(ok.desde.as_deref(), Some("2027-05-01"));
        assert_eq!(request("1/5/27").checked(), Err(ReviewError::BadDesde));
        assert_eq!(request("").checked().unwrap().params.desde_ms, None, "empty: every mark");
    }

    fn draft(action: ReviewAction, reason: &str, reviewer: &str) -> ReviewDraft {
        ReviewDraft { action, reason: reason.into(), reviewer: reviewer.into() }
    }

    #[test]
    fn a_rejection_needs_a_reason_and_a_reviewer() {
        assert_eq!(draft(ReviewAction::Reject, "  ", "Ana").checked(), Err(ReviewError::ReasonMissing));
        assert_eq!(draft(ReviewAction::Reject, "Duplicada", " ").checked(), Err(ReviewError::ReviewerMissing));
        let ok = draft(ReviewAction::Reject, "  Marca de prueba del taller ", " Ana ").checked().expect("valid");
        assert_eq!((ok.reason.as_str(), ok.reviewer.as_str()), ("Marca de prueba del taller", "Ana"));
        assert!(draft(ReviewAction::Restore, "", "Ana").checked().is_ok(), "restoring needs no reason");
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        let err = draft(ReviewAction::Reject, &long, "Ana").checked().unwrap_err();
        assert_eq!((err.code(), err.field()), ("reason_too_long", "reason"));
        assert!(err.es().contains("501") && err.en().ends_with('.'));
    }

    #[test]
    fn generating_takes_the_default_thresholds_and_refuses_absurd_ones() {
        let request: GenerateRequest = serde_json::from_str(r#"{"created_by":" Ana "}"#).expect("defaults");
        let ok = request.checked().expect("valid");
        assert_eq!((ok.created_by.as_str(), ok.params), ("Ana", MergeParams::default()));
        let zero: GenerateRequest = serde_json::from_str(r#"{"created_by":"Ana","params":{"point_radius_m":0}}"#).expect("parses");
        let err = zero.checked().unwrap_err();
        assert_eq!((err.code(), err.field()), ("param_out_of_range", "params.point_radius_m"));
        assert!(err.es().contains("entre 1 y 1000"));
        assert!(serde_json::from_str::<GenerateRequest>(r#"{"created_by":"Ana","params":{"point_radius_m":"50"}}"#).is_err(), "wrong type");
    }

    #[test]
    fn unknown_members_and_actions_are_refused() {
        assert!(serde_json::from_str::<ReviewDraft>(r#"{"action":"reject","reason":"x","reviewer":"A","extra":1}"#).is_err());
        assert!(serde_json::from_str::<ReviewDraft>(r#"{"action":"borrar","reviewer":"A"}"#).is_err());
        assert_eq!(ReviewAction::from_code(ReviewAction::Reject.code()), Some(ReviewAction::Reject));
    }
}
