//! One worksheet's cells, a row at a time, straight from the inflating zip entry.
//!
//! The XML is scanned by hand rather than through a general XML reader: a row is
//! found whole in the buffer, then its cells are taken apart in place, borrowing their
//! text where no entity or escape needs decoding. What a cell means (shared strings,
//! dates by style, `t="str"`, booleans, errors, inline strings, missing `r`) follows
//! calamine 0.31's `XlsxCellReader` exactly; anything it would read differently or
//! refuse, or that this scanner does not expect (comments, CDATA, rows out of order,
//! a cell's `r` naming another row, a non-UTF-8 encoding...), hands the workbook back
//! to calamine with [`Fallback::Calamine`].

use super::reader::{Part, Strings};
use super::{compat, Fallback};
use crate::cells::Cell;
use calamine::CellErrorType;
use chrono::NaiveDate;
use std::io::Read;

/// What is inflated at a time; a row longer than this grows the buffer.
const BUFFER_BYTES: usize = 64 * 1024;
/// The most one row (or any one element before the rows) may take: an Annex A row is
/// a few hundred bytes, Excel's widest a few megabytes. More is damage or a bomb, and
/// is refused rather than held in memory.
const MAX_ROW_BYTES: usize = 64 << 20;
/// Excel's limits: a cell beyond them is damage (calamine reads it, the lists ignore it).
const MAX_ROW: u32 = 1_048_576;
const MAX_COLUMN: u32 = 16_384;
/// The serial numbers of 1 January 1900 (well, 0 January) to 31 December 9999, the
/// dates calamine converts without overflow.
const MAX_SERIAL: f64 = 2_958_466.0;

fn bail<T>(why: &'static str) -> Result<T, Fallback> {
    Err(Fallback::Calamine(why))
}

/// A cell's value as found, its text by place rather than by copy.
#[derive(Debug)]
enum Raw {
    Empty,
    Shared(u32),
    /// Bytes of the buffer, to be checked as UTF-8 when the row is handed out.
    Buf(u32, u32),
    /// Text decoded into the row's arena.
    Arena(u32, u32),
    Number(f64),
    Date(Option<NaiveDate>),
    Bool(bool),
    Error(CellErrorType),
}

/// What a sheet's cells are read against.
pub(crate) struct Context<'a> {
    pub(crate) strings: &'a Strings,
    pub(crate) date_styles: &'a [bool],
    pub(crate) is_1904: bool,
}

pub(crate) struct SheetReader<'a, 'b> {
    src: Part<'a, 'b>,
    limit: u64,
    path: String,
    context: Context<'a>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    done: bool,
    /// calamine's `row_index`: the 0-based row of a cell without `r`.
    row_index: u32,
    /// quick-xml's count of open elements: it ignores end tags' names as calamine
    /// sets it up, but refuses an end tag when none is open.
    open: u64,
    last_row: Option<u32>,
    /// `</row>` as this sheet writes it (with its namespace prefix, if any).
    row_close: memchr::memmem::Finder<'static>,
    sheet_data_close: Vec<u8>,
    /// The current row's cells: 0-based column and value, in the order found.
    cells: Vec<(u32, Raw)>,
    arena: String,
}

impl<'a, 'b> SheetReader<'a, 'b> {
    /// Reads a sheet's XML up to its `<sheetData>`.
    pub(crate) fn new(
        src: Part<'a, 'b>,
        path: &str,
        context: Context<'a>,
    ) -> Result<Self, Fallback> {
        let limit = src.left();
        let mut reader = SheetReader {
            limit,
            src,
            path: path.to_string(),
            context,
            buf: vec![0; BUFFER_BYTES],
            pos: 0,
            end: 0,
            eof: false,
            done: false,
            row_index: 0,
            open: 0,
            last_row: None,
            row_close: memchr::memmem::Finder::new(b"</row>").into_owned(),
            sheet_data_close: Vec::new(),
            cells: Vec::new(),
            arena: String::new(),
        };
        reader.prologue()?;
        Ok(reader)
    }

    /// The bytes inflated so far, to count against the whole workbook's limit.
    pub(crate) fn inflated(&self) -> u64 {
        self.limit - self.src.left()
    }

