//! Pasos 1–2 as stored: the ISCB's definitions (each a version, never changed), the barrios
//! prioritised from the balance with the ciclo and registro each opened, and the oficios de
//! convocatoria. Append-only (migration 0019's triggers); each write has its audit line in the
//! same transaction. Also what a balance reads: the city's barrios with their place on the
//! ruta, and (by temporary readers, until the import of indicator data is merged) the
//! catalogue and the current imported values.

use app::model::account::User;
use app::model::balance::indicador::Indicador;
use app::model::balance::iscb::{definicion_inicial, DefinicionDraft, DefinicionIscb};
use app::model::balance::oficio::{Oficio, OficioDraft};
use app::model::balance::periodo::Periodo;
use app::model::balance::priorizacion::{ElegidoDraft, Fuente, Priorizacion};
use app::model::balance::BalanceError;
use app::model::registro::RegistroMeta;
use app::model::ruta::{Paso, TipoRegistro};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::ruta::{code, from_code, insert_ciclo, insert_registro, StoredFile};
use super::{Store, StoreError};
use crate::balance::{BalanceRefusal, BarrioBalance};

/// Who stores the first definition, on the first start.
pub const SISTEMA: &str = "cartobarrio";
/// Most prioritisations or oficios a list returns, newest first: years of cuatrimestres.
const LISTED: i64 = 2_000;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| corrupt("id", e))
}

fn parse_periodo(text: &str) -> Result<Periodo, StoreError> {
    Periodo::parse(text).ok_or_else(|| corrupt("periodo", text))
}

/// One barrio chosen, as the handler prepared it from the balance.
#[derive(Debug, Clone, PartialEq)]
pub struct Eleccion {
    pub elegido: ElegidoDraft,
    /// Its place and index in the balance the choice was made from.
    pub puesto: Option<u32>,
    pub indice: Option<f64>,
    /// The description of its step-1 registro.
    pub descripcion: String,
}

/// A prioritisation as the handler hands it to the store: the barrios chosen and the balance's
/// CSV, already kept on disk, that each keeps as its step-1 registro.
#[derive(Debug, Clone)]
pub struct Lote {
    pub municipio: String,
    pub periodo: Periodo,
    pub version: u32,
    pub elecciones: Vec<Eleccion>,
    pub archivo: StoredFile,
    /// The file's name as offered back (`balance-47001-2026-C3-v1.csv`).
    pub nombre: String,
    /// The registro's date, `YYYY-MM-DD`.
    pub fecha: String,
}

fn read_definicion(version: i64, text: &str, at_ms: i64, by: String) -> Result<DefinicionIscb, StoreError> {
    let draft: DefinicionDraft = serde_json::from_str(text).map_err(|e| corrupt("definition", e))?;
    Ok(DefinicionIscb { version: u32::try_from(version).map_err(|e| corrupt("version", e))?, draft, created_at_ms: at_ms, created_by: by })
}

fn definiciones_of(c: &Connection, version: Option<u32>) -> Result<Vec<DefinicionIscb>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT version, definition, at_ms, by_user FROM iscb_definitions WHERE ?1 IS NULL OR version = ?1 ORDER BY version DESC",
    )?;
    let rows: Vec<(i64, String, i64, String)> =
        stmt.query_map([version], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
    rows.into_iter().map(|(v, text, at, by)| read_definicion(v, &text, at, by)).collect()
}

fn insert_definicion(
    c: &Connection,
    draft: &DefinicionDraft,
    by: Option<&User>,
    by_name: &str,
    now_ms: i64,
) -> Result<DefinicionIscb, StoreError> {
    let version: i64 = c.query_row("SELECT COALESCE(MAX(version), 0) + 1 FROM iscb_definitions", [], |r| r.get(0))?;
    let text = serde_json::to_string(draft).map_err(|e| corrupt("definition", e))?;
    c.execute(
        "INSERT INTO iscb_definitions (version, definition, at_ms, by_user) VALUES (?1, ?2, ?3, ?4)",
        params![version, text, now_ms, by_name],
    )?;
    let detail = format!("{} componentes: {}", draft.componentes.len(), draft.nota);
    audit_row(c, by, "iscb_definition", format!("ISCB v{version}"), detail, now_ms)?;
    read_definicion(version, &text, now_ms, by_name.to_string())
}

