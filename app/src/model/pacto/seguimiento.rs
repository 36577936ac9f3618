//! Paso 7 of the ruta: the follow-up of every compromiso of the barrios' pactos in force (by
//! institution, barrio and status, overdue first, and what changed since the last
//! interinstitutional committee), and the committee's acta, which reviews a list of compromisos
//! and records each one's new status. Pure.
//!
//! # The API contract for paso 7
//! - `GET  /seguimiento` — staff → [`Tablero`]: the lines of the barrios of the caller's cities,
//!   in [`ordenar_para_seguimiento`](super::compromiso::ordenar_para_seguimiento) order, each
//!   with its status at the last committee of its city; the committees of those cities, newest
//!   first.
//! - `POST /comites` — staff of the draft's city; body [`ComiteDraft`] → 201 [`Comite`]. One
//!   transaction: each revision whose status differs from the compromiso's now appends a status
//!   change (evidence: the committee, its date and the note); the others are recorded as
//!   reviewed with no change. 422 when a revision names a compromiso that is not in a signed
//!   pacto in force of a barrio of that city, or a change its rules refuse.
//! - `GET  /comites/{id}` — staff of its city → [`Comite`] (its printable acta).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::compromiso::{CambioEstado, CompromisoDeInstitucion, EstadoCompromiso, MAX_EVIDENCIA_CHARS};
use super::PactoError;
use crate::model::registro::is_date;

/// Revisions one committee acta holds: a city's compromisos reviewed in one sitting.
pub const MAX_REVISIONES: usize = 500;
pub const MAX_LUGAR_CHARS: usize = 200;
pub const MAX_ASISTENTES_CHARS: usize = 2_000;
pub const MAX_NOTAS_CHARS: usize = 4_000;

/// One line of the follow-up board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineaSeguimiento {
    #[serde(flatten)]
    pub linea: CompromisoDeInstitucion,
    /// The DANE code of the barrio's city.
    pub municipio: String,
    /// The responsible institution's name in the catalogue (its code when it has none).
    pub institucion: String,
    /// Its status when the last committee of its city ended; `None` when the city has had no
    /// committee since the pacto was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en_comite: Option<EstadoCompromiso>,
    /// Its status changed after that committee.
    pub cambio_desde_comite: bool,
}

/// A committee in a list: when, where, and how much it reviewed and changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComiteResumen {
    pub id: Uuid,
    /// 1, 2… within its city.
    pub numero: u32,
    pub municipio: String,
    pub fecha: String,
    pub revisados: u32,
    pub cambios: u32,
    pub at_ms: i64,
}

/// `GET /seguimiento`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tablero {
    /// Today in Colombia (`YYYY-MM-DD`): what "vencido" was judged against.
    pub hoy: String,
    pub lineas: Vec<LineaSeguimiento>,
    pub comites: Vec<ComiteResumen>,
}

/// One compromiso as the committee reviewed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionDraft {
    pub pacto_id: Uuid,
    pub compromiso_id: Uuid,
    /// Its status as the committee leaves it (the same as now: reviewed, no change).
    pub estado: EstadoCompromiso,
    /// What the committee said of it; for a cancellation, why.
    #[serde(default)]
    pub nota: String,
}

/// `POST /comites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComiteDraft {
    /// The DANE code of the city whose committee met.
    pub municipio: String,
    /// `YYYY-MM-DD`.
    pub fecha: String,
    #[serde(default)]
    pub lugar: String,
    /// Who attended: institutions and roles, as the acta lists them.
    #[serde(default)]
    pub asistentes: String,
    #[serde(default)]
    pub notas: String,
    pub revisiones: Vec<RevisionDraft>,
}

