//! Web Mercator projection of barrio geometry into SVG coordinates (metres, y down), kept
//! relative to the barrio's centre so browsers' single-precision SVG maths stays exact.

use std::f64::consts::PI;
use std::fmt::Write;

/// Earth radius of the Web Mercator (EPSG:3857) sphere, in metres.
const R: f64 = 6_378_137.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    origin_x: f64,
    origin_y: f64,
}

/// The part of the plane the SVG shows, in projected metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl ViewBox {
    pub fn to_attr(&self) -> String {
        format!("{:.1} {:.1} {:.1} {:.1}", self.x, self.y, self.width, self.height)
    }
}

fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.05112878, 85.05112878);
    (R * lon.to_radians(), R * (PI / 4.0 + lat.to_radians() / 2.0).tan().ln())
}

impl Projection {
    /// A projection centred on the middle of `bbox` (`[min_lon, min_lat, max_lon, max_lat]`).
    pub fn centred_on(bbox: [f64; 4]) -> Projection {
        let (origin_x, origin_y) = mercator((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
        Projection { origin_x, origin_y }
    }

    /// Longitude/latitude to SVG coordinates.
    pub fn to_svg(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = mercator(lon, lat);
        (x - self.origin_x, self.origin_y - y)
    }

    /// SVG coordinates back to longitude/latitude.
    pub fn to_lon_lat(&self, x: f64, y: f64) -> (f64, f64) {
        let mx = x + self.origin_x;
        let my = self.origin_y - y;
        let lon = (mx / R).to_degrees();
        let lat = (2.0 * (my / R).exp().atan() - PI / 2.0).to_degrees();
        (lon, lat)
    }

    /// The view box around `bbox`, grown by `padding` (a fraction of the larger side).
    pub fn fit(&self, bbox: [f64; 4], padding: f64) -> ViewBox {
        let (x0, y1) = self.to_svg(bbox[0], bbox[1]);
        let (x1, y0) = self.to_svg(bbox[2], bbox[3]);
        let pad = (x1 - x0).max(y1 - y0).max(1.0) * padding;
        ViewBox { x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2.0 * pad, height: y1 - y0 + 2.0 * pad }
    }

    /// An SVG path (`d` attribute) for the rings of a Polygon or MultiPolygon; other
    /// geometries give an empty path. Coordinates are rounded to 0.1 m.
    pub fn path(&self, geometry: &geojson::Geometry) -> String {
        let mut d = String::new();
        let mut ring = |positions: &[Vec<f64>]| {
            for (i, p) in positions.iter().enumerate() {
                if p.len() < 2 {
                    continue;
                }
                let (x, y) = self.to_svg(p[0], p[1]);
                let _ = write!(d, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x, y);
            }
            d.push('Z');
        };
        match &geometry.value {
            geojson::Value::Polygon(rings) => rings.iter().for_each(|r| ring(r)),
            geojson::Value::MultiPolygon(polys) => polys.iter().flatten().for_each(|r| ring(r)),
            _ => {}
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANTA_MARTA: [f64; 4] = [-74.215, 11.235, -74.205, 11.245];

    #[test]
    fn the_centre_of_the_bbox_is_the_origin() {
        let p = Projection::centred_on(SANTA_MARTA);
        let (x, y) = p.to_svg(-74.21, 11.24);
        assert!(x.abs() < 1e-6 && y.abs() < 1e-6, "{x} {y}");
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        let p = Projection::centred_on(SANTA_MARTA);
        let (x, y) = p.to_svg(-74.20, 11.25);
        assert!(x > 0.0 && y < 0.0);
    }

    #[test]
    fn projection_round_trips_to_a_millimetre() {
        let p = Projection::centred_on(SANTA_MARTA);
        for (lon, lat) in [(-74.2123, 11.2391), (-74.205, 11.245), (-74.3, 11.1)] {
            let (x, y) = p.to_svg(lon, lat);
            let (lon2, lat2) = p.to_lon_lat(x, y);
            assert!((lon - lon2).abs() < 1e-8 && (lat - lat2).abs() < 1e-8);
        }
    }

    #[test]
    fn a_kilometre_east_is_about_a_thousand_units_at_this_latitude() {
        // Web Mercator stretches by 1/cos(lat): at 11.24° that is 1.0196.
        let p = Projection::centred_on(SANTA_MARTA);
        let (x, _) = p.to_svg(-74.21 + 1.0 / 111.32 / 11.24f64.to_radians().cos(), 11.24);
        assert!((x - 1019.6).abs() < 2.0, "{x}");
    }

    #[test]
    fn fit_contains_the_bbox_with_padding() {
        let p = Projection::centred_on(SANTA_MARTA);
        let v = p.fit(SANTA_MARTA, 0.05);
        let (x0, y0) = p.to_svg(SANTA_MARTA[0], SANTA_MARTA[3]);
        let (x1, y1) = p.to_svg(SANTA_MARTA[2], SANTA_MARTA[1]);
        assert!(v.x < x0 && v.y < y0 && v.x + v.width > x1 && v.y + v.height > y1);
    }

    #[test]
    fn polygon_paths_close_every_ring() {
        let p = Projection::centred_on(SANTA_MARTA);
        let g: geojson::Geometry = serde_json::from_str(
            r#"{"type":"MultiPolygon","coordinates":[[[[-74.21,11.24],[-74.20,11.24],[-74.20,11.25],[-74.21,11.24]]],[[[-74.22,11.23],[-74.215,11.23],[-74.215,11.235],[-74.22,11.23]]]]}"#,
        )
        .unwrap();
        let d = p.path(&g);
        assert_eq!(d.matches('M').count(), 2);
        assert_eq!(d.matches('Z').count(), 2);
        assert!(d.starts_with("M0.0 -0.0") || d.starts_with("M0.0 0.0"), "{d}");
    }
}
