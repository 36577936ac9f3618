//! Pasos 1–2 of the ruta: indicator data per barrio and cuatrimestre, the configurable and
//! versioned ISCB computed from it, the balance that ranks the barrios, and what staff decide
//! from it (the barrios prioritised, the oficio de convocatoria). Pure: no I/O.

pub mod calculo;
pub mod error;
pub mod importacion;
pub mod indicador;
pub mod informe;
pub mod iscb;
pub mod oficio;
pub mod periodo;
pub mod priorizacion;

pub use error::BalanceError;
