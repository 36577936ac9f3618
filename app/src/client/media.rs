//! Photos and voice notes on this device: made smaller and stripped of their metadata here,
//! kept in IndexedDB (a database of their own) before the sheet shows them, and sent one file
//! at a time in chunks the server acknowledges, so a dropped connection resumes where it stopped.

use js_sys::{Object, Reflect, Uint8Array};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use super::storage::{from_js, to_js, StorageError};
use crate::model::hygiene::WipeScope;
use crate::model::media::{fit, MediaKind, MediaOffer, MediaQueue, MediaReceipt, RecordKind, RecordRef, UploadState, CHUNK_BYTES, MAX_PHOTO_SIDE, PHOTO_TARGET_BYTES};

const DB_NAME: &str = "cartobarrio-media";
const DB_VERSION: u32 = 1;
const MEDIA: &str = "media";

/// What the device knows of one photo or note besides its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalMedia {
    pub offer: MediaOffer,
    pub barrio_id: i64,
    #[serde(default)]
    pub workshop_id: Option<Uuid>,
    /// The chunks the server said it holds.
    #[serde(default)]
    pub received: Vec<u32>,
    #[serde(default)]
    pub receipt: Option<MediaReceipt>,
    /// The server's words when it refused the file for good.
    #[serde(default)]
    pub refused: Option<String>,
}

impl LocalMedia {
    pub fn waiting(&self) -> bool {
        self.receipt.is_none() && self.refused.is_none()
    }

    /// Bytes the server has not acknowledged yet.
    pub fn bytes_left(&self) -> u64 {
        if !self.waiting() {
            return 0;
        }
        let done: u64 = self.received.iter().filter_map(|n| self.offer.chunk_len(*n)).sum();
        self.offer.bytes.saturating_sub(done)
    }
}

fn js_err(e: JsValue) -> StorageError {
    StorageError::Idb(format!("{e:?}"))
}

async fn open() -> Result<Rexie, StorageError> {
    Ok(Rexie::builder(DB_NAME).version(DB_VERSION).add_object_store(ObjectStore::new(MEDIA).key_path("id")).build().await?)
}

/// Keeps `local` with its bytes and returns once IndexedDB has both: only then is the photo
/// or note shown as kept.
pub async fn save(local: &LocalMedia, blob: &Blob) -> Result<(), StorageError> {
    let row = Object::new();
    Reflect::set(&row, &"id".into(), &local.offer.id.to_string().into()).map_err(js_err)?;
    Reflect::set(&row, &"meta".into(), &to_js(local)?).map_err(js_err)?;
    Reflect::set(&row, &"blob".into(), blob).map_err(js_err)?;
    let db = open().await?;
    let tx = db.transaction(&[MEDIA], TransactionMode::ReadWrite)?;
    tx.store(MEDIA)?.put(&row, None).await?;
    tx.done().await?;
    Ok(())
}

/// Updates what is known of a file, leaving its bytes as they are.
async fn update(local: &LocalMedia) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[MEDIA], TransactionMode::ReadWrite)?;
    let store = tx.store(MEDIA)?;
    let Some(row) = store.get(local.offer.id.to_string().into()).await? else { return Ok(()) };
    Reflect::set(&row, &"meta".into(), &to_js(local)?).map_err(js_err)?;
    store.put(&row, None).await?;
    tx.done().await?;
    Ok(())
}

fn decode(row: JsValue) -> Result<(LocalMedia, Blob), StorageError> {
    let meta = Reflect::get(&row, &"meta".into()).map_err(js_err)?;
    let blob = Reflect::get(&row, &"blob".into()).map_err(js_err)?.dyn_into::<Blob>().map_err(js_err)?;
    Ok((from_js(meta)?, blob))
}

/// Every photo and note kept here, with its bytes.
pub async fn all() -> Result<Vec<(LocalMedia, Blob)>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[MEDIA], TransactionMode::ReadOnly)?;
    let rows = tx.store(MEDIA)?.get_all(None, None).await?;
    let mut list: Vec<_> = rows.into_iter().map(decode).collect::<Result<_, _>>()?;
    list.sort_by_key(|(l, _)| l.offer.captured_at_ms);
    Ok(list)
}

/// The photos and notes of one record (a mark), oldest first.
pub async fn of_record(id: Uuid) -> Result<Vec<(LocalMedia, Blob)>, StorageError> {
    let mut list = all().await?;
    list.retain(|(l, _)| l.offer.record.id == id);
    Ok(list)
}

