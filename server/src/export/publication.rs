//! The downloads of a published diagnóstico: its cells as GeoJSON (each the square it counts)
//! and as CSV (each at its centre). Only what the publication holds, so nothing more than the
//! public page shows.

use app::model::publication::{rules_es, Publication};
use serde_json::{json, Value};

use super::{colombia_time, csv_of, label_es, named, ColumnType, ExportError};

const CELL_COLUMNS: [(&str, ColumnType); 6] = [
    ("categoria", ColumnType::Text),
    ("categoria_es", ColumnType::Text),
    ("sensible", ColumnType::Boolean),
    ("marcas", ColumnType::Integer),
    ("participantes", ColumnType::Integer),
    ("celda_m", ColumnType::Integer),
];

fn cell_values(c: &app::model::redaction::PublishedCell) -> Vec<Value> {
    vec![json!(c.category), json!(label_es(&c.category)), json!(c.sensitive), json!(c.marks), json!(c.participants), json!(c.cell_m.round())]
}

/// The publication as a GeoJSON FeatureCollection: a square Polygon per cell, and as foreign
/// members which publication it is, its rules and its approved texts.
pub fn publication_geojson(p: &Publication) -> String {
    let features: Vec<Value> = p
        .cells
        .iter()
        .map(|c| {
            json!({
                "type": "Feature",
                "geometry": { "type": "Polygon", "coordinates": [c.square()] },
                "properties": named(&CELL_COLUMNS, cell_values(c)),
            })
        })
        .collect();
    let texts: Vec<Value> = p.texts.iter().map(|t| json!({ "tipo": t.kind.label_es(), "categoria": t.category, "texto": t.text })).collect();
    json!({
        "type": "FeatureCollection",
        "barrio": { "id": p.barrio_id, "nombre": p.barrio_name },
        "publicacion": p.number,
        "diagnostico": p.diagnostico_number,
        "publicado": colombia_time(p.published_at_ms),
        "editado_por_seguridad": rules_es(&p.params),
        "marcas_sensibles_omitidas": p.totals.suppressed_marks,
        "textos": texts,
        "features": features,
    })
    .to_string()
}

/// The publication's cells as CSV, one row per cell, at the cell's centre.
pub fn publication_csv(p: &Publication) -> Result<Vec<u8>, ExportError> {
    let centres: Vec<geojson::Geometry> = p.cells.iter().map(|c| geojson::Geometry::new(geojson::Value::Point(vec![c.lon, c.lat]))).collect();
    Ok(csv_of(&CELL_COLUMNS, p.cells.iter().zip(&centres).map(|(c, g)| (cell_values(c), g)))?)
}
