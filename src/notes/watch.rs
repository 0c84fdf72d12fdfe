//! Noticing changes made to the notes folder by other programs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::channel::mpsc;
use futures::{Stream, StreamExt};
use notify::Watcher as _;

use super::NoteId;
use super::store::{MAX_DEPTH, is_skipped_folder, relative_id};

/// What the folder watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These notes were created, changed or removed.
    Notes(Vec<NoteId>),
    /// Watching failed (for example the system's limit of watches is
    /// reached); the folder should be rescanned from time to time instead.
    Unavailable(String),
    /// Time to list the folder again: a folder came or went (so did its
    /// notes), or watching is unavailable.
    Rescan,
}

/// How long to gather events before reporting them: editors save in several
/// steps (write temp, rename), which should arrive as one change.
const SETTLE: Duration = Duration::from_millis(120);
const RESCAN_EVERY: Duration = Duration::from_secs(5);

/// Watches `dir` and its subfolders (those listed: not hidden ones) for
/// as long as the stream is alive.
///
/// The watch is set up when the stream is first polled, on the async
/// runtime, not by whoever builds the stream (iced builds subscription
/// streams on the UI thread).
pub fn watch(dir: PathBuf) -> impl Stream<Item = Change> {
    futures::stream::once(async move {
        match tokio::task::spawn_blocking(move || start(dir)).await {
            Ok(stream) => stream,
            Err(error) => unavailable(error.to_string()),
        }
    })
    .flatten()
}

/// What the watch holds: one watch per listed folder, not one recursive
/// watch, which would also watch `.git`, `.obsidian` and BrainDump's own
/// `.braindump` (thousands of folders in a big vault, each a watch the
/// system counts).
struct Watching {
    dir: PathBuf,
    watcher: notify::RecommendedWatcher,
    folders: HashSet<PathBuf>,
    receiver: mpsc::UnboundedReceiver<Vec<PathBuf>>,
}

impl Watching {
    /// Watches `folder` and the listed folders inside it.
    fn add(&mut self, folder: &Path) -> notify::Result<()> {
        for folder in folders(folder) {
            if self.folders.contains(&folder) {
                continue;
            }
            self.watcher
                .watch(&folder, notify::RecursiveMode::NonRecursive)?;
            self.folders.insert(folder);
        }
        Ok(())
    }

    /// What `paths` changed: notes, and whether a folder came or went
    /// (its notes came or went with it: the folder is listed again).
    fn sort(&mut self, paths: Vec<PathBuf>) -> (Vec<NoteId>, bool) {
        let mut ids = Vec::new();
        let mut rescan = false;
        for path in paths {
            if let Some(id) = relative_id(&self.dir, &path) {
                ids.push(NoteId::new(id));
            } else if self.folders.remove(&path) {
                // Removed or renamed away (its watch went with it).
                self.folders.retain(|folder| !folder.starts_with(&path));
                rescan = true;
            } else if path.is_dir() && is_listed_folder(&self.dir, &path) {
                if let Err(error) = self.add(&path) {
                    tracing::warn!("a new folder could not be watched: {error}");
                }
                rescan = true;
            }
        }
        ids.sort();
        ids.dedup();
        (ids, rescan)
    }
}

/// `folder` and the folders inside it that are listed (see
/// `store::note_names`).
fn folders(folder: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(folder)
        .follow_links(true)
        .max_depth(MAX_DEPTH)
        .into_iter()
        .filter_entry(|entry| {
            entry.file_type().is_dir()
                && (entry.depth() == 0
                    || entry
                        .file_name()
                        .to_str()
                        .is_some_and(|name| !is_skipped_folder(name)))
        })
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn is_listed_folder(dir: &Path, path: &Path) -> bool {
    path.strip_prefix(dir).is_ok_and(|relative| {
        relative.components().all(|part| {
            part.as_os_str()
                .to_str()
                .is_some_and(|name| !is_skipped_folder(name))
        })
    })
}

fn start(dir: PathBuf) -> futures::stream::BoxStream<'static, Change> {
    let (sender, receiver) = mpsc::unbounded::<Vec<PathBuf>>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && changes(&event.kind)
        {
            let _ = sender.unbounded_send(event.paths);
        }
    });
    let watching = watcher.and_then(|watcher| {
        std::fs::create_dir_all(&dir).map_err(notify::Error::io)?;
        let mut watching = Watching {
            dir: dir.clone(),
            watcher,
            folders: HashSet::new(),
            receiver,
        };
        watching.add(&dir)?;
        Ok(watching)
    });

    match watching {
        Ok(watching) => futures::stream::unfold(watching, |mut watching| async move {
            loop {
                let mut paths = watching.receiver.next().await?;
                // Let the burst settle, then take everything that came.
                tokio::time::sleep(SETTLE).await;
                while let Ok(more) = watching.receiver.try_recv() {
                    paths.extend(more);
                }
                let (ids, rescan) = watching.sort(paths);
                if rescan {
                    return Some((Change::Rescan, watching));
                }
                if !ids.is_empty() {
                    return Some((Change::Notes(ids), watching));
                }
            }
        })
        .boxed(),
        Err(error) => unavailable(error.to_string()),
    }
}

