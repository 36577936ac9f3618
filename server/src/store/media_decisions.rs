//! Staff's decisions on photos and voice notes, appended with who decided and when (the
//! latest one holds, the earlier ones stay as history), and the photos the public may see:
//! approved, not hidden, not on a deleted, rejected or sensitive mark, while their barrio is published.

use app::model::media::MediaDecision;
use rusqlite::{params, TransactionBehavior};
use uuid::Uuid;

use super::media::{listed, ListedMedia};
use super::{Store, StoreError};
use crate::media::publish;

/// What the public may see, in the terms of [`listed`]'s query (`m` the file, `k` its mark,
/// `d` its latest decision): a photo with its thumbnail, approved, of a live mark staff have
/// not rejected (or of a workshop), in a barrio with a publication in force. Sensitive categories are known to the
/// code, not the database: they are left out after.
const PUBLIC: &str = "m.kind = 'photo' AND m.thumb_sha256 IS NOT NULL AND coalesce(d.publish, 0) = 1 \
     AND (m.record_kind <> 'mark' OR k.id IS NOT NULL) \
     AND coalesce((SELECT r.action FROM mark_reviews r WHERE r.mark_id = m.record_id ORDER BY r.seq DESC LIMIT 1), '') <> 'reject' \
     AND EXISTS (SELECT 1 FROM publications p WHERE p.barrio_id = m.barrio_id AND p.withdrawn_at_ms IS NULL)";

impl Store {
    /// Appends `decision` on file `id` by account `account`, if the rules allow it for the
    /// file as it stands, checked and written in one transaction: the file with its new
    /// decision. `None`: no such file kept, or it is hidden or on a deleted mark.
    pub async fn decide_media(
        &self,
        id: Uuid,
        decision: MediaDecision,
        account: i64,
        now_ms: i64,
    ) -> Result<Option<ListedMedia>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(file) = listed(&tx, "m.id = ?1", &[&id.to_string()])?.pop() else { return Ok(None) };
            publish::check(&decision, file.row.kind, file.sensitive())?;
            tx.execute(
                "INSERT INTO media_decisions (media_id, in_report, publish, account_id, decided_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id.to_string(), decision.in_report, decision.publish, account, now_ms],
            )?;
            tx.commit()?;
            Ok(Some(ListedMedia { decision, ..file }))
        })
        .await
    }

    /// The photos of barrio `barrio_id` the public may see, newest first; `None` while the
    /// barrio has no publication in force.
    pub async fn public_photos(&self, barrio_id: i64) -> Result<Option<Vec<ListedMedia>>, StoreError> {
        self.call(move |c| {
            let published: bool = c.query_row(
                "SELECT EXISTS (SELECT 1 FROM publications WHERE barrio_id = ?1 AND withdrawn_at_ms IS NULL)",
                [barrio_id],
                |r| r.get(0),
            )?;
            if !published {
                return Ok(None);
            }
            let photos = listed(c, &format!("m.barrio_id = ?1 AND {PUBLIC}"), &[&barrio_id])?;
            Ok(Some(photos.into_iter().filter(|p| !p.sensitive()).collect()))
        })
        .await
    }

    /// Photo `id`, if the public may see it now.
    pub async fn public_photo(&self, id: Uuid) -> Result<Option<ListedMedia>, StoreError> {
        self.call(move |c| Ok(listed(c, &format!("m.id = ?1 AND {PUBLIC}"), &[&id.to_string()])?.pop().filter(|p| !p.sensitive()))).await
    }
}

#[cfg(test)]
mod tests {
    use super::super::media::{MediaRow, Sender};
    use super::super::test_support::{barrio, store, T};
    use super::*;
    use app::model::media::{MediaError, MediaKind, MediaOffer, RecordKind, RecordRef};

    /// A kept file of `kind` on a workshop (no mark: never sensitive).
    async fn kept(store: &Store, b: i64, n: u128, kind: MediaKind) -> Uuid {
        let offer = MediaOffer {
            id: Uuid::from_u128(n),
            record: RecordRef { kind: RecordKind::Workshop, id: Uuid::from_u128(900) },
            kind,
            mime: if kind == MediaKind::Photo { "image/jpeg" } else { "audio/ogg" }.into(),
            bytes: 1_000,
            sha256: format!("{n:064x}"),
            width: None,
            height: None,
            duration_ms: None,
            captured_at_ms: T,
        };
        let row = MediaRow::offered(&offer, b, None, Sender::Device(Uuid::from_u128(5)), T);
        store.offer_media(row, 40, 1_000).await.unwrap();
        let thumb = (kind == MediaKind::Photo).then(|| "c".repeat(64));
        store.complete_media(offer.id, "image/jpeg", None, thumb, T + 1).await.unwrap();
        offer.id
    }

