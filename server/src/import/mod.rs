//! Import of barrios and base layers from GeoJSON files, with a report of every feature that
//! was repaired or skipped. Pure: parses bytes and returns barrios and layers; the caller
//! decides where they go.

pub mod demo_layers;
pub mod dissolve;
pub mod features;
pub mod layers;
pub mod name_fixes;
pub mod names;
pub mod plan;
pub mod rings;

pub use dissolve::{dissolve_barrios, DissolveOptions, DissolvedBarrio, ImportReport};
pub use features::{FeatureNote, ImportError};
