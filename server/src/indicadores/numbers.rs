//! A value as a Colombian spreadsheet writes it: `1.234` (thousands), `1.234,5`, `12,5`, and
//! also `12.5` and `1,234.5` from other exports. Negative, not finite or not a number: refused.

/// The value of `text`, or `None` when it is not a non-negative finite number. The ambiguous
/// `1.234` is read as Colombia writes it, one thousand two hundred thirty-four; `0.125` and
/// `12.5` (not three digits after the dot, or a zero before it) are decimals.
pub fn numero(text: &str) -> Option<f64> {
    // Spaces (also the no-break and thin ones some exports group thousands with) and a
    // trailing percent sign carry nothing.
    let compact: String = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}')).collect();
    let compact = compact.strip_suffix('%').unwrap_or(&compact);
    let compact = compact.strip_prefix('+').unwrap_or(compact);
    if compact.is_empty() || !compact.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return None;
    }
    let (dots, commas) = (compact.matches('.').count(), compact.matches(',').count());
    let (int, frac) = match (dots, commas) {
        (0, 0) => (compact.to_string(), ""),
        // Both: the last one is the decimal mark, the other groups thousands.
        (_, _) if dots > 0 && commas > 0 => {
            let (mark, group) = if compact.rfind(',') > compact.rfind('.') { (',', '.') } else { ('.', ',') };
            let (int, frac) = compact.rsplit_once(mark)?;
            (ungroup(int, group)?, frac)
        }
        // One comma: the Colombian decimal mark. Several: thousands (`1,234,567`).
        (0, 1) => split_once(compact, ',')?,
        (0, _) => (ungroup(compact, ',')?, ""),
        (1, 0) => {
            let (int, frac) = split_once(compact, '.')?;
            if frac.len() == 3 && !int.is_empty() && int.len() <= 3 && !int.starts_with('0') {
                (format!("{int}{frac}"), "")
            } else {
                (int, frac)
            }
        }
        _ => (ungroup(compact, '.')?, ""),
    };
    if (int.is_empty() && frac.is_empty()) || frac.contains(['.', ',']) {
        return None;
    }
    let value: f64 = format!("{}.{}", if int.is_empty() { "0" } else { &int }, if frac.is_empty() { "0" } else { frac }).parse().ok()?;
    value.is_finite().then_some(value)
}

fn split_once(text: &str, mark: char) -> Option<(String, &str)> {
    text.split_once(mark).map(|(i, f)| (i.to_string(), f))
}

/// `1.234.567` without its group marks, when the groups are right: 1 to 3 digits, then
/// groups of exactly 3.
fn ungroup(text: &str, group: char) -> Option<String> {
    let mut parts = text.split(group);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_string();
    for part in parts {
        if part.len() != 3 {
            return None;
        }
        out.push_str(part);
    }
    out.bytes().all(|b| b.is_ascii_digit()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colombian_and_other_numbers_are_read() {
        for (text, expected) in [
            ("1234", 1234.0),
            ("0", 0.0),
            ("1.234", 1234.0),
            ("1.234.567", 1_234_567.0),
            ("1.234,5", 1234.5),
            ("12,5", 12.5),
            ("0,75", 0.75),
            ("12.5", 12.5),
            ("0.125", 0.125),
            ("1,234.5", 1234.5),
            ("1,234,567", 1_234_567.0),
            (" 12 ", 12.0),
            ("1 234", 1234.0),
            ("1\u{a0}234,5", 1234.5),
            ("45,2%", 45.2),
            ("+3", 3.0),
            (",5", 0.5),
        ] {
            assert_eq!(numero(text), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn what_is_no_value_is_refused() {
        for text in [
            "",
            " ",
            "-1",
            "-0,5",
            "NaN",
            "nan",
            "inf",
            "infinito",
            "1e3",
            "abc",
            "12a",
            "1.2.3",
            "1.23.456",
            "1,2,3",
            "1..2",
            "1.234,5,6",
            "1,2.3",
            "1.234.5",
            ".",
            ",",
            "%",
        ] {
            assert_eq!(numero(text), None, "{text:?}");
        }
    }
}
