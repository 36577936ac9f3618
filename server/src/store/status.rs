//! Every barrio's counts and diagnóstico status in one read: a handful of grouped queries over
//! the whole city, never one per barrio.

use std::collections::{HashMap, HashSet};

use app::model::diagnostico::{participant, Participant};
use app::model::status::{sort_for_work, status_of, BarrioStatus, LatestDiagnostico};
use app::model::{Hlc, Totals};
use rusqlite::Connection;
use uuid::Uuid;

use super::{Store, StoreError};

/// The marks in force with the latest review of each (`verdict`, NULL when never reviewed).
/// `seq` only grows, so the latest decision on a mark is its largest `seq`.
const MARKS_WITH_VERDICT: &str = "WITH latest AS (SELECT mark_id, max(seq) AS seq FROM mark_reviews GROUP BY mark_id), \
     verdict AS (SELECT r.mark_id, r.action FROM mark_reviews r JOIN latest l ON l.seq = r.seq) \
     SELECT m.barrio_id, m.alias, m.hlc, m.workshop_id, m.deleted, coalesce(v.action = 'reject', 0) \
     FROM marks m LEFT JOIN verdict v ON v.mark_id = m.id";

/// When each barrio's current versions arrived, per kind (a version that lost to a later
/// clock changes nothing, so only current ones count), in server milliseconds. `received_at`
/// is SQLite's own `%Y-%m-%dT%H:%M:%fZ`; SQLite keeps julian days in whole milliseconds, so
/// the rounding gives them back exactly.
const ARRIVALS: &str = "SELECT barrio_id, kind, CAST(round((julianday(max(received_at)) - 2440587.5) * 86400000.0) AS INTEGER) FROM ( \
       SELECT m.barrio_id, 'mark' AS kind, v.received_at FROM marks m \
         JOIN record_versions v ON v.kind = 'mark' AND v.id = m.id AND v.hlc = m.hlc \
       UNION ALL SELECT c.barrio_id, 'tree', v.received_at FROM causes c \
         JOIN record_versions v ON v.kind = 'cause' AND v.id = c.id AND v.hlc = c.hlc \
       UNION ALL SELECT s.barrio_id, 'tree', v.received_at FROM solutions s \
         JOIN record_versions v ON v.kind = 'solution' AND v.id = s.id AND v.hlc = s.hlc) \
     GROUP BY barrio_id, kind";

/// The latest diagnóstico of each barrio, with how many it has.
const LATEST_DIAGNOSTICOS: &str = "SELECT d.barrio_id, d.number, d.created_at_ms, d.created_by, d.totals, n.count FROM diagnosticos d \
     JOIN (SELECT barrio_id, max(number) AS number, count(*) AS count FROM diagnosticos GROUP BY barrio_id) n \
       ON n.barrio_id = d.barrio_id AND n.number = d.number";

/// What is counted of one barrio's marks while reading them.
#[derive(Default)]
struct MarkCounts {
    marks: u32,
    rejected: u32,
    /// Owned keys: the participant's kind and text (alias, device, or workshop).
    participants: HashSet<(u8, String)>,
    workshops: HashSet<String>,
}

fn mark_counts(c: &Connection) -> Result<HashMap<i64, MarkCounts>, StoreError> {
    let mut counts: HashMap<i64, MarkCounts> = HashMap::new();
    let mut stmt = c.prepare(MARKS_WITH_VERDICT)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (barrio_id, deleted, rejected): (i64, bool, bool) = (r.get(0)?, r.get(4)?, r.get(5)?);
        if deleted {
            continue;
        }
        let entry = counts.entry(barrio_id).or_default();
        if rejected {
            entry.rejected += 1;
            continue;
        }
        let (alias, hlc, workshop): (String, String, Option<String>) = (r.get(1)?, r.get(2)?, r.get(3)?);
        // A clock that does not parse names no device, as for versions made before clocks.
        let hlc: Option<Hlc> = hlc.parse().ok();
        let workshop_id = workshop.as_deref().and_then(|w| Uuid::parse_str(w).ok());
        let key = match participant(&alias, hlc.as_ref(), workshop_id) {
            Participant::Alias(a) => (0, a.to_string()),
            Participant::Device(d) => (1, d.to_string()),
            Participant::Anonymous(w) => (2, w.map(|w| w.to_string()).unwrap_or_default()),
        };
        entry.marks += 1;
        entry.participants.insert(key);
        if let Some(w) = workshop {
            entry.workshops.insert(w);
        }
    }
    Ok(counts)
}

