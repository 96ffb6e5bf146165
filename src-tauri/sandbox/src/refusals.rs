//! Refused logins, logged without flooding: the first refusal of a key in a minute is logged,
//! the rest of that minute only counted and summed up in one line when the key is next refused
//! after the minute. A client retrying a wrong secret in a loop leaves a line a minute, not one
//! per attempt. What is logged for a key is decided by the caller (never a credential).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Distinct keys tracked; past this the counts start over (a flood of made-up ids can't grow
/// the table).
const MAX_KEYS: usize = 1024;

#[derive(Default)]
pub struct RefusalLog {
    windows: Mutex<HashMap<(String, String), (Instant, u64)>>,
}

impl RefusalLog {
    /// Records one refusal of `key` (already made safe to log) at `place`; returns the lines to
    /// log now (none while the key's minute is still running).
    pub fn refused(&self, place: &str, key: &str) -> Vec<String> {
        self.refused_at(place, key, Instant::now())
    }

    fn refused_at(&self, place: &str, key: &str, now: Instant) -> Vec<String> {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= MAX_KEYS {
            windows.clear();
        }
        let slot = windows.entry((place.to_string(), key.to_string()));
        let mut lines = Vec::new();
        match slot {
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let (start, suppressed) = o.get_mut();
                if now.duration_since(*start) < WINDOW {
                    *suppressed += 1;
                    return lines;
                }
                if *suppressed > 0 {
                    lines.push(format!(
                        "{place}: refused {suppressed} more logins for key {key} in the minute after the last one logged"
                    ));
                }
                *start = now;
                *suppressed = 0;
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((now, 0));
            }
        }
        lines.push(format!("{place}: refused SASL/PLAIN for key {key}"));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_a_minute_per_key_and_a_count_of_the_rest() {
        let log = RefusalLog::default();
        let t = Instant::now();
        assert_eq!(log.refused_at("door", "K", t).len(), 1);
        for i in 1..=116 {
            assert!(log
                .refused_at("door", "K", t + Duration::from_millis(i * 100))
                .is_empty());
        }
        assert_eq!(
            log.refused_at("door", "OTHER", t).len(),
            1,
            "each key its own minute"
        );
        let later = log.refused_at("door", "K", t + Duration::from_secs(61));
        assert_eq!(later.len(), 2);
        assert!(later[0].contains("refused 116 more"), "{later:?}");
    }
}
