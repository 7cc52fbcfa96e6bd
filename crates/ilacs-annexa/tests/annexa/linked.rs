//! The linked generator: its returns read back with exactly the dirt it injected, its
//! children run coherently through the lists, and the rates DfE publishes come out as
//! the profile gives them.

use chrono::{Datelike, Months, NaiveDate};
use ilacs_annexa::{
    generate_linked, generate_linked_csv, read_csvs, read_workbook, AnnexA, CleanList, Injected,
    Profile, Schema, Value,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::rc::Rc;

fn reported(annex: &AnnexA) -> Vec<Injected> {
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

/// A writer the test keeps a handle on.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The CSV files, by name.
fn csvs(profile: &Profile, seed: u64, dirt: f64) -> (Vec<(String, Vec<u8>)>, ilacs_annexa::Linked) {
    let mut files: Vec<(String, Shared)> = Vec::new();
    let linked = generate_linked_csv(profile, seed, dirt, |def| {
        let w = Shared::default();
        files.push((ilacs_annexa::csv_file_name(def), w.clone()));
        Ok(w)
    })
    .unwrap();
    let files = files
        .into_iter()
        .map(|(n, w)| (n, w.0.borrow().clone()))
        .collect();
    (files, linked)
}

fn read_csv_files(files: &[(String, Vec<u8>)]) -> AnnexA {
    let named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    read_csvs(&named).unwrap()
}

/// A small LA: quick to generate, every list with rows.
fn small() -> Profile {
    let mut p = Profile::default();
    p.volumes = p.volumes.scaled(0.25);
    p.workers = 44;
    p.teams = 7;
    p
}

#[test]
fn the_dirt_injected_is_exactly_what_reading_reports_in_xlsx_and_csv() {
    for (seed, dirt) in [(1, 0.0), (2, 0.02), (3, 0.1)] {
        let profile = small();
        let workbook = generate_linked(&profile, seed, dirt).unwrap();
        let (files, linked) = csvs(&profile, seed, dirt);
        // The two formats hold the same lists and the same dirt.
        assert_eq!(workbook.linked, linked, "seed {seed}");
        assert_eq!(files.len(), 11);
        assert_eq!(files[2].0, "list-03-referrals.csv");
        if dirt > 0.0 {
            assert!(
                linked.injected.len() > 100,
                "seed {seed}: enough dirt to mean something"
            );
        } else {
            assert!(linked.injected.is_empty());
        }
        for (format, annex) in [
            ("xlsx", read_workbook(&workbook.bytes).unwrap()),
            ("csv", read_csv_files(&files)),
        ] {
            assert_eq!(
                reported(&annex),
                linked.injected,
                "{format}, seed {seed}, dirt {dirt}"
            );
            let read: Vec<(u8, usize)> =
                annex.lists.iter().map(|l| (l.list, l.rows_read)).collect();
            assert_eq!(read, linked.rows, "{format}: every row read");
            let dropped: BTreeSet<(u8, u32)> = linked
                .injected
                .iter()
                .filter(|i| i.action == ilacs_annexa::Action::RowDropped)
                .map(|i| (i.list, i.row))
                .collect();
            let kept: usize = annex.lists.iter().map(CleanList::rows_kept).sum();
            assert_eq!(kept, linked.total_rows() - dropped.len(), "{format}");
        }
    }
}

#[test]
fn generating_is_deterministic_for_a_seed() {
    let profile = small();
    let (a, _) = csvs(&profile, 9, 0.05);
    let (b, _) = csvs(&profile, 9, 0.05);
    assert_eq!(a, b);
    let (c, _) = csvs(&profile, 10, 0.05);
    assert_ne!(a, c);
    let x = generate_linked(&profile, 9, 0.05).unwrap();
    assert_eq!(x.bytes, generate_linked(&profile, 9, 0.05).unwrap().bytes);
}

/// The clean lists, with their values found by column name.
struct Lists<'a> {
    annex: &'a AnnexA,
}

struct Rows<'a> {
    list: &'a CleanList,
    at: HashMap<&'static str, usize>,
}

impl<'a> Lists<'a> {
    fn get(&self, n: u8) -> Rows<'a> {
        let list = self.annex.lists.iter().find(|l| l.list == n).unwrap();
        let def = Schema::bundled().list(n).unwrap();
        let at = list
            .columns
            .iter()
            .enumerate()
            .map(|(x, &c)| (def.columns[c].name.as_str(), x))
            .collect();
        Rows { list, at }
    }
}

