//! A compromiso of a pacto — who, what, where, by when, and how its fulfilment will be known —
//! and its status, whose every change is kept with who made it, when and its evidence.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::PactoError;
use crate::model::mark::has_control_characters;
use crate::model::registro::is_date;

pub const MAX_QUE_CHARS: usize = 600;
pub const MAX_LUGAR_CHARS: usize = 200;
pub const MAX_INDICADOR_CHARS: usize = 300;
pub const MAX_EVIDENCIA_CHARS: usize = 2_000;

/// One commitment, as the pacto holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compromiso {
    /// Kept across an otrosí, so the status history follows the commitment.
    pub id: Uuid,
    /// The institution's code in the catalogue (the community's are `comunidad_jac`, `cbsc`).
    pub responsable: String,
    pub que: String,
    /// A hotspot of the pacto's diagnóstico, when the commitment is about one place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotspot_id: Option<Uuid>,
    /// The place in general words ("el parque de la 5ª"): what a publication may show.
    #[serde(default)]
    pub lugar: String,
    /// `YYYY-MM-DD`.
    pub fecha_limite: String,
    /// How fulfilment will be known.
    pub indicador: String,
    /// The community's solution it came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solucion_id: Option<Uuid>,
}

impl Compromiso {
    /// The compromiso trimmed and checked; `i` is its place in the pacto, for messages.
    pub fn checked(self, i: usize) -> Result<Compromiso, PactoError> {
        let text = super::institucion::clean;
        let responsable = self.responsable.trim().to_string();
        if responsable.is_empty() {
            return Err(PactoError::CompromisoIncompleto(i, "who"));
        }
        let que = text(&self.que, MAX_QUE_CHARS, "qué")?;
        if que.is_empty() {
            return Err(PactoError::CompromisoIncompleto(i, "what"));
        }
        let fecha_limite = self.fecha_limite.trim().to_string();
        if fecha_limite.is_empty() {
            return Err(PactoError::CompromisoIncompleto(i, "by when"));
        }
        if !is_date(&fecha_limite) {
            return Err(PactoError::BadDate);
        }
        let indicador = text(&self.indicador, MAX_INDICADOR_CHARS, "indicador")?;
        if indicador.is_empty() {
            return Err(PactoError::CompromisoIncompleto(i, "indicator"));
        }
        Ok(Compromiso {
            id: self.id,
            responsable,
            que,
            hotspot_id: self.hotspot_id,
            lugar: text(&self.lugar, MAX_LUGAR_CHARS, "lugar")?,
            fecha_limite,
            indicador,
            solucion_id: self.solucion_id,
        })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstadoCompromiso {
    #[default]
    Pendiente,
    EnCurso,
    Cumplido,
    Incumplido,
    Cancelado,
}

impl EstadoCompromiso {
    pub const ALL: [EstadoCompromiso; 5] = [
        EstadoCompromiso::Pendiente,
        EstadoCompromiso::EnCurso,
        EstadoCompromiso::Cumplido,
        EstadoCompromiso::Incumplido,
        EstadoCompromiso::Cancelado,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EstadoCompromiso::Pendiente => "pendiente",
            EstadoCompromiso::EnCurso => "en_curso",
            EstadoCompromiso::Cumplido => "cumplido",
            EstadoCompromiso::Incumplido => "incumplido",
            EstadoCompromiso::Cancelado => "cancelado",
        }
    }

    pub fn from_code(code: &str) -> Option<EstadoCompromiso> {
        EstadoCompromiso::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn label_es(self) -> &'static str {
        match self {
            EstadoCompromiso::Pendiente => "Pendiente",
            EstadoCompromiso::EnCurso => "En curso",
            EstadoCompromiso::Cumplido => "Cumplido",
            EstadoCompromiso::Incumplido => "Incumplido",
            EstadoCompromiso::Cancelado => "Cancelado",
        }
    }

    /// Still owed: a date passing makes it overdue.
    pub fn abierto(self) -> bool {
        matches!(self, EstadoCompromiso::Pendiente | EstadoCompromiso::EnCurso)
    }
}

/// A status change as staff send it (`POST /pactos/{id}/compromisos/{cid}/estados`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CambioEstadoDraft {
    pub estado: EstadoCompromiso,
    /// Why it was cancelled; required for [`EstadoCompromiso::Cancelado`].
    #[serde(default)]
    pub motivo: String,
    /// What shows the change: a text, a registro kept in the ruta, or both.
    #[serde(default)]
    pub evidencia: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registro_id: Option<Uuid>,
}

