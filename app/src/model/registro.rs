//! The registros a ciclo keeps for each step (informes, actas, pactos firmados…): what a file
//! kept is, the rules for its description, and which of the seed's registros each step holds.
//! Pure: the server sniffs and stores the bytes.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::ruta::{faltantes, Ciclo, Paso, TipoRegistro};
use super::Bilingual;

pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
pub const MAX_FILE_NAME_CHARS: usize = 160;

/// The file formats a registro may be, recognised by their first bytes (never by the name or
/// the type the browser claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Formato {
    Pdf,
    Jpeg,
    Png,
    Webp,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
    /// Word, Excel and PowerPoint before 2007 (one container format for the three).
    Office97,
    /// A table the server writes itself (the balance kept when barrios are prioritised). Never
    /// accepted from an upload: plain text has no first bytes to tell it from a script.
    Csv,
}

impl Formato {
    /// The formats an upload may be ([`Formato::Csv`] is the server's own, not among them).
    pub const ALL: [Formato; 11] = [
        Formato::Pdf,
        Formato::Jpeg,
        Formato::Png,
        Formato::Webp,
        Formato::Docx,
        Formato::Xlsx,
        Formato::Pptx,
        Formato::Odt,
        Formato::Ods,
        Formato::Odp,
        Formato::Office97,
    ];

    pub fn mime(self) -> &'static str {
        match self {
            Formato::Pdf => "application/pdf",
            Formato::Jpeg => "image/jpeg",
            Formato::Png => "image/png",
            Formato::Webp => "image/webp",
            Formato::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Formato::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Formato::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Formato::Odt => "application/vnd.oasis.opendocument.text",
            Formato::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Formato::Odp => "application/vnd.oasis.opendocument.presentation",
            Formato::Office97 => "application/x-cfb",
            Formato::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Formato> {
        Formato::ALL.into_iter().find(|f| f.mime() == mime)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Formato::Pdf => "pdf",
            Formato::Jpeg => "jpg",
            Formato::Png => "png",
            Formato::Webp => "webp",
            Formato::Docx => "docx",
            Formato::Xlsx => "xlsx",
            Formato::Pptx => "pptx",
            Formato::Odt => "odt",
            Formato::Ods => "ods",
            Formato::Odp => "odp",
            Formato::Office97 => "doc",
            Formato::Csv => "csv",
        }
    }

    pub fn label_es(self) -> &'static str {
        match self {
            Formato::Pdf => "PDF",
            Formato::Jpeg | Formato::Png | Formato::Webp => "Imagen",
            Formato::Docx | Formato::Odt => "Documento",
            Formato::Xlsx | Formato::Ods => "Hoja de cálculo",
            Formato::Pptx | Formato::Odp => "Presentación",
            Formato::Office97 => "Documento de Office 97",
            Formato::Csv => "Tabla CSV",
        }
    }
}

/// A registro's withdrawal: the file stays, the registro stops counting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retiro {
    pub at_ms: i64,
    pub by: String,
    pub reason: String,
}

/// A file kept for a step of a ciclo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registro {
    pub id: Uuid,
    pub ciclo_id: Uuid,
    pub barrio_id: i64,
    pub paso: Paso,
    pub tipo: TipoRegistro,
    /// The document's own date, `YYYY-MM-DD`.
    pub fecha: String,
    pub descripcion: String,
    /// The file's name as uploaded, cleaned.
    pub nombre: String,
    pub formato: Formato,
    pub bytes: u64,
    /// SHA-256 of the bytes, hex: the file's name in the store, so a file sent twice is kept once.
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at_ms: i64,
    pub retiro: Option<Retiro>,
    /// The acta this file is the signed scan of, if it is one.
    #[serde(default)]
    pub acta_id: Option<Uuid>,
}

impl Registro {
    pub fn counts(&self) -> bool {
        self.retiro.is_none()
    }
}

