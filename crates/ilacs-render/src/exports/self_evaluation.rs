//! A self-evaluation as a document for cabinet, scrutiny and Ofsted: its sections'
//! answers, strengths, areas for development and plan, each claim followed by links to
//! its evidence, and the evidence as an appendix.

use crate::document::{Block, DocTable, Document, Inline, LinkTarget};
use chrono::NaiveDate;
use ilacs_domain::self_evaluation::{
    stage_label, Citation, Evidence, Location, Paragraph, Question, Questions, SelfEvaluation,
};

/// A cited case audit as the appendix lists it. Never the child or the worker: the
/// document goes to committees and is often published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    pub id: i64,
    pub date: NaiveDate,
    pub team: String,
    pub case_type: String,
    /// The overall grade's label.
    pub overall: String,
}

/// What the export needs besides the self-evaluation.
pub struct SelfEvaluationExport<'a> {
    pub la_name: &'a str,
    pub sef: &'a SelfEvaluation,
    pub questions: &'a Questions,
    /// The cited audits, for a reader who may see them; empty otherwise, when the
    /// appendix gives only which audits were cited.
    pub audits: &'a [AuditLine],
    pub generated_on: NaiveDate,
}

fn day(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The distinct pieces of evidence, in the order first cited, each with where it is
/// cited.
struct Appendix<'a> {
    entries: Vec<(&'a Evidence, Vec<Location>)>,
}

impl<'a> Appendix<'a> {
    fn new(sef: &'a SelfEvaluation) -> Appendix<'a> {
        let mut entries: Vec<(&Evidence, Vec<Location>)> = Vec::new();
        for (location, evidence) in sef.citations() {
            match entries.iter_mut().find(|(e, _)| *e == evidence) {
                Some((_, places)) => places.push(location),
                None => entries.push((evidence, vec![location])),
            }
        }
        Appendix { entries }
    }

    fn anchor(&self, evidence: &Evidence) -> Option<(usize, String)> {
        let n = self.entries.iter().position(|(e, _)| *e == evidence)? + 1;
        Some((n, format!("evidence_{n}")))
    }

    /// "Evidence: E1 Case audits 3 and 4; E2 Staff survey", each a link to the appendix.
    fn references(&self, evidence: &[Evidence]) -> Vec<Inline> {
        if evidence.is_empty() {
            return vec![Inline::text("Evidence: none cited.")];
        }
        let mut out = vec![Inline::text("Evidence: ")];
        for (i, e) in evidence.iter().enumerate() {
            if i > 0 {
                out.push(Inline::text("; "));
            }
            match self.anchor(e) {
                Some((n, anchor)) => out.push(Inline::link(
                    format!("E{n} {}", e.title()),
                    LinkTarget::Anchor(anchor),
                )),
                None => out.push(Inline::text(e.title())),
            }
        }
        out
    }
}

fn claim(appendix: &Appendix<'_>, p: &Paragraph, blocks: &mut Vec<Block>) {
    blocks.push(Block::Paragraph(vec![Inline::text(p.text())]));
    blocks.push(Block::Paragraph(appendix.references(p.evidence())));
}

fn place(export: &SelfEvaluationExport<'_>, location: &Location) -> String {
    let sef = export.sef;
    let title = |key| {
        sef.section(key)
            .map(|s| s.title().to_string())
            .unwrap_or_else(|| key.to_string())
    };
    let position = |list: &[ilacs_domain::self_evaluation::Finding], id| {
        list.iter().position(|f| f.id() == id).map_or(0, |i| i + 1)
    };
    match location {
        Location::Paragraph(key, q, _) | Location::Answer(key, q) => {
            format!("{}: {}", title(key), export.questions.get(*q).short)
        }
        Location::Section(key) => title(key),
        Location::Strength(id) => format!("Strength {}", position(sef.strengths(), *id)),
        Location::AreaForDevelopment(id) => format!(
            "Area for development {}",
            position(sef.areas_for_development(), *id)
        ),
        Location::Action(id) | Location::ActionField(id, _) => sef
            .action(*id)
            .map(|a| format!("Plan action ‘{}’", a.description()))
            .unwrap_or_else(|| "The plan".to_string()),
        Location::AreasForDevelopment => "Areas for development".to_string(),
        Location::Document => "The whole document".to_string(),
    }
}

/// The document: front matter, the sections in the LA's order, strengths, areas for
/// development, the plan, then the evidence appendix.
pub fn self_evaluation_document(export: &SelfEvaluationExport<'_>) -> Document {
    let sef = export.sef;
    let appendix = Appendix::new(sef);
    let title = format!(
        "{}: self-evaluation of social work practice, {}",
        export.la_name,
        sef.year().label()
    );
    let mut doc = Document::new(title.clone());
    doc.author = Some(export.la_name.to_string());
    doc.subject = Some("Self-evaluation for the annual engagement meeting with Ofsted".into());
    let blocks = &mut doc.blocks;
    blocks.push(Block::Heading {
        level: 1,
        text: title,
        anchor: None,
    });
    let mut front = vec![
        (
            "Local authority".to_string(),
            vec![Inline::text(export.la_name)],
        ),
        ("Year".to_string(), vec![Inline::text(sef.year().label())]),
        (
            "Version".to_string(),
            vec![Inline::text(sef.version().to_string())],
        ),
        (
            "Stage".to_string(),
            vec![Inline::text(stage_label(sef.stage()))],
        ),
    ];
    for change in sef.history() {
        front.push((
            stage_label(change.to).to_string(),
            vec![Inline::text(format!(
                "{} by {}",
                day(change.at.date_naive()),
                change.by.as_str()
            ))],
        ));
    }
    front.push((
        "Produced".to_string(),
        vec![Inline::text(format!(
            "{} from ilacs",
            day(export.generated_on)
        ))],
    ));
    blocks.push(Block::SummaryList(front));
    blocks.push(Block::Paragraph(vec![Inline::text(
        "Each section answers Ofsted's three questions: what do you know about the quality and impact of social work practice, how do you know it, and what are your plans for the next 12 months. Every claim is followed by the evidence behind it, listed in the appendix.",
    )]));

    for section in sef.sections() {
        blocks.push(Block::Heading {
            level: 2,
            text: section.title().to_string(),
            anchor: Some(format!(
                "section_{}",
                section.key().as_str().replace('-', "_")
            )),
        });
        for q in Question::ALL {
            blocks.push(Block::Heading {
                level: 3,
                text: export.questions.get(q).short.clone(),
                anchor: None,
            });
            let answer = section.answer(q);
            if answer.is_empty() {
                blocks.push(Block::Paragraph(vec![Inline::text("Not answered.")]));
            }
            for p in answer {
                claim(&appendix, p, blocks);
            }
        }
    }

    for (heading, list) in [
        ("Strengths", sef.strengths()),
        ("Areas for development", sef.areas_for_development()),
    ] {
        blocks.push(Block::Heading {
            level: 2,
            text: heading.to_string(),
            anchor: None,
        });
        if list.is_empty() {
            blocks.push(Block::Paragraph(vec![Inline::text("None listed.")]));
        }
        for (i, f) in list.iter().enumerate() {
            blocks.push(Block::Paragraph(vec![
                Inline::strong(format!("{}. ", i + 1)),
                Inline::text(f.text()),
            ]));
            blocks.push(Block::Paragraph(appendix.references(f.evidence())));
        }
    }

    blocks.push(Block::Heading {
        level: 2,
        text: "Improvement plan".to_string(),
        anchor: None,
    });
    if sef.plan().is_empty() {
        blocks.push(Block::Paragraph(vec![Inline::text("No actions.")]));
    } else {
        let rows = sef
            .plan()
            .iter()
            .map(|a| {
                let answers = a
                    .answers()
                    .and_then(|id| sef.area_for_development(id))
                    .map(|f| f.text().to_string())
                    .unwrap_or_default();
                let mut happened = match a.happened() {
                    Some(h) => vec![Inline::text(format!(
                        "{}: {} ",
                        day(h.date()),
                        h.what_changed()
                    ))],
                    None => vec![],
                };
                if let Some(h) = a.happened() {
                    if !h.evidence().is_empty() {
                        happened.extend(appendix.references(h.evidence()));
                    }
                }
                vec![
                    vec![Inline::text(a.description())],
                    vec![Inline::text(answers)],
                    vec![Inline::text(a.owner().unwrap_or("No owner"))],
                    vec![Inline::text(a.start().map(day).unwrap_or_default())],
                    vec![Inline::text(
                        a.due().map(day).unwrap_or_else(|| "No date".into()),
                    )],
                    vec![Inline::text(a.status().label())],
                    happened,
                ]
            })
            .collect();
        blocks.push(Block::Table(DocTable {
            caption: "Actions in the improvement plan".to_string(),
            header: [
                "Action",
                "Area for development it answers",
                "Owner",
                "Start",
                "Due",
                "Status",
                "Evidence it happened",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            column_widths: Some(vec![4, 3, 2, 2, 2, 2, 4]),
        }));
    }

    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading {
        level: 2,
        text: "Appendix: evidence".to_string(),
        anchor: Some("evidence".to_string()),
    });
    if appendix.entries.is_empty() {
        blocks.push(Block::Paragraph(vec![Inline::text(
            "No evidence is cited.",
        )]));
    }
    for (i, (evidence, places)) in appendix.entries.iter().enumerate() {
        let n = i + 1;
        blocks.push(Block::Heading {
            level: 3,
            text: format!("E{n}. {}", evidence.title()),
            anchor: Some(format!("evidence_{n}")),
        });
        let mut details = vec![(
            "Kind".to_string(),
            vec![Inline::text(evidence.citation().kind().label())],
        )];
        if evidence.label().is_some() {
            details.push((
                "Source".to_string(),
                vec![Inline::text(evidence.citation().describe())],
            ));
        }
        let mut cited: Vec<String> = places.iter().map(|l| place(export, l)).collect();
        cited.dedup();
        details.push(("Cited in".to_string(), vec![Inline::text(cited.join("; "))]));
        blocks.push(Block::SummaryList(details));
        if let Citation::Audits { audits } = evidence.citation() {
            let lines: Vec<&AuditLine> = audits
                .iter()
                .filter_map(|a| export.audits.iter().find(|l| l.id == a.get()))
                .collect();
            if !lines.is_empty() {
                blocks.push(Block::Table(DocTable {
                    caption: format!("The case audits of E{n}"),
                    header: ["Audit", "Date", "Team", "Case type", "Overall grade"]
                        .map(String::from)
                        .to_vec(),
                    rows: lines
                        .iter()
                        .map(|l| {
                            vec![
                                vec![Inline::text(l.id.to_string())],
                                vec![Inline::text(day(l.date))],
                                vec![Inline::text(l.team.clone())],
                                vec![Inline::text(l.case_type.clone())],
                                vec![Inline::text(l.overall.clone())],
                            ]
                        })
                        .collect(),
                    column_widths: Some(vec![1, 2, 3, 3, 2]),
                }));
            }
        }
    }
    doc
}
