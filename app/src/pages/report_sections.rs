//! The sections of the printable report: summary, ranked problems, causes, solutions by
//! institution, method note and signature blocks. Static views of one stored diagnóstico;
//! participants appear only as counts.

use leptos::prelude::*;

use crate::map::hotspot_legend::LegendMarker;
use crate::model::report::{
    cause_label_es, cause_texts, date_es, kind_es, period_es, problem_labels, ranked_others, ranked_problems, reported_period,
    solution_cause_labels, time_profile_es,
};
use crate::model::words::count_es;
use crate::model::{Category, CategoryGroup, Cause, Diagnostico, Hotspot, Institution, MergeParams};


#[component]
pub fn Summary(diagnostico: Diagnostico) -> impl IntoView {
    let t = diagnostico.totals;
    let (first, last) =
        reported_period(&diagnostico.hotspots).map(|(a, b)| (date_es(a), date_es(b))).unwrap_or_else(|| ("—".into(), "—".into()));
    let problems = ranked_problems(&diagnostico).len() as u32;
    let others = t.hotspots.saturating_sub(problems);
    let workshops =
        if t.workshops == 0 { "fuera de talleres".to_string() } else { format!("en {}", count_es(t.workshops, "taller", "talleres")) };
    let sentence = format!(
        "{} de {} {} se consolidan en {}: {} y {}. El árbol de problemas reúne {} y {}.",
        count_es(t.marks, "marca", "marcas"),
        count_es(t.participants, "participante", "participantes"),
        workshops,
        count_es(t.hotspots, "punto crítico", "puntos críticos"),
        count_es(problems, "problema", "problemas"),
        count_es(others, "factor protector o actor", "factores protectores o actores"),
        count_es(t.causes, "causa", "causas"),
        count_es(t.solutions, "alternativa de solución", "alternativas de solución"),
    );
    view! {
        <section class="report-section report-summary" data-testid="summary"
            data-marks=t.marks data-participants=t.participants data-workshops=t.workshops data-hotspots=t.hotspots>
            <h2>"1. Resumen"</h2>
            <dl class="report-stats">
                <div><dt>"Marcas"</dt><dd>{t.marks}</dd></div>
                <div><dt>"Participantes distintos"</dt><dd data-testid="participants">{t.participants}</dd></div>
                <div><dt>"Talleres"</dt><dd>{t.workshops}</dd></div>
                <div><dt>"Puntos críticos"</dt><dd>{t.hotspots}</dd></div>
                <div><dt>"Primera marca"</dt><dd>{first}</dd></div>
                <div><dt>"Última marca"</dt><dd>{last}</dd></div>
            </dl>
            <p>{sentence}</p>
            {(t.skipped_marks > 0).then(|| view! {
                <p class="report-note">{format!("{} con una forma que no se pudo usar quedaron fuera.", count_es(t.skipped_marks, "marca", "marcas"))}</p>
            })}
        </section>
    }
}

