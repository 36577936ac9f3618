//! The barrio's committee (CBSC) on its route page: how it stands now — state, date formed,
//! members, offices filled — and, for staff, a form that records a new version. Member names
//! are optional and reach only staff: these people can be targeted.

use leptos::prelude::*;

use crate::model::cbsc::{Cbsc, CbscHistoria, EstadoCbsc, MiembroCbsc, RolCbsc};
use crate::model::workshop::{date_es, when_es};

/// Names typed one per line, "Nombre — rol" or just the name, as members.
pub fn parse_names(text: &str) -> Vec<MiembroCbsc> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, rol) = match line.rsplit_once(['—', '-', ':']) {
                Some((name, office)) => match RolCbsc::ALL.into_iter().find(|r| r.label_es().eq_ignore_ascii_case(office.trim())) {
                    Some(rol) => (name.trim(), Some(rol)),
                    None => (line, None),
                },
                None => (line, None),
            };
            MiembroCbsc { nombre: name.to_string(), rol }
        })
        .collect()
}

fn names_text(names: &[MiembroCbsc]) -> String {
    names.iter().map(|m| match m.rol { Some(r) => format!("{} — {}", m.nombre, r.label_es()), None => m.nombre.clone() }).collect::<Vec<_>>().join("\n")
}

#[component]
pub fn CbscPanel(barrio: i64, staff: Signal<bool>) -> impl IntoView {
    let history = RwSignal::new(None::<Result<CbscHistoria, String>>);
    let version = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move { history.set(Some(crate::client::session::get_json(&format!("/api/v1/barrios/{barrio}/cbsc")).await)) });
    });
    view! {
        <section class="cbsc" data-testid="cbsc">
            <h2>"Comité barrial de seguridad y convivencia (CBSC)"</h2>
            {move || match history.get() {
                None => view! { <p class="loading">"Cargando el comité…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="muted">{e}</p> }.into_any(),
                Some(Ok(h)) => {
                    let now = h.actual().cloned();
                    view! {
                        {match now.clone() {
                            Some(c) => view! { <CbscFacts cbsc=c/> }.into_any(),
                            None => view! { <p class="empty">"Aún no se ha registrado el comité de este barrio."</p> }.into_any(),
                        }}
                        <Show when=move || staff.get()>
                            <CbscForm barrio current=now.clone() version/>
                        </Show>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn CbscFacts(cbsc: Cbsc) -> impl IntoView {
    let roles = if cbsc.roles.is_empty() { "Ninguno".to_string() } else { cbsc.roles.iter().map(|r| r.label_es()).collect::<Vec<_>>().join(", ") };
    let formed = if cbsc.fecha_conformacion.is_empty() { "—".to_string() } else { date_es(&cbsc.fecha_conformacion) };
    view! {
        <dl class="cbsc-facts" data-estado=format!("{:?}", cbsc.estado)>
            <div><dt>"Estado"</dt><dd>{cbsc.estado.label_es()}</dd></div>
            <div><dt>"Conformado"</dt><dd>{formed}</dd></div>
            <div><dt>"Integrantes"</dt><dd>{cbsc.miembros}</dd></div>
            <div><dt>"Cargos ocupados"</dt><dd>{roles}</dd></div>
        </dl>
        {cbsc.nombres.filter(|n| !n.is_empty()).map(|n| view! {
            <details class="cbsc-names">
                <summary>{format!("Nombres ({}) — solo para el equipo, nunca se exportan ni se publican", n.len())}</summary>
                <ul>{n.into_iter().map(|m| view! { <li>{m.nombre}{m.rol.map(|r| format!(" — {}", r.label_es()))}</li> }).collect_view()}</ul>
            </details>
        })}
        <p class="muted">{format!("Versión {} · registrada por {} el {}", cbsc.version, cbsc.by, when_es(cbsc.at_ms))}</p>
    }
}

#[component]
fn CbscForm(barrio: i64, current: Option<Cbsc>, version: RwSignal<u32>) -> impl IntoView {
    let estado = RwSignal::new(current.as_ref().map_or(EstadoCbsc::EnConformacion, |c| c.estado));
    let fecha = RwSignal::new(current.as_ref().map(|c| c.fecha_conformacion.clone()).unwrap_or_default());
    let miembros = RwSignal::new(current.as_ref().map_or(0, |c| c.miembros));
    let roles = RwSignal::new(current.as_ref().map(|c| c.roles.clone()).unwrap_or_default());
    let names = RwSignal::new(current.as_ref().and_then(|c| c.nombres.as_deref()).map(names_text).unwrap_or_default());
    let status = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = crate::model::cbsc::CbscDraft {
            fecha_conformacion: fecha.get_untracked(),
            miembros: miembros.get_untracked(),
            roles: roles.get_untracked(),
            estado: estado.get_untracked(),
            nombres: parse_names(&names.get_untracked()),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let answer: Result<serde_json::Value, String> = crate::client::session::post_json(&format!("/api/v1/barrios/{barrio}/cbsc"), &draft).await;
            match answer {
                Ok(_) => {
                    status.set(Some((true, "Comité actualizado.".into())));
                    version.update(|v| *v += 1);
                }
                Err(e) => status.set(Some((false, e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (draft, barrio, version);
    };
    view! {
        <details class="cbsc-edit">
            <summary class="button small">"Actualizar el comité"</summary>
            <form class="upload-form" on:submit=submit data-testid="cbsc-form">
                <label class="field"><span>"Estado"</span>
                    <select name="estado" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(e) = EstadoCbsc::ALL.into_iter().find(|e| e.label_es() == v) { estado.set(e) }
                    }>
                        {EstadoCbsc::ALL.into_iter().map(|e| view! { <option value=e.label_es() selected=move || estado.get() == e>{e.label_es()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Fecha de conformación"</span>
                    <input type="date" name="fecha_conformacion" prop:value=fecha on:input=move |ev| fecha.set(event_target_value(&ev))/>
                </label>
                <label class="field"><span>"Cuántos integrantes"</span>
                    <input type="number" inputmode="numeric" min="0" max="500" name="miembros" prop:value=move || miembros.get().to_string()
                        on:input=move |ev| miembros.set(event_target_value(&ev).trim().parse().unwrap_or(0))/>
                </label>
                <fieldset class="wide chips" aria-label="Cargos ocupados">
                    <legend>"Cargos ocupados"</legend>
                    {RolCbsc::ALL.into_iter().map(|r| view! {
                        <label class="toggle">
                            <input type="checkbox" name="rol" value=r.label_es() prop:checked=move || roles.with(|all| all.contains(&r))
                                on:change=move |ev| { let on = event_target_checked(&ev); roles.update(|all| { all.retain(|x| *x != r); if on { all.push(r); all.sort(); } }); }/>
                            <span>{r.label_es()}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <label class="field wide"><span>"Nombres (opcional, uno por línea, «Nombre — cargo»): solo los ve el equipo"</span>
                    <textarea name="nombres" rows="3" prop:value=names on:input=move |ev| names.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="button primary">"Guardar el comité"</button>
                {move || status.get().map(|(ok, t)| view! { <p class=if ok { "notice ok wide" } else { "notice warn wide" } role="status" data-testid="cbsc-status">{t}</p> })}
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_one_per_line_with_their_office() {
        let members = parse_names("Ana Pérez — Presidencia\n\n  Luis Gómez\nMarta Ruiz: tesorería\nJosé-María Díaz");
        let seen: Vec<(&str, Option<RolCbsc>)> = members.iter().map(|m| (m.nombre.as_str(), m.rol)).collect();
        assert_eq!(
            seen,
            vec![("Ana Pérez", Some(RolCbsc::Presidente)), ("Luis Gómez", None), ("Marta Ruiz", Some(RolCbsc::Tesorero)), ("José-María Díaz", None)]
        );
        assert_eq!(names_text(&members[..2]), "Ana Pérez — Presidencia\nLuis Gómez");
    }
}