/// Takes a file off this device. One the server already keeps is also hidden there (it keeps
/// it, as history); one never sent is simply gone.
pub async fn remove(local: &LocalMedia) -> Result<(), StorageError> {
    if local.receipt.is_some() {
        let url = format!("/api/v1/media/{}", local.offer.id);
        let request = with_auth(gloo_net::http::Request::delete(&url), local).await;
        match request.send().await {
            Ok(r) if r.ok() || r.status() == 404 => {}
            _ => return Err(StorageError::Invalid("Para quitar una foto ya enviada hace falta conexión.".into())),
        }
    }
    let db = open().await?;
    let tx = db.transaction(&[MEDIA], TransactionMode::ReadWrite)?;
    tx.store(MEDIA)?.delete(local.offer.id.to_string().into()).await?;
    tx.done().await?;
    Ok(())
}

/// Removes the files `scope` covers: part of the device wipe, which first makes sure none
/// of them is still waiting ([`unsent_in`]).
pub async fn wipe(scope: WipeScope) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[MEDIA], TransactionMode::ReadWrite)?;
    let store = tx.store(MEDIA)?;
    for row in store.get_all(None, None).await? {
        let (local, _) = decode(row)?;
        if scope.covers(local.workshop_id) {
            store.delete(local.offer.id.to_string().into()).await?;
        }
    }
    tx.done().await?;
    Ok(())
}

/// How many files `scope` covers that the server does not keep yet.
pub async fn unsent_in(scope: WipeScope) -> Result<usize, StorageError> {
    Ok(all().await?.iter().filter(|(l, _)| l.receipt.is_none() && scope.covers(l.workshop_id)).count())
}

/// How many photos and notes wait to be sent, and their bytes not yet acknowledged.
pub async fn waiting() -> MediaQueue {
    let Ok(list) = all().await else { return MediaQueue::default() };
    let mut q = MediaQueue::default();
    for (l, _) in list.iter().filter(|(l, _)| l.waiting()) {
        match l.offer.kind {
            MediaKind::Photo => q.photos += 1,
            MediaKind::Voice => q.notes += 1,
        }
        q.bytes_left += l.bytes_left();
        q.bytes_total += l.offer.bytes;
    }
    q
}

/// A photo the way it is sent: at most [`MAX_PHOTO_SIDE`] on its longest side, drawn again
/// and encoded as JPEG, which leaves behind every EXIF field (GPS position, phone model)
/// the camera wrote. Returns the new bytes, width and height.
pub async fn prepare_photo(file: &Blob) -> Result<(Blob, u32, u32), String> {
    let window = web_sys::window().ok_or("sin ventana")?;
    let unreadable = |_| "No se pudo leer la imagen: ¿es una foto?".to_string();
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).map_err(unreadable)?).await.map_err(unreadable)?.unchecked_into();
    let (w, h) = fit(bitmap.width(), bitmap.height(), MAX_PHOTO_SIDE);
    let canvas: web_sys::HtmlCanvasElement =
        window.document().ok_or("sin documento")?.create_element("canvas").map_err(|_| "sin lienzo")?.unchecked_into();
    canvas.set_width(w);
    canvas.set_height(h);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().ok_or("sin lienzo 2D")?.unchecked_into();
    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(w), f64::from(h)).map_err(|_| "no se pudo dibujar")?;
    bitmap.close();
    // A busy scene (leaves, a crowd) can come out large: encoded again, coarser, it is sent
    // sooner on a weak link and still shows what it needs to.
    let mut blob = jpeg(&canvas, PHOTO_QUALITY[0]).await?;
    for quality in &PHOTO_QUALITY[1..] {
        if blob.size() <= PHOTO_TARGET_BYTES as f64 {
            break;
        }
        blob = jpeg(&canvas, *quality).await?;
    }
    Ok((blob, w, h))
}

/// JPEG qualities tried in turn until the photo fits [`PHOTO_TARGET_BYTES`].
const PHOTO_QUALITY: [f64; 3] = [0.8, 0.65, 0.5];

async fn jpeg(canvas: &web_sys::HtmlCanvasElement, quality: f64) -> Result<Blob, String> {
    JsFuture::from(js_sys::Promise::new(&mut |resolve, _reject| {
        let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &JsValue::from(quality));
    }))
    .await
    .ok()
    .and_then(|b| b.dyn_into::<Blob>().ok())
    .ok_or_else(|| "No se pudo guardar la foto en JPEG.".to_string())
}

/// SHA-256 of `blob`, as 64 lower-case hex digits.
pub async fn sha256(blob: &Blob) -> Result<String, String> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| "no se pudo leer el archivo")?;
    let subtle = web_sys::window().ok_or("sin ventana")?.crypto().map_err(|_| "sin cripto")?.subtle();
    let promise = subtle.digest_with_str_and_buffer_source("SHA-256", &buffer.unchecked_into()).map_err(|_| "sin SHA-256")?;
    let digest = Uint8Array::new(&JsFuture::from(promise).await.map_err(|_| "sin SHA-256")?).to_vec();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// A mark's files go with the workshop's device token, as its mark did; a workshop's own
