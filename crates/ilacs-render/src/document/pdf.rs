//! Tagged PDF (PDF/UA-1, checked by krilla's validator on every export) with our own
//! layout: A4, Liberation Sans embedded, greedy line breaking on measured glyph
//! advances, tables whose header row repeats on every page they continue on.
//!
//! Two passes. The first lays the whole document out into pages of drawing operations
//! and builds the structure tree with numbered slots where content will go; it also
//! learns where every heading lands, so links can point forwards. The second draws the
//! pages with krilla, fills each slot with the identifier of the content drawn for it,
//! then adds the link annotations, the outline, the metadata and the tree.
//!
//! Text is drawn from the font's character map and advance widths without kerning or
//! ligatures (no shaping engine), which keeps measuring and drawing exactly in step.

use std::collections::HashMap;
use std::num::NonZeroU16;
use std::sync::OnceLock;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::{Destination, NamedDestination, XyzDestination};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::SerializeSettings;
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

use super::{
    clean, heading_level, language, one_line, title, truncate_chars, Anchors, Block, DocTable,
    Document, DocumentError, Inline, Resolved,
};

static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Bold.ttf");

// Geometry in points; krilla's origin is the top-left corner.
const PAGE_WIDTH: f32 = 595.276;
const PAGE_HEIGHT: f32 = 841.89;
/// 2 cm.
const MARGIN: f32 = 56.693;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TOP: f32 = MARGIN;
const BOTTOM: f32 = PAGE_HEIGHT - MARGIN;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 28.0;

const BODY: TextStyle = TextStyle::new(11.0, 1.4);
const TABLE_TEXT: TextStyle = TextStyle::new(10.0, 1.35);
const FOOTER: TextStyle = TextStyle::new(9.0, 1.2);
const PARAGRAPH_GAP: f32 = 8.0;
const LIST_ITEM_GAP: f32 = 3.0;
const LIST_INDENT: f32 = 18.0;
const CELL_PADDING: f32 = 4.0;
const RULE: f32 = 0.75;
const HEADER_RULE: f32 = 1.5;

/// Long strings are cut in places only machines read (heading titles, alt text,
/// bookmarks) to stay far inside PDF's string limits.
const MAX_LABEL_CHARS: usize = 500;

type Color = (u8, u8, u8);
const TEXT_COLOUR: Color = (0x0b, 0x0c, 0x0c);
const LINK_COLOUR: Color = (0x1d, 0x70, 0xb8);
const RULE_COLOUR: Color = (0xb1, 0xb4, 0xb6);
const FOOTER_COLOUR: Color = (0x50, 0x5a, 0x5f);

#[derive(Clone, Copy)]
struct TextStyle {
    size: f32,
    line_height: f32,
}

impl TextStyle {
    const fn new(size: f32, leading: f32) -> TextStyle {
        TextStyle {
            size,
            line_height: size * leading,
        }
    }
}

/// The document as a tagged, PDF/UA-1 conformant PDF.
pub fn to_pdf(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    let fonts = fonts().ok_or(DocumentError::Font)?;
    let anchors = Anchors::new(doc);
    let mut layout = Layout::new(fonts, &anchors);
    for (index, block) in doc.blocks.iter().enumerate() {
        layout.block(block, index);
    }
    render(doc, layout)
}

// ---------------------------------------------------------------------------------------
// Fonts

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FaceId {
    Regular,
    Bold,
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn face(&self, id: FaceId) -> &Face {
        match id {
            FaceId::Regular => &self.regular,
            FaceId::Bold => &self.bold,
        }
    }
}

/// Parsed once per process: the fonts are part of the program.
fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Face::load(REGULAR_TTF)?,
                bold: Face::load(BOLD_TTF)?,
            })
        })
        .as_ref()
}

struct Face {
    font: Font,
    /// Glyph and advance (in em) of U+0000..U+00FF, looked up most often.
    latin: Vec<Option<(u32, f32)>>,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: skrifa::metrics::GlyphMetrics<'static>,
    units_per_em: f32,
    /// Drawn for characters the font lacks, so no text is silently lost.
    fallback: Option<(u32, f32)>,
    ascent: f32,
    descent: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        let font = Font::new(data.into(), 0)?;
        let skrifa_font = skrifa::FontRef::new(data).ok()?;
        let charmap = skrifa_font.charmap();
        let metrics = skrifa_font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let font_metrics = skrifa_font.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(font_metrics.units_per_em.max(1));
        let mut face = Face {
            font,
            latin: Vec::new(),
            charmap,
            metrics,
            units_per_em,
            fallback: None,
            ascent: font_metrics.ascent / units_per_em,
            descent: -font_metrics.descent / units_per_em,
        };
        // A box, the familiar sign of a missing character; '?' would read as punctuation.
        face.fallback = ['\u{FFFD}', '\u{25A1}', '?']
            .into_iter()
            .find_map(|c| face.lookup(c));
        face.latin = (0..=255u8).map(|b| face.lookup(char::from(b))).collect();
        Some(face)
    }

    fn lookup(&self, c: char) -> Option<(u32, f32)> {
        let glyph = self.charmap.map(c)?;
        if glyph.to_u32() == 0 {
            return None;
        }
        let advance = self.metrics.advance_width(glyph).unwrap_or(0.0) / self.units_per_em;
        Some((glyph.to_u32(), advance))
    }

    /// The glyph to draw for `c` and its advance in em; `None` draws nothing (an
    /// invisible formatting character the font lacks).
    fn glyph(&self, c: char) -> Option<(u32, f32)> {
        if let Some(Some(found)) = self.latin.get(c as usize) {
            return Some(*found);
        }
        self.lookup(c)
            .or_else(|| if is_invisible(c) { None } else { self.fallback })
    }

    fn advance(&self, c: char) -> f32 {
        self.glyph(c).map_or(0.0, |(_, advance)| advance)
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// Glyphs for `text`, each mapped back to its own character so copying and screen
    /// readers get the original text (krilla writes ActualText where a fallback glyph
    /// stands for several characters).
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .filter_map(|(i, c)| {
                let (glyph, advance) = self.glyph(c)?;
                Some(KrillaGlyph::new(
                    GlyphId::new(glyph),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                ))
            })
            .collect()
    }

    /// Distance from the top of a line box to the baseline, with the leading split
    /// evenly above and below the glyphs.
    fn baseline_offset(&self, style: TextStyle) -> f32 {
        let glyph_height = (self.ascent + self.descent) * style.size;
        (style.line_height - glyph_height) / 2.0 + self.ascent * style.size
    }
}

