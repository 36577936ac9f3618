//! Identifiers and clocks of this device.

use uuid::{Builder, Uuid};

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A UUID v7 (time-ordered) from the browser's cryptographic random source, so marks made
/// offline on many devices never collide and sort by creation time.
pub fn new_id() -> Uuid {
    let mut random = [0u8; 10];
    let filled =
        web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.get_random_values_with_u8_array(&mut random).is_ok()).unwrap_or(false);
    if !filled {
        // Only very old browsers lack crypto.getRandomValues; Math.random still keeps
        // collisions between a workshop's devices astronomically unlikely.
        for b in random.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    Builder::from_unix_timestamp_millis(now_ms().max(0) as u64, &random).into_uuid()
}

pub fn is_online() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}

/// Asks the service worker to keep a page for offline use (one reached by in-app navigation,
/// which the worker never saw). Waits for the worker to be active; without one, nothing.
pub async fn keep_page_offline(path: &str) {
    use js_sys::{Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else { return };
    let Ok(container) = Reflect::get(&window.navigator(), &JsValue::from_str("serviceWorker")) else { return };
    let Ok(ready) = Reflect::get(&container, &JsValue::from_str("ready")) else { return };
    let Ok(ready) = ready.dyn_into::<js_sys::Promise>() else { return };
    let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else { return };
    let Ok(active) = Reflect::get(&registration, &JsValue::from_str("active")) else { return };
    let Ok(post) = Reflect::get(&active, &JsValue::from_str("postMessage")).and_then(|f| f.dyn_into::<js_sys::Function>()) else {
        return;
    };
    let message = Object::new();
    let _ = Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("KEEP_PAGE"));
    let _ = Reflect::set(&message, &JsValue::from_str("path"), &JsValue::from_str(path));
    let _ = post.call1(&active, &message);
}
