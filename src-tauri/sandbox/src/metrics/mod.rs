//! The sandbox's metering, served as Confluent's Metrics API v2.
//!
//! Measured for real: each cluster's front doors report connections, authentications, requests
//! and the record data of every Produce request and Fetch response (`cluster`); a sampler reads
//! what the brokers' storage retains every 10 seconds (`storage`, `sampler`). The series
//! (`series`: 10-second buckets for the last hour, 1-minute for 24 hours) are saved in the data
//! folder, so a dashboard still has its day after a restart. `query` and `interval` answer the
//! API's requests; `catalog` lists what is metered.

pub mod catalog;
pub mod cluster;
mod interval;
pub mod query;
mod sampler;
pub mod series;
mod storage;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

pub use cluster::{now, ClusterMetrics, Series};
pub use sampler::{run as run_sampler, save as save_metrics};

/// Every cluster's metering, for the organisation.
pub struct Metrics {
    clusters: Mutex<BTreeMap<String, Arc<ClusterMetrics>>>,
    path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    saved_at: i64,
    clusters: BTreeMap<String, Series>,
}

impl Metrics {
    /// The metering saved in `data_dir` (if any). Gauges are absent from when it was saved
    /// until the sampler measures them again: nothing was measured while the sandbox was off.
    pub fn load(data_dir: &Path) -> Metrics {
        let path = data_dir.join("metrics.json");
        let saved: Option<Saved> =
            std::fs::read(&path)
                .ok()
                .and_then(|b| match serde_json::from_slice(&b) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        log::warn!(
                            "{}: unreadable, starting the metrics afresh: {e}",
                            path.display()
                        );
                        None
                    }
                });
        let now = now();
        let clusters = saved
            .map(|s| {
                s.clusters
                    .into_iter()
                    .map(|(id, mut series)| {
                        series.absent_from(s.saved_at + series::FINE);
                        series.prune(now);
                        (id.clone(), Arc::new(ClusterMetrics::new(&id, series)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Metrics {
            clusters: Mutex::new(clusters),
            path,
        }
    }

    /// A cluster's metering, created on first use.
    pub fn cluster(&self, id: &str) -> Arc<ClusterMetrics> {
        self.clusters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id.to_string())
            .or_insert_with(|| Arc::new(ClusterMetrics::new(id, Series::default())))
            .clone()
    }

    pub fn all(&self) -> Vec<Arc<ClusterMetrics>> {
        self.clusters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// Writes every series to `metrics.json` atomically.
    pub fn save(&self) -> std::io::Result<()> {
        use std::io::Write;
        let saved = Saved {
            saved_at: now(),
            clusters: self
                .all()
                .into_iter()
                .map(|c| (c.cluster_id.clone(), c.with(|s| s.clone())))
                .collect(),
        };
        let mut file = atomic_write_file::AtomicWriteFile::options().open(&self.path)?;
        file.write_all(&serde_json::to_vec(&saved).map_err(std::io::Error::other)?)?;
        file.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metering_survives_a_restart_with_gauges_absent_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let m = Metrics::load(dir.path());
        let t = now();
        m.cluster("lkc-1").with(|s| {
            s.partition_count.sample(t, Some(6.0));
            s.authentications.add(t, 1.0);
        });
        m.save().unwrap();
        let back = Metrics::load(dir.path());
        back.cluster("lkc-1").with(|s| {
            assert_eq!(s.authentications.sum(t - 60, t + 60), Some(1.0));
            assert_eq!(s.partition_count.last(), None, "absent until sampled again");
            assert_eq!(s.partition_count.mean(t - 10, t + 10, t + 10), Some(6.0));
        });
        // A corrupt file is not fatal.
        std::fs::write(dir.path().join("metrics.json"), b"{").unwrap();
        assert!(Metrics::load(dir.path()).all().is_empty());
    }
}
