//! How onboarding looks.

use crate::widget::button;
use iced::widget::{column, container, row, text, text_input};
use iced::{Alignment, Element, Fill};

use super::{KEY_INPUT_ID, Message, Onboarding, Paste, Step, unsure_message};
use crate::claude;
use crate::key::classify::{self, Kind};
use crate::theme::{self, size, space};
use crate::widget::{Icon, icon, labeled};

impl Onboarding {
    pub fn view(&self) -> Element<'_, Message> {
        let content: Element<'_, Message> = match &self.step {
            Step::Welcome => welcome(),
            Step::GetKey => get_key(self.console_failed),
            Step::Paste(paste) => paste_view(paste),
            Step::Validating { key, .. } => waiting(
                "Checking your key with Anthropic…",
                format!("{} — this costs nothing.", key.hint()),
                Some(("Cancel", Message::Cancel)),
            ),
            Step::Storing { waiting: false, .. } => waiting(
                "Saving your key in the system keychain…",
                String::new(),
                None,
            ),
            Step::Storing { waiting: true, .. } => waiting(
                "Waiting for the system keychain…",
                "It may be locked: if it asks for your password, enter it there, and BrainDump carries on as soon as the keychain answers.".to_owned(),
                Some(("Use it for this session only", Message::UseForSession)),
            ),
            Step::Unsure { validation, .. } => {
                let (headline, detail, keep) = unsure_message(validation);
                problem(
                    headline,
                    detail,
                    vec![
                        ("Try again", Message::Retry, true),
                        (keep, Message::KeepUnverified, false),
                    ],
                )
            }
            Step::StoreFailed { error, .. } => problem(
                "Your key could not be saved in the keychain.",
                error.to_string(),
                vec![
                    ("Try again", Message::Retry, true),
                    (
                        "Use it for this session only",
                        Message::UseForSession,
                        false,
                    ),
                ],
            ),
        };
        let back = (!matches!(self.step, Step::Welcome | Step::Storing { .. })).then(|| {
            button(row![icon(Icon::Back).size(14), text("Back").size(size::BODY)].spacing(space::S))
                .style(button::text)
                .on_press(Message::Back)
        });
        let mut page = column![].spacing(space::L).max_width(560);
        if let Some(back) = back {
            page = page.push(back);
        }
        container(page.push(content))
            .center(Fill)
            .padding(space::XL)
            .into()
    }
}

fn heading(title: &str) -> Element<'_, Message> {
    text(title).size(size::HERO).font(theme::FONT_BOLD).into()
}

fn body<'a>(words: impl text::IntoFragment<'a>) -> Element<'a, Message> {
    text(words).size(size::BODY).line_height(1.5).into()
}

fn welcome<'a>() -> Element<'a, Message> {
    column![
        icon(Icon::Sparkles).size(32),
        heading("Welcome to BrainDump"),
        body("Write down whatever is on your mind: it is saved as you type, on this computer, and works offline."),
        body("When you want, Claude can reflect on a note, summarise it, or turn it into tasks. That needs an Anthropic API key; you can set it up now or later in Settings."),
        row![
            labeled(Icon::Key, "Set up Claude").style(theme::primary).on_press(Message::SetUp),
            button(text("Just write (offline)").size(size::BODY))
                .padding([space::S, space::M])
                .style(theme::secondary)
                .on_press(Message::JustWrite),
        ]
        .spacing(space::M),
        keys("Enter sets up Claude; Esc takes you straight to writing."),
    ]
    .spacing(space::L)
    .into()
}

fn get_key<'a>(console_failed: bool) -> Element<'a, Message> {
    let address = if console_failed {
        format!(
            "No web browser could be opened. Open this address yourself: {}",
            claude::CONSOLE_KEYS_URL
        )
    } else {
        claude::CONSOLE_KEYS_URL.to_owned()
    };
    column![
        heading("Get an API key"),
        body("BrainDump talks to Claude with an API key from the Claude Console, billed by use to your Console account. A Claude Pro or Max subscription is separate and cannot be used here: Anthropic does not let other apps sign in with it."),
        body("In the Console, choose Create Key, name it (for example “BrainDump”), and copy it. It is shown only once."),
        row![
            labeled(Icon::External, "Open the Claude Console").style(theme::primary).on_press(Message::OpenConsole),
            button(text("I have a key").size(size::BODY))
                .padding([space::S, space::M])
                .style(theme::secondary)
                .on_press(Message::HaveKey),
        ]
        .spacing(space::M),
        text(address).size(size::SMALL).style(theme::muted),
        keys("Enter opens the Console. Have a key already? Paste it (Ctrl+V) or type it. Esc goes back."),
    ]
    .spacing(space::L)
    .into()
}

