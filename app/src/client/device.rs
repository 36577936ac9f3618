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
