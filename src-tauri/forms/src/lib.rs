//! A form's refusal, one shape for every form (connections, topics, clusters, sends, keys):
//! each field with what is wrong with it, in words a person can act on. The window shows each
//! message next to its field. Also the number checks forms share: the window sends numbers as
//! JSON doubles, so "a whole number in range" is checked here, once.

use std::collections::BTreeMap;

use serde::Serialize;

/// Field name → what is wrong with it. The field is the form's (or the request's JSON) name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldProblems(BTreeMap<String, String>);

impl FieldProblems {
    pub fn new() -> Self {
        Self::default()
    }

    /// One problem with `field`, e.g. `FieldProblems::one("topic", "Pick a topic.")`.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut p = Self::new();
        p.add(field, message);
        p
    }

    /// Says what is wrong with `field`; the first problem of a field is the one shown.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    /// Adds a further problem to `field`, after the ones it has (a list field, e.g. configs,
    /// where every bad row counts).
    pub fn also(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        self.0
            .entry(field.to_string())
            .and_modify(|m| {
                m.push(' ');
                m.push_str(&message)
            })
            .or_insert(message);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
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

    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0
    }

    /// The fields with a problem, by name.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl std::ops::Index<&str> for FieldProblems {
    type Output = String;
    fn index(&self, field: &str) -> &String {
        self.0
            .get(field)
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
        p.0
    }
}

/// `v` as a whole number in `[min, max]`, or None (fractions, NaN, out of range).
pub fn whole(v: f64, min: f64, max: f64) -> Option<i64> {
    (v.fract() == 0.0 && v >= min && v <= max).then_some(v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_problem_of_a_field_is_shown() {
        let mut p = FieldProblems::new();
        assert!(p.clone().check().is_ok());
        p.add("headers", "Header 1 needs a name.");
        p.add("headers", "Header 2 needs a name.");
        p.add("topic", "Pick a topic.");
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
    }

    #[test]
    fn a_list_field_keeps_every_problem() {
        let mut p = FieldProblems::new();
        p.also("configs", "a is set twice.");
        p.also("configs", "b must be 1 or more.");
        assert_eq!(
            p.get("configs"),
            Some("a is set twice. b must be 1 or more.")
        );
        let map: BTreeMap<String, String> = p.into();
        assert_eq!(map.len(), 1);
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
