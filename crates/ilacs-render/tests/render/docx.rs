//! The Word file: every part present and well-formed, styles Word's navigation uses,
//! bookmarks behind internal links, repeating table headers, text intact.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use ilacs_render::{to_docx, Block, Document, Inline};

use crate::sample::{long_word, sample, ESCAPES, GOV_UK, NON_ASCII, TABLE_ROWS, TITLE};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const PARTS: [&str; 10] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/footer1.xml",
];

pub fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        parts.insert(file.name().to_string(), text);
    }
    parts
}

fn rezip(parts: &BTreeMap<String, String>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn w<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

fn is_w(node: &roxmltree::Node, name: &str) -> bool {
    node.tag_name().namespace() == Some(W) && node.tag_name().name() == name
}

/// The text of a paragraph (or any element), with `<w:br/>` as '\n'.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter_map(|n| {
            if is_w(&n, "t") {
                n.text().map(str::to_string)
            } else if is_w(&n, "br") && w(n, "type").is_none() {
                Some("\n".into())
            } else {
                None
            }
        })
        .collect()
}

/// Every required part is there and parses as XML.
pub fn check_parts(bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let parts = unzip(bytes);
    for part in PARTS {
        let text = parts.get(part).ok_or(format!("missing part {part}"))?;
        roxmltree::Document::parse(text).map_err(|e| format!("{part} is not well-formed: {e}"))?;
    }
    Ok(parts)
}

