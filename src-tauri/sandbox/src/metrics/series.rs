//! The two kinds of time series the Metrics API serves, stored the way they are read back.
//!
//! A **counter** (bytes, records, requests) is a sum of deltas per bucket: 10-second buckets for
//! the last hour (the live view) and 1-minute buckets for 24 hours (what `PT1M` and coarser
//! queries read). Only buckets that saw something are stored.
//!
//! A **gauge** (retained bytes, connections, partitions) is sampled every 10 seconds and stored
//! as change points: a sample equal to the last one costs nothing, so thousands of idle topics
//! cost a point each. `NaN` marks "absent from here on" (a deleted topic, a stopped cluster).
//! Reading a gauge over a bucket averages the values held at each sampling instant, as
//! Confluent averages gauges over time.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// Seconds per fine bucket, and between gauge samples.
pub const FINE: i64 = 10;
/// Seconds per coarse bucket (the API's smallest granularity, PT1M).
pub const COARSE: i64 = 60;
/// How long fine buckets are kept.
pub const FINE_KEEP: i64 = 3600;
/// How long coarse buckets and gauge points are kept.
pub const COARSE_KEEP: i64 = 24 * 3600;

fn floor(t: i64, step: i64) -> i64 {
    t - t.rem_euclid(step)
}

/// Adds `v` to the bucket starting at `bucket`, keeping the deque ordered. Samples arrive in
/// time order except across threads racing on the clock, so the back is almost always it.
fn bump(q: &mut VecDeque<(i64, f64)>, bucket: i64, v: f64) {
    match q.back_mut() {
        Some((b, s)) if *b == bucket => *s += v,
        Some((b, _)) if *b > bucket => {
            let i = q.partition_point(|(t, _)| *t < bucket);
            match q.get_mut(i) {
                Some((t, s)) if *t == bucket => *s += v,
                _ => q.insert(i, (bucket, v)),
            }
        }
        _ => q.push_back((bucket, v)),
    }
}

