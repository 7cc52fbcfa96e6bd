//! The audit programme: who audits which case this month. Team managers audit cases of
//! other teams, a set number a month, never a case audited in the last 12 months
//! (DOMAIN.md "Case audits"; the numbers are [`ProgrammeRules`]).

use super::ids::{AuditorId, ChildId, Team};
use super::record::{Audit, CaseType};
use super::rules::ProgrammeRules;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A calendar month: what a programme is drawn up for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuditMonth {
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a month: expected a year and month such as 2026-03")]
pub struct MonthError(pub String);

impl AuditMonth {
    /// `None` unless `month` is 1 to 12 and the year has four digits.
    pub fn new(year: i32, month: u32) -> Option<AuditMonth> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(AuditMonth { year, month })
    }

    pub fn containing(date: NaiveDate) -> AuditMonth {
        AuditMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses `yyyy-mm`.
    pub fn parse(input: &str) -> Result<AuditMonth, MonthError> {
        let err = || MonthError(input.to_string());
        let (year, month) = input.trim().split_once('-').ok_or_else(err)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(err());
        }
        let year: i32 = year.parse().map_err(|_| err())?;
        let month: u32 = month.parse().map_err(|_| err())?;
        AuditMonth::new(year, month).ok_or_else(err)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a checked month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a checked month")
    }

    pub fn next(self) -> AuditMonth {
        AuditMonth::containing(self.first_day() + Months::new(1))
    }

    pub fn previous(self) -> AuditMonth {
        AuditMonth::containing(self.first_day() - Months::new(1))
    }

    /// The seed a month's programme is proposed with (202603 for March 2026): the same
    /// month proposes the same programme from the same lists, wherever it is proposed.
    pub fn programme_seed(self) -> u64 {
        u64::try_from(self.year).unwrap_or(0) * 100 + u64::from(self.month)
    }

    /// `2026-03`: the stable key for the API and storage.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// `March 2026`.
impl fmt::Display for AuditMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first_day().format("%B %Y"))
    }
}

impl TryFrom<String> for AuditMonth {
    type Error = MonthError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AuditMonth::parse(&value)
    }
}

impl From<AuditMonth> for String {
    fn from(value: AuditMonth) -> String {
        value.key()
    }
}

/// An auditor available this month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeAuditor {
    pub auditor: AuditorId,
    /// The team they manage: their own cases are not theirs to audit.
    pub team: Team,
    /// Cases this month if not the rules' number (a part-time manager; 0 for leave).
    pub cases: Option<u32>,
}

/// An open case that could be audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCase {
    pub child: ChildId,
    pub team: Team,
    pub case_type: CaseType,
}

/// That a case was audited: all the programme needs to know of an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogEntry {
    pub child: ChildId,
    pub auditor: AuditorId,
    pub date: NaiveDate,
}

impl From<&Audit> for AuditLogEntry {
    fn from(audit: &Audit) -> Self {
        AuditLogEntry {
            child: audit.child().clone(),
            auditor: audit.auditor().clone(),
            date: audit.date(),
        }
    }
}

/// One case for one auditor in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeItem {
    pub month: AuditMonth,
    pub auditor: AuditorId,
    pub child: ChildId,
    /// The case's team.
    pub team: Team,
    pub case_type: CaseType,
    /// When the case was last audited, if it has been: why it was chosen.
    pub last_audited: Option<NaiveDate>,
}

/// Why an auditor has fewer cases than they should.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortfallReason {
    /// Fewer open cases are eligible for them than they should audit.
    TooFewEligibleCases,
    /// Enough are eligible, but every one they lack is needed to fill another
    /// auditor's places (the proposal fills as many places as can be filled).
    NeededByOtherAuditors,
}

/// An auditor's places that cannot be filled, and the counts that explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    pub auditor: AuditorId,
    pub wanted: u32,
    pub assigned: u32,
    /// Open cases from their own team (0 when the rules allow their own team).
    pub own_team: u32,
    /// Open cases of other teams audited too recently to audit again.
    pub audited_recently: u32,
    /// Open cases they could audit.
    pub eligible: u32,
    pub reason: ShortfallReason,
}

