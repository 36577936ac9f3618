//! `/inscripcion`: a community asks to enrol its barrio in the route, with no account. Phone
//! first. The boxes are left uncontrolled (read when sending), so what someone typed before the
//! page's code arrived is never wiped by hydration; the hidden `sitio_web` box is the honeypot.

use leptos::prelude::*;
use leptos_meta::Title;

use super::barrio_list::fold;
use crate::model::inscripcion::{Canal, InscripcionDraft, MAX_CONTACTO_CHARS, MAX_MOTIVO_CHARS, MAX_ORGANIZACION_CHARS};
use crate::model::BarrioSummary;

/// Barrios the search lists at once: a city has hundreds, and typing narrows them.
const MATCHES_SHOWN: usize = 8;

/// The barrios whose name (or comuna) holds what was typed, without accents or case.
fn matches(barrios: &[BarrioSummary], query: &str) -> Vec<BarrioSummary> {
    let q = fold(query.trim());
    if q.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&BarrioSummary> =
        barrios.iter().filter(|b| fold(&b.name).contains(&q) || b.comuna.as_deref().is_some_and(|c| fold(c).contains(&q))).collect();
    // Names that start with the words first: "La Paz" before "Villa de la Paz".
    found.sort_by_key(|b| !fold(&b.name).starts_with(&q));
    found.into_iter().take(MATCHES_SHOWN).cloned().collect()
}

fn contact_label(canal: Canal) -> (&'static str, &'static str, &'static str, &'static str) {
    // (label, input type, autocomplete, placeholder)
    match canal {
        Canal::Telefono => ("Número de teléfono o celular", "tel", "tel", "300 123 4567"),
        Canal::Correo => ("Correo electrónico", "email", "email", "junta@ejemplo.com"),
        Canal::Otro => ("¿Cómo les encontramos?", "text", "off", "Por ejemplo: en el salón comunal, los martes"),
    }
}

fn by_channel(canal: Canal) -> &'static str {
    match canal {
        Canal::Telefono => "por teléfono",
        Canal::Correo => "por correo electrónico",
        Canal::Otro => "como nos indicaron",
    }
}

