//! Record templates for bulk sends: text with placeholders, parsed once and rendered per record.
//!
//! | placeholder            | becomes                                          |
//! |------------------------|--------------------------------------------------|
//! | `{{seq}}`              | the record's number in the run, from 0           |
//! | `{{uuid}}`             | a random UUID (v4)                               |
//! | `{{now}}`              | the time, milliseconds since the epoch           |
//! | `{{now_iso}}`          | the time, RFC 3339 (`2026-11-26T10:59:08.123Z`)  |
//! | `{{int A B}}`          | a random whole number from A to B (inclusive)    |
//! | `{{float A B}}`        | a random number from A to B, two decimals        |
//! | `{{pick x\|y\|z}}`     | one of the listed words at random                |
//! | `{{string N}}`         | N random letters and digits                      |
//! | `{{bool}}`             | true or false                                    |

use std::fmt::Write as _;

use rand::distr::{Alphanumeric, SampleString};
use rand::Rng;

use gureum_forms::{Problem, ProblemCode as C};

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Seq,
    Uuid,
    Now,
    NowIso,
    Int(i64, i64),
    Float(f64, f64),
    Pick(Vec<String>),
    Str(usize),
    Bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

/// The placeholders, for error messages and the UI's help.
pub const PLACEHOLDERS: &str = "{{seq}}, {{uuid}}, {{now}}, {{now_iso}}, {{int 1 100}}, {{float 0 1}}, {{pick a|b|c}}, {{string 8}}, {{bool}}";

fn placeholder(body: &str, at: usize) -> Result<Part, Problem> {
    let body = body.trim();
    let (name, args) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
    let args: Vec<&str> = args.split_whitespace().collect();
    let wrong = |code: C, how: &str| {
        Problem::new(code, format!("{{{{{body}}}}} at character {at}: {how}"))
            .with("placeholder", format!("{{{{{body}}}}}"))
            .with("at", at)
    };
    let nums = |args: &[&str]| -> Result<(f64, f64), Problem> {
        let number = |s: &str| {
            s.parse::<f64>()
                .map_err(|_| wrong(C::PlaceholderBoundsNotNumbers, "the bounds must be numbers"))
        };
        match args {
            [a, b] => {
                let (a, b) = (number(a)?, number(b)?);
                if a > b {
                    Err(wrong(
                        C::PlaceholderBoundsOrder,
                        "the first bound must not be larger than the second",
                    ))
                } else {
                    Ok((a, b))
                }
            }
            _ => Err(wrong(
                C::PlaceholderTwoBounds,
                "give two bounds, e.g. {{int 1 100}}",
            )),
        }
    };
    let none = |p: Part| {
        if args.is_empty() {
            Ok(p)
        } else {
            Err(wrong(C::PlaceholderNoArguments, "takes no arguments"))
        }
    };
    match name {
        "seq" => none(Part::Seq),
        "uuid" => none(Part::Uuid),
        "now" => none(Part::Now),
        "now_iso" => none(Part::NowIso),
        "bool" => none(Part::Bool),
        "int" => {
            let (a, b) = nums(&args)?;
            if a.fract() != 0.0 || b.fract() != 0.0 {
                return Err(wrong(
                    C::PlaceholderIntBounds,
                    "int bounds must be whole numbers",
                ));
            }
            Ok(Part::Int(a as i64, b as i64))
        }
        "float" => {
            let (a, b) = nums(&args)?;
            Ok(Part::Float(a, b))
        }
        "pick" => {
            let rest = body["pick".len()..].trim();
            let words: Vec<String> = rest.split('|').map(|w| w.trim().to_string()).collect();
            if rest.is_empty() || words.iter().any(String::is_empty) {
                return Err(wrong(
                    C::PlaceholderPickChoices,
                    "list the choices, e.g. {{pick red|green|blue}}",
                ));
            }
            Ok(Part::Pick(words))
        }
        "string" => match args.as_slice() {
            [n] => match n.parse::<usize>() {
                Ok(n) if (1..=10_000).contains(&n) => Ok(Part::Str(n)),
                _ => Err(wrong(
                    C::PlaceholderStringLength,
                    "the length must be from 1 to 10000",
                )),
            },
            _ => Err(wrong(
                C::PlaceholderGiveLength,
                "give a length, e.g. {{string 8}}",
            )),
        },
        _ => Err(Problem::new(
            C::PlaceholderUnknown,
            format!("Unknown placeholder {{{{{body}}}}} at character {at}. Known: {PLACEHOLDERS}."),
        )
        .with("placeholder", format!("{{{{{body}}}}}"))
        .with("at", at)
        .with("known", PLACEHOLDERS)),
    }
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, Problem> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 2..];
            let close = after.find("}}").ok_or_else(|| {
                let at = offset + open + 1;
                Problem::new(
                    C::TemplateNotClosed,
                    format!("The placeholder opened at character {at} is not closed with }}}}."),
                )
                .with("at", at)
            })?;
            parts.push(placeholder(&after[..close], offset + open + 1)?);
            let consumed = open + 2 + close + 2;
            offset += consumed;
            rest = &rest[consumed..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }

    /// Whether the text has any placeholder (if not, every record is the same).
    pub fn is_constant(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Text(_)))
    }

    /// Writes record number `seq` into `out` (cleared first).
    pub fn render_into(&self, seq: u64, rng: &mut impl Rng, out: &mut String) {
        out.clear();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Seq => {
                    let _ = write!(out, "{seq}");
                }
                Part::Uuid => {
                    let _ = write!(
                        out,
                        "{}",
                        uuid::Builder::from_random_bytes(rng.random()).into_uuid()
                    );
                }
                Part::Now => {
                    let _ = write!(out, "{}", chrono::Utc::now().timestamp_millis());
                }
                Part::NowIso => out.push_str(
                    &chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                ),
                Part::Int(a, b) => {
                    let _ = write!(out, "{}", rng.random_range(*a..=*b));
                }
                Part::Float(a, b) => {
                    let v = if a == b { *a } else { rng.random_range(*a..*b) };
                    let _ = write!(out, "{v:.2}");
                }
                Part::Pick(words) => out.push_str(&words[rng.random_range(0..words.len())]),
                Part::Str(n) => out.push_str(&Alphanumeric.sample_string(rng, *n)),
                Part::Bool => out.push_str(if rng.random() { "true" } else { "false" }),
            }
        }
    }

    pub fn render(&self, seq: u64, rng: &mut impl Rng) -> String {
        let mut s = String::new();
        self.render_into(seq, rng, &mut s);
        s
    }
}

