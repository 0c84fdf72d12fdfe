//! Keyboard focus for controls that iced 0.14 does not let take it
//! (buttons, the toolbar's icons): Tab and Shift+Tab reach them like text
//! fields, a focused one shows a ring in the accent colour, and Enter or
//! Space presses it.
//!
//! Written here because iced's own widgets have no focus of their own and
//! no crate adds it; the wrapper presses the control exactly as a click in
//! its middle would, so the control's behaviour (its message, its pressed
//! look) stays its own.

use iced::advanced::layout::{self, Layout};
use iced::advanced::renderer::{self, Quad};
use iced::advanced::widget::{self, Operation, Tree, tree};
use iced::advanced::{Clipboard, Shell, Widget, overlay};
use iced::keyboard::key::Named;
use iced::{
    Border, Color, Element, Event, Length, Rectangle, Size, Theme, Vector, keyboard, mouse,
};

/// `content`, reachable with Tab; `enabled: false` leaves it out (a
/// disabled button).
pub fn focus<'a, Message: Clone + 'a>(
    content: impl Into<Element<'a, Message>>,
    enabled: bool,
) -> Element<'a, Message> {
    Element::new(Focus {
        content: content.into(),
        enabled,
        arrows: None,
    })
}

/// A choice (a pick list) reachable with Tab, where ↑ and ↓ choose the
/// previous and next option without opening it, as in a native combo box
/// (iced's menus take no keys); Enter or Space opens it.
pub fn choice<'a, Message: Clone + 'a>(
    content: impl Into<Element<'a, Message>>,
    previous: Option<Message>,
    next: Option<Message>,
) -> Element<'a, Message> {
    Element::new(Focus {
        content: content.into(),
        enabled: true,
        arrows: Some((previous, next)),
    })
}

/// The neighbours of `current` in `options`, as messages: for [`choice`].
pub fn neighbours<T: PartialEq + Clone, Message>(
    options: &[T],
    current: &T,
    message: impl Fn(T) -> Message,
) -> (Option<Message>, Option<Message>) {
    let at = options.iter().position(|option| option == current);
    let previous = at
        .and_then(|at| at.checked_sub(1))
        .and_then(|at| options.get(at))
        .cloned()
        .map(&message);
    let next = match at {
        Some(at) => options.get(at + 1),
        None => options.first(),
    }
    .cloned()
    .map(&message);
    (previous, next)
}

struct Focus<'a, Message> {
    content: Element<'a, Message>,
    enabled: bool,
    /// For a choice: what ↑ and ↓ choose.
    arrows: Option<(Option<Message>, Option<Message>)>,
}

#[derive(Debug, Default)]
struct State {
    focused: bool,
    /// Enter or Space is down on it.
    pressing: bool,
}

impl widget::operation::Focusable for State {
    fn is_focused(&self) -> bool {
        self.focused
    }

    fn focus(&mut self) {
        self.focused = true;
    }

    fn unfocus(&mut self) {
        self.focused = false;
        self.pressing = false;
    }
}

