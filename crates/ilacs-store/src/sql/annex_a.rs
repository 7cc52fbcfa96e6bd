//! Annex A: each upload one row (its report as bytes), and each LA's merged lists one
//! row per list (the list as bytes), replaced together in the upload's transaction.

use super::{date, iso, la_code, uk_time, Dialect, SqlStore};
use crate::records::{
    AnnexAHistory, AnnexAList, AnnexAUpload, AnnexAUploadReport, NewAnnexAUpload,
};
use crate::StoreError;
use ilacs_domain::authority::LaCode;
use sqlx::any::AnyRow;
use sqlx::error::ErrorKind;
use sqlx::Row;

const UPLOAD_COLUMNS: &str = "id, la_code, filename, uploaded_by, uploaded_at, as_at, \
     lists_found, rows_read, rows_kept, issue_count, merge_summary";

fn corrupt(id: i64, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("Annex A upload {id}: {what}"))
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn uncount(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// "1,2,8", as stored.
fn list_numbers(lists: &[u8]) -> String {
    lists
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn upload_from_row(row: &AnyRow) -> Result<AnnexAUpload, StoreError> {
    let id: i64 = row.try_get("id")?;
    let la: String = row.try_get("la_code")?;
    let as_at: String = row.try_get("as_at")?;
    let lists: String = row.try_get("lists_found")?;
    Ok(AnnexAUpload {
        id,
        la: la_code(&la)?,
        filename: row.try_get("filename")?,
        uploaded_by: row.try_get("uploaded_by")?,
        uploaded_at: row.try_get("uploaded_at")?,
        as_at: date(&as_at)?,
        lists_found: lists
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse()
                    .map_err(|_| corrupt(id, format!("lists '{lists}'")))
            })
            .collect::<Result<_, _>>()?,
        rows_read: uncount(row.try_get("rows_read")?),
        rows_kept: uncount(row.try_get("rows_kept")?),
        issue_count: uncount(row.try_get("issue_count")?),
        merge_summary: row.try_get("merge_summary")?,
    })
}

