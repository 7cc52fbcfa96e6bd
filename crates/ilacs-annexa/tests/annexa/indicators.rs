//! The indicators on small hand-made lists, each answer worked out by hand beside its
//! rows. Unless a test says otherwise R is Tuesday 31 March 2026, so W runs from
//! 1 October 2025 to 31 March 2026; 25 and 26 December 2025 and 1 January 2026 are
//! bank holidays.

use chrono::NaiveDate;
use ilacs_annexa::indicators::{compute, Detail, Indicator, Report, Settings};
use ilacs_annexa::schema::ColumnType;
use ilacs_annexa::{read_csvs, Action, AnnexA, Schema};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
}

fn r() -> NaiveDate {
    d("31/03/2026")
}

/// List `number` as CSV text: `text`'s header (canonical column names) and rows, with
/// `#` comments dropped, plus each required column `text` leaves out, filled with a
/// valid value (the first code of its set, 01/01/2020, 0 or "X").
fn list(number: u8, text: &str) -> String {
    let def = Schema::bundled().list(number).unwrap();
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::trim).collect())
        .collect();
    let given = &lines[0];
    let mut extra: Vec<(&str, String)> = Vec::new();
    for c in &def.columns {
        if c.required && !given.contains(&c.name.as_str()) {
            let value = match c.kind {
                ColumnType::Code(set) => Schema::bundled().code_sets[set].values[0].clone(),
                ColumnType::Date => "01/01/2020".into(),
                ColumnType::Integer => "0".into(),
                ColumnType::Text | ColumnType::Id => "X".into(),
            };
            extra.push((&c.name, value));
        }
    }
    // Written by a CSV writer: some required headers hold commas.
    let mut out = csv::Writer::from_writer(Vec::new());
    for (i, cells) in lines.iter().enumerate() {
        assert_eq!(
            cells.len(),
            given.len(),
            "list {number}, line {i}: {cells:?}"
        );
        let mut row: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        for (name, value) in &extra {
            row.push(if i == 0 {
                name.to_string()
            } else {
                value.clone()
            });
        }
        out.write_record(&row).unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

/// The lists read as CSV files; every row must be read whole.
#[track_caller]
fn annex(lists: &[(u8, &str)]) -> AnnexA {
    let files: Vec<(String, String)> = lists
        .iter()
        .map(|(n, text)| (format!("list{n}.csv"), list(*n, text)))
        .collect();
    let named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let annex = read_csvs(&named).unwrap();
    let bad: Vec<_> = annex
        .issues
        .iter()
        .filter(|i| i.row > 1 && matches!(i.action, Action::Blanked | Action::RowDropped))
        .collect();
    assert!(bad.is_empty(), "the test's rows should read clean: {bad:?}");
    annex
}

fn report<'a>(annex: &'a AnnexA, settings: &Settings) -> Report<'a> {
    compute(annex, r(), settings)
}

#[track_caller]
fn get<'r, 'a>(report: &'r Report<'a>, id: &str) -> &'r Indicator<'a> {
    let ind = report
        .get(id)
        .unwrap_or_else(|| panic!("no indicator {id}"));
    assert_eq!(ind.unavailable, None, "{id}");
    ind
}

/// Asserts numerator, denominator and the percentage.
#[track_caller]
fn fraction(ind: &Indicator<'_>, numerator: u64, denominator: u64) {
    assert_eq!(
        (ind.numerator, ind.denominator),
        (Some(numerator), Some(denominator)),
        "{}",
        ind.id
    );
    let expected = numerator as f64 * 100.0 / denominator as f64;
    assert!(
        ind.value.is_some_and(|v| (v - expected).abs() < 1e-9),
        "{}: {:?}",
        ind.id,
        ind.value
    );
}

/// The drill-down rows behind the fraction: (child, row index, counts in numerator).
fn rows<'a>(ind: &Indicator<'a>) -> Vec<(&'a str, u32, bool)> {
    ind.children
        .iter()
        .filter(|c| c.figure.is_none())
        .map(|c| (c.child, c.index, c.numerator))
        .collect()
}

fn figure(ind: &Indicator<'_>, id: &str) -> Option<f64> {
    ind.figures
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{}: no figure {id}", ind.id))
        .value
}

/// (label, numerator, denominator) of each breakdown part.
fn parts(ind: &Indicator<'_>) -> Vec<(String, u64, Option<u64>)> {
    ind.breakdown
        .iter()
        .map(|b| (b.label.clone(), b.numerator, b.denominator))
        .collect()
}

const CONTACTS: &str = "
    Child Unique ID, Date of Contact, Contact Source
    A, 30/09/2025, 6    # 0: R - 6 months, the day before W: out
    B, 01/10/2025, 6    # 1: W's first day: in
    C, 15/10/2025, 2A   # 2: in
    C, 20/12/2025, 3A   # 3: in (C's second contact)
    D, 31/03/2026, 1A   # 4: R itself: in
    E, 01/04/2026, 8    # 5: after R: out
    F, 10/01/2026, 6    # 6: in
";

