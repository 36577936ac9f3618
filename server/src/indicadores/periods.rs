//! The period a row names, however it is written: `2026-C3`, `C3-2026`, `III-2026`,
//! `cuatrimestre 3 de 2026`, `2026-09`, `09/2026`, `septiembre 2026`, a date, or `2026` (a whole
//! year), in one column or as a year column beside a cuatrimestre or month column.

use app::model::balance::indicador::fold_name;
use app::model::balance::periodo::{Periodo, PeriodoDato};

/// What the column a value came from says it is, when the value alone does not (`3` in a
/// "cuatrimestre" column is the third cuatrimestre, in a "mes" column March).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pista {
    Ninguna,
    Cuatrimestre,
    Mes,
}

const MESES: [&[&str]; 12] = [
    &["enero", "ene", "jan", "january"],
    &["febrero", "feb", "february"],
    &["marzo", "mar", "march"],
    &["abril", "abr", "apr", "april"],
    &["mayo", "may"],
    &["junio", "jun", "june"],
    &["julio", "jul", "july"],
    &["agosto", "ago", "aug", "august"],
    &["septiembre", "setiembre", "sep", "sept", "set", "september"],
    &["octubre", "oct", "october"],
    &["noviembre", "nov", "november"],
    &["diciembre", "dic", "dec", "december"],
];

/// Words that say a cuatrimestre is meant, and words that carry nothing.
const CUATRIMESTRE: &[&str] = &["cuatrimestre", "cuatri", "cuatrim", "cuat", "c"];
const FILLER: &[&str] = &["de", "del", "a", "al", "y", "el", "mes", "periodo", "ano", "anio", "year", "month", "hasta"];

fn mes(word: &str) -> Option<u8> {
    MESES.iter().position(|names| names.contains(&word)).and_then(|i| u8::try_from(i + 1).ok())
}

/// "primer", "3er", "iii"…: a cuatrimestre's number as an ordinal or a Roman numeral.
fn ordinal(word: &str) -> Option<u8> {
    match word {
        "i" | "primer" | "primero" | "1er" | "1ro" | "1o" => Some(1),
        "ii" | "segundo" | "2do" | "2o" => Some(2),
        "iii" | "tercer" | "tercero" | "3er" | "3ro" | "3o" => Some(3),
        _ => None,
    }
}

/// The period `text` names, read with what its column says (`pista`); `None` when it names no
/// period, or more than one.
pub fn periodo(text: &str, pista: Pista) -> Option<PeriodoDato> {
    let folded = fold_name(text);
    let mut years: Vec<u16> = Vec::new();
    let mut cuatrimestres: Vec<u8> = Vec::new();
    let mut months: Vec<u8> = Vec::new();
    // Small numbers, with whether a year came before them (`2026-09-01` against `01/09/2026`).
    let mut numbers: Vec<u8> = Vec::new();
    let mut year_first = false;
    let mut said_cuatrimestre = pista == Pista::Cuatrimestre;
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        let digits = word.bytes().all(|b| b.is_ascii_digit());
        if digits && word.len() == 4 {
            years.push(word.parse().ok()?);
            year_first |= numbers.is_empty();
        } else if digits && word.len() == 6 {
            // `202609`, as some exports write a month.
            years.push(word[..4].parse().ok()?);
            months.push(word[4..].parse().ok()?);
        } else if digits && word.len() <= 2 {
            numbers.push(word.parse().ok()?);
        } else if let Some(n) = word.strip_prefix('c').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
            cuatrimestres.push(n.parse().ok()?);
        } else if CUATRIMESTRE.contains(&word) {
            said_cuatrimestre = true;
        } else if let Some(n) = ordinal(word) {
            cuatrimestres.push(n);
        } else if let Some(m) = mes(word) {
            months.push(m);
        } else if !FILLER.contains(&word) {
            return None;
        }
    }
    let anio = match years.as_slice() {
        [first, rest @ ..] if rest.iter().all(|y| y == first) => *first,
        _ => return None,
    };
    if said_cuatrimestre || pista == Pista::Cuatrimestre {
        cuatrimestres.append(&mut numbers);
    } else if months.is_empty() {
        // A day and a month (`01/09/2026`, `2026-09-01`): the month is what counts.
        match numbers.as_slice() {
            [m] => months.push(*m),
            [a, b] => months.push(if year_first { *a } else { *b }),
            [] => {}
            _ => return None,
        }
    } else if !numbers.is_empty() {
        return None;
    }
    match (cuatrimestres.as_slice(), months.as_slice()) {
        ([], []) if pista == Pista::Ninguna => Some(PeriodoDato::Anio { anio: Periodo::new(anio, 1)?.anio }),
        ([c], []) => Some(PeriodoDato::Cuatrimestre { periodo: Periodo::new(anio, *c)? }),
        ([], [m]) => Periodo::of_month(anio, *m).map(|_| PeriodoDato::Mes { anio, mes: *m }),
        // "septiembre a diciembre de 2026": the months of a whole cuatrimestre.
        ([], [first, last]) => {
            let periodo = Periodo::of_month(anio, *first)?;
            (periodo.meses() == (*first..=*last)).then_some(PeriodoDato::Cuatrimestre { periodo })
        }
        _ => None,
    }
}

