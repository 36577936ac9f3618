//! The one line over the top of the map: what the last action did (or why it failed), or
//! else what to do next. A tap shows all of a long line; the cross puts it away.

use leptos::prelude::*;

/// How long a success stays on the line before the next hint comes back.
#[cfg(feature = "hydrate")]
const OK_SHOWN_MS: u64 = 8_000;

#[component]
pub fn HintStrip(
    /// The last action's outcome: `(succeeded, words)`.
    message: RwSignal<Option<(bool, String)>>,
    /// What to do next, when there is no message.
    #[prop(into)]
    hint: Signal<String>,
) -> impl IntoView {
    // Put away by the person: hints stay away on this page; messages come back with the next.
    let hints_dismissed = RwSignal::new(false);
    let expanded = RwSignal::new(false);
    // A success fades back into the hint after a while; a failure stays until it is read.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some((true, text)) = message.get() {
            set_timeout(
                move || {
                    if message.with_untracked(|m| m.as_ref().is_some_and(|(ok, t)| *ok && *t == text)) {
                        message.set(None);
                    }
                },
                std::time::Duration::from_millis(OK_SHOWN_MS),
            );
        }
    });
    // The line once, for the text and the classes that read it.
    let line = Memo::new(move |_| match message.get() {
        Some((ok, text)) => Some((Some(ok), text)),
        None if hints_dismissed.get() => None,
        None => Some((None, hint.get())),
    });
    let tone = move || line.with(|l| l.as_ref().and_then(|l| l.0));
    view! {
        <Show when=move || line.with(Option::is_some)>
            <div class="hint-strip" class:ok=move || tone() == Some(true)
                class:warn=move || tone() == Some(false) class:expanded=move || expanded.get()>
                <p class="notice" role="status" aria-live="polite" data-testid="notice"
                    class:ok=move || tone() == Some(true)
                    class:warn=move || tone() == Some(false)
                    on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || line.with(|l| l.as_ref().map(|l| l.1.clone()).unwrap_or_default())}
                </p>
                <button type="button" class="hint-close" data-testid="hint-close" aria-label="Quitar este aviso" title="Quitar este aviso"
                    on:click=move |_| {
                        expanded.set(false);
                        if message.get_untracked().is_some() {
                            message.set(None);
                        } else {
                            hints_dismissed.set(true);
                        }
                    }>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>
                </button>
            </div>
        </Show>
    }
}