const REFERRALS: &str = "
    Child Unique ID, Date of referral, Referral Source, Referral NFA?, Number of Referrals in Last 12 Months
    B, 31/10/2025, 6,  b) No,  0  # 0: in W; 30 days after B's contact
    C, 10/01/2026, 2A, a) Yes, 2  # 1: in W; 87 days after C's first contact, 21 after the second
    D, 31/03/2026, 1A, b) No,  1  # 2: in W; the day of D's contact
    F, 09/01/2026, 6,  b) No,  0  # 3: in W; the day before F's contact
    G, 30/09/2025, 6,  a) Yes, 3  # 4: the day before W: out
    H, 01/04/2026, 5A, a) Yes, 1  # 5: after R: out
";

#[test]
fn contacts_and_referrals_count_the_six_months_to_r_by_source() {
    let annex = annex(&[(1, CONTACTS), (3, REFERRALS)]);
    let report = report(&annex, &Settings::bundled());
    assert_eq!(report.window_start, d("01/10/2025"));

    // Contacts in W: B, C, C, D, F = 5 (A on R - 6 months and E after R are out).
    let contacts = get(&report, "contacts");
    assert_eq!((contacts.numerator, contacts.denominator), (Some(5), None));
    assert_eq!(contacts.value, Some(5.0));
    assert_eq!(
        rows(contacts),
        [
            ("B", 1, true),
            ("C", 2, true),
            ("C", 3, true),
            ("D", 4, true),
            ("F", 6, true)
        ]
    );
    // By source: 1A individual (D); 2A schools (C); 3A health (C); 6 police (B, F).
    assert_eq!(
        parts(contacts),
        [
            ("Individual".into(), 1, Some(5)),
            ("Schools and education services".into(), 1, Some(5)),
            ("Health services".into(), 1, Some(5)),
            ("Police".into(), 2, Some(5)),
        ]
    );

    // Referrals in W: B, C, D, F = 4 (G the day before W, H after R).
    let referrals = get(&report, "referrals");
    assert_eq!(referrals.numerator, Some(4));
    assert_eq!(
        parts(referrals),
        [
            ("Individual".into(), 1, Some(4)),
            ("Schools and education services".into(), 1, Some(4)),
            ("Police".into(), 2, Some(4)),
        ]
    );
    // Re-referrals: 1 or more earlier referrals: C (2), D (1) of 4.
    let re = get(&report, "re_referral");
    fraction(re, 2, 4);
    assert_eq!(
        rows(re),
        [
            ("B", 0, false),
            ("C", 1, true),
            ("D", 2, true),
            ("F", 3, false)
        ]
    );
    assert_eq!(re.published, Some("re_referral_rate"));
    // NFA: C of 4.
    fraction(get(&report, "referral_nfa"), 1, 4);
}

#[test]
fn contacts_convert_when_a_referral_follows_within_30_days() {
    let annex = annex(&[(1, CONTACTS), (3, REFERRALS)]);
    let report = report(&annex, &Settings::bundled());
    // Children with a contact in W: B, C, D, F. Converted: B (referral 30 days after,
    // the last day that counts), C (second contact, 21 days), D (same day). F's
    // referral came the day before the contact. 3 of 4; C's row is the contact that
    // converted (index 3), not the first.
    let c = get(&report, "contact_conversion");
    fraction(c, 3, 4);
    assert_eq!(
        rows(c),
        [
            ("B", 1, true),
            ("C", 3, true),
            ("D", 4, true),
            ("F", 6, false)
        ]
    );
    let days: Vec<Option<Detail>> = c.children.iter().map(|c| c.detail).collect();
    assert_eq!(
        days,
        [
            Some(Detail::Days(30)),
            Some(Detail::Days(21)),
            Some(Detail::Days(0)),
            None
        ]
    );

    // At 20 days B (30) and C (21) no longer convert: D alone, 1 of 4.
    let mut settings = Settings::bundled();
    settings.set("contact_conversion", "days", 20).unwrap();
    let report = compute(&annex, r(), &settings);
    let c = get(&report, "contact_conversion");
    fraction(c, 1, 4);
    assert!(c.definition.contains("within 20 days"), "{}", c.definition);
}

const ASSESSMENTS: &str = "
    Child Unique ID, Continuous Assessment Start Date, Continuous Assessment Date of Authorisation, Child Seen During Continuous Assessment
    P, 03/11/2025, 08/01/2026, a) Yes  # 0: 45 working days (37 to 24 Dec; 25, 26 Dec and 1 Jan are holidays; 40 by 31 Dec, 41 on 2 Jan, 45 on 8 Jan)
    Q, 03/11/2025, 09/01/2026, b) No   # 1: 46 working days
    S, 01/10/2025, ,           a) Yes  # 2: open at R, 126 working days old
    T, 20/03/2026, ,           b) No   # 3: open, 7 working days old
    U, 01/02/2026, 31/01/2026, a) Yes  # 4: authorised the day before it started: a date error
    V, 01/06/2025, 15/09/2025, a) Yes  # 5: authorised before W
    W, 15/03/2026, 01/04/2026, a) Yes  # 6: authorised after R, so open at R: 12 working days