fn paste_view(paste: &Paste) -> Element<'_, Message> {
    let kind = classify::classify(&paste.input);
    let input = text_input("sk-ant-api03-…", &paste.input)
        .id(KEY_INPUT_ID)
        .secure(!paste.reveal)
        .on_input(Message::Input)
        .on_paste(|text| Message::Input(classify::clean(&text).to_owned()))
        .on_submit(Message::Submit)
        .padding(space::M)
        .size(size::BODY)
        .style(theme::input);
    let field = row![
        input,
        button(icon(if paste.reveal {
            Icon::EyeOff
        } else {
            Icon::Eye
        }))
        .padding(space::M)
        .style(theme::secondary)
        .on_press(Message::ToggleReveal),
        labeled(Icon::Paste, "Paste")
            .style(theme::secondary)
            .on_press(Message::PasteClipboard),
    ]
    .spacing(space::S)
    .align_y(Alignment::Center);

    let verdict: Element<'_, Message> = match (&paste.refused, kind.message()) {
        (Some((headline, detail)), _) => {
            feedback(Icon::Alert, headline.clone(), detail.clone(), true)
        }
        (None, _) if paste.input.trim().is_empty() => body(
            "Paste the key you copied from the Console. It will be kept in your system's keychain, never in a file.",
        ),
        (None, Some((headline, detail))) => {
            feedback(Icon::Alert, headline.to_owned(), detail, true)
        }
        (None, None) => feedback(
            Icon::Check,
            "That looks like an API key.".to_owned(),
            "Press Enter to check it with Anthropic; this costs nothing.".to_owned(),
            false,
        ),
    };
    let ready = matches!(kind, Kind::ApiKey(_));

    column![
        heading("Paste your key"),
        field,
        verdict,
        row![
            labeled(Icon::Check, "Check and save")
                .style(theme::primary)
                .on_press_maybe(ready.then_some(Message::Submit)),
        ],
    ]
    .spacing(space::L)
    .into()
}

/// What the keyboard does on this step, for those who do not use a mouse.
fn keys(words: &str) -> Element<'_, Message> {
    text(words).size(size::SMALL).style(theme::muted).into()
}

fn feedback<'a>(
    glyph: Icon,
    headline: String,
    detail: String,
    danger: bool,
) -> Element<'a, Message> {
    container(
        row![
            icon(glyph),
            column![
                text(headline).size(size::BODY).font(theme::FONT_BOLD),
                text(detail).size(size::BODY).line_height(1.4),
            ]
            .spacing(space::XS)
            .width(Fill),
        ]
        .spacing(space::M)
        .align_y(Alignment::Start),
    )
    .padding(space::M)
    .width(Fill)
    .style(move |theme| theme::notice(theme, danger))
    .into()
}

fn waiting<'a>(
    title: &'a str,
    detail: String,
    action: Option<(&'a str, Message)>,
) -> Element<'a, Message> {
    let mut content = column![
        row![icon(Icon::Clock), text(title).size(size::TITLE)]
            .spacing(space::S)
            .align_y(Alignment::Center)
    ]
    .spacing(space::L);
    if !detail.is_empty() {
        content = content.push(text(detail).size(size::BODY).style(theme::muted));
    }
    if let Some((label, message)) = action {
        content = content.push(
            button(text(label).size(size::BODY))
                .padding([space::S, space::M])
                .style(theme::secondary)
                .on_press(message),
        );
    }
    content.into()
}

fn problem<'a>(
    title: &'a str,
    message: String,
    actions: Vec<(&'a str, Message, bool)>,
) -> Element<'a, Message> {
    column![
        heading("Not done yet"),
        feedback(Icon::Alert, title.to_owned(), message, true),
        row(actions.into_iter().map(|(label, message, primary)| {
            button(text(label).size(size::BODY))
                .padding([space::S, space::M])
                .style(if primary {
                    theme::primary
                } else {
                    theme::secondary
                })
                .on_press(message)
                .into()
        }))
        .spacing(space::M),
        keys("Enter tries again; Esc goes back to your key."),
    ]
    .spacing(space::L)
    .into()
}
