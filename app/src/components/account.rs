//! Who is signed in, app-wide: the session state every page reads, the account chip in the
//! top bar, and the notice a page for some roles shows to everyone else.

use leptos::prelude::*;

use crate::model::account::{Role, SessionInfo, User};

#[derive(Clone, Copy)]
pub struct SessionState {
    /// What the server (or, offline, this browser) last said; `None` until known.
    pub info: RwSignal<Option<SessionInfo>>,
}

impl SessionState {
    pub fn user(&self) -> Option<User> {
        self.info.get().and_then(|i| i.user)
    }
    /// Whether it is known yet who is signed in.
    pub fn known(&self) -> bool {
        self.info.with(Option::is_some)
    }
    pub fn set(&self, info: SessionInfo) {
        self.info.set(Some(info));
    }
}

pub fn provide_session_state() {
    let state = SessionState { info: RwSignal::new(None) };
    provide_context(state);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        // The browser's copy first (it works offline), then the server's word when it answers.
        if let Some(kept) = crate::client::session::remembered() {
            state.info.set(Some(kept));
        }
        leptos::task::spawn_local(async move {
            match crate::client::session::fetch().await {
                Ok(info) => state.info.set(Some(info)),
                Err(_) if state.info.get_untracked().is_none() => {
                    state.info.set(Some(SessionInfo::signed_out()))
                }
                Err(_) => {}
            }
        });
    });
}

pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}

/// The page an account starts on.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "/admin",
        Role::Staff => "/equipo",
        Role::Facilitator => "/talleres",
    }
}

#[component]
pub fn AccountChip() -> impl IntoView {
    let session = use_session();
    view! {
        {move || match session.user() {
            Some(u) => view! {
                <a class="chip account" href="/cuenta" data-testid="account-chip" title=format!("{} · {}", u.display_name, u.role.label_es())
                    aria-label=format!("Su cuenta: {}", u.display_name)>
                    <svg class="chip-icon" viewBox="0 0 24 24" aria-hidden="true">
                        <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="2"/>
                        <path d="M4 21c1-4.5 4.5-7 8-7s7 2.5 8 7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                    </svg>
                    <span class="chip-long">{u.display_name.clone()}</span>
                </a>
            }
            .into_any(),
            None => view! {
                <a class="chip account sign-in" href="/entrar" data-testid="sign-in-link">
                    <svg class="chip-icon" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M10 17l5-5-5-5 M15 12H3 M14 3h5a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2h-5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
                    </svg>
                    "Entrar"
                </a>
            }
            .into_any(),
        }}
    }
}

/// What [`RequireRole`] shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    Checking,
    Allowed,
    Refused(Role),
    SignedOut,
}

/// Shows `children` only to accounts `allowed` lets in; everyone else is told why and offered
/// to sign in (and sent back here after).
#[component]
pub fn RequireRole(allowed: fn(Role) -> bool, what: &'static str, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let here = leptos_router::hooks::use_location();
    let next = move || {
        let path = here.pathname.get();
        format!("/entrar?siguiente={}", path.replace('&', ""))
    };
    // The session is said twice on a page load (the browser's copy, then the server's): only a
    // change of the answer may rebuild the page, or the first one's pending loads would write
    // into a page already thrown away (a panic on a disposed signal).
    //
    // While the page hydrates it shows what the server rendered ("Revisando la sesión…"): a
    // page loaded on demand hydrates only once its chunk has arrived, and by then the browser's
    // copy of the session may already be known, which would build another tree than the markup.
    let role = crate::components::hydration::rendered_then_live(move || {
        session.info.with(|i| i.as_ref().map(|i| i.user.as_ref().map(|u| u.role)))
    });
    let access = Memo::new(move |_| match role.get() {
        None => Access::Checking,
        Some(Some(role)) if allowed(role) => Access::Allowed,
        Some(Some(role)) => Access::Refused(role),
        Some(None) => Access::SignedOut,
    });
    move || {
        match access.get() {
            Access::Checking => view! { <p class="muted" data-testid="session-loading">"Revisando la sesión…"</p> }.into_any(),
            Access::Allowed => children().into_any(),
            Access::Refused(role) => view! {
                <section class="notice" data-testid="not-allowed">
                    <h1>"Sin permiso"</h1>
                    <p>{format!("{what} Su cuenta ({}) no tiene acceso.", role.label_es())}</p>
                    <p><a class="button" href=home_of(role)>"Ir a mi página"</a></p>
                </section>
            }
            .into_any(),
            Access::SignedOut => view! {
                <section class="notice" data-testid="sign-in-needed">
                    <h1>"Inicie sesión"</h1>
                    <p>{what}</p>
                    <p><a class="button primary" href=next>"Entrar con su cuenta"</a></p>
                </section>
            }
            .into_any(),
        }
    }
}

/// [`RequireRole`] for staff work (staff and admins).
#[component]
pub fn StaffOnly(what: &'static str, children: ChildrenFn) -> impl IntoView {
    view! { <RequireRole allowed=Role::is_staff what children/> }
}
