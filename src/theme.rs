//! BrainDump's look: one type scale, one spacing scale, two palettes, and the
//! few widget styles the screens share.

use iced::widget::{button, container, text, text_editor, text_input};
use iced::{Background, Border, Color, Font, Shadow, Theme, color, font};

use crate::settings::ThemePreference;

/// The bundled UI font, so BrainDump looks the same everywhere.
pub const INTER_REGULAR: &[u8] = include_bytes!("../resources/fonts/Inter-Regular.ttf");
pub const INTER_SEMIBOLD: &[u8] = include_bytes!("../resources/fonts/Inter-SemiBold.ttf");
/// Icons (Lucide, subset to the glyphs used; see `widget::Icon`).
pub const ICONS: &[u8] = include_bytes!("../resources/fonts/lucide.ttf");

pub const FONT: Font = Font::with_name("Inter");
pub const FONT_BOLD: Font = Font {
    weight: font::Weight::Semibold,
    ..FONT
};
pub const ICON_FONT: Font = Font::with_name("lucide");

/// Every font BrainDump ships, for the simulator's `Settings::fonts`.
pub fn fonts() -> Vec<std::borrow::Cow<'static, [u8]>> {
    vec![INTER_REGULAR.into(), INTER_SEMIBOLD.into(), ICONS.into()]
}

/// Hands BrainDump's fonts to iced's font system where they lie in the
/// binary. `Application::font` copies each font onto the heap first
/// (iced's `FontSystem::load_font` calls `into_owned`): 170 KB kept for as
/// long as the app runs, beside the same bytes in the binary, and every
/// page of those read to make the copy. fontdb reads a `'static` slice in
/// place, as iced does with its own fonts. Call before the first frame:
/// iced's text caches are only told about fonts loaded through iced.
pub fn load_fonts() {
    use iced::advanced::graphics::text::{cosmic_text::fontdb, font_system};
    use std::sync::{Arc, Once, PoisonError};

    static LOADED: Once = Once::new();
    LOADED.call_once(|| {
        let mut system = font_system()
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let fonts = system.raw().db_mut();
        for font in [INTER_REGULAR, INTER_SEMIBOLD, ICONS] {
            fonts.load_font_source(fontdb::Source::Binary(Arc::new(font)));
        }
    });
}

/// Type scale (px).
pub mod size {
    pub const SMALL: u32 = 12;
    pub const BODY: u32 = 14;
    pub const EDITOR: u32 = 16;
    pub const TITLE: u32 = 20;
    pub const HERO: u32 = 28;
}

/// Spacing scale (px): everything is a multiple of 4.
pub mod space {
    pub const XS: f32 = 4.0;
    pub const S: f32 = 8.0;
    pub const M: f32 = 12.0;
    pub const L: f32 = 16.0;
    pub const XL: f32 = 24.0;
}

pub const RADIUS: f32 = 6.0;

pub fn light() -> Theme {
    Theme::custom(
        "BrainDump Light",
        iced::theme::Palette {
            background: color!(0xfbfaf8),
            text: color!(0x1f2328),
            primary: color!(0x6b4fd8),
            success: color!(0x1a7f4b),
            warning: color!(0xb86e00),
            danger: color!(0xb3261e),
        },
    )
}

pub fn dark() -> Theme {
    Theme::custom(
        "BrainDump Dark",
        iced::theme::Palette {
            background: color!(0x1c1d21),
            text: color!(0xe6e6e9),
            primary: color!(0x9d87ff),
            success: color!(0x4cc38a),
            warning: color!(0xf0a541),
            danger: color!(0xff6b60),
        },
    )
}

/// The theme for a preference, given what the system currently prefers.
pub fn resolve(preference: ThemePreference, system_is_dark: bool) -> Theme {
    match preference {
        ThemePreference::Light => light(),
        ThemePreference::Dark => dark(),
        ThemePreference::System if system_is_dark => dark(),
        ThemePreference::System => light(),
    }
}

/// `a` blended towards `b` by `amount` (0 = a, 1 = b).
fn mix(a: Color, b: Color, amount: f32) -> Color {
    Color {
        r: a.r + (b.r - a.r) * amount,
        g: a.g + (b.g - a.g) * amount,
        b: a.b + (b.b - a.b) * amount,
        a: 1.0,
    }
}

/// A surface a step away from the page: sidebars, status line.
fn surface(theme: &Theme) -> Color {
    let palette = theme.palette();
    mix(palette.background, palette.text, 0.045)
}

/// The colour of secondary text: quieter than the body, but still 4.5:1 or
/// more on every surface it sits on (WCAG AA; see the tests below).
pub fn muted_color(theme: &Theme) -> Color {
    let palette = theme.palette();
    mix(palette.text, palette.background, MUTED)
}

/// How far muted text leans from the text colour towards the page.
const MUTED: f32 = 0.28;
/// The accent's opacity behind a notice.
const NOTICE_ALPHA: f32 = 0.08;
/// The accent's opacity behind the open note's row.
const SELECTED_ALPHA: f32 = 0.12;

