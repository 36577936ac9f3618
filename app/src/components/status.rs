//! Connection and sending status, always visible: online or not, and how many changes (new
//! marks, edits, deletions, causes, solutions) are still only on this device. "Todo enviado"
//! is shown only when the server confirmed each one by id and version.

use leptos::prelude::*;

use crate::model::media::MediaQueue;
use crate::model::words::{count_es, plural_es};

/// Shared, app-wide state of the device's link with the server.
#[derive(Clone, Copy)]
pub struct SyncState {
    pub online: RwSignal<bool>,
    /// Versions saved on this device and not yet confirmed by the server; `None` until read.
    pub pending: RwSignal<Option<u32>>,
    /// Versions the server refused (they stay on the device, with the reason).
    pub rejected: RwSignal<u32>,
    pub sending: RwSignal<bool>,
    /// `Some(false)` when this browser cannot store data (e.g. private mode).
    pub storage_ok: RwSignal<Option<bool>>,
    pub last_problem: RwSignal<Option<String>>,
    /// When the last sync finished with nothing left unanswered (ms).
    pub last_ok: RwSignal<Option<i64>>,
    /// The server said this app is older than any protocol it still takes.
    pub too_old: RwSignal<bool>,
    /// Failed tries in a row, for the growing wait between retries.
    pub failures: StoredValue<u32>,
    /// A sync was asked for while one was running.
    pub again: StoredValue<bool>,
    /// How many pulls brought changes, and the barrios the last one touched.
    pub remote_changes: RwSignal<(u64, Vec<i64>)>,
    /// Photos and voice notes still only on this device (they go after the marks).
    pub media: RwSignal<MediaQueue>,
}

pub fn provide_sync_state() {
    let state = SyncState {
        online: RwSignal::new(true),
        pending: RwSignal::new(None),
        rejected: RwSignal::new(0),
        sending: RwSignal::new(false),
        storage_ok: RwSignal::new(None),
        last_problem: RwSignal::new(None),
        last_ok: RwSignal::new(None),
        too_old: RwSignal::new(false),
        failures: StoredValue::new(0),
        again: StoredValue::new(false),
        remote_changes: RwSignal::new((0, Vec::new())),
        media: RwSignal::new(MediaQueue::default()),
    };
    provide_context(state);
    #[cfg(feature = "hydrate")]
    crate::client::sync::start(state);
}

pub fn use_sync_state() -> SyncState {
    expect_context::<SyncState>()
}

#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let state = use_sync_state();
    let online_label = move || {
        if state.online.get() {
            "En línea"
        } else {
            "Sin conexión"
        }
    };
    // On a phone the word "cambios" is left out, so the bar stays on one line; with files
    // waiting too, so is "por enviar" (the two counts then sit side by side, each with its icon).
    let pending_label = move || match (state.storage_ok.get(), state.pending.get()) {
        (Some(false), _) => "No se puede guardar en este navegador".into_any(),
        (_, None) => "Revisando…".into_any(),
        // Refused versions are not sent: "Todo enviado" would hide them.
        (_, Some(0)) if state.rejected.get() > 0 => view! { "0"<span class="chip-long">" cambios"</span><span class="chip-mid">" por enviar"</span> }.into_any(),
        (_, Some(0)) => "Todo enviado".into_any(),
        (_, Some(n)) => view! {
            {n.to_string()}
            <span class="chip-long">{plural_es(n, " cambio", " cambios")}</span>
            <span class="chip-mid">" por enviar"</span>
        }
        .into_any(),
    };
    view! {
        <div class="status" role="status" aria-live="polite">
            <span class="chip online" class:offline=move || !state.online.get() data-testid="online-status">
                <span class="dot" aria-hidden="true"></span>
                {online_label}
            </span>
            <a
                href="/envios"
                class="chip pending"
                class:has-pending=move || { state.pending.get().unwrap_or(0) > 0 }
                class:storage-error=move || state.storage_ok.get() == Some(false)
                data-testid="pending-count"
                data-pending=move || state.pending.get().map(|n| n.to_string()).unwrap_or_default()
                title="Ver el envío y sincronizar"
                class:sending=move || state.sending.get()
            >
                <svg class="chip-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 12l16-8-6 16-3-6z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>
                </svg>
                {pending_label}
            </a>
            <Show when=move || { state.media.with(|m| m.files() > 0) }>
                <a href="/envios" class="chip media-pending" data-testid="media-pending"
                    data-files=move || state.media.with(|m| m.files())
                    title=move || state.media.with(MediaQueue::label_es) aria-label=move || state.media.with(MediaQueue::label_es)>
                    <svg class="chip-icon" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M4 8h3l2-3h6l2 3h3v11H4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>
                        <circle cx="12" cy="13" r="3.5" fill="none" stroke="currentColor" stroke-width="2"/>
                    </svg>
                    {move || state.media.with(|m| m.files()).to_string()}
                    <span class="chip-long">{move || state.media.with(|m| plural_es(m.files(), " archivo", " archivos"))}</span>
                </a>
            </Show>
            <Show when=move || state.too_old.get()>
                <a href="/envios" class="chip rejected" data-testid="too-old" aria-label="Actualice la app: esta versión ya no puede enviar" title="Esta versión ya no puede enviar">
                    <svg class="chip-icon" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M20 12a8 8 0 1 1-2.3-5.7 M20 4v5h-5" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>
                    </svg>
                    <span class="chip-long">"Actualice la app"</span>
                </a>
            </Show>
            <Show when=move || { state.rejected.get() > 0 }>
                <a
                    href="/envios"
                    class="chip rejected"
                    data-testid="rejected-count"
                    data-rejected=move || state.rejected.get()
                    title=move || rejected_label(state.rejected.get())
                    aria-label=move || rejected_label(state.rejected.get())
                >
                    <svg class="chip-icon" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M12 3l10 18H2z M12 10v5 M12 17.5v.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>
                    </svg>
                    {move || state.rejected.get().to_string()}
                    // On a phone only the number shows; screen readers get the label.
                    <span class="chip-long">{move || plural_es(state.rejected.get(), " rechazada", " rechazadas")}</span>
                </a>
            </Show>
        </div>
    }
}

fn rejected_label(n: u32) -> String {
    format!("{} por el servidor", count_es(n, "cambio rechazado", "cambios rechazados"))
}
