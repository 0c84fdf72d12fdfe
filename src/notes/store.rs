//! Notes as plain Markdown files in one folder.
//!
//! Everything here blocks, and is meant to run on a blocking thread (the
//! async wrappers in `notes` do that). A file that cannot be read as text is
//! reported as [`Unreadable`] and never written to.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{
    Body, NoteFile, NoteId, SaveError, SaveOutcome, Stamp, StoreError, Trashed, Unreadable,
};

/// Files larger than this are listed but not opened: a note this big is
/// almost certainly not a note, and holding it in an editor would be slow.
pub const MAX_NOTE_BYTES: u64 = 8 * 1024 * 1024;

/// Deleted notes are moved here, inside the notes folder.
pub const TRASH_DIR: &str = ".trash";

/// Does this file name look like a note? Markdown or plain text, not hidden
/// (hidden names are editors' swap files and our own temporary files).
pub fn is_note_name(name: &str) -> bool {
    if name.starts_with('.') || name.ends_with('~') {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    [".md", ".markdown", ".txt"]
        .iter()
        .any(|extension| lower.len() > extension.len() && lower.ends_with(extension))
}

/// Lists and reads every note in `dir`, creating the folder if needed;
/// newest first.
pub fn load_dir(dir: &Path) -> Result<Vec<NoteFile>, StoreError> {
    let mut notes = read_dir_with(dir, |file| {
        let empty = NoteFile {
            id: NoteId::new(String::new()),
            modified: SystemTime::UNIX_EPOCH,
            body: Body::Text(String::new()),
            read_only: false,
        };
        std::mem::replace(file, empty)
    })?;
    notes.sort_by(|a, b| newest_first((a.modified, &a.id), (b.modified, &b.id)));
    Ok(notes)
}

/// Reads every note in `dir`, creating the folder if needed, and hands
/// each to `each` as soon as it is read (so that all texts need not be
/// held at once). In no particular order. A text `each` leaves in its file
/// is the buffer the next file is read into.
pub fn read_dir_with<T>(
    dir: &Path,
    mut each: impl FnMut(&mut NoteFile) -> T,
) -> Result<Vec<T>, StoreError> {
    fs::create_dir_all(dir).map_err(|error| StoreError::folder(dir, &error))?;
    // A folder that cannot be read is said so (the walk below would only
    // find nothing in it).
    fs::read_dir(dir).map_err(|error| StoreError::folder(dir, &error))?;

    // Names first, so that the notes go into one allocation of the right
    // size: one grown as they come would leave each outgrown block behind,
    // free but touched, in the reading thread's heap.
    let names = note_names(dir);
    Ok(read_each(
        dir,
        names.into_iter().map(NoteId::new),
        |_, file| each(file),
    ))
}

/// How deep into subfolders notes are looked for: deeper than any notes
/// folder seen, and a bound on a folder made (by a program gone wrong) of
/// nested folders.
pub const MAX_DEPTH: usize = 32;

/// Should a folder inside the notes folder be left out of it? Hidden ones
/// are: BrainDump's `.braindump` and `.trash`, `.obsidian`, `.git`, sync
/// tools' `.stversions` and `.sync`, editors' caches.
pub fn is_skipped_folder(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules"
}

/// The notes in `dir` and its subfolders, as ids (`Projects/Garden.md`).
/// Symbolic links are followed, to files and to folders; a link that leads
/// back into a folder it is in is listed no deeper (walkdir spots the
/// loop), so every note comes once. A link that leads nowhere is listed,
/// to be shown as such.
pub fn note_names(dir: &Path) -> Vec<String> {
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(MAX_DEPTH)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !entry.file_type().is_dir()
                || entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| !is_skipped_folder(name))
        });
    let mut names = Vec::new();
    for entry in walk {
        let path = match &entry {
            Ok(entry) if entry.file_type().is_dir() => continue,
            Ok(entry) => entry.path(),
            // A loop is listed once: where it starts over, it stops.
            Err(error) if error.loop_ancestor().is_some() => continue,
            // A link that leads nowhere: listed (and shown as broken).
            Err(error) => match error.path() {
                Some(path) if error.depth() > 0 => path,
                _ => continue,
            },
        };
        if let Some(id) = relative_id(dir, path) {
            names.push(id);
        }
    }
    names
}

