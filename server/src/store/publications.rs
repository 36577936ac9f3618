//! Published diagnósticos: stored as approved, numbered per barrio, never changed; withdrawing
//! one dates its end. The public reads a barrio's newest publication in force.

use app::model::publication::{PublicBarrio, Publication, PublicationSummary};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{Store, StoreError};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("publication: {e}"))
}

/// What withdrawing a publication did.
pub enum Withdrawal {
    Done(Publication),
    /// It had been withdrawn before.
    Already,
}

fn read(content: &str, withdrawn_at_ms: Option<i64>) -> Result<Publication, StoreError> {
    let mut p: Publication = serde_json::from_str(content).map_err(corrupt)?;
    p.withdrawn_at_ms = withdrawn_at_ms;
    Ok(p)
}

fn one(c: &Connection, barrio_id: i64, number: u32) -> Result<Option<Publication>, StoreError> {
    c.query_row(
        "SELECT content, withdrawn_at_ms FROM publications WHERE barrio_id = ?1 AND number = ?2",
        params![barrio_id, number],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)),
    )
    .optional()?
    .map(|(content, withdrawn)| read(&content, withdrawn))
    .transpose()
}

impl Store {
    /// Stores `publication` as the barrio's next one, approved by account `approver`, and
    /// returns it with its number. The diagnóstico it names must exist (the schema checks).
    pub async fn publish(&self, mut publication: Publication, approver: i64) -> Result<Publication, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            publication.number =
                tx.query_row("SELECT coalesce(max(number), 0) + 1 FROM publications WHERE barrio_id = ?1", [publication.barrio_id], |r| {
                    r.get(0)
                })?;
            publication.withdrawn_at_ms = None;
            let content = serde_json::to_string(&publication).map_err(corrupt)?;
            tx.execute(
                "INSERT INTO publications (barrio_id, number, diagnostico_number, published_at_ms, approved_by, content) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![publication.barrio_id, publication.number, publication.diagnostico_number, publication.published_at_ms, approver, content],
            )?;
            tx.commit()?;
            Ok(publication)
        })
        .await
    }

    /// Every publication of a barrio, newest first.
    pub async fn publications(&self, barrio_id: i64) -> Result<Vec<PublicationSummary>, StoreError> {
        self.call(move |c| {
            let mut stmt =
                c.prepare_cached("SELECT content, withdrawn_at_ms FROM publications WHERE barrio_id = ?1 ORDER BY number DESC")?;
            let rows = stmt.query_map([barrio_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))?.collect::<Result<Vec<_>, _>>()?;
            rows.iter()
                .map(|(content, withdrawn)| {
                    let p = read(content, *withdrawn)?;
                    Ok(PublicationSummary {
                        number: p.number,
                        diagnostico_number: p.diagnostico_number,
                        published_at_ms: p.published_at_ms,
                        withdrawn_at_ms: p.withdrawn_at_ms,
                        texts: u32::try_from(p.texts.len()).unwrap_or(u32::MAX),
                        cells: u32::try_from(p.cells.len()).unwrap_or(u32::MAX),
                        params: p.params,
                    })
                })
                .collect()
        })
        .await
    }

    /// One publication, in force or withdrawn.
    pub async fn publication(&self, barrio_id: i64, number: u32) -> Result<Option<Publication>, StoreError> {
        self.call(move |c| one(c, barrio_id, number)).await
    }

    /// The barrio's newest publication in force: what its public page shows.
    pub async fn current_publication(&self, barrio_id: i64) -> Result<Option<Publication>, StoreError> {
        self.call(move |c| {
            c.query_row(
                "SELECT content FROM publications WHERE barrio_id = ?1 AND withdrawn_at_ms IS NULL ORDER BY number DESC LIMIT 1",
                [barrio_id],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|content| read(&content, None))
            .transpose()
        })
        .await
    }

    /// The barrios with a publication in force, by name.
    pub async fn public_barrios(&self) -> Result<Vec<PublicBarrio>, StoreError> {
        self.call(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT b.id, b.name, b.comuna, max(p.number), max(p.published_at_ms) FROM publications p \
                 JOIN barrios b ON b.id = p.barrio_id WHERE p.withdrawn_at_ms IS NULL \
                 GROUP BY b.id ORDER BY b.name COLLATE NOCASE, b.id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(PublicBarrio { barrio_id: r.get(0)?, name: r.get(1)?, comuna: r.get(2)?, number: r.get(3)?, published_at_ms: r.get(4)? })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    /// Withdraws a publication (by account `user`); `None`: no such publication.
    pub async fn withdraw_publication(&self, barrio_id: i64, number: u32, user: i64, now_ms: i64) -> Result<Option<Withdrawal>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(p) = one(&tx, barrio_id, number)? else { return Ok(None) };
            if p.withdrawn_at_ms.is_some() {
                return Ok(Some(Withdrawal::Already));
            }
            tx.execute(
                "UPDATE publications SET withdrawn_at_ms = ?3, withdrawn_by = ?4 WHERE barrio_id = ?1 AND number = ?2",
                params![barrio_id, number, now_ms, user],
            )?;
            tx.commit()?;
            Ok(Some(Withdrawal::Done(Publication { withdrawn_at_ms: Some(now_ms), ..p })))
        })
        .await
    }
}
