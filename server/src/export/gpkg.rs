//! A GeoPackage 1.3 writer (OGC 12-128r18): feature layers of one geometry type each, in WGS84
//! lon/lat, with typed attribute columns and an R-tree spatial index, built in memory.
//!
//! The file is an SQLite database made on an in-memory connection and serialised to bytes, so
//! nothing touches the disk and a failed export leaves nothing behind. Geometries are stored
//! as GeoPackageBinary: the `GP` header with the geometry's envelope, then little-endian WKB
//! (written by the georust `wkb` crate).

use geo::BoundingRect;
use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, MAIN_DB};
use serde_json::Value;
use thiserror::Error;
use wkb::writer::{write_geometry, WriteOptions};
use wkb::Endianness;

use super::ColumnType;

/// "GPKG" in ASCII: marks an SQLite file as a GeoPackage (spec §1.1.1.1.1).
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// Version 1.3.0 as the spec asks `user_version` to hold it (major·10000 + minor·100 + patch).
pub const USER_VERSION: i32 = 10300;
/// EPSG:4326, WGS84 longitude/latitude: what every coordinate of Cartobarrio is.
pub const WGS84: i32 = 4326;
/// The geometry column of every layer.
const GEOMETRY_COLUMN: &str = "geom";

/// The WKT of EPSG:4326, as EPSG publishes it for `gpkg_spatial_ref_sys.definition`. The axis
/// order of the CRS is lat/lon, but GeoPackage geometries always store x = longitude.
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],\
AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,\
AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// The mandatory metadata tables (spec Annex C, tables 1–3), the extensions table (table 5)
/// and the three spatial reference systems every GeoPackage has: undefined cartesian (-1),
/// undefined geographic (0), and WGS84.
const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
";

/// The geometry types a layer may hold (one per layer: QGIS handles mixed layers badly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryType {
    Point,
    LineString,
    Polygon,
}

impl GeometryType {
    /// The name in `gpkg_geometry_columns` and in the feature table's declaration.
    pub fn sql_name(self) -> &'static str {
        match self {
            GeometryType::Point => "POINT",
            GeometryType::LineString => "LINESTRING",
            GeometryType::Polygon => "POLYGON",
        }
    }

    fn holds(self, g: &geo::Geometry<f64>) -> bool {
        matches!(
            (self, g),
            (GeometryType::Point, geo::Geometry::Point(_))
                | (GeometryType::LineString, geo::Geometry::LineString(_))
                | (GeometryType::Polygon, geo::Geometry::Polygon(_))
        )
    }
}

/// One row of a layer: its geometry and a value per column (JSON null is SQL NULL).
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub geometry: geo::Geometry<f64>,
    pub values: Vec<Value>,
}

/// A feature table: its name (an SQL identifier), the title and description GIS tools show,
/// its geometry type and columns, and its rows.
#[derive(Debug, Clone)]
pub struct Layer<'a> {
    pub table: &'a str,
    pub identifier: String,
    pub description: String,
    pub geometry_type: GeometryType,
    pub columns: &'a [(&'a str, ColumnType)],
    pub features: Vec<Feature>,
}

#[derive(Debug, Error)]
pub enum GpkgError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("WKB: {0}")]
    Wkb(#[from] wkb::error::WkbError),
    #[error("layer {table}: feature {index} is not a {expected}")]
    WrongGeometry { table: String, index: usize, expected: &'static str },
    #[error("layer {table}: feature {index} has {got} values for {expected} columns")]
    WrongValueCount { table: String, index: usize, got: usize, expected: usize },
}

/// An SQL identifier in double quotes, so a column name can never be read as SQL.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sql_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Text => "TEXT",
        ColumnType::Integer => "INTEGER",
        ColumnType::Boolean => "BOOLEAN",
    }
}

