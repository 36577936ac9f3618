//! The balance as staff read it (`GET /api/v1/balance`): per barrio the index, the place, the
//! change against the previous cuatrimestre and the same one a year earlier, a trend, the
//! contributions; the quantile classes of the city map; and the rule that hides small counts
//! in anything printed for outside the Secretaría.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::calculo::{Aporte, SinIndice};
use super::indicador::Indicador;
use super::iscb::DefinicionIscb;
use super::periodo::Periodo;

/// Counts under this show as "< 3" outside the Secretaría.
pub const MIN_PUBLIC_COUNT: f64 = 3.0;

/// Classes of the city map.
pub const CLASES: usize = 5;

/// How many cuatrimestres a row's trend shows, the balance's own the last.
pub const TENDENCIA: usize = 6;

/// One barrio's line of the balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilaBalance {
    pub barrio_id: i64,
    pub code: String,
    pub name: String,
    pub comuna: Option<String>,
    pub indice: Option<f64>,
    pub puesto: Option<u32>,
    /// The map class, 0 (most in need) to `CLASES - 1`.
    pub clase: Option<u8>,
    /// Index now minus index in the previous cuatrimestre (positive: safer).
    pub cambio_anterior: Option<f64>,
    /// Index now minus index in the same cuatrimestre a year earlier.
    pub cambio_anual: Option<f64>,
    pub puesto_anterior: Option<u32>,
    /// The index of the last [`TENDENCIA`] cuatrimestres, oldest first, under the same
    /// definition (`None` where it could not be computed).
    pub tendencia: Vec<Option<f64>>,
    pub aportes: Vec<Aporte>,
    pub sin_indice: Option<SinIndice>,
    /// Inhabitants used for rates.
    pub poblacion: Option<f64>,
    /// The step of the barrio's open ciclo, if it walks the ruta.
    pub paso: Option<u8>,
    /// Pending inscripciones (requests from the community to enter the ruta).
    pub inscripciones: u32,
}

/// `GET /api/v1/balance?municipio=…&periodo=…&version=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    pub municipio: String,
    pub periodo: Periodo,
    pub definicion: DefinicionIscb,
    /// The catalogue entries the definition names, in its order.
    pub indicadores: Vec<Indicador>,
    /// By place (most in need first), barrios without an index last.
    pub filas: Vec<FilaBalance>,
    /// The upper bounds of the map's classes but the last, ascending (quantiles of the index).
    pub cortes: Vec<f64>,
    /// The cuatrimestres of the trend, oldest first.
    pub periodos_tendencia: Vec<Periodo>,
    /// Every cuatrimestre that has data, newest first (for the period picker).
    pub periodos: Vec<Periodo>,
    /// Some figure comes from the generated demo data: every view says "datos de ejemplo".
    pub ejemplo: bool,
    /// The imports the figures come from.
    pub importaciones: Vec<Uuid>,
    pub generado_ms: i64,
}

/// The upper bounds of `clases` quantile classes of `values` (NaNs ignored), ascending and
/// without repeats: fewer classes when values repeat.
pub fn cortes_cuantiles(values: &[f64], clases: usize) -> Vec<f64> {
    let _ = (values, clases);
    todo!("issue 23: quantile breaks")
}

/// The class of `value` given the bounds of [`cortes_cuantiles`]: 0 up to the first bound
/// (inclusive), and so on; `cortes.len()` above the last.
pub fn clase(value: f64, cortes: &[f64]) -> u8 {
    cortes.iter().position(|c| value <= *c).unwrap_or(cortes.len()) as u8
}

/// A count as printed for outside the Secretaría: under 3 (0 included) it shows as "< 3", so
/// that no one victim can be singled out in a small barrio.
pub fn casos_para_afuera(casos: f64) -> String {
    if casos < MIN_PUBLIC_COUNT {
        "< 3".into()
    } else {
        crate::model::words::number_es(casos, 0)
    }
}
