//! The list view: everything drawn for the barrio on this device, filterable by category with
//! counts; tapping a mark goes back to the map centred on it with its sheet open.

use leptos::prelude::*;

use super::icons::CategoryIcon;
use crate::editor::Editor;
use crate::model::{Category, CATEGORIES};

#[component]
pub fn ItemList(editor: Editor, show_map: Callback<()>) -> impl IntoView {
    let filter = RwSignal::new(None::<&'static str>);
    let counts = move || {
        editor.drawing.with(|d| {
            CATEGORIES
                .iter()
                .map(|c| (c, d.marks.iter().filter(|m| !m.deleted && m.category == c.code).count()))
                .filter(|(_, n)| *n > 0)
                .collect::<Vec<_>>()
        })
    };
    let marks = move || {
        let f = filter.get();
        editor.drawing.with(|d| d.marks.iter().filter(|m| !m.deleted && f.is_none_or(|c| m.category == c)).cloned().collect::<Vec<_>>())
    };
    let totals = move || {
        editor.drawing.with(|d| {
            (
                d.marks.iter().filter(|m| !m.deleted).count(),
                d.causes.iter().filter(|c| !c.deleted).count(),
                d.solutions.iter().filter(|s| !s.deleted).count(),
            )
        })
    };
    view! {
        <section class="item-list" data-testid="item-list" aria-label="Lista de lo dibujado">
            <p class="list-totals" data-testid="list-totals">
                {move || {
                    let (m, c, s) = totals();
                    use crate::model::words::count_es;
                    format!("{} · {} · {}", count_es(m, "marca", "marcas"), count_es(c, "causa", "causas"), count_es(s, "solución", "soluciones"))
                }}
            </p>
            <div class="filter-chips" role="group" aria-label="Filtrar por categoría" data-testid="list-filters">
                <button type="button" class="chip-choice" class:on=move || filter.get().is_none() on:click=move |_| filter.set(None)>
                    {move || format!("Todas ({})", totals().0)}
                </button>
                {move || counts().into_iter().map(|(c, n)| {
                    let code = c.code;
                    let on = move || filter.get() == Some(code);
                    view! {
                        <button type="button" class="chip-choice" class:on=on data-choice=code aria-pressed=move || on().to_string()
                            on:click=move |_| filter.update(|f| *f = if *f == Some(code) { None } else { Some(code) })>
                            {format!("{} ({n})", c.label_es)}
                        </button>
                    }
                }).collect_view()}
            </div>
            <ul class="items">
                {move || marks().into_iter().map(|m| {
                    let category = Category::by_code(&m.category);
                    let label = category.map(|c| c.label_es).unwrap_or("Marca");
                    let id = m.id;
                    let anchor = m.anchor();
                    let shape = match m.geometry.value { geojson::Value::LineString(_) => "Ruta", geojson::Value::Polygon(_) => "Zona", _ => "Punto" };
                    let causes = editor.drawing.with_untracked(|d| d.causes_of(&id).len());
                    let summary = editor.where_when_who(&m);
                    view! {
                        <li>
                            <button type="button" class="item" data-mark-id=id.to_string() on:click=move |_| {
                                editor.focus.set(anchor);
                                editor.selected.set(Some(id));
                                show_map.run(());
                            }>
                                <CategoryIcon code=category.map(|c| c.code).unwrap_or("") color=category.map(|c| c.color).unwrap_or("#555")/>
                                <span class="item-text">
                                    <strong>{label}</strong>
                                    <small>
                                        {shape}
                                        {(!summary.is_empty()).then(|| format!(" · {summary}"))}
                                        {(causes > 0).then(|| format!(" · {causes} causa(s)"))}
                                    </small>
                                    {(!m.description.is_empty()).then(|| view! { <span class="item-desc">{m.description.clone()}</span> })}
                                </span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || (totals().0 == 0).then(|| view! { <p class="muted">"Todavía no hay nada dibujado en este barrio."</p> })}
            <h2 class="list-heading">"Árbol de problemas"</h2>
            <ul class="tree-list" data-testid="list-tree">
                {move || editor.drawing.with(|d| {
                    d.causes.iter().filter(|c| !c.deleted).map(|c| {
                        let problems = c.problem_ids.iter().filter_map(|p| d.mark(p)).filter(|m| !m.deleted)
                            .map(|m| Category::by_code(&m.category).map(|x| x.label_es).unwrap_or("Problema")).collect::<Vec<_>>().join(", ");
                        let solutions = d.solutions_of(&c.id).into_iter().map(|s| (s.text.clone(), s.institution_es())).collect::<Vec<_>>();
                        view! {
                            <li class="tree-card" data-cause-id=c.id.to_string()>
                                <div class="tree-card-main">
                                    <strong>{c.label_es()}</strong>
                                    {(!c.text.is_empty()).then(|| view! { <span>{c.text.clone()}</span> })}
                                    <small>"Explica: " {problems}</small>
                                    <ul class="tree-mini">
                                        {solutions.into_iter().map(|(t, i)| view! { <li>{t}" — "<em>{i}</em></li> }).collect_view()}
                                    </ul>
                                </div>
                            </li>
                        }
                    }).collect_view()
                })}
            </ul>
        </section>
    }
}
