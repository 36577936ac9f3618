//! "Editado por seguridad": the pure core of a published diagnóstico (issue 9). Marks become
//! counts on a square grid: marks of sensitive categories on a coarse one, and only in cells
//! where at least `k` different participants reported them; the others on a finer one. What
//! comes out names no one and keeps nothing of where inside its cell a mark was.

use std::collections::{BTreeMap, BTreeSet};

use geo::Centroid;
use serde::{Deserialize, Serialize};

use uuid::Uuid;

use super::diagnostico::participant;
use super::{Category, Mark};

/// Metres per degree of latitude, and of longitude at the equator (a sphere is plenty at the
/// scale of a barrio: the grid only has to be the same grid for every mark).
const M_PER_DEG_LAT: f64 = 110_574.0;
const M_PER_DEG_LON: f64 = 111_320.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedactionParams {
    /// Side of the cells sensitive marks are counted in, in metres.
    pub sensitive_cell_m: f64,
    /// Distinct participants a cell needs before a sensitive category is shown in it.
    pub k: u32,
    /// Side of the cells every other mark is counted in, in metres.
    pub plain_cell_m: f64,
}

impl Default for RedactionParams {
    fn default() -> Self {
        RedactionParams { sensitive_cell_m: 150.0, k: 3, plain_cell_m: 50.0 }
    }
}

impl RedactionParams {
    /// The parameters if they can protect anyone: cells of 25 m to 2 km, `k` of 2 to 50.
    pub fn checked(self) -> Option<RedactionParams> {
        let cell = 25.0..=2_000.0;
        (cell.contains(&self.sensitive_cell_m) && cell.contains(&self.plain_cell_m) && (2..=50).contains(&self.k)).then_some(self)
    }
}

/// A category counted in one cell: where the cell's centre is, how many marks and people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedCell {
    pub category: String,
    pub sensitive: bool,
    /// The cell's centre (never a mark's own position) and its side in metres.
    pub lon: f64,
    pub lat: f64,
    pub cell_m: f64,
    pub marks: u32,
    pub participants: u32,
}

impl PublishedCell {
    /// The cell as a closed ring of lon/lat corners (counter-clockwise, as RFC 7946 wants),
    /// for maps and GeoJSON: the square of side `cell_m` around the centre.
    pub fn square(&self) -> Vec<Vec<f64>> {
        let half_lat = self.cell_m / 2.0 / M_PER_DEG_LAT;
        let half_lon = self.cell_m / 2.0 / (M_PER_DEG_LON * self.lat.to_radians().cos().max(0.01));
        let round = |v: f64| (v * 1e6).round() / 1e6;
        let (w, e, s, n) = (round(self.lon - half_lon), round(self.lon + half_lon), round(self.lat - half_lat), round(self.lat + half_lat));
        vec![vec![w, s], vec![e, s], vec![e, n], vec![w, n], vec![w, s]]
    }
}

/// A category over the whole barrio, counting only the marks of cells that are published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedCategory {
    pub category: String,
    pub sensitive: bool,
    pub marks: u32,
    pub participants: u32,
}

/// What may be published of a barrio's marks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redacted {
    pub params: RedactionParams,
    pub cells: Vec<PublishedCell>,
    /// Sorted by marks (descending), then category code.
    pub categories: Vec<PublishedCategory>,
    /// Sensitive marks left out because their cell had fewer than `k` participants.
    pub suppressed_marks: u32,
    /// The marks counted in a published cell, sorted: only their texts may be offered to staff
    /// for publication. Never serialised.
    #[serde(skip)]
    pub shown: Vec<Uuid>,
}

/// The grid every barrio's marks are counted on: square cells in metres east and north of
/// `origin` (a public point, such as the barrio's centre, never one taken from the marks).
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    origin: (f64, f64),
    cos_lat: f64,
}

impl Grid {
    pub fn new(origin: (f64, f64)) -> Grid {
        Grid { origin, cos_lat: origin.1.to_radians().cos().max(0.01) }
    }

    fn metres(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        ((lon - self.origin.0) * M_PER_DEG_LON * self.cos_lat, (lat - self.origin.1) * M_PER_DEG_LAT)
    }

    /// The cell of side `cell_m` that holds a position.
    pub fn cell(&self, position: (f64, f64), cell_m: f64) -> (i64, i64) {
        let (x, y) = self.metres(position);
        ((x / cell_m).floor() as i64, (y / cell_m).floor() as i64)
    }

    /// A cell's centre as longitude and latitude.
    pub fn centre(&self, (ix, iy): (i64, i64), cell_m: f64) -> (f64, f64) {
        let (x, y) = ((ix as f64 + 0.5) * cell_m, (iy as f64 + 0.5) * cell_m);
        let round = |v: f64| (v * 1e6).round() / 1e6;
        (round(self.origin.0 + x / (M_PER_DEG_LON * self.cos_lat)), round(self.origin.1 + y / M_PER_DEG_LAT))
    }
}

