//! Lists recognised by their headers and cleaned cell by cell. Every xlsx here is read
//! by the fast reader and by calamine, which must agree.

use crate::support::*;
use ilacs_annexa::{read_csvs, read_workbook, testing, uk_date, Action, AnnexA, Schema, Value};

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
    let annex = read_xlsx(&bytes);
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
    let annex = read_xlsx(&bytes);
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
    let annex = read_xlsx(&xlsx(&[("x", rows)]));
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
    let annex = read_xlsx(&xlsx(&[("x", rows)]));
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
    let annex = read_xlsx(&xlsx(&[("x", rows)]));
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
    let annex = read_xlsx(&xlsx(&[("x", rows)]));
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
    let annex = read_xlsx(&xlsx(&[("x", rows)]));
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
    let annex = read_xlsx(&xlsx(&[("x", vec![header(&pre_2024), row])]));
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

/// Reads an xlsx as `read_workbook` does, checking that the fast reader read it (rather
/// than leaving it to calamine) and that calamine reads exactly the same.
pub fn read_xlsx(bytes: &[u8]) -> AnnexA {
    let fast = testing::read_xlsx_fast(bytes)
        .unwrap_or_else(|why| panic!("the fast reader left it to calamine: {why}"))
        .expect("readable");
    let calamine = testing::read_workbook_with_calamine(bytes).expect("calamine reads it");
    assert_same(&fast, &calamine);
    assert_same(&read_workbook(bytes).unwrap(), &fast);
    fast
}

/// The same lists, values, issues and skipped sheets.
pub fn assert_same(a: &AnnexA, b: &AnnexA) {
    let (a, b) = (format!("{a:#?}"), format!("{b:#?}"));
    if a != b {
        let first = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let around = |s: &str| {
            s.lines()
                .skip(first.saturating_sub(8))
                .take(16)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "the readers differ at line {first}:\n{}\n---- and ----\n{}",
            around(&a),
            around(&b)
        );
    }
}

/// Cell styles of [`package`]'s workbooks, by `s`: 0 general, 1 dd/mm/yyyy, 2 Excel's
/// built-in date (14), 3 a date and time, 4 two decimals (no date), 5 a duration.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd\ hh:mm"/><numFmt numFmtId="166" formatCode="[h]:mm"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// A worksheet's XML around its `<sheetData>` content.
pub fn sheet_xml(data: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:G30"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>{data}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
    )
}

/// An xlsx package written by hand, to hold XML that spreadsheet programs write but
/// rust_xlsxwriter does not: sheets (name and whole XML), the shared strings' `<si>`
/// elements, and the workbook's `<workbookPr>`.
pub fn package(sheets: &[(&str, String)], shared_strings: &str, workbook_pr: &str) -> Vec<u8> {
    use std::io::Write;
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut list = String::new();
    for (i, (name, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        list.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
    }
    types.push_str("</Types>");
    let k = sheets.len();
    rels.push_str(&format!(r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#, k + 1, k + 2));
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{workbook_pr}<sheets>{list}</sheets></workbook>"#
    );
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{shared_strings}</sst>"#
    );
    let package_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), types),
        ("_rels/.rels".into(), package_rels.into()),
        ("xl/workbook.xml".into(), workbook),
        ("xl/_rels/workbook.xml.rels".into(), rels),
        ("xl/styles.xml".into(), STYLES.into()),
        ("xl/sharedStrings.xml".into(), sst),
    ];
    for (i, (_, xml)) in sheets.iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), xml.clone()));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// List 1's headers as shared strings 0 to 6 (with one rich and one phonetic run, and
/// an empty `<si>` calamine leaves out, so later indexes shift), then 7: "C7".
pub const SHARED: &str = r#"<si><t>Child Unique ID</t></si><si><r><rPr><b/></rPr><t>Gen</t></r><r><t>der</t></r></si><si><t>Ethnicity</t><rPh sb="0" eb="1"><t>ignored</t></rPh></si><si><t xml:space="preserve">Date of Birth</t></si><si><t>Age of Child (Years)</t></si><si/><si><t>Date of Contact</t></si><si><t>Contact Source</t></si><si><t>C7</t></si>"#;

