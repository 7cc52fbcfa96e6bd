//! Degrading before data leaves the LA: IDs and names keyed-hashed, births to the month,
//! postcodes to their sector, and a result that is an ordinary clean workbook.

use crate::lists::{annex, column, csv};
use ilacs_annexa::{
    degrade, generate, pseudonym, read_workbook, write_clean_xlsx, Action, Key, Schema, Value,
};

const ID: &str = "Child Unique ID";

fn key() -> Key {
    Key::from_bytes(b"an LA secret, 32 bytes of it....").unwrap()
}

fn another_key() -> Key {
    Key::from_bytes(b"another LA secret, also 32 bytes").unwrap()
}

#[test]
fn a_pseudonym_is_the_first_20_hex_digits_of_the_hmac_of_kind_and_text() {
    // Worked independently, in Python:
    //   hmac.new(b"an LA secret, 32 bytes of it....", b"child\x00C1-000001",
    //            hashlib.sha256).hexdigest()[:20]
    assert_eq!(
        pseudonym(&key(), "child", "C1-000001"),
        "0b34c62a44453a7ab478"
    );
    // The same text as a worker's name: another domain, another pseudonym.
    assert_eq!(
        pseudonym(&key(), "worker", "C1-000001"),
        "e345d50efa2df933c5f5"
    );
    assert_eq!(
        pseudonym(&another_key(), "child", "C1-000001"),
        "257a2ec890b5540d9f94"
    );

    let referral = annex(&[csv(
        3,
        &[&[(ID, "C1-000001"), ("Allocated Worker", "C1-000001")]],
    )]);
    let degraded = degrade(&referral, &key());
    assert_eq!(column(&degraded, 3, ID), ["0b34c62a44453a7ab478"]);
    assert_eq!(
        column(&degraded, 3, "Allocated Worker"),
        ["e345d50efa2df933c5f5"]
    );
    assert_eq!(
        column(&degraded, 3, "Allocated Team"),
        [pseudonym(&key(), "team", "T")]
    );
}

#[test]
fn one_key_links_a_child_across_lists_and_uploads_and_another_key_does_not() {
    let upload = || {
        annex(&[
            csv(1, &[&[(ID, "100234")]]),
            csv(8, &[&[(ID, "100234"), ("Placement postcode", "E20 1LP")]]),
        ])
    };
    // hmac.new(key, b"child\x00100234", hashlib.sha256).hexdigest()[:20]
    let expected = ["11a7018a441db358756c"];
    let first = degrade(&upload(), &key());
    let second = degrade(&upload(), &key());
    for degraded in [&first, &second] {
        assert_eq!(column(degraded, 1, ID), expected);
        assert_eq!(column(degraded, 8, ID), expected);
    }
    let other = degrade(&upload(), &another_key());
    assert_eq!(column(&other, 1, ID), column(&other, 8, ID));
    assert_ne!(column(&other, 1, ID), expected);
}

