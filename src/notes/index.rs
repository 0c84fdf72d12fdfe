//! What the app keeps of a note it is not showing: a stamp of its file and
//! the words in it, instead of its text.
//!
//! Holding every note's text would make memory grow with the notes folder
//! (2 MB for 1,000 notes of 2 KB, most of BrainDump's own heap). A note's
//! text is read from its file when the note is opened; search looks at its
//! words; a save compares the file's [`Stamp`] with the one the app last
//! saw, so a change made elsewhere is still never overwritten.
//!
//! A word is what lies between spaces and line breaks, lowercased
//! ("e-mail", "sink."). Search matches each word of the query inside the
//! words of a note, so it finds exactly the notes that a scan of their text
//! would find: a query word, which holds no space, lies inside a text only
//! if it lies inside one of its words.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hashbrown::{DefaultHashBuilder, HashTable, hash_table::Entry};

/// What a file held, without holding it: its length and a hash of its
/// bytes (XXH3, 64 bits). The hash is the same from run to run, so that the
/// listing cache (see [`super::cache`]) can keep it; two different texts of
/// the same length would have to collide on it, which by chance they do
/// once in 2^64 (only someone who can write the notes folder, and so change
/// the notes anyway, could make them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    len: u64,
    hash: u64,
}

impl Stamp {
    pub fn of(text: &str) -> Self {
        Self {
            len: text.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        }
    }

    /// A stamp as kept by [`Self::parts`].
    pub fn from_parts(len: u64, hash: u64) -> Self {
        Self { len, hash }
    }

    /// Its length and hash, to be kept.
    pub fn parts(&self) -> (u64, u64) {
        (self.len, self.hash)
    }

    /// The length of the text, in bytes.
    pub fn bytes(&self) -> u64 {
        self.len
    }
}

/// Every distinct word of the notes, each stored once; notes refer to words
/// by their position here. Words are only added: one that no note uses any
/// more stays until the notes folder is opened again.
#[derive(Default)]
pub struct Vocabulary {
    /// The words, one after the other.
    text: String,
    /// Where each word ends in `text`.
    ends: Vec<u32>,
    /// Word ids by word, to find a word's id.
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// Reused to lowercase a word, and for a text's word ids.
    lower: String,
    ids: Vec<u32>,
}

/// The vocabulary is shared between the UI thread (search) and the threads
/// that read notes (which add words), each holding it for one note at most.
pub type Shared = Arc<Mutex<Vocabulary>>;

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vocabulary({} words)", self.ends.len())
    }
}

fn word_at<'a>(text: &'a str, ends: &[u32], id: u32) -> &'a str {
    let id = id as usize;
    let start = id.checked_sub(1).map_or(0, |before| ends[before] as usize);
    &text[start..ends[id] as usize]
}

impl Vocabulary {
    pub fn shared() -> Shared {
        Arc::new(Mutex::new(Self::default()))
    }

    /// Locks a shared vocabulary. A thread that panicked while holding it
    /// left it whole (words are only appended, after their id is known), so
    /// a poisoned lock is used all the same.
    pub fn lock(shared: &Shared) -> MutexGuard<'_, Self> {
        shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn word(&self, id: u32) -> &str {
        word_at(&self.text, &self.ends, id)
    }

    /// Makes room for the words of `bytes` more bytes of text, before
    /// many notes are read. Grown a note at a time instead, the words and
    /// their ends would move to a block twice the size again and again,
    /// leaving each outgrown block free but touched in the reading
    /// thread's heap. The guess, an eighth of the text for the words (they
    /// take about a tenth of the text of 1,000 notes, less of more) and an
    /// end for every 8 of those bytes, only needs to be high: room that is
    /// never written is never resident.
    pub fn reserve_for(&mut self, bytes: u64) {
        let bytes = usize::try_from(bytes / 8).unwrap_or(usize::MAX);
        self.text.reserve(bytes.saturating_sub(self.text.len()));
        self.ends
            .reserve((bytes / 8).saturating_sub(self.ends.len()));
    }