/// (the facilitator's) and any made outside a workshop with the signed-in account's session.
async fn with_auth(request: gloo_net::http::RequestBuilder, local: &LocalMedia) -> gloo_net::http::RequestBuilder {
    let token = match (local.offer.record.kind, local.workshop_id) {
        (RecordKind::Mark, Some(w)) => {
            super::sync_store::workshops().await.ok().and_then(|ws| ws.into_iter().find(|s| s.id == w)).and_then(|s| s.token)
        }
        _ => None,
    };
    match token {
        Some(t) => request.header("Authorization", &format!("Bearer {t}")),
        None => match super::session::csrf() {
            Some(c) => request.header(crate::model::account::CSRF_HEADER, &c),
            None => request,
        },
    }
}

/// How one file's sending ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    Kept,
    /// No connection, or the server not ready for it yet (its mark not there yet): later.
    Later(String),
    Refused(String),
}

/// Sends one file: offers it, then sends only the chunks the server lacks, noting each one
/// acknowledged, so the next try starts from there. `progress` hears each chunk's bytes.
pub async fn send(mut local: LocalMedia, blob: &Blob, progress: &dyn Fn(u64)) -> Sent {
    let offer = match with_auth(super::session::post("/api/v1/media"), &local).await.json(&local.offer) {
        Ok(r) => r,
        Err(e) => return Sent::Refused(e.to_string()),
    };
    let mut state = match answer(offer.send().await).await {
        Ok(s) => s,
        Err(outcome) => return settle(local, outcome).await,
    };
    loop {
        local.received = state.received.clone();
        if let Some(receipt) = state.receipt.take() {
            local.receipt = Some(receipt);
            let _ = update(&local).await;
            return Sent::Kept;
        }
        let _ = update(&local).await;
        let Some(n) = state.missing().first().copied() else {
            return Sent::Later("el servidor no confirmó el archivo".into());
        };
        let start = u64::from(n) * CHUNK_BYTES;
        let Some(len) = local.offer.chunk_len(n) else { return Sent::Refused("parte fuera del archivo".into()) };
        let Ok(part) = blob.slice_with_f64_and_f64(start as f64, (start + len) as f64) else {
            return Sent::Refused("no se pudo leer el archivo guardado".into());
        };
        let url = format!("/api/v1/media/{}/chunks/{n}", local.offer.id);
        let request = with_auth(gloo_net::http::Request::put(&url), &local).await.header("Content-Type", "application/octet-stream");
        let request = match request.body(part) {
            Ok(r) => r,
            Err(e) => return Sent::Refused(e.to_string()),
        };
        state = match answer(request.send().await).await {
            Ok(s) => s,
            Err(outcome) => return settle(local, outcome).await,
        };
        progress(len);
    }
}

async fn answer(response: Result<gloo_net::http::Response, gloo_net::Error>) -> Result<UploadState, Sent> {
    let response = response.map_err(|_| Sent::Later("sin conexión con el servidor".into()))?;
    let status = response.status();
    if response.ok() {
        return response.json::<UploadState>().await.map_err(|_| Sent::Later("respuesta del servidor sin estado".into()));
    }
    let words = super::sync::error_message(response).await.unwrap_or_else(|| format!("el servidor respondió {status}"));
    // Not yet: the mark is still on its way (404), no token or session (401), the server is
    // busy or failing (5xx, 429), or the bytes arrived damaged and the server asks again (422
    // digest_mismatch resets the upload). Anything else will not change by trying again.
    if matches!(status, 401 | 404 | 408 | 429) || status >= 500 || words.contains("huella") {
        Err(Sent::Later(words))
    } else {
        Err(Sent::Refused(words))
    }
}

async fn settle(mut local: LocalMedia, outcome: Sent) -> Sent {
    if let Sent::Refused(why) = &outcome {
        local.refused = Some(why.clone());
        let _ = update(&local).await;
    }
    outcome
}

/// Sends every waiting file, oldest first, one at a time. False when some must be tried again.
pub async fn send_waiting(progress: &dyn Fn(u64)) -> bool {
    let Ok(list) = all().await else { return false };
    let mut all_sent = true;
    for (local, blob) in list.into_iter().filter(|(l, _)| l.waiting()) {
        match send(local, &blob, progress).await {
            Sent::Kept | Sent::Refused(_) => {}
            Sent::Later(_) => all_sent = false,
        }
    }
    all_sent
}

/// Whether this device is short of room for more photos: under 50 MB free, or 90 % used.
pub async fn low_on_space() -> bool {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else { return false };
    let Ok(promise) = storage.estimate() else { return false };
    let Ok(estimate) = JsFuture::from(promise).await else { return false };
    let number = |key: &str| Reflect::get(&estimate, &key.into()).ok().and_then(|v| v.as_f64());
    match (number("usage"), number("quota")) {
        (Some(usage), Some(quota)) if quota > 0.0 => quota - usage < 50e6 || usage / quota > 0.9,
        _ => false,
    }
}

