//! This month's tokens and their estimated cost, from the runs kept beside
//! the notes (`.braindump/runs/`, the trashed notes' too), by model.
//!
//! A run counts in the month it was started, follow-ups included. The cost
//! is an estimate from the dated price table (`prices`): what Anthropic
//! bills is in the Console.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::notes::runs::{self, Run};
use crate::prices::{self, Tokens};

/// At this share of the budget, the panel says so.
pub const NOTICE_AT: f64 = 0.8;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Month {
    /// "2026-12".
    pub month: String,
    pub by_model: BTreeMap<String, Tokens>,
}

impl Month {
    pub fn new(month: String) -> Self {
        Self {
            month,
            by_model: BTreeMap::new(),
        }
    }

    /// The month `at` (Unix seconds) is in, in `zone`: "2026-12".
    pub fn key(at: i64, zone: &jiff::tz::TimeZone) -> String {
        jiff::Timestamp::from_second(at)
            .map(|at| at.to_zoned(zone.clone()).strftime("%Y-%m").to_string())
            .unwrap_or_default()
    }

    /// Adds what `run` spent, if it was started this month.
    pub fn add_run(&mut self, run: &Run, zone: &jiff::tz::TimeZone) {
        if Self::key(run.started_at, zone) == self.month {
            self.add(&run.model, run.tokens());
        }
    }

    pub fn add(&mut self, model: &str, tokens: Tokens) {
        *self.by_model.entry(model.to_owned()).or_default() += tokens;
    }

    /// The estimated cost of the models the table prices, and whether some
    /// model's tokens could not be priced.
    pub fn cost(&self) -> (f64, bool) {
        let mut total = 0.0;
        let mut unpriced = false;
        for (model, tokens) in &self.by_model {
            match prices::cost(model, *tokens) {
                Some(cost) => total += cost,
                None => unpriced = true,
            }
        }
        (total, unpriced)
    }

    pub fn tokens(&self) -> Tokens {
        let mut all = Tokens::default();
        for tokens in self.by_model.values() {
            all += *tokens;
        }
        all
    }
}

/// Reads this month's spending from `notes_dir`'s kept runs, off the UI
/// thread. Unreadable runs files are skipped here (and left alone: the
/// note's own loading keeps a damaged one aside and says so).
pub async fn this_month(notes_dir: PathBuf) -> Month {
    tokio::task::spawn_blocking(move || {
        let zone = jiff::tz::TimeZone::system();
        let month = Month::key(jiff::Timestamp::now().as_second(), &zone);
        read(&notes_dir, month, &zone)
    })
    .await
    .unwrap_or_default()
}

pub fn read(notes_dir: &Path, month: String, zone: &jiff::tz::TimeZone) -> Month {
    let mut spent = Month::new(month);
    let dir = notes_dir.join(runs::DATA_DIR).join("runs");
    for folder in [dir.clone(), dir.join(crate::notes::store::TRASH_DIR)] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|extension| extension != "json") {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(kept) = serde_json::from_slice::<Vec<Run>>(&bytes) else {
                continue;
            };
            for run in &kept {
                spent.add_run(run, zone);
            }
        }
    }
    spent
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::NoteId;
    use crate::notes::runs::Status;

    fn run(model: &str, started_at: i64, input: u64, output: u64) -> Run {
        Run {
            mode: "Reflect".into(),
            model: model.into(),
            started_at,
            exchanges: Vec::new(),
            input_tokens: input,
            output_tokens: output,
            cache_write_tokens: 0,
            cache_read_tokens: 0,
            stop_reason: None,
            masked: false,
            status: Status::Complete,
        }
    }

    #[test]
    fn this_months_runs_by_model_from_the_notes_and_the_trash() {
        let dir = tempfile::tempdir().unwrap();
        let zone = jiff::tz::TimeZone::UTC;
        let november = jiff::Timestamp::from_second(1_796_000_000).unwrap(); // 2026-11-30
        let now = november.as_second() + 5 * 86_400; // 2026-12-05
        let month = Month::key(now, &zone);
        assert_eq!(month, "2026-12");
        runs::edit_blocking(
            dir.path(),
            &NoteId::new("a.md"),
            runs::Edit::Append(run("claude-sonnet-4-5", now, 1_000_000, 100_000)),
        )
        .unwrap();
        runs::edit_blocking(
            dir.path(),
            &NoteId::new("a.md"),
            runs::Edit::Append(run("claude-sonnet-4-5", november.as_second(), 5, 5)),
        )
        .unwrap();
        runs::edit_at_blocking(
            &runs::trashed_path(dir.path(), "b.md"),
            runs::Edit::Append(run("claude-haiku-4-5-20251001", now, 10, 20)),
        )
        .unwrap();
        runs::edit_blocking(
            dir.path(),
            &NoteId::new("c.md"),
            runs::Edit::Append(run("claude-unknown", now, 7, 7)),
        )
        .unwrap();
        std::fs::write(dir.path().join(".braindump/runs/broken.md.json"), b"{ nope").unwrap();

        let spent = read(dir.path(), month, &zone);
        assert_eq!(spent.by_model.len(), 3, "{spent:?}");
        assert_eq!(
            spent.by_model["claude-sonnet-4-5"].input, 1_000_000,
            "November's left out"
        );
        assert_eq!(spent.by_model["claude-haiku-4-5-20251001"].output, 20);
        let (cost, unpriced) = spent.cost();
        assert!(unpriced, "claude-unknown has no price");
        let expected = (1_000_000.0 * 3.0 + 100_000.0 * 15.0 + 10.0 + 20.0 * 5.0) / 1e6;
        assert!((cost - expected).abs() < 1e-9, "{cost} vs {expected}");
        assert!(
            dir.path().join(".braindump/runs/broken.md.json").exists(),
            "an unreadable file is left where it is"
        );
    }
}
