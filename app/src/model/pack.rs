//! Barrio packs: everything a device needs to draw one barrio with no network — its boundary
//! and the base layers (blocks, streets, landmarks) as GeoJSON — with a version, so a device
//! knows when its copy is out of date.

use serde::{Deserialize, Serialize};

use super::Barrio;

/// Bumped when the pack's shape changes; devices holding another format download it again.
pub const PACK_FORMAT: u32 = 1;

/// The base layers of one barrio, each an RFC 7946 FeatureCollection clipped to the barrio
/// (with a margin, so streets at the edge keep their names).
///
/// Properties by layer: streets `{ "name": string|null }`; blocks `{}`; landmarks
/// `{ "kind": LandmarkKind code, "name": string }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseLayers {
    pub blocks: geojson::FeatureCollection,
    pub streets: geojson::FeatureCollection,
    pub landmarks: geojson::FeatureCollection,
    /// True when the layers were generated as an example and are not real: the map says so.
    pub demo: bool,
    /// Where the layers come from, shown beside the map (attribution, licence).
    pub source: String,
}

impl BaseLayers {
    pub fn empty() -> BaseLayers {
        let empty = || geojson::FeatureCollection { bbox: None, features: Vec::new(), foreign_members: None };
        BaseLayers { blocks: empty(), streets: empty(), landmarks: empty(), demo: false, source: String::new() }
    }

    pub fn feature_count(&self) -> usize {
        self.blocks.features.len() + self.streets.features.len() + self.landmarks.features.len()
    }
}

/// One barrio, ready for offline use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarrioPack {
    pub format: u32,
    /// Increases whenever the barrio's boundary or layers change on the server.
    pub version: i64,
    pub barrio: Barrio,
    pub layers: BaseLayers,
}

/// What the server offers for a barrio, so a device can show sizes before downloading and
/// notice that its copy is older than the server's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackInfo {
    pub barrio_id: i64,
    pub version: i64,
    /// Size of the pack as JSON, in bytes (what it takes on the device).
    pub bytes: i64,
    pub features: i64,
    pub demo: bool,
}

/// Kinds of landmark a participant finds their way by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandmarkKind {
    Parque,
    Colegio,
    Iglesia,
    SalonComunal,
    Cai,
    Cancha,
    CentroSalud,
    Otro,
}

impl LandmarkKind {
    pub const ALL: [LandmarkKind; 8] = [
        LandmarkKind::Parque,
        LandmarkKind::Colegio,
        LandmarkKind::Iglesia,
        LandmarkKind::SalonComunal,
        LandmarkKind::Cai,
        LandmarkKind::Cancha,
        LandmarkKind::CentroSalud,
        LandmarkKind::Otro,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LandmarkKind::Parque => "parque",
            LandmarkKind::Colegio => "colegio",
            LandmarkKind::Iglesia => "iglesia",
            LandmarkKind::SalonComunal => "salon_comunal",
            LandmarkKind::Cai => "cai",
            LandmarkKind::Cancha => "cancha",
            LandmarkKind::CentroSalud => "centro_salud",
            LandmarkKind::Otro => "otro",
        }
    }

    pub fn from_code(code: &str) -> Option<LandmarkKind> {
        LandmarkKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Reads the kind from the words other files use (OSM tags, Spanish names), so imports of
    /// other cities need no recoding: `school`, `Colegio`, `place_of_worship`, `police`…
    pub fn guess(word: &str) -> LandmarkKind {
        let w = word.trim().to_lowercase();
        let has = |keys: &[&str]| keys.iter().any(|k| w.contains(k));
        if let Some(k) = LandmarkKind::from_code(&w) {
            k
        } else if has(&["park", "parque", "plaza", "garden"]) {
            LandmarkKind::Parque
        } else if has(&["school", "colegio", "escuela", "instituci", "college", "kindergarten", "universi"]) {
            LandmarkKind::Colegio
        } else if has(&["worship", "church", "iglesia", "templo", "parroquia", "capilla"]) {
            LandmarkKind::Iglesia
        } else if has(&["community", "comunal", "junta", "social_centre"]) {
            LandmarkKind::SalonComunal
        } else if has(&["police", "cai", "policía", "policia", "estación"]) {
            LandmarkKind::Cai
        } else if has(&["pitch", "cancha", "sports", "polideportivo", "estadio"]) {
            LandmarkKind::Cancha
        } else if has(&["hospital", "clinic", "salud", "health", "doctors", "puesto"]) {
            LandmarkKind::CentroSalud
        } else {
            LandmarkKind::Otro
        }
    }

    pub fn label_es(self) -> &'static str {
        match self {
            LandmarkKind::Parque => "Parque",
            LandmarkKind::Colegio => "Colegio",
            LandmarkKind::Iglesia => "Iglesia",
            LandmarkKind::SalonComunal => "Salón comunal",
            LandmarkKind::Cai => "CAI de Policía",
            LandmarkKind::Cancha => "Cancha",
            LandmarkKind::CentroSalud => "Centro de salud",
            LandmarkKind::Otro => "Lugar",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            LandmarkKind::Parque => "Park",
            LandmarkKind::Colegio => "School",
            LandmarkKind::Iglesia => "Church",
            LandmarkKind::SalonComunal => "Community hall",
            LandmarkKind::Cai => "Police post (CAI)",
            LandmarkKind::Cancha => "Sports field",
            LandmarkKind::CentroSalud => "Health centre",
            LandmarkKind::Otro => "Place",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in LandmarkKind::ALL {
            assert_eq!(LandmarkKind::from_code(k.code()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::Value::String(k.code().into()));
        }
    }

    #[test]
    fn other_vocabularies_are_understood() {
        assert_eq!(LandmarkKind::guess("school"), LandmarkKind::Colegio);
        assert_eq!(LandmarkKind::guess("place_of_worship"), LandmarkKind::Iglesia);
        assert_eq!(LandmarkKind::guess("Parroquia San José"), LandmarkKind::Iglesia);
        assert_eq!(LandmarkKind::guess("police"), LandmarkKind::Cai);
        assert_eq!(LandmarkKind::guess("Salón Comunal"), LandmarkKind::SalonComunal);
        assert_eq!(LandmarkKind::guess("fuel"), LandmarkKind::Otro);
    }

    #[test]
    fn a_pack_survives_json() {
        let barrio: Barrio = serde_json::from_value(serde_json::json!({
            "id": 1, "code": "x", "name": "X", "comuna": null, "area_ha": 1.0, "source": "s",
            "boundary": {"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}
        }))
        .unwrap();
        let pack = BarrioPack { format: PACK_FORMAT, version: 3, barrio, layers: BaseLayers::empty() };
        let json = serde_json::to_string(&pack).unwrap();
        assert_eq!(serde_json::from_str::<BarrioPack>(&json).unwrap(), pack);
    }
}
