//! A city's current imported rows turned into what the index reads, per cuatrimestre: each
//! barrio's value of each indicator (the cuatrimestre's own row; else its months, added up for
//! counts and averaged for anything else) and its population (the row of the cuatrimestre's
//! year, else of the latest year before it). Each period remembers the imports it came from.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use app::model::balance::calculo::Datos;
use app::model::balance::indicador::{Indicador, Unidad, POBLACION};
use app::model::balance::periodo::{Periodo, PeriodoDato};
use uuid::Uuid;

use crate::store::ValorVigente;

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Origen {
    importacion: Uuid,
    ejemplo: bool,
}

/// One barrio's one indicator in one cuatrimestre, as imported.
#[derive(Debug, Default)]
struct Celda {
    /// The cuatrimestre's own row: it wins over the months.
    cuatrimestre: Option<(f64, Origen)>,
    /// Month rows, by month.
    meses: BTreeMap<u8, (f64, Origen)>,
}

/// A cuatrimestre's inputs with the imports they came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agregado {
    pub datos: Datos,
    pub importaciones: BTreeSet<Uuid>,
    /// Some figure comes from generated demo data.
    pub ejemplo: bool,
}

impl Agregado {
    fn usa(&mut self, origen: Origen) {
        self.importaciones.insert(origen.importacion);
        self.ejemplo |= origen.ejemplo;
    }
}

/// Every cuatrimestre's rows of the indicators a definition reads, ready to aggregate.
#[derive(Debug, Default)]
pub struct Series {
    celdas: BTreeMap<Periodo, HashMap<(i64, String), Celda>>,
    /// Per barrio, per year.
    poblacion: HashMap<i64, BTreeMap<u16, (f64, Origen)>>,
    /// The indicators whose months add up (counts).
    casos: BTreeSet<String>,
}

impl Series {
    /// The rows of `indicadores` (population too when `con_poblacion`) among `rows`, sorted by
    /// period. Rows of other indicators, of a period code no import writes, or giving an
    /// indicator for a whole year (only population comes that way) are left out. One pass.
    pub fn new(rows: &[ValorVigente], catalogo: &[Indicador], indicadores: &BTreeSet<String>, con_poblacion: bool) -> Series {
        let casos =
            catalogo.iter().filter(|i| i.unidad == Unidad::Casos && indicadores.contains(&i.code)).map(|i| i.code.clone()).collect();
        let mut series = Series { casos, ..Series::default() };
        for row in rows {
            let origen = Origen { importacion: row.importacion, ejemplo: row.ejemplo };
            let dato = row.periodo;
            if row.indicador == POBLACION {
                if let (true, PeriodoDato::Anio { anio }) = (con_poblacion, dato) {
                    series.poblacion.entry(row.barrio_id).or_default().insert(anio, (row.valor, origen));
                }
                continue;
            }
            if !indicadores.contains(&row.indicador) {
                continue;
            }
            let Some(periodo) = dato.periodo() else { continue };
            let celda = series.celdas.entry(periodo).or_default().entry((row.barrio_id, row.indicador.clone())).or_default();
            match dato {
                PeriodoDato::Cuatrimestre { .. } => celda.cuatrimestre = Some((row.valor, origen)),
                PeriodoDato::Mes { mes, .. } => {
                    celda.meses.insert(mes, (row.valor, origen));
                }
                PeriodoDato::Anio { .. } => {}
            }
        }
        series
    }

    /// The cuatrimestres that have data, newest first.
    pub fn periodos(&self) -> Vec<Periodo> {
        self.celdas.keys().rev().copied().collect()
    }

