//! Conflict copies: marked in the list, and compared with the note they
//! are a copy of, side by side; keep one (the other goes to the trash,
//! where Undo and the Trash view can still bring it back) or both.

use std::time::Instant;

use crate::widget::button;
use iced::widget::{column, container, row, scrollable, space, text};
use iced::{Alignment, Element, Fill, Task};

use super::{EDITOR_ID, Message, Workspace};
use crate::notes::{NoteId, conflict, history, undo};
use crate::theme::{self, size, space as sp};
use crate::widget::{Icon, icon, tool};

/// What the Compare view shows.
#[derive(Debug)]
pub struct View {
    copy: NoteId,
    original: NoteId,
    /// The original's text, read from its file (`None` while it is read).
    original_text: Option<Result<String, String>>,
}

impl Workspace {
    /// The note `id` is a conflict copy of, if that note is listed.
    pub fn conflict_original(&self, id: &NoteId) -> Option<&super::Note> {
        let original = conflict::original_of(id)?;
        self.note(&original)
    }

    /// Opens the Compare view for the open note, a conflict copy.
    pub(super) fn compare(&mut self) -> Task<Message> {
        let Some(copy) = self.selected.clone() else {
            return Task::none();
        };
        let Some(original) = self.conflict_original(&copy).map(|note| note.id.clone()) else {
            return Task::none();
        };
        self.history = None;
        self.trash_view = None;
        self.comparing = Some(View {
            copy,
            original: original.clone(),
            original_text: None,
        });
        let dir = self.dir.clone();
        Task::perform(
            async move {
                let path = dir.join(original.as_str());
                tokio::task::spawn_blocking(move || {
                    std::fs::read(&path)
                        .map_err(|error| error.to_string())
                        .and_then(|bytes| {
                            String::from_utf8(bytes).map_err(|error| error.to_string())
                        })
                })
                .await
                .unwrap_or_else(|error| Err(error.to_string()))
            },
            Message::OriginalRead,
        )
    }

    pub(super) fn original_read(&mut self, result: Result<String, String>) {
        if let Some(view) = &mut self.comparing {
            view.original_text = Some(result);
        }
    }

    /// Keeps the note the copy was made of: the copy goes to the trash.
    pub(super) fn keep_original(&mut self) -> Task<Message> {
        let Some(view) = self.comparing.take() else {
            return Task::none();
        };
        let trash = self.delete_note(view.copy);
        Task::batch([trash, self.select(view.original, true)])
    }

    /// Keeps the copy's text: it becomes the note's (one undoable edit,
    /// the note's own text kept in its history), and the copy goes to the
    /// trash.
    pub(super) fn keep_copy(&mut self) -> Task<Message> {
        let Some(view) = self.comparing.take() else {
            return Task::none();
        };
        let Some(text) = self
            .note(&view.copy)
            .and_then(|note| note.text())
            .map(str::to_owned)
        else {
            return Task::none();
        };
        let trash = self.delete_note(view.copy);
        self.pending_replace = Some((view.original.clone(), text));
        let select = self.select(view.original, true);
        let now = self.apply_pending_replace();
        Task::batch([trash, select, now])
    }

    /// Puts a kept copy's text into its note once the note's text is there
    /// (at once, or when its file has been read).
    pub(super) fn apply_pending_replace(&mut self) -> Task<Message> {
        let Some((id, _)) = &self.pending_replace else {
            return Task::none();
        };
        if self.selected.as_ref() != Some(id) || self.is_reading() {
            return Task::none();
        }
        let Some((id, replacement)) = self.pending_replace.take() else {
            return Task::none();
        };
        let Some(note) = self.notes.iter_mut().find(|note| note.id == id) else {
            return Task::none();
        };
        let Some(current) = note.text().map(str::to_owned) else {
            return Task::none();
        };
        let now = Instant::now();
        let history = self.histories.entry(id.clone()).or_default();
        history.close_group();
        history.record(&current, &replacement, undo::Kind::Other, now);
        history.close_group();
        note.edit(replacement.clone(), now);
        self.show_text(&replacement);
        self.refresh_list();
        let keep = Task::perform(
            history::keep_async(self.dir.clone(), id, current),
            Message::VersionKept,
        );
        Task::batch([keep, iced::widget::operation::focus(EDITOR_ID)])
    }

