//! Actas of a barrio's meetings: the list on its route page, the form a facilitator fills on a
//! tablet during the meeting (saved on the device first, sent when there is signal), and the
//! printable acta on A4 or Letter with signature blocks and a blank attendance sheet.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use std::collections::HashSet;

use super::ruta_barrio::RutaContext;
use crate::components::account::RequireRole;
use crate::components::document::{Letterhead, PrintActions, SignatureBlocks};
use crate::model::ruta::{Paso, TipoRegistro};
use crate::model::acta::{Acta, ActaKind, Asistencia, Compromiso};
use crate::model::versioned::Line;
use crate::model::report::PROCEDURE_CODE;
use crate::model::workshop::date_es;

/// Rows of the blank attendance sheet: a page of them.
const ATTENDANCE_ROWS: usize = 22;

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// What a signed acta's scan is kept as, at step `paso`: its kind of acta when the step keeps
/// that kind, another document otherwise.
pub fn scan_tipo(kind: ActaKind, paso: Paso) -> TipoRegistro {
    let natural = if kind == ActaKind::ComiteInterinstitucional { TipoRegistro::ActaComiteInterinstitucional } else { TipoRegistro::ActaReunion };
    if paso.registros().contains(&natural) { natural } else { TipoRegistro::Otro }
}

