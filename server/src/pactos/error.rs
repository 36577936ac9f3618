//! Why a pacto could not be drafted, saved, signed, amended or followed up, in Spanish and
//! English: its content's own rules ([`PactoError`], 422) and what depends on the stored data
//! (the diagnóstico, the revision in force, the signing, the acta and registros it names).

use app::model::pacto::PactoError;
use app::model::Bilingual;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PactoRefusal {
    /// 422: content, a status change, an institution or a publication that breaks a rule of
    /// its own.
    #[error(transparent)]
    Invalid(#[from] PactoError),
    /// 404: the barrio has no diagnóstico of that number.
    #[error("the barrio has no diagnóstico number {0}")]
    UnknownDiagnostico(u32),
    /// 409: the barrio already has a pacto (or otrosí) that is not signed yet.
    #[error("the barrio already has a pacto that is not signed yet")]
    UnsignedOpen,
    /// 409: a signed pacto is not changed (nor signed again).
    #[error("a signed pacto is immutable: an otrosí amends it")]
    Signed,
    /// 409: the revision the change was made on is no longer the latest.
    #[error("revision {sent} is not the latest one ({latest}): reload the pacto")]
    Stale { sent: u32, latest: u32 },
    /// 409: what only a signed pacto has (status changes, otrosíes, publication).
    #[error("the pacto is not signed yet")]
    NotSigned,
    /// 409: the pacto already has a newer version (an otrosí, signed or not).
    #[error("the pacto already has an otrosí")]
    HasOtrosi,
    /// 409: a newer signed version is in force: status changes go there.
    #[error("a newer signed version of the pacto is in force")]
    Superseded,
    /// 422: the acta named is not a socialización acta of the pacto's barrio.
    #[error("the acta is not a socialización acta of the pacto's barrio")]
    ActaNotSocializacion,
    /// 422: no registro of the pacto's barrio has that id.
    #[error("the registro is not one of the barrio's")]
    UnknownRegistro,
    /// 422: the registro is not the scan of a signed pacto (type `pacto_firmado`).
    #[error("the registro is not a signed pacto (type pacto_firmado)")]
    RegistroNotPacto,
    /// 422: the registro was withdrawn.
    #[error("the registro was withdrawn")]
    RegistroWithdrawn,
    /// 422: a pacto without compromisos is not signed.
    #[error("a pacto is signed with at least one compromiso")]
    NoCompromisos,
    /// 422: a committee's revision `{0}` names a compromiso that is not in a signed pacto in
    /// force of a barrio of the acta's city (that the account works in).
    #[error("compromiso {} of the acta is not in a pacto in force of a barrio of that city", .0 + 1)]
    NotInForce(usize),
    /// 422: a committee's revision `{0}` asks for a change the compromiso's rules refuse.
    #[error("compromiso {n} of the acta: {why}", n = .0 + 1, why = .1)]
    RevisionRefused(usize, PactoError),
}

impl PactoRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            PactoRefusal::Invalid(e) => e.code(),
            PactoRefusal::UnknownDiagnostico(_) => "unknown_diagnostico",
            PactoRefusal::UnsignedOpen => "unsigned_pacto_open",
            PactoRefusal::Signed => "pacto_signed",
            PactoRefusal::Stale { .. } => "stale_revision",
            PactoRefusal::NotSigned => "pacto_not_signed",
            PactoRefusal::HasOtrosi => "otrosi_exists",
            PactoRefusal::Superseded => "pacto_superseded",
            PactoRefusal::ActaNotSocializacion => "acta_not_socializacion",
            PactoRefusal::UnknownRegistro => "unknown_registro",
            PactoRefusal::RegistroNotPacto => "registro_not_pacto_firmado",
            PactoRefusal::RegistroWithdrawn => "registro_withdrawn",
            PactoRefusal::NoCompromisos => "no_compromisos",
            PactoRefusal::NotInForce(_) => "compromiso_not_in_force",
            PactoRefusal::RevisionRefused(_, e) => e.code(),
        }
    }

    /// The member of the request at fault, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            PactoRefusal::Invalid(e) => e.field(),
            PactoRefusal::UnknownDiagnostico(_) => Some("diagnostico"),
            PactoRefusal::Stale { .. } => Some("revision"),
            PactoRefusal::ActaNotSocializacion => Some("contenido.acta_id"),
            PactoRefusal::UnknownRegistro | PactoRefusal::RegistroNotPacto | PactoRefusal::RegistroWithdrawn => Some("registro_id"),
            PactoRefusal::NoCompromisos => Some("compromisos"),
            PactoRefusal::NotInForce(_) | PactoRefusal::RevisionRefused(..) => Some("revisiones"),
            PactoRefusal::UnsignedOpen
            | PactoRefusal::Signed
            | PactoRefusal::NotSigned
            | PactoRefusal::HasOtrosi
            | PactoRefusal::Superseded => None,
        }
    }

    /// 404: nothing to draft from.
    pub fn is_not_found(&self) -> bool {
        matches!(self, PactoRefusal::UnknownDiagnostico(_))
    }

    /// 409: the request is fine, the pacto's state refuses it (reload and decide again).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            PactoRefusal::UnsignedOpen
                | PactoRefusal::Signed
                | PactoRefusal::Stale { .. }
                | PactoRefusal::NotSigned
                | PactoRefusal::HasOtrosi
                | PactoRefusal::Superseded
        )
    }
}

