//! `POST /v2/metrics/cloud/query` and `/attributes`: the request as Confluent's Metrics API v2
//! takes it (metrics-v2.yaml `QueryRequest`), checked field by field, then answered from the
//! series in the `FLAT` or `GROUPED` shape.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::catalog::{Metric, PREFIX};
use super::cluster::{ClusterMetrics, SeriesRef};
use super::interval::{self, Secs};

/// What a bad request gets: the detail, and the field it is about (a JSON pointer).
#[derive(Debug, PartialEq)]
pub struct BadQuery {
    pub pointer: &'static str,
    pub detail: String,
}

fn bad(pointer: &'static str, detail: impl Into<String>) -> BadQuery {
    BadQuery {
        pointer,
        detail: detail.into(),
    }
}

/// The granularities and the longest interval each allows (metrics-v2.yaml `Granularity`).
const GRANULARITIES: &[(&str, Secs, Option<Secs>)] = &[
    ("PT1M", 60, Some(6 * 3600)),
    ("PT5M", 300, Some(86400)),
    ("PT15M", 900, Some(4 * 86400)),
    ("PT30M", 1800, Some(7 * 86400)),
    ("PT1H", 3600, None),
    ("PT4H", 4 * 3600, None),
    ("PT6H", 6 * 3600, None),
    ("PT12H", 12 * 3600, None),
    ("P1D", 86400, None),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Granularity {
    Step(Secs),
    All,
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Field {
        field: String,
        op: Op,
        value: String,
    },
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Gt,
    Gte,
}

impl Filter {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Filter::Field { field, op, value } => match labels.get(field) {
                None => false,
                Some(v) => match op {
                    Op::Eq => v == value,
                    // Labels compare lexicographically, as the spec says.
                    Op::Gt => v.as_str() > value.as_str(),
                    Op::Gte => v.as_str() >= value.as_str(),
                },
            },
            Filter::And(fs) => fs.iter().all(|f| f.matches(labels)),
            Filter::Or(fs) => fs.iter().any(|f| f.matches(labels)),
            Filter::Not(f) => !f.matches(labels),
        }
    }

    /// Whether every series this filter lets through names a Kafka cluster by id: the filter is
    /// such an EQ, or an AND with one, or an OR of such filters.
    fn pins_resource(&self) -> bool {
        match self {
            Filter::Field { field, op, .. } => field == "resource.kafka.id" && *op == Op::Eq,
            Filter::And(fs) => fs.iter().any(Filter::pins_resource),
            Filter::Or(fs) => !fs.is_empty() && fs.iter().all(Filter::pins_resource),
            Filter::Not(_) => false,
        }
    }
}

/// A checked query.
#[derive(Debug)]
pub struct Query {
    metric: Metric,
    group_by: Vec<String>,
    granularity: Granularity,
    filter: Filter,
    intervals: Vec<(Secs, Secs)>,
    limit: usize,
    grouped: bool,
    ascending: bool,
}

fn labels_allowed(metric: Metric, field: &str) -> bool {
    field == "resource.kafka.id"
        || field
            .strip_prefix("metric.")
            .is_some_and(|l| metric.has_label(l))
}

fn parse_filter(v: &Value, metric: Metric, depth: usize) -> Result<Filter, BadQuery> {
    if depth > 16 {
        return Err(bad("/filter", "The filter is nested too deeply."));
    }
    let op = v.get("op").and_then(Value::as_str).ok_or_else(|| {
        bad(
            "/filter",
            "Every filter needs an op (EQ, GT, GTE, AND, OR or NOT).",
        )
    })?;
    match op {
        "AND" | "OR" => {
            let fs = v
                .get("filters")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    bad(
                        "/filter",
                        format!("A filter with op {op} needs a 'filters' array."),
                    )
                })?
                .iter()
                .map(|f| parse_filter(f, metric, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if op == "AND" {
                Filter::And(fs)
            } else {
                Filter::Or(fs)
            })
        }
        "NOT" => {
            let inner = v
                .get("filter")
                .ok_or_else(|| bad("/filter", "A filter with op NOT needs a 'filter'."))?;
            Ok(Filter::Not(Box::new(parse_filter(
                inner,
                metric,
                depth + 1,
            )?)))
        }
        "EQ" | "GT" | "GTE" => {
            let field = v
                .get("field")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("/filter", format!("A filter with op {op} needs a 'field'.")))?;
            if !labels_allowed(metric, field) {
                return Err(bad(
                    "/filter",
                    format!(
                        "Invalid filter field '{field}' for metric {PREFIX}{}: use resource.kafka.id{}.",
                        metric.descriptor().name,
                        label_list(metric)
                    ),
                ));
            }
            let value = match v.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) if n.is_i64() => n.to_string(),
                _ => {
                    return Err(bad(
                        "/filter",
                        format!("The filter on '{field}' needs a string or integer 'value'."),
                    ))
                }
            };
            let op = match op {
                "EQ" => Op::Eq,
                "GT" => Op::Gt,
                _ => Op::Gte,
            };
            Ok(Filter::Field {
                field: field.to_string(),
                op,
                value,
            })
        }
        other => Err(bad(
            "/filter",
            format!("Unknown filter op '{other}'; use EQ, GT, GTE, AND, OR or NOT."),
        )),
    }
}

