//! Settings: where notes live, and how BrainDump looks.

use std::path::PathBuf;

use crate::widget::button;
use iced::widget::{checkbox, column, container, radio, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Fill, Task};

use crate::capture::Shortcut;
use crate::dialog;
use crate::key::{KEY_ENV, Source};
use crate::paths::{NOTES_DIR_ENV, Paths};
use crate::settings::{Settings, ThemePreference};
use crate::theme::{self, size, space};
use crate::widget::{Icon, labeled};
use crate::zoom::Zoom;

/// What Settings shows about the API key (never the key itself).
#[derive(Debug, Clone, Default)]
pub struct KeyStatus {
    pub source: Option<Source>,
    /// `sk-ant-api03-…x7QA`
    pub hint: String,
    /// When Anthropic last confirmed it, in words.
    pub checked: Option<String>,
    /// The latest result of Re-check or Remove.
    pub message: Option<String>,
    pub endpoint: String,
}

#[derive(Debug, Default)]
pub struct State {
    picking: bool,
    /// The max-tokens field while it is being edited.
    max_tokens: Option<String>,
    /// The budget field while it is being edited, and whether it reads.
    budget: Option<(String, bool)>,
    /// No folder dialog here: the path being typed instead, and what was
    /// wrong with the last one tried.
    typed_folder: Option<(String, Option<String>)>,
    /// Remove was pressed once; it asks before the key goes.
    confirm_remove: bool,
    /// The quick-capture shortcut while it is being edited, and what was
    /// wrong with the last one tried.
    shortcut: Option<(String, Option<String>)>,
}

/// What came of Choose folder….
#[derive(Debug, Clone)]
pub enum Chosen {
    Folder(PathBuf),
    Cancelled,
    /// This desktop has no dialog to show: the path is typed instead.
    NoDialog,
}

#[derive(Debug, Clone)]
pub enum Message {
    Back,
    ChooseFolder,
    FolderChosen(Chosen),
    TypeFolder(String),
    UseTypedFolder,
    CancelTypedFolder,
    UseDefaultFolder,
    Theme(ThemePreference),
    ReplaceKey,
    RecheckKey,
    RemoveKey,
    ConfirmRemoveKey,
    CancelRemoveKey,
    MaxTokens(String),
    Budget(String),
    Zoom(Zoom),
    ShortcutTyped(String),
    UseShortcut,
    ResetShortcut,
    KeepRunning(bool),
}

