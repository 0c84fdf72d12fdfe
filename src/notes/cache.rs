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
        let newest_first = |a: &Entry, b: &Entry| {
            super::store::newest_first((a.modified, &a.id), (b.modified, &b.id))
        };
        if !entries.is_sorted_by(|a, b| newest_first(a, b).is_le()) {
            entries.sort_unstable_by(newest_first);
        }
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
mod tests {
    use super::super::{FIRST_WAIT, Indexing, Part, index_notes, list_in_parts, read_listing};
    use super::*;

    fn titles(dir: &Path) -> Vec<(String, String)> {
        let listing = read_listing(dir, Vocabulary::shared(), Indexing::Later).unwrap();
        let mut titles: Vec<(String, String)> = listing
            .entries
            .iter()
            .map(|entry| match &entry.content {
                Content::Text(indexed) => (entry.id.to_string(), indexed.title.to_string()),
                Content::Unreadable(reason) => (entry.id.to_string(), reason.to_string()),
            })
            .collect();
        titles.sort();
        titles
    }

    /// A listing cache of `dir` as the app would write it some seconds
    /// from now (so that notes written by the test are not too recent to
    /// keep), with each title as `title` makes it.
    fn keep_listing(dir: &Path, title: impl Fn(&str) -> String) {
        let listing = read_listing(dir, Vocabulary::shared(), Indexing::Later).unwrap();
        let mut making = Making::new(SystemTime::now() + Duration::from_secs(10));
        for mut entry in listing.entries {
            let seen = Seen::of(&fs::metadata(dir.join(entry.id.as_str())).unwrap());
            if let Content::Text(indexed) = &mut entry.content {
                indexed.title = title(&indexed.title).into();
            }
            making.add(&entry, &seen);
        }
        making.write(dir).unwrap();
    }

    /// The parts `dir` is listed in, the first sent after `wait`.
    fn parts(dir: &Path, wait: Duration) -> Vec<Part> {
        let mut parts = Vec::new();
        list_in_parts(dir, Vocabulary::shared(), Indexing::Later, wait, |part| {
            parts.push(part);
            true
        });
        parts
    }

