//! `/ruta/:id/pacto/:pacto/imprimir`: the pacto on A4 or Letter, as it is signed: letterhead,
//! the meeting, the context, the problems in short, the compromisos grouped by institution,
//! and a signature block for each institution named and the CBSC. A draft prints marked
//! "BORRADOR" on every page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use super::lectura::parrafos;
use super::{firmantes, por_institucion, Grupo};
use crate::components::account::RequireRole;
use crate::components::document::{Letterhead, PrintActions, SignatureBlocks};
use crate::model::pacto::institucion::Institucion;
use crate::model::pacto::pacto::{EstadoPacto, PactoDetalle};
use crate::model::report::PROCEDURE_CODE;
use crate::model::workshop::date_es;

/// Causes a problem's line names on paper: the weightiest.
const CAUSAS_IMPRESAS: usize = 3;

#[component]
pub fn PactoPrintPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="Los pactos de un barrio son para el equipo de la Secretaría y quienes facilitan en él.">
            <PactoPrint/>
        </RequireRole>
    }
}

#[component]
fn PactoPrint() -> impl IntoView {
    let (barrio, pacto) = super::params();
    let loaded = RwSignal::new(None::<Result<(PactoDetalle, Vec<Institucion>), String>>);
    Effect::new(move |_| {
        let Some(id) = pacto.get() else { return };
        leptos::task::spawn_local(async move {
            let result = async {
                let detalle: PactoDetalle = api::get(&format!("/api/v1/pactos/{id}")).await?;
                let instituciones: Vec<Institucion> = api::get("/api/v1/instituciones").await?;
                Ok::<_, api::Refusal>((detalle, instituciones))
            }
            .await;
            loaded.set(Some(result.map_err(String::from)));
        });
    });
    let back = Signal::derive(move || {
        format!("/ruta/{}/pacto/{}", barrio.get().unwrap_or_default(), pacto.get().map(|p| p.to_string()).unwrap_or_default())
    });
    view! {
        <Title text="Pacto para imprimir"/>
        <div class="report-page">
            <PrintActions back label="← El pacto"/>
            {move || match loaded.get() {
                None => view! { <p class="report-loading">"Preparando el pacto…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="report-error error" role="alert">{e}</p> }.into_any(),
                Some(Ok((detalle, instituciones))) => view! { <PactoDocument detalle instituciones/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn PactoDocument(detalle: PactoDetalle, instituciones: Vec<Institucion>) -> impl IntoView {
    let p = detalle.pacto;
    let c = p.contenido.clone();
    let borrador = p.estado == EstadoPacto::Borrador;
    let titulo = p.titulo();
    let fecha = if c.fecha.is_empty() { "—".to_string() } else { date_es(&c.fecha) };
    let mut subtitle = format!("Barrio {}", detalle.barrio);
    if !c.fecha.is_empty() {
        subtitle.push_str(&format!(" · {}", date_es(&c.fecha)));
    }
    if !c.lugar.is_empty() {
        subtitle.push_str(&format!(" · {}", c.lugar));
    }
    let grupos = por_institucion(&c.compromisos, &instituciones);
    let firmas = firmantes(&grupos, &instituciones);
    let grupos: Vec<GrupoPropio> = grupos.into_iter().map(GrupoPropio::from).collect();
    let contexto = parrafos(&c.contexto);
    let foot = format!("Cartobarrio · {titulo} · barrio {} · revisión {} · {PROCEDURE_CODE}", detalle.barrio, p.revision);
    view! {
        <article class="report pacto-doc" class:borrador=borrador data-testid="pacto-doc" data-estado=if borrador { "borrador" } else { "firmado" }>
            {borrador.then(|| view! { <p class="pacto-borrador-mark" aria-hidden="true">"BORRADOR"</p> })}
            <header class="report-head">
                <Letterhead process="Intervención en seguridad y convivencia territorial — paso 4: socialización del diagnóstico y firma del pacto"
                    facts=vec![("Versión", p.version.to_string()), ("Revisión", p.revision.to_string()), ("Fecha", fecha)]/>
                <h1>{titulo.clone()}</h1>
                <p class="report-subtitle">{subtitle}</p>
                {borrador.then(|| view! {
                    <p class="pacto-borrador-nota" data-testid="borrador">{format!("BORRADOR — revisión {}: no es el pacto firmado.", p.revision)}</p>
                })}
                {(p.version > 1).then(|| view! { <p class="report-note">"Este otrosí modifica el pacto firmado antes: sus compromisos reemplazan a los de la versión anterior."</p> })}
            </header>
            <section class="report-section">
                <h2>"1. Contexto"</h2>
                {if contexto.is_empty() { view! { <p class="muted">"(Sin resumen)"</p> }.into_any() }
                 else { contexto.into_iter().map(|l| view! { <p>{l}</p> }).collect_view().into_any() }}
            </section>
            <section class="report-section">
                <h2>"2. Problemas priorizados"</h2>
                {if c.problemas.is_empty() { view! { <p class="muted">"(El diagnóstico no trae problemas.)"</p> }.into_any() } else { view! {
                    <table class="report-table compact">
                        <thead><tr><th>"Problema"</th><th class="num">"Marcas"</th><th class="num">"Lugares"</th><th>"Causas principales"</th></tr></thead>
                        <tbody>
                            {c.problemas.iter().map(|x| view! {
                                <tr>
                                    <td>{x.nombre.clone()}</td>
                                    <td class="num">{x.marcas}</td>
                                    <td class="num">{x.lugares}</td>
                                    <td>{if x.causas.is_empty() { "—".to_string() } else { x.causas.iter().take(CAUSAS_IMPRESAS).cloned().collect::<Vec<_>>().join(", ") }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any() }}
            </section>
            <section class="report-section">
                <h2>"3. Compromisos"</h2>
                <p class="report-note">"Cada institución y la comunidad se comprometen a lo que sigue. El lugar va en palabras generales; el número de cada compromiso es el de su seguimiento."</p>
                {if grupos.is_empty() { view! { <p class="muted">"(Sin compromisos)"</p> }.into_any() }
                 else { grupos.into_iter().map(|grupo| view! { <GrupoImpreso grupo/> }).collect_view().into_any() }}
            </section>
            <SignatureBlocks roles=firmas/>
            <footer class="report-foot">{foot}</footer>
        </article>
    }
}

/// A group with its own copies of the lines, as a component takes it.
#[derive(Debug, Clone, PartialEq)]
struct GrupoPropio {
    nombre: String,
    comunidad: bool,
    filas: Vec<(usize, String, String, String, String)>,
}

impl From<Grupo<'_>> for GrupoPropio {
    fn from(g: Grupo<'_>) -> GrupoPropio {
        GrupoPropio {
            nombre: g.nombre,
            comunidad: g.comunidad,
            filas: g
                .compromisos
                .into_iter()
                .map(|(n, c)| {
                    let donde = if c.lugar.trim().is_empty() { "—".to_string() } else { c.lugar.clone() };
                    let cuando = if c.fecha_limite.is_empty() { "—".to_string() } else { date_es(&c.fecha_limite) };
                    (n, c.que.clone(), donde, cuando, c.indicador.clone())
                })
                .collect(),
        }
    }
}

#[component]
fn GrupoImpreso(grupo: GrupoPropio) -> impl IntoView {
    view! {
        <div class="report-institution pacto-grupo">
            <h3>{grupo.nombre}{grupo.comunidad.then_some(" (la comunidad)")}</h3>
            <table class="report-table compact">
                <thead><tr><th class="num">"No."</th><th>"Qué"</th><th>"Dónde"</th><th>"Para cuándo"</th><th>"Cómo se sabrá que se cumplió"</th></tr></thead>
                <tbody>
                    {grupo.filas.into_iter().map(|(n, que, donde, cuando, indicador)| view! {
                        <tr><td class="num">{n}</td><td>{que}</td><td>{donde}</td><td>{cuando}</td><td>{indicador}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
