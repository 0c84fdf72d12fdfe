//! The application: loads settings and notes, routes messages to the screen
//! in front, turns screen actions into tasks, and holds the subscriptions.

use std::path::PathBuf;
use std::time::Duration;

use iced::widget::{button, center, column, container, row, text};
use iced::{Alignment, Element, Fill, Subscription, Task, Theme, keyboard, system, time, window};

use crate::notes::{self, NoteFile, StoreError};
use crate::paths::Paths;
use crate::screen::settings as settings_screen;
use crate::screen::workspace::{self, Workspace};
use crate::settings::{self, Settings};
use crate::theme::{self, size, space};
use crate::widget::{Icon, icon};

pub struct App {
    paths: Paths,
    settings: Settings,
    system_dark: bool,
    screen: Screen,
    settings_screen: Option<settings_screen::State>,
    /// Messages from an older workspace (another folder) are dropped.
    generation: u64,
    /// Unsaved drafts travelling to a newly chosen folder.
    carry: Vec<String>,
    problem: Option<String>,
}

#[allow(clippy::large_enum_variant)]
enum Screen {
    Loading,
    Workspace(Workspace),
}

#[derive(Debug, Clone)]
pub enum Message {
    SettingsLoaded(settings::Loaded),
    NotesLoaded(u64, Result<Vec<NoteFile>, StoreError>),
    Workspace(u64, workspace::Message),
    Settings(settings_screen::Message),
    SettingsSaved(Result<(), settings::Error>),
    SystemTheme(iced::theme::Mode),
    Key(keyboard::Key, keyboard::Modifiers),
    CloseRequested,
    QuitAnyway,
    KeepOpen,
}

impl App {
    pub fn boot(paths: Paths) -> (Self, Task<Message>) {
        let load = Task::perform(
            settings::load(paths.settings_file()),
            Message::SettingsLoaded,
        );
        let app = Self {
            paths,
            settings: Settings::default(),
            system_dark: false,
            screen: Screen::Loading,
            settings_screen: None,
            generation: 0,
            carry: Vec::new(),
            problem: None,
        };
        (
            app,
            Task::batch([load, system::theme().map(Message::SystemTheme)]),
        )
    }

    pub fn title(&self) -> String {
        "BrainDump".to_owned()
    }

    pub fn theme(&self) -> Theme {
        theme::resolve(self.settings.theme, self.system_dark)
    }

    pub fn notes_dir(&self) -> PathBuf {
        self.paths.notes_dir(self.settings.notes_dir.as_ref())
    }

