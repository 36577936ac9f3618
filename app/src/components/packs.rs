//! Barrio maps kept on the device for offline use: the facilitator's shelf on the home page
//! (what is on this device, how big, remove) and the "Guardar" button beside each barrio.

use leptos::prelude::*;

use crate::model::PackInfo;
use crate::model::words::count_es;

/// What the list knows of one barrio's pack on this device.
#[derive(Debug, Clone, PartialEq)]
pub struct ShelfItem {
    pub barrio_id: i64,
    pub name: String,
    pub version: i64,
    pub bytes: i64,
}

/// Shared between the shelf and the buttons of the list.
#[derive(Clone, Copy)]
pub struct PackShelf {
    pub on_device: RwSignal<Vec<ShelfItem>>,
    /// What the server offers (versions and sizes), when it could be asked.
    pub offers: RwSignal<Vec<PackInfo>>,
    /// Barrios being downloaded right now.
    pub busy: RwSignal<Vec<i64>>,
    pub problem: RwSignal<Option<String>>,
    /// False until the device's list has been read (so nothing flickers on first paint).
    pub loaded: RwSignal<bool>,
}

/// A size in kB or MB, with the decimal comma of Colombian usage.
pub fn pack_size(bytes: i64) -> String {
    if bytes < 1_000_000 {
        format!("{} kB", (bytes as f64 / 1000.0).ceil().max(1.0))
    } else {
        super::pwa::human_size(bytes as f64)
    }
}

