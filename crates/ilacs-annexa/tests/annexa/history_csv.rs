//! The form an LA's merged history is stored in: a CSV per list that reads back to the
//! same values with nothing to report.

use chrono::NaiveDate;
use ilacs_annexa::{
    degrade, generate, merge, read_csvs, read_workbook, write_list_csv, AnnexA, Key,
};

fn round_trip(annex: &AnnexA) {
    let files: Vec<(String, Vec<u8>)> = annex
        .lists
        .iter()
        .map(|l| (format!("list {}.csv", l.list), write_list_csv(l)))
        .collect();
    let named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let again = read_csvs(&named).unwrap();
    assert!(
        again.issues.is_empty(),
        "{:?}",
        &again.issues[..again.issues.len().min(5)]
    );
    assert_eq!(again.lists.len(), annex.lists.len());
    for (a, b) in annex.lists.iter().zip(&again.lists) {
        assert_eq!((a.list, &a.columns), (b.list, &b.columns));
        assert_eq!(a.rows_kept(), b.rows_read);
        assert!(a.rows().eq(b.rows()), "list {}", a.list);
    }
}

#[test]
fn every_list_written_as_csv_reads_back_the_same_with_nothing_to_report() {
    for (seed, dirt) in [(7, 0.0), (8, 0.1)] {
        let annex = read_workbook(&generate(200, seed, dirt).bytes).unwrap();
        assert_eq!(annex.lists.len(), 11);
        round_trip(&annex);
    }
}

#[test]
fn a_degraded_and_merged_history_reads_back_the_same() {
    let annex = read_workbook(&generate(200, 9, 0.0).bytes).unwrap();
    let key = Key::from_bytes(&[7; 32]).unwrap();
    let (history, _) = merge(
        &AnnexA::default(),
        &degrade(&annex, &key),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    // The generator's postcodes are no postcodes, so degrading blanks them; List 8 is
    // left out here, as reading drops its rows for the blank required cell.
    let mut history = history;
    history.lists.retain(|l| l.list != 8);
    round_trip(&history);
}