";

#[test]
fn assessments_count_working_days_across_christmas() {
    let annex = annex(&[(4, ASSESSMENTS)]);
    let report = report(&annex, &Settings::bundled());
    // Authorised in W: P, Q, U; U (before its start) is left out. P within 45, Q not:
    // 1 of 2. Counting weekdays alone P would be 48, and late.
    let a = get(&report, "assessment_45wd");
    fraction(a, 1, 2);
    assert_eq!(rows(a), [("P", 0, true), ("Q", 1, false)]);
    assert_eq!(
        (a.children[0].detail, a.children[1].detail),
        (Some(Detail::WorkingDays(45)), Some(Detail::WorkingDays(46)))
    );
    // Open at R and past 45 working days: S alone (T is 7, W 12).
    assert_eq!(figure(a, "open_past_limit"), Some(1.0));
    let past: Vec<_> = a
        .children
        .iter()
        .filter(|c| c.figure == Some("open_past_limit"))
        .map(|c| (c.child, c.index, c.detail))
        .collect();
    assert_eq!(past, [("S", 2, Some(Detail::WorkingDays(126)))]);
    assert_eq!(figure(a, "date_errors"), Some(1.0));
    assert!(a.notes.is_empty(), "{:?}", a.notes);

    // Seen, of those authorised in W (P, Q, U): P and U, 2 of 3.
    fraction(get(&report, "assessment_seen"), 2, 3);

    // A 46-day standard takes Q in too: 2 of 2; S is still past it.
    let mut settings = Settings::bundled();
    settings.set("assessment_45wd", "working_days", 46).unwrap();
    let report = compute(&annex, r(), &settings);
    let a = get(&report, "assessment_45wd");
    fraction(a, 2, 2);
    assert_eq!(a.name, "Assessments completed within 46 working days");
    assert_eq!(figure(a, "open_past_limit"), Some(1.0));
}

#[test]
fn dates_outside_the_bank_holiday_calendar_count_weekdays_and_say_so() {
    // The calendar covers 2018 to 2028. Started Friday 15 December 2017, authorised in
    // W: far over 45 working days whatever 2017's holidays were; judged, and noted.
    let annex = annex(&[(
        4,
        "
        Child Unique ID, Continuous Assessment Start Date, Continuous Assessment Date of Authorisation, Child Seen During Continuous Assessment
        X, 15/12/2017, 15/01/2026, a) Yes
        ",
    )]);
    let report = report(&annex, &Settings::bundled());
    let a = get(&report, "assessment_45wd");
    fraction(a, 0, 1);
    assert_eq!(a.notes.len(), 1);
    assert!(
        a.notes[0].contains("1 row has a date outside the bank holiday calendar (1 January 2018 to 31 December 2028)"),
        "{}",
        a.notes[0]
    );
}

#[test]
fn section_47_enquiries_and_conferences() {
    let annex = annex(&[(
        5,
        "
        Child Unique ID, Strategy discussion initiating Section 47 Enquiry Start Date, Was an Initial Child Protection Conference deemed unnecessary?, Date of Initial Child Protection Conference, Did the Initial Child Protection Conference Result in a Child Protection Plan
        J, 10/12/2025, b) No,  05/01/2026, a) Yes  # 0: 15 working days across Christmas; a plan
        K, 10/12/2025, b) No,  06/01/2026, b) No   # 1: 16 working days; no plan
        L, 01/03/2026, a) Yes, ,                   # 2: no conference needed
        M, 20/03/2026, ,       ,                   # 3: no conference yet
        N, 15/09/2025, b) No,  02/10/2025, a) Yes  # 4: enquiry before W, conference in W: 13 working days; a plan
        O, 01/03/2026, b) No,  28/02/2026, a) Yes  # 5: conference the day before the strategy discussion; a plan
        ",
    )]);
    let report = report(&annex, &Settings::bundled());
    // Conferences in W: J, K, N, O; O is a date error. Within 15: J, N. 2 of 3.
    let timely = get(&report, "s47_icpc_15wd");
    fraction(timely, 2, 3);
    assert_eq!(
        rows(timely),
        [("J", 0, true), ("K", 1, false), ("N", 4, true)]
    );
    assert_eq!(figure(timely, "date_errors"), Some(1.0));
    // Enquiries started in W: J, K, L, M, O (N before W). With a conference: J, K, O.
    let to_icpc = get(&report, "s47_to_icpc");
    fraction(to_icpc, 3, 5);
    // M's outcome is not known yet (L's conference was found unnecessary).
    assert_eq!(figure(to_icpc, "awaiting_outcome"), Some(1.0));
    // Conferences in W: J, K, N, O. A plan: J, N, O. 3 of 4.
    fraction(get(&report, "icpc_to_cpp"), 3, 4);
}

