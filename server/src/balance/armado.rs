//! The balance of a city for one cuatrimestre: the index of the period, of the one before, of
//! the same one a year earlier and of the trend, all under one definition and against the same
//! reference, with each barrio's class on the map and its place on the ruta.

use std::collections::{BTreeSet, HashMap};

use app::model::balance::calculo::{calcular, Calculo, Puntaje};
use app::model::balance::indicador::Indicador;
use app::model::balance::informe::{clase, cortes_cuantiles, Balance, FilaBalance, CLASES, TENDENCIA};
use app::model::balance::iscb::DefinicionIscb;
use app::model::balance::periodo::Periodo;

use super::datos::{Agregado, Series};
use super::BalanceRefusal;
use crate::store::ValorVigente;

/// A barrio of the city as the balance lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct BarrioBalance {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub comuna: Option<String>,
    /// The step of its open ciclo.
    pub paso: Option<u8>,
    /// Requests to enter the ruta not decided yet.
    pub inscripciones: u32,
}

/// What a balance is made from, as read from the store.
#[derive(Debug, Clone, Copy)]
pub struct Entrada<'a> {
    pub municipio: &'a str,
    pub definicion: &'a DefinicionIscb,
    /// Every catalogue entry (their latest versions).
    pub catalogo: &'a [Indicador],
    /// The city's current imported rows.
    pub valores: &'a [ValorVigente],
    /// Every barrio of the city.
    pub barrios: &'a [BarrioBalance],
    /// `None`: the newest cuatrimestre with data.
    pub periodo: Option<Periodo>,
    pub generado_ms: i64,
}

/// The cuatrimestres of the trend ending at `periodo`, oldest first.
pub fn periodos_tendencia(periodo: Periodo) -> Vec<Periodo> {
    let mut periodos: Vec<Periodo> = std::iter::successors(Some(periodo), |p| Some(p.anterior())).take(TENDENCIA).collect();
    periodos.reverse();
    periodos
}

