//! Photos and voice notes attached to a record (a mark, a workshop; later actas, interventions,
//! audits): what the device offers the server, the chunked upload's state and receipt, and the
//! rules both sides check. Pure: the device resizes and hashes, the server sniffs and stores.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::Bilingual;

/// Bytes of every chunk but the last. Small enough that a chunk gets through a weak hotspot
/// between drops; big enough that a 400 KB photo is two requests.
pub const CHUNK_BYTES: u64 = 256 * 1024;
/// A photo as the device sends it, after resizing to [`MAX_PHOTO_SIDE`] and re-encoding
/// (typically under 400 KB); the margin is for detailed scenes and PNG screenshots.
pub const MAX_PHOTO_BYTES: u64 = 3 * 1024 * 1024;
/// Two minutes of Opus or AAC at the recorders' usual rates is well under 2 MB.
pub const MAX_VOICE_BYTES: u64 = 4 * 1024 * 1024;
/// The size the device aims at when it re-encodes a photo (coarser encodings are tried until
/// it fits; the last one is kept whatever its size).
pub const PHOTO_TARGET_BYTES: u64 = 400 * 1024;
/// The longest side of a photo once the device has resized it.
pub const MAX_PHOTO_SIDE: u32 = 1_600;
/// The longest voice note the recorder allows.
pub const MAX_VOICE_MS: u32 = 120_000;
/// The longest side of the thumbnails the server makes for galleries.
pub const THUMB_SIDE: u32 = 320;
/// Uploads one device (or account) may have started and not finished at once: enough for a
/// morning of photos offline, few enough that nobody fills the server's disk with halves.
pub const MAX_OPEN_UPLOADS: u32 = 40;
/// An upload left unfinished this long is dropped (its chunks go; the device offers it again).
pub const OPEN_UPLOAD_MS: i64 = 7 * 24 * 3_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Photo,
    Voice,
}

impl MediaKind {
    pub fn max_bytes(self) -> u64 {
        match self {
            MediaKind::Photo => MAX_PHOTO_BYTES,
            MediaKind::Voice => MAX_VOICE_BYTES,
        }
    }

    /// The content types a file of this kind may be, as its first bytes tell (the server
    /// never trusts the type the browser claims).
    pub fn accepts(self, mime: &str) -> bool {
        let base = mime.split(';').next().unwrap_or("").trim();
        match self {
            MediaKind::Photo => matches!(base, "image/jpeg" | "image/png" | "image/webp"),
            MediaKind::Voice => matches!(base, "audio/webm" | "audio/ogg" | "audio/mp4"),
        }
    }
}

/// Which kind of record holds the media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Mark,
    Workshop,
}

/// The record a photo or note belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: Uuid,
}

/// What the device announces before sending a file's bytes (`POST /api/v1/media`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaOffer {
    /// Made on the device (UUID v7) when the photo was taken or the note recorded.
    pub id: Uuid,
    pub record: RecordRef,
    pub kind: MediaKind,
    /// What the device believes it holds; the server checks it against the bytes.
    pub mime: String,
    pub bytes: u64,
    /// SHA-256 of the whole file, 64 lower-case hex digits: the server refuses a file whose
    /// bytes do not hash to it, and keeps each content once.
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u32>,
    /// When it was taken or recorded, device clock, ms since the epoch.
    pub captured_at_ms: i64,
}

impl MediaOffer {
    /// How many chunks the file is sent in.
    pub fn chunks(&self) -> u32 {
        chunk_count(self.bytes)
    }

    /// The rules the device checks before queueing and the server before accepting.
    pub fn validate(&self) -> Result<(), MediaError> {
        if self.bytes == 0 {
            return Err(MediaError::Empty);
        }
        if self.bytes > self.kind.max_bytes() {
            return Err(MediaError::TooLarge { limit: self.kind.max_bytes() });
        }
        if !self.kind.accepts(&self.mime) {
            return Err(MediaError::WrongType);
        }
        if !is_sha256(&self.sha256) {
            return Err(MediaError::BadDigest);
        }
        if self.duration_ms.is_some_and(|d| d > MAX_VOICE_MS + 2_000) {
            return Err(MediaError::TooLong);
        }
        if self.width.is_some_and(|w| w == 0 || w > 20_000) || self.height.is_some_and(|h| h == 0 || h > 20_000) {
            return Err(MediaError::BadSize);
        }
        Ok(())
    }

