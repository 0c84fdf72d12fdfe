//! A model-based test of the workspace: random sequences of what a user
//! and other programs do (typing, pasting, replacing everything, undo and
//! redo, switching and making notes, deleting and undoing that, changes
//! and deletes by another program, a note made read-only, saves that fail,
//! history restores, restarts), with the app's real tasks run in an order
//! the test chooses, so saves, reads and moves land late or early.
//!
//! Checked against a simple model of the promise that nothing is lost:
//!
//! - A text that has reached the disk (a note, the trash, the history)
//!   never disappears from it, except when the app saves a small change
//!   over it (not substantial, see `history::is_substantial`), or another
//!   program changes or deletes the file.
//! - What the open note showed when its file was read again (another
//!   program changed or deleted it), and a note's text when it was
//!   deleted, reach the disk (the history, the trash or a conflict copy),
//!   up to small edits, unless the user takes them away in the editor
//!   first (which undo and the history's rules cover).
//! - After quitting, what the user last saw is on disk, exactly.
//!
//! `BRAINDUMP_MODEL_CASES` sets how many sequences run (64 by default);
//! failing sequences are kept in `proptest-regressions/` and run first.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::BoxStream;
use proptest::prelude::*;

use super::*;
use crate::notes::history;

#[derive(Debug, Clone)]
enum Op {
    Type(String),
    Paste(String),
    ReplaceAll(String),
    Backspace(u8),
    MoveToStart,
    MoveToEnd,
    Undo,
    Redo,
    /// Autosave's clock: saves that are due start.
    Tick,
    /// One of the tasks started so far runs to its end.
    Land(usize),
    LandAll,
    Switch(usize),
    NewNote,
    Delete,
    UndoDelete,
    /// The undo offer times out.
    Expire,
    /// Another program writes a note (the open one, or another).
    OutsideWrite {
        open: bool,
        text: String,
    },
    OutsideDelete {
        open: bool,
    },
    /// The open note's file is made read-only, or writable again.
    ReadOnly(bool),
    RestoreNewestVersion,
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    let typed = "[a-z é😀\n]{1,6}";
    let pasted = "[a-z \n]{10,260}";
    prop_oneof![
        6 => typed.prop_map(Op::Type),
        2 => pasted.prop_map(Op::Paste),
        2 => "[a-z ]{0,20}".prop_map(Op::ReplaceAll),
        2 => (1u8..6).prop_map(Op::Backspace),
        1 => Just(Op::MoveToStart),
        1 => Just(Op::MoveToEnd),
        3 => Just(Op::Undo),
        2 => Just(Op::Redo),
        4 => Just(Op::Tick),
        4 => (0usize..8).prop_map(Op::Land),
        2 => Just(Op::LandAll),
        2 => (0usize..8).prop_map(Op::Switch),
        1 => Just(Op::NewNote),
        2 => Just(Op::Delete),
        2 => Just(Op::UndoDelete),
        1 => Just(Op::Expire),
        2 => (any::<bool>(), "[a-z \n]{1,120}")
            .prop_map(|(open, text)| Op::OutsideWrite { open, text }),
        1 => any::<bool>().prop_map(|open| Op::OutsideDelete { open }),
        1 => any::<bool>().prop_map(Op::ReadOnly),
        1 => Just(Op::RestoreNewestVersion),
        1 => Just(Op::Restart),
    ]
}

