//! A Markdown reply whose cost per frame does not grow with its length.
//!
//! iced's `markdown::view` builds, diffs and lays out a widget for every
//! block of the document on every frame. While a 20,000-token reply streams
//! in, that is a few hundred blocks rebuilt for each delta, although only
//! the last block is still changing. [`view`] instead returns one widget
//! that holds the parsed items by reference. It groups the blocks that can
//! no longer change in fixed chunks of [`CHUNK`], keeps each chunk's widget
//! state and layout in the widget tree, and builds a chunk's widgets only
//! when the chunk is drawn (on screen), asked about the mouse, operated on or
//! has changed. iced's `lazy` cannot do this: it needs `'static` elements,
//! and Markdown's borrow the parsed items.
//!
//! A chunk is identified by its [`Key`]: the content's generation (the
//! caller bumps it whenever it replaces the whole content), where the chunk
//! starts, how many blocks it holds and the text style. A block whose
//! Markdown reference link is only defined further down keeps its old look
//! until the generation changes (at the end of a reply, when it is parsed
//! whole).

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use iced::advanced::layout::{self, Layout};
use iced::advanced::text::Span;
use iced::advanced::widget::{Operation, Tree, tree};
use iced::advanced::{Clipboard, Shell, Widget, mouse, renderer};
use iced::widget::Column;
use iced::widget::markdown::{self, Item, Uri};
use iced::{Element, Event, Length, Pixels, Point, Rectangle, Renderer, Size, Theme, Vector};

/// Blocks per chunk: at most two chunks are on screen at once in the reply
/// panel, so a frame builds at most a few dozen blocks' widgets.
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
    Element::new(Reply {
        items,
        settled,
        generation,
        settings,
        built: RefCell::new(Vec::new()),
    })
}

/// Links in the reply are published as their URL. Only web and e-mail
/// links look like links: any other scheme (`file:`, a custom handler,
/// which anyone's note text can steer Claude into writing) is drawn as
/// plain text, and clicking it does nothing.
struct Links;

impl<'a> markdown::Viewer<'a, Uri> for Links {
    fn on_link_click(url: Uri) -> Uri {
        url
    }

    fn heading(
        &self,
        settings: markdown::Settings,
        level: &'a markdown::HeadingLevel,
        text: &'a markdown::Text,
        index: usize,
    ) -> Element<'a, Uri> {
        let size = match level {
            markdown::HeadingLevel::H1 => settings.h1_size,
            markdown::HeadingLevel::H2 => settings.h2_size,
            markdown::HeadingLevel::H3 => settings.h3_size,
            markdown::HeadingLevel::H4 => settings.h4_size,
            markdown::HeadingLevel::H5 => settings.h5_size,
            markdown::HeadingLevel::H6 => settings.h6_size,
        };
        let top = if index > 0 {
            settings.text_size / 2.0
        } else {
            Pixels::ZERO
        };
        iced::widget::container(
            iced::widget::rich_text(safe_spans(settings.style, text))
                .on_link_click(std::convert::identity)
                .size(size),
        )
        .padding(iced::padding::top(top))
        .into()
    }

    fn paragraph(&self, settings: markdown::Settings, text: &markdown::Text) -> Element<'a, Uri> {
        iced::widget::rich_text(safe_spans(settings.style, text))
            .size(settings.text_size)
            .on_link_click(std::convert::identity)
            .into()
    }
}

/// May a link in a reply be opened? Only web pages and e-mail: a `file:`
/// or custom-scheme link in a reply (which anyone's note text can steer)
/// would open local files or hand data to other programs.
pub fn is_safe_link(url: &str) -> bool {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    matches!(scheme.as_deref(), Some("http" | "https" | "mailto"))
}

