//! DOM helpers.

use wasm_bindgen::JsCast;
use web_sys::{SvgElement, SvgsvgElement};

/// Converts a point on screen (CSS pixels, as in a click event) to the SVG's user coordinates.
pub fn client_to_svg(svg: &SvgElement, client_x: i32, client_y: i32) -> Option<(f64, f64)> {
    let svg = svg.dyn_ref::<SvgsvgElement>()?;
    let inverse = svg.get_screen_ctm()?.inverse().ok()?;
    let point = svg.create_svg_point();
    point.set_x(client_x as f32);
    point.set_y(client_y as f32);
    let p = point.matrix_transform(&inverse);
    Some((p.x() as f64, p.y() as f64))
}

/// Scrolls the element with `id` into view (horizontally too), smoothly.
pub fn scroll_into_view(id: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_behavior(web_sys::ScrollBehavior::Smooth);
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        options.set_inline(web_sys::ScrollLogicalPosition::Start);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}
