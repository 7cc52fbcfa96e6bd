//! One LA's children and what happened to them: referrals flowing into assessments,
//! section 47 enquiries, conferences, plans and care; the children open on R; care
//! leavers; adoption and adopters. Built whole in memory (a few compact records per
//! child, some tens of megabytes for the largest LA at four times its real volumes),
//! then written list by list. Contacts and early help assessments that lead nowhere
//! are not kept: they are made as they are written.

use super::codes::Codes;
use super::profile::Profile;
use super::rng::{add_weekdays, age_on, plus_days, plus_years, sub_weekdays, SplitMix64};
use chrono::{Months, NaiveDate};

#[derive(Debug, Clone)]
pub(crate) struct Child {
    pub id: u64,
    pub gender: u16,
    pub ethnicity: u16,
    pub dob: NaiveDate,
    pub disabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Assessment = 0,
    Safeguarding = 1,
    InCare = 2,
    LeavingCare = 3,
}

#[derive(Debug, Clone)]
pub(crate) struct Worker {
    pub name: String,
    pub team: u32,
    /// How much of a full caseload (part-time, newly qualified...).
    weight: f64,
}

/// The LA's teams and workers, by the kind of work they do.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub teams: Vec<String>,
    pub workers: Vec<Worker>,
    by_kind: [Vec<u32>; 4],
}

impl Staff {
    pub(crate) fn pick(&self, kind: Kind, rng: &mut SplitMix64) -> u32 {
        let pool = &self.by_kind[kind as usize];
        loop {
            let w = pool[rng.below(pool.len())];
            if rng.chance(self.workers[w as usize].weight) {
                return w;
            }
        }
    }

    pub(crate) fn team_of(&self, worker: u32) -> &str {
        &self.teams[self.workers[worker as usize].team as usize]
    }

    pub(crate) fn name(&self, worker: u32) -> &str {
        &self.workers[worker as usize].name
    }
}

pub(crate) struct Referral {
    pub child: u32,
    pub date: NaiveDate,
    pub source: u16,
    pub nfa: bool,
    pub previous: u32,
    pub worker: u32,
}

pub(crate) struct Contact {
    pub child: u32,
    pub date: NaiveDate,
    pub source: u16,
}

pub(crate) struct Assessment {
    pub child: u32,
    pub start: NaiveDate,
    pub seen: bool,
    pub authorised: Option<NaiveDate>,
    pub needs_support: Option<bool>,
    pub worker: u32,
}

pub(crate) struct S47 {
    pub child: u32,
    pub strategy: NaiveDate,
    pub icpc_unnecessary: Option<bool>,
    pub icpc: Option<NaiveDate>,
    pub icpc_plan: Option<bool>,
    pub s47_12m: u32,
    pub icpc_12m: u32,
    pub worker: u32,
}

pub(crate) struct Plan {
    pub child: u32,
    pub start: NaiveDate,
    pub initial: u16,
    pub latest: u16,
    pub visit: Option<NaiveDate>,
    pub seen_alone: Option<u16>,
    pub review: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub epo: bool,
    pub previous: u32,
    pub worker: u32,
}

pub(crate) struct Cin {
    pub child: u32,
    pub start: NaiveDate,
    pub need: u16,
    pub last_seen: Option<NaiveDate>,
    pub closure: Option<NaiveDate>,
    pub reason: Option<u16>,
    pub status: u16,
    pub worker: u32,
}

pub(crate) struct Cla {
    pub child: u32,
    pub uasc: bool,
    pub start: NaiveDate,
    pub need: u16,
    pub second_period: bool,
    pub legal_start: NaiveDate,
    pub legal: u16,
    pub review: Option<NaiveDate>,
    pub visit: Option<NaiveDate>,
    pub permanence: Option<u16>,
    pub iro: Option<NaiveDate>,
    pub health: Option<NaiveDate>,
    pub dental: Option<NaiveDate>,
    pub placements: u32,
    pub ceased: Option<NaiveDate>,
    pub reason_ceased: Option<u16>,
    pub placement_start: NaiveDate,
    pub placement_type: u16,
    pub provider: u16,
    pub postcode: String,
    pub urn: Option<String>,
    /// None: in the LA's area; Some(i): `other_las[i]`, or Wales when out of range.
    pub placed_in: Option<usize>,
    pub missing: u32,
    pub absent: u32,
    pub ri_offered: Option<u16>,
    pub ri_accepted: Option<u16>,
    pub worker: u32,
}

pub(crate) struct Leaver {
    pub child: u32,
    pub uasc: bool,
    pub worker: u32,
    pub adviser: u32,
    pub eligibility: u16,
    pub pathway_review: Option<NaiveDate>,
    pub in_touch: u16,
    pub contact: Option<NaiveDate>,
    pub accommodation: Option<u16>,
    pub suitability: Option<u16>,
    pub activity: Option<u16>,
}

pub(crate) struct AdoptionCase {
    pub child: u32,
    /// Brothers and sisters matched together share a group, and so a family.
    group: usize,
    pub family: Option<u32>,
    pub entered: NaiveDate,
    pub decision: NaiveDate,
    pub placement_order: Option<NaiveDate>,
    pub matched: Option<NaiveDate>,
    pub placed: Option<NaiveDate>,
    pub order: Option<NaiveDate>,
    pub no_longer: Option<NaiveDate>,
    pub reason: Option<u16>,
    pub ffa: Option<NaiveDate>,
}

pub(crate) struct Adopter {
    pub id: u32,
    pub family: u32,
    pub gender: u16,
    pub ethnicity: u16,
    pub disabled: bool,
    pub ffa: bool,
    pub enquiry: NaiveDate,
    pub stage1: (Option<NaiveDate>, Option<NaiveDate>),
    pub stage2: (Option<NaiveDate>, Option<NaiveDate>),
    pub submitted: Option<NaiveDate>,
    pub approved: Option<NaiveDate>,
    pub matched: Option<NaiveDate>,
    pub placed: Option<NaiveDate>,
    pub children_placed: Option<u32>,
    pub order: Option<NaiveDate>,
    pub left: Option<NaiveDate>,
    pub left_reason: Option<u16>,
}

pub(crate) struct Model {
    pub as_at: NaiveDate,
    /// The first day of the window W.
    pub w0: NaiveDate,
    pub la_name: String,
    pub other_las: Vec<String>,
    /// The LA's postcode area, for placements in its area.
    pub postcode_area: String,
    pub children: Vec<Child>,
    pub staff: Staff,
    pub contacts: Vec<Contact>,
    /// Contacts of children never referred: made as List 1 is written.
    pub standalone_contacts: u32,
    pub early_help: u32,
    pub referrals: Vec<Referral>,
    pub assessments: Vec<Assessment>,
    pub s47s: Vec<S47>,
    pub plans: Vec<Plan>,
    pub cin: Vec<Cin>,
    pub cla: Vec<Cla>,
    pub leavers: Vec<Leaver>,
    pub adoption: Vec<AdoptionCase>,
    pub adopters: Vec<Adopter>,
    /// Child IDs are issued in order; the rows made as they are written take theirs
    /// from here on.
    pub next_id: u64,
}

/// What became of a referral's episode of need, settled once plans and care are made.
enum Fate {
    Closed(NaiveDate, u16),
    OpenAssessment,
    CinPlan,
    /// A child protection plan: the plan's own episode stands for it.
    Plan,
    /// Care: the care's own episode stands for it.
    Care,
}

struct Episode {
    child: u32,
    start: NaiveDate,
    fate: Fate,
    worker: u32,
}

/// Children in care made elsewhere (from a referral, or an adoption case) before the
/// rest are filled in.
struct CareStart {
    child: u32,
    start: NaiveDate,
    ceased: Option<(NaiveDate, u16)>,
    adoption: Option<usize>,
}

