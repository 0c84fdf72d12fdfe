//! Search as you type, over titles and bodies.
//!
//! Titles are matched fuzzily (`grcrs` finds "Groceries"), bodies by words
//! (every word of the query must appear somewhere, in any order), since a
//! fuzzy match over a long body matches nearly anything. Ranking: title
//! matches first, then by match quality; ties keep the caller's order
//! (newest first).
//!
//! A body is searched in its text when the app holds it (the open note,
//! notes not saved yet), else in its words (see [`super::index`]); both find
//! the same notes. The one difference: a query word with an escaped space
//! (`a\ b`) cannot lie inside one word, so it only finds held texts.
//!
//! Each query word is scored once against each word of the vocabulary it
//! meets, and those scores are kept between keystrokes for the last few
//! query words: typing "garden" after "meeting" does not score "meeting"
//! again, and a word of the vocabulary that "gar" is not in cannot hold
//! "gard" either, so only the words that held "gar" are scored for "gard".

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::index::{Vocabulary, Words};

/// How many query words' scores are kept between searches: a few words
/// typed and their prefixes being typed. Each is two bytes per word of the
/// vocabulary (60 KB for 30,000 words).
const MEMOS: usize = 8;

pub struct Searcher {
    matcher: Matcher,
    buffer: Vec<char>,
    /// A note's word ids, decoded.
    ids: Vec<u32>,
    /// Recent query words' scores against the vocabulary.
    memos: Vec<Memo>,
    /// Counts searches, to know which memo was used last.
    clock: u64,
}

/// What search looks at in a note's body.
#[derive(Debug, Clone, Copy)]
pub enum Haystack<'a> {
    /// Its text, for a note whose text is at hand.
    Text(&'a str),
    /// Its words, as ids into the vocabulary passed to [`Searcher::rank`].
    Words(&'a Words),
    /// Not known yet (the note was listed without its words): only its
    /// title can match.
    Unknown,
}

/// One query word's score against each word of the vocabulary, worked out
/// the first time a note with that word is ranked. Stored as score + 1;
/// `NO_MATCH` and `UNKNOWN` are the two ends.
struct Memo {
    /// The query word as matched (lowercased).
    needle: String,
    scores: Vec<u16>,
    /// The search that last used it.
    used: u64,
}

const NO_MATCH: u16 = 0;
const UNKNOWN: u16 = u16::MAX;

/// A query, parsed, with the memo of each of its words.
struct Prepared {
    fuzzy: Pattern,
    words: Pattern,
    /// For each of `words.atoms`, its memo's position in `memos`.
    memos: Vec<usize>,
}

impl Memo {
    /// The best score of `atom` over `ids`; `None` if it matches none.
    fn best(
        &mut self,
        atom: &Atom,
        ids: &[u32],
        vocabulary: &Vocabulary,
        matcher: &mut Matcher,
        buffer: &mut Vec<char>,
    ) -> Option<u32> {
        let mut best = NO_MATCH;
        for &id in ids {
            // Every id comes from this vocabulary; should one not, it
            // matches nothing rather than taking the app down.
            let Some(score) = self.scores.get_mut(id as usize) else {
                continue;
            };
            if *score == UNKNOWN {
                let word = Utf32Str::new(vocabulary.word(id), buffer);
                *score = atom
                    .score(word, matcher)
                    .map_or(NO_MATCH, |score| score.saturating_add(1).min(UNKNOWN - 1));
            }
            best = best.max(*score);
        }
        (best != NO_MATCH).then(|| u32::from(best - 1))
    }
}

impl Default for Searcher {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            buffer: Vec::new(),
            ids: Vec::new(),
            memos: Vec::new(),
            clock: 0,
        }
    }
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Searcher")
    }
}

