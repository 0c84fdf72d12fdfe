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
    /// Input tokens billed at the full price (the cache's are apart).
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Input written to the prompt cache (1.25× the price) and read from
    /// it (0.1×); absent in runs kept before caching.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cache_write_tokens: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cache_read_tokens: u64,
    /// Why the last reply ended, when not at its natural end (`max_tokens`,
    /// `refusal`, `model_context_window_exceeded`, `pause_turn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
    /// Sent with what the privacy scan found masked: its follow-ups are
    /// masked too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
    #[serde(flatten)]
    pub status: Status,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Run {
    /// Its tokens, for pricing.
    pub fn tokens(&self) -> crate::prices::Tokens {
        crate::prices::Tokens {
            input: self.input_tokens,
            output: self.output_tokens,
            cache_write: self.cache_write_tokens,
            cache_read: self.cache_read_tokens,
        }
    }
}

pub fn path(notes_dir: &Path, id: &NoteId) -> PathBuf {
    notes_dir
        .join(DATA_DIR)
        .join("runs")
        .join(format!("{}.json", id.as_str()))
}

/// A note's runs, oldest first. A missing file means none; a damaged one
/// is kept aside (see [`state_file`]) and its readable runs are kept: the
/// problem comes with them, to tell the user.
///
/// [`state_file`]: crate::state_file
pub fn load_blocking(notes_dir: &Path, id: &NoteId) -> (Vec<Run>, Option<String>) {
    load_at(&path(notes_dir, id))
}

/// [`load_blocking`] for the runs file at `path`.
fn load_at(path: &Path) -> (Vec<Run>, Option<String>) {
    use crate::state_file::{self, Loaded};
    match state_file::load(path) {
        Loaded::Missing => (Vec::new(), None),
        Loaded::Read(runs) => (runs, None),
        Loaded::Damaged { problem, bytes } => {
            let runs: Vec<Run> = state_file::salvage_items(&bytes, None);
            let saved = format!("{} earlier replies were recovered from it", runs.len());
            (runs, Some(format!("{problem}; {saved}")))
        }
    }
}

/// A change to a note's runs. Every change goes through [`edit`], which
/// reads the file, applies it and writes it back under one lock, so two
/// replies finishing at once (one shown, one from the offline queue) both
/// land: there is one writer per runs file.
#[derive(Debug, Clone)]
pub enum Edit {
    Append(Run),
    /// A follow-up continued the run at `index`, which started at
    /// `started_at` (if the file changed meanwhile, the run is appended).
    Replace {
        index: usize,
        started_at: i64,
        run: Run,
    },
}

/// One lock for every runs file: edits are rare and small.
static WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn writer() -> std::sync::MutexGuard<'static, ()> {
    WRITER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Applies `edit` to the note's stored runs; returns them as they now are
/// (a damaged file is kept aside first and its readable runs kept).
pub fn edit_blocking(notes_dir: &Path, id: &NoteId, edit: Edit) -> Result<Vec<Run>, String> {
    edit_at_blocking(&path(notes_dir, id), edit)
}

/// [`edit_blocking`] for the runs file at `path` (a trashed note's, say).
pub fn edit_at_blocking(path: &Path, edit: Edit) -> Result<Vec<Run>, String> {
    let _writer = writer();
    let (mut runs, _) = load_at(path);
    match edit {
        Edit::Replace {
            index,
            started_at,
            run,
        } if runs
            .get(index)
            .is_some_and(|old| old.started_at == started_at) =>
        {
            runs[index] = run
        }
        Edit::Replace { run, .. } | Edit::Append(run) => runs.push(run),
    }
    crate::state_file::save(path, &runs, crate::atomic::ticket())
        .map_err(|error| super::SaveError::from_io(&error).to_string())?;
    Ok(runs)
}

/// Moves a note's runs along with it (renamed, trashed, restored). Runs
/// already under the new name are kept: the two lists are joined.
pub fn move_blocking(from: &Path, to: &Path) -> std::io::Result<()> {
    let _writer = writer();
    if !from.exists() {
        return Ok(());
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if to.exists() {
        // Read as every runs file is: a damaged one is kept aside first.
        let (mut runs, _) = load_at(to);
        runs.extend(load_at(from).0);
        runs.sort_by_key(|run| run.started_at);
        crate::state_file::save(to, &runs, crate::atomic::ticket())?;
        // (Gone already if it was damaged and kept aside.)
        return match std::fs::remove_file(from) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            done => done,
        };
    }
    std::fs::rename(from, to)
}

/// Where a trashed note's runs wait: beside the trash, under the name the
/// note has in it.
pub fn trashed_path(notes_dir: &Path, trashed_name: &str) -> PathBuf {
    notes_dir
        .join(DATA_DIR)
        .join("runs")
        .join(super::store::TRASH_DIR)
        .join(format!("{trashed_name}.json"))
}

