//! Quick capture: a small window on top of whatever the user is doing,
//! summoned by a shortcut held system-wide, that saves what is typed as a
//! new note.
//!
//! The shortcut is held with `global-hotkey` (an X11 key grab, and the
//! system's hotkeys on Windows and macOS). Wayland lets no program grab
//! keys: there the desktop binds it through the GlobalShortcuts portal
//! (`portal`), and where it has none, its own keyboard settings run
//! `braindump --capture`, as Settings says.

use std::path::PathBuf;

use crate::widget::button;
use iced::widget::{column, container, row, space, text, text_editor};
use iced::{Alignment, Element, Fill, Size, Subscription, Task, keyboard, window};

use crate::theme::{self, size, space as sp};

#[cfg(target_os = "linux")]
pub mod portal;

/// Until the user chooses another in Settings.
pub const DEFAULT_SHORTCUT: &str = "ctrl+alt+space";
pub const EDITOR_ID: &str = "capture-editor";
/// What the desktop's keyboard settings can run where no shortcut can be
/// held.
pub const COMMAND: &str = "braindump --capture";
pub const TITLE: &str = "Quick capture – BrainDump";

/// What became of the shortcut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortcut {
    /// It is held: pressing it anywhere opens the capture window.
    Held,
    /// It could not be: why, in words.
    Failed(String),
    Pressed,
}

