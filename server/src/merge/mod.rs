//! The merge engine: turns every mark, cause and solution drawn for a barrio — in several
//! workshops, by many participants, on many devices — into the barrio's consolidated
//! *diagnóstico temprano* ([`Diagnostico`]). Pure: no HTTP, no SQL, no I/O, no clock, no
//! randomness.
//!
//! # Rules
//! - **Current versions only.** When the input holds several versions of one record (same
//!   id), the current one is taken by the sync rule: the later hybrid logical clock wins (a
//!   version without a clock orders by [`Hlc::legacy`]); two versions with the same clock are
//!   told apart by their JSON text, so the choice never depends on the input order.
//! - **Tombstones are out**: deleted marks, causes and solutions. A cause whose problems are
//!   all deleted (or missing, or not problems) is out; so is a solution whose causes are all
//!   out. Records of other barrios are ignored by [`merge`].
//! - **Points** of one category are linked when at most `point_radius_m` apart, and a hotspot
//!   is a connected set of linked points: single linkage, DBSCAN with `min_points` = 1. Every
//!   mark is in exactly one hotspot, and a chain of points 40 m apart is one hotspot however
//!   long it gets — the community's "this whole street" — which is the point of single
//!   linkage; the hotspot's spread is visible in its source marks.
//! - **Routes** (LineString) of one category are linked when their discrete Fréchet
//!   distance after resampling is at most `route_distance_m`; **zones** (Polygon) when their
//!   intersection over union is at least `zone_iou` or the intersection covers `zone_cover`
//!   of the smaller. Both by union-find over the pairs that can be similar (an R-tree of the
//!   routes' ends and of the zones' bounding boxes finds them; the links are those of every
//!   pair), so again single linkage. Points, routes and zones never merge with each other.
//! - Distances are measured in a local metric frame ([`Frame`]: equirectangular on the WGS84
//!   ellipsoid's radii at the barrio's mean latitude and longitude, error under 0.015 %
//!   within 5 km), computed over the first position of every live mark of the barrio.
//! - Participants, workshops and the time, day, frequency, since and affected profiles are
//!   counted as documented in [`app::model::diagnostico`].
//!
//! # Determinism
//! The same records give the same [`Diagnostico`], byte for byte once serialised, in any
//! input order: each barrio's marks are sorted by id before anything else; clusters and
//! their members are numbered by their lowest id; sums (centroids, the mean position,
//! medoid scores) are taken in id order; hash maps only intern barrios, categories, aliases,
//! devices and workshops to numbers, and the one read back (the barrios) is sorted; output
//! coordinates are rounded to 7 decimals. Versions of one mark are compared within its
//! barrio (a mark does not change barrio).
//!
//! # Performance
//! The point path is the hot one. Each mark is read once, in input order, into a 64-byte
//! record (id, position, date, category, participant, workshop, attributes packed in a
//! `u32`); the records are grouped by barrio with a counting sort and everything after
//! works on them. Interning keeps its own copies of the keys (a key borrowed from the first
//! mark that had it would cost a cache miss on every lookup), distinct counts use stamped
//! arrays, not sets. Points are clustered per (barrio, category) by comparing every pair
//! when there are at most 32 of them, and otherwise on a grid of cells of radius/√2 (a
//! cell's points are linked at once; neighbour cells are found by sorted cell keys). The
//! grid, not an `rstar` R-tree: on the benchmark's 1 M points in their (barrio, category)
//! groups the grid clusters in 82 ms and the R-tree (bulk load, one radius query per point)
//! in 840 ms; on 20 k points in one group, 2.1 ms against 10.2 ms
//! (`cargo bench -p cartobarrio --bench merge -- "point index"`). Single threaded: rayon is
//! not among the project's dependencies.
//!
//! Measured with `cargo bench -p cartobarrio --bench merge` on 2 vCPUs of an Intel Xeon
//! (another build running beside it): 1 M point marks over 600 barrios in 0.33 s, 100 k in
//! 34 ms, 10 k in 7.5 ms, one barrio of 5 k marks in 1.1 ms. supercluster 9.1.0 builds its
//! index of the same 1 M points (`bench/compare/generate.mjs`) in 0.77 s on that machine
//! (0.71 s for the one 50 m level, 1.0 s with one index per barrio and category). Peak memory
//! while merging 1 M marks: 133 MiB over the 528 MiB the input takes; the result takes
//! 72 MiB (`cargo run --release -p cartobarrio --example merge_memory -- 1m`).

