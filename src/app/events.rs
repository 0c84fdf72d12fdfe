//! What the app listens to: keys, the window, clocks and folder watches.

use std::time::Duration;

use iced::{Subscription, Task, keyboard, system, time, window};

use super::{App, Message, Screen};
use crate::notes;
use crate::screen::onboarding;
use crate::screen::processing;
use crate::screen::settings as settings_screen;
use crate::screen::workspace::{self, Workspace};

impl App {
    pub fn subscription(&self) -> Subscription<Message> {
        // Only what no widget took: a focused editor or field keeps its keys.
        // Which window they came from decides where they go.
        let keys = iced::event::listen_with(|event, status, window| match event {
            iced::Event::Keyboard(keyboard::Event::KeyPressed {
                key,
                modifiers,
                text,
                ..
            }) if status == iced::event::Status::Ignored => Some(Message::KeyIn(
                window,
                key,
                modifiers,
                text.filter(|text| typed(text, modifiers))
                    .map(|text| text.to_string()),
            )),
            // A focused field takes Esc only to lose focus; Esc still
            // closes the bar or view the field is in.
            iced::Event::Keyboard(keyboard::Event::KeyPressed {
                key: keyboard::Key::Named(keyboard::key::Named::Escape),
                ..
            }) => Some(Message::EscapeInField(window)),
            _ => None,
        });
        let mut subscriptions = vec![
            if self.bench.is_some() {
                window::frames().map(|_| Message::Frame)
            } else {
                Subscription::none()
            },
            keys,
            window::close_requests().map(Message::CloseRequestedIn),
            window::resize_events().map(|(id, size)| Message::WindowResizedIn(id, size)),
            window::events().filter_map(|(id, event)| match event {
                window::Event::Opened { .. } => Some(Message::WindowOpened(id)),
                window::Event::Moved(position) => Some(Message::WindowMovedIn(id, position)),
                _ => None,
            }),
            system::theme_changes().map(Message::SystemTheme),
        ];
        subscriptions.push(
            Subscription::run_with(self.processing.modes_dir().clone(), |dir| {
                notes::watch::watch(dir.clone())
            })
            .map(|_| Message::ModesChanged),
        );
        if self.shortcut_enabled {
            subscriptions.push(
                crate::capture::shortcut(&self.settings.capture_shortcut).map(Message::Shortcut),
            );
        }
        if self.dragging.is_some() {
            subscriptions.push(iced::event::listen_with(|event, _, _| match event {
                iced::Event::Mouse(iced::mouse::Event::CursorMoved { position }) => {
                    Some(Message::DragTo(position.x))
                }
                iced::Event::Mouse(iced::mouse::Event::ButtonReleased(_))
                | iced::Event::Mouse(iced::mouse::Event::CursorLeft) => Some(Message::DragEnded),
                _ => None,
            }));
        }
        #[cfg(unix)]
        if let Some(instance) = &self.instance {
            subscriptions.push(
                Subscription::run_with(instance.clone(), |instance| instance.requests()).map(
                    |request| match request {
                        crate::instance::Request::Activate => Message::Activate,
                        crate::instance::Request::Open(path) => Message::OpenPath(path),
                        crate::instance::Request::NewNote => Message::NewNote,
                        crate::instance::Request::Capture => Message::OpenCapture,
                    },
                ),
            );
        }
        if self.processing.needs_ticks(self.key.is_some()) {
            subscriptions.push(
                time::every(Duration::from_millis(500))
                    .map(|now| Message::Processing(processing::Message::QueueTick(now))),
            );
        }
        if let Screen::Workspace(workspace) = &self.screen {
            let workspace_subscriptions = [
                Subscription::run_with(workspace.dir().clone(), |dir| {
                    notes::watch::watch(dir.clone())
                })
                .map(workspace::Message::FolderChanged),
                time::every(Duration::from_secs(30)).map(|_| workspace::Message::Clock),
                // After the frame that laid the editor out (see
                // `Workspace::show_text`).
                if workspace.is_filling() {
                    window::frames().map(|_| workspace::Message::FillEditor)
                } else {
                    Subscription::none()
                },
                if workspace.needs_ticks() {
                    time::every(Duration::from_millis(100)).map(workspace::Message::Tick)
                } else {
                    Subscription::none()
                },
            ];
            subscriptions.push(
                Subscription::batch(workspace_subscriptions)
                    .with(self.generation)
                    .map(|(generation, message)| Message::Workspace(generation, message)),
            );
        }
        Subscription::batch(subscriptions)
    }

    pub(super) fn key_pressed(
        &mut self,
        key: keyboard::Key,
        modifiers: keyboard::Modifiers,
    ) -> Task<Message> {
        use keyboard::key::Named;

        if let Some(zoom) = crate::zoom::from_key(&key, modifiers) {
            return self.zoom(zoom);
        }
        // Quit, as closing the window does: everything saved first.
        if key.as_ref() == keyboard::Key::Character("q") && modifiers.command() {
            return self.place_before_closing();
        }
        if key == keyboard::Key::Named(Named::Tab) {
            return if modifiers.shift() {
                iced::widget::operation::focus_previous()
            } else {
                iced::widget::operation::focus_next()
            };
        }
        let escape = key == keyboard::Key::Named(Named::Escape);
        if self.onboarding.is_none() && self.settings_screen.is_none() {
            if key == keyboard::Key::Named(Named::Enter) && modifiers.command() {
                return self.processing_message(processing::Message::Process);
            }
            if escape && self.processing.is_streaming() {
                return self.processing_message(processing::Message::Stop);
            }
        }
        if let Some(onboarding) = &self.onboarding {
            // Every step can be done from the keyboard: Enter takes the
            // step's main action, Ctrl+V pastes a key, Esc goes back.
            let message = match key.as_ref() {
                _ if escape => Some(onboarding::Message::Back),
                keyboard::Key::Named(Named::Enter) if modifiers.is_empty() => onboarding.enter(),
                keyboard::Key::Character("v") if modifiers.command() => {
                    Some(onboarding::Message::PasteClipboard)
                }
                _ => None,
            };
            return match message {
                Some(message) => self.onboarding_message(message),
                None => Task::none(),
            };
        }
        if self.settings_screen.is_some() {
            return if escape {
                self.settings_message(settings_screen::Message::Back)
            } else {
                Task::none()
            };
        }
        match Workspace::shortcut(&key, modifiers) {
            Some(message) => self.workspace_message(self.generation, message),
            None => Task::none(),
        }
    }
}

/// Is this key's text something typed (a letter, a space), not a shortcut
/// or a control character (Escape, Enter, Backspace)?
fn typed(text: &str, modifiers: keyboard::Modifiers) -> bool {
    let shortcut =
        modifiers.command() || modifiers.control() || modifiers.alt() || modifiers.logo();
    !shortcut && !text.is_empty() && !text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_typed_and_shortcuts_are_not() {
        let none = keyboard::Modifiers::empty();
        assert!(typed("a", none));
        assert!(typed("A", keyboard::Modifiers::SHIFT));
        assert!(typed(" ", none));
        assert!(typed("é", none));
        assert!(!typed("n", keyboard::Modifiers::CTRL));
        assert!(!typed("n", keyboard::Modifiers::ALT));
        assert!(!typed("\u{1b}", none), "Escape");
        assert!(!typed("\r", none), "Enter");
        assert!(!typed("\u{8}", none), "Backspace");
        assert!(!typed("", none));
    }
}
