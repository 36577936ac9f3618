//! Workshops (talleres): `/talleres` where a facilitator prepares one and sees those on the
//! device, `/talleres/:id` with its join code and QR (offline once kept) and, for the
//! facilitator, the room (`components::room`), and `/unirse` where a participant's device
//! joins by code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::components::device_wipe::WipeButton;
use crate::components::hydration::rendered_then_live;
use crate::components::media_capture::MediaAttachments;
use crate::components::qr::QrCode;
use crate::model::media::{RecordKind, RecordRef};
use crate::components::room::{PackStatus, RoomPanel};
use crate::data;
use crate::model::hygiene::WipeScope;
use crate::model::workshop::{display_code, normalize_code};
use crate::model::WorkshopDraft;

/// What the pages show of a workshop kept on the device.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredWorkshopView {
    pub id: Uuid,
    pub barrio_id: i64,
    pub barrio_name: String,
    pub date: String,
    pub place: String,
    pub cbsc: String,
    pub facilitator: String,
    pub code: String,
    pub expires_es: String,
    pub share_sensitive: bool,
    pub closed: bool,
}

#[cfg(feature = "hydrate")]
impl From<&crate::client::sync_store::StoredWorkshop> for StoredWorkshopView {
    fn from(s: &crate::client::sync_store::StoredWorkshop) -> Self {
        let w = &s.workshop;
        // The last day the code works, Colombian time.
        let (last_day, _) = crate::model::workshop::colombia_date_time(w.code_expires_at_ms - 1);
        StoredWorkshopView {
            id: s.id,
            barrio_id: w.barrio_id,
            barrio_name: s.barrio_name.clone(),
            date: w.date.clone(),
            place: w.place.clone(),
            cbsc: w.cbsc.clone(),
            facilitator: w.facilitator.clone(),
            code: w.join_code.clone(),
            expires_es: date_es(&last_day),
            share_sensitive: w.share_sensitive,
            closed: w.closed_at_ms.is_some(),
        }
    }
}

/// Today's date (device clock, Colombian time) as `YYYY-MM-DD`, the form's default.
fn today() -> String {
    #[cfg(feature = "hydrate")]
    {
        return crate::model::workshop::colombia_date_time(crate::client::device::now_ms()).0;
    }
    #[allow(unreachable_code)]
    String::new()
}

/// A date `YYYY-MM-DD` in words ("28 nov 2026").
pub fn date_es(date: &str) -> String {
    const MONTHS: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];
    let month = date.get(5..7).and_then(|m| m.parse::<usize>().ok()).and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match (date.get(8..10), month, date.get(0..4)) {
        (Some(d), Some(m), Some(y)) => format!("{} {m} {y}", d.trim_start_matches('0')),
        _ => date.to_string(),
    }
}

