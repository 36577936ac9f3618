//! Re-mapping on a barrio's route page (staff): its newest diagnóstico beside the mapping
//! before, place by place — what goes on, what is new, what nobody marked again — on the map
//! and as a list.

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use crate::map::hotspots::HotspotMap;
use crate::model::pacto::borrador::category_name;
use crate::model::remapeo::{Estado, Remapeo};
use crate::model::words::count_es;
use crate::model::Barrio;

#[component]
pub fn RemapeoSection(barrio: i64) -> impl IntoView {
    // `None` while loading; `Some(None)` when there are not two mappings to compare.
    let loaded = RwSignal::new(None::<Option<(Remapeo, Barrio)>>);
    #[cfg(not(feature = "hydrate"))]
    let _ = barrio;
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let r: Option<Remapeo> = crate::client::session::get_json(&format!("/api/v1/barrios/{barrio}/remapeo")).await.ok();
            let b: Option<Barrio> = crate::client::session::get_json(&format!("/api/v1/barrios/{barrio}")).await.ok();
            loaded.set(Some(r.zip(b)));
        });
    });
    view! {
        <section class="actas remapeo" data-testid="remapeo">
            <h2>"Re-mapeo: antes y ahora"</h2>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Cargando la comparación…"</p> }.into_any(),
                Some(None) => view! {
                    <p class="empty">"Cuando el barrio vuelva a mapear, genere su diagnóstico con «Re-mapeo: solo marcas desde» y aquí se compara con el anterior: lo que sigue, lo nuevo y lo que ya no aparece."</p>
                }.into_any(),
                Some(Some((r, b))) => view! { <RemapeoView r b/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RemapeoView(r: Remapeo, b: Barrio) -> impl IntoView {
    let estado_de: HashMap<Uuid, Estado> = r
        .lineas
        .iter()
        .filter_map(|l| match l.estado {
            Estado::YaNo => l.antes.map(|(id, _)| (id, l.estado)),
            _ => l.despues.map(|(id, _)| (id, l.estado)),
        })
        .collect();
    let tint: HashMap<Uuid, (&'static str, &'static str)> = estado_de.iter().map(|(id, e)| (*id, (e.color(), e.code()))).collect();
    let hotspots = r.hotspots.clone();
    let selected = RwSignal::new(None::<Uuid>);
    let resumen = format!(
        "Diagnóstico n.º {} frente al n.º {}: {} · {} · {}",
        r.despues,
        r.antes,
        count_es(r.count(Estado::Sigue), "lugar sigue", "lugares siguen"),
        count_es(r.count(Estado::Nuevo), "lugar nuevo", "lugares nuevos"),
        count_es(r.count(Estado::YaNo), "ya no aparece", "ya no aparecen"),
    );
    let radio = format!("Un lugar sigue si se marcó la misma categoría a menos de {:.0} m de donde estaba.", r.radio_m);
    view! {
        <p class="report-note" data-testid="remapeo-resumen">{resumen}</p>
        <HotspotMap barrio=b hotspots=Signal::derive(move || hotspots.clone()) selected interactive=false tint=Signal::derive(move || tint.clone())/>
        <ul class="mini-legend">
            {[Estado::Sigue, Estado::Nuevo, Estado::YaNo].into_iter().map(|e| view! {
                <li><span class="mini-swatch" style=format!("border-color: {}", e.color())></span>{e.label_es()}</li>
            }).collect_view()}
        </ul>
        <p class="muted">{radio}</p>
        <table class="report-table compact" data-testid="remapeo-lineas">
            <thead><tr><th>"Lugar"</th><th>"Qué pasó"</th><th>"Marcas antes"</th><th>"Marcas ahora"</th></tr></thead>
            <tbody>
                {r.lineas.iter().map(|l| {
                    let n = |x: Option<(Uuid, u32)>| x.map_or_else(|| "—".to_string(), |(_, n)| n.to_string());
                    view! {
                        <tr data-estado=l.estado.code()>
                            <td>{category_name(&l.category)}</td><td>{l.estado.label_es()}</td>
                            <td class="num">{n(l.antes)}</td><td class="num">{n(l.despues)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
