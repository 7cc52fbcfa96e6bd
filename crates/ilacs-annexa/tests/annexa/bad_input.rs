//! Files that cannot be read: one clear error each, never a panic.

use crate::support::*;
use ilacs_annexa::{generate, read_csvs, read_workbook, ReadError};
use proptest::prelude::*;

#[test]
fn a_workbook_with_no_list_says_so() {
    let bytes = xlsx(&[(
        "Summary",
        vec![vec![S("Name"), S("Total")], vec![S("a"), N(1.0)]],
    )]);
    let e = read_workbook(&bytes).unwrap_err();
    assert!(
        matches!(&e, ReadError::NoList { looked_at, .. } if looked_at == &["Summary"]),
        "{e}"
    );
    assert!(e.to_string().contains("no Annex A list found"), "{e}");
}

#[test]
fn an_ods_workbook_is_read_and_one_without_lists_says_so() {
    let ods = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/published/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    ))
    .unwrap();
    assert!(matches!(read_workbook(&ods), Err(ReadError::NoList { .. })));
}

#[test]
fn the_same_list_twice_is_an_error_naming_both_sheets() {
    let sheet = vec![header(&CONTACT_HEADERS), contact("C1")];
    let bytes = xlsx(&[("Contacts", sheet.clone()), ("Contacts (2)", sheet)]);
    let e = read_workbook(&bytes).unwrap_err();
    assert_eq!(
        e,
        ReadError::ListTwice {
            list: 1,
            first: "Contacts".into(),
            second: "Contacts (2)".into()
        }
    );
}

#[test]
fn truncated_workbooks_are_one_error() {
    let whole = generate(20, 1, 0.0).bytes;
    for cut in [10, 100, whole.len() / 2, whole.len() - 10] {
        let e = read_workbook(&whole[..cut]).unwrap_err();
        assert!(
            matches!(
                e,
                ReadError::Unreadable { format: "xlsx", .. } | ReadError::SheetUnreadable { .. }
            ),
            "cut at {cut}: {e}"
        );
    }
}

#[test]
fn an_encrypted_workbook_is_named_as_such() {
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(512, 0);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(
        read_workbook(&ole).unwrap_err(),
        ReadError::Encrypted { format: "xlsx" }
    );
}

#[test]
fn not_a_workbook_is_one_error() {
    let e = read_workbook(b"Child Unique ID,Gender\n").unwrap_err();
    assert!(matches!(e, ReadError::NotASpreadsheet { .. }), "{e}");
}

#[test]
fn a_latin_1_csv_is_an_encoding_error_naming_the_line() {
    let mut bytes = b"Child Unique ID,Gender,Ethnicity,Date of Contact,Contact Source\nC1,a) Male,a) WBRI,01/03/2024,1A\n".to_vec();
    bytes.extend(b"C2,a) Male,a) WBRI,01/03/2024,Caf\xe9\n");
    let e = read_csvs(&[("contacts.csv", &bytes)]).unwrap_err();
    assert_eq!(
        e,
        ReadError::CsvEncoding {
            file: "contacts.csv".into(),
            line: 3
        }
    );
    assert!(e.to_string().contains("CSV UTF-8"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_bytes_make_the_readers_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_workbook(&bytes);
        let _ = read_csvs(&[("x.csv", &bytes)]);
    }

    #[test]
    fn no_damage_to_a_real_workbook_makes_it_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = small_workbook().to_vec();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = read_workbook(&bytes);
    }
}

fn small_workbook() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    // Stored, not deflated, bytes would flip cell text; deflated ones exercise the zip
    // reader. Both are bad input worth surviving.
    BYTES.get_or_init(|| generate(3, 7, 0.3).bytes)
}

#[test]
fn an_encrypted_ods_is_named_as_such() {
    let rows = vec![header(&CONTACT_HEADERS), contact("C1")];
    assert_eq!(
        read_workbook(&ods("Contacts", &rows, true)).unwrap_err(),
        ReadError::Encrypted { format: "ods" }
    );
}

