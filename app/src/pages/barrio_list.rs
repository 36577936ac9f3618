//! `/`: the barrios of the city, with a search box, each opening its map.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::hydration::keep_typed_before_hydration;
use crate::components::packs::{PackButton, PackShelf, PackShelfPanel};
use crate::components::pwa::DevicePanel;
use crate::data;
use crate::model::BarrioSummary;

/// Lower case without accents, so "olimpica" finds "Villa Olímpica".
pub(crate) fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

#[component]
pub fn BarrioListPage() -> impl IntoView {
    let barrios = Resource::new(|| (), |_| data::list_barrios());
    let query = RwSignal::new(String::new());
    let search = NodeRef::<leptos::html::Input>::new();
    keep_typed_before_hydration(search, query);
    PackShelf::provide();
    view! {
        <Title text="Barrios"/>
        <section class="page">
            <div class="intro">
                <h1>"Cartografía social para la seguridad"</h1>
                <p>"Elija su barrio para marcar en el mapa los lugares donde hay problemas de seguridad y convivencia. Lo que marque se guarda en este dispositivo, aunque no haya señal."</p>
            </div>
            <DevicePanel/>
            <PackShelfPanel/>
            <label class="search">
                <span>"Buscar barrio"</span>
                <input
                    type="search"
                    placeholder="Ej.: Pescaíto, Bastidas…"
                    autocomplete="off"
                    data-testid="barrio-search"
                    node_ref=search
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </label>
            <div class="workshop-actions">
                <a class="button primary" href="/unirse" data-testid="join-link">"Unirme a un taller"</a>
                <a class="button small" href="/talleres">"Preparar un taller"</a>
                <a class="button small quiet" href="/publico" data-testid="public-link">"Diagnósticos publicados"</a>
                <a class="button small quiet" href="/entrar" data-testid="home-sign-in">"Entrar (equipo y facilitación)"</a>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Cargando barrios…"</p> }>
                {move || Suspend::new(async move {
                    match barrios.await {
                        Ok(list) => view! { <BarrioList list query/> }.into_any(),
                        Err(e) => view! {
                            <p class="error">"No se pudo cargar la lista de barrios: " {e}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <p class="attribution">
                <a class="about-link" href="/acerca-de-los-datos" data-testid="about-data-link">"Acerca de los datos"</a>
            </p>
        </section>
    }
}

#[component]
fn BarrioList(list: Vec<BarrioSummary>, query: RwSignal<String>) -> impl IntoView {
    let total = list.len();
    let folded: Vec<(String, BarrioSummary)> = list.into_iter().map(|b| (fold(&b.name), b)).collect();
    let visible = Memo::new(move |_| {
        let q = fold(query.get().trim());
        folded.iter().filter(|(name, _)| q.is_empty() || name.contains(&q)).map(|(_, b)| b.clone()).collect::<Vec<_>>()
    });
    view! {
        <p class="count" data-testid="barrio-count">
            {move || {
                let n = visible.read().len();
                if n == total { crate::model::words::count_es(total, "barrio", "barrios") } else { format!("{n} de {total} barrios") }
            }}
        </p>
        <ul class="barrio-list">
            <For each=move || visible.get() key=|b| b.id let:b>
                <li class="barrio-row">
                    <a class="barrio-link" href=format!("/barrio/{}", b.id) data-code=b.code.clone()>
                        <span class="barrio-name">{b.name.clone()}</span>
                        <span class="barrio-meta">{format!("{:.0} ha", b.area_ha)}</span>
                        <svg class="chevron" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M9 5l7 7-7 7" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/>
                        </svg>
                    </a>
                    <PackButton barrio_id=b.id name=b.name.clone()/>
                </li>
            </For>
        </ul>
        <Show when=move || visible.read().is_empty()>
            <p class="empty">"Ningún barrio coincide con la búsqueda."</p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn search_ignores_accents_and_case() {
        assert_eq!(fold("Villa Olímpica"), "villa olimpica");
        assert_eq!(fold("PEÑA"), "pena");
    }
}