impl SqlStore {
    pub(super) async fn save_annex_a(
        &self,
        upload: &NewAnnexAUpload,
        lists: &[AnnexAList],
        actor: &str,
    ) -> Result<AnnexAUpload, StoreError> {
        let la = upload.la.to_string();
        if lists.is_empty() {
            return Err(StoreError::Invalid(
                "An upload with no lists cannot be saved: the previous lists have been kept".into(),
            ));
        }
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        // Saves for one LA take turns (SQLite's write transaction already does), so each
        // sees the one before it. Key updates of the LA are not blocked.
        let lock = match self.dialect {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR NO KEY UPDATE",
        };
        let known: Option<String> = sqlx::query_scalar(&format!(
            "SELECT la_code FROM local_authorities WHERE la_code = $1{lock}"
        ))
        .bind(la.clone())
        .fetch_optional(&mut *tx)
        .await?;
        if known.is_none() {
            return Err(StoreError::Invalid(format!("LA {la} is not known")));
        }
        let latest: Option<i64> =
            sqlx::query_scalar("SELECT upload_id FROM annex_a_lists WHERE la_code = $1 LIMIT 1")
                .bind(la.clone())
                .fetch_optional(&mut *tx)
                .await?;
        if latest != upload.merged_onto {
            let since = match latest {
                Some(id) => {
                    let row = sqlx::query(
                        "SELECT uploaded_by, uploaded_at FROM annex_a_uploads WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                    let by: String = row.try_get("uploaded_by")?;
                    format!(
                        "Another upload, by {by} at {}, was saved",
                        uk_time(row.try_get("uploaded_at")?)
                    )
                }
                None => "The lists it was merged onto have gone".into(),
            };
            return Err(StoreError::Conflict(format!(
                "{since} while this upload was being merged. This upload has not been saved: \
                 upload it again to merge it onto the lists as they are now."
            )));
        }

        let row = sqlx::query(&format!(
            "INSERT INTO annex_a_uploads (la_code, filename, uploaded_by, uploaded_at, as_at, \
             lists_found, rows_read, rows_kept, issue_count, report, merge_summary) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {UPLOAD_COLUMNS}"
        ))
        .bind(la.clone())
        .bind(upload.filename.clone())
        .bind(actor.to_string())
        .bind(now)
        .bind(iso(upload.as_at))
        .bind(list_numbers(&upload.lists_found))
        .bind(count(upload.rows_read))
        .bind(count(upload.rows_kept))
        .bind(count(upload.issue_count))
        .bind(upload.report.clone())
        .bind(upload.merge_summary.clone())
        .fetch_one(&mut *tx)
        .await?;
        let saved = upload_from_row(&row)?;

        sqlx::query("DELETE FROM annex_a_lists WHERE la_code = $1")
            .bind(la.clone())
            .execute(&mut *tx)
            .await?;
        for list in lists {
            sqlx::query(
                "INSERT INTO annex_a_lists (la_code, list, row_count, data, updated_at, upload_id) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(la.clone())
            .bind(i64::from(list.list))
            .bind(count(list.rows))
            .bind(list.data.clone())
            .bind(now)
            .bind(saved.id)
            .execute(&mut *tx)
            .await
            .map_err(|e| refused_list(e, list.list))?;
        }
        tx.commit().await?;
        Ok(saved)
    }

    pub(super) async fn annex_a_lists_of(
        &self,
        la: &LaCode,
    ) -> Result<Option<AnnexAHistory>, StoreError> {
        // One statement: the lists and the upload that made them agree.
        let rows = sqlx::query(
            "SELECT list, row_count, data, updated_at, upload_id FROM annex_a_lists \
             WHERE la_code = $1 ORDER BY list",
        )
        .bind(la.to_string())
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let mut history = AnnexAHistory {
            upload_id: first.try_get("upload_id")?,
            updated_at: first.try_get("updated_at")?,
            lists: Vec::with_capacity(rows.len()),
        };
        for row in &rows {
            let list: i64 = row.try_get("list")?;
            history.lists.push(AnnexAList {
                list: u8::try_from(list).map_err(|_| {
                    StoreError::Corrupt(format!("Annex A list number {list} of LA {la}"))
                })?,
                rows: uncount(row.try_get("row_count")?),
                data: row.try_get("data")?,
            });
        }
        Ok(Some(history))
    }

    pub(super) async fn annex_a_upload_list(
        &self,
        la: &LaCode,
    ) -> Result<Vec<AnnexAUpload>, StoreError> {
        sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM annex_a_uploads WHERE la_code = $1 ORDER BY id DESC"
        ))
        .bind(la.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(upload_from_row)
        .collect()
    }

    pub(super) async fn annex_a_upload_report(
        &self,
        la: &LaCode,
        id: i64,
    ) -> Result<Option<AnnexAUploadReport>, StoreError> {
        let Some(row) = sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS}, report FROM annex_a_uploads WHERE id = $1 AND la_code = $2"
        ))
        .bind(id)
        .bind(la.to_string())
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(AnnexAUploadReport {
            upload: upload_from_row(&row)?,
            report: row.try_get("report")?,
        }))
    }
}

/// A list the database refused: given twice, or not a list number.
fn refused_list(err: sqlx::Error, list: u8) -> StoreError {
    let kind = match &err {
        sqlx::Error::Database(db) => Some(db.kind()),
        _ => None,
    };
    match kind {
        Some(ErrorKind::UniqueViolation) => StoreError::Invalid(format!(
            "List {list} is given twice: nothing has been saved, and the previous lists have been kept"
        )),
        Some(ErrorKind::CheckViolation) => StoreError::Invalid(format!(
            "There is no list {list} (lists are 1 to 11): nothing has been saved, and the previous lists have been kept"
        )),
        _ => StoreError::Database(err),
    }
}