impl<'a> Rows<'a> {
    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.list.rows().map(move |values| Row {
            values,
            at: &self.at,
        })
    }
}

struct Row<'a> {
    values: &'a [Value],
    at: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    fn v(&self, column: &str) -> &Value {
        &self.values[*self
            .at
            .get(column)
            .unwrap_or_else(|| panic!("no column {column}"))]
    }
    fn date(&self, column: &str) -> Option<NaiveDate> {
        match self.v(column) {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }
    fn int(&self, column: &str) -> u32 {
        match self.v(column) {
            Value::Integer(n) => *n,
            other => panic!("{column}: {other:?}"),
        }
    }
    fn text(&self, column: &str) -> String {
        match self.v(column) {
            Value::Text(t) => t.to_string(),
            Value::Blank => String::new(),
            other => panic!("{column}: {other:?}"),
        }
    }
    /// The code's canonical spelling.
    fn code(&self, list: u8, column: &str) -> String {
        match self.v(column) {
            Value::Code(i) => {
                let def = Schema::bundled().list(list).unwrap();
                let c = def.columns.iter().find(|c| c.name == column).unwrap();
                let ilacs_annexa::schema::ColumnType::Code(set) = c.kind else {
                    panic!("{column} is no code")
                };
                Schema::bundled().code_sets[set].values[usize::from(*i)].clone()
            }
            _ => String::new(),
        }
    }
    fn id(&self) -> String {
        self.text("Child Unique ID")
    }
}

fn years_before(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(12 * years)).unwrap()
}

fn age_on(dob: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years as u32
}

/// A percentage, with the count it is of.
fn percent(hits: usize, of: usize) -> (f64, usize) {
    (100.0 * hits as f64 / of.max(1) as f64, of)
}

/// Rates are made by exact shares (`round(share × n)` of n rows), so what is measured
/// back differs from the profile only by that rounding: at most 0.5 / n, which is
/// under half a percentage point for every n here (checked to be 100 or more). One
/// point allows that and nothing more.
const TOLERANCE: f64 = 1.0;

