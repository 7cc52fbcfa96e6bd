//! The published reference data as one bundle: what readers produce and the store loads.

use crate::authority::{LocalAuthority, Region};
use crate::inspection::Activity;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReferenceData {
    pub regions: Vec<Region>,
    pub local_authorities: Vec<LocalAuthority>,
    /// Every published inspection and visit, once each.
    pub activities: Vec<Activity>,
}