/// What is said of an upload (`POST /api/v1/ciclos/{id}/registros?paso=…`); the bytes are
/// the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistroMeta {
    pub paso: u8,
    pub tipo: TipoRegistro,
    pub fecha: String,
    #[serde(default)]
    pub descripcion: String,
    #[serde(default)]
    pub nombre: String,
    /// The acta this file is the signed scan of (one of the barrio's).
    #[serde(default)]
    pub acta_id: Option<Uuid>,
}

/// `POST /api/v1/registros/{id}/retiro`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiroDraft {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RegistroError {
    #[error("there is no step {0}")]
    NoSuchStep(u8),
    #[error("{tipo:?} is not a registro of step {paso}")]
    TipoNotOfStep { tipo: TipoRegistro, paso: u8 },
    #[error("the date {0:?} is not a date written YYYY-MM-DD")]
    BadDate(String),
    #[error("the description is over {MAX_DESCRIPTION_CHARS} characters")]
    DescriptionTooLong,
    #[error("the file is empty")]
    Empty,
    #[error("the file is over {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the file is not a PDF, an image (JPEG, PNG, WebP) or an office document")]
    NotAllowed,
    #[error("the registro was already withdrawn")]
    AlreadyWithdrawn,
    #[error("withdrawing a registro needs a reason")]
    ReasonMissing,
    #[error("the reason is over {} characters", super::ruta::MAX_REASON_CHARS)]
    ReasonTooLong,
    #[error("the barrio has no such acta")]
    UnknownActa,
}

impl RegistroError {
    pub fn code(&self) -> &'static str {
        match self {
            RegistroError::NoSuchStep(_) => "no_such_step",
            RegistroError::TipoNotOfStep { .. } => "tipo_not_of_step",
            RegistroError::BadDate(_) => "bad_date",
            RegistroError::DescriptionTooLong => "description_too_long",
            RegistroError::Empty => "empty_file",
            RegistroError::TooLarge { .. } => "file_too_large",
            RegistroError::NotAllowed => "file_type_not_allowed",
            RegistroError::AlreadyWithdrawn => "already_withdrawn",
            RegistroError::ReasonMissing => "reason_missing",
            RegistroError::ReasonTooLong => "reason_too_long",
            RegistroError::UnknownActa => "unknown_acta",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            RegistroError::NoSuchStep(_) => Some("paso"),
            RegistroError::TipoNotOfStep { .. } => Some("tipo"),
            RegistroError::BadDate(_) => Some("fecha"),
            RegistroError::DescriptionTooLong => Some("descripcion"),
            RegistroError::Empty | RegistroError::TooLarge { .. } | RegistroError::NotAllowed => Some("file"),
            RegistroError::ReasonMissing | RegistroError::ReasonTooLong => Some("reason"),
            RegistroError::AlreadyWithdrawn => None,
            RegistroError::UnknownActa => Some("acta_id"),
        }
    }
}

impl Bilingual for RegistroError {
    fn es(&self) -> String {
        match self {
            RegistroError::NoSuchStep(n) => format!("No hay paso {n}: la ruta tiene los pasos 1 a 9."),
            RegistroError::TipoNotOfStep { tipo, paso } => {
                format!("«{}» no es un registro del paso {paso}: elija uno de los que pide ese paso u «Otro documento».", tipo.label_es())
            }
            RegistroError::BadDate(d) => format!("La fecha «{d}» no es válida: escríbala como AAAA-MM-DD."),
            RegistroError::DescriptionTooLong => format!("La descripción pasa de {MAX_DESCRIPTION_CHARS} caracteres."),
            RegistroError::Empty => "El archivo está vacío.".into(),
            RegistroError::TooLarge { limit } => format!("El archivo pasa de {} MB, el máximo.", limit / (1024 * 1024)),
            RegistroError::NotAllowed => {
                "El archivo no es un PDF, una imagen (JPEG, PNG, WebP) ni un documento de oficina (Word, Excel, PowerPoint, \
                 LibreOffice). Se revisa su contenido, no su nombre."
                    .into()
            }
            RegistroError::AlreadyWithdrawn => "El registro ya fue retirado.".into(),
            RegistroError::ReasonMissing => "Para retirar un registro, diga por qué.".into(),
            RegistroError::ReasonTooLong => format!("La razón pasa de {} caracteres.", super::ruta::MAX_REASON_CHARS),
            RegistroError::UnknownActa => "El barrio no tiene esa acta: guárdela y envíela antes de subir su copia firmada.".into(),
        }
    }
    fn en(&self) -> String {
        format!("{self}.")
    }
}

