//! Merging uploads into an LA's history, worked by hand: new data wins, keys per list,
//! duplicates in an upload, retention, lists the upload lacks, and List 9's versions.

use crate::lists::{annex, column, csv, csv_earlier};
use chrono::NaiveDate;
use ilacs_annexa::{merge, AnnexA, ListMerge};

const ID: &str = "Child Unique ID";
const CONTACT: &str = "Date of Contact";
const SOURCE: &str = "Contact Source";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn an_upload_replaces_rows_with_its_keys_and_adds_the_rest() {
    let history = annex(&[csv(
        1,
        &[
            &[(ID, "A"), (CONTACT, "01/03/2024"), (SOURCE, "1A")],
            &[(ID, "B"), (CONTACT, "02/03/2024"), (SOURCE, "2A")],
            &[(ID, "C"), (CONTACT, "03/03/2024"), (SOURCE, "3A")],
        ],
    )]);
    let upload = annex(&[csv(
        1,
        &[
            // Exactly as before.
            &[(ID, "B"), (CONTACT, "02/03/2024"), (SOURCE, "2A")],
            // The same contact, corrected.
            &[
                (ID, "A"),
                (CONTACT, "01/03/2024"),
                (SOURCE, "1A"),
                ("Gender", "b) Female"),
            ],
            // The same child on the same day from another source: another contact.
            &[(ID, "A"), (CONTACT, "01/03/2024"), (SOURCE, "6")],
            &[(ID, "D"), (CONTACT, "04/03/2024"), (SOURCE, "8")],
        ],
    )]);
    let (merged, summary) = merge(&history, &upload, d("2024-06-30"));
    assert_eq!(column(&merged, 1, ID), ["A", "B", "C", "A", "D"]);
    assert_eq!(column(&merged, 1, SOURCE), ["1A", "2A", "3A", "6", "8"]);
    assert_eq!(
        column(&merged, 1, "Gender"),
        ["b) Female", "a) Male", "a) Male", "a) Male", "a) Male"]
    );
    assert_eq!(
        summary.lists,
        [ListMerge {
            list: 1,
            in_upload: true,
            added: 2,
            replaced: 1,
            unchanged: 1,
            duplicates_in_upload: 0,
            expired: 0,
            rows: 5,
        }]
    );
    assert!(merged.issues.is_empty());
}

#[test]
fn of_two_upload_rows_with_one_key_the_later_wins_and_the_summary_says_so() {
    let referral = |id, worker| -> Vec<(&'static str, &'static str)> {
        vec![
            (ID, id),
            ("Date of referral", "05/04/2024"),
            ("Referral Source", "2A"),
            ("Allocated Worker", worker),
        ]
    };
    let (a1, a2, b) = (
        referral("A", "W1"),
        referral("A", "W2"),
        referral("B", "W1"),
    );
    let upload = annex(&[csv(3, &[&a1, &b, &a2])]);

    let (merged, summary) = merge(&AnnexA::default(), &upload, d("2024-06-30"));
    assert_eq!(column(&merged, 3, ID), ["A", "B"]);
    assert_eq!(column(&merged, 3, "Allocated Worker"), ["W2", "W1"]);
    let l3 = summary.list(3).unwrap();
    assert_eq!((l3.added, l3.duplicates_in_upload, l3.rows), (2, 1, 2));

    // Against a history holding the later row already: unchanged, not replaced.
    let history = annex(&[csv(3, &[&a2])]);
    let (_, summary) = merge(&history, &upload, d("2024-06-30"));
    let l3 = summary.list(3).unwrap();
    assert_eq!(
        (
            l3.added,
            l3.replaced,
            l3.unchanged,
            l3.duplicates_in_upload,
            l3.rows
        ),
        (1, 0, 1, 1, 2)
    );
}

