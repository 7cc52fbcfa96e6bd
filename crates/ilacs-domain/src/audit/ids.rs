//! The identifiers and names an audit refers to, parsed once at the edge.

use serde::{Deserialize, Serialize};

/// A child's identifier in the LA's case-management system. Each system has its own
/// format, so it stays opaque: the only rules are those that keep it a usable key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChildId(String);

/// A team as the LA names it ("Assessment team 2"). Two spellings are two teams: the
/// programme's "another team" rule compares names exactly (after trimming and
/// collapsing inner spaces), so the LA's list of teams should be consistent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Team(String);

/// Who carried out an audit: a user id or name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuditorId(String);

/// A domain's stable key within a template, such as `voice_of_the_child`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DomainKey(String);

/// A template's stable key, such as `ilacs-quality`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TemplateKey(String);

/// A theme an audit is tagged with, normalised from free text so that "Voice of the
/// Child " and "voice_of_the_child" are one theme: `voice-of-the-child`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ThemeKey(String);

/// The longest identifier or key accepted, in characters.
pub const MAX_KEY_CHARS: usize = 64;
/// The longest team or auditor name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("Enter the child's ID")]
    BlankChildId,
    #[error("The child's ID must be 64 characters or fewer")]
    ChildIdTooLong,
    #[error("Remove the spaces at the start or end of the child's ID")]
    ChildIdSpaces,
    #[error("The child's ID must not contain line breaks or tabs")]
    ChildIdControl,
    #[error("Enter the team")]
    BlankTeam,
    #[error("The team must be 100 characters or fewer")]
    TeamTooLong,
    #[error("Enter the auditor")]
    BlankAuditor,
    #[error("The auditor must be 100 characters or fewer")]
    AuditorTooLong,
    #[error("'{0}' is not a domain key: use 1 to 64 lower-case letters, digits and underscores, starting with a letter")]
    DomainKey(String),
    #[error("'{0}' is not a template key: use 1 to 64 lower-case letters, digits and hyphens, starting with a letter")]
    TemplateKey(String),
    #[error("Enter a theme containing letters or numbers")]
    BlankTheme,
    #[error("A theme must be 64 characters or fewer")]
    ThemeTooLong,
}

