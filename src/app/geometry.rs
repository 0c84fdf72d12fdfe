//! The window: the interface's zoom, and the window's size and place
//! remembered across restarts.

use std::time::Duration;

use iced::{Point, Size, Task, window};

use super::{App, Message, Screen};
use crate::settings::{Panes, WindowGeometry};
use crate::zoom::{self, Zoom};

/// A burst of moves or resizes is saved once it has settled.
const SETTLE: Duration = Duration::from_millis(500);

/// The main window as it was when closing: its place (the desktop's
/// units), its size (iced's units) and whether it was maximized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub position: Option<Point>,
    pub size: Size,
    pub maximized: bool,
}

/// The panes whose width can be dragged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Claude,
}

/// The editor between the panes keeps at least this much.
const EDITOR_MIN: f32 = 240.0;

/// The panes' widths in a window `width` wide: as the user left them when
/// they fit; in a narrower window the Claude panel gives way first (down to
/// 240), then the list (down to 160), so the editor keeps its room.
pub fn fit(panes: Panes, width: f32) -> (f32, f32) {
    let room = width - EDITOR_MIN - 2.0 * crate::widget::DIVIDER_WIDTH;
    let list = panes.list.min((room - 240.0).max(160.0));
    let claude = panes.claude.min((room - list).max(240.0));
    (list, claude)
}

impl App {
    /// The divider follows the pointer, within each pane's bounds and
    /// leaving the editor room.
    pub(super) fn drag_to(&mut self, x: f32) -> Task<Message> {
        let Some(pane) = self.dragging else {
            return Task::none();
        };
        let window = self.window_size.width;
        let panes = &mut self.settings.panes;
        let half = crate::widget::DIVIDER_WIDTH / 2.0;
        match pane {
            Pane::List => {
                let room = window - panes.claude - EDITOR_MIN;
                panes.list = (x - half).min(room).clamp(Panes::LIST.0, Panes::LIST.1);
            }
            Pane::Claude => {
                let room = window - panes.list - EDITOR_MIN;
                panes.claude = (window - x - half)
                    .min(room)
                    .clamp(Panes::CLAUDE.0, Panes::CLAUDE.1);
            }
        }
        self.fit_panes();
        Task::none()
    }

    /// The list's width in this window (see [`fit`]).
    pub(super) fn fit_panes(&mut self) {
        let (list, _) = fit(self.settings.panes, self.window_size.width);
        if let Screen::Workspace(workspace) = &mut self.screen {
            workspace.set_list_width(list);
        }
    }

    /// Closing: where the window is now is kept first (not every window
    /// manager tells of moves), then the window closes as it would.
    pub(super) fn place_before_closing(&mut self) -> Task<Message> {
        if !self.settings_loaded {
            return Task::done(Message::ClosePlaced(None));
        }
        // Where, how big and whether maximized, asked of the window itself:
        // the last resize or move may not have been told yet.
        self.main_window().then(|id| match id {
            Some(id) => window::position(id).then(move |position| {
                window::size(id).then(move |size| {
                    window::is_maximized(id).map(move |maximized| {
                        Message::ClosePlaced(Some(Placed {
                            position,
                            size,
                            maximized,
                        }))
                    })
                })
            }),
            None => Task::done(Message::ClosePlaced(None)),
        })
    }

    pub(super) fn close_placed(&mut self, placed: Option<Placed>) -> Task<Message> {
        if !self.settings_loaded {
            return self.close_requested();
        }
        if let Some(placed) = placed {
            let scale = self.scale_factor();
            let geometry = self.geometry();
            geometry.maximized = placed.maximized;
            if !placed.maximized {
                geometry.width = placed.size.width * scale;
                geometry.height = placed.size.height * scale;
            }
            // `window::position` answers in the desktop's units, unlike
            // move events.
            if let Some(position) = placed.position {
                self.place(position);
            }
        }
        Task::perform(
            crate::settings::save(self.paths.settings_file(), self.settings.clone()),
            |_| Message::ClosePlacedSaved,
        )
    }

    pub(super) fn drag_ended(&mut self) -> Task<Message> {
        if self.dragging.take().is_some() && self.settings_loaded {
            self.save_settings()
        } else {
            Task::none()
        }
    }