impl ComiteDraft {
    /// The draft trimmed and checked on its own; what depends on the stored compromisos is the
    /// server's to check.
    pub fn checked(self) -> Result<ComiteDraft, PactoError> {
        let text = super::institucion::clean;
        let municipio = self.municipio.trim().to_string();
        if municipio.len() != 5 || !municipio.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PactoError::BadMunicipio);
        }
        let fecha = self.fecha.trim().to_string();
        if !is_date(&fecha) {
            return Err(PactoError::BadDate);
        }
        if self.revisiones.is_empty() {
            return Err(PactoError::NoRevisiones);
        }
        if self.revisiones.len() > MAX_REVISIONES {
            return Err(PactoError::TooManyRevisiones(MAX_REVISIONES));
        }
        let mut revisiones: Vec<RevisionDraft> = Vec::with_capacity(self.revisiones.len());
        for (i, r) in self.revisiones.into_iter().enumerate() {
            if revisiones.iter().any(|o| o.compromiso_id == r.compromiso_id) {
                return Err(PactoError::RepeatedCompromiso(i));
            }
            let nota = text(&r.nota, MAX_EVIDENCIA_CHARS, "nota")?;
            revisiones.push(RevisionDraft { nota, ..r });
        }
        Ok(ComiteDraft {
            municipio,
            fecha,
            lugar: text(&self.lugar, MAX_LUGAR_CHARS, "lugar")?,
            asistentes: text(&self.asistentes, MAX_ASISTENTES_CHARS, "asistentes")?,
            notas: text(&self.notas, MAX_NOTAS_CHARS, "notas")?,
            revisiones,
        })
    }
}

/// One compromiso in a committee's acta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionComite {
    pub pacto_id: Uuid,
    pub compromiso_id: Uuid,
    pub barrio_id: i64,
    pub barrio: String,
    pub responsable: String,
    pub que: String,
    pub fecha_limite: String,
    /// Its status when the committee met.
    pub antes: EstadoCompromiso,
    /// Its status as the committee left it.
    pub estado: EstadoCompromiso,
    pub nota: String,
}

impl RevisionComite {
    pub fn cambio(&self) -> bool {
        self.antes != self.estado
    }
}

/// A committee's acta as kept: appended, never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comite {
    pub id: Uuid,
    pub numero: u32,
    pub municipio: String,
    pub fecha: String,
    pub lugar: String,
    pub asistentes: String,
    pub notas: String,
    pub revisiones: Vec<RevisionComite>,
    pub por: String,
    pub at_ms: i64,
}

impl Comite {
    pub fn resumen(&self) -> ComiteResumen {
        ComiteResumen {
            id: self.id,
            numero: self.numero,
            municipio: self.municipio.clone(),
            fecha: self.fecha.clone(),
            revisados: u32::try_from(self.revisiones.len()).unwrap_or(u32::MAX),
            cambios: u32::try_from(self.revisiones.iter().filter(|r| r.cambio()).count()).unwrap_or(u32::MAX),
            at_ms: self.at_ms,
        }
    }
}

/// The evidence a committee's status change carries in the compromiso's history.
pub fn evidencia_de_comite(numero: u32, fecha: &str, nota: &str) -> String {
    let mut evidencia = format!("Comité interinstitucional n.º {numero} del {fecha}");
    if !nota.is_empty() {
        evidencia.push_str(": ");
        evidencia.push_str(nota);
    }
    evidencia.chars().take(MAX_EVIDENCIA_CHARS).collect()
}

/// A compromiso's status when time `at_ms` came, from its history in the order it was kept.
pub fn estado_en(historia: &[CambioEstado], at_ms: i64) -> EstadoCompromiso {
    historia.iter().take_while(|c| c.at_ms <= at_ms).last().map(|c| c.estado).unwrap_or_default()
}

/// How the board groups its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agrupar {
    Institucion,
    Barrio,
}

/// The count of one group: its lines by status, and how many are overdue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conteo {
    pub clave: String,
    pub nombre: String,
    pub total: u32,
    pub vencidos: u32,
    /// In [`EstadoCompromiso::ALL`] order.
    pub por_estado: [u32; 5],
}

impl Conteo {
    pub fn de(&self, estado: EstadoCompromiso) -> u32 {
        EstadoCompromiso::ALL.iter().position(|e| *e == estado).map_or(0, |i| self.por_estado[i])
    }
}