    /// The length chunk `n` must have: [`CHUNK_BYTES`] but for the last one; `None` past the end.
    pub fn chunk_len(&self, n: u32) -> Option<u64> {
        let start = u64::from(n) * CHUNK_BYTES;
        (start < self.bytes).then(|| (self.bytes - start).min(CHUNK_BYTES))
    }
}

/// Chunks needed for a file of `bytes` bytes.
pub fn chunk_count(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(CHUNK_BYTES)).unwrap_or(u32::MAX)
}

pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where an upload stands, as the server answers every offer and every chunk: the device sends
/// only the chunks missing here, so a dropped connection resumes where it stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadState {
    pub id: Uuid,
    pub chunks: u32,
    /// The chunks the server holds, in order.
    pub received: Vec<u32>,
    /// Set once the whole file is checked and committed: the device keeps it as proof.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<MediaReceipt>,
}

impl UploadState {
    /// The chunks still to send, in order.
    pub fn missing(&self) -> Vec<u32> {
        (0..self.chunks).filter(|n| self.received.binary_search(n).is_err()).collect()
    }
}

/// The server's word that a file is kept for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaReceipt {
    pub id: Uuid,
    pub sha256: String,
    pub bytes: u64,
    pub received_at_ms: i64,
}

/// A kept photo or note as staff and the record's participants list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaItem {
    pub id: Uuid,
    pub record: RecordRef,
    pub kind: MediaKind,
    pub mime: String,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u32>,
    pub captured_at_ms: i64,
    pub received_at_ms: i64,
    /// The alias of whoever made the mark it hangs on, if they gave one.
    #[serde(default)]
    pub alias: String,
    /// `/api/v1/media/{id}`: the file (ranges allowed, for audio).
    pub url: String,
    /// `/api/v1/media/{id}/thumb` for photos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
    /// Staff chose it for the "Archivo fotográfico" annex of the printed report.
    #[serde(default)]
    pub in_report: bool,
    /// Staff approved this photo, on its own, for the public pages (never a voice note).
    #[serde(default)]
    pub published: bool,
    /// It hangs on a mark of a sensitive category: never published.
    #[serde(default)]
    pub sensitive: bool,
}

/// Staff's decision on one photo or note (`PUT /api/v1/media/{id}/decision`): whether it goes
/// in the printed report's annex, and whether it may be published. Each decision is kept with
/// who made it and when; the latest one holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaDecision {
    pub in_report: bool,
    pub publish: bool,
}

/// A photo as the public pages show it: no alias, no mark, no exact time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicPhoto {
    pub id: Uuid,
    pub url: String,
    pub thumb_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The month it was taken, "2026-11".
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PublicPhotos {
    pub items: Vec<PublicPhoto>,
}

