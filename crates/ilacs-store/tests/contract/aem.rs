use crate::contract;
use crate::reference::sample;
use chrono::NaiveDate;
use ilacs_domain::aem::{
    AemRules, Held, LaAttendee, Meeting, OfstedAttendee, OfstedRole, Remit, Venue,
};
use ilacs_domain::authority::{LaCode, RegionId};
use ilacs_domain::user::Username;
use ilacs_store::{Store, StoreError};
use std::sync::Arc;

async fn seeded(store: &Arc<dyn Store>) {
    store
        .import_reference_data(&sample(), "sample", "test")
        .await
        .unwrap();
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d("2026-11-23")
}

fn planned(code: &str, date: &str) -> Meeting {
    Meeting::plan(
        LaCode::parse(code).unwrap(),
        d(date),
        today(),
        &AemRules::bundled(),
    )
    .unwrap()
}

/// A meeting held on `date` with a drafted letter.
fn drafted(code: &str, date: &str) -> Meeting {
    let mut m = Meeting::plan(
        LaCode::parse(code).unwrap(),
        d(date),
        d(date),
        &AemRules::bundled(),
    )
    .unwrap();
    m.record(
        Held {
            date: d(date),
            venue: Venue::La,
            minutes: 180,
            remit: Remit::SocialCareOnly,
            ofsted: vec![
                OfstedAttendee {
                    name: "Ann Lee".into(),
                    role: OfstedRole::RegionalDirector,
                },
                OfstedAttendee {
                    name: "Raj Patel".into(),
                    role: OfstedRole::SeniorHmi,
                },
            ],
            la: vec![LaAttendee {
                name: "Bo Hart".into(),
                post: "DCS".into(),
                purpose: "Leads".into(),
            }],
        },
        today(),
    )
    .unwrap();
    m.draft_letter("Annual engagement meeting".into(), "Dear DCS".into())
        .unwrap();
    m
}

fn by(name: &str) -> Username {
    Username::parse(name).unwrap()
}

contract!(
    create_read_and_list_meetings,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let a = store
            .create_aem_meeting(&planned("301", "2027-02-10"), "hmi.london")
            .await
            .unwrap();
        assert_eq!(a.row_version, 1);
        assert_eq!(a.la_name, "Barking and Dagenham");
        assert_eq!(a.region.as_str(), "london");
        let b = store
            .create_aem_meeting(&drafted("301", "2025-11-04"), "hmi.london")
            .await
            .unwrap();
        store
            .create_aem_meeting(&drafted("370", "2026-10-01"), "hmi.ney")
            .await
            .unwrap();
        let read = store.aem_meeting(a.id).await.unwrap().unwrap();
        assert_eq!(read, a);
        assert!(store.aem_meeting(9999).await.unwrap().is_none());

        let for_la = store
            .aem_meetings_for_la(&LaCode::parse("301").unwrap())
            .await
            .unwrap();
        let ids: Vec<i64> = for_la.iter().map(|m| m.id).collect();
        assert_eq!(ids, [a.id, b.id], "newest first");
        let london = store
            .aem_meetings_for_region(Some(&RegionId::parse("london").unwrap()))
            .await
            .unwrap();
        assert_eq!(london.len(), 2);
        assert_eq!(store.aem_meetings_for_region(None).await.unwrap().len(), 3);

        let unknown = store
            .create_aem_meeting(&planned("999", "2027-02-10"), "hmi.london")
            .await
            .unwrap_err();
        assert!(matches!(unknown, StoreError::Invalid(_)), "{unknown:?}");
    }
);

contract!(
    a_stale_save_is_a_conflict,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let stored = store
            .create_aem_meeting(&planned("301", "2027-02-10"), "hmi.london")
            .await
            .unwrap();
        let mut moved = stored.meeting.clone();
        moved.reschedule(d("2027-03-02"), today()).unwrap();
        let saved = store
            .save_aem_meeting(stored.id, &moved, 1, "hmi.london")
            .await
            .unwrap();
        assert_eq!(saved.row_version, 2);
        assert_eq!(saved.meeting.planned(), d("2027-03-02"));
        let mut stale = stored.meeting.clone();
        stale.reschedule(d("2027-04-06"), today()).unwrap();
        let err = store
            .save_aem_meeting(stored.id, &stale, 1, "hmi.other")
            .await
            .unwrap_err();
        match err {
            StoreError::Conflict(m) => assert!(m.contains("hmi.london"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        let reread = store.aem_meeting(stored.id).await.unwrap().unwrap();
        assert_eq!(reread.meeting.planned(), d("2027-03-02"));
        assert!(matches!(
            store.save_aem_meeting(4242, &moved, 1, "x").await,
            Err(StoreError::NotFound(_))
        ));
        let elsewhere = planned("302", "2027-02-10");
        assert!(matches!(
            store.save_aem_meeting(stored.id, &elsewhere, 2, "x").await,
            Err(StoreError::Invalid(_))
        ));
    }
);

contract!(
    a_letter_is_issued_once,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let stored = store
            .create_aem_meeting(&drafted("301", "2026-11-10"), "hmi.london")
            .await
            .unwrap();
        let issued = store
            .issue_aem_letter(stored.id, 1, today(), &by("hmi.london"))
            .await
            .unwrap();
        assert!(issued.meeting.is_issued());
        assert_eq!(issued.row_version, 2);
        let again = store
            .issue_aem_letter(stored.id, 2, today(), &by("hmi.other"))
            .await
            .unwrap_err();
        match again {
            StoreError::Invalid(m) => assert!(m.contains("already issued"), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // Nor can a save from before the issue overwrite the issued letter.
        let mut changed = stored.meeting.clone();
        changed
            .draft_letter("Another".into(), "Other text".into())
            .unwrap();
        assert!(matches!(
            store.save_aem_meeting(stored.id, &changed, 2, "x").await,
            Err(StoreError::Invalid(_))
        ));
        let reread = store.aem_meeting(stored.id).await.unwrap().unwrap();
        let issue = reread.meeting.letter().unwrap().issued.clone().unwrap();
        assert_eq!(issue.by, by("hmi.london"));
        assert_eq!(reread.meeting.letter().unwrap().text, "Dear DCS");

        // A meeting with no draft has nothing to issue.
        let bare = store
            .create_aem_meeting(&planned("302", "2027-01-12"), "hmi.london")
            .await
            .unwrap();
        assert!(matches!(
            store
                .issue_aem_letter(bare.id, 1, today(), &by("hmi.london"))
                .await,
            Err(StoreError::Invalid(_))
        ));
    }
);
