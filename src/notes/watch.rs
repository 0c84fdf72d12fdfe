//! Noticing changes made to the notes folder by other programs.

use std::path::PathBuf;
use std::time::Duration;

use futures::channel::mpsc;
use futures::{Stream, StreamExt};
use notify::Watcher as _;

use super::NoteId;
use super::store::is_note_name;

/// What the folder watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These notes were created, changed or removed.
    Notes(Vec<NoteId>),
    /// Watching failed (for example the system's limit of watches is
    /// reached); the folder should be rescanned from time to time instead.
    Unavailable(String),
    /// Time to rescan (only after `Unavailable`).
    Rescan,
}

/// How long to gather events before reporting them: editors save in several
/// steps (write temp, rename), which should arrive as one change.
const SETTLE: Duration = Duration::from_millis(120);
const RESCAN_EVERY: Duration = Duration::from_secs(5);

/// Watches `dir` (not its subfolders) for as long as the stream is alive.
///
/// The watch is set up when the stream is first polled, on the async
/// runtime, not by whoever builds the stream (iced builds subscription
/// streams on the UI thread).
pub fn watch(dir: PathBuf) -> impl Stream<Item = Change> {
    futures::stream::once(async move {
        match tokio::task::spawn_blocking(move || start(&dir)).await {
            Ok(stream) => stream,
            Err(error) => unavailable(error.to_string()),
        }
    })
    .flatten()
}

fn start(dir: &std::path::Path) -> futures::stream::BoxStream<'static, Change> {
    let (sender, receiver) = mpsc::unbounded::<Vec<PathBuf>>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && changes(&event.kind)
        {
            let _ = sender.unbounded_send(event.paths);
        }
    })
    .and_then(|mut watcher| {
        std::fs::create_dir_all(dir).map_err(notify::Error::io)?;
        watcher.watch(dir, notify::RecursiveMode::NonRecursive)?;
        Ok(watcher)
    });

    match watcher {
        Ok(watcher) => {
            futures::stream::unfold((watcher, receiver), |(watcher, mut receiver)| async move {
                loop {
                    let mut paths = receiver.next().await?;
                    // Let the burst settle, then take everything that came.
                    tokio::time::sleep(SETTLE).await;
                    while let Ok(more) = receiver.try_recv() {
                        paths.extend(more);
                    }
                    let ids = note_ids(paths);
                    if !ids.is_empty() {
                        return Some((Change::Notes(ids), (watcher, receiver)));
                    }
                }
            })
            .boxed()
        }
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

fn note_ids(paths: Vec<PathBuf>) -> Vec<NoteId> {
    let mut ids: Vec<NoteId> = paths
        .iter()
        .filter_map(|path| path.file_name()?.to_str())
        .filter(|name| is_note_name(name))
        .map(NoteId::new)
        .collect();
    ids.sort();
    ids.dedup();
    ids
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
