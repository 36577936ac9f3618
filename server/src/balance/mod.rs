//! Pasos 1–2 on the server, the pure part: the imported indicator rows of a city aggregated per
//! cuatrimestre, the balance built from them under one ISCB definition, and its CSV. No I/O:
//! the handlers read the store, then call in here off the database's thread.

pub mod armado;
pub mod csv;
pub mod datos;
pub mod error;

pub use armado::{armar, BarrioBalance, Entrada};
pub use error::BalanceRefusal;