    pub fn workspace(&self) -> Option<&Workspace> {
        match &self.screen {
            Screen::Workspace(workspace) => Some(workspace),
            Screen::Loading => None,
        }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::SettingsLoaded(loaded) => self.settings_loaded(loaded),
            Message::NotesLoaded(generation, files) => self.notes_loaded(generation, files),
            Message::Workspace(generation, message) => self.workspace_message(generation, message),
            Message::Settings(message) => self.settings_message(message),
            Message::SettingsSaved(result) => {
                self.problem = result
                    .err()
                    .map(|error| format!("{error}. Your choice applies until BrainDump closes."));
                Task::none()
            }
            Message::SystemTheme(mode) => {
                self.system_dark = mode == iced::theme::Mode::Dark;
                Task::none()
            }
            Message::Key(key, modifiers) => self.key(key, modifiers),
            Message::CloseRequested => self.close_requested(),
            Message::QuitAnyway => iced::exit(),
            Message::KeepOpen => {
                if let Screen::Workspace(workspace) = &mut self.screen {
                    workspace.cancel_quit();
                }
                Task::none()
            }
        }
    }

    fn settings_loaded(&mut self, loaded: settings::Loaded) -> Task<Message> {
        self.settings = loaded.settings;
        self.problem = loaded
            .problem
            .map(|problem| format!("Settings: {problem}."));
        self.load_notes()
    }

    fn load_notes(&mut self) -> Task<Message> {
        self.generation += 1;
        let generation = self.generation;
        self.screen = Screen::Loading;
        Task::perform(notes::load_dir(self.notes_dir()), move |files| {
            Message::NotesLoaded(generation, files)
        })
    }

    fn notes_loaded(
        &mut self,
        generation: u64,
        files: Result<Vec<NoteFile>, StoreError>,
    ) -> Task<Message> {
        if generation != self.generation {
            return Task::none();
        }
        let (mut workspace, task) = Workspace::new(self.notes_dir(), files);
        workspace.adopt_drafts(std::mem::take(&mut self.carry));
        self.screen = Screen::Workspace(workspace);
        task.map(move |message| Message::Workspace(generation, message))
    }

    fn workspace_message(&mut self, generation: u64, message: workspace::Message) -> Task<Message> {
        let Screen::Workspace(workspace) = &mut self.screen else {
            return Task::none();
        };
        if generation != self.generation {
            return Task::none();
        }
        let task = match workspace.update(message) {
            workspace::Action::None => Task::none(),
            workspace::Action::Run(task) => {
                task.map(move |message| Message::Workspace(generation, message))
            }
            workspace::Action::OpenSettings => {
                self.settings_screen = Some(settings_screen::State::default());
                Task::none()
            }
        };
        if self
            .workspace()
            .is_some_and(|workspace| workspace.is_quitting() && workspace.ready_to_quit())
        {
            return iced::exit();
        }
        task
    }

    fn settings_message(&mut self, message: settings_screen::Message) -> Task<Message> {
        let Some(screen) = &mut self.settings_screen else {
            return Task::none();
        };
        match screen.update(message) {
            settings_screen::Action::None => Task::none(),
            settings_screen::Action::Back => {
                self.settings_screen = None;
                Task::none()
            }
            settings_screen::Action::Run(task) => task.map(Message::Settings),
            settings_screen::Action::SetTheme(preference) => {
                self.settings.theme = preference;
                self.save_settings()
            }
            settings_screen::Action::SetNotesDir(dir) => {
                let before = self.notes_dir();
                self.settings.notes_dir = dir;
                if self.notes_dir() == before {
                    return self.save_settings();
                }
                if let Screen::Workspace(workspace) = &mut self.screen {
                    self.carry.extend(workspace.take_drafts());
                }
                Task::batch([self.save_settings(), self.load_notes()])
            }
        }
    }

    fn save_settings(&self) -> Task<Message> {
        Task::perform(
            settings::save(self.paths.settings_file(), self.settings.clone()),
            Message::SettingsSaved,
        )
    }

    fn key(&mut self, key: keyboard::Key, modifiers: keyboard::Modifiers) -> Task<Message> {
        if self.settings_screen.is_some() {
            let escape = key == keyboard::Key::Named(keyboard::key::Named::Escape);
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

    /// Closing the window saves everything first.
    fn close_requested(&mut self) -> Task<Message> {
        let generation = self.generation;
        match &mut self.screen {
            Screen::Workspace(workspace) => {
                let task = workspace.begin_quit();
                if workspace.ready_to_quit() {
                    iced::exit()
                } else {
                    task.map(move |message| Message::Workspace(generation, message))
                }
            }
            Screen::Loading => iced::exit(),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let generation = self.generation;
        let content: Element<'_, Message> = match (&self.screen, &self.settings_screen) {
            (_, Some(screen)) => screen
                .view(&self.settings, &self.paths, self.notes_dir())
                .map(Message::Settings),
            (Screen::Workspace(workspace), None) => workspace
                .view()
                .map(move |message| Message::Workspace(generation, message)),
            (Screen::Loading, None) => center(
                text("Opening your notes…")
                    .size(size::BODY)
                    .style(theme::muted),
            )
            .into(),
        };
        let mut page = column![];
        if let Some(problem) = &self.problem {
            page = page.push(banner(problem, None));
        }
        if let Some(workspace) = self.workspace().filter(|workspace| workspace.is_quitting())
            && let Some(error) = workspace.save_failure()
        {
            page = page.push(banner(
                &format!("BrainDump could not save before closing: {error}."),
                Some(
                    row![
                        button(text("Keep BrainDump open").size(size::BODY))
                            .style(button::secondary)
                            .on_press(Message::KeepOpen),
                        button(text("Quit without saving").size(size::BODY))
                            .style(button::danger)
                            .on_press(Message::QuitAnyway),
                    ]
                    .spacing(space::S)
                    .into(),
                ),
            ));
        }
        page.push(content).into()
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let keys = keyboard::listen().filter_map(|event| match event {
            keyboard::Event::KeyPressed { key, modifiers, .. } => {
                Some(Message::Key(key, modifiers))
            }
            _ => None,
        });
        let mut subscriptions = vec![
            keys,
            window::close_requests().map(|_| Message::CloseRequested),
            system::theme_changes().map(Message::SystemTheme),
        ];
        if let Screen::Workspace(workspace) = &self.screen {
            let workspace_subscriptions = [
                Subscription::run_with(workspace.dir().clone(), |dir| {
                    notes::watch::watch(dir.clone())
                })
                .map(workspace::Message::FolderChanged),
                time::every(Duration::from_secs(30)).map(|_| workspace::Message::Clock),
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
}

fn banner<'a>(message: &str, actions: Option<Element<'a, Message>>) -> Element<'a, Message> {
    let mut content = row![
        icon(Icon::Alert),
        text(message.to_owned()).size(size::BODY).width(Fill)
    ]
    .spacing(space::S)
    .align_y(Alignment::Center);
    if let Some(actions) = actions {
        content = content.push(actions);
    }
    container(content)
        .padding(space::S)
        .width(Fill)
        .style(|theme| theme::notice(theme, true))
        .into()
}

/// The iced application, ready to `run`.
pub fn application(
    paths: Paths,
) -> iced::Application<impl iced::Program<Message = Message, Theme = Theme>> {
    let mut application =
        iced::application(move || App::boot(paths.clone()), App::update, App::view)
            .title(App::title)
            .theme(App::theme)
            .subscription(App::subscription)
            .exit_on_close_request(false)
            .default_font(theme::FONT)
            .window_size((1100.0, 720.0));
    for font in theme::fonts() {
        application = application.font(font);
    }
    application
}
