//! A chunked upload's bookkeeping and check, whatever holds its bytes: which chunks a file
//! has, where each one goes, and whether the whole hashes to the digest offered.

use std::io::{Seek, SeekFrom, Write};

use app::model::media::{MediaError, CHUNK_BYTES};
use sha2::{Digest, Sha256};

/// How a file of `bytes` bytes is cut: chunks of `chunk_bytes` but the last. The server's is
/// always [`CHUNK_BYTES`]; tests cut small files finer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub bytes: u64,
    pub chunk_bytes: u64,
}

impl Layout {
    pub fn of(bytes: u64) -> Layout {
        Layout { bytes, chunk_bytes: CHUNK_BYTES }
    }

    pub fn chunks(&self) -> u32 {
        u32::try_from(self.bytes.div_ceil(self.chunk_bytes.max(1))).unwrap_or(u32::MAX)
    }

    /// Where chunk `n` starts, if `len` is the length it must have; a chunk past the end or of
    /// another length belongs to no file this offer describes.
    pub fn place(&self, n: u32, len: u64) -> Result<u64, MediaError> {
        let start = u64::from(n).saturating_mul(self.chunk_bytes);
        let expected = (start < self.bytes).then(|| (self.bytes - start).min(self.chunk_bytes));
        match expected {
            Some(e) if e == len => Ok(start),
            _ => Err(MediaError::BadChunk(n)),
        }
    }

    /// Whether `received` (sorted or not, repeats allowed) holds every chunk.
    pub fn is_whole(&self, received: &[u32]) -> bool {
        let mut seen = vec![false; self.chunks() as usize];
        for n in received {
            if let Some(slot) = seen.get_mut(*n as usize) {
                *slot = true;
            }
        }
        seen.iter().all(|s| *s)
    }
}

/// Writes chunk `n` into `part` at its place: a repeat overwrites the same bytes, so chunks
/// may come in any order and any number of times.
pub fn write_chunk<W: Write + Seek>(part: &mut W, layout: &Layout, n: u32, data: &[u8]) -> Result<Result<(), MediaError>, std::io::Error> {
    let start = match layout.place(n, data.len() as u64) {
        Ok(start) => start,
        Err(e) => return Ok(Err(e)),
    };
    part.seek(SeekFrom::Start(start))?;
    part.write_all(data)?;
    Ok(Ok(()))
}

pub fn sha256_hex(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

/// The assembled file, if it is the one offered: its length and its SHA-256. Anything else
/// (a chunk damaged on the way, a part file cut short) is refused, never kept as it is.
pub fn verify(file: &[u8], bytes: u64, sha256: &str) -> Result<(), MediaError> {
    if file.len() as u64 != bytes || sha256_hex(file) != sha256 {
        return Err(MediaError::DigestMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Cursor;

    #[test]
    fn every_chunk_has_one_place_and_one_length() {
        let layout = Layout { bytes: 10, chunk_bytes: 4 };
        assert_eq!(layout.chunks(), 3);
        assert_eq!(layout.place(0, 4), Ok(0));
        assert_eq!(layout.place(2, 2), Ok(8));
        assert_eq!(layout.place(2, 4), Err(MediaError::BadChunk(2)), "the last chunk is shorter");
        assert_eq!(layout.place(1, 3), Err(MediaError::BadChunk(1)));
        assert_eq!(layout.place(3, 0), Err(MediaError::BadChunk(3)), "past the end");
        assert_eq!(layout.place(u32::MAX, 4), Err(MediaError::BadChunk(u32::MAX)));
        assert_eq!(Layout::of(CHUNK_BYTES + 1).chunks(), 2);
    }

    #[test]
    fn a_file_is_whole_once_every_chunk_came_whatever_the_order_or_repeats() {
        let layout = Layout { bytes: 10, chunk_bytes: 4 };
        assert!(!layout.is_whole(&[]));
        assert!(!layout.is_whole(&[0, 2, 2, 7]));
        assert!(layout.is_whole(&[2, 0, 2, 1]));
    }

    /// A file, its cut, and an order of sending with repeats.
    fn upload() -> impl Strategy<Value = (Vec<u8>, u64, Vec<u32>)> {
        (proptest::collection::vec(any::<u8>(), 1..600), 1u64..80).prop_flat_map(|(file, chunk_bytes)| {
            let chunks = Layout { bytes: file.len() as u64, chunk_bytes }.chunks();
            let order = Just((0..chunks).collect::<Vec<_>>()).prop_shuffle();
            let repeats = proptest::collection::vec(0..chunks, 0..6);
            (Just(file), Just(chunk_bytes), order, repeats).prop_map(|(file, chunk_bytes, mut order, repeats)| {
                for (i, r) in repeats.into_iter().enumerate() {
                    order.insert((i * 7) % (order.len() + 1), r);
                }
                (file, chunk_bytes, order)
            })
        })
    }

    fn send(file: &[u8], layout: &Layout, order: &[u32], damaged: Option<u32>) -> Vec<u8> {
        let mut part = Cursor::new(Vec::new());
        for n in order {
            let start = (u64::from(*n) * layout.chunk_bytes) as usize;
            let end = (start + layout.chunk_bytes as usize).min(file.len());
            let mut chunk = file[start..end].to_vec();
            if damaged == Some(*n) {
                chunk[0] ^= 0x5a;
            }
            write_chunk(&mut part, layout, *n, &chunk).unwrap().unwrap();
        }
        part.into_inner()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn chunks_in_any_order_with_repeats_make_the_same_file((file, chunk_bytes, order) in upload()) {
            let layout = Layout { bytes: file.len() as u64, chunk_bytes };
            prop_assert!(layout.is_whole(&order));
            let assembled = send(&file, &layout, &order, None);
            prop_assert_eq!(&assembled, &file);
            prop_assert_eq!(verify(&assembled, layout.bytes, &sha256_hex(&file)), Ok(()));
        }

        #[test]
        fn a_damaged_chunk_is_refused_never_kept((file, chunk_bytes, order) in upload(), pick in any::<prop::sample::Index>()) {
            let layout = Layout { bytes: file.len() as u64, chunk_bytes };
            let damaged = order[pick.index(order.len())];
            // Only the chunk's last copy counts: damage every copy of it.
            let assembled = send(&file, &layout, &order, Some(damaged));
            prop_assert_ne!(&assembled, &file);
            prop_assert_eq!(verify(&assembled, layout.bytes, &sha256_hex(&file)), Err(MediaError::DigestMismatch));
        }
    }
}
