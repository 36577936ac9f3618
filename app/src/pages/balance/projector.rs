//! `/balance/proyectar`: step 2's presentation for the Comité Interinstitucional: the city map
//! and the ranking in type that reads across a meeting room, ten barrios a page (arrow keys or
//! the buttons move on). It is shown outside the Secretaría: small counts never appear here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::mapa::Choropleth;
use super::{cambio_es, EjemploBanner, Pedido};
use crate::components::account::RequireRole;
use crate::model::balance::informe::Balance;
use crate::model::registro::BarrioOutline;
use crate::model::words::number_es;

/// Barrios on one page of the projected ranking.
pub const PAGE: usize = 10;

#[component]
pub fn BalanceProjectorPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|r| r.is_staff() what="La presentación del balance es para el equipo de la Secretaría.">
            <BalanceProjector/>
        </RequireRole>
    }
}

#[component]
fn BalanceProjector() -> impl IntoView {
    let query = use_query_map();
    let pedido = Memo::new(move |_| query.with(|q| Pedido::from_query(|k| q.get(k))));
    let loaded = RwSignal::new(None::<Result<Balance, String>>);
    let outlines = RwSignal::new(Vec::<BarrioOutline>::new());
    let page = RwSignal::new(0usize);
    let pages = move || loaded.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map_or(1, |b| b.filas.iter().filter(|f| f.puesto.is_some()).count().div_ceil(PAGE).max(1)));
    let step = move |delta: isize| page.update(|p| *p = (*p as isize + delta).clamp(0, pages() as isize - 1) as usize);
    #[cfg(feature = "hydrate")]
    {
        use crate::client::session::get_json;
        Effect::new(move |_| {
            let p = pedido.get();
            leptos::task::spawn_local(async move {
                loaded.set(Some(get_json(&p.url("/api/v1/balance")).await));
                if let Ok(all) = get_json("/api/v1/ruta/mapa").await {
                    outlines.set(all);
                }
            });
        });
        let keys = window_event_listener(leptos::ev::keydown, move |ev| match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" | "PageDown" | " " => step(1),
            "ArrowLeft" | "ArrowUp" | "PageUp" => step(-1),
            _ => {}
        });
        on_cleanup(move || keys.remove());
    }
    let full_screen = move |_| crate::pages::projector::toggle_full_screen();
    view! {
        <Title text="Balance · proyectar"/>
        <section class="projector balance-projector" data-testid="balance-projector">
            <div class="projector-bar">
                <a class="button small" href=move || pedido.get().url("/balance")>"← Volver al balance"</a>
                <button type="button" class="button small quiet" on:click=full_screen>"Pantalla completa"</button>
            </div>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Cargando el balance…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(b)) => {
                    let ranked: Vec<_> = b.filas.iter().filter(|f| f.puesto.is_some()).cloned().collect();
                    let total = ranked.len();
                    let filas = b.filas.clone();
                    let cortes = b.cortes.clone();
                    view! {
                        <h1 class="projector-title">{format!("Balance de seguridad y convivencia · {}", b.periodo.label_es())}</h1>
                        <EjemploBanner ejemplo=b.ejemplo/>
                        <div class="projector-main balance-projector-main">
                            {move || { let all = outlines.get(); (!all.is_empty()).then(|| view! { <Choropleth outlines=all filas=filas.clone() cortes=cortes.clone()/> }) }}
                            <div class="projector-ranking">
                                <ol class="projector-list" data-testid="projector-ranking">
                                    {move || ranked.iter().skip(page.get() * PAGE).take(PAGE).map(|f| {
                                        let (change, class) = cambio_es(f.cambio_anterior);
                                        view! {
                                            <li>
                                                <span class="p-puesto">{f.puesto.unwrap_or_default()}</span>
                                                <span class="p-name">{f.name.clone()}<small>{f.comuna.clone().unwrap_or_default()}</small></span>
                                                <span class="p-indice">{f.indice.map(|i| number_es(i, 1)).unwrap_or_default()}</span>
                                                <span class=format!("p-cambio iscb-cambio {class}")>{change}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                                <div class="projector-pager">
                                    <button type="button" class="button small" on:click=move |_| step(-1) disabled=move || page.get() == 0>"← Anteriores"</button>
                                    <span>{move || format!("{}–{} de {total}", page.get() * PAGE + 1, ((page.get() + 1) * PAGE).min(total))}</span>
                                    <button type="button" class="button small" on:click=move |_| step(1) disabled=move || page.get() + 1 >= pages()>"Siguientes →"</button>
                                </div>
                                <p class="projector-note">{format!("ISCB versión {} · más bajo, más necesidad · Δ frente al cuatrimestre anterior", b.definicion.version)}</p>
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
