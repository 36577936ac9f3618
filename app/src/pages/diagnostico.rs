//! `/equipo` and `/diagnostico/:id`: the staff's view of a barrio's consolidated diagnóstico —
//! generate a new version, see its hotspots with their counts and source marks, reject a mark
//! with a reason, compare with the previous version, and download GeoJSON or CSV. Data comes
//! from the API once the page runs in the browser (staff work online).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::icons::CategoryIcon;
use crate::data;
use crate::model::comparison::{Change, Comparison};
use crate::model::diagnostico::{GeometryKind, Hotspot};
use crate::model::review::{DiagnosticoSummary, MarkReview, ReviewAction, StoredDiagnostico};
use crate::model::{Category, Mark};

/// A moment as a date and time of Santa Marta (UTC−5), e.g. "25/11/2026 10:30".
pub fn when_es(ms: i64) -> String {
    let (date, time) = crate::model::workshop::colombia_date_time(ms);
    let (y, m, d) = (date.get(0..4).unwrap_or(""), date.get(5..7).unwrap_or(""), date.get(8..10).unwrap_or(""));
    format!("{d}/{m}/{y} {time}")
}

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn kind_es(kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Point => "Punto",
        GeometryKind::Route => "Ruta",
        GeometryKind::Zone => "Zona",
    }
}

fn change_es(change: Change) -> &'static str {
    match change {
        Change::Appeared => "Nuevo",
        Change::Grew => "Creció",
        Change::Shrank => "Bajó",
        Change::Same => "Igual",
        Change::Disappeared => "Ya no está",
    }
}