/// Whether `fecha` is a calendar date written `YYYY-MM-DD` between 1990 and 2100 (a registro
/// may be a document older than the app).
pub fn is_date(fecha: &str) -> bool {
    super::workshop::calendar_date(fecha).is_some_and(|(y, _, _)| (1990..=2100).contains(&y))
}

/// A file name safe to show and to offer back as a download name: no folders, no control
/// characters, no quotes, at most [`MAX_FILE_NAME_CHARS`] characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':')).collect();
    cleaned.trim().trim_start_matches('.').chars().take(MAX_FILE_NAME_CHARS).collect()
}

impl RegistroMeta {
    /// The meta with its texts trimmed and cleaned, or why it cannot be kept.
    pub fn checked(self) -> Result<(Paso, RegistroMeta), RegistroError> {
        let paso = Paso::from_number(self.paso).ok_or(RegistroError::NoSuchStep(self.paso))?;
        if !TipoRegistro::of(paso).any(|t| t == self.tipo) {
            return Err(RegistroError::TipoNotOfStep { tipo: self.tipo, paso: self.paso });
        }
        let fecha = self.fecha.trim().to_string();
        if !is_date(&fecha) {
            return Err(RegistroError::BadDate(fecha.chars().take(40).collect()));
        }
        let descripcion = self.descripcion.trim().to_string();
        if descripcion.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(RegistroError::DescriptionTooLong);
        }
        Ok((paso, RegistroMeta { paso: self.paso, tipo: self.tipo, fecha, descripcion, nombre: clean_file_name(&self.nombre), acta_id: self.acta_id }))
    }
}

impl RetiroDraft {
    pub fn checked(self) -> Result<RetiroDraft, RegistroError> {
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            return Err(RegistroError::ReasonMissing);
        }
        if reason.chars().count() > super::ruta::MAX_REASON_CHARS {
            return Err(RegistroError::ReasonTooLong);
        }
        Ok(RetiroDraft { reason })
    }
}

/// The seed's registros kept for `paso` among `registros` (withdrawn ones do not count).
pub fn kept(paso: Paso, registros: &[Registro]) -> Vec<TipoRegistro> {
    let mut kept: Vec<TipoRegistro> = registros.iter().filter(|r| r.paso == paso && r.counts()).map(|r| r.tipo).collect();
    kept.sort_unstable();
    kept.dedup();
    kept
}

/// Where a ciclo stands on one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasoEstado {
    pub paso: Paso,
    /// When the ciclo last entered the step; `None` if it has not reached it.
    pub entered_ms: Option<i64>,
    /// When it left the step for the next one (or went back), if it did.
    pub left_ms: Option<i64>,
    /// The seed's registros for the step that are kept, and those missing, in the seed's order.
    pub presentes: Vec<TipoRegistro>,
    pub faltantes: Vec<TipoRegistro>,
    /// Registros of the step that count, of every kind.
    pub registros: u32,
}

