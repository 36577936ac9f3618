//! Deterministic synthetic records for the merge benchmark, the memory example and the
//! engine's tests. Not used by the server itself.
//!
//! Positions and categories follow `bench/compare/generate.mjs` step by step (the same
//! mulberry32 generator, seed and draws), so for the same N and seed the marks are those of
//! the CSV that supercluster and PostGIS read, up to the last bit of a logarithm or cosine
//! (JavaScript's and Rust's may differ by one ULP): ids from the row index, a 25 × 24 grid
//! of 600 m barrios over Santa Marta, 5–20 hot spots per barrio with 1–3 categories of their
//! own and a Gaussian spread of 15–45 m, 8 % of marks scattered anywhere in the barrio.
//! What the CSV has not — aliases, devices, workshops, attributes, tombstones, causes and
//! solutions — comes from a second generator, so it never shifts the positions.

use app::model::{
    Affected, Attributes, Cause, Days, Frequency, Hlc, Mark, MarkKind, Since, Solution, TimeOfDay, CATEGORIES, CAUSE_CATEGORIES,
    INSTITUTIONS,
};
use uuid::Uuid;

/// The seed of `generate.mjs`.
pub const DEFAULT_SEED: u32 = 0x5a17a;

const COLS: usize = 25;
const ROWS: usize = 24;
const CELL_M: f64 = 600.0;
const LON0: f64 = -74.245;
const LAT0: f64 = 11.175;
const UUID_EPOCH_MS: i64 = 1_735_689_600_000;

/// Share of marks that are tombstones (deleted), which the merge must leave out.
pub const DELETED_SHARE: f64 = 0.01;

/// mulberry32, as in `generate.mjs`: a tiny 32-bit generator, the same on every machine.
#[derive(Debug, Clone)]
pub struct Mulberry32(u32);

impl Mulberry32 {
    pub fn new(seed: u32) -> Mulberry32 {
        Mulberry32(seed)
    }

    /// A number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }

    /// A whole number in 0..k.
    pub fn pick(&mut self, k: usize) -> usize {
        (self.next_f64() * k as f64).floor() as usize
    }

