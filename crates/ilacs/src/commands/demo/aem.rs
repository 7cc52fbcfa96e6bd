//! A year of annual engagement meetings in the South West, Devon's among them, and a
//! few in the North West and London, so the region's plan, the letters and the consistency report have
//! something to show. Dates count back from today, so the year is always the last
//! one; the people are invented.

use super::audits::DEVON;
use anyhow::Context;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use ilacs_domain::aem::{
    AemRules, AgreedStep, Focus, Held, LaAttendee, LetterTemplate, Meeting, OfstedAttendee,
    OfstedRole, Outcomes, Remit, SefLink, StepOwner, Venue,
};
use ilacs_domain::authority::{LocalAuthority, RegionId};
use ilacs_domain::framework::Catalogue;
use ilacs_domain::self_evaluation::FinancialYear;
use ilacs_domain::user::Username;
use ilacs_store::Store;

const RECORDER: &str = "hmi.southwest";
/// Devon's meeting follows the sharing of its self-evaluation (17 February 2026).
const DEVON_MEETING: &str = "2026-03-10";

/// What is said at each standard item, in turn, for the demo's notes.
const NOTES: [&str; 8] = [
    "Leaders know their services well; the self-evaluation names its weaknesses plainly and cites audits for most claims.",
    "Audit learning feeds the practice week; re-audits show the changes are taking hold in most teams.",
    "The actions from the last inspection are complete except the sufficiency strategy, now in its second year.",
    "Budget pressure from placements; a stable political leadership; recruitment of experienced social workers is the main risk.",
    "Schools and early years partners are engaged through the safeguarding partnership.",
    "",
    "",
    "Ofsted and the local authority will keep in touch through the regional senior HMI.",
];

const LA_PEOPLE: [(&str, &str, &str); 3] = [
    (
        "Director of Children's Services",
        "Leads the service",
        "Morgan Ellis",
    ),
    (
        "Assistant Director, Social Care",
        "Speaks to practice and performance",
        "Chris Dale",
    ),
    (
        "Principal Social Worker",
        "Speaks to the quality of practice and audit",
        "Robin Shaw",
    ),
];

fn midweek(mut date: NaiveDate) -> NaiveDate {
    while !matches!(date.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu) {
        date = date.pred_opt().unwrap_or(date);
    }
    date
}

/// How one demo meeting went.
struct Shape {
    held: NaiveDate,
    venue: Venue,
    minutes: u32,
    remit: Remit,
    director: bool,
    /// Days after the meeting the letter was issued; `None`: still a draft.
    issued_after: Option<u64>,
}

