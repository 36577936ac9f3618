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
///
/// The bound of class `k` (1-based) is the value at the nearest rank `⌈k·n / clases⌉` of the
/// sorted values, so bounds are values that occur and [`clase`] puts about `n / clases` values
/// in each class. A bound equal to the largest value is dropped (the class above it would be
/// empty): all values equal give no bound, one class.
pub fn cortes_cuantiles(values: &[f64], clases: usize) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = sorted.len();
    if n == 0 || clases < 2 {
        return Vec::new();
    }
    sorted.sort_by(f64::total_cmp);
    let max = sorted[n - 1];
    let mut cortes: Vec<f64> = Vec::with_capacity(clases - 1);
    for k in 1..clases {
        // Integer arithmetic: `0.6 × 10` in floating point may round up past 6.
        let rank = (k * n).div_ceil(clases).max(1);
        let bound = sorted[rank - 1];
        if bound < max && cortes.last().is_none_or(|last| *last < bound) {
            cortes.push(bound);
        }
    }
    cortes
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_bounds_split_the_values_into_classes_of_about_equal_size() {
        let values: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        let cortes = cortes_cuantiles(&values, 5);
        assert_eq!(cortes, vec![2.0, 4.0, 6.0, 8.0]);
        let classes: Vec<u8> = (1..=10).map(|v| clase(f64::from(v), &cortes)).collect();
        assert_eq!(classes, vec![0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
        // 327 barrios in five classes: 65 or 66 in each.
        let many: Vec<f64> = (0..327).map(|i| f64::from(i) * 0.37).collect();
        let cortes = cortes_cuantiles(&many, CLASES);
        let mut sizes = [0usize; CLASES];
        for v in &many {
            sizes[usize::from(clase(*v, &cortes))] += 1;
        }
        assert!(sizes.iter().all(|s| (65..=66).contains(s)), "{sizes:?}");
    }

    #[test]
    fn repeated_values_give_fewer_classes_and_nan_is_ignored() {
        assert_eq!(cortes_cuantiles(&[3.0; 8], 5), Vec::<f64>::new(), "one class");
        assert_eq!(cortes_cuantiles(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0], 4), vec![0.0], "the zeros, then the rest");
        assert_eq!(cortes_cuantiles(&[f64::NAN, 1.0, f64::NAN, 2.0], 2), vec![1.0]);
        assert!(cortes_cuantiles(&[], 5).is_empty() && cortes_cuantiles(&[1.0, 2.0], 1).is_empty());
        let cortes = cortes_cuantiles(&[5.0, 1.0, 1.0, 9.0, 9.0, 9.0], 3);
        assert!(cortes.windows(2).all(|w| w[0] < w[1]), "ascending without repeats: {cortes:?}");
        assert_eq!(clase(10.0, &cortes), cortes.len() as u8, "above every bound: the last class");
    }

    #[test]
    fn small_counts_are_hidden_outside() {
        assert_eq!((casos_para_afuera(0.0), casos_para_afuera(2.0)), ("< 3".to_string(), "< 3".to_string()));
        assert_eq!(casos_para_afuera(1234.0), "1.234");
    }
}
