//! The command line as an operator uses it: each test runs the real binary against its
//! own throwaway SQLite database.

use crate::support::{ilacs, Db, Run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The copy of Ofsted's workbook kept in the repository (the program ships the same).
const OUTCOMES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/published/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
);
const LOCAL_AUTHORITIES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/reference/local-authorities.csv"
);
/// A password the service accepts (12 characters or more).
const PASSWORD: (&str, &str) = ("ILACS_PASSWORD", "correct horse battery");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    added: u64,
    updated: u64,
    unchanged: u64,
}

/// The `WHAT  N added  N updated  N unchanged` lines of `ilacs import reference`.
#[track_caller]
fn import_counts(run: &Run) -> BTreeMap<String, Counts> {
    let mut found = BTreeMap::new();
    for line in run.stdout.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let n = words.len();
        if n >= 7
            && words[n - 5] == "added"
            && words[n - 3] == "updated"
            && words[n - 1] == "unchanged"
        {
            let number = |i: usize| -> u64 {
                words[i]
                    .parse()
                    .unwrap_or_else(|_| panic!("'{}' in {line:?} is not a count\n{run}", words[i]))
            };
            found.insert(
                words[..n - 6].join(" "),
                Counts {
                    added: number(n - 6),
                    updated: number(n - 4),
                    unchanged: number(n - 2),
                },
            );
        }
    }
    let kinds: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(
        kinds,
        ["activities", "local authorities", "regions"],
        "expected a count line for each kind of record\n{run}"
    );
    found
}

/// Asserts that an import changed nothing: every record counted as unchanged, and as
/// many of each as `expected` says the database holds.
#[track_caller]
fn assert_nothing_changed(run: &Run, expected: &BTreeMap<String, u64>) {
    let counts = import_counts(run);
    for (what, c) in &counts {
        assert_eq!(
            *c,
            Counts {
                added: 0,
                updated: 0,
                unchanged: expected[what],
            },
            "importing the same data again should leave every {what} record unchanged\n{run}"
        );
    }
}

/// The `users list` line for `username`, if any.
fn user_line<'a>(list: &'a Run, username: &str) -> Option<&'a str> {
    list.stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(username))
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// `len` bytes of noise, the same every run (a xorshift generator).
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn migrate_creates_the_database_and_can_run_again() {
    let db = Db::new();
    for attempt in ["first", "second"] {
        let run = db.ilacs(&["migrate"]).ok();
        assert!(
            run.stdout.contains("is up to date"),
            "the {attempt} migrate should say the database is up to date\n{run}"
        );
    }
    assert!(
        db.file().is_file(),
        "migrate should have created {}",
        db.file().display()
    );
    let list = db.ilacs(&["users", "list"]).ok();
    assert!(
        list.stdout.contains("0 users"),
        "a migrated database has the users table, and no users\n{list}"
    );
}

#[test]
fn importing_the_same_reference_data_twice_changes_nothing_the_second_time() {
    let db = Db::new();
    let first = db.ilacs(&["import", "reference"]).ok();
    assert!(
        first
            .stdout
            .contains("Imported LA_Inspection_Outcomes_as_at_31_March_2025.ods:"),
        "the import should name the workbook it used\n{first}"
    );
    let counts = import_counts(&first);
    for (what, c) in &counts {
        assert!(
            c.added > 0 && c.updated == 0 && c.unchanged == 0,
            "a first import into an empty database should only add {what}: {c:?}\n{first}"
        );
    }
    assert_eq!(
        counts["regions"].added, 8,
        "Ofsted has eight regions\n{first}"
    );
    assert!(
        counts["local authorities"].added >= 150,
        "England has about 150 local authorities\n{first}"
    );
    let held: BTreeMap<String, u64> = counts.iter().map(|(k, c)| (k.clone(), c.added)).collect();

    assert_nothing_changed(&db.ilacs(&["import", "reference"]).ok(), &held);
    // The same workbook named on the command line is the same data.
    assert_nothing_changed(
        &db.ilacs(&["import", "reference", "--outcomes", OUTCOMES])
            .ok(),
        &held,
    );
}

