//! The source marks of a diagnóstico, each in the version the diagnóstico was made from and
//! with the hotspot it fell in: their columns, and their GeoJSON and CSV exports.

use std::collections::HashMap;

use app::model::review::StoredDiagnostico;
use app::model::{Category, Mark};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{collection, colombia_time, csv_of, kind_es, kind_of, label_es, media_property, named, ColumnType, ExportError, MediaPaths};

/// A mark as a diagnóstico counted it, with the hotspot it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMark {
    pub hotspot_id: Uuid,
    pub mark: Mark,
}

/// The marks of `stored`'s hotspots, in the hotspots' order and then by id, each with its
/// hotspot. `versions` holds the version of each mark to use, in any order; a mark missing
/// from it is left out.
pub fn source_marks(stored: &StoredDiagnostico, versions: Vec<Mark>) -> Vec<SourceMark> {
    let mut by_id: HashMap<Uuid, Mark> = versions.into_iter().map(|m| (m.id, m)).collect();
    stored
        .diagnostico
        .hotspots
        .iter()
        .flat_map(|h| h.source_ids.iter().map(move |id| (h.id, id)))
        .filter_map(|(hotspot_id, id)| by_id.remove(id).map(|mark| SourceMark { hotspot_id, mark }))
        .collect()
}

/// The columns every export gives a source mark, in order. Attributes are their Spanish
/// labels, several joined by ", " (as a person reads them in QGIS or a spreadsheet).
pub(super) const MARK_COLUMNS: [(&str, ColumnType); 16] = [
    ("id", ColumnType::Text),
    ("hotspot_id", ColumnType::Text),
    ("version", ColumnType::Integer),
    ("categoria", ColumnType::Text),
    ("categoria_es", ColumnType::Text),
    ("tipo", ColumnType::Text),
    ("sensible", ColumnType::Boolean),
    ("alias", ColumnType::Text),
    ("descripcion", ColumnType::Text),
    ("workshop_id", ColumnType::Text),
    ("creado", ColumnType::Text),
    ("momento_del_dia", ColumnType::Text),
    ("dias", ColumnType::Text),
    ("frecuencia", ColumnType::Text),
    ("desde", ColumnType::Text),
    ("afectados", ColumnType::Text),
];

fn labels<T: Copy>(choices: &[T], label: fn(T) -> &'static str) -> String {
    choices.iter().map(|c| label(*c)).collect::<Vec<_>>().join(", ")
}

/// A source mark's values for [`MARK_COLUMNS`].
pub(super) fn mark_values(s: &SourceMark) -> [Value; 16] {
    let m = &s.mark;
    let a = &m.attributes;
    // An unknown category counts as sensitive, as in the hotspots.
    let sensitive = Category::by_code(&m.category).map(|c| c.sensitive).unwrap_or(true);
    [
        json!(m.id),
        json!(s.hotspot_id),
        json!(m.version),
        json!(m.category),
        json!(label_es(&m.category)),
        json!(kind_of(&m.geometry).map(kind_es).unwrap_or_default()),
        json!(sensitive),
        json!(m.alias),
        json!(m.description),
        json!(m.workshop_id),
        json!(colombia_time(m.created_at_ms)),
        json!(labels(&a.times, |t| t.label_es())),
        json!(labels(&a.days, |d| d.label_es())),
        json!(a.frequency.map(|f| f.label_es()).unwrap_or_default()),
        json!(a.since.map(|s| s.label_es()).unwrap_or_default()),
        json!(labels(&a.affected, |x| x.label_es())),
    ]
}

/// The source marks as a GeoJSON FeatureCollection (RFC 7946): one Feature per mark, with
/// its own geometry and the hotspot it is in.
pub fn marks_geojson(stored: &StoredDiagnostico, marks: &[SourceMark], barrio_name: &str) -> String {
    marks_geojson_with(stored, marks, barrio_name, None)
}

/// [`marks_geojson`]; with `media`, each mark also lists in `media` its files (as in a
/// diagnóstico's archive).
pub fn marks_geojson_with(stored: &StoredDiagnostico, marks: &[SourceMark], barrio_name: &str, media: Option<&MediaPaths>) -> String {
    let features = marks
        .iter()
        .map(|s| {
            let mut p = named(&MARK_COLUMNS, mark_values(s));
            if let Some(media) = media {
                p.insert("media".into(), media_property(media, [&s.mark.id]));
            }
            json!({ "type": "Feature", "id": s.mark.id, "geometry": s.mark.geometry, "properties": p })
        })
        .collect();
    collection(stored, barrio_name, features)
}

