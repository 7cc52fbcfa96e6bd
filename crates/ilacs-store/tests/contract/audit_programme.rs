use crate::audits::{audit, new, seeded};
use crate::contract;
use chrono::NaiveDate;
use ilacs_domain::audit::{
    AuditMonth, AuditorId, CaseType, ChildId, OpenCase, ProgrammeAuditor, ProgrammeItem, Team,
};
use ilacs_domain::authority::LaCode;
use ilacs_store::{Store, StoreError};
use std::sync::Arc;

fn la(code: &str) -> LaCode {
    LaCode::parse(code).unwrap()
}

fn case(child: &str, team: &str, case_type: CaseType) -> OpenCase {
    OpenCase {
        child: ChildId::parse(child).unwrap(),
        team: Team::parse(team).unwrap(),
        case_type,
    }
}

fn auditor(name: &str, team: &str, cases: Option<u32>) -> ProgrammeAuditor {
    ProgrammeAuditor {
        auditor: AuditorId::parse(name).unwrap(),
        team: Team::parse(team).unwrap(),
        cases,
    }
}

fn month(key: &str) -> AuditMonth {
    AuditMonth::parse(key).unwrap()
}

fn item(m: &str, auditor: &str, child: &str, last: Option<&str>) -> ProgrammeItem {
    ProgrammeItem {
        month: month(m),
        auditor: AuditorId::parse(auditor).unwrap(),
        child: ChildId::parse(child).unwrap(),
        team: Team::parse("Team B").unwrap(),
        case_type: CaseType::CareLeaver,
        last_audited: last.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
    }
}

contract!(open_cases_are_replaced_whole_or_not_at_all, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let empty = store.programme_inputs(&la("301")).await.unwrap();
    assert!(empty.open_cases.is_empty() && empty.open_cases_updated.is_none());

    let first = [
        case("C2", "Team B", CaseType::InCare),
        case("C1", "Team B", CaseType::HelpAndProtection),
        case("C3", "Team A", CaseType::CareLeaver),
    ];
    store
        .replace_open_cases(&la("301"), &first, "qp.one")
        .await
        .unwrap();
    let inputs = store.programme_inputs(&la("301")).await.unwrap();
    // By team, then child.
    let children: Vec<_> = inputs.open_cases.iter().map(|c| c.child.as_str()).collect();
    assert_eq!(children, ["C3", "C1", "C2"]);
    assert_eq!(inputs.open_cases[0], first[2]);
    assert_eq!(inputs.open_cases_updated.as_ref().unwrap().by, "qp.one");
    assert!(inputs.auditors_updated.is_none());

    // A new list replaces the old one: C1 and C3 are closed, C4 is new.
    let second = [
        case("C2", "Team B", CaseType::InCare),
        case("C4", "Team A", CaseType::InCare),
    ];
    store
        .replace_open_cases(&la("301"), &second, "qp.two")
        .await
        .unwrap();
    let inputs = store.programme_inputs(&la("301")).await.unwrap();
    assert_eq!(inputs.open_cases, [second[1].clone(), second[0].clone()]);
    assert_eq!(inputs.open_cases_updated.unwrap().by, "qp.two");

    // Refused lists leave it as it was.
    let twice = [
        case("C9", "Team A", CaseType::InCare),
        case("C9", "Team B", CaseType::InCare),
    ];
    for bad in [&twice[..], &[]] {
        let err = store
            .replace_open_cases(&la("301"), bad, "qp.three")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    }
    let err = store
        .replace_open_cases(&la("999"), &second, "qp.three")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let after = store.programme_inputs(&la("301")).await.unwrap();
    assert_eq!(after.open_cases.len(), 2);
    assert_eq!(after.open_cases_updated.unwrap().by, "qp.two");

    // Another LA's list is its own.
    assert!(store
        .programme_inputs(&la("302"))
        .await
        .unwrap()
        .open_cases
        .is_empty());
});

