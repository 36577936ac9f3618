//! `/balance/imprimir`: step 1's informe, "Balance de seguridad y convivencia — cuatrimestre
//! N", for A4 or Letter: the method, the city map, the ranking, the figures of the barrios in
//! most need (counts under 3 as "< 3": it leaves the Secretaría), the barrios chosen, signatures.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::mapa::Choropleth;
use super::{cambio_es, EjemploBanner, Pedido};
use crate::components::account::RequireRole;
use crate::components::document::{Letterhead, PrintActions, SignatureBlocks};
use crate::model::balance::indicador::Unidad;
use crate::model::balance::informe::{casos_para_afuera, Balance};
use crate::model::balance::iscb::Normalizacion;
use crate::model::balance::priorizacion::Priorizacion;
use crate::model::registro::BarrioOutline;
use crate::model::words::number_es;

/// Barrios whose figures the informe details one by one.
pub const DETALLE: usize = 20;

#[component]
pub fn BalancePrintPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|r| r.is_staff() what="El informe del balance es para el equipo de la Secretaría.">
            <BalancePrint/>
        </RequireRole>
    }
}

#[component]
fn BalancePrint() -> impl IntoView {
    let query = use_query_map();
    let pedido = Memo::new(move |_| query.with(|q| Pedido::from_query(|k| q.get(k))));
    let loaded = RwSignal::new(None::<Result<(Balance, Vec<BarrioOutline>, Vec<Priorizacion>), String>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use crate::client::session::get_json;
        let p = pedido.get();
        leptos::task::spawn_local(async move {
            let answer = async {
                let b: Balance = get_json(&p.url("/api/v1/balance")).await?;
                let outlines: Vec<BarrioOutline> = get_json("/api/v1/ruta/mapa").await.unwrap_or_default();
                let hechas: Vec<Priorizacion> = get_json(&format!("/api/v1/balance/priorizaciones?municipio={}&periodo={}", b.municipio, b.periodo.code())).await.unwrap_or_default();
                Ok::<_, String>((b, outlines, hechas))
            };
            loaded.set(Some(answer.await));
        });
    });
    view! {
        <Title text="Balance de seguridad y convivencia — informe"/>
        <div class="report-page">
            <PrintActions back=Signal::derive(move || pedido.get().url("/balance")) label="← El balance"/>
            {move || match loaded.get() {
                None => view! { <p class="report-loading">"Preparando el informe…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="report-error error" role="alert">{e}</p> }.into_any(),
                Some(Ok((b, outlines, hechas))) => view! { <BalanceDocument balance=b outlines hechas/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn BalanceDocument(balance: Balance, outlines: Vec<BarrioOutline>, hechas: Vec<Priorizacion>) -> impl IntoView {
    let b = balance;
    let d = b.definicion.draft.clone();
    let sum: f64 = d.componentes.iter().map(|c| c.peso).sum();
    let name_of = |code: &str| b.indicadores.iter().find(|i| i.code == code).map_or_else(|| code.to_string(), |i| i.nombre.clone());
    let unit_of = |code: &str| b.indicadores.iter().find(|i| i.code == code).map(|i| i.unidad);
    let total = b.filas.iter().filter(|f| f.puesto.is_some()).count();
    let title = format!("Balance de seguridad y convivencia — cuatrimestre {} de {}", b.periodo.cuatrimestre, b.periodo.anio);
    let components: Vec<(String, String)> =
        d.componentes.iter().map(|c| (name_of(&c.indicador), format!("{} %", number_es(if sum > 0.0 { c.peso / sum * 100.0 } else { 0.0 }, 1)))).collect();
    let detail: Vec<_> = b.filas.iter().filter(|f| f.puesto.is_some()).take(DETALLE).cloned().collect();
    let codes: Vec<String> = d.componentes.iter().map(|c| c.indicador.clone()).collect();
    let sin = b.filas.iter().filter(|f| f.indice.is_none()).count();
    view! {
        <article class="report balance-doc" data-testid="balance-doc">
            <header class="report-head">
                <Letterhead process="Intervención en seguridad y convivencia territorial — paso 1: identificación de barrios"
                    facts=vec![("ISCB", format!("versión {}", b.definicion.version)), ("Generado", crate::model::workshop::when_es(b.generado_ms))]/>
                <h1>{title}</h1>
                <p class="report-subtitle">{format!("De {} · {} barrios con índice", b.periodo.meses_es(), total)}</p>
                <EjemploBanner ejemplo=b.ejemplo/>
            </header>
            <section class="report-section">
                <h2>"1. Método"</h2>
                <p>{format!(
                    "El Índice de Seguridad y Convivencia Barrial (ISCB, versión {}) combina {} indicadores del Observatorio de Seguridad y Convivencia. {} {} Un índice más bajo indica mayor necesidad de intervención.",
                    b.definicion.version,
                    components.len(),
                    match d.normalizacion {
                        Normalizacion::MinMax => "Cada indicador se normaliza de 0 (el mejor barrio) a 1 (el peor) y el índice va de 0 a 100.",
                        Normalizacion::ZScore => "Cada indicador se expresa en desviaciones estándar frente al promedio y el índice es un puntaje con promedio 50.",
                    },
                    if d.por_10k { "Los casos se expresan como tasas por 10.000 habitantes." } else { "Los casos se comparan sin convertirlos en tasas." },
                )}</p>
                <p>{d.periodo_referencia.map_or_else(|| "Periodo de referencia: el mismo cuatrimestre.".to_string(), |p| format!("Periodo de referencia: {}.", p.label_es()))}</p>
                <table class="report-table compact">
                    <thead><tr><th>"Indicador"</th><th>"Peso"</th></tr></thead>
                    <tbody>{components.into_iter().map(|(n, w)| view! { <tr><td>{n}</td><td class="num">{w}</td></tr> }).collect_view()}</tbody>
                </table>
                {(!d.nota.is_empty()).then(|| view! { <p class="report-note">{d.nota.clone()}</p> })}
            </section>
            <section class="report-section">
                <h2>"2. Mapa de la ciudad"</h2>
                {(!outlines.is_empty()).then(|| view! { <Choropleth outlines filas=b.filas.clone() cortes=b.cortes.clone()/> })}
            </section>
            <section class="report-section">
                <h2>{format!("3. Los {} barrios de mayor necesidad: cifras del cuatrimestre", detail.len())}</h2>
                <p class="report-note">"Por reserva estadística, los conteos menores que 3 se muestran como «< 3» y sus tasas no se muestran."</p>
                <table class="report-table compact figures" data-testid="balance-figures">
                    <thead><tr><th>"Puesto"</th><th>"Barrio"</th><th>"ISCB"</th>
                        {codes.iter().map(|c| view! { <th>{name_of(c)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {detail.into_iter().map(|f| view! {
                            <tr>
                                <td class="num">{f.puesto.unwrap_or_default()}</td>
                                <td>{f.name.clone()}</td>
                                <td class="num">{f.indice.map(|i| number_es(i, 1)).unwrap_or_default()}</td>
                                {codes.iter().map(|c| {
                                    let a = f.aportes.iter().find(|a| &a.indicador == c);
                                    let text = match (a, unit_of(c)) {
                                        (None, _) => "–".to_string(),
                                        (Some(a), Some(Unidad::Casos)) if a.valor < 3.0 => casos_para_afuera(a.valor),
                                        (Some(a), Some(Unidad::Casos)) => match a.tasa {
                                            Some(t) => format!("{} ({})", casos_para_afuera(a.valor), number_es(t, 1)),
                                            None => casos_para_afuera(a.valor),
                                        },
                                        (Some(a), _) => number_es(a.valor, 1),
                                    };
                                    view! { <td class="num">{text}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="report-note">"Entre paréntesis, la tasa por 10.000 habitantes."</p>
            </section>
            <section class="report-section">
                <h2>"4. Barrios elegidos para la intervención"</h2>
                {if hechas.is_empty() {
                    view! { <p class="muted">"(Aún no se han elegido barrios en este cuatrimestre.)"</p> }.into_any()
                } else {
                    view! {
                        <table class="report-table compact">
                            <thead><tr><th>"Barrio"</th><th>"Puesto"</th><th>"Motivo"</th></tr></thead>
                            <tbody>{hechas.into_iter().map(|p| view! {
                                <tr><td>{p.barrio.clone()}</td><td class="num">{p.puesto.map(|x| x.to_string()).unwrap_or_else(|| "–".into())}</td><td>{p.motivo.clone()}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            <section class="report-section">
                <h2>"5. Clasificación de los barrios"</h2>
                {(sin > 0).then(|| view! { <p class="report-note">{format!("{sin} barrios sin índice (falta su población o algún dato) van al final.")}</p> })}
                <table class="report-table compact ranking-print" data-testid="balance-ranking-print">
                    <thead><tr><th>"Puesto"</th><th>"Barrio"</th><th>"Comuna"</th><th>"ISCB"</th><th>"Δ cuatrimestre"</th><th>"Δ año"</th></tr></thead>
                    <tbody>{b.filas.iter().map(|f| view! {
                        <tr>
                            <td class="num">{f.puesto.map(|p| p.to_string()).unwrap_or_else(|| "–".into())}</td>
                            <td>{f.name.clone()}</td>
                            <td>{f.comuna.clone().unwrap_or_default()}</td>
                            <td class="num">{f.indice.map(|i| number_es(i, 1)).unwrap_or_else(|| "sin índice".into())}</td>
                            <td class="num">{cambio_es(f.cambio_anterior).0}</td>
                            <td class="num">{cambio_es(f.cambio_anual).0}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            </section>
            <SignatureBlocks roles=["Dirección Técnica", "Profesional Universitario", "Secretario(a) de Seguridad y Convivencia"]/>
        </article>
    }
}
