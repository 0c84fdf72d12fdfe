//! What Claude made of a note: every run, kept beside the notes in
//! `.braindump/runs/<note file>.json`, so it survives restarts and stays out
//! of the notes themselves.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::NoteId;

/// The folder inside the notes folder where BrainDump keeps its own data.
pub const DATA_DIR: &str = ".braindump";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Status {
    Complete,
    /// The reply broke off; the text is what arrived.
    Incomplete {
        reason: String,
    },
    Failed {
        reason: String,
    },
}

/// One question and its answer; the first is the note itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub mode: String,
    pub model: String,
    /// Unix seconds.
    pub started_at: i64,
    pub exchanges: Vec<Exchange>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    #[serde(flatten)]
    pub status: Status,
}

pub fn path(notes_dir: &Path, id: &NoteId) -> PathBuf {
    notes_dir
        .join(DATA_DIR)
        .join("runs")
        .join(format!("{}.json", id.as_str()))
}

/// A note's runs, oldest first. A missing file means none; a damaged one is
/// reported, and left alone.
pub fn load_blocking(notes_dir: &Path, id: &NoteId) -> Result<Vec<Run>, String> {
    let path = path(notes_dir, id);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|error| format!("{} is damaged: {error}", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(format!("could not read {}: {error}", path.display())),
    }
}

pub fn save_blocking(notes_dir: &Path, id: &NoteId, runs: &[Run]) -> Result<(), String> {
    save_in_order(notes_dir, id, runs, crate::atomic::ticket())
}

fn save_in_order(notes_dir: &Path, id: &NoteId, runs: &[Run], ticket: u64) -> Result<(), String> {
    let path = path(notes_dir, id);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(path.parent().expect("runs live in a folder"))?;
        let json = serde_json::to_vec_pretty(runs).map_err(std::io::Error::other)?;
        crate::atomic::write_in_order(&path, &json, ticket)
    };
    write().map_err(|error| super::SaveError::from_io(&error).to_string())
}

pub async fn load(notes_dir: PathBuf, id: NoteId) -> Result<Vec<Run>, String> {
    tokio::task::spawn_blocking(move || load_blocking(&notes_dir, &id))
        .await
        .map_err(|error| error.to_string())?
}

/// Saves a note's runs; of two saves, the one asked for later wins.
pub fn save(
    notes_dir: PathBuf,
    id: NoteId,
    runs: Vec<Run>,
) -> impl std::future::Future<Output = Result<(), String>> {
    let ticket = crate::atomic::ticket();
    async move {
        tokio::task::spawn_blocking(move || save_in_order(&notes_dir, &id, &runs, ticket))
            .await
            .map_err(|error| error.to_string())?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_round_trip_and_damage_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let id = NoteId::new("a.md");
        assert_eq!(load_blocking(dir.path(), &id), Ok(Vec::new()));

        let runs = vec![Run {
            mode: "Reflect".into(),
            model: "claude-sonnet-4-5".into(),
            started_at: 1_700_000_000,
            exchanges: vec![Exchange {
                question: "I feel stuck".into(),
                answer: "It sounds like…".into(),
            }],
            input_tokens: 25,
            output_tokens: 40,
            status: Status::Incomplete {
                reason: "the connection closed".into(),
            },
        }];
        save_blocking(dir.path(), &id, &runs).unwrap();
        assert_eq!(load_blocking(dir.path(), &id), Ok(runs));

        std::fs::write(path(dir.path(), &id), "{ broken").unwrap();
        assert!(
            load_blocking(dir.path(), &id)
                .unwrap_err()
                .contains("damaged")
        );
        assert_eq!(
            std::fs::read_to_string(path(dir.path(), &id)).unwrap(),
            "{ broken"
        );
    }
}
