//! "¿Quién está dibujando?": the alias of the participant holding the device, switched with
//! one tap on a shared tablet. Aliases only — the sheet asks for a nickname, never a name.

use leptos::prelude::*;

use crate::model::mark::{check_alias, MAX_ALIAS_CHARS};

/// The current alias ("" when nobody said) and the sheet's state, shared by the page.
#[derive(Clone, Copy)]
pub struct Participant {
    pub current: RwSignal<String>,
    pub recent: RwSignal<Vec<String>>,
    pub open: RwSignal<bool>,
}

impl Participant {
    pub fn new() -> Participant {
        let p = Participant { current: RwSignal::new(String::new()), recent: RwSignal::new(Vec::new()), open: RwSignal::new(false) };
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                if let Ok(record) = crate::client::storage::participant().await {
                    p.current.set(record.current);
                    p.recent.set(record.recent);
                }
            });
        });
        p
    }

    /// Makes `alias` the one drawing; the sheet closes once the device has kept it.
    pub fn choose(&self, alias: String, problem: RwSignal<Option<String>>) {
        let alias = alias.trim().to_string();
        if let Err(e) = check_alias(&alias) {
            use crate::model::Bilingual;
            problem.set(Some(e.es()));
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            let p = *self;
            leptos::task::spawn_local(async move {
                match crate::client::storage::set_participant(&alias).await {
                    Ok(record) => {
                        p.current.set(record.current);
                        p.recent.set(record.recent);
                        problem.set(None);
                        p.open.set(false);
                    }
                    Err(e) => problem.set(Some(format!("No se pudo guardar el alias: {e}"))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = alias;
    }
}

impl Default for Participant {
    fn default() -> Self {
        Participant::new()
    }
}

/// The chip in the page's head: who is drawing now; a tap opens the sheet.
#[component]
pub fn WhoChip(participant: Participant) -> impl IntoView {
    view! {
        <button
            type="button"
            class="who-chip"
            class:unset=move || participant.current.read().is_empty()
            data-testid="who"
            aria-haspopup="dialog"
            aria-label=move || match participant.current.get() {
                a if a.is_empty() => "¿Quién está dibujando? Elegir alias".to_string(),
                a => format!("Dibuja {a}. Cambiar"),
            }
            on:click=move |_| participant.open.update(|o| *o = !*o)
        >
            <svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/></svg>
            <span class="who-q" aria-hidden="true">"¿Quién?"</span>
            <span class="who-name">
                {move || match participant.current.get() {
                    a if a.is_empty() => "¿Quién dibuja?".to_string(),
                    a => a,
                }}
            </span>
        </button>
    }
}

/// The sheet: earlier aliases as big buttons, a field for a new one, and "sin alias".
#[component]
pub fn WhoSheet(participant: Participant) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let save = move || participant.choose(draft.get_untracked(), problem);
    view! {
        <Show when=move || participant.open.get()>
            <div class="who-sheet" role="dialog" aria-modal="false" aria-labelledby="who-title" data-testid="who-sheet">
                <h2 id="who-title">"¿Quién está dibujando?"</h2>
                <p class="who-help">"Escriba un alias o apodo, no su nombre completo. Sirve para saber cuántas personas marcaron."</p>
                <div class="who-recent">
                    <For each=move || participant.recent.get() key=|a| a.clone() let:alias>
                        <button
                            type="button"
                            class="who-option"
                            class:selected={
                                let alias = alias.clone();
                                move || participant.current.get() == alias
                            }
                            data-testid="who-recent"
                            on:click={
                                let alias = alias.clone();
                                move |_| participant.choose(alias.clone(), problem)
                            }
                        >
                            {alias.clone()}
                        </button>
                    </For>
                </div>
                <form class="who-new" on:submit=move |ev| {
                    ev.prevent_default();
                    save();
                }>
                    <label for="who-input">"Otra persona"</label>
                    <div class="who-row">
                        <input
                            id="who-input"
                            type="text"
                            maxlength=MAX_ALIAS_CHARS.to_string()
                            autocomplete="off"
                            placeholder="Ej.: Vecina de la 5"
                            data-testid="who-input"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        />
                        <button type="submit" class="button primary" data-testid="who-save">"Listo"</button>
                    </div>
                </form>
                {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                <div class="who-actions">
                    <button type="button" class="button small quiet" on:click=move |_| participant.choose(String::new(), problem)>
                        "Sin alias"
                    </button>
                    <button type="button" class="button small quiet" on:click=move |_| participant.open.set(false)>"Cerrar"</button>
                </div>
            </div>
        </Show>
    }
}