    /// The distinct words of `text`.
    pub fn words(&mut self, text: &str) -> Words {
        let mut ids = std::mem::take(&mut self.ids);
        ids.clear();
        // Byte by byte: a query word never holds ASCII whitespace, and
        // other spaces (a no-break space) can stay inside a word.
        for word in text.split_ascii_whitespace() {
            ids.push(self.intern(word));
        }
        ids.sort_unstable();
        ids.dedup();
        let words = Words::encode(&ids);
        self.ids = ids;
        words
    }

    /// The words and where each ends, to be kept (see [`super::cache`]).
    pub fn parts(&self) -> (&str, &[u32]) {
        (&self.text, &self.ends)
    }

    /// The id of `word`, which is lowercase already (a word the words
    /// cache kept); added if new.
    pub fn intern_kept(&mut self, word: &str) -> u32 {
        self.intern_lowercase(word)
    }

    /// The [`Words`] of ids into this vocabulary, in any order.
    pub fn words_of(&mut self, found: impl IntoIterator<Item = u32>) -> Words {
        let mut ids = std::mem::take(&mut self.ids);
        ids.clear();
        ids.extend(found);
        ids.sort_unstable();
        ids.dedup();
        let words = Words::encode(&ids);
        self.ids = ids;
        words
    }

    /// The id of `word`, lowercased; added if new.
    fn intern(&mut self, word: &str) -> u32 {
        if word
            .bytes()
            .all(|byte| byte.is_ascii() && !byte.is_ascii_uppercase())
        {
            return self.intern_lowercase(word);
        }
        let mut lower = std::mem::take(&mut self.lower);
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        let id = self.intern_lowercase(&lower);
        self.lower = lower;
        id
    }

    fn intern_lowercase(&mut self, word: &str) -> u32 {
        let hash = self.hasher.hash_one(word);
        let Self {
            text,
            ends,
            table,
            hasher,
            ..
        } = self;
        match table.entry(
            hash,
            |&id| word_at(text, ends, id) == word,
            |&id| hasher.hash_one(word_at(text, ends, id)),
        ) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                let id = u32::try_from(ends.len()).expect("fewer than 4 billion words");
                text.push_str(word);
                ends.push(u32::try_from(text.len()).expect("under 4 GB of words"));
                entry.insert(id);
                id
            }
        }
    }
}

/// The distinct words of one text, as ids into a [`Vocabulary`]: sorted,
/// each stored as the gap from the one before, 7 bits to a byte (a note of
/// 2 KB has ~200 distinct words, ~1.5 bytes each this way against 4 as
/// plain ids).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Words(Box<[u8]>);

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Words({} bytes)", self.0.len())
    }
}

impl Words {
    fn encode(sorted: &[u32]) -> Self {
        let gaps = || {
            sorted.iter().scan(0, |previous, &id| {
                let gap = id - *previous;
                *previous = id;
                Some(gap)
            })
        };
        // Sized exactly first: a guess shrunk to fit afterwards leaves its
        // cut-off end free between the notes' allocations, for every note.
        let len = gaps()
            .map(|gap| (32 - gap.leading_zeros()).max(1).div_ceil(7) as usize)
            .sum();
        let mut bytes = Vec::with_capacity(len);
        for mut gap in gaps() {
            while gap >= 0x80 {
                bytes.push((gap as u8 & 0x7f) | 0x80);
                gap >>= 7;
            }
            bytes.push(gap as u8);
        }
        debug_assert_eq!(bytes.len(), len);
        Self(bytes.into_boxed_slice())
    }

