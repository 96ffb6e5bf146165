//! Every 10 seconds: the gauges of every cluster (connections from its front doors, retained
//! bytes and partitions from its brokers' storage); every minute, old buckets dropped; every 5
//! minutes, the series saved.

use std::collections::HashSet;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::cluster::{now, ClusterMetrics};
use super::series::FINE;
use crate::cluster::Phase;
use crate::organization::Organization;

const SAVE_EVERY: u32 = 30; // ticks of FINE seconds: 5 minutes

/// Runs until the cloud is dropped.
pub async fn run(cloud: Weak<Organization>) {
    let mut tick = tokio::time::interval(Duration::from_secs(FINE as u64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut n: u32 = 0;
    loop {
        tick.tick().await;
        let Some(cloud) = cloud.upgrade() else { return };
        for c in cloud.metrics.all() {
            sample(&cloud, &c).await;
        }
        n = n.wrapping_add(1);
        if n % 6 == 0 {
            let t = now();
            for c in cloud.metrics.all() {
                c.with(|s| s.prune(t));
            }
        }
        if n % SAVE_EVERY == 0 {
            save(&cloud).await;
        }
    }
}

/// Saves off the async workers (the file can be a few MB).
pub async fn save(cloud: &Arc<Organization>) {
    let c = cloud.clone();
    match tokio::task::spawn_blocking(move || c.metrics.save()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => log::warn!("could not save the sandbox's metrics: {e}"),
        Err(e) => log::warn!("saving the sandbox's metrics failed: {e}"),
    }
}

async fn sample(cloud: &Arc<Organization>, c: &Arc<ClusterMetrics>) {
    let t = now();
    let live = cloud
        .runtime(&c.cluster_id)
        .is_some_and(|rt| rt.phase() == Phase::Provisioned);
    if !live {
        c.with(|s| s.absent_from(t));
        return;
    }
    let connections = c.open_connections() as f64;
    c.with(|s| s.active_connections.sample(t, Some(connections)));
    let db = cloud
        .data_dir
        .join("clusters")
        .join(&c.cluster_id)
        .join("broker.db");
    let id = c.cluster_id.clone();
    let read = tokio::task::spawn_blocking(move || super::storage::read(&db, &id)).await;
    match read {
        Ok(Ok(r)) => {
            c.learn_topic_ids(r.topic_ids);
            let present: HashSet<(&str, i32)> = r
                .partitions
                .iter()
                .map(|(t, p, _)| (t.as_str(), *p))
                .collect();
            c.with(|s| {
                s.partition_count.sample(t, Some(r.partitions.len() as f64));
                // Partitions the storage no longer has are absent from now on.
                for (topic, parts) in s.partitions.iter_mut() {
                    for (p, series) in parts.iter_mut() {
                        if !present.contains(&(topic.as_str(), *p)) {
                            series.retained_bytes.sample(t, None);
                        }
                    }
                }
                for (topic, p, bytes) in &r.partitions {
                    s.partitions
                        .entry(topic.clone())
                        .or_default()
                        .entry(*p)
                        .or_default()
                        .retained_bytes
                        .sample(t, Some(*bytes as f64));
                }
            });
        }
        // Busy or mid-migration: the gauges carry their last value; try again next tick.
        Ok(Err(e)) => log::debug!("cluster {}: storage not read this time: {e}", c.cluster_id),
        Err(e) => log::warn!("cluster {}: storage read failed: {e}", c.cluster_id),
    }
}