impl Shortfall {
    /// What a programme page says about it.
    pub fn message(&self, rules: &ProgrammeRules) -> String {
        let cases = |n: u32| {
            if n == 1 {
                "1 case".to_string()
            } else {
                format!("{n} cases")
            }
        };
        let missing = self.wanted - self.assigned;
        match self.reason {
            ShortfallReason::TooFewEligibleCases => format!(
                "{} is {} short: only {} eligible ({} from their own team, {} audited in the last {} months)",
                self.auditor,
                cases(missing),
                cases(self.eligible),
                self.own_team,
                self.audited_recently,
                rules.no_repeat_months
            ),
            ShortfallReason::NeededByOtherAuditors => format!(
                "{} is {} short: the {} eligible for them are needed to fill other auditors' places",
                self.auditor,
                cases(missing),
                cases(self.eligible),
            ),
        }
    }
}

/// A month's proposed programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub month: AuditMonth,
    /// By auditor, then best case first.
    pub items: Vec<ProgrammeItem>,
    /// By auditor.
    pub shortfalls: Vec<Shortfall>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgrammeError {
    #[error("the open cases list child {0} more than once")]
    DuplicateCase(ChildId),
    #[error("the auditors list {0} more than once")]
    DuplicateAuditor(AuditorId),
}

/// FNV-1a over the seed and the child's ID: a tie-break that is stable across
/// platforms and Rust versions (std's hasher promises neither) yet does not favour the
/// same IDs every month.
fn tie_break(seed: u64, child: &ChildId) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.to_le_bytes().iter().chain(child.as_str().as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The day from which an earlier audit stops a case being chosen again this month, or
/// `None` if the rule is off (`no_repeat_months = 0`). An audit exactly that many months
/// before the month starts no longer counts.
fn repeat_cutoff(month: AuditMonth, rules: &ProgrammeRules) -> Option<NaiveDate> {
    (rules.no_repeat_months > 0).then(|| month.first_day() - Months::new(rules.no_repeat_months))
}

/// Proposes the month's programme. The same inputs give the same proposal, whatever
/// their order; `seed` (say, 202603 for March 2026) only breaks ties between equally
/// due cases.
///
/// Each auditor gets up to their number of cases; a case goes to one auditor at most.
/// Cases never audited come first, then those audited longest ago. Places are filled
/// in rounds (each auditor's first case, then each one's second, ...), auditors in
/// order of their ID, each taking their best free case. When none is free, a place may
/// move an earlier one to another case it may audit if that frees one: so as many
/// places are filled as any assignment could fill.
pub fn propose_programme(
    month: AuditMonth,
    auditors: &[ProgrammeAuditor],
    cases: &[OpenCase],
    past: &[AuditLogEntry],
    rules: &ProgrammeRules,
    seed: u64,
) -> Result<Proposal, ProgrammeError> {
    let mut auditors: Vec<&ProgrammeAuditor> = auditors.iter().collect();
    auditors.sort_by(|a, b| a.auditor.cmp(&b.auditor));
    if let Some(pair) = auditors.windows(2).find(|p| p[0].auditor == p[1].auditor) {
        return Err(ProgrammeError::DuplicateAuditor(pair[0].auditor.clone()));
    }
    let mut seen = BTreeSet::new();
    if let Some(case) = cases.iter().find(|c| !seen.insert(&c.child)) {
        return Err(ProgrammeError::DuplicateCase(case.child.clone()));
    }

    let mut last_audit: BTreeMap<&ChildId, NaiveDate> = BTreeMap::new();
    for entry in past {
        let date = last_audit.entry(&entry.child).or_insert(entry.date);
        *date = (*date).max(entry.date);
    }
    let cutoff = repeat_cutoff(month, rules);
    let recent = |child: &ChildId| match (cutoff, last_audit.get(child)) {
        (Some(cutoff), Some(last)) => *last > cutoff,
        _ => false,
    };

    // Every auditor's preference: never audited first, then longest since audited.
    let mut order: Vec<&OpenCase> = cases.iter().collect();
    order.sort_by_key(|c| {
        let last = last_audit.get(&c.child).copied();
        (last.is_some(), last, tie_break(seed, &c.child), &c.child)
    });

    let own_team = |a: &ProgrammeAuditor, c: &OpenCase| rules.other_team_only && a.team == c.team;
    let choices: Vec<Vec<usize>> = auditors
        .iter()
        .map(|a| {
            (0..order.len())
                .filter(|&i| !own_team(a, order[i]) && !recent(&order[i].child))
                .collect()
        })
        .collect();
    let wanted: Vec<u32> = auditors
        .iter()
        .map(|a| a.cases.unwrap_or(rules.cases_per_auditor))
        .collect();

    // Places in rounds: round r holds the (r+1)th place of every auditor who has one.
    let rounds = wanted.iter().copied().max().unwrap_or(0);
    let wanted_ref = &wanted;
    let places: Vec<usize> = (0..rounds)
        .flat_map(|r| (0..auditors.len()).filter(move |&a| wanted_ref[a] > r))
        .collect();
    let mut matcher = Matcher {
        places: &places,
        choices: &choices,
        holder: vec![None; order.len()],
        visited: vec![false; order.len()],
    };
    for place in 0..places.len() {
        matcher.visited.iter_mut().for_each(|v| *v = false);
        matcher.fill(place);
    }

    let mut items = Vec::new();
    let mut assigned = vec![0u32; auditors.len()];
    for (a, auditor) in auditors.iter().enumerate() {
        for (i, holder) in matcher.holder.iter().enumerate() {
            if holder.is_some_and(|place| places[place] == a) {
                assigned[a] += 1;
                items.push(ProgrammeItem {
                    month,
                    auditor: auditor.auditor.clone(),
                    child: order[i].child.clone(),
                    team: order[i].team.clone(),
                    case_type: order[i].case_type,
                    last_audited: last_audit.get(&order[i].child).copied(),
                });
            }
        }
    }

    let shortfalls = auditors
        .iter()
        .enumerate()
        .filter(|(a, _)| assigned[*a] < wanted[*a])
        .map(|(a, auditor)| {
            let own = order.iter().filter(|c| own_team(auditor, c)).count() as u32;
            let eligible = choices[a].len() as u32;
            Shortfall {
                auditor: auditor.auditor.clone(),
                wanted: wanted[a],
                assigned: assigned[a],
                own_team: own,
                audited_recently: order.len() as u32 - own - eligible,
                eligible,
                reason: if eligible < wanted[a] {
                    ShortfallReason::TooFewEligibleCases
                } else {
                    ShortfallReason::NeededByOtherAuditors
                },
            }
        })
        .collect();

    Ok(Proposal {
        month,
        items,
        shortfalls,
    })
}

/// Bipartite matching of places to cases by augmenting paths (Kuhn's algorithm).
struct Matcher<'a> {
    /// The auditor (index) each place belongs to.
    places: &'a [usize],
    /// Per auditor, the cases (index into the preference order) they may audit, best first.
    choices: &'a [Vec<usize>],
    /// Per case, the place holding it.
    holder: Vec<Option<usize>>,
    visited: Vec<bool>,
}

