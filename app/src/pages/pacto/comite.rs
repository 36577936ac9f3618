//! `/seguimiento/comites/:id`: the interinstitutional committee's acta (the registro of paso 7)
//! on A4 or Letter: the session, each compromiso it reviewed with its status before and after
//! and the committee's note, and the signatures.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{api, nombre_de};
use crate::components::account::StaffOnly;
use crate::components::document::{Letterhead, PrintActions, SignatureBlocks};
use crate::model::pacto::institucion::Institucion;
use crate::model::pacto::seguimiento::Comite;
use crate::model::report::PROCEDURE_CODE;
use crate::model::words::count_es;
use crate::model::workshop::date_es;

#[component]
pub fn ComitePage() -> impl IntoView {
    view! {
        <StaffOnly what="Las actas del comité interinstitucional son para el equipo de la Secretaría.">
            <ComitePrint/>
        </StaffOnly>
    }
}

#[component]
fn ComitePrint() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<uuid::Uuid>().ok())));
    let loaded = RwSignal::new(None::<Result<(Comite, Vec<Institucion>), String>>);
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            loaded.set(Some(Err("Esa acta no existe.".into())));
            return;
        };
        leptos::task::spawn_local(async move {
            let result = async {
                let comite: Comite = api::get(&format!("/api/v1/comites/{id}")).await?;
                let instituciones: Vec<Institucion> = api::get("/api/v1/instituciones").await.unwrap_or_default();
                Ok::<_, api::Refusal>((comite, instituciones))
            }
            .await;
            loaded.set(Some(result.map_err(String::from)));
        });
    });
    view! {
        <Title text="Acta del comité interinstitucional"/>
        <div class="report-page">
            <PrintActions back=Signal::derive(|| "/seguimiento".to_string()) label="← Seguimiento"/>
            {move || match loaded.get() {
                None => view! { <p class="report-loading">"Preparando el acta…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="report-error error" role="alert">{e}</p> }.into_any(),
                Some(Ok((comite, instituciones))) => view! { <ComiteDocument comite instituciones/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ComiteDocument(comite: Comite, instituciones: Vec<Institucion>) -> impl IntoView {
    let titulo = format!("Acta del comité interinstitucional n.º {}", comite.numero);
    let mut subtitle = date_es(&comite.fecha);
    if !comite.lugar.is_empty() {
        subtitle.push_str(&format!(" · {}", comite.lugar));
    }
    let cambios = comite.revisiones.iter().filter(|r| r.cambio()).count();
    let resumen = format!(
        "{} · {}",
        count_es(comite.revisiones.len(), "compromiso revisado", "compromisos revisados"),
        count_es(cambios, "cambio de estado", "cambios de estado")
    );
    // The Secretaría, which convenes the committee, then each institution reviewed, once.
    let convoca = nombre_de(&instituciones, "secretaria_seguridad");
    let mut otras: Vec<String> = comite.revisiones.iter().map(|r| nombre_de(&instituciones, &r.responsable)).collect();
    otras.sort();
    otras.dedup();
    otras.retain(|n| *n != convoca);
    let firmas: Vec<String> = std::iter::once(convoca).chain(otras).collect();
    let foot = format!("Cartobarrio · comité n.º {} · municipio {} · {PROCEDURE_CODE}", comite.numero, comite.municipio);
    let filas: Vec<_> = comite
        .revisiones
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                i + 1,
                r.barrio.clone(),
                nombre_de(&instituciones, &r.responsable),
                r.que.clone(),
                if r.fecha_limite.is_empty() { "—".to_string() } else { date_es(&r.fecha_limite) },
                r.antes.label_es(),
                r.estado.label_es(),
                r.cambio(),
                if r.nota.is_empty() { "—".to_string() } else { r.nota.clone() },
            )
        })
        .collect();
    view! {
        <article class="report comite-doc" data-testid="comite-doc">
            <header class="report-head">
                <Letterhead process="Intervención en seguridad y convivencia territorial — paso 7: seguimiento a los compromisos"
                    facts=vec![("Comité", comite.numero.to_string()), ("Fecha", date_es(&comite.fecha))]/>
                <h1>{titulo}</h1>
                <p class="report-subtitle">{subtitle}</p>
                <p class="report-note" data-testid="comite-resumen">{resumen}</p>
            </header>
            <section class="report-section">
                <h2>"1. Asistentes"</h2>
                <p>{if comite.asistentes.is_empty() { "(No se registraron)".to_string() } else { comite.asistentes.clone() }}</p>
            </section>
            <section class="report-section">
                <h2>"2. Compromisos revisados"</h2>
                <table class="report-table compact" data-testid="comite-revisiones-doc">
                    <thead><tr>
                        <th class="num">"No."</th><th>"Barrio"</th><th>"Responsable"</th><th>"Compromiso"</th><th>"Fecha límite"</th>
                        <th>"Estado antes"</th><th>"Estado después"</th><th>"Nota del comité"</th>
                    </tr></thead>
                    <tbody>
                        {filas.into_iter().map(|(n, barrio, responsable, que, limite, antes, despues, cambio, nota)| view! {
                            <tr class:cambio=cambio>
                                <td class="num">{n}</td><td>{barrio}</td><td>{responsable}</td><td>{que}</td><td>{limite}</td>
                                <td>{antes}</td><td>{if cambio { despues.to_string() } else { format!("{despues} (sin cambio)") }}</td><td>{nota}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="report-section">
                <h2>"3. Notas"</h2>
                <p>{if comite.notas.is_empty() { "(Sin notas)".to_string() } else { comite.notas.clone() }}</p>
            </section>
            <SignatureBlocks roles=firmas/>
            <footer class="report-foot">{foot}</footer>
        </article>
    }
}