/// Reads `bytes` both ways: the fast reader must never panic, and whatever it reads
/// calamine must read the same (what it leaves to calamine, calamine reads).
fn fast_agrees_with_calamine(bytes: &[u8]) -> Result<(), TestCaseError> {
    let fast = ilacs_annexa::testing::read_xlsx_fast(bytes);
    let _ = read_workbook(bytes);
    if let Ok(Err(e)) = &fast {
        // Found no list, or one twice: calamine, reading the same cells, says the same.
        let calamine = ilacs_annexa::testing::read_workbook_with_calamine(bytes);
        prop_assert_eq!(Some(e), calamine.as_ref().err());
    }
    if let Ok(Ok(fast)) = fast {
        match ilacs_annexa::testing::read_workbook_with_calamine(bytes) {
            Ok(calamine) => {
                let (a, b) = (format!("{fast:?}"), format!("{calamine:?}"));
                let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y);
                let at = at.unwrap_or(a.len().min(b.len())).saturating_sub(60);
                let part = |s: &str| s.get(at..(at + 200).min(s.len())).unwrap_or("").to_string();
                prop_assert!(
                    a == b,
                    "the fast reader read\n{}\nand calamine\n{}",
                    part(&a),
                    part(&b)
                );
            }
            Err(e) => prop_assert!(false, "the fast reader read what calamine cannot: {e}"),
        }
    }
    Ok(())
}

/// Characters and pieces that make and break XML, for edits to a sheet's text.
fn xml_edits() -> impl Strategy<Value = Vec<(prop::sample::Index, u8, Vec<u8>)>> {
    let byte =
        prop::sample::select(b"<>/\"'=&;#x: \r\nabcfrstvAZ019_-.".to_vec()).prop_map(|b| vec![b]);
    let piece = prop::sample::select(vec![
        "<c>",
        "</c>",
        "<c/>",
        "<v>",
        "</v>",
        "<v/>",
        "<row>",
        "</row>",
        "<row/>",
        "<is>",
        "</is>",
        "<t>",
        "</t>",
        "<r>",
        "</r>",
        "<f>",
        "</f>",
        "<!--x-->",
        "<![CDATA[x]]>",
        "<?p?>",
        "&amp;",
        "&#65;",
        "&bad;",
        " r=\"A1\"",
        " r=\"B99\"",
        " s=\"1\"",
        " t=\"s\"",
        " t=\"str\"",
        " t=\"inlineStr\"",
        "x:",
        "_x000D_",
        "</sheetData>",
        "<sheetData>",
    ])
    .prop_map(|p| p.as_bytes().to_vec());
    let change = prop_oneof![byte, piece];
    proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, change), 1..3)
}

