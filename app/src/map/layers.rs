//! The base layers made ready to draw: projected once when a pack opens, so panning and
//! zooming only change the view box. Blocks become a single path; streets keep one path each
//! for their labels, oriented so text along them reads left to right.

use std::fmt::Write;

use geojson::Value;

use super::projection::Projection;
use crate::model::{BaseLayers, LandmarkKind};

/// A street label's text height on screen, in CSS pixels.
pub const LABEL_PX: f64 = 13.0;

#[derive(Debug, Clone, PartialEq)]
pub struct StreetLabel {
    pub id: String,
    pub name: String,
    /// The path the label follows, left to right.
    pub d: String,
    /// The label shows only while the view has at most this many SVG units per pixel: when
    /// the street is long enough on screen to hold its name.
    pub max_units_per_px: f64,
    /// Where the label sits (the middle of the path, in SVG units), its direction there, and
    /// half its length on screen in pixels: enough to keep labels from covering each other.
    pub mid: (f64, f64),
    pub dir: (f64, f64),
    pub half_px: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LandmarkGlyph {
    pub kind: LandmarkKind,
    pub name: String,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DrawnLayers {
    /// All blocks as one path (even-odd), parks apart so they can be green.
    pub blocks: String,
    pub parks: String,
    /// All streets as one path, for the casing and the fill.
    pub streets: String,
    pub labels: Vec<StreetLabel>,
    pub landmarks: Vec<LandmarkGlyph>,
    pub demo: bool,
    pub source: String,
    pub features: usize,
}

impl DrawnLayers {
    pub fn new(layers: &BaseLayers, projection: &Projection) -> DrawnLayers {
        let mut out =
            DrawnLayers { demo: layers.demo, source: layers.source.clone(), features: layers.feature_count(), ..Default::default() };
        for f in &layers.blocks.features {
            let Some(g) = &f.geometry else { continue };
            let park = f.properties.as_ref().and_then(|p| p.get("park")).and_then(|v| v.as_bool()).unwrap_or(false);
            out_path(if park { &mut out.parks } else { &mut out.blocks }, &g.value, projection);
        }
        for (i, f) in layers.streets.features.iter().enumerate() {
            let Some(g) = &f.geometry else { continue };
            let lines: Vec<&Vec<Vec<f64>>> = match &g.value {
                Value::LineString(l) => vec![l],
                Value::MultiLineString(ls) => ls.iter().collect(),
                _ => continue,
            };
            let name = f.properties.as_ref().and_then(|p| p.get("name")).and_then(|v| v.as_str()).map(str::trim).unwrap_or("");
            for (j, line) in lines.into_iter().enumerate() {
                let points: Vec<(f64, f64)> = line.iter().filter(|p| p.len() >= 2).map(|p| projection.to_svg(p[0], p[1])).collect();
                if points.len() < 2 {
                    continue;
                }
                write_line(&mut out.streets, &points);
                if name.is_empty() {
                    continue;
                }
                let length: f64 = points.windows(2).map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1)).sum();
                // Text reads along the path: run it left to right so it is never upside down.
                let reversed: Vec<(f64, f64)>;
                let oriented = if points[points.len() - 1].0 < points[0].0 {
                    reversed = points.iter().rev().copied().collect();
                    &reversed
                } else {
                    &points
                };
                let mut d = String::new();
                write_line(&mut d, oriented);
                // About 0.6 em per character, plus room at both ends.
                let label_px = name.chars().count() as f64 * LABEL_PX * 0.6 + 24.0;
                let (mid, dir) = midpoint(oriented, length);
                out.labels.push(StreetLabel {
                    id: format!("street-{i}-{j}"),
                    name: name.to_string(),
                    d,
                    max_units_per_px: length / label_px,
                    mid,
                    dir,
                    half_px: label_px / 2.0,
                });
            }
        }
        for f in &layers.landmarks.features {
            let Some(Value::Point(p)) = f.geometry.as_ref().map(|g| &g.value) else {
                continue;
            };
            if p.len() < 2 {
                continue;
            }
            let props = f.properties.as_ref();
            let kind =
                props.and_then(|p| p.get("kind")).and_then(|v| v.as_str()).and_then(LandmarkKind::from_code).unwrap_or(LandmarkKind::Otro);
            let name = props.and_then(|p| p.get("name")).and_then(|v| v.as_str()).unwrap_or(kind.label_es()).to_string();
            let (x, y) = projection.to_svg(p[0], p[1]);
            out.landmarks.push(LandmarkGlyph { kind, name, x, y });
        }
        out
    }

