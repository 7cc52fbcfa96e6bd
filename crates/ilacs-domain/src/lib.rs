//! The ILACS domain: grades, framework versions and their rules, local authorities and
//! regions, inspections, users, roles and permissions, and the working-day calendar.
//!
//! This crate does no I/O. Facts (framework versions, regions, bank holidays) are data
//! files under `data/` in the repository, embedded at compile time and parsed here, so a
//! change of fact is a data change.

pub mod access;
pub mod audit;
pub mod authority;
pub mod calendar;
pub mod framework;
pub mod grade;
pub mod inspection;
pub mod reference;
pub mod self_evaluation;
pub mod user;

pub use grade::{Grade, ParseGradeError};