const FIRST_NAMES: [&str; 64] = [
    "Aisha",
    "Alex",
    "Amara",
    "Amy",
    "Andrew",
    "Anna",
    "Ben",
    "Bethany",
    "Carl",
    "Charlotte",
    "Chloe",
    "Daniel",
    "David",
    "Dawn",
    "Ella",
    "Emma",
    "Faisal",
    "Fiona",
    "Gareth",
    "Grace",
    "Hannah",
    "Harpreet",
    "Helen",
    "Imran",
    "Jade",
    "James",
    "Jasmine",
    "Joanne",
    "John",
    "Karen",
    "Kate",
    "Kwame",
    "Laura",
    "Leanne",
    "Lisa",
    "Lucy",
    "Mark",
    "Martin",
    "Megan",
    "Michelle",
    "Mohammed",
    "Natalie",
    "Nicola",
    "Olivia",
    "Owen",
    "Paul",
    "Priya",
    "Rachel",
    "Rebecca",
    "Richard",
    "Rosie",
    "Ruth",
    "Sadia",
    "Sam",
    "Sarah",
    "Shanice",
    "Sophie",
    "Stephen",
    "Tariq",
    "Tom",
    "Tracey",
    "Vicky",
    "Yasmin",
    "Zoe",
];
const LAST_NAMES: [&str; 64] = [
    "Adams",
    "Ahmed",
    "Ali",
    "Allen",
    "Baker",
    "Begum",
    "Bell",
    "Brown",
    "Campbell",
    "Carter",
    "Clarke",
    "Cooper",
    "Davies",
    "Edwards",
    "Evans",
    "Fisher",
    "Green",
    "Griffiths",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Khan",
    "King",
    "Lee",
    "Lewis",
    "Marshall",
    "Martin",
    "Mensah",
    "Mitchell",
    "Moore",
    "Morgan",
    "Morris",
    "Murphy",
    "Nowak",
    "Okafor",
    "Parker",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
];
const LOCALITIES: [&str; 8] = [
    "North", "South", "East", "West", "Central", "Coastal", "City", "Rural",
];
/// Postcode areas for placements out of the LA's area.
pub(crate) const OTHER_AREAS: [&str; 24] = [
    "B", "BS", "CF", "CV", "DE", "DN", "EX", "HU", "L", "LE", "LS", "M", "ME", "NE", "NG", "NR",
    "OX", "PL", "PO", "S", "SO", "ST", "TS", "WV",
];

impl Model {
    pub(crate) fn build(profile: &Profile, codes: &Codes, seed: u64) -> Model {
        let as_at = profile.as_at;
        let w0 = as_at
            .checked_sub_months(Months::new(6))
            .map_or(as_at, |d| plus_days(d, 1));
        let mut rng = SplitMix64::derive(seed, "staff");
        let staff = staff(profile, &mut rng);
        let postcode_area: String = profile
            .la_name
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .take(2)
            .collect::<String>()
            .to_ascii_uppercase();
        let mut model = Model {
            as_at,
            w0,
            la_name: profile.la_name.clone(),
            other_las: profile.other_las.clone(),
            postcode_area: if postcode_area.is_empty() {
                "ZZ".to_string()
            } else {
                postcode_area
            },
            children: Vec::new(),
            staff,
            contacts: Vec::new(),
            standalone_contacts: 0,
            early_help: profile.volumes.early_help,
            referrals: Vec::new(),
            assessments: Vec::new(),
            s47s: Vec::new(),
            plans: Vec::new(),
            cin: Vec::new(),
            cla: Vec::new(),
            leavers: Vec::new(),
            adoption: Vec::new(),
            adopters: Vec::new(),
            next_id: 1_000_000 + (seed % 7) * 1_000_000 + SplitMix64(seed).below(50_000) as u64,
        };
        let mut b = Builder {
            profile,
            codes,
            seed,
            m: &mut model,
        };
        let (episodes, care_starts) = b.referrals();
        let adoption_care = b.adoption();
        b.plans();
        b.care(care_starts, adoption_care);
        b.episodes(episodes);
        b.care_leavers();
        b.adopters();
        model.contacts.sort_by_key(|c| c.date);
        model.standalone_contacts = profile
            .volumes
            .contacts
            .saturating_sub(model.contacts.len() as u32);
        model
    }

    pub(crate) fn child(&self, i: u32) -> &Child {
        &self.children[i as usize]
    }
}

struct Builder<'a> {
    profile: &'a Profile,
    codes: &'a Codes,
    seed: u64,
    m: &'a mut Model,
}

/// Ages of referred children (at referral): DfE's children in need by age, roughly.
const REFERRAL_AGES: [(u32, u32, f64); 5] = [
    (0, 0, 10.0),
    (1, 4, 19.0),
    (5, 9, 24.0),
    (10, 15, 35.0),
    (16, 17, 12.0),
];
/// Ages of children in care on R.
const CARE_AGES: [(u32, u32, f64); 5] = [
    (0, 0, 5.0),
    (1, 4, 14.0),
    (5, 9, 18.0),
    (10, 15, 38.0),
    (16, 17, 25.0),
];