/// `ctrl+alt+space` as `Ctrl+Alt+Space`.
pub fn display(shortcut: &str) -> String {
    shortcut
        .split('+')
        .map(|part| {
            let part = part.trim();
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// Is `shortcut` one BrainDump can hold (a key with at least one of Ctrl,
/// Alt, Shift or Super)? The reason if not.
pub fn check(shortcut: &str) -> Result<String, String> {
    let shortcut = shortcut.trim().to_lowercase();
    #[cfg(target_os = "linux")]
    {
        let parsed: global_hotkey::hotkey::HotKey = shortcut.parse().map_err(|_| {
            format!(
                "{} is not a shortcut BrainDump understands: write it like Ctrl+Alt+Space or Super+Shift+N.",
                display(&shortcut)
            )
        })?;
        if parsed.mods.is_empty() {
            return Err(format!(
                "{} alone would be taken from every program: add Ctrl, Alt or Super.",
                display(&shortcut)
            ));
        }
    }
    Ok(shortcut)
}

/// Holds `shortcut` while subscribed; let go when the subscription ends.
pub fn shortcut(shortcut: &str) -> Subscription<Shortcut> {
    Subscription::run_with(shortcut.to_owned(), |shortcut| hold(shortcut.clone()))
}

fn hold(shortcut: String) -> futures::stream::BoxStream<'static, Shortcut> {
    use futures::StreamExt;
    let (sender, receiver) = futures::channel::mpsc::unbounded();
    // On Wayland the desktop holds it for us, if it offers the portal.
    #[cfg(target_os = "linux")]
    if on_wayland() {
        return portal_stream(shortcut, sender, receiver).boxed();
    }
    // The grab and the wait for presses block: a thread of their own,
    // which ends (and lets go of the key) once nobody listens.
    let started = std::thread::Builder::new()
        .name("capture-shortcut".to_owned())
        .spawn(move || hold_blocking(&shortcut, &sender));
    let failed = started
        .err()
        .map(|error| Shortcut::Failed(format!("the shortcut could not be watched ({error})")));
    futures::stream::iter(failed).chain(receiver).boxed()
}

/// The shortcut through the GlobalShortcuts portal: [`Shortcut::Held`],
/// then a [`Shortcut::Pressed`] for each press, or why not.
#[cfg(target_os = "linux")]
pub fn portal_shortcut(shortcut: &str) -> futures::stream::BoxStream<'static, Shortcut> {
    use futures::StreamExt;
    let (sender, receiver) = futures::channel::mpsc::unbounded();
    portal_stream(shortcut.to_owned(), sender, receiver).boxed()
}

#[cfg(target_os = "linux")]
fn portal_stream(
    shortcut: String,
    sender: futures::channel::mpsc::UnboundedSender<Shortcut>,
    receiver: futures::channel::mpsc::UnboundedReceiver<Shortcut>,
) -> impl futures::Stream<Item = Shortcut> {
    use futures::StreamExt;
    let shown = display(&shortcut);
    let driver = futures::stream::once(portal::hold(shortcut, sender)).filter_map(move |held| {
        let shown = shown.clone();
        async move {
            held.err().map(|why| {
                Shortcut::Failed(format!(
                    "{why}; on Wayland, programs cannot hold {shown} themselves"
                ))
            })
        }
    });
    futures::stream::select(driver, receiver)
}

fn on_wayland() -> bool {
    cfg!(target_os = "linux")
        && std::env::var_os("WAYLAND_DISPLAY").is_some_and(|value| !value.is_empty())
}

#[cfg(target_os = "linux")]
fn hold_blocking(shortcut: &str, events: &futures::channel::mpsc::UnboundedSender<Shortcut>) {
    use global_hotkey::{GlobalHotKeyEvent, GlobalHotKeyManager, HotKeyState, hotkey::HotKey};

    let say = |event| {
        let _ = events.unbounded_send(event);
    };
    if let Some(why) = unavailable() {
        return say(Shortcut::Failed(why));
    }
    let hotkey: HotKey = match check(shortcut).and_then(|shortcut| {
        shortcut
            .parse()
            .map_err(|error: global_hotkey::hotkey::HotKeyParseError| error.to_string())
    }) {
        Ok(hotkey) => hotkey,
        Err(why) => return say(Shortcut::Failed(why)),
    };
    let manager = match GlobalHotKeyManager::new() {
        Ok(manager) => manager,
        Err(error) => return say(Shortcut::Failed(error.to_string())),
    };
    if let Err(error) = manager.register(hotkey) {
        return say(Shortcut::Failed(match error {
            global_hotkey::Error::AlreadyRegistered(_) => format!(
                "another program already uses {}: choose another shortcut",
                display(shortcut)
            ),
            other => format!("{} could not be held ({other})", display(shortcut)),
        }));
    }
    say(Shortcut::Held);
    let presses = GlobalHotKeyEvent::receiver();
    loop {
        match presses.recv_timeout(std::time::Duration::from_millis(250)) {
            Ok(event) if event.id() == hotkey.id() && event.state() == HotKeyState::Pressed => {
                if events.unbounded_send(Shortcut::Pressed).is_err() {
                    break;
                }
            }
            Ok(_) => {}
            Err(error) if error.is_timeout() => {
                if events.is_closed() {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    let _ = manager.unregister(hotkey);
}

/// On Windows and macOS, `global-hotkey` wants its manager on the thread
/// that runs the window's event loop (the main thread, which iced holds);
/// made elsewhere its hotkeys never fire (Windows) or its calls are not
/// safe (macOS). Until that is done, BrainDump says so and the system's
/// own shortcut settings run `braindump --capture`.
#[cfg(not(target_os = "linux"))]
fn hold_blocking(_: &str, events: &futures::channel::mpsc::UnboundedSender<Shortcut>) {
    let _ = events.unbounded_send(Shortcut::Failed(
        "BrainDump cannot hold a shortcut on this system yet".to_owned(),
    ));
}

/// Why no shortcut can be held here, if none can: Wayland gives no
/// program the keys of another (and the X11 grab, through XWayland, would
/// fire only over X11 windows).
fn unavailable() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
    if set("WAYLAND_DISPLAY") {
        Some("on Wayland, programs cannot hold a shortcut of their own".to_owned())
    } else if !set("DISPLAY") {
        Some("there is no X11 display to hold a shortcut on".to_owned())
    } else {
        None
    }
}

/// The capture window's settings: small, above other windows, in the
/// middle of the screen.
pub fn window_settings() -> window::Settings {
    let mut settings = crate::desktop::window_settings(Size::new(560.0, 220.0));
    settings.position = window::Position::Centered;
    settings.level = window::Level::AlwaysOnTop;
    settings.min_size = Some(Size::new(360.0, 160.0));
    settings.exit_on_close_request = false;
    settings
}

/// The open capture window.
pub struct Capture {
    pub window: window::Id,
    content: text_editor::Content,
    saving: bool,
    problem: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Edit(text_editor::Action),
    /// Ctrl+Enter, Enter on one line, or the Save button.
    Save,
    /// Esc or the window's close button: what was typed is kept as a note
    /// all the same.
    Close,
    Saved(Result<PathBuf, String>),
}

/// What only the app can do.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Save this text as a new note.
    Save(String),
    /// Done: close the window.
    Closed,
}

impl Capture {
    pub fn new(window: window::Id) -> Self {
        Self {
            window,
            content: text_editor::Content::new(),
            saving: false,
            problem: None,
        }
    }

    pub fn text(&self) -> String {
        self.content.text()
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Edit(action) => {
                self.content.perform(action);
                Action::None
            }
            Message::Save | Message::Close if self.saving => Action::None,
            Message::Save | Message::Close => {
                let text = self.content.text();
                if text.trim().is_empty() {
                    return Action::Closed;
                }
                self.saving = true;
                self.problem = None;
                Action::Save(text)
            }
            Message::Saved(Ok(_)) => Action::Closed,
            Message::Saved(Err(problem)) => {
                self.saving = false;
                self.problem = Some(format!(
                    "Not saved: {problem}. Your text is still here; try again, or copy it."
                ));
                Action::None
            }
        }
    }

    /// Typed while the editor had no focus (a click elsewhere in the
    /// window): the keys that mean something here, and text for the
    /// editor.
    pub fn key(&mut self, key: &keyboard::Key, modifiers: keyboard::Modifiers) -> Option<Message> {
        match key.as_ref() {
            keyboard::Key::Named(keyboard::key::Named::Escape) => Some(Message::Close),
            keyboard::Key::Named(keyboard::key::Named::Enter) if modifiers.command() => {
                Some(Message::Save)
            }
            _ => None,
        }
    }

    pub fn type_text(&mut self, text: &str) -> Task<Message> {
        for c in text.chars() {
            self.content
                .perform(text_editor::Action::Edit(text_editor::Edit::Insert(c)));
        }
        iced::widget::operation::focus(EDITOR_ID)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let one_line = self.content.line_count() <= 1;
        let editor = text_editor(&self.content)
            .id(EDITOR_ID)
            .placeholder("Type a thought…")
            .on_action(Message::Edit)
            .key_binding(move |press| binding(press, one_line))
            .size(size::EDITOR)
            .padding(sp::M)
            .height(Fill)
            .style(theme::editor);
        let hint = if one_line {
            "Enter saves it as a note · Shift+Enter for another line · Esc keeps it as a draft"
        } else {
            "Ctrl+Enter saves it as a note · Esc keeps it as a draft"
        };
        let mut body = column![
            editor,
            row![
                text(hint).size(size::SMALL).style(theme::muted),
                space().width(Fill),
                button(text(if self.saving { "Saving…" } else { "Save" }).size(size::BODY))
                    .padding([sp::XS, sp::M])
                    .style(theme::primary)
                    .on_press_maybe((!self.saving).then_some(Message::Save)),
            ]
            .spacing(sp::S)
            .align_y(Alignment::Center),
        ]
        .spacing(sp::S);
        if let Some(problem) = &self.problem {
            body = body.push(text(problem).size(size::SMALL).style(theme::danger_text));
        }
        container(body).padding(sp::M).into()
    }
}

/// Enter saves a one-line capture (Shift+Enter adds a line); Ctrl+Enter
/// saves any; Esc closes, keeping the text.
fn binding(press: text_editor::KeyPress, one_line: bool) -> Option<text_editor::Binding<Message>> {
    use keyboard::key::Named;
    let modifiers = press.modifiers;
    match press.key.as_ref() {
        keyboard::Key::Named(Named::Enter) if modifiers.command() => {
            Some(text_editor::Binding::Custom(Message::Save))
        }
        keyboard::Key::Named(Named::Enter) if one_line && !modifiers.shift() => {
            Some(text_editor::Binding::Custom(Message::Save))
        }
        keyboard::Key::Named(Named::Enter) if modifiers.shift() => {
            Some(text_editor::Binding::Enter)
        }
        keyboard::Key::Named(Named::Escape) => Some(text_editor::Binding::Custom(Message::Close)),
        _ => text_editor::Binding::from_key_press(press),
    }
}

/// Saves a capture as a new note in `dir`, off the UI thread.
pub async fn save(dir: PathBuf, text: String) -> Result<PathBuf, String> {
    tokio::task::spawn_blocking(move || crate::cli::save_new(&dir, &text))
        .await
        .map_err(|error| error.to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn shortcuts_are_shown_and_checked() {
        assert_eq!(display("ctrl+alt+space"), "Ctrl+Alt+Space");
        assert_eq!(check(" Ctrl+Alt+Space "), Ok("ctrl+alt+space".to_owned()));
        assert!(
            check("space")
                .unwrap_err()
                .contains("add Ctrl, Alt or Super")
        );
        assert!(check("ctrl+banana").unwrap_err().contains("not a shortcut"));
    }

    #[test]
    fn enter_saves_one_line_and_a_new_line_needs_shift() {
        let mut capture = Capture::new(window::Id::unique());
        for c in "milk".chars() {
            let _ = capture.update(Message::Edit(text_editor::Action::Edit(
                text_editor::Edit::Insert(c),
            )));
        }
        match capture.update(Message::Save) {
            Action::Save(text) => assert_eq!(text, "milk"),
            _ => panic!("saved"),
        }
        assert!(
            matches!(capture.update(Message::Close), Action::None),
            "once"
        );
        let _ = capture.update(Message::Saved(Err("disk full".into())));
        assert!(capture.problem.as_deref().unwrap().contains("disk full"));
        assert_eq!(capture.text(), "milk", "nothing lost");
        assert!(matches!(capture.update(Message::Close), Action::Save(_)));
        assert!(matches!(
            capture.update(Message::Saved(Ok(PathBuf::from("/n/a.md")))),
            Action::Closed
        ));

        let mut empty = Capture::new(window::Id::unique());
        assert!(matches!(empty.update(Message::Close), Action::Closed));
    }
}
