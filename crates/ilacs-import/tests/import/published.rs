//! DfE's published statistics: the real files as shipped, and damaged or altered copies.

use super::las;
use ilacs_domain::authority::{GssCode, LaCode};
use ilacs_domain::indicators::{
    Area, Definitions, IndicatorId, ObservationKey, PublishedStatistics, Symbol, TimePeriod, Value,
};
use ilacs_import::bundled::{self, PUBLISHED_FILES};
use ilacs_import::{read_published, read_published_dir, PublishedError, PublishedProblem};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn real() -> &'static PublishedStatistics {
    static CELL: OnceLock<PublishedStatistics> = OnceLock::new();
    CELL.get_or_init(|| bundled::published_statistics(las()).unwrap())
}

fn key(indicator: &str, area: Area, period: &str) -> ObservationKey {
    ObservationKey {
        indicator: IndicatorId::parse(indicator).unwrap(),
        area,
        time_period: TimePeriod::parse(period).unwrap(),
    }
}

fn la(code: &str) -> Area {
    Area::La(LaCode::parse(code).unwrap())
}

fn region(code: &str) -> Area {
    Area::Region(GssCode::parse(code).unwrap())
}

fn value(indicator: &str, area: Area, period: &str) -> Option<Value> {
    real().get(&key(indicator, area, period))
}

fn file_text(name: &str) -> String {
    let (_, bytes) = PUBLISHED_FILES.iter().find(|(n, _)| *n == name).unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The bundled files with one replaced.
fn read_with(name: &str, text: &str) -> Result<PublishedStatistics, PublishedError> {
    let files: Vec<(&str, &[u8])> = PUBLISHED_FILES
        .iter()
        .map(|(n, b)| (*n, if *n == name { text.as_bytes() } else { *b }))
        .collect();
    read_published(&Definitions::bundled(), las(), &files)
}

// ---- The real files ----

#[test]
fn the_bundled_files_are_the_ones_the_definitions_read() {
    let shipped: BTreeSet<&str> = PUBLISHED_FILES.iter().map(|(n, _)| *n).collect();
    let defined = Definitions::bundled();
    let needed: BTreeSet<&str> = defined.source_files().into_iter().collect();
    assert_eq!(shipped, needed);
}

#[test]
fn the_real_files_are_read_in_full() {
    let stats = real();
    let files: Vec<(&str, u64, u64)> = stats
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.rows, f.values))
        .collect();
    assert_eq!(
        files,
        [
            (
                "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
                2132,
                2125
            ),
            ("b1_children_in_need_2013_to_2025.csv", 2132, 2125),
            ("d3_cpps_subsequent_plan_2013_to_2025.csv", 2132, 2125),
            ("d5_cpps_at31march_by_duration_2013_to_2025.csv", 2132, 2125),
            ("cla_number_and_rate_per_10k_children.csv", 2505, 835),
            ("la_cla_placement_stability.csv", 5010, 1670),
            ("la_care_leavers_activity.csv", 20040, 1670),
            ("la_care_leavers_accommodation_suitability.csv", 6680, 835),
            // Four indicators; the two shared workforces' rows count for both LAs.
            ("csww_indicators_2017_to_2025.csv", 1463, 5900),
        ]
    );
    assert_eq!(stats.len(), 19_410);
    // Every indicator has England's, every region's and LAs' values.
    let definitions = Definitions::bundled();
    for indicator in definitions.indicators() {
        let levels: BTreeSet<&str> = stats
            .iter()
            .filter(|(k, _)| k.indicator == indicator.id)
            .map(|(k, _)| k.area.level())
            .collect();
        assert_eq!(levels.len(), 3, "{}", indicator.id);
    }
}

