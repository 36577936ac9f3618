//! Step 2's oficio de convocatoria: `/balance/oficio` writes one (institutions, date, place,
//! agenda, who signs) and lists those written; `/balance/oficio/:id` prints it as a letter.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::Pedido;
use crate::components::account::RequireRole;
use crate::components::document::{Letterhead, PrintActions};
use crate::model::balance::oficio::{Oficio, OficioDraft, INSTITUCIONES_HABITUALES};
use crate::model::balance::periodo::Periodo;
use crate::model::report::PROCEDURE_CODE;
use crate::model::workshop::date_es;

#[component]
pub fn OficioPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|r| r.is_staff() what="Los oficios de convocatoria son del equipo de la Secretaría.">
            <OficioForm/>
        </RequireRole>
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// The agenda a convocatoria usually carries, for the balance of `periodo`.
pub fn agenda_inicial(periodo: Periodo) -> String {
    [
        "Instalación y verificación de asistencia.".to_string(),
        format!("Presentación del balance de seguridad y convivencia del {}.", periodo.label_es()),
        "Barrios propuestos para la intervención y criterios de priorización.".to_string(),
        "Compromisos de las instituciones.".to_string(),
        "Proposiciones y varios.".to_string(),
    ]
    .iter()
    .enumerate()
    .map(|(i, l)| format!("{}. {l}", i + 1))
    .collect::<Vec<_>>()
    .join("\n")
}

