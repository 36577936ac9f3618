//! One lock per upload: two requests on the same media (a chunk sent twice at once, the last
//! two chunks together) take turns, while uploads of other media go on undisturbed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::OwnedMutexGuard;
use uuid::Uuid;

#[derive(Default)]
pub struct UploadLocks {
    locks: Mutex<HashMap<Uuid, Weak<tokio::sync::Mutex<()>>>>,
}

impl UploadLocks {
    /// Waits for the turn of upload `id`; the turn ends when the guard is dropped.
    pub async fn lock(&self, id: Uuid) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            // Locks nobody holds or waits for are gone: the map stays as small as the traffic.
            locks.retain(|_, weak| weak.strong_count() > 0);
            match locks.get(&id).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(id, Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_same_upload_waits_its_turn_and_others_do_not() {
        let locks = UploadLocks::default();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let held = locks.lock(a).await;
        let other = tokio::time::timeout(std::time::Duration::from_millis(50), locks.lock(b)).await;
        assert!(other.is_ok(), "another upload goes on");
        drop(other);
        let same = tokio::time::timeout(std::time::Duration::from_millis(50), locks.lock(a)).await;
        assert!(same.is_err(), "the same upload waits");
        drop(held);
        assert!(tokio::time::timeout(std::time::Duration::from_millis(50), locks.lock(a)).await.is_ok());
    }
}
