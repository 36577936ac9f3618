//! Indicator data as stored (migration 0019): the catalogue's versions, the imports with the
//! periods each brings and its values, and the values in force for the balance. Append-only:
//! a re-import of a period is a new import that supersedes the earlier one, which stays.

use std::collections::{BTreeMap, HashMap};

use app::model::account::User;
use app::model::balance::importacion::{Importacion, ReporteImportacion};
use app::model::balance::indicador::{catalogo_inicial, fold_name, Indicador, IndicadorDraft, POBLACION};
use app::model::balance::periodo::PeriodoDato;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use uuid::Uuid;

use super::accounts::audit_row;
use super::{Store, StoreError};
use crate::indicadores::barrios::BarrioRef;
use crate::indicadores::demo::BarrioDemo;
use crate::indicadores::periods::periodo_de_codigo;
use crate::indicadores::rows::ValorImportado;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// A value in force for the balance of a city: for one period as imported (a year, a
/// cuatrimestre or a month), one barrio and one indicator, the value of the *current* import
/// of that period.
///
/// The current import of a period is the newest import of the city that brought the period
/// (imports supersede periods as a whole: a re-import of `2026-C1` replaces every value of
/// `2026-C1`, even of indicators it does not bring). Generated demo data (`ejemplo`) stands
/// aside once real data of its kind exists in the city: for indicators, as soon as any real
/// import brought a value of any indicator (then every demo value of every period is left
/// out, not only of the periods the real data covers); for population, as soon as any real
/// import brought population. So a city with real crime figures and no census yet keeps the
/// demo population, flagged `ejemplo`, until someone imports the real one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValorVigente {
    /// As imported: [`PeriodoDato::Mes`] values are to be added up (cases) or averaged
    /// (rates) into their cuatrimestre by the reader; [`PeriodoDato::Anio`] is population only.
    pub periodo: PeriodoDato,
    pub barrio_id: i64,
    /// A catalogue code, or `poblacion`.
    pub indicador: String,
    /// Never negative, always finite.
    pub valor: f64,
    /// The import the value comes from (its report: `GET /api/v1/indicadores/importaciones/{id}`).
    pub importacion: Uuid,
    /// Whether that import is generated demo data: a balance made with it must say so.
    pub ejemplo: bool,
}

/// A checked import, ready to be kept.
#[derive(Debug, Clone)]
pub struct NuevaImportacion {
    pub id: Uuid,
    /// As the check made it; `reemplaza` and `importacion` are filled in when it is kept.
    pub reporte: ReporteImportacion,
    pub valores: Vec<ValorImportado>,
    /// Generated demo data.
    pub ejemplo: bool,
    pub at_ms: i64,
    /// The account that imported, for the audit log (`None`: the server or the command line).
    pub by: Option<User>,
    /// Who imported, as the history shows it.
    pub by_name: String,
}

/// A code as serde writes it (`"casos"`), for the enums stored as text.
fn code<T: Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value).map_err(|e| corrupt("code", e))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(corrupt("code", other)),
    }
}

fn from_code<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).map_err(|e| corrupt("code", e))
}

fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| corrupt("id", e))
}

const SELECT_INDICADOR: &str =
    "SELECT code, version, nombre, unidad, direccion, descripcion, fuente, activo, at_ms, by_user FROM indicadores";

/// An import holding a period: its id and whether it is demo data.
type Holder = (String, bool);

type IndicadorRow = (String, i64, String, String, String, String, String, bool, i64, String);

fn indicador_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<IndicadorRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
}

fn indicador_of(row: IndicadorRow) -> Result<Indicador, StoreError> {
    let (code, version, nombre, unidad, direccion, descripcion, fuente, activo, updated_at_ms, updated_by) = row;
    Ok(Indicador {
        code,
        version: u32::try_from(version).map_err(|e| corrupt("version", e))?,
        nombre,
        unidad: from_code(&unidad)?,
        direccion: from_code(&direccion)?,
        descripcion,
        fuente,
        activo,
        updated_at_ms,
        updated_by,
    })
}

