//! Browser-only code: the device's storage (IndexedDB), sending marks to the server, and the
//! few DOM helpers the components need. Components call these small async functions and never
//! touch IndexedDB themselves.

pub mod actas;
pub mod device;
pub mod dom;
pub mod geo;
pub mod hygiene;
pub mod intervenciones;
pub mod miniauditorias;
pub mod media;
pub mod packs;
pub mod pwa;
pub mod session;
pub mod storage;
pub mod sync;
pub mod sync_store;
pub mod versioned;
pub mod workshops;
