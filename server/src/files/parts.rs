//! The unfinished uploads of photos and voice notes: one file per upload under `partes/`,
//! each chunk written at its place as it arrives; moved under its digest once whole and
//! checked, so a kept file is never a half.

use std::io::Write;
use std::path::PathBuf;

use axum::body::Bytes;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{sync_dir, FileStore};
use crate::media::assembly::{self, Layout};

fn worker(e: tokio::task::JoinError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl FileStore {
    /// Where the chunks of upload `id` are gathered.
    pub fn part_path(&self, id: Uuid) -> PathBuf {
        self.root.join("partes").join(id.simple().to_string())
    }

    /// Writes chunk `n` (whose length `layout` was checked against) at its place in the
    /// upload's part file, synced before the chunk is counted as received.
    pub async fn write_part(&self, id: Uuid, layout: Layout, n: u32, data: Bytes) -> std::io::Result<()> {
        let path = self.part_path(id);
        tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
            assembly::write_chunk(&mut file, &layout, n, &data)?.map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
            file.sync_data()
        })
        .await
        .map_err(worker)?
    }

    /// The upload's part file as it stands (blocking).
    pub fn read_part(&self, id: Uuid) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.part_path(id))
    }

    /// Forgets the chunks of upload `id` (blocking); none there is no error.
    pub fn drop_part(&self, id: Uuid) -> std::io::Result<()> {
        match std::fs::remove_file(self.part_path(id)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Keeps the checked part file of upload `id` as the file of digest `sha256` (blocking):
    /// moved into place, or dropped when the same bytes are kept already.
    pub fn keep_part(&self, id: Uuid, sha256: &str) -> std::io::Result<()> {
        let part = self.part_path(id);
        let path = self.path_of(sha256).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a digest"))?;
        if path.exists() {
            return self.drop_part(id);
        }
        std::fs::File::open(&part)?.sync_all()?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&dir)?;
        std::fs::rename(&part, &path)?;
        sync_dir(&dir)
    }

    /// Keeps `data` (a thumbnail) under its digest, written whole and synced first (blocking).
    pub fn keep_bytes(&self, data: &[u8]) -> std::io::Result<String> {
        let sha256 = format!("{:x}", Sha256::digest(data));
        let path = self.path_of(&sha256).ok_or_else(|| std::io::Error::other("digest"))?;
        if path.exists() {
            return Ok(sha256);
        }
        let tmp_dir = self.root.join("tmp");
        std::fs::create_dir_all(&tmp_dir)?;
        let tmp = tmp_dir.join(Uuid::new_v4().simple().to_string());
        let written = (|| {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(data)?;
            file.sync_all()?;
            let dir = path.parent().unwrap_or(&self.root).to_path_buf();
            std::fs::create_dir_all(&dir)?;
            std::fs::rename(&tmp, &path)?;
            sync_dir(&dir)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map(|()| sha256)
    }

    /// The kept file of digest `sha256`'s path, if it is there.
    pub fn kept(&self, sha256: &str) -> Option<PathBuf> {
        self.path_of(sha256).filter(|p| p.exists())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_gather_in_the_part_and_the_checked_whole_moves_under_its_digest() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path().join("archivos"));
        let id = Uuid::from_u128(7);
        let layout = Layout { bytes: 10, chunk_bytes: 4 };
        for (n, chunk) in [(2, &b"89"[..]), (0, b"0123"), (1, b"4567"), (0, b"0123")] {
            files.write_part(id, layout, n, Bytes::from_static(chunk)).await.unwrap();
        }
        assert_eq!(files.read_part(id).unwrap(), b"0123456789");
        let sha = assembly::sha256_hex(b"0123456789");
        files.keep_part(id, &sha).unwrap();
        assert_eq!(std::fs::read(files.kept(&sha).unwrap()).unwrap(), b"0123456789");
        assert!(!files.part_path(id).exists());
        files.drop_part(id).unwrap();
        let thumb = files.keep_bytes(b"small").unwrap();
        assert_eq!(files.keep_bytes(b"small").unwrap(), thumb, "kept once");
        assert_eq!(std::fs::read_dir(dir.path().join("archivos/tmp")).unwrap().count(), 0);
    }
}