#[test]
fn published_rates_and_volumes_come_back_as_the_profile_gives_them() {
    // Twice the default LA, so that every rate is measured over 100 rows or more,
    // without the contacts and early help that no rate here needs.
    let mut profile = Profile::default().scaled(2.0);
    profile.volumes.contacts = 0;
    profile.volumes.early_help = 10;
    let annex = read_csv_files(&csvs(&profile, 4, 0.0).0);
    assert!(annex.issues.is_empty());
    let lists = Lists { annex: &annex };
    let r = profile.as_at;
    let w0 = r
        .checked_sub_months(Months::new(6))
        .unwrap()
        .succ_opt()
        .unwrap();
    let v = &profile.volumes;
    let rates = &profile.rates;
    let mut measured: BTreeMap<&str, ((f64, usize), f64)> = BTreeMap::new();

    let referrals = lists.get(3);
    let n = referrals.list.rows_kept();
    assert_eq!(n as u32, v.referrals);
    let re = referrals
        .rows()
        .filter(|x| x.int("Number of Referrals in Last 12 Months") >= 1)
        .count();
    measured.insert("re-referrals", (percent(re, n), rates.re_referral));
    let nfa = referrals
        .rows()
        .filter(|x| x.code(3, "Referral NFA?") == "a) Yes")
        .count();
    measured.insert("referrals NFA", (percent(nfa, n), rates.referral_nfa));

    let plans = lists.get(7);
    let start = "Child Protection Plan Start Date";
    let end = "Child Protection Plan End Date";
    let starting: Vec<_> = plans
        .rows()
        .filter(|x| x.date(start).is_some_and(|d| d >= w0 && d <= r))
        .collect();
    let again = starting
        .iter()
        .filter(|x| x.int("Number of Previous Child Protection Plans") >= 1)
        .count();
    measured.insert(
        "second or subsequent plans",
        (percent(again, starting.len()), rates.cpp_subsequent),
    );
    let open: Vec<_> = plans.rows().filter(|x| x.date(end).is_none()).collect();
    assert_eq!(open.len() as u32, v.child_protection, "plans open on R");
    let long = open
        .iter()
        .filter(|x| x.date(start).unwrap() <= years_before(r, 2))
        .count();
    measured.insert(
        "plans of 2 years or more",
        (percent(long, open.len()), rates.cpp_two_years),
    );

    let care = lists.get(8);
    let in_care: Vec<_> = care
        .rows()
        .filter(|x| x.date("Date Ceased to be Looked After").is_none())
        .collect();
    assert_eq!(in_care.len() as u32, v.children_in_care, "in care on R");
    let moves = in_care
        .iter()
        .filter(|x| x.int("Number of Placements in the Last 12 months") >= 3)
        .count();
    measured.insert(
        "3 or more placements",
        (percent(moves, in_care.len()), rates.cla_three_placements),
    );
    let thirty_months = r.checked_sub_months(Months::new(30)).unwrap();
    let settled: Vec<_> = in_care
        .iter()
        .filter(|x| {
            age_on(x.date("Date of Birth").unwrap(), r) < 16
                && x.date("Date Started to be Looked After").unwrap() <= thirty_months
        })
        .collect();
    let stable = settled
        .iter()
        .filter(|x| x.date("Start Date of Most Recent Placement").unwrap() <= years_before(r, 2))
        .count();
    measured.insert(
        "long-term stability",
        (percent(stable, settled.len()), rates.placement_stability),
    );

    let leavers = lists.get(9);
    for (band, ages, in_touch, suitable, eet) in [
        (
            "19 to 21",
            19..=21,
            rates.care_leavers_in_touch,
            rates.care_leavers_suitable,
            rates.care_leavers_eet,
        ),
        (
            "17 and 18",
            17..=18,
            rates.care_leavers_17_18_in_touch,
            rates.care_leavers_17_18_suitable,
            rates.care_leavers_17_18_eet,
        ),
    ] {
        let rows: Vec<_> = leavers
            .rows()
            .filter(|x| ages.contains(&x.int("Age of Child (Years)")))
            .collect();
        let n = rows.len();
        let touch = rows
            .iter()
            .filter(|x| x.code(9, "LA in Touch") == "Yes")
            .count();
        let suit = rows
            .iter()
            .filter(|x| x.code(9, "Suitability of Accommodation") == "Suitable")
            .count();
        let in_eet = rows
            .iter()
            .filter(|x| {
                let a = x.code(9, "Activity Status");
                a.starts_with('F') || a.starts_with('P')
            })
            .count();
        let leak = |s: &str| -> &'static str {
            Box::leak(format!("care leavers {band} {s}").into_boxed_str())
        };
        measured.insert(leak("in touch"), (percent(touch, n), in_touch));
        measured.insert(leak("suitable"), (percent(suit, n), suitable));
        measured.insert(leak("EET"), (percent(in_eet, n), eet));
    }
    assert_eq!(
        leavers.list.rows_kept() as u32,
        v.care_leavers_17_18 + v.care_leavers_19_21
    );

    for (name, ((got, n), want)) in &measured {
        println!("{name}: {got:.2}% of {n} (profile {want}%)");
        assert!(*n >= 100, "{name}: only {n} rows, too few to measure");
        assert!(
            (got - want).abs() <= TOLERANCE,
            "{name}: measured {got:.2}% of {n}, the profile says {want}%"
        );
    }

    // Children in need on R: every open episode, whatever its status.
    let cin = lists.get(6);
    let open_cin = cin
        .rows()
        .filter(|x| x.date("CIN Closure Date").is_none())
        .count();
    assert_eq!(open_cin as u32, v.children_in_need);
    // Every referral's contact; no others were asked for.
    assert!(lists.get(1).list.rows_kept() as u32 <= v.referrals);
    assert_eq!(lists.get(2).list.rows_kept() as u32, v.early_help);
    let s47 = lists.get(5).list.rows_kept() as u32;
    assert_eq!(s47, v.s47);
}

