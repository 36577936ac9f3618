//! The diagnóstico's puntos críticos on the barrio, for the staff page, the printed report and
//! the public page: a drawing fitted to the barrio in which every hotspot wears its category's
//! marker and grows with the marks behind it. Static unless `zoomable` (the public page on a
//! phone), which pans and pinch-zooms with the barrio map's own gestures.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use super::layers::{midpoint, DrawnLayers};
use super::marks::marker_shape;
use super::projection::{Projection, ViewBox};
use super::{BaseGround, BaseLabels};
use crate::model::{Barrio, BaseLayers, Category, CategoryGroup, GeometryKind, Hotspot};

/// Width the drawing is designed for when nothing measures it (server rendering, print): the
/// printable width of an A4 page at 96 px per inch, about 180 mm.
pub const NOMINAL_WIDTH_PX: f64 = 680.0;
/// Width : height of the map, fixed so that a page knows the map's height from its width.
pub const ASPECT: f64 = 4.0 / 3.0;
/// Below this width a drawing for paper is sized as if it had it: on a phone the report's
/// markers shrink a little rather than cover the barrio.
const MIN_SIZING_WIDTH_PX: f64 = 420.0;
/// The marker of a hotspot of one mark, across, on screen and on paper.
const POINT_PX_SCREEN: f64 = 30.0;
const POINT_PX_PAPER: f64 = 22.0;
/// The smallest touch target, whatever the marker's size.
const TOUCH_PX: f64 = 44.0;
/// The line of a route of one mark.
const ROUTE_PX: f64 = 4.0;
/// The count's badge, across (it does not grow: it is there to be read).
const BADGE_PX: f64 = 17.0;
/// Growth stops at this many marks, so one large hotspot cannot cover the barrio; the
/// number written on it still gives the count.
pub const MAX_GROWTH_COUNT: u32 = 36;

/// How many times wider than a hotspot of one mark a hotspot of `count` marks is drawn: its
/// area is proportional to the count (9 marks, 3 times as wide), up to [`MAX_GROWTH_COUNT`].
pub fn growth(count: u32) -> f64 {
    f64::from(count.clamp(1, MAX_GROWTH_COUNT)).sqrt()
}

/// The view box around the barrio at [`ASPECT`], with room for markers at its edges.
pub fn framed(projection: &Projection, bbox: [f64; 4]) -> ViewBox {
    let v = projection.fit(bbox, 0.07);
    let (cx, cy) = (v.x + v.width / 2.0, v.y + v.height / 2.0);
    let (w, h) = if v.width / v.height < ASPECT { (v.height * ASPECT, v.height) } else { (v.width, v.width / ASPECT) };
    ViewBox { x: cx - w / 2.0, y: cy - h / 2.0, width: w, height: h }
}

/// A hotspot made ready to draw, in SVG units.
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotGlyph {
    pub id: Uuid,
    pub count: u32,
    pub kind: GeometryKind,
    pub sensitive: bool,
    pub code: String,
    pub label: &'static str,
    pub color: &'static str,
    pub group: CategoryGroup,
    /// Where the marker sits: the point, the middle of the route, a point inside the zone.
    pub at: (f64, f64),
    /// The route's or the zone's path; empty for points.
    pub d: String,
}