const PLANS: &str = "
    Child Unique ID, Child Protection Plan Start Date, Date of the Last Statutory Visit, Date of latest review conference, Child Protection Plan End Date, Number of Previous Child Protection Plans
    CP1, 01/01/2024, 17/03/2026, 01/10/2025, ,           0  # 0: open; over 2 years; visit 10 wd before R; review 1 day inside 6 months
    CP2, 15/11/2025, 16/03/2026, ,           ,           2  # 1: open; in W, a subsequent plan; visit 11 wd; no review and started over 3 months ago
    CP3, 15/01/2026, ,           ,           ,           0  # 2: open; in W; no visit, started 52 wd ago; no review, started within 3 months
    CP4, 01/04/2024, 30/03/2026, 29/09/2025, ,           1  # 3: open; a day short of 2 years; visit 1 wd; review a day too old
    CP5, 01/10/2025, ,           ,           15/02/2026, 0  # 4: W's first day; ended before R
    CP6, 30/09/2025, ,           ,           ,           3  # 5: open; started the day before W; no visit or review since
    CP7, 20/03/2026, ,           ,           ,           0  # 6: open; in W; no visit, started 7 wd ago; no review, new
    CP7, 01/01/2020, ,           ,           ,           0  # 7: an old plan never closed: CP7 counts once, by the newer plan
";

#[test]
fn child_protection_plans() {
    let annex = annex(&[(7, PLANS)]);
    let report = report(&annex, &Settings::bundled());
    // Starting in W: CP2, CP3, CP5, CP7 (row 6); CP6 started the day before W. With
    // previous plans: CP2. 1 of 4.
    let subsequent = get(&report, "cpp_subsequent");
    fraction(subsequent, 1, 4);
    assert_eq!(
        rows(subsequent),
        [
            ("CP2", 1, true),
            ("CP3", 2, false),
            ("CP5", 4, false),
            ("CP7", 6, false)
        ]
    );
    assert_eq!(subsequent.published, Some("cpp_subsequent_rate"));

    // Open at R, one row per child: CP1, CP2, CP3, CP4, CP6, CP7 (row 6) = 6.
    // Started on or before 31 March 2024: CP1 (CP4 started 1 April 2024). 1 of 6.
    let long = get(&report, "cpp_2yrs");
    fraction(long, 1, 6);
    assert_eq!(
        rows(long),
        [
            ("CP1", 0, true),
            ("CP2", 1, false),
            ("CP3", 2, false),
            ("CP4", 3, false),
            ("CP6", 5, false),
            ("CP7", 6, false)
        ]
    );
    // Visited within 10 working days: CP1 (17 March: 10), CP4 (1), CP7 (no visit,
    // started 7 working days ago). 3 of 6.
    fraction(get(&report, "cpp_visits"), 3, 6);
    // Reviews: within 6 months (from 30 September 2025): CP1; no review, started
    // within 3 months (from 31 December 2025): CP3, CP7. 3 of 6.
    let reviews = get(&report, "cpp_reviews");
    fraction(reviews, 3, 6);
    assert_eq!(
        rows(reviews)
            .iter()
            .filter(|r| r.2)
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        ["CP1", "CP3", "CP7"]
    );

    // An LA standard of 11 working days takes CP2 in too: 4 of 6.
    let mut settings = Settings::bundled();
    settings.set("cpp_visits", "working_days", 11).unwrap();
    let report = compute(&annex, r(), &settings);
    fraction(get(&report, "cpp_visits"), 4, 6);
}

#[test]
fn children_in_need_seen_within_20_working_days() {
    let annex = annex(&[(
        6,
        "
        Child Unique ID, CIN Start Date, Date Child Was Last Seen, CIN Closure Date, Case Status
        N1, 01/01/2025, 03/03/2026, ,           c) Child in need plan    # 0: seen 20 working days before R
        N2, 01/01/2025, 02/03/2026, ,           c) Child in need plan    # 1: 21 working days
        N3, 01/01/2025, 01/03/2026, 15/03/2026, c) Child in need plan    # 2: closed before R: out
        N4, 01/01/2025, 31/03/2026, ,           b) Child Protection plan # 3: not a CIN plan: out
        N5, 10/03/2026, ,           ,           c) Child in need plan    # 4: not seen yet; started 15 working days ago
        N6, ,           ,           ,           c) Child in need plan    # 5: no dates at all: cannot be in time
        N7, 01/01/2025, 01/04/2026, ,           c) Child in need plan    # 6: seen after R, not known at R; started long ago
        ",
    )]);
    let report = report(&annex, &Settings::bundled());
    // On a CIN plan at R: N1, N2, N5, N6, N7. In time: N1, N5. 2 of 5.
    let seen = get(&report, "cin_seen");
    fraction(seen, 2, 5);
    assert_eq!(
        rows(seen),
        [
            ("N1", 0, true),
            ("N2", 1, false),
            ("N5", 4, true),
            ("N6", 5, false),
            ("N7", 6, false)
        ]
    );
}

