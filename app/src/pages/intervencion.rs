//! Fichas de intervención (paso 5): the list on a barrio's route page and the form a
//! facilitator or staff member fills on a tablet in the barrio — what was done, by which
//! institution, when, where (a place of the diagnóstico, the tablet's position, words) and the
//! compromisos it fulfils — saved on the device first and sent when there is signal.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::account::RequireRole;
use crate::model::intervencion::{Accion, ContextoFicha, FichaIntervencion, Lugar};
use crate::model::versioned::Line;
use crate::model::words::count_es;
use crate::model::workshop::date_es;

/// An institution's name from the context, else its code.
fn nombre(ctx: Option<&ContextoFicha>, codigo: &str) -> String {
    ctx.and_then(|c| c.instituciones.iter().find(|(k, _)| k == codigo)).map_or_else(|| codigo.to_string(), |(_, n)| n.clone())
}

/// The fichas of barrio `barrio` on its route page; works offline from this device's copies,
/// and keeps the barrio's form context for the tablet while there is signal.
#[component]
pub fn FichasSection(barrio: i64) -> impl IntoView {
    let lines = RwSignal::new(None::<Vec<Line<FichaIntervencion>>>);
    let ctx = RwSignal::new(None::<ContextoFicha>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        // The route page and its forms are where a tablet writes actas and fichas with no
        // signal: kept now, they open offline even if this visit began before the worker.
        // Apart, since without a worker (development) its readiness never comes.
        leptos::task::spawn_local(async move {
            for path in [format!("/ruta/{barrio}"), format!("/ruta/{barrio}/acta"), format!("/ruta/{barrio}/intervencion")] {
                crate::client::device::keep_page_offline(&path).await;
            }
        });
        leptos::task::spawn_local(async move {
            // The context first: the list names institutions from it.
            ctx.set(crate::client::intervenciones::contexto(barrio).await);
            lines.set(Some(crate::client::versioned::lines::<FichaIntervencion>(barrio).await));
        });
    });
    view! {
        <section class="actas fichas" data-testid="fichas">
            <div class="actas-head">
                <h2>"Fichas de intervención (paso 5)"</h2>
                <a class="button small primary" href=format!("/ruta/{barrio}/intervencion") data-testid="new-ficha">"Nueva ficha"</a>
            </div>
            {move || match lines.get() {
                None => view! { <p class="loading">"Cargando fichas…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">"Aún no hay fichas de intervención de este barrio."</p> }.into_any(),
                Some(list) => view! {
                    <ul class="acta-list">
                        {list.into_iter().map(|l| {
                            let f = l.doc;
                            let quien = ctx.with_untracked(|c| nombre(c.as_ref(), &f.institucion));
                            let donde = if f.lugar.descripcion.is_empty() { "Lugar del diagnóstico".to_string() } else { f.lugar.descripcion.clone() };
                            let facts = format!("{quien} · {donde} · {}", count_es(f.compromisos.len(), "compromiso", "compromisos"));
                            view! {
                                <li data-ficha=f.id.to_string() data-waiting=l.waiting.to_string()>
                                    <div>
                                        <strong>{f.title()}</strong>
                                        <small>{facts}</small>
                                        {l.waiting.then(|| view! { <span class="pending-chip">"En este dispositivo, falta enviar"</span> })}
                                        {l.refused.map(|r| view! { <p class="warn-text">{format!("El servidor no la recibió: {r}")}</p> })}
                                    </div>
                                    <span class="acta-actions">
                                        <a class="button small" href=format!("/ruta/{barrio}/intervencion/{}", f.id)>"Abrir"</a>
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
pub fn FichaEditPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="Las fichas de intervención de un barrio son para el equipo de la Secretaría y quienes facilitan en él.">
            <FichaEditor/>
        </RequireRole>
    }
}

fn params() -> (Memo<Option<i64>>, Memo<Option<uuid::Uuid>>) {
    let params = use_params_map();
    let barrio = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let ficha = Memo::new(move |_| params.with(|p| p.get("ficha").and_then(|s| s.parse::<uuid::Uuid>().ok())));
    (barrio, ficha)
}

/// The ficha `id`: this device's copy if it has one (it may be newer), else the server's.
#[cfg(feature = "hydrate")]
async fn load(id: uuid::Uuid) -> Result<FichaIntervencion, String> {
    crate::client::versioned::load::<FichaIntervencion>(id)
        .await
        .ok_or_else(|| "No se encontró la ficha en este dispositivo ni en el servidor.".into())
}

/// A new ficha of the barrio, dated today.
#[cfg(feature = "hydrate")]
fn blank(barrio_id: i64) -> FichaIntervencion {
    let now = crate::client::device::now_ms();
    FichaIntervencion {
        id: crate::client::device::new_id(),
        barrio_id,
        version: 0,
        accion: Accion::Alumbrado,
        accion_otra: String::new(),
        institucion: String::new(),
        fecha: crate::model::workshop::colombia_date_time(now).0,
        lugar: Lugar::default(),
        compromisos: Vec::new(),
        descripcion: String::new(),
        updated_at_ms: now,
        author: String::new(),
        deleted: false,
    }
}

#[component]
fn FichaEditor() -> impl IntoView {
    let (barrio, ficha_id) = params();
    #[cfg(not(feature = "hydrate"))]
    let _ = ficha_id;
    let loaded = RwSignal::new(None::<Result<(FichaIntervencion, Option<ContextoFicha>), String>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (Some(barrio), id) = (barrio.get(), ficha_id.get()) else { return };
        leptos::task::spawn_local(async move {
            let ficha = match id {
                Some(id) => load(id).await,
                None => Ok(blank(barrio)),
            };
            let ctx = crate::client::intervenciones::contexto(barrio).await;
            loaded.set(Some(ficha.map(|f| (f, ctx))));
        });
    });
    view! {
        <Title text="Ficha de intervención"/>
        <section class="page staff acta-page ficha-page">
            <p class="crumbs"><a href=move || format!("/ruta/{}", barrio.get().unwrap_or_default())>"← La ruta del barrio"</a></p>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Abriendo la ficha…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok((ficha, ctx))) => view! { <FichaForm ficha ctx/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn FichaForm(ficha: FichaIntervencion, ctx: Option<ContextoFicha>) -> impl IntoView {
    let base = StoredValue::new(ficha.clone());
    let ctx = StoredValue::new(ctx);
    let accion = RwSignal::new(ficha.accion);
    let accion_otra = RwSignal::new(ficha.accion_otra.clone());
    let institucion = RwSignal::new(ficha.institucion.clone());
    let fecha = RwSignal::new(ficha.fecha.clone());
    let hotspot = RwSignal::new(ficha.lugar.hotspot_id);
    let punto = RwSignal::new(ficha.lugar.punto);
    let lugar_texto = RwSignal::new(ficha.lugar.descripcion.clone());
    let compromisos = RwSignal::new(ficha.compromisos.clone());
    let descripcion = RwSignal::new(ficha.descripcion.clone());
    let status = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let locating = RwSignal::new(false);
    let nueva = ficha.version == 0;

    let current = move |deleted: bool| {
        let b = base.get_value();
        FichaIntervencion {
            version: b.version + 1,
            accion: accion.get_untracked(),
            accion_otra: accion_otra.get_untracked(),
            institucion: institucion.get_untracked(),
            fecha: fecha.get_untracked(),
            lugar: Lugar { hotspot_id: hotspot.get_untracked(), punto: punto.get_untracked(), descripcion: lugar_texto.get_untracked() },
            compromisos: compromisos.get_untracked(),
            descripcion: descripcion.get_untracked(),
            deleted,
            ..b
        }
    };
    let keep = move |deleted: bool| {
        let ficha = match current(deleted).checked() {
            Ok(f) => f,
            Err(e) => {
                use crate::model::Bilingual;
                status.set(Some((false, e.es())));
                return;
            }
        };
        #[cfg(feature = "hydrate")]
        {
            busy.set(true);
            leptos::task::spawn_local(async move {
                let ficha = FichaIntervencion { updated_at_ms: crate::client::device::now_ms(), ..ficha };
                use crate::client::versioned::{save, send, Local};
                if let Err(e) = save(&ficha).await {
                    status.set(Some((
                        false,
                        format!("No se pudo guardar en este dispositivo: {e:?}. No cierre la página; intente de nuevo."),
                    )));
                    busy.set(false);
                    return;
                }
                base.set_value(ficha.clone());
                status.set(Some((true, "Guardada en este dispositivo. Enviando…".into())));
                status.set(Some(send(Local::unsent(ficha)).await.said("Guardada")));
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ficha, busy);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        keep(false);
    };
    let locate = move |_| {
        #[cfg(feature = "hydrate")]
        {
            locating.set(true);
            crate::client::geo::locate(move |fix| {
                locating.set(false);
                match fix {
                    Ok((lon, lat, _)) => punto.set(Some([lon, lat])),
                    Err(why) => status.set(Some((false, why))),
                }
            });
        }
    };
    let instituciones = ctx.with_value(|c| c.as_ref().map(|c| c.instituciones.clone()).unwrap_or_default());
    let lugares = ctx.with_value(|c| c.as_ref().map(|c| c.lugares.clone()).unwrap_or_default());
    let opciones = ctx.with_value(|c| c.as_ref().map(|c| c.compromisos.clone()).unwrap_or_default());
    let sin_contexto = ctx.with_value(Option::is_none);
    let sin_compromisos = opciones.is_empty();
    view! {
        <h1>{if nueva { "Nueva ficha de intervención" } else { "Ficha de intervención" }}</h1>
        {sin_contexto.then(|| view! {
            <p class="notice warn" role="status">"Este dispositivo aún no tiene las instituciones, lugares y compromisos del barrio: abra la ruta del barrio una vez con señal."</p>
        })}
        <form class="acta-form ficha-form" data-testid="ficha-form" on:submit=save>
            <label class="field"><span>"Qué se hizo"</span>
                <select name="accion" prop:value=move || accion.get().code() on:change=move |ev| if let Some(a) = Accion::from_code(&event_target_value(&ev)) { accion.set(a) }>
                    {Accion::ALL.into_iter().map(|a| view! { <option value=a.code()>{a.label_es()}</option> }).collect_view()}
                </select>
            </label>
            <Show when=move || accion.get() == Accion::Otra>
                <label class="field"><span>"¿Qué acción?"</span>
                    <input type="text" name="accion_otra" maxlength="120" prop:value=accion_otra on:input=move |ev| accion_otra.set(event_target_value(&ev))/>
                </label>
            </Show>
            <label class="field"><span>"Institución"</span>
                <select name="institucion" required prop:value=move || institucion.get() on:change=move |ev| institucion.set(event_target_value(&ev))>
                    <option value="">"Elija…"</option>
                    {instituciones.into_iter().map(|(codigo, nombre)| view! { <option value=codigo>{nombre}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>"Fecha"</span>
                <input type="date" name="fecha" required prop:value=fecha on:input=move |ev| fecha.set(event_target_value(&ev))/>
            </label>
            <fieldset class="wide ficha-lugar">
                <legend>"Dónde"</legend>
                <label class="field"><span>"Lugar del diagnóstico"</span>
                    <select name="hotspot" prop:value=move || hotspot.get().map(|h| h.to_string()).unwrap_or_default()
                        on:change=move |ev| hotspot.set(event_target_value(&ev).parse().ok())>
                        <option value="">"Ninguno"</option>
                        {lugares.into_iter().map(|l| {
                            let label = format!("{} · {} marcas", l.nombre, l.marcas);
                            view! { <option value=l.hotspot_id.to_string()>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <div class="field">
                    <span>"Ubicación"</span>
                    {move || match punto.get() {
                        Some([lon, lat]) => view! {
                            <p class="ficha-punto" data-testid="ficha-punto">{format!("{lat:.5}, {lon:.5}")}
                                <button type="button" class="button small quiet" on:click=move |_| punto.set(None)>"Quitar"</button>
                            </p>
                        }.into_any(),
                        None => view! {
                            <button type="button" class="button" data-testid="ficha-ubicacion" disabled=move || locating.get() on:click=locate>
                                {move || if locating.get() { "Buscando la ubicación…" } else { "Usar mi ubicación" }}
                            </button>
                        }.into_any(),
                    }}
                </div>
                <label class="field wide"><span>"El lugar en palabras"</span>
                    <input type="text" name="lugar" maxlength="200" placeholder="El parque de la calle 8" prop:value=lugar_texto on:input=move |ev| lugar_texto.set(event_target_value(&ev))/>
                </label>
            </fieldset>
            <fieldset class="wide ficha-compromisos" data-testid="ficha-compromisos">
                <legend>"Compromisos que cumple"</legend>
                {if sin_compromisos {
                    view! { <p class="muted">"El barrio no tiene un pacto firmado con compromisos."</p> }.into_any()
                } else {
                    opciones.into_iter().map(|k| {
                        let id = k.id;
                        let quien = ctx.with_value(|c| nombre(c.as_ref(), &k.responsable));
                        let hasta = if k.fecha_limite.is_empty() { String::new() } else { format!(" · hasta {}", date_es(&k.fecha_limite)) };
                        view! {
                            <label class="check-row" data-compromiso=id.to_string()>
                                <input type="checkbox" prop:checked=move || compromisos.with(|c| c.contains(&id))
                                    on:change=move |ev| { let on = event_target_checked(&ev); compromisos.update(|c| { c.retain(|x| *x != id); if on { c.push(id) } }) }/>
                                <span>{k.que.clone()}<small class="block">{format!("{quien}{hasta} · {}", k.estado.label_es())}</small></span>
                            </label>
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
            <label class="field wide"><span>"Descripción: qué se hizo y cómo quedó"</span>
                <textarea name="descripcion" rows="4" maxlength="4000" prop:value=descripcion on:input=move |ev| descripcion.set(event_target_value(&ev))></textarea>
            </label>
            <div class="wide form-actions">
                <button type="submit" class="button primary" data-testid="save-ficha" disabled=move || busy.get()>"Guardar ficha"</button>
                {(!nueva).then(|| view! {
                    <button type="button" class="button quiet" data-testid="withdraw-ficha" disabled=move || busy.get() on:click=move |_| keep(true)>"Retirar ficha"</button>
                })}
            </div>
            {move || status.get().map(|(ok, text)| view! {
                <p class=if ok { "notice ok wide" } else { "notice warn wide" } role="status" data-testid="ficha-status">{text}</p>
            })}
        </form>
    }
}
