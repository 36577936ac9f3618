//! `/ruta`: where every barrio stands on the procedure's nine steps, and what each is missing,
//! filterable by step, comuna and "registros pendientes"; each row opens the barrio's route.
//! For staff (their cities) and facilitators (their barrios); loaded from the API once the
//! page runs in the browser.

use leptos::prelude::*;
use leptos_meta::Title;

use super::barrio_list::fold;
use crate::components::account::RequireRole;
use std::collections::{HashMap, HashSet};

use crate::map::projection::Projection;
use crate::model::registro::{BarrioOutline, RutaResumen};
use crate::model::ruta::Paso;
use crate::model::words::count_es;

/// Which step a row must be at: any, none (no open ciclo), or one of the nine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasoFilter {
    Any,
    SinCiclo,
    Paso(u8),
}

/// The rows the filters leave, in the list's order.
pub fn shown(line: &RutaResumen, paso: PasoFilter, comuna: &str, only_pending: bool, query: &str) -> bool {
    let at_step = match paso {
        PasoFilter::Any => true,
        PasoFilter::SinCiclo => line.paso.is_none(),
        PasoFilter::Paso(n) => line.paso == Some(n),
    };
    at_step
        && (comuna.is_empty() || line.comuna.as_deref() == Some(comuna))
        && (!only_pending || line.pendientes > 0)
        && (query.is_empty() || fold(&line.name).contains(query))
}

/// A step's badge: its number over its colour (a sequential, colour-blind-safe ramp), and its
/// name beside it where there is room.
#[component]
pub fn PasoBadge(paso: Option<u8>, #[prop(optional)] short: bool) -> impl IntoView {
    let (class, number, name) = match paso.and_then(Paso::from_number) {
        Some(p) => (format!("paso-badge paso-{}", p.number()), p.number().to_string(), p.label_es()),
        None => ("paso-badge paso-0".to_string(), "–".to_string(), "Sin ciclo abierto"),
    };
    view! {
        <span class=class data-paso=paso.unwrap_or(0)>
            <span class="paso-num" aria-hidden="true">{number}</span>
            {(!short).then(|| view! { <span class="paso-name">{name}</span> })}
            {short.then(|| view! { <span class="sr-only">{name}</span> })}
        </span>
    }
}

#[component]
pub fn RutaPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|_| true what="La ruta de los barrios es para el equipo de la Secretaría y quienes facilitan en ellos.">
            <RutaPanels/>
        </RequireRole>
    }
}

