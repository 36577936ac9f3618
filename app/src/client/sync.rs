//! Sends the outbox to the server: when the app starts, when the network comes back, after
//! each change, every half minute while anything is waiting, and on demand. A version of a
//! mark, cause or solution leaves the outbox only when the server answers that it stored that
//! id at that version.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{device, storage};
use crate::components::status::SyncState;
use crate::model::Record;

const RETRY_EVERY: Duration = Duration::from_secs(30);

/// Wires the app-wide listeners; called once, on the client, when the app starts.
pub fn start(state: SyncState) {
    Effect::new(move |_| {
        state.online.set(device::is_online());
        send_soon(state);
    });
    let online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        send_soon(state);
    });
    let offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    let retry = set_interval_with_handle(
        move || {
            if state.online.get_untracked() && state.pending.get_untracked().unwrap_or(0) > 0 {
                send_soon(state);
            }
        },
        RETRY_EVERY,
    )
    .ok();
    on_cleanup(move || {
        online.remove();
        offline.remove();
        if let Some(r) = retry {
            r.clear();
        }
    });
}

/// Re-reads the outbox and updates the counts shown to the user.
pub async fn refresh(state: SyncState) {
    match storage::outbox().await {
        Ok(entries) => {
            let rejected = entries.iter().filter(|e| e.rejected.is_some()).count() as u32;
            state.storage_ok.set(Some(true));
            state.rejected.set(rejected);
            state.pending.set(Some(entries.len() as u32 - rejected));
        }
        Err(e) => {
            leptos::logging::error!("reading the outbox failed: {e:?}");
            state.storage_ok.set(Some(false));
        }
    }
}

/// Starts sending in the background unless a send is already running.
pub fn send_soon(state: SyncState) {
    spawn_local(async move {
        refresh(state).await;
        if state.sending.get_untracked() || !device::is_online() {
            return;
        }
        state.sending.set(true);
        send_all(state).await;
        state.sending.set(false);
        refresh(state).await;
    });
}

enum Outcome {
    Confirmed,
    Refused(String),
    TryLater(String),
}

async fn send_all(state: SyncState) {
    let Ok(entries) = storage::outbox().await else {
        return;
    };
    for entry in entries.into_iter().filter(|e| e.rejected.is_none()) {
        let key = entry.key.clone();
        let result = match post_record(&entry.record).await {
            Outcome::Confirmed => storage::confirm_sent(&key).await,
            Outcome::Refused(reason) => storage::record_attempt(entry, Some(reason)).await,
            Outcome::TryLater(problem) => {
                state.last_problem.set(Some(problem));
                let _ = storage::record_attempt(entry, None).await;
                return;
            }
        };
        if let Err(e) = result {
            leptos::logging::error!("updating the outbox failed: {e:?}");
            return;
        }
        refresh(state).await;
    }
    state.last_problem.set(None);
}

async fn post_record(record: &Record) -> Outcome {
    let (url, content_type, body) = match record {
        Record::Mark(m) => ("/api/v1/marks", "application/geo+json", serde_json::to_string(&m.to_feature())),
        Record::Cause(c) => ("/api/v1/causes", "application/json", serde_json::to_string(c)),
        Record::Solution(s) => ("/api/v1/solutions", "application/json", serde_json::to_string(s)),
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let request = match gloo_net::http::Request::post(url).header("Content-Type", content_type).body(body) {
        Ok(r) => r,
        Err(e) => return Outcome::TryLater(e.to_string()),
    };
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return Outcome::TryLater(format!("sin conexión con el servidor ({e})")),
    };
    let status = response.status();
    match status {
        200 | 201 => match response.json::<serde_json::Value>().await {
            // The receipt must name this record at this version: anything else is not a
            // confirmation.
            Ok(v)
                if v.get("id").and_then(|i| i.as_str()) == Some(record.id().to_string().as_str())
                    && v.get("version").and_then(|n| n.as_u64()) == Some(u64::from(record.version())) =>
            {
                Outcome::Confirmed
            }
            _ => Outcome::TryLater("respuesta del servidor sin confirmación".into()),
        },
        408 | 429 => Outcome::TryLater(format!("el servidor respondió {status}")),
        400..=499 => {
            let reason = response
                .json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|v| v.pointer("/error/message").and_then(|m| m.as_str()).map(str::to_string))
                .unwrap_or_else(|| format!("rechazada ({status})"));
            Outcome::Refused(reason)
        }
        _ => Outcome::TryLater(format!("el servidor respondió {status}")),
    }
}
