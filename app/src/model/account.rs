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
/// Most cities one account may be limited to (Colombia has about 1,100 municipios; an account
/// that works in more than a handful should simply work in all).
pub const MAX_MUNICIPIOS: usize = 50;
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
    /// The cities (DIVIPOLA codes) the account works in; empty: every city of the deployment,
    /// which is what a deployment of one city needs.
    #[serde(default)]
    pub municipios: Vec<String>,
    #[serde(default)]
    pub disabled: bool,
}

impl User {
    /// Whether the account works in the city `municipio`.
    pub fn in_city(&self, municipio: &str) -> bool {
        self.municipios.is_empty() || self.municipios.iter().any(|m| m == municipio)
    }

    /// Whether the account works in a barrio of city `municipio`: staff and admins in every
    /// barrio of their cities, a facilitator in those assigned to them there. The server
    /// decides access by this; the app only mirrors it.
    pub fn works_in(&self, barrio_id: i64, municipio: &str) -> bool {
        self.in_city(municipio) && self.assigned_to(barrio_id)
    }

    /// [`User::works_in`] without the city, for what the server already let through (a
    /// workshop it showed this account is in one of its cities).
    pub fn assigned_to(&self, barrio_id: i64) -> bool {
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
    /// The cities the account works in (empty: all).
    #[serde(default)]
    pub municipios: Vec<String>,
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
    #[error("a city is its 5-digit DIVIPOLA code, and an account has at most {MAX_MUNICIPIOS}")]
    InvalidMunicipio,
    #[error("a facilitator's barrios must lie in the cities of the account")]
    BarrioOutsideCities,
}

impl AccountError {
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::InvalidUsername => "invalid_username",
            AccountError::InvalidDisplayName => "invalid_display_name",
            AccountError::WeakPassword => "weak_password",
            AccountError::PasswordMissing => "password_missing",
            AccountError::NoBarrios => "no_barrios",
            AccountError::InvalidMunicipio => "invalid_municipio",
            AccountError::BarrioOutsideCities => "barrio_outside_cities",
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            AccountError::InvalidUsername => "username",
            AccountError::InvalidDisplayName => "display_name",
            AccountError::WeakPassword | AccountError::PasswordMissing => "password",
            AccountError::NoBarrios | AccountError::BarrioOutsideCities => "barrios",
            AccountError::InvalidMunicipio => "municipios",
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
            AccountError::InvalidMunicipio => {
                format!("Cada ciudad es su código DIVIPOLA de 5 dígitos (Santa Marta: 47001), y una cuenta tiene a lo sumo {MAX_MUNICIPIOS}.")
            }
            AccountError::BarrioOutsideCities => "Los barrios de quien facilita deben quedar en las ciudades de la cuenta.".into(),
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
            // Staff and admins see every barrio of their cities; a list would suggest otherwise.
            self.barrios.clear();
        }
        self.municipios.iter_mut().for_each(|m| *m = m.trim().to_string());
        self.municipios.sort_unstable();
        self.municipios.dedup();
        if self.municipios.len() > MAX_MUNICIPIOS || !self.municipios.iter().all(|m| super::barrio::is_municipio(m)) {
            return Err(AccountError::InvalidMunicipio);
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
            municipios: Vec::new(),
            password: password.map(String::from),
            disabled: false,
        }
    }

    #[test]
    fn cities_are_codes_and_empty_means_all() {
        let mut d = draft(Role::Staff, vec![], None);
        d.municipios = vec![" 47001".into(), "08001".into(), "47001".into()];
        assert_eq!(d.clone().checked(false).unwrap().municipios, vec!["08001", "47001"]);
        for bad in ["4700", "47OO1", "", "470011"] {
            d.municipios = vec![bad.into()];
            assert_eq!(d.clone().checked(false), Err(AccountError::InvalidMunicipio), "{bad:?}");
        }
        d.municipios = (10_000..10_000 + MAX_MUNICIPIOS + 1).map(|n| n.to_string()).collect();
        assert_eq!(d.checked(false), Err(AccountError::InvalidMunicipio));

        let user = |role, barrios: Vec<i64>, municipios: &[&str]| User {
            id: 1,
            username: "ana".into(),
            display_name: "Ana".into(),
            role,
            barrios,
            municipios: municipios.iter().map(|m| m.to_string()).collect(),
            disabled: false,
        };
        assert!(user(Role::Staff, vec![], &[]).works_in(7, "08001"), "no cities: every city");
        assert!(user(Role::Staff, vec![], &["47001"]).works_in(7, "47001"));
        assert!(!user(Role::Staff, vec![], &["47001"]).works_in(7, "08001"));
        assert!(!user(Role::Admin, vec![], &["47001"]).works_in(7, "08001"), "admins too keep to their cities");
        assert!(user(Role::Facilitator, vec![7], &[]).works_in(7, "47001"));
        assert!(!user(Role::Facilitator, vec![7], &["08001"]).works_in(7, "47001"), "an assigned barrio outside the cities");
        assert!(!user(Role::Facilitator, vec![7], &["47001"]).works_in(8, "47001"));
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
