//! Devon's 2025-26 self-evaluation, signed off and shared with Ofsted, so that a
//! newcomer to `ilacs demo` finds a finished one to read and a model for the next.
//!
//! Modelled on Devon's real cabinet report (seed 003): a strong strategic vision, a
//! credible self-assessment, the challenge of rurality and scale, the sufficiency of
//! placements, and children in need and disabled children as the year's focus. The
//! three strengths and three areas for development follow the regional peer
//! challenge's. The people are invented. Claims cite the demo's own case audits (two
//! per team, from before sign-off where there are any) and the reports the LA already
//! has.

use super::audits::DEVON;
use anyhow::{anyhow, bail, Context};
use chrono::{DateTime, NaiveDate, Utc};
use ilacs_domain::authority::LaCode;
use ilacs_domain::framework::Catalogue;
use ilacs_domain::self_evaluation::{
    ActionDetails, ActionStatus, AuditRef, AuditSet, Citation, Evidence, FinancialYear, Happened,
    ItemId, Paragraph, Question, SectionKey, SelfEvaluation, Structure,
};
use ilacs_domain::user::Username;
use ilacs_store::{Store, StoredAudit};
use std::collections::BTreeMap;

/// The financial year: 2025-26.
const YEAR: i32 = 2025;
const WRITER: &str = "qp.devon";
const DIRECTOR: &str = "dcs.devon";
/// Signed off by the director, then shared before the annual engagement meeting.
const SIGNED_OFF: &str = "2026-02-10";
const SHARED: &str = "2026-02-17";
/// Audits cited per team.
const PER_TEAM: usize = 2;

// Teams (audits::TEAMS).
const EXETER: &str = "Exeter assessment";
const NORTH: &str = "North Devon safeguarding";
const SOUTH_WEST: &str = "South and West Devon safeguarding";
const CARE_EAST: &str = "Children in care East";
const CARE_WEST: &str = "Children in care West";
const LEAVERS: &str = "Care leavers";