impl PublicPhoto {
    /// "noviembre de 2026" for "2026-11"; the text as it came if it is not a month.
    pub fn month_es(&self) -> String {
        const MONTHS: [&str; 12] =
            ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
        let parsed = self.month.split_once('-').and_then(|(y, m)| Some((y, MONTHS.get(m.parse::<usize>().ok()?.checked_sub(1)?)?)));
        match parsed {
            Some((year, month)) => format!("{month} de {year}"),
            None => self.month.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is over {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("photos must be JPEG, PNG or WebP and voice notes WebM, Ogg or MP4 audio")]
    WrongType,
    #[error("the SHA-256 must be 64 lower-case hex digits")]
    BadDigest,
    #[error("a voice note may last at most two minutes")]
    TooLong,
    #[error("the photo's width or height is out of range")]
    BadSize,
    #[error("the bytes do not hash to the SHA-256 offered; the chunks received were dropped, so the file is sent again from its start")]
    DigestMismatch,
    #[error("chunk {0} does not belong to this file or has the wrong length")]
    BadChunk(u32),
    #[error("this id was already offered for another file")]
    IdTaken,
    /// The bytes are of an accepted type by their first bytes, but no image can be read from
    /// them (truncated, corrupt, or too large once decoded).
    #[error("the photo cannot be read as an image")]
    Unreadable,
    #[error("there are {limit} unfinished uploads already; finish or wait for them before starting more")]
    TooManyOpen { limit: u32 },
    #[error("the photo carries camera metadata (EXIF or XMP: GPS position, phone model); send it through the app, which removes it")]
    CameraMetadata,
    #[error("voice notes are never published")]
    VoiceNeverPublished,
    #[error("photos of a sensitive mark are never published")]
    SensitiveNeverPublished,
}

impl MediaError {
    pub fn code(&self) -> &'static str {
        match self {
            MediaError::Empty => "empty",
            MediaError::TooLarge { .. } => "too_large",
            MediaError::WrongType => "wrong_type",
            MediaError::BadDigest => "bad_digest",
            MediaError::TooLong => "too_long",
            MediaError::BadSize => "bad_size",
            MediaError::DigestMismatch => "digest_mismatch",
            MediaError::BadChunk(_) => "bad_chunk",
            MediaError::IdTaken => "id_taken",
            MediaError::Unreadable => "unreadable",
            MediaError::TooManyOpen { .. } => "too_many_uploads",
            MediaError::CameraMetadata => "camera_metadata",
            MediaError::VoiceNeverPublished => "voice_never_published",
            MediaError::SensitiveNeverPublished => "sensitive_never_published",
        }
    }
}

impl Bilingual for MediaError {
    fn es(&self) -> String {
        match self {
            MediaError::Empty => "El archivo está vacío.".into(),
            MediaError::TooLarge { limit } => format!("El archivo pasa de {} MB, el máximo.", limit / (1024 * 1024)),
            MediaError::WrongType => "Las fotos deben ser JPEG, PNG o WebP y las notas de voz audio WebM, Ogg o MP4.".into(),
            MediaError::BadDigest => "La huella SHA-256 debe tener 64 dígitos hexadecimales en minúscula.".into(),
            MediaError::TooLong => "Una nota de voz dura como máximo dos minutos.".into(),
            MediaError::BadSize => "El ancho o el alto de la foto no es válido.".into(),
            MediaError::DigestMismatch => "El archivo llegó dañado: sus bytes no dan la huella anunciada. Las partes recibidas se descartaron; se enviará de nuevo desde el principio.".into(),
            MediaError::BadChunk(n) => format!("La parte {n} no corresponde a este archivo o tiene otro tamaño."),
            MediaError::IdTaken => "Ese identificador ya se usó para otro archivo.".into(),
            MediaError::Unreadable => "La foto no se puede leer como imagen: puede estar dañada.".into(),
            MediaError::TooManyOpen { limit } => {
                format!("Hay {limit} envíos de archivos sin terminar; espere a que terminen antes de empezar otros.")
            }
            MediaError::CameraMetadata => {
                "La foto trae datos de la cámara (ubicación GPS, modelo del teléfono): envíela desde Cartobarrio, que los quita.".into()
            }
            MediaError::VoiceNeverPublished => "Las notas de voz nunca se publican: son la voz de una persona.".into(),
            MediaError::SensitiveNeverPublished => {
                "Las fotos de una marca delicada nunca se publican: mostrarían el lugar exacto.".into()
            }
        }
    }

    fn en(&self) -> String {
        super::sentence(self)
    }
}

/// What `GET /api/v1/barrios/{id}/media` and `GET /api/v1/workshops/{id}/media` answer,
/// newest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MediaList {
    pub items: Vec<MediaItem>,
}

/// Human size for the device's lists ("380 KB", "1,2 MB"), Colombian decimal comma.
pub fn size_label(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1_000))
    } else {
        let tenths = bytes.div_ceil(100_000);
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// The photos and notes waiting on a device, for the app's bar and "Envío de datos".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MediaQueue {
    pub photos: u32,
    pub notes: u32,
    /// Bytes the server has not acknowledged yet, of `bytes_total`.
    pub bytes_left: u64,
    pub bytes_total: u64,
}

impl MediaQueue {
    pub fn files(&self) -> u32 {
        self.photos + self.notes
    }

    /// "2 fotos por enviar", "1 foto y 1 nota de voz por enviar"; empty when nothing waits.
    pub fn label_es(&self) -> String {
        let photos = super::words::count_es(self.photos, "foto", "fotos");
        let notes = super::words::count_es(self.notes, "nota de voz", "notas de voz");
        match (self.photos, self.notes) {
            (0, 0) => String::new(),
            (_, 0) => format!("{photos} por enviar"),
            (0, _) => format!("{notes} por enviar"),
            _ => format!("{photos} y {notes} por enviar"),
        }
    }

