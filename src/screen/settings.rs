//! Settings: where notes live, and how BrainDump looks.

use std::path::PathBuf;

use iced::widget::{button, column, container, radio, row, rule, scrollable, text, text_input};
use iced::{Alignment, Element, Fill, Task};

use crate::key::{KEY_ENV, Source};
use crate::paths::{NOTES_DIR_ENV, Paths};
use crate::settings::{Settings, ThemePreference};
use crate::theme::{self, size, space};
use crate::widget::{Icon, labeled};

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
}

#[derive(Debug, Clone)]
pub enum Message {
    Back,
    ChooseFolder,
    FolderChosen(Option<PathBuf>),
    UseDefaultFolder,
    Theme(ThemePreference),
    ReplaceKey,
    RecheckKey,
    RemoveKey,
    MaxTokens(String),
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
    SetMaxTokens(u32),
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Back => Action::Back,
            Message::ChooseFolder => {
                self.picking = true;
                Action::Run(Task::perform(pick_folder(), Message::FolderChosen))
            }
            Message::FolderChosen(folder) => {
                self.picking = false;
                folder.map_or(Action::None, |folder| Action::SetNotesDir(Some(folder)))
            }
            Message::UseDefaultFolder => Action::SetNotesDir(None),
            Message::Theme(preference) => Action::SetTheme(preference),
            Message::ReplaceKey => Action::ReplaceKey,
            Message::RecheckKey => Action::RecheckKey,
            Message::RemoveKey => Action::RemoveKey,
            Message::MaxTokens(text) => {
                let digits: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
                self.max_tokens = Some(digits.clone());
                match digits.parse::<u32>() {
                    Ok(value) if value >= 1 => Action::SetMaxTokens(value.min(128_000)),
                    _ => Action::None,
                }
            }
        }
    }

    pub fn view<'a>(
        &'a self,
        settings: &'a Settings,
        paths: &'a Paths,
        notes_dir: PathBuf,
        key: KeyStatus,
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
        let folder = section(
            "Notes folder",
            column![
                text(notes_dir.display().to_string()).size(size::BODY).font(theme::FONT_BOLD),
                text("Notes are plain Markdown files; any other editor can open them. Unsaved notes move with you when you switch folders.")
                    .size(size::SMALL)
                    .style(theme::muted),
                folder_actions,
            ]
            .spacing(space::S),
        );

        let appearance = section(
            "Appearance",
            row(ThemePreference::ALL.map(|choice| {
                radio(
                    choice.to_string(),
                    choice,
                    Some(settings.theme),
                    Message::Theme,
                )
                .size(16)
                .text_size(size::BODY)
                .into()
            }))
            .spacing(space::XL),
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
                text(format!(
                    "Used so far: {} tokens sent, {} received.",
                    settings.tokens_in, settings.tokens_out
                ))
                .size(size::SMALL)
                .style(theme::muted),
            ]
            .spacing(space::S),
        );
        let claude = column![section("Claude", key_section(key)), replies].spacing(space::XL);

        let content = column![
            header,
            rule::horizontal(1).style(theme::rule),
            claude,
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

fn key_section<'a>(key: KeyStatus) -> Element<'a, Message> {
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
                    .style(button::primary)
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

fn section<'a>(title: &'a str, body: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    column![
        text(title).size(size::BODY).font(theme::FONT_BOLD),
        body.into()
    ]
    .spacing(space::S)
    .into()
}

async fn pick_folder() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title("Choose the folder for your notes")
        .pick_folder()
        .await
        .map(|handle| handle.path().to_path_buf())
}
