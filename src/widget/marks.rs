//! Marks in the editor's text: what the privacy scan found, coloured and
//! bold in place, so the user sees exactly what would be sent.
//!
//! A `text_editor` highlighter (iced's own extension point): it is fed the
//! lines in order and answers with the byte ranges to mark in each.

use std::ops::Range;
use std::sync::Arc;

use iced::advanced::text::highlighter::{self, Highlighter};
use iced::{Font, Theme, font};

/// Per line (0-based), the byte ranges to mark; sorted by line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks(Arc<Vec<(usize, Range<usize>)>>);

impl Marks {
    /// Marks for `ranges` (bytes of `text`), split at line ends.
    pub fn new(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> Self {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let mut marks = Vec::new();
        for range in ranges {
            let first = starts.partition_point(|&start| start <= range.start) - 1;
            let mut line = first;
            while line < starts.len() && starts[line] < range.end.max(range.start + 1) {
                let start = starts[line];
                let end = starts.get(line + 1).map_or(text.len(), |next| next - 1);
                let from = range.start.max(start) - start;
                let to = range.end.min(end).saturating_sub(start);
                if to > from {
                    marks.push((line, from..to));
                }
                line += 1;
            }
        }
        marks.sort_by_key(|(line, range)| (*line, range.start));
        Self(Arc::new(marks))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

pub struct Marker {
    marks: Marks,
    line: usize,
}

impl Highlighter for Marker {
    type Settings = Marks;
    type Highlight = ();
    type Iterator<'a> = std::vec::IntoIter<(Range<usize>, ())>;

    fn new(settings: &Self::Settings) -> Self {
        Self {
            marks: settings.clone(),
            line: 0,
        }
    }

    fn update(&mut self, new_settings: &Self::Settings) {
        self.marks = new_settings.clone();
        self.line = 0;
    }

    fn change_line(&mut self, line: usize) {
        self.line = self.line.min(line);
    }

    fn highlight_line(&mut self, _line: &str) -> Self::Iterator<'_> {
        let line = self.line;
        self.line += 1;
        if self.marks.0.is_empty() {
            return Vec::new().into_iter();
        }
        let marks = &self.marks.0;
        let first = marks.partition_point(|(at, _)| *at < line);
        marks[first..]
            .iter()
            .take_while(|(at, _)| *at == line)
            .map(|(_, range)| (range.clone(), ()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    fn current_line(&self) -> usize {
        // Also with nothing to mark: marks taken away must be repainted
        // (iced feeds only the lines in view, so this stays cheap).
        self.line
    }
}

/// How a mark looks: the theme's danger colour, bold.
pub fn format(_: &(), theme: &Theme) -> highlighter::Format<Font> {
    highlighter::Format {
        color: Some(theme.extended_palette().danger.base.color),
        font: Some(Font {
            weight: font::Weight::Bold,
            ..Font::DEFAULT
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_become_marks_per_line() {
        let text = "one a@b.co two\nthree\nfour x@y.io";
        let first = text.find("a@b.co").unwrap();
        let second = text.find("x@y.io").unwrap();
        let marks = Marks::new(text, [first..first + 6, second..second + 6, 0..18]);
        assert_eq!(
            *marks.0,
            vec![(0, 0..14), (0, 4..10), (1, 0..3), (2, 5..11)]
        );
        let mut marker = Marker::new(&marks);
        let lines: Vec<Vec<Range<usize>>> = text
            .lines()
            .map(|line| {
                marker
                    .highlight_line(line)
                    .map(|(range, ())| range)
                    .collect()
            })
            .collect();
        assert_eq!(lines, vec![vec![0..14, 4..10], vec![0..3], vec![5..11]]);
        marker.change_line(1);
        assert_eq!(marker.current_line(), 1);
        // Marks taken away: the lines are fed again, from the first.
        marker.update(&Marks::default());
        assert_eq!(marker.current_line(), 0);
        assert_eq!(marker.highlight_line("one").count(), 0);
    }
}
