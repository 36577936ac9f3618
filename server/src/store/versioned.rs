//! What the stores of documents kept as numbered versions share (actas, fichas de
//! intervención, miniauditorías): each kind has a table `{kind}_versions` with `id`, `version`,
//! `barrio_id`, `fecha`, `body` (the app's JSON), `author_user_id` and `received_at_ms`; the
//! highest version is the document.

use std::marker::PhantomData;

use app::model::acta::Acta;
use app::model::intervencion::FichaIntervencion;
use app::model::miniauditoria::Miniauditoria;
use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::StoreError;

/// A kind of versioned document `T`: its table (a constant, never input) and its name for
/// errors.
pub(super) struct Kind<T> {
    table: &'static str,
    what: &'static str,
    doc: PhantomData<fn() -> T>,
}

impl<T> Clone for Kind<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Kind<T> {}

pub(super) const ACTAS: Kind<Acta> = Kind { table: "acta_versions", what: "acta", doc: PhantomData };
pub(super) const FICHAS: Kind<FichaIntervencion> = Kind { table: "ficha_versions", what: "ficha", doc: PhantomData };
pub(super) const MINIAUDITORIAS: Kind<Miniauditoria> = Kind { table: "miniauditoria_versions", what: "miniauditoría", doc: PhantomData };

fn parse<T: DeserializeOwned>(kind: Kind<T>, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("{}: {e}", kind.what)))
}

/// The latest version of document `id`, with the account that wrote its first version.
pub(super) fn latest<T: DeserializeOwned>(c: &Connection, kind: Kind<T>, id: Uuid) -> Result<Option<(T, Option<i64>)>, StoreError> {
    let t = kind.table;
    let row: Option<(String, Option<i64>)> = c
        .prepare_cached(&format!(
            "SELECT body, (SELECT author_user_id FROM {t} f WHERE f.id = v.id ORDER BY version LIMIT 1) \
             FROM {t} v WHERE id = ?1 ORDER BY version DESC LIMIT 1"
        ))?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(body, first_author)| Ok((parse(kind, &body)?, first_author))).transpose()
}

/// Version `version` of document `id`, if stored.
pub(super) fn version<T: DeserializeOwned>(c: &Connection, kind: Kind<T>, id: Uuid, version: u32) -> Result<Option<T>, StoreError> {
    let body: Option<String> = c
        .prepare_cached(&format!("SELECT body FROM {} WHERE id = ?1 AND version = ?2", kind.table))?
        .query_row(params![id.to_string(), version], |r| r.get(0))
        .optional()?;
    body.map(|b| parse(kind, &b)).transpose()
}

/// The latest version of every document of the barrio, withdrawn ones included (flagged),
/// newest first.
pub(super) fn of_barrio<T: DeserializeOwned>(c: &Connection, kind: Kind<T>, barrio_id: i64) -> Result<Vec<T>, StoreError> {
    let t = kind.table;
    let mut stmt = c.prepare_cached(&format!(
        "SELECT body FROM {t} v WHERE barrio_id = ?1 \
         AND version = (SELECT MAX(version) FROM {t} w WHERE w.id = v.id) ORDER BY fecha DESC, received_at_ms DESC"
    ))?;
    let bodies = stmt.query_map([barrio_id], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    bodies.iter().map(|b| parse(kind, b)).collect()
}
