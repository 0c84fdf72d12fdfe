//! A Markdown reply whose cost per frame does not grow with its length.
//!
//! iced's `markdown::view` builds, diffs and lays out a widget for every
//! block of the document on every frame. While a 20,000-token reply streams
//! in, that is a few hundred blocks rebuilt for each delta, although only
//! the last block is still changing. Here the blocks that can no longer
//! change are grouped in fixed chunks of [`CHUNK`] blocks; a chunk is a small
//! widget that keeps its layout in the widget tree and builds its blocks'
//! widgets only when they are drawn (on screen), asked about the mouse or
//! operated on. iced's `lazy` cannot do this: it needs `'static` elements,
//! and Markdown's borrow the parsed items.
//!
//! A chunk is identified by [`Chunk::key`]: the content's generation (the
//! caller bumps it whenever it replaces the whole content), where the chunk
//! starts, how many blocks it holds and the text style. A block whose
//! Markdown reference link is only defined further down keeps its old look
//! until the generation changes (at the end of a reply, when it is parsed
//! whole).

use std::cell::OnceCell;

use iced::advanced::layout::{self, Layout};
use iced::advanced::widget::{Operation, Tree, tree};
use iced::advanced::{Clipboard, Shell, Widget, mouse, renderer};
use iced::widget::markdown::{self, Item, Uri};
use iced::widget::{Column, column};
use iced::{Element, Event, Length, Pixels, Point, Rectangle, Renderer, Size, Theme};

/// Blocks per chunk: at most two chunks are on screen at once in the reply
/// panel, so each frame builds at most a few dozen blocks' widgets.
pub const CHUNK: usize = 32;

/// The reply's blocks: the settled ones in chunks, the last one live while
/// `streaming` (it may still change with the next delta).
pub fn view<'a>(
    items: &'a [Item],
    streaming: bool,
    generation: u64,
    settings: markdown::Settings,
) -> Element<'a, Uri> {
    let settled = if streaming {
        items.len().saturating_sub(1)
    } else {
        items.len()
    };
    let chunks = (0..settled).step_by(CHUNK).map(|start| {
        let end = (start + CHUNK).min(settled);
        Element::new(Chunk {
            items: &items[start..end],
            start,
            generation,
            settings,
            element: OnceCell::new(),
        })
    });
    let live = items[settled..]
        .iter()
        .enumerate()
        .map(|(index, item)| markdown::item(&Links, settings, item, settled + index));
    column(chunks.chain(live))
        .spacing(settings.spacing)
        .width(Length::Fill)
        .into()
}

/// Links in the reply are published as their URL.
struct Links;

impl<'a> markdown::Viewer<'a, Uri> for Links {
    fn on_link_click(url: Uri) -> Uri {
        url
    }
}

/// A run of settled blocks.
struct Chunk<'a> {
    items: &'a [Item],
    start: usize,
    generation: u64,
    settings: markdown::Settings,
    /// The blocks' widgets, built on first need within a frame.
    element: OnceCell<Element<'a, Uri>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Key {
    generation: u64,
    start: usize,
    len: usize,
    text_size: Pixels,
    style: markdown::Style,
}

#[derive(Default)]
struct State {
    key: Option<Key>,
    /// The blocks' layout, relative to the chunk, and the limits it was
    /// made for. The chunk's own node has no children (cloning hundreds of
    /// nodes per frame is what this avoids); the blocks are given a layout
    /// made from this one.
    layout: Option<(layout::Limits, layout::Node)>,
}

impl State {
    fn blocks<'a>(&'a self, chunk: Layout<'_>) -> Option<Layout<'a>> {
        let (_, node) = self.layout.as_ref()?;
        Some(Layout::with_offset(chunk.position() - Point::ORIGIN, node))
    }
}

impl<'a> Chunk<'a> {
    fn key(&self) -> Key {
        Key {
            generation: self.generation,
            start: self.start,
            len: self.items.len(),
            text_size: self.settings.text_size,
            style: self.settings.style,
        }
    }

    fn element(&self) -> &Element<'a, Uri> {
        self.element.get_or_init(|| {
            Column::with_children(self.items.iter().enumerate().map(|(index, item)| {
                markdown::item(&Links, self.settings, item, self.start + index)
            }))
            .spacing(self.settings.spacing)
            .into()
        })
    }

    fn element_mut(&mut self) -> &mut Element<'a, Uri> {
        let _ = self.element();
        self.element.get_mut().expect("built just above")
    }
}

