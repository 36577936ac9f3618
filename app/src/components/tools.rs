//! The drawing tools: point, route or zone, undo and redo, and the bar that finishes a route
//! or zone drawn point by point (or saves a shape being moved).

use leptos::prelude::*;

use crate::editor::{new_id, now_ms, Draft, Editor, Tool};
use crate::model::{geometry, Bilingual, Category, Mark, Record};

fn tool_icon(tool: Tool) -> impl IntoView {
    let d = match tool {
        Tool::Point => "M12 21s-6-5.5-6-10a6 6 0 0 1 12 0c0 4.5-6 10-6 10zM12 9.5v.01",
        Tool::Line => "M4 19c4-1 3-7 8-8s4-6 8-7M4 19v.01M20 4v.01",
        Tool::Zone => "M5 7l7-4 7 5-2 10-10 2z",
    };
    view! { <svg viewBox="0 0 24 24" class="tool-icon" aria-hidden="true"><path d=d/></svg> }
}

#[component]
pub fn ToolRow(editor: Editor) -> impl IntoView {
    view! {
        <div class="tool-row">
            <div class="tools" role="radiogroup" aria-label="Herramienta de dibujo">
                {Tool::ALL.into_iter().map(|tool| {
                    let on = move || editor.tool.get() == tool;
                    view! {
                        <button type="button" class="tool" class:selected=on role="radio" aria-checked=move || on().to_string()
                            data-tool=tool.code()
                            on:click=move |_| {
                                editor.tool.set(tool);
                                // A half-drawn shape belongs to the tool it was started with.
                                if editor.draft.with_untracked(|d| d.as_ref().is_some_and(|d| d.editing.is_none())) {
                                    editor.draft.set(None);
                                }
                            }>
                            {tool_icon(tool)}
                            <span>{tool.label_es()}</span>
                        </button>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

/// Undo and redo, over the map's lower corner: in reach of the thumb on a phone, and where
/// the change they undo can be seen.
#[component]
pub fn HistoryButtons(editor: Editor) -> impl IntoView {
    view! {
        <div class="history-buttons" role="group" aria-label="Deshacer y rehacer">
            <button type="button" class="tool map-pill" data-testid="undo" disabled=move || !editor.can_undo.get() on:click=move |_| editor.undo()>
                <svg viewBox="0 0 24 24" class="tool-icon" aria-hidden="true"><path d="M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3"/></svg>
                <span>"Deshacer"</span>
            </button>
            <button type="button" class="tool map-pill" data-testid="redo" disabled=move || !editor.can_redo.get() on:click=move |_| editor.redo()>
                <svg viewBox="0 0 24 24" class="tool-icon" aria-hidden="true"><path d="M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3"/></svg>
                <span>"Rehacer"</span>
            </button>
        </div>
    }
}

/// The geometry a draft makes with `tool`, checked as the server will check it.
pub fn draft_geometry(tool: Tool, vertices: &[(f64, f64)]) -> Result<geojson::Geometry, String> {
    let positions: Vec<Vec<f64>> = vertices.iter().map(|(x, y)| vec![*x, *y]).collect();
    let value = match tool {
        Tool::Point => match positions.first() {
            Some(p) => geojson::Value::Point(p.clone()),
            None => return Err("Toque el mapa para ubicar el punto.".into()),
        },
        Tool::Line if positions.len() < 2 => return Err("Una ruta necesita al menos 2 puntos.".into()),
        Tool::Line => geojson::Value::LineString(positions),
        Tool::Zone if positions.len() < 3 => return Err("Una zona necesita al menos 3 puntos.".into()),
        Tool::Zone => {
            let mut ring = positions;
            ring.push(ring[0].clone());
            geojson::Value::Polygon(vec![ring])
        }
    };
    let g = geojson::Geometry::new(value);
    geometry::validate(&g).map_err(|e| e.es())?;
    Ok(g)
}

/// The vertices a mark's shape is edited by (a zone's closing position left out).
pub fn vertices_of(mark: &Mark) -> (Tool, Vec<(f64, f64)>) {
    let pairs = |ps: &[Vec<f64>]| ps.iter().filter(|p| p.len() >= 2).map(|p| (p[0], p[1])).collect::<Vec<_>>();
    match &mark.geometry.value {
        geojson::Value::LineString(l) => (Tool::Line, pairs(l)),
        geojson::Value::Polygon(rings) => {
            let mut v = rings.first().map(|r| pairs(r)).unwrap_or_default();
            v.pop();
            (Tool::Zone, v)
        }
        _ => (Tool::Point, mark.point().map(|p| vec![p]).unwrap_or_default()),
    }
}

/// Finishes a new route or zone, or saves a moved shape.
fn finish(editor: Editor, alias: String) {
    let Some(draft) = editor.draft.get_untracked() else {
        return;
    };
    if let Some(id) = draft.editing {
        let Some(mark) = editor.drawing.with_untracked(|d| d.mark(&id).cloned()) else {
            return;
        };
        let (tool, _) = vertices_of(&mark);
        match draft_geometry(tool, &draft.vertices) {
            Ok(g) => {
                let mut next = mark.next_version(now_ms());
                next.geometry = g;
                editor.draft.set(None);
                editor.commit(vec![Record::Mark(next)], "Forma guardada.".into());
            }
            Err(why) => editor.message.set(Some((false, why))),
        }
        return;
    }
    let Some(code) = editor.category.get_untracked() else {
        editor.message.set(Some((false, "Primero elija una categoría.".into())));
        return;
    };
    let tool = editor.tool.get_untracked();
    match draft_geometry(tool, &draft.vertices) {
        Ok(g) => {
            let mark = Mark::new_shape(new_id(), editor.barrio_id, code, g, now_ms()).by(&alias);
            let label = Category::by_code(code).map(|c| c.label_es).unwrap_or("Marca");
            let what = if tool == Tool::Line { "Ruta" } else { "Zona" };
            editor.draft.set(None);
            editor.commit_new(mark, format!("{what} «{label}» guardada en este dispositivo."));
        }
        Err(why) => editor.message.set(Some((false, why))),
    }
}

#[component]
pub fn DraftBar(editor: Editor, #[prop(into)] alias: Signal<String>) -> impl IntoView {
    let count = move || editor.draft.with(|d| d.as_ref().map(|d| d.vertices.len()).unwrap_or(0));
    let editing = move || editor.draft.with(|d| d.as_ref().is_some_and(|d| d.editing.is_some()));
    view! {
        <Show when=move || editor.draft.with(Option::is_some)>
            // What the drawing needs now is said in the hint over the map; the bar keeps the
            // three buttons, each a full thumb wide, and the count of points on "Terminar".
            <div class="draft-bar" data-testid="draft-bar" role="toolbar" aria-label="Dibujo en curso">
                <Show when=move || !editing()>
                    <button type="button" class="button" data-testid="draft-back" disabled=move || count() == 0
                        on:click=move |_| editor.draft.update(|d| { if let Some(d) = d { d.vertices.pop(); } })>
                        "Quitar último"
                    </button>
                </Show>
                <button type="button" class="button" data-testid="draft-cancel" on:click=move |_| editor.draft.set(None)>"Cancelar"</button>
                <button type="button" class="button primary draft-finish" data-testid="draft-finish" on:click=move |_| finish(editor, alias.get_untracked())>
                    <span>{move || if editing() { "Guardar forma" } else { "Terminar" }}</span>
                    <span class="draft-count" data-testid="draft-count" data-vertices=move || count().to_string()
                        aria-label=move || crate::model::words::count_es(count(), "punto", "puntos")>
                        {move || count().to_string()}
                    </span>
                </button>
            </div>
        </Show>
    }
}

/// Starts moving a mark: its vertices become handles on the map.
pub fn start_reshape(editor: Editor, mark: &Mark) {
    let (_, vertices) = vertices_of(mark);
    editor.selected.set(None);
    editor.draft.set(Some(Draft { vertices, editing: Some(mark.id) }));
}