impl Matcher<'_> {
    /// Fills a place with its best free choice or, only when none is free, frees one by
    /// moving its holder on (which may in turn move another).
    fn fill(&mut self, place: usize) -> bool {
        let auditor = self.places[place];
        // A copy of the shared reference, so it outlives the recursive `&mut self` calls.
        let all: &[Vec<usize>] = self.choices;
        let choices = &all[auditor];
        if let Some(&case) = choices.iter().find(|&&c| self.holder[c].is_none()) {
            self.holder[case] = Some(place);
            return true;
        }
        for &case in choices {
            if self.visited[case] {
                continue;
            }
            self.visited[case] = true;
            let holder = self.holder[case].expect("no choice is free: checked above");
            if self.fill(holder) {
                self.holder[case] = Some(place);
                return true;
            }
        }
        false
    }
}

/// A programme item not done by its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueItem {
    pub item: ProgrammeItem,
    pub due: NaiveDate,
    pub days_overdue: u32,
}

impl ProgrammeRules {
    /// When a month's items are due: its last day plus the rules' days of grace.
    pub fn due_date(&self, month: AuditMonth) -> NaiveDate {
        month.last_day() + Days::new(u64::from(self.due_days_after_month_end))
    }
}

/// Where a confirmed programme item stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemState {
    /// Its auditor audited its child on `on`, on or after the first day of its month
    /// (late counts: the case was audited as planned).
    Done { on: NaiveDate },
    /// Not done yet; not past `due`.
    Due { due: NaiveDate },
    /// Not done, and `due` has passed.
    Overdue { due: NaiveDate, days_overdue: u32 },
}

impl ItemState {
    /// The order a programme page lists items in: what needs chasing first.
    pub fn rank(&self) -> u8 {
        match self {
            ItemState::Overdue { .. } => 0,
            ItemState::Due { .. } => 1,
            ItemState::Done { .. } => 2,
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            ItemState::Overdue { .. } => "overdue",
            ItemState::Due { .. } => "due",
            ItemState::Done { .. } => "done",
        }
    }
}