/// A text's spans, with links of any scheme but http, https and mailto
/// turned back into plain text (iced's cache of the spans is used as it is
/// when there are none).
pub fn safe_spans(style: markdown::Style, text: &markdown::Text) -> Arc<[Span<'static, Uri>]> {
    let spans = text.spans(style);
    if spans
        .iter()
        .all(|span| span.link.as_deref().is_none_or(is_safe_link))
    {
        return spans;
    }
    spans
        .iter()
        .map(|span| {
            let mut span = span.clone();
            if span.link.take_if(|link| !is_safe_link(link)).is_some() {
                // The link's colour goes with it (code keeps its own).
                span.color =
                    (span.font == Some(style.inline_code_font)).then_some(style.inline_code_color);
            }
            span
        })
        .collect()
}

struct Reply<'a> {
    items: &'a [Item],
    /// Blocks before this one can no longer change.
    settled: usize,
    generation: u64,
    settings: markdown::Settings,
    /// The chunks whose widgets were built for this frame, by index.
    built: RefCell<Vec<(usize, Element<'a, Uri>)>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Key {
    generation: u64,
    start: usize,
    len: usize,
    /// The blocks after the settled ones: never kept from frame to frame.
    live: bool,
    text_size: Pixels,
    style: markdown::Style,
}

/// What is kept of a chunk from frame to frame (its widgets' state is the
/// matching child of the tree).
struct Slot {
    key: Key,
    /// The chunk's layout, at the origin, and the limits it was made for.
    layout: Option<(layout::Limits, layout::Node)>,
    /// Where the chunk starts, from the top of the reply.
    y: f32,
}

#[derive(Default)]
struct State {
    slots: Vec<Slot>,
}

impl<'a> Reply<'a> {
    /// Settled chunks, then one live chunk if any block is still live.
    fn chunks(&self) -> usize {
        self.settled.div_ceil(CHUNK) + usize::from(self.settled < self.items.len())
    }

    fn range(&self, index: usize) -> Range<usize> {
        let start = index * CHUNK;
        if start >= self.settled {
            self.settled..self.items.len()
        } else {
            start..(start + CHUNK).min(self.settled)
        }
    }

    fn key(&self, index: usize) -> Key {
        let range = self.range(index);
        Key {
            generation: self.generation,
            start: range.start,
            len: range.len(),
            live: range.start >= self.settled,
            text_size: self.settings.text_size,
            style: self.settings.style,
        }
    }

    fn build(&self, index: usize) -> Element<'a, Uri> {
        let range = self.range(index);
        let items: &'a [Item] = &self.items[range.clone()];
        Column::with_children(
            items
                .iter()
                .zip(range)
                .map(|(item, index)| markdown::item(&Links, self.settings, item, index)),
        )
        .spacing(self.settings.spacing)
        .into()
    }

    fn with_chunk<T>(&self, index: usize, f: impl FnOnce(&Element<'a, Uri>) -> T) -> T {
        let mut built = self.built.borrow_mut();
        let position = match built.iter().position(|(built, _)| *built == index) {
            Some(position) => position,
            None => {
                built.push((index, self.build(index)));
                built.len() - 1
            }
        };
        f(&built[position].1)
    }

    fn chunk_mut(&mut self, index: usize) -> &mut Element<'a, Uri> {
        let found = self
            .built
            .get_mut()
            .iter()
            .position(|(built, _)| *built == index);
        let position = match found {
            Some(position) => position,
            None => {
                let element = self.build(index);
                let built = self.built.get_mut();
                built.push((index, element));
                built.len() - 1
            }
        };
        &mut self.built.get_mut()[position].1
    }

    /// Brings the tree up to date: chunks whose key changed (and the live
    /// one) are diffed; the others are left alone.
    fn sync(&self, tree: &mut Tree) {
        let count = self.chunks();
        let Tree {
            state, children, ..
        } = tree;
        let state = state.downcast_mut::<State>();
        state.slots.truncate(count);
        children.truncate(count);
        for index in 0..count {
            let key = self.key(index);
            match state.slots.get_mut(index) {
                Some(slot) if slot.key == key && !key.live => {}
                Some(slot) => {
                    self.with_chunk(index, |element| children[index].diff(element.as_widget()));
                    slot.key = key;
                    slot.layout = None;
                }
                None => {
                    self.with_chunk(index, |element| {
                        children.push(Tree::new(element.as_widget()));
                    });
                    state.slots.push(Slot {
                        key,
                        layout: None,
                        y: 0.0,
                    });
                }
            }
        }
    }

    /// Every laid-out chunk, with its layout.
    fn laid_out<'b>(
        state: &'b State,
        layout: Layout<'_>,
    ) -> impl Iterator<Item = (usize, Layout<'b>)> + 'b {
        let origin = layout.position() - Point::ORIGIN;
        state
            .slots
            .iter()
            .enumerate()
            .filter_map(move |(index, slot)| {
                let (_, node) = slot.layout.as_ref()?;
                let chunk = Layout::with_offset(origin + Vector::new(0.0, slot.y), node);
                Some((index, chunk))
            })
    }

    /// The chunks on screen, with their layouts.
    fn visible<'b>(
        state: &'b State,
        layout: Layout<'_>,
        viewport: &'b Rectangle,
    ) -> impl Iterator<Item = (usize, Layout<'b>)> + 'b {
        Self::laid_out(state, layout).filter(|(_, chunk)| chunk.bounds().intersects(viewport))
    }
}

