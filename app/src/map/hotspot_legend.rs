//! The legend of the hotspot map: each category present with its marker, by group, and how to
//! read sizes, lines, areas and the lock.

use leptos::prelude::*;

use super::marks::marker_shape;
use crate::model::{Category, CategoryGroup, GeometryKind, Hotspot};

/// One line of the legend: a category present on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub code: String,
    pub label: &'static str,
    pub color: &'static str,
    pub group: CategoryGroup,
    pub sensitive: bool,
}

/// The categories of `hotspots`, each once, in the palette's group order, then by label.
pub fn legend_entries(hotspots: &[Hotspot]) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = Vec::new();
    for h in hotspots {
        if entries.iter().any(|e| e.code == h.category) {
            continue;
        }
        let c = Category::by_code(&h.category);
        entries.push(LegendEntry {
            code: h.category.clone(),
            label: c.map(|c| c.label_es).unwrap_or("Otra categoría"),
            color: c.map(|c| c.color).unwrap_or("#555555"),
            group: c.map(|c| c.group).unwrap_or(CategoryGroup::Crime),
            sensitive: h.sensitive,
        });
    }
    let rank = |g: CategoryGroup| CategoryGroup::ALL.iter().position(|x| *x == g).unwrap_or(usize::MAX);
    entries.sort_by(|a, b| rank(a.group).cmp(&rank(b.group)).then(a.label.cmp(b.label)));
    entries
}

/// A category's marker at legend size.
#[component]
pub fn LegendMarker(group: CategoryGroup, color: &'static str, code: String) -> impl IntoView {
    view! {
        <svg class="legend-marker" viewBox="-20 -20 40 40" aria-hidden="true">
            {marker_shape(group, color)}
            <use_ href=format!("#icon-{code}") x="-11" y="-11" width="22" height="22"/>
        </svg>
    }
}

#[component]
pub fn HotspotLegend(
    #[prop(into)] hotspots: Signal<Vec<Hotspot>>,
    /// The zones are a publication's counting cells, not areas someone drew: say so.
    #[prop(optional)]
    cells: bool,
) -> impl IntoView {
    let entries = Memo::new(move |_| hotspots.with(|h| legend_entries(h)));
    let any_sensitive = move || entries.with(|e| e.iter().any(|e| e.sensitive));
    let has = move |kind: GeometryKind| hotspots.with(|h| h.iter().any(|h| h.geometry_kind == kind));
    // (points, routes, zones): only points grow, so the growth key is only for them.
    let kinds = Memo::new(move |_| (has(GeometryKind::Point), has(GeometryKind::Route), has(GeometryKind::Zone)));
    let zone_words = if cells {
        "Cuadro: cuenta las marcas de una categoría dentro de él; el número del marcador dice cuántas son. No es el sitio exacto."
    } else {
        "Zona: área señalada, con el número de marcas en su centro."
    };
    view! {
        <div class="hotspot-legend" data-testid="hotspot-legend">
            <ul class="legend-categories">
                {move || entries.get().into_iter().map(|e| view! {
                    <li data-category=e.code.clone()>
                        <LegendMarker group=e.group color=e.color code=e.code.clone()/>
                        <span>{e.label}</span>
                        {e.sensitive.then(|| view! {
                            <svg class="legend-lock" viewBox="0 0 24 24" role="img" aria-label="sensible"><use_ href="#icon-lock"/></svg>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            <ul class="legend-key">
                {move || kinds.get().0.then(|| view! {
                    <li>
                        <svg class="legend-sizes" viewBox="0 0 76 30" aria-hidden="true">
                            <circle cx="6" cy="20" r="5"/>
                            <circle cx="25" cy="17" r="8"/>
                            <circle cx="55" cy="14" r="13"/>
                        </svg>
                        <span>"El área del símbolo crece con el número de marcas (1 · 4 · 9); el número va escrito en él."</span>
                    </li>
                })}
                {move || kinds.get().1.then(|| view! {
                    <li>
                        <svg class="legend-route" viewBox="0 0 40 20" aria-hidden="true"><path d="M2 15C12 3 26 17 38 5"/></svg>
                        <span>"Ruta: la línea es más gruesa cuantas más marcas la señalan."</span>
                    </li>
                })}
                {move || kinds.get().2.then(|| view! {
                    <li data-key=if cells { "cell" } else { "zone" }>
                        <svg class="legend-zone" viewBox="0 0 40 20" aria-hidden="true">
                            <path d=if cells { "M11 2H29V18H11Z" } else { "M3 4L30 2L37 16L8 18Z" }/>
                        </svg>
                        <span>{zone_words}</span>
                    </li>
                })}
                {move || any_sensitive().then(|| view! {
                    <li>
                        <svg class="legend-lock" viewBox="0 0 24 24" aria-hidden="true"><use_ href="#icon-lock"/></svg>
                        <span>"Sensible: la ubicación exacta puede poner en riesgo a quien reportó."</span>
                    </li>
                })}
            </ul>
        </div>
    }
}
