//! The tagged PDF, read back with lopdf: the catalogue entries PDF/UA needs, the
//! structure tree, links, outline and pages.
//!
//! Text is asserted through the structure tree and lopdf's text extraction, which
//! reads the fonts' ToUnicode maps.

use std::collections::BTreeSet;

use ilacs_render::{to_pdf, Block, DocTable, Document, Inline, LinkTarget};
use lopdf::{Dictionary, Object};

use crate::sample::{long_document, sample, GOV_UK, NON_ASCII, TABLE_ROWS, TITLE};

pub struct Pdf {
    pub doc: lopdf::Document,
}

impl Pdf {
    pub fn load(bytes: &[u8]) -> Pdf {
        Pdf {
            doc: lopdf::Document::load_mem(bytes).expect("a readable PDF"),
        }
    }

    fn resolve<'a>(&'a self, object: &'a Object) -> &'a Object {
        self.doc
            .dereference(object)
            .map(|(_, o)| o)
            .unwrap_or(object)
    }

    fn dict<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        dict.get(key)
            .ok()
            .map(|o| self.resolve(o))
            .and_then(|o| o.as_dict().ok())
    }

    fn name<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a str> {
        let object = self.resolve(dict.get(key).ok()?);
        std::str::from_utf8(object.as_name().ok()?).ok()
    }

    fn text(&self, dict: &Dictionary, key: &[u8]) -> Option<String> {
        lopdf::decode_text_string(self.resolve(dict.get(key).ok()?)).ok()
    }

    pub fn catalog(&self) -> &Dictionary {
        self.doc.catalog().expect("a catalogue")
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// Every structure element, depth first, as (type, element).
    pub fn elements(&self) -> Vec<(String, &Dictionary)> {
        let mut out = Vec::new();
        if let Some(root) = self.dict(self.catalog(), b"StructTreeRoot") {
            if let Ok(kids) = root.get(b"K") {
                self.walk(kids, &mut out);
            }
        }
        out
    }

    fn walk<'a>(&'a self, kids: &'a Object, out: &mut Vec<(String, &'a Dictionary)>) {
        match self.resolve(kids) {
            Object::Array(items) => {
                for item in items {
                    self.walk(item, out);
                }
            }
            Object::Dictionary(dict) => {
                if let Some(kind) = self.name(dict, b"S") {
                    out.push((kind.to_string(), dict));
                    if let Ok(kids) = dict.get(b"K") {
                        self.walk(kids, out);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn element_types(&self) -> BTreeSet<String> {
        self.elements().into_iter().map(|(kind, _)| kind).collect()
    }

    /// The /Scope of a table header cell's attributes.
    pub fn scope(&self, element: &Dictionary) -> Option<String> {
        let attributes = self.resolve(element.get(b"A").ok()?);
        let dicts: Vec<&Dictionary> = match attributes {
            Object::Array(items) => items
                .iter()
                .filter_map(|i| self.resolve(i).as_dict().ok())
                .collect(),
            Object::Dictionary(d) => vec![d],
            _ => vec![],
        };
        dicts
            .into_iter()
            .find_map(|d| self.name(d, b"Scope").map(str::to_string))
    }

    pub fn annotations(&self) -> Vec<(u32, &Dictionary)> {
        let mut out = Vec::new();
        for (number, id) in self.doc.get_pages() {
            for annotation in self.doc.get_page_annotations(id).unwrap_or_default() {
                out.push((number, annotation));
            }
        }
        out
    }

    pub fn info_title(&self) -> Option<String> {
        let info = self
            .resolve(self.doc.trailer.get(b"Info").ok()?)
            .as_dict()
            .ok()?;
        self.text(info, b"Title")
    }

    pub fn xmp(&self) -> Option<String> {
        let stream = self
            .resolve(self.catalog().get(b"Metadata").ok()?)
            .as_stream()
            .ok()?;
        let bytes = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        String::from_utf8(bytes).ok()
    }

    pub fn outline_titles(&self) -> Vec<String> {
        let mut titles = Vec::new();
        let Some(outlines) = self.dict(self.catalog(), b"Outlines") else {
            return titles;
        };
        let mut stack: Vec<&Dictionary> = self.dict(outlines, b"First").into_iter().collect();
        while let Some(item) = stack.pop() {
            titles.push(self.text(item, b"Title").unwrap_or_default());
            if let Some(next) = self.dict(item, b"Next") {
                stack.push(next);
            }
            if let Some(first) = self.dict(item, b"First") {
                stack.push(first);
            }
        }
        titles
    }
}

/// What PDF/UA asks of the catalogue and metadata, checked on any PDF.
pub fn check_pdf(bytes: &[u8]) -> Result<(), String> {
    let pdf = lopdf::Document::load_mem(bytes).map_err(|e| format!("unreadable: {e}"))?;
    let pdf = Pdf { doc: pdf };
    let catalog = pdf.catalog();
    let marked = pdf
        .dict(catalog, b"MarkInfo")
        .and_then(|m| m.get(b"Marked").ok())
        .and_then(|m| m.as_bool().ok());
    if marked != Some(true) {
        return Err("not marked as tagged (/MarkInfo /Marked)".into());
    }
    if pdf.dict(catalog, b"StructTreeRoot").is_none() {
        return Err("no structure tree".into());
    }
    match pdf.text(catalog, b"Lang") {
        Some(lang) if !lang.is_empty() => {}
        _ => return Err("no document language (/Lang)".into()),
    }
    let display_title = pdf
        .dict(catalog, b"ViewerPreferences")
        .and_then(|v| v.get(b"DisplayDocTitle").ok())
        .and_then(|v| v.as_bool().ok());
    if display_title != Some(true) {
        return Err("the window does not show the title (/DisplayDocTitle)".into());
    }
    if pdf.info_title().is_none_or(|t| t.is_empty()) {
        return Err("no title in /Info".into());
    }
    let xmp = pdf.xmp().ok_or("no XMP metadata")?;
    if !xmp.contains("pdfuaid:part") {
        return Err("XMP does not claim PDF/UA".into());
    }
    if pdf.outline_titles().is_empty() {
        return Err("no outline".into());
    }
    Ok(())
}

#[test]
fn sample_pdf_passes_the_checks() {
    let bytes = to_pdf(&sample()).unwrap();
    check_pdf(&bytes).unwrap();
    let pdf = Pdf::load(&bytes);
    assert_eq!(pdf.text(pdf.catalog(), b"Lang").as_deref(), Some("en-GB"));
    assert_eq!(pdf.info_title().as_deref(), Some(TITLE));
    let xmp = pdf.xmp().unwrap();
    assert!(
        xmp.contains("Self-evaluation 2026 &lt;draft&gt; &amp; &quot;final&quot;"),
        "{xmp}"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>") || xmp.contains("pdfuaid:part=\"1\""));
    assert!(xmp.contains("en-GB"));
}

#[test]
fn structure_tree_has_every_element_kind() {
    let pdf = Pdf::load(&to_pdf(&sample()).unwrap());
    let types = pdf.element_types();
    for kind in [
        "Document", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "Table", "Caption", "THead",
        "TBody", "TR", "TH", "TD", "Link",
    ] {
        assert!(types.contains(kind), "no {kind} in {types:?}");
    }
    let elements = pdf.elements();
    let headers: Vec<Option<String>> = elements
        .iter()
        .filter(|(kind, _)| kind == "TH")
        .map(|(_, e)| pdf.scope(e))
        .collect();
    // Four column headers, then one row header per summary list row.
    assert_eq!(
        headers
            .iter()
            .filter(|s| s.as_deref() == Some("Column"))
            .count(),
        4
    );
    assert_eq!(
        headers
            .iter()
            .filter(|s| s.as_deref() == Some("Row"))
            .count(),
        2
    );
    let rows = elements.iter().filter(|(kind, _)| kind == "TR").count();
    assert_eq!(
        rows,
        1 + TABLE_ROWS + 2,
        "header, body rows and summary rows"
    );
    let h1 = elements.iter().find(|(kind, _)| kind == "H1").unwrap().1;
    assert_eq!(pdf.text(h1, b"T").as_deref(), Some(NON_ASCII));
    let document = elements
        .iter()
        .find(|(kind, _)| kind == "Document")
        .unwrap()
        .1;
    assert_eq!(pdf.text(document, b"Lang").as_deref(), Some("en-GB"));
}

#[test]
fn long_table_continues_over_pages_and_headings_read_in_order() {
    let pdf = Pdf::load(&to_pdf(&sample()).unwrap());
    let pages = pdf.page_count();
    assert!((5..=20).contains(&pages), "{pages} pages");
    let first = pdf.doc.extract_text(&[1]).unwrap();
    assert!(first.contains("Stoke-on-Trent"), "{first}");
    let last = pdf.doc.extract_text(&[pages as u32]).unwrap();
    assert!(last.contains(&format!("CA-{TABLE_ROWS:04}")), "{last}");
    assert!(last.contains(&format!("Page {pages} of {pages}")), "{last}");
    // The header row is drawn again (as an artifact) on the pages the table continues on.
    let middle = pdf.doc.extract_text(&[pages as u32 - 1]).unwrap();
    assert!(
        middle.contains("Audit") && middle.contains("Notes"),
        "{middle}"
    );
    assert_eq!(
        pdf.outline_titles(),
        [
            NON_ASCII,
            "The experiences and progress of children",
            "Evidence appendix",
            "Case audits"
        ]
    );
}

#[test]
fn links_are_annotations_with_alt_text() {
    let pdf = Pdf::load(&to_pdf(&sample()).unwrap());
    let annotations = pdf.annotations();
    let external: Vec<_> = annotations
        .iter()
        .filter(|(_, a)| {
            pdf.dict(a, b"A")
                .and_then(|action| {
                    pdf.text(action, b"URI").or_else(|| {
                        action
                            .get(b"URI")
                            .ok()
                            .and_then(|u| u.as_str().ok())
                            .map(|u| String::from_utf8_lossy(u).into_owned())
                    })
                })
                .as_deref()
                == Some(GOV_UK)
        })
        .collect();
    assert_eq!(external.len(), 2, "the paragraph link and the table link");
    let internal: Vec<_> = annotations.iter().filter(|(_, a)| a.has(b"Dest")).collect();
    assert_eq!(internal.len(), 2);
    for (_, annotation) in &annotations {
        assert_eq!(pdf.name(annotation, b"Subtype"), Some("Link"));
        assert!(pdf
            .text(annotation, b"Contents")
            .is_some_and(|c| !c.is_empty()));
        assert!(annotation.has(b"StructParent"), "tagged");
    }
    // The link to the appendix goes to the page the appendix heading is on.
    let (_, to_evidence) = internal
        .iter()
        .find(|(_, a)| pdf.text(a, b"Contents").as_deref() == Some("evidence appendix"))
        .unwrap();
    let destination = pdf
        .resolve(to_evidence.get(b"Dest").unwrap())
        .as_array()
        .unwrap();
    let target_page = destination[0].as_reference().unwrap();
    let pages = pdf.doc.get_pages();
    assert_eq!(
        pages[&2], target_page,
        "the page break puts the appendix on page 2"
    );
}

#[test]
fn the_checks_catch_a_missing_language_and_untagged_files() {
    let bytes = to_pdf(&sample()).unwrap();
    let without = |key: &[u8]| {
        let mut doc = lopdf::Document::load_mem(&bytes).unwrap();
        doc.catalog_mut().unwrap().remove(key);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        check_pdf(&out).unwrap_err()
    };
    assert!(without(b"Lang").contains("language"));
    assert!(without(b"StructTreeRoot").contains("structure"));
    assert!(without(b"MarkInfo").contains("tagged"));
    assert!(without(b"ViewerPreferences").contains("DisplayDocTitle"));
    assert!(without(b"Outlines").contains("outline"));
}

#[test]
fn awkward_input_still_validates() {
    let mut doc = Document::new("");
    doc.language = String::new();
    assert!(
        check_pdf(&to_pdf(&doc).unwrap()).is_ok(),
        "an empty document"
    );

    let mut doc = Document::new("Odd");
    doc.blocks = vec![
        Block::Heading {
            level: 0,
            text: String::new(),
            anchor: Some("x".into()),
        },
        Block::PageBreak,
        Block::PageBreak,
        Block::Paragraph(vec![]),
        Block::Paragraph(vec![Inline::text(
            "\u{0}\u{FEFF}\u{FFFE}\u{1F600}\u{E000}\u{200D}\u{301}x\u{7}",
        )]),
        Block::Paragraph(vec![Inline::link("", LinkTarget::Anchor("x".into()))]),
        Block::BulletList(vec![vec![], vec![Inline::strong("   ")]]),
        Block::Table(DocTable::default()),
        Block::Table(DocTable {
            caption: String::new(),
            header: vec![],
            rows: vec![vec![vec![]; 60]],
            column_widths: Some(vec![0; 60]),
        }),
        Block::SummaryList(vec![(String::new(), vec![])]),
        Block::Paragraph(vec![Inline::text(format!(
            "https://example.org/{}",
            "a/".repeat(400)
        ))]),
    ];
    let bytes = to_pdf(&doc).unwrap();
    check_pdf(&bytes).unwrap();
}

#[test]
fn a_cell_taller_than_a_page_splits_across_pages() {
    let mut doc = Document::new("Tall");
    let tall = "Evidence of practice. ".repeat(1500);
    doc.blocks.push(Block::Table(DocTable {
        caption: "One tall row".into(),
        header: vec!["Key".into(), "Value".into()],
        rows: vec![vec![vec![Inline::text("a")], vec![Inline::text(tall)]]],
        column_widths: Some(vec![1, 4]),
    }));
    let pdf = Pdf::load(&to_pdf(&doc).unwrap());
    assert!(pdf.page_count() >= 4, "{} pages", pdf.page_count());
    let last = pdf.doc.extract_text(&[pdf.page_count() as u32]).unwrap();
    assert!(last.contains("Key") && last.contains("practice"), "{last}");
    let rows = pdf
        .elements()
        .iter()
        .filter(|(kind, _)| kind == "TR")
        .count();
    assert_eq!(
        rows, 2,
        "one header row and one body row, however many pages"
    );
}

#[test]
fn ten_thousand_rows_render() {
    let mut doc = Document::new("Big");
    doc.blocks.push(Block::Table(DocTable {
        caption: "Every child".into(),
        header: vec!["Child".into(), "Team".into(), "Status".into()],
        rows: (0..10_000)
            .map(|i| {
                vec![
                    vec![Inline::text(format!("C{i}"))],
                    vec![Inline::text("Assessment")],
                    vec![Inline::text("Open")],
                ]
            })
            .collect(),
        column_widths: None,
    }));
    let bytes = to_pdf(&doc).unwrap();
    let pdf = Pdf::load(&bytes);
    assert!(pdf.page_count() > 150, "{}", pdf.page_count());
    assert!(ilacs_render::to_docx(&doc).unwrap().len() > 10_000);
    assert!(ilacs_render::to_html(&doc).contains("C9999"));
}

/// Prints how long a 40-page document takes; run with
/// `cargo test --release -p ilacs-render --test render -- --nocapture forty_pages`.
#[test]
fn forty_pages_timing() {
    let doc = long_document(40);
    let started = std::time::Instant::now();
    let bytes = to_pdf(&doc).unwrap();
    let elapsed = started.elapsed();
    let pages = Pdf::load(&bytes).page_count();
    eprintln!(
        "PDF: {pages} pages, {} KiB in {elapsed:?}",
        bytes.len() / 1024
    );
    let started = std::time::Instant::now();
    let docx = ilacs_render::to_docx(&doc).unwrap();
    eprintln!("DOCX: {} KiB in {:?}", docx.len() / 1024, started.elapsed());
    let started = std::time::Instant::now();
    let html = ilacs_render::to_html(&doc);
    eprintln!("HTML: {} KiB in {:?}", html.len() / 1024, started.elapsed());
    if let Some(dir) = std::env::var_os("ILACS_RENDER_OUT") {
        // For looking at the output by eye: ILACS_RENDER_OUT=/tmp/out cargo test ...
        let dir = std::path::PathBuf::from(dir);
        let sample = sample();
        std::fs::write(dir.join("sample.pdf"), to_pdf(&sample).unwrap()).unwrap();
        std::fs::write(
            dir.join("sample.docx"),
            ilacs_render::to_docx(&sample).unwrap(),
        )
        .unwrap();
        std::fs::write(dir.join("sample.html"), ilacs_render::to_html(&sample)).unwrap();
        std::fs::write(dir.join("long.pdf"), &bytes).unwrap();
    }
    assert!(pages >= 40, "{pages} pages");
}
