//! The server's wall clock in the unit every record and row uses: milliseconds since the epoch.

pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// Today's date in Colombia (UTC−5, no daylight saving), `YYYY-MM-DD`: what a deadline is
/// compared with.
pub fn today_colombia() -> String {
    app::model::workshop::colombia_date_time(now_ms()).0
}
