//! Paso 4 on the server, the pure part: why a pacto, a signing, an otrosí, a status change or a
//! publication is refused once the stored data is looked at, and an institution's compromisos
//! as a CSV. The rules of the content itself are `app::model::pacto`'s.

pub mod csv;
pub mod error;

pub use error::PactoRefusal;
