//! What the facilitator sees of the room on a workshop's page and on the projector: the live
//! counts (asked of the server every few seconds while the page is open), and whether the
//! barrio's map is saved on this tablet, with "Guardar" when it is not.

use leptos::prelude::*;
use uuid::Uuid;

use crate::model::words::{count_es, plural_es};
use crate::components::packs::{pack_size, use_pack_shelf};
use crate::model::room::{ago_es, Room, RoomDevice};
use crate::model::Stage;

/// The room as last read, and why it could not be read again.
#[derive(Clone, Copy)]
pub struct RoomFeed {
    pub room: RwSignal<Option<Room>>,
    pub problem: RwSignal<Option<String>>,
    /// The server said this account may not see the room (or nobody is signed in): the panel
    /// hides itself and stops asking.
    pub refused: RwSignal<bool>,
}

/// Reads the workshop's room now and every [`ROOM_REFRESH_MS`](crate::model::room::ROOM_REFRESH_MS)
/// while the calling component lives: one request at a time, none while the tab is hidden or
/// the device offline, and none after the page is left (the interval is cleared with it).
pub fn poll_room(workshop_id: Uuid) -> RoomFeed {
    let feed = RoomFeed { room: RwSignal::new(None), problem: RwSignal::new(None), refused: RwSignal::new(false) };
    #[cfg(feature = "hydrate")]
    {
        use crate::model::room::ROOM_REFRESH_MS;
        let busy = StoredValue::new(false);
        let ask = move || {
            let hidden = document().hidden();
            if hidden || busy.try_get_value().unwrap_or(true) || feed.refused.try_get_untracked().unwrap_or(true) {
                return;
            }
            if !crate::client::device::is_online() {
                let _ = feed.problem.try_set(Some("Sin conexión: las cifras vuelven con la señal.".into()));
                return;
            }
            busy.set_value(true);
            leptos::task::spawn_local(async move {
                let url = format!("/api/v1/workshops/{workshop_id}/room");
                let response = gloo_net::http::Request::get(&url).send().await;
                // The page may have been left meanwhile: every write below is a try.
                match response {
                    Ok(r) if r.status() == 401 || r.status() == 403 => {
                        let _ = feed.refused.try_set(true);
                    }
                    Ok(r) if r.ok() => match r.json::<Room>().await {
                        Ok(room) => {
                            let _ = feed.room.try_set(Some(room));
                            let _ = feed.problem.try_set(None);
                        }
                        Err(e) => {
                            let _ = feed.problem.try_set(Some(format!("Respuesta del servidor ilegible: {e}")));
                        }
                    },
                    Ok(r) => {
                        let _ = feed.problem.try_set(Some(format!("El servidor respondió {}.", r.status())));
                    }
                    Err(_) => {
                        let _ = feed.problem.try_set(Some("Sin conexión con el servidor: las cifras vuelven con la señal.".into()));
                    }
                }
                let _ = busy.try_set_value(false);
            });
        };
        ask();
        if let Ok(handle) = set_interval_with_handle(ask, std::time::Duration::from_millis(u64::from(ROOM_REFRESH_MS))) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = workshop_id;
    feed
}

/// A stage's line from its code, in the stepper's words.
fn stage_label(code: &str) -> String {
    match Stage::ALL.into_iter().find(|s| s.code() == code) {
        Some(s) => format!("{} {}", s.number(), s.short_es()),
        None => code.to_string(),
    }
}

/// What one device last said was waiting on it.
fn queue_text(d: &RoomDevice, now_ms: i64) -> (String, &'static str) {
    let Some(q) = d.queue else {
        return ("sin dato".into(), "unknown");
    };
    let when = d.reported_at_ms.map(|t| format!(" · {}", ago_es(t, now_ms))).unwrap_or_default();
    let state = if q.refused > 0 { "refused" } else if q.pending > 0 { "pending" } else { "done" };
    let what = match (q.pending, q.refused) {
        (0, 0) => "Todo enviado".to_string(),
        (p, 0) => format!("{p} por enviar"),
        (0, r) => count_es(r, "rechazado", "rechazados"),
        (p, r) => format!("{p} por enviar · {}", count_es(r, "rechazado", "rechazados")),
    };
    (format!("{what}{when}"), state)
}

fn device_name(d: &RoomDevice) -> String {
    if d.kind == "facilitator" {
        format!("Tableta de quien facilita ({})", d.number)
    } else {
        format!("Dispositivo {}", d.number)
    }
}

/// The three big numbers, shared by the panel and the projector.
#[component]
pub fn RoomTotals(feed: RoomFeed) -> impl IntoView {
    let stat = move |pick: fn(&Room) -> u32| move || feed.room.with(|r| r.as_ref().map(|r| pick(r).to_string()).unwrap_or_else(|| "…".into()));
    let word = move |pick: fn(&Room) -> u32, one: &'static str, many: &'static str| {
        move || feed.room.with(|r| plural_es(r.as_ref().map_or(2, pick), one, many))
    };
    view! {
        <div class="room-totals">
            <p class="room-stat" data-testid="room-devices">
                <strong>{stat(|r| r.devices)}</strong><span>{word(|r| r.devices, "dispositivo", "dispositivos")}</span>
            </p>
            <p class="room-stat" data-testid="room-participants">
                <strong>{stat(|r| r.participants)}</strong><span>{word(|r| r.participants, "participante", "participantes")}</span>
            </p>
            <p class="room-stat" data-testid="room-marks">
                <strong>{stat(|r| r.marks)}</strong><span>{word(|r| r.marks, "marca", "marcas")}</span>
            </p>
        </div>
        <ol class="room-stages" aria-label="Por etapa del taller">
            {move || feed.room.with(|r| r.as_ref().map(|r| r.stages.clone()).unwrap_or_default()).into_iter().map(|s| view! {
                <li data-stage=s.stage.clone()>
                    <span>{stage_label(&s.stage)}</span>
                    <strong>{s.count}</strong>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The live panel on the workshop's page: counts, stages, and each device's queue.
#[component]
pub fn RoomPanel(workshop_id: Uuid) -> impl IntoView {
    let feed = poll_room(workshop_id);
    view! {
        <Show when=move || !feed.refused.get()>
            <section class="room-panel" data-testid="room-panel" aria-labelledby="room-title">
                <div class="room-head">
                    <h2 id="room-title">"En la sala"</h2>
                    <a class="button small" href=format!("/talleres/{workshop_id}/proyectar") data-testid="open-projector">
                        "Proyectar código y cifras"
                    </a>
                </div>
                <RoomTotals feed/>
                <h3>"Por enviar en cada dispositivo"</h3>
                <p class="room-help">"Lo que cada dispositivo dijo la última vez que se conectó. «Sin dato»: su app es anterior o aún no se ha conectado."</p>
                <ul class="room-devices" data-testid="room-devices-list">
                    {move || feed.room.with(|r| match r {
                        None => view! { <li class="empty">"Contando…"</li> }.into_any(),
                        Some(r) if r.device_list.is_empty() => view! { <li class="empty">"Aún no se ha unido ningún dispositivo."</li> }.into_any(),
                        Some(r) => {
                            let now = r.server_time_ms;
                            r.device_list.iter().map(|d| {
                                let (text, state) = queue_text(d, now);
                                view! {
                                    <li data-testid="room-device" data-state=state>
                                        <span class="room-device-name">{device_name(d)}</span>
                                        <span class="room-device-sent">{count_es(d.received, "cambio recibido", "cambios recibidos")}</span>
                                        <span class="room-device-queue">{text}</span>
                                    </li>
                                }
                            }).collect_view().into_any()
                        }
                    })}
                </ul>
                {move || feed.problem.get().map(|p| view! { <p class="room-problem" role="status">{p}</p> })}
            </section>
        </Show>
    }
}

/// "Mapa guardado en esta tableta ✓", or a button that saves it (the same shelf as the home
/// page's, so both show the same state).
#[component]
pub fn PackStatus(barrio_id: i64) -> impl IntoView {
    let shelf = use_pack_shelf();
    let busy = move || shelf.busy.read().contains(&barrio_id);
    let size = move || shelf.offer(barrio_id).map(|o| format!(" ({})", pack_size(o.bytes))).unwrap_or_default();
    view! {
        <div class="pack-status" data-testid="pack-status">
            {move || match (shelf.loaded.get(), shelf.item(barrio_id)) {
                (false, _) => view! { <p class="pack-status-text">"Revisando si el mapa está en esta tableta…"</p> }.into_any(),
                (true, Some(item)) => view! {
                    <p class="pack-status-text saved" data-testid="pack-saved">
                        "Mapa guardado en esta tableta ✓"
                        <span class="barrio-meta">{format!(" {}", pack_size(item.bytes))}</span>
                    </p>
                }.into_any(),
                (true, None) => view! {
                    <p class="pack-status-text">"El mapa del barrio no está en esta tableta: guárdelo con señal para usarlo sin conexión."</p>
                    <button type="button" class="button primary" data-testid="pack-save" disabled=busy on:click=move |_| shelf.download(barrio_id)>
                        {move || if busy() { "Guardando…".to_string() } else { format!("Guardar{}", size()) }}
                    </button>
                }.into_any(),
            }}
            {move || shelf.problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::room::QueueReport;

    fn device(queue: Option<QueueReport>) -> RoomDevice {
        RoomDevice { number: 2, kind: "participant".into(), joined_at_ms: 0, received: 4, queue, reported_at_ms: queue.map(|_| 1_000) }
    }

    #[test]
    fn each_device_says_what_waits_on_it_or_that_there_is_no_figure() {
        assert_eq!(queue_text(&device(None), 50_000), ("sin dato".to_string(), "unknown"));
        assert_eq!(queue_text(&device(Some(QueueReport { pending: 0, refused: 0 })), 21_000).0, "Todo enviado · hace 20 s");
        assert_eq!(queue_text(&device(Some(QueueReport { pending: 3, refused: 0 })), 1_000), ("3 por enviar · ahora".to_string(), "pending"));
        assert_eq!(queue_text(&device(Some(QueueReport { pending: 1, refused: 1 })), 1_000).0, "1 por enviar · 1 rechazado · ahora");
        assert_eq!(stage_label("arbol"), "3 Causas");
        assert_eq!(device_name(&device(None)), "Dispositivo 2");
    }
}
