//! `/ruta/:id`: one barrio's route — the nine steps of its open ciclo as a timeline, with the
//! dates it reached and left each, the registros each keeps or misses, and (for staff) the
//! forms to keep a registro, move on, go back or close the ciclo. Earlier ciclos stay below.
//! Facilitators read it without the files.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::ruta::PasoBadge;
use crate::components::account::{use_session, RequireRole};
use crate::model::registro::{CicloRuta, PasoEstado, Registro, RutaBarrio};
use crate::model::ruta::{CambioDePaso, Paso, TipoRegistro};
use crate::model::workshop::{colombia_date_time, date_es, when_es};

/// A moment as its Santa Marta day, `DD/MM/YYYY`.
fn day_es(ms: i64) -> String {
    date_es(&colombia_date_time(ms).0)
}

/// A file size as people read it.
pub fn size_es(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)).replace('.', ","),
        b if b >= 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{b} bytes"),
    }
}

/// Where the ciclo stands on a step, as the timeline marks it.
fn state_of(estado: &PasoEstado, current: Paso, open: bool) -> &'static str {
    match (estado.entered_ms, estado.paso == current) {
        (Some(_), true) if open => "current",
        (Some(_), _) => "done",
        (None, _) => "ahead",
    }
}

/// One line of a ciclo's history.
fn change_es(from: Paso, change: &CambioDePaso) -> String {
    let verb = if change.to < from { "Volvió" } else { "Pasó" };
    let mut text = format!("{verb} del paso {} al {} ({}) · {}", from.number(), change.to.number(), change.to.label_es(), change.by);
    if !change.missing.is_empty() {
        let missing: Vec<&str> = change.missing.iter().map(|t| t.label_es()).collect();
        text.push_str(&format!(" · sin {}: «{}»", missing.join(", "), change.reason));
    }
    if !change.comment.is_empty() {
        text.push_str(&format!(" · «{}»", change.comment));
    }
    text
}

#[component]
pub fn RutaBarrioPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="La ruta de un barrio es para el equipo de la Secretaría y quienes facilitan en él.">
            <RutaBarrioPanels/>
        </RequireRole>
    }
}

