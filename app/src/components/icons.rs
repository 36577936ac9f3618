//! The category icons as one inline SVG sprite, so every icon works offline and is drawn once.

use leptos::prelude::*;

use crate::map::layers::landmark_icon;
use crate::model::{LandmarkKind, CATEGORIES};

/// `<symbol>`s for every category, referenced as `#icon-{code}`, and every landmark kind
/// (`#lm-{code}`). The icon markup is the
/// project's own static data (taxonomy.rs), never user text.
fn sprite() -> String {
    CATEGORIES
        .iter()
        .map(|c| format!(r#"<symbol id="icon-{}" viewBox="0 0 24 24">{}</symbol>"#, c.code, c.icon))
        .chain(LandmarkKind::ALL.iter().map(|k| {
            format!(
                r##"<symbol id="lm-{}" viewBox="0 0 24 24" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{}</symbol>"##,
                k.code(),
                landmark_icon(*k)
            )
        }))
        .collect()
}

#[component]
pub fn IconSprite() -> impl IntoView {
    view! {
        <svg class="sprite" aria-hidden="true" width="0" height="0">
            <defs inner_html=sprite()></defs>
        </svg>
    }
}

/// A category icon on its coloured badge, as used in the palette.
#[component]
pub fn CategoryIcon(code: &'static str, color: &'static str) -> impl IntoView {
    view! {
        <svg class="cat-icon" viewBox="0 0 24 24" aria-hidden="true" style=format!("background:{color}")>
            <use_ href=format!("#icon-{code}")/>
        </svg>
    }
}
