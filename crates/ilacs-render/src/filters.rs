//! Template filters: dates as GOV.UK writes them, grades as tags.

use chrono::NaiveDate;
use ilacs_domain::grade::Grade;
use minijinja::Environment;

/// "2026-11-23" → "23 November 2026" (GOV.UK style). Other text passes through.
pub fn uk_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

fn grade_label(key: &str) -> String {
    Grade::parse(key)
        .map(|g| g.label().to_string())
        .unwrap_or_else(|_| key.to_string())
}

/// The tag colour for a grade: the colour helps, the words carry the meaning.
fn grade_tag_class(key: &str) -> &'static str {
    match Grade::parse(key) {
        Ok(Grade::Outstanding) => "govuk-tag--green",
        Ok(Grade::Good) => "govuk-tag--teal",
        Ok(Grade::RequiresImprovement) => "govuk-tag--yellow",
        Ok(Grade::Inadequate) => "govuk-tag--red",
        Err(_) => "govuk-tag--grey",
    }
}

/// A whole number with thousands separators: `26,910`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A theme key as words: "voice-of-the-child" → "Voice of the child".
fn theme_label(key: &str) -> String {
    let words = key.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn register(env: &mut Environment<'static>) {
    env.add_filter("uk_date", |s: String| uk_date(&s));
    env.add_filter("grade_label", |s: String| grade_label(&s));
    env.add_filter("grade_tag_class", |s: String| grade_tag_class(&s));
    env.add_filter("thousands", thousands);
    env.add_filter("theme_label", |s: String| theme_label(&s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_and_numbers_as_govuk_does() {
        assert_eq!(uk_date("2026-11-23"), "23 November 2026");
        assert_eq!(uk_date("2023-07-01"), "1 July 2023");
        assert_eq!(uk_date("not a date"), "not a date");
        assert_eq!(thousands(85041), "85,041");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(-1234567), "-1,234,567");
        assert_eq!(
            grade_label("requires_improvement"),
            "Requires improvement to be good"
        );
        assert_eq!(grade_tag_class("inadequate"), "govuk-tag--red");
        assert_eq!(theme_label("voice-of-the-child"), "Voice of the child");
        assert_eq!(theme_label(""), "");
    }
}
