//! What every printed document of the route shares (the acta, the balance's informe, the
//! oficio): the Secretaría's letterhead with the procedure's code, and the signature blocks.

use leptos::prelude::*;

use crate::model::report::PROCEDURE_CODE;

/// The letterhead: the issuer, the procedure's step (`process`), and the code beside the
/// document's own facts (`(label, value)`: its version, date, number…).
#[component]
pub fn Letterhead(process: &'static str, facts: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <div class="report-letterhead">
            <div class="report-issuer">
                <p class="report-issuer-line">"Alcaldía Distrital de Santa Marta · Secretaría de Seguridad y Convivencia"</p>
                <p class="report-process">{process}</p>
            </div>
            <dl class="report-code">
                <div><dt>"Código"</dt><dd>{PROCEDURE_CODE}</dd></div>
                {facts.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
            </dl>
        </div>
    }
}

/// A block for each role to write its name and sign: three for most documents, one per
/// institution for a pacto (they wrap three to a row).
#[component]
pub fn SignatureBlocks<R, S>(roles: R) -> impl IntoView
where
    R: IntoIterator<Item = S>,
    S: Into<String>,
{
    let roles: Vec<String> = roles.into_iter().map(Into::into).collect();
    view! {
        <section class="report-section report-signatures">
            <h2>"Firmas"</h2>
            <div class="signature-grid">
                {roles.into_iter().map(|role| view! {
                    <div class="signature">
                        <p class="signature-role">{role}</p>
                        <p class="signature-field"><span>"Nombre:"</span></p>
                        <p class="signature-field signature-sign"><span>"Firma:"</span></p>
                    </div>
                }).collect_view()}
            </div>
        </section>
    }
}

/// Above a printable document, never printed: the way back (`back`, `label`) and "Imprimir".
#[component]
pub fn PrintActions(#[prop(into)] back: Signal<String>, label: &'static str) -> impl IntoView {
    view! {
        <div class="report-actions">
            <a class="button small quiet" href=back>{label}</a>
            <button type="button" class="button primary" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(w) = web_sys::window() { let _ = w.print(); }
            }>"Imprimir"</button>
        </div>
    }
}