#[test]
fn a_damaged_file_is_refused_and_changes_nothing() {
    let db = Db::new();
    let good = import_counts(&db.ilacs(&["import", "reference"]).ok());
    let held: BTreeMap<String, u64> = good.iter().map(|(k, c)| (k.clone(), c.added)).collect();
    db.ilacs_env(
        &[
            "users",
            "add",
            "--username",
            "kept.user",
            "--name",
            "Kept User",
            "--role",
            "la_viewer",
            "--la",
            "301",
        ],
        &[PASSWORD],
    )
    .ok();
    let users_before = db.ilacs(&["users", "list"]).ok();

    let dir = db.dir.path();
    let random = dir.join("random-bytes.ods");
    std::fs::write(&random, noise(64 * 1024)).unwrap();
    let real = std::fs::read(OUTCOMES).expect("the repository's copy of the workbook");
    let truncated = dir.join("truncated.ods");
    std::fs::write(&truncated, &real[..real.len() / 2]).unwrap();
    let cases: [(&PathBuf, &str); 2] = [(&random, "not a spreadsheet"), (&truncated, "truncated")];
    for (file, problem) in cases {
        let name = file.file_name().unwrap().to_str().unwrap();
        db.ilacs(&["import", "reference", "--outcomes", path_arg(file)])
            .fails_saying(&[name, problem]);
    }

    // The LA lookup cut off part-way through a row.
    let lookup = std::fs::read_to_string(LOCAL_AUTHORITIES).expect("the repository's LA lookup");
    let cut = dir.join("cut-short.csv");
    let middle = lookup.len() / 2;
    let end = (middle..lookup.len())
        .find(|&i| lookup.is_char_boundary(i) && !lookup[..i].ends_with('\n'))
        .unwrap();
    std::fs::write(&cut, &lookup[..end]).unwrap();
    db.ilacs(&["import", "reference", "--local-authorities", path_arg(&cut)])
        .fails_saying(&["line"]);

    // A file that is not there at all.
    let missing = dir.join("no-such-workbook.ods");
    db.ilacs(&["import", "reference", "--outcomes", path_arg(&missing)])
        .fails_saying(&["no-such-workbook.ods"]);

    // Nothing was half-imported: the good data is all still there, and so is the user.
    assert_nothing_changed(&db.ilacs(&["import", "reference"]).ok(), &held);
    let users_after = db.ilacs(&["users", "list"]).ok();
    assert_eq!(
        users_after.stdout, users_before.stdout,
        "the failed imports should not have touched the users\n{users_after}"
    );
}

#[test]
fn users_are_added_listed_and_given_new_roles() {
    let db = Db::new();
    db.ilacs(&["import", "reference"]).ok();
    let add = |username: &str, role: &str, la: Option<&str>, password: &str| -> Run {
        let mut args = vec![
            "users",
            "add",
            "--username",
            username,
            "--name",
            "Test Person",
            "--role",
            role,
        ];
        if let Some(la) = la {
            args.extend(["--la", la]);
        }
        db.ilacs_env(&args, &[("ILACS_PASSWORD", password)])
    };

    let added = add("alice.smith", "la_viewer", Some("301"), PASSWORD.1).ok();
    assert!(
        added.stdout.contains("Added alice.smith"),
        "users add should confirm the new user\n{added}"
    );
    add("alice.smith", "la_viewer", Some("301"), PASSWORD.1).fails_saying(&["already exists"]);
    add("bob.jones", "la_admin", None, PASSWORD.1).fails_saying(&["needs a local authority"]);
    add("bob.jones", "la_viewer", Some("999"), PASSWORD.1).fails_saying(&["'999'"]);
    add("bob.jones", "la_viewer", Some("301"), "abcde").fails_saying(&["at least 12 characters"]);
    add("bob.jones", "not_a_role", Some("301"), PASSWORD.1).fails_saying(&["'not_a_role'"]);

    // Without ILACS_PASSWORD the password comes from standard input.
    let from_stdin = db
        .ilacs_input(
            &[
                "users",
                "add",
                "--username",
                "carol.white",
                "--name",
                "Carol White",
                "--role",
                "la_auditor",
                "--la",
                "E09000002",
            ],
            &[],
            Some("typed on standard input\n"),
        )
        .ok();
    assert!(
        from_stdin.stdout.contains("Added carol.white"),
        "users add should take the password from standard input\n{from_stdin}"
    );

    let barking = db.ilacs(&["users", "list", "--la", "E09000002"]).ok();
    let alice = user_line(&barking, "alice.smith")
        .unwrap_or_else(|| panic!("alice.smith should be listed for E09000002\n{barking}"));
    assert!(
        alice.contains("la_viewer") && alice.contains("Barking and Dagenham"),
        "alice.smith should be listed as an LA viewer of Barking and Dagenham\n{barking}"
    );
    assert!(
        user_line(&barking, "carol.white").is_some(),
        "carol.white should be listed for E09000002\n{barking}"
    );
    assert!(
        user_line(&barking, "bob.jones").is_none() && barking.stdout.contains("2 users"),
        "none of the refused additions should have created a user\n{barking}"
    );
    let devon = db.ilacs(&["users", "list", "--la", "878"]).ok();
    assert!(
        user_line(&devon, "alice.smith").is_none(),
        "alice.smith is not one of Devon's users\n{devon}"
    );
    db.ilacs(&["users", "list", "--la", "999"])
        .fails_saying(&["'999'"]);

    let moved = db
        .ilacs(&[
            "users",
            "set-role",
            "--username",
            "alice.smith",
            "--role",
            "ofsted_regional",
            "--region",
            "london",
        ])
        .ok();
    assert!(
        moved.stdout.contains("alice.smith is now") && moved.stdout.contains("London"),
        "set-role should confirm the new role and region\n{moved}"
    );
    let everyone = db.ilacs(&["users", "list"]).ok();
    let alice = user_line(&everyone, "alice.smith")
        .unwrap_or_else(|| panic!("alice.smith should still be listed\n{everyone}"));
    assert!(
        alice.contains("ofsted_regional") && alice.contains("London"),
        "alice.smith should now be Ofsted regional for London\n{everyone}"
    );
    let barking = db.ilacs(&["users", "list", "--la", "301"]).ok();
    assert!(
        user_line(&barking, "alice.smith").is_none(),
        "alice.smith no longer belongs to Barking and Dagenham\n{barking}"
    );

    db.ilacs(&[
        "users",
        "set-role",
        "--username",
        "alice.smith",
        "--role",
        "ofsted_regional",
    ])
    .fails_saying(&["needs an Ofsted region"]);
    db.ilacs(&[
        "users",
        "set-role",
        "--username",
        "nobody.here",
        "--role",
        "la_viewer",
        "--la",
        "301",
    ])
    .fails_saying(&["nobody.here"]);
}

