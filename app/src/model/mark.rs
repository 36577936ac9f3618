//! A mark: one thing a participant drew on the barrio map, and its GeoJSON Feature form
//! (RFC 7946) used on the wire between the device and the server.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use thiserror::Error;
use uuid::Uuid;

use super::attributes::{Affected, Attributes, Days, Frequency, Since, TimeOfDay};
use super::clock::Hlc;
use super::geometry::{self, GeometryError};
use super::taxonomy::{Category, MarkKind};
use super::Bilingual;

/// Longest free-text description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// Longest alias accepted, in characters: a nickname, never a full name and address.
pub const MAX_ALIAS_CHARS: usize = 40;
/// Marks are dated from 2020-01-01 to 2100-01-01 (milliseconds since the Unix epoch);
/// anything outside is a broken device clock or a forged request.
pub(crate) const MIN_CREATED_MS: i64 = 1_577_836_800_000;
pub(crate) const MAX_CREATED_MS: i64 = 4_102_444_800_000;

pub(crate) fn first_version() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// Made on the device (UUID v7), so the same mark sent twice is recognised.
    pub id: Uuid,
    pub barrio_id: i64,
    pub category: String,
    pub geometry: geojson::Geometry,
    #[serde(default)]
    pub description: String,
    /// When the participant made it, by the device clock, in milliseconds since the epoch.
    pub created_at_ms: i64,
    /// Who drew it, by the alias they chose on the device ("¿Quién está dibujando?"); empty
    /// when nobody said. Never a real name by design: participants are known only by alias.
    #[serde(default)]
    pub alias: String,
    /// When, how often, since when and whom it affects.
    #[serde(default)]
    pub attributes: Attributes,
    /// 1 when drawn; each edit (and the deletion) makes the next version. Every version is
    /// kept: on the device until sent, on the server for good.
    #[serde(default = "first_version")]
    pub version: u32,
    /// When this version was made (device clock, ms); 0 for a first version never edited.
    #[serde(default)]
    pub updated_at_ms: i64,
    /// A tombstone: the mark was deleted. It stays, with its last geometry, so the deletion
    /// syncs and history shows what was there.
    #[serde(default)]
    pub deleted: bool,
    /// The workshop (taller) it was drawn in, for good; none when drawn outside one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop_id: Option<Uuid>,
    /// When this version was made, on the hybrid logical clock that picks the current version
    /// among concurrent ones; none for versions from before devices kept a clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hlc: Option<Hlc>,
}

