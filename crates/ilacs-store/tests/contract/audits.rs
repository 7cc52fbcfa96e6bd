use crate::contract;
use crate::reference::sample;
use chrono::NaiveDate;
use ilacs_domain::audit::{
    Audit, AuditTemplate, AuditTemplates, ModerationPair, NewAction, NewAudit, NewDomainScore,
    Score, TemplateKey,
};
use ilacs_domain::authority::LaCode;
use ilacs_domain::grade::Grade;
use ilacs_store::{NewCaseAudit, Store, StoreError, StoredAudit};
use std::sync::Arc;

pub(crate) async fn seeded(store: &Arc<dyn Store>) {
    store
        .import_reference_data(&sample(), "sample", "test")
        .await
        .unwrap();
}

pub(crate) fn la(code: &str) -> LaCode {
    LaCode::parse(code).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn template(key: &str) -> AuditTemplate {
    AuditTemplates::bundled()
        .get(&TemplateKey::parse(key).unwrap())
        .unwrap()
        .clone()
}

fn quality() -> AuditTemplate {
    template("ilacs-quality")
}

fn signs_of_safety() -> AuditTemplate {
    template("signs-of-safety")
}

/// A complete, valid draft with every domain and the overall scored `score` (as
/// `ilacs_domain::audit::testing::filled`, which is private to the domain's tests).
fn filled(template: &AuditTemplate, score: &str) -> NewAudit {
    NewAudit {
        child_id: "C1".into(),
        team: "Assessment 1".into(),
        worker: "Sam Worker".into(),
        case_type: "in_care".into(),
        auditor: "auditor.a".into(),
        date: "10/03/2026".into(),
        domains: template
            .domains()
            .iter()
            .map(|d| NewDomainScore {
                domain: d.key.to_string(),
                score: score.into(),
                narrative: format!("Evidence for {}", d.title),
            })
            .collect(),
        overall: score.into(),
        worked_well: "Warm, persistent direct work.".into(),
        must_change: "Chronology is out of date.".into(),
        actions: vec![NewAction {
            description: "Update the chronology".into(),
            owner: "manager".into(),
            due: "10/04/2026".into(),
        }],
        ..NewAudit::default()
    }
}

/// A quality-of-practice audit, every grade good.
pub(crate) fn audit(child: &str, auditor: &str, date: &str) -> Audit {
    let mut draft = filled(&quality(), "good");
    draft.child_id = child.into();
    draft.auditor = auditor.into();
    draft.date = date.into();
    draft.actions.clear();
    draft.parse(&quality()).unwrap()
}

pub(crate) fn new(code: &str, audit: Audit, moderates: Option<i64>) -> NewCaseAudit {
    NewCaseAudit {
        la: la(code),
        audit,
        moderates,
        actor: "creator".into(),
    }
}

async fn create(store: &Arc<dyn Store>, code: &str, audit: Audit) -> StoredAudit {
    store.create_audit(&new(code, audit, None)).await.unwrap()
}

/// Every audit of every sample LA, to show that a refused write wrote nothing.
async fn everything(store: &Arc<dyn Store>) -> Vec<StoredAudit> {
    let mut all = Vec::new();
    for code in ["301", "302", "370"] {
        all.extend(store.audits(&la(code), None, None).await.unwrap());
    }
    all
}

fn ids(audits: &[StoredAudit]) -> Vec<i64> {
    audits.iter().map(|a| a.id).collect()
}

contract!(creates_audits_and_reads_them_back, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;

    // Grades, with not applicable, actions, both feedbacks and themes.
    let quality = quality();
    let mut draft = filled(&quality, "Requires improvement to be good");
    draft.domains[0].score = "Outstanding".into();
    draft.domains[8].score = "n/a".into();
    draft.domains[8].narrative.clear();
    draft.child_feedback = "I like my worker".into();
    draft.family_feedback = "Mum feels listened to.".into();
    draft.themes = vec!["Voice of the Child".into(), "Drift".into()];
    draft.actions.push(NewAction {
        description: "Supervision to review the plan".into(),
        owner: "worker".into(),
        due: "2026-03-10".into(),
    });
    let graded = draft.parse(&quality).unwrap();
    let stored = store
        .create_audit(&new("301", graded.clone(), None))
        .await
        .unwrap();
    assert_eq!(stored.audit, graded);
    assert_eq!(stored.la, la("301"));
    assert_eq!(stored.moderates, None);
    assert_eq!(stored.version, 1);
    assert_eq!(stored.created_by, "creator");
    assert_eq!(stored.updated_by, "creator");
    assert_eq!(stored.created_at, stored.updated_at);
    assert!(stored.created_at > 1_700_000_000, "Unix seconds");
    assert_eq!(
        store.audit(&la("301"), stored.id).await.unwrap(),
        Some(stored.clone())
    );

    // Signs of Safety, scored 0 to 10: the numbers and their bands come back.
    let sos = signs_of_safety();
    let mut draft = filled(&sos, "7");
    draft.child_id = "C2".into();
    draft.overall = "3".into();
    for (i, entry) in draft.domains.iter_mut().enumerate() {
        entry.score = ((i * 3) % 11).to_string();
    }
    if let Some(na) = sos.domains().iter().position(|d| d.not_applicable_allowed) {
        draft.domains[na].score = "n/a".into();
    }
    draft.themes = vec!["neglect".into()];
    let numeric = draft.parse(&sos).unwrap();
    assert_eq!(
        numeric.overall(),
        Score::Scaled {
            value: 3,
            band: Grade::Inadequate
        }
    );
    let stored_numeric = store
        .create_audit(&new("301", numeric.clone(), None))
        .await
        .unwrap();
    assert_eq!(stored_numeric.audit, numeric);
    let read = store
        .audit(&la("301"), stored_numeric.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, stored_numeric);
    assert_eq!(
        read.audit.domains()[1].score.grade(),
        Some(Grade::Inadequate)
    );
    assert_ne!(stored.id, stored_numeric.id);

    assert_eq!(
        store.audits(&la("301"), None, None).await.unwrap(),
        [stored_numeric, stored],
        "same date: the newer id first"
    );
    assert!(store.audit(&la("301"), 9999).await.unwrap().is_none());
});

