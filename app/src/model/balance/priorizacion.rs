//! Staff choose the barrios of the next cycle from the balance and the inscripciones, each
//! with its reason; each enters the ruta at step 1 with the balance as its registro.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::periodo::Periodo;
use super::BalanceError;

pub const MAX_MOTIVO_CHARS: usize = 2_000;
/// Most barrios one decision takes (a city has a few hundred).
pub const MAX_ELEGIDOS: usize = 400;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElegidoDraft {
    pub barrio_id: i64,
    pub motivo: String,
    /// The community's request this choice answers, if any.
    #[serde(default)]
    pub inscripcion_id: Option<Uuid>,
}

/// `POST /api/v1/balance/priorizaciones`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorizacionDraft {
    pub municipio: String,
    pub periodo: Periodo,
    /// The ISCB definition the balance was read with.
    pub version: u32,
    pub elegidos: Vec<ElegidoDraft>,
}

/// Where a choice came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fuente {
    Ranking,
    Inscripcion,
}

/// One barrio chosen, as kept (append-only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priorizacion {
    pub id: Uuid,
    pub barrio_id: i64,
    pub barrio: String,
    pub municipio: String,
    pub periodo: Periodo,
    pub version: u32,
    pub fuente: Fuente,
    pub inscripcion_id: Option<Uuid>,
    pub motivo: String,
    /// The barrio's place and index in the balance when it was chosen.
    pub puesto: Option<u32>,
    pub indice: Option<f64>,
    /// The ciclo it entered the ruta with, and the balance kept as its step-1 registro.
    pub ciclo_id: Uuid,
    pub registro_id: Uuid,
    pub at_ms: i64,
    pub by: String,
}

impl PriorizacionDraft {
    /// Refuses an empty choice, more than [`MAX_ELEGIDOS`], a barrio chosen twice, or a
    /// reason missing or over its limit; trims the reasons.
    pub fn checked(self) -> Result<PriorizacionDraft, BalanceError> {
        if self.elegidos.is_empty() {
            return Err(BalanceError::NothingChosen);
        }
        if self.elegidos.len() > MAX_ELEGIDOS {
            return Err(BalanceError::TooLong);
        }
        let mut seen = std::collections::HashSet::new();
        let mut elegidos = Vec::with_capacity(self.elegidos.len());
        for e in self.elegidos {
            if !seen.insert(e.barrio_id) {
                return Err(BalanceError::RepeatedBarrio(e.barrio_id));
            }
            let motivo = e.motivo.trim().to_string();
            if motivo.is_empty() {
                return Err(BalanceError::ReasonMissing);
            }
            if motivo.chars().count() > MAX_MOTIVO_CHARS {
                return Err(BalanceError::TooLong);
            }
            elegidos.push(ElegidoDraft { motivo, ..e });
        }
        Ok(PriorizacionDraft { elegidos, ..self })
    }
}
