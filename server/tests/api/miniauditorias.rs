//! Paso 6 through the API: a miniauditoría sent from a tablet as numbered versions, whose walk
//! may name only hotspots of its own barrio's diagnóstico; closing it writes the statuses the
//! group found and its immediate measures into the follow-up, once; and nothing is rewritten.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{centre_of, signed_in, spawn_app, MarkBuilder, TestApp, FACILITATOR_BARRIO, OTHER_FACILITATOR_BARRIO};
use crate::pactos::{call, code, compromiso, db, diagnostico, firmado, post, refused, FUTURE};

fn mini(id: Uuid, barrio: i64, version: u32, hotspot: &str, k: Uuid) -> Value {
    json!({
        "id": id, "barrio_id": barrio, "version": version, "diagnostico": 1, "fecha": "2027-05-04", "lugar": "Caseta comunal",
        "recorrido": [{ "hotspot_id": hotspot, "sigue": "menos", "nota": "Ya hay luz en la esquina" }],
        "compromisos": [{ "compromiso_id": k, "estado": "cumplido", "evidencia": "Seis luminarias nuevas" }],
        "medidas": [],
        "asistencia": { "comunidad": 14, "policia": 1, "secretarias": 1, "otras": 0 },
        "updated_at_ms": 1_764_000_000_000i64
    })
}

