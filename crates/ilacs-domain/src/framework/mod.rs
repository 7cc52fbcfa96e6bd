//! Framework versions, activity types and focused-visit themes, parsed from the TOML
//! files in `data/framework/`.

mod catalogue;
mod overall;

pub use catalogue::{
    ActivityType, Catalogue, FrameworkError, FrameworkVersion, JudgementSpec, Theme,
};
pub use overall::{OverallRule, OverallViolation};