pub enum Action {
    None,
    Back,
    Run(Task<Message>),
    SetNotesDir(Option<PathBuf>),
    SetTheme(ThemePreference),
    ReplaceKey,
    RecheckKey,
    RemoveKey,
    /// Bounded by the app to what the chosen model can write.
    SetMaxTokens(u32),
    SetBudget(Option<f64>),
    Zoom(Zoom),
    /// A checked shortcut (`ctrl+alt+space`).
    SetShortcut(String),
    KeepRunning(bool),
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Back => Action::Back,
            Message::ChooseFolder => {
                self.picking = true;
                Action::Run(Task::perform(pick_folder(), Message::FolderChosen))
            }
            Message::FolderChosen(chosen) => {
                self.picking = false;
                match chosen {
                    Chosen::Folder(folder) => Action::SetNotesDir(Some(folder)),
                    Chosen::Cancelled => Action::None,
                    Chosen::NoDialog => {
                        self.typed_folder = Some((String::new(), None));
                        Action::Run(iced::widget::operation::focus(FOLDER_INPUT))
                    }
                }
            }
            Message::TypeFolder(typed) => {
                self.typed_folder = Some((typed, None));
                Action::None
            }
            Message::UseTypedFolder => {
                let Some((typed, problem)) = &mut self.typed_folder else {
                    return Action::None;
                };
                match dialog::typed_path(typed, dialog::home().as_deref()) {
                    Ok(folder) => {
                        self.typed_folder = None;
                        Action::SetNotesDir(Some(folder))
                    }
                    Err(why) => {
                        *problem = Some(why);
                        Action::None
                    }
                }
            }
            Message::CancelTypedFolder => {
                self.typed_folder = None;
                Action::None
            }
            Message::UseDefaultFolder => Action::SetNotesDir(None),
            Message::Theme(preference) => Action::SetTheme(preference),
            Message::ReplaceKey => Action::ReplaceKey,
            Message::RecheckKey => Action::RecheckKey,
            Message::RemoveKey => {
                self.confirm_remove = true;
                Action::None
            }
            Message::ConfirmRemoveKey => {
                self.confirm_remove = false;
                Action::RemoveKey
            }
            Message::CancelRemoveKey => {
                self.confirm_remove = false;
                Action::None
            }
            Message::Zoom(zoom) => Action::Zoom(zoom),
            Message::ShortcutTyped(typed) => {
                self.shortcut = Some((typed, None));
                Action::None
            }
            Message::UseShortcut => {
                let Some((typed, problem)) = &mut self.shortcut else {
                    return Action::None;
                };
                match crate::capture::check(typed) {
                    Ok(shortcut) => {
                        self.shortcut = None;
                        Action::SetShortcut(shortcut)
                    }
                    Err(why) => {
                        *problem = Some(why);
                        Action::None
                    }
                }
            }
            Message::KeepRunning(keep) => Action::KeepRunning(keep),
            Message::ResetShortcut => {
                self.shortcut = None;
                Action::SetShortcut(crate::capture::DEFAULT_SHORTCUT.to_owned())
            }
            Message::MaxTokens(text) => {
                let digits: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
                self.max_tokens = Some(digits.clone());
                match digits.parse::<u32>() {
                    Ok(value) if value >= 1 => Action::SetMaxTokens(value.min(128_000)),
                    _ => Action::None,
                }
            }
            Message::Budget(typed) => {
                let cleaned = budget_number(&typed);
                let read = if cleaned.is_empty() {
                    Some(None)
                } else {
                    cleaned
                        .parse::<f64>()
                        .ok()
                        .filter(|value| value.is_finite() && *value >= 0.0)
                        .map(|value| (value > 0.0).then_some(value))
                };
                self.budget = Some((typed, read.is_some()));
                read.map_or(Action::None, Action::SetBudget)
            }
        }
    }

    pub fn view<'a>(
        &'a self,
        settings: &'a Settings,
        paths: &'a Paths,
        notes_dir: PathBuf,
        key: KeyStatus,
        shortcut: Option<&'a Shortcut>,
        claude: Claude<'a>,
    ) -> Element<'a, Message> {
        let header = row![
            button(crate::widget::icon(Icon::Back))
                .padding(space::S)
                .style(theme::tool_button)
                .on_press(Message::Back),
            text("Settings").size(size::TITLE).font(theme::FONT_BOLD),
        ]
        .spacing(space::S)
        .align_y(Alignment::Center);

        let overridden = paths.notes_dir_override.is_some();
        let folder_actions = if overridden {
            row![
                text(format!(
                    "Set by the {NOTES_DIR_ENV} environment variable; unset it to choose here."
                ))
                .size(size::SMALL)
                .style(theme::muted)
            ]
        } else {
            let mut actions = row![
                labeled(
                    Icon::Folder,
                    if self.picking {
                        "Choosing…"
                    } else {
                        "Choose folder…"
                    }
                )
                .style(theme::secondary)
                .on_press_maybe((!self.picking).then_some(Message::ChooseFolder)),
            ]
            .spacing(space::S);
            if settings.notes_dir.is_some() {
                actions = actions.push(
                    button(text("Use the default folder").size(size::BODY))
                        .padding([space::S, space::M])
                        .style(button::text)
                        .on_press(Message::UseDefaultFolder),
                );
            }
            actions
        };
        let mut folder = column![
            text(notes_dir.display().to_string()).size(size::BODY).font(theme::FONT_BOLD),
            text("Notes are plain Markdown files; any other editor can open them. Unsaved notes move with you when you switch folders.")
                .size(size::SMALL)
                .style(theme::muted),
            text(format!(
                "Deleted notes wait in the Trash (under the list of notes) and are deleted for good {} days after they were deleted.",
                crate::notes::trashed::KEEP_FOR.as_secs() / 86_400
            ))
            .size(size::SMALL)
            .style(theme::muted),
            folder_actions,
        ]
        .spacing(space::S);
        if let Some((typed, problem)) = &self.typed_folder {
            folder = folder.push(typed_folder(typed, problem.as_deref()));
        }
        let folder = section("Notes folder", folder);

        let appearance = section(
            "Appearance",
            column![
                row(ThemePreference::ALL.map(|choice| {
                    crate::widget::focus(
                        radio(
                            choice.to_string(),
                            choice,
                            Some(settings.theme),
                            Message::Theme,
                        )
                        .size(16)
                        .text_size(size::BODY),
                        true,
                    )
                }))
                .spacing(space::XL),
                zoom_row(settings.zoom),
            ]
            .spacing(space::M),
        );

        let max_tokens = self
            .max_tokens
            .clone()
            .unwrap_or_else(|| settings.max_tokens.to_string());
        let replies = section(
            "Replies",
            column![
                row![
                    text("Longest reply, in tokens").size(size::BODY),
                    text_input("4096", &max_tokens)
                        .on_input(Message::MaxTokens)
                        .width(100)
                        .padding(space::S)
                        .size(size::BODY)
                        .style(theme::input),
                ]
                .spacing(space::M)
                .align_y(Alignment::Center),
                text(match claude.reply_limit {
                    Some((model, most)) => format!(
                        "{model} writes at most {} tokens in one reply: a longer limit is sent as that.",
                        crate::prices::thousands(u64::from(most))
                    ),
                    None => "Replies stop at this length; a reply cut short can be continued.".to_owned(),
                })
                .size(size::SMALL)
                .style(theme::muted),
                text(format!(
                    "Used so far: {} tokens sent, {} received.",
                    crate::prices::thousands(settings.tokens_in),
                    crate::prices::thousands(settings.tokens_out)
                ))
                .size(size::SMALL)
                .style(theme::muted),
            ]
            .spacing(space::S),
        );
        let spending = section(
            "Spending",
            self.spending_section(claude.month, settings.monthly_budget),
        );
        let claude = column![
            section("Claude", key_section(key, self.confirm_remove)),
            replies,
            spending
        ]
        .spacing(space::XL);

        let capture = section(
            "Quick capture",
            self.capture_section(&settings.capture_shortcut, shortcut, settings.keep_running),
        );
        let content = column![
            header,
            rule::horizontal(1).style(theme::rule),
            claude,
            capture,
            folder,
            appearance
        ]
        .spacing(space::XL)
        .padding(space::XL)
        .max_width(720);

        scrollable(container(content).center_x(Fill))
            .height(Fill)
            .into()
    }
}

