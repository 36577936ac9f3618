//! `/balance`: the balance of a cuatrimestre for staff. The city map by ISCB class, the ranked
//! table with each barrio's change and trend, filters by comuna, each barrio's explanation
//! (what each indicator adds to its index), and the choice of barrios for the next cycle, from
//! the ranking and from the community's inscripciones, each with its reason.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::mapa::{Choropleth, Sparkline};
use super::{cambio_es, trend_range, EjemploBanner, Pedido};
use crate::components::account::RequireRole;
use crate::model::balance::informe::{Balance, FilaBalance};
use crate::model::balance::iscb::{DefinicionIscb, Normalizacion};
use crate::model::balance::periodo::Periodo;
use crate::model::balance::priorizacion::{ElegidoDraft, Priorizacion};
use crate::model::inscripcion::Inscripcion;
use crate::model::registro::BarrioOutline;
use crate::model::ruta::Paso;
use crate::model::words::{count_es, number_es};

#[component]
pub fn BalancePage() -> impl IntoView {
    view! {
        <RequireRole allowed=|r| r.is_staff() what="El balance de seguridad y convivencia es para el equipo de la Secretaría.">
            <BalanceView/>
        </RequireRole>
    }
}

/// The rows the comuna filter leaves.
pub fn in_comuna(fila: &FilaBalance, comuna: &str) -> bool {
    comuna.is_empty() || fila.comuna.as_deref() == Some(comuna)
}

/// The reason a choice from the ranking starts with: its place and index.
pub fn motivo_inicial(fila: &FilaBalance, total: usize, periodo: Periodo) -> String {
    match (fila.puesto, fila.indice) {
        (Some(p), Some(i)) => format!("Puesto {p} de {total} en el ISCB del {} (índice {}).", periodo.label_es(), number_es(i, 1)),
        _ => format!("Sin índice en el {}.", periodo.label_es()),
    }
}