fn count(app: &TestApp, table: &str) -> i64 {
    db(app).query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

#[tokio::test]
async fn a_miniauditoria_walks_only_its_barrios_hotspots_and_closing_it_feeds_the_follow_up_once() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let other = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    diagnostico(&app, barrio).await;
    // The other barrio's diagnóstico: one theft at its centre.
    let (lon, lat) = centre_of(&app, other).await;
    assert_eq!(app.post_mark(MarkBuilder::new(other, lon, lat).category("hurto_personas").body()).await.0, 201);
    assert_eq!(post(&app, &format!("/barrios/{other}/diagnosticos"), &json!({})).await.0, 201);
    let (k, later) = (Uuid::new_v4(), Uuid::new_v4());
    firmado(&app, barrio, vec![compromiso(k, "essmar", FUTURE), compromiso(later, "policia", FUTURE)]).await;

    // What the tablet keeps: the barrio's outline, the latest diagnóstico's hotspots without
    // their marks, the compromisos in force.
    let (status, ctx) = app.get_json(&format!("/barrios/{barrio}/miniauditorias/contexto")).await;
    assert_eq!(status, 200, "{ctx}");
    assert!(ctx["barrio"]["boundary"].is_object());
    assert_eq!(ctx["con_pacto"], true);
    let hotspots = ctx["hotspots"].as_array().expect("hotspots");
    assert!(!hotspots.is_empty() && hotspots.iter().all(|h| h["source_ids"] == json!([])), "{ctx}");
    assert!(ctx["compromisos"].as_array().expect("compromisos").iter().any(|c| c["id"] == k.to_string()));
    // Diagnóstico 1 is the one walked: its hotspots are the ones a walk may name.
    let (_, d1) = app.get_json(&format!("/barrios/{barrio}/diagnosticos/1")).await;
    let hotspot = d1["diagnostico"]["hotspots"][0]["id"].as_str().expect("a hotspot of diagnóstico 1").to_string();
    let (_, theirs) = app.get_json(&format!("/barrios/{other}/diagnosticos/1")).await;
    let their_hotspot = theirs["diagnostico"]["hotspots"][0]["id"].as_str().expect("a hotspot of the other barrio").to_string();

    // Kept by version; the same version again is the same answer.
    let id = Uuid::new_v4();
    let (status, kept) = post(&app, "/miniauditorias", &mini(id, barrio, 1, &hotspot, k)).await;
    assert_eq!(status, 201, "{kept}");
    assert_eq!(kept["author"], "Cuenta admin");
    assert_eq!(post(&app, "/miniauditorias", &mini(id, barrio, 1, &hotspot, k)).await, (200, kept.clone()));
    let mut changed = mini(id, barrio, 1, &hotspot, k);
    changed["lugar"] = json!("Otra parte");
    assert_eq!(code(&post(&app, "/miniauditorias", &changed).await.1), Some("conflict"));

    // The walk names only hotspots of that barrio's diagnóstico; nothing else is kept.
    let before = count(&app, "miniauditoria_versions");
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = mini(Uuid::new_v4(), barrio, 1, &hotspot, k);
        f(&mut v);
        v
    };
    let bad = [
        (with(&|v| v["recorrido"][0]["hotspot_id"] = json!(their_hotspot)), "unknown_place"),
        (with(&|v| v["recorrido"][0]["hotspot_id"] = json!(Uuid::new_v4())), "unknown_place"),
        (with(&|v| v["diagnostico"] = json!(9)), "unknown_diagnostico"),
        (with(&|v| v["compromisos"][0]["compromiso_id"] = json!(Uuid::new_v4())), "unknown_compromiso"),
        (
            with(&|v| v["medidas"] = json!([{ "id": Uuid::new_v4(), "responsable": "nadie", "que": "Algo", "fecha_limite": FUTURE }])),
            "unknown_institution",
        ),
        (with(&|v| v["medidas"] = json!([{ "id": k, "responsable": "essmar", "que": "Algo", "fecha_limite": FUTURE }])), "bad_medidas"),
        (
            with(&|v| v["medidas"] = json!([{ "id": Uuid::new_v4(), "responsable": "essmar", "que": "Algo", "fecha_limite": "" }])),
            "medida_incompleta",
        ),
        (with(&|v| v["recorrido"][0]["sigue"] = json!("quizas")), "invalid_json"),
        (with(&|v| v["fecha"] = json!("mañana")), "bad_date"),
    ];
    for (body, want) in bad {
        let (status, answer) = post(&app, "/miniauditorias", &body).await;
        assert!(status == 422 || (status == 400 && want == "invalid_json"), "{status} {body}: {answer}");
        if want != "invalid_json" {
            assert_eq!(code(&answer), Some(want), "{answer}");
        }
        assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Measures join a signed pacto's follow-up: a barrio without one cannot agree them.
    let mut sin_pacto = mini(Uuid::new_v4(), other, 1, &their_hotspot, k);
    sin_pacto["compromisos"] = json!([]);
    sin_pacto["medidas"] = json!([{ "id": Uuid::new_v4(), "responsable": "essmar", "que": "Algo", "fecha_limite": FUTURE }]);
    assert_eq!(code(&post(&app, "/miniauditorias", &sin_pacto).await.1), Some("no_pacto"));
    assert_eq!(count(&app, "miniauditoria_versions"), before, "nothing kept");

    // Closing: the status found is appended to the compromiso's history and the measure
    // becomes a compromiso in the follow-up — once, however often the tablet sends it.
    let estados_before = count(&app, "compromiso_estados");
    let medida = Uuid::new_v4();
    let mut closed = mini(id, barrio, 2, &hotspot, k);
    closed["cerrada"] = json!(true);
    closed["medidas"] = json!([{ "id": medida, "responsable": "policia", "que": "Ronda a la salida del colegio", "fecha_limite": FUTURE, "hotspot_id": hotspot }]);
    closed["compromisos"] = json!([
        { "compromiso_id": k, "estado": "cumplido", "evidencia": "Seis luminarias nuevas" },
        { "compromiso_id": later, "estado": "pendiente", "evidencia": "" }
    ]);
    assert_eq!(post(&app, "/miniauditorias", &closed).await.0, 201);
    assert_eq!(post(&app, "/miniauditorias", &closed).await.0, 200);
    assert_eq!(count(&app, "compromiso_estados"), estados_before + 1, "one status changed, once");
    let (_, board) = app.get_json("/seguimiento").await;
    let lineas = board["lineas"].as_array().expect("lines");
    let linea = |cid: Uuid| lineas.iter().find(|l| l["compromiso"]["id"] == cid.to_string()).cloned().expect("in the follow-up");
    assert_eq!(linea(k)["estado"], "cumplido");
    assert_eq!(linea(later)["estado"], "pendiente");
    let nueva = linea(medida);
    assert_eq!((nueva["estado"].as_str(), nueva["compromiso"]["responsable"].as_str()), (Some("pendiente"), Some("policia")));
    assert_eq!(nueva["compromiso"]["indicador"], "Medida inmediata de la miniauditoría del 04/05/2027");
    let history: String = db(&app)
        .query_row("SELECT evidencia FROM compromiso_estados WHERE compromiso_id = ?1", [k.to_string()], |r| r.get(0))
        .expect("the change");
    assert_eq!(history, "Miniauditoría del 04/05/2027: Seis luminarias nuevas");
    // A closed miniauditoría takes no other version.
    let mut after = closed.clone();
    after["version"] = json!(3);
    after["cerrada"] = json!(false);
    assert_eq!(code(&post(&app, "/miniauditorias", &after).await.1), Some("closed"));

    // The informe: the walk, each compromiso as found and now, the measure apart.
    let (status, informe) = app.get_json(&format!("/miniauditorias/{id}/informe")).await;
    assert_eq!(status, 200, "{informe}");
    assert_eq!(informe["miniauditoria"]["version"], 2);
    assert_eq!(informe["compromisos"][0]["id"], k.to_string());
    assert_eq!(
        (informe["compromisos"][0]["revisado"].as_str(), informe["compromisos"][0]["ahora"].as_str()),
        (Some("cumplido"), Some("cumplido"))
    );
    assert!(informe["compromisos"].as_array().expect("compromisos").iter().all(|c| c["id"] != medida.to_string()));
    assert!(!informe["hotspots"].as_array().expect("then").is_empty());

    // A facilitator of the barrio begins their own; not another's; elsewhere, nothing.
    let facilitator = signed_in(&app.url, "facilita").await;
    let own = Uuid::new_v4();
    let (status, body) = call(&app, &facilitator, "post", "/miniauditorias", Some(&mini(own, barrio, 1, &hotspot, k))).await;
    assert_eq!(status, 201, "{body}");
    let mut staff_one = mini(Uuid::new_v4(), barrio, 1, &hotspot, k);
    assert_eq!(post(&app, "/miniauditorias", &staff_one).await.0, 201);
    staff_one["version"] = json!(2);
    assert_eq!(code(&call(&app, &facilitator, "post", "/miniauditorias", Some(&staff_one)).await.1), Some("not_yours"));
    let staff_bq = signed_in(&app.url, "equipo_bq").await;
    assert_eq!(call(&app, &staff_bq, "get", &format!("/miniauditorias/{id}/informe"), None).await.0, 403);
    assert_eq!(call(&app, &reqwest::Client::new(), "get", &format!("/barrios/{barrio}/miniauditorias"), None).await.0, 401);

    // The list has each one's latest version; a withdrawal is a version too.
    let mut withdrawn = mini(own, barrio, 2, &hotspot, k);
    withdrawn["deleted"] = json!(true);
    assert_eq!(call(&app, &facilitator, "post", "/miniauditorias", Some(&withdrawn)).await.0, 201);
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/miniauditorias")).await;
    let list = list.as_array().expect("miniauditorías");
    assert_eq!(list.len(), 3);
    assert!(list.iter().any(|m| m["id"] == own.to_string() && m["deleted"] == true));
    assert!(list.iter().any(|m| m["id"] == id.to_string() && m["cerrada"] == true));
    let (_, log) = app.get_json("/admin/audit").await;
    assert!(log.as_array().expect("log").iter().any(|e| e["action"] == "miniauditoria_write"));

    refused(
        &app,
        &[
            ("UPDATE miniauditoria_versions SET body = '{}'", "immutable"),
            ("DELETE FROM miniauditoria_versions", "kept"),
            (
                "INSERT INTO miniauditoria_versions SELECT id, version + 1, barrio_id, diagnostico, fecha, 0, 0, body, author_user_id, author, received_at_ms \
                 FROM miniauditoria_versions WHERE cerrada = 1",
                "final",
            ),
        ],
    );
}
