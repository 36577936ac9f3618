//! `/ruta/inscripciones`: staff review the communities' requests to enter the route, the
//! pending ones first, and accept (a ciclo of the barrio opens at step 1) or decline with a
//! reason. The contacts are personal data: loaded from the API once the page runs in the
//! browser, never rendered into the HTML.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::account::StaffOnly;
use crate::model::inscripcion::{Canal, DecisionDraft, Inscripcion, Veredicto, MAX_RAZON_CHARS};
use crate::model::workshop::when_es;

/// Decided requests the server lists at most (the most recent).
const DECIDED_SHOWN: usize = 200;

/// Where a contact can be reached from a tablet or a computer: a call or a message.
fn contact_href(canal: Canal, contacto: &str) -> Option<String> {
    match canal {
        Canal::Telefono => Some(format!("tel:{}", contacto.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())),
        // The server checked it is an address; the scheme is fixed, so it cannot be a script.
        Canal::Correo => Some(format!("mailto:{contacto}")),
        Canal::Otro => None,
    }
}

#[component]
pub fn InscripcionesPage() -> impl IntoView {
    view! {
        <Title text="Solicitudes de inscripción"/>
        <section class="page insc-staff">
            <StaffOnly what="Las solicitudes de inscripción son para el equipo de la Secretaría.">
                <InscripcionesPanel/>
            </StaffOnly>
        </section>
    }
}

#[component]
fn InscripcionesPanel() -> impl IntoView {
    // None: loading.
    let list = RwSignal::new(None::<Result<Vec<Inscripcion>, String>>);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let reload = move || {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            list.set(Some(crate::client::session::get_json::<Vec<Inscripcion>>("/api/v1/inscripciones").await));
        });
    };
    Effect::new(move |_| reload());
    // The server checks the decision and says in Spanish what is missing.
    let decide = move |item: Inscripcion, draft: DecisionDraft| {
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/inscripciones/{}/decision", item.id);
            match crate::client::session::post_json::<Inscripcion>(&url, &draft).await {
                Ok(done) => {
                    let text = match done.decision.map(|d| d.veredicto) {
                        Some(Veredicto::Aceptada) => {
                            format!("{} entró a la ruta: ciclo abierto en el paso 1.", done.barrio_name)
                        }
                        _ => format!("Rechazada la solicitud de {}.", done.barrio_name),
                    };
                    message.set(Some((true, text)));
                    reload();
                }
                Err(e) => message.set(Some((false, format!("{}: {e}", item.barrio_name)))),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (item, draft);
    };

    view! {
        <h1>"Solicitudes de inscripción en la ruta"</h1>
        <p class="lead">"Al aceptar una, se abre un ciclo del barrio en el paso 1. El contacto es solo para el equipo: no se publica ni se exporta."</p>
        {move || message.get().map(|(ok, text)| view! {
            <p class=if ok { "insc-message ok" } else { "insc-message error" } role="status" data-testid="inscripciones-message">{text}</p>
        })}
        {move || match list.get() {
            None => view! { <p class="loading">"Cargando…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            Some(Ok(all)) => {
                let (pending, decided): (Vec<_>, Vec<_>) = all.into_iter().partition(Inscripcion::is_pending);
                let heading = format!("Pendientes ({})", pending.len());
                view! {
                    <h2>{heading}</h2>
                    {pending.is_empty().then(|| view! { <p class="muted" data-testid="sin-pendientes">"No hay solicitudes pendientes."</p> })}
                    <ul class="insc-cards">
                        {pending.into_iter().map(|item| view! { <PendingCard item decide busy/> }).collect_view()}
                    </ul>
                    <h2>"Respondidas"</h2>
                    {if decided.is_empty() {
                        view! { <p class="muted">"Aún no se ha respondido ninguna."</p> }.into_any()
                    } else {
                        view! { <DecidedTable items=decided/> }.into_any()
                    }}
                }.into_any()
            }
        }}
    }
}

