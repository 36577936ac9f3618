//! `/diagnostico/:id/informe/:n`: version `n` of a barrio's diagnóstico as a document the
//! Secretaría signs and files (A4 or Letter). Loaded from the API in the browser, like the
//! staff page: the server renders only the empty shell, never the reports' contents.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::account::StaffOnly;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::report_sections::{CausesSection, HotspotTable, MethodNote, Signatures, SolutionsSection, Summary};
use crate::map::hotspot_legend::HotspotLegend;
use crate::map::hotspots::HotspotMap;
use crate::model::report::{date_es, moment_es, PROCEDURE_CODE};
use crate::model::media::MediaItem;
use crate::model::photo_annex::{annex_photos, AnnexPhoto};
use crate::model::review::StoredDiagnostico;
use crate::model::{Barrio, BaseLayers, Cause};

/// Everything the report shows, fetched once.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    pub barrio: Barrio,
    pub stored: StoredDiagnostico,
    /// The barrio's causes (current versions), for their words.
    pub causes: Vec<Cause>,
    /// The base layers, when the pack could be had; the map is drawn without them otherwise.
    pub layers: Option<Arc<BaseLayers>>,
    /// The barrio's photos and notes; those staff chose make the photographic annex.
    pub media: Vec<MediaItem>,
}

#[component]
pub fn ReportPage() -> impl IntoView {
    view! {
        <StaffOnly what="El informe del diagnóstico es de uso interno del equipo de la Secretaría.">
            <ReportPanels/>
        </StaffOnly>
    }
}

