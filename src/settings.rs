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
    /// A monthly budget in dollars: at 80 % the panel says so, at 100 %
    /// Process asks first. `None`: no budget.
    #[serde(default)]
    pub monthly_budget: Option<f64>,
    /// The interface's zoom (Ctrl+= / Ctrl+- / Ctrl+0); 1 is as designed.
    #[serde(default = "default_zoom")]
    pub zoom: f32,
    /// The main window as it was last left.
    pub window: Option<WindowGeometry>,
    /// The panes' widths, as last dragged.
    pub panes: Panes,
    /// The quick-capture shortcut, held system-wide (`ctrl+alt+space`).
    #[serde(default = "default_capture_shortcut")]
    pub capture_shortcut: String,
    /// Closing the window hides it and BrainDump keeps running, so that
    /// quick capture still works; Ctrl+Q quits.
    pub keep_running: bool,
}

fn default_capture_shortcut() -> String {
    crate::capture::DEFAULT_SHORTCUT.to_owned()
}

/// Where the main window was and how big, in the desktop's logical pixels
/// (the zoom left out). The position is unknown on Wayland.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowGeometry {
    pub width: f32,
    pub height: f32,
    #[serde(default)]
    pub x: Option<f32>,
    #[serde(default)]
    pub y: Option<f32>,
    #[serde(default)]
    pub maximized: bool,
}

impl WindowGeometry {
    /// The smallest window BrainDump opens at: a size read from a file
    /// cannot make it vanish.
    pub const MIN: (f32, f32) = (480.0, 360.0);

    /// The window's size, at least [`Self::MIN`] and at most 16 K.
    pub fn size(&self) -> iced::Size {
        let clamp = |value: f32, min: f32| {
            if value.is_finite() {
                value.clamp(min, 16_384.0)
            } else {
                min
            }
        };
        iced::Size::new(
            clamp(self.width, Self::MIN.0),
            clamp(self.height, Self::MIN.1),
        )
    }

    pub fn position(&self) -> Option<iced::Point> {
        match (self.x, self.y) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Some(iced::Point::new(x, y)),
            _ => None,
        }
    }
}

/// The widths of the notes list and the Claude panel (logical pixels).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Panes {
    pub list: f32,
    pub claude: f32,
}

impl Panes {
    pub const LIST: (f32, f32) = (200.0, 480.0);
    pub const CLAUDE: (f32, f32) = (320.0, 720.0);

    /// Widths read from a file, within their bounds.
    pub fn sanitized(self) -> Self {
        let clamp = |value: f32, (min, max): (f32, f32), default: f32| {
            if value.is_finite() {
                value.clamp(min, max)
            } else {
                default
            }
        };
        let default = Self::default();
        Self {
            list: clamp(self.list, Self::LIST, default.list),
            claude: clamp(self.claude, Self::CLAUDE, default.claude),
        }
    }
}

impl Default for Panes {
    fn default() -> Self {
        Self {
            list: 280.0,
            claude: 420.0,
        }
    }
}

fn default_zoom() -> f32 {
    1.0
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
            monthly_budget: None,
            zoom: default_zoom(),
            window: None,
            panes: Panes::default(),
            capture_shortcut: default_capture_shortcut(),
            keep_running: false,
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
                ..Default::default()
            }],
            max_tokens: 2000,
            tokens_in: 10,
            tokens_out: 20,
            monthly_budget: Some(12.5),
            zoom: 1.25,
            window: Some(WindowGeometry {
                width: 900.0,
                height: 600.0,
                x: Some(40.0),
                y: None,
                maximized: true,
            }),
            panes: Panes {
                list: 300.0,
                claude: 500.0,
            },
            capture_shortcut: "super+shift+n".into(),
            keep_running: true,
        };
        save(path.clone(), settings.clone()).await.unwrap();
        assert_eq!(load(path).await.settings, settings);
    }

    #[test]
    fn sizes_read_from_a_file_stay_usable() {
        let window = WindowGeometry {
            width: 10.0,
            height: f32::NAN,
            x: Some(f32::INFINITY),
            y: Some(3.0),
            maximized: false,
        };
        assert_eq!(window.size(), iced::Size::new(480.0, 360.0));
        assert_eq!(window.position(), None);
        let panes = Panes {
            list: 5_000.0,
            claude: f32::NAN,
        }
        .sanitized();
        assert_eq!(
            panes,
            Panes {
                list: 480.0,
                claude: 420.0
            }
        );
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
