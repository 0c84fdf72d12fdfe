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
    iced::futures::executor::block_on(Renderer::new(theme::FONT, Pixels(16.0), Some("tiny-skia")))
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

/// What iced's own `markdown::view` draws of `items`, on a fresh
/// interface.
fn reference(renderer: &mut Renderer, items: &[Item], bottom: bool) -> Vec<u8> {
    let element = markdown::view(items, settings());
    frame(renderer, Cache::default(), element, bottom).0
}

#[test]
fn looks_exactly_like_markdown_view_at_both_ends() {
    let content = markdown::Content::parse(&document(150, "Settled"));
    assert!(content.items().len() > 4 * CHUNK, "several chunks");
    let mut renderer = renderer();
    for streaming in [false, true] {
        for bottom in [false, true] {
            let expected = reference(&mut renderer, content.items(), bottom);
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
    let expected = reference(&mut renderer, after.items(), false);
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
    let expected = reference(&mut renderer, content.items(), true);
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

#[test]
fn only_web_and_mail_links_are_links() {
    let items: Vec<Item> = markdown::parse(
        "# See [home](file:///home/me)\n\n\
         [site](https://example.org), [mail](mailto:me@example.org), \
         [files](file:///etc/passwd), [app](slack://open), [`code`](zoommtg://x) \
         and [upper](HTTPS://EXAMPLE.ORG).",
    )
    .collect();
    let style = settings().style;
    let spans = |item: &Item| match item {
        Item::Heading(_, text) | Item::Paragraph(text) => safe_spans(style, text),
        _ => panic!("unexpected {item:?}"),
    };
    let links = |spans: &[Span<'static, Uri>]| {
        spans
            .iter()
            .filter_map(|span| span.link.clone())
            .collect::<Vec<_>>()
    };
    let heading = spans(&items[0]);
    assert_eq!(links(&heading), Vec::<Uri>::new());
    let paragraph = spans(&items[1]);
    assert_eq!(
        links(&paragraph),
        [
            "https://example.org",
            "mailto:me@example.org",
            "HTTPS://EXAMPLE.ORG"
        ]
    );
    let plain = |word: &str| {
        paragraph
            .iter()
            .find(|span| span.text == word)
            .unwrap_or_else(|| panic!("{word} is shown"))
            .clone()
    };
    // Drawn as text: no link colour either (code keeps its own).
    assert_eq!(plain("files").color, None);
    assert_eq!(plain("app").color, None);
    assert_eq!(plain("code").color, Some(style.inline_code_color));
    assert_eq!(plain("site").color, Some(style.link_color));
}
