//! Published statistics: one row per indicator, area and year, its value as text (the
//! number as published or DfE's symbol), replaced whole by each import.

use super::{Dialect, SqlStore};
use crate::records::{PublishedImport, PublishedSummary};
use crate::StoreError;
use ilacs_domain::authority::LaCode;
use ilacs_domain::indicators::{
    Area, Definitions, IndicatorId, Observation, PublishedStatistics, SourceFile, TimePeriod, Value,
};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Rows per multi-row statement: 5 parameters each keeps well under SQLite's and
/// PostgreSQL's limits, and a first import (about 20,000 values) takes ~100 statements
/// rather than 20,000 round trips.
const BATCH: usize = 200;

/// (indicator, area level, area code, time period), as stored.
type Key = (String, String, String, String);

/// The regions LAs are compared with, by the name LAs carry (`ons_region`).
fn definitions() -> &'static Definitions {
    static CELL: OnceLock<Definitions> = OnceLock::new();
    CELL.get_or_init(Definitions::bundled)
}

fn corrupt(key: &Key, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!(
        "published value {} {} {} {}: {what}",
        key.0, key.1, key.2, key.3
    ))
}

fn key_of(row: &AnyRow) -> Result<Key, StoreError> {
    Ok((
        row.try_get("indicator")?,
        row.try_get("area_level")?,
        row.try_get("area_code")?,
        row.try_get("time_period")?,
    ))
}