#[test]
fn births_go_to_the_1st_of_their_month_and_postcodes_to_their_sector() {
    let children_in_care = annex(&[
        csv(
            8,
            &[
                &[
                    ("Date of Birth", "31/01/2012"),
                    ("Date Started to be Looked After", "15/03/2023"),
                    ("Age of Child (Years)", "12"),
                    ("Placement postcode", "e20 1lp"),
                ],
                &[
                    ("Date of Birth", "01/07/2010"),
                    ("Placement postcode", "Confidential"),
                ],
                &[("Placement postcode", "SW1A2AA")],
            ],
        ),
        csv(10, &[&[("Family identifier", "F1")]]),
        csv(
            11,
            &[&[
                ("Individual adopter identifier", "AD1"),
                ("Family identifier", "F1"),
            ]],
        ),
    ]);
    let degraded = degrade(&children_in_care, &key());
    assert_eq!(
        column(&degraded, 8, "Date of Birth"),
        ["01/01/2012", "01/07/2010", ""]
    );
    assert_eq!(
        column(&degraded, 8, "Placement postcode"),
        ["E20 1", "", "SW1A 2"]
    );
    // Nothing else changes.
    assert_eq!(
        column(&degraded, 8, "Date Started to be Looked After"),
        ["15/03/2023", "01/01/2024", "01/01/2024"]
    );
    assert_eq!(column(&degraded, 8, "Age of Child (Years)"), ["12", "", ""]);
    let issues: Vec<_> = degraded
        .issues
        .iter()
        .map(|i| (i.list, i.row, i.column.as_str(), i.value.as_str(), i.action))
        .collect();
    assert_eq!(
        issues,
        [(8, 3, "Placement postcode", "(withheld)", Action::Blanked)]
    );
    // A family links a child and its adopters; an adopter is a kind of its own.
    let family = pseudonym(&key(), "family", "F1");
    assert_eq!(
        column(&degraded, 10, "Family identifier"),
        [family.as_str()]
    );
    assert_eq!(
        column(&degraded, 11, "Family identifier"),
        [family.as_str()]
    );
    assert_eq!(
        column(&degraded, 11, "Individual adopter identifier"),
        [pseudonym(&key(), "adopter", "AD1")]
    );
}

#[test]
fn a_degraded_workbook_is_a_clean_one_and_keeps_no_identifying_values() {
    let schema = Schema::bundled();
    let annex = read_workbook(&generate(60, 4, 0.1).bytes).unwrap();
    let degraded = degrade(&annex, &key());

    // The reading's issues stay, their values withheld in degraded columns, and each
    // postcode blanked has one.
    let (blanked, kept): (Vec<_>, Vec<_>) = degraded
        .issues
        .iter()
        .partition(|i| i.reason.starts_with("not a postcode"));
    assert!(blanked
        .iter()
        .all(|i| (i.list, i.value.as_str(), i.action) == (8, "(withheld)", Action::Blanked)));
    assert_eq!(kept.len(), annex.issues.len());
    for (before, after) in annex.issues.iter().zip(kept) {
        let column = schema
            .list(before.list)
            .unwrap()
            .columns
            .iter()
            .find(|c| c.name == before.column);
        let withheld = column.is_some_and(|c| c.degrade.is_some()) && !before.value.is_empty();
        let value = if withheld {
            "(withheld)"
        } else {
            &before.value
        };
        assert_eq!(
            (after.list, after.row, &after.reason, after.value.as_str()),
            (before.list, before.row, &before.reason, value)
        );
    }

    for list in &degraded.lists {
        let ids = column(
            &degraded,
            list.list,
            &schema.list(list.list).unwrap().columns[0].name,
        );
        assert!(
            ids.iter()
                .all(|id| id.len() == 20 && id.bytes().all(|b| b.is_ascii_hexdigit())),
            "list {}",
            list.list
        );
        if list.list <= 10 {
            assert!(column(&degraded, list.list, "Date of Birth")
                .iter()
                .all(|d| d.is_empty() || d.starts_with("01/")));
        }
    }

    // Written and read again: the same values, but for rows whose postcode was blanked
    // (the column is required, so reading drops them).
    let again = read_workbook(&write_clean_xlsx(&degraded).unwrap()).unwrap();
    let dropped = again
        .issues
        .iter()
        .filter(|i| i.action == Action::RowDropped)
        .count();
    assert_eq!(dropped, blanked.len());
    assert_eq!(again.issues.len(), dropped);
    for (a, b) in degraded.lists.iter().zip(&again.lists) {
        let def = schema.list(a.list).unwrap();
        let postcode = a
            .columns
            .iter()
            .position(|&c| def.columns[c].name == "Placement postcode");
        let kept = a
            .rows()
            .filter(|row| postcode.is_none_or(|p| row[p] != Value::Blank));
        assert!(kept.eq(b.rows()), "list {}", a.list);
    }
}