    /// iced's scale factor: the user's zoom times the desktop's text size.
    pub fn scale_factor(&self) -> f32 {
        self.settings.zoom * self.text_scale
    }

    pub(super) fn zoom(&mut self, zoom: Zoom) -> Task<Message> {
        let before = self.scale_factor();
        self.settings.zoom = zoom::apply(self.settings.zoom, zoom);
        self.rescaled(before);
        self.save_settings()
    }

    /// The desktop's text-scaling factor, read at start.
    pub(super) fn text_scale_read(&mut self, scale: f32) -> Task<Message> {
        let before = self.scale_factor();
        self.text_scale = if scale.is_finite() {
            scale.clamp(0.5, 3.0)
        } else {
            1.0
        };
        self.rescaled(before);
        Task::none()
    }

    /// The same window, measured in new units: the list's height follows.
    pub(super) fn rescaled(&mut self, before: f32) {
        let ratio = before / self.scale_factor();
        self.window_size = Size::new(
            self.window_size.width * ratio,
            self.window_size.height * ratio,
        );
        if let Screen::Workspace(workspace) = &mut self.screen {
            workspace.set_window_height(self.window_size.height);
        }
    }

    /// `size` is in iced's units (the zoom applied). Whether the window is
    /// maximized is asked before its size is kept: a maximized window's
    /// size is the screen's, and the size to come back to is the one
    /// before.
    pub(super) fn window_resized(&mut self, size: Size) -> Task<Message> {
        self.window_size = size;
        if let Screen::Workspace(workspace) = &mut self.screen {
            workspace.set_window_height(size.height);
        }
        self.fit_panes();
        let scale = self.scale_factor();
        let size = Size::new(size.width * scale, size.height * scale);
        window::latest()
            .and_then(window::is_maximized)
            .map(move |maximized| Message::WindowMaximized(maximized, size))
    }

    /// `size` is in the desktop's units.
    pub(super) fn window_maximized(&mut self, maximized: bool, size: Size) -> Task<Message> {
        let geometry = self.geometry();
        geometry.maximized = maximized;
        if !maximized {
            geometry.width = size.width;
            geometry.height = size.height;
        }
        self.save_geometry_soon()
    }

    /// A move event's `position` is in iced's units (the zoom applied).
    pub(super) fn window_moved(&mut self, position: Point) -> Task<Message> {
        let scale = self.scale_factor();
        if self.place(Point::new(position.x * scale, position.y * scale)) {
            self.save_geometry_soon()
        } else {
            Task::none()
        }
    }

    /// Keeps where the window is (in the desktop's units), unless it is
    /// maximized: then where it was before is what it comes back to.
    fn place(&mut self, position: Point) -> bool {
        let geometry = self.geometry();
        if geometry.maximized {
            return false;
        }
        geometry.x = Some(position.x);
        geometry.y = Some(position.y);
        true
    }

    fn geometry(&mut self) -> &mut WindowGeometry {
        let size = self.window_size;
        self.settings.window.get_or_insert(WindowGeometry {
            width: size.width,
            height: size.height,
            x: None,
            y: None,
            maximized: false,
        })
    }

    fn save_geometry_soon(&mut self) -> Task<Message> {
        if !self.settings_loaded {
            // Not before the file is read: that would save defaults over it.
            return Task::none();
        }
        self.geometry_saves += 1;
        let ticket = self.geometry_saves;
        Task::perform(async { tokio::time::sleep(SETTLE).await }, move |()| {
            Message::SaveGeometry(ticket)
        })
    }

    pub(super) fn save_geometry(&mut self, ticket: u64) -> Task<Message> {
        if ticket == self.geometry_saves {
            self.save_settings()
        } else {
            Task::none()
        }
    }

