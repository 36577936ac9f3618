//! Photos and voice notes over HTTP: a real photo sent in chunks out of order, resumed, kept
//! once and shown with its thumbnail; a voice note's byte ranges; refusals of what is not the
//! file offered (wrong type, damaged, too large, wrong chunk); who may attach, see and hide.

use app::model::media::{UploadState, CHUNK_BYTES, THUMB_SIDE};
use app::model::sync::{change_json, PROTOCOL};
use app::model::{Hlc, Mark, Record, Workshop};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::helpers::{centre_of, signed_in, spawn_app, TestApp, FACILITATOR_BARRIO, OTHER_FACILITATOR_BARRIO};
use crate::sync::workshop;

const T: i64 = 1_764_000_000_000;

/// A participant's phone: its id and a client carrying its workshop token.
pub struct Phone {
    pub id: Uuid,
    pub client: reqwest::Client,
}

impl Phone {
    pub async fn join(app: &TestApp, w: &Workshop) -> Phone {
        let id = Uuid::new_v4();
        let res = reqwest::Client::new()
            .post(format!("{}/api/v1/join/{}", app.url, w.join_code))
            .json(&json!({ "device_id": id }))
            .send()
            .await
            .expect("join");
        assert_eq!(res.status().as_u16(), 200);
        let token = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("authorization", format!("Bearer {token}").parse().expect("header"));
        Phone { id, client: reqwest::Client::builder().default_headers(headers).build().expect("client") }
    }

    /// Draws a mark of `category` at the barrio's centre and syncs it: the version sent.
    pub async fn mark(&self, app: &TestApp, w: &Workshop, (lon, lat): (f64, f64), category: &str) -> Record {
        let mark = Mark { alias: "Rosa".into(), ..Mark::new_point(Uuid::new_v4(), w.barrio_id, category, lon, lat, T) };
        let record = Record::Mark(mark).stamped(Hlc::tick(None, T, &self.id.simple().to_string()), Some(w.id));
        self.send(app, w, &record, "created").await;
        record
    }

    pub async fn send(&self, app: &TestApp, w: &Workshop, record: &Record, expected: &str) {
        let batch = json!({
            "protocol": PROTOCOL, "submission_id": Uuid::new_v4(), "device_id": self.id, "workshop_id": w.id,
            "changes": [change_json(record)],
        });
        let res = self.client.post(format!("{}/api/v1/sync", app.url)).json(&batch).send().await.expect("sync");
        let reply: Value = res.json().await.expect("json");
        assert_eq!(reply["results"][0]["status"], expected, "{reply}");
    }
}

pub fn sha(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

/// A real JPEG of noise (which does not compress), `width` × `height`.
pub fn noisy_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    let img = image::ImageBuffer::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92).encode_image(&img).expect("encode");
    out
}

/// A voice note as a WebM recorder starts one (the EBML header naming `webm`), then bytes.
pub fn webm(len: usize) -> Vec<u8> {
    let mut out = vec![0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84];
    out.extend_from_slice(b"webm");
    out.extend((out.len()..len).map(|i| (i * 7 % 251) as u8));
    out
}

pub fn offer(id: Uuid, record: (&str, Uuid), kind: &str, mime: &str, data: &[u8]) -> Value {
    json!({
        "id": id, "record": { "kind": record.0, "id": record.1 }, "kind": kind, "mime": mime,
        "bytes": data.len(), "sha256": sha(data), "captured_at_ms": T,
    })
}

