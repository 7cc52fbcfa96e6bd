//! The generator's workbooks through reading and cleaning: only the injected dirt is
//! reported, and the clean workbook reads back with nothing to report.

use ilacs_annexa::{generate, read_workbook, write_clean_xlsx, Action, Injected};

fn reported(annex: &ilacs_annexa::AnnexA) -> Vec<Injected> {
    let mut found: Vec<Injected> = annex
        .issues
        .iter()
        .map(|i| Injected {
            list: i.list,
            row: i.row,
            column: i.column.clone(),
            action: i.action,
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_clean_generated_workbook_has_no_issues() {
    let generated = generate(50, 11, 0.0);
    assert!(generated.injected.is_empty());
    let annex = read_workbook(&generated.bytes).unwrap();
    let lists: Vec<(u8, usize)> = annex.lists.iter().map(|l| (l.list, l.rows_read)).collect();
    assert_eq!(lists, (1..=11).map(|l| (l, 50)).collect::<Vec<_>>());
    assert!(
        annex.issues.is_empty(),
        "{:?}",
        &annex.issues[..annex.issues.len().min(5)]
    );
}

#[test]
fn only_the_injected_dirt_is_reported_and_the_clean_workbook_is_clean() {
    for seed in [1, 2, 3] {
        let generated = generate(40, seed, 0.1);
        let annex = read_workbook(&generated.bytes).unwrap();
        assert!(
            generated.injected.len() > 100,
            "seed {seed}: enough dirt to mean something"
        );
        assert_eq!(reported(&annex), generated.injected, "seed {seed}");

        let dropped: std::collections::BTreeSet<(u8, u32)> = generated
            .injected
            .iter()
            .filter(|i| i.action == Action::RowDropped)
            .map(|i| (i.list, i.row))
            .collect();
        let kept: usize = annex.lists.iter().map(|l| l.rows_kept()).sum();
        assert_eq!(kept, 11 * 40 - dropped.len());

        let clean = write_clean_xlsx(&annex).unwrap();
        let again = read_workbook(&clean).unwrap();
        assert!(
            again.issues.is_empty(),
            "seed {seed}: {:?}",
            &again.issues[..again.issues.len().min(5)]
        );
        for (a, b) in annex.lists.iter().zip(&again.lists) {
            assert_eq!((a.list, a.rows_kept()), (b.list, b.rows_read));
            assert!(
                a.rows().eq(b.rows()),
                "list {}: the clean values read back the same",
                a.list
            );
        }
    }
}

#[test]
fn generating_is_deterministic() {
    assert_eq!(generate(5, 42, 0.2).bytes, generate(5, 42, 0.2).bytes);
    assert_ne!(generate(5, 42, 0.2).bytes, generate(5, 43, 0.2).bytes);
}
