//! API tokens for systems that call the JSON API (a case management system loading
//! audits). A token is random; only its hash is stored, as for sessions.

use super::cookies::random_token;
use super::session::token_hash;

/// A new token and the hash to store. Show `token` once; it cannot be recovered.
pub struct IssuedToken {
    pub token: String,
    pub hash: String,
}

/// Tokens carry a prefix so a leaked one is recognisable in logs and secret scanners.
const PREFIX: &str = "ilacs_";

pub fn issue() -> IssuedToken {
    let token = format!("{PREFIX}{}", random_token());
    let hash = token_hash(&token);
    IssuedToken { token, hash }
}
