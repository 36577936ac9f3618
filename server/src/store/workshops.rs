//! Workshops (talleres): creating one with a fresh join code, reading one by id or by code,
//! and a barrio's list.

use app::model::{BarrioSummary, Workshop, WorkshopDraft};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Row};
use uuid::Uuid;

use super::{Store, StoreError};

/// Tries for a code nobody uses before giving up; with 31⁶ codes a collision is already rare.
const CODE_ATTEMPTS: usize = 16;

const SELECT_WORKSHOP: &str =
    "SELECT id, barrio_id, date, place, cbsc, facilitator, join_code, code_expires_at_ms, created_at_ms, closed_at_ms, share_sensitive \
     FROM workshops";

fn row(r: &Row<'_>) -> rusqlite::Result<(String, Workshop)> {
    Ok((
        r.get(0)?,
        Workshop {
            id: Uuid::nil(),
            barrio_id: r.get(1)?,
            date: r.get(2)?,
            place: r.get(3)?,
            cbsc: r.get(4)?,
            facilitator: r.get(5)?,
            join_code: r.get(6)?,
            code_expires_at_ms: r.get(7)?,
            created_at_ms: r.get(8)?,
            closed_at_ms: r.get(9)?,
            share_sensitive: r.get(10)?,
        },
    ))
}

fn parsed((id, workshop): (String, Workshop)) -> Result<Workshop, StoreError> {
    let id = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(format!("workshop {id}: {e}")))?;
    Ok(Workshop { id, ..workshop })
}

/// One workshop, read on an open connection or transaction.
pub(super) fn read(c: &Connection, id: Uuid) -> Result<Option<Workshop>, StoreError> {
    c.prepare_cached(&format!("{SELECT_WORKSHOP} WHERE id = ?1"))?.query_row([id.to_string()], row).optional()?.map(parsed).transpose()
}

/// Whether an insert failed on the unique join code (and nothing else).
fn code_taken(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(msg))
        if f.code == ErrorCode::ConstraintViolation && msg.contains("workshops.join_code"))
}

