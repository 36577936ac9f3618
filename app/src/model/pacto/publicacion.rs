//! What of a signed pacto may be published, "editado por seguridad": only the compromisos staff
//! approve one by one, in the words they approve, with a place in general words — and never
//! the place of a sensitive problem, whatever was typed. Their status is read live.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::compromiso::{EstadoCompromiso, MAX_LUGAR_CHARS, MAX_QUE_CHARS};
use super::institucion::Institucion;
use super::pacto::{LugarOpcion, Pacto};
use super::PactoError;
use crate::model::mark::has_control_characters;

/// A compromiso staff approved for publication, in the words to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompromisoAprobado {
    pub id: Uuid,
    pub que: String,
    /// The place in general words, or empty.
    #[serde(default)]
    pub lugar: String,
}

/// `POST /pactos/{id}/publicacion` (and its preview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicarPacto {
    pub compromisos: Vec<CompromisoAprobado>,
}

/// A published compromiso: the institution by name, the approved words, a general place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompromisoPublicado {
    pub id: Uuid,
    pub institucion: String,
    pub que: String,
    pub lugar: String,
    pub fecha_limite: String,
    /// Filled in when read: the status in force then.
    #[serde(default)]
    pub estado: EstadoCompromiso,
}

/// A barrio's published compromisos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactoPublicado {
    pub barrio_id: i64,
    pub pacto_id: Uuid,
    pub pacto_version: u32,
    /// The date the pacto was signed.
    pub firmado: String,
    pub compromisos: Vec<CompromisoPublicado>,
    pub publicado_ms: i64,
}

/// The compromisos to publish of `pacto`, as approved in `pedido`.
pub fn publicar(
    pacto: &Pacto,
    pedido: PublicarPacto,
    instituciones: &[Institucion],
    lugares: &[LugarOpcion],
) -> Result<Vec<CompromisoPublicado>, PactoError> {
    if pedido.compromisos.is_empty() {
        return Err(PactoError::NothingToPublish);
    }
    let sensibles: HashSet<Uuid> = lugares.iter().filter(|l| l.sensible).map(|l| l.hotspot_id).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(pedido.compromisos.len());
    for a in pedido.compromisos {
        let c = pacto.contenido.compromisos.iter().find(|c| c.id == a.id).ok_or(PactoError::UnknownCompromiso)?;
        if !seen.insert(a.id) {
            return Err(PactoError::UnknownCompromiso);
        }
        let que = a.que.trim();
        let lugar = a.lugar.trim();
        if has_control_characters(que) || has_control_characters(lugar) {
            return Err(PactoError::ControlCharacters);
        }
        if que.is_empty() || que.chars().count() > MAX_QUE_CHARS {
            return Err(PactoError::TooLong("qué"));
        }
        if lugar.chars().count() > MAX_LUGAR_CHARS {
            return Err(PactoError::TooLong("lugar"));
        }
        // A hotspot whose category is unknown to this list counts as sensitive, like the merge's.
        let sensible = c.hotspot_id.is_some_and(|h| sensibles.contains(&h) || !lugares.iter().any(|l| l.hotspot_id == h));
        let institucion =
            instituciones.iter().find(|i| i.codigo == c.responsable).map(|i| i.nombre.clone()).unwrap_or_else(|| c.responsable.clone());
        out.push(CompromisoPublicado {
            id: c.id,
            institucion,
            que: que.to_string(),
            lugar: if sensible { String::new() } else { lugar.to_string() },
            fecha_limite: c.fecha_limite.clone(),
            estado: EstadoCompromiso::Pendiente,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pacto::compromiso::tests::compromiso;
    use crate::model::pacto::{EstadoPacto, PactoContenido, TipoInstitucion};

    fn pacto() -> Pacto {
        let mut sensible = compromiso(2);
        sensible.hotspot_id = Some(Uuid::from_u128(700));
        sensible.lugar = "Esquina de la casa de doña Rosa".into();
        let mut plain = compromiso(1);
        plain.hotspot_id = Some(Uuid::from_u128(701));
        Pacto {
            id: Uuid::from_u128(1000),
            barrio_id: 1,
            ciclo_id: None,
            diagnostico: 1,
            version: 1,
            anterior: None,
            revision: 3,
            contenido: PactoContenido { compromisos: vec![plain, sensible], ..Default::default() },
            estado: EstadoPacto::Firmado,
            firma: None,
            creado_por: "ana".into(),
            creado_ms: 0,
            actualizado_por: "ana".into(),
            actualizado_ms: 0,
        }
    }

    fn lugar(n: u128, sensible: bool) -> LugarOpcion {
        LugarOpcion { hotspot_id: Uuid::from_u128(n), categoria: "x".into(), nombre: "X".into(), marcas: 1, sensible }
    }

    fn essmar() -> Institucion {
        Institucion {
            codigo: "essmar".into(),
            version: 1,
            nombre: "ESSMAR".into(),
            tipo: TipoInstitucion::Publica,
            contactos: vec![],
            activa: true,
            at_ms: 0,
            por: "admin".into(),
        }
    }

    #[test]
    fn a_sensitive_problems_place_is_never_published() {
        let pedido = PublicarPacto {
            compromisos: vec![
                CompromisoAprobado { id: Uuid::from_u128(1), que: " Luminarias en el parque ".into(), lugar: "Parque central".into() },
                CompromisoAprobado { id: Uuid::from_u128(2), que: "Patrullaje".into(), lugar: "Esquina de doña Rosa".into() },
            ],
        };
        let out = publicar(&pacto(), pedido.clone(), &[essmar()], &[lugar(700, true), lugar(701, false)]).unwrap();
        assert_eq!(out[0].lugar, "Parque central");
        assert_eq!(out[0].que, "Luminarias en el parque");
        assert_eq!(out[0].institucion, "ESSMAR");
        assert_eq!(out[1].lugar, "", "a sensitive hotspot's place was published");
        // A hotspot the list does not know counts as sensitive.
        let out = publicar(&pacto(), pedido, &[essmar()], &[]).unwrap();
        assert!(out.iter().all(|c| c.lugar.is_empty()));
    }

    #[test]
    fn only_the_pactos_compromisos_once_each() {
        let one = |n: u128| CompromisoAprobado { id: Uuid::from_u128(n), que: "Algo".into(), lugar: String::new() };
        let p = pacto();
        assert_eq!(publicar(&p, PublicarPacto { compromisos: vec![] }, &[], &[]), Err(PactoError::NothingToPublish));
        assert_eq!(publicar(&p, PublicarPacto { compromisos: vec![one(9)] }, &[], &[]), Err(PactoError::UnknownCompromiso));
        assert_eq!(publicar(&p, PublicarPacto { compromisos: vec![one(1), one(1)] }, &[], &[]), Err(PactoError::UnknownCompromiso));
    }
}
