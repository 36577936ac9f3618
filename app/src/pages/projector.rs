//! `/talleres/:id/proyectar`: the workshop's join code and QR in type big enough to read across
//! a salón comunal from a projector, with the room's running counts beside them. The code and
//! QR come from the device (they show offline); the counts need the signed-in facilitator.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::workshops::StoredWorkshopView;
use crate::components::qr::QrCode;
use crate::components::room::{poll_room, RoomTotals};
use crate::model::workshop::display_code;

#[component]
pub fn ProjectorPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|s| s.parse::<Uuid>().ok()));
    let workshop = RwSignal::new(None::<StoredWorkshopView>);
    let missing = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(id) = id else {
            missing.set(true);
            return;
        };
        leptos::task::spawn_local(async move {
            let found = crate::client::sync_store::workshops().await.ok().and_then(|l| l.iter().find(|w| w.id == id).map(StoredWorkshopView::from));
            match found {
                Some(w) => {
                    workshop.set(Some(w));
                    crate::client::device::keep_page_offline(&format!("/talleres/{id}/proyectar")).await;
                }
                None => missing.set(true),
            }
        });
    });
    let link = move || workshop.with(|w| w.as_ref().map(|w| super::workshops::join_link(&w.code)).unwrap_or_default());
    let full_screen = move |_| toggle_full_screen();
    let back = id.map(|id| format!("/talleres/{id}")).unwrap_or_else(|| "/talleres".into());
    view! {
        <Title text="Proyectar el taller"/>
        <section class="projector" data-testid="projector">
            <div class="projector-bar">
                <a class="button small" href=back data-testid="projector-back">"← Volver al taller"</a>
                <button type="button" class="button small quiet" on:click=full_screen>"Pantalla completa"</button>
            </div>
            <Show when=move || missing.get()>
                <p class="error">"Este taller no está en este dispositivo. Ábralo desde «Talleres»."</p>
            </Show>
            {move || workshop.get().map(|w| view! {
                <div class="projector-main">
                    <div class="projector-join">
                        <p class="projector-say">{format!("Taller de {} · únase con este código", w.barrio_name)}</p>
                        <p class="projector-code" data-testid="projector-code" aria-label="Código del taller">{display_code(&w.code)}</p>
                        <QrCode text=Signal::derive(link) label="Código QR para unirse al taller"/>
                        <p class="projector-link">{link}</p>
                    </div>
                    <ProjectorCounts workshop_id=w.id/>
                </div>
            })}
        </section>
    }
}

/// The counts beside the code, or nothing when this device may not read them.
#[component]
fn ProjectorCounts(workshop_id: Uuid) -> impl IntoView {
    let feed = poll_room(workshop_id);
    view! {
        <Show when=move || !feed.refused.get()>
            <div class="projector-counts" data-testid="projector-counts">
                <RoomTotals feed/>
                {move || feed.problem.get().map(|p| view! { <p class="room-problem" role="status">{p}</p> })}
            </div>
        </Show>
    }
}

/// "Pantalla completa" on a projector page: into full screen, or out of it.
pub(crate) fn toggle_full_screen() {
    #[cfg(feature = "hydrate")]
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        } else if let Some(root) = doc.document_element() {
            let _ = root.request_fullscreen();
        }
    }
}
