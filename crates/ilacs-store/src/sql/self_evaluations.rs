//! Self-evaluations: each version one row, the document as JSON in `body`, with the
//! columns lists filter and sort on copied from it.

use super::{conflict, la_code, SqlStore};
use crate::records::{SefSummary, SharedSef, StoredSef};
use crate::StoreError;
use ilacs_domain::access::SefStage;
use ilacs_domain::authority::{LaCode, RegionId};
use ilacs_domain::self_evaluation::{
    parse_stage, stage_key, stage_label, EditError, FinancialYear, SelfEvaluation, STAGES,
};
use sqlx::any::AnyRow;
use sqlx::Row;

const SEF_COLUMNS: &str = "id, la_code, year, version, stage, body, row_version, \
     created_by, updated_at, updated_by";

const SUMMARY_COLUMNS: &str = "s.id, s.year, s.version, s.stage, s.updated_at, s.updated_by";

/// "version 2 of the LA's 2026-27 self-evaluation", for messages.
fn describe(sef: &SelfEvaluation) -> String {
    format!(
        "version {} of the LA's {} self-evaluation",
        sef.version(),
        sef.year()
    )
}

fn sef_corrupt(id: i64, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("self-evaluation {id}: {what}"))
}

/// The document as JSON without what the lifecycle changes (its stage and history):
/// what must stay the same once a version is no longer a draft.
pub(crate) fn content(sef: &SelfEvaluation) -> Result<serde_json::Value, StoreError> {
    let mut value = serde_json::to_value(sef)
        .map_err(|e| StoreError::Invalid(format!("the self-evaluation cannot be recorded: {e}")))?;
    if let Some(fields) = value.as_object_mut() {
        fields.remove("stage");
        fields.remove("history");
    }
    Ok(value)
}

/// Whether `new` may replace `stored` (the same LA, year and version): its history is the
/// stored one with any further steps, each one stage forward from where the last left
/// off, ending at its stage; and once the stored version is no longer a draft, its
/// content is unchanged.
pub(crate) fn check_change(
    stored: &SelfEvaluation,
    new: &SelfEvaluation,
) -> Result<(), StoreError> {
    let version = stored.version();
    if new.stage() < stored.stage() {
        return Err(StoreError::Invalid(format!(
            "Version {version} cannot go back from '{}' to '{}': a step cannot be undone",
            stage_label(stored.stage()),
            stage_label(new.stage())
        )));
    }
    let mut reached = SefStage::Draft;
    let mut steps_follow = true;
    for change in new.history() {
        steps_follow &= change.from == reached && change.to > change.from;
        reached = change.to;
    }
    if !steps_follow || reached != new.stage() || !new.history().starts_with(stored.history()) {
        return Err(StoreError::Invalid(format!(
            "The record of who signed off and shared version {version}, and when, cannot be \
             changed"
        )));
    }
    if !stored.is_draft() && content(stored)? != content(new)? {
        return Err(StoreError::Invalid(
            EditError::NotDraft {
                version,
                stage: stored.stage(),
            }
            .to_string(),
        ));
    }
    Ok(())
}

fn body(sef: &SelfEvaluation) -> Result<String, StoreError> {
    serde_json::to_string(sef)
        .map_err(|e| StoreError::Invalid(format!("the self-evaluation cannot be recorded: {e}")))
}

fn year_of(id: i64, year: i64) -> Result<FinancialYear, StoreError> {
    i32::try_from(year)
        .ok()
        .and_then(FinancialYear::new)
        .ok_or_else(|| sef_corrupt(id, format!("'{year}' is not a financial year")))
}

fn stage_of(id: i64, key: &str) -> Result<SefStage, StoreError> {
    parse_stage(key).ok_or_else(|| sef_corrupt(id, format!("'{key}' is not a stage")))
}

