//! Step 2's oficio de convocatoria: the letter that calls the Comité Interinstitucional to
//! hear the balance (institutions, date, place, agenda), kept and printable.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::periodo::Periodo;
use super::BalanceError;

pub const MAX_INSTITUCIONES: usize = 60;
pub const MAX_LINE_CHARS: usize = 200;
pub const MAX_AGENDA_CHARS: usize = 4_000;

/// The institutions a convocatoria usually names (the seed's Comité Interinstitucional).
pub const INSTITUCIONES_HABITUALES: [&str; 8] = [
    "Policía Metropolitana de Santa Marta",
    "Secretaría de Gobierno",
    "Personería Distrital",
    "Defensoría del Pueblo",
    "Comisaría de Familia",
    "ICBF",
    "Inspección de Policía",
    "Secretaría de Desarrollo Social",
];

/// `POST /api/v1/oficios`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OficioDraft {
    pub municipio: String,
    /// The balance presented.
    pub periodo: Periodo,
    /// The Secretaría's own number for the letter, if it has one yet.
    #[serde(default)]
    pub radicado: String,
    /// Date of the letter, YYYY-MM-DD.
    pub fecha: String,
    /// Date and time of the meeting: YYYY-MM-DD and HH:MM.
    pub reunion_fecha: String,
    pub reunion_hora: String,
    pub lugar: String,
    pub instituciones: Vec<String>,
    /// One item per line.
    pub agenda: String,
    pub firmante: String,
    pub cargo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oficio {
    pub id: Uuid,
    #[serde(flatten)]
    pub draft: OficioDraft,
    pub created_at_ms: i64,
    pub created_by: String,
}

fn line(text: &str, what: &'static str) -> Result<String, BalanceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(BalanceError::OficioMissing(what));
    }
    if text.chars().count() > MAX_LINE_CHARS || text.chars().any(char::is_control) {
        return Err(BalanceError::TooLong);
    }
    Ok(text.to_string())
}

fn is_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5 && b[2] == b':' && text[..2].parse::<u8>().is_ok_and(|h| h < 24) && text[3..].parse::<u8>().is_ok_and(|m| m < 60)
}

impl OficioDraft {
    /// Trims every text; refuses a missing place, meeting date or time, signer or institution,
    /// dates off the calendar, and texts over their limits. Empty institution lines are dropped.
    pub fn checked(self) -> Result<OficioDraft, BalanceError> {
        use crate::model::registro::is_date;
        let fecha = self.fecha.trim().to_string();
        let reunion_fecha = self.reunion_fecha.trim().to_string();
        let reunion_hora = self.reunion_hora.trim().to_string();
        if !is_date(&fecha) || !is_date(&reunion_fecha) || !is_time(&reunion_hora) {
            return Err(BalanceError::BadDate);
        }
        let instituciones: Vec<String> = self.instituciones.iter().map(|i| i.trim()).filter(|i| !i.is_empty()).map(str::to_string).collect();
        if instituciones.is_empty() {
            return Err(BalanceError::OficioMissing("las instituciones convocadas"));
        }
        if instituciones.len() > MAX_INSTITUCIONES || instituciones.iter().any(|i| i.chars().count() > MAX_LINE_CHARS || i.chars().any(char::is_control)) {
            return Err(BalanceError::TooLong);
        }
        let agenda = self.agenda.trim().to_string();
        if agenda.is_empty() {
            return Err(BalanceError::OficioMissing("el orden del día"));
        }
        if agenda.chars().count() > MAX_AGENDA_CHARS {
            return Err(BalanceError::TooLong);
        }
        let radicado = self.radicado.trim().to_string();
        if radicado.chars().count() > MAX_LINE_CHARS || radicado.chars().any(char::is_control) {
            return Err(BalanceError::TooLong);
        }
        Ok(OficioDraft {
            lugar: line(&self.lugar, "el lugar de la reunión")?,
            firmante: line(&self.firmante, "quien firma")?,
            cargo: line(&self.cargo, "el cargo de quien firma")?,
            municipio: self.municipio.trim().to_string(),
            periodo: self.periodo,
            radicado,
            fecha,
            reunion_fecha,
            reunion_hora,
            instituciones,
            agenda,
        })
    }
}
