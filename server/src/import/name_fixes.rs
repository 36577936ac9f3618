//! The reviewed corrections of Santa Marta's barrio names (`server/seed/santa-marta-names.tsv`):
//! applied when the seed is derived and loaded, when Santa Marta's source is imported, and once
//! to databases seeded before the table existed. Display names only: codes never change.

use std::sync::OnceLock;

use app::model::SANTA_MARTA_MUNICIPIO;

use super::DissolvedBarrio;

/// The table, compiled in so every binary applies the same reviewed names.
pub const SANTA_MARTA_NAMES: &str = include_str!("../../seed/santa-marta-names.tsv");

/// One row of the table: the normalised source name, the name to show, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFix {
    pub source_name: String,
    pub name: String,
    pub why: String,
}

/// Reads the table: `#` lines are comments, the first other line is the header, then one
/// tab-separated row per barrio. A source name listed twice is refused: which row wins would
/// depend on the order.
pub fn parse(tsv: &str) -> Result<Vec<NameFix>, String> {
    let mut rows = tsv.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    match rows.next() {
        Some((_, header)) if header == "source_name\tname\twhy" => {}
        _ => return Err("the first row must be the header source_name, name, why".into()),
    }
    let mut fixes: Vec<NameFix> = Vec::new();
    for (i, line) in rows {
        let fields: Vec<&str> = line.split('\t').collect();
        let &[source_name, name, why] = fields.as_slice() else {
            return Err(format!("line {}: expected 3 tab-separated fields, found {}", i + 1, fields.len()));
        };
        if name.trim().is_empty() || name != name.trim() {
            return Err(format!("line {}: the name is empty or has spaces around it", i + 1));
        }
        if fixes.iter().any(|f| f.source_name == source_name) {
            return Err(format!("line {}: {source_name} is listed twice", i + 1));
        }
        fixes.push(NameFix { source_name: source_name.into(), name: name.into(), why: why.into() });
    }
    Ok(fixes)
}

fn santa_marta() -> &'static [NameFix] {
    static TABLE: OnceLock<Vec<NameFix>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is compiled in and a unit test parses it, so this only guards a bad edit
        // from taking the server down: names then stay as the source spells them.
        parse(SANTA_MARTA_NAMES).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the barrio name table cannot be read; names stay as in the source");
            Vec::new()
        })
    })
}

/// The reviewed display name of a barrio of `municipio` whose normalised source name is
/// `source_name`, when the table corrects it. The table is Santa Marta's: another city's
/// "SAN JOSE" may be spelt otherwise there.
pub fn corrected(municipio: &str, source_name: &str) -> Option<&'static str> {
    if municipio != SANTA_MARTA_MUNICIPIO {
        return None;
    }
    santa_marta().iter().find(|f| f.source_name == source_name).map(|f| f.name.as_str())
}

/// Gives dissolved barrios of `municipio` their reviewed names; codes stay.
pub fn apply(municipio: &str, barrios: &mut [DissolvedBarrio]) {
    for b in barrios {
        if let Some(name) = corrected(municipio, &b.source_name) {
            b.name = name.to_string();
        }
    }
}

