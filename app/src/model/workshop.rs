//! Workshops (talleres): what a facilitator fills in, the short code participants join
//! with, and how long that code stays valid.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::barrio::BarrioSummary;
use super::Bilingual;

/// Join codes use digits and capitals that cannot be mistaken for one another when read
/// aloud or copied from a board (no 0/O, 1/I/L).
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 6;
/// A code works from when the workshop is created until the end of this many days after
/// the workshop's date (Colombian time): long enough for a follow-up session, short enough
/// that an old code on a photo of the board stops working.
pub const CODE_VALID_DAYS: i64 = 7;
pub const MAX_WORKSHOP_TEXT_CHARS: usize = 80;
/// Colombia is UTC−5 all year (no daylight saving).
const COLOMBIA_OFFSET_MS: i64 = -5 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// What the facilitator fills in to prepare a workshop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopDraft {
    pub barrio_id: i64,
    /// The day it takes place, `YYYY-MM-DD`.
    pub date: String,
    /// Where (salón comunal, colegio…).
    #[serde(default)]
    pub place: String,
    /// The barrio's security committee (CBSC) running it.
    pub cbsc: String,
    pub facilitator: String,
}

/// A workshop as the server stores it and the devices receive it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workshop {
    pub id: Uuid,
    pub barrio_id: i64,
    pub date: String,
    pub place: String,
    pub cbsc: String,
    pub facilitator: String,
    /// Six characters of [`CODE_ALPHABET`], shown as `ABC-234`.
    pub join_code: String,
    /// Until when (ms since the epoch) the code lets devices join.
    pub code_expires_at_ms: i64,
    pub created_at_ms: i64,
    /// When a facilitator closed it: its devices' tokens stop working then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at_ms: Option<i64>,
    /// Whether participants' devices get the other participants' marks of sensitive
    /// categories (the facilitator decides; off by default).
    #[serde(default)]
    pub share_sensitive: bool,
}

/// What joining by code gives a device: the workshop and its barrio, from which it fetches
/// the barrio pack and the workshop's marks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinReply {
    pub workshop: Workshop,
    pub barrio: BarrioSummary,
    /// The device's token for this workshop (`Authorization: Bearer`), valid until it closes.
    #[serde(default)]
    pub token: String,
}

/// `POST /api/v1/join/{code}`: the device asking to join, whose token it will be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub device_id: Uuid,
}

/// `POST /api/v1/workshops/{id}/settings`: what a facilitator may change in a running workshop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopSettings {
    pub share_sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum WorkshopError {
    #[error("the date {0:?} is not a day written YYYY-MM-DD between 2020 and 2100")]
    InvalidDate(String),
    #[error("{field} has more than {MAX_WORKSHOP_TEXT_CHARS} characters")]
    TooLong { field: &'static str },
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{field} has control characters")]
    ControlCharacters { field: &'static str },
}

impl WorkshopError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkshopError::InvalidDate(_) => "invalid_date",
            WorkshopError::TooLong { .. } => "text_too_long",
            WorkshopError::Empty { .. } => "empty_text",
            WorkshopError::ControlCharacters { .. } => "control_characters",
        }
    }
    pub fn field(&self) -> &'static str {
        match self {
            WorkshopError::InvalidDate(_) => "date",
            WorkshopError::TooLong { field } | WorkshopError::Empty { field } | WorkshopError::ControlCharacters { field } => field,
        }
    }
}

fn field_es(field: &str) -> &'static str {
    match field {
        "place" => "El lugar",
        "cbsc" => "El nombre del CBSC",
        "facilitator" => "El nombre de quien facilita",
        _ => "El texto",
    }
}

impl Bilingual for WorkshopError {
    fn es(&self) -> String {
        match self {
            WorkshopError::InvalidDate(d) => {
                format!("La fecha «{d}» no es un día válido (AAAA-MM-DD, entre 2020 y 2100).")
            }
            WorkshopError::TooLong { field } => format!("{} tiene más de {MAX_WORKSHOP_TEXT_CHARS} caracteres.", field_es(field)),
            WorkshopError::Empty { field } => format!("{} no puede quedar vacío.", field_es(field)),
            WorkshopError::ControlCharacters { field } => {
                format!("{} tiene caracteres no permitidos.", field_es(field))
            }
        }
    }
    fn en(&self) -> String {
        super::sentence(self)
    }
}

impl WorkshopDraft {
    /// The draft with surrounding spaces trimmed, checked.
    pub fn checked(mut self) -> Result<WorkshopDraft, WorkshopError> {
        day_number(&self.date).ok_or_else(|| WorkshopError::InvalidDate(self.date.chars().take(40).collect()))?;
        for (field, text, required) in
            [("place", &mut self.place, false), ("cbsc", &mut self.cbsc, true), ("facilitator", &mut self.facilitator, true)]
        {
            *text = text.trim().to_string();
            if required && text.is_empty() {
                return Err(WorkshopError::Empty { field });
            }
            if text.chars().count() > MAX_WORKSHOP_TEXT_CHARS {
                return Err(WorkshopError::TooLong { field });
            }
            if text.chars().any(char::is_control) {
                return Err(WorkshopError::ControlCharacters { field });
            }
        }
        Ok(self)
    }

    /// When the join code stops working: the end of the [`CODE_VALID_DAYS`]th day after the
    /// workshop, Colombian time.
    pub fn code_expires_at_ms(&self) -> Option<i64> {
        let day = day_number(&self.date)?;
        Some((day + CODE_VALID_DAYS + 1) * DAY_MS - COLOMBIA_OFFSET_MS)
    }
}

/// The instant a Colombian day (`YYYY-MM-DD`) begins, in ms since the epoch.
pub fn colombia_midnight_ms(date: &str) -> Option<i64> {
    Some(day_number(date)? * DAY_MS - COLOMBIA_OFFSET_MS)
}

