//! Miniauditorías (paso 6 of the ruta): a session with the CBSC in the barrio, on a tablet with
//! no signal. The group walks the hotspots of the barrio's latest diagnóstico, nearest next, and
//! says of each whether the problem goes on; reviews each compromiso of the pacto; agrees
//! immediate measures; and counts who came, by sector. Kept and sent as numbered versions like
//! the fichas; the version that closes it is the informe, and only then do its statuses and
//! measures join the follow-up (paso 7). Pure.
//!
//! # The API contract for paso 6
//! - `POST /miniauditorias` — staff of the barrio's city or a facilitator assigned to it; body
//!   [`Miniauditoria`] → 201 stored now, 200 this very version stored before. 409 another
//!   content under the same version, a newer one stored, or a closed miniauditoría; 422
//!   [`MiniauditoriaError`]s, and a place that is not a hotspot of the diagnóstico it names, a
//!   compromiso not of the barrio's pactos, an institution not in the catalogue, or measures
//!   with no signed pacto to follow them.
//! - `GET /barrios/{id}/miniauditorias` → the latest version of each (withdrawn ones flagged).
//! - `GET /miniauditorias/{id}` → the latest version.
//! - `GET /miniauditorias/{id}/informe` → [`InformeMiniauditoria`], what the printed informe shows.
//! - `GET /barrios/{id}/miniauditorias/contexto` → [`ContextoMiniauditoria`], kept on the tablet.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::acta::{Asistencia, MAX_ATTENDANCE};
use super::diagnostico::Hotspot;
use super::intervencion::CompromisoOpcion;
use super::mark::has_control_characters;
use super::pacto::compromiso::EstadoCompromiso;
use super::registro::is_date;
use super::{Barrio, Bilingual};

pub const MAX_NOTA_CHARS: usize = 1_000;
pub const MAX_TEXT_CHARS: usize = 4_000;
pub const MAX_LUGAR_CHARS: usize = 200;
pub const MAX_QUE_CHARS: usize = 500;
/// More than any diagnóstico has places, and bounded so a version stays small.
pub const MAX_PUNTOS: usize = 400;
pub const MAX_REVISIONES: usize = 200;
pub const MAX_MEDIDAS: usize = 40;

/// "¿Sigue el problema?"
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sigue {
    Si,
    Menos,
    No,
    NoSe,
}

impl Sigue {
    pub const ALL: [Sigue; 4] = [Sigue::Si, Sigue::Menos, Sigue::No, Sigue::NoSe];

    pub fn code(self) -> &'static str {
        match self {
            Sigue::Si => "si",
            Sigue::Menos => "menos",
            Sigue::No => "no",
            Sigue::NoSe => "no_se",
        }
    }

    /// The answer's button.
    pub fn label_es(self) -> &'static str {
        match self {
            Sigue::Si => "Sí, sigue",
            Sigue::Menos => "Menos",
            Sigue::No => "Ya no",
            Sigue::NoSe => "No sé",
        }
    }

    /// The colour on the informe's map: red goes on, amber less, green gone, grey unknown.
    pub fn color(self) -> &'static str {
        match self {
            Sigue::Si => "#c62828",
            Sigue::Menos => "#e08600",
            Sigue::No => "#2e7d32",
            Sigue::NoSe => "#6b6b6b",
        }
    }
}

/// The group's answer at one hotspot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PuntoRecorrido {
    pub hotspot_id: Uuid,
    pub sigue: Sigue,
    #[serde(default)]
    pub nota: String,
}

/// A compromiso of the pacto as the group found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionCompromiso {
    pub compromiso_id: Uuid,
    pub estado: EstadoCompromiso,
    /// What the group saw (the evidence of the status).
    #[serde(default)]
    pub evidencia: String,
}

/// An immediate measure: a new compromiso, who and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Medida {
    pub id: Uuid,
    /// The institution's code in the catalogue.
    pub responsable: String,
    pub que: String,
    /// `YYYY-MM-DD`.
    pub fecha_limite: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotspot_id: Option<Uuid>,
}

