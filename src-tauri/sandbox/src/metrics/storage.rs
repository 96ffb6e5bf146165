//! What the brokers' storage holds, read from the cluster's SQLite file: per partition, the bytes
//! of keys and values retained (the measure nisshi's retention.bytes applies to), and the topic
//! ids. Read-only and in WAL mode, so the brokers never wait for us.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub struct Retained {
    /// (topic, partition, bytes of keys and values).
    pub partitions: Vec<(String, i32, u64)>,
    /// (topic id, topic name).
    pub topic_ids: Vec<(u128, String)>,
}

/// Reads the partitions of `cluster_id` (nisshi's cluster name) from the broker database.
pub fn read(db: &Path, cluster_id: &str) -> rusqlite::Result<Retained> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(2))?;
    // length() of a blob reads its size from the record header, not the blob.
    let mut stmt = conn.prepare_cached(
        "select t.name, tp.partition,
                coalesce(sum(coalesce(length(r.k), 0) + coalesce(length(r.v), 0)), 0)
         from topic t
         join cluster c on c.id = t.cluster
         join topition tp on tp.topic = t.id
         left join record r on r.topition = tp.id
         where c.name = ?1
         group by tp.id",
    )?;
    let partitions = stmt
        .query_map([cluster_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i32>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?
        .map(|r| r.map(|(t, p, b)| (t, p, u64::try_from(b).unwrap_or(0))))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "select t.uuid, t.name from topic t join cluster c on c.id = t.cluster where c.name = ?1",
    )?;
    let topic_ids = stmt
        .query_map([cluster_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .filter_map(|r| {
            let (uuid, name) = r.ok()?;
            let id = u128::from_str_radix(&uuid.replace('-', ""), 16).ok()?;
            Some((id, name))
        })
        .collect();
    Ok(Retained {
        partitions,
        topic_ids,
    })
}
