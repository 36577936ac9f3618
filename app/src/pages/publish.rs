//! `/diagnostico/:id/publicar`: staff publish a version of the barrio's diagnóstico "editado
//! por seguridad". They set how coarse the map is and how many people a sensitive problem
//! needs, see exactly what the public page will show, approve texts one by one (editing out a
//! name or an address), publish, and withdraw what should no longer be public.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::public::PublicationView;
use crate::components::account::StaffOnly;
use crate::model::publication::{PublicationDraft, PublicationSummary, TextCandidate};
use crate::model::redaction::RedactionParams;
use crate::model::review::DiagnosticoSummary;
use crate::model::workshop::when_es;
use crate::model::{Barrio, BaseLayers, CauseCategory, Category, Institution};

#[component]
pub fn PublishPage() -> impl IntoView {
    view! {
        <StaffOnly what="Publicar un diagnóstico es trabajo del equipo de la Secretaría.">
            <PublishPanels/>
        </StaffOnly>
    }
}

/// A text offered for approval, with staff's decision and wording.
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    candidate: TextCandidate,
    approved: RwSignal<bool>,
    text: RwSignal<String>,
}

fn about(c: &TextCandidate) -> String {
    use crate::model::publication::TextKind;
    let what = match c.kind {
        TextKind::Mark => Category::by_code(&c.category).map(|k| k.label_es).unwrap_or("Problema"),
        TextKind::Cause => CauseCategory::by_code(&c.category).map(|k| k.label_es).unwrap_or("Causa"),
        TextKind::Solution => Institution::by_code(&c.category).map(|k| k.label_es).unwrap_or("Propuesta"),
    };
    format!("{} · {what}", c.kind.label_es())
}

fn number(raw: &str) -> Option<f64> {
    raw.trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite())
}