/// A JSON value as the SQL value of a column of type `t` (a boolean is 0 or 1, as the spec
/// stores BOOLEAN).
fn sql_value(t: ColumnType, v: &Value) -> Sql {
    match (t, v) {
        (_, Value::Null) => Sql::Null,
        (ColumnType::Boolean, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
        (ColumnType::Integer | ColumnType::Boolean, Value::Number(n)) => {
            n.as_i64().map(Sql::Integer).unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(f64::NAN)))
        }
        (_, Value::String(s)) => Sql::Text(s.clone()),
        (_, other) => Sql::Text(other.to_string()),
    }
}

/// `[min_x, max_x, min_y, max_y]`: the order of the GeoPackageBinary envelope and the R-tree.
type Envelope = [f64; 4];

fn envelope(g: &geo::Geometry<f64>) -> Option<Envelope> {
    g.bounding_rect().map(|r| [r.min().x, r.max().x, r.min().y, r.max().y])
}

fn union(a: Option<Envelope>, b: Envelope) -> Envelope {
    match a {
        None => b,
        Some(a) => [a[0].min(b[0]), a[1].max(b[1]), a[2].min(b[2]), a[3].max(b[3])],
    }
}

/// A geometry as GeoPackageBinary (spec §2.1.3): magic `GP`, version 0 (= 1), flags, the
/// SRS id, the envelope `[min_x, max_x, min_y, max_y]` (none for an empty geometry, which is
/// flagged instead), then standard WKB. Everything little-endian.
pub fn geometry_blob(g: &geo::Geometry<f64>, srs_id: i32) -> Result<Vec<u8>, GpkgError> {
    // Flags: bit 0 little-endian; bits 1–3 envelope kind (1: x and y); bit 4 empty.
    const LITTLE_ENDIAN: u8 = 0b0000_0001;
    const XY_ENVELOPE: u8 = 0b0000_0010;
    const EMPTY: u8 = 0b0001_0000;
    let env = envelope(g);
    let mut out = Vec::with_capacity(40 + wkb::writer::geometry_wkb_size(g));
    out.extend_from_slice(b"GP");
    out.push(0);
    out.push(LITTLE_ENDIAN | if env.is_some() { XY_ENVELOPE } else { EMPTY });
    out.extend_from_slice(&srs_id.to_le_bytes());
    for v in env.iter().flatten() {
        out.extend_from_slice(&v.to_le_bytes());
    }
    write_geometry(&mut out, g, &WriteOptions { endianness: Endianness::LittleEndian })?;
    Ok(out)
}

/// The R-tree spatial index of a layer's geometry column (extension F.3): the virtual table,
/// filled with every non-empty geometry's envelope, and the triggers that keep it right when
/// a GIS tool edits the layer. The triggers call `ST_IsEmpty`, `ST_MinX`… which SQLite does
/// not have: GDAL (QGIS) registers them when it opens the file, and they are created only
/// after the rows are in, so this writer never needs them.
fn spatial_index_sql(table: &str) -> String {
    let (t, c, i) = (table, GEOMETRY_COLUMN, "fid");
    let rtree = quoted(&format!("rtree_{t}_{c}"));
    let trigger = |suffix: &str| quoted(&format!("rtree_{t}_{c}_{suffix}"));
    let (qt, qc) = (quoted(t), quoted(c));
    let values = format!("NEW.{i}, ST_MinX(NEW.{qc}), ST_MaxX(NEW.{qc}), ST_MinY(NEW.{qc}), ST_MaxY(NEW.{qc})");
    format!(
        "CREATE TRIGGER {insert} AFTER INSERT ON {qt} WHEN (NEW.{qc} NOT NULL AND NOT ST_IsEmpty(NEW.{qc}))
         BEGIN INSERT OR REPLACE INTO {rtree} VALUES ({values}); END;
         CREATE TRIGGER {update1} AFTER UPDATE OF {qc} ON {qt}
           WHEN OLD.{i} = NEW.{i} AND (NEW.{qc} NOTNULL AND NOT ST_IsEmpty(NEW.{qc}))
         BEGIN INSERT OR REPLACE INTO {rtree} VALUES ({values}); END;
         CREATE TRIGGER {update2} AFTER UPDATE OF {qc} ON {qt}
           WHEN OLD.{i} = NEW.{i} AND (NEW.{qc} ISNULL OR ST_IsEmpty(NEW.{qc}))
         BEGIN DELETE FROM {rtree} WHERE id = OLD.{i}; END;
         CREATE TRIGGER {update3} AFTER UPDATE ON {qt}
           WHEN OLD.{i} != NEW.{i} AND (NEW.{qc} NOTNULL AND NOT ST_IsEmpty(NEW.{qc}))
         BEGIN DELETE FROM {rtree} WHERE id = OLD.{i}; INSERT OR REPLACE INTO {rtree} VALUES ({values}); END;
         CREATE TRIGGER {update4} AFTER UPDATE ON {qt}
           WHEN OLD.{i} != NEW.{i} AND (NEW.{qc} ISNULL OR ST_IsEmpty(NEW.{qc}))
         BEGIN DELETE FROM {rtree} WHERE id IN (OLD.{i}, NEW.{i}); END;
         CREATE TRIGGER {delete} AFTER DELETE ON {qt} WHEN OLD.{qc} NOT NULL
         BEGIN DELETE FROM {rtree} WHERE id = OLD.{i}; END;",
        insert = trigger("insert"),
        update1 = trigger("update1"),
        update2 = trigger("update2"),
        update3 = trigger("update3"),
        update4 = trigger("update4"),
        delete = trigger("delete"),
    )
}

