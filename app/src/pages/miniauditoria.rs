//! Miniauditorías (paso 6): the list on a barrio's route page and the session a facilitator
//! runs on a tablet in the barrio with the CBSC — the walk of the diagnóstico's hotspots, nearest
//! next, asking "¿Sigue el problema?"; the pacto's compromisos; immediate measures; attendance.
//! Every answer is saved on the device before the screen says so and sent when there is signal;
//! closing it makes the informe.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use crate::components::account::RequireRole;
use crate::map::hotspots::HotspotMap;
use crate::model::miniauditoria::{
    orden_recorrido, punto_de, ContextoMiniauditoria, Miniauditoria, PuntoRecorrido, RevisionCompromiso, Sigue,
};
use crate::model::pacto::borrador::category_name;
use crate::model::pacto::EstadoCompromiso;
use crate::model::versioned::Line;
use crate::model::words::count_es;
use crate::model::workshop::date_es;

/// An institution's name from the context, else its code.
fn nombre(instituciones: &[(String, String)], codigo: &str) -> String {
    instituciones.iter().find(|(k, _)| k == codigo).map_or_else(|| codigo.to_string(), |(_, n)| n.clone())
}

/// The session's address: one page for all, the session in the query, so the page kept for
/// offline use opens any of them.
fn session_href(barrio: i64, id: Uuid) -> String {
    format!("/ruta/{barrio}/miniauditoria?m={id}")
}

