//! Exports of a stored diagnóstico for the tools staff use: its hotspots as GeoJSON (RFC 7946,
//! WGS84 lon/lat, for QGIS or ArcGIS) and as CSV for spreadsheets. Pure: data in, bytes out.

use app::model::diagnostico::{GeometryKind, Hotspot};
use app::model::review::StoredDiagnostico;
use app::model::Category;
use serde_json::{json, Map, Value};

/// A date and time as Santa Marta reads it (UTC−5, no daylight saving), e.g.
/// `2026-11-25 10:30`; empty when out of range.
pub fn colombia_time(ms: i64) -> String {
    let (date, time) = app::model::workshop::colombia_date_time(ms);
    // A year past 9999 is no date a spreadsheet reads.
    if date.len() == 10 {
        format!("{date} {time}")
    } else {
        String::new()
    }
}

fn label_es(code: &str) -> &str {
    Category::by_code(code).map(|c| c.label_es).unwrap_or(code)
}

fn kind_es(kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Point => "punto",
        GeometryKind::Route => "ruta",
        GeometryKind::Zone => "zona",
    }
}

/// The columns every export gives a hotspot, in order.
const COLUMNS: [&str; 14] = [
    "hotspot_id",
    "categoria",
    "categoria_es",
    "tipo",
    "sensible",
    "marcas",
    "participantes",
    "talleres",
    "primer_reporte",
    "ultimo_reporte",
    "manana",
    "tarde",
    "noche",
    "madrugada",
];

/// A hotspot's values for [`COLUMNS`].
fn values(h: &Hotspot) -> [Value; 14] {
    [
        json!(h.id),
        json!(h.category),
        json!(label_es(&h.category)),
        json!(kind_es(h.geometry_kind)),
        json!(h.sensitive),
        json!(h.count),
        json!(h.participants),
        json!(h.workshops),
        json!(colombia_time(h.first_reported_ms)),
        json!(colombia_time(h.last_reported_ms)),
        json!(h.times.manana),
        json!(h.times.tarde),
        json!(h.times.noche),
        json!(h.times.madrugada),
    ]
}

fn properties(h: &Hotspot) -> Map<String, Value> {
    COLUMNS.iter().map(|c| c.to_string()).zip(values(h)).collect()
}

/// The hotspots as a GeoJSON FeatureCollection: one Feature per hotspot with its
/// representative geometry, its counts, and the ids of its source marks.
pub fn hotspots_geojson(stored: &StoredDiagnostico, barrio_name: &str) -> String {
    let features: Vec<Value> = stored
        .diagnostico
        .hotspots
        .iter()
        .map(|h| {
            let mut p = properties(h);
            p.insert("marcas_fuente".into(), json!(h.source_ids));
            json!({ "type": "Feature", "id": h.id, "geometry": h.geometry, "properties": p })
        })
        .collect();
    let collection = json!({
        "type": "FeatureCollection",
        // Foreign members (RFC 7946 §6.1): which diagnóstico this is.
        "barrio": { "id": stored.barrio_id, "nombre": barrio_name },
        "diagnostico": stored.number,
        "generado": colombia_time(stored.created_at_ms),
        "features": features,
    });
    collection.to_string()
}

/// A representative point of a hotspot for a spreadsheet: the point itself, or the middle
/// vertex of a route or zone (close to it and always on it, unlike a centroid).
fn anchor(h: &Hotspot) -> Option<(f64, f64)> {
    use geojson::Value as G;
    let pos = |p: &Vec<f64>| Some((*p.first()?, *p.get(1)?));
    match &h.geometry.value {
        G::Point(p) => pos(p),
        G::LineString(line) => line.get(line.len() / 2).and_then(pos),
        G::Polygon(rings) => rings.first().and_then(|r| r.get(r.len() / 2)).and_then(pos),
        _ => None,
    }
}