/// Writes one layer's table, rows, spatial index and metadata rows.
fn write_layer(c: &Connection, layer: &Layer<'_>, last_change_ms: i64) -> Result<(), GpkgError> {
    let table = quoted(layer.table);
    let columns: String = layer.columns.iter().map(|(name, t)| format!(", {} {}", quoted(name), sql_type(*t))).collect();
    c.execute_batch(&format!(
        "CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {geom} {kind}{columns});
         CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);",
        geom = quoted(GEOMETRY_COLUMN),
        kind = layer.geometry_type.sql_name(),
        rtree = quoted(&format!("rtree_{}_{GEOMETRY_COLUMN}", layer.table)),
    ))?;
    let names: String = layer.columns.iter().map(|(name, _)| format!(", {}", quoted(name))).collect();
    let slots: String = (0..layer.columns.len()).map(|n| format!(", ?{}", n + 2)).collect();
    let mut insert = c.prepare(&format!("INSERT INTO {table} ({}{names}) VALUES (?1{slots})", quoted(GEOMETRY_COLUMN)))?;
    let mut index =
        c.prepare(&format!("INSERT INTO {} VALUES (?1, ?2, ?3, ?4, ?5)", quoted(&format!("rtree_{}_{GEOMETRY_COLUMN}", layer.table))))?;
    let mut bounds: Option<Envelope> = None;
    for (n, feature) in layer.features.iter().enumerate() {
        if !layer.geometry_type.holds(&feature.geometry) {
            return Err(GpkgError::WrongGeometry { table: layer.table.into(), index: n, expected: layer.geometry_type.sql_name() });
        }
        if feature.values.len() != layer.columns.len() {
            let (got, expected) = (feature.values.len(), layer.columns.len());
            return Err(GpkgError::WrongValueCount { table: layer.table.into(), index: n, got, expected });
        }
        let blob = Sql::Blob(geometry_blob(&feature.geometry, WGS84)?);
        let values = layer.columns.iter().zip(&feature.values).map(|((_, t), v)| sql_value(*t, v));
        insert.execute(params_from_iter(std::iter::once(blob).chain(values)))?;
        if let Some(env) = envelope(&feature.geometry) {
            index.execute(params![c.last_insert_rowid(), env[0], env[1], env[2], env[3]])?;
            bounds = Some(union(bounds, env));
        }
    }
    c.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', ?4 / 1000.0, 'unixepoch'), ?5, ?6, ?7, ?8, ?9)",
        params![
            layer.table,
            layer.identifier,
            layer.description,
            last_change_ms,
            bounds.map(|b| b[0]),
            bounds.map(|b| b[2]),
            bounds.map(|b| b[1]),
            bounds.map(|b| b[3]),
            WGS84
        ],
    )?;
    c.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?1, ?2, ?3, ?4, 0, 0)",
        params![layer.table, GEOMETRY_COLUMN, layer.geometry_type.sql_name(), WGS84],
    )?;
    c.execute(
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
         VALUES (?1, ?2, 'gpkg_rtree_index', 'http://www.geopackage.org/spec/#extension_rtree', 'write-only')",
        params![layer.table, GEOMETRY_COLUMN],
    )?;
    c.execute_batch(&spatial_index_sql(layer.table))?;
    Ok(())
}