#[test]
fn serve_refuses_a_database_url_it_does_not_support() {
    ilacs(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            "mysql://x",
        ],
        &[],
    )
    .fails_saying(&["mysql://x"]);
    ilacs(&["migrate", "--database", "mysql://x"], &[]).fails_saying(&["mysql://x"]);
}

/// Starts Barking and Dagenham's 2026-27 self-evaluation straight in the store, with
/// a strength, as the web would.
fn a_self_evaluation(db: &Db) {
    use ilacs_domain::authority::LaCode;
    use ilacs_domain::framework::Catalogue;
    use ilacs_domain::self_evaluation::{FinancialYear, Paragraph, SelfEvaluation, Structure};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ilacs_store::open(&db.url).await.unwrap();
        let mut sef = SelfEvaluation::new(
            LaCode::parse("301").unwrap(),
            FinancialYear::parse("2026-27").unwrap(),
            &Catalogue::bundled(),
            &Structure::bundled(),
        )
        .unwrap();
        sef.add_strength(Paragraph::new("Children are seen alone & heard.", vec![]).unwrap())
            .unwrap();
        store
            .create_self_evaluation(&sef, "qp.barking")
            .await
            .unwrap();
    });
}

#[test]
fn a_self_evaluation_exports_as_word_pdf_and_html_whole_or_not_at_all() {
    let db = Db::new();
    db.ilacs(&["import", "reference"]).ok();
    let out = |name: &str| db.dir.path().join(name);
    let export = |format: &str, file: &Path, extra: &[&str]| {
        let mut args = vec![
            "export",
            "self-evaluation",
            "--la",
            "E09000002",
            "--format",
            format,
            "--out",
            path_arg(file),
        ];
        args.extend_from_slice(extra);
        db.ilacs(&args)
    };
    export("pdf", &out("none.pdf"), &[])
        .fails_saying(&["Barking and Dagenham has no self-evaluation yet"]);
    assert!(!out("none.pdf").exists());

    a_self_evaluation(&db);
    for (format, magic) in [
        ("docx", &b"PK\x03\x04"[..]),
        ("pdf", &b"%PDF-"[..]),
        ("html", &b"<!DOCTYPE html>"[..]),
    ] {
        let file = out(&format!("sef.{format}"));
        let run = export(format, &file, &["--year", "2026"]).ok();
        assert!(
            run.stdout
                .contains("Barking and Dagenham's self-evaluation 2026-27, version 1"),
            "{run}"
        );
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            bytes.starts_with(magic),
            "{format}: {:?}",
            &bytes[..bytes.len().min(16)]
        );
    }
    let html = std::fs::read_to_string(out("sef.html")).unwrap();
    assert!(html.contains("Children are seen alone &amp; heard."));

    export("odt", &out("sef.odt"), &[]).fails_saying(&["--format must be docx, pdf or html"]);
    export("pdf", &out("old.pdf"), &["--year", "2031"])
        .fails_saying(&["no self-evaluation for 2031-32"]);
    export("pdf", &out("v9.pdf"), &["--version", "9"]).fails_saying(&["no version 9"]);
    let nowhere = out("missing-folder/sef.pdf");
    export("pdf", &nowhere, &[]).fails_saying(&["could not write"]);
    for name in ["sef.odt", "old.pdf", "v9.pdf"] {
        assert!(!out(name).exists(), "{name} should not be written");
    }
    let leftovers: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "no partial files are left behind");
}

