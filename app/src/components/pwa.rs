//! The installable-app side of the UI: "Hay una nueva versión" (applied only when the person
//! chooses), the install button, and what this device keeps (persistence, space used).

use leptos::prelude::*;

use super::status::use_sync_state;

/// App-wide state of the installed app on this device.
#[derive(Clone, Copy)]
pub struct DeviceState {
    pub update_ready: RwSignal<bool>,
    pub installable: RwSignal<bool>,
    /// Whether the browser promised to keep our data; `None` until known or when unsupported.
    pub persisted: RwSignal<Option<bool>>,
    /// `(used, quota)` in bytes.
    pub usage: RwSignal<Option<(f64, f64)>>,
}

pub fn provide_device_state() -> DeviceState {
    let state = DeviceState {
        update_ready: RwSignal::new(false),
        installable: RwSignal::new(false),
        persisted: RwSignal::new(None),
        usage: RwSignal::new(None),
    };
    provide_context(state);
    #[cfg(feature = "hydrate")]
    {
        use crate::client::pwa;
        Effect::new(move |_| {
            state.update_ready.set(pwa::flag("updateReady"));
            state.installable.set(pwa::flag("installable"));
            leptos::task::spawn_local(async move {
                state.persisted.set(pwa::request_persistence().await);
                state.usage.set(pwa::estimate().await);
            });
        });
        let ready = window_event_listener_untyped("cartobarrio:update-ready", move |_| state.update_ready.set(true));
        let installable =
            window_event_listener_untyped("cartobarrio:installable", move |_| state.installable.set(pwa::flag("installable")));
        on_cleanup(move || {
            ready.remove();
            installable.remove();
        });
    }
    state
}

pub fn use_device_state() -> DeviceState {
    expect_context::<DeviceState>()
}

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let device = use_device_state();
    let apply = move |_| {
        #[cfg(feature = "hydrate")]
        crate::client::pwa::emit("cartobarrio:apply-update");
    };
    view! {
        <Show when=move || device.update_ready.get()>
            <div class="update-banner" role="alert" data-testid="update-banner">
                <p>
                    <strong>"Hay una nueva versión de Cartobarrio."</strong>
                    " Actualice cuando termine lo que está haciendo: sus marcas no se pierden."
                </p>
                <button type="button" class="button primary" on:click=apply>"Actualizar"</button>
            </div>
        </Show>
    }
}

/// A size for people, with the decimal comma of Colombian usage.
pub fn human_size(bytes: f64) -> String {
    let mb = bytes / 1_000_000.0;
    let text = if mb < 10.0 {
        format!("{mb:.1} MB")
    } else if mb < 1000.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{:.1} GB", mb / 1000.0)
    };
    text.replace('.', ",")
}

/// What this device keeps, shown on the home page.
#[component]
pub fn DevicePanel() -> impl IntoView {
    let device = use_device_state();
    let sync = use_sync_state();
    let install = move |_| {
        #[cfg(feature = "hydrate")]
        crate::client::pwa::emit("cartobarrio:install");
    };
    // A short code a facilitator can read aloud to tell shared tablets apart.
    let device_code = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(id) = crate::client::storage::device_id().await {
                device_code.set(Some(id.chars().rev().take(6).collect::<String>().chars().rev().collect()));
            }
        });
    });
    let storage_text = move || {
        match (sync.storage_ok.get(), device.persisted.get()) {
        (Some(false), _) => "Este navegador no permite guardar datos (¿modo privado o incógnito?). Las marcas NO se pueden guardar aquí: use una ventana normal.".to_string(),
        (_, Some(true)) => "Guardado permanente: el navegador no borrará sus marcas.".to_string(),
        (_, Some(false)) => "Guardado no garantizado: si al teléfono le falta espacio, el navegador podría borrar datos. Envíe sus marcas cuando tenga señal.".to_string(),
        (_, None) => "Revisando el almacenamiento…".to_string(),
    }
    };
    view! {
        <section class="device-panel" aria-labelledby="device-title" data-testid="device-panel">
            <h2 id="device-title">"Este dispositivo"</h2>
            <p class="storage-status" class:warn=move || sync.storage_ok.get() == Some(false) data-testid="storage-status">
                {storage_text}
            </p>
            <p class="storage-usage" data-testid="storage-usage">
                {move || device.usage.get().map(|(used, quota)| format!("Espacio usado: {} de {} disponibles.", human_size(used), human_size(quota)))}
            </p>
            <p class="device-code" data-testid="device-code">
                {move || device_code.get().map(|c| format!("Código de este dispositivo: {c}"))}
            </p>
            <Show when=move || device.installable.get()>
                <button type="button" class="button primary" on:click=install data-testid="install">
                    "Instalar Cartobarrio en este dispositivo"
                </button>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_use_a_decimal_comma() {
        assert_eq!(human_size(345_000.0), "0,3 MB");
        assert_eq!(human_size(45_600_000.0), "46 MB");
        assert_eq!(human_size(10_737_000_000.0), "10,7 GB");
    }
}