/// Default-ignorable characters (joiners, variation selectors, bidi controls, soft
/// hyphen...): nothing to draw when the font has no glyph for them.
fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

// ---------------------------------------------------------------------------------------
// Line breaking

/// Inline text with one look, the input to line breaking.
struct Run {
    text: String,
    face: FaceId,
    kind: RunKind,
}

#[derive(Clone, PartialEq, Eq)]
enum RunKind {
    Plain,
    Strong,
    Link(Resolved),
}

impl Run {
    fn new(text: &str, face: FaceId) -> Run {
        Run {
            text: clean(text).into_owned(),
            face,
            kind: RunKind::Plain,
        }
    }
}

fn runs(inlines: &[Inline], anchors: &Anchors) -> Vec<Run> {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) => Run::new(text, FaceId::Regular),
            Inline::Strong(text) => Run {
                kind: RunKind::Strong,
                ..Run::new(text, FaceId::Bold)
            },
            Inline::Link { text, target } => Run {
                kind: anchors
                    .resolve(target)
                    .map_or(RunKind::Plain, RunKind::Link),
                ..Run::new(text, FaceId::Regular)
            },
        })
        .collect()
}

/// A piece of one run on one line: `run.text[start..end]`, `x` from the line start.
#[derive(Debug, Clone)]
struct Piece {
    run: usize,
    start: usize,
    end: usize,
    x: f32,
    width: f32,
}

type Line = Vec<Piece>;

struct Breaker {
    max_width: f32,
    lines: Vec<Line>,
    line: Line,
    x: f32,
    /// Whether the current line began because the previous one was full (its leading
    /// spaces are then dropped, as every word processor does).
    wrapped: bool,
}

impl Breaker {
    fn push(&mut self, run: usize, start: usize, end: usize, width: f32) {
        if let Some(last) = self.line.last_mut() {
            if last.run == run && last.end == start {
                last.end = end;
                last.width += width;
                self.x += width;
                return;
            }
        }
        self.line.push(Piece {
            run,
            start,
            end,
            x: self.x,
            width,
        });
        self.x += width;
    }

    fn end_line(&mut self, wrapped: bool) {
        self.lines.push(std::mem::take(&mut self.line));
        self.x = 0.0;
        self.wrapped = wrapped;
    }
}

/// Greedy line breaking at spaces; a word wider than the line is broken between
/// characters. Trailing spaces stay on their line (invisible) so extracted text keeps
/// its word breaks.
fn break_lines(runs: &[Run], fonts: &Fonts, size: f32, max_width: f32) -> Vec<Line> {
    let mut b = Breaker {
        max_width: max_width.max(1.0),
        lines: Vec::new(),
        line: Vec::new(),
        x: 0.0,
        wrapped: false,
    };
    for (index, run) in runs.iter().enumerate() {
        let face = fonts.face(run.face);
        let text = run.text.as_str();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            if rest.starts_with('\n') {
                b.end_line(false);
                i += 1;
            } else if rest.starts_with(' ') {
                let end = i + rest.find(|c| c != ' ').unwrap_or(rest.len());
                if !(b.line.is_empty() && b.wrapped) {
                    b.push(index, i, end, face.width(&text[i..end], size));
                }
                i = end;
            } else {
                let end = i + rest.find([' ', '\n']).unwrap_or(rest.len());
                place_word(&mut b, index, text, i, end, face, size);
                i = end;
            }
        }
    }
    if !b.line.is_empty() {
        b.end_line(false);
    }
    b.lines
}

fn place_word(
    b: &mut Breaker,
    run: usize,
    text: &str,
    start: usize,
    end: usize,
    face: &Face,
    size: f32,
) {
    let width = face.width(&text[start..end], size);
    if b.x + width <= b.max_width {
        b.push(run, start, end, width);
        return;
    }
    if !b.line.is_empty() {
        b.end_line(true);
        if width <= b.max_width {
            b.push(run, start, end, width);
            return;
        }
    }
    // Wider than a whole line: break between characters, never before a zero-width
    // one (a combining mark stays with its letter), at least one character a line.
    for (offset, c) in text[start..end].char_indices() {
        let advance = face.advance(c) * size;
        if b.x + advance > b.max_width && !b.line.is_empty() && advance > 0.0 {
            b.end_line(true);
        }
        let at = start + offset;
        b.push(run, at, at + c.len_utf8(), advance);
    }
}

