//! Which barrio of the city a file's row names: by its code, then by its name folded
//! (accents, case, punctuation), then by its code made from the name, then by its name without
//! words such as "barrio", "urbanización" or "sector" and without spaces. Never a guess: a
//! name that fits two barrios equally is ambiguous.

use std::collections::HashMap;

use app::model::balance::indicador::fold_name;

use crate::import::names;

/// A barrio of the city, as the check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarrioRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// How a name matched, by index into the city's barrios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coincidencia {
    /// By code, or by a name written as the barrio's (case and spaces aside).
    Exacta(usize),
    /// By a name spelt otherwise: a report lists it, so someone can check it.
    Aproximada(usize),
    Ambigua(Vec<usize>),
    Ninguna,
}

/// Words that say what kind of place a barrio is, often added or left out in files.
const KIND_WORDS: &[&str] = &[
    "barrio",
    "barrios",
    "b",
    "br",
    "bo",
    "urbanizacion",
    "urbanizaciones",
    "urb",
    "sector",
    "conjunto",
    "conj",
    "residencial",
    "ciudadela",
    "cdla",
];

/// The name without words of kind and without spaces: "Urb. Bastidas" and "BASTIDAS" alike.
fn loose(name: &str) -> String {
    fold_name(name).split(' ').filter(|w| !KIND_WORDS.contains(w)).collect()
}

/// Case and spaces aside, whether a name is written as the barrio's.
fn same_spelling(written: &str, name: &str) -> bool {
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    key(written) == key(name)
}

pub struct Indice<'a> {
    barrios: &'a [BarrioRef],
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_loose: HashMap<String, Vec<usize>>,
}

impl<'a> Indice<'a> {
    pub fn new(barrios: &'a [BarrioRef]) -> Indice<'a> {
        let mut index = Indice { barrios, by_code: HashMap::new(), by_name: HashMap::new(), by_loose: HashMap::new() };
        for (i, b) in barrios.iter().enumerate() {
            index.by_code.entry(b.code.to_lowercase()).or_insert(i);
            index.by_name.entry(fold_name(&b.name)).or_default().push(i);
            let key = loose(&b.name);
            if !key.is_empty() {
                index.by_loose.entry(key).or_default().push(i);
            }
        }
        index
    }

    pub fn barrio(&self, i: usize) -> &BarrioRef {
        &self.barrios[i]
    }

    /// The barrio a row names by `codigo` and/or `nombre` (either may be empty).
    pub fn buscar(&self, codigo: &str, nombre: &str) -> Coincidencia {
        let (codigo, nombre) = (codigo.trim(), nombre.trim());
        if let Some(&i) = (!codigo.is_empty()).then(|| self.by_code.get(&codigo.to_lowercase())).flatten() {
            return Coincidencia::Exacta(i);
        }
        if nombre.is_empty() {
            return Coincidencia::Ninguna;
        }
        let found = |i: usize| {
            if same_spelling(nombre, &self.barrios[i].name) {
                Coincidencia::Exacta(i)
            } else {
                Coincidencia::Aproximada(i)
            }
        };
        let many = |candidates: &[usize]| match candidates {
            [i] => found(*i),
            _ => Coincidencia::Ambigua(candidates.to_vec()),
        };
        if let Some(candidates) = self.by_name.get(&fold_name(nombre)) {
            return many(candidates);
        }
        // Codes are made from the names as the source spelt them ("ca-averal" from a garbled
        // "CA├ÆAVERAL"), so a file spelling it the same way finds it.
        if let Some(&i) = self.by_code.get(&names::code(&names::normalize(nombre))) {
            return found(i);
        }
        match self.by_loose.get(&loose(nombre)) {
            Some(candidates) => many(candidates),
            None => Coincidencia::Ninguna,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city() -> Vec<BarrioRef> {
        [
            (1, "pescaito", "Pescaíto"),
            (2, "bastidas", "Bastidas"),
            (3, "bella-vista", "Bella Vista"),
            (4, "bellavista", "Bellavista"),
            (5, "ca-averal", "Cañaveral"),
            (6, "urbanizacion-el-rio", "Urbanización El Río"),
        ]
        .into_iter()
        .map(|(id, code, name)| BarrioRef { id, code: code.into(), name: name.into() })
        .collect()
    }

    #[test]
    fn names_match_by_code_folded_name_and_forgiving_rule() {
        let barrios = city();
        let index = Indice::new(&barrios);
        assert_eq!(index.buscar("bastidas", ""), Coincidencia::Exacta(1), "by code");
        assert_eq!(index.buscar("BASTIDAS", "otro nombre"), Coincidencia::Exacta(1), "the code wins over the name");
        assert_eq!(index.buscar("", "  BASTIDAS "), Coincidencia::Exacta(1), "case and spaces are no difference");
        assert_eq!(index.buscar("47001-0101", "Bastidas"), Coincidencia::Exacta(1), "an unknown code falls back to the name");
        assert_eq!(index.buscar("", "PESCAITO"), Coincidencia::Aproximada(0), "accents are");
        assert_eq!(index.buscar("", "Urb. Bastidas"), Coincidencia::Aproximada(1));
        assert_eq!(index.buscar("", "Barrio Pescaíto"), Coincidencia::Aproximada(0));
        assert_eq!(index.buscar("", "CA├ÆAVERAL"), Coincidencia::Aproximada(4), "the garbled source spelling, by its code");
        assert_eq!(index.buscar("", "El Rio"), Coincidencia::Aproximada(5));
        assert_eq!(index.buscar("", "bella vista"), Coincidencia::Exacta(2));
        assert_eq!(index.buscar("", "Barrio Bellavista"), Coincidencia::Ambigua(vec![2, 3]), "never a guess between two");
        assert_eq!(index.buscar("", "Gaira"), Coincidencia::Ninguna);
        assert_eq!(index.buscar("999", ""), Coincidencia::Ninguna);
        assert_eq!(index.buscar("", ""), Coincidencia::Ninguna);
    }

    #[test]
    fn two_barrios_of_one_name_are_ambiguous() {
        let mut barrios = city();
        barrios.push(BarrioRef { id: 7, code: "bastidas-2".into(), name: "BASTIDAS".into() });
        let index = Indice::new(&barrios);
        assert_eq!(index.buscar("", "Bastidas"), Coincidencia::Ambigua(vec![1, 6]));
        assert_eq!(index.buscar("bastidas-2", "Bastidas"), Coincidencia::Exacta(6), "the code tells them apart");
    }
}
