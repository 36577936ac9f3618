//! `/admin`: the accounts (create, change role and barrios, disable, set a new password) and
//! the audit log of what staff and admins did. Admins only; the server checks it again.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::account::RequireRole;
use super::barrio_list::fold;
use crate::model::account::{AuditEntry, Role, User, UserDraft};
use crate::model::barrio::municipio_name;
use crate::model::BarrioSummary;

/// "28 nov 2026, 14:05" in Colombian time.
fn when_es(ms: i64) -> String {
    let (date, time) = crate::model::workshop::colombia_date_time(ms);
    format!("{}, {}", super::workshops::date_es(&date), time)
}

fn action_es(action: &str) -> &str {
    match action {
        "login" => "Entró",
        "login_failed" => "Intento fallido de entrada",
        "logout" => "Salió",
        "password_change" => "Cambió su contraseña",
        "user_create" => "Creó la cuenta",
        "user_update" => "Cambió la cuenta",
        "import" => "Importó barrios o capas",
        "workshop_create" => "Preparó el taller",
        "workshop_device" => "Usó el taller en una tableta",
        "workshop_close" => "Cerró el taller",
        "workshop_settings" => "Cambió el taller",
        "diagnostico_generate" => "Generó el diagnóstico",
        "mark_review" => "Revisó la marca",
        "hotspot_adjust" => "Corrigió puntos críticos",
        "hotspot_adjust_cancel" => "Deshizo una corrección",
        "hotspot_note" => "Anotó un punto crítico",
        "export" => "Descargó",
        "inscripcion_receive" => "Llegó una solicitud de inscripción",
        "inscripcion_accept" => "Aceptó la inscripción",
        "inscripcion_decline" => "Rechazó la inscripción",
        "cbsc_version" => "Registró el CBSC",
        "indicator_import" => "Importó datos de indicadores",
        "indicador" => "Cambió el catálogo de indicadores",
        "iscb_definition" => "Cambió la definición del ISCB",
        "balance_export" => "Descargó el balance",
        "priorizacion" => "Priorizó barrios",
        "oficio_create" => "Redactó un oficio de convocatoria",
        "ciclo_open" => "Abrió un ciclo de la ruta",
        "ciclo_step" => "Cambió el paso de la ruta",
        "ciclo_close" => "Cerró un ciclo de la ruta",
        "registro_add" => "Guardó un registro",
        "registro_download" => "Descargó un registro",
        "registro_withdraw" => "Retiró un registro",
        "acta_write" => "Guardó un acta",
        "media_decision" => "Decidió sobre una foto o nota de voz",
        "publication" => "Publicó un diagnóstico",
        "publication_withdraw" => "Retiró una publicación",
        "institucion" => "Cambió el catálogo de instituciones",
        "pacto_create" => "Redactó un pacto",
        "pacto_save" => "Guardó el pacto",
        "pacto_sign" => "Marcó el pacto como firmado",
        "pacto_otrosi" => "Abrió un otrosí al pacto",
        "compromiso_estado" => "Cambió el estado de un compromiso",
        "pacto_publish" => "Publicó compromisos del pacto",
        "compromisos_export" => "Descargó los compromisos de una institución",
        "comite" => "Registró el acta de un comité interinstitucional",
        "ficha_write" => "Guardó una ficha de intervención",
        other => other,
    }
}

#[cfg(feature = "hydrate")]
mod admin_api {
    use super::*;

    pub use crate::client::session::get_json as get;

    pub async fn save(id: Option<i64>, draft: &UserDraft) -> Result<User, String> {
        let url = match id {
            Some(id) => format!("/api/v1/admin/users/{id}"),
            None => "/api/v1/admin/users".into(),
        };
        crate::client::session::post_json(&url, draft).await
    }
}

/// Most barrios the picker lists at once: a city has hundreds, and the search narrows them.
const PICKER_ROWS: usize = 40;

fn draft_of(u: &User) -> UserDraft {
    UserDraft {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role,
        barrios: u.barrios.clone(),
        municipios: u.municipios.clone(),
        password: None,
        disabled: u.disabled,
    }
}

/// "Santa Marta, Barranquilla", or "Todas" for an account of every city.
fn cities_es(municipios: &[String]) -> String {
    if municipios.is_empty() {
        "Todas".into()
    } else {
        municipios.iter().map(|m| municipio_name(m)).collect::<Vec<_>>().join(", ")
    }
}