pub async fn send_offer(client: &reqwest::Client, app: &TestApp, body: &Value) -> (u16, Value) {
    let res = client.post(format!("{}/api/v1/media", app.url)).json(body).send().await.expect("offer");
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

pub async fn put_chunk(client: &reqwest::Client, app: &TestApp, id: Uuid, n: u32, data: &[u8]) -> (u16, Value) {
    let res = client
        .put(format!("{}/api/v1/media/{id}/chunks/{n}", app.url))
        .header("content-type", "application/octet-stream")
        .body(data.to_vec())
        .send()
        .await
        .expect("chunk");
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

fn chunk(data: &[u8], n: u32) -> &[u8] {
    let start = (u64::from(n) * CHUNK_BYTES) as usize;
    &data[start..(start + CHUNK_BYTES as usize).min(data.len())]
}

pub fn state(body: Value) -> UploadState {
    serde_json::from_value(body).expect("an upload state")
}

async fn get_json(client: &reqwest::Client, url: String) -> (u16, Value) {
    let res = client.get(url).send().await.expect("get");
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

/// Files kept under their digests (photos and thumbnails), counted on disk.
fn kept_files(app: &TestApp) -> usize {
    let root = app.db_path.parent().expect("folder").join("archivos/sha256");
    std::fs::read_dir(root).map_or(0, |dirs| dirs.flatten().map(|d| std::fs::read_dir(d.path()).map_or(0, |f| f.count())).sum())
}

/// A small photo of `mark`, offered and sent whole by `client`: its id.
pub async fn kept_photo(app: &TestApp, client: &reqwest::Client, mark: Uuid) -> Uuid {
    let photo = noisy_jpeg(40, 30);
    let id = Uuid::new_v4();
    let (status, body) = send_offer(client, app, &offer(id, ("mark", mark), "photo", "image/jpeg", &photo)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = put_chunk(client, app, id, 0, &photo).await;
    assert!(status == 200 && state(body).receipt.is_some());
    id
}

#[tokio::test]
async fn a_photo_sent_in_chunks_out_of_order_resumes_is_kept_once_and_shown_to_who_may_see_it() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let (rosa, luis) = (Phone::join(&app, &w).await, Phone::join(&app, &w).await);
    let park = rosa.mark(&app, &w, centre, "parque").await.id();

    let photo = noisy_jpeg(640, 480);
    let id = Uuid::new_v4();
    let body = offer(id, ("mark", park), "photo", "image/jpeg", &photo);
    let (status, first) = send_offer(&rosa.client, &app, &body).await;
    assert_eq!(status, 201, "{first}");
    let first = state(first);
    assert!(first.chunks >= 2, "{} bytes in one chunk: the photo is too small for this test", photo.len());
    assert!(first.received.is_empty() && first.receipt.is_none());
    let last = first.chunks - 1;

    // The last chunk first; then the connection drops and the phone asks where it stands.
    assert_eq!(put_chunk(&rosa.client, &app, id, last, chunk(&photo, last)).await.0, 200);
    let (status, again) = send_offer(&rosa.client, &app, &body).await;
    assert_eq!((status, state(again).received), (200, vec![last]));
    let (status, upload) = get_json(&rosa.client, format!("{}/api/v1/media/{id}/upload", app.url)).await;
    assert_eq!((status, state(upload).missing()), (200, (0..last).collect::<Vec<_>>()));
    assert_eq!(get_json(&luis.client, format!("{}/api/v1/media/{id}/upload", app.url)).await.0, 403, "only the sender");
    assert_eq!(put_chunk(&luis.client, &app, id, 0, chunk(&photo, 0)).await.0, 403);

    // A chunk of the wrong length, or past the end, belongs to no file.
    let (status, wrong) = put_chunk(&rosa.client, &app, id, 0, &chunk(&photo, 0)[1..]).await;
    assert_eq!((status, wrong["error"]["code"].as_str()), (422, Some("bad_chunk")));
    assert_eq!(put_chunk(&rosa.client, &app, id, last + 1, b"x").await.0, 422);

    let mut done = None;
    for n in (0..last).rev() {
        let (status, answer) = put_chunk(&rosa.client, &app, id, n, chunk(&photo, n)).await;
        assert_eq!(status, 200, "{answer}");
        done = Some(state(answer));
    }
    let receipt = done.and_then(|d| d.receipt).expect("the last chunk gets the receipt");
    assert_eq!((receipt.sha256.as_str(), receipt.bytes), (sha(&photo).as_str(), photo.len() as u64));
    let files_kept = kept_files(&app);
    assert_eq!(files_kept, 2, "the photo and its thumbnail");

    // Offered again after completion: the same receipt; the same bytes under a new id: a
    // receipt at once, and no second file.
    let (status, again) = send_offer(&rosa.client, &app, &body).await;
    assert_eq!((status, state(again).receipt), (200, Some(receipt.clone())));
    let twin = Uuid::new_v4();
    let (status, dedup) = send_offer(&rosa.client, &app, &offer(twin, ("mark", park), "photo", "image/jpeg", &photo)).await;
    let dedup = state(dedup);
    assert_eq!((status, dedup.receipt.map(|r| (r.id, r.sha256))), (201, Some((twin, sha(&photo)))));
    assert_eq!(kept_files(&app), files_kept);
    assert_eq!(put_chunk(&rosa.client, &app, id, 0, chunk(&photo, 0)).await.0, 200, "a late repeat is answered, not stored");
    let mut other = body.clone();
    other["sha256"] = json!(sha(b"other"));
    let (status, taken) = send_offer(&rosa.client, &app, &other).await;
    assert_eq!((status, taken["error"]["code"].as_str()), (409, Some("id_taken")));

    // Staff list it with its thumbnail, a JPEG that fits the side.
    let (status, list) = app.get_json(&format!("/barrios/{barrio}/media")).await;
    assert_eq!(status, 200, "{list}");
    let item = list["items"].as_array().and_then(|items| items.iter().find(|i| i["id"] == json!(id))).expect("listed").clone();
    assert_eq!((item["kind"].as_str(), item["mime"].as_str(), item["alias"].as_str()), (Some("photo"), Some("image/jpeg"), Some("Rosa")));
    assert_eq!((item["width"].as_u64(), item["height"].as_u64()), (Some(640), Some(480)));
    let thumb = app.get(item["thumb_url"].as_str().expect("thumb_url")).await;
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let thumb = image::load_from_memory(&thumb.bytes().await.expect("bytes")).expect("a JPEG");
    assert_eq!((thumb.width(), thumb.height()), (THUMB_SIDE, THUMB_SIDE * 3 / 4));
    let (_, one_mark) = app.get_json(&format!("/barrios/{barrio}/media?mark={}", Uuid::new_v4())).await;
    assert_eq!(one_mark["items"], json!([]));

    // The file itself, to its sender and to another participant (a photo of a plain mark).
    let res = luis.client.get(format!("{}/api/v1/media/{id}", app.url)).send().await.expect("file");
    assert_eq!(res.status().as_u16(), 200);
    let headers = res.headers().clone();
    assert_eq!(headers["etag"].to_str().ok(), Some(format!("\"{}\"", sha(&photo)).as_str()));
    assert_eq!((headers["x-content-type-options"].to_str().ok(), headers["accept-ranges"].to_str().ok()), (Some("nosniff"), Some("bytes")));
    assert!(headers["content-disposition"].to_str().unwrap_or("").starts_with("inline; filename=\"foto-"));
    assert!(headers["cache-control"].to_str().unwrap_or("").starts_with("private"));
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), photo.as_slice());
    let (_, theirs) = get_json(&luis.client, format!("{}/api/v1/workshops/{}/media", app.url, w.id)).await;
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(2), "both photos of Rosa's park: {theirs}");

    // Who may not: anonymous, a device of another workshop, a participant on a workshop.
    let anonymous = reqwest::Client::new();
    assert_eq!(send_offer(&anonymous, &app, &body).await.0, 401);
    assert_eq!(get_json(&anonymous, format!("{}/api/v1/media/{id}", app.url)).await.0, 401);
    let elsewhere = workshop(&app, app.barrio_id(OTHER_FACILITATOR_BARRIO).await, "2099-12-02").await;
    let stranger = Phone::join(&app, &elsewhere).await;
    assert_eq!(send_offer(&stranger.client, &app, &offer(Uuid::new_v4(), ("mark", park), "photo", "image/jpeg", &photo)).await.0, 403);
    assert_eq!(get_json(&stranger.client, format!("{}/api/v1/media/{id}", app.url)).await.0, 403);
    assert_eq!(
        send_offer(&luis.client, &app, &offer(Uuid::new_v4(), ("mark", park), "photo", "image/jpeg", &photo)).await.0,
        403,
        "Rosa's mark"
    );
    let on_workshop = offer(Uuid::new_v4(), ("workshop", w.id), "photo", "image/jpeg", &photo);
    assert_eq!(send_offer(&rosa.client, &app, &on_workshop).await.0, 403);
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(send_offer(&facilitator, &app, &on_workshop).await.0, 201, "the workshop's facilitator");
    assert_eq!(get_json(&rosa.client, format!("{}/api/v1/barrios/{barrio}/media", app.url)).await.0, 403, "the archive is staff's");

    // Hidden by its sender: out of every listing, its bytes only for staff.
    assert_eq!(luis.client.delete(format!("{}/api/v1/media/{id}", app.url)).send().await.expect("delete").status().as_u16(), 403);
    assert_eq!(rosa.client.delete(format!("{}/api/v1/media/{id}", app.url)).send().await.expect("delete").status().as_u16(), 204);
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/media")).await;
    assert!(list["items"].as_array().is_some_and(|items| items.iter().all(|i| i["id"] != json!(id))), "{list}");
    let (_, theirs) = get_json(&luis.client, format!("{}/api/v1/workshops/{}/media", app.url, w.id)).await;
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(get_json(&rosa.client, format!("{}/api/v1/media/{id}", app.url)).await.0, 404);
    assert_eq!(app.get(&format!("/api/v1/media/{id}")).await.status().as_u16(), 200, "staff still reach it");
}

