//! An issued annual engagement meeting letter to the DCS, as a document: never
//! published, so it says so on its face.

use crate::document::{Block, Document, Inline};
use ilacs_domain::aem::Meeting;

fn day(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The letter as a document, or `None` if the meeting has no letter. A paragraph whose
/// lines start with `- ` becomes a list (after any introductory line).
pub fn aem_letter_document(la_name: &str, meeting: &Meeting) -> Option<Document> {
    let letter = meeting.letter()?;
    let mut doc = Document::new(letter.subject.clone());
    doc.author = Some("Ofsted".into());
    doc.subject = Some(format!("Annual engagement meeting letter to {la_name}"));
    doc.blocks.push(Block::Heading {
        level: 1,
        text: letter.subject.clone(),
        anchor: None,
    });
    let issued = match &letter.issued {
        Some(issue) => format!("Issued on {} by {}", day(issue.on), issue.by),
        None => "Draft: not issued".to_string(),
    };
    doc.blocks.push(Block::SummaryList(vec![
        ("Local authority".into(), vec![Inline::text(la_name)]),
        ("Meeting".into(), vec![Inline::text(day(meeting.date()))]),
        ("Letter".into(), vec![Inline::text(issued)]),
        (
            "Publication".into(),
            vec![Inline::strong(
                "Not for publication: for the local authority and Ofsted only",
            )],
        ),
    ]));
    for paragraph in letter.text.split("\n\n") {
        let lines: Vec<&str> = paragraph.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.is_empty() {
            continue;
        }
        let (items, text): (Vec<&str>, Vec<&str>) =
            lines.iter().partition(|l| l.trim_start().starts_with("- "));
        if !text.is_empty() {
            doc.blocks
                .push(Block::Paragraph(vec![Inline::text(text.join("\n"))]));
        }
        if !items.is_empty() {
            doc.blocks.push(Block::BulletList(
                items
                    .iter()
                    .map(|l| vec![Inline::text(l.trim_start()[2..].trim())])
                    .collect(),
            ));
        }
    }
    Some(doc)
}
