//! Degrading (pseudonymising) the lists before they leave the LA, by each column's
//! `degrade` rule in the schema: IDs and the names of workers and teams replaced by a
//! keyed hash, dates of birth to the 1st of their month, placement postcodes to their
//! sector.
//!
//! The hash is HMAC-SHA-256 keyed with a secret the LA holds outside the data, over the
//! column's kind ("child", "worker"...), a zero byte and the cell's text. The same key
//! gives a child the same pseudonym in every list and every upload, so degraded uploads
//! still link; without the key a pseudonym cannot be turned back into an ID, nor an ID
//! into its pseudonym (IDs are guessable, so a plain hash could be reversed by trying
//! them all). The kind keeps domains apart: a worker called "1234" does not get child
//! 1234's pseudonym.
//!
//! A pseudonym is the tag's first 80 bits as 20 lower-case hex digits. An LA's history
//! holds at most a few hundred thousand distinct IDs of one kind; the chance that two of
//! n share a pseudonym is about n² / 2⁸¹, under one in 10¹¹ for a million. Shorter
//! would start to risk merging two children's records; longer only makes the sheets
//! wider.

use crate::cells::Value;
use crate::read::{AnnexA, CleanList, Issue};
use crate::schema::{Degrade, Schema};
use crate::Action;
use chrono::Datelike;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A key shorter than this is refused: 128 bits, so it cannot be found by trying.
pub const MIN_KEY_BYTES: usize = 16;

/// Bytes of the tag kept in a pseudonym (20 hex digits).
const PSEUDONYM_BYTES: usize = 10;

/// An issue's value in a degraded column is not carried into the degraded data.
const WITHHELD: &str = "(withheld)";

/// The LA's secret for the keyed hash: the bytes of its key file.
#[derive(Clone)]
pub struct Key(Vec<u8>);

/// Why a key file's contents cannot be a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is {length} bytes; a key needs at least {MIN_KEY_BYTES}. Make one with `head -c 32 /dev/urandom > annex-a.key`, keep it apart from the data, and use the same key every time, or children will not link across uploads")]
    TooShort { length: usize },
}

impl Key {
    /// The key a key file's bytes give. A trailing line break (a key typed or pasted
    /// into a text file) is not part of it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Key, KeyError> {
        let end = bytes
            .iter()
            .rposition(|&b| b != b'\n' && b != b'\r')
            .map_or(0, |i| i + 1);
        let key = &bytes[..end];
        if key.len() < MIN_KEY_BYTES {
            return Err(KeyError::TooShort { length: key.len() });
        }
        Ok(Key(key.to_vec()))
    }

    /// The keyed hash, ready for a kind's texts.
    fn for_kind(&self, kind: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(withheld)")
    }
}

/// The pseudonym `key` gives `text` in columns of `kind`: the first 20 hex digits of
/// HMAC-SHA-256(key, kind ‖ 0x00 ‖ text).
pub fn pseudonym(key: &Key, kind: &str, text: &str) -> String {
    finish(&key.for_kind(kind), text)
}

