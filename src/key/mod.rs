//! The Anthropic API key: a secret type, what a pasted text is, and where the
//! key is kept (environment, OS keychain, or memory for this session).

pub mod classify;
pub mod keychain;

use secrecy::{ExposeSecret, SecretString};

/// An Anthropic API key. It can only be read through [`ApiKey::expose`];
/// `Debug` never shows it, and it is wiped from memory when dropped.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(SecretString::from(key.into()))
    }

    /// The key itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Enough to recognise the key by, and not enough to use it:
    /// `sk-ant-api03-…x7QA`.
    pub fn hint(&self) -> String {
        let key = self.expose();
        let prefix: String = key.chars().take(13).collect();
        let suffix: String = key
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if key.chars().count() <= 17 {
            return "…".to_owned();
        }
        format!("{prefix}…{suffix}")
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl PartialEq for ApiKey {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

/// Where the key in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `ANTHROPIC_API_KEY`: wins over the keychain; cannot be removed here.
    Environment,
    Keychain,
    /// Kept in memory only, until BrainDump closes.
    Session,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Environment => "the ANTHROPIC_API_KEY environment variable",
            Self::Keychain => "the system keychain",
            Self::Session => "memory, for this session only",
        })
    }
}

/// The environment variable that supplies a key and skips onboarding.
pub const KEY_ENV: &str = "ANTHROPIC_API_KEY";

/// The key from the environment, if one is set.
pub fn from_env() -> Option<ApiKey> {
    std::env::var(KEY_ENV)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .map(ApiKey::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("sk-ant-api03-secretsecretsecret-x7QA");
        let shown = format!("{key:?} {:?}", Some(&key));
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(key.hint(), "sk-ant-api03-…x7QA");
        assert_eq!(ApiKey::new("short").hint(), "…");
    }
}