#[test]
fn children_in_care_placements_and_stability() {
    // Under 16 at R: born after 31 March 2010. In care 2.5 years: since 30 September
    // 2023 or before. Placement 2 years: since 31 March 2024 or before.
    let annex = annex(&[(
        8,
        "
        Child Unique ID, Date of Birth, Date Started to be Looked After, Date Ceased to be Looked After, Number of Placements in the Last 12 months, Start Date of Most Recent Placement, Placement Location
        L1, 01/04/2010, 30/09/2023, ,           1, 31/03/2024, a) In   # 0: 15; exactly 2.5 years in care, exactly 2 in placement: stable
        L2, 31/03/2010, 01/01/2020, ,           3, 01/01/2021, b) Out  # 1: 16 on R: not under 16
        L3, 01/01/2015, 01/10/2023, ,           2, 01/01/2022, b) Out  # 2: a day short of 2.5 years in care
        L4, 01/01/2015, 01/01/2022, ,           4, 01/04/2024, a) In   # 3: a day short of 2 years in placement
        L5, ,           01/01/2022, ,           0, 01/01/2023, a) In   # 4: age not known
        L6, 01/01/2015, 01/01/2022, 31/03/2026, 5, 01/01/2023, b) Out  # 5: ceased on R: not in care at R
        L7, 01/01/2015, 01/04/2026, ,           0, 01/04/2026, a) In   # 6: started after R
        ",
    )]);
    let report = report(&annex, &Settings::bundled());
    // In care at R: L1 to L5. 3 or more placements: L2, L4. 2 of 5.
    let moves = get(&report, "cla_3plus");
    fraction(moves, 2, 5);
    assert_eq!(
        rows(moves),
        [
            ("L1", 0, false),
            ("L2", 1, true),
            ("L3", 2, false),
            ("L4", 3, true),
            ("L5", 4, false)
        ]
    );
    assert_eq!(moves.published, Some("cla_three_or_more_placements"));
    // Placed out of area: L2, L3. 2 of 5.
    fraction(get(&report, "cla_out_of_area"), 2, 5);
    // Under 16 and in care 2.5 years: L1, L4 (L5's age is not known). Stable: L1.
    let stable = get(&report, "cla_stability");
    fraction(stable, 1, 2);
    assert_eq!(rows(stable), [("L1", 0, true), ("L4", 3, false)]);
    assert_eq!(figure(stable, "age_unknown"), Some(1.0));
    assert_eq!(stable.published, Some("placement_stability"));

    // Under 17 takes in L2 (16; in care since 2020, placed since 2021): 2 of 3.
    let mut settings = Settings::bundled();
    settings.set("cla_stability", "under_age", 17).unwrap();
    let report = compute(&annex, r(), &settings);
    fraction(get(&report, "cla_stability"), 2, 3);
}

#[test]
fn children_in_care_missing_and_return_interviews() {
    let annex = annex(&[(
        8,
        "
        Child Unique ID, Date Started to be Looked After, Date Ceased to be Looked After, Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months, Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months, Was the child offered a Return Interview after their last missing episode (Y/N)?, Did the child accept a Return Interview after their last missing episode (Y/N)?
        M1, 01/01/2025, ,           2, 1, a) Yes, a) Yes  # 0: missing; offered; accepted
        M2, 01/01/2025, 01/10/2025, 1, 0, a) Yes, b) No   # 1: ceased on W's first day, so looked after in W; offered; refused
        M3, 01/01/2025, 30/09/2025, 4, 0, a) Yes, a) Yes  # 2: ceased the day before W: out
        M4, 01/01/2025, ,           0, 3, ,               # 3: not missing
        M5, 01/03/2026, ,           1, 0, b) No,          # 4: missing; not offered
        M6, 01/01/2025, ,           1, 0, ,               # 5: missing; no answer: not offered
        ",
    )]);
    let report = report(&annex, &Settings::bundled());
    // Looked after in W: M1, M2, M4, M5, M6. Missing: M1, M2, M5, M6. 4 of 5.
    let missing = get(&report, "cla_missing");
    fraction(missing, 4, 5);
    // Episodes: 2 + 1 + 0 + 1 + 1 missing; 1 + 0 + 3 + 0 + 0 absent.
    assert_eq!(figure(missing, "missing_episodes"), Some(5.0));
    assert_eq!(figure(missing, "absent_episodes"), Some(4.0));
    // Offered, of the 4 missing: M1, M2.
    let offered = get(&report, "return_interviews_offered");
    fraction(offered, 2, 4);
    assert_eq!(
        rows(offered),
        [
            ("M1", 0, true),
            ("M2", 1, true),
            ("M5", 4, false),
            ("M6", 5, false)
        ]
    );
    // Accepted, of the 2 offered: M1.
    let accepted = get(&report, "return_interviews_accepted");
    fraction(accepted, 1, 2);
    assert_eq!(rows(accepted), [("M1", 0, true), ("M2", 1, false)]);
}

