//! La ruta del barrio (procedure MM-GSC-P-003): its nine steps with what each leaves behind
//! (the seed's *registros*), and a barrio's walk through them, a *ciclo* whose step changes
//! are appended, never rewritten. Pure: the store and the pages of issue 21 build on it.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::Bilingual;

/// The longest comment or reason kept with a step change.
pub const MAX_REASON_CHARS: usize = 2_000;

/// One of the procedure's nine steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paso {
    Identificacion,
    SocializacionInterinstitucional,
    Diagnostico,
    Pacto,
    Intervencion,
    Miniauditorias,
    Seguimiento,
    Evaluacion,
    Certificacion,
}

impl Paso {
    pub const ALL: [Paso; 9] = [
        Paso::Identificacion,
        Paso::SocializacionInterinstitucional,
        Paso::Diagnostico,
        Paso::Pacto,
        Paso::Intervencion,
        Paso::Miniauditorias,
        Paso::Seguimiento,
        Paso::Evaluacion,
        Paso::Certificacion,
    ];

    /// 1 to 9, as the procedure numbers them.
    pub fn number(self) -> u8 {
        Paso::ALL.iter().position(|p| *p == self).map_or(0, |i| i as u8 + 1)
    }

    pub fn from_number(n: u8) -> Option<Paso> {
        Paso::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    pub fn label_es(self) -> &'static str {
        match self {
            Paso::Identificacion => "Identificación de barrios",
            Paso::SocializacionInterinstitucional => "Socialización interinstitucional",
            Paso::Diagnostico => "Diagnóstico barrial",
            Paso::Pacto => "Socialización del diagnóstico y firma del pacto",
            Paso::Intervencion => "Intervención",
            Paso::Miniauditorias => "Miniauditorías",
            Paso::Seguimiento => "Seguimiento a los compromisos",
            Paso::Evaluacion => "Evaluación",
            Paso::Certificacion => "Certificación",
        }
    }

    /// Who answers for the step, as the seed names them.
    pub fn responsible_es(self) -> &'static str {
        match self {
            Paso::Identificacion => "Dirección Técnica",
            Paso::SocializacionInterinstitucional | Paso::Diagnostico | Paso::Pacto => "Profesional Universitario",
            Paso::Intervencion | Paso::Miniauditorias | Paso::Seguimiento | Paso::Evaluacion => "Dirección Operativa",
            Paso::Certificacion => "Secretario de Seguridad y Convivencia",
        }
    }

    /// The registros the seed lists for the step: what must be kept before moving on.
    pub fn registros(self) -> &'static [TipoRegistro] {
        use TipoRegistro::*;
        match self {
            Paso::Identificacion => &[Informe],
            Paso::SocializacionInterinstitucional => &[Presentacion, Informe, OficioConvocatoria],
            Paso::Diagnostico => &[ArchivoFotografico, DiagnosticoBarrial],
            Paso::Pacto => &[ArchivoFotografico, DiagnosticoBarrial, PactoFirmado],
            Paso::Intervencion => &[ActaReunion, FichaIntervencion],
            Paso::Miniauditorias => &[InformeMiniauditoria],
            Paso::Seguimiento => &[ActaComiteInterinstitucional],
            Paso::Evaluacion => &[InformeEvaluacion],
            Paso::Certificacion => &[CopiaCertificado],
        }
    }

    pub fn next(self) -> Option<Paso> {
        Paso::from_number(self.number() + 1)
    }
}

/// The kinds of registro the seed names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipoRegistro {
    Informe,
    Presentacion,
    OficioConvocatoria,
    ArchivoFotografico,
    DiagnosticoBarrial,
    PactoFirmado,
    ActaReunion,
    FichaIntervencion,
    InformeMiniauditoria,
    ActaComiteInterinstitucional,
    InformeEvaluacion,
    CopiaCertificado,
    /// Any other document kept with a step; it counts for none of the seed's registros.
    Otro,
}

impl TipoRegistro {
    pub fn label_es(self) -> &'static str {
        match self {
            TipoRegistro::Informe => "Informe",
            TipoRegistro::Presentacion => "Presentación",
            TipoRegistro::OficioConvocatoria => "Oficio de convocatoria",
            TipoRegistro::ArchivoFotografico => "Archivo fotográfico",
            TipoRegistro::DiagnosticoBarrial => "Diagnóstico",
            TipoRegistro::PactoFirmado => "Pacto firmado",
            TipoRegistro::ActaReunion => "Actas de reuniones",
            TipoRegistro::FichaIntervencion => "Fichas de intervención",
            TipoRegistro::InformeMiniauditoria => "Informes de miniauditoría",
            TipoRegistro::ActaComiteInterinstitucional => "Actas de comités interinstitucionales",
            TipoRegistro::InformeEvaluacion => "Informes de evaluación",
            TipoRegistro::CopiaCertificado => "Copia de certificados",
            TipoRegistro::Otro => "Otro documento",
        }
    }

    /// The kinds a registro of `paso` may have: the seed's for it, and any other document.
    pub fn of(paso: Paso) -> impl Iterator<Item = TipoRegistro> {
        paso.registros().iter().copied().chain([TipoRegistro::Otro])
    }
}

