//! `/publico` and `/publico/:id`: what the Secretaría published of each barrio's diagnóstico,
//! "editado por seguridad", for anyone, with no account — the counts as markers at the centres
//! of a grid's cells, on a map that zooms on a phone, the causes and what is asked of each institution, the texts staff approved, the rules of the
//! edition in plain Spanish, and the downloads. `PublicationView` is also the staff preview.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::map::hotspot_legend::{HotspotLegend, LegendMarker};
use crate::map::hotspots::HotspotMap;
use crate::model::media::{fit, PublicPhoto, THUMB_SIDE};
use crate::model::publication::{rules_es, PublicBarrio, Publication, TextKind};
use crate::model::report::date_es;
use crate::model::words::{count_es, plural_es};
use crate::model::{Barrio, BaseLayers, CauseCategory, Category, CategoryGroup, Institution};

/// A JSON answer of the public API; `Ok(None)` when there is nothing (404).
#[cfg(feature = "hydrate")]
pub(crate) async fn fetch<T: serde::de::DeserializeOwned>(url: &str) -> Result<Option<T>, String> {
    let response = gloo_net::http::Request::get(url).send().await.map_err(|_| "Sin conexión con el servidor: vuelva a intentarlo con señal.".to_string())?;
    if response.status() == 404 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(crate::client::session::refusal(response).await);
    }
    response.json().await.map(Some).map_err(|e| e.to_string())
}


