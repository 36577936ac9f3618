//! What the printable report ("Diagnóstico temprano — Barrio X") says about a stored
//! diagnóstico, as pure functions: problems ranked, the time of day in words, dates, and the
//! causes' own words. Participants are only ever counted here, never named.

use uuid::Uuid;

use super::attributes::TimeOfDay;
use super::diagnostico::{Diagnostico, GeometryKind, Hotspot, RankedCause, TimeProfile};
use super::taxonomy::{Category, MarkKind};
use super::tree::{Cause, CauseCategory};

/// The procedure the report belongs to (Alcaldía de Santa Marta).
pub const PROCEDURE_CODE: &str = "MM-GSC-P-003";

/// The hotspot's kind as the report writes it.
pub fn kind_es(kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Point => "Punto",
        GeometryKind::Route => "Ruta",
        GeometryKind::Zone => "Zona",
    }
}

/// Whether a hotspot is a problem (delitos, convivencia, factores de riesgo); an unknown
/// category counts as one, so nothing reported drops out of the table.
pub fn is_problem(h: &Hotspot) -> bool {
    Category::by_code(&h.category).is_none_or(|c| c.kind == MarkKind::Problem)
}

/// Most marks first, then most people, most workshops, the most recently reported; the id
/// last, so the order never depends on how the list came.
fn by_weight(a: &&Hotspot, b: &&Hotspot) -> std::cmp::Ordering {
    b.count
        .cmp(&a.count)
        .then(b.participants.cmp(&a.participants))
        .then(b.workshops.cmp(&a.workshops))
        .then(b.last_reported_ms.cmp(&a.last_reported_ms))
        .then(a.id.cmp(&b.id))
}

/// The problem hotspots, ranked (see `by_weight`).
pub fn ranked_problems(d: &Diagnostico) -> Vec<&Hotspot> {
    let mut v: Vec<&Hotspot> = d.hotspots.iter().filter(|h| is_problem(h)).collect();
    v.sort_by(by_weight);
    v
}

/// The factores protectores and actores, ranked the same way.
pub fn ranked_others(d: &Diagnostico) -> Vec<&Hotspot> {
    let mut v: Vec<&Hotspot> = d.hotspots.iter().filter(|h| !is_problem(h)).collect();
    v.sort_by(by_weight);
    v
}

/// "Noche (3) · Madrugada (1)": the time bands named, most named first (ties in the day's
/// order), or "Sin dato" when no mark said.
pub fn time_profile_es(t: &TimeProfile) -> String {
    let mut bands: Vec<(TimeOfDay, u32)> = TimeOfDay::ALL.iter().map(|b| (*b, t.get(*b))).filter(|(_, n)| *n > 0).collect();
    bands.sort_by(|a, b| b.1.cmp(&a.1));
    if bands.is_empty() {
        return "Sin dato".into();
    }
    bands.iter().map(|(b, n)| format!("{} ({n})", b.label_es())).collect::<Vec<_>>().join(" · ")
}

/// A day of Santa Marta (UTC−5) as "25/11/2026".
pub fn date_es(ms: i64) -> String {
    let (date, _) = super::workshop::colombia_date_time(ms);
    let part = |r: std::ops::Range<usize>| date.get(r).unwrap_or("").to_string();
    format!("{}/{}/{}", part(8..10), part(5..7), part(0..4))
}

/// A moment of Santa Marta (UTC−5) as "25/11/2026 10:30".
pub fn moment_es(ms: i64) -> String {
    let (_, time) = super::workshop::colombia_date_time(ms);
    format!("{} {time}", date_es(ms))
}

/// "21/11/2026 – 28/11/2026", or one date when both fall on the same day.
pub fn period_es(first_ms: i64, last_ms: i64) -> String {
    let (a, b) = (date_es(first_ms), date_es(last_ms));
    if a == b {
        a
    } else {
        format!("{a} – {b}")
    }
}

/// The first and the last mark reported among `hotspots`.
pub fn reported_period(hotspots: &[Hotspot]) -> Option<(i64, i64)> {
    let first = hotspots.iter().map(|h| h.first_reported_ms).min()?;
    let last = hotspots.iter().map(|h| h.last_reported_ms).max()?;
    Some((first, last))
}

/// The cause category's label, or the code itself when unknown.
pub fn cause_label_es(code: &str) -> String {
    CauseCategory::by_code(code).map(|c| c.label_es.to_string()).unwrap_or_else(|| code.to_string())
}

