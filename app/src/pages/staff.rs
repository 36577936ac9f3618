//! `/equipo`: every barrio with its diagnóstico status and counts, barrios needing work first,
//! with search and filters; each row opens the barrio's diagnóstico. Staff work online, so the
//! list comes from the API once the page runs in the browser (never rendered into the HTML).

use leptos::prelude::*;

use crate::components::account::StaffOnly;
use leptos_meta::Title;

use super::barrio_list::fold;
use super::diagnostico::when_es;
use crate::model::barrio::municipio_name;
use crate::model::status::{BarrioStatus, Status};
use crate::model::words::{count_es, plural_es};

/// The words on a barrio's status chip.
fn chip_text(b: &BarrioStatus) -> String {
    match (b.status, &b.latest) {
        (Status::AlDia, Some(latest)) => format!("Al día — versión {}", latest.number),
        (status, _) => status.label_es().to_string(),
    }
}

/// Whether a barrio shows under the filters: its status chip (if one is chosen), "only with
/// marks", and the search words (name or comuna, without accents or case).
fn shown(b: &BarrioStatus, status: Option<Status>, only_marked: bool, query: &str) -> bool {
    status.is_none_or(|s| b.status == s)
        && (!only_marked || b.status != Status::SinMarcas)
        && (query.is_empty() || fold(&b.name).contains(query) || b.comuna.as_deref().is_some_and(|c| fold(c).contains(query)))
}

/// The status icon: a shape per status besides its colour, for colour-blind people.
#[component]
fn StatusIcon(status: Status) -> impl IntoView {
    let path = match status {
        // Two arrows in a circle: to be generated again.
        Status::Desactualizado => "M20 11a8 8 0 0 0-14.3-4.9M4 4v4h4M4 13a8 8 0 0 0 14.3 4.9M20 20v-4h-4",
        // A page with lines still to write.
        Status::SinDiagnostico => "M7 3h7l4 4v14H7zM14 3v4h4M10 12h5M10 16h5",
        // A tick.
        Status::AlDia => "M5 12.5l4.5 4.5L19 7.5",
        // An empty circle.
        Status::SinMarcas => "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16",
    };
    view! {
        <svg class="status-icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d=path/>
        </svg>
    }
}

/// One barrio as a row that opens its diagnóstico.
#[component]
fn StatusRow(barrio: BarrioStatus, #[prop(optional)] show_city: bool) -> impl IntoView {
    let b = barrio;
    let code = b.status.code();
    // With several cities in the list, the place says which (two may have an "El Prado").
    let comuna = b.comuna.clone().filter(|c| !c.trim().is_empty());
    let city = show_city.then(|| municipio_name(&b.municipio));
    let comuna = match (comuna, city) {
        (Some(c), Some(city)) => Some(format!("{c} · {city}")),
        (c, city) => c.or(city),
    };
    let last_mark = b.last_mark_ms.map(when_es);
    // With no version yet, "Versión" is only a label (hidden where the column has a heading).
    let (version_class, version_label, version_when) = match &b.latest {
        Some(l) => {
            ("", format!("Versión {} · {}", l.number, count_es(l.hotspots, "punto crítico", "puntos críticos")), when_es(l.created_at_ms))
        }
        None => ("label", "Versión".to_string(), "—".to_string()),
    };
    let rejected = (b.rejected > 0).then(|| count_es(b.rejected, "rechazada", "rechazadas"));
    view! {
        <li>
            <a class="staff-barrio status-row" href=format!("/diagnostico/{}", b.barrio_id) data-code=b.code.clone() data-status=code data-marks=b.marks
                data-participants=b.participants data-workshops=b.workshops>
                <span class="cell name">
                    <strong>{b.name.clone()}</strong>
                    {comuna.map(|c| view! { <small>{c}</small> })}
                </span>
                <span class="cell state">
                    <span class=format!("status-chip {code}")>
                        <StatusIcon status=b.status/>
                        <span>{chip_text(&b)}</span>
                    </span>
                </span>
                <span class="cell num marks">
                    <strong>{b.marks}</strong>
                    <small class="unit">{plural_es(b.marks, "marca", "marcas")}</small>
                    {rejected.map(|r| view! { <small class="warn-text">{r}</small> })}
                </span>
                <span class="cell num people">
                    <strong>{b.participants}</strong>
                    <small class="unit">{plural_es(b.participants, "persona", "personas")}</small>
                </span>
                <span class="cell num workshops">
                    <strong>{b.workshops}</strong>
                    <small class="unit">{plural_es(b.workshops, "taller", "talleres")}</small>
                </span>
                <span class="cell when">
                    <small class="label">"Última marca"</small>
                    <span>{last_mark.unwrap_or_else(|| "—".to_string())}</span>
                </span>
                <span class="cell version">
                    <small class=version_class>{version_label}</small>
                    <span>{version_when}</span>
                </span>
            </a>
        </li>
    }
}

