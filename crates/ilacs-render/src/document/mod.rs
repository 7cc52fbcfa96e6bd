//! One document model, three writers: DOCX (Word), tagged PDF (PDF/UA-1) and standalone
//! HTML. Built for documents councils and Ofsted publish or take to committee — the
//! self-evaluation with its evidence appendix, letters to a director of children's
//! services — so every writer keeps the structure assistive technology needs: real
//! headings, lists, tables with header cells, links with text, and the language.
//!
//! # Text
//! All text is plain Unicode, never markup; each writer escapes it for its format.
//! - `'\n'` is a line break inside the same paragraph, heading or cell, in every writer
//!   (`"\r\n"` and a lone `'\r'` count as one `'\n'`); a tab is a space.
//! - Characters no format can carry (control characters, U+FEFF, U+FFFE, U+FFFF) are
//!   dropped. In the PDF, a character the embedded font lacks is drawn as a replacement
//!   glyph but keeps its own text for copying and screen readers.
//!
//! # Rules the writers share
//! - Heading levels outside 1–3 are clamped to that range.
//! - Anchors become identifiers safe for every format (letters, digits and `_`, at most
//!   40 characters: Word's limit for bookmark names), unique in the document; the first
//!   heading with a given anchor wins. A link to an anchor no heading has, or to a URL
//!   whose scheme is not `http`, `https` or `mailto`, is written as plain text.
//! - A table's column count is the longest of its header and rows; short rows are padded
//!   with empty cells. A table with no cells at all is written as its caption alone.
//! - An empty or malformed language falls back to `en-GB`; an empty title to
//!   "Untitled document". A heading with no text is left out of the PDF's structure
//!   tree and bookmarks (PDF/UA requires headings to have a title), but its anchor
//!   still works.

mod docx;
mod html;
mod pdf;

use std::borrow::Cow;
use std::collections::HashMap;

pub use docx::to_docx;
pub use html::to_html;
pub use pdf::to_pdf;

/// A document to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Shown as the window title of the PDF and HTML and stored in every file's metadata.
    pub title: String,
    /// BCP 47 language tag, e.g. `en-GB`.
    pub language: String,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub blocks: Vec<Block>,
}

impl Document {
    /// An empty document in British English.
    pub fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            language: DEFAULT_LANGUAGE.to_string(),
            author: None,
            subject: None,
            blocks: Vec::new(),
        }
    }
}

/// A block of the document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading of level 1 to 3; `anchor` lets [`LinkTarget::Anchor`] links point here.
    Heading {
        level: u8,
        text: String,
        anchor: Option<String>,
    },
    Paragraph(Vec<Inline>),
    /// A bulleted list; each item is a run of inline content.
    BulletList(Vec<Vec<Inline>>),
    Table(DocTable),
    /// Key and value pairs, like the GOV.UK summary list: written as a two-column table
    /// whose keys are row headers.
    SummaryList(Vec<(String, Vec<Inline>)>),
    /// Starts a new page (in HTML, when printed). The PDF ignores a break at the top
    /// of a page that is still empty, so repeated breaks make no blank pages.
    PageBreak,
}

/// A data table with one header row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocTable {
    /// Says what the table shows; written above it.
    pub caption: String,
    /// Column headers; repeated at the top of each page the table continues on.
    pub header: Vec<String>,
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// Relative column widths (e.g. `[1, 3]`); ignored unless there is one per column
    /// and at least one is above zero. Equal widths otherwise.
    pub column_widths: Option<Vec<u32>>,
}

/// Inline content of a paragraph, list item or cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Link { text: String, target: LinkTarget },
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Inline {
        Inline::Text(text.into())
    }

    pub fn strong(text: impl Into<String>) -> Inline {
        Inline::Strong(text.into())
    }

    pub fn link(text: impl Into<String>, target: LinkTarget) -> Inline {
        Inline::Link {
            text: text.into(),
            target,
        }
    }
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// The `anchor` of a heading in the same document.
    Anchor(String),
    /// An absolute `http`, `https` or `mailto` URL.
    Url(String),
}

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    #[error("could not write the DOCX package")]
    Docx(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the embedded font could not be read")]
    Font,
    #[error("could not write the PDF: {0}")]
    Pdf(String),
}

const DEFAULT_LANGUAGE: &str = "en-GB";
const DEFAULT_TITLE: &str = "Untitled document";
/// Word ignores bookmark names longer than this.
const MAX_ANCHOR_LEN: usize = 40;

