//! Communities' requests to enter the route as stored, and staff's decisions on them.
//! Append-only (migration 0015's triggers). A request is kept only while its barrio has room
//! among the pending ones; accepting opens the barrio's ciclo in the same transaction as the
//! decision and both audit lines, so none is ever kept without the others. The contact is
//! never written to the audit log.

use app::model::account::User;
use app::model::inscripcion::{
    Canal, Decision, DecisionDraft, Inscripcion, InscripcionDraft, InscripcionError, Veredicto, MAX_PENDIENTES_POR_BARRIO,
};
use app::model::ruta::RutaError;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::accounts::audit_row;
use super::ruta::insert_ciclo;
use super::{Store, StoreError};

/// Decided requests listed at most: the pending ones are all listed.
const DECIDED_LISTED: usize = 200;

const SELECT: &str = "SELECT i.id, i.barrio_id, b.name, b.comuna, i.organizacion, i.canal, i.contacto, i.motivo, i.received_at_ms, \
     d.veredicto, d.at_ms, d.by_user, d.reason, d.ciclo_id \
     FROM inscripciones i JOIN barrios b ON b.id = i.barrio_id LEFT JOIN inscripcion_decisiones d ON d.inscripcion_id = i.id";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn veredicto_code(v: Veredicto) -> &'static str {
    match v {
        Veredicto::Aceptada => "aceptada",
        Veredicto::Rechazada => "rechazada",
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        barrio_id: r.get(1)?,
        barrio_name: r.get(2)?,
        comuna: r.get(3)?,
        organizacion: r.get(4)?,
        canal: r.get(5)?,
        contacto: r.get(6)?,
        motivo: r.get(7)?,
        received_at_ms: r.get(8)?,
        veredicto: r.get(9)?,
        decided_at_ms: r.get(10)?,
        by: r.get(11)?,
        reason: r.get(12)?,
        ciclo_id: r.get(13)?,
    })
}

struct Row {
    id: String,
    barrio_id: i64,
    barrio_name: String,
    comuna: Option<String>,
    organizacion: String,
    canal: String,
    contacto: String,
    motivo: String,
    received_at_ms: i64,
    veredicto: Option<String>,
    decided_at_ms: Option<i64>,
    by: Option<String>,
    reason: Option<String>,
    ciclo_id: Option<String>,
}

impl Row {
    fn parse(self) -> Result<Inscripcion, StoreError> {
        let parse_id = |s: &str| Uuid::parse_str(s).map_err(|e| corrupt("id", e));
        let decision = match (self.veredicto, self.decided_at_ms, self.by, self.reason) {
            (Some(v), Some(at_ms), Some(by), Some(reason)) => Some(Decision {
                veredicto: match v.as_str() {
                    "aceptada" => Veredicto::Aceptada,
                    "rechazada" => Veredicto::Rechazada,
                    other => return Err(corrupt("veredicto", other)),
                },
                at_ms,
                by,
                reason,
                ciclo_id: self.ciclo_id.as_deref().map(parse_id).transpose()?,
            }),
            _ => None,
        };
        Ok(Inscripcion {
            id: parse_id(&self.id)?,
            barrio_id: self.barrio_id,
            barrio_name: self.barrio_name,
            comuna: self.comuna,
            organizacion: self.organizacion,
            canal: Canal::parse(&self.canal).ok_or_else(|| corrupt("canal", &self.canal))?,
            contacto: self.contacto,
            motivo: self.motivo,
            received_at_ms: self.received_at_ms,
            decision,
        })
    }
}

fn read(c: &Connection, id: Uuid) -> Result<Option<Inscripcion>, StoreError> {
    c.prepare_cached(&format!("{SELECT} WHERE i.id = ?1"))?.query_row([id.to_string()], row).optional()?.map(Row::parse).transpose()
}