const CARE_TIMELINESS: &str = "
    Child Unique ID, Date of Birth, Date Started to be Looked After, Date Ceased to be Looked After, Date of Last Health Assessment, Date of Last Dental Check, Date of Latest Statutory Review, Date of Last Social Work Visit
    H1, 01/01/2015, 01/01/2024, , 31/03/2025, 31/03/2025, 30/09/2025, 17/02/2026  # 0: each on the last day in time
    H2, 01/01/2015, 01/01/2024, , 30/03/2025, 30/03/2025, 29/09/2025, 16/02/2026  # 1: each a day late
    H3, 01/06/2022, 01/01/2024, , 01/10/2025, 29/09/2025, 01/01/2026, 01/03/2026  # 2: aged 3, held to 6 months: health in time, dental a day late
    H4, 01/01/2015, 03/03/2026, , ,           ,           ,                       # 3: in care 20 working days, nothing yet: all in time
    H5, 01/01/2015, 02/03/2026, , ,           ,           ,                       # 4: 21 working days: health and review late; dental and visit in time
    H6, 01/01/2015, 01/01/2024, , 01/04/2026, ,           ,                       # 5: health assessed after R, not known at R: nothing in time
";

#[test]
fn children_in_care_health_dental_reviews_and_visits() {
    let annex = annex(&[(8, CARE_TIMELINESS)]);
    let report = report(&annex, &Settings::bundled());
    // 12 months before R: 31 March 2025; 6 months: 30 September 2025; 6 weeks:
    // 17 February 2026. All six are in care at R.
    // Health: H1, H3, H4. 3 of 6.
    let health = get(&report, "cla_health");
    fraction(health, 3, 6);
    assert_eq!(
        rows(health)
            .iter()
            .filter(|r| r.2)
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        ["H1", "H3", "H4"]
    );
    // Dental: H1, H4, H5 (both in care less than 12 months). 3 of 6.
    let dental = get(&report, "cla_dental");
    fraction(dental, 3, 6);
    assert_eq!(
        rows(dental)
            .iter()
            .filter(|r| r.2)
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        ["H1", "H4", "H5"]
    );
    // Reviews: H1, H3, H4. 3 of 6.
    fraction(get(&report, "cla_review"), 3, 6);
    // Visits: H1, H3, H4, H5. 4 of 6.
    fraction(get(&report, "cla_visit"), 4, 6);
}

#[test]
fn care_leavers_by_age_band() {
    // Ages at R: born 1 April 2008, 17; 1 April 2007, 18; 31 March 2007, 19 (that
    // day); 1 April 2004, 21; 31 March 2004, 22.
    let annex = annex(&[(
        9,
        "
        Child Unique ID, Date of Birth, LA in Touch, Suitability of Accommodation, Activity Status
        Y1, 01/04/2008, Yes,  Suitable,   F1  # 0: 17: in touch, suitable, EET
        Y2, 01/04/2007, No,   Unsuitable, G4  # 1: 18: none
        Y3, 31/03/2007, Yes,  Suitable,   G5  # 2: 19: in touch, suitable
        Y4, 01/04/2004, Refu, ,           P2  # 3: 21: EET
        Y5, 31/03/2004, Yes,  Suitable,   F2  # 4: 22: all three
        Y6, 01/01/2005, Died, ,               # 5: died: left out
        Y7, ,           NREQ, Suitable,       # 6: age not known: suitable
        ",
    )]);
    let report = report(&annex, &Settings::bundled());
    // Care leavers: all but Y6 = 6.
    let touch = get(&report, "cl_in_touch");
    fraction(touch, 3, 6); // Y1, Y3, Y5
    assert_eq!(
        parts(touch),
        [
            ("Aged 17 to 18".into(), 1, Some(2)), // Y1 of Y1, Y2
            ("Aged 19 to 21".into(), 1, Some(2)), // Y3 of Y3, Y4
            ("Other ages".into(), 1, Some(1)),    // Y5
            ("Age not known".into(), 0, Some(1)), // Y7
        ]
    );
    assert_eq!(touch.children[0].detail, Some(Detail::Age(17)));
    assert_eq!(touch.published, Some("care_leavers_in_touch"));
    let suitable = get(&report, "cl_suitable");
    fraction(suitable, 4, 6); // Y1, Y3, Y5, Y7
    assert_eq!(
        parts(suitable),
        [
            ("Aged 17 to 18".into(), 1, Some(2)),
            ("Aged 19 to 21".into(), 1, Some(2)),
            ("Other ages".into(), 1, Some(1)),
            ("Age not known".into(), 1, Some(1)),
        ]
    );
    let eet = get(&report, "cl_eet");
    fraction(eet, 3, 6); // Y1, Y4, Y5
    assert_eq!(
        parts(eet),
        [
            ("Aged 17 to 18".into(), 1, Some(2)),
            ("Aged 19 to 21".into(), 1, Some(2)),
            ("Other ages".into(), 1, Some(1)),
            ("Age not known".into(), 0, Some(1)),
        ]
    );
}

