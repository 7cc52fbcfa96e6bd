//! An LA's published values beside England's, its region's and its statistical
//! neighbours' average.

use super::definition::{Definitions, IndicatorId};
use super::statistics::Observation;
use super::value::{Area, TimePeriod, Value};
use crate::authority::{LaCode, LocalAuthority};
use std::collections::{BTreeMap, HashSet};

/// The statistical neighbours' average for one indicator and year: the mean of those
/// with a number. Suppressed and not-applicable values (and those that only round to
/// zero) are left out, not read as zero; `mean` is `None` when no neighbour has a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeighbourAverage {
    pub mean: Option<f64>,
    /// How many neighbours' numbers the mean is of.
    pub contributing: usize,
    /// How many statistical neighbours the LA has.
    pub neighbours: usize,
}

/// One indicator in one year: the LA's value and those it is compared with. A value is
/// `None` where the files have no row for it at all (a symbol means they do).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub indicator: IndicatorId,
    pub time_period: TimePeriod,
    pub la: Option<Value>,
    pub england: Option<Value>,
    pub region: Option<Value>,
    pub neighbours: NeighbourAverage,
}

/// What an observation is to the comparison.
enum Role {
    La,
    England,
    Region,
    Neighbour,
}

#[derive(Default)]
struct Row {
    la: Option<Value>,
    england: Option<Value>,
    region: Option<Value>,
    neighbour_sum: f64,
    contributing: usize,
}

