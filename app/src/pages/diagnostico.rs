//! `/diagnostico/:id`: the staff's view of a barrio's consolidated diagnóstico — generate a
//! new version, filter and open its hotspots, correct them (reject a mark, join, separate,
//! annotate), compare with the previous version, and download it. Data comes from the API
//! once the page runs in the browser (staff work online).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::components::account::{use_session, StaffOnly};
use crate::components::corrections::CorrectionsPanel;
use crate::components::hotspot_filters::HotspotFilters;
use crate::components::hotspot_review::{HotspotList, ReviewState, StaffAction};
use crate::data;
use crate::map::hotspot_legend::HotspotLegend;
use crate::map::hotspots::HotspotMap;
use crate::model::adjustment::{Adjustment, HotspotNote};
use crate::model::comparison::{Change, Comparison};
use crate::model::hotspot_filter::HotspotFilter;
use crate::model::review::{DiagnosticoSummary, MarkReview, StoredDiagnostico};
use crate::model::words::{count_es, plural_es};
use crate::model::{BaseLayers, Category, Mark, Workshop};

pub use crate::model::workshop::when_es;

fn change_es(change: Change) -> &'static str {
    match change {
        Change::Appeared => "Nuevo",
        Change::Grew => "Creció",
        Change::Shrank => "Bajó",
        Change::Same => "Igual",
        Change::Joined => "Se unió a otro",
        Change::Disappeared => "Ya no está",
    }
}

#[component]
pub fn DiagnosticoPage() -> impl IntoView {
    view! {
        <StaffOnly what="El diagnóstico de un barrio, con sus marcas y alias, es para el equipo de la Secretaría.">
            <DiagnosticoPanels/>
        </StaffOnly>
    }
}