/// The staff's entry: every barrio with where it stands, to open its diagnóstico.
#[component]
pub fn StaffPage() -> impl IntoView {
    view! {
        <StaffOnly what="La lista de barrios con sus diagnósticos es para el equipo de la Secretaría.">
            <StaffPanels/>
        </StaffOnly>
    }
}

#[component]
fn StaffPanels() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<BarrioStatus>, String>>);
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<Status>);
    // The city shown ("": all of the account's), offered only when the list holds several.
    let city = RwSignal::new(String::new());
    let cities = move || {
        let mut codes: Vec<String> =
            list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map(|v| v.iter().map(|b| b.municipio.clone()).collect()).unwrap_or_default());
        codes.sort_unstable();
        codes.dedup();
        codes
    };
    // `None` until the person touches it: then on exactly when some barrio has marks.
    let only_marked_choice = RwSignal::new(None::<bool>);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { list.set(Some(status_api::load().await)) });
    });

    let any_marked =
        move || list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).is_some_and(|v| v.iter().any(|b| b.status != Status::SinMarcas)));
    let only_marked = move || only_marked_choice.get().unwrap_or_else(any_marked);
    let count =
        move |s: Status| list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, |v| v.iter().filter(|b| b.status == s).count()));
    let choose = move |s: Status| {
        let again = chosen.get_untracked() == Some(s);
        chosen.set((!again).then_some(s));
        // Barrios without marks are hidden by the other filter: asking for them turns it off.
        if !again && s == Status::SinMarcas {
            only_marked_choice.set(Some(false));
        }
    };

    view! {
        <Title text="Equipo · Diagnósticos"/>
        <section class="page staff staff-status">
            <h1>"Diagnósticos por barrio"</h1>
            <p class="balance-actions">
                <a class="button small" href="/ruta">"La ruta de los barrios: los nueve pasos"</a>
                <a class="button small" href="/balance" data-testid="balance-link">"Balance de seguridad (pasos 1 y 2)"</a>
                <a class="button small" href="/instituciones">"Instituciones y compromisos (paso 4)"</a>
                <a class="button small" href="/seguimiento" data-testid="seguimiento-link">"Seguimiento y comités (paso 7)"</a>
            </p>
            <p class="barrio-meta">"Para el equipo de la Secretaría: dónde hay marcas por consolidar, qué barrios ya tienen su diagnóstico temprano al día y cuáles aún no tienen marcas."</p>
            <p><a href="/ruta/inscripciones" data-testid="inscripciones-link">"Solicitudes de inscripción en la ruta"</a></p>
            <div class="status-filters">
                <label class="field search-field">
                    <span>"Buscar barrio o comuna"</span>
                    <input type="search" name="staff-search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                </label>
                <label class="toggle">
                    <input
                        type="checkbox"
                        name="only-marked"
                        prop:checked=only_marked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            only_marked_choice.set(Some(on));
                            if on && chosen.get_untracked() == Some(Status::SinMarcas) {
                                chosen.set(None);
                            }
                        }
                    />
                    <span>"Solo barrios con marcas"</span>
                </label>
                <Show when=move || { cities().len() > 1 }>
                    <label class="field city-field">
                        <span>"Ciudad"</span>
                        <select name="staff-city" data-testid="staff-city" on:change=move |ev| city.set(event_target_value(&ev))>
                            <option value="" selected=move || city.get().is_empty()>"Todas"</option>
                            {move || cities().into_iter().map(|m| {
                                let name = municipio_name(&m);
                                let value = m.clone();
                                view! { <option value=m selected=move || city.get() == value>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
            </div>
            <div class="chips status-chips" role="group" aria-label="Filtrar por estado">
                {Status::ALL.into_iter().map(|s| view! {
                    <button
                        type="button"
                        class=format!("chip-choice status-filter {}", s.code())
                        class:on=move || chosen.get() == Some(s)
                        aria-pressed=move || if chosen.get() == Some(s) { "true" } else { "false" }
                        data-status=s.code()
                        on:click=move |_| choose(s)
                    >
                        <StatusIcon status=s/>
                        {move || format!("{} {}", count(s), s.filter_es())}
                    </button>
                }).collect_view()}
            </div>
            {move || match list.get() {
                None => view! { <p class="loading">"Cargando barrios…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(all)) => {
                    let q = fold(query.get().trim());
                    let (status, only) = (chosen.get(), only_marked());
                    let (several, place) = (cities().len() > 1, city.get());
                    let all: Vec<BarrioStatus> = all.into_iter().filter(|b| place.is_empty() || b.municipio == place).collect();
                    let total = all.len();
                    let rows: Vec<BarrioStatus> = all.into_iter().filter(|b| shown(b, status, only, &q)).collect();
                    let summary = format!("{} de {} barrios", rows.len(), total);
                    let empty = if !any_marked() && only {
                        "Aún no hay marcas en ningún barrio. Cuando un taller envíe las suyas, su barrio aparece aquí primero."
                    } else {
                        "Ningún barrio coincide con la búsqueda y los filtros."
                    };
                    view! {
                        <p class="count" aria-live="polite" data-testid="status-count" data-shown=rows.len()>{summary}</p>
                        {rows.is_empty().then(|| view! { <p class="empty">{empty}</p> })}
                        <div class="status-table">
                            <div class="status-head" aria-hidden="true">
                                <span>"Barrio"</span><span>"Estado"</span><span>"Marcas"</span><span>"Personas"</span>
                                <span>"Talleres"</span><span>"Última marca"</span><span>"Última versión"</span>
                            </div>
                            <ul class="status-list" data-testid="status-list">
                                {rows.into_iter().map(|b| view! { <StatusRow barrio=b show_city=several && place.is_empty()/> }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod status_api {
    //! The status list from the API.
    use crate::model::status::BarrioStatus;

    pub async fn load() -> Result<Vec<BarrioStatus>, String> {
        let response = gloo_net::http::Request::get("/api/v1/diagnosticos/status")
            .send()
            .await
            .map_err(|_| "Sin conexión con el servidor: la lista de barrios necesita internet.".to_string())?;
        if !response.ok() {
            return Err(crate::client::sync::error_message(response).await.unwrap_or_else(|| "El servidor no respondió bien.".into()));
        }
        response.json().await.map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::status::LatestDiagnostico;

    fn barrio(name: &str, comuna: Option<&str>, status: Status) -> BarrioStatus {
        BarrioStatus {
            barrio_id: 1,
            municipio: "47001".into(),
            code: fold(name),
            name: name.into(),
            comuna: comuna.map(str::to_string),
            marks: 0,
            rejected: 0,
            workshops: 0,
            participants: 0,
            last_mark_ms: None,
            last_change_ms: None,
            diagnosticos: 0,
            latest: None,
            status,
        }
    }

    #[test]
    fn filters_combine_status_marks_and_words() {
        let olimpica = barrio("Villa Olímpica", Some("Comuna 5"), Status::SinDiagnostico);
        let empty = barrio("Bastidas", None, Status::SinMarcas);
        assert!(shown(&olimpica, None, true, "olimp"));
        assert!(shown(&olimpica, None, true, "comuna 5"));
        assert!(!shown(&olimpica, Some(Status::AlDia), false, ""));
        assert!(!shown(&empty, None, true, ""), "only barrios with marks");
        assert!(shown(&empty, Some(Status::SinMarcas), false, "bast"));
    }

    #[test]
    fn the_chip_says_the_version_when_up_to_date() {
        let mut b = barrio("Pescaíto", None, Status::AlDia);
        b.latest = Some(LatestDiagnostico { number: 3, created_at_ms: 0, created_by: "Ana".into(), marks: 4, hotspots: 2 });
        assert_eq!(chip_text(&b), "Al día — versión 3");
        b.status = Status::Desactualizado;
        assert_eq!(chip_text(&b), "Marcas nuevas sin consolidar");
        assert_eq!(count_es(1, "marca", "marcas"), "1 marca");
    }
}
