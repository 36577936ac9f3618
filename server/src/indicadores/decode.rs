//! A text file's bytes as text, however Excel wrote it: UTF-8 with or without its BOM, UTF-16
//! with its BOM ("Texto Unicode"), or Windows-1252 (what a Colombian Excel saves as "CSV"),
//! and the separator its columns use.

/// Windows-1252's letters for bytes 0x80–0x9F (Latin-1 leaves them control characters); the
/// five bytes it leaves undefined are kept as the C1 control characters Latin-1 gives them.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–',
    '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The text of `bytes`, or `None` when they are not text at all (a NUL byte or other control
/// characters no spreadsheet writes: a binary file).
pub fn text(bytes: &[u8]) -> Option<String> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            // Not UTF-8: every byte is a letter of Windows-1252, a superset of Latin-1.
            Err(_) => bytes.iter().map(|&b| cp1252(b)).collect(),
        }
    };
    (!looks_binary(&text)).then_some(text)
}

fn cp1252(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|p| word([p[0], p[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect()
}

/// Control characters other than tab, line breaks and form feed: no text file of a spreadsheet
/// has them, every binary file has many.
fn looks_binary(text: &str) -> bool {
    text.chars().take(64 * 1024).any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') && u32::from(c) < 0x80)
}

/// The separator of a CSV file: the one of `;` (Excel where the comma is the decimal mark, as
/// in Colombia), `,` and tab that its first line has most of, outside quotes; `,` when it has
/// none (one column).
pub fn separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (sep, n) in &mut counts {
                if c == *sep {
                    *n += 1;
                }
            }
        }
    }
    // Ties go to the first listed: `;` before `,`, since a Colombian file's decimals use `,`.
    counts.iter().fold((b',', 0), |best, &(sep, n)| if n > best.1 { (sep, n) } else { best }).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_and_windows_1252_read_alike() {
        assert_eq!(text("Pescaíto;3".as_bytes()).as_deref(), Some("Pescaíto;3"));
        assert_eq!(text(b"\xEF\xBB\xBFPesca\xC3\xADto;3").as_deref(), Some("Pescaíto;3"));
        // What Excel in Spanish saves as "CSV (delimitado por comas)": Windows-1252.
        assert_eq!(text(b"Pesca\xEDto;A\xF1o;\x80 \x93x\x94").as_deref(), Some("Pescaíto;Año;€ “x”"));
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Año\tvalor".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(text(&utf16).as_deref(), Some("Año\tvalor"));
    }

    #[test]
    fn binary_files_are_not_text() {
        assert_eq!(text(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), None);
        assert_eq!(text(b"barrio;valor\nx;\x01\x02"), None);
        assert!(text(b"barrio;valor\r\nx;1\r\n").is_some());
    }

    #[test]
    fn the_separator_is_the_one_the_header_uses() {
        assert_eq!(separator("barrio;año;indicador;valor\nx;2026;y;1,5"), b';');
        assert_eq!(separator("barrio,año,indicador,valor\n"), b',');
        assert_eq!(separator("barrio\tvalor\n"), b'\t');
        assert_eq!(separator("\"barrio; nombre\",valor\n"), b',', "separators inside quotes do not count");
        assert_eq!(separator("barrio\n"), b',');
    }
}
