//! How the workspace looks.

use crate::widget::button;
use iced::widget::{
    Space, column, container, pick_list, row, scrollable, space, text, text_editor, text_input,
};
use iced::{Alignment, Element, Fill, Length};

use super::{Claude, EDITOR_ID, Kind, LIST_ID, Message, Note, ROW_HEIGHT, SEARCH_ID, Workspace};
use crate::theme::{self, size, space as sp};
use crate::widget::{Icon, icon, labeled, tool};

/// The folder list's first choice: every note.
const ALL_FOLDERS: &str = "All folders";
/// The Move bar's first folder: the notes folder itself.
const TOP_FOLDER: &str = "(top of the notes folder)";

impl Workspace {
    pub fn view(&self, claude: Claude) -> Element<'_, Message> {
        let body = row![
            self.sidebar(),
            crate::widget::divider(Message::ResizeList),
            self.main(claude)
        ]
        .height(Fill);
        column![body, self.status_line()].into()
    }

    fn sidebar(&self) -> Element<'_, Message> {
        let search = text_input("Search notes  (Ctrl+F)", &self.query)
            .id(SEARCH_ID)
            .on_input(Message::SearchChanged)
            .on_submit(Message::SearchSubmitted)
            .icon(text_input::Icon {
                font: theme::ICON_FONT,
                code_point: '\u{e151}',
                size: Some(14.into()),
                spacing: sp::S,
                side: text_input::Side::Left,
            })
            .padding(sp::S)
            .size(size::BODY)
            .style(theme::input);

        let header = row![
            search,
            tool(Icon::Plus, "New note  (Ctrl+N)", Some(Message::NewNote))
        ]
        .spacing(sp::S)
        .align_y(Alignment::Center);

        let list: Element<'_, Message> = if self.visible.is_empty() {
            container(
                text(if self.query.trim().is_empty() {
                    "No notes yet."
                } else if self.is_finding_words() {
                    "Searching inside your notes…"
                } else {
                    "No notes match."
                })
                .size(size::BODY)
                .style(theme::muted),
            )
            .padding(sp::M)
            .into()
        } else {
            // Only the rows in view (and a few around) are built: every row
            // has the same height, so spacers stand in for the rest. This
            // keeps thousands of notes as cheap as a dozen.
            let (first, last) = self.rows_in_view();
            let rows = self.visible.len();
            scrollable(
                column![
                    Space::new().height(first as f32 * ROW_HEIGHT),
                    column(
                        self.visible[first..last]
                            .iter()
                            .map(|&index| self.list_row(&self.notes[index]))
                    ),
                    Space::new().height((rows - last) as f32 * ROW_HEIGHT),
                ]
                .spacing(0)
                .padding(iced::Padding::from([0.0, sp::S])),
            )
            .id(LIST_ID)
            .on_scroll(Message::ListScrolled)
            .height(Fill)
            .into()
        };

        let filters = self.filters();
        let trash = container(
            button(
                row![icon(Icon::Trash).size(14), text("Trash").size(size::SMALL)]
                    .spacing(sp::XS)
                    .align_y(Alignment::Center),
            )
            .padding([sp::XS, sp::S])
            .style(if self.is_trash_open() {
                theme::secondary
            } else {
                button::text
            })
            .on_press(Message::ToggleTrash),
        )
        .padding([sp::XS, sp::M]);
        let mut sidebar = column![container(header).padding(sp::M)];
        if let Some(filters) = filters {
            sidebar = sidebar.push(filters);
        }
        container(sidebar.push(list).push(trash).height(Fill))
            .width(self.list_width)
            .height(Fill)
            .style(theme::sidebar)
            .into()
    }

    /// The folder and tag lists above the notes, when the notes folder has
    /// subfolders or tags.
    fn filters(&self) -> Option<Element<'_, Message>> {
        if self.folders.is_empty() && self.all_tags.is_empty() && self.folder.is_empty() {
            return None;
        }
        let mut filters = row![].spacing(sp::S).align_y(Alignment::Center);
        if !self.folders.is_empty() || !self.folder.is_empty() {
            let mut choices = vec![ALL_FOLDERS.to_owned()];
            choices.extend(self.folders.iter().cloned());
            let chosen = if self.folder.is_empty() {
                ALL_FOLDERS.to_owned()
            } else {
                self.folder.clone()
            };
            filters = filters.push(
                pick_list(choices, Some(chosen), |folder: String| {
                    Message::ViewFolder(if folder == ALL_FOLDERS {
                        String::new()
                    } else {
                        folder
                    })
                })
                .text_size(size::SMALL)
                .padding([sp::XS, sp::S])
                .width(Fill),
            );
        }
        if !self.all_tags.is_empty() {
            let tags: Vec<String> = self.all_tags.iter().map(|tag| format!("#{tag}")).collect();
            filters = filters.push(
                pick_list(tags, None::<String>, |tag: String| {
                    Message::FilterTag(tag.trim_start_matches('#').to_owned())
                })
                .placeholder("Tags")
                .text_size(size::SMALL)
                .padding([sp::XS, sp::S])
                .width(Fill),
            );
        }
        Some(
            container(filters)
                .padding(iced::Padding::from([0.0, sp::M]).bottom(sp::S))
                .into(),
        )
    }

    /// Move to folder: a folder typed or picked, Enter moves, Esc cancels.
    fn move_bar(&self) -> Option<Element<'_, Message>> {
        let bar = self.moving.as_ref()?;
        let input = text_input("Folder (empty: the top of the notes folder)", &bar.folder)
            .id(super::folders::MOVE_INPUT_ID)
            .on_input_maybe((!bar.moving).then_some(Message::MoveInput))
            .on_submit(Message::ConfirmMove)
            .padding(sp::S)
            .size(size::BODY)
            .style(theme::input);
        let mut choices = vec![TOP_FOLDER.to_owned()];
        choices.extend(self.folders.iter().cloned());
        let picked = (!bar.folder.is_empty())
            .then(|| bar.folder.clone())
            .filter(|folder| self.folders.contains(folder));
        let picker = pick_list(choices, picked, |folder: String| {
            Message::MoveInput(if folder == TOP_FOLDER {
                String::new()
            } else {
                folder
            })
        })
        .placeholder("Or pick a folder")
        .text_size(size::SMALL)
        .padding([sp::XS, sp::S])
        .width(Length::Fill);
        // Two lines: the editor's column can be narrow (a small window with
        // the Claude panel open), and on one line the field for the folder
        // was squeezed to nothing.
        Some(
            container(
                column![
                    row![text("Move to").size(size::BODY), input]
                        .spacing(sp::S)
                        .align_y(Alignment::Center),
                    row![
                        picker,
                        button(text("Move").size(size::SMALL))
                            .padding([sp::XS, sp::M])
                            .style(theme::primary)
                            .on_press_maybe((!bar.moving).then_some(Message::ConfirmMove)),
                        button(text("Cancel").size(size::SMALL))
                            .padding([sp::XS, sp::M])
                            .style(theme::secondary)
                            .on_press(Message::CancelMove),
                    ]
                    .spacing(sp::S)
                    .align_y(Alignment::Center),
                ]
                .spacing(sp::S),
            )
            .padding(sp::S)
            .style(move |theme| theme::notice(theme, false))
            .into(),
        )
    }

    /// The range of list rows to build: those in the viewport, plus a few.
    pub(super) fn rows_in_view(&self) -> (usize, usize) {
        const SLACK: usize = 6;
        let offset = self.list_viewport.0;
        let height = self.list_height();
        let rows = self.visible.len();
        let first = ((offset / ROW_HEIGHT).floor() as usize)
            .saturating_sub(SLACK)
            .min(rows);
        let last = (((offset + height) / ROW_HEIGHT).ceil() as usize + SLACK).min(rows);
        (first, last.max(first))
    }

    fn list_row<'a>(&'a self, note: &'a Note) -> Element<'a, Message> {
        let selected = self.selected.as_ref() == Some(&note.id);
        let title: Element<'_, Message> = match &note.kind {
            Kind::Unreadable(_) => row![
                icon(Icon::FileBroken).size(14).style(theme::danger_text),
                text(note.id.as_str())
                    .size(size::BODY)
                    .font(theme::FONT_BOLD),
            ]
            .spacing(sp::XS)
            .into(),
            Kind::Text(_) if note.title.is_empty() => text("New note")
                .size(size::BODY)
                .font(theme::FONT_BOLD)
                .style(theme::muted)
                .into(),
            Kind::Text(_) if self.replies.contains(&note.id) => row![
                icon(Icon::Sparkles).size(14),
                text(&*note.title).size(size::BODY).font(theme::FONT_BOLD),
            ]
            .spacing(sp::XS)
            .into(),
            Kind::Text(_) => text(&*note.title)
                .size(size::BODY)
                .font(theme::FONT_BOLD)
                .into(),
        };
        let detail = match &note.kind {
            Kind::Unreadable(_) => "Can't open this file".to_owned(),
            Kind::Text(text_note) => {
                let when = crate::time::relative(note.modified, &self.now);
                let when = if let Some(original) = self.conflict_original(&note.id) {
                    format!("{} · {when}", super::compare::copy_words(original))
                } else if self.pinned.contains(&note.id) {
                    format!("Pinned · {when}")
                } else {
                    when
                };
                let mut detail = match (&text_note.session().failure, text_note.is_dirty()) {
                    (Some(_), true) => format!("{when} · not saved yet"),
                    _ if self.replies.contains(&note.id) => format!("{when} · Claude replied"),
                    _ => when,
                };
                // The folder it is in, when the list shows more than it.
                let folder = note.id.folder();
                if !folder.is_empty() && folder != self.folder {
                    detail.push_str(" · ");
                    detail.push_str(folder);
                }
                if !note.tags.is_empty() {
                    detail.push_str(" · ");
                    detail.push_str(&note.tags.shown());
                }
                detail
            }
        };
        // iced's own button: the list is walked with the arrow keys, not Tab.
        iced::widget::button(
            column![
                container(title).clip(true).height(20),
                text(detail)
                    .size(size::SMALL)
                    .style(theme::muted)
                    .wrapping(text::Wrapping::None),
            ]
            .spacing(2),
        )
        .width(Fill)
        .height(ROW_HEIGHT)
        .padding([sp::S, sp::M])
        .style(theme::list_item(selected))
        .on_press(Message::Select(note.id.clone()))
        .into()
    }

    fn main(&self, claude: Claude) -> Element<'_, Message> {
        let claude: Element<'_, Message> = match claude {
            Claude::NotSetUp => labeled(Icon::Sparkles, "Set up Claude")
                .style(theme::secondary)
                .on_press(Message::SetUpClaude)
                .into(),
            Claude::Unchecked => labeled(Icon::Offline, "Claude: key not checked yet")
                .style(button::text)
                .on_press(Message::OpenSettings)
                .into(),
            Claude::Offline(queued) => row![
                icon(Icon::Offline).size(14),
                text(format!("Offline · {queued} queued")).size(size::SMALL)
            ]
            .spacing(sp::XS)
            .align_y(Alignment::Center)
            .into(),
            Claude::Ready => row![
                icon(Icon::Sparkles).size(14),
                text("Claude ready").size(size::SMALL)
            ]
            .spacing(sp::XS)
            .align_y(Alignment::Center)
            .into(),
        };
        let delete = self
            .selected()
            .filter(|note| !note.is_blank_draft())
            .map(|_| Message::Delete);
        let toolbar = row![
            claude,
            space().width(Fill),
            tool(
                Icon::Clock,
                "History  (Ctrl+Shift+H)",
                self.selected()
                    .filter(|note| note.text().is_some())
                    .map(|_| Message::ToggleHistory)
            ),
            crate::widget::tooltip_button(
                if self
                    .selected()
                    .is_some_and(|note| self.pinned.contains(&note.id))
                {
                    "Unpin"
                } else {
                    "Pin"
                },
                "Keep this note at the top of the list  (Ctrl+Shift+P)",
                self.selected()
                    .filter(|note| note.as_text().is_some() && !note.is_blank_draft())
                    .map(|_| Message::TogglePin),
            ),
            crate::widget::tooltip_button(
                "Move…",
                "Move this note to another folder  (Ctrl+Shift+M)",
                self.selected()
                    .filter(|note| note.as_text().is_some() && !note.is_blank_draft())
                    .map(|_| Message::AskMove),
            ),
            tool(Icon::Trash, "Move to trash  (Ctrl+Shift+Delete)", delete),
            tool(
                Icon::Settings,
                "Settings  (Ctrl+,)",
                Some(Message::OpenSettings)
            ),
        ]
        .spacing(sp::XS)
        .align_y(Alignment::Center);

        let mut page = column![toolbar].spacing(sp::S).padding(sp::M).height(Fill);
        if let Some(notice) = &self.notice {
            page = page.push(
                container(
                    row![
                        icon(if notice.danger {
                            Icon::Alert
                        } else {
                            Icon::Info
                        }),
                        text(&notice.text).size(size::BODY).width(Fill),
                        tool(Icon::Close, "Dismiss", Some(Message::DismissNotice)),
                    ]
                    .spacing(sp::S)
                    .align_y(Alignment::Center),
                )
                .padding(sp::S)
                .style(move |theme| theme::notice(theme, notice.danger)),
            );
        }
        if let Some(bar) = self.move_bar() {
            page = page.push(bar);
        }
        if let Some(trash) = self.trash_view() {
            return page.push(trash).into();
        }
        if let Some(compare) = self.compare_view() {
            return page.push(compare).into();
        }
        if let Some(banner) = self.conflict_banner() {
            page = page.push(banner);
        }
        if let Some(history) = self.history_view() {
            return page.push(history).into();
        }
        page = page.push(match self.selected().map(|note| &note.kind) {
            Some(Kind::Unreadable(reason)) => {
                unreadable(self.selected().map(|n| n.id.as_str()).unwrap_or(""), reason)
            }
            _ => self.editor_view(),
        });
        page.into()
    }

    fn editor_view(&self) -> Element<'_, Message> {
        let editor = text_editor(&self.editor).id(EDITOR_ID);
        // While the open note's file is read (a millisecond or so), the
        // editor is empty: what is typed then is kept and done once the
        // text is there (see `Workspace::edit`).
        let editor = if self.is_reading() {
            editor
        } else {
            editor.placeholder("Start typing. BrainDump saves as you go.")
        };
        editor
            .highlight_with::<crate::widget::marks::Marker>(
                self.marks.clone(),
                crate::widget::marks::format,
            )
            .on_action(Message::Edit)
            .key_binding(editor_binding)
            .size(size::EDITOR)
            .line_height(1.5)
            .padding(sp::L)
            .height(Fill)
            .style(theme::editor)
            .into()
    }

    fn status_line(&self) -> Element<'_, Message> {
        let mut line = row![].spacing(sp::M).align_y(Alignment::Center);

        line = line.push(
            match (self.save_failure(), self.selected().and_then(Note::as_text)) {
                (Some(error), _) => row![
                    icon(Icon::Alert).size(14).style(theme::danger_text),
                    text(format!("Not saved: {error}."))
                        .size(size::SMALL)
                        .style(theme::danger_text),
                    button(text("Retry now").size(size::SMALL))
                        .padding([2.0, sp::S])
                        .style(theme::secondary)
                        .on_press(Message::SaveNow),
                ]
                .spacing(sp::S)
                .align_y(Alignment::Center),
                (None, Some(note)) if note.is_saving() || note.is_dirty() => {
                    row![icon(Icon::Save).size(14), text("Saving…").size(size::SMALL)]
                        .spacing(sp::S)
                }
                (None, Some(note)) if note.session().read_only => row![
                    icon(Icon::Info).size(14),
                    text(
                        "Read-only file: BrainDump does not change it. To edit it, make it writable (chmod u+w, or untick Read-only in its properties)"
                    )
                    .size(size::SMALL)
                    .style(theme::muted)
                ]
                .spacing(sp::S),
                (None, Some(note)) if note.disk.is_none() => row![
                    icon(Icon::Info).size(14),
                    text("New note, saved as you type")
                        .size(size::SMALL)
                        .style(theme::muted)
                ]
                .spacing(sp::S),
                (None, Some(_)) => {
                    row![icon(Icon::Check).size(14), text("Saved").size(size::SMALL)].spacing(sp::S)
                }
                (None, None) => row![],
            },
        );

        if self.can_undo() {
            let title = self
                .undo
                .as_ref()
                .map(|undo| {
                    if undo.note.title.is_empty() {
                        "note".to_owned()
                    } else {
                        format!("“{}”", undo.note.title)
                    }
                })
                .unwrap_or_default();
            line = line.push(
                row![
                    text(format!("Moved {title} to the trash.")).size(size::SMALL),
                    labeled(Icon::Undo, "Undo  (Ctrl+Z)")
                        .style(theme::secondary)
                        .on_press(Message::Undo),
                ]
                .spacing(sp::S)
                .align_y(Alignment::Center),
            );
        }

        line = line.push(Space::new().width(Fill));
        let count = self
            .notes
            .iter()
            .filter(|note| !note.is_blank_draft())
            .count();
        let notes = if count == 1 { "note" } else { "notes" };
        line = line.push(
            text(
                if self.is_finding_words() && !self.query.trim().is_empty() {
                    format!("Searching inside {count} {notes}…")
                } else {
                    format!("{count} {notes} · {}", self.dir.display())
                },
            )
            .size(size::SMALL)
            .style(theme::muted)
            .wrapping(text::Wrapping::None),
        );

        container(line)
            .padding([sp::XS, sp::M])
            .width(Fill)
            .height(Length::Shrink)
            .style(theme::status_bar)
            .into()
    }
}

