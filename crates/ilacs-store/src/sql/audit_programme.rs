//! The audit programme: an LA's open cases and auditors (each list replaced whole) and
//! its confirmed months.

use super::published::placeholders;
use super::{date, iso, SqlStore};
use crate::records::{Change, ConfirmedProgramme, ProgrammeInputs};
use crate::StoreError;
use ilacs_domain::audit::{
    AuditLogEntry, AuditMonth, AuditorId, CaseType, ChildId, OpenCase, ProgrammeAuditor,
    ProgrammeItem, Team,
};
use ilacs_domain::authority::LaCode;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet};

/// Rows per multi-row insert: at most 7 parameters each stays well under either
/// database's limit, and an LA's few thousand open cases take a few statements.
const BATCH: usize = 200;

const OPEN_CASES: &str = "open_cases";
const AUDITORS: &str = "auditors";

fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("audit programme: {what} '{value}'"))
}

fn child(value: &str) -> Result<ChildId, StoreError> {
    ChildId::parse(value).map_err(|_| corrupt("child ID", value))
}

fn team(value: &str) -> Result<Team, StoreError> {
    Team::parse(value).map_err(|_| corrupt("team", value))
}

fn auditor(value: &str) -> Result<AuditorId, StoreError> {
    AuditorId::parse(value).map_err(|_| corrupt("auditor", value))
}

fn case_type(value: &str) -> Result<CaseType, StoreError> {
    CaseType::parse(value).ok_or_else(|| corrupt("case type", value))
}

fn month(value: &str) -> Result<AuditMonth, StoreError> {
    AuditMonth::parse(value).map_err(|_| corrupt("month", value))
}

fn change(row: &AnyRow, by: &str, at: &str) -> Result<Change, StoreError> {
    Ok(Change {
        by: row.try_get(by)?,
        at: row.try_get(at)?,
    })
}

fn item_from_row(row: &AnyRow) -> Result<ProgrammeItem, StoreError> {
    let last: Option<String> = row.try_get("last_audited")?;
    Ok(ProgrammeItem {
        month: month(&row.try_get::<String, _>("month")?)?,
        auditor: auditor(&row.try_get::<String, _>("auditor")?)?,
        child: child(&row.try_get::<String, _>("child_id")?)?,
        team: team(&row.try_get::<String, _>("team")?)?,
        case_type: case_type(&row.try_get::<String, _>("case_type")?)?,
        last_audited: last.as_deref().map(date).transpose()?,
    })
}

impl SqlStore {
    /// Empties one of the LA's lists and records who replaced it: the first half of a
    /// replacement, whose rows the caller then inserts in the same transaction.
    async fn clear_list(
        &self,
        tx: &mut Transaction<'static, Any>,
        la: &LaCode,
        list: &str,
        table: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let la_code = la.to_string();
        sqlx::query(&format!("DELETE FROM {table} WHERE la_code = $1"))
            .bind(la_code.clone())
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO audit_programme_lists (la_code, list, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (la_code, list) \
             DO UPDATE SET updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(la_code)
        .bind(list.to_string())
        .bind(chrono::Utc::now().timestamp())
        .bind(actor.to_string())
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::unknown_reference(e, || format!("LA {la} is not known")))?;
        Ok(())
    }

