//! Attempts (join codes, sign-ins) remembered per key, in memory, so that codes and passwords
//! cannot be guessed at speed. A restart forgets them, which costs an attacker nothing a wait
//! would not.
//!
//! Each attempt is counted *before* the work it guards (the password hash, the code look-up)
//! and forgiven afterwards if it succeeded, so a burst of concurrent attempts meets the limit
//! exactly: none of them can pass the check while the others are still being hashed.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts a key may make within [`WINDOW`] before it must wait.
pub const MAX_FAILURES: usize = 10;
pub const WINDOW: Duration = Duration::from_secs(10 * 60);
/// Keys remembered before forgetting those whose attempts have all expired.
const TRACKED_KEYS: usize = 10_000;

/// One attempt counted against its key until it is forgiven (it succeeded) or expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a successful attempt must be forgiven, or it counts as a failure"]
pub struct Ticket(Instant);

/// A hard limit per key: [`MAX_FAILURES`] failed attempts in [`WINDOW`] (or the limit it was
/// made with), then 429 until the oldest expires. Used per client address, where a lockout
/// hurts only the guesser.
#[derive(Debug)]
pub struct AttemptLimiter<K> {
    attempts: Mutex<HashMap<K, VecDeque<Instant>>>,
    max: usize,
}

impl<K> Default for AttemptLimiter<K> {
    fn default() -> Self {
        AttemptLimiter::with_max(MAX_FAILURES)
    }
}

impl<K> AttemptLimiter<K> {
    /// A limiter that lets a key make `max` attempts in [`WINDOW`].
    pub fn with_max(max: usize) -> Self {
        AttemptLimiter { attempts: Mutex::new(HashMap::new()), max }
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
    /// Counts an attempt of `key` now, or `Err(wait)` when it has failed too often lately, with
    /// how long until it may try again. The attempt counts as failed unless it is
    /// [forgiven](Self::forgive).
    pub fn reserve(&self, key: &K, now: Instant) -> Result<Ticket, Duration> {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if attempts.len() >= TRACKED_KEYS {
            attempts.retain(|_, times| times.back().is_some_and(|t| now.saturating_duration_since(*t) < WINDOW));
        }
        let times = attempts.entry(key.clone()).or_default();
        while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW) {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(WINDOW.saturating_sub(now.saturating_duration_since(oldest)));
        }
        times.push_back(now);
        Ok(Ticket(now))
    }

    /// Takes back a successful attempt: only failures count.
    pub fn forgive(&self, key: &K, ticket: Ticket) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(times) = attempts.get_mut(key) {
            if let Some(i) = times.iter().rposition(|t| *t == ticket.0) {
                times.remove(i);
            }
        }
    }
}

/// Failed sign-ins of one account (from any address) before each further one must wait.
pub const FREE_ACCOUNT_FAILURES: usize = 5;
/// The longest wait between two attempts on an account under attack.
pub const MAX_ACCOUNT_DELAY: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
struct AccountAttempts {
    failures: VecDeque<Instant>,
    in_flight: usize,
    next_allowed: Option<Instant>,
}

/// A soft limit per account: after [`FREE_ACCOUNT_FAILURES`] failures in [`WINDOW`] each
/// further attempt must wait 1 s, 2 s, 4 s… up to [`MAX_ACCOUNT_DELAY`]. An attacker spread
/// over many addresses gets a guess every half minute at most, while the owner, from their own
/// address, waits half a minute at worst instead of being locked out for ten.
#[derive(Debug)]
pub struct AccountBackoff<K> {
    accounts: Mutex<HashMap<K, AccountAttempts>>,
}

impl<K> Default for AccountBackoff<K> {
    fn default() -> Self {
        AccountBackoff { accounts: Mutex::new(HashMap::new()) }
    }
}

/// The wait after the `n`th attempt counted against an account (failures and attempts in
/// flight, this one included).
fn delay_after(n: usize) -> Duration {
    if n < FREE_ACCOUNT_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (n - FREE_ACCOUNT_FAILURES).min(16) as u32;
    Duration::from_secs(1u64 << doublings).min(MAX_ACCOUNT_DELAY)
}

impl<K: Hash + Eq + Clone> AccountBackoff<K> {
    /// Counts an attempt on `key` now, or `Err(wait)` while the account's backoff runs. The
    /// attempt is in flight until the returned guard says how it ended; a guard dropped
    /// without a word (the client left mid-hash, the request's deadline) is not counted, so a
    /// request dropped on purpose cannot leave an account slowed for good.
    pub fn reserve(&self, key: &K, now: Instant) -> Result<AccountAttempt<'_, K>, Duration> {
        let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        if accounts.len() >= TRACKED_KEYS {
            accounts.retain(|_, a| a.in_flight > 0 || a.failures.back().is_some_and(|t| now.saturating_duration_since(*t) < WINDOW));
        }
        let account = accounts.entry(key.clone()).or_default();
        while account.failures.front().is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW) {
            account.failures.pop_front();
        }
        if let Some(at) = account.next_allowed.filter(|at| *at > now) {
            return Err(at - now);
        }
        account.in_flight += 1;
        let counted = account.failures.len() + account.in_flight;
        account.next_allowed = Some(now + delay_after(counted));
        Ok(AccountAttempt { backoff: self, key: key.clone(), settled: false })
    }

    fn settle(&self, key: &K, outcome: Option<bool>, now: Instant) {
        let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        let Some(account) = accounts.get_mut(key) else { return };
        account.in_flight = account.in_flight.saturating_sub(1);
        match outcome {
            // The right password: the account's failures are forgotten, it may be tried at once.
            Some(true) => {
                account.failures.clear();
                account.next_allowed = None;
            }
            Some(false) => {
                account.failures.push_back(now);
                while account.failures.len() > 64 {
                    account.failures.pop_front();
                }
            }
            None => {}
        }
    }
}

