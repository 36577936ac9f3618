//! Staff corrections to the merge: join hotspots the engine kept apart, separate marks it put
//! together, and notes on hotspots — each kept with who and when. A stored diagnóstico never
//! changes, so corrections apply from the next version on; a correction is undone by
//! cancelling it, which is recorded too.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::diagnostico::GeometryKind;
use super::review::{checked_reviewer, ReviewError, MAX_REASON_CHARS};

/// The most marks one correction may name: a hotspot rarely has more than a few dozen, and a
/// thousand ids (about 39 KB of JSON) stay within the API's body limit.
pub const MAX_ADJUSTMENT_MARKS: usize = 1_000;
/// Longest note on a hotspot.
pub const MAX_NOTE_CHARS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentAction {
    /// The hotspots holding these marks become one (same category and geometry kind only).
    Join,
    /// These marks leave their hotspot and make one of their own.
    Separate,
}

impl AdjustmentAction {
    pub fn code(self) -> &'static str {
        match self {
            AdjustmentAction::Join => "join",
            AdjustmentAction::Separate => "separate",
        }
    }

    pub fn from_code(code: &str) -> Option<AdjustmentAction> {
        match code {
            "join" => Some(AdjustmentAction::Join),
            "separate" => Some(AdjustmentAction::Separate),
            _ => None,
        }
    }
}

/// A correction as asked for (`POST /api/v1/barrios/{id}/adjustments`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentDraft {
    pub action: AdjustmentAction,
    /// For a join, the marks of every hotspot to join (all of them, so the join still holds
    /// when one of them is later deleted or rejected); for a separation, the marks to take out.
    pub mark_ids: Vec<Uuid>,
    /// Why (optional): what the next reviewer reads.
    #[serde(default)]
    pub reason: String,
    /// Who decided: the server writes the signed-in account's name here, whatever was sent.
    #[serde(default)]
    pub reviewer: String,
}

/// A cancellation of a correction (`POST /api/v1/barrios/{id}/adjustments/{seq}/cancel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelDraft {
    #[serde(default)]
    pub reason: String,
    /// Written by the server: the signed-in account's name.
    #[serde(default)]
    pub reviewer: String,
}

/// Who cancelled a correction, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub reviewer: String,
    pub reason: String,
    pub at_ms: i64,
}

/// A correction as stored. In force while `cancelled` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    /// Its number in the order corrections were made; the engine applies them in that order.
    pub seq: i64,
    pub barrio_id: i64,
    pub action: AdjustmentAction,
    /// Sorted, without repeats.
    pub mark_ids: Vec<Uuid>,
    pub reason: String,
    pub reviewer: String,
    pub at_ms: i64,
    #[serde(default)]
    pub cancelled: Option<Cancellation>,
}

impl Adjustment {
    pub fn in_force(&self) -> bool {
        self.cancelled.is_none()
    }
}

/// A note on a hotspot (`POST /api/v1/barrios/{id}/notes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteDraft {
    /// The diagnóstico version in which the hotspot was seen.
    pub diagnostico: u32,
    pub hotspot_id: Uuid,
    pub text: String,
    /// Written by the server: the signed-in account's name.
    #[serde(default)]
    pub author: String,
}

/// A note as stored. It belongs to the marks of the hotspot it was written on, so it is shown
/// again on any later hotspot that holds one of them, even after the hotspot changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotspotNote {
    pub seq: i64,
    pub barrio_id: i64,
    pub diagnostico: u32,
    pub hotspot_id: Uuid,
    /// The hotspot's marks when the note was written, sorted.
    pub mark_ids: Vec<Uuid>,
    pub text: String,
    pub author: String,
    pub at_ms: i64,
}

