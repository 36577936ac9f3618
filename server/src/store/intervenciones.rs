//! Fichas de intervención as stored (migration 0022): every version received, immutable; the
//! highest version is the ficha. Sending a version again is answered alike, so a tablet that
//! lost the answer may send it as often as it needs. What a ficha names — its institution, its
//! place, its compromisos — is checked against the barrio's own catalogue, diagnósticos and
//! pactos in the same transaction.

use app::model::account::User;
use app::model::intervencion::{CompromisoOpcion, ContextoFicha, FichaError, FichaIntervencion};
use app::model::pacto::borrador;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::pactos::{barrio_name, diagnostico, lineas_en_vigor, EnVigor};
use super::versioned;
use super::{Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// Whether `hotspot` is a place of one of the barrio's diagnósticos: a text search narrows it
/// to the diagnóstico that may hold it (without reading every snapshot), which is then read.
fn hotspot_del_barrio(c: &Connection, barrio_id: i64, hotspot: Uuid) -> Result<bool, StoreError> {
    let needle = format!("\"id\":\"{hotspot}\"");
    let numero: Option<u32> = c
        .prepare_cached("SELECT number FROM diagnosticos WHERE barrio_id = ?1 AND instr(snapshot, ?2) > 0 ORDER BY number DESC LIMIT 1")?
        .query_row(params![barrio_id, needle], |r| r.get(0))
        .optional()?;
    let Some(numero) = numero else { return Ok(false) };
    Ok(diagnostico(c, barrio_id, numero)?.is_some_and(|d| d.hotspots.iter().any(|h| h.id == hotspot)))
}

pub(super) fn compromiso_del_barrio(c: &Connection, barrio_id: i64, compromiso: Uuid) -> Result<bool, StoreError> {
    Ok(c.prepare_cached(
        "SELECT 1 FROM pacto_compromisos k JOIN pactos p ON p.id = k.pacto_id WHERE k.compromiso_id = ?1 AND p.barrio_id = ?2 LIMIT 1",
    )?
    .query_row(params![compromiso.to_string(), barrio_id], |_| Ok(()))
    .optional()?
    .is_some())
}

/// The compromisos of the barrio's pacto in force (and its immediate measures), by due date.
pub(super) fn compromiso_opciones(c: &Connection, barrio_id: i64, hoy: &str) -> Result<Vec<CompromisoOpcion>, StoreError> {
    let mut compromisos: Vec<CompromisoOpcion> = lineas_en_vigor(c, None, Some(barrio_id), hoy)?
        .into_iter()
        .map(|(EnVigor { linea, .. }, _)| CompromisoOpcion {
            id: linea.compromiso.id,
            responsable: linea.compromiso.responsable,
            que: linea.compromiso.que,
            fecha_limite: linea.compromiso.fecha_limite,
            estado: linea.estado,
        })
        .collect();
    compromisos.sort_by(|a, b| a.fecha_limite.cmp(&b.fecha_limite).then(a.id.cmp(&b.id)));
    Ok(compromisos)
}

/// What the ficha names, checked against what the barrio has.
fn referencias(c: &Connection, ficha: &FichaIntervencion) -> Result<(), StoreError> {
    if super::instituciones::current(c, &ficha.institucion)?.is_none() {
        return Err(FichaError::UnknownInstitution(ficha.institucion.chars().take(60).collect()).into());
    }
    if let Some(h) = ficha.lugar.hotspot_id {
        if !hotspot_del_barrio(c, ficha.barrio_id, h)? {
            return Err(FichaError::UnknownPlace.into());
        }
    }
    for k in &ficha.compromisos {
        if !compromiso_del_barrio(c, ficha.barrio_id, *k)? {
            return Err(FichaError::UnknownCompromiso.into());
        }
    }
    Ok(())
}

impl Store {
    /// Keeps a checked version of a ficha written by `by`. `Ok((ficha, true))` when stored now,
    /// `(ficha, false)` when this very version was stored before. Refused: another content
    /// under the same version, a version older than the stored one, another barrio, (unless
    /// `any_author`) a ficha first written by another account, or what it names unknown to the
    /// barrio. `None`: no such barrio.
    pub async fn put_ficha(
        &self,
        mut ficha: FichaIntervencion,
        by: User,
        any_author: bool,
        now_ms: i64,
    ) -> Result<Option<(FichaIntervencion, bool)>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !super::barrios::exists(&tx, ficha.barrio_id)? {
                return Ok(None);
            }
            ficha.author = by.display_name.clone();
            if let Some(stored) = versioned::version(&tx, versioned::FICHAS, ficha.id, ficha.version)? {
                return if stored.same_content(&ficha) { Ok(Some((stored, false))) } else { Err(FichaError::Conflict(ficha.version).into()) };
            }
            if let Some((current, first_author)) = versioned::latest(&tx, versioned::FICHAS, ficha.id)? {
                if current.barrio_id != ficha.barrio_id {
                    return Err(FichaError::OtherBarrio.into());
                }
                if current.version > ficha.version {
                    return Err(FichaError::Stale(current.version).into());
                }
                if !any_author && first_author != Some(by.id) {
                    return Err(FichaError::NotYours.into());
                }
            }
            // A withdrawal keeps what the ficha said; it need not name anything still known.
            if !ficha.deleted {
                referencias(&tx, &ficha)?;
            }
            let body = serde_json::to_string(&ficha).map_err(|e| corrupt("ficha", e))?;
            tx.execute(
                "INSERT INTO ficha_versions (id, version, barrio_id, accion, institucion, fecha, deleted, body, author_user_id, author, received_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    ficha.id.to_string(),
                    ficha.version,
                    ficha.barrio_id,
                    ficha.accion.code(),
                    ficha.institucion,
                    ficha.fecha,
                    ficha.deleted,
                    body,
                    by.id,
                    ficha.author,
                    now_ms
                ],
            )?;
            let what = if ficha.deleted { "retirada" } else { "guardada" };
            let detail = format!("{} versión {} {what}", ficha.accion.code(), ficha.version);
            audit_row(&tx, Some(&by), "ficha_write", format!("barrio {} ficha {}", ficha.barrio_id, ficha.id), detail, now_ms)?;
            tx.commit()?;
            Ok(Some((ficha, true)))
        })
        .await
    }

    /// The latest version of every ficha of the barrio, withdrawn ones included (flagged),
    /// newest action first.
    pub async fn fichas_of_barrio(&self, barrio_id: i64) -> Result<Vec<FichaIntervencion>, StoreError> {
        self.call(move |c| versioned::of_barrio(c, versioned::FICHAS, barrio_id))
        .await
    }

    /// The latest version of ficha `id`.
    pub async fn ficha(&self, id: Uuid) -> Result<Option<FichaIntervencion>, StoreError> {
        self.call(move |c| Ok(versioned::latest(c, versioned::FICHAS, id)?.map(|(ficha, _)| ficha))).await
    }

    /// What a ficha's form offers for the barrio; `None`: no such barrio.
    pub async fn contexto_ficha(&self, barrio_id: i64, hoy: String) -> Result<Option<ContextoFicha>, StoreError> {
        self.call(move |c| {
            let Some(barrio) = barrio_name(c, barrio_id)? else { return Ok(None) };
            let instituciones = super::instituciones::catalogo(c)?.into_iter().filter(|i| i.activa).map(|i| (i.codigo, i.nombre)).collect();
            let ultimo: Option<u32> = c
                .prepare_cached("SELECT MAX(number) FROM diagnosticos WHERE barrio_id = ?1")?
                .query_row([barrio_id], |r| r.get(0))
                .optional()?
                .flatten();
            let lugares = match ultimo {
                Some(n) => diagnostico(c, barrio_id, n)?.map(|d| borrador::lugares(&d)).unwrap_or_default(),
                None => Vec::new(),
            };
            let compromisos = compromiso_opciones(c, barrio_id, &hoy)?;
            Ok(Some(ContextoFicha { barrio_id, barrio, instituciones, lugares, compromisos }))
        })
        .await
    }
}
