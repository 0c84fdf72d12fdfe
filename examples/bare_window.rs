//! The floor for `make bench`: a bare iced window, built with the same iced
//! features and renderers as BrainDump, showing one line of text.
//!
//! With `BRAINDUMP_BENCH_FIRST_FRAME=1` it prints `FIRST_FRAME` when its first
//! frame is about to be drawn, then exits (as BrainDump does).

use iced::widget::{center, text};
use iced::{Element, Subscription, window};

#[derive(Debug, Clone)]
enum Message {
    Frame,
}

fn update(_state: &mut (), message: Message) -> iced::Task<Message> {
    match message {
        Message::Frame => {
            println!("FIRST_FRAME");
            iced::exit()
        }
    }
}

fn view(_state: &()) -> Element<'_, Message> {
    center(text("Hello")).into()
}

fn subscription(_state: &()) -> Subscription<Message> {
    if std::env::var_os("BRAINDUMP_BENCH_FIRST_FRAME").is_some() {
        window::frames().map(|_| Message::Frame)
    } else {
        Subscription::none()
    }
}

fn main() -> iced::Result {
    iced::application(|| (), update, view)
        .subscription(subscription)
        .title("Bare")
        .window_size((1100.0, 720.0))
        .run()
}
