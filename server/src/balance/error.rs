//! Why a balance could not be made, or a definition, prioritisation or oficio kept, in Spanish
//! and English: a draft's own rules ([`BalanceError`]) and what depends on the stored data.

use app::model::balance::periodo::Periodo;
use app::model::balance::BalanceError;
use app::model::Bilingual;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum BalanceRefusal {
    /// 422: a draft that breaks a rule of its own.
    #[error(transparent)]
    Invalid(#[from] BalanceError),
    /// 404: no definition of the ISCB has this version.
    #[error("there is no ISCB definition version {0}")]
    UnknownVersion(u32),
    /// 404: no definition of the ISCB is stored at all (the server stores the first on start).
    #[error("no ISCB definition is stored")]
    NoDefinition,
    /// 404: no indicator data for the city (`None`: for any city of the caller's).
    #[error("there is no indicator data for {}", .0.as_deref().unwrap_or("your cities"))]
    NoData(Option<String>),
    /// 404: the city has indicator data, not for this cuatrimestre.
    #[error("there is no indicator data of {municipio} for {}", periodo.code())]
    NoPeriodData { municipio: String, periodo: Periodo },
    /// 422: the definition compares against a reference period that has no data.
    #[error("definition {version} compares against {}, which has no data", periodo.code())]
    ReferenceWithoutData { version: u32, periodo: Periodo },
    /// 409: a barrio chosen already walks an open ciclo.
    #[error("barrio {barrio_id} ({barrio}) already walks an open ciclo")]
    CicloOpen { barrio_id: i64, barrio: String },
    /// 422: the request a choice answers is not one of its barrio's.
    #[error("request {inscripcion_id} is not barrio {barrio_id}'s")]
    InscripcionNotOfBarrio { inscripcion_id: Uuid, barrio_id: i64 },
}

impl BalanceRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            BalanceRefusal::Invalid(e) => e.code(),
            BalanceRefusal::UnknownVersion(_) => "unknown_version",
            BalanceRefusal::NoDefinition => "no_definition",
            BalanceRefusal::NoData(_) => "no_data",
            BalanceRefusal::NoPeriodData { .. } => "no_period_data",
            BalanceRefusal::ReferenceWithoutData { .. } => "reference_without_data",
            BalanceRefusal::CicloOpen { .. } => "ciclo_open",
            BalanceRefusal::InscripcionNotOfBarrio { .. } => "inscripcion_not_of_barrio",
        }
    }

    /// The member of the request at fault, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            BalanceRefusal::Invalid(e) => match e {
                BalanceError::BadIndicatorCode => Some("code"),
                BalanceError::BadIndicatorName => Some("nombre"),
                BalanceError::NoComponents
                | BalanceError::TooManyComponents(_)
                | BalanceError::UnknownIndicator(_)
                | BalanceError::RepeatedIndicator(_)
                | BalanceError::BadWeight => Some("componentes"),
                BalanceError::NothingChosen | BalanceError::UnknownBarrio(_) | BalanceError::RepeatedBarrio(_) => Some("elegidos"),
                BalanceError::ReasonMissing => Some("elegidos.motivo"),
                BalanceError::BadDate => Some("fecha"),
                BalanceError::TooLong | BalanceError::OficioMissing(_) => None,
            },
            BalanceRefusal::UnknownVersion(_) => Some("version"),
            BalanceRefusal::NoPeriodData { .. } => Some("periodo"),
            BalanceRefusal::NoData(_) => Some("municipio"),
            BalanceRefusal::CicloOpen { .. } => Some("elegidos"),
            BalanceRefusal::InscripcionNotOfBarrio { .. } => Some("elegidos.inscripcion_id"),
            BalanceRefusal::NoDefinition | BalanceRefusal::ReferenceWithoutData { .. } => None,
        }
    }

    /// Whether the refusal is a 404 (nothing to compute from) rather than a request to fix.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            BalanceRefusal::UnknownVersion(_)
                | BalanceRefusal::NoDefinition
                | BalanceRefusal::NoData(_)
                | BalanceRefusal::NoPeriodData { .. }
        )
    }
}

impl Bilingual for BalanceRefusal {
    fn es(&self) -> String {
        match self {
            BalanceRefusal::Invalid(e) => e.es(),
            BalanceRefusal::UnknownVersion(v) => format!("No hay una versión {v} de la definición del ISCB."),
            BalanceRefusal::NoDefinition => "Aún no hay ninguna definición del ISCB guardada.".into(),
            BalanceRefusal::NoData(None) => {
                "Aún no hay datos de indicadores de sus ciudades: importe los datos del Observatorio (ODSC) para hacer el balance.".into()
            }
            BalanceRefusal::NoData(Some(m)) => format!(
                "Aún no hay datos de indicadores de {}: importe los datos del Observatorio (ODSC) para hacer el balance.",
                app::model::barrio::municipio_name(m)
            ),
            BalanceRefusal::NoPeriodData { municipio, periodo } => format!(
                "No hay datos de indicadores de {} para el {} ({}). Elija otro cuatrimestre o importe sus datos.",
                app::model::barrio::municipio_name(municipio),
                periodo.label_es(),
                periodo.meses_es()
            ),
            BalanceRefusal::ReferenceWithoutData { version, periodo } => format!(
                "La versión {version} del ISCB compara contra el {}, que no tiene datos: importe esos datos o use otra versión.",
                periodo.label_es()
            ),
            BalanceRefusal::CicloOpen { barrio, .. } => {
                format!("El barrio {barrio} ya tiene un ciclo abierto en la ruta: quítelo de la priorización o cierre ese ciclo. No se guardó nada.")
            }
            BalanceRefusal::InscripcionNotOfBarrio { barrio_id, .. } => {
                format!("La solicitud de inscripción indicada no es del barrio {barrio_id}.")
            }
        }
    }

    fn en(&self) -> String {
        match self {
            BalanceRefusal::Invalid(e) => e.en(),
            BalanceRefusal::CicloOpen { .. } => format!("{self}: leave it out or close that ciclo. Nothing was stored."),
            other => format!("{other}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_code_and_speaks_both_languages() {
        let p = Periodo::new(2026, 3).expect("period");
        let all = [
            BalanceRefusal::Invalid(BalanceError::BadWeight),
            BalanceRefusal::UnknownVersion(4),
            BalanceRefusal::NoDefinition,
            BalanceRefusal::NoData(None),
            BalanceRefusal::NoData(Some("47001".into())),
            BalanceRefusal::NoPeriodData { municipio: "47001".into(), periodo: p },
            BalanceRefusal::ReferenceWithoutData { version: 2, periodo: p },
            BalanceRefusal::CicloOpen { barrio_id: 7, barrio: "Pescaíto".into() },
            BalanceRefusal::InscripcionNotOfBarrio { inscripcion_id: Uuid::nil(), barrio_id: 7 },
        ];
        for e in all {
            assert!(!e.code().is_empty() && !e.es().is_empty() && !e.en().is_empty(), "{e:?}");
        }
        let missing = BalanceRefusal::NoPeriodData { municipio: "47001".into(), periodo: p };
        assert!(missing.es().contains("Santa Marta") && missing.es().contains("cuatrimestre 3 de 2026"), "{}", missing.es());
        assert!(BalanceRefusal::CicloOpen { barrio_id: 7, barrio: "Pescaíto".into() }.es().contains("Pescaíto"));
    }
}
