//! What each indicator is ([`Definitions`], from `data/annex_a/indicators.toml`) and the
//! thresholds it is computed with ([`Settings`]): the spec's defaults, each of which an
//! LA may change to its own practice standard.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const BUNDLED: &str = include_str!("../../../../data/annex_a/indicators.toml");

/// The largest threshold accepted: more than enough for any number of days, months,
/// placements or children; larger is a typing slip.
pub const MAX_THRESHOLD: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("no indicator '{id}' (the indicators are: {known})")]
    UnknownIndicator { id: String, known: String },
    #[error("indicator '{id}' has no threshold '{name}' ({known})")]
    UnknownThreshold {
        id: String,
        name: String,
        known: String,
    },
    #[error("{value} is too large for threshold '{name}' of '{id}' (at most {MAX_THRESHOLD})")]
    TooLarge {
        id: String,
        name: String,
        value: u32,
    },
    #[error("the indicators file is not valid TOML: {0}")]
    Toml(String),
    #[error("the indicators file: {0}")]
    Invalid(String),
}

/// The area of children's services an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Group {
    #[serde(rename = "front door")]
    FrontDoor,
    #[serde(rename = "assessment")]
    Assessment,
    #[serde(rename = "child protection")]
    ChildProtection,
    #[serde(rename = "children in need")]
    ChildrenInNeed,
    #[serde(rename = "children in care")]
    ChildrenInCare,
    #[serde(rename = "care leavers")]
    CareLeavers,
    #[serde(rename = "adoption")]
    Adoption,
    #[serde(rename = "workforce")]
    Workforce,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::FrontDoor => "front door",
            Group::Assessment => "assessment",
            Group::ChildProtection => "child protection",
            Group::ChildrenInNeed => "children in need",
            Group::ChildrenInCare => "children in care",
            Group::CareLeavers => "care leavers",
            Group::Adoption => "adoption",
            Group::Workforce => "workforce",
        }
    }
}

/// What an indicator's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// numerator / denominator × 100.
    Percent,
    /// The numerator (rows counted); no denominator.
    Count,
    /// A median number of days; the numerator counts those within the threshold.
    Days,
    /// A median number of children (per worker); the numerator counts workers over the
    /// threshold.
    Children,
}

/// One threshold of an indicator and its default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdDef {
    pub name: String,
    pub default: u32,
    /// What the number counts, for a settings form.
    pub about: String,
}

/// One indicator as the data file describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub id: String,
    /// May name thresholds as `{name}`, filled in with their values as set.
    pub name: String,
    pub group: Group,
    pub unit: Unit,
    /// Plain English, naming thresholds as `{name}`.
    pub definition: String,
    /// The id of DfE's published figure for the same measure, if there is one.
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub thresholds: Vec<ThresholdDef>,
}

impl Definition {
    /// The text with each `{threshold}` replaced by its value in `values` (in the
    /// order of [`Definition::thresholds`]).
    fn fill(&self, text: &str, values: &[u32]) -> String {
        if !text.contains('{') {
            return text.to_string();
        }
        let mut out = text.to_string();
        for (t, v) in self.thresholds.iter().zip(values) {
            out = out.replace(&format!("{{{}}}", t.name), &v.to_string());
        }
        out
    }
}

/// Every indicator, in the order the data file gives them (and reports show them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definitions {
    pub indicators: Vec<Definition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    indicator: Vec<Definition>,
}

impl Definitions {
    /// The definitions shipped in the program, parsed once.
    pub fn bundled() -> &'static Definitions {
        static DEFS: OnceLock<Definitions> = OnceLock::new();
        DEFS.get_or_init(|| {
            Definitions::parse(BUNDLED)
                .expect("the bundled data/annex_a/indicators.toml is valid (tested)")
        })
    }

    pub fn parse(text: &str) -> Result<Definitions, SettingsError> {
        let file: File = toml::from_str(text).map_err(|e| SettingsError::Toml(e.to_string()))?;
        let invalid = SettingsError::Invalid;
        for (i, d) in file.indicator.iter().enumerate() {
            if file.indicator[..i].iter().any(|e| e.id == d.id) {
                return Err(invalid(format!("indicator '{}' appears twice", d.id)));
            }
            for (j, t) in d.thresholds.iter().enumerate() {
                if d.thresholds[..j].iter().any(|u| u.name == t.name) {
                    return Err(invalid(format!(
                        "indicator '{}': threshold '{}' appears twice",
                        d.id, t.name
                    )));
                }
                if t.default > MAX_THRESHOLD {
                    return Err(invalid(format!(
                        "indicator '{}': threshold '{}' is over {MAX_THRESHOLD}",
                        d.id, t.name
                    )));
                }
            }
            // Every {placeholder} must name one of the indicator's thresholds.
            for text in [&d.name, &d.definition] {
                let mut rest = text.as_str();
                while let Some(open) = rest.find('{') {
                    let after = &rest[open + 1..];
                    let Some(close) = after.find('}') else {
                        return Err(invalid(format!(
                            "indicator '{}': an unclosed '{{' in its text",
                            d.id
                        )));
                    };
                    let name = &after[..close];
                    if !d.thresholds.iter().any(|t| t.name == name) {
                        return Err(invalid(format!(
                            "indicator '{}': its text names '{{{name}}}', which is not one of its thresholds",
                            d.id
                        )));
                    }
                    rest = &after[close + 1..];
                }
            }
        }
        Ok(Definitions {
            indicators: file.indicator,
        })
    }

    pub fn get(&self, id: &str) -> Option<&Definition> {
        self.indicators.iter().find(|d| d.id == id)
    }

    fn ids(&self) -> String {
        self.indicators
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The thresholds indicators are computed with: the defaults, with any an LA has
/// changed. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    defs: &'static Definitions,
    /// values[i][j]: indicator i's threshold j.
    values: Vec<Vec<u32>>,
}