/// The `properties` member of a mark Feature. Unknown members are refused so that a typo
/// ("categoria") is reported instead of silently dropped.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkProperties {
    barrio_id: i64,
    category: String,
    #[serde(default)]
    description: String,
    created_at_ms: i64,
    #[serde(default)]
    alias: String,
    #[serde(default)]
    times: Vec<TimeOfDay>,
    #[serde(default)]
    days: Vec<Days>,
    #[serde(default)]
    frequency: Option<Frequency>,
    #[serde(default)]
    since: Option<Since>,
    #[serde(default)]
    affected: Vec<Affected>,
    #[serde(default)]
    confirms: Option<Uuid>,
    #[serde(default = "first_version")]
    version: u32,
    #[serde(default)]
    updated_at_ms: i64,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    workshop_id: Option<Uuid>,
    #[serde(default)]
    hlc: Option<Hlc>,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum MarkError {
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the body is not a GeoJSON Feature: {0}")]
    NotAFeature(String),
    #[error("the feature has no id; send the mark's UUID as the feature id")]
    MissingId,
    #[error("the feature id {0:?} is not a UUID")]
    InvalidId(String),
    #[error("the feature has no geometry")]
    MissingGeometry,
    #[error("invalid geometry: {0}")]
    Geometry(#[from] GeometryError),
    #[error("invalid properties: {0}")]
    InvalidProperties(String),
    #[error("unknown category {0:?}")]
    UnknownCategory(String),
    #[error("the description has {0} characters, more than the {MAX_DESCRIPTION_CHARS} allowed")]
    DescriptionTooLong(usize),
    /// The member (a text of the mark) holding a control character other than a line break
    /// or a tab.
    #[error("the {0} has control characters; only line breaks and tabs are allowed")]
    ControlCharacters(&'static str),
    #[error("created_at_ms {0} is not a date between 2020 and 2100")]
    CreatedAtOutOfRange(i64),
    #[error("the alias has {0} characters, more than the {MAX_ALIAS_CHARS} allowed")]
    AliasTooLong(usize),
    #[error("the alias has control characters or spaces at its ends")]
    AliasInvalid,
    #[error("version must be 1 or more")]
    InvalidVersion,
    #[error("updated_at_ms {0} is before the mark was made or not a date before 2100")]
    UpdatedAtOutOfRange(i64),
    #[error("a list of attributes repeats a choice or is out of order")]
    AttributesNotCanonical,
    #[error("a mark cannot confirm itself")]
    ConfirmsItself,
}

impl MarkError {
    /// The member of the Feature the error is about, so a form can show it beside the input.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            MarkError::MalformedJson(_) | MarkError::NotAFeature(_) => None,
            MarkError::MissingId | MarkError::InvalidId(_) => Some("id"),
            MarkError::MissingGeometry | MarkError::Geometry(_) => Some("geometry"),
            MarkError::InvalidProperties(_) => Some("properties"),
            MarkError::UnknownCategory(_) => Some("properties.category"),
            MarkError::DescriptionTooLong(_) | MarkError::ControlCharacters("description") => Some("properties.description"),
            MarkError::ControlCharacters(_) => Some("properties"),
            MarkError::CreatedAtOutOfRange(_) => Some("properties.created_at_ms"),
            MarkError::AliasTooLong(_) | MarkError::AliasInvalid => Some("properties.alias"),
            MarkError::InvalidVersion => Some("properties.version"),
            MarkError::UpdatedAtOutOfRange(_) => Some("properties.updated_at_ms"),
            MarkError::AttributesNotCanonical => Some("properties"),
            MarkError::ConfirmsItself => Some("properties.confirms"),
        }
    }

    /// A stable machine-readable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            MarkError::MalformedJson(_) => "malformed_json",
            MarkError::NotAFeature(_) => "not_a_feature",
            MarkError::MissingId => "missing_id",
            MarkError::InvalidId(_) => "invalid_id",
            MarkError::MissingGeometry => "missing_geometry",
            MarkError::Geometry(g) => g.code(),
            MarkError::InvalidProperties(_) => "invalid_properties",
            MarkError::UnknownCategory(_) => "unknown_category",
            MarkError::DescriptionTooLong(_) => "description_too_long",
            MarkError::ControlCharacters(_) => "control_characters",
            MarkError::CreatedAtOutOfRange(_) => "created_at_out_of_range",
            MarkError::AliasTooLong(_) => "alias_too_long",
            MarkError::AliasInvalid => "alias_invalid",
            MarkError::InvalidVersion => "invalid_version",
            MarkError::UpdatedAtOutOfRange(_) => "updated_at_out_of_range",
            MarkError::AttributesNotCanonical => "attributes_not_canonical",
            MarkError::ConfirmsItself => "confirms_itself",
        }
    }
}

impl Bilingual for MarkError {
    fn es(&self) -> String {
        match self {
            MarkError::MalformedJson(d) => format!("El cuerpo no es JSON válido: {d}."),
            MarkError::NotAFeature(d) => format!("El cuerpo no es un Feature GeoJSON: {d}."),
            MarkError::MissingId => "El Feature no tiene «id»: envíe el UUID de la marca como id.".into(),
            MarkError::InvalidId(id) => format!("El id «{id}» no es un UUID."),
            MarkError::MissingGeometry => "El Feature no tiene geometría.".into(),
            MarkError::Geometry(g) => g.es(),
            MarkError::InvalidProperties(d) => format!("Las propiedades no son válidas: {d}."),
            MarkError::UnknownCategory(c) => format!("La categoría «{c}» no existe."),
            MarkError::DescriptionTooLong(n) => {
                format!("La descripción tiene {n} caracteres; el máximo es {MAX_DESCRIPTION_CHARS}.")
            }
            MarkError::ControlCharacters(member) => {
                let what = if *member == "description" { "La descripción".to_string() } else { format!("El campo «{member}»") };
                format!("{what} tiene caracteres de control (invisibles); solo se admiten saltos de línea y tabulaciones.")
            }
            MarkError::CreatedAtOutOfRange(t) => {
                format!("La fecha de creación {t} no está entre 2020 y 2100.")
            }
            MarkError::AliasTooLong(n) => {
                format!("El alias tiene {n} caracteres; el máximo es {MAX_ALIAS_CHARS}.")
            }
            MarkError::AliasInvalid => "El alias no puede tener caracteres de control ni espacios al principio o al final.".into(),
            MarkError::InvalidVersion => "La versión debe ser 1 o mayor.".into(),
            MarkError::UpdatedAtOutOfRange(t) => {
                format!("La fecha de edición {t} es anterior a la marca o posterior a 2100.")
            }
            MarkError::AttributesNotCanonical => "Una lista de atributos repite una opción o no está en orden.".into(),
            MarkError::ConfirmsItself => "Una marca no puede confirmarse a sí misma.".into(),
        }
    }
    fn en(&self) -> String {
        match self {
            MarkError::Geometry(g) => g.en(),
            other => super::sentence(other),
        }
    }
}

