//! One standalone HTML file: inline CSS in the GOV.UK manner, no scripts, no external
//! resources, so it can be attached to an email or opened from disk. The markup is also
//! well-formed XML (void elements self-closed), which lets tests parse it strictly.

use std::fmt::Write as _;

use super::{
    clean, heading_level, language, one_line, title, Anchors, Block, DocTable, Document, Inline,
    Resolved,
};

const CSS: &str = "\
body{font-family:Arial,Helvetica,sans-serif;font-size:1.1875rem;line-height:1.3;color:#0b0c0c;background:#fff;margin:0 auto;padding:1.25rem;max-width:40em;overflow-wrap:anywhere}
h1{font-size:2rem;line-height:1.1;margin:0 0 1.25rem}
h2{font-size:1.5rem;line-height:1.15;margin:2rem 0 1rem}
h3{font-size:1.1875rem;line-height:1.3;margin:1.5rem 0 0.75rem}
p,ul,dl,table{margin:0 0 1.25rem}
ul{padding-left:1.25rem}
li{margin-bottom:0.3rem}
a{color:#1d70b8;text-decoration:underline;text-underline-offset:0.1em}
a:visited{color:#4c2c92}
a:focus{outline:3px solid transparent;color:#0b0c0c;background:#fd0;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}
table{border-collapse:collapse;width:100%}
caption{font-weight:700;font-size:1.1875rem;text-align:left;padding-bottom:0.5rem}
th,td{border:1px solid #b1b4b6;padding:0.5rem;text-align:left;vertical-align:top}
thead th{border-bottom-width:2px}
dl.summary-list{margin:0 0 1.25rem}
dl.summary-list>div{display:flex;flex-wrap:wrap;border-bottom:1px solid #b1b4b6;padding:0.5rem 0}
dl.summary-list dt{font-weight:700;flex:0 0 35%;margin:0;padding-right:1rem}
dl.summary-list dd{flex:1 1 55%;margin:0}
.page-break{break-after:page}
@page{size:A4;margin:2cm}
@media print{body{font-size:11pt;max-width:none;padding:0;color:#000}a{color:#000}a[href^=\"http\"]::after{content:\" (\" attr(href) \")\"}h1,h2,h3,caption{break-after:avoid}tr,li,dl.summary-list>div{break-inside:avoid}thead{display:table-header-group}}
";

/// The document as one HTML file.
pub fn to_html(doc: &Document) -> String {
    let anchors = Anchors::new(doc);
    let mut out = String::with_capacity(4096);
    out.push_str("<!DOCTYPE html>\n");
    let _ = write!(
        out,
        "<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <title>{}</title>\n",
        escape(language(doc)),
        escape(&title(doc))
    );
    for (name, value) in [("author", &doc.author), ("description", &doc.subject)] {
        if let Some(value) = value {
            let _ = writeln!(
                out,
                "<meta name=\"{name}\" content=\"{}\" />",
                escape(&one_line(value))
            );
        }
    }
    let _ = write!(out, "<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n");
    for (index, block) in doc.blocks.iter().enumerate() {
        write_block(&mut out, block, index, &anchors);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn write_block(out: &mut String, block: &Block, index: usize, anchors: &Anchors) {
    match block {
        Block::Heading { level, text, .. } => {
            let level = heading_level(*level);
            let _ = write!(out, "<h{level}");
            if let Some(id) = anchors.heading_id(index) {
                let _ = write!(out, " id=\"{id}\"");
            }
            out.push('>');
            text_with_breaks(out, text);
            let _ = writeln!(out, "</h{level}>");
        }
        Block::Paragraph(inlines) => {
            out.push_str("<p>");
            write_inlines(out, inlines, anchors);
            out.push_str("</p>\n");
        }
        Block::BulletList(items) => {
            out.push_str("<ul>\n");
            for item in items {
                out.push_str("<li>");
                write_inlines(out, item, anchors);
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        Block::Table(table) => write_table(out, table, anchors),
        Block::SummaryList(rows) => {
            out.push_str("<dl class=\"summary-list\">\n");
            for (key, value) in rows {
                out.push_str("<div><dt>");
                text_with_breaks(out, key);
                out.push_str("</dt><dd>");
                write_inlines(out, value, anchors);
                out.push_str("</dd></div>\n");
            }
            out.push_str("</dl>\n");
        }
        Block::PageBreak => out.push_str("<div class=\"page-break\"></div>\n"),
    }
}

fn write_table(out: &mut String, table: &DocTable, anchors: &Anchors) {
    let columns = table.column_count();
    if columns == 0 {
        if !table.caption.trim().is_empty() {
            out.push_str("<p><strong>");
            text_with_breaks(out, &table.caption);
            out.push_str("</strong></p>\n");
        }
        return;
    }
    out.push_str("<table>\n");
    if !table.caption.is_empty() {
        out.push_str("<caption>");
        text_with_breaks(out, &table.caption);
        out.push_str("</caption>\n");
    }
    if table.column_widths.is_some() {
        out.push_str("<colgroup>");
        for fraction in table.column_fractions() {
            let _ = write!(out, "<col style=\"width:{:.2}%\" />", fraction * 100.0);
        }
        out.push_str("</colgroup>\n");
    }
    if !table.header.is_empty() {
        out.push_str("<thead><tr>");
        for column in 0..columns {
            out.push_str("<th scope=\"col\">");
            if let Some(text) = table.header.get(column) {
                text_with_breaks(out, text);
            }
            out.push_str("</th>");
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for column in 0..columns {
            out.push_str("<td>");
            if let Some(cell) = row.get(column) {
                write_inlines(out, cell, anchors);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn write_inlines(out: &mut String, inlines: &[Inline], anchors: &Anchors) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => text_with_breaks(out, text),
            Inline::Strong(text) => {
                out.push_str("<strong>");
                text_with_breaks(out, text);
                out.push_str("</strong>");
            }
            Inline::Link { text, target } => match anchors.resolve(target) {
                Some(resolved) => {
                    let href = match resolved {
                        Resolved::Internal(id) => format!("#{id}"),
                        Resolved::External(url) => url,
                    };
                    let _ = write!(out, "<a href=\"{}\">", escape(&href));
                    text_with_breaks(out, text);
                    out.push_str("</a>");
                }
                None => text_with_breaks(out, text),
            },
        }
    }
}

/// Escaped text with each `'\n'` as `<br />`.
fn text_with_breaks(out: &mut String, text: &str) {
    let text = clean(text);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br />");
        }
        escape_into(out, line);
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, &clean(text));
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}