#[component]
pub fn WorkshopsPage() -> impl IntoView {
    let barrios = Resource::new(|| (), |_| data::list_barrios());
    let on_device = RwSignal::new(Vec::<StoredWorkshopView>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(list) = crate::client::sync_store::workshops().await {
                on_device.set(list.iter().map(StoredWorkshopView::from).collect());
            }
        });
    });
    let session = crate::components::account::use_session();
    // A lazy route: by the time its chunk arrives the browser may know who is signed in, which
    // the markup (the server's, or the worker's copy offline) may not say. Hydrate what it says.
    let signed_in = rendered_then_live(move || session.user().is_some());
    let barrio = RwSignal::new(String::new());
    let date = RwSignal::new(today());
    let place = RwSignal::new(String::new());
    let cbsc = RwSignal::new(String::new());
    let facilitator = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(barrio_id) = barrio.get_untracked().parse::<i64>() else {
            error.set(Some("Elija el barrio del taller.".into()));
            return;
        };
        let barrio_name = barrios
            .get_untracked()
            .and_then(|r| r.ok())
            .and_then(|list| list.into_iter().find(|b| b.id == barrio_id).map(|b| b.name))
            .unwrap_or_default();
        let draft = WorkshopDraft {
            barrio_id,
            date: date.get_untracked(),
            place: place.get_untracked(),
            cbsc: cbsc.get_untracked(),
            facilitator: facilitator.get_untracked(),
        };
        if let Err(e) = draft.clone().checked() {
            use crate::model::Bilingual;
            error.set(Some(e.es()));
            return;
        }
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::workshops::prepare(draft, barrio_name).await {
                Ok(w) => navigate(&format!("/talleres/{}", w.id), Default::default()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (draft, barrio_name, navigate);
    };
    view! {
        <Title text="Talleres"/>
        <section class="page workshops">
            <h1>"Talleres de cartografía"</h1>
            <p class="lead">"Prepare el taller con señal: el código y el QR quedan en este dispositivo y sirven sin conexión el día del taller."</p>
            <div class="join-cta">
                <a class="button small" href="/unirse">"Unirme a un taller con un código"</a>
                <a class="button small" href="/ruta">"La ruta de mis barrios"</a>
            </div>
            <Show when=move || !on_device.get().is_empty()>
                <h2>"Talleres en este dispositivo"</h2>
                <ul class="workshop-list" data-testid="workshop-list">
                    <For each=move || on_device.get() key=|w| w.id let:w>
                        <li>
                            <a class="workshop-link" href=format!("/talleres/{}", w.id)>
                                <span class="workshop-code">{display_code(&w.code)}</span>
                                <span class="workshop-what">
                                    <strong>{w.barrio_name.clone()}</strong>
                                    <span class="barrio-meta">{format!("{} · {}", date_es(&w.date), w.cbsc)}</span>
                                </span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <Show
                when=move || signed_in.get()
                fallback=|| view! {
                    <h2>"Preparar un taller"</h2>
                    <p class="notice" data-testid="workshop-sign-in">
                        "Preparar un taller es para quien facilita: "
                        <a href="/entrar?siguiente=/talleres">"entre con su cuenta"</a>
                        ". Los participantes no necesitan cuenta: se unen con el código."
                    </p>
                }
            >
                <h2>"Preparar un taller"</h2>
                <form class="workshop-form" on:submit=submit.clone() data-testid="workshop-form">
                    <label>
                        <span>"Barrio"</span>
                        <select name="barrio" required on:change=move |ev| barrio.set(event_target_value(&ev))>
                            <option value="">"Elija el barrio…"</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let user = session.user();
                                    barrios.await.unwrap_or_default().into_iter().filter(|b| user.as_ref().is_some_and(|u| u.works_in(b.id, &b.municipio))).map(|b| view! {
                                        <option value=b.id.to_string()>{b.name}</option>
                                    }).collect_view()
                                })}
                            </Suspense>
                        </select>
                    </label>
                    <label>
                        <span>"Fecha"</span>
                        <input type="date" name="date" required prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                    </label>
                    <label>
                        <span>"Lugar"</span>
                        <input type="text" name="place" maxlength="80" placeholder="Ej.: Salón comunal" prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev))/>
                    </label>
                    <label>
                        <span>"Comité (CBSC)"</span>
                        <input type="text" name="cbsc" required maxlength="80" placeholder="Ej.: CBSC Pescaíto" prop:value=move || cbsc.get() on:input=move |ev| cbsc.set(event_target_value(&ev))/>
                    </label>
                    <label>
                        <span>"Quién facilita"</span>
                        <input type="text" name="facilitator" required maxlength="80" prop:value=move || facilitator.get() on:input=move |ev| facilitator.set(event_target_value(&ev))/>
                    </label>
                    <Show when=move || error.get().is_some()>
                        <p class="error" role="alert">{move || error.get()}</p>
                    </Show>
                    <button type="submit" class="button primary" disabled=move || busy.get()>
                        {move || if busy.get() { "Creando…" } else { "Crear el taller y su código" }}
                    </button>
                </form>
            </Show>
        </section>
    }
}

