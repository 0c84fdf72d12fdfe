//! What BrainDump knows of a notes folder, kept between runs in
//! `.braindump/` inside it, so that a folder of 100,000 notes is listed by
//! looking at its files (`stat`), not by reading them.
//!
//! Two files, each written whole and atomically, off the UI thread:
//!
//! - `listing`: each note's title, tags and [`Stamp`], with what `stat`
//!   said of its file when it was read. A note is taken from here only if
//!   its file still has the same size, modification and change times, and
//!   inode; any other note is read again. The change time (`ctime`) is set
//!   by the system on every write, rename or `chmod` and cannot be set back,
//!   so a file replaced by a sync tool that keeps the old modification time
//!   is still read again. A note changed less than [`RACY`] before the
//!   listing was made is not kept: on a file system with coarse times, a
//!   second change in the same tick would look like none (git's "racily
//!   clean" entries).
//! - `words`: the words of every note (see [`super::index`]), written at
//!   the first search and used by the next run's first search. A note's
//!   words are taken from here only if its [`Stamp`] (its length and the
//!   hash of its text) is the one listed; else its file is read.
//!
//! Both are never trusted over the files: they only spare reading a file
//! that is known to be what it was. A file that cannot be read as a cache
//! (damaged, cut short, from another version) is moved aside as
//! `<name>.damaged` (replacing an earlier one: it holds nothing that is not
//! in the notes) and built again. Each starts with a tag and the hash of
//! the rest, so damage anywhere in it is seen.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::index::{Stamp, Vocabulary, Words};
use super::runs::DATA_DIR;
use super::tags::Tags;
use super::{Content, Entry, Indexed, NoteId};

const LISTING: &str = "listing";
const WORDS: &str = "words";
/// What a cache file starts with: its kind and version. A file of another
/// version is built again.
const LISTING_TAG: &[u8; 8] = b"BDLIST01";
const WORDS_TAG: &[u8; 8] = b"BDWORD01";

/// How long before a listing is made a note must have last changed to be
/// kept in it (FAT's times have a 2 s grain).
pub const RACY: Duration = Duration::from_secs(3);

pub fn listing_path(notes_dir: &Path) -> PathBuf {
    notes_dir.join(DATA_DIR).join(LISTING)
}

pub fn words_path(notes_dir: &Path) -> PathBuf {
    notes_dir.join(DATA_DIR).join(WORDS)
}

/// What `stat` says of a note's file: enough to tell that it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub size: u64,
    /// Nanoseconds since 1970 (negative before).
    pub modified: i128,
    /// The change time, in nanoseconds since 1970; 0 where there is none.
    pub changed: i128,
    pub inode: u64,
    pub read_only: bool,
}

impl Seen {
    pub fn of(metadata: &fs::Metadata) -> Self {
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec()),
                metadata.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Self {
            size: metadata.len(),
            modified: nanos(metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH)),
            changed,
            inode,
            read_only: metadata.permissions().readonly(),
        }
    }

    /// Did the file change less than [`RACY`] before `at`?
    fn is_racy(&self, at: i128) -> bool {
        let racy = at - RACY.as_nanos() as i128;
        self.modified >= racy || self.changed >= racy
    }
}

pub fn nanos(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

/// One note in the listing file.
#[derive(Debug, Serialize, Deserialize)]
struct Listed<'a> {
    id: &'a str,
    seen: Seen,
    hash: u64,
    title: &'a str,
    tags: &'a str,
}

#[derive(Debug, Serialize, Deserialize)]
struct ListingFile<'a> {
    /// When the folder was looked at for this listing (see [`RACY`]).
    made: i128,
    #[serde(borrow)]
    notes: Vec<Listed<'a>>,
}

/// The listing file's bytes, read; the notes are looked up in them.
pub struct Kept {
    bytes: Vec<u8>,
}

/// A note as the listing file keeps it.
pub struct KeptNote {
    pub seen: Seen,
    pub stamp: Stamp,
    pub title: Box<str>,
    pub tags: Tags,
}

