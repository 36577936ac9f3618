//! Import of barrio boundaries from GeoJSON files, with a report of what was repaired or
//! skipped. Pure: parses bytes and returns barrios; the caller decides where they go.

pub mod dissolve;
pub mod names;

pub use dissolve::{dissolve_barrios, DissolveOptions, DissolvedBarrio, ImportReport};
