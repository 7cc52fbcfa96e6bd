//! The permission table: every role (and the anonymous visitor) against every kind of
//! record and action, each cell asserted. Records belong to LA 301 in London.

use ilacs_domain::access::{authorize, Action, Principal, Record, Role, Scope, SefStage};
use ilacs_domain::authority::{LaCode, RegionId};

struct Column {
    name: &'static str,
    who: Option<Principal>,
}

fn la(code: &str) -> LaCode {
    LaCode::parse(code).unwrap()
}
fn region(id: &str) -> RegionId {
    RegionId::parse(id).unwrap()
}

fn columns() -> Vec<Column> {
    let london = region("london");
    let south_west = region("south-west");
    let at = |code: &str, r: &RegionId| Scope::La {
        la: la(code),
        region: r.clone(),
    };
    let p = |role, scope| Some(Principal::new(1, "u", role, scope).unwrap());
    vec![
        Column {
            name: "la_admin",
            who: p(Role::LaAdmin, at("301", &london)),
        },
        Column {
            name: "la_qp",
            who: p(Role::LaQualityPerformance, at("301", &london)),
        },
        Column {
            name: "la_auditor",
            who: p(Role::LaAuditor, at("301", &london)),
        },
        Column {
            name: "la_viewer",
            who: p(Role::LaViewer, at("301", &london)),
        },
        Column {
            name: "other_la_admin",
            who: p(Role::LaAdmin, at("302", &london)),
        },
        Column {
            name: "ofsted_national",
            who: p(Role::OfstedNational, Scope::National),
        },
        Column {
            name: "ofsted_region",
            who: p(Role::OfstedRegional, Scope::Region(london.clone())),
        },
        Column {
            name: "ofsted_other",
            who: p(Role::OfstedRegional, Scope::Region(south_west.clone())),
        },
        Column {
            name: "peer_region",
            who: p(Role::AlliancePeer, at("302", &london)),
        },
        Column {
            name: "peer_other",
            who: p(Role::AlliancePeer, at("878", &south_west)),
        },
        Column {
            name: "system_admin",
            who: p(Role::SystemAdmin, Scope::National),
        },
        Column {
            name: "anonymous",
            who: None,
        },
    ]
}

