//! The Send screen's two forms, checked before anything reaches a cluster: one record (sent over
//! the Kafka protocol or, to compare, Kafka REST) and a bulk run (a template or a file). Every
//! problem is reported at its field ([`FieldProblems`]).

use gureum_forms::{whole, FieldProblems, Problem, ProblemCode as C};
use serde::Deserialize;

use crate::bulk::{self, Job, Source};
use crate::producer::{Acks, Compression, OutRecord, SendOptions};
use crate::template::Template;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HeaderInput {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ValueFormat {
    Text,
    /// Checked to be JSON before sending.
    Json,
}

/// The Send form.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SendInput {
    pub topic: String,
    /// None: automatic (the key's hash, or spread). Wide so that bad numbers reach the check.
    pub partition: Option<f64>,
    /// None: no key.
    pub key: Option<String>,
    pub value: String,
    pub value_format: ValueFormat,
    pub headers: Vec<HeaderInput>,
    /// Milliseconds since the epoch; None: now.
    pub timestamp_ms: Option<f64>,
    pub acks: Acks,
    pub compression: Compression,
}

/// The checks both forms share: a topic is picked, an explicit partition is a whole number ≥ 0.
fn topic_and_partition(
    fields: &mut FieldProblems,
    topic: &str,
    partition: Option<f64>,
) -> Option<i32> {
    if topic.trim().is_empty() {
        fields.add("topic", Problem::new(C::TopicRequired, "Pick a topic."));
    }
    let p = whole(partition?, 0.0, f64::from(i32::MAX));
    if p.is_none() {
        fields.add(
            "partition",
            Problem::new(
                C::PartitionWhole,
                "A partition is a whole number, 0 or more.",
            ),
        );
    }
    p.map(|p| p as i32)
}

fn header_unnamed(n: usize) -> Problem {
    Problem::new(C::HeaderUnnamed, format!("Header {n} needs a name.")).with("n", n)
}

