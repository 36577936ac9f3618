//! The "Archivo fotográfico" annex of a printed diagnóstico: the photos staff chose, of the
//! marks behind this version's hotspots, in the order the report ranks those hotspots.

use uuid::Uuid;

use super::diagnostico::{Diagnostico, Hotspot};
use super::media::{MediaItem, MediaKind};
use super::report::{date_es, ranked_others, ranked_problems};
use super::Category;

/// One photo of the annex, with its caption's facts (never an alias).
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexPhoto {
    pub id: Uuid,
    pub url: String,
    /// "Hurto a personas".
    pub category_es: String,
    /// The category's code, for the page's markers.
    pub category: String,
    /// The day it was taken, "21/11/2026".
    pub date_es: String,
}

/// The photos marked for the report whose mark lies behind one of `d`'s hotspots, grouped by
/// hotspot in the report's ranking (problems first) and by time within each. A photo of a mark
/// no hotspot holds (rejected, or of another barrio) is left out.
pub fn annex_photos(d: &Diagnostico, media: &[MediaItem]) -> Vec<AnnexPhoto> {
    let order: Vec<&Hotspot> = ranked_problems(d).into_iter().chain(ranked_others(d)).collect();
    let mut out = Vec::new();
    for h in order {
        let mut photos: Vec<&MediaItem> =
            media.iter().filter(|m| m.kind == MediaKind::Photo && m.in_report && h.source_ids.contains(&m.record.id)).collect();
        photos.sort_by_key(|m| (m.captured_at_ms, m.id));
        for m in photos {
            if out.iter().any(|p: &AnnexPhoto| p.id == m.id) {
                continue;
            }
            out.push(AnnexPhoto {
                id: m.id,
                url: m.url.clone(),
                category_es: Category::by_code(&h.category).map_or("Otra categoría", |c| c.label_es).to_string(),
                category: h.category.clone(),
                date_es: date_es(m.captured_at_ms),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::fixtures::{diagnostico, hotspot};
    use crate::model::media::{RecordKind, RecordRef};

    fn photo(n: u128, mark: u128, at: i64, in_report: bool) -> MediaItem {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(n), "record": RecordRef { kind: RecordKind::Mark, id: Uuid::from_u128(mark) },
            "kind": "photo", "mime": "image/jpeg", "bytes": 1000, "captured_at_ms": at, "received_at_ms": at,
            "alias": "Secreto", "url": format!("/api/v1/media/{n}"), "in_report": in_report,
        }))
        .expect("a media item")
    }

    #[test]
    fn only_chosen_photos_of_this_versions_marks_in_the_reports_order() {
        // The robbery hotspot (3 marks) ranks before the dark alley (1 mark).
        let d = diagnostico(vec![hotspot("callejon_oscuro", &[20]), hotspot("hurto_personas", &[10, 11, 12])]);
        let media = vec![
            photo(1, 20, 5, true),
            photo(2, 11, 9, true),
            photo(3, 10, 7, true),
            photo(4, 12, 1, false), // not chosen
            photo(5, 99, 1, true),  // a mark no hotspot holds
        ];
        let annex = annex_photos(&d, &media);
        let ids: Vec<u128> = annex.iter().map(|p| p.id.as_u128()).collect();
        assert_eq!(ids, vec![3, 2, 1]);
        assert_eq!(annex[0].category_es, "Hurto a personas");
        assert_eq!(annex[2].category, "callejon_oscuro");
    }

    #[test]
    fn voice_notes_never_go_in_the_annex() {
        let d = diagnostico(vec![hotspot("hurto_personas", &[10])]);
        let mut note = photo(1, 10, 0, true);
        note.kind = MediaKind::Voice;
        assert!(annex_photos(&d, &[note]).is_empty());
    }
}