/// The city's barrios with the step of their open ciclo and their pending inscripciones.
fn barrios_balance(c: &Connection, municipio: &str) -> Result<Vec<BarrioBalance>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT b.id, b.code, b.name, b.comuna, \
           (SELECT COALESCE((SELECT ch.to_paso FROM ciclo_changes ch WHERE ch.ciclo_id = o.ciclo_id ORDER BY ch.seq DESC LIMIT 1), 1) \
              FROM open_ciclos o WHERE o.barrio_id = b.id), \
           (SELECT COUNT(*) FROM inscripciones i WHERE i.barrio_id = b.id \
              AND NOT EXISTS (SELECT 1 FROM inscripcion_decisiones d WHERE d.inscripcion_id = i.id)) \
         FROM barrios b WHERE b.municipio = ?1 ORDER BY b.id",
    )?;
    let rows = stmt.query_map([municipio], |r| {
        Ok(BarrioBalance {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            comuna: r.get(3)?,
            paso: r.get::<_, Option<i64>>(4)?.and_then(|p| u8::try_from(p).ok()),
            inscripciones: u32::try_from(r.get::<_, i64>(5)?).unwrap_or(u32::MAX),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const SELECT_PRIORIZACION: &str = "SELECT p.id, p.barrio_id, b.name, p.municipio, p.periodo, p.version, p.fuente, p.inscripcion_id, \
     p.motivo, p.puesto, p.indice, p.ciclo_id, p.registro_id, p.at_ms, p.by_user FROM priorizaciones p JOIN barrios b ON b.id = p.barrio_id";

fn priorizacion_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PriorizacionRow> {
    Ok(PriorizacionRow {
        id: r.get(0)?,
        barrio_id: r.get(1)?,
        barrio: r.get(2)?,
        municipio: r.get(3)?,
        periodo: r.get(4)?,
        version: r.get(5)?,
        fuente: r.get(6)?,
        inscripcion_id: r.get(7)?,
        motivo: r.get(8)?,
        puesto: r.get(9)?,
        indice: r.get(10)?,
        ciclo_id: r.get(11)?,
        registro_id: r.get(12)?,
        at_ms: r.get(13)?,
        by: r.get(14)?,
    })
}

struct PriorizacionRow {
    id: String,
    barrio_id: i64,
    barrio: String,
    municipio: String,
    periodo: String,
    version: i64,
    fuente: String,
    inscripcion_id: Option<String>,
    motivo: String,
    puesto: Option<i64>,
    indice: Option<f64>,
    ciclo_id: String,
    registro_id: String,
    at_ms: i64,
    by: String,
}

impl PriorizacionRow {
    fn parse(self) -> Result<Priorizacion, StoreError> {
        Ok(Priorizacion {
            id: parse_id(&self.id)?,
            barrio_id: self.barrio_id,
            barrio: self.barrio,
            municipio: self.municipio,
            periodo: parse_periodo(&self.periodo)?,
            version: u32::try_from(self.version).map_err(|e| corrupt("version", e))?,
            fuente: from_code(&self.fuente)?,
            inscripcion_id: self.inscripcion_id.as_deref().map(parse_id).transpose()?,
            motivo: self.motivo,
            puesto: self.puesto.map(|p| u32::try_from(p).map_err(|e| corrupt("puesto", e))).transpose()?,
            indice: self.indice,
            ciclo_id: parse_id(&self.ciclo_id)?,
            registro_id: parse_id(&self.registro_id)?,
            at_ms: self.at_ms,
            by: self.by,
        })
    }
}

fn read_oficio(id: String, body: String, at_ms: i64, by: String) -> Result<Oficio, StoreError> {
    let draft: OficioDraft = serde_json::from_str(&body).map_err(|e| corrupt("oficio", e))?;
    Ok(Oficio { id: parse_id(&id)?, draft, created_at_ms: at_ms, created_by: by })
}

/// Keeps one barrio chosen, inside the prioritisation's transaction: refused (and with it the
/// whole prioritisation) when the barrio is not of the city, walks an open ciclo, or the
/// request it answers is another barrio's. Opens its ciclo at step 1 with the balance as the
/// step's informe, and accepts the request it answers if still pending.
fn keep_eleccion(tx: &Connection, lote: &Lote, eleccion: &Eleccion, by: &User, now_ms: i64) -> Result<Priorizacion, StoreError> {
    let e = &eleccion.elegido;
    let barrio: Option<(String, String)> =
        tx.query_row("SELECT municipio, name FROM barrios WHERE id = ?1", [e.barrio_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    let name = match barrio {
        Some((municipio, name)) if municipio == lote.municipio => name,
        _ => return Err(BalanceError::UnknownBarrio(e.barrio_id).into()),
    };
    if tx.query_row("SELECT 1 FROM open_ciclos WHERE barrio_id = ?1", [e.barrio_id], |_| Ok(())).optional()?.is_some() {
        return Err(BalanceRefusal::CicloOpen { barrio_id: e.barrio_id, barrio: name }.into());
    }
    let pendiente = match e.inscripcion_id {
        Some(inscripcion) => {
            let of: Option<(i64, bool)> = tx
                .query_row(
                    "SELECT i.barrio_id, EXISTS (SELECT 1 FROM inscripcion_decisiones d WHERE d.inscripcion_id = i.id) \
                     FROM inscripciones i WHERE i.id = ?1",
                    [inscripcion.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match of {
                Some((barrio_id, decided)) if barrio_id == e.barrio_id => !decided,
                _ => return Err(BalanceRefusal::InscripcionNotOfBarrio { inscripcion_id: inscripcion, barrio_id: e.barrio_id }.into()),
            }
        }
        None => false,
    };
    let ciclo = insert_ciclo(tx, e.barrio_id, Uuid::new_v4(), by, now_ms)?;
    let meta = RegistroMeta {
        paso: Paso::Identificacion.number(),
        tipo: TipoRegistro::Informe,
        fecha: lote.fecha.clone(),
        descripcion: eleccion.descripcion.clone(),
        nombre: lote.nombre.clone(),
        acta_id: None,
    };
    let registro = insert_registro(tx, &ciclo, Uuid::new_v4(), &meta, &lote.archivo, by, now_ms)?;
    if let (true, Some(inscripcion)) = (pendiente, e.inscripcion_id) {
        let reason = format!("Priorizado en el balance del {} (ISCB v{}).", lote.periodo.label_es(), lote.version);
        tx.execute(
            "INSERT INTO inscripcion_decisiones (inscripcion_id, veredicto, at_ms, by_user, reason, ciclo_id) VALUES (?1, 'aceptada', ?2, ?3, ?4, ?5)",
            params![inscripcion.to_string(), now_ms, by.display_name, reason, ciclo.id.to_string()],
        )?;
        audit_row(
            tx,
            Some(by),
            "inscripcion_accept",
            format!("barrio {} inscripcion {inscripcion}", e.barrio_id),
            format!("ciclo {}", ciclo.id),
            now_ms,
        )?;
    }
    let fuente = if e.inscripcion_id.is_some() { Fuente::Inscripcion } else { Fuente::Ranking };
    let id = Uuid::new_v4();
    tx.execute(
        "INSERT INTO priorizaciones (id, municipio, periodo, version, barrio_id, fuente, inscripcion_id, motivo, puesto, indice, ciclo_id, registro_id, at_ms, by_user) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            id.to_string(),
            lote.municipio,
            lote.periodo.code(),
            lote.version,
            e.barrio_id,
            code(&fuente)?,
            e.inscripcion_id.map(|i| i.to_string()),
            e.motivo,
            eleccion.puesto,
            eleccion.indice,
            ciclo.id.to_string(),
            registro.id.to_string(),
            now_ms,
            by.display_name
        ],
    )?;
    let puesto = eleccion.puesto.map_or_else(|| "sin índice".to_string(), |p| format!("puesto {p}"));
    let detail = format!("{} ISCB v{} {puesto}, ciclo {}: {}", lote.periodo.code(), lote.version, ciclo.id, e.motivo);
    audit_row(tx, Some(by), "priorizacion", format!("barrio {} priorizacion {id}", e.barrio_id), detail, now_ms)?;
    Ok(Priorizacion {
        id,
        barrio_id: e.barrio_id,
        barrio: name,
        municipio: lote.municipio.clone(),
        periodo: lote.periodo,
        version: lote.version,
        fuente,
        inscripcion_id: e.inscripcion_id,
        motivo: e.motivo.clone(),
        puesto: eleccion.puesto,
        indice: eleccion.indice,
        ciclo_id: ciclo.id,
        registro_id: registro.id,
        at_ms: now_ms,
        by: by.display_name.clone(),
    })
}

impl Store {
    /// On a first start (no definition yet), stores [`definicion_inicial`] as version 1 by
    /// [`SISTEMA`], so a balance can be made as soon as data is imported. Returns whether it did.
    pub async fn ensure_initial_definition(&self, now_ms: i64) -> Result<bool, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let any: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM iscb_definitions)", [], |r| r.get(0))?;
            if any {
                return Ok(false);
            }
            insert_definicion(&tx, &definicion_inicial(), None, SISTEMA, now_ms)?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    /// Every definition of the ISCB, newest first.
    pub async fn iscb_definitions(&self) -> Result<Vec<DefinicionIscb>, StoreError> {
        self.call(|c| definiciones_of(c, None)).await
    }

    /// Definition `version`, or the latest when `None`; `None`: no such version (or none at all).
    pub async fn iscb_definition(&self, version: Option<u32>) -> Result<Option<DefinicionIscb>, StoreError> {
        self.call(move |c| Ok(definiciones_of(c, version)?.into_iter().next())).await
    }

    /// Stores a definition as the next version, checked against the catalogue as it is in the
    /// same transaction (its indicators must be active entries).
    pub async fn add_iscb_definition(&self, draft: DefinicionDraft, by: User, now_ms: i64) -> Result<DefinicionIscb, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let draft = draft.checked(&super::indicadores::catalogo(&tx)?)?;
            let stored = insert_definicion(&tx, &draft, Some(&by), &by.display_name, now_ms)?;
            tx.commit()?;
            Ok(stored)
        })
        .await
    }

    /// The cities whose imports hold indicator data.
    pub async fn municipios_con_datos(&self) -> Result<Vec<String>, StoreError> {
        self.call(|c| {
            let mut stmt = c.prepare_cached("SELECT DISTINCT municipio FROM indicator_import_periods ORDER BY municipio")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// What the balance of city `municipio` is made from: the catalogue, the current values and
    /// the city's barrios with their place on the ruta. Separate reads: a balance is a reading,
    /// and an import landing between them only makes it as new as the next one.
    pub async fn balance_inputs(
        &self,
        municipio: &str,
    ) -> Result<(Vec<Indicador>, Vec<super::ValorVigente>, Vec<BarrioBalance>), StoreError> {
        let catalogo = self.call(|c| super::indicadores::catalogo(c)).await?;
        let valores = self.valores_vigentes(municipio).await?;
        let city = municipio.to_string();
        let barrios = self.call(move |c| barrios_balance(c, &city)).await?;
        Ok((catalogo, valores, barrios))
    }

    /// Keeps a prioritisation, all or nothing, in one immediate transaction: per barrio chosen,
    /// its ciclo opened at step 1, the balance kept as that step's informe, the request it
    /// answers accepted, the choice itself, and their audit lines. The first barrio refused
    /// refuses the whole (nothing of the others is kept).
    pub async fn priorizar(&self, lote: Lote, by: User, now_ms: i64) -> Result<Vec<Priorizacion>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let known: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM iscb_definitions WHERE version = ?1)", [lote.version], |r| r.get(0))?;
            if !known {
                return Err(BalanceRefusal::UnknownVersion(lote.version).into());
            }
            let kept = lote.elecciones.iter().map(|e| keep_eleccion(&tx, &lote, e, &by, now_ms)).collect::<Result<Vec<_>, _>>()?;
            tx.commit()?;
            Ok(kept)
        })
        .await
    }

    /// The prioritisations of `municipio` and `periodo` (each `None`: any), newest first, those
    /// `keep` lets through (the caller's cities), at most [`LISTED`].
    pub async fn priorizaciones(
        &self,
        municipio: Option<String>,
        periodo: Option<Periodo>,
        keep: impl Fn(&str) -> bool + Send + 'static,
    ) -> Result<Vec<Priorizacion>, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "{SELECT_PRIORIZACION} WHERE (?1 IS NULL OR p.municipio = ?1) AND (?2 IS NULL OR p.periodo = ?2) \
                 ORDER BY p.at_ms DESC, p.rowid DESC"
            ))?;
            let rows = stmt.query_map(params![municipio, periodo.map(Periodo::code)], priorizacion_row)?;
            let mut out = Vec::new();
            for row in rows {
                let row = row?;
                if keep(&row.municipio) {
                    out.push(row.parse()?);
                    if out.len() as i64 == LISTED {
                        break;
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    /// Keeps a checked oficio de convocatoria.
    pub async fn add_oficio(&self, draft: OficioDraft, id: Uuid, by: User, now_ms: i64) -> Result<Oficio, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let body = serde_json::to_string(&draft).map_err(|e| corrupt("oficio", e))?;
            tx.execute(
                "INSERT INTO oficios (id, municipio, periodo, body, at_ms, by_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id.to_string(), draft.municipio, draft.periodo.code(), body, now_ms, by.display_name],
            )?;
            let detail = format!(
                "{} {}: reunión {} {} en {}",
                draft.municipio,
                draft.periodo.code(),
                draft.reunion_fecha,
                draft.reunion_hora,
                draft.lugar
            );
            audit_row(&tx, Some(&by), "oficio_create", format!("oficio {id}"), detail, now_ms)?;
            tx.commit()?;
            Ok(Oficio { id, draft, created_at_ms: now_ms, created_by: by.display_name })
        })
        .await
    }

    /// The oficios of `municipio` (`None`: any), newest first, those `keep` lets through.
    pub async fn oficios(
        &self,
        municipio: Option<String>,
        keep: impl Fn(&str) -> bool + Send + 'static,
    ) -> Result<Vec<Oficio>, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, municipio, body, at_ms, by_user FROM oficios WHERE ?1 IS NULL OR municipio = ?1 ORDER BY at_ms DESC, rowid DESC",
            )?;
            let rows = stmt.query_map([municipio], |r| Ok((r.get(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (id, municipio, body, at_ms, by) = row?;
                if keep(&municipio) {
                    out.push(read_oficio(id, body, at_ms, by)?);
                    if out.len() as i64 == LISTED {
                        break;
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    pub async fn oficio(&self, id: Uuid) -> Result<Option<Oficio>, StoreError> {
        self.call(move |c| {
            let row = c
                .query_row("SELECT id, body, at_ms, by_user FROM oficios WHERE id = ?1", [id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            row.map(|(id, body, at_ms, by)| read_oficio(id, body, at_ms, by)).transpose()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;
    use app::model::account::Role;
    use app::model::balance::iscb::{Componente, Normalizacion};

    #[tokio::test]
    async fn definitions_are_versions_the_first_stored_once() {
        let (_dir, store) = store().await;
        let admin = account(&store, "Ana", Role::Admin).await;
        assert!(store.ensure_initial_definition(T).await.unwrap());
        assert!(!store.ensure_initial_definition(T + 1).await.unwrap(), "a second start stores nothing");
        let first = store.iscb_definition(None).await.unwrap().unwrap();
        assert_eq!((first.version, first.created_by.as_str(), first.draft.clone()), (1, SISTEMA, definicion_inicial()));
        // Checked against the catalogue as stored: empty here, so nothing is known yet.
        let draft = DefinicionDraft {
            componentes: vec![Componente { indicador: "rinas".into(), peso: 1.0 }],
            normalizacion: Normalizacion::ZScore,
            por_10k: false,
            periodo_referencia: None,
            nota: String::new(),
        };
        let refused = store.add_iscb_definition(draft.clone(), admin.clone(), T + 2).await.unwrap_err();
        assert!(matches!(refused, StoreError::Balance(BalanceRefusal::Invalid(BalanceError::UnknownIndicator(_)))), "{refused:?}");
        store
            .call(|c| {
                c.execute(
                    "INSERT INTO indicadores VALUES ('rinas', 1, 'Riñas', 'casos', 'mayor_es_peor', '', '', 1, 0, 'x'), \
                     ('rinas', 2, 'Riñas', 'casos', 'mayor_es_peor', '', '', 1, 1, 'x')",
                    [],
                )?;
                Ok(())
            })
            .await
            .unwrap();
        let second = store.add_iscb_definition(draft, admin, T + 3).await.unwrap();
        assert_eq!((second.version, second.created_by.as_str()), (2, "Ana"));
        let versions: Vec<u32> = store.iscb_definitions().await.unwrap().iter().map(|d| d.version).collect();
        assert_eq!(versions, vec![2, 1]);
        assert_eq!(store.iscb_definition(Some(1)).await.unwrap().map(|d| d.version), Some(1));
        assert_eq!(store.iscb_definition(Some(3)).await.unwrap(), None);
        let catalogo = store.call(|c| crate::store::indicadores::catalogo(c)).await.unwrap();
        assert_eq!(catalogo.iter().map(|i| (i.code.as_str(), i.version)).collect::<Vec<_>>(), vec![("rinas", 2)], "the latest version");
        assert_refused(&store, &["UPDATE iscb_definitions SET by_user = 'x'", "DELETE FROM iscb_definitions"]).await;
        let log = store.audit_log(None, 10).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action == "iscb_definition").count(), 2);
    }

    #[tokio::test]
    async fn the_balance_reads_the_latest_import_of_each_period_and_the_ruta() {
        let (_dir, store) = store().await;
        let uno = barrio(&store, "uno").await;
        let dos = barrio(&store, "dos").await;
        let staff = account(&store, "Marta", Role::Staff).await;
        store.open_ciclo(dos, Uuid::from_u128(5), staff.clone(), T).await.unwrap().unwrap();
        let draft = app::model::ruta::CambioDraft { to: 2, comment: String::new(), reason: "El informe está en firma".into() };
        store.change_paso(Uuid::from_u128(5), draft, staff, T + 1).await.unwrap().unwrap();
        store
            .call(move |c| {
                c.execute_batch(&format!(
                    "INSERT INTO indicator_imports VALUES ('00000000-0000-0000-0000-000000000001', '47001', 'a.csv', 'csv', 0, 'x', 1, 0, 0, '{{}}'), \
                       ('00000000-0000-0000-0000-000000000002', '47001', 'b.csv', 'csv', 1, 'x', 0, 0, 0, '{{}}');
                     INSERT INTO indicator_import_periods (import_id, municipio, periodo) VALUES \
                       ('00000000-0000-0000-0000-000000000001', '47001', '2026-C3'), ('00000000-0000-0000-0000-000000000001', '47001', '2026'), \
                       ('00000000-0000-0000-0000-000000000002', '47001', '2026-C3');
                     INSERT INTO indicator_values VALUES \
                       ('00000000-0000-0000-0000-000000000001', {uno}, '2026-C3', 'rinas', 9), \
                       ('00000000-0000-0000-0000-000000000001', {uno}, '2026', 'poblacion', 1000), \
                       ('00000000-0000-0000-0000-000000000002', {dos}, '2026-C3', 'rinas', 4);"
                ))?;
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(store.municipios_con_datos().await.unwrap(), vec!["47001".to_string()]);
        let (_, valores, barrios) = store.balance_inputs("47001").await.unwrap();
        let mut got: Vec<(String, i64, String, f64, bool)> =
            valores.into_iter().map(|v| (v.periodo.code(), v.barrio_id, v.indicador, v.valor, v.ejemplo)).collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            vec![("2026".into(), uno, "poblacion".into(), 1000.0, true), ("2026-C3".into(), dos, "rinas".into(), 4.0, false)],
            "2026-C3 is the second import's alone"
        );
        let paso: Vec<(i64, Option<u8>)> = barrios.iter().map(|b| (b.id, b.paso)).collect();
        assert_eq!(paso, vec![(uno, None), (dos, Some(2))], "the open ciclo's step");
        assert!(store.balance_inputs("08001").await.unwrap().1.is_empty());
    }

    #[tokio::test]
    async fn oficios_and_prioritisations_are_kept_never_rewritten() {
        let (_dir, store) = store().await;
        let staff = account(&store, "Marta", Role::Staff).await;
        let draft = OficioDraft {
            municipio: "47001".into(),
            periodo: Periodo { anio: 2026, cuatrimestre: 3 },
            radicado: String::new(),
            fecha: "2026-12-01".into(),
            reunion_fecha: "2026-12-10".into(),
            reunion_hora: "09:30".into(),
            lugar: "Alcaldía".into(),
            instituciones: vec!["Personería".into()],
            agenda: "Balance".into(),
            firmante: "Marta".into(),
            cargo: "Secretaria".into(),
        };
        let kept = store.add_oficio(draft, Uuid::from_u128(1), staff, T).await.unwrap();
        assert_eq!(store.oficio(kept.id).await.unwrap(), Some(kept.clone()));
        assert_eq!(store.oficios(Some("47001".into()), |_| true).await.unwrap(), vec![kept.clone()]);
        assert!(store.oficios(None, |m| m != "47001").await.unwrap().is_empty());

        // A prioritisation: all barrios or none.
        store.ensure_initial_definition(T).await.unwrap();
        let (uno, dos) = (barrio(&store, "uno").await, barrio(&store, "dos").await);
        let lote = |barrios: &[i64]| Lote {
            municipio: "47001".into(),
            periodo: Periodo { anio: 2026, cuatrimestre: 3 },
            version: 1,
            elecciones: barrios
                .iter()
                .map(|b| Eleccion {
                    elegido: ElegidoDraft { barrio_id: *b, motivo: "Primer puesto".into(), inscripcion_id: None },
                    puesto: Some(1),
                    indice: Some(12.5),
                    descripcion: "Balance".into(),
                })
                .collect(),
            archivo: StoredFile { sha256: "cd".repeat(32), bytes: 10, formato: app::model::registro::Formato::Csv },
            nombre: "balance.csv".into(),
            fecha: "2026-12-01".into(),
        };
        let marta = account(&store, "Marta2", Role::Staff).await;
        let kept = store.priorizar(lote(&[uno]), marta.clone(), T + 1).await.unwrap();
        assert_eq!((kept.len(), kept[0].fuente, kept[0].puesto), (1, Fuente::Ranking, Some(1)));
        let ruta = store.ruta_of_barrio(uno).await.unwrap().unwrap();
        assert_eq!(ruta.ciclos[0].registros[0].formato, app::model::registro::Formato::Csv);
        let refused = store.priorizar(lote(&[dos, uno]), marta.clone(), T + 2).await.unwrap_err();
        assert!(matches!(&refused, StoreError::Balance(BalanceRefusal::CicloOpen { barrio_id, .. }) if *barrio_id == uno), "{refused:?}");
        assert!(store.ruta_of_barrio(dos).await.unwrap().unwrap().ciclos.is_empty(), "dos was not kept either");
        let unknown = Lote { version: 9, ..lote(&[dos]) };
        assert!(matches!(store.priorizar(unknown, marta, T + 3).await, Err(StoreError::Balance(BalanceRefusal::UnknownVersion(9)))));
        let listed = store.priorizaciones(Some("47001".into()), Some(Periodo { anio: 2026, cuatrimestre: 3 }), |_| true).await.unwrap();
        assert_eq!(listed, kept);
        assert_refused(
            &store,
            &[
                "UPDATE oficios SET body = 'x'",
                "DELETE FROM oficios",
                "UPDATE priorizaciones SET motivo = 'x'",
                "DELETE FROM priorizaciones",
            ],
        )
        .await;
    }
}