    /// Just opened: a window placed where no screen is any more (a monitor
    /// unplugged since) comes back to the middle of this one.
    pub(super) fn window_opened(&mut self, id: window::Id) -> Task<Message> {
        if *self.main_window.get_or_insert(id) != id {
            return Task::none();
        }
        let Some(position) = self
            .settings
            .window
            .as_ref()
            .and_then(WindowGeometry::position)
        else {
            return Task::none();
        };
        let scale = self.scale_factor();
        window::monitor_size(id).then(move |monitor| {
            let Some(monitor) = monitor else {
                return Task::none();
            };
            // In iced's units, like `move_to`.
            let (x, y) = (position.x / scale, position.y / scale);
            let visible =
                x > -100.0 && y > -50.0 && x < monitor.width - 100.0 && y < monitor.height - 50.0;
            if visible {
                Task::none()
            } else {
                window::size(id).then(move |size| {
                    window::move_to(
                        id,
                        Point::new(
                            ((monitor.width - size.width) / 2.0).max(0.0),
                            ((monitor.height - size.height) / 2.0).max(0.0),
                        ),
                    )
                })
            }
        })
    }
}

/// The main window's settings, as it was last left.
pub fn settings(geometry: Option<&WindowGeometry>, default: Size) -> window::Settings {
    let mut settings = crate::desktop::window_settings(default);
    settings.min_size = Some(WindowGeometry::MIN.into());
    if let Some(geometry) = geometry {
        settings.size = geometry.size();
        settings.maximized = geometry.maximized;
        if let Some(position) = geometry.position() {
            settings.position = window::Position::Specific(position);
        }
    }
    settings
}

/// The desktop's text-scaling factor (GNOME's Large Text, say), from the
/// settings portal; 1 where there is none. Off the UI thread, with a
/// timeout: the bus may be slow or absent.
pub async fn text_scale() -> f32 {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let read = tokio::task::spawn_blocking(portal_text_scale);
        if let Ok(Ok(Some(scale))) = tokio::time::timeout(Duration::from_secs(2), read).await {
            return scale;
        }
    }
    1.0
}

#[cfg(all(unix, not(target_os = "macos")))]
fn portal_text_scale() -> Option<f32> {
    use zbus::zvariant::{OwnedValue, Value};
    let connection = zbus::blocking::Connection::session().ok()?;
    let read = |method: &str| {
        connection
            .call_method(
                Some("org.freedesktop.portal.Desktop"),
                "/org/freedesktop/portal/desktop",
                Some("org.freedesktop.portal.Settings"),
                method,
                &("org.gnome.desktop.interface", "text-scaling-factor"),
            )
            .ok()?
            .body()
            .deserialize::<OwnedValue>()
            .ok()
    };
    // ReadOne (portal version 2) answers the value; the older Read wraps it
    // in one more variant.
    let value = read("ReadOne").or_else(|| read("Read"))?;
    let scale = match &*value {
        Value::F64(scale) => *scale,
        Value::Value(inner) => match &**inner {
            Value::F64(scale) => *scale,
            _ => return None,
        },
        _ => return None,
    } as f32;
    (scale.is_finite() && scale > 0.0).then_some(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_windows_shrink_the_claude_panel_first_then_the_list() {
        let panes = Panes::default();
        assert_eq!(fit(panes, 1400.0), (280.0, 420.0));
        assert_eq!(fit(panes, 1000.0), (280.0, 420.0));
        let room = 900.0 - 240.0 - 14.0;
        assert_eq!(fit(panes, 900.0), (280.0, room - 280.0));
        assert_eq!(fit(panes, 700.0), (700.0 - 254.0 - 240.0, 240.0));
        assert_eq!(fit(panes, 480.0), (160.0, 240.0), "the least either way");
    }

    #[test]
    fn the_window_opens_as_it_was_left() {
        let default = Size::new(1100.0, 720.0);
        let fresh = settings(None, default);
        assert_eq!(fresh.size, default);
        assert!(matches!(fresh.position, window::Position::Default));
        let left = WindowGeometry {
            width: 900.0,
            height: 500.0,
            x: Some(30.0),
            y: Some(40.0),
            maximized: true,
        };
        let again = settings(Some(&left), default);
        assert_eq!(again.size, Size::new(900.0, 500.0));
        assert!(again.maximized);
        assert!(
            matches!(again.position, window::Position::Specific(p) if p == Point::new(30.0, 40.0))
        );
    }
}
