//! Photos and voice notes on a record — a mark's sheet, a workshop's page: "Foto" (the camera),
//! "Galería" and "Nota de voz" (up to two minutes, with its timer), each kept on the device
//! before it shows, listed with its size and whether it went, to play back, remove or record
//! again.

use leptos::prelude::*;
use uuid::Uuid;

use crate::model::media::{size_label, MediaKind, RecordRef, MAX_VOICE_MS};

/// One file as the sheet lists it.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    id: Uuid,
    kind: MediaKind,
    bytes: u64,
    duration_ms: Option<u32>,
    sent: bool,
    refused: Option<String>,
    /// An object URL of the bytes kept on the device (revoked when the sheet goes).
    url: String,
}

fn clock(ms: u32) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

#[component]
pub fn MediaAttachments(record: RecordRef, barrio_id: i64, workshop_id: Option<Uuid>) -> impl IntoView {
    let items = RwSignal::new(Vec::<Shown>::new());
    let busy = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let low_space = RwSignal::new(false);
    // Milliseconds recorded, while recording.
    let recording = RwSignal::new(None::<u32>);
    #[cfg(feature = "hydrate")]
    let hooks = hydrate::Hooks::new(record, barrio_id, workshop_id, items, busy, error, low_space, recording);
    #[cfg(not(feature = "hydrate"))]
    let _ = (record, barrio_id, workshop_id);
    let on_photo = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        hooks.photo(ev);
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let record = move || {
        #[cfg(feature = "hydrate")]
        hooks.record();
    };
    let stop = move |_| {
        #[cfg(feature = "hydrate")]
        hooks.stop();
    };
    let remove = move |id: Uuid| {
        #[cfg(feature = "hydrate")]
        hooks.remove(id);
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    view! {
        <div class="media-attach" data-testid="media-attach">
            <h3>"Fotos y notas de voz"</h3>
            <p class="muted media-help">"Sin caras, placas ni números de casa. Se guardan aquí y se envían cuando haya señal."</p>
            <div class="media-actions">
                <label class="button media-button" class:disabled=move || busy.get().is_some() || recording.get().is_some()>
                    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 8h3l2-3h6l2 3h3v11H4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><circle cx="12" cy="13" r="3.5" fill="none" stroke="currentColor" stroke-width="2"/></svg>
                    <span>"Foto"</span>
                    <input type="file" accept="image/*" capture="environment" class="sr-only" data-testid="photo-camera" on:change=on_photo/>
                </label>
                <label class="button media-button" class:disabled=move || busy.get().is_some() || recording.get().is_some()>
                    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v14H4zM4 15l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>
                    <span>"Galería"</span>
                    <input type="file" accept="image/*" multiple class="sr-only" data-testid="photo-gallery" on:change=on_photo/>
                </label>
                <Show when=move || recording.get().is_none() fallback=move || view! {
                    <button type="button" class="button danger media-button recording" data-testid="voice-stop" on:click=stop>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor"/></svg>
                        <span data-testid="voice-timer">{move || format!("Detener {} / {}", clock(recording.get().unwrap_or(0)), clock(MAX_VOICE_MS))}</span>
                    </button>
                }>
                    <button type="button" class="button media-button" data-testid="voice-record" disabled=move || busy.get().is_some() on:click=move |_| record()>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>
                        <span>"Nota de voz"</span>
                    </button>
                </Show>
            </div>
            {move || busy.get().map(|b| view! { <p class="muted" role="status">{b}</p> })}
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="media-error">{e}</p> })}
            <Show when=move || low_space.get()>
                <p class="notice warn" data-testid="media-low-space">"Queda poco espacio en este dispositivo: envíe lo que tiene antes de tomar más fotos."</p>
            </Show>
            <ul class="media-list" data-testid="media-list">
                <For each=move || items.get() key=|s| (s.id, s.sent, s.refused.clone()) let:item>
                    {
                        let id = item.id;
                        let state = match (&item.refused, item.sent) {
                            (Some(why), _) => format!("rechazada: {why}"),
                            (None, true) => "enviada".to_string(),
                            (None, false) => "por enviar".to_string(),
                        };
                        let facts = match item.duration_ms {
                            Some(ms) => format!("{} · {} · {state}", clock(ms), size_label(item.bytes)),
                            None => format!("{} · {state}", size_label(item.bytes)),
                        };
                        let shown = match item.kind {
                            MediaKind::Photo => view! { <img src=item.url.clone() alt="Foto guardada" class="media-thumb"/> }.into_any(),
                            MediaKind::Voice => view! { <audio controls preload="metadata" src=item.url.clone() class="media-audio"></audio> }.into_any(),
                        };
                        let is_voice = item.kind == MediaKind::Voice;
                        view! {
                            <li class="media-item" data-testid="media-item" data-kind=if is_voice { "voice" } else { "photo" } data-sent=item.sent.to_string()>
                                {shown}
                                <span class="media-facts">{facts}</span>
                                <div class="media-item-actions">
                                    <button type="button" class="button small danger-outline" data-testid="media-remove" on:click=move |_| remove(id)>"Quitar"</button>
                                    {is_voice.then(|| view! {
                                        <button type="button" class="button small" data-testid="voice-again" disabled=move || recording.get().is_some()
                                            on:click=move |_| { remove(id); record(); }>"Grabar otra vez"</button>
                                    })}
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod hydrate {
    //! The sheet's browser side: reading the files kept for the mark, taking new ones, the
    //! recorder and its timer.

    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use send_wrapper::SendWrapper;
    use uuid::Uuid;
    use wasm_bindgen::JsCast;

    use super::Shown;
    use crate::client::media::{self, LocalMedia, Recording, Target};
    use crate::components::status::{use_sync_state, SyncState};
    use crate::model::media::{MediaKind, RecordRef, MAX_VOICE_MS};

    type Live = Rc<RefCell<Option<(Recording, leptos::prelude::IntervalHandle)>>>;

    #[derive(Clone, Copy)]
    pub struct Hooks {
        target: Target,
        items: RwSignal<Vec<Shown>>,
        busy: RwSignal<Option<&'static str>>,
        error: RwSignal<Option<String>>,
        low_space: RwSignal<bool>,
        recording: RwSignal<Option<u32>>,
        live: StoredValue<SendWrapper<Live>>,
        state: SyncState,
    }

    fn shown(local: &LocalMedia, blob: &web_sys::Blob) -> Shown {
        Shown {
            id: local.offer.id,
            kind: local.offer.kind,
            bytes: local.offer.bytes,
            duration_ms: local.offer.duration_ms,
            sent: local.receipt.is_some(),
            refused: local.refused.clone(),
            url: web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default(),
        }
    }

    impl Hooks {
        #[allow(clippy::too_many_arguments)]
        pub fn new(
            record: RecordRef,
            barrio_id: i64,
            workshop_id: Option<Uuid>,
            items: RwSignal<Vec<Shown>>,
            busy: RwSignal<Option<&'static str>>,
            error: RwSignal<Option<String>>,
            low_space: RwSignal<bool>,
            recording: RwSignal<Option<u32>>,
        ) -> Hooks {
            let target = Target { record, barrio_id, workshop_id };
            let state = use_sync_state();
            let live = StoredValue::new(SendWrapper::new(Rc::default()));
            let hooks = Hooks { target, items, busy, error, low_space, recording, live, state };
            hooks.reload();
            // Sent meanwhile: the list says so.
            Effect::new(move |prev: Option<u32>| {
                let left = state.media.with(|m| m.files());
                if prev.is_some_and(|p| p != left) {
                    hooks.reload();
                }
                left
            });
            on_cleanup(move || {
                for s in items.get_untracked() {
                    let _ = web_sys::Url::revoke_object_url(&s.url);
                }
                if let Some(live) = hooks.live.try_with_value(|l| l.borrow_mut().take()).flatten() {
                    live.1.clear();
                    live.0.cancel();
                }
            });
            hooks
        }

        fn reload(self) {
            spawn_local(async move {
                let Ok(list) = media::of_record(self.target.record.id).await else { return };
                let fresh: Vec<Shown> = list.iter().map(|(l, b)| shown(l, b)).collect();
                let old = self.items.try_get_untracked().unwrap_or_default();
                if self.items.try_set(fresh).is_none() {
                    for s in old {
                        let _ = web_sys::Url::revoke_object_url(&s.url);
                    }
                }
                self.low_space.try_set(media::low_on_space().await);
            });
        }

        /// Kept, listed, and sent as soon as there is signal.
        async fn kept(self, outcome: Result<(LocalMedia, web_sys::Blob), String>) {
            self.busy.try_set(None);
            match outcome {
                Ok((local, blob)) => {
                    self.error.try_set(None);
                    self.items.try_update(|v| v.push(shown(&local, &blob)));
                    crate::client::sync::send_soon(self.state);
                    self.low_space.try_set(media::low_on_space().await);
                }
                Err(e) => {
                    self.error.try_set(Some(e));
                }
            }
        }

        /// Each photo chosen (the gallery lets one pick several), one after another: each is
        /// resized, kept and listed before the next, so a closed app loses none already shown.
        pub fn photo(self, ev: leptos::ev::Event) {
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            if files.is_empty() {
                return;
            }
            self.busy.set(Some("Preparando la foto…"));
            spawn_local(async move {
                for file in files {
                    self.busy.try_set(Some("Preparando la foto…"));
                    let outcome = async {
                        let (blob, w, h) = media::prepare_photo(&file).await?;
                        let local = media::keep(blob.clone(), self.target, MediaKind::Photo, "image/jpeg".into(), Some((w, h)), None).await?;
                        Ok((local, blob))
                    }
                    .await;
                    self.kept(outcome).await;
                }
            });
        }

        pub fn record(self) {
            if self.recording.get_untracked().is_some() {
                return;
            }
            self.error.set(None);
            self.busy.set(Some("Pidiendo el micrófono…"));
            spawn_local(async move {
                match media::start_recording().await {
                    Ok(rec) => {
                        self.busy.try_set(None);
                        self.recording.try_set(Some(0));
                        let started = js_sys::Date::now();
                        let tick = set_interval_with_handle(
                            move || {
                                let ms = (js_sys::Date::now() - started) as u32;
                                self.recording.try_set(Some(ms));
                                if ms >= MAX_VOICE_MS {
                                    self.stop();
                                }
                            },
                            std::time::Duration::from_millis(250),
                        );
                        match tick {
                            Ok(handle) => self.live.with_value(|l| *l.borrow_mut() = Some((rec, handle))),
                            Err(_) => rec.cancel(),
                        }
                    }
                    Err(e) => {
                        self.busy.try_set(None);
                        self.error.try_set(Some(e));
                    }
                }
            });
        }

        pub fn stop(self) {
            let Some((rec, tick)) = self.live.with_value(|l| l.borrow_mut().take()) else { return };
            tick.clear();
            self.recording.set(None);
            self.busy.set(Some("Guardando la nota…"));
            spawn_local(async move {
                let outcome = async {
                    let (blob, ms, mime) = rec.stop().await?;
                    let local = media::keep(blob.clone(), self.target, MediaKind::Voice, mime, None, Some(ms.min(MAX_VOICE_MS))).await?;
                    Ok((local, blob))
                }
                .await;
                self.kept(outcome).await;
            });
        }

        pub fn remove(self, id: Uuid) {
            spawn_local(async move {
                let Ok(list) = media::of_record(self.target.record.id).await else { return };
                let Some((local, _)) = list.into_iter().find(|(l, _)| l.offer.id == id) else { return };
                match media::remove(&local).await {
                    Ok(()) => {
                        self.items.try_update(|v| {
                            if let Some(s) = v.iter().find(|s| s.id == id) {
                                let _ = web_sys::Url::revoke_object_url(&s.url);
                            }
                            v.retain(|s| s.id != id);
                        });
                        crate::client::sync::refresh(self.state).await;
                    }
                    Err(e) => {
                        self.error.try_set(Some(e.to_string()));
                    }
                }
            });
        }
    }
}
