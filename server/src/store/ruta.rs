//! La ruta del barrio as stored: ciclos, their step changes and closings, and the registros
//! kept for each step. Append-only (migration 0014's triggers); each change is written to the
//! audit log in the same transaction, so neither is ever kept without the other.

use app::model::account::User;
use app::model::registro::{CicloRuta, Formato, Registro, RegistroError, RegistroMeta, Retiro, RetiroDraft, RutaBarrio, RutaResumen};
use app::model::ruta::{CambioDePaso, CambioDraft, Ciclo, Cierre, Paso, RutaError, TipoRegistro};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::{Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn paso_of(n: i64) -> Result<Paso, StoreError> {
    u8::try_from(n).ok().and_then(Paso::from_number).ok_or_else(|| corrupt("step", n))
}

/// A code as serde writes it (`"informe"`), for the enums stored as text.
pub(super) fn code<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value).map_err(|e| corrupt("code", e))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(corrupt("code", other)),
    }
}

pub(super) fn from_code<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).map_err(|e| corrupt("code", e))
}

fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| corrupt("id", e))
}

/// The ciclo with its changes and closure; `None`: no such ciclo.
fn read_ciclo(c: &Connection, id: Uuid) -> Result<Option<Ciclo>, StoreError> {
    let row = c
        .prepare_cached("SELECT barrio_id, opened_at_ms, opened_by FROM ciclos WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))
        .optional()?;
    let Some((barrio_id, opened_at_ms, opened_by)) = row else {
        return Ok(None);
    };
    let mut stmt =
        c.prepare_cached("SELECT to_paso, at_ms, by_user, comment, missing, reason FROM ciclo_changes WHERE ciclo_id = ?1 ORDER BY seq")?;
    let rows = stmt
        .query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let changes = rows
        .into_iter()
        .map(|(to, at_ms, by, comment, missing, reason)| {
            let missing: Vec<TipoRegistro> = serde_json::from_str(&missing).map_err(|e| corrupt("missing registros", e))?;
            Ok(CambioDePaso { to: paso_of(to)?, at_ms, by, comment, missing, reason })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let cierre = c
        .prepare_cached("SELECT at_ms, by_user, comment FROM ciclo_closures WHERE ciclo_id = ?1")?
        .query_row([id.to_string()], |r| Ok(Cierre { at_ms: r.get(0)?, by: r.get(1)?, comment: r.get(2)? }))
        .optional()?;
    Ok(Some(Ciclo { id, barrio_id, opened_at_ms, opened_by, closed_at_ms: cierre.as_ref().map(|c| c.at_ms), changes, cierre }))
}

const SELECT_REGISTRO: &str = "SELECT r.id, r.ciclo_id, c.barrio_id, r.paso, r.tipo, r.fecha, r.descripcion, r.nombre, r.formato, \
     r.bytes, r.sha256, r.uploaded_by, r.uploaded_at_ms, w.at_ms, w.by_user, w.reason, r.acta_id \
     FROM registros r JOIN ciclos c ON c.id = r.ciclo_id LEFT JOIN registro_withdrawals w ON w.registro_id = r.id";

fn registro_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RegistroRow> {
    Ok(RegistroRow {
        id: r.get(0)?,
        ciclo_id: r.get(1)?,
        barrio_id: r.get(2)?,
        paso: r.get(3)?,
        tipo: r.get(4)?,
        fecha: r.get(5)?,
        descripcion: r.get(6)?,
        nombre: r.get(7)?,
        formato: r.get(8)?,
        bytes: r.get(9)?,
        sha256: r.get(10)?,
        uploaded_by: r.get(11)?,
        uploaded_at_ms: r.get(12)?,
        withdrawn: match (r.get::<_, Option<i64>>(13)?, r.get::<_, Option<String>>(14)?, r.get::<_, Option<String>>(15)?) {
            (Some(at_ms), Some(by), Some(reason)) => Some(Retiro { at_ms, by, reason }),
            _ => None,
        },
        acta_id: r.get(16)?,
    })
}

struct RegistroRow {
    id: String,
    ciclo_id: String,
    barrio_id: i64,
    paso: i64,
    tipo: String,
    fecha: String,
    descripcion: String,
    nombre: String,
    formato: String,
    bytes: i64,
    sha256: String,
    uploaded_by: String,
    uploaded_at_ms: i64,
    withdrawn: Option<Retiro>,
    acta_id: Option<String>,
}

impl RegistroRow {
    fn parse(self) -> Result<Registro, StoreError> {
        Ok(Registro {
            id: parse_id(&self.id)?,
            ciclo_id: parse_id(&self.ciclo_id)?,
            barrio_id: self.barrio_id,
            paso: paso_of(self.paso)?,
            tipo: from_code(&self.tipo)?,
            fecha: self.fecha,
            descripcion: self.descripcion,
            nombre: self.nombre,
            formato: from_code(&self.formato)?,
            bytes: u64::try_from(self.bytes).map_err(|e| corrupt("size", e))?,
            sha256: self.sha256,
            uploaded_by: self.uploaded_by,
            uploaded_at_ms: self.uploaded_at_ms,
            retiro: self.withdrawn,
            acta_id: self.acta_id.as_deref().map(parse_id).transpose()?,
        })
    }
}

fn registros_of(c: &Connection, ciclo_id: Uuid) -> Result<Vec<Registro>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("{SELECT_REGISTRO} WHERE r.ciclo_id = ?1 ORDER BY r.paso, r.uploaded_at_ms, r.id"))?;
    let rows = stmt.query_map([ciclo_id.to_string()], registro_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(RegistroRow::parse).collect()
}

pub(super) fn read_registro(c: &Connection, id: Uuid) -> Result<Option<Registro>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("{SELECT_REGISTRO} WHERE r.id = ?1"))?;
    stmt.query_row([id.to_string()], registro_row).optional()?.map(RegistroRow::parse).transpose()
}