/// Whether a name holds characters no barrio name has, the trace of text decoded with the
/// wrong code page (box-drawing letters from code page 437, "Ã"/"Â" from Latin-1, or the
/// replacement character): an import reports such names so someone adds them to the table.
pub fn looks_garbled(name: &str) -> bool {
    name.chars().any(|c| matches!(c, '\u{2500}'..='\u{259f}' | 'Ã' | 'Â' | 'ã' | '\u{fffd}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::names;

    fn seed() -> Vec<(String, String, String)> {
        let fc: serde_json::Value = serde_json::from_str(crate::seed::SANTA_MARTA).unwrap();
        fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let p = &f["properties"];
                let s = |k: &str| p[k].as_str().unwrap().to_string();
                (s("code"), s("source_name"), s("name"))
            })
            .collect()
    }

    #[test]
    fn the_table_reads_and_every_row_names_a_barrio_of_the_seed() {
        let fixes = parse(SANTA_MARTA_NAMES).unwrap();
        assert!(fixes.len() >= 70, "{}", fixes.len());
        let sources: Vec<String> = seed().into_iter().map(|(_, s, _)| s).collect();
        for f in &fixes {
            assert!(sources.contains(&f.source_name), "{} is no source name of the seed", f.source_name);
            assert!(!f.why.is_empty(), "{} says why", f.source_name);
            assert!(!looks_garbled(&f.name), "{}", f.name);
        }
    }

    #[test]
    fn the_garbled_and_unaccented_names_of_the_issue_are_repaired() {
        for (source, name) in [
            ("CA├ÆAVERAL", "Cañaveral"),
            ("DIVINO NI├ÆO", "Divino Niño"),
            ("EL PI├ÆON", "El Piñón"),
            ("INVASI├ÔN", "Invasión"),
            ("NUEVA MANSI├ÔN", "Nueva Mansión"),
            ("UNIVERSIDAD ANTONIO NARI├ÆO", "Universidad Antonio Nariño"),
            ("PESCAITO", "Pescaíto"),
            ("CENTRO HISTORICO", "Centro Histórico"),
        ] {
            assert_eq!(corrected(SANTA_MARTA_MUNICIPIO, source), Some(name));
        }
        assert_eq!(corrected("08001", "PESCAITO"), None, "the table is Santa Marta's");
        assert_eq!(corrected(SANTA_MARTA_MUNICIPIO, "BASTIDAS"), None, "a right name is left alone");
    }

    #[test]
    fn no_name_of_the_seed_stays_garbled_and_codes_do_not_move() {
        for (code, source, name) in seed() {
            let shown = corrected(SANTA_MARTA_MUNICIPIO, &source).map(str::to_string).unwrap_or(name);
            assert!(!looks_garbled(&shown), "{code}: {shown}");
            // Codes come from the source name, never from the corrected one: databases,
            // devices and links that know `pescaito` keep finding it.
            assert_eq!(code, names::code(&source), "{code}");
        }
        let codes: Vec<String> = seed().into_iter().map(|(c, _, _)| c).collect();
        for kept in ["pescaito", "bastidas", "el-prado", "centro-historico", "ca-averal"] {
            assert!(codes.iter().any(|c| c == kept), "{kept}");
        }
    }

    #[test]
    fn words_that_take_an_accent_never_show_without_it() {
        // Spanish words of the source's names that always carry an accent: a later source
        // file bringing a new barrio with one of them fails here until the table has it.
        const ACCENTED: &[&str] = &[
            "Maria", "Jose", "Rio", "Simon", "Bolivar", "Lopez", "Jardin", "Urbanizacion", "Historico", "Lucia", "Monica",
            "Martin", "Ramon", "Angeles", "Americas", "Concepcion", "Paraiso", "Pescaito", "Bahia", "Batallon", "Infanteria",
            "Cordoba", "Libano", "Trebol", "Junin", "Teneria", "Alcazares", "Galan", "Rosalia", "Electrica", "Olimpica",
            "Publico", "Bilingue", "Colon", "Mansion", "Invasion", "Piñon",
        ];
        for (code, source, name) in seed() {
            let shown = corrected(SANTA_MARTA_MUNICIPIO, &source).map(str::to_string).unwrap_or(name);
            for word in shown.split(|c: char| c == ' ' || c == '-' || c == '(' || c == ')') {
                assert!(!ACCENTED.contains(&word), "{code}: \"{shown}\" has {word} without its accent");
            }
        }
    }

    #[test]
    fn a_bad_table_is_refused_with_its_line() {
        assert!(parse("name\tsource_name\twhy\n").is_err());
        let twice = "source_name\tname\twhy\nPESCAITO\tPescaíto\ttilde\nPESCAITO\tPescaito\ttilde\n";
        assert!(parse(twice).unwrap_err().contains("twice"));
        assert!(parse("source_name\tname\twhy\nPESCAITO\tPescaíto\n").unwrap_err().contains("line 2"));
    }

    #[test]
    fn mojibake_is_told_from_spanish_letters() {
        assert!(looks_garbled("Ca├æaveral"));
        assert!(looks_garbled("CaÃ±averal"));
        assert!(!looks_garbled("Cañaveral · Ñ Á É Í Ó Ú Ü ñ"));
    }
}
