//! Reading a JSON request body, the same for every POST of the API: the size limit, the
//! content type, and JSON that means one thing only.

use std::collections::HashSet;
use std::fmt;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::ApiError;

/// The body, if it was read whole within `limit`, its content type says JSON
/// (`application/json` or `application/geo+json`, parameters such as `charset` allowed), and
/// no object in it names a member twice.
pub fn json_body(headers: &HeaderMap, body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    let body = body.map_err(|r| ApiError::from_body_rejection(r, limit))?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !matches!(media_type.as_str(), "application/json" | "application/geo+json") {
        return Err(ApiError::UnsupportedMediaType);
    }
    no_duplicate_members(&body).map_err(ApiError::MalformedBody)?;
    Ok(body)
}

/// Refuses JSON in which an object names a member twice: parsers disagree on which one counts
/// (serde keeps the last, others the first), so such a body could mean one thing to the
/// check and another to the store — an `id` above all. Malformed JSON passes here and is
/// refused, with its own message, by the reader of the body. One pass, no values kept.
pub fn no_duplicate_members(json: &[u8]) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_slice(json);
    match UniqueMembers.deserialize(&mut de) {
        Ok(()) => Ok(()),
        Err(e) if e.is_syntax() || e.is_eof() => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

struct UniqueMembers;

impl<'de> DeserializeSeed<'de> for UniqueMembers {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueMembers {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(UniqueMembers)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                let key: String = key.chars().take(40).collect();
                return Err(serde::de::Error::custom(format!("an object names the member {key:?} twice")));
            }
            seen.insert(key);
            map.next_value_seed(UniqueMembers)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_named_twice_is_refused_at_any_depth() {
        assert!(no_duplicate_members(br#"{"id": 1, "a": [{"b": 1}, {"b": 2}]}"#).is_ok());
        assert!(no_duplicate_members(br#"{"id": 1, "id": 2}"#).is_err());
        assert!(no_duplicate_members(br#"{"changes": [{"record": {"properties": {"x": 1, "x": 1}}}]}"#).is_err());
        assert!(no_duplicate_members(br#"{"a": "#).is_ok(), "malformed JSON is left to the reader, which says why");
    }

    #[test]
    fn only_json_content_types_are_taken() {
        let read = |ct: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(ct) = ct {
                headers.insert(header::CONTENT_TYPE, ct.parse().unwrap());
            }
            json_body(&headers, Ok(Bytes::from_static(b"{}")), 100).map(|_| ())
        };
        assert!(read(Some("application/json")).is_ok());
        assert!(read(Some("Application/JSON; charset=utf-8")).is_ok());
        assert!(read(Some("application/geo+json")).is_ok());
        for ct in [None, Some("text/plain"), Some("application/jsonx"), Some("application/json-seq"), Some("")] {
            assert!(matches!(read(ct), Err(ApiError::UnsupportedMediaType)), "{ct:?}");
        }
    }
}
