//! The web service's integration tests: the real application over a SQLite store
//! holding the real reference data, driven request by request.

mod aem;
mod annex_a;
mod api;
mod audit_programme;
mod audits;
mod auth;
mod indicators;
mod learning;
mod pages;
mod self_evaluation;
mod support;
