//! Syncing with the server (protocol 2, `/api/v1/sync`): the queue goes up in bounded batches,
//! each version leaving it only when the server's receipt names that id, version and clock;
//! then the workshops' changes from other devices come down. Runs when the app starts, when
//! the network returns, after each change, on demand ("Sincronizar"), and again after a
//! failure with a growing wait (2 s up to 5 min).

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

use super::sync_store::{self, Settled};
use super::{device, storage};
use crate::components::status::SyncState;
use crate::model::sync::{change_json, pages, parse_change, MAX_BATCH_CHANGES, PROTOCOL};
use crate::model::room::QueueReport;
use crate::model::{Batch, BatchReply, ChangeStatus, PullReply};

/// JSON per batch: well under the server's limit, so a page is never refused for its size.
const MAX_BATCH_BYTES: usize = 512 * 1024;
const FIRST_RETRY: Duration = Duration::from_secs(2);
const LONGEST_RETRY: Duration = Duration::from_secs(300);

/// Wires the app-wide listeners; called once, on the client, when the app starts.
pub fn start(state: SyncState) {
    Effect::new(move |_| {
        state.online.set(device::is_online());
        spawn_local(async move {
            let stored = sync_store::last_ok().await.ok().flatten();
            // The first sync may end before this read does: the newer time stays shown.
            if stored > state.last_ok.get_untracked() {
                state.last_ok.set(stored);
            }
        });
        send_soon(state);
    });
    let online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        state.failures.set_value(0);
        send_soon(state);
    });
    let offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    // A tab brought back to the front after hours may have missed the `online` event.
    let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !document().hidden() {
            send_soon(state);
        }
    });
    on_cleanup(move || {
        online.remove();
        offline.remove();
        visible.remove();
    });
}

/// Re-reads the queue and updates the counts shown to the user.
pub async fn refresh(state: SyncState) {
    state.media.set(super::media::waiting().await);
    match storage::outbox_counts().await {
        Ok((pending, rejected)) => {
            state.storage_ok.set(Some(true));
            state.rejected.set(rejected);
            state.pending.set(Some(pending));
        }
        Err(e) => {
            leptos::logging::error!("reading the outbox failed: {e:?}");
            state.storage_ok.set(Some(false));
        }
    }
}

/// Starts a sync in the background unless one is already running (then it runs again right
/// after, so a change made meanwhile is not left waiting).
pub fn send_soon(state: SyncState) {
    spawn_local(async move {
        // Checked and claimed before the first await: two calls close together (the signal
        // coming back, a photo kept) would otherwise both find no sync running and both send
        // every file, twice over a weak link.
        if state.sending.get_untracked() {
            state.again.set_value(true);
            refresh(state).await;
            return;
        }
        if !device::is_online() {
            refresh(state).await;
            return;
        }
        state.sending.set(true);
        refresh(state).await;
        loop {
            state.again.set_value(false);
            let ok = sync_once(state).await;
            refresh(state).await;
            if ok {
                state.failures.set_value(0);
                let now = device::now_ms();
                if sync_store::set_last_ok(now).await.is_ok() {
                    state.last_ok.set(Some(now));
                }
            } else {
                retry_later(state);
                break;
            }
            if !state.again.get_value() {
                break;
            }
        }
        state.sending.set(false);
    });
}

/// Schedules the next try after a failure: 2 s, 4 s, 8 s… up to 5 minutes, with jitter so a
/// room of tablets coming back online do not all knock at once.
fn retry_later(state: SyncState) {
    let failures = state.failures.get_value().saturating_add(1);
    state.failures.set_value(failures);
    let base = FIRST_RETRY.saturating_mul(1u32 << failures.min(8)).min(LONGEST_RETRY);
    let jitter = 0.5 + js_sys::Math::random() * 0.5;
    set_timeout(move || send_soon(state), base.mul_f64(jitter));
}

/// One push and pull. False when something is left to try again later.
async fn sync_once(state: SyncState) -> bool {
    match push(state).await {
        Ok(()) => {}
        Err(problem) => {
            state.last_problem.set(Some(problem));
            return false;
        }
    }
    // Photos and notes go after the marks they hang on, one file at a time: a mark is never
    // held back by a photo, and a photo waits for its mark.
    let progress = move |bytes: u64| state.media.update(|m| m.bytes_left = m.bytes_left.saturating_sub(bytes));
    let media_sent = super::media::send_waiting(&progress).await;
    match pull(state).await {
        Ok(()) if !media_sent => {
            state.last_problem.set(Some("Quedan fotos o notas de voz por enviar; se reintentará.".into()));
            false
        }
        Ok(()) => {
            state.last_problem.set(None);
            true
        }
        Err(problem) => {
            state.last_problem.set(Some(problem));
            false
        }
    }
}

