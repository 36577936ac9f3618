//! Pactos as stored (migration 0020): each pacto and otrosí, its numbered revisions, its
//! signing with the signed compromisos as rows, their status history and the publications.
//! Append-only (the migration's triggers refuse the rest); every write is one transaction with
//! its audit line, like the ruta's.
//!
//! A pacto's *lineage* is the pacto and its otrosíes (each names the one before): a
//! compromiso keeps its id across them, so its status is read from the lineage's history.
//! The pacto *in force* in a barrio is its most recently signed one.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use app::model::account::User;
use app::model::acta::ActaKind;
use app::model::pacto::compromiso::{estado_actual, ordenar_para_seguimiento, vencido};
use app::model::pacto::publicacion::publicar;
use app::model::pacto::{
    borrador, CambioEstado, CambioEstadoDraft, Compromiso, CompromisoDeInstitucion, CompromisoPublicado, EstadoCompromiso, EstadoPacto,
    Firma, FirmaDraft, GuardarPacto, LugarOpcion, Pacto, PactoContenido, PactoDetalle, PactoPublicado, PactoResumen, PublicarPacto,
};
use app::model::ruta::TipoRegistro;
use app::model::Diagnostico;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::{Store, StoreError};
use crate::pactos::PactoRefusal;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| corrupt("id", e))
}

fn number(n: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|e| corrupt(what, e))
}

fn refused(r: impl Into<PactoRefusal>) -> StoreError {
    StoreError::Pacto(r.into())
}

/// A row of `pactos`.
struct Fila {
    id: Uuid,
    barrio_id: i64,
    ciclo_id: Option<Uuid>,
    diagnostico: u32,
    version: u32,
    anterior: Option<Uuid>,
    creado_por: String,
    creado_ms: i64,
}

fn fila(c: &Connection, id: Uuid) -> Result<Option<Fila>, StoreError> {
    let row = c
        .prepare_cached("SELECT barrio_id, ciclo_id, diagnostico, version, anterior, creado_por, creado_ms FROM pactos WHERE id = ?1")?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })
        .optional()?;
    row.map(|(barrio_id, ciclo_id, diagnostico, version, anterior, creado_por, creado_ms)| {
        Ok(Fila {
            id,
            barrio_id,
            ciclo_id: ciclo_id.as_deref().map(parse_id).transpose()?,
            diagnostico: number(diagnostico, "diagnóstico")?,
            version: number(version, "version")?,
            anterior: anterior.as_deref().map(parse_id).transpose()?,
            creado_por,
            creado_ms,
        })
    })
    .transpose()
}

/// The latest revision: its number, content, author and time.
struct Revision {
    numero: u32,
    contenido: PactoContenido,
    por: String,
    at_ms: i64,
}

fn ultima_revision(c: &Connection, id: Uuid) -> Result<Revision, StoreError> {
    let (numero, contenido, por, at_ms) = c
        .prepare_cached("SELECT revision, contenido, por, at_ms FROM pacto_revisiones WHERE pacto_id = ?1 ORDER BY revision DESC LIMIT 1")?
        .query_row([id.to_string()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?)))
        .optional()?
        .ok_or_else(|| corrupt("pacto", "without revisions"))?;
    let contenido = serde_json::from_str(&contenido).map_err(|e| corrupt("pacto content", e))?;
    Ok(Revision { numero: number(numero, "revision")?, contenido, por, at_ms })
}

fn firma(c: &Connection, id: Uuid) -> Result<Option<Firma>, StoreError> {
    let row = c
        .prepare_cached("SELECT revision, registro_id, fecha, por, at_ms FROM pacto_firmas WHERE pacto_id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    row.map(|(revision, registro_id, fecha, por, at_ms)| {
        Ok(Firma { revision: number(revision, "revision")?, registro_id: parse_id(&registro_id)?, fecha, por, at_ms })
    })
    .transpose()
}

fn pacto_of(c: &Connection, f: Fila) -> Result<Pacto, StoreError> {
    let revision = ultima_revision(c, f.id)?;
    let firma = firma(c, f.id)?;
    let (actualizado_por, actualizado_ms) = match &firma {
        Some(s) => (s.por.clone(), s.at_ms),
        None => (revision.por, revision.at_ms),
    };
    Ok(Pacto {
        id: f.id,
        barrio_id: f.barrio_id,
        ciclo_id: f.ciclo_id,
        diagnostico: f.diagnostico,
        version: f.version,
        anterior: f.anterior,
        revision: revision.numero,
        contenido: revision.contenido,
        estado: if firma.is_some() { EstadoPacto::Firmado } else { EstadoPacto::Borrador },
        firma,
        creado_por: f.creado_por,
        creado_ms: f.creado_ms,
        actualizado_por,
        actualizado_ms,
    })
}

fn read_pacto(c: &Connection, id: Uuid) -> Result<Option<Pacto>, StoreError> {
    fila(c, id)?.map(|f| pacto_of(c, f)).transpose()
}

/// The otrosí that amends pacto `id`, if any.
fn otrosi_de(c: &Connection, id: Uuid) -> Result<Option<Uuid>, StoreError> {
    let next: Option<String> =
        c.prepare_cached("SELECT id FROM pactos WHERE anterior = ?1")?.query_row([id.to_string()], |r| r.get(0)).optional()?;
    next.as_deref().map(parse_id).transpose()
}

