//! `/entrar`: signing in to a staff, facilitator or admin account (participants need none: they
//! join a workshop with its code), and `/cuenta`: one's account, a new password, signing out.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::account::{home_of, use_session};
#[cfg(feature = "hydrate")]
use crate::model::account::SessionInfo;
use crate::model::account::MIN_PASSWORD_CHARS;

/// Where to go after signing in: the page that asked (a path of this site only), else the
/// account's own.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn next_page(asked: Option<String>, home: &str) -> String {
    match asked {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains("://") && p != "/entrar" => p,
        _ => home.to_string(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        busy.set(true);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        let asked = query.with_untracked(|q| q.get("siguiente"));
        let navigate = navigate.clone();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::session::login(u, p).await {
                Ok(info) => {
                    let home = info.user.as_ref().map_or("/", |u| home_of(u.role));
                    let to = next_page(asked, home);
                    session.set(info);
                    navigate(&to, Default::default());
                }
                Err(e) => {
                    password.set(String::new());
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (u, p, asked, navigate);
    };
    // What the server rendered while the page hydrates (it loads on demand, and the session may
    // be known by the time its chunk arrives), the live session from then on.
    let info = crate::components::hydration::rendered_then_live(move || session.info.get());
    let user = move || info.with(|i| i.as_ref().and_then(|i| i.user.clone()));
    view! {
        <Title text="Entrar"/>
        <section class="page narrow">
            <h1>"Entrar"</h1>
            <p class="lead">"Para el equipo de la Secretaría, quienes facilitan talleres y la administración."</p>
            <p class="muted">
                "¿Va a participar en un taller? No necesita cuenta: "
                <a href="/unirse">"únase con el código del taller"</a>"."
            </p>
            <Show when=move || user().is_some()>
                <p class="notice" data-testid="already-signed-in">
                    {move || user().map(|u| format!("Ya entró como {}.", u.display_name))}
                    " "<a href="/cuenta">"Ver su cuenta"</a>
                </p>
            </Show>
            <form class="workshop-form" on:submit=submit data-testid="login-form">
                <label>
                    <span>"Usuario"</span>
                    <input type="text" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="40"
                        prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
                </label>
                <label>
                    <span>"Contraseña"</span>
                    <input type="password" name="password" autocomplete="current-password" required maxlength="200"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="login-error">{move || error.get()}</p>
                </Show>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Entrando…" } else { "Entrar" }}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let navigate = use_navigate();
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (c, n) = (current.get_untracked(), new.get_untracked());
        if n.chars().count() < MIN_PASSWORD_CHARS {
            message.set(Some((false, format!("La contraseña nueva debe tener al menos {MIN_PASSWORD_CHARS} caracteres."))));
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::session::change_password(c, n).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    message.set(Some((true, "Contraseña cambiada. Las demás sesiones de su cuenta se cerraron.".into())));
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (c, n);
    };
    let logout = move |_| {
        let navigate = navigate.clone();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::session::logout().await {
                Ok(()) => {
                    session.set(SessionInfo::signed_out());
                    navigate("/", Default::default());
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = navigate;
    };
    // What the server rendered while the page hydrates (it loads on demand, and the session may
    // be known by the time its chunk arrives), the live session from then on.
    let info = crate::components::hydration::rendered_then_live(move || session.info.get());
    let user = move || info.with(|i| i.as_ref().and_then(|i| i.user.clone()));
    view! {
        <Title text="Su cuenta"/>
        <section class="page narrow">
            {move || match user() {
                None if info.with(Option::is_some) => view! {
                    <h1>"Su cuenta"</h1>
                    <p>"No ha entrado con ninguna cuenta en este navegador."</p>
                    <p><a class="button primary" href="/entrar">"Entrar"</a></p>
                }
                .into_any(),
                None => view! { <p class="muted">"Revisando la sesión…"</p> }.into_any(),
                Some(u) => view! {
                    <h1>{u.display_name.clone()}</h1>
                    <dl class="account-facts">
                        <div><dt>"Usuario"</dt><dd data-testid="account-username">{u.username.clone()}</dd></div>
                        <div><dt>"Rol"</dt><dd data-testid="account-role">{u.role.label_es()}</dd></div>
                    </dl>
                    <p><a class="button primary" href=home_of(u.role)>"Ir a mi página"</a></p>
                }
                .into_any(),
            }}
            <Show when=move || user().is_some()>
                <h2>"Cambiar la contraseña"</h2>
                <form class="workshop-form" on:submit=change data-testid="password-form">
                    <label>
                        <span>"Contraseña actual"</span>
                        <input type="password" autocomplete="current-password" required prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev))/>
                    </label>
                    <label>
                        <span>{format!("Contraseña nueva (al menos {MIN_PASSWORD_CHARS} caracteres; una frase sirve)")}</span>
                        <input type="password" autocomplete="new-password" required prop:value=move || new.get() on:input=move |ev| new.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="button">"Cambiar la contraseña"</button>
                </form>
            </Show>
            {move || message.get().map(|(ok, text)| view! { <p class=if ok { "notice" } else { "error" } role="status">{text}</p> })}
            <Show when=move || user().is_some()>
                <button type="button" class="button" on:click=logout.clone() data-testid="logout">"Cerrar sesión"</button>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_page_of_this_site_is_gone_to_after_signing_in() {
        assert_eq!(next_page(Some("/diagnostico/4".into()), "/equipo"), "/diagnostico/4");
        for outside in ["https://evil.example", "//evil.example", "diagnostico", "/entrar", "/x?u=https://e"] {
            assert_eq!(next_page(Some(outside.into()), "/equipo"), "/equipo", "{outside}");
        }
        assert_eq!(next_page(None, "/talleres"), "/talleres");
    }
}
