//! `/seguimiento` (paso 7): every compromiso of the barrios' pactos in force, overdue first,
//! counted by institution and by barrio, filtered by institution, barrio and status, each
//! marked when it changed since the city's last interinstitutional committee; and the form that
//! records a committee's session, reviewing the compromisos shown and setting each one's status.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;

use super::{api, EstadoBadge};
use crate::components::account::StaffOnly;
use crate::model::pacto::compromiso::EstadoCompromiso;
use crate::model::pacto::seguimiento::{conteos, Agrupar, Comite, ComiteDraft, Conteo, Filtro, LineaSeguimiento, RevisionDraft, Tablero};
use crate::model::words::count_es;
use crate::model::workshop::date_es;

#[component]
pub fn TableroPage() -> impl IntoView {
    view! {
        <StaffOnly what="El seguimiento de los compromisos es para el equipo de la Secretaría.">
            <TableroPanel/>
        </StaffOnly>
    }
}

#[component]
fn TableroPanel() -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<Tablero, String>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let result = api::get::<Tablero>("/api/v1/seguimiento").await;
            loaded.set(Some(result.map_err(String::from)));
        });
    });
    view! {
        <Title text="Seguimiento de compromisos"/>
        <section class="page staff pacto-page seguimiento-page">
            <p class="crumbs"><a href="/ruta">"← La ruta"</a></p>
            <h1>"Seguimiento de compromisos"</h1>
            <p class="barrio-meta">"Paso 7 · los compromisos de los pactos vigentes de todos los barrios, los vencidos primero."</p>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Cargando los compromisos…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(tablero)) => view! { <TableroView tablero/> }.into_any(),
            }}
        </section>
    }
}

/// The options of a filter: `(value, label)`, each once, in the order of `lineas`' names.
fn opciones(lineas: &[LineaSeguimiento], agrupar: Agrupar) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = conteos(lineas, agrupar).into_iter().map(|c| (c.clave, c.nombre)).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

