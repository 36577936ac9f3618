//! The small JPEG of a photo that galleries show, made once when the photo is kept. Decoded
//! under limits: a small file that would unpack to a huge image is refused, not decoded.

use std::io::Cursor;

use app::model::media::{fit, MediaError};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageReader, Limits};

/// No side of a photo may be longer (the device sends at most 1 600 px; this leaves room).
pub const MAX_SIDE: u32 = 12_000;
/// The most a decoder may allocate for one photo.
pub const MAX_ALLOC: u64 = 160 * 1024 * 1024;
const QUALITY: u8 = 80;

/// A photo's size and its thumbnail's JPEG bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Thumb {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// Decodes `bytes` (JPEG, PNG or WebP) and makes its thumbnail of longest side `side`.
pub fn thumbnail(bytes: &[u8], side: u32) -> Result<Thumb, MediaError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| MediaError::Unreadable)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| MediaError::Unreadable)?;
    let (width, height) = (image.width(), image.height());
    let (w, h) = fit(width, height, side);
    let small = image.thumbnail_exact(w, h).to_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, QUALITY).encode_image(&small).map_err(|_| MediaError::Unreadable)?;
    Ok(Thumb { width, height, jpeg })
}

#[cfg(test)]
pub mod samples {
    //! Real photos, made by the encoder, for the tests.
    use image::{ImageBuffer, Rgb};

    pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = ImageBuffer::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img).expect("encode");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::media::THUMB_SIDE;

    #[test]
    fn a_real_photo_gets_a_jpeg_thumbnail_that_fits() {
        let thumb = thumbnail(&samples::jpeg(800, 450), THUMB_SIDE).unwrap();
        assert_eq!((thumb.width, thumb.height), (800, 450));
        let small = image::load_from_memory(&thumb.jpeg).unwrap();
        assert_eq!((small.width(), small.height()), (320, 180));
        assert_eq!(&thumb.jpeg[..3], &[0xFF, 0xD8, 0xFF]);
    }

    #[test]
    fn what_is_not_a_readable_image_or_unpacks_too_large_is_refused() {
        let mut cut = samples::jpeg(64, 64);
        cut.truncate(40);
        assert_eq!(thumbnail(&cut, THUMB_SIDE), Err(MediaError::Unreadable));
        assert_eq!(thumbnail(b"MZ\x90\x00 not an image", THUMB_SIDE), Err(MediaError::Unreadable));
        // A PNG header claiming 50 000 × 50 000 pixels: refused by the limits before any pixel.
        let mut bomb = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        bomb.extend_from_slice(&50_000u32.to_be_bytes());
        bomb.extend_from_slice(&50_000u32.to_be_bytes());
        bomb.extend_from_slice(&[8, 2, 0, 0, 0]);
        let crc = crc32(&bomb[12..]);
        bomb.extend_from_slice(&crc.to_be_bytes());
        assert_eq!(thumbnail(&bomb, THUMB_SIDE), Err(MediaError::Unreadable));
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in data {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