    /// As kept in the words cache.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Words as [`Self::as_bytes`] gave them.
    #[cfg(test)]
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes.into_boxed_slice())
    }

    /// The word ids, in increasing order, if the bytes are ones
    /// [`Self::encode`] could have written; `None` otherwise.
    #[cfg(test)]
    pub fn checked_ids(&self) -> Option<Vec<u32>> {
        let mut ids = Vec::new();
        Self::checked_ids_into(&self.0, &mut ids).then_some(ids)
    }

    /// [`Self::checked_ids`] of `bytes`, into `ids` (cleared first);
    /// whether they were ones [`Self::encode`] could have written.
    pub fn checked_ids_into(bytes: &[u8], ids: &mut Vec<u32>) -> bool {
        ids.clear();
        let mut previous = 0u32;
        let mut gap = 0u32;
        let mut shift = 0u32;
        for &byte in bytes {
            let bits = u32::from(byte & 0x7f);
            if shift > 28 || (shift == 28 && bits > 0xf) {
                return false;
            }
            gap |= bits << shift;
            if byte & 0x80 == 0 {
                // Every id but the first is above the one before it.
                if !ids.is_empty() && gap == 0 {
                    return false;
                }
                let Some(id) = previous.checked_add(gap) else {
                    return false;
                };
                previous = id;
                ids.push(previous);
                gap = 0;
                shift = 0;
            } else {
                shift += 7;
            }
        }
        shift == 0
    }

    /// The word ids, in increasing order.
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.0.iter();
        let mut previous = 0u32;
        std::iter::from_fn(move || {
            let mut gap = 0u32;
            let mut shift = 0;
            loop {
                let byte = *bytes.next()?;
                gap |= u32::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            previous += gap;
            Some(previous)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(vocabulary: &Vocabulary, words: &Words) -> Vec<String> {
        let mut spelled: Vec<String> = words
            .ids()
            .map(|id| vocabulary.word(id).to_owned())
            .collect();
        spelled.sort();
        spelled
    }

    #[test]
    fn a_text_has_its_distinct_lowercased_words() {
        let mut vocabulary = Vocabulary::default();
        let words = vocabulary
            .words("Call the plumber.\r\n\nThe sink — the SINK!\te-mail Ünïcode 10\u{a0}km");
        assert_eq!(
            spelled(&vocabulary, &words),
            [
                "10\u{a0}km",
                "call",
                "e-mail",
                "plumber.",
                "sink",
                "sink!",
                "the",
                "ünïcode",
                "—"
            ]
        );
        assert!(vocabulary.words("  \n ").ids().next().is_none());
    }

    #[test]
    fn words_are_stored_once_and_shared_between_texts() {
        let mut vocabulary = Vocabulary::default();
        let first = vocabulary.words("garden plan");
        let second = vocabulary.words("Plan the GARDEN");
        assert_eq!(vocabulary.len(), 3);
        assert_eq!(spelled(&vocabulary, &first), ["garden", "plan"]);
        assert_eq!(spelled(&vocabulary, &second), ["garden", "plan", "the"]);
    }

    #[test]
    fn ids_survive_encoding_whatever_their_gaps() {
        let ids = [0, 1, 127, 128, 300, 16_383, 16_384, 2_000_000, u32::MAX];
        assert_eq!(Words::encode(&ids).ids().collect::<Vec<_>>(), ids);
        assert_eq!(Words::encode(&[]).ids().count(), 0);
    }

    #[test]
    fn many_words_keep_their_ids_as_the_vocabulary_grows() {
        let mut vocabulary = Vocabulary::default();
        let texts: Vec<String> = (0..3_000)
            .map(|n| format!("w{n} shared w{}", n / 2))
            .collect();
        let words: Vec<Words> = texts.iter().map(|text| vocabulary.words(text)).collect();
        for (text, words) in texts.iter().zip(&words) {
            let mut expected: Vec<&str> = text.split(' ').collect();
            expected.sort();
            expected.dedup();
            assert_eq!(spelled(&vocabulary, words), expected);
        }
    }

    #[test]
    fn a_stamp_tells_texts_apart() {
        assert_eq!(Stamp::of("milk"), Stamp::of("milk"));
        assert_ne!(Stamp::of("milk"), Stamp::of("milk "));
        assert_ne!(Stamp::of("milk"), Stamp::of("silk"));
        assert_ne!(Stamp::of(""), Stamp::of("\n"));
    }
}