#[component]
fn PendingCard(
    item: Inscripcion,
    decide: impl Fn(Inscripcion, DecisionDraft) + Copy + Send + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let href = contact_href(item.canal, &item.contacto);
    let contacto = item.contacto.clone();
    let (for_accept, for_decline) = (item.clone(), item.clone());
    view! {
        <li class="insc-card" data-testid="inscripcion-pendiente" data-id=item.id.to_string() data-barrio=item.barrio_id>
            <h3>
                {item.barrio_name.clone()}
                {item.comuna.clone().filter(|c| !c.trim().is_empty()).map(|c| view! { <small>{c}</small> })}
            </h3>
            <dl class="insc-facts">
                <div><dt>"Quién pide"</dt><dd>{item.organizacion.clone()}</dd></div>
                <div><dt>{item.canal.label_es()}</dt><dd>{match href {
                    Some(h) => view! { <a href=h>{contacto}</a> }.into_any(),
                    None => view! { <span>{contacto}</span> }.into_any(),
                }}</dd></div>
                <div><dt>"Recibida"</dt><dd>{when_es(item.received_at_ms)}</dd></div>
            </dl>
            <p class="insc-why">{item.motivo.clone()}</p>
            <div class="insc-actions">
                <button type="button" class="button primary" data-testid="aceptar" prop:disabled=move || busy.get()
                    on:click=move |_| decide(for_accept.clone(), DecisionDraft { veredicto: Veredicto::Aceptada, reason: String::new() })>
                    "Aceptar y abrir el ciclo"
                </button>
                <label class="field">
                    <span>"Razón para rechazar"</span>
                    <textarea name="razon" rows="2" maxlength=MAX_RAZON_CHARS prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </label>
                <button type="button" class="button small" data-testid="rechazar" prop:disabled=move || busy.get()
                    on:click=move |_| decide(for_decline.clone(), DecisionDraft { veredicto: Veredicto::Rechazada, reason: reason.get_untracked() })>
                    "Rechazar"
                </button>
            </div>
        </li>
    }
}

#[component]
fn DecidedTable(items: Vec<Inscripcion>) -> impl IntoView {
    let shown = items.len();
    view! {
        <div class="table-wrap">
            <table class="report-table" data-testid="inscripciones-decididas">
                <thead><tr>
                    <th scope="col">"Barrio"</th><th scope="col">"Quién pide"</th><th scope="col">"Contacto"</th>
                    <th scope="col">"Decisión"</th><th scope="col">"Por"</th><th scope="col">"Razón"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|i| {
                        let d = i.decision.clone();
                        let verdict = match d.as_ref().map(|d| d.veredicto) {
                            Some(Veredicto::Aceptada) => "Aceptada: ciclo abierto",
                            _ => "Rechazada",
                        };
                        view! {
                            <tr data-id=i.id.to_string()>
                                <td><a href=format!("/ruta/{}", i.barrio_id)>{i.barrio_name.clone()}</a></td>
                                <td>{i.organizacion.clone()}<br/><small class="muted">{format!("Recibida {}", when_es(i.received_at_ms))}</small></td>
                                <td>{i.contacto.clone()}</td>
                                <td>{verdict}<br/><small class="muted">{d.as_ref().map(|d| when_es(d.at_ms)).unwrap_or_default()}</small></td>
                                <td>{d.as_ref().map(|d| d.by.clone()).unwrap_or_default()}</td>
                                <td>{d.map(|d| d.reason).unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(shown >= DECIDED_SHOWN).then(|| view! { <p class="muted">{format!("Se muestran las {DECIDED_SHOWN} respondidas más recientes.")}</p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_becomes_a_call_or_a_message() {
        assert_eq!(contact_href(Canal::Telefono, "+57 (300) 123-4567").as_deref(), Some("tel:+573001234567"));
        assert_eq!(contact_href(Canal::Correo, "jac@correo.co").as_deref(), Some("mailto:jac@correo.co"));
        assert_eq!(contact_href(Canal::Otro, "salón comunal"), None);
    }
}