#[component]
pub fn PublicListPage() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<PublicBarrio>, String>>);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        list.set(Some(fetch::<Vec<PublicBarrio>>("/api/v1/public/barrios").await.map(Option::unwrap_or_default)));
    });
    view! {
        <Title text="Diagnósticos publicados"/>
        <section class="page public-page">
            <h1>"Diagnósticos de seguridad publicados"</h1>
            <p class="lead">"Lo que las comunidades de Santa Marta señalaron en la cartografía social para la seguridad, publicado por la Secretaría de Seguridad y Convivencia y editado por seguridad: sin nombres y sin sitios exactos."</p>
            {move || match list.get() {
                None => view! { <p class="loading">"Cargando…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(l)) if l.is_empty() => view! { <p class="muted" data-testid="no-publications">"Aún no hay diagnósticos publicados."</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="workshop-list" data-testid="public-barrios">
                        {l.into_iter().map(|b| view! {
                            <li>
                                <a class="workshop-link" href=format!("/publico/{}", b.barrio_id)>
                                    <span class="workshop-what">
                                        <strong>{format!("Barrio {}", b.name)}</strong>
                                        <span class="workshop-meta">
                                            {b.comuna.map(|c| format!("Comuna {c} · ")).unwrap_or_default()}
                                            {format!("publicado el {}", date_es(b.published_at_ms))}
                                        </span>
                                    </span>
                                    <span class="chevron" aria-hidden="true">"›"</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <p class="insc-invite" data-testid="inscripcion-link">
                "¿Su comunidad quiere trabajar con la Secretaría por un barrio más seguro? "
                <a href="/inscripcion">"Inscriba su barrio en la ruta"</a>
            </p>
        </section>
    }
}

#[component]
pub fn PublicBarrioPage() -> impl IntoView {
    let params = use_params_map();
    let barrio_id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    // None: loading; Some(Ok(None)): nothing published.
    let loaded = RwSignal::new(None::<Result<Option<(Publication, Barrio)>, String>>);
    let layers = RwSignal::new(None::<Arc<BaseLayers>>);
    let photos = RwSignal::new(Vec::<PublicPhoto>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(id) = barrio_id() else {
            loaded.set(Some(Ok(None)));
            return;
        };
        leptos::task::spawn_local(async move {
            let result = async {
                let Some(p) = fetch::<Publication>(&format!("/api/v1/public/barrios/{id}")).await? else { return Ok(None) };
                let Some(b) = fetch::<Barrio>(&format!("/api/v1/barrios/{id}")).await? else { return Ok(None) };
                Ok(Some((p, b)))
            }
            .await;
            let published = matches!(result, Ok(Some(_)));
            loaded.set(Some(result));
            // Photos are a nicety of the page: it stands without them.
            if published {
                if let Ok(Some(list)) = fetch::<crate::model::media::PublicPhotos>(&format!("/api/v1/public/barrios/{id}/media")).await {
                    photos.set(list.items);
                }
            }
            layers.set(crate::client::packs::base_layers(id).await);
        });
    });
    let title = move || match loaded.get() {
        Some(Ok(Some((p, _)))) => format!("Diagnóstico publicado · {}", p.barrio_name),
        _ => "Diagnóstico publicado".to_string(),
    };
    view! {
        <Title text=title/>
        <section class="page public-page">
            <a class="button small quiet" href="/publico">"← Diagnósticos publicados"</a>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Cargando…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(None)) => view! {
                    <h1>"Diagnóstico publicado"</h1>
                    <p class="muted" data-testid="not-published">"Este barrio no tiene un diagnóstico publicado."</p>
                }.into_any(),
                Some(Ok(Some((p, b)))) => view! {
                    <PublicationView publication=p barrio=b layers=Signal::derive(move || layers.get()) downloads=true photos/>
                }.into_any(),
            }}
            // Its own request: a barrio may have published compromisos and no diagnóstico, or
            // the other way round. Nothing shows until it answers, on the server too.
            {move || barrio_id().map(|barrio| view! { <super::pacto::CompromisosPublicos barrio/> })}
        </section>
    }
}

/// The photos staff approved one by one for publication: thumbnails that open the photo, and
/// the month each was taken. Nothing else about them (who, which mark, the exact day).
#[component]
fn PublicGallery(photos: RwSignal<Vec<PublicPhoto>>) -> impl IntoView {
    view! {
        {move || {
            let list = photos.get();
            (!list.is_empty()).then(|| view! {
                <section class="public-photos" data-testid="public-photos">
                    <h2>"Fotos del barrio"</h2>
                    <p class="muted">"Fotos tomadas por la comunidad durante la cartografía social. El equipo de la Secretaría revisó cada una antes de publicarla."</p>
                    <ul class="public-photo-grid">
                        {list.into_iter().map(|p| {
                            let month = p.month_es();
                            // The box the thumbnail will fill, so the grid does not jump as they come.
                            let dims = p.width.zip(p.height).map(|(w, h)| fit(w, h, THUMB_SIDE));
                            view! {
                                <li>
                                    <a href=p.url.clone() target="_blank" rel="noopener" data-testid="public-photo">
                                        <img src=p.thumb_url.clone() alt=format!("Foto del barrio, {month}") loading="lazy"
                                            width=dims.map(|d| d.0) height=dims.map(|d| d.1)/>
                                    </a>
                                    <span class="media-facts">{month.clone()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })
        }}
    }
}

/// A publication as the public reads it (and as staff preview it before publishing).
#[component]
pub fn PublicationView(
    publication: Publication,
    barrio: Barrio,
    #[prop(into)] layers: Signal<Option<Arc<BaseLayers>>>,
    /// Links to the files: only for what is published.
    downloads: bool,
    /// The photos staff approved, shown before the rules (the public page; not the preview).
    #[prop(optional)]
    photos: Option<RwSignal<Vec<PublicPhoto>>>,
) -> impl IntoView {
    let p = publication;
    let t = p.totals;
    let hotspots = Signal::stored(p.map_hotspots());
    let selected = RwSignal::new(None::<uuid::Uuid>);
    let id = p.barrio_id;
    let category_rows = p.categories.clone();
    let cause_rows: Vec<_> = p.causes.iter().filter(|c| c.problems > 0).cloned().collect();
    let institutions = p.institutions.clone();
    let texts = p.texts.clone();
    let rules = rules_es(&p.params);
    view! {
        <article class="publication" data-testid="publication" data-barrio-id=id data-number=p.number>
            <p class="tag safety-tag">"Editado por seguridad"</p>
            <h1 data-testid="publication-title">{format!("Diagnóstico de seguridad — Barrio {}", p.barrio_name)}</h1>
            <p class="lead">
                {format!(
                    "Lo que vecinas y vecinos señalaron en la cartografía social para la seguridad, según la versión {} del diagnóstico temprano ({}). Publicado el {}.",
                    p.diagnostico_number, date_es(p.diagnostico_at_ms), date_es(p.published_at_ms)
                )}
            </p>
            <dl class="report-stats" data-testid="public-totals" data-marks=t.marks data-suppressed=t.suppressed_marks>
                <div><dt>"Marcas en el mapa"</dt><dd>{t.marks}</dd></div>
                <div><dt>"Participantes"</dt><dd>{t.participants}</dd></div>
                <div><dt>"Talleres"</dt><dd>{t.workshops}</dd></div>
                <div><dt>"Causas"</dt><dd>{t.causes}</dd></div>
                <div><dt>"Propuestas"</dt><dd>{t.solutions}</dd></div>
            </dl>
            {(t.suppressed_marks > 0).then(|| view! {
                <p class="notice" data-testid="suppressed">
                    {format!(
                        "{} de problemas sensibles no {}: en su zona los señalaron menos de {} personas, y mostrarlas podría poner en riesgo a quien habló.",
                        count_es(t.suppressed_marks, "marca", "marcas"), plural_es(t.suppressed_marks, "aparece", "aparecen"), p.params.k
                    )}
                </p>
            })}
            <h2>"Mapa"</h2>
            <p class="muted" data-testid="public-map-help">{format!(
                "Cada marcador cuenta las marcas de una categoría dentro de un cuadro de {} m de lado ({} m para problemas sensibles), que se ve sombreado al acercar; el número dice cuántas son. El marcador va en el centro del cuadro, no donde se hizo la marca: el sitio exacto no se publica. Para acercar, use dos dedos o los botones + y −.",
                p.params.plain_cell_m.round(), p.params.sensitive_cell_m.round()
            )}</p>
            <div class="diagnostico-map public-map">
                <HotspotMap barrio=barrio hotspots=hotspots selected interactive=false layers=layers zoomable=true/>
                <HotspotLegend hotspots=hotspots cells=true/>
            </div>

            <h2>"Problemas señalados"</h2>
            <div class="table-wrap">
                <table class="report-table" data-testid="public-categories">
                    <thead><tr><th scope="col">"Problema"</th><th class="num" scope="col">"Marcas"</th><th class="num" scope="col">"Personas"</th></tr></thead>
                    <tbody>
                        {category_rows.into_iter().map(|c| {
                            let known = Category::by_code(&c.category);
                            let label = known.map(|k| k.label_es).unwrap_or("Otro problema");
                            let color = known.map(|k| k.color).unwrap_or("#555555");
                            let group = known.map(|k| k.group).unwrap_or(CategoryGroup::Crime);
                            view! {
                                <tr data-category=c.category.clone()>
                                    <td class="report-cat"><span class="cat-cell">
                                        <LegendMarker group color code=c.category.clone()/>
                                        <span>{label}</span>
                                        {c.sensitive.then(|| view! {
                                            <svg class="legend-lock" viewBox="0 0 24 24" role="img" aria-label="sensible"><use_ href="#icon-lock"/></svg>
                                        })}
                                    </span></td>
                                    <td class="num"><strong>{c.marks}</strong></td>
                                    <td class="num">{c.participants}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>

            {(!cause_rows.is_empty()).then(|| view! {
                <h2>"Causas que la comunidad identificó"</h2>
                <ul class="public-list" data-testid="public-causes">
                    {cause_rows.into_iter().map(|c| {
                        let label = CauseCategory::by_code(&c.category).map(|k| k.label_es).unwrap_or("Otra causa");
                        view! { <li><strong>{label}</strong>{format!(" · ligada a {}", count_es(c.problems, "problema", "problemas"))}</li> }
                    }).collect_view()}
                </ul>
            })}
            {(!institutions.is_empty()).then(|| view! {
                <h2>"Lo que la comunidad propone, por institución"</h2>
                <ul class="public-list" data-testid="public-institutions">
                    {institutions.into_iter().map(|g| {
                        let label = Institution::by_code(&g.institution).map(|k| k.label_es).unwrap_or("Otra institución");
                        view! { <li><strong>{label}</strong>{format!(" · {} para {}", count_es(g.solutions, "propuesta", "propuestas"), count_es(g.problems, "problema", "problemas"))}</li> }
                    }).collect_view()}
                </ul>
            })}
            {(!texts.is_empty()).then(|| view! {
                <h2>"Lo que dijo la comunidad"</h2>
                <p class="muted">"Textos revisados y aprobados uno por uno por el equipo de la Secretaría."</p>
                <ul class="public-texts" data-testid="public-texts">
                    {texts.into_iter().map(|x| {
                        let about = match x.kind {
                            TextKind::Mark => Category::by_code(&x.category).map(|k| k.label_es).unwrap_or("Problema"),
                            TextKind::Cause => CauseCategory::by_code(&x.category).map(|k| k.label_es).unwrap_or("Causa"),
                            TextKind::Solution => Institution::by_code(&x.category).map(|k| k.label_es).unwrap_or("Propuesta"),
                        };
                        view! {
                            <li>
                                <span class="muted">{format!("{} · {about}", x.kind.label_es())}</span>
                                <blockquote>{x.text}</blockquote>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}

            {photos.map(|photos| view! { <PublicGallery photos/> })}

            <h2>"Cómo se editó por seguridad"</h2>
            <ul class="public-rules" data-testid="public-rules">
                {rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
            {downloads.then(|| view! {
                <h2>"Descargar"</h2>
                <p class="downloads">
                    <a class="button small" href=format!("/api/v1/public/barrios/{id}/publicacion.csv") download data-testid="public-csv">"CSV (hoja de cálculo)"</a>
                    <a class="button small" href=format!("/api/v1/public/barrios/{id}/publicacion.geojson") download data-testid="public-geojson">"GeoJSON (mapas, QGIS)"</a>
                </p>
            })}
            <p class="attribution">"Alcaldía Distrital de Santa Marta · Secretaría de Seguridad y Convivencia · Cartografía social para la seguridad."</p>
        </article>
    }
}
