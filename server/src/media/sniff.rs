//! What a photo or a voice note is, from its first bytes: the type the device claims is never
//! trusted (an executable renamed `.jpg` stays an executable, and is refused).

use app::model::media::MediaKind;

/// The content type of a file of `kind` whose bytes start with `head` (at least its first
/// 300 bytes: WebM says so within 256); `None` when it is not one this kind may be.
pub fn sniff(kind: MediaKind, head: &[u8]) -> Option<&'static str> {
    use infer::{audio, image, video};
    let checks: &[(fn(&[u8]) -> bool, &'static str)] = match kind {
        MediaKind::Photo => &[(image::is_jpeg, "image/jpeg"), (image::is_png, "image/png"), (image::is_webp, "image/webp")],
        MediaKind::Voice => &[
            (video::is_webm, "audio/webm"),
            (audio::is_ogg, "audio/ogg"),
            (audio::is_m4a, "audio/mp4"),
            // Safari records AAC in an MP4 container branded as video.
            (video::is_mp4, "audio/mp4"),
        ],
    };
    checks.iter().find(|(is, _)| is(head)).map(|(_, mime)| *mime)
}

/// The extension of a file of type `mime`, for the name it is shown under.
pub fn extension(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "audio/webm" => "webm",
        "audio/ogg" => "ogg",
        "audio/mp4" => "m4a",
        _ => "bin",
    }
}

#[cfg(test)]
pub mod samples {
    //! Just enough of a voice note's container for the sniffer to tell it.

    /// An EBML header naming the `webm` doc type, padded past the 256 bytes infer looks at.
    pub fn webm(total: usize) -> Vec<u8> {
        let mut out = vec![0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84];
        out.extend_from_slice(b"webm");
        out.resize(total.max(300), 0);
        out
    }

    pub fn ogg(total: usize) -> Vec<u8> {
        let mut out = b"OggS\x00\x02".to_vec();
        out.resize(total.max(64), 0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_and_voice_notes_are_told_by_their_bytes_not_their_claim() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        assert_eq!(sniff(MediaKind::Photo, &jpeg), Some("image/jpeg"));
        assert_eq!(sniff(MediaKind::Voice, &jpeg), None, "a photo is no voice note");
        assert_eq!(sniff(MediaKind::Voice, &samples::webm(400)), Some("audio/webm"));
        assert_eq!(sniff(MediaKind::Voice, &samples::ogg(100)), Some("audio/ogg"));
        let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00";
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";
        for kind in [MediaKind::Photo, MediaKind::Voice] {
            assert_eq!(sniff(kind, elf), None);
            assert_eq!(sniff(kind, exe), None);
        }
        assert_eq!(extension("audio/mp4"), "m4a");
    }
}
