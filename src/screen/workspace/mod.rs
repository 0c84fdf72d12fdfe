//! The workspace: the notes list, the editor and the status line.
//!
//! All disk work leaves `update` as a `Task`; its result comes back as a
//! `Message`. Nothing here blocks.

mod autosave;
mod compare;
mod editing;
mod folders;
mod history;
mod list;
mod note;
mod sync;
mod trash;
mod trash_view;
mod view;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use iced::widget::{operation, scrollable, text_editor};
use iced::{Task, keyboard};

pub use note::{Failure, Kind, Note, TextNote};

use crate::notes::search::Searcher;
use crate::notes::watch::Change;
use crate::notes::{
    self, Entry, Listing, NoteId, SaveError, Saved, Stamp, StoreError, Trashed, index, undo,
};

pub const EDITOR_ID: &str = "editor";
pub const SEARCH_ID: &str = "search";
pub const LIST_ID: &str = "notes-list";
/// Height of one row of the notes list; fixed, so the list can be scrolled
/// to a row without measuring it.
pub const ROW_HEIGHT: f32 = 56.0;
/// About how much of the window's height is not the notes list: the search
/// row above it and the status line below.
pub const LIST_CHROME: f32 = 96.0;

#[derive(Debug)]
pub struct Workspace {
    dir: PathBuf,
    notes: Vec<Note>,
    /// The words of the notes (see `notes::index`).
    vocabulary: index::Shared,
    /// Notes are listed without their words until the first search.
    finding: Finding,
    /// Whether every note of the folder has been listed (see
    /// `notes::Part`).
    listing_complete: bool,
    /// Whether the words of all the notes have been asked for, to be kept
    /// in the words cache.
    words_kept: bool,
    /// Whether some notes' words were read from their files, not taken
    /// from the words cache: it is out of date.
    words_read_from_files: bool,
    selected: Option<NoteId>,
    editor: text_editor::Content,
    query: String,
    searcher: Searcher,
    /// Positions in `notes` shown in the list, best match first.
    visible: Vec<usize>,
    /// Each listed note's search score, by `visible`'s order (all 0 with no
    /// words searched).
    scores: Vec<u32>,
    list_viewport: (f32, f32),
    /// The window's height: the most the list can be, until it has been
    /// scrolled (which tells its own).
    window_height: f32,
    /// The notes list's width (the user's, from Settings).
    list_width: f32,
    undo: Option<Undo>,
    /// Each note's undo history of its text, kept while the app runs.
    histories: HashMap<NoteId, undo::History>,
    /// Editor actions taken while the open note's file was being read,
    /// done once its text is there (so no keystroke is dropped).
    pending_edits: Vec<text_editor::Action>,
    /// The rest of a long note's text, put in the editor at the next frame
    /// (see `show_text`), and where the cursor goes then (else where it is).
    unfilled: Option<(String, Option<text_editor::Cursor>)>,
    /// The History view of the open note, when open.
    history: Option<history::View>,
    /// The Trash view, when open.
    trash_view: Option<trash_view::View>,
    /// The folder the list is narrowed to (`""`: all); new notes go in it.
    folder: String,
    /// The folders and tags of the listed notes (see `folders`).
    folders: Vec<String>,
    all_tags: Vec<String>,
    /// The Move to folder bar, when open.
    moving: Option<folders::Move>,
    /// Pinned notes, listed first (kept in `.braindump/pins.json`).
    pinned: HashSet<NoteId>,
    /// The Compare view of a conflict copy and its note, when open.
    comparing: Option<compare::View>,
    /// A kept copy's text, to become this note's once its text is there.
    pending_replace: Option<(NoteId, String)>,
    notice: Option<Notice>,
    /// Notes being moved to the trash right now.
    trashing: HashSet<NoteId>,
    /// Notes with a reply from the offline queue not yet looked at: marked
    /// in the list until opened.
    replies: HashSet<NoteId>,
    /// What the privacy scan found in the open note, marked in the editor,
    /// and the byte ranges they were made from.
    marks: crate::widget::marks::Marks,
    marked: Vec<std::ops::Range<usize>>,
    /// A note to delete once its save in flight has landed.
    delete_after_save: Option<NoteId>,
    quitting: bool,
    now: jiff::Zoned,
    zone: jiff::tz::TimeZone,
}

