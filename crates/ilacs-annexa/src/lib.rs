//! Annex A: the 11 child-level lists an LA gives Ofsted at the start of an inspection.
//!
//! The schema is data (`data/annex_a/lists.toml`, see [`Schema::bundled`]). Reading
//! ([`read_workbook`], [`read_csvs`]) recognises each list by its headers, cleans every
//! cell to its column's type and reports each change or rejection as an [`Issue`];
//! [`write_clean_xlsx`] writes the clean lists in the canonical layout. xlsx is read and
//! written by the crate's own streaming reader and writer (`xlsx`), checked against
//! calamine, which reads xls, ods and any xlsx the fast reader leaves to it. [`generate`]
//! makes synthetic workbooks with a chosen share of real-world dirt, for tests and
//! benchmarks; [`generate_linked`] and [`generate_linked_csv`] make one LA's whole
//! return, its children linked across the lists, from a [`Profile`] of its volumes and
//! rates.
//!
//! Before data leaves the LA, [`degrade`] pseudonymises it with the LA's [`Key`]; the
//! service [`merge`]s each upload into the LA's history and keeps that history as one
//! CSV per list ([`write_list_csv`], read back with [`read_csvs`]).
//! [`indicators::compute`] gives the indicators for a reference date.

mod cells;
mod degrade;
pub mod generate;
pub mod indicators;
mod merge;
mod read;
pub mod schema;
mod write;
mod write_csv;
mod xlsx;

pub use cells::{uk_date, Value};
pub use degrade::{degrade, postcode_sector, pseudonym, Key, KeyError, MIN_KEY_BYTES};
pub use generate::{
    csv_file_name, generate, generate_linked, generate_linked_csv, GenerateError, Generated,
    Injected, Linked, LinkedWorkbook, Profile, Rates, Volumes,
};
pub use merge::{merge, ListMerge, MergeSummary};
pub use read::{read_csvs, read_workbook, testing, Action, AnnexA, CleanList, Issue, ReadError};
pub use schema::{Schema, SchemaError};
pub use write::{write_clean_xlsx, WriteError};
pub use write_csv::write_list_csv;
