//! What an import of indicator data says back, row by row, like the barrio import: what was
//! taken, what was refused and why, which barrio names matched nothing, and which periods it
//! replaces. And the history of imports.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most refused rows a report lists one by one (the count is always whole).
pub const MAX_LISTED: usize = 500;

/// Why a row was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problema", rename_all = "snake_case")]
pub enum Problema {
    /// A column the row needs is empty (barrio, period, indicator or value).
    Falta { columna: String },
    BarrioDesconocido { nombre: String },
    /// The name fits several barrios of the city equally well.
    BarrioAmbiguo { nombre: String, candidatos: Vec<String> },
    IndicadorDesconocido { nombre: String },
    PeriodoInvalido { texto: String },
    /// Not a number, negative, or not finite.
    NumeroInvalido { texto: String },
    /// The same barrio, period and indicator as an earlier row: the first one counts. On the
    /// wire `duplicado_de`: the problem is flattened into [`FilaRechazada`], whose own `fila`
    /// would otherwise be written twice (and not read back).
    Duplicado {
        #[serde(rename = "duplicado_de")]
        fila: usize,
    },
    /// A whole year names population only.
    AnioSoloPoblacion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilaRechazada {
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub fila: usize,
    #[serde(flatten)]
    pub problema: Problema,
}

/// The answer to an import, before (`confirmar=false`) or after it is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReporteImportacion {
    pub archivo: String,
    /// `csv` or `xlsx`.
    pub formato: String,
    pub municipio: String,
    /// Data rows read (the header not counted).
    pub filas: usize,
    pub aceptadas: usize,
    pub rechazadas: usize,
    /// The first [`MAX_LISTED`] refused rows.
    pub detalle: Vec<FilaRechazada>,
    /// Every barrio name that matched nothing, once, with how many rows named it.
    pub sin_coincidencia: Vec<(String, usize)>,
    /// Names matched forgivingly to a barrio spelled otherwise: (as written, barrio's name).
    pub aproximados: Vec<(String, String)>,
    /// The periods the file brings (`2026`, `2026-C3`, `2026-09`), each replaced as a whole.
    pub periodos: Vec<String>,
    /// Indicator codes the file brings (`poblacion` included).
    pub indicadores: Vec<String>,
    pub barrios: usize,
    /// Periods that earlier imports held and this one replaces: (period, import id).
    pub reemplaza: Vec<(String, Uuid)>,
    /// The stored import, once confirmed.
    pub importacion: Option<Uuid>,
}

/// One import in the history (`GET /api/v1/indicadores/importaciones`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Importacion {
    pub id: Uuid,
    pub municipio: String,
    pub archivo: String,
    pub formato: String,
    pub at_ms: i64,
    pub by: String,
    /// Generated demo data ("datos de ejemplo").
    pub ejemplo: bool,
    pub periodos: Vec<String>,
    pub aceptadas: usize,
    pub rechazadas: usize,
    /// Periods of this import that a later one replaced.
    pub reemplazados: Vec<String>,
}