/// The catalogue's current entries (the highest version of each code), by name; inside a
/// transaction too, for what must be checked against it as it is stored.
pub(super) fn catalogo(c: &Connection) -> Result<Vec<Indicador>, StoreError> {
    let sql = format!("{SELECT_INDICADOR} i WHERE version = (SELECT max(version) FROM indicadores j WHERE j.code = i.code)");
    let rows = c.prepare_cached(&sql)?.query_map([], indicador_row)?.collect::<Result<Vec<_>, _>>()?;
    let mut list = rows.into_iter().map(indicador_of).collect::<Result<Vec<_>, _>>()?;
    list.sort_by_cached_key(|i| (fold_name(&i.nombre), i.code.clone()));
    Ok(list)
}

fn current_indicador(c: &Connection, code: &str) -> Result<Option<Indicador>, StoreError> {
    let sql = format!("{SELECT_INDICADOR} WHERE code = ?1 ORDER BY version DESC LIMIT 1");
    c.query_row(&sql, [code], indicador_row).optional()?.map(indicador_of).transpose()
}

fn insert_indicador(c: &Connection, d: &IndicadorDraft, version: u32, by: &str, now_ms: i64) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO indicadores (code, version, nombre, unidad, direccion, descripcion, fuente, activo, at_ms, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![d.code, version, d.nombre, code(&d.unidad)?, code(&d.direccion)?, d.descripcion, d.fuente, d.activo, now_ms, by],
    )?;
    Ok(())
}

/// For each period code of `periodos`, the import of the city that holds it now, if any.
fn holders(c: &Connection, municipio: &str, periodos: &[String]) -> Result<Vec<(String, Uuid)>, StoreError> {
    let mut stmt =
        c.prepare_cached("SELECT import_id FROM indicator_import_periods WHERE municipio = ?1 AND periodo = ?2 ORDER BY seq DESC LIMIT 1")?;
    let mut out = Vec::new();
    for p in periodos {
        if let Some(id) = stmt.query_row(params![municipio, p], |r| r.get::<_, String>(0)).optional()? {
            out.push((p.clone(), parse_id(&id)?));
        }
    }
    Ok(out)
}

impl Store {
    /// The catalogue: the current version of every entry, inactive ones too, by name.
    pub async fn indicadores(&self) -> Result<Vec<Indicador>, StoreError> {
        self.call(|c| catalogo(c))
        .await
    }

