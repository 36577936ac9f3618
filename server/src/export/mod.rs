//! Exports of a stored diagnóstico for the tools staff use: its hotspots and its source marks
//! as GeoJSON (RFC 7946, WGS84 lon/lat), as CSV for spreadsheets, and all of them in one
//! GeoPackage for QGIS or ArcGIS. Pure: data in, bytes out.

pub mod archive;
pub mod gpkg;
mod marks;
mod publication;

use std::collections::HashMap;

use app::model::diagnostico::{GeometryKind, Hotspot};
use app::model::review::StoredDiagnostico;
use app::model::Category;
use serde_json::{json, Map, Value};
use thiserror::Error;

pub use marks::{marks_csv, marks_geojson, marks_geojson_with, source_marks, SourceMark};
pub use publication::{publication_csv, publication_geojson};

/// Why an export could not be written (a bug or a resource limit, never the client's fault).
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("CSV export: {0}")]
    Csv(#[from] csv::Error),
    #[error("GeoPackage export: {0}")]
    Gpkg(#[from] gpkg::GpkgError),
    #[error("ZIP archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("ZIP archive: {0}")]
    Io(#[from] std::io::Error),
}

/// The photos and voice notes of each source mark inside an archive, by mark id: the paths
/// (`media/….jpg`) a GeoJSON's `media` property lists.
pub type MediaPaths = HashMap<uuid::Uuid, Vec<String>>;

/// The `media` property of a feature whose marks are `marks`: their files' paths, in order.
fn media_property<'a>(media: &MediaPaths, marks: impl IntoIterator<Item = &'a uuid::Uuid>) -> Value {
    json!(marks.into_iter().flat_map(|id| media.get(id).into_iter().flatten()).collect::<Vec<_>>())
}

/// What a column holds, for the formats that declare it (GeoPackage); CSV and GeoJSON
/// write the values as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    Boolean,
}

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

/// The kind a geometry is drawn as; `None` for a type marks never have.
fn kind_of(geometry: &geojson::Geometry) -> Option<GeometryKind> {
    match geometry.value {
        geojson::Value::Point(_) => Some(GeometryKind::Point),
        geojson::Value::LineString(_) => Some(GeometryKind::Route),
        geojson::Value::Polygon(_) => Some(GeometryKind::Zone),
        _ => None,
    }
}

fn kind_es(kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Point => "punto",
        GeometryKind::Route => "ruta",
        GeometryKind::Zone => "zona",
    }
}