/// The lines counted by institution or barrio: most overdue first, then most lines, then by
/// name.
pub fn conteos(lineas: &[LineaSeguimiento], agrupar: Agrupar) -> Vec<Conteo> {
    let mut out: Vec<Conteo> = Vec::new();
    for l in lineas {
        let (clave, nombre) = match agrupar {
            Agrupar::Institucion => (l.linea.compromiso.responsable.clone(), l.institucion.clone()),
            Agrupar::Barrio => (l.linea.barrio_id.to_string(), l.linea.barrio.clone()),
        };
        let i = match out.iter().position(|c| c.clave == clave) {
            Some(i) => i,
            None => {
                out.push(Conteo { clave, nombre, ..Conteo::default() });
                out.len() - 1
            }
        };
        let c = &mut out[i];
        c.total += 1;
        c.vencidos += u32::from(l.linea.vencido);
        if let Some(e) = EstadoCompromiso::ALL.iter().position(|e| *e == l.linea.estado) {
            c.por_estado[e] += 1;
        }
    }
    out.sort_by(|a, b| b.vencidos.cmp(&a.vencidos).then(b.total.cmp(&a.total)).then_with(|| a.nombre.cmp(&b.nombre)));
    out
}

/// What the board shows: every line, or those of one institution, barrio, or status
/// (`vencido` for the overdue ones, `cambio` for those changed since the last committee).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filtro {
    pub institucion: Option<String>,
    pub barrio: Option<i64>,
    pub estado: Option<String>,
}