/// Sends the queue, oldest first, in pages; one page per workshop at a time.
async fn push(state: SyncState) -> Result<(), String> {
    let entries = storage::outbox().await.map_err(|e| e.to_string())?;
    let entries: Vec<_> = entries.into_iter().filter(|e| e.rejected.is_none()).collect();
    if entries.is_empty() {
        return Ok(());
    }
    let device_id = storage::device_id().await.map_err(|e| e.to_string())?.parse::<Uuid>().map_err(|e| e.to_string())?;
    let tokens: HashMap<Uuid, String> =
        sync_store::workshops().await.map_err(|e| e.to_string())?.into_iter().filter_map(|w| Some((w.id, w.token?))).collect();
    // A batch names one workshop: records from different ones (or none) go apart, each
    // group keeping its order.
    let mut groups: Vec<(Option<Uuid>, Vec<_>)> = Vec::new();
    for entry in entries {
        let w = entry.record.workshop_id();
        match groups.iter_mut().find(|(g, _)| *g == w) {
            Some((_, list)) => list.push(entry),
            None => groups.push((w, vec![entry])),
        }
    }
    for (workshop_id, group) in groups {
        let items = group.into_iter().map(|e| {
            let json = change_json(&e.record);
            (e, json)
        });
        for page in pages(items.collect(), MAX_BATCH_CHANGES, MAX_BATCH_BYTES) {
            let token = workshop_id.and_then(|w| tokens.get(&w)).map(String::as_str);
            send_page(state, device_id, workshop_id, token, page).await?;
            refresh(state).await;
        }
    }
    Ok(())
}

async fn send_page(
    state: SyncState,
    device_id: Uuid,
    workshop_id: Option<Uuid>,
    token: Option<&str>,
    page: Vec<(storage::ChangeEntry, Value)>,
) -> Result<(), String> {
    let (entries, changes): (Vec<_>, Vec<_>) = page.into_iter().unzip();
    let batch = Batch { protocol: PROTOCOL, submission_id: device::new_id(), device_id, workshop_id, changes };
    let body = serde_json::to_string(&batch).map_err(|e| e.to_string())?;
    // A workshop's batch goes with this device's token for it; anything else needs the
    // signed-in account's session (a facilitator or staff drawing outside a workshop).
    let request = match token {
        Some(t) => bearer(gloo_net::http::Request::post("/api/v1/sync"), t),
        None => super::session::post("/api/v1/sync"),
    };
    let request = request.header("Content-Type", "application/json").body(body);
    let response = match request {
        Ok(r) => r.send().await.map_err(|_| "sin conexión con el servidor".to_string())?,
        Err(e) => return Err(e.to_string()),
    };
    let status = response.status();
    let reply: Option<BatchReply> = if status == 200 { response.json().await.ok() } else { None };
    let error = if status == 200 { None } else { Some(error_message(response).await) };
    match (status, reply) {
        (200, Some(reply)) if reply.results.len() == entries.len() => {
            state.too_old.set(false);
            let settled = entries
                .into_iter()
                .zip(reply.results)
                .map(|(entry, result)| {
                    if result.confirms(&entry.record) {
                        Settled::Confirmed(entry, result.status)
                    } else if result.status == ChangeStatus::Refused {
                        let reason = result.error.map(|e| e.message).unwrap_or_else(|| "rechazado por el servidor".into());
                        Settled::Refused(entry, reason)
                    } else {
                        Settled::Unanswered(entry)
                    }
                })
                .collect::<Vec<_>>();
            let unanswered = settled.iter().any(|s| matches!(s, Settled::Unanswered(_)));
            sync_store::settle(settled).await.map_err(|e| e.to_string())?;
            if unanswered {
                return Err("el servidor no confirmó todos los cambios; se reintentará".into());
            }
            Ok(())
        }
        (200, _) => Err("respuesta del servidor sin confirmación".into()),
        (426, _) => {
            state.too_old.set(true);
            Err(error.flatten().unwrap_or_else(|| "Esta versión de la aplicación es muy antigua: actualícela.".into()))
        }
        // The workshop is gone from the server, or was closed: every change of it is refused,
        // and stays here, shown with the reason on "Envío de datos".
        (404, _) | (403, _) if workshop_id.is_some() => {
            let reason = error.flatten().unwrap_or_else(|| "el taller no existe en el servidor".into());
            let settled = entries.into_iter().map(|e| Settled::Refused(e, reason.clone())).collect();
            sync_store::settle(settled).await.map_err(|e| e.to_string())?;
            Ok(())
        }
        (401, _) => Err(if workshop_id.is_some() {
            "para enviar las marcas de este taller, vuelva a unirse con su código (o entre con su cuenta)".into()
        } else {
            "para enviar marcas hechas fuera de un taller, entre con su cuenta o únase a un taller con su código".into()
        }),
        (status, _) => Err(error.flatten().unwrap_or_else(|| format!("el servidor respondió {status}"))),
    }
}

