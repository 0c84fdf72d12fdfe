//! The Trash view: the notes in the trash with when each was deleted; put
//! one back, delete one for good, or empty the trash (both ask first).
//! Notes deleted more than 30 days ago go by themselves when the folder is
//! opened (`notes::trashed::KEEP_FOR`).

use crate::widget::button;
use iced::widget::{column, container, row, scrollable, space, text};
use iced::{Alignment, Element, Fill, Task};

use super::{Message, Notice, Workspace};
use crate::notes::trashed::{self, Entry};
use crate::notes::{self, Trashed};
use crate::theme::{self, size, space as sp};
use crate::widget::{Icon, icon, labeled, tool};

/// What the Trash view shows.
#[derive(Debug, Default)]
pub struct View {
    /// `None` while the trash is listed.
    entries: Option<Result<Vec<Entry>, String>>,
    /// A question waiting for the user's word.
    asking: Option<Ask>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ask {
    /// Delete this one (its file name in the trash) for good?
    One(String),
    /// Empty the trash?
    All,
}

impl Workspace {
    /// Opens (or closes) the Trash view.
    pub(super) fn toggle_trash(&mut self) -> Task<Message> {
        if self.trash_view.take().is_some() {
            return Task::none();
        }
        self.history = None;
        self.trash_view = Some(View::default());
        self.list_trash()
    }

    pub fn is_trash_open(&self) -> bool {
        self.trash_view.is_some()
    }

    pub(super) fn list_trash(&self) -> Task<Message> {
        if self.trash_view.is_none() {
            return Task::none();
        }
        Task::perform(trashed::list_async(self.dir.clone()), Message::TrashListed)
    }

    pub(super) fn trash_listed(&mut self, result: Result<Vec<Entry>, String>) {
        if let Some(view) = &mut self.trash_view {
            view.entries = Some(result);
        }
    }

    /// The title of the note listed in the Trash view as `name`.
    pub(super) fn trashed_title(&self, name: &str) -> Option<String> {
        self.entry(name).map(|entry| entry.title.clone())
    }

    fn entry(&self, name: &str) -> Option<&Entry> {
        match &self.trash_view.as_ref()?.entries {
            Some(Ok(entries)) => entries
                .iter()
                .find(|entry| entry.trashed.file_name() == name),
            _ => None,
        }
    }

    /// Puts a trashed note back in the notes folder (under a free name if
    /// its own was taken meanwhile).
    pub(super) fn restore_trashed(&mut self, name: String) -> Task<Message> {
        let Some(entry) = self.entry(&name) else {
            return Task::none();
        };
        let trashed = Trashed {
            id: entry.trashed.id.clone(),
            path: entry.trashed.path.clone(),
        };
        Task::perform(notes::restore(self.dir.clone(), trashed), move |result| {
            Message::Restored(name.clone(), result)
        })
    }

    pub(super) fn ask_delete_forever(&mut self, name: Option<String>) {
        if let Some(view) = &mut self.trash_view {
            view.asking = Some(name.map_or(Ask::All, Ask::One));
        }
    }

    pub(super) fn cancel_trash_question(&mut self) {
        if let Some(view) = &mut self.trash_view {
            view.asking = None;
        }
    }

    /// The user said yes: one note, or the whole trash, goes for good.
    pub(super) fn delete_forever(&mut self) -> Task<Message> {
        let Some(asking) = self.trash_view.as_mut().and_then(|view| view.asking.take()) else {
            return Task::none();
        };
        match asking {
            Ask::One(name) => {
                let Some(entry) = self.entry(&name) else {
                    return Task::none();
                };
                Task::perform(
                    trashed::delete_forever_async(self.dir.clone(), entry.trashed.clone()),
                    move |result| Message::TrashChanged(result.map(|()| vec![name.clone()])),
                )
            }
            Ask::All => Task::perform(
                trashed::purge_async(self.dir.clone(), std::time::Duration::ZERO),
                Message::TrashChanged,
            ),
        }
    }

    /// Notes left the trash for good (their file names there), or could
    /// not.
    pub(super) fn trash_changed(&mut self, result: &Result<Vec<String>, String>) -> Task<Message> {
        if let Err(problem) = result {
            self.notice = Some(Notice {
                text: format!(
                    "Not deleted for good: {problem}. What could not be deleted is still in the trash."
                ),
                danger: true,
            });
        }
        self.list_trash()
    }

