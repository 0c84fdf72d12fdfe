//! The OS keychain, through keyring-core and the platform store (Secret
//! Service on Linux, Keychain on macOS, Credential Manager on Windows).
//!
//! Keychain calls block, and can take as long as a person needs to type a
//! password: a locked keyring asks for it in a window of its own and
//! answers once it is unlocked. So each call runs on a thread of its own:
//! the UI never waits on it. Past [`SLOW`] the app says it is waiting (and
//! why); past [`TIMEOUT`] the call is given up. The store is created anew
//! for every call, so a keychain that was missing or crashed is found again
//! once it is back.

use std::sync::Arc;
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};

use super::ApiKey;

pub const SERVICE: &str = "BrainDump";
pub const ACCOUNT: &str = "anthropic-api-key";

/// An unlocked keychain answers well within this; a call still running
/// after it is most likely waiting for the person to unlock the keychain.
pub const SLOW: Duration = Duration::from_millis(1500);

/// Done once [`SLOW`] has passed: run beside a keychain call, to say that
/// it is waiting. (The timer is made when first polled, inside the
/// runtime.)
pub async fn slow() {
    tokio::time::sleep(SLOW).await;
}

/// What to say while a call takes longer than [`SLOW`].
pub const WAITING: &str = "Waiting for the system keychain. It may be locked: if it asks for your password, enter it there.";

/// Time enough to notice the keychain's password prompt and answer it; a
/// keychain silent for longer has hung.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Which keychain to use: the platform's, or one given (a mock in tests).
#[derive(Clone, Default)]
pub enum Backend {
    #[default]
    Platform,
    Store(Arc<CredentialStore>),
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Platform => "Platform",
            Self::Store(_) => "Store",
        })
    }
}

/// Why the keychain could not be used. Each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error(
        "No keychain is available ({0}). On Linux, install and start GNOME Keyring (gnome-keyring) or KWallet, then try again; or use the key for this session only."
    )]
    Unavailable(String),
    #[error(
        "The keychain is locked or refused access ({0}). Unlock it (for GNOME Keyring, the “Login” keyring in Passwords and Keys) and try again; or use the key for this session only."
    )]
    Locked(String),
    #[error("The keychain did not answer within {} minutes. If it is locked, unlock it, then try again; or use the key for this session only.", TIMEOUT.as_secs() / 60)]
    TimedOut,
    #[error(
        "The keychain stored the key but gave a different one back. Try again; if it keeps happening, use the key for this session only."
    )]
    Mismatch,
    #[error("The keychain failed: {0}. Try again, or use the key for this session only.")]
    Failed(String),
}

