//! The árbol de problemas in the diagnóstico: causes grouped by category and ranked, and
//! solutions grouped by institution and ranked, by the live problems and the participants
//! behind them.

use std::collections::BTreeMap;

use app::model::diagnostico::{InstitutionGroup, RankedCause, RankedSolution};
use app::model::{Cause, Solution};
use uuid::Uuid;

/// A live problem mark of the barrio, as the tree needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Problem {
    pub(crate) id: Uuid,
    pub(crate) participant: u32,
}

/// A cause or solution with its author already interned.
pub(crate) struct Authored<'a, T> {
    pub(crate) record: &'a T,
    pub(crate) participant: u32,
    pub(crate) workshop: Option<u32>,
}

/// What the tree adds to the diagnóstico.
pub(crate) struct TreeResult {
    pub(crate) causes: Vec<RankedCause>,
    pub(crate) institutions: Vec<InstitutionGroup>,
    /// The participants and workshops of the causes and solutions kept, for the totals.
    pub(crate) participants: Vec<u32>,
    pub(crate) workshops: Vec<u32>,
    pub(crate) kept_causes: u32,
    pub(crate) kept_solutions: u32,
}

fn distinct(mut v: Vec<u32>) -> u32 {
    v.sort_unstable();
    v.dedup();
    v.len() as u32
}

/// Ranks the live `causes` and `solutions` (current versions, sorted by id, tombstones
/// already out). `problem` finds a live problem mark of the barrio by id.
pub(crate) fn rank(
    causes: &[Authored<'_, Cause>],
    solutions: &[Authored<'_, Solution>],
    problem: impl Fn(&Uuid) -> Option<Problem>,
) -> TreeResult {
    // A cause counts only through its live problems; with none left it is out.
    struct Kept {
        problems: Vec<Problem>,
        participant: u32,
    }
    let mut kept: BTreeMap<Uuid, Kept> = BTreeMap::new();
    let mut participants = Vec::new();
    let mut workshops = Vec::new();
    #[derive(Default)]
    struct Group {
        cause_ids: Vec<Uuid>,
        problem_ids: Vec<Uuid>,
        participants: Vec<u32>,
    }
    let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
    for c in causes {
        let problems: Vec<Problem> = c.record.problem_ids.iter().filter_map(&problem).collect();
        if problems.is_empty() {
            continue;
        }
        let g = groups.entry(c.record.category.as_str()).or_default();
        g.cause_ids.push(c.record.id);
        g.problem_ids.extend(problems.iter().map(|p| p.id));
        g.participants.push(c.participant);
        g.participants.extend(problems.iter().map(|p| p.participant));
        participants.push(c.participant);
        workshops.extend(c.workshop);
        kept.insert(c.record.id, Kept { problems, participant: c.participant });
    }
    let mut ranked: Vec<RankedCause> = groups
        .into_iter()
        .map(|(category, mut g)| {
            g.cause_ids.sort_unstable();
            g.problem_ids.sort_unstable();
            g.problem_ids.dedup();
            RankedCause {
                category: category.to_string(),
                cause_ids: g.cause_ids,
                problems: g.problem_ids.len() as u32,
                problem_ids: g.problem_ids,
                participants: distinct(g.participants),
            }
        })
        .collect();
    ranked.sort_by(|a, b| b.problems.cmp(&a.problems).then(b.participants.cmp(&a.participants)).then_with(|| a.category.cmp(&b.category)));

    #[derive(Default)]
    struct Institution {
        problems: Vec<Uuid>,
        participants: Vec<u32>,
        solutions: Vec<RankedSolution>,
    }
    let mut institutions: BTreeMap<&str, Institution> = BTreeMap::new();
    let mut kept_solutions = 0;
    for s in solutions {
        let mut cause_ids: Vec<Uuid> = s.record.cause_ids.iter().copied().filter(|id| kept.contains_key(id)).collect();
        if cause_ids.is_empty() {
            continue;
        }
        cause_ids.sort_unstable();
        cause_ids.dedup();
        let mut problems = Vec::new();
        let mut people = vec![s.participant];
        for id in &cause_ids {
            let k = &kept[id];
            people.push(k.participant);
            problems.extend(k.problems.iter().map(|p| p.id));
            people.extend(k.problems.iter().map(|p| p.participant));
        }
        problems.sort_unstable();
        problems.dedup();
        participants.push(s.participant);
        workshops.extend(s.workshop);
        kept_solutions += 1;
        let group = institutions.entry(s.record.institution.as_str()).or_default();
        group.problems.extend(problems.iter().copied());
        group.participants.extend(people.iter().copied());
        group.solutions.push(RankedSolution {
            id: s.record.id,
            text: s.record.text.clone(),
            cause_ids,
            problems: problems.len() as u32,
            participants: distinct(people),
        });
    }
    let mut institutions: Vec<InstitutionGroup> = institutions
        .into_iter()
        .map(|(institution, mut g)| {
            g.problems.sort_unstable();
            g.problems.dedup();
            g.solutions.sort_by(|a, b| b.problems.cmp(&a.problems).then(b.participants.cmp(&a.participants)).then(a.id.cmp(&b.id)));
            InstitutionGroup {
                institution: institution.to_string(),
                problems: g.problems.len() as u32,
                participants: distinct(g.participants),
                solutions: g.solutions,
            }
        })
        .collect();
    institutions.sort_by(|a, b| {
        b.problems.cmp(&a.problems).then(b.participants.cmp(&a.participants)).then_with(|| a.institution.cmp(&b.institution))
    });
    TreeResult { causes: ranked, institutions, participants, workshops, kept_causes: kept.len() as u32, kept_solutions }
}
