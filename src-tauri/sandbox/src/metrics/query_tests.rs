use std::sync::Arc;

use super::*;
use crate::metrics::cluster::Series;

const NOW: Secs = 1_800_000_000 + 3 * 3600 + 30; // 30 s past a minute (and an hour)
const H: Secs = 1_800_000_000; // three hours before NOW, on the hour

fn ts(t: Secs) -> String {
    timestamp(t)
}

/// Two clusters; lkc-a has two topics with known traffic, lkc-b one.
fn clusters() -> Vec<Arc<ClusterMetrics>> {
    let a = ClusterMetrics::new("lkc-a", Series::default());
    a.with(|s| {
        let mut add = |topic: &str, p: i32, t: Secs, bytes: f64| {
            s.partitions
                .entry(topic.into())
                .or_default()
                .entry(p)
                .or_default()
                .received_bytes
                .add(t, bytes);
        };
        add("orders", 0, H + 5, 100.0);
        add("orders", 1, H + 50, 20.0);
        add("orders", 0, H + 65, 7.0);
        add("payments", 0, H + 10, 1000.0);
        s.active_connections.sample(H, Some(2.0));
        s.active_connections.sample(H + 30, Some(4.0));
    });
    let b = ClusterMetrics::new("lkc-b", Series::default());
    b.with(|s| {
        s.partitions
            .entry("orders".into())
            .or_default()
            .entry(0)
            .or_default()
            .received_bytes
            .add(H + 5, 9999.0);
    });
    vec![Arc::new(a), Arc::new(b)]
}

fn query(body: Value) -> Value {
    Query::parse(&body, NOW).unwrap().run(&clusters(), NOW, 0)
}

fn on(cluster: &str) -> Value {
    json!({"field": "resource.kafka.id", "op": "EQ", "value": cluster})
}

#[test]
fn received_bytes_per_topic_per_minute_newest_first() {
    let out = query(json!({
        "aggregations": [{"metric": "io.confluent.kafka.server/received_bytes"}],
        "filter": on("lkc-a"),
        "granularity": "PT1M",
        "intervals": [format!("{}/PT3M", ts(H))],
        "group_by": ["metric.topic"],
    }));
    assert_eq!(
        out,
        json!({"data": [
            {"metric.topic": "orders", "timestamp": ts(H + 60), "value": 7},
            {"metric.topic": "orders", "timestamp": ts(H), "value": 120},
            {"metric.topic": "payments", "timestamp": ts(H), "value": 1000},
        ]})
    );
}

#[test]
fn without_group_by_everything_of_the_cluster_is_summed() {
    let out = query(json!({
        "aggregations": [{"metric": "io.confluent.kafka.server/received_bytes", "agg": "SUM"}],
        "filter": on("lkc-a"),
        "granularity": "ALL",
        "intervals": ["PT4H/now"],
    }));
    assert_eq!(
        out,
        json!({"data": [{"timestamp": ts(NOW - 4 * 3600), "value": 1127}]})
    );
}

#[test]
fn filters_combine_and_grouped_format_nests_points() {
    let out = query(json!({
        "aggregations": [{"metric": "io.confluent.kafka.server/received_bytes"}],
        "filter": {"op": "AND", "filters": [
            {"op": "OR", "filters": [on("lkc-a"), on("lkc-b")]},
            {"op": "NOT", "filter": {"field": "metric.topic", "op": "EQ", "value": "payments"}},
            {"field": "metric.partition", "op": "EQ", "value": 0},
        ]},
        "granularity": "PT5M",
        "intervals": [format!("{}/PT5M", ts(H))],
        "group_by": ["resource.kafka.id"],
        "format": "GROUPED",
    }));
    assert_eq!(
        out,
        json!({"data": [
            {"resource.kafka.id": "lkc-a", "points": [{"timestamp": ts(H), "value": 107}]},
            {"resource.kafka.id": "lkc-b", "points": [{"timestamp": ts(H), "value": 9999}]},
        ]})
    );
}

#[test]
fn gauges_are_averaged_over_the_bucket() {
    let out = query(json!({
        "aggregations": [{"metric": "io.confluent.kafka.server/active_connection_count"}],
        "filter": on("lkc-a"),
        "granularity": "PT1M",
        "intervals": [format!("{}/PT1M", ts(H))],
    }));
    // Instants H..H+50: 2, 2, 2, 4, 4, 4.
    assert_eq!(out, json!({"data": [{"timestamp": ts(H), "value": 3}]}));
}

