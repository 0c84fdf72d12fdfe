//! Where BrainDump keeps things on disk.
//!
//! Every location can be overridden from the environment so that tests and
//! benchmarks run against a private folder, and so that people can keep their
//! notes wherever they like.

use std::path::PathBuf;

/// Environment variable that overrides the notes folder (wins over Settings).
pub const NOTES_DIR_ENV: &str = "BRAINDUMP_NOTES_DIR";
/// Environment variable that overrides the folder holding `settings.json`.
pub const CONFIG_DIR_ENV: &str = "BRAINDUMP_CONFIG_DIR";

/// The folders BrainDump uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Default home of the notes folder.
    pub data_dir: PathBuf,
    /// Where `settings.json` lives.
    pub config_dir: PathBuf,
    /// Set when `BRAINDUMP_NOTES_DIR` pins the notes folder.
    pub notes_dir_override: Option<PathBuf>,
}

impl Paths {
    /// Locations from the platform conventions (XDG on Linux, `~/Library` on
    /// macOS, `%APPDATA%` on Windows) and the environment overrides.
    pub fn from_env() -> Self {
        let dirs = directories::ProjectDirs::from("", "", "BrainDump");
        let fallback = || {
            std::env::current_dir()
                .unwrap_or_else(|_| PathBuf::from("."))
                .join("BrainDump")
        };
        let data_dir = dirs
            .as_ref()
            .map(|dirs| dirs.data_dir().to_path_buf())
            .unwrap_or_else(fallback);
        let config_dir = non_empty_env(CONFIG_DIR_ENV)
            .or_else(|| dirs.as_ref().map(|dirs| dirs.config_dir().to_path_buf()))
            .unwrap_or_else(fallback);

        Self {
            data_dir,
            config_dir,
            notes_dir_override: non_empty_env(NOTES_DIR_ENV),
        }
    }

    /// The notes folder used when neither the environment nor Settings
    /// choose one.
    pub fn default_notes_dir(&self) -> PathBuf {
        self.data_dir.join("notes")
    }

    /// The notes folder in force: environment, then Settings, then default.
    pub fn notes_dir(&self, chosen: Option<&PathBuf>) -> PathBuf {
        self.notes_dir_override
            .clone()
            .or_else(|| chosen.cloned())
            .unwrap_or_else(|| self.default_notes_dir())
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.json")
    }
}

fn non_empty_env(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_wins_over_settings_and_default() {
        let paths = Paths {
            data_dir: PathBuf::from("/data"),
            config_dir: PathBuf::from("/config"),
            notes_dir_override: Some(PathBuf::from("/env")),
        };
        let chosen = PathBuf::from("/chosen");
        assert_eq!(paths.notes_dir(Some(&chosen)), PathBuf::from("/env"));

        let paths = Paths {
            notes_dir_override: None,
            ..paths
        };
        assert_eq!(paths.notes_dir(Some(&chosen)), chosen);
        assert_eq!(paths.notes_dir(None), PathBuf::from("/data/notes"));
    }
}