impl SendInput {
    /// The record to send, or every problem at its field.
    pub fn check(&self) -> Result<OutRecord, FieldProblems> {
        let mut fields = FieldProblems::new();
        let partition = topic_and_partition(&mut fields, &self.topic, self.partition);
        if self.value_format == ValueFormat::Json {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&self.value) {
                fields.add(
                    "value",
                    Problem::new(C::ValueNotJson, format!("Not valid JSON: {e}."))
                        .with("reason", e),
                );
            }
        }
        for (i, h) in self.headers.iter().enumerate() {
            if h.name.trim().is_empty() {
                fields.add("headers", header_unnamed(i + 1));
            }
        }
        let timestamp_ms = self.timestamp_ms.and_then(|t| {
            let t = whole(t, 0.0, 9.0e15);
            if t.is_none() {
                fields.add(
                    "timestamp",
                    Problem::new(C::TimestampTooEarly, "A timestamp is a time after 1970."),
                );
            }
            t
        });
        fields.or(OutRecord {
            topic: self.topic.trim().to_string(),
            partition,
            key: self.key.as_ref().map(|k| k.as_bytes().to_vec()),
            value: Some(self.value.as_bytes().to_vec()),
            headers: self
                .headers
                .iter()
                .map(|h| (h.name.trim().to_string(), h.value.as_bytes().to_vec()))
                .collect(),
            timestamp_ms,
        })
    }

    /// The value as JSON, when the form says it is JSON (and it parses).
    pub fn json_value(&self) -> Option<serde_json::Value> {
        match self.value_format {
            ValueFormat::Json => serde_json::from_str(&self.value).ok(),
            ValueFormat::Text => None,
        }
    }

    pub fn options(&self) -> SendOptions {
        SendOptions {
            acks: self.acks,
            compression: self.compression,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BulkSourceKind {
    /// `count` records from the key/value/header templates.
    Template,
    /// One record per line of `text`: the line is the value.
    Lines,
    /// One JSON object per line of `text` ({key, value, headers, partition}, or the value).
    JsonLines,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkInput {
    /// Chosen by the window; progress events and cancel use it.
    pub job_id: String,
    pub topic: String,
    pub partition: Option<f64>,
    pub source: BulkSourceKind,
    pub count: f64,
    pub key_template: Option<String>,
    pub value_template: String,
    pub headers: Vec<HeaderInput>,
    /// The file's text, for lines and JSON lines.
    pub text: Option<String>,
    pub acks: Acks,
    pub compression: Compression,
}

impl BulkInput {
    /// The bulk job, or every problem at its field (a template's, or the file's line).
    pub fn job(&self) -> Result<Job, FieldProblems> {
        let mut fields = FieldProblems::new();
        let partition = topic_and_partition(&mut fields, &self.topic, self.partition);
        let source = match self.source {
            BulkSourceKind::Template => self.templates(&mut fields),
            kind => match bulk::parse_lines(
                self.text.as_deref().unwrap_or_default(),
                kind == BulkSourceKind::JsonLines,
            ) {
                Ok(records) => Some(Source::Records(records)),
                Err(e) => {
                    fields.add("file", e);
                    None
                }
            },
        };
        match source {
            Some(source) if fields.is_empty() => Ok(Job {
                topic: self.topic.trim().to_string(),
                partition,
                source,
                options: SendOptions {
                    acks: self.acks,
                    compression: self.compression,
                },
            }),
            _ => Err(fields),
        }
    }

    fn templates(&self, fields: &mut FieldProblems) -> Option<Source> {
        let count = whole(self.count, 1.0, bulk::MAX_COUNT as f64);
        if count.is_none() {
            fields.add(
                "count",
                Problem::new(
                    C::CountRange,
                    format!("Send from 1 to {} records.", bulk::MAX_COUNT),
                )
                .with("max", bulk::MAX_COUNT),
            );
        }
        let key = match self.key_template.as_deref().filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => Template::parse(k)
                .map_err(|e| fields.add("key_template", e))
                .ok(),
        };
        let value = Template::parse(&self.value_template)
            .map_err(|e| fields.add("value_template", e))
            .ok();
        let mut headers = Vec::new();
        for (i, h) in self.headers.iter().enumerate() {
            if h.name.trim().is_empty() {
                fields.add("headers", header_unnamed(i + 1));
            }
            match Template::parse(&h.value) {
                Ok(t) => headers.push((h.name.trim().to_string(), t)),
                Err(e) => fields.add("headers", e),
            }
        }
        match (count, value) {
            (Some(count), Some(value)) if fields.is_empty() => Some(Source::Template {
                key,
                value,
                headers,
                count: count as u64,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SendInput {
        SendInput {
            topic: "orders".into(),
            partition: None,
            key: Some("k".into()),
            value: r#"{"a": 1}"#.into(),
            value_format: ValueFormat::Json,
            headers: vec![],
            timestamp_ms: None,
            acks: Acks::All,
            compression: Compression::None,
        }
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        let ok = input().check().unwrap();
        assert_eq!(
            (ok.topic.as_str(), ok.key.as_deref()),
            ("orders", Some(&b"k"[..]))
        );
        assert_eq!(input().json_value(), Some(serde_json::json!({"a": 1})));
        let bad = SendInput {
            topic: " ".into(),
            partition: Some(-1.0),
            value: r#"{"a": 1,}"#.into(),
            headers: vec![
                HeaderInput {
                    name: "".into(),
                    value: "v".into(),
                },
                HeaderInput {
                    name: " ".into(),
                    value: "w".into(),
                },
            ],
            timestamp_ms: Some(1.5),
            ..input()
        };
        let fields = bad.check().unwrap_err();
        assert_eq!(fields["topic"], "Pick a topic.");
        assert!(fields["partition"].contains("whole number"));
        assert!(
            fields["value"].starts_with("Not valid JSON: trailing comma at line 1 column 9"),
            "{}",
            fields["value"]
        );
        // The first problem of a field is the one shown.
        assert_eq!(fields["headers"], "Header 1 needs a name.");
        assert!(fields.contains("timestamp"));
        // Text is sent as it is.
        let text = SendInput {
            value: "not json {".into(),
            value_format: ValueFormat::Text,
            partition: Some(2.0),
            timestamp_ms: Some(1_700_000_000_000.0),
            ..input()
        };
        let r = text.check().unwrap();
        assert_eq!(r.value.unwrap(), b"not json {");
        assert_eq!(
            (r.partition, r.timestamp_ms),
            (Some(2), Some(1_700_000_000_000))
        );
        assert_eq!(text.json_value(), None);
    }

    #[test]
    fn bulk_forms_point_at_the_template_or_file_line() {
        let base = BulkInput {
            job_id: "j".into(),
            topic: "t".into(),
            partition: None,
            source: BulkSourceKind::Template,
            count: 10.0,
            key_template: Some("{{nope}}".into()),
            value_template: "{{seq}}".into(),
            headers: vec![],
            text: None,
            acks: Acks::All,
            compression: Compression::None,
        };
        let e = base.job().unwrap_err();
        assert!(e["key_template"].contains("Unknown placeholder {{nope}}"));
        let e = BulkInput {
            count: 0.0,
            key_template: None,
            ..base.clone()
        }
        .job()
        .unwrap_err();
        assert!(e.contains("count"));
        let e = BulkInput {
            source: BulkSourceKind::JsonLines,
            text: Some("{\"value\": 1}\n{bad".into()),
            ..base.clone()
        }
        .job()
        .unwrap_err();
        assert!(e["file"].starts_with("Line 2"));
        let e = BulkInput {
            key_template: None,
            headers: vec![HeaderInput {
                name: "".into(),
                value: "{{seq}}".into(),
            }],
            ..base.clone()
        }
        .job()
        .unwrap_err();
        assert_eq!(e["headers"], "Header 1 needs a name.");
        let job = BulkInput {
            key_template: None,
            partition: Some(1.0),
            ..base
        }
        .job()
        .unwrap();
        assert_eq!((job.topic.as_str(), job.partition), ("t", Some(1)));
    }
}
