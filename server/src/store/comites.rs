//! Paso 7 as stored (migration 0021): the follow-up board over every compromiso of the
//! barrios' pactos in force, and the interinstitutional committee's actas, whose status changes
//! go into the compromisos' own history in the same transaction.

use std::collections::{HashMap, HashSet};

use app::model::account::User;
use app::model::pacto::compromiso::{estado_actual, ordenar_para_seguimiento};
use app::model::pacto::seguimiento::{
    estado_en, evidencia_de_comite, Comite, ComiteDraft, ComiteResumen, LineaSeguimiento, RevisionComite, Tablero,
};
use app::model::pacto::{CambioEstadoDraft, EstadoCompromiso};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::pactos::{append_cambio, historia, linaje, lineas_en_vigor, EnVigor};
use super::{Store, StoreError};
use crate::pactos::PactoRefusal;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn refused(r: impl Into<PactoRefusal>) -> StoreError {
    StoreError::Pacto(r.into())
}

fn estado(code: &str) -> Result<EstadoCompromiso, StoreError> {
    EstadoCompromiso::from_code(code).ok_or_else(|| corrupt("compromiso status", code))
}

/// The newest committee of each city: its number and when it ended.
fn ultimos_comites(c: &Connection) -> Result<HashMap<String, i64>, StoreError> {
    let rows = c
        .prepare_cached("SELECT municipio, MAX(at_ms) FROM comites GROUP BY municipio")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows.into_iter().collect())
}

fn municipio_de(c: &Connection, barrio_id: i64) -> Result<Option<String>, StoreError> {
    Ok(c.prepare_cached("SELECT municipio FROM barrios WHERE id = ?1")?.query_row([barrio_id], |r| r.get(0)).optional()?)
}

