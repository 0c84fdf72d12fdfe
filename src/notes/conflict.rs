//! Conflict copies: the second version of a note, kept under another name
//! when the note changed in two places. BrainDump's own ("Note (BrainDump
//! copy 2026-12-03 10.30).md") and those sync tools make: Syncthing
//! ("Note.sync-conflict-20261203-103000-ABCDEFG.md"), Dropbox and Nextcloud
//! ("Note (… conflicted copy …).md").

use std::sync::LazyLock;

use regex::Regex;

use super::NoteId;

static PATTERNS: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    let regex = |pattern: &str| Regex::new(pattern).expect("the conflict patterns compile");
    [
        regex(r"^(.+) \(BrainDump copy \d{4}-\d{2}-\d{2} \d{2}\.\d{2}\)(?: \d+)?(\.[^.]+)$"),
        regex(r"^(.+)\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}(\.[^.]+)$"),
        regex(r"^(.+?) \([^()]*[Cc]onflicted [Cc]opy[^()]*\)(\.[^.]+)$"),
    ]
});

/// The note `id` is a conflict copy of, by its name.
pub fn original_of(id: &NoteId) -> Option<NoteId> {
    PATTERNS.iter().find_map(|pattern| {
        let found = pattern.captures(id.as_str())?;
        Some(NoteId::new(format!("{}{}", &found[1], &found[2])))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_made_here_and_by_sync_tools_are_known_by_name() {
        let original =
            |name: &str| original_of(&NoteId::new(name)).map(|id| id.as_str().to_owned());
        assert_eq!(
            original("Plan (BrainDump copy 2026-12-03 10.30).md").as_deref(),
            Some("Plan.md")
        );
        assert_eq!(
            original("Plan (BrainDump copy 2026-12-03 10.30) 2.md").as_deref(),
            Some("Plan.md")
        );
        assert_eq!(
            original("Plan.sync-conflict-20261203-103000-ABCDEFG.md").as_deref(),
            Some("Plan.md")
        );
        assert_eq!(
            original("Plan (Ana's conflicted copy 2026-12-03).md").as_deref(),
            Some("Plan.md")
        );
        assert_eq!(
            original("Plan (conflicted copy 2026-12-03 103000).md").as_deref(),
            Some("Plan.md")
        );
        assert_eq!(original("Plan (copy).md"), None);
        assert_eq!(original("Plan.md"), None);
        assert_eq!(original("2026-12-03 10.30.00.md"), None);
        // The copy made here is named so that this finds it.
        let made = NoteId::new("Plan.md").conflict_copy(jiff::Zoned::now(), |_| false);
        assert_eq!(original_of(&made), Some(NoteId::new("Plan.md")));
    }
}
