//! The web service's integration tests: the real application over a SQLite store
//! holding the real reference data, driven request by request.

mod aem;
mod api;
mod audits;
mod auth;
mod indicators;
mod pages;
mod self_evaluation;
mod support;