    /// Keeps a checked draft as a new version of its entry (version 1 of a new one), with its
    /// audit line. A draft that changes nothing adds no version. Returns the entry as it now
    /// is, and whether the entry is new.
    pub async fn put_indicador(&self, draft: IndicadorDraft, by: User, now_ms: i64) -> Result<(Indicador, bool), StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current = current_indicador(&tx, &draft.code)?;
            if let Some(i) = &current {
                let same = i.nombre == draft.nombre
                    && i.unidad == draft.unidad
                    && i.direccion == draft.direccion
                    && i.descripcion == draft.descripcion
                    && i.fuente == draft.fuente
                    && i.activo == draft.activo;
                if same {
                    return Ok((i.clone(), false));
                }
            }
            let version = current.as_ref().map_or(1, |i| i.version + 1);
            insert_indicador(&tx, &draft, version, &by.display_name, now_ms)?;
            let detail = format!("versión {version}: {}{}", draft.nombre, if draft.activo { "" } else { " (inactivo)" });
            audit_row(&tx, Some(&by), "indicador", draft.code.clone(), detail, now_ms)?;
            let stored = current_indicador(&tx, &draft.code)?.ok_or_else(|| corrupt("indicador", "not written"))?;
            tx.commit()?;
            Ok((stored, current.is_none()))
        })
        .await
    }

    /// On first start: the initial catalogue ([`catalogo_inicial`]) when there is none.
    /// Returns how many entries were added (0 on every later start).
    pub async fn seed_indicadores(&self, now_ms: i64) -> Result<usize, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if tx.query_row("SELECT EXISTS (SELECT 1 FROM indicadores)", [], |r| r.get::<_, bool>(0))? {
                return Ok(0);
            }
            let initial = catalogo_inicial();
            for d in &initial {
                insert_indicador(&tx, d, 1, "cartobarrio", now_ms)?;
            }
            tx.commit()?;
            Ok(initial.len())
        })
        .await
    }

    /// The cities (municipios) that have barrios, in order of their code.
    pub async fn cities(&self) -> Result<Vec<String>, StoreError> {
        self.call(|c| {
            Ok(c.prepare("SELECT DISTINCT municipio FROM barrios ORDER BY municipio")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The barrios of a city, as an import matches names against them.
    pub async fn city_barrios(&self, municipio: &str) -> Result<Vec<BarrioRef>, StoreError> {
        let municipio = municipio.to_string();
        self.call(move |c| {
            let mut stmt = c.prepare("SELECT id, code, name FROM barrios WHERE municipio = ?1 ORDER BY id")?;
            let rows = stmt.query_map([municipio], |r| Ok(BarrioRef { id: r.get(0)?, code: r.get(1)?, name: r.get(2)? }))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The barrios of a city with what demo data is drawn from: comuna, area and where they lie.
    pub async fn demo_barrios(&self, municipio: &str) -> Result<Vec<BarrioDemo>, StoreError> {
        let municipio = municipio.to_string();
        self.call(move |c| {
            let mut stmt = c.prepare(
                "SELECT id, code, comuna, area_ha, (min_lon + max_lon) / 2, (min_lat + max_lat) / 2 FROM barrios WHERE municipio = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([municipio], |r| {
                Ok(BarrioDemo { id: r.get(0)?, code: r.get(1)?, comuna: r.get(2)?, area_ha: r.get(3)?, lon: r.get(4)?, lat: r.get(5)? })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Cities with barrios and no import of indicator data at all, not even demo data.
    pub async fn cities_without_indicator_imports(&self) -> Result<Vec<String>, StoreError> {
        self.call(|c| {
            let sql = "SELECT DISTINCT b.municipio FROM barrios b
                       WHERE NOT EXISTS (SELECT 1 FROM indicator_imports i WHERE i.municipio = b.municipio) ORDER BY b.municipio";
            Ok(c.prepare(sql)?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Which of `periodos` an import into the city would take over, and from which import:
    /// what a preview reports as `reemplaza`.
    pub async fn replaced_periods(&self, municipio: &str, periodos: Vec<String>) -> Result<Vec<(String, Uuid)>, StoreError> {
        let municipio = municipio.to_string();
        self.call(move |c| holders(c, &municipio, &periodos)).await
    }

    /// Keeps an import whole or not at all, in one immediate transaction: its row with the
    /// report, one row per period it brings, its values, and an audit line. Imports confirmed
    /// at once are kept one after the other, each with the periods it replaces as they stood.
    /// With `only_first`, nothing is kept when the city already has any import (the demo
    /// data of a first start, which a concurrent import must not follow). Returns the report
    /// as kept, or `None` when nothing was.
    pub async fn store_indicator_import(
        &self,
        nueva: NuevaImportacion,
        only_first: bool,
    ) -> Result<Option<ReporteImportacion>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let NuevaImportacion { id, mut reporte, valores, ejemplo, at_ms, by, by_name } = nueva;
            let municipio = reporte.municipio.clone();
            if only_first {
                let any: bool =
                    tx.query_row("SELECT EXISTS (SELECT 1 FROM indicator_imports WHERE municipio = ?1)", [&municipio], |r| r.get(0))?;
                if any {
                    return Ok(None);
                }
            }
            reporte.reemplaza = holders(&tx, &municipio, &reporte.periodos)?;
            reporte.importacion = Some(id);
            let report_json = serde_json::to_string(&reporte).map_err(|e| corrupt("report", e))?;
            tx.execute(
                "INSERT INTO indicator_imports (id, municipio, archivo, formato, at_ms, by_user, ejemplo, aceptadas, rechazadas, report)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id.to_string(),
                    municipio,
                    reporte.archivo,
                    reporte.formato,
                    at_ms,
                    by_name,
                    ejemplo,
                    i64::try_from(reporte.aceptadas).unwrap_or(i64::MAX),
                    i64::try_from(reporte.rechazadas).unwrap_or(i64::MAX),
                    report_json
                ],
            )?;
            {
                let mut stmt = tx.prepare("INSERT INTO indicator_import_periods (import_id, municipio, periodo) VALUES (?1, ?2, ?3)")?;
                for p in &reporte.periodos {
                    stmt.execute(params![id.to_string(), municipio, p])?;
                }
                let mut stmt = tx.prepare(
                    "INSERT INTO indicator_values (import_id, barrio_id, periodo, indicador, valor) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                for v in &valores {
                    stmt.execute(params![id.to_string(), v.barrio_id, v.periodo.code(), v.indicador, v.valor])?;
                }
            }
            let replaced = if reporte.reemplaza.is_empty() {
                String::new()
            } else {
                format!("; reemplaza {}", reporte.reemplaza.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>().join(", "))
            };
            let detail = format!(
                "{}{}: {} filas aceptadas, {} rechazadas; periodos {}{replaced}",
                reporte.archivo,
                if ejemplo { " (datos de ejemplo)" } else { "" },
                reporte.aceptadas,
                reporte.rechazadas,
                reporte.periodos.join(", ")
            );
            audit_row(&tx, by.as_ref(), "indicator_import", format!("municipio {municipio} importación {id}"), detail, at_ms)?;
            tx.commit()?;
            Ok(Some(reporte))
        })
        .await
    }

    /// The history of a city's imports, newest first, each with the periods a later import
    /// took over (`reemplazados`).
    pub async fn indicator_imports(&self, municipio: &str) -> Result<Vec<Importacion>, StoreError> {
        let municipio = municipio.to_string();
        self.call(move |c| {
            let mut periods: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
            let mut stmt = c.prepare(
                "SELECT p.import_id, p.periodo, EXISTS (SELECT 1 FROM indicator_import_periods q
                                                        WHERE q.municipio = p.municipio AND q.periodo = p.periodo AND q.seq > p.seq)
                 FROM indicator_import_periods p WHERE p.municipio = ?1 ORDER BY p.seq",
            )?;
            let rows = stmt.query_map([&municipio], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))?;
            for row in rows {
                let (import_id, periodo, later) = row?;
                let entry = periods.entry(import_id).or_default();
                if later {
                    entry.1.push(periodo.clone());
                }
                entry.0.push(periodo);
            }
            let mut stmt = c.prepare(
                "SELECT id, archivo, formato, at_ms, by_user, ejemplo, aceptadas, rechazadas FROM indicator_imports
                 WHERE municipio = ?1 ORDER BY at_ms DESC, rowid DESC",
            )?;
            let rows = stmt
                .query_map([&municipio], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, bool>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, i64>(7)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(id, archivo, formato, at_ms, by, ejemplo, aceptadas, rechazadas)| {
                    let (periodos, reemplazados) = periods.remove(&id).unwrap_or_default();
                    Ok(Importacion {
                        id: parse_id(&id)?,
                        municipio: municipio.clone(),
                        archivo,
                        formato,
                        at_ms,
                        by,
                        ejemplo,
                        periodos,
                        aceptadas: usize::try_from(aceptadas).map_err(|e| corrupt("count", e))?,
                        rechazadas: usize::try_from(rechazadas).map_err(|e| corrupt("count", e))?,
                        reemplazados,
                    })
                })
                .collect()
        })
        .await
    }

    /// One import's city and its report as it was answered when it was kept.
    pub async fn indicator_import(&self, id: Uuid) -> Result<Option<(String, ReporteImportacion)>, StoreError> {
        self.call(move |c| {
            let row = c
                .query_row("SELECT municipio, report FROM indicator_imports WHERE id = ?1", [id.to_string()], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?;
            row.map(|(municipio, report)| Ok((municipio, serde_json::from_str(&report).map_err(|e| corrupt("report", e))?))).transpose()
        })
        .await
    }

    /// The values in force for the balance of city `municipio`: see [`ValorVigente`] for
    /// which import's value counts. Sorted by period (years, then cuatrimestres, then months,
    /// each in time order), barrio id and indicator code. Empty when the city has no data.
    ///
    /// Cost: one pass over the city's import periods, then one indexed read of the values of
    /// each current (import, period), so a long history of re-imports costs nothing extra.
    pub async fn valores_vigentes(&self, municipio: &str) -> Result<Vec<ValorVigente>, StoreError> {
        let municipio = municipio.to_string();
        self.call(move |c| {
            // Which real imports brought indicator values, and which population.
            let mut real_values = false;
            let mut real_population = false;
            {
                let mut imports = c.prepare("SELECT id FROM indicator_imports WHERE municipio = ?1 AND ejemplo = 0")?;
                let ids = imports.query_map([&municipio], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
                let mut any_value =
                    c.prepare_cached("SELECT EXISTS (SELECT 1 FROM indicator_values WHERE import_id = ?1 AND indicador <> ?2)")?;
                let mut any_population =
                    c.prepare_cached("SELECT EXISTS (SELECT 1 FROM indicator_values WHERE import_id = ?1 AND indicador = ?2)")?;
                for id in &ids {
                    real_values = real_values || any_value.query_row(params![id, POBLACION], |r| r.get(0))?;
                    real_population = real_population || any_population.query_row(params![id, POBLACION], |r| r.get(0))?;
                    if real_values && real_population {
                        break;
                    }
                }
            }
            // For each period, newest first: the import whose indicator values count, and the
            // one whose population counts (the same one unless demo data stands aside).
            let mut current: BTreeMap<String, (Option<Holder>, Option<Holder>)> = BTreeMap::new();
            {
                let mut stmt = c.prepare(
                    "SELECT p.periodo, p.import_id, i.ejemplo FROM indicator_import_periods p JOIN indicator_imports i ON i.id = p.import_id
                     WHERE p.municipio = ?1 ORDER BY p.seq DESC",
                )?;
                let rows = stmt.query_map([&municipio], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))?;
                for row in rows {
                    let (periodo, import_id, ejemplo) = row?;
                    let (values, population) = current.entry(periodo).or_default();
                    if values.is_none() && !(ejemplo && real_values) {
                        *values = Some((import_id.clone(), ejemplo));
                    }
                    if population.is_none() && !(ejemplo && real_population) {
                        *population = Some((import_id, ejemplo));
                    }
                }
            }
            let mut out = Vec::new();
            let mut stmt =
                c.prepare_cached("SELECT barrio_id, indicador, valor FROM indicator_values WHERE import_id = ?1 AND periodo = ?2")?;
            for (code, (values, population)) in current {
                let periodo = periodo_de_codigo(&code).ok_or_else(|| corrupt("period", &code))?;
                // The same import for both: read once, keep all.
                let reads: Vec<(String, bool, Option<bool>)> = match (values, population) {
                    (Some(v), Some(p)) if v == p => vec![(v.0, v.1, None)],
                    (v, p) => v.map(|(id, e)| (id, e, Some(false))).into_iter().chain(p.map(|(id, e)| (id, e, Some(true)))).collect(),
                };
                for (import_id, ejemplo, only_population) in reads {
                    let importacion = parse_id(&import_id)?;
                    let rows = stmt
                        .query_map(params![import_id, code], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, f64>(2)?)))?;
                    for row in rows {
                        let (barrio_id, indicador, valor) = row?;
                        if only_population.is_some_and(|p| p != (indicador == POBLACION)) {
                            continue;
                        }
                        out.push(ValorVigente { periodo, barrio_id, indicador, valor, importacion, ejemplo });
                    }
                }
            }
            out.sort_by(|a, b| (a.periodo, a.barrio_id, &a.indicador).cmp(&(b.periodo, b.barrio_id, &b.indicador)));
            Ok(out)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use app::model::account::Role;
    use app::model::balance::indicador::{Direccion, Unidad};
    use app::model::balance::periodo::Periodo;

    use super::super::test_support::{account, assert_refused, barrio, store, T};
    use super::*;

    fn c(anio: u16, cuatrimestre: u8) -> PeriodoDato {
        PeriodoDato::Cuatrimestre { periodo: Periodo { anio, cuatrimestre } }
    }

    /// An import of `values` (barrio, period, indicator, value) into Santa Marta.
    fn nueva(values: &[(i64, PeriodoDato, &str, f64)], ejemplo: bool, at_ms: i64) -> NuevaImportacion {
        let valores: Vec<ValorImportado> = values
            .iter()
            .map(|&(barrio_id, periodo, indicador, valor)| ValorImportado { barrio_id, periodo, indicador: indicador.into(), valor })
            .collect();
        let mut periodos: Vec<PeriodoDato> = valores.iter().map(|v| v.periodo).collect();
        periodos.sort();
        periodos.dedup();
        NuevaImportacion {
            id: Uuid::new_v4(),
            reporte: ReporteImportacion {
                archivo: if ejemplo { "ejemplo".into() } else { "datos.csv".into() },
                formato: "csv".into(),
                municipio: "47001".into(),
                filas: valores.len(),
                aceptadas: valores.len(),
                rechazadas: 0,
                detalle: vec![],
                sin_coincidencia: vec![],
                aproximados: vec![],
                periodos: periodos.into_iter().map(PeriodoDato::code).collect(),
                indicadores: vec![],
                barrios: 1,
                reemplaza: vec![],
                importacion: None,
            },
            valores,
            ejemplo,
            at_ms,
            by: None,
            by_name: "prueba".into(),
        }
    }

    fn vigentes(list: &[ValorVigente]) -> Vec<(String, i64, &str, f64, bool)> {
        list.iter().map(|v| (v.periodo.code(), v.barrio_id, v.indicador.as_str(), v.valor, v.ejemplo)).collect()
    }

    #[tokio::test]
    async fn a_reimport_supersedes_its_periods_and_the_history_keeps_both() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "gaira").await;
        let first = store
            .store_indicator_import(nueva(&[(b, c(2026, 1), "rinas", 3.0), (b, c(2026, 2), "rinas", 4.0)], false, T), false)
            .await
            .unwrap()
            .unwrap();
        assert!(first.reemplaza.is_empty());
        let first_id = first.importacion.unwrap();
        let again = nueva(&[(b, c(2026, 2), "homicidios", 1.0)], false, T + 1);
        assert_eq!(store.replaced_periods("47001", again.reporte.periodos.clone()).await.unwrap(), vec![("2026-C2".to_string(), first_id)]);
        let second = store.store_indicator_import(again, false).await.unwrap().unwrap();
        assert_eq!(second.reemplaza, vec![("2026-C2".to_string(), first_id)]);
        assert_eq!(
            vigentes(&store.valores_vigentes("47001").await.unwrap()),
            vec![("2026-C1".into(), b, "rinas", 3.0, false), ("2026-C2".into(), b, "homicidios", 1.0, false)],
            "a period is replaced as a whole: 2026-C2's riñas are gone with it"
        );
        let history = store.indicator_imports("47001").await.unwrap();
        assert_eq!(
            history.iter().map(|i| (i.id, i.reemplazados.clone())).collect::<Vec<_>>(),
            vec![(second.importacion.unwrap(), vec![]), (first_id, vec!["2026-C2".to_string()]),]
        );
        assert_eq!(history[1].periodos, vec!["2026-C1", "2026-C2"]);
        let (municipio, report) = store.indicator_import(first_id).await.unwrap().unwrap();
        assert_eq!((municipio.as_str(), report), ("47001", first));
        assert!(store.valores_vigentes("08001").await.unwrap().is_empty());
        assert_refused(
            &store,
            &["UPDATE indicator_values SET valor = 0", "DELETE FROM indicator_imports", "DELETE FROM indicator_import_periods"],
        )
        .await;
    }

    #[tokio::test]
    async fn demo_data_stands_aside_for_real_data_of_its_kind() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "gaira").await;
        let anio = PeriodoDato::Anio { anio: 2026 };
        let demo = nueva(&[(b, anio, POBLACION, 1500.0), (b, c(2026, 1), "rinas", 2.0), (b, c(2025, 3), "rinas", 5.0)], true, T);
        assert!(store.store_indicator_import(demo.clone(), true).await.unwrap().is_some());
        assert!(
            store.store_indicator_import(nueva(&[(b, anio, POBLACION, 1.0)], true, T), true).await.unwrap().is_none(),
            "only on a first import"
        );
        let all = store.valores_vigentes("47001").await.unwrap();
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|v| v.ejemplo && v.importacion == demo.id));

        // Real figures of one period: every demo indicator value stands aside, population stays.
        store.store_indicator_import(nueva(&[(b, c(2026, 1), "homicidios", 1.0)], false, T + 1), false).await.unwrap();
        assert_eq!(
            vigentes(&store.valores_vigentes("47001").await.unwrap()),
            vec![("2026".into(), b, POBLACION, 1500.0, true), ("2026-C1".into(), b, "homicidios", 1.0, false)]
        );
        // A real census: the demo population goes too.
        store
            .store_indicator_import(nueva(&[(b, PeriodoDato::Anio { anio: 2025 }, POBLACION, 1480.0)], false, T + 2), false)
            .await
            .unwrap();
        assert_eq!(
            vigentes(&store.valores_vigentes("47001").await.unwrap()),
            vec![("2025".into(), b, POBLACION, 1480.0, false), ("2026-C1".into(), b, "homicidios", 1.0, false)]
        );
    }

    #[tokio::test]
    async fn the_catalogue_is_seeded_once_and_edits_are_versions() {
        let (_dir, store) = store().await;
        assert_eq!(store.seed_indicadores(T).await.unwrap(), 9);
        assert_eq!(store.seed_indicadores(T).await.unwrap(), 0, "once");
        let list = store.indicadores().await.unwrap();
        assert_eq!(list.len(), 9);
        assert_eq!(list[0].nombre, "Comportamientos contrarios a la convivencia", "by name");
        assert!(list.iter().all(|i| i.version == 1 && i.updated_by == "cartobarrio"));

        let admin = account(&store, "ana", Role::Admin).await;
        let draft = IndicadorDraft {
            code: "rinas".into(),
            nombre: "Riñas y peleas".into(),
            unidad: Unidad::Casos,
            direccion: Direccion::MayorEsPeor,
            descripcion: String::new(),
            fuente: "RNMC".into(),
            activo: false,
        };
        let (edited, new) = store.put_indicador(draft.clone(), admin.clone(), T + 1).await.unwrap();
        assert!(!new);
        assert_eq!((edited.version, edited.activo, edited.updated_by.as_str()), (2, false, "ana"));
        let (same, _) = store.put_indicador(draft, admin.clone(), T + 2).await.unwrap();
        assert_eq!(same.version, 2, "an edit that changes nothing adds no version");
        let list = store.indicadores().await.unwrap();
        assert_eq!(list.len(), 9);
        assert!(list.iter().any(|i| i.code == "rinas" && i.version == 2 && !i.activo), "the current version, inactive ones too");
        assert_refused(&store, &["UPDATE indicadores SET nombre = 'x'", "DELETE FROM indicadores"]).await;
    }
}
