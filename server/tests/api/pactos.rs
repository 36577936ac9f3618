//! Paso 4 through the API: the catalogue of institutions, a pacto drafted from a generated
//! diagnóstico, saved as revisions and signed with its scan uploaded as a registro, amended by
//! an otrosí, its compromisos followed up, each institution's page, and what is published.
//! Who may do what, and the database itself refusing to rewrite any of it.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{
    centre_of, import_with, signed_in, spawn_app, MarkBuilder, TestApp, FACILITATOR_BARRIO, OTHER_CITY, OTHER_FACILITATOR_BARRIO,
};
use crate::ruta::PDF;

const T: i64 = 1_764_000_000_000;
const JSON: Option<&str> = Some("application/json");
/// A deadline long past, and one far ahead.
pub(crate) const PAST: &str = "2020-01-31";
pub(crate) const FUTURE: &str = "2099-12-31";

pub(crate) fn db(app: &TestApp) -> rusqlite::Connection {
    rusqlite::Connection::open(&app.db_path).expect("open the database")
}

/// `method` on `path` (under `/api/v1`) as `client`, with a JSON body when one is given.
pub(crate) async fn call(app: &TestApp, client: &reqwest::Client, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let url = format!("{}/api/v1{path}", app.url);
    let request = match method {
        "get" => client.get(&url),
        "put" => client.put(&url),
        _ => client.post(&url),
    };
    let request = match body {
        Some(b) => request.json(b),
        None => request,
    };
    let res = request.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn post(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    app.post(path, JSON, body.to_string()).await
}

async fn put(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    call(app, &app.client, "put", path, Some(body)).await
}

pub(crate) fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

pub(crate) fn id(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_string()
}

/// Opens a ciclo of the barrio (admin) and returns its id.
async fn ciclo(app: &TestApp, barrio: i64) -> String {
    let (status, body) = app.post(&format!("/barrios/{barrio}/ciclos"), None, "").await;
    assert_eq!(status, 201, "{body}");
    id(&body)
}

/// Uploads a registro of paso 4 of `tipo` to the ciclo through the registros endpoint.
async fn registro(app: &TestApp, ciclo: &str, tipo: &str) -> String {
    let path = format!("/ciclos/{ciclo}/registros?paso=4&tipo={tipo}&fecha=2027-02-10&descripcion=Pacto%20firmado&nombre=pacto.pdf");
    let (status, body) = app.post(&path, Some("application/pdf"), PDF.to_vec()).await;
    assert_eq!(status, 201, "{body}");
    id(&body)
}

async fn generate(app: &TestApp, barrio: i64) {
    let (status, body) = app.post(&format!("/barrios/{barrio}/diagnosticos"), JSON, "{}").await;
    assert_eq!(status, 201, "{body}");
}

/// Pescaíto's diagnóstico 1: three thefts at one corner, two reports of drug sales (a
/// sensitive category) at another, a cause of the thefts and a solution for ESSMAR.
pub(crate) async fn diagnostico(app: &TestApp, barrio: i64) {
    let c = centre_of(app, barrio).await;
    let mut thefts = Vec::new();
    for n in 1..=5u32 {
        let (category, at) = if n <= 3 {
            ("hurto_personas", (c.0 + 0.00001 * f64::from(n), c.1))
        } else {
            ("expendio_sustancias", (c.0 + 0.003, c.1 + 0.00001 * f64::from(n)))
        };
        let mark_id = format!("01937f3a-1b2c-7d4e-8f50-{n:012}");
        let (status, body) = app.post_mark(MarkBuilder::new(barrio, at.0, at.1).id(&mark_id).category(category).body()).await;
        assert_eq!(status, 201, "{body}");
        if n <= 3 {
            thefts.push(mark_id);
        }
    }
    let cause = Uuid::new_v4();
    let (status, body) = post(
        app,
        "/causes",
        &json!({
            "id": cause, "barrio_id": barrio, "category": "falta_iluminacion", "text": "La esquina está oscura",
            "problem_ids": thefts, "alias": "", "created_at_ms": T, "version": 1, "updated_at_ms": 0, "deleted": false
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = post(
        app,
        "/solutions",
        &json!({
            "id": Uuid::new_v4(), "barrio_id": barrio, "text": "Poner luminarias en la esquina", "institution": "essmar",
            "cause_ids": [cause], "alias": "", "created_at_ms": T, "version": 1, "updated_at_ms": 0, "deleted": false
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    generate(app, barrio).await;
}

async fn nuevo(app: &TestApp, barrio: i64) -> Value {
    let (status, pacto) = post(app, &format!("/barrios/{barrio}/pactos"), &json!({ "diagnostico": 1 })).await;
    assert_eq!(status, 201, "{pacto}");
    pacto
}

pub(crate) fn compromiso(id: Uuid, responsable: &str, fecha: &str) -> Value {
    json!({
        "id": id, "responsable": responsable, "que": format!("Compromiso de {responsable}"), "lugar": "Parque central",
        "fecha_limite": fecha, "indicador": "Verificado en la visita de seguimiento"
    })
}

/// Saves `compromisos` as the pacto's next revision (on its latest one); the saved pacto.
async fn guardar(app: &TestApp, pacto: &Value, compromisos: Vec<Value>) -> Value {
    let mut contenido = pacto["contenido"].clone();
    contenido["compromisos"] = json!(compromisos);
    let (status, saved) =
        put(app, &format!("/pactos/{}", id(pacto)), &json!({ "revision": pacto["revision"], "contenido": contenido })).await;
    assert_eq!(status, 200, "{saved}");
    saved
}

async fn firmar(app: &TestApp, pacto: &Value, registro: &str) -> (u16, Value) {
    let body = json!({ "revision": pacto["revision"], "registro_id": registro, "fecha": "2027-02-10" });
    post(app, &format!("/pactos/{}/firma", id(pacto)), &body).await
}

/// A barrio's signed pacto (from a diagnóstico with no marks) with `compromisos`.
pub(crate) async fn firmado(app: &TestApp, barrio: i64, compromisos: Vec<Value>) -> Value {
    generate(app, barrio).await;
    let ciclo = ciclo(app, barrio).await;
    let registro = registro(app, &ciclo, "pacto_firmado").await;
    let pacto = guardar(app, &nuevo(app, barrio).await, compromisos).await;
    let (status, signed) = firmar(app, &pacto, &registro).await;
    assert_eq!(status, 200, "{signed}");
    signed
}

async fn estado(app: &TestApp, pacto: &str, compromiso: Uuid, body: Value) -> (u16, Value) {
    post(app, &format!("/pactos/{pacto}/compromisos/{compromiso}/estados"), &body).await
}

/// Imports Barranquilla's barrios (another city) and returns one of them.
async fn barrio_de_otra_ciudad(app: &TestApp) -> i64 {
    let (status, report) =
        import_with(app, &app.client, &json!({ "barrios": crate::imports::barranquilla(), "options": { "municipio": OTHER_CITY } })).await;
    assert_eq!(status, 201, "{report}");
    let (_, barrios) = app.get_json("/barrios").await;
    barrios
        .as_array()
        .and_then(|l| l.iter().find(|b| b["municipio"] == OTHER_CITY))
        .and_then(|b| b["id"].as_i64())
        .expect("a Barranquilla barrio")
}

/// Asserts the database refuses each statement, with the trigger's message when one is given.
pub(crate) fn refused(app: &TestApp, statements: &[(&str, &str)]) {
    let c = db(app);
    for (sql, message) in statements {
        match c.execute(sql, []) {
            Ok(n) => panic!("{sql} was let through ({n} rows)"),
            Err(e) => assert!(e.to_string().contains(message), "{sql}: {e}"),
        }
    }
}

#[tokio::test]
async fn a_pacto_drafted_from_the_diagnostico_is_revised_then_signed_and_never_rewritten() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    diagnostico(&app, barrio).await;
    let ciclo = ciclo(&app, barrio).await;

    let (status, missing) = post(&app, &format!("/barrios/{barrio}/pactos"), &json!({ "diagnostico": 9 })).await;
    assert_eq!((status, code(&missing), missing["error"]["field"].as_str()), (404, Some("unknown_diagnostico"), Some("diagnostico")));
    let pacto = nuevo(&app, barrio).await;
    assert_eq!((pacto["version"].as_u64(), pacto["revision"].as_u64(), pacto["estado"].as_str()), (Some(1), Some(1), Some("borrador")));
    assert_eq!(pacto["ciclo_id"].as_str(), Some(ciclo.as_str()), "in the barrio's open ciclo");
    // The draft carries the diagnóstico's problems, with their causes, and its solutions.
    let problemas = pacto["contenido"]["problemas"].as_array().expect("problems");
    let robo = problemas.iter().find(|p| p["categoria"] == "hurto_personas").expect("the thefts");
    assert_eq!((robo["marcas"].as_u64(), robo["lugares"].as_u64()), (Some(3), Some(1)));
    assert_eq!(robo["causas"], json!(["Falta de iluminación"]));
    assert!(problemas.iter().any(|p| p["categoria"] == "expendio_sustancias"));
    assert_eq!(pacto["contenido"]["soluciones"][0]["texto"], "Poner luminarias en la esquina");
    assert_eq!(pacto["contenido"]["soluciones"][0]["institucion"], "essmar");
    assert!(pacto["contenido"]["contexto"].as_str().is_some_and(|c| c.contains("n.º 1 del barrio")), "{}", pacto["contenido"]["contexto"]);
    assert_eq!(pacto["contenido"]["compromisos"], json!([]));
    let (status, again) = post(&app, &format!("/barrios/{barrio}/pactos"), &json!({ "diagnostico": 1 })).await;
    assert_eq!((status, code(&again)), (409, Some("unsigned_pacto_open")));

    let pid = id(&pacto);
    let (status, detalle) = app.get_json(&format!("/pactos/{pid}")).await;
    assert_eq!(status, 200, "{detalle}");
    assert_eq!((detalle["editable"].as_bool(), detalle["barrio"].as_str().is_some()), (Some(true), true));
    let lugares = detalle["lugares"].as_array().expect("places");
    let place =
        |category: &str| lugares.iter().find(|l| l["categoria"] == category).map(|l| (l["hotspot_id"].clone(), l["sensible"].clone()));
    let (robos, sensible) = place("hurto_personas").expect("the thefts' place");
    assert_eq!(sensible, json!(false));
    assert_eq!(place("expendio_sustancias").map(|p| p.1), Some(json!(true)));

    // Saving: a revision on the latest one; an older one is stale.
    let c1 = Uuid::new_v4();
    let mut primero = compromiso(c1, "essmar", FUTURE);
    primero["hotspot_id"] = robos.clone();
    let saved = guardar(&app, &pacto, vec![primero.clone()]).await;
    assert_eq!(saved["revision"].as_u64(), Some(2));
    let (status, stale) = put(&app, &format!("/pactos/{pid}"), &json!({ "revision": 1, "contenido": saved["contenido"] })).await;
    assert_eq!((status, code(&stale), stale["error"]["field"].as_str()), (409, Some("stale_revision"), Some("revision")));

    // Content that breaks a rule: 422 with the model's code; bodies that are not the shape: 400.
    let bad = |change: fn(&mut Value)| {
        let mut c = primero.clone();
        change(&mut c);
        let mut contenido = saved["contenido"].clone();
        contenido["compromisos"] = json!([c]);
        json!({ "revision": 2, "contenido": contenido })
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (bad(|c| c["responsable"] = json!("nadie")), 422, "unknown_institution"),
        (bad(|c| c["hotspot_id"] = json!(Uuid::new_v4())), 422, "unknown_place"),
        (bad(|c| c["fecha_limite"] = json!("mañana")), 422, "bad_date"),
        (bad(|c| c["indicador"] = json!(" ")), 422, "compromiso_incomplete"),
        (bad(|c| c["que"] = json!("a\u{7}b")), 422, "control_characters"),
        (json!({ "revision": "dos", "contenido": saved["contenido"] }), 400, "malformed"),
        (json!({ "revision": 2, "contenido": saved["contenido"], "firmado": true }), 400, "malformed"),
        (json!({ "revision": 2 }), 400, "malformed"),
    ];
    for (body, status, expected) in cases {
        let (got, answer) = put(&app, &format!("/pactos/{pid}"), &body).await;
        assert_eq!((got, code(&answer)), (status, Some(expected)), "{answer}");
        assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()) && answer["error"]["message_en"].is_string());
    }
    let res = app
        .client
        .put(format!("{}/api/v1/pactos/{pid}", app.url))
        .header("content-type", "application/json")
        .body("{\"revision\": 2,")
        .send()
        .await
        .expect("put");
    assert_eq!(res.status().as_u16(), 400, "malformed JSON");
    let res = app
        .client
        .put(format!("{}/api/v1/pactos/{pid}", app.url))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .expect("put");
    assert_eq!(res.status().as_u16(), 415);
    let huge = json!({ "revision": 2, "contenido": { "contexto": "x".repeat(3 * 1024 * 1024) } });
    let (status, too_large) = put(&app, &format!("/pactos/{pid}"), &huge).await;
    assert_eq!((status, code(&too_large)), (413, Some("payload_too_large")));
    let (_, still) = app.get_json(&format!("/pactos/{pid}")).await;
    assert_eq!(still["pacto"]["revision"].as_u64(), Some(2), "nothing refused was kept");

    // The acta linked must be a socialización acta of this barrio.
    let acta = |kind: &str, barrio: i64| {
        let mut a = crate::actas::acta_json(Uuid::new_v4(), barrio, 1);
        a["kind"] = json!(kind);
        a
    };
    let other_barrio = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    let committee = acta("comite_barrial", barrio);
    let elsewhere = acta("socializacion", other_barrio);
    let meeting = acta("socializacion", barrio);
    for a in [&committee, &elsewhere, &meeting] {
        assert_eq!(post(&app, "/actas", a).await.0, 201);
    }
    for (a, status) in [(&committee, 422), (&elsewhere, 422), (&json!({ "id": Uuid::new_v4() }), 422), (&meeting, 200)] {
        let mut contenido = saved["contenido"].clone();
        contenido["acta_id"] = a["id"].clone();
        let (got, answer) = put(&app, &format!("/pactos/{pid}"), &json!({ "revision": 2, "contenido": contenido })).await;
        assert_eq!(got, status, "{answer}");
        if status == 422 {
            assert_eq!(code(&answer), Some("acta_not_socializacion"));
        }
    }
    let (_, pacto) = app.get_json(&format!("/pactos/{pid}")).await;
    let pacto = pacto["pacto"].clone();
    assert_eq!((pacto["revision"].as_u64(), &pacto["contenido"]["acta_id"]), (Some(3), &meeting["id"]));

    // A status change needs a signed pacto.
    let (status, early) = estado(&app, &pid, c1, json!({ "estado": "en_curso", "evidencia": "Visita" })).await;
    assert_eq!((status, code(&early)), (409, Some("pacto_not_signed")));

    // Signing: with the scan uploaded as the ruta's registro of type pacto_firmado, of this barrio.
    let scan = registro(&app, &ciclo, "pacto_firmado").await;
    let foto = registro(&app, &ciclo, "archivo_fotografico").await;
    let other_ciclo = self::ciclo(&app, other_barrio).await;
    let ajeno = registro(&app, &other_ciclo, "pacto_firmado").await;
    let retirado = registro(&app, &ciclo, "pacto_firmado").await;
    let (status, _) = post(&app, &format!("/registros/{retirado}/retiro"), &json!({ "reason": "Escaneo ilegible" })).await;
    assert_eq!(status, 201);
    let sign = |revision: u64, registro: &str, fecha: &str| json!({ "revision": revision, "registro_id": registro, "fecha": fecha });
    let cases: Vec<(Value, u16, &str)> = vec![
        (sign(3, &foto, "2027-02-10"), 422, "registro_not_pacto_firmado"),
        (sign(3, &ajeno, "2027-02-10"), 422, "unknown_registro"),
        (sign(3, &Uuid::new_v4().to_string(), "2027-02-10"), 422, "unknown_registro"),
        (sign(3, &retirado, "2027-02-10"), 422, "registro_withdrawn"),
        (sign(3, &scan, "10/02/2027"), 422, "bad_date"),
        (sign(2, &scan, "2027-02-10"), 409, "stale_revision"),
    ];
    for (body, status, expected) in cases {
        let (got, answer) = post(&app, &format!("/pactos/{pid}/firma"), &body).await;
        assert_eq!((got, code(&answer)), (status, Some(expected)), "{body}: {answer}");
    }
    let (status, signed) = post(&app, &format!("/pactos/{pid}/firma"), &sign(3, &scan, "2027-02-10")).await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!((signed["estado"].as_str(), signed["firma"]["revision"].as_u64()), (Some("firmado"), Some(3)));
    assert_eq!(signed["firma"]["registro_id"].as_str(), Some(scan.as_str()));
    let (status, twice) = post(&app, &format!("/pactos/{pid}/firma"), &sign(3, &scan, "2027-02-10")).await;
    assert_eq!((status, code(&twice)), (409, Some("pacto_signed")));
    let (status, after) = put(&app, &format!("/pactos/{pid}"), &json!({ "revision": 3, "contenido": signed["contenido"] })).await;
    assert_eq!((status, code(&after)), (409, Some("pacto_signed")));
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/pactos")).await;
    assert_eq!(
        (list[0]["estado"].as_str(), list[0]["vigente"].as_bool(), list[0]["compromisos"].as_u64()),
        (Some("firmado"), Some(true), Some(1))
    );

    // The database itself refuses to rewrite the signed pacto, whoever writes to the file.
    let revision = format!("INSERT INTO pacto_revisiones (pacto_id, revision, contenido, por, at_ms) VALUES ('{pid}', 4, '{{}}', 'x', 0)");
    refused(
        &app,
        &[
            ("UPDATE pactos SET diagnostico = 2", "a pacto is immutable"),
            ("DELETE FROM pactos", "a pacto is kept"),
            ("UPDATE pacto_revisiones SET contenido = '{}'", "a revision is immutable"),
            ("DELETE FROM pacto_revisiones", "a revision is kept"),
            ("UPDATE pacto_firmas SET fecha = '2000-01-01'", "a signing is immutable"),
            ("DELETE FROM pacto_firmas", "a signing is kept"),
            ("UPDATE pacto_compromisos SET fecha_limite = '2100-01-01'", "a signed compromiso is immutable"),
            ("DELETE FROM pacto_compromisos", "a signed compromiso is kept"),
            (&revision, "a signed pacto is immutable"),
        ],
    );
    let (_, log) = app.get_json("/admin/audit").await;
    let actions: Vec<&str> = log.as_array().expect("log").iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["pacto_create", "pacto_save", "pacto_sign"] {
        assert!(actions.contains(&action), "{action} missing from {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| **a == "pacto_save").count(), 2, "refused saves leave no line");
}

#[tokio::test]
async fn compromisos_are_followed_up_in_order_and_an_otrosi_carries_their_history() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let (c1, c2) = (Uuid::new_v4(), Uuid::new_v4());
    let v1 = firmado(&app, barrio, vec![compromiso(c1, "essmar", FUTURE), compromiso(c2, "policia", FUTURE)]).await;
    let v1_id = id(&v1);
    let ciclo = v1["ciclo_id"].as_str().expect("ciclo").to_string();
    let evidence = registro(&app, &ciclo, "archivo_fotografico").await;
    let other_barrio = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    let other_ciclo = self::ciclo(&app, other_barrio).await;
    let ajeno = registro(&app, &other_ciclo, "archivo_fotografico").await;

    // A change needs its evidence, a real change, a registro of the barrio, a compromiso of the pacto.
    let cases: Vec<(Uuid, Value, u16, &str)> = vec![
        (c1, json!({ "estado": "en_curso" }), 422, "no_evidence"),
        (c1, json!({ "estado": "pendiente", "evidencia": "Nada" }), 422, "same_status"),
        (c1, json!({ "estado": "cumplido", "registro_id": ajeno }), 422, "unknown_registro"),
        (c1, json!({ "estado": "terminado", "evidencia": "x" }), 400, "malformed"),
        (c1, json!({ "estado": "cumplido", "evidencia": 3 }), 400, "malformed"),
        (Uuid::new_v4(), json!({ "estado": "en_curso", "evidencia": "x" }), 404, "not_found"),
    ];
    for (cid, body, status, expected) in cases {
        let (got, answer) = estado(&app, &v1_id, cid, body).await;
        assert_eq!((got, code(&answer)), (status, Some(expected)), "{answer}");
    }
    let (status, first) = estado(&app, &v1_id, c1, json!({ "estado": "en_curso", "evidencia": "Visita del 2 de marzo" })).await;
    assert_eq!(status, 201, "{first}");
    let (status, second) = estado(&app, &v1_id, c1, json!({ "estado": "cumplido", "registro_id": evidence })).await;
    assert_eq!(status, 201, "{second}");
    assert!(second["seq"].as_i64() > first["seq"].as_i64());
    assert_eq!(second["registro_id"].as_str(), Some(evidence.as_str()));
    // Cancelling needs the reason, and is final.
    let (status, no_reason) = estado(&app, &v1_id, c2, json!({ "estado": "cancelado", "evidencia": "Acta" })).await;
    assert_eq!((status, code(&no_reason), no_reason["error"]["field"].as_str()), (422, Some("no_reason"), Some("motivo")));
    let (status, _) = estado(&app, &v1_id, c2, json!({ "estado": "cancelado", "motivo": "La obra pasó al plan de desarrollo" })).await;
    assert_eq!(status, 201);
    let (status, final_) = estado(&app, &v1_id, c2, json!({ "estado": "en_curso", "evidencia": "Se retomó" })).await;
    assert_eq!((status, code(&final_)), (422, Some("cancelled")));
    let (_, detalle) = app.get_json(&format!("/pactos/{v1_id}")).await;
    let history: Vec<(String, String)> = detalle["estados"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| (e["compromiso_id"].as_str().unwrap_or("").to_string(), e["estado"].as_str().unwrap_or("").to_string()))
        .collect();
    let (s1, s2) = (c1.to_string(), c2.to_string());
    assert_eq!(history, vec![(s1.clone(), "en_curso".into()), (s1.clone(), "cumplido".into()), (s2.clone(), "cancelado".into())]);
    refused(
        &app,
        &[
            ("UPDATE compromiso_estados SET estado = 'pendiente'", "a status change is immutable"),
            ("DELETE FROM compromiso_estados", "a status change is kept"),
            ("INSERT INTO compromiso_estados (pacto_id, compromiso_id, estado, motivo, evidencia, por, at_ms) VALUES ('x', 'y', 'cumplido', '', '', 'x', 0)", "a status change is of a compromiso of a signed pacto"),
        ],
    );

    // The otrosí: version 2 naming the first, with its compromisos; one per version.
    let (status, v2) = post(&app, &format!("/pactos/{v1_id}/otrosi"), &json!({})).await;
    assert_eq!(status, 201, "{v2}");
    let v2_id = id(&v2);
    assert_eq!((v2["version"].as_u64(), v2["anterior"].as_str(), v2["revision"].as_u64()), (Some(2), Some(v1_id.as_str()), Some(1)));
    assert_eq!((v2["estado"].as_str(), v2["contenido"]["fecha"].as_str()), (Some("borrador"), Some("")));
    assert_eq!(v2["contenido"]["compromisos"], v1["contenido"]["compromisos"]);
    let (status, twice) = post(&app, &format!("/pactos/{v1_id}/otrosi"), &json!({})).await;
    assert_eq!((status, code(&twice)), (409, Some("otrosi_exists")));
    let (status, unsigned) = post(&app, &format!("/pactos/{v2_id}/otrosi"), &json!({})).await;
    assert_eq!((status, code(&unsigned)), (409, Some("pacto_not_signed")));
    let (status, busy) = post(&app, &format!("/barrios/{barrio}/pactos"), &json!({ "diagnostico": 1 })).await;
    assert_eq!((status, code(&busy)), (409, Some("unsigned_pacto_open")));
    let (_, first_detail) = app.get_json(&format!("/pactos/{v1_id}")).await;
    assert_eq!(first_detail["otrosi"].as_str(), Some(v2_id.as_str()));

    // Until the otrosí is signed, the first version is followed up; then the otrosí is.
    let (status, _) = estado(&app, &v1_id, c1, json!({ "estado": "incumplido", "evidencia": "Las luminarias se dañaron" })).await;
    assert_eq!(status, 201);
    let (status, not_yet) = estado(&app, &v2_id, c1, json!({ "estado": "en_curso", "evidencia": "x" })).await;
    assert_eq!((status, code(&not_yet)), (409, Some("pacto_not_signed")));
    let c3 = Uuid::new_v4();
    let mut compromisos = v2["contenido"]["compromisos"].as_array().expect("compromisos").clone();
    compromisos.push(compromiso(c3, "icbf", FUTURE));
    let v2 = guardar(&app, &v2, compromisos).await;
    let scan = registro(&app, &ciclo, "pacto_firmado").await;
    let (status, v2) = firmar(&app, &v2, &scan).await;
    assert_eq!(status, 200, "{v2}");
    let (status, superseded) = estado(&app, &v1_id, c1, json!({ "estado": "en_curso", "evidencia": "x" })).await;
    assert_eq!((status, code(&superseded)), (409, Some("pacto_superseded")));
    let (status, _) = estado(&app, &v2_id, c1, json!({ "estado": "en_curso", "evidencia": "Nuevas luminarias pedidas" })).await;
    assert_eq!(status, 201);
    let (status, still_cancelled) = estado(&app, &v2_id, c2, json!({ "estado": "en_curso", "evidencia": "x" })).await;
    assert_eq!((status, code(&still_cancelled)), (422, Some("cancelled")), "the history follows the compromiso into the otrosí");
    let (_, detalle) = app.get_json(&format!("/pactos/{v2_id}")).await;
    let of_c1: Vec<(&str, &str)> = detalle["estados"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["compromiso_id"] == json!(c1))
        .map(|e| (e["pacto_id"].as_str().unwrap_or(""), e["estado"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        of_c1,
        vec![(v1_id.as_str(), "en_curso"), (v1_id.as_str(), "cumplido"), (v1_id.as_str(), "incumplido"), (v2_id.as_str(), "en_curso")]
    );
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/pactos")).await;
    let lines: Vec<(u64, bool)> =
        list.as_array().expect("list").iter().map(|p| (p["version"].as_u64().unwrap_or(0), p["vigente"] == true)).collect();
    assert_eq!(lines, vec![(2, true), (1, false)], "newest first, the signed otrosí in force");
    let (status, third) = post(&app, &format!("/pactos/{v1_id}/otrosi"), &json!({})).await;
    assert_eq!((status, code(&third)), (409, Some("otrosi_exists")), "a second otrosí of version 1");
    let second = format!(
        "INSERT INTO pactos (id, barrio_id, diagnostico, version, anterior, creado_por, creado_ms) VALUES ('{}', {barrio}, 1, 2, '{v1_id}', 'x', 0)",
        Uuid::new_v4()
    );
    refused(&app, &[(&second, "UNIQUE constraint failed: pactos.anterior")]);
}

#[tokio::test]
async fn an_institutions_page_lists_its_compromisos_of_its_barrios_overdue_first_and_as_csv() {
    let app = spawn_app().await;
    let bq = barrio_de_otra_ciudad(&app).await;
    let pescaito = app.barrio_id(FACILITATOR_BARRIO).await;
    let bastidas = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;

    let (overdue, open, done, bq_line) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    firmado(&app, pescaito, vec![compromiso(open, "essmar", FUTURE), compromiso(Uuid::new_v4(), "policia", PAST)]).await;
    let b = firmado(&app, bastidas, vec![compromiso(done, "essmar", "2019-06-30"), compromiso(overdue, "essmar", PAST)]).await;
    let (status, _) = estado(&app, &id(&b), done, json!({ "estado": "cumplido", "evidencia": "Acta de visita" })).await;
    assert_eq!(status, 201);
    firmado(&app, bq, vec![compromiso(bq_line, "essmar", FUTURE)]).await;

    let (status, lines) = app.get_json("/instituciones/essmar/compromisos").await;
    assert_eq!(status, 200, "{lines}");
    let order: Vec<(String, bool, &str)> = lines
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (l["compromiso"]["id"].as_str().unwrap_or("").to_string(), l["vencido"] == true, l["estado"].as_str().unwrap_or("")))
        .collect();
    let ids: Vec<&str> = order.iter().map(|o| o.0.as_str()).collect();
    assert_eq!(ids.len(), 4, "every barrio's essmar lines, no one else's: {lines}");
    assert_eq!(ids[0], overdue.to_string(), "overdue first");
    assert!(order[0].1, "and marked so");
    assert_eq!(ids[3], done.to_string(), "a fulfilled one last, never overdue");
    assert_eq!((order[3].1, order[3].2), (false, "cumplido"));
    let barrios_seen: std::collections::BTreeSet<i64> =
        lines.as_array().expect("lines").iter().filter_map(|l| l["barrio_id"].as_i64()).collect();
    assert_eq!(barrios_seen, [pescaito, bastidas, bq].into_iter().collect());
    assert!(lines[0]["barrio"].is_string() && lines[0]["pacto_version"] == 1);

    // Staff of Barranquilla see Barranquilla's lines only; facilitators none.
    let staff_bq = signed_in(&app.url, "equipo_bq").await;
    let (status, theirs) = call(&app, &staff_bq, "get", "/instituciones/essmar/compromisos", None).await;
    assert_eq!(status, 200);
    assert_eq!(theirs.as_array().map(|l| l.iter().filter_map(|x| x["barrio_id"].as_i64()).collect::<Vec<_>>()), Some(vec![bq]));
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(call(&app, &facilitator, "get", "/instituciones/essmar/compromisos", None).await.0, 403);
    assert_eq!(app.get_json("/instituciones/nadie/compromisos").await.0, 404);

    // The same lines as CSV for a spreadsheet, each download in the audit log.
    let res = app.get("/api/v1/instituciones/essmar/compromisos.csv").await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap_or("").contains("compromisos-essmar-"));
    let bytes = res.bytes().await.expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "with a byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 5, "{text}");
    assert!(rows[0].starts_with("barrio;pacto;compromiso;"), "{}", rows[0]);
    assert!(rows[1].contains(";Pendiente;sí;") && rows[1].ends_with(&overdue.to_string()), "{}", rows[1]);
    let (_, log) = app.get_json("/admin/audit").await;
    assert!(log.as_array().expect("log").iter().any(|e| e["action"] == "compromisos_export"));
    let res = staff_bq.get(format!("{}/api/v1/instituciones/essmar/compromisos.csv", app.url)).send().await.expect("csv");
    assert_eq!(res.text().await.expect("text").lines().count(), 2, "the header and Barranquilla's line");
}

#[tokio::test]
async fn a_published_pacto_never_shows_a_sensitive_place_and_its_statuses_are_live() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    diagnostico(&app, barrio).await;
    let ciclo = ciclo(&app, barrio).await;
    let pacto = nuevo(&app, barrio).await;
    let pid = id(&pacto);
    let public = format!("{}/api/v1/public/barrios/{barrio}/compromisos", app.url);
    let anonymous = reqwest::Client::new();
    assert_eq!(anonymous.get(&public).send().await.expect("get").status(), 404, "nothing published yet");

    let (_, detalle) = app.get_json(&format!("/pactos/{pid}")).await;
    let hotspot = |category: &str| {
        detalle["lugares"]
            .as_array()
            .and_then(|l| l.iter().find(|x| x["categoria"] == category))
            .map(|x| x["hotspot_id"].clone())
            .expect("place")
    };
    let (plain, hidden) = (Uuid::new_v4(), Uuid::new_v4());
    let mut a = compromiso(plain, "essmar", FUTURE);
    a["hotspot_id"] = hotspot("hurto_personas");
    let mut b = compromiso(hidden, "policia", FUTURE);
    b["hotspot_id"] = hotspot("expendio_sustancias");
    b["lugar"] = json!("Frente a la tienda de doña Rosa");
    let pacto = guardar(&app, &pacto, vec![a, b]).await;
    let request = json!({ "compromisos": [
        { "id": plain, "que": "ESSMAR pone luminarias en la esquina", "lugar": "Parque central" },
        { "id": hidden, "que": "Patrullajes en la zona", "lugar": "Frente a la tienda de doña Rosa" }
    ]});
    let (status, early) = post(&app, &format!("/pactos/{pid}/publicacion/vista"), &request).await;
    assert_eq!((status, code(&early)), (409, Some("pacto_not_signed")));
    let scan = registro(&app, &ciclo, "pacto_firmado").await;
    assert_eq!(firmar(&app, &pacto, &scan).await.0, 200);

    // The preview shows what would be published and keeps nothing.
    let (status, vista) = post(&app, &format!("/pactos/{pid}/publicacion/vista"), &request).await;
    assert_eq!(status, 200, "{vista}");
    assert_eq!(vista["compromisos"][0]["lugar"], "Parque central");
    assert_eq!(vista["compromisos"][0]["institucion"], "ESSMAR (aseo y alumbrado)");
    assert_eq!(vista["compromisos"][1]["lugar"], "", "the place of a sensitive problem is never published");
    assert_eq!(anonymous.get(&public).send().await.expect("get").status(), 404, "a preview publishes nothing");
    let kept: i64 = db(&app).query_row("SELECT count(*) FROM pacto_publicaciones", [], |r| r.get(0)).expect("count");
    assert_eq!(kept, 0);
    for (body, expected) in [
        (json!({ "compromisos": [] }), "nothing_to_publish"),
        (json!({ "compromisos": [{ "id": Uuid::new_v4(), "que": "Otro" }] }), "unknown_compromiso"),
    ] {
        let (status, answer) = post(&app, &format!("/pactos/{pid}/publicacion"), &body).await;
        assert_eq!((status, code(&answer)), (422, Some(expected)));
    }

    let (status, published) = post(&app, &format!("/pactos/{pid}/publicacion"), &request).await;
    assert_eq!(status, 201, "{published}");
    let res = anonymous.get(&public).send().await.expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let text = res.text().await.expect("text");
    assert!(!text.contains("doña Rosa") && !text.contains("hotspot") && !text.contains("Verificado"), "{text}");
    let p: Value = serde_json::from_str(&text).expect("json");
    assert_eq!((p["pacto_id"].as_str(), p["firmado"].as_str()), (Some(pid.as_str()), Some("2027-02-10")));
    assert_eq!(
        p["compromisos"].as_array().map(|c| c.iter().map(|x| x["estado"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("pendiente"); 2])
    );

    // Its statuses are read when it is read.
    let (status, _) = estado(&app, &pid, plain, json!({ "estado": "en_curso", "evidencia": "Luminarias compradas" })).await;
    assert_eq!(status, 201);
    let p: Value = anonymous.get(&public).send().await.expect("get").json().await.expect("json");
    assert_eq!((p["compromisos"][0]["estado"].as_str(), p["compromisos"][1]["estado"].as_str()), (Some("en_curso"), Some("pendiente")));
    let (_, detalle) = app.get_json(&format!("/pactos/{pid}")).await;
    assert_eq!(detalle["publicacion"]["compromisos"][0]["estado"], "en_curso");
    refused(&app, &[("UPDATE pacto_publicaciones SET contenido = '{}'", "immutable"), ("DELETE FROM pacto_publicaciones", "kept")]);
    let (_, log) = app.get_json("/admin/audit").await;
    assert_eq!(log.as_array().expect("log").iter().filter(|e| e["action"] == "pacto_publish").count(), 1);
}

#[tokio::test]
async fn every_pacto_endpoint_answers_each_caller_as_paso_4_says() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    generate(&app, barrio).await;
    let workshop = crate::sync::workshop(&app, barrio, "2099-12-01").await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/join/{}", app.url, workshop.join_code))
        .json(&json!({ "device_id": Uuid::new_v4() }))
        .send()
        .await
        .expect("join");
    let token: Value = res.json().await.expect("json");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {}", token["token"].as_str().expect("token")).parse().expect("header"));
    let device = reqwest::Client::builder().default_headers(headers).build().expect("client");
    let anonymous = reqwest::Client::new();
    let facilitator = signed_in(&app.url, "facilita").await;
    let other_facilitator = signed_in(&app.url, "facilita2").await;
    let staff_elsewhere = signed_in(&app.url, "equipo_bq").await;
    let staff = signed_in(&app.url, "equipo").await;
    let callers = [
        ("anonymous", &anonymous),
        ("device", &device),
        ("facilitator", &facilitator),
        ("other facilitator", &other_facilitator),
        ("staff elsewhere", &staff_elsewhere),
        ("staff", &staff),
        ("admin", &app.client),
    ];
    /// Everyone refused: the anonymous with 401, the others 403; `ok` for those allowed.
    async fn expect(
        app: &TestApp,
        callers: &[(&str, &reqwest::Client)],
        method: &str,
        path: &str,
        body: Option<&Value>,
        allowed: &[(&str, u16)],
    ) {
        for (who, client) in callers {
            let (status, answer) = call(app, client, method, path, body).await;
            let wanted = allowed.iter().find(|(w, _)| w == who).map_or(if *who == "anonymous" { 401 } else { 403 }, |(_, s)| *s);
            assert_eq!(status, wanted, "{method} {path} as {who}: {answer}");
        }
    }

    // The catalogue: every account reads it; admins alone edit it.
    let accounts = [("facilitator", 200), ("other facilitator", 200), ("staff elsewhere", 200), ("staff", 200), ("admin", 200)];
    expect(&app, &callers, "get", "/instituciones", None, &accounts).await;
    let jac = json!({ "nombre": "JAC de Pescaíto", "tipo": "comunidad", "contactos": [{ "cargo": "Presidente" }] });
    expect(&app, &callers, "put", "/instituciones/jac_pescaito", Some(&jac), &[("admin", 201)]).await;
    let (status, same) = put(&app, "/instituciones/jac_pescaito", &jac).await;
    assert_eq!((status, same["version"].as_u64()), (200, Some(1)), "the same entry again adds no version");
    let (status, v2) =
        put(&app, "/instituciones/jac_pescaito", &json!({ "nombre": "JAC de Pescaíto", "tipo": "comunidad", "activa": false })).await;
    assert_eq!((status, v2["version"].as_u64(), v2["activa"].as_bool()), (200, Some(2), Some(false)));
    let (status, bad) = put(&app, "/instituciones/JAC%20Pescaito", &jac).await;
    assert_eq!((status, code(&bad), bad["error"]["field"].as_str()), (422, Some("bad_institution_code"), Some("codigo")));
    let (status, bad) = put(&app, "/instituciones/jac", &json!({ "nombre": " ", "tipo": "comunidad" })).await;
    assert_eq!((status, code(&bad)), (422, Some("bad_institution_name")));
    let (status, bad) = put(&app, "/instituciones/jac", &json!({ "nombre": "JAC", "tipo": "junta" })).await;
    assert_eq!((status, code(&bad)), (400, Some("malformed")));
    let (_, catalogue) = app.get_json("/instituciones").await;
    let codes: Vec<&str> = catalogue.as_array().expect("catalogue").iter().filter_map(|i| i["codigo"].as_str()).collect();
    assert_eq!(codes.len(), app::model::pacto::institucion::SEMILLA.len() + 1, "the seed and the new entry: {codes:?}");
    let policia = catalogue.as_array().and_then(|l| l.iter().find(|i| i["codigo"] == "policia")).expect("the seed's police");
    assert_eq!((policia["version"].as_u64(), &policia["contactos"]), (Some(1), &json!([{ "cargo": "Comandante de cuadrante" }])));
    expect(&app, &callers, "get", "/instituciones/essmar/compromisos", None, &[("staff elsewhere", 200), ("staff", 200), ("admin", 200)])
        .await;
    expect(
        &app,
        &callers,
        "get",
        "/instituciones/essmar/compromisos.csv",
        None,
        &[("staff elsewhere", 200), ("staff", 200), ("admin", 200)],
    )
    .await;

    // A barrio's pactos: those who work in it read; its city's staff write.
    let readers = [("facilitator", 200), ("staff", 200), ("admin", 200)];
    expect(&app, &callers, "get", &format!("/barrios/{barrio}/pactos"), None, &readers).await;
    expect(
        &app,
        &callers,
        "post",
        &format!("/barrios/{barrio}/pactos"),
        Some(&json!({ "diagnostico": 1 })),
        &[("staff", 201), ("admin", 409)],
    )
    .await;
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/pactos")).await;
    let pid = list[0]["id"].as_str().expect("the pacto").to_string();
    expect(&app, &callers, "get", &format!("/pactos/{pid}"), None, &readers).await;
    let (_, seen) = call(&app, &facilitator, "get", &format!("/pactos/{pid}"), None).await;
    assert_eq!(seen["editable"], false, "a facilitator reads only");
    let (_, pacto) = app.get_json(&format!("/pactos/{pid}")).await;
    let mut contenido = pacto["pacto"]["contenido"].clone();
    let c1 = Uuid::new_v4();
    contenido["compromisos"] = json!([compromiso(c1, "essmar", FUTURE)]);
    let save = json!({ "revision": 1, "contenido": contenido });
    expect(&app, &callers, "put", &format!("/pactos/{pid}"), Some(&save), &[("staff", 200), ("admin", 409)]).await;
    let scan = registro(&app, &ciclo(&app, barrio).await, "pacto_firmado").await;
    let sign = json!({ "revision": 2, "registro_id": scan, "fecha": "2027-02-10" });
    expect(&app, &callers, "post", &format!("/pactos/{pid}/firma"), Some(&sign), &[("staff", 200), ("admin", 409)]).await;
    let change = json!({ "estado": "en_curso", "evidencia": "Visita" });
    expect(&app, &callers, "post", &format!("/pactos/{pid}/compromisos/{c1}/estados"), Some(&change), &[("staff", 201), ("admin", 422)])
        .await;
    let publish = json!({ "compromisos": [{ "id": c1, "que": "Luminarias", "lugar": "" }] });
    expect(&app, &callers, "post", &format!("/pactos/{pid}/publicacion/vista"), Some(&publish), &[("staff", 200), ("admin", 200)]).await;
    expect(&app, &callers, "post", &format!("/pactos/{pid}/publicacion"), Some(&publish), &[("staff", 201), ("admin", 201)]).await;
    expect(&app, &callers, "post", &format!("/pactos/{pid}/otrosi"), None, &[("staff", 201), ("admin", 409)]).await;
    let everyone = callers.iter().map(|(who, _)| (*who, 200u16)).collect::<Vec<_>>();
    expect(&app, &callers, "get", &format!("/public/barrios/{barrio}/compromisos"), None, &everyone).await;
    let (_, lines) = call(&app, &staff_elsewhere, "get", "/instituciones/essmar/compromisos", None).await;
    assert_eq!(lines, json!([]), "staff of another city see no line of Santa Marta");
    let (_, lines) = call(&app, &staff, "get", "/instituciones/essmar/compromisos", None).await;
    assert_eq!(lines.as_array().map(Vec::len), Some(1));
}

/// Paso 7: the follow-up board over every barrio's pacto in force, and the interinstitutional
/// committee whose acta sets the statuses of the compromisos it reviews, all or nothing.
#[tokio::test]
async fn the_follow_up_board_lists_every_compromiso_and_a_committee_acta_sets_their_statuses() {
    let app = spawn_app().await;
    let bq = barrio_de_otra_ciudad(&app).await;
    let pescaito = app.barrio_id(FACILITATOR_BARRIO).await;
    let bastidas = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    let (a, b, c, d) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let p1 = id(&firmado(&app, pescaito, vec![compromiso(a, "essmar", PAST), compromiso(b, "policia", FUTURE)]).await);
    let p2 = id(&firmado(&app, bastidas, vec![compromiso(c, "essmar", FUTURE)]).await);
    let p3 = id(&firmado(&app, bq, vec![compromiso(d, "essmar", FUTURE)]).await);

    let (status, board) = app.get_json("/seguimiento").await;
    assert_eq!(status, 200, "{board}");
    let lineas = board["lineas"].as_array().expect("lines");
    assert_eq!(lineas.len(), 4, "every compromiso in force: {board}");
    assert_eq!(lineas[0]["compromiso"]["id"], a.to_string(), "overdue first");
    assert_eq!(lineas[0]["vencido"], true);
    assert_eq!(lineas[0]["municipio"], "47001");
    assert_eq!(lineas[0]["institucion"], "ESSMAR (aseo y alumbrado)", "the catalogue's name");
    assert!(lineas.iter().all(|l| l["en_comite"].is_null() && l["cambio_desde_comite"] == false), "no committee yet");
    assert_eq!(board["comites"], json!([]));

    // A committee that asks for a change the rules refuse, or names a compromiso of another
    // city, keeps nothing: not its acta, not the other revisions' changes.
    let revision = |pacto: &str, cid: Uuid, estado: &str, nota: &str| json!({ "pacto_id": pacto, "compromiso_id": cid, "estado": estado, "nota": nota });
    let acta = |revisiones: Vec<Value>| json!({ "municipio": "47001", "fecha": "2027-03-02", "lugar": "Alcaldía", "asistentes": "ESSMAR, Policía, JAC", "revisiones": revisiones });
    let bad = [
        (acta(vec![revision(&p1, a, "cumplido", "Hecho"), revision(&p3, d, "en_curso", "")]), 422, "compromiso_not_in_force"),
        (acta(vec![revision(&p1, a, "cumplido", "Hecho"), revision(&p2, c, "cancelado", "")]), 422, "no_reason"),
        (acta(vec![revision(&p1, a, "cumplido", ""), revision(&p1, a, "en_curso", "")]), 422, "repeated_compromiso"),
        (acta(vec![revision(&p1, Uuid::new_v4(), "cumplido", "")]), 422, "compromiso_not_in_force"),
        (acta(vec![]), 422, "no_revisiones"),
        (json!({ "municipio": "47", "fecha": "2027-03-02", "revisiones": [revision(&p1, a, "cumplido", "")] }), 422, "bad_municipio"),
        (json!({ "municipio": "47001", "fecha": "ayer", "revisiones": [revision(&p1, a, "cumplido", "")] }), 422, "bad_date"),
        (json!({ "municipio": "47001", "fecha": "2027-03-02", "revisiones": [revision(&p1, a, "hecho", "")] }), 400, "malformed"),
    ];
    for (body, want, want_code) in bad {
        let (status, answer) = post(&app, "/comites", &body).await;
        assert_eq!((status, code(&answer)), (want, Some(want_code)), "{body}: {answer}");
        assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{answer}");
    }
    let (status, answer) = app.post("/comites", JSON, "{\"municipio\": ").await;
    assert_eq!(status, 400, "{answer}");
    let count = |sql: &str| db(&app).query_row(sql, [], |r| r.get::<_, i64>(0)).expect("count");
    assert_eq!((count("SELECT COUNT(*) FROM comites"), count("SELECT COUNT(*) FROM compromiso_estados")), (0, 0), "nothing kept");

    // The committee meets: one fulfilled, one reviewed with no change, one under way.
    let (status, comite) = post(
        &app,
        "/comites",
        &acta(vec![revision(&p1, a, "cumplido", "Luminarias repuestas"), revision(&p1, b, "pendiente", "Sigue en trámite"), revision(&p2, c, "en_curso", "")]),
    )
    .await;
    assert_eq!(status, 201, "{comite}");
    assert_eq!((comite["numero"].as_u64(), comite["municipio"].as_str()), (Some(1), Some("47001")));
    let revs = comite["revisiones"].as_array().expect("revisions");
    assert_eq!(revs.len(), 3);
    assert_eq!((revs[0]["antes"].as_str(), revs[0]["estado"].as_str(), revs[0]["barrio_id"].as_i64()), (Some("pendiente"), Some("cumplido"), Some(pescaito)));
    assert_eq!((revs[1]["antes"].as_str(), revs[1]["estado"].as_str()), (Some("pendiente"), Some("pendiente")));
    assert_eq!(revs[0]["que"], "Compromiso de essmar");
    // The changes are in each compromiso's own history, saying which committee made them.
    let (_, detalle) = app.get_json(&format!("/pactos/{p1}")).await;
    let estados = detalle["estados"].as_array().expect("history");
    assert_eq!(estados.len(), 1, "only the change, not the review with none: {estados:?}");
    assert_eq!(estados[0]["evidencia"], "Comité interinstitucional n.º 1 del 2027-03-02: Luminarias repuestas");
    let (status, again) = app.get_json(&format!("/comites/{}", id(&comite))).await;
    assert_eq!((status, &again), (200, &comite));

    // Afterwards one changes on its own: the board says so against the committee.
    let (status, _) = estado(&app, &p2, c, json!({ "estado": "cumplido", "evidencia": "Visita del 9 de marzo" })).await;
    assert_eq!(status, 201);
    let (_, board) = app.get_json("/seguimiento").await;
    let line = |cid: Uuid| board["lineas"].as_array().and_then(|l| l.iter().find(|x| x["compromiso"]["id"] == cid.to_string()).cloned()).expect("line");
    assert_eq!((line(a)["estado"].as_str(), line(a)["vencido"].as_bool(), line(a)["en_comite"].as_str()), (Some("cumplido"), Some(false), Some("cumplido")));
    assert_eq!(line(a)["cambio_desde_comite"], false);
    assert_eq!((line(c)["en_comite"].as_str(), line(c)["cambio_desde_comite"].as_bool()), (Some("en_curso"), Some(true)));
    assert!(line(d)["en_comite"].is_null(), "Barranquilla has had no committee");
    assert_eq!(board["comites"][0]["revisados"], 3);
    assert_eq!(board["comites"][0]["cambios"], 2);
    let (status, second) = post(&app, "/comites", &acta(vec![revision(&p1, b, "en_curso", "")])).await;
    assert_eq!((status, second["numero"].as_u64()), (201, Some(2)), "{second}");

    // Who may: staff of the city; another city's staff neither see nor write it.
    let staff_bq = signed_in(&app.url, "equipo_bq").await;
    let (status, theirs) = call(&app, &staff_bq, "get", "/seguimiento", None).await;
    assert_eq!(status, 200);
    assert_eq!(theirs["lineas"].as_array().map(Vec::len), Some(1));
    assert_eq!(theirs["comites"], json!([]));
    assert_eq!(call(&app, &staff_bq, "get", &format!("/comites/{}", id(&comite)), None).await.0, 404);
    let (status, answer) = call(&app, &staff_bq, "post", "/comites", Some(&acta(vec![revision(&p1, b, "cumplido", "x")]))).await;
    assert_eq!((status, code(&answer)), (422, Some("compromiso_not_in_force")));
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(call(&app, &facilitator, "get", "/seguimiento", None).await.0, 403);
    assert_eq!(call(&app, &facilitator, "post", "/comites", Some(&acta(vec![revision(&p1, b, "cumplido", "x")]))).await.0, 403);
    let anonymous = reqwest::Client::new();
    assert_eq!(call(&app, &anonymous, "get", "/seguimiento", None).await.0, 401);
    assert_eq!(app.get_json(&format!("/comites/{}", Uuid::new_v4())).await.0, 404);
    let (_, log) = app.get_json("/admin/audit").await;
    assert!(log.as_array().expect("log").iter().any(|e| e["action"] == "comite"));

    // The acta is never rewritten.
    refused(
        &app,
        &[
            ("UPDATE comites SET notas = 'otra'", "immutable"),
            ("DELETE FROM comites", "kept"),
            ("UPDATE comite_revisiones SET estado = 'cancelado'", "immutable"),
            ("DELETE FROM comite_revisiones", "kept"),
        ],
    );
}