impl CambioEstadoDraft {
    /// The change trimmed and checked against the compromiso's status now.
    pub fn checked(self, ahora: EstadoCompromiso) -> Result<CambioEstadoDraft, PactoError> {
        if ahora == EstadoCompromiso::Cancelado {
            return Err(PactoError::Cancelled);
        }
        if ahora == self.estado {
            return Err(PactoError::SameStatus);
        }
        let motivo = self.motivo.trim().to_string();
        let evidencia = self.evidencia.trim().to_string();
        if has_control_characters(&motivo) || has_control_characters(&evidencia) {
            return Err(PactoError::ControlCharacters);
        }
        if motivo.chars().count() > MAX_EVIDENCIA_CHARS {
            return Err(PactoError::TooLong("motivo"));
        }
        if evidencia.chars().count() > MAX_EVIDENCIA_CHARS {
            return Err(PactoError::TooLong("evidencia"));
        }
        if self.estado == EstadoCompromiso::Cancelado && motivo.is_empty() {
            return Err(PactoError::NoReason);
        }
        if evidencia.is_empty() && self.registro_id.is_none() && motivo.is_empty() {
            return Err(PactoError::NoEvidence);
        }
        Ok(CambioEstadoDraft { estado: self.estado, motivo, evidencia, registro_id: self.registro_id })
    }
}

/// A status change as kept: appended, never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CambioEstado {
    pub seq: i64,
    pub compromiso_id: Uuid,
    /// The pacto version it was made on.
    pub pacto_id: Uuid,
    pub estado: EstadoCompromiso,
    pub motivo: String,
    pub evidencia: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registro_id: Option<Uuid>,
    pub por: String,
    pub at_ms: i64,
}

/// The status a history (in the order it was kept) leaves a compromiso in.
pub fn estado_actual(historia: &[CambioEstado]) -> EstadoCompromiso {
    historia.last().map(|c| c.estado).unwrap_or_default()
}

/// One line of an institution's page: a compromiso of a barrio's signed pacto in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompromisoDeInstitucion {
    pub barrio_id: i64,
    pub barrio: String,
    pub pacto_id: Uuid,
    /// 1 for the pacto, 2 and on for its otrosíes.
    pub pacto_version: u32,
    pub compromiso: Compromiso,
    pub estado: EstadoCompromiso,
    /// When the status last changed (the signing, when it never did).
    pub desde_ms: i64,
    /// Open and past its date.
    pub vencido: bool,
}

/// Whether an open compromiso's date is before `hoy` (`YYYY-MM-DD`; the strings compare as
/// dates).
pub fn vencido(estado: EstadoCompromiso, fecha_limite: &str, hoy: &str) -> bool {
    estado.abierto() && fecha_limite < hoy
}