/// The staff's entry: every barrio, to open its diagnóstico.
#[component]
pub fn StaffPage() -> impl IntoView {
    let barrios = Resource::new(|| (), |_| data::list_barrios());
    let query = RwSignal::new(String::new());
    view! {
        <Title text="Equipo · Diagnósticos"/>
        <section class="page staff">
            <h1>"Diagnósticos por barrio"</h1>
            <p class="barrio-meta">"Para el equipo de la Secretaría: consolide las marcas de cada barrio, revíselas y descargue el diagnóstico temprano."</p>
            <label class="field">
                <span>"Buscar barrio"</span>
                <input type="search" name="staff-search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
            <Suspense fallback=|| view! { <p>"Cargando barrios…"</p> }>
                {move || barrios.get().map(|r| match r {
                    Ok(list) => {
                        let q = super::barrio_list::fold(&query.get());
                        view! {
                            <ul class="staff-barrios">
                                {list.into_iter()
                                    .filter(|b| q.is_empty() || super::barrio_list::fold(&b.name).contains(&q))
                                    .map(|b| view! {
                                        <li><a class="staff-barrio" href=format!("/diagnostico/{}", b.id) data-code=b.code.clone()>{b.name.clone()}</a></li>
                                    })
                                    .collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error">{e}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn DiagnosticoPage() -> impl IntoView {
    let params = use_params_map();
    let barrio_id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let barrio = Resource::new(barrio_id, |id| async move {
        match id {
            Some(id) => data::barrio(id).await,
            None => Ok(None),
        }
    });
    let versions = RwSignal::new(Vec::<DiagnosticoSummary>::new());
    let current = RwSignal::new(None::<StoredDiagnostico>);
    let comparison = RwSignal::new(None::<Comparison>);
    let marks = RwSignal::new(Vec::<Mark>::new());
    let reviews = RwSignal::new(Vec::<MarkReview>::new());
    let reviewer = RwSignal::new(String::new());
    let radius = RwSignal::new("50".to_string());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    let load = move |id: i64, number: Option<u32>| {
        leptos::task::spawn_local(async move {
            match staff_api::load(id, number).await {
                Ok(loaded) => {
                    versions.set(loaded.versions);
                    current.set(loaded.current);
                    comparison.set(loaded.comparison);
                    marks.set(loaded.marks);
                    reviews.set(loaded.reviews);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(id) = barrio_id() {
            load(id, None);
        }
    });

    let generate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(id), name) = (barrio_id(), reviewer.get_untracked()) else { return };
        if name.trim().is_empty() {
            error.set(Some("Escriba su nombre: queda registrado quién generó cada versión.".into()));
            return;
        }
        let Ok(radius_m) = radius.get_untracked().trim().replace(',', ".").parse::<f64>() else {
            error.set(Some("La distancia debe ser un número de metros, por ejemplo 50.".into()));
            return;
        };
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match staff_api::generate(id, &name, radius_m).await {
                Ok(number) => load(id, Some(number)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, radius_m);
    };
    let open_version = move |number: u32| {
        #[cfg(feature = "hydrate")]
        if let Some(id) = barrio_id() {
            load(id, Some(number));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = number;
    };
    let review = Callback::new(move |(mark_id, action, reason): (uuid::Uuid, ReviewAction, String)| {
        let name = reviewer.get_untracked();
        if name.trim().is_empty() {
            error.set(Some("Escriba su nombre arriba: queda registrado quién revisó cada marca.".into()));
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match staff_api::review(mark_id, action, &reason, &name).await {
                Ok(r) => {
                    reviews.update(|list| list.push(r));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (mark_id, action, reason);
    });

    let title = move || barrio.get().and_then(|r| r.ok()).flatten().map(|b| b.summary.name).unwrap_or_default();
    view! {
        <Title text=move || format!("Diagnóstico temprano · {}", title())/>
        <section class="page staff diagnostico-page">
            <a class="button small quiet" href="/equipo">"← Barrios"</a>
            <h1>"Diagnóstico temprano — " {title}</h1>
            <form class="generate-form" on:submit=generate data-testid="generate-form">
                <label class="field">
                    <span>"Su nombre (queda registrado)"</span>
                    <input name="reviewer" autocomplete="name" prop:value=reviewer on:input=move |ev| reviewer.set(event_target_value(&ev))/>
                </label>
                <label class="field narrow">
                    <span>"Unir marcas a menos de (m)"</span>
                    <input name="radius" inputmode="decimal" prop:value=radius on:input=move |ev| radius.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Generando…" } else { "Generar nueva versión" }}
                </button>
            </form>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
            <Show when=move || versions.with(Vec::is_empty) && error.get().is_none()>
                <p class="barrio-meta">"Este barrio aún no tiene diagnóstico: genere la primera versión con las marcas recibidas."</p>
            </Show>
            <Show when=move || !versions.with(Vec::is_empty)>
                <h2>"Versiones"</h2>
                <ul class="versions" data-testid="versions">
                    {move || versions.get().into_iter().map(|v| {
                        let number = v.number;
                        let on = move || current.with(|c| c.as_ref().map(|c| c.number) == Some(number));
                        view! {
                            <li>
                                <button type="button" class="version" class:on=on on:click=move |_| open_version(number) data-number=number>
                                    <strong>{format!("Versión {number}")}</strong>
                                    <span>{format!("{} · {} · {} marcas, {} puntos críticos", when_es(v.created_at_ms), v.created_by, v.totals.marks, v.totals.hotspots)}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            {move || current.get().map(|stored| {
                let id = stored.barrio_id;
                let n = stored.number;
                let t = stored.diagnostico.totals;
                view! {
                    <h2>{format!("Versión {n}")}</h2>
                    <p class="totals" data-testid="totals" data-marks=t.marks data-hotspots=t.hotspots>
                        {format!("{} marcas de {} participantes en {} talleres → {} puntos críticos · {} causas · {} soluciones", t.marks, t.participants, t.workshops, t.hotspots, t.causes, t.solutions)}
                    </p>
                    <p class="downloads">
                        <a class="button small" href=format!("/api/v1/barrios/{id}/diagnosticos/{n}/hotspots.csv") download>"Descargar CSV (hoja de cálculo)"</a>
                        <a class="button small" href=format!("/api/v1/barrios/{id}/diagnosticos/{n}/hotspots.geojson") download>"Descargar GeoJSON (QGIS)"</a>
                        <a class="button small" href=format!("/diagnostico/{id}/informe/{n}") data-testid="report-link">"Informe para imprimir"</a>
                    </p>
                    <HotspotTable hotspots=stored.diagnostico.hotspots.clone() marks=marks reviews=reviews review=review/>
                }
            })}
            {move || comparison.get().map(|c| view! { <ComparisonView comparison=c/> })}
        </section>
    }
}

#[component]
fn HotspotTable(
    hotspots: Vec<Hotspot>,
    marks: RwSignal<Vec<Mark>>,
    reviews: RwSignal<Vec<MarkReview>>,
    review: Callback<(uuid::Uuid, ReviewAction, String)>,
) -> impl IntoView {
    view! {
        <h3>"Puntos críticos"</h3>
        <ol class="hotspots" data-testid="hotspots">
            {hotspots.into_iter().map(|h| {
                let category = Category::by_code(&h.category);
                let (code, color, label) = category.map(|c| (c.code, c.color, c.label_es)).unwrap_or(("", "#555", "Otra"));
                let sources = h.source_ids.clone();
                view! {
                    <li class="hotspot" data-category=h.category.clone() data-count=h.count data-participants=h.participants data-workshops=h.workshops>
                        <details>
                            <summary>
                                <CategoryIcon code=code color=color/>
                                <span class="hotspot-title">
                                    <strong>{label}</strong>
                                    {h.sensitive.then(|| view! { <span class="lock" title="Sensible: no publicar el lugar exacto">" 🔒"</span> })}
                                    <span class="barrio-meta">{format!(" · {}", kind_es(h.geometry_kind))}</span>
                                </span>
                                <span class="hotspot-counts">
                                    <span><strong>{h.count}</strong>{plural(h.count, " marca", " marcas")}</span>
                                    <span><strong>{h.participants}</strong>{plural(h.participants, " persona", " personas")}</span>
                                    <span><strong>{h.workshops}</strong>{plural(h.workshops, " taller", " talleres")}</span>
                                </span>
                            </summary>
                            <p class="barrio-meta">{format!("Reportado entre {} y {}", when_es(h.first_reported_ms), when_es(h.last_reported_ms))}</p>
                            <ul class="sources">
                                {sources.into_iter().map(|id| view! { <SourceMark id=id marks=marks reviews=reviews review=review/> }).collect_view()}
                            </ul>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// One mark behind a hotspot, with the staff's decision on it.
#[component]
fn SourceMark(
    id: uuid::Uuid,
    marks: RwSignal<Vec<Mark>>,
    reviews: RwSignal<Vec<MarkReview>>,
    review: Callback<(uuid::Uuid, ReviewAction, String)>,
) -> impl IntoView {
    let mark = move || marks.with(|list| list.iter().find(|m| m.id == id).cloned());
    let decision = move || reviews.with(|list| list.iter().rev().find(|r| r.mark_id == id).cloned());
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    view! {
        <li class="source" data-mark-id=id.to_string() data-rejected=move || if decision().is_some_and(|r| r.action == ReviewAction::Reject) { "true" } else { "false" }>
            <div class="source-text">
                {move || mark().map(|m| {
                    let who = if m.alias.is_empty() { "sin alias".to_string() } else { m.alias.clone() };
                    let said = if m.description.is_empty() { String::new() } else { format!(" — «{}»", m.description) };
                    format!("{} · {}{}", when_es(m.created_at_ms), who, said)
                })}
                {move || decision().filter(|r| r.action == ReviewAction::Reject).map(|r| view! {
                    <span class="warn-text">{format!(" Rechazada por {}: {} (sale de la próxima versión)", r.reviewer, r.reason)}</span>
                })}
            </div>
            {move || if decision().is_some_and(|r| r.action == ReviewAction::Reject) {
                view! {
                    <button type="button" class="button small" on:click=move |_| review.run((id, ReviewAction::Restore, String::new()))>"Restablecer"</button>
                }.into_any()
            } else if rejecting.get() {
                view! {
                    <form class="reject-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        review.run((id, ReviewAction::Reject, reason.get_untracked()));
                        rejecting.set(false);
                    }>
                        <input name="reason" placeholder="Motivo (p. ej. marca repetida)" required prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <button type="submit" class="button small danger">"Confirmar rechazo"</button>
                    </form>
                }.into_any()
            } else {
                view! { <button type="button" class="button small quiet" on:click=move |_| rejecting.set(true)>"Rechazar…"</button> }.into_any()
            }}
        </li>
    }
}

#[component]
fn ComparisonView(comparison: Comparison) -> impl IntoView {
    let changed: Vec<_> = comparison.changes.iter().filter(|c| c.change != Change::Same).cloned().collect();
    let same = comparison.count(Change::Same);
    view! {
        <h3>"Cambios frente a la versión anterior"</h3>
        <p class="barrio-meta">{format!("{} → {} marcas; {} puntos críticos sin cambios.", comparison.before_marks, comparison.after_marks, same)}</p>
        <ul class="changes" data-testid="changes">
            {changed.into_iter().map(|c| {
                let label = Category::by_code(&c.category).map(|k| k.label_es).unwrap_or("Otra");
                view! {
                    <li data-change=format!("{:?}", c.change).to_lowercase()>
                        <strong>{change_es(c.change)}</strong>{format!(": {label} ({} → {} marcas)", c.before_count, c.after_count)}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[cfg(feature = "hydrate")]
mod staff_api {
    //! The staff page's calls to the API.
    use super::*;

    pub struct Loaded {
        pub versions: Vec<DiagnosticoSummary>,
        pub current: Option<StoredDiagnostico>,
        pub comparison: Option<Comparison>,
        pub marks: Vec<Mark>,
        pub reviews: Vec<MarkReview>,
    }

    async fn get<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
        let response = gloo_net::http::Request::get(url).send().await.map_err(|_| "Sin conexión con el servidor.".to_string())?;
        if !response.ok() {
            return Err(crate::client::sync::error_message(response).await.unwrap_or_else(|| "El servidor no respondió bien.".into()));
        }
        response.json().await.map_err(|e| e.to_string())
    }

    async fn post<T: serde::de::DeserializeOwned>(url: &str, body: &serde_json::Value) -> Result<T, String> {
        let request = gloo_net::http::Request::post(url).json(body).map_err(|e| e.to_string())?;
        let response = request.send().await.map_err(|_| "Sin conexión con el servidor.".to_string())?;
        if !response.ok() {
            return Err(crate::client::sync::error_message(response).await.unwrap_or_else(|| "El servidor no respondió bien.".into()));
        }
        response.json().await.map_err(|e| e.to_string())
    }

    /// The versions, one of them (`number`, else the newest) compared with the one before,
    /// the barrio's marks and the review decisions.
    pub async fn load(barrio_id: i64, number: Option<u32>) -> Result<Loaded, String> {
        let versions: Vec<DiagnosticoSummary> = get(&format!("/api/v1/barrios/{barrio_id}/diagnosticos")).await?;
        let chosen = number.or_else(|| versions.first().map(|v| v.number));
        let current: Option<StoredDiagnostico> = match chosen {
            Some(n) => Some(get(&format!("/api/v1/barrios/{barrio_id}/diagnosticos/{n}")).await?),
            None => None,
        };
        let comparison = match chosen {
            Some(n) if n > 1 => Some(get(&format!("/api/v1/barrios/{barrio_id}/diagnosticos/{}/compare/{n}", n - 1)).await?),
            _ => None,
        };
        let collection: serde_json::Value = get(&format!("/api/v1/barrios/{barrio_id}/marks")).await?;
        let marks = collection["features"]
            .as_array()
            .map(|features| features.iter().filter_map(|f| Mark::from_feature_value(f.clone()).ok()).collect())
            .unwrap_or_default();
        let reviews = get(&format!("/api/v1/barrios/{barrio_id}/reviews")).await?;
        Ok(Loaded { versions, current, comparison, marks, reviews })
    }

    pub async fn generate(barrio_id: i64, name: &str, radius_m: f64) -> Result<u32, String> {
        let body = serde_json::json!({ "created_by": name, "params": { "point_radius_m": radius_m } });
        let stored: StoredDiagnostico = post(&format!("/api/v1/barrios/{barrio_id}/diagnosticos"), &body).await?;
        Ok(stored.number)
    }

    pub async fn review(mark_id: uuid::Uuid, action: ReviewAction, reason: &str, name: &str) -> Result<MarkReview, String> {
        let body = serde_json::json!({ "action": action, "reason": reason, "reviewer": name });
        post(&format!("/api/v1/marks/{mark_id}/reviews"), &body).await
    }
}
