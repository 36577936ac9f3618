//! Why a file of indicator data was refused as a whole (nothing of it kept), in Spanish and
//! English. A row's own problems are not errors: they go in the report.

use app::model::balance::importacion::ReporteImportacion;
use app::model::Bilingual;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportacionError {
    #[error("the file is empty")]
    Empty,
    /// Neither text (CSV) nor an XLSX workbook: `what` names what it looks like, when known.
    #[error("the file is not CSV or XLSX{}", what.map(|w| format!(" (it looks like {w})")).unwrap_or_default())]
    UnsupportedFormat { what: Option<&'static str> },
    /// An XLSX the spreadsheet reader cannot open (damaged, password-protected, no sheet).
    #[error("the workbook cannot be read: {0}")]
    UnreadableSpreadsheet(String),
    /// A workbook that unpacks to more than `limit` bytes: a real sheet of 200,000 rows is far
    /// smaller, a crafted one could fill the memory.
    #[error("the workbook unpacks to more than {limit} bytes")]
    Unpacked { limit: u64 },
    #[error("the file has more than {max} rows")]
    TooManyRows { max: usize },
    /// The header names no column for what every row needs (Spanish names of the columns).
    #[error("the header has no column for {}", missing.join(", "))]
    MissingColumns { missing: Vec<&'static str> },
    /// Confirmed, but no row could be taken: the report says why, row by row.
    #[error("no row of the file could be imported")]
    NothingAccepted(Box<ReporteImportacion>),
}

impl ImportacionError {
    pub fn code(&self) -> &'static str {
        match self {
            ImportacionError::Empty => "empty_file",
            ImportacionError::UnsupportedFormat { .. } => "unsupported_format",
            ImportacionError::UnreadableSpreadsheet(_) => "unreadable_spreadsheet",
            ImportacionError::Unpacked { .. } => "spreadsheet_too_large",
            ImportacionError::TooManyRows { .. } => "too_many_rows",
            ImportacionError::MissingColumns { .. } => "missing_columns",
            ImportacionError::NothingAccepted(_) => "nothing_accepted",
        }
    }
}

impl Bilingual for ImportacionError {
    fn es(&self) -> String {
        match self {
            ImportacionError::Empty => "El archivo está vacío.".into(),
            ImportacionError::UnsupportedFormat { what } => format!(
                "El archivo no es CSV ni un libro de Excel .xlsx{}. Ábralo en Excel o LibreOffice y guárdelo como «Libro de Excel \
                 (.xlsx)» o como «CSV».",
                what.map(|w| format!(" (parece {})", what_es(w))).unwrap_or_default()
            ),
            ImportacionError::UnreadableSpreadsheet(_) => {
                "No se pudo leer el libro de Excel: puede estar dañado o protegido con contraseña. Ábralo en Excel y guárdelo de nuevo \
                 como .xlsx, o expórtelo como CSV."
                    .into()
            }
            ImportacionError::Unpacked { limit } => format!(
                "El libro de Excel es demasiado grande al descomprimirlo (más de {} MB). Divídalo en varios archivos.",
                limit / 1_000_000
            ),
            ImportacionError::TooManyRows { max } => {
                format!("El archivo tiene más de {max} filas. Divídalo en varios archivos (por ejemplo, uno por año).")
            }
            ImportacionError::MissingColumns { missing } => format!(
                "No se encontró en el encabezado la columna de {}. La primera fila debe nombrar las columnas: barrio (o código), \
                 periodo (o año y cuatrimestre, o año y mes), indicador y valor.",
                missing.join(", ")
            ),
            ImportacionError::NothingAccepted(r) => format!(
                "No se pudo importar ninguna de las {} filas del archivo; no se guardó nada. El informe dice por qué, fila por fila.",
                r.filas
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            ImportacionError::UnreadableSpreadsheet(_) => {
                "The workbook cannot be read: it may be damaged or password-protected. Save it again as .xlsx, or export it as CSV.".into()
            }
            other => format!("{}{}", capitalised(&other.to_string()), "."),
        }
    }
}

/// The Spanish for what a refused file looks like.
fn what_es(what: &str) -> &'static str {
    match what {
        "xls" => "un libro de Excel 97-2003 (.xls)",
        "ods" => "una hoja de cálculo de LibreOffice (.ods)",
        "zip" => "un archivo ZIP",
        "pdf" => "un PDF",
        "image" => "una imagen",
        _ => "un archivo binario",
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_says_what_to_do_in_both_languages() {
        let all = [
            ImportacionError::Empty,
            ImportacionError::UnsupportedFormat { what: Some("xls") },
            ImportacionError::UnsupportedFormat { what: None },
            ImportacionError::UnreadableSpreadsheet("bad zip".into()),
            ImportacionError::Unpacked { limit: 200_000_000 },
            ImportacionError::TooManyRows { max: 200_000 },
            ImportacionError::MissingColumns { missing: vec!["indicador", "valor"] },
        ];
        for e in &all {
            assert!(!e.es().is_empty() && e.en().ends_with('.'), "{e:?}");
        }
        assert!(all[1].es().contains(".xls)") && all[1].en().contains("looks like xls"));
        assert!(all[6].es().contains("indicador, valor"), "{}", all[6].es());
        assert!(!all[3].en().contains("bad zip"), "the reader's own words stay in the log");
    }
}