/// The barrios the picker offers: those of the chosen cities (all when none is chosen) whose
/// name or comuna holds the search words, not yet chosen, at most [`PICKER_ROWS`], and how
/// many matched in all.
fn picker_rows(barrios: &[BarrioSummary], cities: &[String], chosen: &[i64], query: &str) -> (Vec<BarrioSummary>, usize) {
    let q = fold(query.trim());
    let matching: Vec<&BarrioSummary> = barrios
        .iter()
        .filter(|b| cities.is_empty() || cities.contains(&b.municipio))
        .filter(|b| !chosen.contains(&b.id))
        .filter(|b| q.is_empty() || fold(&b.name).contains(&q) || b.comuna.as_deref().is_some_and(|c| fold(c).contains(&q)))
        .collect();
    let total = matching.len();
    (matching.into_iter().take(PICKER_ROWS).cloned().collect(), total)
}

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Title text="Administración"/>
        <section class="page admin-page">
            <RequireRole allowed=|r| r == Role::Admin what="La administración de cuentas es solo para quien administra Cartobarrio.">
                <AdminPanels/>
            </RequireRole>
        </section>
    }
}

#[component]
fn AdminPanels() -> impl IntoView {
    let users = RwSignal::new(Vec::<User>::new());
    let log = RwSignal::new(Vec::<AuditEntry>::new());
    let barrios = RwSignal::new(Vec::<BarrioSummary>::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = move || {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match admin_api::get::<Vec<User>>("/api/v1/admin/users").await {
                Ok(list) => users.set(list),
                Err(e) => message.set(Some((false, e))),
            }
            if let Ok(lines) = admin_api::get::<Vec<AuditEntry>>("/api/v1/admin/audit").await {
                log.set(lines);
            }
        });
    };
    Effect::new(move |_| {
        reload();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(list) = crate::data::list_barrios().await {
                barrios.set(list);
            }
        });
    });
    let barrio_name = move |id: i64| barrios.with(|l| l.iter().find(|b| b.id == id).map_or_else(|| id.to_string(), |b| b.name.clone()));
    // The cities the deployment holds, from its barrios.
    let known_cities = move || {
        let mut codes: Vec<String> = barrios.with(|l| l.iter().map(|b| b.municipio.clone()).collect());
        codes.sort_unstable();
        codes.dedup();
        codes
    };

    // The form: a new account, or the one being edited (`editing`: its id and whether it was
    // disabled, which the form does not change).
    let editing = RwSignal::new(None::<(i64, bool)>);
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Facilitator);
    let chosen = RwSignal::new(Vec::<i64>::new());
    let cities = RwSignal::new(Vec::<String>::new());
    let search = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let clear = move || {
        editing.set(None);
        username.set(String::new());
        display_name.set(String::new());
        password.set(String::new());
        chosen.set(Vec::new());
        cities.set(Vec::new());
        search.set(String::new());
    };
    let edit = move |u: User| {
        editing.set(Some((u.id, u.disabled)));
        username.set(u.username);
        display_name.set(u.display_name);
        role.set(u.role);
        chosen.set(u.barrios);
        cities.set(u.municipios);
        password.set(String::new());
        #[cfg(feature = "hydrate")]
        crate::client::dom::scroll_into_view("user-form");
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = editing.get_untracked();
        let typed = password.get_untracked();
        let draft = UserDraft {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked(),
            barrios: chosen.get_untracked(),
            municipios: cities.get_untracked(),
            // Editing, an empty password keeps the old one.
            password: (target.is_none() || !typed.is_empty()).then_some(typed),
            disabled: target.is_some_and(|(_, d)| d),
        };
        if let Err(e) = draft.clone().checked(target.is_none()) {
            use crate::model::Bilingual;
            message.set(Some((false, e.es())));
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match admin_api::save(target.map(|(id, _)| id), &draft).await {
                Ok(u) => {
                    let done = if target.is_some() { "Cuenta guardada" } else { "Cuenta creada" };
                    message.set(Some((true, format!("{done}: {}.", u.username))));
                    clear();
                    reload();
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    let toggle = move |u: User| {
        let mut draft = draft_of(&u);
        draft.disabled = !u.disabled;
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match admin_api::save(Some(u.id), &draft).await {
                Ok(_) => reload(),
                Err(e) => message.set(Some((false, e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = draft;
    };
    let reset = move |u: User, new: String| {
        let mut draft = draft_of(&u);
        draft.password = Some(new);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match admin_api::save(Some(u.id), &draft).await {
                Ok(_) => {
                    message.set(Some((true, format!("Contraseña nueva para {}; sus sesiones se cerraron.", u.username))));
                    reload();
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = draft;
    };

    view! {
        <h1>"Administración"</h1>
        <p class="balance-actions"><a class="button small" href="/admin/indicadores" data-testid="indicadores-link">"Indicadores del Observatorio y el ISCB"</a></p>
        {move || message.get().map(|(ok, text)| view! { <p class=if ok { "notice" } else { "error" } role="status" data-testid="admin-message">{text}</p> })}
        <h2>"Cuentas"</h2>
        <div class="table-wrap">
            <table class="report-table admin-users" data-testid="user-table">
                <thead><tr><th>"Usuario"</th><th>"Nombre"</th><th>"Rol"</th><th>"Ciudades"</th><th>"Barrios"</th><th>"Estado"</th><th>"Acciones"</th></tr></thead>
                <tbody>
                    <For each=move || users.get() key=|u| (u.id, u.disabled, u.display_name.clone()) let:u>
                        {
                            let new_password = RwSignal::new(String::new());
                            let (for_toggle, for_reset, for_edit) = (u.clone(), u.clone(), u.clone());
                            view! {
                                <tr data-username=u.username.clone()>
                                    <td>{u.username.clone()}</td>
                                    <td>{u.display_name.clone()}</td>
                                    <td>{u.role.label_es()}</td>
                                    <td data-testid="user-cities">{cities_es(&u.municipios)}</td>
                                    <td>{
                                        let ids = u.barrios.clone();
                                        move || ids.iter().map(|b| barrio_name(*b)).collect::<Vec<_>>().join(", ")
                                    }</td>
                                    <td>{if u.disabled { "Desactivada" } else { "Activa" }}</td>
                                    <td class="admin-actions">
                                        <button type="button" class="button small" on:click=move |_| edit(for_edit.clone()) data-testid="edit-user">"Editar"</button>
                                        <button type="button" class="button small" on:click=move |_| toggle(for_toggle.clone()) data-testid="toggle-user">
                                            {if u.disabled { "Activar" } else { "Desactivar" }}
                                        </button>
                                        <input type="password" autocomplete="new-password" placeholder="Contraseña nueva" aria-label=format!("Contraseña nueva para {}", u.username)
                                            prop:value=move || new_password.get() on:input=move |ev| new_password.set(event_target_value(&ev))/>
                                        <button type="button" class="button small" on:click=move |_| reset(for_reset.clone(), new_password.get_untracked())>
                                            "Poner contraseña"
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
        <h2 id="user-form">{move || if editing.get().is_some() { "Editar la cuenta" } else { "Crear una cuenta" }}</h2>
        <form class="workshop-form" on:submit=create data-testid="new-user-form">
            <label><span>"Usuario (para entrar)"</span>
                <input type="text" name="username" autocapitalize="none" spellcheck="false" required maxlength="40" prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
            </label>
            <label><span>"Nombre que se muestra"</span>
                <input type="text" name="display_name" required maxlength="80" prop:value=move || display_name.get() on:input=move |ev| display_name.set(event_target_value(&ev))/>
            </label>
            <label><span>"Rol"</span>
                <select name="role" on:change=move |ev| if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }>
                    {Role::ALL.iter().rev().map(|r| view! { <option value=r.code() selected=move || role.get() == *r>{r.label_es()}</option> }).collect_view()}
                </select>
            </label>
            <fieldset class="city-choice" data-testid="city-choice">
                <legend>"Ciudades donde trabaja"</legend>
                <p class="muted">"Sin ninguna marcada, trabaja en todas las ciudades de Cartobarrio."</p>
                {move || known_cities().into_iter().map(|m| {
                    let (code, toggled) = (m.clone(), m.clone());
                    view! {
                        <label class="check">
                            <input type="checkbox" name="municipios" value=m.clone()
                                prop:checked=move || cities.with(|c| c.contains(&code))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    cities.update(|c| {
                                        c.retain(|x| *x != toggled);
                                        if on { c.push(toggled.clone()); c.sort_unstable(); }
                                    });
                                    // A facilitator's barrios must lie in the cities chosen.
                                    let keep = cities.get_untracked();
                                    if !keep.is_empty() {
                                        let inside: Vec<i64> = barrios.with_untracked(|l| l.iter().filter(|b| keep.contains(&b.municipio)).map(|b| b.id).collect());
                                        chosen.update(|c| c.retain(|id| inside.contains(id)));
                                    }
                                }/>
                            <span>{format!("{} ({m})", municipio_name(&m))}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <Show when=move || role.get() == Role::Facilitator>
                <fieldset class="barrio-choice" data-testid="barrio-choice">
                    <legend>"Barrios donde facilita"</legend>
                    <ul class="chosen-barrios" aria-label="Barrios elegidos">
                        {move || chosen.get().into_iter().map(|id| view! {
                            <li>
                                <span>{barrio_name(id)}</span>
                                <button type="button" class="button small" aria-label=format!("Quitar {}", barrio_name(id))
                                    on:click=move |_| chosen.update(|c| c.retain(|x| *x != id))>"Quitar"</button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <label class="field"><span>"Buscar un barrio o una comuna"</span>
                        <input type="search" name="barrio-search" autocomplete="off" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                    </label>
                    {move || {
                        let (rows, total) = barrios.with(|l| cities.with(|c| chosen.with(|ch| picker_rows(l, c, ch, &search.get()))));
                        let more = (total > rows.len()).then(|| format!("{} más: escriba para buscar.", crate::model::words::count_es((total - rows.len()) as u32, "barrio", "barrios")));
                        let none = rows.is_empty().then(|| view! { <p class="muted" data-testid="picker-empty">"Ningún barrio más coincide con la búsqueda."</p> });
                        view! {
                            {none}
                            <ul class="barrio-picker" class:hidden=total == 0 data-testid="barrio-picker">
                                {rows.into_iter().map(|b| {
                                    let id = b.id;
                                    let place = b.comuna.clone().filter(|c| !c.trim().is_empty()).map(|c| format!(" · {c}")).unwrap_or_default();
                                    view! {
                                        <li><button type="button" class="picker-row" data-barrio=id
                                            on:click=move |_| chosen.update(|c| if !c.contains(&id) { c.push(id) })>
                                            <span>"+ "{b.name}</span><small>{place}</small>
                                        </button></li>
                                    }
                                }).collect_view()}
                            </ul>
                            {more.map(|m| view! { <p class="muted">{m}</p> })}
                        }
                    }}
                </fieldset>
            </Show>
            <label><span>{move || if editing.get().is_some() { "Contraseña nueva (vacía: la de siempre)" } else { "Contraseña inicial (al menos 10 caracteres)" }}</span>
                <input type="password" name="password" autocomplete="new-password" required=move || editing.get().is_none() prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="button primary">{move || if editing.get().is_some() { "Guardar los cambios" } else { "Crear la cuenta" }}</button>
            <Show when=move || editing.get().is_some()>
                <button type="button" class="button" on:click=move |_| clear()>"Cancelar"</button>
            </Show>
        </form>
        <h2>"Registro de acciones"</h2>
        <p class="muted">"Quién hizo qué y cuándo: entradas, cuentas, diagnósticos, revisiones, correcciones y descargas. No se puede borrar ni cambiar."</p>
        <div class="table-wrap">
            <table class="report-table" data-testid="audit-log">
                <thead><tr><th>"Cuándo"</th><th>"Quién"</th><th>"Qué"</th><th>"Sobre"</th><th>"Detalle"</th></tr></thead>
                <tbody>
                    <For each=move || log.get() key=|e| e.seq let:e>
                        <tr>
                            <td>{when_es(e.at_ms)}</td>
                            <td>{e.username.clone()}</td>
                            <td>{action_es(&e.action).to_string()}</td>
                            <td>{e.target.clone()}</td>
                            <td>{e.detail.clone()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn barrio(id: i64, name: &str, municipio: &str) -> BarrioSummary {
        BarrioSummary { id, code: fold(name), municipio: municipio.into(), name: name.into(), comuna: Some("Comuna 2".into()), area_ha: 1.0 }
    }

    #[test]
    fn the_picker_offers_the_chosen_cities_barrios_that_match_not_yet_chosen() {
        let list = vec![barrio(1, "Pescaíto", "47001"), barrio(2, "El Prado", "47001"), barrio(3, "El Prado", "08001")];
        let names = |(rows, total): (Vec<BarrioSummary>, usize)| (rows.iter().map(|b| b.id).collect::<Vec<_>>(), total);
        assert_eq!(names(picker_rows(&list, &[], &[], "prado")), (vec![2, 3], 2), "every city when none is chosen");
        assert_eq!(names(picker_rows(&list, &["08001".into()], &[], "")), (vec![3], 1));
        assert_eq!(names(picker_rows(&list, &[], &[1], "PESCAITO")), (vec![], 0), "chosen ones are not offered again");
        assert_eq!(names(picker_rows(&list, &[], &[], "pescaito")), (vec![1], 1), "without accents or case");
        assert_eq!(names(picker_rows(&list, &[], &[], "comuna 2")), (vec![1, 2, 3], 3), "by comuna");
        let many: Vec<BarrioSummary> = (0..100).map(|i| barrio(i, &format!("Barrio {i}"), "47001")).collect();
        assert_eq!(names(picker_rows(&many, &[], &[], "")).1, 100);
        assert_eq!(picker_rows(&many, &[], &[], "").0.len(), PICKER_ROWS);
        assert_eq!(cities_es(&[]), "Todas");
        assert_eq!(cities_es(&["47001".into(), "08001".into()]), "Santa Marta, Barranquilla");
    }
}
