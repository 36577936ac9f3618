//! Whether a photo still carries what its camera wrote into it (EXIF: GPS position, phone
//! model, time; XMP, which can hold the same). The app re-encodes every photo on the device,
//! which leaves none; a file that has some came from elsewhere and is refused, not kept: the
//! bytes are kept as sent (content-addressed), so they cannot be cleaned after.

/// True when `data`, a photo of type `mime`, holds an EXIF or XMP block where readers look
/// for one. Walks the container's segments or chunks; cost is linear in their number.
pub fn carries_camera_metadata(mime: &str, data: &[u8]) -> bool {
    match mime {
        "image/jpeg" => jpeg(data),
        "image/png" => png(data),
        "image/webp" => webp(data),
        _ => false,
    }
}

const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/";

/// JPEG: the APP1 segments before the image data (start of scan).
fn jpeg(data: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= data.len() {
        if data[at] != 0xFF {
            return false;
        }
        let marker = data[at + 1];
        match marker {
            // Fill bytes before a marker.
            0xFF => {
                at += 1;
                continue;
            }
            // Markers without a length: restart markers, SOI, TEM.
            0xD0..=0xD8 | 0x01 => {
                at += 2;
                continue;
            }
            // Start of scan or end of image: no metadata segment comes after in practice.
            0xDA | 0xD9 => return false,
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        if len < 2 {
            return false;
        }
        let body = &data[at + 4..(at + 2 + len).min(data.len())];
        if marker == 0xE1 && (body.starts_with(EXIF) || body.starts_with(XMP)) {
            return true;
        }
        at += 2 + len;
    }
    false
}

/// PNG: an `eXIf` chunk, or XMP in an `iTXt` chunk.
fn png(data: &[u8]) -> bool {
    let mut at = 8; // after the signature
    while at + 8 <= data.len() {
        let len = u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize;
        let kind = &data[at + 4..at + 8];
        let body = &data[at + 8..(at + 8).saturating_add(len).min(data.len())];
        if kind == b"eXIf" || (kind == b"iTXt" && body.starts_with(b"XML:com.adobe.xmp")) {
            return true;
        }
        if kind == b"IEND" {
            return false;
        }
        at = at.saturating_add(12).saturating_add(len);
    }
    false
}

/// WebP: an `EXIF` or `XMP ` chunk in the RIFF container.
fn webp(data: &[u8]) -> bool {
    let mut at = 12; // after "RIFF", the size and "WEBP"
    while at + 8 <= data.len() {
        let kind = &data[at..at + 4];
        if kind == b"EXIF" || kind == b"XMP " {
            return true;
        }
        let len = u32::from_le_bytes([data[at + 4], data[at + 5], data[at + 6], data[at + 7]]) as usize;
        // Chunks are padded to an even length.
        at = at.saturating_add(8).saturating_add(len).saturating_add(len & 1);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's head: SOI, a JFIF APP0, then `segment`, then the start of scan.
    fn jpeg_with(segment: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        out.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        out.extend_from_slice(segment);
        out.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
        out
    }

    fn app1(body: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, 0xE1];
        out.extend_from_slice(&u16::try_from(body.len() + 2).expect("short").to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn a_jpeg_with_exif_or_xmp_is_told_and_a_clean_one_is_not() {
        let mut exif = EXIF.to_vec();
        exif.extend_from_slice(b"MM\0\x2a\0\0\0\x08 GPS and phone model");
        assert!(carries_camera_metadata("image/jpeg", &jpeg_with(&app1(&exif))));
        let mut xmp = XMP.to_vec();
        xmp.extend_from_slice(b"\0<x:xmpmeta/>");
        assert!(carries_camera_metadata("image/jpeg", &jpeg_with(&app1(&xmp))));
        assert!(!carries_camera_metadata("image/jpeg", &jpeg_with(&[])), "a JFIF header is no camera data");
        // A comment that merely mentions Exif, and bytes after the scan, are not metadata.
        let comment = [&[0xFF, 0xFE, 0x00, 0x08][..], b"Exif\0\0"].concat();
        assert!(!carries_camera_metadata("image/jpeg", &jpeg_with(&comment)));
    }

    #[test]
    fn a_real_photo_made_by_the_image_crate_is_clean() {
        let photo = crate::media::thumb::samples::jpeg(64, 48);
        assert!(!carries_camera_metadata("image/jpeg", &photo));
    }

    #[test]
    fn png_and_webp_chunks_are_read() {
        let chunk = |kind: &[u8], body: &[u8]| {
            let mut out = u32::try_from(body.len()).expect("short").to_be_bytes().to_vec();
            out.extend_from_slice(kind);
            out.extend_from_slice(body);
            out.extend_from_slice(&[0, 0, 0, 0]); // CRC, not checked here
            out
        };
        let png = |middle: Vec<u8>| [b"\x89PNG\r\n\x1a\n".to_vec(), chunk(b"IHDR", &[0; 13]), middle, chunk(b"IEND", &[])].concat();
        assert!(carries_camera_metadata("image/png", &png(chunk(b"eXIf", b"MM\0\x2a"))));
        assert!(carries_camera_metadata("image/png", &png(chunk(b"iTXt", b"XML:com.adobe.xmp\0..."))));
        assert!(!carries_camera_metadata("image/png", &png(chunk(b"tEXt", b"Comment\0hola"))));

        let riff = |kind: &[u8], body: &[u8]| {
            let mut out = kind.to_vec();
            out.extend_from_slice(&u32::try_from(body.len()).expect("short").to_le_bytes());
            out.extend_from_slice(body);
            if body.len() % 2 == 1 {
                out.push(0);
            }
            out
        };
        let webp = |chunks: Vec<u8>| [b"RIFF\0\0\0\0WEBP".to_vec(), chunks].concat();
        assert!(carries_camera_metadata("image/webp", &webp([riff(b"VP8X", &[0; 10]), riff(b"EXIF", b"MM\0*")].concat())));
        assert!(!carries_camera_metadata("image/webp", &webp(riff(b"VP8 ", &[0; 7]))));
    }

    #[test]
    fn truncated_or_hostile_lengths_end_the_walk() {
        assert!(!carries_camera_metadata("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]));
        assert!(!carries_camera_metadata("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x00]));
        assert!(!carries_camera_metadata("image/png", &[&b"\x89PNG\r\n\x1a\n"[..], &[0xFF; 8]].concat()));
        assert!(!carries_camera_metadata("image/webp", &[&b"RIFF\0\0\0\0WEBP"[..], b"VP8 ", &[0xFF; 4]].concat()));
        assert!(!carries_camera_metadata("audio/webm", b"Exif\0\0"));
    }
}