/// A typed amount as a number: "$12.50", "12,50" (a decimal comma), "1,000"
/// (a thousands separator).
fn budget_number(typed: &str) -> String {
    let text = typed.trim().trim_start_matches('$').trim();
    let decimal_comma = !text.contains('.')
        && text.matches(',').count() == 1
        && text
            .rsplit_once(',')
            .is_some_and(|(_, cents)| (1..=2).contains(&cents.len()));
    if decimal_comma {
        text.replace(',', ".")
    } else {
        text.replace(',', "")
    }
}

/// What Settings shows of Claude's use, from the processing panel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Claude<'a> {
    /// This month's spending in this notes folder, once read.
    pub month: Option<&'a crate::spending::Month>,
    /// The chosen model's name and the most it writes in one reply.
    pub reply_limit: Option<(&'a str, u32)>,
}

impl State {
    /// This month's tokens and estimated cost by model, and the budget.
    fn spending_section<'a>(
        &'a self,
        month: Option<&'a crate::spending::Month>,
        budget: Option<f64>,
    ) -> Element<'a, Message> {
        use crate::prices;
        let mut body = column![].spacing(space::S);
        match month {
            None => {
                body = body.push(
                    text("Reading this month's replies…")
                        .size(size::SMALL)
                        .style(theme::muted),
                )
            }
            Some(month) if month.by_model.is_empty() => {
                body = body.push(
                    text("Nothing sent to Claude this month.")
                        .size(size::SMALL)
                        .style(theme::muted),
                );
            }
            Some(month) => {
                for (model, tokens) in &month.by_model {
                    let name =
                        prices::price(model).map_or(model.as_str(), |price| price.name.as_str());
                    let cost = prices::cost(model, *tokens)
                        .map_or_else(|| "no price known".to_owned(), prices::about);
                    let cached = if tokens.cache_read + tokens.cache_write > 0 {
                        format!(
                            " ({} of them from the cache)",
                            prices::thousands(tokens.cache_read)
                        )
                    } else {
                        String::new()
                    };
                    body = body.push(
                        text(format!(
                            "{name}: {} in{cached} · {} out · {cost}",
                            prices::thousands(tokens.all_input()),
                            prices::thousands(tokens.output),
                        ))
                        .size(size::SMALL),
                    );
                }
                let (total, unpriced) = month.cost();
                let unpriced = if unpriced {
                    ", without the models that have no price here"
                } else {
                    ""
                };
                body = body.push(
                    text(format!("This month: {}{unpriced}.", prices::about(total)))
                        .size(size::BODY)
                        .font(theme::FONT_BOLD),
                );
            }
        }
        let (typed, reads) = self.budget.clone().unwrap_or_else(|| {
            (
                budget
                    .map(|budget| format!("{budget:.2}"))
                    .unwrap_or_default(),
                true,
            )
        });
        body = body.push(
            row![
                text("Monthly budget, in dollars").size(size::BODY),
                text_input("none", &typed)
                    .on_input(Message::Budget)
                    .width(100)
                    .padding(space::S)
                    .size(size::BODY)
                    .style(theme::input),
            ]
            .spacing(space::M)
            .align_y(Alignment::Center),
        );
        if !reads {
            body = body.push(
                text("Type an amount such as 10 or 12.50, or leave it empty for no budget.")
                    .size(size::SMALL)
                    .style(theme::danger_text),
            );
        }
        body = body.push(
            text(format!(
                "At 80 % of the budget BrainDump says so; at 100 % Process asks before sending. Estimates from Anthropic's prices of {} (the README lists them); what you are billed is in the Claude Console.",
                prices::table().as_of
            ))
            .size(size::SMALL)
            .style(theme::muted),
        );
        body.into()
    }

    /// The shortcut, whether it is held, a field to change it, and the
    /// command to bind where no program can hold one.
    fn capture_section<'a>(
        &'a self,
        current: &'a str,
        status: Option<&'a Shortcut>,
        keep_running: bool,
    ) -> Element<'a, Message> {
        let shown = crate::capture::display(current);
        let state = match status {
            Some(Shortcut::Held) => format!(
                "Press {shown} anywhere to jot a thought down in a small window; it is saved as a new note."
            ),
            Some(Shortcut::Failed(why)) => format!(
                "{shown} is not available: {why}. Bind the command below to a key in your desktop's keyboard settings instead."
            ),
            _ => format!("{shown} opens a small window to jot a thought down from anywhere."),
        };
        let (typed, problem) = self
            .shortcut
            .as_ref()
            .map_or((shown.clone(), None), |(typed, problem)| {
                (typed.clone(), problem.clone())
            });
        let mut body = column![
            text(state).size(size::BODY),
            row![
                text_input("Ctrl+Alt+Space", &typed)
                    .on_input(Message::ShortcutTyped)
                    .on_submit(Message::UseShortcut)
                    .width(200)
                    .padding(space::S)
                    .size(size::BODY)
                    .style(theme::input),
                button(text("Use this shortcut").size(size::BODY))
                    .padding([space::S, space::M])
                    .style(theme::secondary)
                    .on_press(Message::UseShortcut),
                button(text("Default").size(size::BODY))
                    .padding([space::S, space::M])
                    .style(button::text)
                    .on_press_maybe(
                        (current != crate::capture::DEFAULT_SHORTCUT)
                            .then_some(Message::ResetShortcut)
                    ),
            ]
            .spacing(space::S)
            .align_y(Alignment::Center),
        ]
        .spacing(space::S);
        if let Some(problem) = problem {
            body = body.push(text(problem).size(size::SMALL).style(theme::danger_text));
        }
        body = body.push(crate::widget::focus(
            checkbox(keep_running)
                .label("Keep running when the window is closed, so the shortcut still works (Ctrl+Q quits)")
                .on_toggle(Message::KeepRunning)
                .size(16)
                .text_size(size::BODY),
            true,
        ));
        body = body.push(
            text(format!(
                "Where no shortcut can be held (a Wayland desktop without the global-shortcuts portal), your desktop's keyboard settings can run: {}",
                crate::capture::COMMAND
            ))
            .size(size::SMALL)
            .style(theme::muted),
        );
        body.into()
    }
}

