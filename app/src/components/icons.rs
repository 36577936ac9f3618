//! The category icons as one inline SVG sprite, so every icon works offline and is drawn once.

use leptos::prelude::*;

use crate::map::layers::landmark_icon;
use crate::model::{LandmarkKind, CATEGORIES};

/// `<symbol>`s for every category, referenced as `#icon-{code}`, every landmark kind
/// (`#lm-{code}`) and the lock of sensitive hotspots (`#icon-lock`). The icon markup is the
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
        // The lock on sensitive hotspots: dark on a white disc, so it reads on any colour and
        // in black-and-white prints.
        .chain(std::iter::once(
            r##"<symbol id="icon-lock" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="#fff" stroke="#14201c" stroke-width="1.6"/><rect x="7" y="11" width="10" height="7.5" rx="1.5" fill="#14201c"/><path d="M9.2 11V8.6a2.8 2.8 0 0 1 5.6 0V11" fill="none" stroke="#14201c" stroke-width="2"/></symbol>"##
                .to_string(),
        ))
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

/// The lock of sensitive categories and hotspots, drawn from the sprite: an emoji lock shows
/// as an empty box on devices without an emoji font, and prints as nothing in black and white.
#[component]
pub fn LockIcon(title: &'static str) -> impl IntoView {
    view! {
        <svg class="lock-icon" viewBox="0 0 24 24" role="img" aria-label=title data-testid="lock-icon">
            <title>{title}</title>
            <use_ href="#icon-lock"/>
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