impl Settings {
    /// Every threshold at the spec's default.
    pub fn bundled() -> Settings {
        let defs = Definitions::bundled();
        Settings {
            defs,
            values: defs
                .indicators
                .iter()
                .map(|d| d.thresholds.iter().map(|t| t.default).collect())
                .collect(),
        }
    }

    pub fn definitions(&self) -> &'static Definitions {
        self.defs
    }

    fn position(&self, id: &str, name: &str) -> Result<(usize, usize), SettingsError> {
        let i = self
            .defs
            .indicators
            .iter()
            .position(|d| d.id == id)
            .ok_or_else(|| SettingsError::UnknownIndicator {
                id: id.to_string(),
                known: self.defs.ids(),
            })?;
        let def = &self.defs.indicators[i];
        let j = def
            .thresholds
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| SettingsError::UnknownThreshold {
                id: id.to_string(),
                name: name.to_string(),
                known: if def.thresholds.is_empty() {
                    "it has no thresholds".to_string()
                } else {
                    format!(
                        "its thresholds: {}",
                        def.thresholds
                            .iter()
                            .map(|t| t.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            })?;
        Ok((i, j))
    }

    /// Sets one threshold, e.g. `set("cpp_visits", "working_days", 15)`.
    pub fn set(&mut self, id: &str, name: &str, value: u32) -> Result<(), SettingsError> {
        let (i, j) = self.position(id, name)?;
        if value > MAX_THRESHOLD {
            return Err(SettingsError::TooLarge {
                id: id.to_string(),
                name: name.to_string(),
                value,
            });
        }
        self.values[i][j] = value;
        Ok(())
    }

    /// One threshold's value as set.
    pub fn get(&self, id: &str, name: &str) -> Result<u32, SettingsError> {
        let (i, j) = self.position(id, name)?;
        Ok(self.values[i][j])
    }

    /// The thresholds that differ from their defaults: (indicator, threshold, value).
    pub fn changed(&self) -> Vec<(&'static str, &'static str, u32)> {
        let mut out = Vec::new();
        for (d, values) in self.defs.indicators.iter().zip(&self.values) {
            for (t, &v) in d.thresholds.iter().zip(values) {
                if v != t.default {
                    out.push((d.id.as_str(), t.name.as_str(), v));
                }
            }
        }
        out
    }

    /// Indicator `index`'s definition, thresholds as set, and its name and definition
    /// text with the thresholds filled in.
    pub(crate) fn resolved(&self, index: usize) -> Resolved {
        let def = &self.defs.indicators[index];
        let values = &self.values[index];
        Resolved {
            def,
            name: def.fill(&def.name, values),
            definition: def.fill(&def.definition, values),
            thresholds: def
                .thresholds
                .iter()
                .zip(values)
                .map(|(t, &value)| Threshold {
                    name: t.name.as_str(),
                    value,
                    default: t.default,
                })
                .collect(),
        }
    }
}

pub(crate) struct Resolved {
    pub def: &'static Definition,
    pub name: String,
    pub definition: String,
    pub thresholds: Vec<Threshold>,
}

/// A threshold as an indicator was computed with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threshold {
    pub name: &'static str,
    pub value: u32,
    pub default: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_definitions_parse() {
        let defs = Definitions::bundled();
        assert_eq!(
            defs.get("assessment_45wd").unwrap().thresholds[0].default,
            45
        );
    }

    #[test]
    fn thresholds_are_set_by_name_and_unknown_names_refused() {
        let mut s = Settings::bundled();
        assert_eq!(s.get("cpp_visits", "working_days"), Ok(10));
        s.set("cpp_visits", "working_days", 15).unwrap();
        assert_eq!(s.get("cpp_visits", "working_days"), Ok(15));
        assert_eq!(s.changed(), [("cpp_visits", "working_days", 15)]);
        assert!(matches!(
            s.set("cpp_visit", "working_days", 15),
            Err(SettingsError::UnknownIndicator { .. })
        ));
        let e = s.set("cpp_visits", "days", 15).unwrap_err();
        assert!(matches!(e, SettingsError::UnknownThreshold { .. }));
        assert!(
            e.to_string().contains("its thresholds: working_days"),
            "{e}"
        );
        let e = s.set("contacts", "days", 1).unwrap_err();
        assert!(e.to_string().contains("it has no thresholds"), "{e}");
        assert!(matches!(
            s.set("cpp_visits", "working_days", MAX_THRESHOLD + 1),
            Err(SettingsError::TooLarge { .. })
        ));
    }

    #[test]
    fn text_names_only_thresholds_it_has() {
        let text = r#"
            [[indicator]]
            id = "x"
            name = "X within {days} days"
            group = "adoption"
            unit = "percent"
            definition = "d"
        "#;
        let e = Definitions::parse(text).unwrap_err();
        assert!(e.to_string().contains("'{days}'"), "{e}");
    }

    #[test]
    fn names_and_definitions_say_the_thresholds_as_set() {
        let mut s = Settings::bundled();
        s.set("assessment_45wd", "working_days", 40).unwrap();
        let i = s
            .definitions()
            .indicators
            .iter()
            .position(|d| d.id == "assessment_45wd")
            .unwrap();
        let r = s.resolved(i);
        assert_eq!(r.name, "Assessments completed within 40 working days");
        assert!(r.definition.contains("at most 40 working days"));
        assert!(!r.definition.contains('{'));
    }
}
