//! Demo indicator data for a city that has none yet, so the balance's pages show something
//! believable on a new deployment: population per barrio for this year and the last, and the
//! initial catalogue's indicators for the last six cuatrimestres. Always marked `ejemplo`;
//! deterministic per barrio code, so every start and every machine draws the same figures.

use app::model::balance::importacion::ReporteImportacion;
use app::model::balance::indicador::POBLACION;
use app::model::balance::periodo::{Periodo, PeriodoDato};
use app::model::SANTA_MARTA_MUNICIPIO;

use super::rows::ValorImportado;
use crate::import::demo_layers::{hash, unit};
use crate::store::{NuevaImportacion, Store, StoreError};

/// What the history shows as the demo import's file and author.
pub const ARCHIVO: &str = "datos de ejemplo (generados)";
pub const POR: &str = "cartobarrio";
/// Santa Marta's residents in the 2018 census: the demo population adds up to it.
pub const SANTA_MARTA_POBLACION: f64 = 479_853.0;
/// A barrio's mean population elsewhere.
const MEAN_POBLACION: f64 = 1_500.0;
/// Cuatrimestres of demo data, ending with the current one.
pub const CUATRIMESTRES: usize = 6;

/// A barrio as the demo draws it: where it lies, its size and comuna.
#[derive(Debug, Clone, PartialEq)]
pub struct BarrioDemo {
    pub id: i64,
    pub code: String,
    pub comuna: Option<String>,
    pub area_ha: f64,
    /// The centre of its bounding box.
    pub lon: f64,
    pub lat: f64,
}

/// Cases a year per 100,000 inhabitants in a Colombian Caribbean capital (orders of
/// magnitude from SIEDCO's and the RNMC's public series), and how much each follows the two
/// latent patterns of the city: violence against people, and theft where people and shops are.
const INDICADORES: [(&str, f64, f64, f64); 9] = [
    ("homicidios", 25.0, 1.0, 0.0),
    ("hurto_personas", 650.0, 0.3, 1.0),
    ("hurto_residencias", 110.0, 0.2, 0.6),
    ("hurto_comercio", 140.0, 0.1, 1.2),
    ("lesiones_personales", 260.0, 0.8, 0.2),
    ("violencia_intrafamiliar", 230.0, 0.7, 0.0),
    ("rinas", 700.0, 0.8, 0.3),
    ("extorsion", 18.0, 0.9, 0.4),
    ("comportamientos_contrarios", 2_600.0, 0.5, 0.5),
];

/// A standard normal value from the hash (Box–Muller).
fn normal(h: u64, salt: u64) -> f64 {
    let u1 = unit(h, salt).max(1e-12);
    let u2 = unit(h, salt ^ 0x5555);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A Poisson count of mean `lambda`: Knuth's product of uniforms for small means (almost all
/// here), a rounded normal for large ones.
fn poisson(lambda: f64, h: u64) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    if lambda > 40.0 {
        return (lambda + lambda.sqrt() * normal(h, 1)).round().max(0.0);
    }
    let limit = (-lambda).exp();
    let mut product = 1.0;
    let mut k = 0u64;
    loop {
        product *= unit(h, 100 + k);
        if product <= limit {
            return k as f64;
        }
        k += 1;
    }
}

/// A smooth pattern over the city: a few bumps at places drawn from the city's code, read
/// at each barrio and scaled to mean 0, deviation 1 across the barrios, so neighbours look
/// alike and the map shows areas rather than confetti.
fn field(municipio: &str, salt: u64, barrios: &[BarrioDemo]) -> Vec<f64> {
    let (min_x, max_x) = barrios.iter().fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x.lon), b.max(x.lon)));
    let (min_y, max_y) = barrios.iter().fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x.lat), b.max(x.lat)));
    let (w, h) = ((max_x - min_x).max(1e-6), (max_y - min_y).max(1e-6));
    let seed = hash(municipio);
    let bumps: Vec<(f64, f64, f64, f64)> = (0..5)
        .map(|j| {
            let s = salt * 16 + j;
            (unit(seed, s), unit(seed, s + 1000), 0.5 + unit(seed, s + 2000), 0.08 + 0.14 * unit(seed, s + 3000))
        })
        .collect();
    let raw: Vec<f64> = barrios
        .iter()
        .map(|b| {
            let (x, y) = ((b.lon - min_x) / w, (b.lat - min_y) / h);
            bumps.iter().map(|&(cx, cy, a, s)| a * (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * s * s)).exp()).sum()
        })
        .collect();
    standardised(raw)
}