    fn fill(&mut self) -> Result<bool, Fallback> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_ROW_BYTES {
                return Err(Fallback::TooLarge {
                    part: format!("one row of {}", self.path),
                    limit: MAX_ROW_BYTES as u64,
                });
            }
            let grown = self.buf.len() * 2;
            self.buf.resize(grown, 0);
        }
        let before = self.end;
        while self.end < self.buf.len() {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) if self.src.exceeded => {
                    return Err(Fallback::too_large(&self.path, self.limit))
                }
                Err(_) => return bail("the sheet does not inflate"),
            }
        }
        Ok(self.end > before)
    }

    /// Everything before the cells: the XML declaration, the dimension calamine
    /// checks, and the `<sheetData>` start.
    fn prologue(&mut self) -> Result<(), Fallback> {
        while self.end < 3 && self.fill()? {}
        let head = &self.buf[..self.end];
        if head.starts_with(b"\xEF\xBB\xBF") {
            self.pos = 3;
        } else if head.starts_with(b"\xFE\xFF") || head.starts_with(b"\xFF\xFE") {
            return bail("a sheet in UTF-16");
        }
        loop {
            let s = &self.buf[self.pos..self.end];
            let Some(lt) = memchr::memchr(b'<', s) else {
                if !s.iter().all(|b| is_space(*b)) {
                    return bail("text outside the cells");
                }
                self.pos = self.end;
                if !self.fill()? {
                    return bail("a sheet without sheetData");
                }
                continue;
            };
            if !s[..lt].iter().all(|b| is_space(*b)) {
                return bail("text outside the cells");
            }
            self.pos += lt;
            let s = &self.buf[self.pos..self.end];
            if s.len() < 2 {
                if !self.fill()? {
                    return bail("a sheet without sheetData");
                }
                continue;
            }
            if s[1] == b'?' {
                let Some(close) = memchr::memmem::find(s, b"?>") else {
                    if !self.fill()? {
                        return bail("a sheet without sheetData");
                    }
                    continue;
                };
                if s.starts_with(b"<?xml") && s.get(5).is_some_and(|b| is_space(*b)) {
                    let attributes = &s[5..close];
                    if let Some(encoding) = attribute(attributes, b"encoding")? {
                        if !encoding.eq_ignore_ascii_case(b"utf-8") {
                            return bail("a sheet not in UTF-8");
                        }
                    }
                }
                self.pos += close + 2;
                continue;
            }
            let Some(tag) = Tag::parse(s)? else {
                if !self.fill()? {
                    return bail("a sheet without sheetData");
                }
                continue;
            };
            let name = &s[tag.name.0..tag.name.1];
            if tag.end {
                self.open = self
                    .open
                    .checked_sub(1)
                    .ok_or(Fallback::Calamine("an end tag with no element open"))?;
            } else {
                if !tag.empty {
                    self.open += 1;
                }
                match local(name) {
                    b"dimension" => {
                        let Some(range) = attribute(&s[tag.attrs.0..tag.attrs.1], b"ref")? else {
                            return bail("a dimension without ref");
                        };
                        check_dimension(range)?;
                    }
                    b"sheetData" => {
                        let mut close = b"</".to_vec();
                        close.extend_from_slice(name);
                        close.push(b'>');
                        self.sheet_data_close = close;
                        self.done = tag.empty;
                        self.pos += tag.len;
                        return Ok(());
                    }
                    _ => {}
                }
            }
            self.pos += tag.len;
        }
    }

    /// The next row that has cells: its number as the spreadsheet shows it, and its
    /// cells by column (a gap is `Cell::Empty`). Rows with no cells are passed over,
    /// as calamine's cell stream never shows them.
    pub(crate) fn next_row(&mut self) -> Result<Option<(u32, Vec<Cell<'_>>)>, Fallback> {
        loop {
            if self.done {
                return Ok(None);
            }
            match self.scan()? {
                Scan::More => {
                    if !self.fill()? {
                        return bail("the sheet ends inside its cells");
                    }
                }
                Scan::Row(number) if !self.cells.is_empty() => {
                    return self.row_cells().map(|cells| Some((number, cells)));
                }
                Scan::Row(_) | Scan::Passed => {}
            }
        }
    }

    fn scan(&mut self) -> Result<Scan, Fallback> {
        let s = &self.buf[self.pos..self.end];
        let Some(at) = s.iter().position(|b| !is_space(*b)) else {
            self.pos = self.end;
            return Ok(Scan::More);
        };
        self.pos += at;
        let s = &self.buf[self.pos..self.end];
        if s[0] != b'<' {
            return bail("text between rows");
        }
        let Some(tag) = Tag::parse(s)? else {
            return Ok(Scan::More);
        };
        if tag.end {
            if s[..tag.len] == self.sheet_data_close[..] {
                if self.open == 0 {
                    return bail("an end tag with no element open");
                }
                self.done = true;
                self.pos += tag.len;
                return Ok(Scan::Passed);
            }
            return bail("an unexpected end tag between rows");
        }
        let name = &s[tag.name.0..tag.name.1];
        if local(name) != b"row" {
            return bail("an element other than a row in sheetData");
        }
        let needle = self.row_close.needle();
        if needle.len() != name.len() + 3 || &needle[2..2 + name.len()] != name {
            let mut close = b"</".to_vec();
            close.extend_from_slice(name);
            close.push(b'>');
            self.row_close = memchr::memmem::Finder::new(&close).into_owned();
        }
        let close = if tag.empty {
            None
        } else {
            match self.row_close.find(&s[tag.len..]) {
                Some(at) => Some(tag.len + at),
                None => return Ok(Scan::More),
            }
        };
        // The whole row is in the buffer: now its state changes, as calamine's does.
        let mut r = None;
        for a in Attributes::new(&s[tag.attrs.0..tag.attrs.1]) {
            let (key, value) = a?;
            if key == b"r" {
                r = Some(value);
            }
        }
        if let Some(r) = r {
            self.row_index =
                digits(r)
                    .filter(|n| (1..=MAX_ROW).contains(n))
                    .ok_or(Fallback::Calamine(
                        "a row number calamine may read otherwise",
                    ))?
                    - 1;
        }
        if self.last_row.is_some_and(|last| self.row_index <= last) {
            return bail("rows out of order");
        }
        self.last_row = Some(self.row_index);
        let number = self.row_index + 1;
        self.cells.clear();
        self.arena.clear();
        let consumed = match close {
            None => tag.len,
            Some(close) => {
                let base = self.pos + tag.len;
                let body = &self.buf[base..self.pos + close];
                let mut cells = Cells {
                    s: body,
                    base,
                    i: 0,
                    open: self.open + 1,
                    row_index: self.row_index,
                    col_index: 0,
                    context: &self.context,
                    cells: &mut self.cells,
                    arena: &mut self.arena,
                };
                cells.parse()?;
                // The row's end tag.
                self.open = cells
                    .open
                    .checked_sub(1)
                    .ok_or(Fallback::Calamine("an end tag with no element open"))?;
                close + self.row_close.needle().len()
            }
        };
        self.pos += consumed;
        self.row_index = self
            .row_index
            .checked_add(1)
            .ok_or(Fallback::Calamine("too many rows"))?;
        Ok(Scan::Row(number))
    }

    fn row_cells(&self) -> Result<Vec<Cell<'_>>, Fallback> {
        let width = self
            .cells
            .iter()
            .map(|(c, _)| *c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut row = vec![Cell::Empty; width];
        for (col, raw) in &self.cells {
            row[*col as usize] = match raw {
                Raw::Empty => Cell::Empty,
                Raw::Shared(i) => Cell::Text(
                    self.context
                        .strings
                        .get(*i as usize)
                        .ok_or(Fallback::Calamine("a shared string that is not there"))?,
                ),
                Raw::Buf(a, b) => Cell::Text(
                    std::str::from_utf8(&self.buf[*a as usize..*b as usize])
                        .map_err(|_| Fallback::Calamine("a cell that is not UTF-8"))?,
                ),
                Raw::Arena(a, b) => Cell::Text(&self.arena[*a as usize..*b as usize]),
                Raw::Number(n) => Cell::Number(*n),
                Raw::Date(d) => Cell::Date(*d),
                Raw::Bool(b) => Cell::Bool(*b),
                Raw::Error(e) => Cell::Error(e),
            };
        }
        Ok(row)
    }
}