impl<Message: Clone> Widget<Message, Theme, iced::Renderer> for Focus<'_, Message> {
    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<State>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(State::default())
    }

    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(&self.content)]
    }

    fn diff(&self, tree: &mut Tree) {
        tree.diff_children(std::slice::from_ref(&self.content));
    }

    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &iced::Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        self.content
            .as_widget_mut()
            .layout(&mut tree.children[0], renderer, limits)
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &iced::Renderer,
        operation: &mut dyn Operation,
    ) {
        let state = tree.state.downcast_mut::<State>();
        if self.enabled {
            operation.focusable(None, layout.bounds(), state);
        } else {
            state.focused = false;
        }
        self.content
            .as_widget_mut()
            .operate(&mut tree.children[0], layout, renderer, operation);
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &iced::Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        let state = tree.state.downcast_mut::<State>();
        let activation =
            |key: &keyboard::Key| matches!(key, keyboard::Key::Named(Named::Enter | Named::Space));
        // The key goes down and up as a click in the middle would: the
        // press and the release are separate events, as the control
        // expects (it takes each once).
        if let (
            Some((previous, next)),
            Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }),
        ) = (&self.arrows, event)
            && state.focused
            && modifiers.is_empty()
        {
            let chosen = match key {
                keyboard::Key::Named(Named::ArrowUp) => Some(previous),
                keyboard::Key::Named(Named::ArrowDown) => Some(next),
                _ => None,
            };
            if let Some(chosen) = chosen {
                if let Some(message) = chosen {
                    shell.publish(message.clone());
                }
                shell.capture_event();
                return;
            }
        }
        let click = match event {
            Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. })
                if state.focused && modifiers.is_empty() && activation(key) =>
            {
                state.pressing = true;
                Some(mouse::Event::ButtonPressed(mouse::Button::Left))
            }
            Event::Keyboard(keyboard::Event::KeyReleased { key, .. })
                if state.pressing && activation(key) =>
            {
                state.pressing = false;
                Some(mouse::Event::ButtonReleased(mouse::Button::Left))
            }
            // The pointer is in use: the keyboard's ring goes.
            Event::Mouse(mouse::Event::ButtonPressed(_)) if state.focused => {
                state.focused = false;
                state.pressing = false;
                shell.request_redraw();
                None
            }
            _ => None,
        };
        if let Some(click) = click {
            let middle = mouse::Cursor::Available(layout.bounds().center());
            self.content.as_widget_mut().update(
                &mut tree.children[0],
                &Event::Mouse(click),
                layout,
                middle,
                renderer,
                clipboard,
                shell,
                viewport,
            );
            shell.capture_event();
            shell.request_redraw();
            return;
        }
        self.content.as_widget_mut().update(
            &mut tree.children[0],
            event,
            layout,
            cursor,
            renderer,
            clipboard,
            shell,
            viewport,
        );
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &iced::Renderer,
    ) -> mouse::Interaction {
        self.content.as_widget().mouse_interaction(
            &tree.children[0],
            layout,
            cursor,
            viewport,
            renderer,
        )
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut iced::Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content.as_widget().draw(
            &tree.children[0],
            renderer,
            theme,
            style,
            layout,
            cursor,
            viewport,
        );
        if tree.state.downcast_ref::<State>().focused {
            use iced::advanced::Renderer as _;
            // Just outside the control, with a gap, so that it shows on a
            // button filled with the same accent too.
            renderer.fill_quad(
                Quad {
                    bounds: layout.bounds().expand(3.0),
                    border: Border {
                        color: theme.extended_palette().primary.base.color,
                        width: 2.0,
                        radius: (crate::theme::RADIUS + 3.0).into(),
                    },
                    ..Quad::default()
                },
                Color::TRANSPARENT,
            );
        }
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &iced::Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, Theme, iced::Renderer>> {
        self.content.as_widget_mut().overlay(
            &mut tree.children[0],
            layout,
            renderer,
            viewport,
            translation,
        )
    }
}

/// iced's button, reachable with Tab (see [`focus`]): the same builder
/// calls, so that screens use it as they would iced's.
pub struct Button<'a, Message> {
    inner: iced::widget::Button<'a, Message>,
    enabled: bool,
}

pub fn button<'a, Message: Clone + 'a>(
    content: impl Into<Element<'a, Message>>,
) -> Button<'a, Message> {
    Button {
        inner: iced::widget::button(content),
        enabled: false,
    }
}

impl<'a, Message: Clone + 'a> Button<'a, Message> {
    pub fn on_press(self, message: Message) -> Self {
        Self {
            inner: self.inner.on_press(message),
            enabled: true,
        }
    }

    pub fn on_press_maybe(self, message: Option<Message>) -> Self {
        let enabled = message.is_some();
        Self {
            inner: self.inner.on_press_maybe(message),
            enabled,
        }
    }

    pub fn padding(self, padding: impl Into<iced::Padding>) -> Self {
        Self {
            inner: self.inner.padding(padding),
            ..self
        }
    }

    pub fn width(self, width: impl Into<Length>) -> Self {
        Self {
            inner: self.inner.width(width),
            ..self
        }
    }

    pub fn style(
        self,
        style: impl Fn(&Theme, iced::widget::button::Status) -> iced::widget::button::Style + 'a,
    ) -> Self {
        Self {
            inner: self.inner.style(style),
            ..self
        }
    }
}

impl<'a, Message: Clone + 'a> From<Button<'a, Message>> for Element<'a, Message> {
    fn from(button: Button<'a, Message>) -> Self {
        focus(button.inner, button.enabled)
    }
}

#[cfg(test)]
mod tests {
    use super::neighbours;

    #[test]
    fn arrows_choose_the_neighbouring_options() {
        let options = ["a", "b", "c"];
        assert_eq!(neighbours(&options, &"b", |o| o), (Some("a"), Some("c")));
        assert_eq!(neighbours(&options, &"a", |o| o), (None, Some("b")));
        assert_eq!(neighbours(&options, &"c", |o| o), (Some("b"), None));
        assert_eq!(neighbours(&options, &"z", |o| o), (None, Some("a")));
    }
}