/// A note's runs as they are now, and a problem to tell about.
pub async fn load(notes_dir: PathBuf, id: NoteId) -> (Vec<Run>, Option<String>) {
    tokio::task::spawn_blocking(move || {
        let _writer = writer();
        load_blocking(&notes_dir, &id)
    })
    .await
    .unwrap_or_else(|error| (Vec::new(), Some(error.to_string())))
}

/// See [`edit_blocking`].
pub async fn edit(notes_dir: PathBuf, id: NoteId, edit: Edit) -> Result<Vec<Run>, String> {
    edit_at(path(&notes_dir, &id), edit).await
}

/// See [`edit_at_blocking`].
pub async fn edit_at(path: PathBuf, edit: Edit) -> Result<Vec<Run>, String> {
    tokio::task::spawn_blocking(move || edit_at_blocking(&path, edit))
        .await
        .map_err(|error| error.to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(started_at: i64, answer: &str) -> Run {
        Run {
            mode: "Reflect".into(),
            model: "claude-sonnet-4-5".into(),
            started_at,
            exchanges: vec![Exchange {
                question: "I feel stuck".into(),
                answer: answer.into(),
            }],
            input_tokens: 25,
            output_tokens: 40,
            cache_write_tokens: 0,
            cache_read_tokens: 0,
            stop_reason: None,
            masked: false,
            status: Status::Incomplete {
                reason: "the connection closed".into(),
            },
        }
    }

    #[test]
    fn runs_round_trip_and_damage_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let id = NoteId::new("a.md");
        assert_eq!(load_blocking(dir.path(), &id), (Vec::new(), None));

        let first = run(1, "It sounds like…");
        edit_blocking(dir.path(), &id, Edit::Append(first.clone())).unwrap();
        assert_eq!(load_blocking(dir.path(), &id), (vec![first.clone()], None));

        let json = format!(
            "[{}, {{\"broken\": true}}]",
            serde_json::to_string(&first).unwrap()
        );
        std::fs::write(path(dir.path(), &id), &json).unwrap();
        let (runs, problem) = load_blocking(dir.path(), &id);
        assert_eq!(runs, vec![first]);
        assert!(
            problem
                .unwrap()
                .contains("1 earlier replies were recovered")
        );
        let kept = std::fs::read_dir(path(dir.path(), &id).parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .find(|path| path.to_string_lossy().ends_with(".damaged"))
            .expect("kept aside");
        assert_eq!(std::fs::read_to_string(kept).unwrap(), json);
    }

    #[test]
    fn replies_finishing_at_once_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        let id = NoteId::new("a.md");
        std::thread::scope(|scope| {
            for n in 0..8 {
                let dir = dir.path();
                let id = &id;
                scope.spawn(move || edit_blocking(dir, id, Edit::Append(run(n, "x"))).unwrap());
            }
        });
        assert_eq!(load_blocking(dir.path(), &id).0.len(), 8);

        // A follow-up replaces its run, unless the file changed under it.
        let (runs, _) = load_blocking(dir.path(), &id);
        let index = 3;
        let started_at = runs[index].started_at;
        let runs = edit_blocking(
            dir.path(),
            &id,
            Edit::Replace {
                index,
                started_at,
                run: run(started_at, "longer"),
            },
        )
        .unwrap();
        assert_eq!(runs.len(), 8);
        assert_eq!(runs[index].exchanges[0].answer, "longer");
        let runs = edit_blocking(
            dir.path(),
            &id,
            Edit::Replace {
                index,
                started_at: -1,
                run: run(99, "elsewhere"),
            },
        )
        .unwrap();
        assert_eq!(runs.len(), 9, "appended, nothing overwritten");
    }

    #[test]
    fn runs_follow_their_note_and_join_runs_already_there() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (NoteId::new("a.md"), NoteId::new("b.md"));
        edit_blocking(dir.path(), &a, Edit::Append(run(2, "of a"))).unwrap();
        edit_blocking(dir.path(), &b, Edit::Append(run(1, "of b"))).unwrap();
        move_blocking(&path(dir.path(), &a), &trashed_path(dir.path(), "a.md")).unwrap();
        assert_eq!(load_blocking(dir.path(), &a).0, Vec::new());
        move_blocking(&trashed_path(dir.path(), "a.md"), &path(dir.path(), &b)).unwrap();
        let answers: Vec<_> = load_blocking(dir.path(), &b)
            .0
            .into_iter()
            .map(|run| run.exchanges[0].answer.clone())
            .collect();
        assert_eq!(answers, ["of b", "of a"]);
    }
}