#[component]
fn BalanceView() -> impl IntoView {
    let query = use_query_map();
    let pedido = Memo::new(move |_| query.with(|q| Pedido::from_query(|k| q.get(k))));
    let balance = RwSignal::new(None::<Result<Balance, String>>);
    let outlines = RwSignal::new(Vec::<BarrioOutline>::new());
    let versions = RwSignal::new(Vec::<DefinicionIscb>::new());
    let comuna = RwSignal::new(String::new());
    let picked = RwSignal::new(None::<i64>);
    let elegidos = RwSignal::new(Vec::<(ElegidoDraft, String)>::new());
    let hechas = RwSignal::new(Vec::<Priorizacion>::new());
    let inscripciones = RwSignal::new(Vec::<Inscripcion>::new());
    let reload = RwSignal::new(0u32);
    // Outside the balance's view, which the reload after a choice rebuilds: the answer stays.
    let aviso = RwSignal::new(None::<Result<String, String>>);

    #[cfg(feature = "hydrate")]
    {
        use crate::client::session::get_json;
        Effect::new(move |_| {
            let p = pedido.get();
            reload.track();
            leptos::task::spawn_local(async move {
                let answer: Result<Balance, String> = get_json(&p.url("/api/v1/balance")).await;
                if let Ok(b) = &answer {
                    let q = Pedido::of(b);
                    if let Ok(list) = get_json(&format!("/api/v1/balance/priorizaciones?municipio={}&periodo={}", q.municipio, b.periodo.code())).await {
                        hechas.set(list);
                    }
                }
                balance.set(Some(answer));
            });
        });
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                if let Ok(all) = get_json("/api/v1/ruta/mapa").await {
                    outlines.set(all);
                }
                if let Ok(all) = get_json("/api/v1/iscb/definiciones").await {
                    versions.set(all);
                }
                if let Ok(all) = get_json::<Vec<Inscripcion>>("/api/v1/inscripciones").await {
                    inscripciones.set(all.into_iter().filter(Inscripcion::is_pending).collect());
                }
            });
        });
    }

    // On a phone or tablet the explanation sits above the table: a row picked there scrolls to it.
    #[cfg(feature = "hydrate")]
    Effect::new(move |prev: Option<Option<i64>>| {
        let now = picked.get();
        if prev.is_some() && now.is_some() {
            request_animation_frame(|| {
                let Some(w) = web_sys::window() else { return };
                let narrow = w.inner_width().ok().and_then(|v| v.as_f64()).is_some_and(|v| v < 1000.0);
                if let (true, Some(el)) = (narrow, w.document().and_then(|d| d.query_selector("[data-testid=explicacion]").ok().flatten())) {
                    el.scroll_into_view();
                }
            });
        }
        now
    });
    let go = move |p: Pedido| {
        let navigate = use_navigate();
        navigate(&p.url("/balance"), Default::default());
    };

    view! {
        <Title text="Balance de seguridad y convivencia"/>
        <section class="page staff balance-page">
            <p class="crumbs"><a href="/ruta">"← La ruta de los barrios"</a></p>
            <h1>"Balance de seguridad y convivencia"</h1>
            <p class="barrio-meta">"Pasos 1 y 2 de la ruta: el Índice de Seguridad y Convivencia Barrial (ISCB) de cada barrio por cuatrimestre, con los indicadores del Observatorio, para elegir los barrios que entran a la ruta."</p>
            {move || match balance.get() {
                None => view! { <p class="loading">"Calculando el balance…"</p> }.into_any(),
                Some(Err(e)) => view! {
                    <div class="notice" role="alert">
                        <p class="error">{e}</p>
                        <p><a class="button small" href="/admin/indicadores">"Importar indicadores"</a></p>
                    </div>
                }.into_any(),
                Some(Ok(b)) => {
                    let exact = Pedido::of(&b);
                    let total = b.filas.iter().filter(|f| f.puesto.is_some()).count();
                    let comunas = {
                        let mut c: Vec<String> = b.filas.iter().filter_map(|f| f.comuna.clone()).filter(|c| !c.trim().is_empty()).collect();
                        c.sort_unstable();
                        c.dedup();
                        c
                    };
                    let periodos = b.periodos.clone();
                    let this_period = b.periodo;
                    let this_version = b.definicion.version;
                    let (print, projector, csv, oficio) = (exact.url("/balance/imprimir"), exact.url("/balance/proyectar"), exact.url("/api/v1/balance.csv"), exact.url("/balance/oficio"));
                    let for_map = b.clone();
                    let filas_for_shown = b.filas.clone();
                    let shown = Memo::new(move |_| {
                        let c = comuna.get();
                        filas_for_shown.iter().filter(|f| in_comuna(f, &c)).map(|f| f.barrio_id).collect::<HashSet<i64>>()
                    });
                    view! {
                        <EjemploBanner ejemplo=b.ejemplo/>
                        <div class="balance-controls">
                            <label class="field">
                                <span>"Cuatrimestre"</span>
                                <select name="periodo" data-testid="periodo" on:change=move |ev| {
                                    let periodo = Periodo::parse(&event_target_value(&ev));
                                    go(Pedido { periodo, ..pedido.get_untracked() });
                                }>
                                    {periodos.into_iter().map(|p| view! {
                                        <option value=p.code() selected=p == this_period>{format!("{} ({})", p.label_es(), p.meses_es())}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class="field">
                                <span>"Definición del ISCB"</span>
                                <select name="version" on:change=move |ev| {
                                    let version = event_target_value(&ev).parse().ok();
                                    go(Pedido { version, ..pedido.get_untracked() });
                                }>
                                    {move || {
                                        let mut list: Vec<u32> = versions.with(|v| v.iter().map(|d| d.version).collect());
                                        if !list.contains(&this_version) { list.push(this_version); }
                                        list.sort_unstable_by(|a, b| b.cmp(a));
                                        list.into_iter().map(|v| view! { <option value=v selected=v == this_version>{format!("Versión {v}")}</option> }).collect_view()
                                    }}
                                </select>
                            </label>
                            {(!comunas.is_empty()).then(|| view! {
                                <label class="field">
                                    <span>"Comuna"</span>
                                    <select name="comuna" data-testid="comuna" on:change=move |ev| comuna.set(event_target_value(&ev))>
                                        <option value="">"Todas"</option>
                                        {comunas.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                            })}
                            <nav class="balance-actions" aria-label="Documentos del balance">
                                <a class="button small" href=print data-testid="print-link">"Informe para imprimir"</a>
                                <a class="button small" href=projector>"Proyectar en la reunión"</a>
                                <a class="button small quiet" href=csv download>"⬇ CSV"</a>
                                <a class="button small quiet" href=oficio>"✉ Oficio de convocatoria"</a>
                            </nav>
                        </div>
                        <Metodo definicion=b.definicion.clone() indicadores=b.indicadores.iter().map(|i| (i.code.clone(), i.nombre.clone())).collect()/>
                        <div class="balance-layout">
                            <div class="balance-map">
                                {move || {
                                    let all = outlines.get();
                                    (!all.is_empty()).then(|| view! { <Choropleth outlines=all filas=for_map.filas.clone() cortes=for_map.cortes.clone() shown picked/> })
                                }}
                                <Explicacion balance=b.clone() picked total/>
                            </div>
                            <Ranking balance=b.clone() comuna picked elegidos total/>
                        </div>
                        <Priorizar balance=b.clone() elegidos inscripciones hechas reload status=aviso/>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// How the index was computed, in one collapsible paragraph: its version, components and
/// weights, normalisation and reference.
#[component]
fn Metodo(definicion: DefinicionIscb, indicadores: Vec<(String, String)>) -> impl IntoView {
    let d = &definicion.draft;
    let sum: f64 = d.componentes.iter().map(|c| c.peso).sum();
    let name = |code: &str| indicadores.iter().find(|(c, _)| c == code).map_or_else(|| code.to_string(), |(_, n)| n.clone());
    let parts: Vec<String> = d
        .componentes
        .iter()
        .map(|c| format!("{} {}%", name(&c.indicador), number_es(if sum > 0.0 { c.peso / sum * 100.0 } else { 0.0 }, 0)))
        .collect();
    let norm = match d.normalizacion {
        Normalizacion::MinMax => "mín–máx (0 a 100; 100 es el barrio más seguro)",
        Normalizacion::ZScore => "puntaje estándar (50 es el promedio; cada 10 puntos, una desviación)",
    };
    let referencia = d.periodo_referencia.map_or_else(|| "cada cuatrimestre frente a sí mismo".to_string(), |p| format!("referencia: {}", p.label_es()));
    view! {
        <details class="balance-metodo" data-testid="metodo">
            <summary>{format!("Cómo se calcula · ISCB versión {}", definicion.version)}</summary>
            <p>{format!("Componentes: {}.", parts.join(", "))}</p>
            <p>{format!("Normalización {norm}; {}; {referencia}.", if d.por_10k { "casos convertidos en tasas por 10.000 habitantes" } else { "casos sin convertir en tasas" })}</p>
            {(!d.nota.is_empty()).then(|| view! { <p class="muted">{d.nota.clone()}</p> })}
        </details>
    }
}

/// The ranked table, most need first, filtered by comuna. A row opens its explanation; its
/// box adds it to the barrios chosen.
#[component]
fn Ranking(balance: Balance, comuna: RwSignal<String>, picked: RwSignal<Option<i64>>, elegidos: RwSignal<Vec<(ElegidoDraft, String)>>, total: usize) -> impl IntoView {
    let (lo, hi) = trend_range(&balance.filas);
    let periodo = balance.periodo;
    let trend_title = format!(
        "Tendencia ({} a {})",
        balance.periodos_tendencia.first().map(|p| p.code()).unwrap_or_default(),
        balance.periodos_tendencia.last().map(|p| p.code()).unwrap_or_default()
    );
    let filas = balance.filas;
    let shown_count = {
        let filas = filas.clone();
        move || {
            let c = comuna.get();
            filas.iter().filter(|f| in_comuna(f, &c)).count()
        }
    };
    let rows = filas
        .into_iter()
        .map(|f| {
            let id = f.barrio_id;
            let fila_comuna = f.comuna.clone();
            let (prev, prev_class) = cambio_es(f.cambio_anterior);
            let (year, year_class) = cambio_es(f.cambio_anual);
            let motivo = motivo_inicial(&f, total, periodo);
            let name = f.name.clone();
            let chosen = move || elegidos.with(|e| e.iter().any(|(d, _)| d.barrio_id == id));
            let toggle = move |on: bool| {
                elegidos.update(|e| {
                    e.retain(|(d, _)| d.barrio_id != id);
                    if on {
                        e.push((ElegidoDraft { barrio_id: id, motivo: motivo.clone(), inscripcion_id: None }, name.clone()));
                    }
                })
            };
            let paso = f.paso.and_then(Paso::from_number);
            view! {
                <tr class:picked=move || picked.get() == Some(id) class:hidden=move || !in_comuna_opt(&fila_comuna, &comuna.get())
                    data-barrio=id data-puesto=f.puesto.map(|p| p.to_string()) on:click=move |_| picked.set(Some(id))>
                    <td class="num puesto">{f.puesto.map_or_else(|| "–".to_string(), |p| p.to_string())}</td>
                    <th scope="row" class="barrio">
                        <button type="button" class="link-button" on:click=move |_| picked.set(Some(id))>{f.name.clone()}</button>
                        {f.comuna.clone().map(|c| view! { <small>{c}</small> })}
                    </th>
                    <td class=format!("num indice iscb-cell iscb-{}", f.clase.map_or_else(|| "none".into(), |c| c.to_string()))>
                        {f.indice.map_or_else(|| "sin índice".to_string(), |i| number_es(i, 1))}
                    </td>
                    <td class=format!("num iscb-cambio {prev_class}")>{prev}</td>
                    <td class=format!("num iscb-cambio {year_class}")>{year}</td>
                    <td class="trend"><Sparkline values=f.tendencia.clone() lo hi/></td>
                    <td class="estado">
                        {paso.map(|p| view! { <a class="paso-chip" href=format!("/ruta/{id}")>{format!("Paso {}", p.number())}</a> })}
                        {(f.inscripciones > 0).then(|| view! { <span class="pending-chip">{count_es(f.inscripciones, "inscripción", "inscripciones")}</span> })}
                    </td>
                    <td class="elegir">
                        <label class="check-touch">
                            <input type="checkbox" name="elegir" value=id disabled=paso.is_some() prop:checked=chosen
                                on:click=|ev| ev.stop_propagation()
                                on:change=move |ev| toggle(event_target_checked(&ev))/>
                            <span class="sr-only">{format!("Elegir {}", f.name)}</span>
                        </label>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="balance-ranking">
            <p class="count" aria-live="polite" data-testid="ranking-count">{move || format!("{} barrios", shown_count())}</p>
            <div class="table-scroll">
                <table class="ranking-table" data-testid="ranking">
                    <caption class="sr-only">"Barrios por ISCB, de mayor a menor necesidad"</caption>
                    <thead><tr>
                        <th scope="col">"Puesto"</th><th scope="col">"Barrio"</th><th scope="col">"ISCB"</th>
                        <th scope="col" title="Frente al cuatrimestre anterior">"Δ cuatr."</th><th scope="col" title="Frente al mismo cuatrimestre del año anterior">"Δ año"</th>
                        <th scope="col">{trend_title}</th><th scope="col">"Ruta"</th><th scope="col">"Elegir"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

fn in_comuna_opt(comuna: &Option<String>, wanted: &str) -> bool {
    wanted.is_empty() || comuna.as_deref() == Some(wanted)
}

/// The open barrio's explanation: each component's value, rate, weight and the points it
/// adds, which sum to the index.
#[component]
fn Explicacion(balance: Balance, picked: RwSignal<Option<i64>>, total: usize) -> impl IntoView {
    let minmax = balance.definicion.draft.normalizacion == Normalizacion::MinMax;
    move || {
        let id = picked.get()?;
        let f = balance.filas.iter().find(|f| f.barrio_id == id)?.clone();
        let name_of = |code: &str| balance.indicadores.iter().find(|i| i.code == code).map_or_else(|| code.to_string(), |i| i.nombre.clone());
        let max = f.aportes.iter().map(|a| if minmax { a.peso * 100.0 } else { a.aporte.abs() }).fold(0.0_f64, f64::max).max(f64::EPSILON);
        let sum: f64 = f.aportes.iter().map(|a| a.aporte).sum();
        Some(view! {
            <section class="explicacion" data-testid="explicacion" aria-live="polite">
                <h2>{f.name.clone()}</h2>
                <p>{match (f.indice, f.puesto) {
                    (Some(i), Some(p)) => format!("ISCB {} · puesto {p} de {total}", number_es(i, 1)),
                    _ => "Sin índice en este cuatrimestre.".to_string(),
                }}{f.poblacion.map(|p| format!(" · {} habitantes", number_es(p, 0)))}</p>
                {f.sin_indice.clone().map(|s| view! { <p class="muted">{sin_indice_es(&s, &name_of)}</p> })}
                <div class="table-scroll"><table class="aportes">
                    <thead><tr><th>"Indicador"</th><th>"Valor"</th><th>"Tasa × 10.000"</th><th>"Peso"</th><th>"Aporta"</th></tr></thead>
                    <tbody>
                        {f.aportes.iter().map(|a| {
                            let width = format!("width:{:.1}%", (a.aporte.abs() / max * 100.0).min(100.0));
                            let full = format!("width:{:.1}%", if minmax { a.peso * 100.0 / max * 100.0 } else { 100.0 }.min(100.0));
                            view! {
                                <tr>
                                    <th scope="row">{name_of(&a.indicador)}</th>
                                    <td class="num">{number_es(a.valor, if a.valor.fract() == 0.0 { 0 } else { 1 })}</td>
                                    <td class="num">{a.tasa.map_or_else(|| "–".to_string(), |t| number_es(t, 1))}</td>
                                    <td class="num">{format!("{} %", number_es(a.peso * 100.0, 0))}</td>
                                    <td class="num aporte">
                                        <span class="bar" aria-hidden="true"><span class="bar-full" style=full></span><span class="bar-fill" style=width></span></span>
                                        {number_es(a.aporte, 1)}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                    // One cell per column, so that the columns a phone hides hide here too.
                    <tfoot><tr><th scope="row">"Índice (suma de los aportes)"</th><td></td><td></td><td></td><td class="num"><strong>{number_es(sum, 1)}</strong></td></tr></tfoot>
                </table></div>
                <p class="muted small">{if minmax {
                    "Cada indicador da hasta su peso × 100 puntos: todo el peso si el barrio tiene el mejor valor de la ciudad, nada si tiene el peor."
                } else {
                    "Cada indicador da su peso × (50 − 10 × desviaciones sobre el promedio): por encima del promedio de casos, menos puntos."
                }}</p>
            </section>
        })
    }
}

fn sin_indice_es(s: &crate::model::balance::calculo::SinIndice, name_of: &dyn Fn(&str) -> String) -> String {
    use crate::model::balance::calculo::SinIndice;
    match s {
        SinIndice::SinPoblacion => "Sin índice: falta la población del barrio para calcular tasas.".into(),
        SinIndice::FaltaIndicador(code) => format!("Sin índice: falta el dato de «{}» en el cuatrimestre.", name_of(code)),
    }
}

/// The barrios chosen for the next cycle, each with its reason, and the community's pending
/// inscripciones to choose from; confirming opens their ciclos at step 1.
#[component]
fn Priorizar(
    balance: Balance,
    elegidos: RwSignal<Vec<(ElegidoDraft, String)>>,
    inscripciones: RwSignal<Vec<Inscripcion>>,
    hechas: RwSignal<Vec<Priorizacion>>,
    reload: RwSignal<u32>,
    status: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let (municipio, periodo, version) = (balance.municipio.clone(), balance.periodo, balance.definicion.version);
    let en_ruta = StoredValue::new(balance.filas.iter().filter(|f| f.paso.is_some()).map(|f| f.barrio_id).collect::<HashSet<i64>>());
    let submit = move |_| {
        let chosen: Vec<ElegidoDraft> = elegidos.get_untracked().into_iter().map(|(d, _)| d).collect();
        let draft = crate::model::balance::priorizacion::PriorizacionDraft { municipio: municipio.clone(), periodo, version, elegidos: chosen };
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let answer: Result<Vec<Priorizacion>, String> = crate::client::session::post_json("/api/v1/balance/priorizaciones", &draft).await;
            busy.set(false);
            match answer {
                Ok(done) => {
                    status.set(Some(Ok(format!("{} en la ruta, en el paso 1, con el balance como registro.", count_es(done.len(), "barrio entró", "barrios entraron")))));
                    elegidos.set(Vec::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => status.set(Some(Err(e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (draft, reload);
    };
    view! {
        <section class="priorizar" data-testid="priorizar">
            <h2>"Barrios para el próximo ciclo"</h2>
            <p class="muted">"Marque barrios en la tabla o tome una inscripción de la comunidad, y diga por qué. Al confirmar, cada uno entra a la ruta en el paso 1 con este balance como su informe."</p>
            <Show when=move || !inscripciones.with(Vec::is_empty)>
                <details class="inscripciones-pendientes" open>
                    <summary>{move || format!("Inscripciones pendientes ({})", inscripciones.with(Vec::len))}</summary>
                    <ul>
                        {move || {
                            inscripciones.get().into_iter().map(|i| {
                                let (id, barrio, name) = (i.id, i.barrio_id, i.barrio_name.clone());
                                let motivo = format!("Inscripción de {} ({}): {}", i.organizacion, i.canal.label_es(), i.motivo);
                                let taken = move || elegidos.with(|e| e.iter().any(|(d, _)| d.barrio_id == barrio));
                                let blocked = en_ruta.with_value(|s| s.contains(&barrio));
                                view! {
                                    <li>
                                        <span><strong>{i.barrio_name.clone()}</strong>{format!(" — {}", i.organizacion)}</span>
                                        <button type="button" class="button small" disabled=move || blocked || taken() on:click=move |_| {
                                            elegidos.update(|e| {
                                                e.retain(|(d, _)| d.barrio_id != barrio);
                                                e.push((ElegidoDraft { barrio_id: barrio, motivo: motivo.clone(), inscripcion_id: Some(id) }, name.clone()));
                                            })
                                        }>{if blocked { "Ya en la ruta" } else { "Elegir" }}</button>
                                    </li>
                                }
                            }).collect_view()
                        }}
                    </ul>
                </details>
            </Show>
            <ol class="elegidos" data-testid="elegidos">
                {move || elegidos.get().into_iter().enumerate().map(|(n, (d, name))| {
                    let id = d.barrio_id;
                    view! {
                        <li>
                            <div class="elegido-head">
                                <strong>{name}</strong>
                                {d.inscripcion_id.map(|_| view! { <span class="pending-chip">"Por inscripción"</span> })}
                                <button type="button" class="button small quiet" on:click=move |_| elegidos.update(|e| e.retain(|(x, _)| x.barrio_id != id))>"Quitar"</button>
                            </div>
                            <label class="field">
                                <span>"Motivo"</span>
                                <textarea name=format!("motivo-{n}") rows="2" prop:value=d.motivo.clone()
                                    on:input=move |ev| { let v = event_target_value(&ev); elegidos.update(|e| if let Some((x, _)) = e.iter_mut().find(|(x, _)| x.barrio_id == id) { x.motivo = v; }) }></textarea>
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p>
                <button type="button" class="button primary" data-testid="priorizar-confirmar" disabled=move || busy.get() || elegidos.with(Vec::is_empty) on:click=submit>
                    {move || format!("Abrir la ruta de {}", count_es(elegidos.with(Vec::len), "barrio", "barrios"))}
                </button>
            </p>
            {move || status.get().map(|s| match s {
                Ok(m) => view! { <p class="ok-text" role="status" data-testid="priorizar-ok">{m}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            })}
            <Show when=move || !hechas.with(Vec::is_empty)>
                <h3>{format!("Elegidos en el {}", periodo.label_es())}</h3>
                <ul class="hechas" data-testid="priorizados">
                    {move || hechas.get().into_iter().map(|p| view! {
                        <li><a href=format!("/ruta/{}", p.barrio_id)>{p.barrio.clone()}</a>
                            {format!(" — {}", p.motivo)}
                            <small>{format!(" · {} · {}", p.by, crate::model::workshop::when_es(p.at_ms))}</small></li>
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_from_the_ranking_starts_with_its_place_and_index() {
        let mut f: FilaBalance = serde_json::from_value(serde_json::json!({
            "barrio_id": 7, "code": "gaira", "name": "Gaira", "comuna": "Comuna 7", "indice": 12.345, "puesto": 2, "clase": 0,
            "cambio_anterior": null, "cambio_anual": null, "puesto_anterior": null, "tendencia": [], "aportes": [],
            "sin_indice": null, "poblacion": 3000.0, "paso": null, "inscripciones": 0
        }))
        .unwrap();
        let p = Periodo::new(2026, 3).unwrap();
        assert_eq!(motivo_inicial(&f, 327, p), "Puesto 2 de 327 en el ISCB del cuatrimestre 3 de 2026 (índice 12,3).");
        assert!(in_comuna(&f, "Comuna 7") && in_comuna(&f, "") && !in_comuna(&f, "Comuna 1"));
        f.puesto = None;
        assert_eq!(motivo_inicial(&f, 327, p), "Sin índice en el cuatrimestre 3 de 2026.");
    }
}
