//! The record of a barrio's hand corrections — joins and separations, who made them, when and
//! why — with whether each is in the version shown or waits for the next one, and "Deshacer".

use leptos::prelude::*;

use crate::components::hotspot_review::{ReviewState, StaffAction};
use crate::model::words::count_es;
use crate::model::adjustment::{Adjustment, AdjustmentAction};
use crate::model::workshop::when_es;

/// Where a correction stands against the version shown (`applied`: the corrections it was
/// generated with).
fn standing(a: &Adjustment, applied: &[i64]) -> &'static str {
    match (a.in_force(), applied.contains(&a.seq)) {
        (true, true) => "En esta versión",
        (true, false) => "Pendiente: se aplica al generar la próxima versión",
        (false, true) => "Deshecha: deja de aplicarse en la próxima versión",
        (false, false) => "Deshecha",
    }
}

#[component]
pub fn CorrectionsPanel(
    /// The corrections the version shown was generated with.
    applied: Signal<Vec<i64>>,
) -> impl IntoView {
    let state = expect_context::<ReviewState>();
    view! {
        <Show when=move || !state.adjustments.with(Vec::is_empty)>
            <h3>"Correcciones a mano"</h3>
            <ul class="corrections" data-testid="corrections">
                {move || {
                    let applied = applied.get();
                    state.adjustments.get().into_iter().rev().map(|a| {
                        let seq = a.seq;
                        let n = a.mark_ids.len() as u32;
                        let what = match a.action {
                            AdjustmentAction::Join => format!("Unión de puntos críticos ({})", count_es(n, "marca", "marcas")),
                            AdjustmentAction::Separate => format!("Separación de {}", count_es(n, "marca", "marcas")),
                        };
                        let why = if a.reason.is_empty() { String::new() } else { format!(" — «{}»", a.reason) };
                        let status = standing(&a, &applied);
                        let cancelled = a.cancelled.clone();
                        view! {
                            <li class="correction" data-seq=seq data-action=a.action.code() data-in-force=if a.in_force() { "true" } else { "false" }>
                                <div class="source-text">
                                    <strong>{what}</strong>{why}
                                    <span class="barrio-meta">{format!(" · {} · {}", a.reviewer, when_es(a.at_ms))}</span>
                                    <span class="tag">{status}</span>
                                    {cancelled.map(|c| view! {
                                        <span class="barrio-meta">{format!(" Deshecha por {} el {}", c.reviewer, when_es(c.at_ms))}</span>
                                    })}
                                </div>
                                {a.in_force().then(|| view! {
                                    <button type="button" class="button small quiet" on:click=move |_| state.act.run(StaffAction::Cancel { seq })>"Deshacer"</button>
                                })}
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </Show>
    }
}
