//! Paso 4 of the ruta: the diagnóstico socialised with the institutions and the pacto they sign
//! with the CBSC — the institutions' catalogue, the pacto built from a diagnóstico version, its
//! compromisos and their append-only status history, and what of it may be published. Pure.

pub mod borrador;
pub mod compromiso;
pub mod error;
pub mod institucion;
pub mod pacto;
pub mod publicacion;

pub use borrador::borrador;
pub use compromiso::{CambioEstado, CambioEstadoDraft, Compromiso, CompromisoDeInstitucion, EstadoCompromiso};
pub use error::PactoError;
pub use institucion::{Contacto, Institucion, InstitucionDraft, TipoInstitucion};
pub use pacto::{
    EstadoPacto, Firma, FirmaDraft, GuardarPacto, LugarOpcion, NuevoPacto, Pacto, PactoContenido, PactoDetalle, PactoResumen, ProblemaPriorizado,
    SolucionPropuesta,
};
pub use publicacion::{CompromisoAprobado, CompromisoPublicado, PactoPublicado, PublicarPacto};