    pub(super) async fn replace_cases(
        &self,
        la: &LaCode,
        cases: &[OpenCase],
        actor: &str,
    ) -> Result<(), StoreError> {
        if cases.is_empty() {
            return Err(StoreError::Invalid(
                "The list of open cases is empty: the old list has been kept".into(),
            ));
        }
        let mut seen = BTreeSet::new();
        if let Some(twice) = cases.iter().find(|c| !seen.insert(&c.child)) {
            return Err(StoreError::Invalid(format!(
                "The open cases list child {} more than once: the old list has been kept",
                twice.child
            )));
        }
        let mut tx = self.begin_write().await?;
        self.clear_list(&mut tx, la, OPEN_CASES, "programme_open_cases", actor)
            .await?;
        for chunk in cases.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO programme_open_cases (la_code, child_id, team, case_type) VALUES {}",
                placeholders(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for case in chunk {
                query = query
                    .bind(la.to_string())
                    .bind(case.child.to_string())
                    .bind(case.team.to_string())
                    .bind(case.case_type.key().to_string());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn replace_auditors(
        &self,
        la: &LaCode,
        auditors: &[ProgrammeAuditor],
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut seen = BTreeSet::new();
        if let Some(twice) = auditors.iter().find(|a| !seen.insert(&a.auditor)) {
            return Err(StoreError::Invalid(format!(
                "The auditors list {} more than once: the old list has been kept",
                twice.auditor
            )));
        }
        let mut tx = self.begin_write().await?;
        self.clear_list(&mut tx, la, AUDITORS, "programme_auditors", actor)
            .await?;
        for chunk in auditors.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO programme_auditors (la_code, auditor, team, cases) VALUES {}",
                placeholders(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for a in chunk {
                query = query
                    .bind(la.to_string())
                    .bind(a.auditor.to_string())
                    .bind(a.team.to_string())
                    .bind(a.cases.map(i64::from));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn load_programme_inputs(
        &self,
        la: &LaCode,
    ) -> Result<ProgrammeInputs, StoreError> {
        let la_code = la.to_string();
        let mut inputs = ProgrammeInputs::default();
        for row in sqlx::query(
            "SELECT child_id, team, case_type FROM programme_open_cases WHERE la_code = $1",
        )
        .bind(la_code.clone())
        .fetch_all(&self.pool)
        .await?
        {
            inputs.open_cases.push(OpenCase {
                child: child(&row.try_get::<String, _>("child_id")?)?,
                team: team(&row.try_get::<String, _>("team")?)?,
                case_type: case_type(&row.try_get::<String, _>("case_type")?)?,
            });
        }
        for row in
            sqlx::query("SELECT auditor, team, cases FROM programme_auditors WHERE la_code = $1")
                .bind(la_code.clone())
                .fetch_all(&self.pool)
                .await?
        {
            let cases: Option<i64> = row.try_get("cases")?;
            inputs.auditors.push(ProgrammeAuditor {
                auditor: auditor(&row.try_get::<String, _>("auditor")?)?,
                team: team(&row.try_get::<String, _>("team")?)?,
                cases: cases
                    .map(|n| u32::try_from(n).map_err(|_| corrupt("number of cases", n)))
                    .transpose()?,
            });
        }
        for row in sqlx::query(
            "SELECT list, updated_at, updated_by FROM audit_programme_lists WHERE la_code = $1",
        )
        .bind(la_code)
        .fetch_all(&self.pool)
        .await?
        {
            let list: String = row.try_get("list")?;
            let updated = Some(change(&row, "updated_by", "updated_at")?);
            match list.as_str() {
                OPEN_CASES => inputs.open_cases_updated = updated,
                AUDITORS => inputs.auditors_updated = updated,
                other => return Err(corrupt("list", other)),
            }
        }
        // Sorted here, not by SQL: PostgreSQL's collation may order text unlike SQLite.
        inputs
            .open_cases
            .sort_by(|a, b| (&a.team, &a.child).cmp(&(&b.team, &b.child)));
        inputs.auditors.sort_by(|a, b| a.auditor.cmp(&b.auditor));
        Ok(inputs)
    }

    pub(super) async fn load_audit_log(
        &self,
        la: &LaCode,
    ) -> Result<Vec<AuditLogEntry>, StoreError> {
        sqlx::query(
            "SELECT child_id, auditor, audit_date FROM case_audits WHERE la_code = $1 \
             ORDER BY audit_date, id",
        )
        .bind(la.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(AuditLogEntry {
                child: child(&row.try_get::<String, _>("child_id")?)?,
                auditor: auditor(&row.try_get::<String, _>("auditor")?)?,
                date: date(&row.try_get::<String, _>("audit_date")?)?,
            })
        })
        .collect()
    }

    pub(super) async fn store_programme(
        &self,
        la: &LaCode,
        month: AuditMonth,
        items: &[ProgrammeItem],
        actor: &str,
    ) -> Result<ConfirmedProgramme, StoreError> {
        if items.is_empty() {
            return Err(StoreError::Invalid(format!(
                "The programme for {month} has no cases to confirm"
            )));
        }
        if let Some(other) = items.iter().find(|i| i.month != month) {
            return Err(StoreError::Invalid(format!(
                "An item for {} cannot be part of the programme for {month}",
                other.month
            )));
        }
        let mut seen = BTreeSet::new();
        if let Some(twice) = items.iter().find(|i| !seen.insert(&i.child)) {
            return Err(StoreError::Invalid(format!(
                "The programme for {month} gives child {} more than once",
                twice.child
            )));
        }
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO programme_months (la_code, month, confirmed_at, confirmed_by) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(la.to_string())
        .bind(month.key())
        .bind(now)
        .bind(actor.to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            match StoreError::unknown_reference(e, || format!("LA {la} is not known")) {
                StoreError::Database(other) => {
                    StoreError::duplicate_as(other, &format!("The programme for {month}"))
                }
                mapped => mapped,
            }
        })?;
        for chunk in items.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO programme_items (la_code, month, auditor, child_id, team, case_type, \
                 last_audited) VALUES {}",
                placeholders(chunk.len(), 7)
            );
            let mut query = sqlx::query(&sql);
            for item in chunk {
                query = query
                    .bind(la.to_string())
                    .bind(month.key())
                    .bind(item.auditor.to_string())
                    .bind(item.child.to_string())
                    .bind(item.team.to_string())
                    .bind(item.case_type.key().to_string())
                    .bind(item.last_audited.map(iso));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        let mut items = items.to_vec();
        items.sort_by(|a, b| (&a.auditor, &a.child).cmp(&(&b.auditor, &b.child)));
        Ok(ConfirmedProgramme {
            month,
            items,
            confirmed: Change {
                by: actor.to_string(),
                at: now,
            },
        })
    }

    pub(super) async fn load_programmes(
        &self,
        la: &LaCode,
    ) -> Result<Vec<ConfirmedProgramme>, StoreError> {
        let la_code = la.to_string();
        let mut months: BTreeMap<String, ConfirmedProgramme> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT month, confirmed_at, confirmed_by FROM programme_months WHERE la_code = $1",
        )
        .bind(la_code.clone())
        .fetch_all(&self.pool)
        .await?
        {
            let key: String = row.try_get("month")?;
            months.insert(
                key.clone(),
                ConfirmedProgramme {
                    month: month(&key)?,
                    items: Vec::new(),
                    confirmed: change(&row, "confirmed_by", "confirmed_at")?,
                },
            );
        }
        for row in sqlx::query(
            "SELECT month, auditor, child_id, team, case_type, last_audited FROM programme_items \
             WHERE la_code = $1",
        )
        .bind(la_code)
        .fetch_all(&self.pool)
        .await?
        {
            let key: String = row.try_get("month")?;
            let item = item_from_row(&row)?;
            months
                .get_mut(&key)
                .ok_or_else(|| corrupt("month of an item", &key))?
                .items
                .push(item);
        }
        for programme in months.values_mut() {
            programme
                .items
                .sort_by(|a, b| (&a.auditor, &a.child).cmp(&(&b.auditor, &b.child)));
        }
        Ok(months.into_values().rev().collect())
    }
}