/// The pseudonym of `text`, from the keyed hash with its kind already in.
fn finish(keyed: &Hmac<Sha256>, text: &str) -> String {
    let mut mac = keyed.clone();
    mac.update(text.as_bytes());
    let tag = mac.finalize().into_bytes();
    let mut out = String::with_capacity(2 * PSEUDONYM_BYTES);
    for b in &tag[..PSEUDONYM_BYTES] {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// A postcode's sector: `E20 1LP` (any case, with or without the space) gives `E20 1`,
/// and a sector stays as it is. None for anything else.
pub fn postcode_sector(text: &str) -> Option<String> {
    let upper = text.trim().to_ascii_uppercase();
    let parts: Vec<&str> = upper.split_whitespace().collect();
    let (outward, inward) = match parts[..] {
        [outward, inward] => (outward, inward),
        // Without the space, the inward code is the last three characters.
        [compact] if compact.len() > 3 && compact.is_char_boundary(compact.len() - 3) => {
            compact.split_at(compact.len() - 3)
        }
        _ => return None,
    };
    let inward_ok = match inward.as_bytes() {
        // A sector already.
        [d] => d.is_ascii_digit(),
        [d, a, b] => d.is_ascii_digit() && a.is_ascii_uppercase() && b.is_ascii_uppercase(),
        _ => false,
    };
    (inward_ok && is_outward(outward)).then(|| format!("{outward} {}", &inward[..1]))
}

/// An outward code: A9, A99, A9A, AA9, AA99 or AA9A.
fn is_outward(s: &str) -> bool {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) || b.len() <= letters || !b[letters].is_ascii_digit() {
        return false;
    }
    match &b[letters + 1..] {
        [] => true,
        [c] => c.is_ascii_alphanumeric(),
        _ => false,
    }
}

/// The lists degraded by the schema's rules, in a normal [`AnnexA`] that
/// [`crate::write_clean_xlsx`] writes. A placement postcode that is not one is blanked,
/// with an issue numbering the row as the clean (and degraded) workbook does. The
/// issues are the reading's and these; their values in degraded columns are withheld.
pub fn degrade(annex: &AnnexA, key: &Key) -> AnnexA {
    let schema = Schema::bundled();
    let mut issues: Vec<Issue> = annex
        .issues
        .iter()
        .map(|i| {
            let mut i = i.clone();
            if !i.value.is_empty() && is_degraded(schema, i.list, &i.column) {
                i.value = WITHHELD.to_string();
            }
            i
        })
        .collect();
    let lists = annex
        .lists
        .iter()
        .map(|list| degrade_list(schema, list, key, &mut issues))
        .collect();
    // Stable: the new issues follow their list's own.
    issues.sort_by_key(|i| i.list);
    AnnexA {
        lists,
        issues,
        skipped_sheets: annex.skipped_sheets.clone(),
    }
}

fn is_degraded(schema: &Schema, list: u8, column: &str) -> bool {
    schema.list(list).is_some_and(|def| {
        def.columns
            .iter()
            .any(|c| c.name == column && c.degrade.is_some())
    })
}

/// One column's rule, with its keyed hash ready.
enum Rule<'s> {
    Keep,
    Hash(Hmac<Sha256>),
    Month,
    PostcodeSector(&'s str),
}

fn degrade_list(
    schema: &Schema,
    list: &CleanList,
    key: &Key,
    issues: &mut Vec<Issue>,
) -> CleanList {
    let Some(def) = schema.list(list.list) else {
        return list.clone();
    };
    let rules: Vec<Rule<'_>> = list
        .columns
        .iter()
        .map(|&c| match &def.columns[c].degrade {
            None => Rule::Keep,
            Some(Degrade::Hash(kind)) => Rule::Hash(key.for_kind(kind)),
            Some(Degrade::Month) => Rule::Month,
            Some(Degrade::PostcodeSector) => Rule::PostcodeSector(&def.columns[c].name),
        })
        .collect();
    let mut values = Vec::with_capacity(list.rows_kept() * list.columns.len());
    for (y, row) in list.rows().enumerate() {
        for (value, rule) in row.iter().zip(&rules) {
            values.push(match (rule, value) {
                (Rule::Keep, v) => v.clone(),
                (_, Value::Blank) => Value::Blank,
                (Rule::Hash(mac), Value::Text(t)) => Value::Text(finish(mac, t).into()),
                (Rule::Month, Value::Date(d)) => {
                    Value::Date(d.with_day(1).expect("every month has a 1st"))
                }
                (Rule::PostcodeSector(column), Value::Text(t)) => match postcode_sector(t) {
                    Some(sector) => Value::Text(sector.into()),
                    None => {
                        issues.push(Issue {
                            list: list.list,
                            // The header is row 1.
                            row: y as u32 + 2,
                            column: column.to_string(),
                            value: WITHHELD.to_string(),
                            reason: "not a postcode: blanked rather than shared, and as the \
                                     column is required the row will not be used (numbered as \
                                     in the clean workbook)"
                                .into(),
                            action: Action::Blanked,
                        });
                        Value::Blank
                    }
                },
                // A value of another type cannot be in a degraded column; were it
                // there, it would not leave the LA.
                _ => Value::Blank,
            });
        }
    }
    CleanList::from_values(
        list.list,
        list.source.clone(),
        list.rows_read,
        list.columns.clone(),
        values,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_become_their_sector() {
        for (postcode, sector) in [
            ("E20 1LP", "E20 1"),
            ("e20 1lp", "E20 1"),
            ("E201LP", "E20 1"),
            (" SW1A 2AA ", "SW1A 2"),
            ("M1 1AE", "M1 1"),
            ("B33 8TH", "B33 8"),
            ("CR2 6XH", "CR2 6"),
            ("DN55 1PT", "DN55 1"),
            ("W1A 0AX", "W1A 0"),
            ("E20 1", "E20 1"),
        ] {
            assert_eq!(
                postcode_sector(postcode).as_deref(),
                Some(sector),
                "{postcode}"
            );
        }
        for not in [
            "",
            "E20",
            "Confidential",
            "12 Acacia Avenue",
            "E20 1LP X",
            "1E20 1LP",
            "EEE0 1LP",
            "E20 LLP",
            "E20 11P",
            "E20 X",
            "ABC 1",
            "É20 1LP",
        ] {
            assert_eq!(postcode_sector(not), None, "{not}");
        }
    }

    #[test]
    fn a_key_file_needs_sixteen_bytes_and_its_line_break_is_not_key() {
        assert_eq!(
            Key::from_bytes(b"0123456789abcde\n").unwrap_err(),
            KeyError::TooShort { length: 15 }
        );
        let typed = Key::from_bytes(b"0123456789abcdef\r\n").unwrap();
        let bare = Key::from_bytes(b"0123456789abcdef").unwrap();
        assert_eq!(
            pseudonym(&typed, "child", "1"),
            pseudonym(&bare, "child", "1")
        );
        assert!(KeyError::TooShort { length: 0 }
            .to_string()
            .contains("head -c 32 /dev/urandom > annex-a.key"));
        assert_eq!(format!("{bare:?}"), "Key(withheld)");
    }
}