/// One version of a miniauditoría.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Miniauditoria {
    pub id: Uuid,
    pub barrio_id: i64,
    pub version: u32,
    /// The number of the barrio's diagnóstico whose hotspots are walked.
    pub diagnostico: u32,
    /// `YYYY-MM-DD`.
    pub fecha: String,
    /// Where the group met.
    #[serde(default)]
    pub lugar: String,
    #[serde(default)]
    pub recorrido: Vec<PuntoRecorrido>,
    #[serde(default)]
    pub compromisos: Vec<RevisionCompromiso>,
    #[serde(default)]
    pub medidas: Vec<Medida>,
    #[serde(default)]
    pub asistencia: Asistencia,
    #[serde(default)]
    pub observaciones: String,
    /// The session ended: this version is the informe, and no other follows.
    #[serde(default)]
    pub cerrada: bool,
    pub updated_at_ms: i64,
    /// Who wrote this version: the server sets it from the session.
    #[serde(default)]
    pub author: String,
    /// A tombstone: withdrawn before it was closed (its versions stay).
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MiniauditoriaError {
    #[error("the version must be 1 or more")]
    NoVersion,
    #[error("a date is written YYYY-MM-DD")]
    BadDate,
    #[error("{0} is too long")]
    TextTooLong(&'static str),
    #[error("a text has control characters")]
    ControlCharacters,
    #[error("the walk names a place more than once, or more than {MAX_PUNTOS} places")]
    BadRecorrido,
    #[error("the review names a compromiso more than once, or more than {MAX_REVISIONES}")]
    BadRevisiones,
    #[error("at most {MAX_MEDIDAS} measures, each with its own id")]
    BadMedidas,
    #[error("measure {} needs who, what and by when (YYYY-MM-DD)", .0 + 1)]
    MedidaIncompleta(usize),
    #[error("an attendance count over {MAX_ATTENDANCE}")]
    TooMany,
    #[error("a closed miniauditoría cannot be withdrawn")]
    ClosedAndWithdrawn,
    #[error("version {0} of this miniauditoría is already stored with other content")]
    Conflict(u32),
    #[error("a newer version ({0}) is stored")]
    Stale(u32),
    #[error("the miniauditoría is closed: its informe does not change")]
    Closed,
    #[error("the miniauditoría is stored in another barrio or of another diagnóstico")]
    OtherBarrio,
    #[error("only staff or the facilitator who began it may change this miniauditoría")]
    NotYours,
    #[error("the barrio has no diagnóstico number {0}")]
    UnknownDiagnostico(u32),
    #[error("a place of the walk is not a hotspot of that diagnóstico")]
    UnknownPlace,
    #[error("a compromiso reviewed is not in one of the barrio's signed pactos")]
    UnknownCompromiso,
    #[error("the institution {0:?} is not in the catalogue")]
    UnknownInstitution(String),
    #[error("measures join a signed pacto's follow-up, and the barrio has none")]
    NoPacto,
}

impl MiniauditoriaError {
    pub fn code(&self) -> &'static str {
        match self {
            MiniauditoriaError::NoVersion => "no_version",
            MiniauditoriaError::BadDate => "bad_date",
            MiniauditoriaError::TextTooLong(_) => "text_too_long",
            MiniauditoriaError::ControlCharacters => "control_characters",
            MiniauditoriaError::BadRecorrido => "bad_recorrido",
            MiniauditoriaError::BadRevisiones => "bad_revisiones",
            MiniauditoriaError::BadMedidas => "bad_medidas",
            MiniauditoriaError::MedidaIncompleta(_) => "medida_incompleta",
            MiniauditoriaError::TooMany => "attendance_too_large",
            MiniauditoriaError::ClosedAndWithdrawn => "closed_and_withdrawn",
            MiniauditoriaError::Conflict(_) => "conflict",
            MiniauditoriaError::Stale(_) => "stale_version",
            MiniauditoriaError::Closed => "closed",
            MiniauditoriaError::OtherBarrio => "barrio_changed",
            MiniauditoriaError::NotYours => "not_yours",
            MiniauditoriaError::UnknownDiagnostico(_) => "unknown_diagnostico",
            MiniauditoriaError::UnknownPlace => "unknown_place",
            MiniauditoriaError::UnknownCompromiso => "unknown_compromiso",
            MiniauditoriaError::UnknownInstitution(_) => "unknown_institution",
            MiniauditoriaError::NoPacto => "no_pacto",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            MiniauditoriaError::NoVersion | MiniauditoriaError::Conflict(_) | MiniauditoriaError::Stale(_) | MiniauditoriaError::Closed => {
                Some("version")
            }
            MiniauditoriaError::BadDate => Some("fecha"),
            MiniauditoriaError::TextTooLong(f) => Some(f),
            MiniauditoriaError::BadRecorrido | MiniauditoriaError::UnknownPlace => Some("recorrido"),
            MiniauditoriaError::BadRevisiones | MiniauditoriaError::UnknownCompromiso => Some("compromisos"),
            MiniauditoriaError::BadMedidas
            | MiniauditoriaError::MedidaIncompleta(_)
            | MiniauditoriaError::UnknownInstitution(_)
            | MiniauditoriaError::NoPacto => Some("medidas"),
            MiniauditoriaError::TooMany => Some("asistencia"),
            MiniauditoriaError::ClosedAndWithdrawn => Some("deleted"),
            MiniauditoriaError::OtherBarrio => Some("barrio_id"),
            MiniauditoriaError::UnknownDiagnostico(_) => Some("diagnostico"),
            MiniauditoriaError::ControlCharacters | MiniauditoriaError::NotYours => None,
        }
    }

    /// 409: the request is fine; what is stored refuses it.
    pub fn is_conflict(&self) -> bool {
        matches!(self, MiniauditoriaError::Conflict(_) | MiniauditoriaError::Stale(_) | MiniauditoriaError::Closed)
    }
}

