//! The clean workbook's xlsx, written directly: each sheet's XML is made a row at a
//! time into a small buffer and deflated into the zip container as it fills, so memory
//! stays constant whatever the rows. Codes are shared strings (a code set's values are
//! few and repeat in every row), other text inline strings; dates are serial numbers
//! in a `dd/mm/yyyy` style. The parts are those Excel needs and no more: content
//! types, relationships, the workbook, styles, shared strings and the sheets.

use crate::cells::{excel_serial, Value};
use crate::read::AnnexA;
use crate::schema::{ColumnType, Schema};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// Deflate's fastest level: the clean workbook is read once or twice, and the best
/// levels take four times as long for a file a third smaller.
const COMPRESSION_LEVEL: i64 = 2;

/// How much sheet XML is gathered before it is handed to the compressor.
const CHUNK_BYTES: usize = 64 * 1024;

/// Cell styles (`s`), as [`STYLES`] lists them.
const STYLE_HEADER: &str = "1";
const STYLE_DATE: &str = "2";

const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>"#,
    r#"<fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>"#,
    r#"<font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>"#,
    r#"</styleSheet>"#,
);

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// One sheet to write: its name, its headers, and its rows.
pub(crate) struct Sheet<'a> {
    pub(crate) name: &'a str,
    pub(crate) headers: Vec<&'a str>,
    /// For each column, the shared-string index of each of its code set's values, if
    /// it is a code column.
    pub(crate) codes: Vec<Option<&'a [u32]>>,
    pub(crate) rows: Box<dyn Iterator<Item = &'a [Value]> + 'a>,
    pub(crate) row_count: usize,
}

/// The code sets' values as shared strings: each distinct value once, and for each
/// set, its values' indexes.
pub(crate) struct SharedCodes {
    strings: Vec<String>,
    pub(crate) by_set: Vec<Vec<u32>>,
}

impl SharedCodes {
    pub(crate) fn new(schema: &Schema) -> Self {
        let mut strings: Vec<String> = Vec::new();
        let mut index: HashMap<&str, u32> = HashMap::new();
        let mut by_set = Vec::new();
        for set in &schema.code_sets {
            let mut indexes = Vec::with_capacity(set.values.len());
            for value in &set.values {
                let i = *index.entry(value.as_str()).or_insert_with(|| {
                    strings.push(value.clone());
                    strings.len() as u32 - 1
                });
                indexes.push(i);
            }
            by_set.push(indexes);
        }
        SharedCodes { strings, by_set }
    }
}

/// Writes the workbook.
pub(crate) fn write(
    sheets: Vec<Sheet<'_>>,
    shared: &SharedCodes,
) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(COMPRESSION_LEVEL));
    let count = sheets.len();

    let mut types = String::from(XML_HEAD);
    types.push_str(concat!(
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
        r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    ));
    for n in 1..=count {
        types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
    }
    types.push_str("</Types>");
    zip.start_file("[Content_Types].xml", options)?;
    zip.write_all(types.as_bytes())?;

    zip.start_file("_rels/.rels", options)?;
    zip.write_all(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
            r#"</Relationships>"#
        )
        .as_bytes(),
    )?;

    let mut workbook = format!(
        r#"{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr/><bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>"#
    );
    let mut rels = String::from(XML_HEAD);
    rels.push_str(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, sheet) in sheets.iter().enumerate() {
        let n = i + 1;
        workbook.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape_attribute(sheet.name)
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
    }
    workbook.push_str("</sheets></workbook>");
    rels.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="{REL_NS}/styles" Target="styles.xml"/><Relationship Id="rId{}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        count + 1,
        count + 2
    ));
    zip.start_file("xl/workbook.xml", options)?;
    zip.write_all(workbook.as_bytes())?;
    zip.start_file("xl/_rels/workbook.xml.rels", options)?;
    zip.write_all(rels.as_bytes())?;
    zip.start_file("xl/styles.xml", options)?;
    zip.write_all(STYLES.as_bytes())?;

    let mut references = 0u64;
    let mut out = Vec::with_capacity(CHUNK_BYTES + 4096);
    for (i, sheet) in sheets.into_iter().enumerate() {
        zip.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), options)?;
        references += write_sheet(&mut zip, &mut out, sheet, i == 0)?;
    }

    let mut sst = format!(
        r#"{XML_HEAD}<sst xmlns="{MAIN_NS}" count="{references}" uniqueCount="{}">"#,
        shared.strings.len()
    );
    for s in &shared.strings {
        sst.push_str("<si>");
        push_t(&mut sst, s);
        sst.push_str("</si>");
    }
    sst.push_str("</sst>");
    zip.start_file("xl/sharedStrings.xml", options)?;
    zip.write_all(sst.as_bytes())?;

    Ok(zip.finish()?.into_inner())
}

