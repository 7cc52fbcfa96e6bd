//! Annual engagement meetings: each meeting one row, the meeting (letter included) as
//! JSON in `body`, with the columns lists filter and sort on copied from it.

use super::{conflict, region_id, SqlStore};
use crate::records::StoredMeeting;
use crate::StoreError;
use chrono::NaiveDate;
use ilacs_domain::aem::Meeting;
use ilacs_domain::authority::{LaCode, RegionId};
use ilacs_domain::user::Username;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

const COLUMNS: &str = "m.id, m.la_code, m.body, m.row_version, m.created_by, m.updated_at, \
     m.updated_by, la.name AS la_name, la.region_id";
const FROM: &str = "aem_meetings m JOIN local_authorities la ON la.la_code = m.la_code";

fn corrupt(id: i64, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("annual engagement meeting {id}: {what}"))
}

fn body(meeting: &Meeting) -> Result<String, StoreError> {
    serde_json::to_string(meeting)
        .map_err(|e| StoreError::Invalid(format!("the meeting cannot be recorded: {e}")))
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn issued_on(meeting: &Meeting) -> Option<String> {
    meeting
        .letter()
        .and_then(|l| l.issued.as_ref())
        .map(|i| iso(i.on))
}

fn from_row(row: &AnyRow) -> Result<StoredMeeting, StoreError> {
    let id: i64 = row.try_get("id")?;
    let text: String = row.try_get("body")?;
    let meeting: Meeting = serde_json::from_str(&text)
        .map_err(|e| corrupt(id, format!("the body is not a meeting ({e})")))?;
    let la: String = row.try_get("la_code")?;
    if meeting.la().as_str() != la {
        return Err(corrupt(id, "the body's LA does not match the row's"));
    }
    let region: String = row.try_get("region_id")?;
    Ok(StoredMeeting {
        id,
        meeting,
        la_name: row.try_get("la_name")?,
        region: region_id(&region)?,
        row_version: row.try_get("row_version")?,
        created_by: row.try_get("created_by")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

/// Whether `new` may replace `stored`: the same LA, and an issued letter unchanged.
fn check_change(stored: &Meeting, new: &Meeting) -> Result<(), StoreError> {
    if stored.la() != new.la() {
        return Err(StoreError::Invalid(
            "A meeting cannot be moved to another local authority".into(),
        ));
    }
    if let Some(issue) = stored.letter().and_then(|l| l.issued.as_ref()) {
        if stored.letter() != new.letter() {
            return Err(StoreError::Invalid(format!(
                "The letter was issued on {} by {}: it cannot be changed or issued again",
                issue.on.format("%-d %B %Y"),
                issue.by
            )));
        }
    }
    Ok(())
}

impl SqlStore {
    pub(super) async fn create_meeting(
        &self,
        meeting: &Meeting,
        actor: &str,
    ) -> Result<StoredMeeting, StoreError> {
        let text = body(meeting)?;
        let la = meeting.la().to_string();
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO aem_meetings (la_code, meeting_date, held, letter_issued_on, body, \
             row_version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7) RETURNING id",
        )
        .bind(la.clone())
        .bind(iso(meeting.date()))
        .bind(i64::from(meeting.held().is_some()))
        .bind(issued_on(meeting))
        .bind(text)
        .bind(now)
        .bind(actor.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unknown_reference(e, || format!("LA {la} is not known")))?;
        let stored = Self::read_meeting(&mut tx, id, "").await?;
        tx.commit().await?;
        stored.ok_or_else(|| StoreError::NotFound(format!("meeting {id}")))
    }

    async fn read_meeting(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        lock: &str,
    ) -> Result<Option<StoredMeeting>, StoreError> {
        // PostgreSQL cannot lock the nullable side of a join, so lock the meeting only.
        let lock = if lock.is_empty() {
            ""
        } else {
            " FOR UPDATE OF m"
        };
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE m.id = $1{lock}"
        ))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    pub(super) async fn meeting(&self, id: i64) -> Result<Option<StoredMeeting>, StoreError> {
        sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    pub(super) async fn meetings_where(
        &self,
        condition: &str,
        value: Option<String>,
    ) -> Result<Vec<StoredMeeting>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} {condition} ORDER BY la.name, m.la_code, \
             m.meeting_date DESC, m.id DESC"
        );
        let mut query = sqlx::query(&sql);
        if let Some(v) = value {
            query = query.bind(v);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    pub(super) async fn meetings_for_la(
        &self,
        la: &LaCode,
    ) -> Result<Vec<StoredMeeting>, StoreError> {
        self.meetings_where("WHERE m.la_code = $1", Some(la.to_string()))
            .await
    }

    pub(super) async fn meetings_for_region(
        &self,
        region: Option<&RegionId>,
    ) -> Result<Vec<StoredMeeting>, StoreError> {
        match region {
            Some(r) => {
                self.meetings_where("WHERE la.region_id = $1", Some(r.to_string()))
                    .await
            }
            None => self.meetings_where("", None).await,
        }
    }

    /// Replaces a meeting if its row version is still `expected`, after `check` has
    /// approved the change from what is stored (in the same transaction).
    pub(super) async fn replace_meeting(
        &self,
        id: i64,
        expected: i64,
        actor: &str,
        change: impl FnOnce(&Meeting) -> Result<Meeting, StoreError>,
    ) -> Result<StoredMeeting, StoreError> {
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        let current = Self::read_meeting(&mut tx, id, self.lock())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("Meeting {id}")))?;
        if current.row_version != expected {
            return Err(conflict("meeting", &current.updated_by, current.updated_at));
        }
        let new = change(&current.meeting)?;
        check_change(&current.meeting, &new)?;
        let updated = sqlx::query(
            "UPDATE aem_meetings SET meeting_date = $1, held = $2, letter_issued_on = $3, \
             body = $4, row_version = row_version + 1, updated_at = $5, updated_by = $6 \
             WHERE id = $7 AND row_version = $8",
        )
        .bind(iso(new.date()))
        .bind(i64::from(new.held().is_some()))
        .bind(issued_on(&new))
        .bind(body(&new)?)
        .bind(now)
        .bind(actor.to_string())
        .bind(id)
        .bind(expected)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            // Not reached while the row is locked; kept so a save can never be lost.
            return Err(conflict("meeting", &current.updated_by, current.updated_at));
        }
        tx.commit().await?;
        Ok(StoredMeeting {
            meeting: new,
            row_version: expected + 1,
            updated_at: now,
            updated_by: actor.to_string(),
            ..current
        })
    }

    pub(super) async fn issue_letter(
        &self,
        id: i64,
        expected: i64,
        on: NaiveDate,
        by: &Username,
    ) -> Result<StoredMeeting, StoreError> {
        self.replace_meeting(id, expected, by.as_str(), |stored| {
            let mut issued = stored.clone();
            issued
                .issue_letter(on, by.clone())
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            Ok(issued)
        })
        .await
    }
}
