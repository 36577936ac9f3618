//! The barrio map: the boundary drawn by the app in SVG (no tile server, works offline) with
//! the marks on top. One finger pans, two pinch-zoom, the mouse wheel and the buttons zoom; a
//! tap (not a drag) reports the longitude/latitude tapped.

pub mod hotspot_legend;
pub mod hotspots;
pub mod layers;
pub mod marks;
pub mod projection;
pub mod viewport;

use std::sync::Arc;

use leptos::prelude::*;

use crate::editor::{Editor, Tool};
use crate::model::{Barrio, BaseLayers, Stage};
use layers::{landmark_color, DrawnLayers, LandmarkGlyph, LABEL_PX};
use marks::{mark_view, tree_nodes, DraftLayer, MarkRow, TreeLinks, MARKER_PX};
use projection::{Projection, ViewBox};

/// Landmark badge size on screen, in CSS pixels: smaller than marks, which matter more.
const LANDMARK_PX: f64 = 26.0;
/// Landmark names show from this zoom in (metres of map per screen pixel).
const LANDMARK_NAMES_MAX_UPP: f64 = 1.6;

/// A finger that moves less than this between down and up has tapped, not dragged.
#[cfg(feature = "hydrate")]
const TAP_SLOP_PX: f64 = 10.0;