/// The id of the note at `path` inside `dir`, if it is one: a note's name,
/// in no hidden folder.
pub fn relative_id(dir: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(dir).ok()?;
    let mut parts = Vec::new();
    for part in relative.components() {
        parts.push(part.as_os_str().to_str()?);
    }
    let (name, folders) = parts.split_last()?;
    if !is_note_name(name) || folders.iter().any(|folder| is_skipped_folder(folder)) {
        return None;
    }
    Some(parts.join("/"))
}

/// Reads the notes `ids` (leaving out those that are gone) and hands each,
/// with its position in `ids`, to `each` as soon as it is read. Every text
/// is read into one buffer: a fresh one per file would leave a hole of a
/// note's size between what is kept of the notes wherever the next text
/// did not fit.
pub fn read_each<T>(
    dir: &Path,
    ids: impl ExactSizeIterator<Item = NoteId>,
    mut each: impl FnMut(usize, &mut NoteFile) -> T,
) -> Vec<T> {
    let mut notes = Vec::with_capacity(ids.len());
    let mut buffer = Vec::new();
    for (position, id) in ids.enumerate() {
        if let Some(mut note) = read_note_into(dir, id, std::mem::take(&mut buffer)) {
            notes.push(each(position, &mut note));
            if let Body::Text(text) = note.body {
                buffer = text.into_bytes();
            }
        }
    }
    notes
}

/// The order of the notes list: last modified first, then by name.
pub fn newest_first(a: (SystemTime, &NoteId), b: (SystemTime, &NoteId)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

/// Reads one note; `None` when the file does not exist (any more).
pub fn read_note(dir: &Path, id: &NoteId) -> Option<NoteFile> {
    let mut note = read_note_into(dir, id.clone(), Vec::new())?;
    // Sized to the text: it may be held for as long as the note is open.
    if let Body::Text(text) = &mut note.body {
        text.shrink_to_fit();
    }
    Some(note)
}

/// [`read_note`], reading the text into `buffer`'s room.
pub(super) fn read_note_into(dir: &Path, id: NoteId, buffer: Vec<u8>) -> Option<NoteFile> {
    let path = dir.join(id.as_str());
    let link = match fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return None,
        Err(error) => return Some(unreadable(id, SystemTime::UNIX_EPOCH, from_io(&error))),
    };
    // Follow a symbolic link, but say so when it leads nowhere or in a loop.
    let metadata = match fs::metadata(&path) {
        Ok(metadata) => metadata,
        Err(_) if link.file_type().is_symlink() => {
            return Some(unreadable(id, modified(&link), Unreadable::BrokenLink));
        }
        Err(error) => return Some(unreadable(id, modified(&link), from_io(&error))),
    };
    let modified = modified(&metadata);
    if !metadata.is_file() {
        return Some(unreadable(id, modified, Unreadable::NotAFile));
    }
    if metadata.len() > MAX_NOTE_BYTES {
        return Some(unreadable(
            id,
            modified,
            Unreadable::TooLarge {
                size: metadata.len(),
            },
        ));
    }
    let body = match read_text(&path, metadata.len(), buffer) {
        Ok(text) => Body::Text(text),
        Err(reason) => Body::Unreadable(reason),
    };
    Some(NoteFile {
        id,
        modified,
        body,
        read_only: metadata.permissions().readonly(),
    })
}

fn read_text(path: &Path, size: u64, mut bytes: Vec<u8>) -> Result<String, Unreadable> {
    // Room from the metadata: a buffer grown by doubling would keep up to
    // twice the note's size.
    bytes.clear();
    bytes.reserve_exact(size.min(MAX_NOTE_BYTES) as usize);
    fs::File::open(path)
        .and_then(|file| file.take(MAX_NOTE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| from_io(&error))?;
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(Unreadable::TooLarge {
            size: bytes.len() as u64,
        });
    }
    String::from_utf8(bytes).map_err(|_| Unreadable::NotUtf8)
}

fn unreadable(id: NoteId, modified: SystemTime, reason: Unreadable) -> NoteFile {
    NoteFile {
        id,
        modified,
        body: Body::Unreadable(reason),
        read_only: false,
    }
}

fn modified(metadata: &fs::Metadata) -> SystemTime {
    metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH)
}

fn from_io(error: &io::Error) -> Unreadable {
    match error.kind() {
        io::ErrorKind::PermissionDenied => Unreadable::PermissionDenied,
        io::ErrorKind::InvalidData => Unreadable::NotUtf8,
        _ if error.raw_os_error() == Some(40) && cfg!(target_os = "linux") => {
            // ELOOP: a symbolic link loop.
            Unreadable::BrokenLink
        }
        _ => Unreadable::Io(error.to_string()),
    }
}