impl Builder<'_> {
    fn rng(&self, part: &str) -> SplitMix64 {
        SplitMix64::derive(self.seed, part)
    }

    fn rate(&self, percent: f64) -> f64 {
        (percent / 100.0).clamp(0.0, 1.0)
    }

    /// A new child born on `dob`.
    fn child(&mut self, rng: &mut SplitMix64, dob: NaiveDate) -> u32 {
        let id = self.m.next_id;
        self.m.next_id += 1 + rng.below(6) as u64;
        self.m.children.push(Child {
            id,
            gender: self.codes.gender.draw(rng),
            ethnicity: self.codes.ethnicity.draw(rng),
            dob,
            disabled: rng.chance(0.09),
        });
        (self.m.children.len() - 1) as u32
    }

    /// A new child aged `age` (whole years) on `on`.
    fn child_aged(&mut self, rng: &mut SplitMix64, age: u32, on: NaiveDate) -> u32 {
        let dob = birth_for_age(rng, age, on);
        self.child(rng, dob)
    }

    fn age_from(rng: &mut SplitMix64, bands: &[(u32, u32, f64)]) -> u32 {
        let weights: Vec<f64> = bands.iter().map(|b| b.2).collect();
        let (lo, hi, _) = bands[rng.weighted(&weights)];
        rng.range(i64::from(lo), i64::from(hi)) as u32
    }

    /// Referrals in W and everything that follows from them: contacts before them,
    /// assessments, section 47 enquiries, conferences, plans and care.
    fn referrals(&mut self) -> (Vec<Episode>, Vec<CareStart>) {
        let v = &self.profile.volumes;
        let r = &self.profile.rates;
        let (w0, as_at) = (self.m.w0, self.m.as_at);
        let mut rng = self.rng("referrals");
        let n = v.referrals as usize;
        let mut dates: Vec<NaiveDate> = (0..n).map(|_| rng.workday_between(w0, as_at)).collect();
        dates.sort();

        // Who goes where, by exact shares, so volumes and rates come out as asked.
        let nfa = rng.quota(n, self.rate(r.referral_nfa));
        let rerefer = rng.quota(n, self.rate(r.re_referral));
        let subset = |rng: &mut SplitMix64, of: &[usize], want: u32| -> Vec<bool> {
            let share = if of.is_empty() {
                0.0
            } else {
                f64::from(want) / of.len() as f64
            };
            let flags = rng.quota(of.len(), share);
            let mut all = vec![false; n];
            for (i, f) in of.iter().zip(flags) {
                all[*i] = f;
            }
            all
        };
        let which = |flags: &[bool]| -> Vec<usize> { (0..n).filter(|&i| flags[i]).collect() };
        let not_nfa: Vec<usize> = (0..n).filter(|&i| !nfa[i]).collect();
        let assessed = subset(&mut rng, &not_nfa, v.assessments);
        let s47 = subset(&mut rng, &which(&assessed), v.s47);
        let icpc = subset(&mut rng, &which(&s47), v.icpcs);
        let plan = subset(&mut rng, &which(&icpc), v.cpp_starts);
        // About 40% of children starting care in W were referred in W.
        let care_from = (0..n)
            .filter(|&i| assessed[i] && !plan[i])
            .collect::<Vec<_>>();
        let care = subset(
            &mut rng,
            &care_from,
            (f64::from(v.cla_starts) * 0.4).round() as u32,
        );

        let c = self.codes;
        let mut episodes = Vec::with_capacity(n);
        let mut care_starts = Vec::new();
        // Children whose episode has closed, who may be referred again: (closed, child,
        // referrals so far).
        let mut closed_pool: Vec<(NaiveDate, u32, u32)> = Vec::new();
        let mut plans_w: Vec<(u32, NaiveDate, usize)> = Vec::new();
        for i in 0..n {
            let d = dates[i];
            let mut reused = None;
            if rerefer[i] && rng.chance(0.35) && !closed_pool.is_empty() {
                for _ in 0..8 {
                    let k = rng.below(closed_pool.len());
                    if closed_pool[k].0 <= plus_days(d, -7) {
                        reused = Some(closed_pool.swap_remove(k));
                        break;
                    }
                }
            }
            let (child, previous) = match reused {
                Some((_, child, so_far)) => (child, so_far),
                None => {
                    let age = Self::age_from(&mut rng, &REFERRAL_AGES);
                    let child = self.child_aged(&mut rng, age, d);
                    let previous = if rerefer[i] {
                        1 + rng.weighted(&[60.0, 25.0, 10.0, 5.0]) as u32
                    } else {
                        0
                    };
                    (child, previous)
                }
            };
            let worker = self.m.staff.pick(Kind::Assessment, &mut rng);
            let source = c.source.draw(&mut rng);
            self.m.referrals.push(Referral {
                child,
                date: d,
                source,
                nfa: nfa[i],
                previous,
                worker,
            });
            // Most referrals follow a contact a day or two before.
            if rng.chance(0.92) {
                let lag = rng.weighted(&[55.0, 25.0, 12.0, 8.0]) as i64;
                let date = plus_days(d, -lag);
                if date >= w0 {
                    self.m.contacts.push(Contact {
                        child,
                        date,
                        source,
                    });
                }
            }
            let closed = |date: NaiveDate, reason: usize| Fate::Closed(date, c.rc[reason]);
            let fate = if nfa[i] {
                closed(d, 8)
            } else if !assessed[i] {
                closed(plus_days(d, rng.range(1, 10)).min(as_at), 7)
            } else {
                let start = plus_days(d, rng.range(0, 2)).min(as_at);
                let on_time = rng.chance(self.rate(r.assessment_45wd));
                let days = if on_time {
                    rng.range(8, 45)
                } else {
                    rng.range(50, 80)
                };
                let authorised = Some(add_weekdays(start, days as u32)).filter(|a| *a <= as_at);
                let mut needs_support = None;
                let mut fate = None;
                if s47[i] {
                    let strategy = add_weekdays(d, rng.range(0, 4) as u32).min(as_at);
                    let (mut unnecessary, mut date, mut result) = (None, None, None);
                    if icpc[i] {
                        let days = if rng.chance(self.rate(r.icpc_15wd)) {
                            rng.range(4, 15)
                        } else {
                            rng.range(19, 30)
                        };
                        let held = add_weekdays(strategy, days as u32);
                        if held <= as_at {
                            unnecessary = Some(false);
                            date = Some(held);
                            result = Some(plan[i]);
                            if plan[i] {
                                plans_w.push((child, held, i));
                            }
                        }
                    } else if rng.chance(0.9) {
                        unnecessary = Some(true);
                    }
                    self.m.s47s.push(S47 {
                        child,
                        strategy,
                        icpc_unnecessary: unnecessary,
                        icpc: date,
                        icpc_plan: result,
                        s47_12m: 1 + u32::from(rng.chance(0.12)),
                        icpc_12m: u32::from(date.is_some()) + u32::from(rng.chance(0.04)),
                        worker,
                    });
                    if authorised.is_some() {
                        needs_support = Some(!(date.is_none() && rng.chance(0.4)));
                    }
                    if result == Some(true) {
                        // Settled once the plan is made.
                        fate = Some(Fate::Plan);
                    }
                } else if authorised.is_some() {
                    needs_support = Some(!rng.chance(self.rate(r.assessment_not_in_need)));
                }
                self.m.assessments.push(Assessment {
                    child,
                    start,
                    seen: rng.chance(self.rate(r.assessment_seen)),
                    authorised,
                    needs_support,
                    worker,
                });
                let after = authorised.unwrap_or(start);
                let care_start = plus_days(after, rng.range(0, 30));
                match fate {
                    Some(f) => f,
                    None if care[i] && care_start <= as_at => {
                        care_starts.push(CareStart {
                            child,
                            start: care_start,
                            ceased: None,
                            adoption: None,
                        });
                        Fate::Care
                    }
                    None => match (authorised, needs_support) {
                        (None, _) => Fate::OpenAssessment,
                        (Some(a), Some(false)) => closed(a, if rng.chance(0.6) { 8 } else { 9 }),
                        (Some(a), _) => {
                            let end = plus_days(a, rng.range(30, 150));
                            if end <= as_at && rng.chance(0.25) {
                                closed(end, 7)
                            } else {
                                Fate::CinPlan
                            }
                        }
                    },
                }
            };
            if let Fate::Closed(date, _) = fate {
                closed_pool.push((date, child, previous + 1));
            }
            episodes.push(Episode {
                child,
                start: d,
                fate,
                worker,
            });
        }

        // Plans starting in W, from the conferences above.
        let subsequent = rng.quota(plans_w.len(), self.rate(r.cpp_subsequent));
        for ((child, start, referral), again) in plans_w.into_iter().zip(subsequent) {
            let previous = if again {
                1 + rng.weighted(&[75.0, 20.0, 5.0]) as u32
            } else {
                0
            };
            // A few short plans end within W.
            let end = Some(plus_days(start, rng.range(60, 120)))
                .filter(|e| *e <= as_at && rng.chance(0.08));
            self.plan(&mut rng, child, start, end, previous, true);
            episodes[referral].fate = Fate::Plan;
        }
        (episodes, care_starts)
    }

    /// One child protection plan, its visits and reviews.
    fn plan(
        &mut self,
        rng: &mut SplitMix64,
        child: u32,
        start: NaiveDate,
        end: Option<NaiveDate>,
        previous: u32,
        recent: bool,
    ) {
        let c = self.codes;
        let as_at = self.m.as_at;
        let until = end.unwrap_or(as_at);
        let initial = c.abuse.draw(rng);
        let latest = if rng.chance(0.85) {
            initial
        } else {
            *rng.pick(&c.abuse_all)
        };
        let visit = if end.is_some() {
            plus_days(until, -rng.range(0, 15)).max(start)
        } else if rng.chance(self.rate(self.profile.rates.cp_visit_10wd)) {
            sub_weekdays(as_at, rng.range(0, 9) as u32).max(start)
        } else {
            sub_weekdays(as_at, rng.range(13, 30) as u32).max(start)
        };
        // Reviews: the first within 3 months, then every 6; a few are late.
        let mut review = None;
        let mut next = plus_days(start, rng.range(70, 90));
        let mut reviews = Vec::new();
        while next <= until {
            reviews.push(next);
            next = plus_days(next, rng.range(150, 182));
        }
        if !reviews.is_empty() {
            if rng.chance(0.08) {
                reviews.pop();
            }
            review = reviews.last().copied();
        }
        let seen_alone = match rng.weighted(&[80.0, 17.0, 3.0]) {
            0 => Some(c.yes),
            1 => Some(c.no),
            _ => None,
        };
        let worker = self.m.staff.pick(Kind::Safeguarding, rng);
        self.m.plans.push(Plan {
            child,
            start,
            initial,
            latest,
            visit: Some(visit),
            seen_alone,
            review,
            end,
            epo: rng.chance(if recent { 0.04 } else { 0.01 }),
            previous,
            worker,
        });
    }

    /// Plans that started before W: open on R (the rest of the published number), and
    /// those that ended in W.
    fn plans(&mut self) {
        let mut rng = self.rng("plans");
        let (w0, as_at) = (self.m.w0, self.m.as_at);
        let open_from_w = self.m.plans.iter().filter(|p| p.end.is_none()).count() as u32;
        let ended_in_w = self.m.plans.len() as u32 - open_from_w;
        let v = &self.profile.volumes;
        let older = v.child_protection.saturating_sub(open_from_w) as usize;
        let total_open = (open_from_w as usize + older) as f64;
        let two_years = ((self.rate(self.profile.rates.cpp_two_years) * total_open).round()
            as usize)
            .min(older);
        let two_years_ago = plus_years(as_at, -2);
        for k in 0..older {
            let start = if k < two_years {
                plus_days(two_years_ago, -rng.range(0, 400))
            } else if rng.chance(0.6) {
                // 6 months to a year.
                plus_days(as_at, -rng.range(183, 365)).min(plus_days(w0, -1))
            } else {
                plus_days(as_at, -rng.range(366, 720))
            };
            let age = rng.range(0, 17) as u32;
            let dob = birth_for_age(&mut rng, age, as_at).min(plus_days(start, -30));
            let child = self.child(&mut rng, dob);
            let previous = rng.weighted(&[78.0, 17.0, 5.0]) as u32;
            self.plan(&mut rng, child, start, None, previous, false);
        }
        // Plans ending in W about balance those starting.
        let ending = v.cpp_starts.saturating_sub(ended_in_w);
        for _ in 0..ending {
            let end = rng.workday_between(w0, as_at);
            let start = plus_days(end, -rng.range(120, 700)).min(plus_days(w0, -1));
            let age = rng.range(0, 17) as u32;
            let dob = birth_for_age(&mut rng, age, as_at).min(plus_days(start, -30));
            let child = self.child(&mut rng, dob);
            let previous = rng.weighted(&[78.0, 17.0, 5.0]) as u32;
            self.plan(&mut rng, child, start, Some(end), previous, false);
        }
    }

    /// Children with a decision that they should be placed for adoption in the 18
    /// months to R, each as far along as their dates reach by R. Returns those in
    /// care on R or adopted in W, for List 8.
    fn adoption(&mut self) -> Vec<CareStart> {
        let mut rng = self.rng("adoption");
        let (w0, as_at) = (self.m.w0, self.m.as_at);
        let c = self.codes;
        let mut in_care = Vec::new();
        let mut last_matched: Option<usize> = None;
        for _ in 0..self.profile.volumes.adoption {
            let decision = plus_days(as_at, -rng.range(0, 540));
            let entered = plus_days(decision, -rng.range(60, 400));
            let age_at_entry = [0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 5][rng.below(11)];
            let dob = if age_at_entry == 0 {
                plus_days(entered, -rng.range(0, 200))
            } else {
                birth_for_age(&mut rng, age_at_entry, entered)
            };
            let child = self.child(&mut rng, dob);
            let mut case = AdoptionCase {
                child,
                group: self.m.adoption.len(),
                family: None,
                entered,
                decision,
                placement_order: None,
                matched: None,
                placed: None,
                order: None,
                no_longer: None,
                reason: None,
                ffa: None,
            };
            if rng.chance(0.12) {
                case.ffa = Some(plus_days(entered, rng.range(0, 30)).min(as_at));
            }
            let stop = if rng.chance(0.08) {
                let date = plus_days(decision, rng.range(30, 300));
                (date <= as_at).then(|| {
                    case.no_longer = Some(date);
                    case.reason = Some(c.adoption_ended.draw(&mut rng));
                    date
                })
            } else {
                None
            };
            let before = |d: NaiveDate| d <= as_at && stop.is_none_or(|s| d < s);
            let po = plus_days(decision, rng.range(20, 180));
            if before(po) {
                case.placement_order = Some(po);
                // Brothers and sisters are often matched with one family together.
                let sibling = last_matched
                    .filter(|_| rng.chance(0.15))
                    .map(|k| &self.m.adoption[k]);
                let (matched, placed, order) = match sibling {
                    Some(s) => (s.matched, s.placed, s.order),
                    None => {
                        let matched = plus_days(po, rng.range(30, 250));
                        let placed = plus_days(matched, rng.range(7, 35));
                        let order = plus_days(placed, rng.range(120, 400));
                        (Some(matched), Some(placed), Some(order))
                    }
                };
                case.matched = matched.filter(|d| before(*d) && *d >= po);
                case.placed = placed.filter(|d| case.matched.is_some() && before(*d));
                case.order = order.filter(|d| case.placed.is_some() && before(*d));
                if let Some(s) =
                    sibling.filter(|s| case.matched.is_some() && s.matched == case.matched)
                {
                    case.group = s.group;
                }
            }
            let k = self.m.adoption.len();
            if case.matched.is_some() {
                last_matched = Some(k);
            }
            match case.order {
                Some(order) if order < w0 => {}
                Some(order) => in_care.push(CareStart {
                    child,
                    start: entered,
                    ceased: Some((order, c.ceased_adopted.draw(&mut rng))),
                    adoption: Some(k),
                }),
                None => in_care.push(CareStart {
                    child,
                    start: entered,
                    ceased: None,
                    adoption: Some(k),
                }),
            }
            self.m.adoption.push(case);
        }
        in_care
    }

    /// Children in care on R and those who ceased to be in W.
    fn care(&mut self, from_referrals: Vec<CareStart>, from_adoption: Vec<CareStart>) {
        let mut rng = self.rng("care");
        let (w0, as_at) = (self.m.w0, self.m.as_at);
        let v = &self.profile.volumes;
        let mut starts: Vec<CareStart> = from_referrals;
        starts.extend(from_adoption);
        let open_made = starts.iter().filter(|s| s.ceased.is_none()).count() as u32;
        let ceased_made = starts.len() as u32 - open_made;
        let mut uasc = std::collections::HashSet::new();
        // Children starting in W not referred in W (police protection, remands,
        // unaccompanied children arriving), still in care on R.
        let starting = ((f64::from(v.cla_starts) * 0.85).round() as u32)
            .saturating_sub(starts.iter().filter(|s| s.start >= w0).count() as u32)
            .min(v.children_in_care.saturating_sub(open_made));
        for _ in 0..starting {
            let start = rng.workday_between(w0, as_at);
            let is_uasc = rng.chance(0.15);
            let age = if is_uasc {
                rng.range(14, 17) as u32
            } else {
                Self::age_from(&mut rng, &CARE_AGES)
            };
            let dob = birth_for_age(&mut rng, age, as_at).min(start);
            let child = self.child(&mut rng, dob);
            if is_uasc {
                uasc.insert(child);
            }
            starts.push(CareStart {
                child,
                start,
                ceased: None,
                adoption: None,
            });
        }
        // The rest of those in care on R started before W.
        let longer = v.children_in_care.saturating_sub(open_made + starting);
        for _ in 0..longer {
            let is_uasc = rng.chance(0.06);
            let age = if is_uasc {
                rng.range(15, 17) as u32
            } else {
                Self::age_from(&mut rng, &CARE_AGES)
            };
            let dob = birth_for_age(&mut rng, age, as_at);
            // Time in care: 6 months to a year, 1 to 2.5 years, or longer; never
            // before birth.
            let days = match rng.weighted(&[20.0, 30.0, 50.0]) {
                0 => rng.range(183, 365),
                1 => rng.range(366, 912),
                _ => rng.range(913, 4000),
            };
            let start = plus_days(as_at, -days)
                .max(dob)
                .min(plus_days(w0, -1))
                .max(dob);
            let child = self.child(&mut rng, dob);
            if is_uasc {
                uasc.insert(child);
            }
            starts.push(CareStart {
                child,
                start,
                ceased: None,
                adoption: None,
            });
        }
        // Ceasing in W: a third on turning 18, the rest for other reasons.
        let ceasing = v.cla_ceased.saturating_sub(ceased_made);
        let at_18 = (f64::from(ceasing) * 0.3).round() as u32;
        for k in 0..ceasing {
            let ceased = rng.workday_between(w0, as_at);
            let (dob, reason) = if k < at_18 {
                (
                    plus_years(ceased, -18),
                    self.codes.ceased_at_18.draw(&mut rng),
                )
            } else {
                let age = Self::age_from(&mut rng, &CARE_AGES).min(17);
                (
                    birth_for_age(&mut rng, age, ceased),
                    self.codes.ceased_other.draw(&mut rng),
                )
            };
            let start = plus_days(ceased, -rng.range(14, 1500)).max(dob);
            let child = self.child(&mut rng, dob);
            starts.push(CareStart {
                child,
                start,
                ceased: Some((ceased, reason)),
                adoption: None,
            });
        }

        // Placement moves and stability, over those in care on R, by exact shares.
        let r = &self.profile.rates;
        let open: Vec<usize> = (0..starts.len())
            .filter(|&i| starts[i].ceased.is_none())
            .collect();
        let thirty_months_ago = as_at.checked_sub_months(Months::new(30)).unwrap_or(as_at);
        let two_years_ago = plus_years(as_at, -2);
        let long_term: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| {
                let s = &starts[i];
                s.start <= thirty_months_ago
                    && age_on(self.m.children[s.child as usize].dob, as_at) < 16
            })
            .collect();
        let mut stable = vec![false; starts.len()];
        for (i, f) in long_term
            .iter()
            .zip(rng.quota(long_term.len(), self.rate(r.placement_stability)))
        {
            stable[*i] = f;
        }
        let mut three_plus = vec![false; starts.len()];
        let want = (self.rate(r.cla_three_placements) * open.len() as f64).round() as usize;
        let mut movable: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| !stable[i] && starts[i].adoption.is_none())
            .collect();
        rng.shuffle(&mut movable);
        // In care two months or more first: three placements in a week are rare.
        movable.sort_by_key(|&i| starts[i].start > plus_days(as_at, -60));
        for &i in movable.iter().take(want) {
            three_plus[i] = true;
        }
        let older_missing = open
            .iter()
            .filter(|&&i| age_on(self.m.children[starts[i].child as usize].dob, as_at) >= 10)
            .count();
        let missing_chance = if older_missing == 0 {
            0.0
        } else {
            (self.rate(r.cla_missing) * open.len() as f64 / older_missing as f64).min(1.0)
        };

        for (i, s) in starts.iter().enumerate() {
            let is_uasc = uasc.contains(&s.child);
            let record = self.care_record(
                &mut rng,
                s,
                is_uasc,
                stable[i],
                long_term.binary_search(&i).is_ok(),
                three_plus[i],
                two_years_ago,
                missing_chance,
            );
            self.m.cla.push(record);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn care_record(
        &mut self,
        rng: &mut SplitMix64,
        s: &CareStart,
        uasc: bool,
        stable: bool,
        long_term: bool,
        three_plus: bool,
        two_years_ago: NaiveDate,
        missing_chance: f64,
    ) -> Cla {
        let c = self.codes;
        let r = &self.profile.rates;
        let as_at = self.m.as_at;
        let until = s.ceased.map_or(as_at, |(d, _)| d);
        let dob = self.m.children[s.child as usize].dob;
        let age = age_on(dob, until);
        let adoption = s.adoption.map(|k| &self.m.adoption[k]);
        let year_ago = plus_days(until, -365);
        let between = |rng: &mut SplitMix64, a: NaiveDate, b: NaiveDate| {
            plus_days(a, rng.range(0, (b - a).num_days().max(0)))
        };

        // The current placement and how many there were in the last 12 months.
        let (placement_start, placements) = if let Some(a) = adoption.filter(|a| a.placed.is_some())
        {
            let placed = a.placed.unwrap_or(s.start);
            (placed, if placed > year_ago { 2 } else { 1 })
        } else if stable {
            (between(rng, s.start, plus_days(two_years_ago, -1)), 1)
        } else if three_plus {
            let earliest = s.start.max(plus_days(until, -300));
            let start = between(rng, earliest, until);
            (start, 3 + rng.weighted(&[60.0, 25.0, 10.0, 5.0]) as u32)
        } else {
            let earliest = if long_term {
                s.start.max(plus_days(two_years_ago, 1))
            } else {
                s.start
            };
            let start = if !long_term && rng.chance(0.5) {
                s.start
            } else {
                between(rng, earliest, until)
            };
            let count = if start <= year_ago || start == s.start {
                1
            } else {
                2
            };
            (start, count)
        };

        let placement_type = match adoption {
            Some(a) if a.placed.is_some() => c.placement_adoption.draw(rng),
            Some(_) => c.placement_types.foster[rng.below(c.placement_types.foster.len())],
            None if age >= 16 => c.placement_teen.draw(rng),
            None => c.placement_young.draw(rng),
        };
        let registered = c.placement_types.registered.contains(&placement_type);
        let provider = if placement_type == c.placement_types.with_parents {
            c.provider[0]
        } else if registered {
            c.provider[[4, 4, 4, 4, 4, 4, 4, 4, 1, 5][rng.below(10)]]
        } else if c.placement_types.foster[..3].contains(&placement_type) {
            c.provider[1]
        } else {
            c.provider[[1, 1, 1, 1, 1, 4, 4, 4, 5, 3][rng.below(10)]]
        };
        let out = rng.chance(self.rate(r.cla_out_of_area));
        let placed_in = if out {
            Some(rng.below(self.m.other_las.len() + 1))
        } else {
            None
        };
        let area = match placed_in {
            None => self.m.postcode_area.clone(),
            Some(_) => OTHER_AREAS[rng.below(OTHER_AREAS.len())].to_string(),
        };
        let postcode = format!(
            "{area}{} {}{}{}",
            rng.range(1, 20),
            rng.range(1, 9),
            (b'A' + rng.below(26) as u8) as char,
            (b'A' + rng.below(26) as u8) as char
        );
        let urn = registered.then(|| format!("SC{:06}", rng.range(10_000, 999_999)));

        let (legal, legal_start) = match adoption {
            Some(a) if a.placement_order.is_some_and(|d| d <= until) => (
                c.legal_placement_order,
                a.placement_order.unwrap_or(s.start),
            ),
            Some(a) if (a.decision - a.entered).num_days() > 200 => {
                (c.legal_full, between(rng, s.start, a.decision))
            }
            Some(_) => (c.legal_interim, s.start),
            None if s.start >= self.m.w0 => (c.legal_new.draw(rng), s.start),
            None => {
                let legal = c.legal_settled.draw(rng);
                let latest = plus_days(s.start, 400).min(until);
                (legal, between(rng, s.start, latest))
            }
        };
        let need = if uasc {
            c.need_absent_parenting
        } else if adoption.is_some() || rng.chance(0.6) {
            c.need_abuse
        } else {
            c.need.draw(rng)
        };
        let in_care_days = (until - s.start).num_days();
        let visit_within = |rng: &mut SplitMix64, on_time: f64, within: i64, late: (i64, i64)| {
            let back = if rng.chance(on_time) {
                rng.range(0, within)
            } else {
                rng.range(late.0, late.1)
            };
            plus_days(until, -back).max(s.start)
        };
        let review = (in_care_days >= 28)
            .then(|| visit_within(rng, self.rate(r.cla_review), 175, (200, 300)));
        let visit = Some(visit_within(rng, self.rate(r.cla_visit), 40, (50, 100)));
        let iro = (!rng.chance(0.05)).then(|| visit_within(rng, 1.0, 180, (0, 0)));
        let health_window = if age < 5 { 183 } else { 365 };
        let health = (in_care_days >= 20).then(|| {
            visit_within(
                rng,
                self.rate(r.cla_health),
                health_window - 10,
                (health_window + 20, health_window + 200),
            )
        });
        let dental = (in_care_days >= 20 && age >= 1)
            .then(|| visit_within(rng, self.rate(r.cla_dental), 355, (380, 600)));
        let permanence = if rng.chance(0.03) {
            None
        } else if adoption.is_some_and(|a| a.no_longer.is_none()) {
            Some(c.perm_adoption)
        } else if uasc || age >= 16 {
            Some(*rng.pick(&[
                c.perm_supported,
                c.perm_supported,
                c.perm_fostering,
                c.perm_other,
            ]))
        } else if s.start >= self.m.w0 {
            Some(*rng.pick(&[
                c.perm_return,
                c.perm_return,
                c.perm_return,
                c.perm_fostering,
                c.perm_sgo,
                c.perm_other,
            ]))
        } else if registered {
            Some(*rng.pick(&[c.perm_residential, c.perm_fostering]))
        } else {
            Some(*rng.pick(&[
                c.perm_fostering,
                c.perm_fostering,
                c.perm_fostering,
                c.perm_sgo,
                c.perm_return,
                c.perm_other,
            ]))
        };
        let missing = if age >= 10 && rng.chance(missing_chance) {
            match rng.weighted(&[40.0, 20.0, 25.0, 15.0]) {
                0 => 1,
                1 => 2,
                2 => rng.range(3, 5) as u32,
                _ => rng.range(6, 15) as u32,
            }
        } else {
            0
        };
        let absent = if rng.chance(0.08) {
            rng.range(1, 4) as u32
        } else {
            0
        };
        let (ri_offered, ri_accepted) = if missing > 0 {
            if rng.chance(0.75) {
                (
                    Some(c.yes),
                    Some(if rng.chance(0.45) { c.yes } else { c.no }),
                )
            } else {
                (Some(c.no), None)
            }
        } else {
            (None, None)
        };
        Cla {
            child: s.child,
            uasc,
            start: s.start,
            need,
            second_period: s.start >= self.m.w0 && rng.chance(0.05),
            legal_start,
            legal,
            review,
            visit,
            permanence,
            iro,
            health,
            dental,
            placements,
            ceased: s.ceased.map(|(d, _)| d),
            reason_ceased: s.ceased.map(|(_, r)| r),
            placement_start,
            placement_type,
            provider,
            postcode,
            urn,
            placed_in,
            missing,
            absent,
            ri_offered,
            ri_accepted,
            worker: self.m.staff.pick(Kind::InCare, rng),
        }
    }

    /// List 6: an episode of need for every referral, child on a plan and child in
    /// care; children on child in need plans since before W make up the published
    /// number open on R.
    fn episodes(&mut self, from_referrals: Vec<Episode>) {
        let mut rng = self.rng("episodes");
        let c = self.codes;
        let r = &self.profile.rates;
        let (w0, as_at) = (self.m.w0, self.m.as_at);
        let mut episodes: Vec<Cin> = Vec::new();
        let mut plan_children = std::collections::HashSet::new();
        let mut care_children = std::collections::HashSet::new();
        for p in &self.m.plans {
            plan_children.insert(p.child);
        }
        for k in &self.m.cla {
            care_children.insert(k.child);
        }
        let cin_seen = |rng: &mut SplitMix64, start: NaiveDate| {
            let days = if rng.chance((r.cin_seen_20wd / 100.0).clamp(0.0, 1.0)) {
                rng.range(0, 19)
            } else {
                rng.range(24, 60)
            };
            sub_weekdays(as_at, days as u32).max(start)
        };
        for e in from_referrals {
            let dob = self.m.children[e.child as usize].dob;
            let start = e.start.max(dob);
            let row = match e.fate {
                Fate::Closed(date, reason) => Cin {
                    child: e.child,
                    start,
                    need: c.need.draw(&mut rng),
                    last_seen: (!rng.chance(0.3)).then_some(date),
                    closure: Some(date),
                    reason: Some(reason),
                    status: c.status_closed,
                    worker: e.worker,
                },
                Fate::OpenAssessment => Cin {
                    child: e.child,
                    start,
                    need: c.need.draw(&mut rng),
                    last_seen: Some(plus_days(start, rng.range(0, 10)).min(as_at)),
                    closure: None,
                    reason: None,
                    status: c.status_assessment,
                    worker: e.worker,
                },
                Fate::CinPlan => Cin {
                    child: e.child,
                    start,
                    need: c.need.draw(&mut rng),
                    last_seen: Some(cin_seen(&mut rng, start)),
                    closure: None,
                    reason: None,
                    status: c.status_cin,
                    worker: self.m.staff.pick(Kind::Safeguarding, &mut rng),
                },
                // Children on plans and in care get their episode below, with theirs.
                Fate::Plan | Fate::Care => continue,
            };
            episodes.push(row);
        }
        // The referral that began a plan's or care's episode, if it was in W (each such
        // child has one: they are not referred again).
        let mut referred: std::collections::HashMap<u32, NaiveDate> =
            std::collections::HashMap::new();
        for r in &self.m.referrals {
            if plan_children.contains(&r.child) || care_children.contains(&r.child) {
                referred.entry(r.child).or_insert(r.date);
            }
        }
        // Children on plans.
        for p in &self.m.plans {
            if care_children.contains(&p.child) {
                continue;
            }
            let dob = self.m.children[p.child as usize].dob;
            let start = referred
                .get(&p.child)
                .copied()
                .filter(|d| *d <= p.start)
                .unwrap_or_else(|| plus_days(p.start, -rng.range(10, 120)))
                .max(dob);
            let row = match p.end {
                None => Cin {
                    child: p.child,
                    start,
                    need: if rng.chance(0.85) {
                        c.need_abuse
                    } else {
                        c.need.draw(&mut rng)
                    },
                    last_seen: p.visit,
                    closure: None,
                    reason: None,
                    status: c.status_cp,
                    worker: p.worker,
                },
                // Stepped down to a child in need plan, or closed.
                Some(end) if rng.chance(0.4) => Cin {
                    child: p.child,
                    start,
                    need: c.need_abuse,
                    last_seen: Some(cin_seen(&mut rng, end)),
                    closure: None,
                    reason: None,
                    status: c.status_cin,
                    worker: p.worker,
                },
                Some(end) => Cin {
                    child: p.child,
                    start,
                    need: c.need_abuse,
                    last_seen: p.visit,
                    closure: Some(end),
                    reason: Some(c.rc[7]),
                    status: c.status_closed,
                    worker: p.worker,
                },
            };
            episodes.push(row);
        }
        // Children in care (and those who ceased in W).
        for k in &self.m.cla {
            let dob = self.m.children[k.child as usize].dob;
            let start = referred
                .get(&k.child)
                .copied()
                .filter(|d| *d <= k.start)
                .unwrap_or_else(|| plus_days(k.start, -rng.range(0, 120)))
                .max(dob);
            let (closure, reason, status) = match (k.ceased, k.reason_ceased) {
                (Some(d), Some(e)) => (Some(d), Some(c.ceased_rc[usize::from(e)]), c.status_closed),
                _ => (None, None, c.status_cla),
            };
            episodes.push(Cin {
                child: k.child,
                start,
                need: k.need,
                last_seen: k.visit,
                closure,
                reason,
                status,
                worker: k.worker,
            });
        }
        // Children on child in need plans since before W, and some whose plans closed
        // in W, make up the number of children in need on R.
        let open_now = episodes.iter().filter(|e| e.closure.is_none()).count() as u32;
        let older = self
            .profile
            .volumes
            .children_in_need
            .saturating_sub(open_now);
        let closing = (f64::from(older) * 0.35).round() as u32;
        for k in 0..older + closing {
            let start = plus_days(w0, -rng.range(1, 1100));
            let age = rng.range(0, 17) as u32;
            let dob = birth_for_age(&mut rng, age, as_at).min(start);
            let child = self.child(&mut rng, dob);
            let worker = self.m.staff.pick(Kind::Safeguarding, &mut rng);
            let row = if k < older {
                Cin {
                    child,
                    start,
                    need: c.need.draw(&mut rng),
                    last_seen: Some(cin_seen(&mut rng, start)),
                    closure: None,
                    reason: None,
                    status: c.status_cin,
                    worker,
                }
            } else {
                let closure = rng.workday_between(w0, as_at);
                let reason = c.rc[[7, 7, 7, 7, 7, 3, 4, 5, 5, 6][rng.below(10)]];
                Cin {
                    child,
                    start,
                    need: c.need.draw(&mut rng),
                    last_seen: (!rng.chance(0.2))
                        .then(|| plus_days(closure, -rng.range(0, 20)).max(start)),
                    closure: Some(closure),
                    reason: Some(reason),
                    status: c.status_closed,
                    worker,
                }
            };
            episodes.push(row);
        }
        self.m.cin = episodes;
    }

    /// List 9: care leavers aged 17 to 21 on R. Those still in care at 17 ("eligible")
    /// and those who left care on turning 18 in W are the children List 8 has.
    fn care_leavers(&mut self) {
        let mut rng = self.rng("care leavers");
        let c = self.codes;
        let r = &self.profile.rates;
        let v = &self.profile.volumes;
        let as_at = self.m.as_at;
        let mut young: Vec<(u32, u16, Option<u32>, bool)> = Vec::new();
        let n_young = v.care_leavers_17_18 as usize;
        // Eligible children: in care, aged 17.
        let mut seventeen: Vec<&Cla> = self
            .m
            .cla
            .iter()
            .filter(|k| {
                k.ceased.is_none() && age_on(self.m.children[k.child as usize].dob, as_at) == 17
            })
            .collect();
        seventeen.truncate(n_young * 3 / 10);
        for k in &seventeen {
            young.push((k.child, c.eligibility_eligible, Some(k.worker), k.uasc));
        }
        let at_18: Vec<(u32, bool)> = self
            .m
            .cla
            .iter()
            .filter(|k| {
                k.ceased.is_some()
                    && age_on(
                        self.m.children[k.child as usize].dob,
                        k.ceased.unwrap_or(as_at),
                    ) >= 18
            })
            .map(|k| (k.child, k.uasc))
            .collect();
        for (child, uasc) in at_18.into_iter().take(n_young.saturating_sub(young.len())) {
            young.push((child, c.eligibility_former, None, uasc));
        }
        while young.len() < n_young {
            let age = if rng.chance(0.45) { 17 } else { 18 };
            let child = self.child_aged(&mut rng, age, as_at);
            let eligibility = if age == 17 {
                c.eligibility_relevant
            } else {
                c.eligibility_former
            };
            young.push((child, eligibility, None, rng.chance(0.15)));
        }
        let mut older: Vec<(u32, u16, Option<u32>, bool)> = Vec::new();
        for _ in 0..v.care_leavers_19_21 {
            let age = rng.range(19, 21) as u32;
            let child = self.child_aged(&mut rng, age, as_at);
            let eligibility = if rng.chance(0.95) {
                c.eligibility_former
            } else {
                c.eligibility_qualifying
            };
            older.push((child, eligibility, None, rng.chance(0.2)));
        }
        let bands = [
            (
                young,
                r.care_leavers_17_18_in_touch,
                r.care_leavers_17_18_suitable,
                r.care_leavers_17_18_eet,
            ),
            (
                older,
                r.care_leavers_in_touch,
                r.care_leavers_suitable,
                r.care_leavers_eet,
            ),
        ];
        for (band, in_touch, suitable, eet) in bands {
            let n = band.len();
            // Those still in care are always in touch.
            let mut touch = rng.quota(n, self.rate(in_touch));
            for i in 0..n {
                if band[i].2.is_some() && !touch[i] {
                    if let Some(j) = (0..n).find(|&j| touch[j] && band[j].2.is_none()) {
                        touch.swap(i, j);
                    }
                }
            }
            let reached: Vec<usize> = (0..n).filter(|&i| touch[i]).collect();
            let pick_among = |rng: &mut SplitMix64, percent: f64| {
                let want = ((percent / 100.0).clamp(0.0, 1.0) * n as f64).round() as usize;
                let share = if reached.is_empty() {
                    0.0
                } else {
                    want.min(reached.len()) as f64 / reached.len() as f64
                };
                let mut flags = vec![false; n];
                for (i, f) in reached.iter().zip(rng.quota(reached.len(), share)) {
                    flags[*i] = f;
                }
                flags
            };
            let is_suitable = pick_among(&mut rng, suitable);
            let is_eet = pick_among(&mut rng, eet);
            for (i, (child, eligibility, worker, uasc)) in band.into_iter().enumerate() {
                let adviser = self.m.staff.pick(Kind::LeavingCare, &mut rng);
                let (in_touch, contact, accommodation, suitability, activity) = if touch[i] {
                    (
                        c.in_touch_yes,
                        Some(plus_days(as_at, -rng.range(0, 56))),
                        Some(if is_suitable[i] {
                            c.accommodation_suitable.draw(&mut rng)
                        } else {
                            c.accommodation_unsuitable.draw(&mut rng)
                        }),
                        Some(if is_suitable[i] {
                            c.suitable
                        } else {
                            c.unsuitable
                        }),
                        Some(if is_eet[i] {
                            c.activity_eet.draw(&mut rng)
                        } else {
                            c.activity_neet.draw(&mut rng)
                        }),
                    )
                } else {
                    (
                        c.not_in_touch.draw(&mut rng),
                        (!rng.chance(0.3)).then(|| plus_days(as_at, -rng.range(90, 500))),
                        None,
                        None,
                        None,
                    )
                };
                let pathway_review = Some(plus_days(
                    as_at,
                    -if rng.chance(0.9) {
                        rng.range(0, 170)
                    } else {
                        rng.range(200, 400)
                    },
                ));
                self.m.leavers.push(Leaver {
                    child,
                    uasc,
                    worker: worker.unwrap_or(adviser),
                    adviser,
                    eligibility,
                    pathway_review,
                    in_touch,
                    contact,
                    accommodation,
                    suitability,
                    activity,
                });
            }
        }
    }

    /// List 11: the families matched with List 10's children, and others in the
    /// process, to the profile's number of adopters.
    fn adopters(&mut self) {
        let mut rng = self.rng("adopters");
        let c = self.codes;
        let as_at = self.m.as_at;
        let mut next_family = 5_000 + rng.below(4_000) as u32;
        let mut next_adopter = 10_000 + rng.below(5_000) as u32;
        // Families for matched children: siblings matched together share one.
        let mut families: Vec<MatchedFamily> = Vec::new();
        let mut family_of_group: std::collections::HashMap<usize, u32> =
            std::collections::HashMap::new();
        for k in 0..self.m.adoption.len() {
            let Some(matched) = self.m.adoption[k].matched else {
                continue;
            };
            let family = *family_of_group
                .entry(self.m.adoption[k].group)
                .or_insert_with(|| {
                    next_family += 1 + rng.below(3) as u32;
                    next_family
                });
            self.m.adoption[k].family = Some(family);
            let placed = self.m.adoption[k].placed;
            let order = self.m.adoption[k].order;
            match families.iter_mut().find(|f| f.family == family) {
                Some(f) => f.children += u32::from(placed.is_some()),
                None => families.push(MatchedFamily {
                    family,
                    matched,
                    placed,
                    order,
                    children: u32::from(placed.is_some()),
                }),
            }
        }
        let mut made = 0u32;
        let couple = |rng: &mut SplitMix64| rng.chance(0.7);
        for MatchedFamily {
            family,
            matched,
            placed,
            order,
            children: count,
        } in families
        {
            let approved = plus_days(matched, -rng.range(30, 300));
            let people = if couple(&mut rng) { 2 } else { 1 };
            let dates = FamilyDates::back_from(&mut rng, approved);
            for p in 0..people {
                self.m.adopters.push(Adopter {
                    id: next_adopter,
                    family,
                    gender: adopter_gender(&mut rng, c, people, p),
                    ethnicity: c.ethnicity.draw(&mut rng),
                    disabled: rng.chance(0.03),
                    ffa: rng.chance(0.1),
                    enquiry: dates.enquiry,
                    stage1: (Some(dates.s1_start), Some(dates.s1_end)),
                    stage2: (Some(dates.s2_start), Some(dates.s2_end)),
                    submitted: Some(dates.submitted),
                    approved: Some(approved),
                    matched: Some(matched),
                    placed,
                    children_placed: placed.map(|_| count.max(1)),
                    order,
                    left: None,
                    left_reason: None,
                });
                next_adopter += 1 + rng.below(3) as u32;
                made += 1;
            }
        }
        // Families still in the process on R, as far as their dates reach.
        while made < self.profile.volumes.adopters {
            let family = next_family;
            next_family += 1;
            let enquiry = plus_days(as_at, -rng.range(0, 540));
            let d = FamilyDates::forward_from(&mut rng, enquiry);
            let upto = |x: NaiveDate| (x <= as_at).then_some(x);
            let approved = upto(plus_days(d.s2_end, rng.range(0, 30)));
            let stages = [
                upto(d.s1_start),
                upto(d.s1_end),
                upto(d.s2_start),
                upto(d.submitted),
                upto(d.s2_end),
                approved,
            ];
            let last = stages.iter().flatten().last().copied().unwrap_or(enquiry);
            let (left, left_reason) = if rng.chance(0.15) {
                let date = plus_days(last, rng.range(1, 60));
                match upto(date) {
                    Some(date) => (Some(date), Some(c.adopter_left.draw(&mut rng))),
                    None => (None, None),
                }
            } else {
                (None, None)
            };
            // Nothing happens after leaving.
            let keep = |x: Option<NaiveDate>| x.filter(|x| left.is_none_or(|l| *x <= l));
            let people = if couple(&mut rng) { 2 } else { 1 };
            for p in 0..people {
                self.m.adopters.push(Adopter {
                    id: next_adopter,
                    family,
                    gender: adopter_gender(&mut rng, c, people, p),
                    ethnicity: c.ethnicity.draw(&mut rng),
                    disabled: rng.chance(0.03),
                    ffa: rng.chance(0.1),
                    enquiry,
                    stage1: (keep(stages[0]), keep(stages[1])),
                    stage2: (keep(stages[2]), keep(stages[4])),
                    submitted: keep(stages[3]),
                    approved: keep(stages[5]),
                    matched: None,
                    placed: None,
                    children_placed: None,
                    order: None,
                    left,
                    left_reason,
                });
                next_adopter += 1 + rng.below(3) as u32;
                made += 1;
            }
        }
    }
}