fn ciclos_of(c: &Connection, barrio_id: i64) -> Result<Vec<Ciclo>, StoreError> {
    let ids: Vec<String> = c
        .prepare_cached("SELECT id FROM ciclos WHERE barrio_id = ?1 ORDER BY opened_at_ms DESC, rowid DESC")?
        .query_map([barrio_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.iter().map(|id| read_ciclo(c, parse_id(id)?)?.ok_or_else(|| corrupt("ciclo", "vanished"))).collect()
}

/// Opens ciclo `id` of an existing barrio at step 1, with its audit line, inside the caller's
/// transaction (an accepted inscripción opens one in the same transaction as its decision).
/// Refused while another ciclo of the barrio is open.
pub(super) fn insert_ciclo(tx: &Connection, barrio_id: i64, id: Uuid, by: &User, now_ms: i64) -> Result<Ciclo, StoreError> {
    let open = tx.query_row("SELECT 1 FROM open_ciclos WHERE barrio_id = ?1", [barrio_id], |_| Ok(())).optional()?;
    if open.is_some() {
        return Err(RutaError::AlreadyOpen.into());
    }
    tx.execute(
        "INSERT INTO ciclos (id, barrio_id, opened_at_ms, opened_by) VALUES (?1, ?2, ?3, ?4)",
        params![id.to_string(), barrio_id, now_ms, by.display_name],
    )?;
    tx.execute("INSERT INTO open_ciclos (barrio_id, ciclo_id) VALUES (?1, ?2)", params![barrio_id, id.to_string()])?;
    audit_row(tx, Some(by), "ciclo_open", format!("barrio {barrio_id} ciclo {id}"), String::new(), now_ms)?;
    read_ciclo(tx, id)?.ok_or_else(|| corrupt("ciclo", "not written"))
}

/// Keeps registro `id` of an open `ciclo` for a file already stored, with its audit line,
/// inside the caller's transaction (a prioritisation keeps the balance as step 1's registro in
/// the same transaction as the ciclo it opens).
pub(super) fn insert_registro(
    tx: &Connection,
    ciclo: &Ciclo,
    id: Uuid,
    meta: &RegistroMeta,
    file: &StoredFile,
    by: &User,
    now_ms: i64,
) -> Result<Registro, StoreError> {
    let bytes = i64::try_from(file.bytes).map_err(|e| corrupt("size", e))?;
    tx.execute(
        "INSERT INTO registros (id, ciclo_id, paso, tipo, fecha, descripcion, nombre, formato, bytes, sha256, uploaded_by, uploaded_at_ms, acta_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            id.to_string(),
            ciclo.id.to_string(),
            meta.paso,
            code(&meta.tipo)?,
            meta.fecha,
            meta.descripcion,
            meta.nombre,
            code(&file.formato)?,
            bytes,
            file.sha256,
            by.display_name,
            now_ms,
            meta.acta_id.map(|a| a.to_string())
        ],
    )?;
    let detail = format!("paso {} {}: {} ({} bytes)", meta.paso, code(&meta.tipo)?, meta.nombre, file.bytes);
    audit_row(tx, Some(by), "registro_add", format!("barrio {} registro {id}", ciclo.barrio_id), detail, now_ms)?;
    read_registro(tx, id)?.ok_or_else(|| corrupt("registro", "not written"))
}

/// A file already on disk, ready to be named by a registro.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub sha256: String,
    pub bytes: u64,
    pub formato: Formato,
}

