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
        let _ = catalogo;
        todo!("issue 23: validation")
    }

    /// The weights divided by their sum, in the components' order: they add up to 1.
    pub fn pesos(&self) -> Vec<f64> {
        todo!("issue 23: weight normalisation")
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
