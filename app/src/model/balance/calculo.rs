//! The ISCB of every barrio for one cuatrimestre: each component turned into a rate if asked,
//! normalised against the reference, oriented so that more is always worse, weighted and added
//! up. Each barrio's index is the sum of its components' contributions, so it explains itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::indicador::Indicador;
use super::iscb::DefinicionIscb;
use super::periodo::Periodo;

/// One cuatrimestre's inputs for one city, as aggregated from the imports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Datos {
    /// Per barrio id, per indicator code: the value of the cuatrimestre.
    pub valores: BTreeMap<i64, BTreeMap<String, f64>>,
    /// Inhabitants per barrio id (of the cuatrimestre's year).
    pub poblacion: BTreeMap<i64, f64>,
}

/// What one component adds to a barrio's index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aporte {
    pub indicador: String,
    /// The value of the period as imported (cases, a rate…).
    pub valor: f64,
    /// Per 10,000 inhabitants, when the definition turns cases into rates.
    pub tasa: Option<f64>,
    /// After normalisation and orientation: higher is always worse (min–max: 0 to 1 within
    /// the reference; z-score: standard deviations above the reference's mean).
    pub normalizado: f64,
    /// The component's weight, normalised (the weights add up to 1).
    pub peso: f64,
    /// Points of the index this component gives: the contributions add up to the index.
    pub aporte: f64,
}

/// One barrio's index for the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Puntaje {
    pub barrio_id: i64,
    /// Higher is safer. Min–max: 0–100; z-score: a T-score around 50.
    pub indice: f64,
    /// 1 for the barrio in most need (the lowest index); ties share a place ("1, 2, 2, 4").
    pub puesto: u32,
    pub aportes: Vec<Aporte>,
}

/// Why a barrio has no index for the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "motivo", content = "indicador", rename_all = "snake_case")]
pub enum SinIndice {
    /// Rates are asked for and the barrio's population is unknown (or 0).
    SinPoblacion,
    /// The barrio has no value for this component (a missing count is 0 cases only when the
    /// period has that indicator for some barrio; a missing rate or score is not guessed).
    FaltaIndicador(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calculo {
    /// The definition's version every value here comes from.
    pub version: u32,
    pub periodo: Periodo,
    /// By `puesto`, then barrio id.
    pub puntajes: Vec<Puntaje>,
    pub sin_indice: Vec<(i64, SinIndice)>,
}

/// The index of every barrio of `datos` for `periodo` under `definicion`. `referencia`: the
/// data of the definition's reference period when it has one (and it is not `periodo`); the
/// period is its own reference otherwise. Barrios without an index are listed with the reason.
pub fn calcular(definicion: &DefinicionIscb, catalogo: &[Indicador], periodo: Periodo, datos: &Datos, referencia: Option<&Datos>) -> Calculo {
    let _ = (definicion, catalogo, periodo, datos, referencia);
    todo!("issue 23: the index")
}
