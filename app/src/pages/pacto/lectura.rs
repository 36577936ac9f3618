//! A pacto's content read, not edited: the meeting, the context, the problems and solutions
//! carried over from the diagnóstico, and a compromiso's facts. The signed pacto, a draft seen
//! by a facilitator and the editor's read-only parts are made of these.

use std::collections::HashSet;

use leptos::prelude::*;
use uuid::Uuid;

use super::{etiquetas_lugares, nombre_de};
use crate::model::pacto::compromiso::Compromiso;
use crate::model::pacto::institucion::Institucion;
use crate::model::pacto::pacto::{LugarOpcion, PactoContenido, ProblemaPriorizado, SolucionPropuesta};
use crate::model::words::count_es;
use crate::model::workshop::date_es;

/// The lines of a text typed with line breaks, without the empty ones.
pub fn parrafos(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The meeting (date, place, its acta) and the context summary.
#[component]
pub fn DatosReunion(contenido: PactoContenido, barrio: i64) -> impl IntoView {
    let fecha = if contenido.fecha.is_empty() { "Sin fecha".to_string() } else { date_es(&contenido.fecha) };
    let lugar = if contenido.lugar.is_empty() { "Sin lugar".to_string() } else { contenido.lugar.clone() };
    let contexto = parrafos(&contenido.contexto);
    view! {
        <section class="pacto-section">
            <h2>"La reunión"</h2>
            <dl class="cbsc-facts">
                <div><dt>"Fecha"</dt><dd>{fecha}</dd></div>
                <div><dt>"Lugar"</dt><dd>{lugar}</dd></div>
                <div><dt>"Acta de socialización"</dt><dd>{match contenido.acta_id {
                    Some(a) => view! { <a href=format!("/ruta/{barrio}/acta/{a}")>"Abrir el acta"</a> }.into_any(),
                    None => view! { <span>"Sin acta"</span> }.into_any(),
                }}</dd></div>
            </dl>
            <h3>"Contexto"</h3>
            {if contexto.is_empty() { view! { <p class="muted">"(Sin resumen)"</p> }.into_any() }
             else { contexto.into_iter().map(|l| view! { <p>{l}</p> }).collect_view().into_any() }}
        </section>
    }
}

/// The problems the pacto carries over from the diagnóstico: never edited here.
#[component]
pub fn ProblemasTabla(problemas: Vec<ProblemaPriorizado>) -> impl IntoView {
    view! {
        <section class="pacto-section">
            <h2>"Problemas priorizados"</h2>
            <p class="muted">"Vienen del diagnóstico, en el orden de cuántas marcas tienen."</p>
            {if problemas.is_empty() {
                view! { <p class="empty">"El diagnóstico no trae problemas."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="report-table pacto-problemas" data-testid="pacto-problemas">
                            <thead><tr><th scope="col">"Problema"</th><th class="num" scope="col">"Marcas"</th><th class="num" scope="col">"Lugares"</th><th scope="col">"Causas que señaló la comunidad"</th></tr></thead>
                            <tbody>
                                {problemas.into_iter().map(|p| view! {
                                    <tr data-categoria=p.categoria.clone()>
                                        <td>{p.nombre.clone()}</td>
                                        <td class="num">{p.marcas}</td>
                                        <td class="num">{p.lugares}</td>
                                        <td>{if p.causas.is_empty() { "—".to_string() } else { p.causas.join(", ") }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The community's solutions; with `convertir`, each offers to become a compromiso, and
/// those some compromiso already came from are marked.
#[component]
pub fn Soluciones(
    soluciones: Vec<SolucionPropuesta>,
    instituciones: Vec<Institucion>,
    #[prop(into)] convertidas: Signal<HashSet<Uuid>>,
    #[prop(optional)] convertir: Option<Callback<Uuid>>,
) -> impl IntoView {
    view! {
        <section class="pacto-section">
            <h2>"Soluciones que propuso la comunidad"</h2>
            {if soluciones.is_empty() {
                view! { <p class="empty">"El diagnóstico no trae soluciones propuestas."</p> }.into_any()
            } else {
                view! {
                    <ul class="pacto-soluciones" data-testid="pacto-soluciones">
                        {soluciones.into_iter().map(|s| {
                            let id = s.id;
                            let hecha = move || convertidas.with(|c| c.contains(&id));
                            let facts = format!("Para {} · {} · {}", nombre_de(&instituciones, &s.institucion),
                                count_es(s.problemas, "problema", "problemas"), count_es(s.participantes, "participante", "participantes"));
                            view! {
                                <li class:convertida=hecha data-solucion=id.to_string()>
                                    <div>
                                        <p class="solucion-texto">{s.texto.clone()}</p>
                                        <small>{facts}</small>
                                        {move || hecha().then(|| view! { <small class="ok-text">"✓ Ya es compromiso"</small> })}
                                    </div>
                                    {convertir.map(|convertir| view! {
                                        <button type="button" class="button small" class:quiet=hecha on:click=move |_| convertir.run(id) data-testid="convertir">
                                            {move || if hecha() { "Convertir otra vez" } else { "Convertir en compromiso" }}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Where a compromiso is, as staff read it: the general words, and the diagnóstico's place.
pub fn donde_es(c: &Compromiso, lugares: &[LugarOpcion]) -> String {
    let punto = c.hotspot_id.map(|h| {
        etiquetas_lugares(lugares).into_iter().find(|(id, _)| *id == h).map_or_else(|| "un lugar del diagnóstico".to_string(), |(_, l)| l)
    });
    match (c.lugar.trim(), punto) {
        ("", None) => "Sin lugar".to_string(),
        (words, None) => words.to_string(),
        ("", Some(p)) => p,
        (words, Some(p)) => format!("{words} · {p}"),
    }
}

/// A compromiso's facts: who, what, where, by when, and how fulfilment will be known.
#[component]
pub fn CompromisoHechos(compromiso: Compromiso, instituciones: Vec<Institucion>, lugares: Vec<LugarOpcion>) -> impl IntoView {
    let c = compromiso;
    let comunidad = super::de_la_comunidad(&instituciones, &c.responsable);
    let fecha = if c.fecha_limite.is_empty() { "Sin fecha".to_string() } else { date_es(&c.fecha_limite) };
    view! {
        <p class="pacto-que">{c.que.clone()}</p>
        <dl class="pacto-facts">
            <div><dt>"Responsable"</dt><dd>{nombre_de(&instituciones, &c.responsable)}{comunidad.then(|| view! { <span class="tag tag-comunidad">"Comunidad"</span> })}</dd></div>
            <div><dt>"Dónde"</dt><dd>{donde_es(&c, &lugares)}</dd></div>
            <div><dt>"Fecha límite"</dt><dd>{fecha}</dd></div>
            <div><dt>"¿Cómo se sabrá que se cumplió?"</dt><dd>{if c.indicador.is_empty() { "—".to_string() } else { c.indicador.clone() }}</dd></div>
        </dl>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_reads_the_words_and_the_place() {
        let lugares = vec![LugarOpcion {
            hotspot_id: Uuid::from_u128(7),
            categoria: "hurto".into(),
            nombre: "Hurto".into(),
            marcas: 4,
            sensible: false,
        }];
        let mut c = Compromiso {
            id: Uuid::from_u128(1),
            responsable: "essmar".into(),
            que: "Luz".into(),
            hotspot_id: None,
            lugar: " ".into(),
            fecha_limite: String::new(),
            indicador: String::new(),
            solucion_id: None,
        };
        assert_eq!(donde_es(&c, &lugares), "Sin lugar");
        c.lugar = "El parque".into();
        assert_eq!(donde_es(&c, &lugares), "El parque");
        c.hotspot_id = Some(Uuid::from_u128(7));
        assert_eq!(donde_es(&c, &lugares), "El parque · Hurto (4 marcas)");
        assert_eq!(parrafos("uno\n\n  dos \n"), vec!["uno", "dos"]);
    }
}