contract!(
    lists_an_las_audits_by_date,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let jan = create(&store, "301", audit("C1", "a", "2026-01-10")).await;
        let mar = create(&store, "301", audit("C2", "a", "2026-03-05")).await;
        let feb1 = create(&store, "301", audit("C3", "a", "2026-02-01")).await;
        let feb2 = create(&store, "301", audit("C4", "a", "2026-02-01")).await;
        let moderation = store
            .create_audit(&new("301", audit("C1", "b", "2026-02-20"), Some(jan.id)))
            .await
            .unwrap();
        let barnet = create(&store, "302", audit("C1", "a", "2026-02-01")).await;

        let list = |from: Option<&str>, to: Option<&str>| {
            let store = store.clone();
            let (from, to) = (from.map(d), to.map(d));
            async move { ids(&store.audits(&la("301"), from, to).await.unwrap()) }
        };
        assert_eq!(
            list(None, None).await,
            [mar.id, moderation.id, feb2.id, feb1.id, jan.id],
            "newest date first, then the newest id"
        );
        let all = store.audits(&la("301"), None, None).await.unwrap();
        assert_eq!(all[1], moderation);
        assert_eq!(all[1].moderates, Some(jan.id));
        assert_eq!(
            list(Some("2026-02-01"), None).await,
            [mar.id, moderation.id, feb2.id, feb1.id],
            "from is inclusive"
        );
        assert_eq!(
            list(None, Some("2026-02-01")).await,
            [feb2.id, feb1.id, jan.id],
            "to is inclusive"
        );
        assert_eq!(
            list(Some("2026-02-02"), Some("2026-03-04")).await,
            [moderation.id]
        );
        assert_eq!(
            list(Some("2026-03-06"), None).await,
            Vec::<i64>::new(),
            "nothing after the last"
        );
        assert_eq!(
            list(Some("2026-03-05"), Some("2026-01-10")).await,
            Vec::<i64>::new(),
            "an empty range"
        );
        assert_eq!(
            store.audits(&la("302"), None, None).await.unwrap(),
            [barnet]
        );
        assert!(store
            .audits(&la("370"), None, None)
            .await
            .unwrap()
            .is_empty());
    }
);