fn pending_of(c: &Connection, barrio_id: i64) -> Result<usize, StoreError> {
    let n: i64 = c.query_row(
        "SELECT count(*) FROM inscripciones i WHERE i.barrio_id = ?1 \
         AND NOT EXISTS (SELECT 1 FROM inscripcion_decisiones d WHERE d.inscripcion_id = i.id)",
        [barrio_id],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

impl Store {
    /// Keeps a checked request. `None`: no such barrio. Refused when the barrio already has
    /// [`MAX_PENDIENTES_POR_BARRIO`] requests waiting; counted and written in one immediate
    /// transaction, so a burst of requests cannot pass the cap together.
    pub async fn add_inscripcion(&self, draft: InscripcionDraft, id: Uuid, now_ms: i64) -> Result<Option<()>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !super::barrios::exists(&tx, draft.barrio_id)? {
                return Ok(None);
            }
            if pending_of(&tx, draft.barrio_id)? >= MAX_PENDIENTES_POR_BARRIO {
                return Err(InscripcionError::TooManyPending.into());
            }
            tx.execute(
                "INSERT INTO inscripciones (id, barrio_id, organizacion, canal, contacto, motivo, received_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id.to_string(), draft.barrio_id, draft.organizacion, draft.canal.code(), draft.contacto, draft.motivo, now_ms],
            )?;
            // Who asked is the organisation; how to reach them stays in its row.
            let target = format!("barrio {} inscripcion {id}", draft.barrio_id);
            audit_row(&tx, None, "inscripcion_receive", target, draft.organizacion.clone(), now_ms)?;
            tx.commit()?;
            Ok(Some(()))
        })
        .await
    }

    /// The barrio of request `id`, to check who may decide it; `None`: no such request.
    pub async fn inscripcion_barrio(&self, id: Uuid) -> Result<Option<i64>, StoreError> {
        self.call(move |c| {
            Ok(c.query_row("SELECT barrio_id FROM inscripciones WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()?)
        })
        .await
    }

    /// The requests of the barrios `keep` says: every pending one, oldest first (the order to
    /// answer them in), then the latest decided ones, newest decision first.
    pub async fn inscripciones(&self, keep: impl Fn(i64) -> bool + Send + 'static) -> Result<Vec<Inscripcion>, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare(&format!(
                "{SELECT} ORDER BY d.at_ms IS NOT NULL, CASE WHEN d.at_ms IS NULL THEN i.received_at_ms ELSE -d.at_ms END, i.id"
            ))?;
            let rows = stmt.query_map([], row)?;
            let mut out = Vec::new();
            let mut decided = 0;
            for r in rows {
                let r = r?;
                if !keep(r.barrio_id) {
                    continue;
                }
                if r.veredicto.is_some() {
                    if decided == DECIDED_LISTED {
                        break;
                    }
                    decided += 1;
                }
                out.push(r.parse()?);
            }
            Ok(out)
        })
        .await
    }

    /// Decides request `id` once: accepting opens a ciclo `ciclo_id` of its barrio at step 1
    /// (refused while one is open). `None`: no such request.
    pub async fn decide_inscripcion(
        &self,
        id: Uuid,
        draft: DecisionDraft,
        ciclo_id: Uuid,
        by: User,
        now_ms: i64,
    ) -> Result<Option<Inscripcion>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(inscripcion) = read(&tx, id)? else {
                return Ok(None);
            };
            if inscripcion.decision.is_some() {
                return Err(InscripcionError::AlreadyDecided.into());
            }
            let opened = match draft.veredicto {
                Veredicto::Aceptada => match insert_ciclo(&tx, inscripcion.barrio_id, ciclo_id, &by, now_ms) {
                    Ok(ciclo) => Some(ciclo.id),
                    Err(StoreError::Ruta(RutaError::AlreadyOpen)) => return Err(InscripcionError::CicloOpen.into()),
                    Err(e) => return Err(e),
                },
                Veredicto::Rechazada => None,
            };
            tx.execute(
                "INSERT INTO inscripcion_decisiones (inscripcion_id, veredicto, at_ms, by_user, reason, ciclo_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id.to_string(), veredicto_code(draft.veredicto), now_ms, by.display_name, draft.reason, opened.map(|c| c.to_string())],
            )?;
            let (action, detail) = match opened {
                Some(ciclo) => ("inscripcion_accept", format!("ciclo {ciclo}")),
                None => ("inscripcion_decline", draft.reason.clone()),
            };
            audit_row(&tx, Some(&by), action, format!("barrio {} inscripcion {id}", inscripcion.barrio_id), detail, now_ms)?;
            let decided = read(&tx, id)?.ok_or_else(|| corrupt("inscripcion", "vanished"))?;
            tx.commit()?;
            Ok(Some(decided))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    fn draft(barrio_id: i64) -> InscripcionDraft {
        InscripcionDraft {
            barrio_id,
            organizacion: "JAC Pescaíto".into(),
            canal: Canal::Telefono,
            contacto: "300 123 4567".into(),
            motivo: "Queremos entrar".into(),
            sitio_web: String::new(),
        }
    }

    #[tokio::test]
    async fn requests_are_capped_per_barrio_and_decided_once_never_rewritten() {
        let (_dir, store) = store().await;
        let barrio = barrio(&store, "pescaito").await;
        let staff = account(&store, "Marta", app::model::account::Role::Staff).await;
        for i in 0..MAX_PENDIENTES_POR_BARRIO as u128 {
            store.add_inscripcion(draft(barrio), Uuid::from_u128(i + 1), T).await.unwrap().unwrap();
        }
        let full = store.add_inscripcion(draft(barrio), Uuid::from_u128(99), T).await.unwrap_err();
        assert!(matches!(full, StoreError::Inscripcion(InscripcionError::TooManyPending)));
        assert!(store.add_inscripcion(draft(barrio + 1000), Uuid::from_u128(98), T).await.unwrap().is_none(), "no such barrio");

        let decline = DecisionDraft { veredicto: Veredicto::Rechazada, reason: "Duplicada".into() };
        let declined = store.decide_inscripcion(Uuid::from_u128(1), decline.clone(), Uuid::from_u128(50), staff.clone(), T + 1).await;
        assert_eq!(declined.unwrap().unwrap().decision.unwrap().ciclo_id, None);
        let twice = store.decide_inscripcion(Uuid::from_u128(1), decline, Uuid::from_u128(50), staff.clone(), T + 2).await;
        assert!(matches!(twice, Err(StoreError::Inscripcion(InscripcionError::AlreadyDecided))));
        // A decided request leaves room for another.
        store.add_inscripcion(draft(barrio), Uuid::from_u128(4), T + 3).await.unwrap().unwrap();

        let accept = DecisionDraft { veredicto: Veredicto::Aceptada, reason: String::new() };
        let accepted = store.decide_inscripcion(Uuid::from_u128(2), accept.clone(), Uuid::from_u128(51), staff.clone(), T + 4).await;
        assert_eq!(accepted.unwrap().unwrap().decision.unwrap().ciclo_id, Some(Uuid::from_u128(51)));
        let ruta = store.ruta_of_barrio(barrio).await.unwrap().unwrap();
        assert_eq!(ruta.ciclos.len(), 1);
        let again = store.decide_inscripcion(Uuid::from_u128(3), accept, Uuid::from_u128(52), staff.clone(), T + 5).await;
        assert!(matches!(again, Err(StoreError::Inscripcion(InscripcionError::CicloOpen))), "{again:?}");

        let list = store.inscripciones(|_| true).await.unwrap();
        let order: Vec<(u128, bool)> = list.iter().map(|i| (i.id.as_u128(), i.is_pending())).collect();
        assert_eq!(order, vec![(3, true), (4, true), (2, false), (1, false)], "pending oldest first, then the latest decisions");
        assert!(store.inscripciones(|_| false).await.unwrap().is_empty());
        assert_refused(
            &store,
            &[
                "UPDATE inscripciones SET contacto = 'x'",
                "DELETE FROM inscripciones",
                "UPDATE inscripcion_decisiones SET reason = 'x'",
                "DELETE FROM inscripcion_decisiones",
            ],
        )
        .await;
        let log = store.audit_log(None, 50).await.unwrap();
        assert!(log.iter().all(|e| !e.detail.contains("300 123 4567") && !e.target.contains("300")), "the contact is not in the log");
        let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).filter(|a| !a.starts_with("user")).collect();
        assert_eq!(
            actions,
            [
                "inscripcion_receive",
                "inscripcion_receive",
                "inscripcion_receive",
                "inscripcion_decline",
                "inscripcion_receive",
                "ciclo_open",
                "inscripcion_accept"
            ]
        );
    }
}