#[test]
fn real_figures_are_read_as_published() {
    use Value::Number;
    assert_eq!(
        value("re_referral_rate", Area::England, "2025"),
        Some(Number(22.6))
    );
    assert_eq!(
        value("re_referral_rate", region("E12000007"), "2025"),
        Some(Number(19.4))
    );
    assert_eq!(
        value("re_referral_rate", la("301"), "2025"),
        Some(Number(21.8))
    );
    assert_eq!(
        value("re_referral_rate", la("301"), "2013"),
        Some(Number(9.8))
    );
    assert_eq!(
        value("children_in_need", Area::England, "2025"),
        Some(Number(402_400.0))
    );
    assert_eq!(
        value("cla_rate_per_10k", Area::England, "2025"),
        Some(Number(67.0))
    );
    assert_eq!(
        value("placement_stability", Area::England, "2025"),
        Some(Number(69.0))
    );
    assert_eq!(
        value("care_leavers_eet", la("301"), "2025"),
        Some(Number(58.0))
    );
    // 100 minus the 3% whose information was not known.
    assert_eq!(
        value("care_leavers_in_touch", la("301"), "2025"),
        Some(Number(97.0))
    );
    assert_eq!(
        value("care_leavers_suitable_accommodation", Area::England, "2025"),
        Some(Number(89.0))
    );
    assert_eq!(
        value("sw_turnover_rate", Area::England, "2025"),
        Some(Number(11.8))
    );
    assert_eq!(
        value("sw_caseload", Area::England, "2025"),
        Some(Number(15.2))
    );
}

#[test]
fn old_and_shared_area_codes_are_read_as_the_definitions_say() {
    // North Yorkshire's county code (E10000023) before 2023 is LA 815's.
    assert_eq!(
        value("re_referral_rate", la("815"), "2013"),
        Some(Value::Number(26.3))
    );
    // Kingston and Richmond's shared workforce: one figure, each LA's.
    for code in ["314", "318"] {
        assert_eq!(
            value("sw_caseload", la(code), "2025"),
            Some(Value::Number(13.9))
        );
    }
    // Dorset County Council (835) before 2019 is not today's Dorset (838).
    assert_eq!(value("re_referral_rate", la("838"), "2013"), None);
    assert_eq!(
        value("re_referral_rate", la("838"), "2025").map(|v| v.number().is_some()),
        Some(true)
    );
    let notes = real().notes.join("\n");
    assert!(
        notes.contains("b1_children_in_need_2013_to_2025.csv: 7 rows for E10000009 not loaded"),
        "{notes}"
    );
    assert!(
        notes.contains("csww_indicators_2017_to_2025.csv: 9 rows for E09000021 / E09000027 read as each of LAs 314, 318"),
        "{notes}"
    );
    assert!(
        notes.contains("11 rows for E10000023 read as LA 815's"),
        "{notes}"
    );
}

#[test]
fn symbols_are_kept_as_published() {
    let symbol = |s| Some(Value::Symbol(s));
    // Sunderland's agency rate rounds to zero: "low", not 0.
    assert_eq!(
        value("sw_agency_rate", la("394"), "2025"),
        symbol(Symbol::Low)
    );
    assert_eq!(
        value("care_leavers_suitable_accommodation", la("356"), "2025"),
        symbol(Symbol::Confidential)
    );
    assert_eq!(
        value("care_leavers_suitable_accommodation", la("420"), "2025"),
        symbol(Symbol::NotApplicable)
    );
    assert_eq!(
        value("re_referral_rate", la("201"), "2024"),
        symbol(Symbol::Confidential)
    );
    // Wirral's "information not known" rounds to zero (k), so in touch rounds to 100.
    assert_eq!(
        value("care_leavers_in_touch", la("344"), "2025"),
        Some(Value::Number(100.0))
    );
    // No value anywhere is a zero standing in for a symbol: the counts of each
    // symbol are those in the files.
    let count = |s: Symbol| real().iter().filter(|(_, v)| v.symbol() == Some(s)).count();
    assert!(count(Symbol::Confidential) > 0);
    assert!(count(Symbol::NotApplicable) > 0);
    assert!(count(Symbol::NotAvailable) > 0);
    assert!(count(Symbol::LowReliability) > 0);
}