/// The header row of [`SHARED`], then a data row whose ID cell is `id` (a `<c>` with
/// `r` on row `n` or none) and whose other cells are clean.
fn contact_row(n: u32, id: &str) -> String {
    format!(
        r#"<row r="{n}"><c r="A{n}" {id}<c r="B{n}" t="inlineStr"><is><t>a) Male</t></is></c><c r="C{n}" t="inlineStr"><is><t>a) WBRI</t></is></c><c r="F{n}" s="1"><v>45352</v></c><c r="G{n}" t="inlineStr"><is><t>1A</t></is></c></row>"#
    )
}

const HEADER_ROW: &str = r#"<row r="1" spans="1:7"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c></row>"#;

/// Cells of every kind spreadsheet programs write, each as the ID of one row (where
/// every cell shows through: as text, a number's digits, a date's text or an issue).
const ID_CELLS: [&str; 21] = [
    r#"t="s"><v>7</v></c>"#,
    r#"t="inlineStr"><is><t>Inline</t></is></c>"#,
    r#"t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>Ri</t></r><r><t xml:space="preserve">ch </t></r><rPh sb="0" eb="1"><t>phon</t></rPh><phoneticPr fontId="1"/></is></c>"#,
    r#"t="str"><f>A1&amp;"x"</f><v>Form&lt;ula&gt; &#233;</v></c>"#,
    r#"t="b"><v>1</v></c>"#,
    r#"t="e"><v>#N/A</v></c>"#,
    r#"><v>12345</v></c>"#,
    r#"s="1"><v>45352</v></c>"#,
    r#"t="d"><v>2024-03-01T00:00:00</v></c>"#,
    r#"t="inlineStr"><is><t>a_x000D_b &#x41; &amp; _x005F_x0041_</t></is></c>"#,
    r#"><v>1.5e3</v></c>"#,
    r#"t="n"><v></v></c>"#,
    r#"><v>not a number</v></c>"#,
    r#"s="3"><v>45352.75</v></c>"#,
    r#"s="5"><v>1.5</v></c>"#,
    r#"s="4"><v>45352</v></c>"#,
    r#"t="inlineStr"><is/></c>"#,
    r#"><f>1+1</f></c>"#,
    r#"s="2" t="n"><v>45352</v></c>"#,
    r#"t="b"><v>0</v></c>"#,
    r#"s="1"/>"#,
];

pub fn every_kind_of_cell() -> String {
    let mut data = String::from(HEADER_ROW);
    for (i, id) in ID_CELLS.iter().enumerate() {
        data.push_str(&contact_row(i as u32 + 2, id));
    }
    let n = ID_CELLS.len() as u32 + 2;
    // No `r` on the row or its cells, white space between elements, spans and other
    // row attributes, an empty row, and a styled empty cell.
    data.push_str(&format!(
        "\n  <row>\n    <c t=\"inlineStr\"><is><t>No ref</t></is></c>\n    <c t=\"inlineStr\"><is><t>a) Male</t></is></c>\r\n<c t=\"inlineStr\"><is><t>a) WBRI</t></is></c><c/><c/><c s=\"1\"><v>45352</v></c><c t=\"inlineStr\"><is><t>1A</t></is></c></row>\n  <row r=\"{}\"/><row r=\"{}\" spans=\"1:7\" ht=\"15\" customHeight=\"1\" x14ac:dyDescent=\"0.25\"></row>",
        n + 1,
        n + 2
    ));
    data.push_str(&contact_row(
        n + 3,
        r#"t="inlineStr"><is><t>After the gap</t></is></c>"#,
    ));
    data
}