/// Where finding the notes' words for search stands (see
/// `notes::Indexing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finding {
    /// Nobody has searched yet: the folder is listed without words.
    NotAsked,
    /// Being read for the notes that lack them.
    Running,
    /// Asked for: from now on the folder is listed with its words.
    Done,
}

/// The last deleted note, kept whole (unsaved text included) for Undo.
#[derive(Debug, Clone)]
pub struct Undo {
    note: Note,
    trashed: Option<Trashed>,
    /// Undo is offered until then, or until the next action (typing,
    /// opening or making a note); after that the note is in the trash.
    offered_until: Option<Instant>,
    /// Undo was asked for while the note was still being moved to the
    /// trash: it is put back as soon as the move has landed.
    asked: bool,
}

/// How long "Moved to the trash · Undo" stays.
pub const UNDO_DELETE_FOR: Duration = Duration::from_secs(8);

/// Something the user should know that is not about the open note's saving.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub danger: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Select(NoteId),
    /// Open this note, named from outside (`braindump PATH`): shown even
    /// when a search hides it, read first when it is not listed yet.
    Open(NoteId),
    Edit(text_editor::Action),
    /// Typed while nothing had focus: into the open note, at its cursor.
    TypeIntoNote(String),
    ResizeList,
    NewNote,
    Delete,
    Trashed(NoteId, Result<Trashed, StoreError>),
    /// Undo the delete just made (the notice's button).
    Undo,
    /// Ctrl+Z: undo the delete while it is offered, else the last edit.
    UndoEdit,
    /// Ctrl+Shift+Z or Ctrl+Y.
    RedoEdit,
    /// A trashed note (its file name in the trash) is back, under a name.
    Restored(String, Result<NoteId, StoreError>),
    SearchChanged(String),
    SearchSubmitted,
    FocusSearch,
    Navigate(isize),
    ClearSearch,
    /// A frame was drawn: the rest of a long note goes into the editor.
    FillEditor,
    ListScrolled(scrollable::Viewport),
    Tick(Instant),
    Clock,
    Saved {
        id: NoteId,
        revision: u64,
        text: String,
        result: Result<Saved, SaveError>,
    },
    SaveNow,
    FolderChanged(Change),
    Reloaded(Vec<(NoteId, Option<Entry>)>),
    Rescanned(Result<Listing, StoreError>),
    /// More notes of the folder being listed, older than those listed;
    /// whether they are the last.
    Listed(Vec<Entry>, bool),
    /// The folder, shown as its listing cache had it, looked at again: the
    /// notes changed or new since, and the notes gone.
    Checked(Vec<Entry>, Vec<NoteId>),
    /// The words of notes listed without them.
    /// Whether some were read from their files (not all in the words
    /// cache).
    Indexed(Vec<(NoteId, Stamp, notes::Words)>, bool),
    DismissNotice,
    OpenSettings,
    SetUpClaude,
    /// Open or close the open note's History view (Ctrl+Shift+H).
    ToggleHistory,
    HistoryListed(NoteId, Result<Vec<notes::history::Version>, String>),
    ShowVersion(usize),
    VersionRead(PathBuf, Result<String, String>),
    RestoreVersion,
    /// A version was kept (outside change, restore); errors are logged.
    VersionKept(Result<bool, String>),
    /// Open or close the Trash view.
    ToggleTrash,
    TrashListed(Result<Vec<notes::trashed::Entry>, String>),
    /// Put back the trashed note with this file name in the trash.
    RestoreTrashed(String),
    /// Delete this trashed note for good: asks first.
    AskDeleteForever(String),
    /// Empty the trash: asks first.
    AskEmptyTrash,
    ConfirmDeleteForever,
    CancelTrashQuestion,
    /// Trashed notes (file names there) deleted for good, or why not.
    TrashChanged(Result<Vec<String>, String>),
    /// Compare the open conflict copy with its note.
    Compare,
    OriginalRead(Result<String, String>),
    KeepOriginal,
    KeepCopy,
    CloseCompare,
    /// Pin the open note to the top of the list, or unpin it
    /// (Ctrl+Shift+P).
    TogglePin,
    PinsLoaded((Vec<NoteId>, Option<String>)),
    PinsSaved(Result<(), String>),
    /// Narrow the list to this folder (`""`: every note).
    ViewFolder(String),
    /// Add `#tag` to the search.
    FilterTag(String),
    /// Open the Move to folder bar (Ctrl+Shift+M).
    AskMove,
    MoveInput(String),
    ConfirmMove,
    CancelMove,
    Moved(NoteId, Result<NoteId, StoreError>),
    /// Notes deleted more than 30 days ago went for good (their names in
    /// the trash).
    TrashPurged(Result<Vec<String>, String>),
}

