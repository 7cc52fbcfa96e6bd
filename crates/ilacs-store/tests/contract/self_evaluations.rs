use crate::contract;
use crate::reference::sample;
use chrono::{DateTime, NaiveDate, Utc};
use ilacs_domain::access::SefStage;
use ilacs_domain::authority::{LaCode, RegionId};
use ilacs_domain::framework::Catalogue;
use ilacs_domain::self_evaluation::{
    new_version_from, FinancialYear, Paragraph, SelfEvaluation, Structure,
};
use ilacs_domain::user::Username;
use ilacs_store::{SefSummary, SharedSef, Store, StoreError, StoredSef};
use std::sync::Arc;

async fn seeded(store: &Arc<dyn Store>) {
    store
        .import_reference_data(&sample(), "sample", "test")
        .await
        .unwrap();
}

fn la(code: &str) -> LaCode {
    LaCode::parse(code).unwrap()
}

fn year(starting: i32) -> FinancialYear {
    FinancialYear::new(starting).unwrap()
}

/// Version 1 of an LA's self-evaluation for the year starting in `starting`, at draft.
fn blank(code: &str, starting: i32) -> SelfEvaluation {
    SelfEvaluation::new(
        la(code),
        year(starting),
        &Catalogue::bundled(),
        &Structure::bundled(),
    )
    .unwrap()
}

fn by(name: &str) -> Username {
    Username::parse(name).unwrap()
}

/// Noon (UTC) on an ISO date.
fn at(date: &str) -> DateTime<Utc> {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
}

fn strength(text: &str) -> Paragraph {
    Paragraph::new(text, Vec::new()).unwrap()
}

/// A draft with one strength.
fn drafted(code: &str, starting: i32) -> SelfEvaluation {
    let mut sef = blank(code, starting);
    sef.add_strength(strength("Children are seen quickly."))
        .unwrap();
    sef
}

async fn create(store: &Arc<dyn Store>, sef: &SelfEvaluation) -> StoredSef {
    store.create_self_evaluation(sef, "creator").await.unwrap()
}

async fn save(store: &Arc<dyn Store>, stored: &StoredSef, sef: &SelfEvaluation) -> StoredSef {
    store
        .save_self_evaluation(sef, stored.row_version, "editor")
        .await
        .unwrap()
}

async fn read(store: &Arc<dyn Store>, sef: &SelfEvaluation) -> StoredSef {
    store
        .self_evaluation(sef.la(), sef.year(), Some(sef.version()))
        .await
        .unwrap()
        .unwrap()
}

/// Signs off and shares with Ofsted, as the lifecycle records it.
fn shared_with_ofsted(sef: &SelfEvaluation) -> SelfEvaluation {
    let mut sef = sef.clone();
    sef.sign_off(by("dcs"), at("2026-05-01")).unwrap();
    sef.share_with_ofsted(by("dcs"), at("2026-05-02")).unwrap();
    sef
}

fn signed_off(sef: &SelfEvaluation) -> SelfEvaluation {
    let mut sef = sef.clone();
    sef.sign_off(by("dcs"), at("2026-05-01")).unwrap();
    sef
}

fn invalid(err: StoreError) -> String {
    match err {
        StoreError::Invalid(message) => message,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

contract!(
    creates_self_evaluations_and_reads_them_back,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let sef = drafted("301", 2026);
        let stored = create(&store, &sef).await;
        assert_eq!(stored.sef, sef);
        assert_eq!(stored.row_version, 1);
        assert_eq!(stored.created_by, "creator");
        assert_eq!(stored.updated_by, "creator");
        assert!(stored.updated_at > 1_700_000_000, "Unix seconds");

        assert_eq!(read(&store, &sef).await, stored, "by version");
        assert_eq!(
            store
                .self_evaluation(&la("301"), year(2026), None)
                .await
                .unwrap(),
            Some(stored.clone()),
            "newest"
        );
        for (code, starting, version) in [
            ("301", 2026, Some(2)),
            ("301", 2025, None),
            ("302", 2026, None),
        ] {
            assert_eq!(
                store
                    .self_evaluation(&la(code), year(starting), version)
                    .await
                    .unwrap(),
                None
            );
        }

        // Only a draft starts a version, and only for a known LA.
        let message = invalid(
            store
                .create_self_evaluation(&signed_off(&blank("302", 2026)), "creator")
                .await
                .unwrap_err(),
        );
        assert!(message.contains("must start as a draft"), "{message}");
        let message = invalid(
            store
                .create_self_evaluation(&blank("999", 2026), "creator")
                .await
                .unwrap_err(),
        );
        assert_eq!(message, "LA 999 is not known");
        assert_eq!(store.self_evaluations(&la("302")).await.unwrap(), []);
    }
);

contract!(
    a_version_number_is_taken_once,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let first = create(&store, &drafted("301", 2026)).await;
        let err = store
            .create_self_evaluation(&blank("301", 2026), "someone.else")
            .await
            .unwrap_err();
        let StoreError::Duplicate(what) = &err else {
            panic!("expected Duplicate, got {err:?}");
        };
        assert_eq!(what, "version 1 of the LA's 2026-27 self-evaluation");

        // Two people starting version 2 from version 1 at once: one wins.
        let mine = new_version_from(&first.sef);
        let theirs = new_version_from(&first.sef);
        let won = create(&store, &mine).await;
        let err = store
            .create_self_evaluation(&theirs, "someone.else")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Duplicate(w) if w == "version 2 of the LA's 2026-27 self-evaluation"),
            "{err:?}"
        );
        assert_eq!(read(&store, &mine).await, won);
        assert_eq!(read(&store, &first.sef).await, first);
        // Another LA and another year have their own version 1.
        create(&store, &blank("302", 2026)).await;
        create(&store, &blank("301", 2027)).await;
    }
);

