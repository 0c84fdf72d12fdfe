//! First run, and "replace key" from Settings: from no key to a checked key
//! in the OS keychain. A state machine: each step holds its own data, and
//! the network and keychain work runs in Tasks whose results come back as
//! Messages.

use iced::widget::operation;
use iced::{Task, task};

use crate::claude::{self, ApiError, Client, Model, Validation};
use crate::key::classify::{self, Kind};
use crate::key::keychain::{self, Backend};
use crate::key::{ApiKey, Source};

mod view;

pub const KEY_INPUT_ID: &str = "api-key";

#[derive(Debug)]
pub struct Onboarding {
    step: Step,
    client: Client,
    backend: Backend,
    /// Started from Settings: no "just write", and Back leaves to Settings.
    from_settings: bool,
    /// No browser could be opened: say so, next to the address.
    console_failed: bool,
}

#[derive(Debug)]
pub enum Step {
    Welcome,
    GetKey,
    Paste(Paste),
    Validating {
        key: ApiKey,
        handle: task::Handle,
    },
    /// Checking could not say yes or no: what now?
    Unsure {
        key: ApiKey,
        validation: Validation,
    },
    Storing {
        key: ApiKey,
        check: Check,
        /// The keychain has been slow to answer: most likely it is locked
        /// and asking for its password.
        waiting: bool,
    },
    StoreFailed {
        key: ApiKey,
        check: Check,
        error: keychain::Error,
    },
}

#[derive(Default)]
pub struct Paste {
    input: String,
    reveal: bool,
    /// Why the last key checked was turned down: headline, detail.
    refused: Option<(String, String)>,
}

/// What is known of a key that is about to be kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub models: Vec<Model>,
    pub verified: bool,
    pub notice: Option<String>,
}

/// The outcome handed to the app.
#[derive(Debug, Clone)]
pub struct Finished {
    pub key: ApiKey,
    pub source: Source,
    pub check: Check,
}

#[derive(Clone)]
pub enum Message {
    SetUp,
    JustWrite,
    OpenConsole,
    ConsoleOpened(bool),
    HaveKey,
    Back,
    Input(String),
    ToggleReveal,
    PasteClipboard,
    Pasted(Option<String>),
    Submit,
    Validated(Validation),
    Cancel,
    Retry,
    KeepUnverified,
    Stored(Result<(), keychain::Error>),
    /// Storing has taken longer than [`keychain::SLOW`].
    StoreSlow,
    UseForSession,
    /// Typed while no field had focus: on the way to a key, the start of
    /// one.
    Typed(String),
}

/// By hand, so that what was typed or pasted (a key) never shows.
impl std::fmt::Debug for Paste {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paste")
            .field("input", &"[redacted]")
            .field("reveal", &self.reveal)
            .field("refused", &self.refused)
            .finish()
    }
}

/// By hand, so that what was typed or pasted (a key) never shows.
impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Self::Input(_) => "Input([redacted])",
            Self::Pasted(_) => "Pasted([redacted])",
            Self::SetUp => "SetUp",
            Self::JustWrite => "JustWrite",
            Self::OpenConsole => "OpenConsole",
            Self::ConsoleOpened(opened) => return write!(f, "ConsoleOpened({opened})"),
            Self::HaveKey => "HaveKey",
            Self::Back => "Back",
            Self::ToggleReveal => "ToggleReveal",
            Self::PasteClipboard => "PasteClipboard",
            Self::Submit => "Submit",
            Self::Validated(validation) => return write!(f, "Validated({validation:?})"),
            Self::Cancel => "Cancel",
            Self::Retry => "Retry",
            Self::KeepUnverified => "KeepUnverified",
            Self::Stored(result) => return write!(f, "Stored({result:?})"),
            Self::StoreSlow => "StoreSlow",
            Self::UseForSession => "UseForSession",
            Self::Typed(_) => "Typed([redacted])",
        };
        f.write_str(name)
    }
}

pub enum Action {
    None,
    Run(Task<Message>),
    JustWrite,
    /// Left from Settings without a new key.
    Cancelled,
    Finished(Finished),
}

impl From<Task<Message>> for Action {
    fn from(task: Task<Message>) -> Self {
        Self::Run(task)
    }
}

impl Onboarding {
    pub fn new(client: Client, backend: Backend) -> Self {
        Self {
            step: Step::Welcome,
            client,
            backend,
            from_settings: false,
            console_failed: false,
        }
    }

    /// From Settings: straight to getting a key.
    pub fn replace(client: Client, backend: Backend) -> Self {
        Self {
            step: Step::GetKey,
            client,
            backend,
            from_settings: true,
            console_failed: false,
        }
    }