/// One template as record `seq` of a run would show it, or why it can't be sent: the Bulk form's
/// live preview, rendered by the same code that renders every record sent.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Preview {
    Text {
        text: String,
    },
    /// `error` in English; `problem` for the window to word.
    Invalid {
        error: String,
        problem: Problem,
    },
}

/// Previews of several templates (key, value, header values), in order.
pub fn preview(texts: &[String], seq: u64) -> Vec<Preview> {
    let mut rng = rand::rng();
    texts
        .iter()
        .map(|t| match Template::parse(t) {
            Ok(tpl) => Preview::Text {
                text: tpl.render(seq, &mut rng),
            },
            Err(problem) => Preview::Invalid {
                error: problem.message.clone(),
                problem,
            },
        })
        .collect()
}

/// The placeholders as a list, for the form's help.
pub fn placeholders() -> Vec<String> {
    PLACEHOLDERS.split(", ").map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn placeholders_render_per_record() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let t = Template::parse(r#"{"id": {{seq}}, "user": "{{uuid}}", "n": {{int 1 3}}, "c": "{{pick red|green}}", "s": "{{string 5}}", "ok": {{bool}}, "f": {{float 0 1}}}"#).unwrap();
        assert!(!t.is_constant());
        for seq in 0..50 {
            let out = t.render(seq, &mut rng);
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["id"], seq);
            assert_eq!(v["user"].as_str().unwrap().len(), 36);
            assert!((1..=3).contains(&v["n"].as_i64().unwrap()));
            assert!(["red", "green"].contains(&v["c"].as_str().unwrap()));
            assert_eq!(v["s"].as_str().unwrap().len(), 5);
            assert!(v["ok"].is_boolean());
            assert!((0.0..=1.0).contains(&v["f"].as_f64().unwrap()));
        }
        let now = Template::parse("{{now}}|{{now_iso}}")
            .unwrap()
            .render(0, &mut rng);
        let (ms, iso) = now.split_once('|').unwrap();
        assert!(ms.parse::<i64>().unwrap() > 1_700_000_000_000);
        assert!(chrono::DateTime::parse_from_rfc3339(iso).is_ok());
    }

    #[test]
    fn text_without_placeholders_and_json_braces_stay_as_they_are() {
        let t = Template::parse(r#"{"a": {"b": 1}}"#).unwrap();
        assert!(t.is_constant());
        assert_eq!(t.render(3, &mut rand::rng()), r#"{"a": {"b": 1}}"#);
        assert_eq!(Template::parse("").unwrap().render(0, &mut rand::rng()), "");
    }

    #[test]
    fn mistakes_say_where_and_what() {
        let e = Template::parse("abc {{sequence}}").unwrap_err();
        assert!(
            e.message
                .contains("Unknown placeholder {{sequence}} at character 5"),
            "{}",
            e.message
        );
        assert!(e.message.contains("{{seq}}"));
        assert_eq!(e.params["at"], "5");
        let e = Template::parse("x {{seq").unwrap_err();
        assert!(e.message.contains("not closed"), "{}", e.message);
        assert_eq!(
            (e.code, e.params["at"].as_str()),
            (C::TemplateNotClosed, "3")
        );
        for bad in [
            "{{int 5 1}}",
            "{{int a b}}",
            "{{int 1}}",
            "{{int 1.5 2}}",
            "{{pick}}",
            "{{pick a||b}}",
            "{{string}}",
            "{{string 0}}",
            "{{seq 1}}",
        ] {
            assert!(Template::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_preview_renders_each_template_or_says_why_not() {
        let got = preview(
            &["n={{seq}}".into(), "{{int 9 1}}".into(), "{{nope".into()],
            7,
        );
        assert_eq!(got[0], Preview::Text { text: "n=7".into() });
        match &got[1] {
            Preview::Invalid { error, problem } => {
                assert!(error.contains("must not be larger"), "{error}");
                assert_eq!(problem.code, C::PlaceholderBoundsOrder);
                assert_eq!(problem.params["placeholder"], "{{int 9 1}}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&got[2], Preview::Invalid { .. }));
        assert_eq!(placeholders().len(), 9);
        assert_eq!(placeholders()[4], "{{int 1 100}}");
    }
}
