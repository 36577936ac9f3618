//! Staff's work on photos and voice notes: deciding on each file (report annex, publication)
//! with its history kept, the public photos of a published barrio and their files, and a
//! diagnóstico's ZIP archive with its exports and the files of its marks.

use std::io::{Cursor, Read};

use app::model::Workshop;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{centre_of, signed_in, spawn_app, TestApp, FACILITATOR_BARRIO};
use crate::media::{noisy_jpeg, offer, put_chunk, send_offer, state, webm, Phone};
use crate::sync::workshop;

/// A file of `kind` on `mark`, offered and sent whole by `client`: its id.
async fn kept(app: &TestApp, client: &reqwest::Client, mark: Uuid, kind: &str, mime: &str, data: &[u8]) -> Uuid {
    let id = Uuid::new_v4();
    let (status, body) = send_offer(client, app, &offer(id, ("mark", mark), kind, mime, data)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = put_chunk(client, app, id, 0, data).await;
    assert!(status == 200 && state(body).receipt.is_some());
    id
}

/// `PUT /api/v1/media/{id}/decision` by `client`: status and answer.
async fn decide(app: &TestApp, client: &reqwest::Client, id: Uuid, in_report: bool, publish: bool) -> (u16, Value) {
    let res = client
        .put(format!("{}/api/v1/media/{id}/decision", app.url))
        .json(&json!({ "in_report": in_report, "publish": publish }))
        .send()
        .await
        .expect("decision");
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

/// A workshop in Pescaíto, with Rosa's phone in it.
async fn with_phone(app: &TestApp) -> (i64, (f64, f64), Workshop, Phone) {
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let centre = centre_of(app, barrio).await;
    let w = workshop(app, barrio, "2099-12-01").await;
    let rosa = Phone::join(app, &w).await;
    (barrio, centre, w, rosa)
}

fn item(list: &Value, id: Uuid) -> Value {
    list["items"].as_array().and_then(|items| items.iter().find(|i| i["id"] == json!(id))).cloned().unwrap_or(Value::Null)
}

#[tokio::test]
async fn staff_decide_on_each_file_keep_every_decision_and_never_publish_a_voice_or_a_sensitive_photo() {
    let app = spawn_app().await;
    let (barrio, centre, w, rosa) = with_phone(&app).await;
    let park = rosa.mark(&app, &w, centre, "parque").await.id();
    let dealing = rosa.mark(&app, &w, (centre.0 + 0.001, centre.1), "expendio_sustancias").await.id();
    let photo = kept(&app, &rosa.client, park, "photo", "image/jpeg", &noisy_jpeg(40, 30)).await;
    let voice = kept(&app, &rosa.client, park, "voice", "audio/webm", &webm(3_000)).await;
    let sensitive = kept(&app, &rosa.client, dealing, "photo", "image/jpeg", &noisy_jpeg(30, 40)).await;
    let staff = signed_in(&app.url, "equipo").await;

    // Nobody decided yet: neither in the report nor published; the sensitive one says so.
    let (_, list) = get(&staff, &app, &format!("/barrios/{barrio}/media")).await;
    assert_eq!((item(&list, photo)["in_report"].as_bool(), item(&list, photo)["published"].as_bool()), (Some(false), Some(false)));
    assert_eq!((item(&list, photo)["sensitive"].as_bool(), item(&list, sensitive)["sensitive"].as_bool()), (Some(false), Some(true)));

    let (status, decided) = decide(&app, &staff, photo, true, true).await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(
        (decided["id"].clone(), decided["in_report"].as_bool(), decided["published"].as_bool()),
        (json!(photo), Some(true), Some(true))
    );
    assert_eq!((decided["alias"].as_str(), decided["sensitive"].as_bool()), (Some("Rosa"), Some(false)));

    // Only staff: not the participant who took it, nor a facilitator, nor staff of another
    // city; and no one signed out.
    assert_eq!(decide(&app, &rosa.client, photo, false, false).await.0, 403);
    assert_eq!(decide(&app, &signed_in(&app.url, "facilita").await, photo, false, false).await.0, 403);
    assert_eq!(decide(&app, &signed_in(&app.url, "equipo_bq").await, photo, false, false).await.0, 403);
    assert_eq!(decide(&app, &reqwest::Client::new(), photo, false, false).await.0, 401);

    // A voice is never published, nor a photo of a sensitive mark; both may go in the report.
    let (status, refused) = decide(&app, &staff, voice, true, true).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str(), refused["error"]["field"].as_str()),
        (422, Some("voice_never_published"), Some("publish"))
    );
    assert!(refused["error"]["message"].as_str().is_some_and(|m| m.starts_with("Las notas de voz nunca")), "Spanish first: {refused}");
    let (status, refused) = decide(&app, &staff, sensitive, false, true).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("sensitive_never_published")));
    assert_eq!(decide(&app, &staff, voice, true, false).await.0, 200);
    let (status, annexed) = decide(&app, &staff, sensitive, true, false).await;
    assert_eq!((status, annexed["in_report"].as_bool(), annexed["sensitive"].as_bool()), (200, Some(true), Some(true)));

    // Staff change their mind: the latest decision holds, and both are kept, with who and when.
    let (status, withdrawn) = decide(&app, &staff, photo, true, false).await;
    assert_eq!((status, withdrawn["published"].as_bool()), (200, Some(false)));
    let (_, list) = get(&staff, &app, &format!("/barrios/{barrio}/media")).await;
    assert_eq!((item(&list, photo)["in_report"].as_bool(), item(&list, photo)["published"].as_bool()), (Some(true), Some(false)));
    assert_eq!(item(&list, voice)["in_report"].as_bool(), Some(true));
    let (_, theirs) = get(&app.client, &app, &format!("/workshops/{}/media", w.id)).await;
    assert_eq!(item(&theirs, photo)["in_report"].as_bool(), Some(true), "the workshop's list says so too");
    let db = rusqlite::Connection::open(&app.db_path).expect("db");
    let equipo: i64 = db.query_row("SELECT id FROM users WHERE username = 'equipo'", [], |r| r.get(0)).expect("account");
    let history: Vec<(bool, bool, i64)> = db
        .prepare("SELECT in_report, publish, account_id FROM media_decisions WHERE media_id = ?1 ORDER BY seq")
        .expect("query")
        .query_map([photo.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("history");
    assert_eq!(history, vec![(true, true, equipo), (true, false, equipo)]);
    assert!(db.execute("UPDATE media_decisions SET publish = 1", []).is_err(), "nothing changed in place");
    assert!(db.execute("DELETE FROM media_decisions", []).is_err());

    // A hidden file, an unknown one, or a body that is not a decision.
    assert_eq!(rosa.client.delete(format!("{}/api/v1/media/{sensitive}", app.url)).send().await.expect("hide").status().as_u16(), 204);
    assert_eq!(decide(&app, &staff, sensitive, false, false).await.0, 404);
    assert_eq!(decide(&app, &staff, Uuid::new_v4(), false, false).await.0, 404);
    let res = staff.put(format!("{}/api/v1/media/{photo}/decision", app.url)).json(&json!({ "publish": true })).send().await.expect("put");
    assert_eq!(res.status().as_u16(), 400);
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let res = client.get(format!("{}/api/v1{path}", app.url)).send().await.expect("get");
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn publish(app: &TestApp, barrio: i64) {
    let (status, body) = app.post(&format!("/barrios/{barrio}/diagnosticos"), Some("application/json"), "{}").await;
    assert_eq!(status, 201, "{body}");
    let (status, body) =
        app.post(&format!("/barrios/{barrio}/publications"), Some("application/json"), json!({ "diagnostico": 1 }).to_string()).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn an_approved_photo_is_public_only_while_approved_and_its_barrio_published() {
    let app = spawn_app().await;
    let (barrio, centre, w, rosa) = with_phone(&app).await;
    let park = rosa.mark(&app, &w, centre, "parque").await.id();
    let picture = noisy_jpeg(64, 48);
    let photo = kept(&app, &rosa.client, park, "photo", "image/jpeg", &picture).await;
    let other = kept(&app, &rosa.client, park, "photo", "image/jpeg", &noisy_jpeg(48, 64)).await;
    let staff = signed_in(&app.url, "equipo").await;
    let anonymous = reqwest::Client::new();
    let public = |path: String| {
        let request = anonymous.get(format!("{}/api/v1/public{path}", app.url));
        async move { request.send().await.expect("public") }
    };

    // Approved, but the barrio is not published: nothing public, as its page.
    assert_eq!(decide(&app, &staff, photo, false, true).await.0, 200);
    assert_eq!(public(format!("/barrios/{barrio}/media")).await.status().as_u16(), 404);
    assert_eq!(public(format!("/media/{photo}")).await.status().as_u16(), 404);

    publish(&app, barrio).await;
    let res = public(format!("/barrios/{barrio}/media")).await;
    assert_eq!((res.status().as_u16(), res.headers()["cache-control"].to_str().ok()), (200, Some("no-cache")));
    let text = res.text().await.expect("text");
    for private in ["Rosa", "alias", &park.to_string(), &w.id.to_string(), "workshop", "captured", &other.to_string()] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    let list: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "the approved photo only: {list}");
    let shown = &list["items"][0];
    assert_eq!(shown["id"], json!(photo));
    assert_eq!((shown["width"].as_u64(), shown["height"].as_u64(), shown["month"].as_str()), (Some(64), Some(48), Some("2025-11")));

    // Its file and thumbnail, to anyone, with the file route's headers but revalidated.
    let res = public(shown["url"].as_str().expect("url").trim_start_matches("/api/v1/public").to_string()).await;
    assert_eq!(res.status().as_u16(), 200);
    let headers = res.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(
        (headers["x-content-type-options"].to_str().ok(), headers["content-security-policy"].to_str().ok()),
        (Some("nosniff"), Some("default-src 'none'; sandbox"))
    );
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), picture.as_slice());
    let etag = headers["etag"].to_str().expect("etag").to_string();
    let again =
        anonymous.get(format!("{}/api/v1/public/media/{photo}", app.url)).header("if-none-match", &etag).send().await.expect("again");
    assert_eq!(again.status().as_u16(), 304);
    let thumb = public(shown["thumb_url"].as_str().expect("thumb").trim_start_matches("/api/v1/public").to_string()).await;
    assert_eq!((thumb.status().as_u16(), thumb.headers()["content-type"].to_str().ok()), (200, Some("image/jpeg")));
    assert_eq!(public(format!("/media/{other}")).await.status().as_u16(), 404, "not approved");

    // Its mark rejected by staff (a duplicate, a false report): out of the public pages; restored, back.
    let review = |action: &str| json!({ "action": action, "reason": "revisión de prueba" }).to_string();
    assert_eq!(app.post(&format!("/marks/{park}/reviews"), Some("application/json"), review("reject")).await.0, 201);
    assert_eq!(public(format!("/media/{photo}")).await.status().as_u16(), 404);
    let (status, list) = get(&anonymous, &app, &format!("/public/barrios/{barrio}/media")).await;
    assert_eq!((status, list["items"].clone()), (200, json!([])));
    assert_eq!(app.post(&format!("/marks/{park}/reviews"), Some("application/json"), review("restore")).await.0, 201);
    assert_eq!(public(format!("/media/{photo}")).await.status().as_u16(), 200);

    // Approval withdrawn: gone at once, even for a browser that holds its ETag.
    assert_eq!(decide(&app, &staff, photo, true, false).await.0, 200);
    let (status, list) = get(&anonymous, &app, &format!("/public/barrios/{barrio}/media")).await;
    assert_eq!((status, list["items"].clone()), (200, json!([])));
    assert_eq!(public(format!("/media/{photo}")).await.status().as_u16(), 404);
    assert_eq!(public(format!("/media/{photo}/thumb")).await.status().as_u16(), 404);
    let again =
        anonymous.get(format!("{}/api/v1/public/media/{photo}", app.url)).header("if-none-match", &etag).send().await.expect("again");
    assert_eq!(again.status().as_u16(), 404);

    // Approved again, then the publication withdrawn: gone again.
    assert_eq!(decide(&app, &staff, photo, true, true).await.0, 200);
    assert_eq!(public(format!("/media/{photo}")).await.status().as_u16(), 200);
    assert_eq!(app.post(&format!("/barrios/{barrio}/publications/1/withdraw"), None, "").await.0, 200);
    assert_eq!(public(format!("/media/{photo}")).await.status().as_u16(), 404);
    assert_eq!(public(format!("/media/{photo}/thumb")).await.status().as_u16(), 404);
    assert_eq!(public(format!("/barrios/{barrio}/media")).await.status().as_u16(), 404);
}

