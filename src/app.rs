//! The application: loads settings and notes, routes messages to the screen
//! in front, turns screen actions into tasks, and holds the subscriptions.

use std::path::PathBuf;

use iced::{Task, Theme, keyboard, system, window};

mod events;
mod geometry;
pub use geometry::text_scale;
mod keys;
mod quick;
mod view;

use crate::claude::{self, BaseUrl, Client, Validation};
use crate::key::keychain::{self, Backend};
use crate::key::{self, ApiKey, Source};
use crate::notes::{self, Listing, StoreError};
use crate::paths::Paths;
use crate::screen::onboarding::{self, Onboarding};
use crate::screen::processing::{self, Processing};
use crate::screen::settings as settings_screen;
use crate::screen::workspace::{self, Workspace};
use crate::settings::{self, Settings};
use crate::theme;
use keys::load_key;

/// Everything the app takes from its surroundings, so tests can give their
/// own (a fake server, a private keychain, temporary folders).
#[derive(Debug, Clone)]
pub struct Config {
    pub paths: Paths,
    pub base_url: Result<BaseUrl, claude::BaseUrlError>,
    pub env_key: Option<ApiKey>,
    pub keychain: Backend,
    /// For `make bench`: print `FIRST_FRAME` at the first frame and
    /// `LIST_SHOWN` at the first frame with the notes list, then exit.
    pub bench_frames: bool,
    /// For `make bench`: search for this once the notes are listed, to
    /// weigh the app after a search.
    pub bench_search: Option<String>,
    /// This process has its notes folder (see `instance`): later launches
    /// ask it to come to the front.
    #[cfg(unix)]
    pub instance: Option<crate::instance::Listener>,
    /// `braindump PATH`: the file to open once the notes are listed.
    pub open: Option<PathBuf>,
    /// `braindump --new-note`: start on a fresh note.
    pub new_note: bool,
    /// `braindump --capture`: open the quick-capture window at start.
    pub capture: bool,
    /// Settings already read before the window (to find the notes folder
    /// to claim): read once, so that a damaged file kept aside by that
    /// read is still reported.
    pub settings: Option<settings::Loaded>,
}

