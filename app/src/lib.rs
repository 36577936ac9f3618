//! Cartobarrio's Leptos app and the data model it shares with the server.
//! Compiled twice: with `ssr` for the server's rendering, with `hydrate` for the browser.
#![recursion_limit = "256"]

#[cfg(feature = "hydrate")]
pub mod client;
pub mod components;
pub mod data;
pub mod editor;
pub mod map;
pub mod model;
pub mod pages;
pub mod staff_style;

use leptos::config::Env;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, StaticSegment};

use crate::components::icons::IconSprite;
use crate::components::pwa::{provide_device_state, UpdateBanner};
use crate::components::status::{provide_sync_state, ConnectionStatus};
use crate::components::account::{provide_session_state, AccountChip};
use crate::pages::lazy::{
    AccountRoute, ActaEditRoute, BalancePrintRoute, BalanceProjectorRoute, BalanceRoute, IndicadoresRoute, OficioPrintRoute, OficioRoute, ActaPrintRoute, AdminRoute, DiagnosticoRoute, LoginRoute, PublicBarrioRoute, PublicListRoute, PublishRoute, ReportRoute, RutaBarrioRoute,
    RutaRoute, StaffRoute,
};
use crate::pages::lazy::{ComiteRoute, FichaEditRoute, InformeMiniauditoriaRoute, InstitucionRoute, InstitucionesRoute, PactoPrintRoute, PactoRoute, PactosRoute, MiniauditoriaRoute, TableroRoute};
use crate::pages::lazy::{AboutDataRoute, InscripcionRoute, InscripcionesRoute, ProjectorRoute, SyncRoute, WorkshopRoute, WorkshopsRoute};
use crate::pages::{BarrioListPage, BarrioMapPage, JoinPage, NotFoundPage};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The service worker fights `cargo leptos watch`'s reloads: only production registers it.
    let register_worker = matches!(options.env, Env::PROD);
    view! {
        <!DOCTYPE html>
        <html lang="es-CO">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#0b5d4b"/>
                <meta name="description" content="Cartografía social para la seguridad: mapas de los problemas del barrio, hechos por sus vecinos."/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                {register_worker.then(|| view! { <script src="/sw-register.js" defer></script> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_sync_state();
    provide_device_state();
    provide_session_state();
    view! {
        <Title formatter=|text: String| if text.is_empty() { "Cartobarrio".to_string() } else { format!("{text} · Cartobarrio") }/>
        <IconSprite/>
        <Router>
            <header class="appbar">
                <a class="brand" href="/">
                    <svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7z" fill="#fff"/>
                        <circle cx="12" cy="9" r="2.6" fill="#0b5d4b"/>
                    </svg>
                    <span>"Cartobarrio"</span>
                </a>
                <div class="appbar-end">
                    <ConnectionStatus/>
                    <AccountChip/>
                </div>
            </header>
            <UpdateBanner/>
            <main>
                <Routes fallback=NotFoundPage>
                    <Route path=StaticSegment("") view=BarrioListPage/>
                    <Route path=path!("/barrio/:id") view=BarrioMapPage/>
                    <Route path=path!("/talleres") view={Lazy::<WorkshopsRoute>::new()}/>
                    <Route path=path!("/talleres/:id") view={Lazy::<WorkshopRoute>::new()}/>
                    <Route path=path!("/talleres/:id/proyectar") view={Lazy::<ProjectorRoute>::new()}/>
                    <Route path=path!("/unirse") view=JoinPage/>
                    <Route path=path!("/unirse/:code") view=JoinPage/>
                    <Route path=path!("/envios") view={Lazy::<SyncRoute>::new()}/>
                    <Route path=path!("/entrar") view={Lazy::<LoginRoute>::new()}/>
                    <Route path=path!("/cuenta") view={Lazy::<AccountRoute>::new()}/>
                    <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()}/>
                    <Route path=path!("/admin/indicadores") view={Lazy::<IndicadoresRoute>::new()}/>
                    <Route path=path!("/equipo") view={Lazy::<StaffRoute>::new()}/>
                    <Route path=path!("/diagnostico/:id") view={Lazy::<DiagnosticoRoute>::new()}/>
                    <Route path=path!("/diagnostico/:id/informe/:n") view={Lazy::<ReportRoute>::new()}/>
                    <Route path=path!("/diagnostico/:id/publicar") view={Lazy::<PublishRoute>::new()}/>
                    <Route path=path!("/publico") view={Lazy::<PublicListRoute>::new()}/>
                    <Route path=path!("/publico/:id") view={Lazy::<PublicBarrioRoute>::new()}/>
                    <Route path=path!("/ruta") view={Lazy::<RutaRoute>::new()}/>
                    <Route path=path!("/balance") view={Lazy::<BalanceRoute>::new()}/>
                    <Route path=path!("/balance/imprimir") view={Lazy::<BalancePrintRoute>::new()}/>
                    <Route path=path!("/balance/proyectar") view={Lazy::<BalanceProjectorRoute>::new()}/>
                    <Route path=path!("/balance/oficio") view={Lazy::<OficioRoute>::new()}/>
                    <Route path=path!("/balance/oficio/:id") view={Lazy::<OficioPrintRoute>::new()}/>
                    // Before any `/ruta/:id`: the first route that matches wins.
                    <Route path=path!("/ruta/inscripciones") view={Lazy::<InscripcionesRoute>::new()}/>
                    <Route path=path!("/ruta/:id") view={Lazy::<RutaBarrioRoute>::new()}/>
                    <Route path=path!("/ruta/:id/acta") view={Lazy::<ActaEditRoute>::new()}/>
                    <Route path=path!("/ruta/:id/acta/:acta") view={Lazy::<ActaEditRoute>::new()}/>
                    <Route path=path!("/ruta/:id/acta/:acta/imprimir") view={Lazy::<ActaPrintRoute>::new()}/>
                    <Route path=path!("/ruta/:id/intervencion") view={Lazy::<FichaEditRoute>::new()}/>
                    <Route path=path!("/ruta/:id/intervencion/:ficha") view={Lazy::<FichaEditRoute>::new()}/>
                    <Route path=path!("/ruta/:id/miniauditoria") view={Lazy::<MiniauditoriaRoute>::new()}/>
                    <Route path=path!("/ruta/:id/miniauditoria/:m/informe") view={Lazy::<InformeMiniauditoriaRoute>::new()}/>
                    <Route path=path!("/ruta/:id/pacto") view={Lazy::<PactosRoute>::new()}/>
                    <Route path=path!("/ruta/:id/pacto/:pacto") view={Lazy::<PactoRoute>::new()}/>
                    <Route path=path!("/ruta/:id/pacto/:pacto/imprimir") view={Lazy::<PactoPrintRoute>::new()}/>
                    <Route path=path!("/instituciones") view={Lazy::<InstitucionesRoute>::new()}/>
                    <Route path=path!("/instituciones/:codigo") view={Lazy::<InstitucionRoute>::new()}/>
                    <Route path=path!("/seguimiento") view={Lazy::<TableroRoute>::new()}/>
                    <Route path=path!("/seguimiento/comites/:id") view={Lazy::<ComiteRoute>::new()}/>
                    <Route path=path!("/acerca-de-los-datos") view={Lazy::<AboutDataRoute>::new()}/>
                    <Route path=path!("/inscripcion") view={Lazy::<InscripcionRoute>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// Entry point of the wasm bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Waits for the chunk of a page loaded on demand before hydrating it.
    leptos::mount::hydrate_lazy(App);
}
