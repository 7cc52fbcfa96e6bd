//! Opening an xlsx workbook: its sheets, shared strings, date styles and date system,
//! read from the package's small parts with quick-xml, in calamine 0.31's way step by
//! step (`Xlsx::new`), so both see the same workbook. The sheets themselves are read
//! by [`super::sheet`].

use super::sheet::{Context, SheetReader};
use super::{compat, Capped, Fallback, MAX_PART_BYTES, MAX_WORKBOOK_BYTES};
use quick_xml::events::attributes::Attribute;
use quick_xml::events::Event;
use quick_xml::name::QName;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, Cursor, Read};

pub(crate) type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;
pub(crate) type Part<'z, 'b> = Capped<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>;
type Xml<'z, 'b> = quick_xml::Reader<BufReader<Part<'z, 'b>>>;

/// The most sheets a workbook may have: each costs a look-up and a reader, and a
/// hostile workbook.xml can list millions (pointing at one part).
const MAX_SHEETS: usize = 1000;

/// The shared strings, in one buffer.
#[derive(Default)]
pub(crate) struct Strings {
    text: String,
    ends: Vec<u32>,
}

impl Strings {
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        Some(&self.text[start..end])
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    fn push(&mut self, s: &str) -> Result<(), Fallback> {
        self.text.push_str(s);
        let end = u32::try_from(self.text.len())
            .map_err(|_| Fallback::Calamine("over 4 GB of shared strings"))?;
        self.ends.push(end);
        Ok(())
    }
}

/// A workbook opened: what every sheet needs to read its cells.
pub(crate) struct Book<'b> {
    zip: Zip<'b>,
    /// Each entry's name by its name lower-cased with `/` for `\\` (the first of any
    /// that compare equal so), for looking parts up as calamine does, in one step.
    names: HashMap<String, String>,
    pub(crate) strings: Strings,
    /// For each cell style (`s`), whether its number format shows a date, a time or a
    /// duration: calamine reads a number in such a cell as a date.
    pub(crate) date_styles: Vec<bool>,
    pub(crate) is_1904: bool,
    /// Each sheet's name and part, in the workbook's order.
    pub(crate) sheets: Vec<(String, String)>,
    /// What the parts not yet read may still unpack to.
    budget: u64,
}

const WHY_XML: &str = "a part's XML is not as calamine's reader takes it";