enum Scan {
    /// The buffer holds no whole row: inflate more.
    More,
    /// A row was read (its cells, perhaps none, are in `cells`).
    Row(u32),
    /// The end of the cells.
    Passed,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A name without its namespace prefix, as quick-xml's `local_name` gives it.
fn local(name: &[u8]) -> &[u8] {
    match memchr::memchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// One tag at the start of `s` (which starts with `<`): ranges into `s`.
#[derive(Debug)]
struct Tag {
    len: usize,
    name: (usize, usize),
    attrs: (usize, usize),
    end: bool,
    /// Self-closing: `<c/>`.
    empty: bool,
}

impl Tag {
    /// None: the tag does not end within `s`.
    fn parse(s: &[u8]) -> Result<Option<Tag>, Fallback> {
        debug_assert_eq!(s.first(), Some(&b'<'));
        let Some(&second) = s.get(1) else {
            return Ok(None);
        };
        match second {
            b'/' => {
                let Some(gt) = memchr::memchr(b'>', &s[2..]) else {
                    return Ok(None);
                };
                let name = &s[2..2 + gt];
                if name.is_empty()
                    || name
                        .iter()
                        .any(|b| is_space(*b) || matches!(b, b'<' | b'"' | b'\''))
                {
                    return bail("an end tag calamine may read otherwise");
                }
                Ok(Some(Tag {
                    len: gt + 3,
                    name: (2, 2 + gt),
                    attrs: (2 + gt, 2 + gt),
                    end: true,
                    empty: false,
                }))
            }
            b'!' | b'?' => bail("a comment, CDATA or processing instruction"),
            _ => {
                let name_end = 1 + s[1..]
                    .iter()
                    .position(|b| is_space(*b) || *b == b'/' || *b == b'>' || *b == b'<')
                    .unwrap_or(s.len() - 1);
                if name_end == 1 {
                    return bail("a tag without a name");
                }
                // quick-xml's name runs to the first white space: a slash not closing
                // the tag, or a quote (which it reads as opening a value), is in it.
                if s[1..name_end].iter().any(|b| matches!(b, b'"' | b'\''))
                    || (s.get(name_end) == Some(&b'/')
                        && s.get(name_end + 1).is_some_and(|b| *b != b'>'))
                {
                    return bail("a name calamine may read otherwise");
                }
                let mut i = name_end;
                loop {
                    let Some(at) = memchr::memchr3(b'>', b'"', b'\'', &s[i..]) else {
                        return Ok(None);
                    };
                    let at = i + at;
                    if s[i..at].contains(&b'<') {
                        return bail("a tag calamine may read otherwise");
                    }
                    match s[at] {
                        b'>' => {
                            let empty = s[at - 1] == b'/' && at > name_end;
                            let attrs_end = if empty { at - 1 } else { at };
                            return Ok(Some(Tag {
                                len: at + 1,
                                name: (1, name_end),
                                attrs: (name_end, attrs_end),
                                end: false,
                                empty,
                            }));
                        }
                        quote => {
                            let Some(close) = memchr::memchr(quote, &s[at + 1..]) else {
                                return Ok(None);
                            };
                            i = at + 1 + close + 1;
                        }
                    }
                }
            }
        }
    }
}

/// The attributes of a tag, strictly: `key="value"` or `key='value'` separated by
/// white space, no key twice; anything else hands the workbook to calamine.
struct Attributes<'s> {
    s: &'s [u8],
    i: usize,
    seen: [&'s [u8]; 8],
    count: usize,
}

impl<'s> Attributes<'s> {
    fn new(s: &'s [u8]) -> Self {
        Attributes {
            s,
            i: 0,
            seen: [&[]; 8],
            count: 0,
        }
    }
}

impl<'s> Iterator for Attributes<'s> {
    type Item = Result<(&'s [u8], &'s [u8]), Fallback>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.s;
        let start = self.i;
        while self.i < s.len() && is_space(s[self.i]) {
            self.i += 1;
        }
        if self.i == s.len() {
            return None;
        }
        if self.i == start && start != 0 {
            return Some(bail("attributes without space between them"));
        }
        let key_start = self.i;
        while self.i < s.len() && !is_space(s[self.i]) && s[self.i] != b'=' {
            self.i += 1;
        }
        let key = &s[key_start..self.i];
        if !key.iter().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.') || *b >= 0x80
        }) {
            return Some(bail("an attribute name calamine may read otherwise"));
        }
        while self.i < s.len() && is_space(s[self.i]) {
            self.i += 1;
        }
        if key.is_empty() || s.get(self.i) != Some(&b'=') {
            return Some(bail("an attribute without a value"));
        }
        self.i += 1;
        while self.i < s.len() && is_space(s[self.i]) {
            self.i += 1;
        }
        let quote = match s.get(self.i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Some(bail("an attribute value without quotes")),
        };
        let Some(len) = memchr::memchr(quote, &s[self.i + 1..]) else {
            return Some(bail("an attribute value without its closing quote"));
        };
        let value = &s[self.i + 1..self.i + 1 + len];
        self.i += len + 2;
        if key
            .iter()
            .any(|b| matches!(b, b'"' | b'\'' | b'<' | b'>' | b'&'))
            || value.iter().any(|b| matches!(b, b'<' | b'>'))
        {
            return Some(bail("an attribute calamine may read otherwise"));
        }
        if self.seen[..self.count].contains(&key) {
            return Some(bail("an attribute given twice"));
        }
        if self.count == self.seen.len() {
            return Some(bail("an element with many attributes"));
        }
        self.seen[self.count] = key;
        self.count += 1;
        Some(Ok((key, value)))
    }
}