mod points;
mod regroup;
mod shapes;
pub mod synthetic;
mod tree;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use app::model::adjustment::Adjustment;
use app::model::diagnostico::{
    hotspot_id, participant, round_coordinate, AffectedProfile, DaysProfile, Diagnostico, FrequencyProfile, GeometryKind, Hotspot,
    MergeParams, Participant, SinceProfile, TimeProfile, Totals, ENGINE_VERSION,
};
use app::model::{Affected, Attributes, Category, Cause, Days, Frequency, Hlc, Mark, MarkKind, Since, Solution, TimeOfDay};
use geojson::Value;
use serde::Serialize;
use uuid::Uuid;

pub use points::Frame;
#[doc(hidden)]
pub use points::{cluster_points_grid, cluster_points_rstar};

/// The diagnóstico of barrio `barrio_id` from its records; records of other barrios in the
/// slices are ignored. A barrio with nothing live gets an empty diagnóstico.
pub fn merge(barrio_id: i64, marks: &[Mark], causes: &[Cause], solutions: &[Solution], params: &MergeParams) -> Diagnostico {
    merge_adjusted(barrio_id, marks, causes, solutions, params, &[])
}

/// [`merge`] with the staff's corrections: `adjustments` are applied in `seq` order to the
/// clusters the rules found (see [`regroup::regroup`]); cancelled ones are skipped. Each
/// hotspot a correction changed lists its `seq`, and the diagnóstico lists every correction
/// it was given.
pub fn merge_adjusted(
    barrio_id: i64,
    marks: &[Mark],
    causes: &[Cause],
    solutions: &[Solution],
    params: &MergeParams,
    adjustments: &[Adjustment],
) -> Diagnostico {
    let mut adjustments: Vec<Adjustment> = adjustments.iter().filter(|a| a.in_force() && a.barrio_id == barrio_id).cloned().collect();
    adjustments.sort_by_key(|a| a.seq);
    let params = params.sanitized();
    let mut s = Scratch::default();
    let mut categories = Interner::default();
    let recs: Vec<Rec> =
        marks
            .iter()
            .enumerate()
            // A re-mapping counts only what was marked since it began.
            .filter(|(_, m)| m.barrio_id == barrio_id && params.desde_ms.is_none_or(|d| m.created_at_ms >= d))
            .map(|(i, m)| s.read(i as u32, m, &mut categories))
            .collect();
    let table = CategoryTable::new(categories);
    let causes: Vec<&Cause> = causes.iter().filter(|c| c.barrio_id == barrio_id).collect();
    let solutions: Vec<&Solution> = solutions.iter().filter(|s| s.barrio_id == barrio_id).collect();
    diagnose(barrio_id, marks, &recs, &table, causes, solutions, &params, &adjustments, &mut s)
}