/// Whether two sorted lists share an element.
pub fn shares_any(a: &[Uuid], b: &[Uuid]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    false
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum AdjustmentError {
    #[error("name at least one mark")]
    NoMarks,
    #[error("a join needs the marks of at least two hotspots")]
    JoinNeedsTwo,
    #[error("{0} marks named; at most {MAX_ADJUSTMENT_MARKS}")]
    TooManyMarks(usize),
    #[error("mark {0} is not a live mark of this barrio")]
    UnknownMark(Uuid),
    #[error("only hotspots of one category and one kind (point, route or zone) can be joined")]
    MixedJoin,
    #[error("the note is empty")]
    NoteMissing,
    #[error("the note has {0} characters; at most {MAX_NOTE_CHARS}")]
    NoteTooLong(usize),
    #[error("diagnóstico {0} has no hotspot {1}")]
    UnknownHotspot(u32, Uuid),
    #[error("correction {0} was already cancelled")]
    AlreadyCancelled(i64),
    #[error(transparent)]
    Review(#[from] ReviewError),
}

impl AdjustmentError {
    pub fn code(&self) -> &'static str {
        match self {
            AdjustmentError::NoMarks => "no_marks",
            AdjustmentError::JoinNeedsTwo => "join_needs_two",
            AdjustmentError::TooManyMarks(_) => "too_many_marks",
            AdjustmentError::UnknownMark(_) => "unknown_mark",
            AdjustmentError::MixedJoin => "mixed_join",
            AdjustmentError::NoteMissing => "note_missing",
            AdjustmentError::NoteTooLong(_) => "note_too_long",
            AdjustmentError::UnknownHotspot(..) => "unknown_hotspot",
            AdjustmentError::AlreadyCancelled(_) => "already_cancelled",
            AdjustmentError::Review(e) => e.code(),
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            AdjustmentError::NoMarks
            | AdjustmentError::JoinNeedsTwo
            | AdjustmentError::TooManyMarks(_)
            | AdjustmentError::UnknownMark(_)
            | AdjustmentError::MixedJoin => "mark_ids",
            AdjustmentError::NoteMissing | AdjustmentError::NoteTooLong(_) => "text",
            AdjustmentError::UnknownHotspot(..) => "hotspot_id",
            AdjustmentError::AlreadyCancelled(_) => "seq",
            AdjustmentError::Review(e) => e.field(),
        }
    }
}

impl super::Bilingual for AdjustmentError {
    fn es(&self) -> String {
        match self {
            AdjustmentError::NoMarks => "Seleccione al menos una marca.".into(),
            AdjustmentError::JoinNeedsTwo => "Para unir, seleccione al menos dos puntos críticos.".into(),
            AdjustmentError::TooManyMarks(n) => format!("Se nombraron {n} marcas; el máximo es {MAX_ADJUSTMENT_MARKS}."),
            AdjustmentError::UnknownMark(id) => format!("La marca {id} no es una marca vigente de este barrio."),
            AdjustmentError::MixedJoin => {
                "Solo se pueden unir puntos críticos de la misma categoría y del mismo tipo (punto, ruta o zona).".into()
            }
            AdjustmentError::NoteMissing => "Escriba la nota.".into(),
            AdjustmentError::NoteTooLong(n) => format!("La nota tiene {n} caracteres; el máximo es {MAX_NOTE_CHARS}."),
            AdjustmentError::UnknownHotspot(n, id) => format!("La versión {n} no tiene el punto crítico {id}."),
            AdjustmentError::AlreadyCancelled(seq) => format!("El cambio {seq} ya fue deshecho."),
            AdjustmentError::Review(e) => super::Bilingual::es(e),
        }
    }
    fn en(&self) -> String {
        match self {
            AdjustmentError::Review(e) => super::Bilingual::en(e),
            other => super::sentence(other),
        }
    }
}

fn checked_reason(reason: &str) -> Result<String, ReviewError> {
    let reason = reason.trim();
    let chars = reason.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(ReviewError::ReasonTooLong(chars));
    }
    Ok(reason.to_string())
}

impl AdjustmentDraft {
    /// The draft with its marks sorted and deduplicated and its texts trimmed, or why it
    /// cannot be kept. Whether the marks exist is the store's to check.
    pub fn checked(self) -> Result<AdjustmentDraft, AdjustmentError> {
        let mut mark_ids = self.mark_ids;
        if mark_ids.len() > MAX_ADJUSTMENT_MARKS {
            return Err(AdjustmentError::TooManyMarks(mark_ids.len()));
        }
        mark_ids.sort_unstable();
        mark_ids.dedup();
        match (self.action, mark_ids.len()) {
            (_, 0) => return Err(AdjustmentError::NoMarks),
            (AdjustmentAction::Join, 1) => return Err(AdjustmentError::JoinNeedsTwo),
            _ => {}
        }
        Ok(AdjustmentDraft {
            action: self.action,
            mark_ids,
            reason: checked_reason(&self.reason)?,
            reviewer: checked_reviewer(&self.reviewer)?,
        })
    }
}

impl CancelDraft {
    pub fn checked(self) -> Result<CancelDraft, AdjustmentError> {
        Ok(CancelDraft { reason: checked_reason(&self.reason)?, reviewer: checked_reviewer(&self.reviewer)? })
    }
}

