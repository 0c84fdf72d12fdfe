//! The app's side of Claude: the key (loading, onboarding, re-check,
//! removal) and the processing panel.

use iced::Task;

use super::{App, KeyState, Message, Screen, focus_editor};
use crate::claude::Validation;
use crate::key::keychain::{self, Backend};
use crate::key::{ApiKey, Source};
use crate::screen::onboarding::{self, Onboarding};
use crate::screen::settings as settings_screen;
use crate::screen::{processing, workspace};

impl App {
    pub(super) fn key_loaded(
        &mut self,
        result: Result<Option<ApiKey>, keychain::Error>,
    ) -> Task<Message> {
        self.key_loaded = true;
        self.keychain_waiting = false;
        match result {
            Ok(Some(key)) => {
                self.key = Some(KeyState {
                    key,
                    source: Source::Keychain,
                    verified: self.settings.key_checked_at.is_some(),
                });
            }
            Ok(None) => {}
            // No keychain at all: no key can be in it. Onboarding goes on
            // and will offer "this session only" when storing fails.
            Err(error @ keychain::Error::Unavailable(_)) => {
                self.key_message = Some(error.to_string());
            }
            Err(error) => {
                // A key may be in there: do not offer onboarding, say why.
                // The error's own advice ("use the key for this session
                // only") is for storing a key; here the way on is Try again.
                let why = match &error {
                    keychain::Error::Locked(reason) | keychain::Error::Failed(reason) => {
                        reason.clone()
                    }
                    keychain::Error::TimedOut => format!(
                        "no answer within {} minutes",
                        keychain::TIMEOUT.as_secs() / 60
                    ),
                    other => other.to_string(),
                };
                self.problem = Some(format!(
                    "Your API key could not be read from the system keychain ({why}). If it is locked, unlock it, then press Try again."
                ));
                self.key_message = Some(error.to_string());
                self.keychain_failed = true;
            }
        }
        self.maybe_onboard();
        Task::none()
    }

    /// After the keychain failed at start (locked, say): read it again.
    pub(super) fn reload_key(&mut self) -> Task<Message> {
        if !self.keychain_failed {
            return Task::none();
        }
        self.keychain_failed = false;
        self.key_loaded = false;
        self.key_message = None;
        self.problem = None;
        load_key(&self.backend)
    }

    /// Claude answered: count the tokens, and take the answer as proof that
    /// the key works (it may not have been checked: from the environment,
    /// or kept while offline).
    pub(super) fn used_tokens(&mut self, input: u64, output: u64) {
        self.settings.tokens_in += input;
        self.settings.tokens_out += output;
        if let Some(key) = self.key.as_mut().filter(|key| !key.verified) {
            key.verified = true;
            if key.source == Source::Keychain {
                self.settings.key_checked_at = Some(jiff::Timestamp::now().as_second());
            }
        }
    }

    /// On first run (no key anywhere, onboarding not skipped), guide.
    pub(super) fn maybe_onboard(&mut self) {
        if self.settings_loaded
            && self.key_loaded
            && self.key.is_none()
            && !self.keychain_failed
            && !self.settings.claude_skipped
            && self.onboarding.is_none()
        {
            self.onboarding = Some(Onboarding::new(self.client.clone(), self.backend.clone()));
        }
    }

    pub(super) fn onboarding_message(&mut self, message: onboarding::Message) -> Task<Message> {
        let Some(onboarding) = &mut self.onboarding else {
            return Task::none();
        };
        match onboarding.update(message) {
            onboarding::Action::None => Task::none(),
            onboarding::Action::Run(task) => task.map(Message::Onboarding),
            onboarding::Action::JustWrite => {
                self.onboarding = None;
                self.settings.claude_skipped = true;
                Task::batch([self.save_settings(), focus_editor()])
            }
            onboarding::Action::Cancelled => {
                self.onboarding = None;
                Task::none()
            }
            onboarding::Action::Finished(finished) => self.key_chosen(finished),
        }
    }

    pub(super) fn key_chosen(&mut self, finished: onboarding::Finished) -> Task<Message> {
        self.onboarding = None;
        self.settings.claude_skipped = false;
        self.settings.key_checked_at = finished
            .check
            .verified
            .then(|| jiff::Timestamp::now().as_second());
        if !finished.check.models.is_empty() {
            self.settings.models = finished.check.models;
            self.processing.set_models(self.settings.models.clone());
        }
        self.notice = Some(finished.check.notice.unwrap_or_else(|| {
            format!("Claude is ready. Your key is kept in {}.", finished.source)
        }));
        self.key_message = None;
        self.keychain_failed = false;
        self.key = Some(KeyState {
            key: finished.key,
            source: finished.source,
            verified: finished.check.verified,
        });
        Task::batch([self.save_settings(), focus_editor()])
    }

    pub(super) fn key_rechecked(&mut self, validation: Validation) -> Task<Message> {
        let message = match &validation {
            Validation::Valid(models) => {
                self.settings.key_checked_at = Some(jiff::Timestamp::now().as_second());
                self.settings.models = models.clone();
                self.processing.set_models(models.clone());
                if let Some(key) = &mut self.key {
                    key.verified = true;
                }
                format!("Your key works ({} models available).", models.len())
            }
            Validation::RateLimited(_) => {
                "Your key works, but is rate-limited right now.".to_owned()
            }
            Validation::Rejected(error) => format!(
                "Anthropic rejected this key (mistyped, revoked or expired): replace it.{}",
                error.request_suffix()
            ),
            Validation::NoPermission(error) => format!(
                "This key may not use the API: {}{}",
                error.message,
                error.request_suffix()
            ),
            Validation::ServiceTrouble(error)
            | Validation::Offline(error)
            | Validation::TimedOut(error)
            | Validation::Unexpected(error) => format!(
                "Could not check the key: {}. Try again later.{}",
                error.message,
                error.request_suffix()
            ),
        };
        self.key_message = Some(message);
        if matches!(validation, Validation::Valid(_)) {
            self.save_settings()
        } else {
            Task::none()
        }
    }

