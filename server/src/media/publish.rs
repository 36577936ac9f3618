//! The rules of staff's decisions on photos and voice notes, and of what the public may see:
//! no voice and no photo of a sensitive mark is ever published; a public photo says its month,
//! never its alias, mark, workshop or exact time.

use app::model::media::{MediaDecision, MediaError, MediaKind, PublicPhoto, RecordKind};
use app::model::Category;
use uuid::Uuid;

/// Whether a file hangs on a mark of a sensitive category. An unknown category, or a mark
/// that cannot be found, counts as sensitive; a workshop's files hang on no mark.
pub fn sensitive(record: RecordKind, category: Option<&str>) -> bool {
    record == RecordKind::Mark && category.is_none_or(Category::is_sensitive)
}

/// Refuses a decision that would publish what may never be: a voice note, or a photo of a
/// sensitive mark. Choosing any file for the report's annex is always allowed.
pub fn check(decision: &MediaDecision, kind: MediaKind, sensitive: bool) -> Result<(), MediaError> {
    match (decision.publish, kind) {
        (false, _) => Ok(()),
        (true, MediaKind::Voice) => Err(MediaError::VoiceNeverPublished),
        (true, MediaKind::Photo) if sensitive => Err(MediaError::SensitiveNeverPublished),
        (true, MediaKind::Photo) => Ok(()),
    }
}

/// The month (`YYYY-MM`, Colombian time) a photo was taken, as its device said, but never
/// later than the server received it (a phone's clock may run ahead); empty when out of range.
pub fn month(captured_at_ms: i64, received_at_ms: i64) -> String {
    let (date, _) = app::model::workshop::colombia_date_time(captured_at_ms.min(received_at_ms));
    if date.len() == 10 {
        date[..7].to_string()
    } else {
        String::new()
    }
}

/// A published photo as anyone reads it: its public file routes, its size and its month.
pub fn public_photo(id: Uuid, width: Option<u32>, height: Option<u32>, captured_at_ms: i64, received_at_ms: i64) -> PublicPhoto {
    let url = format!("/api/v1/public/media/{id}");
    PublicPhoto { id, thumb_url: format!("{url}/thumb"), url, width, height, month: month(captured_at_ms, received_at_ms) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISH: MediaDecision = MediaDecision { in_report: false, publish: true };
    const REPORT_ONLY: MediaDecision = MediaDecision { in_report: true, publish: false };

    #[test]
    fn a_mark_of_a_sensitive_or_unknown_category_is_sensitive_and_a_workshop_is_not() {
        assert!(!sensitive(RecordKind::Mark, Some("parque")));
        assert!(sensitive(RecordKind::Mark, Some("expendio_sustancias")));
        assert!(sensitive(RecordKind::Mark, Some("no_such_category")));
        assert!(sensitive(RecordKind::Mark, None), "a mark that cannot be found");
        assert!(!sensitive(RecordKind::Workshop, None));
    }

    #[test]
    fn voices_and_photos_of_sensitive_marks_are_never_published_but_may_go_in_the_report() {
        assert_eq!(check(&PUBLISH, MediaKind::Photo, false), Ok(()));
        assert_eq!(check(&PUBLISH, MediaKind::Voice, false), Err(MediaError::VoiceNeverPublished));
        assert_eq!(check(&PUBLISH, MediaKind::Voice, true), Err(MediaError::VoiceNeverPublished), "a voice first");
        assert_eq!(check(&PUBLISH, MediaKind::Photo, true), Err(MediaError::SensitiveNeverPublished));
        for kind in [MediaKind::Photo, MediaKind::Voice] {
            assert_eq!(check(&REPORT_ONLY, kind, true), Ok(()));
            assert_eq!(check(&MediaDecision { in_report: false, publish: false }, kind, true), Ok(()));
        }
    }

    #[test]
    fn the_month_is_colombian_and_never_after_the_upload() {
        // 2026-12-01 03:00 UTC is still 30 November in Santa Marta.
        assert_eq!(month(1_796_094_000_000, 1_796_094_000_000), "2026-11");
        assert_eq!(month(1_796_094_000_000 + 86_400_000, 1_796_094_000_000), "2026-11", "a clock ahead");
        assert_eq!(month(i64::MAX, i64::MAX), "");
    }

    #[test]
    fn a_public_photo_points_at_the_public_routes_and_says_nothing_else() {
        let id = Uuid::from_u128(7);
        let photo = public_photo(id, Some(640), Some(480), 1_796_094_000_000, 1_796_094_000_000);
        assert_eq!(photo.url, format!("/api/v1/public/media/{id}"));
        assert_eq!(photo.thumb_url, format!("/api/v1/public/media/{id}/thumb"));
        let json = serde_json::to_value(&photo).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 6, "{keys:?}");
        assert_eq!(json["month"], "2026-11");
    }
}
