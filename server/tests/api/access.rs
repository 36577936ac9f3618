//! Who may call what: every route of the API tried as every kind of caller (no session, a
//! participant's device in workshop A and one in workshop B, the facilitator of barrio A and
//! the one of barrio B, staff, staff of another city, admin), each answer checked against the
//! table below. A route
//! added without a line here fails the test. Then the pieces of access that are not one
//! request: anti-forgery tokens, sign-in limits, sessions ending, device tokens and closed
//! workshops, participants' own marks, and the security headers of every response.

use std::collections::BTreeSet;

use app::model::sync::{change_json, PROTOCOL};
use app::model::{Hlc, Mark, Record, Workshop};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{centre_of, import_with, signed_in, spawn_app, TestApp, FACILITATOR_BARRIO, OTHER_CITY, OTHER_FACILITATOR_BARRIO, PASSWORD};
use crate::imports::barranquilla;
use crate::sync::workshop;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    ParticipantA,
    ParticipantB,
    FacilitatorA,
    FacilitatorB,
    Staff,
    /// Staff of Barranquilla: the test barrios are Santa Marta's.
    StaffElsewhere,
    Admin,
}
use Who::*;

const EVERYONE: &[Who] = &[Anonymous, ParticipantA, ParticipantB, FacilitatorA, FacilitatorB, Staff, StaffElsewhere, Admin];
/// Staff work on barrio A, a barrio of Santa Marta.
const STAFF: &[Who] = &[Staff, Admin];
/// Staff of any city (the list of barrios, which each sees of their own cities).
const ANY_STAFF: &[Who] = &[Staff, StaffElsewhere, Admin];
const ADMIN: &[Who] = &[Admin];
const ACCOUNTS: &[Who] = &[FacilitatorA, FacilitatorB, Staff, StaffElsewhere, Admin];
/// Those who work in barrio A.
const BARRIO_A: &[Who] = &[FacilitatorA, Staff, Admin];
/// Those who may read workshop A and send its batches.
const WORKSHOP_A: &[Who] = &[ParticipantA, FacilitatorA, Staff, Admin];

/// What the table tries: barrio A, its workshop A (and C, which gets closed), workshop B of
/// barrio B, a mark of workshop A and a diagnóstico of barrio A.
struct Fixture {
    barrio_a: i64,
    barrio_b: i64,
    centre_a: (f64, f64),
    workshop_a: Workshop,
    workshop_c: Workshop,
    mark: Uuid,
    user_b: i64,
    /// The open ciclo of barrio A, and a registro kept for it.
    ciclo: Uuid,
    registro: Uuid,
    acta: Uuid,
    /// A pending request to enter the route, of barrio A.
    inscripcion: Uuid,
    /// A photo of the mark, sent by the admin.
    media: Uuid,
    /// An import of indicator data of Santa Marta.
    importacion: Uuid,
    /// An oficio de convocatoria of Santa Marta.
    oficio: Uuid,
    /// A pacto of barrio A, drafted from its diagnóstico (not signed).
    pacto: Uuid,
    /// A ficha de intervención of barrio A, written by the admin.
    ficha: Uuid,
    /// A miniauditoría of barrio A (diagnóstico 1, nothing walked yet), written by the admin.
    miniauditoria: Uuid,
}

struct Caller {
    who: Who,
    client: reqwest::Client,
    /// A device's token and id (participants only).
    device: Option<(String, Uuid)>,
}

async fn join(app: &TestApp, code: &str) -> (String, Uuid) {
    let device = Uuid::new_v4();
    let res = reqwest::Client::new().post(format!("{}/api/v1/join/{code}", app.url)).json(&json!({ "device_id": device })).send().await.expect("join");
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.expect("json");
    (body["token"].as_str().expect("a token").to_string(), device)
}

fn batch(device: Uuid, workshop: &Workshop, records: &[Record]) -> Value {
    json!({
        "protocol": PROTOCOL, "submission_id": Uuid::new_v4(), "device_id": device, "workshop_id": workshop.id,
        "changes": records.iter().map(change_json).collect::<Vec<_>>(),
    })
}

fn point(barrio: i64, (lon, lat): (f64, f64), category: &str, device: Uuid, workshop: &Workshop) -> Record {
    let mark = Mark::new_point(Uuid::new_v4(), barrio, category, lon, lat, 1_764_000_000_000);
    Record::Mark(mark).stamped(Hlc::tick(None, 1_764_000_000_000, &device.simple().to_string()), Some(workshop.id))
}

/// A ficha de intervención of `barrio` placed in words only (the fixture's barrios have no
/// pacto signed).
fn ficha_json(id: Uuid, barrio: i64) -> Value {
    json!({
        "id": id, "barrio_id": barrio, "version": 1, "accion": "poda", "institucion": "essmar", "fecha": "2027-03-02",
        "lugar": { "descripcion": "La cancha" }, "updated_at_ms": 1_764_000_000_000_i64
    })
}

/// A miniauditoría of `barrio`'s diagnóstico 1 with nothing walked yet.
fn miniauditoria_json(id: Uuid, barrio: i64) -> Value {
    json!({
        "id": id, "barrio_id": barrio, "version": 1, "diagnostico": 1, "fecha": "2027-05-04", "updated_at_ms": 1_764_000_000_000_i64
    })
}