fn unreadable<'a>(name: &'a str, reason: &'a crate::notes::Unreadable) -> Element<'a, Message> {
    container(
        column![
            icon(Icon::FileBroken).size(32).style(theme::danger_text),
            text(format!("BrainDump can't open “{name}”")).size(size::TITLE).font(theme::FONT_BOLD),
            text(format!(
                "Because {reason}. The file is left exactly as it is: BrainDump never writes to a file it cannot read. Open it in another program, or move it out of the notes folder."
            ))
            .size(size::BODY)
            .width(480),
        ]
        .spacing(sp::M)
        .align_x(Alignment::Center),
    )
    .center(Fill)
    .into()
}

/// The editor's own key bindings, minus the app's shortcuts, so those reach
/// the app even while typing.
fn editor_binding(press: text_editor::KeyPress) -> Option<text_editor::Binding<Message>> {
    // Ctrl+Enter processes the note (handled by the app).
    if press.modifiers.command()
        && matches!(
            press.key,
            iced::keyboard::Key::Named(iced::keyboard::key::Named::Enter)
        )
    {
        return None;
    }
    if Workspace::shortcut(&press.key, press.modifiers)
        .is_some_and(|_| press.modifiers.command() || press.modifiers.alt())
    {
        return None;
    }
    // Ctrl+= would type "=": zooming is the app's.
    if crate::zoom::from_key(&press.key, press.modifiers).is_some() {
        return None;
    }
    text_editor::Binding::from_key_press(press)
}