#[component]
pub fn BarrioMap(
    barrio: Barrio,
    /// Blocks, streets and landmarks, once the barrio's pack is at hand.
    #[prop(into)]
    layers: Signal<Option<Arc<BaseLayers>>>,
    /// Called with `(lon, lat)` when the map is tapped away from any mark.
    on_tap: Callback<(f64, f64)>,
    /// Called with a mark's id when it is tapped.
    on_select: Callback<uuid::Uuid>,
    editor: Editor,
    #[prop(into)] stage: Signal<Stage>,
) -> impl IntoView {
    let bbox = barrio.bbox().unwrap_or([-74.22, 11.2, -74.2, 11.22]);
    let projection = Projection::centred_on(bbox);
    let home = projection.fit(bbox, 0.06);
    let boundary = projection.path(&barrio.boundary);
    let view = RwSignal::new(home);
    // While a finger (or the wheel) moves the map, the view it is heading to. The drawing is
    // moved there with a CSS transform, and redrawn for it once the gesture ends: redrawing
    // thousands of features on every frame is what makes a phone stutter.
    let live = RwSignal::new(None::<ViewBox>);
    // The SVG's size on screen in CSS pixels, measured once it is laid out.
    let size_px = RwSignal::new((360.0_f64, 420.0_f64));
    // SVG units per CSS pixel ("meet": the tighter of the two axes decides).
    let units_per_px = Memo::new(move |_| {
        let v = view.get();
        let (w, h) = size_px.get();
        (v.width / w.max(1.0)).max(v.height / h.max(1.0))
    });
    // Web Mercator stretches distances by 1/cos(latitude).
    let ground_per_unit = ((bbox[1] + bbox[3]) / 2.0).to_radians().cos();
    let scale = Memo::new(move |_| {
        let v = live.get().unwrap_or_else(|| view.get());
        let (w, h) = size_px.get();
        let upp = (v.width / w.max(1.0)).max(v.height / h.max(1.0));
        viewport::scale_bar(upp * ground_per_unit, 90.0)
    });
    let live_transform = move || {
        live.get().map(|to| {
            let (k, tx, ty) = viewport::transform_between(&view.get(), &to, size_px.get());
            format!("translate({tx:.2}px, {ty:.2}px) scale({k:.5})")
        })
    };
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    // What is drawn of the editor's live marks (a "+1" as a count on the mark it joins, not
    // as a second marker on top of it), read straight from the drawing: no mark is copied.
    let shown = Memo::new(move |_| editor.drawing.with(|d| MarkRow::all(&d.marks, &projection)));
    // The marks drawn as selected: the one whose sheet is open, or the problems of the cause
    // whose links are shown.
    let picked_problems = editor.highlighted_cause;
    let selected_marks = Memo::new(move |_| {
        let mut ids: Vec<uuid::Uuid> = editor.selected.get().into_iter().collect();
        if let Some(cause) = picked_problems.get() {
            editor.drawing.with(|d| ids.extend(d.cause(&cause).map(|c| c.problem_ids.clone()).unwrap_or_default()));
        }
        ids
    });
    let marks_layer = NodeRef::<leptos::svg::G>::new();
    // A mark is drawn with its class for the selection of the moment; when the selection
    // changes, this one effect moves the class, instead of an effect in each of a thousand
    // marks rerunning on every tap.
    #[cfg(feature = "hydrate")]
    Effect::new(move |before: Option<Vec<uuid::Uuid>>| {
        let now = selected_marks.get();
        if let Some(layer) = marks_layer.get() {
            let class = |id: &uuid::Uuid, on: bool| {
                if let Ok(Some(el)) = layer.query_selector(&format!("g.mark[data-mark-id=\"{id}\"]")) {
                    let _ = if on { el.class_list().add_1("selected") } else { el.class_list().remove_1("selected") };
                }
            };
            before.iter().flatten().filter(|id| !now.contains(id)).for_each(|id| class(id, false));
            now.iter().for_each(|id| class(id, true));
        }
        now
    });
    // Markers keep their size on screen and routes their width: the layer says how many SVG
    // units a CSS pixel is, and the stylesheet scales by it (one style change on a zoom, not
    // one per mark).
    let marks_scale = move || {
        let u = units_per_px.get();
        format!("--upp:{u:.5};--mark-scale:{:.5}", u * MARKER_PX / 36.0)
    };
    // Projected once per pack; panning and zooming only move the view box.
    let drawn = Memo::new(move |_| layers.get().map(|l| Arc::new(DrawnLayers::new(&l, &projection))));

    // The device's position, when asked for, and what to tell the person about it.
    let here = RwSignal::new(None::<(f64, f64, f64)>);
    let locate_message = RwSignal::new(None::<String>);
    let locate = move |_| {
        #[cfg(feature = "hydrate")]
        {
            locate_message.set(Some("Buscando su ubicación…".into()));
            crate::client::geo::locate(move |fix| match fix {
                Ok((lon, lat, accuracy)) => {
                    let (x, y) = projection.to_svg(lon, lat);
                    let inside = x >= home.x && x <= home.x + home.width && y >= home.y && y <= home.y + home.height;
                    here.set(Some((x, y, accuracy)));
                    if inside {
                        locate_message.set(None);
                        view.update(|v| *v = v.pan(x - (v.x + v.width / 2.0), y - (v.y + v.height / 2.0), &home));
                    } else {
                        locate_message.set(Some("Usted está fuera de este barrio.".into()));
                    }
                }
                Err(why) => locate_message.set(Some(why)),
            });
        }
    };

    let zoom_by = move |factor: f64| {
        if let Some(to) = live.get_untracked() {
            view.set(to);
            live.set(None);
        }
        view.update(|v| {
            let (cx, cy) = (v.x + v.width / 2.0, v.y + v.height / 2.0);
            *v = v.zoom_about(factor, cx, cy, &home);
        })
    };

    #[cfg(feature = "hydrate")]
    let gestures = gestures::Gestures::new(svg_ref, view, live, size_px, home);
    #[cfg(feature = "hydrate")]
    {
        // The server draws the whole barrio (it cannot know the screen); the first measure
        // zooms in, unless a finger or the list already moved the map.
        let opened = StoredValue::new(false);
        // Where the map opens: close in, inside the barrio.
        let start_at =
            barrio.inside_point().map(|(lon, lat)| projection.to_svg(lon, lat)).unwrap_or((home.x + home.width / 2.0, home.y + home.height / 2.0));
        let measure = move || {
            if let Some(svg) = svg_ref.get_untracked() {
                let rect = svg.get_bounding_client_rect();
                if rect.width() > 0.0 && rect.height() > 0.0 {
                    size_px.set((rect.width(), rect.height()));
                    if !opened.get_value() {
                        opened.set_value(true);
                        if view.get_untracked() == home && live.get_untracked().is_none() {
                            view.set(home.start_view(start_at.0, start_at.1, (rect.width(), rect.height()), ground_per_unit));
                        }
                    }
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

    // Centre on what the list asked for, zooming in if the whole barrio is in view.
    Effect::new(move |_| {
        if let Some((lon, lat)) = editor.focus.get() {
            let (x, y) = projection.to_svg(lon, lat);
            live.set(None);
            view.update(|v| {
                let centred = v.pan(x - (v.x + v.width / 2.0), y - (v.y + v.height / 2.0), &home);
                let target = home.width / 4.0;
                *v = if centred.width > target { centred.zoom_about(centred.width / target, x, y, &home) } else { centred };
            });
            editor.focus.set(None);
        }
    });

    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            if gestures.take_was_drag() {
                return;
            }
            // A tap on a mark opens it, unless a route or zone is being drawn through it.
            let drawing_shape = editor.draft.with_untracked(|d| d.as_ref().is_some_and(|d| d.editing.is_none()));
            if !drawing_shape {
                // The map holds pointer capture during a gesture, so the click's target is
                // the map itself: ask what lies under the finger instead.
                let hit = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.element_from_point(ev.client_x() as f32, ev.client_y() as f32))
                    .and_then(|el| el.closest("[data-mark-id]").ok().flatten())
                    .and_then(|el| el.get_attribute("data-mark-id"))
                    .and_then(|id| uuid::Uuid::parse_str(&id).ok());
                // With the route or zone tool and a category in hand, a tap on another
                // device's mark (which this one may not change) is the shape's first point:
                // whoever is about to draw a zone across someone's route means the zone.
                let starts_shape = editor.tool.get_untracked() != Tool::Point
                    && editor.category.get_untracked().is_some()
                    && stage.get_untracked().draws();
                let others = |id: &uuid::Uuid| {
                    let node = editor.device.get_untracked().unwrap_or_default();
                    editor.drawing.with_untracked(|d| d.mark(id).is_some_and(|m| !m.made_on(&node)))
                };
                if let Some(id) = hit.filter(|id| !(starts_shape && others(id))) {
                    on_select.run(id);
                    return;
                }
            }
            if let Some(svg) = svg_ref.get_untracked() {
                if let Some((x, y)) = crate::client::dom::client_to_svg(&svg, ev.client_x(), ev.client_y()) {
                    on_tap.run(projection.to_lon_lat(x, y));
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, on_tap, on_select);
    };
    let zone_draft = Signal::derive(move || {
        editor.draft.with(|d| match d.as_ref().and_then(|d| d.editing) {
            Some(id) => editor.drawing.with(|dr| dr.mark(&id).is_some_and(|m| matches!(m.geometry.value, geojson::Value::Polygon(_)))),
            None => editor.tool.get() == Tool::Zone,
        })
    });
    let tree = Signal::derive(move || {
        let s = stage.get();
        let only = if matches!(s, Stage::Tree | Stage::Solutions) { None } else { editor.highlighted_cause.get() };
        if only.is_none() && !matches!(s, Stage::Tree | Stage::Solutions) {
            return Vec::new();
        }
        editor.drawing.with(|d| tree_nodes(d, &projection, only, s == Stage::Solutions))
    });

    view! {
        <div class="map-frame">
            <svg
                node_ref=svg_ref
                class="map"
                viewBox=move || view.get().to_attr()
                preserveAspectRatio="xMidYMid meet"
                class:moving=move || live.with(Option::is_some)
                style:transform=live_transform
                role="application"
                aria-label=format!("Mapa del barrio {}", barrio.summary.name)
                on:click=on_click
                on:pointerdown=move |ev| {
                    #[cfg(feature = "hydrate")]
                    gestures.down(&ev);
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
                on:pointermove=move |ev| {
                    #[cfg(feature = "hydrate")]
                    gestures.moved(&ev);
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
                on:pointerup=move |ev| {
                    #[cfg(feature = "hydrate")]
                    gestures.up(&ev);
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
                on:pointercancel=move |ev| {
                    #[cfg(feature = "hydrate")]
                    gestures.up(&ev);
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
                on:wheel=move |ev| {
                    #[cfg(feature = "hydrate")]
                    gestures.wheel(&ev);
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
            >
                <rect class="map-ground" x=home.x - home.width * 2.0 y=home.y - home.height * 2.0 width=home.width * 5.0 height=home.height * 5.0/>
                <path class="barrio-area" d=boundary.clone() fill-rule="evenodd"/>
                {move || drawn.get().map(|d| view! { <BaseGround drawn=d units_per_px=units_per_px.into()/> })}
                <path class="barrio-boundary" d=boundary fill-rule="evenodd"/>
                {move || drawn.get().map(|d| view! { <BaseLabels drawn=d units_per_px=units_per_px.into()/> })}
                {move || here.get().map(|(x, y, accuracy)| {
                    // Mercator units per ground metre at this latitude.
                    let r = accuracy / ground_per_unit;
                    view! {
                        <g class="here" data-testid="here">
                            <circle class="here-accuracy" cx=x cy=y r=r/>
                            <circle class="here-dot" cx=x cy=y r=move || units_per_px.get() * 8.0/>
                        </g>
                    }
                })}
                <g class="marks" node_ref=marks_layer style=marks_scale>
                    <For each=move || shown.get() key=|row| (row.id, row.version, row.joined) let:row>
                        {
                            let selected = selected_marks.with_untracked(|s| s.contains(&row.id));
                            mark_view(row, selected)
                        }
                    </For>
                </g>
                <TreeLinks nodes=tree units_per_px=units_per_px.into()/>
                <DraftLayer draft=editor.draft zone=zone_draft projection units_per_px=units_per_px.into() svg=svg_ref/>
            </svg>
            // Bottom right, in reach of the thumb; the two that are not obvious say what they do.
            <div class="map-controls">
                <button type="button" class="map-button" aria-label="Acercar" title="Acercar" on:click=move |_| zoom_by(1.6)>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5v14M5 12h14"/></svg>
                </button>
                <button type="button" class="map-button" aria-label="Alejar" title="Alejar" on:click=move |_| zoom_by(1.0 / 1.6)>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 12h14"/></svg>
                </button>
                <button type="button" class="map-button captioned" aria-label="¿Dónde estoy?" title="¿Dónde estoy? Centra el mapa donde está usted" data-testid="locate" on:click=locate>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="4"/><path d="M12 2v4M12 18v4M2 12h4M18 12h4"/></svg>
                    <span class="map-caption">"Aquí"</span>
                </button>
                <button type="button" class="map-button captioned" title="Ver todo el barrio" aria-label="Ver todo el barrio" data-testid="map-home" on:click=move |_| { live.set(None); view.set(home) }>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 8l6-4 9 3 1 9-7 5-9-4z" stroke-dasharray="3 2.2"/><path d="M12 10l0 .01"/></svg>
                    <span class="map-caption">"Barrio"</span>
                </button>
            </div>
            {move || drawn.get().filter(|d| d.demo).map(|_| view! {
                <p class="demo-badge" data-testid="demo-badge" title="Las calles, manzanas y lugares de este mapa son de ejemplo: no son los reales del barrio.">
                    "Calles de ejemplo (demo)"
                </p>
            })}
            {move || locate_message.get().map(|m| view! { <p class="map-toast" role="status" data-testid="locate-message">{m}</p> })}
            <div class="scale-bar" aria-hidden="true" data-testid="scale-bar">
                <span class="scale-line" style=move || format!("width:{:.0}px", scale.get().1)></span>
                <span class="scale-label">{move || viewport::scale_label(scale.get().0)}</span>
            </div>
        </div>
    }
}

/// Blocks and streets, under the boundary line.
#[component]
pub(crate) fn BaseGround(drawn: Arc<DrawnLayers>, units_per_px: Signal<f64>) -> impl IntoView {
    // Streets are about 7 m wide on the ground, but never thinner than 4 px on screen.
    let street = move || (units_per_px.get() * 4.0).max(7.0);
    view! {
        <g class="base-layers" data-testid="base-layers" data-demo=drawn.demo.to_string() data-features=drawn.features.to_string()>
            <path class="blocks" d=drawn.blocks.clone() fill-rule="evenodd"/>
            <path class="parks" d=drawn.parks.clone() fill-rule="evenodd"/>
            <path class="street-casing" d=drawn.streets.clone() stroke-width=move || format!("{:.2}", street() + units_per_px.get() * 2.0)/>
            <path class="street" d=drawn.streets.clone() stroke-width=move || format!("{:.2}", street())/>
        </g>
    }
}

/// Street names and landmarks, above the boundary line and below the marks. Names show only
/// where the street is long enough on screen to hold them, always at the same text size.
#[component]
pub(crate) fn BaseLabels(drawn: Arc<DrawnLayers>, units_per_px: Signal<f64>) -> impl IntoView {
    let visible = {
        let drawn = drawn.clone();
        Memo::new(move |_| drawn.visible_labels(units_per_px.get()))
    };
    let label_paths = drawn.labels.iter().map(|l| view! { <path id=l.id.clone() d=l.d.clone()/> }).collect_view();
    let landmarks = drawn.landmarks.iter().cloned().map(|g| view! { <LandmarkBadge glyph=g units_per_px/> }).collect_view();
    let labels = drawn.clone();
    // Landmark names only once zoomed in enough to read them without covering the streets.
    let named = move || units_per_px.get() <= LANDMARK_NAMES_MAX_UPP;
    view! {
        <defs>{label_paths}</defs>
        <g
            class="street-labels"
            data-testid="street-labels"
            font-size=move || format!("{:.2}", units_per_px.get() * LABEL_PX)
            stroke-width=move || format!("{:.2}", units_per_px.get() * 3.0)
        >
            <For each=move || visible.get() key=|i| *i let:i>
                <text class="street-label">
                    <textPath href=format!("#{}", labels.labels[i].id) startOffset="50%" text-anchor="middle">
                        {labels.labels[i].name.clone()}
                    </textPath>
                </text>
            </For>
        </g>
        <g class="landmarks" class:named=named data-testid="landmarks">{landmarks}</g>
    }
}

#[component]
fn LandmarkBadge(glyph: LandmarkGlyph, units_per_px: Signal<f64>) -> impl IntoView {
    let LandmarkGlyph { kind, name, x, y } = glyph;
    let transform = move || format!("translate({x:.1} {y:.1}) scale({:.4})", units_per_px.get() * LANDMARK_PX / 26.0);
    view! {
        <g class="landmark" data-kind=kind.code() transform=transform>
            <rect x="-13" y="-13" width="26" height="26" rx="7" fill=landmark_color(kind)/>
            <use_ href=format!("#lm-{}", kind.code()) x="-9" y="-9" width="18" height="18"/>
            <text class="landmark-label" y="26" text-anchor="middle">{name}</text>
        </g>
    }
}

#[cfg(feature = "hydrate")]
pub(crate) mod gestures {
    //! Pointer Events: one pointer pans, two pinch-zoom about their midpoint, the wheel zooms
    //! about the cursor. Tracks pointers by id with pointer capture, as touch needs. Moves go
    //! to the `live` view (shown by a CSS transform); the map is redrawn when the gesture ends.

    use leptos::prelude::*;
    use web_sys::{PointerEvent, WheelEvent};

    use super::projection::ViewBox;
    use super::viewport::px_to_units;
    use super::TAP_SLOP_PX;

    /// The wheel has no "up": the view is redrawn this long after its last turn.
    const WHEEL_SETTLE_MS: u64 = 180;

    #[derive(Clone, Default)]
    struct State {
        pointers: Vec<(i32, f64, f64)>,
        /// Where the first pointer went down, to tell a tap from a drag.
        start: Option<(f64, f64)>,
        dragged: bool,
        /// The SVG's top-left corner on screen, measured when the gesture began (before any
        /// transform moved it).
        origin: (f64, f64),
        wheel_turns: u32,
    }

    #[derive(Clone, Copy)]
    pub struct Gestures {
        svg: NodeRef<leptos::svg::Svg>,
        view: RwSignal<ViewBox>,
        live: RwSignal<Option<ViewBox>>,
        size: RwSignal<(f64, f64)>,
        home: ViewBox,
        state: StoredValue<State>,
    }

    impl Gestures {
        pub fn new(
            svg: NodeRef<leptos::svg::Svg>,
            view: RwSignal<ViewBox>,
            live: RwSignal<Option<ViewBox>>,
            size: RwSignal<(f64, f64)>,
            home: ViewBox,
        ) -> Self {
            Gestures { svg, view, live, size, home, state: StoredValue::new(State::default()) }
        }

        /// Redraws the map for the view the gesture reached.
        fn commit(&self) {
            if let Some(to) = self.live.get_untracked() {
                self.view.set(to);
                self.live.set(None);
            }
        }

        /// The view being shown right now.
        fn current(&self) -> ViewBox {
            self.live.get_untracked().unwrap_or_else(|| self.view.get_untracked())
        }

        fn measure_origin(&self) -> (f64, f64) {
            self.svg
                .get_untracked()
                .map(|svg| {
                    let r = svg.get_bounding_client_rect();
                    (r.left(), r.top())
                })
                .unwrap_or_default()
        }

        pub fn down(&self, ev: &PointerEvent) {
            if let Some(svg) = self.svg.get_untracked() {
                let _ = svg.set_pointer_capture(ev.pointer_id());
            }
            let starting = self.state.with_value(|s| s.pointers.is_empty());
            if starting {
                // A wheel zoom still settling: finish it, so the new gesture starts from a
                // drawn, untransformed map.
                self.commit();
            }
            let origin = if starting { Some(self.measure_origin()) } else { None };
            let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
            self.state.update_value(|s| {
                if s.pointers.is_empty() {
                    s.start = Some((x, y));
                    s.dragged = false;
                }
                if let Some(o) = origin {
                    s.origin = o;
                }
                s.pointers.retain(|p| p.0 != ev.pointer_id());
                s.pointers.push((ev.pointer_id(), x, y));
                if s.pointers.len() > 1 {
                    s.dragged = true;
                }
            });
        }

        pub fn moved(&self, ev: &PointerEvent) {
            let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
            let mut state = self.state.get_value();
            let Some(i) = state.pointers.iter().position(|p| p.0 == ev.pointer_id()) else {
                return;
            };
            let before = state.pointers.clone();
            state.pointers[i] = (ev.pointer_id(), x, y);
            if let Some((sx, sy)) = state.start {
                if (x - sx).hypot(y - sy) > TAP_SLOP_PX {
                    state.dragged = true;
                }
            }
            let size = self.size.get_untracked();
            let current = self.current();
            let upp = (current.width / size.0.max(1.0)).max(current.height / size.1.max(1.0));
            let (ox, oy) = state.origin;
            let next = match (before.as_slice(), state.pointers.as_slice()) {
                ([(_, x0, y0)], [_]) if state.dragged => Some(current.pan((x0 - x) * upp, (y0 - y) * upp, &self.home)),
                ([a0, b0], [a1, b1]) => {
                    let d0 = (a0.1 - b0.1).hypot(a0.2 - b0.2);
                    let d1 = (a1.1 - b1.1).hypot(a1.2 - b1.2);
                    let (mx0, my0) = ((a0.1 + b0.1) / 2.0, (a0.2 + b0.2) / 2.0);
                    let (mx1, my1) = ((a1.1 + b1.1) / 2.0, (a1.2 + b1.2) / 2.0);
                    (d0 > 0.0).then(|| {
                        let panned = current.pan((mx0 - mx1) * upp, (my0 - my1) * upp, &self.home);
                        let (cx, cy) = px_to_units(&panned, size, mx1 - ox, my1 - oy);
                        panned.zoom_about(d1 / d0, cx, cy, &self.home)
                    })
                }
                _ => None,
            };
            if let Some(next) = next {
                self.live.set(Some(next));
            }
            self.state.set_value(state);
        }

        pub fn up(&self, ev: &PointerEvent) {
            let done = self.state.with_value(|s| s.pointers.iter().all(|p| p.0 == ev.pointer_id()));
            self.state.update_value(|s| s.pointers.retain(|p| p.0 != ev.pointer_id()));
            if done {
                self.commit();
            }
        }

        pub fn wheel(&self, ev: &WheelEvent) {
            ev.prevent_default();
            let factor = (-ev.delta_y() * 0.002).exp();
            let fresh = self.live.get_untracked().is_none();
            if fresh {
                let origin = self.measure_origin();
                self.state.update_value(|s| s.origin = origin);
            }
            let (ox, oy) = self.state.with_value(|s| s.origin);
            let size = self.size.get_untracked();
            let current = self.current();
            let (cx, cy) = px_to_units(&current, size, ev.client_x() as f64 - ox, ev.client_y() as f64 - oy);
            self.live.set(Some(current.zoom_about(factor, cx, cy, &self.home)));
            let mut turn = 0;
            self.state.update_value(|s| {
                s.wheel_turns += 1;
                turn = s.wheel_turns;
            });
            let this = *self;
            set_timeout(
                move || {
                    // Only the last turn of the wheel redraws, and only if no finger took over.
                    let (latest, touching) = this.state.with_value(|s| (s.wheel_turns, !s.pointers.is_empty()));
                    if latest == turn && !touching {
                        this.commit();
                    }
                },
                std::time::Duration::from_millis(WHEEL_SETTLE_MS),
            );
        }

        /// Whether the gesture that ends in this click moved the map (and so is not a tap).
        pub fn take_was_drag(&self) -> bool {
            let mut dragged = false;
            self.state.update_value(|s| {
                dragged = s.dragged;
                s.dragged = false;
            });
            dragged
        }
    }
}
