//! Photos and voice notes in the database: the row of each file offered (its record, sender,
//! digest), the chunks of an unfinished upload received so far, its completion, hiding, and
//! the listings staff and workshops read. The bytes are on disk (`FileStore`), never here.

use app::model::media::{MediaDecision, MediaItem, MediaKind, MediaOffer, MediaReceipt, RecordKind, RecordRef, UploadState};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use uuid::Uuid;

use super::{Store, StoreError};

/// Who offered a file: a device (by the id it joined with) or a signed-in account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Device(Uuid),
    Account(i64),
}

/// A file's row as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRow {
    pub id: Uuid,
    pub record: RecordRef,
    pub barrio_id: i64,
    pub workshop_id: Option<Uuid>,
    pub sender: Sender,
    pub kind: MediaKind,
    pub mime: String,
    pub bytes: u64,
    pub sha256: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u32>,
    pub captured_at_ms: i64,
    pub offered_at_ms: i64,
    pub received_at_ms: Option<i64>,
    pub thumb_sha256: Option<String>,
    pub deleted_at_ms: Option<i64>,
}

impl MediaRow {
    /// The row an accepted offer makes, nothing received yet.
    pub fn offered(offer: &MediaOffer, barrio_id: i64, workshop_id: Option<Uuid>, sender: Sender, now_ms: i64) -> MediaRow {
        MediaRow {
            id: offer.id,
            record: offer.record,
            barrio_id,
            workshop_id,
            sender,
            kind: offer.kind,
            mime: offer.mime.clone(),
            bytes: offer.bytes,
            sha256: offer.sha256.clone(),
            width: offer.width,
            height: offer.height,
            duration_ms: offer.duration_ms,
            captured_at_ms: offer.captured_at_ms,
            offered_at_ms: now_ms,
            received_at_ms: None,
            thumb_sha256: None,
            deleted_at_ms: None,
        }
    }

    /// Whether `offer` from `sender` is this very file offered again (a device resuming).
    pub fn same_offer(&self, offer: &MediaOffer, sender: Sender) -> bool {
        self.sender == sender
            && self.record == offer.record
            && self.kind == offer.kind
            && self.bytes == offer.bytes
            && self.sha256 == offer.sha256
    }

    pub fn receipt(&self) -> Option<MediaReceipt> {
        self.received_at_ms.map(|received_at_ms| MediaReceipt {
            id: self.id,
            sha256: self.sha256.clone(),
            bytes: self.bytes,
            received_at_ms,
        })
    }

    pub fn chunks(&self) -> u32 {
        app::model::media::chunk_count(self.bytes)
    }

    /// Where the upload stands, with the chunks received (all of them once complete).
    pub fn state(&self, received: Vec<u32>) -> UploadState {
        let received = if self.received_at_ms.is_some() { (0..self.chunks()).collect() } else { received };
        UploadState { id: self.id, chunks: self.chunks(), received, receipt: self.receipt() }
    }

    /// The file as staff and the record's participants list it, with staff's latest decision
    /// on it and whether it hangs on a sensitive mark.
    pub fn item(&self, alias: String, decision: MediaDecision, sensitive: bool) -> MediaItem {
        let url = format!("/api/v1/media/{}", self.id);
        MediaItem {
            id: self.id,
            record: self.record,
            kind: self.kind,
            mime: self.mime.clone(),
            bytes: self.bytes,
            width: self.width,
            height: self.height,
            duration_ms: self.duration_ms,
            captured_at_ms: self.captured_at_ms,
            received_at_ms: self.received_at_ms.unwrap_or_default(),
            alias,
            thumb_url: self.thumb_sha256.as_ref().map(|_| format!("{url}/thumb")),
            url,
            in_report: decision.in_report,
            published: decision.publish,
            sensitive,
        }
    }
}

/// A kept file as listings read it: with the alias and category of its mark, if on one, and
/// staff's latest decision on it (none yet: neither in the report nor published).
#[derive(Debug, Clone, PartialEq)]
pub struct ListedMedia {
    pub row: MediaRow,
    pub alias: String,
    pub category: Option<String>,
    pub decision: MediaDecision,
}