/// The source marks as CSV, one row per mark (see [`csv_of`](super::csv_of)).
pub fn marks_csv(marks: &[SourceMark]) -> Result<Vec<u8>, ExportError> {
    Ok(csv_of(&MARK_COLUMNS, marks.iter().map(|s| (mark_values(s).to_vec(), &s.mark.geometry)))?)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use app::model::{Affected, Attributes, Frequency, TimeOfDay};

    pub(in crate::export) fn mark(id: u128, geometry: geojson::Value) -> Mark {
        Mark {
            id: Uuid::from_u128(id),
            barrio_id: 7,
            category: "hurto_personas".into(),
            geometry: geojson::Geometry::new(geometry),
            description: "=cmd|' /C calc'!A0".into(),
            created_at_ms: 1_795_620_600_000,
            alias: "Rosa".into(),
            attributes: Attributes {
                times: vec![TimeOfDay::Night, TimeOfDay::SmallHours],
                frequency: Some(Frequency::Often),
                affected: vec![Affected::Youth],
                ..Default::default()
            },
            version: 2,
            updated_at_ms: 0,
            deleted: false,
            workshop_id: None,
            hlc: None,
        }
    }

    fn stored_with(source_ids: Vec<Uuid>) -> StoredDiagnostico {
        let mut stored =
            super::super::tests::stored(vec![super::super::tests::hotspot("hurto_personas", geojson::Value::Point(vec![-74.2, 11.24]))]);
        stored.diagnostico.hotspots[0].source_ids = source_ids;
        stored
    }

    #[test]
    fn each_mark_is_paired_with_its_hotspot_in_the_hotspots_order() {
        let stored = stored_with(vec![Uuid::from_u128(2), Uuid::from_u128(1)]);
        let hotspot = stored.diagnostico.hotspots[0].id;
        let marks =
            source_marks(&stored, vec![mark(1, geojson::Value::Point(vec![-74.2, 11.24])), mark(9, geojson::Value::Point(vec![0.0, 0.0]))]);
        assert_eq!(marks.len(), 1, "a mark of no hotspot is left out, a missing one skipped");
        assert_eq!((marks[0].mark.id, marks[0].hotspot_id), (Uuid::from_u128(1), hotspot));
    }

    #[test]
    fn the_csv_has_a_row_per_mark_with_labels_and_defused_text() {
        let stored = stored_with(vec![Uuid::from_u128(1)]);
        let marks =
            source_marks(&stored, vec![mark(1, geojson::Value::LineString(vec![vec![-74.2, 11.2], vec![-74.1, 11.3], vec![-74.0, 11.4]]))]);
        let csv = marks_csv(&marks).expect("csv");
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let mut reader = csv::Reader::from_reader(&csv[3..]);
        let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
        assert_eq!(rows.len(), 1);
        let get = |name: &str| rows[0].get(header.iter().position(|h| h == name).expect(name)).unwrap_or_default().to_string();
        assert_eq!(get("hotspot_id"), stored.diagnostico.hotspots[0].id.to_string());
        assert_eq!((get("tipo"), get("version"), get("sensible")), ("ruta".into(), "2".into(), "false".into()));
        assert_eq!(get("momento_del_dia"), "Noche, Madrugada");
        assert_eq!((get("frecuencia"), get("desde"), get("afectados")), ("Frecuente".into(), "".into(), "Jóvenes".into()));
        assert_eq!(get("descripcion"), "'=cmd|' /C calc'!A0", "a formula is defused");
        assert_eq!((get("workshop_id"), get("creado")), ("".into(), "2026-11-25 10:30".into()));
        assert_eq!((get("longitud"), get("latitud")), ("-74.1".into(), "11.3".into()), "the middle vertex");
    }

    #[test]
    fn the_geojson_carries_each_marks_own_geometry_and_hotspot() {
        let stored = stored_with(vec![Uuid::from_u128(1)]);
        let marks = source_marks(&stored, vec![mark(1, geojson::Value::Point(vec![-74.2, 11.24]))]);
        let fc: geojson::FeatureCollection = marks_geojson(&stored, &marks, "Pescaíto").parse().expect("GeoJSON");
        assert_eq!(fc.features.len(), 1);
        let p = fc.features[0].properties.as_ref().expect("properties");
        assert_eq!(p["hotspot_id"], json!(stored.diagnostico.hotspots[0].id));
        assert_eq!((p["alias"].as_str(), p["workshop_id"].is_null()), (Some("Rosa"), true));
        assert_eq!(fc.features[0].geometry.as_ref().map(|g| g.value.clone()), Some(geojson::Value::Point(vec![-74.2, 11.24])));
    }

    #[test]
    fn in_an_archive_each_mark_lists_its_own_files_even_none() {
        let stored = stored_with(vec![Uuid::from_u128(1), Uuid::from_u128(2)]);
        let marks = source_marks(
            &stored,
            vec![mark(1, geojson::Value::Point(vec![-74.2, 11.24])), mark(2, geojson::Value::Point(vec![-74.2001, 11.24]))],
        );
        let media: MediaPaths = [(Uuid::from_u128(2), vec!["media/x.jpg".to_string()])].into_iter().collect();
        let fc: geojson::FeatureCollection = marks_geojson_with(&stored, &marks, "Pescaíto", Some(&media)).parse().expect("GeoJSON");
        let listed: Vec<Value> = fc.features.iter().map(|f| f.properties.as_ref().expect("properties")["media"].clone()).collect();
        assert_eq!(listed, vec![json!([]), json!(["media/x.jpg"])]);
    }
}
