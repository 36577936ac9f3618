//! `/instituciones/:codigo`: one institution's compromisos across the barrios' pactos in force,
//! overdue first, each with the way to its pacto, and the same lines as a CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{api, nombre_de, EstadoBadge};
use crate::components::account::StaffOnly;
use crate::model::pacto::compromiso::{ordenar_para_seguimiento, CompromisoDeInstitucion};
use crate::model::pacto::institucion::{is_code, Institucion};
use crate::model::pacto::pacto::titulo;
use crate::model::words::count_es;
use crate::model::workshop::{date_es, when_es};

#[component]
pub fn InstitucionPage() -> impl IntoView {
    view! {
        <StaffOnly what="Los compromisos de una institución son para el equipo de la Secretaría.">
            <InstitucionPanel/>
        </StaffOnly>
    }
}

#[component]
fn InstitucionPanel() -> impl IntoView {
    let params = use_params_map();
    let codigo = Memo::new(move |_| params.with(|p| p.get("codigo").filter(|c| is_code(c))));
    let loaded = RwSignal::new(None::<Result<(String, Vec<CompromisoDeInstitucion>), String>>);
    Effect::new(move |_| {
        let Some(code) = codigo.get() else {
            loaded.set(Some(Err("Ese código de institución no es válido.".into())));
            return;
        };
        leptos::task::spawn_local(async move {
            let result = async {
                let mut lineas: Vec<CompromisoDeInstitucion> = api::get(&format!("/api/v1/instituciones/{code}/compromisos")).await?;
                // The server already orders them; sorting again keeps "overdue first" true here.
                ordenar_para_seguimiento(&mut lineas);
                let catalogo: Vec<Institucion> = api::get("/api/v1/instituciones").await.unwrap_or_default();
                Ok::<_, api::Refusal>((nombre_de(&catalogo, &code), lineas))
            }
            .await;
            loaded.set(Some(result.map_err(String::from)));
        });
    });
    let title = move || match loaded.get() {
        Some(Ok((name, _))) => format!("Compromisos · {name}"),
        _ => "Compromisos de una institución".to_string(),
    };
    view! {
        <Title text=title/>
        <section class="page staff pacto-page pacto-institucion">
            <p class="crumbs"><a href="/instituciones">"← Instituciones"</a></p>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Cargando los compromisos…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok((name, lineas))) => {
                    let code = codigo.get().unwrap_or_default();
                    view! { <Lineas name code lineas/> }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Lineas(name: String, code: String, lineas: Vec<CompromisoDeInstitucion>) -> impl IntoView {
    let vencidos = lineas.iter().filter(|l| l.vencido).count();
    let resumen = format!(
        "{} en los pactos vigentes de los barrios{}",
        count_es(lineas.len(), "compromiso", "compromisos"),
        if vencidos > 0 { format!(" · {}", count_es(vencidos, "vencido", "vencidos")) } else { String::new() }
    );
    view! {
        <h1>{name}</h1>
        <p class="pacto-head">
            <span class="barrio-meta" data-testid="institucion-resumen">{resumen}</span>
            <a class="button small" href=format!("/api/v1/instituciones/{code}/compromisos.csv") download="" data-testid="institucion-csv">"Descargar CSV"</a>
        </p>
        {if lineas.is_empty() {
            view! { <p class="empty">"Ningún pacto firmado y vigente le asigna compromisos."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="report-table pacto-lineas" data-testid="institucion-compromisos">
                        <thead><tr>
                            <th scope="col">"Barrio"</th>
                            <th scope="col" class="secundaria">"Pacto"</th>
                            <th scope="col">"Qué"</th>
                            <th scope="col">"Fecha límite"</th>
                            <th scope="col">"Estado"</th>
                            <th scope="col"><span class="sr-only">"Abrir"</span></th>
                        </tr></thead>
                        <tbody>
                            {lineas.into_iter().map(|l| {
                                let fecha = if l.compromiso.fecha_limite.is_empty() { "—".to_string() } else { date_es(&l.compromiso.fecha_limite) };
                                view! {
                                    <tr class:vencido=l.vencido data-compromiso=l.compromiso.id.to_string()>
                                        <td>{l.barrio.clone()}</td>
                                        <td class="secundaria">{titulo(l.pacto_version)}</td>
                                        <td>{l.compromiso.que.clone()}</td>
                                        <td>{fecha}</td>
                                        <td><EstadoBadge estado=l.estado vencido=l.vencido/><small class="block">{format!("desde {}", when_es(l.desde_ms))}</small></td>
                                        <td><a class="button small" href=format!("/ruta/{}/pacto/{}", l.barrio_id, l.pacto_id)>"Ver pacto"</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
