//! The ISCB of every barrio for one cuatrimestre: each component turned into a rate if asked,
//! normalised against the reference, oriented so that more is always worse, weighted and added
//! up. Each barrio's index is the sum of its components' contributions, so it explains itself.
//!
//! The rules, in order, for barrio `b` and component `j` of weight `w` (the weights add up to 1):
//! 1. The value is the period's; a missing count (unit `Casos`) is 0 when the period has the
//!    indicator for some barrio (files leave out the barrios with no case), otherwise, and for
//!    every other unit, the barrio has no index ([`SinIndice::FaltaIndicador`]).
//! 2. With `por_10k`, counts become rates per 10,000 inhabitants; no population (or 0): no
//!    index ([`SinIndice::SinPoblacion`]).
//! 3. Oriented so that higher is worse: an indicator where more is better changes sign.
//! 4. Normalised against the reference (the definition's reference period, or the period
//!    itself), over every barrio of the reference that has a value for the component:
//!    - min–max: `n = (x − min) / (max − min)`, clamped to [0, 1] (a period may go past its
//!      reference's extremes). When every barrio of the reference has the same value (a zero
//!      range) nothing tells them apart: `n = 0.5` for everyone, the middle of the scale.
//!      Index: `100 × Σ w (1 − n)`, 0 to 100.
//!    - z-score: `z = (x − mean) / sd`, with the population standard deviation; `sd = 0`:
//!      `z = 0`. Index: the T-score `Σ w (50 − 10 z)`, 50 at the reference's mean.
//!
//!    Higher is safer in both. Each [`Aporte::aporte`] is its component's term of that sum, so
//!    the contributions add up to the index.
//! 5. Places: 1 for the lowest index (most in need); equal indices share a place and the next
//!    place skips ("1, 2, 2, 4"). Indices are compared to the millionth of a point: closer
//!    than that is floating-point noise, not a difference between barrios.
//!
//! Raising a barrio's value of an indicator where more is worse never moves it to a higher
//! (safer) place when the reference is fixed (a reference period other than the period), with
//! either method, nor with min–max against the period itself: its normalised value grows at
//! least as much as any other barrio's. With a z-score against the period itself that does not
//! hold: the barrio's own value moves the mean and the spread, and can widen the spread more
//! than it grows its distance to another barrio. For counts `b = 0, c = 21, d = 12`, raising
//! `b` to 1 moves `z_b − z_c` from −2.441 to −2.445: `b` gains on `c`, and when a second
//! component left them tied, `b` ends up after `c` (see the tests). What does hold is that the
//! barrio's own index never rises. Definitions meant to compare periods should fix a
//! reference period.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::indicador::{Direccion, Indicador, Unidad};
use super::iscb::{DefinicionIscb, Normalizacion};
use super::periodo::Periodo;

/// One cuatrimestre's inputs for one city, as aggregated from the imports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Datos {
    /// Per barrio id, per indicator code: the value of the cuatrimestre.
    pub valores: BTreeMap<i64, BTreeMap<String, f64>>,
    /// Inhabitants per barrio id (of the cuatrimestre's year).
    pub poblacion: BTreeMap<i64, f64>,
}

/// What one component adds to a barrio's index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aporte {
    pub indicador: String,
    /// The value of the period as imported (cases, a rate…).
    pub valor: f64,
    /// Per 10,000 inhabitants, when the definition turns cases into rates.
    pub tasa: Option<f64>,
    /// After normalisation and orientation: higher is always worse (min–max: 0 to 1 within
    /// the reference; z-score: standard deviations above the reference's mean).
    pub normalizado: f64,
    /// The component's weight, normalised (the weights add up to 1).
    pub peso: f64,
    /// Points of the index this component gives: the contributions add up to the index.
    pub aporte: f64,
}

