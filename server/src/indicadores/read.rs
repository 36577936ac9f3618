//! A file of indicator data as rows of cells, whatever it is: CSV text (see [`super::decode`])
//! or an XLSX workbook (its first sheet, see [`super::xlsx`]), told apart by their first
//! bytes, never by the file's name. Work and memory are bounded by the rows read.

use super::{decode, xlsx, ImportacionError};

/// Most data rows a file may have: the Observatorio's yearly file of every barrio, month and
/// indicator of a city of 330 barrios is about 50,000 rows.
pub const MAX_ROWS: usize = 200_000;
/// Columns read from each row: a file of indicators needs at most eight; the rest are ignored.
pub const MAX_COLUMNS: usize = 64;

/// One cell as the file has it. Numbers from a workbook stay numbers, so `1.234` in a cell is
/// never read as a thousands-separated 1234.
#[derive(Debug, Clone, PartialEq)]
pub enum Celda {
    Texto(String),
    Numero(f64),
    /// A date cell of a workbook, as a month.
    Fecha {
        anio: u16,
        mes: u8,
    },
}

impl Celda {
    /// The cell as text: numbers without a needless `.0`, dates as `2026-09`.
    pub fn texto(&self) -> String {
        match self {
            Celda::Texto(s) => s.trim().to_string(),
            Celda::Numero(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Celda::Numero(n) => n.to_string(),
            Celda::Fecha { anio, mes } => format!("{anio}-{mes:02}"),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Celda::Texto(s) if s.trim().is_empty())
    }
}

/// A row with its number as a spreadsheet shows it (the first line of the file is row 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Fila {
    pub numero: usize,
    pub celdas: Vec<Celda>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hoja {
    /// `csv` or `xlsx`.
    pub formato: &'static str,
    /// Rows that have at least one cell, in order (the header among them).
    pub filas: Vec<Fila>,
}

/// Reads `bytes` as a workbook when they start like a ZIP archive, as CSV text otherwise.
/// Refused: an empty file, a binary one (or another kind of spreadsheet), more than
/// [`MAX_ROWS`] rows besides a header.
pub fn leer(bytes: &[u8]) -> Result<Hoja, ImportacionError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportacionError::Empty);
    }
    let hoja = if bytes.starts_with(b"PK\x03\x04") {
        xlsx::leer(bytes)?
    } else if let Some(what) = known_binary(bytes) {
        return Err(ImportacionError::UnsupportedFormat { what: Some(what) });
    } else {
        leer_csv(&decode::text(bytes).ok_or(ImportacionError::UnsupportedFormat { what: None })?)?
    };
    // A byte-order mark alone, or a workbook of empty cells, is as empty as no bytes.
    if hoja.filas.is_empty() {
        return Err(ImportacionError::Empty);
    }
    Ok(hoja)
}

/// Binary files that people pick by mistake, by their magic bytes.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const KNOWN: &[(&[u8], &str)] = &[
        // Excel 97–2003 and other OLE documents.
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "xls"),
        (b"%PDF", "pdf"),
        (b"\x89PNG", "image"),
        (b"\xFF\xD8\xFF", "image"),
        (b"GIF8", "image"),
    ];
    KNOWN.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, what)| *what)
}

fn leer_csv(text: &str) -> Result<Hoja, ImportacionError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(decode::separator(text))
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut filas = Vec::new();
    let mut record = csv::StringRecord::new();
    // Line breaks counted so far, and up to which byte: each record's row in one pass.
    let (mut counted_to, mut breaks) = (0usize, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // Only invalid UTF-8 fails a record, and the text is UTF-8 already: stop there.
            Err(_) => break,
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        // The line the record starts on: the row a spreadsheet shows, unless a quoted cell
        // above held line breaks. The reader's position may stop before the line break that
        // ends the previous record (and its own line count lags with it): count from the
        // record's first character.
        let start = record.position().map_or(counted_to, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let start = start.max(counted_to).min(text.len());
        let start = start + text.as_bytes()[start..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        breaks += text.as_bytes()[counted_to..start].iter().filter(|b| **b == b'\n').count();
        counted_to = start;
        let numero = breaks + 1;
        let celdas = record.iter().take(MAX_COLUMNS).map(|c| Celda::Texto(c.to_string())).collect();
        push(&mut filas, Fila { numero, celdas })?;
    }
    Ok(Hoja { formato: "csv", filas })
}

/// Adds a row, refusing the file past [`MAX_ROWS`] data rows (and a header).
pub(super) fn push(filas: &mut Vec<Fila>, fila: Fila) -> Result<(), ImportacionError> {
    if filas.len() > MAX_ROWS {
        return Err(ImportacionError::TooManyRows { max: MAX_ROWS });
    }
    filas.push(fila);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(h: &Hoja) -> Vec<(usize, Vec<String>)> {
        h.filas.iter().map(|f| (f.numero, f.celdas.iter().map(Celda::texto).collect())).collect()
    }

    #[test]
    fn csv_rows_keep_the_numbers_a_spreadsheet_shows() {
        let h = leer(b"\xEF\xBB\xBFbarrio;periodo;indicador;valor\r\nPescaito;2026-C1;homicidios;1\r\n\r\n\"Bastidas; sur\";2026-C1;rinas; 12,5 \r\n")
            .unwrap();
        assert_eq!(h.formato, "csv");
        assert_eq!(
            texts(&h),
            vec![
                (1, vec!["barrio".into(), "periodo".into(), "indicador".into(), "valor".into()]),
                (2, vec!["Pescaito".into(), "2026-C1".into(), "homicidios".into(), "1".into()]),
                (4, vec!["Bastidas; sur".into(), "2026-C1".into(), "rinas".into(), "12,5".into()]),
            ]
        );
    }

    #[test]
    fn empty_binary_and_other_spreadsheets_are_refused() {
        assert!(matches!(leer(b""), Err(ImportacionError::Empty)));
        assert!(matches!(leer(b" \r\n \n"), Err(ImportacionError::Empty)));
        assert!(matches!(leer(b"\xEF\xBB\xBF\r\n;;\r\n"), Err(ImportacionError::Empty)));
        assert!(matches!(leer(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), Err(ImportacionError::UnsupportedFormat { what: Some("xls") })));
        assert!(matches!(leer(b"%PDF-1.7\n"), Err(ImportacionError::UnsupportedFormat { what: Some("pdf") })));
        assert!(matches!(leer(b"\x00\x01\x02\x03binary"), Err(ImportacionError::UnsupportedFormat { what: None })));
        assert!(matches!(leer(b"PK\x03\x04not a zip at all"), Err(ImportacionError::UnreadableSpreadsheet(_))));
    }

    #[test]
    fn more_rows_than_the_limit_are_refused_as_a_whole() {
        let mut text = String::from("barrio,periodo,indicador,valor\n");
        for _ in 0..MAX_ROWS {
            text.push_str("a,2026,poblacion,1\n");
        }
        assert_eq!(leer(text.as_bytes()).unwrap().filas.len(), MAX_ROWS + 1, "exactly the limit is taken");
        text.push_str("a,2026,poblacion,1\n");
        assert!(matches!(leer(text.as_bytes()), Err(ImportacionError::TooManyRows { max: MAX_ROWS })));
    }
}