impl Mark {
    /// Parses and validates a mark sent as a GeoJSON Feature (the body of `POST /api/v1/marks`).
    /// Checks structure, id, geometry (RFC 7946, ranges, self-intersection) and properties;
    /// it cannot know whether the barrio exists, which is the store's job.
    pub fn from_feature_json(body: &[u8]) -> Result<Mark, MarkError> {
        let value: Json = serde_json::from_slice(body).map_err(|e| MarkError::MalformedJson(e.to_string()))?;
        Mark::from_feature_value(value)
    }

    /// [`Mark::from_feature_json`] for a Feature already parsed as JSON (a change in a batch).
    pub fn from_feature_value(value: Json) -> Result<Mark, MarkError> {
        let feature = geojson::Feature::from_json_value(value).map_err(|e| MarkError::NotAFeature(e.to_string()))?;
        let id = match &feature.id {
            None => return Err(MarkError::MissingId),
            Some(geojson::feature::Id::String(s)) => Uuid::parse_str(s).map_err(|_| MarkError::InvalidId(s.clone()))?,
            Some(geojson::feature::Id::Number(n)) => return Err(MarkError::InvalidId(n.to_string())),
        };
        let geometry = feature.geometry.ok_or(MarkError::MissingGeometry)?;
        geometry::validate(&geometry)?;
        let props: MarkProperties = serde_json::from_value(Json::Object(feature.properties.unwrap_or_default()))
            .map_err(|e| MarkError::InvalidProperties(e.to_string()))?;
        let mark = Mark {
            id,
            barrio_id: props.barrio_id,
            category: props.category,
            geometry,
            description: props.description,
            created_at_ms: props.created_at_ms,
            alias: props.alias,
            attributes: Attributes {
                times: props.times,
                days: props.days,
                frequency: props.frequency,
                since: props.since,
                affected: props.affected,
                confirms: props.confirms,
            },
            version: props.version,
            updated_at_ms: props.updated_at_ms,
            deleted: props.deleted,
            workshop_id: props.workshop_id,
            hlc: props.hlc,
        };
        mark.check_properties()?;
        Ok(mark)
    }

