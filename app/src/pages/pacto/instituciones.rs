//! `/instituciones`: the catalogue of institutions the compromisos name — name, kind, contacts
//! (a position, and a person's name only if kept), active or not. Admins edit an entry (each
//! edit is a new version) or add one; every other account reads it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{api, codigo_de};
use crate::components::account::{use_session, RequireRole};
use crate::model::account::Role;
use crate::model::pacto::institucion::{
    Contacto, Institucion, InstitucionDraft, TipoInstitucion, MAX_CONTACTS, MAX_CONTACT_CHARS, MAX_NAME_CHARS,
};
use crate::model::workshop::when_es;
use crate::model::Bilingual;

const TIPOS: [TipoInstitucion; 3] = [TipoInstitucion::Publica, TipoInstitucion::Privada, TipoInstitucion::Comunidad];

/// The catalogue as the page lists it: public, private, then the community's; active first
/// within each; by name.
pub fn ordenadas(mut all: Vec<Institucion>) -> Vec<Institucion> {
    let rank = |t: TipoInstitucion| TIPOS.iter().position(|x| *x == t).unwrap_or(TIPOS.len());
    all.sort_by(|a, b| {
        rank(a.tipo).cmp(&rank(b.tipo)).then(b.activa.cmp(&a.activa)).then_with(|| a.nombre.to_lowercase().cmp(&b.nombre.to_lowercase()))
    });
    all
}

#[component]
pub fn InstitucionesPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="El catálogo de instituciones es para las cuentas del equipo y de quienes facilitan.">
            <InstitucionesPanel/>
        </RequireRole>
    }
}

