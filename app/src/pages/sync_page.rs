//! `/envios`: the honest state of what this device holds — what the server has confirmed by
//! receipt, what still waits, what it refused and why — and a button to sync now.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::device_wipe::WipeButton;
use crate::components::hydration::rendered_then_live;
use crate::components::status::use_sync_state;
use crate::model::hygiene::WipeScope;
use crate::model::words::count_es;

/// Where one mark on the device stands with the server.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkSync {
    /// Every version made here has the server's receipt.
    Confirmed,
    /// Came from the server (another device of the workshop); nothing of it waits here.
    FromServer,
    /// At least one version waits to be sent.
    Waiting,
    /// The server refused a version; it stays here with the reason.
    Refused,
}

/// A mark's standing from the queue and the receipts: waiting or refused wins over any
/// receipt, so a later edit not yet sent is never shown as confirmed.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn mark_sync(queued: Option<bool>, has_receipt: bool) -> MarkSync {
    match (queued, has_receipt) {
        (Some(true), _) => MarkSync::Refused,
        (Some(false), _) => MarkSync::Waiting,
        (None, true) => MarkSync::Confirmed,
        (None, false) => MarkSync::FromServer,
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Overview {
    total: usize,
    confirmed: usize,
    from_server: usize,
    waiting: Vec<(String, String)>,
    refused: Vec<(String, String)>,
}

fn time_es(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        let ago = (crate::client::device::now_ms() - ms) / 60_000;
        let when = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
        return match ago {
            i64::MIN..=0 => format!("{when} (hace un momento)"),
            1..=59 => format!("{when} (hace {ago} min)"),
            _ => format!("{when}, {:02}/{:02}/{}", d.get_date(), d.get_month() + 1, d.get_full_year()),
        };
    }
    #[allow(unreachable_code)]
    ms.to_string()
}

