//! What a synthetic LA looks like: the volumes its Annex A holds and the rates it
//! shows. Plain data: the program fills it from DfE's published figures, tests by hand.

use chrono::NaiveDate;

/// One LA's Annex A, as the linked generator is to make it.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The LA's name (teams, "LA of Placement" for placements in its area).
    pub la_name: String,
    /// Other LAs' names, for placements out of the LA's area (statistical neighbours
    /// read best).
    pub other_las: Vec<String>,
    /// The reference date R: the last day the return covers. The window W is the six
    /// months to R.
    pub as_at: NaiveDate,
    pub volumes: Volumes,
    pub rates: Rates,
    /// Case-holding social workers, and the teams they are in.
    pub workers: u32,
    pub teams: u32,
}

/// How many of each thing: flows over the window W (the six months to R) and
/// children open on R.
#[derive(Debug, Clone, PartialEq)]
pub struct Volumes {
    /// List 1 rows in W (every contact becoming a referral is one of them).
    pub contacts: u32,
    /// List 2 rows: early help assessments started in W.
    pub early_help: u32,
    /// List 3 rows: referrals in W.
    pub referrals: u32,
    /// List 4 rows: assessments started in W (at most one per referral that was not
    /// closed with no further action).
    pub assessments: u32,
    /// List 5 rows: section 47 enquiries starting in W, and of them those reaching an
    /// initial child protection conference.
    pub s47: u32,
    pub icpcs: u32,
    /// Child protection plans starting in W.
    pub cpp_starts: u32,
    /// Children starting to be looked after in W, and ceasing to be.
    pub cla_starts: u32,
    pub cla_ceased: u32,
    /// Children in need on R (episodes open), counting those on plans and in care.
    pub children_in_need: u32,
    /// Child protection plans open on R.
    pub child_protection: u32,
    /// Children looked after on R.
    pub children_in_care: u32,
    /// Care leavers on R, by age.
    pub care_leavers_17_18: u32,
    pub care_leavers_19_21: u32,
    /// List 10 rows: children with a decision in the 18 months to R that they should be
    /// placed for adoption (each as far along as their dates reach by R).
    pub adoption: u32,
    /// List 11 rows: individual adopters.
    pub adopters: u32,
}

/// Percentages (0 to 100). Those DfE publishes per LA are measured as DfE measures
/// them, over the lists' rows (see each field); the others are practice the lists
/// show (timeliness, visits) with nothing published to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// List 3 referrals with `Number of Referrals in Last 12 Months` of 1 or more.
    pub re_referral: f64,
    /// List 3 referrals closed with no further action.
    pub referral_nfa: f64,
    /// Authorised assessments authorised within 45 working days of starting.
    pub assessment_45wd: f64,
    /// Assessments in which the child was seen.
    pub assessment_seen: f64,
    /// Assessments (not leading to a section 47 enquiry) finding the child not in need.
    pub assessment_not_in_need: f64,
    /// Initial conferences within 15 working days of the strategy discussion.
    pub icpc_15wd: f64,
    /// List 7 plans starting in W that are a second or subsequent plan.
    pub cpp_subsequent: f64,
    /// List 7 plans open on R that started 2 years or more before R.
    pub cpp_two_years: f64,
    /// Open plans whose last statutory visit was within 10 working days of R.
    pub cp_visit_10wd: f64,
    /// Children on child in need plans seen within 20 working days of R.
    pub cin_seen_20wd: f64,
    /// List 8 children in care on R with 3 or more placements in the last 12 months.
    pub cla_three_placements: f64,
    /// List 8 children under 16 on R, in care 2.5 years or more, whose placement
    /// started 2 years or more before R.
    pub placement_stability: f64,
    /// Children in care on R placed outside the LA's area.
    pub cla_out_of_area: f64,
    /// Children in care on R missing from their placement at least once in 12 months.
    pub cla_missing: f64,
    /// Children in care on R whose statutory review, social work visit, health
    /// assessment and dental check were in time.
    pub cla_review: f64,
    pub cla_visit: f64,
    pub cla_health: f64,
    pub cla_dental: f64,
    /// Care leavers aged 19 to 21 in touch, in suitable accommodation, and in
    /// education, employment or training (each of all those aged 19 to 21).
    pub care_leavers_in_touch: f64,
    pub care_leavers_suitable: f64,
    pub care_leavers_eet: f64,
    /// The same for care leavers aged 17 and 18.
    pub care_leavers_17_18_in_touch: f64,
    pub care_leavers_17_18_suitable: f64,
    pub care_leavers_17_18_eet: f64,
}