#[test]
fn children_run_coherently_through_the_lists() {
    let profile = Profile::default();
    let annex = read_csv_files(&csvs(&profile, 5, 0.0).0);
    let lists = Lists { annex: &annex };
    let r = profile.as_at;
    let w0 = r
        .checked_sub_months(Months::new(6))
        .unwrap()
        .succ_opt()
        .unwrap();
    let in_w = |d: NaiveDate| d >= w0 && d <= r;

    // Every date on or before R; every list's own event in W; ages agree with births.
    for l in 1..=11u8 {
        let rows = lists.get(l);
        let def = Schema::bundled().list(l).unwrap();
        for row in rows.rows() {
            for c in &def.columns {
                if let Some(Value::Date(d)) = rows.at.get(c.name.as_str()).map(|&x| &row.values[x])
                {
                    assert!(*d <= r, "list {l}, {}: {d} is after R", c.name);
                }
            }
            if l <= 10 {
                let dob = row.date("Date of Birth").unwrap();
                let age = row.int("Age of Child (Years)");
                let event = match l {
                    1 => row.date("Date of Contact"),
                    2 => row.date("Assessment start date"),
                    3 => row.date("Date of referral"),
                    4 => row.date("Continuous Assessment Start Date"),
                    5 => row.date("Strategy discussion initiating Section 47 Enquiry Start Date"),
                    _ => None,
                };
                if let Some(e) = event {
                    assert!(in_w(e), "list {l}: {e} outside W");
                    assert!(dob <= e, "list {l}: born after the event");
                }
                assert_eq!(age, age_on(dob, event.unwrap_or(r)), "list {l}: age");
            }
        }
    }

    // The same children across lists, in order.
    let referred: HashMap<String, Vec<NaiveDate>> = {
        let mut m: HashMap<String, Vec<NaiveDate>> = HashMap::new();
        for x in lists.get(3).rows() {
            m.entry(x.id())
                .or_default()
                .push(x.date("Date of referral").unwrap());
        }
        m
    };
    let contacts: HashMap<String, NaiveDate> = lists
        .get(1)
        .rows()
        .map(|x| (x.id(), x.date("Date of Contact").unwrap()))
        .collect();
    let converted = referred
        .iter()
        .filter(|(id, dates)| {
            contacts
                .get(*id)
                .is_some_and(|c| dates.iter().any(|d| *d >= *c && (*d - *c).num_days() <= 30))
        })
        .count();
    assert!(
        converted as f64 > 0.85 * referred.len() as f64,
        "most referrals follow a contact of the same child: {converted} of {}",
        referred.len()
    );
    for x in lists.get(4).rows() {
        let start = x.date("Continuous Assessment Start Date").unwrap();
        let dates = referred
            .get(&x.id())
            .expect("every assessment's child was referred");
        assert!(dates.iter().any(|d| *d <= start));
        if let Some(a) = x.date("Continuous Assessment Date of Authorisation") {
            assert!(a >= start);
        }
    }
    let mut icpc_plans: HashSet<(String, NaiveDate)> = HashSet::new();
    for x in lists.get(5).rows() {
        let strategy = x
            .date("Strategy discussion initiating Section 47 Enquiry Start Date")
            .unwrap();
        assert!(referred[&x.id()].iter().any(|d| *d <= strategy));
        if let Some(icpc) = x.date("Date of Initial Child Protection Conference") {
            assert!(icpc >= strategy);
            if x.code(
                5,
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            ) == "a) Yes"
            {
                icpc_plans.insert((x.id(), icpc));
            }
        }
    }
    let mut open_plans = HashSet::new();
    for x in lists.get(7).rows() {
        let start = x.date("Child Protection Plan Start Date").unwrap();
        if start >= w0 {
            assert!(
                icpc_plans.contains(&(x.id(), start)),
                "a plan starting in W follows a conference that day"
            );
        }
        if let Some(end) = x.date("Child Protection Plan End Date") {
            assert!(end >= start && in_w(end));
        } else {
            open_plans.insert(x.id());
        }
    }
    let in_care: HashSet<String> = lists
        .get(8)
        .rows()
        .filter(|x| x.date("Date Ceased to be Looked After").is_none())
        .map(|x| x.id())
        .collect();
    // One open episode of need per child, with the status their plan or care gives.
    let mut open_episodes: HashMap<String, String> = HashMap::new();
    for x in lists.get(6).rows() {
        if x.date("CIN Closure Date").is_none() {
            let status = x.code(6, "Case Status");
            assert!(
                open_episodes.insert(x.id(), status).is_none(),
                "one open episode per child"
            );
        } else {
            assert!(x.v("Reason for Closure") != &Value::Blank);
        }
    }
    for id in &open_plans {
        assert_eq!(open_episodes[id], "b) Child Protection plan");
    }
    for id in &in_care {
        assert_eq!(open_episodes[id], "a) Looked after child");
    }
    for x in lists.get(8).rows() {
        let started = x.date("Date Started to be Looked After").unwrap();
        assert!(x.date("Date of Birth").unwrap() <= started);
        assert!(x.date("Start Date of Most Recent Placement").unwrap() >= started);
        assert!(x.date("Start date of current legal status").unwrap() >= started);
        if let Some(ceased) = x.date("Date Ceased to be Looked After") {
            assert!(in_w(ceased) && ceased >= started);
            assert!(x.v("Reason Ceased to be Looked After") != &Value::Blank);
        }
        let out = x.code(8, "Placement Location") == "b) Out";
        assert_eq!(out, x.text("LA of Placement") != profile.la_name);
    }
    // Care leavers are 17 to 21; those still in care are the children List 8 has.
    for x in lists.get(9).rows() {
        let age = x.int("Age of Child (Years)");
        assert!((17..=21).contains(&age));
        if x.code(9, "Eligibility Category") == "d) Eligible child" {
            assert!(in_care.contains(&x.id()) && age == 17);
        }
    }
    // Adoption chronologies in order; matched children's families are adopters.
    let families: HashMap<String, (Option<NaiveDate>, Option<NaiveDate>)> = lists
        .get(11)
        .rows()
        .map(|x| {
            (
                x.text("Family identifier"),
                (
                    x.date("Date adopter matched with child(ren)"),
                    x.date("Date child/children placed with adopter(s)"),
                ),
            )
        })
        .collect();
    for x in lists.get(10).rows() {
        let chain: Vec<NaiveDate> = [
            "Date of Birth",
            "Date the Child Entered Care",
            "Date of Decision that Child Should be Placed for Adoption",
            "Date of Placement Order",
            "Date of Matching Child and Prospective Adopters",
            "Date Placed for Adoption",
            "Date of Adoption Order",
        ]
        .iter()
        .filter_map(|c| x.date(c))
        .collect();
        assert!(chain.windows(2).all(|w| w[0] <= w[1]), "{chain:?}");
        if let Some(matched) = x.date("Date of Matching Child and Prospective Adopters") {
            let family = &families[&x.text("Family identifier")];
            assert_eq!(family.0, Some(matched));
        }
    }
    for x in lists.get(11).rows() {
        let chain: Vec<NaiveDate> = [
            "Date enquiry received",
            "Date Stage 1 started",
            "Date Stage 1 ended",
            "Date Stage 2 started",
            "Date Stage 2 ended",
            "Date application approved",
            "Date adopter matched with child(ren)",
            "Date child/children placed with adopter(s)",
            "Date of Adoption Order",
        ]
        .iter()
        .filter_map(|c| x.date(c))
        .collect();
        assert!(chain.windows(2).all(|w| w[0] <= w[1]), "{chain:?}");
    }

    // Workers are in one team each and hold plausible caseloads: distinct children
    // open on R across Lists 3 to 9.
    let mut team_of: HashMap<String, String> = HashMap::new();
    let mut caseload: HashMap<String, HashSet<String>> = HashMap::new();
    for l in 3..=9u8 {
        for x in lists.get(l).rows() {
            let (team, worker) = (x.text("Allocated Team"), x.text("Allocated Worker"));
            let previous = team_of.insert(worker.clone(), team.clone());
            assert!(
                previous.is_none_or(|t| t == team),
                "{worker} is in one team"
            );
            let open = match l {
                6 => x.date("CIN Closure Date").is_none(),
                7 => x.date("Child Protection Plan End Date").is_none(),
                8 => x.date("Date Ceased to be Looked After").is_none(),
                9 => true,
                4 => x
                    .date("Continuous Assessment Date of Authorisation")
                    .is_none(),
                _ => false,
            };
            if open {
                caseload.entry(worker).or_default().insert(x.id());
            }
        }
    }
    let mut loads: Vec<usize> = caseload.values().map(HashSet::len).collect();
    loads.sort();
    let median = loads[loads.len() / 2];
    assert!(
        (8..=30).contains(&median) && *loads.last().unwrap() <= 60,
        "caseloads: median {median}, largest {}",
        loads.last().unwrap()
    );
}