fn label_list(metric: Metric) -> String {
    metric
        .descriptor()
        .labels
        .iter()
        .map(|(k, _)| format!(", metric.{k}"))
        .collect()
}

fn metric_of(body: &Value, pointer: &'static str) -> Result<Metric, BadQuery> {
    let name = body.as_str().ok_or_else(|| {
        bad(
            pointer,
            "The metric must be a string such as io.confluent.kafka.server/received_bytes.",
        )
    })?;
    Metric::from_name(name).ok_or_else(|| {
        bad(
            pointer,
            format!("Unknown metric '{name}'. GET /v2/metrics/cloud/descriptors/metrics lists the metrics."),
        )
    })
}

fn intervals_of(body: &Value, now: Secs) -> Result<Vec<(Secs, Secs)>, BadQuery> {
    let list = body
        .get("intervals")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| {
            bad(
                "/intervals",
                "intervals is required: one or more ISO-8601 intervals, e.g. [\"PT1H/now-2m|m\"].",
            )
        })?;
    list.iter()
        .map(|i| {
            let text = i
                .as_str()
                .ok_or_else(|| bad("/intervals", "Each interval must be a string."))?;
            interval::parse(text, now)
                .map_err(|e| bad("/intervals", format!("Invalid interval: {e}.")))
        })
        .collect()
}

fn filter_of(body: &Value, metric: Metric) -> Result<Filter, BadQuery> {
    let missing = || {
        bad(
            "/filter",
            "A query of the cloud dataset must filter on a resource: add {\"field\": \"resource.kafka.id\", \"op\": \"EQ\", \"value\": \"lkc-…\"}.",
        )
    };
    let filter = parse_filter(body.get("filter").ok_or_else(missing)?, metric, 0)?;
    if filter.pins_resource() {
        Ok(filter)
    } else {
        Err(missing())
    }
}

fn group_by_of(body: &Value, metric: Metric) -> Result<Vec<String>, BadQuery> {
    let Some(list) = body.get("group_by") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| bad("/group_by", "group_by must be an array of labels."))?;
    list.iter()
        .map(|l| {
            let l = l
                .as_str()
                .ok_or_else(|| bad("/group_by", "Each group_by label must be a string."))?;
            if labels_allowed(metric, l) {
                Ok(l.to_string())
            } else {
                Err(bad(
                    "/group_by",
                    format!(
                        "Invalid group_by label '{l}' for metric {PREFIX}{}: use resource.kafka.id{}.",
                        metric.descriptor().name,
                        label_list(metric)
                    ),
                ))
            }
        })
        .collect()
}

fn limit_of(body: &Value) -> Result<usize, BadQuery> {
    match body.get("limit") {
        None | Some(Value::Null) => Ok(100),
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=1000).contains(n))
            .map(|n| n as usize)
            .ok_or_else(|| bad("/limit", "limit must be an integer from 1 to 1000.")),
    }
}