/// The value of one attribute (the first with the key), all checked.
fn attribute<'s>(attrs: &'s [u8], key: &[u8]) -> Result<Option<&'s [u8]>, Fallback> {
    let mut found = None;
    for a in Attributes::new(attrs) {
        let (k, v) = a?;
        if k == key && found.is_none() {
            found = Some(v);
        }
    }
    Ok(found)
}

/// A decimal as writers write it: digits, no sign, no leading zero, at most nine.
fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || (s[0] == b'0' && s.len() > 1) {
        return None;
    }
    let mut n = 0u32;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    Some(n)
}

/// A cell reference such as `AB12`, as 0-based (row, column), within Excel's limits.
fn cell_ref(s: &[u8]) -> Option<(u32, u32)> {
    let letters = s.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let mut col = 0u32;
    for &b in &s[..letters] {
        col = col * 26 + u32::from(b - b'A') + 1;
    }
    let row = digits(&s[letters..])?;
    if col > MAX_COLUMN || !(1..=MAX_ROW).contains(&row) {
        return None;
    }
    Some((row - 1, col - 1))
}

/// calamine checks a sheet's `<dimension ref>`; one it would not take is left to it.
fn check_dimension(range: &[u8]) -> Result<(), Fallback> {
    let mut parts = range.split(|b| *b == b':');
    let first = parts.next().and_then(cell_ref);
    let second = parts.next().map(cell_ref);
    match (first, second, parts.next()) {
        (Some(_), None, None) => Ok(()),
        (Some((r0, c0)), Some(Some((r1, c1))), None) if r1 >= r0 && c1 >= c0 => Ok(()),
        _ => bail("a dimension calamine may read otherwise"),
    }
}