/// A GeoPackage file holding `layers`, each dated `last_change_ms` (ms since the epoch), as
/// bytes. The same layers give the same bytes.
pub fn write(layers: &[Layer<'_>], last_change_ms: i64) -> Result<Vec<u8>, GpkgError> {
    let mut c = Connection::open_in_memory()?;
    c.pragma_update(None, "application_id", APPLICATION_ID)?;
    c.pragma_update(None, "user_version", USER_VERSION)?;
    let tx = c.transaction()?;
    tx.execute_batch(SCHEMA)?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', ?1, 'EPSG', ?1, ?2, \
         'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        params![WGS84, WGS84_WKT],
    )?;
    for layer in layers {
        write_layer(&tx, layer, last_change_ms)?;
    }
    tx.commit()?;
    Ok(c.serialize(MAIN_DB)?.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, point, polygon};
    use serde_json::json;

    const COLUMNS: [(&str, ColumnType); 3] =
        [("nombre", ColumnType::Text), ("marcas", ColumnType::Integer), ("sensible", ColumnType::Boolean)];

    fn layer(table: &'static str, geometry_type: GeometryType, geometries: Vec<geo::Geometry<f64>>) -> Layer<'static> {
        let features = geometries
            .into_iter()
            .enumerate()
            .map(|(n, geometry)| Feature { geometry, values: vec![json!(format!("f{n}")), json!(n), json!(n % 2 == 0)] })
            .collect();
        Layer { table, identifier: format!("Capa {table}"), description: String::new(), geometry_type, columns: &COLUMNS, features }
    }

    fn sample() -> Vec<Layer<'static>> {
        vec![
            layer("puntos", GeometryType::Point, vec![point!(x: -74.2, y: 11.24).into(), point!(x: -74.21, y: 11.25).into()]),
            layer("rutas", GeometryType::LineString, vec![line_string![(x: -74.2, y: 11.2), (x: -74.19, y: 11.21)].into()]),
            layer(
                "zonas",
                GeometryType::Polygon,
                vec![polygon![(x: -74.2, y: 11.2), (x: -74.19, y: 11.2), (x: -74.19, y: 11.21), (x: -74.2, y: 11.2)].into()],
            ),
            layer("vacia", GeometryType::Point, vec![]),
        ]
    }

    /// The file opened again as a database, as a reader would.
    fn open(bytes: &[u8]) -> Connection {
        let mut c = Connection::open_in_memory().expect("open");
        c.deserialize_read_exact(MAIN_DB, bytes, bytes.len(), true).expect("a database");
        c
    }

    #[test]
    fn the_file_says_it_is_a_geopackage_1_3() {
        let bytes = write(&sample(), 1_795_620_600_000).expect("written");
        assert_eq!(&bytes[..16], b"SQLite format 3\0");
        // The header stores both at fixed offsets, big-endian (SQLite file format §1.3).
        assert_eq!(&bytes[68..72], &APPLICATION_ID.to_be_bytes(), "application_id 'GPKG'");
        assert_eq!(&bytes[60..64], &USER_VERSION.to_be_bytes());
        let c = open(&bytes);
        let check: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check");
        assert_eq!(check, "ok");
        let srs: Vec<i64> = c
            .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(srs, vec![-1, 0, 4326]);
        let fk: i64 = c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).expect("fk check");
        assert_eq!(fk, 0);
    }

    #[test]
    fn each_layer_is_listed_with_its_type_and_bounds() {
        let c = open(&write(&sample(), 1_795_620_600_000).expect("written"));
        let row = |t: &str| {
            c.query_row(
                "SELECT c.data_type, c.identifier, c.last_change, c.min_x, c.min_y, c.max_x, c.max_y, g.geometry_type_name, g.srs_id
                 FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name) WHERE table_name = ?1",
                [t],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        [r.get::<_, Option<f64>>(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
                        r.get::<_, String>(7)?,
                        r.get::<_, i64>(8)?,
                    ))
                },
            )
            .expect(t)
        };
        let (data_type, identifier, last_change, bounds, kind, srs) = row("puntos");
        assert_eq!((data_type.as_str(), identifier.as_str(), kind.as_str(), srs), ("features", "Capa puntos", "POINT", 4326));
        assert_eq!(last_change, "2026-11-25T15:30:00.000Z");
        assert_eq!(bounds, [Some(-74.21), Some(11.24), Some(-74.2), Some(11.25)]);
        assert_eq!(row("zonas").4, "POLYGON");
        assert_eq!(row("vacia").3, [None; 4], "an empty layer has no bounds");
        let indexed: i64 = c.query_row("SELECT count(*) FROM rtree_puntos_geom", [], |r| r.get(0)).expect("rtree");
        assert_eq!(indexed, 2);
        let extensions: i64 =
            c.query_row("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'", [], |r| r.get(0)).expect("ext");
        assert_eq!(extensions, 4);
    }

    #[test]
    fn attributes_keep_their_types() {
        let c = open(&write(&sample(), 0).expect("written"));
        let (name, marks, sensitive): (String, i64, i64) = c
            .query_row("SELECT nombre, marcas, sensible FROM puntos WHERE fid = 2", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("row");
        assert_eq!((name.as_str(), marks, sensitive), ("f1", 1, 0));
        let null: Option<String> = {
            let mut l = layer("nulos", GeometryType::Point, vec![point!(x: 1.0, y: 2.0).into()]);
            l.features[0].values[0] = Value::Null;
            open(&write(&[l], 0).expect("written")).query_row("SELECT nombre FROM nulos", [], |r| r.get(0)).expect("row")
        };
        assert_eq!(null, None);
    }

    #[test]
    fn a_geometry_blob_is_the_gp_header_with_its_envelope_then_little_endian_wkb() {
        let line: geo::Geometry<f64> = line_string![(x: 1.0, y: 4.0), (x: 3.0, y: 2.0)].into();
        let blob = geometry_blob(&line, WGS84).expect("blob");
        assert_eq!(&blob[..4], &[b'G', b'P', 0, 0b0000_0011]);
        assert_eq!(&blob[4..8], &4326_i32.to_le_bytes());
        let env: Vec<f64> = blob[8..40].chunks(8).map(|b| f64::from_le_bytes(b.try_into().unwrap())).collect();
        assert_eq!(env, vec![1.0, 3.0, 2.0, 4.0], "min_x, max_x, min_y, max_y");
        // WKB: byte order 1 (little-endian), type 2 (LineString), two points.
        assert_eq!(blob[40], 1);
        assert_eq!(&blob[41..45], &2_u32.to_le_bytes());
        assert_eq!(&blob[45..49], &2_u32.to_le_bytes());
        assert_eq!(f64::from_le_bytes(blob[49..57].try_into().unwrap()), 1.0);
        assert_eq!(blob.len(), 40 + 9 + 2 * 16);
    }

    #[test]
    fn a_feature_of_the_wrong_kind_or_shape_is_refused() {
        let mut l = layer("mezcla", GeometryType::Point, vec![line_string![(x: 1.0, y: 4.0), (x: 3.0, y: 2.0)].into()]);
        assert!(matches!(write(&[l.clone()], 0), Err(GpkgError::WrongGeometry { index: 0, .. })));
        l.geometry_type = GeometryType::LineString;
        l.features[0].values.pop();
        assert!(matches!(write(&[l], 0), Err(GpkgError::WrongValueCount { got: 2, expected: 3, .. })));
    }

    #[test]
    fn the_same_layers_give_the_same_bytes() {
        assert_eq!(write(&sample(), 5).expect("a"), write(&sample(), 5).expect("b"));
    }
}