// ---------------------------------------------------------------------------------------
// Structure tree with slots

const ROOT: usize = 0;

enum Child {
    Node(usize),
    Slot(usize),
}

struct TagNode {
    kind: Option<TagKind>,
    children: Vec<Child>,
    /// Kept even without content, so every row of a table has all its cells.
    keep_empty: bool,
}

struct Tree {
    nodes: Vec<TagNode>,
    slots: usize,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            nodes: vec![TagNode {
                kind: None,
                children: Vec::new(),
                keep_empty: false,
            }],
            slots: 0,
        }
    }

    fn add(&mut self, parent: usize, kind: impl Into<TagKind>) -> usize {
        let index = self.nodes.len();
        self.nodes.push(TagNode {
            kind: Some(kind.into()),
            children: Vec::new(),
            keep_empty: false,
        });
        self.nodes[parent].children.push(Child::Node(index));
        index
    }

    fn slot(&mut self, parent: usize) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.nodes[parent].children.push(Child::Slot(slot));
        slot
    }

    fn into_tag_tree(mut self, ids: &[Option<Identifier>], lang: &str) -> TagTree {
        let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
        for child in std::mem::take(&mut self.nodes[ROOT].children) {
            if let Some(node) = self.build(child, ids) {
                tree.push(node);
            }
        }
        tree
    }

    fn build(&mut self, child: Child, ids: &[Option<Identifier>]) -> Option<Node> {
        match child {
            Child::Slot(slot) => ids.get(slot).copied().flatten().map(Node::Leaf),
            Child::Node(index) => {
                let children: Vec<Node> = std::mem::take(&mut self.nodes[index].children)
                    .into_iter()
                    .filter_map(|c| self.build(c, ids))
                    .collect();
                let node = &mut self.nodes[index];
                if children.is_empty() && !node.keep_empty {
                    return None;
                }
                let kind = node.kind.take()?;
                Some(Node::Group(TagGroup::with_children(kind, children)))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Layout

enum Mark {
    Slot(usize),
    Artifact(ArtifactType),
}

enum Op {
    Text {
        x: f32,
        baseline: f32,
        face: FaceId,
        size: f32,
        colour: Color,
        text: String,
        mark: Mark,
    },
    /// Rules and underlines, drawn as layout artifacts.
    Rects { rects: Vec<Rect>, colour: Color },
}

struct LinkArea {
    rect: Rect,
    target: Resolved,
    alt: String,
    slot: usize,
}

#[derive(Default)]
struct PageContent {
    ops: Vec<Op>,
    links: Vec<LinkArea>,
}

struct OutlineEntry {
    level: u8,
    text: String,
    page: usize,
    y: f32,
}

struct Layout<'a> {
    fonts: &'a Fonts,
    anchors: &'a Anchors,
    pages: Vec<PageContent>,
    y: f32,
    page_empty: bool,
    tree: Tree,
    outline: Vec<OutlineEntry>,
    /// Where each anchor's heading starts: page index and y.
    positions: HashMap<String, (usize, f32)>,
}

/// Where a block's inline content goes in the tree: Strong and Link runs get their own
/// element, made when their first piece is drawn so the reading order holds.
struct InlineParents {
    block: usize,
    groups: Vec<Option<usize>>,
}

impl InlineParents {
    fn new(block: usize, runs: usize) -> InlineParents {
        InlineParents {
            block,
            groups: vec![None; runs],
        }
    }
}

/// A cell laid out for drawing, possibly over several pages.
struct Cell {
    runs: Vec<Run>,
    lines: Vec<Line>,
    face: FaceId,
    node: usize,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts, anchors: &'a Anchors) -> Layout<'a> {
        Layout {
            fonts,
            anchors,
            pages: vec![PageContent::default()],
            y: TOP,
            page_empty: true,
            tree: Tree::new(),
            outline: Vec::new(),
            positions: HashMap::new(),
        }
    }

    fn page(&mut self) -> &mut PageContent {
        // There is always a current page: `new` creates the first.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    fn new_page(&mut self) {
        self.pages.push(PageContent::default());
        self.y = TOP;
        self.page_empty = true;
    }

    /// Moves to a new page unless `height` fits below the current position (or the page
    /// is still empty, when moving would not help).
    fn ensure_space(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.page_empty {
            self.new_page();
        }
    }

    fn gap(&mut self, height: f32) {
        if !self.page_empty {
            self.y += height;
        }
    }

    fn block(&mut self, block: &Block, index: usize) {
        match block {
            Block::Heading { level, text, .. } => {
                let id = self.anchors.heading_id(index).map(str::to_owned);
                self.heading(heading_level(*level), text, id);
            }
            Block::Paragraph(inlines) => {
                let runs = runs(inlines, self.anchors);
                let lines = break_lines(&runs, self.fonts, BODY.size, CONTENT_WIDTH);
                let node = self.tree.add(ROOT, Tag::P);
                self.flow(&lines, &runs, node, MARGIN, BODY);
                self.gap(PARAGRAPH_GAP);
            }
            Block::BulletList(items) => self.bullet_list(items),
            Block::Table(table) => self.table(table),
            Block::SummaryList(rows) => self.summary_list(rows),
            Block::PageBreak => {
                if !self.page_empty {
                    self.new_page();
                }
            }
        }
    }

    fn heading(&mut self, level: u8, text: &str, anchor: Option<String>) {
        let (style, before, after) = match level {
            1 => (TextStyle::new(22.0, 1.2), 14.0, 10.0),
            2 => (TextStyle::new(16.0, 1.25), 14.0, 6.0),
            _ => (TextStyle::new(13.0, 1.3), 10.0, 4.0),
        };
        let runs = [Run::new(text, FaceId::Bold)];
        let lines = break_lines(&runs, self.fonts, style.size, CONTENT_WIDTH);
        let height = lines.len() as f32 * style.line_height;
        // Keep the heading with at least two lines of what follows.
        self.ensure_space(before + height + 2.0 * BODY.line_height);
        self.gap(before);
        if let Some(anchor) = anchor {
            self.positions.insert(anchor, (self.page_index(), self.y));
        }
        let label = truncate_chars(&one_line(text), MAX_LABEL_CHARS).to_string();
        if label.is_empty() {
            // PDF/UA wants a title on every heading, and there is nothing to read.
            return;
        }
        self.outline.push(OutlineEntry {
            level,
            text: label.clone(),
            page: self.page_index(),
            y: self.y,
        });
        let level = NonZeroU16::new(u16::from(level)).unwrap_or(NonZeroU16::MIN);
        let node = self.tree.add(ROOT, Tag::Hn(level, Some(label)));
        self.flow(&lines, &runs, node, MARGIN, style);
        self.y += after;
    }

    /// Draws laid-out lines at `x` down the page, moving to a new page between lines
    /// when one does not fit.
    fn flow(&mut self, lines: &[Line], runs: &[Run], node: usize, x: f32, style: TextStyle) {
        let mut parents = InlineParents::new(node, runs.len());
        for line in lines {
            self.ensure_space(style.line_height);
            let at = (x, self.y);
            self.draw_line(line, runs, &mut parents, at, style, LineMark::Content);
            self.y += style.line_height;
        }
    }

    fn bullet_list(&mut self, items: &[Vec<Inline>]) {
        if items.is_empty() {
            return;
        }
        let list = self.tree.add(ROOT, Tag::L(ListNumbering::Disc));
        for item in items {
            let li = self.tree.add(list, Tag::LI);
            let label = self.tree.add(li, Tag::Lbl);
            let body = self.tree.add(li, Tag::LBody);
            let runs = runs(item, self.anchors);
            let lines = break_lines(&runs, self.fonts, BODY.size, CONTENT_WIDTH - LIST_INDENT);
            self.ensure_space(BODY.line_height);
            let baseline = self.y + self.fonts.regular.baseline_offset(BODY);
            let slot = self.tree.slot(label);
            self.page().ops.push(Op::Text {
                x: MARGIN + 5.0,
                baseline,
                face: FaceId::Regular,
                size: BODY.size,
                colour: TEXT_COLOUR,
                text: "\u{2022}".into(),
                mark: Mark::Slot(slot),
            });
            self.page_empty = false;
            // The first line fits: room for it was made above, beside the bullet.
            self.flow(&lines, &runs, body, MARGIN + LIST_INDENT, BODY);
            if lines.is_empty() {
                self.y += BODY.line_height;
            }
            self.y += LIST_ITEM_GAP;
        }
        self.gap(PARAGRAPH_GAP - LIST_ITEM_GAP);
    }

    fn table(&mut self, table: &DocTable) {
        let columns = table.column_count();
        let node = self.tree.add(ROOT, Tag::Table);
        if !table.caption.is_empty() {
            let runs = [Run::new(&table.caption, FaceId::Bold)];
            let lines = break_lines(&runs, self.fonts, BODY.size, CONTENT_WIDTH);
            // Keep the caption with the header and the first row.
            let header_lines = table
                .header
                .iter()
                .map(|h| h.lines().count())
                .max()
                .unwrap_or(0);
            let rows_height = if columns == 0 {
                0.0
            } else {
                (header_lines as f32 + 1.0) * TABLE_TEXT.line_height + 4.0 * CELL_PADDING
            };
            self.ensure_space(lines.len() as f32 * BODY.line_height + rows_height);
            let caption = self.tree.add(node, Tag::Caption);
            self.flow(&lines, &runs, caption, MARGIN, BODY);
            self.y += 4.0;
        }
        if columns == 0 {
            self.gap(PARAGRAPH_GAP);
            return;
        }
        let widths: Vec<f32> = table
            .column_fractions()
            .iter()
            .map(|f| f * CONTENT_WIDTH)
            .collect();
        let header = if table.header.is_empty() {
            None
        } else {
            let head = self.tree.add(node, Tag::THead);
            let row = self.tree.add(head, Tag::TR);
            let cells = (0..columns)
                .map(|c| {
                    let text = table.header.get(c).map_or("", String::as_str);
                    let cell = self.tree.add(row, Tag::TH(TableHeaderScope::Column));
                    self.cell(vec![Run::new(text, FaceId::Bold)], widths[c], cell)
                })
                .collect();
            Some(cells)
        };
        let body = self.tree.add(node, Tag::TBody);
        let mut grid = Grid::new(widths.clone(), true, header);
        grid.start(self);
        for row in &table.rows {
            let tr = self.tree.add(body, Tag::TR);
            let cells = (0..columns)
                .map(|c| {
                    let runs = row
                        .get(c)
                        .map_or_else(Vec::new, |cell| runs(cell, self.anchors));
                    let cell = self.tree.add(tr, Tag::TD);
                    self.cell(runs, widths[c], cell)
                })
                .collect();
            grid.row(self, cells);
        }
        self.gap(PARAGRAPH_GAP + 4.0);
    }

    fn summary_list(&mut self, rows: &[(String, Vec<Inline>)]) {
        if rows.is_empty() {
            return;
        }
        let widths = vec![0.35 * CONTENT_WIDTH, 0.65 * CONTENT_WIDTH];
        let node = self.tree.add(ROOT, Tag::Table);
        let body = self.tree.add(node, Tag::TBody);
        let mut grid = Grid::new(widths.clone(), false, None);
        grid.start(self);
        for (key, value) in rows {
            let tr = self.tree.add(body, Tag::TR);
            let key_cell = self.tree.add(tr, Tag::TH(TableHeaderScope::Row));
            let value_cell = self.tree.add(tr, Tag::TD);
            let cells = vec![
                self.cell(vec![Run::new(key, FaceId::Bold)], widths[0], key_cell),
                self.cell(runs(value, self.anchors), widths[1], value_cell),
            ];
            grid.row(self, cells);
        }
        self.gap(PARAGRAPH_GAP + 4.0);
    }

    fn cell(&mut self, runs: Vec<Run>, width: f32, node: usize) -> Cell {
        self.tree.nodes[node].keep_empty = true;
        let face = runs.first().map_or(FaceId::Regular, |r| r.face);
        let lines = break_lines(
            &runs,
            self.fonts,
            TABLE_TEXT.size,
            width - 2.0 * CELL_PADDING,
        );
        Cell {
            runs,
            lines,
            face,
            node,
        }
    }

    /// Draws one laid-out line whose box starts at `top`. Content goes into the tree
    /// (`Mark::Content`) or, for repeated table headers, is marked as an artifact.
    fn draw_line(
        &mut self,
        line: &Line,
        runs: &[Run],
        parents: &mut InlineParents,
        (x, top): (f32, f32),
        style: TextStyle,
        mark: LineMark,
    ) {
        self.page_empty = false;
        for piece in line {
            let run = &runs[piece.run];
            let face = self.fonts.face(run.face);
            let baseline = top + face.baseline_offset(style);
            let text = run.text[piece.start..piece.end].to_string();
            let visible = !text.trim().is_empty() && piece.width > 0.0;
            let link = match &run.kind {
                RunKind::Link(target) => Some(target.clone()),
                _ => None,
            };
            let colour = if link.is_some() {
                LINK_COLOUR
            } else {
                TEXT_COLOUR
            };
            let op_mark = match mark {
                LineMark::Artifact => Mark::Artifact(ArtifactType::PaginationOther),
                LineMark::Content => {
                    let parent = self.inline_parent(parents, piece.run, &run.kind);
                    if let (Some(target), true) = (&link, visible) {
                        if let Some(rect) =
                            Rect::from_xywh(x + piece.x, top, piece.width, style.line_height)
                        {
                            let slot = self.tree.slot(parent);
                            let alt =
                                truncate_chars(&one_line(&run.text), MAX_LABEL_CHARS).to_string();
                            self.page().links.push(LinkArea {
                                rect,
                                target: target.clone(),
                                alt,
                                slot,
                            });
                        }
                    }
                    Mark::Slot(self.tree.slot(parent))
                }
            };
            if link.is_some() && visible {
                let thickness = (style.size / 16.0).max(0.5);
                if let Some(underline) = Rect::from_xywh(
                    x + piece.x,
                    baseline + style.size * 0.12,
                    piece.width,
                    thickness,
                ) {
                    self.page().ops.push(Op::Rects {
                        rects: vec![underline],
                        colour,
                    });
                }
            }
            self.page().ops.push(Op::Text {
                x: x + piece.x,
                baseline,
                face: run.face,
                size: style.size,
                colour,
                text,
                mark: op_mark,
            });
        }
    }

    fn inline_parent(&mut self, parents: &mut InlineParents, run: usize, kind: &RunKind) -> usize {
        if let Some(Some(node)) = parents.groups.get(run) {
            return *node;
        }
        let node = match kind {
            RunKind::Plain => return parents.block,
            RunKind::Strong => self.tree.add(parents.block, Tag::Strong),
            RunKind::Link(_) => self.tree.add(parents.block, Tag::Link),
        };
        if let Some(group) = parents.groups.get_mut(run) {
            *group = Some(node);
        }
        node
    }
}

#[derive(Clone, Copy)]
enum LineMark {
    Content,
    Artifact,
}

/// Rows of cells drawn down the page: rows split between lines when they must, the
/// header row repeated (as an artifact) on each page the table continues on.
struct Grid {
    widths: Vec<f32>,
    ruled: bool,
    header: Option<Vec<Cell>>,
    header_height: f32,
    /// Whether a body row has been drawn on the current page.
    rows_on_page: bool,
    /// Page and y of the last band's bottom rule, so the next band does not draw a
    /// second rule on top of it.
    last_bottom: Option<(usize, f32)>,
}

impl Grid {
    fn new(widths: Vec<f32>, ruled: bool, header: Option<Vec<Cell>>) -> Grid {
        let header_height = header
            .as_ref()
            .map_or(0.0, |cells| row_height(cells, &vec![0; cells.len()]));
        Grid {
            widths,
            ruled,
            header,
            header_height,
            rows_on_page: false,
            last_bottom: None,
        }
    }

    /// The header is repeated only when it leaves most of the page for rows.
    fn repeats_header(&self) -> bool {
        self.header.is_some() && self.header_height <= (BOTTOM - TOP) / 3.0
    }

    fn start(&mut self, layout: &mut Layout) {
        if let Some(mut cells) = self.header.take() {
            // Keep the header with the first row.
            layout.ensure_space(self.header_height + TABLE_TEXT.line_height + 2.0 * CELL_PADDING);
            self.draw_header(layout, &mut cells, LineMark::Content);
            self.header = Some(cells);
        }
        self.rows_on_page = false;
    }

    fn draw_header(&mut self, layout: &mut Layout, cells: &mut [Cell], mark: LineMark) {
        let mut next = vec![0; cells.len()];
        let band = Band {
            max_lines: usize::MAX,
            mark,
            first: true,
            header: true,
        };
        self.segment(layout, cells, &mut next, band);
    }

    fn continue_on_new_page(&mut self, layout: &mut Layout) {
        layout.new_page();
        self.rows_on_page = false;
        if self.repeats_header() {
            if let Some(mut cells) = self.header.take() {
                self.draw_header(layout, &mut cells, LineMark::Artifact);
                self.header = Some(cells);
            }
        }
    }

    fn row(&mut self, layout: &mut Layout, mut cells: Vec<Cell>) {
        let mut next = vec![0; cells.len()];
        let mut first = true;
        let capacity = BOTTOM
            - TOP
            - if self.repeats_header() {
                self.header_height
            } else {
                0.0
            };
        loop {
            let needed = row_height(&cells, &next);
            let available = BOTTOM - layout.y;
            let mut band = Band {
                max_lines: usize::MAX,
                mark: LineMark::Content,
                first,
                header: false,
            };
            if needed <= available {
                self.segment(layout, &mut cells, &mut next, band);
                return;
            }
            if self.rows_on_page && needed <= capacity {
                self.continue_on_new_page(layout);
                continue;
            }
            // Taller than any page could hold, or the page holds nothing but the
            // header: split the row between lines.
            let fit = ((available - 2.0 * CELL_PADDING) / TABLE_TEXT.line_height).floor();
            if fit < 1.0 {
                if !self.rows_on_page && layout.page_empty {
                    // Not reachable with these page and text sizes; draw, never loop.
                    self.segment(layout, &mut cells, &mut next, band);
                    return;
                }
                self.continue_on_new_page(layout);
                continue;
            }
            band.max_lines = fit as usize;
            self.segment(layout, &mut cells, &mut next, band);
            first = false;
            self.continue_on_new_page(layout);
        }
    }

    /// Draws up to `band.max_lines` further lines of every cell as one band of a row.
    fn segment(&mut self, layout: &mut Layout, cells: &mut [Cell], next: &mut [usize], band: Band) {
        let top = layout.y;
        let mut lines_drawn = 0;
        let mut x = MARGIN;
        for (c, cell) in cells.iter_mut().enumerate() {
            let width = self.widths.get(c).copied().unwrap_or(0.0);
            let start = next[c];
            let end = cell.lines.len().min(start.saturating_add(band.max_lines));
            if band.first && cell.lines.is_empty() && matches!(band.mark, LineMark::Content) {
                // An empty cell still gets its element, so every row keeps its shape.
                let slot = layout.tree.slot(cell.node);
                let op = Op::Text {
                    x,
                    baseline: top,
                    face: cell.face,
                    size: TABLE_TEXT.size,
                    colour: TEXT_COLOUR,
                    text: String::new(),
                    mark: Mark::Slot(slot),
                };
                layout.page().ops.push(op);
            }
            let mut parents = InlineParents::new(cell.node, cell.runs.len());
            for (i, line) in cell.lines[start..end].iter().enumerate() {
                let line_top = top + CELL_PADDING + i as f32 * TABLE_TEXT.line_height;
                let at = (x + CELL_PADDING, line_top);
                layout.draw_line(line, &cell.runs, &mut parents, at, TABLE_TEXT, band.mark);
            }
            lines_drawn = lines_drawn.max(end - start);
            next[c] = end;
            x += width;
        }
        let height = 2.0 * CELL_PADDING + lines_drawn.max(1) as f32 * TABLE_TEXT.line_height;
        self.rules(layout, top, height, band.header);
        layout.y = top + height;
        layout.page_empty = false;
        if !band.header {
            self.rows_on_page = true;
        }
    }

    fn rules(&mut self, layout: &mut Layout, top: f32, height: f32, header: bool) {
        let width: f32 = self.widths.iter().sum();
        let bottom = if header { HEADER_RULE } else { RULE };
        let mut rects = Vec::new();
        rects.extend(Rect::from_xywh(
            MARGIN,
            top + height - bottom,
            width,
            bottom,
        ));
        let continues = self.last_bottom == Some((layout.page_index(), top));
        self.last_bottom = Some((layout.page_index(), top + height));
        if self.ruled {
            if !continues {
                rects.extend(Rect::from_xywh(MARGIN, top, width, RULE));
            }
            let mut x = MARGIN;
            rects.extend(Rect::from_xywh(x, top, RULE, height));
            for w in &self.widths {
                x += w;
                rects.extend(Rect::from_xywh(x - RULE, top, RULE, height));
            }
        }
        layout.page().ops.push(Op::Rects {
            rects,
            colour: RULE_COLOUR,
        });
    }
}

/// What one band of a row draws.
#[derive(Clone, Copy)]
struct Band {
    max_lines: usize,
    mark: LineMark,
    /// The first band of its row: empty cells get their element here.
    first: bool,
    header: bool,
}

/// The height of the rest of a row: its tallest remaining cell.
fn row_height(cells: &[Cell], next: &[usize]) -> f32 {
    let lines = cells
        .iter()
        .zip(next)
        .map(|(cell, start)| cell.lines.len().saturating_sub(*start))
        .max()
        .unwrap_or(0)
        .max(1);
    2.0 * CELL_PADDING + lines as f32 * TABLE_TEXT.line_height
}

// ---------------------------------------------------------------------------------------
// Drawing with krilla

fn render(doc: &Document, layout: Layout) -> Result<Vec<u8>, DocumentError> {
    let Layout {
        fonts,
        pages,
        tree,
        outline,
        positions,
        ..
    } = layout;
    let title = title(doc);
    let lang = language(doc).to_string();
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut document = krilla::Document::new_with(settings);
    let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| DocumentError::Pdf("invalid page size".into()))?;
    let destination = |page: usize, y: f32| XyzDestination::new(page, Point::from_xy(MARGIN, y));

    let mut ids: Vec<Option<Identifier>> = vec![None; tree.slots];
    let count = pages.len();
    for (index, content) in pages.iter().enumerate() {
        let mut page = document.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        for op in &content.ops {
            draw(&mut surface, fonts, op, &mut ids);
        }
        footer(&mut surface, fonts, &title, index + 1, count);
        surface.finish();
        for link in &content.links {
            let target = match &link.target {
                Resolved::Internal(anchor) => match positions.get(anchor) {
                    Some(&(page, y)) => Target::Destination(Destination::Xyz(destination(page, y))),
                    None => continue,
                },
                Resolved::External(url) => {
                    Target::Action(Action::Link(LinkAction::new(url.clone())))
                }
            };
            let annotation = Annotation::new_link(
                LinkAnnotation::new(link.rect, target),
                Some(link.alt.clone()),
            );
            if let Some(slot) = ids.get_mut(link.slot) {
                *slot = Some(page.add_tagged_annotation(annotation));
            }
        }
        page.finish();
    }

    // Named destinations let a URL such as report.pdf#nameddest=Leadership open there.
    for (anchor, &(page, y)) in &positions {
        let _ = document.register_named_destination(NamedDestination::new(
            anchor.clone(),
            destination(page, y),
        ));
    }
    document.set_outline(build_outline(&outline, &title, destination));
    let mut metadata = Metadata::new()
        .title(title.clone())
        .language(lang.clone())
        .creator("ilacs".to_string());
    if let Some(author) = doc
        .author
        .as_deref()
        .map(one_line)
        .filter(|a| !a.is_empty())
    {
        metadata = metadata.authors(vec![author]);
    }
    if let Some(subject) = doc
        .subject
        .as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty())
    {
        metadata = metadata.description(subject);
    }
    document.set_metadata(metadata);
    document.set_tag_tree(tree.into_tag_tree(&ids, &lang));
    document.finish().map_err(describe)
}

