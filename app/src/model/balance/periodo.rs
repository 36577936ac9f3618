//! The balance's unit of time, the cuatrimestre (January–April, May–August,
//! September–December), and the periods an import row may name: a cuatrimestre, a month, or a
//! year (population only).

use serde::{Deserialize, Serialize};

/// A cuatrimestre of a year. On the wire and in URLs: `"2026-C3"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Periodo {
    pub anio: u16,
    /// 1 to 3.
    pub cuatrimestre: u8,
}

/// What one import row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum PeriodoDato {
    /// A whole year: only population is given this way.
    Anio { anio: u16 },
    Cuatrimestre { periodo: Periodo },
    /// A month, 1–12: its values are added up (cases) or averaged (rates) into its cuatrimestre.
    Mes { anio: u16, mes: u8 },
}

const MESES: [&str; 12] = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

impl Periodo {
    /// Years an import may name: the Observatorio's series start in the 2000s.
    pub const FIRST_YEAR: u16 = 2000;
    pub const LAST_YEAR: u16 = 2100;

    pub fn new(anio: u16, cuatrimestre: u8) -> Option<Periodo> {
        ((Self::FIRST_YEAR..=Self::LAST_YEAR).contains(&anio) && (1..=3).contains(&cuatrimestre)).then_some(Periodo { anio, cuatrimestre })
    }

    /// The cuatrimestre month `mes` (1–12) falls in.
    pub fn of_month(anio: u16, mes: u8) -> Option<Periodo> {
        (1..=12).contains(&mes).then(|| Periodo::new(anio, (mes - 1) / 4 + 1)).flatten()
    }

    /// The cuatrimestre a moment (milliseconds since 1970) falls in, in Colombia.
    pub fn of_ms(ms: i64) -> Periodo {
        let (date, _) = crate::model::workshop::colombia_date_time(ms);
        let year = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(Self::FIRST_YEAR);
        let month = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
        Periodo::of_month(year, month).unwrap_or(Periodo { anio: Self::FIRST_YEAR, cuatrimestre: 1 })
    }

    pub fn anterior(self) -> Periodo {
        if self.cuatrimestre == 1 {
            Periodo { anio: self.anio - 1, cuatrimestre: 3 }
        } else {
            Periodo { anio: self.anio, cuatrimestre: self.cuatrimestre - 1 }
        }
    }

    pub fn siguiente(self) -> Periodo {
        if self.cuatrimestre == 3 {
            Periodo { anio: self.anio + 1, cuatrimestre: 1 }
        } else {
            Periodo { anio: self.anio, cuatrimestre: self.cuatrimestre + 1 }
        }
    }

    /// The same cuatrimestre a year earlier.
    pub fn un_anio_antes(self) -> Periodo {
        Periodo { anio: self.anio - 1, cuatrimestre: self.cuatrimestre }
    }

    /// Months 1–12 of the cuatrimestre.
    pub fn meses(self) -> std::ops::RangeInclusive<u8> {
        let first = (self.cuatrimestre - 1) * 4 + 1;
        first..=first + 3
    }

    /// `"2026-C3"`.
    pub fn code(self) -> String {
        format!("{}-C{}", self.anio, self.cuatrimestre)
    }

    /// Reads [`Periodo::code`] back.
    pub fn parse(code: &str) -> Option<Periodo> {
        let (anio, c) = code.trim().split_once(['-', ' '])?;
        let c = c.trim().strip_prefix(['C', 'c'])?;
        Periodo::new(anio.trim().parse().ok()?, c.parse().ok()?)
    }

    /// "cuatrimestre 3 de 2026".
    pub fn label_es(self) -> String {
        format!("cuatrimestre {} de {}", self.cuatrimestre, self.anio)
    }

    /// "septiembre a diciembre de 2026".
    pub fn meses_es(self) -> String {
        let m = self.meses();
        format!("{} a {} de {}", MESES[usize::from(*m.start() - 1)], MESES[usize::from(*m.end() - 1)], self.anio)
    }
}

/// A month's Spanish name, 1–12.
pub fn mes_es(mes: u8) -> Option<&'static str> {
    MESES.get(usize::from(mes).checked_sub(1)?).copied()
}

