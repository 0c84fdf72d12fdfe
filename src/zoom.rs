//! Zooming the whole interface (Ctrl+= / Ctrl+- / Ctrl+0), in the steps
//! browsers and editors use.

use iced::keyboard;

/// From half to twice the designed size.
pub const STEPS: [f32; 11] = [0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoom {
    In,
    Out,
    Reset,
}

/// Ctrl+= (or Ctrl++), Ctrl+- and Ctrl+0; Cmd on macOS.
pub fn from_key(key: &keyboard::Key, modifiers: keyboard::Modifiers) -> Option<Zoom> {
    if !modifiers.command() || modifiers.alt() {
        return None;
    }
    match key.as_ref() {
        keyboard::Key::Character("=" | "+") => Some(Zoom::In),
        keyboard::Key::Character("-" | "_") => Some(Zoom::Out),
        keyboard::Key::Character("0") => Some(Zoom::Reset),
        _ => None,
    }
}

/// The zoom after `zoom` from `current`: the next step either way.
pub fn apply(current: f32, zoom: Zoom) -> f32 {
    let current = sanitize(current);
    match zoom {
        Zoom::In => STEPS
            .into_iter()
            .find(|step| *step > current + 0.005)
            .unwrap_or(STEPS[STEPS.len() - 1]),
        Zoom::Out => STEPS
            .into_iter()
            .rev()
            .find(|step| *step < current - 0.005)
            .unwrap_or(STEPS[0]),
        Zoom::Reset => 1.0,
    }
}

/// A zoom read from a file: within the steps' range, 1 if not a number.
pub fn sanitize(zoom: f32) -> f32 {
    if zoom.is_finite() {
        zoom.clamp(STEPS[0], STEPS[STEPS.len() - 1])
    } else {
        1.0
    }
}

/// `1.25` as `125 %`.
pub fn percent(zoom: f32) -> String {
    format!("{:.0} %", zoom * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooms_in_steps_and_stops_at_the_ends() {
        assert_eq!(apply(1.0, Zoom::In), 1.1);
        assert_eq!(apply(1.1, Zoom::Out), 1.0);
        assert_eq!(apply(2.0, Zoom::In), 2.0);
        assert_eq!(apply(0.5, Zoom::Out), 0.5);
        assert_eq!(
            apply(1.3, Zoom::Out),
            1.25,
            "between steps: the nearer one that way"
        );
        assert_eq!(apply(1.75, Zoom::Reset), 1.0);
        assert_eq!(apply(f32::NAN, Zoom::In), 1.1);
        assert_eq!(sanitize(9.0), 2.0);
        assert_eq!(percent(1.25), "125 %");
    }

    #[test]
    fn the_keys() {
        let ctrl = keyboard::Modifiers::CTRL;
        let key = |c: &str| keyboard::Key::Character(c.into());
        #[cfg(not(target_os = "macos"))]
        {
            assert_eq!(from_key(&key("="), ctrl), Some(Zoom::In));
            assert_eq!(
                from_key(&key("+"), ctrl | keyboard::Modifiers::SHIFT),
                Some(Zoom::In)
            );
            assert_eq!(from_key(&key("-"), ctrl), Some(Zoom::Out));
            assert_eq!(from_key(&key("0"), ctrl), Some(Zoom::Reset));
        }
        assert_eq!(from_key(&key("="), keyboard::Modifiers::empty()), None);
        assert_eq!(from_key(&key("1"), ctrl), None);
    }
}
