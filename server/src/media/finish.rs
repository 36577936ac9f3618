//! The last step of an upload, off the async threads: the whole file read back from its part,
//! checked against its digest, its kind and (photos) for camera data left in it, its
//! thumbnail made (photos), and both kept under their digests — before any row names them.

use app::model::media::{MediaError, MediaKind, THUMB_SIDE};
use uuid::Uuid;

use super::{assembly, metadata, sniff, thumb};
use crate::files::FileStore;

/// What the checks learnt of a kept file.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub mime: &'static str,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub thumb_sha256: Option<String>,
}

#[derive(Debug)]
pub enum FinishError {
    /// The bytes are not the file offered, or not a file of its kind: nothing kept.
    Refused(MediaError),
    Io(std::io::Error),
}

impl From<std::io::Error> for FinishError {
    fn from(e: std::io::Error) -> FinishError {
        FinishError::Io(e)
    }
}

impl From<MediaError> for FinishError {
    fn from(e: MediaError) -> FinishError {
        FinishError::Refused(e)
    }
}

/// Checks the gathered upload `id` and keeps it (blocking: hashing and decoding take time).
pub fn finish(files: &FileStore, id: Uuid, kind: MediaKind, bytes: u64, sha256: &str) -> Result<Finished, FinishError> {
    // A part file lost (a disk cleaned by hand) is as a damaged one: the device sends again.
    let data = match files.read_part(id) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(MediaError::DigestMismatch.into()),
        read => read?,
    };
    assembly::verify(&data, bytes, sha256)?;
    let mime = sniff::sniff(kind, &data).ok_or(MediaError::WrongType)?;
    // What a participant says must not give away where they live: the app strips a photo's
    // camera data; a file that still has it came from elsewhere, and is not kept.
    if kind == MediaKind::Photo && metadata::carries_camera_metadata(mime, &data) {
        return Err(MediaError::CameraMetadata.into());
    }
    let (width, height, thumb_sha256) = match kind {
        MediaKind::Photo => {
            let made = thumb::thumbnail(&data, THUMB_SIDE)?;
            (Some(made.width), Some(made.height), Some(files.keep_bytes(&made.jpeg)?))
        }
        MediaKind::Voice => (None, None, None),
    };
    files.keep_part(id, sha256)?;
    Ok(Finished { mime, width, height, thumb_sha256 })
}
