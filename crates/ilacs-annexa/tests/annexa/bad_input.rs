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
