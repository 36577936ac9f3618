//! The app's pages, one per route.

mod about_data;
mod admin;
mod barrio_list;
mod barrio_map;
mod diagnostico;
mod login;
mod not_found;
mod projector;
mod public;
mod publish;
mod report;
mod report_sections;
mod staff;
mod sync_page;
mod workshops;

pub use about_data::AboutDataPage;
pub use admin::AdminPage;
pub use barrio_list::BarrioListPage;
pub use barrio_map::BarrioMapPage;
pub use diagnostico::DiagnosticoPage;
pub use login::{AccountPage, LoginPage};
pub use not_found::NotFoundPage;
pub use projector::ProjectorPage;
pub use public::{PublicBarrioPage, PublicListPage};
pub use publish::PublishPage;
pub use report::ReportPage;
pub use staff::StaffPage;
pub use sync_page::SyncPage;
pub use workshops::{JoinPage, WorkshopPage, WorkshopsPage};
