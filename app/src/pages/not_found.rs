//! The page for an address that does not exist.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Página no encontrada"/>
        <section class="page narrow">
            <h1>"No encontramos esta página"</h1>
            <p>"Puede que el enlace esté incompleto."</p>
            <a class="button primary" href="/">"Ver los barrios"</a>
        </section>
    }
}
