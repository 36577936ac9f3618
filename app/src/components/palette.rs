//! The category palette: big labelled buttons, one per category, grouped; one is chosen at a time.

use leptos::prelude::*;

use super::icons::CategoryIcon;
use crate::model::{CategoryGroup, CATEGORIES};

#[component]
pub fn CategoryPalette(selected: RwSignal<Option<&'static str>>) -> impl IntoView {
    let groups = CategoryGroup::ALL;
    view! {
        <nav class="palette" aria-label="Categorías">
            {groups
                .into_iter()
                .map(|group| {
                    view! {
                        <div class="palette-group" role="group" aria-label=group.label_es()>
                            <span class="palette-group-label">{group.label_es()}</span>
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
                                            aria-pressed=move || pressed().to_string()
                                            data-category=code
                                            title=c.label_en
                                            on:click=move |_| {
                                                selected.update(|s| *s = if *s == Some(code) { None } else { Some(code) })
                                            }
                                        >
                                            <CategoryIcon code=c.code color=c.color/>
                                            <span class="cat-label">{c.label_es}</span>
                                        </button>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                })
                .collect_view()}
        </nav>
    }
}