impl PackShelf {
    pub fn provide() -> PackShelf {
        let shelf = PackShelf {
            on_device: RwSignal::new(Vec::new()),
            offers: RwSignal::new(Vec::new()),
            busy: RwSignal::new(Vec::new()),
            problem: RwSignal::new(None),
            loaded: RwSignal::new(false),
        };
        provide_context(shelf);
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                shelf.reload().await;
                if let Ok(offers) = crate::client::packs::server_packs().await {
                    shelf.offers.set(offers);
                }
            });
        });
        shelf
    }

    pub fn offer(&self, barrio_id: i64) -> Option<PackInfo> {
        self.offers.read().iter().find(|o| o.barrio_id == barrio_id).cloned()
    }

    pub fn item(&self, barrio_id: i64) -> Option<ShelfItem> {
        self.on_device.read().iter().find(|i| i.barrio_id == barrio_id).cloned()
    }

    #[cfg(feature = "hydrate")]
    async fn reload(&self) {
        match crate::client::storage::packs().await {
            Ok(list) => {
                self.on_device.set(
                    list.into_iter()
                        .map(|p| ShelfItem { barrio_id: p.barrio_id, name: p.barrio_name, version: p.version, bytes: p.bytes })
                        .collect(),
                );
                self.loaded.set(true);
            }
            Err(e) => self.problem.set(Some(format!("No se pudo leer qué mapas hay en el dispositivo: {e}"))),
        }
    }

    pub fn download(&self, barrio_id: i64) {
        #[cfg(feature = "hydrate")]
        {
            let shelf = *self;
            if shelf.busy.read_untracked().contains(&barrio_id) {
                return;
            }
            shelf.busy.update(|b| b.push(barrio_id));
            shelf.problem.set(None);
            leptos::task::spawn_local(async move {
                match crate::client::packs::download(barrio_id).await {
                    Ok(_) => shelf.reload().await,
                    Err(e) => shelf.problem.set(Some(format!("No se guardó el mapa: {e}."))),
                }
                shelf.busy.update(|b| b.retain(|id| *id != barrio_id));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = barrio_id;
    }

    pub fn remove(&self, barrio_id: i64) {
        #[cfg(feature = "hydrate")]
        {
            let shelf = *self;
            leptos::task::spawn_local(async move {
                match crate::client::storage::delete_pack(barrio_id).await {
                    Ok(()) => shelf.reload().await,
                    Err(e) => shelf.problem.set(Some(format!("No se pudo quitar el mapa: {e}"))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = barrio_id;
    }
}

pub fn use_pack_shelf() -> PackShelf {
    use_context::<PackShelf>().unwrap_or_else(PackShelf::provide)
}

/// The maps on this device, their size, and a way to remove each.
#[component]
pub fn PackShelfPanel() -> impl IntoView {
    let shelf = use_pack_shelf();
    let total = move || shelf.on_device.read().iter().map(|i| i.bytes).sum::<i64>();
    // Folded into one line, so the search box stays on a phone's first screen.
    view! {
        <details class="pack-shelf" data-testid="pack-shelf">
            <summary>
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11M7 10.5l5 5 5-5M5 20h14"/></svg>
                <span class="shelf-summary" data-testid="shelf-summary">
                    {move || match shelf.on_device.read().len() {
                        _ if !shelf.loaded.get() => "Mapas sin conexión: revisando…".to_string(),
                        0 => "Ningún mapa guardado para usar sin conexión".to_string(),
                        n => format!("{} en este dispositivo ({})", count_es(n, "mapa", "mapas"), pack_size(total())),
                    }}
                </span>
            </summary>
            <p class="shelf-help">
                "Con señal, toque «Guardar» junto a los barrios del taller: sus mapas se podrán abrir sin conexión."
            </p>
            <ul class="shelf-list">
                <For each=move || shelf.on_device.get() key=|i| (i.barrio_id, i.version) let:item>
                    <li data-testid="shelf-item" data-barrio-id=item.barrio_id.to_string()>
                        <a href=format!("/barrio/{}", item.barrio_id)>{item.name.clone()}</a>
                        <span class="shelf-size">{pack_size(item.bytes)}</span>
                        {move || shelf.offer(item.barrio_id).filter(|o| o.version > item.version).map(|_| view! {
                            <button type="button" class="button small" on:click=move |_| shelf.download(item.barrio_id)>"Actualizar"</button>
                        })}
                        <button
                            type="button"
                            class="button small quiet"
                            aria-label=format!("Quitar el mapa de {} de este dispositivo", item.name)
                            on:click=move |_| shelf.remove(item.barrio_id)
                        >
                            "Quitar"
                        </button>
                    </li>
                </For>
            </ul>
        </details>
        {move || shelf.problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
    }
}

/// Beside each barrio of the list: save its map, or show that it is saved.
#[component]
pub fn PackButton(barrio_id: i64, name: String) -> impl IntoView {
    let shelf = use_pack_shelf();
    let state = move || {
        if shelf.busy.read().contains(&barrio_id) {
            "busy"
        } else if let Some(item) = shelf.item(barrio_id) {
            if shelf.offer(barrio_id).is_some_and(|o| o.version > item.version) {
                "stale"
            } else {
                "saved"
            }
        } else {
            "missing"
        }
    };
    let size = move || {
        shelf.item(barrio_id).map(|i| i.bytes).or_else(|| shelf.offer(barrio_id).map(|o| o.bytes)).map(pack_size).unwrap_or_default()
    };
    let label = move || match state() {
        "busy" => "Guardando…",
        "saved" => "Guardado",
        "stale" => "Actualizar",
        _ => "Guardar",
    };
    view! {
        <button
            type="button"
            class="pack-button"
            data-state=state
            data-testid=format!("pack-{barrio_id}")
            aria-label=move || format!("{} el mapa de {name} para usarlo sin conexión ({})", label(), size())
            disabled=move || matches!(state(), "busy" | "saved")
            on:click=move |_| shelf.download(barrio_id)
        >
            <svg viewBox="0 0 24 24" aria-hidden="true">
                {move || if state() == "saved" {
                    view! { <path d="M5 12.5l4.5 4.5L19 7.5"/> }.into_any()
                } else {
                    view! { <path d="M12 4v11M7 10.5l5 5 5-5M5 20h14"/> }.into_any()
                }}
            </svg>
            <span class="pack-label">{label}</span>
            <span class="pack-size">{size}</span>
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::pack_size;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(pack_size(450), "1 kB");
        assert_eq!(pack_size(84_200), "85 kB");
        assert_eq!(pack_size(2_345_000), "2,3 MB");
    }
}