#[component]
fn DiagnosticoPanels() -> impl IntoView {
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
    let adjustments = RwSignal::new(Vec::<Adjustment>::new());
    let notes = RwSignal::new(Vec::<HotspotNote>::new());
    let workshops = RwSignal::new(Vec::<Workshop>::new());
    let layers = RwSignal::new(None::<Arc<BaseLayers>>);
    let filter = RwSignal::new(HotspotFilter::default());
    let selected = RwSignal::new(None::<uuid::Uuid>);
    let chosen = RwSignal::new(BTreeSet::<uuid::Uuid>::new());
    // Who acts is the signed-in account: the server writes its name on every change.
    let session = use_session();
    let reviewer = Signal::derive(move || session.user().map(|u| u.display_name).unwrap_or_default());
    let radius = RwSignal::new("50".to_string());
    // A re-mapping: only the marks since this day (empty: every mark).
    let desde = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let hotspots = Memo::new(move |_| current.with(|c| c.as_ref().map(|c| c.diagnostico.hotspots.clone()).unwrap_or_default()));
    let marks_by_id = Memo::new(move |_| marks.with(|list| list.iter().map(|m| (m.id, m.clone())).collect::<HashMap<_, _>>()));
    let shown = Signal::derive(move || filter.with(|f| marks_by_id.with(|m| hotspots.with(|h| f.apply(h, m)))));
    let applied = Signal::derive(move || current.with(|c| c.as_ref().map(|c| c.diagnostico.adjustments.clone()).unwrap_or_default()));

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
                    adjustments.set(loaded.adjustments);
                    notes.set(loaded.notes);
                    workshops.set(loaded.workshops);
                    chosen.set(BTreeSet::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // The barrio's photos and voice notes, for each hotspot's gallery.
    let media = RwSignal::new(Vec::<crate::model::media::MediaItem>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(id) = barrio_id() {
            leptos::task::spawn_local(async move {
                if let Ok(list) = crate::client::session::get_json::<crate::model::media::MediaList>(&format!("/api/v1/barrios/{id}/media")).await {
                    media.set(list.items);
                }
            });
            load(id, None);
            leptos::task::spawn_local(async move { layers.set(crate::client::packs::base_layers(id).await) });
        }
    });
    // A hotspot chosen on the map is brought into view in the list.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(id) = selected.get() {
            crate::client::dom::scroll_into_view(&format!("hotspot-{id}"));
        }
    });

    let generate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = barrio_id() else { return };
        let Ok(radius_m) = radius.get_untracked().trim().replace(',', ".").parse::<f64>() else {
            error.set(Some("La distancia debe ser un número de metros, por ejemplo 50.".into()));
            return;
        };
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match staff_api::generate(id, radius_m, desde.get_untracked()).await {
                Ok(number) => {
                    notice.set(None);
                    load(id, Some(number));
                }
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
    let act = Callback::new(move |action: StaffAction| {
        let Some(barrio) = barrio_id() else { return };
        let number = current.with_untracked(|c| c.as_ref().map(|c| c.number));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let done = staff_api::act(barrio, number, action).await;
            match done {
                Ok(staff_api::Done::Review(r)) => reviews.update(|list| list.push(r)),
                Ok(staff_api::Done::Adjustment(a)) => {
                    adjustments.update(|list| match list.iter_mut().find(|x| x.seq == a.seq) {
                        Some(x) => *x = a,
                        None => list.push(a),
                    });
                    chosen.set(BTreeSet::new());
                    notice.set(Some("Corrección guardada: se aplica al generar la próxima versión.".into()));
                }
                Ok(staff_api::Done::Note(n)) => notes.update(|list| list.push(n)),
                Ok(staff_api::Done::Media(item)) => media.update(|list| {
                    if let Some(m) = list.iter_mut().find(|m| m.id == item.id) {
                        *m = item;
                    }
                }),
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            }
            error.set(None);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (barrio, number, action);
    });
    provide_context(ReviewState { hotspots, marks: marks_by_id, reviews, adjustments, notes, selected, chosen, act, media });

    // The name comes through a signal set once the barrio has loaded: a text read straight
    // from the resource while hydrating never updated on a page opened by its address. Never
    // empty, so the server's HTML has a text node for hydration to find.
    let name = RwSignal::new("…".to_string());
    Effect::new(move |_| {
        if let Some(b) = barrio.get().and_then(|r| r.ok()).flatten() {
            name.set(b.summary.name);
        }
    });
    let title = move || name.get();
    view! {
        <Title text=move || format!("Diagnóstico temprano · {}", title())/>
        <section class="page staff diagnostico-page">
            <a class="button small quiet" href="/equipo">"← Barrios"</a>
            <h1>"Diagnóstico temprano — " {title}</h1>
            <form class="generate-form" on:submit=generate data-testid="generate-form">
                <p class="field">
                    <span>"Queda registrado como"</span>
                    <strong data-testid="reviewer-name">{move || reviewer.get()}</strong>
                </p>
                <label class="field narrow">
                    <span>"Unir marcas a menos de (m)"</span>
                    <input name="radius" inputmode="decimal" prop:value=radius on:input=move |ev| radius.set(event_target_value(&ev))/>
                </label>
                <label class="field narrow">
                    <span>"Re-mapeo: solo marcas desde"</span>
                    <input type="date" name="desde" prop:value=desde on:input=move |ev| desde.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Generando…" } else { "Generar nueva versión" }}
                </button>
            </form>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
            <Show when=move || notice.get().is_some()>
                <p class="notice ok" role="status">{move || notice.get()}</p>
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
                                    <span>{format!("{} · {} · {}, {}", when_es(v.created_at_ms), v.created_by, count_es(v.totals.marks, "marca", "marcas"), count_es(v.totals.hotspots, "punto crítico", "puntos críticos"))}</span>
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
                let remapeo = stored.diagnostico.params.desde_ms.map(|ms| {
                    format!("Re-mapeo: solo las marcas hechas desde el {}", crate::model::workshop::date_es(&crate::model::workshop::colombia_date_time(ms).0))
                });
                view! {
                    <h2>{format!("Versión {n}")}</h2>
                    {remapeo.map(|r| view! { <p class="notice ok" data-testid="remapeo-desde">{r}</p> })}
                    <p class="totals" data-testid="totals" data-marks=t.marks data-hotspots=t.hotspots>
                        {format!(
                            "{} de {} en {} → {} · {} · {}",
                            count_es(t.marks, "marca", "marcas"),
                            count_es(t.participants, "participante", "participantes"),
                            count_es(t.workshops, "taller", "talleres"),
                            count_es(t.hotspots, "punto crítico", "puntos críticos"),
                            count_es(t.causes, "causa", "causas"),
                            count_es(t.solutions, "solución", "soluciones"),
                        )}
                    </p>
                    <p class="downloads">
                        <a class="button small" href=format!("/diagnostico/{id}/informe/{n}") data-testid="report-link">"Informe para imprimir"</a>
                        <a class="button small" href=format!("/diagnostico/{id}/publicar?version={n}") data-testid="publish-link">"Publicar (editado por seguridad)"</a>
                    </p>
                    <Downloads barrio_id=id number=n/>
                }
            })}
            <Show when=move || current.with(Option::is_some)>
                <div class="diagnostico-body with-map">
                    {move || barrio.get().and_then(|r| r.ok()).flatten().map(|b| view! {
                        <div class="diagnostico-map" data-testid="hotspot-map">
                            <HotspotMap barrio=b hotspots=shown selected=selected interactive=true layers=Signal::derive(move || layers.get())/>
                            <HotspotLegend hotspots=shown/>
                        </div>
                    })}
                    <div class="diagnostico-side">
                        <HotspotFilters filter=filter hotspots=hotspots workshops=workshops/>
                        <p class="barrio-meta" data-testid="shown">{move || {
                            let (n, marks) = shown.with(|s| (s.len(), s.iter().map(|h| h.count).sum::<u32>()));
                            let total = hotspots.with(Vec::len);
                            if filter.with(HotspotFilter::is_empty) {
                                format!("{}. Toque uno para ver sus marcas; marque «Unir» en dos o más para unirlos.", count_es(total, "punto crítico", "puntos críticos"))
                            } else {
                                format!("Mostrando {n} de {} ({} {} los filtros).", count_es(total, "punto crítico", "puntos críticos"), count_es(marks, "marca", "marcas"), plural_es(marks, "pasa", "pasan"))
                            }
                        }}</p>
                        <h3>"Puntos críticos"</h3>
                        <HotspotList hotspots=shown/>
                        <CorrectionsPanel applied=applied/>
                    </div>
                </div>
            </Show>
            {move || comparison.get().map(|c| view! { <ComparisonView comparison=c selected/> })}
        </section>
    }
}

