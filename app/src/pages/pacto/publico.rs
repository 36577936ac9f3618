//! The published compromisos of a barrio's pacto, for anyone: on the public barrio page
//! ("Compromisos del pacto") and as staff's preview. Who, what, a general place, by when and
//! the status now — never a place on the map.

use leptos::prelude::*;

use super::api;
use super::EstadoBadge;
use crate::model::pacto::pacto::titulo;
use crate::model::pacto::publicacion::PactoPublicado;
use crate::model::workshop::date_es;

/// The section of the public barrio page; nothing at all while the barrio has no
/// publication (404) or it cannot be read.
#[component]
pub fn CompromisosPublicos(barrio: i64) -> impl IntoView {
    let publicado = RwSignal::new(None::<PactoPublicado>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(Some(p)) = api::get_optional::<PactoPublicado>(&format!("/api/v1/public/barrios/{barrio}/compromisos")).await {
                publicado.set(Some(p));
            }
        });
    });
    move || {
        publicado.get().map(|p| {
            let lead = format!(
                "Lo que cada institución y la comunidad se comprometieron a hacer en el barrio, en el {} firmado el {}, y cómo va cada compromiso.",
                titulo(p.pacto_version).to_lowercase(),
                date_es(&p.firmado)
            );
            view! {
                <section class="pacto-publico" data-testid="compromisos-publicos">
                    <h2>"Compromisos del pacto"</h2>
                    <p class="lead">{lead}</p>
                    <CompromisosPublicadosLista publicado=p/>
                </section>
            }
        })
    }
}

/// The published compromisos, one card each (they stack on a phone).
#[component]
pub fn CompromisosPublicadosLista(publicado: PactoPublicado) -> impl IntoView {
    view! {
        <ul class="pacto-publicados">
            {publicado.compromisos.into_iter().map(|c| {
                let fecha = if c.fecha_limite.is_empty() { "Sin fecha".to_string() } else { date_es(&c.fecha_limite) };
                view! {
                    <li data-compromiso=c.id.to_string()>
                        <p class="pacto-publicado-quien"><strong>{c.institucion}</strong><EstadoBadge estado=c.estado/></p>
                        <p class="pacto-que">{c.que}</p>
                        <dl class="pacto-facts">
                            <div><dt>"Dónde"</dt><dd>{if c.lugar.is_empty() { "En el barrio".to_string() } else { c.lugar }}</dd></div>
                            <div><dt>"Para cuándo"</dt><dd>{fecha}</dd></div>
                        </dl>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