/// The interface's size, with the keys that change it anywhere.
fn zoom_row<'a>(zoom: f32) -> Element<'a, Message> {
    let step = |label: &'a str, change: Zoom, enabled: bool| {
        button(text(label).size(size::BODY))
            .padding([space::XS, space::M])
            .style(theme::secondary)
            .on_press_maybe(enabled.then_some(Message::Zoom(change)))
    };
    row![
        text("Size").size(size::BODY),
        step("−", Zoom::Out, zoom > crate::zoom::STEPS[0]),
        text(crate::zoom::percent(zoom))
            .size(size::BODY)
            .width(56)
            .center(),
        step(
            "+",
            Zoom::In,
            zoom < crate::zoom::STEPS[crate::zoom::STEPS.len() - 1]
        ),
        step("Reset", Zoom::Reset, (zoom - 1.0).abs() > f32::EPSILON),
        text("Ctrl+=, Ctrl+- and Ctrl+0 anywhere")
            .size(size::SMALL)
            .style(theme::muted),
    ]
    .spacing(space::S)
    .align_y(Alignment::Center)
    .into()
}

/// The folder's path typed by hand, where no dialog can be shown.
fn typed_folder<'a>(typed: &'a str, problem: Option<&'a str>) -> Element<'a, Message> {
    let mut body = column![
        text("No folder dialog is available on this desktop (it needs xdg-desktop-portal or zenity): type the folder's path. A folder that does not exist yet is created.")
            .size(size::SMALL),
        row![
            text_input("~/Notes", typed)
                .id(FOLDER_INPUT)
                .on_input(Message::TypeFolder)
                .on_submit(Message::UseTypedFolder)
                .padding(space::S)
                .size(size::BODY)
                .style(theme::input),
            button(text("Use this folder").size(size::BODY))
                .padding([space::S, space::M])
                .style(theme::primary)
                .on_press(Message::UseTypedFolder),
            button(text("Cancel").size(size::BODY))
                .padding([space::S, space::M])
                .style(button::text)
                .on_press(Message::CancelTypedFolder),
        ]
        .spacing(space::S)
        .align_y(Alignment::Center),
    ]
    .spacing(space::S);
    if let Some(problem) = problem {
        body = body.push(text(problem).size(size::SMALL).style(theme::danger_text));
    }
    container(body)
        .padding(space::S)
        .style(|theme| theme::notice(theme, false))
        .into()
}