/// How Claude stands, as the workspace shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claude {
    NotSetUp,
    /// A key is there but has not been confirmed (offline, or from the
    /// environment).
    Unchecked,
    Ready,
    /// Requests wait in the offline queue.
    Offline(usize),
}

/// What only the app can do.
#[derive(Debug)]
pub enum Action {
    None,
    Run(Task<Message>),
    OpenSettings,
    SetUpClaude,
    /// The divider beside the list was grabbed: the app follows the pointer.
    ResizeList,
}

impl From<Task<Message>> for Action {
    fn from(task: Task<Message>) -> Self {
        Self::Run(task)
    }
}

impl Workspace {
    /// A workspace over `dir` holding the notes `listing` found there,
    /// opened to a fresh note with the cursor in it.
    pub fn new(dir: PathBuf, listing: Result<Listing, StoreError>) -> (Self, Task<Message>) {
        Self::with_zone(dir, listing, jiff::tz::TimeZone::UTC)
    }

    /// The same, with times shown (and new notes named) in `zone`.
    pub fn with_zone(
        dir: PathBuf,
        listing: Result<Listing, StoreError>,
        zone: jiff::tz::TimeZone,
    ) -> (Self, Task<Message>) {
        let (listing, notice) = match listing {
            Ok(listing) => (listing, None),
            Err(error) => (
                Listing::empty(),
                Some(Notice {
                    text: format!(
                        "BrainDump {error}. What you write is kept here; choose another notes folder in Settings."
                    ),
                    danger: true,
                }),
            ),
        };
        let catalog = listing.catalog;
        let mut workspace = Self {
            dir,
            // In place: a `Note` is no bigger than an `Entry`, so the
            // listing's allocation is reused (see `a_listed_note_is_small`).
            notes: listing.entries.into_iter().map(Note::from_entry).collect(),
            vocabulary: listing.vocabulary,
            finding: Finding::NotAsked,
            listing_complete: listing.complete,
            words_kept: false,
            words_read_from_files: false,
            selected: None,
            editor: text_editor::Content::new(),
            query: String::new(),
            searcher: Searcher::default(),
            visible: Vec::new(),
            scores: Vec::new(),
            list_viewport: (0.0, 0.0),
            window_height: 0.0,
            list_width: crate::settings::Panes::default().list,
            undo: None,
            histories: HashMap::new(),
            pending_edits: Vec::new(),
            unfilled: None,
            trash_view: None,
            pinned: HashSet::new(),
            folder: String::new(),
            folders: Vec::new(),
            all_tags: Vec::new(),
            moving: None,
            comparing: None,
            pending_replace: None,
            history: None,
            notice,
            trashing: HashSet::new(),
            replies: HashSet::new(),
            marks: crate::widget::marks::Marks::default(),
            marked: Vec::new(),
            delete_after_save: None,
            quitting: false,
            now: crate::time::now_in(&zone),
            zone,
        };
        // The folders and tags offered: worked out with the listing, off
        // the UI thread, for a big folder.
        match catalog {
            Some(catalog) => {
                workspace.folders = catalog.folders;
                workspace.all_tags = catalog.tags;
            }
            None => workspace.refresh_catalog(),
        }
        // Notes deleted more than 30 days ago leave the trash for good.
        let purge = Task::perform(
            notes::trashed::purge_async(workspace.dir.clone(), notes::trashed::KEEP_FOR),
            Message::TrashPurged,
        );
        let pins = Task::perform(
            notes::pins::load(workspace.dir.clone()),
            Message::PinsLoaded,
        );
        let task = Task::batch([workspace.new_note(), purge, pins]);
        (workspace, task)
    }

