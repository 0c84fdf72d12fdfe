//! Processing modes: what to ask Claude to do with a note.
//!
//! Built-in modes ship in `resources/modes/`. People add their own as
//! Markdown files in the `modes` folder of the config folder: the file name
//! is the mode's name, the text is its instructions (the system prompt). A
//! user mode with a built-in's name replaces it.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mode {
    pub name: String,
    pub prompt: String,
    pub builtin: bool,
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

const BUILTIN: &[(&str, &str)] = &[
    ("Reflect", include_str!("../resources/modes/reflect.md")),
    ("Summarize", include_str!("../resources/modes/summarize.md")),
    (
        "Organize into tasks",
        include_str!("../resources/modes/tasks.md"),
    ),
    (
        "Action items",
        include_str!("../resources/modes/action-items.md"),
    ),
    (
        "Clarify my thinking",
        include_str!("../resources/modes/clarify.md"),
    ),
    (
        "End-of-day review",
        include_str!("../resources/modes/end-of-day.md"),
    ),
];

pub fn builtin() -> Vec<Mode> {
    BUILTIN
        .iter()
        .map(|(name, prompt)| Mode {
            name: (*name).to_owned(),
            prompt: prompt.trim().to_owned(),
            builtin: true,
        })
        .collect()
}

/// The user's modes folder.
pub fn dir(config_dir: &Path) -> PathBuf {
    config_dir.join("modes")
}

/// Built-in modes, then the user's (sorted by name); a user mode with a
/// built-in's name takes its place. Unreadable or empty files are skipped.
pub fn load_blocking(dir: &Path) -> Vec<Mode> {
    let mut modes = builtin();
    let mut own: Vec<Mode> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| {
                    let path = entry.path();
                    let name = path.file_name()?.to_str()?;
                    if name.starts_with('.') || !name.to_ascii_lowercase().ends_with(".md") {
                        return None;
                    }
                    let mode_name = path.file_stem()?.to_str()?.trim().to_owned();
                    let prompt = std::fs::read_to_string(&path).ok()?;
                    let prompt = prompt.trim();
                    (!prompt.is_empty() && !mode_name.is_empty()).then(|| Mode {
                        name: mode_name,
                        prompt: prompt.to_owned(),
                        builtin: false,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    own.sort_by_key(|mode| mode.name.to_lowercase());
    for mode in own {
        match modes
            .iter_mut()
            .find(|existing| existing.name.eq_ignore_ascii_case(&mode.name))
        {
            Some(existing) => *existing = mode,
            None => modes.push(mode),
        }
    }
    modes
}

pub async fn load(dir: PathBuf) -> Vec<Mode> {
    tokio::task::spawn_blocking(move || load_blocking(&dir))
        .await
        .unwrap_or_else(|_| builtin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_come_from_resources() {
        let names: Vec<_> = builtin().into_iter().map(|mode| mode.name).collect();
        assert_eq!(
            names,
            [
                "Reflect",
                "Summarize",
                "Organize into tasks",
                "Action items",
                "Clarify my thinking",
                "End-of-day review"
            ]
        );
        assert!(builtin()[0].prompt.contains("Rogerian"));
    }

    #[test]
    fn user_modes_are_added_and_can_replace_builtins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Haiku.md"), "Answer as a haiku.").unwrap();
        std::fs::write(dir.path().join("summarize.md"), "My own summary rules.").unwrap();
        std::fs::write(dir.path().join("empty.md"), "  \n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a mode").unwrap();
        std::fs::write(dir.path().join(".hidden.md"), "no").unwrap();

        let modes = load_blocking(dir.path());
        let summary = modes.iter().find(|mode| mode.name == "summarize").unwrap();
        assert_eq!(summary.prompt, "My own summary rules.");
        assert!(!summary.builtin);
        assert!(
            modes
                .iter()
                .any(|mode| mode.name == "Haiku" && !mode.builtin)
        );
        assert_eq!(modes.len(), 7);
    }

    #[test]
    fn a_missing_folder_gives_the_builtins() {
        assert_eq!(
            load_blocking(Path::new("/nonexistent/braindump-modes")),
            builtin()
        );
    }
}