/// Text content: entity and character references resolved (quick-xml's rules), and
/// for a `<t>` Excel's `_xHHHH_` escapes too, run by run as calamine does.
fn push_text(raw: &[u8], excel_escapes: bool, out: &mut String) -> Result<(), Fallback> {
    let mut rest = raw;
    loop {
        let run_end = memchr::memchr(b'&', rest).unwrap_or(rest.len());
        let run = &rest[..run_end];
        if memchr::memchr(b'\r', run).is_some() {
            return bail("a carriage return in text");
        }
        let run =
            std::str::from_utf8(run).map_err(|_| Fallback::Calamine("text that is not UTF-8"))?;
        if excel_escapes {
            out.push_str(&compat::unescape_xml(run));
        } else {
            out.push_str(run);
        }
        if run_end == rest.len() {
            return Ok(());
        }
        let after = &rest[run_end + 1..];
        let Some(semi) = memchr::memchr(b';', after) else {
            return bail("an unfinished reference");
        };
        let name = std::str::from_utf8(&after[..semi])
            .map_err(|_| Fallback::Calamine("a reference that is not UTF-8"))?;
        if let Some(s) = quick_xml::escape::resolve_xml_entity(name) {
            out.push_str(s);
        } else if let Some(c) = name.strip_prefix('#').and_then(char_ref) {
            out.push(c);
        } else {
            return bail("an unknown reference");
        }
        rest = &after[semi + 1..];
    }
}

/// quick-xml's `parse_number` for `&#...;`.
fn char_ref(num: &str) -> Option<char> {
    let radix = |s: &str, r| match s.as_bytes().first() {
        Some(b'+' | b'-') => None,
        _ => u32::from_str_radix(s, r).ok(),
    };
    let code = match num.strip_prefix('x') {
        Some(hex) => radix(hex, 16)?,
        None => radix(num, 10)?,
    };
    if code == 0 {
        return None;
    }
    char::from_u32(code)
}

/// The cells of one row, whose body (between `<row>` and `</row>`) is `s`.
struct Cells<'r, 'c> {
    s: &'r [u8],
    /// Where `s` starts in the buffer.
    base: usize,
    i: usize,
    /// As [`SheetReader::open`].
    open: u64,
    row_index: u32,
    col_index: u32,
    context: &'r Context<'c>,
    cells: &'r mut Vec<(u32, Raw)>,
    arena: &'r mut String,
}

impl Cells<'_, '_> {
    fn skip_space(&mut self) {
        while self.i < self.s.len() && is_space(self.s[self.i]) {
            self.i += 1;
        }
    }

    /// The tag at `i`, which must be whole.
    fn tag(&self) -> Result<Tag, Fallback> {
        if self.s.get(self.i) != Some(&b'<') {
            return bail("text where calamine reads none");
        }
        Tag::parse(&self.s[self.i..])?.ok_or(Fallback::Calamine("a tag cut short"))
    }

    fn name(&self, tag: &Tag) -> &[u8] {
        &self.s[self.i + tag.name.0..self.i + tag.name.1]
    }

    fn parse(&mut self) -> Result<(), Fallback> {
        loop {
            self.skip_space();
            if self.i == self.s.len() {
                return Ok(());
            }
            if self.s[self.i..].starts_with(b"<c") && self.fast_cell()? {
                continue;
            }
            let tag = self.tag()?;
            if tag.end || local(self.name(&tag)) != b"c" {
                return bail("an element other than a cell in a row");
            }
            self.cell(tag)?;
        }
    }

    /// The common forms of a cell, taken apart without the general tag and attribute
    /// readers: `<c` with only `r`, `s` and `t` attributes (in double quotes, a space
    /// before each), then `/>`, `></c>`, `><v>text</v></c>` or
    /// `><is><t>text</t></is></c>`. Anything else: false, with nothing consumed, and
    /// [`Cells::cell`] reads it.
    fn fast_cell(&mut self) -> Result<bool, Fallback> {
        let s = self.s;
        let mut j = self.i + 2;
        let (mut r, mut t, mut style) = (None, None, None);
        let empty = loop {
            match s.get(j) {
                Some(b' ') => j += 1,
                Some(b'>') => break false,
                Some(b'/') if s.get(j + 1) == Some(&b'>') => {
                    j += 1;
                    break true;
                }
                _ => return Ok(false),
            }
            let slot = match s.get(j..j + 3) {
                Some(b"r=\"") => &mut r,
                Some(b"s=\"") => &mut style,
                Some(b"t=\"") => &mut t,
                _ => return Ok(false),
            };
            j += 3;
            let start = j;
            loop {
                match s.get(j) {
                    Some(b'"') => break,
                    Some(b'<' | b'>') | None => return Ok(false),
                    Some(_) => j += 1,
                }
            }
            if slot.is_some() {
                return Ok(false);
            }
            *slot = Some(&s[start..j]);
            j += 1;
        };
        j += 1;
        let rest = &s[j..];
        let (text, kind, len) = if empty {
            ((j, j), Content::Empty, 0)
        } else if rest.starts_with(b"</c>") {
            ((j, j), Content::Empty, 4)
        } else if rest.starts_with(b"<v>") {
            let (a, b) = (j + 3, j + 3 + text_len(&rest[3..]));
            if !s[b..].starts_with(b"</v></c>") {
                return Ok(false);
            }
            ((a, b), Content::V, b - j + 8)
        } else if rest.starts_with(b"<is><t>") {
            let (a, b) = (j + 7, j + 7 + text_len(&rest[7..]));
            if !s[b..].starts_with(b"</t></is></c>") {
                return Ok(false);
            }
            ((a, b), Content::Is, b - j + 13)
        } else {
            return Ok(false);
        };
        let (col, is_date) = self.place(r, style)?;
        let value = match kind {
            Content::Empty => Raw::Empty,
            Content::V => self.value(text, t, is_date)?,
            Content::Is => {
                let raw = &s[text.0..text.1];
                if plain(raw) && memchr::memmem::find(raw, b"_x00").is_none() {
                    Raw::Buf((self.base + text.0) as u32, (self.base + text.1) as u32)
                } else {
                    let start = self.arena.len();
                    push_text(raw, true, self.arena)?;
                    Raw::Arena(start as u32, self.arena.len() as u32)
                }
            }
        };
        self.cells.push((col, value));
        self.col_index = col + 1;
        self.i = j + len;
        Ok(true)
    }