#[component]
fn RutaPanels() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<RutaResumen>, String>>);
    let outlines = RwSignal::new(Vec::<BarrioOutline>::new());
    let query = RwSignal::new(String::new());
    let paso = RwSignal::new(PasoFilter::Any);
    let comuna = RwSignal::new(String::new());
    let only_pending = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { list.set(Some(crate::client::session::get_json("/api/v1/ruta").await)) });
        // The map is a help, not the page: without it the list still says everything.
        leptos::task::spawn_local(async move {
            if let Ok(all) = crate::client::session::get_json("/api/v1/ruta/mapa").await {
                outlines.set(all);
            }
        });
    });

    let lines = move || list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default());
    let count_at = move |f: PasoFilter| list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, |v| v.iter().filter(|l| shown(l, f, "", false, "")).count()));
    let comunas = move || {
        let mut all: Vec<String> = lines().into_iter().filter_map(|l| l.comuna).filter(|c| !c.trim().is_empty()).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let shown_ids = Memo::new(move |_| {
        let q = fold(query.get().trim());
        let (f, c, pending) = (paso.get(), comuna.get(), only_pending.get());
        list.with(|l| {
            l.as_ref().and_then(|r| r.as_ref().ok()).map_or_else(HashSet::new, |v| v.iter().filter(|l| shown(l, f, &c, pending, &q)).map(|l| l.barrio_id).collect())
        })
    });
    let choose = move |f: PasoFilter| paso.update(|p| *p = if *p == f { PasoFilter::Any } else { f });
    let chip = move |f: PasoFilter, label: String, badge: Option<u8>| {
        view! {
            <button type="button" class="chip-choice paso-filter" class:on=move || paso.get() == f
                aria-pressed=move || if paso.get() == f { "true" } else { "false" } on:click=move |_| choose(f)>
                <PasoBadge paso=badge short=true/>
                <span>{label}</span>
                <strong class="paso-count">{move || count_at(f)}</strong>
            </button>
        }
    };

    view! {
        <Title text="La ruta de los barrios"/>
        <section class="page staff ruta-page">
            <p class="crumbs"><a href="/equipo">"← Diagnósticos por barrio"</a>" · "<a href="/balance">"Balance de seguridad y convivencia"</a>" · "<a href="/instituciones" data-testid="instituciones-link">"Instituciones y sus compromisos"</a>" · "<a href="/seguimiento">"Seguimiento y comités"</a></p>
            <h1>"La ruta de los barrios"</h1>
            <p class="barrio-meta">"Dónde está cada barrio en los nueve pasos del procedimiento de entornos seguros, y qué registros le faltan para seguir."</p>
            <div class="chips paso-chips" role="group" aria-label="Filtrar por paso" data-testid="paso-chips">
                {Paso::ALL.into_iter().map(|p| chip(PasoFilter::Paso(p.number()), p.label_es().to_string(), Some(p.number()))).collect_view()}
                {chip(PasoFilter::SinCiclo, "Sin ciclo abierto".into(), None)}
            </div>
            <div class="status-filters">
                <label class="field search-field">
                    <span>"Buscar barrio"</span>
                    <input type="search" name="ruta-search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                </label>
                <Show when=move || !comunas().is_empty()>
                    <label class="field">
                        <span>"Comuna"</span>
                        <select name="ruta-comuna" on:change=move |ev| comuna.set(event_target_value(&ev))>
                            <option value="" selected=move || comuna.get().is_empty()>"Todas"</option>
                            {move || comunas().into_iter().map(|c| {
                                let (value, label) = (c.clone(), c.clone());
                                view! { <option value=c selected=move || comuna.get() == value>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label class="toggle">
                    <input type="checkbox" name="only-pending" prop:checked=only_pending on:change=move |ev| only_pending.set(event_target_checked(&ev))/>
                    <span>"Solo con registros pendientes"</span>
                </label>
            </div>
            <div class="ruta-layout">
            {move || {
                let all = outlines.get();
                let lines = lines();
                (!all.is_empty() && !lines.is_empty()).then(|| view! { <CityMap outlines=all lines shown=shown_ids/> })
            }}
            <div class="ruta-rows">
            {move || match list.get() {
                None => view! { <p class="loading">"Cargando la ruta…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(all)) => {
                    let q = fold(query.get().trim());
                    let (f, c, pending) = (paso.get(), comuna.get(), only_pending.get());
                    let total = all.len();
                    let rows: Vec<RutaResumen> = all.into_iter().filter(|l| shown(l, f, &c, pending, &q)).collect();
                    view! {
                        <p class="count" aria-live="polite" data-testid="ruta-count" data-shown=rows.len()>{format!("{} de {} barrios", rows.len(), total)}</p>
                        {rows.is_empty().then(|| view! { <p class="empty">"Ningún barrio coincide con la búsqueda y los filtros."</p> })}
                        <ul class="ruta-list" data-testid="ruta-list">
                            {rows.into_iter().map(|l| view! { <RutaRow line=l/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            </div>
            </div>
        </section>
    }
}

/// Every barrio on one map, coloured by its step; those the filters leave out fade. A tap
/// opens the barrio's route; the legend repeats the numbers the colours stand for.
#[component]
fn CityMap(outlines: Vec<BarrioOutline>, lines: Vec<RutaResumen>, shown: Memo<HashSet<i64>>) -> impl IntoView {
    let by_id: HashMap<i64, RutaResumen> = lines.into_iter().map(|l| (l.barrio_id, l)).collect();
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let mut grow = |rings: &[Vec<Vec<f64>>]| {
        for p in rings.iter().flatten().filter(|p| p.len() >= 2) {
            bbox = [bbox[0].min(p[0]), bbox[1].min(p[1]), bbox[2].max(p[0]), bbox[3].max(p[1])];
        }
    };
    for o in &outlines {
        match &o.outline.value {
            geojson::Value::Polygon(rings) => grow(rings),
            geojson::Value::MultiPolygon(polys) => polys.iter().for_each(|p| grow(p)),
            _ => {}
        }
    }
    let projection = Projection::centred_on(bbox);
    let view_box = projection.fit(bbox, 0.02).to_attr();
    let paths = outlines
        .into_iter()
        .filter_map(|o| {
            let line = by_id.get(&o.barrio_id)?;
            let id = o.barrio_id;
            let step = line.paso.and_then(Paso::from_number);
            let title = match step {
                Some(p) => format!("{} · paso {}: {}", line.name, p.number(), p.label_es()),
                None => format!("{} · sin ciclo abierto", line.name),
            };
            let d = projection.path(&o.outline);
            let label = title.clone();
            // An SVG link is ambiguous to build element by element: the path itself is the link.
            let navigate = leptos_router::hooks::use_navigate();
            let go = move || navigate(&format!("/ruta/{id}"), Default::default());
            let go_key = go.clone();
            Some(view! {
                <path d=d class=format!("paso-{}", line.paso.unwrap_or(0)) class:dim=move || !shown.with(|s| s.contains(&id)) fill-rule="evenodd"
                    role="link" tabindex="0" aria-label=label data-barrio=id
                    on:click=move |_| go()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { go_key() }>
                    <title>{title}</title>
                </path>
            })
        })
        .collect_view();
    view! {
        <figure class="city-map" data-testid="city-map">
            <svg viewBox=view_box role="group" aria-label="Mapa de la ciudad: cada barrio con el color de su paso">{paths}</svg>
            <figcaption class="paso-legend">
                {Paso::ALL.into_iter().map(|p| view! { <span><PasoBadge paso=Some(p.number()) short=true/>{p.label_es()}</span> }).collect_view()}
                <span><PasoBadge paso=None short=true/>"Sin ciclo abierto"</span>
            </figcaption>
        </figure>
    }
}

#[component]
fn RutaRow(line: RutaResumen) -> impl IntoView {
    let since = line.since_ms.map(|ms| format!("Desde {}", crate::model::workshop::when_es(ms)));
    let pending = (line.pendientes > 0).then(|| count_es(line.pendientes, "registro pendiente", "registros pendientes"));
    let walked = (line.ciclos > 1).then(|| format!("{} ciclos", line.ciclos));
    view! {
        <li>
            <a class="ruta-row" href=format!("/ruta/{}", line.barrio_id) data-code=line.code.clone() data-paso=line.paso.unwrap_or(0) data-pendientes=line.pendientes>
                <span class="cell name">
                    <strong>{line.name.clone()}</strong>
                    {line.comuna.clone().filter(|c| !c.trim().is_empty()).map(|c| view! { <small>{c}</small> })}
                </span>
                <span class="cell step"><PasoBadge paso=line.paso/></span>
                <span class="cell when">{since.map(|s| view! { <small>{s}</small> })}{walked.map(|w| view! { <small>{w}</small> })}</span>
                <span class="cell pending">
                    {match pending {
                        Some(p) => view! { <span class="pending-chip">{p}</span> }.into_any(),
                        None if line.paso.is_some() => view! { <small class="ok-text">"Registros al día"</small> }.into_any(),
                        None => ().into_any(),
                    }}
                </span>
            </a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, comuna: Option<&str>, paso: Option<u8>, pendientes: u32) -> RutaResumen {
        RutaResumen {
            barrio_id: 1,
            code: fold(name),
            municipio: "47001".into(),
            name: name.into(),
            comuna: comuna.map(str::to_string),
            paso,
            ciclo_id: None,
            since_ms: None,
            pendientes,
            ciclos: u32::from(paso.is_some()),
        }
    }

    #[test]
    fn filters_combine_step_comuna_pending_and_words() {
        let pescaito = line("Pescaíto", Some("Comuna 2"), Some(3), 2);
        let bastidas = line("Bastidas", Some("Comuna 1"), None, 0);
        assert!(shown(&pescaito, PasoFilter::Paso(3), "", true, "pesca"));
        assert!(!shown(&pescaito, PasoFilter::Paso(4), "", false, ""));
        assert!(!shown(&pescaito, PasoFilter::SinCiclo, "", false, ""));
        assert!(shown(&bastidas, PasoFilter::SinCiclo, "Comuna 1", false, ""));
        assert!(!shown(&bastidas, PasoFilter::Any, "Comuna 2", false, ""));
        assert!(!shown(&bastidas, PasoFilter::Any, "", true, ""), "nothing pending without a ciclo");
    }
}