    pub fn step(&self) -> &Step {
        &self.step
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::SetUp => self.go(Step::GetKey),
            Message::JustWrite => Action::JustWrite,
            Message::OpenConsole => Task::perform(open_console(), Message::ConsoleOpened).into(),
            Message::ConsoleOpened(opened) => {
                // Whether or not a browser came up, the next step is the
                // same; without one, the address stays on screen to copy.
                self.console_failed = !opened;
                // Only if the person is still on this step.
                if opened && matches!(self.step, Step::GetKey) {
                    self.go(Step::Paste(Paste::default()))
                } else {
                    Action::None
                }
            }
            Message::HaveKey => self.go(Step::Paste(Paste::default())),
            Message::Back => self.back(),
            Message::Input(input) => {
                if let Step::Paste(paste) = &mut self.step {
                    paste.input = input;
                    paste.refused = None;
                }
                Action::None
            }
            Message::ToggleReveal => {
                if let Step::Paste(paste) = &mut self.step {
                    paste.reveal = !paste.reveal;
                }
                Action::None
            }
            Message::PasteClipboard => iced::clipboard::read().map(Message::Pasted).into(),
            Message::Pasted(Some(text)) => {
                if matches!(self.step, Step::GetKey) {
                    // Ctrl+V before "I have a key": that is what it means.
                    let _ = self.go(Step::Paste(Paste::default()));
                }
                if let Step::Paste(paste) = &mut self.step {
                    paste.input = classify::clean(&text).to_owned();
                    paste.refused = None;
                }
                self.submit()
            }
            Message::Pasted(None) => Action::None,
            Message::Submit => self.submit(),
            Message::Typed(typed) => {
                let focus = match &mut self.step {
                    Step::GetKey => {
                        self.step = Step::Paste(Paste {
                            input: typed,
                            ..Paste::default()
                        });
                        true
                    }
                    Step::Paste(paste) => {
                        paste.input.push_str(&typed);
                        paste.refused = None;
                        true
                    }
                    _ => false,
                };
                if focus {
                    operation::focus(KEY_INPUT_ID).into()
                } else {
                    Action::None
                }
            }
            Message::Validated(validation) => self.validated(validation),
            Message::Cancel => {
                if let Step::Validating { key, handle } = &self.step {
                    handle.abort();
                    let input = key.expose().to_owned();
                    self.step = Step::Paste(Paste {
                        input,
                        ..Paste::default()
                    });
                    return operation::focus(KEY_INPUT_ID).into();
                }
                Action::None
            }
            Message::Retry => match std::mem::replace(&mut self.step, Step::Welcome) {
                Step::Unsure { key, .. } => self.validate(key),
                Step::StoreFailed { key, check, .. } => self.store(key, check),
                other => {
                    self.step = other;
                    Action::None
                }
            },
            Message::KeepUnverified => match std::mem::replace(&mut self.step, Step::Welcome) {
                Step::Unsure { key, validation } => {
                    let (headline, _, _) = unsure_message(&validation);
                    self.store(
                        key,
                        Check {
                            models: Vec::new(),
                            verified: false,
                            notice: Some(format!(
                                "Your key is kept, not checked yet ({}). Use Re-check in Settings when Anthropic can be reached.",
                                headline.trim_end_matches('.')
                            )),
                        },
                    )
                }
                other => {
                    self.step = other;
                    Action::None
                }
            },
            Message::Stored(result) => match std::mem::replace(&mut self.step, Step::Welcome) {
                Step::Storing { key, check, .. } => match result {
                    Ok(()) => Action::Finished(Finished {
                        key,
                        source: Source::Keychain,
                        check,
                    }),
                    Err(error) => {
                        self.step = Step::StoreFailed { key, check, error };
                        Action::None
                    }
                },
                other => {
                    self.step = other;
                    Action::None
                }
            },
            Message::StoreSlow => {
                if let Step::Storing { waiting, .. } = &mut self.step {
                    *waiting = true;
                }
                Action::None
            }
            // While the keychain waits for its password too: the key is used
            // at once. Should the keychain answer later, it stores the key
            // all the same, and the next start finds it there.
            Message::UseForSession => match std::mem::replace(&mut self.step, Step::Welcome) {
                Step::StoreFailed { key, check, .. }
                | Step::Storing {
                    key,
                    check,
                    waiting: true,
                } => Action::Finished(Finished {
                    key,
                    source: Source::Session,
                    check,
                }),
                other => {
                    self.step = other;
                    Action::None
                }
            },
        }
    }

    /// What Enter does here: the step's main action.
    pub fn enter(&self) -> Option<Message> {
        match &self.step {
            Step::Welcome => Some(Message::SetUp),
            Step::GetKey => Some(Message::OpenConsole),
            Step::Paste(_) => Some(Message::Submit),
            Step::Unsure { .. } | Step::StoreFailed { .. } => Some(Message::Retry),
            Step::Validating { .. } | Step::Storing { .. } => None,
        }
    }

    fn go(&mut self, step: Step) -> Action {
        let focus = matches!(step, Step::Paste(_));
        self.step = step;
        if focus {
            operation::focus(KEY_INPUT_ID).into()
        } else {
            Action::None
        }
    }

    fn back(&mut self) -> Action {
        match &self.step {
            // Esc on the first screen: "just write".
            Step::Welcome if !self.from_settings => Action::JustWrite,
            Step::Welcome => Action::Cancelled,
            Step::GetKey if self.from_settings => Action::Cancelled,
            Step::GetKey => self.go(Step::Welcome),
            Step::Paste(_) => self.go(Step::GetKey),
            Step::Validating { .. } => self.update(Message::Cancel),
            Step::Unsure { key, .. } | Step::StoreFailed { key, .. } => {
                let input = key.expose().to_owned();
                self.go(Step::Paste(Paste {
                    input,
                    ..Paste::default()
                }))
            }
            Step::Storing { .. } => Action::None,
        }
    }

    fn submit(&mut self) -> Action {
        let Step::Paste(paste) = &mut self.step else {
            return Action::None;
        };
        match classify::classify(&paste.input) {
            Kind::ApiKey(key) => self.validate(key),
            _ => Action::None,
        }
    }

    fn validate(&mut self, key: ApiKey) -> Action {
        let (task, handle) = Task::perform(
            claude::validate(self.client.clone(), key.clone()),
            Message::Validated,
        )
        .abortable();
        self.step = Step::Validating { key, handle };
        task.into()
    }

    fn store(&mut self, key: ApiKey, check: Check) -> Action {
        self.step = Step::Storing {
            key: key.clone(),
            check,
            waiting: false,
        };
        Task::batch([
            Task::perform(keychain::save(self.backend.clone(), key), Message::Stored),
            Task::perform(keychain::slow(), |()| Message::StoreSlow),
        ])
        .into()
    }

    fn validated(&mut self, validation: Validation) -> Action {
        let Step::Validating { key, .. } = &self.step else {
            return Action::None;
        };
        let key = key.clone();
        match validation {
            Validation::Valid(models) => self.store(
                key,
                Check {
                    models,
                    verified: true,
                    notice: None,
                },
            ),
            Validation::RateLimited(error) => self.store(
                key,
                Check {
                    models: Vec::new(),
                    verified: true,
                    notice: Some(format!(
                        "Your key works, but Anthropic is limiting how often it can be used right now; processing may have to wait a little.{}",
                        error.request_suffix()
                    )),
                },
            ),
            Validation::Rejected(error) => self.refuse(
                key,
                "Anthropic rejected this key.",
                format!(
                    "It may be mistyped, revoked or expired. Check it in the Console, or create a new one.{}",
                    error.request_suffix()
                ),
            ),
            Validation::NoPermission(error) => self.refuse(
                key,
                "This key may not use the API.",
                format!(
                    "Anthropic said: {}. Check the key's workspace and your organization's billing in the Console, or create another key.{}",
                    error.message,
                    error.request_suffix()
                ),
            ),
            validation => {
                self.step = Step::Unsure { key, validation };
                Action::None
            }
        }
    }

    fn refuse(&mut self, key: ApiKey, headline: &str, detail: String) -> Action {
        self.step = Step::Paste(Paste {
            input: key.expose().to_owned(),
            reveal: false,
            refused: Some((headline.to_owned(), detail)),
        });
        operation::focus(KEY_INPUT_ID).into()
    }
}

