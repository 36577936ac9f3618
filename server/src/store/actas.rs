//! Actas as stored: every version received, immutable (migration 0016); the highest version
//! is the acta. Sending a version again is answered alike, so a tablet that lost the answer
//! may send it as often as it needs.

use app::model::account::User;
use app::model::acta::{Acta, ActaError};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::versioned;
use super::{Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// Whether acta `id` exists in barrio `barrio_id` (a registro may name it).
pub(super) fn in_barrio(c: &Connection, id: Uuid, barrio_id: i64) -> Result<bool, StoreError> {
    let found = c
        .prepare_cached("SELECT 1 FROM acta_versions WHERE id = ?1 AND barrio_id = ?2 LIMIT 1")?
        .query_row(params![id.to_string(), barrio_id], |_| Ok(()))
        .optional()?;
    Ok(found.is_some())
}

impl Store {
    /// Keeps a checked version of an acta written by `by`. `Ok((acta, true))` when stored now,
    /// `(acta, false)` when this very version was stored before. Refused: another content under
    /// the same version, a version older than the stored one, another barrio, or (unless
    /// `any_author`) an acta first written by another account. `None`: no such barrio.
    pub async fn put_acta(&self, mut acta: Acta, by: User, any_author: bool, now_ms: i64) -> Result<Option<(Acta, bool)>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !super::barrios::exists(&tx, acta.barrio_id)? {
                return Ok(None);
            }
            acta.author = by.display_name.clone();
            if let Some(stored) = versioned::version(&tx, versioned::ACTAS, acta.id, acta.version)? {
                return if stored.same_content(&acta) { Ok(Some((stored, false))) } else { Err(ActaError::Conflict(acta.version).into()) };
            }
            if let Some((current, first_author)) = versioned::latest(&tx, versioned::ACTAS, acta.id)? {
                if current.barrio_id != acta.barrio_id {
                    return Err(ActaError::OtherBarrio.into());
                }
                if current.version > acta.version {
                    return Err(ActaError::Stale(current.version).into());
                }
                if !any_author && first_author != Some(by.id) {
                    return Err(ActaError::NotYours.into());
                }
            }
            let body = serde_json::to_string(&acta).map_err(|e| corrupt("acta", e))?;
            tx.execute(
                "INSERT INTO acta_versions (id, version, barrio_id, kind, fecha, deleted, body, author_user_id, author, received_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    acta.id.to_string(),
                    acta.version,
                    acta.barrio_id,
                    acta.kind.code(),
                    acta.fecha,
                    acta.deleted,
                    body,
                    by.id,
                    acta.author,
                    now_ms
                ],
            )?;
            let what = if acta.deleted { "retirada" } else { "guardada" };
            let detail = format!("{} versión {} {what}", acta.kind.code(), acta.version);
            audit_row(&tx, Some(&by), "acta_write", format!("barrio {} acta {}", acta.barrio_id, acta.id), detail, now_ms)?;
            tx.commit()?;
            Ok(Some((acta, true)))
        })
        .await
    }

    /// The latest version of every acta of the barrio, withdrawn ones included (flagged),
    /// newest meeting first.
    pub async fn actas_of_barrio(&self, barrio_id: i64) -> Result<Vec<Acta>, StoreError> {
        self.call(move |c| versioned::of_barrio(c, versioned::ACTAS, barrio_id))
        .await
    }

    /// The latest version of acta `id`.
    pub async fn acta(&self, id: Uuid) -> Result<Option<Acta>, StoreError> {
        self.call(move |c| Ok(versioned::latest(c, versioned::ACTAS, id)?.map(|(acta, _)| acta))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;
    use app::model::account::Role;
    use app::model::acta::{ActaKind, Asistencia};

    fn acta(barrio_id: i64, version: u32, lugar: &str) -> Acta {
        Acta {
            id: Uuid::from_u128(3),
            barrio_id,
            version,
            kind: ActaKind::ComiteBarrial,
            fecha: "2026-12-05".into(),
            lugar: lugar.into(),
            asistencia: Asistencia { comunidad: 12, ..Asistencia::default() },
            agenda: String::new(),
            desarrollo: String::new(),
            decisiones: String::new(),
            compromisos: vec![],
            updated_at_ms: T,
            author: String::new(),
            deleted: false,
        }
    }

    #[tokio::test]
    async fn versions_are_kept_resent_alike_and_only_moved_forward() {
        let (_dir, store) = store().await;
        let barrio = barrio(&store, "pescaito").await;
        let other_barrio = city_barrio(&store, "47001", "bastidas").await;
        let ana = account(&store, "ana", Role::Facilitator).await;
        let luis = account(&store, "luis", Role::Facilitator).await;
        let marta = account(&store, "marta", Role::Staff).await;
        assert!(store.put_acta(acta(barrio, 1, "Caseta"), ana.clone(), false, T).await.unwrap().unwrap().1);
        assert!(!store.put_acta(acta(barrio, 1, "Caseta"), ana.clone(), false, T).await.unwrap().unwrap().1, "sent again: the same");
        let refusal = |r: Result<Option<(Acta, bool)>, StoreError>| match r {
            Err(StoreError::Acta(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(refusal(store.put_acta(acta(barrio, 1, "Parque"), ana.clone(), false, T).await), ActaError::Conflict(1));
        assert_eq!(refusal(store.put_acta(acta(barrio, 2, "Parque"), luis.clone(), false, T).await), ActaError::NotYours);
        assert_eq!(refusal(store.put_acta(acta(other_barrio, 2, "Parque"), ana.clone(), false, T).await), ActaError::OtherBarrio);
        store.put_acta(acta(barrio, 3, "Parque"), marta.clone(), true, T).await.unwrap().unwrap();
        assert_eq!(refusal(store.put_acta(acta(barrio, 2, "Colegio"), ana.clone(), false, T).await), ActaError::Stale(3));
        let list = store.actas_of_barrio(barrio).await.unwrap();
        assert_eq!((list.len(), list[0].version, list[0].author.as_str(), list[0].lugar.as_str()), (1, 3, "marta", "Parque"));
        assert_refused(&store, &["UPDATE acta_versions SET body = '{}'", "DELETE FROM acta_versions"]).await;
    }
}