impl Config {
    pub fn from_env() -> Self {
        Self {
            paths: Paths::from_env(),
            base_url: BaseUrl::from_env(),
            env_key: key::from_env(),
            keychain: Backend::Platform,
            bench_frames: std::env::var_os("BRAINDUMP_BENCH_FIRST_FRAME").is_some(),
            bench_search: std::env::var("BRAINDUMP_BENCH_SEARCH").ok(),
            #[cfg(unix)]
            instance: None,
            open: None,
            new_note: false,
            capture: false,
            settings: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bench {
    FirstFrame,
    ListShown,
}

/// The key in use, and what is known of it.
#[derive(Debug, Clone)]
pub struct KeyState {
    pub key: ApiKey,
    pub source: Source,
    pub verified: bool,
}

/// The window's size when it opens.
const WINDOW_SIZE: (f32, f32) = (1100.0, 720.0);

pub struct App {
    /// The window's size in iced's units (the zoom applied), for the notes
    /// list (see `Workspace::set_window_height`) and the panes.
    window_size: iced::Size,
    /// The desktop's text-scaling factor, read at start.
    text_scale: f32,
    /// Window moves and resizes are saved once they settle: the latest.
    geometry_saves: u64,
    /// A pane divider is being dragged.
    dragging: Option<geometry::Pane>,
    /// The main window, once known (the daemon opens it; an application's
    /// is the first to open).
    main_window: Option<window::Id>,
    /// The quick-capture window, while open.
    capture: Option<crate::capture::Capture>,
    /// Hold the quick-capture shortcut (the real app; not the emulator).
    shortcut_enabled: bool,
    /// What became of the shortcut, for Settings.
    shortcut: Option<crate::capture::Shortcut>,
    /// The main window was closed with Keep running on: hidden.
    hidden: bool,
    paths: Paths,
    client: Client,
    backend: Backend,
    key: Option<KeyState>,
    /// Boot: the keychain has answered (or was not needed).
    key_loaded: bool,
    settings_loaded: bool,
    onboarding: Option<Onboarding>,
    /// The latest word on the key, shown in Settings.
    key_message: Option<String>,
    /// The keychain could not be read at start: a key may be there.
    keychain_failed: bool,
    /// The keychain has been slow to answer at start: most likely it is
    /// locked and asking for its password.
    keychain_waiting: bool,
    /// Settings' Remove is waiting for the keychain.
    key_removing: bool,
    /// Something to tell that is not a problem.
    notice: Option<String>,
    processing: Processing,
    /// `make bench`: which frames are still to be reported.
    bench: Option<Bench>,
    bench_search: Option<String>,
    #[cfg(unix)]
    instance: Option<crate::instance::Listener>,
    /// The window was closed while drafts moved to a new folder.
    quit_when_loaded: bool,
    /// A file to open once the notes are listed (`braindump PATH`).
    opening: Option<PathBuf>,
    /// A fresh note once the notes are listed (`braindump --new-note`).
    new_note_when_loaded: bool,
    /// A file from outside the notes folder, offered for import.
    import_offer: Option<PathBuf>,
    /// The local time zone, once read (off the UI thread).
    zone: Option<jiff::tz::TimeZone>,
    /// Notes read before the time zone: the workspace waits for it, so that
    /// the first new note is named in local time.
    notes_waiting: Option<(u64, Result<Listing, StoreError>)>,
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
    KeyLoaded(Result<Option<ApiKey>, keychain::Error>),
    /// Reading the key has taken longer than [`keychain::SLOW`].
    KeychainSlow,
    /// Read the key from the keychain again, after it failed.
    ReloadKey,
    Onboarding(onboarding::Message),
    KeyRechecked(Validation),
    KeyRemoved(Result<(), keychain::Error>),
    DismissNotice,
    Processing(processing::Message),
    Frame,
    WindowOpened(window::Id),
    /// Whether the window is maximized, asked after a resize to the size
    /// given (in the desktop's units).
    WindowMaximized(bool, iced::Size),
    SaveGeometry(u64),
    TextScale(f32),
    /// Closing: where the window was, and that it was saved.
    ClosePlaced(Option<geometry::Placed>),
    ClosePlacedSaved,
    /// A pane divider was grabbed.
    StartDrag(geometry::Pane),
    /// The pointer, while a divider is dragged (iced's units).
    DragTo(f32),
    DragEnded,
    /// Quick capture: its window, the shortcut, `braindump --capture`.
    Capture(crate::capture::Message),
    Shortcut(crate::capture::Shortcut),
    OpenCapture,
    /// A key no widget took, in a window.
    KeyIn(
        window::Id,
        keyboard::Key,
        keyboard::Modifiers,
        Option<String>,
    ),
    /// Esc, taken by a focused field (to unfocus it), in a window.
    EscapeInField(window::Id),
    CloseRequestedIn(window::Id),
    WindowResizedIn(window::Id, iced::Size),
    WindowMovedIn(window::Id, iced::Point),
    Zone(jiff::tz::TimeZone),
    ModesChanged,
    /// The newest notes of the folder (see `notes::Part`).
    NotesLoaded(u64, Result<Listing, StoreError>),
    /// More of them, older.
    NotesListed(u64, Vec<notes::Entry>, bool),
    /// The folder, shown as last listed, looked at again: the notes changed
    /// or new since, and those gone.
    NotesChecked(u64, Vec<notes::Entry>, Vec<notes::NoteId>),
    Workspace(u64, workspace::Message),
    Settings(settings_screen::Message),
    SettingsSaved(Result<(), settings::Error>),
    SystemTheme(iced::theme::Mode),
    QuitAnyway,
    KeepOpen,
    /// Another launch on this notes folder asked for this window.
    Activate,
    /// Open this file (absolute): `braindump PATH`, here or handed over.
    OpenPath(PathBuf),
    /// `braindump --new-note`, handed over: a fresh note, in front.
    NewNote,
    PathResolved(Result<crate::open::Target, String>),
    /// Import the file offered (a copy into the notes folder).
    Import,
    CancelImport,
    Imported(Result<notes::NoteId, String>),
}

impl App {
    pub fn boot(config: Config) -> (Self, Task<Message>) {
        let capture_at_start = config.capture;
        let window_size = config
            .settings
            .as_ref()
            .and_then(|loaded| loaded.settings.window)
            .map_or(WINDOW_SIZE.into(), |geometry| geometry.size());
        let load = match config.settings {
            Some(loaded) => Task::done(Message::SettingsLoaded(loaded)),
            None => Task::perform(
                settings::load(config.paths.settings_file()),
                Message::SettingsLoaded,
            ),
        };
        let (base_url, base_url_problem) = match config.base_url {
            Ok(url) => (url, None),
            Err(error) => (
                BaseUrl::default(),
                Some(format!(
                    "{error}. BrainDump uses {} instead.",
                    claude::DEFAULT_BASE_URL
                )),
            ),
        };
        let key = config.env_key.map(|key| KeyState {
            key,
            source: Source::Environment,
            verified: false,
        });
        let load_key = if key.is_some() {
            Task::none()
        } else {
            load_key(&config.keychain)
        };
        let client = Client::new(base_url);
        let processing = Processing::new(
            client.clone(),
            crate::modes::dir(&config.paths.config_dir),
            Vec::new(),
            processing::DEFAULT_MAX_TOKENS,
        );
        let load_modes = processing.load_modes().map(Message::Processing);
        let app = Self {
            window_size,
            text_scale: 1.0,
            geometry_saves: 0,
            dragging: None,
            main_window: None,
            capture: None,
            shortcut_enabled: false,
            shortcut: None,
            hidden: false,
            bench: config.bench_frames.then_some(Bench::FirstFrame),
            bench_search: config.bench_search.clone(),
            #[cfg(unix)]
            instance: config.instance.clone(),
            quit_when_loaded: false,
            opening: config.open,
            new_note_when_loaded: config.new_note,
            import_offer: None,
            zone: None,
            notes_waiting: None,
            processing,
            paths: config.paths,
            client,
            backend: config.keychain,
            key_loaded: key.is_some(),
            key,
            settings_loaded: false,
            onboarding: None,
            key_message: None,
            keychain_failed: false,
            keychain_waiting: false,
            key_removing: false,
            notice: None,
            settings: Settings::default(),
            system_dark: false,
            screen: Screen::Loading,
            settings_screen: None,
            generation: 0,
            carry: Vec::new(),
            problem: base_url_problem,
        };
        (
            app,
            Task::batch([
                load,
                load_key,
                load_modes,
                Task::perform(crate::time::system_zone(), Message::Zone),
                Task::perform(geometry::text_scale(), Message::TextScale),
                if capture_at_start {
                    Task::done(Message::OpenCapture)
                } else {
                    Task::none()
                },
                system::theme().map(Message::SystemTheme),
            ]),
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
            Message::KeyLoaded(result) => self.key_loaded(result),
            Message::KeychainSlow => {
                self.keychain_waiting = !self.key_loaded;
                if self.key_removing {
                    self.key_message = Some(keychain::WAITING.to_owned());
                }
                Task::none()
            }
            Message::ReloadKey => self.reload_key(),
            Message::Onboarding(message) => self.onboarding_message(message),
            Message::KeyRechecked(validation) => self.key_rechecked(validation),
            Message::KeyRemoved(result) => self.key_removed(result),
            Message::Processing(message) => self.processing_message(message),
            Message::Frame => self.frame(),
            Message::WindowOpened(id) => self.window_opened(id),
            Message::WindowMaximized(maximized, size) => self.window_maximized(maximized, size),
            Message::SaveGeometry(ticket) => self.save_geometry(ticket),
            Message::TextScale(scale) => self.text_scale_read(scale),
            Message::StartDrag(pane) => {
                self.dragging = Some(pane);
                Task::none()
            }
            Message::DragTo(x) => self.drag_to(x),
            Message::DragEnded => self.drag_ended(),
            Message::Capture(message) => self.capture_message(message),
            Message::Shortcut(event) => self.shortcut_event(event),
            Message::OpenCapture => self.open_capture(),
            Message::KeyIn(id, key, modifiers, typed) => self.key_in(id, key, modifiers, typed),
            Message::EscapeInField(id) => self.escape_in_field(id),
            Message::CloseRequestedIn(id) => self.close_requested_in(id),
            Message::WindowResizedIn(id, size) => self.resized_in(id, size),
            Message::WindowMovedIn(id, position) => self.moved_in(id, position),
            Message::Zone(zone) => {
                if let Screen::Workspace(workspace) = &mut self.screen {
                    workspace.set_zone(zone.clone());
                }
                self.zone = Some(zone);
                match self.notes_waiting.take() {
                    Some((generation, files)) => self.notes_loaded(generation, files),
                    None => Task::none(),
                }
            }
            Message::ModesChanged => self.processing.load_modes().map(Message::Processing),
            Message::DismissNotice => {
                self.notice = None;
                self.problem = None;
                self.keychain_waiting = false;
                Task::none()
            }
            Message::NotesLoaded(generation, files) => self.notes_loaded(generation, files),
            Message::NotesListed(generation, entries, last) => {
                self.notes_listed(generation, entries, last)
            }
            Message::NotesChecked(generation, changed, gone) => {
                self.notes_checked(generation, changed, gone)
            }
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
            Message::ClosePlaced(position) => self.close_placed(position),
            Message::ClosePlacedSaved => self.close_requested(),
            Message::QuitAnyway => iced::exit(),
            Message::Activate => self.activate(),
            Message::OpenPath(path) => {
                let activate = Task::done(Message::Activate);
                if self.workspace().is_none() {
                    self.opening = Some(path);
                    return activate;
                }
                Task::batch([activate, self.resolve(path)])
            }
            Message::PathResolved(result) => self.path_resolved(result),
            Message::NewNote => {
                let activate = Task::done(Message::Activate);
                if self.workspace().is_none() {
                    self.new_note_when_loaded = true;
                    return activate;
                }
                self.settings_screen = None;
                let new = self.workspace_message(self.generation, workspace::Message::NewNote);
                Task::batch([activate, new])
            }
            Message::Import => {
                let Some(path) = self.import_offer.take() else {
                    return Task::none();
                };
                let dir = self.notes_dir();
                Task::perform(
                    async move {
                        tokio::task::spawn_blocking(move || crate::open::import(&path, &dir))
                            .await
                            .unwrap_or_else(|error| Err(error.to_string()))
                    },
                    Message::Imported,
                )
            }
            Message::CancelImport => {
                self.import_offer = None;
                Task::none()
            }
            Message::Imported(Ok(id)) => self.open_note(id),
            Message::Imported(Err(error)) => {
                self.problem = Some(error);
                Task::none()
            }
            Message::KeepOpen => {
                if let Screen::Workspace(workspace) = &mut self.screen {
                    workspace.cancel_quit();
                }
                Task::none()
            }
        }
    }

    /// Where a file to open is, off the UI thread.
    fn resolve(&self, path: PathBuf) -> Task<Message> {
        let dir = self.notes_dir();
        Task::perform(
            async move {
                tokio::task::spawn_blocking(move || crate::open::resolve(&path, &dir))
                    .await
                    .unwrap_or_else(|error| Err(error.to_string()))
            },
            Message::PathResolved,
        )
    }

    fn path_resolved(&mut self, result: Result<crate::open::Target, String>) -> Task<Message> {
        use crate::open::Target;
        match result {
            Ok(Target::Note(id)) => self.open_note(id),
            Ok(Target::Outside(path)) => {
                self.import_offer = Some(path);
                Task::none()
            }
            Err(error) => {
                self.problem = Some(error);
                Task::none()
            }
        }
    }

    /// Shows `id` in the workspace, from whatever screen is in front.
    fn open_note(&mut self, id: notes::NoteId) -> Task<Message> {
        self.settings_screen = None;
        self.workspace_message(self.generation, workspace::Message::Open(id))
    }

    fn settings_loaded(&mut self, loaded: settings::Loaded) -> Task<Message> {
        let before = self.scale_factor();
        self.settings = loaded.settings;
        self.settings.zoom = crate::zoom::sanitize(self.settings.zoom);
        self.settings.panes = self.settings.panes.sanitized();
        self.rescaled(before);
        if let Some(problem) = loaded.problem {
            let problem = problem.to_string();
            let end = if problem.ends_with('.') { "" } else { "." };
            self.problem = Some(format!("Settings: {problem}{end}"));
        }
        self.settings_loaded = true;
        self.processing.set_models(self.settings.models.clone());
        self.processing.set_max_tokens(self.settings.max_tokens);
        self.processing.set_budget(self.settings.monthly_budget);
        self.maybe_onboard();
        self.load_notes()
    }

    pub fn key(&self) -> Option<&KeyState> {
        self.key.as_ref()
    }

    pub fn onboarding(&self) -> Option<&Onboarding> {
        self.onboarding.as_ref()
    }

    fn load_notes(&mut self) -> Task<Message> {
        self.generation += 1;
        let generation = self.generation;
        self.screen = Screen::Loading;
        Task::run(
            notes::listing(self.notes_dir(), notes::Vocabulary::shared()),
            move |part| match part {
                notes::Part::First(listing) => Message::NotesLoaded(generation, listing),
                notes::Part::More(entries, last) => Message::NotesListed(generation, entries, last),
                notes::Part::Checked(changed, gone) => {
                    Message::NotesChecked(generation, changed, gone)
                }
            },
        )
    }

    /// The folder shown as last listed, looked at again.
    fn notes_checked(
        &mut self,
        generation: u64,
        changed: Vec<notes::Entry>,
        gone: Vec<notes::NoteId>,
    ) -> Task<Message> {
        if generation != self.generation {
            return Task::none();
        }
        if let Some((waiting, Ok(listing))) = &mut self.notes_waiting
            && *waiting == generation
        {
            listing.checked(changed, gone);
            return Task::none();
        }
        self.workspace_message(generation, workspace::Message::Checked(changed, gone))
    }

    /// More of the folder's notes, while it is being listed: into the
    /// workspace, or into the listing waiting for the time zone.
    fn notes_listed(
        &mut self,
        generation: u64,
        entries: Vec<notes::Entry>,
        last: bool,
    ) -> Task<Message> {
        if generation != self.generation {
            return Task::none();
        }
        if let Some((waiting, Ok(listing))) = &mut self.notes_waiting
            && *waiting == generation
        {
            listing.extend(entries, last);
            return Task::none();
        }
        self.workspace_message(generation, workspace::Message::Listed(entries, last))
    }

    fn notes_loaded(
        &mut self,
        generation: u64,
        files: Result<Listing, StoreError>,
    ) -> Task<Message> {
        if generation != self.generation {
            return Task::none();
        }
        let Some(zone) = self.zone.clone() else {
            self.notes_waiting = Some((generation, files));
            return Task::none();
        };
        let (mut workspace, task) = Workspace::with_zone(self.notes_dir(), files, zone);
        workspace.set_window_height(self.window_size.height);
        workspace.set_list_width(geometry::fit(self.settings.panes, self.window_size.width).0);
        workspace.adopt_drafts(std::mem::take(&mut self.carry));
        let task = if std::mem::take(&mut self.quit_when_loaded) {
            Task::batch([task, workspace.begin_quit()])
        } else {
            task
        };
        let task = match self.bench_search.take() {
            Some(query) => {
                Task::batch([task, Task::done(workspace::Message::SearchChanged(query))])
            }
            None => task,
        };
        self.screen = Screen::Workspace(workspace);
        let open = match self.opening.take() {
            Some(path) => self.resolve(path),
            None if std::mem::take(&mut self.new_note_when_loaded) => {
                Task::done(Message::Workspace(generation, workspace::Message::NewNote))
            }
            None => Task::none(),
        };
        let queue = self
            .processing
            .set_notes_dir(self.notes_dir())
            .map(Message::Processing);
        Task::batch([
            task.map(move |message| Message::Workspace(generation, message)),
            queue,
            self.sync_processing(),
            open,
        ])
    }

    fn workspace_message(&mut self, generation: u64, message: workspace::Message) -> Task<Message> {
        let Screen::Workspace(workspace) = &mut self.screen else {
            return Task::none();
        };
        if generation != self.generation {
            return Task::none();
        }
        // A note's queued requests go where the note goes.
        let queue = match &message {
            workspace::Message::Trashed(id, Ok(trashed)) => {
                self.processing.note_trashed(id, trashed.file_name())
            }
            workspace::Message::Restored(trashed, Ok(id)) => {
                self.processing.note_restored(trashed, id)
            }
            workspace::Message::Moved(from, Ok(to)) => self.processing.note_moved(from, to),
            workspace::Message::TrashChanged(Ok(names))
            | workspace::Message::TrashPurged(Ok(names)) => self.processing.notes_deleted(names),
            _ => Task::none(),
        }
        .map(Message::Processing);
        let task = match workspace.update(message) {
            workspace::Action::None => Task::none(),
            workspace::Action::Run(task) => {
                task.map(move |message| Message::Workspace(generation, message))
            }
            workspace::Action::OpenSettings => {
                self.settings_screen = Some(settings_screen::State::default());
                Task::none()
            }
            workspace::Action::ResizeList => {
                self.dragging = Some(geometry::Pane::List);
                Task::none()
            }
            workspace::Action::SetUpClaude => {
                self.onboarding = Some(Onboarding::replace(
                    self.client.clone(),
                    self.backend.clone(),
                ));
                Task::none()
            }
        };
        if self
            .workspace()
            .is_some_and(|workspace| workspace.is_quitting() && workspace.ready_to_quit())
        {
            return iced::exit();
        }
        Task::batch([task, queue, self.sync_processing()])
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
            settings_screen::Action::SetBudget(budget) => {
                self.settings.monthly_budget = budget;
                self.processing.set_budget(budget);
                self.save_settings()
            }
            settings_screen::Action::SetMaxTokens(max_tokens) => {
                self.settings.max_tokens = max_tokens;
                self.processing.set_max_tokens(max_tokens);
                self.save_settings()
            }
            settings_screen::Action::ReplaceKey => {
                self.onboarding = Some(Onboarding::replace(
                    self.client.clone(),
                    self.backend.clone(),
                ));
                Task::none()
            }
            settings_screen::Action::RecheckKey => match &self.key {
                Some(key) => {
                    self.key_message = Some("Checking…".to_owned());
                    Task::perform(
                        claude::validate(self.client.clone(), key.key.clone()),
                        Message::KeyRechecked,
                    )
                }
                None => Task::none(),
            },
            settings_screen::Action::RemoveKey => {
                if self
                    .key
                    .as_ref()
                    .is_some_and(|key| key.source == Source::Session)
                {
                    self.key = None;
                    self.key_message = Some("The key was forgotten.".to_owned());
                    return Task::none();
                }
                self.key_removing = true;
                self.key_message = Some("Removing the key from the keychain…".to_owned());
                Task::batch([
                    Task::perform(keychain::remove(self.backend.clone()), Message::KeyRemoved),
                    keys::slow_keychain(),
                ])
            }
            settings_screen::Action::Zoom(zoom) => self.zoom(zoom),
            settings_screen::Action::KeepRunning(keep) => {
                self.settings.keep_running = keep;
                self.save_settings()
            }
            settings_screen::Action::SetShortcut(shortcut) => {
                if shortcut != self.settings.capture_shortcut {
                    // Let go of the old one; the new one says how it went.
                    self.shortcut = None;
                    self.settings.capture_shortcut = shortcut;
                }
                self.save_settings()
            }
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
            // Drafts on their way to a new folder: quit once they are in it.
            Screen::Loading if !self.carry.is_empty() => {
                self.quit_when_loaded = true;
                Task::none()
            }
            Screen::Loading => iced::exit(),
        }
    }

    fn frame(&mut self) -> Task<Message> {
        use std::io::Write;

        if self.bench == Some(Bench::FirstFrame) {
            println!("FIRST_FRAME");
            self.bench = Some(Bench::ListShown);
        }
        if self.bench == Some(Bench::ListShown) && self.workspace().is_some() {
            println!("LIST_SHOWN");
            let _ = std::io::stdout().flush();
            self.bench = None;
            return iced::exit();
        }
        let _ = std::io::stdout().flush();
        Task::none()
    }
}

fn focus_editor() -> Task<Message> {
    iced::widget::operation::focus(workspace::EDITOR_ID)
}

/// The iced application, ready to `run`.
pub fn application(
    config: Config,
) -> iced::Application<impl iced::Program<Message = Message, Theme = Theme>> {
    let window = config
        .settings
        .as_ref()
        .and_then(|loaded| loaded.settings.window);
    let application = iced::application(move || App::boot(config.clone()), App::update, App::view)
        .title(App::title)
        .theme(App::theme)
        .subscription(App::subscription)
        .scale_factor(App::scale_factor)
        .exit_on_close_request(false)
        .default_font(theme::FONT)
        .window(geometry::settings(window.as_ref(), WINDOW_SIZE.into()));
    theme::load_fonts();
    application
}

/// The app as it runs on the desktop: an iced daemon, so that the
/// quick-capture window can open beside the main one (an `application`
/// has one view for every window). The main window is opened at boot, as
/// `application` would, and closing it quits as before.
pub fn daemon(
    config: Config,
) -> iced::Daemon<impl iced::Program<Message = Message, Theme = Theme>> {
    let geometry = config
        .settings
        .as_ref()
        .and_then(|loaded| loaded.settings.window);
    let boot = move || {
        let (mut app, task) = App::boot(config.clone());
        let mut settings = geometry::settings(geometry.as_ref(), WINDOW_SIZE.into());
        settings.exit_on_close_request = false;
        let (id, opened) = window::open(settings);
        app.main_window = Some(id);
        app.shortcut_enabled = true;
        (app, Task::batch([opened.map(Message::WindowOpened), task]))
    };
    let daemon = iced::daemon(boot, App::update, App::view_window)
        .title(App::title_of)
        .theme(App::theme_of)
        .subscription(App::subscription)
        .scale_factor(App::scale_of)
        .default_font(theme::FONT);
    theme::load_fonts();
    daemon
}

#[cfg(test)]
mod tests;
