//! Where a mark is, in the words of the barrio: the nearest named street (or landmark) of the
//! barrio's base layers, so that lists can tell two "Hurto a personas" apart.

use geo::{Distance, Euclidean, LineString, Point};

use super::BaseLayers;

/// Beyond this a street is not "near": the list says nothing rather than something wrong.
const NEAR_M: f64 = 80.0;
/// Metres per degree of latitude (and of longitude at the equator), near enough for 80 m.
const M_PER_DEG: f64 = 111_320.0;

/// The named streets and landmarks of one barrio, in local metres, ready to be asked which is
/// nearest to a place. Built once per barrio; each question reads every street once.
#[derive(Debug, Clone, Default)]
pub struct PlaceNames {
    /// Longitude's metres per degree at the barrio's latitude.
    x_scale: f64,
    streets: Vec<(String, LineString<f64>)>,
    landmarks: Vec<(String, Point<f64>)>,
}

fn name_of(f: &geojson::Feature) -> Option<String> {
    let name = f.properties.as_ref()?.get("name")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

impl PlaceNames {
    pub fn new(layers: &BaseLayers) -> PlaceNames {
        let lat = layers
            .streets
            .features
            .iter()
            .chain(&layers.landmarks.features)
            .find_map(|f| match f.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::Value::LineString(line)) => line.first().and_then(|p| p.get(1)).copied(),
                Some(geojson::Value::Point(p)) => p.get(1).copied(),
                _ => None,
            })
            .unwrap_or(11.24);
        let x_scale = M_PER_DEG * lat.to_radians().cos();
        let to_m = |p: &Vec<f64>| (p.first().copied().unwrap_or(0.0) * x_scale, p.get(1).copied().unwrap_or(0.0) * M_PER_DEG);
        let mut streets = Vec::new();
        for f in &layers.streets.features {
            let Some(name) = name_of(f) else { continue };
            let lines: Vec<&Vec<Vec<f64>>> = match f.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::Value::LineString(line)) => vec![line],
                Some(geojson::Value::MultiLineString(lines)) => lines.iter().collect(),
                _ => continue,
            };
            for line in lines.into_iter().filter(|l| l.len() >= 2) {
                streets.push((name.clone(), line.iter().map(to_m).collect::<LineString<f64>>()));
            }
        }
        let landmarks = layers
            .landmarks
            .features
            .iter()
            .filter_map(|f| match f.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::Value::Point(p)) => Some((name_of(f)?, Point::from(to_m(p)))),
                _ => None,
            })
            .collect();
        PlaceNames { x_scale, streets, landmarks }
    }

    /// "cerca de Calle 33": the nearest named street within 80 m of `(lon, lat)`, else the
    /// nearest named landmark within that distance, else nothing.
    pub fn near(&self, (lon, lat): (f64, f64)) -> Option<String> {
        let here = Point::new(lon * self.x_scale, lat * M_PER_DEG);
        let nearest = |candidates: &mut dyn Iterator<Item = (&String, f64)>| {
            candidates.filter(|(_, d)| *d <= NEAR_M).min_by(|a, b| a.1.total_cmp(&b.1)).map(|(n, _)| format!("cerca de {n}"))
        };
        nearest(&mut self.streets.iter().map(|(n, l)| (n, Euclidean.distance(&here, l))))
            .or_else(|| nearest(&mut self.landmarks.iter().map(|(n, p)| (n, Euclidean.distance(&here, p)))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn collection(features: serde_json::Value) -> geojson::FeatureCollection {
        serde_json::from_value(json!({"type": "FeatureCollection", "features": features})).unwrap()
    }

    fn layers() -> BaseLayers {
        BaseLayers {
            streets: collection(json!([
                {"type": "Feature", "properties": {"name": "Calle 33"}, "geometry": {"type": "LineString", "coordinates": [[-74.21, 11.24], [-74.20, 11.24]]}},
                {"type": "Feature", "properties": {"name": "Carrera 5"}, "geometry": {"type": "MultiLineString", "coordinates": [[[-74.205, 11.235], [-74.205, 11.25]]]}},
                {"type": "Feature", "properties": {"name": "  "}, "geometry": {"type": "LineString", "coordinates": [[-74.21, 11.2401], [-74.20, 11.2401]]}}
            ])),
            landmarks: collection(json!([
                {"type": "Feature", "properties": {"kind": "parque", "name": "Parque de Bastidas"}, "geometry": {"type": "Point", "coordinates": [-74.30, 11.30]}}
            ])),
            ..BaseLayers::empty()
        }
    }

    #[test]
    fn a_place_is_named_by_its_nearest_street_within_reach_else_a_landmark() {
        let names = PlaceNames::new(&layers());
        // 20 m north of Calle 33, 200 m west of Carrera 5; the unnamed street is ignored.
        assert_eq!(names.near((-74.207, 11.24018)).as_deref(), Some("cerca de Calle 33"));
        // On Carrera 5, 300 m north of Calle 33.
        assert_eq!(names.near((-74.2051, 11.2427)).as_deref(), Some("cerca de Carrera 5"));
        assert_eq!(names.near((-74.22, 11.26)), None, "nothing within 80 m");
        assert_eq!(names.near((-74.3002, 11.3001)).as_deref(), Some("cerca de Parque de Bastidas"));
        assert_eq!(PlaceNames::new(&BaseLayers::empty()).near((-74.2, 11.24)), None);
    }
}