impl ListedMedia {
    /// Whether it hangs on a mark of a sensitive (or unknown) category.
    pub fn sensitive(&self) -> bool {
        crate::media::publish::sensitive(self.row.record.kind, self.category.as_deref())
    }

    pub fn item(&self) -> MediaItem {
        self.row.item(self.alias.clone(), self.decision, self.sensitive())
    }
}

/// What a mark is, for deciding who may attach a file to it.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkTarget {
    pub barrio_id: i64,
    pub workshop_id: Option<Uuid>,
    /// The device its first version came from.
    pub first_device: Option<Uuid>,
    pub category: String,
    pub deleted: bool,
}

/// What an offer did.
#[derive(Debug, Clone, PartialEq)]
pub enum Offered {
    /// A new upload, nothing received.
    New(MediaRow),
    /// The same bytes were kept already: complete at once, no byte to send.
    Deduplicated(MediaRow),
    /// This id was offered before: the row as it stands, and the chunks received.
    Existing(MediaRow, Vec<u32>),
    /// The sender has this many unfinished uploads already.
    TooManyOpen,
}

const SELECT_MEDIA: &str = "SELECT m.id, m.record_kind, m.record_id, m.barrio_id, m.workshop_id, m.device_id, m.account_id, m.kind, m.mime, \
     m.bytes, m.sha256, m.width, m.height, m.duration_ms, m.captured_at_ms, m.offered_at_ms, m.received_at_ms, m.thumb_sha256, m.deleted_at_ms \
     FROM media m";

fn uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("media: {s}: {e}")))
}

fn record_kind(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Mark => "mark",
        RecordKind::Workshop => "workshop",
    }
}

fn media_kind(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Photo => "photo",
        MediaKind::Voice => "voice",
    }
}

type RawRow = (String, String, String, i64, Option<String>, Option<String>, Option<i64>, String, String, i64, String);
type RawRest = (Option<u32>, Option<u32>, Option<u32>, i64, i64, Option<i64>, Option<String>, Option<i64>);

fn raw(r: &Row<'_>) -> rusqlite::Result<(RawRow, RawRest)> {
    Ok((
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?),
        (r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?, r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?),
    ))
}

fn parsed(
    ((id, rk, rid, barrio_id, workshop, device, account, kind, mime, bytes, sha256), rest): (RawRow, RawRest),
) -> Result<MediaRow, StoreError> {
    let (width, height, duration_ms, captured_at_ms, offered_at_ms, received_at_ms, thumb_sha256, deleted_at_ms) = rest;
    let record_kind = match rk.as_str() {
        "mark" => RecordKind::Mark,
        "workshop" => RecordKind::Workshop,
        other => return Err(StoreError::Corrupt(format!("media {id}: record kind {other:?}"))),
    };
    let kind = match kind.as_str() {
        "photo" => MediaKind::Photo,
        "voice" => MediaKind::Voice,
        other => return Err(StoreError::Corrupt(format!("media {id}: kind {other:?}"))),
    };
    let sender = match (device, account) {
        (Some(d), _) => Sender::Device(uuid(&d)?),
        (None, Some(a)) => Sender::Account(a),
        (None, None) => return Err(StoreError::Corrupt(format!("media {id}: no sender"))),
    };
    Ok(MediaRow {
        id: uuid(&id)?,
        record: RecordRef { kind: record_kind, id: uuid(&rid)? },
        barrio_id,
        workshop_id: workshop.as_deref().map(uuid).transpose()?,
        sender,
        kind,
        mime,
        bytes: u64::try_from(bytes).map_err(|_| StoreError::Corrupt(format!("media {id}: {bytes} bytes")))?,
        sha256,
        width,
        height,
        duration_ms,
        captured_at_ms,
        offered_at_ms,
        received_at_ms,
        thumb_sha256,
        deleted_at_ms,
    })
}

fn read(c: &Connection, id: Uuid) -> Result<Option<MediaRow>, StoreError> {
    c.prepare_cached(&format!("{SELECT_MEDIA} WHERE m.id = ?1"))?.query_row([id.to_string()], raw).optional()?.map(parsed).transpose()
}