    pub fn dir(&self) -> &PathBuf {
        &self.dir
    }

    /// The vocabulary the notes' words are in (see `notes::index`).
    pub fn vocabulary(&self) -> &index::Shared {
        &self.vocabulary
    }

    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    pub fn selected(&self) -> Option<&Note> {
        self.selected.as_ref().and_then(|id| self.note(id))
    }

    /// The notes shown in the list, in order.
    pub fn visible(&self) -> impl Iterator<Item = &Note> {
        self.visible.iter().map(|&index| &self.notes[index])
    }

    /// Marks `ranges` (bytes of the open note's text) in the editor; none
    /// clears them.
    pub fn set_marks(&mut self, ranges: &[std::ops::Range<usize>]) {
        // Called after every message: only a change of finds costs a copy
        // of the text.
        if self.marked == ranges {
            return;
        }
        self.marked = ranges.to_vec();
        self.marks = if ranges.is_empty() {
            crate::widget::marks::Marks::default()
        } else {
            self.fill_editor();
            let text = self.editor.text();
            crate::widget::marks::Marks::new(&text, ranges.iter().cloned())
        };
    }

    /// Is a bar or view open over the note that Esc closes (Move, history,
    /// the trash, a comparison)?
    pub fn has_overlay(&self) -> bool {
        self.moving.is_some()
            || self.history.is_some()
            || self.trash_view.is_some()
            || self.comparing.is_some()
    }

    pub fn is_pinned(&self, id: &NoteId) -> bool {
        self.pinned.contains(id)
    }

    /// Pins the open note to the top of the list, or unpins it; saved off
    /// the UI thread.
    fn toggle_pin(&mut self) -> Task<Message> {
        let Some(id) = self
            .selected()
            .filter(|note| note.as_text().is_some() && !note.is_blank_draft())
            .map(|note| note.id.clone())
        else {
            return Task::none();
        };
        if !self.pinned.remove(&id) {
            self.pinned.insert(id);
        }
        self.refresh_list();
        self.save_pins()
    }

    /// Writes the pins, off the UI thread.
    fn save_pins(&self) -> Task<Message> {
        let mut pinned: Vec<NoteId> = self.pinned.iter().cloned().collect();
        pinned.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        Task::perform(
            notes::pins::save(self.dir.clone(), pinned),
            Message::PinsSaved,
        )
    }

    /// A reply to `id` came while it was not being looked at.
    pub fn mark_reply(&mut self, id: NoteId) {
        if self.selected.as_ref() != Some(&id) {
            self.replies.insert(id);
        }
    }

