//! Barrio names as they come in real files ("LA  PAZ", "juan xxiii ") made comparable, and
//! turned into a display name and a stable code.

/// Longest barrio name (and comuna, and code) an import takes: real names are under 60
/// characters, and each is shown in lists and on every map of the barrio.
pub const MAX_NAME_CHARS: usize = 120;

/// Why a name (or comuna, or code) read from a file cannot be used, if it cannot: too long,
/// or holding control characters (NUL, line breaks…) that no real name has.
pub fn refusal(what: &str, raw: &str) -> Option<String> {
    if raw.chars().any(char::is_control) {
        return Some(format!("the {what} contains control characters"));
    }
    let n = raw.chars().count();
    (n > MAX_NAME_CHARS).then(|| format!("the {what} has {n} characters; at most {MAX_NAME_CHARS} are taken"))
}

/// A name as a report may repeat it: control characters shown as `�`, and cut after 60
/// characters, so a hostile name does not flood the report.
pub fn for_report(raw: &str) -> String {
    const SHOWN: usize = 60;
    let mut out: String = raw.chars().take(SHOWN).map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
    if raw.chars().nth(SHOWN).is_some() {
        out.push('…');
    }
    out
}

/// Upper case, single spaces, no leading/trailing spaces or dots: the key pieces dissolve on.
pub fn normalize(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ").trim_matches('.').trim().to_uppercase()
}

/// "LOS ALCAZARES" → "Los Alcazares", "13 DE JUNIO" → "13 de Junio", "JUAN XXIII" → "Juan XXIII".
pub fn display_name(normalized: &str) -> String {
    const SMALL: &[&str] = &["DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "E"];
    normalized
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            if is_roman_numeral(word) {
                word.to_string()
            } else if i > 0 && SMALL.contains(&word) {
                word.to_lowercase()
            } else {
                let lower = word.to_lowercase();
                let mut chars = lower.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Roman numerals such as "II" or "XXIII" (longer than one letter, so "I" in "I ETAPA" is
/// kept as a word and "V" is not mistaken for anything).
fn is_roman_numeral(word: &str) -> bool {
    word.len() > 1 && word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
}

/// A URL-safe code: lower-case ASCII letters, digits and hyphens ("Villa Olímpica" → "villa-olimpica").
pub fn code(normalized: &str) -> String {
    let mut out = String::with_capacity(normalized.len());
    for c in normalized.chars() {
        let mapped = match c {
            'Á' | 'À' | 'Ä' | 'á' | 'à' | 'ä' => 'a',
            'É' | 'È' | 'Ë' | 'é' | 'è' | 'ë' => 'e',
            'Í' | 'Ì' | 'Ï' | 'í' | 'ì' | 'ï' => 'i',
            'Ó' | 'Ò' | 'Ö' | 'ó' | 'ò' | 'ö' => 'o',
            'Ú' | 'Ù' | 'Ü' | 'ú' | 'ù' | 'ü' => 'u',
            'Ñ' | 'ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        };
        if mapped == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(mapped);
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_spaces_and_case_are_folded() {
        assert_eq!(normalize("  la  Paz "), "LA PAZ");
        assert_eq!(normalize("CR. COLON"), "CR. COLON");
        assert_eq!(normalize("BOSTON."), "BOSTON");
    }

    #[test]
    fn display_names_read_like_spanish_titles() {
        assert_eq!(display_name("LOS ALCAZARES"), "Los Alcazares");
        assert_eq!(display_name("13 DE JUNIO"), "13 de Junio");
        assert_eq!(display_name("JUAN XXIII"), "Juan XXIII");
        assert_eq!(display_name("EL REPOSO"), "El Reposo");
        assert_eq!(display_name("VILLA DEL RIO"), "Villa del Rio");
    }

    #[test]
    fn long_names_and_control_characters_are_refused_and_shown_safely() {
        assert_eq!(refusal("name", "Los Alcázares"), None);
        assert_eq!(refusal("name", &"a".repeat(MAX_NAME_CHARS)), None);
        let long = "a".repeat(10_000);
        assert!(refusal("name", &long).is_some_and(|r| r.contains("10000 characters")));
        assert!(refusal("name", "LA\0PAZ").is_some_and(|r| r.contains("control")));
        assert_eq!(for_report("LA\0PAZ"), "LA\u{fffd}PAZ");
        assert_eq!(for_report(&long).chars().count(), 61);
    }

    #[test]
    fn codes_are_url_safe() {
        assert_eq!(code("VILLA OLÍMPICA"), "villa-olimpica");
        assert_eq!(code("CR. COLON"), "cr-colon");
        assert_eq!(code("13 DE JUNIO"), "13-de-junio");
        assert_eq!(code("PEÑA"), "pena");
    }
}