/// Stores Devon's meetings straight in the store: one in 2025 with an issued letter,
/// one in 2026 with a draft only.
fn devon_meetings(db: &Db) {
    use chrono::NaiveDate;
    use ilacs_domain::aem::{AemRules, Held, Meeting, Remit, Venue};
    use ilacs_domain::authority::LaCode;
    use ilacs_domain::user::Username;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ilacs_store::open(&db.url).await.unwrap();
        for (date, issue) in [("2025-10-14", true), ("2026-10-13", false)] {
            let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            let mut m = Meeting::plan(
                LaCode::parse("878").unwrap(),
                day,
                day,
                &AemRules::bundled(),
            )
            .unwrap();
            m.record(
                Held {
                    date: day,
                    venue: Venue::La,
                    minutes: 180,
                    remit: Remit::SocialCareOnly,
                    ofsted: vec![],
                    la: vec![],
                },
                day,
            )
            .unwrap();
            m.draft_letter(
                "Annual engagement meeting with Devon".into(),
                format!("Dear Director\n\nOur meeting of {date}."),
            )
            .unwrap();
            if issue {
                m.issue_letter(day, Username::parse("hmi.southwest").unwrap())
                    .unwrap();
            }
            store.create_aem_meeting(&m, "hmi.southwest").await.unwrap();
        }
    });
}

#[test]
fn an_issued_aem_letter_exports_as_a_tagged_pdf() {
    let db = Db::new();
    db.ilacs(&["import", "reference"]).ok();
    let out = |name: &str| db.dir.path().join(name);
    let export = |file: &Path, extra: &[&str]| {
        let mut args = vec![
            "export",
            "aem-letter",
            "--la",
            "878",
            "--out",
            path_arg(file),
        ];
        args.extend_from_slice(extra);
        db.ilacs(&args)
    };
    export(&out("none.pdf"), &[])
        .fails_saying(&["Devon has no issued annual engagement meeting letter"]);
    devon_meetings(&db);
    let run = export(&out("letter.pdf"), &[]).ok();
    assert!(
        run.stdout
            .contains("Devon's annual engagement meeting letter of 14 October 2025"),
        "{run}"
    );
    assert!(std::fs::read(out("letter.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));
    export(&out("2025.pdf"), &["--year", "2025"]).ok();
    export(&out("2026.pdf"), &["--year", "2026"])
        .fails_saying(&["for 2026 has not been issued yet"]);
    export(&out("2024.pdf"), &["--year", "2024"])
        .fails_saying(&["no issued annual engagement meeting letter for 2024"]);
    for name in ["none.pdf", "2026.pdf", "2024.pdf"] {
        assert!(!out(name).exists(), "{name} should not be written");
    }
}

/// The DfE files kept in the repository (the program ships the same).
const PUBLISHED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/published");

#[test]
fn published_statistics_import_once_and_a_damaged_folder_changes_nothing() {
    let db = Db::new();
    db.ilacs(&["import", "published"])
        .fails_saying(&["run `ilacs import reference` first"]);
    db.ilacs(&["import", "reference"]).ok();
    let first = db.ilacs(&["import", "published", PUBLISHED]).ok();
    assert!(first.stdout.contains("19410 added"), "{first}");
    let second = db.ilacs(&["import", "published"]).ok();
    assert!(
        second.stdout.contains("0 added") && second.stdout.contains("19410 unchanged"),
        "the shipped copy is the same data: {second}"
    );

    // A folder where DfE renamed a column: refused, naming the file and column.
    let damaged = db.dir.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    for entry in std::fs::read_dir(PUBLISHED).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let text = if name.starts_with("c1_") {
                text.replacen("rereferral_percent", "rereferral_pct", 1)
            } else {
                text
            };
            std::fs::write(damaged.join(&name), text).unwrap();
        }
    }
    db.ilacs(&["import", "published", path_arg(&damaged)])
        .fails_saying(&[
            "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
            "rereferral_percent",
        ]);
    let after = db.ilacs(&["import", "published"]).ok();
    assert!(
        after.stdout.contains("19410 unchanged"),
        "the refused import changed nothing: {after}"
    );
}

#[test]
fn a_regions_meeting_plan_exports_as_csv_or_xlsx() {
    let db = Db::new();
    db.ilacs(&["import", "reference"]).ok();
    let csv_file = db.dir.path().join("plan.csv");
    let run = db
        .ilacs(&[
            "export",
            "aem-plan",
            "--region",
            "south-west",
            "--out",
            path_arg(&csv_file),
        ])
        .ok();
    assert!(run.stdout.contains("South West"), "{run}");
    let text = std::fs::read_to_string(&csv_file).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("LA code,Local authority,Last meeting held,Next meeting planned,Status,Next due,Proposed date,Letters overdue")
    );
    let devon = text
        .lines()
        .find(|l| l.starts_with("878,Devon,"))
        .unwrap_or_else(|| panic!("Devon's line: {text}"));
    assert!(
        devon.contains(",Overdue,"),
        "no meeting yet, so overdue: {devon}"
    );
    let xlsx = db.dir.path().join("plan.xlsx");
    db.ilacs(&[
        "export",
        "aem-plan",
        "--region",
        "south-west",
        "--out",
        path_arg(&xlsx),
    ])
    .ok();
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK\x03\x04"));

    db.ilacs(&[
        "export",
        "aem-plan",
        "--region",
        "atlantis",
        "--out",
        path_arg(&xlsx),
    ])
    .fails_saying(&["there is no Ofsted region 'atlantis'"]);
    let pdf = db.dir.path().join("plan.pdf");
    db.ilacs(&[
        "export",
        "aem-plan",
        "--region",
        "london",
        "--out",
        path_arg(&pdf),
    ])
    .fails_saying(&["--out must end in .xlsx or .csv"]);
    assert!(!pdf.exists());
}