    pub fn has_reply(&self, id: &NoteId) -> bool {
        self.replies.contains(id)
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Is "Undo" offered for the note just deleted?
    pub fn can_undo(&self) -> bool {
        let now = Instant::now();
        self.undo.as_ref().is_some_and(|undo| {
            undo.offered_until.is_some_and(|until| now < until)
                && (undo.trashed.is_some() || undo.note.as_text().is_some_and(|n| n.disk.is_none()))
        })
    }

    /// Undo of the delete is no longer offered (the note stays in the
    /// trash).
    fn withdraw_undo(&mut self) {
        if let Some(undo) = &mut self.undo {
            undo.offered_until = None;
        }
    }

    /// Unsaved text anywhere?
    pub fn is_dirty(&self) -> bool {
        self.notes
            .iter()
            .any(|note| note.is_dirty() && !note.is_blank_draft())
    }

    pub fn is_saving(&self) -> bool {
        self.notes.iter().any(Note::is_saving)
    }

    /// Does autosave need the clock?
    pub fn needs_ticks(&self) -> bool {
        self.quitting
            || self.is_dirty()
            || self
                .undo
                .as_ref()
                .is_some_and(|undo| undo.offered_until.is_some())
    }

    /// Drafts that have not reached the disk, to carry into another folder.
    pub fn take_drafts(&mut self) -> Vec<String> {
        self.notes
            .iter_mut()
            .filter(|note| note.is_dirty() && !note.is_blank_draft())
            .filter_map(|note| note.as_text_mut()?.take_draft())
            .collect()
    }

    /// Adds texts as new notes (they are saved by autosave).
    pub fn adopt_drafts(&mut self, drafts: Vec<String>) {
        // None (the usual case, at every start): the list as it is; ranking
        // 100,000 notes again would cost the first frame ~10 ms.
        if drafts.is_empty() {
            return;
        }
        let now = Instant::now();
        for text in drafts {
            let id = self.fresh_id();
            let mut note = Note::new_draft(id);
            note.edit(text, now);
            self.notes.insert(0, note);
        }
        self.refresh_list();
    }

    /// Starts saving everything now; the app quits once `ready_to_quit`.
    pub fn begin_quit(&mut self) -> Task<Message> {
        self.quitting = true;
        self.tick(Instant::now())
    }

    pub fn cancel_quit(&mut self) {
        self.quitting = false;
    }

    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    pub fn ready_to_quit(&self) -> bool {
        !self.is_dirty() && !self.is_saving()
    }

    /// The first save error of a note that still has unsaved text.
    pub fn save_failure(&self) -> Option<&SaveError> {
        self.notes
            .iter()
            .filter_map(Note::as_text)
            .filter(|note| note.is_dirty())
            .find_map(|note| {
                let failure = note.session().failure.as_ref()?;
                Some(&failure.error)
            })
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Select(id) => {
                self.withdraw_undo();
                self.history = None;
                self.trash_view = None;
                self.comparing = None;
                self.select(id, true).into()
            }
            Message::Open(id) => {
                self.withdraw_undo();
                self.history = None;
                self.trash_view = None;
                if self.note(&id).is_none() {
                    // Made a moment ago (an import, another program): read
                    // it, then open it, with no search to hide it.
                    let _ = self.search(String::new());
                    return self
                        .reread(vec![id.clone()])
                        .chain(Task::done(Message::Select(id)))
                        .into();
                }
                if !self.visible().any(|note| note.id == id) {
                    let _ = self.search(String::new());
                }
                self.select(id, true).into()
            }
            Message::Edit(action) => {
                if action.is_edit() {
                    self.withdraw_undo();
                }
                self.edit(action).into()
            }
            Message::TypeIntoNote(text) => self.type_into_note(&text).into(),
            Message::ResizeList => Action::ResizeList,
            Message::NewNote => {
                self.withdraw_undo();
                self.new_note().into()
            }
            Message::Delete => self.delete().into(),
            Message::Trashed(id, result) => self.trashed(id, result).into(),
            Message::Undo => self.undo().into(),
            Message::UndoEdit if self.can_undo() => self.undo().into(),
            Message::UndoEdit => self.undo_edit(false).into(),
            Message::RedoEdit => self.undo_edit(true).into(),
            Message::Restored(name, result) => self.restored(&name, result).into(),
            Message::SearchChanged(query) => self.search(query).into(),
            Message::SearchSubmitted => operation::focus(EDITOR_ID).into(),
            Message::FocusSearch => Task::batch([
                operation::focus(SEARCH_ID),
                operation::select_all(SEARCH_ID),
                self.find_words(),
            ])
            .into(),
            Message::Navigate(step) => self.navigate(step).into(),
            Message::ClearSearch if self.moving.is_some() => self.cancel_move().into(),
            Message::ClearSearch if self.history.is_some() => self.toggle_history().into(),
            Message::ClearSearch if self.trash_view.is_some() => self.toggle_trash().into(),
            Message::ClearSearch if self.comparing.is_some() => {
                self.comparing = None;
                Action::None
            }
            Message::ClearSearch if self.query.is_empty() => Action::None,
            Message::ClearSearch => {
                let _ = self.search(String::new());
                operation::focus(EDITOR_ID).into()
            }
            Message::ListScrolled(viewport) => {
                self.list_viewport = (viewport.absolute_offset().y, viewport.bounds().height);
                Action::None
            }
            Message::Tick(now) => self.tick(now).into(),
            Message::FillEditor => {
                self.fill_editor();
                Action::None
            }
            Message::Clock => {
                self.now = crate::time::now_in(&self.zone);
                Action::None
            }
            Message::Saved {
                id,
                revision,
                text,
                result,
            } => self.saved(id, revision, text, result).into(),
            Message::SaveNow => self.save_now().into(),
            Message::FolderChanged(change) => self.folder_changed(change).into(),
            Message::Reloaded(files) => self.reloaded(files).into(),
            Message::Rescanned(Ok(listing)) => self.rescanned(listing).into(),
            Message::Rescanned(Err(_)) => Action::None,
            Message::Listed(entries, last) => self.listed(entries, last).into(),
            Message::Checked(changed, gone) => self.checked(changed, gone).into(),
            Message::Indexed(words, read_files) => {
                self.words_read_from_files |= read_files;
                let task = self.indexed(words);
                Task::batch([task, self.keep_words()]).into()
            }
            Message::DismissNotice => {
                self.notice = None;
                Action::None
            }
            Message::OpenSettings => Action::OpenSettings,
            Message::SetUpClaude => Action::SetUpClaude,
            Message::ToggleHistory => self.toggle_history().into(),
            Message::HistoryListed(id, result) => self.history_listed(id, result).into(),
            Message::ShowVersion(index) => self.show_version(index).into(),
            Message::VersionRead(path, result) => self.version_read(path, result).into(),
            Message::RestoreVersion => self.restore_version().into(),
            Message::VersionKept(result) => {
                if let Err(problem) = result {
                    tracing::warn!("an earlier version could not be kept: {problem}");
                }
                Action::None
            }
            Message::ToggleTrash => self.toggle_trash().into(),
            Message::TrashListed(result) => {
                self.trash_listed(result);
                Action::None
            }
            Message::RestoreTrashed(name) => self.restore_trashed(name).into(),
            Message::AskDeleteForever(name) => {
                self.ask_delete_forever(Some(name));
                Action::None
            }
            Message::AskEmptyTrash => {
                self.ask_delete_forever(None);
                Action::None
            }
            Message::ConfirmDeleteForever => self.delete_forever().into(),
            Message::CancelTrashQuestion => {
                self.cancel_trash_question();
                Action::None
            }
            Message::TrashChanged(result) => self.trash_changed(&result).into(),
            Message::Compare => self.compare().into(),
            Message::OriginalRead(result) => {
                self.original_read(result);
                Action::None
            }
            Message::KeepOriginal => self.keep_original().into(),
            Message::KeepCopy => self.keep_copy().into(),
            Message::CloseCompare => {
                self.comparing = None;
                Action::None
            }
            Message::TogglePin => self.toggle_pin().into(),
            Message::ViewFolder(folder) => self.view_folder(folder).into(),
            Message::FilterTag(tag) => self.filter_tag(&tag).into(),
            Message::AskMove => self.ask_move().into(),
            Message::MoveInput(folder) => {
                self.move_input(folder);
                Action::None
            }
            Message::ConfirmMove => self.confirm_move().into(),
            Message::CancelMove => self.cancel_move().into(),
            Message::Moved(from, result) => self.moved(from, result).into(),
            Message::PinsLoaded((pinned, problem)) => {
                self.pinned = pinned.into_iter().collect();
                if let Some(problem) = problem {
                    self.notice = Some(Notice {
                        text: format!("{problem}. Pin them again if some are missing."),
                        danger: false,
                    });
                }
                self.refresh_list();
                Action::None
            }
            Message::PinsSaved(result) => {
                if let Err(problem) = result {
                    self.notice = Some(Notice {
                        text: format!(
                            "The pins could not be saved: {problem}. They hold until BrainDump closes."
                        ),
                        danger: true,
                    });
                }
                Action::None
            }
            Message::TrashPurged(result) => {
                match result {
                    Ok(gone) if gone.is_empty() => {}
                    Ok(gone) => tracing::info!(
                        "{} notes deleted more than 30 days ago left the trash",
                        gone.len()
                    ),
                    Err(problem) => tracing::warn!("the trash could not be tidied: {problem}"),
                }
                Action::None
            }
        }
    }

