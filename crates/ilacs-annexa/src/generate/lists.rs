//! The model's records as the 11 lists' rows, in each list's column order. Columns are
//! found by their names in the schema, so a list's layout lives only in
//! `data/annex_a/lists.toml`.
//!
//! Ages: for Lists 1 to 5 (events in the window) the child's age on the day of the
//! contact, referral, assessment or strategy discussion; for Lists 6 to 10 (children
//! as they are on R) the age on R.

use super::codes::Codes;
use super::model::{Child, Model, Staff};
use super::output::{GenerateError, ListOut, V};
use super::rng::{age_on, plus_days, SplitMix64};
use crate::schema::ListDef;
use chrono::{Days, NaiveDate};

/// A list's column indexes by name.
struct Ix<'d>(&'d ListDef);

impl Ix<'_> {
    fn c(&self, name: &str) -> usize {
        self.0
            .columns
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("list {} has no column '{name}'", self.0.number))
    }

    fn maybe(&self, name: &str) -> Option<usize> {
        self.0.columns.iter().position(|c| c.name == name)
    }
}

/// The child's columns most lists begin with.
struct ChildCols {
    id: usize,
    gender: usize,
    ethnicity: usize,
    dob: usize,
    age: usize,
    disabled: Option<usize>,
}

impl ChildCols {
    fn new(ix: &Ix<'_>) -> ChildCols {
        ChildCols {
            id: ix.c("Child Unique ID"),
            gender: ix.c("Gender"),
            ethnicity: ix.c("Ethnicity"),
            dob: ix.c("Date of Birth"),
            age: ix.c("Age of Child (Years)"),
            disabled: ix.maybe("Does the Child have a Disability"),
        }
    }

    fn put(&self, row: &mut [V<'_>], child: &Child, age_at: NaiveDate, codes: &Codes) {
        row[self.id] = V::Id(child.id);
        row[self.gender] = V::Code(child.gender);
        row[self.ethnicity] = V::Code(child.ethnicity);
        row[self.dob] = V::Date(child.dob);
        row[self.age] = V::Int(age_on(child.dob, age_at.max(child.dob)));
        if let Some(d) = self.disabled {
            row[d] = V::Code(if child.disabled { codes.yes } else { codes.no });
        }
    }
}

/// Where the columns every list with an allocated worker has (Allocated Team and
/// Allocated Worker) are in a list's row.
struct AllocCols {
    team: usize,
    worker: usize,
}

impl AllocCols {
    fn new(ix: &Ix<'_>) -> AllocCols {
        AllocCols {
            team: ix.c("Allocated Team"),
            worker: ix.c("Allocated Worker"),
        }
    }

    fn put<'a>(&self, row: &mut [V<'a>], staff: &'a Staff, worker: u32) {
        row[self.team] = V::Text(staff.team_of(worker));
        row[self.worker] = V::Text(staff.name(worker));
    }
}

fn yes_no(codes: &Codes, b: bool) -> V<'static> {
    V::Code(if b { codes.yes } else { codes.no })
}

fn blank_row<'a>(def: &ListDef) -> Vec<V<'a>> {
    vec![V::Blank; def.columns.len()]
}

/// Days of W with how many of `n` events fall on each: weekdays about six times a
/// weekend day, spread by cumulative rounding so the total is exactly `n`.
fn per_day(w0: NaiveDate, as_at: NaiveDate, n: u32) -> Vec<(NaiveDate, u32)> {
    let days: Vec<NaiveDate> = (0..=(as_at - w0).num_days())
        .map(|i| w0 + Days::new(i as u64))
        .collect();
    let weight = |d: &NaiveDate| {
        if super::rng::is_weekday(*d) {
            1.0
        } else {
            0.15
        }
    };
    let total: f64 = days.iter().map(weight).sum();
    let mut out = Vec::with_capacity(days.len());
    let (mut acc, mut given) = (0.0f64, 0u32);
    for d in days {
        acc += weight(&d) / total * f64::from(n);
        let upto = (acc.round() as u32).min(n);
        out.push((d, upto - given));
        given = upto;
    }
    if let Some(last) = out.last_mut() {
        last.1 += n - given;
    }
    out
}

