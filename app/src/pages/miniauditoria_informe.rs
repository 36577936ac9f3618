//! `/ruta/:id/miniauditoria/:m/informe`: the informe de miniauditoría (the registro of paso 6)
//! on A4 or Letter — who came, the hotspots then and now on two maps, each compromiso as the
//! group found it and as it stands, the immediate measures, and the signatures.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::components::account::RequireRole;
use crate::components::document::{Letterhead, PrintActions, SignatureBlocks};
use crate::map::hotspots::HotspotMap;
use crate::model::miniauditoria::{InformeMiniauditoria, Sigue};
use crate::model::pacto::borrador::category_name;
use crate::model::report::PROCEDURE_CODE;
use crate::model::words::count_es;
use crate::model::workshop::date_es;

#[component]
pub fn InformeMiniauditoriaPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="El informe de una miniauditoría es para el equipo de la Secretaría y quienes facilitan en el barrio.">
            <InformePrint/>
        </RequireRole>
    }
}

#[component]
fn InformePrint() -> impl IntoView {
    let params = use_params_map();
    let barrio = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let id = Memo::new(move |_| params.with(|p| p.get("m").and_then(|s| s.parse::<Uuid>().ok())));
    let loaded = RwSignal::new(None::<Result<InformeMiniauditoria, String>>);
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            loaded.set(Some(Err("Esa miniauditoría no existe.".into())));
            return;
        };
        leptos::task::spawn_local(async move {
            let result = super::pacto::api::get::<InformeMiniauditoria>(&format!("/api/v1/miniauditorias/{id}/informe")).await;
            loaded.set(Some(result.map_err(String::from)));
        });
    });
    view! {
        <Title text="Informe de miniauditoría"/>
        <div class="report-page">
            <PrintActions back=Signal::derive(move || format!("/ruta/{}", barrio.get())) label="← La ruta del barrio"/>
            {move || match loaded.get() {
                None => view! { <p class="report-loading">"Preparando el informe…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="report-error error" role="alert">{e}</p> }.into_any(),
                Some(Ok(informe)) => view! { <InformeDocument informe/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn InformeDocument(informe: InformeMiniauditoria) -> impl IntoView {
    let m = informe.miniauditoria.clone();
    let barrio_name = informe.barrio.summary.name.clone();
    let mut subtitle = format!("Barrio {barrio_name} · {}", date_es(&m.fecha));
    if !m.lugar.is_empty() {
        subtitle.push_str(&format!(" · {}", m.lugar));
    }
    let [si, menos, no, nose] = m.conteo();
    let sin_visitar = informe.hotspots.iter().filter(|h| m.respuesta(h.id).is_none()).count();
    let resumen = format!("Sigue: {si} · Menos: {menos} · Ya no: {no} · No sé: {nose} · Sin visitar: {sin_visitar}");
    let tint: HashMap<Uuid, (&'static str, &'static str)> =
        m.recorrido.iter().map(|p| (p.hotspot_id, (p.sigue.color(), p.sigue.code()))).collect();
    let hotspots = informe.hotspots.clone();
    // The walk in the session's order, then the places not visited.
    let mut filas: Vec<(String, u32, String, String)> = m
        .recorrido
        .iter()
        .filter_map(|p| {
            let h = hotspots.iter().find(|h| h.id == p.hotspot_id)?;
            Some((
                category_name(&h.category),
                h.count,
                p.sigue.label_es().to_string(),
                if p.nota.is_empty() { "—".into() } else { p.nota.clone() },
            ))
        })
        .collect();
    filas.extend(
        hotspots
            .iter()
            .filter(|h| m.respuesta(h.id).is_none())
            .map(|h| (category_name(&h.category), h.count, "Sin visitar".into(), "—".into())),
    );
    let a = m.asistencia;
    let foot = format!("Cartobarrio · miniauditoría {} · versión {} · {PROCEDURE_CODE}", m.id, m.version);
    let firmas = [
        "Secretaría de Seguridad y Convivencia".to_string(),
        "Comité Barrial de Seguridad y Convivencia (CBSC)".to_string(),
        "Junta de Acción Comunal".to_string(),
    ];
    let barrio_then = informe.barrio.clone();
    let barrio_now = informe.barrio.clone();
    let (h_then, h_now) = (hotspots.clone(), hotspots);
    let sel_then = RwSignal::new(None::<Uuid>);
    let sel_now = RwSignal::new(None::<Uuid>);
    let diagnostico = m.diagnostico;
    view! {
        <article class="report mini-doc" data-testid="mini-informe">
            <header class="report-head">
                <Letterhead process="Intervención en seguridad y convivencia territorial — paso 6: miniauditorías"
                    facts=vec![("Fecha", date_es(&m.fecha)), ("Diagnóstico", format!("n.º {diagnostico}"))]/>
                <h1>{format!("Informe de miniauditoría — {barrio_name}")}</h1>
                <p class="report-subtitle">{subtitle}</p>
                {(!m.cerrada).then(|| view! {
                    <p class="report-note warn" data-testid="mini-borrador">"Borrador: la miniauditoría sigue abierta y este informe puede cambiar."</p>
                })}
            </header>
            <section class="report-section">
                <h2>"1. Asistencia"</h2>
                <table class="report-table compact" data-testid="mini-asistencia-doc">
                    <thead><tr><th>"Comunidad"</th><th>"Policía"</th><th>"Secretarías"</th><th>"Otras"</th><th>"Total"</th></tr></thead>
                    <tbody><tr><td>{a.comunidad}</td><td>{a.policia}</td><td>{a.secretarias}</td><td>{a.otras}</td><td>{a.total()}</td></tr></tbody>
                </table>
            </section>
            <section class="report-section">
                <h2>"2. Recorrido: ¿sigue el problema?"</h2>
                <p class="report-note" data-testid="mini-resumen">{resumen}</p>
                <div class="mini-maps">
                    <figure>
                        <HotspotMap barrio=barrio_then hotspots=Signal::derive(move || h_then.clone()) selected=sel_then interactive=false/>
                        <figcaption>{format!("Antes: puntos críticos del diagnóstico n.º {diagnostico}")}</figcaption>
                    </figure>
                    <figure>
                        <HotspotMap barrio=barrio_now hotspots=Signal::derive(move || h_now.clone()) selected=sel_now interactive=false
                            tint=Signal::derive(move || tint.clone())/>
                        <figcaption>"Ahora: lo que encontró el recorrido"</figcaption>
                    </figure>
                </div>
                <ul class="mini-legend">
                    {[Sigue::Si, Sigue::Menos, Sigue::No, Sigue::NoSe].into_iter().map(|s| view! {
                        <li><span class="mini-swatch" style=format!("border-color: {}", s.color())></span>{s.label_es()}</li>
                    }).collect_view()}
                    <li><span class="mini-swatch none"></span>"Sin visitar"</li>
                </ul>
                <table class="report-table compact" data-testid="mini-recorrido-doc">
                    <thead><tr><th class="num">"No."</th><th>"Lugar"</th><th class="num">"Marcas"</th><th>"¿Sigue?"</th><th>"Nota"</th></tr></thead>
                    <tbody>
                        {filas.into_iter().enumerate().map(|(i, (lugar, marcas, sigue, nota))| view! {
                            <tr><td class="num">{i + 1}</td><td>{lugar}</td><td class="num">{marcas}</td><td>{sigue}</td><td>{nota}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="report-section">
                <h2>"3. Compromisos del pacto"</h2>
                {if informe.compromisos.is_empty() {
                    view! { <p>"(El barrio no tiene compromisos en seguimiento)"</p> }.into_any()
                } else {
                    view! {
                        <table class="report-table compact" data-testid="mini-compromisos-doc">
                            <thead><tr><th>"Responsable"</th><th>"Compromiso"</th><th>"Fecha límite"</th><th>"Lo encontraron"</th><th>"Evidencia"</th><th>"Estado hoy"</th></tr></thead>
                            <tbody>
                                {informe.compromisos.iter().map(|k| view! {
                                    <tr>
                                        <td>{informe.institucion(&k.responsable)}</td>
                                        <td>{k.que.clone()}</td>
                                        <td>{if k.fecha_limite.is_empty() { "—".to_string() } else { date_es(&k.fecha_limite) }}</td>
                                        <td>{k.revisado.map_or("Sin revisar", |e| e.label_es())}</td>
                                        <td>{if k.evidencia.is_empty() { "—".to_string() } else { k.evidencia.clone() }}</td>
                                        <td>{k.ahora.label_es()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            <section class="report-section">
                <h2>"4. Medidas inmediatas"</h2>
                <p class="report-note">{format!("{}: se suman al seguimiento del pacto.", count_es(m.medidas.len(), "medida acordada", "medidas acordadas"))}</p>
                {(!m.medidas.is_empty()).then(|| view! {
                    <table class="report-table compact" data-testid="mini-medidas-doc">
                        <thead><tr><th class="num">"No."</th><th>"Medida"</th><th>"Responsable"</th><th>"Fecha límite"</th><th>"Lugar"</th></tr></thead>
                        <tbody>
                            {m.medidas.iter().enumerate().map(|(i, x)| {
                                let lugar = x.hotspot_id
                                    .and_then(|h| informe.hotspots.iter().find(|s| s.id == h))
                                    .map_or_else(|| "Todo el barrio".to_string(), |h| category_name(&h.category));
                                view! {
                                    <tr><td class="num">{i + 1}</td><td>{x.que.clone()}</td><td>{informe.institucion(&x.responsable)}</td>
                                        <td>{date_es(&x.fecha_limite)}</td><td>{lugar}</td></tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
            </section>
            <section class="report-section">
                <h2>"5. Observaciones"</h2>
                <p>{if m.observaciones.is_empty() { "(Sin observaciones)".to_string() } else { m.observaciones.clone() }}</p>
            </section>
            <SignatureBlocks roles=firmas/>
            <footer class="report-foot">{foot}</footer>
        </article>
    }
}
