//! A sheet over the bottom of a phone's map that is pulled up and down by its handle (or
//! tapped): a one-line peek, half the screen, or nearly all of it. Beside the map, on a wide
//! screen, it is simply a panel.

use leptos::prelude::*;

/// How far the sheet is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetHeight {
    /// Only its handle and title show, where the tools sit in the drawing stages.
    Peek,
    Half,
    Full,
}

impl SheetHeight {
    pub fn code(self) -> &'static str {
        match self {
            SheetHeight::Peek => "peek",
            SheetHeight::Half => "half",
            SheetHeight::Full => "full",
        }
    }

    /// Where a drag released at `fraction` of the available height comes to rest.
    pub fn nearest(fraction: f64) -> SheetHeight {
        if fraction < 0.3 {
            SheetHeight::Peek
        } else if fraction < 0.75 {
            SheetHeight::Half
        } else {
            SheetHeight::Full
        }
    }

    /// What a tap on the handle does: a closed sheet opens halfway, an open one closes.
    pub fn tapped(self) -> SheetHeight {
        match self {
            SheetHeight::Peek => SheetHeight::Half,
            SheetHeight::Half | SheetHeight::Full => SheetHeight::Peek,
        }
    }
}

/// A finger that moves less than this on the handle has tapped it.
#[cfg(feature = "hydrate")]
const DRAG_SLOP_PX: f64 = 8.0;

#[component]
pub fn PullSheet(
    height: RwSignal<SheetHeight>,
    /// The handle's line: what the sheet holds, with a count.
    #[prop(into)]
    title: Signal<String>,
    #[prop(into)] testid: String,
    children: Children,
) -> impl IntoView {
    let section = NodeRef::<leptos::html::Section>::new();
    // While a finger drags the handle: where it went down, the sheet's height then, and the
    // height it is being dragged to (CSS pixels).
    let drag = RwSignal::new(None::<(f64, f64, f64)>);
    let moved = StoredValue::new(false);
    let style = move || drag.get().map(|(_, _, h)| format!("height:{h:.0}px"));
    let on_down = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
            let h = section.get_untracked().map(|s| s.get_bounding_client_rect().height()).unwrap_or(0.0);
            moved.set_value(false);
            drag.set(Some((ev.client_y() as f64, h, h)));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, section);
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((y0, h0, _)) = drag.get_untracked() {
            let dy = y0 - ev.client_y() as f64;
            if dy.abs() > DRAG_SLOP_PX {
                moved.set_value(true);
            }
            if moved.get_value() {
                drag.set(Some((y0, h0, (h0 + dy).max(48.0))));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_up = move |_: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((_, _, h)) = drag.get_untracked() {
            if moved.get_value() {
                // Snap to the nearest rest, measured against the room the sheet has.
                let room = section
                    .get_untracked()
                    .and_then(|s| s.parent_element())
                    .and_then(|p| p.closest(".workspace").ok().flatten())
                    .map(|w| w.get_bounding_client_rect().height())
                    .unwrap_or(640.0);
                height.set(SheetHeight::nearest(h / room.max(1.0)));
            }
            drag.set(None);
        }
    };
    let on_click = move |_| {
        // A drag ends in a click too; only a tap toggles.
        if !moved.get_value() {
            height.update(|h| *h = h.tapped());
        }
        moved.set_value(false);
    };
    view! {
        <section node_ref=section class="pull-sheet" data-height=move || height.get().code() class:dragging=move || drag.with(Option::is_some)
            style=style data-testid=testid>
            <button type="button" class="pull-handle" data-testid="pull-handle"
                aria-expanded=move || (height.get() != SheetHeight::Peek).to_string()
                on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=move |_| drag.set(None)
                on:click=on_click>
                <span class="grabber" aria-hidden="true"></span>
                <span class="pull-title">{move || title.get()}</span>
                <span class="pull-action">
                    {move || if height.get() == SheetHeight::Peek { "Abrir" } else { "Bajar" }}
                    <svg viewBox="0 0 24 24" class="tool-icon" aria-hidden="true">
                        <path d=move || if height.get() == SheetHeight::Peek { "M6 15l6-6 6 6" } else { "M6 9l6 6 6-6" }/>
                    </svg>
                </span>
            </button>
            <div class="pull-body">{children()}</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_drag_rests_at_the_nearest_height() {
        assert_eq!(SheetHeight::nearest(0.1), SheetHeight::Peek);
        assert_eq!(SheetHeight::nearest(0.5), SheetHeight::Half);
        assert_eq!(SheetHeight::nearest(0.9), SheetHeight::Full);
    }

    #[test]
    fn a_tap_opens_a_closed_sheet_and_closes_an_open_one() {
        assert_eq!(SheetHeight::Peek.tapped(), SheetHeight::Half);
        assert_eq!(SheetHeight::Half.tapped(), SheetHeight::Peek);
        assert_eq!(SheetHeight::Full.tapped(), SheetHeight::Peek);
    }
}