/// What an unsure check means (headline, detail), and the label of the way
/// on without a check.
fn unsure_message(validation: &Validation) -> (&'static str, String, &'static str) {
    let detail = |what: &str, error: &ApiError| {
        format!("{what} ({}){}", error.message, error.request_suffix())
    };
    match validation {
        Validation::ServiceTrouble(error) => (
            "Anthropic is having trouble right now.",
            detail(
                "This is not about your key: try again in a moment, or keep the key and check it later",
                error,
            ),
            "Keep the key, check later",
        ),
        Validation::Offline(error) => (
            "BrainDump can't reach Anthropic.",
            detail(
                "You may be offline. Keep the key and go on writing; it will be checked when you are back online",
                error,
            ),
            "Keep the key and continue offline",
        ),
        Validation::TimedOut(error) => (
            "Anthropic did not answer in time.",
            detail("Try again, or keep the key and check it later", error),
            "Keep the key, check later",
        ),
        Validation::Unexpected(error) => (
            "Anthropic's answer was not what BrainDump expected.",
            detail(
                "If you set ANTHROPIC_BASE_URL, check it; otherwise try again later",
                error,
            ),
            "Keep the key, check later",
        ),
        _ => ("", String::new(), "Continue"),
    }
}

async fn open_console() -> bool {
    tokio::task::spawn_blocking(|| open::that_detached(claude::CONSOLE_KEYS_URL))
        .await
        .is_ok_and(|result| result.is_ok())
}

#[cfg(test)]
mod tests;