fn key_section<'a>(key: KeyStatus, confirm_remove: bool) -> Element<'a, Message> {
    let small = |words: String| text(words).size(size::SMALL).style(theme::muted);
    let mut body = column![].spacing(space::S);
    let action = |label: &'a str, message: Option<Message>| {
        button(text(label).size(size::BODY))
            .padding([space::S, space::M])
            .style(theme::secondary)
            .on_press_maybe(message)
    };
    match key.source {
        None => {
            body = body.push(
                text("No API key yet. Set one up to let Claude process your notes.")
                    .size(size::BODY),
            );
            body = body.push(row![
                labeled(Icon::Key, "Set up Claude")
                    .style(theme::primary)
                    .on_press(Message::ReplaceKey)
            ]);
        }
        Some(source) => {
            body = body
                .push(text(format!("Using the key {} from {source}.", key.hint)).size(size::BODY));
            body = body.push(small(match &key.checked {
                Some(when) => format!("Last confirmed by Anthropic: {when}."),
                None => "Not confirmed by Anthropic yet.".to_owned(),
            }));
            let from_env = source == Source::Environment;
            if from_env {
                body = body.push(small(format!(
                    "Set by the {KEY_ENV} environment variable, which wins over the keychain; unset it to replace or remove the key here."
                )));
            }
            body = body.push(
                row![
                    action("Replace…", (!from_env).then_some(Message::ReplaceKey)),
                    action("Re-check", Some(Message::RecheckKey)),
                    action("Remove", (!from_env).then_some(Message::RemoveKey)),
                ]
                .spacing(space::S),
            );
            if confirm_remove && !from_env {
                body = body.push(confirm_removal(source));
            }
        }
    }
    if let Some(message) = key.message {
        body = body.push(text(message).size(size::BODY));
    }
    body = body.push(small(format!(
        "Endpoint: {}. Keys are kept in the system keychain, never in a file.",
        key.endpoint
    )));
    body.into()
}

/// Remove asks first: what goes, and what does not.
fn confirm_removal<'a>(source: Source) -> Element<'a, Message> {
    let words = if source == Source::Session {
        "Forget this key? BrainDump will ask for one again before it can send notes to Claude."
    } else {
        "Remove this key from the keychain? BrainDump will ask for one again before it can send notes to Claude. The key itself stays valid: if it may have leaked, revoke it in the Claude Console."
    };
    container(
        column![
            text(words).size(size::BODY),
            row![
                button(text("Remove the key").size(size::BODY))
                    .padding([space::S, space::M])
                    .style(theme::danger)
                    .on_press(Message::ConfirmRemoveKey),
                button(text("Keep it").size(size::BODY))
                    .padding([space::S, space::M])
                    .style(theme::secondary)
                    .on_press(Message::CancelRemoveKey),
            ]
            .spacing(space::S),
        ]
        .spacing(space::S),
    )
    .padding(space::S)
    .style(|theme| theme::notice(theme, true))
    .into()
}

fn section<'a>(title: &'a str, body: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    column![
        text(title).size(size::BODY).font(theme::FONT_BOLD),
        body.into()
    ]
    .spacing(space::S)
    .into()
}

/// The typed-path field, focused when it appears.
const FOLDER_INPUT: &str = "settings-folder-path";

async fn pick_folder() -> Chosen {
    if !dialog::available().await {
        return Chosen::NoDialog;
    }
    rfd::AsyncFileDialog::new()
        .set_title("Choose the folder for your notes")
        .pick_folder()
        .await
        .map_or(Chosen::Cancelled, |handle| {
            Chosen::Folder(handle.path().to_path_buf())
        })
}

#[cfg(test)]
mod tests;