fn meeting(
    la: &LocalAuthority,
    shape: &Shape,
    n: usize,
    today: NaiveDate,
    catalogue: &Catalogue,
    sef: Option<SefLink>,
) -> anyhow::Result<Meeting> {
    let rules = AemRules::bundled();
    let mut m = Meeting::plan(la.la_code.clone(), shape.held, shape.held, &rules)?;
    let mut ofsted = vec![OfstedAttendee {
        name: "Alex Morgan".into(),
        role: OfstedRole::SeniorHmi,
    }];
    if shape.director {
        ofsted.insert(
            0,
            OfstedAttendee {
                name: "Sam Hughes".into(),
                role: OfstedRole::RegionalDirector,
            },
        );
    } else {
        ofsted.push(OfstedAttendee {
            name: "Jo Price".into(),
            role: OfstedRole::Hmi,
        });
    }
    m.record(
        Held {
            date: shape.held,
            venue: shape.venue,
            minutes: shape.minutes,
            remit: shape.remit,
            ofsted,
            la: LA_PEOPLE
                .iter()
                .map(|(post, purpose, name)| LaAttendee {
                    name: name.to_string(),
                    post: post.to_string(),
                    purpose: purpose.to_string(),
                })
                .collect(),
        },
        today,
    )?;
    let mut agenda = m.agenda().to_vec();
    for (item, note) in agenda.iter_mut().zip(NOTES) {
        item.note = note.to_string();
    }
    m.set_agenda(agenda)?;
    m.link_self_evaluation(sef)?;
    let themes = catalogue.themes();
    let theme = &themes[n % themes.len()];
    let followed = shape.held + Days::new(60);
    m.set_outcomes(Outcomes {
        focus: Some(Focus {
            theme: theme.key.clone(),
            reason: format!(
                "The self-evaluation and the published indicators point to {} as the area where practice is least consistent.",
                theme.name.to_lowercase()
            ),
        }),
        next_self_evaluation: "in the spring, before the next meeting".into(),
        next_meeting: "in about a year".into(),
        steps: vec![
            AgreedStep {
                owner: StepOwner::La,
                text: "Share the latest audit findings for the possible focus area.".into(),
                followed_up: (followed <= today && !n.is_multiple_of(3)).then_some(followed),
            },
            AgreedStep {
                owner: StepOwner::Ofsted,
                text: "Confirm the timing of the next meeting with the director.".into(),
                followed_up: (followed <= today).then_some(followed),
            },
        ],
    })?;
    let draft = LetterTemplate::bundled()
        .draft(&m, &la.name, themes)
        .context("a held meeting has a draft")?;
    m.draft_letter(draft.subject, draft.text)?;
    if let Some(after) = shape.issued_after {
        let on = shape.held + Days::new(after);
        if on <= today {
            m.issue_letter(on, Username::parse(RECORDER)?)?;
        }
    }
    Ok(m)
}

