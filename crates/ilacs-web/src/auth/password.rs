//! Password hashing with Argon2id (the argon2 crate's defaults, which follow OWASP's
//! recommended minimums).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use ilacs_domain::user::NewPassword;
use std::sync::OnceLock;

#[derive(Debug, thiserror::Error)]
#[error("could not hash the password: {0}")]
pub struct HashError(String);

pub fn hash(password: &NewPassword) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `candidate` matches the stored hash. A malformed hash never matches.
pub fn verify(stored_hash: &str, candidate: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time a real check would, so a wrong name and a wrong password take as
/// long as each other and sign-in names cannot be discovered by timing.
pub fn verify_nobody(candidate: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        hash(&NewPassword::parse("not-a-real-password-for-timing").expect("long enough"))
            .unwrap_or_default()
    });
    let _ = verify(dummy, candidate);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let p = NewPassword::parse("correct horse battery staple").unwrap();
        let a = hash(&p).unwrap();
        let b = hash(&p).unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify(&a, "correct horse battery staple"));
        assert!(!verify(&a, "correct horse battery stapler"));
        assert!(!verify("not a hash", "anything"));
    }
}