/// `ilacs annex-a check FILE --format json`, parsed; the run must have exited `status`.
#[track_caller]
fn annex_a_check_json(file: &Path) -> serde_json::Value {
    let run = ilacs(
        &[
            "annex-a",
            "check",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(run.status.code(), Some(0), "a readable file exits 0\n{run}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one JSON object on one line\n{run}");
    serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("not JSON ({e})\n{run}"))
}

#[test]
fn annex_a_check_prints_the_lists_and_every_issue_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("annex-a.xlsx");
    let generated = ilacs_annexa::generate(30, 5, 0.05);
    std::fs::write(&file, &generated.bytes).unwrap();

    let report = annex_a_check_json(&file);
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["issues", "lists"]);
    let lists: Vec<(u64, u64)> = report["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["list"].as_u64().unwrap(), l["rows"].as_u64().unwrap()))
        .collect();
    assert_eq!(lists, (1..=11).map(|l| (l, 30)).collect::<Vec<_>>());
    let issues = report["issues"].as_array().unwrap();
    assert_eq!(issues.len(), generated.injected.len());
    for issue in issues {
        let mut keys: Vec<&String> = issue.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["action", "column", "list", "reason", "row", "value"]);
        let action = issue["action"].as_str().unwrap();
        assert!(
            ["kept", "normalised", "blanked", "row dropped"].contains(&action),
            "{issue}"
        );
    }

    let summary = ilacs(&["annex-a", "check", file.to_str().unwrap()], &[]).ok();
    assert!(
        summary.stdout.contains("List  8 Children in care"),
        "{summary}"
    );
    assert!(
        summary.stdout.contains(&format!("{} issues", issues.len())),
        "{summary}"
    );
}

#[test]
fn annex_a_files_that_cannot_be_read_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("truncated.xlsx");
    let bytes = ilacs_annexa::generate(5, 1, 0.0).bytes;
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let latin1 = dir.path().join("contacts.csv");
    std::fs::write(&latin1, b"Child Unique ID,Gender\nC1,Caf\xe9\n").unwrap();
    let missing = dir.path().join("missing.xlsx");

    for (file, words) in [
        (&truncated, &["truncated.xlsx", "truncated or damaged"][..]),
        (&latin1, &["contacts.csv", "not UTF-8", "CSV UTF-8"][..]),
        (&missing, &["missing.xlsx"][..]),
    ] {
        let run = ilacs(
            &[
                "annex-a",
                "check",
                file.to_str().unwrap(),
                "--format",
                "json",
            ],
            &[],
        )
        .fails_saying(words);
        assert_eq!(run.status.code(), Some(2), "{run}");
        assert!(run.stdout.is_empty(), "nothing on stdout\n{run}");
    }
    let out = dir.path().join("clean.xlsx");
    let run = ilacs(
        &[
            "annex-a",
            "clean",
            truncated.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.status.code(), Some(2), "{run}");
    assert!(
        !out.exists(),
        "no clean workbook from a file that could not be read"
    );
}

#[test]
fn annex_a_clean_writes_a_workbook_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dirty.xlsx");
    std::fs::write(&file, ilacs_annexa::generate(30, 9, 0.1).bytes).unwrap();
    let out = dir.path().join("clean.xlsx");
    let run = ilacs(
        &[
            "annex-a",
            "clean",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    )
    .ok();
    assert!(run.stdout.contains("11 lists"), "{run}");

    let report = annex_a_check_json(&out);
    assert_eq!(
        report["issues"],
        serde_json::json!([]),
        "the clean workbook has no issues"
    );
    assert_eq!(report["lists"].as_array().unwrap().len(), 11);
}

/// An Annex A list as CSV: every column, the given cells, a valid value in every other
/// required cell.
fn annex_a_csv(list: u8, rows: &[&[(&str, &str)]]) -> Vec<u8> {
    use ilacs_annexa::schema::ColumnType;
    let schema = ilacs_annexa::Schema::bundled();
    let def = schema.list(list).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(def.columns.iter().map(|c| c.name.as_str()))
        .unwrap();
    for row in rows {
        out.write_record(def.columns.iter().map(|c| {
            let given = row.iter().find(|(name, _)| *name == c.name);
            match (given, c.kind) {
                (Some((_, text)), _) => text.to_string(),
                _ if !c.required => String::new(),
                (None, ColumnType::Code(set)) => schema.code_sets[set].values[0].clone(),
                (None, ColumnType::Date) => "01/01/2024".into(),
                (None, ColumnType::Integer) => "0".into(),
                (None, _) => "Team A".into(),
            }
        }))
        .unwrap();
    }
    out.into_inner().unwrap()
}