/// The actas of barrio `barrio` on its route page; works offline from this device's copies.
/// Staff keep an acta's signed scan as a registro of the open ciclo's step.
#[component]
pub fn ActasSection(
    barrio: i64,
    ctx: RutaContext,
    open_ciclo: Signal<Option<(uuid::Uuid, Paso)>>,
    signed: Signal<HashSet<uuid::Uuid>>,
) -> impl IntoView {
    let lines = RwSignal::new(None::<Vec<Line<Acta>>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            lines.set(Some(crate::client::versioned::lines::<Acta>(barrio).await));
        });
    });
    view! {
        <section class="actas" data-testid="actas">
            <div class="actas-head">
                <h2>"Actas de reuniones"</h2>
                <a class="button small primary" href=format!("/ruta/{barrio}/acta") data-testid="new-acta">"Nueva acta"</a>
            </div>
            {move || match lines.get() {
                None => view! { <p class="loading">"Cargando actas…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">"Aún no hay actas de este barrio."</p> }.into_any(),
                Some(list) => view! {
                    <ul class="acta-list">
                        {list.into_iter().map(|l| {
                            let a = l.doc;
                            let (acta_id, for_scan) = (a.id, a.clone());
                            let facts = format!("{} · {} asistentes · {} compromisos", if a.lugar.is_empty() { "Sin lugar" } else { &a.lugar }, a.asistencia.total(), a.compromisos.len());
                            view! {
                                <li data-acta=a.id.to_string() data-waiting=l.waiting.to_string()>
                                    <div>
                                        <strong>{a.title()}</strong>
                                        <small>{facts}</small>
                                        {l.waiting.then(|| view! { <span class="pending-chip">"En este dispositivo, falta enviar"</span> })}
                                        {l.refused.map(|r| view! { <p class="warn-text">{format!("El servidor no la recibió: {r}")}</p> })}
                                        {move || signed.with(|s| s.contains(&acta_id)).then(|| view! { <small class="ok-text" data-testid="acta-signed">"✓ Copia firmada guardada"</small> })}
                                    </div>
                                    {(!l.waiting).then(move || view! {
                                        <Show when=move || ctx.staff.get() && open_ciclo.get().is_some()>
                                            <SignedScan acta=for_scan.clone() ctx open_ciclo/>
                                        </Show>
                                    })}
                                    <span class="acta-actions">
                                        <a class="button small" href=format!("/ruta/{barrio}/acta/{}", a.id)>"Abrir"</a>
                                        <a class="button small quiet" href=format!("/ruta/{barrio}/acta/{}/imprimir", a.id)>"Imprimir"</a>
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

#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
/// Keeps the acta's signed scan (a photo or a PDF) as a registro that names it.
#[component]
fn SignedScan(acta: Acta, ctx: RutaContext, open_ciclo: Signal<Option<(uuid::Uuid, Paso)>>) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let (Some((ciclo, paso)), Some(file)) =
                (open_ciclo.get_untracked(), file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)))
            else {
                return;
            };
            let tipo = scan_tipo(acta.kind, paso);
            let query = super::ruta_barrio::upload_query(paso, tipo, &acta.fecha, &format!("Copia firmada: {}", acta.title()), &file.name());
            let url = format!("/api/v1/ciclos/{ciclo}/registros?{query}&acta_id={}", acta.id);
            ctx.busy.set(true);
            leptos::task::spawn_local(async move {
                let result = super::ruta_barrio::upload(&url, file).await;
                ctx.finish(result.map(|_| "Copia firmada guardada como registro del paso.".to_string()));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&acta, open_ciclo, file_input);
    };
    view! {
        <details class="withdraw signed-scan">
            <summary class="button small">"Subir copia firmada"</summary>
            <form on:submit=submit>
                <label class="field"><span>"Foto o PDF del acta firmada"</span>
                    <input type="file" name="scan" node_ref=file_input required accept=".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/*"/>
                </label>
                <button type="submit" class="button small primary" disabled=move || ctx.busy.get()>"Guardar copia firmada"</button>
            </form>
        </details>
    }
}

fn params() -> (Memo<Option<i64>>, Memo<Option<uuid::Uuid>>) {
    let params = use_params_map();
    let barrio = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let acta = Memo::new(move |_| params.with(|p| p.get("acta").and_then(|s| s.parse::<uuid::Uuid>().ok())));
    (barrio, acta)
}

/// The acta `id`: this device's copy if it has one (it may be newer), else the server's.
#[cfg(feature = "hydrate")]
async fn load(id: uuid::Uuid) -> Result<Acta, String> {
    crate::client::versioned::load::<Acta>(id).await.ok_or_else(|| "No se encontró el acta en este dispositivo ni en el servidor.".into())
}

#[component]
pub fn ActaEditPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="Las actas de un barrio son para el equipo de la Secretaría y quienes facilitan en él.">
            <ActaEditor/>
        </RequireRole>
    }
}

#[component]
fn ActaEditor() -> impl IntoView {
    let (barrio, acta_id) = params();
    #[cfg(not(feature = "hydrate"))]
    let _ = acta_id;
    let loaded = RwSignal::new(None::<Result<Acta, String>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (Some(barrio), id) = (barrio.get(), acta_id.get()) else { return };
        leptos::task::spawn_local(async move {
            let acta = match id {
                Some(id) => load(id).await,
                None => Ok(blank(barrio)),
            };
            loaded.set(Some(acta));
        });
    });
    view! {
        <Title text="Acta"/>
        <section class="page staff acta-page">
            <p class="crumbs"><a href=move || format!("/ruta/{}", barrio.get().unwrap_or_default())>"← La ruta del barrio"</a></p>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Abriendo el acta…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(acta)) => view! { <ActaForm acta/> }.into_any(),
            }}
        </section>
    }
}

/// A new acta of the barrio, dated today.
#[cfg(feature = "hydrate")]
fn blank(barrio_id: i64) -> Acta {
    let now = crate::client::device::now_ms();
    Acta {
        id: crate::client::device::new_id(),
        barrio_id,
        version: 0,
        kind: ActaKind::ComiteBarrial,
        fecha: crate::model::workshop::colombia_date_time(now).0,
        lugar: String::new(),
        asistencia: Asistencia::default(),
        agenda: String::new(),
        desarrollo: String::new(),
        decisiones: String::new(),
        compromisos: Vec::new(),
        updated_at_ms: now,
        author: String::new(),
        deleted: false,
    }
}

/// A count typed in a box: digits only, anything else is 0.
fn count(text: &str) -> u32 {
    text.trim().parse().unwrap_or(0)
}