fn drop_before(q: &mut VecDeque<(i64, f64)>, cutoff: i64) {
    while q.front().is_some_and(|(t, _)| *t < cutoff) {
        q.pop_front();
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counter {
    fine: VecDeque<(i64, f64)>,
    coarse: VecDeque<(i64, f64)>,
}

impl Counter {
    /// Counts `v` at second `t` (Unix time).
    pub fn add(&mut self, t: i64, v: f64) {
        bump(&mut self.fine, floor(t, FINE), v);
        bump(&mut self.coarse, floor(t, COARSE), v);
    }

    /// The sum of the minutes that start in `[from, to)`, or None if none of them saw anything.
    pub fn sum(&self, from: i64, to: i64) -> Option<f64> {
        let start = self.coarse.partition_point(|(t, _)| *t < from);
        let mut seen = false;
        let mut total = 0.0;
        for (_, v) in self.coarse.range(start..).take_while(|(t, _)| *t < to) {
            seen = true;
            total += v;
        }
        seen.then_some(total)
    }

    /// The 10-second buckets that start in `[from, to)` (the last hour only).
    pub fn fine(&self, from: i64, to: i64) -> Vec<(i64, f64)> {
        let start = self.fine.partition_point(|(t, _)| *t < from);
        self.fine
            .range(start..)
            .take_while(|(t, _)| *t < to)
            .copied()
            .collect()
    }

    pub fn prune(&mut self, now: i64) {
        drop_before(&mut self.fine, now - FINE_KEEP);
        drop_before(&mut self.coarse, now - COARSE_KEEP);
    }

    pub fn is_empty(&self) -> bool {
        self.coarse.is_empty()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Gauge {
    /// (sampling instant, value from then on); NaN: absent from then on. JSON has no NaN, so
    /// absence is stored as null.
    #[serde(with = "nan_as_null")]
    points: VecDeque<(i64, f64)>,
}

impl Gauge {
    /// Records the value measured at second `t`; None: the thing measured no longer exists.
    pub fn sample(&mut self, t: i64, v: Option<f64>) {
        let t = floor(t, FINE);
        let v = v.unwrap_or(f64::NAN);
        match self.points.back_mut() {
            // Unchanged: the existing point covers it.
            Some((_, last_v)) if same(*last_v, v) => {}
            Some((last_t, last_v)) if *last_t >= t => *last_v = v,
            None if v.is_nan() => {}
            _ => self.points.push_back((t, v)),
        }
    }

    /// The last value sampled, if present.
    pub fn last(&self) -> Option<f64> {
        self.points.back().map(|p| p.1).filter(|v| !v.is_nan())
    }

    /// The mean of the values held at each sampling instant in `[from, to)` up to `now`, or
    /// None if the gauge was absent throughout.
    pub fn mean(&self, from: i64, to: i64, now: i64) -> Option<f64> {
        let first = self.points.front()?.0;
        let mut s = floor(from.max(first) + FINE - 1, FINE);
        let end = to.min(now + 1);
        // The point in force at `s`: the last one at or before it.
        let mut i = self
            .points
            .partition_point(|(t, _)| *t <= s)
            .checked_sub(1)?;
        let (mut total, mut n) = (0.0, 0u32);
        while s < end {
            while i + 1 < self.points.len() && self.points[i + 1].0 <= s {
                i += 1;
            }
            let v = self.points[i].1;
            if !v.is_nan() {
                total += v;
                n += 1;
            }
            s += FINE;
        }
        (n > 0).then(|| total / f64::from(n))
    }

    /// Forgets what is older than 24 h, but keeps the value in force at the cut-off.
    pub fn prune(&mut self, now: i64) {
        let cutoff = floor(now - COARSE_KEEP, FINE);
        while self.points.len() > 1 && self.points[1].0 <= cutoff {
            self.points.pop_front();
        }
        if let Some(p) = self.points.front_mut() {
            if p.0 < cutoff {
                p.0 = cutoff;
            }
        }
        if self.points.len() == 1 && self.points[0].1.is_nan() {
            self.points.clear();
        }
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

mod nan_as_null {
    use std::collections::VecDeque;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(q: &VecDeque<(i64, f64)>, s: S) -> Result<S::Ok, S::Error> {
        q.iter()
            .map(|&(t, v)| (t, (!v.is_nan()).then_some(v)))
            .collect::<Vec<_>>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<VecDeque<(i64, f64)>, D::Error> {
        Ok(Vec::<(i64, Option<f64>)>::deserialize(d)?
            .into_iter()
            .map(|(t, v)| (t, v.unwrap_or(f64::NAN)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000; // a minute boundary

    #[test]
    fn counters_sum_whole_minutes_and_keep_fine_buckets() {
        let mut c = Counter::default();
        c.add(T0 + 5, 100.0);
        c.add(T0 + 15, 50.0);
        c.add(T0 + 61, 7.0);
        c.add(T0 + 3, 1.0); // a late arrival into an earlier bucket
        assert_eq!(c.sum(T0, T0 + 60), Some(151.0));
        assert_eq!(c.sum(T0, T0 + 120), Some(158.0));
        assert_eq!(c.sum(T0 + 120, T0 + 180), None);
        assert_eq!(
            c.fine(T0, T0 + 120),
            vec![(T0, 101.0), (T0 + 10, 50.0), (T0 + 60, 7.0)]
        );
        // Out of order across buckets stays sorted.
        c.add(T0 + 30, 2.0);
        assert_eq!(c.fine(T0 + 20, T0 + 40), vec![(T0 + 30, 2.0)]);
    }

    #[test]
    fn counters_forget_fine_after_an_hour_and_coarse_after_a_day() {
        let mut c = Counter::default();
        c.add(T0, 1.0);
        c.prune(T0 + FINE_KEEP + 10);
        assert!(c.fine(T0, T0 + 60).is_empty());
        assert_eq!(c.sum(T0, T0 + 60), Some(1.0));
        c.prune(T0 + COARSE_KEEP + 60);
        assert!(c.is_empty());
    }

    #[test]
    fn gauges_average_what_was_held_at_each_instant() {
        let mut g = Gauge::default();
        g.sample(T0, Some(10.0));
        g.sample(T0 + 10, Some(10.0)); // unchanged: no new point
        g.sample(T0 + 20, Some(40.0));
        assert_eq!(g.points.len(), 2);
        // Instants T0..T0+50: 10, 10, 40, 40, 40, 40 → 30.
        assert_eq!(g.mean(T0, T0 + 60, T0 + 1000), Some(30.0));
        // Only up to now: T0, T0+10 → 10.
        assert_eq!(g.mean(T0, T0 + 60, T0 + 15), Some(10.0));
        // Before the first sample: nothing.
        assert_eq!(g.mean(T0 - 60, T0, T0 + 1000), None);
        // Carried forward long after.
        assert_eq!(g.mean(T0 + 600, T0 + 660, T0 + 1000), Some(40.0));
    }

    #[test]
    fn an_absent_gauge_has_no_value() {
        let mut g = Gauge::default();
        g.sample(T0, None); // never present: nothing stored
        assert!(g.is_empty());
        g.sample(T0, Some(5.0));
        g.sample(T0 + 30, None);
        assert_eq!(g.last(), None);
        // Instants T0, +10, +20 hold 5; +30..+50 are absent.
        assert_eq!(g.mean(T0, T0 + 60, T0 + 1000), Some(5.0));
        assert_eq!(g.mean(T0 + 60, T0 + 120, T0 + 1000), None);
        g.sample(T0 + 120, Some(8.0));
        assert_eq!(g.last(), Some(8.0));
    }

    #[test]
    fn pruning_a_gauge_keeps_the_value_in_force() {
        let mut g = Gauge::default();
        g.sample(T0, Some(3.0));
        let later = T0 + COARSE_KEEP + 3600;
        g.prune(later);
        assert_eq!(g.points.len(), 1);
        assert_eq!(g.mean(later - 60, later, later), Some(3.0));
        assert_eq!(g.mean(T0, T0 + 60, later), None, "older than 24 h is gone");
    }

    #[test]
    fn series_survive_a_json_round_trip_including_absence() {
        let mut g = Gauge::default();
        g.sample(T0, Some(1.0));
        g.sample(T0 + 10, None);
        let back: Gauge = serde_json::from_str(&serde_json::to_string(&g).unwrap()).unwrap();
        assert_eq!(back.points.len(), 2);
        assert!(back.points[1].1.is_nan());
    }
}
