//! The annual engagement meeting letter as a tagged PDF.

use crate::pdf::check_pdf;
use chrono::NaiveDate;
use ilacs_domain::aem::{AemRules, Held, Meeting, Remit, Venue};
use ilacs_domain::authority::LaCode;
use ilacs_domain::user::Username;
use ilacs_render::exports::aem_letter_document;
use ilacs_render::{to_pdf, Block};

#[test]
fn an_issued_letter_is_a_tagged_pdf_marked_not_for_publication() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let mut meeting = Meeting::plan(
        LaCode::parse("878").unwrap(),
        day,
        day,
        &AemRules::bundled(),
    )
    .unwrap();
    assert!(aem_letter_document("Devon", &meeting).is_none());
    meeting
        .record(
            Held {
                date: day,
                venue: Venue::Online,
                minutes: 120,
                remit: Remit::SocialCareOnly,
                ofsted: vec![],
                la: vec![],
            },
            day,
        )
        .unwrap();
    meeting
        .draft_letter(
            "Annual engagement meeting with Devon".into(),
            "Dear Director\n\nWe agreed these steps:\n- Share the audit.\n- Meet in spring.\n\nYours sincerely".into(),
        )
        .unwrap();
    meeting
        .issue_letter(day, Username::parse("hmi.southwest").unwrap())
        .unwrap();
    let doc = aem_letter_document("Devon", &meeting).unwrap();
    assert!(doc
        .blocks
        .iter()
        .any(|b| matches!(b, Block::BulletList(items) if items.len() == 2)));
    let bytes = to_pdf(&doc).unwrap();
    check_pdf(&bytes).unwrap();
}