impl HotspotGlyph {
    /// `None` for a geometry that cannot be drawn (the engine only makes drawable ones).
    pub fn new(h: &Hotspot, projection: &Projection) -> Option<HotspotGlyph> {
        use geo::InteriorPoint;
        use geojson::Value;
        let project =
            |ps: &[Vec<f64>]| -> Vec<(f64, f64)> { ps.iter().filter(|p| p.len() >= 2).map(|p| projection.to_svg(p[0], p[1])).collect() };
        let (at, d) = match &h.geometry.value {
            Value::Point(p) if p.len() >= 2 => (projection.to_svg(p[0], p[1]), String::new()),
            Value::LineString(line) => {
                let points = project(line);
                if points.len() < 2 {
                    return None;
                }
                let length: f64 = points.windows(2).map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1)).sum();
                let d: String =
                    points.iter().enumerate().map(|(i, (x, y))| format!("{}{x:.1} {y:.1}", if i == 0 { 'M' } else { 'L' })).collect();
                (midpoint(&points, length).0, d)
            }
            Value::Polygon(_) => {
                let polygon = geo::Polygon::<f64>::try_from(&h.geometry.value).ok()?;
                let inside = polygon.interior_point()?;
                (projection.to_svg(inside.x(), inside.y()), projection.path(&h.geometry))
            }
            _ => return None,
        };
        let category = Category::by_code(&h.category);
        Some(HotspotGlyph {
            id: h.id,
            count: h.count,
            kind: h.geometry_kind,
            sensitive: h.sensitive,
            code: h.category.clone(),
            label: category.map(|c| c.label_es).unwrap_or("Otra categoría"),
            color: category.map(|c| c.color).unwrap_or("#555555"),
            group: category.map(|c| c.group).unwrap_or(CategoryGroup::Crime),
            at,
            d,
        })
    }
}

/// Zones under routes under points; within each, the larger under the smaller, so that no
/// hotspot hides a smaller one.
pub fn drawing_order(glyphs: &mut [HotspotGlyph]) {
    let layer = |k: GeometryKind| match k {
        GeometryKind::Zone => 0,
        GeometryKind::Route => 1,
        GeometryKind::Point => 2,
    };
    glyphs.sort_by(|a, b| layer(a.kind).cmp(&layer(b.kind)).then(b.count.cmp(&a.count)).then(a.id.cmp(&b.id)));
}

