//! The SQL back ends. SQLite and PostgreSQL share one implementation over sqlx's `Any`
//! driver: the queries are written in the SQL both accept (`$n` parameters, `ON
//! CONFLICT`, `RETURNING`), values are text, integers and 0/1 flags, and only the
//! migrations, connection set-up and how a write locks what it checks differ.

mod aem;
mod annex_a;
mod audit_programme;
mod learning;
mod published;
mod self_evaluations;

use crate::migrations::migrate;
use crate::records::{
    AccessEntry, AnnexAHistory, AnnexAList, AnnexAUpload, AnnexAUploadReport, ConfirmedProgramme,
    ImportSummary, LaOverview, NewAccessEntry, NewAnnexAUpload, NewApiToken, NewCaseAudit, NewUser,
    ProgrammeInputs, PublishedImport, PublishedSummary, SefSummary, SharedSef, StoredAudit,
    StoredLearningAction, StoredMeeting, StoredSef, UserRecord,
};
use crate::{Store, StoreError};
use async_trait::async_trait;
use chrono::{Datelike, NaiveDate};
use ilacs_domain::access::{Role, SefStage};
use ilacs_domain::aem::Meeting;
use ilacs_domain::audit::{
    Audit, AuditLogEntry, AuditMonth, AuditTemplate, AuditTemplates, FieldErrors, LearningAction,
    ModerationPair, NewAudit, OpenCase, ProgrammeAuditor, ProgrammeItem, TemplateKey,
};
use ilacs_domain::authority::{AuthorityRef, GssCode, LaCode, LocalAuthority, Region, RegionId};
use ilacs_domain::grade::Grade;
use ilacs_domain::indicators::{Observation, PublishedStatistics};
use ilacs_domain::inspection::{Activity, ActivityKind, Judgement, Judgements};
use ilacs_domain::reference::ReferenceData;
use ilacs_domain::self_evaluation::{FinancialYear, SelfEvaluation};
use ilacs_domain::user::Username;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};
use std::collections::{BTreeMap, HashMap};
use std::sync::Once;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// A store on SQLite or PostgreSQL.
pub struct SqlStore {
    pool: AnyPool,
    dialect: Dialect,
    /// The templates audits are parsed against; see [`SqlStore::template`].
    templates: AuditTemplates,
}

static DRIVERS: Once = Once::new();

/// Makes `sqlite://PATH` create the file when it does not exist yet.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

impl SqlStore {
    pub async fn open(url: &str) -> Result<SqlStore, StoreError> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let (dialect, url) = if url.starts_with("sqlite:") {
            (Dialect::Sqlite, sqlite_url(url))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Dialect::Postgres, url.to_string())
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let options = AnyPoolOptions::new().after_connect(move |conn, _meta| {
            Box::pin(async move {
                if dialect == Dialect::Sqlite {
                    // WAL lets readers work while one writer commits; the timeout makes a
                    // second writer wait rather than fail.
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
                        .await?;
                }
                Ok(())
            })
        });
        let options = match dialect {
            Dialect::Sqlite => options.max_connections(4),
            Dialect::Postgres => options.max_connections(10),
        };
        let pool = options.connect(&url).await?;
        migrate(&pool, dialect).await?;
        Ok(SqlStore {
            pool,
            dialect,
            templates: AuditTemplates::bundled(),
        })
    }
}

// Reading rows --------------------------------------------------------------------

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} '{value}'"))
}

fn date(value: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| corrupt("date", value))
}

fn la_code(value: &str) -> Result<LaCode, StoreError> {
    LaCode::parse(value).map_err(|_| corrupt("LA code", value))
}

fn region_id(value: &str) -> Result<RegionId, StoreError> {
    RegionId::parse(value).map_err(|_| corrupt("region", value))
}

