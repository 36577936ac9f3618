//! The room of a running workshop as its facilitator sees it (`GET /api/v1/workshops/{id}/room`):
//! devices joined, participants counted by alias, what was drawn per stage, and what each
//! device last said was still waiting on it. Counts only: no alias, no name, no mark.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::stage::Stage;
use super::taxonomy::Category;

/// How often the facilitator's page asks again while it is open, in milliseconds: fresh
/// enough to see a mark arrive, rare enough that a room's tablets and the server barely
/// notice (one small read every few seconds, never two at once).
pub const ROOM_REFRESH_MS: u32 = 5_000;

/// What a device says, when it pulls a workshop's changes, about its own queue for that
/// workshop (`?pending=&refused=` on `GET /api/v1/workshops/{id}/changes`). Devices from
/// before the room panel send nothing, and the panel says it has no figure for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueReport {
    /// Changes made on the device and not yet confirmed by the server.
    pub pending: u32,
    /// Changes the server refused, kept on the device with their reason.
    pub refused: u32,
}

/// One stage of the workshop and how much was drawn for it: marks of the stage's category
/// groups, causes for the problem tree, solutions for the last stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCount {
    /// [`Stage::code`]: `barrio`, `problemas`, `arbol`, `actores`, `soluciones`.
    pub stage: String,
    pub count: u32,
}

/// A device that joined the workshop, numbered in the order it joined (its id stays on the
/// server: the number is enough to tell tablets apart in the room).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomDevice {
    pub number: u32,
    /// `participant` (joined with the code) or `facilitator` (the tablet that prepared it).
    pub kind: String,
    pub joined_at_ms: i64,
    /// Versions the server received from it in this workshop.
    pub received: u32,
    /// Its queue as it last reported it; `None` when it never did (an older app).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueueReport>,
    /// When it last reported (server time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at_ms: Option<i64>,
}

/// `GET /api/v1/workshops/{id}/room`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    pub workshop_id: Uuid,
    /// Devices that joined (each counted once however often it joined).
    pub devices: u32,
    /// Distinct participants behind the workshop's current marks, causes and solutions, by
    /// the merge's rule: by alias, else by device.
    pub participants: u32,
    /// Current (not deleted) marks of the workshop.
    pub marks: u32,
    pub causes: u32,
    pub solutions: u32,
    /// One line per stage, in the stepper's order.
    pub stages: Vec<StageCount>,
    pub device_list: Vec<RoomDevice>,
    /// The server's clock when it answered, so "hace 20 s" does not depend on the tablet's.
    pub server_time_ms: i64,
}

/// The stage a mark of `category` belongs to; `None` for a category this version does not
/// know (counted among the marks, under no stage).
pub fn stage_of(category: &str) -> Option<Stage> {
    let group = Category::by_code(category)?.group;
    Stage::ALL.into_iter().find(|s| s.groups().contains(&group))
}

/// The stage lines from counted marks per category and the tree's counts.
pub fn stage_counts<'a>(marks_by_category: impl IntoIterator<Item = (&'a str, u32)>, causes: u32, solutions: u32) -> Vec<StageCount> {
    let mut counts = [0u32; 5];
    for (category, n) in marks_by_category {
        if let Some(stage) = stage_of(category) {
            counts[stage.number() - 1] += n;
        }
    }
    counts[Stage::Tree.number() - 1] += causes;
    counts[Stage::Solutions.number() - 1] += solutions;
    Stage::ALL.iter().zip(counts).map(|(s, count)| StageCount { stage: s.code().to_string(), count }).collect()
}

/// How long ago, in words, from two clocks of the same machine ("hace 20 s", "hace 3 min").
pub fn ago_es(then_ms: i64, now_ms: i64) -> String {
    let s = (now_ms - then_ms).max(0) / 1000;
    match s {
        0..=4 => "ahora".into(),
        5..=59 => format!("hace {s} s"),
        60..=3599 => format!("hace {} min", s / 60),
        _ => format!("hace {} h", s / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_count_under_the_stage_of_their_group_and_the_tree_under_its_own() {
        let counts = stage_counts([("parque", 2), ("hurto_personas", 3), ("rinas", 1), ("no_such_category", 9)], 4, 5);
        let by = |code: &str| counts.iter().find(|c| c.stage == code).map(|c| c.count);
        assert_eq!(counts.iter().map(|c| c.stage.as_str()).collect::<Vec<_>>(), ["barrio", "problemas", "arbol", "actores", "soluciones"]);
        assert_eq!(by("problemas"), Some(4));
        assert_eq!(by("arbol"), Some(4));
        assert_eq!(by("soluciones"), Some(5));
        assert_eq!(stage_of("no_such_category"), None);
        for c in crate::model::CATEGORIES {
            assert!(stage_of(c.code).is_some(), "{} has a stage", c.code);
        }
    }

    #[test]
    fn time_ago_reads_naturally_and_never_goes_negative() {
        assert_eq!(ago_es(10_000, 9_000), "ahora");
        assert_eq!(ago_es(0, 20_000), "hace 20 s");
        assert_eq!(ago_es(0, 180_000), "hace 3 min");
        assert_eq!(ago_es(0, 7_300_000), "hace 2 h");
    }

    #[test]
    fn an_old_devices_line_has_no_queue_and_reads_back() {
        let line = RoomDevice { number: 1, kind: "participant".into(), joined_at_ms: 5, received: 0, queue: None, reported_at_ms: None };
        let json = serde_json::to_value(&line).unwrap();
        assert!(json.get("queue").is_none());
        assert_eq!(serde_json::from_value::<RoomDevice>(json).unwrap(), line);
    }
}
