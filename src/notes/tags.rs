//! Tags, read the way Obsidian reads them, so a vault's tags mean the same
//! here: `#tag` in the text (letters, digits, `_`, `-` and `/`, not only
//! digits, after a space or at the start of a line, not in code), nested
//! as `#area/garden`, and a `tags:` list in the YAML front matter.
//!
//! Tags are case-insensitive (`#Garden` is `#garden`); a note keeps each
//! one as first written. They are held as one string (`garden work/plan`),
//! which costs a listed note nothing when it has none.

/// A note's tags, without `#`, separated by single spaces; each once,
/// whatever its case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Box<str>);

impl Tags {
    /// The tags of a note's text.
    pub fn of(text: &str) -> Self {
        let mut found: Vec<&str> = Vec::new();
        let body = match front_matter(text) {
            Some((yaml, body)) => {
                from_front_matter(yaml, &mut |tag| push(&mut found, tag));
                body
            }
            None => text,
        };
        in_text(body, &mut |tag| push(&mut found, tag));
        Self(found.join(" ").into_boxed_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// As the listing cache keeps them (see [`super::cache`]).
    pub fn as_kept(&self) -> &str {
        &self.0
    }

    /// Tags as [`Self::as_kept`] gave them.
    pub fn from_kept(kept: &str) -> Self {
        Self(kept.into())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split(' ').filter(|tag| !tag.is_empty())
    }

    /// Whether the note has `tag` (without `#`), or a tag nested in it:
    /// `#area` matches `#area/garden`.
    pub fn has(&self, tag: &str) -> bool {
        self.has_lowercase(&tag.to_lowercase())
    }

    /// [`Tags::has`], for a tag already lowercased (search lowercases the
    /// query's once, not once per note).
    pub fn has_lowercase(&self, tag: &str) -> bool {
        self.iter().any(|own| {
            let mut own = own.chars().flat_map(char::to_lowercase);
            tag.chars().all(|c| own.next() == Some(c)) && matches!(own.next(), None | Some('/'))
        })
    }

    /// As shown in the list: `#garden #work/plan`.
    pub fn shown(&self) -> String {
        self.iter()
            .map(|tag| format!("#{tag}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn push<'a>(found: &mut Vec<&'a str>, tag: &'a str) {
    let tag = tag.trim_matches('/');
    if is_tag(tag)
        && !found
            .iter()
            .any(|own| own.to_lowercase() == tag.to_lowercase())
    {
        found.push(tag);
    }
}

/// Can `tag` (without `#`) be a tag? Obsidian's characters, and not only
/// digits (`#2026` is a year, not a tag).
pub fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.chars().all(is_tag_char)
        && tag.chars().any(|c| !c.is_ascii_digit() && c != '/')
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/')
}

/// The YAML between a first line `---` and the next `---` (or `...`), and
/// the text after it.
pub(crate) fn front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// `tags:` (or `tag:`) in front matter: a list, or one string of tags
/// separated by commas or spaces, each with or without `#`. Anything else
/// in it, or YAML that does not parse, gives no tags.
fn from_front_matter<'a>(yaml: &'a str, each: &mut impl FnMut(&'a str)) {
    use yaml_rust2::{Yaml, YamlLoader};
    // Read only when it names tags: most front matter has none, and
    // parsing it would be work at every listing.
    if !yaml.contains("tag") {
        return;
    }
    let Ok(documents) = YamlLoader::load_from_str(yaml) else {
        return;
    };
    let Some(Yaml::Hash(map)) = documents.first() else {
        return;
    };
    for key in ["tags", "tag", "Tags"] {
        let Some(value) = map.get(&Yaml::String(key.to_owned())) else {
            continue;
        };
        let items: Vec<&Yaml> = match value {
            Yaml::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let Yaml::String(item) = item else {
                continue;
            };
            for tag in item.split([',', ' ']) {
                // The tag is borrowed from the YAML text, so that it lives
                // as long as the note's text: found by its place there.
                let tag = tag.trim().trim_start_matches('#');
                if let Some(at) = find_word(yaml, tag) {
                    each(&yaml[at..at + tag.len()]);
                }
            }
        }
    }
}

/// Where `word` is written in `yaml`, if it is (a quoted or escaped one
/// may not be: it is left out).
fn find_word(yaml: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    yaml.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = yaml[..at].chars().next_back();
        let after = yaml[at + word.len()..].chars().next();
        !before.is_some_and(is_tag_char) && !after.is_some_and(is_tag_char)
    })
}

/// `#tags` in Markdown text, outside code.
fn in_text<'a>(text: &'a str, each: &mut impl FnMut(&'a str)) {
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        if !line.contains('#') {
            continue;
        }
        in_line(line, each);
    }
}

fn in_line<'a>(line: &'a str, each: &mut impl FnMut(&'a str)) {
    let mut in_code = false;
    let mut previous: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            '#' if !in_code && previous.is_none_or(|p| p.is_whitespace() || p == '(') => {
                let start = at + 1;
                let mut end = start;
                while let Some(&(next_at, next)) = chars.peek() {
                    if !is_tag_char(next) {
                        break;
                    }
                    end = next_at + next.len_utf8();
                    chars.next();
                }
                if end > start {
                    each(&line[start..end]);
                }
                previous = Some('x');
                continue;
            }
            _ => {}
        }
        previous = Some(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<String> {
        Tags::of(text).iter().map(str::to_owned).collect()
    }

    #[test]
    fn tags_in_the_text_follow_obsidians_rules() {
        assert_eq!(
            tags(
                "# Heading\nA #plan for the #garden/beds, and #Garden again.\n#idea-2 #under_score"
            ),
            ["plan", "garden/beds", "Garden", "idea-2", "under_score"]
        );
        // Not: headings, pure numbers, mid-word, links, URLs, code.
        assert!(
            tags(
                "## Title\n#2026 and #42/7\nissue#3 [[Note#Part]]\nhttps://x.org/#anchor\n`#code` and\n```\n#fenced\n```\n~~~\n#tilde\n~~~"
            )
            .is_empty()
        );
        assert_eq!(tags("(#inside) #déjà-vu #a/"), ["inside", "déjà-vu", "a"]);
    }

    #[test]
    fn front_matter_tags_are_read_in_each_form() {
        assert_eq!(
            tags("---\ntitle: Plan\ntags: [work, \"#home\"]\n---\nBody #extra"),
            ["work", "home", "extra"]
        );
        assert_eq!(
            tags("---\ntags:\n  - area/garden\n  - Work\n---\n#work"),
            ["area/garden", "Work"]
        );
        assert_eq!(
            tags("---\ntags: one, two three\n---\n"),
            ["one", "two", "three"]
        );
        // Broken YAML, or no closing line: no tags from it, text still read.
        assert_eq!(tags("---\ntags: [unclosed\n---\n#body"), ["body"]);
        assert!(tags("---\ntags: [a]\nno end").is_empty());
        // A thematic break later in a note is not front matter.
        assert_eq!(tags("Text\n---\ntags: [x]\n---\n"), Vec::<String>::new());
    }

    #[test]
    fn a_tag_matches_itself_and_what_is_nested_in_it() {
        let found = Tags::of("#area/garden #Work");
        assert!(found.has("area"));
        assert!(found.has("area/garden"));
        assert!(found.has("work"));
        assert!(!found.has("are"));
        assert!(!found.has("garden"));
        assert_eq!(found.shown(), "#area/garden #Work");
        assert!(Tags::of("no tags").is_empty());
    }
}