#[component]
fn OficioForm() -> impl IntoView {
    let query = use_query_map();
    let pedido = query.with_untracked(|q| Pedido::from_query(|k| q.get(k)));
    #[cfg(feature = "hydrate")]
    let today = crate::model::workshop::colombia_date_time(crate::client::device::now_ms()).0;
    #[cfg(not(feature = "hydrate"))]
    let today = String::new();
    let periodo = RwSignal::new(pedido.periodo);
    let fecha = RwSignal::new(today);
    let reunion_fecha = RwSignal::new(String::new());
    let reunion_hora = RwSignal::new("09:00".to_string());
    let lugar = RwSignal::new(String::new());
    let radicado = RwSignal::new(String::new());
    let marcadas = RwSignal::new(INSTITUCIONES_HABITUALES.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let otras = RwSignal::new(String::new());
    let agenda = RwSignal::new(String::new());
    let firmante = RwSignal::new(String::new());
    let cargo = RwSignal::new("Secretario(a) de Seguridad y Convivencia".to_string());
    let status = RwSignal::new(None::<String>);
    let list = RwSignal::new(Vec::<Oficio>::new());
    let municipio = RwSignal::new(pedido.municipio.clone());

    let back = pedido.url("/balance");
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use crate::client::session::get_json;
        let p = pedido.clone();
        leptos::task::spawn_local(async move {
            // The balance names the city and the cuatrimestre when the link did not.
            if let Ok(b) = get_json::<crate::model::balance::informe::Balance>(&p.url("/api/v1/balance")).await {
                municipio.set(b.municipio.clone());
                if periodo.get_untracked().is_none() {
                    periodo.set(Some(b.periodo));
                }
            }
            if agenda.get_untracked().is_empty() {
                if let Some(p) = periodo.get_untracked() {
                    agenda.set(agenda_inicial(p));
                }
            }
            if let Ok(all) = get_json(&format!("/api/v1/oficios?municipio={}", municipio.get_untracked())).await {
                list.set(all);
            }
        });
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = periodo.get_untracked() else {
            status.set(Some("Falta el cuatrimestre del balance.".into()));
            return;
        };
        let mut instituciones = marcadas.get_untracked();
        instituciones.extend(otras.get_untracked().lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
        let draft = OficioDraft {
            municipio: municipio.get_untracked(),
            periodo: p,
            radicado: radicado.get_untracked(),
            fecha: fecha.get_untracked(),
            reunion_fecha: reunion_fecha.get_untracked(),
            reunion_hora: reunion_hora.get_untracked(),
            lugar: lugar.get_untracked(),
            instituciones,
            agenda: agenda.get_untracked(),
            firmante: firmante.get_untracked(),
            cargo: cargo.get_untracked(),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::session::post_json::<Oficio>("/api/v1/oficios", &draft).await {
                Ok(o) => {
                    let navigate = leptos_router::hooks::use_navigate();
                    navigate(&format!("/balance/oficio/{}", o.id), Default::default());
                }
                Err(e) => status.set(Some(e)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = draft;
    };
    let text = move |label: &'static str, name: &'static str, kind: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type=kind name=name prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <Title text="Oficio de convocatoria"/>
        <section class="page staff oficio-page">
            <p class="crumbs"><a href=back>"← El balance"</a></p>
            <h1>"Oficio de convocatoria al Comité Interinstitucional"</h1>
            <p class="barrio-meta">{move || periodo.get().map(|p| format!("Paso 2 de la ruta: la presentación del balance del {}.", p.label_es()))}</p>
            <form class="oficio-form" on:submit=submit>
                <div class="form-grid">
                    {text("Fecha del oficio", "fecha", "date", fecha)}
                    {text("Radicado (si ya lo tiene)", "radicado", "text", radicado)}
                    {text("Fecha de la reunión", "reunion_fecha", "date", reunion_fecha)}
                    {text("Hora", "reunion_hora", "time", reunion_hora)}
                </div>
                {text("Lugar", "lugar", "text", lugar)}
                <fieldset class="instituciones">
                    <legend>"Instituciones convocadas"</legend>
                    {INSTITUCIONES_HABITUALES.iter().map(|i| {
                        let name = i.to_string();
                        let (n2, n3) = (name.clone(), name.clone());
                        view! {
                            <label class="check-touch">
                                <input type="checkbox" name="institucion" value=name.clone() prop:checked=move || marcadas.with(|m| m.contains(&n2))
                                    on:change=move |ev| { let on = event_target_checked(&ev); let n = n3.clone(); marcadas.update(|m| { m.retain(|x| *x != n); if on { m.push(n); } }) }/>
                                <span>{name}</span>
                            </label>
                        }
                    }).collect_view()}
                    <label class="field">
                        <span>"Otras (una por línea)"</span>
                        <textarea name="otras" rows="2" prop:value=otras on:input=move |ev| otras.set(event_target_value(&ev))></textarea>
                    </label>
                </fieldset>
                <label class="field">
                    <span>"Orden del día (un punto por línea)"</span>
                    <textarea name="agenda" rows="6" prop:value=agenda on:input=move |ev| agenda.set(event_target_value(&ev))></textarea>
                </label>
                <div class="form-grid">
                    {text("Quién firma", "firmante", "text", firmante)}
                    {text("Cargo", "cargo", "text", cargo)}
                </div>
                {move || status.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <p><button type="submit" class="button primary" data-testid="oficio-guardar">"Guardar y ver para imprimir"</button></p>
            </form>
            <Show when=move || !list.with(Vec::is_empty)>
                <h2>"Oficios escritos"</h2>
                <ul class="oficios" data-testid="oficios">
                    {move || list.get().into_iter().map(|o| view! {
                        <li><a href=format!("/balance/oficio/{}", o.id)>{format!("{} · reunión del {} · {}", date_es(&o.draft.fecha), date_es(&o.draft.reunion_fecha), o.draft.periodo.label_es())}</a></li>
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[component]
pub fn OficioPrintPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|r| r.is_staff() what="Los oficios de convocatoria son del equipo de la Secretaría.">
            <OficioPrint/>
        </RequireRole>
    }
}

#[component]
fn OficioPrint() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let loaded = RwSignal::new(None::<Result<Oficio, String>>);
    #[cfg(feature = "hydrate")]
    {
        let id = id.clone();
        Effect::new(move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move { loaded.set(Some(crate::client::session::get_json(&format!("/api/v1/oficios/{id}")).await)) });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    view! {
        <Title text="Oficio de convocatoria"/>
        <div class="report-page">
            <PrintActions back="/balance/oficio".to_string() label="← Oficios"/>
            {move || match loaded.get() {
                None => view! { <p class="report-loading">"Preparando el oficio…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="report-error error" role="alert">{e}</p> }.into_any(),
                Some(Ok(o)) => view! { <OficioDocument oficio=o/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn OficioDocument(oficio: Oficio) -> impl IntoView {
    let d = oficio.draft;
    // The form numbers its lines ("1. …"); the printed list numbers them itself.
    let agenda: Vec<String> = d
        .agenda
        .lines()
        .map(|l| l.trim().trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ')' | '-')).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    view! {
        <article class="report oficio-doc" data-testid="oficio-doc">
            <header class="report-head">
                <Letterhead process="Intervención en seguridad y convivencia territorial — paso 2: socialización interinstitucional"
                    facts=vec![("Radicado", if d.radicado.is_empty() { "—".to_string() } else { d.radicado.clone() }), ("Fecha", date_es(&d.fecha))]/>
            </header>
            <p>{format!("Santa Marta, {}", date_es(&d.fecha))}</p>
            <p>"Señores"<br/><strong>"Comité Interinstitucional de Seguridad y Convivencia"</strong></p>
            <ul class="oficio-destinatarios">{d.instituciones.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul>
            <p><strong>"Asunto: "</strong>{format!("Convocatoria a la presentación del balance de seguridad y convivencia del {}", d.periodo.label_es())}</p>
            <p>"Cordial saludo."</p>
            <p>{format!(
                "De acuerdo con el procedimiento de intervención en seguridad y convivencia territorial ({PROCEDURE_CODE}), la Secretaría de Seguridad y Convivencia los convoca a la reunión del Comité Interinstitucional en la que se presentará el balance de seguridad y convivencia de los barrios del {} y los barrios propuestos para la intervención.",
                d.periodo.label_es()
            )}</p>
            <dl class="oficio-reunion">
                <div><dt>"Fecha"</dt><dd>{date_es(&d.reunion_fecha)}</dd></div>
                <div><dt>"Hora"</dt><dd>{d.reunion_hora.clone()}</dd></div>
                <div><dt>"Lugar"</dt><dd>{d.lugar.clone()}</dd></div>
            </dl>
            <h2>"Orden del día"</h2>
            <ol class="oficio-agenda">{agenda.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
            <p>"Agradecemos confirmar la asistencia de un delegado con capacidad de decisión."</p>
            <p>"Atentamente,"</p>
            <div class="signature oficio-firma">
                <p class="signature-field signature-sign"><span>"Firma:"</span></p>
                <p><strong>{d.firmante.clone()}</strong><br/>{d.cargo.clone()}</p>
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_agenda_names_the_balance_presented() {
        let agenda = agenda_inicial(Periodo::new(2026, 3).unwrap());
        assert!(agenda.starts_with("1. Instalación"));
        assert!(agenda.contains("2. Presentación del balance de seguridad y convivencia del cuatrimestre 3 de 2026."));
        assert_eq!(agenda.lines().count(), 5);
    }
}