/// The notes of a listing file, newest first, and by name once one is
/// looked up.
pub struct KeptNotes<'a> {
    made: i128,
    notes: Vec<Listed<'a>>,
    by_name: HashMap<&'a str, usize>,
}

impl Kept {
    /// The listing kept for `notes_dir`; `None` if there is none or it is
    /// damaged (then moved aside).
    pub fn load(notes_dir: &Path) -> Option<Self> {
        let bytes = read_checked(&listing_path(notes_dir), LISTING_TAG)?;
        Some(Self { bytes })
    }

    /// Every note kept, as entries, newest first: the folder as it was
    /// when last listed, to be shown while it is looked at again. Read
    /// note by note from the file's bytes (the same bytes as a
    /// [`ListingFile`]: postcard writes a struct's fields and a sequence's
    /// items one after the other), without a list of them all first.
    /// `None` if the file is damaged (then set aside).
    pub fn entries(&self, notes_dir: &Path) -> Option<Vec<Entry>> {
        fn read(bytes: &[u8]) -> postcard::Result<Vec<Entry>> {
            let (_made, rest) = postcard::take_from_bytes::<i128>(bytes)?;
            let (count, mut rest) = postcard::take_from_bytes::<u64>(rest)?;
            // Each takes 30 bytes at least: a count beyond that is damage.
            let count = usize::try_from(count).unwrap_or(usize::MAX);
            let mut entries = Vec::with_capacity(count.min(rest.len() / 30));
            for _ in 0..count {
                let (note, after) = postcard::take_from_bytes::<Listed>(rest)?;
                rest = after;
                entries.push(entry(
                    NoteId::new(note.id),
                    time(note.seen.modified),
                    kept(&note),
                ));
            }
            if !rest.is_empty() {
                return Err(postcard::Error::DeserializeBadEncoding);
            }
            Ok(entries)
        }
        let mut entries = match read(&self.bytes[16..]) {
            Ok(entries) => entries,
            Err(error) => {
                set_aside(&listing_path(notes_dir), &error.to_string());
                return None;
            }
        };
        // Kept in this order; sorted all the same if they are not.
        super::sort_newest_first(&mut entries);
        Some(entries)
    }

    pub fn notes(&self, notes_dir: &Path) -> Option<KeptNotes<'_>> {
        match postcard::from_bytes::<ListingFile>(&self.bytes[16..]) {
            Ok(file) => Some(KeptNotes {
                made: file.made,
                notes: file.notes,
                by_name: HashMap::new(),
            }),
            Err(error) => {
                set_aside(&listing_path(notes_dir), &error.to_string());
                None
            }
        }
    }
}

impl<'a> KeptNotes<'a> {
    /// The names of the notes kept.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.notes.iter().map(|note| note.id)
    }

    fn find(&mut self, id: &str) -> Option<&Listed<'a>> {
        if self.by_name.is_empty() {
            self.by_name = self
                .notes
                .iter()
                .enumerate()
                .map(|(at, note)| (note.id, at))
                .collect();
        }
        self.by_name.get(id).map(|&at| &self.notes[at])
    }

    /// The note `id` as kept, if its file is still as `seen` says; kept in
    /// `making` again if so.
    pub fn get(&mut self, id: &str, seen: &Seen, making: &mut Making) -> Option<KeptNote> {
        let made = self.made;
        let note = self.find(id)?;
        if note.seen != *seen || note.seen.is_racy(made) {
            return None;
        }
        making.add_listed(note);
        Some(kept(note))
    }

    pub fn len(&self) -> usize {
        self.notes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }
}

/// A listing being made, to be written once it is whole.
pub struct Making {
    made: i128,
    bytes: Vec<u8>,
    count: usize,
}

impl Making {
    /// A listing of the folder as it is at `made` (taken before the first
    /// file is looked at).
    pub fn new(made: SystemTime) -> Self {
        Self {
            made: nanos(made),
            bytes: Vec::new(),
            count: 0,
        }
    }

