//! WordprocessingML written by hand: a handful of parts, styles Word and LibreOffice know
//! by their built-in names (so the navigation pane, a table of contents and screen
//! readers see real headings), A4 with 2 cm margins, and a page-number footer.
//!
//! Word rejects a file whose elements appear out of the schema's order, so the order of
//! child elements below follows ECMA-376 exactly.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{
    clean, heading_level, language, one_line, title, Anchors, Block, DocTable, Document,
    DocumentError, Inline, Resolved,
};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// 2 cm.
const MARGIN: u32 = 1134;
const CONTENT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
/// Relationship ids below this are the fixed parts; hyperlinks are numbered from here.
const FIRST_LINK_REL: usize = 10;

/// The document as a Word (.docx) file.
pub fn to_docx(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    let mut body = Body {
        anchors: Anchors::new(doc),
        out: String::with_capacity(8192),
        links: Vec::new(),
        link_ids: HashMap::new(),
        next_bookmark: 0,
    };
    for (index, block) in doc.blocks.iter().enumerate() {
        body.block(block, index);
    }
    // Word expects the body to end with a paragraph (a final table needs one after it).
    if !matches!(
        doc.blocks.last(),
        Some(Block::Paragraph(_) | Block::Heading { .. })
    ) {
        body.out.push_str("<w:p/>");
    }

    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core_properties(doc)),
        ("docProps/app.xml", app_properties()),
        ("word/document.xml", document_xml(&body.out)),
        ("word/_rels/document.xml.rels", document_rels(&body.links)),
        ("word/styles.xml", styles(language(doc))),
        ("word/numbering.xml", numbering()),
        ("word/settings.xml", settings()),
        ("word/footer1.xml", footer()),
    ];
    write_zip(&parts).map_err(|e| DocumentError::Docx(Box::new(e)))
}