/// Reads a period as [`PeriodoDato::code`] writes it (`2026`, `2026-C3`, `2026-09`), as stored.
pub fn periodo_de_codigo(code: &str) -> Option<PeriodoDato> {
    match code.len() {
        4 => Some(PeriodoDato::Anio { anio: Periodo::new(code.parse().ok()?, 1)?.anio }),
        7 if code.as_bytes().get(5) == Some(&b'C') => Some(PeriodoDato::Cuatrimestre { periodo: Periodo::parse(code)? }),
        7 => {
            let (anio, mes) = code.split_once('-')?;
            let (anio, mes) = (anio.parse().ok()?, mes.parse().ok()?);
            Periodo::of_month(anio, mes).map(|_| PeriodoDato::Mes { anio, mes })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(anio: u16, cuatrimestre: u8) -> Option<PeriodoDato> {
        Some(PeriodoDato::Cuatrimestre { periodo: Periodo { anio, cuatrimestre } })
    }

    fn m(anio: u16, mes: u8) -> Option<PeriodoDato> {
        Some(PeriodoDato::Mes { anio, mes })
    }

    #[test]
    fn every_way_of_writing_a_period_is_read() {
        for (text, expected) in [
            ("2026-C3", c(2026, 3)),
            ("2026 C3", c(2026, 3)),
            ("2026 c 3", c(2026, 3)),
            ("C3-2026", c(2026, 3)),
            ("III-2026", c(2026, 3)),
            ("I 2025", c(2025, 1)),
            ("cuatrimestre 3 de 2026", c(2026, 3)),
            ("Cuatrimestre 2 - 2026", c(2026, 2)),
            ("3er cuatrimestre 2026", c(2026, 3)),
            ("Primer cuatrimestre de 2026", c(2026, 1)),
            ("septiembre a diciembre de 2026", c(2026, 3)),
            ("2026-09", m(2026, 9)),
            ("2026-9", m(2026, 9)),
            ("09/2026", m(2026, 9)),
            ("septiembre 2026", m(2026, 9)),
            ("Sept. 2026", m(2026, 9)),
            ("setiembre de 2026", m(2026, 9)),
            ("202609", m(2026, 9)),
            ("2026-09-01", m(2026, 9)),
            ("01/09/2026", m(2026, 9)),
            ("2026", Some(PeriodoDato::Anio { anio: 2026 })),
            (" 2026 ", Some(PeriodoDato::Anio { anio: 2026 })),
        ] {
            assert_eq!(periodo(text, Pista::Ninguna), expected, "{text:?}");
        }
    }

    #[test]
    fn a_year_column_beside_a_cuatrimestre_or_month_column() {
        // The caller joins the two cells; the column says what a bare number is.
        assert_eq!(periodo("3 2026", Pista::Cuatrimestre), c(2026, 3));
        assert_eq!(periodo("C3 2026", Pista::Cuatrimestre), c(2026, 3));
        assert_eq!(periodo("III 2026", Pista::Cuatrimestre), c(2026, 3));
        assert_eq!(periodo("3 2026", Pista::Mes), m(2026, 3));
        assert_eq!(periodo("marzo 2026", Pista::Mes), m(2026, 3));
        assert_eq!(periodo("2026-C3 2026", Pista::Ninguna), c(2026, 3), "a period column and its year agree");
        assert_eq!(periodo("2026", Pista::Cuatrimestre), None, "an empty cuatrimestre cell is not a whole year");
    }

    #[test]
    fn stored_codes_read_back() {
        for p in [PeriodoDato::Anio { anio: 2026 }, c(2026, 3).unwrap(), m(2026, 9).unwrap(), m(2025, 12).unwrap()] {
            assert_eq!(periodo_de_codigo(&p.code()), Some(p));
        }
        for bad in ["", "26", "2026-C4", "2026-13", "2026-c3", "x026-09", "2026/09"] {
            assert_eq!(periodo_de_codigo(bad), None, "{bad}");
        }
    }

    #[test]
    fn what_names_no_period_or_two_is_refused() {
        for text in [
            "",
            "C3",
            "2026-C4",
            "2026-C0",
            "2026-13",
            "13/2026",
            "1999",
            "2101",
            "2026-C3-2027",
            "abc 2026",
            "septiembre",
            "2026 C3 septiembre",
            "enero a marzo de 2026",
            "26",
            "1/2/3/2026",
        ] {
            assert_eq!(periodo(text, Pista::Ninguna), None, "{text:?}");
        }
        assert_eq!(periodo("4 2026", Pista::Cuatrimestre), None);
    }
}
