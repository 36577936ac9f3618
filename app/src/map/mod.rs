//! The barrio map: the boundary drawn by the app in SVG (no tile server, works offline) with
//! the marks on top; a tap on the map reports the longitude/latitude tapped.

pub mod projection;

use leptos::prelude::*;

use crate::model::{Barrio, Category, CategoryGroup, Mark};
use projection::Projection;

/// Marker size on screen, in CSS pixels, whatever the zoom: big enough to see and tap.
const MARKER_PX: f64 = 36.0;

#[component]
pub fn BarrioMap(
    barrio: Barrio,
    #[prop(into)] marks: Signal<Vec<Mark>>,
    /// Called with `(lon, lat)` when the map is tapped.
    on_tap: Callback<(f64, f64)>,
) -> impl IntoView {
    let bbox = barrio.bbox().unwrap_or([-74.22, 11.2, -74.2, 11.22]);
    let projection = Projection::centred_on(bbox);
    let view_box = projection.fit(bbox, 0.06);
    let boundary = projection.path(&barrio.boundary);
    // SVG units per CSS pixel, measured once the map is in the page; markers are scaled by it.
    let units_per_px = RwSignal::new(view_box.width / 360.0);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();

    #[cfg(feature = "hydrate")]
    {
        let measure = move || {
            if let Some(svg) = svg_ref.get_untracked() {
                let rect = svg.get_bounding_client_rect();
                if rect.width() > 0.0 && rect.height() > 0.0 {
                    units_per_px.set((view_box.width / rect.width()).max(view_box.height / rect.height()));
                }
            }
        };
        // After a client-side navigation the SVG exists before it is laid out: measure on the
        // next frame, when it has its size.
        Effect::new(move |_| {
            if svg_ref.get().is_some() {
                request_animation_frame(measure);
            }
        });
        let handle = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || handle.remove());
    }

    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(svg) = svg_ref.get_untracked() {
            if let Some((x, y)) = crate::client::dom::client_to_svg(&svg, ev.client_x(), ev.client_y()) {
                on_tap.run(projection.to_lon_lat(x, y));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, on_tap);
    };

    view! {
        <svg
            node_ref=svg_ref
            class="map"
            viewBox=view_box.to_attr()
            preserveAspectRatio="xMidYMid meet"
            role="application"
            aria-label=format!("Mapa del barrio {}", barrio.summary.name)
            on:click=on_click
        >
            <rect class="map-ground" x=view_box.x y=view_box.y width=view_box.width height=view_box.height/>
            <path class="barrio-boundary" d=boundary fill-rule="evenodd"/>
            <g class="marks">
                <For each=move || marks.get() key=|m| m.id let:mark>
                    <MarkGlyph mark projection units_per_px/>
                </For>
            </g>
        </svg>
    }
}

#[component]
fn MarkGlyph(mark: Mark, projection: Projection, units_per_px: RwSignal<f64>) -> impl IntoView {
    let category = Category::by_code(&mark.category);
    let (lon, lat) = mark.point().unwrap_or_default();
    let (x, y) = projection.to_svg(lon, lat);
    let color = category.map(|c| c.color).unwrap_or("#555");
    let label = category.map(|c| c.label_es).unwrap_or("Marca");
    let group = category.map(|c| c.group).unwrap_or(CategoryGroup::Crime);
    let href = format!("#icon-{}", mark.category);
    // The drawing is made for a 36 px marker (18 units from the centre), then scaled.
    let transform = move || format!("translate({x:.1} {y:.1}) scale({:.4})", units_per_px.get() * MARKER_PX / 36.0);
    let shape = match group {
        CategoryGroup::Crime => view! { <circle r="17" fill=color class="mark-shape"/> }.into_any(),
        CategoryGroup::Coexistence => view! { <rect x="-15" y="-15" width="30" height="30" rx="4" fill=color class="mark-shape"/> }.into_any(),
        CategoryGroup::RiskFactor => view! { <path d="M0 -19L19 0L0 19L-19 0Z" fill=color class="mark-shape"/> }.into_any(),
    };
    view! {
        <g class="mark" data-category=mark.category.clone() data-mark-id=mark.id.to_string() transform=transform>
            {shape}
            <use_ href=href x="-11" y="-11" width="22" height="22"/>
            <text class="mark-label" y="32" text-anchor="middle">{label}</text>
        </g>
    }
}
