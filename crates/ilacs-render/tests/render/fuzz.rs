//! Any text, anywhere, in any writer: no panic, and every file still passes its checks.

use ilacs_render::{to_docx, to_html, to_pdf, Block, DocTable, Document, Inline, LinkTarget};
use proptest::prelude::*;

use crate::{docx::check_parts, html::check_html, pdf::check_pdf};

/// Arbitrary Unicode (`any::<String>()` alone leaves out control, format and private
/// use characters), plus long unbroken words and markup.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any::<String>(),
        2 => prop::collection::vec(any::<char>(), 0..40).prop_map(String::from_iter),
        1 => "[a-zA-Z/:.]{100,400}",
        1 => "[ \\n\\r\\t<>&\"'a-z]{0,30}",
    ]
}

fn inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        text().prop_map(Inline::Text),
        text().prop_map(Inline::Strong),
        (text(), text(), any::<bool>()).prop_map(|(text, target, anchor)| Inline::Link {
            text,
            target: if anchor {
                LinkTarget::Anchor(target)
            } else {
                LinkTarget::Url(format!("https://{target}"))
            },
        }),
    ]
}

fn inlines() -> impl Strategy<Value = Vec<Inline>> {
    prop::collection::vec(inline(), 0..4)
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        (any::<u8>(), text(), prop::option::of(text())).prop_map(|(level, text, anchor)| {
            Block::Heading {
                level,
                text,
                anchor,
            }
        }),
        inlines().prop_map(Block::Paragraph),
        prop::collection::vec(inlines(), 0..4).prop_map(Block::BulletList),
        (
            text(),
            prop::collection::vec(text(), 0..4),
            prop::collection::vec(prop::collection::vec(inlines(), 0..5), 0..4),
            prop::option::of(prop::collection::vec(0u32..4, 0..5)),
        )
            .prop_map(|(caption, header, rows, column_widths)| {
                Block::Table(DocTable {
                    caption,
                    header,
                    rows,
                    column_widths,
                })
            }),
        prop::collection::vec((text(), inlines()), 0..3).prop_map(Block::SummaryList),
        Just(Block::PageBreak),
    ]
}

fn document() -> impl Strategy<Value = Document> {
    (
        text(),
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::collection::vec(block(), 0..8),
    )
        .prop_map(|(title, language, author, subject, blocks)| Document {
            title,
            language,
            author,
            subject,
            blocks,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_document_writes_valid_files(doc in document()) {
        let pdf = to_pdf(&doc);
        prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
        prop_assert_eq!(check_pdf(&pdf.unwrap()), Ok(()));
        let docx = to_docx(&doc);
        prop_assert!(docx.is_ok(), "{:?}", docx.err());
        let parts = check_parts(&docx.unwrap());
        prop_assert!(parts.is_ok(), "{:?}", parts.err());
        prop_assert_eq!(check_html(&to_html(&doc)), Ok(()));
    }
}