impl Bilingual for MiniauditoriaError {
    fn es(&self) -> String {
        match self {
            MiniauditoriaError::NoVersion => "La versión de la miniauditoría debe ser 1 o más.".into(),
            MiniauditoriaError::BadDate => "Una fecha se escribe AAAA-MM-DD.".into(),
            MiniauditoriaError::TextTooLong(f) => format!("El texto de «{f}» es demasiado largo."),
            MiniauditoriaError::ControlCharacters => "Un texto tiene caracteres de control.".into(),
            MiniauditoriaError::BadRecorrido => format!("El recorrido nombra un lugar dos veces o pasa de {MAX_PUNTOS} lugares."),
            MiniauditoriaError::BadRevisiones => {
                format!("La revisión nombra un compromiso dos veces o pasa de {MAX_REVISIONES} compromisos.")
            }
            MiniauditoriaError::BadMedidas => format!("Una miniauditoría acuerda hasta {MAX_MEDIDAS} medidas."),
            MiniauditoriaError::MedidaIncompleta(i) => {
                format!("A la medida {} le falta quién, qué o hasta cuándo (fecha AAAA-MM-DD).", i + 1)
            }
            MiniauditoriaError::TooMany => format!("Un conteo de asistencia pasa de {MAX_ATTENDANCE}: revise el número."),
            MiniauditoriaError::ClosedAndWithdrawn => "Una miniauditoría cerrada no se puede retirar.".into(),
            MiniauditoriaError::Conflict(v) => format!("Ya hay guardada otra versión {v} de esta miniauditoría, con otro contenido."),
            MiniauditoriaError::Stale(v) => {
                format!("Hay una versión más nueva ({v}) de esta miniauditoría: ábrala de nuevo antes de cambiarla.")
            }
            MiniauditoriaError::Closed => "La miniauditoría ya se cerró: su informe no cambia.".into(),
            MiniauditoriaError::OtherBarrio => "La miniauditoría está guardada en otro barrio o de otro diagnóstico.".into(),
            MiniauditoriaError::NotYours => "Solo el equipo o quien facilitó y empezó la miniauditoría puede cambiarla.".into(),
            MiniauditoriaError::UnknownDiagnostico(n) => format!("El barrio no tiene el diagnóstico n.º {n}."),
            MiniauditoriaError::UnknownPlace => "Un lugar del recorrido no es un punto crítico de ese diagnóstico.".into(),
            MiniauditoriaError::UnknownCompromiso => "Un compromiso revisado no está en un pacto firmado de este barrio.".into(),
            MiniauditoriaError::UnknownInstitution(c) => format!("La institución «{c}» no está en el catálogo."),
            MiniauditoriaError::NoPacto => "Las medidas se suman al seguimiento de un pacto firmado, y el barrio aún no tiene uno.".into(),
        }
    }