/// The diagnósticos of every barrio that has any record in the input (even if all of them
/// are deleted), sorted by barrio id. The same as calling [`merge`] for each barrio, in one
/// pass over the input.
pub fn merge_all(marks: &[Mark], causes: &[Cause], solutions: &[Solution], params: &MergeParams) -> Vec<Diagnostico> {
    let params = params.sanitized();
    let mut barrios: FxMap<i64, u32> = FxMap::default();
    let mut barrio_of = |b: i64| {
        let next = barrios.len() as u32;
        *barrios.entry(b).or_insert(next)
    };
    // One pass over the marks in input order (memory order, which the prefetcher follows),
    // each read into a small record; everything after works on those.
    let mut s = Scratch::default();
    let mut categories = Interner::default();
    let mut mark_barrio: Vec<u32> = Vec::with_capacity(marks.len());
    let mut read: Vec<Rec> = Vec::with_capacity(marks.len());
    for (i, m) in marks.iter().enumerate() {
        mark_barrio.push(barrio_of(m.barrio_id));
        read.push(s.read(i as u32, m, &mut categories));
    }
    let cause_barrio: Vec<u32> = causes.iter().map(|c| barrio_of(c.barrio_id)).collect();
    let solution_barrio: Vec<u32> = solutions.iter().map(|s| barrio_of(s.barrio_id)).collect();

    // Barrios in id order, and the records grouped by barrio with a counting sort
    // (`diagnose` sorts each barrio's by id). Copying the records costs less than reaching
    // them through indices later, which would miss the cache once per record.
    let mut order: Vec<(i64, u32)> = barrios.iter().map(|(b, d)| (*b, *d)).collect();
    order.sort_unstable();
    let mut position = vec![0u32; order.len()];
    for (p, (_, dense)) in order.iter().enumerate() {
        position[*dense as usize] = p as u32;
    }
    let mut start = vec![0u32; order.len() + 1];
    for d in &mark_barrio {
        start[position[*d as usize] as usize + 1] += 1;
    }
    for p in 0..order.len() {
        start[p + 1] += start[p];
    }
    let mut fill = start.clone();
    let mut recs = vec![Rec::default(); marks.len()];
    for (r, d) in read.iter().zip(&mark_barrio) {
        let p = position[*d as usize] as usize;
        recs[fill[p] as usize] = *r;
        fill[p] += 1;
    }
    drop((read, mark_barrio));
    let table = CategoryTable::new(categories);
    let mut barrio_causes: Vec<Vec<&Cause>> = vec![Vec::new(); order.len()];
    for (c, d) in causes.iter().zip(&cause_barrio) {
        barrio_causes[position[*d as usize] as usize].push(c);
    }
    let mut barrio_solutions: Vec<Vec<&Solution>> = vec![Vec::new(); order.len()];
    for (sol, d) in solutions.iter().zip(&solution_barrio) {
        barrio_solutions[position[*d as usize] as usize].push(sol);
    }

    let mut out = Vec::with_capacity(order.len());
    for (p, ((barrio_id, _), (c, sol))) in order.iter().zip(barrio_causes.into_iter().zip(barrio_solutions)).enumerate() {
        let range = start[p] as usize..start[p + 1] as usize;
        out.push(diagnose(*barrio_id, marks, &recs[range], &table, c, sol, &params, &[], &mut s));
    }
    out
}

/// FxHash (the compiler's hasher): a fast, non-cryptographic hasher for the interning maps.
/// Their contents are never iterated into the output, so its quality only affects speed.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 59));
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Numbers distinct strings 0, 1, ... in the order they are first met. It keeps its own copy
/// of each: a key borrowed from the first mark that had it would sit far away in memory, and
/// every later lookup would pay a cache miss to compare against it.
#[derive(Default)]
struct Interner {
    ids: FxMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    #[inline]
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(s.into(), id);
        self.names.push(s.into());
        id
    }
}

/// The categories met in the input: `rank` turns the number they were interned with into
/// their rank in code order, by which the other members are indexed. What the taxonomy says
/// of each: a category unknown to it is kept (sensitive, not a problem).
struct CategoryTable {
    rank: Vec<u32>,
    codes: Vec<Box<str>>,
    sensitive: Vec<bool>,
    problem: Vec<bool>,
}

impl CategoryTable {
    fn new(interned: Interner) -> CategoryTable {
        let mut codes = interned.names;
        let mut by_code: Vec<u32> = (0..codes.len() as u32).collect();
        by_code.sort_unstable_by(|a, b| codes[*a as usize].cmp(&codes[*b as usize]));
        let mut rank = vec![0u32; codes.len()];
        for (r, i) in by_code.iter().enumerate() {
            rank[*i as usize] = r as u32;
        }
        codes.sort_unstable();
        let known: Vec<Option<&Category>> = codes.iter().map(|c| Category::by_code(c)).collect();
        CategoryTable {
            rank,
            sensitive: codes.iter().map(|c| Category::is_sensitive(c)).collect(),
            problem: known.iter().map(|k| k.is_some_and(|c| c.kind == MarkKind::Problem)).collect(),
            codes,
        }
    }
}

/// Numbers participants (see [`app::model::diagnostico`]): by alias; without one, by device;
/// without either, one anonymous participant per workshop. Keys are owned, as in
/// [`Interner`].
#[derive(Default)]
struct People {
    aliases: FxMap<Box<str>, u32>,
    devices: FxMap<Box<str>, u32>,
    anonymous: FxMap<Option<Uuid>, u32>,
    count: u32,
}