contract!(lists_newest_year_then_newest_version_first, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let a = create(&store, &blank("301", 2025)).await;
    let b = create(&store, &blank("301", 2026)).await;
    let b = save(&store, &b, &signed_off(&b.sef)).await;
    let c = create(&store, &new_version_from(&b.sef)).await;
    let d = create(&store, &new_version_from(&a.sef)).await;
    create(&store, &blank("302", 2027)).await;

    let list = store.self_evaluations(&la("301")).await.unwrap();
    let summary = |s: &StoredSef| SefSummary {
        id: s.id,
        year: s.sef.year(),
        version: s.sef.version(),
        stage: s.sef.stage(),
        updated_at: s.updated_at,
        updated_by: s.updated_by.clone(),
    };
    assert_eq!(list, [summary(&c), summary(&b), summary(&d), summary(&a)]);
    assert_eq!(list[1].stage, SefStage::SignedOff);
    assert_eq!(list[1].updated_by, "editor");
    assert_eq!(
        store
            .self_evaluation(&la("301"), year(2026), None)
            .await
            .unwrap(),
        Some(c)
    );
    assert_eq!(store.self_evaluations(&la("370")).await.unwrap(), []);
});

contract!(saves_a_draft_and_refuses_a_stale_copy, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let opened = create(&store, &blank("301", 2026)).await;

    let mut theirs = opened.sef.clone();
    theirs
        .add_strength(strength("Leaders know their services well."))
        .unwrap();
    let saved = store
        .save_self_evaluation(&theirs, opened.row_version, "jo.bloggs")
        .await
        .unwrap();
    assert_eq!(saved.sef, theirs);
    assert_eq!(saved.row_version, 2);
    assert_eq!(saved.id, opened.id);
    assert_eq!(saved.created_by, "creator");
    assert_eq!(saved.updated_by, "jo.bloggs");
    assert_eq!(read(&store, &theirs).await, saved);

    // A save from the copy opened before theirs is refused, saying who and when.
    let mut mine = opened.sef.clone();
    mine.add_strength(strength("My words.")).unwrap();
    let err = store
        .save_self_evaluation(&mine, opened.row_version, "sam.smith")
        .await
        .unwrap_err();
    let StoreError::Conflict(message) = &err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert!(
        message.starts_with("This self-evaluation was changed by jo.bloggs at "),
        "{message}"
    );
    assert!(
        message.ends_with(
            " since you opened it. Your changes have not been saved: open it again to see theirs."
        ),
        "{message}"
    );
    assert_eq!(read(&store, &theirs).await, saved, "nothing changed");

    // A version not stored.
    let err = store
        .save_self_evaluation(&new_version_from(&theirs), 1, "sam.smith")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
});

contract!(a_signed_off_version_only_moves_forward, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let draft = create(&store, &drafted("301", 2026)).await;

    // Signing off saves, content and all.
    let mut edited = draft.sef.clone();
    edited.add_strength(strength("Added at sign-off.")).unwrap();
    let signed = save(&store, &draft, &signed_off(&edited)).await;
    assert_eq!(signed.sef.stage(), SefStage::SignedOff);
    assert_eq!(signed.row_version, 2);

    // Changed content is refused once signed off, however the copy got its stage.
    let mut changed = draft.sef.clone();
    changed.add_strength(strength("Slipped in late.")).unwrap();
    let changed = signed_off(&changed);
    let message = invalid(
        store
            .save_self_evaluation(&changed, signed.row_version, "editor")
            .await
            .unwrap_err(),
    );
    assert_eq!(
        message,
        "Version 1 has been signed off, so it cannot be changed: make a new version from it"
    );
    assert_eq!(read(&store, &edited).await, signed, "nothing changed");

    // The stage moves forward, with the step recorded.
    let shared = save(&store, &signed, &shared_with_ofsted(&edited)).await;
    assert_eq!(shared.sef.stage(), SefStage::SharedWithOfsted);
    assert_eq!(shared.sef.history().len(), 2);
    assert_eq!(read(&store, &edited).await, shared);

    // Never back: neither to signed off nor to draft.
    for back in [signed.sef.clone(), edited.clone()] {
        let message = invalid(
            store
                .save_self_evaluation(&back, shared.row_version, "editor")
                .await
                .unwrap_err(),
        );
        assert!(message.contains("a step cannot be undone"), "{message}");
    }
    // Nor with its record of who signed it off rewritten.
    let mut rewritten = edited.clone();
    rewritten.sign_off(by("someone"), at("2026-04-20")).unwrap();
    rewritten
        .share_with_ofsted(by("someone"), at("2026-04-21"))
        .unwrap();
    invalid(
        store
            .save_self_evaluation(&rewritten, shared.row_version, "editor")
            .await
            .unwrap_err(),
    );
    assert_eq!(read(&store, &edited).await, shared, "nothing changed");

    // Saving it unchanged is harmless.
    let again = save(&store, &shared, &shared.sef).await;
    assert_eq!(again.row_version, shared.row_version + 1);
    assert_eq!(again.sef, shared.sef);
});

