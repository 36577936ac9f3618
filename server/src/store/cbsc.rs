//! Each barrio's CBSC as stored: numbered versions of its figures, and the members' names of
//! each version in a table of their own (migration 0015), which only the staff read asks for.
//! Append-only; each version is written to the audit log in the same transaction, with how
//! many names it has but never the names.

use app::model::account::User;
use app::model::cbsc::{Cbsc, CbscDraft, CbscHistoria, EstadoCbsc, MiembroCbsc, RolCbsc};
use app::model::words::count_es;
use rusqlite::{params, Connection, TransactionBehavior};

use super::accounts::audit_row;
use super::{Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn estado_code(e: EstadoCbsc) -> &'static str {
    match e {
        EstadoCbsc::Activo => "activo",
        EstadoCbsc::Inactivo => "inactivo",
        EstadoCbsc::EnConformacion => "en_conformacion",
    }
}

fn estado_of(code: &str) -> Result<EstadoCbsc, StoreError> {
    EstadoCbsc::ALL.into_iter().find(|e| estado_code(*e) == code).ok_or_else(|| corrupt("estado", code))
}

fn rol_of(code: &str) -> Result<RolCbsc, StoreError> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).map_err(|e| corrupt("rol", e))
}

fn rol_code(rol: RolCbsc) -> Result<String, StoreError> {
    match serde_json::to_value(rol).map_err(|e| corrupt("rol", e))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(corrupt("rol", other)),
    }
}

/// The barrio's versions, newest first; with the names only when `names`.
fn versions(c: &Connection, barrio_id: i64, names: bool) -> Result<Vec<Cbsc>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT version, fecha_conformacion, miembros, roles, estado, at_ms, by_user FROM cbsc_versions WHERE barrio_id = ?1 ORDER BY version DESC",
    )?;
    let rows = stmt
        .query_map([barrio_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(version, fecha_conformacion, miembros, roles, estado, at_ms, by)| {
            let nombres = if names { Some(names_of(c, barrio_id, version)?) } else { None };
            Ok(Cbsc {
                barrio_id,
                version: u32::try_from(version).map_err(|e| corrupt("version", e))?,
                fecha_conformacion,
                miembros: u32::try_from(miembros).map_err(|e| corrupt("miembros", e))?,
                roles: serde_json::from_str(&roles).map_err(|e| corrupt("roles", e))?,
                estado: estado_of(&estado)?,
                nombres,
                at_ms,
                by,
            })
        })
        .collect()
}