    /// Keyboard shortcuts that work anywhere in the workspace.
    pub fn shortcut(key: &keyboard::Key, modifiers: keyboard::Modifiers) -> Option<Message> {
        use keyboard::key::Named;

        match key.as_ref() {
            keyboard::Key::Named(Named::Escape) => Some(Message::ClearSearch),
            keyboard::Key::Character("n") if modifiers.command() => Some(Message::NewNote),
            keyboard::Key::Character("f") if modifiers.command() => Some(Message::FocusSearch),
            keyboard::Key::Character("z" | "Z") if modifiers.command() => {
                Some(if modifiers.shift() {
                    Message::RedoEdit
                } else {
                    Message::UndoEdit
                })
            }
            keyboard::Key::Character("y") if modifiers.command() => Some(Message::RedoEdit),
            keyboard::Key::Character("h" | "H") if modifiers.command() && modifiers.shift() => {
                Some(Message::ToggleHistory)
            }
            keyboard::Key::Character("s") if modifiers.command() => Some(Message::SaveNow),
            keyboard::Key::Character("m" | "M") if modifiers.command() && modifiers.shift() => {
                Some(Message::AskMove)
            }
            keyboard::Key::Character("p" | "P") if modifiers.command() && modifiers.shift() => {
                Some(Message::TogglePin)
            }
            keyboard::Key::Character(",") if modifiers.command() => Some(Message::OpenSettings),
            keyboard::Key::Named(Named::Delete | Named::Backspace)
                if modifiers.command() && modifiers.shift() =>
            {
                Some(Message::Delete)
            }
            keyboard::Key::Named(Named::ArrowUp) if modifiers.alt() || modifiers.is_empty() => {
                Some(Message::Navigate(-1))
            }
            keyboard::Key::Named(Named::ArrowDown) if modifiers.alt() || modifiers.is_empty() => {
                Some(Message::Navigate(1))
            }
            _ => None,
        }
    }