/// The registros of `paso` not among those `kept` for it, in the seed's order.
pub fn faltantes(paso: Paso, kept: &[TipoRegistro]) -> Vec<TipoRegistro> {
    paso.registros().iter().copied().filter(|t| !kept.contains(t)).collect()
}

/// One step change of a ciclo: appended, never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CambioDePaso {
    pub to: Paso,
    pub at_ms: i64,
    /// The account that made the change.
    pub by: String,
    pub comment: String,
    /// Why the step was left with registros missing, and which were missing then.
    pub missing: Vec<TipoRegistro>,
    pub reason: String,
}

/// How a ciclo ended: appended once, never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cierre {
    pub at_ms: i64,
    pub by: String,
    /// Why it closed, required when it closes before step 9 (the barrio left the route).
    pub comment: String,
}

/// One walk of a barrio through the route; a barrio may walk it more than once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ciclo {
    pub id: Uuid,
    pub barrio_id: i64,
    pub opened_at_ms: i64,
    /// The account that opened it.
    #[serde(default)]
    pub opened_by: String,
    pub closed_at_ms: Option<i64>,
    /// In order; the ciclo starts at step 1 before the first.
    pub changes: Vec<CambioDePaso>,
    #[serde(default)]
    pub cierre: Option<Cierre>,
}