/// One barrio's index for the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Puntaje {
    pub barrio_id: i64,
    /// Higher is safer. Min–max: 0–100; z-score: a T-score around 50.
    pub indice: f64,
    /// 1 for the barrio in most need (the lowest index); ties share a place ("1, 2, 2, 4").
    pub puesto: u32,
    pub aportes: Vec<Aporte>,
}

/// Why a barrio has no index for the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "motivo", content = "indicador", rename_all = "snake_case")]
pub enum SinIndice {
    /// Rates are asked for and the barrio's population is unknown (or 0).
    SinPoblacion,
    /// The barrio has no value for this component (a missing count is 0 cases only when the
    /// period has that indicator for some barrio; a missing rate or score is not guessed).
    FaltaIndicador(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calculo {
    /// The definition's version every value here comes from.
    pub version: u32,
    pub periodo: Periodo,
    /// By `puesto`, then barrio id.
    pub puntajes: Vec<Puntaje>,
    pub sin_indice: Vec<(i64, SinIndice)>,
}

/// The index of every barrio of `datos` for `periodo` under `definicion`. `referencia`: the
/// data of the definition's reference period when it has one (and it is not `periodo`); the
/// period is its own reference otherwise. Barrios without an index are listed with the reason.
///
/// The barrios are those of `datos` (with values or a population, even an empty row of
/// values: a barrio with no row at all has 0 of every count the period has). Cost: one pass
/// over barrios × components for the reference and one for the period, then a sort.
pub fn calcular(
    definicion: &DefinicionIscb,
    catalogo: &[Indicador],
    periodo: Periodo,
    datos: &Datos,
    referencia: Option<&Datos>,
) -> Calculo {
    let draft = &definicion.draft;
    let pesos = draft.pesos();
    let componentes: Vec<Componente<'_>> = draft
        .componentes
        .iter()
        .zip(&pesos)
        .map(|(c, peso)| {
            let entry = catalogo.iter().find(|i| i.code == c.indicador);
            Componente {
                code: &c.indicador,
                unidad: entry.map(|i| i.unidad),
                mayor_es_mejor: entry.is_some_and(|i| i.direccion == Direccion::MayorEsMejor),
                peso: *peso,
            }
        })
        .collect();
    let escalas: Vec<Escala> = {
        let base = referencia.unwrap_or(datos);
        let presentes = presentes(&componentes, base);
        componentes
            .iter()
            .zip(&presentes)
            .map(|(c, presente)| {
                let values = barrios(base).filter_map(|b| medir(c, *presente, draft.por_10k, base, b).ok()).map(|m| m.orientado);
                Escala::of(draft.normalizacion, values)
            })
            .collect()
    };
    let presentes = presentes(&componentes, datos);
    let mut puntajes = Vec::new();
    let mut sin_indice = Vec::new();
    'barrios: for barrio_id in barrios(datos) {
        let mut aportes = Vec::with_capacity(componentes.len());
        for ((c, escala), presente) in componentes.iter().zip(&escalas).zip(&presentes) {
            let medida = match medir(c, *presente, draft.por_10k, datos, barrio_id) {
                Ok(m) => m,
                Err(why) => {
                    sin_indice.push((barrio_id, why));
                    continue 'barrios;
                }
            };
            let normalizado = escala.normalizar(medida.orientado);
            let aporte = match draft.normalizacion {
                Normalizacion::MinMax => 100.0 * c.peso * (1.0 - normalizado),
                Normalizacion::ZScore => c.peso * (50.0 - 10.0 * normalizado),
            };
            aportes.push(Aporte {
                indicador: c.code.to_string(),
                valor: medida.valor,
                tasa: medida.tasa,
                normalizado,
                peso: c.peso,
                aporte,
            });
        }
        let indice = aportes.iter().map(|a| a.aporte).sum();
        puntajes.push(Puntaje { barrio_id, indice, puesto: 0, aportes });
    }
    clasificar(&mut puntajes);
    Calculo { version: definicion.version, periodo, puntajes, sin_indice }
}

/// Indices this close are one place (see the module's rules).
const EMPATE: f64 = 1e-6;

/// One component as the computation reads it.
struct Componente<'a> {
    code: &'a str,
    /// `None`: not in the catalogue, so no barrio can be measured on it.
    unidad: Option<Unidad>,
    mayor_es_mejor: bool,
    peso: f64,
}