/// What the community wrote for the causes of a ranked cause category, each text once, in
/// the order of the causes' ids. Causes deleted since are left out.
pub fn cause_texts(ranked: &RankedCause, causes: &[Cause]) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for id in &ranked.cause_ids {
        let Some(c) = causes.iter().find(|c| c.id == *id && !c.deleted) else { continue };
        let text = c.text.trim();
        if !text.is_empty() && !texts.iter().any(|t| t == text) {
            texts.push(text.to_string());
        }
    }
    texts
}

/// The categories of the problems (mark ids) a cause explains, with how many marks of each:
/// "Hurto a personas (3)", the most marks first (then by label: mark ids are random, so the
/// order they come in means nothing).
pub fn problem_labels(problem_ids: &[Uuid], hotspots: &[Hotspot]) -> Vec<String> {
    let mut counts: Vec<(&str, u32)> = Vec::new();
    for id in problem_ids {
        let Some(h) = hotspots.iter().find(|h| h.source_ids.contains(id)) else { continue };
        let label = Category::by_code(&h.category).map(|c| c.label_es).unwrap_or("Otra categoría");
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts.into_iter().map(|(l, n)| format!("{l} ({n})")).collect()
}

/// The labels of the cause categories a solution addresses, each once.
pub fn solution_cause_labels(cause_ids: &[Uuid], causes: &[Cause]) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for id in cause_ids {
        if let Some(c) = causes.iter().find(|c| c.id == *id) {
            let label = cause_label_es(&c.category);
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::{AffectedProfile, DaysProfile, FrequencyProfile, SinceProfile, Totals};
    use crate::model::MergeParams;

    fn hotspot(n: u128, category: &str, count: u32, participants: u32) -> Hotspot {
        Hotspot {
            id: Uuid::from_u128(n),
            barrio_id: 1,
            category: category.into(),
            sensitive: false,
            geometry_kind: GeometryKind::Point,
            geometry: geojson::Geometry::new(geojson::Value::Point(vec![-74.2, 11.24])),
            count,
            participants,
            workshops: 1,
            first_reported_ms: 1_764_000_000_000 + n as i64,
            last_reported_ms: 1_764_000_000_000 + n as i64,
            times: TimeProfile::default(),
            days: DaysProfile::default(),
            frequency: FrequencyProfile::default(),
            since: SinceProfile::default(),
            affected: AffectedProfile::default(),
            source_ids: vec![],
            adjustments: vec![],
        }
    }

    fn diagnostico(hotspots: Vec<Hotspot>) -> Diagnostico {
        Diagnostico {
            barrio_id: 1,
            engine_version: 1,
            params: MergeParams::default(),
            hotspots,
            causes: vec![],
            solutions_by_institution: vec![],
            totals: Totals::default(),
            adjustments: vec![],
        }
    }

    #[test]
    fn problems_rank_by_marks_then_people_and_protective_places_stand_apart() {
        let d = diagnostico(vec![
            hotspot(1, "rinas", 2, 2),
            hotspot(2, "hurto_personas", 5, 3),
            hotspot(3, "parque", 9, 9),
            hotspot(4, "alumbrado_deficiente", 2, 1),
            hotspot(5, "no_such_category", 1, 1),
        ]);
        let ids = |v: Vec<&Hotspot>| v.iter().map(|h| h.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(ranked_problems(&d)), vec![2, 1, 4, 5]);
        assert_eq!(ids(ranked_others(&d)), vec![3]);
    }

    #[test]
    fn the_time_of_day_reads_most_named_first() {
        let t = TimeProfile { noche: 3, madrugada: 1, manana: 1, ..Default::default() };
        assert_eq!(time_profile_es(&t), "Noche (3) · Mañana (1) · Madrugada (1)");
        assert_eq!(time_profile_es(&TimeProfile { sin_dato: 4, ..Default::default() }), "Sin dato");
    }

    #[test]
    fn dates_are_santa_marta_days() {
        // 2026-11-22 03:00 UTC is still the 21st in Santa Marta (UTC−5).
        let ms = 1_795_316_400_000;
        assert_eq!(date_es(ms), "21/11/2026");
        assert_eq!(period_es(ms, ms + 3_600_000), "21/11/2026");
        assert_eq!(period_es(ms, ms + 7 * 86_400_000), "21/11/2026 – 28/11/2026");
        assert_eq!(reported_period(&[]), None);
    }
}