    fn en(&self) -> String {
        super::sentence(self)
    }
}

fn text(t: &mut String, max: usize, what: &'static str) -> Result<(), MiniauditoriaError> {
    *t = t.trim().to_string();
    if has_control_characters(t) {
        return Err(MiniauditoriaError::ControlCharacters);
    }
    if t.chars().count() > max {
        return Err(MiniauditoriaError::TextTooLong(what));
    }
    Ok(())
}

impl Miniauditoria {
    /// The miniauditoría with its texts trimmed, or why it cannot be kept. What depends on
    /// stored data (the diagnóstico, the pactos, the catalogue) is the server's.
    pub fn checked(mut self) -> Result<Miniauditoria, MiniauditoriaError> {
        if self.version == 0 {
            return Err(MiniauditoriaError::NoVersion);
        }
        self.fecha = self.fecha.trim().to_string();
        if !is_date(&self.fecha) {
            return Err(MiniauditoriaError::BadDate);
        }
        if self.cerrada && self.deleted {
            return Err(MiniauditoriaError::ClosedAndWithdrawn);
        }
        text(&mut self.lugar, MAX_LUGAR_CHARS, "lugar")?;
        text(&mut self.observaciones, MAX_TEXT_CHARS, "observaciones")?;
        let mut seen = HashSet::new();
        if self.recorrido.len() > MAX_PUNTOS || !self.recorrido.iter().all(|p| seen.insert(p.hotspot_id)) {
            return Err(MiniauditoriaError::BadRecorrido);
        }
        for p in &mut self.recorrido {
            text(&mut p.nota, MAX_NOTA_CHARS, "nota")?;
        }
        let mut seen = HashSet::new();
        if self.compromisos.len() > MAX_REVISIONES || !self.compromisos.iter().all(|r| seen.insert(r.compromiso_id)) {
            return Err(MiniauditoriaError::BadRevisiones);
        }
        for r in &mut self.compromisos {
            text(&mut r.evidencia, MAX_NOTA_CHARS, "evidencia")?;
        }
        let mut seen = HashSet::new();
        if self.medidas.len() > MAX_MEDIDAS || !self.medidas.iter().all(|m| seen.insert(m.id)) {
            return Err(MiniauditoriaError::BadMedidas);
        }
        for (i, m) in self.medidas.iter_mut().enumerate() {
            m.responsable = m.responsable.trim().to_string();
            m.fecha_limite = m.fecha_limite.trim().to_string();
            text(&mut m.que, MAX_QUE_CHARS, "medida")?;
            if m.responsable.is_empty() || m.que.is_empty() || !is_date(&m.fecha_limite) {
                return Err(MiniauditoriaError::MedidaIncompleta(i));
            }
        }
        let a = self.asistencia;
        if [a.comunidad, a.policia, a.secretarias, a.otras].iter().any(|n| *n > MAX_ATTENDANCE) {
            return Err(MiniauditoriaError::TooMany);
        }
        Ok(self)
    }

    /// Whether two versions say the same (who wrote them aside: the server sets it).
    pub fn same_content(&self, other: &Miniauditoria) -> bool {
        Miniauditoria { author: String::new(), ..self.clone() } == Miniauditoria { author: String::new(), ..other.clone() }
    }

    pub fn title(&self) -> String {
        format!("Miniauditoría del {}", super::workshop::date_es(&self.fecha))
    }