impl<'b> Book<'b> {
    pub(crate) fn open(bytes: &'b [u8]) -> Result<Book<'b>, Fallback> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| Fallback::Calamine("the zip container does not open"))?;
        let mut names = HashMap::new();
        for name in zip.file_names() {
            names
                .entry(name.replace('\\', "/").to_ascii_lowercase())
                .or_insert_with(|| name.to_string());
        }
        let mut book = Book {
            zip,
            names,
            strings: Strings::default(),
            date_styles: Vec::new(),
            is_1904: false,
            sheets: Vec::new(),
            budget: MAX_WORKBOOK_BYTES,
        };
        book.read_shared_strings()?;
        book.read_styles()?;
        let relationships = book.read_relationships()?;
        book.read_workbook(&relationships)?;
        if book.sheets.len() > MAX_SHEETS {
            return Err(Fallback::TooMany(format!(
                "it has {} sheets; an Annex A return has a few dozen at most, and more than {MAX_SHEETS} are refused",
                book.sheets.len()
            )));
        }
        Ok(book)
    }

    /// A part of the package by its path, looked up as calamine does (ignoring case
    /// and backslashes); None if it is not there.
    fn part(&mut self, path: &str) -> Result<Option<Part<'_, 'b>>, Fallback> {
        let name = self.zip_path(path);
        let limit = MAX_PART_BYTES.min(self.budget);
        match self.zip.by_name(&name) {
            Ok(file) => Ok(Some(Capped::new(file, limit))),
            Err(zip::result::ZipError::FileNotFound) => Ok(None),
            Err(_) => Err(Fallback::Calamine(
                "a part of the zip container does not open",
            )),
        }
    }

    /// The first sheet of this name (as calamine looks sheets up), ready to read.
    pub(crate) fn sheet(&mut self, name: &str) -> Result<SheetReader<'_, 'b>, Fallback> {
        let path = self
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .ok_or(Fallback::Calamine("no such sheet"))?;
        let entry = self.zip_path(&path);
        let limit = MAX_PART_BYTES.min(self.budget);
        let file = match self.zip.by_name(&entry) {
            Ok(file) => file,
            Err(_) => return Err(Fallback::Calamine("a sheet's part does not open")),
        };
        let context = Context {
            strings: &self.strings,
            date_styles: &self.date_styles,
            is_1904: self.is_1904,
        };
        SheetReader::new(Capped::new(file, limit), &path, context)
    }

    /// calamine's `path_to_zip_path`: the first entry whose name, with `\\` read as
    /// `/`, equals the path ignoring ASCII case (else the path as it is).
    fn zip_path(&self, path: &str) -> String {
        self.names
            .get(&path.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| path.to_string())
    }

    /// Counts a sheet's inflated bytes against the whole workbook's limit.
    pub(crate) fn spend(&mut self, inflated: u64) {
        self.budget = self.budget.saturating_sub(inflated);
    }

    fn xml(&mut self, path: &str) -> Result<Option<(Xml<'_, 'b>, u64)>, Fallback> {
        let Some(part) = self.part(path)? else {
            return Ok(None);
        };
        let limit = part.left();
        let mut r = quick_xml::Reader::from_reader(BufReader::new(part));
        let config = r.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        Ok(Some((r, limit)))
    }

    fn read_shared_strings(&mut self) -> Result<(), Fallback> {
        const PATH: &str = "xl/sharedStrings.xml";
        let mut strings = Strings::default();
        let Some((mut xml, limit)) = self.xml(PATH)? else {
            return Ok(());
        };
        let result = read_sst(&mut xml, &mut strings);
        let (left, exceeded) = state(&xml);
        drop(xml);
        self.finish_part(PATH, limit, left, exceeded, result)?;
        self.strings = strings;
        Ok(())
    }

    fn read_styles(&mut self) -> Result<(), Fallback> {
        const PATH: &str = "xl/styles.xml";
        let Some((mut xml, limit)) = self.xml(PATH)? else {
            return Ok(());
        };
        let mut formats = Vec::new();
        let result = read_styles(&mut xml, &mut formats);
        let (left, exceeded) = state(&xml);
        drop(xml);
        self.finish_part(PATH, limit, left, exceeded, result)?;
        self.date_styles = formats;
        Ok(())
    }

    fn read_relationships(&mut self) -> Result<BTreeMap<Vec<u8>, String>, Fallback> {
        const PATH: &str = "xl/_rels/workbook.xml.rels";
        let Some((mut xml, limit)) = self.xml(PATH)? else {
            return Err(Fallback::Calamine("no xl/_rels/workbook.xml.rels"));
        };
        let mut relationships = BTreeMap::new();
        let result = read_relationships(&mut xml, &mut relationships);
        let (left, exceeded) = state(&xml);
        drop(xml);
        self.finish_part(PATH, limit, left, exceeded, result)?;
        Ok(relationships)
    }

    fn read_workbook(&mut self, relationships: &BTreeMap<Vec<u8>, String>) -> Result<(), Fallback> {
        const PATH: &str = "xl/workbook.xml";
        let Some((mut xml, limit)) = self.xml(PATH)? else {
            return Ok(());
        };
        let mut sheets = Vec::new();
        let mut is_1904 = false;
        let result = read_workbook(&mut xml, relationships, &mut sheets, &mut is_1904);
        let (left, exceeded) = state(&xml);
        drop(xml);
        self.finish_part(PATH, limit, left, exceeded, result)?;
        self.sheets = sheets;
        self.is_1904 = is_1904;
        Ok(())
    }

    fn finish_part(
        &mut self,
        path: &str,
        limit: u64,
        left: u64,
        exceeded: bool,
        result: Result<(), Fallback>,
    ) -> Result<(), Fallback> {
        if exceeded {
            return Err(Fallback::too_large(path, limit));
        }
        self.spend(limit - left);
        result
    }
}