/// A table of hotspots, in the order given, numbered.
fn hotspot_table(rows: Vec<Hotspot>, testid: &'static str) -> AnyView {
    view! {
        <div class="table-wrap">
            <table class="report-table" data-testid=testid>
                <thead>
                    <tr>
                        <th class="num" scope="col">"N.º"</th>
                        <th scope="col">"Categoría"</th>
                        <th scope="col">"Tipo"</th>
                        <th class="num" scope="col">"Marcas"</th>
                        <th class="num" scope="col">"Personas"</th>
                        <th class="num" scope="col">"Talleres"</th>
                        <th scope="col">"Cuándo (hora del día; primer y último reporte)"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, h)| {
                        let c = Category::by_code(&h.category);
                        let label = c.map(|c| c.label_es).unwrap_or("Otra categoría");
                        let color = c.map(|c| c.color).unwrap_or("#555555");
                        let group = c.map(|c| c.group).unwrap_or(CategoryGroup::Crime);
                        view! {
                            <tr data-hotspot-id=h.id.to_string() data-category=h.category.clone() data-count=h.count
                                data-participants=h.participants data-workshops=h.workshops>
                                <td class="num">{i + 1}</td>
                                <td class="report-cat">
                                    <span class="cat-cell">
                                        <LegendMarker group color code=h.category.clone()/>
                                        <span>{label}</span>
                                        {h.sensitive.then(|| view! {
                                            <svg class="legend-lock" viewBox="0 0 24 24" role="img" aria-label="sensible"><use_ href="#icon-lock"/></svg>
                                        })}
                                    </span>
                                </td>
                                <td>{kind_es(h.geometry_kind)}</td>
                                <td class="num"><strong>{h.count}</strong></td>
                                <td class="num">{h.participants}</td>
                                <td class="num">{h.workshops}</td>
                                <td class="when">
                                    <span>{time_profile_es(&h.times)}</span>
                                    <span class="muted">{period_es(h.first_reported_ms, h.last_reported_ms)}</span>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn HotspotTable(diagnostico: Diagnostico) -> impl IntoView {
    let problems: Vec<Hotspot> = ranked_problems(&diagnostico).into_iter().cloned().collect();
    let others: Vec<Hotspot> = ranked_others(&diagnostico).into_iter().cloned().collect();
    view! {
        <section class="report-section">
            <h2>"3. Problemas priorizados"</h2>
            <p class="report-note">"Ordenados por número de marcas; a igual número, por personas y por talleres que los señalaron. Cada fila es un punto crítico del mapa."</p>
            {if problems.is_empty() {
                view! { <p>"No se marcaron problemas en esta versión."</p> }.into_any()
            } else {
                hotspot_table(problems, "problems")
            }}
            {(!others.is_empty()).then(|| view! {
                <h3>"Factores protectores y actores señalados"</h3>
                {hotspot_table(others, "others")}
            })}
        </section>
    }
}

#[component]
pub fn CausesSection(diagnostico: Diagnostico, causes: Vec<Cause>) -> impl IntoView {
    let rows = diagnostico.causes.clone();
    let hotspots = diagnostico.hotspots;
    view! {
        <section class="report-section">
            <h2>"4. Causas priorizadas"</h2>
            {if rows.is_empty() {
                view! { <p>"No se registraron causas en el árbol de problemas."</p> }.into_any()
            } else {
                view! {
                    <p class="report-note">"Del árbol de problemas: cada tipo de causa con los problemas del mapa que explica y las personas detrás (quienes reportaron esos problemas y quienes escribieron la causa)."</p>
                    <div class="table-wrap">
                        <table class="report-table" data-testid="causes">
                            <thead>
                                <tr>
                                    <th class="num" scope="col">"N.º"</th>
                                    <th scope="col">"Causa"</th>
                                    <th class="num" scope="col">"Problemas"</th>
                                    <th class="num" scope="col">"Personas"</th>
                                    <th scope="col">"Lo que dijo la comunidad"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().enumerate().map(|(i, r)| {
                                    let texts = cause_texts(&r, &causes);
                                    let explains = problem_labels(&r.problem_ids, &hotspots).join(", ");
                                    view! {
                                        <tr data-category=r.category.clone() data-problems=r.problems data-participants=r.participants>
                                            <td class="num">{i + 1}</td>
                                            <td>
                                                <strong>{cause_label_es(&r.category)}</strong>
                                                {(!explains.is_empty()).then(|| view! { <span class="muted block">{format!("Explica: {explains}")}</span> })}
                                            </td>
                                            <td class="num">{r.problems}</td>
                                            <td class="num">{r.participants}</td>
                                            <td>
                                                {if texts.is_empty() {
                                                    view! { <span class="muted">"Sin texto"</span> }.into_any()
                                                } else {
                                                    view! {
                                                        <ul class="said">{texts.into_iter().map(|t| view! { <li>{format!("«{t}»")}</li> }).collect_view()}</ul>
                                                    }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn SolutionsSection(diagnostico: Diagnostico, causes: Vec<Cause>) -> impl IntoView {
    let groups = diagnostico.solutions_by_institution;
    view! {
        <section class="report-section" data-testid="solutions">
            <h2>"5. Alternativas de solución por institución responsable"</h2>
            {if groups.is_empty() {
                view! { <p>"No se propusieron alternativas de solución."</p> }.into_any()
            } else {
                groups.into_iter().map(|g| {
                    let label = Institution::by_code(&g.institution).map(|i| i.label_es.to_string()).unwrap_or_else(|| g.institution.clone());
                    view! {
                        <div class="report-institution" data-institution=g.institution.clone()>
                            <h3>{label}</h3>
                            <p class="report-note">{format!("{} · {}", count_es(g.problems, "problema alcanzado", "problemas alcanzados"), count_es(g.participants, "persona", "personas"))}</p>
                            <div class="table-wrap">
                                <table class="report-table">
                                    <thead>
                                        <tr>
                                            <th class="num" scope="col">"N.º"</th>
                                            <th scope="col">"Alternativa de solución"</th>
                                            <th scope="col">"Causas que atiende"</th>
                                            <th class="num" scope="col">"Problemas"</th>
                                            <th class="num" scope="col">"Personas"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {g.solutions.into_iter().enumerate().map(|(i, s)| view! {
                                            <tr data-solution-id=s.id.to_string() data-problems=s.problems data-participants=s.participants>
                                                <td class="num">{i + 1}</td>
                                                <td class="solution-text">{s.text.clone()}</td>
                                                <td>{solution_cause_labels(&s.cause_ids, &causes).join(", ")}</td>
                                                <td class="num">{s.problems}</td>
                                                <td class="num">{s.participants}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

#[component]
pub fn MethodNote(params: MergeParams) -> impl IntoView {
    let radius = super::report::trim_number(params.point_radius_m);
    let route = super::report::trim_number(params.route_distance_m);
    let iou = super::report::trim_number(params.zone_iou * 100.0);
    let cover = super::report::trim_number(params.zone_cover * 100.0);
    view! {
        <section class="report-section report-method">
            <h2>"6. Nota de método"</h2>
            <p>{format!(
                "Cada marca la hizo una persona del barrio en un taller de cartografía social. Las marcas de una misma categoría y forma se unen en un punto crítico cuando están a {radius} m o menos una de otra, en cadena (enlace simple: si A está cerca de B y B de C, las tres forman un solo punto aunque A y C estén más lejos). Las rutas se unen cuando su recorrido no se separa más de {route} m (distancia de Fréchet) y las zonas cuando se superponen (intersección de al menos el {iou} % de su unión, o cuando una cubre el {cover} % de la más pequeña)."
            )}</p>
            {params.desde_ms.map(|ms| view! {
                <p data-testid="report-remapeo">{format!(
                    "Este diagnóstico es un re-mapeo: solo cuentan las marcas hechas desde el {}; las anteriores están en los diagnósticos anteriores del barrio.",
                    crate::model::workshop::date_es(&crate::model::workshop::colombia_date_time(ms).0)
                )}</p>
            })}
            <p>"Las personas se cuentan por su alias: quien usó el mismo alias en dos talleres cuenta una vez; las marcas sin alias cuentan una vez por dispositivo. Las marcas borradas y las rechazadas por el equipo no se cuentan. Esta versión no cambia: una nueva consolidación produce otra versión numerada. Los textos de las causas son los vigentes al generar este informe."</p>
        </section>
    }
}

#[component]
pub fn Signatures() -> impl IntoView {
    view! {
        <section class="report-section report-signatures" data-testid="signatures">
            <h2>"Firmas"</h2>
            <div class="signature-grid">
                {["Elaboró", "Revisó", "Aprobó"].into_iter().map(|role| view! {
                    <div class="signature">
                        <p class="signature-role">{role}</p>
                        <p class="signature-field"><span>"Nombre:"</span></p>
                        <p class="signature-field"><span>"Cargo:"</span></p>
                        <p class="signature-field"><span>"Fecha:"</span></p>
                        <p class="signature-field signature-sign"><span>"Firma:"</span></p>
                    </div>
                }).collect_view()}
            </div>
        </section>
    }
}