    async fn account(store: &Store) -> i64 {
        store
            .call(|c| {
                c.execute(
                    "INSERT INTO users (username, display_name, role, password_hash, created_at_ms) VALUES ('ana', 'Ana', 'staff', 'x', 0)",
                    [],
                )?;
                Ok(c.last_insert_rowid())
            })
            .await
            .unwrap()
    }

    /// A publication in force for barrio `b`, approved by `account` (its content is not read here).
    async fn publish(store: &Store, b: i64, account: i64) {
        store
            .call(move |c| {
                c.execute(
                    "INSERT INTO diagnosticos (barrio_id, number, created_at_ms, created_by, engine_version, snapshot, totals) \
                     VALUES (?1, 1, 0, 'Ana', 1, '{}', '{}')",
                    [b],
                )?;
                c.execute(
                    "INSERT INTO publications (barrio_id, number, diagnostico_number, published_at_ms, approved_by, content) \
                     VALUES (?1, 1, 1, 0, ?2, '{}')",
                    [b, account],
                )?;
                Ok(())
            })
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn decisions_are_appended_the_latest_holds_and_voices_are_refused() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let ana = account(&store).await;
        let photo = kept(&store, b, 1, MediaKind::Photo).await;
        let voice = kept(&store, b, 2, MediaKind::Voice).await;
        let approve = MediaDecision { in_report: true, publish: true };
        let listed = store.decide_media(photo, approve, ana, T + 5).await.unwrap().unwrap();
        assert_eq!(listed.decision, approve);
        let withdraw = MediaDecision { in_report: true, publish: false };
        store.decide_media(photo, withdraw, ana, T + 6).await.unwrap().unwrap();
        let refused = store.decide_media(voice, approve, ana, T + 7).await;
        assert!(matches!(refused, Err(StoreError::Media(MediaError::VoiceNeverPublished))), "{refused:?}");
        assert_eq!(store.decide_media(Uuid::from_u128(77), approve, ana, T).await.unwrap(), None);
        let history: Vec<(bool, bool, i64)> = store
            .call(|c| {
                Ok(c.prepare("SELECT in_report, publish, decided_at_ms FROM media_decisions ORDER BY seq")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<Result<_, _>>()?)
            })
            .await
            .unwrap();
        assert_eq!(history, vec![(true, true, T + 5), (true, false, T + 6)], "both kept, the refused one not written");
        let items = store.barrio_media(b, None).await.unwrap();
        let decisions: Vec<(u128, MediaDecision)> = items.iter().map(|m| (m.row.id.as_u128(), m.decision)).collect();
        assert_eq!(decisions, vec![(2, MediaDecision { in_report: false, publish: false }), (1, withdraw)]);
        let changed = store.call(|c| Ok(c.execute("UPDATE media_decisions SET publish = 1", [])?)).await;
        assert!(changed.is_err(), "nothing is changed in place");
    }

    #[tokio::test]
    async fn the_public_sees_approved_photos_only_while_the_barrio_is_published() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let ana = account(&store).await;
        let photo = kept(&store, b, 1, MediaKind::Photo).await;
        kept(&store, b, 2, MediaKind::Photo).await;
        store.decide_media(photo, MediaDecision { in_report: false, publish: true }, ana, T + 5).await.unwrap();
        assert_eq!(store.public_photos(b).await.unwrap(), None, "never published");
        assert_eq!(store.public_photo(photo).await.unwrap(), None);
        publish(&store, b, ana).await;
        let ids = |list: Option<Vec<ListedMedia>>| list.map(|l| l.into_iter().map(|m| m.row.id.as_u128()).collect::<Vec<_>>());
        assert_eq!(ids(store.public_photos(b).await.unwrap()), Some(vec![1]), "the approved one only");
        assert!(store.public_photo(photo).await.unwrap().is_some());
        store.hide_media(photo, T + 9).await.unwrap();
        assert_eq!(ids(store.public_photos(b).await.unwrap()), Some(vec![]));
        assert_eq!(store.public_photo(photo).await.unwrap(), None);
    }
}
