//! The buttons that wipe a shared device (issue 9): "Terminar taller en este dispositivo" for
//! one workshop, "Borrar mis datos de este dispositivo" for everything. Each asks once more,
//! says what it will do, and refuses — with what to do instead — while anything is unsent.

use leptos::prelude::*;

use crate::components::status::use_sync_state;
use crate::model::hygiene::WipeScope;

#[component]
pub fn WipeButton(
    scope: WipeScope,
    /// The button's words, and what it will remove, said before it does.
    label: &'static str,
    explain: &'static str,
    /// Told how many records went, after a wipe that worked.
    #[prop(optional)]
    on_done: Option<Callback<usize>>,
) -> impl IntoView {
    let state = use_sync_state();
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let testid = match scope {
        WipeScope::Workshop(_) => "wipe-workshop",
        WipeScope::Everything => "wipe-everything",
    };
    let confirm = move |_| {
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use crate::client::hygiene::{wipe, WipeError};
            match wipe(scope).await {
                Ok(n) => {
                    outcome.set(Some(Ok(match n {
                        0 => "Listo: este dispositivo ya no guarda talleres ni alias.".to_string(),
                        1 => "Listo: se borró de este dispositivo 1 registro. El servidor lo conserva.".to_string(),
                        n => format!("Listo: se borraron de este dispositivo {n} registros. El servidor los conserva."),
                    })));
                    crate::client::sync::refresh(state).await;
                    // Pages showing records read them again.
                    state.remote_changes.update(|(n, _)| *n += 1);
                    if let Some(done) = on_done {
                        done.run(n);
                    }
                }
                Err(e) => {
                    // Whatever waits is sent now if there is signal, so a second try can work.
                    if matches!(e, WipeError::Unsent(_) | WipeError::MediaUnsent(_)) {
                        crate::client::sync::send_soon(state);
                    }
                    outcome.set(Some(Err(e.to_string())));
                }
            }
            asking.set(false);
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (state, on_done, scope);
    };
    view! {
        <div class="wipe" data-testid=testid>
            <Show when=move || !asking.get()>
                <button type="button" class="button danger" on:click=move |_| { outcome.set(None); asking.set(true); }>
                    // Drawn inline: this button is rendered on the server, which writes `<use_>` as it is.
                    <svg class="tool-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 7h16M9 7V4.5h6V7M6.5 7l1 13h9l1-13M10 11v6M14 11v6"/></svg>
                    {label}
                </button>
            </Show>
            <Show when=move || asking.get()>
                <div class="wipe-confirm" role="group" aria-label=label>
                    <p>{explain}" Solo se borra si todo ya llegó al servidor."</p>
                    <div class="form-actions">
                        <button type="button" class="button danger" data-testid="wipe-confirm" on:click=confirm disabled=move || busy.get()>
                            {move || if busy.get() { "Borrando…" } else { "Sí, borrar de este dispositivo" }}
                        </button>
                        <button type="button" class="button quiet" on:click=move |_| asking.set(false)>"Cancelar"</button>
                    </div>
                </div>
            </Show>
            {move || outcome.get().map(|o| match o {
                Ok(m) => view! { <p class="notice ok" role="status" data-testid="wipe-done">{m}</p> }.into_any(),
                Err(m) => view! { <p class="notice warn" role="alert" data-testid="wipe-refused">{m}</p> }.into_any(),
            })}
        </div>
    }
}