/// An attempt on an account, in flight until [`failed`](Self::failed) or
/// [`succeeded`](Self::succeeded); dropped unsettled, it does not count.
#[must_use = "say how the attempt ended"]
pub struct AccountAttempt<'a, K: Hash + Eq + Clone> {
    backoff: &'a AccountBackoff<K>,
    key: K,
    settled: bool,
}

impl<K: Hash + Eq + Clone> AccountAttempt<'_, K> {
    pub fn failed(mut self, now: Instant) {
        self.settled = true;
        self.backoff.settle(&self.key, Some(false), now);
    }

    pub fn succeeded(mut self) {
        self.settled = true;
        self.backoff.settle(&self.key, Some(true), Instant::now());
    }
}

impl<K: Hash + Eq + Clone> Drop for AccountAttempt<'_, K> {
    fn drop(&mut self) {
        if !self.settled {
            self.backoff.settle(&self.key, None, Instant::now());
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
            assert!(limiter.reserve(&ip, t0 + Duration::from_secs(i)).is_ok());
        }
        let wait = limiter.reserve(&ip, t0 + Duration::from_secs(60)).unwrap_err();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert!(limiter.reserve(&"192.0.2.8".parse().unwrap(), t0).is_ok(), "another address is not affected");
        // Once the first failure is ten minutes old, one more attempt is allowed.
        assert!(limiter.reserve(&ip, t0 + WINDOW).is_ok());
    }

    #[test]
    fn attempts_in_flight_count_so_a_burst_meets_the_limit_exactly() {
        let limiter = AttemptLimiter::default();
        let t0 = Instant::now();
        // Forty attempts reserved before any of them is decided: ten pass, thirty wait.
        let passed = (0..40).filter(|_| limiter.reserve(&"k", t0).is_ok()).count();
        assert_eq!(passed, MAX_FAILURES);
    }

    #[test]
    fn a_limiter_made_with_its_own_maximum_holds_it() {
        let limiter = AttemptLimiter::with_max(5);
        let t0 = Instant::now();
        assert_eq!((0..40).filter(|_| limiter.reserve(&"k", t0).is_ok()).count(), 5);
        assert!(limiter.reserve(&"k", t0 + WINDOW).is_ok());
    }

    #[test]
    fn a_forgiven_attempt_does_not_count() {
        let limiter = AttemptLimiter::default();
        let t0 = Instant::now();
        for _ in 0..100 {
            let ticket = limiter.reserve(&"k", t0).unwrap();
            limiter.forgive(&"k", ticket);
        }
        for _ in 0..MAX_FAILURES - 1 {
            let _ = limiter.reserve(&"k", t0).unwrap();
        }
        let ticket = limiter.reserve(&"k", t0).unwrap();
        limiter.forgive(&"k", ticket);
        assert!(limiter.reserve(&"k", t0).is_ok(), "nine failures and one success leave room for a tenth failure");
        assert!(limiter.reserve(&"k", t0).is_err());
    }

    #[test]
    fn an_ipv6_client_counts_as_its_64() {
        let limiter = AttemptLimiter::default();
        let t0 = Instant::now();
        for i in 0..MAX_FAILURES {
            let _ = limiter.reserve(&client_key(format!("2001:db8::{i:x}").parse().unwrap()), t0).unwrap();
        }
        assert!(limiter.reserve(&client_key("2001:db8::ffff".parse().unwrap()), t0).is_err());
        assert!(limiter.reserve(&client_key("2001:db8:0:1::1".parse().unwrap()), t0).is_ok());
        assert_eq!(client_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn an_account_under_attack_slows_down_but_its_owner_waits_half_a_minute_at_most() {
        let backoff = AccountBackoff::default();
        let t0 = Instant::now();
        // An attacker with many addresses tries every 100 ms for an hour.
        let (mut now, mut guesses) = (t0, 0);
        while now < t0 + Duration::from_secs(3600) {
            if let Ok(attempt) = backoff.reserve(&"rosa", now) {
                attempt.failed(now);
                guesses += 1;
            }
            now += Duration::from_millis(100);
        }
        assert!(guesses <= FREE_ACCOUNT_FAILURES + 3600 / MAX_ACCOUNT_DELAY.as_secs() as usize + 5, "{guesses} guesses in an hour");
        // The owner, from another address, waits at most the longest delay, then signs in.
        let wait = backoff.reserve(&"rosa", now).err().unwrap_or_default();
        assert!(wait <= MAX_ACCOUNT_DELAY);
        backoff.reserve(&"rosa", now + wait).expect("the owner gets a turn").succeeded();
        assert!(backoff.reserve(&"rosa", now + wait).is_ok(), "after a success the account is free again");
    }

    #[test]
    fn a_burst_on_one_account_gets_only_the_free_attempts_through() {
        let backoff = AccountBackoff::default();
        let t0 = Instant::now();
        let in_flight: Vec<_> = (0..40).filter_map(|_| backoff.reserve(&"rosa", t0).ok()).collect();
        assert_eq!(in_flight.len(), FREE_ACCOUNT_FAILURES, "attempts in flight count before their hash is checked");
        drop(in_flight);
        // Dropped before they were decided (the clients left mid-hash), they do not count.
        assert_eq!(backoff.accounts.lock().unwrap()[&"rosa"].failures.len(), 0);
        assert_eq!(delay_after(FREE_ACCOUNT_FAILURES), Duration::from_secs(1));
        assert_eq!(delay_after(FREE_ACCOUNT_FAILURES + 20), MAX_ACCOUNT_DELAY);
    }
}