impl Bilingual for PactoRefusal {
    fn es(&self) -> String {
        match self {
            PactoRefusal::Invalid(e) => e.es(),
            PactoRefusal::UnknownDiagnostico(n) => format!("El barrio no tiene un diagnóstico n.º {n}."),
            PactoRefusal::UnsignedOpen => {
                "El barrio ya tiene un pacto (u otrosí) sin firmar: termínelo y fírmelo antes de empezar otro.".into()
            }
            PactoRefusal::Signed => "El pacto ya está firmado y no cambia más; para modificarlo, haga un otrosí.".into(),
            PactoRefusal::Stale { sent, latest } => format!(
                "El pacto cambió mientras lo editaba: usted partió de la revisión {sent} y la última es la {latest}. \
                 Recárguelo y vuelva a hacer sus cambios."
            ),
            PactoRefusal::NotSigned => "El pacto aún no está firmado.".into(),
            PactoRefusal::HasOtrosi => "Este pacto ya tiene un otrosí: trabaje sobre la versión más reciente.".into(),
            PactoRefusal::Superseded => {
                "Un otrosí firmado reemplazó esta versión del pacto: registre el cambio de estado en la versión vigente.".into()
            }
            PactoRefusal::ActaNotSocializacion => "El acta indicada no es un acta de socialización de este barrio.".into(),
            PactoRefusal::UnknownRegistro => "El registro indicado no es de este barrio.".into(),
            PactoRefusal::RegistroNotPacto => "El registro indicado no es un pacto firmado (tipo «Pacto firmado» del paso 4).".into(),
            PactoRefusal::RegistroWithdrawn => "El registro indicado fue retirado.".into(),
            PactoRefusal::NoCompromisos => "Un pacto se firma con al menos un compromiso.".into(),
            PactoRefusal::NotInForce(i) => format!(
                "El compromiso {} del acta no está en un pacto vigente de un barrio de esa ciudad (en la que usted trabaje).",
                i + 1
            ),
            PactoRefusal::RevisionRefused(i, e) => format!("Compromiso {} del acta: {}", i + 1, e.es()),
        }
    }

    fn en(&self) -> String {
        match self {
            PactoRefusal::Invalid(e) => e.en(),
            PactoRefusal::RevisionRefused(i, e) => format!("Compromiso {} of the acta: {}", i + 1, e.en()),
            other => app::model::sentence(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_code_and_speaks_both_languages() {
        let all = [
            PactoRefusal::Invalid(PactoError::NoEvidence),
            PactoRefusal::UnknownDiagnostico(3),
            PactoRefusal::UnsignedOpen,
            PactoRefusal::Signed,
            PactoRefusal::Stale { sent: 1, latest: 2 },
            PactoRefusal::NotSigned,
            PactoRefusal::HasOtrosi,
            PactoRefusal::Superseded,
            PactoRefusal::ActaNotSocializacion,
            PactoRefusal::UnknownRegistro,
            PactoRefusal::RegistroNotPacto,
            PactoRefusal::RegistroWithdrawn,
            PactoRefusal::NoCompromisos,
            PactoRefusal::NotInForce(2),
            PactoRefusal::RevisionRefused(0, PactoError::Cancelled),
        ];
        for e in &all {
            assert!(!e.code().is_empty() && !e.es().is_empty() && !e.en().is_empty(), "{e:?}");
            assert!(!(e.is_conflict() && e.is_not_found()), "{e:?}");
        }
        assert_eq!(PactoRefusal::Invalid(PactoError::NoEvidence).code(), "no_evidence");
        assert_eq!(PactoRefusal::Invalid(PactoError::NoEvidence).field(), Some("evidencia"));
        assert!(
            PactoRefusal::Stale { sent: 1, latest: 4 }.es().contains("revisión 1")
                && PactoRefusal::Stale { sent: 1, latest: 4 }.es().contains("la 4")
        );
        assert_eq!(PactoRefusal::Signed.en(), "A signed pacto is immutable: an otrosí amends it.");
    }
}