#[test]
fn every_role_against_every_record_and_action() {
    let (la301, london) = (la("301"), region("london"));
    let sef = |stage| Record::SelfEvaluation {
        la: &la301,
        region: &london,
        stage,
    };
    let learning = |notification_week| Record::LearningAction {
        la: &la301,
        region: &london,
        notification_week,
    };
    let rows: Vec<(&str, Record, Action, &str)> = vec![
        //                                                                                  admin qp aud view oadm nat reg oreg peer opeer sys anon
        (
            "published outcomes",
            Record::PublishedOutcomes,
            Action::Read,
            "Y Y Y Y Y Y Y Y Y Y Y Y",
        ),
        (
            "published outcomes",
            Record::PublishedOutcomes,
            Action::Write,
            "N N N N N N N N N N Y N",
        ),
        (
            "LA users",
            Record::LaUsers { la: &la301 },
            Action::Read,
            "Y N N N N N N N N N Y N",
        ),
        (
            "LA users",
            Record::LaUsers { la: &la301 },
            Action::Write,
            "Y N N N N N N N N N Y N",
        ),
        (
            "child level, closed",
            Record::ChildLevel {
                la: &la301,
                region: &london,
                activity_open: false,
            },
            Action::Read,
            "Y Y N N N N N N N N N N",
        ),
        (
            "child level, closed",
            Record::ChildLevel {
                la: &la301,
                region: &london,
                activity_open: false,
            },
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "child level, open",
            Record::ChildLevel {
                la: &la301,
                region: &london,
                activity_open: true,
            },
            Action::Read,
            "Y Y N N N N Y N N N N N",
        ),
        (
            "child level, open",
            Record::ChildLevel {
                la: &la301,
                region: &london,
                activity_open: true,
            },
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "SEF draft",
            sef(SefStage::Draft),
            Action::Read,
            "Y Y Y Y N N N N N N N N",
        ),
        (
            "SEF draft",
            sef(SefStage::Draft),
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "SEF signed off",
            sef(SefStage::SignedOff),
            Action::Read,
            "Y Y Y Y N N N N N N N N",
        ),
        (
            "SEF signed off",
            sef(SefStage::SignedOff),
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "SEF shared with Ofsted",
            sef(SefStage::SharedWithOfsted),
            Action::Read,
            "Y Y Y Y N Y Y N N N N N",
        ),
        (
            "SEF shared with Ofsted",
            sef(SefStage::SharedWithOfsted),
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "SEF shared with alliance",
            sef(SefStage::SharedWithAlliance),
            Action::Read,
            "Y Y Y Y N Y Y N Y N N N",
        ),
        (
            "SEF shared with alliance",
            sef(SefStage::SharedWithAlliance),
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "SEF published",
            sef(SefStage::Published),
            Action::Read,
            "Y Y Y Y Y Y Y Y Y Y Y Y",
        ),
        (
            "SEF published",
            sef(SefStage::Published),
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "case audit",
            Record::CaseAudit {
                la: &la301,
                region: &london,
                notification_week: false,
            },
            Action::Read,
            "Y Y Y N N N N N N N N N",
        ),
        (
            "case audit",
            Record::CaseAudit {
                la: &la301,
                region: &london,
                notification_week: false,
            },
            Action::Write,
            "Y Y Y N N N N N N N N N",
        ),
        (
            "case audit, notice",
            Record::CaseAudit {
                la: &la301,
                region: &london,
                notification_week: true,
            },
            Action::Read,
            "Y Y Y N N N Y N N N N N",
        ),
        (
            "case audit, notice",
            Record::CaseAudit {
                la: &la301,
                region: &london,
                notification_week: true,
            },
            Action::Write,
            "Y Y Y N N N N N N N N N",
        ),
        (
            "learning action",
            learning(false),
            Action::Read,
            "Y Y Y Y N N N N N N N N",
        ),
        (
            "learning action",
            learning(false),
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "learning action, notice",
            learning(true),
            Action::Read,
            "Y Y Y Y N N Y N N N N N",
        ),
        (
            "learning action, notice",
            learning(true),
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "audit programme",
            Record::AuditProgramme { la: &la301 },
            Action::Read,
            "Y Y Y N N N N N N N N N",
        ),
        (
            "audit programme",
            Record::AuditProgramme { la: &la301 },
            Action::Write,
            "Y Y N N N N N N N N N N",
        ),
        (
            "AEM meeting",
            Record::AemMeeting {
                la: &la301,
                region: &london,
            },
            Action::Read,
            "N N N N N Y Y N N N N N",
        ),
        (
            "AEM meeting",
            Record::AemMeeting {
                la: &la301,
                region: &london,
            },
            Action::Write,
            "N N N N N N Y N N N N N",
        ),
        (
            "AEM letter, draft",
            Record::AemLetter {
                la: &la301,
                region: &london,
                issued: false,
            },
            Action::Read,
            "N N N N N Y Y N N N N N",
        ),
        (
            "AEM letter, draft",
            Record::AemLetter {
                la: &la301,
                region: &london,
                issued: false,
            },
            Action::Write,
            "N N N N N N Y N N N N N",
        ),
        (
            "AEM letter, issued",
            Record::AemLetter {
                la: &la301,
                region: &london,
                issued: true,
            },
            Action::Read,
            "Y N N N N Y Y N N N N N",
        ),
        (
            "AEM letter, issued",
            Record::AemLetter {
                la: &la301,
                region: &london,
                issued: true,
            },
            Action::Write,
            "N N N N N N Y N N N N N",
        ),
        (
            "AEM consistency",
            Record::AemConsistency,
            Action::Read,
            "N N N N N Y Y Y N N N N",
        ),
        (
            "AEM consistency",
            Record::AemConsistency,
            Action::Write,
            "N N N N N N N N N N N N",
        ),
        (
            "AEM consistency",
            Record::AemConsistency,
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "access log",
            Record::AccessLog { la: &la301 },
            Action::Read,
            "Y N N N N N N N N N Y N",
        ),
        (
            "access log",
            Record::AccessLog { la: &la301 },
            Action::Write,
            "N N N N N N N N N N N N",
        ),
        (
            "system users",
            Record::SystemUsers,
            Action::Read,
            "N N N N N N N N N N Y N",
        ),
        (
            "system users",
            Record::SystemUsers,
            Action::Write,
            "N N N N N N N N N N Y N",
        ),
        // Decisions that commit the LA: only its own leaders.
        (
            "published outcomes",
            Record::PublishedOutcomes,
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "LA users",
            Record::LaUsers { la: &la301 },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "child level, open",
            Record::ChildLevel {
                la: &la301,
                region: &london,
                activity_open: true,
            },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "SEF draft",
            sef(SefStage::Draft),
            Action::Decide,
            "Y N N N N N N N N N N N",
        ),
        (
            "SEF signed off",
            sef(SefStage::SignedOff),
            Action::Decide,
            "Y N N N N N N N N N N N",
        ),
        (
            "SEF shared with Ofsted",
            sef(SefStage::SharedWithOfsted),
            Action::Decide,
            "Y N N N N N N N N N N N",
        ),
        (
            "SEF shared with alliance",
            sef(SefStage::SharedWithAlliance),
            Action::Decide,
            "Y N N N N N N N N N N N",
        ),
        (
            "SEF published",
            sef(SefStage::Published),
            Action::Decide,
            "Y N N N N N N N N N N N",
        ),
        (
            "case audit, notice",
            Record::CaseAudit {
                la: &la301,
                region: &london,
                notification_week: true,
            },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "learning action",
            learning(false),
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "AEM meeting",
            Record::AemMeeting {
                la: &la301,
                region: &london,
            },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "learning action, notice",
            learning(true),
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "audit programme",
            Record::AuditProgramme { la: &la301 },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "AEM letter, draft",
            Record::AemLetter {
                la: &la301,
                region: &london,
                issued: false,
            },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "AEM letter, issued",
            Record::AemLetter {
                la: &la301,
                region: &london,
                issued: true,
            },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "access log",
            Record::AccessLog { la: &la301 },
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
        (
            "system users",
            Record::SystemUsers,
            Action::Decide,
            "N N N N N N N N N N N N",
        ),
    ];
    let columns = columns();
    let mut failures = Vec::new();
    for (name, record, action, expected) in &rows {
        let cells: Vec<&str> = expected.split_whitespace().collect();
        assert_eq!(
            cells.len(),
            columns.len(),
            "row '{name}' {action:?} has the wrong number of cells"
        );
        for (column, cell) in columns.iter().zip(cells) {
            let want = cell == "Y";
            let got = authorize(column.who.as_ref(), *action, record).is_ok();
            if want != got {
                failures.push(format!(
                    "{name} / {action:?} / {}: expected {cell}",
                    column.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "permission table mismatches:\n{}",
        failures.join("\n")
    );
    // Every record kind is covered by the table.
    let kinds: std::collections::BTreeSet<_> = rows.iter().map(|r| r.1.kind()).collect();
    assert_eq!(kinds.len(), 12);
}

#[test]
fn denial_tells_anonymous_from_signed_in() {
    let la301 = la("301");
    let record = Record::LaUsers { la: &la301 };
    let anon = authorize(None, Action::Read, &record).unwrap_err();
    assert!(!anon.signed_in);
    let viewer = Principal::new(
        2,
        "v",
        Role::LaViewer,
        Scope::La {
            la: la301.clone(),
            region: region("london"),
        },
    )
    .unwrap();
    assert!(
        authorize(Some(&viewer), Action::Read, &record)
            .unwrap_err()
            .signed_in
    );
}

#[test]
fn roles_need_the_right_scope() {
    assert!(Principal::new(1, "x", Role::LaAdmin, Scope::National).is_err());
    assert!(Principal::new(1, "x", Role::OfstedRegional, Scope::National).is_err());
    assert!(Principal::new(1, "x", Role::SystemAdmin, Scope::Region(region("london"))).is_err());
    assert!(Principal::new(1, "x", Role::OfstedNational, Scope::National).is_ok());
    for role in Role::ALL {
        assert_eq!(Role::parse_key(role.key()).unwrap(), role);
    }
    assert!(Role::parse_key("inspector").is_err());
}

#[test]
fn restricted_records_are_the_ones_logged() {
    let (la301, london) = (la("301"), region("london"));
    assert!(!Record::PublishedOutcomes.is_restricted());
    assert!(Record::LaUsers { la: &la301 }.is_restricted());
    assert!(Record::AuditProgramme { la: &la301 }.is_restricted());
    for issued in [false, true] {
        assert!(Record::AemLetter {
            la: &la301,
            region: &london,
            issued
        }
        .is_restricted());
    }
    assert!(Record::AemMeeting {
        la: &la301,
        region: &london
    }
    .is_restricted());
    assert!(Record::LearningAction {
        la: &la301,
        region: &london,
        notification_week: false
    }
    .is_restricted());
    assert!(!Record::SelfEvaluation {
        la: &la301,
        region: &london,
        stage: SefStage::Published
    }
    .is_restricted());
}
