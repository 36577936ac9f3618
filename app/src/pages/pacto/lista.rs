//! `/ruta/:id/pacto`: a barrio's pactos and otrosíes, newest first, each with its state; staff
//! start a new pacto from a version of the barrio's diagnóstico.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use crate::components::account::RequireRole;
use crate::model::pacto::pacto::{titulo, EstadoPacto, NuevoPacto, Pacto, PactoResumen};
use crate::model::review::DiagnosticoSummary;
use crate::model::words::count_es;
use crate::model::workshop::{date_es, when_es};

#[component]
pub fn PactosPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="Los pactos de un barrio son para el equipo de la Secretaría y quienes facilitan en él.">
            <PactosPanel/>
        </RequireRole>
    }
}

/// The state of a line, as its chip says it.
pub fn estado_es(p: &PactoResumen) -> (&'static str, String) {
    match p.estado {
        EstadoPacto::Borrador => ("borrador", format!("Borrador · revisión {}", p.revision)),
        EstadoPacto::Firmado if p.vigente => ("vigente", "Firmado · vigente".to_string()),
        EstadoPacto::Firmado => ("reemplazado", "Firmado · ya no está vigente".to_string()),
    }
}

#[component]
fn PactosPanel() -> impl IntoView {
    let (barrio, _) = super::params();
    let list = RwSignal::new(None::<Result<Vec<PactoResumen>, String>>);
    let name = RwSignal::new(String::new());
    let staff = super::es_staff();
    Effect::new(move |_| {
        let Some(id) = barrio.get() else { return };
        leptos::task::spawn_local(async move {
            list.set(Some(api::get(&format!("/api/v1/barrios/{id}/pactos")).await.map_err(String::from)));
            if let Some(b) = crate::data::barrio(id).await.ok().flatten() {
                name.set(b.summary.name);
            }
        });
    });
    let back = move || format!("/ruta/{}", barrio.get().unwrap_or_default());
    view! {
        <Title text="Pactos del barrio"/>
        <section class="page staff pacto-page">
            <p class="crumbs"><a href=back>"← La ruta del barrio"</a></p>
            <h1>"Pacto de seguridad y convivencia"</h1>
            <p class="barrio-meta">
                {move || if name.get().is_empty() { String::new() } else { format!("Barrio {} · ", name.get()) }}
                "Paso 4 de la ruta: el diagnóstico se socializa con las instituciones y se firma el pacto con el CBSC. Cada compromiso dice quién, qué, dónde, para cuándo y cómo se sabrá que se cumplió."
            </p>
            {move || match list.get() {
                None => view! { <p class="loading">"Cargando los pactos…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(pactos)) => {
                    let b = barrio.get().unwrap_or_default();
                    let borrador = pactos.iter().find(|p| p.estado == EstadoPacto::Borrador).map(|p| p.id);
                    let firmado = pactos.iter().any(|p| p.estado == EstadoPacto::Firmado);
                    view! {
                        {if pactos.is_empty() {
                            view! { <p class="empty" data-testid="no-pactos">"Este barrio aún no tiene pacto."</p> }.into_any()
                        } else {
                            view! { <ul class="acta-list pacto-list" data-testid="pactos">{pactos.into_iter().map(|p| view! { <PactoLine barrio=b pacto=p/> }).collect_view()}</ul> }.into_any()
                        }}
                        {staff.get().then(|| view! { <NuevoPactoForm barrio=b borrador firmado/> })}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn PactoLine(barrio: i64, pacto: PactoResumen) -> impl IntoView {
    let (class, estado) = estado_es(&pacto);
    let fecha = if pacto.fecha.is_empty() { "Sin fecha".to_string() } else { date_es(&pacto.fecha) };
    let firmado = pacto.firmado_ms.map(|ms| format!(" · firmado el {}", when_es(ms))).unwrap_or_default();
    let facts = format!(
        "{fecha} · {} · diagnóstico versión {}{firmado}",
        count_es(pacto.compromisos, "compromiso", "compromisos"),
        pacto.diagnostico
    );
    let href = format!("/ruta/{barrio}/pacto/{}", pacto.id);
    view! {
        <li data-pacto=pacto.id.to_string() data-estado=class>
            <div>
                <strong>{titulo(pacto.version)}</strong>
                <span class=format!("pacto-estado {class}")>{estado}</span>
                <small>{facts}</small>
            </div>
            <span class="acta-actions">
                <a class="button small" href=href.clone()>"Abrir"</a>
                <a class="button small quiet" href=format!("{href}/imprimir")>"Imprimir"</a>
            </span>
        </li>
    }
}

/// "Nuevo pacto": from a version of the diagnóstico, while no draft is open.
#[component]
fn NuevoPactoForm(barrio: i64, borrador: Option<uuid::Uuid>, firmado: bool) -> impl IntoView {
    let versions = RwSignal::new(None::<Vec<DiagnosticoSummary>>);
    let chosen = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    if borrador.is_none() {
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                let list: Vec<DiagnosticoSummary> = api::get(&format!("/api/v1/barrios/{barrio}/diagnosticos")).await.unwrap_or_default();
                chosen.set(list.first().map(|v| v.number));
                versions.set(Some(list));
            });
        });
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(diagnostico) = chosen.get_untracked() else { return };
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::post::<Pacto>(&format!("/api/v1/barrios/{barrio}/pactos"), &NuevoPacto { diagnostico }).await {
                Ok(p) => navigate(&format!("/ruta/{barrio}/pacto/{}", p.id), Default::default()),
                Err(e) => {
                    error.set(Some(e.message));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="card-section pacto-nuevo" data-testid="nuevo-pacto">
            <h2>"Nuevo pacto"</h2>
            {match borrador {
                Some(id) => view! {
                    <p>"Ya hay un borrador de pacto: siga con él. Un pacto nuevo se empieza cuando no hay ninguno sin firmar."</p>
                    <p><a class="button small" href=format!("/ruta/{barrio}/pacto/{id}")>"Abrir el borrador"</a></p>
                }.into_any(),
                None => view! {
                    {firmado.then(|| view! { <p class="muted">"Para cambiar el pacto firmado, abra el pacto y haga un otrosí: así los compromisos guardan su historia. Un pacto nuevo empieza de cero."</p> })}
                    {move || match versions.get() {
                        None => view! { <p class="loading">"Cargando las versiones del diagnóstico…"</p> }.into_any(),
                        Some(list) if list.is_empty() => view! {
                            <p class="empty">"El barrio aún no tiene diagnóstico: el pacto se arma con los problemas, causas y soluciones del diagnóstico."</p>
                            <p><a class="button small" href=format!("/diagnostico/{barrio}")>"Ir al diagnóstico del barrio"</a></p>
                        }.into_any(),
                        Some(list) => view! {
                            <form class="upload-form" on:submit=submit.clone()>
                                <label class="field"><span>"Versión del diagnóstico"</span>
                                    <select name="diagnostico" on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                                        {list.into_iter().map(|v| {
                                            let n = v.number;
                                            let label = format!("Versión {n} · {} · {}", crate::model::report::date_es(v.created_at_ms), count_es(v.totals.hotspots, "punto crítico", "puntos críticos"));
                                            view! { <option value=n.to_string() selected=move || chosen.get() == Some(n)>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="button primary" disabled=move || busy.get() data-testid="crear-pacto">"Nuevo pacto"</button>
                            </form>
                        }.into_any(),
                    }}
                    {move || error.get().map(|e| view! { <p class="notice warn" role="alert">{e}</p> })}
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lines_state_reads_as_staff_say_it() {
        let mut p = PactoResumen {
            id: uuid::Uuid::from_u128(1),
            version: 1,
            anterior: None,
            diagnostico: 2,
            revision: 4,
            estado: EstadoPacto::Borrador,
            fecha: String::new(),
            compromisos: 3,
            firmado_ms: None,
            vigente: false,
            actualizado_ms: 0,
        };
        assert_eq!(estado_es(&p), ("borrador", "Borrador · revisión 4".to_string()));
        p.estado = EstadoPacto::Firmado;
        p.vigente = true;
        assert_eq!(estado_es(&p).0, "vigente");
        p.vigente = false;
        assert_eq!(estado_es(&p).0, "reemplazado");
    }
}
