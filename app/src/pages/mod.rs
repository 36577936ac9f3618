//! The app's pages, one per route.

mod about_data;
mod acta;
mod admin;
mod balance;
mod barrio_list;
mod barrio_map;
mod cbsc_panel;
mod diagnostico;
mod inscripcion;
mod inscripciones;
mod login;
mod not_found;
mod pacto;
mod projector;
mod public;
mod publish;
mod report;
mod report_sections;
mod ruta;
mod ruta_barrio;
mod staff;
mod sync_page;
mod workshops;

pub use about_data::AboutDataPage;
pub use acta::{ActaEditPage, ActaPrintPage};
pub use admin::AdminPage;
pub use balance::{BalancePage, BalancePrintPage, BalanceProjectorPage, IndicadoresPage, OficioPage, OficioPrintPage};
pub use barrio_list::BarrioListPage;
pub use barrio_map::BarrioMapPage;
pub use diagnostico::DiagnosticoPage;
pub use inscripcion::InscripcionPage;
pub use inscripciones::InscripcionesPage;
pub use login::{AccountPage, LoginPage};
pub use not_found::NotFoundPage;
pub use pacto::{InstitucionPage, InstitucionesPage, PactoPage, PactoPrintPage, PactosPage};
pub use projector::ProjectorPage;
pub use public::{PublicBarrioPage, PublicListPage};
pub use publish::PublishPage;
pub use report::ReportPage;
pub use ruta::RutaPage;
pub use ruta_barrio::RutaBarrioPage;
pub use staff::StaffPage;
pub use sync_page::SyncPage;
pub use workshops::{JoinPage, WorkshopPage, WorkshopsPage};

/// Staff, administration, report, publishing and public pages, and the facilitator's, loaded on
/// demand.
///
/// Built with `cargo leptos build --split`, each `view` below becomes a split point: its code
/// (and what only it uses) leaves the main wasm for a chunk the browser downloads the first
/// time the route is opened; a participant's phone never downloads it. Without `--split`
/// (tests, `cargo leptos watch`) they are ordinary routes. Each route has no data of its own
/// to start loading early: its page loads what it needs once it runs.
pub mod lazy {
    use leptos::prelude::*;
    use leptos_router::{lazy_route, LazyRoute};

    macro_rules! lazy_page {
        ($($route:ident => $page:ident),* $(,)?) => {$(
            lazy_page!(@one $route, $page, view! { <super::$page/> });
        )*};
        // Pages off the participants' path also bring the on-demand stylesheet.
        (on_demand: $($route:ident => $page:ident),* $(,)?) => {$(
            lazy_page!(@one $route, $page, view! { <crate::staff_style::StaffStylesheet/> <super::$page/> });
        )*};
        (@one $route:ident, $page:ident, $view:expr) => {
            #[doc = concat!("`", stringify!($page), "`, loaded on demand.")]
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    $view.into_any()
                }
            }
        };
    }

    lazy_page! {
        on_demand:
        AdminRoute => AdminPage,
        StaffRoute => StaffPage,
        DiagnosticoRoute => DiagnosticoPage,
        ReportRoute => ReportPage,
        PublishRoute => PublishPage,
        PublicListRoute => PublicListPage,
        PublicBarrioRoute => PublicBarrioPage,
        LoginRoute => LoginPage,
        AccountRoute => AccountPage,
        RutaRoute => RutaPage,
        RutaBarrioRoute => RutaBarrioPage,
        ActaEditRoute => ActaEditPage,
        ActaPrintRoute => ActaPrintPage,
        InscripcionRoute => InscripcionPage,
        InscripcionesRoute => InscripcionesPage,
        BalanceRoute => BalancePage,
        BalancePrintRoute => BalancePrintPage,
        BalanceProjectorRoute => BalanceProjectorPage,
        OficioRoute => OficioPage,
        OficioPrintRoute => OficioPrintPage,
        IndicadoresRoute => IndicadoresPage,
        PactosRoute => PactosPage,
        PactoRoute => PactoPage,
        PactoPrintRoute => PactoPrintPage,
        InstitucionesRoute => InstitucionesPage,
        InstitucionRoute => InstitucionPage,
    }

    lazy_page! {
        // Facilitators' pages on the room's path: out of a participant's first load, but
        // precached by the service worker (server/src/lib.rs, `PRECACHED_SPLITS`) so they open
        // in a hall with no signal.
        WorkshopsRoute => WorkshopsPage,
        ProjectorRoute => ProjectorPage,
        AboutDataRoute => AboutDataPage,
        // A participant's second-tier pages, precached the same way: what waits to be sent,
        // and a workshop's own page (its QR, the room, the facilitator's photos).
        SyncRoute => SyncPage,
        WorkshopRoute => WorkshopPage,
    }
}
