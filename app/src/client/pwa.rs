//! The bridge to `public/sw-register.js` (window events and flags) and the browser's storage
//! manager (persistence and quota).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Reads `window.__cartobarrio[name]`, set by the registration script.
pub fn flag(name: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    Reflect::get(&window, &JsValue::from_str("__cartobarrio"))
        .ok()
        .filter(|v| v.is_object())
        .and_then(|state| Reflect::get(&state, &JsValue::from_str(name)).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Dispatches a window event for the registration script (`cartobarrio:apply-update`, …).
pub fn emit(name: &str) {
    if let (Some(window), Ok(event)) = (web_sys::window(), web_sys::CustomEvent::new(name)) {
        let _ = window.dispatch_event(&event);
    }
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Old browsers have no navigator.storage at all.
    Reflect::has(&navigator, &JsValue::from_str("storage")).ok().filter(|b| *b)?;
    Some(navigator.storage())
}

async fn call_promise(target: &JsValue, method: &str) -> Option<JsValue> {
    let f: Function = Reflect::get(target, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
    let promise: Promise = f.call0(target).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

/// Asks the browser to keep this site's data even when space runs low. `None` if unsupported.
pub async fn request_persistence() -> Option<bool> {
    let manager: JsValue = storage_manager()?.into();
    if call_promise(&manager, "persisted").await.and_then(|v| v.as_bool()) == Some(true) {
        return Some(true);
    }
    call_promise(&manager, "persist").await.and_then(|v| v.as_bool())
}

/// `(used, quota)` in bytes.
pub async fn estimate() -> Option<(f64, f64)> {
    let manager: JsValue = storage_manager()?.into();
    let estimate = call_promise(&manager, "estimate").await?;
    let get = |k: &str| Reflect::get(&estimate, &JsValue::from_str(k)).ok().and_then(|v| v.as_f64());
    Some((get("usage")?, get("quota")?))
}