/// What a screen reader and Word's navigation pane need, checked on any DOCX.
pub fn check_docx(bytes: &[u8]) -> Result<(), String> {
    let parts = check_parts(bytes)?;
    let styles = roxmltree::Document::parse(&parts["word/styles.xml"]).unwrap();
    let lang = styles
        .descendants()
        .find(|n| is_w(n, "rPrDefault"))
        .and_then(|n| n.descendants().find(|n| is_w(n, "lang")))
        .and_then(|n| w(n, "val"))
        .ok_or("no default language on runs")?;
    if lang != "en-GB" {
        return Err(format!("language is {lang}"));
    }
    for level in 1..=3 {
        let id = format!("Heading{level}");
        let style = styles
            .descendants()
            .find(|n| is_w(n, "style") && w(*n, "styleId") == Some(id.as_str()))
            .ok_or(format!("no {id} style"))?;
        let outline = style
            .descendants()
            .find(|n| is_w(n, "outlineLvl"))
            .and_then(|n| w(n, "val"));
        if outline != Some((level - 1).to_string().as_str()) {
            return Err(format!("{id} has outline level {outline:?}"));
        }
    }
    let core = roxmltree::Document::parse(&parts["docProps/core.xml"]).unwrap();
    let dc = |name: &str| {
        core.descendants()
            .find(|n| n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    if dc("title").is_none_or(|t| t.is_empty()) {
        return Err("no dc:title".into());
    }
    if dc("language").as_deref() != Some("en-GB") {
        return Err("no dc:language".into());
    }
    Ok(())
}

#[test]
fn sample_docx_has_every_part_and_passes_the_checks() {
    let bytes = to_docx(&sample()).unwrap();
    check_docx(&bytes).unwrap();
    let parts = unzip(&bytes);
    let types = &parts["[Content_Types].xml"];
    for part in PARTS
        .iter()
        .filter(|p| !p.starts_with('[') && !p.ends_with(".rels"))
    {
        assert!(
            types.contains(&format!("PartName=\"/{part}\"")),
            "{part} has no content type"
        );
    }
    let core = roxmltree::Document::parse(&parts["docProps/core.xml"]).unwrap();
    let title = core
        .descendants()
        .find(|n| n.tag_name().name() == "title")
        .unwrap();
    assert_eq!(title.text(), Some(TITLE));
    let creator = core
        .descendants()
        .find(|n| n.tag_name().name() == "creator")
        .unwrap();
    assert_eq!(creator.text(), Some("Director of children’s services"));
}

#[test]
fn headings_use_word_heading_styles_in_order() {
    let parts = unzip(&to_docx(&sample()).unwrap());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let headings: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| is_w(n, "p"))
        .filter_map(|p| {
            let style = p
                .descendants()
                .find(|n| is_w(n, "pStyle"))
                .and_then(|n| w(n, "val"))?;
            style
                .starts_with("Heading")
                .then(|| (style.to_string(), text_of(p)))
        })
        .collect();
    let expected = [
        ("Heading1", NON_ASCII),
        ("Heading2", "The experiences and progress of children"),
        ("Heading2", "Evidence appendix"),
        ("Heading3", "Case audits"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect();
    assert_eq!(headings, expected);
}

#[test]
fn internal_links_point_at_bookmarks_on_headings() {
    let parts = unzip(&to_docx(&sample()).unwrap());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let bookmark = doc
        .descendants()
        .find(|n| is_w(n, "bookmarkStart") && w(*n, "name") == Some("evidence"))
        .expect("a bookmark for the evidence heading");
    let paragraph = bookmark.parent().unwrap();
    assert_eq!(text_of(paragraph), "Evidence appendix");
    let id = w(bookmark, "id").unwrap();
    assert!(
        paragraph
            .children()
            .any(|n| is_w(&n, "bookmarkEnd") && w(n, "id") == Some(id)),
        "the bookmark is closed in the same paragraph"
    );
    let link = doc
        .descendants()
        .find(|n| is_w(n, "hyperlink") && w(*n, "anchor") == Some("evidence"))
        .expect("a link to the bookmark");
    assert_eq!(text_of(link), "evidence appendix");
}

#[test]
fn external_links_are_external_relationships() {
    let parts = unzip(&to_docx(&sample()).unwrap());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let rels = roxmltree::Document::parse(&parts["word/_rels/document.xml.rels"]).unwrap();
    let link = doc
        .descendants()
        .find(|n| is_w(n, "hyperlink") && n.attribute((R, "id")).is_some())
        .unwrap();
    let id = link.attribute((R, "id")).unwrap();
    let rel = rels
        .descendants()
        .find(|n| n.attribute("Id") == Some(id))
        .expect("the relationship exists");
    assert_eq!(rel.attribute("Target"), Some(GOV_UK));
    assert_eq!(rel.attribute("TargetMode"), Some("External"));
    assert!(rel.attribute("Type").unwrap().ends_with("/hyperlink"));
    // The same URL used twice shares one relationship.
    let count = rels
        .descendants()
        .filter(|n| n.attribute("Target") == Some(GOV_UK))
        .count();
    assert_eq!(count, 1);
}

#[test]
fn tables_repeat_their_header_row_and_keep_every_row() {
    let parts = unzip(&to_docx(&sample()).unwrap());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let table = doc
        .descendants()
        .filter(|n| is_w(n, "tbl"))
        .find(|t| t.descendants().any(|n| is_w(&n, "tblHeader")))
        .expect("a table with a header row");
    let rows: Vec<_> = table.children().filter(|n| is_w(n, "tr")).collect();
    assert_eq!(rows.len(), TABLE_ROWS + 1);
    assert!(rows[0].descendants().any(|n| is_w(&n, "tblHeader")));
    assert!(!rows[1].descendants().any(|n| is_w(&n, "tblHeader")));
    let header: Vec<String> = rows[0]
        .children()
        .filter(|n| is_w(n, "tc"))
        .map(text_of)
        .collect();
    assert_eq!(header, ["Audit", "Date", "Grade", "Notes"]);
    let caption = table.descendants().find(|n| is_w(n, "tblCaption")).unwrap();
    assert_eq!(
        w(caption, "val"),
        Some("Case audits, April to September 2026")
    );
    let grid: Vec<u32> = table
        .descendants()
        .filter(|n| is_w(n, "gridCol"))
        .map(|n| w(n, "w").unwrap().parse().unwrap())
        .collect();
    assert_eq!(grid.len(), 4);
    assert!(grid[3] > grid[0] * 2, "relative widths are kept: {grid:?}");
    let row3: Vec<String> = rows[3]
        .children()
        .filter(|n| is_w(n, "tc"))
        .map(text_of)
        .collect();
    assert_eq!(row3[3], "Inadequate: re-audit due\nin March");
    let row2: Vec<String> = rows[2]
        .children()
        .filter(|n| is_w(n, "tc"))
        .map(text_of)
        .collect();
    assert_eq!(row2[3], long_word());
}

#[test]
fn text_round_trips_through_escaping() {
    let parts = unzip(&to_docx(&sample()).unwrap());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| is_w(n, "p"))
        .map(text_of)
        .collect();
    assert!(
        paragraphs.iter().any(|p| p == ESCAPES),
        "{ESCAPES} survives"
    );
    assert!(paragraphs.iter().any(|p| p == "First line\nSecond line"));
    assert!(paragraphs
        .iter()
        .any(|p| p == "Children said 😀 and 𝄞 — characters the font lacks."));
    let raw = &parts["word/document.xml"];
    assert!(raw.contains("&lt;high&gt; &amp; rising &quot;sharply&quot; &apos;now&apos;"));
}

#[test]
fn page_is_a4_with_2cm_margins_and_breaks_where_asked() {
    let parts = unzip(&to_docx(&sample()).unwrap());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let size = doc.descendants().find(|n| is_w(n, "pgSz")).unwrap();
    assert_eq!((w(size, "w"), w(size, "h")), (Some("11906"), Some("16838")));
    let margins = doc.descendants().find(|n| is_w(n, "pgMar")).unwrap();
    for side in ["top", "right", "bottom", "left"] {
        assert_eq!(w(margins, side), Some("1134"), "{side}");
    }
    let breaks = doc
        .descendants()
        .filter(|n| is_w(n, "br") && w(*n, "type") == Some("page"))
        .count();
    assert_eq!(breaks, 1);
    let bullets = doc
        .descendants()
        .filter(|n| is_w(n, "numId") && w(*n, "val") == Some("1"))
        .count();
    assert_eq!(bullets, 3);
}

#[test]
fn the_checks_catch_a_missing_language_and_a_broken_part() {
    let parts = unzip(&to_docx(&sample()).unwrap());

    let mut no_lang = parts.clone();
    let styles = no_lang.get_mut("word/styles.xml").unwrap();
    *styles = styles.replace("<w:lang w:val=\"en-GB\"/>", "");
    let error = check_docx(&rezip(&no_lang)).unwrap_err();
    assert!(error.contains("language"), "{error}");

    let mut broken = parts.clone();
    broken.insert(
        "word/document.xml".into(),
        parts["word/document.xml"].replace("</w:body>", ""),
    );
    let error = check_docx(&rezip(&broken)).unwrap_err();
    assert!(error.contains("not well-formed"), "{error}");

    let mut missing = parts;
    missing.remove("word/numbering.xml");
    assert!(check_docx(&rezip(&missing))
        .unwrap_err()
        .contains("missing part"));
}

#[test]
fn an_empty_document_is_still_a_valid_package() {
    let bytes = to_docx(&Document::new("")).unwrap();
    check_docx(&bytes).unwrap();
    let parts = unzip(&bytes);
    assert!(parts["docProps/core.xml"].contains("<dc:title>Untitled document</dc:title>"));
    // Word needs a paragraph in the body and after a final table.
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let body = doc.descendants().find(|n| is_w(n, "body")).unwrap();
    assert!(body.children().any(|n| is_w(&n, "p")));

    let mut table_last = Document::new("t");
    table_last.blocks.push(Block::SummaryList(vec![(
        "k".into(),
        vec![Inline::text("v")],
    )]));
    let parts = unzip(&to_docx(&table_last).unwrap());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let body = doc.descendants().find(|n| is_w(n, "body")).unwrap();
    let elements: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    assert!(
        is_w(&elements[elements.len() - 2], "p"),
        "a paragraph follows the table"
    );
}

#[test]
fn unsafe_links_become_text() {
    let mut doc = Document::new("t");
    doc.blocks.push(Block::Paragraph(vec![
        Inline::link(
            "click",
            ilacs_render::LinkTarget::Url("javascript:alert(1)".into()),
        ),
        Inline::link(
            " nowhere",
            ilacs_render::LinkTarget::Anchor("missing".into()),
        ),
    ]));
    let parts = unzip(&to_docx(&doc).unwrap());
    assert!(!parts["word/document.xml"].contains("hyperlink"));
    assert!(!parts["word/_rels/document.xml.rels"].contains("javascript"));
    assert!(parts["word/document.xml"].contains(">click<"));
}
