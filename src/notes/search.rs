//! Search as you type, over titles and bodies.
//!
//! Titles are matched fuzzily (`grcrs` finds "Groceries"), bodies by words
//! (every word of the query must appear somewhere, in any order), since a
//! fuzzy match over a long body matches nearly anything. Ranking: title
//! matches first, then by match quality; ties keep the caller's order
//! (newest first).

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

pub struct Searcher {
    matcher: Matcher,
    buffer: Vec<char>,
}

impl Default for Searcher {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            buffer: Vec::new(),
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
    /// An empty query matches everything, in order.
    pub fn rank<'a>(
        &mut self,
        query: &str,
        items: impl IntoIterator<Item = (&'a str, &'a str)>,
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

        let mut scored: Vec<(u32, usize)> = items
            .into_iter()
            .enumerate()
            .filter_map(|(index, (title, body))| {
                let title_score =
                    fuzzy.score(Utf32Str::new(title, &mut self.buffer), &mut self.matcher);
                let body_score =
                    words.score(Utf32Str::new(body, &mut self.buffer), &mut self.matcher);
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

    fn rank(query: &str, items: &[(&str, &str)]) -> Vec<usize> {
        Searcher::default().rank(query, items.iter().copied())
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
    fn title_matches_rank_above_body_matches() {
        let items = [("Notes", "the roof garden plan"), ("Garden", "")];
        assert_eq!(rank("garden", &items), vec![1, 0]);
    }
}