    fn damaged_copies(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir.join(DATA_DIR))
            .unwrap()
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".damaged"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_note_is_taken_from_the_cache_only_while_its_file_is_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "Alpha\nbody").unwrap();
        fs::write(dir.path().join("b.md"), "Beta\nbody").unwrap();
        // The cache says otherwise than the files: what is listed is what
        // it says, so it was used and the files were not read.
        keep_listing(dir.path(), |title| format!("{title} (kept)"));
        assert_eq!(
            titles(dir.path()),
            [
                ("a.md".into(), "Alpha (kept)".into()),
                ("b.md".into(), "Beta (kept)".into())
            ]
        );
        // The same size, and its modification time set back: its change
        // time tells it changed, and it is read again.
        let modified = fs::metadata(dir.path().join("b.md"))
            .unwrap()
            .modified()
            .unwrap();
        fs::write(dir.path().join("b.md"), "Bet!\nbody").unwrap();
        fs::File::options()
            .write(true)
            .open(dir.path().join("b.md"))
            .unwrap()
            .set_modified(modified)
            .unwrap();
        fs::write(dir.path().join("c.md"), "Gamma").unwrap();
        assert_eq!(
            titles(dir.path()),
            [
                ("a.md".into(), "Alpha (kept)".into()),
                ("b.md".into(), "Bet!".into()),
                ("c.md".into(), "Gamma".into()),
            ]
        );
    }

    #[test]
    fn notes_changed_just_before_the_listing_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "Alpha").unwrap();
        let mut making = Making::new(SystemTime::now());
        let listing = read_listing(dir.path(), Vocabulary::shared(), Indexing::Later).unwrap();
        let seen = Seen::of(&fs::metadata(dir.path().join("a.md")).unwrap());
        making.add(&listing.entries[0], &seen);
        assert!(
            making.is_empty(),
            "a file changed a moment ago may change again unseen"
        );
    }

    #[test]
    fn a_damaged_cache_is_set_aside_and_built_again() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "Alpha").unwrap();
        keep_listing(dir.path(), |title| format!("{title} (kept)"));
        let path = listing_path(dir.path());
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(titles(dir.path()), [("a.md".into(), "Alpha".into())]);
        assert_eq!(damaged_copies(dir.path()), ["listing.damaged"]);
        // Built again, by the next listing (this one's note changed too
        // recently to be kept).
        keep_listing(dir.path(), |title| format!("{title} (kept again)"));
        assert_eq!(
            titles(dir.path()),
            [("a.md".into(), "Alpha (kept again)".into())]
        );
        // One from another version, or not a cache at all: the same.
        fs::write(&path, b"BDLIST99 whatever").unwrap();
        assert_eq!(titles(dir.path()), [("a.md".into(), "Alpha".into())]);
        fs::write(words_path(dir.path()), b"").unwrap();
        let vocabulary = Vocabulary::shared();
        let listed = vec![(NoteId::new("a.md"), Stamp::of("Alpha"))];
        assert_eq!(index_notes(dir.path(), listed, &vocabulary, true).len(), 1);
        assert_eq!(
            damaged_copies(dir.path()),
            ["listing.damaged", "words.damaged"]
        );
    }

    #[test]
    fn words_are_taken_from_the_cache_for_the_text_they_were_found_in() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "Alpha one").unwrap();
        fs::write(dir.path().join("b.md"), "Beta two").unwrap();
        let listed = [
            (NoteId::new("a.md"), Stamp::of("Alpha one")),
            (NoteId::new("b.md"), Stamp::of("Beta two")),
        ];
        // Kept: other words than the files hold, for the texts they hold.
        let mut kept = Vocabulary::default();
        let found: Vec<(NoteId, Stamp, Words)> = listed
            .iter()
            .map(|(id, stamp)| (id.clone(), *stamp, kept.words(&format!("kept {id}"))))
            .collect();
        write_words(dir.path(), &kept, &found).unwrap();

        // b.md changed since: its words are read from the file.
        fs::write(dir.path().join("b.md"), "Beta three").unwrap();
        let now = vec![
            listed[0].clone(),
            (NoteId::new("b.md"), Stamp::of("Beta three")),
        ];
        let vocabulary = Vocabulary::shared();
        Vocabulary::lock(&vocabulary).words("something else first");
        let mut found = index_notes(dir.path(), now, &vocabulary, true);
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let vocabulary = Vocabulary::lock(&vocabulary);
        let spelled: Vec<Vec<&str>> = found
            .iter()
            .map(|(_, _, words)| {
                let mut spelled: Vec<&str> = words.ids().map(|id| vocabulary.word(id)).collect();
                spelled.sort_unstable();
                spelled
            })
            .collect();
        assert_eq!(spelled, [vec!["a.md", "kept"], vec!["beta", "three"]]);

        // Written again, whole, with what was found: read back the same.
        let again = index_notes(
            dir.path(),
            found
                .iter()
                .map(|(id, stamp, _)| (id.clone(), *stamp))
                .collect(),
            &Vocabulary::shared(),
            true,
        );
        assert_eq!(again.len(), 2);
    }

    #[test]
    fn damaged_words_in_a_whole_file_are_not_used() {
        assert!(Words::from_bytes(vec![0x80]).checked_ids().is_none());
        assert!(Words::from_bytes(vec![0xff; 6]).checked_ids().is_none());
        assert!(Words::from_bytes(vec![3, 0]).checked_ids().is_none());
        assert_eq!(
            Words::from_bytes(vec![3, 0x81, 0x01]).checked_ids(),
            Some(vec![3, 132])
        );
    }

    #[test]
    fn a_big_folder_is_listed_newest_first_in_parts() {
        let dir = tempfile::tempdir().unwrap();
        let start = SystemTime::now() - Duration::from_secs(100_000);
        for n in 0..250u64 {
            let path = dir.path().join(format!("{n:03}.md"));
            fs::write(&path, format!("Note {n}")).unwrap();
            let file = fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(start + Duration::from_secs(n)).unwrap();
        }
        // Sent as soon as a window's worth is read (not after the wait the
        // app gives a folder to be read whole).
        let parts = parts(dir.path(), Duration::ZERO);
        let mut names = Vec::new();
        for (position, part) in parts.into_iter().enumerate() {
            let entries = match part {
                Part::First(listing) if position == 0 => listing.unwrap().entries,
                Part::More(entries, _) if position > 0 => entries,
                _ => panic!("the first part first, and only once"),
            };
            if position == 0 {
                assert_eq!(entries.len(), 100, "a window's worth first");
            }
            names.extend(entries.into_iter().map(|entry| entry.id.to_string()));
        }
        let newest_first: Vec<String> = (0..250).rev().map(|n| format!("{n:03}.md")).collect();
        assert_eq!(names, newest_first);
        // Each note changed a moment ago, so none is kept yet.
        assert!(Kept::load(dir.path()).is_none());
    }

    #[test]
    fn a_folder_listed_before_is_shown_as_kept_then_checked() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("a.md", "Alpha"), ("b.md", "Beta"), ("c.md", "Gamma")] {
            fs::write(dir.path().join(name), text).unwrap();
        }
        keep_listing(dir.path(), |title| format!("{title} (kept)"));
        fs::write(dir.path().join("b.md"), "Beta, changed").unwrap();
        fs::remove_file(dir.path().join("c.md")).unwrap();
        fs::write(dir.path().join("d.md"), "Delta").unwrap();

        let parts = parts(dir.path(), FIRST_WAIT);
        let [Part::First(Ok(shown)), Part::Checked(changed, gone)] = &parts[..] else {
            panic!("shown as kept, then checked: {parts:?}");
        };
        assert!(!shown.complete);
        let mut titles: Vec<String> = shown
            .entries
            .iter()
            .map(|entry| match &entry.content {
                Content::Text(indexed) => indexed.title.to_string(),
                Content::Unreadable(reason) => reason.to_string(),
            })
            .collect();
        titles.sort();
        assert_eq!(titles, ["Alpha (kept)", "Beta (kept)", "Gamma (kept)"]);
        let mut names: Vec<&str> = changed.iter().map(|entry| entry.id.as_str()).collect();
        names.sort();
        assert_eq!(names, ["b.md", "d.md"]);
        assert_eq!(gone, &[NoteId::new("c.md")]);

        // What the app ends with is what a listing without a cache finds.
        let mut listing = shown.clone();
        listing.checked(changed.clone(), gone.clone());
        assert!(listing.complete);
        let mut ids: Vec<&str> = listing
            .entries
            .iter()
            .map(|entry| entry.id.as_str())
            .collect();
        ids.sort();
        assert_eq!(ids, ["a.md", "b.md", "d.md"]);
    }

    #[test]
    fn an_empty_folder_is_listed_in_one_part() {
        let dir = tempfile::tempdir().unwrap();
        let parts = parts(dir.path(), FIRST_WAIT);
        assert!(
            matches!(&parts[..], [Part::First(Ok(listing))] if listing.entries.is_empty()),
            "{parts:?}"
        );
    }
}
