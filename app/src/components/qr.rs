//! A QR code for a text (the workshop's join link), drawn on the device as SVG so it shows
//! offline once the workshop is kept.

use leptos::prelude::*;

/// The QR's SVG markup; empty on the server, which never knows the device's workshops.
fn svg(text: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        use qrcode::render::svg;
        match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) {
            Ok(code) => code.render::<svg::Color>().min_dimensions(240, 240).quiet_zone(true).build(),
            Err(_) => String::new(),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        String::new()
    }
}

#[component]
pub fn QrCode(#[prop(into)] text: Signal<String>, #[prop(into)] label: String) -> impl IntoView {
    view! { <div class="qr" role="img" aria-label=label data-testid="join-qr" inner_html=move || svg(&text.get())></div> }
}