impl Searcher {
    /// Positions in `items` (title, body) that match `query`, best first.
    /// An empty query matches everything, in order. Bodies given as words
    /// are looked up in `vocabulary`.
    pub fn rank<'a>(
        &mut self,
        query: &str,
        vocabulary: &Vocabulary,
        items: impl IntoIterator<Item = (&'a str, Haystack<'a>)>,
    ) -> Vec<usize> {
        self.rank_scored(query, vocabulary, items)
            .into_iter()
            .map(|(_, index)| index)
            .collect()
    }

    /// As [`Self::rank`], with each match's score (higher is better; ties
    /// in the order of `items`). Every score is 0 for an empty query.
    pub fn rank_scored<'a>(
        &mut self,
        query: &str,
        vocabulary: &Vocabulary,
        items: impl IntoIterator<Item = (&'a str, Haystack<'a>)>,
    ) -> Vec<(u32, usize)> {
        let Some(prepared) = self.prepare(query, vocabulary) else {
            return items.into_iter().enumerate().map(|(i, _)| (0, i)).collect();
        };
        let mut scored: Vec<(u32, usize)> = items
            .into_iter()
            .enumerate()
            .filter_map(|(index, (title, body))| {
                Some((self.score_with(&prepared, vocabulary, title, body)?, index))
            })
            .collect();
        self.forget_old();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
    }

    /// The score of one note against `query`, as [`Self::rank_scored`]
    /// would give it; `None` if it does not match.
    pub fn score(
        &mut self,
        query: &str,
        vocabulary: &Vocabulary,
        title: &str,
        body: Haystack<'_>,
    ) -> Option<u32> {
        let Some(prepared) = self.prepare(query, vocabulary) else {
            return Some(0);
        };
        let score = self.score_with(&prepared, vocabulary, title, body);
        self.forget_old();
        score
    }

    /// Parses `query` and finds (or makes) each word's memo; `None` for a
    /// blank query.
    fn prepare(&mut self, query: &str, vocabulary: &Vocabulary) -> Option<Prepared> {
        let query = query.trim();
        if query.is_empty() {
            return None;
        }
        let fuzzy = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let words = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Substring,
        );
        // Words are only ever added to a vocabulary: one with fewer words
        // than a memo is not the one it was made for.
        let known = vocabulary.len();
        if self.memos.iter().any(|memo| memo.scores.len() > known) {
            self.memos.clear();
        }
        self.clock += 1;
        let memos = words
            .atoms
            .iter()
            .map(|atom| {
                let needle: String = atom.needle_text().chars().collect();
                self.memo_for(needle, known)
            })
            .collect();
        Some(Prepared {
            fuzzy,
            words,
            memos,
        })
    }

    /// The memo of the query word `needle`, over `known` words.
    fn memo_for(&mut self, needle: String, known: usize) -> usize {
        if let Some(position) = self.memos.iter().position(|memo| memo.needle == needle) {
            let memo = &mut self.memos[position];
            memo.used = self.clock;
            memo.scores.resize(known, UNKNOWN);
            return position;
        }
        // A word that does not hold a part of `needle` does not hold
        // `needle`: it needs no scoring. (Normalization only widens what a
        // part matches: a needle matched without it has a character that
        // changes when normalized, and so has any needle holding it.)
        let part = self
            .memos
            .iter()
            .filter(|memo| needle.contains(memo.needle.as_str()))
            .max_by_key(|memo| memo.needle.len());
        let scores = match part {
            Some(part) => part
                .scores
                .iter()
                .map(|&score| if score == NO_MATCH { NO_MATCH } else { UNKNOWN })
                .chain(std::iter::repeat(UNKNOWN))
                .take(known)
                .collect(),
            None => vec![UNKNOWN; known],
        };
        self.memos.push(Memo {
            needle,
            scores,
            used: self.clock,
        });
        self.memos.len() - 1
    }

    /// Keeps the memos used most recently.
    fn forget_old(&mut self) {
        if self.memos.len() > MEMOS {
            self.memos
                .sort_unstable_by_key(|memo| std::cmp::Reverse(memo.used));
            self.memos.truncate(MEMOS);
        }
    }

    fn score_with(
        &mut self,
        prepared: &Prepared,
        vocabulary: &Vocabulary,
        title: &str,
        body: Haystack<'_>,
    ) -> Option<u32> {
        let title_score = prepared
            .fuzzy
            .score(Utf32Str::new(title, &mut self.buffer), &mut self.matcher);
        let body_score = match body {
            Haystack::Text(text) => prepared
                .words
                .score(Utf32Str::new(text, &mut self.buffer), &mut self.matcher),
            Haystack::Unknown => None,
            Haystack::Words(ids) => {
                self.ids.clear();
                self.ids.extend(ids.ids());
                let mut total = 0;
                let mut all = true;
                for (atom, &memo) in prepared.words.atoms.iter().zip(&prepared.memos) {
                    match self.memos[memo].best(
                        atom,
                        &self.ids,
                        vocabulary,
                        &mut self.matcher,
                        &mut self.buffer,
                    ) {
                        Some(score) => total += score,
                        None => {
                            all = false;
                            break;
                        }
                    }
                }
                all.then_some(total)
            }
        };
        match (title_score, body_score) {
            (None, None) => None,
            (title, body) => Some(
                title.map_or(0, |score| score.saturating_mul(4).saturating_add(10_000))
                    + body.unwrap_or(0),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ranks `items` both ways, by text and by words, and checks that
    /// both find the same notes.
    fn rank(query: &str, items: &[(&str, &str)]) -> Vec<usize> {
        let by_text = Searcher::default().rank(
            query,
            &Vocabulary::default(),
            items
                .iter()
                .map(|&(title, body)| (title, Haystack::Text(body))),
        );
        let mut vocabulary = Vocabulary::default();
        let words: Vec<Words> = items
            .iter()
            .map(|(_, body)| vocabulary.words(body))
            .collect();
        let by_words = Searcher::default().rank(
            query,
            &vocabulary,
            items
                .iter()
                .zip(&words)
                .map(|(&(title, _), words)| (title, Haystack::Words(words))),
        );
        let sorted = |mut found: Vec<usize>| {
            found.sort_unstable();
            found
        };
        assert_eq!(
            sorted(by_text.clone()),
            sorted(by_words),
            "{query:?} finds the same notes in words as in text"
        );
        by_text
    }

    #[test]
    fn empty_query_keeps_everything_in_order() {
        assert_eq!(rank("  ", &[("a", ""), ("b", "")]), vec![0, 1]);
    }

    #[test]
    fn fuzzy_titles_and_word_bodies() {
        let items = [
            ("Groceries", "milk, eggs"),
            ("Weekly review", "call the plumber about the sink"),
            ("Ideas", "a garden for the roof"),
        ];
        assert_eq!(rank("grcrs", &items), vec![0]);
        assert_eq!(rank("plumber sink", &items), vec![1]);
        assert_eq!(rank("SINK plumber", &items), vec![1], "any order, any case");
        assert_eq!(
            rank("sink garden", &items),
            Vec::<usize>::new(),
            "every word must match"
        );
        assert_eq!(rank("zebra", &items), Vec::<usize>::new());
    }

    #[test]
    fn words_find_what_the_text_finds() {
        let items = [
            ("A", "Call the plumber.\nThe SINK leaks — again!"),
            ("B", "Café au lait,\te-mail Zoë about the trip"),
            ("C", "meeting garden\n\n# Plan\n- buy seeds"),
            ("D", ""),
        ];
        for query in [
            "plumb",
            "sink.",
            "leaks —",
            "cafe",
            "CAFÉ",
            "mail",
            "e-mail zoe",
            "zoë",
            "# plan",
            "seeds garden",
            "-",
            "lait,",
            "xyz",
            "a",
            "the again",
            "ee",
            "k.",
        ] {
            rank(query, &items);
        }
        assert_eq!(rank("e-mail zoe", &items), vec![1]);
        assert_eq!(rank("cafe", &items), vec![1], "accents are optional");
    }

    #[test]
    fn a_body_not_known_yet_matches_by_its_title_only() {
        let items = [
            ("Garden", Haystack::Unknown),
            ("Roof", Haystack::Unknown),
            ("Plan", Haystack::Text("the roof garden")),
        ];
        let found = Searcher::default().rank("garden", &Vocabulary::default(), items);
        assert_eq!(found, vec![0, 2]);
    }

    #[test]
    fn title_matches_rank_above_body_matches() {
        let items = [("Notes", "the roof garden plan"), ("Garden", "")];
        assert_eq!(rank("garden", &items), vec![1, 0]);
    }

    /// A searcher that keeps its memos from query to query ranks as a
    /// fresh one would, however the query changed and while the
    /// vocabulary grows.
    #[test]
    fn scores_kept_between_queries_rank_as_fresh_ones() {
        let bodies = [
            "meeting about the garden",
            "Café au lait with Zoë",
            "cafe list, gardening gloves",
            "GARDEN party; meet at noon",
            "çà et là: naïve résumé",
        ];
        let mut vocabulary = Vocabulary::default();
        let mut words: Vec<Words> = Vec::new();
        let mut kept = Searcher::default();
        let mut queries: Vec<String> = Vec::new();
        for typed in [
            "meeting garden",
            "café zoë",
            "cafe",
            "naïve résumé",
            "ca",
            "é",
        ] {
            for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
                queries.push(typed[..end].to_owned());
            }
            // Backspacing, and another word first.
            queries.push(typed.chars().take(1).collect());
            queries.push(format!("x {typed}"));
        }
        for (round, query) in queries.iter().enumerate() {
            // A note is added every few queries: new words, new ids.
            if round % 7 == 0 && words.len() < bodies.len() {
                words.push(vocabulary.words(bodies[words.len()]));
            }
            let items = || words.iter().map(|words| ("", Haystack::Words(words)));
            let fresh = Searcher::default().rank_scored(query, &vocabulary, items());
            assert_eq!(
                kept.rank_scored(query, &vocabulary, items()),
                fresh,
                "{query:?} after {round} queries"
            );
            for (position, words) in words.iter().enumerate() {
                let one = kept.score(query, &vocabulary, "", Haystack::Words(words));
                let listed = fresh.iter().find(|(_, i)| *i == position).map(|(s, _)| *s);
                assert_eq!(one, listed, "{query:?}, note {position}");
            }
            assert!(kept.memos.len() <= MEMOS);
        }
        // Another vocabulary (a notes folder opened again): nothing kept
        // from the old one is used.
        let mut other = Vocabulary::default();
        let few = other.words("zebra");
        assert_eq!(
            kept.rank("zebra", &other, [("", Haystack::Words(&few))]),
            vec![0]
        );
    }
}