/// A voice note being recorded: the microphone is on until [`Recording::stop`].
pub struct Recording {
    recorder: web_sys::MediaRecorder,
    stream: web_sys::MediaStream,
    parts: std::rc::Rc<std::cell::RefCell<Vec<Blob>>>,
    started_ms: f64,
    // Kept alive for as long as the recorder may call it.
    _on_data: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::BlobEvent)>,
}

/// Asks for the microphone and starts recording.
pub async fn start_recording() -> Result<Recording, String> {
    let denied = |_| "No se pudo usar el micrófono: permita el acceso en el navegador.".to_string();
    let devices = web_sys::window().ok_or("sin ventana")?.navigator().media_devices().map_err(denied)?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_audio(&JsValue::TRUE);
    let stream: web_sys::MediaStream =
        JsFuture::from(devices.get_user_media_with_constraints(&constraints).map_err(denied)?).await.map_err(denied)?.unchecked_into();
    // Opus in WebM where the browser has it (Chromium, Firefox), else the browser's own (MP4
    // on Safari); both are among the formats the server takes.
    let options = web_sys::MediaRecorderOptions::new();
    if web_sys::MediaRecorder::is_type_supported("audio/webm;codecs=opus") {
        options.set_mime_type("audio/webm;codecs=opus");
    }
    options.set_audio_bits_per_second(32_000);
    let recorder = web_sys::MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &options)
        .map_err(|_| "Este navegador no graba audio.".to_string())?;
    let parts = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = parts.clone();
    let on_data = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::BlobEvent)>::new(move |e: web_sys::BlobEvent| {
        if let Some(b) = e.data() {
            sink.borrow_mut().push(b);
        }
    });
    recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
    recorder.start_with_time_slice(1_000).map_err(|_| "No se pudo empezar a grabar.".to_string())?;
    Ok(Recording { recorder, stream, parts, started_ms: js_sys::Date::now(), _on_data: on_data })
}

impl Recording {
    /// Milliseconds recorded so far.
    pub fn elapsed_ms(&self) -> u32 {
        (js_sys::Date::now() - self.started_ms).max(0.0) as u32
    }

    /// Stops, turns the microphone off and gives the note: its bytes, length and type.
    pub async fn stop(self) -> Result<(Blob, u32, String), String> {
        let duration = self.elapsed_ms();
        let stopped = js_sys::Promise::new(&mut |resolve, _| {
            let done = wasm_bindgen::closure::Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            self.recorder.set_onstop(Some(done.unchecked_ref()));
        });
        let _ = self.recorder.stop();
        let _ = JsFuture::from(stopped).await;
        for track in self.stream.get_tracks().iter() {
            track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
        }
        let mime = self.recorder.mime_type();
        let mime = if mime.is_empty() { "audio/webm".to_string() } else { mime };
        let parts: js_sys::Array = self.parts.borrow().iter().collect();
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type(&mime);
        let blob = Blob::new_with_blob_sequence_and_options(&parts, &bag).map_err(|_| "No se pudo guardar la grabación.".to_string())?;
        if blob.size() == 0.0 {
            return Err("La grabación quedó vacía: ¿funciona el micrófono?".into());
        }
        Ok((blob, duration, mime))
    }

    /// Stops without keeping anything.
    pub fn cancel(self) {
        let _ = self.recorder.stop();
        for track in self.stream.get_tracks().iter() {
            track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
        }
    }
}

/// The record a new photo or note goes on, and where that record lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub record: RecordRef,
    pub barrio_id: i64,
    pub workshop_id: Option<Uuid>,
}

/// Makes the offer and keeps a new photo or note; returns what was kept.
pub async fn keep(
    blob: Blob,
    to: Target,
    kind: MediaKind,
    mime: String,
    dims: Option<(u32, u32)>,
    duration_ms: Option<u32>,
) -> Result<LocalMedia, String> {
    let Target { record, barrio_id, workshop_id } = to;
    let sha256 = sha256(&blob).await?;
    let offer = MediaOffer {
        id: super::device::new_id(),
        record,
        kind,
        mime,
        bytes: blob.size() as u64,
        sha256,
        width: dims.map(|d| d.0),
        height: dims.map(|d| d.1),
        duration_ms,
        captured_at_ms: super::device::now_ms(),
    };
    offer.validate().map_err(|e| crate::model::Bilingual::es(&e))?;
    let local = LocalMedia { offer, barrio_id, workshop_id, received: Vec::new(), receipt: None, refused: None };
    save(&local, &blob).await.map_err(|e| format!("No se pudo guardar en este dispositivo: {e}"))?;
    Ok(local)
}