/// The balance of `entrada.periodo` (the newest with data when `None`). Refused when the city
/// has no data, the period has none, or the definition's reference period has none. Every
/// barrio of the city has a line: those the index could not be computed for say why, last.
/// Linear in the rows plus, per cuatrimestre of the trend, barrios × components and a sort.
pub fn armar(entrada: Entrada<'_>) -> Result<Balance, BalanceRefusal> {
    let Entrada { municipio, definicion, catalogo, valores, barrios, periodo, generado_ms } = entrada;
    let draft = &definicion.draft;
    let indicadores: BTreeSet<String> = draft.componentes.iter().map(|c| c.indicador.clone()).collect();
    let series = Series::new(valores, catalogo, &indicadores, draft.por_10k);
    let periodos = series.periodos();
    let Some(newest) = periodos.first().copied() else {
        return Err(BalanceRefusal::NoData(Some(municipio.to_string())));
    };
    let periodo = periodo.unwrap_or(newest);
    let ids: BTreeSet<i64> = barrios.iter().map(|b| b.id).collect();
    let referencia = match draft.periodo_referencia {
        Some(r) => {
            Some((r, series.agregado(r, &ids).ok_or(BalanceRefusal::ReferenceWithoutData { version: definicion.version, periodo: r })?))
        }
        None => None,
    };
    let tendencia = periodos_tendencia(periodo);
    let agregados: Vec<Option<Agregado>> = tendencia.iter().map(|q| series.agregado(*q, &ids)).collect();
    let calculos: Vec<Option<Calculo>> = tendencia
        .iter()
        .zip(&agregados)
        .map(|(q, agregado)| {
            // A period is its own reference: the reference's data only for the others.
            let contra = referencia.as_ref().filter(|(r, _)| r != q).map(|(_, a)| &a.datos);
            agregado.as_ref().map(|a| calcular(definicion, catalogo, *q, &a.datos, contra))
        })
        .collect();
    let (Some(Some(actual)), Some(Some(datos))) = (calculos.last(), agregados.last()) else {
        return Err(BalanceRefusal::NoPeriodData { municipio: municipio.to_string(), periodo });
    };
    let usados: Vec<&Agregado> = agregados.iter().flatten().chain(referencia.as_ref().map(|(_, a)| a)).collect();
    let por_barrio: Vec<HashMap<i64, &Puntaje>> =
        calculos.iter().map(|c| c.iter().flat_map(|c| &c.puntajes).map(|p| (p.barrio_id, p)).collect()).collect();
    let en = |periodo: Periodo| tendencia.iter().position(|q| *q == periodo).map(|i| &por_barrio[i]);
    let (anterior, anual, ahora) = (en(periodo.anterior()), en(periodo.un_anio_antes()), en(periodo));
    let indices: Vec<f64> = actual.puntajes.iter().map(|p| p.indice).collect();
    let cortes = cortes_cuantiles(&indices, CLASES);
    let sin_indice: HashMap<i64, _> = actual.sin_indice.iter().cloned().collect();
    // The population shown is the one rates were computed with.
    let poblacion = draft.por_10k.then_some(&datos.datos.poblacion);
    let mut filas: Vec<FilaBalance> = barrios
        .iter()
        .map(|b| {
            let puntaje = ahora.and_then(|m| m.get(&b.id));
            let indice = puntaje.map(|p| p.indice);
            let cambio = |otro: Option<&HashMap<i64, &Puntaje>>| Some(indice? - otro?.get(&b.id)?.indice);
            FilaBalance {
                barrio_id: b.id,
                code: b.code.clone(),
                name: b.name.clone(),
                comuna: b.comuna.clone(),
                indice,
                puesto: puntaje.map(|p| p.puesto),
                clase: indice.map(|i| clase(i, &cortes)),
                cambio_anterior: cambio(anterior),
                cambio_anual: cambio(anual),
                puesto_anterior: anterior.and_then(|m| m.get(&b.id)).map(|p| p.puesto),
                tendencia: por_barrio.iter().map(|m| m.get(&b.id).map(|p| p.indice)).collect(),
                aportes: puntaje.map(|p| p.aportes.clone()).unwrap_or_default(),
                sin_indice: sin_indice.get(&b.id).cloned(),
                poblacion: poblacion.and_then(|p| p.get(&b.id)).copied(),
                paso: b.paso,
                inscripciones: b.inscripciones,
            }
        })
        .collect();
    filas.sort_by(|a, b| match (a.puesto, b.puesto) {
        (Some(x), Some(y)) => x.cmp(&y).then(a.barrio_id.cmp(&b.barrio_id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.barrio_id.cmp(&b.barrio_id)),
    });
    let indicadores = draft.componentes.iter().filter_map(|c| catalogo.iter().find(|i| i.code == c.indicador).cloned()).collect();
    let importaciones: BTreeSet<uuid::Uuid> = usados.iter().flat_map(|a| a.importaciones.iter().copied()).collect();
    Ok(Balance {
        municipio: municipio.to_string(),
        periodo,
        definicion: definicion.clone(),
        indicadores,
        filas,
        cortes,
        periodos_tendencia: tendencia,
        periodos,
        ejemplo: usados.iter().any(|a| a.ejemplo),
        importaciones: importaciones.into_iter().collect(),
        generado_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::balance::calculo::SinIndice;
    use app::model::balance::indicador::{Direccion, Unidad, POBLACION};
    use app::model::balance::iscb::{Componente, DefinicionDraft, Normalizacion};
    use uuid::Uuid;

    fn catalogo() -> Vec<Indicador> {
        ["homicidios", "hurtos"]
            .map(|code| Indicador {
                code: code.into(),
                nombre: code.into(),
                unidad: Unidad::Casos,
                direccion: Direccion::MayorEsPeor,
                descripcion: String::new(),
                fuente: String::new(),
                activo: true,
                version: 1,
                updated_at_ms: 0,
                updated_by: "prueba".into(),
            })
            .to_vec()
    }

    fn definicion(por_10k: bool, referencia: Option<Periodo>) -> DefinicionIscb {
        DefinicionIscb {
            version: 2,
            draft: DefinicionDraft {
                componentes: vec![
                    Componente { indicador: "homicidios".into(), peso: 1.0 },
                    Componente { indicador: "hurtos".into(), peso: 1.0 },
                ],
                normalizacion: Normalizacion::MinMax,
                por_10k,
                periodo_referencia: referencia,
                nota: String::new(),
            },
            created_at_ms: 0,
            created_by: "prueba".into(),
        }
    }

    fn barrio(id: i64, name: &str) -> BarrioBalance {
        BarrioBalance { id, code: name.to_lowercase(), name: name.into(), comuna: None, paso: (id == 2).then_some(3), inscripciones: 0 }
    }

    fn v(periodo: &str, barrio_id: i64, indicador: &str, valor: f64, import: u128) -> ValorVigente {
        ValorVigente {
            periodo: crate::indicadores::periods::periodo_de_codigo(periodo).expect("period code"),
            barrio_id,
            indicador: indicador.into(),
            valor,
            importacion: Uuid::from_u128(import),
            ejemplo: import == 9,
        }
    }

    fn p(anio: u16, c: u8) -> Periodo {
        Periodo::new(anio, c).expect("period")
    }

    /// Three barrios with counts in 2026-C3 and 2026-C1 (not C2), and demo population.
    fn valores() -> Vec<ValorVigente> {
        vec![
            v("2026-C3", 1, "homicidios", 4.0, 1),
            v("2026-C3", 2, "homicidios", 2.0, 1),
            v("2026-C3", 1, "hurtos", 1.0, 1),
            v("2026-C3", 2, "hurtos", 3.0, 1),
            v("2026-C1", 1, "homicidios", 1.0, 2),
            v("2026-C1", 2, "hurtos", 1.0, 2),
            v("2026", 1, POBLACION, 1_000.0, 9),
            v("2026", 2, POBLACION, 1_000.0, 9),
        ]
    }

    fn entrada<'a>(
        definicion: &'a DefinicionIscb,
        catalogo: &'a [Indicador],
        valores: &'a [ValorVigente],
        barrios: &'a [BarrioBalance],
        periodo: Option<Periodo>,
    ) -> Entrada<'a> {
        Entrada { municipio: "47001", definicion, catalogo, valores, barrios, periodo, generado_ms: 7 }
    }

    #[test]
    fn every_barrio_has_a_line_and_the_trend_skips_periods_without_data() {
        let (def, cat, vals) = (definicion(false, None), catalogo(), valores());
        let barrios = [barrio(1, "Pescaíto"), barrio(2, "Bastidas"), barrio(3, "Taganga")];
        let b = armar(entrada(&def, &cat, &vals, &barrios, None)).expect("a balance");
        assert_eq!((b.periodo, b.periodos.clone()), (p(2026, 3), vec![p(2026, 3), p(2026, 1)]));
        assert_eq!(b.periodos_tendencia, vec![p(2025, 1), p(2025, 2), p(2025, 3), p(2026, 1), p(2026, 2), p(2026, 3)]);
        // 2026-C3: homicides 4, 2, 0 (Taganga has no row: 0) → n 1, 0.5, 0; thefts 1, 3, 0 →
        // n 1/3, 1, 0. Index = 50 (1 − n_h) + 50 (1 − n_u): 33.3, 25, 100.
        let order: Vec<(i64, Option<u32>)> = b.filas.iter().map(|f| (f.barrio_id, f.puesto)).collect();
        assert_eq!(order, vec![(2, Some(1)), (1, Some(2)), (3, Some(3))]);
        let bastidas = &b.filas[0];
        assert!((bastidas.indice.unwrap_or_default() - 25.0).abs() < 1e-9);
        assert_eq!((bastidas.paso, bastidas.poblacion), (Some(3), None), "no rates: no population shown");
        // No 2026-C2: no change against it, no previous place; the trend has 2026-C1.
        assert_eq!((bastidas.cambio_anterior, bastidas.puesto_anterior, bastidas.cambio_anual), (None, None, None));
        assert_eq!(bastidas.tendencia.iter().map(Option::is_some).collect::<Vec<_>>(), [false, false, false, true, false, true]);
        assert!(!b.ejemplo, "without rates the demo population is not used");
        assert_eq!(b.importaciones, vec![Uuid::from_u128(1), Uuid::from_u128(2)]);
        assert_eq!(b.generado_ms, 7);
    }

    #[test]
    fn rates_use_the_population_and_the_barrios_without_it_go_last() {
        let (def, cat, vals) = (definicion(true, None), catalogo(), valores());
        let barrios = [barrio(1, "Pescaíto"), barrio(3, "taganga"), barrio(2, "Bastidas"), barrio(4, "Aeropuerto")];
        let b = armar(entrada(&def, &cat, &vals, &barrios, Some(p(2026, 3)))).expect("a balance");
        assert!(b.ejemplo, "the population came from demo data");
        assert!(b.importaciones.contains(&Uuid::from_u128(9)));
        assert_eq!(b.filas[0].poblacion, Some(1_000.0));
        let last: Vec<(i64, Option<SinIndice>)> = b.filas[2..].iter().map(|f| (f.barrio_id, f.sin_indice.clone())).collect();
        assert_eq!(last, vec![(4, Some(SinIndice::SinPoblacion)), (3, Some(SinIndice::SinPoblacion))], "by name, without index");
        assert!(b.filas[2..].iter().all(|f| f.clase.is_none() && f.aportes.is_empty()));
    }

    #[test]
    fn a_fixed_reference_compares_every_period_with_it_and_must_have_data() {
        let (cat, vals) = (catalogo(), valores());
        let barrios = [barrio(1, "Pescaíto"), barrio(2, "Bastidas")];
        let missing = definicion(false, Some(p(2024, 1)));
        assert_eq!(
            armar(entrada(&missing, &cat, &vals, &barrios, None)),
            Err(BalanceRefusal::ReferenceWithoutData { version: 2, periodo: p(2024, 1) })
        );
        // Against 2026-C1 (homicides 1, 0; thefts 0, 1): 2026-C3's 4 and 2 homicides are both
        // past the reference's most, n = 1; thefts 1 and 3 too. Both 0: one place.
        let fixed = definicion(false, Some(p(2026, 1)));
        let b = armar(entrada(&fixed, &cat, &vals, &barrios, None)).expect("a balance");
        assert!(b.filas.iter().all(|f| f.indice == Some(0.0) && f.puesto == Some(1)), "{:?}", b.filas);
        // 2026-C1 against itself: Pescaíto 50 (homicides worst), Bastidas 50 (thefts worst).
        let own = armar(entrada(&fixed, &cat, &vals, &barrios, Some(p(2026, 1)))).expect("a balance");
        assert!(own.filas.iter().all(|f| f.indice == Some(50.0)));
        assert!((b.filas[0].cambio_anual.is_none()) && b.filas[0].tendencia[3] == Some(50.0));
    }

    #[test]
    fn no_data_or_no_data_for_the_period_is_refused() {
        let (def, cat) = (definicion(false, None), catalogo());
        let barrios = [barrio(1, "Pescaíto")];
        assert_eq!(armar(entrada(&def, &cat, &[], &barrios, None)), Err(BalanceRefusal::NoData(Some("47001".into()))));
        let vals = valores();
        assert_eq!(
            armar(entrada(&def, &cat, &vals, &barrios, Some(p(2026, 2)))),
            Err(BalanceRefusal::NoPeriodData { municipio: "47001".into(), periodo: p(2026, 2) })
        );
    }
}