/// One sheet's XML, into the zip entry begun for it; the number of shared-string
/// references it makes.
fn write_sheet(
    zip: &mut impl Write,
    out: &mut Vec<u8>,
    sheet: Sheet<'_>,
    first: bool,
) -> std::io::Result<u64> {
    let columns = sheet.headers.len();
    let letters: Vec<Vec<u8>> = (0..columns).map(column_letters).collect();
    let last_row = sheet.row_count + 1;
    out.clear();
    out.extend_from_slice(XML_HEAD.as_bytes());
    out.extend_from_slice(
        format!(r#"<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">"#).as_bytes(),
    );
    match columns {
        0 => out.extend_from_slice(br#"<dimension ref="A1"/>"#),
        _ => out.extend_from_slice(
            format!(
                r#"<dimension ref="A1:{}{last_row}"/>"#,
                String::from_utf8_lossy(&letters[columns - 1])
            )
            .as_bytes(),
        ),
    }
    let selected = if first { r#" tabSelected="1""# } else { "" };
    out.extend_from_slice(
        format!(r#"<sheetViews><sheetView{selected} workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>"#)
            .as_bytes(),
    );
    if columns > 0 {
        out.extend_from_slice(
            format!(
                r#"<cols><col min="1" max="{columns}" width="18.7109375" customWidth="1"/></cols>"#
            )
            .as_bytes(),
        );
    }
    out.extend_from_slice(b"<sheetData>");
    if columns > 0 {
        out.extend_from_slice(format!(r#"<row r="1" spans="1:{columns}">"#).as_bytes());
        for (x, header) in sheet.headers.iter().enumerate() {
            out.extend_from_slice(b"<c r=\"");
            out.extend_from_slice(&letters[x]);
            out.extend_from_slice(b"1\" s=\"");
            out.extend_from_slice(STYLE_HEADER.as_bytes());
            out.extend_from_slice(b"\" t=\"inlineStr\"><is>");
            push_t_bytes(out, header);
            out.extend_from_slice(b"</is></c>");
        }
        out.extend_from_slice(b"</row>");
    }
    let mut references = 0u64;
    let mut number = itoa::Buffer::new();
    for (y, row) in sheet.rows.enumerate() {
        let r = number.format(y + 2).as_bytes().to_vec();
        out.extend_from_slice(b"<row r=\"");
        out.extend_from_slice(&r);
        out.extend_from_slice(b"\">");
        for (x, value) in row.iter().enumerate() {
            let head = |out: &mut Vec<u8>| {
                out.extend_from_slice(b"<c r=\"");
                out.extend_from_slice(&letters[x]);
                out.extend_from_slice(&r);
                out.push(b'"');
            };
            match value {
                Value::Blank => {}
                Value::Text(s) => {
                    head(out);
                    out.extend_from_slice(b" t=\"inlineStr\"><is>");
                    push_t_bytes(out, s);
                    out.extend_from_slice(b"</is></c>");
                }
                Value::Date(d) => {
                    head(out);
                    out.extend_from_slice(b" s=\"");
                    out.extend_from_slice(STYLE_DATE.as_bytes());
                    out.extend_from_slice(b"\"><v>");
                    out.extend_from_slice(number.format(excel_serial(*d) as i64).as_bytes());
                    out.extend_from_slice(b"</v></c>");
                }
                Value::Integer(n) => {
                    head(out);
                    out.extend_from_slice(b"><v>");
                    out.extend_from_slice(number.format(*n).as_bytes());
                    out.extend_from_slice(b"</v></c>");
                }
                Value::Code(i) => {
                    let Some(index) = sheet.codes[x].and_then(|c| c.get(usize::from(*i))) else {
                        return Err(std::io::Error::other(format!(
                            "'{}', column {}: a code that is not in its column's code set",
                            sheet.name,
                            x + 1
                        )));
                    };
                    head(out);
                    out.extend_from_slice(b" t=\"s\"><v>");
                    out.extend_from_slice(number.format(*index).as_bytes());
                    out.extend_from_slice(b"</v></c>");
                    references += 1;
                }
            }
        }
        out.extend_from_slice(b"</row>");
        if out.len() >= CHUNK_BYTES {
            zip.write_all(out)?;
            out.clear();
        }
    }
    out.extend_from_slice(br#"</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#);
    zip.write_all(out)?;
    out.clear();
    Ok(references)
}

/// `A`, `B`... `Z`, `AA`... for a 0-based column.
fn column_letters(col: usize) -> Vec<u8> {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    letters
}

/// A `<t>` element holding `s`, escaped as rust_xlsxwriter (and Excel) escape it.
fn push_t(out: &mut String, s: &str) {
    let mut bytes = Vec::new();
    push_t_bytes(&mut bytes, s);
    out.push_str(std::str::from_utf8(&bytes).expect("escaped text is UTF-8"));
}

fn push_t_bytes(out: &mut Vec<u8>, s: &str) {
    if s.starts_with(['\t', '\n', ' ']) || s.ends_with(['\t', '\n', ' ']) {
        out.extend_from_slice(br#"<t xml:space="preserve">"#);
    } else {
        out.extend_from_slice(b"<t>");
    }
    if needs_escaping(s) {
        out.extend_from_slice(escape_data(&escape_excel_escapes(s)).as_bytes());
    } else {
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(b"</t>");
}

/// Whether text holds anything XML or Excel escapes: `&`, `<`, `>`, control
/// characters, U+FFFE and U+FFFF (whose UTF-8 starts `EF BF`), or `_x`.
fn needs_escaping(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        matches!(c, b'&' | b'<' | b'>')
            || (c < 0x20 && c != b'\t' && c != b'\n')
            || (c == 0xEF && b.get(i + 1) == Some(&0xBF))
            || (c == b'_' && b.get(i + 1) == Some(&b'x'))
    })
}

/// rust_xlsxwriter's `escape_xml_escapes`: a literal `_xHHHH_` is written
/// `_x005F_xHHHH_`, so it does not read back as the character it would escape.
fn escape_excel_escapes(original: &str) -> Cow<'_, str> {
    const LENGTH: usize = 7;
    if !original.contains("_x") {
        return Cow::Borrowed(original);
    }
    let mut escaped = original.to_string();
    for (index, _) in original.rmatch_indices("_x") {
        if index + LENGTH > original.len() || !original.is_char_boundary(index + LENGTH - 1) {
            continue;
        }
        if !original[index + LENGTH - 1..].starts_with('_') {
            continue;
        }
        if original[index + 2..index + LENGTH - 1]
            .chars()
            .all(|c| c.is_ascii_hexdigit())
        {
            escaped.replace_range(index..index, "_x005F");
        }
    }
    Cow::Owned(escaped)
}

/// rust_xlsxwriter's `escape_xml_data`: `&`, `<`, `>`, and the characters XML 1.0
/// cannot hold as `_xHHHH_`.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(ch),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                out.push_str(&format!("_x{:04X}_", u32::from(ch)));
            }
            _ => out.push(ch),
        }
    }
    out
}

fn escape_attribute(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "&#xA;")
}

/// The clean lists as an xlsx workbook.
pub(crate) fn write_annex(annex: &AnnexA, schema: &Schema) -> Result<Vec<u8>, String> {
    let shared = SharedCodes::new(schema);
    let mut sheets = Vec::new();
    for list in &annex.lists {
        let def = schema
            .list(list.list)
            .ok_or_else(|| format!("no list {}", list.list))?;
        let codes = list
            .columns
            .iter()
            .map(|&c| match def.columns[c].kind {
                ColumnType::Code(set) => Some(shared.by_set[set].as_slice()),
                _ => None,
            })
            .collect();
        sheets.push(Sheet {
            name: &def.sheet,
            headers: list
                .columns
                .iter()
                .map(|&c| def.columns[c].name.as_str())
                .collect(),
            codes,
            rows: Box::new(list.rows()),
            row_count: list.rows_kept(),
        });
    }
    write(sheets, &shared).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_as_excel_names_them() {
        assert_eq!(column_letters(0), b"A");
        assert_eq!(column_letters(25), b"Z");
        assert_eq!(column_letters(26), b"AA");
        assert_eq!(column_letters(16_383), b"XFD");
    }

    #[test]
    fn text_is_escaped_as_rust_xlsxwriter_escapes_it() {
        let t = |s: &str| {
            let mut out = Vec::new();
            push_t_bytes(&mut out, s);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(t("plain"), "<t>plain</t>");
        assert_eq!(
            t(" a&b<c>"),
            r#"<t xml:space="preserve"> a&amp;b&lt;c&gt;</t>"#
        );
        assert_eq!(t("a\rb\u{1}"), "<t>a_x000D_b_x0001_</t>");
        assert_eq!(t("_x0041_ and _xyz"), "<t>_x005F_x0041_ and _xyz</t>");
        assert_eq!(t("\u{FFFE}é"), "<t>_xFFFE_é</t>");
    }
}