impl Store {
    /// The barrio of ciclo `id`, to check who may act on it; `None`: no such ciclo.
    pub async fn ciclo_barrio(&self, id: Uuid) -> Result<Option<i64>, StoreError> {
        self.call(move |c| Ok(c.query_row("SELECT barrio_id FROM ciclos WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()?)).await
    }

    /// Opens a new ciclo of the barrio at step 1. `None`: no such barrio. Refused while
    /// another ciclo of the barrio is open.
    pub async fn open_ciclo(&self, barrio_id: i64, id: Uuid, by: User, now_ms: i64) -> Result<Option<Ciclo>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !super::barrios::exists(&tx, barrio_id)? {
                return Ok(None);
            }
            let ciclo = insert_ciclo(&tx, barrio_id, id, &by, now_ms)?;
            tx.commit()?;
            Ok(Some(ciclo))
        })
        .await
    }

    /// Moves ciclo `id` to another step, as [`Ciclo::change_to`] allows given the registros
    /// kept for its current step. `None`: no such ciclo.
    pub async fn change_paso(&self, id: Uuid, draft: CambioDraft, by: User, now_ms: i64) -> Result<Option<Ciclo>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(mut ciclo) = read_ciclo(&tx, id)? else {
                return Ok(None);
            };
            let to = Paso::from_number(draft.to).ok_or(RutaError::NoSuchStep(draft.to))?;
            let kept = app::model::registro::kept(ciclo.current(), &registros_of(&tx, id)?);
            let change = ciclo.change_to(to, now_ms, &by.display_name, &draft.comment, &draft.reason, &kept)?;
            tx.execute(
                "INSERT INTO ciclo_changes (ciclo_id, to_paso, at_ms, by_user, comment, missing, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id.to_string(),
                    change.to.number(),
                    change.at_ms,
                    change.by,
                    change.comment,
                    serde_json::to_string(&change.missing).map_err(|e| corrupt("missing registros", e))?,
                    change.reason
                ],
            )?;
            let from = ciclo.current().number();
            let mut detail = format!("paso {from} → {}", change.to.number());
            if !change.missing.is_empty() {
                detail.push_str(&format!(" sin {} registro(s): {}", change.missing.len(), change.reason));
            } else if !change.comment.is_empty() {
                detail.push_str(&format!(": {}", change.comment));
            }
            audit_row(&tx, Some(&by), "ciclo_step", format!("barrio {} ciclo {id}", ciclo.barrio_id), detail, now_ms)?;
            tx.commit()?;
            ciclo.changes.push(change);
            Ok(Some(ciclo))
        })
        .await
    }

    /// Closes ciclo `id` (for good); the barrio may then open another. `None`: no such ciclo.
    pub async fn close_ciclo(&self, id: Uuid, comment: String, by: User, now_ms: i64) -> Result<Option<Ciclo>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(mut ciclo) = read_ciclo(&tx, id)? else {
                return Ok(None);
            };
            let cierre = ciclo.close(now_ms, &by.display_name, &comment)?;
            tx.execute(
                "INSERT INTO ciclo_closures (ciclo_id, at_ms, by_user, comment) VALUES (?1, ?2, ?3, ?4)",
                params![id.to_string(), cierre.at_ms, cierre.by, cierre.comment],
            )?;
            // `open_ciclos` only says which ciclo is open; the closure row is the record.
            tx.execute("DELETE FROM open_ciclos WHERE ciclo_id = ?1", [id.to_string()])?;
            let detail = format!("en el paso {}: {}", ciclo.current().number(), cierre.comment);
            audit_row(&tx, Some(&by), "ciclo_close", format!("barrio {} ciclo {id}", ciclo.barrio_id), detail, now_ms)?;
            tx.commit()?;
            ciclo.closed_at_ms = Some(cierre.at_ms);
            ciclo.cierre = Some(cierre);
            Ok(Some(ciclo))
        })
        .await
    }

    /// The barrio's ciclos, newest first, with their registros. `None`: no such barrio.
    pub async fn ruta_of_barrio(&self, barrio_id: i64) -> Result<Option<RutaBarrio>, StoreError> {
        self.call(move |c| {
            let Some(barrio) = super::barrios::read_barrio(c, barrio_id)? else {
                return Ok(None);
            };
            let ciclos = ciclos_of(c, barrio_id)?
                .into_iter()
                .map(|ciclo| Ok(CicloRuta::new(ciclo.clone(), registros_of(c, ciclo.id)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Some(RutaBarrio { barrio_id, name: barrio.summary.name, comuna: barrio.summary.comuna, ciclos }))
        })
        .await
    }

    /// Every barrio with where its open ciclo stands, in the order of the barrio list.
    pub async fn ruta_resumen(&self) -> Result<Vec<RutaResumen>, StoreError> {
        self.call(move |c| {
            let barrios: Vec<(i64, String, String, String, Option<String>, i64)> = c
                .prepare(
                    "SELECT b.id, b.code, b.municipio, b.name, b.comuna, (SELECT COUNT(*) FROM ciclos x WHERE x.barrio_id = b.id) \
                     FROM barrios b ORDER BY b.municipio, b.name COLLATE NOCASE, b.id",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
                .collect::<Result<_, _>>()?;
            let open: std::collections::HashMap<i64, String> = c
                .prepare("SELECT barrio_id, ciclo_id FROM open_ciclos")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            barrios
                .into_iter()
                .map(|(barrio_id, code, municipio, name, comuna, ciclos)| {
                    let ruta = match open.get(&barrio_id) {
                        Some(id) => {
                            let id = parse_id(id)?;
                            let ciclo = read_ciclo(c, id)?.ok_or_else(|| corrupt("open ciclo", id))?;
                            Some(CicloRuta::new(ciclo, registros_of(c, id)?))
                        }
                        None => None,
                    };
                    Ok(RutaResumen {
                        barrio_id,
                        code,
                        municipio,
                        name,
                        comuna,
                        paso: ruta.as_ref().map(|r| r.ciclo.current().number()),
                        ciclo_id: ruta.as_ref().map(|r| r.ciclo.id),
                        since_ms: ruta.as_ref().and_then(|r| r.ciclo.stay(r.ciclo.current()).map(|(at, _)| at)),
                        pendientes: ruta.as_ref().map_or(0, |r| r.pendientes() as u32),
                        ciclos: u32::try_from(ciclos).unwrap_or(u32::MAX),
                    })
                })
                .collect()
        })
        .await
    }

    /// Every barrio's boundary as stored (GeoJSON text): the caller parses and simplifies it
    /// without holding the database.
    pub async fn boundaries(&self) -> Result<Vec<(i64, String)>, StoreError> {
        self.call(|c| Ok(c.prepare("SELECT id, boundary FROM barrios ORDER BY id")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?))
            .await
    }

    /// Keeps a registro of ciclo `ciclo_id` for a file already stored. `None`: no such ciclo.
    /// A closed ciclo keeps no new registros.
    pub async fn add_registro(
        &self,
        ciclo_id: Uuid,
        id: Uuid,
        meta: RegistroMeta,
        file: StoredFile,
        by: User,
        now_ms: i64,
    ) -> Result<Option<Registro>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(ciclo) = read_ciclo(&tx, ciclo_id)? else {
                return Ok(None);
            };
            if !ciclo.is_open() {
                return Err(RutaError::Closed.into());
            }
            if let Some(acta) = meta.acta_id {
                if !super::actas::in_barrio(&tx, acta, ciclo.barrio_id)? {
                    return Err(RegistroError::UnknownActa.into());
                }
            }
            let registro = insert_registro(&tx, &ciclo, id, &meta, &file, &by, now_ms)?;
            tx.commit()?;
            Ok(Some(registro))
        })
        .await
    }

    pub async fn registro(&self, id: Uuid) -> Result<Option<Registro>, StoreError> {
        self.call(move |c| read_registro(c, id)).await
    }

    /// Withdraws registro `id` (once): it stays stored and listed, and stops counting.
    pub async fn withdraw_registro(&self, id: Uuid, draft: RetiroDraft, by: User, now_ms: i64) -> Result<Option<Registro>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(registro) = read_registro(&tx, id)? else {
                return Ok(None);
            };
            if registro.retiro.is_some() {
                return Err(RegistroError::AlreadyWithdrawn.into());
            }
            tx.execute(
                "INSERT INTO registro_withdrawals (registro_id, at_ms, by_user, reason) VALUES (?1, ?2, ?3, ?4)",
                params![id.to_string(), now_ms, by.display_name, draft.reason],
            )?;
            audit_row(
                &tx,
                Some(&by),
                "registro_withdraw",
                format!("barrio {} registro {id}", registro.barrio_id),
                draft.reason.clone(),
                now_ms,
            )?;
            tx.commit()?;
            Ok(Some(Registro { retiro: Some(Retiro { at_ms: now_ms, by: by.display_name, reason: draft.reason }), ..registro }))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    #[tokio::test]
    async fn step_changes_and_registros_are_appended_and_never_rewritten() {
        let (_dir, store) = store().await;
        let barrio = barrio(&store, "pescaito").await;
        let staff = account(&store, "Marta", app::model::account::Role::Staff).await;
        let staff = || staff.clone();
        let id = Uuid::from_u128(7);
        let ciclo = store.open_ciclo(barrio, id, staff(), 1_000).await.unwrap().unwrap();
        assert_eq!(ciclo.current(), Paso::Identificacion);
        let again = store.open_ciclo(barrio, Uuid::from_u128(8), staff(), 1_001).await.unwrap_err();
        assert!(matches!(again, StoreError::Ruta(RutaError::AlreadyOpen)));
        let file = StoredFile { sha256: "ab".repeat(32), bytes: 12, formato: Formato::Pdf };
        let meta = RegistroMeta {
            paso: 1,
            tipo: TipoRegistro::Informe,
            fecha: "2026-12-01".into(),
            descripcion: "Informe".into(),
            nombre: "i.pdf".into(),
            acta_id: None,
        };
        store.add_registro(id, Uuid::from_u128(9), meta, file, staff(), 1_002).await.unwrap().unwrap();
        let moved = store
            .change_paso(id, CambioDraft { to: 2, comment: String::new(), reason: String::new() }, staff(), 1_003)
            .await
            .unwrap()
            .unwrap();
        assert!(moved.changes[0].missing.is_empty(), "the informe was kept");
        let refused = store.change_paso(id, CambioDraft { to: 3, comment: String::new(), reason: String::new() }, staff(), 1_004).await;
        assert!(matches!(refused, Err(StoreError::Ruta(RutaError::MissingWithoutReason(_)))));
        let registro =
            store.withdraw_registro(Uuid::from_u128(9), RetiroDraft { reason: "duplicado".into() }, staff(), 1_005).await.unwrap().unwrap();
        assert_eq!(registro.retiro.unwrap().reason, "duplicado");
        assert_refused(
            &store,
            &[
                "UPDATE ciclo_changes SET to_paso = 9",
                "DELETE FROM ciclo_changes",
                "UPDATE registros SET tipo = 'otro'",
                "DELETE FROM registros",
                "DELETE FROM registro_withdrawals",
                "DELETE FROM ciclos",
            ],
        )
        .await;
        let closed = store.close_ciclo(id, "El barrio salió de la priorización".into(), staff(), 1_006).await.unwrap().unwrap();
        assert!(!closed.is_open());
        let ruta = store.ruta_of_barrio(barrio).await.unwrap().unwrap();
        assert_eq!((ruta.ciclos.len(), ruta.ciclos[0].registros.len()), (1, 1));
        store.open_ciclo(barrio, Uuid::from_u128(10), staff(), 1_007).await.unwrap().unwrap();
        let resumen = store.ruta_resumen().await.unwrap();
        let line = resumen.iter().find(|r| r.barrio_id == barrio).unwrap();
        assert_eq!((line.paso, line.ciclos, line.pendientes), (Some(1), 2, 1));
        let log = store.audit_log(None, 20).await.unwrap();
        let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["ciclo_open", "registro_add", "ciclo_step", "registro_withdraw", "ciclo_close", "ciclo_open"]);
    }
}