fn standardised(raw: Vec<f64>) -> Vec<f64> {
    let n = raw.len().max(1) as f64;
    let mean = raw.iter().sum::<f64>() / n;
    let sd = (raw.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    raw.into_iter().map(|v| if sd > 1e-12 { (v - mean) / sd } else { 0.0 }).collect()
}

/// Population per barrio: a spread drawn per barrio, a little more where the barrio is
/// larger, scaled so the city adds up to its census (Santa Marta) or to a typical mean.
fn poblacion(municipio: &str, barrios: &[BarrioDemo]) -> Vec<f64> {
    let mut areas: Vec<f64> = barrios.iter().map(|b| b.area_ha.max(0.1)).collect();
    areas.sort_by(f64::total_cmp);
    let median = areas.get(areas.len() / 2).copied().unwrap_or(1.0);
    let raw: Vec<f64> = barrios.iter().map(|b| (0.45 * normal(hash(&b.code), 7)).exp() * (b.area_ha.max(0.1) / median).powf(0.3)).collect();
    let total = if municipio == SANTA_MARTA_MUNICIPIO { SANTA_MARTA_POBLACION } else { MEAN_POBLACION * barrios.len() as f64 };
    let scale = total / raw.iter().sum::<f64>().max(1e-9);
    raw.into_iter().map(|r| (r * scale).clamp(250.0, 6_000.0).round()).collect()
}

/// The demo values of a city's barrios: population for `hasta`'s year and the year before,
/// and every indicator of [`INDICADORES`] for the [`CUATRIMESTRES`] cuatrimestres ending with
/// `hasta`.
pub fn generar(municipio: &str, barrios: &[BarrioDemo], hasta: Periodo) -> Vec<ValorImportado> {
    if barrios.is_empty() {
        return Vec::new();
    }
    let violencia = field(municipio, 1, barrios);
    let patrimonio = field(municipio, 2, barrios);
    let poblacion = poblacion(municipio, barrios);
    let mut periodos = vec![hasta];
    while periodos.len() < CUATRIMESTRES {
        let earlier = periodos[periodos.len() - 1].anterior();
        periodos.push(earlier);
    }
    periodos.reverse();
    let mut out = Vec::with_capacity(barrios.len() * (2 + INDICADORES.len() * CUATRIMESTRES));
    for (i, b) in barrios.iter().enumerate() {
        let h = hash(&format!("{municipio}/{}", b.code));
        for (anio, factor) in [(hasta.anio - 1, 0.988), (hasta.anio, 1.0)] {
            let valor = (poblacion[i] * factor).round();
            out.push(ValorImportado { barrio_id: b.id, periodo: PeriodoDato::Anio { anio }, indicador: POBLACION.into(), valor });
        }
        // A comuna shares a little of its barrios' risk, beyond what their places share.
        let comuna = b.comuna.as_deref().map_or(0.0, |c| 0.25 * normal(hash(&format!("{municipio}/comuna/{c}")), 3));
        // Each barrio rises or falls slowly over the six cuatrimestres, by up to about 15 % a year.
        let trend = 0.05 * normal(h, 11) + 0.03 * violencia[i];
        for (k, &(code, per_100k, v, p)) in INDICADORES.iter().enumerate() {
            let risk = (0.5 * (v * violencia[i] + p * patrimonio[i]) + comuna + 0.35 * normal(h, 20 + k as u64)).exp();
            for (t, periodo) in periodos.iter().enumerate() {
                let steps = t as f64 - (CUATRIMESTRES - 1) as f64;
                let season = [0.97, 0.95, 1.08][usize::from(periodo.cuatrimestre - 1)];
                let lambda = per_100k / 100_000.0 / 3.0 * poblacion[i] * risk * season * (1.0 + trend * steps).max(0.3);
                let draw = hash(&format!("{municipio}/{}/{code}/{}", b.code, periodo.code()));
                out.push(ValorImportado {
                    barrio_id: b.id,
                    periodo: PeriodoDato::Cuatrimestre { periodo: *periodo },
                    indicador: code.into(),
                    valor: poisson(lambda, draw),
                });
            }
        }
    }
    out
}

/// The demo import of a city, ready to keep: every value, and its report.
pub fn importacion(municipio: &str, barrios: &[BarrioDemo], now_ms: i64) -> NuevaImportacion {
    let valores = generar(municipio, barrios, Periodo::of_ms(now_ms));
    let mut periodos: Vec<PeriodoDato> = valores.iter().map(|v| v.periodo).collect();
    periodos.sort();
    periodos.dedup();
    let mut indicadores: Vec<String> = INDICADORES.iter().map(|(c, ..)| c.to_string()).chain([POBLACION.to_string()]).collect();
    indicadores.sort();
    NuevaImportacion {
        id: uuid::Uuid::new_v4(),
        reporte: ReporteImportacion {
            archivo: ARCHIVO.into(),
            formato: "generado".into(),
            municipio: municipio.into(),
            filas: valores.len(),
            aceptadas: valores.len(),
            rechazadas: 0,
            detalle: Vec::new(),
            sin_coincidencia: Vec::new(),
            aproximados: Vec::new(),
            periodos: periodos.into_iter().map(PeriodoDato::code).collect(),
            indicadores,
            barrios: barrios.len(),
            reemplaza: Vec::new(),
            importacion: None,
        },
        valores,
        ejemplo: true,
        at_ms: now_ms,
        by: None,
        by_name: POR.into(),
    }
}

/// What a start seeded.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sembrado {
    /// Catalogue entries added (only on the very first start).
    pub indicadores: usize,
    /// Cities given demo data, with how many values each.
    pub ciudades: Vec<(String, usize)>,
}