fn names_of(c: &Connection, barrio_id: i64, version: i64) -> Result<Vec<MiembroCbsc>, StoreError> {
    let mut stmt = c.prepare_cached("SELECT nombre, rol FROM cbsc_member_names WHERE barrio_id = ?1 AND version = ?2 ORDER BY position")?;
    let rows = stmt.query_map(params![barrio_id, version], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
    rows.map(|row| {
        let (nombre, rol) = row?;
        Ok(MiembroCbsc { nombre, rol: rol.as_deref().map(rol_of).transpose()? })
    })
    .collect()
}

impl Store {
    /// The barrio's committee, every version newest first; the members' names only when
    /// `with_names` (staff). `None`: no such barrio.
    pub async fn cbsc_of_barrio(&self, barrio_id: i64, with_names: bool) -> Result<Option<CbscHistoria>, StoreError> {
        self.call(move |c| {
            if !super::barrios::exists(&c, barrio_id)? {
                return Ok(None);
            }
            Ok(Some(CbscHistoria { barrio_id, versiones: versions(c, barrio_id, with_names)? }))
        })
        .await
    }

    /// Appends a checked version of the barrio's committee. `None`: no such barrio.
    pub async fn add_cbsc_version(&self, barrio_id: i64, draft: CbscDraft, by: User, now_ms: i64) -> Result<Option<Cbsc>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !super::barrios::exists(&tx, barrio_id)? {
                return Ok(None);
            }
            let version: i64 =
                tx.query_row("SELECT coalesce(max(version), 0) + 1 FROM cbsc_versions WHERE barrio_id = ?1", [barrio_id], |r| r.get(0))?;
            let roles = serde_json::to_string(&draft.roles).map_err(|e| corrupt("roles", e))?;
            tx.execute(
                "INSERT INTO cbsc_versions (barrio_id, version, fecha_conformacion, miembros, roles, estado, at_ms, by_user) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    barrio_id,
                    version,
                    draft.fecha_conformacion,
                    draft.miembros,
                    roles,
                    estado_code(draft.estado),
                    now_ms,
                    by.display_name
                ],
            )?;
            for (position, m) in draft.nombres.iter().enumerate() {
                tx.execute(
                    "INSERT INTO cbsc_member_names (barrio_id, version, position, nombre, rol) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![barrio_id, version, position as i64, m.nombre, m.rol.map(rol_code).transpose()?],
                )?;
            }
            let roles_es: Vec<&str> = draft.roles.iter().map(|r| r.label_es()).collect();
            let detail = format!(
                "versión {version}: {}, {}, cargos: {}; {}",
                draft.estado.label_es().to_lowercase(),
                count_es(draft.miembros, "integrante", "integrantes"),
                if roles_es.is_empty() { "ninguno".to_string() } else { roles_es.join(", ") },
                count_es(draft.nombres.len() as u32, "nombre registrado", "nombres registrados")
            );
            audit_row(&tx, Some(&by), "cbsc_version", format!("barrio {barrio_id}"), detail, now_ms)?;
            let stored = versions(&tx, barrio_id, true)?.into_iter().next().ok_or_else(|| corrupt("cbsc", "not written"))?;
            tx.commit()?;
            Ok(Some(stored))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    #[tokio::test]
    async fn versions_are_appended_and_names_read_only_when_asked() {
        let (_dir, store) = store().await;
        let barrio = barrio(&store, "pescaito").await;
        let staff = account(&store, "Marta", app::model::account::Role::Staff).await;
        let first = CbscDraft {
            fecha_conformacion: String::new(),
            miembros: 0,
            roles: vec![],
            estado: EstadoCbsc::EnConformacion,
            nombres: vec![],
        };
        assert_eq!(store.add_cbsc_version(barrio, first, staff.clone(), T).await.unwrap().unwrap().version, 1);
        let second = CbscDraft {
            fecha_conformacion: "2026-03-14".into(),
            miembros: 7,
            roles: vec![RolCbsc::Presidente, RolCbsc::Fiscal],
            estado: EstadoCbsc::Activo,
            nombres: vec![MiembroCbsc { nombre: "Rosa Díaz".into(), rol: Some(RolCbsc::Presidente) }],
        };
        let stored = store.add_cbsc_version(barrio, second, staff.clone(), T + 1).await.unwrap().unwrap();
        assert_eq!((stored.version, stored.nombres.as_ref().map(Vec::len)), (2, Some(1)));
        assert!(store.add_cbsc_version(barrio + 1000, stored_draft(), staff, T).await.unwrap().is_none());

        let staff_view = store.cbsc_of_barrio(barrio, true).await.unwrap().unwrap();
        assert_eq!(staff_view.versiones.iter().map(|v| v.version).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(staff_view.versiones[0].nombres.as_ref().unwrap()[0].nombre, "Rosa Díaz");
        let other_view = store.cbsc_of_barrio(barrio, false).await.unwrap().unwrap();
        assert!(other_view.versiones.iter().all(|v| v.nombres.is_none()));
        assert_refused(
            &store,
            &[
                "UPDATE cbsc_versions SET miembros = 1",
                "DELETE FROM cbsc_versions",
                "UPDATE cbsc_member_names SET nombre = 'x'",
                "DELETE FROM cbsc_member_names",
            ],
        )
        .await;
        let log = store.audit_log(None, 10).await.unwrap();
        let line = log.iter().find(|e| e.action == "cbsc_version").unwrap();
        assert_eq!(line.detail, "versión 2: activo, 7 integrantes, cargos: Presidencia, Fiscal; 1 nombre registrado");
        assert!(log.iter().all(|e| !e.detail.contains("Rosa")));
    }

    fn stored_draft() -> CbscDraft {
        CbscDraft { fecha_conformacion: String::new(), miembros: 0, roles: vec![], estado: EstadoCbsc::Inactivo, nombres: vec![] }
    }
}
