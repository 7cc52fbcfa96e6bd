//! Learning actions: each one row, the checked action as JSON in `body`, with the
//! columns lists sort on copied from it.

use super::{conflict, iso, la_code, SqlStore};
use crate::records::StoredLearningAction;
use crate::StoreError;
use ilacs_domain::audit::LearningAction;
use ilacs_domain::authority::LaCode;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeSet;

const LEARNING_COLUMNS: &str = "id, la_code, status, body, version, created_at, created_by, \
     updated_at, updated_by";

fn body(action: &LearningAction) -> Result<String, StoreError> {
    serde_json::to_string(action)
        .map_err(|e| StoreError::Invalid(format!("the learning action cannot be recorded: {e}")))
}

fn learning_from_row(row: &AnyRow) -> Result<StoredLearningAction, StoreError> {
    let id: i64 = row.try_get("id")?;
    let la: String = row.try_get("la_code")?;
    let body: String = row.try_get("body")?;
    let status: String = row.try_get("status")?;
    let action: LearningAction = serde_json::from_str(&body).map_err(|e| {
        StoreError::Corrupt(format!(
            "learning action {id}: the body is not a learning action ({e})"
        ))
    })?;
    if action.status().key() != status {
        return Err(StoreError::Corrupt(format!(
            "learning action {id}: the body does not match the row's status"
        )));
    }
    Ok(StoredLearningAction {
        id,
        la: la_code(&la)?,
        action,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

/// Refuses an action citing an audit that is not the LA's. (The domain checks this
/// against what the form was shown; this keeps the store sound whoever writes.)
async fn check_cited_audits(
    tx: &mut Transaction<'static, Any>,
    la: &LaCode,
    action: &LearningAction,
) -> Result<(), StoreError> {
    let cited: BTreeSet<i64> = action.cited_audits().map(i64::from).collect();
    if cited.is_empty() {
        return Ok(());
    }
    let own: BTreeSet<i64> = sqlx::query_scalar("SELECT id FROM case_audits WHERE la_code = $1")
        .bind(la.to_string())
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    match cited.difference(&own).next() {
        Some(missing) => Err(StoreError::Invalid(format!(
            "audit {missing} is not one of LA {la}'s audits"
        ))),
        None => Ok(()),
    }
}

impl SqlStore {
    pub(super) async fn create_learning(
        &self,
        la: &LaCode,
        action: &LearningAction,
        actor: &str,
    ) -> Result<StoredLearningAction, StoreError> {
        let body = body(action)?;
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        check_cited_audits(&mut tx, la, action).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO learning_actions (la_code, title, kind, status, due_date, body, version, \
             created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
        )
        .bind(la.to_string())
        .bind(action.title().to_string())
        .bind(action.kind().to_string())
        .bind(action.status().key().to_string())
        .bind(iso(action.due()))
        .bind(body)
        .bind(now)
        .bind(actor.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unknown_reference(e, || format!("LA {la} is not known")))?;
        tx.commit().await?;
        Ok(StoredLearningAction {
            id,
            la: la.clone(),
            action: action.clone(),
            version: 1,
            created_at: now,
            created_by: actor.to_string(),
            updated_at: now,
            updated_by: actor.to_string(),
        })
    }

    pub(super) async fn learning(
        &self,
        la: &LaCode,
        id: i64,
    ) -> Result<Option<StoredLearningAction>, StoreError> {
        sqlx::query(&format!(
            "SELECT {LEARNING_COLUMNS} FROM learning_actions WHERE id = $1 AND la_code = $2"
        ))
        .bind(id)
        .bind(la.to_string())
        .fetch_optional(&self.pool)
        .await?
        .map(|row| learning_from_row(&row))
        .transpose()
    }

    pub(super) async fn learning_list(
        &self,
        la: &LaCode,
    ) -> Result<Vec<StoredLearningAction>, StoreError> {
        sqlx::query(&format!(
            "SELECT {LEARNING_COLUMNS} FROM learning_actions WHERE la_code = $1 \
             ORDER BY due_date, id"
        ))
        .bind(la.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(learning_from_row)
        .collect()
    }

    pub(super) async fn update_learning(
        &self,
        la: &LaCode,
        id: i64,
        expected_version: i64,
        action: &LearningAction,
        actor: &str,
    ) -> Result<StoredLearningAction, StoreError> {
        let body = body(action)?;
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {LEARNING_COLUMNS} FROM learning_actions WHERE id = $1 AND la_code = $2{}",
            self.lock()
        ))
        .bind(id)
        .bind(la.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("learning action {id}")))?;
        let current = learning_from_row(&row)?;
        if current.version != expected_version {
            return Err(conflict(
                "learning action",
                &current.updated_by,
                current.updated_at,
            ));
        }
        check_cited_audits(&mut tx, la, action).await?;
        let updated = sqlx::query(
            "UPDATE learning_actions SET title = $1, kind = $2, status = $3, due_date = $4, \
             body = $5, version = version + 1, updated_at = $6, updated_by = $7 \
             WHERE id = $8 AND version = $9",
        )
        .bind(action.title().to_string())
        .bind(action.kind().to_string())
        .bind(action.status().key().to_string())
        .bind(iso(action.due()))
        .bind(body)
        .bind(now)
        .bind(actor.to_string())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            // Not reached while the row is locked; kept so a save can never be lost.
            return Err(conflict(
                "learning action",
                &current.updated_by,
                current.updated_at,
            ));
        }
        tx.commit().await?;
        Ok(StoredLearningAction {
            action: action.clone(),
            version: expected_version + 1,
            updated_at: now,
            updated_by: actor.to_string(),
            ..current
        })
    }
}