fn store(backend: &Backend) -> Result<Arc<CredentialStore>, Error> {
    match backend {
        Backend::Store(store) => Ok(store.clone()),
        Backend::Platform => platform_store(),
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn platform_store() -> Result<Arc<CredentialStore>, Error> {
    zbus_secret_service_keyring_store::Store::new()
        .map(|store| store as Arc<CredentialStore>)
        .map_err(|error| Error::Unavailable(describe(&error)))
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, Error> {
    apple_native_keyring_store::keychain::Store::new()
        .map(|store| store as Arc<CredentialStore>)
        .map_err(|error| Error::Unavailable(describe(&error)))
}

#[cfg(windows)]
fn platform_store() -> Result<Arc<CredentialStore>, Error> {
    windows_native_keyring_store::Store::new()
        .map(|store| store as Arc<CredentialStore>)
        .map_err(|error| Error::Unavailable(describe(&error)))
}

fn entry(backend: &Backend) -> Result<Entry, Error> {
    Entry::new_in_store(&store(backend)?, SERVICE, ACCOUNT).map_err(map_error)
}

/// keyring-core's errors, in words. The platform error is shown without the
/// secret (keyring errors never carry it, but `BadEncoding` carries bytes,
/// which are not shown).
fn describe(error: &keyring_core::Error) -> String {
    match error {
        keyring_core::Error::PlatformFailure(inner)
        | keyring_core::Error::NoStorageAccess(inner) => inner.to_string(),
        keyring_core::Error::BadEncoding(_) => "the stored key is not text".to_owned(),
        keyring_core::Error::BadDataFormat(_, inner) => inner.to_string(),
        other => other.to_string(),
    }
}

fn map_error(error: keyring_core::Error) -> Error {
    match &error {
        keyring_core::Error::NoStorageAccess(_) => Error::Locked(describe(&error)),
        keyring_core::Error::NoDefaultStore => Error::Unavailable(describe(&error)),
        keyring_core::Error::PlatformFailure(inner) if looks_unavailable(&inner.to_string()) => {
            Error::Unavailable(describe(&error))
        }
        _ => Error::Failed(describe(&error)),
    }
}

fn looks_unavailable(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "serviceunknown",
        "not provided by any",
        "no such file",
        "connection refused",
        "address",
        "dbus",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

/// Runs blocking keychain work on its own thread, giving up after `timeout`.
async fn off_thread<T: Send + 'static>(
    timeout: Duration,
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let (sender, receiver) = futures::channel::oneshot::channel();
    std::thread::Builder::new()
        .name("keychain".into())
        .spawn(move || {
            let _ = sender.send(work());
        })
        .map_err(|error| Error::Failed(error.to_string()))?;
    match tokio::time::timeout(timeout, receiver).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(Error::Failed("the keychain thread stopped".into())),
        Err(_) => Err(Error::TimedOut),
    }
}

/// The stored key, if there is one.
pub async fn load(backend: Backend) -> Result<Option<ApiKey>, Error> {
    off_thread(TIMEOUT, move || match entry(&backend)?.get_password() {
        Ok(key) => Ok(Some(ApiKey::new(key))),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(error) => Err(map_error(error)),
    })
    .await
}

/// Stores the key, then reads it back: success means it is really there.
pub async fn save(backend: Backend, key: ApiKey) -> Result<(), Error> {
    off_thread(TIMEOUT, move || {
        let entry = entry(&backend)?;
        entry.set_password(key.expose()).map_err(map_error)?;
        // Read back through a fresh entry, as a new process would.
        let stored = self::entry(&backend)?.get_password().map_err(map_error)?;
        if stored == key.expose() {
            Ok(())
        } else {
            Err(Error::Mismatch)
        }
    })
    .await
}

/// Removes the stored key; removing a key that is not there is fine.
pub async fn remove(backend: Backend) -> Result<(), Error> {
    off_thread(TIMEOUT, move || {
        match entry(&backend)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(error) => Err(map_error(error)),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock() -> Backend {
        Backend::Store(keyring_core::mock::Store::new().unwrap())
    }

    #[tokio::test]
    async fn save_load_replace_remove_with_the_mock_store() {
        let backend = mock();
        assert_eq!(load(backend.clone()).await, Ok(None));
        save(backend.clone(), ApiKey::new("first")).await.unwrap();
        assert_eq!(load(backend.clone()).await, Ok(Some(ApiKey::new("first"))));
        save(backend.clone(), ApiKey::new("second")).await.unwrap();
        assert_eq!(load(backend.clone()).await, Ok(Some(ApiKey::new("second"))));
        remove(backend.clone()).await.unwrap();
        assert_eq!(load(backend.clone()).await, Ok(None));
        remove(backend).await.unwrap();
    }

    #[tokio::test]
    async fn a_hung_keychain_is_given_up_on_time() {
        let started = std::time::Instant::now();
        let result: Result<(), Error> = off_thread(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        })
        .await;
        assert_eq!(result, Err(Error::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn errors_say_what_to_do() {
        assert!(
            Error::Unavailable("x".into())
                .to_string()
                .contains("GNOME Keyring")
        );
        assert!(Error::Locked("x".into()).to_string().contains("Unlock"));
        assert!(Error::TimedOut.to_string().contains("session only"));
    }
}
