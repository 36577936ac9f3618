//! Counts in Spanish: the one place that chooses between "1 causa" and "3 causas", so no
//! screen, report or message says "1 causas" or "en 1 talleres".

/// The word for `n` things: `one` for exactly one, `many` otherwise. Spanish uses the plural
/// for zero too ("0 marcas", "ningún" is said by the callers that want it).
pub fn plural_es<'a, N>(n: N, one: &'a str, many: &'a str) -> &'a str
where
    N: TryInto<i64>,
{
    let n: Result<i64, _> = n.try_into();
    if n.ok() == Some(1) {
        one
    } else {
        many
    }
}

/// The number with its word: "1 marca", "12 marcas", "0 causas".
pub fn count_es<N>(n: N, one: &str, many: &str) -> String
where
    N: TryInto<i64> + std::fmt::Display + Copy,
{
    format!("{n} {}", plural_es(n, one, many))
}

/// A number as written in Colombia: `.` between thousands, `,` before decimals ("12.345,6").
pub fn number_es(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + 4);
    if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        assert_eq!(count_es(1u32, "causa", "causas"), "1 causa");
        assert_eq!(count_es(1usize, "solución", "soluciones"), "1 solución");
        assert_eq!(count_es(0u32, "taller", "talleres"), "0 talleres");
        assert_eq!(count_es(2i64, "taller", "talleres"), "2 talleres");
        assert_eq!(count_es(21u64, "marca", "marcas"), "21 marcas", "21 is plural in Spanish");
        assert_eq!(count_es(-1i64, "grado", "grados"), "-1 grados");
        assert_eq!(plural_es(1u32, "aparece", "aparecen"), "aparece");
        assert_eq!(plural_es(usize::MAX, "marca", "marcas"), "marcas", "a count too big for i64 is still many");
    }

    #[test]
    fn the_sentences_of_the_issue_read_right() {
        let totals = |m: u32, c: u32, s: u32| {
            format!("{} · {} · {}", count_es(m, "marca", "marcas"), count_es(c, "causa", "causas"), count_es(s, "solución", "soluciones"))
        };
        assert_eq!(totals(1, 1, 1), "1 marca · 1 causa · 1 solución");
        assert_eq!(totals(3, 0, 2), "3 marcas · 0 causas · 2 soluciones");
        assert_eq!(format!("en {}", count_es(1u32, "taller", "talleres")), "en 1 taller");
    }
}
