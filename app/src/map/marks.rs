//! What participants drew, on the map: points as group-shaped markers, routes as thick lines
//! and zones as tinted areas (each with its marker), the shape being drawn or moved with its
//! handles, and the problem tree's links (causes to problems, solutions to causes).

use leptos::prelude::*;
use uuid::Uuid;

use super::projection::Projection;
use crate::editor::Draft;
use crate::model::{Category, CategoryGroup, Drawing, Mark, CATEGORIES};

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

/// A group's marker outline in `color`, drawn for a 36 px marker (about 18 units from the
/// centre): circle, square, diamond, shield or hexagon, so groups differ without colour.
pub fn shape_markup(group: CategoryGroup, color: &str) -> String {
    let outline = match group {
        CategoryGroup::Crime => r#"circle r="17""#,
        CategoryGroup::Coexistence => r#"rect x="-15" y="-15" width="30" height="30" rx="4""#,
        CategoryGroup::RiskFactor => r#"path d="M0 -19L19 0L0 19L-19 0Z""#,
        CategoryGroup::Protective => r#"path d="M0 -18L15 -12V1C15 9 8 15 0 18C-8 15 -15 9 -15 1V-12Z""#,
        CategoryGroup::Actor => r#"path d="M-9 -16H9L18 0L9 16H-9L-18 0Z""#,
    };
    format!(r#"<{outline} fill="{}" class="mark-shape"/>"#, escape_markup(color))
}

/// The marker of a category's group, as the hotspot map and its legend draw it.
pub fn marker_shape(group: CategoryGroup, color: &'static str) -> AnyView {
    leptos::tachys::svg::InertElement::new(shape_markup(group, color)).into_any()
}

/// Everything of a point's marker that depends only on its category — the group's outline in
/// the category's colour, the category's icon and its name — as SVG markup. Cloning it is
/// one call into the browser where building it element by element was a dozen per mark, and
/// the icon is inlined rather than a `<use>` of the sprite: a thousand `<use>` shadow trees
/// made the first drawing of a busy barrio markedly slower. Only the taxonomy's own static
/// data goes in; never anything a person typed.
pub fn glyph_markup(category: Option<&Category>) -> String {
    let color = category.map(|c| c.color).unwrap_or("#555");
    let label = category.map(|c| c.label_es).unwrap_or("Marca");
    let group = category.map(|c| c.group).unwrap_or(CategoryGroup::Crime);
    // The sprite's 24-unit icon in a 22-unit box centred on the mark, as `<use>` placed it;
    // the icon's own group takes the placement (one element less in each of many marks).
    const PLACE: &str = r#"transform="translate(-11 -11) scale(0.9166667)""#;
    let icon = category
        .map(|c| match c.icon.strip_prefix("<g ") {
            Some(rest) => format!("<g {PLACE} {rest}"),
            None => format!("<g {PLACE}>{}</g>", c.icon),
        })
        .unwrap_or_default();
    format!(
        r#"<g class="mark-glyph">{}{icon}<text class="mark-label" y="32" text-anchor="middle">{}</text></g>"#,
        shape_markup(group, color),
        escape_markup(label)
    )
}

/// [`glyph_markup`] for the category `code`, made once per category for the life of the page.
fn glyph(code: &str) -> &'static str {
    static GLYPHS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    // One per category, in the taxonomy's order, then the one of an unknown category.
    let glyphs = GLYPHS.get_or_init(|| CATEGORIES.iter().map(Some).chain([None]).map(glyph_markup).collect());
    let i = CATEGORIES.iter().position(|c| c.code == code).unwrap_or(CATEGORIES.len());
    &glyphs[i]
}

fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What the map needs to draw one mark: a few numbers and strings rather than the mark, so
/// the list the map keeps is cheap to compare and to copy when one mark changes.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkRow {
    pub id: Uuid,
    pub version: u32,
    pub category: String,
    /// Where its marker sits, in SVG units.
    pub at: (f64, f64),
    pub shape: RowShape,
    /// How many "+1" marks joined this one ("Yo también lo he visto").
    pub joined: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RowShape {
    Point,
    /// A route, as the SVG path through its vertices.
    Line(String),
    /// A zone, as the SVG path of its rings.
    Zone(String),
}

impl MarkRow {
    pub fn new(mark: &Mark, joined: usize, projection: &Projection) -> MarkRow {
        let (lon, lat) = mark.anchor().unwrap_or_default();
        let shape = match &mark.geometry.value {
            geojson::Value::LineString(l) => RowShape::Line(line_path(projection, &positions(l), false)),
            geojson::Value::Polygon(_) => RowShape::Zone(projection.path(&mark.geometry)),
            _ => RowShape::Point,
        };
        MarkRow { id: mark.id, version: mark.version, category: mark.category.clone(), at: projection.to_svg(lon, lat), shape, joined }
    }

    /// The rows of the marks the map draws: live ones, a "+1" folded into the mark it joins.
    pub fn all(marks: &[Mark], projection: &Projection) -> Vec<MarkRow> {
        crate::model::mark::fold_confirmations(marks).into_iter().map(|(m, joined)| MarkRow::new(m, joined, projection)).collect()
    }
}

