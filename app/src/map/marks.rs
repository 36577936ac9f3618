//! What participants drew, on the map: points as group-shaped markers, routes as thick lines
//! and zones as tinted areas (each with its marker), the shape being drawn or moved with its
//! handles, and the problem tree's links (causes to problems, solutions to causes).

use leptos::prelude::*;
use uuid::Uuid;

use super::projection::Projection;
use crate::editor::Draft;
use crate::model::{Category, CategoryGroup, Drawing, Mark};

/// Marker size on screen, in CSS pixels, whatever the zoom: big enough to see and tap.
pub const MARKER_PX: f64 = 36.0;

fn line_path(projection: &Projection, positions: &[(f64, f64)], close: bool) -> String {
    let mut d = String::new();
    for (i, (lon, lat)) in positions.iter().enumerate() {
        let (x, y) = projection.to_svg(*lon, *lat);
        d.push_str(&format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" }));
    }
    if close && positions.len() > 2 {
        d.push('Z');
    }
    d
}

fn positions(ps: &[Vec<f64>]) -> Vec<(f64, f64)> {
    ps.iter().filter(|p| p.len() >= 2).map(|p| (p[0], p[1])).collect()
}

/// The marker of a category's group, drawn for a 36 px marker (about 18 units from the
/// centre): circle, square, diamond, shield or hexagon, so groups differ without colour.
pub fn marker_shape(group: CategoryGroup, color: &'static str) -> AnyView {
    match group {
        CategoryGroup::Crime => view! { <circle r="17" fill=color class="mark-shape"/> }.into_any(),
        CategoryGroup::Coexistence => {
            view! { <rect x="-15" y="-15" width="30" height="30" rx="4" fill=color class="mark-shape"/> }.into_any()
        }
        CategoryGroup::RiskFactor => view! { <path d="M0 -19L19 0L0 19L-19 0Z" fill=color class="mark-shape"/> }.into_any(),
        CategoryGroup::Protective => {
            view! { <path d="M0 -18L15 -12V1C15 9 8 15 0 18C-8 15 -15 9 -15 1V-12Z" fill=color class="mark-shape"/> }.into_any()
        }
        CategoryGroup::Actor => view! { <path d="M-9 -16H9L18 0L9 16H-9L-18 0Z" fill=color class="mark-shape"/> }.into_any(),
    }
}

#[component]
pub fn MarkGlyph(
    mark: Mark,
    projection: Projection,
    units_per_px: Signal<f64>,
    #[prop(into)] selected: Signal<bool>,
    /// How many "+1" marks joined this one ("Yo también lo he visto").
    #[prop(optional)]
    joined: usize,
) -> impl IntoView {
    let category = Category::by_code(&mark.category);
    let (lon, lat) = mark.anchor().unwrap_or_default();
    let (x, y) = projection.to_svg(lon, lat);
    let color = category.map(|c| c.color).unwrap_or("#555");
    let label = category.map(|c| c.label_es).unwrap_or("Marca");
    let group = category.map(|c| c.group).unwrap_or(CategoryGroup::Crime);
    let href = format!("#icon-{}", mark.category);
    // The drawing is made for a 36 px marker (18 units from the centre), then scaled.
    let transform = move || format!("translate({x:.1} {y:.1}) scale({:.4})", units_per_px.get() * MARKER_PX / 36.0);
    let shape = marker_shape(group, color);
    // Routes and zones: the line stays 6 px wide on screen; zones are tinted, not covered.
    let (body, kind) = match &mark.geometry.value {
        geojson::Value::LineString(l) => {
            let d = line_path(&projection, &positions(l), false);
            let d2 = d.clone();
            (
                Some(
                    view! {
                        <path class="route-casing" d=d stroke-width=move || format!("{:.2}", units_per_px.get() * 10.0)/>
                        <path class="route" d=d2 stroke=color stroke-width=move || format!("{:.2}", units_per_px.get() * 6.0)/>
                    }
                    .into_any(),
                ),
                "line",
            )
        }
        geojson::Value::Polygon(_) => {
            let d = projection.path(&mark.geometry);
            (
                Some(view! {
                    <path class="zone" d=d fill=color stroke=color fill-rule="evenodd" stroke-width=move || format!("{:.2}", units_per_px.get() * 3.0)/>
                }.into_any()),
                "zone",
            )
        }
        _ => (None, "point"),
    };
    view! {
        <g class="mark" class:selected=move || selected.get() data-category=mark.category.clone() data-mark-id=mark.id.to_string() data-shape=kind data-version=mark.version.to_string()>
            {body}
            <g class="mark-marker" transform=transform>
                {shape}
                <use_ href=href x="-11" y="-11" width="22" height="22"/>
                <text class="mark-label" y="32" text-anchor="middle">{label}</text>
                {(joined > 0).then(|| view! {
                    <g class="joined" data-joined=joined.to_string()>
                        <title>{format!("{} también lo {} visto", crate::model::words::count_es(joined, "persona más", "personas más"), crate::model::words::plural_es(joined, "ha", "han"))}</title>
                        <rect x="8" y="-24" width="26" height="18" rx="9"/>
                        <text x="21" y="-11" text-anchor="middle">{format!("+{joined}")}</text>
                    </g>
                })}
            </g>
        </g>
    }
}

/// The shape being drawn (dots and a dashed line) or moved (draggable handles).
#[component]
pub fn DraftLayer(
    draft: RwSignal<Option<Draft>>,
    zone: Signal<bool>,
    projection: Projection,
    units_per_px: Signal<f64>,
    svg: NodeRef<leptos::svg::Svg>,
) -> impl IntoView {
    let d = move || {
        draft.with(|dr| dr.as_ref().map(|dr| line_path(&projection, &dr.vertices, zone.get() && dr.vertices.len() > 2)).unwrap_or_default())
    };
    let dragging = StoredValue::new(None::<usize>);
    let handles = move || {
        draft.with(|dr| {
            dr.as_ref()
                .map(|dr| {
                    dr.vertices
                        .iter()
                        .enumerate()
                        .map(|(i, (lon, lat))| (i, projection.to_svg(*lon, *lat), dr.editing.is_some()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <g class="draft" data-testid="draft">
            <path class="draft-line" d=d stroke-width=move || format!("{:.2}", units_per_px.get() * 4.0)
                stroke-dasharray=move || { let u = units_per_px.get(); format!("{:.2} {:.2}", u * 10.0, u * 6.0) }/>
            {move || handles().into_iter().map(|(i, (x, y), movable)| {
                view! {
                    <circle class="draft-vertex" class:handle=movable cx=x cy=y data-vertex=i.to_string()
                        r=move || units_per_px.get() * if movable { 14.0 } else { 7.0 }
                        on:click=move |ev| ev.stop_propagation()
                        on:pointerdown=move |ev| {
                            if !movable { return; }
                            ev.stop_propagation();
                            dragging.set_value(Some(i));
                            #[cfg(feature = "hydrate")]
                            {
                                use wasm_bindgen::JsCast;
                                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                                    let _ = el.set_pointer_capture(ev.pointer_id());
                                }
                            }
                        }
                        on:pointermove=move |ev| {
                            let Some(i) = dragging.get_value() else { return };
                            ev.stop_propagation();
                            #[cfg(feature = "hydrate")]
                            if let Some(s) = svg.get_untracked() {
                                if let Some((x, y)) = crate::client::dom::client_to_svg(&s, ev.client_x(), ev.client_y()) {
                                    let p = projection.to_lon_lat(x, y);
                                    draft.update(|d| if let Some(d) = d { if let Some(v) = d.vertices.get_mut(i) { *v = p; } });
                                }
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = (i, svg);
                        }
                        on:pointerup=move |ev| { if dragging.get_value().is_some() { ev.stop_propagation(); dragging.set_value(None); } }
                    />
                }
            }).collect_view()}
        </g>
    }
}

/// A cause or solution drawn as a tag above what it is tied to, with dashed links.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeNode {
    pub id: Uuid,
    pub solution: bool,
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub targets: Vec<(f64, f64)>,
}

/// Places the causes (above the problems they explain) and solutions (above their causes).
pub fn tree_nodes(drawing: &Drawing, projection: &Projection, only: Option<Uuid>, with_solutions: bool) -> Vec<TreeNode> {
    let mut nodes = Vec::new();
    for c in drawing.causes.iter().filter(|c| !c.deleted && only.is_none_or(|o| o == c.id)) {
        let targets: Vec<(f64, f64)> = c
            .problem_ids
            .iter()
            .filter_map(|p| drawing.mark(p))
            .filter(|m| !m.deleted)
            .filter_map(|m| m.anchor())
            .map(|(lon, lat)| projection.to_svg(lon, lat))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let n = targets.len() as f64;
        let (x, y) = (targets.iter().map(|t| t.0).sum::<f64>() / n, targets.iter().map(|t| t.1).sum::<f64>() / n);
        nodes.push(TreeNode { id: c.id, solution: false, label: c.label_es().to_string(), x, y, targets });
    }
    if with_solutions {
        let causes = nodes.clone();
        for s in drawing.solutions.iter().filter(|s| !s.deleted) {
            let targets: Vec<(f64, f64)> =
                s.cause_ids.iter().filter_map(|c| causes.iter().find(|n| n.id == *c)).map(|n| (n.x, n.y)).collect();
            if targets.is_empty() {
                continue;
            }
            let n = targets.len() as f64;
            let (x, y) = (targets.iter().map(|t| t.0).sum::<f64>() / n, targets.iter().map(|t| t.1).sum::<f64>() / n);
            nodes.push(TreeNode { id: s.id, solution: true, label: s.institution_es().to_string(), x, y, targets });
        }
    }
    nodes
}

/// Tree nodes are lifted this far above their anchor (screen pixels): causes one step,
/// solutions two, so the tree reads upwards like the drawing on the workshop's paper.
const LIFT_PX: f64 = 58.0;

#[component]
pub fn TreeLinks(#[prop(into)] nodes: Signal<Vec<TreeNode>>, units_per_px: Signal<f64>) -> impl IntoView {
    view! {
        <g class="tree-links" data-testid="tree-links">
            {move || {
                let u = units_per_px.get();
                nodes.get().into_iter().map(|n| {
                    let lift = LIFT_PX * u * if n.solution { 2.0 } else { 1.0 };
                    let (nx, ny) = (n.x, n.y - lift);
                    let d: String = n.targets.iter().map(|(tx, ty)| {
                        let ty = if n.solution { ty - LIFT_PX * u } else { *ty };
                        format!("M{nx:.1} {ny:.1}L{tx:.1} {ty:.1}")
                    }).collect();
                    let scale = u;
                    view! {
                        <g class="tree-node" class:solution=n.solution data-node-id=n.id.to_string()>
                            <path class="tree-link" d=d stroke-width=format!("{:.2}", u * 2.5) stroke-dasharray=format!("{:.2} {:.2}", u * 6.0, u * 4.0)/>
                            <g transform=format!("translate({nx:.1} {ny:.1}) scale({scale:.4})")>
                                <rect class="tree-tag" x="-70" y="-14" width="140" height="28" rx="14"/>
                                <text class="tree-tag-text" y="5" text-anchor="middle">{truncate(&n.label, 20)}</text>
                            </g>
                        </g>
                    }
                }).collect_view()
            }}
        </g>
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cause;

    #[test]
    fn a_cause_sits_between_its_problems_and_skips_deleted_ones() {
        let projection = Projection::centred_on([-74.21, 11.2, -74.2, 11.21]);
        let a = Mark::new_point(Uuid::from_u128(1), 1, "hurto_personas", -74.209, 11.205, 1_764_000_000_000);
        let b = Mark::new_point(Uuid::from_u128(2), 1, "rinas", -74.201, 11.205, 1_764_000_000_000);
        let gone = Mark { deleted: true, ..Mark::new_point(Uuid::from_u128(3), 1, "rinas", -74.2, 11.2, 1_764_000_000_000) };
        let cause = Cause {
            workshop_id: None,
            hlc: None,
            id: Uuid::from_u128(9),
            barrio_id: 1,
            category: "falta_iluminacion".into(),
            text: String::new(),
            problem_ids: vec![a.id, b.id, gone.id],
            alias: String::new(),
            created_at_ms: 1_764_000_000_000,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
        };
        let drawing = Drawing { marks: vec![a, b, gone], causes: vec![cause], solutions: vec![] };
        let nodes = tree_nodes(&drawing, &projection, None, true);
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].targets.len(), 2);
        let (xa, _) = projection.to_svg(-74.209, 11.205);
        let (xb, _) = projection.to_svg(-74.201, 11.205);
        assert!((nodes[0].x - (xa + xb) / 2.0).abs() < 1e-6);
        assert!(tree_nodes(&drawing, &projection, Some(Uuid::from_u128(8)), false).is_empty());
    }
}