impl Serialize for Periodo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Periodo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Periodo, D::Error> {
        let text = String::deserialize(d)?;
        Periodo::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a cuatrimestre like 2026-C3: {text}")))
    }
}

impl PeriodoDato {
    /// The cuatrimestre the row counts for (`None` for a whole year).
    pub fn periodo(self) -> Option<Periodo> {
        match self {
            PeriodoDato::Anio { .. } => None,
            PeriodoDato::Cuatrimestre { periodo } => Some(periodo),
            PeriodoDato::Mes { anio, mes } => Periodo::of_month(anio, mes),
        }
    }

    pub fn anio(self) -> u16 {
        match self {
            PeriodoDato::Anio { anio } | PeriodoDato::Mes { anio, .. } => anio,
            PeriodoDato::Cuatrimestre { periodo } => periodo.anio,
        }
    }

    /// What an import replaces as a unit: `"2026"`, `"2026-C3"` or `"2026-09"`.
    pub fn code(self) -> String {
        match self {
            PeriodoDato::Anio { anio } => anio.to_string(),
            PeriodoDato::Cuatrimestre { periodo } => periodo.code(),
            PeriodoDato::Mes { anio, mes } => format!("{anio}-{mes:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(anio: u16, c: u8) -> Periodo {
        Periodo::new(anio, c).expect("a cuatrimestre")
    }

    #[test]
    fn neighbours_cross_the_year() {
        assert_eq!(p(2026, 1).anterior(), p(2025, 3));
        assert_eq!(p(2026, 3).anterior(), p(2026, 2));
        assert_eq!(p(2026, 3).siguiente(), p(2027, 1));
        assert_eq!(p(2026, 1).siguiente(), p(2026, 2));
        assert_eq!(p(2026, 2).un_anio_antes(), p(2025, 2));
        for period in [p(2000, 1), p(2026, 2), p(2099, 3)] {
            assert_eq!(period.siguiente().anterior(), period);
            assert_eq!(period.anterior().anterior().anterior(), period.un_anio_antes());
        }
        assert!(p(2025, 3) < p(2026, 1), "ordered by year, then cuatrimestre");
    }

    #[test]
    fn months_fall_in_their_cuatrimestre() {
        let of = |m| Periodo::of_month(2026, m).map(|p| p.cuatrimestre);
        assert_eq!((1..=12).map(of).collect::<Vec<_>>(), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3].map(Some));
        assert_eq!((of(0), of(13)), (None, None));
        assert_eq!(Periodo::of_month(1999, 5), None, "before the first year");
        assert_eq!(p(2026, 2).meses(), 5..=8);
        assert_eq!(p(2026, 3).meses_es(), "septiembre a diciembre de 2026");
        assert_eq!((mes_es(9), mes_es(0), mes_es(13)), (Some("septiembre"), None, None));
        // 2026-09-01 00:30 in Colombia is still 2026-09-01 05:30 UTC.
        assert_eq!(Periodo::of_ms(1_788_241_800_000), p(2026, 3));
    }

    #[test]
    fn codes_read_back_and_travel_as_text() {
        assert_eq!(p(2026, 3).code(), "2026-C3");
        assert_eq!(Periodo::parse("2026-C3"), Some(p(2026, 3)));
        assert_eq!(Periodo::parse(" 2026 c1 "), Some(p(2026, 1)));
        for bad in ["2026-C4", "2026-C0", "1999-C1", "2026", "2026-3", "C3-2026", "", "2026-C"] {
            assert_eq!(Periodo::parse(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&p(2026, 2)).expect("json");
        assert_eq!(json, "\"2026-C2\"");
        assert_eq!(serde_json::from_str::<Periodo>(&json).expect("back"), p(2026, 2));
        assert!(serde_json::from_str::<Periodo>("\"2026-C9\"").is_err());
        let dato = PeriodoDato::Mes { anio: 2026, mes: 9 };
        assert_eq!((dato.code(), dato.periodo(), dato.anio()), ("2026-09".to_string(), Some(p(2026, 3)), 2026));
        assert_eq!(PeriodoDato::Anio { anio: 2026 }.periodo(), None);
        let back: PeriodoDato = serde_json::from_str(&serde_json::to_string(&dato).expect("json")).expect("back");
        assert_eq!(back, dato);
    }
}