#[component]
pub fn WorkshopPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<Uuid>().ok()));
    let workshop = RwSignal::new(None::<StoredWorkshopView>);
    let missing = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(id) = id() else {
            missing.set(true);
            return;
        };
        leptos::task::spawn_local(async move {
            match crate::client::sync_store::workshops().await {
                Ok(list) => match list.iter().find(|w| w.id == id) {
                    Some(w) => {
                        workshop.set(Some(StoredWorkshopView::from(w)));
                        crate::client::device::keep_page_offline(&format!("/talleres/{id}")).await;
                    }
                    None => missing.set(true),
                },
                Err(_) => missing.set(true),
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    let session = crate::components::account::use_session();
    let control_error = RwSignal::new(None::<String>);
    let apply = move |changed: Result<crate::model::Workshop, String>| match changed {
        Ok(w) => {
            control_error.set(None);
            workshop.update(|v| {
                if let Some(v) = v {
                    v.share_sensitive = w.share_sensitive;
                    v.closed = w.closed_at_ms.is_some();
                }
            });
        }
        Err(e) => control_error.set(Some(e)),
    };
    let share = move |on: bool| {
        let Some(id) = id() else { return };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move { apply(crate::client::workshops::set_sharing(id, on).await) });
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, on, apply);
    };
    let close_now = move || {
        let Some(id) = id() else { return };
        #[cfg(feature = "hydrate")]
        {
            let sure = window().confirm_with_message("¿Cerrar el taller? Los dispositivos de los participantes ya no podrán enviar marcas de él.").unwrap_or(false);
            if sure {
                leptos::task::spawn_local(async move { apply(crate::client::workshops::close(id).await) });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let link = move || workshop.get().map(|w| join_link(&w.code)).unwrap_or_default();
    // Memoised, so a change to the workshop's settings does not draw the wipe button anew.
    let wiped = RwSignal::new(false);
    let kept_id = Memo::new(move |_| workshop.with(|w| w.as_ref().map(|w| w.id)));
    let kept_room = Memo::new(move |_| workshop.with(|w| w.as_ref().map(|w| (w.id, w.barrio_id))));
    view! {
        <Title text="Taller"/>
        <section class="page workshop-card">
            <a class="button small quiet" href="/talleres">"← Talleres"</a>
            <Show when=move || missing.get()>
                <p class="error">"Este taller no está en este dispositivo. Únase con su código."</p>
            </Show>
            <Show when=move || wiped.get()>
                <p class="notice ok" role="status" data-testid="workshop-wiped">"Taller borrado de este dispositivo. El servidor conserva todo lo que se envió."</p>
            </Show>
            {move || workshop.get().map(|w| view! {
                <h1>{w.barrio_name.clone()}</h1>
                <p class="workshop-meta">
                    {format!("{} · {}", date_es(&w.date), w.cbsc)}
                    {(!w.place.is_empty()).then(|| format!(" · {}", w.place))}
                    <br/>
                    {format!("Facilita: {}", w.facilitator)}
                </p>
                <div class="join-box">
                    <p class="join-help">"Para unirse: escanee el QR con la cámara, o abra Cartobarrio, toque «Unirme a un taller» y escriba el código."</p>
                    <p class="join-code" data-testid="join-code" aria-label="Código del taller">{display_code(&w.code)}</p>
                    <QrCode text=Signal::derive(link) label="Código QR para unirse al taller"/>
                    <p class="join-link">{link}</p>
                    <p class="barrio-meta">{format!("El código sirve hasta el {}.", w.expires_es)}</p>
                </div>
                <a class="button primary" href=format!("/barrio/{}", w.barrio_id)>"Abrir el mapa del taller"</a>
            })}
            // The facilitator's view of the room; the server decides who may read it.
            {move || kept_room.get().map(|(wid, barrio_id)| view! {
                <Show when=move || session.user().is_some()>
                    <PackStatus barrio_id/>
                    <RoomPanel workshop_id=wid/>
                </Show>
            })}
            <Show when=move || session.user().is_some_and(|u| workshop.with(|w| w.as_ref().is_some_and(|w| u.assigned_to(w.barrio_id))))>
                <section class="facilitator-box" data-testid="facilitator-controls">
                    <h2>"Para quien facilita"</h2>
                    <Show when=move || workshop.with(|w| w.as_ref().is_some_and(|w| w.closed))>
                        <p class="notice" data-testid="workshop-closed">"Taller cerrado: los dispositivos ya no pueden enviar ni recibir marcas de él."</p>
                    </Show>
                    <label class="check">
                        <input type="checkbox" data-testid="share-sensitive"
                            prop:checked=move || workshop.with(|w| w.as_ref().is_some_and(|w| w.share_sensitive))
                            prop:disabled=move || workshop.with(|w| w.as_ref().is_none_or(|w| w.closed))
                            on:change=move |ev| share(event_target_checked(&ev))/>
                        <span>"Los participantes ven las marcas sensibles de los demás (expendio, extorsión, violencia…). Si no, cada quien ve solo las suyas."</span>
                    </label>
                    <button type="button" class="button" data-testid="close-workshop"
                        disabled=move || workshop.with(|w| w.as_ref().is_none_or(|w| w.closed))
                        on:click=move |_| close_now()>
                        "Cerrar el taller"
                    </button>
                    {move || control_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                </section>
                // The archivo fotográfico of the workshop itself: the paper map on the wall, the room.
                {move || kept_room.get().map(|(wid, barrio_id)| view! {
                    <section class="facilitator-box" data-testid="workshop-media">
                        <MediaAttachments record=RecordRef { kind: RecordKind::Workshop, id: wid } barrio_id workshop_id=Some(wid)/>
                    </section>
                })}
            </Show>
            {move || kept_id.get().map(|wid| view! {
                <section class="device-hygiene" data-testid="workshop-wipe">
                    <h2>"Al terminar, en una tableta compartida"</h2>
                    <WipeButton scope=WipeScope::Workshop(wid) label="Terminar taller en este dispositivo"
                        explain="Se borran de este dispositivo las marcas, causas y soluciones de este taller (también las recibidas de otros), su código y los alias usados aquí."
                        on_done=Callback::new(move |_| { workshop.set(None); wiped.set(true); })/>
                </section>
            })}
        </section>
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    // The code comes from the QR's link (`/unirse/ABC234`), or from the form sent before the
    // app answered (a plain GET: `/unirse?code=ABC-234`).
    let query = use_query_map();
    let code = RwSignal::new(
        params.with_untracked(|p| p.get("code")).or_else(|| query.with_untracked(|q| q.get("code"))).unwrap_or_default(),
    );
    let code_input = NodeRef::<leptos::html::Input>::new();
    crate::components::hydration::keep_typed_before_hydration(code_input, code);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let join = move || {
        let Some(normal) = normalize_code(&code.get_untracked()) else {
            error.set(Some("El código tiene 6 letras o números, como ABC-234. Revíselo.".into()));
            return;
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let state = crate::components::status::use_sync_state();
            match crate::client::workshops::join(state, &normal).await {
                Ok(w) => navigate(&format!("/barrio/{}", w.workshop.barrio_id), Default::default()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (normal, navigate);
    };
    // A link from the QR carries the code (or the form was sent before the app answered): join
    // at once. A code typed before hydration is kept, but waits for "Unirme".
    let from_address = !code.get_untracked().is_empty();
    let join_now = join.clone();
    Effect::new(move |_| {
        if from_address {
            join_now();
        }
    });
    view! {
        <Title text="Unirse a un taller"/>
        <section class="page join">
            <h1>"Unirse a un taller"</h1>
            <p class="lead">"Escriba el código que le dio quien facilita. Se necesita señal solo esta vez: después puede marcar sin conexión."</p>
            <form class="join-form" on:submit=move |ev| { ev.prevent_default(); join(); }>
                <label>
                    <span>"Código del taller"</span>
                    <input
                        type="text"
                        name="code"
                        class="code-input"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        maxlength="9"
                        placeholder="ABC-234"
                        // Uncontrolled: what is typed before hydration stays (see
                        // `keep_typed_before_hydration`).
                        value=code.get_untracked()
                        node_ref=code_input
                        on:input=move |ev| code.set(event_target_value(&ev))
                    />
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="join-error">{move || error.get()}</p>
                </Show>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Descargando el taller…" } else { "Unirme" }}
                </button>
            </form>
        </section>
    }
}

/// The address a phone opens to join the workshop with `code` (the QR's content): on this
/// server, as the browser reached it. Empty of origin while rendering on the server.
pub(crate) fn join_link(code: &str) -> String {
    let origin = {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        String::new()
    };
    format!("{origin}/unirse/{code}")
}