/// One file to download: its address under the version, its label and what the test finds
/// it by.
struct DownloadFile {
    file: &'static str,
    label: &'static str,
    testid: &'static str,
}

/// A group of files for one use, with a line on what they hold.
struct DownloadGroup {
    title: &'static str,
    about: &'static str,
    files: &'static [DownloadFile],
}

const DOWNLOAD_GROUPS: [DownloadGroup; 4] = [
    DownloadGroup {
        title: "Puntos críticos",
        about: "Una fila por punto crítico: categoría, cuántas marcas, personas y talleres lo señalan, cuándo pasa y dónde.",
        files: &[
            DownloadFile { file: "hotspots.csv", label: "Descargar CSV (hoja de cálculo)", testid: "download-hotspots-csv" },
            DownloadFile { file: "hotspots.geojson", label: "Descargar GeoJSON (QGIS)", testid: "download-hotspots-geojson" },
        ],
    },
    DownloadGroup {
        title: "Marcas de origen",
        about: "Cada marca como se dibujó, con su alias, sus respuestas y el punto crítico en que quedó.",
        files: &[
            DownloadFile { file: "marks.csv", label: "Descargar CSV de las marcas", testid: "download-marks-csv" },
            DownloadFile { file: "marks.geojson", label: "Descargar GeoJSON de las marcas", testid: "download-marks-geojson" },
        ],
    },
    DownloadGroup {
        title: "Todo en un archivo (SIG)",
        about: "GeoPackage para QGIS o ArcGIS: puntos críticos y marcas, con una capa para puntos, otra para rutas y otra para zonas.",
        files: &[DownloadFile { file: "diagnostico.gpkg", label: "Descargar GeoPackage", testid: "download-gpkg" }],
    },
    DownloadGroup {
        title: "Archivo completo, con fotos",
        about: "Un ZIP para archivar: el GeoPackage, el GeoJSON y la carpeta de fotos y notas de voz; cada marca dice cuáles son las suyas.",
        files: &[DownloadFile { file: "archivo.zip", label: "Descargar ZIP", testid: "download-zip" }],
    },
];

