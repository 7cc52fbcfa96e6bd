//! The ilacs web service: server-rendered GOV.UK pages that work without JavaScript,
//! sign-in with roles, CSRF protection on every form, and the public JSON API.
//!
//! Handlers hold no business rules: they parse input into domain types, ask the
//! domain (permissions live in `ilacs_domain::access`) and the store, and render.

mod access_log;
pub mod annex_a;
mod assets;
mod auth;
mod error;
pub mod exports;
mod routes;
mod state;
mod views;

pub use auth::{api_token, password};
pub use state::{AppState, WebConfig};

use axum::Router;

/// The whole application, ready to serve.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}