fn chunks(c: &Connection, id: Uuid) -> Result<Vec<u32>, StoreError> {
    Ok(c.prepare_cached("SELECT n FROM media_chunks WHERE media_id = ?1 ORDER BY n")?
        .query_map([id.to_string()], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

fn insert(c: &Connection, row: &MediaRow) -> Result<(), StoreError> {
    let (device, account) = match row.sender {
        Sender::Device(d) => (Some(d.to_string()), None),
        Sender::Account(a) => (None, Some(a)),
    };
    c.execute(
        "INSERT INTO media (id, record_kind, record_id, barrio_id, workshop_id, device_id, account_id, kind, mime, bytes, sha256, width, height, \
         duration_ms, captured_at_ms, offered_at_ms, received_at_ms, thumb_sha256, deleted_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        params![
            row.id.to_string(),
            record_kind(row.record.kind),
            row.record.id.to_string(),
            row.barrio_id,
            row.workshop_id.map(|w| w.to_string()),
            device,
            account,
            media_kind(row.kind),
            row.mime,
            row.bytes as i64,
            row.sha256,
            row.width,
            row.height,
            row.duration_ms,
            row.captured_at_ms,
            row.offered_at_ms,
            row.received_at_ms,
            row.thumb_sha256,
            row.deleted_at_ms,
        ],
    )?;
    Ok(())
}

/// Listed files: kept, not hidden, not on a deleted mark; newest first. Each with its mark's
/// alias and category and its latest decision, in the one query (an index finds the latest).
pub(super) fn listed(c: &Connection, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<ListedMedia>, StoreError> {
    let sql = format!(
        "{}, coalesce(k.alias, ''), k.category, coalesce(d.in_report, 0), coalesce(d.publish, 0) FROM media m \
         LEFT JOIN marks k ON m.record_kind = 'mark' AND k.id = m.record_id \
         LEFT JOIN media_decisions d ON d.seq = (SELECT max(x.seq) FROM media_decisions x WHERE x.media_id = m.id) \
         WHERE m.received_at_ms IS NOT NULL AND m.deleted_at_ms IS NULL AND coalesce(k.deleted, 0) = 0 AND {filter} \
         ORDER BY m.captured_at_ms DESC, m.received_at_ms DESC, m.id DESC",
        SELECT_MEDIA.trim_end_matches(" FROM media m")
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, |r| {
        let decision = MediaDecision { in_report: r.get(21)?, publish: r.get(22)? };
        Ok((raw(r)?, r.get::<_, String>(19)?, r.get::<_, Option<String>>(20)?, decision))
    })?;
    rows.map(|r| {
        let (raw, alias, category, decision) = r?;
        Ok(ListedMedia { row: parsed(raw)?, alias, category, decision })
    })
    .collect()
}

impl Store {
    /// Whether barrio `id` exists.
    pub async fn barrio_exists(&self, id: i64) -> Result<bool, StoreError> {
        self.call(move |c| super::barrios::exists(c, id)).await
    }

    /// What a mark is now, for attaching files to it; `None` for one never received.
    pub async fn mark_target(&self, id: Uuid) -> Result<Option<MarkTarget>, StoreError> {
        self.call(move |c| {
            let found: Option<(i64, Option<String>, String, bool)> = c
                .prepare_cached("SELECT barrio_id, workshop_id, category, deleted FROM marks WHERE id = ?1")?
                .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?;
            let Some((barrio_id, workshop_id, category, deleted)) = found else { return Ok(None) };
            let first: Option<Option<String>> = c
                .prepare_cached("SELECT device_id FROM record_versions WHERE kind = 'mark' AND id = ?1 ORDER BY seq LIMIT 1")?
                .query_row([id.to_string()], |r| r.get(0))
                .optional()?;
            Ok(Some(MarkTarget {
                barrio_id,
                workshop_id: workshop_id.as_deref().map(uuid).transpose()?,
                first_device: first.flatten().as_deref().map(uuid).transpose()?,
                category,
                deleted,
            }))
        })
        .await
    }

    /// Takes an offer, in one transaction: unfinished uploads older than `open_ms` are dropped
    /// first (their ids returned, for their part files), then the id is looked up, the
    /// sender's unfinished uploads counted, and the same bytes kept before looked for.
    pub async fn offer_media(&self, row: MediaRow, max_open: u32, open_ms: i64) -> Result<(Offered, Vec<Uuid>), StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let cutoff = row.offered_at_ms - open_ms;
            let stale: Vec<String> = tx
                .prepare_cached("SELECT id FROM media WHERE received_at_ms IS NULL AND offered_at_ms < ?1")?
                .query_map([cutoff], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            tx.execute("DELETE FROM media WHERE received_at_ms IS NULL AND offered_at_ms < ?1", [cutoff])?;
            let stale = stale.iter().map(|s| uuid(s)).collect::<Result<Vec<_>, _>>()?;
            if let Some(existing) = read(&tx, row.id)? {
                let received = chunks(&tx, row.id)?;
                tx.commit()?;
                return Ok((Offered::Existing(existing, received), stale));
            }
            let kept: Option<MediaRow> = tx
                .prepare_cached(&format!(
                    "{SELECT_MEDIA} WHERE m.sha256 = ?1 AND m.kind = ?2 AND m.bytes = ?3 AND m.received_at_ms IS NOT NULL ORDER BY m.received_at_ms LIMIT 1"
                ))?
                .query_row(params![row.sha256, media_kind(row.kind), row.bytes as i64], raw)
                .optional()?
                .map(parsed)
                .transpose()?;
            let outcome = if let Some(kept) = kept {
                let done = MediaRow {
                    mime: kept.mime,
                    width: kept.width,
                    height: kept.height,
                    thumb_sha256: kept.thumb_sha256,
                    received_at_ms: Some(row.offered_at_ms),
                    ..row
                };
                insert(&tx, &done)?;
                Offered::Deduplicated(done)
            } else {
                let open: u32 = match row.sender {
                    Sender::Device(d) => tx.query_row(
                        "SELECT count(*) FROM media WHERE device_id = ?1 AND received_at_ms IS NULL",
                        [d.to_string()],
                        |r| r.get(0),
                    )?,
                    Sender::Account(a) => {
                        tx.query_row("SELECT count(*) FROM media WHERE account_id = ?1 AND received_at_ms IS NULL", [a], |r| r.get(0))?
                    }
                };
                if open >= max_open {
                    Offered::TooManyOpen
                } else {
                    insert(&tx, &row)?;
                    Offered::New(row)
                }
            };
            tx.commit()?;
            Ok((outcome, stale))
        })
        .await
    }

    /// A file's row and the chunks received of it.
    pub async fn media(&self, id: Uuid) -> Result<Option<(MediaRow, Vec<u32>)>, StoreError> {
        self.call(move |c| match read(c, id)? {
            Some(row) => Ok(Some((row, chunks(c, id)?))),
            None => Ok(None),
        })
        .await
    }

    /// Counts chunk `n` of an unfinished upload as received; the chunks received so far.
    pub async fn add_media_chunk(&self, id: Uuid, n: u32) -> Result<Vec<u32>, StoreError> {
        self.call(move |c| {
            c.execute(
                "INSERT OR IGNORE INTO media_chunks (media_id, n) SELECT id, ?2 FROM media WHERE id = ?1 AND received_at_ms IS NULL",
                params![id.to_string(), n],
            )?;
            chunks(c, id)
        })
        .await
    }

    /// Forgets every chunk of an upload (its bytes did not check out); `drop_row` removes the
    /// offer too (the file is not of a kind that may be kept at all).
    pub async fn reset_media(&self, id: Uuid, drop_row: bool) -> Result<(), StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM media_chunks WHERE media_id = ?1", [id.to_string()])?;
            if drop_row {
                tx.execute("DELETE FROM media WHERE id = ?1 AND received_at_ms IS NULL", [id.to_string()])?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// Marks an upload complete with what its checks found, its file already kept on disk.
    pub async fn complete_media(
        &self,
        id: Uuid,
        mime: &'static str,
        size: Option<(u32, u32)>,
        thumb_sha256: Option<String>,
        now_ms: i64,
    ) -> Result<Option<MediaRow>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE media SET mime = ?2, width = coalesce(?3, width), height = coalesce(?4, height), thumb_sha256 = ?5, received_at_ms = ?6 \
                 WHERE id = ?1 AND received_at_ms IS NULL",
                params![id.to_string(), mime, size.map(|s| s.0), size.map(|s| s.1), thumb_sha256, now_ms],
            )?;
            tx.execute("DELETE FROM media_chunks WHERE media_id = ?1", [id.to_string()])?;
            let row = read(&tx, id)?;
            tx.commit()?;
            Ok(row)
        })
        .await
    }

    /// Hides a file (kept, with its row, for the history); hiding twice keeps the first time.
    pub async fn hide_media(&self, id: Uuid, now_ms: i64) -> Result<(), StoreError> {
        self.call(move |c| {
            c.execute("UPDATE media SET deleted_at_ms = coalesce(deleted_at_ms, ?2) WHERE id = ?1", params![id.to_string(), now_ms])?;
            Ok(())
        })
        .await
    }

    /// The kept files of a barrio's marks and workshops (of one mark when `mark` is given).
    pub async fn barrio_media(&self, barrio_id: i64, mark: Option<Uuid>) -> Result<Vec<ListedMedia>, StoreError> {
        self.call(move |c| {
            let mark = mark.map(|m| m.to_string());
            listed(c, "m.barrio_id = ?1 AND (?2 IS NULL OR (m.record_kind = 'mark' AND m.record_id = ?2))", &[&barrio_id, &mark])
        })
        .await
    }

    /// The kept files of a workshop's marks and of the workshop itself.
    pub async fn workshop_media(&self, workshop_id: Uuid) -> Result<Vec<ListedMedia>, StoreError> {
        self.call(move |c| listed(c, "m.workshop_id = ?1", &[&workshop_id.to_string()])).await
    }

    /// Whether the mark a file hangs on is deleted now (files of workshops: never).
    pub async fn media_on_deleted_mark(&self, row: &MediaRow) -> Result<bool, StoreError> {
        if row.record.kind != RecordKind::Mark {
            return Ok(false);
        }
        let id = row.record.id;
        self.call(move |c| {
            Ok(c.prepare_cached("SELECT deleted FROM marks WHERE id = ?1")?
                .query_row([id.to_string()], |r| r.get::<_, bool>(0))
                .optional()?
                .unwrap_or(false))
        })
        .await
    }

    /// The category of the mark a file hangs on, if it does.
    pub async fn media_category(&self, row: &MediaRow) -> Result<Option<String>, StoreError> {
        if row.record.kind != RecordKind::Mark {
            return Ok(None);
        }
        let id = row.record.id;
        self.call(move |c| {
            Ok(c.prepare_cached("SELECT category FROM marks WHERE id = ?1")?.query_row([id.to_string()], |r| r.get(0)).optional()?)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{barrio, store, T};
    use super::*;
    use app::model::media::MediaOffer;

    fn offer(n: u128, sha: char) -> MediaOffer {
        MediaOffer {
            id: Uuid::from_u128(n),
            record: RecordRef { kind: RecordKind::Mark, id: Uuid::from_u128(999) },
            kind: MediaKind::Photo,
            mime: "image/jpeg".into(),
            bytes: 300_000,
            sha256: sha.to_string().repeat(64),
            width: None,
            height: None,
            duration_ms: None,
            captured_at_ms: T,
        }
    }

    const PHONE: Sender = Sender::Device(Uuid::from_u128(0xde71ce));

    #[tokio::test]
    async fn an_upload_is_offered_once_counts_its_chunks_and_completes_once() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let row = MediaRow::offered(&offer(1, 'a'), b, None, PHONE, T);
        assert!(matches!(store.offer_media(row.clone(), 40, 1_000).await.unwrap(), (Offered::New(_), ref stale) if stale.is_empty()));
        for n in [1, 1, 0] {
            store.add_media_chunk(row.id, n).await.unwrap();
        }
        let (again, _) = store.offer_media(row.clone(), 40, 1_000).await.unwrap();
        assert_eq!(again, Offered::Existing(row.clone(), vec![0, 1]));
        let done = store.complete_media(row.id, "image/jpeg", Some((640, 480)), Some("b".repeat(64)), T + 5).await.unwrap().unwrap();
        assert_eq!((done.received_at_ms, done.width), (Some(T + 5), Some(640)));
        assert_eq!(
            store.complete_media(row.id, "image/png", None, None, T + 9).await.unwrap().unwrap().received_at_ms,
            Some(T + 5),
            "once"
        );
        assert_eq!(store.add_media_chunk(row.id, 0).await.unwrap(), Vec::<u32>::new(), "a complete upload counts no chunk");
        // The same bytes under another id: complete at once, with the first one's checks.
        let twin = MediaRow::offered(&offer(2, 'a'), b, None, Sender::Device(Uuid::from_u128(8)), T + 10);
        match store.offer_media(twin, 40, 1_000).await.unwrap().0 {
            Offered::Deduplicated(row) => assert_eq!((row.received_at_ms, row.thumb_sha256), (Some(T + 10), Some("b".repeat(64)))),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_sender_has_few_unfinished_uploads_and_old_ones_are_dropped() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        for n in 1..=2 {
            let row = MediaRow::offered(&offer(n, 'c'), b, None, PHONE, T);
            assert!(matches!(store.offer_media(row, 2, 1_000).await.unwrap().0, Offered::New(_)));
        }
        let third = MediaRow::offered(&offer(3, 'c'), b, None, PHONE, T + 10);
        assert_eq!(store.offer_media(third.clone(), 2, 1_000).await.unwrap().0, Offered::TooManyOpen);
        let other = MediaRow::offered(&offer(4, 'c'), b, None, Sender::Device(Uuid::from_u128(5)), T + 10);
        assert!(matches!(store.offer_media(other, 2, 1_000).await.unwrap().0, Offered::New(_)), "another device's count");
        store.add_media_chunk(Uuid::from_u128(1), 0).await.unwrap();
        // A week later the unfinished ones are gone, their chunks with them.
        let later = MediaRow { offered_at_ms: T + 2_000, ..third };
        let (offered, stale) = store.offer_media(later, 2, 1_000).await.unwrap();
        assert!(matches!(offered, Offered::New(_)));
        assert_eq!(stale, (1..=4).map(Uuid::from_u128).filter(|id| *id != Uuid::from_u128(3)).collect::<Vec<_>>());
        assert_eq!(store.media(Uuid::from_u128(1)).await.unwrap(), None);
    }

    #[tokio::test]
    async fn hidden_files_leave_the_listings() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        for (n, sha) in [(1, 'd'), (2, 'e')] {
            let row = MediaRow::offered(&offer(n, sha), b, None, PHONE, T);
            store.offer_media(row, 40, 1_000).await.unwrap();
            store.complete_media(Uuid::from_u128(n), "image/jpeg", None, None, T + n as i64).await.unwrap();
        }
        let unfinished = MediaRow::offered(&offer(3, 'f'), b, None, PHONE, T);
        store.offer_media(unfinished, 40, 1_000).await.unwrap();
        let ids = |list: Vec<ListedMedia>| list.into_iter().map(|m| m.row.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(store.barrio_media(b, None).await.unwrap()), vec![2, 1], "complete ones, newest first");
        store.hide_media(Uuid::from_u128(2), T + 50).await.unwrap();
        store.hide_media(Uuid::from_u128(2), T + 90).await.unwrap();
        assert_eq!(ids(store.barrio_media(b, None).await.unwrap()), vec![1]);
        assert_eq!(store.media(Uuid::from_u128(2)).await.unwrap().unwrap().0.deleted_at_ms, Some(T + 50), "kept, hidden once");
        assert_eq!(ids(store.barrio_media(b, Some(Uuid::from_u128(998))).await.unwrap()), Vec::<u128>::new());
    }
}