#[test]
fn the_fast_reader_reads_every_kind_of_cell_as_calamine_does() {
    let bytes = package(
        &[("Contacts", sheet_xml(&every_kind_of_cell()))],
        SHARED,
        "",
    );
    let annex = read_xlsx(&bytes);
    let list = &annex.lists[0];
    let ids: Vec<String> = list
        .rows()
        .map(|r| match &r[0] {
            Value::Text(t) => t.to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(ids[..3], ["C7", "Inline", "Rich"], "{ids:?}");
    assert!(ids.contains(&"Form<ula> \u{e9}".to_string()), "{ids:?}");
    assert!(ids.contains(&"a\rb A & _x0041_".to_string()), "{ids:?}");
    assert!(ids.contains(&"No ref".to_string()) && ids.contains(&"After the gap".to_string()));
    assert_eq!(list.rows_read, ID_CELLS.len() + 2);
}

#[test]
fn the_fast_reader_reads_the_1904_date_system_and_namespace_prefixes() {
    let rows = every_kind_of_cell();
    let bytes = package(
        &[("Contacts", sheet_xml(&rows))],
        SHARED,
        r#"<workbookPr date1904="1"/>"#,
    );
    read_xlsx(&bytes);

    // The .NET Open XML SDK writes every element with a prefix.
    let prefixed = sheet_xml(&rows).replace("<worksheet xmlns=", "<worksheet xmlns:x=");
    let mut with_prefixes = String::new();
    let mut rest = prefixed.as_str();
    while let Some(at) = rest.find('<') {
        with_prefixes.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let slash = rest.starts_with('/');
        if slash {
            with_prefixes.push('/');
            rest = &rest[1..];
        }
        if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            with_prefixes.push_str("x:");
        }
    }
    with_prefixes.push_str(rest);
    let prefixed = with_prefixes;
    read_xlsx(&package(&[("Contacts", prefixed)], SHARED, ""));
}

/// What the fast reader leaves to calamine is still read, as calamine reads it.
#[test]
fn what_the_fast_reader_does_not_take_apart_calamine_reads() {
    let rows = every_kind_of_cell();
    let cases: Vec<(&str, String)> = vec![
        (
            "a comment",
            sheet_xml(&rows.replacen("<row r=\"3\">", "<!-- c --><row r=\"3\">", 1)),
        ),
        (
            "CDATA",
            sheet_xml(&rows.replacen("<t>Inline</t>", "<t><![CDATA[Inline]]></t>", 1)),
        ),
        (
            "rows out of order",
            sheet_xml(&format!(
                "{}{}",
                contact_row(40, r#"t="s"><v>7</v></c>"#),
                rows
            )),
        ),
        (
            "a cell on another row",
            sheet_xml(&rows.replacen("<c r=\"A2\"", "<c r=\"A9\"", 1)),
        ),
        (
            "Latin-1",
            sheet_xml(&rows).replacen("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", 1),
        ),
        (
            "an unknown cell type",
            sheet_xml(&rows.replacen("t=\"b\"", "t=\"x\"", 1)),
        ),
        (
            "a shared string out of range",
            sheet_xml(&rows.replacen("<v>7</v>", "<v>70</v>", 1)),
        ),
        (
            "an unknown entity",
            sheet_xml(&rows.replacen("&#233;", "&eacute;", 1)),
        ),
    ];
    for (what, sheet) in cases {
        let bytes = package(&[("Contacts", sheet)], SHARED, "");
        assert!(
            testing::read_xlsx_fast(&bytes).is_err(),
            "{what}: the fast reader read it"
        );
        let calamine = testing::read_workbook_with_calamine(&bytes);
        match (read_workbook(&bytes), calamine) {
            (Ok(a), Ok(b)) => assert_same(&a, &b),
            (Err(a), Err(b)) => assert_eq!(a, b, "{what}"),
            (a, b) => panic!("{what}: {a:?} but calamine: {b:?}"),
        }
    }
}

#[test]
fn the_fast_reader_and_calamine_agree_on_generated_workbooks() {
    for (rows, seed, dirt) in [(30, 1, 0.0), (30, 2, 0.05), (60, 3, 0.3), (5, 4, 1.0)] {
        read_xlsx(&ilacs_annexa::generate(rows, seed, dirt).bytes);
    }
}
