//! The pacto itself: a draft built from a diagnóstico version, saved as numbered revisions
//! while staff turn the community's solutions into compromisos, and immutable once signed (its
//! signed scan kept as a registro of paso 4). An amendment is an otrosí: a new version that
//! names the one before.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::compromiso::{CambioEstado, Compromiso};
use super::publicacion::PactoPublicado;
use super::PactoError;
use crate::model::mark::has_control_characters;
use crate::model::registro::is_date;

pub const MAX_COMPROMISOS: usize = 120;
pub const MAX_CONTEXTO_CHARS: usize = 6_000;
pub const MAX_LUGAR_CHARS: usize = 200;
pub const MAX_PROBLEMAS: usize = 60;
pub const MAX_SOLUCIONES: usize = 300;
pub const MAX_SHORT_CHARS: usize = 600;

/// A problem of the diagnóstico, as the pacto carries it over: one category with its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemaPriorizado {
    pub categoria: String,
    pub nombre: String,
    pub marcas: u32,
    /// How many places (hotspots) it was found in.
    pub lugares: u32,
    /// Its hotspots in the diagnóstico.
    pub hotspot_ids: Vec<Uuid>,
    /// The causes the group tied to it, by their Spanish names, most weighty first.
    pub causas: Vec<String>,
}

/// A solution the community proposed, with the institution it named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolucionPropuesta {
    pub id: Uuid,
    pub texto: String,
    pub institucion: String,
    pub problemas: u32,
    pub participantes: u32,
}

/// What staff edit of a pacto: each save is a new revision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PactoContenido {
    /// The meeting's date (`YYYY-MM-DD`), or empty while it is not set.
    #[serde(default)]
    pub fecha: String,
    #[serde(default)]
    pub lugar: String,
    /// The context summary the printed pacto opens with.
    #[serde(default)]
    pub contexto: String,
    #[serde(default)]
    pub problemas: Vec<ProblemaPriorizado>,
    #[serde(default)]
    pub soluciones: Vec<SolucionPropuesta>,
    #[serde(default)]
    pub compromisos: Vec<Compromiso>,
    /// The socialisation meeting's acta (kind `socializacion`, same barrio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acta_id: Option<Uuid>,
}

fn text(t: &str, max: usize, what: &'static str) -> Result<String, PactoError> {
    let t = t.trim();
    // Line breaks are allowed in the context; other control characters are not.
    if has_control_characters(&t.replace(['\n', '\r', '\t'], " ")) {
        return Err(PactoError::ControlCharacters);
    }
    if t.chars().count() > max {
        return Err(PactoError::TooLong(what));
    }
    Ok(t.to_string())
}

impl PactoContenido {
    /// The content trimmed and checked: `institucion(code)` says whether the catalogue has an
    /// active entry of that code, `lugar(id)` whether the diagnóstico has that hotspot.
    pub fn checked(self, institucion: impl Fn(&str) -> bool, lugar: impl Fn(&Uuid) -> bool) -> Result<PactoContenido, PactoError> {
        let fecha = self.fecha.trim().to_string();
        if !fecha.is_empty() && !is_date(&fecha) {
            return Err(PactoError::BadDate);
        }
        if self.compromisos.len() > MAX_COMPROMISOS {
            return Err(PactoError::TooManyCompromisos(MAX_COMPROMISOS));
        }
        if self.problemas.len() > MAX_PROBLEMAS || self.soluciones.len() > MAX_SOLUCIONES {
            return Err(PactoError::TooLong("problemas"));
        }
        for p in &self.problemas {
            if p.nombre.chars().count() > MAX_SHORT_CHARS || p.causas.iter().any(|c| c.chars().count() > MAX_SHORT_CHARS) {
                return Err(PactoError::TooLong("problemas"));
            }
        }
        for s in &self.soluciones {
            if s.texto.chars().count() > MAX_SHORT_CHARS * 2 {
                return Err(PactoError::TooLong("soluciones"));
            }
        }
        let mut compromisos = Vec::with_capacity(self.compromisos.len());
        for (i, c) in self.compromisos.into_iter().enumerate() {
            if compromisos.iter().any(|k: &Compromiso| k.id == c.id) {
                return Err(PactoError::RepeatedCompromiso(i));
            }
            let c = c.checked(i)?;
            if !institucion(&c.responsable) {
                return Err(PactoError::UnknownInstitution(i, c.responsable.chars().take(40).collect()));
            }
            if c.hotspot_id.is_some_and(|h| !lugar(&h)) {
                return Err(PactoError::UnknownPlace(i));
            }
            compromisos.push(c);
        }
        Ok(PactoContenido {
            fecha,
            lugar: text(&self.lugar, MAX_LUGAR_CHARS, "lugar")?,
            contexto: text(&self.contexto, MAX_CONTEXTO_CHARS, "contexto")?,
            problemas: self.problemas,
            soluciones: self.soluciones,
            compromisos,
            acta_id: self.acta_id,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstadoPacto {
    Borrador,
    Firmado,
}

/// The signing: which revision was signed, and the registro that keeps its signed scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firma {
    pub revision: u32,
    pub registro_id: Uuid,
    pub fecha: String,
    pub por: String,
    pub at_ms: i64,
}

/// `POST /pactos/{id}/firma`: the revision that was printed and signed, and the registro of
/// paso 4 (type `pacto_firmado`) its scan was uploaded as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirmaDraft {
    pub revision: u32,
    pub registro_id: Uuid,
    pub fecha: String,
}

/// `POST /barrios/{id}/pactos`: a new pacto drafted from a diagnóstico version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NuevoPacto {
    pub diagnostico: u32,
}

/// `PUT /pactos/{id}`: a new revision, made on revision `revision` (409 when it is no longer
/// the latest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardarPacto {
    pub revision: u32,
    pub contenido: PactoContenido,
}