#[component]
fn ReportPanels() -> impl IntoView {
    let params = use_params_map();
    let ids = move || params.with(|p| Some((p.get("id")?.parse::<i64>().ok()?, p.get("n")?.parse::<u32>().ok()?)));
    let data = RwSignal::new(None::<ReportData>);
    let error = RwSignal::new(None::<String>);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| match ids() {
        Some((id, n)) => leptos::task::spawn_local(async move {
            match report_api::load(id, n).await {
                Ok(loaded) => {
                    data.set(Some(loaded));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        }),
        None => error.set(Some("La dirección del informe no es válida.".into())),
    });

    let back = move || ids().map(|(id, _)| format!("/diagnostico/{id}")).unwrap_or_else(|| "/equipo".into());
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().print();
        }
    };
    let title = move || {
        data.with(|d| d.as_ref().map(|d| format!("Informe v{} · {}", d.stored.number, d.barrio.summary.name)))
            .unwrap_or_else(|| "Informe".into())
    };
    view! {
        <Title text=title/>
        <div class="report-page">
            <nav class="report-actions" aria-label="Acciones del informe">
                <a class="button small quiet" href=back>"← Volver al diagnóstico"</a>
                <button type="button" class="button primary" on:click=print data-testid="print">"Imprimir o guardar en PDF"</button>
            </nav>
            {move || error.get().map(|e| view! { <p class="error report-error" role="alert">{e}</p> })}
            {move || match data.get() {
                Some(d) => view! { <ReportDocument data=d/> }.into_any(),
                None if error.with(Option::is_none) => view! { <p class="report-loading">"Cargando el informe…"</p> }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}

/// The document itself: letterhead, sections, signatures.
#[component]
fn ReportDocument(data: ReportData) -> impl IntoView {
    let ReportData { barrio, stored, causes, layers, media } = data;
    let d = stored.diagnostico.clone();
    let photos = annex_photos(&d, &media);
    let name = barrio.summary.name.clone();
    let comuna = barrio.summary.comuna.clone().filter(|c| !c.trim().is_empty());
    let hotspots = d.hotspots.clone();
    let for_map = hotspots.clone();
    let map_hotspots = Signal::derive(move || for_map.clone());
    let layers = Signal::derive(move || layers.clone());
    let selected = RwSignal::new(None::<uuid::Uuid>);
    let radius = format!("{} m", trim_number(d.params.point_radius_m));
    let generated = moment_es(stored.created_at_ms);
    view! {
        <article class="report" data-testid="report" data-barrio-id=barrio.summary.id.to_string() data-version=stored.number.to_string()>
            <header class="report-head">
                <div class="report-letterhead">
                    <div class="report-issuer">
                        <p class="report-issuer-line">"Alcaldía Distrital de Santa Marta · Secretaría de Seguridad y Convivencia"</p>
                        <p class="report-process">"Gestión de la seguridad y convivencia · Intervención en seguridad y convivencia territorial — coproducción de seguridad"</p>
                    </div>
                    <dl class="report-code">
                        <div><dt>"Código"</dt><dd>{PROCEDURE_CODE}</dd></div>
                        <div><dt>"Versión del diagnóstico"</dt><dd data-testid="report-version">{stored.number}</dd></div>
                        <div><dt>"Fecha"</dt><dd>{date_es(stored.created_at_ms)}</dd></div>
                    </dl>
                </div>
                <h1 data-testid="report-title">{format!("Diagnóstico temprano — Barrio {name}")}</h1>
                <p class="report-subtitle">
                    {comuna.map(|c| format!("Comuna {c} · ")).unwrap_or_default()}
                    "Cartografía social para la seguridad (procedimiento " {PROCEDURE_CODE} ", actividades 3 y 4)"
                </p>
                <dl class="report-facts">
                    <div><dt>"Generado"</dt><dd>{generated}" por "{stored.created_by.clone()}</dd></div>
                    <div><dt>"Distancia de unión"</dt><dd data-testid="report-radius">{radius.clone()}</dd></div>
                    <div><dt>"Versión"</dt><dd>{format!("{} (inmutable)", stored.number)}</dd></div>
                </dl>
            </header>

            <Summary diagnostico=d.clone()/>

            <section class="report-section report-map-section">
                <h2>"2. Mapa de puntos críticos"</h2>
                <HotspotMap barrio=barrio.clone() hotspots=map_hotspots selected interactive=false layers=layers/>
                <HotspotLegend hotspots=map_hotspots/>
            </section>

            <HotspotTable diagnostico=d.clone()/>
            <CausesSection diagnostico=d.clone() causes=causes.clone()/>
            <SolutionsSection diagnostico=d.clone() causes=causes/>
            <MethodNote params=d.params/>

            <section class="report-section report-confidential" data-testid="confidential">
                <h2>"Confidencialidad"</h2>
                <p><strong>"Documento de uso interno: contiene la ubicación de reportes sensibles; no publicar sin editar por seguridad."</strong></p>
                <p>"Las personas participantes aparecen solo como conteos: el informe no incluye sus alias ni otros datos que las identifiquen. Los puntos marcados con candado son sensibles."</p>
            </section>

            <Signatures/>

            {(!photos.is_empty()).then(|| view! { <PhotoAnnex photos=photos/> })}

            <footer class="report-foot">
                {format!("Cartobarrio · Diagnóstico temprano de {name}, versión {}, generado el {} · {PROCEDURE_CODE}", stored.number, moment_es(stored.created_at_ms))}
            </footer>
        </article>
    }
}

/// "Anexo. Archivo fotográfico": the photos staff chose, each on its own line with what it
/// shows and when, never who took it. Each starts a new print row, whole.
#[component]
fn PhotoAnnex(photos: Vec<AnnexPhoto>) -> impl IntoView {
    view! {
        <section class="report-section report-annex" data-testid="photo-annex">
            <h2>"Anexo. Archivo fotográfico"</h2>
            <p class="report-note">"Fotos tomadas por participantes durante la cartografía social, elegidas por el equipo de la Secretaría. Uso interno, como el resto del informe."</p>
            <div class="annex-photos">
                {photos.into_iter().enumerate().map(|(i, p)| view! {
                    <figure class="annex-photo" data-testid="annex-photo" data-category=p.category.clone()>
                        <img src=p.url alt=format!("Foto {}: {}", i + 1, p.category_es)/>
                        <figcaption>{format!("Foto {} · {} · {}", i + 1, p.category_es, p.date_es)}</figcaption>
                    </figure>
                }).collect_view()}
            </div>
        </section>
    }
}

/// "50", "12.5": a number of metres without needless decimals.
pub fn trim_number(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s).replace('.', ",")
}

#[cfg(feature = "hydrate")]
mod report_api {
    //! The report's calls to the API.
    use super::ReportData;
    use crate::model::review::StoredDiagnostico;
    use crate::model::{Barrio, Cause};

    #[derive(serde::Deserialize)]
    struct Tree {
        causes: Vec<Cause>,
    }

    async fn get<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
        let response = gloo_net::http::Request::get(url).send().await.map_err(|_| "Sin conexión con el servidor.".to_string())?;
        if !response.ok() {
            return Err(crate::client::sync::error_message(response).await.unwrap_or_else(|| "El servidor no respondió bien.".into()));
        }
        response.json().await.map_err(|e| e.to_string())
    }

    /// The barrio, version `n` of its diagnóstico, its causes and (if it comes) its pack.
    pub async fn load(barrio_id: i64, n: u32) -> Result<ReportData, String> {
        let barrio: Barrio = get(&format!("/api/v1/barrios/{barrio_id}")).await?;
        let stored: StoredDiagnostico = get(&format!("/api/v1/barrios/{barrio_id}/diagnosticos/{n}")).await?;
        let tree: Tree = get(&format!("/api/v1/barrios/{barrio_id}/tree")).await?;
        // The base layers are a nicety: the report stands without them.
        let layers = crate::client::packs::base_layers(barrio_id).await;
        let media: crate::model::media::MediaList = get(&format!("/api/v1/barrios/{barrio_id}/media")).await?;
        Ok(ReportData { barrio, stored, causes: tree.causes, layers, media: media.items })
    }
}

