//! The hybrid logical clock that orders every version of every record, across devices and
//! offline weeks: the newest by this clock is a record's current version, on every device
//! and on the server alike, and the others stay in its history.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A moment on the hybrid logical clock: wall-clock milliseconds (never going back on a
/// device), a counter for changes within the same millisecond or after seeing a later clock,
/// and the device that made it, which breaks ties so two devices never share a moment.
///
/// Written as `"<ms:13>-<counter:5>-<node>"`, so text order is clock order (the server sorts
/// by the column) and a person can read the date.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hlc {
    pub ms: i64,
    pub counter: u32,
    pub node: String,
}

/// Whether device `node` made the version stamped with `clock`, so that it may change the
/// record (the server refuses a participant's change to another device's record). A version
/// with no clock was saved here before devices kept one; a clock with no device came from a
/// server that could not say whose it was, and is treated as someone else's.
pub fn made_on(clock: Option<&Hlc>, node: &str) -> bool {
    clock.is_none_or(|h| !h.node.is_empty() && h.node == node)
}

/// The largest counter the text form holds; the clock moves to the next millisecond past it.
const MAX_COUNTER: u32 = 99_999;
/// Device ids are UUIDs; a node is kept short and plain so the text form stays sortable.
const MAX_NODE_CHARS: usize = 40;

impl Hlc {
    /// The clock of a version written before devices kept one (protocol 1): its edit or
    /// creation time, its version number as the counter, and no device, so any clocked
    /// version made at the same millisecond wins over it.
    pub fn legacy(created_at_ms: i64, updated_at_ms: i64, version: u32) -> Hlc {
        Hlc { ms: created_at_ms.max(updated_at_ms), counter: version.min(MAX_COUNTER), node: String::new() }
    }

    /// The device's next moment after `last`, at wall-clock `now_ms`. The wall clock may go
    /// back (a phone's date corrected by hand); the logical clock never does.
    pub fn tick(last: Option<&Hlc>, now_ms: i64, node: &str) -> Hlc {
        let mut next = Hlc { ms: now_ms, counter: 0, node: node.to_string() };
        if let Some(last) = last {
            if last.ms >= now_ms {
                next.ms = last.ms;
                next.counter = last.counter + 1;
            }
        }
        next.normalised()
    }

    /// The device's clock after seeing `remote` (a version pulled from the server): never
    /// behind it, so whatever the device does next orders after what it has seen.
    pub fn observe(last: Option<&Hlc>, remote: &Hlc, node: &str) -> Hlc {
        let mut seen = Hlc { ms: remote.ms, counter: remote.counter, node: node.to_string() };
        if let Some(last) = last {
            if (last.ms, last.counter) > (seen.ms, seen.counter) {
                seen.ms = last.ms;
                seen.counter = last.counter;
            }
        }
        seen
    }

    fn normalised(mut self) -> Hlc {
        if self.counter > MAX_COUNTER {
            self.ms += 1;
            self.counter = 0;
        }
        self
    }
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.ms, self.counter, &self.node).cmp(&(other.ms, other.counter, &other.node))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}-{:05}-{}", self.ms, self.counter, self.node)
    }
}

/// Why a clock's text form was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a clock of the form 0001764000000000-00000-device")]
pub struct HlcParseError(pub String);

impl FromStr for Hlc {
    type Err = HlcParseError;
    fn from_str(s: &str) -> Result<Hlc, HlcParseError> {
        let bad = || HlcParseError(s.chars().take(60).collect());
        let mut parts = s.splitn(3, '-');
        let (ms, counter, node) = (parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?);
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(ms, 13) || !digits(counter, 5) {
            return Err(bad());
        }
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if node.chars().count() > MAX_NODE_CHARS || !node.chars().all(plain) {
            return Err(bad());
        }
        Ok(Hlc { ms: ms.parse().map_err(|_| bad())?, counter: counter.parse().map_err(|_| bad())?, node: node.to_string() })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hlc, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_device_in_a_clock_made_that_version() {
        let clock = Hlc { ms: 1_764_000_000_000, counter: 0, node: "movil-a".into() };
        assert!(made_on(Some(&clock), "movil-a"));
        assert!(!made_on(Some(&clock), "movil-b"));
        assert!(made_on(None, "movil-b"), "never stamped: saved here before devices kept clocks");
        let nobody = Hlc { node: String::new(), ..clock };
        assert!(!made_on(Some(&nobody), ""), "a clock without a device is nobody's here");
    }
    use proptest::prelude::*;

    const T: i64 = 1_764_000_000_000;

    #[test]
    fn the_text_form_reads_back_and_sorts_like_the_clock() {
        let a = Hlc { ms: T, counter: 7, node: "0193a".into() };
        assert_eq!(a.to_string(), "1764000000000-00007-0193a");
        assert_eq!(a.to_string().parse::<Hlc>(), Ok(a.clone()));
        let b = Hlc { ms: T, counter: 10, node: "0".into() };
        assert!(a < b && a.to_string() < b.to_string());
        for bad in ["", "1764000000000-7-x", "176400000000-00007-x", "1764000000000-00007-a b", "x-00000-a"] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_clock_never_goes_back_even_when_the_wall_clock_does() {
        let first = Hlc::tick(None, T, "a");
        let second = Hlc::tick(Some(&first), T - 60_000, "a");
        assert!(second > first);
        assert_eq!((second.ms, second.counter), (T, 1));
        let full = Hlc { ms: T, counter: MAX_COUNTER, node: "a".into() };
        assert_eq!(Hlc::tick(Some(&full), T, "a"), Hlc { ms: T + 1, counter: 0, node: "a".into() });
    }

    #[test]
    fn after_seeing_another_device_s_version_the_next_change_orders_after_it() {
        let mine = Hlc::tick(None, T, "a");
        let theirs = Hlc { ms: T + 3_600_000, counter: 2, node: "b".into() };
        let seen = Hlc::observe(Some(&mine), &theirs, "a");
        assert!(Hlc::tick(Some(&seen), T + 5, "a") > theirs);
        // Seeing an older clock changes nothing.
        assert_eq!(Hlc::observe(Some(&seen), &mine, "a"), seen);
    }

    #[test]
    fn a_legacy_version_loses_to_a_clocked_one_of_the_same_millisecond() {
        let legacy = Hlc::legacy(T, T + 5, 3);
        assert_eq!((legacy.ms, legacy.counter), (T + 5, 3));
        assert!(legacy < Hlc { ms: T + 5, counter: 3, node: "a".into() });
    }

    proptest! {
        #[test]
        fn ticks_always_increase(nows in proptest::collection::vec(T - 1_000..T + 1_000, 1..50)) {
            let mut last: Option<Hlc> = None;
            for now in nows {
                let next = Hlc::tick(last.as_ref(), now, "dev");
                if let Some(l) = &last {
                    prop_assert!(next > *l);
                    prop_assert!(next.to_string() > l.to_string());
                }
                last = Some(next);
            }
        }
    }
}