/// A column of a list in a workbook `ilacs` wrote.
fn annex_a_column(file: &Path, list: u8, name: &str) -> Vec<ilacs_annexa::Value> {
    let annex = ilacs_annexa::read_workbook(&std::fs::read(file).unwrap()).unwrap();
    assert!(annex.issues.is_empty(), "{:?}", annex.issues);
    let def = ilacs_annexa::Schema::bundled().list(list).unwrap();
    let clean = annex.lists.iter().find(|l| l.list == list).unwrap();
    let at = clean
        .columns
        .iter()
        .position(|&c| def.columns[c].name == name)
        .unwrap();
    clean.rows().map(|row| row[at].clone()).collect()
}

#[test]
fn annex_a_degrade_pseudonymises_with_the_key_and_coarsens_births_and_postcodes() {
    use chrono::Datelike;
    use ilacs_annexa::Value;
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let contacts = path("contacts.csv");
    let in_care = path("children-in-care.csv");
    std::fs::write(
        &contacts,
        annex_a_csv(
            1,
            &[
                &[
                    ("Child Unique ID", "100234"),
                    ("Date of Birth", "15/06/2012"),
                ],
                &[
                    ("Child Unique ID", "100235"),
                    ("Date of Birth", "31/12/2015"),
                ],
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        &in_care,
        annex_a_csv(
            8,
            &[
                &[
                    ("Child Unique ID", "100234"),
                    ("Date of Birth", "15/06/2012"),
                    ("Placement postcode", "E20 1LP"),
                ],
                &[
                    ("Child Unique ID", "100236"),
                    ("Date of Birth", "01/02/2009"),
                    ("Placement postcode", "sw1a 2aa"),
                ],
            ],
        ),
    )
    .unwrap();
    std::fs::write(path("la.key"), [7u8; 32]).unwrap();
    // A key typed into a text file, line break and all.
    std::fs::write(path("other.key"), "another secret of the LA's\n").unwrap();

    let degrade = |key: &str, out: &str| {
        ilacs(
            &[
                "annex-a",
                "degrade",
                contacts.to_str().unwrap(),
                in_care.to_str().unwrap(),
                "--key-file",
                path(key).to_str().unwrap(),
                "--out",
                path(out).to_str().unwrap(),
            ],
            &[],
        )
    };
    let run = degrade("la.key", "first.xlsx").ok();
    assert!(run.stdout.contains("2 lists, 4 rows"), "{run}");
    degrade("la.key", "again.xlsx").ok();
    degrade("other.key", "other.xlsx").ok();

    let ids = |file: &str, list| annex_a_column(&path(file), list, "Child Unique ID");
    let first = ids("first.xlsx", 1);
    assert_eq!(first.len(), 2);
    for id in &first {
        let Value::Text(t) = id else { panic!("{id:?}") };
        assert!(
            t.len() == 20 && t.bytes().all(|b| b.is_ascii_hexdigit()),
            "{t}"
        );
        assert!(!["100234", "100235"].contains(&t.as_ref()));
    }
    assert_eq!(ids("again.xlsx", 1), first, "the same key, the same IDs");
    assert_eq!(ids("again.xlsx", 8), ids("first.xlsx", 8));
    // Child 100234 is in both lists: one pseudonym links them.
    assert_eq!(ids("first.xlsx", 8)[0], first[0]);
    let other = ids("other.xlsx", 1);
    assert!(
        other.iter().zip(&first).all(|(a, b)| a != b),
        "another key, other IDs"
    );

    for list in [1, 8] {
        let births = annex_a_column(&path("first.xlsx"), list, "Date of Birth");
        assert!(
            births
                .iter()
                .all(|b| matches!(b, Value::Date(d) if d.day() == 1)),
            "{births:?}"
        );
    }
    assert_eq!(
        annex_a_column(&path("first.xlsx"), 8, "Placement postcode"),
        [Value::Text("E20 1".into()), Value::Text("SW1A 2".into())]
    );

    // A key too short, or missing, is refused before anything is written.
    std::fs::write(path("short.key"), "secret\n").unwrap();
    for key in ["short.key", "missing.key"] {
        let run = degrade(key, "refused.xlsx")
            .fails_saying(&[key, "head -c 32 /dev/urandom > annex-a.key"]);
        assert_eq!(run.status.code(), Some(1), "{run}");
    }
    assert!(!path("refused.xlsx").exists());
    // A file that cannot be read: exit 2, as the other annex-a commands.
    std::fs::write(&contacts, b"Child Unique ID,Gender\nC1,Caf\xe9\n").unwrap();
    let run = degrade("la.key", "refused.xlsx");
    assert_eq!(run.status.code(), Some(2), "{run}");
    assert!(!path("refused.xlsx").exists());
}

#[test]
fn annex_a_indicators_for_a_reference_date_as_json_and_text() {
    let dir = tempfile::tempdir().unwrap();
    // R = 31 March 2026, so the 6 months start on 1 October 2025. Contacts in them:
    // B and C (A's is the day before). B's referral 14 days later converts: 1 of 2.
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(
        &contacts,
        "Child Unique ID,Gender,Ethnicity,Date of Contact,Contact Source\n\
         A,a) Male,a) WBRI,30/09/2025,6\n\
         B,a) Male,a) WBRI,01/10/2025,6\n\
         C,b) Female,a) WBRI,31/03/2026,2A\n",
    )
    .unwrap();
    let referrals = dir.path().join("referrals.csv");
    std::fs::write(
        &referrals,
        "Child Unique ID,Gender,Ethnicity,Date of referral,Referral Source,Referral NFA?,\
         Number of Referrals in Last 12 Months,Allocated Team,Allocated Worker\n\
         B,a) Male,a) WBRI,15/10/2025,6,b) No,1,Team 1,Ann\n",
    )
    .unwrap();
    let files = [path_arg(&contacts), path_arg(&referrals)];
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "annex-a",
            "indicators",
            files[0],
            files[1],
            "--as-at",
            "2026-03-31",
        ];
        a.extend_from_slice(extra);
        a
    };

    let run = ilacs(&args(&["--format", "json"]), &[]).ok();
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(report["as_at"], "2026-03-31");
    assert_eq!(report["window_start"], "2025-10-01");
    let by_id = |id: &str| {
        report["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no {id}\n{run}"))
            .clone()
    };
    assert_eq!(by_id("contacts")["numerator"], 2);
    let conversion = by_id("contact_conversion");
    assert_eq!(
        (&conversion["numerator"], &conversion["denominator"]),
        (&serde_json::json!(1), &serde_json::json!(2))
    );
    assert_eq!(conversion["children"][0]["child"], "B");
    assert_eq!(conversion["children"][0]["numerator"], true);
    assert_eq!(by_id("re_referral")["published"], "re_referral_rate");
    assert_eq!(
        by_id("cla_health")["unavailable"],
        "List 8 (Children in care) is missing"
    );

    let text = ilacs(&args(&[]), &[]).ok();
    for line in [
        "Annex A indicators at 31 March 2026 (periods: the 6 months from 1 October 2025)",
        "Contacts: 2",
        "Contacts becoming referrals: 50.0% (1/2)",
        "Re-referrals within 12 months: 100.0% (1/1)",
        "Health assessments up to date: not available: List 8 (Children in care) is missing",
    ] {
        assert!(text.stdout.lines().any(|l| l == line), "{line:?}\n{text}");
    }

    // The LA's own standard: a referral within 10 days of the contact.
    let stricter = ilacs(&args(&["--threshold", "contact_conversion.days=10"]), &[]).ok();
    assert!(
        stricter
            .stdout
            .contains("Contacts becoming referrals: 0.0% (0/2)"),
        "{stricter}"
    );
    ilacs(&args(&["--threshold", "contact_conversion.weeks=1"]), &[])
        .fails_saying(&["no threshold 'weeks'", "its thresholds: days"]);

    let bad = ilacs(
        &["annex-a", "indicators", files[0], "--as-at", "31/03/2026"],
        &[],
    )
    .fails_saying(&["--as-at", "YYYY-MM-DD", "2026-03-31"]);
    assert!(bad.stdout.is_empty(), "{bad}");
}

