//! Reading, cleaning and writing Annex A files as a caller meets them: built workbooks
//! and CSVs in, lists and issues out.

mod bad_input;
mod degrade;
mod history_csv;
mod indicators;
mod linked;
mod lists;
mod merge;
mod reading;
mod round_trip;
mod support;