/// Makes text safe for every writer: one kind of line break, no characters XML 1.0 or
/// PDF text strings cannot carry.
fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_cleaning) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\t' => out.push(' '),
            '\n' => out.push('\n'),
            c if needs_cleaning(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_cleaning(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Text for places that cannot hold a line break (metadata, bookmarks, alt text).
fn one_line(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Cuts text to at most `max` characters, on a character boundary.
fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

fn title(doc: &Document) -> String {
    let title = one_line(&doc.title);
    if title.is_empty() {
        DEFAULT_TITLE.to_string()
    } else {
        title
    }
}

/// The document language if it looks like a language tag (so it is safe in any
/// attribute), otherwise `en-GB`.
fn language(doc: &Document) -> &str {
    let lang = doc.language.trim();
    let well_formed = !lang.is_empty()
        && lang.len() <= 35
        && lang.starts_with(|c: char| c.is_ascii_alphabetic())
        && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if well_formed {
        lang
    } else {
        DEFAULT_LANGUAGE
    }
}

fn heading_level(level: u8) -> u8 {
    level.clamp(1, 3)
}

/// An `http`, `https` or `mailto` URL with spaces encoded, or `None` for any other
/// scheme (which keeps `javascript:` and `file:` links out of exported documents).
fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once(':')?;
    let allowed = ["http", "https", "mailto"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s));
    if !allowed || rest.is_empty() || url.chars().any(char::is_control) {
        return None;
    }
    Some(url.replace(' ', "%20"))
}

/// Heading anchors mapped to identifiers every format accepts.
struct Anchors {
    ids: HashMap<String, String>,
    /// The identifier each heading carries, by block index.
    by_block: HashMap<usize, String>,
}

impl Anchors {
    fn new(doc: &Document) -> Anchors {
        let mut ids = HashMap::new();
        let mut by_block = HashMap::new();
        let mut used = std::collections::HashSet::new();
        for (index, block) in doc.blocks.iter().enumerate() {
            let Block::Heading {
                anchor: Some(anchor),
                ..
            } = block
            else {
                continue;
            };
            if ids.contains_key(anchor) {
                continue;
            }
            let base = anchor_id(anchor);
            let mut id = base.clone();
            let mut n = 2u32;
            while used.contains(&id) {
                let suffix = format!("_{n}");
                id = format!(
                    "{}{suffix}",
                    truncate_chars(&base, MAX_ANCHOR_LEN - suffix.len())
                );
                n += 1;
            }
            used.insert(id.clone());
            by_block.insert(index, id.clone());
            ids.insert(anchor.clone(), id);
        }
        Anchors { ids, by_block }
    }

    /// The identifier the heading at `block_index` carries, if any.
    fn heading_id(&self, block_index: usize) -> Option<&str> {
        self.by_block.get(&block_index).map(String::as_str)
    }

    fn resolve(&self, target: &LinkTarget) -> Option<Resolved> {
        match target {
            LinkTarget::Anchor(anchor) => self.ids.get(anchor).cloned().map(Resolved::Internal),
            LinkTarget::Url(url) => safe_url(url).map(Resolved::External),
        }
    }
}

/// A link target a writer can use.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    /// An anchor identifier from [`Anchors`].
    Internal(String),
    External(String),
}

/// ASCII letters, digits and `_`, starting with a letter, at most 40 characters.
fn anchor_id(anchor: &str) -> String {
    let mut id = String::from("a_");
    let mut last_underscore = true;
    for c in anchor.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
            last_underscore = false;
        } else if !last_underscore {
            id.push('_');
            last_underscore = true;
        }
        if id.len() >= MAX_ANCHOR_LEN + 2 {
            break;
        }
    }
    let body = id[2..].trim_end_matches('_');
    let id = if body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        body.to_string()
    } else {
        format!("a_{body}")
    };
    let id = truncate_chars(&id, MAX_ANCHOR_LEN).trim_end_matches('_');
    if id.is_empty() || id == "a" {
        "a_section".to_string()
    } else {
        id.to_string()
    }
}

impl DocTable {
    fn column_count(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(self.header.len())
    }

    /// Each column's share of the table width; the shares add up to 1.
    fn column_fractions(&self) -> Vec<f32> {
        let n = self.column_count();
        fractions(n, self.column_widths.as_deref())
    }
}

fn fractions(n: usize, weights: Option<&[u32]>) -> Vec<f32> {
    match weights {
        Some(w) if w.len() == n && w.iter().any(|&x| x > 0) => {
            let total: f64 = w.iter().map(|&x| f64::from(x)).sum();
            w.iter().map(|&x| (f64::from(x) / total) as f32).collect()
        }
        _ => vec![1.0 / n.max(1) as f32; n],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_normalises_breaks_and_drops_what_no_format_carries() {
        assert_eq!(clean("a\r\nb\rc\td\u{0}e\u{FEFF}f\u{FFFF}"), "a\nb\nc def");
        assert!(matches!(clean("plain – text"), Cow::Borrowed(_)));
    }

    #[test]
    fn anchors_are_safe_unique_and_short() {
        assert_eq!(anchor_id("Quality of practice!"), "Quality_of_practice");
        assert_eq!(anchor_id("1. Leadership"), "a_1_Leadership");
        assert_eq!(anchor_id("…"), "a_section");
        assert!(anchor_id(&"x".repeat(500)).len() <= MAX_ANCHOR_LEN);
        let mut doc = Document::new("t");
        for anchor in ["a b", "a-b", "a b"] {
            doc.blocks.push(Block::Heading {
                level: 1,
                text: "h".into(),
                anchor: Some(anchor.into()),
            });
        }
        let anchors = Anchors::new(&doc);
        assert_eq!(anchors.ids["a b"], "a_b");
        assert_eq!(anchors.ids["a-b"], "a_b_2");
        assert_eq!(anchors.ids.len(), 2);
        assert_eq!(anchors.heading_id(1), Some("a_b_2"));
        assert_eq!(anchors.heading_id(2), None);
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        assert_eq!(
            safe_url(" https://example.org/a b "),
            Some("https://example.org/a%20b".into())
        );
        assert_eq!(
            safe_url("mailto:x@example.org").as_deref(),
            Some("mailto:x@example.org")
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_url("/relative"), None);
    }

    #[test]
    fn language_falls_back_when_malformed() {
        let mut doc = Document::new("t");
        doc.language = "cy".into();
        assert_eq!(language(&doc), "cy");
        doc.language = "\" onload=\"x".into();
        assert_eq!(language(&doc), "en-GB");
        doc.language = String::new();
        assert_eq!(language(&doc), "en-GB");
    }

    #[test]
    fn column_fractions_fall_back_to_equal() {
        assert_eq!(fractions(2, Some(&[1, 3])), vec![0.25, 0.75]);
        assert_eq!(fractions(2, Some(&[1])), vec![0.5, 0.5]);
        assert_eq!(fractions(2, Some(&[0, 0])), vec![0.5, 0.5]);
        assert!(fractions(0, None).is_empty());
    }
}