#[component]
fn RutaBarrioPanels() -> impl IntoView {
    let params = use_params_map();
    let barrio_id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let data = RwSignal::new(None::<Result<RutaBarrio, String>>);
    let session = use_session();
    let staff = Signal::derive(move || session.user().is_some_and(|u| u.role.is_staff()));
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Bumped after every change the page makes, to read the route again.
    let version = RwSignal::new(0u32);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        version.track();
        if let Some(id) = barrio_id() {
            leptos::task::spawn_local(async move { data.set(Some(crate::client::session::get_json(&format!("/api/v1/barrios/{id}/ruta")).await)) });
        }
    });
    let ctx = RutaContext { version, notice, error, busy, staff };
    // The open ciclo and its step, where a signed acta's scan is kept; and the actas whose scan is.
    let open_now = Signal::derive(move || {
        data.with(|d| match d {
            Some(Ok(r)) => r.ciclos.first().filter(|c| c.ciclo.is_open()).map(|c| (c.ciclo.id, c.ciclo.current())),
            _ => None,
        })
    });
    let signed = Signal::derive(move || {
        data.with(|d| match d {
            Some(Ok(r)) => r.ciclos.iter().flat_map(|c| &c.registros).filter(|x| x.counts()).filter_map(|x| x.acta_id).collect(),
            _ => std::collections::HashSet::new(),
        })
    });

    let open_ciclo = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(id) = barrio_id() {
            ctx.run(format!("/api/v1/barrios/{id}/ciclos"), serde_json::json!({}), "Ciclo abierto: el barrio está en el paso 1, identificación.");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = barrio_id;
    };

    view! {
        <Title text="Ruta del barrio"/>
        <section class="page staff ruta-barrio">
            <p class="crumbs"><a href="/ruta">"← La ruta de los barrios"</a></p>
            {move || match data.get() {
                None => view! { <p class="loading">"Cargando la ruta del barrio…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(ruta)) => {
                    let barrio = ruta.barrio_id;
                    let mut ciclos = ruta.ciclos.into_iter();
                    let latest = ciclos.next();
                    let earlier: Vec<CicloRuta> = ciclos.collect();
                    let open = latest.as_ref().is_some_and(|c| c.ciclo.is_open());
                    let walked = latest.is_some();
                    view! {
                        <header class="ruta-head">
                            <h1>{ruta.name.clone()}</h1>
                            {ruta.comuna.clone().filter(|c| !c.trim().is_empty()).map(|c| view! { <p class="barrio-meta">{c}</p> })}
                            <Show when=move || staff.get()>
                                <a class="button small" href=format!("/diagnostico/{barrio}")>"Diagnóstico del barrio"</a>
                            </Show>
                            <a class="button small" href=format!("/ruta/{barrio}/pacto")>"Pactos del barrio"</a>
                        </header>
                        {move || notice.get().map(|n| view! { <p class="notice ok" role="status" data-testid="ruta-notice">{n}</p> })}
                        {move || error.get().map(|e| view! { <p class="notice warn" role="alert" data-testid="ruta-error">{e}</p> })}
                        {match latest.clone() {
                            Some(c) if open => view! { <CicloView ciclo=c barrio ctx/> }.into_any(),
                            _ => view! {
                                <div class="ruta-empty" data-testid="no-open-ciclo">
                                    <p>{if walked { "El último ciclo de este barrio está cerrado." } else { "Este barrio aún no recorre la ruta." }}</p>
                                    <Show when=move || staff.get()>
                                        <button type="button" class="button primary" data-testid="open-ciclo" disabled=move || busy.get() on:click=open_ciclo>
                                            {if walked { "Abrir un nuevo ciclo" } else { "Abrir un ciclo: empezar la ruta" }}
                                        </button>
                                    </Show>
                                </div>
                            }.into_any(),
                        }}
                        {(!open).then(|| latest.clone()).flatten().into_iter().chain(earlier).map(|c| view! { <PastCiclo ciclo=c/> }).collect_view()}
                    }.into_any()
                }
            }}
            // Outside the route's answer: the actas kept on this device show without signal.
            {move || barrio_id().map(|barrio| view! { <super::acta::ActasSection barrio ctx open_ciclo=open_now signed/> })}
            {move || barrio_id().map(|barrio| view! { <super::intervencion::FichasSection barrio/> })}
            {move || barrio_id().map(|barrio| view! { <super::miniauditoria::MiniauditoriasSection barrio/> })}
            {move || barrio_id().map(|barrio| view! { <super::cbsc_panel::CbscPanel barrio staff/> })}
            {move || barrio_id().filter(|_| staff.get()).map(|barrio| view! { <super::remapeo::RemapeoSection barrio/> })}
        </section>
    }
}

/// What every form of the page shares: the page's messages, and reading the route again.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(super) struct RutaContext {
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
    pub(super) busy: RwSignal<bool>,
    pub(super) staff: Signal<bool>,
}

impl RutaContext {
    /// POSTs `body` to `url`; on success says `done` and reads the route again.
    #[cfg(feature = "hydrate")]
    fn run(self, url: String, body: serde_json::Value, done: &'static str) {
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let answer: Result<serde_json::Value, String> = crate::client::session::post_json(&url, &body).await;
            self.finish(answer.map(|_| done.to_string()));
        });
    }

    #[cfg(feature = "hydrate")]
    pub(super) fn finish(self, result: Result<String, String>) {
        self.busy.set(false);
        match result {
            Ok(done) => {
                self.error.set(None);
                self.notice.set(Some(done));
                self.version.update(|v| *v += 1);
            }
            Err(e) => {
                self.notice.set(None);
                self.error.set(Some(e));
            }
        }
    }
}