/// A pacto at its latest revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pacto {
    pub id: Uuid,
    pub barrio_id: i64,
    /// The ciclo of the ruta it belongs to (the barrio's open one when it was drafted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ciclo_id: Option<Uuid>,
    /// The diagnóstico version it was built from.
    pub diagnostico: u32,
    /// 1 for the pacto; 2 and on for its otrosíes.
    pub version: u32,
    /// The version this one amends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anterior: Option<Uuid>,
    pub revision: u32,
    pub contenido: PactoContenido,
    pub estado: EstadoPacto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firma: Option<Firma>,
    pub creado_por: String,
    pub creado_ms: i64,
    pub actualizado_por: String,
    pub actualizado_ms: i64,
}

impl Pacto {
    pub fn titulo(&self) -> String {
        titulo(self.version)
    }
}

/// "Pacto de seguridad y convivencia", or "Otrosí n.º N" for a later version.
pub fn titulo(version: u32) -> String {
    if version <= 1 {
        "Pacto de seguridad y convivencia".to_string()
    } else {
        format!("Otrosí n.º {} al pacto de seguridad y convivencia", version - 1)
    }
}

/// A line of a barrio's list of pactos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactoResumen {
    pub id: Uuid,
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anterior: Option<Uuid>,
    pub diagnostico: u32,
    pub revision: u32,
    pub estado: EstadoPacto,
    pub fecha: String,
    pub compromisos: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmado_ms: Option<i64>,
    /// The signed version in force: the newest signed one.
    pub vigente: bool,
    pub actualizado_ms: i64,
}

/// A hotspot of the pacto's diagnóstico a compromiso may be tied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LugarOpcion {
    pub hotspot_id: Uuid,
    pub categoria: String,
    pub nombre: String,
    pub marcas: u32,
    /// Its category is sensitive: no publication shows where it is.
    pub sensible: bool,
}

/// `GET /pactos/{id}`: the pacto, what its page needs to edit and follow it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactoDetalle {
    pub pacto: Pacto,
    pub barrio: String,
    pub lugares: Vec<LugarOpcion>,
    /// The status history of its compromisos (across the versions before it too), in order.
    pub estados: Vec<CambioEstado>,
    /// The newer version that amends this one, if any: then this one is no longer in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otrosi: Option<Uuid>,
    /// Its publication in force, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publicacion: Option<PactoPublicado>,
    /// Whether the caller may edit (staff of its city); facilitators read only.
    pub editable: bool,
    /// The barrio's open ciclo now: where a signed scan or an evidence file is kept when the
    /// pacto was drafted before the barrio had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ciclo_abierto: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pacto::compromiso::tests::compromiso;

    fn contenido() -> PactoContenido {
        PactoContenido {
            fecha: "2027-02-10".into(),
            lugar: " Salón comunal ".into(),
            contexto: "Resumen\nen dos líneas".into(),
            compromisos: vec![compromiso(1), compromiso(2)],
            ..PactoContenido::default()
        }
    }

    #[test]
    fn content_is_checked_against_the_catalogue_and_the_diagnostico() {
        let hotspot = Uuid::from_u128(77);
        let ok = |c: PactoContenido| c.checked(|code| code == "essmar", |h| *h == hotspot);
        let c = ok(contenido()).unwrap();
        assert_eq!(c.lugar, "Salón comunal");
        assert_eq!(c.contexto, "Resumen\nen dos líneas");

        let mut c = contenido();
        c.compromisos[1].responsable = "nadie".into();
        assert_eq!(ok(c), Err(PactoError::UnknownInstitution(1, "nadie".into())));
        let mut c = contenido();
        c.compromisos[0].hotspot_id = Some(Uuid::from_u128(78));
        assert_eq!(ok(c), Err(PactoError::UnknownPlace(0)));
        let mut c = contenido();
        c.compromisos[0].hotspot_id = Some(hotspot);
        assert!(ok(c).is_ok());
        let mut c = contenido();
        c.compromisos[1].id = c.compromisos[0].id;
        assert_eq!(ok(c), Err(PactoError::RepeatedCompromiso(1)));
        let mut c = contenido();
        c.fecha = "mañana".into();
        assert_eq!(ok(c), Err(PactoError::BadDate));
        let mut c = contenido();
        c.contexto = "a\u{0}b".into();
        assert_eq!(ok(c), Err(PactoError::ControlCharacters));
        let mut c = contenido();
        c.compromisos = (0..=MAX_COMPROMISOS as u128).map(compromiso).collect();
        assert_eq!(ok(c), Err(PactoError::TooManyCompromisos(MAX_COMPROMISOS)));
    }

    #[test]
    fn an_otrosi_is_titled_by_its_number() {
        assert_eq!(titulo(1), "Pacto de seguridad y convivencia");
        assert_eq!(titulo(3), "Otrosí n.º 2 al pacto de seguridad y convivencia");
    }
}