async fn fixture(app: &TestApp) -> Fixture {
    let barrio_a = app.barrio_id(FACILITATOR_BARRIO).await;
    let barrio_b = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    let centre_a = centre_of(app, barrio_a).await;
    let workshop_a = workshop(app, barrio_a, "2099-12-01").await;
    let workshop_c = workshop(app, barrio_a, "2099-12-02").await;
    let _ = workshop(app, barrio_b, "2099-12-01").await;
    let device = Uuid::new_v4();
    let record = point(barrio_a, centre_a, "hurto_personas", device, &workshop_a);
    let (status, body) = app.post("/sync", Some("application/json"), batch(device, &workshop_a, &[record.clone()]).to_string()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.post(&format!("/barrios/{barrio_a}/diagnosticos"), Some("application/json"), "{}").await;
    assert_eq!(status, 201, "{body}");
    let (_, users) = app.get_json("/admin/users").await;
    let user_b = users.as_array().and_then(|u| u.iter().find(|u| u["username"] == "facilita2")).and_then(|u| u["id"].as_i64()).expect("facilita2");
    let (status, ciclo) = app.post(&format!("/barrios/{barrio_a}/ciclos"), None, "").await;
    assert_eq!(status, 201, "{ciclo}");
    let ciclo: Uuid = ciclo["id"].as_str().and_then(|id| id.parse().ok()).expect("ciclo id");
    let path = format!("/ciclos/{ciclo}/registros?paso=1&tipo=informe&fecha=2026-12-01");
    let (status, registro) = app.post(&path, Some("application/pdf"), crate::ruta::PDF.to_vec()).await;
    assert_eq!(status, 201, "{registro}");
    let registro = registro["id"].as_str().and_then(|id| id.parse().ok()).expect("registro id");
    let acta = Uuid::new_v4();
    let (status, body) = app.post("/actas", Some("application/json"), crate::actas::acta_json(acta, barrio_a, 1).to_string()).await;
    assert_eq!(status, 201, "{body}");
    let ficha = Uuid::new_v4();
    let (status, body) = app.post("/intervenciones", Some("application/json"), ficha_json(ficha, barrio_a).to_string()).await;
    assert_eq!(status, 201, "{body}");
    let miniauditoria = Uuid::new_v4();
    let (status, body) = app.post("/miniauditorias", Some("application/json"), miniauditoria_json(miniauditoria, barrio_a).to_string()).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = crate::inscripciones::send(app, &crate::inscripciones::request(barrio_a)).await;
    assert_eq!(status, 202, "{body}");
    let (_, list) = app.get_json("/inscripciones").await;
    let inscripcion = list[0]["id"].as_str().and_then(|id| id.parse().ok()).expect("inscripción id");
    let media = crate::media::kept_photo(app, &app.client, record.id()).await;
    let importacion = crate::indicadores::population_import(app).await;
    let (status, oficio) = app.post("/oficios", Some("application/json"), oficio_json().to_string()).await;
    assert_eq!(status, 201, "{oficio}");
    let oficio = oficio["id"].as_str().and_then(|id| id.parse().ok()).expect("oficio id");
    let nuevo = json!({ "diagnostico": 1 }).to_string();
    let (status, pacto) = app.post(&format!("/barrios/{barrio_a}/pactos"), Some("application/json"), nuevo).await;
    assert_eq!(status, 201, "{pacto}");
    let pacto = pacto["id"].as_str().and_then(|id| id.parse().ok()).expect("pacto id");
    Fixture {
        barrio_a,
        barrio_b,
        centre_a,
        workshop_a,
        workshop_c,
        mark: record.id(),
        user_b,
        ciclo,
        registro,
        acta,
        inscripcion,
        media,
        importacion,
        oficio,
        pacto,
        ficha,
        miniauditoria,
    }
}

/// An oficio de convocatoria of Santa Marta.
fn oficio_json() -> Value {
    json!({
        "municipio": "47001", "periodo": "2026-C3", "fecha": "2026-12-01", "reunion_fecha": "2026-12-10", "reunion_hora": "09:00",
        "lugar": "Alcaldía", "instituciones": ["Personería Distrital"], "agenda": "Balance", "firmante": "Marta", "cargo": "Secretaria",
    })
}

async fn callers(app: &TestApp, f: &Fixture) -> Vec<Caller> {
    let (_, list) = app.get_json(&format!("/workshops?barrio_id={}", f.barrio_b)).await;
    let code_b = list[0]["join_code"].as_str().expect("workshop B").to_string();
    let mut out = Vec::new();
    for who in EVERYONE {
        let (client, device) = match who {
            Anonymous => (reqwest::Client::new(), None),
            ParticipantA | ParticipantB => {
                let (token, device) = join(app, if *who == ParticipantA { &f.workshop_a.join_code } else { &code_b }).await;
                let mut headers = reqwest::header::HeaderMap::new();
                headers.insert("authorization", format!("Bearer {token}").parse().expect("header"));
                (reqwest::Client::builder().default_headers(headers).build().expect("client"), Some((token, device)))
            }
            FacilitatorA => (signed_in(&app.url, "facilita").await, None),
            FacilitatorB => (signed_in(&app.url, "facilita2").await, None),
            Staff => (signed_in(&app.url, "equipo").await, None),
            StaffElsewhere => (signed_in(&app.url, "equipo_bq").await, None),
            Admin => (signed_in(&app.url, "admin").await, None),
        };
        out.push(Caller { who: *who, client, device });
    }
    out
}

/// The request the table makes of a route, as `caller`: the path with its parameters filled
/// in and a body that would succeed for whoever may make it.
fn request(method: &str, path: &str, f: &Fixture, caller: &Caller) -> (String, Option<Value>) {
    let b = f.barrio_a;
    let concrete = path
        .replace("/barrios/{id}", &format!("/barrios/{b}"))
        .replace("/workshops/{id}/close", &format!("/workshops/{}/close", f.workshop_c.id))
        .replace("/workshops/{id}/settings", &format!("/workshops/{}/settings", f.workshop_c.id))
        .replace("/workshops/{id}", &format!("/workshops/{}", f.workshop_a.id))
        .replace("/records/{kind}/{id}", &format!("/records/mark/{}", f.mark))
        .replace("/marks/{id}", &format!("/marks/{}", f.mark))
        .replace("/admin/users/{id}", &format!("/admin/users/{}", f.user_b))
        .replace("/ciclos/{id}", &format!("/ciclos/{}", f.ciclo))
        .replace("/registros/{id}", &format!("/registros/{}", f.registro))
        .replace("/actas/{id}", &format!("/actas/{}", f.acta))
        .replace("/intervenciones/{id}", &format!("/intervenciones/{}", f.ficha))
        .replace("/miniauditorias/{id}", &format!("/miniauditorias/{}", f.miniauditoria))
        .replace("/inscripciones/{id}", &format!("/inscripciones/{}", f.inscripcion))
        .replace("/media/{id}", &format!("/media/{}", f.media))
        .replace("/indicadores/importaciones/{id}", &format!("/indicadores/importaciones/{}", f.importacion))
        .replace("/oficios/{id}", &format!("/oficios/{}", f.oficio))
        .replace("/pactos/{id}", &format!("/pactos/{}", f.pacto))
        .replace("{cid}", &Uuid::nil().to_string())
        .replace("{codigo}", "essmar")
        .replace("{n}", "0")
        .replace("{number}", "1")
        .replace("{other}", "1")
        .replace("{seq}", "1")
        .replace("{code}", &f.workshop_a.join_code);
    let concrete = if concrete == "/workshops" && method == "get" { format!("/workshops?barrio_id={b}") } else { concrete };
    let device = caller.device.as_ref().map_or_else(Uuid::new_v4, |(_, d)| *d);
    let body = match (method, path) {
        ("get", _) => None,
        (_, "/auth/login") => Some(json!({ "username": "equipo", "password": PASSWORD })),
        (_, "/auth/password") => Some(json!({ "current": PASSWORD, "new": PASSWORD })),
        (_, "/admin/users") => Some(json!({
            "username": format!("nueva{}", caller.who as u8), "display_name": "Nueva", "role": "staff", "password": PASSWORD
        })),
        (_, "/admin/users/{id}") => Some(json!({ "username": "facilita2", "display_name": "Cuenta facilita2", "role": "facilitator", "barrios": [f.barrio_b] })),
        (_, "/admin/import") => Some(json!({ "options": { "dry_run": true } })),
        (_, "/marks") => {
            let mark = Mark::new_point(Uuid::new_v4(), b, "hurto_personas", f.centre_a.0, f.centre_a.1, 1_764_000_000_000);
            Some(serde_json::to_value(mark.to_feature()).expect("json"))
        }
        (_, "/causes") => Some(json!({
            "id": Uuid::new_v4(), "barrio_id": b, "category": "falta_iluminacion", "text": "", "problem_ids": [f.mark],
            "alias": "", "created_at_ms": 1_764_000_000_000_i64, "version": 1, "updated_at_ms": 0, "deleted": false
        })),
        (_, "/solutions") => Some(json!({
            "id": Uuid::new_v4(), "barrio_id": b, "text": "Pedir luminarias", "institution": "essmar", "cause_ids": [Uuid::new_v4()],
            "alias": "", "created_at_ms": 1_764_000_000_000_i64, "version": 1, "updated_at_ms": 0, "deleted": false
        })),
        (_, "/sync") => Some(batch(device, &f.workshop_a, &[point(b, f.centre_a, "hurto_personas", device, &f.workshop_a)])),
        (_, "/workshops") => Some(json!({ "barrio_id": b, "date": "2099-12-03", "place": "", "cbsc": "CBSC", "facilitator": "Ana" })),
        (_, "/workshops/{id}/devices") | (_, "/join/{code}") => Some(json!({ "device_id": device })),
        (_, "/workshops/{id}/settings") => Some(json!({ "share_sensitive": false })),
        (_, "/marks/{id}/reviews") => Some(json!({ "action": "restore" })),
        (_, "/barrios/{id}/diagnosticos") => Some(json!({})),
        (_, "/barrios/{id}/publications" | "/barrios/{id}/publications/preview") => Some(json!({ "diagnostico": 1 })),
        (_, "/actas") => Some(crate::actas::acta_json(Uuid::new_v4(), b, 1)),
        (_, "/intervenciones") => Some(ficha_json(Uuid::new_v4(), b)),
        (_, "/miniauditorias") => Some(miniauditoria_json(Uuid::new_v4(), b)),
        (_, "/inscripciones") => Some(crate::inscripciones::request(b)),
        (_, "/inscripciones/{id}/decision") => Some(json!({ "veredicto": "rechazada", "reason": "Prueba de acceso" })),
        (_, "/barrios/{id}/cbsc") => Some(json!({ "fecha_conformacion": "2026-01-10", "miembros": 5, "estado": "activo" })),
        (_, "/media") => Some(crate::media::offer(Uuid::new_v4(), ("mark", f.mark), "photo", "image/jpeg", b"a photo")),
        (_, "/balance/priorizaciones") => Some(json!({
            "municipio": "47001", "periodo": "2026-C3", "version": 1, "elegidos": [{ "barrio_id": b, "motivo": "Prueba de acceso" }]
        })),
        (_, "/oficios") => Some(oficio_json()),
        (_, "/barrios/{id}/pactos") => Some(json!({ "diagnostico": 1 })),
        _ => Some(json!({})),
    };
    (concrete, body)
}

/// Who may call each route. Refused callers get 401 without a session or token, 403 with one.
fn allowed(method: &str, path: &str) -> Option<&'static [Who]> {
    Some(match (method, path) {
        ("get", "/openapi.json" | "/barrios" | "/packs" | "/barrios/{id}" | "/barrios/{id}/pack" | "/auth/session") => EVERYONE,
        ("post", "/auth/login" | "/join/{code}") => EVERYONE,
        ("post", "/auth/logout" | "/auth/password") => ACCOUNTS,
        ("get" | "post", "/admin/users") | ("post", "/admin/users/{id}" | "/admin/import") | ("get", "/admin/audit") => ADMIN,
        ("get", "/barrios/{id}/marks" | "/barrios/{id}/tree") => BARRIO_A,
        ("post", "/marks" | "/causes" | "/solutions") => BARRIO_A,
        ("get", "/records/{kind}/{id}/versions") => STAFF,
        ("get" | "post", "/workshops") => BARRIO_A,
        ("post", "/workshops/{id}/devices" | "/workshops/{id}/close" | "/workshops/{id}/settings") => BARRIO_A,
        ("get", "/workshops/{id}" | "/workshops/{id}/changes") => WORKSHOP_A,
        // How many devices and people are in the room is the facilitator's to see, not theirs.
        ("get", "/workshops/{id}/room") => BARRIO_A,
        ("post", "/sync") => WORKSHOP_A,
        (_, p) if p.starts_with("/barrios/{id}/diagnosticos") || p.starts_with("/barrios/{id}/adjustments") => STAFF,
        ("get", "/barrios/{id}/remapeo") => STAFF,
        ("get", "/diagnosticos/status") => ANY_STAFF,
        (_, "/marks/{id}/reviews" | "/barrios/{id}/reviews" | "/barrios/{id}/notes") => STAFF,
        (_, p) if p.starts_with("/barrios/{id}/publications") => STAFF,
        // Where each barrio stands: accounts, each seeing the barrios they work in.
        ("get", "/ruta" | "/ruta/mapa") => ACCOUNTS,
        ("get", "/barrios/{id}/ruta") => BARRIO_A,
        ("post", "/barrios/{id}/ciclos" | "/ciclos/{id}/cambios" | "/ciclos/{id}/cierre" | "/ciclos/{id}/registros") => STAFF,
        ("get", "/registros/{id}/archivo") | ("post", "/registros/{id}/retiro") => STAFF,
        // Facilitators write the actas of their barrios' meetings; staff any.
        ("post", "/actas") | ("get", "/actas/{id}" | "/barrios/{id}/actas") => BARRIO_A,
        // Paso 5: the fichas de intervención, like the actas.
        ("post", "/intervenciones") | ("get", "/intervenciones/{id}" | "/barrios/{id}/intervenciones" | "/barrios/{id}/intervenciones/contexto") => BARRIO_A,
        // Paso 6: the miniauditorías, like the fichas; their informe too.
        ("post", "/miniauditorias")
        | ("get", "/miniauditorias/{id}" | "/miniauditorias/{id}/informe" | "/barrios/{id}/miniauditorias" | "/barrios/{id}/miniauditorias/contexto") => {
            BARRIO_A
        }
        // Any community may ask to enter the route; staff of the barrio's city answer.
        ("post", "/inscripciones") => EVERYONE,
        ("get", "/inscripciones") => ANY_STAFF,
        ("post", "/inscripciones/{id}/decision") => STAFF,
        // The committee: those who work in the barrio read it (names for staff only).
        ("get", "/barrios/{id}/cbsc") => BARRIO_A,
        ("post", "/barrios/{id}/cbsc") => STAFF,
        // Photos and voice notes: those who may attach to the mark offer; only the sender sends
        // or resumes; the workshop sees (participants: photos of marks that are not sensitive);
        // the sender or staff hide; the barrio's archive, and deciding on a file, are staff's.
        ("post", "/media") => BARRIO_A,
        ("put", "/media/{id}/chunks/{n}") | ("get", "/media/{id}/upload") => ADMIN,
        ("get", "/media/{id}" | "/media/{id}/thumb" | "/workshops/{id}/media") => WORKSHOP_A,
        ("delete", "/media/{id}") | ("get", "/barrios/{id}/media") | ("put", "/media/{id}/decision") => STAFF,
        // The balance's data: staff read the catalogue and their cities' imports (staff of
        // another city read theirs, none here); admins edit and import.
        ("get", "/indicadores" | "/indicadores/importaciones") => ANY_STAFF,
        ("get", "/indicadores/importaciones/{id}") => STAFF,
        ("put", "/indicadores/{code}") | ("post", "/indicadores/importaciones") => ADMIN,
        // The balance: staff of any city read their cities' (here none has data: 404); admins
        // define the index; staff of Santa Marta decide and write for Santa Marta.
        ("get", "/iscb/definiciones" | "/balance" | "/balance.csv" | "/balance/priorizaciones" | "/oficios") => ANY_STAFF,
        ("post", "/iscb/definiciones") => ADMIN,
        ("post", "/balance/priorizaciones" | "/oficios") | ("get", "/oficios/{id}") => STAFF,
        // Paso 4: every account reads the catalogue of institutions, admins edit it; staff follow
        // an institution's compromisos (of their cities' barrios: staff of another city get none
        // here); those who work in the barrio read its pactos, its city's staff write them.
        ("get", "/instituciones") => ACCOUNTS,
        ("put", "/instituciones/{codigo}") => ADMIN,
        ("get", "/instituciones/{codigo}/compromisos" | "/instituciones/{codigo}/compromisos.csv") => ANY_STAFF,
        ("get", "/barrios/{id}/pactos" | "/pactos/{id}") => BARRIO_A,
        ("post", "/barrios/{id}/pactos") | ("put", "/pactos/{id}") => STAFF,
        ("post", p) if p.starts_with("/pactos/{id}/") => STAFF,
        // Paso 7: staff of any city follow their cities' compromisos and record their
        // committees (a committee naming another city's compromiso is refused, not forbidden).
        ("get", "/seguimiento" | "/comites/{id}") | ("post", "/comites") => ANY_STAFF,
        // What staff published is for everyone, with no session at all.
        ("get", p) if p.starts_with("/public/") => EVERYONE,
        _ => return None,
    })
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_access_table_says() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let callers = callers(&app, &f).await;
    let routes = server::http::api_route_table();
    let missing: Vec<_> = routes.iter().filter(|(m, p)| allowed(m, p).is_none()).collect();
    assert!(missing.is_empty(), "routes without a line in the access table: {missing:?}");
    // Signing out and changing the password end sessions: they go last.
    let (mut last, first): (Vec<_>, Vec<_>) = routes.iter().partition(|(_, p)| *p == "/auth/logout" || *p == "/auth/password");
    last.sort_by_key(|(_, p)| *p == "/auth/logout");
    let mut seen = BTreeSet::new();
    let mut wrong = Vec::new();
    for (method, path) in first.into_iter().chain(last) {
        let may = allowed(method, path).unwrap_or_default();
        for caller in &callers {
            let (concrete, body) = request(method, path, &f, caller);
            let url = format!("{}/api/v1{concrete}", app.url);
            let req = match (method, body) {
                ("put", _) => caller.client.put(&url).header("content-type", "application/octet-stream").body("x"),
                ("delete", _) => caller.client.delete(&url),
                (_, None) => caller.client.get(&url),
                (_, Some(b)) => caller.client.post(&url).json(&b),
            };
            let res = req.send().await.expect("request");
            let status = res.status().as_u16();
            let text = res.text().await.unwrap_or_default();
            let ok = if may.contains(&caller.who) {
                status < 400 || (status != 401 && status != 403)
            } else if caller.who == Anonymous {
                status == 401
            } else {
                status == 403
            };
            if !ok {
                wrong.push(format!("{method} {path} as {:?}: {status} {}", caller.who, &text[..text.len().min(200)]));
            }
            seen.insert((method.to_string(), path.to_string()));
        }
    }
    assert!(wrong.is_empty(), "answers against the table:\n{}", wrong.join("\n"));
    assert_eq!(seen.len(), routes.len());
}