#[component]
fn PublishPanels() -> impl IntoView {
    let params = use_params_map();
    let barrio_id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    // The version asked for in the address (from the diagnóstico page), else the newest.
    let query = use_query_map();
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let asked = move || query.with_untracked(|q| q.get("version").and_then(|v| v.parse::<u32>().ok()));
    let barrio = RwSignal::new(None::<Barrio>);
    let layers = RwSignal::new(None::<Arc<BaseLayers>>);
    let versions = RwSignal::new(Vec::<DiagnosticoSummary>::new());
    let published = RwSignal::new(Vec::<PublicationSummary>::new());
    let version = RwSignal::new(None::<u32>);
    let defaults = RedactionParams::default();
    let sensitive_cell = RwSignal::new(defaults.sensitive_cell_m.to_string());
    let k = RwSignal::new(defaults.k.to_string());
    let plain_cell = RwSignal::new(defaults.plain_cell_m.to_string());
    let draft = RwSignal::new(None::<PublicationDraft>);
    let choices = RwSignal::new(Vec::<Choice>::new());
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // The request as the API takes it — the barrio, and the body of a preview or a
    // publication — or `None`, with the reason shown, while a number typed is not one.
    let request = move || -> Option<(i64, serde_json::Value)> {
        let (Some(id), Some(n)) = (barrio_id(), version.get_untracked()) else { return None };
        let params = (|| {
            RedactionParams {
                sensitive_cell_m: number(&sensitive_cell.get_untracked())?,
                k: k.get_untracked().trim().parse().ok()?,
                plain_cell_m: number(&plain_cell.get_untracked())?,
            }
            .checked()
        })();
        let Some(params) = params else {
            error.set(Some("Escriba números: el tamaño de los cuadros en metros (25 a 2000) y el mínimo de personas (2 a 50).".into()));
            return None;
        };
        let texts: Vec<serde_json::Value> = choices.with_untracked(|list| {
            list.iter()
                .filter(|c| c.approved.get_untracked())
                .map(|c| serde_json::json!({ "id": c.candidate.id, "text": c.text.get_untracked() }))
                .collect()
        });
        Some((id, serde_json::json!({ "diagnostico": n, "params": params, "texts": texts })))
    };
    #[cfg(feature = "hydrate")]
    let preview = move || {
        let Some((id, body)) = request() else { return };
        leptos::task::spawn_local(async move {
            match api::post::<PublicationDraft>(&format!("/api/v1/barrios/{id}/publications/preview"), &body).await {
                Ok(d) => {
                    // Keep the decisions already taken on texts still offered.
                    let before: std::collections::BTreeMap<uuid::Uuid, (bool, String)> =
                        choices.with_untracked(|l| l.iter().map(|c| (c.candidate.id, (c.approved.get_untracked(), c.text.get_untracked()))).collect());
                    let next = d
                        .candidates
                        .iter()
                        .map(|c| {
                            let (on, text) = before.get(&c.id).cloned().unwrap_or((false, c.text.clone()));
                            Choice { candidate: c.clone(), approved: RwSignal::new(on), text: RwSignal::new(text) }
                        })
                        .collect();
                    choices.set(next);
                    draft.set(Some(d));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    #[cfg(feature = "hydrate")]
    let reload = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api::get::<Vec<PublicationSummary>>(&format!("/api/v1/barrios/{id}/publications")).await {
                Ok(list) => published.set(list),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(id) = barrio_id() else { return };
        leptos::task::spawn_local(async move {
            match api::get::<Barrio>(&format!("/api/v1/barrios/{id}")).await {
                Ok(b) => barrio.set(Some(b)),
                Err(e) => error.set(Some(e)),
            }
            // A new publication's cells must nest with the earlier ones': start from the newest's.
            if let Ok(list) = api::get::<Vec<PublicationSummary>>(&format!("/api/v1/barrios/{id}/publications")).await {
                if let Some(p) = list.first() {
                    sensitive_cell.set(p.params.sensitive_cell_m.to_string());
                    k.set(p.params.k.to_string());
                    plain_cell.set(p.params.plain_cell_m.to_string());
                }
                published.set(list);
            }
            match api::get::<Vec<DiagnosticoSummary>>(&format!("/api/v1/barrios/{id}/diagnosticos")).await {
                Ok(list) => {
                    let chosen = asked().filter(|n| list.iter().any(|v| v.number == *n)).or_else(|| list.first().map(|v| v.number));
                    versions.set(list);
                    version.set(chosen);
                    preview();
                }
                Err(e) => error.set(Some(e)),
            }
            reload(id);
            layers.set(crate::client::packs::base_layers(id).await);
        });
    });

    let refresh = move |_| {
        notice.set(None);
        #[cfg(feature = "hydrate")]
        preview();
    };
    let publish = move |_| {
        let Some((id, body)) = request() else { return };
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match api::post::<crate::model::publication::Publication>(&format!("/api/v1/barrios/{id}/publications"), &body).await {
                Ok(p) => {
                    error.set(None);
                    notice.set(Some(format!("Publicado (publicación {}): ya está en la página pública del barrio.", p.number)));
                    reload(id);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, body);
    };
    let withdraw = move |number: u32| {
        let Some(id) = barrio_id() else { return };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match api::post::<crate::model::publication::Publication>(&format!("/api/v1/barrios/{id}/publications/{number}/withdraw"), &serde_json::json!({})).await {
                Ok(_) => {
                    notice.set(Some(format!("Publicación {number} retirada: ya no se ve en la página pública.")));
                    reload(id);
                }
                Err(e) => error.set(Some(e)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, number);
    };

    let name = move || barrio.with(|b| b.as_ref().map(|b| b.summary.name.clone()).unwrap_or_else(|| "…".into()));
    view! {
        <Title text=move || format!("Publicar · {}", name())/>
        <section class="page staff publish-page">
            <a class="button small quiet" href=move || format!("/diagnostico/{}", barrio_id().unwrap_or_default())>"← Diagnóstico"</a>
            <h1>"Publicar editado por seguridad — " {name}</h1>
            <p class="lead">"La página pública no lleva alias, ni sitios exactos, ni textos sin su aprobación. Revise la vista previa: es exactamente lo que verá cualquier persona."</p>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
            <Show when=move || notice.get().is_some()>
                <p class="notice ok" role="status" data-testid="publish-notice">
                    {move || notice.get()}" "
                    <a href=move || format!("/publico/{}", barrio_id().unwrap_or_default())>"Ver la página pública"</a>
                </p>
            </Show>
            <Show when=move || versions.with(Vec::is_empty) && error.get().is_none()>
                <p class="muted">"Genere primero una versión del diagnóstico."</p>
            </Show>
            <div class="generate-form publish-form">
                <label class="field">
                    <span>"Versión del diagnóstico"</span>
                    <select data-testid="publish-version" on:change=move |ev| {
                        version.set(event_target_value(&ev).parse().ok());
                        #[cfg(feature = "hydrate")]
                        preview();
                    }>
                        {move || versions.get().into_iter().map(|v| {
                            let n = v.number;
                            view! { <option value=n.to_string() selected=move || version.get() == Some(n)>{format!("Versión {n} · {}", when_es(v.created_at_ms))}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field narrow">
                    <span>"Cuadros de problemas sensibles (m)"</span>
                    <input name="sensitive_cell_m" inputmode="decimal" prop:value=sensitive_cell on:input=move |ev| sensitive_cell.set(event_target_value(&ev))/>
                </label>
                <label class="field narrow">
                    <span>"Mínimo de personas distintas"</span>
                    <input name="k" inputmode="numeric" prop:value=k on:input=move |ev| k.set(event_target_value(&ev))/>
                </label>
                <label class="field narrow">
                    <span>"Cuadros de los demás (m)"</span>
                    <input name="plain_cell_m" inputmode="decimal" prop:value=plain_cell on:input=move |ev| plain_cell.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="button" data-testid="publish-preview" on:click=refresh>"Actualizar vista previa"</button>
            </div>

            {move || (!choices.with(Vec::is_empty)).then(|| view! {
                <h2>"Textos de la comunidad"</h2>
                <p class="muted">"Ninguno se publica sin marcarlo. Antes de aprobar uno, quite nombres, apodos, direcciones o señas de una casa: se publica tal como quede escrito aquí."</p>
                <ul class="text-choices" data-testid="text-choices">
                    {choices.get().into_iter().map(|c| {
                        let approved = c.approved;
                        let text = c.text;
                        let label = about(&c.candidate);
                        view! {
                            <li class="text-choice" class:on=move || approved.get() data-candidate=c.candidate.id.to_string()>
                                <label class="toggle">
                                    <input type="checkbox" prop:checked=move || approved.get() on:change=move |ev| {
                                        approved.set(event_target_checked(&ev));
                                        // The preview shows at once what ticking a text publishes.
                                        #[cfg(feature = "hydrate")]
                                        preview();
                                    }/>
                                    <span>"Publicar este texto"</span>
                                </label>
                                <span class="muted">{label}</span>
                                <textarea rows="2" maxlength="600" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                                    aria-label="Texto a publicar"></textarea>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}

            <p class="form-actions">
                <button type="button" class="button primary" data-testid="publish" on:click=publish
                    disabled=move || busy.get() || version.get().is_none()>
                    {move || if busy.get() { "Publicando…" } else { "Publicar esta versión" }}
                </button>
            </p>

            {move || (!published.with(Vec::is_empty)).then(|| view! {
                <h2>"Publicaciones de este barrio"</h2>
                <ul class="versions" data-testid="publications">
                    {published.get().into_iter().map(|p| {
                        let n = p.number;
                        let state = match p.withdrawn_at_ms {
                            Some(ms) => format!("retirada {}", when_es(ms)),
                            None => "en la página pública".to_string(),
                        };
                        view! {
                            <li class="publication-row" data-number=n data-withdrawn=p.withdrawn_at_ms.is_some().to_string()>
                                <span>
                                    <strong>{format!("Publicación {n}")}</strong>
                                    {format!(
                                        " · versión {} · {} · {} · cuadros de {} m y {} m, mínimo {} personas · {}",
                                        p.diagnostico_number, when_es(p.published_at_ms), state,
                                        p.params.sensitive_cell_m.round(), p.params.plain_cell_m.round(), p.params.k,
                                        crate::model::words::count_es(p.texts, "texto", "textos")
                                    )}
                                </span>
                                {p.withdrawn_at_ms.is_none().then(|| view! {
                                    <button type="button" class="button small" on:click=move |_| withdraw(n) data-testid="withdraw">"Retirar"</button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}

            <h2>"Vista previa de la página pública"</h2>
            {move || match (draft.get(), barrio.get()) {
                (Some(d), Some(b)) => view! {
                    <div class="publish-preview" data-testid="publish-preview-view">
                        <PublicationView publication=d.publication barrio=b layers=Signal::derive(move || layers.get()) downloads=false/>
                    </div>
                }.into_any(),
                _ => view! { <p class="loading">"Preparando la vista previa…"</p> }.into_any(),
            }}
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod api {
    //! The publish page's calls: staff's session, with its anti-forgery token on writes.
    pub use crate::client::session::{get_json as get, post_json as post};
}