/// A family matched with one or more of List 10's children.
struct MatchedFamily {
    family: u32,
    matched: NaiveDate,
    placed: Option<NaiveDate>,
    order: Option<NaiveDate>,
    /// Children placed with them.
    children: u32,
}

/// A family's dates through the two-stage approval process, in order.
struct FamilyDates {
    enquiry: NaiveDate,
    s1_start: NaiveDate,
    s1_end: NaiveDate,
    s2_start: NaiveDate,
    submitted: NaiveDate,
    s2_end: NaiveDate,
}

impl FamilyDates {
    fn forward_from(rng: &mut SplitMix64, enquiry: NaiveDate) -> FamilyDates {
        let s1_start = plus_days(enquiry, rng.range(7, 60));
        let s1_end = plus_days(s1_start, rng.range(40, 70));
        let s2_start = plus_days(s1_end, rng.range(0, 60));
        let submitted = plus_days(s2_start, rng.range(0, 14));
        let s2_end = plus_days(s2_start, rng.range(90, 150));
        FamilyDates {
            enquiry,
            s1_start,
            s1_end,
            s2_start,
            submitted,
            s2_end,
        }
    }

    /// Dates ending in approval on `approved`.
    fn back_from(rng: &mut SplitMix64, approved: NaiveDate) -> FamilyDates {
        let s2_end = plus_days(approved, -rng.range(5, 40));
        let s2_start = plus_days(s2_end, -rng.range(90, 150));
        let submitted = plus_days(s2_start, rng.range(0, 14));
        let s1_end = plus_days(s2_start, -rng.range(0, 60));
        let s1_start = plus_days(s1_end, -rng.range(40, 70));
        let enquiry = plus_days(s1_start, -rng.range(7, 60));
        FamilyDates {
            enquiry,
            s1_start,
            s1_end,
            s2_start,
            submitted,
            s2_end,
        }
    }
}