impl People {
    #[inline]
    fn id(&mut self, alias: &str, hlc: Option<&Hlc>, workshop: Option<Uuid>) -> u32 {
        fn number(map: &mut FxMap<Box<str>, u32>, key: &str, count: &mut u32) -> u32 {
            if let Some(id) = map.get(key) {
                return *id;
            }
            map.insert(key.into(), *count);
            *count += 1;
            *count - 1
        }
        match participant(alias, hlc, workshop) {
            Participant::Alias(alias) => number(&mut self.aliases, alias, &mut self.count),
            Participant::Device(node) => number(&mut self.devices, node, &mut self.count),
            Participant::Anonymous(workshop) => {
                let next = self.count;
                let id = *self.anonymous.entry(workshop).or_insert(next);
                if id == next {
                    self.count += 1;
                }
                id
            }
        }
    }
}

const NO_WORKSHOP: u32 = u32::MAX;

/// What a mark's geometry is, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Point,
    Route,
    Zone,
    Unusable,
}

/// A mark as the engine works with it: everything it needs, read once from the `Mark`.
#[derive(Debug, Clone, Copy)]
struct Rec {
    id: Uuid,
    /// The point, or the first position of a route or zone (lon, lat).
    anchor: [f64; 2],
    created: i64,
    /// Its index in the input.
    mark: u32,
    /// As interned while reading; its rank in code order once in `Scratch::recs`.
    category: u32,
    participant: u32,
    workshop: u32,
    /// The attributes, packed by [`pack`].
    attrs: u32,
    shape: Shape,
    deleted: bool,
}

impl Default for Rec {
    fn default() -> Self {
        Rec {
            id: Uuid::nil(),
            anchor: [0.0; 2],
            created: 0,
            mark: 0,
            category: 0,
            participant: 0,
            workshop: NO_WORKSHOP,
            attrs: 0,
            shape: Shape::Unusable,
            deleted: false,
        }
    }
}

/// Packs a mark's attributes into bits: times 0–3, days 4–5, frequency 6–7 (0 for none, else
/// 1 + its index), since 8–10 (likewise), affected 11–18.
fn pack(a: &Attributes) -> u32 {
    let mut v = 0;
    for t in &a.times {
        v |= 1 << (*t as u32);
    }
    for d in &a.days {
        v |= 1 << (4 + *d as u32);
    }
    if let Some(f) = a.frequency {
        v |= (f as u32 + 1) << 6;
    }
    if let Some(s) = a.since {
        v |= (s as u32 + 1) << 8;
    }
    for x in &a.affected {
        v |= 1 << (11 + *x as u32);
    }
    v
}

/// Counts distinct small numbers without clearing between uses: a number is seen when its
/// slot holds the current stamp.
#[derive(Default)]
struct Distinct {
    seen: Vec<u32>,
    stamp: u32,
    count: u32,
}

impl Distinct {
    fn begin(&mut self, size: usize) {
        if self.seen.len() < size {
            self.seen.resize(size, 0);
        }
        self.stamp += 1;
        self.count = 0;
    }
    #[inline]
    fn add(&mut self, v: u32) {
        let slot = &mut self.seen[v as usize];
        if *slot != self.stamp {
            *slot = self.stamp;
            self.count += 1;
        }
    }
}

/// The interning maps, and buffers reused from barrio to barrio. Participants and workshops
/// are numbered over the whole input (numbers are only ever compared within a barrio).
#[derive(Default)]
struct Scratch {
    people: People,
    workshops: FxMap<Uuid, u32>,
    items: Vec<(u128, u32)>,
    recs: Vec<Rec>,
    by_category: Vec<u32>,
    category_start: Vec<u32>,
    selected: Vec<u32>,
    xy: Vec<[f64; 2]>,
    labels: Vec<u32>,
    members: Vec<u32>,
    member_start: Vec<u32>,
    points: points::PointScratch,
    /// Per cluster of the current group, the corrections that changed it.
    touched: Vec<Vec<i64>>,
    seen_people: Distinct,
    seen_workshops: Distinct,
}

impl Scratch {
    /// Reads mark number `i`. A tombstone is only noted as one.
    #[inline]
    fn read(&mut self, i: u32, m: &Mark, categories: &mut Interner) -> Rec {
        let category = categories.intern(m.category.as_str());
        if m.deleted {
            return Rec { id: m.id, mark: i, category, deleted: true, ..Rec::default() };
        }
        let (shape, anchor) = shape_of(m);
        Rec {
            id: m.id,
            anchor,
            created: m.created_at_ms,
            mark: i,
            category,
            participant: self.people.id(&m.alias, m.hlc.as_ref(), m.workshop_id),
            workshop: self.workshop(m.workshop_id),
            attrs: pack(&m.attributes),
            shape,
            deleted: false,
        }
    }

