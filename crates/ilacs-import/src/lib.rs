//! Readers of reference data into domain types; no database.
//!
//! - [`local_authorities`]: DfE's LA lookup with Ofsted's regions, extra area codes and
//!   former authorities, as [`LocalAuthority`](ilacs_domain::authority::LocalAuthority)s.
//! - [`outcomes_workbook`]: Ofsted's published inspection-outcomes workbook (.ods or
//!   .xlsx), as activities matched to those authorities.
//! - [`published`]: DfE's published statistics files (tidy CSVs), as the values of the
//!   indicators `data/indicators/published.toml` defines.
//! - [`audit_programme`]: an LA's open cases (a CSV export of its case management
//!   system) and its auditors, for the monthly audit programme.
//! - [`bundled`]: the repository's copies of those files, compiled in.
//!
//! Every reader takes text or bytes (and [`read_published_dir`] also a directory, since
//! which files it needs is itself data), and reports bad input as a typed error naming
//! the file or sheet, the line or row, and the column.

pub mod audit_programme;
pub mod bundled;
pub mod local_authorities;
pub mod outcomes_workbook;
pub mod published;
pub mod reference;

pub use audit_programme::{
    read_open_cases, read_programme_auditors, write_programme_auditors, ListError, ListProblem,
};
pub use local_authorities::{read_local_authorities, ReferenceError, ReferenceFiles};
pub use outcomes_workbook::{
    read_outcomes_workbook, resolve, OutcomesWorkbook, PublishedActivity, ResolvedOutcomes,
    WorkbookError, WorkbookFormat,
};
pub use published::{
    read_published, read_published_dir, PublishedError, PublishedProblem, MAX_PROBLEMS,
};
pub use reference::{read_reference, ImportError};