    pub(super) fn key_removed(&mut self, result: Result<(), keychain::Error>) -> Task<Message> {
        self.key_removing = false;
        match result {
            Ok(()) => {
                if self
                    .key
                    .as_ref()
                    .is_some_and(|key| key.source != Source::Environment)
                {
                    self.key = None;
                }
                self.settings.key_checked_at = None;
                self.key_message = Some("The key was removed from the keychain.".to_owned());
                self.save_settings()
            }
            Err(error) => {
                self.key_message = Some(format!("The key was not removed. {error}"));
                Task::none()
            }
        }
    }

    pub(super) fn key_status(&self) -> settings_screen::KeyStatus {
        settings_screen::KeyStatus {
            source: self.key.as_ref().map(|key| key.source),
            hint: self
                .key
                .as_ref()
                .map(|key| key.key.hint())
                .unwrap_or_default(),
            checked: self.settings.key_checked_at.and_then(|seconds| {
                let timestamp = jiff::Timestamp::from_second(seconds).ok()?;
                Some(crate::time::relative(
                    std::time::SystemTime::from(timestamp),
                    &crate::time::now_in(self.zone.as_ref().unwrap_or(&jiff::tz::TimeZone::UTC)),
                ))
            }),
            message: self.key_message.clone(),
            endpoint: self.client.base().as_str().to_owned(),
        }
    }

    /// Shows the open note's runs in the processing panel.
    pub(super) fn sync_processing(&mut self) -> Task<Message> {
        let selected = self.workspace().and_then(|workspace| workspace.selected());
        // The note's revision and length say whether its text changed (no
        // copy, no hash of a long note on every keystroke).
        let revision = selected.and_then(|note| {
            let text = note.text()?;
            let revision = note.as_text().map_or(0, |text| text.session().revision);
            Some((note.id.clone(), revision, text.len()))
        });
        let selected = selected.map(|note| note.id.clone());
        let task = Task::batch([
            self.processing.note_selected(selected),
            self.processing.note_revision(revision),
        ])
        .map(Message::Processing);
        self.sync_marks();
        task
    }

    /// The privacy scan's finds, marked in the editor while the request
    /// waits for the user's word.
    pub(super) fn sync_marks(&mut self) {
        let ranges: Vec<std::ops::Range<usize>> = self
            .processing
            .privacy_findings()
            .map(|findings| {
                findings
                    .iter()
                    .map(|finding| finding.range.clone())
                    .collect()
            })
            .unwrap_or_default();
        if let Screen::Workspace(workspace) = &mut self.screen {
            workspace.set_marks(&ranges);
        }
    }

    pub(super) fn processing_message(&mut self, message: processing::Message) -> Task<Message> {
        // Borrowed, not copied: this runs for every streamed delta.
        let note = match &self.screen {
            Screen::Workspace(workspace) => workspace
                .selected()
                .and_then(|note| Some((&note.id, &*note.title, note.text()?))),
            Screen::Loading => None,
        };
        let context = processing::Context {
            key: self.key.as_ref().map(|key| &key.key),
            note,
        };
        let action = self.processing.update(message, context);
        self.sync_marks();
        match action {
            processing::Action::None => Task::none(),
            processing::Action::Run(task) => task.map(Message::Processing),
            processing::Action::FixKey => {
                self.onboarding = Some(Onboarding::replace(
                    self.client.clone(),
                    self.backend.clone(),
                ));
                Task::none()
            }
            processing::Action::InsertIntoNote(text) => {
                let generation = self.generation;
                match &mut self.screen {
                    Screen::Workspace(workspace) => workspace
                        .insert_text(&text)
                        .map(move |message| Message::Workspace(generation, message)),
                    Screen::Loading => Task::none(),
                }
            }
            processing::Action::Usage { input, output } => {
                self.used_tokens(input, output);
                let save = self.processing.take_pending_save().map(Message::Processing);
                Task::batch([save, self.save_settings()])
            }
            processing::Action::Arrived {
                note,
                input,
                output,
            } => {
                if let Screen::Workspace(workspace) = &mut self.screen {
                    let title = workspace
                        .note(&note)
                        .map(|found| found.title.to_string())
                        .unwrap_or_else(|| note.as_str().to_owned());
                    workspace.mark_reply(note.clone());
                    self.processing.reply_arrived(note, &title);
                }
                self.used_tokens(input, output);
                let save = self.processing.take_pending_save().map(Message::Processing);
                Task::batch([save, self.save_settings()])
            }
            processing::Action::SetMaxTokens(max_tokens) => {
                self.settings.max_tokens = max_tokens;
                self.save_settings()
            }
            processing::Action::OpenNote(note) => {
                let generation = self.generation;
                Task::done(Message::Workspace(
                    generation,
                    workspace::Message::Open(note),
                ))
            }
        }
    }
}

/// Reads the key from the keychain, and says when that is slow.
pub(super) fn load_key(backend: &Backend) -> Task<Message> {
    Task::batch([
        Task::perform(keychain::load(backend.clone()), Message::KeyLoaded),
        slow_keychain(),
    ])
}

/// `KeychainSlow` once a keychain call has taken [`keychain::SLOW`].
pub(super) fn slow_keychain() -> Task<Message> {
    Task::perform(keychain::slow(), |()| Message::KeychainSlow)
}
