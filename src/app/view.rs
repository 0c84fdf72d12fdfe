//! How the app looks: the screen in front, with banners above it.

use crate::widget::button;
use iced::widget::{center, column, container, row, text};
use iced::{Alignment, Element, Fill};

use super::{App, Message, Screen};
use crate::screen::settings as settings_screen;
use crate::screen::workspace;
use crate::theme::{self, size, space};
use crate::widget::{Icon, icon};

impl App {
    pub fn view(&self) -> Element<'_, Message> {
        let generation = self.generation;
        let claude = match &self.key {
            _ if self.processing.queued() > 0 => {
                workspace::Claude::Offline(self.processing.queued())
            }
            None => workspace::Claude::NotSetUp,
            Some(key) if key.verified => workspace::Claude::Ready,
            Some(_) => workspace::Claude::Unchecked,
        };
        let (_, claude_width) = super::geometry::fit(self.settings.panes, self.window_size.width);
        let content: Element<'_, Message> = match (&self.screen, &self.settings_screen) {
            _ if self.onboarding.is_some() => self
                .onboarding
                .as_ref()
                .map(|onboarding| onboarding.view().map(Message::Onboarding))
                .expect("checked"),
            (_, Some(screen)) => screen
                .view(
                    &self.settings,
                    &self.paths,
                    self.notes_dir(),
                    self.key_status(),
                    self.shortcut.as_ref(),
                    settings_screen::Claude {
                        month: self.processing.month(),
                        reply_limit: self
                            .processing
                            .chosen_model()
                            .and_then(|model| Some((model.name(), model.max_tokens?))),
                    },
                )
                .map(Message::Settings),
            (Screen::Workspace(workspace), None) => row![
                workspace
                    .view(claude)
                    .map(move |message| Message::Workspace(generation, message)),
                crate::widget::divider(Message::StartDrag(super::geometry::Pane::Claude)),
                self.processing
                    .view(
                        &self.theme(),
                        workspace
                            .selected()
                            .is_some_and(|note| note.as_text().is_some()),
                        workspace.now(),
                        claude_width,
                    )
                    .map(Message::Processing),
            ]
            .into(),
            (Screen::Loading, None) => center(
                text("Opening your notes…")
                    .size(size::BODY)
                    .style(theme::muted),
            )
            .into(),
        };
        // Banners come and go in a column of their own, so the screen below
        // keeps its place in the widget tree (and its state: scroll
        // positions, a long reply's laid-out text) when one appears.
        let mut banners = column![];
        if let Some(problem) = &self.problem {
            let retry = self.keychain_failed.then(|| {
                button(text("Try again").size(size::BODY))
                    .style(theme::secondary)
                    .on_press(Message::ReloadKey)
                    .into()
            });
            banners = banners.push(banner(problem, true, retry, true));
        } else if self.keychain_waiting {
            banners = banners.push(banner(
                "Waiting for the system keychain to hand over your API key. It may be locked: if it asks for your password, enter it there. You can write meanwhile.",
                false,
                None,
                true,
            ));
        } else if let Some(notice) = &self.notice {
            banners = banners.push(banner(notice, false, None, true));
        }
        if let Some(path) = &self.import_offer {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let folder = path
                .parent()
                .map(|folder| folder.display().to_string())
                .unwrap_or_default();
            banners = banners.push(banner(
                &format!(
                    "{name} (in {folder}) is not in your notes folder. Import a copy of it as a new note? The file itself stays where it is."
                ),
                false,
                Some(
                    row![
                        button(text("Import a copy").size(size::BODY))
                            .style(theme::primary)
                            .on_press(Message::Import),
                        button(text("Cancel").size(size::BODY))
                            .style(theme::secondary)
                            .on_press(Message::CancelImport),
                    ]
                    .spacing(space::S)
                    .into(),
                ),
                false,
            ));
        }
        if let Some(workspace) = self.workspace().filter(|workspace| workspace.is_quitting())
            && let Some(error) = workspace.save_failure()
        {
            banners = banners.push(banner(
                &format!("BrainDump could not save before closing: {error}."),
                true,
                Some(
                    row![
                        button(text("Keep BrainDump open").size(size::BODY))
                            .style(theme::secondary)
                            .on_press(Message::KeepOpen),
                        button(text("Quit without saving").size(size::BODY))
                            .style(theme::danger)
                            .on_press(Message::QuitAnyway),
                    ]
                    .spacing(space::S)
                    .into(),
                ),
                false,
            ));
        }
        column![banners, content].into()
    }
}

/// A line across the top: a message, its actions, and a close button when
/// it may be `dismissed`.
fn banner<'a>(
    message: &str,
    danger: bool,
    actions: Option<Element<'a, Message>>,
    dismissed: bool,
) -> Element<'a, Message> {
    let glyph = if danger { Icon::Alert } else { Icon::Info };
    let mut content = row![
        icon(glyph),
        text(message.to_owned()).size(size::BODY).width(Fill)
    ]
    .spacing(space::S)
    .align_y(Alignment::Center);
    if let Some(actions) = actions {
        content = content.push(actions);
    }
    if dismissed {
        content = content.push(
            button(icon(Icon::Close))
                .padding(space::XS)
                .style(theme::tool_button)
                .on_press(Message::DismissNotice),
        );
    }
    container(content)
        .padding(space::S)
        .width(Fill)
        .style(move |theme| theme::notice(theme, danger))
        .into()
}
