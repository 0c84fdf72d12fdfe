//! BrainDump: get thoughts out of your head, offline and instantly; let
//! Claude make sense of them.
//!
//! Modules above the line use iced; those below never do, and are tested
//! without a window.

pub mod app;
pub mod desktop;
pub mod screen;
pub mod theme;
pub mod widget;
// --- no iced below this line ---
pub mod atomic;
pub mod capture;
pub mod claude;
pub mod cli;
pub mod dialog;
#[cfg(unix)]
pub mod instance;
pub mod jobs;
pub mod key;
pub mod logging;
pub mod memory;
pub mod modes;
pub mod notes;
pub mod open;
pub mod paths;
pub mod prices;
pub mod privacy;
pub mod settings;
pub mod spending;
pub mod state_file;
pub mod time;
pub mod zoom;