    pub fn note(&self, id: &NoteId) -> Option<&Note> {
        self.notes.iter().find(|note| &note.id == id)
    }

    fn note_mut(&mut self, id: &NoteId) -> Option<&mut Note> {
        self.notes.iter_mut().find(|note| &note.id == id)
    }

    /// A name no known note has. The disk is not asked (no disk work in
    /// `update`): a file that appeared meanwhile is found when saving, and
    /// both are kept.
    fn fresh_id(&self) -> NoteId {
        // Not the name of a note on its way to the trash either: a read
        // of that file landing late would fill the new note with it.
        NoteId::fresh_in(&self.folder, crate::time::now_in(&self.zone), |name| {
            self.notes.iter().any(|note| note.id.as_str() == name)
                || self.trashing.iter().any(|id| id.as_str() == name)
                || self
                    .undo
                    .as_ref()
                    .is_some_and(|undo| undo.note.id.as_str() == name)
        })
    }

    fn select(&mut self, id: NoteId, focus: bool) -> Task<Message> {
        let Some(note) = self.note(&id) else {
            return Task::none();
        };
        // The editor of a big note held far more than its text: once it is
        // closed, that memory goes back to the system.
        let left_big = self.selected.as_ref() != Some(&id) && self.editor_holds_big_text();
        // A note whose text is not held shows an empty editor, that takes
        // no edits, until its file has been read (a millisecond or so).
        let text = note.text().unwrap_or("").to_owned();
        self.show_text(&text);
        self.pending_edits.clear();
        self.replies.remove(&id);
        let previous = self.selected.replace(id.clone());
        if previous.as_ref() != Some(&id) && self.moving.as_ref().is_some_and(|bar| !bar.moving) {
            // The Move bar was for the note left: it must not move this one.
            self.moving = None;
        }
        if let Some(previous) = previous.filter(|previous| previous != &id) {
            if let Some(draft) = self
                .notes
                .iter()
                .position(|note| note.id == previous && note.is_blank_draft())
            {
                // A new note nobody typed into goes away when left: out of
                // the list as it stands (ranking every note again here
                // would double the keystroke that left it).
                self.notes.remove(draft);
                if let Some(at) = self.visible.iter().position(|&index| index == draft) {
                    self.visible.remove(at);
                    self.scores.remove(at);
                }
                for index in &mut self.visible {
                    if *index > draft {
                        *index -= 1;
                    }
                }
            } else if let Some(text) = self.note_mut(&previous).and_then(Note::as_text_mut) {
                text.release();
            }
        }
        let scroll = self.scroll_to_selected();
        let read = self.read_selected();
        let give_back = if left_big {
            Task::future(crate::memory::give_back()).discard()
        } else {
            Task::none()
        };
        if focus {
            Task::batch([scroll, read, give_back, operation::focus(EDITOR_ID)])
        } else {
            Task::batch([scroll, read, give_back])
        }
    }