/// A barrio's value of one component, before normalisation.
struct Medida {
    valor: f64,
    tasa: Option<f64>,
    /// The rate or value, with its sign turned when more of it is better.
    orientado: f64,
}

/// How values of a component become comparable, fixed by the reference.
enum Escala {
    MinMax { min: f64, max: f64 },
    ZScore { mean: f64, sd: f64 },
}

impl Escala {
    /// The scale of `values` (a reference with none is a zero range: every value normalises
    /// to the middle).
    fn of(normalizacion: Normalizacion, values: impl Iterator<Item = f64>) -> Escala {
        let values: Vec<f64> = values.collect();
        match normalizacion {
            Normalizacion::MinMax => {
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if values.is_empty() {
                    Escala::MinMax { min: 0.0, max: 0.0 }
                } else {
                    Escala::MinMax { min, max }
                }
            }
            Normalizacion::ZScore => {
                if values.is_empty() {
                    return Escala::ZScore { mean: 0.0, sd: 0.0 };
                }
                let n = values.len() as f64;
                let mean = values.iter().sum::<f64>() / n;
                // Two passes: the deviations' squares, not the squares' difference, which
                // loses every digit when the values are large and close.
                let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
                Escala::ZScore { mean, sd: var.sqrt() }
            }
        }
    }

    fn normalizar(&self, x: f64) -> f64 {
        match *self {
            Escala::MinMax { min, max } if max > min => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Escala::MinMax { .. } => 0.5,
            Escala::ZScore { mean, sd } if sd > 0.0 => (x - mean) / sd,
            Escala::ZScore { .. } => 0.0,
        }
    }
}

/// The barrios of `datos`, ascending: with values or with a population.
fn barrios(datos: &Datos) -> impl Iterator<Item = i64> + '_ {
    let mut ids: Vec<i64> = datos.valores.keys().chain(datos.poblacion.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
}