impl Widget<Uri, Theme, Renderer> for Reply<'_> {
    fn size(&self) -> Size<Length> {
        Size::new(Length::Fill, Length::Shrink)
    }

    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<State>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(State::default())
    }

    fn children(&self) -> Vec<Tree> {
        // Made in `sync`, from `diff` or the first `layout`.
        Vec::new()
    }

    fn diff(&self, tree: &mut Tree) {
        self.sync(tree);
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        // A tree made for this widget just now has not been diffed: make
        // its chunks. (After `diff` the counts match; syncing again would
        // diff the live chunk twice.)
        if tree.state.downcast_ref::<State>().slots.len() != self.chunks() {
            self.sync(tree);
        }
        let width = limits.max().width;
        let chunk_limits = layout::Limits::new(Size::ZERO, Size::new(width, f32::INFINITY));
        let Tree {
            state, children, ..
        } = tree;
        let state = state.downcast_mut::<State>();
        let mut y = 0.0;
        for (index, slot) in state.slots.iter_mut().enumerate() {
            if index > 0 {
                y += self.settings.spacing.0;
            }
            let height = match &slot.layout {
                Some((cached, node)) if *cached == chunk_limits => node.size().height,
                _ => {
                    let node = self.chunk_mut(index).as_widget_mut().layout(
                        &mut children[index],
                        renderer,
                        &chunk_limits,
                    );
                    let height = node.size().height;
                    slot.layout = Some((chunk_limits, node));
                    height
                }
            };
            slot.y = y;
            y += height;
        }
        layout::Node::new(limits.resolve(Length::Fill, Length::Shrink, Size::new(width, y)))
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
        let state = tree.state.downcast_ref::<State>();
        for (index, chunk) in Self::visible(state, layout, viewport) {
            self.with_chunk(index, |element| {
                element.as_widget().draw(
                    &tree.children[index],
                    renderer,
                    theme,
                    style,
                    chunk,
                    cursor,
                    viewport,
                );
            });
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
        let Tree {
            state, children, ..
        } = tree;
        let state = state.downcast_ref::<State>();
        for (index, chunk) in Self::visible(state, layout, viewport) {
            self.chunk_mut(index).as_widget_mut().update(
                &mut children[index],
                event,
                chunk,
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
        let state = tree.state.downcast_ref::<State>();
        Self::visible(state, layout, viewport)
            .map(|(index, chunk)| {
                self.with_chunk(index, |element| {
                    element.as_widget().mouse_interaction(
                        &tree.children[index],
                        chunk,
                        cursor,
                        viewport,
                        renderer,
                    )
                })
            })
            .max()
            .unwrap_or_default()
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &Renderer,
        operation: &mut dyn Operation,
    ) {
        let Tree {
            state, children, ..
        } = tree;
        let state = state.downcast_ref::<State>();
        for (index, chunk) in Self::laid_out(state, layout) {
            self.chunk_mut(index).as_widget_mut().operate(
                &mut children[index],
                chunk,
                renderer,
                operation,
            );
        }
    }
}

#[cfg(test)]
mod tests;