#[tokio::test]
async fn a_cookie_write_needs_its_token_and_this_sites_origin() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", app.url))
        .json(&json!({ "username": "equipo", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    let set_cookie = res.headers()["set-cookie"].to_str().expect("cookie").to_string();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    let cookie = set_cookie.split(';').next().expect("pair").to_string();
    let csrf = res.json::<Value>().await.expect("json")["csrf_token"].as_str().expect("csrf").to_string();
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let url = format!("{}/api/v1/barrios/{barrio}/diagnosticos", app.url);
    let client = reqwest::Client::new();
    // Reading needs only the cookie; writing also the token, and from this site.
    let read = client.get(&url).header("cookie", &cookie).send().await.expect("read");
    assert_eq!(read.status().as_u16(), 200);
    assert_eq!(read.headers()["cache-control"], "private, no-store", "an account's answers are kept by no cache");
    for (token, origin) in [(None, None), (Some("mal"), None), (Some(csrf.as_str()), Some("https://otro-sitio.example"))] {
        let mut req = client.post(&url).header("cookie", &cookie).json(&json!({}));
        if let Some(t) = token {
            req = req.header("x-csrf-token", t);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let res = req.send().await.expect("write");
        assert_eq!(res.status().as_u16(), 403, "{token:?} {origin:?}");
        assert_eq!(res.json::<Value>().await.expect("json")["error"]["code"], "csrf");
    }
    let host = app.url.trim_start_matches("http://").to_string();
    let res = client.post(&url).header("cookie", &cookie).header("x-csrf-token", &csrf).header("origin", format!("http://{host}")).json(&json!({})).send().await.expect("write");
    assert_eq!(res.status().as_u16(), 201);
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/diagnosticos")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "only the write with its token was made");

    // Signed out, the cookie is worth nothing.
    let out = client.post(format!("{}/api/v1/auth/logout", app.url)).header("cookie", &cookie).header("x-csrf-token", &csrf).send().await.expect("logout");
    assert_eq!(out.status().as_u16(), 204);
    assert!(out.headers()["set-cookie"].to_str().unwrap_or("").contains("Max-Age=0"));
    assert_eq!(client.get(&url).header("cookie", &cookie).send().await.expect("read").status().as_u16(), 401);
}

#[tokio::test]
async fn sign_ins_are_limited_and_logged_and_passwords_change() {
    let app = spawn_app().await;
    let login = |username: &'static str, password: String| {
        let url = format!("{}/api/v1/auth/login", app.url);
        async move {
            let res = reqwest::Client::new().post(url).json(&json!({ "username": username, "password": password })).send().await.expect("login");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or_default())
        }
    };
    let (status, body) = login("equipo", "no es esta".into()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("bad_credentials")));
    let (status, unknown) = login("nadie", "no es esta".into()).await;
    assert_eq!(status, 401);
    assert_eq!(unknown["error"]["message"], body["error"]["message"], "an unknown user is answered alike");
    for _ in 0..4 {
        assert_eq!(login("equipo", "no es esta".into()).await.0, 401);
    }
    // Five failures on the account: the next attempt, even with the right password, waits a
    // moment (the account slows down)…
    let (status, body) = login("equipo", PASSWORD.into()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (429, Some("too_many_attempts")), "{body}");
    // …but its owner is not locked out: after the wait the right password signs in.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(login("equipo", PASSWORD.into()).await.0, 200);

    let (_, log) = app.get_json("/admin/audit").await;
    let actions: Vec<_> = log.as_array().expect("log").iter().map(|e| (e["action"].as_str().unwrap_or(""), e["target"].as_str().unwrap_or(""))).collect();
    assert!(actions.contains(&("login_failed", "equipo")) && actions.contains(&("login", "admin")), "{actions:?}");
    assert!(!log.to_string().contains("no es esta"), "passwords never reach the log");

    // The admin's own password, changed: the old one no longer signs in elsewhere.
    let change = json!({ "current": PASSWORD, "new": "otra clave bien larga" });
    let (status, body) = app.post("/auth/password", Some("application/json"), change.to_string()).await;
    assert_eq!(status, 204, "{body}");
    let (status, _) = app.post("/auth/password", Some("application/json"), json!({ "current": "x", "new": "corta" }).to_string()).await;
    assert_eq!(status, 422, "too short, before the current one is even checked");
    let stored: String = rusqlite::Connection::open(&app.db_path)
        .expect("db")
        .query_row("SELECT password_hash FROM users WHERE username = 'admin'", [], |r| r.get(0))
        .expect("hash");
    assert!(stored.starts_with("$argon2id$") && !stored.contains("otra clave"), "{stored}");
}