fn observation(row: &AnyRow) -> Result<Observation, StoreError> {
    let key = key_of(row)?;
    let value: String = row.try_get("value")?;
    Ok(Observation {
        indicator: IndicatorId::parse(&key.0).map_err(|e| corrupt(&key, e))?,
        area: Area::from_parts(&key.1, &key.2).map_err(|e| corrupt(&key, e))?,
        time_period: TimePeriod::parse(&key.3).map_err(|e| corrupt(&key, e))?,
        value: Value::parse(&value).map_err(|e| corrupt(&key, e))?,
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `($1, $2, ...), ($6, ...)`: `rows` groups of `width` numbered parameters.
pub(super) fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqlStore {
    pub(super) async fn replace_published(
        &self,
        statistics: &PublishedStatistics,
        actor: &str,
    ) -> Result<PublishedSummary, StoreError> {
        if statistics.is_empty() {
            return Err(StoreError::Invalid(
                "There are no published values to import: the old ones have been kept".into(),
            ));
        }
        let wanted: HashMap<Key, String> = statistics
            .iter()
            .map(|(k, v)| {
                (
                    (
                        k.indicator.to_string(),
                        k.area.level().to_string(),
                        k.area.code().to_string(),
                        k.time_period.to_string(),
                    ),
                    v.to_string(),
                )
            })
            .collect();

        let mut tx = self.begin_write().await?;
        if self.dialect == Dialect::Postgres {
            // One import at a time (SQLite's write transaction already is): two at once
            // would each count the other's rows as their own changes. Readers still read.
            sqlx::query("LOCK TABLE published_values IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let mut existing: HashMap<Key, String> = HashMap::new();
        for row in sqlx::query(
            "SELECT indicator, area_level, area_code, time_period, value FROM published_values",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            existing.insert(key_of(&row)?, row.try_get("value")?);
        }

        let mut summary = PublishedSummary::default();
        let mut upserts: Vec<(&Key, &String)> = Vec::new();
        for (key, value) in &wanted {
            match existing.get(key) {
                Some(old) if old == value => summary.unchanged += 1,
                Some(_) => {
                    summary.updated += 1;
                    upserts.push((key, value));
                }
                None => {
                    summary.added += 1;
                    upserts.push((key, value));
                }
            }
        }
        let removals: Vec<&Key> = existing
            .keys()
            .filter(|k| !wanted.contains_key(*k))
            .collect();
        summary.removed = removals.len() as u64;

        for chunk in upserts.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO published_values (indicator, area_level, area_code, time_period, value) \
                 VALUES {} ON CONFLICT (indicator, area_level, area_code, time_period) \
                 DO UPDATE SET value = excluded.value",
                placeholders(chunk.len(), 5)
            );
            let mut query = sqlx::query(&sql);
            for ((indicator, level, code, period), value) in chunk {
                query = query
                    .bind(indicator.clone())
                    .bind(level.clone())
                    .bind(code.clone())
                    .bind(period.clone())
                    .bind((*value).clone());
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in removals.chunks(BATCH) {
            let sql = format!(
                "DELETE FROM published_values WHERE (indicator, area_level, area_code, time_period) IN (VALUES {})",
                placeholders(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for (indicator, level, code, period) in chunk {
                query = query
                    .bind(indicator.clone())
                    .bind(level.clone())
                    .bind(code.clone())
                    .bind(period.clone());
            }
            query.execute(&mut *tx).await?;
        }

        // Checked after writing, so that a refused import is rolled back whole.
        let unknown: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT area_code FROM published_values WHERE area_level = 'la' \
             AND area_code NOT IN (SELECT la_code FROM local_authorities) ORDER BY area_code",
        )
        .fetch_all(&mut *tx)
        .await?;
        if !unknown.is_empty() {
            return Err(StoreError::Invalid(format!(
                "The published statistics have values for {} not known here ({}): import the \
                 reference data first. The old values have been kept.",
                if unknown.len() == 1 { "an LA" } else { "LAs" },
                unknown.join(", ")
            )));
        }

        // The record of the import.
        let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO published_imports (imported_at, imported_by, added, updated, removed, unchanged) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(chrono::Utc::now().timestamp())
        .bind(actor.to_string())
        .bind(as_i64(summary.added))
        .bind(as_i64(summary.updated))
        .bind(as_i64(summary.removed))
        .bind(as_i64(summary.unchanged))
        .fetch_one(&mut *tx)
        .await?;
        for (position, file) in statistics.files.iter().enumerate() {
            sqlx::query(
                "INSERT INTO published_import_files (import_id, position, file_name, rows_read, values_read) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(count(position))
            .bind(file.name.clone())
            .bind(as_i64(file.rows))
            .bind(as_i64(file.values))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(summary)
    }

    pub(super) async fn published_for(&self, la: &LaCode) -> Result<Vec<Observation>, StoreError> {
        let ons_region: Option<String> =
            sqlx::query_scalar("SELECT ons_region FROM local_authorities WHERE la_code = $1")
                .bind(la.to_string())
                .fetch_optional(&self.pool)
                .await?;
        let Some(ons_region) = ons_region else {
            return Err(StoreError::NotFound(format!("LA {la}")));
        };
        // An LA in a region the definitions do not list is compared with no region.
        let region = definitions()
            .region_named(&ons_region)
            .map(|r| r.code.to_string())
            .unwrap_or_default();
        sqlx::query(
            "SELECT indicator, area_level, area_code, time_period, value FROM published_values \
             WHERE area_level = 'england' \
             OR (area_level = 'region' AND area_code = $2) \
             OR (area_level = 'la' AND (area_code = $1 OR area_code IN \
                 (SELECT neighbour_la_code FROM statistical_neighbours WHERE la_code = $1))) \
             ORDER BY indicator, time_period, area_level, area_code",
        )
        .bind(la.to_string())
        .bind(region)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(observation)
        .collect()
    }

    pub(super) async fn last_published(&self) -> Result<Option<PublishedImport>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT id, imported_at, imported_by, added, updated, removed, unchanged \
             FROM published_imports ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let n = |column: &str| -> Result<u64, StoreError> {
            let v: i64 = row.try_get(column)?;
            u64::try_from(v)
                .map_err(|_| StoreError::Corrupt(format!("published import {id}: {column} {v}")))
        };
        let summary = PublishedSummary {
            added: n("added")?,
            updated: n("updated")?,
            removed: n("removed")?,
            unchanged: n("unchanged")?,
        };
        let mut files = Vec::new();
        for file in sqlx::query(
            "SELECT file_name, rows_read, values_read FROM published_import_files \
             WHERE import_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            let number = |column: &str| -> Result<u64, StoreError> {
                let v: i64 = file.try_get(column)?;
                u64::try_from(v).map_err(|_| {
                    StoreError::Corrupt(format!("published import {id}: {column} {v}"))
                })
            };
            files.push(SourceFile {
                name: file.try_get("file_name")?,
                rows: number("rows_read")?,
                values: number("values_read")?,
            });
        }
        Ok(Some(PublishedImport {
            imported_at: row.try_get("imported_at")?,
            imported_by: row.try_get("imported_by")?,
            summary,
            files,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_every_parameter() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }
}
