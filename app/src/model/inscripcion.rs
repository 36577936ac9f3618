//! A community's request to enrol its barrio in the route (the seed: "abierto a todas las
//! comunidades que deseen inscribir sus barrios"), and staff's decision on it. Pure: the
//! public form and the server check a request with the same rules.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::Bilingual;

/// The longest name of a JAC or CBSC.
pub const MAX_ORGANIZACION_CHARS: usize = 120;
/// The longest contact (a phone number, an address, or how to find them).
pub const MAX_CONTACTO_CHARS: usize = 160;
/// The longest answer to "¿por qué quieren entrar a la ruta?".
pub const MAX_MOTIVO_CHARS: usize = 2_000;
/// The longest reason for a decision.
pub const MAX_RAZON_CHARS: usize = 1_000;
/// Requests of one barrio waiting for staff at most: a flood cannot bury them.
pub const MAX_PENDIENTES_POR_BARRIO: usize = 3;

/// How the community prefers to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Canal {
    Telefono,
    Correo,
    Otro,
}

impl Canal {
    pub const ALL: [Canal; 3] = [Canal::Telefono, Canal::Correo, Canal::Otro];

    pub fn code(self) -> &'static str {
        match self {
            Canal::Telefono => "telefono",
            Canal::Correo => "correo",
            Canal::Otro => "otro",
        }
    }

    pub fn parse(code: &str) -> Option<Canal> {
        Canal::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_es(self) -> &'static str {
        match self {
            Canal::Telefono => "Teléfono o celular",
            Canal::Correo => "Correo electrónico",
            Canal::Otro => "Otro medio",
        }
    }
}

/// `POST /api/v1/inscripciones`: what the public form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InscripcionDraft {
    pub barrio_id: i64,
    /// The Junta de Acción Comunal or the CBSC that asks.
    pub organizacion: String,
    pub canal: Canal,
    pub contacto: String,
    /// Why they want to enter the route.
    pub motivo: String,
    /// The honeypot: hidden from people, filled by bots. A request with it is answered as
    /// received and kept nowhere.
    #[serde(default)]
    pub sitio_web: String,
}

/// The answer to a request, the same whether it was kept or was a bot's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InscripcionRecibida {
    pub recibida: bool,
}

/// What staff decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Veredicto {
    /// A ciclo of the barrio opened at step 1.
    Aceptada,
    Rechazada,
}

/// `POST /api/v1/inscripciones/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDraft {
    pub veredicto: Veredicto,
    /// Required to decline; an optional note when accepting.
    #[serde(default)]
    pub reason: String,
}

/// A decision as kept: appended once, never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub veredicto: Veredicto,
    pub at_ms: i64,
    pub by: String,
    pub reason: String,
    /// The ciclo the acceptance opened.
    pub ciclo_id: Option<Uuid>,
}

/// A request as staff read it (the contact is personal data: only staff get it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inscripcion {
    pub id: Uuid,
    pub barrio_id: i64,
    pub barrio_name: String,
    pub comuna: Option<String>,
    pub organizacion: String,
    pub canal: Canal,
    pub contacto: String,
    pub motivo: String,
    pub received_at_ms: i64,
    pub decision: Option<Decision>,
}