/// The state of one item on `today`: done by the first audit of its child by its
/// auditor on or after the first day of its month, otherwise due until the rules' due
/// date and overdue after it.
pub fn item_state(
    item: &ProgrammeItem,
    done: &[AuditLogEntry],
    today: NaiveDate,
    rules: &ProgrammeRules,
) -> ItemState {
    let audited = done
        .iter()
        .filter(|d| {
            d.child == item.child && d.auditor == item.auditor && d.date >= item.month.first_day()
        })
        .map(|d| d.date)
        .min();
    let due = rules.due_date(item.month);
    match audited {
        Some(on) => ItemState::Done { on },
        None if today > due => ItemState::Overdue {
            due,
            days_overdue: (today - due).num_days() as u32,
        },
        None => ItemState::Due { due },
    }
}

/// Every item with its state, overdue first (most overdue first), then due, then done;
/// within each, by auditor and child.
pub fn programme_status(
    items: &[ProgrammeItem],
    done: &[AuditLogEntry],
    today: NaiveDate,
    rules: &ProgrammeRules,
) -> Vec<(ProgrammeItem, ItemState)> {
    let mut status: Vec<(ProgrammeItem, ItemState)> = items
        .iter()
        .map(|item| (item.clone(), item_state(item, done, today, rules)))
        .collect();
    status.sort_by(|(a, sa), (b, sb)| {
        (sa.rank(), a.month, &a.auditor, &a.child).cmp(&(sb.rank(), b.month, &b.auditor, &b.child))
    });
    status
}

