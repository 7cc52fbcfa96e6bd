//! Builders shared by the self-evaluation module's tests.

use super::document::SelfEvaluation;
use super::evidence::{AuditSet, Citation, Evidence, Paragraph};
use super::guide::Structure;
use super::ids::{AuditRef, DocumentId, FinancialYear, IndicatorId, Period};
use crate::authority::LaCode;
use crate::framework::Catalogue;
use crate::user::Username;
use chrono::{DateTime, NaiveDate, Utc};

/// A new draft for Devon (878) for the financial year starting in `year`.
pub(crate) fn blank(year: i32) -> SelfEvaluation {
    SelfEvaluation::new(
        LaCode::parse("878").unwrap(),
        FinancialYear::new(year).unwrap(),
        &Catalogue::bundled(),
        &Structure::bundled(),
    )
    .unwrap()
}

pub(crate) fn by(name: &str) -> Username {
    Username::parse(name).unwrap()
}

/// Noon (UTC) on an ISO date.
pub(crate) fn at(date: &str) -> DateTime<Utc> {
    day(date).and_hms_opt(12, 0, 0).unwrap().and_utc()
}

pub(crate) fn day(date: &str) -> NaiveDate {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()
}

pub(crate) fn audits(ids: &[i64]) -> Evidence {
    Evidence::unlabelled(Citation::Audits {
        audits: AuditSet::new(ids.iter().map(|i| AuditRef::new(*i).unwrap())).unwrap(),
    })
}

pub(crate) fn indicator(key: &str) -> Evidence {
    Evidence::unlabelled(Citation::Indicator {
        indicator: IndicatorId::parse(key).unwrap(),
        period: Period::parse("2025-26").unwrap(),
    })
}

pub(crate) fn document(id: i64) -> Evidence {
    Evidence::unlabelled(Citation::Document {
        document: DocumentId::new(id).unwrap(),
    })
}

/// A paragraph citing one audit, or nothing.
pub(crate) fn para(text: &str, cited: bool) -> Paragraph {
    let evidence = if cited { vec![audits(&[1])] } else { vec![] };
    Paragraph::new(text, evidence).unwrap()
}

pub(crate) fn cites(text: &str, evidence: Vec<Evidence>) -> Paragraph {
    Paragraph::new(text, evidence).unwrap()
}