    /// A cell's column and whether its style is a date's, from its `r` and `s`.
    fn place(&self, r: Option<&[u8]>, style: Option<&[u8]>) -> Result<(u32, bool), Fallback> {
        let col = match r {
            Some(r) => {
                let (row, col) = cell_ref(r).ok_or(Fallback::Calamine(
                    "a cell reference calamine may read otherwise",
                ))?;
                if row != self.row_index {
                    return bail("a cell whose reference is on another row");
                }
                col
            }
            None if self.col_index < MAX_COLUMN => self.col_index,
            None => return bail("a cell beyond the last column"),
        };
        let is_date = match style {
            None => false,
            Some(s) => {
                let s = digits(s).ok_or(Fallback::Calamine(
                    "a style number calamine may read otherwise",
                ))?;
                self.context.date_styles.get(s as usize) == Some(&true)
            }
        };
        Ok((col, is_date))
    }

    fn cell(&mut self, tag: Tag) -> Result<(), Fallback> {
        let s = self.s;
        let c_name = &s[self.i + tag.name.0..self.i + tag.name.1];
        let (mut r, mut t, mut style) = (None, None, None);
        let attrs = &s[self.i + tag.attrs.0..self.i + tag.attrs.1];
        for a in Attributes::new(attrs) {
            match a? {
                (b"r", v) => r = Some(v),
                (b"t", v) => t = Some(v),
                (b"s", v) => style = Some(v),
                _ => {}
            }
        }
        let (col, is_date) = self.place(r, style)?;
        self.i += tag.len;
        let mut value = Raw::Empty;
        if !tag.empty {
            self.open += 1;
            loop {
                self.skip_space();
                let child = self.tag()?;
                let name_at = (self.i + child.name.0, self.i + child.name.1);
                if child.end {
                    if &s[name_at.0..name_at.1] != c_name {
                        return bail("a cell's end tag does not match");
                    }
                    self.close()?;
                    self.i += child.len;
                    break;
                }
                self.i += child.len;
                if !child.empty {
                    self.open += 1;
                }
                value = match local(&s[name_at.0..name_at.1]) {
                    b"v" => {
                        let text = if child.empty {
                            (self.i, self.i)
                        } else {
                            self.text_until_end(name_at)?
                        };
                        self.value(text, t, is_date)?
                    }
                    b"f" => {
                        if !child.empty {
                            let (a, b) = self.text_until_end(name_at)?;
                            // Checked as calamine's reader would, then of no use.
                            if memchr::memchr2(b'&', b'\r', &s[a..b]).is_some() {
                                push_text(&s[a..b], false, &mut String::new())?;
                            }
                        }
                        Raw::Empty
                    }
                    b"is" => {
                        if child.empty {
                            Raw::Empty
                        } else {
                            self.inline_string(name_at)?
                        }
                    }
                    _ => return bail("an element calamine does not expect in a cell"),
                };
            }
        }
        self.cells.push((col, value));
        self.col_index = col + 1;
        Ok(())
    }

    /// An end tag: quick-xml refuses one when no element is open.
    fn close(&mut self) -> Result<(), Fallback> {
        self.open = self
            .open
            .checked_sub(1)
            .ok_or(Fallback::Calamine("an end tag with no element open"))?;
        Ok(())
    }

    /// The text from `i` to the end tag named as `name_at`, which must follow it.
    fn text_until_end(&mut self, name_at: (usize, usize)) -> Result<(usize, usize), Fallback> {
        let start = self.i;
        let lt = memchr::memchr(b'<', &self.s[start..])
            .ok_or(Fallback::Calamine("a value cut short"))?
            + start;
        self.i = lt;
        let end = self.tag()?;
        if !end.end
            || self.s[self.i + end.name.0..self.i + end.name.1] != self.s[name_at.0..name_at.1]
        {
            return bail("a value holding an element");
        }
        self.close()?;
        self.i += end.len;
        Ok((start, lt))
    }