    /// The inputs of `periodo` for the city's `barrios` (each gets a row, empty when the
    /// imports name it not: its counts are then 0 where the period has the indicator), or
    /// `None` when the period has no data. Rows of barrios not in the list are left out.
    pub fn agregado(&self, periodo: Periodo, barrios: &BTreeSet<i64>) -> Option<Agregado> {
        let celdas = self.celdas.get(&periodo)?;
        let mut out = Agregado::default();
        for id in barrios {
            out.datos.valores.insert(*id, BTreeMap::new());
        }
        for ((barrio_id, indicador), celda) in celdas {
            if !barrios.contains(barrio_id) {
                continue;
            }
            let valor = match celda.cuatrimestre {
                Some((valor, origen)) => {
                    out.usa(origen);
                    valor
                }
                None if celda.meses.is_empty() => continue,
                None => {
                    celda.meses.values().for_each(|(_, origen)| out.usa(*origen));
                    let sum: f64 = celda.meses.values().map(|(v, _)| v).sum();
                    if self.casos.contains(indicador) {
                        sum
                    } else {
                        sum / celda.meses.len() as f64
                    }
                }
            };
            if let Some(fila) = out.datos.valores.get_mut(barrio_id) {
                fila.insert(indicador.clone(), valor);
            }
        }
        for id in barrios {
            let latest = self.poblacion.get(id).and_then(|years| years.range(..=periodo.anio).next_back());
            if let Some((_, (valor, origen))) = latest {
                out.datos.poblacion.insert(*id, *valor);
                out.usa(*origen);
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::balance::indicador::Direccion;

    fn indicador(code: &str, unidad: Unidad) -> Indicador {
        Indicador {
            code: code.into(),
            nombre: code.into(),
            unidad,
            direccion: Direccion::MayorEsPeor,
            descripcion: String::new(),
            fuente: String::new(),
            activo: true,
            version: 1,
            updated_at_ms: 0,
            updated_by: "prueba".into(),
        }
    }

    fn row(periodo: &str, barrio_id: i64, indicador: &str, valor: f64, import: u128) -> ValorVigente {
        ValorVigente {
            periodo: crate::indicadores::periods::periodo_de_codigo(periodo).expect("period code"),
            barrio_id,
            indicador: indicador.into(),
            valor,
            importacion: Uuid::from_u128(import),
            ejemplo: import >= 100,
        }
    }

    fn p(anio: u16, c: u8) -> Periodo {
        Periodo::new(anio, c).expect("period")
    }

    #[test]
    fn a_cuatrimestre_row_wins_months_add_up_or_average_and_population_carries_forward() {
        let catalogo = [indicador("hurtos", Unidad::Casos), indicador("percepcion", Unidad::Puntaje)];
        let rows = vec![
            row("2026-09", 1, "hurtos", 2.0, 1),
            row("2026-10", 1, "hurtos", 3.0, 2),
            row("2026-09", 1, "percepcion", 60.0, 1),
            row("2026-10", 1, "percepcion", 70.0, 2),
            // Barrio 2 has the cuatrimestre's own row and months too: the row wins.
            row("2026-C3", 2, "hurtos", 10.0, 3),
            row("2026-11", 2, "hurtos", 99.0, 2),
            row("2025", 1, POBLACION, 12_000.0, 4),
            row("2024", 1, POBLACION, 11_000.0, 4),
            row("2027", 1, POBLACION, 13_000.0, 5),
            row("2026", 2, POBLACION, 8_000.0, 100),
            // Not read: another indicator, a year of an indicator, another city's barrio.
            row("2026-C3", 1, "otro", 5.0, 6),
            row("2026", 1, "hurtos", 50.0, 7),
            row("2026-C3", 99, "hurtos", 5.0, 8),
            row("2025-C1", 1, "hurtos", 1.0, 9),
        ];
        let indicadores: BTreeSet<String> = ["hurtos", "percepcion"].map(String::from).into();
        let series = Series::new(&rows, &catalogo, &indicadores, true);
        assert_eq!(series.periodos(), vec![p(2026, 3), p(2025, 1)]);
        let city: BTreeSet<i64> = [1, 2, 3].into();
        let a = series.agregado(p(2026, 3), &city).expect("data");
        assert_eq!(a.datos.valores[&1]["hurtos"], 5.0, "counts add up");
        assert_eq!(a.datos.valores[&1]["percepcion"], 65.0, "scores average");
        assert_eq!(a.datos.valores[&2]["hurtos"], 10.0, "the cuatrimestre's own row wins");
        assert!(a.datos.valores[&3].is_empty() && !a.datos.valores.contains_key(&99));
        assert_eq!(a.datos.poblacion.get(&1), Some(&12_000.0), "2026 has none: 2025's, not 2027's");
        assert_eq!(a.datos.poblacion.get(&2), Some(&8_000.0));
        assert_eq!(a.importaciones, [1, 2, 3, 4, 100].map(Uuid::from_u128).into());
        assert!(a.ejemplo, "barrio 2's population is demo data");
        let older = series.agregado(p(2025, 1), &city).expect("data");
        assert_eq!((older.datos.poblacion.get(&1), older.ejemplo), (Some(&12_000.0), false));
        assert!(series.agregado(p(2026, 2), &city).is_none());
        let no_rates = Series::new(&rows, &catalogo, &indicadores, false);
        assert!(no_rates.agregado(p(2026, 3), &city).expect("data").datos.poblacion.is_empty());
    }
}