    /// Adds a note read from its file, which was as `seen` when it was
    /// read. Notes that cannot be read are not kept (they are looked at
    /// again), nor notes changed a moment ago (see [`RACY`]).
    pub fn add(&mut self, entry: &Entry, seen: &Seen) {
        let Content::Text(indexed) = &entry.content else {
            return;
        };
        if seen.is_racy(self.made) || indexed.stamp.parts().0 != seen.size {
            return;
        }
        self.add_listed(&Listed {
            id: entry.id.as_str(),
            seen: *seen,
            hash: indexed.stamp.parts().1,
            title: &indexed.title,
            tags: indexed.tags.as_kept(),
        });
    }

    /// Adds a note as an earlier listing kept it (not too recent then).
    fn add_listed(&mut self, listed: &Listed) {
        // One note after the other, as postcard writes a sequence: its
        // length first (written in `write`), then each item.
        if postcard::to_io(listed, &mut self.bytes).is_ok() {
            self.count += 1;
        }
    }

    /// How many notes it keeps.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Writes the listing, atomically.
    pub fn write(self, notes_dir: &Path) -> io::Result<()> {
        let mut body = Vec::with_capacity(self.bytes.len() + 32);
        postcard::to_io(&self.made, &mut body).map_err(io::Error::other)?;
        postcard::to_io(&(self.count as u64), &mut body).map_err(io::Error::other)?;
        body.extend_from_slice(&self.bytes);
        write_checked(&listing_path(notes_dir), LISTING_TAG, &body)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct WordsFile<'a> {
    /// The vocabulary (see [`Vocabulary::parts`]).
    text: &'a str,
    ends: Vec<u32>,
    #[serde(borrow)]
    notes: Vec<NoteWords<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct NoteWords<'a> {
    id: &'a str,
    len: u64,
    hash: u64,
    words: &'a [u8],
}

/// The words file's bytes, read.
pub struct KeptWords {
    bytes: Vec<u8>,
}

/// The words of the notes, by name, and the kept vocabulary's words given
/// ids in the app's vocabulary as they are asked for.
pub struct WordsOf<'a> {
    text: &'a str,
    ends: Vec<u32>,
    notes: HashMap<&'a str, NoteWords<'a>>,
    /// For each kept word id, its id in the app's vocabulary (`u32::MAX`
    /// until it is needed).
    ids: Vec<u32>,
    /// Reused for each note's ids: a buffer per note, freed between the
    /// words kept, would leave holes among them in the heap.
    kept: Vec<u32>,
    found: Vec<u32>,
}

impl KeptWords {
    pub fn load(notes_dir: &Path) -> Option<Self> {
        let bytes = read_checked(&words_path(notes_dir), WORDS_TAG)?;
        Some(Self { bytes })
    }

    pub fn words(&self, notes_dir: &Path) -> Option<WordsOf<'_>> {
        let file = match postcard::from_bytes::<WordsFile>(&self.bytes[16..]) {
            Ok(file) => file,
            Err(error) => {
                set_aside(&words_path(notes_dir), &error.to_string());
                return None;
            }
        };
        // Every word's end within the text, in order, on a character's
        // edge: else the file was not written by this code.
        let mut start = 0;
        for &end in &file.ends {
            let end = end as usize;
            if end < start || end > file.text.len() || !file.text.is_char_boundary(end) {
                set_aside(&words_path(notes_dir), "a word out of place");
                return None;
            }
            start = end;
        }
        Some(WordsOf {
            text: file.text,
            ids: vec![u32::MAX; file.ends.len()],
            kept: Vec::new(),
            found: Vec::new(),
            ends: file.ends,
            notes: file.notes.into_iter().map(|note| (note.id, note)).collect(),
        })
    }
}