impl Default for Profile {
    /// A mid-sized LA (about a 150th of England, R = 31 March 2025) with England's
    /// published rates for 2024-25 and typical practice rates.
    fn default() -> Profile {
        Profile {
            la_name: "Exampleshire".to_string(),
            other_las: vec![
                "Northshire".to_string(),
                "Southshire".to_string(),
                "Westborough".to_string(),
            ],
            as_at: NaiveDate::from_ymd_opt(2025, 3, 31).expect("a valid date"),
            volumes: Volumes {
                contacts: 8_400,
                early_help: 1_250,
                referrals: 2_100,
                assessments: 2_000,
                s47: 690,
                icpcs: 270,
                cpp_starts: 205,
                cla_starts: 107,
                cla_ceased: 114,
                children_in_need: 2_680,
                child_protection: 330,
                children_in_care: 545,
                care_leavers_17_18: 99,
                care_leavers_19_21: 256,
                adoption: 40,
                adopters: 30,
            },
            rates: Rates::default(),
            workers: 176,
            teams: 26,
        }
    }
}

impl Default for Rates {
    fn default() -> Rates {
        Rates {
            re_referral: 22.6,
            referral_nfa: 6.5,
            assessment_45wd: 82.0,
            assessment_seen: 97.0,
            assessment_not_in_need: 35.0,
            icpc_15wd: 78.0,
            cpp_subsequent: 24.5,
            cpp_two_years: 2.3,
            cp_visit_10wd: 88.0,
            cin_seen_20wd: 82.0,
            cla_three_placements: 10.0,
            placement_stability: 69.0,
            cla_out_of_area: 40.0,
            cla_missing: 11.0,
            cla_review: 90.0,
            cla_visit: 89.0,
            cla_health: 88.0,
            cla_dental: 76.0,
            care_leavers_in_touch: 94.0,
            care_leavers_suitable: 89.0,
            care_leavers_eet: 54.0,
            care_leavers_17_18_in_touch: 94.0,
            care_leavers_17_18_suitable: 91.0,
            care_leavers_17_18_eet: 64.0,
        }
    }
}

impl Volumes {
    /// Every volume multiplied by `factor` (rounded), for benchmarks at a larger scale.
    pub fn scaled(&self, factor: f64) -> Volumes {
        let s = |n: u32| ((f64::from(n) * factor).round().max(0.0)).min(f64::from(u32::MAX)) as u32;
        Volumes {
            contacts: s(self.contacts),
            early_help: s(self.early_help),
            referrals: s(self.referrals),
            assessments: s(self.assessments),
            s47: s(self.s47),
            icpcs: s(self.icpcs),
            cpp_starts: s(self.cpp_starts),
            cla_starts: s(self.cla_starts),
            cla_ceased: s(self.cla_ceased),
            children_in_need: s(self.children_in_need),
            child_protection: s(self.child_protection),
            children_in_care: s(self.children_in_care),
            care_leavers_17_18: s(self.care_leavers_17_18),
            care_leavers_19_21: s(self.care_leavers_19_21),
            adoption: s(self.adoption),
            adopters: s(self.adopters),
        }
    }
}

impl Profile {
    /// The profile with its volumes, workers and teams multiplied by `factor`; rates
    /// stay as they are.
    pub fn scaled(&self, factor: f64) -> Profile {
        let s = |n: u32| ((f64::from(n) * factor).round().max(1.0)).min(f64::from(u32::MAX)) as u32;
        Profile {
            volumes: self.volumes.scaled(factor),
            workers: s(self.workers),
            teams: s(self.teams),
            ..self.clone()
        }
    }
}
