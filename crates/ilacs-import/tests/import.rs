//! The importers against the repository's real reference data, Ofsted's real workbook
//! and DfE's real published statistics (`published`), and against damaged or altered
//! copies of them.

use chrono::NaiveDate;
use ilacs_domain::authority::{GssCode, LaCode, LocalAuthority, Regions};
use ilacs_domain::framework::Catalogue;
use ilacs_domain::inspection::{ActivityKind, Judgement};
use ilacs_domain::Grade;
use ilacs_import::outcomes_workbook::{HISTORY_SHEET, IN_YEAR_SHEET, LATEST_SHEET};
use ilacs_import::{
    bundled, read_local_authorities, read_outcomes_workbook, OutcomesWorkbook, ReferenceError,
    ReferenceFiles, WorkbookError,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

// In a folder of its own, so that Cargo does not build it as a second test binary.
#[path = "import/published.rs"]
mod published;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn la_code(text: &str) -> LaCode {
    LaCode::parse(text).unwrap()
}

fn gss(text: &str) -> GssCode {
    GssCode::parse(text).unwrap()
}

fn reference() -> &'static (Regions, Vec<LocalAuthority>) {
    static CELL: OnceLock<(Regions, Vec<LocalAuthority>)> = OnceLock::new();
    CELL.get_or_init(|| bundled::local_authorities().unwrap())
}

fn las() -> &'static [LocalAuthority] {
    &reference().1
}

fn la(code: &str) -> &'static LocalAuthority {
    las().iter().find(|l| l.la_code.as_str() == code).unwrap()
}

fn workbook() -> &'static OutcomesWorkbook {
    static CELL: OnceLock<OutcomesWorkbook> = OnceLock::new();
    CELL.get_or_init(|| bundled::outcomes_workbook().unwrap())
}

// ---- The real local-authority files ----

#[test]
fn bundled_local_authorities_are_153_current_and_4_former() {
    let (regions, las) = reference();
    assert_eq!(regions.all().len(), 8);
    assert_eq!(las.len(), 157);
    assert_eq!(las.iter().filter(|l| l.current).count(), 153);
    let gone: BTreeSet<&str> = las
        .iter()
        .filter(|l| !l.current)
        .map(|l| l.la_code.as_str())
        .collect();
    assert_eq!(gone, BTreeSet::from(["836", "837", "909", "928"]));
    for la in las.iter() {
        assert!(regions.get(&la.region).is_some(), "{}", la.name);
        // Current LAs all have ten neighbours; authorities that are gone have none.
        assert_eq!(
            la.statistical_neighbours.len(),
            if la.current { 10 } else { 0 },
            "{}",
            la.name
        );
    }
}

#[test]
fn barking_and_dagenham_is_read_in_full() {
    let bd = la("301");
    assert_eq!(bd.name, "Barking and Dagenham");
    assert_eq!(bd.gss_code, gss("E09000002"));
    assert_eq!(bd.region.as_str(), "london");
    assert_eq!(bd.ons_region, "London");
    assert_eq!(bd.la_type.as_deref(), Some("London Borough"));
    assert_eq!(bd.population_0_25, Some(85041));
    assert!(bd.current);
    assert_eq!(bd.statistical_neighbours.len(), 10);
    assert_eq!(bd.statistical_neighbours[0], la_code("308"));
    assert_eq!(bd.statistical_neighbours[9], la_code("203"));
    assert!(bd.other_codes.is_empty());
}

#[test]
fn aliases_defunct_and_former_authorities() {
    assert_eq!(la("370").name, "Barnsley");
    assert_eq!(la("370").other_codes, [gss("E08000038")]);
    assert_eq!(la("373").other_codes, [gss("E08000039")]);
    assert_eq!(
        la("370").region.as_str(),
        "north-east-yorkshire-humber",
        "Yorkshire and the Humber is in Ofsted's combined region"
    );

    // Defunct rows of the lookup take their 2023 code.
    let cumbria = la("909");
    assert!(!cumbria.current);
    assert_eq!(cumbria.gss_code, gss("E10000006"));
    assert_eq!(cumbria.population_0_25, Some(128211));
    let northants = la("928");
    assert_eq!(northants.gss_code, gss("E10000021"));
    assert_eq!(northants.population_0_25, None);
    assert_eq!(northants.la_type, None);
    assert_eq!(la("836").gss_code, gss("E06000029"));

    let bournemouth = la("837");
    assert_eq!(bournemouth.name, "Bournemouth");
    assert_eq!(bournemouth.gss_code, gss("E06000028"));
    assert_eq!(bournemouth.region.as_str(), "south-west");
    assert!(!bournemouth.current);
}