impl Query {
    pub fn parse(body: &Value, now: Secs) -> Result<Query, BadQuery> {
        let aggs = body
            .get("aggregations")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                bad(
                    "/aggregations",
                    "aggregations is required: [{\"metric\": \"io.confluent.kafka.server/…\"}].",
                )
            })?;
        let [agg] = aggs.as_slice() else {
            return Err(bad(
                "/aggregations",
                format!(
                    "Exactly one aggregation per request is supported; got {}.",
                    aggs.len()
                ),
            ));
        };
        let metric = metric_of(
            agg.get("metric").unwrap_or(&Value::Null),
            "/aggregations/0/metric",
        )?;
        match agg.get("agg") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s == "SUM" => {}
            Some(other) => {
                return Err(bad(
                    "/aggregations/0/agg",
                    format!(
                        "Unsupported aggregation {other}; the only one is SUM (or leave it out)."
                    ),
                ))
            }
        }
        let granularity = match body.get("granularity").and_then(Value::as_str) {
            Some("ALL") => Granularity::All,
            Some(g) => match GRANULARITIES.iter().find(|(name, ..)| *name == g) {
                Some((_, step, _)) => Granularity::Step(*step),
                None => {
                    return Err(bad(
                        "/granularity",
                        format!("Unsupported granularity '{g}'; use PT1M, PT5M, PT15M, PT30M, PT1H, PT4H, PT6H, PT12H, P1D or ALL."),
                    ))
                }
            },
            None => return Err(bad("/granularity", "granularity is required (PT1M … P1D, or ALL).")),
        };
        let intervals = intervals_of(body, now)?;
        if let Granularity::Step(step) = granularity {
            let (name, _, max) = GRANULARITIES
                .iter()
                .find(|(_, s, _)| *s == step)
                .expect("parsed from the table");
            if let Some(max) = max {
                if let Some((s, e)) = intervals.iter().find(|(s, e)| e - s > *max) {
                    return Err(bad(
                        "/intervals",
                        format!(
                            "The interval is {} long, but granularity {name} allows at most {}; use a coarser granularity or a shorter interval.",
                            human(e - s),
                            human(*max)
                        ),
                    ));
                }
            }
        }
        let filter = filter_of(body, metric)?;
        let group_by = group_by_of(body, metric)?;
        let limit = limit_of(body)?;
        let grouped = match body.get("format").and_then(Value::as_str) {
            None | Some("FLAT") => false,
            Some("GROUPED") if !group_by.is_empty() => true,
            Some("GROUPED") => return Err(bad("/format", "format GROUPED needs a group_by.")),
            Some(f) => {
                return Err(bad(
                    "/format",
                    format!("Unknown format '{f}'; use FLAT or GROUPED."),
                ))
            }
        };
        let ascending = match body.get("order_by") {
            None | Some(Value::Null) => false,
            Some(_) if granularity != Granularity::All => {
                return Err(bad(
                    "/order_by",
                    "order_by is only valid with granularity ALL.",
                ))
            }
            Some(o) => {
                let first = o
                    .as_array()
                    .and_then(|a| a.first())
                    .ok_or_else(|| bad("/order_by", "order_by must be a non-empty array."))?;
                metric_of(
                    first.get("metric").unwrap_or(&Value::Null),
                    "/order_by/0/metric",
                )?;
                match first.get("order").and_then(Value::as_str) {
                    None | Some("DESCENDING") => false,
                    Some("ASCENDING") => true,
                    Some(x) => {
                        return Err(bad(
                            "/order_by",
                            format!("Unknown order '{x}'; use ASCENDING or DESCENDING."),
                        ))
                    }
                }
            }
        };
        Ok(Query {
            metric,
            group_by,
            granularity,
            filter,
            intervals,
            limit,
            grouped,
            ascending,
        })
    }

    /// The time buckets: (timestamp, from, to), clipped to the intervals.
    fn buckets(&self) -> Vec<(Secs, Secs, Secs)> {
        let mut out = Vec::new();
        for &(start, end) in &self.intervals {
            match self.granularity {
                Granularity::All => out.push((start, start, end)),
                Granularity::Step(step) => {
                    let mut b = start - start.rem_euclid(step);
                    while b < end {
                        out.push((b, b.max(start), (b + step).min(end)));
                        b += step;
                    }
                }
            }
        }
        out
    }

    /// Answers the query over `clusters`; `offset` is where the page of groups starts.
    pub fn run(
        &self,
        clusters: &[std::sync::Arc<ClusterMetrics>],
        now: Secs,
        offset: usize,
    ) -> Value {
        let buckets = self.buckets();
        // group key → timestamp → summed value
        let mut groups: BTreeMap<Vec<String>, BTreeMap<Secs, f64>> = BTreeMap::new();
        for c in clusters {
            c.with(|series| {
                for (labels, s) in series.of(self.metric) {
                    let mut all: BTreeMap<String, String> = labels
                        .into_iter()
                        .map(|(k, v)| (format!("metric.{k}"), v))
                        .collect();
                    all.insert("resource.kafka.id".into(), c.cluster_id.clone());
                    if !self.filter.matches(&all) {
                        continue;
                    }
                    let key: Vec<String> = self
                        .group_by
                        .iter()
                        .map(|g| all.get(g).cloned().unwrap_or_default())
                        .collect();
                    let points = groups.entry(key).or_default();
                    for &(ts, from, to) in &buckets {
                        let v = match s {
                            // Minutes are counted by their start: the first bucket's minute
                            // starts at or before `from`.
                            SeriesRef::Counter(c) => c.sum(from - from.rem_euclid(60), to),
                            SeriesRef::Gauge(g) => g.mean(from, to, now),
                        };
                        if let Some(v) = v {
                            *points.entry(ts).or_insert(0.0) += v;
                        }
                    }
                }
            });
        }
        groups.retain(|_, points| !points.is_empty());
        let mut ordered: Vec<(Vec<String>, BTreeMap<Secs, f64>)> = groups.into_iter().collect();
        if self.granularity == Granularity::All && !self.group_by.is_empty() {
            // Groups by value: descending unless order_by asked otherwise.
            let total = |p: &BTreeMap<Secs, f64>| p.values().sum::<f64>();
            ordered.sort_by(|a, b| {
                let o = total(&a.1).total_cmp(&total(&b.1));
                if self.ascending {
                    o
                } else {
                    o.reverse()
                }
            });
        }
        let total_groups = ordered.len();
        let page: Vec<_> = ordered.into_iter().skip(offset).take(self.limit).collect();
        let next = offset + page.len();
        let mut data = Vec::new();
        for (key, points) in page {
            let mut labels = Map::new();
            for (g, v) in self.group_by.iter().zip(key) {
                labels.insert(g.clone(), Value::String(v));
            }
            // Newest first, as the spec says of points within a group.
            let pts = points
                .into_iter()
                .rev()
                .map(|(ts, v)| (timestamp(ts), number(v)));
            if self.grouped {
                let mut group = labels;
                group.insert(
                    "points".into(),
                    pts.map(|(ts, v)| json!({"timestamp": ts, "value": v}))
                        .collect(),
                );
                data.push(Value::Object(group));
            } else {
                for (ts, v) in pts {
                    let mut p = labels.clone();
                    p.insert("timestamp".into(), json!(ts));
                    p.insert("value".into(), v);
                    data.push(Value::Object(p));
                }
            }
        }
        let mut out = json!({ "data": data });
        if !self.group_by.is_empty() && next < total_groups {
            out["meta"] = json!({ "pagination": {
                "page_size": self.limit,
                "next_page_token": page_token(next),
            }});
        }
        out
    }
}