    /// calamine's `read_v`: a `<v>`'s text as the cell's type and style say.
    fn value(
        &mut self,
        (a, b): (usize, usize),
        t: Option<&[u8]>,
        is_date: bool,
    ) -> Result<Raw, Fallback> {
        let raw = &self.s[a..b];
        // The text, by place in the buffer or decoded into the arena.
        let (text, place) = if plain(raw) {
            let text = std::str::from_utf8(raw)
                .map_err(|_| Fallback::Calamine("a value that is not UTF-8"))?;
            (
                text,
                Raw::Buf((self.base + a) as u32, (self.base + b) as u32),
            )
        } else {
            let start = self.arena.len();
            push_text(raw, false, self.arena)?;
            let text = &self.arena[start..];
            (text, Raw::Arena(start as u32, self.arena.len() as u32))
        };
        Ok(match t {
            Some(b"s") => {
                let i = digits(text.as_bytes())
                    .filter(|i| (*i as usize) < self.context.strings.len())
                    .ok_or(Fallback::Calamine(
                        "a shared string index calamine may read otherwise",
                    ))?;
                Raw::Shared(i)
            }
            Some(b"b") => Raw::Bool(text != "0"),
            Some(b"e") => Raw::Error(match text {
                "#DIV/0!" => CellErrorType::Div0,
                "#N/A" => CellErrorType::NA,
                "#NAME?" => CellErrorType::Name,
                "#NULL!" => CellErrorType::Null,
                "#NUM!" => CellErrorType::Num,
                "#REF!" => CellErrorType::Ref,
                "#VALUE!" => CellErrorType::Value,
                _ => return bail("an error value calamine does not know"),
            }),
            Some(b"d") => match crate::read::iso_date(text) {
                Cell::Date(d) => Raw::Date(d),
                _ => unreachable!("iso_date gives a date cell"),
            },
            Some(b"str") => place,
            Some(b"n") if text.is_empty() => Raw::Empty,
            Some(b"n") => match number(text) {
                Some(n) => self.number(n, is_date)?,
                None => return bail("a number calamine cannot read"),
            },
            None => match number(text) {
                Some(n) => self.number(n, is_date)?,
                None => place,
            },
            Some(_) => return bail("a cell type calamine does not read"),
        })
    }

    fn number(&self, n: f64, is_date: bool) -> Result<Raw, Fallback> {
        if !is_date {
            return Ok(Raw::Number(n));
        }
        if !(0.0..MAX_SERIAL).contains(&n) {
            return bail("a date calamine may read otherwise");
        }
        Ok(Raw::Date(excel_date(n, self.context.is_1904)))
    }

    /// calamine's `read_string` for `<is>`: plain or rich text, phonetic runs left out.
    fn inline_string(&mut self, closing: (usize, usize)) -> Result<Raw, Fallback> {
        let s = self.s;
        let mut events = Events {
            s,
            i: self.i,
            open: self.open,
            pending_end: None,
        };
        let closing = &s[closing.0..closing.1];
        let mut rich: Option<usize> = None;
        let mut phonetic = false;
        let result = loop {
            match events.next()? {
                Event::Start(name) if local(name) == b"r" => {
                    rich.get_or_insert(self.arena.len());
                }
                Event::Start(name) if local(name) == b"rPh" => phonetic = true,
                Event::End(name) if name == closing => {
                    break match rich {
                        Some(start) => Raw::Arena(start as u32, self.arena.len() as u32),
                        None => Raw::Empty,
                    };
                }
                Event::End(name) if local(name) == b"rPh" => phonetic = false,
                Event::Start(t_name) if local(t_name) == b"t" && !phonetic => {
                    let start = self.arena.len();
                    loop {
                        match events.next()? {
                            Event::Text(raw) => push_text(raw, true, self.arena)?,
                            Event::End(name) if name == t_name => break,
                            _ => {}
                        }
                    }
                    if rich.is_none() {
                        // The rest of the string, to its end, is passed over.
                        let mut depth = 0usize;
                        loop {
                            match events.next()? {
                                Event::Start(name) if name == closing => depth += 1,
                                Event::End(name) if name == closing => match depth {
                                    0 => break,
                                    _ => depth -= 1,
                                },
                                Event::Text(raw) if raw.contains(&b'&') => {
                                    return bail("a reference outside a string's text");
                                }
                                _ => {}
                            }
                        }
                        break Raw::Arena(start as u32, self.arena.len() as u32);
                    }
                }
                Event::Text(raw) if raw.contains(&b'&') => {
                    return bail("a reference outside a string's text");
                }
                _ => {}
            }
        };
        self.i = events.i;
        self.open = events.open;
        Ok(result)
    }
}

/// What a cell read by [`Cells::fast_cell`] holds.
enum Content {
    Empty,
    V,
    Is,
}

/// The length of text up to the next `<` (or the end).
fn text_len(s: &[u8]) -> usize {
    s.iter().position(|&b| b == b'<').unwrap_or(s.len())
}

/// Text with no reference to resolve and no line end to normalise.
fn plain(raw: &[u8]) -> bool {
    raw.iter().all(|&b| b != b'&' && b != b'\r')
}

/// A number's text as Rust (and so calamine) reads it; whole numbers of up to 15
/// digits, nearly all of them, without the general parser.
fn number(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    if !b.is_empty() && b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        let mut n = 0u64;
        for &d in b {
            n = n * 10 + u64::from(d - b'0');
        }
        return Some(n as f64);
    }
    text.parse().ok()
}