/// Children made as they are written, for contacts and early help that lead nowhere.
struct Passing {
    rng: SplitMix64,
    next_id: u64,
}

impl Passing {
    fn child(&mut self, codes: &Codes, on: NaiveDate) -> Child {
        let id = self.next_id;
        self.next_id += 1 + self.rng.below(6) as u64;
        let ages = [10.0, 19.0, 24.0, 35.0, 12.0];
        let age = match self.rng.weighted(&ages) {
            0 => 0,
            1 => self.rng.range(1, 4),
            2 => self.rng.range(5, 9),
            3 => self.rng.range(10, 15),
            _ => self.rng.range(16, 17),
        };
        let latest = super::rng::plus_years(on, -(age as i32));
        Child {
            id,
            gender: codes.gender.draw(&mut self.rng),
            ethnicity: codes.ethnicity.draw(&mut self.rng),
            dob: plus_days(latest, -self.rng.range(0, 364)),
            disabled: self.rng.chance(0.05),
        }
    }
}

pub(crate) fn contacts(
    m: &Model,
    codes: &Codes,
    seed: u64,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let (date, source) = (ix.c("Date of Contact"), ix.c("Contact Source"));
    let mut passing = Passing {
        rng: SplitMix64::derive(seed, "contacts"),
        next_id: m.next_id,
    };
    let mut linked = m.contacts.iter().peekable();
    let mut row = blank_row(def);
    for (day, n) in per_day(m.w0, m.as_at, m.standalone_contacts) {
        while let Some(c) = linked.next_if(|c| c.date <= day) {
            cc.put(&mut row, m.child(c.child), c.date, codes);
            row[date] = V::Date(c.date);
            row[source] = V::Code(c.source);
            out.row(&row)?;
        }
        for _ in 0..n {
            let child = passing.child(codes, day);
            cc.put(&mut row, &child, day, codes);
            row[date] = V::Date(day);
            row[source] = V::Code(codes.source.draw(&mut passing.rng));
            out.row(&row)?;
        }
    }
    for c in linked {
        cc.put(&mut row, m.child(c.child), c.date, codes);
        row[date] = V::Date(c.date);
        row[source] = V::Code(c.source);
        out.row(&row)?;
    }
    Ok(())
}

const ORGANISATIONS: [&str; 8] = [
    "Early Help Team",
    "Family Hub",
    "School",
    "Health Visiting",
    "School Nursing",
    "Children's Centre",
    "Voluntary Sector",
    "Youth Service",
];

pub(crate) fn early_help(
    m: &Model,
    codes: &Codes,
    seed: u64,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let (start, end, org) = (
        ix.c("Assessment start date"),
        ix.c("Assessment completion date"),
        ix.c("Organisation completing assessment"),
    );
    let mut passing = Passing {
        rng: SplitMix64::derive(seed, "early help"),
        // After every ID the contacts could have used.
        next_id: m.next_id + 7 * u64::from(m.standalone_contacts) + 1_000,
    };
    let mut row = blank_row(def);
    for (day, n) in per_day(m.w0, m.as_at, m.early_help) {
        for _ in 0..n {
            let child = passing.child(codes, day);
            cc.put(&mut row, &child, day, codes);
            row[start] = V::Date(day);
            let done = plus_days(day, passing.rng.range(10, 60));
            row[end] = V::date((passing.rng.chance(0.75) && done <= m.as_at).then_some(done));
            row[org] = V::Text(ORGANISATIONS[passing.rng.below(ORGANISATIONS.len())]);
            out.row(&row)?;
        }
    }
    Ok(())
}