fn edit(text: &str, edits: &[(prop::sample::Index, u8, Vec<u8>)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for (at, how, piece) in edits {
        let i = at.index(bytes.len());
        match how {
            0 => {
                bytes.splice(i..(i + piece.len()).min(bytes.len()), piece.iter().copied());
            }
            1 => {
                bytes.splice(i..i, piece.iter().copied());
            }
            _ => {
                bytes.drain(i..(i + piece.len()).min(bytes.len()));
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn damaged_sheet_xml_is_read_as_calamine_reads_it_or_left_to_it(edits in xml_edits()) {
        use crate::reading::{every_kind_of_cell, package, sheet_xml, SHARED};
        let sheet = edit(&sheet_xml(&every_kind_of_cell()), &edits);
        fast_agrees_with_calamine(&package(&[("Contacts", sheet)], SHARED, ""))?;
    }

    #[test]
    fn damaged_shared_strings_are_read_as_calamine_reads_them(edits in xml_edits()) {
        use crate::reading::{every_kind_of_cell, package, sheet_xml, SHARED};
        let shared = edit(SHARED, &edits);
        fast_agrees_with_calamine(&package(&[("Contacts", sheet_xml(&every_kind_of_cell()))], &shared, ""))?;
    }

    #[test]
    fn flipped_and_truncated_workbooks_never_panic_and_agree(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = small_workbook().to_vec();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        fast_agrees_with_calamine(&bytes)?;
        fast_agrees_with_calamine(&bytes[..cut.index(bytes.len())])?;
    }
}

/// A zip container written by hand: each entry's name, compression method (0 stored,
/// 8 deflated), CRC-32, uncompressed size as claimed, and data as stored.
fn zip_by_hand(entries: &[(&str, u16, u32, u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, crc, size, data) in entries {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&method.to_le_bytes());
            v.extend_from_slice(&0u32.to_le_bytes()); // time and date
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        out.extend_from_slice(b"PK\x03\x04");
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A deflate stream (fixed Huffman codes, written bit by bit) that inflates to
/// `prefix` then `repeats` runs of 258 spaces: a zip bomb of about 1,000 to 1.
fn deflate_bomb(prefix: &[u8], repeats: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn lsb_first(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u64, count: u32) {
            let reversed = (0..count).fold(0, |r, i| (r << 1) | ((code >> i) & 1));
            self.lsb_first(reversed, count);
        }
    }
    let mut bits = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    bits.lsb_first(1, 1); // the final block
    bits.lsb_first(1, 2); // fixed Huffman codes
    for &b in prefix.iter().chain(b" ") {
        assert!(b < 144);
        bits.code(0x30 + u64::from(b), 8);
    }
    for _ in 0..repeats {
        bits.code(0xC5, 8); // length 258
        bits.code(0, 5); // distance 1
    }
    bits.code(0, 7); // end of block
    bits.lsb_first(0, 7);
    bits.out
}

#[test]
fn a_zip_bomb_is_refused_before_it_fills_memory() {
    use crate::reading::{package, sheet_xml, SHARED};
    // A real workbook whose sheet is swapped for one that inflates past 1 GiB.
    let real = package(&[("Contacts", sheet_xml(""))], SHARED, "");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&real[..])).unwrap();
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data).unwrap();
        let name = file.name().to_string();
        entries.push((name, data));
    }
    let head = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let repeats = (1usize << 30) / 258 + 4096;
    let bomb = deflate_bomb(head, repeats);
    let inflated = (head.len() + 1 + repeats * 258) as u32;
    let mut by_hand: Vec<(&str, u16, u32, u32, Vec<u8>)> = Vec::new();
    for (name, data) in &entries {
        if name == "xl/worksheets/sheet1.xml" {
            by_hand.push((name, 8, 0, inflated, bomb.clone()));
        } else {
            by_hand.push((name, 0, crc32(data), data.len() as u32, data.clone()));
        }
    }
    let bytes = zip_by_hand(&by_hand);
    assert!(bytes.len() < 8 << 20, "{} bytes", bytes.len());
    let e = read_workbook(&bytes).unwrap_err();
    assert!(
        matches!(&e, ReadError::Unreadable { format: "xlsx", message } if message.contains("xl/worksheets/sheet1.xml unpacks to more than 1024 MiB")),
        "{e}"
    );

    // Inside a row, the bomb is refused once the row passes 64 MiB.
    let head = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
    let repeats = (80 << 20) / 258;
    let inflated = (head.len() + 1 + repeats * 258) as u32;
    let bomb = deflate_bomb(head, repeats);
    for entry in &mut by_hand {
        if entry.0 == "xl/worksheets/sheet1.xml" {
            *entry = (entry.0, 8, 0, inflated, bomb.clone());
        }
    }
    let e = read_workbook(&zip_by_hand(&by_hand)).unwrap_err();
    assert!(
        matches!(&e, ReadError::Unreadable { format: "xlsx", message } if message.contains("one row of xl/worksheets/sheet1.xml unpacks to more than 64 MiB")),
        "{e}"
    );
}

/// CRC-32 (IEEE), bit by bit: small parts only.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_workbook_of_thousands_of_sheets_is_refused() {
    use crate::reading::{package, sheet_xml, SHARED};
    let names: Vec<String> = (0..1001).map(|i| format!("S{i}")).collect();
    let sheets: Vec<(&str, String)> = names.iter().map(|n| (n.as_str(), sheet_xml(""))).collect();
    let e = read_workbook(&package(&sheets, SHARED, "")).unwrap_err();
    assert!(
        matches!(&e, ReadError::Unreadable { format: "xlsx", message } if message.contains("1001 sheets")),
        "{e}"
    );
}
