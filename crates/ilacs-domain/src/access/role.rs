use crate::authority::{LaCode, RegionId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The roles of DESIGN.md "Access".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Director of children's services or assistant director.
    LaAdmin,
    LaQualityPerformance,
    LaAuditor,
    LaViewer,
    OfstedNational,
    /// Ofsted staff of one region.
    OfstedRegional,
    /// A regional alliance peer from another LA.
    AlliancePeer,
    SystemAdmin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::LaAdmin,
        Role::LaQualityPerformance,
        Role::LaAuditor,
        Role::LaViewer,
        Role::OfstedNational,
        Role::OfstedRegional,
        Role::AlliancePeer,
        Role::SystemAdmin,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::LaAdmin => "la_admin",
            Role::LaQualityPerformance => "la_quality_performance",
            Role::LaAuditor => "la_auditor",
            Role::LaViewer => "la_viewer",
            Role::OfstedNational => "ofsted_national",
            Role::OfstedRegional => "ofsted_regional",
            Role::AlliancePeer => "alliance_peer",
            Role::SystemAdmin => "system_admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::LaAdmin => "LA admin (DCS or AD)",
            Role::LaQualityPerformance => "LA quality and performance",
            Role::LaAuditor => "LA auditor",
            Role::LaViewer => "LA viewer",
            Role::OfstedNational => "Ofsted national",
            Role::OfstedRegional => "Ofsted regional",
            Role::AlliancePeer => "Regional alliance peer",
            Role::SystemAdmin => "System admin",
        }
    }

    pub fn parse_key(key: &str) -> Result<Role, RoleError> {
        let k = key.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.key() == k)
            .ok_or_else(|| RoleError::UnknownRole(key.to_string()))
    }

    /// Whether the role belongs to staff of one LA.
    pub fn is_la_staff(self) -> bool {
        matches!(
            self,
            Role::LaAdmin
                | Role::LaQualityPerformance
                | Role::LaAuditor
                | Role::LaViewer
                | Role::AlliancePeer
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a role is limited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Staff of one LA; `region` is that LA's Ofsted region (an alliance peer's reach).
    La {
        la: LaCode,
        region: RegionId,
    },
    Region(RegionId),
    National,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    #[error("'{0}' is not a role: expected one of la_admin, la_quality_performance, la_auditor, la_viewer, ofsted_national, ofsted_regional, alliance_peer, system_admin")]
    UnknownRole(String),
    #[error("the {0} role needs a local authority (--la CODE)")]
    NeedsLa(Role),
    #[error("the {0} role needs an Ofsted region (--region ID)")]
    NeedsRegion(Role),
    #[error("the {0} role is national and takes no LA or region")]
    NationalOnly(Role),
}

impl Scope {
    /// Checks that a scope suits a role: LA roles need an LA, Ofsted regional a region,
    /// national roles neither.
    pub fn check_for(&self, role: Role) -> Result<(), RoleError> {
        match (role, self) {
            (r, Scope::La { .. }) if r.is_la_staff() => Ok(()),
            (r, _) if r.is_la_staff() => Err(RoleError::NeedsLa(r)),
            (Role::OfstedRegional, Scope::Region(_)) => Ok(()),
            (Role::OfstedRegional, _) => Err(RoleError::NeedsRegion(role)),
            (_, Scope::National) => Ok(()),
            (r, _) => Err(RoleError::NationalOnly(r)),
        }
    }

    pub fn la(&self) -> Option<&LaCode> {
        match self {
            Scope::La { la, .. } => Some(la),
            _ => None,
        }
    }

    pub fn region(&self) -> Option<&RegionId> {
        match self {
            Scope::La { region, .. } | Scope::Region(region) => Some(region),
            Scope::National => None,
        }
    }
}

/// A signed-in user as the permission rules see them. Build one with [`Principal::new`],
/// which refuses a role with the wrong kind of scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    user_id: i64,
    username: String,
    role: Role,
    scope: Scope,
}

impl Principal {
    pub fn new(user_id: i64, username: &str, role: Role, scope: Scope) -> Result<Self, RoleError> {
        scope.check_for(role)?;
        Ok(Principal {
            user_id,
            username: username.to_string(),
            role,
            scope,
        })
    }
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn scope(&self) -> &Scope {
        &self.scope
    }
}
