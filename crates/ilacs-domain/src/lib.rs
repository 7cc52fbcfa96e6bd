//! The ILACS domain: grades, framework versions and their rules, local authorities and
//! regions, inspections, users, roles and permissions, and the working-day calendar.
//!
//! This crate does no I/O. Facts (framework versions, regions, bank holidays) are data
//! files under `data/` in the repository, embedded at compile time and parsed here, so a
//! change of fact is a data change.

/// `TryFrom<String>`, `Into<String>` and `Display` for newtypes over a `String` that
/// parse with `parse(&str) -> Result<Self, $error>`, so serde parses rather than trusts.
macro_rules! string_newtype_conversions {
    ($error:ty: $($t:ident),*) => {$(
        impl TryFrom<String> for $t {
            type Error = $error;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $t::parse(&value)
            }
        }
        impl From<$t> for String {
            fn from(value: $t) -> String {
                value.0
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

pub mod access;
pub mod aem;
pub mod audit;
pub mod authority;
pub mod calendar;
pub mod framework;
pub mod grade;
pub mod indicators;
pub mod inspection;
pub mod reference;
pub mod self_evaluation;
pub mod user;

pub use grade::{Grade, ParseGradeError};