/// One mark on the map. Nothing in it is reactive: the marker keeps its size on screen through
/// the `--mark-scale` and `--upp` of the layer it is drawn in (map/mod.rs), and the map
/// marks the selected ones itself, so a barrio with a thousand marks builds no thousand
/// effects, and a zoom or a tap reruns none of them.
pub fn mark_view(row: MarkRow, selected: bool) -> AnyView {
    let MarkRow { id, version, category, at: (x, y), shape, joined } = row;
    let color = Category::by_code(&category).map(|c| c.color).unwrap_or("#555");
    let glyph = leptos::tachys::svg::InertElement::new(glyph(&category));
    let transform = format!("translate({x:.1} {y:.1})");
    let marker = if joined > 0 {
        let title = format!(
            "{} también lo {} visto",
            crate::model::words::count_es(joined, "persona más", "personas más"),
            crate::model::words::plural_es(joined, "ha", "han")
        );
        view! {
            <g class="mark-marker" transform=transform>
                {glyph}
                <g class="joined" data-joined=joined.to_string()>
                    <title>{title}</title>
                    <rect x="8" y="-24" width="26" height="18" rx="9"/>
                    <text x="21" y="-11" text-anchor="middle">{format!("+{joined}")}</text>
                </g>
            </g>
        }
        .into_any()
    } else {
        view! { <g class="mark-marker" transform=transform>{glyph}</g> }.into_any()
    };
    let class = if selected { "mark selected" } else { "mark" };
    let (id, version) = (id.to_string(), version.to_string());
    // Routes and zones: the line stays 6 px wide on screen (CSS); zones are tinted, not covered.
    match shape {
        RowShape::Point => view! {
            <g class=class data-category=category data-mark-id=id data-shape="point" data-version=version>{marker}</g>
        }
        .into_any(),
        RowShape::Line(d) => view! {
            <g class=class data-category=category data-mark-id=id data-shape="line" data-version=version>
                <path class="route-casing" d=d.clone()/>
                <path class="route" d=d stroke=color/>
                {marker}
            </g>
        }
        .into_any(),
        RowShape::Zone(d) => view! {
            <g class=class data-category=category data-mark-id=id data-shape="zone" data-version=version>
                <path class="zone" d=d fill=color stroke=color fill-rule="evenodd"/>
                {marker}
            </g>
        }
        .into_any(),
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
    fn a_glyph_is_its_groups_shape_in_its_colour_with_its_icon_and_name() {
        let robbery = Category::by_code("hurto_personas").unwrap();
        let g = glyph_markup(Some(robbery));
        assert!(g.starts_with(r##"<g class="mark-glyph"><circle r="17" fill="#c62828" class="mark-shape"/>"##), "{g}");
        let placed = r##"<g transform="translate(-11 -11) scale(0.9166667)" fill="none" stroke="#fff""##;
        assert!(g.contains(placed), "the icon is inlined, in the box a <use> gave it: {g}");
        assert!(g.contains(robbery.icon.trim_start_matches("<g ")));
        assert!(!g.contains("<use"));
        assert!(g.ends_with(r#"<text class="mark-label" y="32" text-anchor="middle">Hurto a personas</text></g>"#), "{g}");
        // Every category's glyph is one element, and the cache hands out the same markup.
        for c in CATEGORIES {
            assert_eq!(glyph(c.code), glyph_markup(Some(c)));
            assert!(glyph(c.code).contains(c.label_es));
        }
    }

    #[test]
    fn an_unknown_category_gets_a_grey_circle_named_marca_and_no_icon() {
        let g = glyph("<script>alert(1)</script>");
        assert_eq!(
            g,
            r##"<g class="mark-glyph"><circle r="17" fill="#555" class="mark-shape"/><text class="mark-label" y="32" text-anchor="middle">Marca</text></g>"##
        );
        assert_eq!(escape_markup(r#"a<b>&"c""#), "a&lt;b&gt;&amp;&quot;c&quot;");
    }

    #[test]
    fn rows_carry_what_the_map_draws_and_fold_a_plus_one() {
        let projection = Projection::centred_on([-74.21, 11.2, -74.2, 11.21]);
        let point = Mark::new_point(Uuid::from_u128(1), 1, "rinas", -74.205, 11.205, 1_764_000_000_000);
        let plus_one = Mark::confirming(&point, Uuid::from_u128(2), 1_764_000_000_001);
        let route = Mark {
            geometry: geojson::Geometry::new(geojson::Value::LineString(vec![
                vec![-74.209, 11.201],
                vec![-74.208, 11.202],
                vec![-74.207, 11.203],
            ])),
            ..Mark::new_point(Uuid::from_u128(3), 1, "hurto_personas", 0.0, 0.0, 1_764_000_000_002)
        };
        let gone = Mark { deleted: true, ..Mark::new_point(Uuid::from_u128(4), 1, "rinas", -74.2, 11.2, 1_764_000_000_003) };
        let rows = MarkRow::all(&[point.clone(), plus_one, route.clone(), gone], &projection);
        assert_eq!(rows.len(), 2, "the +1 is folded and the deleted mark is not drawn");
        assert_eq!((rows[0].id, rows[0].joined, rows[0].shape.clone()), (point.id, 1, RowShape::Point));
        assert_eq!(rows[0].at, projection.to_svg(-74.205, 11.205));
        assert_eq!(rows[1].at, projection.to_svg(-74.208, 11.202), "a route's marker sits on its middle vertex");
        assert!(matches!(&rows[1].shape, RowShape::Line(d) if d.starts_with('M') && d.matches('L').count() == 2));
    }

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