/// For each component, whether some barrio of `datos` has a value of it.
fn presentes(componentes: &[Componente<'_>], datos: &Datos) -> Vec<bool> {
    let mut presentes = vec![false; componentes.len()];
    for fila in datos.valores.values() {
        for (c, presente) in componentes.iter().zip(presentes.iter_mut()) {
            *presente = *presente || fila.contains_key(c.code);
        }
    }
    presentes
}

/// Barrio `barrio_id`'s value of component `c` in `datos` (rules 1–3 of the module).
fn medir(c: &Componente<'_>, presente: bool, por_10k: bool, datos: &Datos, barrio_id: i64) -> Result<Medida, SinIndice> {
    let falta = || SinIndice::FaltaIndicador(c.code.to_string());
    let unidad = c.unidad.ok_or_else(falta)?;
    let casos = unidad == Unidad::Casos;
    if casos && por_10k {
        // Population first: without it no count of the barrio can be compared.
        let poblacion = datos.poblacion.get(&barrio_id).copied().filter(|p| p.is_finite() && *p > 0.0);
        if poblacion.is_none() {
            return Err(SinIndice::SinPoblacion);
        }
    }
    let valor = match datos.valores.get(&barrio_id).and_then(|f| f.get(c.code)) {
        Some(v) if v.is_finite() => *v,
        Some(_) => return Err(falta()),
        None if casos && presente => 0.0,
        None => return Err(falta()),
    };
    let tasa = match (casos && por_10k, datos.poblacion.get(&barrio_id)) {
        (true, Some(p)) => Some(valor / p * 10_000.0),
        _ => None,
    };
    let x = tasa.unwrap_or(valor);
    Ok(Medida { valor, tasa, orientado: if c.mayor_es_mejor { -x } else { x } })
}

/// Sorts by place then barrio id and gives the places (competition ranking).
fn clasificar(puntajes: &mut [Puntaje]) {
    let key = |p: &Puntaje| (p.indice / EMPATE).round();
    puntajes.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.barrio_id.cmp(&b.barrio_id)));
    let mut previous: Option<(f64, u32)> = None;
    for (i, p) in puntajes.iter_mut().enumerate() {
        let k = key(p);
        p.puesto = match previous {
            Some((pk, place)) if pk == k => place,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        previous = Some((k, p.puesto));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::balance::iscb::{Componente as Comp, DefinicionDraft};
    use proptest::prelude::*;

    fn indicador(code: &str, unidad: Unidad, direccion: Direccion) -> Indicador {
        Indicador {
            code: code.into(),
            nombre: code.into(),
            unidad,
            direccion,
            descripcion: String::new(),
            fuente: String::new(),
            activo: true,
            version: 1,
            updated_at_ms: 0,
            updated_by: "prueba".into(),
        }
    }

    fn definicion(componentes: &[(&str, f64)], normalizacion: Normalizacion, por_10k: bool) -> DefinicionIscb {
        DefinicionIscb {
            version: 3,
            draft: DefinicionDraft {
                componentes: componentes.iter().map(|(c, p)| Comp { indicador: c.to_string(), peso: *p }).collect(),
                normalizacion,
                por_10k,
                periodo_referencia: None,
                nota: String::new(),
            },
            created_at_ms: 0,
            created_by: "prueba".into(),
        }
    }

    /// A barrio's row of a test: `(barrio, [(indicator, value)], population)`.
    type Fila<'a> = (i64, &'a [(&'a str, f64)], Option<f64>);

    fn datos(rows: &[Fila<'_>]) -> Datos {
        let mut d = Datos::default();
        for (barrio, values, poblacion) in rows {
            d.valores.insert(*barrio, values.iter().map(|(k, v)| (k.to_string(), *v)).collect());
            if let Some(p) = poblacion {
                d.poblacion.insert(*barrio, *p);
            }
        }
        d
    }

    const P: Periodo = Periodo { anio: 2026, cuatrimestre: 3 };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn puntaje(c: &Calculo, barrio: i64) -> &Puntaje {
        c.puntajes.iter().find(|p| p.barrio_id == barrio).expect("barrio with an index")
    }

    #[test]
    fn min_max_of_rates_by_hand() {
        let catalogo = [
            indicador("homicidios", Unidad::Casos, Direccion::MayorEsPeor),
            indicador("hurto", Unidad::Casos, Direccion::MayorEsPeor),
            indicador("percepcion", Unidad::Puntaje, Direccion::MayorEsMejor),
        ];
        let def = definicion(&[("homicidios", 2.0), ("hurto", 1.0), ("percepcion", 1.0)], Normalizacion::MinMax, true);
        let d = datos(&[
            (1, &[("homicidios", 2.0), ("hurto", 10.0), ("percepcion", 60.0)], Some(10_000.0)),
            (2, &[("homicidios", 2.0), ("hurto", 40.0), ("percepcion", 80.0)], Some(20_000.0)),
            // No homicide row: 0, since other barrios have the indicator this period.
            (3, &[("hurto", 5.0), ("percepcion", 40.0)], Some(5_000.0)),
            (4, &[("homicidios", 1.0), ("hurto", 1.0), ("percepcion", 100.0)], None),
            (5, &[("homicidios", 1.0), ("hurto", 20.0)], Some(10_000.0)),
            // Barrio 1's figures exactly: the same index, the same place.
            (6, &[("homicidios", 2.0), ("hurto", 10.0), ("percepcion", 60.0)], Some(10_000.0)),
        ]);
        // Weights 2:1:1 → 0.5, 0.25, 0.25.
        // Rates per 10,000: homicides 1: 2, 2: 1, 3: 0, 5: 1, 6: 2 → min 0, max 2.
        //                   thefts    1: 10, 2: 20, 3: 10, 5: 20, 6: 10 → min 10, max 20.
        // (4 has no population: none of its counts is compared; 5's counts are, though it has
        // no perception score.)
        // Perception, more is better, oriented −x: 1: −60, 2: −80, 3: −40, 4: −100, 6: −60
        //   → min −100, max −40, range 60: n1 = 40/60, n2 = 20/60, n3 = 60/60.
        // n (hom, hurto, perc): 1 = (1, 0, 2/3); 2 = (0.5, 1, 1/3); 3 = (0, 0, 1).
        // Index = 100 × (0.5 (1 − n_h) + 0.25 (1 − n_u) + 0.25 (1 − n_p)):
        //   1: 0 + 25 + 8.333… = 33.333…;  2: 25 + 0 + 16.666… = 41.666…;  3: 50 + 25 + 0 = 75.
        let c = calcular(&def, &catalogo, P, &d, None);
        assert_eq!((c.version, c.periodo), (3, P));
        let order: Vec<(i64, u32)> = c.puntajes.iter().map(|p| (p.barrio_id, p.puesto)).collect();
        assert_eq!(order, vec![(1, 1), (6, 1), (2, 3), (3, 4)], "1 and 6 share the first place; the next is 3");
        assert!(close(puntaje(&c, 1).indice, 100.0 / 3.0));
        assert!(close(puntaje(&c, 2).indice, 125.0 / 3.0));
        assert!(close(puntaje(&c, 3).indice, 75.0));
        let uno = &puntaje(&c, 1).aportes;
        assert_eq!(uno.iter().map(|a| a.indicador.as_str()).collect::<Vec<_>>(), ["homicidios", "hurto", "percepcion"]);
        assert!(close(uno[0].aporte, 0.0) && close(uno[1].aporte, 25.0) && close(uno[2].aporte, 25.0 / 3.0));
        assert_eq!((uno[0].valor, uno[0].tasa), (2.0, Some(2.0)));
        assert_eq!((uno[2].valor, uno[2].tasa), (60.0, None), "a score is not a count: no rate");
        assert!(close(uno[2].normalizado, 2.0 / 3.0) && close(uno[0].peso, 0.5));
        let tres = &puntaje(&c, 3).aportes;
        assert_eq!((tres[0].valor, tres[0].tasa), (0.0, Some(0.0)), "a missing count is 0");
        assert_eq!(c.sin_indice, vec![(4, SinIndice::SinPoblacion), (5, SinIndice::FaltaIndicador("percepcion".into()))]);
    }

    #[test]
    fn z_scores_as_t_scores_by_hand() {
        let catalogo = [indicador("a", Unidad::Casos, Direccion::MayorEsPeor), indicador("b", Unidad::Tasa, Direccion::MayorEsPeor)];
        let def = definicion(&[("a", 1.0), ("b", 3.0)], Normalizacion::ZScore, false);
        let d = datos(&[
            (1, &[("a", 1.0), ("b", 6.0)], None),
            (2, &[("a", 1.0), ("b", 0.0)], None),
            (3, &[("a", 5.0), ("b", 0.0)], None),
            (4, &[("a", 5.0), ("b", 6.0)], None),
        ]);
        // a: mean 3, population sd 2 → z = −1, −1, 1, 1.  b: mean 3, sd 3 → z = 1, −1, −1, 1.
        // Weights 0.25, 0.75; index = Σ w (50 − 10 z):
        //   1: 0.25 × 60 + 0.75 × 40 = 45;  2: 15 + 45 = 60;  3: 10 + 45 = 55;  4: 10 + 30 = 40.
        let c = calcular(&def, &catalogo, P, &d, None);
        let got: Vec<(i64, u32, f64)> = c.puntajes.iter().map(|p| (p.barrio_id, p.puesto, p.indice)).collect();
        let want = [(4, 1, 40.0), (1, 2, 45.0), (3, 3, 55.0), (2, 4, 60.0)];
        assert!(got.iter().zip(want).all(|(g, w)| g.0 == w.0 && g.1 == w.1 && close(g.2, w.2)), "{got:?}");
        assert!(close(puntaje(&c, 1).aportes[1].normalizado, 1.0) && close(puntaje(&c, 1).aportes[1].aporte, 30.0));
    }

    #[test]
    fn a_fixed_reference_clamps_and_a_zero_range_is_the_middle() {
        let catalogo = [indicador("a", Unidad::Tasa, Direccion::MayorEsPeor), indicador("b", Unidad::Tasa, Direccion::MayorEsPeor)];
        let def = definicion(&[("a", 1.0), ("b", 1.0)], Normalizacion::MinMax, false);
        let referencia = datos(&[(1, &[("a", 0.0), ("b", 4.0)], None), (2, &[("a", 10.0), ("b", 4.0)], None)]);
        let d = datos(&[(1, &[("a", 15.0), ("b", 9.0)], None), (2, &[("a", 5.0), ("b", 0.0)], None)]);
        // a against 0–10: 15 → 1 (clamped), 5 → 0.5. b: the reference's range is zero → 0.5.
        let c = calcular(&def, &catalogo, P, &d, Some(&referencia));
        assert!(close(puntaje(&c, 1).indice, 100.0 * (0.5 * 0.0 + 0.5 * 0.5)));
        assert!(close(puntaje(&c, 2).indice, 100.0 * (0.5 * 0.5 + 0.5 * 0.5)));
        assert_eq!(puntaje(&c, 1).aportes[1].normalizado, 0.5);
        let z = definicion(&[("b", 1.0)], Normalizacion::ZScore, false);
        assert_eq!(calcular(&z, &catalogo, P, &d, Some(&referencia)).puntajes[0].indice, 50.0, "sd 0: z = 0");
    }

    #[test]
    fn what_cannot_be_measured_leaves_the_barrio_without_an_index() {
        let catalogo = [indicador("casos", Unidad::Casos, Direccion::MayorEsPeor), indicador("tasa", Unidad::Tasa, Direccion::MayorEsPeor)];
        let d = datos(&[(1, &[("tasa", 2.0)], Some(0.0)), (2, &[], Some(100.0))]);
        // No barrio has counts this period: a missing count is not guessed as 0.
        let only_counts = definicion(&[("casos", 1.0)], Normalizacion::MinMax, false);
        let c = calcular(&only_counts, &catalogo, P, &d, None);
        assert!(c.puntajes.is_empty());
        assert_eq!(c.sin_indice[0], (1, SinIndice::FaltaIndicador("casos".into())));
        // A population of 0 is none; an indicator not in the catalogue measures no one.
        let rates = definicion(&[("casos", 1.0)], Normalizacion::MinMax, true);
        let d2 = datos(&[(1, &[("casos", 2.0)], Some(0.0)), (2, &[("casos", 1.0)], Some(100.0))]);
        assert_eq!(calcular(&rates, &catalogo, P, &d2, None).sin_indice, vec![(1, SinIndice::SinPoblacion)]);
        let unknown = definicion(&[("nadie", 1.0)], Normalizacion::MinMax, false);
        assert_eq!(calcular(&unknown, &catalogo, P, &d2, None).sin_indice.len(), 2);
        // A barrio with an empty row still counts: 0 of every count the period has.
        let c = calcular(&only_counts, &catalogo, P, &d2, None);
        assert_eq!(c.puntajes.iter().map(|p| (p.barrio_id, p.puesto)).collect::<Vec<_>>(), vec![(1, 1), (2, 2)]);
    }

    #[test]
    fn a_z_score_against_the_period_itself_can_reward_a_worse_value() {
        // The module's example: in `a`, b = 0, c = 21, d = 12; in `b`, the mirror (21, 0, 9), so
        // every barrio scores exactly 50 and all share place 1.
        let catalogo = [indicador("a", Unidad::Tasa, Direccion::MayorEsPeor), indicador("b", Unidad::Tasa, Direccion::MayorEsPeor)];
        let def = definicion(&[("a", 1.0), ("b", 1.0)], Normalizacion::ZScore, false);
        let before =
            datos(&[(1, &[("a", 0.0), ("b", 21.0)], None), (2, &[("a", 21.0), ("b", 0.0)], None), (3, &[("a", 12.0), ("b", 9.0)], None)]);
        let c = calcular(&def, &catalogo, P, &before, None);
        assert!(c.puntajes.iter().all(|p| p.puesto == 1 && p.indice == 50.0), "{:?}", c.puntajes);
        // Barrio 1's `a` goes from 0 to 1 (worse): the spread grows more than its distance to
        // barrio 2, whose index drops further; barrio 1 is no longer the first in need.
        let mut after = before.clone();
        if let Some(v) = after.valores.get_mut(&1).and_then(|v| v.get_mut("a")) {
            *v = 1.0;
        }
        let c2 = calcular(&def, &catalogo, P, &after, None);
        assert_eq!((puntaje(&c2, 2).puesto, puntaje(&c2, 1).puesto), (1, 2));
        assert!(puntaje(&c2, 1).indice < 50.0, "its own index still fell");
    }

    /// A random city: per barrio, per component, a count 0–40, and a population.
    #[derive(Debug, Clone)]
    struct Ciudad {
        unidades: Vec<(Unidad, Direccion, f64)>,
        filas: Vec<(Vec<f64>, f64)>,
        referencia: Vec<(Vec<f64>, f64)>,
    }

    fn ciudad() -> impl Strategy<Value = (Ciudad, usize, usize, u32)> {
        (1usize..5, 2usize..12).prop_flat_map(|(componentes, barrios)| {
            let unidad = (prop::bool::ANY, prop::bool::ANY, 0.1f64..10.0).prop_map(|(casos, mejor, peso)| {
                (
                    if casos { Unidad::Casos } else { Unidad::Tasa },
                    if mejor { Direccion::MayorEsMejor } else { Direccion::MayorEsPeor },
                    peso,
                )
            });
            let fila =
                || (prop::collection::vec(0u32..40, componentes).prop_map(|v| v.into_iter().map(f64::from).collect()), 500.0f64..50_000.0);
            (
                prop::collection::vec(unidad, componentes),
                prop::collection::vec(fila(), barrios),
                prop::collection::vec(fila(), 2..12),
                0..barrios,
                0..componentes,
                1u32..30,
            )
                .prop_map(|(unidades, filas, referencia, b, j, delta)| (Ciudad { unidades, filas, referencia }, b, j, delta))
        })
    }

    impl Ciudad {
        fn catalogo(&self) -> Vec<Indicador> {
            self.unidades.iter().enumerate().map(|(j, (u, d, _))| indicador(&format!("i{j}"), *u, *d)).collect()
        }

        fn definicion(&self, normalizacion: Normalizacion, por_10k: bool) -> DefinicionIscb {
            let names: Vec<String> = (0..self.unidades.len()).map(|j| format!("i{j}")).collect();
            let comps: Vec<(&str, f64)> = names.iter().zip(&self.unidades).map(|(n, (_, _, p))| (n.as_str(), *p)).collect();
            definicion(&comps, normalizacion, por_10k)
        }

        fn datos(filas: &[(Vec<f64>, f64)]) -> Datos {
            let mut d = Datos::default();
            for (b, (values, poblacion)) in filas.iter().enumerate() {
                d.valores.insert(b as i64, values.iter().enumerate().map(|(j, v)| (format!("i{j}"), *v)).collect());
                d.poblacion.insert(b as i64, *poblacion);
            }
            d
        }

        /// The city with barrio `b`'s component `j` made worse by `delta`, `j` being an
        /// indicator where more is worse.
        fn peor(&self, b: usize, j: usize, delta: u32) -> Ciudad {
            let mut c = self.clone();
            c.unidades[j].1 = Direccion::MayorEsPeor;
            c.filas[b].0[j] += f64::from(delta);
            c
        }

        fn sin_peor(&self, j: usize) -> Ciudad {
            let mut c = self.clone();
            c.unidades[j].1 = Direccion::MayorEsPeor;
            c
        }
    }

    fn place_and_index(c: &Ciudad, b: usize, normalizacion: Normalizacion, por_10k: bool, fixed: bool) -> (u32, f64) {
        let referencia = fixed.then(|| Ciudad::datos(&c.referencia));
        let calc = calcular(&c.definicion(normalizacion, por_10k), &c.catalogo(), P, &Ciudad::datos(&c.filas), referencia.as_ref());
        let p = puntaje(&calc, b as i64);
        (p.puesto, p.indice)
    }

    proptest! {
        #[test]
        fn a_worse_value_never_moves_a_barrio_to_a_safer_place((city, b, j, delta) in ciudad(), por_10k in prop::bool::ANY) {
            let base = city.sin_peor(j);
            let worse = city.peor(b, j, delta);
            for (normalizacion, fixed) in [(Normalizacion::MinMax, false), (Normalizacion::MinMax, true), (Normalizacion::ZScore, true)] {
                let (before, _) = place_and_index(&base, b, normalizacion, por_10k, fixed);
                let (after, _) = place_and_index(&worse, b, normalizacion, por_10k, fixed);
                prop_assert!(after <= before, "{normalizacion:?} fixed {fixed}: place {before} → {after}");
            }
            // Against the period itself, a z-score only promises the barrio's own index.
            let (_, before) = place_and_index(&base, b, Normalizacion::ZScore, por_10k, false);
            let (_, after) = place_and_index(&worse, b, Normalizacion::ZScore, por_10k, false);
            prop_assert!(after <= before + 1e-9, "z-score index {before} → {after}");
        }

        #[test]
        fn contributions_add_up_to_the_index((city, _, _, _) in ciudad(), por_10k in prop::bool::ANY, z in prop::bool::ANY, fixed in prop::bool::ANY) {
            let normalizacion = if z { Normalizacion::ZScore } else { Normalizacion::MinMax };
            let referencia = fixed.then(|| Ciudad::datos(&city.referencia));
            let calc = calcular(&city.definicion(normalizacion, por_10k), &city.catalogo(), P, &Ciudad::datos(&city.filas), referencia.as_ref());
            prop_assert_eq!(calc.puntajes.len(), city.filas.len());
            for p in &calc.puntajes {
                let total: f64 = p.aportes.iter().map(|a| a.aporte).sum();
                prop_assert!((total - p.indice).abs() <= 1e-9 * p.indice.abs().max(1.0));
                prop_assert!((p.aportes.iter().map(|a| a.peso).sum::<f64>() - 1.0).abs() < 1e-12);
                if !z {
                    prop_assert!((0.0..=100.0 + 1e-9).contains(&p.indice));
                }
            }
            // Places: sorted, starting at 1, ties sharing, the next skipping.
            for (i, w) in calc.puntajes.windows(2).enumerate() {
                prop_assert!(w[0].puesto <= w[1].puesto);
                prop_assert!(w[1].puesto == w[0].puesto || w[1].puesto as usize == i + 2);
            }
            prop_assert_eq!(calc.puntajes.first().map(|p| p.puesto), Some(1));
        }
    }
}