/// The miniauditorías of barrio `barrio` on its route page; works offline from this device's
/// copies, and keeps the session's context for the tablet while there is signal.
#[component]
pub fn MiniauditoriasSection(barrio: i64) -> impl IntoView {
    let lines = RwSignal::new(None::<Vec<Line<Miniauditoria>>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            crate::client::device::keep_page_offline(&format!("/ruta/{barrio}/miniauditoria")).await;
        });
        leptos::task::spawn_local(async move {
            lines.set(Some(crate::client::versioned::lines::<Miniauditoria>(barrio).await));
            // Kept for the session, which may start in the barrio with no signal.
            let _ = crate::client::miniauditorias::contexto(barrio).await;
        });
    });
    view! {
        <section class="actas miniauditorias" data-testid="miniauditorias">
            <div class="actas-head">
                <h2>"Miniauditorías (paso 6)"</h2>
                <a class="button small primary" href=format!("/ruta/{barrio}/miniauditoria") data-testid="new-miniauditoria">"Nueva miniauditoría"</a>
            </div>
            {move || match lines.get() {
                None => view! { <p class="loading">"Cargando miniauditorías…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">"Aún no hay miniauditorías de este barrio."</p> }.into_any(),
                Some(list) => view! {
                    <ul class="acta-list">
                        {list.into_iter().map(|l| {
                            let m = l.doc;
                            let [si, menos, no, _] = m.conteo();
                            let facts = format!(
                                "{} · sigue {si}, menos {menos}, ya no {no} · {}",
                                count_es(m.recorrido.len(), "lugar visitado", "lugares visitados"),
                                count_es(m.medidas.len(), "medida", "medidas"),
                            );
                            let cerrada = m.cerrada;
                            let href = session_href(barrio, m.id);
                            let informe = format!("/ruta/{barrio}/miniauditoria/{}/informe", m.id);
                            view! {
                                <li data-miniauditoria=m.id.to_string() data-waiting=l.waiting.to_string() data-cerrada=cerrada.to_string()>
                                    <div>
                                        <strong>{m.title()}</strong>
                                        <small>{facts}</small>
                                        {if cerrada {
                                            view! { <span class="state-chip done">"Cerrada"</span> }.into_any()
                                        } else {
                                            view! { <span class="state-chip">"En curso"</span> }.into_any()
                                        }}
                                        {l.waiting.then(|| view! { <span class="pending-chip">"En este dispositivo, falta enviar"</span> })}
                                        {l.refused.map(|r| view! { <p class="warn-text">{format!("El servidor no la recibió: {r}")}</p> })}
                                    </div>
                                    <span class="acta-actions">
                                        {(!cerrada).then(|| view! { <a class="button small" href=href.clone()>"Continuar"</a> })}
                                        {(cerrada && !l.waiting).then(|| view! { <a class="button small" href=informe>"Ver informe"</a> })}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn MiniauditoriaPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="Las miniauditorías de un barrio son para el equipo de la Secretaría y quienes facilitan en él.">
            <Sesion/>
        </RequireRole>
    }
}

/// A new session of the barrio's latest diagnóstico, dated today (version 0: not saved yet).
#[cfg(feature = "hydrate")]
fn blank(barrio_id: i64, diagnostico: u32) -> Miniauditoria {
    let now = crate::client::device::now_ms();
    Miniauditoria {
        id: crate::client::device::new_id(),
        barrio_id,
        version: 0,
        diagnostico,
        fecha: crate::model::workshop::colombia_date_time(now).0,
        lugar: String::new(),
        recorrido: Vec::new(),
        compromisos: Vec::new(),
        medidas: Vec::new(),
        asistencia: crate::model::acta::Asistencia::default(),
        observaciones: String::new(),
        cerrada: false,
        updated_at_ms: now,
        author: String::new(),
        deleted: false,
    }
}

#[component]
fn Sesion() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let barrio = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let id = Memo::new(move |_| query.with(|q| q.get("m").and_then(|s| s.parse::<Uuid>().ok())));
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    let loaded = RwSignal::new(None::<Result<(Miniauditoria, ContextoMiniauditoria), String>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (Some(barrio), id) = (barrio.get(), id.get()) else { return };
        leptos::task::spawn_local(async move {
            let Some(ctx) = crate::client::miniauditorias::contexto(barrio).await else {
                loaded.set(Some(Err(
                    "Este dispositivo aún no tiene el mapa, los puntos críticos y los compromisos del barrio: abra la ruta del barrio una vez con señal."
                        .into(),
                )));
                return;
            };
            let doc = match id {
                Some(id) => crate::client::versioned::load::<Miniauditoria>(id)
                    .await
                    .ok_or_else(|| "No se encontró la miniauditoría en este dispositivo ni en el servidor.".to_string()),
                None => ctx.diagnostico.map(|n| blank(barrio, n)).ok_or_else(|| {
                    "El barrio aún no tiene un diagnóstico: la miniauditoría recorre los puntos críticos de uno.".to_string()
                }),
            };
            loaded.set(Some(doc.map(|d| (d, ctx))));
        });
    });
    view! {
        <Title text="Miniauditoría"/>
        <section class="page staff acta-page mini-page">
            <p class="crumbs"><a href=move || format!("/ruta/{}", barrio.get().unwrap_or_default())>"← La ruta del barrio"</a></p>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Abriendo la miniauditoría…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok((doc, ctx))) => view! { <SesionForm doc ctx/> }.into_any(),
            }}
        </section>
    }
}

/// The four parts of the session, then closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parte {
    Recorrido,
    Compromisos,
    Medidas,
    Asistencia,
}

impl Parte {
    const ALL: [Parte; 4] = [Parte::Recorrido, Parte::Compromisos, Parte::Medidas, Parte::Asistencia];

    fn label(self) -> &'static str {
        match self {
            Parte::Recorrido => "Recorrido",
            Parte::Compromisos => "Compromisos",
            Parte::Medidas => "Medidas",
            Parte::Asistencia => "Asistencia y cierre",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Parte::Recorrido => "recorrido",
            Parte::Compromisos => "compromisos",
            Parte::Medidas => "medidas",
            Parte::Asistencia => "asistencia",
        }
    }
}