#[tokio::test]
async fn admins_manage_accounts_and_a_disabled_one_is_signed_out() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let draft = json!({ "username": " Rosa.Mejia ", "display_name": "Rosa Mejía", "role": "facilitator", "barrios": [barrio], "password": PASSWORD });
    let (status, rosa) = app.post("/admin/users", Some("application/json"), draft.to_string()).await;
    assert_eq!(status, 201, "{rosa}");
    assert_eq!((rosa["username"].as_str(), rosa["barrios"].clone()), (Some("rosa.mejia"), json!([barrio])));
    for (body, status, code) in [
        (json!({ "username": "rosa.mejia", "display_name": "Otra", "role": "staff", "password": PASSWORD }), 409, "username_taken"),
        (json!({ "username": "x", "display_name": "X", "role": "staff", "password": PASSWORD }), 422, "invalid_username"),
        (json!({ "username": "luis", "display_name": "Luis", "role": "staff", "password": "corta" }), 422, "weak_password"),
        (json!({ "username": "luis", "display_name": "Luis", "role": "facilitator", "password": PASSWORD }), 422, "no_barrios"),
        (json!({ "username": "luis", "display_name": "Luis", "role": "participant", "password": PASSWORD }), 400, "malformed"),
    ] {
        let (got, answer) = app.post("/admin/users", Some("application/json"), body.to_string()).await;
        assert_eq!((got, answer["error"]["code"].as_str()), (status, Some(code)), "{body}");
    }
    let as_rosa = signed_in(&app.url, "rosa.mejia").await;
    let url = format!("{}/api/v1/workshops?barrio_id={barrio}", app.url);
    assert_eq!(as_rosa.get(&url).send().await.expect("list").status().as_u16(), 200);
    let off = json!({ "username": "rosa.mejia", "display_name": "Rosa Mejía", "role": "facilitator", "barrios": [barrio], "disabled": true });
    let (status, _) = app.post(&format!("/admin/users/{}", rosa["id"]), Some("application/json"), off.to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(as_rosa.get(&url).send().await.expect("list").status().as_u16(), 401, "signed out at once");
    let res = reqwest::Client::new().post(format!("{}/api/v1/auth/login", app.url)).json(&json!({ "username": "rosa.mejia", "password": PASSWORD })).send().await.expect("login");
    assert_eq!(res.status().as_u16(), 401);
    let (_, log) = app.get_json("/admin/audit").await;
    let updates = log.as_array().expect("log").iter().filter(|e| e["action"] == "user_update" && e["target"] == "rosa.mejia").count();
    assert_eq!(updates, 1);
    // An admin cannot take away their own role.
    let (_, me) = app.get_json("/auth/session").await;
    let demote = json!({ "username": "admin", "display_name": "Admin", "role": "staff" });
    assert_eq!(app.post(&format!("/admin/users/{}", me["user"]["id"]), Some("application/json"), demote.to_string()).await.0, 403);
}