#[test]
fn adoption_timeliness_gives_medians_and_the_scorecard_thresholds() {
    let annex = annex(&[(
        10,
        "
        Child Unique ID, Date the Child Entered Care, Date of Placement Order, Date of Matching Child and Prospective Adopters, Date Placed for Adoption
        AD1, 01/01/2025, 01/06/2025, 30/09/2025, 15/10/2025  # 0: care to placed 287 days; order to match 121
        AD2, 01/01/2024, 01/06/2024, 01/12/2024, 01/03/2025  # 1: 425 (2024 is a leap year); 183
        AD3, 01/01/2023, 01/01/2024, 01/06/2024, 01/04/2024  # 2: 456; 152
        AD4, 01/06/2025, 01/01/2026, ,                       # 3: neither yet
        AD5, 01/01/2025, ,           ,           01/04/2026  # 4: placed after R
        AD6, 01/05/2025, 01/03/2026, 01/02/2026,             # 5: matched before the order: a date error
        ",
    )]);
    let report = report(&annex, &Settings::bundled());
    let a = get(&report, "adoption_timeliness");
    // Care to placed: 287, 425, 456; median 425; within 426 days: 2 of 3.
    assert_eq!(
        (a.numerator, a.denominator, a.value),
        (Some(2), Some(3), Some(425.0))
    );
    assert_eq!(figure(a, "median_care_to_placed"), Some(425.0));
    // Order to match: 121, 152, 183; median 152; within 121 days: 1 (AD1).
    assert_eq!(figure(a, "median_order_to_match"), Some(152.0));
    assert_eq!(figure(a, "order_to_match_within"), Some(1.0));
    assert_eq!(figure(a, "order_to_match_children"), Some(3.0));
    assert_eq!(figure(a, "date_errors"), Some(1.0));
    assert_eq!(
        rows(a),
        [("AD1", 0, true), ("AD2", 1, true), ("AD3", 2, false)]
    );
    let matched: Vec<_> = a
        .children
        .iter()
        .filter(|c| c.figure == Some("order_to_match"))
        .map(|c| (c.child, c.numerator, c.detail))
        .collect();
    assert_eq!(
        matched,
        [
            ("AD1", true, Some(Detail::Days(121))),
            ("AD2", false, Some(Detail::Days(183))),
            ("AD3", false, Some(Detail::Days(152)))
        ]
    );
    assert_eq!(
        a.breakdown.iter().map(|b| b.value).collect::<Vec<_>>(),
        [Some(425.0), Some(152.0)]
    );
}

#[test]
fn caseloads_count_each_child_once_per_worker() {
    let annex = annex(&[
        (
            4,
            "
            Child Unique ID, Continuous Assessment Start Date, Continuous Assessment Date of Authorisation, Allocated Worker
            K1, 01/03/2026, ,           Ann          # open: Ann
            K2, 01/03/2026, 15/03/2026, Ann          # authorised: closed
            K3, 01/03/2026, ,           Unallocated  # open, no worker
            ",
        ),
        (
            7,
            "
            Child Unique ID, Child Protection Plan Start Date, Child Protection Plan End Date, Allocated Worker
            K1, 01/01/2026, ,           Ann  # Ann again: K1 counts once for her
            K4, 01/01/2026, ,           Ann
            K5, 01/01/2026, 01/02/2026, Bob  # ended
            ",
        ),
        (
            8,
            "
            Child Unique ID, Date Started to be Looked After, Date Ceased to be Looked After, Allocated Worker
            K6, 01/01/2020, , Ann
            K7, 01/01/2020, , Bob
            K3, 01/01/2020, , Bob  # K3 has a worker after all
            ",
        ),
        (
            9,
            "
            Child Unique ID, LA in Touch, Allocated Worker
            K8,  Yes,  Cat
            K9,  Died, Cat   # died: not a case
            K10, No,   NONE  # no worker
            ",
        ),
    ]);
    let report = report(&annex, &Settings::bundled());
    // Ann: K1, K4, K6 = 3; Bob: K7, K3 = 2; Cat: K8 = 1. Loads 1, 2, 3.
    let c = get(&report, "caseloads");
    assert_eq!(
        (c.numerator, c.denominator, c.value),
        (Some(0), Some(3), Some(2.0))
    );
    assert_eq!(figure(c, "median"), Some(2.0));
    // Excel's PERCENTILE.INC: rank 0.9 × 2 = 1.8, so 2 + 0.8 × (3 - 2).
    assert!((figure(c, "p90").unwrap() - 2.8).abs() < 1e-9);
    assert_eq!(figure(c, "max"), Some(3.0));
    assert_eq!(figure(c, "mean"), Some(2.0));
    assert_eq!(figure(c, "unallocated_children"), Some(1.0)); // K10
    assert_eq!(
        parts(c),
        [
            ("Ann".into(), 3, None),
            ("Bob".into(), 2, None),
            ("Cat".into(), 1, None)
        ]
    );
    let held: Vec<_> = c
        .children
        .iter()
        .map(|r| (r.detail, r.child, r.list, r.figure))
        .collect();
    assert_eq!(
        held,
        [
            (Some(Detail::Worker("Ann")), "K1", 4, None),
            (Some(Detail::Worker("Ann")), "K4", 7, None),
            (Some(Detail::Worker("Ann")), "K6", 8, None),
            (Some(Detail::Worker("Bob")), "K7", 8, None),
            (Some(Detail::Worker("Bob")), "K3", 8, None),
            (Some(Detail::Worker("Cat")), "K8", 9, None),
            (None, "K10", 9, Some("unallocated_children")),
        ]
    );
    assert_eq!(
        c.notes,
        ["Counted from Lists 4, 7, 8 and 9; Lists 3, 5 and 6 are missing."]
    );

    // Over 2 children: Ann. 1 of 3 workers.
    let mut settings = Settings::bundled();
    settings.set("caseloads", "children", 2).unwrap();
    let report = compute(&annex, r(), &settings);
    let c = get(&report, "caseloads");
    assert_eq!((c.numerator, c.denominator), (Some(1), Some(3)));
}