/// Per barrio: when a mark last arrived, and when anything a diagnóstico reads last changed.
fn arrivals(c: &Connection) -> Result<HashMap<i64, (Option<i64>, Option<i64>)>, StoreError> {
    let mut out: HashMap<i64, (Option<i64>, Option<i64>)> = HashMap::new();
    let mut stmt = c.prepare(ARRIVALS)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?)))?;
    for row in rows {
        let (barrio_id, kind, at) = row?;
        let entry = out.entry(barrio_id).or_default();
        if kind == "mark" {
            entry.0 = at;
        }
        entry.1 = entry.1.max(at);
    }
    // Staff decisions change the next diagnóstico too: reviews, corrections and their cancellations.
    let mut stmt = c.prepare(
        "SELECT barrio_id, max(at) FROM (SELECT barrio_id, at_ms AS at FROM mark_reviews \
         UNION ALL SELECT barrio_id, at_ms FROM hotspot_adjustments \
         UNION ALL SELECT a.barrio_id, x.at_ms FROM adjustment_cancellations x JOIN hotspot_adjustments a ON a.seq = x.adjustment_seq) \
         GROUP BY barrio_id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)))? {
        let (barrio_id, at) = row?;
        let entry = out.entry(barrio_id).or_default();
        entry.1 = entry.1.max(at);
    }
    Ok(out)
}

fn latest_diagnosticos(c: &Connection) -> Result<HashMap<i64, (LatestDiagnostico, u32)>, StoreError> {
    let mut stmt = c.prepare(LATEST_DIAGNOSTICOS)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?, r.get::<_, u32>(5)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(barrio_id, number, created_at_ms, created_by, totals, count)| {
            let totals: Totals =
                serde_json::from_str(&totals).map_err(|e| StoreError::Corrupt(format!("diagnóstico {barrio_id}/{number} totals: {e}")))?;
            let latest = LatestDiagnostico { number, created_at_ms, created_by, marks: totals.marks, hotspots: totals.hotspots };
            Ok((barrio_id, (latest, count)))
        })
        .collect()
}

impl Store {
    /// Every barrio with its counts and status, barrios needing work first (see
    /// [`sort_for_work`]), by name within the same status and time.
    pub async fn barrio_statuses(&self) -> Result<Vec<BarrioStatus>, StoreError> {
        self.call(|c| {
            // One read transaction: every count comes from the same moment of the database.
            let tx = c.transaction()?;
            let mut marks = mark_counts(&tx)?;
            let mut arrivals = arrivals(&tx)?;
            let mut latest = latest_diagnosticos(&tx)?;
            let mut stmt = tx.prepare("SELECT id, code, name, comuna, municipio FROM barrios ORDER BY name COLLATE NOCASE, id")?;
            let barrios = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut list: Vec<BarrioStatus> = barrios
                .into_iter()
                .map(|(barrio_id, code, name, comuna, municipio)| {
                    let counts = marks.remove(&barrio_id).unwrap_or_default();
                    let (last_mark_ms, last_change_ms) = arrivals.remove(&barrio_id).unwrap_or_default();
                    let (latest, diagnosticos) = latest.remove(&barrio_id).map_or((None, 0), |(l, n)| (Some(l), n));
                    let status = status_of(counts.marks, counts.rejected, latest.as_ref().map(|l| l.created_at_ms), last_change_ms);
                    BarrioStatus {
                        barrio_id,
                        code,
                        municipio,
                        name,
                        comuna,
                        marks: counts.marks,
                        rejected: counts.rejected,
                        workshops: counts.workshops.len() as u32,
                        participants: counts.participants.len() as u32,
                        last_mark_ms,
                        last_change_ms,
                        diagnosticos,
                        latest,
                        status,
                    }
                })
                .collect();
            sort_for_work(&mut list);
            Ok(list)
        })
        .await
    }
}