    pub(super) fn trash_view(&self) -> Option<Element<'_, Message>> {
        let view = self.trash_view.as_ref()?;
        let has_entries = matches!(&view.entries, Some(Ok(entries)) if !entries.is_empty());
        let header = row![
            icon(Icon::Trash),
            text("Trash").size(size::TITLE).font(theme::FONT_BOLD),
            space().width(Fill),
            button(text("Empty trash…").size(size::BODY))
                .padding([sp::XS, sp::M])
                .style(theme::secondary)
                .on_press_maybe(has_entries.then_some(Message::AskEmptyTrash)),
            tool(
                Icon::Close,
                "Close the trash  (Esc)",
                Some(Message::ToggleTrash)
            ),
        ]
        .spacing(sp::S)
        .align_y(Alignment::Center);

        let mut body = column![header].spacing(sp::M).height(Fill);
        if view.asking == Some(Ask::All) {
            body = body.push(question(
                "Empty the trash? Every note in it is deleted for good, with its replies and its history. This cannot be undone.".to_owned(),
                "Empty trash",
            ));
        }
        let list: Element<'_, Message> = match &view.entries {
            None => muted("Looking…".to_owned()),
            Some(Err(problem)) => muted(format!("The trash could not be read: {problem}.")),
            Some(Ok(entries)) if entries.is_empty() => muted(
                "The trash is empty. Deleted notes wait here for 30 days before they are deleted for good."
                    .to_owned(),
            ),
            Some(Ok(entries)) => scrollable(
                column(entries.iter().map(|entry| self.trash_row(entry, view.asking.as_ref())))
                    .spacing(sp::S),
            )
            .height(Fill)
            .into(),
        };
        body = body.push(list);
        body = body.push(
            text(format!(
                "Notes in the trash are deleted for good {} days after they were deleted. They are files in the .trash folder inside your notes folder.",
                trashed::KEEP_FOR.as_secs() / 86_400
            ))
            .size(size::SMALL)
            .style(theme::muted),
        );
        Some(container(body).padding([sp::S, 0.0]).height(Fill).into())
    }

    fn trash_row<'a>(&'a self, entry: &'a Entry, asking: Option<&Ask>) -> Element<'a, Message> {
        let name = entry.trashed.file_name().to_owned();
        let title = if entry.title.trim().is_empty() {
            "Untitled note"
        } else {
            entry.title.as_str()
        };
        let when = crate::time::relative(entry.deleted, &self.now);
        let row = row![
            column![
                text(title).size(size::BODY).font(theme::FONT_BOLD),
                text(format!("Deleted {when} · {name}"))
                    .size(size::SMALL)
                    .style(theme::muted),
            ]
            .spacing(2)
            .width(Fill),
            labeled(Icon::Undo, "Restore")
                .style(theme::secondary)
                .on_press(Message::RestoreTrashed(name.clone())),
            button(text("Delete forever…").size(size::BODY))
                .padding([sp::XS, sp::M])
                .style(button::text)
                .on_press(Message::AskDeleteForever(name.clone())),
        ]
        .spacing(sp::S)
        .align_y(Alignment::Center);
        let mut item = column![row].spacing(sp::S);
        if asking == Some(&Ask::One(name)) {
            item = item.push(question(
                format!("Delete “{title}” for good, with its replies and its history? This cannot be undone."),
                "Delete forever",
            ));
        }
        container(item)
            .padding(sp::S)
            .width(Fill)
            .style(theme::sidebar)
            .into()
    }
}

fn muted<'a>(words: String) -> Element<'a, Message> {
    text(words).size(size::BODY).style(theme::muted).into()
}

fn question<'a>(words: String, yes: &'a str) -> Element<'a, Message> {
    container(
        column![
            text(words).size(size::BODY),
            row![
                button(text(yes).size(size::BODY))
                    .padding([sp::XS, sp::M])
                    .style(theme::danger)
                    .on_press(Message::ConfirmDeleteForever),
                button(text("Cancel").size(size::BODY))
                    .padding([sp::XS, sp::M])
                    .style(theme::secondary)
                    .on_press(Message::CancelTrashQuestion),
            ]
            .spacing(sp::S),
        ]
        .spacing(sp::S),
    )
    .padding(sp::S)
    .width(Fill)
    .style(|theme| theme::notice(theme, true))
    .into()
}