#[cfg(test)]
mod tests {
    use super::trim_number;

    #[test]
    fn metres_drop_needless_decimals_and_use_a_comma() {
        assert_eq!(trim_number(50.0), "50");
        assert_eq!(trim_number(12.5), "12,5");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod rendering {
    //! The document rendered on its own, as the browser will render it once the data came:
    //! it names the barrio, ranks what it should, and never prints an alias.
    use super::*;
    use crate::model::diagnostico::{
        hotspot_id, AffectedProfile, DaysProfile, FrequencyProfile, GeometryKind, Hotspot, InstitutionGroup, RankedCause, RankedSolution,
        SinceProfile, TimeProfile, Totals,
    };
    use crate::model::{BarrioSummary, Diagnostico, MergeParams};
    use uuid::Uuid;

    const ALIAS: &str = "AliasSecreto9";

    fn hotspot(n: u128, category: &str, count: u32, sensitive: bool, geometry: geojson::Value) -> Hotspot {
        let kind = match geometry {
            geojson::Value::LineString(_) => GeometryKind::Route,
            geojson::Value::Polygon(_) => GeometryKind::Zone,
            _ => GeometryKind::Point,
        };
        let sources: Vec<Uuid> = (0..count).map(|i| Uuid::from_u128(n * 100 + u128::from(i))).collect();
        Hotspot {
            id: hotspot_id(&sources),
            barrio_id: 7,
            category: category.into(),
            sensitive,
            geometry_kind: kind,
            geometry: geojson::Geometry::new(geometry),
            count,
            participants: count,
            workshops: 2,
            first_reported_ms: 1_795_316_400_000,
            last_reported_ms: 1_795_316_400_000 + 7 * 86_400_000,
            times: TimeProfile { noche: count, ..Default::default() },
            days: DaysProfile::default(),
            frequency: FrequencyProfile::default(),
            since: SinceProfile::default(),
            affected: AffectedProfile::default(),
            source_ids: sources,
            adjustments: vec![],
        }
    }

    fn fixture() -> ReportData {
        let ring = vec![vec![-74.215, 11.235], vec![-74.205, 11.235], vec![-74.205, 11.245], vec![-74.215, 11.245], vec![-74.215, 11.235]];
        let barrio = Barrio {
            summary: BarrioSummary {
                id: 7,
                code: "ejemplo".into(),
                municipio: "47001".into(),
                name: "El Ejemplo".into(),
                comuna: Some("2".into()),
                area_ha: 80.0,
            },
            boundary: geojson::Geometry::new(geojson::Value::Polygon(vec![ring])),
            source: String::new(),
        };
        let hotspots = vec![
            hotspot(1, "hurto_personas", 9, false, geojson::Value::Point(vec![-74.21, 11.24])),
            hotspot(2, "expendio_sustancias", 1, true, geojson::Value::Point(vec![-74.208, 11.238])),
            hotspot(3, "callejon_oscuro", 3, false, geojson::Value::LineString(vec![vec![-74.213, 11.243], vec![-74.207, 11.243]])),
            hotspot(
                4,
                "punto_basura",
                2,
                false,
                geojson::Value::Polygon(vec![vec![
                    vec![-74.214, 11.236],
                    vec![-74.211, 11.236],
                    vec![-74.211, 11.238],
                    vec![-74.214, 11.238],
                    vec![-74.214, 11.236],
                ]]),
            ),
            hotspot(5, "parque", 1, false, geojson::Value::Point(vec![-74.206, 11.236])),
        ];
        let cause = Cause {
            id: Uuid::from_u128(900),
            barrio_id: 7,
            category: "falta_iluminacion".into(),
            text: "El poste de la esquina lleva meses dañado".into(),
            problem_ids: hotspots[0].source_ids.clone(),
            alias: ALIAS.into(),
            created_at_ms: 1_795_316_400_000,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
            workshop_id: None,
            hlc: None,
        };
        let solution = RankedSolution {
            id: Uuid::from_u128(901),
            text: "Reparar el alumbrado".into(),
            cause_ids: vec![cause.id],
            problems: 9,
            participants: 10,
        };
        let diagnostico = Diagnostico {
            barrio_id: 7,
            engine_version: 1,
            params: MergeParams::default(),
            causes: vec![RankedCause {
                category: cause.category.clone(),
                cause_ids: vec![cause.id],
                problem_ids: cause.problem_ids.clone(),
                problems: 9,
                participants: 10,
            }],
            solutions_by_institution: vec![InstitutionGroup {
                institution: "essmar".into(),
                problems: 9,
                participants: 10,
                solutions: vec![solution],
            }],
            totals: Totals { marks: 16, participants: 12, workshops: 2, hotspots: 5, causes: 1, solutions: 1, skipped_marks: 0 },
            adjustments: vec![],
            hotspots,
        };
        let stored = StoredDiagnostico {
            barrio_id: 7,
            number: 3,
            created_at_ms: 1_795_400_000_000,
            created_by: "Marta (Secretaría)".into(),
            diagnostico,
        };
        let photo = serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(7000), "record": {"kind": "mark", "id": Uuid::from_u128(100)},
            "kind": "photo", "mime": "image/jpeg", "bytes": 1000, "captured_at_ms": 1_795_316_400_000i64,
            "received_at_ms": 1_795_316_400_000i64, "alias": ALIAS, "url": "/api/v1/media/annexed", "in_report": true,
        }))
        .expect("a photo");
        ReportData { barrio, stored, causes: vec![cause], layers: None, media: vec![photo] }
    }

    #[test]
    fn a_re_mapping_says_from_which_day_its_marks_count() {
        let owner = Owner::new();
        let html = owner.with(|| view! { <ReportDocument data=fixture()/> }.to_html());
        assert!(!html.contains("re-mapeo"), "every mark counts");
        let mut data = fixture();
        data.stored.diagnostico.params.desde_ms = crate::model::workshop::colombia_midnight_ms("2027-05-01");
        let html = owner.with(|| view! { <ReportDocument data/> }.to_html());
        assert!(html.contains("es un re-mapeo: solo cuentan las marcas hechas desde el 01/05/2027"), "{html}");
    }

    #[test]
    fn the_document_names_the_barrio_ranks_the_problems_and_no_alias() {
        let owner = Owner::new();
        let html = owner.with(|| view! { <ReportDocument data=fixture()/> }.to_html());
        assert!(html.contains("Diagnóstico temprano — Barrio El Ejemplo"), "{html}");
        assert!(html.contains("MM-GSC-P-003"));
        assert!(html.contains("«El poste de la esquina lleva meses dañado»"));
        assert!(!html.contains(ALIAS), "an alias in the report");
        assert!(html.contains("Anexo. Archivo fotográfico"));
        assert!(html.contains(r#"src="/api/v1/media/annexed""#), "the chosen photo in the annex");
        assert!(html.contains("Foto 1 · Hurto a personas · "));
        assert_eq!(html.matches("data-hotspot-id").count(), 5 + 5, "five on the map, and a row each in the tables");
        let first = html.find("data-category=\"hurto_personas\" data-count=\"9\"").expect("ranked row");
        let second = html.find("data-category=\"callejon_oscuro\" data-count=\"3\"").expect("ranked row");
        assert!(first < second);
        // A page to look at: `CARTOBARRIO_REPORT_PREVIEW=file.html cargo test -p app --features ssr rendering`.
        if let Ok(path) = std::env::var("CARTOBARRIO_REPORT_PREVIEW") {
            let sprite = view! { <crate::components::icons::IconSprite/> }.to_html();
            let css = concat!(env!("CARGO_MANIFEST_DIR"), "/../style/main.css");
            let page = format!(
                r#"<!DOCTYPE html><html lang="es-CO"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="file://{css}"></head><body>{sprite}<main><div class="report-page">{html}</div></main></body></html>"#
            );
            std::fs::write(path, page).expect("preview written");
        }
    }
}