fn draw(surface: &mut Surface, fonts: &Fonts, op: &Op, ids: &mut [Option<Identifier>]) {
    match op {
        Op::Text {
            x,
            baseline,
            face,
            size,
            colour,
            text,
            mark,
        } => {
            let tag = match mark {
                Mark::Slot(_) => ContentTag::Span(SpanTag::empty()),
                Mark::Artifact(kind) => ContentTag::Artifact(Artifact::with_kind(*kind)),
            };
            let id = surface.start_tagged(tag);
            let face = fonts.face(*face);
            let glyphs = face.glyphs(text);
            if !glyphs.is_empty() {
                surface.set_fill(Some(fill(*colour)));
                surface.draw_glyphs(
                    Point::from_xy(*x, *baseline),
                    &glyphs,
                    face.font.clone(),
                    text,
                    *size,
                    false,
                );
            }
            surface.end_tagged();
            if let Mark::Slot(slot) = mark {
                if let Some(entry) = ids.get_mut(*slot) {
                    *entry = Some(id);
                }
            }
        }
        Op::Rects { rects, colour } => {
            let mut path = PathBuilder::new();
            for rect in rects {
                path.push_rect(*rect);
            }
            if let Some(path) = path.finish() {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::Layout,
                )));
                surface.set_fill(Some(fill(*colour)));
                surface.draw_path(&path);
                surface.end_tagged();
            }
        }
    }
}

