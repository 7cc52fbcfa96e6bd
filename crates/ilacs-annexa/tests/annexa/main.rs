//! Reading, cleaning and writing Annex A files as a caller meets them: built workbooks
//! and CSVs in, lists and issues out.

mod bad_input;
mod linked;
mod reading;
mod round_trip;
mod support;
