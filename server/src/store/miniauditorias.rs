//! Miniauditorías as stored (migration 0023): every version received, immutable; the highest
//! is the miniauditoría, and a closed one takes no other. What it names is checked against the
//! barrio's own diagnóstico, pactos and catalogue in the same transaction, and the version
//! that closes it writes the statuses the group found and its immediate measures into the
//! follow-up there too — once, since a version sent again changes nothing.

use std::collections::{HashMap, HashSet};

use app::model::account::User;
use app::model::diagnostico::without_marks;
use app::model::miniauditoria::{
    evidencia_de_miniauditoria, CompromisoInforme, ContextoMiniauditoria, InformeMiniauditoria, Miniauditoria, MiniauditoriaError as E,
};
use app::model::pacto::{CambioEstadoDraft, Compromiso, EstadoCompromiso};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::intervenciones::{compromiso_del_barrio, compromiso_opciones};
use super::pactos::{append_cambio, diagnostico, insert_compromiso, lineas_en_vigor, vigente, EnVigor};
use super::versioned;
use super::{Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// What the session names, checked against what the barrio has.
fn referencias(c: &Connection, m: &Miniauditoria) -> Result<(), StoreError> {
    let diag = diagnostico(c, m.barrio_id, m.diagnostico)?.ok_or(E::UnknownDiagnostico(m.diagnostico))?;
    let places: HashSet<Uuid> = diag.hotspots.iter().map(|h| h.id).collect();
    if m.recorrido.iter().any(|p| !places.contains(&p.hotspot_id)) {
        return Err(E::UnknownPlace.into());
    }
    for r in &m.compromisos {
        if !compromiso_del_barrio(c, m.barrio_id, r.compromiso_id)? {
            return Err(E::UnknownCompromiso.into());
        }
    }
    if !m.medidas.is_empty() && vigente(c, m.barrio_id)?.is_none() {
        return Err(E::NoPacto.into());
    }
    for medida in &m.medidas {
        if super::instituciones::current(c, &medida.responsable)?.is_none() {
            return Err(E::UnknownInstitution(medida.responsable.chars().take(60).collect()).into());
        }
        if medida.hotspot_id.is_some_and(|h| !places.contains(&h)) {
            return Err(E::UnknownPlace.into());
        }
        // A measure is a new compromiso: its id may not be one the follow-up already has.
        let taken = c
            .prepare_cached("SELECT 1 FROM pacto_compromisos WHERE compromiso_id = ?1 LIMIT 1")?
            .query_row([medida.id.to_string()], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            return Err(E::BadMedidas.into());
        }
    }
    Ok(())
}

/// Closing: each status the group found that differs from the compromiso's now is appended to
/// its history (a change the rules refuse — a cancelled compromiso — is left out, and the
/// informe still shows what the group said); each measure becomes a compromiso of the pacto in
/// force. Returns how many statuses changed.
fn cerrar(tx: &Connection, m: &Miniauditoria, by: &User, hoy: &str, now_ms: i64) -> Result<usize, StoreError> {
    let lineas: HashMap<Uuid, (Uuid, EstadoCompromiso)> = lineas_en_vigor(tx, None, Some(m.barrio_id), hoy)?
        .into_iter()
        .map(|(EnVigor { linea, .. }, _)| (linea.compromiso.id, (linea.pacto_id, linea.estado)))
        .collect();
    let ahora: HashMap<Uuid, EstadoCompromiso> = lineas.iter().map(|(k, (_, e))| (*k, *e)).collect();
    let mut cambios = 0;
    for r in m.cambios(&ahora) {
        let Some((pacto_id, antes)) = lineas.get(&r.compromiso_id).copied() else { continue };
        let draft = CambioEstadoDraft {
            estado: r.estado,
            motivo: if r.estado == EstadoCompromiso::Cancelado { r.evidencia.clone() } else { String::new() },
            evidencia: evidencia_de_miniauditoria(&m.fecha, &r.evidencia),
            registro_id: None,
        };
        let Ok(cambio) = draft.checked(antes) else { continue };
        append_cambio(tx, pacto_id, r.compromiso_id, &cambio, &by.display_name, now_ms)?;
        cambios += 1;
    }
    if !m.medidas.is_empty() {
        let pacto_id = vigente(tx, m.barrio_id)?.ok_or(E::NoPacto)?;
        let indicador = format!("Medida inmediata de la {}", m.title().to_lowercase());
        for medida in &m.medidas {
            let k = Compromiso {
                id: medida.id,
                responsable: medida.responsable.clone(),
                que: medida.que.clone(),
                hotspot_id: medida.hotspot_id,
                lugar: String::new(),
                fecha_limite: medida.fecha_limite.clone(),
                indicador: indicador.clone(),
                solucion_id: None,
            };
            insert_compromiso(tx, pacto_id, &k, Some(m.id))?;
        }
    }
    Ok(cambios)
}

impl Store {
    /// Keeps a checked version of a miniauditoría written by `by`. `Ok((m, true))` when stored
    /// now, `(m, false)` when this very version was stored before. Refused: another content
    /// under the same version, an older version, a closed miniauditoría, another barrio or
    /// diagnóstico, (unless `any_author`) one begun by another account, or what it names
    /// unknown to the barrio. `None`: no such barrio.
    pub async fn put_miniauditoria(
        &self,
        mut m: Miniauditoria,
        by: User,
        any_author: bool,
        hoy: String,
        now_ms: i64,
    ) -> Result<Option<(Miniauditoria, bool)>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !super::barrios::exists(&tx, m.barrio_id)? {
                return Ok(None);
            }
            m.author = by.display_name.clone();
            if let Some(stored) = versioned::version(&tx, versioned::MINIAUDITORIAS, m.id, m.version)? {
                return if stored.same_content(&m) { Ok(Some((stored, false))) } else { Err(E::Conflict(m.version).into()) };
            }
            if let Some((current, first_author)) = versioned::latest(&tx, versioned::MINIAUDITORIAS, m.id)? {
                if current.barrio_id != m.barrio_id || current.diagnostico != m.diagnostico {
                    return Err(E::OtherBarrio.into());
                }
                if current.cerrada {
                    return Err(E::Closed.into());
                }
                if current.version > m.version {
                    return Err(E::Stale(current.version).into());
                }
                if !any_author && first_author != Some(by.id) {
                    return Err(E::NotYours.into());
                }
            }
            // A withdrawal keeps what the session said; it need not name anything still known.
            if !m.deleted {
                referencias(&tx, &m)?;
            } else if diagnostico(&tx, m.barrio_id, m.diagnostico)?.is_none() {
                return Err(E::UnknownDiagnostico(m.diagnostico).into());
            }
            let body = serde_json::to_string(&m).map_err(|e| corrupt("miniauditoría", e))?;
            tx.execute(
                "INSERT INTO miniauditoria_versions (id, version, barrio_id, diagnostico, fecha, cerrada, deleted, body, author_user_id, author, received_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![m.id.to_string(), m.version, m.barrio_id, m.diagnostico, m.fecha, m.cerrada, m.deleted, body, by.id, m.author, now_ms],
            )?;
            let detail = if m.cerrada {
                let cambios = cerrar(&tx, &m, &by, &hoy, now_ms)?;
                format!("versión {} cerrada: {cambios} cambios de estado, {} medidas", m.version, m.medidas.len())
            } else {
                format!("versión {} {}", m.version, if m.deleted { "retirada" } else { "guardada" })
            };
            audit_row(&tx, Some(&by), "miniauditoria_write", format!("barrio {} miniauditoría {}", m.barrio_id, m.id), detail, now_ms)?;
            tx.commit()?;
            Ok(Some((m, true)))
        })
        .await
    }

    /// The latest version of every miniauditoría of the barrio, withdrawn ones included
    /// (flagged), newest first.
    pub async fn miniauditorias_of_barrio(&self, barrio_id: i64) -> Result<Vec<Miniauditoria>, StoreError> {
        self.call(move |c| versioned::of_barrio(c, versioned::MINIAUDITORIAS, barrio_id)).await
    }

    /// The latest version of miniauditoría `id`.
    pub async fn miniauditoria(&self, id: Uuid) -> Result<Option<Miniauditoria>, StoreError> {
        self.call(move |c| Ok(versioned::latest(c, versioned::MINIAUDITORIAS, id)?.map(|(m, _)| m))).await
    }

    /// What the informe of miniauditoría `id` shows; `None`: no such miniauditoría.
    pub async fn informe_miniauditoria(&self, id: Uuid, hoy: String) -> Result<Option<InformeMiniauditoria>, StoreError> {
        self.call(move |c| {
            let Some((m, _)) = versioned::latest(c, versioned::MINIAUDITORIAS, id)? else { return Ok(None) };
            let barrio = super::barrios::read_barrio(c, m.barrio_id)?.ok_or_else(|| corrupt("miniauditoría", "its barrio is gone"))?;
            let hotspots = without_marks(diagnostico(c, m.barrio_id, m.diagnostico)?.map(|d| d.hotspots).unwrap_or_default());
            let propias: HashSet<Uuid> = m.medidas.iter().map(|x| x.id).collect();
            let mut compromisos: Vec<CompromisoInforme> = compromiso_opciones(c, m.barrio_id, &hoy)?
                .into_iter()
                .filter(|k| !propias.contains(&k.id))
                .map(|k| {
                    let r = m.compromisos.iter().find(|r| r.compromiso_id == k.id);
                    CompromisoInforme {
                        id: k.id,
                        responsable: k.responsable,
                        que: k.que,
                        fecha_limite: k.fecha_limite,
                        revisado: r.map(|r| r.estado),
                        evidencia: r.map(|r| r.evidencia.clone()).unwrap_or_default(),
                        ahora: k.estado,
                    }
                })
                .collect();
            // Reviewed first, in the session's order; then the rest by due date.
            let orden = |id: Uuid| m.compromisos.iter().position(|r| r.compromiso_id == id).unwrap_or(usize::MAX);
            compromisos.sort_by_key(|k| orden(k.id));
            let instituciones = super::instituciones::catalogo(c)?.into_iter().map(|i| (i.codigo, i.nombre)).collect();
            Ok(Some(InformeMiniauditoria { miniauditoria: m, barrio, hotspots, compromisos, instituciones }))
        })
        .await
    }

    /// What a miniauditoría's form offers for the barrio; `None`: no such barrio.
    pub async fn contexto_miniauditoria(&self, barrio_id: i64, hoy: String) -> Result<Option<ContextoMiniauditoria>, StoreError> {
        self.call(move |c| {
            let Some(barrio) = super::barrios::read_barrio(c, barrio_id)? else { return Ok(None) };
            let ultimo: Option<u32> = c
                .prepare_cached("SELECT MAX(number) FROM diagnosticos WHERE barrio_id = ?1")?
                .query_row([barrio_id], |r| r.get(0))
                .optional()?
                .flatten();
            let mut hotspots = match ultimo {
                Some(n) => diagnostico(c, barrio_id, n)?.map(|d| d.hotspots).unwrap_or_default(),
                None => Vec::new(),
            };
            hotspots.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
            let hotspots = without_marks(hotspots);
            let instituciones = super::instituciones::catalogo(c)?.into_iter().filter(|i| i.activa).map(|i| (i.codigo, i.nombre)).collect();
            Ok(Some(ContextoMiniauditoria {
                barrio,
                diagnostico: ultimo,
                hotspots,
                compromisos: compromiso_opciones(c, barrio_id, &hoy)?,
                instituciones,
                con_pacto: vigente(c, barrio_id)?.is_some(),
            }))
        })
        .await
    }
}