    /// The checks that do not depend on the wire format; the device runs them before saving.
    pub fn check_properties(&self) -> Result<(), MarkError> {
        if Category::by_code(&self.category).is_none() {
            return Err(MarkError::UnknownCategory(self.category.clone()));
        }
        let chars = self.description.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            return Err(MarkError::DescriptionTooLong(chars));
        }
        if has_control_characters(&self.description) {
            return Err(MarkError::ControlCharacters("description"));
        }
        if !(MIN_CREATED_MS..MAX_CREATED_MS).contains(&self.created_at_ms) {
            return Err(MarkError::CreatedAtOutOfRange(self.created_at_ms));
        }
        if self.version == 0 {
            return Err(MarkError::InvalidVersion);
        }
        if self.updated_at_ms != 0 && !(self.created_at_ms..MAX_CREATED_MS).contains(&self.updated_at_ms) {
            return Err(MarkError::UpdatedAtOutOfRange(self.updated_at_ms));
        }
        if !self.attributes.is_canonical() {
            return Err(MarkError::AttributesNotCanonical);
        }
        if self.attributes.confirms == Some(self.id) {
            return Err(MarkError::ConfirmsItself);
        }
        check_alias(&self.alias)
    }

    /// The category's kind (problem, protective factor, actor), if the category is known.
    pub fn kind(&self) -> Option<MarkKind> {
        Category::by_code(&self.category).map(|c| c.kind)
    }

    /// The next version of this mark, made at `now_ms`: what an edit saves.
    pub fn next_version(&self, now_ms: i64) -> Mark {
        let mut next = self.clone();
        next.version = self.version + 1;
        next.updated_at_ms = now_ms.max(self.created_at_ms);
        next
    }

    /// Whether two versions say the same thing (ignoring version numbers and dates).
    pub fn same_content(&self, other: &Mark) -> bool {
        let strip = |m: &Mark| Mark { version: 1, updated_at_ms: 0, hlc: None, ..m.clone() };
        strip(self) == strip(other)
    }

    /// The mark as a GeoJSON Feature, the inverse of [`Mark::from_feature_json`].
    pub fn to_feature(&self) -> geojson::Feature {
        let mut properties = Map::new();
        properties.insert("barrio_id".into(), Json::from(self.barrio_id));
        properties.insert("category".into(), Json::from(self.category.clone()));
        properties.insert("description".into(), Json::from(self.description.clone()));
        properties.insert("created_at_ms".into(), Json::from(self.created_at_ms));
        properties.insert("alias".into(), Json::from(self.alias.clone()));
        let a = &self.attributes;
        // Attributes sit beside the other properties, so a GIS shows them as columns.
        let to_json = |v: serde_json::Result<Json>| v.unwrap_or(Json::Null);
        properties.insert("times".into(), to_json(serde_json::to_value(&a.times)));
        properties.insert("days".into(), to_json(serde_json::to_value(&a.days)));
        properties.insert("frequency".into(), to_json(serde_json::to_value(a.frequency)));
        properties.insert("since".into(), to_json(serde_json::to_value(a.since)));
        properties.insert("affected".into(), to_json(serde_json::to_value(&a.affected)));
        if let Some(c) = a.confirms {
            properties.insert("confirms".into(), Json::from(c.to_string()));
        }
        properties.insert("version".into(), Json::from(self.version));
        properties.insert("updated_at_ms".into(), Json::from(self.updated_at_ms));
        properties.insert("deleted".into(), Json::from(self.deleted));
        if let Some(w) = self.workshop_id {
            properties.insert("workshop_id".into(), Json::from(w.to_string()));
        }
        if let Some(h) = &self.hlc {
            properties.insert("hlc".into(), Json::from(h.to_string()));
        }
        geojson::Feature {
            bbox: None,
            geometry: Some(self.geometry.clone()),
            id: Some(geojson::feature::Id::String(self.id.to_string())),
            properties: Some(properties),
            foreign_members: None,
        }
    }

    /// The mark's position as `(lon, lat)` when it is a point.
    pub fn point(&self) -> Option<(f64, f64)> {
        match &self.geometry.value {
            geojson::Value::Point(p) if p.len() >= 2 => Some((p[0], p[1])),
            _ => None,
        }
    }

    /// Whether the mark's geometry lies within `bbox` (`[min_lon, min_lat, max_lon, max_lat]`)
    /// grown by `margin_deg` on every side.
    pub fn lies_near(&self, bbox: [f64; 4], margin_deg: f64) -> bool {
        use geo::BoundingRect;
        let Ok(geo) = geo::Geometry::<f64>::try_from(self.geometry.value.clone()) else {
            return false;
        };
        let Some(r) = geo.bounding_rect() else {
            return false;
        };
        let [x0, y0, x1, y1] = bbox;
        r.min().x >= x0 - margin_deg && r.max().x <= x1 + margin_deg && r.min().y >= y0 - margin_deg && r.max().y <= y1 + margin_deg
    }

    /// A new point mark, made on the device.
    pub fn new_point(id: Uuid, barrio_id: i64, category: &str, lon: f64, lat: f64, created_at_ms: i64) -> Mark {
        Mark {
            id,
            barrio_id,
            category: category.to_string(),
            geometry: geojson::Geometry::new(geojson::Value::Point(vec![lon, lat])),
            description: String::new(),
            created_at_ms,
            alias: String::new(),
            attributes: Attributes::default(),
            version: 1,
            updated_at_ms: 0,
            deleted: false,
            workshop_id: None,
            hlc: None,
        }
    }

    /// A new line (ruta) or polygon (zona) mark, made on the device.
    pub fn new_shape(id: Uuid, barrio_id: i64, category: &str, geometry: geojson::Geometry, created_at_ms: i64) -> Mark {
        Mark { geometry, ..Mark::new_point(id, barrio_id, category, 0.0, 0.0, created_at_ms) }
    }

    /// A representative position: the point itself, the middle vertex of a line, the
    /// centroid of a zone. Where the map centres on the mark and links attach to it.
    pub fn anchor(&self) -> Option<(f64, f64)> {
        use geo::Centroid;
        match &self.geometry.value {
            geojson::Value::Point(p) if p.len() >= 2 => Some((p[0], p[1])),
            geojson::Value::LineString(l) if !l.is_empty() => l.get(l.len() / 2).filter(|p| p.len() >= 2).map(|p| (p[0], p[1])),
            _ => {
                let geo = geo::Geometry::<f64>::try_from(self.geometry.value.clone()).ok()?;
                geo.centroid().map(|c| (c.x(), c.y()))
            }
        }
    }

    /// The same mark, drawn by `alias`.
    pub fn by(mut self, alias: &str) -> Mark {
        self.alias = alias.to_string();
        self
    }

    /// Whether device `node` made the mark's current version, so that it may change it.
    pub fn made_on(&self, node: &str) -> bool {
        super::clock::made_on(self.hlc.as_ref(), node)
    }

    /// "Yo también lo he visto": a new mark `id` of one's own, at `original`'s place and of its
    /// category, that confirms it. Nothing else is copied: the answers and words are the
    /// confirming person's to give (the original's alias and description are someone else's).
    pub fn confirming(original: &Mark, id: Uuid, created_at_ms: i64) -> Mark {
        let mut mark = Mark::new_shape(id, original.barrio_id, &original.category, original.geometry.clone(), created_at_ms);
        mark.attributes.confirms = Some(original.id);
        mark
    }
}