/// The columns every export gives a hotspot, in order.
const COLUMNS: [(&str, ColumnType); 14] = [
    ("hotspot_id", ColumnType::Text),
    ("categoria", ColumnType::Text),
    ("categoria_es", ColumnType::Text),
    ("tipo", ColumnType::Text),
    ("sensible", ColumnType::Boolean),
    ("marcas", ColumnType::Integer),
    ("participantes", ColumnType::Integer),
    ("talleres", ColumnType::Integer),
    ("primer_reporte", ColumnType::Text),
    ("ultimo_reporte", ColumnType::Text),
    ("manana", ColumnType::Integer),
    ("tarde", ColumnType::Integer),
    ("noche", ColumnType::Integer),
    ("madrugada", ColumnType::Integer),
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

/// Values named by their columns, as GeoJSON properties.
fn named(columns: &[(&str, ColumnType)], values: impl IntoIterator<Item = Value>) -> Map<String, Value> {
    columns.iter().map(|(name, _)| name.to_string()).zip(values).collect()
}

fn properties(h: &Hotspot) -> Map<String, Value> {
    named(&COLUMNS, values(h))
}

/// A FeatureCollection of `features` that says which diagnóstico it comes from.
fn collection(stored: &StoredDiagnostico, barrio_name: &str, features: Vec<Value>) -> String {
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

/// The hotspots as a GeoJSON FeatureCollection: one Feature per hotspot with its
/// representative geometry, its counts, and the ids of its source marks.
pub fn hotspots_geojson(stored: &StoredDiagnostico, barrio_name: &str) -> String {
    hotspots_geojson_with(stored, barrio_name, None)
}

/// [`hotspots_geojson`]; with `media`, each hotspot also lists in `media` the files of its
/// source marks (as in a diagnóstico's archive).
pub fn hotspots_geojson_with(stored: &StoredDiagnostico, barrio_name: &str, media: Option<&MediaPaths>) -> String {
    let features: Vec<Value> = stored
        .diagnostico
        .hotspots
        .iter()
        .map(|h| {
            let mut p = properties(h);
            p.insert("marcas_fuente".into(), json!(h.source_ids));
            if let Some(media) = media {
                p.insert("media".into(), media_property(media, &h.source_ids));
            }
            json!({ "type": "Feature", "id": h.id, "geometry": h.geometry, "properties": p })
        })
        .collect();
    collection(stored, barrio_name, features)
}

/// A representative point of a geometry for a spreadsheet: the point itself, or the middle
/// vertex of a route or zone (close to it and always on it, unlike a centroid).
fn anchor(geometry: &geojson::Geometry) -> Option<(f64, f64)> {
    use geojson::Value as G;
    let pos = |p: &Vec<f64>| Some((*p.first()?, *p.get(1)?));
    match &geometry.value {
        G::Point(p) => pos(p),
        G::LineString(line) => line.get(line.len() / 2).and_then(pos),
        G::Polygon(rings) => rings.first().and_then(|r| r.get(r.len() / 2)).and_then(pos),
        _ => None,
    }
}

/// A spreadsheet would run a cell that starts like a formula: such text is prefixed with an
/// apostrophe (OWASP's advice against CSV injection).
pub(crate) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Rows as CSV: UTF-8 with a byte-order mark (so Excel shows the accents), comma separated,
/// text defused against CSV injection, each row ending with its geometry's anchor longitude
/// and latitude.
fn csv_of<'a>(
    columns: &[(&str, ColumnType)],
    rows: impl IntoIterator<Item = (Vec<Value>, &'a geojson::Geometry)>,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from(b"\xEF\xBB\xBF".as_slice());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(columns.iter().map(|(name, _)| *name).chain(["longitud", "latitud"]))?;
        for (values, geometry) in rows {
            let mut row: Vec<String> = values
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => cell(&s),
                    Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect();
            let (lon, lat) = anchor(geometry).map(|(x, y)| (x.to_string(), y.to_string())).unwrap_or_default();
            row.extend([lon, lat]);
            w.write_record(&row)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The hotspots as CSV ([`csv_of`]), one row per hotspot.
pub fn hotspots_csv(stored: &StoredDiagnostico) -> Result<Vec<u8>, ExportError> {
    Ok(csv_of(&COLUMNS, stored.diagnostico.hotspots.iter().map(|h| (values(h).to_vec(), &h.geometry)))?)
}

/// The two GeoPackage layers of one geometry kind: `(table, title)` of the hotspots' layer
/// and of the source marks' layer.
struct KindLayers {
    kind: GeometryKind,
    geometry_type: gpkg::GeometryType,
    hotspots: (&'static str, &'static str),
    marks: (&'static str, &'static str),
}

/// A layer per geometry kind, because QGIS handles mixed layers badly.
const GPKG_LAYERS: [KindLayers; 3] = [
    KindLayers {
        kind: GeometryKind::Point,
        geometry_type: gpkg::GeometryType::Point,
        hotspots: ("puntos_criticos", "Puntos críticos"),
        marks: ("marcas_puntos", "Marcas (puntos)"),
    },
    KindLayers {
        kind: GeometryKind::Route,
        geometry_type: gpkg::GeometryType::LineString,
        hotspots: ("rutas_criticas", "Rutas críticas"),
        marks: ("marcas_rutas", "Marcas (rutas)"),
    },
    KindLayers {
        kind: GeometryKind::Zone,
        geometry_type: gpkg::GeometryType::Polygon,
        hotspots: ("zonas_criticas", "Zonas críticas"),
        marks: ("marcas_zonas", "Marcas (zonas)"),
    },
];

/// A geometry as the writer takes it; `None` when it cannot be one (the merge never makes such).
fn gpkg_geometry(g: &geojson::Geometry) -> Option<geo::Geometry<f64>> {
    geo::Geometry::<f64>::try_from(g.value.clone()).ok()
}

/// The diagnóstico as a GeoPackage: its hotspots and its source marks ([`source_marks`]), a
/// layer per geometry kind each, with the columns of the CSV exports. Every layer is there
/// even when empty, so a QGIS project made on one version opens every other.
pub fn diagnostico_gpkg(stored: &StoredDiagnostico, marks: &[SourceMark], barrio_name: &str) -> Result<Vec<u8>, ExportError> {
    let title = |what: &str| format!("{what} — diagnóstico {} de {barrio_name}", stored.number);
    // Hotspot layers first, then the marks': the order GIS tools list them in.
    let (mut layers, mut mark_layers) = (Vec::new(), Vec::new());
    for KindLayers { kind, geometry_type, hotspots: (hotspot_table, hotspot_title), marks: (mark_table, mark_title) } in GPKG_LAYERS {
        let hotspots = stored.diagnostico.hotspots.iter().filter(|h| kind_of(&h.geometry) == Some(kind));
        let features = hotspots.filter_map(|h| Some(gpkg::Feature { geometry: gpkg_geometry(&h.geometry)?, values: values(h).to_vec() }));
        layers.push(gpkg::Layer {
            table: hotspot_table,
            identifier: title(hotspot_title),
            description: "Puntos críticos del diagnóstico: las marcas sobre el mismo lugar, con cuántas son y cuándo pasa.".into(),
            geometry_type,
            columns: &COLUMNS,
            features: features.collect(),
        });
        let kind_marks = marks.iter().filter(|s| kind_of(&s.mark.geometry) == Some(kind));
        let features = kind_marks
            .filter_map(|s| Some(gpkg::Feature { geometry: gpkg_geometry(&s.mark.geometry)?, values: marks::mark_values(s).to_vec() }));
        mark_layers.push(gpkg::Layer {
            table: mark_table,
            identifier: title(mark_title),
            description: "Las marcas de los participantes, tal como estaban al generar el diagnóstico, con el punto crítico al que pertenecen (hotspot_id).".into(),
            geometry_type,
            columns: &marks::MARK_COLUMNS,
            features: features.collect(),
        });
    }
    layers.append(&mut mark_layers);
    Ok(gpkg::write(&layers, stored.created_at_ms)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::diagnostico::{hotspot_id, Diagnostico, MergeParams, Totals, ENGINE_VERSION};
    use uuid::Uuid;

    pub(super) fn stored(hotspots: Vec<Hotspot>) -> StoredDiagnostico {
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

    pub(super) fn hotspot(category: &str, geometry: geojson::Value) -> Hotspot {
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
    fn the_geopackage_puts_hotspots_and_marks_in_a_layer_per_geometry_kind() {
        let mut route = hotspot("alumbrado_deficiente", geojson::Value::LineString(vec![vec![-74.2, 11.24], vec![-74.19, 11.24]]));
        route.geometry_kind = GeometryKind::Route;
        route.source_ids = vec![Uuid::from_u128(3)];
        let stored = stored(vec![hotspot("rinas", geojson::Value::Point(vec![-74.2, 11.24])), route]);
        let versions = vec![
            marks::tests::mark(1, geojson::Value::Point(vec![-74.2, 11.24])),
            marks::tests::mark(2, geojson::Value::Point(vec![-74.2001, 11.24])),
            marks::tests::mark(3, geojson::Value::LineString(vec![vec![-74.2, 11.24], vec![-74.19, 11.24]])),
        ];
        let bytes = diagnostico_gpkg(&stored, &source_marks(&stored, versions), "Pescaíto").expect("gpkg");
        let mut c = rusqlite::Connection::open_in_memory().expect("open");
        c.deserialize_read_exact(rusqlite::MAIN_DB, bytes.as_slice(), bytes.len(), true).expect("a database");
        let count = |table: &str| c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0)).expect(table);
        let counts: Vec<i64> =
            ["puntos_criticos", "rutas_criticas", "zonas_criticas", "marcas_puntos", "marcas_rutas", "marcas_zonas"].map(count).to_vec();
        assert_eq!(counts, vec![1, 1, 0, 2, 1, 0]);
        let (identifier, category): (String, String) = c
            .query_row(
                "SELECT identifier, (SELECT categoria_es FROM rutas_criticas) FROM gpkg_contents WHERE table_name = 'rutas_criticas'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("row");
        assert_eq!(identifier, "Rutas críticas — diagnóstico 2 de Pescaíto");
        assert_eq!(category, "Alumbrado deficiente");
        let columns = |table: &str| c.prepare(&format!("SELECT * FROM {table}")).expect(table).column_count();
        assert_eq!(columns("puntos_criticos"), 2 + COLUMNS.len(), "fid, geom and the CSV's columns");
        assert_eq!(columns("marcas_zonas"), 2 + marks::MARK_COLUMNS.len());
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

    #[test]
    fn in_an_archive_each_hotspot_lists_the_files_of_its_marks_and_is_otherwise_the_same() {
        let stored = stored(vec![hotspot("rinas", geojson::Value::Point(vec![-74.2, 11.24]))]);
        let media: MediaPaths = [
            (Uuid::from_u128(2), vec!["media/b.jpg".to_string(), "media/c.ogg".to_string()]),
            (Uuid::from_u128(1), vec!["media/a.jpg".to_string()]),
            (Uuid::from_u128(9), vec!["media/not-a-source.jpg".to_string()]),
        ]
        .into_iter()
        .collect();
        let mut with: Value = serde_json::from_str(&hotspots_geojson_with(&stored, "Pescaíto", Some(&media))).expect("json");
        let listed = with["features"][0]["properties"].as_object_mut().expect("properties").remove("media").expect("media");
        assert_eq!(listed, json!(["media/a.jpg", "media/b.jpg", "media/c.ogg"]), "in the order of the source marks");
        let without: Value = serde_json::from_str(&hotspots_geojson(&stored, "Pescaíto")).expect("json");
        assert_eq!(with, without);
    }
}
