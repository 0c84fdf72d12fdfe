//! The History view: a note's earlier versions (see `notes::history`),
//! listed with time and size; one shown; Restore puts it back in the
//! editor as one undoable edit, after keeping the text it replaces.

use std::path::PathBuf;
use std::time::Instant;

use crate::widget::button;
use iced::widget::{column, container, row, scrollable, space, text};
use iced::{Alignment, Element, Fill, Task};

use super::{EDITOR_ID, Message, Workspace};
use crate::notes::history::{self, Version};
use crate::notes::{NoteId, undo};
use crate::theme::{self, size, space as sp};
use crate::widget::{Icon, icon, labeled, tool};

/// What the History view shows.
#[derive(Debug)]
pub struct View {
    note: NoteId,
    /// `None` while the folder is listed.
    versions: Option<Result<Vec<Version>, String>>,
    shown: Option<usize>,
    /// The shown version's text, once read.
    text: Option<Result<String, String>>,
}

impl Workspace {
    /// Opens (or closes) the open note's history.
    pub(super) fn toggle_history(&mut self) -> Task<Message> {
        if self.history.take().is_some() {
            return iced::widget::operation::focus(EDITOR_ID);
        }
        let Some(note) = self.selected().filter(|note| note.text().is_some()) else {
            return Task::none();
        };
        let id = note.id.clone();
        self.history = Some(View {
            note: id.clone(),
            versions: None,
            shown: None,
            text: None,
        });
        self.list_history(id)
    }

    fn list_history(&self, id: NoteId) -> Task<Message> {
        Task::perform(
            history::list_async(self.dir.clone(), id.clone()),
            move |result| Message::HistoryListed(id.clone(), result),
        )
    }

    pub(super) fn history_listed(
        &mut self,
        id: NoteId,
        result: Result<Vec<Version>, String>,
    ) -> Task<Message> {
        let Some(view) = self.history.as_mut().filter(|view| view.note == id) else {
            return Task::none();
        };
        let first = result.as_ref().is_ok_and(|versions| !versions.is_empty());
        view.versions = Some(result);
        view.shown = None;
        view.text = None;
        if first {
            return self.show_version(0);
        }
        Task::none()
    }

    pub(super) fn show_version(&mut self, index: usize) -> Task<Message> {
        let Some(view) = self.history.as_mut() else {
            return Task::none();
        };
        let Some(Ok(versions)) = &view.versions else {
            return Task::none();
        };
        let Some(version) = versions.get(index) else {
            return Task::none();
        };
        view.shown = Some(index);
        view.text = None;
        let path = version.path.clone();
        Task::perform(history::read_async(path.clone()), move |result| {
            Message::VersionRead(path.clone(), result)
        })
    }

    pub(super) fn version_read(
        &mut self,
        path: PathBuf,
        result: Result<String, String>,
    ) -> Task<Message> {
        if let Some(view) = self.history.as_mut()
            && let (Some(Ok(versions)), Some(shown)) = (&view.versions, view.shown)
            && versions
                .get(shown)
                .is_some_and(|version| version.path == path)
        {
            view.text = Some(result);
        }
        Task::none()
    }

    /// Puts the shown version in the editor: one undoable step; the text it
    /// replaces is kept in the history first.
    pub(super) fn restore_version(&mut self) -> Task<Message> {
        let Some(view) = self.history.take() else {
            return Task::none();
        };
        let Some(Ok(restored)) = view.text else {
            self.history = Some(view);
            return Task::none();
        };
        if self.selected.as_ref() != Some(&view.note) {
            return Task::none();
        }
        let Some(note) = self.notes.iter_mut().find(|note| note.id == view.note) else {
            return Task::none();
        };
        let Some(current) = note.text().map(str::to_owned) else {
            return Task::none();
        };
        let now = Instant::now();
        let history = self.histories.entry(view.note.clone()).or_default();
        history.close_group();
        history.record(&current, &restored, undo::Kind::Other, now);
        history.close_group();
        note.edit(restored.clone(), now);
        self.show_text(&restored);
        self.refresh_list();
        let keep = Task::perform(
            history::keep_async(self.dir.clone(), view.note, current),
            Message::VersionKept,
        );
        Task::batch([keep, iced::widget::operation::focus(EDITOR_ID)])
    }

