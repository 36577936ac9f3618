//! Accounts and access, as client and server both see them: the roles, who is signed in, the
//! requests to sign in, change a password and manage users, and the audit log's lines.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Bilingual;

/// Longest user name, display name and password accepted (a password is hashed whole, so a
/// megabyte one would cost the server; 200 characters is far beyond any passphrase).
pub const MAX_USERNAME_CHARS: usize = 40;
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 200;
/// The header a signed-in browser sends its session's anti-forgery token in, on every write.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What an account may do. Participants have no account: they join a workshop by code and
/// get a token for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users and barrios (imports), reads the audit log; can also do what staff do.
    Admin,
    /// Reviews diagnósticos, sees sensitive marks, exports.
    Staff,
    /// Prepares and runs workshops of the barrios assigned to them.
    Facilitator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Staff, Role::Facilitator];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Facilitator => "facilitator",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The role's name in the interface.
    pub fn label_es(self) -> &'static str {
        match self {
            Role::Admin => "Administración",
            Role::Staff => "Equipo de la Secretaría",
            Role::Facilitator => "Facilitación de talleres",
        }
    }

    /// Staff work (diagnósticos, sensitive marks, exports): staff and admins.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Staff)
    }
}

/// A signed-in account as the app shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The barrios a facilitator works in (empty for the other roles, who see all).
    #[serde(default)]
    pub barrios: Vec<i64>,
    #[serde(default)]
    pub disabled: bool,
}

impl User {
    /// Whether the account works in a barrio: staff and admins in every one, a facilitator in
    /// those assigned to them. The server decides access by this; the app only mirrors it.
    pub fn works_in(&self, barrio_id: i64) -> bool {
        self.role.is_staff() || self.barrios.contains(&barrio_id)
    }
}

/// `GET /api/v1/auth/session`: who this browser is signed in as, if anyone, and the token
/// its writes must carry in [`CSRF_HEADER`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<i64>,
}

impl SessionInfo {
    /// No one signed in.
    pub fn signed_out() -> SessionInfo {
        SessionInfo { user: None, csrf_token: None, expires_at_ms: None }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// An admin's new account, or changes to one (`password` then resets it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDraft {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub barrios: Vec<i64>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub disabled: bool,
}

/// A line of the audit log: who did what, to what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub target: String,
    #[serde(default)]
    pub detail: String,
}

/// What joining a workshop gives a device besides the workshop: the token its batches and
/// pulls carry (`Authorization: Bearer`), valid until the workshop is closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceToken {
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccountError {
    #[error("the user name must be 3 to {MAX_USERNAME_CHARS} letters, digits, dots, dashes or underscores")]
    InvalidUsername,
    #[error("the display name must have 1 to {MAX_DISPLAY_NAME_CHARS} characters")]
    InvalidDisplayName,
    #[error("the password must have {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error("a new account needs a password")]
    PasswordMissing,
    #[error("a facilitator needs at least one barrio")]
    NoBarrios,
}

impl AccountError {
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::InvalidUsername => "invalid_username",
            AccountError::InvalidDisplayName => "invalid_display_name",
            AccountError::WeakPassword => "weak_password",
            AccountError::PasswordMissing => "password_missing",
            AccountError::NoBarrios => "no_barrios",
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            AccountError::InvalidUsername => "username",
            AccountError::InvalidDisplayName => "display_name",
            AccountError::WeakPassword | AccountError::PasswordMissing => "password",
            AccountError::NoBarrios => "barrios",
        }
    }
}