/// An institution's lines in the order staff follow them up: overdue first (oldest date first),
/// then the other open ones by date, then the closed ones by date; ties by barrio.
pub fn ordenar_para_seguimiento(lineas: &mut [CompromisoDeInstitucion]) {
    lineas.sort_by(|a, b| {
        let rank = |l: &CompromisoDeInstitucion| {
            if l.vencido {
                0
            } else if l.estado.abierto() {
                1
            } else {
                2
            }
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.compromiso.fecha_limite.cmp(&b.compromiso.fecha_limite))
            .then_with(|| a.barrio.cmp(&b.barrio))
            .then_with(|| a.compromiso.id.cmp(&b.compromiso.id))
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn compromiso(n: u128) -> Compromiso {
        Compromiso {
            id: Uuid::from_u128(n),
            responsable: "essmar".into(),
            que: "Reponer las luminarias del parque".into(),
            hotspot_id: None,
            lugar: "Parque central".into(),
            fecha_limite: "2027-03-31".into(),
            indicador: "Luminarias encendidas en la visita de seguimiento".into(),
            solucion_id: None,
        }
    }

    fn cambio(estado: EstadoCompromiso) -> CambioEstadoDraft {
        CambioEstadoDraft { estado, motivo: String::new(), evidencia: "Visita del 2 de febrero".into(), registro_id: None }
    }

    #[test]
    fn a_compromiso_needs_who_what_when_and_its_indicator() {
        assert!(compromiso(1).checked(0).is_ok());
        let mut c = compromiso(1);
        c.responsable = " ".into();
        assert_eq!(c.checked(2), Err(PactoError::CompromisoIncompleto(2, "who")));
        let mut c = compromiso(1);
        c.fecha_limite = "31/03/2027".into();
        assert_eq!(c.checked(0), Err(PactoError::BadDate));
        let mut c = compromiso(1);
        c.indicador = String::new();
        assert_eq!(c.checked(0), Err(PactoError::CompromisoIncompleto(0, "indicator")));
        let mut c = compromiso(1);
        c.que = "x".repeat(MAX_QUE_CHARS + 1);
        assert_eq!(c.checked(0), Err(PactoError::TooLong("qué")));
    }

    #[test]
    fn a_status_change_needs_evidence_and_a_cancellation_its_reason() {
        let p = EstadoCompromiso::Pendiente;
        assert!(cambio(EstadoCompromiso::EnCurso).checked(p).is_ok());
        assert_eq!(cambio(EstadoCompromiso::Pendiente).checked(p), Err(PactoError::SameStatus));
        let mut c = cambio(EstadoCompromiso::Cumplido);
        c.evidencia = "  ".into();
        assert_eq!(c.clone().checked(p), Err(PactoError::NoEvidence));
        c.registro_id = Some(Uuid::from_u128(9));
        assert!(c.checked(p).is_ok());
        assert_eq!(cambio(EstadoCompromiso::Cancelado).checked(p), Err(PactoError::NoReason));
        let mut c = cambio(EstadoCompromiso::Cancelado);
        c.motivo = "La obra pasó al plan de desarrollo".into();
        assert!(c.checked(p).is_ok());
        assert_eq!(cambio(EstadoCompromiso::EnCurso).checked(EstadoCompromiso::Cancelado), Err(PactoError::Cancelled));
        // A fulfilled commitment can be found unfulfilled again at a follow-up.
        assert!(cambio(EstadoCompromiso::Incumplido).checked(EstadoCompromiso::Cumplido).is_ok());
    }

    #[test]
    fn overdue_lines_come_first() {
        let linea = |n: u128, estado, fecha: &str, hoy: &str| {
            let mut compromiso = compromiso(n);
            compromiso.fecha_limite = fecha.into();
            CompromisoDeInstitucion {
                barrio_id: 1,
                barrio: "Pescaíto".into(),
                pacto_id: Uuid::from_u128(100),
                pacto_version: 1,
                vencido: vencido(estado, fecha, hoy),
                compromiso,
                estado,
                desde_ms: 0,
            }
        };
        let hoy = "2027-02-01";
        let mut lineas = vec![
            linea(1, EstadoCompromiso::Cumplido, "2026-12-01", hoy),
            linea(2, EstadoCompromiso::Pendiente, "2027-05-01", hoy),
            linea(3, EstadoCompromiso::EnCurso, "2027-01-15", hoy),
            linea(4, EstadoCompromiso::Pendiente, "2026-12-20", hoy),
        ];
        ordenar_para_seguimiento(&mut lineas);
        let order: Vec<u128> = lineas.iter().map(|l| l.compromiso.id.as_u128()).collect();
        assert_eq!(order, vec![4, 3, 2, 1]);
        assert!(lineas[0].vencido && lineas[1].vencido && !lineas[2].vencido && !lineas[3].vencido);
    }
}