fn firmado(c: &Connection, id: Uuid) -> Result<bool, StoreError> {
    Ok(c.prepare_cached("SELECT 1 FROM pacto_firmas WHERE pacto_id = ?1")?.query_row([id.to_string()], |_| Ok(())).optional()?.is_some())
}

/// The barrio's pacto or otrosí that is not signed yet, if any (at most one).
fn sin_firmar(c: &Connection, barrio_id: i64) -> Result<Option<Uuid>, StoreError> {
    let id: Option<String> = c
        .prepare_cached(
            "SELECT p.id FROM pactos p WHERE p.barrio_id = ?1 AND NOT EXISTS (SELECT 1 FROM pacto_firmas f WHERE f.pacto_id = p.id) LIMIT 1",
        )?
        .query_row([barrio_id], |r| r.get(0))
        .optional()?;
    id.as_deref().map(parse_id).transpose()
}

/// Writes compromiso `k` as a row of pacto `pacto_id`: at its signing, or as an immediate
/// measure of miniauditoría `miniauditoria` (which names it).
pub(super) fn insert_compromiso(tx: &Connection, pacto_id: Uuid, k: &Compromiso, miniauditoria: Option<Uuid>) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO pacto_compromisos (pacto_id, compromiso_id, responsable, que, hotspot_id, lugar, fecha_limite, indicador, solucion_id, miniauditoria_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        pacto_id.to_string(),
        k.id.to_string(),
        k.responsable,
        k.que,
        k.hotspot_id.map(|h| h.to_string()),
        k.lugar,
        k.fecha_limite,
        k.indicador,
        k.solucion_id.map(|s| s.to_string()),
        miniauditoria.map(|m| m.to_string())
    ])?;
    Ok(())
}

/// Appends a checked status change of compromiso `cid` of pacto `pacto_id` to its history.
pub(super) fn append_cambio(tx: &Connection, pacto_id: Uuid, cid: Uuid, cambio: &CambioEstadoDraft, por: &str, at_ms: i64) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO compromiso_estados (pacto_id, compromiso_id, estado, motivo, evidencia, registro_id, por, at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            pacto_id.to_string(),
            cid.to_string(),
            cambio.estado.code(),
            cambio.motivo,
            cambio.evidencia,
            cambio.registro_id.map(|r| r.to_string()),
            por,
            at_ms
        ],
    )?;
    Ok(())
}

/// The barrio's pacto in force: its most recently signed one.
pub(super) fn vigente(c: &Connection, barrio_id: i64) -> Result<Option<Uuid>, StoreError> {
    let id: Option<String> = c
        .prepare_cached(
            "SELECT f.pacto_id FROM pacto_firmas f JOIN pactos p ON p.id = f.pacto_id WHERE p.barrio_id = ?1 \
             ORDER BY f.at_ms DESC, f.rowid DESC LIMIT 1",
        )?
        .query_row([barrio_id], |r| r.get(0))
        .optional()?;
    id.as_deref().map(parse_id).transpose()
}

/// Pacto `id`'s lineage, from the pacto (version 1) to its newest otrosí.
pub(super) fn linaje(c: &Connection, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let mut up = vec![id];
    let mut at = id;
    while let Some(before) = fila(c, at)?.and_then(|f| f.anterior) {
        if up.contains(&before) {
            return Err(corrupt("pacto lineage", "a loop"));
        }
        up.push(before);
        at = before;
    }
    up.reverse();
    let mut at = id;
    while let Some(next) = otrosi_de(c, at)? {
        if up.contains(&next) {
            return Err(corrupt("pacto lineage", "a loop"));
        }
        up.push(next);
        at = next;
    }
    Ok(up)
}

type EstadoRow = (i64, String, String, String, String, String, Option<String>, String, i64);

const SELECT_ESTADO: &str =
    "SELECT seq, pacto_id, compromiso_id, estado, motivo, evidencia, registro_id, por, at_ms FROM compromiso_estados";

fn estado_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EstadoRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
}

fn cambio_of(
    (seq, pacto_id, compromiso_id, estado, motivo, evidencia, registro_id, por, at_ms): EstadoRow,
) -> Result<CambioEstado, StoreError> {
    Ok(CambioEstado {
        seq,
        compromiso_id: parse_id(&compromiso_id)?,
        pacto_id: parse_id(&pacto_id)?,
        estado: EstadoCompromiso::from_code(&estado).ok_or_else(|| corrupt("compromiso status", &estado))?,
        motivo,
        evidencia,
        registro_id: registro_id.as_deref().map(parse_id).transpose()?,
        por,
        at_ms,
    })
}

/// Every status change made on the pactos of `linaje`, in the order they were kept.
fn historia_del_linaje(c: &Connection, linaje: &[Uuid]) -> Result<Vec<CambioEstado>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("{SELECT_ESTADO} WHERE pacto_id = ?1 ORDER BY seq"))?;
    let mut out = Vec::new();
    for id in linaje {
        for row in stmt.query_map([id.to_string()], estado_row)?.collect::<Result<Vec<_>, _>>()? {
            out.push(cambio_of(row)?);
        }
    }
    out.sort_by_key(|c| c.seq);
    Ok(out)
}

