//! `ilacs annex-a indicators`: the indicators for a reference date, as the report's
//! JSON or one line per indicator.

use anyhow::Context;
use chrono::NaiveDate;
use ilacs_annexa::indicators::{long_date, Indicator, Report, Settings, Unit};
use std::io::Write;

/// `--as-at`: an ISO date. A UK date is refused with the form to use instead.
pub(crate) fn parse_as_at(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d);
    }
    Err(match NaiveDate::parse_from_str(text, "%d/%m/%Y") {
        Ok(d) => format!(
            "write the date as YYYY-MM-DD: for {}, {}",
            long_date(d),
            d.format("%Y-%m-%d")
        ),
        Err(_) => "not a date: write it as YYYY-MM-DD, e.g. 2026-03-31".to_string(),
    })
}

/// The bundled thresholds with the `--threshold INDICATOR.THRESHOLD=VALUE` changes.
pub(super) fn settings(changes: &[String]) -> anyhow::Result<Settings> {
    let mut settings = Settings::bundled();
    for change in changes {
        let form = || {
            format!("--threshold '{change}': write it as INDICATOR.THRESHOLD=VALUE, e.g. cpp_visits.working_days=15")
        };
        let (name, value) = change.split_once('=').with_context(form)?;
        let (id, threshold) = name.trim().split_once('.').with_context(form)?;
        let value: u32 = value
            .trim()
            .parse()
            .with_context(|| format!("--threshold '{change}': the value is not a whole number"))?;
        settings
            .set(id, threshold, value)
            .with_context(|| format!("--threshold '{change}'"))?;
    }
    Ok(settings)
}

pub(super) fn write_text(out: &mut impl Write, report: &Report<'_>) -> std::io::Result<()> {
    writeln!(
        out,
        "Annex A indicators at {} (periods: the 6 months from {})",
        long_date(report.as_at),
        long_date(report.window_start)
    )?;
    for ind in &report.indicators {
        writeln!(out, "{}: {}", ind.name, result(ind))?;
        for note in &ind.notes {
            writeln!(out, "    {note}")?;
        }
    }
    Ok(())
}

/// An indicator's value and numerator/denominator, as one phrase.
fn result(ind: &Indicator<'_>) -> String {
    if let Some(why) = &ind.unavailable {
        return format!("not available: {why}");
    }
    let fraction = match (ind.numerator, ind.denominator) {
        (Some(n), Some(d)) => format!(" ({n}/{d})"),
        _ => String::new(),
    };
    let Some(value) = ind.value else {
        return format!("none to count{fraction}");
    };
    // The first threshold of a median is the one its numerator counts against.
    let (n, d) = (ind.numerator.unwrap_or(0), ind.denominator.unwrap_or(0));
    let first = ind.thresholds.first().map(|t| t.value);
    match (ind.unit, first) {
        (Unit::Percent, _) => format!("{value:.1}%{fraction}"),
        (Unit::Count, _) => format!("{value}"),
        (Unit::Days, Some(t)) => format!("median {value} days ({n}/{d} within {t} days)"),
        (Unit::Children, Some(t)) => {
            format!("median {value} children per worker ({n}/{d} workers with more than {t})")
        }
        (Unit::Days, None) => format!("median {value} days{fraction}"),
        (Unit::Children, None) => format!("median {value} children per worker{fraction}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_at_takes_an_iso_date_and_says_how_to_write_a_uk_one() {
        assert_eq!(
            parse_as_at("2026-11-23"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        );
        assert_eq!(
            parse_as_at("23/11/2026"),
            Err("write the date as YYYY-MM-DD: for 23 November 2026, 2026-11-23".into())
        );
        assert!(parse_as_at("2026-02-30")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }

    #[test]
    fn thresholds_are_changed_by_name() {
        let s = settings(&["cpp_visits.working_days=15".into()]).unwrap();
        assert_eq!(s.get("cpp_visits", "working_days"), Ok(15));
        for (bad, says) in [
            ("cpp_visits=15", "INDICATOR.THRESHOLD=VALUE"),
            ("cpp_visits.days=15", "no threshold 'days'"),
            ("cpp_visits.working_days=ten", "not a whole number"),
        ] {
            let e = format!("{:#}", settings(&[bad.into()]).unwrap_err());
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
