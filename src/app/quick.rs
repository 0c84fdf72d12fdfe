//! The app's side of quick capture: the shortcut, the capture window, and
//! which window a key, a resize or a close belongs to.

use iced::{Task, keyboard, window};

use super::{App, Message};
use crate::capture::{self, Capture};
use crate::screen::{processing, workspace};

impl App {
    /// Opens the capture window, or brings it forward if it is open.
    pub(super) fn open_capture(&mut self) -> Task<Message> {
        if let Some(capture) = &self.capture {
            return window::gain_focus(capture.window);
        }
        let (id, opened) = window::open(capture::window_settings());
        self.capture = Some(Capture::new(id));
        opened.then(move |id| {
            Task::batch([
                window::gain_focus(id),
                iced::widget::operation::focus(capture::EDITOR_ID),
            ])
        })
    }

    pub(super) fn capture_message(&mut self, message: capture::Message) -> Task<Message> {
        let Some(capture) = &mut self.capture else {
            return Task::none();
        };
        match capture.update(message) {
            capture::Action::None => Task::none(),
            capture::Action::Run(task) => task.map(Message::Capture),
            capture::Action::Save(text) => {
                Task::perform(capture::save(self.notes_dir(), text), |result| {
                    Message::Capture(capture::Message::Saved(result))
                })
            }
            capture::Action::Closed => {
                let id = capture.window;
                self.capture = None;
                window::close(id)
            }
        }
    }

    pub(super) fn shortcut_event(&mut self, event: capture::Shortcut) -> Task<Message> {
        match event {
            capture::Shortcut::Pressed => self.open_capture(),
            status => {
                if let capture::Shortcut::Failed(why) = &status {
                    tracing::info!("the quick-capture shortcut is not held: {why}");
                }
                self.shortcut = Some(status);
                Task::none()
            }
        }
    }

    fn is_capture(&self, id: window::Id) -> bool {
        self.capture
            .as_ref()
            .is_some_and(|capture| capture.window == id)
    }

    /// A key no widget took, in window `id`.
    pub(super) fn key_in(
        &mut self,
        id: window::Id,
        key: keyboard::Key,
        modifiers: keyboard::Modifiers,
        typed: Option<String>,
    ) -> Task<Message> {
        if let Some(capture) = self.capture.as_mut().filter(|capture| capture.window == id) {
            if let Some(text) = typed {
                return capture.type_text(&text).map(Message::Capture);
            }
            return match capture.key(&key, modifiers) {
                Some(message) => self.capture_message(message),
                None => Task::none(),
            };
        }
        match typed {
            Some(text) => self.typed_unfocused(text),
            None => self.key_pressed(key, modifiers),
        }
    }

    /// Esc in a focused field of the main window: it closes what the field
    /// is part of (the Move bar, history, the trash, a comparison) and
    /// stops Claude, but does not clear a search typed into the note's
    /// surroundings, and leaves first-run setup and Settings to Esc
    /// pressed outside a field.
    pub(super) fn escape_in_field(&mut self, id: window::Id) -> Task<Message> {
        if self
            .capture
            .as_ref()
            .is_some_and(|capture| capture.window == id)
            || self.onboarding.is_some()
            || self.settings_screen.is_some()
        {
            return Task::none();
        }
        if self.processing.is_streaming() {
            return self.processing_message(processing::Message::Stop);
        }
        match self.workspace() {
            Some(workspace) if workspace.has_overlay() => {
                self.workspace_message(self.generation, workspace::Message::ClearSearch)
            }
            _ => Task::none(),
        }
    }

    /// Text typed while no widget had focus (after Esc, a click on the
    /// list): into the key field while onboarding, else into the open
    /// note, rather than nowhere.
    fn typed_unfocused(&mut self, text: String) -> Task<Message> {
        if self.onboarding.is_some() {
            return self.onboarding_message(crate::screen::onboarding::Message::Typed(text));
        }
        if self.settings_screen.is_some() {
            return Task::none();
        }
        self.workspace_message(
            self.generation,
            crate::screen::workspace::Message::TypeIntoNote(text),
        )
    }

    pub(super) fn close_requested_in(&mut self, id: window::Id) -> Task<Message> {
        if self.is_capture(id) {
            self.capture_message(capture::Message::Close)
        } else if self.settings.keep_running && self.shortcut_enabled {
            // Hidden, not closed: the notes, the drafts and the shortcut
            // stay; a launch or `braindump --capture` brings it back.
            self.hidden = true;
            let save =
                self.workspace_message(self.generation, crate::screen::workspace::Message::SaveNow);
            Task::batch([save, window::set_mode(id, window::Mode::Hidden)])
        } else {
            self.place_before_closing()
        }
    }

    /// Brings the main window to the front (shown again if it was hidden).
    pub(super) fn activate(&mut self) -> Task<Message> {
        let shown = std::mem::take(&mut self.hidden);
        self.main_window().and_then(move |id| {
            let show = if shown {
                window::set_mode(id, window::Mode::Windowed)
            } else {
                Task::none()
            };
            Task::batch([show, window::minimize(id, false), window::gain_focus(id)])
        })
    }

    pub(super) fn resized_in(&mut self, id: window::Id, size: iced::Size) -> Task<Message> {
        if self.is_capture(id) {
            Task::none()
        } else {
            self.window_resized(size)
        }
    }

    pub(super) fn moved_in(&mut self, id: window::Id, position: iced::Point) -> Task<Message> {
        if self.is_capture(id) {
            Task::none()
        } else {
            self.window_moved(position)
        }
    }

    /// The main window: the one opened first.
    pub(super) fn main_window(&self) -> Task<Option<window::Id>> {
        match self.main_window {
            Some(id) => Task::done(Some(id)),
            None => window::oldest(),
        }
    }

    pub fn view_window(&self, id: window::Id) -> iced::Element<'_, Message> {
        match &self.capture {
            Some(capture) if capture.window == id => capture.view().map(Message::Capture),
            _ => self.view(),
        }
    }

    pub fn title_of(&self, id: window::Id) -> String {
        if self.is_capture(id) {
            capture::TITLE.to_owned()
        } else {
            self.title()
        }
    }

    pub fn theme_of(&self, _: window::Id) -> iced::Theme {
        self.theme()
    }

    pub fn scale_of(&self, _: window::Id) -> f32 {
        self.scale_factor()
    }
}
