//! `/admin/indicadores`: where an admin brings the Observatorio's figures in (a CSV or XLSX
//! file, checked row by row before anything is kept), reads the history of imports, edits the
//! catalogue of indicators, and writes a new version of the ISCB's definition.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::account::RequireRole;
use crate::model::account::Role;
use crate::model::balance::importacion::{Importacion, Problema, ReporteImportacion};
use crate::model::balance::indicador::{Direccion, Indicador, IndicadorDraft, Unidad};
use crate::model::balance::iscb::{Componente, DefinicionDraft, DefinicionIscb, Normalizacion};
use crate::model::balance::periodo::Periodo;
use crate::model::words::{count_es, number_es};

#[component]
pub fn IndicadoresPage() -> impl IntoView {
    view! {
        <RequireRole allowed=|r| r == Role::Admin what="Los indicadores y el ISCB los administra la administración de Cartobarrio.">
            <Indicadores/>
        </RequireRole>
    }
}

/// A refused row's problem in words.
pub fn problema_es(p: &Problema) -> String {
    match p {
        Problema::Falta { columna } => format!("Falta «{columna}»."),
        Problema::BarrioDesconocido { nombre } => format!("No hay un barrio «{nombre}» en la ciudad."),
        Problema::BarrioAmbiguo { nombre, candidatos } => format!("«{nombre}» puede ser {}.", candidatos.join(" o ")),
        Problema::IndicadorDesconocido { nombre } => format!("El indicador «{nombre}» no está en el catálogo (o está inactivo)."),
        Problema::PeriodoInvalido { texto } => format!("«{texto}» no es un periodo: use 2026-C3, 2026-09 o año y cuatrimestre."),
        Problema::NumeroInvalido { texto } => format!("«{texto}» no es un número positivo."),
        Problema::Duplicado { fila } => format!("Repite el barrio, periodo e indicador de la fila {fila}: cuenta la primera."),
        Problema::AnioSoloPoblacion => "Un año completo solo vale para la población: dé el cuatrimestre o el mes.".into(),
    }
}

#[component]
fn Indicadores() -> impl IntoView {
    let catalogo = RwSignal::new(Vec::<Indicador>::new());
    let definiciones = RwSignal::new(Vec::<DefinicionIscb>::new());
    let historial = RwSignal::new(Vec::<Importacion>::new());
    let reload = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use crate::client::session::get_json;
        reload.track();
        leptos::task::spawn_local(async move {
            if let Ok(all) = get_json("/api/v1/indicadores").await {
                catalogo.set(all);
            }
            if let Ok(all) = get_json("/api/v1/iscb/definiciones").await {
                definiciones.set(all);
            }
            if let Ok(all) = get_json("/api/v1/indicadores/importaciones").await {
                historial.set(all);
            }
        });
    });
    view! {
        <Title text="Indicadores y el ISCB"/>
        <section class="page staff indicadores-page">
            <p class="crumbs"><a href="/admin">"← Administración"</a>" · "<a href="/balance">"El balance"</a></p>
            <h1>"Indicadores y el ISCB"</h1>
            <Importar reload/>
            <Historial historial/>
            <Catalogo catalogo reload/>
            <Definicion catalogo definiciones reload/>
        </section>
    }
}

