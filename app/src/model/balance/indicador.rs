//! The catalogue of indicators the Observatorio (ODSC) reports per barrio: each with its unit
//! and its direction (whether more of it is worse or better). Admins edit it; every edit is a
//! new version of the entry.

use serde::{Deserialize, Serialize};

use super::BalanceError;

/// The pseudo-indicator population comes in as, in the same files as the indicators.
pub const POBLACION: &str = "poblacion";

/// Longest code, name, source and description an entry keeps.
pub const MAX_CODE_CHARS: usize = 40;
pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_TEXT_CHARS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unidad {
    /// Cases in the period: the ISCB may turn them into rates per 10,000 inhabitants, and
    /// anything printed for outside the Secretaría shows fewer than 3 as "< 3".
    Casos,
    /// A rate the source already computed (per 10,000 or 100,000 inhabitants).
    Tasa,
    Porcentaje,
    /// Any other score (a survey's perception index…).
    Puntaje,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direccion {
    /// More of it means less security (homicides).
    MayorEsPeor,
    /// More of it means more security (a perception of safety).
    MayorEsMejor,
}

/// One entry of the catalogue, as stored: its latest version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicador {
    /// Stable slug (`hurto_personas`), what import files and ISCB definitions name.
    pub code: String,
    pub nombre: String,
    pub unidad: Unidad,
    pub direccion: Direccion,
    #[serde(default)]
    pub descripcion: String,
    /// Where the figures come from (ODSC, SIEDCO, RNMC…).
    #[serde(default)]
    pub fuente: String,
    /// An inactive entry stays for the history but takes no new imports.
    pub activo: bool,
    /// 1 for the first version; each edit adds one.
    pub version: u32,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

/// A new entry or an edit (`PUT /api/v1/indicadores/{code}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicadorDraft {
    pub code: String,
    pub nombre: String,
    pub unidad: Unidad,
    pub direccion: Direccion,
    #[serde(default)]
    pub descripcion: String,
    #[serde(default)]
    pub fuente: String,
    #[serde(default = "yes")]
    pub activo: bool,
}

fn yes() -> bool {
    true
}

impl Unidad {
    pub const ALL: [Unidad; 4] = [Unidad::Casos, Unidad::Tasa, Unidad::Porcentaje, Unidad::Puntaje];

    pub fn label_es(self) -> &'static str {
        match self {
            Unidad::Casos => "casos",
            Unidad::Tasa => "tasa",
            Unidad::Porcentaje => "porcentaje",
            Unidad::Puntaje => "puntaje",
        }
    }
}

impl Direccion {
    pub fn label_es(self) -> &'static str {
        match self {
            Direccion::MayorEsPeor => "más es peor",
            Direccion::MayorEsMejor => "más es mejor",
        }
    }
}

/// Lower case without accents or punctuation, single spaces: how names in files are compared
/// ("Hurto a Personas", "HURTO  A PERSONAS." and "hurto_a_personas" are the same).
pub fn fold_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            'ñ' => 'n',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// The catalogue entry a file's indicator column names, by code or by name, forgivingly.
pub fn find<'a>(catalogo: &'a [Indicador], raw: &str) -> Option<&'a Indicador> {
    let key = fold_name(raw);
    catalogo.iter().find(|i| fold_name(&i.code) == key || fold_name(&i.nombre) == key)
}

impl IndicadorDraft {
    /// The entry as stored at `version`, written by `by` at `at_ms`.
    pub fn at_version(self, version: u32, at_ms: i64, by: &str) -> Indicador {
        Indicador {
            code: self.code,
            nombre: self.nombre,
            unidad: self.unidad,
            direccion: self.direccion,
            descripcion: self.descripcion,
            fuente: self.fuente,
            activo: self.activo,
            version,
            updated_at_ms: at_ms,
            updated_by: by.to_string(),
        }
    }

    /// Trims the texts and refuses an empty or malformed code, an empty name, or texts over
    /// their limits. The code is a slug: lower-case ASCII letters, digits and `_`.
    pub fn checked(self) -> Result<IndicadorDraft, BalanceError> {
        let code = self.code.trim().to_string();
        let valid = !code.is_empty()
            && code.chars().count() <= MAX_CODE_CHARS
            && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && code != POBLACION;
        if !valid {
            return Err(BalanceError::BadIndicatorCode);
        }
        let nombre = self.nombre.trim().to_string();
        if nombre.is_empty() || nombre.chars().count() > MAX_NAME_CHARS || nombre.chars().any(char::is_control) {
            return Err(BalanceError::BadIndicatorName);
        }
        let (descripcion, fuente) = (self.descripcion.trim().to_string(), self.fuente.trim().to_string());
        if descripcion.chars().count() > MAX_TEXT_CHARS || fuente.chars().count() > MAX_NAME_CHARS {
            return Err(BalanceError::TooLong);
        }
        Ok(IndicadorDraft { code, nombre, descripcion, fuente, ..self })
    }
}

/// The catalogue a new deployment starts with: the crimes and behaviours the Policía's SIEDCO
/// and the Observatorio report per barrio (names as in those statistics), counted as cases.
pub fn catalogo_inicial() -> Vec<IndicadorDraft> {
    let casos = |code: &str, nombre: &str, fuente: &str, descripcion: &str| IndicadorDraft {
        code: code.into(),
        nombre: nombre.into(),
        unidad: Unidad::Casos,
        direccion: Direccion::MayorEsPeor,
        descripcion: descripcion.into(),
        fuente: fuente.into(),
        activo: true,
    };
    vec![
        casos("homicidios", "Homicidios", "SIEDCO – Policía Nacional", "Homicidios intencionales en el barrio."),
        casos("hurto_personas", "Hurto a personas", "SIEDCO – Policía Nacional", ""),
        casos("hurto_residencias", "Hurto a residencias", "SIEDCO – Policía Nacional", ""),
        casos("hurto_comercio", "Hurto a comercio", "SIEDCO – Policía Nacional", ""),
        casos("lesiones_personales", "Lesiones personales", "SIEDCO – Policía Nacional", ""),
        casos("violencia_intrafamiliar", "Violencia intrafamiliar", "SIEDCO – Policía Nacional", ""),
        casos("rinas", "Riñas", "RNMC – Ley 1801 de 2016, art. 27", "Comparendos por riñas."),
        casos("extorsion", "Extorsión", "SIEDCO – Policía Nacional", ""),
        casos(
            "comportamientos_contrarios",
            "Comportamientos contrarios a la convivencia",
            "RNMC – Ley 1801 de 2016",
            "Medidas correctivas impuestas en el barrio (Código Nacional de Seguridad y Convivencia Ciudadana).",
        ),
    ]
}
