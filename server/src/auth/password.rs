//! Password hashing with argon2id (the crate's defaults: 19 MiB, two passes), off the async
//! workers since each hash takes tens of milliseconds by design.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A PHC string (`$argon2id$v=19$…`) for `password`, with a fresh random salt.
pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(|e| e.to_string())?
}

fn hash_now(password: &str) -> Result<String, String> {
    // The salt's 16 bytes come from the operating system, through a v4 UUID's generator.
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes()).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches `stored`. With no stored hash (an unknown user) a hash is still
/// computed, so the answer takes as long and does not tell which user names exist.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => PasswordHash::new(&stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()),
        None => {
            let _ = hash_now(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_is_salted() {
        let a = hash("una frase larga".into()).await.unwrap();
        let b = hash("una frase larga".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("una frase larga".into(), Some(a.clone())).await);
        assert!(!verify("una frase larga!".into(), Some(a)).await);
        assert!(!verify("x".into(), None).await);
        assert!(!verify("x".into(), Some("not a hash".into())).await);
    }
}