/// The version's files, grouped by what they are for. They carry exact places (and the marks,
/// aliases), so the page says so before anyone shares them.
#[component]
fn Downloads(barrio_id: i64, number: u32) -> impl IntoView {
    view! {
        <section class="download-panel" data-testid="downloads" aria-labelledby="downloads-title">
            <h3 id="downloads-title">{format!("Descargar la versión {number}")}</h3>
            <p class="download-warning">
                <svg viewBox="0 0 24 24" aria-hidden="true"><rect x="5" y="10.5" width="14" height="10" rx="2"/><path d="M8 10.5v-3a4 4 0 0 1 8 0v3"/></svg>
                <span>"Uso interno: estos archivos muestran los sitios exactos, y los de marcas también los alias de quienes participaron. Cada descarga queda en el registro de auditoría con su nombre. Para compartir fuera de la Secretaría, use «Publicar (editado por seguridad)»."</span>
            </p>
            <div class="download-groups">
                {DOWNLOAD_GROUPS.iter().map(|g| view! {
                    <div class="download-group">
                        <div class="download-about">
                            <h4>{g.title}</h4>
                            <p>{g.about}</p>
                        </div>
                        <div class="download-files">
                            {g.files.iter().map(|f| view! {
                                <a class="button small download" href=format!("/api/v1/barrios/{barrio_id}/diagnosticos/{number}/{}", f.file) download data-testid=f.testid>
                                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11M7 10l5 5 5-5M5 20h14"/></svg>
                                    <span>{f.label}</span>
                                </a>
                            }).collect_view()}
                        </div>
                    </div>
                }).collect_view()}
            </div>
        </section>
    }
}

/// "reúne otro punto crítico", "reúne otros 2 puntos críticos".
fn joined_others_es(n: u32) -> String {
    match n {
        0 => String::new(),
        1 => " · reúne otro punto crítico de la versión anterior".into(),
        n => format!(" · reúne otros {n} puntos críticos de la versión anterior"),
    }
}