#[component]
fn SesionForm(doc: Miniauditoria, ctx: ContextoMiniauditoria) -> impl IntoView {
    let doc = RwSignal::new(doc);
    let ctx = StoredValue::new(ctx);
    let parte = RwSignal::new(Parte::Recorrido);
    // What the device and the server have: shown at the top at all times.
    let guardado = RwSignal::new(None::<(bool, String)>);
    let saving = StoredValue::new(false);
    let again = StoredValue::new(false);
    #[cfg(not(feature = "hydrate"))]
    let _ = (saving, again);

    // Every change is a new version, saved here at once; only the newest is sent.
    let persist = move || {
        #[cfg(feature = "hydrate")]
        {
            doc.update(|d| {
                d.version += 1;
                d.updated_at_ms = crate::client::device::now_ms();
            });
            if saving.get_value() {
                again.set_value(true);
                return;
            }
            saving.set_value(true);
            leptos::task::spawn_local(async move {
                use crate::client::versioned::{save, send, Local};
                use crate::model::Bilingual;
                let mut first = true;
                loop {
                    let d = doc.get_untracked();
                    let d = match d.clone().checked() {
                        Ok(d) => d,
                        Err(e) => {
                            guardado.set(Some((false, e.es())));
                            break;
                        }
                    };
                    if let Err(e) = save(&d).await {
                        guardado.set(Some((false, format!("No se pudo guardar en este dispositivo: {e:?}. No cierre la página."))));
                        break;
                    }
                    if first && d.version == 1 {
                        // From now on a reload (or a tablet that slept) reopens this session.
                        if let Some(w) = web_sys::window() {
                            if let Ok(h) = w.history() {
                                let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&session_href(d.barrio_id, d.id)));
                            }
                        }
                    }
                    first = false;
                    guardado.set(Some((true, "Guardado en este dispositivo. Enviando…".into())));
                    if again.get_value() {
                        again.set_value(false);
                        continue;
                    }
                    saving.set_value(false);
                    let sent = send(Local::unsent(d)).await;
                    // A newer version saved meanwhile says its own.
                    if !saving.get_value() {
                        guardado.set(Some(sent.said("Guardada")));
                    }
                    return;
                }
                saving.set_value(false);
            });
        }
    };

    let cerrada = move || doc.with(|d| d.cerrada);
    view! {
        <div class="mini-head">
            <h1>{move || doc.with(|d| d.title())}</h1>
            <p class="muted">{move || {
                let c = ctx.with_value(|c| c.barrio.summary.name.clone());
                doc.with(|d| format!("{c} · diagnóstico n.º {}", d.diagnostico))
            }}</p>
            <p class="mini-saved" role="status" data-testid="mini-status"
                class:warn=move || guardado.with(|g| g.as_ref().is_some_and(|(ok, _)| !ok))>
                {move || guardado.get().map(|(_, t)| t).unwrap_or_else(|| "Cada respuesta se guarda en este dispositivo al momento.".into())}
            </p>
        </div>
        <Show when=cerrada>
            <div class="notice ok" data-testid="mini-cerrada">
                <p>"Miniauditoría cerrada: sus estados y medidas pasan al seguimiento cuando el servidor la recibe."</p>
                <a class="button" href=move || doc.with(|d| format!("/ruta/{}/miniauditoria/{}/informe", d.barrio_id, d.id))>"Ver el informe"</a>
            </div>
        </Show>
        <nav class="mini-tabs" role="tablist" aria-label="Partes de la miniauditoría">
            {Parte::ALL.into_iter().enumerate().map(|(i, p)| view! {
                <button type="button" role="tab" class="mini-tab" data-parte=p.code()
                    aria-selected=move || (parte.get() == p).to_string()
                    on:click=move |_| parte.set(p)>
                    <span class="mini-tab-n">{i + 1}</span>{p.label()}
                </button>
            }).collect_view()}
        </nav>
        <fieldset class="mini-body" disabled=cerrada>
            {move || match parte.get() {
                Parte::Recorrido => view! { <Recorrido doc ctx persist/> }.into_any(),
                Parte::Compromisos => view! { <Compromisos doc ctx persist/> }.into_any(),
                Parte::Medidas => view! { <Medidas doc ctx persist/> }.into_any(),
                Parte::Asistencia => view! { <AsistenciaCierre doc persist/> }.into_any(),
            }}
        </fieldset>
    }
}