fn state(xml: &Xml<'_, '_>) -> (u64, bool) {
    let part = xml.get_ref().get_ref();
    (part.left(), part.exceeded)
}

fn xml_error<T>(_: T) -> Fallback {
    Fallback::Calamine(WHY_XML)
}

/// calamine's `read_shared_strings`.
fn read_sst(xml: &mut Xml<'_, '_>, strings: &mut Strings) -> Result<(), Fallback> {
    let mut buf = Vec::with_capacity(1024);
    let mut value = String::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(ref e) if e.local_name().as_ref() == b"si" => {
                let name = e.name().as_ref().to_vec();
                value.clear();
                if read_string(xml, QName(&name), &mut value)? {
                    strings.push(&value)?;
                }
            }
            Event::End(ref e) if e.local_name().as_ref() == b"sst" => break,
            Event::Eof => return Err(Fallback::Calamine("sharedStrings.xml ends early")),
            _ => (),
        }
    }
    Ok(())
}

/// calamine's `read_string`: a plain or rich text string, into `out`; false if it has
/// no text element at all (calamine then leaves it out of the shared strings).
fn read_string(xml: &mut Xml<'_, '_>, closing: QName, out: &mut String) -> Result<bool, Fallback> {
    let mut buf = Vec::with_capacity(64);
    let mut val_buf = Vec::with_capacity(64);
    let mut rich = false;
    let mut is_phonetic_text = false;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(ref e) if e.local_name().as_ref() == b"r" => rich = true,
            Event::Start(ref e) if e.local_name().as_ref() == b"rPh" => is_phonetic_text = true,
            Event::End(ref e) if e.name() == closing => return Ok(rich),
            Event::End(ref e) if e.local_name().as_ref() == b"rPh" => is_phonetic_text = false,
            Event::Start(ref e) if e.local_name().as_ref() == b"t" && !is_phonetic_text => {
                val_buf.clear();
                let t_name = e.name().as_ref().to_vec();
                loop {
                    match xml.read_event_into(&mut val_buf).map_err(xml_error)? {
                        Event::Text(t) => {
                            let text = t.xml10_content().map_err(xml_error)?;
                            out.push_str(&compat::unescape_xml(&text));
                        }
                        Event::GeneralRef(e) => push_entity(&e, out)?,
                        Event::End(end) if end.name().as_ref() == t_name.as_slice() => break,
                        Event::Eof => return Err(Fallback::Calamine("a string ends early")),
                        _ => (),
                    }
                }
                if !rich {
                    xml.read_to_end_into(closing, &mut val_buf)
                        .map_err(xml_error)?;
                    return Ok(true);
                }
            }
            Event::Eof => return Err(Fallback::Calamine("a string ends early")),
            _ => (),
        }
    }
}

/// calamine's `unescape_entity_to_buffer`.
fn push_entity(entity: &quick_xml::events::BytesRef<'_>, out: &mut String) -> Result<(), Fallback> {
    let decoded = entity.decode().map_err(xml_error)?;
    if let Some(s) = quick_xml::escape::resolve_xml_entity(&decoded) {
        out.push_str(s);
        return Ok(());
    }
    match entity.resolve_char_ref().map_err(xml_error)? {
        Some(c) => {
            out.push(c);
            Ok(())
        }
        None => Err(Fallback::Calamine("an unknown entity")),
    }
}

