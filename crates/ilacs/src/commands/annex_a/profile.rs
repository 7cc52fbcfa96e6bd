//! An LA's generator profile from DfE's published figures as shipped in the program:
//! its counts (referrals, plans, children in care, care leavers...) and rates
//! (re-referrals, second plans, placement moves and stability, care leavers), with
//! data/annex_a/generator.toml's ratios for what is not published per LA.
//!
//! Each figure is the LA's latest published one. A figure DfE suppressed (`c`, `x`,
//! `u`...) or does not publish for the LA falls back to England's: a rate is England's
//! rate, a count England's count scaled by the LA's share of England's children.

use anyhow::Context;
use chrono::NaiveDate;
use ilacs_annexa::{Profile, Rates, Volumes};
use ilacs_domain::authority::{AuthorityRef, LocalAuthority};
use ilacs_domain::indicators::{Area, IndicatorId, TimePeriod, Value};
use serde::Deserialize;
use std::collections::HashMap;

const GENERATOR_TOML: &str = include_str!("../../../../../data/annex_a/generator.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ratios {
    per_referral: PerReferral,
    conferences: Conferences,
    care: Care,
    workforce: Workforce,
    practice: Practice,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PerReferral {
    contacts: f64,
    early_help: f64,
    assessments: f64,
    s47: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Conferences {
    icpcs_per_s47: f64,
    max_plans_per_icpc: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Care {
    adoption_per_child_in_care: f64,
    adopters_per_child_in_care: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Workforce {
    workers_per_team: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Practice {
    assessment_45wd: f64,
    assessment_seen: f64,
    icpc_15wd: f64,
    cp_visit_10wd: f64,
    cin_seen_20wd: f64,
    cla_out_of_area: f64,
    cla_missing: f64,
    cla_review: f64,
    cla_visit: f64,
    cla_health: f64,
    cla_dental: f64,
}

/// The LAs, their latest published figures and the generator's ratios.
pub(crate) struct Sources {
    pub las: Vec<LocalAuthority>,
    /// (indicator, area) → the latest published value and its year.
    latest: HashMap<(String, Area), (Value, TimePeriod)>,
    ratios: Ratios,
}

/// One LA's profile and how it was made.
pub(crate) struct Made {
    pub profile: Profile,
    /// The figures England's stood in for.
    pub fallbacks: Vec<&'static str>,
    /// The year of the published referrals the volumes follow.
    pub year: Option<String>,
}

impl Sources {
    pub(crate) fn load() -> anyhow::Result<Sources> {
        let (_, las) = ilacs_import::bundled::local_authorities()
            .context("could not read the bundled local authorities")?;
        let stats = ilacs_import::bundled::annex_a_statistics(&las)
            .context("could not read the bundled published statistics")?;
        let mut latest = HashMap::new();
        // By indicator, area, then year: the last value for a key is the latest.
        for (key, value) in stats.iter() {
            latest.insert(
                (key.indicator.as_str().to_string(), key.area.clone()),
                (value, key.time_period.clone()),
            );
        }
        let ratios: Ratios =
            toml::from_str(GENERATOR_TOML).context("data/annex_a/generator.toml is not valid")?;
        Ok(Sources {
            las,
            latest,
            ratios,
        })
    }

    /// The LA a three-digit or area code (current or former) names.
    pub(crate) fn find(&self, code: &str) -> anyhow::Result<&LocalAuthority> {
        let wanted = AuthorityRef::parse(code)?;
        self.las
            .iter()
            .find(|la| match &wanted {
                AuthorityRef::La(c) => &la.la_code == c,
                AuthorityRef::Gss(g) => &la.gss_code == g || la.other_codes.contains(g),
            })
            .with_context(|| format!("no local authority has the code '{code}'"))
    }

    /// Every LA that exists today.
    pub(crate) fn current(&self) -> impl Iterator<Item = &LocalAuthority> {
        self.las.iter().filter(|la| la.current)
    }

    fn number(&self, id: &str, area: &Area) -> Option<f64> {
        match self.latest.get(&(id.to_string(), area.clone()))? {
            (Value::Number(n), _) => Some(*n),
            (Value::Symbol(s), _) if s.rounds_to_zero() => Some(0.0),
            _ => None,
        }
    }

    pub(crate) fn profile(&self, la: &LocalAuthority, as_at: NaiveDate) -> anyhow::Result<Made> {
        let area = Area::La(la.la_code.clone());
        let mut fallbacks = Vec::new();
        let mut rate = |id: &'static str| -> anyhow::Result<f64> {
            debug_assert!(IndicatorId::parse(id).is_ok());
            match self.number(id, &area) {
                Some(n) => Ok(n),
                None => {
                    fallbacks.push(id);
                    self.number(id, &Area::England)
                        .with_context(|| format!("England has no published {id}"))
                }
            }
        };
        // The LA's share of England's children, for counts it has none of.
        let population = "annex_a_child_population";
        let share = match (
            self.number(population, &area),
            self.number(population, &Area::England),
        ) {
            (Some(la), Some(england)) if england > 0.0 => la / england,
            _ => 1.0 / 152.0,
        };
        let r = Rates {
            re_referral: rate("re_referral_rate")?,
            referral_nfa: rate("annex_a_referral_nfa_rate")?,
            // DfE publishes referrals assessed as not in need, as a share of referrals;
            // read as the share of assessments that find no need.
            assessment_not_in_need: rate("annex_a_not_in_need_rate")?,
            cpp_subsequent: rate("cpp_subsequent_rate")?,
            cpp_two_years: rate("cpp_two_years_or_more_rate")?,
            cla_three_placements: rate("cla_three_or_more_placements")?,
            placement_stability: rate("placement_stability")?,
            care_leavers_in_touch: rate("care_leavers_in_touch")?,
            care_leavers_suitable: rate("care_leavers_suitable_accommodation")?,
            care_leavers_eet: rate("care_leavers_eet")?,
            care_leavers_17_18_in_touch: rate("annex_a_care_leavers_17_18_in_touch")?,
            care_leavers_17_18_suitable: rate("annex_a_care_leavers_17_18_suitable")?,
            care_leavers_17_18_eet: rate("annex_a_care_leavers_17_18_eet")?,
            assessment_45wd: self.ratios.practice.assessment_45wd,
            assessment_seen: self.ratios.practice.assessment_seen,
            icpc_15wd: self.ratios.practice.icpc_15wd,
            cp_visit_10wd: self.ratios.practice.cp_visit_10wd,
            cin_seen_20wd: self.ratios.practice.cin_seen_20wd,
            cla_out_of_area: self.ratios.practice.cla_out_of_area,
            cla_missing: self.ratios.practice.cla_missing,
            cla_review: self.ratios.practice.cla_review,
            cla_visit: self.ratios.practice.cla_visit,
            cla_health: self.ratios.practice.cla_health,
            cla_dental: self.ratios.practice.cla_dental,
        };
        let caseload = rate("sw_caseload")?.max(1.0);
        let mut count = |id: &'static str| -> anyhow::Result<f64> {
            match self.number(id, &area) {
                Some(n) => Ok(n),
                None => {
                    fallbacks.push(id);
                    Ok(self
                        .number(id, &Area::England)
                        .with_context(|| format!("England has no published {id}"))?
                        * share)
                }
            }
        };
        let whole = |x: f64| x.round().max(0.0) as u32;
        // A year's flows, halved for the six months to R.
        let referrals = count("annex_a_referrals")? / 2.0;
        let cpp_starts = count("annex_a_cpp_starts")? / 2.0;
        let cla_starts = count("annex_a_cla_starts")? / 2.0;
        let cla_ceased = count("annex_a_cla_ceased")? / 2.0;
        let children_in_need = count("children_in_need")?;
        let child_protection = count("annex_a_cpp_open")?;
        let children_in_care = count("annex_a_cla_open")?;
        let care_leavers_17_18 = count("annex_a_care_leavers_17_18")?;
        let care_leavers_19_21 = count("annex_a_care_leavers_19_21")?;
        let per = &self.ratios.per_referral;
        let s47 = referrals * per.s47;
        let conferences = &self.ratios.conferences;
        // Enough conferences for the published plans.
        let icpcs = (s47 * conferences.icpcs_per_s47)
            .max(cpp_starts / conferences.max_plans_per_icpc.max(0.01));
        let care = &self.ratios.care;
        let volumes = Volumes {
            contacts: whole(referrals * per.contacts.max(1.0)),
            early_help: whole(referrals * per.early_help),
            referrals: whole(referrals),
            assessments: whole(referrals * per.assessments),
            s47: whole(s47.max(icpcs)),
            icpcs: whole(icpcs),
            cpp_starts: whole(cpp_starts),
            cla_starts: whole(cla_starts),
            cla_ceased: whole(cla_ceased),
            children_in_need: whole(children_in_need),
            child_protection: whole(child_protection),
            children_in_care: whole(children_in_care),
            care_leavers_17_18: whole(care_leavers_17_18),
            care_leavers_19_21: whole(care_leavers_19_21),
            adoption: whole(children_in_care * care.adoption_per_child_in_care),
            adopters: whole(children_in_care * care.adopters_per_child_in_care),
        };
        let workers = whole(children_in_need / caseload).max(3);
        let teams =
            whole((f64::from(workers) / self.ratios.workforce.workers_per_team.max(1.0)).ceil())
                .max(3);
        let neighbours = la
            .statistical_neighbours
            .iter()
            .filter_map(|code| self.las.iter().find(|l| &l.la_code == code))
            .map(|l| l.name.clone())
            .collect::<Vec<_>>();
        let year = self
            .latest
            .get(&("annex_a_referrals".to_string(), area.clone()))
            .map(|(_, period)| period.label());
        fallbacks.sort();
        fallbacks.dedup();
        Ok(Made {
            profile: Profile {
                la_name: la.name.clone(),
                other_las: if neighbours.is_empty() {
                    vec!["Another LA".to_string()]
                } else {
                    neighbours
                },
                as_at,
                volumes,
                rates: r,
                workers,
                teams,
            },
            fallbacks,
            year,
        })
    }
}