pub(crate) fn referrals(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let alloc = AllocCols::new(&ix);
    let (date, source, nfa, count) = (
        ix.c("Date of referral"),
        ix.c("Referral Source"),
        ix.c("Referral NFA?"),
        ix.c("Number of Referrals in Last 12 Months"),
    );
    let mut row = blank_row(def);
    for r in &m.referrals {
        cc.put(&mut row, m.child(r.child), r.date, codes);
        row[date] = V::Date(r.date);
        row[source] = V::Code(r.source);
        row[nfa] = yes_no(codes, r.nfa);
        row[count] = V::Int(r.previous);
        alloc.put(&mut row, &m.staff, r.worker);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn assessments(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let alloc = AllocCols::new(&ix);
    let (start, seen, authorised, support) = (
        ix.c("Continuous Assessment Start Date"),
        ix.c("Child Seen During Continuous Assessment"),
        ix.c("Continuous Assessment Date of Authorisation"),
        ix.c("Was the child assessed as requiring LA children's social care support?"),
    );
    let mut row = blank_row(def);
    for a in &m.assessments {
        cc.put(&mut row, m.child(a.child), a.start, codes);
        row[start] = V::Date(a.start);
        row[seen] = yes_no(codes, a.seen);
        row[authorised] = V::date(a.authorised);
        row[support] = a.needs_support.map_or(V::Blank, |b| yes_no(codes, b));
        alloc.put(&mut row, &m.staff, a.worker);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn s47s(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let alloc = AllocCols::new(&ix);
    let (strategy, unnecessary, icpc, plan, s47_12m, icpc_12m) = (
        ix.c("Strategy discussion initiating Section 47 Enquiry Start Date"),
        ix.c("Was an Initial Child Protection Conference deemed unnecessary?"),
        ix.c("Date of Initial Child Protection Conference"),
        ix.c("Did the Initial Child Protection Conference Result in a Child Protection Plan"),
        ix.c("Number of Section 47 Enquiries in the last 12 months"),
        ix.c("Number of ICPCs in the last 12 months"),
    );
    let mut row = blank_row(def);
    for s in &m.s47s {
        cc.put(&mut row, m.child(s.child), s.strategy, codes);
        row[strategy] = V::Date(s.strategy);
        row[unnecessary] = s.icpc_unnecessary.map_or(V::Blank, |b| yes_no(codes, b));
        row[icpc] = V::date(s.icpc);
        row[plan] = s.icpc_plan.map_or(V::Blank, |b| yes_no(codes, b));
        row[s47_12m] = V::Int(s.s47_12m);
        row[icpc_12m] = V::Int(s.icpc_12m);
        alloc.put(&mut row, &m.staff, s.worker);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn children_in_need(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let alloc = AllocCols::new(&ix);
    let (start, need, seen, closure, reason, status) = (
        ix.c("CIN Start Date"),
        ix.c("Primary Need Code"),
        ix.c("Date Child Was Last Seen"),
        ix.c("CIN Closure Date"),
        ix.c("Reason for Closure"),
        ix.c("Case Status"),
    );
    let mut row = blank_row(def);
    for e in &m.cin {
        cc.put(&mut row, m.child(e.child), m.as_at, codes);
        row[start] = V::Date(e.start);
        row[need] = V::Code(e.need);
        row[seen] = V::date(e.last_seen);
        row[closure] = V::date(e.closure);
        row[reason] = V::code(e.reason);
        row[status] = V::Code(e.status);
        alloc.put(&mut row, &m.staff, e.worker);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn child_protection(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let alloc = AllocCols::new(&ix);
    let cols = [
        ix.c("Child Protection Plan Start Date"),
        ix.c("Initial Category of Abuse"),
        ix.c("Latest Category of Abuse"),
        ix.c("Date of the Last Statutory Visit"),
        ix.c("Was the Child Seen Alone?"),
        ix.c("Date of latest review conference"),
        ix.c("Child Protection Plan End Date"),
        ix.c("Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)"),
        ix.c("Number of Previous Child Protection Plans"),
    ];
    let mut row = blank_row(def);
    for p in &m.plans {
        cc.put(&mut row, m.child(p.child), m.as_at, codes);
        row[cols[0]] = V::Date(p.start);
        row[cols[1]] = V::Code(p.initial);
        row[cols[2]] = V::Code(p.latest);
        row[cols[3]] = V::date(p.visit);
        row[cols[4]] = V::code(p.seen_alone);
        row[cols[5]] = V::date(p.review);
        row[cols[6]] = V::date(p.end);
        row[cols[7]] = yes_no(codes, p.epo);
        row[cols[8]] = V::Int(p.previous);
        alloc.put(&mut row, &m.staff, p.worker);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn children_in_care(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let alloc = AllocCols::new(&ix);
    let c = |name: &str| ix.c(name);
    let uasc = c("Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)");
    let start = c("Date Started to be Looked After");
    let need = c("Child's Category of Need");
    let second = c("Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)");
    let legal_start = c("Start date of current legal status");
    let legal = c("Child's Legal Status");
    let review = c("Date of Latest Statutory Review");
    let visit = c("Date of Last Social Work Visit");
    let permanence = c("What is the permanence plan for this child?");
    let iro = c("Date of Last IRO Visit / Contact to the Child");
    let health = c("Date of Last Health Assessment");
    let dental = c("Date of Last Dental Check");
    let placements = c("Number of Placements in the Last 12 months");
    let ceased = c("Date Ceased to be Looked After");
    let reason = c("Reason Ceased to be Looked After");
    let placement_start = c("Start Date of Most Recent Placement");
    let placement_type = c("Placement Type");
    let provider = c("Placement Provider");
    let postcode = c("Placement postcode");
    let urn = c("URN of Placement");
    let location = c("Placement Location");
    let placed_in = c("LA of Placement");
    let missing =
        c("Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months");
    let absent = c(
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
    );
    let offered =
        c("Was the child offered a Return Interview after their last missing episode (Y/N)?");
    let accepted =
        c("Did the child accept a Return Interview after their last missing episode (Y/N)?");
    let mut row = blank_row(def);
    for k in &m.cla {
        cc.put(&mut row, m.child(k.child), m.as_at, codes);
        row[uasc] = yes_no(codes, k.uasc);
        row[start] = V::Date(k.start);
        row[need] = V::Code(k.need);
        row[second] = yes_no(codes, k.second_period);
        row[legal_start] = V::Date(k.legal_start);
        row[legal] = V::Code(k.legal);
        row[review] = V::date(k.review);
        row[visit] = V::date(k.visit);
        row[permanence] = V::code(k.permanence);
        row[iro] = V::date(k.iro);
        row[health] = V::date(k.health);
        row[dental] = V::date(k.dental);
        row[placements] = V::Int(k.placements);
        row[ceased] = V::date(k.ceased);
        row[reason] = V::code(k.reason_ceased);
        row[placement_start] = V::Date(k.placement_start);
        row[placement_type] = V::Code(k.placement_type);
        row[provider] = V::Code(k.provider);
        row[postcode] = V::Text(&k.postcode);
        row[urn] = k.urn.as_deref().map_or(V::Blank, V::Text);
        row[location] = V::Code(match k.placed_in {
            None => codes.location_in,
            Some(_) => codes.location_out,
        });
        row[placed_in] = V::Text(match k.placed_in {
            None => m.la_name.as_str(),
            Some(i) => m.other_las.get(i).map_or("WAL", String::as_str),
        });
        row[missing] = V::Int(k.missing);
        row[absent] = V::Int(k.absent);
        row[offered] = V::code(k.ri_offered);
        row[accepted] = V::code(k.ri_accepted);
        alloc.put(&mut row, &m.staff, k.worker);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn care_leavers(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let alloc = AllocCols::new(&ix);
    let c = |name: &str| ix.c(name);
    let uasc = c("Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)");
    let adviser = c("Allocated Personal Advisor");
    let eligibility = c("Eligibility Category");
    let pathway = c("Latest Pathway Plan Review Date");
    let in_touch = c("LA in Touch");
    let contact = c("Latest Date of Contact");
    let accommodation = c("Type of Accommodation");
    let suitability = c("Suitability of Accommodation");
    let activity = c("Activity Status");
    let mut row = blank_row(def);
    for l in &m.leavers {
        cc.put(&mut row, m.child(l.child), m.as_at, codes);
        row[uasc] = yes_no(codes, l.uasc);
        alloc.put(&mut row, &m.staff, l.worker);
        row[adviser] = V::Text(m.staff.name(l.adviser));
        row[eligibility] = V::Code(l.eligibility);
        row[pathway] = V::date(l.pathway_review);
        row[in_touch] = V::Code(l.in_touch);
        row[contact] = V::date(l.contact);
        row[accommodation] = V::code(l.accommodation);
        row[suitability] = V::code(l.suitability);
        row[activity] = V::code(l.activity);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn adoption(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let cc = ChildCols::new(&ix);
    let c = |name: &str| ix.c(name);
    let family = c("Family identifier");
    let entered = c("Date the Child Entered Care");
    let decision = c("Date of Decision that Child Should be Placed for Adoption");
    let po = c("Date of Placement Order");
    let matched = c("Date of Matching Child and Prospective Adopters");
    let placed = c("Date Placed for Adoption");
    let order = c("Date of Adoption Order");
    let no_longer = c("Date of Decision that Child Should No Longer be Placed for Adoption");
    let reason = c("Reason Why Child No Longer Placed for Adoption");
    let ffa = c("Date the child was placed for fostering in FFA or concurrent planning placement");
    let mut row = blank_row(def);
    for a in &m.adoption {
        cc.put(&mut row, m.child(a.child), m.as_at, codes);
        row[family] = a.family.map_or(V::Blank, |f| V::Id(u64::from(f)));
        row[entered] = V::Date(a.entered);
        row[decision] = V::Date(a.decision);
        row[po] = V::date(a.placement_order);
        row[matched] = V::date(a.matched);
        row[placed] = V::date(a.placed);
        row[order] = V::date(a.order);
        row[no_longer] = V::date(a.no_longer);
        row[reason] = V::code(a.reason);
        row[ffa] = V::date(a.ffa);
        out.row(&row)?;
    }
    Ok(())
}

pub(crate) fn adopters(
    m: &Model,
    codes: &Codes,
    out: &mut ListOut<'_>,
    def: &ListDef,
) -> Result<(), GenerateError> {
    let ix = Ix(def);
    let c = |name: &str| ix.c(name);
    let id = c("Individual adopter identifier");
    let family = c("Family identifier");
    let gender = c("Gender");
    let ethnicity = c("Ethnicity");
    let disability = c("Disability");
    let ffa = c("Is the (prospective) adopter fostering for adoption?");
    let enquiry = c("Date enquiry received");
    let s1 = (c("Date Stage 1 started"), c("Date Stage 1 ended"));
    let s2 = (c("Date Stage 2 started"), c("Date Stage 2 ended"));
    let submitted = c("Date application submitted");
    let approved = c("Date application approved");
    let matched = c("Date adopter matched with child(ren)");
    let placed = c("Date child/children placed with adopter(s)");
    let count = c("No. of children placed");
    let order = c("Date of Adoption Order");
    let left = c("Date of leaving adoption process");
    let reason = c("Reason for leaving adoption process");
    let mut row = blank_row(def);
    for a in &m.adopters {
        row[id] = V::Id(u64::from(a.id));
        row[family] = V::Id(u64::from(a.family));
        row[gender] = V::Code(a.gender);
        row[ethnicity] = V::Code(a.ethnicity);
        row[disability] = yes_no(codes, a.disabled);
        row[ffa] = yes_no(codes, a.ffa);
        row[enquiry] = V::Date(a.enquiry);
        row[s1.0] = V::date(a.stage1.0);
        row[s1.1] = V::date(a.stage1.1);
        row[s2.0] = V::date(a.stage2.0);
        row[s2.1] = V::date(a.stage2.1);
        row[submitted] = V::date(a.submitted);
        row[approved] = V::date(a.approved);
        row[matched] = V::date(a.matched);
        row[placed] = V::date(a.placed);
        row[count] = a.children_placed.map_or(V::Blank, V::Int);
        row[order] = V::date(a.order);
        row[left] = V::date(a.left);
        row[reason] = V::code(a.left_reason);
        out.row(&row)?;
    }
    Ok(())
}