#[component]
fn InstitucionesPanel() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<Institucion>, String>>);
    let recargar = RwSignal::new(0u32);
    let session = use_session();
    let admin = Signal::derive(move || session.user().is_some_and(|u| u.role == Role::Admin));
    let staff = super::es_staff();
    Effect::new(move |_| {
        recargar.track();
        leptos::task::spawn_local(async move {
            list.set(Some(api::get::<Vec<Institucion>>("/api/v1/instituciones").await.map(ordenadas).map_err(String::from)));
        });
    });
    let taken = Signal::derive(move || {
        list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map(|v| v.iter().map(|i| i.codigo.clone()).collect()).unwrap_or_default())
    });
    view! {
        <Title text="Instituciones"/>
        <section class="page staff pacto-page">
            <p class="crumbs"><a href="/ruta">"← La ruta de los barrios"</a></p>
            <h1>"Instituciones"</h1>
            <p class="barrio-meta">"Las instituciones que nombran los compromisos de los pactos, y la comunidad (JAC, CBSC). Un contacto es un cargo, con el nombre de la persona solo si se quiere guardar: las personas cambian y el cargo responde."</p>
            <Show when=move || admin.get()>
                <details class="pacto-nueva-institucion">
                    <summary class="button small primary">"+ Agregar institución"</summary>
                    <InstitucionForm inicial=None taken recargar/>
                </details>
            </Show>
            {move || match list.get() {
                None => view! { <p class="loading">"Cargando el catálogo…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! { <p class="empty">"El catálogo está vacío."</p> }.into_any(),
                Some(Ok(all)) => view! {
                    <ul class="acta-list pacto-instituciones" data-testid="instituciones">
                        {all.into_iter().map(|i| view! { <InstitucionLine institucion=i admin staff taken recargar/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn InstitucionLine(
    institucion: Institucion,
    admin: Signal<bool>,
    staff: Signal<bool>,
    taken: Signal<Vec<String>>,
    recargar: RwSignal<u32>,
) -> impl IntoView {
    let i = institucion;
    let codigo = i.codigo.clone();
    let facts = format!("Código {} · versión {} · por {} el {}", i.codigo, i.version, i.por, when_es(i.at_ms));
    let para_editar = i.clone();
    view! {
        <li data-institucion=i.codigo.clone() class:inactiva=!i.activa>
            <div>
                <strong>{i.nombre.clone()}</strong>
                <span class="tag">{i.tipo.label_es()}</span>
                {(!i.activa).then(|| view! { <span class="tag tag-inactiva">"Inactiva"</span> })}
                {if i.contactos.is_empty() {
                    view! { <small>"Sin contactos"</small> }.into_any()
                } else {
                    view! {
                        <ul class="pacto-contactos">
                            {i.contactos.iter().map(|c| view! {
                                <li>{c.cargo.clone()}{c.nombre.clone().map(|n| format!(" — {n}"))}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <small>{facts}</small>
            </div>
            <span class="acta-actions">
                <Show when=move || staff.get()>
                    <a class="button small" href=format!("/instituciones/{codigo}")>"Sus compromisos"</a>
                </Show>
            </span>
            <Show when=move || admin.get()>
                <details class="pacto-editar-institucion">
                    <summary class="button small quiet">"Editar"</summary>
                    <InstitucionForm inicial=Some(para_editar.clone()) taken recargar/>
                </details>
            </Show>
        </li>
    }
}

/// A contact being edited.
#[derive(Clone, Copy)]
struct ContactoFila {
    cargo: RwSignal<String>,
    nombre: RwSignal<String>,
}

/// The form an admin edits an entry with, or adds one (`inicial` is `None`): a new entry's
/// code is made from its name.
#[component]
fn InstitucionForm(inicial: Option<Institucion>, taken: Signal<Vec<String>>, recargar: RwSignal<u32>) -> impl IntoView {
    let existing = inicial.as_ref().map(|i| i.codigo.clone());
    let nombre = RwSignal::new(inicial.as_ref().map(|i| i.nombre.clone()).unwrap_or_default());
    let tipo = RwSignal::new(inicial.as_ref().map_or(TipoInstitucion::Publica, |i| i.tipo));
    let activa = RwSignal::new(inicial.as_ref().is_none_or(|i| i.activa));
    let contactos = RwSignal::new(
        inicial
            .as_ref()
            .map(|i| {
                i.contactos
                    .iter()
                    .map(|c| ContactoFila {
                        cargo: RwSignal::new(c.cargo.clone()),
                        nombre: RwSignal::new(c.nombre.clone().unwrap_or_default()),
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let nuevo = existing.is_none();
    let existing_code = existing.clone();
    let codigo = Memo::new(move |_| match &existing_code {
        Some(c) => c.clone(),
        None => taken.with(|t| codigo_de(&nombre.get(), &t.iter().map(String::as_str).collect::<Vec<_>>())),
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = InstitucionDraft {
            nombre: nombre.get_untracked(),
            tipo: tipo.get_untracked(),
            contactos: contactos.with_untracked(|all| {
                all.iter()
                    .map(|c| Contacto {
                        cargo: c.cargo.get_untracked(),
                        nombre: Some(c.nombre.get_untracked()).filter(|n| !n.trim().is_empty()),
                    })
                    .collect()
            }),
            activa: activa.get_untracked(),
        };
        if let Err(e) = draft.clone().checked() {
            error.set(Some(e.es()));
            return;
        }
        let code = codigo.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::put::<Institucion>(&format!("/api/v1/instituciones/{code}"), &draft).await {
                Ok(_) => {
                    error.set(None);
                    recargar.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let elegir_tipo = move |ev: leptos::ev::Event| {
        if let Some(t) = event_target_value(&ev).parse::<usize>().ok().and_then(|n| TIPOS.get(n)) {
            tipo.set(*t);
        }
    };
    let testid = if nuevo { "nueva-institucion" } else { "editar-institucion" };
    view! {
        <form class="upload-form" on:submit=submit data-testid=testid>
            <label class="field wide"><span>"Nombre"</span>
                <input type="text" name="nombre" required maxlength=MAX_NAME_CHARS.to_string() prop:value=nombre on:input=move |ev| nombre.set(event_target_value(&ev))/>
            </label>
            {nuevo.then(|| view! { <p class="muted wide">{move || format!("Código: {}", codigo.get())}</p> })}
            <label class="field"><span>"Tipo"</span>
                <select name="tipo" on:change=elegir_tipo>
                    {TIPOS.into_iter().enumerate().map(|(n, t)| view! { <option value=n.to_string() selected=move || tipo.get() == t>{t.label_es()}</option> }).collect_view()}
                </select>
            </label>
            <label class="toggle">
                <input type="checkbox" name="activa" prop:checked=activa on:change=move |ev| activa.set(event_target_checked(&ev))/>
                <span>"Activa: se ofrece para compromisos nuevos"</span>
            </label>
            <fieldset class="wide pacto-contactos-form">
                <legend>"Contactos"</legend>
                {move || contactos.get().into_iter().enumerate().map(|(n, c)| view! {
                    <div class="pacto-contacto">
                        <label class="field"><span>"Cargo"</span>
                            <input type="text" name="cargo" required maxlength=MAX_CONTACT_CHARS.to_string() prop:value=c.cargo on:input=move |ev| c.cargo.set(event_target_value(&ev))/>
                        </label>
                        <label class="field"><span>"Nombre (opcional)"</span>
                            <input type="text" name="contacto_nombre" maxlength=MAX_CONTACT_CHARS.to_string() prop:value=c.nombre on:input=move |ev| c.nombre.set(event_target_value(&ev))/>
                        </label>
                        <button type="button" class="button small quiet" on:click=move |_| contactos.update(|all| { if n < all.len() { all.remove(n); } })>"Quitar"</button>
                    </div>
                }).collect_view()}
                <button type="button" class="button small" disabled=move || contactos.with(|c| c.len() >= MAX_CONTACTS)
                    on:click=move |_| contactos.update(|all| all.push(ContactoFila { cargo: RwSignal::new(String::new()), nombre: RwSignal::new(String::new()) }))>
                    "+ Agregar contacto"
                </button>
            </fieldset>
            <button type="submit" class="button primary" disabled=move || busy.get()>{if nuevo { "Agregar al catálogo" } else { "Guardar cambios" }}</button>
            {move || error.get().map(|e| view! { <p class="notice warn wide" role="alert">{e}</p> })}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_lists_public_then_private_then_the_community_active_first() {
        let i = |codigo: &str, nombre: &str, tipo, activa| Institucion {
            codigo: codigo.into(),
            version: 1,
            nombre: nombre.into(),
            tipo,
            contactos: vec![],
            activa,
            at_ms: 0,
            por: "admin".into(),
        };
        let all = vec![
            i("jac", "JAC", TipoInstitucion::Comunidad, true),
            i("vieja", "Antigua", TipoInstitucion::Publica, false),
            i("tienda", "Tienda", TipoInstitucion::Privada, true),
            i("policia", "policía", TipoInstitucion::Publica, true),
            i("essmar", "ESSMAR", TipoInstitucion::Publica, true),
        ];
        let order: Vec<String> = ordenadas(all).into_iter().map(|i| i.codigo).collect();
        assert_eq!(order, vec!["essmar", "policia", "vieja", "tienda", "jac"]);
    }
}