impl ChildId {
    /// Accepts the ID exactly as given: it is not trimmed, since an opaque key with a
    /// stray space is more likely a typing slip the user should see than a new child.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        if input.trim().is_empty() {
            Err(IdError::BlankChildId)
        } else if input.chars().count() > MAX_KEY_CHARS {
            Err(IdError::ChildIdTooLong)
        } else if input.trim() != input {
            Err(IdError::ChildIdSpaces)
        } else if input.chars().any(char::is_control) {
            Err(IdError::ChildIdControl)
        } else {
            Ok(ChildId(input.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trims and collapses runs of white space to one space.
fn tidy(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Team {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = tidy(input);
        if s.is_empty() {
            Err(IdError::BlankTeam)
        } else if s.chars().count() > MAX_NAME_CHARS {
            Err(IdError::TeamTooLong)
        } else {
            Ok(Team(s))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AuditorId {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = tidy(input);
        if s.is_empty() {
            Err(IdError::BlankAuditor)
        } else if s.chars().count() > MAX_NAME_CHARS {
            Err(IdError::AuditorTooLong)
        } else {
            Ok(AuditorId(s))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A key of lower-case ASCII letters and digits joined by `sep`, starting with a letter.
fn is_key(s: &str, sep: u8) -> bool {
    let bytes = s.as_bytes();
    !s.is_empty()
        && s.len() <= MAX_KEY_CHARS
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == sep)
        && bytes.last() != Some(&sep)
}

impl DomainKey {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if is_key(s, b'_') {
            Ok(DomainKey(s.to_string()))
        } else {
            Err(IdError::DomainKey(input.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TemplateKey {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if is_key(s, b'-') {
            Ok(TemplateKey(s.to_string()))
        } else {
            Err(IdError::TemplateKey(input.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ThemeKey {
    /// Lower-cases, trims, and joins the runs of letters and digits with single
    /// hyphens: anything else (spaces, underscores, punctuation) separates words.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        // Lower-case first: lower-casing can add characters that are not letters
        // ("İ" becomes "i" and a combining dot), and splitting after it keeps a key
        // stable when parsed again.
        let lower = input.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let s = words.join("-");
        if s.is_empty() {
            Err(IdError::BlankTheme)
        } else if s.chars().count() > MAX_KEY_CHARS {
            Err(IdError::ThemeTooLong)
        } else {
            Ok(ThemeKey(s))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_conversions!(IdError: ChildId, Team, AuditorId, DomainKey, TemplateKey, ThemeKey);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_ids_are_opaque_but_usable() {
        assert_eq!(ChildId::parse("CH-0042/a").unwrap().as_str(), "CH-0042/a");
        assert_eq!(ChildId::parse(""), Err(IdError::BlankChildId));
        assert_eq!(ChildId::parse("   "), Err(IdError::BlankChildId));
        assert_eq!(ChildId::parse(" 42"), Err(IdError::ChildIdSpaces));
        assert_eq!(ChildId::parse("42 "), Err(IdError::ChildIdSpaces));
        assert_eq!(ChildId::parse("4\t2"), Err(IdError::ChildIdControl));
        let longest = "x".repeat(64);
        assert!(ChildId::parse(&longest).is_ok());
        assert_eq!(
            ChildId::parse(&format!("{longest}x")),
            Err(IdError::ChildIdTooLong)
        );
        // Characters, not bytes: 64 accented letters are 128 bytes.
        assert!(ChildId::parse(&"é".repeat(64)).is_ok());
        // Inner spaces are part of the ID.
        assert!(ChildId::parse("A 1").is_ok());
    }

    #[test]
    fn names_are_tidied() {
        assert_eq!(
            Team::parse("  Assessment   team 2 ").unwrap().as_str(),
            "Assessment team 2"
        );
        assert_eq!(Team::parse(" "), Err(IdError::BlankTeam));
        assert_eq!(Team::parse(&"t".repeat(101)), Err(IdError::TeamTooLong));
        assert_eq!(AuditorId::parse(" tm.jones ").unwrap().as_str(), "tm.jones");
        assert_eq!(AuditorId::parse(""), Err(IdError::BlankAuditor));
    }

    #[test]
    fn keys_have_one_shape_each() {
        assert!(DomainKey::parse("voice_of_the_child").is_ok());
        assert!(DomainKey::parse("recording2").is_ok());
        for bad in [
            "", "Voice", "voice-of", "_voice", "voice_", "2voice", "voix é",
        ] {
            assert!(DomainKey::parse(bad).is_err(), "{bad}");
        }
        assert!(TemplateKey::parse("ilacs-quality").is_ok());
        for bad in ["", "ilacs_quality", "-x", "x-", "Ilacs"] {
            assert!(TemplateKey::parse(bad).is_err(), "{bad}");
        }
        assert!(DomainKey::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn themes_are_normalised() {
        let theme = |s: &str| ThemeKey::parse(s).map(|t| t.as_str().to_string());
        assert_eq!(
            theme("  Voice of the Child "),
            Ok("voice-of-the-child".into())
        );
        assert_eq!(theme("voice_of_the_child"), Ok("voice-of-the-child".into()));
        assert_eq!(theme("Neglect -- drift!"), Ok("neglect-drift".into()));
        assert_eq!(theme("Étude"), Ok("étude".into()));
        assert_eq!(theme(" -- "), Err(IdError::BlankTheme));
        assert_eq!(theme(&"ab ".repeat(30)), Err(IdError::ThemeTooLong));
        assert_eq!(
            ThemeKey::parse("Neglect"),
            ThemeKey::parse("neglect"),
            "case does not make a new theme"
        );
    }

    #[test]
    fn serde_parses_rather_than_trusts() {
        let ok: Result<ChildId, _> = from_toml_value("\"ABC\"");
        assert!(ok.is_ok());
        let bad: Result<ChildId, _> = from_toml_value("\" ABC\"");
        assert!(bad.is_err());
    }

    /// Deserialises one value through a one-field TOML document.
    fn from_toml_value<T: serde::de::DeserializeOwned>(value: &str) -> Result<T, toml::de::Error> {
        #[derive(Deserialize)]
        struct One<T> {
            v: T,
        }
        toml::from_str::<One<T>>(&format!("v = {value}")).map(|o| o.v)
    }

    #[test]
    fn theme_keys_are_stable_when_parsed_again() {
        for raw in [
            "İx",
            "Voice of the Child ",
            "ẞtraße",
            "Ǆemal",
            "drift & delay",
            "ΣΑΣ",
        ] {
            let once = ThemeKey::parse(raw).unwrap();
            let twice = ThemeKey::parse(once.as_str()).unwrap();
            assert_eq!(once, twice, "{raw}");
        }
    }
}