fn sef_from_row(row: &AnyRow) -> Result<StoredSef, StoreError> {
    let id: i64 = row.try_get("id")?;
    let body: String = row.try_get("body")?;
    let sef: SelfEvaluation = serde_json::from_str(&body)
        .map_err(|e| sef_corrupt(id, format!("the body is not a self-evaluation ({e})")))?;
    let la: String = row.try_get("la_code")?;
    let year: i64 = row.try_get("year")?;
    let version: i64 = row.try_get("version")?;
    let stage: String = row.try_get("stage")?;
    if sef.la().as_str() != la
        || i64::from(sef.year().starting_year()) != year
        || i64::from(sef.version()) != version
        || stage_key(sef.stage()) != stage
    {
        return Err(sef_corrupt(
            id,
            "the body does not match the row's LA, year, version or stage",
        ));
    }
    Ok(StoredSef {
        id,
        sef,
        row_version: row.try_get("row_version")?,
        created_by: row.try_get("created_by")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

fn summary_from_row(row: &AnyRow) -> Result<SefSummary, StoreError> {
    let id: i64 = row.try_get("id")?;
    let version: i64 = row.try_get("version")?;
    let stage: String = row.try_get("stage")?;
    Ok(SefSummary {
        id,
        year: year_of(id, row.try_get("year")?)?,
        version: u32::try_from(version)
            .map_err(|_| sef_corrupt(id, format!("'{version}' is not a version")))?,
        stage: stage_of(id, &stage)?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

impl SqlStore {
    pub(super) async fn create_sef(
        &self,
        sef: &SelfEvaluation,
        actor: &str,
    ) -> Result<StoredSef, StoreError> {
        if !sef.is_draft() || !sef.history().is_empty() {
            return Err(StoreError::Invalid(format!(
                "A new version must start as a draft: {} is '{}'",
                describe(sef),
                stage_label(sef.stage())
            )));
        }
        let body = body(sef)?;
        let la = sef.la().to_string();
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO self_evaluations (la_code, year, version, stage, body, row_version, \
             created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7) RETURNING id",
        )
        .bind(la.clone())
        .bind(i64::from(sef.year().starting_year()))
        .bind(i64::from(sef.version()))
        .bind(stage_key(sef.stage()).to_string())
        .bind(body)
        .bind(now)
        .bind(actor.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            match StoreError::unknown_reference(e, || format!("LA {la} is not known")) {
                StoreError::Database(other) => StoreError::duplicate_as(other, &describe(sef)),
                mapped => mapped,
            }
        })?;
        tx.commit().await?;
        Ok(StoredSef {
            id,
            sef: sef.clone(),
            row_version: 1,
            created_by: actor.to_string(),
            updated_at: now,
            updated_by: actor.to_string(),
        })
    }

    pub(super) async fn sef(
        &self,
        la: &LaCode,
        year: FinancialYear,
        version: Option<u32>,
    ) -> Result<Option<StoredSef>, StoreError> {
        let mut sql =
            format!("SELECT {SEF_COLUMNS} FROM self_evaluations WHERE la_code = $1 AND year = $2");
        if version.is_some() {
            sql.push_str(" AND version = $3");
        }
        sql.push_str(" ORDER BY version DESC LIMIT 1");
        let mut query = sqlx::query(&sql)
            .bind(la.to_string())
            .bind(i64::from(year.starting_year()));
        if let Some(version) = version {
            query = query.bind(i64::from(version));
        }
        query
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(sef_from_row)
            .transpose()
    }

    pub(super) async fn sef_summaries(&self, la: &LaCode) -> Result<Vec<SefSummary>, StoreError> {
        sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM self_evaluations s WHERE s.la_code = $1 \
             ORDER BY s.year DESC, s.version DESC"
        ))
        .bind(la.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(summary_from_row)
        .collect()
    }

    pub(super) async fn save_sef(
        &self,
        sef: &SelfEvaluation,
        expected_row_version: i64,
        actor: &str,
    ) -> Result<StoredSef, StoreError> {
        let body = body(sef)?;
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {SEF_COLUMNS} FROM self_evaluations \
             WHERE la_code = $1 AND year = $2 AND version = $3{}",
            self.lock()
        ))
        .bind(sef.la().to_string())
        .bind(i64::from(sef.year().starting_year()))
        .bind(i64::from(sef.version()))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(describe(sef)))?;
        let current = sef_from_row(&row)?;
        if current.row_version != expected_row_version {
            return Err(conflict(
                "self-evaluation",
                &current.updated_by,
                current.updated_at,
            ));
        }
        check_change(&current.sef, sef)?;
        let updated = sqlx::query(
            "UPDATE self_evaluations SET stage = $1, body = $2, row_version = row_version + 1, \
             updated_at = $3, updated_by = $4 WHERE id = $5 AND row_version = $6",
        )
        .bind(stage_key(sef.stage()).to_string())
        .bind(body)
        .bind(now)
        .bind(actor.to_string())
        .bind(current.id)
        .bind(expected_row_version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            // Not reached while the row is locked; kept so a save can never be lost.
            return Err(conflict(
                "self-evaluation",
                &current.updated_by,
                current.updated_at,
            ));
        }
        tx.commit().await?;
        Ok(StoredSef {
            sef: sef.clone(),
            row_version: expected_row_version + 1,
            updated_at: now,
            updated_by: actor.to_string(),
            ..current
        })
    }

    pub(super) async fn shared_sefs(
        &self,
        region: &RegionId,
        at_least: SefStage,
    ) -> Result<Vec<SharedSef>, StoreError> {
        let stages: Vec<&str> = STAGES
            .into_iter()
            .filter(|s| *s >= at_least)
            .map(stage_key)
            .collect();
        let placeholders: Vec<String> = (0..stages.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, s.la_code, la.name FROM self_evaluations s \
             JOIN local_authorities la ON la.la_code = s.la_code \
             WHERE la.region_id = $1 AND s.stage IN ({}) \
             ORDER BY la.name, s.la_code, s.year DESC, s.version DESC",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(region.to_string());
        for stage in stages {
            query = query.bind(stage.to_string());
        }
        let mut out: Vec<SharedSef> = Vec::new();
        for row in query.fetch_all(&self.pool).await? {
            let code: String = row.try_get("la_code")?;
            let summary = summary_from_row(&row)?;
            // Rows come newest version first within an LA's year: keep the first.
            if out.last().is_some_and(|last| {
                last.la_code.as_str() == code && last.summary.year == summary.year
            }) {
                continue;
            }
            out.push(SharedSef {
                la_code: la_code(&code)?,
                la_name: row.try_get("name")?,
                summary,
            });
        }
        Ok(out)
    }
}