/// Does an event say a file changed? Opening and reading one does not:
/// notify reports those too (inotify's `IN_OPEN`), and the app reads a
/// note to open it or after a change, which must not count as a change
/// (it would be read again, and again). A close after writing does.
fn changes(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watching is impossible: say so once, then ask for a rescan now and then.
fn unavailable(reason: String) -> futures::stream::BoxStream<'static, Change> {
    futures::stream::once(async move { Change::Unavailable(reason) })
        .chain(futures::stream::unfold((), |()| async {
            tokio::time::sleep(RESCAN_EVERY).await;
            Some((Change::Rescan, ()))
        }))
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_notes_written_by_another_program() {
        let dir = tempfile::tempdir().unwrap();
        let mut changes = Box::pin(watch(dir.path().to_path_buf()));
        // The watch starts on the first poll: poll once, with nothing to see.
        let nothing = tokio::time::timeout(Duration::from_millis(300), changes.next()).await;
        assert!(nothing.is_err(), "no change yet");

        std::fs::write(dir.path().join(".swap"), "ignored").unwrap();
        std::fs::write(dir.path().join("outside.md"), "hello").unwrap();

        let change = tokio::time::timeout(Duration::from_secs(10), changes.next())
            .await
            .expect("a change within 10 s")
            .expect("the stream goes on");
        assert_eq!(change, Change::Notes(vec![NoteId::new("outside.md")]));
    }

    #[tokio::test]
    async fn reading_a_note_is_not_a_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("read.md"), "only read").unwrap();
        let mut changes = Box::pin(watch(dir.path().to_path_buf()));
        let nothing = tokio::time::timeout(Duration::from_millis(300), changes.next()).await;
        assert!(nothing.is_err(), "no change yet");

        for _ in 0..3 {
            std::fs::read_to_string(dir.path().join("read.md")).unwrap();
        }
        let nothing = tokio::time::timeout(SETTLE * 4, changes.next()).await;
        assert!(nothing.is_err(), "reads are not changes");

        std::fs::write(dir.path().join("written.md"), "new").unwrap();
        let change = tokio::time::timeout(Duration::from_secs(10), changes.next())
            .await
            .expect("a change within 10 s")
            .expect("the stream goes on");
        assert_eq!(change, Change::Notes(vec![NoteId::new("written.md")]));
    }

    async fn next(changes: &mut (impl Stream<Item = Change> + Unpin)) -> Change {
        tokio::time::timeout(Duration::from_secs(10), changes.next())
            .await
            .expect("a change within 10 s")
            .expect("the stream goes on")
    }

    #[tokio::test]
    async fn subfolders_are_watched_and_hidden_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Projects/Garden")).unwrap();
        std::fs::create_dir_all(dir.path().join(".obsidian")).unwrap();
        let mut changes = Box::pin(watch(dir.path().to_path_buf()));
        let nothing = tokio::time::timeout(Duration::from_millis(300), changes.next()).await;
        assert!(nothing.is_err(), "no change yet");

        std::fs::write(dir.path().join(".obsidian/workspace.md"), "not a note").unwrap();
        std::fs::write(dir.path().join("Projects/Garden/beds.md"), "Beds").unwrap();
        assert_eq!(
            next(&mut changes).await,
            Change::Notes(vec![NoteId::new("Projects/Garden/beds.md")])
        );

        // A folder that comes: listed again, and watched from then on.
        std::fs::create_dir(dir.path().join("Later")).unwrap();
        assert_eq!(next(&mut changes).await, Change::Rescan);
        std::fs::write(dir.path().join("Later/one.md"), "One").unwrap();
        assert_eq!(
            next(&mut changes).await,
            Change::Notes(vec![NoteId::new("Later/one.md")])
        );

        // A folder that goes takes its notes with it.
        std::fs::rename(dir.path().join("Projects"), dir.path().join(".hidden")).unwrap();
        assert_eq!(next(&mut changes).await, Change::Rescan);
    }

    #[test]
    fn opening_and_reading_are_not_changes() {
        use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
        assert!(!changes(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!changes(&EventKind::Access(AccessKind::Read)));
        assert!(changes(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes(&EventKind::Create(CreateKind::File)));
    }
}