    /// A standard normal number (Box–Muller).
    pub fn gauss(&mut self) -> f64 {
        let u = 1.0 - self.next_f64();
        let v = self.next_f64();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Marks, causes and solutions of one generated data set.
#[derive(Debug, Clone, Default)]
pub struct Synthetic {
    pub marks: Vec<Mark>,
    pub causes: Vec<Cause>,
    pub solutions: Vec<Solution>,
}

struct Centre {
    x: f64,
    y: f64,
    sigma: f64,
    cats: Vec<usize>,
}

struct Barrio {
    id: i64,
    x0: f64,
    y0: f64,
    centres: Vec<Centre>,
    aliases: Vec<String>,
    devices: Vec<String>,
    workshops: Vec<Uuid>,
}

/// `n` point marks over the 600 barrios of the grid (ids 1–600), with a few causes and
/// solutions per barrio.
pub fn city(n: usize, seed: u32) -> Synthetic {
    generate(n, seed, COLS * ROWS)
}

/// `n` point marks in one barrio (id 1), laid out like one barrio of [`city`].
pub fn one_barrio(n: usize, seed: u32) -> Synthetic {
    generate(n, seed, 1)
}

fn generate(n: usize, seed: u32, barrios: usize) -> Synthetic {
    let mut rng = Mulberry32::new(seed);
    let mut extra = Mulberry32::new(seed ^ 0x9e37_79b9);
    let ncat = CATEGORIES.len();
    // Metres per degree at the grid's middle latitude (WGS 84 series), as generate.mjs.
    let lat_mid = LAT0 + (ROWS as f64 * CELL_M) / 2.0 / 110_600.0;
    let phi = lat_mid.to_radians();
    let m_per_deg_lat = 111_132.954 - 559.822 * (2.0 * phi).cos() + 1.175 * (4.0 * phi).cos();
    let m_per_deg_lon = 111_412.84 * phi.cos() - 93.5 * (3.0 * phi).cos() + 0.118 * (5.0 * phi).cos();

    let mut list = Vec::with_capacity(barrios);
    let mut weights = Vec::with_capacity(barrios);
    for b in 0..barrios {
        let (col, row) = (b % COLS, b / COLS);
        weights.push((0.8 * rng.gauss()).exp());
        let n_centres = 5 + rng.pick(16);
        let mut centres = Vec::with_capacity(n_centres);
        for _ in 0..n_centres {
            let own = 1 + rng.pick(3);
            let cats = (0..own).map(|_| rng.pick(ncat)).collect();
            let x = 50.0 + rng.next_f64() * (CELL_M - 100.0);
            let y = 50.0 + rng.next_f64() * (CELL_M - 100.0);
            let sigma = 15.0 + rng.next_f64() * 30.0;
            centres.push(Centre { x, y, sigma, cats });
        }
        let id = b as i64 + 1;
        let aliases = (0..3 + extra.pick(10)).map(|k| format!("Vecino {id}-{k}")).collect::<Vec<_>>();
        // One device per alias, and two more passed round without an alias.
        let devices = (0..aliases.len() + 2).map(|k| format!("0193a1b2-c3d4-7e5f-8a9b-{:06x}{:06x}", id, k)).collect();
        let workshops = (0..1 + extra.pick(4)).map(|k| Uuid::from_u128((0x7a11e7u128 << 96) | ((id as u128) << 32) | k as u128)).collect();
        list.push(Barrio { id, x0: (col * 600) as f64, y0: (row * 600) as f64, centres, aliases, devices, workshops });
    }
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(barrios);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }
    cumulative[barrios - 1] = 1.0;

    let clamp = |v: f64| v.clamp(0.01, CELL_M - 0.01);
    let round7 = |v: f64| (v * 1e7).round() / 1e7;
    let mut marks = Vec::with_capacity(n);
    for i in 0..n {
        let u = rng.next_f64();
        let b = &list[cumulative.partition_point(|c| *c < u).min(barrios - 1)];
        let (x, y, cat);
        if rng.next_f64() < 0.92 {
            let c = &b.centres[rng.pick(b.centres.len())];
            cat = if rng.next_f64() < 0.85 { c.cats[rng.pick(c.cats.len())] } else { rng.pick(ncat) };
            x = c.x + rng.gauss() * c.sigma;
            y = c.y + rng.gauss() * c.sigma;
        } else {
            cat = rng.pick(ncat);
            x = rng.next_f64() * CELL_M;
            y = rng.next_f64() * CELL_M;
        }
        let lon = round7(LON0 + (b.x0 + clamp(x)) / m_per_deg_lon);
        let lat = round7(LAT0 + (b.y0 + clamp(y)) / m_per_deg_lat);
        let created = UUID_EPOCH_MS + i as i64;
        let id = Uuid::from_u128(((created as u128) << 80) | (0x7000u128 << 64) | (0x8000u128 << 48) | i as u128);
        let mut mark = Mark::new_point(id, b.id, CATEGORIES[cat].code, lon, lat, created);
        // Who, where and what they said: 90 % with an alias, 85 % in a workshop.
        let who = extra.pick(b.devices.len());
        if who < b.aliases.len() && extra.next_f64() < 0.9 {
            mark.alias = b.aliases[who].clone();
        }
        if extra.next_f64() < 0.85 {
            mark.workshop_id = Some(b.workshops[extra.pick(b.workshops.len())]);
        }
        mark.attributes = attributes(&mut extra);
        mark.hlc = Some(Hlc { ms: created, counter: 0, node: b.devices[who].clone() });
        if extra.next_f64() < DELETED_SHARE {
            mark.deleted = true;
            mark.version = 2;
            mark.updated_at_ms = created + 60_000;
            mark.hlc = Some(Hlc { ms: created + 60_000, counter: 0, node: b.devices[who].clone() });
        }
        marks.push(mark);
    }
    let (causes, solutions) = tree(&marks, &list, &mut extra);
    Synthetic { marks, causes, solutions }
}

fn attributes(rng: &mut Mulberry32) -> Attributes {
    let some = |rng: &mut Mulberry32, p: f64| rng.next_f64() < p;
    let mut a = Attributes::default();
    for t in TimeOfDay::ALL {
        if some(rng, 0.3) {
            a.times.push(*t);
        }
    }
    for d in Days::ALL {
        if some(rng, 0.25) {
            a.days.push(*d);
        }
    }
    if some(rng, 0.7) {
        a.frequency = Some(Frequency::ALL[rng.pick(Frequency::ALL.len())]);
    }
    if some(rng, 0.5) {
        a.since = Some(Since::ALL[rng.pick(Since::ALL.len())]);
    }
    for x in Affected::ALL {
        if some(rng, 0.15) {
            a.affected.push(*x);
        }
    }
    a
}

/// Up to six causes per barrio, each tied to one to four of its live problem marks, and four
/// solutions tied to one or two of those causes.
fn tree(marks: &[Mark], barrios: &[Barrio], rng: &mut Mulberry32) -> (Vec<Cause>, Vec<Solution>) {
    let mut problems: Vec<Vec<Uuid>> = vec![Vec::new(); barrios.len()];
    for m in marks {
        if !m.deleted && m.kind() == Some(MarkKind::Problem) {
            problems[(m.barrio_id - 1) as usize].push(m.id);
        }
    }
    let t0 = UUID_EPOCH_MS + marks.len() as i64;
    let (mut causes, mut solutions) = (Vec::new(), Vec::new());
    let mut serial = 0u128;
    let mut next_id = || {
        serial += 1;
        Uuid::from_u128((0x0c0u128 << 116) | serial)
    };
    for (b, barrio) in barrios.iter().enumerate() {
        let list = &problems[b];
        if list.is_empty() {
            continue;
        }
        let first = causes.len();
        for _ in 0..6 {
            let mut problem_ids: Vec<Uuid> = (0..1 + rng.pick(4)).map(|_| list[rng.pick(list.len())]).collect();
            problem_ids.sort_unstable();
            problem_ids.dedup();
            let alias = barrio.aliases[rng.pick(barrio.aliases.len())].clone();
            causes.push(Cause {
                id: next_id(),
                barrio_id: barrio.id,
                category: CAUSE_CATEGORIES[rng.pick(CAUSE_CATEGORIES.len())].code.to_string(),
                text: String::new(),
                problem_ids,
                alias,
                created_at_ms: t0,
                version: 1,
                updated_at_ms: 0,
                deleted: false,
                workshop_id: Some(barrio.workshops[0]),
                hlc: None,
            });
        }
        let mine = &causes[first..];
        for k in 0..4 {
            let mut cause_ids: Vec<Uuid> = (0..1 + rng.pick(2)).map(|_| mine[rng.pick(mine.len())].id).collect();
            cause_ids.sort_unstable();
            cause_ids.dedup();
            solutions.push(Solution {
                id: next_id(),
                barrio_id: barrio.id,
                text: format!("Compromiso {k} del barrio {}", barrio.id),
                institution: INSTITUTIONS[rng.pick(INSTITUTIONS.len())].code.to_string(),
                cause_ids,
                alias: String::new(),
                created_at_ms: t0,
                version: 1,
                updated_at_ms: 0,
                deleted: false,
                workshop_id: Some(barrio.workshops[0]),
                hlc: None,
            });
        }
    }
    (causes, solutions)
}

/// The shapes of issue 18's probe, in barrio 1 over a square of `side_m` metres: `small`
/// zones (category `lote_baldio`) and `small` routes (`callejon_oscuro`) of `vertices`
/// positions each, 15–60 m across and 100–400 m long, scattered at random; and `big` zones
/// and routes of `big_vertices` positions, 300 m across and 1.2 km long. Every zone is a
/// valid star-shaped blob; every route a random walk.
pub fn shape_load(small: usize, vertices: usize, big: usize, big_vertices: usize, side_m: f64, seed: u32) -> Vec<Mark> {
    let mut rng = Mulberry32::new(seed);
    let m_per_deg = 111_320.0;
    let (lon0, lat0) = (-74.2f64, 11.24f64);
    let to_lonlat = |x: f64, y: f64| vec![lon0 + x / (m_per_deg * lat0.to_radians().cos()), lat0 + y / m_per_deg];
    let mut marks = Vec::with_capacity(2 * (small + big));
    let mut n = 0u128;
    let mut mark = |geometry: geojson::Value, category: &str| {
        n += 1;
        let id = Uuid::from_u128((0x0193_a1b2_c3d4_7e5f_8a9b_0000_0000_0000u128) + n);
        marks.push(Mark::new_shape(id, 1, category, geojson::Geometry::new(geometry), UUID_EPOCH_MS + n as i64));
    };
    for k in 0..small + big {
        let (radius, count) = if k < small { (7.5 + 22.5 * rng.next_f64(), vertices) } else { (150.0, big_vertices) };
        let (cx, cy) = (radius + rng.next_f64() * (side_m - 2.0 * radius), radius + rng.next_f64() * (side_m - 2.0 * radius));
        let phase = rng.next_f64() * std::f64::consts::TAU;
        let mut ring: Vec<Vec<f64>> = (0..count - 1)
            .map(|i| {
                let a = i as f64 / (count - 1) as f64 * std::f64::consts::TAU;
                let r = radius * (1.0 + 0.2 * (5.0 * a + phase).sin());
                to_lonlat(cx + r * a.cos(), cy + r * a.sin())
            })
            .collect();
        ring.push(ring[0].clone());
        mark(geojson::Value::Polygon(vec![ring]), "lote_baldio");

        let (length, count) = if k < small { (100.0 + 300.0 * rng.next_f64(), vertices) } else { (1200.0, big_vertices) };
        let step = length / (count - 1) as f64;
        let (mut x, mut y) = (rng.next_f64() * side_m, rng.next_f64() * side_m);
        let mut heading = rng.next_f64() * std::f64::consts::TAU;
        let mut line = Vec::with_capacity(count);
        for _ in 0..count {
            line.push(to_lonlat(x, y));
            heading += 0.3 * (rng.next_f64() - 0.5);
            x += step * heading.cos();
            y += step * heading.sin();
        }
        mark(geojson::Value::LineString(line), "callejon_oscuro");
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mulberry32_matches_the_javascript() {
        // node -e 'function m(a){return function(){a=(a+0x6d2b79f5)>>>0;let t=a;
        //   t=Math.imul(t^(t>>>15),t|1);t^=t+Math.imul(t^(t>>>7),t|61);
        //   return((t^(t>>>14))>>>0)/4294967296}};const r=m(1);console.log(r(),r(),r())'
        let mut r = Mulberry32::new(1);
        let got = [r.next_f64(), r.next_f64(), r.next_f64()];
        assert_eq!(got, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    }

    #[test]
    fn the_same_seed_gives_the_same_records() {
        let a = city(2_000, DEFAULT_SEED);
        let b = city(2_000, DEFAULT_SEED);
        assert_eq!(a.marks, b.marks);
        assert_eq!(a.causes, b.causes);
        assert!(a.marks.iter().all(|m| m.check_properties().is_ok()));
        assert!(a.causes.iter().all(|c| c.check().is_ok()));
        assert!(a.solutions.iter().all(|s| s.check().is_ok()));
        let barrios: std::collections::BTreeSet<i64> = a.marks.iter().map(|m| m.barrio_id).collect();
        assert!(barrios.len() > 400 && barrios.iter().all(|b| (1..=600).contains(b)));
        assert!(one_barrio(500, 7).marks.iter().all(|m| m.barrio_id == 1));
    }
}