#[test]
fn a_directory_reads_the_same_as_the_bundled_files() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in PUBLISHED_FILES {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    // Other files in the directory are not read.
    std::fs::write(dir.path().join("notes.txt"), "not a csv").unwrap();
    let stats = read_published_dir(&Definitions::bundled(), las(), dir.path()).unwrap();
    assert_eq!(&stats, real());

    std::fs::remove_file(dir.path().join("la_care_leavers_activity.csv")).unwrap();
    let err = read_published_dir(&Definitions::bundled(), las(), dir.path()).unwrap_err();
    assert_eq!(err.total, 1);
    let message = err.problems[0].to_string();
    assert!(
        message.starts_with("la_care_leavers_activity.csv: the file is missing from "),
        "{message}"
    );
    assert!(
        message.ends_with("needed for care_leavers_in_touch, care_leavers_eet"),
        "{message}"
    );
}

// ---- Altered copies of the real files ----

#[test]
fn a_renamed_column_is_named_with_its_file() {
    let text = file_text("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
        .replacen("rereferral_percent", "rereferral_pct", 1);
    let err = read_with(
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        &text,
    )
    .unwrap_err();
    assert_eq!(
        err.problems,
        [PublishedProblem::MissingColumn {
            file: "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv".into(),
            column: "rereferral_percent".into(),
            needed_by: "re_referral_rate".into(),
        }]
    );
    assert!(err.to_string().contains(
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv: the header has no column 'rereferral_percent' (renamed or removed?)"
    ));
}

#[test]
fn a_column_two_indicators_need_is_reported_once() {
    let file = "la_care_leavers_activity.csv";
    let text = file_text(file).replacen("care_leaver_age", "age", 1);
    let err = read_with(file, &text).unwrap_err();
    assert_eq!(
        err.problems,
        [PublishedProblem::MissingColumn {
            file: file.into(),
            column: "care_leaver_age".into(),
            needed_by: "care_leavers_in_touch, care_leavers_eet".into(),
        }]
    );
}

#[test]
fn columns_are_found_by_name_in_any_order() {
    // Swap the first two columns of every line of a file.
    let text: String = file_text("d3_cpps_subsequent_plan_2013_to_2025.csv")
        .lines()
        .map(|line| {
            let (a, rest) = line.split_once(',').unwrap();
            let (b, rest) = rest.split_once(',').unwrap();
            format!("{b},{a},{rest}\n")
        })
        .collect();
    let stats = read_with("d3_cpps_subsequent_plan_2013_to_2025.csv", &text).unwrap();
    assert_eq!(&stats, real());
}

#[test]
fn an_unknown_la_code_is_reported_with_file_and_line() {
    let file = "d5_cpps_at31march_by_duration_2013_to_2025.csv";
    let text = file_text(file);
    let line = text
        .lines()
        .position(|l| l.contains(",E09000002,"))
        .unwrap();
    let text = text.replace(",E09000002,", ",E09000099,");
    let err = read_with(file, &text).unwrap_err();
    assert_eq!(err.total, 1, "{err}");
    let PublishedProblem::Field {
        file: f,
        line: l,
        column,
        message,
    } = &err.problems[0]
    else {
        panic!("{err}")
    };
    assert_eq!(
        (f.as_str(), *l, column.as_str()),
        (file, line as u64 + 1, "new_la_code")
    );
    assert!(
        message.starts_with(
            "'E09000099' (Barking and Dagenham, old_la_code 301) is not an area code of any LA"
        ),
        "{message}"
    );
    assert!(message.ends_with("; 13 rows have it"), "{message}");
}

#[test]
fn a_value_that_is_neither_number_nor_symbol_is_an_error() {
    let file = "cla_number_and_rate_per_10k_children.csv";
    let text = file_text(file).replacen(
        ",Children looked after on 31 March each year,12183016,81770,67\n",
        ",Children looked after on 31 March each year,12183016,81770,sixty-seven\n",
        1,
    );
    let err = read_with(file, &text).unwrap_err();
    assert_eq!(
        err.problems[0].to_string(),
        "cla_number_and_rate_per_10k_children.csv, line 3, column 'rate_per_10000': 'sixty-seven' is neither a number nor one of DfE's symbols (c, k, low, u, x, z)"
    );
    // A blank is not read as zero either.
    let text = file_text(file).replacen(
        ",Children looked after on 31 March each year,12183016,81770,67\n",
        ",Children looked after on 31 March each year,12183016,81770,\"\"\n",
        1,
    );
    let err = read_with(file, &text).unwrap_err();
    assert!(
        err.problems[0]
            .to_string()
            .contains("line 3, column 'rate_per_10000': the value is blank"),
        "{err}"
    );
}

#[test]
fn a_changed_breakdown_value_is_reported_not_read_as_no_data() {
    let file = "la_cla_placement_stability.csv";
    let text = file_text(file).replace(
        "Living with the same carer for at least 2 years",
        "Living with the same carer for 2 years or more",
    );
    let err = read_with(file, &text).unwrap_err();
    assert_eq!(err.total, 1, "{err}");
    let message = err.problems[0].to_string();
    assert!(
        message.starts_with("la_cla_placement_stability.csv: no row has placement_stability = 'Living with the same carer for at least 2 years', needed for placement_stability; the column has 'Living with the same carer for 2 years or more', 'Total children'"),
        "{message}"
    );
}

#[test]
fn two_rows_for_one_value_are_an_error() {
    let file = "b1_children_in_need_2013_to_2025.csv";
    let text = file_text(file);
    let row = text.lines().find(|l| l.contains(",E09000002,")).unwrap();
    let text = format!("{text}{row}\n");
    let err = read_with(file, &text).unwrap_err();
    let message = err.problems[0].to_string();
    assert!(
        message
            .contains("a second children_in_need value for LA 301 in 2025 (the first is on line"),
        "{message}"
    );
}

#[test]
fn truncated_and_garbled_files_are_errors_with_lines() {
    let file = "b1_children_in_need_2013_to_2025.csv";
    let text = file_text(file);
    let cut = &text[..text.len() / 2];
    let err = read_with(file, cut).unwrap_err();
    assert!(
        err.problems
            .iter()
            .any(|p| matches!(p, PublishedProblem::Line { message, .. } if message.contains("fields where the header has 19"))),
        "{err}"
    );

    let mut bytes = file_text(file).into_bytes();
    bytes[500] = 0xff;
    let line = bytes[..500].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let files: Vec<(&str, &[u8])> = PUBLISHED_FILES
        .iter()
        .map(|(n, b)| (*n, if *n == file { bytes.as_slice() } else { *b }))
        .collect();
    let err = read_published(&Definitions::bundled(), las(), &files).unwrap_err();
    assert!(
        matches!(&err.problems[0], PublishedProblem::Line { line: l, message, .. } if *l == line && message == "the text is not UTF-8"),
        "{err}"
    );

    let err = read_with(file, "").unwrap_err();
    assert_eq!(err.total, 7, "{err}");
}

#[test]
fn problems_are_capped_but_counted() {
    let file = "la_care_leavers_activity.csv";
    // Every "information not known" percentage for 19 to 21 year olds made unreadable.
    let text: String = file_text(file)
        .lines()
        .map(|l| match l.rsplit_once(',') {
            Some((head, _)) if l.contains(",19 to 21 years,Total information not known,") => {
                format!("{head},??\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    let err = read_with(file, &text).unwrap_err();
    assert_eq!(err.total, 835);
    assert_eq!(err.problems.len(), ilacs_import::MAX_PROBLEMS);
    assert!(err.to_string().ends_with("... and 785 more"), "{err}");
}

// ---- Small files ----

const DEFINITIONS: &str = r#"
[[indicator]]
id = "rate"
label = "Rate"
unit = "percent"
polarity = "lower_is_better"
decimals = 1
description = "A rate."
source = "tiny.csv"
column = "rate_percent"
filters = { breakdown = "All" }

[[region]]
code = "E12000007"
name = "London"
"#;

const HEADER: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,breakdown,rate_percent\n";

fn tiny(rows: &str) -> Result<PublishedStatistics, PublishedError> {
    let definitions = Definitions::parse_toml("tiny.toml", DEFINITIONS).unwrap();
    let text = format!("\u{feff}{HEADER}{rows}");
    read_published(&definitions, las(), &[("tiny.csv", text.as_bytes())])
}

#[test]
fn symbols_bom_and_quoted_blanks() {
    let stats = tiny(
        "2025,Reporting year,National,E92000001,England,\"\",\"\",,\"\",\"\",All,22.6\n\
         2025,Reporting year,Regional,E92000001,England,E12000007,London,,,,All,x\n\
         2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,301,E09000002,Barking and Dagenham,All,c\n\
         2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,302,E09000003,Barnet,All,low\n\
         2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,303,E09000004,Bexley,All,z\n\
         2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,303,E09000004,Bexley,Other,12\n\
         2025,Reporting year,Local authority district,E92000001,England,E13000002,Outer London,,E07000001,Somewhere,All,1\n",
    )
    .unwrap();
    let get = |area| stats.get(&key("rate", area, "2025"));
    assert_eq!(get(Area::England), Some(Value::Number(22.6)));
    assert_eq!(
        get(region("E12000007")),
        Some(Value::Symbol(Symbol::NotAvailable))
    );
    assert_eq!(get(la("301")), Some(Value::Symbol(Symbol::Confidential)));
    assert_eq!(get(la("302")), Some(Value::Symbol(Symbol::Low)));
    assert_eq!(get(la("303")), Some(Value::Symbol(Symbol::NotApplicable)));
    assert_eq!(stats.len(), 5);
    assert_eq!(
        stats.notes,
        ["tiny.csv: 1 row at geographic level 'Local authority district' not used (only National, Regional and Local authority rows are)"]
    );
}

#[test]
fn rows_are_placed_by_level_and_checked() {
    let err = tiny(
        "2025,Reporting year,National,W92000004,Wales,,,,,,All,1\n\
         2025,Reporting year,Regional,E92000001,England,E12000099,Nowhere,,,,All,1\n\
         25,Reporting year,Regional,E92000001,England,E12000007,London,,,,All,1\n\
         2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,302,E09000002,Barking and Dagenham,All,1\n\
         2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,,,Nobody,All,1\n",
    )
    .unwrap_err();
    let messages: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "tiny.csv, line 2, column 'country_code': 'W92000004' is not England's code (E92000001)",
            "tiny.csv, line 3, column 'region_code': 'E12000099' is not a region code listed in the indicator definitions",
            "tiny.csv, line 4, column 'time_period': '25' is not a year such as 2025 or 202425",
            "tiny.csv, line 5, column 'old_la_code': 302 does not match new_la_code E09000002, which is LA 301's",
            "tiny.csv, line 6, column 'new_la_code': must not be blank",
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever happens to a file's bytes, reading it gives values or errors, never a
    /// panic, and every error has a place.
    #[test]
    fn damaged_files_never_panic(cut in 0usize..2000, at in 0usize..2000, byte in any::<u8>()) {
        let good = format!(
            "{HEADER}2025,Reporting year,National,E92000001,England,,,,,,All,22.6\n\
             2025,Reporting year,Regional,E92000001,England,E12000007,London,,,,All,19.4\n\
             2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,301,E09000002,\"Barking, and Dagenham\",All,c\n"
        );
        let mut bytes = good.into_bytes();
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut % (bytes.len() + 1));
        let definitions = Definitions::parse_toml("tiny.toml", DEFINITIONS).unwrap();
        match read_published(&definitions, las(), &[("tiny.csv", &bytes)]) {
            Ok(stats) => prop_assert!(stats.len() <= 3),
            Err(err) => {
                prop_assert!(err.total >= 1);
                for problem in &err.problems {
                    prop_assert!(problem.to_string().starts_with("tiny.csv"));
                }
            }
        }
    }
}

#[test]
fn the_annex_a_volumes_read_with_the_published_indicators() {
    let stats = bundled::annex_a_statistics(las()).unwrap();
    let get = |indicator: &str, area: Area| stats.get(&key(indicator, area, "2025"));
    // Devon's counts as DfE publishes them for 2024-25.
    assert_eq!(
        get("annex_a_referrals", la("878")),
        Some(Value::Number(5700.0))
    );
    assert_eq!(
        get("annex_a_cla_open", la("878")),
        Some(Value::Number(849.0))
    );
    assert_eq!(
        get("annex_a_cla_starts", la("878")),
        Some(Value::Number(335.0))
    );
    assert_eq!(
        get("annex_a_child_population", Area::England),
        Some(Value::Number(12183016.0))
    );
    // The published indicators come with them, unchanged.
    for (k, v) in real().iter() {
        assert_eq!(stats.get(k), Some(v), "{k:?}");
    }
}
