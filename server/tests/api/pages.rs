//! Server-rendered pages and the health check.

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_check_is_ok() {
    let app = spawn_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn the_home_page_lists_the_barrios_in_spanish() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="es-CO""#));
    assert!(html.contains("Buscar barrio"));
    assert!(html.contains("Pescaíto"), "the reviewed name, with its accent");
    assert!(html.contains("Cañaveral") && html.contains("Centro Histórico"));
    assert!(!html.contains('├'), "no name garbled by the source's code page");
    assert!(html.contains(r#"href="/acerca-de-los-datos""#), "the credits are one tap away");
    assert!(html.contains(r#"href="/pkg/cartobarrio.js""#), "hydration scripts are included");
}

#[tokio::test]
async fn a_barrio_page_renders_its_boundary_and_palette() {
    let app = spawn_app().await;
    let id = app.barrio_id("bastidas").await;
    let html = app.get(&format!("/barrio/{id}")).await.text().await.unwrap();
    assert!(html.contains(r#"class="barrio-boundary""#));
    assert!(html.contains("Bastidas"));
    for label in ["Hurto a personas", "Riñas", "Expendio de drogas", "Alumbrado deficiente", "Lote baldío"] {
        assert!(html.contains(label), "{label}");
    }
}

#[tokio::test]
async fn the_participants_map_speaks_spanish_and_leaves_the_credits_to_their_page() {
    let app = spawn_app().await;
    let id = app.barrio_id("pescaito").await;
    let html = app.get(&format!("/barrio/{id}")).await.text().await.unwrap();
    assert!(html.contains(r#"title="Hurto a personas · Delitos""#), "Spanish tooltips on the category buttons");
    for english in ["Street robbery", "Burglary", "Fights", "Drug dealing"] {
        assert!(!html.contains(&format!(r#"title="{english}""#)), "{english}");
    }
    // The barrio's data travels to the browser in a script for hydration; what counts is what
    // the page shows.
    let shown = without_scripts(&html);
    assert!(!shown.contains("riskmapogricc") && !shown.contains("Zluifer"), "no repository's name on the participant's map");
    assert!(html.contains(&format!(r#"href="/acerca-de-los-datos?barrio={id}""#)));

    let about = app.get("/acerca-de-los-datos").await;
    assert_eq!(about.status(), 200);
    let about = about.text().await.unwrap();
    assert!(about.contains("Acerca de los datos"));
    assert!(about.contains("Zluifer21/riskmapogricc"), "the source is credited there");
    assert!(about.contains("no declara una licencia"));
}

#[tokio::test]
async fn an_unknown_barrio_page_says_so() {
    let app = spawn_app().await;
    let html = app.get("/barrio/999999").await.text().await.unwrap();
    assert!(html.contains("Ese barrio no existe"));
}

#[tokio::test]
async fn an_unknown_address_is_a_404_page() {
    let app = spawn_app().await;
    let res = app.get("/no/existe").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("No encontramos esta página"));
}

#[tokio::test]
async fn the_service_worker_is_served_fresh_with_its_precache_list() {
    let app = spawn_app().await;
    let res = app.get("/sw.js").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"const PRECACHE = ["/","/talleres","/unirse","/envios","/acerca-de-los-datos","/manifest.webmanifest""#), "{}", &body[..400]);
    assert!(!body.contains("__VERSION__"));
}

#[tokio::test]
async fn pages_link_the_manifest_and_say_which_version_rendered_them() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.headers().contains_key("x-cartobarrio-version"));
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    assert!(html.contains(r#"<script src="/sw-register.js" defer>"#));
}

/// The HTML without its `<script>` elements.
fn without_scripts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("</script>").map_or("", |end| &rest[start + end + "</script>".len()..]);
    }
    out.push_str(rest);
    out
}