/// calamine's `read_styles`: for each cell style, whether it is a date's.
fn read_styles(xml: &mut Xml<'_, '_>, formats: &mut Vec<bool>) -> Result<(), Fallback> {
    let mut number_formats: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    let mut buf = Vec::with_capacity(1024);
    let mut inner_buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(ref e) if e.local_name().as_ref() == b"numFmts" => loop {
                inner_buf.clear();
                match xml.read_event_into(&mut inner_buf).map_err(xml_error)? {
                    Event::Start(ref e) if e.local_name().as_ref() == b"numFmt" => {
                        let mut id = Vec::new();
                        let mut format = String::new();
                        for a in e.attributes() {
                            match a.map_err(xml_error)? {
                                Attribute {
                                    key: QName(b"numFmtId"),
                                    value: v,
                                } => id.extend_from_slice(&v),
                                Attribute {
                                    key: QName(b"formatCode"),
                                    value: v,
                                } => {
                                    format =
                                        xml.decoder().decode(&v).map_err(xml_error)?.into_owned()
                                }
                                _ => (),
                            }
                        }
                        if !format.is_empty() {
                            number_formats.insert(id, format);
                        }
                    }
                    Event::End(ref e) if e.local_name().as_ref() == b"numFmts" => break,
                    Event::Eof => return Err(Fallback::Calamine("styles.xml ends early")),
                    _ => (),
                }
            },
            Event::Start(ref e) if e.local_name().as_ref() == b"cellXfs" => loop {
                inner_buf.clear();
                match xml.read_event_into(&mut inner_buf).map_err(xml_error)? {
                    Event::Start(ref e) if e.local_name().as_ref() == b"xf" => {
                        formats.push(
                            e.attributes()
                                .filter_map(|a| a.ok())
                                .find(|a| a.key == QName(b"numFmtId"))
                                .is_some_and(|a| match number_formats.get(&*a.value) {
                                    Some(fmt) => compat::custom_format_is_date(fmt),
                                    None => compat::builtin_format_is_date(&a.value),
                                }),
                        );
                    }
                    Event::End(ref e) if e.local_name().as_ref() == b"cellXfs" => break,
                    Event::Eof => return Err(Fallback::Calamine("styles.xml ends early")),
                    _ => (),
                }
            },
            Event::End(ref e) if e.local_name().as_ref() == b"styleSheet" => break,
            Event::Eof => return Err(Fallback::Calamine("styles.xml ends early")),
            _ => (),
        }
    }
    Ok(())
}

/// calamine's `read_relationships`: each relationship's target by its id.
fn read_relationships(
    xml: &mut Xml<'_, '_>,
    relationships: &mut BTreeMap<Vec<u8>, String>,
) -> Result<(), Fallback> {
    let mut buf = Vec::with_capacity(64);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(ref e) if e.local_name().as_ref() == b"Relationship" => {
                let mut id = Vec::new();
                let mut target = String::new();
                for a in e.attributes() {
                    match a.map_err(xml_error)? {
                        Attribute {
                            key: QName(b"Id"),
                            value: v,
                        } => id.extend_from_slice(&v),
                        Attribute {
                            key: QName(b"Target"),
                            value: v,
                        } => target = xml.decoder().decode(&v).map_err(xml_error)?.into_owned(),
                        _ => (),
                    }
                }
                relationships.insert(id, target);
            }
            Event::End(ref e) if e.local_name().as_ref() == b"Relationships" => break,
            Event::Eof => return Err(Fallback::Calamine("workbook.xml.rels ends early")),
            _ => (),
        }
    }
    Ok(())
}