/// Saves `text` as note `id`, atomically.
///
/// `base` stamps what the app last read from or wrote to this file (`None`
/// for a note that has never been saved). If the file on disk no longer
/// matches `base`, someone else changed it: nothing is written and the disk version
/// comes back as [`SaveOutcome::Conflict`], so that neither is lost.
pub fn save(
    dir: &Path,
    id: &NoteId,
    text: &str,
    base: Option<Stamp>,
) -> Result<SaveOutcome, SaveError> {
    let path = dir.join(id.as_str());
    match (read_note(dir, id), base) {
        (None, _) => {}
        (
            Some(NoteFile {
                body: Body::Text(disk),
                ..
            }),
            Some(base),
        ) if Stamp::of(&disk) == base => {
            // The text about to be replaced goes into the note's history
            // first, when it is worth keeping. Failing that, the save goes
            // on: the newest words matter most.
            if let Err(error) = super::history::before_overwrite(dir, id, &disk, text) {
                tracing::warn!("an earlier version could not be kept: {error}");
            }
        }
        (Some(current), _) => {
            if let Body::Text(disk) = &current.body
                && disk == text
            {
                // Already holds exactly this text.
                return Ok(SaveOutcome::Saved {
                    modified: current.modified,
                });
            }
            return Ok(SaveOutcome::Conflict { disk: current });
        }
    }
    fs::create_dir_all(path.parent().unwrap_or(dir)).map_err(|error| SaveError::from_io(&error))?;
    let target = writable_target(&path)?;
    crate::atomic::write(&target, text.as_bytes()).map_err(|error| SaveError::from_io(&error))?;
    let modified = fs::metadata(&path)
        .map(|metadata| modified(&metadata))
        .unwrap_or_else(|_| SystemTime::now());
    Ok(SaveOutcome::Saved { modified })
}

/// Where a save of the note at `path` writes: the file itself, or, for a
/// symbolic link, the file it leads to (so that the link stays a link and
/// the real file gets the edit; the temporary file goes beside the target,
/// on its file system). A file that is read-only is not written: the user
/// made it so.
fn writable_target(path: &Path) -> Result<PathBuf, SaveError> {
    let link = match fs::symlink_metadata(path) {
        Ok(link) => link,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(error) => return Err(SaveError::from_io(&error)),
    };
    let target = if link.file_type().is_symlink() {
        fs::canonicalize(path).map_err(|error| SaveError::from_io(&error))?
    } else {
        path.to_path_buf()
    };
    let metadata = fs::metadata(&target).map_err(|error| SaveError::from_io(&error))?;
    if metadata.permissions().readonly() {
        return Err(SaveError::ReadOnlyNote);
    }
    Ok(target)
}

/// Moves a note into the trash folder inside `dir`. `draft` is the text
/// the app shows (saved or not): it goes into the trashed file (or makes
/// it, for a note that never reached the disk), so the trash holds what
/// the user deleted; a file that held something else keeps that in the
/// note's history.
pub fn trash(dir: &Path, id: &NoteId, draft: Option<&str>) -> Result<Trashed, StoreError> {
    let trash = dir.join(TRASH_DIR);
    fs::create_dir_all(&trash).map_err(|error| StoreError::folder(&trash, &error))?;
    // In the trash under the folder it was in, so that it goes back there.
    let target = free_path(&trash, id.as_str());
    if let Some(folder) = target.parent() {
        fs::create_dir_all(folder).map_err(|error| StoreError::folder(folder, &error))?;
    }
    if let Some(text) = draft
        && let Some(NoteFile {
            body: Body::Text(disk),
            ..
        }) = read_note(dir, id)
        && disk != text
    {
        // The draft takes the file's place in the trash; what the file
        // held (the last save, or another program's words) goes into the
        // note's history, which follows it there.
        if let Err(error) = super::history::keep(dir, id, &disk) {
            tracing::warn!("an earlier version could not be kept: {error}");
        }
    }
    let moved = fs::rename(dir.join(id.as_str()), &target);
    let move_error = |error: io::Error| StoreError::Move {
        name: id.as_str().to_owned(),
        reason: error.to_string(),
    };
    match (moved, draft) {
        (Ok(()), None) => {}
        (Ok(()) | Err(_), Some(text)) => {
            crate::atomic::write(&target, text.as_bytes()).map_err(move_error)?;
        }
        (Err(error), None) => return Err(move_error(error)),
    }
    let trashed = Trashed {
        id: id.clone(),
        path: target,
    };
    move_companions(
        (
            &super::runs::path(dir, id),
            &super::runs::trashed_path(dir, trashed.file_name()),
        ),
        (
            &super::history::folder(dir, id),
            &super::history::trashed_folder(dir, trashed.file_name()),
        ),
    );
    Ok(trashed)
}