impl Bilingual for AccountError {
    fn es(&self) -> String {
        match self {
            AccountError::InvalidUsername => {
                format!("El usuario debe tener de 3 a {MAX_USERNAME_CHARS} letras sin tilde, números, puntos, guiones o guiones bajos.")
            }
            AccountError::InvalidDisplayName => format!("El nombre debe tener de 1 a {MAX_DISPLAY_NAME_CHARS} caracteres."),
            AccountError::WeakPassword => {
                format!("La contraseña debe tener entre {MIN_PASSWORD_CHARS} y {MAX_PASSWORD_CHARS} caracteres.")
            }
            AccountError::PasswordMissing => "Una cuenta nueva necesita contraseña.".into(),
            AccountError::NoBarrios => "Asigne al menos un barrio a quien facilita.".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// A user name as stored: trimmed and lower-case, or why it cannot be one.
pub fn normalize_username(name: &str) -> Result<String, AccountError> {
    let name = name.trim().to_lowercase();
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if (3..=MAX_USERNAME_CHARS).contains(&name.chars().count()) && name.chars().all(ok_char) {
        Ok(name)
    } else {
        Err(AccountError::InvalidUsername)
    }
}

/// Whether a password may be set (its length: long passphrases beat character rules).
pub fn check_password(password: &str) -> Result<(), AccountError> {
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&password.chars().count()) {
        Ok(())
    } else {
        Err(AccountError::WeakPassword)
    }
}

impl UserDraft {
    /// The draft with its names normalised, or the first rule it breaks. `new` accounts need a
    /// password; a change without one keeps the old.
    pub fn checked(mut self, new: bool) -> Result<UserDraft, AccountError> {
        self.username = normalize_username(&self.username)?;
        self.display_name = self.display_name.trim().to_string();
        if !(1..=MAX_DISPLAY_NAME_CHARS).contains(&self.display_name.chars().count()) {
            return Err(AccountError::InvalidDisplayName);
        }
        match &self.password {
            Some(p) => check_password(p)?,
            None if new => return Err(AccountError::PasswordMissing),
            None => {}
        }
        if self.role == Role::Facilitator {
            self.barrios.sort_unstable();
            self.barrios.dedup();
            if self.barrios.is_empty() {
                return Err(AccountError::NoBarrios);
            }
        } else {
            // Staff and admins see every barrio; a list would suggest otherwise.
            self.barrios.clear();
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(role: Role, barrios: Vec<i64>, password: Option<&str>) -> UserDraft {
        UserDraft {
            username: "  Ana.Perez ".into(),
            display_name: " Ana Pérez ".into(),
            role,
            barrios,
            password: password.map(String::from),
            disabled: false,
        }
    }

    #[test]
    fn user_names_are_lower_case_ascii() {
        assert_eq!(normalize_username(" Ana.Perez_2 ").as_deref(), Ok("ana.perez_2"));
        for bad in ["ab", "ana pérez", "ana<script>", "", &"a".repeat(41)] {
            assert_eq!(normalize_username(bad), Err(AccountError::InvalidUsername), "{bad:?}");
        }
    }

    #[test]
    fn a_new_account_needs_a_long_enough_password() {
        assert_eq!(draft(Role::Staff, vec![], None).checked(true), Err(AccountError::PasswordMissing));
        assert_eq!(draft(Role::Staff, vec![], Some("corta")).checked(true), Err(AccountError::WeakPassword));
        assert!(draft(Role::Staff, vec![], None).checked(false).is_ok(), "a change may keep the password");
        let ok = draft(Role::Staff, vec![4], Some("una frase larga")).checked(true).unwrap();
        assert_eq!((ok.username.as_str(), ok.display_name.as_str()), ("ana.perez", "Ana Pérez"));
        assert!(ok.barrios.is_empty(), "staff see every barrio");
    }

    #[test]
    fn a_facilitator_needs_barrios() {
        assert_eq!(draft(Role::Facilitator, vec![], Some("una frase larga")).checked(true), Err(AccountError::NoBarrios));
        let ok = draft(Role::Facilitator, vec![3, 1, 3], Some("una frase larga")).checked(true).unwrap();
        assert_eq!(ok.barrios, vec![1, 3]);
    }

    #[test]
    fn roles_round_trip_and_only_admins_and_staff_do_staff_work() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
        }
        assert!(Role::Admin.is_staff() && Role::Staff.is_staff() && !Role::Facilitator.is_staff());
        assert_eq!(Role::parse("participant"), None);
    }
}