impl Filtro {
    pub fn deja(&self, l: &LineaSeguimiento) -> bool {
        self.institucion.as_ref().is_none_or(|i| *i == l.linea.compromiso.responsable)
            && self.barrio.is_none_or(|b| b == l.linea.barrio_id)
            && self.estado.as_deref().is_none_or(|e| match e {
                "vencido" => l.linea.vencido,
                "cambio" => l.cambio_desde_comite,
                code => l.linea.estado.code() == code,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::super::compromiso::tests::compromiso;
    use super::*;

    fn linea(n: u128, responsable: &str, barrio: (i64, &str), estado: EstadoCompromiso, vencido: bool) -> LineaSeguimiento {
        let mut c = compromiso(n);
        c.responsable = responsable.into();
        LineaSeguimiento {
            linea: CompromisoDeInstitucion {
                barrio_id: barrio.0,
                barrio: barrio.1.into(),
                pacto_id: Uuid::from_u128(100),
                pacto_version: 1,
                compromiso: c,
                estado,
                desde_ms: 0,
                vencido,
            },
            municipio: "47001".into(),
            institucion: responsable.to_uppercase(),
            en_comite: None,
            cambio_desde_comite: false,
        }
    }

    fn draft() -> ComiteDraft {
        ComiteDraft {
            municipio: "47001".into(),
            fecha: "2027-03-02".into(),
            lugar: " Alcaldía ".into(),
            asistentes: "Policía, ESSMAR, JAC".into(),
            notas: String::new(),
            revisiones: vec![RevisionDraft {
                pacto_id: Uuid::from_u128(100),
                compromiso_id: Uuid::from_u128(1),
                estado: EstadoCompromiso::Cumplido,
                nota: " Luminarias repuestas ".into(),
            }],
        }
    }

    #[test]
    fn a_committee_names_its_city_and_date_and_reviews_each_compromiso_once() {
        let ok = draft().checked().unwrap();
        assert_eq!((ok.lugar.as_str(), ok.revisiones[0].nota.as_str()), ("Alcaldía", "Luminarias repuestas"));
        assert_eq!(ComiteDraft { municipio: "4700".into(), ..draft() }.checked(), Err(PactoError::BadMunicipio));
        assert_eq!(ComiteDraft { fecha: "2/3/2027".into(), ..draft() }.checked(), Err(PactoError::BadDate));
        assert_eq!(ComiteDraft { revisiones: vec![], ..draft() }.checked(), Err(PactoError::NoRevisiones));
        let mut twice = draft();
        twice.revisiones.push(twice.revisiones[0].clone());
        assert_eq!(twice.checked(), Err(PactoError::RepeatedCompromiso(1)));
        let mut many = draft();
        many.revisiones = (0..=MAX_REVISIONES as u128)
            .map(|n| RevisionDraft { compromiso_id: Uuid::from_u128(n), ..draft().revisiones[0].clone() })
            .collect();
        assert_eq!(many.checked(), Err(PactoError::TooManyRevisiones(MAX_REVISIONES)));
        assert_eq!(ComiteDraft { notas: "a\u{0}b".into(), ..draft() }.checked(), Err(PactoError::ControlCharacters));
    }

    #[test]
    fn the_status_at_a_committee_is_the_last_change_made_by_then() {
        let cambio = |estado, at_ms| CambioEstado {
            seq: at_ms,
            compromiso_id: Uuid::from_u128(1),
            pacto_id: Uuid::from_u128(100),
            estado,
            motivo: String::new(),
            evidencia: "visita".into(),
            registro_id: None,
            por: "Ana".into(),
            at_ms,
        };
        let historia = [cambio(EstadoCompromiso::EnCurso, 10), cambio(EstadoCompromiso::Cumplido, 20)];
        assert_eq!(estado_en(&historia, 5), EstadoCompromiso::Pendiente);
        assert_eq!(estado_en(&historia, 10), EstadoCompromiso::EnCurso);
        assert_eq!(estado_en(&historia, 19), EstadoCompromiso::EnCurso);
        assert_eq!(estado_en(&historia, 99), EstadoCompromiso::Cumplido);
    }

    #[test]
    fn counts_put_the_most_overdue_first_and_filters_pick_lines() {
        let lineas = vec![
            linea(1, "essmar", (1, "Pescaíto"), EstadoCompromiso::Pendiente, true),
            linea(2, "policia", (1, "Pescaíto"), EstadoCompromiso::Cumplido, false),
            linea(3, "policia", (2, "Bastidas"), EstadoCompromiso::EnCurso, false),
            linea(4, "essmar", (2, "Bastidas"), EstadoCompromiso::Pendiente, true),
        ];
        let por_institucion = conteos(&lineas, Agrupar::Institucion);
        assert_eq!(por_institucion.iter().map(|c| c.clave.as_str()).collect::<Vec<_>>(), ["essmar", "policia"]);
        assert_eq!((por_institucion[0].total, por_institucion[0].vencidos), (2, 2));
        assert_eq!(por_institucion[1].de(EstadoCompromiso::Cumplido), 1);
        assert_eq!(por_institucion[1].de(EstadoCompromiso::EnCurso), 1);
        let por_barrio = conteos(&lineas, Agrupar::Barrio);
        // One overdue each, two lines each: by name.
        assert_eq!(por_barrio.iter().map(|c| c.nombre.as_str()).collect::<Vec<_>>(), ["Bastidas", "Pescaíto"]);

        let pick = |f: Filtro| lineas.iter().filter(|l| f.deja(l)).map(|l| l.linea.compromiso.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(pick(Filtro::default()), [1, 2, 3, 4]);
        assert_eq!(pick(Filtro { institucion: Some("policia".into()), ..Filtro::default() }), [2, 3]);
        assert_eq!(pick(Filtro { barrio: Some(2), estado: Some("vencido".into()), ..Filtro::default() }), [4]);
        assert_eq!(pick(Filtro { estado: Some("en_curso".into()), ..Filtro::default() }), [3]);
    }

    #[test]
    fn a_committee_change_says_which_committee_in_its_evidence() {
        assert_eq!(evidencia_de_comite(2, "2027-03-02", ""), "Comité interinstitucional n.º 2 del 2027-03-02");
        assert_eq!(
            evidencia_de_comite(2, "2027-03-02", "Obra entregada"),
            "Comité interinstitucional n.º 2 del 2027-03-02: Obra entregada"
        );
        assert!(evidencia_de_comite(1, "2027-03-02", &"x".repeat(MAX_EVIDENCIA_CHARS)).chars().count() <= MAX_EVIDENCIA_CHARS);
    }
}