#[component]
pub fn SyncPage() -> impl IntoView {
    let state = use_sync_state();
    let overview = RwSignal::new(None::<Overview>);
    // The workshops kept on this device: (id, barrio, date).
    let workshops = RwSignal::new(Vec::<(uuid::Uuid, String, String)>::new());
    // A wiped workshop's row goes, and its button's answer with it: said here instead.
    let wiped = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    let load = move || {
        leptos::task::spawn_local(async move {
            use std::collections::{HashMap, HashSet};
            let (Ok(marks), Ok(queue), Ok(receipts)) = (
                crate::client::storage::all_marks().await,
                crate::client::storage::outbox().await,
                crate::client::sync_store::receipts().await,
            ) else {
                return;
            };
            let mut queued: HashMap<uuid::Uuid, bool> = HashMap::new();
            let mut refused = Vec::new();
            for e in &queue {
                let r = queued.entry(e.record.id()).or_insert(false);
                *r |= e.rejected.is_some();
                if let Some(reason) = &e.rejected {
                    refused.push((label(&e.record), reason.clone()));
                }
            }
            let receipted: HashSet<uuid::Uuid> = receipts.iter().map(|r| r.id).collect();
            let mut o = Overview { total: marks.iter().filter(|m| !m.deleted).count(), refused, ..Default::default() };
            for m in marks.iter().filter(|m| !m.deleted || queued.contains_key(&m.id)) {
                match mark_sync(queued.get(&m.id).copied(), receipted.contains(&m.id)) {
                    MarkSync::Confirmed => o.confirmed += 1,
                    MarkSync::FromServer => o.from_server += 1,
                    MarkSync::Waiting => o.waiting.push((label(&crate::model::Record::Mark(m.clone())), m.id.to_string())),
                    MarkSync::Refused => {}
                }
            }
            overview.set(Some(o));
            if let Ok(list) = crate::client::sync_store::workshops().await {
                // Set only when it changed: a new list draws new buttons, and a wipe's answer
                // shown on the old one would vanish.
                let list: Vec<_> = list.into_iter().map(|w| (w.id, w.barrio_name, w.workshop.date)).collect();
                if workshops.with_untracked(|w| *w != list) {
                    workshops.set(list);
                }
            }
        });
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        // Again whenever the queue moves or a pull lands.
        state.pending.track();
        state.rejected.track();
        state.remote_changes.track();
        load();
    });
    let sync_now = move |_| {
        #[cfg(feature = "hydrate")]
        {
            state.failures.set_value(0);
            crate::client::sync::send_soon(state);
        }
    };
    let retry_refused = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::sync_store::retry_refused().await {
                Ok(_) => crate::client::sync::send_soon(state),
                Err(e) => {
                    leptos::logging::error!("retrying the refused changes failed: {e}");
                    state.last_problem.set(Some(format!("No se pudieron reintentar: {e}")));
                }
            }
        });
    };
    // A lazy route: when its chunk arrives the device's state (the signal, files waiting, the
    // last problem) is already known, and the markup (the server's, or the worker's copy
    // offline) knows none of it. Hydrate what the markup says, then show the live state.
    let too_old = rendered_then_live(move || state.too_old.get());
    let offline = rendered_then_live(move || !state.online.get());
    let files_waiting = rendered_then_live(move || state.media.with(|m| m.files() > 0));
    let problem = rendered_then_live(move || state.last_problem.with(Option::is_some) && !state.too_old.get());
    view! {
        <Title text="Envío de datos"/>
        <section class="page sync-page">
            <h1>"Envío de datos"</h1>
            <Show when=move || too_old.get()>
                <p class="error" role="alert">"Esta versión de la aplicación ya no puede enviar: actualícela (recargue con señal). Lo que marcó sigue guardado en este dispositivo y se enviará después."</p>
            </Show>
            <div class="sync-now">
                <button type="button" class="button primary" data-testid="sync-now" on:click=sync_now
                    disabled=move || state.sending.get() || !state.online.get()>
                    {move || if state.sending.get() { "Sincronizando…" } else { "Sincronizar ahora" }}
                </button>
                <Show when=move || offline.get()>
                    <p class="barrio-meta">"Sin conexión: se enviará solo cuando vuelva la señal."</p>
                </Show>
            </div>
            <dl class="sync-facts">
                <dt>"Por enviar"</dt>
                <dd data-testid="sync-pending">{move || state.pending.get().map(|n| count_es(n, "cambio", "cambios")).unwrap_or_else(|| "…".into())}</dd>
                <dt>"Fotos y notas de voz"</dt>
                <dd data-testid="media-queue" data-files=move || state.media.with(|m| m.files())>
                    {move || state.media.with(|m| if m.files() == 0 { "Todas enviadas".to_string() } else {
                        format!("{} · faltan {} de {}", m.label_es(), crate::model::media::size_label(m.bytes_left), crate::model::media::size_label(m.bytes_total))
                    })}
                    <Show when=move || files_waiting.get()>
                        <progress class="media-progress" max="100" data-testid="media-progress"
                            prop:value=move || state.media.with(|m| m.percent_sent())
                            aria-label="Parte enviada de las fotos y notas de voz"></progress>
                    </Show>
                </dd>
                <dt>"Última sincronización completa"</dt>
                <dd data-testid="last-sync">{move || state.last_ok.get().map(time_es).unwrap_or_else(|| "Nunca".into())}</dd>
                // Too old is said above, in the alert; the server's words would repeat it.
                <Show when=move || problem.get()>
                    <dt>"Último problema"</dt>
                    <dd class="warn-text">{move || state.last_problem.get()}</dd>
                </Show>
            </dl>
            {move || overview.get().map(|o| view! {
                <h2>"Marcas en este dispositivo"</h2>
                <ul class="sync-counts" data-testid="mark-receipts" data-confirmed=o.confirmed data-waiting=o.waiting.len()>
                    <li><strong>{o.confirmed}</strong>" confirmadas por el servidor (con recibo)"</li>
                    <li><strong>{o.from_server}</strong>" recibidas de otros dispositivos del taller"</li>
                    <li class:warn-text=!o.waiting.is_empty()><strong>{o.waiting.len()}</strong>" esperan confirmación"</li>
                    {(!o.refused.is_empty()).then(|| view! {
                        <li class="warn-text"><strong>{o.refused.len()}</strong>" rechazadas por el servidor (abajo)"</li>
                    })}
                </ul>
                {(!o.waiting.is_empty()).then(|| view! {
                    <details class="sync-list">
                        <summary>"Ver las que esperan"</summary>
                        <ul>{o.waiting.iter().take(200).map(|(what, id)| view! { <li>{what.clone()}<span class="barrio-meta">{format!(" · {}", &id[..8])}</span></li> }).collect_view()}</ul>
                    </details>
                })}
                {(!o.refused.is_empty()).then(|| view! {
                    <h2>"Rechazadas por el servidor"</h2>
                    <ul class="refused-list" data-testid="refused-list">
                        {o.refused.iter().map(|(what, why)| view! { <li><strong>{what.clone()}</strong>": "{why.clone()}</li> }).collect_view()}
                    </ul>
                    <button type="button" class="button small" data-testid="retry-refused" on:click=retry_refused>"Reintentar las rechazadas"</button>
                })}
            })}
            <section class="device-hygiene" data-testid="device-hygiene">
                <h2>"Borrar de este dispositivo"</h2>
                <p class="barrio-meta">"En una tableta o un celular prestado, borre lo de cada taller al terminar. Solo se puede cuando el servidor ya tiene todo: nada se pierde."</p>
                <ul class="wipe-list">
                    {move || workshops.get().into_iter().map(|(id, barrio, date)| view! {
                        <li data-workshop-id=id.to_string()>
                            <strong>{format!("Taller de {barrio}")}</strong>
                            <span class="barrio-meta">{format!(" · {date}")}</span>
                            <WipeButton scope=WipeScope::Workshop(id) label="Terminar taller en este dispositivo"
                                explain="Se borran de este dispositivo las marcas, causas y soluciones de este taller (también las recibidas de otros), su código y los alias usados aquí."
                                on_done=Callback::new(move |n: usize| wiped.set(Some(format!(
                                    "Taller de {barrio} borrado de este dispositivo ({}). El servidor lo conserva.",
                                    count_es(n, "registro", "registros")
                                ))))/>
                        </li>
                    }).collect_view()}
                </ul>
                {move || wiped.get().map(|m| view! { <p class="notice ok" role="status" data-testid="wipe-workshop-done">{m}</p> })}
                <WipeButton scope=WipeScope::Everything label="Borrar mis datos de este dispositivo"
                    explain="Se borran de este dispositivo todas las marcas, causas y soluciones, los talleres y los alias. Los mapas de los barrios se quedan."/>
            </section>
        </section>
    }
}

/// A record in words: its kind and category.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn label(record: &crate::model::Record) -> String {
    use crate::model::Record;
    match record {
        Record::Mark(m) => {
            crate::model::Category::by_code(&m.category).map(|c| c.label_es.to_string()).unwrap_or_else(|| m.category.clone())
        }
        Record::Cause(_) => "Causa".into(),
        Record::Solution(_) => "Solución".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_confirmed_only_with_a_receipt_and_nothing_waiting() {
        assert_eq!(mark_sync(None, true), MarkSync::Confirmed);
        assert_eq!(mark_sync(Some(false), true), MarkSync::Waiting, "an edit not yet sent is not confirmed");
        assert_eq!(mark_sync(Some(true), true), MarkSync::Refused);
        assert_eq!(mark_sync(None, false), MarkSync::FromServer);
    }
}
