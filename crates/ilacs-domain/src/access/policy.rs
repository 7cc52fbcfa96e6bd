use super::role::{Principal, Role, Scope};
use crate::authority::{LaCode, RegionId};
use std::fmt;

/// What a user wants to do to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Write,
    /// A decision that commits the LA: signing off or sharing its self-evaluation.
    Decide,
}

/// Where a self-evaluation is in its life: each stage widens its readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SefStage {
    Draft,
    SignedOff,
    SharedWithOfsted,
    SharedWithAlliance,
    Published,
}

/// A record (or kind of record) with the facts its rules depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record<'a> {
    /// Published judgements, reports and visit letters: public, as on Ofsted's site.
    PublishedOutcomes,
    /// The user accounts of one LA.
    LaUsers { la: &'a LaCode },
    /// Annex A rows and anything else naming a child.
    ChildLevel {
        la: &'a LaCode,
        region: &'a RegionId,
        /// An inspection activity for this LA is under way.
        activity_open: bool,
    },
    SelfEvaluation {
        la: &'a LaCode,
        region: &'a RegionId,
        stage: SefStage,
    },
    CaseAudit {
        la: &'a LaCode,
        region: &'a RegionId,
        /// A focused visit or inspection has given notice and the audit list is due.
        notification_week: bool,
    },
    /// An LA's learning actions: what it does because its audits found something, citing
    /// audits by number and themes but naming no child.
    LearningAction {
        la: &'a LaCode,
        region: &'a RegionId,
        /// As for [`Record::CaseAudit`]: notice of a focused visit or inspection.
        notification_week: bool,
    },
    /// The LA's monthly audit programme and the lists it is planned from (open cases and
    /// auditors): names children, so child-level, and the LA's own business only.
    AuditProgramme { la: &'a LaCode },
    /// An annual engagement meeting as Ofsted records it: plan, attendees, agenda and
    /// notes. Ofsted's working record: the LA sees what the letter tells it.
    AemMeeting {
        la: &'a LaCode,
        region: &'a RegionId,
    },
    /// The meeting's letter to the DCS, with the outcomes it reports: never published.
    AemLetter {
        la: &'a LaCode,
        region: &'a RegionId,
        /// Issued to the DCS; until then a draft only Ofsted sees.
        issued: bool,
    },
    /// The regions' meetings compared: figures across every region, for Ofsted's own
    /// consistency, never naming a letter's content.
    AemConsistency,
    /// Who read what: the LA's own log.
    AccessLog { la: &'a LaCode },
    /// Every user account in the system.
    SystemUsers,
}

impl Record<'_> {
    /// Restricted records: every read of one is written to the access log.
    pub fn is_restricted(&self) -> bool {
        !matches!(
            self,
            Record::PublishedOutcomes
                | Record::SelfEvaluation {
                    stage: SefStage::Published,
                    ..
                }
        )
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Record::PublishedOutcomes => "published_outcomes",
            Record::LaUsers { .. } => "la_users",
            Record::ChildLevel { .. } => "child_level",
            Record::SelfEvaluation { .. } => "self_evaluation",
            Record::CaseAudit { .. } => "case_audit",
            Record::LearningAction { .. } => "learning_action",
            Record::AuditProgramme { .. } => "audit_programme",
            Record::AemMeeting { .. } => "aem_meeting",
            Record::AemLetter { .. } => "aem_letter",
            Record::AemConsistency => "aem_consistency",
            Record::AccessLog { .. } => "access_log",
            Record::SystemUsers => "system_users",
        }
    }
}

/// Why access was refused; `signed_in` tells the web layer 401 from 403.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub signed_in: bool,
    pub record: &'static str,
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.signed_in {
            write!(
                f,
                "you do not have permission to see or change this ({})",
                self.record
            )
        } else {
            write!(f, "sign in to see this ({})", self.record)
        }
    }
}

impl std::error::Error for Denied {}

fn own_la(scope: &Scope, la: &LaCode) -> bool {
    scope.la() == Some(la)
}

fn own_region(scope: &Scope, region: &RegionId) -> bool {
    scope.region() == Some(region)
}

