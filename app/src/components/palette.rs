//! The category picker: big labelled cards with the group's marker shape, the stage's groups
//! first under their headings, every other group after "Otras categorías" so nothing a
//! participant mentions is ever out of reach. Group tabs jump along the list. On a phone it is
//! a sheet over the map, opened by the category button at the bottom and put away by a choice.

use leptos::prelude::*;

use super::icons::CategoryIcon;
use crate::model::{Category, CategoryGroup, Stage, CATEGORIES};

#[component]
pub fn CategoryPalette(
    selected: RwSignal<Option<&'static str>>,
    #[prop(into)] stage: Signal<Stage>,
    /// Whether the sheet is up (on a phone; beside the map it always shows).
    open: RwSignal<bool>,
) -> impl IntoView {
    let order = move || {
        let first = stage.get().groups();
        let rest: Vec<CategoryGroup> = CategoryGroup::ALL.into_iter().filter(|g| !first.contains(g)).collect();
        (first.to_vec(), rest)
    };
    let group_view = move |group: CategoryGroup| {
        view! {
            <div class="palette-group" role="group" aria-label=group.label_es() id=format!("grupo-{}", group_code(group)) data-group=group_code(group)>
                <span class="palette-group-label">
                    <svg viewBox="-20 -20 40 40" class="group-shape" aria-hidden="true">{group_shape(group)}</svg>
                    {group.label_es()}
                </span>
                <div class="palette-cards">
                    {CATEGORIES
                        .iter()
                        .filter(move |c| c.group == group)
                        .map(|c| {
                            let code = c.code;
                            let pressed = move || selected.get() == Some(code);
                            view! {
                                <button
                                    type="button"
                                    class="cat"
                                    class:selected=pressed
                                    class:sensitive=c.sensitive
                                    aria-pressed=move || pressed().to_string()
                                    data-category=code
                                    title=tooltip_es(c)
                                    on:click=move |_| {
                                        selected.update(|s| *s = if *s == Some(code) { None } else { Some(code) });
                                        // A choice puts the sheet away: the map is for drawing.
                                        if selected.get_untracked().is_some() {
                                            open.set(false);
                                        }
                                    }
                                >
                                    <CategoryIcon code=c.code color=c.color/>
                                    <span class="cat-label">
                                        {c.label_es}
                                        {c.sensitive.then(|| view! {
                                            <svg class="cat-lock" viewBox="0 0 24 24" role="img" aria-label="delicada">
                                                <title>"Delicada: no se publica en su lugar exacto"</title>
                                                <rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>
                                            </svg>
                                        })}
                                    </span>
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
        }
    };
    view! {
        <nav class="palette" class:open=move || open.get() id="palette" aria-label="Categorías" data-testid="palette">
            <div class="palette-head">
                <h2>"Categorías"</h2>
                <button type="button" class="button ghost close" data-testid="palette-close" on:click=move |_| open.set(false)>
                    <svg viewBox="0 0 24 24" aria-hidden="true" class="icon"><path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>
                    <span>"Ver el mapa"</span>
                </button>
            </div>
            {move || {
                let (first, rest) = order();
                view! {
                    <div class="palette-tabs" role="tablist" aria-label="Grupos de categorías">
                        {first.iter().chain(rest.iter()).map(|g| {
                            let g = *g;
                            view! {
                                <a class="palette-tab" role="tab" href=format!("#grupo-{}", group_code(g)) data-group=group_code(g)
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        #[cfg(feature = "hydrate")]
                                        crate::client::dom::scroll_into_view(&format!("grupo-{}", group_code(g)));
                                    }>
                                    <svg viewBox="-20 -20 40 40" class="group-shape" aria-hidden="true">{group_shape(g)}</svg>
                                    {g.label_es()}
                                </a>
                            }
                        }).collect_view()}
                    </div>
                    <div class="palette-strip">
                        {first.into_iter().map(group_view).collect_view()}
                        {(!rest.is_empty()).then(|| view! { <span class="palette-more" aria-hidden="true">"Otras categorías"</span> })}
                        {rest.into_iter().map(group_view).collect_view()}
                    </div>
                }
            }}
        </nav>
    }
}

/// The button at the bottom of a phone's map that opens the categories: it shows the one in
/// hand, so the person always knows what a tap on the map will mark.
#[component]
pub fn CategoryButton(selected: RwSignal<Option<&'static str>>, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button type="button" class="category-button" class:empty=move || selected.get().is_none() data-testid="choose-category"
            aria-controls="palette" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
            {move || match selected.get().and_then(Category::by_code) {
                Some(c) => view! {
                    <CategoryIcon code=c.code color=c.color/>
                    <span class="category-button-text">
                        <small>"Marcando"</small>
                        <strong>{c.label_es}</strong>
                    </span>
                }.into_any(),
                None => view! {
                    <svg viewBox="0 0 24 24" class="tool-icon" aria-hidden="true"><path d="M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z"/></svg>
                    <span class="category-button-text"><strong>"Elegir categoría"</strong></span>
                }.into_any(),
            }}
            <svg viewBox="0 0 24 24" class="tool-icon chevron-up" aria-hidden="true"><path d="M6 15l6-6 6 6"/></svg>
        </button>
    }
}

/// The card's tooltip, in the UI's language: the category, its group, and for a sensitive one
/// that it is never published where it was marked.
fn tooltip_es(c: &Category) -> String {
    let sensitive = if c.sensitive { " · delicada: no se publica en su lugar exacto" } else { "" };
    format!("{} · {}{sensitive}", c.label_es, c.group.label_es())
}

pub fn group_code(group: CategoryGroup) -> &'static str {
    match group {
        CategoryGroup::Crime => "delitos",
        CategoryGroup::Coexistence => "convivencia",
        CategoryGroup::RiskFactor => "riesgo",
        CategoryGroup::Protective => "protectores",
        CategoryGroup::Actor => "actores",
    }
}

/// The marker outline of a group, in a 40×40 box centred on 0: the same shapes the map uses.
pub fn group_shape(group: CategoryGroup) -> impl IntoView {
    let d = match group {
        CategoryGroup::Crime => "M17 0A17 17 0 1 1 -17 0A17 17 0 1 1 17 0Z",
        CategoryGroup::Coexistence => "M-15 -15H15V15H-15Z",
        CategoryGroup::RiskFactor => "M0 -19L19 0L0 19L-19 0Z",
        CategoryGroup::Protective => "M0 -18L15 -12V1C15 9 8 15 0 18C-8 15 -15 9 -15 1V-12Z",
        CategoryGroup::Actor => "M-9 -16H9L18 0L9 16H-9L-18 0Z",
    };
    view! { <path d=d/> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tooltip_is_in_spanish() {
        for c in CATEGORIES.iter() {
            let tip = tooltip_es(c);
            assert!(tip.starts_with(c.label_es), "{tip}");
            assert!(!tip.contains(c.label_en), "{}: the English label is not shown to Spanish readers", c.code);
        }
        let extortion = Category::by_code("extorsion").unwrap();
        assert_eq!(tooltip_es(extortion), "Extorsión (vacuna) · Delitos · delicada: no se publica en su lugar exacto");
    }
}
