use crate::audits::{audit, la, seeded};
use crate::contract;
use chrono::NaiveDate;
use ilacs_domain::audit::{
    AuditIndex, LearningAction, LearningKinds, LearningStatus, NewLearningAction, ThemeKey,
};
use ilacs_domain::self_evaluation::AuditRef;
use ilacs_store::{NewCaseAudit, Store, StoreError, StoredLearningAction};
use std::sync::Arc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Two audits of LA 301 (March, tagged supervision; September) and one of LA 302.
/// Returns their ids and the index of 301's.
async fn audits(store: &Arc<dyn Store>) -> (Vec<i64>, AuditIndex) {
    seeded(store).await;
    let mut index = AuditIndex::default();
    let mut ids = Vec::new();
    for (code, child, date) in [
        ("301", "C1", "10/03/2026"),
        ("301", "C2", "15/09/2026"),
        ("302", "C3", "10/03/2026"),
    ] {
        let mut a = audit(child, "auditor.a", date);
        if child == "C1" {
            a.tag(ThemeKey::parse("Supervision").unwrap());
        }
        let stored = store
            .create_audit(&NewCaseAudit {
                la: la(code),
                audit: a,
                moderates: None,
                actor: "auditor.a".into(),
            })
            .await
            .unwrap();
        if code == "301" {
            index.add(AuditRef::new(stored.id).unwrap(), &stored.audit);
        }
        ids.push(stored.id);
    }
    (ids, index)
}

fn action(index: &AuditIndex, title: &str, due: &str, audits: &str) -> LearningAction {
    NewLearningAction {
        title: title.into(),
        kind: "training".into(),
        description: "Managers record decisions in supervision.".into(),
        owner: "Principal social worker".into(),
        due: due.into(),
        status: "planned".into(),
        audits: audits.into(),
        themes: vec!["supervision".into()],
        ..NewLearningAction::default()
    }
    .parse(&LearningKinds::bundled(), index, today())
    .unwrap()
}

async fn everything(store: &Arc<dyn Store>) -> Vec<StoredLearningAction> {
    let mut all = store.learning_actions(&la("301")).await.unwrap();
    all.extend(store.learning_actions(&la("302")).await.unwrap());
    all
}

contract!(
    creates_learning_actions_and_reads_them_back,
    |store: Arc<dyn Store>| async move {
        let (ids, index) = audits(&store).await;
        let later = action(&index, "Later", "31/03/2027", &ids[0].to_string());
        let sooner = action(&index, "Sooner", "31/12/2026", "");
        let a = store
            .create_learning_action(&la("301"), &later, "qp")
            .await
            .unwrap();
        assert_eq!(a.version, 1);
        assert_eq!(a.created_by, "qp");
        let b = store
            .create_learning_action(&la("301"), &sooner, "qp")
            .await
            .unwrap();
        let read = store.learning_action(&la("301"), a.id).await.unwrap();
        assert_eq!(read.as_ref(), Some(&a));
        assert_eq!(read.unwrap().action, later);
        let list = store.learning_actions(&la("301")).await.unwrap();
        let titles: Vec<_> = list.iter().map(|s| s.action.title()).collect();
        assert_eq!(titles, ["Sooner", "Later"], "soonest due first");
        assert_eq!(list[0], b);
        // Another LA sees none of them.
        assert_eq!(store.learning_action(&la("302"), a.id).await.unwrap(), None);
        assert!(store.learning_actions(&la("302")).await.unwrap().is_empty());
    }
);

contract!(
    refuses_audits_of_another_la_and_unknown_las,
    |store: Arc<dyn Store>| async move {
        let (ids, index) = audits(&store).await;
        let own = action(&index, "Own", "31/12/2026", &ids[0].to_string());
        // The same action recorded for LA 302, where audit ids[0] is not one of its own.
        let err = store
            .create_learning_action(&la("302"), &own, "qp")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(m) if m.contains(&format!("audit {} is not one of LA 302's audits", ids[0]))),
            "{err:?}"
        );
        let themes_only = action(&index, "Themes", "31/12/2026", "");
        let err = store
            .create_learning_action(&la("999"), &themes_only, "qp")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert!(everything(&store).await.is_empty(), "nothing was written");

        // Nor may a save bring in another LA's audit.
        let stored = store
            .create_learning_action(&la("302"), &themes_only, "qp")
            .await
            .unwrap();
        let err = store
            .update_learning_action(&la("302"), stored.id, 1, &own, "qp")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert_eq!(everything(&store).await, [stored]);
    }
);

contract!(a_save_from_a_stale_copy_is_refused, |store: Arc<
    dyn Store,
>| async move {
    let (ids, index) = audits(&store).await;
    let first = action(&index, "Supervision", "31/12/2026", &ids[0].to_string());
    let stored = store
        .create_learning_action(&la("301"), &first, "qp")
        .await
        .unwrap();

    // Done, with the September audit showing impact.
    let mut form = first.to_new();
    form.status = "done".into();
    form.done_on = "01/11/2026".into();
    form.impact_audits = ids[1].to_string();
    form.impact_note = "Decisions are recorded.".into();
    let done = form
        .parse(&LearningKinds::bundled(), &index, today())
        .unwrap();
    let saved = store
        .update_learning_action(&la("301"), stored.id, 1, &done, "dcs")
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.updated_by, "dcs");
    assert_eq!(saved.created_by, "qp");
    let read = store
        .learning_action(&la("301"), stored.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, saved);
    assert_eq!(read.action.status(), LearningStatus::Done);
    assert_eq!(read.action.impact_audits().len(), 1);

    // Someone else's copy, still at version 1.
    let err = store
        .update_learning_action(&la("301"), stored.id, 1, &first, "qp")
        .await
        .unwrap_err();
    match err {
        StoreError::Conflict(m) => assert!(
            m.starts_with("This learning action was changed by dcs at "),
            "{m}"
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        store
            .learning_action(&la("301"), stored.id)
            .await
            .unwrap()
            .unwrap(),
        saved,
        "nothing was overwritten"
    );
    // Not the LA's, or not there at all.
    for (code, id) in [("302", stored.id), ("301", stored.id + 100)] {
        let err = store
            .update_learning_action(&la(code), id, 2, &first, "qp")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    }
});