#[component]
fn ComparisonView(comparison: Comparison, selected: RwSignal<Option<uuid::Uuid>>) -> impl IntoView {
    let changed: Vec<_> = comparison.changes.iter().filter(|c| c.change != Change::Same).cloned().collect();
    let same = comparison.count(Change::Same);
    view! {
        <h3>"Cambios frente a la versión anterior"</h3>
        <p class="barrio-meta">{format!("{} → {}; {} sin cambios.", comparison.before_marks, count_es(comparison.after_marks, "marca", "marcas"), count_es(same, "punto crítico", "puntos críticos"))}</p>
        <ul class="changes" data-testid="changes">
            {changed.into_iter().map(|c| {
                let label = Category::by_code(&c.category).map(|k| k.label_es).unwrap_or("Otra");
                let text = match c.change {
                    // Named by what can be seen of it: its count and a button that opens it.
                    Change::Joined => format!(": {label} ({}) → ahora en el punto crítico de {}", count_es(c.before_count, "marca", "marcas"), count_es(c.after_count, "marca", "marcas")),
                    _ => format!(": {label} ({} → {}){}", c.before_count, count_es(c.after_count, "marca", "marcas"), joined_others_es(c.joined_others)),
                };
                let target = c.after_id.filter(|_| c.change == Change::Joined);
                view! {
                    <li data-change=format!("{:?}", c.change).to_lowercase() data-after-id=c.after_id.map(|id| id.to_string())>
                        <span><strong>{change_es(c.change)}</strong>{text}</span>
                        {target.map(|id| view! {
                            <button type="button" class="button small quiet" on:click=move |_| selected.set(Some(id))>"Ver ese punto crítico"</button>
                        })}
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
        pub adjustments: Vec<Adjustment>,
        pub notes: Vec<HotspotNote>,
        pub workshops: Vec<Workshop>,
    }

    /// What an action stored.
    pub enum Done {
        Review(MarkReview),
        Adjustment(Adjustment),
        Note(HotspotNote),
        Media(crate::model::media::MediaItem),
    }

    use crate::client::session::{get_json as get, post_json as post};

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
        let adjustments = get(&format!("/api/v1/barrios/{barrio_id}/adjustments")).await?;
        let notes = get(&format!("/api/v1/barrios/{barrio_id}/notes")).await?;
        let workshops = get(&format!("/api/v1/workshops?barrio_id={barrio_id}")).await?;
        Ok(Loaded { versions, current, comparison, marks, reviews, adjustments, notes, workshops })
    }

    // Who acts is not sent: the server writes the signed-in account's name on each change.
    /// `desde` (a date, or empty): a re-mapping of the marks since that day.
    pub async fn generate(barrio_id: i64, radius_m: f64, desde: String) -> Result<u32, String> {
        let desde = Some(desde.trim().to_string()).filter(|d| !d.is_empty());
        let body = serde_json::json!({ "params": { "point_radius_m": radius_m }, "desde": desde });
        let stored: StoredDiagnostico = post(&format!("/api/v1/barrios/{barrio_id}/diagnosticos"), &body).await?;
        Ok(stored.number)
    }

    /// Sends a staff action on barrio `barrio`'s diagnóstico number `number`.
    pub async fn act(barrio: i64, number: Option<u32>, action: StaffAction) -> Result<Done, String> {
        use crate::model::adjustment::AdjustmentAction;
        let correct = |action: AdjustmentAction, marks: Vec<uuid::Uuid>, reason: String| serde_json::json!({ "action": action, "mark_ids": marks, "reason": reason });
        match action {
            StaffAction::Review { mark, action, reason } => {
                let body = serde_json::json!({ "action": action, "reason": reason });
                post(&format!("/api/v1/marks/{mark}/reviews"), &body).await.map(Done::Review)
            }
            StaffAction::Join { marks, reason } => {
                post(&format!("/api/v1/barrios/{barrio}/adjustments"), &correct(AdjustmentAction::Join, marks, reason))
                    .await
                    .map(Done::Adjustment)
            }
            StaffAction::Separate { marks, reason } => {
                post(&format!("/api/v1/barrios/{barrio}/adjustments"), &correct(AdjustmentAction::Separate, marks, reason))
                    .await
                    .map(Done::Adjustment)
            }
            StaffAction::Cancel { seq } => {
                let body = serde_json::json!({});
                post(&format!("/api/v1/barrios/{barrio}/adjustments/{seq}/cancel"), &body).await.map(Done::Adjustment)
            }
            StaffAction::Note { hotspot, text } => {
                let Some(number) = number else { return Err("Genere primero una versión.".into()) };
                let body = serde_json::json!({ "diagnostico": number, "hotspot_id": hotspot, "text": text });
                post(&format!("/api/v1/barrios/{barrio}/notes"), &body).await.map(Done::Note)
            }
            StaffAction::Media { id, decision } => {
                crate::client::session::put_json(&format!("/api/v1/media/{id}/decision"), &decision).await.map(Done::Media)
            }
        }
    }
}
