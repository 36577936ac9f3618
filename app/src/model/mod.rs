//! The data model shared by the browser app and the server: barrios, categories and marks,
//! with the validation both sides apply. Pure: no I/O, no browser or server types.

pub mod barrio;
pub mod geometry;
pub mod mark;
pub mod pack;
pub mod taxonomy;

pub use barrio::{Barrio, BarrioSummary};
pub use geometry::GeometryError;
pub use mark::{Mark, MarkError};
pub use pack::{BarrioPack, BaseLayers, LandmarkKind, PackInfo, PACK_FORMAT};
pub use taxonomy::{Category, CategoryGroup, MarkKind, CATEGORIES};

/// A message for people, in the app's two languages (Spanish first, Colombian usage).
pub trait Bilingual {
    fn es(&self) -> String;
    fn en(&self) -> String;
}