contract!(
    another_las_audit_is_not_there,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let barking = create(&store, "301", audit("C1", "a", "2026-03-10")).await;
        assert!(store.audit(&la("302"), barking.id).await.unwrap().is_none());
        let changed = audit("C9", "a", "2026-03-10");
        let err = store
            .update_audit(&la("302"), barking.id, 1, &changed, "intruder")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        assert_eq!(
            store.audit(&la("301"), barking.id).await.unwrap(),
            Some(barking)
        );
    }
);

contract!(an_update_with_the_current_version_saves, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let first = create(&store, "301", audit("C1", "a", "2026-03-10")).await;

    let mut draft = first.audit.to_new();
    draft.date = "2026-04-02".into();
    draft.overall = "inadequate".into();
    draft.team = "Children in care 2".into();
    draft.themes.push("Drift".into());
    let changed = draft.parse(&quality()).unwrap();
    let saved = store
        .update_audit(&la("301"), first.id, 1, &changed, "editor")
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.audit, changed);
    assert_eq!(saved.audit.overall_grade(), Grade::Inadequate);
    assert_eq!(saved.updated_by, "editor");
    assert!(saved.updated_at >= first.updated_at);
    assert_eq!(saved.created_by, "creator");
    assert_eq!(saved.created_at, first.created_at);
    assert_eq!(saved.id, first.id);
    assert_eq!(
        store.audit(&la("301"), first.id).await.unwrap(),
        Some(saved.clone())
    );
    // The listing follows the new date.
    assert!(store
        .audits(&la("301"), None, Some(d("2026-03-31")))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .audits(&la("301"), Some(d("2026-04-02")), None)
            .await
            .unwrap(),
        [saved]
    );

    let again = store
        .update_audit(&la("301"), first.id, 2, &first.audit, "creator")
        .await
        .unwrap();
    assert_eq!(again.version, 3);
    assert_eq!(again.audit, first.audit);

    let err = store
        .update_audit(&la("301"), 9999, 1, &first.audit, "editor")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
});

contract!(an_update_from_a_stale_copy_conflicts, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let opened = create(&store, "301", audit("C1", "a", "2026-03-10")).await;
    let mut theirs = opened.audit.to_new();
    theirs.worked_well = "Their words.".into();
    let theirs = store
        .update_audit(
            &la("301"),
            opened.id,
            opened.version,
            &theirs.parse(&quality()).unwrap(),
            "jo.bloggs",
        )
        .await
        .unwrap();

    let mut mine = opened.audit.to_new();
    mine.worked_well = "My words.".into();
    let err = store
        .update_audit(
            &la("301"),
            opened.id,
            opened.version,
            &mine.parse(&quality()).unwrap(),
            "sam.smith",
        )
        .await
        .unwrap_err();
    let StoreError::Conflict(message) = &err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert!(
        message.starts_with("This audit was changed by jo.bloggs at "),
        "{message}"
    );
    assert!(
        message.ends_with(
            " since you opened it. Your changes have not been saved: open it again to see theirs."
        ),
        "{message}"
    );
    assert_eq!(err.to_string(), *message, "shown as is");
    assert_eq!(
        store.audit(&la("301"), opened.id).await.unwrap(),
        Some(theirs.clone()),
        "nothing changed"
    );

    // A version from the future is as stale as one from the past.
    let err = store
        .update_audit(&la("301"), opened.id, 7, &opened.audit, "sam.smith")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.audit(&la("301"), opened.id).await.unwrap(),
        Some(theirs)
    );
});

contract!(two_saves_of_one_version_one_wins, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let opened = create(&store, "301", audit("C1", "a", "2026-03-10")).await;
    let edit = |words: &str| {
        let mut draft = opened.audit.to_new();
        draft.worked_well = words.into();
        draft.parse(&quality()).unwrap()
    };
    let (one, two) = (edit("One."), edit("Two."));
    let barking = la("301");
    let (a, b) = tokio::join!(
        store.update_audit(&barking, opened.id, 1, &one, "one"),
        store.update_audit(&barking, opened.id, 1, &two, "two"),
    );
    let (won, lost) = match (a, b) {
        (Ok(won), Err(lost)) | (Err(lost), Ok(won)) => (won, lost),
        other => panic!("expected one save and one conflict, got {other:?}"),
    };
    assert!(matches!(lost, StoreError::Conflict(_)), "{lost:?}");
    assert_eq!(won.version, 2);
    assert_eq!(store.audit(&la("301"), opened.id).await.unwrap(), Some(won));
});

