//! `/acerca-de-los-datos`: where the barrios, their names and their streets come from, so the
//! credits are one tap away from every map without taking a line of the participant's screen.
//! With `?barrio=N` it also names that barrio's own sources, read in the browser (the page is
//! kept offline under its address without the query, so its HTML must not depend on it).

use leptos::prelude::*;
use leptos_meta::Title;

/// Where one barrio's boundary and layers come from, as stored with them: each already says
/// what it credits ("Límites: …", "Vías: …", or that the streets are examples).
// Filled in the browser only: the server renders the page without it.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq)]
struct BarrioSources {
    id: i64,
    name: String,
    boundary: String,
    /// `None` when neither the device nor the server gave the barrio's layers.
    layers: Option<String>,
}

#[component]
pub fn AboutDataPage() -> impl IntoView {
    let barrio = RwSignal::new(None::<BarrioSources>);
    #[cfg(feature = "hydrate")]
    {
        let query = leptos_router::hooks::use_query_map();
        let id = query.with_untracked(|q| q.get("barrio").and_then(|v| v.parse::<i64>().ok()));
        if let Some(id) = id {
            leptos::task::spawn_local(async move {
                let Ok(Some(b)) = crate::data::barrio(id).await else {
                    return;
                };
                let layers = match crate::client::packs::on_device(id).await {
                    Ok(Some(pack)) => Some(std::sync::Arc::new(pack.layers)),
                    _ => crate::client::packs::base_layers(id).await,
                };
                barrio.set(Some(BarrioSources {
                    id,
                    name: b.summary.name,
                    boundary: b.source,
                    layers: layers.map(|l| l.source.clone()).filter(|s| !s.is_empty()),
                }));
            });
        }
    }
    view! {
        <Title text="Acerca de los datos"/>
        <section class="page narrow about-data" data-testid="about-data">
            <a class="button small quiet" href="/">"← Barrios"</a>
            <h1>"Acerca de los datos"</h1>
            {move || barrio.get().map(|b| view! {
                <section class="about-barrio" data-testid="about-barrio">
                    <h2>{format!("Barrio {}", b.name)}</h2>
                    <p>{b.boundary}</p>
                    {b.layers.map(|source| view! { <p>{source}</p> })}
                    <a class="button small" href=format!("/barrio/{}", b.id)>"Volver al mapa"</a>
                </section>
            })}
            <h2>"Límites y nombres de los barrios"</h2>
            <p>
                "Los barrios de Santa Marta y sus límites vienen del estudio de vulnerabilidad de Santa Marta publicado en el repositorio público "
                <cite>"Zluifer21/riskmapogricc"</cite>
                " (archivo public/js/barrios.geo.json). Ese repositorio no declara una licencia: se usan aquí para el trabajo con las comunidades y se cita su origen."
            </p>
            <p>
                "Cartobarrio corrigió la escritura de algunos nombres que llegaron dañados o sin tilde (por ejemplo Cañaveral, Pescaíto, Centro Histórico). "
                "La fuente no dice a qué comuna pertenece cada barrio, por eso la comuna no aparece."
            </p>
            <h2>"Calles, manzanas y lugares"</h2>
            <p>
                "Donde no hay datos reales de calles, manzanas y lugares, el mapa muestra unos de ejemplo, marcados «(demo)». "
                "Cuando se carguen los reales, cada barrio dirá aquí de dónde vienen."
            </p>
            <h2>"Las marcas"</h2>
            <p>
                "Las marcas, causas y soluciones las dibujan las personas que participan en los talleres, con un alias y nunca con su nombre. "
                "El equipo de la Secretaría de Seguridad y Convivencia las reúne en el diagnóstico de cada barrio."
            </p>
        </section>
    }
}