contract!(
    a_new_version_from_a_signed_off_one_is_a_draft,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let first = create(&store, &drafted("301", 2026)).await;
        let first = save(&store, &first, &signed_off(&first.sef)).await;

        let second = create(&store, &new_version_from(&first.sef)).await;
        assert_eq!(second.sef.version(), 2);
        assert_eq!(second.sef.based_on(), Some(1));
        assert_eq!(second.sef.stage(), SefStage::Draft);
        assert!(second.sef.history().is_empty());
        assert_eq!(second.sef.strengths(), first.sef.strengths());
        assert_eq!(second.row_version, 1);
        assert_ne!(second.id, first.id);
        assert_eq!(
            store
                .self_evaluation(&la("301"), year(2026), None)
                .await
                .unwrap(),
            Some(second.clone())
        );
        assert_eq!(read(&store, &first.sef).await, first, "version 1 as it was");

        // The new draft changes freely.
        let mut edited = second.sef.clone();
        edited.add_strength(strength("A correction.")).unwrap();
        let saved = save(&store, &second, &edited).await;
        assert_eq!(saved.sef.strengths().len(), 2);
    }
);

contract!(
    lists_the_newest_shared_version_per_la_and_year_in_a_region,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        // Barking and Dagenham (301, London), 2026-27: version 1 shared with Ofsted,
        // version 2 signed off, version 3 a draft.
        let v1 = create(&store, &blank("301", 2026)).await;
        let v1 = save(&store, &v1, &shared_with_ofsted(&v1.sef)).await;
        let v2 = create(&store, &new_version_from(&v1.sef)).await;
        let v2 = save(&store, &v2, &signed_off(&v2.sef)).await;
        let v3 = create(&store, &new_version_from(&v2.sef)).await;
        // 2025-26: shared with Ofsted.
        let old = create(&store, &blank("301", 2025)).await;
        let old = save(&store, &old, &shared_with_ofsted(&old.sef)).await;
        // Barnet (302, London): signed off.
        let barnet = create(&store, &blank("302", 2026)).await;
        let barnet = save(&store, &barnet, &signed_off(&barnet.sef)).await;
        // Barnsley (370, elsewhere): shared with Ofsted.
        let barnsley = create(&store, &blank("370", 2026)).await;
        let barnsley = save(&store, &barnsley, &shared_with_ofsted(&barnsley.sef)).await;

        let entry = |s: &StoredSef, name: &str| SharedSef {
            la_code: s.sef.la().clone(),
            la_name: name.to_string(),
            summary: SefSummary {
                id: s.id,
                year: s.sef.year(),
                version: s.sef.version(),
                stage: s.sef.stage(),
                updated_at: s.updated_at,
                updated_by: s.updated_by.clone(),
            },
        };
        let london = RegionId::parse("london").unwrap();
        let shared = |at_least| {
            let store = store.clone();
            let london = london.clone();
            async move {
                store
                    .shared_self_evaluations(&london, at_least)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            shared(SefStage::SharedWithOfsted).await,
            [
                entry(&v1, "Barking and Dagenham"),
                entry(&old, "Barking and Dagenham")
            ]
        );
        assert_eq!(
            shared(SefStage::SignedOff).await,
            [
                entry(&v2, "Barking and Dagenham"),
                entry(&old, "Barking and Dagenham"),
                entry(&barnet, "Barnet"),
            ]
        );
        assert_eq!(
            shared(SefStage::Draft).await,
            [
                entry(&v3, "Barking and Dagenham"),
                entry(&old, "Barking and Dagenham"),
                entry(&barnet, "Barnet"),
            ]
        );
        assert_eq!(shared(SefStage::SharedWithAlliance).await, []);
        let elsewhere = RegionId::parse("north-east-yorkshire-humber").unwrap();
        assert_eq!(
            store
                .shared_self_evaluations(&elsewhere, SefStage::SharedWithOfsted)
                .await
                .unwrap(),
            [entry(&barnsley, "Barnsley")]
        );
    }
);