/// The ZIP's entry `name`, read whole.
fn entry(zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_end(&mut out).expect("read");
    out
}

/// A GeoJSON with every feature's `media` property taken out, and what each listed.
fn without_media(mut geojson: Value) -> (Value, Vec<Value>) {
    let mut listed = Vec::new();
    for f in geojson["features"].as_array_mut().expect("features") {
        listed.push(f["properties"].as_object_mut().expect("properties").remove("media").expect("a media property"));
    }
    (geojson, listed)
}

#[tokio::test]
async fn a_diagnosticos_archive_holds_its_exports_and_the_files_of_its_marks_for_staff_only() {
    let app = spawn_app().await;
    let (barrio, centre, w, rosa) = with_phone(&app).await;
    let park = rosa.mark(&app, &w, centre, "parque").await.id();
    let lamp = rosa.mark(&app, &w, (centre.0 + 0.002, centre.1), "alumbrado_deficiente").await.id();
    let (picture, voice_bytes) = (noisy_jpeg(64, 48), webm(4_000));
    let photo = kept(&app, &rosa.client, park, "photo", "image/jpeg", &picture).await;
    let voice = kept(&app, &rosa.client, park, "voice", "audio/webm", &voice_bytes).await;
    let hidden = kept(&app, &rosa.client, lamp, "photo", "image/jpeg", &noisy_jpeg(30, 30)).await;
    assert_eq!(rosa.client.delete(format!("{}/api/v1/media/{hidden}", app.url)).send().await.expect("hide").status().as_u16(), 204);
    let (status, body) = app.post(&format!("/barrios/{barrio}/diagnosticos"), Some("application/json"), "{}").await;
    assert_eq!(status, 201, "{body}");

    let path = format!("/api/v1/barrios/{barrio}/diagnosticos/1/archivo.zip");
    let staff = signed_in(&app.url, "equipo").await;
    let res = staff.get(format!("{}{path}", app.url)).send().await.expect("zip");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"diagnostico-pescaito-1.zip\"");
    let bytes = res.bytes().await.expect("body").to_vec();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP");
    let (photo_name, voice_name) = (format!("media/{photo}.jpg"), format!("media/{voice}.webm"));
    let mut names: Vec<String> = zip.file_names().map(String::from).collect();
    names.sort();
    let mut expected = vec!["LEEME.txt", "diagnostico.geojson", "diagnostico.gpkg", "marcas.geojson", &photo_name, &voice_name];
    expected.sort();
    assert_eq!(names, expected, "the hidden photo is not there");

    // The files as they were sent, and the exports as their own downloads.
    assert_eq!(entry(&mut zip, &photo_name), picture);
    assert_eq!(entry(&mut zip, &voice_name), voice_bytes);
    let download = |what: &'static str| {
        let request = staff.get(format!("{}/api/v1/barrios/{barrio}/diagnosticos/1/{what}", app.url));
        async move { request.send().await.expect("download").bytes().await.expect("bytes").to_vec() }
    };
    assert_eq!(entry(&mut zip, "diagnostico.gpkg"), download("diagnostico.gpkg").await);
    let hotspots: Value = serde_json::from_slice(&entry(&mut zip, "diagnostico.geojson")).expect("GeoJSON");
    let (hotspots, listed) = without_media(hotspots);
    assert_eq!(hotspots, serde_json::from_slice::<Value>(&download("hotspots.geojson").await).expect("json"));
    let park_hotspot =
        hotspots["features"].as_array().expect("features").iter().position(|f| f["properties"]["marcas_fuente"] == json!([park]));
    let mut of_park: Vec<String> = serde_json::from_value(listed[park_hotspot.expect("the park's hotspot")].clone()).expect("paths");
    of_park.sort();
    let mut both = vec![photo_name.clone(), voice_name.clone()];
    both.sort();
    assert_eq!(of_park, both);
    let marks: Value = serde_json::from_slice(&entry(&mut zip, "marcas.geojson")).expect("GeoJSON");
    let (marks, listed) = without_media(marks);
    assert_eq!(marks, serde_json::from_slice::<Value>(&download("marks.geojson").await).expect("json"));
    for (feature, paths) in marks["features"].as_array().expect("features").iter().zip(&listed) {
        for path in paths.as_array().expect("paths") {
            assert!(zip.by_name(path.as_str().expect("path")).is_ok(), "{path} is in the archive");
        }
        if feature["id"] == json!(lamp) {
            assert_eq!(paths, &json!([]), "the hidden photo is not listed");
        }
    }
    let leeme = String::from_utf8(entry(&mut zip, "LEEME.txt")).expect("UTF-8");
    assert!(leeme.contains("diagnostico.gpkg") && leeme.contains("1 foto(s) y 1 nota(s) de voz"), "{leeme}");

    // Staff's only.
    assert_eq!(reqwest::Client::new().get(format!("{}{path}", app.url)).send().await.expect("zip").status().as_u16(), 401);
    assert_eq!(rosa.client.get(format!("{}{path}", app.url)).send().await.expect("zip").status().as_u16(), 403);
    for who in ["facilita", "equipo_bq"] {
        let client = signed_in(&app.url, who).await;
        assert_eq!(client.get(format!("{}{path}", app.url)).send().await.expect("zip").status().as_u16(), 403, "{who}");
    }
    assert_eq!(
        staff.get(format!("{}/api/v1/barrios/{barrio}/diagnosticos/9/archivo.zip", app.url)).send().await.expect("zip").status().as_u16(),
        404
    );
}
