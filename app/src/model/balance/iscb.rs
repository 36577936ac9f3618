//! The Índice de Seguridad y Convivencia Barrial (ISCB) as the Secretaría defines it: which
//! indicators, with what weights, normalised how, against which reference period. No public
//! formula exists, so the definition is data: versioned, and named by every value computed.

use serde::{Deserialize, Serialize};

use super::indicador::Indicador;
use super::periodo::Periodo;
use super::BalanceError;

/// Most indicators one definition combines.
pub const MAX_COMPONENTS: usize = 30;
pub const MAX_NOTE_CHARS: usize = 2_000;

/// How a component's values become comparable across barrios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalizacion {
    /// 0 for the best barrio of the reference, 1 for the worst; the index runs 0–100.
    MinMax,
    /// Standard scores against the reference's mean and spread; the index is a T-score
    /// (50 at the reference's mean, 10 per standard deviation).
    ZScore,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Componente {
    /// An indicator's code in the catalogue.
    pub indicador: String,
    /// Relative weight, any positive number: the definition divides by their sum.
    pub peso: f64,
}

/// A definition as an admin writes it (`POST /api/v1/iscb/definiciones`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefinicionDraft {
    pub componentes: Vec<Componente>,
    pub normalizacion: Normalizacion,
    /// Cases become rates per 10,000 inhabitants before they are compared.
    pub por_10k: bool,
    /// The period whose spread fixes the normalisation, so that indices of different periods
    /// compare; `None`: each period against itself.
    pub periodo_referencia: Option<Periodo>,
    /// Why this version: what changed and who agreed it.
    #[serde(default)]
    pub nota: String,
}

/// A stored definition: a draft with its version number. Never changed once stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefinicionIscb {
    /// 1, 2, 3…
    pub version: u32,
    #[serde(flatten)]
    pub draft: DefinicionDraft,
    pub created_at_ms: i64,
    pub created_by: String,
}

impl DefinicionDraft {
    /// Refuses a definition without components or with more than [`MAX_COMPONENTS`], an
    /// indicator that is not an active entry of `catalogo` or is named twice, a weight that is
    /// not a positive finite number, or a note over its limit. Trims the note.
    pub fn checked(self, catalogo: &[Indicador]) -> Result<DefinicionDraft, BalanceError> {
        if self.componentes.is_empty() {
            return Err(BalanceError::NoComponents);
        }
        if self.componentes.len() > MAX_COMPONENTS {
            return Err(BalanceError::TooManyComponents(MAX_COMPONENTS));
        }
        let mut componentes: Vec<Componente> = Vec::with_capacity(self.componentes.len());
        for c in self.componentes {
            let code = c.indicador.trim();
            // What the error repeats back is bounded: the name may be anything a client sent.
            let named = || code.chars().take(super::indicador::MAX_CODE_CHARS).collect::<String>();
            if !catalogo.iter().any(|i| i.code == code && i.activo) {
                return Err(BalanceError::UnknownIndicator(named()));
            }
            if componentes.iter().any(|k| k.indicador == code) {
                return Err(BalanceError::RepeatedIndicator(named()));
            }
            if !(c.peso.is_finite() && c.peso > 0.0) {
                return Err(BalanceError::BadWeight);
            }
            componentes.push(Componente { indicador: code.to_string(), peso: c.peso });
        }
        // Many weights that are each finite can still add up past f64's range.
        if !componentes.iter().map(|c| c.peso).sum::<f64>().is_finite() {
            return Err(BalanceError::BadWeight);
        }
        let nota = self.nota.trim().to_string();
        if nota.chars().count() > MAX_NOTE_CHARS {
            return Err(BalanceError::TooLong);
        }
        Ok(DefinicionDraft { componentes, nota, ..self })
    }

    /// The weights divided by their sum, in the components' order: they add up to 1. A draft
    /// that was not checked may have weights that add up to no positive finite number: each
    /// component then weighs the same, rather than the index becoming NaN.
    pub fn pesos(&self) -> Vec<f64> {
        let total: f64 = self.componentes.iter().map(|c| c.peso).sum();
        let n = self.componentes.len() as f64;
        if total.is_finite() && total > 0.0 && self.componentes.iter().all(|c| c.peso.is_finite() && c.peso >= 0.0) {
            self.componentes.iter().map(|c| c.peso / total).collect()
        } else {
            self.componentes.iter().map(|_| 1.0 / n).collect()
        }
    }
}