/// The walk: a map of the hotspots ringed by their answers, and the place the group stands
/// at, with the four answers and a note; then on to the nearest not yet answered.
#[component]
fn Recorrido(
    doc: RwSignal<Miniauditoria>,
    ctx: StoredValue<ContextoMiniauditoria>,
    persist: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let hotspots = ctx.with_value(|c| c.hotspots.clone());
    let puntos: Vec<(Uuid, [f64; 2])> = hotspots.iter().filter_map(|h| punto_de(h).map(|p| (h.id, p))).collect();
    let puntos = StoredValue::new(puntos);
    let orden = RwSignal::new(puntos.with_value(|p| orden_recorrido(p, None)));
    // The place shown: the first of the walk not answered yet.
    let first_open =
        move || orden.with(|o| doc.with(|d| o.iter().copied().find(|h| d.respuesta(*h).is_none()).or_else(|| o.first().copied())));
    let selected = RwSignal::new(first_open());
    let total = orden.with_untracked(Vec::len);
    let tint = Signal::derive(move || {
        doc.with(|d| {
            d.recorrido
                .iter()
                .map(|p| (p.hotspot_id, (p.sigue.color(), p.sigue.code())))
                .collect::<HashMap<Uuid, (&'static str, &'static str)>>()
        })
    });
    let barrio = ctx.with_value(|c| c.barrio.clone());
    let by_id: HashMap<Uuid, crate::model::Hotspot> = hotspots.iter().map(|h| (h.id, h.clone())).collect();
    let by_id = StoredValue::new(by_id);
    let locating = RwSignal::new(false);
    let aviso = RwSignal::new(None::<String>);
    let answer = move |sigue: Sigue| {
        let Some(h) = selected.get_untracked() else { return };
        doc.update(|d| match d.recorrido.iter_mut().find(|p| p.hotspot_id == h) {
            Some(p) => p.sigue = sigue,
            None => d.recorrido.push(PuntoRecorrido { hotspot_id: h, sigue, nota: String::new() }),
        });
        persist();
    };
    let nota = move |text: String| {
        let Some(h) = selected.get_untracked() else { return };
        let answered = doc.with_untracked(|d| d.respuesta(h).is_some());
        if !answered {
            aviso.set(Some("Primero elija si sigue el problema; la nota va con la respuesta.".into()));
            return;
        }
        doc.update(|d| {
            if let Some(p) = d.recorrido.iter_mut().find(|p| p.hotspot_id == h) {
                p.nota = text;
            }
        });
        persist();
    };
    let next = move |_| {
        let now = selected.get_untracked();
        let o = orden.get_untracked();
        let after = now.and_then(|h| o.iter().position(|x| *x == h)).map_or(0, |i| i + 1);
        let pick = doc.with_untracked(|d| {
            o.iter().skip(after).chain(o.iter().take(after)).copied().find(|h| Some(*h) != now && d.respuesta(*h).is_none())
        });
        match pick {
            Some(h) => selected.set(Some(h)),
            None => aviso.set(Some("Ya respondieron todos los lugares del recorrido.".into())),
        }
    };
    let desde_aqui = move |_| {
        #[cfg(feature = "hydrate")]
        {
            locating.set(true);
            crate::client::geo::locate(move |fix| {
                locating.set(false);
                match fix {
                    Ok((lon, lat, _)) => {
                        let o = puntos.with_value(|p| orden_recorrido(p, Some([lon, lat])));
                        selected.set(o.first().copied());
                        orden.set(o);
                    }
                    Err(why) => aviso.set(Some(why)),
                }
            });
        }
    };
    let hotspot_list = Signal::derive(move || by_id.with_value(|m| m.values().cloned().collect::<Vec<_>>()));
    let answered = move || doc.with(|d| d.recorrido.len());
    view! {
        {if total == 0 {
            view! { <p class="empty">"El diagnóstico no tiene puntos críticos que recorrer."</p> }.into_any()
        } else {
            view! {
                <div class="mini-walk" data-testid="mini-recorrido">
                    <div class="mini-map">
                        <HotspotMap barrio=barrio hotspots=hotspot_list selected interactive=true tint/>
                        <button type="button" class="button small quiet" data-testid="mini-desde-aqui" disabled=move || locating.get() on:click=desde_aqui>
                            {move || if locating.get() { "Buscando la ubicación…" } else { "Ordenar desde donde estamos" }}
                        </button>
                    </div>
                    <div class="mini-card" data-testid="mini-punto" data-hotspot=move || selected.get().map(|h| h.to_string()).unwrap_or_default()>
                        <p class="mini-progress" data-testid="mini-progress">{move || format!("{} de {total} lugares respondidos", answered())}</p>
                        {move || selected.get().and_then(|h| by_id.with_value(|m| m.get(&h).cloned())).map(|h| {
                            let pos = orden.with(|o| o.iter().position(|x| *x == h.id).map_or(0, |i| i + 1));
                            let titulo = category_name(&h.category);
                            let facts = format!("Lugar {pos} de {total} · {} en el diagnóstico", count_es(h.count as usize, "marca", "marcas"));
                            let id = h.id;
                            let current = move || doc.with(|d| d.respuesta(id).map(|p| p.sigue));
                            let nota_actual = move || doc.with(|d| d.respuesta(id).map(|p| p.nota.clone()).unwrap_or_default());
                            view! {
                                <h2>{titulo}</h2>
                                <p class="muted">{facts}</p>
                                <p class="mini-question">"¿Sigue el problema?"</p>
                                <div class="mini-answers" role="group" aria-label="¿Sigue el problema?">
                                    {Sigue::ALL.into_iter().map(|s| view! {
                                        <button type="button" class="mini-answer" data-sigue=s.code()
                                            style=format!("--tint: {}", s.color())
                                            aria-pressed=move || (current() == Some(s)).to_string()
                                            on:click=move |_| answer(s)>
                                            {s.label_es()}
                                        </button>
                                    }).collect_view()}
                                </div>
                                <label class="field"><span>"Nota (qué vieron, qué dicen los vecinos)"</span>
                                    <textarea rows="3" maxlength="1000" data-testid="mini-nota" prop:value=nota_actual
                                        on:change=move |ev| nota(event_target_value(&ev))></textarea>
                                </label>
                            }
                        })}
                        <div class="form-actions">
                            <button type="button" class="button primary" data-testid="mini-siguiente" on:click=next>"Siguiente lugar más cercano →"</button>
                        </div>
                        {move || aviso.get().map(|t| view! { <p class="notice warn" role="status">{t}</p> })}
                    </div>
                </div>
            }.into_any()
        }}
    }
}

