//! calamine 0.31's own rules, copied where its crate keeps them private, so the fast
//! reader decides exactly as calamine does which cells are dates and how Excel's
//! `_xHHHH_` escapes read. From calamine 0.31.0 (`src/formats.rs`, `src/utils.rs`),
//! MIT licence, copyright 2016-2025 Johann Tuffe; kept as written there, quirks and all
//! (a format code's `&amp;` is read raw, so its `a` then `m` make it a date format).

use std::borrow::Cow;

/// Whether a custom number format (the first of its `;` sections) shows a date or a
/// time, as calamine's `detect_custom_number_format` decides (date or duration: both
/// are read as dates).
pub(crate) fn custom_format_is_date(format: &str) -> bool {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return false,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return true,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return true,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return true
            }
            _ => {
                if hms && s.eq_ignore_ascii_case(&prev) {
                    // ok ...
                } else {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    false
}

/// Whether a built-in number format (by its id, as the attribute's bytes) is a date,
/// time or duration.
pub(crate) fn builtin_format_is_date(id: &[u8]) -> bool {
    matches!(
        id,
        b"14"
            | b"15"
            | b"16"
            | b"17"
            | b"18"
            | b"19"
            | b"20"
            | b"21"
            | b"22"
            | b"45"
            | b"46"
            | b"47"
    )
}

/// Length of `_x00HH_`.
const UNICODE_ESCAPE_LENGTH: usize = 7;

/// Excel's escapes of characters XML cannot hold: `_x000D_` is "\r". calamine applies
/// this to each run of a `<t>` element's text between entity references.
pub(crate) fn unescape_xml(original: &str) -> Cow<'_, str> {
    if !original.contains("_x00") {
        return Cow::Borrowed(original);
    }

    let bytes = original.as_bytes();
    let mut escaped_string = String::with_capacity(original.len());
    let mut i = 0;
    let mut has_changes = false;

    while i < bytes.len() {
        if i + UNICODE_ESCAPE_LENGTH <= bytes.len()
            && bytes[i] == b'_'
            && bytes.get(i..i + 4) == Some(b"_x00")
            && bytes[i + 6] == b'_'
        {
            if let Ok(hex_str) = std::str::from_utf8(&bytes[i + 4..i + 6]) {
                if let Ok(hex_value) = u8::from_str_radix(hex_str, 16) {
                    escaped_string.push(hex_value as char);
                    i += UNICODE_ESCAPE_LENGTH;
                    has_changes = true;
                    continue;
                }
            }
        }

        let remaining = &original[i..];
        match remaining.chars().next() {
            Some(ch) => {
                escaped_string.push(ch);
                i += ch.len_utf8();
            }
            None => break,
        }
    }

    if has_changes {
        Cow::Owned(escaped_string)
    } else {
        Cow::Borrowed(original)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_as_calamine_reads_them() {
        for date in [
            "dd/mm/yyyy",
            "DD/MM/YY",
            "H:MM:SS;@",
            "[h]:mm:ss",
            "[ss]",
            "&amp;",
        ] {
            assert!(custom_format_is_date(date), "{date}");
        }
        for other in [
            "0.00",
            "#,##0\\ [$\\u20bd-46D]",
            "\\Y000000",
            "General",
            "@",
        ] {
            assert!(!custom_format_is_date(other), "{other}");
        }
        assert!(builtin_format_is_date(b"14") && !builtin_format_is_date(b"1"));
    }

    #[test]
    fn excel_escapes() {
        assert_eq!(unescape_xml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_xml("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_xml("plain"), "plain");
    }
}