/// On every start: the initial catalogue when there is none, and demo data for each city
/// that has no import at all. Idempotent: a second start adds nothing.
pub async fn seed(store: &Store, now_ms: i64) -> Result<Sembrado, StoreError> {
    let mut out = Sembrado { indicadores: store.seed_indicadores(now_ms).await?, ciudades: Vec::new() };
    for municipio in store.cities_without_indicator_imports().await? {
        let barrios = store.demo_barrios(&municipio).await?;
        let nueva = importacion(&municipio, &barrios, now_ms);
        let values = nueva.valores.len();
        // Kept only if no import arrived meanwhile (a command-line import running alongside).
        if store.store_indicator_import(nueva, true).await?.is_some() {
            out.ciudades.push((municipio, values));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Santa Marta's seed barrios, as the store gives them.
    fn santa_marta() -> Vec<BarrioDemo> {
        crate::seed::parse(crate::seed::SANTA_MARTA, "prueba")
            .expect("seed")
            .into_iter()
            .enumerate()
            .map(|(i, b)| BarrioDemo {
                id: i as i64 + 1,
                code: b.code,
                comuna: b.comuna,
                area_ha: b.area_ha,
                lon: (b.bbox[0] + b.bbox[2]) / 2.0,
                lat: (b.bbox[1] + b.bbox[3]) / 2.0,
            })
            .collect()
    }

    fn of<'a>(values: &'a [ValorImportado], indicador: &'a str) -> impl Iterator<Item = &'a ValorImportado> + 'a {
        values.iter().filter(move |v| v.indicador == indicador)
    }

    #[test]
    fn santa_martas_demo_data_is_plausible() {
        let barrios = santa_marta();
        let hasta = Periodo { anio: 2026, cuatrimestre: 3 };
        let values = generar(SANTA_MARTA_MUNICIPIO, &barrios, hasta);
        assert_eq!(values.len(), barrios.len() * (2 + 9 * 6));
        assert_eq!(values, generar(SANTA_MARTA_MUNICIPIO, &barrios, hasta), "the same figures every time");
        assert!(values.iter().all(|v| v.valor.is_finite() && v.valor >= 0.0 && v.valor.fract() == 0.0));

        let people: Vec<f64> = of(&values, POBLACION).filter(|v| v.periodo == PeriodoDato::Anio { anio: 2026 }).map(|v| v.valor).collect();
        let total: f64 = people.iter().sum();
        assert!((total - SANTA_MARTA_POBLACION).abs() / SANTA_MARTA_POBLACION < 0.03, "{total}");
        let typical = people.iter().filter(|p| (400.0..=4_000.0).contains(*p)).count();
        assert!(typical * 10 >= people.len() * 8, "{typical} of {} between 400 and 4,000", people.len());
        let last_year: f64 = of(&values, POBLACION).filter(|v| v.periodo == PeriodoDato::Anio { anio: 2025 }).map(|v| v.valor).sum();
        assert!(last_year < total);

        // Six cuatrimestres ending with the current one.
        let mut periods: Vec<String> = of(&values, "homicidios").map(|v| v.periodo.code()).collect();
        periods.sort();
        periods.dedup();
        assert_eq!(periods, vec!["2025-C1", "2025-C2", "2025-C3", "2026-C1", "2026-C2", "2026-C3"]);

        // Homicides about 25 per 100,000 a year: most barrio-cuatrimestres 0 or 1.
        let homicides: Vec<f64> = of(&values, "homicidios").map(|v| v.valor).collect();
        let per_year = homicides.iter().sum::<f64>() / 2.0 / total * 100_000.0;
        assert!((12.0..=45.0).contains(&per_year), "{per_year} homicides per 100,000 a year");
        assert!(homicides.iter().filter(|h| **h <= 1.0).count() * 10 >= homicides.len() * 9);
        let thefts: f64 = of(&values, "hurto_personas").map(|v| v.valor).sum();
        assert!(thefts > 10.0 * homicides.iter().sum::<f64>(), "theft far more common");
        let extortion: Vec<f64> = of(&values, "extorsion").map(|v| v.valor).collect();
        assert!(extortion.iter().filter(|e| **e < 3.0).count() * 10 >= extortion.len() * 9, "many counts under 3");
    }

    #[test]
    fn neighbours_look_alike_more_than_barrios_far_apart() {
        let barrios = santa_marta();
        let risk = field(SANTA_MARTA_MUNICIPIO, 1, &barrios);
        // The mean absolute difference of the field between each barrio and its nearest one,
        // against the same between barrios paired at random.
        let nearest = |i: usize| {
            (0..barrios.len())
                .filter(|&j| j != i)
                .min_by(|&a, &b| {
                    let d = |j: usize| (barrios[j].lon - barrios[i].lon).powi(2) + (barrios[j].lat - barrios[i].lat).powi(2);
                    d(a).total_cmp(&d(b))
                })
                .unwrap_or(i)
        };
        let n = barrios.len();
        let close: f64 = (0..n).map(|i| (risk[i] - risk[nearest(i)]).abs()).sum::<f64>() / n as f64;
        let random: f64 = (0..n).map(|i| (risk[i] - risk[(i * 7919 + 13) % n]).abs()).sum::<f64>() / n as f64;
        assert!(close * 2.0 < random, "nearest {close}, random {random}");
    }

    #[tokio::test]
    async fn a_start_seeds_the_catalogue_and_demo_data_once() {
        let (_dir, store) = crate::store::test_support::store().await;
        crate::seed::seed_if_empty(&store).await.unwrap();
        let now = 1_780_000_000_000; // 2026-05-28, cuatrimestre 2
        let first = seed(&store, now).await.unwrap();
        assert_eq!(first.indicadores, 9);
        assert_eq!(first.ciudades, vec![(SANTA_MARTA_MUNICIPIO.to_string(), 327 * 56)]);
        assert_eq!(seed(&store, now + 1).await.unwrap(), Sembrado::default(), "a restart adds nothing");
        let history = store.indicator_imports(SANTA_MARTA_MUNICIPIO).await.unwrap();
        assert_eq!(history.len(), 1);
        assert!(history[0].ejemplo && history[0].archivo == ARCHIVO && history[0].by == POR);
        assert_eq!(history[0].periodos.first().map(String::as_str), Some("2025"));
        assert_eq!(history[0].periodos.last().map(String::as_str), Some("2026-C2"));
        let values = store.valores_vigentes(SANTA_MARTA_MUNICIPIO).await.unwrap();
        assert_eq!(values.len(), 327 * 56);
        assert!(values.iter().all(|v| v.ejemplo));
    }
}