#[component]
fn Importar(reload: RwSignal<u32>) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<ReporteImportacion>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move |confirmar: bool| {
        error.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
                error.set(Some("Elija el archivo CSV o XLSX del Observatorio.".into()));
                return;
            };
            busy.set(true);
            leptos::task::spawn_local(async move {
                let name = String::from(js_sys::encode_uri_component(&file.name()));
                let url = format!("/api/v1/indicadores/importaciones?archivo={name}&confirmar={confirmar}");
                let answer = async {
                    let request = crate::client::session::post(&url).body(file).map_err(|e| e.to_string())?;
                    let response = request.send().await.map_err(|_| "Sin conexión con el servidor: no se importó nada.".to_string())?;
                    if !response.ok() {
                        return Err(crate::client::session::refusal(response).await);
                    }
                    response.json::<ReporteImportacion>().await.map_err(|e| e.to_string())
                }
                .await;
                busy.set(false);
                match answer {
                    Ok(r) => {
                        if r.importacion.is_some() {
                            reload.update(|n| *n += 1);
                        }
                        report.set(Some(r));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
        let _ = (confirmar, file_input, reload);
    };
    view! {
        <section class="card-section" data-testid="importar">
            <h2>"Importar datos del Observatorio"</h2>
            <p class="muted">"Un archivo CSV o XLSX con una fila por barrio, periodo e indicador: columnas barrio (o código), periodo (2026-C3, 2026-09) o año y cuatrimestre o mes, indicador y valor. La población va igual, con el indicador «población». Al importar un periodo, reemplaza al que había; el anterior queda en el historial."</p>
            <label class="field">
                <span>"Archivo"</span>
                <input type="file" name="archivo-indicadores" node_ref=file_input accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    on:change=move |_| report.set(None)/>
            </label>
            <p><button type="button" class="button" data-testid="revisar" disabled=move || busy.get() on:click=move |_| send(false)>"Revisar el archivo"</button></p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || report.get().map(|r| {
                let stored = r.importacion.is_some();
                let can = !stored && r.aceptadas > 0;
                view! {
                    <div class="import-report" data-testid="import-report" data-stored=stored.to_string()>
                        <p><strong>{if stored { "Importado: " } else { "Revisión: " }}</strong>
                            {format!("{} de {} filas se toman; {}.", r.aceptadas, r.filas, count_es(r.rechazadas, "fila no se toma", "filas no se toman"))}</p>
                        <p>{format!("Periodos: {}. Indicadores: {}. Barrios: {}.", r.periodos.join(", "), r.indicadores.join(", "), r.barrios)}</p>
                        {(!r.reemplaza.is_empty()).then(|| view! {
                            <p class="warning">{format!("Reemplaza los datos de {} (quedan en el historial).", r.reemplaza.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>().join(", "))}</p>
                        })}
                        {(!r.sin_coincidencia.is_empty()).then(|| view! {
                            <details open><summary>{format!("Barrios que no se encontraron ({})", r.sin_coincidencia.len())}</summary>
                                <ul>{r.sin_coincidencia.iter().map(|(n, c)| view! { <li>{format!("{n} — {}", count_es(*c, "fila", "filas"))}</li> }).collect_view()}</ul>
                            </details>
                        })}
                        {(!r.aproximados.is_empty()).then(|| view! {
                            <details><summary>{format!("Nombres leídos con tolerancia ({})", r.aproximados.len())}</summary>
                                <ul>{r.aproximados.iter().map(|(a, b)| view! { <li>{format!("«{a}» → {b}")}</li> }).collect_view()}</ul>
                            </details>
                        })}
                        {(!r.detalle.is_empty()).then(|| view! {
                            <details open><summary>"Filas que no se toman"</summary>
                                <table class="report-table compact" data-testid="import-problems">
                                    <thead><tr><th>"Fila"</th><th>"Problema"</th></tr></thead>
                                    <tbody>{r.detalle.iter().map(|f| view! { <tr><td class="num">{f.fila}</td><td>{problema_es(&f.problema)}</td></tr> }).collect_view()}</tbody>
                                </table>
                            </details>
                        })}
                        {can.then(|| view! {
                            <p><button type="button" class="button primary" data-testid="confirmar-importacion" disabled=move || busy.get() on:click=move |_| send(true)>
                                {format!("Importar {}", count_es(r.aceptadas, "fila", "filas"))}
                            </button></p>
                        })}
                    </div>
                }
            })}
        </section>
    }
}

#[component]
fn Historial(historial: RwSignal<Vec<Importacion>>) -> impl IntoView {
    view! {
        <section class="card-section">
            <h2>"Historial de importaciones"</h2>
            <ul class="historial" data-testid="historial">
                {move || historial.get().into_iter().map(|i| view! {
                    <li>
                        <strong>{i.archivo.clone()}</strong>
                        {i.ejemplo.then(|| view! { <span class="pending-chip">"Datos de ejemplo"</span> })}
                        <small>{format!(" · {} · {} · {} filas · periodos {}", crate::model::workshop::when_es(i.at_ms), i.by, i.aceptadas, i.periodos.join(", "))}</small>
                        {(!i.reemplazados.is_empty()).then(|| view! { <small class="muted">{format!(" · reemplazado: {}", i.reemplazados.join(", "))}</small> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

fn unidad_code(u: Unidad) -> &'static str {
    match u {
        Unidad::Casos => "casos",
        Unidad::Tasa => "tasa",
        Unidad::Porcentaje => "porcentaje",
        Unidad::Puntaje => "puntaje",
    }
}

#[component]
fn Catalogo(catalogo: RwSignal<Vec<Indicador>>, reload: RwSignal<u32>) -> impl IntoView {
    let editing = RwSignal::new(None::<IndicadorDraft>);
    let error = RwSignal::new(None::<String>);
    let nuevo = move |_| {
        editing.set(Some(IndicadorDraft {
            code: String::new(),
            nombre: String::new(),
            unidad: Unidad::Casos,
            direccion: Direccion::MayorEsPeor,
            descripcion: String::new(),
            fuente: String::new(),
            activo: true,
        }))
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(draft) = editing.get_untracked() else { return };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/indicadores/{}", String::from(js_sys::encode_uri_component(draft.code.trim())));
            match crate::client::session::put_json::<Indicador>(&url, &draft).await {
                Ok(_) => {
                    editing.set(None);
                    error.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (draft, reload);
    };
    let edit = move |f: fn(&mut IndicadorDraft, String)| move |ev: leptos::ev::Event| editing.update(|d| if let Some(d) = d { f(d, event_target_value(&ev)) });
    view! {
        <section class="card-section" data-testid="catalogo">
            <h2>"Catálogo de indicadores"</h2>
            <table class="report-table compact">
                <thead><tr><th>"Indicador"</th><th>"Unidad"</th><th>"Dirección"</th><th>"Fuente"</th><th></th></tr></thead>
                <tbody>
                    {move || catalogo.get().into_iter().map(|i| {
                        let draft = IndicadorDraft { code: i.code.clone(), nombre: i.nombre.clone(), unidad: i.unidad, direccion: i.direccion, descripcion: i.descripcion.clone(), fuente: i.fuente.clone(), activo: i.activo };
                        view! {
                            <tr class:inactive=!i.activo data-code=i.code.clone()>
                                <td><strong>{i.nombre.clone()}</strong><br/><small><code>{i.code.clone()}</code>{format!(" · v{}", i.version)}</small></td>
                                <td>{i.unidad.label_es()}</td>
                                <td>{i.direccion.label_es()}</td>
                                <td>{i.fuente.clone()}{(!i.activo).then_some(" · inactivo")}</td>
                                <td><button type="button" class="button small quiet" on:click=move |_| editing.set(Some(draft.clone()))>"Editar"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p><button type="button" class="button small" on:click=nuevo>"+ Nuevo indicador"</button></p>
            {move || editing.get().map(|d| view! {
                <form class="indicador-form" on:submit=save data-testid="indicador-form">
                    <div class="form-grid">
                        <label class="field"><span>"Código (minúsculas, sin tildes)"</span>
                            <input name="code" prop:value=d.code.clone() on:input=edit(|d, v| d.code = v)/></label>
                        <label class="field"><span>"Nombre"</span>
                            <input name="nombre" prop:value=d.nombre.clone() on:input=edit(|d, v| d.nombre = v)/></label>
                        <label class="field"><span>"Unidad"</span>
                            <select name="unidad" on:change=edit(|d, v| if let Some(u) = Unidad::ALL.into_iter().find(|u| unidad_code(*u) == v) { d.unidad = u })>
                                {Unidad::ALL.into_iter().map(|u| view! { <option value=unidad_code(u) selected=u == d.unidad>{u.label_es()}</option> }).collect_view()}
                            </select></label>
                        <label class="field"><span>"Dirección"</span>
                            <select name="direccion" on:change=edit(|d, v| d.direccion = if v == "mayor_es_mejor" { Direccion::MayorEsMejor } else { Direccion::MayorEsPeor })>
                                <option value="mayor_es_peor" selected=d.direccion == Direccion::MayorEsPeor>"Más es peor"</option>
                                <option value="mayor_es_mejor" selected=d.direccion == Direccion::MayorEsMejor>"Más es mejor"</option>
                            </select></label>
                        <label class="field"><span>"Fuente"</span>
                            <input name="fuente" prop:value=d.fuente.clone() on:input=edit(|d, v| d.fuente = v)/></label>
                    </div>
                    <label class="field"><span>"Descripción"</span>
                        <textarea name="descripcion" rows="2" prop:value=d.descripcion.clone() on:input=edit(|d, v| d.descripcion = v)></textarea></label>
                    <label class="check-touch"><input type="checkbox" name="activo" prop:checked=d.activo
                        on:change=move |ev| { let on = event_target_checked(&ev); editing.update(|d| if let Some(d) = d { d.activo = on }) }/>
                        <span>"Activo (recibe importaciones y puede entrar al ISCB)"</span></label>
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <p><button type="submit" class="button primary">"Guardar"</button>" "
                        <button type="button" class="button quiet" on:click=move |_| editing.set(None)>"Cancelar"</button></p>
                </form>
            })}
        </section>
    }
}

/// A weight as the admin typed it: comma or point decimals; empty or 0 leaves the indicator out.
pub fn parse_peso(text: &str) -> Option<f64> {
    let t = text.trim().replace(',', ".");
    if t.is_empty() {
        return Some(0.0);
    }
    t.parse::<f64>().ok().filter(|w| w.is_finite() && *w >= 0.0)
}

#[component]
fn Definicion(catalogo: RwSignal<Vec<Indicador>>, definiciones: RwSignal<Vec<DefinicionIscb>>, reload: RwSignal<u32>) -> impl IntoView {
    let pesos = RwSignal::new(Vec::<(String, String)>::new());
    let normalizacion = RwSignal::new(Normalizacion::MinMax);
    let por_10k = RwSignal::new(true);
    let referencia = RwSignal::new(String::new());
    let nota = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    // The form starts from the latest version, once both lists have arrived.
    Effect::new(move |_| {
        let (cat, defs) = (catalogo.get(), definiciones.get());
        if cat.is_empty() || !pesos.with_untracked(Vec::is_empty) {
            return;
        }
        let latest = defs.first().map(|d| d.draft.clone());
        let weight = |code: &str| latest.as_ref().and_then(|d| d.componentes.iter().find(|c| c.indicador == code)).map(|c| number_es(c.peso, 2).trim_end_matches('0').trim_end_matches(',').to_string());
        pesos.set(cat.iter().filter(|i| i.activo).map(|i| (i.code.clone(), weight(&i.code).unwrap_or_default())).collect());
        if let Some(d) = latest {
            normalizacion.set(d.normalizacion);
            por_10k.set(d.por_10k);
            referencia.set(d.periodo_referencia.map(|p| p.code()).unwrap_or_default());
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut componentes = Vec::new();
        for (code, text) in pesos.get_untracked() {
            match parse_peso(&text) {
                Some(w) if w > 0.0 => componentes.push(Componente { indicador: code, peso: w }),
                Some(_) => {}
                None => {
                    status.set(Some(Err(format!("El peso de «{code}» no es un número."))));
                    return;
                }
            }
        }
        let draft = DefinicionDraft {
            componentes,
            normalizacion: normalizacion.get_untracked(),
            por_10k: por_10k.get_untracked(),
            periodo_referencia: Periodo::parse(&referencia.get_untracked()),
            nota: nota.get_untracked(),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::session::post_json::<DefinicionIscb>("/api/v1/iscb/definiciones", &draft).await {
                Ok(d) => {
                    status.set(Some(Ok(format!("Guardada la versión {} del ISCB: el balance la usa desde ahora.", d.version))));
                    nota.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => status.set(Some(Err(e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (draft, reload);
    };
    let name_of = move |code: &str| catalogo.with(|c| c.iter().find(|i| i.code == code).map_or_else(|| code.to_string(), |i| i.nombre.clone()));
    view! {
        <section class="card-section" data-testid="definicion">
            <h2>"Definición del ISCB"</h2>
            <p class="muted">{move || match definiciones.with(|d| d.first().map(|d| (d.version, d.created_by.clone(), d.created_at_ms))) {
                Some((v, by, at)) => format!("Versión vigente: {v} ({by}, {}). Guardar crea la versión {}; las anteriores se conservan y el balance puede consultarse con cualquiera.", crate::model::workshop::when_es(at), v + 1),
                None => "Aún no hay una definición.".to_string(),
            }}</p>
            <form on:submit=save>
                <table class="report-table compact pesos">
                    <thead><tr><th>"Indicador"</th><th>"Peso (vacío o 0: no entra)"</th></tr></thead>
                    <tbody>
                        {move || pesos.get().into_iter().enumerate().map(|(n, (code, text))| view! {
                            <tr><td>{name_of(&code)}</td>
                                <td><input class="peso" inputmode="decimal" name=format!("peso-{code}") prop:value=text
                                    on:input=move |ev| { let v = event_target_value(&ev); pesos.update(|p| if let Some(x) = p.get_mut(n) { x.1 = v }) }/></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <fieldset class="choice-row">
                    <legend>"Normalización"</legend>
                    <label class="check-touch"><input type="radio" name="normalizacion" prop:checked=move || normalizacion.get() == Normalizacion::MinMax on:change=move |_| normalizacion.set(Normalizacion::MinMax)/>
                        <span>"Mín–máx (0 a 100)"</span></label>
                    <label class="check-touch"><input type="radio" name="normalizacion" prop:checked=move || normalizacion.get() == Normalizacion::ZScore on:change=move |_| normalizacion.set(Normalizacion::ZScore)/>
                        <span>"Puntaje estándar (z)"</span></label>
                </fieldset>
                <Show when=move || normalizacion.get() == Normalizacion::ZScore && Periodo::parse(&referencia.get()).is_none()>
                    <p class="warning" data-testid="zscore-hint">"Con el puntaje estándar, cada cuatrimestre frente a sí mismo cambia su promedio y su dispersión: para comparar cuatrimestres y que un aumento de casos nunca mejore el puesto de un barrio, fije un periodo de referencia."</p>
                </Show>
                <label class="check-touch"><input type="checkbox" name="por_10k" prop:checked=por_10k on:change=move |ev| por_10k.set(event_target_checked(&ev))/>
                    <span>"Convertir casos en tasas por 10.000 habitantes"</span></label>
                <label class="field"><span>"Periodo de referencia (vacío: cada cuatrimestre frente a sí mismo; p. ej. 2025-C3)"</span>
                    <input name="referencia" prop:value=referencia on:input=move |ev| referencia.set(event_target_value(&ev))/></label>
                <label class="field"><span>"Por qué esta versión (quién la acordó, qué cambia)"</span>
                    <textarea name="nota" rows="2" prop:value=nota on:input=move |ev| nota.set(event_target_value(&ev))></textarea></label>
                {move || status.get().map(|s| match s {
                    Ok(m) => view! { <p class="ok-text" role="status">{m}</p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                })}
                <p><button type="submit" class="button primary" data-testid="guardar-definicion">"Guardar como nueva versión"</button></p>
            </form>
            <details>
                <summary>"Versiones anteriores"</summary>
                <ul>{move || definiciones.get().into_iter().map(|d| view! {
                    <li>{format!("v{} · {} · {} · {} componentes{}", d.version, crate::model::workshop::when_es(d.created_at_ms), d.created_by, d.draft.componentes.len(),
                        if d.draft.nota.is_empty() { String::new() } else { format!(" — {}", d.draft.nota) })}</li>
                }).collect_view()}</ul>
            </details>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_read_with_comma_or_point_and_blank_is_left_out() {
        assert_eq!(parse_peso("1,5"), Some(1.5));
        assert_eq!(parse_peso(" 2 "), Some(2.0));
        assert_eq!(parse_peso(""), Some(0.0));
        assert_eq!(parse_peso("-1"), None);
        assert_eq!(parse_peso("dos"), None);
        assert_eq!(parse_peso("inf"), None);
    }

    #[test]
    fn every_problem_reads_as_a_sentence_that_names_what_was_written() {
        let said = problema_es(&Problema::BarrioAmbiguo { nombre: "San José".into(), candidatos: vec!["San José".into(), "San José del Pando".into()] });
        assert_eq!(said, "«San José» puede ser San José o San José del Pando.");
        assert!(problema_es(&Problema::Duplicado { fila: 7 }).contains("fila 7"));
        assert!(problema_es(&Problema::NumeroInvalido { texto: "-3".into() }).contains("«-3»"));
    }
}