#[component]
fn TableroView(tablero: Tablero) -> impl IntoView {
    let Tablero { hoy: _, lineas, comites } = tablero;
    let lineas = StoredValue::new(lineas);
    let institucion = RwSignal::new(String::new());
    let barrio = RwSignal::new(String::new());
    let estado = RwSignal::new(String::new());
    let filtro = Memo::new(move |_| Filtro {
        institucion: Some(institucion.get()).filter(|s| !s.is_empty()),
        barrio: barrio.get().parse().ok(),
        estado: Some(estado.get()).filter(|s| !s.is_empty()),
    });
    let visibles = Memo::new(move |_| {
        let f = filtro.get();
        lineas.with_value(|ls| ls.iter().filter(|l| f.deja(l)).cloned().collect::<Vec<_>>())
    });
    let (total, vencidas, cambiadas) = lineas
        .with_value(|ls| (ls.len(), ls.iter().filter(|l| l.linea.vencido).count(), ls.iter().filter(|l| l.cambio_desde_comite).count()));
    let ultimo = comites.first().cloned();
    let instituciones = lineas.with_value(|ls| opciones(ls, Agrupar::Institucion));
    let barrios = lineas.with_value(|ls| opciones(ls, Agrupar::Barrio));
    let registrando = RwSignal::new(false);
    view! {
        <ul class="seguimiento-cifras" data-testid="seguimiento-cifras">
            <li><strong>{total}</strong>" compromisos"</li>
            <li class:alerta={vencidas > 0}><strong data-testid="cifra-vencidos">{vencidas}</strong>" vencidos"</li>
            <li><strong data-testid="cifra-cambios">{cambiadas}</strong>
                {match &ultimo {
                    Some(c) => format!(" cambiaron desde el comité n.º {} ({})", c.numero, date_es(&c.fecha)),
                    None => " cambios (aún no hay comité)".to_string(),
                }}
            </li>
        </ul>
        {if total == 0 {
            view! { <p class="empty">"Ningún barrio tiene todavía un pacto firmado: sus compromisos aparecerán aquí."</p> }.into_any()
        } else {
            view! {
                <div class="seguimiento-filtros" role="group" aria-label="Filtrar">
                    <label class="field"><span>"Institución"</span>
                        <select data-testid="filtro-institucion" prop:value=move || institucion.get() on:change=move |ev| institucion.set(event_target_value(&ev))>
                            <option value="">"Todas"</option>
                            {instituciones.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field"><span>"Barrio"</span>
                        <select data-testid="filtro-barrio" prop:value=move || barrio.get() on:change=move |ev| barrio.set(event_target_value(&ev))>
                            <option value="">"Todos"</option>
                            {barrios.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field"><span>"Estado"</span>
                        <select data-testid="filtro-estado" prop:value=move || estado.get() on:change=move |ev| estado.set(event_target_value(&ev))>
                            <option value="">"Todos"</option>
                            <option value="vencido">"Vencidos"</option>
                            <option value="cambio">"Cambiaron desde el último comité"</option>
                            {EstadoCompromiso::ALL.into_iter().map(|e| view! { <option value=e.code()>{e.label_es()}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <div class="seguimiento-conteos">
                    <ConteoTabla titulo="Por institución" testid="por-institucion" filas=Signal::derive(move || conteos(&visibles.get(), Agrupar::Institucion))
                        elegir=Callback::new(move |clave: String| institucion.set(clave))/>
                    <ConteoTabla titulo="Por barrio" testid="por-barrio" filas=Signal::derive(move || conteos(&visibles.get(), Agrupar::Barrio))
                        elegir=Callback::new(move |clave: String| barrio.set(clave))/>
                </div>
                <h2>{move || count_es(visibles.with(Vec::len), "compromiso", "compromisos")}</h2>
                <div class="table-wrap">
                    <table class="report-table pacto-lineas" data-testid="seguimiento-lineas">
                        <thead><tr>
                            <th scope="col">"Barrio"</th>
                            <th scope="col">"Institución"</th>
                            <th scope="col">"Qué"</th>
                            <th scope="col">"Fecha límite"</th>
                            <th scope="col">"Estado"</th>
                            <th scope="col">"Desde el último comité"</th>
                            <th scope="col"><span class="sr-only">"Abrir"</span></th>
                        </tr></thead>
                        <tbody>
                            <For each=move || visibles.get() key=|l| l.linea.compromiso.id let:l>
                                <LineaFila l/>
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="seguimiento-comite">
                    <Show when=move || !registrando.get()>
                        <button type="button" class="button primary" data-testid="registrar-comite" on:click=move |_| registrando.set(true)>
                            "Registrar un comité interinstitucional"
                        </button>
                        <p class="muted">"El comité revisa los compromisos que se ven arriba (use los filtros para elegirlos) y deja el estado de cada uno."</p>
                    </Show>
                    <Show when=move || registrando.get()>
                        <ComiteForm lineas=visibles cancelar=Callback::new(move |_| registrando.set(false))/>
                    </Show>
                </div>
            }.into_any()
        }}
        <section class="pacto-section">
            <h2>"Comités interinstitucionales"</h2>
            {if comites.is_empty() {
                view! { <p class="empty">"Aún no se ha registrado ningún comité."</p> }.into_any()
            } else {
                view! {
                    <ul class="seguimiento-comites" data-testid="comites">
                        {comites.into_iter().map(|c| view! {
                            <li>
                                <a href=format!("/seguimiento/comites/{}", c.id)>{format!("Comité n.º {} · {}", c.numero, date_es(&c.fecha))}</a>
                                <span class="barrio-meta">{format!(" · {} · {}", count_es(c.revisados as usize, "compromiso revisado", "compromisos revisados"), count_es(c.cambios as usize, "cambio", "cambios"))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ConteoTabla(titulo: &'static str, testid: &'static str, filas: Signal<Vec<Conteo>>, elegir: Callback<String>) -> impl IntoView {
    view! {
        <details class="seguimiento-conteo" open=true>
            <summary>{titulo}</summary>
            <div class="table-wrap">
                <table class="report-table compact" data-testid=testid>
                    <thead><tr>
                        <th scope="col"></th>
                        <th scope="col" class="num">"Total"</th>
                        <th scope="col" class="num">"Vencidos"</th>
                        {EstadoCompromiso::ALL.into_iter().map(|e| view! { <th scope="col" class="num">{e.label_es()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {move || filas.get().into_iter().map(|c| {
                            let clave = c.clave.clone();
                            view! {
                                <tr data-clave=c.clave.clone()>
                                    <th scope="row"><button type="button" class="link-button" on:click=move |_| elegir.run(clave.clone())>{c.nombre.clone()}</button></th>
                                    <td class="num">{c.total}</td>
                                    <td class="num" class:alerta={c.vencidos > 0}>{c.vencidos}</td>
                                    {EstadoCompromiso::ALL.into_iter().map(|e| view! { <td class="num">{c.de(e)}</td> }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
fn LineaFila(l: LineaSeguimiento) -> impl IntoView {
    let fecha = if l.linea.compromiso.fecha_limite.is_empty() { "—".to_string() } else { date_es(&l.linea.compromiso.fecha_limite) };
    let desde = match l.en_comite {
        Some(antes) if l.cambio_desde_comite && antes != l.linea.estado => format!("{} → {}", antes.label_es(), l.linea.estado.label_es()),
        Some(_) if l.cambio_desde_comite => "Cambió y volvió al mismo estado".to_string(),
        Some(_) => "Sin cambios".to_string(),
        None => "—".to_string(),
    };
    view! {
        <tr class:vencido=l.linea.vencido class:cambio=l.cambio_desde_comite data-compromiso=l.linea.compromiso.id.to_string() data-estado=l.linea.estado.code()>
            <td>{l.linea.barrio.clone()}</td>
            <td>{l.institucion.clone()}</td>
            <td>{l.linea.compromiso.que.clone()}</td>
            <td>{fecha}</td>
            <td><EstadoBadge estado=l.linea.estado vencido=l.linea.vencido/></td>
            <td data-testid="desde-comite">{desde}</td>
            <td><a class="button small" href=format!("/ruta/{}/pacto/{}", l.linea.barrio_id, l.linea.pacto_id)>"Ver pacto"</a></td>
        </tr>
    }
}

/// The committee's session: its date, place, attendance and notes, and for each compromiso
/// shown the status it leaves and a note. Sent as one acta; nothing is kept unless all is.
#[component]
fn ComiteForm(lineas: Memo<Vec<LineaSeguimiento>>, cancelar: Callback<()>) -> impl IntoView {
    let municipios = Memo::new(move |_| {
        let mut m: Vec<String> = lineas.with(|ls| ls.iter().map(|l| l.municipio.clone()).collect());
        m.sort();
        m.dedup();
        m
    });
    let municipio = RwSignal::new(String::new());
    let elegido = Memo::new(move |_| {
        let m = municipio.get();
        if m.is_empty() {
            municipios.with(|ms| if ms.len() == 1 { ms[0].clone() } else { String::new() })
        } else {
            m
        }
    });
    // What the committee reviews: the lines shown, of one city; each with its own controls.
    let filas = Memo::new(move |_| {
        let m = elegido.get();
        lineas.with(|ls| ls.iter().filter(|l| l.municipio == m).cloned().collect::<Vec<_>>())
    });
    // What was chosen for each compromiso, kept by the form itself: the rows are drawn again
    // whenever the filters above change, and what was chosen must outlive them.
    let elegidos: StoredValue<HashMap<uuid::Uuid, (EstadoCompromiso, String)>> = StoredValue::new(HashMap::new());
    let eleccion = move |l: &LineaSeguimiento| {
        elegidos.with_value(|m| m.get(&l.linea.compromiso.id).cloned()).unwrap_or((l.linea.estado, String::new()))
    };
    let elegir = move |l: &LineaSeguimiento, cambio: &dyn Fn(&mut (EstadoCompromiso, String))| {
        let actual = eleccion(l);
        elegidos.update_value(|m| cambio(m.entry(l.linea.compromiso.id).or_insert(actual)));
    };
    let fecha = RwSignal::new(super::hoy());
    let lugar = RwSignal::new(String::new());
    let asistentes = RwSignal::new(String::new());
    let notas = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let m = elegido.get_untracked();
        if m.is_empty() {
            error.set(Some("Elija la ciudad cuyo comité se reunió.".into()));
            return;
        }
        let revisiones: Vec<RevisionDraft> = filas.with_untracked(|fs| {
            fs.iter()
                .map(|l| {
                    let (estado, nota) = eleccion(l);
                    RevisionDraft { pacto_id: l.linea.pacto_id, compromiso_id: l.linea.compromiso.id, estado, nota }
                })
                .collect()
        });
        let draft = ComiteDraft {
            municipio: m,
            fecha: fecha.get_untracked(),
            lugar: lugar.get_untracked(),
            asistentes: asistentes.get_untracked(),
            notas: notas.get_untracked(),
            revisiones,
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::post::<Comite>("/api/v1/comites", &draft).await {
                Ok(comite) => {
                    let navigate = leptos_router::hooks::use_navigate();
                    navigate(&format!("/seguimiento/comites/{}", comite.id), Default::default());
                }
                Err(e) => {
                    error.set(Some(String::from(e)));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <form class="upload-form comite-form" data-testid="comite-form" on:submit=submit>
            <h2 class="wide">"Comité interinstitucional"</h2>
            <Show when=move || municipios.with(|m| m.len() > 1)>
                <label class="field"><span>"Ciudad (código DANE)"</span>
                    <select data-testid="comite-municipio" on:change=move |ev| municipio.set(event_target_value(&ev))>
                        <option value="">"Elija…"</option>
                        {move || municipios.get().into_iter().map(|m| view! { <option value=m.clone()>{m.clone()}</option> }).collect_view()}
                    </select>
                </label>
            </Show>
            <label class="field"><span>"Fecha"</span>
                <input type="date" name="fecha" required prop:value=move || fecha.get() on:input=move |ev| fecha.set(event_target_value(&ev))/>
            </label>
            <label class="field"><span>"Lugar"</span>
                <input type="text" name="lugar" maxlength="200" prop:value=move || lugar.get() on:input=move |ev| lugar.set(event_target_value(&ev))/>
            </label>
            <label class="field wide"><span>"Asistentes (instituciones y cargos)"</span>
                <textarea name="asistentes" rows="2" maxlength="2000" prop:value=move || asistentes.get() on:input=move |ev| asistentes.set(event_target_value(&ev))></textarea>
            </label>
            <ol class="comite-revisiones wide" data-testid="comite-revisiones">
                {move || filas.get().into_iter().map(|l| {
                    let (estado, nota) = eleccion(&l);
                    let id = l.linea.compromiso.id.to_string();
                    let (para_estado, para_nota) = (l.clone(), l.clone());
                    view! {
                        <li class="comite-revision" data-compromiso=id.clone()>
                            <p><strong>{l.linea.barrio.clone()}</strong>{format!(" · {} · ", l.institucion)}{l.linea.compromiso.que.clone()}</p>
                            <p class="barrio-meta">{format!("Ahora: {}", l.linea.estado.label_es())}{l.linea.vencido.then_some(" · vencido")}</p>
                            <div class="comite-revision-campos">
                                <label class="field"><span>"Estado tras el comité"</span>
                                    <select name="estado" prop:value=estado.code() on:change=move |ev| {
                                        if let Some(e) = EstadoCompromiso::from_code(&event_target_value(&ev)) { elegir(&para_estado, &|c| c.0 = e) }
                                    }>
                                        {EstadoCompromiso::ALL.into_iter().map(|x| view! { <option value=x.code()>{x.label_es()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="field"><span>"Nota del comité"</span>
                                    <input type="text" name="nota" maxlength="2000" prop:value=nota
                                        on:input=move |ev| { let t = event_target_value(&ev); elegir(&para_nota, &|c| c.1 = t.clone()) }/>
                                </label>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <label class="field wide"><span>"Notas del acta"</span>
                <textarea name="notas" rows="3" maxlength="4000" prop:value=move || notas.get() on:input=move |ev| notas.set(event_target_value(&ev))></textarea>
            </label>
            {move || error.get().map(|e| view! { <p class="notice warn wide" role="alert">{e}</p> })}
            <div class="wide form-actions">
                <button type="submit" class="button primary" data-testid="guardar-comite" disabled=move || busy.get() || filas.with(Vec::is_empty)>
                    {move || format!("Guardar el acta ({})", count_es(filas.with(Vec::len), "compromiso", "compromisos"))}
                </button>
                <button type="button" class="button" on:click=move |_| cancelar.run(())>"Cancelar"</button>
            </div>
        </form>
    }
}
