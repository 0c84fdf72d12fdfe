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
    /// Damaged or unreadable: kept aside (or left alone), and what could be
    /// read of it is in use.
    #[error("{problem}. {recovered}")]
    Damaged {
        problem: crate::state_file::Problem,
        recovered: String,
    },
    /// Reading it failed before it could even be looked at.
    #[error(
        "the settings could not be read ({reason}); BrainDump started with default settings, so restart it before changing any"
    )]
    Read { reason: String },
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
                reason: error.to_string(),
            }),
        })
}

/// [`load`], on this thread (for the command line, which has no UI to keep
/// free).
pub fn load_blocking(path: &Path) -> Loaded {
    use crate::state_file::{self, Loaded as File};
    match state_file::load::<Settings>(path) {
        File::Missing => Loaded {
            settings: Settings::default(),
            problem: None,
        },
        File::Read(settings) => Loaded {
            settings,
            problem: None,
        },
        File::Damaged { problem, bytes } => {
            // Each field still valid is kept; of a file cut short, at least
            // the notes folder, which is what matters most to find again.
            let settings =
                state_file::salvage_fields::<Settings>(&bytes).unwrap_or_else(|| Settings {
                    notes_dir: state_file::salvage_string(&bytes, "notes_dir").map(PathBuf::from),
                    ..Settings::default()
                });
            let recovered = match &settings.notes_dir {
                _ if settings == Settings::default() => {
                    "BrainDump started with default settings.".to_owned()
                }
                Some(dir) => format!(
                    "BrainDump recovered what it could, including the notes folder {}.",
                    dir.display()
                ),
                None => {
                    "BrainDump recovered what it could; the rest is back to defaults.".to_owned()
                }
            };
            Loaded {
                settings,
                problem: Some(Error::Damaged { problem, recovered }),
            }
        }
    }
}

/// Saves settings; of two saves, the one asked for later wins.
pub fn save(
    path: PathBuf,
    settings: Settings,
) -> impl std::future::Future<Output = Result<(), Error>> {
    let ticket = crate::atomic::ticket();
    async move {
        let failed = path.clone();
        tokio::task::spawn_blocking(move || {
            crate::state_file::save(&path, &settings, ticket).map_err(|error| Error::Write {
                path: path.clone(),
                reason: error.to_string(),
            })
        })
        .await
        .map_err(|error| Error::Write {
            path: failed,
            reason: error.to_string(),
        })?
    }
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
    async fn a_damaged_file_is_kept_aside_and_what_it_held_is_recovered() {
        for (damaged, notes_dir) in [
            (&b"{ not json"[..], None),
            (b"[1, 2, 3]", None),
            (
                b"{\"notes_dir\": \"/home/me/Notes\", \"theme\": \"dark\", \"tokens_in\": 12",
                Some("/home/me/Notes"),
            ),
            (
                b"{\"notes_dir\": \"/home/me/Notes\", \"theme\": 7}",
                Some("/home/me/Notes"),
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("settings.json");
            std::fs::write(&path, damaged).unwrap();

            let loaded = load(path.clone()).await;
            assert_eq!(
                loaded.settings.notes_dir.as_deref(),
                notes_dir.map(Path::new)
            );
            let Some(Error::Damaged {
                problem: crate::state_file::Problem::KeptAside { kept, .. },
                ..
            }) = &loaded.problem
            else {
                panic!("{:?}", loaded.problem);
            };
            assert_eq!(std::fs::read(kept).unwrap(), damaged, "kept as it was");

            // What "Just write" and a reply's token count do next: save.
            save(path.clone(), loaded.settings.clone()).await.unwrap();
            assert_eq!(std::fs::read(kept).unwrap(), damaged, "still there");
            let again = load(path).await;
            assert_eq!(again.problem, None, "told once");
            assert_eq!(again.settings, loaded.settings);
        }
    }
}
