//! Failed attempts (join codes, sign-ins) remembered per key, in memory, so that codes and
//! passwords cannot be guessed at speed. A restart forgets them, which costs an attacker
//! nothing a wait would not.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts a key may make within [`WINDOW`] before it must wait.
pub const MAX_FAILURES: usize = 10;
pub const WINDOW: Duration = Duration::from_secs(10 * 60);
/// Keys remembered before forgetting those whose failures have all expired.
const TRACKED_KEYS: usize = 10_000;

#[derive(Debug)]
pub struct AttemptLimiter<K> {
    failures: Mutex<HashMap<K, VecDeque<Instant>>>,
}

impl<K> Default for AttemptLimiter<K> {
    fn default() -> Self {
        AttemptLimiter { failures: Mutex::new(HashMap::new()) }
    }
}

/// The address attempts are counted by: an IPv6 client controls at least a /64, so every
/// address in it counts as one.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    }
}

impl<K: Hash + Eq + Clone> AttemptLimiter<K> {
    /// `Err(wait)` when `key` has failed too often lately, with how long until it may try again.
    pub fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = failures.get_mut(key) else {
            return Ok(());
        };
        while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            times.pop_front();
        }
        match times.front() {
            Some(oldest) if times.len() >= MAX_FAILURES => Err(WINDOW.saturating_sub(now.duration_since(*oldest))),
            _ => Ok(()),
        }
    }

    /// Counts a failed attempt of `key`.
    pub fn failed(&self, key: &K, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= TRACKED_KEYS {
            failures.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let times = failures.entry(key.clone()).or_default();
        times.push_back(now);
        while times.len() > MAX_FAILURES {
            times.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_in_ten_minutes_make_a_key_wait() {
        let limiter = AttemptLimiter::default();
        let t0 = Instant::now();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..MAX_FAILURES as u64 {
            assert_eq!(limiter.check(&ip, t0 + Duration::from_secs(i)), Ok(()));
            limiter.failed(&ip, t0 + Duration::from_secs(i));
        }
        let wait = limiter.check(&ip, t0 + Duration::from_secs(60)).unwrap_err();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert_eq!(limiter.check(&"192.0.2.8".parse().unwrap(), t0), Ok(()), "another address is not affected");
        // Once the first failure is ten minutes old, one more attempt is allowed.
        assert_eq!(limiter.check(&ip, t0 + WINDOW), Ok(()));
    }

    #[test]
    fn an_ipv6_client_counts_as_its_64() {
        let limiter = AttemptLimiter::default();
        let t0 = Instant::now();
        for i in 0..MAX_FAILURES {
            limiter.failed(&client_key(format!("2001:db8::{i:x}").parse().unwrap()), t0);
        }
        assert!(limiter.check(&client_key("2001:db8::ffff".parse().unwrap()), t0).is_err());
        assert!(limiter.check(&client_key("2001:db8:0:1::1".parse().unwrap()), t0).is_ok());
        assert_eq!(client_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1".parse::<IpAddr>().unwrap());
    }
}