/// What a claim cites.
#[derive(Debug, Clone, Copy)]
enum Cite {
    /// Audits of these teams.
    Audits(&'static [&'static str]),
    StaffSurvey(&'static str),
    MultiAgency(&'static str),
    Feedback(&'static str),
}

use Cite::{Audits, Feedback, MultiAgency, StaffSurvey};

const STAFF_SURVEY: Cite = StaffSurvey("Staff survey, autumn 2025");
const PARTNERSHIP: Cite = MultiAgency("Safeguarding partnership annual review 2024-25");
const FRONT_DOOR: Cite = MultiAgency("Multi-agency audit of the front door, autumn 2025");
const PARENT_CARERS: Cite = Feedback("Parent carer forum, 2025");
const CHILDREN_IN_CARE_COUNCIL: Cite = Feedback("Children in care council, autumn 2025");
const LEAVERS_FORUM: Cite = Feedback("Care leavers' forum, 2025");

/// A claim and what it cites.
type Claim = (&'static str, &'static [Cite]);

struct SectionText {
    key: &'static str,
    what_you_know: &'static [Claim],
    how_you_know: &'static [Claim],
    plans: &'static [Claim],
}

const SECTIONS: &[SectionText] = &[
    SectionText {
        key: "context",
        what_you_know: &[
            (
                "Devon is one of England's largest and most rural counties. Many families live an hour or more from a town with specialist services, so travel shapes how often workers can visit and how far from home children in care live.",
                &[PARTNERSHIP],
            ),
            (
                "The workforce is more stable than two years ago: fewer than one in six social workers are agency staff and most teams have a permanent manager. Caseloads are highest in the assessment teams.",
                &[STAFF_SURVEY],
            ),
        ],
        how_you_know: &[(
            "Monthly workforce and performance reports to the leadership team, the staff survey and the safeguarding partnership's annual review.",
            &[STAFF_SURVEY, PARTNERSHIP],
        )],
        plans: &[(
            "Keep recruiting permanent social workers through the newly qualified workers' academy, and bring assessment caseloads down to the service's target by March 2027.",
            &[],
        )],
    },
    SectionText {
        key: "help_and_protection",
        what_you_know: &[
            (
                "Children who need help and protection are seen promptly and their views shape their plans: in most audits of the Exeter assessment team, workers saw children alone and recorded what they said in their own words.",
                &[Audits(&[EXETER])],
            ),
            (
                "Practice is not yet consistent across the county. In North Devon, audits found children in need plans that restate the concerns without saying what must change, and some children waited too long between visits.",
                &[Audits(&[NORTH])],
            ),
            (
                "Disabled children get a good service once allocated, but their children in need plans are reviewed less often than other children's, and parent carers say they have to chase for reviews.",
                &[PARENT_CARERS],
            ),
        ],
        how_you_know: &[
            (
                "Team managers audit eight cases a month, a fifth of them moderated by a colleague, and the themes go to the leadership team every month.",
                &[Audits(&[SOUTH_WEST])],
            ),
            (
                "The partnership's multi-agency audit of the front door, and feedback from families when a children in need plan ends.",
                &[FRONT_DOOR],
            ),
        ],
        plans: &[(
            "Make children in need and disabled children the focus of the year: every plan reviewed on time, with outcomes a family can understand, checked by re-audit in North Devon.",
            &[],
        )],
    },
    SectionText {
        key: "children_in_care",
        what_you_know: &[
            (
                "Children in care have stable, trusted relationships with their workers: audits show regular visits, life-story work started early and children's views recorded at every review.",
                &[Audits(&[CARE_EAST])],
            ),
            (
                "Too many children live outside Devon because the county does not have enough homes for them. Children placed far away see their workers and families less often, as audits in Children in care West show.",
                &[Audits(&[CARE_WEST])],
            ),
        ],
        how_you_know: &[(
            "Case audits, the sufficiency reports to the corporate parenting board, and what children tell the children in care council.",
            &[CHILDREN_IN_CARE_COUNCIL],
        )],
        plans: &[(
            "Deliver the sufficiency strategy: more foster carers recruited in the county, two new small children's homes, and fewer children living more than 20 miles from home.",
            &[],
        )],
    },
    SectionText {
        key: "care_leavers",
        what_you_know: &[
            (
                "Care leavers have personal advisers who know them well and keep in touch; audits found pathway plans that are up to date and written with the young person.",
                &[Audits(&[LEAVERS])],
            ),
            (
                "Suitable housing is the weakest part of the offer: care leavers in rural areas have few choices, and some have moved more than once in a year.",
                &[LEAVERS_FORUM],
            ),
        ],
        how_you_know: &[(
            "Audits of pathway plans, and the care leavers' forum, which meets the lead member every quarter.",
            &[Audits(&[LEAVERS]), LEAVERS_FORUM],
        )],
        plans: &[(
            "Agree a housing protocol with the district councils so that every care leaver has a planned move and a second option if it falls through.",
            &[],
        )],
    },
    SectionText {
        key: "impact_of_leaders",
        what_you_know: &[
            (
                "Leaders have a clear strategic vision that the council backs with sustained investment, and they know their service: the regional peer challenge found a credible, transparent self-assessment.",
                &[PARTNERSHIP],
            ),
            (
                "Leaders know where practice is weaker and act on it: audits now grade the child's experience rather than compliance, and grades improved through the year in every locality.",
                &[Audits(&[EXETER, NORTH, CARE_WEST])],
            ),
            (
                "Staff say managers are visible and supervision is regular; fewer say their caseloads are manageable.",
                &[STAFF_SURVEY],
            ),
        ],
        how_you_know: &[(
            "The audit programme and its moderation, the staff survey, and the peer challenge of the self-assessment by neighbouring authorities.",
            &[Audits(&[SOUTH_WEST]), STAFF_SURVEY],
        )],
        plans: &[(
            "Keep the audit programme at eight audits a month, and use re-audits to check that the actions audits set change children's experience.",
            &[],
        )],
    },
];

const STRENGTHS: &[Claim] = &[
    (
        "A strong strategic vision, shared across the council: sustained investment in children's services and a leadership team the corporate centre trusts.",
        &[PARTNERSHIP],
    ),
    (
        "A credible, transparent self-evaluation: leaders know their service, its strengths and its weaknesses, and can show the evidence for each.",
        &[Audits(&[EXETER, SOUTH_WEST])],
    ),
    (
        "Real pace of improvement this year, with leaders alert to sustaining it: audit grades rose quarter on quarter and staff say supervision is regular.",
        &[Audits(&[NORTH, CARE_EAST]), STAFF_SURVEY],
    ),
];

const AREAS: &[Claim] = &[
    (
        "Sufficiency: there are not enough homes in Devon for children in care, and building local provision will take sustained work and time.",
        &[Audits(&[CARE_WEST])],
    ),
    (
        "The written self-evaluation has lagged behind what leaders know and say: it described activity more than its impact on children.",
        &[PARTNERSHIP],
    ),
    (
        "Rurality and scale: services have held need rather than reduced it, and children in need and disabled children in rural areas wait longer for help.",
        &[Audits(&[NORTH]), FRONT_DOOR, PARENT_CARERS],
    ),
];

/// A plan action, answering the area for development at `answers` (from 0).
struct ActionText {
    description: &'static str,
    owner: &'static str,
    start: &'static str,
    due: &'static str,
    status: ActionStatus,
    answers: usize,
    /// When it happened, what changed and what shows it (done actions only).
    happened: Option<(&'static str, &'static str, &'static [Cite])>,
}

const ACTIONS: &[ActionText] = &[
    ActionText {
        description: "Open two small children's homes in the county and recruit 30 more foster carers.",
        owner: "Head of service, children in care",
        start: "2025-04-01",
        due: "2027-03-31",
        status: ActionStatus::InProgress,
        answers: 0,
        happened: None,
    },
    ActionText {
        description: "Write the self-evaluation from the monthly audit findings, citing the audits behind each claim.",
        owner: "Quality and performance lead",
        start: "2025-04-01",
        due: "2025-12-31",
        status: ActionStatus::Done,
        answers: 1,
        happened: Some((
            "2025-12-15",
            "The leadership team reviews audit themes every month, and this self-evaluation was written from those reviews: each claim cites the audits that show it.",
            &[Audits(&[SOUTH_WEST, CARE_EAST])],
        )),
    },
    ActionText {
        description: "Review every children in need plan in North Devon, and every disabled child's plan, against the practice standard, then re-audit.",
        owner: "Head of service, North Devon",
        start: "2026-01-05",
        due: "2026-09-30",
        status: ActionStatus::InProgress,
        answers: 2,
        happened: None,
    },
    ActionText {
        description: "Open locality early help hubs with partners in North Devon and Torridge, to reduce repeat referrals.",
        owner: "Head of early help",
        start: "2026-04-01",
        due: "2026-12-31",
        status: ActionStatus::NotStarted,
        answers: 2,
        happened: None,
    },
];

/// The audit numbers each team's claims cite.
pub type Picks = BTreeMap<&'static str, Vec<i64>>;

const ALL_TEAMS: [&str; 6] = [EXETER, NORTH, SOUTH_WEST, CARE_EAST, CARE_WEST, LEAVERS];

fn day(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").expect("a date written as YYYY-MM-DD")
}

fn noon(iso: &str) -> DateTime<Utc> {
    day(iso)
        .and_hms_opt(12, 0, 0)
        .expect("noon exists")
        .and_utc()
}

/// Each team's first audits (not moderations) to cite: the newest from before
/// sign-off, else the oldest there are. A team without audits of its own borrows the
/// LA's, so every claim still opens real audits.
pub fn pick(audits: &[StoredAudit]) -> anyhow::Result<Picks> {
    let cutoff = day(SIGNED_OFF);
    let mut first: Vec<&StoredAudit> = audits.iter().filter(|a| a.moderates.is_none()).collect();
    if first.is_empty() {
        bail!("Devon has no case audits for its self-evaluation to cite");
    }
    // Before sign-off, newest first; then after it, oldest first.
    first.sort_by_key(|a| {
        let date = a.audit.date();
        if date <= cutoff {
            (0, (cutoff - date).num_days(), a.id)
        } else {
            (1, (date - cutoff).num_days(), a.id)
        }
    });
    let choose = |team: Option<&str>| -> Vec<i64> {
        first
            .iter()
            .filter(|a| team.is_none_or(|t| a.audit.case().team.as_str() == t))
            .take(PER_TEAM)
            .map(|a| a.id)
            .collect()
    };
    Ok(ALL_TEAMS
        .iter()
        .map(|team| {
            let mine = choose(Some(team));
            (*team, if mine.is_empty() { choose(None) } else { mine })
        })
        .collect())
}

fn evidence(cites: &[Cite], picks: &Picks) -> anyhow::Result<Vec<Evidence>> {
    cites
        .iter()
        .map(|c| {
            let (citation, label) = match *c {
                Audits(teams) => {
                    let ids = teams
                        .iter()
                        .flat_map(|t| picks.get(t).into_iter().flatten())
                        .map(|id| AuditRef::new(*id).ok_or_else(|| anyhow!("audit {id}")))
                        .collect::<anyhow::Result<Vec<_>>>()?;
                    (
                        Citation::Audits {
                            audits: AuditSet::new(ids)?,
                        },
                        "",
                    )
                }
                StaffSurvey(label) => (Citation::StaffSurvey { document: None }, label),
                MultiAgency(label) => (Citation::MultiAgencyReview { document: None }, label),
                Feedback(label) => (Citation::Feedback { document: None }, label),
            };
            Ok(Evidence::new(citation, label)?)
        })
        .collect()
}

fn claim((text, cites): &Claim, picks: &Picks) -> anyhow::Result<Paragraph> {
    Ok(Paragraph::new(text, evidence(cites, picks)?)?)
}

/// The 2025-26 self-evaluation as written, at draft.
pub fn draft(picks: &Picks) -> anyhow::Result<SelfEvaluation> {
    let year = FinancialYear::new(YEAR).expect("a year");
    let mut sef = SelfEvaluation::new(
        LaCode::parse(DEVON)?,
        year,
        &Catalogue::bundled(),
        &Structure::bundled(),
    )?;
    for section in SECTIONS {
        let key = SectionKey::parse(section.key)?;
        for (question, claims) in [
            (Question::WhatYouKnow, section.what_you_know),
            (Question::HowYouKnow, section.how_you_know),
            (Question::Plans, section.plans),
        ] {
            let paragraphs = claims
                .iter()
                .map(|c| claim(c, picks))
                .collect::<anyhow::Result<Vec<_>>>()?;
            sef.set_answer(&key, question, paragraphs)
                .with_context(|| format!("section {}", section.key))?;
        }
    }
    for s in STRENGTHS {
        sef.add_strength(claim(s, picks)?)?;
    }
    let areas: Vec<ItemId> = AREAS
        .iter()
        .map(|a| Ok(sef.add_area_for_development(claim(a, picks)?)?))
        .collect::<anyhow::Result<_>>()?;
    for a in ACTIONS {
        let happened = match a.happened {
            Some((date, what, cites)) => {
                Some(Happened::new(day(date), what, evidence(cites, picks)?)?)
            }
            None => None,
        };
        sef.add_action(ActionDetails {
            owner: Some(a.owner.to_string()),
            start: Some(day(a.start)),
            due: Some(day(a.due)),
            status: a.status,
            answers: Some(areas[a.answers]),
            happened,
            ..ActionDetails::new(a.description)
        })?;
    }
    Ok(sef)
}

/// Records Devon's 2025-26 self-evaluation, signed off and shared with Ofsted, unless
/// Devon has a self-evaluation already. Returns the line to print.
pub async fn ensure(store: &dyn Store) -> anyhow::Result<String> {
    let la = LaCode::parse(DEVON)?;
    let label = FinancialYear::new(YEAR).expect("a year").label();
    if !store.self_evaluations(&la).await?.is_empty() {
        return Ok(format!(
            "Devon's self-evaluation {label}: already there, left as it is."
        ));
    }
    let picks = pick(&store.audits(&la, None, None).await?)?;
    let sef = draft(&picks)?;
    let director = Username::parse(DIRECTOR)?;
    let stored = store
        .create_self_evaluation(&sef, WRITER)
        .await
        .context("could not record Devon's self-evaluation")?;
    let mut sef = stored.sef;
    sef.sign_off(director.clone(), noon(SIGNED_OFF))?;
    let stored = store
        .save_self_evaluation(&sef, stored.row_version, DIRECTOR)
        .await
        .context("could not sign off Devon's self-evaluation")?;
    sef.share_with_ofsted(director, noon(SHARED))?;
    store
        .save_self_evaluation(&sef, stored.row_version, DIRECTOR)
        .await
        .context("could not share Devon's self-evaluation with Ofsted")?;
    Ok(format!(
        "Devon's self-evaluation {label}: shared with Ofsted."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ilacs_domain::access::SefStage;
    use ilacs_domain::self_evaluation::{
        actions_without_evidence, overdue_actions, review, Questions, ReviewRules,
    };

    /// Made-up audit numbers, two a team.
    fn picks() -> Picks {
        ALL_TEAMS
            .iter()
            .zip(1..)
            .map(|(team, n)| (*team, vec![n * 10, n * 10 + 1]))
            .collect()
    }

    #[test]
    fn the_demo_self_evaluation_is_complete_evaluative_and_shared() {
        let mut sef = draft(&picks()).unwrap();
        for section in sef.sections() {
            for q in Question::ALL {
                assert!(
                    !section.answer(q).is_empty(),
                    "{} should answer {q}",
                    section.key()
                );
            }
        }
        assert_eq!(
            sef.sections().len(),
            SECTIONS.len(),
            "every section written"
        );
        assert_eq!(
            (sef.strengths().len(), sef.areas_for_development().len()),
            (3, 3)
        );
        for area in sef.areas_for_development() {
            assert!(
                sef.actions_for(area.id()).count() > 0,
                "{} has no action",
                area.id()
            );
        }
        assert!(actions_without_evidence(sef.plan()).is_empty());
        assert!(
            sef.plan()
                .iter()
                .any(|a| a.status() == ActionStatus::Done && a.happened().is_some()),
            "one action is done, with evidence that it happened"
        );
        assert!(overdue_actions(sef.plan(), day(SHARED)).is_empty());
        assert!(
            sef.citations().len() >= 20,
            "claims cite their evidence: {}",
            sef.citations().len()
        );
        let advice = review(&sef, &ReviewRules::bundled(), &Questions::bundled());
        assert!(
            advice.len() <= 2,
            "the demo should be a model self-evaluation, yet the review says:\n{}",
            advice
                .iter()
                .map(|a| format!("- {} ({}): {}", a.rule, a.location, a.message))
                .collect::<Vec<_>>()
                .join("\n")
        );
        sef.sign_off(Username::parse(DIRECTOR).unwrap(), noon(SIGNED_OFF))
            .unwrap();
        sef.share_with_ofsted(Username::parse(DIRECTOR).unwrap(), noon(SHARED))
            .unwrap();
        assert_eq!(sef.stage(), SefStage::SharedWithOfsted);
        assert_eq!(sef.year().label(), "2025-26");
    }

    #[tokio::test]
    async fn the_store_takes_it_citing_devons_audits_and_a_second_run_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = ilacs_store::open(&url).await.unwrap();
        let (data, source) = crate::reference::load(None, None).unwrap();
        store
            .import_reference_data(&data, &source, "test")
            .await
            .unwrap();
        let today = day("2026-03-15");
        super::super::audits::ensure(store.as_ref(), today)
            .await
            .unwrap();

        let first = ensure(store.as_ref()).await.unwrap();
        assert_eq!(
            first,
            "Devon's self-evaluation 2025-26: shared with Ofsted."
        );
        let second = ensure(store.as_ref()).await.unwrap();
        assert_eq!(
            second,
            "Devon's self-evaluation 2025-26: already there, left as it is."
        );
        let la = LaCode::parse(DEVON).unwrap();
        let versions = store.self_evaluations(&la).await.unwrap();
        assert_eq!(versions.len(), 1);
        let stored = store
            .self_evaluation(&la, FinancialYear::new(YEAR).unwrap(), Some(1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.sef.stage(), SefStage::SharedWithOfsted);
        let signed = stored.sef.signed_off().unwrap();
        assert_eq!(signed.by.as_str(), DIRECTOR);
        for (place, e) in stored.sef.citations() {
            if let Citation::Audits { audits } = e.citation() {
                for a in audits.iter() {
                    let audit = store.audit(&la, a.get()).await.unwrap();
                    let audit = audit.unwrap_or_else(|| panic!("{place} cites audit {a}"));
                    assert!(audit.moderates.is_none(), "{place} cites a moderation");
                    assert!(
                        audit.audit.date() <= day(SIGNED_OFF),
                        "{place} cites audit {a}, dated after sign-off"
                    );
                }
            }
        }
    }
}