    /// How much of the waiting bytes went already, 0–100.
    pub fn percent_sent(&self) -> u32 {
        if self.bytes_total == 0 {
            return 100;
        }
        u32::try_from((self.bytes_total - self.bytes_left.min(self.bytes_total)) * 100 / self.bytes_total).unwrap_or(100)
    }
}

/// `width × height` scaled down (never up) so the longest side is at most `side`, keeping
/// the aspect ratio: how the device resizes a photo before keeping it.
pub fn fit(width: u32, height: u32, side: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= side || longest == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |v: u32| u32::try_from((u64::from(v) * u64::from(side) + u64::from(longest) / 2) / u64::from(longest)).unwrap_or(side).max(1);
    (scale(width), scale(height))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_public_photos_month_in_spanish() {
        let photo = |month: &str| super::PublicPhoto {
            id: uuid::Uuid::nil(),
            url: String::new(),
            thumb_url: String::new(),
            width: None,
            height: None,
            month: month.into(),
        };
        assert_eq!(photo("2026-11").month_es(), "noviembre de 2026");
        assert_eq!(photo("2027-01").month_es(), "enero de 2027");
        assert_eq!(photo("2026-13").month_es(), "2026-13");
        assert_eq!(photo("2026-00").month_es(), "2026-00");
    }

    use super::*;

    fn offer(bytes: u64) -> MediaOffer {
        MediaOffer {
            id: Uuid::nil(),
            record: RecordRef { kind: RecordKind::Mark, id: Uuid::nil() },
            kind: MediaKind::Photo,
            mime: "image/jpeg".into(),
            bytes,
            sha256: "a".repeat(64),
            width: Some(1600),
            height: Some(1200),
            duration_ms: None,
            captured_at_ms: 0,
        }
    }

    #[test]
    fn chunks_cover_the_file_exactly() {
        for bytes in [1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 7] {
            let o = offer(bytes);
            let total: u64 = (0..o.chunks()).map(|n| o.chunk_len(n).unwrap()).sum();
            assert_eq!(total, bytes);
            assert_eq!(o.chunk_len(o.chunks()), None);
        }
    }

    #[test]
    fn offers_are_checked() {
        assert_eq!(offer(0).validate(), Err(MediaError::Empty));
        assert!(matches!(offer(MAX_PHOTO_BYTES + 1).validate(), Err(MediaError::TooLarge { .. })));
        let mut wrong = offer(10);
        wrong.mime = "audio/webm".into();
        assert_eq!(wrong.validate(), Err(MediaError::WrongType));
        let mut voice = offer(10);
        voice.kind = MediaKind::Voice;
        voice.mime = "audio/webm;codecs=opus".into();
        voice.duration_ms = Some(MAX_VOICE_MS);
        assert_eq!(voice.validate(), Ok(()));
        voice.duration_ms = Some(MAX_VOICE_MS * 2);
        assert_eq!(voice.validate(), Err(MediaError::TooLong));
        let mut digest = offer(10);
        digest.sha256 = "A".repeat(64);
        assert_eq!(digest.validate(), Err(MediaError::BadDigest));
    }

    #[test]
    fn missing_chunks_are_the_complement() {
        let state = UploadState { id: Uuid::nil(), chunks: 5, received: vec![0, 2, 4], receipt: None };
        assert_eq!(state.missing(), vec![1, 3]);
    }

    #[test]
    fn photos_shrink_to_the_longest_side_keeping_their_shape() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit(800, 600, 1600), (800, 600));
        assert_eq!(fit(10_000, 10, 1600), (1600, 2));
    }

    #[test]
    fn the_queue_says_what_waits_in_words() {
        let q = MediaQueue { photos: 2, notes: 0, bytes_left: 300, bytes_total: 1200 };
        assert_eq!(q.label_es(), "2 fotos por enviar");
        assert_eq!(q.percent_sent(), 75);
        assert_eq!(MediaQueue { photos: 1, notes: 1, ..q }.label_es(), "1 foto y 1 nota de voz por enviar");
        assert_eq!(MediaQueue::default().label_es(), "");
        assert_eq!(MediaQueue::default().percent_sent(), 100);
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_label(380_200), "381 KB");
        assert_eq!(size_label(1_234_567), "1,3 MB");
    }
}