#[component]
pub fn InscripcionPage() -> impl IntoView {
    let barrios = RwSignal::new(Vec::<BarrioSummary>::new());
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<BarrioSummary>);
    let canal = RwSignal::new(Canal::Telefono);
    let motivo_chars = RwSignal::new(0usize);
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    // What was sent, for the confirmation.
    let sent = RwSignal::new(None::<(String, Canal, String)>);
    let search = NodeRef::<leptos::html::Input>::new();
    let organizacion = NodeRef::<leptos::html::Input>::new();
    let contacto = NodeRef::<leptos::html::Input>::new();
    let motivo = NodeRef::<leptos::html::Textarea>::new();
    let trap = NodeRef::<leptos::html::Input>::new();
    crate::components::hydration::keep_typed_before_hydration(search, query);
    Effect::new(move |_| {
        if let Some(m) = motivo.get_untracked() {
            motivo_chars.set(m.value().chars().count());
        }
        // A channel chosen before the page's code arrived.
        #[cfg(feature = "hydrate")]
        if let Some(checked) = document().query_selector("input[name=canal]:checked").ok().flatten() {
            if let Some(c) = checked.get_attribute("value").and_then(|v| Canal::parse(&v)) {
                canal.set(c);
            }
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::data::list_barrios().await {
                Ok(list) => barrios.set(list),
                Err(_) => error.set(Some("No se pudo cargar la lista de barrios: recargue la página con señal.".into())),
            }
        });
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let Some(barrio) = chosen.get_untracked() else {
            error.set(Some("Elija su barrio: escriba su nombre y tóquelo en la lista.".into()));
            return;
        };
        let value = |r: NodeRef<leptos::html::Input>| r.get_untracked().map(|e| e.value()).unwrap_or_default();
        let draft = InscripcionDraft {
            barrio_id: barrio.id,
            organizacion: value(organizacion),
            canal: canal.get_untracked(),
            contacto: value(contacto),
            motivo: motivo.get_untracked().map(|e| e.value()).unwrap_or_default(),
            sitio_web: value(trap),
        };
        // The server checks the rest and says what to fix in Spanish (a refusal it does not
        // count against the limit): the messages need not travel in every phone's download.
        sending.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let result = async {
                let request = gloo_net::http::Request::post("/api/v1/inscripciones").json(&draft).map_err(|e| e.to_string())?;
                let response =
                    request.send().await.map_err(|_| "Sin conexión: envíe la solicitud cuando tenga señal.".to_string())?;
                if response.ok() {
                    Ok(())
                } else {
                    Err(crate::client::session::refusal(response).await)
                }
            }
            .await;
            sending.set(false);
            match result {
                Ok(()) => {
                    sent.set(Some((barrio.name.clone(), draft.canal, draft.contacto.trim().to_string())));
                    crate::client::dom::scroll_into_view("inscripcion-top");
                }
                Err(e) => error.set(Some(e)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = draft;
    };

    let form = move || {
        view! {
            <form class="workshop-form insc-form" on:submit=submit data-testid="inscripcion-form" novalidate>
                <fieldset class="insc-step">
                    <legend>"1. Su barrio"</legend>
                    {move || match chosen.get() {
                        Some(b) => view! {
                            <div class="insc-chosen" data-testid="barrio-elegido" data-barrio=b.id>
                                <span><strong>{b.name.clone()}</strong>{b.comuna.clone().filter(|c| !c.trim().is_empty()).map(|c| view! { <small>{c}</small> })}</span>
                                <button type="button" class="button small quiet" on:click=move |_| chosen.set(None)>"Cambiar"</button>
                            </div>
                        }.into_any(),
                        None => view! {
                            <label>
                                <span>"Busque su barrio por el nombre"</span>
                                <input type="search" name="barrio-search" node_ref=search autocomplete="off" placeholder="Por ejemplo: Pescaíto"
                                    on:input=move |ev| query.set(event_target_value(&ev))/>
                            </label>
                            {move || {
                                let rows = barrios.with(|l| matches(l, &query.get()));
                                let typed = !query.get().trim().is_empty();
                                if rows.is_empty() {
                                    let text = if typed && !barrios.with(Vec::is_empty) {
                                        "Ningún barrio coincide: pruebe otra parte del nombre."
                                    } else {
                                        "Escriba parte del nombre y toque su barrio."
                                    };
                                    view! { <p class="muted">{text}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="barrio-picker" data-testid="barrio-matches">
                                            {rows.into_iter().map(|b| {
                                                let place = b.comuna.clone().filter(|c| !c.trim().is_empty()).map(|c| format!(" · {c}")).unwrap_or_default();
                                                let (id, name) = (b.id, b.name.clone());
                                                view! {
                                                    <li><button type="button" class="picker-row" data-barrio=id on:click=move |_| chosen.set(Some(b.clone()))>
                                                        <span>{name}</span><small>{place}</small>
                                                    </button></li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }
                            }}
                        }.into_any(),
                    }}
                </fieldset>
                <label class="insc-step">
                    <span>"2. Nombre de la Junta de Acción Comunal (JAC) o del comité de seguridad (CBSC)"</span>
                    <input type="text" name="organizacion" node_ref=organizacion autocomplete="organization" maxlength=MAX_ORGANIZACION_CHARS
                        placeholder="Por ejemplo: JAC del barrio Pescaíto"/>
                </label>
                <fieldset class="insc-step">
                    <legend>"3. ¿Cómo prefieren que les contactemos?"</legend>
                    <div class="insc-channels" role="radiogroup">
                        {Canal::ALL.into_iter().map(|c| view! {
                            <label class="insc-channel">
                                <input type="radio" name="canal" value=c.code() checked=c == Canal::Telefono on:change=move |_| canal.set(c)/>
                                <span>{c.label_es()}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    {move || {
                        let (label, kind, autocomplete, placeholder) = contact_label(canal.get());
                        view! {
                            <label>
                                <span>{label}</span>
                                <input type=kind name="contacto" node_ref=contacto autocomplete=autocomplete maxlength=MAX_CONTACTO_CHARS
                                    inputmode=if kind == "tel" { "tel" } else if kind == "email" { "email" } else { "text" } placeholder=placeholder/>
                            </label>
                        }
                    }}
                </fieldset>
                <label class="insc-step">
                    <span>"4. ¿Por qué quieren entrar a la ruta?"</span>
                    <textarea name="motivo" node_ref=motivo rows="5" maxlength=MAX_MOTIVO_CHARS
                        placeholder="Qué pasa en el barrio y qué esperan de la ruta"
                        on:input=move |ev| motivo_chars.set(event_target_value(&ev).chars().count())></textarea>
                    <small class="muted">{move || format!("{} de {}.{:03} caracteres", motivo_chars.get(), MAX_MOTIVO_CHARS / 1000, MAX_MOTIVO_CHARS % 1000)}</small>
                </label>
                // Hidden from people (and from screen readers); bots fill every box they find.
                <div class="insc-trap" aria-hidden="true">
                    <label>"Sitio web (deje esto vacío)"<input type="text" name="sitio_web" node_ref=trap tabindex="-1" autocomplete="off"/></label>
                </div>
                <p class="muted">"Su contacto solo lo ve el equipo de la Secretaría: no se publica."</p>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="inscripcion-error">{e}</p> })}
                <button type="submit" class="button primary" prop:disabled=move || sending.get()>
                    {move || if sending.get() { "Enviando…" } else { "Enviar la solicitud" }}
                </button>
            </form>
        }
    };

    view! {
        <Title text="Inscribir el barrio en la ruta"/>
        <section class="page insc-page" id="inscripcion-top">
            <h1>"Inscriba su barrio en la ruta de la seguridad"</h1>
            {move || match sent.get() {
                None => view! {
                    <p class="lead">"La ruta de la Secretaría de Seguridad y Convivencia está abierta a todas las comunidades que quieran un barrio más seguro. Cuéntenos quiénes son y cómo contactarles."</p>
                    {form()}
                }.into_any(),
                Some((barrio, canal, contacto)) => view! {
                    <div class="insc-done" role="status" data-testid="inscripcion-recibida">
                        <h2>"Recibimos su solicitud"</h2>
                        <p>{format!("Recibimos su solicitud para inscribir el barrio {barrio} en la ruta. El equipo de la Secretaría la revisará y les contactará {} ({contacto}).", by_channel(canal))}</p>
                        <a class="button primary" href="/">"Volver al inicio"</a>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn barrio(id: i64, name: &str) -> BarrioSummary {
        BarrioSummary { id, code: fold(name), municipio: "47001".into(), name: name.into(), comuna: Some("Comuna 5".into()), area_ha: 1.0 }
    }

    #[test]
    fn the_search_finds_barrios_by_part_of_the_name_without_accents_starts_first() {
        let list = vec![barrio(1, "Villa de la Paz"), barrio(2, "La Paz"), barrio(3, "Pescaíto")];
        let ids = |q: &str| matches(&list, q).iter().map(|b| b.id).collect::<Vec<_>>();
        assert_eq!(ids("la paz"), vec![2, 1], "names that start with it first");
        assert_eq!(ids("paz").len(), 2);
        assert_eq!(ids("PESCAITO"), vec![3]);
        assert_eq!(ids("  "), Vec::<i64>::new(), "nothing until something is typed");
        assert_eq!(ids("comuna 5").len(), 3);
        let many: Vec<BarrioSummary> = (0..40).map(|i| barrio(i, &format!("Barrio {i}"))).collect();
        assert_eq!(matches(&many, "barrio").len(), MATCHES_SHOWN);
    }
}
