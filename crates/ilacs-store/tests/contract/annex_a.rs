use crate::contract;
use crate::reference::sample;
use chrono::NaiveDate;
use ilacs_domain::authority::LaCode;
use ilacs_store::{AnnexAList, NewAnnexAUpload, Store, StoreError};
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

fn upload(code: &str, filename: &str, merged_onto: Option<i64>) -> NewAnnexAUpload {
    NewAnnexAUpload {
        la: la(code),
        filename: filename.into(),
        as_at: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        lists_found: vec![1, 8],
        rows_read: 120,
        rows_kept: 117,
        issue_count: 5,
        report: b"list,row,column\n1,4,Gender\n".to_vec(),
        merge_summary: r#"{"lists":[]}"#.into(),
        merged_onto,
    }
}

/// A list whose bytes are not text: the store keeps bytes as given.
fn list(number: u8, rows: u64) -> AnnexAList {
    let mut data = format!("list {number}\n").into_bytes();
    data.extend([0, 0xFF, 0xFE, b'\n']);
    AnnexAList {
        list: number,
        rows,
        data,
    }
}

contract!(
    an_upload_and_the_merged_lists_are_saved_together_and_read_back,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        assert_eq!(store.annex_a_history(&la("301")).await.unwrap(), None);
        assert!(store.annex_a_uploads(&la("301")).await.unwrap().is_empty());

        // A list of a few megabytes, as a large LA's children in care would be.
        let big = AnnexAList {
            list: 8,
            rows: 100_000,
            data: (0..4_000_000u32).map(|i| (i % 251) as u8).collect(),
        };
        let first = store
            .save_annex_a_upload(
                &upload("301", "annex-a-march.xlsx", None),
                &[list(1, 40), big.clone()],
                "la.analyst",
            )
            .await
            .unwrap();
        assert_eq!(first.filename, "annex-a-march.xlsx");
        assert_eq!(first.uploaded_by, "la.analyst");
        assert_eq!(first.la, la("301"));
        assert_eq!(first.lists_found, [1, 8]);
        assert_eq!(
            (first.rows_read, first.rows_kept, first.issue_count),
            (120, 117, 5)
        );
        assert_eq!(first.as_at, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());

        let history = store.annex_a_history(&la("301")).await.unwrap().unwrap();
        assert_eq!(history.upload_id, first.id);
        assert_eq!(history.lists, [list(1, 40), big]);
        let report = store
            .annex_a_upload(&la("301"), first.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(report.upload, first);
        assert_eq!(report.report, b"list,row,column\n1,4,Gender\n");

        // The next upload replaces the LA's lists whole.
        let second = store
            .save_annex_a_upload(
                &upload("301", "annex-a-april.xlsx", Some(first.id)),
                &[list(2, 3), list(1, 41)],
                "la.analyst",
            )
            .await
            .unwrap();
        let history = store.annex_a_history(&la("301")).await.unwrap().unwrap();
        assert_eq!(history.upload_id, second.id);
        assert_eq!(history.lists, [list(1, 41), list(2, 3)], "in list order");
        let uploads = store.annex_a_uploads(&la("301")).await.unwrap();
        assert_eq!(uploads, [second.clone(), first.clone()], "newest first");

        // Another LA's are its own.
        assert_eq!(store.annex_a_history(&la("302")).await.unwrap(), None);
        assert!(store.annex_a_uploads(&la("302")).await.unwrap().is_empty());
        assert_eq!(
            store.annex_a_upload(&la("302"), first.id).await.unwrap(),
            None
        );
        assert_eq!(store.annex_a_upload(&la("301"), 9999).await.unwrap(), None);
    }
);

contract!(
    a_save_that_fails_leaves_the_previous_lists_and_uploads_as_they_were,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let first = store
            .save_annex_a_upload(
                &upload("301", "a.xlsx", None),
                &[list(1, 4), list(3, 5)],
                "la.analyst",
            )
            .await
            .unwrap();
        let before = store.annex_a_history(&la("301")).await.unwrap();

        // List 3 twice: the database refuses the second, after the old lists were
        // deleted and the upload recorded in the same transaction.
        let failed = [
            (
                vec![list(2, 1), list(3, 1), list(3, 2)],
                "List 3 is given twice",
            ),
            (vec![list(1, 1), list(12, 1)], "no list 12"),
            (vec![], "no lists"),
        ];
        for (lists, says) in failed {
            let err = store
                .save_annex_a_upload(
                    &upload("301", "b.xlsx", Some(first.id)),
                    &lists,
                    "la.analyst",
                )
                .await
                .unwrap_err();
            match &err {
                StoreError::Invalid(m) => assert!(m.contains(says), "{m}"),
                other => panic!("{says}: {other:?}"),
            }
            assert_eq!(store.annex_a_history(&la("301")).await.unwrap(), before);
            assert_eq!(
                store.annex_a_uploads(&la("301")).await.unwrap(),
                std::slice::from_ref(&first)
            );
        }
        let unknown = store
            .save_annex_a_upload(&upload("999", "c.xlsx", None), &[list(1, 1)], "la.analyst")
            .await
            .unwrap_err();
        assert!(
            matches!(&unknown, StoreError::Invalid(m) if m.contains("999")),
            "{unknown:?}"
        );

        // And the LA can still save.
        store
            .save_annex_a_upload(
                &upload("301", "b.xlsx", Some(first.id)),
                &[list(2, 1)],
                "la.analyst",
            )
            .await
            .unwrap();
    }
);

contract!(
    an_upload_merged_onto_lists_replaced_since_is_a_conflict,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let unseen = store
            .save_annex_a_upload(
                &upload("301", "a.xlsx", Some(1)),
                &[list(1, 1)],
                "la.analyst",
            )
            .await
            .unwrap_err();
        assert!(matches!(unseen, StoreError::Conflict(_)), "{unseen:?}");
        let first = store
            .save_annex_a_upload(&upload("301", "a.xlsx", None), &[list(1, 1)], "la.analyst")
            .await
            .unwrap();

        // Two people merge onto the first upload at once: one is saved, the other told.
        let save = |file: &'static str, by: &'static str| {
            let store = store.clone();
            async move {
                store
                    .save_annex_a_upload(&upload("301", file, Some(first.id)), &[list(2, 1)], by)
                    .await
            }
        };
        let (a, b) = tokio::join!(
            tokio::spawn(save("b.xlsx", "ann")),
            tokio::spawn(save("c.xlsx", "bob"))
        );
        let (saved, refused) = match (a.unwrap(), b.unwrap()) {
            (Ok(s), Err(e)) | (Err(e), Ok(s)) => (s, e),
            other => panic!("one save and one conflict, not {other:?}"),
        };
        match refused {
            StoreError::Conflict(m) => assert!(
                m.contains(&format!("by {}", saved.uploaded_by)) && m.contains("upload it again"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        let history = store.annex_a_history(&la("301")).await.unwrap().unwrap();
        assert_eq!(history.upload_id, saved.id);
        assert_eq!(store.annex_a_uploads(&la("301")).await.unwrap().len(), 2);

        // Merged onto nothing, when there is history: a conflict too.
        let blind = store
            .save_annex_a_upload(&upload("301", "d.xlsx", None), &[list(1, 1)], "la.analyst")
            .await
            .unwrap_err();
        assert!(matches!(blind, StoreError::Conflict(_)), "{blind:?}");
    }
);