/// The workspace, its tasks in flight, and what the model expects.
struct Harness {
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    workspace: Workspace,
    tasks: VecDeque<BoxStream<'static, iced_runtime::Action<Message>>>,
    /// Texts that must be kept (up to small edits), and why.
    kept: Vec<(String, &'static str)>,
    /// What the disk held after the last step: path → text.
    disk: HashMap<PathBuf, String>,
    /// Notes another program changed during this step.
    touched: Vec<PathBuf>,
}

impl Harness {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "Shopping\nmilk, eggs, the good bread\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.md"),
            "Letter to Ana\n".to_owned()
                + &"It has been a long year, and I wanted to write. ".repeat(8),
        )
        .unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let workspace = workspace(dir.path());
        let mut harness = Self {
            dir,
            runtime,
            workspace,
            tasks: VecDeque::new(),
            kept: Vec::new(),
            disk: HashMap::new(),
            touched: Vec::new(),
        };
        harness.disk = harness.read_disk();
        harness
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn send(&mut self, message: Message) {
        if std::env::var_os("MODEL_TRACE").is_some() {
            eprintln!("→ {:.200}", format!("{message:?}"));
        }
        if let Message::Reloaded(files) = &message
            && let Some(selected) = self.workspace.selected()
            && files.iter().any(|(id, _)| id == &selected.id)
            && let Some(shown) = self.shown()
        {
            // The open note's file was read again: what it showed must
            // live on, whatever the file holds now.
            self.kept.push((shown, "shown when its file changed"));
        }
        if let Action::Run(task) = self.workspace.update(message) {
            self.start(task);
        }
    }

    fn start(&mut self, task: Task<Message>) {
        if let Some(stream) = iced_runtime::task::into_stream(task) {
            self.tasks.push_back(stream);
        }
    }

    /// Runs one task to its end; what it sends is handled (and what that
    /// starts joins the tasks). The disk is checked after each.
    fn land(&mut self, index: usize) -> Result<(), TestCaseError> {
        if self.tasks.is_empty() {
            return Ok(());
        }
        let index = index % self.tasks.len();
        let stream = self.tasks.remove(index).unwrap();
        let actions: Vec<_> = self.runtime.block_on(stream.collect());
        for action in actions {
            if let iced_runtime::Action::Output(message) = action {
                self.send(message);
            }
        }
        self.check_disk()
    }

    fn land_all(&mut self) -> Result<(), TestCaseError> {
        let mut rounds = 0;
        while !self.tasks.is_empty() {
            self.land(0)?;
            rounds += 1;
            prop_assert!(rounds < 1000, "tasks never settle");
        }
        Ok(())
    }

    fn selected_path(&self) -> Option<PathBuf> {
        let note = self.workspace.selected()?;
        Some(self.path().join(note.id.as_str()))
    }

    /// A listed note other than the open one.
    fn other_path(&self) -> Option<PathBuf> {
        let selected = self.workspace.selected().map(|note| note.id.clone());
        self.workspace
            .notes()
            .iter()
            .find(|note| Some(&note.id) != selected.as_ref() && !note.is_blank_draft())
            .map(|note| self.path().join(note.id.as_str()))
    }

    /// What the editor shows, when it shows a note's text.
    fn shown(&self) -> Option<String> {
        let note = self.workspace.selected()?;
        note.text()?;
        let text = self.workspace.editor().text();
        (!text.trim().is_empty()).then_some(text)
    }

    fn step(&mut self, op: Op) -> Result<(), TestCaseError> {
        let before = self.shown();
        let user_edit = matches!(
            op,
            Op::Type(_)
                | Op::Paste(_)
                | Op::ReplaceAll(_)
                | Op::Backspace(_)
                | Op::Undo
                | Op::Redo
                | Op::RestoreNewestVersion
        );
        self.act(op)?;
        if user_edit && let Some(before) = before {
            // What the app put before the user, the user may take away:
            // their edit (kept by undo, and by the history's rules).
            let after = self.shown().unwrap_or_default();
            self.kept
                .retain(|(text, _)| !little_is_gone(text, &before) || little_is_gone(text, &after));
        }
        self.check_disk()
    }

    fn act(&mut self, op: Op) -> Result<(), TestCaseError> {
        use text_editor::{Action as Do, Edit, Motion};
        let now = Instant::now();
        match op {
            Op::Type(text) => type_text(&mut self.workspace, &text),
            Op::Paste(text) => self.send(Message::Edit(Do::Edit(Edit::Paste(text.into())))),
            Op::ReplaceAll(text) => {
                self.send(Message::Edit(Do::SelectAll));
                if text.is_empty() {
                    self.send(Message::Edit(Do::Edit(Edit::Backspace)));
                } else {
                    self.send(Message::Edit(Do::Edit(Edit::Paste(text.into()))));
                }
            }
            Op::Backspace(times) => {
                for _ in 0..times {
                    self.send(Message::Edit(Do::Edit(Edit::Backspace)));
                }
            }
            Op::MoveToStart => self.send(Message::Edit(Do::Move(Motion::DocumentStart))),
            Op::MoveToEnd => self.send(Message::Edit(Do::Move(Motion::DocumentEnd))),
            Op::Undo => self.send(Message::UndoEdit),
            Op::Redo => self.send(Message::RedoEdit),
            Op::Tick => self.send(Message::Tick(now + Duration::from_secs(5))),
            Op::Land(index) => return self.land(index),
            Op::LandAll => return self.land_all(),
            Op::Switch(index) => {
                let ids: Vec<_> = self.workspace.visible().map(|n| n.id.clone()).collect();
                if !ids.is_empty() {
                    self.send(Message::Select(ids[index % ids.len()].clone()));
                }
            }
            Op::NewNote => self.send(Message::NewNote),
            Op::Delete => {
                if let Some(text) = self.shown() {
                    self.kept.push((text, "deleted"));
                }
                self.send(Message::Delete);
            }
            Op::UndoDelete => self.send(Message::Undo),
            Op::Expire => self.send(Message::Tick(now + UNDO_DELETE_FOR)),
            Op::OutsideWrite { open, text } => {
                let path = if open {
                    self.selected_path()
                } else {
                    self.other_path()
                };
                if let Some(path) = path {
                    // Through a read-only mode too, as a sync tool would.
                    let _ = make_writable(&path);
                    self.before_outside(&path);
                    std::fs::write(&path, text).unwrap();
                    self.outside(path);
                }
            }
            Op::OutsideDelete { open } => {
                let path = if open {
                    self.selected_path()
                } else {
                    self.other_path()
                };
                if let Some(path) = path.filter(|path| path.exists()) {
                    self.before_outside(&path);
                    std::fs::remove_file(&path).unwrap();
                    self.outside(path);
                }
            }
            Op::ReadOnly(read_only) => {
                if let Some(path) = self.selected_path().filter(|path| path.exists()) {
                    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
                    permissions.set_readonly(read_only);
                    std::fs::set_permissions(&path, permissions).unwrap();
                    self.outside(path);
                }
            }
            Op::RestoreNewestVersion => {
                if self.workspace.selected().is_some() {
                    self.send(Message::ToggleHistory);
                    self.land_all()?;
                    self.send(Message::RestoreVersion);
                }
            }
            Op::Restart => return self.restart(),
        }
        Ok(())
    }

    /// Another program is about to change or delete `path`: what it held
    /// is that program's to lose.
    fn before_outside(&mut self, path: &Path) {
        if let Ok(held) = std::fs::read_to_string(path) {
            self.kept.retain(|(text, _)| !little_is_gone(text, &held));
        }
    }

    /// Another program changed `path`: the watcher tells the app.
    fn outside(&mut self, path: PathBuf) {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        self.touched.push(path);
        self.send(Message::FolderChanged(Change::Notes(vec![NoteId::new(
            name,
        )])));
    }

    /// Quits as the app does (everything saved first), then starts again
    /// on the same folder.
    fn restart(&mut self) -> Result<(), TestCaseError> {
        // The user makes the read-only notes writable, so that quitting
        // can save them.
        for entry in std::fs::read_dir(self.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && make_writable(&path).unwrap_or(false) {
                self.outside(path);
            }
        }
        self.land_all()?;
        let last_seen = self.shown();
        let task = self.workspace.begin_quit();
        self.start(task);
        for _ in 0..5 {
            self.land_all()?;
            if self.workspace.ready_to_quit() {
                break;
            }
            self.send(Message::SaveNow);
        }
        prop_assert!(
            self.workspace.ready_to_quit(),
            "could not quit: {:?}",
            self.workspace.save_failure()
        );
        if let Some(text) = last_seen {
            let live = self.live_texts();
            prop_assert!(
                live.contains(&text),
                "what the user saw last is not on disk after quitting: {text:?} (on disk: {live:?})"
            );
        }
        self.workspace = workspace(self.path());
        self.check_disk()
    }

    /// Every text the notes folder keeps: notes, the trash, the history.
    fn read_disk(&self) -> HashMap<PathBuf, String> {
        let mut found = HashMap::new();
        let mut folders = vec![self.path().to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|extension| extension == "md") {
                    found.insert(path.clone(), std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        found
    }

    fn live_texts(&self) -> Vec<String> {
        std::fs::read_dir(self.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect()
    }

    /// Nothing the disk held has gone, but for small changes saved over
    /// it and what other programs did.
    fn check_disk(&mut self) -> Result<(), TestCaseError> {
        let now = self.read_disk();
        let texts: std::collections::HashSet<&String> = now.values().collect();
        for (path, old) in &self.disk {
            if old.trim().is_empty() || texts.contains(old) || self.touched.contains(path) {
                continue;
            }
            // A note's text may change a little on its way (a save over
            // it, the unsaved words a delete takes into the trash, a move);
            // what is in the trash or the history is kept as it is.
            let is_note = path.parent() == Some(self.path());
            let small_change =
                is_note && now.values().any(|new| !history::is_substantial(old, new));
            prop_assert!(
                small_change,
                "{} held {old:?}; it is gone ({})",
                path.strip_prefix(self.path()).unwrap().display(),
                match now.get(path) {
                    Some(new) => format!("replaced by {new:?}"),
                    None => "the file is gone".to_owned(),
                }
            );
        }
        // What had to be kept and has reached the disk is kept: from now
        // on, the check above sees to it.
        self.kept
            .retain(|(text, _)| !now.values().any(|held| little_is_gone(text, held)));
        self.disk = now;
        self.touched.clear();
        Ok(())
    }

    /// At the end, once the app has quit: every text that had to be kept
    /// has reached the disk (up to small edits), or the user took it away.
    fn check_kept(&mut self) -> Result<(), TestCaseError> {
        self.restart()?;
        self.check_disk()?;
        if let Some((text, why)) = self.kept.first() {
            prop_assert!(
                false,
                "{why}: {text:?} is nowhere (kept: {:?})",
                self.disk.values().collect::<Vec<_>>()
            );
        }
        Ok(())
    }
}

/// Whether `new` keeps `old` but for a small part of it: what a few
/// edits after it took away (measured with a real diff, so words added in
/// the middle take nothing away).
fn little_is_gone(old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    let diff = similar::TextDiff::from_chars(old, new);
    let gone: usize =
        diff.ops()
            .iter()
            .map(|op| match *op {
                similar::DiffOp::Delete { old_len, .. }
                | similar::DiffOp::Replace { old_len, .. } => old_len,
                _ => 0,
            })
            .sum();
    let total = old.chars().count();
    gone < 16 || (gone * 4 < total && gone < 200)
}

/// Makes a read-only file writable; whether it was read-only.
fn make_writable(path: &Path) -> std::io::Result<bool> {
    let mut permissions = std::fs::metadata(path)?.permissions();
    if !permissions.readonly() {
        return Ok(false);
    }
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(path, permissions)?;
    Ok(true)
}

fn cases() -> u32 {
    std::env::var("BRAINDUMP_MODEL_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn nothing_typed_is_ever_lost(ops in proptest::collection::vec(op(), 1..40)) {
        let mut harness = Harness::new();
        for op in ops {
            harness.step(op)?;
        }
        harness.check_kept()?;
    }
}