#[test]
fn no_traffic_is_no_points_not_an_error() {
    let out = query(json!({
        "aggregations": [{"metric": "io.confluent.kafka.server/sent_bytes"}],
        "filter": on("lkc-a"),
        "granularity": "PT1M",
        "intervals": ["PT1H/now"],
        "group_by": ["metric.topic"],
    }));
    assert_eq!(out, json!({"data": []}));
}

#[test]
fn groups_are_paged_with_an_opaque_token_and_all_orders_by_value() {
    let body = json!({
        "aggregations": [{"metric": "io.confluent.kafka.server/received_bytes"}],
        "filter": on("lkc-a"),
        "granularity": "ALL",
        "intervals": ["PT4H/now"],
        "group_by": ["metric.topic"],
        "limit": 1,
    });
    let q = Query::parse(&body, NOW).unwrap();
    let first = q.run(&clusters(), NOW, 0);
    assert_eq!(first["data"][0]["metric.topic"], "payments"); // 1000 > 127
    let token = first["meta"]["pagination"]["next_page_token"]
        .as_str()
        .unwrap();
    let second = q.run(&clusters(), NOW, page_offset(token).unwrap());
    assert_eq!(second["data"][0]["metric.topic"], "orders");
    assert!(second.get("meta").is_none(), "no page after the last");
    assert_eq!(page_offset("garbage"), None);
}

fn error(body: Value) -> BadQuery {
    Query::parse(&body, NOW).unwrap_err()
}

fn valid() -> Value {
    json!({
        "aggregations": [{"metric": "io.confluent.kafka.server/received_bytes"}],
        "filter": on("lkc-a"),
        "granularity": "PT1M",
        "intervals": ["PT1H/now"],
    })
}

fn with(key: &str, v: Value) -> Value {
    let mut b = valid();
    b[key] = v;
    b
}

#[test]
fn bad_queries_name_the_field_and_say_why() {
    let e = error(with(
        "aggregations",
        json!([{"metric": "io.confluent.kafka.server/bogus"}]),
    ));
    assert_eq!(e.pointer, "/aggregations/0/metric");
    assert!(e.detail.contains("Unknown metric"), "{}", e.detail);

    let mut no_filter = valid();
    no_filter.as_object_mut().unwrap().remove("filter");
    let e = error(no_filter);
    assert_eq!(e.pointer, "/filter");
    assert!(e.detail.contains("resource.kafka.id"));
    // A filter that does not pin a cluster is no resource filter either.
    assert_eq!(
        error(with(
            "filter",
            json!({"field": "metric.topic", "op": "EQ", "value": "x"})
        ))
        .pointer,
        "/filter"
    );
    assert_eq!(
        error(with("filter", json!({"op": "NOT", "filter": on("lkc-a")}))).pointer,
        "/filter"
    );

    let e = error(with("intervals", json!(["P2D/now"])));
    assert_eq!(e.pointer, "/intervals");
    assert!(
        e.detail.contains("PT1M allows at most 6 hour(s)"),
        "{}",
        e.detail
    );

    let e = error(with("intervals", json!(["2026-02-30T00:00:00Z/PT1H"])));
    assert!(e.detail.contains("Invalid interval"), "{}", e.detail);
    assert_eq!(error(with("intervals", json!([]))).pointer, "/intervals");
    assert_eq!(
        error(with("granularity", json!("PT2M"))).pointer,
        "/granularity"
    );
    assert_eq!(
        error(with("group_by", json!(["metric.type"]))).pointer,
        "/group_by"
    );
    assert_eq!(error(with("format", json!("GROUPED"))).pointer, "/format");
    assert_eq!(error(with("limit", json!(0))).pointer, "/limit");
    assert_eq!(
        error(with("order_by", json!([{"metric": "x"}]))).pointer,
        "/order_by"
    );
    assert_eq!(
        error(with(
            "aggregations",
            json!([{"metric": "io.confluent.kafka.server/received_bytes", "agg": "MAX"}])
        ))
        .pointer,
        "/aggregations/0/agg"
    );
    assert_eq!(
        error(with("aggregations", json!([]))).pointer,
        "/aggregations"
    );
    assert_eq!(
        error(with(
            "filter",
            json!({"field": "metric.nope", "op": "EQ", "value": "x"})
        ))
        .pointer,
        "/filter"
    );
}

#[test]
fn attributes_list_label_values_seen() {
    let out = attributes(
        &json!({
            "metric": "io.confluent.kafka.server/received_bytes",
            "group_by": ["metric.topic"],
            "filter": on("lkc-a"),
            "intervals": ["PT4H/now"],
        }),
        &clusters(),
        NOW,
        0,
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"data": [{"metric.topic": "orders"}, {"metric.topic": "payments"}],
               "meta": {"pagination": {"page_size": 100, "total_size": 2}}})
    );
}
