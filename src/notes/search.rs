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

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::index::{Vocabulary, Words};

pub struct Searcher {
    matcher: Matcher,
    buffer: Vec<char>,
    /// A note's word ids, decoded.
    ids: Vec<u32>,
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

/// Each query word's score against each word of the vocabulary, worked out
/// the first time a note with that word is ranked. Stored as score + 1;
/// `NO_MATCH` and `UNKNOWN` are the two ends.
struct Memo {
    scores: Vec<Vec<u16>>,
}

const NO_MATCH: u16 = 0;
const UNKNOWN: u16 = u16::MAX;

impl Memo {
    fn new(atoms: usize, words: usize) -> Self {
        Self {
            scores: vec![vec![UNKNOWN; words]; atoms],
        }
    }

    /// The sum of each atom's best score over `ids`; `None` if an atom
    /// matches none of them.
    fn score(
        &mut self,
        atoms: &[Atom],
        ids: &[u32],
        vocabulary: &Vocabulary,
        matcher: &mut Matcher,
        buffer: &mut Vec<char>,
    ) -> Option<u32> {
        let mut total = 0;
        for (atom, scores) in atoms.iter().zip(&mut self.scores) {
            let mut best = NO_MATCH;
            for &id in ids {
                // Every id comes from this vocabulary; should one not, it
                // matches nothing rather than taking the app down.
                let Some(score) = scores.get_mut(id as usize) else {
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
            if best == NO_MATCH {
                return None;
            }
            total += u32::from(best - 1);
        }
        Some(total)
    }
}

impl Default for Searcher {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            buffer: Vec::new(),
            ids: Vec::new(),
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
        let query = query.trim();
        if query.is_empty() {
            return items.into_iter().enumerate().map(|(i, _)| i).collect();
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
        let mut memo: Option<Memo> = None;

        let mut scored: Vec<(u32, usize)> = items
            .into_iter()
            .enumerate()
            .filter_map(|(index, (title, body))| {
                let title_score =
                    fuzzy.score(Utf32Str::new(title, &mut self.buffer), &mut self.matcher);
                let body_score = match body {
                    Haystack::Text(text) => {
                        words.score(Utf32Str::new(text, &mut self.buffer), &mut self.matcher)
                    }
                    Haystack::Unknown => None,
                    Haystack::Words(ids) => {
                        self.ids.clear();
                        self.ids.extend(ids.ids());
                        memo.get_or_insert_with(|| Memo::new(words.atoms.len(), vocabulary.len()))
                            .score(
                                &words.atoms,
                                &self.ids,
                                vocabulary,
                                &mut self.matcher,
                                &mut self.buffer,
                            )
                    }
                };
                let score = match (title_score, body_score) {
                    (None, None) => return None,
                    (title, body) => {
                        title.map_or(0, |score| score.saturating_mul(4).saturating_add(10_000))
                            + body.unwrap_or(0)
                    }
                };
                Some((score, index))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, index)| index).collect()
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
}
