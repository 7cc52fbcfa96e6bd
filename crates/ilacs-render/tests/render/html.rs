//! The HTML file, parsed strictly (it is well-formed XML as well as HTML).

use ilacs_render::{to_html, Block, DocTable, Document, Inline, LinkTarget};

use crate::sample::{sample, ESCAPES, GOV_UK, NON_ASCII, TABLE_ROWS, TITLE};

fn parse(html: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("well-formed markup")
}

fn text(node: roxmltree::Node) -> String {
    node.descendants()
        .filter_map(|n| {
            if n.is_text() {
                n.text().map(str::to_string)
            } else if n.has_tag_name("br") {
                Some("\n".into())
            } else {
                None
            }
        })
        .collect()
}

/// What assistive technology needs from the page, checked on any HTML.
pub fn check_html(html: &str) -> Result<(), String> {
    let doc = roxmltree::Document::parse_with_options(
        html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .map_err(|e| format!("not well-formed: {e}"))?;
    let root = doc.root_element();
    match root.attribute("lang") {
        Some(lang) if !lang.is_empty() => {}
        _ => return Err("no language on <html>".into()),
    }
    let title = doc.descendants().find(|n| n.has_tag_name("title"));
    if title.and_then(|t| t.text()).is_none_or(str::is_empty) {
        return Err("no title".into());
    }
    if doc.descendants().any(|n| n.has_tag_name("script")) {
        return Err("has a script".into());
    }
    for th in doc.descendants().filter(|n| n.has_tag_name("th")) {
        if !matches!(th.attribute("scope"), Some("col" | "row")) {
            return Err("a header cell without scope".into());
        }
    }
    Ok(())
}

#[test]
fn sample_html_is_standalone_and_accessible() {
    let html = to_html(&sample());
    check_html(&html).unwrap();
    let doc = parse(&html);
    assert_eq!(doc.root_element().attribute("lang"), Some("en-GB"));
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some(TITLE));
    assert!(doc.descendants().any(|n| n.has_tag_name("style")));
    assert!(
        !doc.descendants()
            .any(|n| n.attribute("src").is_some() || n.has_tag_name("link")),
        "nothing is loaded from elsewhere"
    );
}

#[test]
fn headings_links_and_escaping_survive() {
    let html = to_html(&sample());
    let doc = parse(&html);
    let h1 = doc.descendants().find(|n| n.has_tag_name("h1")).unwrap();
    assert_eq!(text(h1), NON_ASCII);
    assert_eq!(h1.attribute("id"), Some("summary"));
    let evidence = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("evidence"))
        .unwrap();
    assert!(evidence.has_tag_name("h2"));
    let internal = doc
        .descendants()
        .find(|n| n.attribute("href") == Some("#evidence"))
        .unwrap();
    assert_eq!(text(internal), "evidence appendix");
    assert!(doc
        .descendants()
        .any(|n| n.attribute("href") == Some(GOV_UK)));
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("p"))
        .map(text)
        .collect();
    assert!(paragraphs.iter().any(|p| p == ESCAPES));
    assert!(paragraphs.iter().any(|p| p == "First line\nSecond line"));
    assert!(html.contains("&lt;high&gt; &amp; rising &quot;sharply&quot; &#x27;now&#x27;"));
}

#[test]
fn tables_have_captions_and_scoped_headers() {
    let html = to_html(&sample());
    let doc = parse(&html);
    let table = doc
        .descendants()
        .find(|n| n.has_tag_name("table"))
        .expect("the audit table");
    let caption = table
        .children()
        .find(|n| n.has_tag_name("caption"))
        .unwrap();
    assert_eq!(text(caption), "Case audits, April to September 2026");
    let headers: Vec<_> = table
        .descendants()
        .filter(|n| n.has_tag_name("th"))
        .collect();
    assert_eq!(headers.len(), 4);
    assert!(headers
        .iter()
        .all(|th| th.attribute("scope") == Some("col")));
    let body_rows = table
        .descendants()
        .find(|n| n.has_tag_name("tbody"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("tr"))
        .count();
    assert_eq!(body_rows, TABLE_ROWS);
    let widths: Vec<_> = table
        .descendants()
        .filter(|n| n.has_tag_name("col"))
        .collect();
    assert_eq!(widths.len(), 4);
    assert_eq!(widths[3].attribute("style"), Some("width:50.00%"));
    let summary = doc
        .descendants()
        .find(|n| n.has_tag_name("dl"))
        .expect("the summary list");
    let keys: Vec<String> = summary
        .descendants()
        .filter(|n| n.has_tag_name("dt"))
        .map(text)
        .collect();
    assert_eq!(keys, ["Local authority", "Signed off by"]);
}

#[test]
fn ragged_and_empty_tables_are_squared_off() {
    let mut doc = Document::new("t");
    doc.blocks.push(Block::Table(DocTable {
        caption: "Ragged".into(),
        header: vec!["One".into()],
        rows: vec![
            vec![],
            vec![vec![Inline::text("a")], vec![Inline::text("b")]],
        ],
        column_widths: None,
    }));
    doc.blocks.push(Block::Table(DocTable::default()));
    let html = to_html(&doc);
    let parsed = parse(&html);
    let rows: Vec<usize> = parsed
        .descendants()
        .filter(|n| n.has_tag_name("tr"))
        .map(|tr| tr.children().filter(|c| c.is_element()).count())
        .collect();
    assert_eq!(rows, [2, 2, 2]);
    assert_eq!(
        parsed
            .descendants()
            .filter(|n| n.has_tag_name("table"))
            .count(),
        1
    );
}

#[test]
fn markup_in_text_and_hostile_links_are_inert() {
    let mut doc = Document::new("</title><script>alert(1)</script>");
    doc.language = "en\"><script>".into();
    doc.blocks.push(Block::Heading {
        level: 9,
        text: "<b>bold?</b>".into(),
        anchor: Some("\"><script>".into()),
    });
    doc.blocks.push(Block::Paragraph(vec![
        Inline::link("x", LinkTarget::Url("javascript:alert(1)".into())),
        Inline::link(
            "y",
            LinkTarget::Url("https://example.org/?a=1&b=\"2\"".into()),
        ),
    ]));
    let html = to_html(&doc);
    check_html(&html).unwrap();
    let parsed = parse(&html);
    assert_eq!(parsed.root_element().attribute("lang"), Some("en-GB"));
    assert!(
        parsed.descendants().any(|n| n.has_tag_name("h3")),
        "level clamped to 3"
    );
    let hrefs: Vec<&str> = parsed
        .descendants()
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert_eq!(hrefs, ["https://example.org/?a=1&b=\"2\""]);
}

#[test]
fn the_checks_catch_a_missing_language_and_a_script() {
    let html = to_html(&sample());
    assert!(check_html(&html.replacen(" lang=\"en-GB\"", "", 1))
        .unwrap_err()
        .contains("language"));
    assert!(
        check_html(&html.replacen("<main>", "<main><script>x()</script>", 1))
            .unwrap_err()
            .contains("script")
    );
    assert!(check_html(&html.replacen("scope=\"col\"", "", 1))
        .unwrap_err()
        .contains("scope"));
    assert!(check_html(&html.replacen("</p>", "", 1)).is_err());
}