fn user_from_row(row: &AnyRow) -> Result<UserRecord, StoreError> {
    let username: String = row.try_get("username")?;
    let role: String = row.try_get("role")?;
    let la: Option<String> = row.try_get("la_code")?;
    let region: Option<String> = row.try_get("effective_region")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        username: Username::parse(&username).map_err(|_| corrupt("username", &username))?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        role: Role::parse_key(&role).map_err(|_| corrupt("role", &role))?,
        la: la.as_deref().map(la_code).transpose()?,
        region: region.as_deref().map(region_id).transpose()?,
        scope_name: row.try_get("scope_name")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Users with their effective region: their own, or their LA's.
const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.la_code, \
     COALESCE(u.region_id, la.region_id) AS effective_region, COALESCE(la.name, r.name) AS scope_name, \
     u.disabled, u.created_at, u.updated_at \
     FROM users u LEFT JOIN local_authorities la ON la.la_code = u.la_code LEFT JOIN regions r ON r.id = u.region_id";

impl SqlStore {
    async fn all_authorities(&self) -> Result<BTreeMap<String, LocalAuthority>, StoreError> {
        let rows = sqlx::query(
            "SELECT la_code, gss_code, name, region_id, ons_region, la_type, population_0_25, current FROM local_authorities",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut map = BTreeMap::new();
        for row in rows {
            let code: String = row.try_get("la_code")?;
            let gss: String = row.try_get("gss_code")?;
            let region: String = row.try_get("region_id")?;
            let population: Option<i64> = row.try_get("population_0_25")?;
            map.insert(
                code.clone(),
                LocalAuthority {
                    la_code: la_code(&code)?,
                    gss_code: GssCode::parse(&gss).map_err(|_| corrupt("area code", &gss))?,
                    name: row.try_get("name")?,
                    region: region_id(&region)?,
                    ons_region: row.try_get("ons_region")?,
                    la_type: row.try_get("la_type")?,
                    population_0_25: population.and_then(|p| u32::try_from(p).ok()),
                    current: row.try_get::<i64, _>("current")? != 0,
                    statistical_neighbours: Vec::new(),
                    other_codes: Vec::new(),
                },
            );
        }
        for row in sqlx::query(
            "SELECT la_code, neighbour_la_code FROM statistical_neighbours ORDER BY la_code, rank",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let code: String = row.try_get("la_code")?;
            let neighbour: String = row.try_get("neighbour_la_code")?;
            if let Some(la) = map.get_mut(&code) {
                la.statistical_neighbours.push(la_code(&neighbour)?);
            }
        }
        for row in sqlx::query("SELECT la_code, gss_code FROM la_other_codes ORDER BY gss_code")
            .fetch_all(&self.pool)
            .await?
        {
            let code: String = row.try_get("la_code")?;
            let gss: String = row.try_get("gss_code")?;
            if let Some(la) = map.get_mut(&code) {
                la.other_codes
                    .push(GssCode::parse(&gss).map_err(|_| corrupt("area code", &gss))?);
            }
        }
        Ok(map)
    }

    /// Activities keyed by database id, optionally for one LA.
    async fn load_activities(
        &self,
        la: Option<&LaCode>,
    ) -> Result<Vec<(i64, Activity)>, StoreError> {
        let filter = if la.is_some() {
            " WHERE a.la_code = $1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT a.id, a.la_code, a.kind, a.start_date, a.publication_date, a.theme, j.judgement, j.grade \
             FROM activities a LEFT JOIN activity_judgements j ON j.activity_id = a.id{filter} \
             ORDER BY a.start_date DESC, a.id"
        );
        let mut query = sqlx::query(&sql);
        if let Some(la) = la {
            query = query.bind(la.as_str().to_string());
        }
        let mut out: Vec<(i64, Activity)> = Vec::new();
        for row in query.fetch_all(&self.pool).await? {
            let id: i64 = row.try_get("id")?;
            if out.last().map(|(last, _)| *last) != Some(id) {
                let code: String = row.try_get("la_code")?;
                let kind: String = row.try_get("kind")?;
                let start: String = row.try_get("start_date")?;
                let published: Option<String> = row.try_get("publication_date")?;
                out.push((
                    id,
                    Activity {
                        la_code: la_code(&code)?,
                        kind: ActivityKind::parse_key(&kind)
                            .ok_or_else(|| corrupt("activity kind", &kind))?,
                        start_date: date(&start)?,
                        publication_date: published.as_deref().map(date).transpose()?,
                        theme: row.try_get("theme")?,
                        judgements: Judgements::new(),
                    },
                ));
            }
            let judgement: Option<String> = row.try_get("judgement")?;
            let grade: Option<String> = row.try_get("grade")?;
            if let (Some(j), Some(g), Some((_, activity))) = (judgement, grade, out.last_mut()) {
                let j2 = Judgement::parse_key(&j).ok_or_else(|| corrupt("judgement", &j))?;
                let g2 = Grade::parse(&g).map_err(|_| corrupt("grade", &g))?;
                activity.judgements.set(j2, g2);
            }
        }
        Ok(out)
    }
}

/// The latest graded inspection among an LA's activities (newest first).
fn latest_graded(activities: &[Activity]) -> Option<&Activity> {
    activities
        .iter()
        .filter(|a| a.kind.is_graded() && !a.judgements.is_empty())
        .max_by_key(|a| a.start_date)
}

fn unknown_scope() -> String {
    "the LA or region given is not known".into()
}

fn opt_i64(v: Option<u32>) -> Option<i64> {
    v.map(i64::from)
}

// Case audits ---------------------------------------------------------------------

const AUDIT_COLUMNS: &str = "id, la_code, template_key, moderates, body, version, \
     created_at, created_by, updated_at, updated_by";

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The first problem of a draft that does not parse, as "field: message".
fn first_problem(errors: &FieldErrors) -> String {
    errors
        .iter()
        .next()
        .map(|e| format!("{}: {}", e.field, e.message))
        .unwrap_or_default()
}

/// An instant as a clock in England reads it: "14:05 on 3 March 2026". British Summer
/// Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
/// of October.
fn uk_time(unix: i64) -> String {
    let Some(utc) = chrono::DateTime::from_timestamp(unix, 0).map(|t| t.naive_utc()) else {
        return format!("{unix} (Unix time)");
    };
    let year = utc.year();
    // 01:00 UTC on the last Sunday of a month (March or October: the next month exists).
    let change = |month: u32| {
        let last = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
        let sunday =
            last - chrono::Duration::days(i64::from(last.weekday().num_days_from_sunday()));
        sunday.and_hms_opt(1, 0, 0)
    };
    let summer = match (change(3), change(10)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    };
    let local = if summer {
        utc + chrono::Duration::hours(1)
    } else {
        utc
    };
    local.format("%H:%M on %-d %B %Y").to_string()
}

/// A save refused because `what` ("audit", "self-evaluation") changed since it was read.
fn conflict(what: &str, updated_by: &str, updated_at: i64) -> StoreError {
    StoreError::Conflict(format!(
        "This {what} was changed by {updated_by} at {} since you opened it. Your changes have \
         not been saved: open it again to see theirs.",
        uk_time(updated_at)
    ))
}

fn moderated_missing() -> StoreError {
    StoreError::Invalid("the audit being moderated does not exist".into())
}

impl SqlStore {
    /// The template an audit is parsed against. Only the bundled templates for now: when
    /// LAs keep their own, they are looked up here.
    fn template(&self, key: &TemplateKey) -> Result<&AuditTemplate, StoreError> {
        self.templates
            .get(key)
            .ok_or_else(|| StoreError::Invalid(format!("there is no audit template '{key}'")))
    }

    /// A transaction for a write whose checks read first. SQLite takes its write lock at
    /// once (a deferred transaction that reads, then writes after another writer has
    /// committed, fails rather than waits); PostgreSQL locks rows with [`Self::lock`].
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.pool.begin().await?,
        })
    }

    /// The suffix that locks the rows a check reads until the transaction ends.
    fn lock(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// The audit as it will be stored and read back (its canonical draft parsed against
    /// the store's template), and that draft as JSON.
    fn canonical(&self, audit: &Audit) -> Result<(Audit, String), StoreError> {
        let template = self.template(audit.template())?;
        let draft = audit.to_new();
        let parsed = draft.parse(template).map_err(|errors| {
            StoreError::Invalid(format!(
                "the audit does not fit the template '{}': {}",
                template.name(),
                first_problem(&errors)
            ))
        })?;
        let body = serde_json::to_string(&draft)
            .map_err(|e| StoreError::Invalid(format!("the audit cannot be recorded: {e}")))?;
        Ok((parsed, body))
    }

    fn audit_from_row(&self, row: &AnyRow) -> Result<StoredAudit, StoreError> {
        let id: i64 = row.try_get("id")?;
        let la: String = row.try_get("la_code")?;
        let key: String = row.try_get("template_key")?;
        let body: String = row.try_get("body")?;
        let corrupt = |what: String| StoreError::Corrupt(format!("case audit {id}: {what}"));
        let key = TemplateKey::parse(&key).map_err(|e| corrupt(e.to_string()))?;
        let template = self
            .template(&key)
            .map_err(|_| corrupt(format!("there is no audit template '{key}'")))?;
        let draft: NewAudit = serde_json::from_str(&body)
            .map_err(|e| corrupt(format!("the body is not an audit ({e})")))?;
        let audit = draft
            .parse(template)
            .map_err(|errors| corrupt(first_problem(&errors)))?;
        Ok(StoredAudit {
            id,
            la: la_code(&la)?,
            audit,
            moderates: row.try_get("moderates")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
            updated_at: row.try_get("updated_at")?,
            updated_by: row.try_get("updated_by")?,
        })
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    async fn import_reference_data(
        &self,
        data: &ReferenceData,
        source_name: &str,
        actor: &str,
    ) -> Result<ImportSummary, StoreError> {
        let existing_regions = self.regions().await?;
        let existing_las = self.all_authorities().await?;
        let existing_activities: HashMap<(String, String, NaiveDate), (i64, Activity)> = self
            .load_activities(None)
            .await?
            .into_iter()
            .map(|(id, a)| {
                (
                    (
                        a.la_code.to_string(),
                        a.kind.key().to_string(),
                        a.start_date,
                    ),
                    (id, a),
                )
            })
            .collect();
        let mut summary = ImportSummary::default();
        let mut tx = self.pool.begin().await?;

        for (position, region) in data.regions.iter().enumerate() {
            let before = existing_regions.iter().find(|r| r.id == region.id);
            let counts = &mut summary.regions;
            match before {
                Some(b) if b == region => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => counts.updated += 1,
                None => counts.added += 1,
            }
            sqlx::query(
                "INSERT INTO regions (id, name, position) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position",
            )
            .bind(region.id.to_string())
            .bind(region.name.clone())
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM region_ons_regions WHERE region_id = $1")
                .bind(region.id.to_string())
                .execute(&mut *tx)
                .await?;
            for ons in &region.ons_regions {
                sqlx::query(
                    "INSERT INTO region_ons_regions (ons_region, region_id) VALUES ($1, $2)",
                )
                .bind(ons.clone())
                .bind(region.id.to_string())
                .execute(&mut *tx)
                .await?;
            }
        }

        // Authorities first, then the rows that refer to other authorities.
        let mut changed_las = Vec::new();
        for la in &data.local_authorities {
            match existing_las.get(la.la_code.as_str()) {
                Some(b) if b == la => {
                    summary.local_authorities.unchanged += 1;
                    continue;
                }
                Some(_) => summary.local_authorities.updated += 1,
                None => summary.local_authorities.added += 1,
            }
            changed_las.push(la);
            sqlx::query(
                "INSERT INTO local_authorities (la_code, gss_code, name, region_id, ons_region, la_type, population_0_25, current) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (la_code) DO UPDATE SET gss_code = excluded.gss_code, name = excluded.name, \
                 region_id = excluded.region_id, ons_region = excluded.ons_region, la_type = excluded.la_type, \
                 population_0_25 = excluded.population_0_25, current = excluded.current",
            )
            .bind(la.la_code.to_string())
            .bind(la.gss_code.to_string())
            .bind(la.name.clone())
            .bind(la.region.to_string())
            .bind(la.ons_region.clone())
            .bind(la.la_type.clone())
            .bind(opt_i64(la.population_0_25))
            .bind(i64::from(la.current))
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::duplicate_as(e, &format!("area code {} (on {})", la.gss_code, la.name)))?;
        }
        for la in changed_las {
            let code = la.la_code.to_string();
            sqlx::query("DELETE FROM statistical_neighbours WHERE la_code = $1")
                .bind(code.clone())
                .execute(&mut *tx)
                .await?;
            for (rank, neighbour) in la.statistical_neighbours.iter().enumerate() {
                sqlx::query("INSERT INTO statistical_neighbours (la_code, rank, neighbour_la_code) VALUES ($1, $2, $3)")
                    .bind(code.clone())
                    .bind(rank as i64 + 1)
                    .bind(neighbour.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        StoreError::unknown_reference(e, || {
                            format!("{}'s statistical neighbour {neighbour} is not a known LA", la.name)
                        })
                    })?;
            }
            sqlx::query("DELETE FROM la_other_codes WHERE la_code = $1")
                .bind(code.clone())
                .execute(&mut *tx)
                .await?;
            for other in &la.other_codes {
                sqlx::query("INSERT INTO la_other_codes (gss_code, la_code) VALUES ($1, $2)")
                    .bind(other.to_string())
                    .bind(code.clone())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::duplicate_as(e, &format!("area code {other}")))?;
            }
        }

        for activity in &data.activities {
            let key = (
                activity.la_code.to_string(),
                activity.kind.key().to_string(),
                activity.start_date,
            );
            let id = match existing_activities.get(&key) {
                Some((_, before)) if before == activity => {
                    summary.activities.unchanged += 1;
                    continue;
                }
                Some((id, _)) => {
                    summary.activities.updated += 1;
                    sqlx::query("UPDATE activities SET publication_date = $1, theme = $2, source = $3 WHERE id = $4")
                        .bind(activity.publication_date.map(|d| d.to_string()))
                        .bind(activity.theme.clone())
                        .bind(source_name.to_string())
                        .bind(*id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM activity_judgements WHERE activity_id = $1")
                        .bind(*id)
                        .execute(&mut *tx)
                        .await?;
                    *id
                }
                None => {
                    summary.activities.added += 1;
                    sqlx::query_scalar(
                        "INSERT INTO activities (la_code, kind, start_date, publication_date, theme, source) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(key.0.clone())
                    .bind(key.1.clone())
                    .bind(activity.start_date.to_string())
                    .bind(activity.publication_date.map(|d| d.to_string()))
                    .bind(activity.theme.clone())
                    .bind(source_name.to_string())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| {
                        StoreError::unknown_reference(e, || {
                            format!(
                                "an activity on {} names LA {}, which is not known",
                                activity.start_date, activity.la_code
                            )
                        })
                    })?
                }
            };
            for (judgement, grade) in activity.judgements.iter() {
                sqlx::query("INSERT INTO activity_judgements (activity_id, judgement, grade) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(judgement.key().to_string())
                    .bind(grade.key().to_string())
                    .execute(&mut *tx)
                    .await?;
            }
        }

        sqlx::query(
            "INSERT INTO imports (kind, source_name, imported_at, imported_by, summary) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind("reference")
        .bind(source_name.to_string())
        .bind(chrono::Utc::now().timestamp())
        .bind(actor.to_string())
        .bind(summary.to_json())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn regions(&self) -> Result<Vec<Region>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.name, o.ons_region FROM regions r LEFT JOIN region_ons_regions o ON o.region_id = r.id \
             ORDER BY r.position, o.ons_region",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut regions: Vec<Region> = Vec::new();
        for row in rows {
            let id = region_id(&row.try_get::<String, _>("id")?)?;
            let ons: Option<String> = row.try_get("ons_region")?;
            if regions.last().map(|r| &r.id) != Some(&id) {
                regions.push(Region {
                    id,
                    name: row.try_get("name")?,
                    ons_regions: Vec::new(),
                });
            }
            if let (Some(ons), Some(region)) = (ons, regions.last_mut()) {
                region.ons_regions.push(ons);
            }
        }
        Ok(regions)
    }

    async fn local_authorities(&self) -> Result<Vec<LaOverview>, StoreError> {
        let authorities = self.all_authorities().await?;
        let mut by_la: HashMap<String, Vec<Activity>> = HashMap::new();
        for (_, activity) in self.load_activities(None).await? {
            by_la
                .entry(activity.la_code.to_string())
                .or_default()
                .push(activity);
        }
        let mut out: Vec<LaOverview> = authorities
            .into_values()
            .map(|authority| {
                let latest_inspection = by_la
                    .get(authority.la_code.as_str())
                    .and_then(|a| latest_graded(a))
                    .cloned();
                LaOverview {
                    authority,
                    latest_inspection,
                }
            })
            .collect();
        out.sort_by(|a, b| a.authority.name.cmp(&b.authority.name));
        Ok(out)
    }

    async fn local_authority(
        &self,
        code: &AuthorityRef,
    ) -> Result<Option<LocalAuthority>, StoreError> {
        let la: Option<String> = match code {
            AuthorityRef::La(la) => Some(la.to_string()),
            AuthorityRef::Gss(gss) => {
                sqlx::query_scalar(
                    "SELECT la_code FROM local_authorities WHERE gss_code = $1 \
                     UNION SELECT la_code FROM la_other_codes WHERE gss_code = $1",
                )
                .bind(gss.to_string())
                .fetch_optional(&self.pool)
                .await?
            }
        };
        let Some(la) = la else { return Ok(None) };
        // All authorities are few (under 200); one path keeps neighbours and codes right.
        Ok(self.all_authorities().await?.remove(&la))
    }

    async fn activities(&self, la: &LaCode) -> Result<Vec<Activity>, StoreError> {
        Ok(self
            .load_activities(Some(la))
            .await?
            .into_iter()
            .map(|(_, a)| a)
            .collect())
    }

    async fn all_activities(&self) -> Result<Vec<Activity>, StoreError> {
        Ok(self
            .load_activities(None)
            .await?
            .into_iter()
            .map(|(_, a)| a)
            .collect())
    }

    async fn create_user(&self, user: &NewUser) -> Result<UserRecord, StoreError> {
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, role, la_code, region_id, disabled, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $7, $8) RETURNING id",
        )
        .bind(user.username.to_string())
        .bind(user.display_name.clone())
        .bind(user.password_hash.clone())
        .bind(user.role.key().to_string())
        .bind(user.la.as_ref().map(|l| l.to_string()))
        .bind(user.region.as_ref().map(|r| r.to_string()))
        .bind(now)
        .bind(user.actor.clone())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StoreError::unknown_reference(e, unknown_scope) {
            StoreError::Database(other) => {
                StoreError::duplicate_as(other, &format!("a user called {}", user.username))
            }
            mapped => mapped,
        })?;
        let row = sqlx::query(&format!("{USER_SELECT} WHERE u.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let record = user_from_row(&row)?;
        tx.commit().await?;
        Ok(record)
    }

    async fn user_by_username(
        &self,
        username: &Username,
    ) -> Result<Option<UserRecord>, StoreError> {
        sqlx::query(&format!("{USER_SELECT} WHERE u.username = $1"))
            .bind(username.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    async fn users(&self, la: Option<&LaCode>) -> Result<Vec<UserRecord>, StoreError> {
        let rows = match la {
            Some(la) => {
                sqlx::query(&format!(
                    "{USER_SELECT} WHERE u.la_code = $1 ORDER BY u.username"
                ))
                .bind(la.to_string())
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{USER_SELECT} ORDER BY u.username"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(user_from_row).collect()
    }

    async fn set_role(
        &self,
        username: &Username,
        role: Role,
        la: Option<&LaCode>,
        region: Option<&RegionId>,
        actor: &str,
    ) -> Result<UserRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE users SET role = $1, la_code = $2, region_id = $3, updated_at = $4, updated_by = $5 WHERE username = $6",
        )
        .bind(role.key().to_string())
        .bind(la.map(|l| l.to_string()))
        .bind(region.map(|r| r.to_string()))
        .bind(chrono::Utc::now().timestamp())
        .bind(actor.to_string())
        .bind(username.to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unknown_reference(e, unknown_scope))?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("a user called {username}")));
        }
        // A change of role ends the user's sessions: they sign in again with the new one.
        sqlx::query(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)",
        )
        .bind(username.to_string())
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("{USER_SELECT} WHERE u.username = $1"))
            .bind(username.to_string())
            .fetch_one(&mut *tx)
            .await?;
        let record = user_from_row(&row)?;
        tx.commit().await?;
        Ok(record)
    }

    async fn set_password_hash(
        &self,
        username: &Username,
        hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2, updated_by = $3 WHERE username = $4")
            .bind(hash.to_string())
            .bind(chrono::Utc::now().timestamp())
            .bind(actor.to_string())
            .bind(username.to_string())
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("a user called {username}")));
        }
        sqlx::query(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)",
        )
        .bind(username.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Expired sessions are swept as new ones are made, so the table stays small.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash.to_string())
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRecord>, StoreError> {
        sqlx::query(&format!(
            "{USER_SELECT} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        ))
        .bind(token_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_api_token(&self, token: &NewApiToken) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at, created_by, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(token.token_hash.clone())
        .bind(token.user_id)
        .bind(token.name.clone())
        .bind(token.created_at)
        .bind(token.actor.clone())
        .bind(token.expires_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unknown_reference(e, || "the user is not known".into()))?;
        tx.commit().await?;
        Ok(id)
    }

    async fn api_token_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRecord>, StoreError> {
        sqlx::query(&format!(
            "{USER_SELECT} JOIN api_tokens t ON t.user_id = u.id \
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND t.revoked_at IS NULL AND u.disabled = 0"
        ))
        .bind(token_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    async fn log_access(&self, entry: &NewAccessEntry) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO access_log (at, user_id, username, action, record_kind, record_key, la_code) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(entry.at)
        .bind(entry.user_id)
        .bind(entry.username.clone())
        .bind(entry.action.clone())
        .bind(entry.record_kind.clone())
        .bind(entry.record_key.clone())
        .bind(entry.la.as_ref().map(|l| l.to_string()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn access_log(
        &self,
        la: Option<&LaCode>,
        limit: i64,
    ) -> Result<Vec<AccessEntry>, StoreError> {
        let base = "SELECT id, at, user_id, username, action, record_kind, record_key, la_code FROM access_log";
        let rows = match la {
            Some(la) => {
                sqlx::query(&format!(
                    "{base} WHERE la_code = $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(la.to_string())
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{base} ORDER BY id DESC LIMIT $1"))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter()
            .map(|row| {
                let la: Option<String> = row.try_get("la_code")?;
                Ok(AccessEntry {
                    id: row.try_get("id")?,
                    entry: NewAccessEntry {
                        at: row.try_get("at")?,
                        user_id: row.try_get("user_id")?,
                        username: row.try_get("username")?,
                        action: row.try_get("action")?,
                        record_kind: row.try_get("record_kind")?,
                        record_key: row.try_get("record_key")?,
                        la: la.as_deref().map(la_code).transpose()?,
                    },
                })
            })
            .collect()
    }

    async fn setting_or_insert(&self, key: &str, default: &str) -> Result<String, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key.to_string())
        .bind(default.to_string())
        .execute(&mut *tx)
        .await?;
        let value: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key.to_string())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(value)
    }

    async fn create_audit(&self, new: &NewCaseAudit) -> Result<StoredAudit, StoreError> {
        let la = new.la.to_string();
        let (audit, body) = self.canonical(&new.audit)?;
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        if let Some(first_id) = new.moderates {
            // Locking the first audit serialises this with saves of it (see update_audit).
            let row = sqlx::query(&format!(
                "SELECT {AUDIT_COLUMNS} FROM case_audits WHERE id = $1 AND la_code = $2{}",
                self.lock()
            ))
            .bind(first_id)
            .bind(la.clone())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(moderated_missing)?;
            let first = self.audit_from_row(&row)?;
            if first.moderates.is_some() {
                return Err(StoreError::Invalid(
                    "the audit being moderated is itself a moderation: moderate the first audit"
                        .into(),
                ));
            }
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT id FROM case_audits WHERE moderates = $1")
                    .bind(first_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate("a moderation of this audit".into()));
            }
            ModerationPair::new(&first.audit, &audit)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO case_audits (la_code, template_key, child_id, team, auditor, audit_date, \
             overall_grade, moderates, body, version, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $10, $11) RETURNING id",
        )
        .bind(la.clone())
        .bind(audit.template().to_string())
        .bind(audit.child().to_string())
        .bind(audit.case().team.to_string())
        .bind(audit.auditor().to_string())
        .bind(iso(audit.date()))
        .bind(audit.overall_grade().key().to_string())
        .bind(new.moderates)
        .bind(body)
        .bind(now)
        .bind(new.actor.clone())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StoreError::unknown_reference(e, || format!("LA {la} is not known")) {
            StoreError::Database(other) => {
                StoreError::duplicate_as(other, "a moderation of this audit")
            }
            mapped => mapped,
        })?;
        tx.commit().await?;
        Ok(StoredAudit {
            id,
            la: new.la.clone(),
            audit,
            moderates: new.moderates,
            version: 1,
            created_at: now,
            created_by: new.actor.clone(),
            updated_at: now,
            updated_by: new.actor.clone(),
        })
    }

    async fn audit(&self, la: &LaCode, id: i64) -> Result<Option<StoredAudit>, StoreError> {
        sqlx::query(&format!(
            "SELECT {AUDIT_COLUMNS} FROM case_audits WHERE id = $1 AND la_code = $2"
        ))
        .bind(id)
        .bind(la.to_string())
        .fetch_optional(&self.pool)
        .await?
        .map(|row| self.audit_from_row(&row))
        .transpose()
    }

    async fn audits(
        &self,
        la: &LaCode,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<StoredAudit>, StoreError> {
        let mut sql = format!("SELECT {AUDIT_COLUMNS} FROM case_audits WHERE la_code = $1");
        let mut binds = vec![la.to_string()];
        for (bound, op) in [(from, ">="), (to, "<=")] {
            if let Some(date) = bound {
                binds.push(iso(date));
                sql.push_str(&format!(" AND audit_date {op} ${}", binds.len()));
            }
        }
        sql.push_str(" ORDER BY audit_date DESC, id DESC");
        let mut query = sqlx::query(&sql);
        for value in binds {
            query = query.bind(value);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| self.audit_from_row(row))
            .collect()
    }

    async fn update_audit(
        &self,
        la: &LaCode,
        id: i64,
        expected_version: i64,
        audit: &Audit,
        actor: &str,
    ) -> Result<StoredAudit, StoreError> {
        let (audit, body) = self.canonical(audit)?;
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        // Which audit this moderates never changes, so it is read without a lock. Then
        // the pair (the first audit and its moderation, if any) is locked first audit
        // first, the order create_audit locks in, so two saves cannot deadlock.
        let moderates: Option<i64> =
            sqlx::query_scalar("SELECT moderates FROM case_audits WHERE id = $1 AND la_code = $2")
                .bind(id)
                .bind(la.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("case audit {id}")))?;
        let first_id = moderates.unwrap_or(id);
        let pair = sqlx::query(&format!(
            "SELECT {AUDIT_COLUMNS} FROM case_audits WHERE la_code = $1 AND (id = $2 OR moderates = $2) \
             ORDER BY id{}",
            self.lock()
        ))
        .bind(la.to_string())
        .bind(first_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| self.audit_from_row(row))
        .collect::<Result<Vec<StoredAudit>, StoreError>>()?;
        let current = pair
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("case audit {id}")))?;
        if current.version != expected_version {
            return Err(conflict("audit", &current.updated_by, current.updated_at));
        }
        // Once moderated, the first audit is a record of what its auditor judged: changing
        // it afterwards would let grades be brought into line with the moderator's.
        if moderates.is_none() && pair.iter().any(|a| a.id != id) {
            return Err(StoreError::Invalid(
                "this audit has been moderated, so it can no longer be changed".into(),
            ));
        }
        // The rules a moderation was created under still hold.
        if let Some(other) = pair.iter().find(|a| a.id != id) {
            let checked = if moderates.is_some() {
                ModerationPair::new(&other.audit, &audit)
            } else {
                ModerationPair::new(&audit, &other.audit)
            };
            checked.map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        let updated = sqlx::query(
            "UPDATE case_audits SET template_key = $1, child_id = $2, team = $3, auditor = $4, \
             audit_date = $5, overall_grade = $6, body = $7, version = version + 1, \
             updated_at = $8, updated_by = $9 WHERE id = $10 AND version = $11",
        )
        .bind(audit.template().to_string())
        .bind(audit.child().to_string())
        .bind(audit.case().team.to_string())
        .bind(audit.auditor().to_string())
        .bind(iso(audit.date()))
        .bind(audit.overall_grade().key().to_string())
        .bind(body)
        .bind(now)
        .bind(actor.to_string())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            // Not reached while the row is locked; kept so a save can never be lost.
            return Err(conflict("audit", &current.updated_by, current.updated_at));
        }
        let stored = StoredAudit {
            audit,
            version: expected_version + 1,
            updated_at: now,
            updated_by: actor.to_string(),
            ..current.clone()
        };
        tx.commit().await?;
        Ok(stored)
    }

    async fn create_learning_action(
        &self,
        la: &LaCode,
        action: &LearningAction,
        actor: &str,
    ) -> Result<StoredLearningAction, StoreError> {
        self.create_learning(la, action, actor).await
    }

    async fn learning_action(
        &self,
        la: &LaCode,
        id: i64,
    ) -> Result<Option<StoredLearningAction>, StoreError> {
        self.learning(la, id).await
    }

    async fn learning_actions(&self, la: &LaCode) -> Result<Vec<StoredLearningAction>, StoreError> {
        self.learning_list(la).await
    }

    async fn update_learning_action(
        &self,
        la: &LaCode,
        id: i64,
        expected_version: i64,
        action: &LearningAction,
        actor: &str,
    ) -> Result<StoredLearningAction, StoreError> {
        self.update_learning(la, id, expected_version, action, actor)
            .await
    }

    async fn audit_log(&self, la: &LaCode) -> Result<Vec<AuditLogEntry>, StoreError> {
        self.load_audit_log(la).await
    }

    async fn replace_open_cases(
        &self,
        la: &LaCode,
        cases: &[OpenCase],
        actor: &str,
    ) -> Result<(), StoreError> {
        self.replace_cases(la, cases, actor).await
    }

    async fn replace_programme_auditors(
        &self,
        la: &LaCode,
        auditors: &[ProgrammeAuditor],
        actor: &str,
    ) -> Result<(), StoreError> {
        self.replace_auditors(la, auditors, actor).await
    }

    async fn programme_inputs(&self, la: &LaCode) -> Result<ProgrammeInputs, StoreError> {
        self.load_programme_inputs(la).await
    }

    async fn confirm_programme(
        &self,
        la: &LaCode,
        month: AuditMonth,
        items: &[ProgrammeItem],
        actor: &str,
    ) -> Result<ConfirmedProgramme, StoreError> {
        self.store_programme(la, month, items, actor).await
    }

    async fn programmes(&self, la: &LaCode) -> Result<Vec<ConfirmedProgramme>, StoreError> {
        self.load_programmes(la).await
    }

    async fn create_self_evaluation(
        &self,
        sef: &SelfEvaluation,
        actor: &str,
    ) -> Result<StoredSef, StoreError> {
        self.create_sef(sef, actor).await
    }

    async fn self_evaluation(
        &self,
        la: &LaCode,
        year: FinancialYear,
        version: Option<u32>,
    ) -> Result<Option<StoredSef>, StoreError> {
        self.sef(la, year, version).await
    }

    async fn self_evaluations(&self, la: &LaCode) -> Result<Vec<SefSummary>, StoreError> {
        self.sef_summaries(la).await
    }

    async fn save_self_evaluation(
        &self,
        sef: &SelfEvaluation,
        expected_row_version: i64,
        actor: &str,
    ) -> Result<StoredSef, StoreError> {
        self.save_sef(sef, expected_row_version, actor).await
    }

    async fn shared_self_evaluations(
        &self,
        region: &RegionId,
        at_least: SefStage,
    ) -> Result<Vec<SharedSef>, StoreError> {
        self.shared_sefs(region, at_least).await
    }

    async fn replace_published_statistics(
        &self,
        statistics: &PublishedStatistics,
        actor: &str,
    ) -> Result<PublishedSummary, StoreError> {
        self.replace_published(statistics, actor).await
    }

    async fn published_statistics_for(&self, la: &LaCode) -> Result<Vec<Observation>, StoreError> {
        self.published_for(la).await
    }

    async fn last_published_import(&self) -> Result<Option<PublishedImport>, StoreError> {
        self.last_published().await
    }

    async fn create_aem_meeting(
        &self,
        meeting: &Meeting,
        actor: &str,
    ) -> Result<StoredMeeting, StoreError> {
        self.create_meeting(meeting, actor).await
    }

    async fn aem_meeting(&self, id: i64) -> Result<Option<StoredMeeting>, StoreError> {
        self.meeting(id).await
    }

    async fn aem_meetings_for_la(&self, la: &LaCode) -> Result<Vec<StoredMeeting>, StoreError> {
        self.meetings_for_la(la).await
    }

    async fn aem_meetings_for_region(
        &self,
        region: Option<&RegionId>,
    ) -> Result<Vec<StoredMeeting>, StoreError> {
        self.meetings_for_region(region).await
    }

    async fn save_aem_meeting(
        &self,
        id: i64,
        meeting: &Meeting,
        expected_row_version: i64,
        actor: &str,
    ) -> Result<StoredMeeting, StoreError> {
        self.replace_meeting(id, expected_row_version, actor, |_| Ok(meeting.clone()))
            .await
    }

    async fn issue_aem_letter(
        &self,
        id: i64,
        expected_row_version: i64,
        on: NaiveDate,
        by: &Username,
    ) -> Result<StoredMeeting, StoreError> {
        self.issue_letter(id, expected_row_version, on, by).await
    }

    async fn save_annex_a_upload(
        &self,
        upload: &NewAnnexAUpload,
        lists: &[AnnexAList],
        actor: &str,
    ) -> Result<AnnexAUpload, StoreError> {
        self.save_annex_a(upload, lists, actor).await
    }

    async fn annex_a_history(&self, la: &LaCode) -> Result<Option<AnnexAHistory>, StoreError> {
        self.annex_a_lists_of(la).await
    }

    async fn annex_a_uploads(&self, la: &LaCode) -> Result<Vec<AnnexAUpload>, StoreError> {
        self.annex_a_upload_list(la).await
    }

    async fn annex_a_upload(
        &self,
        la: &LaCode,
        id: i64,
    ) -> Result<Option<AnnexAUploadReport>, StoreError> {
        self.annex_a_upload_report(la, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::uk_time;

    fn at(utc: &str) -> i64 {
        chrono::NaiveDateTime::parse_from_str(utc, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp()
    }

    #[test]
    fn times_read_as_clocks_in_england_do() {
        assert_eq!(uk_time(at("2026-01-15 12:00")), "12:00 on 15 January 2026");
        // Summer time in 2026: 29 March to 25 October, changing at 01:00 UTC.
        assert_eq!(uk_time(at("2026-03-29 00:59")), "00:59 on 29 March 2026");
        assert_eq!(uk_time(at("2026-03-29 01:00")), "02:00 on 29 March 2026");
        assert_eq!(uk_time(at("2026-07-01 23:30")), "00:30 on 2 July 2026");
        assert_eq!(uk_time(at("2026-10-25 00:59")), "01:59 on 25 October 2026");
        assert_eq!(uk_time(at("2026-10-25 01:00")), "01:00 on 25 October 2026");
        assert_eq!(uk_time(i64::MAX), format!("{} (Unix time)", i64::MAX));
    }
}