/// Year, month and day of a calendar date written `YYYY-MM-DD`, if it is one.
pub fn calendar_date(date: &str) -> Option<(i64, i64, i64)> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| date.get(r).filter(|s| s.bytes().all(|c| c.is_ascii_digit()))?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return None;
    }
    Some((y, m, d))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date between 2020 and 2100, if it is one.
pub fn day_number(date: &str) -> Option<i64> {
    let (y, m, d) = calendar_date(date).filter(|(y, _, _)| (2020..=2100).contains(y))?;
    // Days from civil (proleptic Gregorian), after Howard Hinnant's well-known derivation.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The date (`YYYY-MM-DD`) and the time (`HH:MM`) in Colombia (UTC−5, no daylight saving) at
/// `ms` since the epoch: the inverse of [`day_number`], after Hinnant's civil-from-days.
pub fn colombia_date_time(ms: i64) -> (String, String) {
    let local = ms + COLOMBIA_OFFSET_MS;
    let (days, rest) = (local.div_euclid(DAY_MS), local.rem_euclid(DAY_MS));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (format!("{y:04}-{m:02}-{d:02}"), format!("{:02}:{:02}", rest / 3_600_000, rest % 3_600_000 / 60_000))
}

/// A day written `YYYY-MM-DD` as Colombians read it, `DD/MM/YYYY`.
pub fn date_es(day: &str) -> String {
    match (day.get(0..4), day.get(5..7), day.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    }
}

/// A moment as a date and time of Santa Marta (UTC−5), e.g. "25/11/2026 10:30".
pub fn when_es(ms: i64) -> String {
    let (date, time) = colombia_date_time(ms);
    format!("{} {time}", date_es(&date))
}

/// A join code from random bytes (one character per byte; the slight bias of `% 31` does not
/// matter for a code that is also rate-limited and expires).
pub fn code_from_random(bytes: [u8; CODE_LEN]) -> String {
    bytes.iter().map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char).collect()
}

/// A code as a person typed it ("abc 234", "ABC-234") in its stored form, if it can be one.
/// Lower case, spaces and dashes are forgiven; letters that are not in codes are not guessed.
pub fn normalize_code(input: &str) -> Option<String> {
    let code: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A code as shown to people: two groups of three, easier to read aloud.
pub fn display_code(code: &str) -> String {
    match (code.get(..3), code.get(3..)) {
        (Some(a), Some(b)) if !b.is_empty() => format!("{a}-{b}"),
        _ => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> WorkshopDraft {
        WorkshopDraft {
            barrio_id: 1,
            date: "2026-11-28".into(),
            place: "  Salón comunal ".into(),
            cbsc: "CBSC Pescaíto".into(),
            facilitator: "Ana".into(),
        }
    }

    #[test]
    fn a_draft_is_trimmed_and_checked() {
        assert_eq!(draft().checked().map(|d| d.place), Ok("Salón comunal".to_string()));
        for (bad, code) in [
            (WorkshopDraft { date: "2026-02-30".into(), ..draft() }, "invalid_date"),
            (WorkshopDraft { date: "28/11/2026".into(), ..draft() }, "invalid_date"),
            (WorkshopDraft { cbsc: "   ".into(), ..draft() }, "empty_text"),
            (WorkshopDraft { facilitator: "x".repeat(81), ..draft() }, "text_too_long"),
            (WorkshopDraft { place: "a\u{7}".into(), ..draft() }, "control_characters"),
        ] {
            assert_eq!(bad.checked().map_err(|e| e.code()), Err(code));
        }
    }

    #[test]
    fn days_count_from_the_epoch_and_codes_expire_a_week_after_the_workshop() {
        assert_eq!(day_number("2020-01-01"), Some(18_262));
        assert_eq!(day_number("2024-02-29"), Some(19_782));
        assert_eq!(day_number("2023-02-29"), None);
        // 2026-11-28 is day 20_785; the code works through 2026-12-05 in Colombia, which ends
        // at 05:00 UTC on 2026-12-06.
        assert_eq!(draft().code_expires_at_ms(), Some((20_785 + 8) * DAY_MS + 5 * 3_600_000));
    }

    #[test]
    fn a_moment_reads_as_the_date_and_time_of_santa_marta() {
        // 2026-11-25 15:30 UTC is 10:30 in Colombia; 03:00 UTC is still the day before there.
        assert_eq!(colombia_date_time(1_795_620_600_000), ("2026-11-25".into(), "10:30".into()));
        assert_eq!(colombia_date_time(1_795_575_600_000), ("2026-11-24".into(), "22:00".into()));
        for date in ["2020-01-01", "2024-02-29", "2026-12-31", "2100-12-31"] {
            let noon = day_number(date).expect("a date") * DAY_MS + 17 * 3_600_000;
            assert_eq!(colombia_date_time(noon), (date.to_string(), "12:00".to_string()), "the inverse of day_number");
        }
        // The last moment a code works is on its last day.
        assert_eq!(colombia_date_time(draft().code_expires_at_ms().expect("expiry") - 1).0, "2026-12-05");
    }

    #[test]
    fn codes_are_read_forgivingly_but_never_guessed() {
        let code = code_from_random([0, 1, 30, 31, 200, 255]);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(normalize_code(&display_code(&code).to_lowercase()), Some(code.clone()));
        assert_eq!(normalize_code("abc 234"), Some("ABC234".into()));
        assert_eq!(normalize_code("ABO234"), None, "O is never in a code");
        assert_eq!(normalize_code("ABC23"), None);
        assert_eq!(display_code("ABC234"), "ABC-234");
    }
}