#[tokio::test]
async fn a_participants_device_changes_only_its_own_marks_and_sees_others_sensitive_ones_only_if_shared() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let (token_a, device_a) = join(&app, &w.join_code).await;
    let (token_b, device_b) = join(&app, &w.join_code).await;
    let send = |token: &str, body: Value| {
        let req = reqwest::Client::new().post(format!("{}/api/v1/sync", app.url)).bearer_auth(token).json(&body);
        async move {
            let res = req.send().await.expect("sync");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or_default())
        }
    };
    let sensitive = app::model::CATEGORIES.iter().find(|c| c.sensitive).expect("sensitive").code;
    let mine = point(barrio, centre, sensitive, device_a, &w);
    let plain = point(barrio, centre, "hurto_personas", device_a, &w);
    let (status, reply) = send(&token_a, batch(device_a, &w, &[mine.clone(), plain.clone()])).await;
    assert_eq!(status, 200, "{reply}");
    assert!(reply["results"].as_array().expect("results").iter().all(|r| r["status"] == "created"), "{reply}");

    // B's device may not change A's mark, nor send under A's device id.
    let Record::Mark(m) = &mine else { unreachable!() };
    let edited = Record::Mark(Mark { description: "cambiada".into(), version: 2, updated_at_ms: m.created_at_ms + 1, ..m.clone() })
        .stamped(Hlc::tick(None, 1_764_000_000_100, &device_b.simple().to_string()), Some(w.id));
    let (status, reply) = send(&token_b, batch(device_b, &w, &[edited])).await;
    assert_eq!((status, reply["results"][0]["error"]["code"].as_str()), (200, Some("not_yours")), "{reply}");
    assert_eq!(send(&token_b, batch(device_a, &w, &[point(barrio, centre, "hurto_personas", device_a, &w)])).await.0, 403);

    // Pulling, B gets A's plain mark but not the sensitive one; A gets both.
    let pulled = |token: String| {
        let req = reqwest::Client::new().get(format!("{}/api/v1/workshops/{}/changes", app.url, w.id)).bearer_auth(token);
        async move {
            let page: Value = req.send().await.expect("pull").json().await.expect("json");
            page["changes"].as_array().expect("changes").iter().map(|c| c["record"]["id"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(pulled(token_b.clone()).await, vec![plain.id().to_string()]);
    assert_eq!(pulled(token_a.clone()).await, vec![mine.id().to_string(), plain.id().to_string()]);
    let (status, _) = app.post(&format!("/workshops/{}/settings", w.id), Some("application/json"), json!({ "share_sensitive": true }).to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(pulled(token_b.clone()).await.len(), 2, "the facilitator shared them");

    // Closed, the workshop takes nothing more from its devices, and its code no longer joins.
    let (status, closed) = app.post(&format!("/workshops/{}/close", w.id), Some("application/json"), String::new()).await;
    assert_eq!(status, 200, "{closed}");
    let (status, reply) = send(&token_a, batch(device_a, &w, &[point(barrio, centre, "hurto_personas", device_a, &w)])).await;
    assert_eq!((status, reply["error"]["code"].as_str()), (403, Some("workshop_closed")));
    let res = reqwest::Client::new().post(format!("{}/api/v1/join/{}", app.url, w.join_code)).json(&json!({ "device_id": Uuid::new_v4() })).send().await.expect("join");
    assert_eq!(res.status().as_u16(), 410);
    assert_eq!(send("no-es-un-token", batch(device_a, &w, &[])).await.0, 401);
}

/// A workshop's tokens are worth only what the account that prepared it is worth: taking the
/// barrio from the facilitator, or disabling the account, stops its tablet and its
/// participants' devices at once.
#[tokio::test]
async fn a_workshops_device_tokens_end_with_its_facilitators_rights() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let other = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    let centre = centre_of(&app, barrio).await;
    let facilitator = signed_in(&app.url, "facilita").await;
    let draft = json!({"barrio_id": barrio, "date": "2099-12-01", "place": "Salón comunal", "cbsc": "CBSC", "facilitator": "Ana"});
    let res = facilitator.post(format!("{}/api/v1/workshops", app.url)).json(&draft).send().await.expect("prepare");
    assert_eq!(res.status().as_u16(), 201);
    let w: Workshop = res.json().await.expect("workshop");
    let tablet = Uuid::new_v4();
    let res = facilitator.post(format!("{}/api/v1/workshops/{}/devices", app.url, w.id)).json(&json!({ "device_id": tablet })).send().await.expect("tablet");
    assert_eq!(res.status().as_u16(), 201);
    let tablet_token = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
    let (phone_token, phone) = join(&app, &w.join_code).await;
    let devices = [(tablet_token, tablet), (phone_token, phone)];
    let sync = |token: String, device: Uuid| {
        let body = batch(device, &w, &[point(barrio, centre, "hurto_personas", device, &w)]);
        let req = reqwest::Client::new().post(format!("{}/api/v1/sync", app.url)).bearer_auth(token).json(&body);
        async move {
            let res = req.send().await.expect("sync");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or_default()["error"]["code"].as_str().unwrap_or_default().to_string())
        }
    };
    let pull = |token: String| {
        let req = reqwest::Client::new().get(format!("{}/api/v1/workshops/{}/changes", app.url, w.id)).bearer_auth(token);
        async move { req.send().await.expect("pull").status().as_u16() }
    };
    let (_, users) = app.get_json("/admin/users").await;
    let id = users.as_array().and_then(|u| u.iter().find(|u| u["username"] == "facilita")).and_then(|u| u["id"].as_i64()).expect("facilita");
    let app = &app;
    let set = |barrios: Vec<i64>, disabled: bool| {
        let body = json!({ "username": "facilita", "display_name": "Cuenta facilita", "role": "facilitator", "barrios": barrios, "disabled": disabled });
        async move { assert_eq!(app.post(&format!("/admin/users/{id}"), Some("application/json"), body.to_string()).await.0, 200) }
    };
    for (token, device) in &devices {
        assert_eq!(sync(token.clone(), *device).await.0, 200);
        assert_eq!(pull(token.clone()).await, 200);
    }
    // The barrio is taken from the facilitator: neither device syncs or pulls.
    set(vec![other], false).await;
    for (token, device) in &devices {
        assert_eq!(sync(token.clone(), *device).await, (403, "workshop_access_revoked".to_string()));
        assert_eq!(pull(token.clone()).await, 403);
    }
    // Given back, the tokens work again; the account disabled, they stop again.
    set(vec![barrio], false).await;
    for (token, device) in &devices {
        assert_eq!(sync(token.clone(), *device).await.0, 200);
    }
    set(vec![barrio], true).await;
    for (token, device) in &devices {
        assert_eq!(sync(token.clone(), *device).await, (403, "workshop_access_revoked".to_string()));
        assert_eq!(pull(token.clone()).await, 403);
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_pages_a_policy_with_their_nonce() {
    let app = spawn_app().await;
    for path in ["/", "/api/v1/barrios", "/api/v1/barrios/1/marks", "/manifest.webmanifest", "/no-such-page", "/healthz", "/sw.js"] {
        let res = reqwest::get(format!("{}{path}", app.url)).await.expect("request");
        let h = res.headers().clone();
        for (name, value) in [("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer"), ("x-frame-options", "DENY")] {
            assert_eq!(h.get(name).and_then(|v| v.to_str().ok()), Some(value), "{path}: {name}");
        }
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{path}: {csp}");
        let html = res.text().await.unwrap_or_default();
        if path == "/" {
            // Every inline script of the page carries the nonce the policy names.
            let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the page's policy");
            let inline: Vec<&str> =
                html.split("<script").skip(1).map(|rest| rest.split('>').next().unwrap_or("")).filter(|tag| !tag.contains("src=")).collect();
            assert!(!inline.is_empty(), "the page hydrates with an inline module script");
            for tag in inline {
                assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "<script{tag}> without the nonce {nonce}");
            }
        }
    }
    // A new page, a new nonce.
    let nonce = |res: reqwest::Response| res.headers()["content-security-policy"].to_str().unwrap_or("").to_string();
    assert_ne!(nonce(reqwest::get(format!("{}/", app.url)).await.expect("a")), nonce(reqwest::get(format!("{}/", app.url)).await.expect("b")));
}

/// Forty guesses fired at once: each is counted before its hash is checked, so a burst gets no
/// further than one guess at a time would.
#[tokio::test]
async fn a_burst_of_concurrent_guesses_meets_the_sign_in_limits_exactly() {
    use server::auth::limiter::{FREE_ACCOUNT_FAILURES, MAX_FAILURES};
    let app = spawn_app().await;
    let url = format!("{}/api/v1/auth/login", app.url);
    let burst = |tries: Vec<(String, &'static str)>| {
        let handles: Vec<_> = tries
            .into_iter()
            .map(|(username, password)| {
                let url = url.clone();
                tokio::spawn(async move {
                    let body = json!({ "username": username, "password": password });
                    reqwest::Client::new().post(url).json(&body).send().await.expect("login").status().as_u16()
                })
            })
            .collect();
        async move {
            let mut statuses = Vec::new();
            for h in handles {
                statuses.push(h.await.expect("task"));
            }
            statuses
        }
    };
    let count = |statuses: &[u16], status: u16| statuses.iter().filter(|s| **s == status).count();

    // One account, forty wrong passwords at once: only the account's free attempts are hashed.
    let statuses = burst(vec![("equipo".to_string(), "no es esta"); 40]).await;
    assert_eq!((count(&statuses, 401), count(&statuses, 429)), (FREE_ACCOUNT_FAILURES, 40 - FREE_ACCOUNT_FAILURES), "{statuses:?}");
    // A second burst with the right password at position 35 is made to wait like the rest.
    let mut second = vec![("equipo".to_string(), "no es esta"); 40];
    second[35].1 = PASSWORD;
    let statuses = burst(second).await;
    assert_eq!(statuses[35], 429, "{statuses:?}");
    assert_eq!(count(&statuses, 200), 0, "{statuses:?}");
    // (One of them may have been let through if the first burst took over a second.)
    let failed_so_far = FREE_ACCOUNT_FAILURES + count(&statuses, 401);

    // Forty different accounts from one address: the address's hard limit holds exactly.
    let others = (0..40).map(|i| (format!("nadie{i}"), "no es esta")).collect();
    let statuses = burst(others).await;
    assert_eq!(count(&statuses, 401), MAX_FAILURES - failed_so_far, "{statuses:?}");
    let statuses = burst(vec![("admin".to_string(), PASSWORD)]).await;
    assert_eq!(statuses, vec![429], "ten failures from this address: even another account's right password waits");
}

#[tokio::test]
async fn staff_of_one_city_see_and_work_on_its_barrios_only() {
    let app = spawn_app().await;
    let pescaito = app.barrio_id(FACILITATOR_BARRIO).await;
    let (status, report) = import_with(&app, &app.client, &json!({"barrios": barranquilla(), "options": {"municipio": OTHER_CITY}})).await;
    assert_eq!(status, 201, "{report}");
    let (_, all) = app.get_json("/barrios").await;
    let all = all.as_array().expect("barrios").clone();
    let of_city = |m: &str| all.iter().filter(|b| b["municipio"] == m).filter_map(|b| b["id"].as_i64()).collect::<BTreeSet<_>>();
    let listed = |list: &Value| list.as_array().expect("statuses").iter().filter_map(|s| s["barrio_id"].as_i64()).collect::<BTreeSet<_>>();
    let status_list = |client: reqwest::Client| {
        let url = format!("{}/api/v1/diagnosticos/status", app.url);
        async move { client.get(url).send().await.expect("status").json::<Value>().await.expect("json") }
    };

    // Staff of Barranquilla list its three barrios, and do staff work there; staff with no
    // cities set work in both.
    let bq = signed_in(&app.url, "equipo_bq").await;
    assert_eq!(listed(&status_list(bq.clone()).await), of_city(OTHER_CITY));
    let (_, session) = app.get_json("/auth/session").await;
    assert_eq!(session["user"]["municipios"], json!([]));
    let bq_session: Value = bq.get(format!("{}/api/v1/auth/session", app.url)).send().await.expect("session").json().await.expect("json");
    assert_eq!(bq_session["user"]["municipios"], json!([OTHER_CITY]));
    let prado_bq = *of_city(OTHER_CITY).first().expect("a Barranquilla barrio");
    let res = bq.post(format!("{}/api/v1/barrios/{prado_bq}/diagnosticos", app.url)).json(&json!({})).send().await.expect("generate");
    assert_eq!(res.status().as_u16(), 201);
    let equipo = signed_in(&app.url, "equipo").await;
    assert_eq!(listed(&status_list(equipo.clone()).await).len(), all.len());

    // An admin limits `equipo` to Santa Marta: its next request already sees only that city.
    let (_, users) = app.get_json("/admin/users").await;
    let id_of = |name: &str| users.as_array().and_then(|u| u.iter().find(|u| u["username"] == name)).and_then(|u| u["id"].as_i64()).expect("user");
    let samario = json!({ "username": "equipo", "display_name": "Cuenta equipo", "role": "staff", "municipios": ["47001"] });
    let (status, body) = app.post(&format!("/admin/users/{}", id_of("equipo")), Some("application/json"), samario.to_string()).await;
    assert_eq!((status, body["municipios"].clone()), (200, json!(["47001"])), "{body}");
    assert_eq!(listed(&status_list(equipo.clone()).await), of_city("47001"));
    let res = equipo.get(format!("{}/api/v1/barrios/{prado_bq}/diagnosticos", app.url)).send().await.expect("list");
    assert_eq!(res.status().as_u16(), 403, "another city's diagnósticos");
    let res = equipo.get(format!("{}/api/v1/barrios/{pescaito}/diagnosticos", app.url)).send().await.expect("list");
    assert_eq!(res.status().as_u16(), 200);

    // A facilitator's barrios lie in the account's cities, and a city is a DIVIPOLA code.
    for (municipios, code) in [(json!([OTHER_CITY]), "barrio_outside_cities"), (json!(["8001"]), "invalid_municipio")] {
        let draft = json!({ "username": "facilita2", "display_name": "F", "role": "facilitator", "barrios": [pescaito], "municipios": municipios });
        let (status, body) = app.post(&format!("/admin/users/{}", id_of("facilita2")), Some("application/json"), draft.to_string()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some(code)), "{body}");
    }
}