    fn workshop(&mut self, w: Option<Uuid>) -> u32 {
        match w {
            None => NO_WORKSHOP,
            Some(w) => {
                let next = self.workshops.len() as u32;
                *self.workshops.entry(w).or_insert(next)
            }
        }
    }
}

/// The clock a version orders by (as `Record::clock`).
fn clock(hlc: Option<&Hlc>, created: i64, updated: i64, version: u32) -> Hlc {
    hlc.cloned().unwrap_or_else(|| Hlc::legacy(created, updated, version))
}

/// The current one of two versions of a record: the later clock; on equal clocks, the larger
/// JSON text (any fixed rule will do; it only has to ignore the input order).
fn current<'r, T: Serialize>(a: &'r T, b: &'r T, clock_of: impl Fn(&T) -> Hlc) -> &'r T {
    match clock_of(a).cmp(&clock_of(b)) {
        std::cmp::Ordering::Greater => a,
        std::cmp::Ordering::Less => b,
        std::cmp::Ordering::Equal => {
            let text = |t: &T| serde_json::to_vec(t).unwrap_or_default();
            if text(a) >= text(b) {
                a
            } else {
                b
            }
        }
    }
}

/// The current version of each record in `records`, sorted by id, deleted ones left out.
fn live<'r, T: Serialize>(
    mut records: Vec<&'r T>,
    id: impl Fn(&T) -> Uuid,
    deleted: impl Fn(&T) -> bool,
    clock_of: impl Fn(&T) -> Hlc + Copy,
) -> Vec<&'r T> {
    records.sort_by_key(|r| id(r));
    let mut out: Vec<&'r T> = Vec::with_capacity(records.len());
    let mut last: Option<Uuid> = None;
    for r in records {
        if last == Some(id(r)) {
            let top = out.len() - 1;
            out[top] = current(out[top], r, clock_of);
        } else {
            out.push(r);
            last = Some(id(r));
        }
    }
    out.retain(|r| !deleted(r));
    out
}

fn finite(p: &[f64]) -> bool {
    p.len() >= 2 && p[0].is_finite() && p[1].is_finite()
}

/// Reads a mark's geometry: its shape and first position.
fn shape_of(m: &Mark) -> (Shape, [f64; 2]) {
    match &m.geometry.value {
        Value::Point(p) if finite(p) => (Shape::Point, [p[0], p[1]]),
        Value::LineString(l) if l.len() >= 2 && l.iter().all(|p| finite(p)) => (Shape::Route, [l[0][0], l[0][1]]),
        Value::Polygon(r) if !r.is_empty() && r.iter().all(|ring| ring.len() >= 4 && ring.iter().all(|p| finite(p))) => {
            (Shape::Zone, [r[0][0][0], r[0][0][1]])
        }
        _ => (Shape::Unusable, [0.0, 0.0]),
    }
}

fn rounded(positions: &[Vec<f64>]) -> Vec<Vec<f64>> {
    positions.iter().map(|p| vec![round_coordinate(p[0]), round_coordinate(p[1])]).collect()
}