    /// Does the editor show a big note (see `memory::BIG_TEXT`)?
    fn editor_holds_big_text(&self) -> bool {
        self.selected()
            .and_then(Note::text)
            .is_some_and(|text| text.len() >= crate::memory::BIG_TEXT)
    }

    /// Reads the open note's file, if its text is not held.
    fn read_selected(&self) -> Task<Message> {
        match self.selected() {
            Some(note) if self.is_reading() => self.reread(vec![note.id.clone()]),
            _ => Task::none(),
        }
    }

    /// Reads these notes' files again; they come back as `Reloaded`.
    fn reread(&self, ids: Vec<NoteId>) -> Task<Message> {
        Task::perform(
            notes::reload(self.dir.clone(), ids, self.vocabulary.clone()),
            Message::Reloaded,
        )
    }

    /// Is the open note's file being read?
    pub fn is_reading(&self) -> bool {
        self.selected()
            .is_some_and(|note| note.as_text().is_some() && note.text().is_none())
    }

    fn new_note(&mut self) -> Task<Message> {
        if let Some(selected) = self.selected().filter(|note| note.is_blank_draft()) {
            let _ = selected;
            return operation::focus(EDITOR_ID);
        }
        let id = self.fresh_id();
        self.notes.insert(0, Note::new_draft(id.clone()));
        self.query.clear();
        // A blank note, in the folder in view: no folder or tag to add.
        self.rank(None);
        self.select(id, true)
    }

    /// The local time zone, once it has been read (UTC until then).
    pub fn set_zone(&mut self, zone: jiff::tz::TimeZone) {
        self.now = crate::time::now_in(&zone);
        self.zone = zone;
    }

    pub fn now(&self) -> &jiff::Zoned {
        &self.now
    }

    pub fn editor(&self) -> &text_editor::Content {
        &self.editor
    }

    pub fn modified_of_selected(&self) -> Option<SystemTime> {
        self.selected().map(|note| note.modified)
    }
}

#[cfg(test)]
mod tests;