#[test]
fn annex_a_indicators_are_all_computed_from_a_full_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("annex-a.xlsx");
    std::fs::write(&file, ilacs_annexa::generate(40, 3, 0.02).bytes).unwrap();
    let run = ilacs(
        &[
            "annex-a",
            "indicators",
            path_arg(&file),
            "--as-at",
            "2026-03-31",
            "--format",
            "json",
        ],
        &[],
    )
    .ok();
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    let indicators = report["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 30);
    for i in indicators {
        assert_eq!(i["unavailable"], serde_json::Value::Null, "{}", i["id"]);
    }
}

/// `N pieces of dirt injected` and the per-list rows, from `annex-a generate`'s output.
fn generated_counts(run: &Run) -> (usize, Vec<(u64, u64)>) {
    let dirt = run
        .stdout
        .split_once(" pieces of dirt injected")
        .and_then(|(before, _)| before.rsplit('(').next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no count of dirt\n{run}"));
    let rows = run
        .stdout
        .lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("List")?;
            let list: u64 = l.split_whitespace().next()?.parse().ok()?;
            let rows: u64 = l.split_whitespace().last()?.replace(',', "").parse().ok()?;
            Some((list, rows))
        })
        .collect();
    (dirt, rows)
}

/// What `annex-a check --format json` found: (list, rows) and the number of issues.
fn checked(files: &[&Path]) -> (Vec<(u64, u64)>, usize) {
    let mut args = vec!["annex-a", "check"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.extend(["--format", "json"]);
    let run = ilacs(&args, &[]).ok();
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    let lists = report["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["list"].as_u64().unwrap(), l["rows"].as_u64().unwrap()))
        .collect();
    (lists, report["issues"].as_array().unwrap().len())
}

#[test]
fn annex_a_generate_writes_devon_s_return_that_checks_with_exactly_its_dirt() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("devon.xlsx");
    let run = ilacs(
        &[
            "annex-a",
            "generate",
            "--la",
            "878",
            "--seed",
            "1",
            "--out",
            path_arg(&xlsx),
        ],
        &[],
    )
    .ok();
    assert!(run.stdout.contains("Devon (878)"), "{run}");
    let (dirt, rows) = generated_counts(&run);
    assert_eq!(rows.len(), 11, "rows of every list\n{run}");
    assert!(dirt > 0, "the default share of dirt is not none\n{run}");
    // Reading reports exactly what was injected, and every row.
    assert_eq!(checked(&[&xlsx]), (rows.clone(), dirt));

    // The same return as CSV files, by the LA's area code; and again, byte for byte.
    let csv = dir.path().join("devon");
    let run = ilacs(
        &[
            "annex-a",
            "generate",
            "--la",
            "E10000008",
            "--seed",
            "1",
            "--format",
            "csv",
            "--out",
            path_arg(&csv),
        ],
        &[],
    )
    .ok();
    assert_eq!(generated_counts(&run), (dirt, rows.clone()));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&csv)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 11, "one CSV per list, nothing left over");
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    assert_eq!(checked(&paths), (rows, dirt));
    let again = dir.path().join("again.xlsx");
    ilacs(
        &[
            "annex-a",
            "generate",
            "--la",
            "878",
            "--seed",
            "1",
            "--out",
            path_arg(&again),
        ],
        &[],
    )
    .ok();
    assert_eq!(
        std::fs::read(&xlsx).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn annex_a_generate_refuses_an_unknown_la_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xlsx");
    for (code, words) in [
        ("999", &["no local authority has the code '999'"][..]),
        (
            "E99999999",
            &["no local authority has the code 'E99999999'"][..],
        ),
        ("Devon", &["'Devon' is not an LA code", "three digits"][..]),
    ] {
        let run = ilacs(
            &["annex-a", "generate", "--la", code, "--out", path_arg(&out)],
            &[],
        )
        .fails_saying(words);
        assert_eq!(run.status.code(), Some(1), "{run}");
    }
    ilacs(
        &[
            "annex-a",
            "generate",
            "--la",
            "878",
            "--dirt",
            "2",
            "--out",
            path_arg(&out),
        ],
        &[],
    )
    .fails_saying(&["--dirt must be a share from 0 to 1"]);
    assert!(!out.exists());
}