/// Where a mark counts: a point where it is; a route or zone at its centroid.
fn position(mark: &Mark) -> Option<(f64, f64)> {
    let geometry = geo::Geometry::<f64>::try_from(mark.geometry.value.clone()).ok()?;
    geometry.centroid().map(|p| (p.x(), p.y()))
}

/// The publishable counts of a barrio's live marks.
pub fn redact(marks: &[Mark], grid: Grid, params: &RedactionParams) -> Redacted {
    // (sensitive, category, cell) → (marks, participants)
    let mut cells: BTreeMap<(bool, &str, (i64, i64)), (Vec<Uuid>, BTreeSet<_>)> = BTreeMap::new();
    for m in marks.iter().filter(|m| !m.deleted) {
        let Some(at) = position(m) else { continue };
        let sensitive = Category::is_sensitive(&m.category);
        let side = if sensitive { params.sensitive_cell_m } else { params.plain_cell_m };
        let entry = cells.entry((sensitive, m.category.as_str(), grid.cell(at, side))).or_default();
        entry.0.push(m.id);
        entry.1.insert(participant(&m.alias, m.hlc.as_ref(), m.workshop_id));
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut suppressed_marks = 0;
    let mut out = Vec::new();
    let mut shown = Vec::new();
    let mut categories: BTreeMap<(&str, bool), (u32, BTreeSet<_>)> = BTreeMap::new();
    for ((sensitive, category, cell), (ids, people)) in cells {
        if sensitive && count(people.len()) < params.k {
            suppressed_marks += count(ids.len());
            continue;
        }
        let side = if sensitive { params.sensitive_cell_m } else { params.plain_cell_m };
        let (lon, lat) = grid.centre(cell, side);
        out.push(PublishedCell {
            category: category.to_string(),
            sensitive,
            lon,
            lat,
            cell_m: side,
            marks: count(ids.len()),
            participants: count(people.len()),
        });
        let total = categories.entry((category, sensitive)).or_default();
        total.0 += count(ids.len());
        total.1.extend(people);
        shown.extend(ids);
    }
    shown.sort();
    let mut categories: Vec<PublishedCategory> = categories
        .into_iter()
        .map(|((category, sensitive), (marks, people))| PublishedCategory {
            category: category.to_string(),
            sensitive,
            marks,
            participants: count(people.len()),
        })
        .collect();
    categories.sort_by(|a, b| b.marks.cmp(&a.marks).then_with(|| a.category.cmp(&b.category)));
    Redacted { params: *params, cells: out, categories, suppressed_marks, shown }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CATEGORIES;
    use proptest::prelude::*;
    use uuid::Uuid;

    const ORIGIN: (f64, f64) = (-74.2, 11.24);

    fn sensitive() -> &'static str {
        CATEGORIES.iter().find(|c| c.sensitive).expect("a sensitive category").code
    }

    fn mark(n: u128, category: &str, (lon, lat): (f64, f64), alias: &str) -> Mark {
        let mut m = Mark::new_point(Uuid::from_u128(n), 5, category, lon, lat, 1_764_000_000_000);
        m.alias = alias.into();
        m
    }

    #[test]
    fn a_sensitive_corner_is_shown_only_once_three_people_reported_it() {
        let grid = Grid::new(ORIGIN);
        let at = (-74.2003, 11.2403);
        let two = [mark(1, sensitive(), at, "Rosa"), mark(2, sensitive(), at, "Pedro"), mark(3, sensitive(), at, "Rosa")];
        let out = redact(&two, grid, &RedactionParams::default());
        assert!(out.cells.is_empty());
        assert_eq!(out.suppressed_marks, 3, "two people, three marks");
        let three = [two.as_slice(), &[mark(4, sensitive(), at, "Luz")]].concat();
        let out = redact(&three, grid, &RedactionParams::default());
        assert_eq!(out.cells.len(), 1);
        let c = &out.cells[0];
        assert_eq!((c.marks, c.participants, c.sensitive, c.cell_m), (4, 3, true, 150.0));
        assert_ne!((c.lon, c.lat), at, "the cell's centre, not the corner");
        // An ordinary category needs no threshold, on its finer grid; deleted marks never count.
        let mut gone = mark(6, "alumbrado_deficiente", at, "");
        gone.deleted = true;
        let out = redact(&[mark(5, "alumbrado_deficiente", at, ""), gone], grid, &RedactionParams::default());
        assert_eq!((out.cells.len(), out.cells[0].marks, out.cells[0].cell_m), (1, 1, 50.0));
    }

    #[test]
    fn parameters_that_protect_no_one_are_refused() {
        assert!(RedactionParams::default().checked().is_some());
        assert!(RedactionParams { k: 1, ..Default::default() }.checked().is_none());
        assert!(RedactionParams { sensitive_cell_m: 5.0, ..Default::default() }.checked().is_none());
        assert!(RedactionParams { plain_cell_m: f64::NAN, ..Default::default() }.checked().is_none());
    }

    /// A mark as the property tests draw it: a cell near the origin, a place inside it, who.
    fn drawn() -> impl Strategy<Value = (i64, i64, f64, f64, u8, bool)> {
        (-6i64..6, -6i64..6, 0.02f64..0.98, 0.02f64..0.98, 0u8..5, any::<bool>())
    }

    fn marks_of(drawn: &[(i64, i64, f64, f64, u8, bool)], shift: Option<&[(f64, f64)]>, grid: Grid, side: f64) -> Vec<Mark> {
        drawn
            .iter()
            .enumerate()
            .map(|(i, &(ix, iy, fx, fy, who, is_sensitive))| {
                let (fx, fy) = shift.map_or((fx, fy), |s| s[i]);
                // A place inside cell (ix, iy) of the sensitive grid, by its fraction of the side.
                let (x, y) = ((ix as f64 + fx) * side, (iy as f64 + fy) * side);
                let lon = ORIGIN.0 + x / (M_PER_DEG_LON * grid.cos_lat);
                let lat = ORIGIN.1 + y / M_PER_DEG_LAT;
                let category = if is_sensitive { sensitive() } else { "alumbrado_deficiente" };
                let mut m = mark(i as u128 + 1, category, (lon, lat), &format!("ALIAS-{who}-{i}-zq"));
                m.description = format!("DESCRIPCION-{i}-zq casa de la esquina");
                m
            })
            .collect()
    }

    fn params() -> impl Strategy<Value = RedactionParams> {
        (2u32..6, 60f64..400.0, 25f64..120.0).prop_map(|(k, sensitive_cell_m, plain_cell_m)| RedactionParams { sensitive_cell_m, k, plain_cell_m })
    }

    proptest! {
        #[test]
        fn published_output_is_safe_for_any_marks(
            drawn in proptest::collection::vec(drawn(), 0..60),
            shifts in proptest::collection::vec((0.02f64..0.98, 0.02f64..0.98), 60),
            params in params(),
        ) {
            let grid = Grid::new(ORIGIN);
            let side = params.sensitive_cell_m;
            let marks = marks_of(&drawn, None, grid, side);
            let out = redact(&marks, grid, &params);
            // No cell of a sensitive category with fewer than k participants.
            for c in out.cells.iter().filter(|c| c.sensitive) {
                prop_assert!(c.participants >= params.k, "{c:?}");
                prop_assert_eq!(c.cell_m, side);
            }
            // Every sensitive mark is counted once or suppressed, and a published point is
            // always the centre of a cell of the coarse grid, never a mark's own place.
            let published: u32 = out.cells.iter().filter(|c| c.sensitive).map(|c| c.marks).sum();
            let live_sensitive = marks.iter().filter(|m| m.category == sensitive()).count() as u32;
            prop_assert_eq!(published + out.suppressed_marks, live_sensitive);
            for c in out.cells.iter().filter(|c| c.sensitive) {
                let cell = grid.cell((c.lon, c.lat), c.cell_m);
                prop_assert_eq!(grid.centre(cell, c.cell_m), (c.lon, c.lat), "a published point is a cell's centre");
            }
            // What a published sensitive point says of its marks is only "somewhere in this
            // square of the coarse grid": each mark counted there lies in the cell's square,
            // and the point is as far from the marks as the cell's centre is, wherever they are.
            for m in marks.iter().filter(|m| out.shown.contains(&m.id) && m.category == sensitive()) {
                let at = position(m).expect("a point");
                let c = out.cells.iter().find(|c| c.sensitive && grid.cell((c.lon, c.lat), side) == grid.cell(at, side)).expect("its cell is published");
                let (dx, dy) = (grid.metres(at).0 - grid.metres((c.lon, c.lat)).0, grid.metres(at).1 - grid.metres((c.lon, c.lat)).1);
                prop_assert!(dx.abs() <= side / 2.0 + 0.5 && dy.abs() <= side / 2.0 + 0.5, "{dx} {dy}");
            }
            // Moving every mark anywhere else inside its cell changes nothing that is published
            // of sensitive categories: their output keeps no trace of the exact positions.
            let moved = marks_of(&drawn, Some(&shifts[..drawn.len()]), grid, side);
            let again = redact(&moved, grid, &params);
            let sensitive_cells = |r: &Redacted| r.cells.iter().filter(|c| c.sensitive).cloned().collect::<Vec<_>>();
            prop_assert_eq!(sensitive_cells(&out), sensitive_cells(&again));
            prop_assert_eq!(out.suppressed_marks, again.suppressed_marks);
            // The categories add up the published cells, and only they.
            let by_category: u32 = out.categories.iter().map(|c| c.marks).sum();
            prop_assert_eq!(by_category, out.cells.iter().map(|c| c.marks).sum::<u32>());
            prop_assert_eq!(out.shown.len() as u32, by_category);
            // No alias and no description reaches the output.
            let json = serde_json::to_string(&out).expect("json");
            prop_assert!(!json.contains("ALIAS-") && !json.contains("DESCRIPCION-") && !json.contains("-zq"), "{json}");
        }
    }
}