#[component]
fn CicloView(ciclo: CicloRuta, barrio: i64, ctx: RutaContext) -> impl IntoView {
    let current = ciclo.ciclo.current();
    let opened = format!("Ciclo abierto el {} por {}", day_es(ciclo.ciclo.opened_at_ms), ciclo.ciclo.opened_by);
    let steps = ciclo.pasos.clone();
    let history = history_of(&ciclo);
    view! {
        <div class="ciclo" data-testid="ciclo" data-paso=current.number()>
            <p class="ciclo-head"><PasoBadge paso=Some(current.number())/><small>{opened}</small></p>
            <ol class="ruta-steps" data-testid="ruta-steps">
                {steps.into_iter().map(|estado| {
                    let registros: Vec<Registro> = ciclo.registros.iter().filter(|r| r.paso == estado.paso).cloned().collect();
                    view! { <StepItem estado registros current barrio ciclo=ciclo.clone() ctx/> }
                }).collect_view()}
            </ol>
            <Show when=move || ctx.staff.get()>
                <CloseCiclo ciclo=ciclo.clone() ctx/>
            </Show>
            {(!history.is_empty()).then(|| view! {
                <details class="ruta-history">
                    <summary>"Historial de cambios de paso"</summary>
                    <ul>{history.into_iter().map(|(at, line)| view! { <li><small>{when_es(at)}</small>" "{line}</li> }).collect_view()}</ul>
                </details>
            })}
        </div>
    }
}

fn history_of(ciclo: &CicloRuta) -> Vec<(i64, String)> {
    let mut from = Paso::Identificacion;
    let mut lines = Vec::new();
    for change in &ciclo.ciclo.changes {
        lines.push((change.at_ms, change_es(from, change)));
        from = change.to;
    }
    lines
}

#[component]
fn StepItem(estado: PasoEstado, registros: Vec<Registro>, current: Paso, barrio: i64, ciclo: CicloRuta, ctx: RutaContext) -> impl IntoView {
    let paso = estado.paso;
    let state = state_of(&estado, current, true);
    let dates = match (estado.entered_ms, estado.left_ms) {
        (Some(a), Some(b)) => Some(format!("{} → {}", day_es(a), day_es(b))),
        (Some(a), None) => Some(format!("Desde {}", day_es(a))),
        _ => None,
    };
    let reached = estado.entered_ms.is_some();
    let checks = paso.registros().iter().map(|t| (*t, estado.presentes.contains(t))).collect::<Vec<_>>();
    let diagnostico = matches!(paso, Paso::Diagnostico | Paso::Pacto);
    let ciclo_id = ciclo.ciclo.id;
    view! {
        <li class=format!("ruta-step {state}") data-paso=paso.number() data-state=state>
            <div class="step-head">
                <PasoBadge paso=Some(paso.number()) short=true/>
                <div>
                    <h2>{paso.label_es()}</h2>
                    <small>{paso.responsible_es()}{dates.map(|d| format!(" · {d}"))}</small>
                </div>
            </div>
            <ul class="registro-checks" aria-label="Registros del paso">
                {checks.into_iter().map(|(tipo, kept)| view! {
                    <li class:kept=kept data-kept=kept.to_string()>
                        <span class="check" aria-hidden="true">{if kept { "✓" } else { "•" }}</span>
                        {tipo.label_es()}
                        <small>{if kept { "" } else if reached { " — falta" } else { " — pendiente" }}</small>
                    </li>
                }).collect_view()}
            </ul>
            {(!registros.is_empty()).then(|| view! { <RegistroList registros ctx/> })}
            <Show when=move || ctx.staff.get() && diagnostico && reached>
                <DiagnosticoTrail barrio paso/>
            </Show>
            {(paso == Paso::Pacto && reached).then(|| view! {
                <p class="step-trail" data-testid="pacto-link">
                    <a class="button small" href=format!("/ruta/{barrio}/pacto")>"El pacto del barrio: borrador, firma y seguimiento"</a>
                </p>
            })}
            <Show when=move || ctx.staff.get() && reached>
                <details class="add-registro">
                    <summary class="button small">"Agregar registro"</summary>
                    <UploadForm ciclo=ciclo_id paso ctx/>
                </details>
            </Show>
            {(paso == current).then(|| view! {
                <Show when=move || ctx.staff.get()>
                    <StepChange ciclo=ciclo.clone() ctx/>
                </Show>
            })}
        </li>
    }
}

