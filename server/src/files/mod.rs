//! The registros' files on disk, each named by the SHA-256 of its bytes: a file sent twice is
//! kept once, and a name never points at other bytes. A file is written whole and synced
//! before any registro names it; an upload refused or cut short leaves nothing behind.

mod parts;
pub mod sniff;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use app::model::registro::RegistroError;
use axum::body::Body;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use thiserror::Error;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

use crate::store::StoredFile;

/// Uploads written at once: each holds a file handle and disk bandwidth, so a burst waits
/// its turn instead of filling the disk's queue.
const CONCURRENT_UPLOADS: usize = 4;

/// Past this many bytes over the limit a refused upload is no longer read: the connection
/// is dropped instead of answered.
const DRAIN_CAP: u64 = 16 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum FileError {
    /// The upload itself is refused (empty, too large, not an accepted format).
    #[error(transparent)]
    Refused(#[from] RegistroError),
    #[error("the upload was cut short: {0}")]
    Interrupted(String),
    #[error("file store: {0}")]
    Io(#[from] std::io::Error),
}

/// The folder of registros' files, with its own limit on concurrent uploads.
#[derive(Clone)]
pub struct FileStore {
    root: PathBuf,
    uploads: Arc<Semaphore>,
}

/// Removes a partly written upload unless it was kept.
struct Partial(Option<PathBuf>);

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Whether `sha256` is a SHA-256 as this store names files: 64 lower-case hex digits.
fn is_digest(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // A rename is durable only once its folder is synced (not possible on every system).
    match std::fs::File::open(dir) {
        Ok(d) => d.sync_all().or(Ok(())),
        Err(_) => Ok(()),
    }
}

impl FileStore {
    /// The store in `root` (created on first upload).
    pub fn new(root: PathBuf) -> FileStore {
        FileStore { root, uploads: Arc::new(Semaphore::new(CONCURRENT_UPLOADS)) }
    }

    /// Registros' files kept beside the database `db` (`data/archivos/` for `data/cartobarrio.sqlite3`).
    pub fn beside(db: &Path) -> FileStore {
        FileStore::new(db.parent().unwrap_or(Path::new(".")).join("archivos"))
    }

    /// Where the file of digest `sha256` is kept; `None` for what is not a digest.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        is_digest(sha256).then(|| self.root.join("sha256").join(&sha256[..2]).join(sha256))
    }

    /// Reads `body` to disk, refusing it when empty, over `limit` bytes or not of an accepted
    /// format (by its first bytes), and keeps it under its digest. Memory stays bounded
    /// whatever the size: the body is hashed and written as it arrives.
    pub async fn receive(&self, body: Body, limit: u64) -> Result<StoredFile, FileError> {
        let _turn = self.uploads.acquire().await.map_err(|e| FileError::Interrupted(e.to_string()))?;
        let tmp_dir = self.root.join("tmp");
        tokio::fs::create_dir_all(&tmp_dir).await?;
        let tmp_path = tmp_dir.join(uuid::Uuid::new_v4().to_string());
        let mut partial = Partial(Some(tmp_path.clone()));
        let mut file = tokio::fs::File::create(&tmp_path).await?;
        let mut hasher = Sha256::new();
        let mut head: Vec<u8> = Vec::new();
        let mut formato = None;
        let mut seen: u64 = 0;
        let mut refused: Option<RegistroError> = None;
        let mut body = body;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| FileError::Interrupted(e.to_string()))?;
            let Ok(data) = frame.into_data() else { continue };
            seen = seen.saturating_add(data.len() as u64);
            if refused.is_some() {
                if seen > limit.saturating_add(DRAIN_CAP) {
                    break;
                }
                continue;
            }
            if seen > limit {
                refused = Some(RegistroError::TooLarge { limit });
                continue;
            }
            if formato.is_none() {
                let wanted = sniff::HEAD_BYTES.saturating_sub(head.len()).min(data.len());
                head.extend_from_slice(&data[..wanted]);
                if head.len() >= sniff::HEAD_BYTES {
                    formato = sniff::sniff(&head);
                    if formato.is_none() {
                        refused = Some(RegistroError::NotAllowed);
                        continue;
                    }
                }
            }
            hasher.update(&data);
            file.write_all(&data).await?;
        }
        if let Some(refused) = refused {
            return Err(refused.into());
        }
        if seen == 0 {
            return Err(RegistroError::Empty.into());
        }
        let formato = match formato {
            Some(f) => f,
            None => sniff::sniff(&head).ok_or(RegistroError::NotAllowed)?,
        };
        file.sync_all().await?;
        drop(file);
        let sha256 = format!("{:x}", hasher.finalize());
        let path = self.path_of(&sha256).ok_or_else(|| FileError::Interrupted("digest".into()))?;
        if tokio::fs::try_exists(&path).await? {
            // The same bytes are kept already; this copy goes.
        } else {
            let dir = path.parent().unwrap_or(&self.root).to_path_buf();
            tokio::fs::create_dir_all(&dir).await?;
            tokio::fs::rename(&tmp_path, &path).await?;
            partial.0 = None;
            tokio::task::spawn_blocking(move || sync_dir(&dir)).await.map_err(|e| FileError::Interrupted(e.to_string()))??;
        }
        Ok(StoredFile { sha256, bytes: seen, formato })
    }

    /// Keeps bytes the server wrote itself (the balance kept when barrios are prioritised)
    /// under their digest, as an upload is kept, without sniffing: their format is known.
    pub async fn keep(&self, bytes: Vec<u8>, formato: app::model::registro::Formato) -> Result<StoredFile, FileError> {
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        let path = self.path_of(&sha256).ok_or_else(|| FileError::Interrupted("digest".into()))?;
        let stored = StoredFile { sha256, bytes: bytes.len() as u64, formato };
        if tokio::fs::try_exists(&path).await? {
            return Ok(stored);
        }
        let tmp_dir = self.root.join("tmp");
        tokio::fs::create_dir_all(&tmp_dir).await?;
        let tmp_path = tmp_dir.join(uuid::Uuid::new_v4().to_string());
        let mut partial = Partial(Some(tmp_path.clone()));
        let mut file = tokio::fs::File::create(&tmp_path).await?;
        file.write_all(&bytes).await?;
        file.sync_all().await?;
        drop(file);
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::rename(&tmp_path, &path).await?;
        partial.0 = None;
        tokio::task::spawn_blocking(move || sync_dir(&dir)).await.map_err(|e| FileError::Interrupted(e.to_string()))??;
        Ok(stored)
    }

    /// An unnamed temporary file under the store's folder (`tmp/`), gone once closed, even if
    /// the server stops: room to build a large download without holding it in memory (blocking).
    pub fn scratch(&self) -> std::io::Result<std::fs::File> {
        let dir = self.root.join("tmp");
        std::fs::create_dir_all(&dir)?;
        tempfile::tempfile_in(dir)
    }

    /// The kept file of digest `sha256`, opened for reading.
    pub async fn open(&self, sha256: &str) -> Result<tokio::fs::File, FileError> {
        let path = self.path_of(sha256).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not a digest"))?;
        Ok(tokio::fs::File::open(path).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::sniff::samples;
    use super::*;
    use app::model::registro::Formato;

    fn chunked(bytes: Vec<u8>, chunk: usize) -> Body {
        let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> =
            bytes.chunks(chunk).map(|c| Ok(axum::body::Bytes::copy_from_slice(c))).collect();
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    fn leftovers(root: &Path) -> usize {
        std::fs::read_dir(root.join("tmp")).map_or(0, |d| d.count())
    }

    #[tokio::test]
    async fn a_file_is_kept_once_under_its_digest_whatever_the_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path().join("archivos"));
        let mut pdf = samples::pdf();
        pdf.extend(std::iter::repeat_n(b'x', 200_000));
        let one = files.receive(chunked(pdf.clone(), 7_001), 1 << 20).await.unwrap();
        let two = files.receive(chunked(pdf.clone(), 65_536), 1 << 20).await.unwrap();
        assert_eq!((one.formato, one.bytes), (Formato::Pdf, pdf.len() as u64));
        assert_eq!(one.sha256, two.sha256);
        assert_eq!(one.sha256, format!("{:x}", Sha256::digest(&pdf)));
        assert_eq!(std::fs::read(files.path_of(&one.sha256).unwrap()).unwrap(), pdf);
        assert_eq!(leftovers(&dir.path().join("archivos")), 0, "the second copy was not kept");
        assert_eq!(files.path_of("../../etc/passwd"), None);
    }

    #[tokio::test]
    async fn the_servers_own_files_are_kept_once_under_their_digest() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path().join("archivos"));
        let csv = b"puesto,barrio\n1,Pescaito\n".to_vec();
        let one = files.keep(csv.clone(), Formato::Csv).await.unwrap();
        let two = files.keep(csv.clone(), Formato::Csv).await.unwrap();
        assert_eq!((one.sha256.as_str(), one.bytes, one.formato), (two.sha256.as_str(), csv.len() as u64, Formato::Csv));
        assert_eq!(std::fs::read(files.path_of(&one.sha256).unwrap()).unwrap(), csv);
        assert_eq!(leftovers(&dir.path().join("archivos")), 0);
    }

    #[tokio::test]
    async fn refused_uploads_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archivos");
        let files = FileStore::new(root.clone());
        let mut html = b"<html><body>".to_vec();
        html.extend(std::iter::repeat_n(b' ', 100_000));
        assert!(matches!(files.receive(chunked(html, 4_096), 1 << 20).await, Err(FileError::Refused(RegistroError::NotAllowed))));
        let big = [samples::png(), vec![0; 300_000]].concat();
        assert!(matches!(files.receive(chunked(big, 8_192), 100_000).await, Err(FileError::Refused(RegistroError::TooLarge { .. }))));
        assert!(matches!(files.receive(Body::empty(), 100).await, Err(FileError::Refused(RegistroError::Empty))));
        assert!(matches!(files.receive(chunked(b"%PD".to_vec(), 1), 100).await, Err(FileError::Refused(RegistroError::NotAllowed))));
        assert_eq!(leftovers(&root), 0);
        assert!(!root.join("sha256").exists());
    }
}