    /// The answer given at `hotspot`, if the group got there.
    pub fn respuesta(&self, hotspot: Uuid) -> Option<&PuntoRecorrido> {
        self.recorrido.iter().find(|p| p.hotspot_id == hotspot)
    }

    /// How many places got each answer, in [`Sigue::ALL`]'s order.
    pub fn conteo(&self) -> [usize; 4] {
        let mut out = [0; 4];
        for p in &self.recorrido {
            out[Sigue::ALL.iter().position(|s| *s == p.sigue).unwrap_or(3)] += 1;
        }
        out
    }

    /// The reviews that change a compromiso's status, given each one's status now: what
    /// closing the miniauditoría writes into the compromisos' history.
    pub fn cambios<'a>(&'a self, ahora: &'a HashMap<Uuid, EstadoCompromiso>) -> impl Iterator<Item = &'a RevisionCompromiso> + 'a {
        self.compromisos.iter().filter(move |r| ahora.get(&r.compromiso_id).is_some_and(|e| *e != r.estado))
    }
}

impl super::versioned::Versioned for Miniauditoria {
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn barrio_id(&self) -> i64 {
        self.barrio_id
    }
    fn fecha(&self) -> &str {
        &self.fecha
    }
    fn updated_at_ms(&self) -> i64 {
        self.updated_at_ms
    }
    fn deleted(&self) -> bool {
        self.deleted
    }
}

/// The evidence a closed miniauditoría writes beside a status it changed.
pub fn evidencia_de_miniauditoria(fecha: &str, evidencia: &str) -> String {
    let base = format!("Miniauditoría del {}", super::workshop::date_es(fecha));
    if evidencia.is_empty() {
        base
    } else {
        format!("{base}: {evidencia}")
    }
}

/// A point to stand at for each hotspot (`[lon, lat]`): a point itself, a route's middle
/// vertex, a zone's interior point.
pub fn punto_de(h: &Hotspot) -> Option<[f64; 2]> {
    use geo::InteriorPoint;
    let g: geo::Geometry<f64> = h.geometry.value.clone().try_into().ok()?;
    let p = match g {
        geo::Geometry::LineString(l) if !l.0.is_empty() => l.0[l.0.len() / 2].into(),
        other => other.interior_point()?,
    };
    Some([p.x(), p.y()])
}

/// Metres between two `[lon, lat]` (on the sphere: geo's haversine).
pub fn metros(a: [f64; 2], b: [f64; 2]) -> f64 {
    use geo::{Distance, Haversine, Point};
    Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]))
}

/// The order of the walk: from the place nearest `inicio` (the tablet's position; without it,
/// the first of `puntos`, which come most-reported first), always on to the nearest not yet
/// visited. Quadratic in the places, which a barrio counts in tens.
pub fn orden_recorrido(puntos: &[(Uuid, [f64; 2])], inicio: Option<[f64; 2]>) -> Vec<Uuid> {
    let mut left: Vec<(Uuid, [f64; 2])> = puntos.to_vec();
    let mut out = Vec::with_capacity(left.len());
    let nearest = |from: [f64; 2], left: &[(Uuid, [f64; 2])]| {
        left.iter().enumerate().min_by(|(_, a), (_, b)| metros(from, a.1).total_cmp(&metros(from, b.1))).map(|(i, _)| i)
    };
    let mut at = match inicio {
        Some(p) => nearest(p, &left),
        None => (!left.is_empty()).then_some(0),
    };
    while let Some(i) = at {
        let (id, p) = left.swap_remove(i);
        out.push(id);
        at = nearest(p, &left);
    }
    out
}

/// What a miniauditoría's form offers for a barrio, kept on the tablet:
/// `GET /barrios/{id}/miniauditorias/contexto`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextoMiniauditoria {
    /// The barrio with its outline, for the walk's map.
    pub barrio: Barrio,
    /// The number of the latest diagnóstico (`None`: the barrio has none yet).
    pub diagnostico: Option<u32>,
    /// Its hotspots, most-reported first.
    pub hotspots: Vec<Hotspot>,
    /// The compromisos of the barrio's pacto in force, with their status when this was read.
    pub compromisos: Vec<CompromisoOpcion>,
    /// `(code, name)` of each active institution.
    pub instituciones: Vec<(String, String)>,
    /// Whether the barrio has a signed pacto, which measures join.
    pub con_pacto: bool,
}