/// `POST /api/v1/ciclos/{id}/cambios`: move the ciclo to step `to` (1–9). Who and when are
/// the server's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CambioDraft {
    pub to: u8,
    #[serde(default)]
    pub comment: String,
    /// Why the step is left with registros missing.
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/ciclos/{id}/cierre`: close the ciclo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CierreDraft {
    #[serde(default)]
    pub comment: String,
}

/// Why a step change was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RutaError {
    #[error("the ciclo is closed")]
    Closed,
    #[error("the ciclo is already at step {0}")]
    SameStep(u8),
    #[error("a ciclo moves on one step at a time: from {from} to {to} skips steps")]
    Skips { from: u8, to: u8 },
    #[error("going back needs a comment")]
    BackWithoutComment,
    #[error("registros are missing and no reason was given")]
    MissingWithoutReason(Vec<TipoRegistro>),
    #[error("the change is dated before the ciclo's last one")]
    BeforeLast,
    #[error("a comment or reason is over {MAX_REASON_CHARS} characters")]
    TooLong,
    #[error("there is no step {0}: steps go from 1 to 9")]
    NoSuchStep(u8),
    #[error("closing a ciclo before step 9 needs a comment")]
    CloseEarlyWithoutComment,
    #[error("the barrio already walks an open ciclo")]
    AlreadyOpen,
}

impl RutaError {
    pub fn code(&self) -> &'static str {
        match self {
            RutaError::Closed => "ciclo_closed",
            RutaError::SameStep(_) => "same_step",
            RutaError::Skips { .. } => "skips_steps",
            RutaError::BackWithoutComment => "comment_missing",
            RutaError::MissingWithoutReason(_) => "reason_missing",
            RutaError::BeforeLast => "before_last_change",
            RutaError::TooLong => "text_too_long",
            RutaError::NoSuchStep(_) => "no_such_step",
            RutaError::CloseEarlyWithoutComment => "comment_missing",
            RutaError::AlreadyOpen => "ciclo_open",
        }
    }

    /// The member of the request at fault.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            RutaError::SameStep(_) | RutaError::Skips { .. } | RutaError::NoSuchStep(_) => Some("to"),
            RutaError::BackWithoutComment | RutaError::CloseEarlyWithoutComment => Some("comment"),
            RutaError::MissingWithoutReason(_) => Some("reason"),
            RutaError::TooLong => Some("comment"),
            RutaError::Closed | RutaError::BeforeLast | RutaError::AlreadyOpen => None,
        }
    }
}

impl Bilingual for RutaError {
    fn es(&self) -> String {
        match self {
            RutaError::Closed => "El ciclo está cerrado: abra uno nuevo para volver a recorrer la ruta.".into(),
            RutaError::SameStep(n) => format!("El ciclo ya está en el paso {n}."),
            RutaError::Skips { from, to } => format!("La ruta avanza de a un paso: del {from} no se pasa al {to}."),
            RutaError::BackWithoutComment => "Para volver a un paso anterior, diga por qué en el comentario.".into(),
            RutaError::MissingWithoutReason(m) => format!(
                "Faltan registros de este paso ({}): para seguir sin ellos, diga por qué.",
                m.iter().map(|t| t.label_es()).collect::<Vec<_>>().join(", ")
            ),
            RutaError::BeforeLast => "La fecha del cambio es anterior al último cambio del ciclo.".into(),
            RutaError::TooLong => format!("El comentario o la razón pasa de {MAX_REASON_CHARS} caracteres."),
            RutaError::NoSuchStep(n) => format!("No hay paso {n}: la ruta tiene los pasos 1 a 9."),
            RutaError::CloseEarlyWithoutComment => {
                "Para cerrar el ciclo antes del paso 9 (certificación), diga por qué en el comentario.".into()
            }
            RutaError::AlreadyOpen => "El barrio ya tiene un ciclo abierto: ciérrelo antes de abrir otro.".into(),
        }
    }
    fn en(&self) -> String {
        match self {
            RutaError::MissingWithoutReason(m) => {
                format!("Registros of this step are missing ({}): give a reason to move on without them.", m.len())
            }
            other => format!("{other}."),
        }
    }
}

impl Ciclo {
    pub fn open(id: Uuid, barrio_id: i64, at_ms: i64) -> Ciclo {
        Ciclo { id, barrio_id, opened_at_ms: at_ms, opened_by: String::new(), closed_at_ms: None, changes: Vec::new(), cierre: None }
    }

    pub fn is_open(&self) -> bool {
        self.closed_at_ms.is_none()
    }

    /// The ciclo's last stay at `paso`: when it entered (step 1: when it opened, unless it came
    /// back to it) and when it left, if it did. `None`: it never reached the step.
    pub fn stay(&self, paso: Paso) -> Option<(i64, Option<i64>)> {
        let left = |i: usize| self.changes.get(i).map(|c| c.at_ms);
        match self.changes.iter().rposition(|c| c.to == paso) {
            Some(i) => Some((self.changes[i].at_ms, left(i + 1))),
            None => (paso == Paso::Identificacion).then(|| (self.opened_at_ms, left(0))),
        }
    }

    /// Checks closing the ciclo: before step 9 it needs a comment (the barrio left the route).
    pub fn close(&self, at_ms: i64, by: &str, comment: &str) -> Result<Cierre, RutaError> {
        if !self.is_open() {
            return Err(RutaError::Closed);
        }
        let comment = comment.trim();
        if comment.chars().count() > MAX_REASON_CHARS {
            return Err(RutaError::TooLong);
        }
        if self.current() != Paso::Certificacion && comment.is_empty() {
            return Err(RutaError::CloseEarlyWithoutComment);
        }
        let last = self.changes.last().map_or(self.opened_at_ms, |c| c.at_ms);
        if at_ms < last {
            return Err(RutaError::BeforeLast);
        }
        Ok(Cierre { at_ms, by: by.to_string(), comment: comment.to_string() })
    }

    /// The step the barrio is at.
    pub fn current(&self) -> Paso {
        self.changes.last().map_or(Paso::Identificacion, |c| c.to)
    }

    /// Checks a change to step `to`, given the registros `kept` for the current step, and
    /// returns the change to append. Forward is one step at a time, and leaving a step with
    /// registros missing needs a reason (kept with the change, with what was missing); back
    /// to any earlier step needs a comment. Nothing is changed here: the caller appends.
    pub fn change_to(
        &self,
        to: Paso,
        at_ms: i64,
        by: &str,
        comment: &str,
        reason: &str,
        kept: &[TipoRegistro],
    ) -> Result<CambioDePaso, RutaError> {
        if self.closed_at_ms.is_some() {
            return Err(RutaError::Closed);
        }
        if comment.chars().count() > MAX_REASON_CHARS || reason.chars().count() > MAX_REASON_CHARS {
            return Err(RutaError::TooLong);
        }
        let last = self.changes.last().map_or(self.opened_at_ms, |c| c.at_ms);
        if at_ms < last {
            return Err(RutaError::BeforeLast);
        }
        let from = self.current();
        let (comment, reason) = (comment.trim(), reason.trim());
        let missing = if to == from {
            return Err(RutaError::SameStep(from.number()));
        } else if to < from {
            if comment.is_empty() {
                return Err(RutaError::BackWithoutComment);
            }
            Vec::new()
        } else {
            if from.next() != Some(to) {
                return Err(RutaError::Skips { from: from.number(), to: to.number() });
            }
            let missing = faltantes(from, kept);
            if !missing.is_empty() && reason.is_empty() {
                return Err(RutaError::MissingWithoutReason(missing));
            }
            missing
        };
        let reason = if missing.is_empty() { String::new() } else { reason.to_string() };
        Ok(CambioDePaso { to, at_ms, by: by.to_string(), comment: comment.to_string(), missing, reason })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_764_000_000_000;

    fn ciclo() -> Ciclo {
        Ciclo::open(Uuid::from_u128(1), 218, T)
    }

    #[test]
    fn the_nine_steps_keep_the_seed_s_numbers_and_registros() {
        assert_eq!(Paso::ALL.iter().map(|p| p.number()).collect::<Vec<_>>(), (1..=9).collect::<Vec<_>>());
        assert_eq!(Paso::from_number(3), Some(Paso::Diagnostico));
        assert_eq!((Paso::from_number(0), Paso::from_number(10)), (None, None));
        assert_eq!(
            Paso::SocializacionInterinstitucional.registros(),
            &[TipoRegistro::Presentacion, TipoRegistro::Informe, TipoRegistro::OficioConvocatoria]
        );
        assert!(Paso::Pacto.registros().contains(&TipoRegistro::PactoFirmado));
        assert_eq!(Paso::Certificacion.responsible_es(), "Secretario de Seguridad y Convivencia");
        assert_eq!(faltantes(Paso::Pacto, &[TipoRegistro::DiagnosticoBarrial]), vec![TipoRegistro::ArchivoFotografico, TipoRegistro::PactoFirmado]);
    }

    #[test]
    fn a_ciclo_moves_on_one_step_at_a_time_and_a_missing_registro_needs_a_reason() {
        let mut c = ciclo();
        assert_eq!(c.current(), Paso::Identificacion);
        assert_eq!(c.change_to(Paso::Diagnostico, T + 1, "marta", "", "", &[]), Err(RutaError::Skips { from: 1, to: 3 }));
        let refused = c.change_to(Paso::SocializacionInterinstitucional, T + 1, "marta", "", "  ", &[]);
        assert_eq!(refused, Err(RutaError::MissingWithoutReason(vec![TipoRegistro::Informe])));
        assert!(refused.unwrap_err().es().contains("Informe"));
        let with_all = c.change_to(Paso::SocializacionInterinstitucional, T + 1, "marta", "", "", &[TipoRegistro::Informe]).unwrap();
        assert!(with_all.missing.is_empty() && with_all.reason.is_empty());
        let without = c.change_to(Paso::SocializacionInterinstitucional, T + 1, "marta", "", "El informe está en firma", &[]).unwrap();
        assert_eq!((without.missing.clone(), without.reason.as_str()), (vec![TipoRegistro::Informe], "El informe está en firma"));
        c.changes.push(without);
        assert_eq!(c.current(), Paso::SocializacionInterinstitucional);
        assert_eq!(c.change_to(Paso::SocializacionInterinstitucional, T + 2, "marta", "", "", &[]), Err(RutaError::SameStep(2)));
        assert_eq!(c.change_to(Paso::Diagnostico, T, "marta", "", "x", &[]), Err(RutaError::BeforeLast));
    }

    #[test]
    fn going_back_needs_a_comment_and_a_closed_ciclo_changes_no_more() {
        let mut c = ciclo();
        c.changes.push(c.change_to(Paso::SocializacionInterinstitucional, T + 1, "marta", "", "", &[TipoRegistro::Informe]).unwrap());
        assert_eq!(c.change_to(Paso::Identificacion, T + 2, "marta", " ", "", &[]), Err(RutaError::BackWithoutComment));
        let back = c.change_to(Paso::Identificacion, T + 2, "marta", "El balance cambió en el cuatrimestre", "", &[]).unwrap();
        assert_eq!(back.to, Paso::Identificacion);
        assert!(back.missing.is_empty(), "going back leaves nothing missing");
        c.changes.push(back);
        assert_eq!(c.change_to(Paso::Diagnostico, T + 2, "marta", &"x".repeat(MAX_REASON_CHARS + 1), "", &[]), Err(RutaError::TooLong));
        assert_eq!(c.close(T + 3, "marta", " "), Err(RutaError::CloseEarlyWithoutComment), "step 1 is not the end");
        let cierre = c.close(T + 3, "marta", "El barrio salió de la priorización").unwrap();
        assert_eq!(c.stay(Paso::SocializacionInterinstitucional), Some((T + 1, Some(T + 2))));
        assert_eq!(c.stay(Paso::Identificacion), Some((T + 2, None)), "the last time it entered step 1");
        assert_eq!(c.stay(Paso::Pacto), None);
        c.closed_at_ms = Some(cierre.at_ms);
        c.cierre = Some(cierre);
        assert_eq!(c.change_to(Paso::Diagnostico, T + 4, "marta", "", "", &[]), Err(RutaError::Closed));
        assert_eq!(c.close(T + 4, "marta", "otra vez"), Err(RutaError::Closed));
        for e in [RutaError::Closed, RutaError::SameStep(2), RutaError::BackWithoutComment, RutaError::TooLong] {
            assert!(!e.es().is_empty() && !e.en().is_empty());
        }
    }
}