fn comite_of(c: &Connection, id: Uuid) -> Result<Option<Comite>, StoreError> {
    type Row = (String, i64, String, String, String, String, String, i64);
    let row: Option<Row> = c
        .prepare_cached("SELECT municipio, numero, fecha, lugar, asistentes, notas, por, at_ms FROM comites WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .optional()?;
    let Some((municipio, numero, fecha, lugar, asistentes, notas, por, at_ms)) = row else {
        return Ok(None);
    };
    type Rev = (String, String, i64, String, String, String, String, String, String, String);
    let rows: Vec<Rev> = c
        .prepare_cached(
            "SELECT r.pacto_id, r.compromiso_id, r.barrio_id, b.name, k.responsable, k.que, k.fecha_limite, r.antes, r.estado, r.nota \
             FROM comite_revisiones r JOIN barrios b ON b.id = r.barrio_id \
             JOIN pacto_compromisos k ON k.pacto_id = r.pacto_id AND k.compromiso_id = r.compromiso_id \
             WHERE r.comite_id = ?1 ORDER BY r.orden",
        )?
        .query_map([id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut revisiones = Vec::with_capacity(rows.len());
    for (pacto_id, compromiso_id, barrio_id, barrio, responsable, que, fecha_limite, antes, despues, nota) in rows {
        revisiones.push(RevisionComite {
            pacto_id: Uuid::parse_str(&pacto_id).map_err(|e| corrupt("id", e))?,
            compromiso_id: Uuid::parse_str(&compromiso_id).map_err(|e| corrupt("id", e))?,
            barrio_id,
            barrio,
            responsable,
            que,
            fecha_limite,
            antes: estado(&antes)?,
            estado: estado(&despues)?,
            nota,
        });
    }
    Ok(Some(Comite {
        id,
        numero: u32::try_from(numero).map_err(|e| corrupt("committee number", e))?,
        municipio,
        fecha,
        lugar,
        asistentes,
        notas,
        revisiones,
        por,
        at_ms,
    }))
}

impl Store {
    /// The follow-up board: every compromiso of the pactos in force of the barrios in `barrios`
    /// (every barrio when `None`), overdue first, each with its status at the last committee
    /// of its city; and those cities' committees, newest first.
    pub async fn tablero(&self, barrios: Option<HashSet<i64>>, hoy: String) -> Result<Tablero, StoreError> {
        self.call(move |c| {
            let en = |b: i64| barrios.as_ref().is_none_or(|set| set.contains(&b));
            let ultimos = ultimos_comites(c)?;
            let nombres: HashMap<String, String> = super::instituciones::catalogo(c)?.into_iter().map(|i| (i.codigo, i.nombre)).collect();
            let mut municipios: HashMap<i64, String> = HashMap::new();
            let mut lineas = Vec::new();
            for (EnVigor { linea, firmado_ms }, historia) in lineas_en_vigor(c, None, None, &hoy)? {
                if !en(linea.barrio_id) {
                    continue;
                }
                let municipio = match municipios.get(&linea.barrio_id) {
                    Some(m) => m.clone(),
                    None => {
                        let m = municipio_de(c, linea.barrio_id)?.unwrap_or_default();
                        municipios.insert(linea.barrio_id, m.clone());
                        m
                    }
                };
                // Signed after the last committee: that committee could not have seen it.
                let comite = ultimos.get(&municipio).copied().filter(|at| *at >= firmado_ms);
                let en_comite = comite.map(|at| estado_en(&historia, at));
                let cambio_desde_comite = comite.is_some_and(|at| historia.iter().any(|h| h.at_ms > at));
                let institucion =
                    nombres.get(&linea.compromiso.responsable).cloned().unwrap_or_else(|| linea.compromiso.responsable.clone());
                lineas.push(LineaSeguimiento { linea, municipio, institucion, en_comite, cambio_desde_comite });
            }
            let mut sorted: Vec<_> = lineas.iter().map(|l: &LineaSeguimiento| l.linea.clone()).collect();
            ordenar_para_seguimiento(&mut sorted);
            let order: HashMap<Uuid, usize> = sorted.iter().enumerate().map(|(i, l)| (l.compromiso.id, i)).collect();
            lineas.sort_by_key(|l| order.get(&l.linea.compromiso.id).copied().unwrap_or(usize::MAX));
            // The committees of the account's cities (every city's when it has no list).
            let cities: Option<HashSet<String>> = match &barrios {
                None => None,
                Some(set) => Some(
                    c.prepare_cached("SELECT id, municipio FROM barrios")?
                        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
                        .collect::<Result<Vec<_>, _>>()?
                        .into_iter()
                        .filter(|(id, _)| set.contains(id))
                        .map(|(_, m)| m)
                        .collect(),
                ),
            };
            type Resumen = (String, i64, String, String, i64, i64, i64);
            let rows: Vec<Resumen> = c
                .prepare_cached(
                    "SELECT c.id, c.numero, c.municipio, c.fecha, c.at_ms, COUNT(r.orden), COALESCE(SUM(r.antes <> r.estado), 0) \
                     FROM comites c LEFT JOIN comite_revisiones r ON r.comite_id = c.id \
                     GROUP BY c.id ORDER BY c.at_ms DESC, c.numero DESC",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
                .collect::<Result<_, _>>()?;
            let count = |n: i64| u32::try_from(n).map_err(|e| corrupt("committee count", e));
            let mut comites: Vec<ComiteResumen> = Vec::new();
            for (id, numero, municipio, fecha, at_ms, revisados, cambios) in rows {
                if cities.as_ref().is_some_and(|set| !set.contains(&municipio)) {
                    continue;
                }
                let id = Uuid::parse_str(&id).map_err(|e| corrupt("id", e))?;
                comites.push(ComiteResumen {
                    id,
                    numero: count(numero)?,
                    municipio,
                    fecha,
                    revisados: count(revisados)?,
                    cambios: count(cambios)?,
                    at_ms,
                });
            }
            Ok(Tablero { hoy, lineas, comites })
        })
        .await
    }

    /// Keeps a committee's acta and appends each status it changed, in one transaction. Each
    /// revision must name a compromiso of a barrio's pacto in force, of a barrio of the acta's
    /// city that `barrios` allows (every barrio when `None`).
    pub async fn crear_comite(
        &self,
        id: Uuid,
        draft: ComiteDraft,
        barrios: Option<HashSet<i64>>,
        by: User,
        now_ms: i64,
    ) -> Result<Comite, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let numero: i64 =
                tx.prepare_cached("SELECT COALESCE(MAX(numero), 0) + 1 FROM comites WHERE municipio = ?1")?.query_row([&draft.municipio], |r| r.get(0))?;
            let numero_u32 = u32::try_from(numero).map_err(|e| corrupt("committee number", e))?;
            tx.execute(
                "INSERT INTO comites (id, municipio, numero, fecha, lugar, asistentes, notas, por, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![id.to_string(), draft.municipio, numero, draft.fecha, draft.lugar, draft.asistentes, draft.notas, by.display_name, now_ms],
            )?;
            let mut cambios = 0;
            for (i, r) in draft.revisiones.iter().enumerate() {
                let barrio_id: Option<i64> = tx
                    .prepare_cached(
                        "SELECT p.barrio_id FROM pacto_compromisos k JOIN pactos p ON p.id = k.pacto_id JOIN barrios b ON b.id = p.barrio_id \
                         WHERE k.pacto_id = ?1 AND k.compromiso_id = ?2 AND b.municipio = ?3 \
                         AND (k.miniauditoria_id IS NOT NULL OR k.pacto_id = (SELECT f2.pacto_id FROM pacto_firmas f2 JOIN pactos p2 ON p2.id = f2.pacto_id \
                         WHERE p2.barrio_id = p.barrio_id ORDER BY f2.at_ms DESC, f2.rowid DESC LIMIT 1))",
                    )?
                    .query_row(params![r.pacto_id.to_string(), r.compromiso_id.to_string(), draft.municipio], |row| row.get(0))
                    .optional()?;
                let Some(barrio_id) = barrio_id.filter(|b| barrios.as_ref().is_none_or(|set| set.contains(b))) else {
                    return Err(refused(PactoRefusal::NotInForce(i)));
                };
                let antes = estado_actual(&historia(&tx, &linaje(&tx, r.pacto_id)?, r.compromiso_id)?);
                if r.estado != antes {
                    let cancelado = r.estado == EstadoCompromiso::Cancelado;
                    let cambio = CambioEstadoDraft {
                        estado: r.estado,
                        motivo: if cancelado { r.nota.clone() } else { String::new() },
                        evidencia: evidencia_de_comite(numero_u32, &draft.fecha, &r.nota),
                        registro_id: None,
                    }
                    .checked(antes)
                    .map_err(|e| refused(PactoRefusal::RevisionRefused(i, e)))?;
                    append_cambio(&tx, r.pacto_id, r.compromiso_id, &cambio, &by.display_name, now_ms)?;
                    cambios += 1;
                }
                tx.execute(
                    "INSERT INTO comite_revisiones (comite_id, orden, pacto_id, compromiso_id, barrio_id, antes, estado, nota) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![id.to_string(), i, r.pacto_id.to_string(), r.compromiso_id.to_string(), barrio_id, antes.code(), r.estado.code(), r.nota],
                )?;
            }
            let detail = format!("comité n.º {numero}: {} compromisos revisados, {cambios} cambios", draft.revisiones.len());
            audit_row(&tx, Some(&by), "comite", format!("municipio {} comité {id}", draft.municipio), detail, now_ms)?;
            let comite = comite_of(&tx, id)?.ok_or_else(|| corrupt("committee", "not kept"))?;
            tx.commit()?;
            Ok(comite)
        })
        .await
    }

    /// A committee's acta; `None`: no such committee.
    pub async fn comite(&self, id: Uuid) -> Result<Option<Comite>, StoreError> {
        self.call(move |c| comite_of(c, id)).await
    }
}
