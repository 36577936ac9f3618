//! The staff's filters over a diagnóstico: category, workshop, time of day and a date range.
//! They change what the map and the list show, never the stored version.

use leptos::prelude::*;
use uuid::Uuid;

use crate::model::diagnostico::Hotspot;
use crate::model::hotspot_filter::HotspotFilter;
use crate::model::workshop::date_es;
use crate::model::{Category, TimeOfDay, Workshop};

#[component]
pub fn HotspotFilters(
    filter: RwSignal<HotspotFilter>,
    /// The version's hotspots, unfiltered (for the categories to offer).
    hotspots: Memo<Vec<Hotspot>>,
    workshops: RwSignal<Vec<Workshop>>,
) -> impl IntoView {
    let categories = move || {
        let mut codes: Vec<(String, u32)> = Vec::new();
        hotspots.with(|all| {
            for h in all {
                match codes.iter_mut().find(|(c, _)| *c == h.category) {
                    Some((_, n)) => *n += h.count,
                    None => codes.push((h.category.clone(), h.count)),
                }
            }
        });
        codes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        codes
    };
    let set_category = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        filter.update(|f| f.category = (!v.is_empty()).then_some(v));
    };
    let set_workshop = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        filter.update(|f| f.workshop = Uuid::parse_str(&v).ok());
    };
    let set_day = move |from: bool| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            let v = (!v.is_empty()).then_some(v);
            filter.update(|f| if from { f.from_day = v } else { f.to_day = v });
        }
    };
    view! {
        <fieldset class="filters" data-testid="filters">
            <legend>"Filtrar"</legend>
            <label class="field">
                <span>"Categoría"</span>
                <select name="filter-category" on:change=set_category prop:value=move || filter.with(|f| f.category.clone().unwrap_or_default())>
                    <option value="">"Todas"</option>
                    {move || categories().into_iter().map(|(code, n)| {
                        let label = Category::by_code(&code).map(|c| c.label_es).unwrap_or("Otra");
                        view! { <option value=code.clone()>{format!("{label} ({n})")}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>"Taller"</span>
                <select name="filter-workshop" on:change=set_workshop prop:value=move || filter.with(|f| f.workshop.map(|w| w.to_string()).unwrap_or_default())>
                    <option value="">"Todos"</option>
                    {move || workshops.get().into_iter().map(|w| {
                        let label = if w.place.is_empty() { date_es(&w.date) } else { format!("{} · {}", date_es(&w.date), w.place) };
                        view! { <option value=w.id.to_string()>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <div class="field times">
                <span>"Hora del día"</span>
                <div class="chip-row" role="group" aria-label="Hora del día">
                    <button type="button" class="choice" class:on=move || filter.with(|f| f.time.is_none())
                        on:click=move |_| filter.update(|f| f.time = None)>"Todas"</button>
                    {TimeOfDay::ALL.iter().map(|t| {
                        let t = *t;
                        view! {
                            <button type="button" class="choice" data-time=t.code() class:on=move || filter.with(|f| f.time == Some(t))
                                aria-pressed=move || if filter.with(|f| f.time == Some(t)) { "true" } else { "false" }
                                on:click=move |_| filter.update(|f| f.time = if f.time == Some(t) { None } else { Some(t) })>{t.label_es()}</button>
                        }
                    }).collect_view()}
                </div>
            </div>
            <label class="field narrow">
                <span>"Desde"</span>
                <input type="date" name="filter-from" prop:value=move || filter.with(|f| f.from_day.clone().unwrap_or_default()) on:change=set_day(true)/>
            </label>
            <label class="field narrow">
                <span>"Hasta"</span>
                <input type="date" name="filter-to" prop:value=move || filter.with(|f| f.to_day.clone().unwrap_or_default()) on:change=set_day(false)/>
            </label>
            <Show when=move || !filter.with(HotspotFilter::is_empty)>
                <button type="button" class="button small quiet" on:click=move |_| filter.set(HotspotFilter::default())>"Quitar filtros"</button>
            </Show>
        </fieldset>
    }
}
