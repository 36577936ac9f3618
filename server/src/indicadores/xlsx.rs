//! The first sheet of an XLSX workbook as rows of cells, read cell by cell (calamine's
//! streaming reader) so memory follows the rows kept, after a check that the archive does not
//! unpack to more than a real sheet could.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use super::read::{push, Celda, Fila, Hoja, MAX_COLUMNS};
use super::ImportacionError;

/// Most bytes the workbook's parts may unpack to, together: a sheet of 200,000 rows of eight
/// columns is about 60 MB of XML. A ZIP may compress a thousand to one, so the parts are
/// unpacked once and counted before the workbook is read.
pub const MAX_UNPACKED: u64 = 200_000_000;

fn unreadable(e: impl std::fmt::Display) -> ImportacionError {
    ImportacionError::UnreadableSpreadsheet(e.to_string())
}

/// Reads the first sheet. A ZIP that is no workbook (an ODS spreadsheet, any other archive) is
/// refused as unsupported; one that unpacks past [`MAX_UNPACKED`] bytes, as too large.
pub fn leer(bytes: &[u8]) -> Result<Hoja, ImportacionError> {
    check_archive(bytes, MAX_UNPACKED)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let first = book.sheet_names().into_iter().next().ok_or_else(|| unreadable("the workbook has no sheet"))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut filas: Vec<Fila> = Vec::new();
    let mut current: Option<Fila> = None;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let column = usize::try_from(column).unwrap_or(usize::MAX);
        if column >= MAX_COLUMNS {
            continue;
        }
        let Some(celda) = celda(cell.get_value()) else {
            continue;
        };
        let numero = usize::try_from(row).map_or(usize::MAX, |r| r.saturating_add(1));
        // Rows come in order; a new number starts a new row.
        if current.as_ref().is_some_and(|f| f.numero != numero) {
            if let Some(done) = current.take() {
                push(&mut filas, done)?;
            }
        }
        let fila = current.get_or_insert_with(|| Fila { numero, celdas: Vec::new() });
        if fila.celdas.len() <= column {
            fila.celdas.resize(column + 1, Celda::Texto(String::new()));
        }
        fila.celdas[column] = celda;
    }
    if let Some(done) = current {
        push(&mut filas, done)?;
    }
    Ok(Hoja { formato: "xlsx", filas })
}

/// A cell's value, or `None` when it holds nothing to read (empty, an error like `#N/A`).
fn celda(value: &DataRef<'_>) -> Option<Celda> {
    let celda = match value {
        DataRef::Int(n) => Celda::Numero(*n as f64),
        DataRef::Float(f) => Celda::Numero(*f),
        DataRef::String(s) => Celda::Texto(s.clone()),
        DataRef::SharedString(s) => Celda::Texto((*s).to_string()),
        DataRef::Bool(b) => Celda::Texto(b.to_string()),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (anio, mes, ..) = d.to_ymd_hms_milli();
            Celda::Fecha { anio, mes }
        }
        DataRef::DateTime(d) => Celda::Numero(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Celda::Texto(s.clone()),
        DataRef::Error(_) | DataRef::Empty => return None,
    };
    (!celda.is_empty()).then_some(celda)
}

/// Opens the archive, tells a workbook from other ZIPs, and unpacks every part once, counting
/// the bytes it really gives (not the sizes the archive declares, which may lie) up to `limit`.
fn check_archive(bytes: &[u8], limit: u64) -> Result<(), ImportacionError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let names: Vec<String> = archive.file_names().map(str::to_ascii_lowercase).collect();
    if !names.iter().any(|n| n == "xl/workbook.xml" || n == "xl/workbook.bin") {
        let ods = names.iter().any(|n| n == "content.xml");
        return Err(ImportacionError::UnsupportedFormat { what: Some(if ods { "ods" } else { "zip" }) });
    }
    let mut left = limit;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(unreadable)?;
        let read = std::io::copy(&mut part.take(left + 1), &mut std::io::sink()).map_err(unreadable)?;
        left = left.checked_sub(read).ok_or(ImportacionError::Unpacked { limit })?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A workbook of one sheet with `rows` (strings; a leading `#` makes a number cell) and a
    /// second sheet that must be ignored, as Excel writes it in its simplest form.
    pub fn workbook(rows: &[&[&str]]) -> Vec<u8> {
        let mut sheet = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, value) in row.iter().enumerate() {
                let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
                match value.strip_prefix('#') {
                    Some(n) => sheet.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
                    None => sheet.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>"#)),
                }
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        let parts = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Datos" sheetId="1" r:id="rId1"/><sheet name="Otra" sheetId="2" r:id="rId2"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/worksheets/sheet2.xml", r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>otra hoja</t></is></c></row></sheetData></worksheet>"#.to_string()),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            zip.start_file(name, options).expect("zip part");
            zip.write_all(text.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn the_first_sheet_is_read_with_its_row_numbers_and_numbers_as_numbers() {
        let bytes = workbook(&[
            &["Barrio", "Año", "Cuatrimestre", "Indicador", "Valor"],
            &[],
            &["Pescaíto", "#2026", "#1", "Homicidios", "#1.234"],
        ]);
        let hoja = super::super::read::leer(&bytes).unwrap();
        assert_eq!(hoja.formato, "xlsx");
        assert_eq!(hoja.filas.len(), 2, "the empty row is skipped, the second sheet ignored");
        assert_eq!(hoja.filas[0].celdas[1], Celda::Texto("Año".into()));
        assert_eq!(hoja.filas[1].numero, 3, "as the spreadsheet numbers it");
        assert_eq!(hoja.filas[1].celdas[1].texto(), "2026");
        assert_eq!(hoja.filas[1].celdas[4], Celda::Numero(1.234), "a number cell is never a thousands separator");
    }

    #[test]
    fn other_archives_and_zip_bombs_are_refused() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("content.xml", options).unwrap();
        zip.write_all(b"<office:document-content/>").unwrap();
        let ods = zip.finish().unwrap().into_inner();
        assert!(matches!(leer(&ods), Err(ImportacionError::UnsupportedFormat { what: Some("ods") })));

        // A workbook whose sheet unpacks to a thousand times its packed size, counted against a
        // small limit (the real one would take a debug build too long to pack).
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/workbook.xml", options).unwrap();
        zip.write_all(b"<workbook/>").unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        zip.write_all(&vec![b' '; 4 << 20]).unwrap();
        let bomb = zip.finish().unwrap().into_inner();
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        assert!(check_archive(&bomb, 8 << 20).is_ok());
        assert!(matches!(check_archive(&bomb, 4 << 20), Err(ImportacionError::Unpacked { limit }) if limit == 4 << 20));
    }
}