/// Each compromiso of the pacto: the status the group finds, and what shows it.
#[component]
fn Compromisos(
    doc: RwSignal<Miniauditoria>,
    ctx: StoredValue<ContextoMiniauditoria>,
    persist: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let opciones = ctx.with_value(|c| c.compromisos.clone());
    let instituciones = ctx.with_value(|c| c.instituciones.clone());
    if opciones.is_empty() {
        return view! { <p class="empty">"El barrio no tiene un pacto firmado con compromisos que revisar."</p> }.into_any();
    }
    view! {
        <p class="muted">"Para cada compromiso, elija el estado en que lo encuentran y anote lo que lo muestra. Los que no revisen quedan como están."</p>
        <ul class="mini-compromisos" data-testid="mini-compromisos">
            {opciones.into_iter().map(|k| {
                let id = k.id;
                let quien = nombre(&instituciones, &k.responsable);
                let hasta = if k.fecha_limite.is_empty() { String::new() } else { format!(" · hasta {}", date_es(&k.fecha_limite)) };
                let revision = move || doc.with(|d| d.compromisos.iter().find(|r| r.compromiso_id == id).cloned());
                let set_estado = move |code: String| {
                    doc.update(|d| match EstadoCompromiso::from_code(&code) {
                        None => d.compromisos.retain(|r| r.compromiso_id != id),
                        Some(estado) => match d.compromisos.iter_mut().find(|r| r.compromiso_id == id) {
                            Some(r) => r.estado = estado,
                            None => d.compromisos.push(RevisionCompromiso { compromiso_id: id, estado, evidencia: String::new() }),
                        },
                    });
                    persist();
                };
                let set_evidencia = move |text: String| {
                    doc.update(|d| {
                        if let Some(r) = d.compromisos.iter_mut().find(|r| r.compromiso_id == id) {
                            r.evidencia = text;
                        }
                    });
                    persist();
                };
                view! {
                    <li data-compromiso=id.to_string()>
                        <p class="mini-k-que">{k.que.clone()}</p>
                        <p class="muted">{format!("{quien}{hasta} · hoy: {}", k.estado.label_es())}</p>
                        <label class="field"><span>"Lo encuentran"</span>
                            <select prop:value=move || revision().map(|r| r.estado.code().to_string()).unwrap_or_default()
                                on:change=move |ev| set_estado(event_target_value(&ev))>
                                <option value="">"Sin revisar"</option>
                                {EstadoCompromiso::ALL.into_iter().map(|e| view! { <option value=e.code()>{e.label_es()}</option> }).collect_view()}
                            </select>
                        </label>
                        <Show when=move || revision().is_some()>
                            <label class="field"><span>"Evidencia (qué lo muestra)"</span>
                                <input type="text" maxlength="1000" prop:value=move || revision().map(|r| r.evidencia).unwrap_or_default()
                                    on:change=move |ev| set_evidencia(event_target_value(&ev))/>
                            </label>
                        </Show>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Immediate measures: new compromisos with who and by when, which join the follow-up.
#[component]
fn Medidas(
    doc: RwSignal<Miniauditoria>,
    ctx: StoredValue<ContextoMiniauditoria>,
    persist: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let instituciones = ctx.with_value(|c| c.instituciones.clone());
    let lugares: Vec<(Uuid, String)> =
        ctx.with_value(|c| c.hotspots.iter().map(|h| (h.id, format!("{} · {} marcas", category_name(&h.category), h.count))).collect());
    if !ctx.with_value(|c| c.con_pacto) {
        return view! { <p class="empty">"Las medidas se suman al seguimiento de un pacto firmado, y el barrio aún no tiene uno."</p> }
            .into_any();
    }
    let responsable = RwSignal::new(String::new());
    let que = RwSignal::new(String::new());
    let fecha = RwSignal::new(String::new());
    let lugar = RwSignal::new(None::<Uuid>);
    let aviso = RwSignal::new(None::<String>);
    let nombres = StoredValue::new(instituciones.clone());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use crate::model::Bilingual;
            let medida = crate::model::miniauditoria::Medida {
                id: crate::client::device::new_id(),
                responsable: responsable.get_untracked(),
                que: que.get_untracked(),
                fecha_limite: fecha.get_untracked(),
                hotspot_id: lugar.get_untracked(),
            };
            let mut probe = doc.get_untracked();
            probe.version = probe.version.max(1);
            probe.medidas.push(medida.clone());
            if let Err(e) = probe.checked() {
                aviso.set(Some(e.es()));
                return;
            }
            doc.update(|d| d.medidas.push(medida));
            persist();
            aviso.set(None);
            que.set(String::new());
            fecha.set(String::new());
            lugar.set(None);
        }
    };
    let remove = move |id: Uuid| {
        doc.update(|d| d.medidas.retain(|m| m.id != id));
        persist();
    };
    view! {
        <ul class="acta-list" data-testid="mini-medidas">
            {move || doc.with(|d| d.medidas.clone()).into_iter().map(|m| {
                let id = m.id;
                let quien = nombres.with_value(|n| nombre(n, &m.responsable));
                view! {
                    <li data-medida=id.to_string()>
                        <div><strong>{m.que.clone()}</strong><small>{format!("{quien} · hasta {}", date_es(&m.fecha_limite))}</small></div>
                        <button type="button" class="button small quiet" on:click=move |_| remove(id)>"Quitar"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <form class="acta-form mini-medida-form" data-testid="mini-medida-form" on:submit=add>
            <label class="field wide"><span>"Qué se hará"</span>
                <input type="text" name="que" maxlength="500" prop:value=que on:input=move |ev| que.set(event_target_value(&ev))/>
            </label>
            <label class="field"><span>"Quién responde"</span>
                <select name="responsable" prop:value=move || responsable.get() on:change=move |ev| responsable.set(event_target_value(&ev))>
                    <option value="">"Elija…"</option>
                    {instituciones.into_iter().map(|(codigo, nombre)| view! { <option value=codigo>{nombre}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>"Hasta cuándo"</span>
                <input type="date" name="fecha_limite" prop:value=fecha on:input=move |ev| fecha.set(event_target_value(&ev))/>
            </label>
            <label class="field wide"><span>"Dónde (opcional)"</span>
                <select name="lugar" prop:value=move || lugar.get().map(|h| h.to_string()).unwrap_or_default()
                    on:change=move |ev| lugar.set(event_target_value(&ev).parse().ok())>
                    <option value="">"En todo el barrio"</option>
                    {lugares.into_iter().map(|(id, label)| view! { <option value=id.to_string()>{label}</option> }).collect_view()}
                </select>
            </label>
            <div class="wide form-actions">
                <button type="submit" class="button primary" data-testid="mini-add-medida">"Agregar medida"</button>
            </div>
            {move || aviso.get().map(|t| view! { <p class="notice warn wide" role="status">{t}</p> })}
        </form>
    }
    .into_any()
}

/// Who came, by sector (counts only), where, what else; and closing.
#[component]
fn AsistenciaCierre(doc: RwSignal<Miniauditoria>, persist: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let count = |field: &'static str| {
        move |ev: leptos::ev::Event| {
            let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0);
            doc.update(|d| match field {
                "comunidad" => d.asistencia.comunidad = n,
                "policia" => d.asistencia.policia = n,
                "secretarias" => d.asistencia.secretarias = n,
                _ => d.asistencia.otras = n,
            });
            persist();
        }
    };
    let confirmar = RwSignal::new(false);
    let close = move |_| {
        if !confirmar.get_untracked() {
            confirmar.set(true);
            return;
        }
        doc.update(|d| d.cerrada = true);
        persist();
        confirmar.set(false);
    };
    let a = move || doc.with(|d| d.asistencia);
    view! {
        <div class="acta-form mini-asistencia" data-testid="mini-asistencia">
            <fieldset class="wide">
                <legend>"Asistentes por sector (solo números)"</legend>
                <div class="mini-counts">
                    <label class="field"><span>"Comunidad"</span><input type="number" min="0" inputmode="numeric" name="comunidad" prop:value=move || a().comunidad on:change=count("comunidad")/></label>
                    <label class="field"><span>"Policía"</span><input type="number" min="0" inputmode="numeric" name="policia" prop:value=move || a().policia on:change=count("policia")/></label>
                    <label class="field"><span>"Secretarías"</span><input type="number" min="0" inputmode="numeric" name="secretarias" prop:value=move || a().secretarias on:change=count("secretarias")/></label>
                    <label class="field"><span>"Otras"</span><input type="number" min="0" inputmode="numeric" name="otras" prop:value=move || a().otras on:change=count("otras")/></label>
                </div>
                <p class="muted">{move || format!("Total: {}", a().total())}</p>
            </fieldset>
            <label class="field"><span>"Fecha"</span>
                <input type="date" name="fecha" prop:value=move || doc.with(|d| d.fecha.clone())
                    on:change=move |ev| { doc.update(|d| d.fecha = event_target_value(&ev)); persist(); }/>
            </label>
            <label class="field"><span>"Dónde se reunieron"</span>
                <input type="text" name="lugar" maxlength="200" placeholder="Caseta comunal" prop:value=move || doc.with(|d| d.lugar.clone())
                    on:change=move |ev| { doc.update(|d| d.lugar = event_target_value(&ev)); persist(); }/>
            </label>
            <label class="field wide"><span>"Observaciones"</span>
                <textarea name="observaciones" rows="4" maxlength="4000" prop:value=move || doc.with(|d| d.observaciones.clone())
                    on:change=move |ev| { doc.update(|d| d.observaciones = event_target_value(&ev)); persist(); }></textarea>
            </label>
            <div class="wide mini-close">
                <p class="muted">{move || doc.with(|d| {
                    let [si, menos, no, nose] = d.conteo();
                    format!("Recorrido: sigue {si}, menos {menos}, ya no {no}, no sé {nose} · {} · {}",
                        count_es(d.compromisos.len(), "compromiso revisado", "compromisos revisados"),
                        count_es(d.medidas.len(), "medida", "medidas"))
                })}</p>
                <button type="button" class="button primary" data-testid="mini-cerrar" on:click=close>
                    {move || if confirmar.get() { "Sí, cerrar: el informe ya no cambia" } else { "Cerrar la miniauditoría" }}
                </button>
                <Show when=move || confirmar.get()>
                    <button type="button" class="button quiet" on:click=move |_| confirmar.set(false)>"Seguir editando"</button>
                </Show>
            </div>
        </div>
    }
}