/// What the app itself keeps for steps 3 and 4: the diagnóstico's versions (step 3) and its
/// publications "editadas por seguridad" (step 4), each with the page that shows it.
#[component]
fn DiagnosticoTrail(barrio: i64, paso: Paso) -> impl IntoView {
    let lines = RwSignal::new(None::<Vec<(String, String)>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            use crate::client::session::get_json;
            use crate::model::publication::PublicationSummary;
            use crate::model::review::DiagnosticoSummary;
            let found: Vec<(String, String)> = if paso == Paso::Diagnostico {
                let versions: Vec<DiagnosticoSummary> = get_json(&format!("/api/v1/barrios/{barrio}/diagnosticos")).await.unwrap_or_default();
                versions.iter().take(3).map(|v| (diagnostico_es(v.number, v.created_at_ms, v.totals.hotspots), format!("/diagnostico/{barrio}"))).collect()
            } else {
                let published: Vec<PublicationSummary> = get_json(&format!("/api/v1/barrios/{barrio}/publications")).await.unwrap_or_default();
                published.iter().map(|p| (publication_es(p.number, p.diagnostico_number, p.published_at_ms, p.withdrawn_at_ms), format!("/publico/{barrio}"))).collect()
            };
            lines.set(Some(found));
        });
    });
    let (none, link, href) = if paso == Paso::Diagnostico {
        ("Aún no se ha generado el diagnóstico.", "Ver el diagnóstico y sus versiones", format!("/diagnostico/{barrio}"))
    } else {
        ("El diagnóstico aún no se ha publicado.", "Publicar el diagnóstico editado por seguridad", format!("/diagnostico/{barrio}/publicar"))
    };
    view! {
        <div class="step-trail" data-testid=format!("trail-{}", paso.number())>
            {move || lines.get().map(|l| if l.is_empty() { view! { <p class="muted">{none}</p> }.into_any() } else { view! {
                <ul>{l.into_iter().map(|(text, href)| view! { <li><a href=href>{text}</a></li> }).collect_view()}</ul>
            }.into_any() })}
            <p><a href=href>{link}</a></p>
        </div>
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn diagnostico_es(number: u32, at_ms: i64, hotspots: u32) -> String {
    format!("Diagnóstico, versión {number} · {} · {}", day_es(at_ms), crate::model::words::count_es(hotspots, "punto crítico", "puntos críticos"))
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn publication_es(number: u32, diagnostico: u32, at_ms: i64, withdrawn: Option<i64>) -> String {
    let mut text = format!("Publicación {number} (diagnóstico versión {diagnostico}) · {}", day_es(at_ms));
    if let Some(w) = withdrawn {
        text.push_str(&format!(" · retirada el {}", day_es(w)));
    }
    text
}

#[component]
fn RegistroList(registros: Vec<Registro>, ctx: RutaContext) -> impl IntoView {
    view! {
        <ul class="registro-files" data-testid="registro-files">
            {registros.into_iter().map(|r| {
                let withdrawn = r.retiro.clone();
                let meta = format!("{} · {} · {}", date_es(&r.fecha), r.formato.label_es(), size_es(r.bytes));
                let name = if r.nombre.is_empty() { r.tipo.label_es().to_string() } else { r.nombre.clone() };
                let id = r.id;
                view! {
                    <li class:withdrawn=withdrawn.is_some() data-registro=r.id.to_string()>
                        <div class="file-line">
                            <strong>{r.tipo.label_es()}</strong>
                            <a href=format!("/api/v1/registros/{}/archivo", r.id) download=name.clone()>{name.clone()}</a>
                            <small>{meta}</small>
                            {(!r.descripcion.is_empty()).then(|| view! { <p class="file-desc">{r.descripcion.clone()}</p> })}
                            <small>{format!("Subido por {} el {}", r.uploaded_by, when_es(r.uploaded_at_ms))}</small>
                            {withdrawn.clone().map(|w| view! { <p class="warn-text">{format!("Retirado por {} el {}: {}", w.by, day_es(w.at_ms), w.reason)}</p> })}
                        </div>
                        {withdrawn.is_none().then(|| view! {
                            <Show when=move || ctx.staff.get()>
                                <Withdraw id ctx/>
                            </Show>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Withdraw(id: uuid::Uuid, ctx: RutaContext) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        ctx.run(format!("/api/v1/registros/{id}/retiro"), serde_json::json!({ "reason": reason.get_untracked() }), "Registro retirado: sigue guardado, ya no cuenta para el paso.");
    };
    let _ = id;
    view! {
        <details class="withdraw">
            <summary class="button small quiet">"Retirar"</summary>
            <form on:submit=submit>
                <label class="field"><span>"¿Por qué se retira?"</span>
                    <input type="text" name="reason" required maxlength="2000" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="button small danger-outline" disabled=move || ctx.busy.get()>"Retirar el registro"</button>
            </form>
        </details>
    }
}

/// Today in Santa Marta, `YYYY-MM-DD`, as the date a document most often has.
fn today() -> String {
    #[cfg(feature = "hydrate")]
    {
        colombia_date_time(crate::client::device::now_ms()).0
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
fn UploadForm(ciclo: uuid::Uuid, paso: Paso, ctx: RutaContext) -> impl IntoView {
    let tipos: Vec<TipoRegistro> = TipoRegistro::of(paso).collect();
    let tipo = RwSignal::new(tipos[0]);
    let fecha = RwSignal::new(today());
    let descripcion = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
                ctx.error.set(Some("Elija el archivo que quiere guardar.".into()));
                return;
            };
            let query = upload_query(paso, tipo.get_untracked(), &fecha.get_untracked(), &descripcion.get_untracked(), &file.name());
            ctx.busy.set(true);
            leptos::task::spawn_local(async move {
                let result = upload(&format!("/api/v1/ciclos/{ciclo}/registros?{query}"), file).await;
                ctx.finish(result.map(|_| "Registro guardado.".to_string()));
            });
        }
        let _ = (ciclo, file_input);
    };
    view! {
        <form class="upload-form" on:submit=submit data-testid=format!("upload-{}", paso.number())>
            <label class="field"><span>"Qué es"</span>
                <select name="tipo" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(t) = TipoRegistro::of(paso).find(|t| serde_json::to_value(t).ok().and_then(|v| v.as_str().map(|s| s == chosen)).unwrap_or(false)) {
                        tipo.set(t);
                    }
                }>
                    {tipos.into_iter().map(|t| {
                        let code = serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                        view! { <option value=code>{t.label_es()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field"><span>"Fecha del documento"</span>
                <input type="date" name="fecha" required prop:value=fecha on:input=move |ev| fecha.set(event_target_value(&ev))/>
            </label>
            <label class="field wide"><span>"Descripción (opcional)"</span>
                <textarea name="descripcion" maxlength="1000" rows="2" prop:value=descripcion on:input=move |ev| descripcion.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field wide"><span>"Archivo: PDF, foto o documento de oficina (hasta 25 MB)"</span>
                <input type="file" name="archivo" node_ref=file_input required
                    accept=".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt,application/pdf,image/*"/>
            </label>
            <button type="submit" class="button primary" disabled=move || ctx.busy.get()>
                {move || if ctx.busy.get() { "Subiendo…" } else { "Guardar registro" }}
            </button>
        </form>
    }
}

/// The query of an upload, each value encoded.
#[cfg(feature = "hydrate")]
pub(super) fn upload_query(paso: Paso, tipo: TipoRegistro, fecha: &str, descripcion: &str, nombre: &str) -> String {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    let tipo = serde_json::to_value(tipo).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    format!("paso={}&tipo={}&fecha={}&descripcion={}&nombre={}", paso.number(), enc(&tipo), enc(fecha), enc(descripcion), enc(nombre))
}

/// Sends a file as the body, with the session's anti-forgery token.
#[cfg(feature = "hydrate")]
pub(super) async fn upload(url: &str, file: web_sys::File) -> Result<(), String> {
    let request = crate::client::session::post(url).body(file).map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|_| "Sin conexión con el servidor: el registro no se guardó.".to_string())?;
    if response.ok() {
        Ok(())
    } else {
        Err(crate::client::session::refusal(response).await)
    }
}

#[component]
fn StepChange(ciclo: CicloRuta, ctx: RutaContext) -> impl IntoView {
    let current = ciclo.ciclo.current();
    let id = ciclo.ciclo.id;
    let missing: Vec<TipoRegistro> = ciclo.pasos.iter().find(|p| p.paso == current).map(|p| p.faltantes.clone()).unwrap_or_default();
    let reason = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let back_to = RwSignal::new(None::<u8>);
    let back_comment = RwSignal::new(String::new());
    let next = current.next();
    let forward = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(next) = next {
            let body = serde_json::json!({ "to": next.number(), "reason": reason.get_untracked(), "comment": comment.get_untracked() });
            ctx.run(format!("/api/v1/ciclos/{id}/cambios"), body, "El barrio pasó de paso.");
        }
    };
    let back = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(to) = back_to.get_untracked() {
            let body = serde_json::json!({ "to": to, "comment": back_comment.get_untracked() });
            ctx.run(format!("/api/v1/ciclos/{id}/cambios"), body, "El barrio volvió a un paso anterior.");
        }
    };
    let _ = id;
    let earlier: Vec<Paso> = Paso::ALL.into_iter().filter(|p| *p < current).collect();
    let missing_text = missing.iter().map(|t| t.label_es()).collect::<Vec<_>>().join(", ");
    let needs_reason = !missing.is_empty();
    view! {
        <div class="step-change">
            {next.map(|next| view! {
                <form on:submit=forward data-testid="step-forward">
                    <h3>{format!("Pasar al paso {}: {}", next.number(), next.label_es())}</h3>
                    {needs_reason.then(|| view! {
                        <p class="warn-text">{format!("Faltan registros de este paso: {missing_text}.")}</p>
                        <label class="field"><span>"¿Por qué seguir sin ellos? (obligatorio)"</span>
                            <textarea name="reason" required maxlength="2000" rows="2" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </label>
                    })}
                    <label class="field"><span>"Comentario (opcional)"</span>
                        <textarea name="comment" maxlength="2000" rows="2" prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit" class="button primary" disabled=move || ctx.busy.get()>{format!("Pasar al paso {}", next.number())}</button>
                </form>
            })}
            {(!earlier.is_empty()).then(|| view! {
                <details class="step-back">
                    <summary class="button small quiet">"Volver a un paso anterior"</summary>
                    <form on:submit=back>
                        <label class="field"><span>"Paso"</span>
                            <select name="back-to" required on:change=move |ev| back_to.set(event_target_value(&ev).parse().ok())>
                                <option value="" selected>"Elija el paso"</option>
                                {earlier.into_iter().map(|p| view! { <option value=p.number().to_string()>{format!("{}. {}", p.number(), p.label_es())}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="field"><span>"¿Por qué vuelve? (obligatorio)"</span>
                            <textarea name="back-comment" required maxlength="2000" rows="2" prop:value=back_comment on:input=move |ev| back_comment.set(event_target_value(&ev))></textarea>
                        </label>
                        <button type="submit" class="button small" disabled=move || ctx.busy.get()>"Volver"</button>
                    </form>
                </details>
            })}
        </div>
    }
}

#[component]
fn CloseCiclo(ciclo: CicloRuta, ctx: RutaContext) -> impl IntoView {
    let id = ciclo.ciclo.id;
    let last = ciclo.ciclo.current() == Paso::Certificacion;
    let comment = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        ctx.run(format!("/api/v1/ciclos/{id}/cierre"), serde_json::json!({ "comment": comment.get_untracked() }), "Ciclo cerrado.");
    };
    let _ = id;
    view! {
        <details class="close-ciclo">
            <summary class="button small quiet">"Cerrar el ciclo"</summary>
            <form on:submit=submit>
                <p>{if last { "El barrio llegó a la certificación: al cerrar el ciclo, su ruta queda completa." }
                    else { "El barrio no ha llegado a la certificación: diga por qué se cierra (por ejemplo, salió de la priorización)." }}</p>
                <label class="field"><span>{if last { "Comentario (opcional)" } else { "¿Por qué se cierra? (obligatorio)" }}</span>
                    <textarea name="close-comment" required=!last maxlength="2000" rows="2" prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="button small danger-outline" disabled=move || ctx.busy.get()>"Cerrar el ciclo"</button>
            </form>
        </details>
    }
}

/// A ciclo no longer open: its dates and the step it ended at, its steps in one line.
#[component]
fn PastCiclo(ciclo: CicloRuta) -> impl IntoView {
    let c = &ciclo.ciclo;
    let ended = c.cierre.as_ref().map(|x| format!(" al {} · {}", day_es(x.at_ms), x.comment)).unwrap_or_default();
    let title = format!("Ciclo del {}{ended}", day_es(c.opened_at_ms));
    let current = c.current();
    view! {
        <details class="past-ciclo" data-testid="past-ciclo">
            <summary><PasoBadge paso=Some(current.number()) short=true/>" "{title}</summary>
            <ol class="past-steps">
                {ciclo.pasos.iter().map(|p| {
                    let state = state_of(p, current, false);
                    view! { <li class=state>{format!("{}. {} — {} de {} registros", p.paso.number(), p.paso.label_es(), p.presentes.len(), p.paso.registros().len())}</li> }
                }).collect_view()}
            </ol>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diagnosticos_trail_reads_as_people_say_it() {
        let t = 1_764_000_000_000;
        assert_eq!(diagnostico_es(2, t, 1), "Diagnóstico, versión 2 · 24/11/2025 · 1 punto crítico");
        assert_eq!(publication_es(1, 2, t, Some(t)), "Publicación 1 (diagnóstico versión 2) · 24/11/2025 · retirada el 24/11/2025");
    }

    #[test]
    fn sizes_and_history_read_as_people_say_them() {
        assert_eq!(size_es(900), "900 bytes");
        assert_eq!(size_es(1500), "2 KB");
        assert_eq!(size_es(3 * 1024 * 1024 + 300_000), "3,3 MB");
        let change = CambioDePaso {
            to: Paso::SocializacionInterinstitucional,
            at_ms: 0,
            by: "Marta".into(),
            comment: String::new(),
            missing: vec![TipoRegistro::Informe],
            reason: "En firma".into(),
        };
        assert_eq!(change_es(Paso::Identificacion, &change), "Pasó del paso 1 al 2 (Socialización interinstitucional) · Marta · sin Informe: «En firma»");
        let back = CambioDePaso { to: Paso::Identificacion, comment: "Otro balance".into(), missing: vec![], ..change };
        assert!(change_es(Paso::SocializacionInterinstitucional, &back).starts_with("Volvió del paso 2 al 1"));
    }
}