/// Whether `text` holds a control character other than a line break or a tab. Invisible on
/// screen, such characters still reach the CSV and GeoPackage exports (a NUL cuts a string
/// short in GDAL and QGIS), so no text of a record may hold one.
pub fn has_control_characters(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// An alias is a short nickname: at most [`MAX_ALIAS_CHARS`], no control characters, no
/// spaces at the ends (so "Ana" and "Ana " are not two people). Empty means nobody said.
pub fn check_alias(alias: &str) -> Result<(), MarkError> {
    let chars = alias.chars().count();
    if chars > MAX_ALIAS_CHARS {
        return Err(MarkError::AliasTooLong(chars));
    }
    if alias.chars().any(char::is_control) || alias.trim() != alias {
        return Err(MarkError::AliasInvalid);
    }
    Ok(())
}

/// The marks as the map draws them: a "+1" (a mark that confirms another live mark of the
/// list) is not drawn on top of the one it confirms, which instead carries how many people
/// joined it. A +1 whose original is gone stands alone. Cost: linear in the marks, and no
/// mark is copied.
pub fn fold_confirmations(marks: &[Mark]) -> Vec<(&Mark, usize)> {
    let live: std::collections::HashSet<Uuid> = marks.iter().filter(|m| !m.deleted).map(|m| m.id).collect();
    let mut joined: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
    for m in marks.iter().filter(|m| !m.deleted) {
        if let Some(original) = m.attributes.confirms.filter(|o| live.contains(o) && *o != m.id) {
            *joined.entry(original).or_default() += 1;
        }
    }
    marks
        .iter()
        .filter(|m| !m.deleted)
        .filter(|m| !m.attributes.confirms.is_some_and(|o| live.contains(&o) && o != m.id))
        .map(|m| (m, joined.get(&m.id).copied().unwrap_or(0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plus_one_is_folded_into_the_mark_it_confirms() {
        let original = Mark::new_point(Uuid::from_u128(1), 1, "rinas", -74.2, 11.2, 1_764_000_000_000);
        let first = Mark::confirming(&original, Uuid::from_u128(2), 1_764_000_000_001);
        let second = Mark::confirming(&original, Uuid::from_u128(3), 1_764_000_000_002);
        let mut gone = Mark::new_point(Uuid::from_u128(4), 1, "rinas", -74.21, 11.2, 1_764_000_000_000);
        let orphan = Mark::confirming(&gone, Uuid::from_u128(5), 1_764_000_000_003);
        gone.deleted = true;
        let marks = [original.clone(), first, second, gone, orphan.clone()];
        let shown = fold_confirmations(&marks);
        let ids: Vec<(Uuid, usize)> = shown.iter().map(|(m, n)| (m.id, *n)).collect();
        assert_eq!(ids, vec![(original.id, 2), (orphan.id, 0)], "two joined the fight; the orphan +1 stands alone");
    }

    const ID: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    fn feature(geometry: &str, properties: &str) -> String {
        format!(r#"{{"type":"Feature","id":"{ID}","geometry":{geometry},"properties":{properties}}}"#)
    }

    fn good_props() -> &'static str {
        r#"{"barrio_id":7,"category":"hurto_personas","description":"de noche","created_at_ms":1764000000000}"#
    }

    #[test]
    fn a_valid_point_feature_parses_into_a_mark() {
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, good_props());
        let mark = Mark::from_feature_json(body.as_bytes()).unwrap();
        assert_eq!(mark.id.to_string(), ID);
        assert_eq!(mark.barrio_id, 7);
        assert_eq!(mark.category, "hurto_personas");
        assert_eq!(mark.point(), Some((-74.2, 11.24)));
    }

    #[test]
    fn to_feature_round_trips() {
        let mark = Mark::new_point(Uuid::parse_str(ID).unwrap(), 3, "rinas", -74.21, 11.23, 1_764_000_000_000);
        let json = serde_json::to_vec(&mark.to_feature()).unwrap();
        assert_eq!(Mark::from_feature_json(&json).unwrap(), mark);
    }

    impl Mark {
        fn stamped_for_test(mut self, node: &str) -> Mark {
            self.hlc = Some(crate::model::Hlc::tick(None, self.created_at_ms, node));
            self
        }
    }

    #[test]
    fn a_confirmation_is_a_mark_of_its_own_at_the_same_place_that_names_the_original() {
        let shape = geojson::Geometry::new(geojson::Value::LineString(vec![vec![-74.21, 11.23], vec![-74.2, 11.231]]));
        let mut original = Mark::new_shape(Uuid::parse_str(ID).unwrap(), 3, "rinas", shape, 1_764_000_000_000).by("Vecina de la 5");
        original.description = "Pelean los sábados".into();
        original.attributes.times = vec![TimeOfDay::Night];
        let plus_one = Mark::confirming(&original, Uuid::from_u128(9), 1_764_000_100_000).by("Don Tito");
        assert_eq!((plus_one.category.as_str(), &plus_one.geometry, plus_one.barrio_id), ("rinas", &original.geometry, 3));
        assert_eq!(plus_one.attributes, Attributes { confirms: Some(original.id), ..Attributes::default() }, "the answers are the confirmer's own");
        assert_eq!((plus_one.description.as_str(), plus_one.alias.as_str(), plus_one.version), ("", "Don Tito", 1));
        let json = serde_json::to_vec(&plus_one.to_feature()).unwrap();
        assert_eq!(Mark::from_feature_json(&json).unwrap(), plus_one, "the link travels on the wire");
        let mine = plus_one.clone().stamped_for_test("movil-b");
        assert!(mine.made_on("movil-b") && !mine.made_on("movil-a"));
        assert!(plus_one.made_on("movil-a"), "a version never stamped was saved on this device");
        let legacy = Mark { hlc: Some(crate::model::Hlc::legacy(plus_one.created_at_ms, 0, 1)), ..plus_one.clone() };
        assert!(!legacy.made_on("movil-b"), "no device in the clock: not provably this one's");
        let mut itself = plus_one.clone();
        itself.attributes.confirms = Some(itself.id);
        assert_eq!(itself.check_properties(), Err(MarkError::ConfirmsItself));
    }

    #[test]
    fn the_alias_travels_with_the_mark_and_old_marks_have_none() {
        let mark = Mark::new_point(Uuid::parse_str(ID).unwrap(), 3, "rinas", -74.21, 11.23, 1_764_000_000_000).by("Vecina de la 5");
        let json = serde_json::to_vec(&mark.to_feature()).unwrap();
        assert_eq!(Mark::from_feature_json(&json).unwrap().alias, "Vecina de la 5");
        let old = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, good_props());
        assert_eq!(Mark::from_feature_json(old.as_bytes()).unwrap().alias, "");
        // A mark kept on a device by an older version has no alias member either.
        let stored = r#"{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","barrio_id":1,"category":"rinas","geometry":{"type":"Point","coordinates":[0.0,0.0]},"created_at_ms":1764000000000}"#;
        assert_eq!(serde_json::from_str::<Mark>(stored).unwrap().alias, "");
    }

    #[test]
    fn aliases_are_short_nicknames() {
        assert!(check_alias("").is_ok());
        assert!(check_alias("Doña Rosa 👵").is_ok());
        assert_eq!(check_alias(&"x".repeat(41)), Err(MarkError::AliasTooLong(41)));
        assert_eq!(check_alias(" Ana"), Err(MarkError::AliasInvalid));
        assert_eq!(check_alias("Ana\u{7}"), Err(MarkError::AliasInvalid));
        let mark = Mark::new_point(Uuid::nil(), 1, "rinas", -74.2, 11.24, 1_764_000_000_000).by(&"y".repeat(50));
        assert_eq!(mark.check_properties().unwrap_err().field(), Some("properties.alias"));
    }

    #[test]
    fn malformed_json_is_reported_as_such() {
        let err = Mark::from_feature_json(b"{\"type\": \"Feature\",").unwrap_err();
        assert_eq!(err.code(), "malformed_json");
        assert!(err.es().starts_with("El cuerpo no es JSON"));
    }

    #[test]
    fn a_feature_collection_is_not_a_mark() {
        let err = Mark::from_feature_json(br#"{"type":"FeatureCollection","features":[]}"#).unwrap_err();
        assert_eq!(err.code(), "not_a_feature");
    }

    #[test]
    fn a_missing_id_is_refused() {
        let body = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[-74.2,11.24]},"properties":{}}"#;
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err(), MarkError::MissingId);
    }

    #[test]
    fn a_numeric_id_is_refused() {
        let body = r#"{"type":"Feature","id":5,"geometry":{"type":"Point","coordinates":[-74.2,11.24]},"properties":{}}"#;
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err().code(), "invalid_id");
    }

    #[test]
    fn out_of_range_coordinates_are_refused() {
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,111.24]}"#, good_props());
        let err = Mark::from_feature_json(body.as_bytes()).unwrap_err();
        assert_eq!(err.code(), "invalid_geometry");
        assert_eq!(err.field(), Some("geometry"));
    }

    #[test]
    fn a_null_geometry_is_refused() {
        let body = feature("null", good_props());
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err(), MarkError::MissingGeometry);
    }

    #[test]
    fn an_unknown_category_is_refused() {
        let props = r#"{"barrio_id":7,"category":"ovnis","created_at_ms":1764000000000}"#;
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, props);
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err(), MarkError::UnknownCategory("ovnis".into()));
    }

    #[test]
    fn a_barrio_id_of_the_wrong_type_is_refused() {
        let props = r#"{"barrio_id":"siete","category":"rinas","created_at_ms":1764000000000}"#;
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, props);
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err().code(), "invalid_properties");
    }

    #[test]
    fn a_misspelt_property_is_refused_not_dropped() {
        let props = r#"{"barrio_id":7,"categoria":"rinas","category":"rinas","created_at_ms":1764000000000}"#;
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, props);
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err().code(), "invalid_properties");
    }

    #[test]
    fn a_description_over_the_limit_is_refused() {
        let long = "a".repeat(MAX_DESCRIPTION_CHARS + 1);
        let props = format!(r#"{{"barrio_id":7,"category":"rinas","description":"{long}","created_at_ms":1764000000000}}"#);
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, &props);
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err(), MarkError::DescriptionTooLong(2001));
    }

    #[test]
    fn a_description_with_a_nul_or_another_control_character_is_refused() {
        let mark = |description: &str| Mark {
            description: description.into(),
            ..Mark::new_point(Uuid::nil(), 1, "rinas", -74.2, 11.24, 1_764_000_000_000)
        };
        assert!(mark("de noche,\n\tsobre todo los viernes").check_properties().is_ok());
        for bad in ["de\u{0}noche", "\u{1b}[31mrojo", "fin\r", "\u{7f}", "\u{85}"] {
            let err = mark(bad).check_properties().unwrap_err();
            assert_eq!(err, MarkError::ControlCharacters("description"), "{bad:?}");
            assert_eq!((err.code(), err.field()), ("control_characters", Some("properties.description")));
        }
        let err = MarkError::ControlCharacters("description");
        assert!(err.es().starts_with("La descripción tiene caracteres de control"), "{}", err.es());
        assert_eq!(err.en(), "The description has control characters; only line breaks and tabs are allowed.");
        // As it arrives on the wire, JSON-escaped.
        let props = r#"{"barrio_id":7,"category":"rinas","description":"a\u0000b","created_at_ms":1764000000000}"#;
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, props);
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err().code(), "control_characters");
    }

    #[test]
    fn a_date_from_1970_is_refused() {
        let props = r#"{"barrio_id":7,"category":"rinas","created_at_ms":0}"#;
        let body = feature(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#, props);
        assert_eq!(Mark::from_feature_json(body.as_bytes()).unwrap_err().code(), "created_at_out_of_range");
    }

    #[test]
    fn a_mark_is_near_its_barrio_only_within_the_margin() {
        let mark = Mark::new_point(Uuid::nil(), 1, "rinas", -74.20, 11.24, 1_764_000_000_000);
        let bbox = [-74.21, 11.23, -74.205, 11.235];
        assert!(!mark.lies_near(bbox, 0.001));
        assert!(mark.lies_near(bbox, 0.01));
    }

    #[test]
    fn every_error_has_both_languages() {
        let errors = [
            MarkError::MissingId,
            MarkError::MissingGeometry,
            MarkError::UnknownCategory("x".into()),
            MarkError::Geometry(GeometryError::EmptyPolygon),
        ];
        for e in errors {
            assert!(!e.es().is_empty() && !e.en().is_empty());
            assert_ne!(e.es(), e.en());
        }
    }
}

