//! Small view helpers shared by the screens.

mod focus;
pub mod marks;
pub mod reply;

pub use focus::{Button, choice, focus, neighbours};

/// Buttons that Tab reaches: [`button()`] builds one; the module holds
/// iced's button styles and types, so `button::text` reads as with iced.
pub mod button {
    pub use iced::widget::button::*;
}
pub use focus::button;

use iced::widget::{Text, row, text, tooltip};
use iced::{Element, alignment};

use crate::theme;

/// The icons BrainDump uses: code points of the bundled Lucide subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Plus,
    Trash,
    Undo,
    Search,
    Settings,
    File,
    FileBroken,
    Alert,
    Check,
    Retry,
    Close,
    Folder,
    Back,
    Sparkles,
    Key,
    Paste,
    Eye,
    EyeOff,
    External,
    Send,
    Stop,
    Copy,
    Info,
    Offline,
    Save,
    Lock,
    Clock,
}

impl Icon {
    fn code_point(self) -> char {
        match self {
            Self::Plus => '\u{e13d}',
            Self::Trash => '\u{e18e}',
            Self::Undo => '\u{e2a1}',
            Self::Search => '\u{e151}',
            Self::Settings => '\u{e154}',
            Self::File => '\u{e0cc}',
            Self::FileBroken => '\u{e0cd}',
            Self::Alert => '\u{e193}',
            Self::Check => '\u{e06c}',
            Self::Retry => '\u{e145}',
            Self::Close => '\u{e1b2}',
            Self::Folder => '\u{e247}',
            Self::Back => '\u{e048}',
            Self::Sparkles => '\u{e412}',
            Self::Key => '\u{e4a3}',
            Self::Paste => '\u{e3e8}',
            Self::Eye => '\u{e0ba}',
            Self::EyeOff => '\u{e0bb}',
            Self::External => '\u{e0b9}',
            Self::Send => '\u{e152}',
            Self::Stop => '\u{e167}',
            Self::Copy => '\u{e09e}',
            Self::Info => '\u{e0f9}',
            Self::Offline => '\u{e08d}',
            Self::Save => '\u{e14d}',
            Self::Lock => '\u{e10b}',
            Self::Clock => '\u{e087}',
        }
    }
}

pub fn icon<'a>(icon: Icon) -> Text<'a> {
    text(icon.code_point())
        .font(theme::ICON_FONT)
        .size(16)
        .line_height(1.0)
        .align_y(alignment::Vertical::Center)
}

/// A toolbar button: an icon, with a tooltip naming it and its shortcut.
pub fn tool<'a, Message: Clone + 'a>(
    glyph: Icon,
    label: &'a str,
    on_press: Option<Message>,
) -> Element<'a, Message> {
    let button = button(icon(glyph))
        .padding(theme::space::S)
        .style(theme::tool_button)
        .on_press_maybe(on_press);
    tooltip(
        button,
        iced::widget::container(text(label).size(theme::size::SMALL))
            .padding(theme::space::S)
            .style(iced::widget::container::rounded_box),
        tooltip::Position::Bottom,
    )
    .into()
}

/// A toolbar button of words (where no icon says it), with a tooltip.
pub fn tooltip_button<'a, Message: Clone + 'a>(
    words: &'a str,
    label: &'a str,
    on_press: Option<Message>,
) -> Element<'a, Message> {
    let button = button(text(words).size(theme::size::SMALL))
        .padding([theme::space::XS, theme::space::S])
        .style(theme::tool_button)
        .on_press_maybe(on_press);
    tooltip(
        button,
        iced::widget::container(text(label).size(theme::size::SMALL))
            .padding(theme::space::S)
            .style(iced::widget::container::rounded_box),
        tooltip::Position::Bottom,
    )
    .into()
}

/// A text button with an icon in front.
pub fn labeled<'a, Message: Clone + 'a>(glyph: Icon, label: &'a str) -> Button<'a, Message> {
    button(
        row![icon(glyph).size(14), text(label).size(theme::size::BODY)]
            .spacing(theme::space::S)
            .align_y(alignment::Vertical::Center),
    )
    .padding([theme::space::S, theme::space::M])
}

/// A handle between two panes: drag it to change their widths.
pub fn divider<'a, Message: Clone + 'a>(on_press: Message) -> iced::Element<'a, Message> {
    use iced::widget::{container, mouse_area, rule};
    mouse_area(
        container(rule::vertical(1).style(theme::rule))
            .center_x(DIVIDER_WIDTH)
            .height(iced::Fill),
    )
    .interaction(iced::mouse::Interaction::ResizingHorizontally)
    .on_press(on_press)
    .into()
}

/// How wide a pane divider is (what the pointer can grab).
pub const DIVIDER_WIDTH: f32 = 7.0;