/// What BrainDump keeps of a note besides the note (Claude's replies, its
/// version history) goes where the note goes. A failure here leaves them
/// where they were, which loses nothing; it is logged.
fn move_companions(runs: (&Path, &Path), history: (&Path, &Path)) {
    if let Err(error) = super::runs::move_blocking(runs.0, runs.1) {
        tracing::warn!("a note's replies could not follow it: {error}");
    }
    if let Err(error) = super::history::move_folder(history.0, history.1) {
        tracing::warn!("a note's history could not follow it: {error}");
    }
}

/// Moves a trashed note back. If its name was taken meanwhile, it comes back
/// under a free name, which is returned.
pub fn restore(dir: &Path, trashed: &Trashed) -> Result<NoteId, StoreError> {
    // To the folder it came from (made again if it is gone).
    let target = free_path(dir, trashed.id.as_str());
    let failed = |error: io::Error| StoreError::Move {
        name: trashed.id.as_str().to_owned(),
        reason: error.to_string(),
    };
    if let Some(folder) = target.parent() {
        fs::create_dir_all(folder).map_err(failed)?;
    }
    fs::rename(&trashed.path, &target).map_err(failed)?;
    let name = relative_id(dir, &target)
        .map(NoteId::new)
        .unwrap_or_else(|| trashed.id.clone());
    let trashed_name = trashed.file_name();
    move_companions(
        (
            &super::runs::trashed_path(dir, trashed_name),
            &super::runs::path(dir, &name),
        ),
        (
            &super::history::trashed_folder(dir, trashed_name),
            &super::history::folder(dir, &name),
        ),
    );
    Ok(name)
}

/// Moves note `id` into `folder` (inside `dir`; `""` is the notes folder
/// itself), with its replies and history; under a numbered name if its own
/// is taken there. One rename: the note is in one place or the other,
/// never both or neither. Returns its new id.
pub fn move_note(dir: &Path, id: &NoteId, folder: &str) -> Result<NoteId, StoreError> {
    let failed = |error: io::Error| StoreError::Move {
        name: id.as_str().to_owned(),
        reason: error.to_string(),
    };
    let parts: Vec<&str> = folder
        .split(['/', '\\'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    if parts
        .iter()
        .any(|part| *part == ".." || is_skipped_folder(part))
    {
        return Err(StoreError::Move {
            name: id.as_str().to_owned(),
            reason: format!(
                "“{folder}” is not a folder BrainDump lists (a hidden one, or outside the notes folder)"
            ),
        });
    }
    let folder = parts.join("/");
    let folder = folder.as_str();
    if id.folder() == folder {
        return Ok(id.clone());
    }
    let wanted = NoteId::in_folder(folder, id.name());
    let target = free_path(dir, wanted.as_str());
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(failed)?;
    }
    fs::rename(dir.join(id.as_str()), &target).map_err(failed)?;
    let moved = relative_id(dir, &target).map(NoteId::new).unwrap_or(wanted);
    move_companions(
        (&super::runs::path(dir, id), &super::runs::path(dir, &moved)),
        (
            &super::history::folder(dir, id),
            &super::history::folder(dir, &moved),
        ),
    );
    Ok(moved)
}

/// `dir/name`, or `dir/stem 2.ext`, `dir/stem 3.ext`, … whichever is free.
pub fn free_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(numbered(name, |name| {
        fs::symlink_metadata(dir.join(name)).is_ok()
    }))
}

/// `name`, or `stem 2.ext`, `stem 3.ext`, … the first not `taken`: the one
/// way BrainDump numbers a name that is in use (new notes, conflict
/// copies, notes back from the trash, damaged copies kept aside).
pub fn numbered(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    (2..)
        .map(|n| format!("{stem} {n}{extension}"))
        .find(|candidate| !taken(candidate))
        .expect("some numbered name is free")
}