/// Property tests: whatever a device can make, the wire and the device store carry unchanged;
/// whatever breaks a rule is refused, never stored half-way.
#[cfg(test)]
mod properties {
    use super::*;
    use crate::model::CATEGORIES;
    use proptest::prelude::*;

    fn alias() -> impl Strategy<Value = String> {
        // Nicknames as people write them: letters with accents, digits, inner spaces, emoji.
        proptest::string::string_regex(
            "([A-Za-zÁÉÍÓÚáéíóúÑñü0-9👵🏽.'-]([A-Za-zÁÉÍÓÚáéíóúÑñü0-9 👵🏽.'-]{0,38}[A-Za-zÁÉÍÓÚáéíóúÑñü0-9👵🏽.'-])?)?",
        )
        .expect("regex")
    }

    /// What people type: any characters but the invisible control ones, line breaks and tabs
    /// included.
    fn description() -> impl Strategy<Value = String> {
        proptest::string::string_regex("([^\\p{Cc}]|\n|\t){0,200}").expect("regex")
    }

    fn valid_mark() -> impl Strategy<Value = Mark> {
        (
            any::<u128>(),
            1i64..100_000,
            0..CATEGORIES.len(),
            -180.0f64..=180.0,
            -90.0f64..=90.0,
            MIN_CREATED_MS..MAX_CREATED_MS,
            description(),
            alias(),
        )
            .prop_map(|(id, barrio, cat, lon, lat, created, description, alias)| {
                let mut m = Mark::new_point(Uuid::from_u128(id), barrio, CATEGORIES[cat].code, lon, lat, created).by(&alias);
                m.description = description;
                m
            })
    }

