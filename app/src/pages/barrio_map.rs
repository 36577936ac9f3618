//! `/barrio/:id`: the barrio's map, the category palette, and the marks made on this device.
//! The boundary is rendered on the server; marks are read from IndexedDB on the device only,
//! so no participant's mark ever ends up in server-rendered (cacheable) HTML.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::palette::CategoryPalette;
use crate::components::participant::{Participant, WhoChip, WhoSheet};
use crate::data;
use crate::map::BarrioMap;
use crate::model::{Barrio, Mark};

/// What the page tells the participant after a tap.
// Saving, Saved and Failed only happen in the browser.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, PartialEq)]
enum Notice {
    Hint,
    ChooseCategory,
    Saving,
    Saved(&'static str, String),
    Failed(String),
}

#[component]
pub fn BarrioMapPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let barrio = Resource::new(id, |id| async move {
        match id {
            Some(id) => data::barrio(id).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Cargando el mapa…"</p> }>
            {move || Suspend::new(async move {
                match barrio.await {
                    Ok(Some(b)) => view! { <BarrioWorkspace barrio=b/> }.into_any(),
                    Ok(None) => view! {
                        <Title text="Barrio no encontrado"/>
                        <section class="page narrow">
                            <h1>"Ese barrio no existe"</h1>
                            <a class="button primary" href="/">"Ver los barrios"</a>
                        </section>
                    }.into_any(),
                    Err(e) => view! {
                        <section class="page narrow">
                            <h1>"No se pudo abrir el mapa"</h1>
                            <p class="error">{e}</p>
                            <a class="button primary" href="/">"Volver"</a>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BarrioWorkspace(barrio: Barrio) -> impl IntoView {
    let barrio_id = barrio.summary.id;
    let name = barrio.summary.name.clone();
    let source = barrio.source.clone();
    let selected = RwSignal::new(None::<&'static str>);
    let marks = RwSignal::new(Vec::<Mark>::new());
    let notice = RwSignal::new(Notice::Hint);
    let participant = Participant::new();
    let layers = RwSignal::new(None::<std::sync::Arc<crate::model::BaseLayers>>);
    let layers_problem = RwSignal::new(None::<String>);

    // The base layers come from the device's copy of the pack, or are downloaded (and kept)
    // when the barrio is opened online; a newer version on the server replaces the copy.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            use crate::client::packs;
            let local = packs::on_device(barrio_id).await.ok().flatten();
            let local_version = local.as_ref().map(|p| p.version);
            if let Some(pack) = local {
                layers.set(Some(std::sync::Arc::new(pack.layers)));
            }
            if !crate::client::device::is_online() {
                if local_version.is_none() {
                    layers_problem.set(Some("Sin conexión: las calles de este barrio no están en el dispositivo.".into()));
                }
                return;
            }
            let newer = match local_version {
                None => true,
                Some(v) => packs::server_packs().await.ok().and_then(|infos| infos.into_iter().find(|i| i.barrio_id == barrio_id)).is_some_and(|i| i.version > v),
            };
            if newer {
                match packs::download(barrio_id).await {
                    Ok((pack, _)) => {
                        layers_problem.set(None);
                        layers.set(Some(std::sync::Arc::new(pack.layers)));
                    }
                    Err(e) if local_version.is_none() => layers_problem.set(Some(format!("No se pudieron traer las calles: {e}"))),
                    Err(_) => {}
                }
            }
        });
    });

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            match crate::client::storage::marks_for_barrio(barrio_id).await {
                Ok(stored) => marks.set(stored),
                Err(e) => notice.set(Notice::Failed(format!("No se pudieron leer las marcas guardadas: {e}"))),
            }
        });
    });

    #[cfg(feature = "hydrate")]
    let sync = crate::components::status::use_sync_state();
    let on_tap = Callback::new(move |(lon, lat): (f64, f64)| {
        let Some(code) = selected.get_untracked() else {
            notice.set(Notice::ChooseCategory);
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            use crate::client::{device, storage, sync as outbox};
            let alias = participant.current.get_untracked();
            let mark = Mark::new_point(device::new_id(), barrio_id, code, lon, lat, device::now_ms()).by(&alias);
            let label = crate::model::Category::by_code(code).map(|c| c.label_es).unwrap_or("Marca");
            notice.set(Notice::Saving);
            leptos::task::spawn_local(async move {
                // Shown as saved only once IndexedDB has committed it.
                match storage::save_new_mark(&mark).await {
                    Ok(()) => {
                        marks.update(|m| m.push(mark));
                        notice.set(Notice::Saved(label, alias));
                        outbox::send_soon(sync);
                    }
                    Err(e) => notice.set(Notice::Failed(format!("No se guardó la marca: {e}"))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (lon, lat, code, barrio_id);
    });

    let notice_text = move || match notice.get() {
        Notice::Hint => "Elija una categoría y toque el mapa donde ocurre.".to_string(),
        Notice::ChooseCategory => "Primero elija una categoría abajo.".to_string(),
        Notice::Saving => "Guardando…".to_string(),
        Notice::Saved(label, alias) if alias.is_empty() => format!("«{label}» guardada en este dispositivo."),
        Notice::Saved(label, alias) => format!("«{label}» de {alias}, guardada en este dispositivo."),
        Notice::Failed(why) => why,
    };

    view! {
        <Title text=name.clone()/>
        <section class="workspace">
            <div class="workspace-head">
                <a class="back" href="/" aria-label="Volver a la lista de barrios">
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/>
                    </svg>
                    <span>"Barrios"</span>
                </a>
                <h1 class="barrio-title">{name}</h1>
                <WhoChip participant/>
                <span class="mark-count" data-testid="mark-count">
                    {move || match marks.read().len() {
                        1 => "1 marca".to_string(),
                        n => format!("{n} marcas"),
                    }}
                </span>
            </div>
            <div class="map-wrap">
                <BarrioMap barrio marks on_tap layers/>
                <WhoSheet participant/>
                <p
                    class="notice"
                    class:ok=move || matches!(notice.get(), Notice::Saved(..))
                    class:warn=move || matches!(notice.get(), Notice::ChooseCategory | Notice::Failed(_))
                    role="status"
                    aria-live="polite"
                    data-testid="notice"
                >
                    {notice_text}
                </p>
            </div>
            <CategoryPalette selected/>
            <p class="attribution" data-testid="attribution">
                {source}
                {move || layers.get().filter(|l| !l.source.is_empty()).map(|l| format!(" {}", l.source))}
                {move || layers_problem.get().map(|p| view! { <span class="warn-text">" " {p}</span> })}
            </p>
        </section>
    }
}
