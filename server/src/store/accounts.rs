//! Accounts, sessions, workshop device tokens and the audit log. Passwords arrive here already
//! hashed and tokens as their SHA-256: this module never sees a secret.

use std::collections::HashSet;

use app::model::account::{AuditEntry, Role, User, UserDraft};
use app::model::Workshop;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use uuid::Uuid;

use super::{workshops, Store, StoreError};

/// A session to store at sign-in.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub now_ms: i64,
    pub expires_at_ms: i64,
}

/// A live session with its account.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub user: User,
    pub csrf_token: String,
    pub expires_at_ms: i64,
    /// The barrios of the cities the account is limited to; `None` when it works in every city.
    pub city_barrios: Option<HashSet<i64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKind {
    Participant,
    Facilitator,
}

impl DeviceKind {
    fn code(self) -> &'static str {
        match self {
            DeviceKind::Participant => "participant",
            DeviceKind::Facilitator => "facilitator",
        }
    }
}

/// A device's right to sync one workshop.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceGrant {
    pub workshop: Workshop,
    pub device_id: Uuid,
    pub kind: DeviceKind,
    /// The account that prepared the workshop, or the facilitator whose tablet holds the
    /// token, was disabled or no longer works in the workshop's barrio: the token is void.
    pub revoked: bool,
}

const SELECT_USER: &str = "SELECT id, username, display_name, role, disabled FROM users";

fn user_row(c: &Connection, r: &rusqlite::Row<'_>) -> Result<User, StoreError> {
    let (id, username, display_name, role, disabled): (i64, String, String, String, bool) =
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
    let role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("user {id} with role {role:?}")))?;
    let barrios = c
        .prepare_cached("SELECT barrio_id FROM user_barrios WHERE user_id = ?1 ORDER BY barrio_id")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    let municipios = c
        .prepare_cached("SELECT municipio FROM user_municipios WHERE user_id = ?1 ORDER BY municipio")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(User { id, username, display_name, role, barrios, municipios, disabled })
}

/// The barrios of the cities `user` is limited to; `None` when it works in every city.
fn city_barrios(c: &Connection, user: &User) -> Result<Option<HashSet<i64>>, StoreError> {
    if user.municipios.is_empty() {
        return Ok(None);
    }
    let ids = c
        .prepare_cached("SELECT b.id FROM user_municipios u JOIN barrios b ON b.municipio = u.municipio WHERE u.user_id = ?1")?
        .query_map([user.id], |r| r.get(0))?
        .collect::<Result<HashSet<i64>, _>>()?;
    Ok(Some(ids))
}

/// The city of a barrio (barrios are never deleted, nor moved to another city).
fn barrio_municipio(c: &Connection, barrio_id: i64) -> Result<Option<String>, StoreError> {
    Ok(c.prepare_cached("SELECT municipio FROM barrios WHERE id = ?1")?.query_row([barrio_id], |r| r.get(0)).optional()?)
}

fn read_user(c: &Connection, id: i64) -> Result<Option<User>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("{SELECT_USER} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => Ok(Some(user_row(c, r)?)),
        None => Ok(None),
    }
}

/// Writes where an account works: its cities, and a facilitator's barrios, which must all be
/// known and lie in those cities.
fn write_places(c: &Connection, user_id: i64, draft: &UserDraft) -> Result<Result<(), UserWrite>, StoreError> {
    c.execute("DELETE FROM user_municipios WHERE user_id = ?1", [user_id])?;
    for m in &draft.municipios {
        c.execute("INSERT INTO user_municipios (user_id, municipio) VALUES (?1, ?2)", params![user_id, m])?;
    }
    c.execute("DELETE FROM user_barrios WHERE user_id = ?1", [user_id])?;
    for b in &draft.barrios {
        let Some(municipio) = barrio_municipio(c, *b)? else { return Ok(Err(UserWrite::UnknownBarrio)) };
        if !draft.municipios.is_empty() && !draft.municipios.contains(&municipio) {
            return Ok(Err(UserWrite::BarrioOutsideCities));
        }
        c.execute("INSERT INTO user_barrios (user_id, barrio_id) VALUES (?1, ?2)", params![user_id, b])?;
    }
    Ok(Ok(()))
}

fn unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(msg)) if f.code == ErrorCode::ConstraintViolation && msg.contains("UNIQUE"))
}

/// Why an account could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserWrite {
    UsernameTaken,
    UnknownBarrio,
    BarrioOutsideCities,
    NotFound,
}

/// Adds a line to the audit log within the caller's transaction, so a change and its line
/// are kept together or not at all.
pub(super) fn audit_row(c: &Connection, user: Option<&User>, action: &str, target: String, detail: String, now_ms: i64) -> Result<(), StoreError> {
    let (user_id, username) = user.map_or((None, ""), |u| (Some(u.id), u.username.as_str()));
    c.execute(
        "INSERT INTO audit_log (at_ms, user_id, username, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![now_ms, user_id, username, action, target, detail],
    )?;
    Ok(())
}