/// One compromiso in the informe: what the group found, and its status today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompromisoInforme {
    pub id: Uuid,
    pub responsable: String,
    pub que: String,
    pub fecha_limite: String,
    /// As the group found it (`None`: not reviewed in the session).
    pub revisado: Option<EstadoCompromiso>,
    pub evidencia: String,
    pub ahora: EstadoCompromiso,
}

/// `GET /miniauditorias/{id}/informe`: what the printed informe shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InformeMiniauditoria {
    pub miniauditoria: Miniauditoria,
    pub barrio: Barrio,
    /// The hotspots of the diagnóstico walked, as it found them (the "then").
    pub hotspots: Vec<Hotspot>,
    pub compromisos: Vec<CompromisoInforme>,
    /// `(code, name)` of every institution named.
    pub instituciones: Vec<(String, String)>,
}

impl InformeMiniauditoria {
    pub fn institucion(&self, codigo: &str) -> String {
        self.instituciones.iter().find(|(k, _)| k == codigo).map_or_else(|| codigo.to_string(), |(_, n)| n.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mini() -> Miniauditoria {
        Miniauditoria {
            id: Uuid::from_u128(1),
            barrio_id: 7,
            version: 1,
            diagnostico: 1,
            fecha: "2027-05-04".into(),
            lugar: " Caseta comunal ".into(),
            recorrido: vec![
                PuntoRecorrido { hotspot_id: Uuid::from_u128(10), sigue: Sigue::Menos, nota: " ya hay luz ".into() },
                PuntoRecorrido { hotspot_id: Uuid::from_u128(11), sigue: Sigue::Si, nota: String::new() },
            ],
            compromisos: vec![RevisionCompromiso {
                compromiso_id: Uuid::from_u128(20),
                estado: EstadoCompromiso::Cumplido,
                evidencia: "6 luminarias".into(),
            }],
            medidas: vec![Medida {
                id: Uuid::from_u128(30),
                responsable: " policia ".into(),
                que: "Ronda a la salida del colegio".into(),
                fecha_limite: "2027-06-01".into(),
                hotspot_id: None,
            }],
            asistencia: Asistencia { comunidad: 14, policia: 1, secretarias: 1, otras: 0 },
            observaciones: String::new(),
            cerrada: false,
            updated_at_ms: 1,
            author: String::new(),
            deleted: false,
        }
    }

    #[test]
    fn a_session_is_trimmed_and_checked() {
        let ok = mini().checked().unwrap();
        assert_eq!(
            (ok.lugar.as_str(), ok.recorrido[0].nota.as_str(), ok.medidas[0].responsable.as_str()),
            ("Caseta comunal", "ya hay luz", "policia")
        );
        assert_eq!(ok.title(), "Miniauditoría del 04/05/2027");
        assert_eq!(ok.conteo(), [1, 1, 0, 0]);
        assert_eq!(Miniauditoria { version: 0, ..mini() }.checked(), Err(MiniauditoriaError::NoVersion));
        assert_eq!(Miniauditoria { fecha: "4/5/27".into(), ..mini() }.checked(), Err(MiniauditoriaError::BadDate));
        let mut twice = mini();
        twice.recorrido[1].hotspot_id = Uuid::from_u128(10);
        assert_eq!(twice.checked(), Err(MiniauditoriaError::BadRecorrido));
        let mut twice = mini();
        twice.compromisos.push(twice.compromisos[0].clone());
        assert_eq!(twice.checked(), Err(MiniauditoriaError::BadRevisiones));
        let mut sin_fecha = mini();
        sin_fecha.medidas[0].fecha_limite = String::new();
        assert_eq!(sin_fecha.checked(), Err(MiniauditoriaError::MedidaIncompleta(0)));
        let mut sin_quien = mini();
        sin_quien.medidas[0].responsable = "  ".into();
        assert_eq!(sin_quien.checked(), Err(MiniauditoriaError::MedidaIncompleta(0)));
        let muchos = Asistencia { comunidad: MAX_ATTENDANCE + 1, ..Asistencia::default() };
        assert_eq!(Miniauditoria { asistencia: muchos, ..mini() }.checked(), Err(MiniauditoriaError::TooMany));
        assert_eq!(Miniauditoria { cerrada: true, deleted: true, ..mini() }.checked(), Err(MiniauditoriaError::ClosedAndWithdrawn));
        let mut control = mini();
        control.recorrido[0].nota = "a\u{7}".into();
        assert_eq!(control.checked(), Err(MiniauditoriaError::ControlCharacters));
        let mut largo = mini();
        largo.compromisos[0].evidencia = "x".repeat(MAX_NOTA_CHARS + 1);
        assert_eq!(largo.checked(), Err(MiniauditoriaError::TextTooLong("evidencia")));
    }

    #[test]
    fn the_same_version_sent_again_is_the_same_whoever_the_server_says_wrote_it() {
        assert!(mini().same_content(&Miniauditoria { author: "Ana".into(), ..mini() }));
        assert!(!mini().same_content(&Miniauditoria { cerrada: true, ..mini() }));
    }

    #[test]
    fn closing_writes_only_the_statuses_that_change() {
        let m = mini();
        let mut ahora = HashMap::new();
        ahora.insert(Uuid::from_u128(20), EstadoCompromiso::EnCurso);
        assert_eq!(m.cambios(&ahora).count(), 1);
        ahora.insert(Uuid::from_u128(20), EstadoCompromiso::Cumplido);
        assert_eq!(m.cambios(&ahora).count(), 0, "already cumplido");
        assert_eq!(m.cambios(&HashMap::new()).count(), 0, "a compromiso no longer in force");
        assert_eq!(evidencia_de_miniauditoria("2027-05-04", ""), "Miniauditoría del 04/05/2027");
        assert_eq!(evidencia_de_miniauditoria("2027-05-04", "fotos"), "Miniauditoría del 04/05/2027: fotos");
    }

    #[test]
    fn the_walk_goes_to_the_nearest_place_next() {
        let id = Uuid::from_u128;
        // Along a street: 1 at the west end, 3 in the middle, 2 at the east end, 4 far north.
        let puntos = [(id(1), [-74.200, 11.240]), (id(2), [-74.190, 11.240]), (id(3), [-74.195, 11.240]), (id(4), [-74.195, 11.260])];
        assert_eq!(orden_recorrido(&puntos, None), vec![id(1), id(3), id(2), id(4)]);
        assert_eq!(orden_recorrido(&puntos, Some([-74.1899, 11.2401])), vec![id(2), id(3), id(1), id(4)]);
        assert!(orden_recorrido(&[], Some([0.0, 0.0])).is_empty());
        // Every place once, whatever the order given.
        let mut seen = orden_recorrido(&puntos[..3], Some([-74.195, 11.26]));
        seen.sort();
        assert_eq!(seen, vec![id(1), id(2), id(3)]);
    }

    #[test]
    fn every_error_has_a_code_and_both_languages() {
        for e in [
            MiniauditoriaError::BadRecorrido,
            MiniauditoriaError::MedidaIncompleta(2),
            MiniauditoriaError::Closed,
            MiniauditoriaError::UnknownInstitution("x".into()),
            MiniauditoriaError::NoPacto,
        ] {
            assert!(!e.code().is_empty() && !e.es().is_empty() && e.en().ends_with('.'), "{e:?}");
        }
        assert!(MiniauditoriaError::Closed.is_conflict() && !MiniauditoriaError::UnknownPlace.is_conflict());
        assert_eq!(MiniauditoriaError::MedidaIncompleta(2).es(), "A la medida 3 le falta quién, qué o hasta cuándo (fecha AAAA-MM-DD).");
    }
}