#[test]
fn annex_a_generate_all_writes_every_la_and_the_bench_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("national");
    // A hundredth of the real volumes: every LA, quickly.
    let run = ilacs(
        &[
            "annex-a",
            "generate",
            "--all",
            "--scale",
            "0.01",
            "--jobs",
            "2",
            "--out",
            path_arg(&out),
        ],
        &[],
    )
    .ok();
    assert!(run.stdout.contains("Wrote 153 LAs"), "{run}");
    assert!(
        run.stderr.is_empty(),
        "no progress bar drawn when stderr is not a terminal\n{run}"
    );
    let devon = out.join("878-devon");
    assert_eq!(std::fs::read_dir(&devon).unwrap().count(), 11);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 153);
    ilacs(
        &[
            "annex-a",
            "generate",
            "--all",
            "--format",
            "xlsx",
            "--out",
            path_arg(&out),
        ],
        &[],
    )
    .fails_saying(&["--all writes CSV"]);

    let (_, rows) = generated_counts(&run);
    let total: u64 = rows.iter().map(|(_, n)| n).sum();
    let bench = ilacs(
        &[
            "annex-a",
            "bench",
            "--national",
            path_arg(&out),
            "--threads",
            "2",
        ],
        &[],
    )
    .ok();
    assert!(bench.stdout.contains("National: 153 LAs"), "{bench}");
    let words: Vec<String> = bench.stdout.split_whitespace().map(String::from).collect();
    assert!(
        words.contains(&thousands(total)),
        "the bench read every row generated ({total})\n{bench}"
    );
    assert!(
        bench.stdout.contains("rows/s") && bench.stdout.contains("peak"),
        "{bench}"
    );
}

#[test]
fn annex_a_bench_times_check_and_clean_of_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("small.xlsx");
    std::fs::write(&file, ilacs_annexa::generate(200, 3, 0.02).bytes).unwrap();
    let run = ilacs(&["annex-a", "bench", path_arg(&file), "--runs", "2"], &[]).ok();
    for words in [
        "2,200 rows in 11 lists",
        "check (read_workbook)",
        "clean (read + write_clean_xlsx)",
        "rows/s",
        " MB",
    ] {
        assert!(run.stdout.contains(words), "{words}\n{run}");
    }
    let missing = dir.path().join("missing.xlsx");
    let run = ilacs(
        &["annex-a", "bench", path_arg(&missing), "--runs", "1"],
        &[],
    );
    assert_eq!(
        run.status.code(),
        Some(2),
        "an unreadable file exits 2\n{run}"
    );
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