    /// Above the editor of a conflict copy: what it is, and Compare.
    pub(super) fn conflict_banner(&self) -> Option<Element<'_, Message>> {
        let copy = self.selected()?;
        let original = self.conflict_original(&copy.id)?;
        Some(
            container(
                row![
                    icon(Icon::Alert),
                    text(format!(
                        "This is a copy kept when “{}” changed in two places.",
                        title(original)
                    ))
                    .size(size::BODY)
                    .width(Fill),
                    button(text("Compare and keep one…").size(size::BODY))
                        .padding([sp::XS, sp::M])
                        .style(theme::secondary)
                        .on_press(Message::Compare),
                ]
                .spacing(sp::S)
                .align_y(Alignment::Center),
            )
            .padding(sp::S)
            .style(|theme| theme::notice(theme, false))
            .into(),
        )
    }

    pub(super) fn compare_view(&self) -> Option<Element<'_, Message>> {
        let view = self.comparing.as_ref()?;
        let copy = self.note(&view.copy)?;
        let original = self.note(&view.original)?;
        let header = row![
            text(format!("Two versions of “{}”", title(original)))
                .size(size::TITLE)
                .font(theme::FONT_BOLD),
            space().width(Fill),
            button(text("Keep both").size(size::BODY))
                .padding([sp::XS, sp::M])
                .style(theme::secondary)
                .on_press(Message::CloseCompare),
            tool(Icon::Close, "Close  (Esc)", Some(Message::CloseCompare)),
        ]
        .spacing(sp::S)
        .align_y(Alignment::Center);
        let original_text: Element<'_, Message> = match &view.original_text {
            None => text("Reading…").size(size::BODY).style(theme::muted).into(),
            Some(Err(problem)) => text(format!("It could not be read: {problem}."))
                .size(size::BODY)
                .style(theme::danger_text)
                .into(),
            Some(Ok(words)) => text(words.as_str()).size(size::BODY).into(),
        };
        let copy_text = text(copy.text().unwrap_or("")).size(size::BODY);
        let when = |note: &super::Note| crate::time::relative(note.modified, &self.now);
        let original_side = side(
            format!("The note, changed {}", when(original)),
            original_text,
            Message::KeepOriginal,
        );
        let copy_side = side(
            format!("The copy, changed {}", when(copy)),
            copy_text.into(),
            Message::KeepCopy,
        );
        Some(
            column![
                header,
                text("Keep one: the other goes to the trash, from where it can still be restored.")
                    .size(size::SMALL)
                    .style(theme::muted),
                row![original_side, copy_side].spacing(sp::M).height(Fill),
            ]
            .spacing(sp::S)
            .height(Fill)
            .into(),
        )
    }
}

fn title(note: &super::Note) -> &str {
    if note.title.trim().is_empty() {
        note.id.as_str()
    } else {
        &note.title
    }
}

/// One of the two versions: what it is, its text, and Keep.
fn side<'a>(label: String, body: Element<'a, Message>, keep: Message) -> Element<'a, Message> {
    column![
        text(label).size(size::SMALL).style(theme::muted),
        container(scrollable(container(body).padding(sp::S).width(Fill)).height(Fill))
            .style(theme::sidebar)
            .height(Fill),
        button(text("Keep this one").size(size::BODY))
            .padding([sp::XS, sp::M])
            .style(theme::primary)
            .on_press(keep),
    ]
    .spacing(sp::S)
    .width(Fill)
    .into()
}

/// Marked in the list: "Conflict copy of “Plan”".
pub(super) fn copy_words(original: &super::Note) -> String {
    format!("Conflict copy of “{}”", title(original))
}