#[tokio::test]
async fn a_voice_note_answers_ranges_and_what_is_not_the_file_offered_is_refused_and_not_kept() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let (rosa, luis) = (Phone::join(&app, &w).await, Phone::join(&app, &w).await);
    let drawn = rosa.mark(&app, &w, centre, "parque").await;
    let park = drawn.id();

    let voice = webm(5_000);
    let id = Uuid::new_v4();
    let (status, _) = send_offer(&rosa.client, &app, &offer(id, ("mark", park), "voice", "audio/webm;codecs=opus", &voice)).await;
    assert_eq!(status, 201);
    let (status, done) = put_chunk(&rosa.client, &app, id, 0, &voice).await;
    assert_eq!((status, state(done).receipt.map(|r| r.bytes)), (200, Some(5_000)));

    let ranged = |range: &'static str| {
        let request = rosa.client.get(format!("{}/api/v1/media/{id}", app.url)).header("range", range);
        async move { request.send().await.expect("range") }
    };
    let res = ranged("bytes=100-199").await;
    assert_eq!(res.status().as_u16(), 206);
    assert_eq!(res.headers()["content-range"], "bytes 100-199/5000");
    assert_eq!(res.headers()["content-type"], "audio/webm");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), &voice[100..200]);
    let res = ranged("bytes=-10").await;
    assert_eq!((res.status().as_u16(), res.headers()["content-range"].to_str().ok()), (206, Some("bytes 4990-4999/5000")));
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), &voice[4990..]);
    let res = ranged("bytes=6000-").await;
    assert_eq!((res.status().as_u16(), res.headers()["content-range"].to_str().ok()), (416, Some("bytes */5000")));
    assert_eq!(get_json(&rosa.client, format!("{}/api/v1/media/{id}/thumb", app.url)).await.0, 404, "no thumbnail for a voice");
    // Other participants never get someone's voice.
    assert_eq!(get_json(&luis.client, format!("{}/api/v1/media/{id}", app.url)).await.0, 403);
    let (_, theirs) = get_json(&luis.client, format!("{}/api/v1/workshops/{}/media", app.url, w.id)).await;
    assert_eq!(theirs["items"], json!([]));
    let facilitator = signed_in(&app.url, "facilita").await;
    let (_, all) = get_json(&facilitator, format!("{}/api/v1/workshops/{}/media", app.url, w.id)).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(1));
    let before = kept_files(&app);

    // An executable named a photo: refused once its bytes are in, nothing of it kept.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    exe.resize(2_000, 0x90);
    let bad = Uuid::new_v4();
    assert_eq!(send_offer(&rosa.client, &app, &offer(bad, ("mark", park), "photo", "image/jpeg", &exe)).await.0, 201);
    let (status, refused) = put_chunk(&rosa.client, &app, bad, 0, &exe).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (415, Some("wrong_type")), "{refused}");
    assert_eq!(get_json(&rosa.client, format!("{}/api/v1/media/{bad}/upload", app.url)).await.0, 404, "the offer went too");
    assert_eq!(kept_files(&app), before);
    let partes = app.db_path.parent().expect("folder").join("archivos/partes");
    assert_eq!(std::fs::read_dir(&partes).map_or(0, |d| d.count()), 0, "no part left");

    // A real photo that still holds its camera's EXIF (a GPS block, the phone's make), as a
    // client other than the app could send it: refused whole, nothing of it kept.
    let clean = noisy_jpeg(40, 30);
    let mut tiff = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0".to_vec();
    tiff.extend_from_slice(b"TestPhone GPS 11.24N 74.21W");
    let mut located = clean[..2].to_vec();
    located.extend_from_slice(&[0xFF, 0xE1]);
    located.extend_from_slice(&u16::try_from(tiff.len() + 2).expect("short").to_be_bytes());
    located.extend_from_slice(&tiff);
    located.extend_from_slice(&clean[2..]);
    let exif = Uuid::new_v4();
    assert_eq!(send_offer(&rosa.client, &app, &offer(exif, ("mark", park), "photo", "image/jpeg", &located)).await.0, 201);
    let (status, refused) = put_chunk(&rosa.client, &app, exif, 0, &located).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("camera_metadata")), "{refused}");
    assert!(refused["error"]["message"].as_str().is_some_and(|m| m.contains("GPS")), "{refused}");
    assert_eq!(get_json(&rosa.client, format!("{}/api/v1/media/{exif}/upload", app.url)).await.0, 404, "the offer went too");
    assert_eq!(kept_files(&app), before);
    assert_eq!(std::fs::read_dir(&partes).map_or(0, |d| d.count()), 0, "no part left");

    // Damaged on the way: refused, its chunks dropped, the device starts again.
    let damaged = Uuid::new_v4();
    let mut claimed = offer(damaged, ("mark", park), "voice", "audio/webm", &voice);
    claimed["sha256"] = json!(sha(b"what the phone hashed"));
    assert_eq!(send_offer(&rosa.client, &app, &claimed).await.0, 201);
    let (status, refused) = put_chunk(&rosa.client, &app, damaged, 0, &voice).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str(), refused["error"]["field"].as_str()),
        (422, Some("digest_mismatch"), Some("sha256"))
    );
    assert!(refused["error"]["message_en"].as_str().is_some_and(|m| m.contains("again")), "{refused}");
    let (status, upload) = get_json(&rosa.client, format!("{}/api/v1/media/{damaged}/upload", app.url)).await;
    assert_eq!((status, state(upload).received), (200, vec![]));
    assert_eq!(kept_files(&app), before);

    // Too large, or not a type its kind may be, is refused at the offer.
    let mut big = offer(Uuid::new_v4(), ("mark", park), "photo", "image/jpeg", b"x");
    big["bytes"] = json!(3 * 1024 * 1024 + 1);
    let (status, refused) = send_offer(&rosa.client, &app, &big).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (413, Some("too_large")));
    let (status, refused) =
        send_offer(&rosa.client, &app, &offer(Uuid::new_v4(), ("mark", park), "photo", "application/x-msdownload", b"x")).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (415, Some("wrong_type")));
    let (status, _) = send_offer(&rosa.client, &app, &offer(Uuid::new_v4(), ("mark", Uuid::new_v4()), "photo", "image/jpeg", b"x")).await;
    assert_eq!(status, 404, "an unknown mark");
    // A photo by its first bytes that no decoder can read: refused, not kept without a thumbnail.
    let mut broken = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
    broken.resize(3_000, 0x42);
    let unreadable = Uuid::new_v4();
    assert_eq!(send_offer(&rosa.client, &app, &offer(unreadable, ("mark", park), "photo", "image/jpeg", &broken)).await.0, 201);
    let (status, refused) = put_chunk(&rosa.client, &app, unreadable, 0, &broken).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("unreadable")), "{refused}");
    assert_eq!(kept_files(&app), before);
    // A chunk body well over a chunk's size is refused before it is read whole.
    assert_eq!(put_chunk(&rosa.client, &app, damaged, 0, &vec![0; CHUNK_BYTES as usize * 2]).await.0, 413);

    // Audio goes as kept, never compressed on the way (its ranges are of the kept bytes).
    let res = rosa.client.get(format!("{}/api/v1/media/{id}", app.url)).header("accept-encoding", "gzip").send().await.expect("file");
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.bytes().await.expect("bytes").len(), voice.len());

    // Rosa deletes her mark: its files leave the listings, and staff still reach them.
    let tombstone = drawn.tombstone(T + 60_000).stamped(Hlc::tick(None, T + 60_000, &rosa.id.simple().to_string()), Some(w.id));
    rosa.send(&app, &w, &tombstone, "updated").await;
    let (_, all) = get_json(&facilitator, format!("{}/api/v1/workshops/{}/media", app.url, w.id)).await;
    assert_eq!(all["items"], json!([]));
    let (_, archive) = app.get_json(&format!("/barrios/{barrio}/media")).await;
    assert_eq!(archive["items"], json!([]));
    assert_eq!(get_json(&rosa.client, format!("{}/api/v1/media/{id}", app.url)).await.0, 404);
    assert_eq!(app.get(&format!("/api/v1/media/{id}")).await.status().as_u16(), 200);
}

#[tokio::test]
async fn the_same_last_chunks_sent_at_once_end_in_one_checked_file() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let rosa = Phone::join(&app, &w).await;
    let park = rosa.mark(&app, &w, centre, "parque").await.id();
    let photo = noisy_jpeg(640, 480);
    let id = Uuid::new_v4();
    let (status, first) = send_offer(&rosa.client, &app, &offer(id, ("mark", park), "photo", "image/jpeg", &photo)).await;
    assert_eq!(status, 201);
    let chunks = state(first).chunks;
    // Every chunk twice, all at once.
    let sends = (0..chunks).chain(0..chunks).map(|n| put_chunk(&rosa.client, &app, id, n, chunk(&photo, n)));
    let answers = futures_util::future::join_all(sends).await;
    assert!(answers.iter().all(|(status, _)| *status == 200), "{answers:?}");
    let receipts: Vec<_> = answers.into_iter().filter_map(|(_, body)| state(body).receipt).collect();
    assert!(!receipts.is_empty() && receipts.windows(2).all(|r| r[0] == r[1]), "one receipt for all: {receipts:?}");
    let res = rosa.client.get(format!("{}/api/v1/media/{id}", app.url)).send().await.expect("file");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), photo.as_slice());
}