/// The items not done by their due date, most overdue first. An item is done when its
/// auditor has audited its child on or after the first day of its month (late counts).
pub fn overdue_items(
    items: &[ProgrammeItem],
    done: &[AuditLogEntry],
    today: NaiveDate,
    rules: &ProgrammeRules,
) -> Vec<OverdueItem> {
    let mut overdue: Vec<OverdueItem> = items
        .iter()
        .filter_map(|item| match item_state(item, done, today, rules) {
            ItemState::Overdue { due, days_overdue } => Some(OverdueItem {
                item: item.clone(),
                due,
                days_overdue,
            }),
            _ => None,
        })
        .collect();
    overdue.sort_by(|a, b| {
        (a.due, &a.item.auditor, &a.item.child).cmp(&(b.due, &b.item.auditor, &b.item.child))
    });
    overdue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::rules::AuditRules;
    use crate::audit::testing::d;

    fn rules() -> ProgrammeRules {
        AuditRules::bundled().programme
    }

    fn march() -> AuditMonth {
        AuditMonth::new(2026, 3).unwrap()
    }

    fn auditor(id: &str, team: &str) -> ProgrammeAuditor {
        ProgrammeAuditor {
            auditor: AuditorId::parse(id).unwrap(),
            team: Team::parse(team).unwrap(),
            cases: None,
        }
    }

    fn case(child: &str, team: &str) -> OpenCase {
        OpenCase {
            child: ChildId::parse(child).unwrap(),
            team: Team::parse(team).unwrap(),
            case_type: CaseType::HelpAndProtection,
        }
    }

    fn audited(child: &str, date: &str) -> AuditLogEntry {
        AuditLogEntry {
            child: ChildId::parse(child).unwrap(),
            auditor: AuditorId::parse("someone").unwrap(),
            date: d(date),
        }
    }

    fn assignment(p: &Proposal) -> Vec<(String, String)> {
        p.items
            .iter()
            .map(|i| (i.auditor.to_string(), i.child.to_string()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, c)| (a.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn months_parse_and_step() {
        let m = AuditMonth::parse("2026-02").unwrap();
        assert_eq!(
            (m.first_day(), m.last_day()),
            (d("2026-02-01"), d("2026-02-28"))
        );
        assert_eq!(
            AuditMonth::parse("2028-02").unwrap().last_day(),
            d("2028-02-29")
        );
        assert_eq!(
            AuditMonth::new(2026, 12).unwrap().next(),
            AuditMonth::new(2027, 1).unwrap()
        );
        assert_eq!(
            AuditMonth::new(2026, 1).unwrap().previous(),
            AuditMonth::new(2025, 12).unwrap()
        );
        assert_eq!(m.to_string(), "February 2026");
        assert_eq!(m.key(), "2026-02");
        assert_eq!(AuditMonth::containing(d("2026-02-17")), m);
        for bad in ["2026-13", "2026-2", "26-02", "2026/02", "", "2026-00"] {
            assert!(AuditMonth::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn auditors_get_other_teams_cases_never_audited_first() {
        let auditors = [auditor("amy", "A"), auditor("ben", "B")];
        let cases = [
            case("a1", "A"),
            case("a2", "A"),
            case("b1", "B"),
            case("b2", "B"),
            case("c1", "C"),
        ];
        // b1 was audited 13 months before March: eligible but after the never-audited.
        let past = [audited("b1", "2025-02-01")];
        let p = propose_programme(march(), &auditors, &cases, &past, &rules(), 1).unwrap();
        for item in &p.items {
            let own = auditors.iter().find(|a| a.auditor == item.auditor).unwrap();
            assert_ne!(own.team, item.team);
        }
        assert_eq!(p.items.len(), 4);
        assert!(p.shortfalls.is_empty());
        // Five cases, four places. Amy may audit b1, b2 and c1, Ben a1, a2 and c1: b1,
        // audited before, goes to Amy only if Ben took c1.
        let holder = |child: &str| {
            p.items
                .iter()
                .find(|i| i.child.as_str() == child)
                .map(|i| i.auditor.as_str())
        };
        assert_eq!(holder("b2"), Some("amy"));
        match holder("c1") {
            Some("amy") => assert_eq!(
                (holder("b1"), holder("a1"), holder("a2")),
                (None, Some("ben"), Some("ben"))
            ),
            Some("ben") => assert_eq!(holder("b1"), Some("amy")),
            other => panic!("c1 is never audited and must be chosen, not {other:?}"),
        }
    }

    #[test]
    fn auditors_take_turns() {
        // Both could audit all four cases; each gets two, in turn, best first.
        let auditors = [auditor("ben", "A"), auditor("amy", "A")];
        let cases = [
            case("b1", "B"),
            case("b2", "B"),
            case("b3", "B"),
            case("b4", "B"),
        ];
        let past = [
            audited("b1", "2022-01-01"),
            audited("b2", "2022-02-01"),
            audited("b3", "2022-03-01"),
            audited("b4", "2022-04-01"),
        ];
        let p = propose_programme(march(), &auditors, &cases, &past, &rules(), 1).unwrap();
        assert_eq!(
            assignment(&p),
            pairs(&[("amy", "b1"), ("amy", "b3"), ("ben", "b2"), ("ben", "b4")])
        );
    }

    #[test]
    fn no_case_is_audited_twice_in_twelve_months() {
        let auditors = [auditor("amy", "A")];
        let cases = [case("b1", "B"), case("b2", "B"), case("b3", "B")];
        // b1: exactly 12 months before 1 March 2026 - eligible again. b2: a day later,
        // within 12 months. b3: audited this month already.
        let past = [
            audited("b1", "2025-03-01"),
            audited("b2", "2025-03-02"),
            audited("b3", "2026-03-02"),
        ];
        let p = propose_programme(march(), &auditors, &cases, &past, &rules(), 1).unwrap();
        assert_eq!(assignment(&p), pairs(&[("amy", "b1")]));
        assert_eq!(
            p.shortfalls,
            [Shortfall {
                auditor: AuditorId::parse("amy").unwrap(),
                wanted: 2,
                assigned: 1,
                own_team: 0,
                audited_recently: 2,
                eligible: 1,
                reason: ShortfallReason::TooFewEligibleCases,
            }]
        );
        assert_eq!(
            p.shortfalls[0].message(&rules()),
            "amy is 1 case short: only 1 case eligible (0 from their own team, 2 audited in the last 12 months)"
        );
        let off = ProgrammeRules {
            no_repeat_months: 0,
            ..rules()
        };
        assert_eq!(
            propose_programme(march(), &auditors, &cases, &past, &off, 1)
                .unwrap()
                .items
                .len(),
            2
        );
    }

    #[test]
    fn longest_unaudited_cases_come_first() {
        let auditors = [ProgrammeAuditor {
            cases: Some(1),
            ..auditor("amy", "A")
        }];
        let cases = [case("b1", "B"), case("b2", "B"), case("b3", "B")];
        let past = [
            audited("b1", "2024-06-01"),
            audited("b1", "2023-01-01"),
            audited("b2", "2023-06-01"),
            audited("b3", "2024-01-01"),
        ];
        let p = propose_programme(march(), &auditors, &cases, &past, &rules(), 1).unwrap();
        // Latest audits: b1 June 2024, b2 June 2023, b3 January 2024.
        assert_eq!(assignment(&p), pairs(&[("amy", "b2")]));
        assert_eq!(p.items[0].last_audited, Some(d("2023-06-01")));
    }

    #[test]
    fn more_auditors_than_eligible_cases() {
        let auditors = [
            auditor("amy", "A"),
            auditor("ben", "A"),
            auditor("cat", "B"),
        ];
        let cases = [case("a1", "A"), case("b1", "B"), case("b2", "B")];
        let p = propose_programme(march(), &auditors, &cases, &[], &rules(), 7).unwrap();
        // Amy and Ben (team A) share b1 and b2; Cat (team B) has only a1.
        assert_eq!(p.items.len(), 3);
        let reasons: Vec<_> = p
            .shortfalls
            .iter()
            .map(|s| {
                (
                    s.auditor.as_str(),
                    s.assigned,
                    s.eligible,
                    s.own_team,
                    s.reason,
                )
            })
            .collect();
        assert_eq!(
            reasons,
            [
                ("amy", 1, 2, 1, ShortfallReason::NeededByOtherAuditors),
                ("ben", 1, 2, 1, ShortfallReason::NeededByOtherAuditors),
                ("cat", 1, 1, 2, ShortfallReason::TooFewEligibleCases),
            ]
        );
        assert_eq!(
            p.shortfalls[0].message(&rules()),
            "amy is 1 case short: the 2 cases eligible for them are needed to fill other auditors' places"
        );
    }

    #[test]
    fn no_cases_at_all() {
        let p = propose_programme(march(), &[auditor("amy", "A")], &[], &[], &rules(), 1).unwrap();
        assert!(p.items.is_empty());
        assert_eq!(p.shortfalls[0].eligible, 0);
        assert_eq!(p.shortfalls[0].reason, ShortfallReason::TooFewEligibleCases);
        let none = propose_programme(march(), &[], &[case("a1", "A")], &[], &rules(), 1).unwrap();
        assert!(none.items.is_empty() && none.shortfalls.is_empty());
    }

    #[test]
    fn fills_every_place_an_assignment_can_fill() {
        // Greedy would give Amy (first by ID) c1, her first choice, leaving Ben (team C)
        // nothing: c1 is the only case Ben may audit. The proposal moves Amy to b1.
        let auditors = [
            ProgrammeAuditor {
                cases: Some(1),
                ..auditor("amy", "A")
            },
            ProgrammeAuditor {
                cases: Some(1),
                ..auditor("ben", "B")
            },
        ];
        let cases = [case("c1", "C"), case("b1", "B")];
        let past = [audited("b1", "2020-01-01")];
        let p = propose_programme(march(), &auditors, &cases, &past, &rules(), 1).unwrap();
        assert_eq!(assignment(&p), pairs(&[("amy", "b1"), ("ben", "c1")]));
        assert!(p.shortfalls.is_empty());
    }

    #[test]
    fn ties_are_broken_by_the_seed_and_not_by_input_order() {
        let auditors = [ProgrammeAuditor {
            cases: Some(1),
            ..auditor("amy", "A")
        }];
        let cases: Vec<_> = (0..20).map(|i| case(&format!("b{i}"), "B")).collect();
        let reversed: Vec<_> = cases.iter().rev().cloned().collect();
        let pick = |cases: &[OpenCase], seed| {
            propose_programme(march(), &auditors, cases, &[], &rules(), seed)
                .unwrap()
                .items[0]
                .child
                .to_string()
        };
        assert_eq!(pick(&cases, 42), pick(&cases, 42));
        assert_eq!(pick(&cases, 42), pick(&reversed, 42));
        let picks: BTreeSet<_> = (0..10).map(|seed| pick(&cases, seed)).collect();
        assert!(
            picks.len() > 1,
            "the seed changes which of 20 equal cases comes first"
        );
        // Pinned, so an accidental change to the tie-break is noticed.
        assert_eq!(
            tie_break(0, &ChildId::parse("a").unwrap()),
            0xe604_613a_248f_f1ac
        );
    }

    #[test]
    fn own_team_cases_when_the_rules_allow() {
        let rules = ProgrammeRules {
            other_team_only: false,
            ..rules()
        };
        let p = propose_programme(
            march(),
            &[auditor("amy", "A")],
            &[case("a1", "A")],
            &[],
            &rules,
            1,
        )
        .unwrap();
        assert_eq!(assignment(&p), pairs(&[("amy", "a1")]));
        assert_eq!(p.shortfalls[0].own_team, 0);
    }

    #[test]
    fn an_auditor_on_leave_gets_nothing_and_is_not_short() {
        let auditors = [ProgrammeAuditor {
            cases: Some(0),
            ..auditor("amy", "A")
        }];
        let p =
            propose_programme(march(), &auditors, &[case("b1", "B")], &[], &rules(), 1).unwrap();
        assert!(p.items.is_empty() && p.shortfalls.is_empty());
    }

    #[test]
    fn duplicated_inputs_are_refused() {
        let twice = [auditor("amy", "A"), auditor("amy", "B")];
        assert_eq!(
            propose_programme(march(), &twice, &[], &[], &rules(), 1),
            Err(ProgrammeError::DuplicateAuditor(
                AuditorId::parse("amy").unwrap()
            ))
        );
        let cases = [case("b1", "B"), case("b1", "C")];
        assert_eq!(
            propose_programme(march(), &[], &cases, &[], &rules(), 1),
            Err(ProgrammeError::DuplicateCase(ChildId::parse("b1").unwrap()))
        );
    }

    #[test]
    fn overdue_items_are_those_not_done_by_the_month_end() {
        let item = |auditor: &str, child: &str, month: AuditMonth| ProgrammeItem {
            month,
            auditor: AuditorId::parse(auditor).unwrap(),
            child: ChildId::parse(child).unwrap(),
            team: Team::parse("B").unwrap(),
            case_type: CaseType::InCare,
            last_audited: None,
        };
        let feb = AuditMonth::new(2026, 2).unwrap();
        let items = [
            item("amy", "b1", march()),
            item("amy", "b2", march()),
            item("ben", "b3", feb),
            item("ben", "b4", feb),
        ];
        let done = |auditor: &str, child: &str, date: &str| AuditLogEntry {
            auditor: AuditorId::parse(auditor).unwrap(),
            child: ChildId::parse(child).unwrap(),
            date: d(date),
        };
        let log = [
            done("amy", "b1", "2026-03-12"),
            // Someone else audited b2: still amy's to do.
            done("cat", "b2", "2026-03-12"),
            // Done late still counts; an audit before the month does not.
            done("ben", "b3", "2026-03-05"),
            done("ben", "b4", "2026-01-20"),
        ];
        let on_due_date = overdue_items(&items, &log, d("2026-03-31"), &rules());
        let found: Vec<_> = on_due_date
            .iter()
            .map(|o| (o.item.child.as_str(), o.due, o.days_overdue))
            .collect();
        assert_eq!(found, [("b4", d("2026-02-28"), 31)]);
        let later = overdue_items(&items, &log, d("2026-04-02"), &rules());
        let found: Vec<_> = later
            .iter()
            .map(|o| (o.item.child.as_str(), o.days_overdue))
            .collect();
        assert_eq!(found, [("b4", 33), ("b2", 2)]);
        let grace = ProgrammeRules {
            due_days_after_month_end: 5,
            ..rules()
        };
        assert_eq!(grace.due_date(march()), d("2026-04-05"));
        assert_eq!(
            overdue_items(&items, &log, d("2026-04-02"), &grace).len(),
            1
        );
    }

    #[test]
    fn each_item_is_done_due_or_overdue() {
        let item = |auditor: &str, child: &str| ProgrammeItem {
            month: march(),
            auditor: AuditorId::parse(auditor).unwrap(),
            child: ChildId::parse(child).unwrap(),
            team: Team::parse("B").unwrap(),
            case_type: CaseType::InCare,
            last_audited: None,
        };
        let log = [
            AuditLogEntry {
                auditor: AuditorId::parse("amy").unwrap(),
                child: ChildId::parse("b1").unwrap(),
                date: d("2026-03-20"),
            },
            AuditLogEntry {
                auditor: AuditorId::parse("amy").unwrap(),
                child: ChildId::parse("b1").unwrap(),
                date: d("2026-03-09"),
            },
        ];
        let items = [item("amy", "b2"), item("amy", "b1"), item("ben", "b1")];
        let on = |today: &str| {
            programme_status(&items, &log, d(today), &rules())
                .into_iter()
                .map(|(i, s)| (i.auditor.to_string(), i.child.to_string(), s))
                .collect::<Vec<_>>()
        };
        let due = d("2026-03-31");
        let s = |a: &str, c: &str, st| (a.to_string(), c.to_string(), st);
        assert_eq!(
            on("2026-03-31"),
            [
                s("amy", "b2", ItemState::Due { due }),
                s("ben", "b1", ItemState::Due { due }),
                // The first audit in the month is the one that did it.
                s(
                    "amy",
                    "b1",
                    ItemState::Done {
                        on: d("2026-03-09")
                    }
                ),
            ]
        );
        assert_eq!(
            on("2026-04-03")[0],
            s(
                "amy",
                "b2",
                ItemState::Overdue {
                    due,
                    days_overdue: 3
                }
            )
        );
        assert_eq!(ItemState::Done { on: due }.key(), "done");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn inputs() -> impl Strategy<
            Value = (
                Vec<ProgrammeAuditor>,
                Vec<OpenCase>,
                Vec<AuditLogEntry>,
                u64,
            ),
        > {
            let teams = ["A", "B", "C"];
            let auditors = prop::collection::vec((0usize..3, prop::option::of(0u32..4)), 0..6)
                .prop_map(move |list| {
                    list.into_iter()
                        .enumerate()
                        .map(|(i, (team, cases))| ProgrammeAuditor {
                            cases,
                            ..auditor(&format!("aud{i}"), teams[team])
                        })
                        .collect::<Vec<_>>()
                });
            let cases = prop::collection::vec(0usize..3, 0..16).prop_map(move |list| {
                list.into_iter()
                    .enumerate()
                    .map(|(i, team)| case(&format!("c{i}"), teams[team]))
                    .collect::<Vec<_>>()
            });
            // Past audits of c0..c15 over the 20 months before March 2026.
            let past = prop::collection::vec((0usize..16, 0u64..600), 0..20).prop_map(|list| {
                list.into_iter()
                    .map(|(child, days)| AuditLogEntry {
                        child: ChildId::parse(&format!("c{child}")).unwrap(),
                        auditor: AuditorId::parse("earlier").unwrap(),
                        date: d("2026-03-20") - Days::new(days),
                    })
                    .collect::<Vec<_>>()
            });
            (auditors, cases, past, any::<u64>())
        }

        fn check(
            auditors: &[ProgrammeAuditor],
            cases: &[OpenCase],
            past: &[AuditLogEntry],
            seed: u64,
        ) -> Result<(), TestCaseError> {
            let rules = rules();
            let p = propose_programme(march(), auditors, cases, past, &rules, seed).unwrap();
            // Worked out here rather than with the code under test: 12 months before
            // 1 March 2026.
            let cutoff = d("2025-03-01");
            let recent =
                |child: &ChildId| past.iter().any(|e| &e.child == child && e.date > cutoff);
            let team_of = |a: &AuditorId| &auditors.iter().find(|x| &x.auditor == a).unwrap().team;
            let mut children = BTreeSet::new();
            for item in &p.items {
                prop_assert_ne!(team_of(&item.auditor), &item.team, "own team");
                prop_assert!(!recent(&item.child), "audited within 12 months");
                prop_assert!(children.insert(item.child.clone()), "a case given twice");
            }
            for a in auditors {
                let wanted = a.cases.unwrap_or(rules.cases_per_auditor);
                let got = p.items.iter().filter(|i| i.auditor == a.auditor).count() as u32;
                prop_assert!(got <= wanted);
                let short = p.shortfalls.iter().find(|s| s.auditor == a.auditor);
                prop_assert_eq!(short.is_some(), got < wanted);
                if let Some(s) = short {
                    prop_assert_eq!(s.assigned, got);
                    prop_assert_eq!(
                        s.own_team + s.audited_recently + s.eligible,
                        cases.len() as u32
                    );
                    // Short only if every case they could audit is taken.
                    let could = cases
                        .iter()
                        .filter(|c| c.team != a.team && !recent(&c.child));
                    for c in could {
                        prop_assert!(
                            children.contains(&c.child),
                            "{} left {} unassigned",
                            a.auditor,
                            c.child
                        );
                    }
                }
            }
            // Input order does not matter.
            let reversed_auditors: Vec<_> = auditors.iter().rev().cloned().collect();
            let reversed_cases: Vec<_> = cases.iter().rev().cloned().collect();
            let again = propose_programme(
                march(),
                &reversed_auditors,
                &reversed_cases,
                past,
                &rules,
                seed,
            )
            .unwrap();
            prop_assert_eq!(again, p);
            Ok(())
        }

        proptest! {
            #[test]
            fn the_programme_keeps_its_rules((auditors, cases, past, seed) in inputs()) {
                check(&auditors, &cases, &past, seed)?;
            }
        }
    }
}