contract!(
    auditors_are_replaced_whole,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let list = [
            auditor("tm.north", "North", Some(1)),
            auditor("tm.east", "East", None),
            auditor("tm.away", "West", Some(0)),
        ];
        store
            .replace_programme_auditors(&la("301"), &list, "qp.one")
            .await
            .unwrap();
        let inputs = store.programme_inputs(&la("301")).await.unwrap();
        assert_eq!(
            inputs.auditors,
            [list[2].clone(), list[1].clone(), list[0].clone()]
        );
        assert_eq!(inputs.auditors_updated.unwrap().by, "qp.one");

        let twice = [auditor("amy", "A", None), auditor("amy", "B", None)];
        assert!(matches!(
            store
                .replace_programme_auditors(&la("301"), &twice, "qp.two")
                .await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(
            store
                .programme_inputs(&la("301"))
                .await
                .unwrap()
                .auditors
                .len(),
            3
        );
        // An LA may empty its list.
        store
            .replace_programme_auditors(&la("301"), &[], "qp.two")
            .await
            .unwrap();
        let inputs = store.programme_inputs(&la("301")).await.unwrap();
        assert!(inputs.auditors.is_empty());
        assert_eq!(inputs.auditors_updated.unwrap().by, "qp.two");
    }
);

contract!(a_month_is_confirmed_once_and_read_back, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let march = [
        item("2026-03", "tm.north", "C2", Some("2024-11-05")),
        item("2026-03", "tm.east", "C1", None),
    ];
    let confirmed = store
        .confirm_programme(&la("301"), month("2026-03"), &march, "qp.one")
        .await
        .unwrap();
    assert_eq!(confirmed.confirmed.by, "qp.one");
    assert_eq!(confirmed.items, [march[1].clone(), march[0].clone()]);

    let again = store
        .confirm_programme(&la("301"), month("2026-03"), &march[..1], "qp.two")
        .await
        .unwrap_err();
    assert!(
        matches!(&again, StoreError::Duplicate(what) if what.contains("March 2026")),
        "{again:?}"
    );

    // Refused: nothing, another month's item, a child twice, an unknown LA.
    let april = month("2026-04");
    let twice = [
        item("2026-04", "tm.north", "C1", None),
        item("2026-04", "tm.east", "C1", None),
    ];
    for (code, items) in [
        ("301", &[][..]),
        ("301", &march[..]),
        ("301", &twice[..]),
        ("999", &twice[..1]),
    ] {
        let err = store
            .confirm_programme(&la(code), april, items, "qp.two")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    }

    let feb = [item("2026-02", "tm.east", "C5", None)];
    store
        .confirm_programme(&la("301"), month("2026-02"), &feb, "qp.two")
        .await
        .unwrap();
    let all = store.programmes(&la("301")).await.unwrap();
    let months: Vec<_> = all.iter().map(|p| p.month.key()).collect();
    assert_eq!(months, ["2026-03", "2026-02"], "newest first");
    assert_eq!(all[0], confirmed);
    assert_eq!(all[1].items, feb);
    assert_eq!(all[1].confirmed.by, "qp.two");
    assert!(store.programmes(&la("302")).await.unwrap().is_empty());
});

contract!(
    the_audit_log_is_who_audited_which_child_when,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        for (code, child, who, date) in [
            ("301", "C1", "auditor.b", "12/03/2026"),
            ("301", "C2", "auditor.a", "02/01/2026"),
            ("302", "C3", "auditor.a", "05/02/2026"),
        ] {
            store
                .create_audit(&new(code, audit(child, who, date), None))
                .await
                .unwrap();
        }
        let log = store.audit_log(&la("301")).await.unwrap();
        let entries: Vec<_> = log
            .iter()
            .map(|e| (e.child.as_str(), e.auditor.as_str(), e.date.to_string()))
            .collect();
        assert_eq!(
            entries,
            [
                ("C2", "auditor.a", "2026-01-02".to_string()),
                ("C1", "auditor.b", "2026-03-12".to_string()),
            ]
        );
    }
);
