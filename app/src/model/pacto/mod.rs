//! Paso 4 of the ruta: the diagnóstico socialised with the institutions and the pacto they sign
//! with the CBSC — the institutions' catalogue, the pacto built from a diagnóstico version, its
//! compromisos and their append-only status history, and what of it may be published. Pure.
//!
//! # The API contract for paso 4 (both sides build to this; types in `app/src/model/pacto/`)
//! All under `/api/v1`. JSON bodies; errors are the app's usual JSON error body (code + Spanish
//! and English message) with 4xx. Access: `works_in(barrio)` = staff/admin of the barrio's city or
//! a facilitator assigned to it; `staff_in(barrio)` = staff/admin of its city; see `server/src/auth/mod.rs`.
//! - `GET  /instituciones` — any signed-in account → `Vec<Institucion>` (latest version of each, active and inactive).
//! - `PUT  /instituciones/{codigo}` — admin; body `InstitucionDraft` → `Institucion` (a new version; 201 for a new code, 200 otherwise; 422 bad code/draft).
//! - `GET  /instituciones/{codigo}/compromisos` — staff (lines limited to the account's cities) → `Vec<CompromisoDeInstitucion>` from each barrio's signed pacto in force, ordered by `pacto::compromiso::ordenar_para_seguimiento` (overdue first) with today's date in Colombia.
//! - `GET  /instituciones/{codigo}/compromisos.csv` — same lines as CSV (UTF-8 with BOM, `;`, formula-injection safe like the other CSVs).
//! - `GET  /barrios/{id}/pactos` — works_in → `Vec<PactoResumen>`, newest first.
//! - `POST /barrios/{id}/pactos` — staff_in; body `NuevoPacto { diagnostico }` → 201 `Pacto` (version 1, revision 1 = `pacto::borrador(diag, n, barrio name)`, ciclo = the barrio's open ciclo if any). 404 unknown diagnóstico; 409 when the barrio already has an unsigned pacto.
//! - `GET  /pactos/{id}` — works_in(its barrio) → `PactoDetalle` (`editable` = caller is staff_in; `lugares` = `pacto::borrador::lugares(diag)` of its diagnóstico; `estados` = status history of its compromisos across its lineage, oldest first; `otrosi` = the newer version's id if any; `publicacion` = the barrio's publication in force if it is of this lineage, with live statuses).
//! - `PUT  /pactos/{id}` — staff_in; body `GuardarPacto { revision, contenido }` → 200 `Pacto` at revision+1. 409 when signed (immutable) or when `revision` is not the latest (stale); 422 from `PactoContenido::checked` (catalogue codes; hotspots of its diagnóstico) or an `acta_id` that is not a `socializacion` acta of the same barrio.
//! - `POST /pactos/{id}/firma` — staff_in; body `FirmaDraft { revision, registro_id, fecha }` → 200 `Pacto` (estado `firmado`). `revision` must be the latest (409); the registro must be of the same barrio, type `pacto_firmado`, not withdrawn (422); the pacto needs at least one compromiso (422); already signed → 409.
//! - `POST /pactos/{id}/otrosi` — staff_in → 201 `Pacto`: version+1, `anterior` = id, same diagnóstico, revision 1 = the signed content with an empty `fecha`. Only from a signed pacto with no newer version (409), and not while the barrio has an unsigned pacto (409).
//! - `POST /pactos/{id}/compromisos/{cid}/estados` — staff_in; body `CambioEstadoDraft` → 201 `CambioEstado`. Only on a signed pacto (409 otherwise) that has no newer *signed* version (409); `cid` must be one of its compromisos (404); checked with `CambioEstadoDraft::checked(current status)` (422); a `registro_id` must be a registro of the same barrio, not withdrawn (422).
//! - `POST /pactos/{id}/publicacion/vista` — staff_in; body `PublicarPacto` → 200 `PactoPublicado` built by `pacto::publicacion::publicar`, stores nothing. Only for a signed pacto (409).
//! - `POST /pactos/{id}/publicacion` — same, stored (append-only; the newest for the barrio is in force) → 201 `PactoPublicado`.
//! - `GET  /public/barrios/{id}/compromisos` — anyone → `PactoPublicado` in force with live statuses, 404 when none.
//! Signed scans: the page uploads the scan with the existing `POST /ciclos/{ciclo}/registros?paso=4&tipo=pacto_firmado&fecha=…&descripcion=…&nombre=…` (body = the file) and then posts `firma` with the registro's id.

pub mod borrador;
pub mod compromiso;
pub mod error;
pub mod institucion;
pub mod pacto;
pub mod publicacion;
pub mod seguimiento;

pub use borrador::borrador;
pub use compromiso::{CambioEstado, CambioEstadoDraft, Compromiso, CompromisoDeInstitucion, EstadoCompromiso};
pub use error::PactoError;
pub use institucion::{Contacto, Institucion, InstitucionDraft, TipoInstitucion};
pub use pacto::{
    EstadoPacto, Firma, FirmaDraft, GuardarPacto, LugarOpcion, NuevoPacto, Pacto, PactoContenido, PactoDetalle, PactoResumen,
    ProblemaPriorizado, SolucionPropuesta,
};
pub use publicacion::{CompromisoAprobado, CompromisoPublicado, PactoPublicado, PublicarPacto};
