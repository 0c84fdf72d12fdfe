//! The settings file: small, human-readable JSON in the config folder.
//!
//! It never holds a secret: the API key lives in the OS keychain only.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Light, dark, or whatever the system says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemePreference {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemePreference {
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];
}

impl std::fmt::Display for ThemePreference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::System => "Follow system",
            Self::Light => "Light",
            Self::Dark => "Dark",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The notes folder chosen in Settings; `None` means the default.
    pub notes_dir: Option<PathBuf>,
    pub theme: ThemePreference,
    /// "Just write (offline)" was chosen: do not offer onboarding at start.
    pub claude_skipped: bool,
    /// When the key in use was last confirmed by Anthropic (Unix seconds).
    pub key_checked_at: Option<i64>,
    /// The models the key may use, from the last check (for the picker).
    pub models: Vec<crate::claude::Model>,
    /// The longest reply to ask for.
    #[serde(default = "default_max_tokens")]
    pub max_tokens: u32,
    /// Tokens spent so far, in and out, across all runs.
    pub tokens_in: u64,
    pub tokens_out: u64,
}

fn default_max_tokens() -> u32 {
    4096
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            notes_dir: None,
            theme: ThemePreference::default(),
            claude_skipped: false,
            key_checked_at: None,
            models: Vec::new(),
            max_tokens: default_max_tokens(),
            tokens_in: 0,
            tokens_out: 0,
        }
    }
}

/// Why the settings file could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("could not read {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error(
        "{path} is damaged ({reason}); BrainDump started with default settings and will not overwrite it until you change a setting"
    )]
    Damaged { path: PathBuf, reason: String },
    #[error("could not save settings to {path}: {reason}")]
    Write { path: PathBuf, reason: String },
}

/// What loading found: the settings to use, and a problem to tell the user
/// about, if any. A missing file is not a problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub settings: Settings,
    pub problem: Option<Error>,
}

pub async fn load(path: PathBuf) -> Loaded {
    tokio::task::spawn_blocking(move || load_blocking(&path))
        .await
        .unwrap_or_else(|error| Loaded {
            settings: Settings::default(),
            problem: Some(Error::Read {
                path: PathBuf::new(),
                reason: error.to_string(),
            }),
        })
}

fn load_blocking(path: &Path) -> Loaded {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Loaded {
                settings: Settings::default(),
                problem: None,
            };
        }
        Err(error) => {
            return Loaded {
                settings: Settings::default(),
                problem: Some(Error::Read {
                    path: path.to_path_buf(),
                    reason: error.to_string(),
                }),
            };
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(settings) => Loaded {
            settings,
            problem: None,
        },
        Err(error) => Loaded {
            settings: Settings::default(),
            problem: Some(Error::Damaged {
                path: path.to_path_buf(),
                reason: error.to_string(),
            }),
        },
    }
}

/// Saves settings; of two saves, the one asked for later wins.
pub fn save(
    path: PathBuf,
    settings: Settings,
) -> impl std::future::Future<Output = Result<(), Error>> {
    let ticket = crate::atomic::ticket();
    save_in_order(path, settings, ticket)
}

async fn save_in_order(path: PathBuf, settings: Settings, ticket: u64) -> Result<(), Error> {
    tokio::task::spawn_blocking(move || {
        let write_error = |reason: String| Error::Write {
            path: path.clone(),
            reason,
        };
        let json = serde_json::to_vec_pretty(&settings).map_err(|e| write_error(e.to_string()))?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(e.to_string()))?;
        }
        crate::atomic::write_in_order(&path, &json, ticket).map_err(|e| write_error(e.to_string()))
    })
    .await
    .map_err(|error| Error::Write {
        path: PathBuf::new(),
        reason: error.to_string(),
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn round_trips_and_tolerates_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");

        let loaded = load(path.clone()).await;
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.problem, None);

        let settings = Settings {
            notes_dir: Some(PathBuf::from("/somewhere")),
            theme: ThemePreference::Dark,
            claude_skipped: true,
            key_checked_at: Some(1_700_000_000),
            models: vec![crate::claude::Model {
                id: "claude-sonnet-4-5".into(),
                display_name: "Claude Sonnet 4.5".into(),
                created_at: String::new(),
            }],
            max_tokens: 2000,
            tokens_in: 10,
            tokens_out: 20,
        };
        save(path.clone(), settings.clone()).await.unwrap();
        assert_eq!(load(path).await.settings, settings);
    }

    #[tokio::test]
    async fn a_damaged_file_gives_defaults_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, b"{ not json").unwrap();

        let loaded = load(path.clone()).await;
        assert_eq!(loaded.settings, Settings::default());
        assert!(matches!(loaded.problem, Some(Error::Damaged { .. })));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"{ not json",
            "left untouched"
        );
    }
}