/// One barrio, from the records of its marks (category numbers already ranked).
#[allow(clippy::too_many_arguments)]
fn diagnose(
    barrio_id: i64,
    marks: &[Mark],
    read: &[Rec],
    table: &CategoryTable,
    causes: Vec<&Cause>,
    solutions: Vec<&Solution>,
    params: &MergeParams,
    adjustments: &[Adjustment],
    s: &mut Scratch,
) -> Diagnostico {
    // 1. The current version of each mark, in id order, tombstones out.
    s.items.clear();
    s.items.extend(read.iter().enumerate().map(|(k, r)| (r.id.as_u128(), k as u32)));
    s.items.sort_unstable();
    s.recs.clear();
    let mut skipped = 0;
    let mut sum = [0.0, 0.0];
    let mut anchored = 0u32;
    let mut run = 0;
    while run < s.items.len() {
        let mut end = run + 1;
        let mut k = s.items[run].1 as usize;
        while end < s.items.len() && s.items[end].0 == s.items[run].0 {
            // Several versions of one mark: rare, so the full records decide.
            let other = s.items[end].1 as usize;
            let (a, b) = (&marks[read[k].mark as usize], &marks[read[other].mark as usize]);
            let mark_clock = |m: &Mark| clock(m.hlc.as_ref(), m.created_at_ms, m.updated_at_ms, m.version);
            if std::ptr::eq(current(a, b, mark_clock), b) {
                k = other;
            }
            end += 1;
        }
        run = end;
        let r = read[k];
        if r.deleted {
            continue;
        }
        if r.shape == Shape::Unusable {
            skipped += 1;
        } else {
            sum[0] += r.anchor[0];
            sum[1] += r.anchor[1];
            anchored += 1;
        }
        s.recs.push(Rec { category: table.rank[r.category as usize], ..r });
    }
    let frame = if anchored > 0 { Frame::new(sum[0] / anchored as f64, sum[1] / anchored as f64) } else { Frame::new(0.0, 0.0) };

    // 2. Marks by category (a stable counting sort keeps id order within a category).
    let ncat = table.codes.len();
    s.category_start.clear();
    s.category_start.resize(ncat + 1, 0);
    for r in &s.recs {
        s.category_start[r.category as usize + 1] += 1;
    }
    for c in 0..ncat {
        s.category_start[c + 1] += s.category_start[c];
    }
    s.by_category.clear();
    s.by_category.resize(s.recs.len(), 0);
    {
        let mut fill = s.category_start.clone();
        for (i, r) in s.recs.iter().enumerate() {
            s.by_category[fill[r.category as usize] as usize] = i as u32;
            fill[r.category as usize] += 1;
        }
    }

    // 3. Hotspots, category by category.
    let mut hotspots: Vec<Hotspot> = Vec::new();
    let npeople = s.people.count as usize;
    let nworkshops = s.workshops.len();
    for c in 0..ncat {
        let range = s.category_start[c] as usize..s.category_start[c + 1] as usize;
        if range.is_empty() {
            continue;
        }
        let first_of_category = hotspots.len();
        let new = NewHotspot { barrio_id, category: &table.codes[c], sensitive: table.sensitive[c] };

        // Points.
        s.selected.clear();
        s.xy.clear();
        for &r in &s.by_category[range.clone()] {
            let rec = &s.recs[r as usize];
            if rec.shape == Shape::Point {
                s.selected.push(r);
                s.xy.push(frame.to_m(rec.anchor[0], rec.anchor[1]));
            }
        }
        if !s.selected.is_empty() {
            let n = points::cluster(&s.xy, params.point_radius_m, &mut s.points, &mut s.labels);
            let n = regroup::regroup(&mut s.labels, n, |i| s.recs[s.selected[i] as usize].id, adjustments, &mut s.touched);
            group(&s.labels, n, &mut s.member_start, &mut s.members);
            for h in 0..n as usize {
                let members = &s.members[s.member_start[h] as usize..s.member_start[h + 1] as usize];
                let (mut lon, mut lat) = (0.0, 0.0);
                for &m in members {
                    let a = s.recs[s.selected[m as usize] as usize].anchor;
                    lon += a[0];
                    lat += a[1];
                }
                let k = members.len() as f64;
                let geometry = Value::Point(vec![round_coordinate(lon / k), round_coordinate(lat / k)]);
                let recs = members.iter().map(|m| &s.recs[s.selected[*m as usize] as usize]);
                hotspots.push(new.build(
                    GeometryKind::Point,
                    geometry,
                    recs,
                    npeople,
                    nworkshops,
                    &mut s.seen_people,
                    &mut s.seen_workshops,
                    &s.touched[h],
                ));
            }
        }

        // Routes.
        s.selected.clear();
        s.selected.extend(s.by_category[range.clone()].iter().copied().filter(|r| s.recs[*r as usize].shape == Shape::Route));
        if !s.selected.is_empty() {
            let routes: Vec<shapes::Route> = s
                .selected
                .iter()
                .map(|r| match &marks[s.recs[*r as usize].mark as usize].geometry.value {
                    Value::LineString(l) => shapes::Route::new(l, &frame, params.route_step_m),
                    _ => unreachable!("checked by shape_of"),
                })
                .collect();
            let n = shapes::cluster_routes(&routes, params.route_distance_m, &mut s.labels);
            let n = regroup::regroup(&mut s.labels, n, |i| s.recs[s.selected[i] as usize].id, adjustments, &mut s.touched);
            group(&s.labels, n, &mut s.member_start, &mut s.members);
            for h in 0..n as usize {
                let members = &s.members[s.member_start[h] as usize..s.member_start[h + 1] as usize];
                let medoid = shapes::medoid_route(&routes, members);
                let geometry = match &marks[s.recs[s.selected[medoid as usize] as usize].mark as usize].geometry.value {
                    Value::LineString(l) => Value::LineString(rounded(l)),
                    _ => unreachable!("checked by shape_of"),
                };
                let recs = members.iter().map(|m| &s.recs[s.selected[*m as usize] as usize]);
                hotspots.push(new.build(
                    GeometryKind::Route,
                    geometry,
                    recs,
                    npeople,
                    nworkshops,
                    &mut s.seen_people,
                    &mut s.seen_workshops,
                    &s.touched[h],
                ));
            }
        }

        // Zones.
        s.selected.clear();
        s.selected.extend(s.by_category[range.clone()].iter().copied().filter(|r| s.recs[*r as usize].shape == Shape::Zone));
        if !s.selected.is_empty() {
            let zones: Vec<shapes::Zone> = s
                .selected
                .iter()
                .map(|r| match &marks[s.recs[*r as usize].mark as usize].geometry.value {
                    Value::Polygon(rings) => shapes::Zone::new(rings, &frame),
                    _ => unreachable!("checked by shape_of"),
                })
                .collect();
            let (n, overlaps) = shapes::cluster_zones(&zones, params.zone_iou, params.zone_cover, &mut s.labels);
            let n = regroup::regroup(&mut s.labels, n, |i| s.recs[s.selected[i] as usize].id, adjustments, &mut s.touched);
            group(&s.labels, n, &mut s.member_start, &mut s.members);
            for h in 0..n as usize {
                let members = &s.members[s.member_start[h] as usize..s.member_start[h + 1] as usize];
                let medoid = shapes::medoid_zone(members, &overlaps, &|z| members.binary_search(&z).ok());
                let geometry = match &marks[s.recs[s.selected[medoid as usize] as usize].mark as usize].geometry.value {
                    Value::Polygon(rings) => Value::Polygon(rings.iter().map(|r| rounded(r)).collect()),
                    _ => unreachable!("checked by shape_of"),
                };
                let recs = members.iter().map(|m| &s.recs[s.selected[*m as usize] as usize]);
                hotspots.push(new.build(
                    GeometryKind::Zone,
                    geometry,
                    recs,
                    npeople,
                    nworkshops,
                    &mut s.seen_people,
                    &mut s.seen_workshops,
                    &s.touched[h],
                ));
            }
        }
        hotspots[first_of_category..].sort_unstable_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    }

    // 4. Causes and solutions.
    let causes = live(causes, |c| c.id, |c| c.deleted, |c| clock(c.hlc.as_ref(), c.created_at_ms, c.updated_at_ms, c.version));
    let solutions = live(solutions, |c| c.id, |c| c.deleted, |c| clock(c.hlc.as_ref(), c.created_at_ms, c.updated_at_ms, c.version));
    let causes: Vec<tree::Authored<'_, Cause>> = causes
        .into_iter()
        .map(|c| tree::Authored {
            record: c,
            participant: s.people.id(&c.alias, c.hlc.as_ref(), c.workshop_id),
            workshop: Some(s.workshop(c.workshop_id)).filter(|w| *w != NO_WORKSHOP),
        })
        .collect();
    let solutions: Vec<tree::Authored<'_, Solution>> = solutions
        .into_iter()
        .map(|c| tree::Authored {
            record: c,
            participant: s.people.id(&c.alias, c.hlc.as_ref(), c.workshop_id),
            workshop: Some(s.workshop(c.workshop_id)).filter(|w| *w != NO_WORKSHOP),
        })
        .collect();
    let recs = &s.recs;
    let problem = |id: &Uuid| {
        let r = &recs[recs.binary_search_by(|r| r.id.cmp(id)).ok()?];
        table.problem[r.category as usize].then_some(tree::Problem { id: r.id, participant: r.participant })
    };
    let tree = tree::rank(&causes, &solutions, problem);

    // 5. Totals.
    s.seen_people.begin(s.people.count as usize);
    s.seen_workshops.begin(s.workshops.len());
    let mut marks_in = 0;
    for r in s.recs.iter().filter(|r| r.shape != Shape::Unusable) {
        marks_in += 1;
        s.seen_people.add(r.participant);
        if r.workshop != NO_WORKSHOP {
            s.seen_workshops.add(r.workshop);
        }
    }
    tree.participants.iter().for_each(|p| s.seen_people.add(*p));
    tree.workshops.iter().for_each(|w| s.seen_workshops.add(*w));
    let totals = Totals {
        marks: marks_in,
        participants: s.seen_people.count,
        workshops: s.seen_workshops.count,
        hotspots: hotspots.len() as u32,
        causes: tree.kept_causes,
        solutions: tree.kept_solutions,
        skipped_marks: skipped,
    };
    Diagnostico {
        barrio_id,
        engine_version: ENGINE_VERSION,
        params: *params,
        hotspots,
        causes: tree.causes,
        solutions_by_institution: tree.institutions,
        totals,
        adjustments: adjustments.iter().map(|a| a.seq).collect(),
    }
}

