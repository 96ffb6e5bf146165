//! A form's refusal, one shape for every form (connections, topics, clusters, sends, keys):
//! each field with what is wrong with it. A problem is a stable code with the values its wording
//! needs (the window words it in the person's language) and the English sentence (logs, and the
//! `fields` map older callers read). Also the number checks forms share: the window sends numbers
//! as JSON doubles, so "a whole number in range" is checked here, once.

use std::collections::BTreeMap;

use serde::Serialize;

mod code;
pub use code::ProblemCode;

/// One thing wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    pub code: ProblemCode,
    /// The values the wording names (a number, a name, the parser's own words), by name.
    pub params: BTreeMap<String, String>,
    /// In English, for logs and any reader that does not know the code.
    pub message: String,
}

impl Problem {
    pub fn new(code: ProblemCode, message: impl Into<String>) -> Self {
        Problem {
            code,
            params: BTreeMap::new(),
            message: message.into(),
        }
    }

    /// Adds a value the wording names, e.g. `.with("n", 2)` for "Header 2 needs a name.".
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_string(), value.to_string());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// The problems' English sentences, joined.
    message: String,
    problems: Vec<Problem>,
}

/// Field name → what is wrong with it. The field is the form's (or the request's JSON) name.
/// Serialized as field → English sentence; [`FieldProblems::coded`] gives the codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldProblems(BTreeMap<String, Entry>);

impl FieldProblems {
    pub fn new() -> Self {
        Self::default()
    }

    /// One problem with `field`.
    pub fn one(field: &str, problem: Problem) -> Self {
        let mut p = Self::new();
        p.add(field, problem);
        p
    }

    /// Says what is wrong with `field`; the first problem of a field is the one shown.
    pub fn add(&mut self, field: &str, problem: Problem) {
        self.0.entry(field.to_string()).or_insert_with(|| Entry {
            message: problem.message.clone(),
            problems: vec![problem],
        });
    }

    /// Adds a further problem to `field`, after the ones it has (a list field, e.g. configs,
    /// where every bad row counts).
    pub fn also(&mut self, field: &str, problem: Problem) {
        match self.0.get_mut(field) {
            Some(e) => {
                e.message.push(' ');
                e.message.push_str(&problem.message);
                e.problems.push(problem);
            }
            None => self.add(field, problem),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The field's problems in English, joined.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(|e| e.message.as_str())
    }

    /// The field's problems as codes with their values.
    pub fn problems(&self, field: &str) -> &[Problem] {
        self.0.get(field).map_or(&[], |e| e.problems.as_slice())
    }

    pub fn contains(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// `Ok(value)` when nothing is wrong, else these problems.
    pub fn or<T>(self, value: T) -> Result<T, FieldProblems> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// `Ok(())` when nothing is wrong.
    pub fn check(self) -> Result<(), FieldProblems> {
        self.or(())
    }

    /// Field → English sentence.
    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0.into_iter().map(|(k, e)| (k, e.message)).collect()
    }

    /// Field → its problems as codes, for the window to word.
    pub fn coded(&self) -> BTreeMap<String, Vec<Problem>> {
        self.0
            .iter()
            .map(|(k, e)| (k.clone(), e.problems.clone()))
            .collect()
    }

    /// The fields with a problem, by name.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, e)| (k.as_str(), e.message.as_str()))
    }
}

impl Serialize for FieldProblems {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl std::ops::Index<&str> for FieldProblems {
    type Output = String;
    fn index(&self, field: &str) -> &String {
        self.0
            .get(field)
            .map(|e| &e.message)
            .unwrap_or_else(|| panic!("no problem with field {field:?}"))
    }
}

impl std::fmt::Display for FieldProblems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (field, message) in self.iter() {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{field}: {message}")?;
        }
        Ok(())
    }
}

impl From<FieldProblems> for BTreeMap<String, String> {
    fn from(p: FieldProblems) -> Self {
        p.into_map()
    }
}

/// `value` trimmed, or `problem` at `field` when that leaves nothing (a name a form requires).
pub fn non_blank<'a>(
    field: &str,
    value: &'a str,
    problem: Problem,
) -> Result<&'a str, FieldProblems> {
    match value.trim() {
        "" => Err(FieldProblems::one(field, problem)),
        v => Ok(v),
    }
}

/// `v` as a whole number in `[min, max]`, or None (fractions, NaN, out of range).
pub fn whole(v: f64, min: f64, max: f64) -> Option<i64> {
    (v.fract() == 0.0 && v >= min && v <= max).then_some(v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(n: usize) -> Problem {
        Problem::new(
            ProblemCode::HeaderUnnamed,
            format!("Header {n} needs a name."),
        )
        .with("n", n)
    }

    #[test]
    fn the_first_problem_of_a_field_is_shown() {
        let mut p = FieldProblems::new();
        assert!(p.clone().check().is_ok());
        p.add("headers", header(1));
        p.add("headers", header(2));
        p.add(
            "topic",
            Problem::new(ProblemCode::TopicRequired, "Pick a topic."),
        );
        assert_eq!(p["headers"], "Header 1 needs a name.");
        assert_eq!(p.len(), 2);
        assert!(p.contains("topic") && !p.contains("value"));
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({"headers": "Header 1 needs a name.", "topic": "Pick a topic."})
        );
        assert_eq!(
            p.to_string(),
            "headers: Header 1 needs a name.; topic: Pick a topic."
        );
        assert_eq!(p.clone().or(1).unwrap_err(), p);
        assert_eq!(p.problems("headers"), [header(1)]);
        assert_eq!(
            serde_json::to_value(&p.coded()["headers"][0]).unwrap(),
            serde_json::json!({"code": "header_unnamed", "params": {"n": "1"}, "message": "Header 1 needs a name."})
        );
    }

    #[test]
    fn a_list_field_keeps_every_problem() {
        let mut p = FieldProblems::new();
        p.also(
            "configs",
            Problem::new(ProblemCode::ConfigTwice, "a is set twice.").with("name", "a"),
        );
        p.also(
            "configs",
            Problem::new(ProblemCode::ConfigTooSmall, "b must be 1 or more.")
                .with("name", "b")
                .with("min", 1),
        );
        assert_eq!(
            p.get("configs"),
            Some("a is set twice. b must be 1 or more.")
        );
        let codes: Vec<_> = p.problems("configs").iter().map(|x| x.code).collect();
        assert_eq!(
            codes,
            [ProblemCode::ConfigTwice, ProblemCode::ConfigTooSmall]
        );
        assert_eq!(p.problems("configs")[1].params["min"], "1");
        let map: BTreeMap<String, String> = p.into();
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn a_required_value_is_trimmed_or_refused_at_its_field() {
        let problem = || Problem::new(ProblemCode::EnvironmentNameRequired, "Name it.");
        assert_eq!(non_blank("display_name", "  dev ", problem()), Ok("dev"));
        let refused = non_blank("display_name", " \t", problem()).unwrap_err();
        assert_eq!(refused.problems("display_name"), [problem()]);
    }

    #[test]
    fn whole_numbers_in_range() {
        assert_eq!(whole(3.0, 0.0, 10.0), Some(3));
        assert_eq!(whole(1.5, 0.0, 10.0), None);
        assert_eq!(whole(-1.0, 0.0, 10.0), None);
        assert_eq!(whole(11.0, 0.0, 10.0), None);
        assert_eq!(whole(f64::NAN, 0.0, 10.0), None);
    }
}