/// The one place permission rules live. `None` is an anonymous visitor.
pub fn authorize(
    who: Option<&Principal>,
    action: Action,
    record: &Record<'_>,
) -> Result<(), Denied> {
    let allowed = match who {
        None => action == Action::Read && !record.is_restricted(),
        Some(p) => allows(p.role(), p.scope(), action, record),
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied {
            signed_in: who.is_some(),
            record: record.kind(),
        })
    }
}

fn allows(role: Role, scope: &Scope, action: Action, record: &Record<'_>) -> bool {
    use Action::*;
    use Role::*;
    if action == Decide {
        // The LA's leaders decide what it stands behind and shares: the DCS or AD.
        return matches!(*record, Record::SelfEvaluation { la, .. } if role == LaAdmin && own_la(scope, la));
    }
    match *record {
        Record::PublishedOutcomes => action == Read || role == SystemAdmin,
        Record::LaUsers { la } => role == SystemAdmin || (role == LaAdmin && own_la(scope, la)),
        Record::ChildLevel {
            la,
            region,
            activity_open,
        } => match role {
            LaAdmin | LaQualityPerformance => own_la(scope, la),
            OfstedRegional => action == Read && activity_open && own_region(scope, region),
            _ => false,
        },
        Record::SelfEvaluation { la, region, stage } => {
            if action == Write {
                return matches!(role, LaAdmin | LaQualityPerformance) && own_la(scope, la);
            }
            match role {
                LaAdmin | LaQualityPerformance | LaAuditor | LaViewer if own_la(scope, la) => true,
                _ if stage == SefStage::Published => true,
                OfstedNational => stage >= SefStage::SharedWithOfsted,
                OfstedRegional => stage >= SefStage::SharedWithOfsted && own_region(scope, region),
                AlliancePeer => stage >= SefStage::SharedWithAlliance && own_region(scope, region),
                _ => false,
            }
        }
        Record::CaseAudit {
            la,
            region,
            notification_week,
        } => match role {
            LaAdmin | LaQualityPerformance | LaAuditor => own_la(scope, la),
            OfstedRegional => action == Read && notification_week && own_region(scope, region),
            _ => false,
        },
        // Learning actions name no child, so every member of the LA's staff reads them
        // (the viewer too: they are how the LA learns). Changing them is deciding the LA's
        // response to its audits, which is the quality and leadership staff's work, as
        // the self-evaluation's plan is: an auditor records findings, but does not
        // commit the LA to training or a standard. Ofsted sees them when it sees the
        // audits they cite: its region, in the notification week; peers never.
        Record::LearningAction {
            la,
            region,
            notification_week,
        } => match role {
            LaAdmin | LaQualityPerformance => own_la(scope, la),
            LaAuditor | LaViewer => action == Read && own_la(scope, la),
            OfstedRegional => action == Read && notification_week && own_region(scope, region),
            _ => false,
        },
        // Planning who audits what is the quality lead's (or a leader's) job; auditors
        // read it to find their cases, and may already read every audit of the LA, so it
        // shows them no child they could not see. Ofsted gets the audit list, not the
        // plan behind it; viewers and system admins see no child-level data.
        Record::AuditProgramme { la } => match role {
            LaAdmin | LaQualityPerformance => own_la(scope, la),
            LaAuditor => action == Read && own_la(scope, la),
            _ => false,
        },
        // The region's Ofsted team plans, records and writes; national Ofsted reads
        // every region's to keep them consistent; the LA's leaders read only the letter
        // as issued to them.
        Record::AemMeeting { region, .. } => match role {
            OfstedRegional => own_region(scope, region),
            OfstedNational => action == Read,
            _ => false,
        },
        Record::AemLetter { la, region, issued } => match role {
            LaAdmin => action == Read && issued && own_la(scope, la),
            OfstedRegional => own_region(scope, region),
            OfstedNational => action == Read,
            _ => false,
        },
        Record::AemConsistency => action == Read && matches!(role, OfstedNational | OfstedRegional),
        Record::AccessLog { la } => {
            action == Read && (role == SystemAdmin || (role == LaAdmin && own_la(scope, la)))
        }
        Record::SystemUsers => role == SystemAdmin,
    }
}