fn fill((r, g, b): Color) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// The title on the left and "Page n of m" on the right, both artifacts: a screen
/// reader announces pages itself.
fn footer(surface: &mut Surface, fonts: &Fonts, title: &str, page: usize, count: usize) {
    let face = &fonts.regular;
    let number = format!("Page {page} of {count}");
    let number_width = face.width(&number, FOOTER.size);
    let room = CONTENT_WIDTH - number_width - 24.0;
    let title = fit(face, title, FOOTER.size, room);
    for (text, x, kind) in [
        (title, MARGIN, ArtifactType::Footer),
        (
            number,
            MARGIN + CONTENT_WIDTH - number_width,
            ArtifactType::PageNumber,
        ),
    ] {
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
        let glyphs = face.glyphs(&text);
        if !glyphs.is_empty() {
            surface.set_fill(Some(fill(FOOTER_COLOUR)));
            surface.draw_glyphs(
                Point::from_xy(x, FOOTER_BASELINE),
                &glyphs,
                face.font.clone(),
                &text,
                FOOTER.size,
                false,
            );
        }
        surface.end_tagged();
    }
}

/// `text` cut with an ellipsis to fit `width`.
fn fit(face: &Face, text: &str, size: f32, width: f32) -> String {
    if face.width(text, size) <= width {
        return text.to_string();
    }
    let budget = width - face.width("\u{2026}", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += face.advance(c) * size;
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('\u{2026}');
    out
}

/// Bookmarks nested by heading level; a document without headings gets one bookmark,
/// its title, since PDF/UA asks for an outline.
fn build_outline(
    entries: &[OutlineEntry],
    title: &str,
    destination: impl Fn(usize, f32) -> XyzDestination,
) -> Outline {
    let mut outline = Outline::new();
    if entries.is_empty() {
        outline.push_child(OutlineNode::new(title.to_string(), destination(0, TOP)));
        return outline;
    }
    let mut roots = Vec::new();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&top| entries[top].level >= entry.level)
        {
            stack.pop();
        }
        match stack.last() {
            Some(&parent) => children[parent].push(i),
            None => roots.push(i),
        }
        stack.push(i);
    }
    for root in roots {
        outline.push_child(outline_node(root, entries, &children, &destination));
    }
    outline
}