    /// The labels that fit at this zoom without covering one another, as indices into
    /// `labels`: longest streets first, each kept only if its box is clear of those kept.
    pub fn visible_labels(&self, units_per_px: f64) -> Vec<usize> {
        let mut candidates: Vec<usize> = (0..self.labels.len()).filter(|&i| units_per_px <= self.labels[i].max_units_per_px).collect();
        candidates.sort_by(|&a, &b| self.labels[b].max_units_per_px.total_cmp(&self.labels[a].max_units_per_px).then(a.cmp(&b)));
        // Boxes in screen pixels, bucketed in a grid so each label checks only its neighbours.
        let cell = 160.0;
        let mut grid: std::collections::HashMap<(i64, i64), Vec<[f64; 4]>> = std::collections::HashMap::new();
        let mut kept = Vec::new();
        for i in candidates {
            let l = &self.labels[i];
            let (cx, cy) = (l.mid.0 / units_per_px, l.mid.1 / units_per_px);
            let (hx, hy) = ((l.dir.0 * l.half_px).abs() + LABEL_PX * 0.7, (l.dir.1 * l.half_px).abs() + LABEL_PX * 0.7);
            let b = [cx - hx, cy - hy, cx + hx, cy + hy];
            let cells = || {
                let (x0, y0, x1, y1) = (
                    (b[0] / cell).floor() as i64,
                    (b[1] / cell).floor() as i64,
                    (b[2] / cell).floor() as i64,
                    (b[3] / cell).floor() as i64,
                );
                (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
            };
            let clear = cells()
                .all(|c| grid.get(&c).is_none_or(|boxes| boxes.iter().all(|o| b[2] < o[0] || o[2] < b[0] || b[3] < o[1] || o[3] < b[1])));
            if clear {
                for c in cells() {
                    grid.entry(c).or_default().push(b);
                }
                kept.push(i);
            }
        }
        kept.sort_unstable();
        kept
    }
}

/// The point halfway along a polyline of length `length`, and the unit direction there.
pub(crate) fn midpoint(points: &[(f64, f64)], length: f64) -> ((f64, f64), (f64, f64)) {
    let mut left = length / 2.0;
    for w in points.windows(2) {
        let (dx, dy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        let seg = dx.hypot(dy);
        if seg > 0.0 && left <= seg {
            let t = left / seg;
            return ((w[0].0 + dx * t, w[0].1 + dy * t), (dx / seg, dy / seg));
        }
        left -= seg;
    }
    (points[0], (1.0, 0.0))
}

fn write_line(out: &mut String, points: &[(f64, f64)]) {
    for (k, (x, y)) in points.iter().enumerate() {
        let _ = write!(out, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" });
    }
}

fn out_path(out: &mut String, value: &Value, projection: &Projection) {
    let polygons: Vec<&Vec<Vec<Vec<f64>>>> = match value {
        Value::Polygon(p) => vec![p],
        Value::MultiPolygon(m) => m.iter().collect(),
        _ => return,
    };
    for ring in polygons.into_iter().flatten() {
        let points: Vec<(f64, f64)> = ring.iter().filter(|p| p.len() >= 2).map(|p| projection.to_svg(p[0], p[1])).collect();
        if points.len() >= 3 {
            write_line(out, &points);
            out.push('Z');
        }
    }
}

/// The colour of a landmark's badge: protective places in calm colours, distinct from the
/// problem markers, which are saturated.
pub fn landmark_color(kind: LandmarkKind) -> &'static str {
    match kind {
        LandmarkKind::Parque => "#2f7d32",
        LandmarkKind::Colegio => "#1f5fa8",
        LandmarkKind::Iglesia => "#6a4c93",
        LandmarkKind::SalonComunal => "#b5651d",
        LandmarkKind::Cai => "#1b3a6b",
        LandmarkKind::Cancha => "#3f8f5f",
        LandmarkKind::CentroSalud => "#c62848",
        LandmarkKind::Otro => "#5b6770",
    }
}

/// The landmark's symbol, drawn in white on its badge (24 × 24 units).
pub fn landmark_icon(kind: LandmarkKind) -> &'static str {
    match kind {
        // A tree.
        LandmarkKind::Parque => r#"<circle cx="12" cy="9" r="5.5"/><path d="M12 14.5V20M9 20h6"/>"#,
        // A book, open.
        LandmarkKind::Colegio => {
            r#"<path d="M3 6.5c3-1.5 6-1.5 9 .5 3-2 6-2 9-.5V18c-3-1.5-6-1.5-9 .5-3-2-6-2-9-.5z"/><path d="M12 7v11.5"/>"#
        }
        // A cross on a roof.
        LandmarkKind::Iglesia => r#"<path d="M12 2.5v6M9.5 5h5"/><path d="M5 20v-7l7-4.5 7 4.5v7z"/>"#,
        // A house with people's door.
        LandmarkKind::SalonComunal => r#"<path d="M3.5 11 12 4l8.5 7"/><path d="M6 10v10h12V10"/><path d="M10 20v-5h4v5"/>"#,
        // A shield.
        LandmarkKind::Cai => r#"<path d="M12 3 5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6z"/><path d="M9 12l2 2 4-4"/>"#,
        // A ball.
        LandmarkKind::Cancha => r#"<circle cx="12" cy="12" r="8"/><path d="M12 4v16M4 12h16"/>"#,
        // A cross.
        LandmarkKind::CentroSalud => r#"<path d="M12 5v14M5 12h14" stroke-width="4"/>"#,
        // A pin.
        LandmarkKind::Otro => r#"<path d="M12 21s-6-6.5-6-11a6 6 0 0 1 12 0c0 4.5-6 11-6 11z"/><circle cx="12" cy="10" r="2"/>"#,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn layers(streets: serde_json::Value, landmarks: serde_json::Value) -> BaseLayers {
        let mut l = BaseLayers::empty();
        l.streets = serde_json::from_value(json!({"type": "FeatureCollection", "features": streets})).unwrap();
        l.landmarks = serde_json::from_value(json!({"type": "FeatureCollection", "features": landmarks})).unwrap();
        l
    }

    #[test]
    fn labels_run_left_to_right_and_show_only_when_they_fit() {
        let projection = Projection::centred_on([-74.21, 11.2, -74.2, 11.21]);
        let l = layers(
            json!([{"type": "Feature", "properties": {"name": "Calle 10"},
                    "geometry": {"type": "LineString", "coordinates": [[-74.2, 11.205], [-74.21, 11.205]]}}]),
            json!([]),
        );
        let drawn = DrawnLayers::new(&l, &projection);
        assert_eq!(drawn.labels.len(), 1);
        let label = &drawn.labels[0];
        let first_x: f64 = label.d[1..].split(' ').next().unwrap().parse().unwrap();
        assert!(first_x < 0.0, "starts at the west end: {}", label.d);
        // ~1,090 m of street and a ~86 px label: it fits while a pixel is under ~12 m.
        assert!((10.0..14.0).contains(&label.max_units_per_px), "{}", label.max_units_per_px);
        assert_eq!(drawn.visible_labels(5.0), vec![0]);
        assert!(drawn.visible_labels(20.0).is_empty());
        assert!(drawn.streets.starts_with('M'));
    }

    #[test]
    fn crossing_labels_do_not_cover_each_other() {
        let projection = Projection::centred_on([-74.21, 11.2, -74.2, 11.21]);
        // Two long streets crossing at their middles, and a third far away.
        let l = layers(
            json!([
                {"type": "Feature", "properties": {"name": "Calle 1"}, "geometry": {"type": "LineString", "coordinates": [[-74.21, 11.205], [-74.2, 11.205]]}},
                {"type": "Feature", "properties": {"name": "Carrera 1"}, "geometry": {"type": "LineString", "coordinates": [[-74.205, 11.2], [-74.205, 11.21]]}},
                {"type": "Feature", "properties": {"name": "Calle 2"}, "geometry": {"type": "LineString", "coordinates": [[-74.21, 11.209], [-74.2, 11.209]]}}
            ]),
            json!([]),
        );
        let drawn = DrawnLayers::new(&l, &projection);
        let shown = drawn.visible_labels(2.0);
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown.contains(&2), "the far street keeps its label");
    }

    #[test]
    fn landmarks_keep_kind_and_name_and_unknown_kinds_are_places() {
        let projection = Projection::centred_on([-74.21, 11.2, -74.2, 11.21]);
        let l = layers(
            json!([]),
            json!([
                {"type": "Feature", "properties": {"kind": "cai", "name": "CAI Bastidas"}, "geometry": {"type": "Point", "coordinates": [-74.205, 11.205]}},
                {"type": "Feature", "properties": {"kind": "¿?"}, "geometry": {"type": "Point", "coordinates": [-74.205, 11.205]}}
            ]),
        );
        let drawn = DrawnLayers::new(&l, &projection);
        assert_eq!(drawn.landmarks[0].kind, LandmarkKind::Cai);
        assert_eq!(drawn.landmarks[0].name, "CAI Bastidas");
        assert_eq!(drawn.landmarks[1].kind, LandmarkKind::Otro);
        assert_eq!(drawn.landmarks[1].name, "Lugar");
    }
}
