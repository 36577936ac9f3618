//! The catalogue of institutions as stored (migration 0020): every version of every entry,
//! the current one the highest. Admins edit it; each edit is a new version with its audit
//! line in the same transaction. Seeded on first start from `pacto::institucion::SEMILLA`.

use app::model::account::User;
use app::model::pacto::{Institucion, InstitucionDraft};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::accounts::audit_row;
use super::ruta::{code, from_code};
use super::{Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

const SELECT_INSTITUCION: &str = "SELECT codigo, version, nombre, tipo, contactos, activa, at_ms, por FROM instituciones";

type Row = (String, i64, String, String, String, bool, i64, String);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
}

fn parse((codigo, version, nombre, tipo, contactos, activa, at_ms, por): Row) -> Result<Institucion, StoreError> {
    Ok(Institucion {
        codigo,
        version: u32::try_from(version).map_err(|e| corrupt("institution version", e))?,
        nombre,
        tipo: from_code(&tipo)?,
        contactos: serde_json::from_str(&contactos).map_err(|e| corrupt("institution contacts", e))?,
        activa,
        at_ms,
        por,
    })
}

/// The catalogue's current entries (the highest version of each code), by name; inside a
/// transaction too, for what is checked against it as it is stored.
pub(super) fn catalogo(c: &Connection) -> Result<Vec<Institucion>, StoreError> {
    let sql = format!(
        "{SELECT_INSTITUCION} i WHERE version = (SELECT max(version) FROM instituciones j WHERE j.codigo = i.codigo) \
         ORDER BY nombre COLLATE NOCASE, codigo"
    );
    let rows = c.prepare_cached(&sql)?.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(parse).collect()
}

pub(super) fn current(c: &Connection, codigo: &str) -> Result<Option<Institucion>, StoreError> {
    let sql = format!("{SELECT_INSTITUCION} WHERE codigo = ?1 ORDER BY version DESC LIMIT 1");
    c.prepare_cached(&sql)?.query_row([codigo], row).optional()?.map(parse).transpose()
}

fn insert(c: &Connection, codigo: &str, d: &InstitucionDraft, version: u32, por: &str, now_ms: i64) -> Result<(), StoreError> {
    let contactos = serde_json::to_string(&d.contactos).map_err(|e| corrupt("institution contacts", e))?;
    c.execute(
        "INSERT INTO instituciones (codigo, version, nombre, tipo, contactos, activa, at_ms, por) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![codigo, version, d.nombre, code(&d.tipo)?, contactos, d.activa, now_ms, por],
    )?;
    Ok(())
}

impl Store {
    /// The catalogue: the current version of every entry, inactive ones too, by name.
    pub async fn instituciones(&self) -> Result<Vec<Institucion>, StoreError> {
        self.call(|c| catalogo(c)).await
    }

    /// Keeps a checked draft as a new version of entry `codigo` (version 1 of a new one), with
    /// its audit line. A draft that changes nothing adds no version. Returns the entry as it
    /// now is, and whether it is new.
    pub async fn put_institucion(
        &self,
        codigo: String,
        draft: InstitucionDraft,
        by: User,
        now_ms: i64,
    ) -> Result<(Institucion, bool), StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now = current(&tx, &codigo)?;
            if let Some(i) = &now {
                if i.nombre == draft.nombre && i.tipo == draft.tipo && i.contactos == draft.contactos && i.activa == draft.activa {
                    return Ok((i.clone(), false));
                }
            }
            let version = now.as_ref().map_or(1, |i| i.version + 1);
            insert(&tx, &codigo, &draft, version, &by.display_name, now_ms)?;
            let detail = format!("versión {version}: {}{}", draft.nombre, if draft.activa { "" } else { " (inactiva)" });
            audit_row(&tx, Some(&by), "institucion", codigo.clone(), detail, now_ms)?;
            let stored = current(&tx, &codigo)?.ok_or_else(|| corrupt("institution", "not written"))?;
            tx.commit()?;
            Ok((stored, now.is_none()))
        })
        .await
    }

    /// On first start: `semilla` as version 1 of each entry, when the catalogue is empty.
    /// Returns how many entries were added (0 on every later start).
    pub async fn seed_instituciones(&self, semilla: Vec<(String, InstitucionDraft)>, now_ms: i64) -> Result<usize, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if tx.query_row("SELECT EXISTS (SELECT 1 FROM instituciones)", [], |r| r.get::<_, bool>(0))? {
                return Ok(0);
            }
            for (codigo, d) in &semilla {
                insert(&tx, codigo, d, 1, "cartobarrio", now_ms)?;
            }
            tx.commit()?;
            Ok(semilla.len())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;
    use app::model::account::Role;
    use app::model::pacto::{Contacto, TipoInstitucion};

    fn cargo(cargo: &str) -> Contacto {
        Contacto { cargo: cargo.to_string(), nombre: None }
    }

    fn draft(nombre: &str, activa: bool) -> InstitucionDraft {
        InstitucionDraft { nombre: nombre.into(), tipo: TipoInstitucion::Publica, contactos: vec![cargo("Enlace")], activa }
    }

    #[tokio::test]
    async fn the_catalogue_is_seeded_once_and_every_edit_is_a_version() {
        let (_dir, store) = store().await;
        let semilla = vec![("essmar".to_string(), draft("ESSMAR", true)), ("icbf".to_string(), draft("ICBF", true))];
        assert_eq!(store.seed_instituciones(semilla.clone(), T).await.unwrap(), 2);
        assert_eq!(store.seed_instituciones(semilla, T).await.unwrap(), 0, "a second start adds nothing");
        let admin = account(&store, "ana", Role::Admin).await;
        let (same, new) = store.put_institucion("essmar".into(), draft("ESSMAR", true), admin.clone(), T + 1).await.unwrap();
        assert_eq!((same.version, new), (1, false), "nothing changed: no version");
        let (changed, new) = store.put_institucion("essmar".into(), draft("ESSMAR", false), admin.clone(), T + 2).await.unwrap();
        assert_eq!((changed.version, changed.activa, changed.por.as_str(), new), (2, false, "ana", false));
        let (added, new) = store.put_institucion("jac_pescaito".into(), draft("JAC de Pescaíto", true), admin, T + 3).await.unwrap();
        assert_eq!((added.version, new), (1, true));
        let names: Vec<(String, u32)> = store.instituciones().await.unwrap().into_iter().map(|i| (i.codigo, i.version)).collect();
        assert_eq!(names, vec![("essmar".into(), 2), ("icbf".into(), 1), ("jac_pescaito".into(), 1)]);
        assert_refused(&store, &["UPDATE instituciones SET nombre = 'x'", "DELETE FROM instituciones"]).await;
        let log = store.audit_log(None, 10).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action == "institucion").count(), 2);
    }
}
