//! Lists recognised by their headers and cleaned cell by cell.

use crate::support::*;
use ilacs_annexa::{read_csvs, read_workbook, uk_date, Action, Schema, Value};

#[test]
fn lists_are_recognised_by_headers_whatever_the_sheet_names_or_column_order() {
    let mut reversed: Vec<&str> = CONTACT_HEADERS.to_vec();
    reversed.reverse();
    let mut row = contact("C1");
    row.reverse();
    let bytes = xlsx(&[
        ("Cover", vec![vec![S("Annex A return, March 2024")]]),
        (
            "Sheet7",
            vec![vec![S("Notes")], vec![], header(&reversed), row],
        ),
    ]);
    let annex = read_workbook(&bytes).unwrap();
    assert_eq!(annex.skipped_sheets, ["Cover"]);
    assert_eq!(annex.lists.len(), 1);
    let list = &annex.lists[0];
    assert_eq!(
        (list.list, list.source.as_str(), list.rows_read),
        (1, "Sheet7", 1)
    );
    assert!(annex.issues.is_empty(), "{:?}", annex.issues);
    // Values come out in the list's own column order, dates as dates.
    let values = list.rows().next().unwrap();
    assert_eq!(values[0], Value::Text("C1".into()));
    assert_eq!(
        values[3],
        Value::Date(chrono::NaiveDate::from_ymd_opt(2020, 1, 31).unwrap())
    );
    assert_eq!(
        values[5],
        Value::Date(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
    );
}

#[test]
fn header_variants_are_read_and_reported_and_unknown_columns_left_out() {
    let bytes = xlsx(&[(
        "L1",
        vec![
            header(&[
                "CHILD ID",
                "gender ",
                "Ethnicity",
                "DOB",
                "Age",
                "Date of contact",
                "Contact Source",
                "Worker notes",
            ]),
            {
                let mut r = contact("C1");
                r.push(S("free text"));
                r
            },
        ],
    )]);
    let annex = read_workbook(&bytes).unwrap();
    assert_eq!(
        found(&annex),
        [
            issue(1, 1, "Child Unique ID", "CHILD ID", Action::Normalised),
            issue(1, 1, "Gender", "gender ", Action::Normalised),
            issue(1, 1, "Date of Birth", "DOB", Action::Normalised),
            issue(1, 1, "Age of Child (Years)", "Age", Action::Normalised),
            issue(
                1,
                1,
                "Date of Contact",
                "Date of contact",
                Action::Normalised
            ),
            issue(1, 1, "Worker notes", "Worker notes", Action::Blanked),
        ]
    );
    assert_eq!(annex.lists[0].rows_kept(), 1);
}

#[test]
fn curly_quotes_and_doubled_brackets_in_headers_are_the_same_header() {
    let def = Schema::bundled().list(8).unwrap();
    let missing = def
        .column_for_header("Number of Episodes the Child has been \u{2018}Missing\u{2019} from their Placement in the last 12 months")
        .unwrap();
    assert_eq!(def.columns[missing].name, "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months");
    let offered = def
        .column_for_header(
            "Was the child offered a Return Interview after their last missing episode (Y/N))?",
        )
        .unwrap();
    assert!(def.columns[offered]
        .name
        .starts_with("Was the child offered"));
}

#[test]
fn every_code_spelling_form_is_read_as_the_canonical_value() {
    let spellings: [&'static str; 9] = [
        "a) Male",
        "Male",
        "a",
        "A)",
        " a) male ",
        "a)Male",
        "MALE",
        "M",
        "A) MALE",
    ];
    let mut rows = vec![header(&CONTACT_HEADERS)];
    let ids = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"];
    for (id, g) in ids.iter().zip(spellings) {
        rows.push(vec![
            S(id),
            S(g),
            S("WBRI"),
            Empty,
            Empty,
            S("01/03/2024"),
            N(4.0),
        ]);
    }
    let annex = read_workbook(&xlsx(&[("x", rows)])).unwrap();
    let list = &annex.lists[0];
    assert_eq!(list.rows_kept(), 9);
    for row in list.rows() {
        assert_eq!(row[1], Value::Code(0), "every spelling is a) Male");
        assert_eq!(row[2], Value::Code(0), "WBRI is a) WBRI");
    }
    // Source 4 as a number cell is the code "4" exactly; only other spellings are reported.
    let gender: Vec<&str> = annex
        .issues
        .iter()
        .filter(|i| i.column == "Gender")
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(gender, &spellings[1..]);
    assert!(annex.issues.iter().all(
        |i| i.action == Action::Normalised && (i.column == "Gender" || i.column == "Ethnicity")
    ));
    let ethnicity = annex
        .issues
        .iter()
        .filter(|i| i.column == "Ethnicity")
        .count();
    assert_eq!(ethnicity, 9);
}

#[test]
fn yes_no_accepts_y_n_true_false_and_rejects_other_words() {
    let rows = vec![
        header(&[
            "Child Unique ID",
            "Gender",
            "Ethnicity",
            "Does the Child have a Disability",
            "Continuous Assessment Start Date",
            "Child Seen During Continuous Assessment",
            "Allocated Team",
            "Allocated Worker",
        ]),
        vec![
            S("C1"),
            S("b) Female"),
            S("a) WBRI"),
            S("Y"),
            S("01/03/2024"),
            S("true"),
            S("T"),
            S("W"),
        ],
        vec![
            S("C2"),
            S("b) Female"),
            S("a) WBRI"),
            S("no"),
            S("01/03/2024"),
            S("FALSE"),
            S("T"),
            S("W"),
        ],
        vec![
            S("C3"),
            S("b) Female"),
            S("a) WBRI"),
            S("b) No"),
            S("01/03/2024"),
            S("maybe"),
            S("T"),
            S("W"),
        ],
    ];
    let annex = read_workbook(&xlsx(&[("x", rows)])).unwrap();
    let list = &annex.lists[0];
    assert_eq!(list.list, 4);
    // Present columns: ID, gender, ethnicity, disability, start, seen, team, worker.
    let seen: Vec<&Value> = list.rows().map(|r| &r[5]).collect();
    assert_eq!(
        seen,
        [&Value::Code(0), &Value::Code(1)],
        "the 'maybe' row is dropped"
    );
    let last = annex.issues.last().unwrap();
    assert_eq!(
        (
            last.row,
            last.column.as_str(),
            last.value.as_str(),
            last.action
        ),
        (
            4,
            "Child Seen During Continuous Assessment",
            "maybe",
            Action::RowDropped
        )
    );
    assert!(last.reason.contains("yes no"), "{last:?}");
}

#[test]
fn excel_serials_and_uk_date_strings_are_dates() {
    let mut rows = vec![header(&CONTACT_HEADERS)];
    let dates: [C; 6] = [
        D(45352.0),
        S("01/03/2024"),
        N(45352.0),
        S("1/3/2024"),
        S("2024-03-01"),
        S("01 Mar 2024"),
    ];
    let ids = ["C1", "C2", "C3", "C4", "C5", "C6"];
    for (id, d) in ids.iter().zip(dates) {
        rows.push(vec![
            S(id),
            S("a) Male"),
            S("a) WBRI"),
            Empty,
            Empty,
            d,
            S("1A"),
        ]);
    }
    let annex = read_workbook(&xlsx(&[("x", rows)])).unwrap();
    for row in annex.lists[0].rows() {
        assert_eq!(
            row[5],
            Value::Date(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
        );
    }
    // The date cell and dd/mm/yyyy are canonical; the rest are reported.
    let rows: Vec<u32> = annex.issues.iter().map(|i| i.row).collect();
    assert_eq!(rows, [4, 5, 6, 7]);
    assert_eq!(
        uk_date(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()),
        "01/03/2024"
    );
}

#[test]
fn na_and_similar_are_blank_and_blank_required_cells_drop_the_row() {
    let rows = vec![
        header(&CONTACT_HEADERS),
        vec![
            S("C1"),
            S("a) Male"),
            S("a) WBRI"),
            S("#N/A"),
            S("N/A"),
            S("01/03/2024"),
            S("1A"),
        ],
        vec![
            S("C2"),
            S("a) Male"),
            S("NULL"),
            Empty,
            Empty,
            S("01/03/2024"),
            S("1A"),
        ],
        vec![
            S("C3"),
            S("a) Male"),
            S("a) WBRI"),
            Empty,
            Empty,
            S("31/02/2024"),
            S("1A"),
        ],
        vec![
            Empty,
            S("a) Male"),
            S("a) WBRI"),
            Empty,
            Empty,
            S("01/03/2024"),
            S("1A"),
        ],
        vec![
            S("C5"),
            S("a) Male"),
            S("a) WBRI"),
            S("yesterday"),
            N(-1.0),
            S("01/03/2024"),
            S("1A"),
        ],
    ];
    let annex = read_workbook(&xlsx(&[("x", rows)])).unwrap();
    assert_eq!(
        found(&annex),
        [
            issue(1, 2, "Date of Birth", "#N/A", Action::Blanked),
            issue(1, 2, "Age of Child (Years)", "N/A", Action::Blanked),
            issue(1, 3, "Ethnicity", "NULL", Action::RowDropped),
            issue(1, 4, "Date of Contact", "31/02/2024", Action::RowDropped),
            issue(1, 5, "Child Unique ID", "", Action::RowDropped),
            issue(1, 6, "Date of Birth", "yesterday", Action::Blanked),
            issue(1, 6, "Age of Child (Years)", "-1", Action::Blanked),
        ]
    );
    let list = &annex.lists[0];
    assert_eq!((list.rows_read, list.rows_kept()), (5, 2));
}

#[test]
fn a_missing_column_is_reported_once_and_the_earlier_list_9_is_not_missing_anything() {
    let rows = vec![
        header(&["Child Unique ID", "Gender", "Ethnicity", "Date of Contact"]),
        vec![S("C1"), S("a) Male"), S("a) WBRI"), S("01/03/2024")],
    ];
    let annex = read_workbook(&xlsx(&[("x", rows)])).unwrap();
    let missing: Vec<(&str, Action)> = annex
        .issues
        .iter()
        .map(|i| (i.column.as_str(), i.action))
        .collect();
    assert_eq!(
        missing,
        [
            ("Date of Birth", Action::Blanked),
            ("Age of Child (Years)", Action::Blanked),
            ("Contact Source", Action::Blanked)
        ]
    );
    assert!(annex.issues[2].reason.contains("required"));
    assert_eq!(annex.lists[0].columns, [0, 1, 2, 5]);

    let pre_2024: Vec<&'static str> = Schema::bundled()
        .list(9)
        .unwrap()
        .columns
        .iter()
        .filter(|c| c.added.is_none())
        .map(|c| &*String::leak(c.name.clone()))
        .collect();
    let mut row = vec![
        S("C1"),
        S("a) Male"),
        S("a) WBRI"),
        Empty,
        Empty,
        S("b) No"),
        S("Team"),
        S("Worker"),
    ];
    row.extend([
        S("a) Relevant child"),
        S("Yes"),
        S("B"),
        S("Suitable"),
        S("F1"),
    ]);
    let annex = read_workbook(&xlsx(&[("x", vec![header(&pre_2024), row])])).unwrap();
    assert_eq!(annex.lists[0].list, 9);
    assert!(annex.issues.is_empty(), "{:?}", annex.issues);
    assert_eq!(annex.lists[0].rows_kept(), 1);
}

#[test]
fn csv_files_are_one_list_each() {
    let contacts = "\u{feff}Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of Contact,Contact Source\r\nC1,a) Male,a) WBRI,31/01/2020,4,01/03/2024,1A\r\nC2,Female,WBRI,,,2024-03-02,2A\r\n";
    let adopters = "Individual adopter identifier,Gender,Ethnicity,Disability,Is the (prospective) adopter fostering for adoption?,Date enquiry received\nA1,b) Female,a) WBRI,N,b) No,05/01/2024\n";
    let annex = read_csvs(&[
        ("contacts.csv", contacts.as_bytes()),
        ("adopters.csv", adopters.as_bytes()),
    ])
    .unwrap();
    let lists: Vec<(u8, usize)> = annex
        .lists
        .iter()
        .map(|l| (l.list, l.rows_kept()))
        .collect();
    assert_eq!(lists, [(1, 2), (11, 1)]);
    let rows: Vec<(u8, u32, &str)> = annex
        .issues
        .iter()
        .filter(|i| i.action != Action::Blanked)
        .map(|i| (i.list, i.row, i.column.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (1, 3, "Gender"),
            (1, 3, "Ethnicity"),
            (1, 3, "Date of Contact"),
            (11, 2, "Disability")
        ]
    );
}

#[test]
fn an_ods_workbook_is_read_with_its_date_cells() {
    let rows = vec![
        header(&CONTACT_HEADERS),
        contact("C1"),
        vec![
            S("C2"),
            S("Female"),
            S("a) WBRI"),
            Empty,
            Empty,
            D(45352.0),
            N(4.0),
        ],
    ];
    let annex = read_workbook(&ods("Contacts", &rows, false)).unwrap();
    let list = &annex.lists[0];
    assert_eq!((list.list, list.rows_kept()), (1, 2));
    let born: Vec<&Value> = list.rows().map(|r| &r[3]).collect();
    let date = |y, m, d| Value::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
    assert_eq!(born, [&date(2020, 1, 31), &Value::Blank]);
    assert_eq!(list.rows().nth(1).unwrap()[5], date(2024, 3, 1));
    assert_eq!(
        found(&annex),
        [issue(1, 3, "Gender", "Female", Action::Normalised)]
    );
}