/// The sidebar holding the notes list.
pub fn sidebar(theme: &Theme) -> container::Style {
    container::Style {
        background: Some(surface(theme).into()),
        ..container::Style::default()
    }
}

/// The status line at the bottom.
pub fn status_bar(theme: &Theme) -> container::Style {
    container::Style {
        background: Some(surface(theme).into()),
        text_color: Some(theme.palette().text),
        border: Border {
            color: mix(theme.palette().background, theme.palette().text, 0.12),
            width: 0.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// A notice that needs attention (a failed save, an unreadable file).
pub fn notice(theme: &Theme, danger: bool) -> container::Style {
    let palette = theme.extended_palette();
    let accent = if danger {
        palette.danger.base.color
    } else {
        palette.warning.base.color
    };
    container::Style {
        background: Some(Background::Color(Color {
            a: NOTICE_ALPHA,
            ..accent
        })),
        border: Border {
            color: accent,
            width: 1.0,
            radius: RADIUS.into(),
        },
        text_color: Some(palette.background.base.text),
        ..container::Style::default()
    }
}

/// A row of the notes list; `selected` is the open note.
pub fn list_item(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        let palette = theme.extended_palette();
        let background = match (selected, status) {
            (true, _) => Some(Color {
                a: SELECTED_ALPHA,
                ..palette.primary.base.color
            }),
            (false, button::Status::Hovered) => {
                Some(mix(surface(theme), palette.background.base.text, 0.06))
            }
            (false, button::Status::Pressed) => {
                Some(mix(surface(theme), palette.background.base.text, 0.1))
            }
            _ => None,
        };
        button::Style {
            background: background.map(Background::Color),
            text_color: palette.background.base.text,
            border: Border {
                radius: RADIUS.into(),
                width: if selected { 1.0 } else { 0.0 },
                color: palette.primary.base.color,
            },
            shadow: Shadow::default(),
            snap: true,
        }
    }
}

/// A quiet button for toolbars (icon buttons).
pub fn tool_button(theme: &Theme, status: button::Status) -> button::Style {
    let palette = theme.extended_palette();
    let background = match status {
        button::Status::Hovered => Some(mix(
            palette.background.base.color,
            palette.background.base.text,
            0.08,
        )),
        button::Status::Pressed => Some(mix(
            palette.background.base.color,
            palette.background.base.text,
            0.14,
        )),
        _ => None,
    };
    button::Style {
        background: background.map(Background::Color),
        text_color: if status == button::Status::Disabled {
            palette.background.strong.color
        } else {
            palette.background.base.text
        },
        border: Border {
            radius: RADIUS.into(),
            ..Border::default()
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// Text of lesser importance (dates, hints).
pub fn muted(theme: &Theme) -> text::Style {
    text::Style {
        color: Some(muted_color(theme)),
    }
}

pub fn danger_text(theme: &Theme) -> text::Style {
    text::Style {
        color: Some(theme.extended_palette().danger.base.color),
    }
}

/// Inputs show focus with a clear accent border.
pub fn input(theme: &Theme, status: text_input::Status) -> text_input::Style {
    let mut style = text_input::default(theme, status);
    let palette = theme.extended_palette();
    style.border.radius = RADIUS.into();
    style.border.color = line_color(theme);
    style.background = Background::Color(palette.background.base.color);
    style.placeholder = muted_color(theme);
    if let text_input::Status::Focused { .. } = status {
        style.border.color = palette.primary.base.color;
        style.border.width = 2.0;
    }
    style
}

/// The note editor: borderless page, accent line when focused.
pub fn editor(theme: &Theme, status: text_editor::Status) -> text_editor::Style {
    let mut style = text_editor::default(theme, status);
    let palette = theme.extended_palette();
    style.background = Background::Color(palette.background.base.color);
    style.placeholder = muted_color(theme);
    style.border = Border {
        radius: RADIUS.into(),
        width: 1.0,
        color: match status {
            text_editor::Status::Focused { .. } => palette.primary.base.color,
            _ => line_color(theme),
        },
    };
    style
}

/// The colour of quiet lines: borders and rules.
pub fn line_color(theme: &Theme) -> Color {
    let palette = theme.palette();
    mix(palette.background, palette.text, 0.14)
}

/// The main action of a view: the accent, filled.
pub fn primary(theme: &Theme, status: button::Status) -> button::Style {
    filled(theme.extended_palette().primary.base, status)
}

/// An action that destroys something: the danger colour, filled.
pub fn danger(theme: &Theme, status: button::Status) -> button::Style {
    filled(theme.extended_palette().danger.base, status)
}

/// A filled button whose label keeps its contrast when hovered and
/// pressed: the fill moves away from the label's colour, where iced's own
/// styles move it towards it (4.1:1 and less on a hovered primary button).
fn filled(pair: iced::theme::palette::Pair, status: button::Status) -> button::Style {
    let away = if luminance(pair.text) > 0.5 {
        Color::BLACK
    } else {
        Color::WHITE
    };
    let (fill, text) = match status {
        button::Status::Active => (pair.color, pair.text),
        button::Status::Hovered => (mix(pair.color, away, 0.12), pair.text),
        button::Status::Pressed => (mix(pair.color, away, 0.22), pair.text),
        button::Status::Disabled => (
            Color {
                a: 0.45,
                ..pair.color
            },
            Color {
                a: 0.7,
                ..pair.text
            },
        ),
    };
    button::Style {
        background: Some(Background::Color(fill)),
        text_color: text,
        border: Border {
            radius: RADIUS.into(),
            ..Border::default()
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// WCAG 2's relative luminance of an sRGB colour.
fn luminance(color: Color) -> f32 {
    let linear = |c: f32| {
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)
}

/// A secondary action: the page's colour, a quiet border.
pub fn secondary(theme: &Theme, status: button::Status) -> button::Style {
    let palette = theme.palette();
    let background = match status {
        button::Status::Hovered => mix(palette.background, palette.text, 0.06),
        button::Status::Pressed => mix(palette.background, palette.text, 0.12),
        _ => mix(palette.background, palette.text, 0.02),
    };
    button::Style {
        background: Some(Background::Color(background)),
        text_color: if status == button::Status::Disabled {
            muted_color(theme)
        } else {
            palette.text
        },
        border: Border {
            color: line_color(theme),
            width: 1.0,
            radius: RADIUS.into(),
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// Rules between panes.
pub fn rule(theme: &Theme) -> iced::widget::rule::Style {
    iced::widget::rule::Style {
        color: line_color(theme),
        radius: 0.0.into(),
        fill_mode: iced::widget::rule::FillMode::Full,
        snap: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contrast(a: Color, b: Color) -> f32 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// `color` at its alpha over `under`.
    fn over(color: Color, under: Color) -> Color {
        Color {
            a: 1.0,
            ..mix(under, Color { a: 1.0, ..color }, color.a)
        }
    }

    fn background(style: container::Style, under: Color) -> Color {
        match style.background {
            Some(Background::Color(color)) => over(color, under),
            _ => under,
        }
    }

    #[test]
    fn the_contrast_is_computed_as_wcag_does() {
        assert!((contrast(Color::BLACK, Color::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(color!(0x777777), Color::WHITE) - 4.48).abs() < 0.01);
    }

    /// Every text colour on every surface it is drawn on, in both themes:
    /// at least 4.5:1 (WCAG 2.1 AA for normal text), so that a change to
    /// the palette or a style cannot make text hard to read unnoticed.
    #[test]
    fn every_text_meets_wcag_aa_on_its_surface() {
        let mut failures = Vec::new();
        for theme in [light(), dark()] {
            let palette = theme.extended_palette();
            let page = palette.background.base.color;
            let side = surface(&theme);
            let row = |status| {
                list_item(true)(&theme, status)
                    .background
                    .map_or(side, |background| match background {
                        Background::Color(color) => over(color, side),
                        Background::Gradient(_) => side,
                    })
            };
            let mut surfaces = vec![
                ("the page", page),
                ("the sidebar", side),
                ("the open note's row", row(button::Status::Active)),
                (
                    "a secondary button",
                    secondary(&theme, button::Status::Active).background.map_or(
                        page,
                        |background| match background {
                            Background::Color(color) => over(color, page),
                            Background::Gradient(_) => page,
                        },
                    ),
                ),
            ];
            for (name, danger, under) in [
                ("a notice on the page", false, page),
                ("a notice on the sidebar", false, side),
                ("an alert on the page", true, page),
                ("an alert on the sidebar", true, side),
            ] {
                surfaces.push((name, background(notice(&theme, danger), under)));
            }
            let texts = [
                ("text", palette.background.base.text),
                ("muted text", muted_color(&theme)),
                ("danger text", palette.danger.base.color),
            ];
            for (text_name, text) in texts {
                for (surface_name, surface) in &surfaces {
                    if text_name == "danger text" && *surface_name == "the open note's row" {
                        continue; // Only its icon is there (below).
                    }
                    let ratio = contrast(text, *surface);
                    if ratio < 4.5 {
                        failures.push(format!(
                            "{}: {text_name} on {surface_name}: {ratio:.2}:1",
                            theme
                        ));
                    }
                }
            }
            // A broken note's icon in its row: graphics need 3:1.
            let ratio = contrast(palette.danger.base.color, row(button::Status::Active));
            if ratio < 3.0 {
                failures.push(format!(
                    "{theme}: the danger icon in the open row: {ratio:.2}:1"
                ));
            }
            for status in [
                button::Status::Active,
                button::Status::Hovered,
                button::Status::Pressed,
            ] {
                for (name, style) in [
                    ("primary", primary(&theme, status)),
                    ("danger", danger(&theme, status)),
                ] {
                    let Some(Background::Color(fill)) = style.background else {
                        continue;
                    };
                    let ratio = contrast(style.text_color, over(fill, page));
                    if ratio < 4.5 {
                        failures.push(format!(
                            "{theme}: a {name} button's label ({status:?}): {ratio:.2}:1"
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
    }
}