    proptest! {
        #[test]
        fn a_valid_mark_round_trips_through_geojson_unchanged(mark in valid_mark()) {
            prop_assert!(mark.check_properties().is_ok());
            let wire = serde_json::to_vec(&mark.to_feature()).unwrap();
            prop_assert_eq!(Mark::from_feature_json(&wire).unwrap(), mark.clone());
            // And through the device store's form (serde of the struct itself).
            let stored = serde_json::to_string(&mark).unwrap();
            prop_assert_eq!(serde_json::from_str::<Mark>(&stored).unwrap(), mark);
        }

        #[test]
        fn coordinates_out_of_range_are_refused(mark in valid_mark(), lon in 180.0001f64..1e7, lat in 90.0001f64..1e7, flip in any::<bool>()) {
            let mut m = mark;
            m.geometry = geojson::Geometry::new(geojson::Value::Point(if flip { vec![lon, 0.0] } else { vec![0.0, lat] }));
            let wire = serde_json::to_vec(&m.to_feature()).unwrap();
            prop_assert_eq!(Mark::from_feature_json(&wire).unwrap_err().code(), "invalid_geometry");
        }

        #[test]
        fn long_or_padded_aliases_are_refused(mark in valid_mark(), long in "[a-z]{41,80}", core in "[a-z]{1,10}", pad in prop_oneof![Just(" "), Just("\t"), Just("\n")]) {
            let too_long = mark.clone().by(&long);
            prop_assert_eq!(too_long.check_properties().unwrap_err().code(), "alias_too_long");
            let padded = mark.by(&format!("{pad}{core}"));
            prop_assert_eq!(padded.check_properties().unwrap_err().code(), "alias_invalid");
        }

        #[test]
        fn a_control_character_anywhere_in_a_description_is_refused(mark in valid_mark(), control in "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]", at in any::<prop::sample::Index>()) {
            let mut m = mark;
            let chars: Vec<char> = m.description.chars().collect();
            let at = at.index(chars.len() + 1);
            m.description = chars[..at].iter().chain(control.chars().collect::<Vec<_>>().iter()).chain(&chars[at..]).collect();
            prop_assert_eq!(m.check_properties(), Err(MarkError::ControlCharacters("description")));
        }

        #[test]
        fn unknown_categories_are_refused(mark in valid_mark(), code in "[a-z_]{1,30}") {
            prop_assume!(Category::by_code(&code).is_none());
            let mut m = mark;
            m.category = code;
            prop_assert_eq!(m.check_properties().unwrap_err().code(), "unknown_category");
        }
    }
}