/// Lists the members of each cluster, in order: cluster `h` is
/// `members[start[h]..start[h + 1]]`, its members in increasing order.
fn group(labels: &[u32], n: u32, start: &mut Vec<u32>, members: &mut Vec<u32>) {
    start.clear();
    start.resize(n as usize + 1, 0);
    for l in labels {
        start[*l as usize + 1] += 1;
    }
    for h in 0..n as usize {
        start[h + 1] += start[h];
    }
    members.clear();
    members.resize(labels.len(), 0);
    let mut fill = start[..n as usize].to_vec();
    for (i, l) in labels.iter().enumerate() {
        members[fill[*l as usize] as usize] = i as u32;
        fill[*l as usize] += 1;
    }
}

/// What every hotspot of one category shares.
struct NewHotspot<'c> {
    barrio_id: i64,
    category: &'c str,
    sensitive: bool,
}

impl NewHotspot<'_> {
    /// A hotspot of `recs` (in id order) represented by `geometry`.
    #[allow(clippy::too_many_arguments)]
    fn build<'r>(
        &self,
        kind: GeometryKind,
        geometry: Value,
        recs: impl Iterator<Item = &'r Rec> + Clone,
        npeople: usize,
        nworkshops: usize,
        people: &mut Distinct,
        workshops_seen: &mut Distinct,
        adjustments: &[i64],
    ) -> Hotspot {
        people.begin(npeople);
        workshops_seen.begin(nworkshops);
        let mut source_ids = Vec::with_capacity(recs.clone().count());
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        let mut times = TimeProfile::default();
        let mut days = DaysProfile::default();
        let mut frequency = FrequencyProfile::default();
        let mut since = SinceProfile::default();
        let mut affected = AffectedProfile::default();
        for r in recs {
            source_ids.push(r.id);
            people.add(r.participant);
            if r.workshop != NO_WORKSHOP {
                workshops_seen.add(r.workshop);
            }
            first = first.min(r.created);
            last = last.max(r.created);
            let a = r.attrs;
            let bits = |from: u32, n: u32| (a >> from) & ((1 << n) - 1);
            match bits(0, 4) {
                0 => times.sin_dato += 1,
                t => (0..4).filter(|i| t & (1 << i) != 0).for_each(|i| times.add(TimeOfDay::ALL[i])),
            }
            match bits(4, 2) {
                0 => days.sin_dato += 1,
                d => (0..2).filter(|i| d & (1 << i) != 0).for_each(|i| days.add(Days::ALL[i])),
            }
            match bits(6, 2) {
                0 => frequency.sin_dato += 1,
                f => frequency.add(Frequency::ALL[f as usize - 1]),
            }
            match bits(8, 3) {
                0 => since.sin_dato += 1,
                v => since.add(Since::ALL[v as usize - 1]),
            }
            match bits(11, 8) {
                0 => affected.sin_dato += 1,
                x => (0..8).filter(|i| x & (1 << i) != 0).for_each(|i| affected.add(Affected::ALL[i])),
            }
        }
        Hotspot {
            id: hotspot_id(&source_ids),
            barrio_id: self.barrio_id,
            category: self.category.to_string(),
            sensitive: self.sensitive,
            geometry_kind: kind,
            geometry: geojson::Geometry::new(geometry),
            count: source_ids.len() as u32,
            participants: people.count,
            workshops: workshops_seen.count,
            first_reported_ms: first,
            last_reported_ms: last,
            times,
            days,
            frequency,
            since,
            affected,
            source_ids,
            adjustments: adjustments.to_vec(),
        }
    }
}