fn write_zip(parts: &[(&str, String)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // No timestamp is set, so the same document always gives the same bytes.
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

struct Body {
    anchors: Anchors,
    out: String,
    /// External link targets, in relationship order.
    links: Vec<String>,
    link_ids: HashMap<String, usize>,
    next_bookmark: u32,
}

impl Body {
    fn block(&mut self, block: &Block, index: usize) {
        match block {
            Block::Heading { level, text, .. } => {
                let _ = write!(
                    self.out,
                    "<w:p><w:pPr><w:pStyle w:val=\"Heading{}\"/></w:pPr>",
                    heading_level(*level)
                );
                let bookmark = self.anchors.heading_id(index).map(str::to_owned);
                if let Some(name) = &bookmark {
                    let _ = write!(
                        self.out,
                        "<w:bookmarkStart w:id=\"{}\" w:name=\"{name}\"/>",
                        self.next_bookmark
                    );
                }
                run(&mut self.out, text, RunStyle::Plain);
                if bookmark.is_some() {
                    let _ = write!(self.out, "<w:bookmarkEnd w:id=\"{}\"/>", self.next_bookmark);
                    self.next_bookmark += 1;
                }
                self.out.push_str("</w:p>");
            }
            Block::Paragraph(inlines) => {
                self.out.push_str("<w:p>");
                self.inlines(inlines, false);
                self.out.push_str("</w:p>");
            }
            Block::BulletList(items) => {
                for item in items {
                    self.out.push_str(
                        "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/>\
                         <w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>",
                    );
                    self.inlines(item, false);
                    self.out.push_str("</w:p>");
                }
            }
            Block::Table(table) => self.table(table),
            Block::SummaryList(rows) => self.summary_list(rows),
            Block::PageBreak => self
                .out
                .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
        }
    }

    fn inlines(&mut self, inlines: &[Inline], bold: bool) {
        let plain = if bold {
            RunStyle::Bold
        } else {
            RunStyle::Plain
        };
        for inline in inlines {
            match inline {
                Inline::Text(text) => run(&mut self.out, text, plain),
                Inline::Strong(text) => run(&mut self.out, text, RunStyle::Bold),
                Inline::Link { text, target } => match self.anchors.resolve(target) {
                    Some(Resolved::Internal(anchor)) => {
                        let _ = write!(
                            self.out,
                            "<w:hyperlink w:anchor=\"{anchor}\" w:history=\"1\">"
                        );
                        run(&mut self.out, text, RunStyle::Link);
                        self.out.push_str("</w:hyperlink>");
                    }
                    Some(Resolved::External(url)) => {
                        let id = self.link_rel(url);
                        let _ = write!(self.out, "<w:hyperlink r:id=\"rId{id}\" w:history=\"1\">");
                        run(&mut self.out, text, RunStyle::Link);
                        self.out.push_str("</w:hyperlink>");
                    }
                    None => run(&mut self.out, text, plain),
                },
            }
        }
    }

    fn link_rel(&mut self, url: String) -> usize {
        if let Some(id) = self.link_ids.get(&url) {
            return *id;
        }
        let id = FIRST_LINK_REL + self.links.len();
        self.links.push(url.clone());
        self.link_ids.insert(url, id);
        id
    }

    fn table(&mut self, table: &DocTable) {
        if !table.caption.is_empty() {
            // Word's convention: the caption is a paragraph kept with the table below it.
            self.out
                .push_str("<w:p><w:pPr><w:pStyle w:val=\"Caption\"/><w:keepNext/></w:pPr>");
            run(&mut self.out, &table.caption, RunStyle::Plain);
            self.out.push_str("</w:p>");
        }
        let columns = table.column_count();
        if columns == 0 {
            return;
        }
        let widths = twips(&table.column_fractions());
        self.table_start(&widths, &table.caption);
        if !table.header.is_empty() {
            // tblHeader repeats the row at the top of each page; cantSplit keeps it whole.
            self.out
                .push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
            for (column, width) in widths.iter().enumerate() {
                self.cell_start(*width);
                if let Some(text) = table.header.get(column) {
                    run(&mut self.out, text, RunStyle::Bold);
                }
                self.out.push_str("</w:p></w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        for row in &table.rows {
            self.out.push_str("<w:tr>");
            for (column, width) in widths.iter().enumerate() {
                self.cell_start(*width);
                if let Some(cell) = row.get(column) {
                    self.inlines(cell, false);
                }
                self.out.push_str("</w:p></w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
    }

    fn summary_list(&mut self, rows: &[(String, Vec<Inline>)]) {
        if rows.is_empty() {
            return;
        }
        let widths = twips(&[0.35, 0.65]);
        self.table_start(&widths, "");
        for (key, value) in rows {
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            self.cell_start(widths[0]);
            run(&mut self.out, key, RunStyle::Bold);
            self.out.push_str("</w:p></w:tc>");
            self.cell_start(widths[1]);
            self.inlines(value, false);
            self.out.push_str("</w:p></w:tc></w:tr>");
        }
        self.out.push_str("</w:tbl>");
    }

    fn table_start(&mut self, widths: &[u32], caption: &str) {
        self.out.push_str(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>\
             <w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/>",
        );
        let caption = one_line(caption);
        if !caption.is_empty() {
            // Word shows this as the table's alt text title.
            let _ = write!(self.out, "<w:tblCaption w:val=\"{}\"/>", escape(&caption));
        }
        self.out.push_str("</w:tblPr><w:tblGrid>");
        for width in widths {
            let _ = write!(self.out, "<w:gridCol w:w=\"{width}\"/>");
        }
        self.out.push_str("</w:tblGrid>");
    }

    fn cell_start(&mut self, width: u32) {
        let _ = write!(
            self.out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p>"
        );
    }
}

fn twips(fractions: &[f32]) -> Vec<u32> {
    fractions
        .iter()
        .map(|f| ((f * CONTENT_WIDTH as f32).round() as u32).max(1))
        .collect()
}

#[derive(Clone, Copy)]
enum RunStyle {
    Plain,
    Bold,
    Link,
}

/// One run; each `'\n'` becomes a `<w:br/>`.
fn run(out: &mut String, text: &str, style: RunStyle) {
    let text = clean(text);
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    match style {
        RunStyle::Plain => {}
        RunStyle::Bold => out.push_str("<w:rPr><w:b/><w:bCs/></w:rPr>"),
        RunStyle::Link => out.push_str("<w:rPr><w:rStyle w:val=\"Hyperlink\"/></w:rPr>"),
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        if !line.is_empty() {
            out.push_str("<w:t xml:space=\"preserve\">");
            escape_into(out, line);
            out.push_str("</w:t>");
        }
    }
    out.push_str("</w:r>");
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, &clean(text));
    out
}

/// XML escaping for text and attribute values alike.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

fn content_types() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "{XML_DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/>\
         <Override PartName=\"/word/numbering.xml\" ContentType=\"{main}.numbering+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{main}.settings+xml\"/>\
         <Override PartName=\"/word/footer1.xml\" ContentType=\"{main}.footer+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         </Types>"
    )
}

fn package_rels() -> String {
    format!(
        "{XML_DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL_TYPE}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{REL_TYPE}/extended-properties\" Target=\"docProps/app.xml\"/>\
         </Relationships>"
    )
}

fn document_rels(links: &[String]) -> String {
    let mut out = format!(
        "{XML_DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL_TYPE}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{REL_TYPE}/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{REL_TYPE}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rId4\" Type=\"{REL_TYPE}/footer\" Target=\"footer1.xml\"/>"
    );
    for (i, url) in links.iter().enumerate() {
        let _ = write!(
            out,
            "<Relationship Id=\"rId{}\" Type=\"{REL_TYPE}/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
            FIRST_LINK_REL + i,
            escape(url)
        );
    }
    out.push_str("</Relationships>");
    out
}

fn core_properties(doc: &Document) -> String {
    let mut out = format!(
        "{XML_DECLARATION}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title>",
        escape(&title(doc))
    );
    if let Some(subject) = &doc.subject {
        let _ = write!(
            out,
            "<dc:subject>{}</dc:subject>",
            escape(&one_line(subject))
        );
    }
    if let Some(author) = &doc.author {
        let _ = write!(
            out,
            "<dc:creator>{}</dc:creator>",
            escape(&one_line(author))
        );
    }
    let _ = write!(
        out,
        "<dc:language>{}</dc:language></cp:coreProperties>",
        escape(language(doc))
    );
    out
}

fn app_properties() -> String {
    format!(
        "{XML_DECLARATION}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Application>ilacs</Application><DocSecurity>0</DocSecurity></Properties>"
    )
}

fn document_xml(body: &str) -> String {
    format!(
        "{XML_DECLARATION}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>{body}\
         <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>\
         <w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\"/>\
         <w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>"
    )
}

fn footer() -> String {
    let field = |instr: &str| {
        format!(
            "<w:fldSimple w:instr=\" {instr} \"><w:r><w:rPr><w:noProof/></w:rPr>\
             <w:t>1</w:t></w:r></w:fldSimple>"
        )
    };
    format!(
        "{XML_DECLARATION}<w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr>\
         <w:pStyle w:val=\"Footer\"/><w:jc w:val=\"right\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>{}\
         <w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>{}</w:p></w:ftr>",
        field("PAGE"),
        field("NUMPAGES")
    )
}

fn styles(lang: &str) -> String {
    let heading = |level: u8, size: u8, before: u16| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\">\
             <w:name w:val=\"heading {level}\"/><w:basedOn w:val=\"Normal\"/>\
             <w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>\
             <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"160\"/>\
             <w:outlineLvl w:val=\"{}\"/></w:pPr>\
             <w:rPr><w:b/><w:bCs/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr></w:style>",
            level - 1
        )
    };
    let border = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/>")
    };
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|side| border(side))
        .collect();
    format!(
        "{XML_DECLARATION}<w:styles xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">\
         <w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Arial\" w:eastAsia=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{lang}\"/>\
         </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>\
         <w:spacing w:after=\"160\" w:line=\"276\" w:lineRule=\"auto\"/>\
         </w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"10\"/><w:qFormat/>\
         <w:pPr><w:spacing w:after=\"240\"/></w:pPr>\
         <w:rPr><w:b/><w:bCs/><w:sz w:val=\"48\"/><w:szCs w:val=\"48\"/></w:rPr></w:style>\
         {}{}{}\
         <w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"35\"/><w:qFormat/>\
         <w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"80\"/></w:pPr>\
         <w:rPr><w:b/><w:bCs/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/>\
         <w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>\
         <w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:after=\"80\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/>\
         <w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>\
         <w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
         <w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\
         <w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/>\
         <w:basedOn w:val=\"DefaultParagraphFont\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>\
         <w:rPr><w:color w:val=\"1D70B8\"/><w:u w:val=\"single\"/></w:rPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
         <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>\
         <w:basedOn w:val=\"TableNormal\"/><w:uiPriority w:val=\"59\"/>\
         <w:pPr><w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>\
         <w:tblPr><w:tblBorders>{borders}</w:tblBorders>\
         <w:tblCellMar><w:top w:w=\"57\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>",
        heading(1, 36, 360),
        heading(2, 28, 320),
        heading(3, 24, 240),
    )
}

fn numbering() -> String {
    format!(
        "{XML_DECLARATION}<w:numbering xmlns:w=\"{W_NS}\">\
         <w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>\
         <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>\
         <w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/>\
         <w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr>\
         <w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:hint=\"default\"/></w:rPr></w:lvl>\
         </w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    )
}

fn settings() -> String {
    format!(
        "{XML_DECLARATION}<w:settings xmlns:w=\"{W_NS}\"><w:zoom w:percent=\"100\"/>\
         <w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"
    )
}