/// A spreadsheet would run a cell that starts like a formula: such text is prefixed with an
/// apostrophe (OWASP's advice against CSV injection).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The hotspots as CSV: UTF-8 with a byte-order mark (so Excel shows the accents), comma
/// separated, one row per hotspot, with a point's longitude and latitude.
pub fn hotspots_csv(stored: &StoredDiagnostico) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from(b"\xEF\xBB\xBF".as_slice());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(COLUMNS.iter().chain(["longitud", "latitud"].iter()))?;
        for h in &stored.diagnostico.hotspots {
            let mut row: Vec<String> = values(h)
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => cell(&s),
                    other => other.to_string(),
                })
                .collect();
            let (lon, lat) = anchor(h).map(|(x, y)| (x.to_string(), y.to_string())).unwrap_or_default();
            row.extend([lon, lat]);
            w.write_record(&row)?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::diagnostico::{hotspot_id, Diagnostico, MergeParams, Totals, ENGINE_VERSION};
    use uuid::Uuid;

    fn stored(hotspots: Vec<Hotspot>) -> StoredDiagnostico {
        StoredDiagnostico {
            barrio_id: 7,
            number: 2,
            created_at_ms: 1_795_600_000_000,
            created_by: "Ana".into(),
            diagnostico: Diagnostico {
                barrio_id: 7,
                engine_version: ENGINE_VERSION,
                params: MergeParams::default(),
                hotspots,
                causes: vec![],
                solutions_by_institution: vec![],
                totals: Totals::default(),
                adjustments: vec![],
            },
        }
    }

    fn hotspot(category: &str, geometry: geojson::Value) -> Hotspot {
        let source_ids = vec![Uuid::from_u128(1), Uuid::from_u128(2)];
        let times = app::model::TimeProfile { noche: 2, ..Default::default() };
        Hotspot {
            id: hotspot_id(&source_ids),
            barrio_id: 7,
            category: category.into(),
            sensitive: false,
            geometry_kind: GeometryKind::Point,
            geometry: geojson::Geometry::new(geometry),
            count: 2,
            participants: 2,
            workshops: 1,
            first_reported_ms: 1_795_600_000_000,
            last_reported_ms: 1_795_686_400_000,
            times,
            days: Default::default(),
            frequency: Default::default(),
            since: Default::default(),
            affected: Default::default(),
            source_ids,
            adjustments: vec![],
        }
    }

    #[test]
    fn dates_are_written_in_colombian_time() {
        // 2026-11-25 15:30 UTC is 10:30 in Santa Marta.
        assert_eq!(colombia_time(1_795_620_600_000), "2026-11-25 10:30");
        assert_eq!(colombia_time(i64::MAX), "");
    }

    #[test]
    fn the_csv_opens_in_a_spreadsheet_with_accents_and_a_row_per_hotspot() {
        let csv = hotspots_csv(&stored(vec![hotspot("hurto_personas", geojson::Value::Point(vec![-74.2, 11.24]))])).expect("csv");
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
        let text = String::from_utf8(csv[3..].to_vec()).expect("utf-8");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
        assert_eq!(header.len(), COLUMNS.len() + 2);
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
        assert_eq!(rows.len(), 1);
        let get = |name: &str| rows[0].get(header.iter().position(|h| h == name).expect(name)).unwrap_or_default().to_string();
        assert_eq!(get("categoria_es"), "Hurto a personas");
        assert_eq!((get("marcas"), get("noche"), get("tipo")), ("2".into(), "2".into(), "punto".into()));
        assert_eq!((get("longitud"), get("latitud")), ("-74.2".into(), "11.24".into()));
        assert_eq!(get("primer_reporte"), "2026-11-25 04:46");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_defused() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(cell("-1+1"), "'-1+1");
        assert_eq!(cell("Hurto"), "Hurto");
    }

    #[test]
    fn the_geojson_is_a_feature_collection_with_the_sources_of_each_hotspot() {
        let text = hotspots_geojson(&stored(vec![hotspot("rinas", geojson::Value::Point(vec![-74.2, 11.24]))]), "Pescaíto");
        let fc: geojson::FeatureCollection = text.parse().expect("valid GeoJSON");
        assert_eq!(fc.features.len(), 1);
        let p = fc.features[0].properties.as_ref().expect("properties");
        assert_eq!((p["categoria"].as_str(), p["marcas"].as_u64()), (Some("rinas"), Some(2)));
        assert_eq!(p["marcas_fuente"].as_array().map(Vec::len), Some(2));
        let raw: Value = serde_json::from_str(&text).expect("json");
        assert_eq!((raw["barrio"]["nombre"].as_str(), raw["diagnostico"].as_u64()), (Some("Pescaíto"), Some(2)));
        assert!(raw.get("crs").is_none(), "RFC 7946 has no crs member");
    }
}