    pub(super) fn history_view(&self) -> Option<Element<'_, Message>> {
        let view = self
            .history
            .as_ref()
            .filter(|view| self.selected.as_ref() == Some(&view.note))?;
        let header = row![
            icon(Icon::Clock),
            text("History").size(size::TITLE).font(theme::FONT_BOLD),
            space().width(Fill),
            labeled(Icon::Undo, "Restore this version")
                .style(theme::primary)
                .on_press_maybe(
                    matches!(view.text, Some(Ok(_))).then_some(Message::RestoreVersion)
                ),
            tool(
                Icon::Close,
                "Close history  (Esc)",
                Some(Message::ToggleHistory)
            ),
        ]
        .spacing(sp::S)
        .align_y(Alignment::Center);

        let (list, shown): (Element<'_, Message>, Element<'_, Message>) = match &view.versions {
            None => (muted("Looking…"), space().into()),
            Some(Err(problem)) => (
                muted_owned(format!("The history could not be read: {problem}.")),
                space().into(),
            ),
            Some(Ok(versions)) if versions.is_empty() => (
                muted_owned(format!(
                    "No earlier versions yet. BrainDump keeps one before a big change and every {} minutes of editing, for {} days.",
                    history::EVERY.as_secs() / 60,
                    history::KEPT_FOR.as_secs() / 86_400
                )),
                space().into(),
            ),
            Some(Ok(versions)) => (
                scrollable(column(versions.iter().enumerate().map(
                    |(index, version)| self.version_row(index, version, view.shown == Some(index)),
                )))
                .width(240)
                .height(Fill)
                .into(),
                match &view.text {
                    None => muted("Reading…"),
                    Some(Err(problem)) => {
                        muted_owned(format!("This version could not be read: {problem}."))
                    }
                    Some(Ok(version)) => scrollable(
                        container(text(version.as_str()).size(size::EDITOR))
                            .padding(sp::L)
                            .width(Fill),
                    )
                    .height(Fill)
                    .into(),
                },
            ),
        };
        Some(
            column![
                header,
                row![list, container(shown).width(Fill).height(Fill)]
                    .spacing(sp::M)
                    .height(Fill)
            ]
            .spacing(sp::M)
            .height(Fill)
            .into(),
        )
    }

    fn version_row<'a>(
        &'a self,
        index: usize,
        version: &'a Version,
        selected: bool,
    ) -> Element<'a, Message> {
        let kept =
            std::time::UNIX_EPOCH + std::time::Duration::from_millis(version.kept_at.max(0) as u64);
        button(
            column![
                text(crate::time::relative(kept, &self.now))
                    .size(size::BODY)
                    .font(theme::FONT_BOLD),
                text(describe_size(version.size))
                    .size(size::SMALL)
                    .style(theme::muted),
            ]
            .spacing(2),
        )
        .width(Fill)
        .padding([sp::S, sp::M])
        .style(theme::list_item(selected))
        .on_press(Message::ShowVersion(index))
        .into()
    }

    /// Is the History view open (for tests)?
    #[cfg(test)]
    pub fn history_versions(&self) -> Option<usize> {
        self.history
            .as_ref()
            .and_then(|view| view.versions.as_ref())
            .and_then(|versions| versions.as_ref().ok())
            .map(Vec::len)
    }
}

fn muted(words: &'static str) -> Element<'static, Message> {
    text(words).size(size::BODY).style(theme::muted).into()
}

fn muted_owned(words: String) -> Element<'static, Message> {
    text(words).size(size::BODY).style(theme::muted).into()
}

/// "312 bytes", "4.2 KB", "1.3 MB".
pub fn describe_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} KB", bytes as f64 / 1_000.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}