#[test]
fn a_missing_list_or_column_makes_an_indicator_unavailable_and_says_why() {
    // List 1 without List 3; List 8 without a dental check column.
    let annex = annex(&[
        (1, CONTACTS),
        (
            8,
            "
            Child Unique ID, Date Started to be Looked After, Date Ceased to be Looked After, Date of Last Health Assessment
            H1, 01/01/2024, , 31/03/2025
            ",
        ),
    ]);
    let report = report(&annex, &Settings::bundled());
    assert_eq!(get(&report, "contacts").numerator, Some(5));
    let why = |id: &str| report.get(id).unwrap().unavailable.clone();
    assert_eq!(
        why("contact_conversion").as_deref(),
        Some("List 3 (Referrals) is missing")
    );
    assert_eq!(
        why("cla_dental").as_deref(),
        Some("List 8 has no 'Date of Last Dental Check' column")
    );
    fraction(get(&report, "cla_health"), 1, 1);
    let dental = report.get("cla_dental").unwrap();
    assert_eq!(
        (dental.numerator, dental.denominator, dental.value),
        (None, None, None)
    );
    assert!(dental.children.is_empty());
    // Every indicator is in the report, in the definitions' order, computed or not.
    assert_eq!(
        report.indicators.len(),
        Settings::bundled().definitions().indicators.len()
    );
}

#[test]
fn the_spec_indicators_are_all_defined_with_their_published_measures() {
    let defs = Settings::bundled().definitions();
    let ids: Vec<&str> = defs.indicators.iter().map(|d| d.id.as_str()).collect();
    for id in [
        "contacts",
        "contact_conversion",
        "referrals",
        "re_referral",
        "referral_nfa",
        "assessment_45wd",
        "assessment_seen",
        "s47_icpc_15wd",
        "s47_to_icpc",
        "icpc_to_cpp",
        "cpp_subsequent",
        "cpp_2yrs",
        "cpp_visits",
        "cpp_reviews",
        "cin_seen",
        "cla_3plus",
        "cla_stability",
        "cla_out_of_area",
        "cla_missing",
        "return_interviews_offered",
        "return_interviews_accepted",
        "cla_health",
        "cla_dental",
        "cla_review",
        "cla_visit",
        "cl_in_touch",
        "cl_suitable",
        "cl_eet",
        "adoption_timeliness",
        "caseloads",
    ] {
        assert!(ids.contains(&id), "{id} is not defined");
    }
    assert_eq!(ids.len(), 30);
    let published = ilacs_domain::indicators::Definitions::bundled();
    let known: Vec<&str> = published
        .indicators()
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    for d in &defs.indicators {
        if let Some(p) = &d.published {
            assert!(known.contains(&p.as_str()), "{}: no published '{p}'", d.id);
        }
    }
    let with: Vec<(&str, &str)> = defs
        .indicators
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.published.as_deref()?)))
        .collect();
    assert_eq!(
        with,
        [
            ("re_referral", "re_referral_rate"),
            ("cpp_subsequent", "cpp_subsequent_rate"),
            ("cpp_2yrs", "cpp_two_years_or_more_rate"),
            ("cla_3plus", "cla_three_or_more_placements"),
            ("cla_stability", "placement_stability"),
            ("cl_in_touch", "care_leavers_in_touch"),
            ("cl_suitable", "care_leavers_suitable_accommodation"),
            ("cl_eet", "care_leavers_eet"),
        ]
    );
}

#[test]
fn the_report_serialises_for_the_dashboard() {
    let annex = annex(&[(1, CONTACTS), (3, REFERRALS)]);
    let report = report(&annex, &Settings::bundled());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["as_at"], "2026-03-31");
    assert_eq!(json["window_start"], "2025-10-01");
    let c = &json["indicators"][1];
    assert_eq!(c["id"], "contact_conversion");
    assert_eq!(c["group"], "front door");
    assert_eq!(c["unit"], "percent");
    assert_eq!(c["numerator"], 3);
    assert_eq!(c["denominator"], 4);
    assert_eq!(c["value"], 75.0);
    assert_eq!(
        c["children"][0],
        serde_json::json!({"child": "B", "list": 1, "index": 1, "numerator": true, "detail": {"days": 30}})
    );
    assert_eq!(
        c["thresholds"],
        serde_json::json!([{"name": "days", "value": 30, "default": 30}])
    );
    let dental = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "cla_dental")
        .unwrap();
    assert_eq!(dental["value"], serde_json::Value::Null);
    assert_eq!(
        dental["unavailable"],
        "List 8 (Children in care) is missing"
    );
}