fn outline_node(
    i: usize,
    entries: &[OutlineEntry],
    children: &[Vec<usize>],
    destination: &dyn Fn(usize, f32) -> XyzDestination,
) -> OutlineNode {
    let entry = &entries[i];
    let mut node =
        OutlineNode::new(entry.text.clone(), destination(entry.page, entry.y)).with_open(true);
    for &child in &children[i] {
        node.push_child(outline_node(child, entries, children, destination));
    }
    node
}

fn describe(error: KrillaError) -> DocumentError {
    match error {
        KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(e, _)| format!("{e:?}")).collect();
            DocumentError::Pdf(format!("PDF/UA-1 validation failed: {}", list.join("; ")))
        }
        other => DocumentError::Pdf(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, width: f32) -> Vec<String> {
        let fonts = fonts().unwrap();
        let runs = [Run::new(text, FaceId::Regular)];
        break_lines(&runs, fonts, BODY.size, width)
            .iter()
            .map(|line| line.iter().map(|p| &runs[0].text[p.start..p.end]).collect())
            .collect()
    }

    #[test]
    fn fonts_load_and_missing_characters_get_a_box() {
        let fonts = fonts().unwrap();
        assert_eq!(fonts.regular.glyph('\u{1F600}'), fonts.regular.fallback);
        assert!(fonts.regular.glyph('\u{1F600}').is_some());
        assert!(fonts.regular.fallback.is_some());
        assert!(
            fonts.regular.glyph('\u{E0001}').is_none(),
            "tags draw nothing"
        );
        assert!(fonts.bold.width("Heading", 10.0) > fonts.regular.width("Heading", 10.0));
    }

    #[test]
    fn lines_break_at_spaces_and_keep_them() {
        let lines = lines_of("one two three four five six seven", 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.concat(), "one two three four five six seven");
        let fonts = fonts().unwrap();
        for line in &lines {
            assert!(
                fonts.regular.width(line.trim_end(), BODY.size) <= 60.0,
                "{line:?}"
            );
        }
    }

    #[test]
    fn long_words_break_between_characters() {
        let word = "x".repeat(200);
        let lines = lines_of(&word, 50.0);
        assert!(lines.len() > 3);
        assert_eq!(lines.concat(), word);
        // Even a column narrower than one letter takes a letter a line.
        assert_eq!(lines_of("abc", 0.1), ["a", "b", "c"]);
    }

    #[test]
    fn breaks_and_spaces() {
        assert_eq!(lines_of("a\n\nb", 100.0), ["a", "", "b"]);
        assert_eq!(lines_of("  indented", 500.0), ["  indented"]);
        assert!(lines_of("", 100.0).is_empty());
        // Spaces that end a full line stay on it; the next line starts with the word.
        let lines = lines_of("aaaa     bbbb", 30.0);
        assert_eq!(lines, ["aaaa     ", "bbbb"]);
    }
}