/// A request carrying a device's workshop token.
fn bearer(request: gloo_net::http::RequestBuilder, token: &str) -> gloo_net::http::RequestBuilder {
    request.header("Authorization", &format!("Bearer {token}"))
}

/// The message of an API error body (`{"error": {"message"}}`), if the response has one.
pub async fn error_message(response: gloo_net::http::Response) -> Option<String> {
    let body: Value = response.json().await.ok()?;
    body.pointer("/error/message").and_then(|m| m.as_str()).map(str::to_string)
}

/// Brings down, page by page, what other devices sent for each workshop on this device, and
/// tells the server what still waits here for each (the facilitator's room panel shows it).
async fn pull(state: SyncState) -> Result<(), String> {
    let queues = queues_by_workshop().await;
    for w in sync_store::workshops().await.map_err(|e| e.to_string())? {
        let report = queues.as_ref().map(|q| q.get(&Some(w.id)).copied().unwrap_or(QueueReport { pending: 0, refused: 0 }));
        pull_workshop(state, w.id, w.cursor, w.token.as_deref(), report).await?;
    }
    Ok(())
}

/// What waits on this device for each workshop (unsent, and refused); `None` when the queue
/// cannot be read, so nothing is reported rather than a wrong zero. An empty queue, the usual
/// case after a push, is known from IndexedDB's own counts without reading the entries.
async fn queues_by_workshop() -> Option<HashMap<Option<Uuid>, QueueReport>> {
    let mut out = HashMap::new();
    if storage::outbox_counts().await.ok()? == (0, 0) {
        return Some(out);
    }
    for entry in storage::outbox().await.ok()? {
        let q = out.entry(entry.record.workshop_id()).or_insert(QueueReport { pending: 0, refused: 0 });
        match entry.rejected {
            Some(_) => q.refused += 1,
            None => q.pending += 1,
        }
    }
    Some(out)
}

/// What waits on this device for one workshop, as [`pull_workshop`] reports it.
pub async fn queue_report(workshop_id: Uuid) -> Option<QueueReport> {
    let queues = queues_by_workshop().await?;
    Some(queues.get(&Some(workshop_id)).copied().unwrap_or(QueueReport { pending: 0, refused: 0 }))
}

/// Brings down one workshop's changes after `cursor`, page by page, each page kept in one
/// transaction with the cursor, so a page is never half kept nor fetched twice for nothing.
/// `token` is the device's for the workshop; without one the session's cookie is all it has.
/// `report`, this device's queue for the workshop, goes with the first page only.
pub async fn pull_workshop(
    state: SyncState,
    workshop_id: Uuid,
    mut cursor: i64,
    token: Option<&str>,
    mut report: Option<QueueReport>,
) -> Result<(), String> {
    loop {
        let mut url = format!("/api/v1/workshops/{workshop_id}/changes?after={cursor}");
        if let Some(q) = report.take() {
            url.push_str(&format!("&pending={}&refused={}", q.pending, q.refused));
        }
        let request = match token {
            Some(t) => bearer(gloo_net::http::Request::get(&url), t),
            None => gloo_net::http::Request::get(&url),
        };
        let response = request.send().await.map_err(|_| "sin conexión con el servidor".to_string())?;
        // Gone, closed, or not this device's to read any more: nothing more comes down.
        if matches!(response.status(), 401 | 403 | 404) {
            return Ok(());
        }
        if !response.ok() {
            return Err(format!("el servidor respondió {}", response.status()));
        }
        let page: PullReply = response.json().await.map_err(|e| e.to_string())?;
        let records = page.changes.into_iter().filter_map(|c| parse_change(c).ok()).collect();
        let changed = sync_store::apply_pulled(workshop_id, records, page.cursor).await.map_err(|e| e.to_string())?;
        if !changed.is_empty() {
            state.remote_changes.update(|(n, barrios)| {
                *n += 1;
                *barrios = changed;
            });
        }
        if !page.more || page.cursor <= cursor {
            return Ok(());
        }
        cursor = page.cursor;
    }
}