contract!(
    moderations_follow_the_rules,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let first = create(&store, "301", audit("C1", "auditor.a", "2026-03-10")).await;
        let second = create(&store, "301", audit("C2", "auditor.a", "2026-03-11")).await;
        let barnet = create(&store, "302", audit("C1", "auditor.a", "2026-03-10")).await;

        let moderation = audit("C1", "auditor.b", "2026-03-20");
        let stored = store
            .create_audit(&new("301", moderation.clone(), Some(first.id)))
            .await
            .unwrap();
        assert_eq!(stored.moderates, Some(first.id));
        assert_eq!(stored.audit, moderation);
        assert_eq!(
            store.audit(&la("301"), stored.id).await.unwrap(),
            Some(stored.clone())
        );
        let before = everything(&store).await;
        assert_eq!(before.len(), 4);

        let refused = |code: &'static str, audit: Audit, moderates: i64| {
            let store = store.clone();
            async move {
                store
                    .create_audit(&new(code, audit, Some(moderates)))
                    .await
                    .unwrap_err()
            }
        };
        let invalid = |err: StoreError| match err {
            StoreError::Invalid(message) => message,
            other => panic!("expected Invalid, got {other:?}"),
        };
        let missing = "the audit being moderated does not exist";

        // No such audit.
        let err = refused("301", audit("C1", "auditor.b", "2026-03-20"), 9999).await;
        assert_eq!(invalid(err), missing);
        // Another LA's audit, of the same child and otherwise fine.
        let err = refused("301", audit("C1", "auditor.b", "2026-03-20"), barnet.id).await;
        assert_eq!(invalid(err), missing);
        // A moderation of a moderation.
        let err = refused("301", audit("C1", "auditor.c", "2026-03-21"), stored.id).await;
        assert!(invalid(err).contains("is itself a moderation"));
        // Another child.
        let other_child = audit("C3", "auditor.b", "2026-03-20");
        let expected = ModerationPair::new(&second.audit, &other_child)
            .unwrap_err()
            .to_string();
        assert!(expected.contains("C3"), "{expected}");
        let err = refused("301", other_child, second.id).await;
        assert_eq!(invalid(err), expected);
        // The first auditor again.
        let same_auditor = audit("C2", "auditor.a", "2026-03-20");
        let err = refused("301", same_auditor, second.id).await;
        assert_eq!(
            invalid(err),
            "auditor.a carried out the first audit, so cannot moderate it"
        );
        // Another template.
        let mut sos = filled(&signs_of_safety(), "5");
        sos.child_id = "C2".into();
        sos.auditor = "auditor.b".into();
        let err = refused("301", sos.parse(&signs_of_safety()).unwrap(), second.id).await;
        assert!(invalid(err).contains("another template"));
        // A second moderation of one audit.
        let err = refused("301", audit("C1", "auditor.c", "2026-03-22"), first.id).await;
        assert!(
            matches!(&err, StoreError::Duplicate(what) if what == "a moderation of this audit"),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "a moderation of this audit already exists");

        assert_eq!(everything(&store).await, before, "nothing written");

        // The second audit can still be moderated, in another LA's audits too.
        let ok = store
            .create_audit(&new(
                "301",
                audit("C2", "auditor.b", "2026-03-20"),
                Some(second.id),
            ))
            .await
            .unwrap();
        assert_eq!(ok.moderates, Some(second.id));
        store
            .create_audit(&new(
                "302",
                audit("C1", "auditor.b", "2026-03-20"),
                Some(barnet.id),
            ))
            .await
            .unwrap();
    }
);