/// The first definition of a deployment: every initial indicator, homicides and extortion
/// weighing double, min–max of rates per 10,000 inhabitants, each period against itself.
pub fn definicion_inicial() -> DefinicionDraft {
    let componentes = super::indicador::catalogo_inicial()
        .into_iter()
        .map(|i| Componente { peso: if matches!(i.code.as_str(), "homicidios" | "extorsion") { 2.0 } else { 1.0 }, indicador: i.code })
        .collect();
    DefinicionDraft {
        componentes,
        normalizacion: Normalizacion::MinMax,
        por_10k: true,
        periodo_referencia: None,
        nota: "Definición inicial de Cartobarrio: todos los indicadores del catálogo, homicidios y extorsión con peso doble.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::balance::indicador::{catalogo_inicial, Direccion, Unidad};
    use crate::model::Bilingual;
    use proptest::prelude::*;

    fn catalogo() -> Vec<Indicador> {
        let mut list: Vec<Indicador> = catalogo_inicial().into_iter().map(|d| d.at_version(1, 0, "cartobarrio")).collect();
        list.push(Indicador {
            code: "retirado".into(),
            activo: false,
            unidad: Unidad::Tasa,
            direccion: Direccion::MayorEsPeor,
            ..list[0].clone()
        });
        list
    }

    fn draft(componentes: &[(&str, f64)]) -> DefinicionDraft {
        DefinicionDraft {
            componentes: componentes.iter().map(|(c, p)| Componente { indicador: c.to_string(), peso: *p }).collect(),
            normalizacion: Normalizacion::ZScore,
            por_10k: false,
            periodo_referencia: Periodo::new(2025, 1),
            nota: "  Acordado en el comité  ".into(),
        }
    }

    #[test]
    fn the_initial_definition_passes_its_own_check() {
        let inicial = definicion_inicial();
        assert_eq!(inicial.componentes.len(), 9);
        let checked = inicial.clone().checked(&catalogo()).expect("valid");
        assert_eq!(checked, inicial);
        let pesos = checked.pesos();
        assert!((pesos[0] - 2.0 / 11.0).abs() < 1e-12, "homicides weigh double: {pesos:?}");
    }

    #[test]
    fn a_definition_names_active_indicators_once_with_positive_weights() {
        let cat = catalogo();
        let ok = draft(&[(" homicidios ", 2.0), ("rinas", 0.5)]).checked(&cat).expect("valid");
        assert_eq!((ok.componentes[0].indicador.as_str(), ok.nota.as_str()), ("homicidios", "Acordado en el comité"));
        assert_eq!(draft(&[]).checked(&cat), Err(BalanceError::NoComponents));
        let many: Vec<(String, f64)> = (0..=MAX_COMPONENTS).map(|i| (format!("x{i}"), 1.0)).collect();
        let many: Vec<(&str, f64)> = many.iter().map(|(c, p)| (c.as_str(), *p)).collect();
        assert_eq!(draft(&many).checked(&cat), Err(BalanceError::TooManyComponents(MAX_COMPONENTS)));
        assert_eq!(draft(&[("nadie", 1.0)]).checked(&cat), Err(BalanceError::UnknownIndicator("nadie".into())));
        assert_eq!(draft(&[("retirado", 1.0)]).checked(&cat), Err(BalanceError::UnknownIndicator("retirado".into())), "inactive");
        assert_eq!(draft(&[("rinas", 1.0), ("rinas ", 2.0)]).checked(&cat), Err(BalanceError::RepeatedIndicator("rinas".into())));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(draft(&[("rinas", bad)]).checked(&cat), Err(BalanceError::BadWeight), "{bad}");
        }
        assert_eq!(draft(&[("rinas", f64::MAX), ("homicidios", f64::MAX)]).checked(&cat), Err(BalanceError::BadWeight), "a sum past f64");
        let long = DefinicionDraft { nota: "x".repeat(MAX_NOTE_CHARS + 1), ..draft(&[("rinas", 1.0)]) };
        assert_eq!(long.checked(&cat), Err(BalanceError::TooLong));
        let shouted = "y".repeat(500);
        let Err(BalanceError::UnknownIndicator(named)) = draft(&[(shouted.as_str(), 1.0)]).checked(&cat) else { panic!("refused") };
        assert_eq!(named.chars().count(), crate::model::balance::indicador::MAX_CODE_CHARS, "what is repeated back is bounded");
        for e in [BalanceError::NoComponents, BalanceError::BadWeight, BalanceError::UnknownIndicator("x".into())] {
            assert!(!e.es().is_empty() && !e.en().is_empty() && !e.code().is_empty());
        }
    }

    #[test]
    fn an_unchecked_draft_never_weighs_nan() {
        assert_eq!(draft(&[("a", 0.0), ("b", 0.0)]).pesos(), vec![0.5, 0.5]);
        assert_eq!(draft(&[("a", f64::NAN), ("b", 1.0)]).pesos(), vec![0.5, 0.5]);
        assert!(draft(&[]).pesos().is_empty());
    }

    proptest! {
        #[test]
        fn weights_add_up_to_one_in_proportion(pesos in prop::collection::vec(1e-3f64..1e6, 1..MAX_COMPONENTS)) {
            let names: Vec<String> = (0..pesos.len()).map(|i| format!("i{i}")).collect();
            let d = draft(&names.iter().map(String::as_str).zip(pesos.iter().copied()).collect::<Vec<_>>());
            let w = d.pesos();
            prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            for i in 1..w.len() {
                // Proportional: w_i / w_0 = p_i / p_0.
                prop_assert!((w[i] / w[0] - pesos[i] / pesos[0]).abs() <= 1e-9 * (pesos[i] / pesos[0]).max(1.0));
            }
        }
    }
}