/// calamine's `read_workbook`: the sheets' names and parts, and the date system. Only
/// worksheets are read here; chart and dialog sheets are left to calamine.
fn read_workbook(
    xml: &mut Xml<'_, '_>,
    relationships: &BTreeMap<Vec<u8>, String>,
    sheets: &mut Vec<(String, String)>,
    is_1904: &mut bool,
) -> Result<(), Fallback> {
    let mut buf = Vec::with_capacity(1024);
    let mut val_buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(ref e) if e.local_name().as_ref() == b"sheet" => {
                let mut name = String::new();
                let mut path = String::new();
                for a in e.attributes() {
                    let a = a.map_err(xml_error)?;
                    match a {
                        Attribute {
                            key: QName(b"name"),
                            ..
                        } => {
                            name = a
                                .decode_and_unescape_value(xml.decoder())
                                .map_err(xml_error)?
                                .to_string();
                        }
                        Attribute {
                            key: QName(b"state"),
                            ..
                        } => {
                            let state = a
                                .decode_and_unescape_value(xml.decoder())
                                .map_err(xml_error)?;
                            if !matches!(state.as_ref(), "visible" | "hidden" | "veryHidden") {
                                return Err(Fallback::Calamine("a sheet's state is unknown"));
                            }
                        }
                        Attribute {
                            key: QName(b"r:id"),
                            value: v,
                        }
                        | Attribute {
                            key: QName(b"relationships:id"),
                            value: v,
                        } => {
                            let r = &relationships
                                .get(&*v)
                                .ok_or(Fallback::Calamine("a sheet's relationship is missing"))?[..];
                            // The target may start "/xl/" or "xl/".
                            path = if r.starts_with("/xl/") {
                                r[1..].to_string()
                            } else if r.starts_with("xl/") {
                                r.to_string()
                            } else {
                                format!("xl/{r}")
                            };
                        }
                        _ => (),
                    }
                }
                if path.split('/').nth(1) != Some("worksheets") {
                    return Err(Fallback::Calamine("a sheet that is not a worksheet"));
                }
                sheets.push((name, path));
            }
            Event::Start(ref e) if e.name().as_ref() == b"workbookPr" => {
                *is_1904 = match e.try_get_attribute("date1904").map_err(xml_error)? {
                    Some(c) => ["1", "true"].contains(
                        &c.decode_and_unescape_value(xml.decoder())
                            .map_err(xml_error)?
                            .as_ref(),
                    ),
                    None => false,
                };
            }
            Event::Start(ref e) if e.local_name().as_ref() == b"definedName" => {
                if let Some(a) = e
                    .attributes()
                    .filter_map(Result::ok)
                    .find(|a| a.key == QName(b"name"))
                {
                    // Read only for calamine's errors: a defined name is of no use here.
                    a.decode_and_unescape_value(xml.decoder())
                        .map_err(xml_error)?;
                    let end_name = e.name().as_ref().to_vec();
                    let mut value = String::new();
                    val_buf.clear();
                    loop {
                        match xml.read_event_into(&mut val_buf).map_err(xml_error)? {
                            Event::Text(t) => {
                                value.push_str(&t.xml10_content().map_err(xml_error)?)
                            }
                            Event::GeneralRef(e) => push_entity(&e, &mut value)?,
                            Event::End(end) if end.name().as_ref() == end_name.as_slice() => break,
                            Event::Eof => {
                                return Err(Fallback::Calamine("workbook.xml ends early"))
                            }
                            _ => (),
                        }
                    }
                }
            }
            Event::End(ref e) if e.local_name().as_ref() == b"workbook" => break,
            Event::Eof => return Err(Fallback::Calamine("workbook.xml ends early")),
            _ => (),
        }
    }
    Ok(())
}

/// Whether a zip container's parts all unpack within the limits, checked before the
/// workbook is handed to calamine (which has none): inflated to nowhere, a part at a
/// time.
pub(crate) fn within_limits(bytes: &[u8]) -> Result<(), Fallback> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // calamine's zip reader then says what is wrong with it.
        return Ok(());
    };
    let mut budget = MAX_WORKBOOK_BYTES;
    let mut sink = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        let name = file.name().to_string();
        let limit = MAX_PART_BYTES.min(budget);
        let mut part = Capped::new(file, limit);
        loop {
            match part.read(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(_) if part.exceeded => return Err(Fallback::too_large(&name, limit)),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // Damage: calamine reports it, or never reads this part.
                Err(_) => break,
            }
        }
        budget -= limit - part.left();
    }
    Ok(())
}
