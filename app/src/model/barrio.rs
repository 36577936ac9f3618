//! Barrios: the unit of intervention, with the boundary a participant draws on.

use serde::{Deserialize, Serialize};

/// The DIVIPOLA code of Santa Marta, the city every barrio belonged to before there were
/// several: the seed's and the import's default.
pub const SANTA_MARTA_MUNICIPIO: &str = "47001";

/// Whether `municipio` is a DIVIPOLA municipality code: 5 digits.
pub fn is_municipio(municipio: &str) -> bool {
    municipio.len() == 5 && municipio.bytes().all(|b| b.is_ascii_digit())
}

/// Cities a deployment is likely to hold, by DIVIPOLA code: the Caribbean capitals and the
/// largest cities. Others show as their code.
const MUNICIPIO_NAMES: &[(&str, &str)] = &[
    ("05001", "Medellín"),
    ("08001", "Barranquilla"),
    ("11001", "Bogotá"),
    ("13001", "Cartagena"),
    ("20001", "Valledupar"),
    ("23001", "Montería"),
    ("44001", "Riohacha"),
    ("47001", "Santa Marta"),
    ("47189", "Ciénaga"),
    ("70001", "Sincelejo"),
    ("76001", "Cali"),
    ("88001", "San Andrés"),
];

/// A city as people name it: "Santa Marta", or "Municipio 12345" for a code not in the table.
pub fn municipio_name(code: &str) -> String {
    MUNICIPIO_NAMES.iter().find(|(c, _)| *c == code).map_or_else(|| format!("Municipio {code}"), |(_, n)| (*n).to_string())
}

/// One line in the list of barrios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarrioSummary {
    pub id: i64,
    /// Stable slug, unique within the city (e.g. `los-alcazares`).
    pub code: String,
    /// The city (municipio) as its DIVIPOLA code of 5 digits (Santa Marta is `47001`): a code
    /// is unique only within it. Empty in packs and lists made before there were several cities.
    #[serde(default)]
    pub municipio: String,
    pub name: String,
    pub comuna: Option<String>,
    pub area_ha: f64,
}

/// A barrio with its boundary, a GeoJSON Polygon or MultiPolygon in WGS84.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Barrio {
    #[serde(flatten)]
    pub summary: BarrioSummary,
    pub boundary: geojson::Geometry,
    /// Where the boundary comes from, shown to users beside the map.
    pub source: String,
}

impl Barrio {
    /// The boundary's bounding box as `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        use geo::BoundingRect;
        let geo: geo::Geometry<f64> = self.boundary.value.clone().try_into().ok()?;
        let r = geo.bounding_rect()?;
        Some([r.min().x, r.min().y, r.max().x, r.max().y])
    }

    /// A point inside the boundary, near its middle, as `(lon, lat)`: where the map opens. The
    /// middle of the box can fall outside a crescent or an L-shaped barrio.
    pub fn inside_point(&self) -> Option<(f64, f64)> {
        use geo::InteriorPoint;
        let geo: geo::Geometry<f64> = self.boundary.value.clone().try_into().ok()?;
        geo.interior_point().map(|p| (p.x(), p.y()))
    }
}