impl WordsOf<'_> {
    /// The words of note `id`, if kept for the text `stamp` stamps, in
    /// `vocabulary`.
    pub fn get(&mut self, id: &str, stamp: Stamp, vocabulary: &mut Vocabulary) -> Option<Words> {
        let note = self.notes.get(id)?;
        if Stamp::from_parts(note.len, note.hash) != stamp {
            return None;
        }
        if !Words::checked_ids_into(note.words, &mut self.kept) {
            return None;
        }
        self.found.clear();
        for &id in &self.kept {
            let slot = self.ids.get_mut(id as usize)?;
            if *slot == u32::MAX {
                let start = (id as usize)
                    .checked_sub(1)
                    .map_or(0, |before| self.ends[before] as usize);
                *slot = vocabulary.intern_kept(&self.text[start..self.ends[id as usize] as usize]);
            }
            self.found.push(*slot);
        }
        Some(vocabulary.words_of(self.found.iter().copied()))
    }
}

/// Writes the words of `notes` (with the stamps of the texts they are the
/// words of) and the vocabulary they are in.
pub fn write_words(
    notes_dir: &Path,
    vocabulary: &Vocabulary,
    notes: &[(NoteId, Stamp, Words)],
) -> io::Result<()> {
    let (text, ends) = vocabulary.parts();
    let file = WordsFile {
        text,
        ends: ends.to_vec(),
        notes: notes
            .iter()
            .map(|(id, stamp, words)| NoteWords {
                id: id.as_str(),
                len: stamp.parts().0,
                hash: stamp.parts().1,
                words: words.as_bytes(),
            })
            .collect(),
    };
    let body = postcard::to_allocvec(&file).map_err(io::Error::other)?;
    drop(file);
    write_checked(&words_path(notes_dir), WORDS_TAG, &body)
}

/// The file at `path` if it is whole: it starts with `tag` and the hash of
/// the rest. A file that is not is moved aside.
fn read_checked(path: &Path, tag: &[u8; 8]) -> Option<Vec<u8>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return None,
        Err(error) => {
            tracing::debug!("the cache {} could not be read: {error}", path.display());
            return None;
        }
    };
    let whole = bytes.len() >= 16
        && &bytes[..8] == tag
        && bytes[8..16] == xxhash_rust::xxh3::xxh3_64(&bytes[16..]).to_le_bytes();
    if !whole {
        set_aside(path, "damaged or from another version");
        return None;
    }
    Some(bytes)
}

fn write_checked(path: &Path, tag: &[u8; 8], body: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut bytes = Vec::with_capacity(16 + body.len());
    bytes.extend_from_slice(tag);
    bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(body).to_le_bytes());
    bytes.extend_from_slice(body);
    crate::atomic::write(path, &bytes)
}

/// Moves a cache that could not be read aside, to be built again.
fn set_aside(path: &Path, problem: &str) {
    tracing::warn!(
        "the cache {} could not be read ({problem}); it is kept as .damaged and built again",
        path.display()
    );
    let mut aside = path.as_os_str().to_owned();
    aside.push(".damaged");
    if let Err(error) = fs::rename(path, &aside) {
        tracing::warn!("could not move {} aside: {error}", path.display());
    }
}

fn kept(note: &Listed) -> KeptNote {
    KeptNote {
        seen: note.seen,
        stamp: Stamp::from_parts(note.seen.size, note.hash),
        title: note.title.into(),
        tags: Tags::from_kept(note.tags),
    }
}

/// The time `nanos` (see [`nanos`]) stands for.
fn time(nanos: i128) -> SystemTime {
    let after = Duration::from_nanos(nanos.unsigned_abs().min(u128::from(u64::MAX)) as u64);
    if nanos >= 0 {
        SystemTime::UNIX_EPOCH + after
    } else {
        SystemTime::UNIX_EPOCH - after
    }
}

/// An entry as the listing kept it (words are found later, see
/// [`super::Indexing`]).
pub fn entry(id: NoteId, modified: SystemTime, kept: KeptNote) -> Entry {
    Entry {
        id,
        modified,
        content: Content::Text(Indexed {
            title: kept.title,
            tags: kept.tags,
            stamp: kept.stamp,
            words: None,
            text: None,
            read_only: kept.seen.read_only,
        }),
    }
}

#[cfg(test)]
mod tests;