#[test]
fn a_row_expires_when_its_reference_date_is_more_than_six_years_before_as_at() {
    // As at 1 March 2030, six years back is 1 March 2024.
    let as_at = d("2030-03-01");
    let history = annex(&[
        csv(
            1,
            &[
                &[(ID, "six years"), (CONTACT, "01/03/2024")],
                &[(ID, "and a day"), (CONTACT, "29/02/2024")],
            ],
        ),
        // A plan's reference date is the latest of its start, last visit and end.
        csv(
            7,
            &[
                &[
                    (ID, "visited"),
                    ("Child Protection Plan Start Date", "01/01/2020"),
                    ("Date of the Last Statutory Visit", "01/02/2030"),
                ],
                &[
                    (ID, "ended six years ago"),
                    ("Child Protection Plan Start Date", "01/01/2020"),
                    ("Child Protection Plan End Date", "01/03/2024"),
                ],
                &[
                    (ID, "ended and a day"),
                    ("Child Protection Plan Start Date", "01/01/2020"),
                    ("Child Protection Plan End Date", "29/02/2024"),
                ],
            ],
        ),
    ]);
    // An upload row past retention expires on arrival rather than being added.
    let upload = annex(&[csv(1, &[&[(ID, "old news"), (CONTACT, "28/02/2024")]])]);
    let (merged, summary) = merge(&history, &upload, as_at);
    assert_eq!(column(&merged, 1, ID), ["six years"]);
    assert_eq!(column(&merged, 7, ID), ["visited", "ended six years ago"]);
    let l1 = summary.list(1).unwrap();
    assert_eq!((l1.added, l1.expired, l1.rows), (0, 2, 1));
    let l7 = summary.list(7).unwrap();
    assert_eq!((l7.in_upload, l7.expired, l7.rows), (false, 1, 2));

    // A day earlier, the day-older rows are exactly six years old and stay.
    let (merged, _) = merge(&history, &upload, d("2030-02-28"));
    assert_eq!(column(&merged, 1, ID).len(), 3);
    assert_eq!(column(&merged, 7, ID).len(), 3);
}

#[test]
fn a_list_the_upload_lacks_keeps_its_history() {
    let history = annex(&[
        csv(1, &[&[(ID, "A")], &[(ID, "B")]]),
        csv(2, &[&[(ID, "A")]]),
    ]);
    let upload = annex(&[csv(2, &[&[(ID, "C")]])]);
    let (merged, summary) = merge(&history, &upload, d("2024-06-30"));
    assert_eq!(
        merged.lists.iter().map(|l| l.list).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(merged.lists[0].rows().eq(history.lists[0].rows()));
    assert_eq!(merged.lists[0].columns, history.lists[0].columns);
    assert_eq!(
        summary.list(1),
        Some(&ListMerge {
            list: 1,
            in_upload: false,
            rows: 2,
            ..ListMerge::default()
        })
    );
    assert_eq!(column(&merged, 2, ID), ["A", "C"]);
}

#[test]
fn a_pre_2024_care_leavers_list_and_a_2024_one_merge_on_every_column() {
    let history = annex(&[csv_earlier(
        9,
        &[&[(ID, "A"), ("Allocated Worker", "W1")], &[(ID, "B")]],
    )]);
    assert_eq!(history.lists[0].columns.len(), 13);
    let upload = annex(&[csv(
        9,
        &[&[
            (ID, "A"),
            ("Allocated Worker", "W2"),
            ("Allocated Personal Advisor", "P1"),
            ("Latest Date of Contact", "01/05/2024"),
        ]],
    )]);
    let (merged, summary) = merge(&history, &upload, d("2024-06-30"));
    assert_eq!(merged.lists[0].columns.len(), 17);
    assert_eq!(column(&merged, 9, ID), ["A", "B"]);
    assert_eq!(column(&merged, 9, "Allocated Worker"), ["W2", "T"]);
    assert_eq!(column(&merged, 9, "Allocated Personal Advisor"), ["P1", ""]);
    assert_eq!(
        column(&merged, 9, "Latest Date of Contact"),
        ["01/05/2024", ""]
    );
    let l9 = summary.list(9).unwrap();
    assert_eq!((l9.replaced, l9.added, l9.rows), (1, 0, 2));

    // And the other way round: a 2024 history, a pre-2024 upload.
    let (merged, _) = merge(&upload, &history, d("2024-06-30"));
    assert_eq!(column(&merged, 9, "Allocated Personal Advisor"), ["", ""]);
    assert_eq!(column(&merged, 9, "Allocated Worker"), ["W1", "T"]);
}