/// The map of a diagnóstico's hotspots. Tapping a hotspot (or Enter on it) selects it, and
/// again clears the selection; with `interactive` false (print) nothing listens.
#[component]
pub fn HotspotMap(
    /// The barrio, for its boundary and name.
    barrio: Barrio,
    /// The hotspots to draw (all of them, or a filtered list).
    #[prop(into)]
    hotspots: Signal<Vec<Hotspot>>,
    /// The selected hotspot, drawn highlighted; set by tapping when `interactive`.
    selected: RwSignal<Option<Uuid>>,
    /// False for print: no handlers, no focus stops, markers sized for paper.
    interactive: bool,
    /// Blocks, streets and landmarks from the barrio's pack, drawn faintly under the hotspots.
    #[prop(optional, into)]
    layers: Option<Signal<Option<Arc<BaseLayers>>>>,
    /// Pan with a finger, pinch or + / − to zoom, and "Ver todo el barrio": for a map read on
    /// a phone, where the fitted barrio is too small to tell the markers apart. Never on paper.
    #[prop(optional)]
    zoomable: bool,
    /// A ring around some hotspots, `(colour, code)` each: a miniauditoría's answer at the
    /// place. The code goes in `data-tint` for the legend and for tests.
    #[prop(optional, into)]
    tint: Option<Signal<HashMap<Uuid, (&'static str, &'static str)>>>,
) -> impl IntoView {
    let bbox = barrio.bbox().unwrap_or([-74.22, 11.2, -74.2, 11.22]);
    let projection = Projection::centred_on(bbox);
    let frame = framed(&projection, bbox);
    // The view shown (the whole frame unless zoomed) and, during a gesture, the one it heads
    // to, shown by a CSS transform until the fingers lift (see `super::gestures`).
    let view = RwSignal::new(frame);
    let live = RwSignal::new(None::<ViewBox>);
    let boundary = projection.path(&barrio.boundary);
    let glyphs = Memo::new(move |_| {
        let mut g: Vec<HotspotGlyph> = hotspots.with(|hs| hs.iter().filter_map(|h| HotspotGlyph::new(h, &projection)).collect());
        drawing_order(&mut g);
        g
    });
    let drawn = Memo::new(move |_| layers.and_then(|l| l.get()).map(|l| Arc::new(DrawnLayers::new(&l, &projection))));
    // The drawing's width on screen, measured in the browser; paper gets the nominal width.
    let width_px = RwSignal::new(NOMINAL_WIDTH_PX);
    // On screen a tap target must stay 44 px wide, so an interactive map is sized as measured.
    let sizing_floor = if interactive || zoomable { 1.0 } else { MIN_SIZING_WIDTH_PX };
    // Markers keep their size on screen at any zoom, as on the barrio map.
    let units_per_px = Signal::derive(move || view.with(|v| v.width) / width_px.get().max(sizing_floor));
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    // The drawing's size on screen, for the gestures' arithmetic.
    let size_px = RwSignal::new((NOMINAL_WIDTH_PX, NOMINAL_WIDTH_PX / ASPECT));
    #[cfg(feature = "hydrate")]
    let gestures = super::gestures::Gestures::new(svg_ref, view, live, size_px, frame);
    #[cfg(feature = "hydrate")]
    {
        let printing = StoredValue::new(false);
        let measure = move || {
            if printing.get_value() {
                return;
            }
            if let Some(svg) = svg_ref.get_untracked() {
                let rect = svg.get_bounding_client_rect();
                if rect.width() > 0.0 {
                    width_px.set(rect.width());
                    size_px.set((rect.width(), rect.height().max(1.0)));
                }
            }
        };
        Effect::new(move |_| {
            if svg_ref.get().is_some() {
                request_animation_frame(measure);
            }
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| measure());
        // Printing lays the page out again at paper width: size the markers for paper.
        let before = window_event_listener(leptos::ev::beforeprint, move |_| {
            printing.set_value(true);
            width_px.set(NOMINAL_WIDTH_PX);
            // Paper shows the whole barrio, whatever the screen was zoomed to.
            live.set(None);
            view.set(frame);
        });
        let after = window_event_listener(leptos::ev::afterprint, move |_| {
            printing.set_value(false);
            measure();
        });
        on_cleanup(move || {
            resize.remove();
            before.remove();
            after.remove();
        });
    }
    let point_px = if interactive { POINT_PX_SCREEN } else { POINT_PX_PAPER };
    let name = barrio.summary.name.clone();
    let layer = move || {
        glyphs
            .get()
            .into_iter()
            .map(|g| {
                let id = g.id;
                let ring = Signal::derive(move || tint.and_then(|t| t.with(|t| t.get(&id).copied())));
                view! { <HotspotMark glyph=g units_per_px selected interactive point_px ring/> }
            })
            .collect_view()
    };
    let body = view! {
        <rect class="map-ground" x=frame.x y=frame.y width=frame.width height=frame.height/>
        <path class="barrio-area" d=boundary.clone() fill-rule="evenodd"/>
        <g class="hotspot-base">{move || drawn.get().map(|d| view! { <BaseGround drawn=d units_per_px/> })}</g>
        <path class="barrio-boundary" d=boundary fill-rule="evenodd"/>
        <g class="hotspot-base-labels">{move || drawn.get().map(|d| view! { <BaseLabels drawn=d units_per_px/> })}</g>
        <g class="hotspots-layer">{layer}</g>
    };
    let label = format!("Mapa de puntos críticos del barrio {name}");
    let view_box = move || view.get().to_attr();
    let live_transform = move || {
        live.get().map(|to| {
            let (k, tx, ty) = super::viewport::transform_between(&view.get(), &to, size_px.get());
            format!("translate({tx:.2}px, {ty:.2}px) scale({k:.5})")
        })
    };
    let svg = if interactive || zoomable {
        let pick = move |target: Option<event_target::Target>| {
            if !interactive {
                return;
            }
            if let Some(id) = event_target::hotspot_id(target) {
                selected.update(|s| *s = if *s == Some(id) { None } else { Some(id) });
            }
        };
        // Pointer handlers only on a zoomable map: elsewhere a finger on the map scrolls the page.
        macro_rules! gesture {
            ($method:ident) => {
                move |ev| {
                    #[cfg(feature = "hydrate")]
                    if zoomable {
                        gestures.$method(&ev);
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
            };
        }
        view! {
            <svg node_ref=svg_ref class="hotspot-svg" viewBox=view_box preserveAspectRatio="xMidYMid meet" role="group" aria-label=label
                class:moving=move || live.with(Option::is_some)
                style:transform=live_transform
                on:click=move |ev| {
                    // The end of a drag or a pinch is not a tap on what lies under it.
                    #[cfg(feature = "hydrate")]
                    if zoomable && gestures.take_was_drag() {
                        return;
                    }
                    pick(event_target::of(&ev))
                }
                on:keydown=move |ev| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        pick(event_target::of(&ev));
                    }
                }
                on:pointerdown=gesture!(down)
                on:pointermove=gesture!(moved)
                on:pointerup=gesture!(up)
                on:pointercancel=gesture!(up)
            >
                {body}
            </svg>
        }
        .into_any()
    } else {
        view! {
            <svg node_ref=svg_ref class="hotspot-svg" viewBox=view_box preserveAspectRatio="xMidYMid meet" role="img" aria-label=label>
                {body}
            </svg>
        }
        .into_any()
    };
    let zoom_by = move |factor: f64| {
        if let Some(to) = live.get_untracked() {
            view.set(to);
            live.set(None);
        }
        view.update(|v| *v = v.zoom_centre(factor, &frame));
    };
    view! {
        <div class="hotspot-map" class:interactive=interactive class:zoomable=zoomable data-testid="hotspot-map" data-hotspots=move || glyphs.with(Vec::len).to_string()>
            {if zoomable {
                view! {
                    <div class="hotspot-zoom">{svg}</div>
                    // Under the map, not over it: a map 4:3 wide on a phone has no room to spare.
                    <div class="hotspot-zoom-bar" role="group" aria-label="Acercar o alejar el mapa">
                        <button type="button" class="button small quiet" data-testid="map-home" on:click=move |_| { live.set(None); view.set(frame) }>
                            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/></svg>
                            "Ver todo el barrio"
                        </button>
                        <button type="button" class="map-button" aria-label="Alejar" title="Alejar" data-testid="zoom-out" on:click=move |_| zoom_by(1.0 / 1.6)>
                            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 12h14"/></svg>
                        </button>
                        <button type="button" class="map-button" aria-label="Acercar" title="Acercar" data-testid="zoom-in" on:click=move |_| zoom_by(1.6)>
                            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5v14M5 12h14"/></svg>
                        </button>
                    </div>
                }
                .into_any()
            } else {
                svg
            }}
            {move || drawn.get().filter(|d| d.demo).map(|_| view! {
                <p class="hotspot-demo">"Calles y lugares de ejemplo (demo): no son los reales del barrio."</p>
            })}
        </div>
    }
}

/// One hotspot: its marker (and line or area), the count on a badge, a lock when sensitive.
#[component]
fn HotspotMark(
    glyph: HotspotGlyph,
    units_per_px: Signal<f64>,
    selected: RwSignal<Option<Uuid>>,
    interactive: bool,
    point_px: f64,
    ring: Signal<Option<(&'static str, &'static str)>>,
) -> impl IntoView {
    let HotspotGlyph { id, count, kind, sensitive, code, label, color, group, at: (x, y), d } = glyph;
    let grow = growth(count);
    // Routes and zones carry a marker of the size of one mark: their line or area shows
    // their extent, and the marker says what they are.
    let marker_px = if kind == GeometryKind::Point { point_px * grow } else { point_px };
    let is_selected = move || selected.get() == Some(id);
    let marker_transform = move || format!("translate({x:.1} {y:.1}) scale({:.4})", units_per_px.get() * marker_px / 36.0);
    let badge_transform = move || {
        let u = units_per_px.get();
        // On the marker's upper right edge, at the same place whatever its size.
        let r = marker_px / 2.0 * 0.72;
        format!("translate({:.1} {:.1}) scale({:.4})", x + r * u, y - r * u, u)
    };
    let lock_transform = move || {
        let u = units_per_px.get();
        let r = marker_px / 2.0 * 0.72;
        format!("translate({:.1} {:.1}) scale({:.4})", x - r * u, y + r * u, u)
    };
    let body = match kind {
        GeometryKind::Point => None,
        GeometryKind::Route => {
            let (d1, d2, d3) = (d.clone(), d.clone(), d);
            let width = move || units_per_px.get() * ROUTE_PX * grow;
            Some(
                view! {
                    {interactive.then(|| view! {
                        <path class="hotspot-hit-line" d=d3 stroke-width=move || format!("{:.2}", units_per_px.get() * TOUCH_PX.max(ROUTE_PX * grow))/>
                    })}
                    <path class="hotspot-route-casing" d=d1 stroke-width=move || format!("{:.2}", width() + units_per_px.get() * 4.0)/>
                    <path class="hotspot-route" d=d2 stroke=color stroke-width=move || format!("{:.2}", width())/>
                }
                .into_any(),
            )
        }
        GeometryKind::Zone => Some(
            view! {
                <path class="hotspot-zone" d=d fill=color stroke=color fill-rule="evenodd" stroke-width=move || format!("{:.2}", units_per_px.get() * 2.5)/>
            }
            .into_any(),
        ),
    };
    let noun = crate::model::words::plural_es(count, "marca", "marcas");
    let kind_es = match kind {
        GeometryKind::Point => "punto",
        GeometryKind::Route => "ruta",
        GeometryKind::Zone => "zona",
    };
    let title = format!("{label} ({kind_es}): {count} {noun}{}", if sensitive { " · sensible" } else { "" });
    let digits = count.to_string();
    let badge_w = BADGE_PX.max(8.0 + 7.5 * digits.len() as f64);
    view! {
        <g
            class="hotspot-glyph"
            class:selected=is_selected
            class:sensitive=sensitive
            data-hotspot-id=id.to_string()
            data-count=count
            data-category=code.clone()
            data-kind=kind_es
            data-tint=move || ring.get().map(|(_, code)| code)
            tabindex=interactive.then_some("0")
            role=interactive.then_some("button")
            aria-pressed=move || interactive.then(|| if is_selected() { "true" } else { "false" })
            aria-label=title
        >
            {body}
            <g class="hotspot-marker" transform=marker_transform>
                {move || ring.get().map(|(color, _)| view! { <circle class="hotspot-tint" r="25" fill="none" stroke=color stroke-width="7"/> })}
                {interactive.then(|| view! {
                    <circle class="hotspot-hit" r=format!("{:.1}", 18.0 * (TOUCH_PX / marker_px).max(1.0))/>
                })}
                {marker_shape(group, color)}
                <use_ href=format!("#icon-{code}") x="-11" y="-11" width="22" height="22"/>
            </g>
            <g class="hotspot-count" transform=badge_transform>
                <rect x={-badge_w / 2.0} y={-BADGE_PX / 2.0} width=badge_w height=BADGE_PX rx={BADGE_PX / 2.0}/>
                <text y="4.5" text-anchor="middle">{digits}</text>
            </g>
            {sensitive.then(|| view! {
                <g class="hotspot-lock" transform=lock_transform>
                    <use_ href="#icon-lock" x="-8" y="-8" width="16" height="16"/>
                </g>
            })}
        </g>
    }
}

/// The hotspot an event happened on, without the map's own pointer handling (this map has
/// none: it does not pan).
mod event_target {
    use uuid::Uuid;

    #[cfg(feature = "hydrate")]
    pub type Target = web_sys::Element;
    #[cfg(not(feature = "hydrate"))]
    pub type Target = ();

    #[cfg(feature = "hydrate")]
    pub fn of(ev: &web_sys::Event) -> Option<Target> {
        use wasm_bindgen::JsCast;
        ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    }
    #[cfg(not(feature = "hydrate"))]
    pub fn of<E>(_ev: &E) -> Option<Target> {
        None
    }

    #[cfg(feature = "hydrate")]
    pub fn hotspot_id(target: Option<Target>) -> Option<Uuid> {
        let el = target?.closest("[data-hotspot-id]").ok().flatten()?;
        Uuid::parse_str(&el.get_attribute("data-hotspot-id")?).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    pub fn hotspot_id(_target: Option<Target>) -> Option<Uuid> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::{AffectedProfile, DaysProfile, FrequencyProfile, SinceProfile, TimeProfile};

    fn hotspot(n: u128, category: &str, count: u32, geometry: geojson::Value) -> Hotspot {
        let kind = match geometry {
            geojson::Value::LineString(_) => GeometryKind::Route,
            geojson::Value::Polygon(_) => GeometryKind::Zone,
            _ => GeometryKind::Point,
        };
        Hotspot {
            id: Uuid::from_u128(n),
            barrio_id: 1,
            category: category.into(),
            sensitive: false,
            geometry_kind: kind,
            geometry: geojson::Geometry::new(geometry),
            count,
            participants: count,
            workshops: 1,
            first_reported_ms: 0,
            last_reported_ms: 0,
            times: TimeProfile::default(),
            days: DaysProfile::default(),
            frequency: FrequencyProfile::default(),
            since: SinceProfile::default(),
            affected: AffectedProfile::default(),
            source_ids: vec![],
            adjustments: vec![],
        }
    }

    #[test]
    fn nine_marks_are_three_times_as_wide_as_one_and_growth_stops() {
        assert_eq!(growth(1), 1.0);
        assert_eq!(growth(0), 1.0);
        assert_eq!(growth(9), 3.0);
        assert_eq!(growth(1000), growth(MAX_GROWTH_COUNT));
    }

    #[test]
    fn the_frame_has_the_fixed_aspect_and_holds_the_barrio() {
        let bbox = [-74.21, 11.20, -74.205, 11.23];
        let p = Projection::centred_on(bbox);
        let f = framed(&p, bbox);
        assert!((f.width / f.height - ASPECT).abs() < 1e-9);
        let (x0, y1) = p.to_svg(bbox[0], bbox[1]);
        let (x1, y0) = p.to_svg(bbox[2], bbox[3]);
        assert!(f.x < x0 && f.y < y0 && f.x + f.width > x1 && f.y + f.height > y1);
    }

    #[test]
    fn routes_carry_their_marker_halfway_and_zones_inside() {
        let p = Projection::centred_on([-74.21, 11.2, -74.2, 11.21]);
        let route = hotspot(1, "hurto_personas", 2, geojson::Value::LineString(vec![vec![-74.21, 11.205], vec![-74.20, 11.205]]));
        let g = HotspotGlyph::new(&route, &p).unwrap();
        let (mx, _) = p.to_svg(-74.205, 11.205);
        assert!((g.at.0 - mx).abs() < 1.0 && g.d.starts_with('M'));
        // An L-shaped zone, whose centroid would fall outside it.
        let ring = vec![
            vec![-74.21, 11.2],
            vec![-74.2, 11.2],
            vec![-74.2, 11.201],
            vec![-74.209, 11.201],
            vec![-74.209, 11.21],
            vec![-74.21, 11.21],
            vec![-74.21, 11.2],
        ];
        let zone = hotspot(2, "no_such_category", 1, geojson::Value::Polygon(vec![ring]));
        let g = HotspotGlyph::new(&zone, &p).unwrap();
        let (lon, lat) = p.to_lon_lat(g.at.0, g.at.1);
        assert!((lon <= -74.209 || lat <= 11.201) && g.d.ends_with('Z'), "{lon} {lat}");
        assert_eq!(g.label, "Otra categoría", "unknown codes still draw");
    }

    #[test]
    fn zones_go_under_routes_under_points_and_big_under_small() {
        let p = Projection::centred_on([-74.21, 11.2, -74.2, 11.21]);
        let mut g: Vec<HotspotGlyph> = [
            hotspot(1, "rinas", 1, geojson::Value::Point(vec![-74.205, 11.205])),
            hotspot(2, "rinas", 5, geojson::Value::Point(vec![-74.205, 11.205])),
            hotspot(3, "rinas", 1, geojson::Value::LineString(vec![vec![-74.21, 11.205], vec![-74.20, 11.205]])),
        ]
        .iter()
        .filter_map(|h| HotspotGlyph::new(h, &p))
        .collect();
        drawing_order(&mut g);
        assert_eq!(g.iter().map(|g| g.id.as_u128()).collect::<Vec<_>>(), vec![3, 2, 1]);
    }
}
