//! Indicator data for the balance (pasos 1–2 of the ruta): files of figures per barrio and
//! period read forgivingly (CSV as Excel writes it, or XLSX), checked row by row against the
//! city's barrios and the catalogue, and demo data for a city that has none.

pub mod barrios;
pub mod decode;
pub mod demo;
pub mod error;
pub mod headers;
pub mod numbers;
pub mod periods;
pub mod read;
pub mod report;
pub mod rows;
pub mod xlsx;

use app::model::balance::indicador::Indicador;

pub use error::ImportacionError;
pub use rows::{Revision, ValorImportado};

/// Longest file name a report keeps (it is shown in the history and the audit log).
pub const MAX_ARCHIVO_CHARS: usize = 120;

/// Reads and checks a file of indicator data for city `municipio`: the values it would
/// import and the report. Refused as a whole only when the file cannot be read or its header
/// lacks a column every row needs. CPU-bound (up to [`read::MAX_ROWS`] rows): call it off the
/// async workers.
pub fn revisar_archivo(
    bytes: &[u8],
    archivo: &str,
    municipio: &str,
    barrios: &[barrios::BarrioRef],
    catalogo: &[Indicador],
) -> Result<Revision, ImportacionError> {
    let hoja = read::leer(bytes)?;
    rows::revisar(&hoja, &nombre_de_archivo(archivo), municipio, barrios, catalogo)
}

/// A file name as the report keeps it: its last path component, no control characters, at
/// most [`MAX_ARCHIVO_CHARS`] characters; "(sin nombre)" when empty.
pub fn nombre_de_archivo(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let name: String = last.chars().filter(|c| !c.is_control()).take(MAX_ARCHIVO_CHARS).collect();
    if name.trim().is_empty() {
        "(sin nombre)".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_kept_short_and_plain() {
        assert_eq!(nombre_de_archivo("C:\\Users\\ana\\Datos SIEDCO 2026.xlsx"), "Datos SIEDCO 2026.xlsx");
        assert_eq!(nombre_de_archivo("/tmp/datos.csv"), "datos.csv");
        assert_eq!(nombre_de_archivo("a\u{0}b\nc.csv"), "abc.csv");
        assert_eq!(nombre_de_archivo("  "), "(sin nombre)");
        assert_eq!(nombre_de_archivo(&"x".repeat(500)).chars().count(), MAX_ARCHIVO_CHARS);
    }

    #[test]
    fn a_whole_file_is_read_and_checked() {
        let barrios = [barrios::BarrioRef { id: 9, code: "gaira".into(), name: "Gaira".into() }];
        let catalogo: Vec<Indicador> = Vec::new();
        let bytes = b"Barrio;A\xF1o;Indicador;Valor\nGaira;2026;Poblaci\xF3n;4.512\n";
        let r = revisar_archivo(bytes, "datos.csv", "47001", &barrios, &catalogo).unwrap();
        assert_eq!(r.valores.len(), 1, "{:?}", r.reporte);
        assert_eq!(r.valores[0].valor, 4512.0);
        assert!(matches!(revisar_archivo(b"", "x", "47001", &barrios, &catalogo), Err(ImportacionError::Empty)));
    }
}