/// Day 0 of the 1900 date system as it counts from 1 March 1900 on.
fn epoch_1900() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date")
}

/// A date cell's date as calamine gives it (`ExcelDateTime::to_ymd_hms_milli`, then
/// `NaiveDate::from_ymd_opt` in read.rs); `serial` is in 0..MAX_SERIAL.
pub(crate) fn excel_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    let days = serial.floor();
    if !is_1904 && days >= 61.0 {
        return epoch_1900().checked_add_days(chrono::Days::new(days as u64));
    }
    let (y, m, d, ..) =
        calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, is_1904)
            .to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
}

/// quick-xml's events as calamine's reader is set up to see them (empty elements
/// expanded), over a string's XML.
enum Event<'s> {
    Start(&'s [u8]),
    End(&'s [u8]),
    Text(&'s [u8]),
}

struct Events<'s> {
    s: &'s [u8],
    i: usize,
    /// As [`SheetReader::open`].
    open: u64,
    pending_end: Option<&'s [u8]>,
}

impl<'s> Events<'s> {
    fn next(&mut self) -> Result<Event<'s>, Fallback> {
        if let Some(name) = self.pending_end.take() {
            return Ok(Event::End(name));
        }
        let s = self.s;
        if self.i >= s.len() {
            return bail("a string cut short");
        }
        if s[self.i] != b'<' {
            let end = memchr::memchr(b'<', &s[self.i..]).map_or(s.len(), |at| self.i + at);
            let text = &s[self.i..end];
            self.i = end;
            return Ok(Event::Text(text));
        }
        let tag = Tag::parse(&s[self.i..])?.ok_or(Fallback::Calamine("a tag cut short"))?;
        let name = &s[self.i + tag.name.0..self.i + tag.name.1];
        // Checked as quick-xml would, though calamine reads none of them here.
        for a in Attributes::new(&s[self.i + tag.attrs.0..self.i + tag.attrs.1]) {
            a?;
        }
        self.i += tag.len;
        Ok(if tag.end {
            self.open = self
                .open
                .checked_sub(1)
                .ok_or(Fallback::Calamine("an end tag with no element open"))?;
            Event::End(name)
        } else {
            if tag.empty {
                self.pending_end = Some(name);
            } else {
                self.open += 1;
            }
            Event::Start(name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_calamine_gives_them_for_every_serial() {
        // Every day to 2228, then a sample to 9999 (all of them is slow unoptimised).
        let days = (0..120_000).chain((120_000..MAX_SERIAL as u32).step_by(997));
        for is_1904 in [false, true] {
            for day in days.clone() {
                for fraction in [0.0, 0.75] {
                    let serial = f64::from(day) + fraction;
                    let (y, m, d, ..) = calamine::ExcelDateTime::new(
                        serial,
                        calamine::ExcelDateTimeType::DateTime,
                        is_1904,
                    )
                    .to_ymd_hms_milli();
                    let expected =
                        NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d));
                    assert_eq!(excel_date(serial, is_1904), expected, "{serial} {is_1904}");
                }
            }
        }
    }

    #[test]
    fn numbers_as_rust_reads_them() {
        for text in [
            "0",
            "7",
            "007",
            "45352",
            "123456789012345",
            "1234567890123456",
            "1.5",
            "-3",
            "1e3",
            " 1",
            "",
            "x",
            "inf",
            "NaN",
        ] {
            assert_eq!(
                number(text).map(f64::to_bits),
                text.parse::<f64>().ok().map(f64::to_bits),
                "{text}"
            );
        }
    }

    #[test]
    fn references_and_attributes() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"AB12"), Some((11, 27)));
        assert_eq!(cell_ref(b"XFD1048576"), Some((1_048_575, 16_383)));
        for bad in [
            &b"XFE1"[..],
            b"A0",
            b"A01",
            b"a1",
            b"1",
            b"A",
            b"AAAA1",
            b"A1048577",
        ] {
            assert_eq!(cell_ref(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        let attrs: Vec<_> = Attributes::new(br#" r="A1" t = 's'"#)
            .map(|a| a.map_err(|_| ()))
            .collect();
        assert_eq!(
            attrs,
            [Ok((&b"r"[..], &b"A1"[..])), Ok((&b"t"[..], &b"s"[..]))]
        );
        assert!(Attributes::new(br#" r="A1" r="A2""#).any(|a| a.is_err()));
        assert!(Attributes::new(br#" r="A1"t="s""#).any(|a| a.is_err()));
        assert!(Attributes::new(br#" r=A1"#).any(|a| a.is_err()));
    }

    #[test]
    fn text_references_and_escapes() {
        let mut out = String::new();
        push_text(b"a &amp; b &#x41;&#66; _x000D_", true, &mut out).unwrap();
        assert_eq!(out, "a & b AB \r");
        for bad in [&b"&nbsp;"[..], b"&#0;", b"&#X41;", b"& b", b"a\rb"] {
            assert!(push_text(bad, false, &mut String::new()).is_err());
        }
    }
}