impl Inscripcion {
    pub fn is_pending(&self) -> bool {
        self.decision.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InscripcionError {
    #[error("the name of the JAC or CBSC is missing")]
    OrganizacionMissing,
    #[error("the name of the JAC or CBSC is over {MAX_ORGANIZACION_CHARS} characters")]
    OrganizacionTooLong,
    #[error("the contact is missing")]
    ContactoMissing,
    #[error("the contact is over {MAX_CONTACTO_CHARS} characters")]
    ContactoTooLong,
    #[error("the phone number needs 7 to 15 digits")]
    BadPhone,
    #[error("the e-mail address is not valid")]
    BadEmail,
    #[error("the reason to enter the route is missing")]
    MotivoMissing,
    #[error("the reason to enter the route is over {MAX_MOTIVO_CHARS} characters")]
    MotivoTooLong,
    #[error("the barrio already has {MAX_PENDIENTES_POR_BARRIO} requests waiting for review")]
    TooManyPending,
    #[error("the request was already decided")]
    AlreadyDecided,
    #[error("declining a request needs a reason")]
    ReasonMissing,
    #[error("the reason is over {MAX_RAZON_CHARS} characters")]
    ReasonTooLong,
    #[error("the barrio already walks an open ciclo")]
    CicloOpen,
}

impl InscripcionError {
    pub fn code(&self) -> &'static str {
        match self {
            InscripcionError::OrganizacionMissing => "organizacion_missing",
            InscripcionError::OrganizacionTooLong => "organizacion_too_long",
            InscripcionError::ContactoMissing => "contacto_missing",
            InscripcionError::ContactoTooLong => "contacto_too_long",
            InscripcionError::BadPhone => "bad_phone",
            InscripcionError::BadEmail => "bad_email",
            InscripcionError::MotivoMissing => "motivo_missing",
            InscripcionError::MotivoTooLong => "motivo_too_long",
            InscripcionError::TooManyPending => "too_many_pending",
            InscripcionError::AlreadyDecided => "already_decided",
            InscripcionError::ReasonMissing => "reason_missing",
            InscripcionError::ReasonTooLong => "reason_too_long",
            InscripcionError::CicloOpen => "ciclo_open",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            InscripcionError::OrganizacionMissing | InscripcionError::OrganizacionTooLong => Some("organizacion"),
            InscripcionError::ContactoMissing
            | InscripcionError::ContactoTooLong
            | InscripcionError::BadPhone
            | InscripcionError::BadEmail => Some("contacto"),
            InscripcionError::MotivoMissing | InscripcionError::MotivoTooLong => Some("motivo"),
            InscripcionError::TooManyPending => Some("barrio_id"),
            InscripcionError::ReasonMissing | InscripcionError::ReasonTooLong => Some("reason"),
            InscripcionError::AlreadyDecided | InscripcionError::CicloOpen => None,
        }
    }

    /// Whether the error is a conflict with what is stored (409) rather than a field to fix.
    pub fn is_conflict(&self) -> bool {
        matches!(self, InscripcionError::TooManyPending | InscripcionError::AlreadyDecided | InscripcionError::CicloOpen)
    }
}

impl Bilingual for InscripcionError {
    fn es(&self) -> String {
        match self {
            InscripcionError::OrganizacionMissing => "Escriba el nombre de la Junta de Acción Comunal o del comité (CBSC).".into(),
            InscripcionError::OrganizacionTooLong => format!("El nombre de la JAC o del CBSC pasa de {MAX_ORGANIZACION_CHARS} caracteres."),
            InscripcionError::ContactoMissing => "Escriba cómo podemos contactarles.".into(),
            InscripcionError::ContactoTooLong => format!("El contacto pasa de {MAX_CONTACTO_CHARS} caracteres."),
            InscripcionError::BadPhone => "El teléfono debe tener entre 7 y 15 números, por ejemplo 300 123 4567.".into(),
            InscripcionError::BadEmail => "El correo no parece válido: revíselo, por ejemplo junta@ejemplo.com.".into(),
            InscripcionError::MotivoMissing => "Cuéntenos por qué quieren entrar a la ruta.".into(),
            InscripcionError::MotivoTooLong => format!("La respuesta pasa de {MAX_MOTIVO_CHARS} caracteres: resúmala un poco."),
            InscripcionError::TooManyPending => format!(
                "Este barrio ya tiene {MAX_PENDIENTES_POR_BARRIO} solicitudes esperando respuesta. La Secretaría las revisará; si \
                 no les contactan en unas semanas, intenten de nuevo."
            ),
            InscripcionError::AlreadyDecided => "Esta solicitud ya fue respondida.".into(),
            InscripcionError::ReasonMissing => "Para rechazar la solicitud, escriba la razón.".into(),
            InscripcionError::ReasonTooLong => format!("La razón pasa de {MAX_RAZON_CHARS} caracteres."),
            InscripcionError::CicloOpen => {
                "El barrio ya está en la ruta (tiene un ciclo abierto): no se abrió otro. Rechace la solicitud diciendo eso, o cierre \
                 primero el ciclo abierto."
                    .into()
            }
        }
    }
    fn en(&self) -> String {
        super::sentence(self)
    }
}

/// `text` without control characters (new lines kept where `lines`), trimmed.
fn clean(text: &str, lines: bool) -> String {
    text.chars().filter(|c| !c.is_control() || (lines && *c == '\n')).collect::<String>().trim().to_string()
}

fn is_phone(contacto: &str) -> bool {
    let digits = contacto.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits) && contacto.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

fn is_email(contacto: &str) -> bool {
    let Some((local, domain)) = contacto.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !contacto.chars().any(char::is_whitespace)
}

impl InscripcionDraft {
    /// Whether a bot filled the honeypot.
    pub fn is_bot(&self) -> bool {
        !self.sitio_web.trim().is_empty()
    }