fn adopter_gender(rng: &mut SplitMix64, c: &Codes, people: u32, p: u32) -> u16 {
    if people == 1 {
        return if rng.chance(0.75) { c.female } else { c.male };
    }
    // Couples: mostly a man and a woman.
    match (rng.weighted(&[80.0, 10.0, 10.0]), p) {
        (0, 0) => c.male,
        (0, _) => c.female,
        (1, _) => c.female,
        _ => c.male,
    }
}

/// A date of birth giving age `age` on `on`.
fn birth_for_age(rng: &mut SplitMix64, age: u32, on: NaiveDate) -> NaiveDate {
    let latest = plus_years(on, -(age as i32));
    plus_days(latest, -rng.range(0, 364))
}

/// The teams and workers: case-holding social workers split between assessment,
/// safeguarding (child in need and child protection) and children in care by their
/// likely caseloads, and personal advisers for care leavers, about one to 22 young
/// people.
fn staff(profile: &Profile, rng: &mut SplitMix64) -> Staff {
    let v = &profile.volumes;
    let loads = [
        f64::from(v.assessments) * 0.3 + 1.0,
        f64::from(v.children_in_need.saturating_sub(v.children_in_care)) + 1.0,
        f64::from(v.children_in_care) + 1.0,
    ];
    let total: f64 = loads.iter().sum();
    let workers = profile.workers.max(3);
    let teams = profile.teams.max(3);
    let advisers = (f64::from(v.care_leavers_17_18 + v.care_leavers_19_21) / 22.0)
        .ceil()
        .max(1.0) as u32;
    let mut split: Vec<(Kind, &str, u32, u32)> = Vec::new();
    for (k, (kind, label)) in [
        (Kind::Assessment, "Assessment Team"),
        (Kind::Safeguarding, "Safeguarding Team"),
        (Kind::InCare, "Children in Care Team"),
    ]
    .into_iter()
    .enumerate()
    {
        let share = loads[k] / total;
        let w = ((f64::from(workers) * share).round() as u32).max(1);
        let t = ((f64::from(teams) * share).round() as u32).clamp(1, w);
        split.push((kind, label, w, t));
    }
    split.push((
        Kind::LeavingCare,
        "Leaving Care Team",
        advisers,
        advisers.div_ceil(8).max(1),
    ));
    let mut staff = Staff {
        teams: Vec::new(),
        workers: Vec::new(),
        by_kind: Default::default(),
    };
    // Names: a permutation of first and last names, unique within the LA.
    let names = FIRST_NAMES.len() * LAST_NAMES.len();
    let offset = rng.below(names);
    let step = 2 * rng.below(names / 2) + 1;
    let mut issued = 0usize;
    for (kind, label, w, t) in split {
        let first_team = staff.teams.len() as u32;
        for i in 0..t {
            let place = if (t as usize) <= LOCALITIES.len() {
                LOCALITIES[i as usize].to_string()
            } else {
                format!("{}", i + 1)
            };
            staff.teams.push(format!("{label} {place}"));
        }
        for i in 0..w {
            let k = (offset + issued * step) % names;
            issued += 1;
            let (f, l) = (
                k % FIRST_NAMES.len(),
                (k / FIRST_NAMES.len() + k) % LAST_NAMES.len(),
            );
            // Past the names' combinations (over 4,096 workers), a number keeps them apart.
            let name = if issued > names {
                format!(
                    "{} {} {}",
                    FIRST_NAMES[f],
                    LAST_NAMES[l],
                    issued / names + 1
                )
            } else {
                format!("{} {}", FIRST_NAMES[f], LAST_NAMES[l])
            };
            staff.workers.push(Worker {
                name,
                team: first_team + i % t,
                weight: 0.6 + 0.4 * rng.unit(),
            });
            staff.by_kind[kind as usize].push((staff.workers.len() - 1) as u32);
        }
    }
    staff
}