contract!(two_moderations_of_one_audit_one_wins, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let first = create(&store, "301", audit("C1", "auditor.a", "2026-03-10")).await;
    let b = new(
        "301",
        audit("C1", "auditor.b", "2026-03-20"),
        Some(first.id),
    );
    let c = new(
        "301",
        audit("C1", "auditor.c", "2026-03-20"),
        Some(first.id),
    );
    let (b, c) = tokio::join!(store.create_audit(&b), store.create_audit(&c));
    let lost = match (b, c) {
        (Ok(_), Err(lost)) | (Err(lost), Ok(_)) => lost,
        other => panic!("expected one moderation and one refusal, got {other:?}"),
    };
    assert!(matches!(lost, StoreError::Duplicate(_)), "{lost:?}");
    assert_eq!(everything(&store).await.len(), 2);
});

contract!(updates_keep_the_moderation_rules, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let first = create(&store, "301", audit("C1", "auditor.a", "2026-03-10")).await;
    let moderation = store
        .create_audit(&new(
            "301",
            audit("C1", "auditor.b", "2026-03-20"),
            Some(first.id),
        ))
        .await
        .unwrap();
    let before = everything(&store).await;
    let refused = |id: i64, audit: Audit| {
        let store = store.clone();
        async move {
            match store
                .update_audit(&la("301"), id, 1, &audit, "editor")
                .await
                .unwrap_err()
            {
                StoreError::Invalid(message) => message,
                other => panic!("expected Invalid, got {other:?}"),
            }
        }
    };

    // The moderation moved to another child, or to the first auditor.
    let message = refused(moderation.id, audit("C2", "auditor.b", "2026-03-20")).await;
    assert!(message.contains("C2"), "{message}");
    let message = refused(moderation.id, audit("C1", "auditor.a", "2026-03-20")).await;
    assert!(message.contains("cannot moderate"), "{message}");
    // Once moderated, the first audit cannot change at all.
    for changed in [
        audit("C2", "auditor.a", "2026-03-10"),
        audit("C1", "auditor.b", "2026-03-10"),
        audit("C1", "auditor.a", "2026-03-11"),
    ] {
        let message = refused(first.id, changed).await;
        assert_eq!(
            message,
            "this audit has been moderated, so it can no longer be changed"
        );
    }
    assert_eq!(everything(&store).await, before, "nothing written");

    // A moderation's own changes that keep the pair a pair are saved.
    let mut draft = moderation.audit.to_new();
    draft.overall = "inadequate".into();
    let saved = store
        .update_audit(
            &la("301"),
            moderation.id,
            1,
            &draft.parse(&quality()).unwrap(),
            "auditor.b",
        )
        .await
        .unwrap();
    assert_eq!(saved.moderates, Some(first.id));
    assert_eq!(saved.version, 2);
});

contract!(an_audit_of_an_unknown_la_is_refused, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let err = store
        .create_audit(&new("999", audit("C1", "a", "2026-03-10"), None))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("999")),
        "{err:?}"
    );
    assert!(everything(&store).await.is_empty());
    assert!(store
        .audits(&la("999"), None, None)
        .await
        .unwrap()
        .is_empty());
});

/// SQLite only, since it edits the database behind the store's back: a body that no
/// longer parses against its template is reported as corrupt, naming the audit and
/// the problem.
#[tokio::test]
async fn a_body_that_no_longer_parses_is_corrupt() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = ilacs_store::open(&url).await.unwrap();
    seeded(&store).await;
    let stored = create(&store, "301", audit("C1", "a", "2026-03-10")).await;

    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let mut draft = stored.audit.to_new();
    draft.overall = "excellent".into();
    sqlx::query("UPDATE case_audits SET body = $1 WHERE id = $2")
        .bind(serde_json::to_string(&draft).unwrap())
        .bind(stored.id)
        .execute(&mut conn)
        .await
        .unwrap();
    let err = store.audit(&la("301"), stored.id).await.unwrap_err();
    let StoreError::Corrupt(message) = &err else {
        panic!("expected Corrupt, got {err:?}");
    };
    assert!(
        message.starts_with(&format!("case audit {}: overall: ", stored.id)),
        "{message}"
    );
    assert!(store.audits(&la("301"), None, None).await.is_err());

    sqlx::query("UPDATE case_audits SET body = 'not json' WHERE id = $1")
        .bind(stored.id)
        .execute(&mut conn)
        .await
        .unwrap();
    let err = store.audit(&la("301"), stored.id).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt(m) if m.contains("the body is not an audit")),
        "{err:?}"
    );
    conn.close().await.unwrap();
}