// ---- Damaged local-authority files ----

/// The bundled files with the lookup replaced.
fn with_lookup(lookup: &str) -> Result<Vec<LocalAuthority>, ReferenceError> {
    let files = ReferenceFiles {
        local_authorities: lookup,
        ..bundled::reference_files()
    };
    read_local_authorities(&files).map(|(_, las)| las)
}

/// The real lookup with one line edited (line numbers as an editor shows them).
fn edit_line(line: usize, edit: impl Fn(&str) -> String) -> String {
    bundled::LOCAL_AUTHORITIES_CSV
        .lines()
        .enumerate()
        .map(|(i, text)| {
            if i + 1 == line {
                edit(text)
            } else {
                text.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_bad_lookup_row_is_reported_with_line_and_column() {
    // Line 4 is Barnsley's row.
    assert!(bundled::LOCAL_AUTHORITIES_CSV
        .lines()
        .nth(3)
        .unwrap()
        .contains("Barnsley"));

    let lookup = edit_line(4, |l| l.replace(",69889,", ",lots,"));
    let err = with_lookup(&lookup).unwrap_err();
    assert_eq!(
        err.to_string(),
        "local-authorities.csv, line 4, column 'ons_population_0-25': 'lots' is not a whole number"
    );

    let lookup = edit_line(4, |l| l.replacen(",370,", ",37,", 1));
    let err = with_lookup(&lookup).unwrap_err();
    assert!(
        matches!(
            err,
            ReferenceError::Field {
                line: 4,
                column: "la_code",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("'37' is not an LA code"), "{err}");

    let lookup = edit_line(4, |l| l.replace("Yorkshire and the Humber", "Atlantis"));
    let err = with_lookup(&lookup).unwrap_err();
    assert_eq!(
        err.to_string(),
        "local-authorities.csv, line 4, column 'region_name': 'Atlantis' is not an ONS region listed in ofsted-regions.csv"
    );

    let lookup = edit_line(4, |l| l.replacen("\"372, ", "\"999, ", 1));
    let err = with_lookup(&lookup).unwrap_err();
    assert_eq!(
        err.to_string(),
        "local-authorities.csv, line 4, column 'stat_neighbours': statistical neighbour 999 is not an LA in this file"
    );

    let lookup = edit_line(4, |l| l.replacen(",E08000016,", ",E0800001,", 1));
    let err = with_lookup(&lookup).unwrap_err();
    assert!(
        matches!(
            err,
            ReferenceError::Field {
                line: 4,
                column: "la_code_new",
                ..
            }
        ),
        "{err}"
    );

    // A truncated row: the CSV reader's complaint, placed.
    let lookup = edit_line(4, |l| l.chars().take(40).collect());
    let err = with_lookup(&lookup).unwrap_err();
    assert!(matches!(err, ReferenceError::Line { line: 4, .. }), "{err}");

    // A second copy of Barking and Dagenham's row.
    let first = bundled::LOCAL_AUTHORITIES_CSV.lines().nth(1).unwrap();
    let lookup = format!("{}\n{first}\n", bundled::LOCAL_AUTHORITIES_CSV.trim_end());
    let err = with_lookup(&lookup).unwrap_err();
    assert_eq!(
        err.to_string(),
        "local-authorities.csv, line 158, column 'la_code': LA code 301 appears again (first at local-authorities.csv, line 2)"
    );
}

#[test]
fn bad_alias_and_former_files_are_reported() {
    let files = ReferenceFiles {
        aliases: "la_code,gss_code,note\n370,E08000038,x\n999,E08000039,x\n",
        ..bundled::reference_files()
    };
    let err = read_local_authorities(&files).unwrap_err();
    assert_eq!(
        err.to_string(),
        "la-code-aliases.csv, line 3, column 'la_code': 999 is not a known LA"
    );

    let files = ReferenceFiles {
        former: "la_code,gss_code,name,ons_region,successor_la_code,note\n837,E06000028,Bournemouth,Wessex,839,x\n",
        ..bundled::reference_files()
    };
    let err = read_local_authorities(&files).unwrap_err();
    assert!(
        matches!(
            err,
            ReferenceError::Field {
                file: "former-local-authorities.csv",
                line: 2,
                column: "ons_region",
                ..
            }
        ),
        "{err}"
    );

    let files = ReferenceFiles {
        regions: "ofsted_region,name\nlondon,London\n",
        ..bundled::reference_files()
    };
    let err = read_local_authorities(&files).unwrap_err();
    assert!(
        err.to_string().starts_with("ofsted-regions.csv, line 2"),
        "{err}"
    );
}

// ---- The real workbook ----

fn kind_counts(rows: &[ilacs_import::PublishedActivity]) -> BTreeMap<ActivityKind, usize> {
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts.entry(row.kind).or_default() += 1;
    }
    counts
}

#[test]
fn workbook_sheets_have_the_published_counts() {
    let wb = workbook();
    assert_eq!(wb.latest.len(), 153);
    assert_eq!(wb.in_year.len(), 112);
    assert_eq!(wb.history.len(), 271);
    assert_eq!(
        kind_counts(&wb.in_year),
        BTreeMap::from([
            (ActivityKind::ShortInspection, 30),
            (ActivityKind::StandardInspection, 22),
            (ActivityKind::FocusedVisit, 36),
            (ActivityKind::MonitoringVisit, 24),
        ])
    );
    assert_eq!(
        kind_counts(&wb.history),
        BTreeMap::from([
            (ActivityKind::ShortInspection, 100),
            (ActivityKind::StandardInspection, 171),
        ])
    );
    assert!(wb.latest.iter().all(|a| a.kind.is_graded()));
    // The sheets start their tables at row 4, under two title rows and the header.
    assert_eq!(wb.history[0].row, 4);
    assert_eq!(wb.history[270].row, 274);
    assert_eq!(wb.history[0].sheet, HISTORY_SHEET);
}

#[test]
fn in_year_visits_have_known_themes_and_inspections_have_grades() {
    let catalogue = Catalogue::bundled();
    for row in &workbook().in_year {
        if row.kind.is_graded() {
            assert!(row.theme.is_none(), "row {}", row.row);
            assert!(
                row.judgements
                    .get(Judgement::OverallEffectiveness)
                    .is_some(),
                "row {}",
                row.row
            );
        } else {
            let label = row
                .theme
                .as_deref()
                .unwrap_or_else(|| panic!("row {}", row.row));
            assert!(catalogue.theme_for_label(label).is_some(), "{label}");
            assert!(row.judgements.is_empty(), "row {}", row.row);
        }
    }
    let themes: BTreeSet<&str> = workbook()
        .in_year
        .iter()
        .filter_map(|r| r.theme.as_deref())
        .collect();
    assert_eq!(themes.len(), 6, "{themes:?}");
}

#[test]
fn barking_and_dagenham_history() {
    let wb = workbook();
    let bd: Vec<_> = wb
        .history
        .iter()
        .filter(|a| a.gss_code == gss("E09000002"))
        .collect();
    assert_eq!(bd.len(), 2);
    let (y2019, y2023) = (bd[0], bd[1]);
    assert_eq!(y2019.start_date, d("2019-02-18"));
    assert_eq!(y2019.publication_date, Some(d("2019-04-01")));
    assert_eq!(y2019.kind, ActivityKind::StandardInspection);
    assert_eq!(y2019.judgements.get(Judgement::CareLeavers), None);
    assert_eq!(y2019.judgements.iter().count(), 4);
    assert_eq!(y2019.la_current, Some(true));
    assert_eq!(y2019.region, "London");

    assert_eq!(y2023.start_date, d("2023-07-10"));
    assert_eq!(y2023.kind, ActivityKind::StandardInspection);
    for j in [
        Judgement::OverallEffectiveness,
        Judgement::ImpactOfLeaders,
        Judgement::HelpAndProtection,
        Judgement::ChildrenInCare,
    ] {
        assert_eq!(
            y2023.judgements.get(j),
            Some(Grade::RequiresImprovement),
            "{j}"
        );
    }
    assert_eq!(
        y2023.judgements.get(Judgement::CareLeavers),
        Some(Grade::Good)
    );

    // The latest sheet shows the 2023 inspection, its type taken from the history.
    let latest = wb
        .latest
        .iter()
        .find(|a| a.gss_code == gss("E09000002"))
        .unwrap();
    assert_eq!(latest.start_date, d("2023-07-10"));
    assert_eq!(latest.kind, ActivityKind::StandardInspection);
    assert_eq!(latest.judgements, y2023.judgements);
    assert_eq!(latest.la_current, None);
}

#[test]
fn every_row_resolves_to_an_authority() {
    let (regions, las) = reference();
    let wb = workbook();
    let resolved = wb.resolve(las).unwrap();
    assert_eq!(resolved.history.len(), 271);
    assert_eq!(resolved.in_year.len(), 112);

    // The latest sheet has each current LA exactly once.
    let latest: BTreeSet<&LaCode> = resolved.latest.iter().map(|a| &a.la_code).collect();
    let current: BTreeSet<&LaCode> = las
        .iter()
        .filter(|l| l.current)
        .map(|l| &l.la_code)
        .collect();
    assert_eq!(latest, current);

    let bournemouth: Vec<_> = resolved
        .history
        .iter()
        .filter(|a| a.la_code == la_code("837"))
        .collect();
    assert_eq!(bournemouth.len(), 1);
    assert_eq!(bournemouth[0].start_date, d("2018-07-16"));

    // Ofsted's status and region columns agree with the reference data.
    for (row, activity) in wb.history.iter().zip(&resolved.history) {
        let authority = las.iter().find(|l| l.la_code == activity.la_code).unwrap();
        assert_eq!(row.la_current, Some(authority.current), "{}", row.la_name);
    }
    for (rows, activities) in [
        (&wb.latest, &resolved.latest),
        (&wb.in_year, &resolved.in_year),
        (&wb.history, &resolved.history),
    ] {
        for (row, activity) in rows.iter().zip(activities) {
            let authority = las.iter().find(|l| l.la_code == activity.la_code).unwrap();
            let region = regions.by_name(&row.region).unwrap();
            assert_eq!(region.id, authority.region, "{} row {}", row.sheet, row.row);
        }
    }
}

#[test]
fn the_overall_effectiveness_rule_holds_for_every_inspection() {
    let catalogue = Catalogue::bundled();
    let mut same_as_leaders = 0;
    for row in &workbook().history {
        let version = catalogue.version_on(row.start_date).unwrap();
        let rule = version.overall_rule().unwrap();
        rule.check(&row.judgements)
            .unwrap_or_else(|e| panic!("{} row {}: {e}", row.sheet, row.row));
        // Each inspection has exactly the judgements of its framework version.
        for j in Judgement::ALL {
            assert_eq!(
                row.judgements.get(j).is_some(),
                version.has(j),
                "row {} {j}",
                row.row
            );
        }
        if row.judgements.get(Judgement::OverallEffectiveness)
            == row.judgements.get(Judgement::ImpactOfLeaders)
        {
            same_as_leaders += 1;
        }
    }
    assert_eq!(same_as_leaders, 233);
}

// ---- Damaged workbooks ----

#[test]
fn random_bytes_are_not_a_spreadsheet() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in [0usize, 1, 7, 100, 4096] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let err = read_outcomes_workbook(&bytes).unwrap_err();
        assert!(
            matches!(err, WorkbookError::NotASpreadsheet { .. }),
            "{err}"
        );
    }
    let err = read_outcomes_workbook(b"la_code,name\n301,Barking\n").unwrap_err();
    assert!(err.to_string().starts_with("not a spreadsheet"), "{err}");
}

#[test]
fn a_truncated_workbook_is_unreadable() {
    let err = read_outcomes_workbook(&bundled::OUTCOMES_WORKBOOK[..5000]).unwrap_err();
    let WorkbookError::Unreadable { format, message } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*format, "ODS");
    assert!(!message.is_empty());
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn damaged_workbooks_give_errors_not_panics() {
    let real = bundled::OUTCOMES_WORKBOOK;
    for cut in [
        4,
        30,
        60,
        1000,
        real.len() / 2,
        real.len() - 22,
        real.len() - 1,
    ] {
        assert!(
            read_outcomes_workbook(&real[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    // Flipped bytes in headers, compressed data and the zip directory.
    let step = real.len() / 23;
    for at in (0..real.len()).step_by(step).chain([real.len() - 10]) {
        let mut bytes = real.to_vec();
        bytes[at] ^= 0x5A;
        let _ = read_outcomes_workbook(&bytes);
    }
    // An encrypted xlsx is an OLE file holding an EncryptedPackage stream.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(std::iter::repeat_n(0u8, 200));
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let err = read_outcomes_workbook(&ole).unwrap_err();
    assert!(err.to_string().contains("encrypted"), "{err}");
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(std::iter::repeat_n(0u8, 600));
    let err = read_outcomes_workbook(&ole).unwrap_err();
    assert!(
        matches!(err, WorkbookError::Unreadable { format: "xls", .. }),
        "{err}"
    );
}

// ---- Small xlsx fixtures in the workbook's layout ----

#[derive(Clone)]
enum Cell {
    Text(&'static str),
    /// A number with a date format, as Excel stores dates.
    Date(&'static str),
    /// A bare number: an Excel serial date without a date format.
    Serial(f64),
    Blank,
}
use Cell::{Blank, Date, Serial, Text};

#[derive(Clone)]
struct Sheet {
    name: String,
    title_rows: u32,
    header: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn column(&self, header: &str) -> usize {
        self.header.iter().position(|h| *h == header).unwrap()
    }
    fn remove_column(&mut self, header: &str) {
        let i = self.column(header);
        self.header.remove(i);
        for row in &mut self.rows {
            row.remove(i);
        }
    }
    /// Sets a cell of a data row (0 is the first row under the header).
    fn set(&mut self, row: usize, header: &str, cell: Cell) {
        let i = self.column(header);
        self.rows[row][i] = cell;
    }
    /// The row number a spreadsheet shows for a data row.
    fn sheet_row(&self, row: usize) -> u32 {
        self.title_rows + 2 + row as u32
    }
}

const GRADES: [&str; 5] = [
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
];
const RI: Cell = Text("Requires improvement to be good");
const GOOD: Cell = Text("Good");
const LINK: Cell = Text("Ofsted Local Authority Webpage");

struct Fixture(Vec<Sheet>);

impl Fixture {
    /// Three sheets as Ofsted lays them out, with a few real rows in several date forms.
    fn standard() -> Fixture {
        let mut latest_header = vec![
            "Web link",
            "Local authority area code",
            "Local authority name",
            "Ofsted region",
            "Inspection date",
            "Publication date",
        ];
        latest_header.extend(GRADES);
        let latest = Sheet {
            name: LATEST_SHEET.into(),
            title_rows: 2,
            header: latest_header,
            rows: vec![vec![
                LINK,
                Text("E09000002"),
                Text("Barking and Dagenham"),
                Text("London"),
                Date("2023-07-10"),
                Date("2023-09-04"),
                RI,
                RI,
                RI,
                RI,
                GOOD,
            ]],
        };

        let mut in_year_header = vec![
            "Web link",
            "Local authority area code",
            "Local authority name",
            "Region",
            "Inspection/Visit date",
            "Publication date",
            "Inspection/Visit type",
        ];
        in_year_header.extend(GRADES);
        in_year_header.push("Visit Theme");
        let in_year = Sheet {
            name: IN_YEAR_SHEET.into(),
            title_rows: 2,
            header: in_year_header,
            rows: vec![
                vec![
                    LINK,
                    Text("E09000002"),
                    Text("Barking and Dagenham"),
                    Text("London"),
                    Text("26/03/2025"),
                    Date("2025-04-29"),
                    Text("ILACS Focused Visit"),
                    Blank,
                    Blank,
                    Blank,
                    Blank,
                    Blank,
                    Text("Children in need/subject to a plan"),
                ],
                vec![
                    LINK,
                    Text("E09000003"),
                    Text("Barnet"),
                    Text("London"),
                    Serial(45453.0),
                    Serial(45496.0),
                    Text("ILACS Short Inspection"),
                    GOOD,
                    GOOD,
                    GOOD,
                    Text("Outstanding"),
                    GOOD,
                    Blank,
                ],
            ],
        };

        let mut history_header = vec![
            "Web link",
            "Local authority area code",
            "Local authority name",
            "Local authority status",
            "Ofsted region",
            "Inspection date",
            "Publication date",
            "Inspection type",
        ];
        history_header.extend(GRADES);
        let history = Sheet {
            name: HISTORY_SHEET.into(),
            title_rows: 2,
            header: history_header,
            rows: vec![
                vec![
                    LINK,
                    Text("E09000002"),
                    Text("Barking and Dagenham"),
                    Text("Current"),
                    Text("London"),
                    Date("2019-02-18"),
                    Date("2019-04-01"),
                    Text("ILACS Standard Inspection"),
                    RI,
                    RI,
                    RI,
                    RI,
                    Blank,
                ],
                vec![
                    LINK,
                    Text("E09000002"),
                    Text("Barking and Dagenham"),
                    Text("Current"),
                    Text("London"),
                    Date("2023-07-10"),
                    Text("2023-09-04"),
                    Text("ILACS Standard Inspection"),
                    RI,
                    RI,
                    RI,
                    RI,
                    GOOD,
                ],
                vec![
                    LINK,
                    Text("E06000028"),
                    Text("Bournemouth"),
                    Text("No longer exists"),
                    Text("South West"),
                    Serial(43297.0),
                    Serial(43336.0),
                    Text("ILACS Standard Inspection"),
                    RI,
                    RI,
                    RI,
                    RI,
                    Blank,
                ],
            ],
        };
        // Not in Ofsted's order, so nothing depends on sheet positions.
        Fixture(vec![history, in_year, latest])
    }

    fn sheet(&mut self, name: &str) -> &mut Sheet {
        self.0.iter_mut().find(|s| s.name == name).unwrap()
    }

    fn xlsx(&self) -> Vec<u8> {
        use rust_xlsxwriter::{Format, Workbook};
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let mut workbook = Workbook::new();
        for sheet in &self.0 {
            let ws = workbook.add_worksheet();
            ws.set_name(&sheet.name).unwrap();
            ws.write_string(0, 0, "A title above the table").unwrap();
            let header_row = sheet.title_rows;
            for (c, h) in sheet.header.iter().enumerate() {
                ws.write_string(header_row, c as u16, *h).unwrap();
            }
            for (r, row) in sheet.rows.iter().enumerate() {
                let r = header_row + 1 + r as u32;
                for (c, cell) in row.iter().enumerate() {
                    let c = c as u16;
                    match cell {
                        Text(t) => ws.write_string(r, c, *t).map(|_| ()),
                        Date(iso) => {
                            let serial = (d(iso) - d("1899-12-30")).num_days() as f64;
                            ws.write_number_with_format(r, c, serial, &date).map(|_| ())
                        }
                        Serial(n) => ws.write_number(r, c, *n).map(|_| ()),
                        Blank => Ok(()),
                    }
                    .unwrap();
                }
            }
        }
        workbook.save_to_buffer().unwrap()
    }

    fn read(&self) -> Result<OutcomesWorkbook, WorkbookError> {
        read_outcomes_workbook(&self.xlsx())
    }
}

#[test]
fn an_xlsx_in_the_same_layout_reads_the_same() {
    let wb = Fixture::standard().read().unwrap();
    assert_eq!(wb.history.len(), 3);
    assert_eq!(wb.in_year.len(), 2);
    assert_eq!(wb.latest.len(), 1);

    // Date cells, dd/mm/yyyy and yyyy-mm-dd text, and bare serial numbers.
    assert_eq!(wb.history[0].start_date, d("2019-02-18"));
    assert_eq!(wb.history[1].publication_date, Some(d("2023-09-04")));
    assert_eq!(wb.history[2].start_date, d("2018-07-16"));
    assert_eq!(wb.in_year[0].start_date, d("2025-03-26"));
    assert_eq!(wb.in_year[1].start_date, d("2024-06-10"));

    assert_eq!(wb.history[2].la_current, Some(false));
    assert_eq!(wb.history[0].row, 4);
    assert_eq!(wb.latest[0].kind, ActivityKind::StandardInspection);
    assert_eq!(
        wb.in_year[0].theme.as_deref(),
        Some("Children in need/subject to a plan")
    );
    assert_eq!(
        wb.in_year[1].judgements.get(Judgement::ChildrenInCare),
        Some(Grade::Outstanding)
    );

    // The real workbook's rows for the same inspections match.
    let real = workbook();
    let real_2023 = real
        .history
        .iter()
        .find(|a| a.gss_code == gss("E09000002") && a.start_date == d("2023-07-10"))
        .unwrap();
    assert_eq!(wb.history[1].judgements, real_2023.judgements);

    let resolved = wb.resolve(las()).unwrap();
    assert_eq!(resolved.history[2].la_code, la_code("837"));
}

#[test]
fn the_header_is_found_by_name_not_position() {
    let mut fixture = Fixture::standard();
    let history = fixture.sheet(HISTORY_SHEET);
    history.title_rows = 6;
    // Reversed columns, headers in another case and spacing.
    history.header.reverse();
    for row in &mut history.rows {
        row.reverse();
    }
    let i = history.column("Overall effectiveness");
    history.header[i] = "OVERALL  effectiveness ";
    let wb = fixture.read().unwrap();
    assert_eq!(wb.history.len(), 3);
    assert_eq!(wb.history[0].row, 8);
    assert_eq!(
        wb.history[1]
            .judgements
            .get(Judgement::OverallEffectiveness),
        Some(Grade::RequiresImprovement)
    );

    // Beyond the rows searched, there is no header to find.
    let mut fixture = Fixture::standard();
    fixture.sheet(IN_YEAR_SHEET).title_rows = 12;
    let err = fixture.read().unwrap_err();
    assert_eq!(
        err,
        WorkbookError::HeaderNotFound {
            sheet: IN_YEAR_SHEET,
            searched: 10
        }
    );
}

#[test]
fn a_renamed_sheet_is_missing() {
    let mut fixture = Fixture::standard();
    fixture.sheet(HISTORY_SHEET).name = "History".into();
    let err = fixture.read().unwrap_err();
    let WorkbookError::MissingSheet { sheet, found } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*sheet, HISTORY_SHEET);
    assert!(found.contains(&"History".to_string()));
    assert_eq!(
        err.to_string(),
        "the workbook has no sheet 'ILACS_inspection_history' (its sheets are: History, In-year_inspections, Inspections_as_at_31_March)"
    );
}

#[test]
fn a_missing_column_is_named() {
    let mut fixture = Fixture::standard();
    fixture
        .sheet(HISTORY_SHEET)
        .remove_column("Overall effectiveness");
    let err = fixture.read().unwrap_err();
    assert_eq!(
        err.to_string(),
        "ILACS_inspection_history, row 3: the header has no column 'Overall effectiveness'"
    );

    let mut fixture = Fixture::standard();
    fixture.sheet(LATEST_SHEET).remove_column("Ofsted region");
    let err = fixture.read().unwrap_err();
    assert!(
        matches!(&err, WorkbookError::MissingColumn { sheet: LATEST_SHEET, row: 3, column } if column == "'Ofsted region' or 'Region'"),
        "{err}"
    );
}

#[test]
fn bad_cells_are_placed_by_sheet_row_and_column() {
    let mut fixture = Fixture::standard();
    fixture
        .sheet(HISTORY_SHEET)
        .set(1, "Overall effectiveness", Text("Excellent"));
    let err = fixture.read().unwrap_err();
    assert!(
        matches!(&err, WorkbookError::Cell { sheet: HISTORY_SHEET, row: 5, value, .. } if value == "Excellent"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "ILACS_inspection_history, row 5, column 'Overall effectiveness': 'Excellent' is not a grade: expected Outstanding, Good, Requires improvement to be good or Inadequate"
    );

    let cases: [(&str, &str, Cell, &str); 7] = [
        (
            IN_YEAR_SHEET,
            "Inspection/Visit type",
            Text("SIF"),
            "'SIF' is not an activity type",
        ),
        (
            IN_YEAR_SHEET,
            "Visit Theme",
            Text("Knitting"),
            "'Knitting' is not a visit theme",
        ),
        (
            IN_YEAR_SHEET,
            "Inspection/Visit date",
            Text("31/02/2025"),
            "'31/02/2025' is not a date",
        ),
        (
            IN_YEAR_SHEET,
            "Inspection/Visit date",
            Blank,
            "must not be blank",
        ),
        (
            IN_YEAR_SHEET,
            "Local authority area code",
            Text("W06000001"),
            "is not an area code",
        ),
        (
            HISTORY_SHEET,
            "Local authority status",
            Text("Merged"),
            "'Merged' is not a status",
        ),
        (
            LATEST_SHEET,
            "Publication date",
            Serial(-5.0),
            "not a date serial number",
        ),
    ];
    for (sheet, column, cell, problem) in cases {
        let mut fixture = Fixture::standard();
        let s = fixture.sheet(sheet);
        s.set(0, column, cell);
        let row = s.sheet_row(0);
        let err = fixture.read().unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{sheet}, row {row}, column '{column}': ")),
            "{text}"
        );
        assert!(text.contains(problem), "{text}");
        assert!(matches!(err, WorkbookError::Cell { .. }));
    }
}

#[test]
fn a_latest_row_needs_its_inspection_in_the_history() {
    let mut fixture = Fixture::standard();
    fixture
        .sheet(LATEST_SHEET)
        .set(0, "Inspection date", Date("2023-07-11"));
    let err = fixture.read().unwrap_err();
    assert_eq!(
        err,
        WorkbookError::NoMatchingHistory {
            sheet: LATEST_SHEET,
            row: 4,
            code: gss("E09000002"),
            date: d("2023-07-11"),
        }
    );
    assert!(
        err.to_string().contains("ILACS_inspection_history"),
        "{err}"
    );
}

#[test]
fn an_unknown_authority_is_an_error_not_a_dropped_row() {
    let mut fixture = Fixture::standard();
    fixture
        .sheet(IN_YEAR_SHEET)
        .set(1, "Local authority area code", Text("E09999999"));
    // Reading does not know the LAs; resolving them does.
    let wb = fixture.read().unwrap();
    let err = wb.resolve(las()).unwrap_err();
    assert_eq!(
        err,
        WorkbookError::UnknownAuthority {
            sheet: IN_YEAR_SHEET,
            row: 5,
            code: gss("E09999999"),
            name: "Barnet".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "In-year_inspections, row 5: area code E09999999 (Barnet) matches no local authority"
    );
}

#[test]
fn a_truncated_xlsx_is_unreadable() {
    let bytes = Fixture::standard().xlsx();
    let err = read_outcomes_workbook(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(
        matches!(err, WorkbookError::Unreadable { format: "xlsx", .. }),
        "{err}"
    );
    for cut in (0..bytes.len()).step_by(997) {
        let _ = read_outcomes_workbook(&bytes[..cut]);
    }
}

// ---- A hand-made xlsx, for damage the writer cannot produce ----

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive of uncompressed entries.
fn stored_zip(files: &[(&str, &str)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, text) in files {
        let offset = out.len() as u32;
        let (crc, len) = (crc32(text.as_bytes()), text.len() as u32);
        // version needed, flags, method (stored), time, date (1980-01-01)
        let common = [20u16, 0, 0, 0, 0x21];
        out.extend(0x0403_4b50u32.to_le_bytes());
        common.iter().for_each(|v| out.extend(v.to_le_bytes()));
        [crc, len, len]
            .iter()
            .for_each(|v| out.extend(v.to_le_bytes()));
        [name.len() as u16, 0]
            .iter()
            .for_each(|v| out.extend(v.to_le_bytes()));
        out.extend(name.as_bytes());
        out.extend(text.as_bytes());

        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        common.iter().for_each(|v| central.extend(v.to_le_bytes()));
        [crc, len, len]
            .iter()
            .for_each(|v| central.extend(v.to_le_bytes()));
        [name.len() as u16, 0, 0, 0, 0]
            .iter()
            .for_each(|v| central.extend(v.to_le_bytes()));
        [0u32, offset]
            .iter()
            .for_each(|v| central.extend(v.to_le_bytes()));
        central.extend(name.as_bytes());
    }
    let (central_offset, central_len) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    let n = files.len() as u16;
    [0u16, 0, n, n]
        .iter()
        .for_each(|v| out.extend(v.to_le_bytes()));
    [central_len, central_offset]
        .iter()
        .for_each(|v| out.extend(v.to_le_bytes()));
    out.extend(0u16.to_le_bytes());
    out
}

/// A one-sheet xlsx whose B1 names shared string `index` (the table has one string).
fn xlsx_with_shared_string_index(index: usize) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const CT: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    let content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/></Types>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="{HISTORY_SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>Web link</t></si></sst>"#
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>{index}</v></c></row></sheetData></worksheet>"#
    );
    stored_zip(&[
        ("[Content_Types].xml", &content_types),
        ("_rels/.rels", &rels),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", &workbook_rels),
        ("xl/sharedStrings.xml", &strings),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

#[test]
fn a_shared_string_index_past_the_table_is_an_error_not_a_panic() {
    // Well formed: it opens, and fails only for want of a header.
    let err = read_outcomes_workbook(&xlsx_with_shared_string_index(0)).unwrap_err();
    assert!(
        matches!(
            err,
            WorkbookError::HeaderNotFound {
                sheet: HISTORY_SHEET,
                ..
            }
        ),
        "{err}"
    );
    // calamine 0.31 panics on this; the panic (printed by the test harness) is caught.
    let err = read_outcomes_workbook(&xlsx_with_shared_string_index(7)).unwrap_err();
    assert!(
        matches!(&err, WorkbookError::SheetUnreadable { sheet: HISTORY_SHEET, message } if message.contains("malformed")),
        "{err}"
    );
}

#[test]
fn merging_the_sheets_keeps_every_activity_once() {
    let resolved = workbook().resolve(las()).unwrap();
    let merged = resolved.merged().unwrap();
    // Every graded inspection of the latest and in-year sheets is in the history; the
    // in-year sheet adds its 60 focused and monitoring visits.
    assert_eq!(merged.len(), 271 + 60);
    let focused = merged
        .iter()
        .filter(|a| a.kind == ActivityKind::FocusedVisit)
        .count();
    assert_eq!(focused, 36);
    assert!(merged
        .iter()
        .filter(|a| !a.kind.is_graded())
        .all(|a| a.theme.is_some()));
}

#[test]
fn sheets_that_disagree_are_an_error() {
    let mut resolved = workbook().resolve(las()).unwrap();
    let barking = resolved
        .latest
        .iter_mut()
        .find(|a| a.la_code == la_code("301"))
        .unwrap();
    barking.judgements.set(
        ilacs_domain::inspection::Judgement::CareLeavers,
        ilacs_domain::Grade::Inadequate,
    );
    let err = resolved.merged().unwrap_err();
    assert_eq!(
        err.to_string(),
        "301's standard_inspection starting 2023-07-10 differs between the sheets ILACS_inspection_history and Inspections_as_at_31_March"
    );
}