/// Each of the nine steps as the ciclo and its registros leave it.
pub fn estados(ciclo: &Ciclo, registros: &[Registro]) -> Vec<PasoEstado> {
    Paso::ALL
        .into_iter()
        .map(|paso| {
            let kept = kept(paso, registros);
            let stay = ciclo.stay(paso);
            PasoEstado {
                paso,
                entered_ms: stay.map(|(entered, _)| entered),
                left_ms: stay.and_then(|(_, left)| left),
                presentes: paso.registros().iter().copied().filter(|t| kept.contains(t)).collect(),
                faltantes: faltantes(paso, &kept),
                registros: registros.iter().filter(|r| r.paso == paso && r.counts()).count() as u32,
            }
        })
        .collect()
}

/// A ciclo with its registros and where it stands on each step, as `/ruta` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CicloRuta {
    pub ciclo: Ciclo,
    /// Empty for facilitators: registros are staff work (the steps still say what is kept).
    pub registros: Vec<Registro>,
    pub pasos: Vec<PasoEstado>,
}

impl CicloRuta {
    pub fn new(ciclo: Ciclo, registros: Vec<Registro>) -> CicloRuta {
        let pasos = estados(&ciclo, &registros);
        CicloRuta { ciclo, registros, pasos }
    }

    /// The registros missing at the current step, the ones that hold the barrio back.
    pub fn pendientes(&self) -> usize {
        let current = self.ciclo.current();
        self.pasos.iter().find(|p| p.paso == current).map_or(0, |p| p.faltantes.len())
    }
}

/// `GET /api/v1/barrios/{id}/ruta`: a barrio's ciclos, the newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RutaBarrio {
    pub barrio_id: i64,
    pub name: String,
    pub comuna: Option<String>,
    pub ciclos: Vec<CicloRuta>,
}

/// One line of `GET /api/v1/ruta`: where a barrio is on its route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RutaResumen {
    pub barrio_id: i64,
    pub code: String,
    pub municipio: String,
    pub name: String,
    pub comuna: Option<String>,
    /// The open ciclo's step, 1–9; `None` when no ciclo is open.
    pub paso: Option<u8>,
    pub ciclo_id: Option<Uuid>,
    /// When the open ciclo entered its step.
    pub since_ms: Option<i64>,
    /// Registros missing at the open ciclo's step.
    pub pendientes: u32,
    /// Ciclos walked so far, the open one included.
    pub ciclos: u32,
}

