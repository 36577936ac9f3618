//! "¿Dónde estoy?": one reading of the device's position, when the person allows it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `(lon, lat, accuracy in metres)` or a message for the person.
pub type Fix = Result<(f64, f64, f64), String>;

/// Called once, by whichever of the browser's two callbacks comes first.
type Once = Rc<RefCell<Option<Box<dyn FnOnce(Fix)>>>>;

pub fn locate(done: impl FnOnce(Fix) + 'static) {
    let done: Once = Rc::new(RefCell::new(Some(Box::new(done))));
    let finish = move |fix: Fix| {
        if let Some(f) = done.borrow_mut().take() {
            f(fix);
        }
    };
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        finish(Err("Este dispositivo no puede dar su ubicación.".into()));
        return;
    };
    let ok = {
        let finish = finish.clone();
        Closure::once_into_js(move |position: JsValue| {
            let coords = Reflect::get(&position, &"coords".into()).unwrap_or(JsValue::UNDEFINED);
            let get = |k: &str| Reflect::get(&coords, &k.into()).ok().and_then(|v| v.as_f64());
            match (get("longitude"), get("latitude")) {
                (Some(lon), Some(lat)) => finish(Ok((lon, lat, get("accuracy").unwrap_or(0.0)))),
                _ => finish(Err("La ubicación llegó incompleta.".into())),
            }
        })
    };
    let err = {
        let finish = finish.clone();
        Closure::once_into_js(move |error: JsValue| {
            let code = Reflect::get(&error, &"code".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
            finish(Err(match code {
                1 => "No dio permiso para usar su ubicación.".into(),
                3 => "La ubicación tardó demasiado. Intente al aire libre.".into(),
                _ => "No se pudo saber su ubicación (¿GPS apagado?).".into(),
            }))
        })
    };
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(15_000);
    if geolocation.get_current_position_with_error_callback_and_options(ok.unchecked_ref(), Some(err.unchecked_ref()), &options).is_err() {
        finish(Err("No se pudo pedir la ubicación.".into()));
    }
}