/// Records the meetings unless the South West already has some.
pub async fn ensure(store: &dyn Store, today: NaiveDate) -> anyhow::Result<String> {
    let south_west = RegionId::parse("south-west")?;
    if !store
        .aem_meetings_for_region(Some(&south_west))
        .await?
        .is_empty()
    {
        return Ok("Annual engagement meetings: already there, left as they are.".into());
    }
    let catalogue = Catalogue::bundled();
    let las: Vec<LocalAuthority> = store
        .local_authorities()
        .await?
        .into_iter()
        .map(|o| o.authority)
        .filter(|a| a.current)
        .collect();
    let mut count = 0;
    let mut issued = 0;
    let region_las: Vec<&LocalAuthority> = las.iter().filter(|a| a.region == south_west).collect();
    let last = region_las.len().saturating_sub(1);
    for (n, la) in region_las.iter().enumerate() {
        // The last LA in name order has had none for over a year: the plan flags it.
        if n == last && la.la_code.as_str() != DEVON {
            continue;
        }
        let devon = la.la_code.as_str() == DEVON;
        let held = if devon {
            NaiveDate::parse_from_str(DEVON_MEETING, "%Y-%m-%d")?
        } else {
            midweek(today - Days::new(12 + 23 * n as u64))
        };
        if held > today {
            continue;
        }
        let shape = Shape {
            held,
            venue: match n % 5 {
                0 | 3 => Venue::OfstedOffice,
                4 => Venue::Online,
                _ => Venue::La,
            },
            minutes: [180, 150, 210, 180, 120][n % 5],
            remit: if n % 4 == 1 {
                Remit::WithEducationAndEarlyYears
            } else {
                Remit::SocialCareOnly
            },
            director: n % 3 != 2,
            // One letter late, and the newest still in draft.
            issued_after: match (devon, n) {
                (true, _) => Some(21),
                (_, 0) => None,
                (_, 5) => Some(40),
                _ => Some(14 + (n as u64 % 10)),
            },
        };
        let sef = devon.then(|| SefLink {
            year: FinancialYear::new(2025).expect("a year"),
            version: 1,
        });
        let m = meeting(la, &shape, n, today, &catalogue, sef)?;
        issued += usize::from(m.is_issued());
        store
            .create_aem_meeting(&m, RECORDER)
            .await
            .with_context(|| format!("could not record {}'s meeting", la.name))?;
        count += 1;
    }
    // A few elsewhere, for the consistency report: the North West's meetings are like
    // the South West's; London's run shorter and online, without the regional
    // director, so the report names the difference.
    for (region, recorder, odd) in [
        ("north-west", "hmi.northwest", false),
        ("london", "hmi.london", true),
    ] {
        let region = RegionId::parse(region)?;
        for (n, la) in las
            .iter()
            .filter(|a| a.region == region)
            .take(4)
            .enumerate()
        {
            let shape = Shape {
                held: midweek(today - Days::new(40 + 61 * n as u64)),
                venue: if odd { Venue::Online } else { Venue::La },
                minutes: if odd { 90 } else { 180 },
                remit: Remit::SocialCareOnly,
                director: !odd,
                issued_after: Some(20),
            };
            let m = meeting(la, &shape, n, today, &catalogue, None)?;
            store.create_aem_meeting(&m, recorder).await?;
            count += 1;
        }
    }
    Ok(format!(
        "Annual engagement meetings: {count} recorded ({issued} South West letters issued), Devon's among them."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ilacs_domain::aem::{consistency_report, plan_region, PlanInput, PlanStatus};
    use ilacs_domain::calendar::WorkingDayCalendar;

    #[tokio::test]
    async fn a_year_of_meetings_devons_among_them_and_a_second_run_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = ilacs_store::open(&url).await.unwrap();
        let (data, source) = crate::reference::load(None, None).unwrap();
        store
            .import_reference_data(&data, &source, "test")
            .await
            .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let first = ensure(store.as_ref(), today).await.unwrap();
        assert!(first.contains("recorded"), "{first}");
        let second = ensure(store.as_ref(), today).await.unwrap();
        assert_eq!(
            second,
            "Annual engagement meetings: already there, left as they are."
        );
        let rules = AemRules::bundled();
        let sw = RegionId::parse("south-west").unwrap();
        let meetings = store.aem_meetings_for_region(Some(&sw)).await.unwrap();
        let devon = meetings
            .iter()
            .find(|m| m.meeting.la().as_str() == DEVON)
            .expect("Devon has a meeting");
        assert!(devon.meeting.is_issued());
        assert!(!devon.meeting.letter_overdue(&rules, today));
        assert_eq!(devon.meeting.sef().unwrap().version, 1);
        // Within the last year, held, and both a late letter and a draft among them.
        for m in &meetings {
            let held = m.meeting.held().unwrap().date;
            assert!(held <= today && (today - held).num_days() < 365, "{held}");
        }
        assert!(meetings.iter().any(|m| !m.meeting.is_issued()));
        assert!(meetings
            .iter()
            .any(|m| m.meeting.is_issued() && m.meeting.letter_overdue(&rules, today)));

        // The plan flags the one LA left without a meeting.
        let las: Vec<_> = store
            .local_authorities()
            .await
            .unwrap()
            .into_iter()
            .filter(|o| o.authority.current && o.authority.region == sw)
            .collect();
        let inputs: Vec<PlanInput> = las
            .iter()
            .map(|o| PlanInput {
                la: o.authority.la_code.clone(),
                last_held: meetings
                    .iter()
                    .filter(|m| m.meeting.la() == &o.authority.la_code)
                    .filter_map(|m| m.meeting.held().map(|h| h.date))
                    .max(),
                planned: None,
            })
            .collect();
        let lines = plan_region(&inputs, today, &rules, &WorkingDayCalendar::bundled());
        let overdue = lines
            .iter()
            .filter(|l| l.status == PlanStatus::Overdue)
            .count();
        assert_eq!(overdue, 1);

        // London's short online meetings stand out.
        let all = store.aem_meetings_for_region(None).await.unwrap();
        let regions: Vec<RegionId> = store
            .regions()
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        let pairs: Vec<_> = all.into_iter().map(|m| (m.region, m.meeting)).collect();
        let from = today - Days::new(364);
        let report = consistency_report(&regions, &pairs, from, today, &rules, today);
        assert!(report
            .outliers
            .iter()
            .any(|o| o.region.as_str() == "london"));
    }
}
