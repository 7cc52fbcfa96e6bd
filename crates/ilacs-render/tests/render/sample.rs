//! A document with every kind of block, and the awkward text real ones contain.

use ilacs_render::{Block, DocTable, Document, Inline, LinkTarget};

pub const NON_ASCII: &str = "Stoke-on-Trent’s – café — 23 November 2026";
pub const ESCAPES: &str = "Risk <high> & rising \"sharply\" 'now'";
pub const GOV_UK: &str =
    "https://www.gov.uk/guidance/inspecting-local-authority-childrens-services";
pub const TABLE_ROWS: usize = 200;
pub const TITLE: &str = "Self-evaluation 2026 <draft> & \"final\"";

/// A 300-letter word, wider than any line or cell.
pub fn long_word() -> String {
    "Supercalifragilistic".repeat(15)
}

pub fn sample() -> Document {
    let mut rows = Vec::new();
    for i in 1..=TABLE_ROWS {
        let notes = match i {
            1 => vec![
                Inline::text("See the "),
                Inline::link("framework", LinkTarget::Url(GOV_UK.into())),
            ],
            2 => vec![Inline::text(long_word())],
            3 => vec![
                Inline::strong("Inadequate"),
                Inline::text(": re-audit due\nin March"),
            ],
            _ => vec![Inline::text(format!(
                "Audit {i}: practice was consistent with the plan."
            ))],
        };
        rows.push(vec![
            vec![Inline::text(format!("CA-{i:04}"))],
            vec![Inline::text("23/11/2026")],
            vec![Inline::text(if i % 3 == 0 {
                "Good"
            } else {
                "Requires improvement"
            })],
            notes,
        ]);
    }
    Document {
        title: TITLE.into(),
        language: "en-GB".into(),
        author: Some("Director of children’s services".into()),
        subject: Some("Annual self-evaluation".into()),
        blocks: vec![
            Block::Heading {
                level: 1,
                text: NON_ASCII.into(),
                anchor: Some("summary".into()),
            },
            Block::Paragraph(vec![
                Inline::text("We know our practice well. "),
                Inline::strong("Leaders act on audit findings."),
                Inline::text(" The "),
                Inline::link("evidence appendix", LinkTarget::Anchor("evidence".into())),
                Inline::text(" lists every audit; the "),
                Inline::link("inspection framework", LinkTarget::Url(GOV_UK.into())),
                Inline::text(" sets the questions."),
            ]),
            Block::Paragraph(vec![Inline::text(ESCAPES)]),
            Block::Paragraph(vec![Inline::text(format!(
                "A long word: {} and on.",
                long_word()
            ))]),
            Block::Paragraph(vec![Inline::text("First line\nSecond line")]),
            Block::Heading {
                level: 2,
                text: "The experiences and progress of children".into(),
                anchor: Some("experiences".into()),
            },
            Block::BulletList(vec![
                vec![Inline::text("Visits happen on time in 94% of cases.")],
                vec![
                    Inline::strong("Plans"),
                    Inline::text(" are reviewed with families; see "),
                    Inline::link("the summary", LinkTarget::Anchor("summary".into())),
                    Inline::text("."),
                ],
                vec![Inline::text(
                    "Children said 😀 and 𝄞 — characters the font lacks.",
                )],
            ]),
            Block::SummaryList(vec![
                (
                    "Local authority".into(),
                    vec![Inline::text("Stoke-on-Trent")],
                ),
                (
                    "Signed off by".into(),
                    vec![Inline::text("Cabinet, 23 November 2026")],
                ),
            ]),
            Block::PageBreak,
            Block::Heading {
                level: 2,
                text: "Evidence appendix".into(),
                anchor: Some("evidence".into()),
            },
            Block::Heading {
                level: 3,
                text: "Case audits".into(),
                anchor: None,
            },
            Block::Table(DocTable {
                caption: "Case audits, April to September 2026".into(),
                header: vec![
                    "Audit".into(),
                    "Date".into(),
                    "Grade".into(),
                    "Notes".into(),
                ],
                rows,
                column_widths: Some(vec![1, 1, 1, 3]),
            }),
            Block::Paragraph(vec![Inline::text("End of the appendix.")]),
        ],
    }
}

/// A plain document about `pages` A4 pages long.
pub fn long_document(pages: usize) -> Document {
    let paragraph = "The local authority knows itself well: leaders use audits, \
        performance information and the voices of children to understand practice, \
        and they act quickly when it falls short. ";
    let mut doc = Document::new("Long document");
    for section in 0..pages {
        doc.blocks.push(Block::Heading {
            level: 2,
            text: format!("Section {}", section + 1),
            anchor: Some(format!("s{section}")),
        });
        for _ in 0..7 {
            doc.blocks
                .push(Block::Paragraph(vec![Inline::text(paragraph.repeat(3))]));
        }
    }
    doc
}