impl Store {
    /// How many accounts exist (the first admin is made from the command line).
    pub async fn user_count(&self) -> Result<i64, StoreError> {
        self.call(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)).await
    }

    /// Stores a new account from a checked draft and its password's hash.
    pub async fn create_user(&self, draft: UserDraft, password_hash: String, now_ms: i64) -> Result<Result<User, UserWrite>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let inserted = tx.execute(
                "INSERT INTO users (username, display_name, role, password_hash, disabled, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![draft.username, draft.display_name, draft.role.code(), password_hash, draft.disabled, now_ms],
            );
            match inserted {
                Err(e) if unique_violation(&e) => return Ok(Err(UserWrite::UsernameTaken)),
                other => other?,
            };
            let id = tx.last_insert_rowid();
            if let Err(refused) = write_places(&tx, id, &draft)? {
                return Ok(Err(refused));
            }
            let user = read_user(&tx, id)?.ok_or_else(|| StoreError::Corrupt("user vanished".into()))?;
            tx.commit()?;
            Ok(Ok(user))
        })
        .await
    }

    /// Changes an account (and its password when a hash is given). Disabling an account or
    /// setting its password signs it out everywhere.
    pub async fn update_user(&self, id: i64, draft: UserDraft, password_hash: Option<String>) -> Result<Result<User, UserWrite>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let updated = tx.execute(
                "UPDATE users SET username = ?2, display_name = ?3, role = ?4, disabled = ?5, password_hash = coalesce(?6, password_hash)
                 WHERE id = ?1",
                params![id, draft.username, draft.display_name, draft.role.code(), draft.disabled, password_hash],
            );
            match updated {
                Err(e) if unique_violation(&e) => return Ok(Err(UserWrite::UsernameTaken)),
                Ok(0) => return Ok(Err(UserWrite::NotFound)),
                other => other?,
            };
            if let Err(refused) = write_places(&tx, id, &draft)? {
                return Ok(Err(refused));
            }
            if draft.disabled || password_hash.is_some() {
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
            }
            let user = read_user(&tx, id)?.ok_or_else(|| StoreError::Corrupt("user vanished".into()))?;
            tx.commit()?;
            Ok(Ok(user))
        })
        .await
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        self.call(|c| {
            let ids = c.prepare("SELECT id FROM users ORDER BY role, username")?.query_map([], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
            ids.into_iter().filter_map(|id| read_user(c, id).transpose()).collect()
        })
        .await
    }

    /// The account signing in as `username` (normalised) and its password hash.
    pub async fn credentials(&self, username: String) -> Result<Option<(User, String)>, StoreError> {
        self.call(move |c| {
            let found: Option<(i64, String)> = c
                .query_row("SELECT id, password_hash FROM users WHERE username = ?1", [username], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((id, hash)) = found else { return Ok(None) };
            Ok(read_user(c, id)?.map(|u| (u, hash)))
        })
        .await
    }

    /// Sets an account's password hash and ends its other sessions (`keep`, a token hash, stays).
    pub async fn set_password(&self, user_id: i64, password_hash: String, keep: String) -> Result<(), StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute("UPDATE users SET password_hash = ?2 WHERE id = ?1", params![user_id, password_hash])?;
            tx.execute("DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2", params![user_id, keep])?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    pub async fn create_session(&self, s: NewSession) -> Result<(), StoreError> {
        self.call(move |c| {
            // Expired sessions are swept at each sign-in: the table stays small without a timer.
            c.execute("DELETE FROM sessions WHERE expires_at_ms <= ?1", [s.now_ms])?;
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, last_seen_ms, expires_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![s.token_hash, s.user_id, s.csrf_token, s.now_ms, s.expires_at_ms],
            )?;
            Ok(())
        })
        .await
    }

    /// The live session with this token hash at `now_ms`, its expiry moved to `now + idle_ms`
    /// (never past `created + max_ms`). `None` when unknown, expired or its account disabled.
    pub async fn session(&self, token_hash: String, now_ms: i64, idle_ms: i64, max_ms: i64) -> Result<Option<SessionRow>, StoreError> {
        self.call(move |c| {
            let found: Option<(i64, String, i64, i64, i64)> = c
                .prepare_cached("SELECT user_id, csrf_token, created_at_ms, last_seen_ms, expires_at_ms FROM sessions WHERE token_hash = ?1")?
                .query_row([&token_hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                .optional()?;
            let Some((user_id, csrf_token, created, last_seen, mut expires)) = found else { return Ok(None) };
            if expires <= now_ms {
                return Ok(None);
            }
            let Some(user) = read_user(c, user_id)?.filter(|u| !u.disabled) else { return Ok(None) };
            // Written at most once a minute: a page load makes a dozen requests.
            if now_ms - last_seen >= 60_000 {
                expires = (now_ms + idle_ms).min(created + max_ms);
                c.execute(
                    "UPDATE sessions SET last_seen_ms = ?2, expires_at_ms = ?3 WHERE token_hash = ?1",
                    params![token_hash, now_ms, expires],
                )?;
            }
            let city_barrios = city_barrios(c, &user)?;
            Ok(Some(SessionRow { user, csrf_token, expires_at_ms: expires, city_barrios }))
        })
        .await
    }

    pub async fn delete_session(&self, token_hash: String) -> Result<(), StoreError> {
        self.call(move |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
            Ok(())
        })
        .await
    }

    /// Keeps a device's token for a workshop.
    pub async fn issue_device_token(
        &self,
        token_hash: String,
        workshop_id: Uuid,
        device_id: Uuid,
        kind: DeviceKind,
        user_id: Option<i64>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.call(move |c| {
            c.execute(
                "INSERT INTO device_tokens (token_hash, workshop_id, device_id, kind, user_id, issued_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![token_hash, workshop_id.to_string(), device_id.to_string(), kind.code(), user_id, now_ms],
            )?;
            Ok(())
        })
        .await
    }

    /// What a device token allows, with its workshop as it is now (closed or not).
    pub async fn device_grant(&self, token_hash: String) -> Result<Option<DeviceGrant>, StoreError> {
        self.call(move |c| {
            let found: Option<(String, String, String, Option<i64>)> = c
                .prepare_cached("SELECT workshop_id, device_id, kind, user_id FROM device_tokens WHERE token_hash = ?1")?
                .query_row([token_hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?;
            let Some((workshop_id, device_id, kind, holder)) = found else { return Ok(None) };
            let parse = |s: &str| Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("device token: {e}")));
            let Some(workshop) = workshops::read(c, parse(&workshop_id)?)? else { return Ok(None) };
            let preparer: Option<i64> =
                c.prepare_cached("SELECT prepared_by FROM workshops WHERE id = ?1")?.query_row([&workshop_id], |r| r.get(0))?;
            // Both accounts behind the token must still be enabled and work in the barrio.
            let municipio = barrio_municipio(c, workshop.barrio_id)?.unwrap_or_default();
            let mut revoked = false;
            for user_id in [holder, preparer].into_iter().flatten() {
                revoked |= !read_user(c, user_id)?.is_some_and(|u| !u.disabled && u.works_in(workshop.barrio_id, &municipio));
            }
            let kind = if kind == "facilitator" { DeviceKind::Facilitator } else { DeviceKind::Participant };
            Ok(Some(DeviceGrant { workshop, device_id: parse(&device_id)?, kind, revoked }))
        })
        .await
    }

    /// Adds a line to the audit log.
    pub async fn audit(&self, user: Option<&User>, action: &'static str, target: String, detail: String, now_ms: i64) -> Result<(), StoreError> {
        let user = user.cloned();
        self.call(move |c| audit_row(c, user.as_ref(), action, target, detail, now_ms)).await
    }

    /// The audit log, newest first, `limit` lines before `before` (a `seq`; all when `None`).
    pub async fn audit_log(&self, before: Option<i64>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.call(move |c| {
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let mut stmt = c.prepare(
                "SELECT seq, at_ms, user_id, username, action, target, detail FROM audit_log WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![before.unwrap_or(i64::MAX), limit], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at_ms: r.get(1)?,
                    user_id: r.get(2)?,
                    username: r.get(3)?,
                    action: r.get(4)?,
                    target: r.get(5)?,
                    detail: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{barrio, city_barrio, store, workshop, T};

    fn draft(username: &str, role: Role, barrios: Vec<i64>) -> UserDraft {
        UserDraft { username: username.into(), display_name: "Ana".into(), role, barrios, municipios: Vec::new(), password: None, disabled: false }
    }

    fn in_cities(draft: UserDraft, municipios: &[&str]) -> UserDraft {
        UserDraft { municipios: municipios.iter().map(|m| m.to_string()).collect(), ..draft }
    }

    async fn session_of(store: &Store, user_id: i64, token: &str) -> SessionRow {
        let s = NewSession { token_hash: token.into(), user_id, csrf_token: "c".into(), now_ms: T, expires_at_ms: T + 1_000 };
        store.create_session(s).await.unwrap();
        store.session(token.into(), T, 1_000, 1_000).await.unwrap().unwrap()
    }

    #[tokio::test]
    async fn an_account_of_some_cities_sees_their_barrios_and_its_tablets_tokens_follow_it() {
        let (_dir, store) = store().await;
        let santa_marta = barrio(&store, "prado").await;
        let barranquilla = city_barrio(&store, "08001", "prado").await;

        let everywhere = store.create_user(draft("todo", Role::Staff, vec![]), "h".into(), T).await.unwrap().unwrap();
        assert_eq!(session_of(&store, everywhere.id, "a").await.city_barrios, None, "no cities: every city");
        let samarios = store.create_user(in_cities(draft("samario", Role::Staff, vec![]), &["47001"]), "h".into(), T).await.unwrap().unwrap();
        assert_eq!(samarios.municipios, vec!["47001"]);
        assert_eq!(session_of(&store, samarios.id, "b").await.city_barrios, Some(HashSet::from([santa_marta])));

        let refused = in_cities(draft("leo", Role::Facilitator, vec![barranquilla]), &["47001"]);
        assert_eq!(store.create_user(refused, "h".into(), T).await.unwrap(), Err(UserWrite::BarrioOutsideCities));
        assert_eq!(store.user_count().await.unwrap(), 2, "nothing of the refused account is kept");

        // A tablet's token prepared by a facilitator stops working once the account is moved
        // to another city.
        let ana = store.create_user(draft("ana", Role::Facilitator, vec![santa_marta]), "h".into(), T).await.unwrap().unwrap();
        let w = workshop(&store, santa_marta, 1).await;
        store.call(move |c| Ok(c.execute("UPDATE workshops SET prepared_by = ?1", [ana.id])?)).await.unwrap();
        let device = Uuid::from_u128(7);
        store.issue_device_token("tok".into(), w.id, device, DeviceKind::Facilitator, Some(ana.id), T).await.unwrap();
        assert!(!store.device_grant("tok".into()).await.unwrap().unwrap().revoked);
        let moved = in_cities(draft("ana", Role::Facilitator, vec![barranquilla]), &["08001"]);
        store.update_user(ana.id, moved, None).await.unwrap().unwrap();
        assert!(store.device_grant("tok".into()).await.unwrap().unwrap().revoked);
    }

    #[tokio::test]
    async fn accounts_sessions_and_the_audit_log() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let ana = store.create_user(draft("ana", Role::Facilitator, vec![b]), "h1".into(), T).await.unwrap().unwrap();
        assert_eq!(ana.barrios, vec![b]);
        assert_eq!(store.create_user(draft("ana", Role::Staff, vec![]), "h".into(), T).await.unwrap(), Err(UserWrite::UsernameTaken));
        assert_eq!(store.create_user(draft("leo", Role::Facilitator, vec![9999]), "h".into(), T).await.unwrap(), Err(UserWrite::UnknownBarrio));
        assert_eq!(store.user_count().await.unwrap(), 1, "a refused account leaves nothing behind");
        assert_eq!(store.credentials("ana".into()).await.unwrap().map(|(u, h)| (u.id, h)), Some((ana.id, "h1".into())));

        let hour = 3_600_000;
        let s = NewSession { token_hash: "t".into(), user_id: ana.id, csrf_token: "c".into(), now_ms: T, expires_at_ms: T + hour };
        store.create_session(s).await.unwrap();
        let live = store.session("t".into(), T + 1, hour, 10 * hour).await.unwrap().unwrap();
        assert_eq!((live.user.id, live.csrf_token.as_str(), live.expires_at_ms), (ana.id, "c", T + hour));
        // Used after half an hour, it lasts an hour from then; never past the maximum.
        assert_eq!(store.session("t".into(), T + hour / 2, hour, 10 * hour).await.unwrap().unwrap().expires_at_ms, T + hour + hour / 2);
        assert!(store.session("t".into(), T + 3 * hour, hour, 10 * hour).await.unwrap().is_none(), "expired");
        assert!(store.session("x".into(), T, hour, hour).await.unwrap().is_none(), "unknown");

        let s = NewSession { token_hash: "u".into(), user_id: ana.id, csrf_token: "c".into(), now_ms: T, expires_at_ms: T + hour };
        store.create_session(s).await.unwrap();
        let off = UserDraft { disabled: true, ..draft("ana", Role::Facilitator, vec![b]) };
        store.update_user(ana.id, off, None).await.unwrap().unwrap();
        assert!(store.session("u".into(), T + 1, hour, hour).await.unwrap().is_none(), "a disabled account is signed out");

        store.audit(Some(&ana), "login", "ana".into(), String::new(), T).await.unwrap();
        store.audit(None, "login_failed", "nadie".into(), String::new(), T + 1).await.unwrap();
        let log = store.audit_log(None, 10).await.unwrap();
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["login_failed", "login"], "newest first");
        assert_eq!(store.audit_log(Some(log[0].seq), 10).await.unwrap().len(), 1);
        let tampered = store.call(|c| Ok(c.execute("DELETE FROM audit_log", [])?)).await;
        assert!(tampered.is_err(), "the audit log is append-only");
    }
}
