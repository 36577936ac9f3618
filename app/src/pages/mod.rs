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
mod intervencion;
mod login;
mod miniauditoria;
mod miniauditoria_informe;
mod not_found;
mod pacto;
mod projector;
mod public;
mod publish;
mod remapeo;
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
pub use intervencion::FichaEditPage;
pub use login::{AccountPage, LoginPage};
pub use miniauditoria::MiniauditoriaPage;
pub use miniauditoria_informe::InformeMiniauditoriaPage;
pub use not_found::NotFoundPage;
pub use pacto::{ComitePage, InstitucionPage, InstitucionesPage, PactoPage, PactoPrintPage, PactosPage, TableroPage};
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
/// Built with `cargo leptos build --split`, each group below is one split point: the code of
/// its pages (and what only they use) leaves the main wasm for chunks the browser downloads
/// the first time one of the group's routes opens; a participant's phone never downloads the
/// staff's. A group, not a page, is the unit: with a split point per page the splitter cut
/// hundreds of tiny chunks out of the code the pages share (452 for 31 pages), each one more
/// request for a browser and one more wasm-opt run for every build, while the pages a person
/// uses come together anyway (staff move between the ruta, the diagnóstico and the balance).
/// Without `--split` (tests, `cargo leptos watch`) they are ordinary routes. Each route has no
/// data of its own to start loading early: its page loads what it needs once it runs.
pub mod lazy {
    use leptos::prelude::*;
    use leptos_router::LazyRoute;

    /// One split point, `$view`, for the pages of a group, and a route type for each page
    /// that shows it through that split point; `$preload` is the preloader `#[lazy]` makes
    /// for `$view` (`__preload_` and its name), named here because a macro cannot glue idents.
    macro_rules! lazy_group {
        ($group:ident, $view:ident, $preload:ident, |$page_view:ident| $wrap:expr, { $($route:ident => $page:ident),* $(,)? }) => {
            /// The pages of one split point.
            #[derive(Clone, Copy, Debug)]
            enum $group {
                $($page),*
            }

            #[leptos::lazy]
            fn $view(page: $group) -> AnyView {
                let $page_view = match page {
                    $($group::$page => view! { <super::$page/> }.into_any()),*
                };
                $wrap.into_any()
            }

            $(
                #[doc = concat!("`", stringify!($page), "`, loaded on demand with the rest of `", stringify!($view), "`.")]
                pub struct $route;

                impl LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }

                    async fn preload() {
                        // The split exists only in the browser's build.
                        #[cfg(target_arch = "wasm32")]
                        $preload().await;
                    }

                    async fn view(_this: Self) -> AnyView {
                        $view($group::$page).await
                    }
                }
            )*
        };
    }

    lazy_group! {
        // The staff's work: the ruta and its documents, the diagnóstico, the balance, the
        // pacto, administration. With the on-demand stylesheet.
        StaffPages, staff_pages, __preload_staff_pages, |page| view! { <crate::staff_style::StaffStylesheet/> {page} }, {
            AdminRoute => AdminPage,
            StaffRoute => StaffPage,
            DiagnosticoRoute => DiagnosticoPage,
            ReportRoute => ReportPage,
            PublishRoute => PublishPage,
            RutaRoute => RutaPage,
            RutaBarrioRoute => RutaBarrioPage,
            ActaEditRoute => ActaEditPage,
            ActaPrintRoute => ActaPrintPage,
            FichaEditRoute => FichaEditPage,
            MiniauditoriaRoute => MiniauditoriaPage,
            InformeMiniauditoriaRoute => InformeMiniauditoriaPage,
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
            TableroRoute => TableroPage,
            ComiteRoute => ComitePage,
        }
    }

    lazy_group! {
        // What anyone may open from a link, often on a phone: the published diagnósticos, a
        // barrio's request to enter the route, signing in. Small, and apart from the staff's.
        PublicPages, public_pages, __preload_public_pages, |page| view! { <crate::staff_style::StaffStylesheet/> {page} }, {
            PublicListRoute => PublicListPage,
            PublicBarrioRoute => PublicBarrioPage,
            InscripcionRoute => InscripcionPage,
            LoginRoute => LoginPage,
            AccountRoute => AccountPage,
        }
    }

    lazy_group! {
        // The room's pages: the facilitator's (workshops, the projector, the data credits) and
        // a participant's second tier ("Envío de datos", a workshop's own page). Out of the
        // first load, but precached by the service worker (server/src/lib.rs,
        // `PRECACHED_SPLITS`) so they open in a hall with no signal.
        RoomPages, room_pages, __preload_room_pages, |page| page, {
            WorkshopsRoute => WorkshopsPage,
            ProjectorRoute => ProjectorPage,
            AboutDataRoute => AboutDataPage,
            SyncRoute => SyncPage,
            WorkshopRoute => WorkshopPage,
        }
    }
}