/// Compares `authority` with England, its ONS region (found by name in `definitions`)
/// and its statistical neighbours, using whichever of `observations` concern them
/// (others are ignored). One [`Comparison`] per defined indicator and year that anyone
/// has a value for, in the definitions' order, then oldest year first.
///
/// Each neighbour counts once, even where two share one figure (a joint workforce such
/// as Kingston and Richmond's): both are neighbours, each with that figure.
pub fn compare(
    definitions: &Definitions,
    authority: &LocalAuthority,
    observations: &[Observation],
) -> Vec<Comparison> {
    let region = definitions
        .region_named(&authority.ons_region)
        .map(|r| &r.code);
    let neighbours: HashSet<&LaCode> = authority
        .statistical_neighbours
        .iter()
        .filter(|n| **n != authority.la_code)
        .collect();
    let position: BTreeMap<&IndicatorId, usize> = definitions
        .indicators()
        .iter()
        .enumerate()
        .map(|(i, d)| (&d.id, i))
        .collect();

    let mut rows: BTreeMap<(usize, &TimePeriod), Row> = BTreeMap::new();
    for o in observations {
        let Some(&index) = position.get(&o.indicator) else {
            continue;
        };
        let role = match &o.area {
            Area::England => Role::England,
            Area::Region(code) if Some(code) == region => Role::Region,
            Area::La(code) if *code == authority.la_code => Role::La,
            Area::La(code) if neighbours.contains(code) => Role::Neighbour,
            // Another region or LA: not part of this comparison.
            Area::Region(_) | Area::La(_) => continue,
        };
        let row = rows.entry((index, &o.time_period)).or_default();
        match role {
            Role::England => row.england = Some(o.value),
            Role::Region => row.region = Some(o.value),
            Role::La => row.la = Some(o.value),
            Role::Neighbour => {
                if let Some(n) = o.value.number() {
                    row.neighbour_sum += n;
                    row.contributing += 1;
                }
            }
        }
    }

    let indicators = definitions.indicators();
    rows.into_iter()
        .map(|((index, period), row)| Comparison {
            indicator: indicators[index].id.clone(),
            time_period: period.clone(),
            la: row.la,
            england: row.england,
            region: row.region,
            neighbours: NeighbourAverage {
                mean: (row.contributing > 0).then(|| row.neighbour_sum / row.contributing as f64),
                contributing: row.contributing,
                neighbours: neighbours.len(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::{GssCode, RegionId};
    use crate::indicators::Symbol;

    fn la(code: &str, ons_region: &str, neighbours: &[&str]) -> LocalAuthority {
        LocalAuthority {
            la_code: LaCode::parse(code).unwrap(),
            gss_code: GssCode::parse("E09000002").unwrap(),
            name: "Test".into(),
            region: RegionId::parse("london").unwrap(),
            ons_region: ons_region.into(),
            la_type: None,
            population_0_25: None,
            current: true,
            statistical_neighbours: neighbours
                .iter()
                .map(|n| LaCode::parse(n).unwrap())
                .collect(),
            other_codes: Vec::new(),
        }
    }

    fn obs(indicator: &str, period: &str, area: Area, value: &str) -> Observation {
        Observation {
            indicator: IndicatorId::parse(indicator).unwrap(),
            time_period: TimePeriod::parse(period).unwrap(),
            area,
            value: Value::parse(value).unwrap(),
        }
    }

    fn la_area(code: &str) -> Area {
        Area::La(LaCode::parse(code).unwrap())
    }

    fn region(code: &str) -> Area {
        Area::Region(GssCode::parse(code).unwrap())
    }

    #[test]
    fn an_la_against_england_its_region_and_neighbours() {
        let d = Definitions::bundled();
        let subject = la("301", "London", &["302", "303", "304", "305"]);
        let observations = vec![
            obs("re_referral_rate", "2025", la_area("301"), "25.1"),
            obs("re_referral_rate", "2025", Area::England, "22.6"),
            obs("re_referral_rate", "2025", region("E12000007"), "19.9"),
            // Another region and a non-neighbour are not part of the comparison.
            obs("re_referral_rate", "2025", region("E12000001"), "20.7"),
            obs("re_referral_rate", "2025", la_area("999"), "90"),
            obs("re_referral_rate", "2025", la_area("302"), "20"),
            obs("re_referral_rate", "2025", la_area("303"), "30"),
            obs("re_referral_rate", "2025", la_area("304"), "c"),
            obs("re_referral_rate", "2025", la_area("305"), "low"),
            obs("re_referral_rate", "2024", la_area("301"), "x"),
            // Not a defined indicator: ignored.
            obs("happiness", "2025", la_area("301"), "10"),
        ];
        let rows = compare(&d, &subject, &observations);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].time_period.as_str(), "2024");
        assert_eq!(rows[0].la, Some(Value::Symbol(Symbol::NotAvailable)));
        assert_eq!(rows[0].england, None);
        assert_eq!(rows[0].neighbours.mean, None);
        assert_eq!(rows[0].neighbours.contributing, 0);
        let r = &rows[1];
        assert_eq!(r.indicator.as_str(), "re_referral_rate");
        assert_eq!(r.la, Some(Value::Number(25.1)));
        assert_eq!(r.england, Some(Value::Number(22.6)));
        assert_eq!(r.region, Some(Value::Number(19.9)));
        // 20 and 30: the suppressed and the rounds-to-zero neighbours are left out.
        assert_eq!(
            r.neighbours,
            NeighbourAverage {
                mean: Some(25.0),
                contributing: 2,
                neighbours: 4
            }
        );
    }

    #[test]
    fn indicators_come_in_the_definitions_order() {
        let d = Definitions::bundled();
        let subject = la("301", "London", &[]);
        let observations = vec![
            obs("sw_caseload", "2025", la_area("301"), "15"),
            obs("re_referral_rate", "2025", Area::England, "22.6"),
            obs("re_referral_rate", "2013", Area::England, "24.1"),
        ];
        let rows = compare(&d, &subject, &observations);
        let order: Vec<_> = rows
            .iter()
            .map(|r| (r.indicator.as_str(), r.time_period.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("re_referral_rate", "2013"),
                ("re_referral_rate", "2025"),
                ("sw_caseload", "2025")
            ]
        );
        assert_eq!(rows[2].neighbours.neighbours, 0);
    }

    #[test]
    fn an_la_in_an_unknown_region_has_no_regional_value() {
        let d = Definitions::bundled();
        let subject = la("301", "Narnia", &[]);
        let observations = vec![obs("re_referral_rate", "2025", region("E12000007"), "19.9")];
        assert!(compare(&d, &subject, &observations).is_empty());
    }

    #[test]
    fn nothing_to_compare_is_no_rows() {
        let d = Definitions::bundled();
        assert!(compare(&d, &la("301", "London", &["302"]), &[]).is_empty());
    }
}
