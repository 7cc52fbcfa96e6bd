//! Limits failed sign-ins per sign-in name and per address, in memory. A restart
//! forgets; that is acceptable for slowing guessing, which is all this is for.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    window: Duration,
    per_name: usize,
    per_address: usize,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter {
            failures: Mutex::new(HashMap::new()),
            window: Duration::from_secs(15 * 60),
            per_name: 5,
            per_address: 20,
        }
    }
}

/// Bounds memory under a flood of distinct names.
const MAX_KEYS: usize = 50_000;

impl SignInLimiter {
    fn keys(name: &str, address: &str) -> [(String, bool); 2] {
        [
            (format!("name:{name}"), true),
            (format!("addr:{address}"), false),
        ]
    }

    /// `Err(minutes)` when either the name or the address has failed too often.
    pub(crate) fn check(&self, name: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for (key, is_name) in Self::keys(name, address) {
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|t| now.duration_since(*t) < self.window);
                let limit = if is_name {
                    self.per_name
                } else {
                    self.per_address
                };
                if times.len() >= limit {
                    let oldest = times.first().copied().unwrap_or(now);
                    let wait = self.window.saturating_sub(now.duration_since(oldest));
                    return Err(wait.as_secs().div_ceil(60).max(1));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn record_failure(&self, name: &str, address: &str) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= MAX_KEYS {
            let window = self.window;
            failures.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < window));
        }
        for (key, _) in Self::keys(name, address) {
            failures.entry(key).or_default().push(now);
        }
    }

    pub(crate) fn record_success(&self, name: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&format!("name:{name}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_a_name_after_five_failures_and_clears_on_success() {
        let l = SignInLimiter::default();
        for _ in 0..5 {
            assert!(l.check("dcs", "1.2.3.4").is_ok());
            l.record_failure("dcs", "1.2.3.4");
        }
        let minutes = l.check("dcs", "5.6.7.8").unwrap_err();
        assert!((1..=15).contains(&minutes));
        assert!(l.check("other", "5.6.7.8").is_ok());
        l.record_success("dcs");
        assert!(l.check("dcs", "5.6.7.8").is_ok());
    }

    #[test]
    fn blocks_an_address_trying_many_names() {
        let l = SignInLimiter::default();
        for i in 0..20 {
            l.record_failure(&format!("user{i}"), "9.9.9.9");
        }
        assert!(l.check("fresh", "9.9.9.9").is_err());
        assert!(l.check("fresh", "8.8.8.8").is_ok());
    }
}