impl Store {
    /// Stores a new workshop from a draft that passed [`WorkshopDraft::checked`], made at
    /// `now_ms`, with a fresh id and a join code no other workshop has; `None` when its barrio
    /// does not exist. `random` gives the id and the code's bytes (from a v4 UUID in
    /// production) and is asked again when a code is taken.
    pub async fn create_workshop(
        &self,
        draft: WorkshopDraft,
        prepared_by: Option<i64>,
        now_ms: i64,
        random: impl Fn() -> (Uuid, [u8; app::model::workshop::CODE_LEN]) + Send + 'static,
    ) -> Result<Option<Workshop>, StoreError> {
        self.call(move |c| {
            let barrio: Option<i64> = c.query_row("SELECT id FROM barrios WHERE id = ?1", [draft.barrio_id], |r| r.get(0)).optional()?;
            if barrio.is_none() {
                return Ok(None);
            }
            let expires =
                draft.code_expires_at_ms().ok_or_else(|| StoreError::Corrupt(format!("unchecked workshop date {:?}", draft.date)))?;
            let mut last = None;
            for _ in 0..CODE_ATTEMPTS {
                let (id, bytes) = random();
                let d = &draft;
                let workshop = Workshop {
                    id,
                    barrio_id: d.barrio_id,
                    date: d.date.clone(),
                    place: d.place.clone(),
                    cbsc: d.cbsc.clone(),
                    facilitator: d.facilitator.clone(),
                    join_code: app::model::workshop::code_from_random(bytes),
                    code_expires_at_ms: expires,
                    created_at_ms: now_ms,
                    closed_at_ms: None,
                    share_sensitive: false,
                };
                let inserted = c.execute(
                    "INSERT INTO workshops (id, barrio_id, date, place, cbsc, facilitator, join_code, code_expires_at_ms, created_at_ms, prepared_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        workshop.id.to_string(),
                        workshop.barrio_id,
                        workshop.date,
                        workshop.place,
                        workshop.cbsc,
                        workshop.facilitator,
                        workshop.join_code,
                        workshop.code_expires_at_ms,
                        workshop.created_at_ms,
                        prepared_by
                    ],
                );
                match inserted {
                    Ok(_) => return Ok(Some(workshop)),
                    Err(e) if code_taken(&e) => last = Some(e),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(last.map(StoreError::from).unwrap_or_else(|| StoreError::Corrupt("no join code attempt made".into())))
        })
        .await
    }

    /// Closes a workshop at `now_ms` (its devices' tokens stop working); closing it again
    /// keeps the first time. `None` when there is no such workshop.
    pub async fn close_workshop(&self, id: Uuid, now_ms: i64) -> Result<Option<Workshop>, StoreError> {
        self.call(move |c| {
            c.execute("UPDATE workshops SET closed_at_ms = ?2 WHERE id = ?1 AND closed_at_ms IS NULL", params![id.to_string(), now_ms])?;
            read(c, id)
        })
        .await
    }

    /// Whether participants' devices get each other's sensitive marks in this workshop.
    pub async fn set_share_sensitive(&self, id: Uuid, share: bool) -> Result<Option<Workshop>, StoreError> {
        self.call(move |c| {
            c.execute("UPDATE workshops SET share_sensitive = ?2 WHERE id = ?1", params![id.to_string(), share])?;
            read(c, id)
        })
        .await
    }

    pub async fn workshop(&self, id: Uuid) -> Result<Option<Workshop>, StoreError> {
        self.call(move |c| read(c, id)).await
    }

    /// The workshop whose join code is `code` (already in its stored form), with its barrio.
    pub async fn workshop_by_code(&self, code: String) -> Result<Option<(Workshop, BarrioSummary)>, StoreError> {
        self.call(move |c| {
            let found = c.prepare_cached(&format!("{SELECT_WORKSHOP} WHERE join_code = ?1"))?.query_row([code], row).optional()?;
            let Some(workshop) = found.map(parsed).transpose()? else {
                return Ok(None);
            };
            let barrio = super::barrios::read_barrio(c, workshop.barrio_id)?
                .ok_or_else(|| StoreError::Corrupt(format!("workshop {} without its barrio", workshop.id)))?;
            Ok(Some((workshop, barrio.summary)))
        })
        .await
    }

    /// A barrio's workshops, newest first.
    pub async fn workshops_for_barrio(&self, barrio_id: i64) -> Result<Vec<Workshop>, StoreError> {
        self.call(move |c| {
            let mut stmt =
                c.prepare(&format!("{SELECT_WORKSHOP} WHERE barrio_id = ?1 ORDER BY created_at_ms DESC, date DESC, rowid DESC"))?;
            let rows = stmt.query_map([barrio_id], row)?.collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(parsed).collect()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{barrio, store, T};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn draft(barrio_id: i64) -> WorkshopDraft {
        WorkshopDraft {
            barrio_id,
            date: "2026-11-28".into(),
            place: "Salón comunal".into(),
            cbsc: "CBSC".into(),
            facilitator: "Ana".into(),
        }
    }

    #[tokio::test]
    async fn a_taken_code_is_drawn_again_and_an_unknown_barrio_is_none() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let first = store.create_workshop(draft(b), None, T, || (Uuid::from_u128(1), [0; 6])).await.unwrap();
        let first = first.unwrap();
        assert_eq!(first.join_code, "222222");
        // The next random draws give the same code twice, then another one.
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let random = move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            (Uuid::from_u128(10 + n as u128), if n < 2 { [0; 6] } else { [1; 6] })
        };
        let second = store.create_workshop(draft(b), None, T + 1, random).await.unwrap().unwrap();
        assert_eq!((second.join_code.as_str(), calls.load(Ordering::SeqCst)), ("333333", 3));
        assert_eq!(store.workshops_for_barrio(b).await.unwrap(), vec![second.clone(), first.clone()], "newest first");
        assert_eq!(store.workshop_by_code("333333".into()).await.unwrap().map(|(w, s)| (w, s.id)), Some((second, b)));
        assert_eq!(store.workshop(first.id).await.unwrap(), Some(first));
        let none = store.create_workshop(draft(424242), None, T, || (Uuid::from_u128(2), [3; 6])).await;
        assert_eq!(none.unwrap(), None);
        // Every code taken: the store gives up instead of looping for ever.
        let err = store.create_workshop(draft(b), None, T, || (Uuid::new_v4(), [0; 6])).await;
        assert!(err.is_err());
    }
}
