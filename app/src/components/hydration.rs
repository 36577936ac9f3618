//! Values a page reads from outside its own state (the address, the device) while it is first
//! drawn, kept equal on the server and during hydration so both build the same tree.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// `read()` as the server rendered it while the page hydrates, and as it really is from then on.
///
/// The HTML being hydrated is not always the server's answer to this address: offline, the
/// service worker replays the copy it kept for the path, rendered for whatever query the page
/// had then (`/barrio/7` answers `/barrio/7?etapa=arbol`). A tree built from the live address
/// would then differ from the markup, and tachys panics ("unreachable") on the first node of a
/// different kind. So the server's value travels in the page (a [`SharedValue`]), hydration
/// builds exactly what the markup holds, and an effect — which runs only once hydration is
/// done — switches to the live value. On a client-side navigation both are the same value and
/// nothing changes.
pub fn rendered_then_live<T>(read: impl Fn() -> T + Send + Sync + 'static) -> Memo<T>
where
    T: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
{
    let rendered = SharedValue::new(|| untrack(&read)).into_inner();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    Memo::new(move |_| if hydrated.get() { read() } else { rendered.clone() })
}

/// Keeps what was typed into `input` before the app answered.
///
/// The page is usable to the eye long before its wasm has arrived and hydrated (seconds on a
/// weak link): someone may type into a box meanwhile. The box is left uncontrolled (no
/// `prop:value`, which hydration would set back to the signal's value, wiping the text), and
/// once hydration is done (effects run only then) whatever the box holds goes into `value`, so
/// the page acts on it as if it had been typed after.
pub fn keep_typed_before_hydration(input: NodeRef<leptos::html::Input>, value: RwSignal<String>) {
    Effect::new(move |_| {
        if let Some(el) = input.get_untracked() {
            let typed = el.value();
            if !typed.is_empty() && typed != value.get_untracked() {
                value.set(typed);
            }
        }
    });
}