/// The history of compromiso `cid` within `linaje`, in order.
pub(super) fn historia(c: &Connection, linaje: &[Uuid], cid: Uuid) -> Result<Vec<CambioEstado>, StoreError> {
    let rows = c
        .prepare_cached(&format!("{SELECT_ESTADO} WHERE compromiso_id = ?1 ORDER BY seq"))?
        .query_map([cid.to_string()], estado_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let cambio = cambio_of(row)?;
        if linaje.contains(&cambio.pacto_id) {
            out.push(cambio);
        }
    }
    Ok(out)
}

/// The diagnóstico a pacto was built from, as generated.
pub(super) fn diagnostico(c: &Connection, barrio_id: i64, numero: u32) -> Result<Option<Diagnostico>, StoreError> {
    let snapshot: Option<String> = c
        .prepare_cached("SELECT snapshot FROM diagnosticos WHERE barrio_id = ?1 AND number = ?2")?
        .query_row(params![barrio_id, numero], |r| r.get(0))
        .optional()?;
    snapshot.map(|s| serde_json::from_str(&s).map_err(|e| corrupt("diagnóstico", e))).transpose()
}

fn lugares_de(c: &Connection, f: &Fila) -> Result<Vec<LugarOpcion>, StoreError> {
    let diag = diagnostico(c, f.barrio_id, f.diagnostico)?.ok_or_else(|| corrupt("pacto", "its diagnóstico is gone"))?;
    Ok(borrador::lugares(&diag))
}

pub(super) fn barrio_name(c: &Connection, barrio_id: i64) -> Result<Option<String>, StoreError> {
    Ok(c.prepare_cached("SELECT name FROM barrios WHERE id = ?1")?.query_row([barrio_id], |r| r.get(0)).optional()?)
}

fn insert_pacto(tx: &Connection, f: &Fila, contenido: &PactoContenido) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO pactos (id, barrio_id, ciclo_id, diagnostico, version, anterior, creado_por, creado_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            f.id.to_string(),
            f.barrio_id,
            f.ciclo_id.map(|c| c.to_string()),
            f.diagnostico,
            f.version,
            f.anterior.map(|a| a.to_string()),
            f.creado_por,
            f.creado_ms
        ],
    )?;
    insert_revision(tx, f.id, 1, contenido, &f.creado_por, f.creado_ms)
}

fn insert_revision(tx: &Connection, id: Uuid, revision: u32, contenido: &PactoContenido, por: &str, at_ms: i64) -> Result<(), StoreError> {
    let json = serde_json::to_string(contenido).map_err(|e| corrupt("pacto content", e))?;
    tx.execute(
        "INSERT INTO pacto_revisiones (pacto_id, revision, contenido, por, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id.to_string(), revision, json, por, at_ms],
    )?;
    Ok(())
}

fn open_ciclo(c: &Connection, barrio_id: i64) -> Result<Option<Uuid>, StoreError> {
    let id: Option<String> =
        c.prepare_cached("SELECT ciclo_id FROM open_ciclos WHERE barrio_id = ?1")?.query_row([barrio_id], |r| r.get(0)).optional()?;
    id.as_deref().map(parse_id).transpose()
}

