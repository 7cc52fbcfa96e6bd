//! Sign-in, sessions, CSRF protection and sign-in rate limiting.

pub mod api_token;
pub(crate) mod cookies;
pub(crate) mod csrf;
pub mod password;
pub(crate) mod rate_limit;
pub(crate) mod session;