#[component]
fn ActaForm(acta: Acta) -> impl IntoView {
    let base = StoredValue::new(acta.clone());
    let kind = RwSignal::new(acta.kind);
    let fecha = RwSignal::new(acta.fecha.clone());
    let lugar = RwSignal::new(acta.lugar.clone());
    let asistencia = RwSignal::new(acta.asistencia);
    let agenda = RwSignal::new(acta.agenda.clone());
    let desarrollo = RwSignal::new(acta.desarrollo.clone());
    let decisiones = RwSignal::new(acta.decisiones.clone());
    let compromisos = RwSignal::new(acta.compromisos.clone());
    let status = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let barrio = acta.barrio_id;
    let id = acta.id;

    let current = move || {
        let b = base.get_value();
        Acta {
            version: b.version + 1,
            kind: kind.get_untracked(),
            fecha: fecha.get_untracked(),
            lugar: lugar.get_untracked(),
            asistencia: asistencia.get_untracked(),
            agenda: agenda.get_untracked(),
            desarrollo: desarrollo.get_untracked(),
            decisiones: decisiones.get_untracked(),
            compromisos: compromisos.get_untracked(),
            ..b
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let acta = current();
        let acta = match acta.checked() {
            Ok(a) => a,
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
                let acta = crate::model::acta::Acta { updated_at_ms: crate::client::device::now_ms(), ..acta };
                use crate::client::versioned::{save, send, Local};
                if let Err(e) = save(&acta).await {
                    status.set(Some((false, format!("No se pudo guardar en este dispositivo: {e:?}. No cierre la página; intente de nuevo."))));
                    busy.set(false);
                    return;
                }
                base.set_value(acta.clone());
                status.set(Some((true, "Guardada en este dispositivo. Enviando…".into())));
                status.set(Some(send(Local::unsent(acta)).await.said("Guardada")));
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (acta, busy);
    };
    let count_field = move |label: &'static str, name: &'static str, get: fn(&Asistencia) -> u32, set: fn(&mut Asistencia, u32)| {
        view! {
            <label class="field count-field"><span>{label}</span>
                <input type="number" inputmode="numeric" min="0" max="5000" name=name
                    prop:value=move || asistencia.with(|a| get(a).to_string())
                    on:input=move |ev| { let n = count(&event_target_value(&ev)); asistencia.update(|a| set(a, n)); }/>
            </label>
        }
    };
    let text_field = move |label: &'static str, name: &'static str, signal: RwSignal<String>, rows: &'static str| {
        view! {
            <label class="field wide"><span>{label}</span>
                <textarea name=name rows=rows maxlength="10000" prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))></textarea>
            </label>
        }
    };
    view! {
        <h1>{if acta.version == 0 { "Nueva acta" } else { "Acta" }}</h1>
        <p class="barrio-meta">"Se guarda primero en este dispositivo: funciona sin señal y se envía sola cuando vuelve. La asistencia se cuenta por sector; los nombres van solo en la hoja de firmas impresa."</p>
        <form class="acta-form" on:submit=save data-testid="acta-form">
            <label class="field"><span>"Tipo de reunión"</span>
                <select name="kind" on:change=move |ev| if let Some(k) = ActaKind::from_code(&event_target_value(&ev)) { kind.set(k) }>
                    {ActaKind::ALL.into_iter().map(|k| view! { <option value=k.code() selected=move || kind.get() == k>{k.label_es()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>"Fecha"</span>
                <input type="date" name="fecha" required prop:value=fecha on:input=move |ev| fecha.set(event_target_value(&ev))/>
            </label>
            <label class="field wide"><span>"Lugar"</span>
                <input type="text" name="lugar" maxlength="200" prop:value=lugar on:input=move |ev| lugar.set(event_target_value(&ev))/>
            </label>
            <fieldset class="wide asistencia">
                <legend>"Asistencia (cuántas personas)"</legend>
                {count_field("Comunidad", "comunidad", |a| a.comunidad, |a, n| a.comunidad = n)}
                {count_field("Policía", "policia", |a| a.policia, |a, n| a.policia = n)}
                {count_field("Secretarías", "secretarias", |a| a.secretarias, |a, n| a.secretarias = n)}
                {count_field("Otras instituciones", "otras", |a| a.otras, |a, n| a.otras = n)}
                <p class="total">{move || format!("Total: {}", asistencia.with(Asistencia::total))}</p>
            </fieldset>
            {text_field("Orden del día", "agenda", agenda, "3")}
            {text_field("Desarrollo", "desarrollo", desarrollo, "6")}
            {text_field("Decisiones", "decisiones", decisiones, "3")}
            <fieldset class="wide compromisos">
                <legend>"Compromisos"</legend>
                {move || compromisos.get().into_iter().enumerate().map(|(i, c)| {
                    let edit = move |f: fn(&mut Compromiso, String)| move |ev: leptos::ev::Event| {
                        let v = event_target_value(&ev);
                        compromisos.update(|all| if let Some(c) = all.get_mut(i) { f(c, v) });
                    };
                    view! {
                        <div class="compromiso" data-row=i>
                            <label class="field"><span>"Responsable"</span>
                                <input type="text" name="responsable" maxlength="500" prop:value=c.responsable on:change=edit(|c, v| c.responsable = v)/>
                            </label>
                            <label class="field"><span>"Qué se hará"</span>
                                <input type="text" name="que" maxlength="500" prop:value=c.que on:change=edit(|c, v| c.que = v)/>
                            </label>
                            <label class="field"><span>"Fecha límite"</span>
                                <input type="date" name="fecha_limite" prop:value=c.fecha_limite on:change=edit(|c, v| c.fecha_limite = v)/>
                            </label>
                            <button type="button" class="button small quiet" on:click=move |_| compromisos.update(|all| { if i < all.len() { all.remove(i); } })>"Quitar"</button>
                        </div>
                    }
                }).collect_view()}
                <button type="button" class="button small" data-testid="add-compromiso"
                    on:click=move |_| compromisos.update(|all| all.push(Compromiso { responsable: String::new(), que: String::new(), fecha_limite: String::new() }))>
                    "Agregar compromiso"
                </button>
            </fieldset>
            <div class="wide acta-save">
                <button type="submit" class="button primary" disabled=move || busy.get() data-testid="save-acta">"Guardar acta"</button>
                <a class="button small quiet" href=format!("/ruta/{barrio}/acta/{id}/imprimir")>"Imprimir"</a>
            </div>
            {move || status.get().map(|(ok, text)| view! { <p class=if ok { "notice ok" } else { "notice warn" } role="status" data-testid="acta-status">{text}</p> })}
        </form>
    }
}

#[component]
pub fn ActaPrintPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="Las actas de un barrio son para el equipo de la Secretaría y quienes facilitan en él.">
            <ActaPrint/>
        </RequireRole>
    }
}

#[component]
fn ActaPrint() -> impl IntoView {
    let (barrio, acta_id) = params();
    #[cfg(not(feature = "hydrate"))]
    let _ = acta_id;
    let loaded = RwSignal::new(None::<Result<(Acta, String), String>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (Some(barrio), Some(id)) = (barrio.get(), acta_id.get()) else { return };
        leptos::task::spawn_local(async move {
            let name = crate::data::barrio(barrio).await.ok().flatten().map(|b| b.summary.name).unwrap_or_default();
            loaded.set(Some(load(id).await.map(|a| (a, name))));
        });
    });
    view! {
        <Title text="Acta para imprimir"/>
        <div class="report-page">
            <PrintActions back=Signal::derive(move || format!("/ruta/{}", barrio.get().unwrap_or_default())) label="← La ruta del barrio"/>
            {move || match loaded.get() {
                None => view! { <p class="report-loading">"Preparando el acta…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="report-error error" role="alert">{e}</p> }.into_any(),
                Some(Ok((acta, name))) => view! { <ActaDocument acta barrio_name=name/> }.into_any(),
            }}
        </div>
    }
}

/// The printed acta: letterhead, the meeting, its commitments, signatures, and a blank
/// attendance sheet on a page of its own for the wet signatures.
#[component]
fn ActaDocument(acta: Acta, barrio_name: String) -> impl IntoView {
    let a = acta.asistencia;
    let paragraphs = |text: &str| -> Vec<String> { text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect() };
    let section = move |n: u8, title: &'static str, text: String| {
        let lines = paragraphs(&text);
        view! {
            <section class="report-section">
                <h2>{format!("{n}. {title}")}</h2>
                {if lines.is_empty() { view! { <p class="muted">"(Sin registrar)"</p> }.into_any() }
                 else { lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view().into_any() }}
            </section>
        }
    };
    let title = acta.title();
    view! {
        <article class="report acta-doc" data-testid="acta-doc">
            <header class="report-head">
                <Letterhead process="Intervención en seguridad y convivencia territorial — coproducción de seguridad"
                    facts=vec![("Versión del acta", acta.version.to_string()), ("Fecha", date_es(&acta.fecha))]/>
                <h1>{title}</h1>
                <p class="report-subtitle">{format!("Barrio {barrio_name}")}{(!acta.lugar.is_empty()).then(|| format!(" · {}", acta.lugar))}</p>
            </header>
            <section class="report-section">
                <h2>"1. Asistencia"</h2>
                <table class="report-table">
                    <thead><tr><th>"Comunidad"</th><th>"Policía"</th><th>"Secretarías"</th><th>"Otras instituciones"</th><th>"Total"</th></tr></thead>
                    <tbody><tr>
                        <td class="num">{a.comunidad}</td><td class="num">{a.policia}</td><td class="num">{a.secretarias}</td>
                        <td class="num">{a.otras}</td><td class="num"><strong>{a.total()}</strong></td>
                    </tr></tbody>
                </table>
                <p class="report-note">"Los nombres y firmas de quienes asistieron van en la hoja de asistencia adjunta."</p>
            </section>
            {section(2, "Orden del día", acta.agenda.clone())}
            {section(3, "Desarrollo", acta.desarrollo.clone())}
            {section(4, "Decisiones", acta.decisiones.clone())}
            <section class="report-section">
                <h2>"5. Compromisos"</h2>
                {if acta.compromisos.is_empty() { view! { <p class="muted">"(Sin compromisos)"</p> }.into_any() } else { view! {
                    <table class="report-table">
                        <thead><tr><th>"No."</th><th>"Responsable"</th><th>"Qué se hará"</th><th>"Fecha límite"</th></tr></thead>
                        <tbody>
                            {acta.compromisos.iter().enumerate().map(|(i, c)| view! {
                                <tr><td class="num">{i + 1}</td><td>{c.responsable.clone()}</td><td>{c.que.clone()}</td>
                                    <td>{if c.fecha_limite.is_empty() { "—".to_string() } else { date_es(&c.fecha_limite) }}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any() }}
            </section>
            <SignatureBlocks roles=["Presidente(a) del CBSC", "Secretario(a) de la reunión", "Secretaría de Seguridad y Convivencia"]/>
            <section class="report-section attendance-sheet" data-testid="attendance-sheet">
                <h2>{format!("Hoja de asistencia — {}", acta.title())}</h2>
                <p class="report-note">{format!("Barrio {barrio_name}. Con su firma, cada persona deja constancia de que asistió; esta hoja no se publica.")}</p>
                <table class="report-table attendance">
                    <thead><tr><th>"No."</th><th>"Nombre"</th><th>"Sector o entidad"</th><th>"Teléfono"</th><th>"Firma"</th></tr></thead>
                    <tbody>
                        {(1..=ATTENDANCE_ROWS).map(|n| view! { <tr><td class="num">{n}</td><td></td><td></td><td></td><td></td></tr> }).collect_view()}
                    </tbody>
                </table>
            </section>
            <footer class="report-foot">{format!("Cartobarrio · {} · barrio {barrio_name} · versión {} · {PROCEDURE_CODE}", acta.title(), acta.version)}</footer>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_scan_is_kept_as_the_steps_own_kind_of_acta_when_it_has_one() {
        assert_eq!(scan_tipo(ActaKind::ComiteBarrial, Paso::Intervencion), TipoRegistro::ActaReunion);
        assert_eq!(scan_tipo(ActaKind::ComiteInterinstitucional, Paso::Seguimiento), TipoRegistro::ActaComiteInterinstitucional);
        assert_eq!(scan_tipo(ActaKind::ComiteBarrial, Paso::Diagnostico), TipoRegistro::Otro);
    }

    #[test]
    fn a_count_is_digits_or_nothing() {
        assert_eq!((count(" 12 "), count("doce"), count("-3")), (12, 0, 0));
    }
}