impl Widget<Uri, Theme, Renderer> for Chunk<'_> {
    fn size(&self) -> Size<Length> {
        Size::new(Length::Fill, Length::Shrink)
    }

    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<State>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(State {
            key: Some(self.key()),
            layout: None,
        })
    }

    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(self.element())]
    }

    fn diff(&self, tree: &mut Tree) {
        let key = self.key();
        let state = tree.state.downcast_mut::<State>();
        if state.key == Some(key) {
            return;
        }
        state.key = Some(key);
        state.layout = None;
        tree.diff_children(std::slice::from_ref(self.element()));
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        let state = tree.state.downcast_mut::<State>();
        let height = match &state.layout {
            Some((cached, node)) if cached == limits => node.size().height,
            _ => {
                let node = self.element_mut().as_widget_mut().layout(
                    &mut tree.children[0],
                    renderer,
                    limits,
                );
                let height = node.size().height;
                tree.state.downcast_mut::<State>().layout = Some((*limits, node));
                height
            }
        };
        layout::Node::new(Size::new(limits.max().width, height))
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        if !layout.bounds().intersects(viewport) {
            return;
        }
        if let Some(child) = tree.state.downcast_ref::<State>().blocks(layout) {
            self.element().as_widget().draw(
                &tree.children[0],
                renderer,
                theme,
                style,
                child,
                cursor,
                viewport,
            );
        }
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Uri>,
        viewport: &Rectangle,
    ) {
        // Only blocks on screen can be clicked or hovered.
        if !layout.bounds().intersects(viewport) {
            return;
        }
        if let Some(child) = tree.state.downcast_ref::<State>().blocks(layout) {
            self.element_mut().as_widget_mut().update(
                &mut tree.children[0],
                event,
                child,
                cursor,
                renderer,
                clipboard,
                shell,
                viewport,
            );
        }
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &Renderer,
    ) -> mouse::Interaction {
        match tree.state.downcast_ref::<State>().blocks(layout) {
            Some(child) if layout.bounds().intersects(viewport) => self
                .element()
                .as_widget()
                .mouse_interaction(&tree.children[0], child, cursor, viewport, renderer),
            _ => mouse::Interaction::None,
        }
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &Renderer,
        operation: &mut dyn Operation,
    ) {
        if let Some(child) = tree.state.downcast_ref::<State>().blocks(layout) {
            self.element_mut().as_widget_mut().operate(
                &mut tree.children[0],
                child,
                renderer,
                operation,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    //! The chunked reply must look exactly like iced's own `markdown::view`
    //! of the same items, and must show new content when its generation
    //! changes. Drawn with the tiny-skia renderer, off screen.

    use iced::advanced::renderer::{Headless, Style};
    use iced::widget::{markdown, scrollable};
    use iced::{Color, Point, Size, mouse};
    use iced_runtime::user_interface::{Cache, UserInterface};

    use super::*;
    use crate::theme;

    const SIZE: Size = Size::new(640.0, 900.0);

    fn document(paragraphs: usize, word: &str) -> String {
        let mut text = String::from("[Anthropic](https://www.anthropic.com) first.\n\n");
        for index in 0..paragraphs {
            // One item each; headings land on chunk boundaries too.
            match index % 8 {
                7 => text.push_str(&format!("## Part {index}\n\n")),
                1 => text.push_str(&format!("- {word} a\n- {word} b\n  - nested\n\n")),
                3 => text.push_str(&format!("```\ncode {index}\n```\n\n")),
                5 => text.push_str(&format!("> {word} quoted {index}\n\n")),
                _ => text.push_str(&format!(
                    "{word} {index}, with *some* **style** and `code`, long enough to wrap \
                     across the width of the panel at least once or twice.\n\n"
                )),
            }
        }
        text
    }

    fn renderer() -> Renderer {
        // A simulator loads the app's fonts into the shared font system.
        let settings = iced::Settings {
            fonts: theme::fonts(),
            default_font: theme::FONT,
            ..iced::Settings::default()
        };
        drop(iced_test::Simulator::<'_, ()>::with_size(
            settings,
            (10.0, 10.0),
            iced::widget::space(),
        ));
        iced::futures::executor::block_on(Renderer::new(
            theme::FONT,
            Pixels(16.0),
            Some("tiny-skia"),
        ))
        .expect("a tiny-skia renderer")
    }

    fn frame(
        renderer: &mut Renderer,
        cache: Cache,
        element: Element<'_, Uri>,
        bottom: bool,
    ) -> (Vec<u8>, Cache) {
        let theme = theme::light();
        let mut scroll = scrollable(element).height(Length::Fill);
        if bottom {
            scroll = scroll.anchor_bottom();
        }
        let mut ui = UserInterface::build(scroll, SIZE, cache, renderer);
        ui.draw(
            renderer,
            &theme,
            &Style {
                text_color: theme.palette().text,
            },
            mouse::Cursor::Unavailable,
        );
        let cache = ui.into_cache();
        let pixels = renderer.screenshot(
            Size::new(SIZE.width as u32, SIZE.height as u32),
            1.0,
            Color::WHITE,
        );
        (pixels, cache)
    }

    fn settings() -> markdown::Settings {
        markdown::Settings::with_text_size(15, theme::light())
    }

    #[test]
    fn looks_exactly_like_markdown_view_at_both_ends() {
        let content = markdown::Content::parse(&document(150, "Settled"));
        assert!(content.items().len() > 4 * CHUNK, "several chunks");
        let mut renderer = renderer();
        for streaming in [false, true] {
            for bottom in [false, true] {
                let (expected, _) = frame(
                    &mut renderer,
                    Cache::default(),
                    markdown::view(content.items(), settings()),
                    bottom,
                );
                let (chunked, _) = frame(
                    &mut renderer,
                    Cache::default(),
                    view(content.items(), streaming, 1, settings()),
                    bottom,
                );
                assert!(
                    expected.iter().any(|&byte| byte != 255),
                    "something is drawn"
                );
                assert!(
                    expected == chunked,
                    "streaming: {streaming}, at the bottom: {bottom}"
                );
            }
        }
    }

    #[test]
    fn a_new_generation_shows_new_content_of_the_same_shape() {
        let before = markdown::Content::parse(&document(100, "Before"));
        let after = markdown::Content::parse(&document(100, "After"));
        let mut renderer = renderer();
        let (expected, _) = frame(
            &mut renderer,
            Cache::default(),
            markdown::view(after.items(), settings()),
            false,
        );
        let (_, cache) = frame(
            &mut renderer,
            Cache::default(),
            view(before.items(), false, 1, settings()),
            false,
        );
        let (stale, cache) = frame(
            &mut renderer,
            cache,
            view(after.items(), false, 1, settings()),
            false,
        );
        assert!(stale != expected, "same generation: kept as it was");
        let (fresh, _) = frame(
            &mut renderer,
            cache,
            view(after.items(), false, 2, settings()),
            false,
        );
        assert!(fresh == expected, "new generation: redrawn");
    }

    #[test]
    fn streamed_frame_by_frame_it_ends_like_markdown_view() {
        let text = document(120, "Streamed");
        let mut renderer = renderer();
        let mut content = markdown::Content::new();
        let mut cache = Cache::default();
        for piece in text.as_bytes().chunks(97) {
            content.push_str(std::str::from_utf8(piece).expect("ASCII"));
            cache = frame(
                &mut renderer,
                cache,
                view(content.items(), true, 1, settings()),
                true,
            )
            .1;
        }
        let (streamed, _) = frame(
            &mut renderer,
            cache,
            view(content.items(), false, 1, settings()),
            true,
        );
        let (expected, _) = frame(
            &mut renderer,
            Cache::default(),
            markdown::view(content.items(), settings()),
            true,
        );
        assert!(streamed == expected);
    }

    #[test]
    fn a_link_in_a_settled_chunk_can_be_clicked() {
        let content = markdown::Content::parse(&document(80, "Linked"));
        let mut renderer = renderer();
        let (_, cache) = frame(
            &mut renderer,
            Cache::default(),
            view(content.items(), false, 1, settings()),
            false,
        );
        let mut ui = UserInterface::build(
            scrollable(view(content.items(), false, 1, settings())),
            SIZE,
            cache,
            &mut renderer,
        );
        let cursor = mouse::Cursor::Available(Point::new(12.0, 9.0));
        let mut messages = Vec::new();
        let _ = ui.update(
            &[
                iced::Event::Mouse(mouse::Event::CursorMoved {
                    position: Point::new(12.0, 9.0),
                }),
                iced::Event::Mouse(mouse::Event::ButtonPressed(mouse::Button::Left)),
                iced::Event::Mouse(mouse::Event::ButtonReleased(mouse::Button::Left)),
            ],
            cursor,
            &mut renderer,
            &mut iced::advanced::clipboard::Null,
            &mut messages,
        );
        assert_eq!(
            messages.iter().map(Uri::as_str).collect::<Vec<_>>(),
            ["https://www.anthropic.com"]
        );
    }
}