impl NoteDraft {
    pub fn checked(self) -> Result<NoteDraft, AdjustmentError> {
        let text = self.text.trim().to_string();
        let chars = text.chars().count();
        if text.is_empty() {
            return Err(AdjustmentError::NoteMissing);
        }
        if chars > MAX_NOTE_CHARS {
            return Err(AdjustmentError::NoteTooLong(chars));
        }
        Ok(NoteDraft { diagnostico: self.diagnostico, hotspot_id: self.hotspot_id, text, author: checked_reviewer(&self.author)? })
    }
}

/// Whether marks of these (category, kind) pairs may be joined: all the same.
pub fn joinable<'a>(mut groups: impl Iterator<Item = (&'a str, GeometryKind)>) -> bool {
    match groups.next() {
        None => true,
        Some(first) => groups.all(|g| g == first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bilingual;

    fn draft(action: AdjustmentAction, ids: &[u128]) -> AdjustmentDraft {
        AdjustmentDraft {
            action,
            mark_ids: ids.iter().map(|i| Uuid::from_u128(*i)).collect(),
            reason: " ".into(),
            reviewer: " Ana ".into(),
        }
    }

    #[test]
    fn a_join_needs_two_distinct_marks_and_a_separation_one() {
        assert_eq!(draft(AdjustmentAction::Join, &[]).checked(), Err(AdjustmentError::NoMarks));
        assert_eq!(draft(AdjustmentAction::Join, &[7, 7]).checked(), Err(AdjustmentError::JoinNeedsTwo));
        let ok = draft(AdjustmentAction::Join, &[9, 3, 9]).checked().expect("valid");
        assert_eq!(ok.mark_ids, vec![Uuid::from_u128(3), Uuid::from_u128(9)], "sorted, without repeats");
        assert_eq!((ok.reason.as_str(), ok.reviewer.as_str()), ("", "Ana"));
        assert!(draft(AdjustmentAction::Separate, &[4]).checked().is_ok());
        let many: Vec<u128> = (0..=MAX_ADJUSTMENT_MARKS as u128).collect();
        let err = draft(AdjustmentAction::Separate, &many).checked().unwrap_err();
        assert_eq!((err.code(), err.field()), ("too_many_marks", "mark_ids"));
        let mut nameless = draft(AdjustmentAction::Separate, &[1]);
        nameless.reviewer = "  ".into();
        assert_eq!(nameless.checked().unwrap_err().field(), "reviewer");
    }

    #[test]
    fn errors_speak_both_languages() {
        let e = AdjustmentError::MixedJoin;
        assert!(e.es().contains("misma categoría") && e.en().starts_with("Only") && e.en().ends_with('.'));
        let nested = AdjustmentError::from(ReviewError::ReviewerMissing);
        assert_eq!((nested.code(), nested.field()), ("reviewer_missing", "reviewer"));
        assert_eq!(nested.es(), "Falta el nombre de quien revisa.");
    }

    #[test]
    fn a_note_needs_words_and_an_author() {
        let note = |text: &str| NoteDraft { diagnostico: 1, hotspot_id: Uuid::nil(), text: text.into(), author: "Ana".into() };
        assert_eq!(note("  ").checked(), Err(AdjustmentError::NoteMissing));
        assert_eq!(note(" Verificado en el recorrido ").checked().expect("valid").text, "Verificado en el recorrido");
        assert_eq!(note(&"x".repeat(MAX_NOTE_CHARS + 1)).checked().unwrap_err().code(), "note_too_long");
    }

    #[test]
    fn sorted_lists_share_an_element_or_not() {
        let ids = |v: &[u128]| v.iter().map(|i| Uuid::from_u128(*i)).collect::<Vec<_>>();
        assert!(shares_any(&ids(&[1, 4, 9]), &ids(&[2, 9])));
        assert!(!shares_any(&ids(&[1, 4]), &ids(&[2, 3, 5])));
        assert!(!shares_any(&[], &ids(&[1])));
    }

    #[test]
    fn only_one_category_and_kind_join() {
        assert!(joinable([("hurto_personas", GeometryKind::Point), ("hurto_personas", GeometryKind::Point)].into_iter()));
        assert!(!joinable([("hurto_personas", GeometryKind::Point), ("rinas", GeometryKind::Point)].into_iter()));
        assert!(!joinable([("hurto_personas", GeometryKind::Point), ("hurto_personas", GeometryKind::Zone)].into_iter()));
        assert_eq!(AdjustmentAction::from_code(AdjustmentAction::Separate.code()), Some(AdjustmentAction::Separate));
    }
}