/// One barrio's outline on the city map of `/ruta` (`GET /api/v1/ruta/mapa`), simplified to a
/// few metres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarrioOutline {
    pub barrio_id: i64,
    pub outline: geojson::Geometry,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ruta::CambioDePaso;

    const T: i64 = 1_764_000_000_000;

    fn registro(paso: Paso, tipo: TipoRegistro) -> Registro {
        Registro {
            id: Uuid::from_u128(u128::from(paso.number()) << 8 | tipo as u128),
            ciclo_id: Uuid::from_u128(1),
            barrio_id: 218,
            paso,
            tipo,
            fecha: "2026-11-30".into(),
            descripcion: String::new(),
            nombre: "informe.pdf".into(),
            formato: Formato::Pdf,
            bytes: 10,
            sha256: "ab".repeat(32),
            uploaded_by: "marta".into(),
            uploaded_at_ms: T,
            retiro: None,
            acta_id: None,
        }
    }

    fn meta(paso: u8, tipo: TipoRegistro, fecha: &str) -> RegistroMeta {
        RegistroMeta { paso, tipo, fecha: fecha.into(), descripcion: String::new(), nombre: String::new(), acta_id: None }
    }

    #[test]
    fn a_registro_is_of_its_step_and_dated_on_the_calendar() {
        assert!(meta(2, TipoRegistro::OficioConvocatoria, "2026-02-28").checked().is_ok());
        assert!(meta(9, TipoRegistro::Otro, "2024-02-29").checked().is_ok(), "any step keeps other documents");
        assert_eq!(meta(0, TipoRegistro::Informe, "2026-01-01").checked().unwrap_err(), RegistroError::NoSuchStep(0));
        assert_eq!(
            meta(3, TipoRegistro::PactoFirmado, "2026-01-01").checked().unwrap_err(),
            RegistroError::TipoNotOfStep { tipo: TipoRegistro::PactoFirmado, paso: 3 }
        );
        for bad in ["2026-02-29", "2026-13-01", "26-01-01", "2026/01/01", "2026-1-011", "", "1899-01-01", "２０２６-01-01"] {
            assert!(!is_date(bad), "{bad}");
        }
        let long = RegistroMeta { descripcion: "x".repeat(MAX_DESCRIPTION_CHARS + 1), ..meta(1, TipoRegistro::Informe, "2026-01-01") };
        assert_eq!(long.checked().unwrap_err().field(), Some("descripcion"));
    }

    #[test]
    fn file_names_lose_folders_and_what_could_break_a_header() {
        assert_eq!(clean_file_name("C:\\Users\\ana\\Acta \"final\".pdf"), "Acta final.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(".htaccess"), "htaccess");
        assert_eq!(clean_file_name("a\r\nb.pdf"), "ab.pdf");
        assert_eq!(clean_file_name(&"é".repeat(400)).chars().count(), MAX_FILE_NAME_CHARS);
    }

    #[test]
    fn each_step_says_what_is_kept_and_what_is_missing() {
        let mut ciclo = Ciclo::open(Uuid::from_u128(1), 218, T);
        let mut withdrawn = registro(Paso::SocializacionInterinstitucional, TipoRegistro::Presentacion);
        withdrawn.retiro = Some(Retiro { at_ms: T, by: "marta".into(), reason: "era de otro barrio".into() });
        let registros = vec![
            registro(Paso::Identificacion, TipoRegistro::Informe),
            registro(Paso::SocializacionInterinstitucional, TipoRegistro::Informe),
            registro(Paso::SocializacionInterinstitucional, TipoRegistro::Otro),
            withdrawn,
        ];
        ciclo.changes.push(CambioDePaso {
            to: Paso::SocializacionInterinstitucional,
            at_ms: T + 5,
            by: "marta".into(),
            comment: String::new(),
            missing: vec![],
            reason: String::new(),
        });
        let ruta = CicloRuta::new(ciclo, registros);
        let uno = &ruta.pasos[0];
        assert_eq!((uno.entered_ms, uno.left_ms, uno.faltantes.is_empty()), (Some(T), Some(T + 5), true));
        let dos = &ruta.pasos[1];
        assert_eq!(dos.presentes, vec![TipoRegistro::Informe]);
        assert_eq!(
            dos.faltantes,
            vec![TipoRegistro::Presentacion, TipoRegistro::OficioConvocatoria],
            "a withdrawn registro does not count"
        );
        assert_eq!((dos.entered_ms, dos.left_ms, dos.registros), (Some(T + 5), None, 2));
        assert_eq!(ruta.pendientes(), 2);
        assert_eq!(ruta.pasos[2].entered_ms, None);
    }

    #[test]
    fn withdrawing_needs_a_reason_and_every_error_speaks_both_languages() {
        assert_eq!(RetiroDraft { reason: "  ".into() }.checked().unwrap_err(), RegistroError::ReasonMissing);
        assert_eq!(RetiroDraft { reason: " duplicado ".into() }.checked().unwrap().reason, "duplicado");
        for f in Formato::ALL {
            assert_eq!(Formato::from_mime(f.mime()), Some(f));
        }
        assert_eq!(Formato::from_mime(Formato::Csv.mime()), None, "the server's own format is no upload's");
        for e in
            [RegistroError::Empty, RegistroError::NotAllowed, RegistroError::TooLarge { limit: 25 << 20 }, RegistroError::AlreadyWithdrawn]
        {
            assert!(!e.es().is_empty() && e.en().ends_with('.') && !e.code().is_empty());
        }
        assert!(RegistroError::TooLarge { limit: 25 << 20 }.es().contains("25 MB"));
    }
}
