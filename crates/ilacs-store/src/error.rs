/// What can go wrong in the store. Callers show `Duplicate`, `NotFound`, `Invalid` and
/// `Conflict` to users; the others are faults to log.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} already exists")]
    Duplicate(String),
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// A save made from a copy someone else has changed since: the message says who,
    /// when, and what to do.
    #[error("{0}")]
    Conflict(String),
    #[error("the database URL '{0}' is not supported: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("the database holds data this version cannot read ({0})")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Maps a unique-constraint failure to `Duplicate(what)`, keeping other errors.
    pub(crate) fn duplicate_as(err: sqlx::Error, what: &str) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate(what.to_string())
            }
            _ => StoreError::Database(err),
        }
    }

    /// Maps a foreign-key failure to `Invalid(message())`, keeping other errors.
    pub(crate) fn unknown_reference(
        err: sqlx::Error,
        message: impl FnOnce() -> String,
    ) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Invalid(message())
            }
            _ => StoreError::Database(err),
        }
    }
}
