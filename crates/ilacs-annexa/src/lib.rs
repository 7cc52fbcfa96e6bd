//! Annex A: the 11 child-level lists an LA gives Ofsted at the start of an inspection.
//!
//! The schema is data (`data/annex_a/lists.toml`, see [`Schema::bundled`]). Reading
//! ([`read_workbook`], [`read_csvs`]) recognises each list by its headers, cleans every
//! cell to its column's type and reports each change or rejection as an [`Issue`];
//! [`write_clean_xlsx`] writes the clean lists in the canonical layout. [`generate`]
//! makes synthetic workbooks with a chosen share of real-world dirt, for tests and
//! benchmarks; [`generate_linked`] and [`generate_linked_csv`] make one LA's whole
//! return, its children linked across the lists, from a [`Profile`] of its volumes and
//! rates.

mod cells;
pub mod generate;
mod read;
pub mod schema;
mod write;

pub use cells::{uk_date, Value};
pub use generate::{
    csv_file_name, generate, generate_linked, generate_linked_csv, GenerateError, Generated,
    Injected, Linked, LinkedWorkbook, Profile, Rates, Volumes,
};
pub use read::{read_csvs, read_workbook, Action, AnnexA, CleanList, Issue, ReadError};
pub use schema::{Schema, SchemaError};
pub use write::{write_clean_xlsx, WriteError};