/// Whether `acta` is a socialización acta of barrio `barrio_id` (its latest version, not
/// withdrawn).
fn acta_de_socializacion(c: &Connection, acta: Uuid, barrio_id: i64) -> Result<bool, StoreError> {
    let row: Option<(i64, String, bool)> = c
        .prepare_cached("SELECT barrio_id, kind, deleted FROM acta_versions WHERE id = ?1 ORDER BY version DESC LIMIT 1")?
        .query_row([acta.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(row.is_some_and(|(b, kind, deleted)| b == barrio_id && !deleted && ActaKind::from_code(&kind) == Some(ActaKind::Socializacion)))
}

/// Registro `id`, if it is one of barrio `barrio_id`'s and was not withdrawn.
fn registro_del_barrio(c: &Connection, id: Uuid, barrio_id: i64) -> Result<app::model::registro::Registro, StoreError> {
    let registro = super::ruta::read_registro(c, id)?.filter(|r| r.barrio_id == barrio_id).ok_or(refused(PactoRefusal::UnknownRegistro))?;
    if registro.retiro.is_some() {
        return Err(refused(PactoRefusal::RegistroWithdrawn));
    }
    Ok(registro)
}

/// The publication with each compromiso's status now: the last change of its lineage's history.
fn con_estados(c: &Connection, mut p: PactoPublicado) -> Result<PactoPublicado, StoreError> {
    let vivos: HashMap<Uuid, EstadoCompromiso> =
        historia_del_linaje(c, &linaje(c, p.pacto_id)?)?.into_iter().map(|e| (e.compromiso_id, e.estado)).collect();
    for k in &mut p.compromisos {
        k.estado = vivos.get(&k.id).copied().unwrap_or_default();
    }
    Ok(p)
}

/// The barrio's publication in force (its newest), with live statuses.
fn publicacion_vigente(c: &Connection, barrio_id: i64) -> Result<Option<PactoPublicado>, StoreError> {
    let json: Option<String> = c
        .prepare_cached("SELECT contenido FROM pacto_publicaciones WHERE barrio_id = ?1 ORDER BY seq DESC LIMIT 1")?
        .query_row([barrio_id], |r| r.get(0))
        .optional()?;
    let Some(json) = json else {
        return Ok(None);
    };
    let p: PactoPublicado = serde_json::from_str(&json).map_err(|e| corrupt("pacto publication", e))?;
    Ok(Some(con_estados(c, p)?))
}

/// The pacto `id` refused for a change when it is signed, or stale for `revision`.
fn editable(c: &Connection, id: Uuid, revision: u32) -> Result<Revision, StoreError> {
    if firmado(c, id)? {
        return Err(refused(PactoRefusal::Signed));
    }
    let latest = ultima_revision(c, id)?;
    if latest.numero != revision {
        return Err(refused(PactoRefusal::Stale { sent: revision, latest: latest.numero }));
    }
    Ok(latest)
}

/// A compromiso of a barrio's pacto in force, as a follow-up line, and when that pacto was signed.
pub(super) struct EnVigor {
    pub linea: CompromisoDeInstitucion,
    pub firmado_ms: i64,
}

/// Every compromiso of the barrios' pactos in force and every immediate measure of their
/// miniauditorías (of institution `responsable` and of barrio
/// `barrio` only, when given), each with its status history across its pacto's lineage, in no particular order.
pub(super) fn lineas_en_vigor(
    c: &Connection,
    responsable: Option<&str>,
    barrio: Option<i64>,
    hoy: &str,
) -> Result<Vec<(EnVigor, Vec<CambioEstado>)>, StoreError> {
    type Linea = (i64, String, String, i64, String, String, String, Option<String>, String, String, String, Option<String>, i64);
    let rows: Vec<Linea> = c
        .prepare_cached(
            "SELECT p.barrio_id, b.name, p.id, p.version, k.compromiso_id, k.responsable, k.que, k.hotspot_id, k.lugar, \
             k.fecha_limite, k.indicador, k.solucion_id, f.at_ms \
             FROM pacto_compromisos k JOIN pactos p ON p.id = k.pacto_id JOIN pacto_firmas f ON f.pacto_id = k.pacto_id \
             JOIN barrios b ON b.id = p.barrio_id \
             WHERE (?1 IS NULL OR k.responsable = ?1) AND (?2 IS NULL OR p.barrio_id = ?2) AND (k.miniauditoria_id IS NOT NULL OR k.pacto_id = (SELECT f2.pacto_id FROM pacto_firmas f2 JOIN pactos p2 ON p2.id = f2.pacto_id \
             WHERE p2.barrio_id = p.barrio_id ORDER BY f2.at_ms DESC, f2.rowid DESC LIMIT 1))",
        )?
        .query_map(params![responsable, barrio], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut linajes: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (barrio_id, barrio, pacto_id, version, cid, responsable, que, hotspot_id, lugar, fecha_limite, indicador, solucion_id, firmado_ms) in rows {
        let pacto_id = parse_id(&pacto_id)?;
        let compromiso = Compromiso {
            id: parse_id(&cid)?,
            responsable,
            que,
            hotspot_id: hotspot_id.as_deref().map(parse_id).transpose()?,
            lugar,
            fecha_limite,
            indicador,
            solucion_id: solucion_id.as_deref().map(parse_id).transpose()?,
        };
        let linaje = match linajes.entry(pacto_id) {
            Entry::Occupied(l) => l.into_mut(),
            Entry::Vacant(v) => v.insert(linaje(c, pacto_id)?),
        };
        let historia = historia(c, linaje, compromiso.id)?;
        let estado = estado_actual(&historia);
        let linea = CompromisoDeInstitucion {
            barrio_id,
            barrio,
            pacto_id,
            pacto_version: number(version, "version")?,
            vencido: vencido(estado, &compromiso.fecha_limite, hoy),
            desde_ms: historia.last().map_or(firmado_ms, |e| e.at_ms),
            compromiso,
            estado,
        };
        out.push((EnVigor { linea, firmado_ms }, historia));
    }
    Ok(out)
}

fn target(barrio_id: i64, id: Uuid) -> String {
    format!("barrio {barrio_id} pacto {id}")
}

impl Store {
    /// The barrio of pacto `id`, to check who may act on it; `None`: no such pacto.
    pub async fn pacto_barrio(&self, id: Uuid) -> Result<Option<i64>, StoreError> {
        self.call(move |c| Ok(fila(c, id)?.map(|f| f.barrio_id))).await
    }

    /// A barrio's pactos and otrosíes, newest first. `None`: no such barrio.
    pub async fn pactos_de_barrio(&self, barrio_id: i64) -> Result<Option<Vec<PactoResumen>>, StoreError> {
        self.call(move |c| {
            if !super::barrios::exists(c, barrio_id)? {
                return Ok(None);
            }
            let ids: Vec<String> = c
                .prepare_cached("SELECT id FROM pactos WHERE barrio_id = ?1 ORDER BY creado_ms DESC, rowid DESC")?
                .query_map([barrio_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let en_vigor = vigente(c, barrio_id)?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let p = read_pacto(c, parse_id(&id)?)?.ok_or_else(|| corrupt("pacto", "vanished"))?;
                out.push(PactoResumen {
                    id: p.id,
                    version: p.version,
                    anterior: p.anterior,
                    diagnostico: p.diagnostico,
                    revision: p.revision,
                    estado: p.estado,
                    fecha: p.contenido.fecha.clone(),
                    compromisos: u32::try_from(p.contenido.compromisos.len()).unwrap_or(u32::MAX),
                    firmado_ms: p.firma.as_ref().map(|f| f.at_ms),
                    vigente: en_vigor == Some(p.id),
                    actualizado_ms: p.actualizado_ms,
                });
            }
            Ok(Some(out))
        })
        .await
    }

    /// Drafts pacto `id` of the barrio from its diagnóstico `numero` (revision 1 =
    /// [`borrador`]), in the barrio's open ciclo if any. `None`: no such barrio. Refused: no
    /// such diagnóstico, or the barrio already has a pacto that is not signed.
    pub async fn crear_pacto(&self, barrio_id: i64, id: Uuid, numero: u32, by: User, now_ms: i64) -> Result<Option<Pacto>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(nombre) = barrio_name(&tx, barrio_id)? else {
                return Ok(None);
            };
            let diag = diagnostico(&tx, barrio_id, numero)?.ok_or(refused(PactoRefusal::UnknownDiagnostico(numero)))?;
            if sin_firmar(&tx, barrio_id)?.is_some() {
                return Err(refused(PactoRefusal::UnsignedOpen));
            }
            let contenido = borrador(&diag, numero, &nombre);
            let f = Fila {
                id,
                barrio_id,
                ciclo_id: open_ciclo(&tx, barrio_id)?,
                diagnostico: numero,
                version: 1,
                anterior: None,
                creado_por: by.display_name.clone(),
                creado_ms: now_ms,
            };
            insert_pacto(&tx, &f, &contenido)?;
            let detail =
                format!("del diagnóstico n.º {numero}: {} problemas, {} soluciones", contenido.problemas.len(), contenido.soluciones.len());
            audit_row(&tx, Some(&by), "pacto_create", target(barrio_id, id), detail, now_ms)?;
            let pacto = read_pacto(&tx, id)?.ok_or_else(|| corrupt("pacto", "not written"))?;
            tx.commit()?;
            Ok(Some(pacto))
        })
        .await
    }

    /// Saves a new revision of pacto `id`, made on revision `guardar.revision`. `None`: no such
    /// pacto. Refused: signed, stale, content that breaks a rule (institutions of the
    /// catalogue — an inactive one only if the pacto already names it —, places of its
    /// diagnóstico), or an acta that is not a socialización acta of its barrio.
    pub async fn guardar_pacto(&self, id: Uuid, guardar: GuardarPacto, by: User, now_ms: i64) -> Result<Option<Pacto>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(f) = fila(&tx, id)? else {
                return Ok(None);
            };
            let latest = editable(&tx, id, guardar.revision)?;
            let lugares: HashSet<Uuid> = lugares_de(&tx, &f)?.into_iter().map(|l| l.hotspot_id).collect();
            let catalogo = super::instituciones::catalogo(&tx)?;
            let nombradas: HashSet<&str> = latest.contenido.compromisos.iter().map(|k| k.responsable.as_str()).collect();
            let institucion = |code: &str| catalogo.iter().any(|i| i.codigo == code && (i.activa || nombradas.contains(code)));
            let contenido = guardar.contenido.checked(institucion, |h| lugares.contains(h)).map_err(refused)?;
            if let Some(acta) = contenido.acta_id {
                if !acta_de_socializacion(&tx, acta, f.barrio_id)? {
                    return Err(refused(PactoRefusal::ActaNotSocializacion));
                }
            }
            let revision = latest.numero + 1;
            insert_revision(&tx, id, revision, &contenido, &by.display_name, now_ms)?;
            let detail = format!("revisión {revision}: {} compromisos", contenido.compromisos.len());
            audit_row(&tx, Some(&by), "pacto_save", target(f.barrio_id, id), detail, now_ms)?;
            let pacto = pacto_of(&tx, f)?;
            tx.commit()?;
            Ok(Some(pacto))
        })
        .await
    }

    /// Signs pacto `id` at revision `firma.revision` (its latest) with its scan kept as
    /// registro `firma.registro_id`, and keeps its compromisos as rows. `None`: no such pacto.
    pub async fn firmar_pacto(&self, id: Uuid, firma: FirmaDraft, by: User, now_ms: i64) -> Result<Option<Pacto>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(f) = fila(&tx, id)? else {
                return Ok(None);
            };
            let latest = editable(&tx, id, firma.revision)?;
            let registro = registro_del_barrio(&tx, firma.registro_id, f.barrio_id)?;
            if registro.tipo != TipoRegistro::PactoFirmado {
                return Err(refused(PactoRefusal::RegistroNotPacto));
            }
            if latest.contenido.compromisos.is_empty() {
                return Err(refused(PactoRefusal::NoCompromisos));
            }
            tx.execute(
                "INSERT INTO pacto_firmas (pacto_id, revision, registro_id, fecha, por, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id.to_string(), latest.numero, firma.registro_id.to_string(), firma.fecha, by.display_name, now_ms],
            )?;
            for k in &latest.contenido.compromisos {
                insert_compromiso(&tx, id, k, None)?;
            }
            let detail = format!(
                "revisión {} firmada el {}, registro {}: {} compromisos",
                latest.numero,
                firma.fecha,
                firma.registro_id,
                latest.contenido.compromisos.len()
            );
            audit_row(&tx, Some(&by), "pacto_sign", target(f.barrio_id, id), detail, now_ms)?;
            let pacto = pacto_of(&tx, f)?;
            tx.commit()?;
            Ok(Some(pacto))
        })
        .await
    }

    /// Makes otrosí `new_id` of signed pacto `id`: the next version, naming it, from the same
    /// diagnóstico, its revision 1 the signed content with no date. `None`: no such pacto.
    pub async fn otrosi(&self, id: Uuid, new_id: Uuid, by: User, now_ms: i64) -> Result<Option<Pacto>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(f) = fila(&tx, id)? else {
                return Ok(None);
            };
            if !firmado(&tx, id)? {
                return Err(refused(PactoRefusal::NotSigned));
            }
            if otrosi_de(&tx, id)?.is_some() {
                return Err(refused(PactoRefusal::HasOtrosi));
            }
            if sin_firmar(&tx, f.barrio_id)?.is_some() {
                return Err(refused(PactoRefusal::UnsignedOpen));
            }
            let contenido = PactoContenido { fecha: String::new(), ..ultima_revision(&tx, id)?.contenido };
            let nueva = Fila {
                id: new_id,
                barrio_id: f.barrio_id,
                ciclo_id: open_ciclo(&tx, f.barrio_id)?.or(f.ciclo_id),
                diagnostico: f.diagnostico,
                version: f.version + 1,
                anterior: Some(id),
                creado_por: by.display_name.clone(),
                creado_ms: now_ms,
            };
            insert_pacto(&tx, &nueva, &contenido)?;
            let detail = format!("otrosí n.º {} al pacto {id}", f.version);
            audit_row(&tx, Some(&by), "pacto_otrosi", target(f.barrio_id, new_id), detail, now_ms)?;
            let pacto = read_pacto(&tx, new_id)?.ok_or_else(|| corrupt("otrosí", "not written"))?;
            tx.commit()?;
            Ok(Some(pacto))
        })
        .await
    }

    /// Appends a status change of compromiso `cid` of signed pacto `id`, checked against its
    /// status now (the lineage's history). `None`: no such pacto, or no such compromiso in it.
    pub async fn cambiar_estado(
        &self,
        id: Uuid,
        cid: Uuid,
        draft: CambioEstadoDraft,
        by: User,
        now_ms: i64,
    ) -> Result<Option<CambioEstado>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(f) = fila(&tx, id)? else {
                return Ok(None);
            };
            if !firmado(&tx, id)? {
                return Err(refused(PactoRefusal::NotSigned));
            }
            if let Some(next) = otrosi_de(&tx, id)? {
                if firmado(&tx, next)? {
                    return Err(refused(PactoRefusal::Superseded));
                }
            }
            let signed = tx
                .prepare_cached("SELECT 1 FROM pacto_compromisos WHERE pacto_id = ?1 AND compromiso_id = ?2")?
                .query_row([id.to_string(), cid.to_string()], |_| Ok(()))
                .optional()?;
            if signed.is_none() {
                return Ok(None);
            }
            let ahora = estado_actual(&historia(&tx, &linaje(&tx, id)?, cid)?);
            let draft = draft.checked(ahora).map_err(refused)?;
            if let Some(registro) = draft.registro_id {
                registro_del_barrio(&tx, registro, f.barrio_id)?;
            }
            append_cambio(&tx, id, cid, &draft, &by.display_name, now_ms)?;
            let seq = tx.last_insert_rowid();
            let detail = format!("compromiso {cid}: {} → {}", ahora.code(), draft.estado.code());
            audit_row(&tx, Some(&by), "compromiso_estado", target(f.barrio_id, id), detail, now_ms)?;
            tx.commit()?;
            Ok(Some(CambioEstado {
                seq,
                compromiso_id: cid,
                pacto_id: id,
                estado: draft.estado,
                motivo: draft.motivo,
                evidencia: draft.evidencia,
                registro_id: draft.registro_id,
                por: by.display_name,
                at_ms: now_ms,
            }))
        })
        .await
    }

    /// Pacto `id` with what its page shows; `editable` is left false for the caller to set.
    /// `None`: no such pacto.
    pub async fn pacto_detalle(&self, id: Uuid) -> Result<Option<PactoDetalle>, StoreError> {
        self.call(move |c| {
            let Some(f) = fila(c, id)? else {
                return Ok(None);
            };
            let lugares = lugares_de(c, &f)?;
            let barrio = barrio_name(c, f.barrio_id)?.unwrap_or_default();
            let pacto = pacto_of(c, f)?;
            let linaje = linaje(c, id)?;
            let suyos: HashSet<Uuid> = pacto.contenido.compromisos.iter().map(|k| k.id).collect();
            let mut estados = historia_del_linaje(c, &linaje)?;
            estados.retain(|e| suyos.contains(&e.compromiso_id));
            let publicacion = publicacion_vigente(c, pacto.barrio_id)?.filter(|p| linaje.contains(&p.pacto_id));
            let ciclo_abierto = open_ciclo(c, pacto.barrio_id)?;
            Ok(Some(PactoDetalle { otrosi: otrosi_de(c, id)?, pacto, barrio, lugares, estados, publicacion, editable: false, ciclo_abierto }))
        })
        .await
    }

    /// What of signed pacto `id` would be published as `pedido` asks (with live statuses),
    /// kept as the barrio's publication in force when `guardar`. `None`: no such pacto.
    pub async fn publicar_pacto(
        &self,
        id: Uuid,
        pedido: PublicarPacto,
        guardar: bool,
        by: User,
        now_ms: i64,
    ) -> Result<Option<PactoPublicado>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(if guardar { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred })?;
            let Some(f) = fila(&tx, id)? else {
                return Ok(None);
            };
            let lugares = lugares_de(&tx, &f)?;
            let pacto = pacto_of(&tx, f)?;
            let Some(firma) = pacto.firma.clone() else {
                return Err(refused(PactoRefusal::NotSigned));
            };
            let instituciones = super::instituciones::catalogo(&tx)?;
            let compromisos: Vec<CompromisoPublicado> = publicar(&pacto, pedido, &instituciones, &lugares).map_err(refused)?;
            let publicado = PactoPublicado {
                barrio_id: pacto.barrio_id,
                pacto_id: pacto.id,
                pacto_version: pacto.version,
                firmado: firma.fecha,
                compromisos,
                publicado_ms: now_ms,
            };
            let publicado = con_estados(&tx, publicado)?;
            if guardar {
                let json = serde_json::to_string(&publicado).map_err(|e| corrupt("pacto publication", e))?;
                tx.execute(
                    "INSERT INTO pacto_publicaciones (barrio_id, pacto_id, contenido, por, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![pacto.barrio_id, id.to_string(), json, by.display_name, now_ms],
                )?;
                let detail = format!("{} compromisos publicados", publicado.compromisos.len());
                audit_row(&tx, Some(&by), "pacto_publish", target(pacto.barrio_id, id), detail, now_ms)?;
                tx.commit()?;
            }
            Ok(Some(publicado))
        })
        .await
    }

    /// The barrio's published compromisos in force, with live statuses.
    pub async fn pacto_publicado(&self, barrio_id: i64) -> Result<Option<PactoPublicado>, StoreError> {
        self.call(move |c| publicacion_vigente(c, barrio_id)).await
    }

    /// The compromisos of institution `codigo` in each barrio's pacto in force, with their
    /// status and whether they are overdue on `hoy`, in the order staff follow them up.
    /// `None`: no institution of that code in the catalogue.
    pub async fn compromisos_de_institucion(
        &self,
        codigo: String,
        hoy: String,
    ) -> Result<Option<Vec<CompromisoDeInstitucion>>, StoreError> {
        self.call(move |c| {
            if super::instituciones::current(c, &codigo)?.is_none() {
                return Ok(None);
            }
            let mut out: Vec<CompromisoDeInstitucion> = lineas_en_vigor(c, Some(&codigo), None, &hoy)?.into_iter().map(|(l, _)| l.linea).collect();
            ordenar_para_seguimiento(&mut out);
            Ok(Some(out))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;
    use app::model::account::Role;
    use app::model::MergeParams;

    fn compromiso(n: u128, responsable: &str, fecha: &str) -> Compromiso {
        Compromiso {
            id: Uuid::from_u128(n),
            responsable: responsable.into(),
            que: "Reponer las luminarias".into(),
            hotspot_id: None,
            lugar: "Parque".into(),
            fecha_limite: fecha.into(),
            indicador: "Luminarias encendidas".into(),
            solucion_id: None,
        }
    }

    async fn catalogue(store: &Store) {
        crate::seed::seed_instituciones(store, T).await.unwrap();
    }

    /// A barrio with a diagnóstico 1 (of no marks) and a ciclo with a `pacto_firmado` registro.
    async fn barrio_listo(store: &Store, code: &str, staff: &User) -> (i64, Uuid) {
        let b = barrio(store, code).await;
        store
            .generate_diagnostico(b, "Equipo".into(), T, move |m, c, s, a| {
                crate::merge::merge_adjusted(b, m, c, s, &MergeParams::default(), a)
            })
            .await
            .unwrap()
            .unwrap();
        let ciclo = Uuid::new_v4();
        store.open_ciclo(b, ciclo, staff.clone(), T).await.unwrap().unwrap();
        let meta = app::model::registro::RegistroMeta {
            paso: 4,
            tipo: TipoRegistro::PactoFirmado,
            fecha: "2027-02-10".into(),
            descripcion: String::new(),
            nombre: "pacto.pdf".into(),
            acta_id: None,
        };
        let file = super::super::StoredFile { sha256: "ab".repeat(32), bytes: 12, formato: app::model::registro::Formato::Pdf };
        let registro = Uuid::new_v4();
        store.add_registro(ciclo, registro, meta, file, staff.clone(), T).await.unwrap().unwrap();
        (b, registro)
    }

    fn refusal<T: std::fmt::Debug>(r: Result<T, StoreError>) -> PactoRefusal {
        match r {
            Err(StoreError::Pacto(e)) => e,
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_pacto_is_revised_signed_amended_and_followed_up_append_only() {
        let (_dir, store) = store().await;
        catalogue(&store).await;
        let staff = account(&store, "marta", Role::Staff).await;
        let (b, registro) = barrio_listo(&store, "pescaito", &staff).await;
        let id = Uuid::from_u128(1);
        let p = store.crear_pacto(b, id, 1, staff.clone(), T + 1).await.unwrap().unwrap();
        assert_eq!((p.version, p.revision, p.estado), (1, 1, EstadoPacto::Borrador));
        assert!(p.ciclo_id.is_some());
        assert_eq!(refusal(store.crear_pacto(b, Uuid::from_u128(2), 1, staff.clone(), T).await), PactoRefusal::UnsignedOpen);
        assert_eq!(refusal(store.crear_pacto(b, Uuid::from_u128(2), 9, staff.clone(), T).await), PactoRefusal::UnknownDiagnostico(9));

        let mut contenido = p.contenido.clone();
        contenido.compromisos = vec![compromiso(10, "essmar", "2027-03-31")];
        let saved = store
            .guardar_pacto(id, GuardarPacto { revision: 1, contenido: contenido.clone() }, staff.clone(), T + 2)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(saved.revision, 2);
        let stale = store.guardar_pacto(id, GuardarPacto { revision: 1, contenido: contenido.clone() }, staff.clone(), T + 3).await;
        assert_eq!(refusal(stale), PactoRefusal::Stale { sent: 1, latest: 2 });
        let firma = FirmaDraft { revision: 2, registro_id: registro, fecha: "2027-02-10".into() };
        let signed = store.firmar_pacto(id, firma.clone(), staff.clone(), T + 4).await.unwrap().unwrap();
        assert_eq!((signed.estado, signed.firma.as_ref().map(|f| f.revision)), (EstadoPacto::Firmado, Some(2)));
        assert_eq!(refusal(store.firmar_pacto(id, firma, staff.clone(), T + 5).await), PactoRefusal::Signed);

        let cambio =
            |estado, evidencia: &str| CambioEstadoDraft { estado, motivo: String::new(), evidencia: evidencia.into(), registro_id: None };
        let cid = Uuid::from_u128(10);
        let first =
            store.cambiar_estado(id, cid, cambio(EstadoCompromiso::EnCurso, "Visita"), staff.clone(), T + 6).await.unwrap().unwrap();
        assert_eq!(first.estado, EstadoCompromiso::EnCurso);
        assert!(store
            .cambiar_estado(id, Uuid::from_u128(99), cambio(EstadoCompromiso::EnCurso, "x"), staff.clone(), T)
            .await
            .unwrap()
            .is_none());

        // The otrosí carries the compromisos; the history goes on there once it is signed.
        let v2 = Uuid::from_u128(3);
        let otrosi = store.otrosi(id, v2, staff.clone(), T + 7).await.unwrap().unwrap();
        assert_eq!((otrosi.version, otrosi.anterior, otrosi.contenido.fecha.as_str()), (2, Some(id), ""));
        assert_eq!(otrosi.contenido.compromisos, contenido.compromisos);
        assert_eq!(refusal(store.otrosi(id, Uuid::from_u128(4), staff.clone(), T).await), PactoRefusal::HasOtrosi);
        let firma2 = FirmaDraft { revision: 1, registro_id: registro, fecha: "2027-05-01".into() };
        store.firmar_pacto(v2, firma2, staff.clone(), T + 8).await.unwrap().unwrap();
        assert_eq!(
            refusal(store.cambiar_estado(id, cid, cambio(EstadoCompromiso::Cumplido, "x"), staff.clone(), T).await),
            PactoRefusal::Superseded
        );
        store.cambiar_estado(v2, cid, cambio(EstadoCompromiso::Cumplido, "Acta de visita"), staff.clone(), T + 9).await.unwrap().unwrap();
        let detalle = store.pacto_detalle(v2).await.unwrap().unwrap();
        let historia: Vec<(Uuid, EstadoCompromiso)> = detalle.estados.iter().map(|e| (e.pacto_id, e.estado)).collect();
        assert_eq!(historia, vec![(id, EstadoCompromiso::EnCurso), (v2, EstadoCompromiso::Cumplido)]);

        let lines = store.compromisos_de_institucion("essmar".into(), "2027-04-01".into()).await.unwrap().unwrap();
        assert_eq!(lines.len(), 1, "only the pacto in force");
        assert_eq!((lines[0].pacto_id, lines[0].estado, lines[0].vencido), (v2, EstadoCompromiso::Cumplido, false));
        assert!(store.compromisos_de_institucion("nadie".into(), "2027-04-01".into()).await.unwrap().is_none());

        assert_refused(
            &store,
            &[
                "UPDATE pactos SET version = 3",
                "DELETE FROM pactos",
                "UPDATE pacto_revisiones SET contenido = '{}'",
                "DELETE FROM pacto_revisiones",
                "UPDATE pacto_firmas SET fecha = '2000-01-01'",
                "DELETE FROM pacto_firmas",
                "UPDATE pacto_compromisos SET que = 'nada'",
                "DELETE FROM pacto_compromisos",
                "UPDATE compromiso_estados SET estado = 'pendiente'",
                "DELETE FROM compromiso_estados",
                "INSERT INTO pacto_revisiones (pacto_id, revision, contenido, por, at_ms) \
                 VALUES ('00000000-0000-0000-0000-000000000001', 3, '{}', 'x', 0)",
            ],
        )
        .await;
        let log = store.audit_log(None, 20).await.unwrap();
        let actions: Vec<&str> =
            log.iter().rev().map(|e| e.action.as_str()).filter(|a| a.starts_with("pacto") || a.starts_with("compromiso")).collect();
        assert_eq!(
            actions,
            ["pacto_create", "pacto_save", "pacto_sign", "compromiso_estado", "pacto_otrosi", "pacto_sign", "compromiso_estado"]
        );
    }
}