/// `POST /v2/metrics/cloud/attributes`: the values a label takes among the series that match.
pub fn attributes(
    body: &Value,
    clusters: &[std::sync::Arc<ClusterMetrics>],
    now: Secs,
    offset: usize,
) -> Result<Value, BadQuery> {
    let metric = metric_of(body.get("metric").unwrap_or(&Value::Null), "/metric")?;
    let group_by = group_by_of(body, metric)?;
    let [label] = group_by.as_slice() else {
        return Err(bad("/group_by", "group_by must name exactly one label."));
    };
    let intervals = if body.get("intervals").is_some() {
        intervals_of(body, now)?
    } else {
        vec![(now - 3600, now)] // the spec's default: the last hour
    };
    let filter = filter_of(body, metric)?;
    let limit = limit_of(body)?;
    let mut values = std::collections::BTreeSet::new();
    for c in clusters {
        c.with(|series| {
            for (labels, s) in series.of(metric) {
                let mut all: BTreeMap<String, String> = labels
                    .into_iter()
                    .map(|(k, v)| (format!("metric.{k}"), v))
                    .collect();
                all.insert("resource.kafka.id".into(), c.cluster_id.clone());
                let seen = intervals.iter().any(|&(from, to)| match s {
                    SeriesRef::Counter(c) => c.sum(from - from.rem_euclid(60), to).is_some(),
                    SeriesRef::Gauge(g) => g.mean(from, to, now).is_some(),
                });
                if seen && filter.matches(&all) {
                    if let Some(v) = all.get(label) {
                        values.insert(v.clone());
                    }
                }
            }
        });
    }
    let total = values.len();
    let page: Vec<Value> = values
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|v| json!({ label.clone(): v }))
        .collect();
    let next = offset + page.len();
    let mut pagination = json!({ "page_size": limit, "total_size": total });
    if next < total {
        pagination["next_page_token"] = json!(page_token(next));
    }
    Ok(json!({ "data": page, "meta": { "pagination": pagination } }))
}

fn timestamp(ts: Secs) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Whole numbers as JSON integers (counters), others as they are (averaged gauges).
fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn human(secs: Secs) -> String {
    match secs {
        s if s % 86400 == 0 => format!("{} day(s)", s / 86400),
        s if s % 3600 == 0 => format!("{} hour(s)", s / 3600),
        s if s % 60 == 0 => format!("{} minute(s)", s / 60),
        s => format!("{s} s"),
    }
}

/// Opaque page tokens: base64 of the offset.
pub fn page_token(offset: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("g:{offset}"))
}

pub fn page_offset(token: &str) -> Option<usize> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("g:")?
        .parse()
        .ok()
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