    /// The request with its texts trimmed and cleaned, or the first rule it breaks.
    pub fn checked(self) -> Result<InscripcionDraft, InscripcionError> {
        let organizacion = clean(&self.organizacion, false);
        if organizacion.is_empty() {
            return Err(InscripcionError::OrganizacionMissing);
        }
        if organizacion.chars().count() > MAX_ORGANIZACION_CHARS {
            return Err(InscripcionError::OrganizacionTooLong);
        }
        let contacto = clean(&self.contacto, false);
        if contacto.is_empty() {
            return Err(InscripcionError::ContactoMissing);
        }
        if contacto.chars().count() > MAX_CONTACTO_CHARS {
            return Err(InscripcionError::ContactoTooLong);
        }
        match self.canal {
            Canal::Telefono if !is_phone(&contacto) => return Err(InscripcionError::BadPhone),
            Canal::Correo if !is_email(&contacto) => return Err(InscripcionError::BadEmail),
            _ => {}
        }
        let motivo = clean(&self.motivo, true);
        if motivo.is_empty() {
            return Err(InscripcionError::MotivoMissing);
        }
        if motivo.chars().count() > MAX_MOTIVO_CHARS {
            return Err(InscripcionError::MotivoTooLong);
        }
        Ok(InscripcionDraft { barrio_id: self.barrio_id, organizacion, canal: self.canal, contacto, motivo, sitio_web: String::new() })
    }
}

impl DecisionDraft {
    pub fn checked(self) -> Result<DecisionDraft, InscripcionError> {
        let reason = clean(&self.reason, true);
        if reason.chars().count() > MAX_RAZON_CHARS {
            return Err(InscripcionError::ReasonTooLong);
        }
        if self.veredicto == Veredicto::Rechazada && reason.is_empty() {
            return Err(InscripcionError::ReasonMissing);
        }
        Ok(DecisionDraft { veredicto: self.veredicto, reason })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(canal: Canal, contacto: &str) -> InscripcionDraft {
        InscripcionDraft {
            barrio_id: 7,
            organizacion: " JAC Pescaíto ".into(),
            canal,
            contacto: contacto.into(),
            motivo: "Queremos un barrio más seguro.\n¡Gracias!".into(),
            sitio_web: String::new(),
        }
    }

    #[test]
    fn a_request_is_trimmed_and_its_contact_checked_by_channel() {
        let ok = draft(Canal::Telefono, " +57 300 123-4567 ").checked().unwrap();
        assert_eq!((ok.organizacion.as_str(), ok.contacto.as_str()), ("JAC Pescaíto", "+57 300 123-4567"));
        assert_eq!(ok.motivo, "Queremos un barrio más seguro.\n¡Gracias!", "new lines kept in the reason");
        assert_eq!(draft(Canal::Telefono, "12345").checked(), Err(InscripcionError::BadPhone));
        assert_eq!(draft(Canal::Telefono, "300 123 4567 ext").checked(), Err(InscripcionError::BadPhone));
        assert!(draft(Canal::Correo, "junta.pescaito@correo.co").checked().is_ok());
        for bad in ["junta", "a@b", "a b@c.co", "@c.co", "a@@c.co", "a@c..co"] {
            assert_eq!(draft(Canal::Correo, bad).checked(), Err(InscripcionError::BadEmail), "{bad}");
        }
        assert!(draft(Canal::Otro, "En el salón comunal, los martes").checked().is_ok());
        assert_eq!(draft(Canal::Otro, " \u{7} ").checked(), Err(InscripcionError::ContactoMissing));
    }

    #[test]
    fn every_field_is_required_and_bounded() {
        let mut d = draft(Canal::Otro, "x");
        d.organizacion = "\t".into();
        assert_eq!(d.clone().checked(), Err(InscripcionError::OrganizacionMissing));
        d.organizacion = "J".repeat(MAX_ORGANIZACION_CHARS + 1);
        assert_eq!(d.clone().checked(), Err(InscripcionError::OrganizacionTooLong));
        d.organizacion = "ñ".repeat(MAX_ORGANIZACION_CHARS);
        assert!(d.clone().checked().is_ok(), "characters, not bytes");
        d.contacto = "c".repeat(MAX_CONTACTO_CHARS + 1);
        assert_eq!(d.clone().checked(), Err(InscripcionError::ContactoTooLong));
        d.contacto = "x".into();
        d.motivo = String::new();
        assert_eq!(d.clone().checked(), Err(InscripcionError::MotivoMissing));
        d.motivo = "m".repeat(MAX_MOTIVO_CHARS + 1);
        assert_eq!(d.clone().checked(), Err(InscripcionError::MotivoTooLong));
    }

    #[test]
    fn the_honeypot_and_the_decisions() {
        let mut d = draft(Canal::Otro, "x");
        assert!(!d.is_bot());
        d.sitio_web = "http://spam.example".into();
        assert!(d.is_bot());
        assert_eq!(d.checked().unwrap().sitio_web, "");
        let decline = DecisionDraft { veredicto: Veredicto::Rechazada, reason: "  ".into() };
        assert_eq!(decline.checked(), Err(InscripcionError::ReasonMissing));
        assert!(DecisionDraft { veredicto: Veredicto::Aceptada, reason: String::new() }.checked().is_ok());
        let long = DecisionDraft { veredicto: Veredicto::Aceptada, reason: "r".repeat(MAX_RAZON_CHARS + 1) };
        assert_eq!(long.checked(), Err(InscripcionError::ReasonTooLong));
        let json = r#"{"barrio_id":1,"organizacion":"JAC","canal":"correo","contacto":"a@b.co","motivo":"m"}"#;
        assert_eq!(serde_json::from_str::<InscripcionDraft>(json).unwrap().canal, Canal::Correo);
        for e in [InscripcionError::TooManyPending, InscripcionError::CicloOpen, InscripcionError::BadPhone] {
            assert!(!e.es().is_empty() && e.en().ends_with('.') && !e.code().is_empty());
        }
        assert!(InscripcionError::TooManyPending.is_conflict() && !InscripcionError::BadEmail.is_conflict());
    }
}
