//! User accounts: names and passwords parsed at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A sign-in name: 3 to 64 characters of lower-case letters, digits and `. _ - @`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error("Enter a sign-in name of 3 to 64 characters using letters, numbers, full stops, hyphens, underscores or @")]
    BadUsername,
    #[error("Enter a password of at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("Enter a password of at most {max} characters")]
    PasswordTooLong { max: usize },
}

impl Username {
    pub fn parse(input: &str) -> Result<Self, UserError> {
        let s = input.trim().to_ascii_lowercase();
        let ok = (3..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_@".contains(&b));
        if ok {
            Ok(Username(s))
        } else {
            Err(UserError::BadUsername)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UserError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Username::parse(&value)
    }
}
impl From<Username> for String {
    fn from(value: Username) -> String {
        value.0
    }
}
impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password a user has chosen, long enough to accept (NCSC advises length over
/// complexity rules). Its text is never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 12;
    pub const MAX: usize = 256;

    pub fn parse(input: &str) -> Result<Self, UserError> {
        let n = input.chars().count();
        if n < Self::MIN {
            Err(UserError::PasswordTooShort { min: Self::MIN })
        } else if n > Self::MAX {
            Err(UserError::PasswordTooLong { max: Self::MAX })
        } else {
            Ok(NewPassword(input.to_string()))
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            Username::parse(" DCS.Barking ").unwrap().as_str(),
            "dcs.barking"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("has space").is_err());
        assert!(Username::parse("<script>").is_err());
    }

    #[test]
    fn passwords_need_length_and_stay_secret() {
        assert_eq!(
            NewPassword::parse("short"),
            Err(UserError::PasswordTooShort { min: 12 })
        );
        let p = NewPassword::parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
    }
}
