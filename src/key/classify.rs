//! What did the person paste? Decided locally, before any network call, so
//! that the common mistakes get a precise answer at once.

use super::ApiKey;

/// Anthropic API keys today are `sk-ant-api03-` and 95 characters of
/// base64url. The bounds leave room for future lengths without accepting a
/// key that was obviously cut off.
const MIN_BODY: usize = 80;
const MAX_BODY: usize = 200;

#[derive(Debug, PartialEq)]
pub enum Kind {
    /// Looks like an API key: ready to validate.
    ApiKey(ApiKey),
    Empty,
    /// A Claude subscription OAuth token (e.g. from `claude setup-token`).
    SubscriptionToken,
    /// An Admin key: manages an organization, cannot send messages.
    AdminKey,
    /// Some other Anthropic credential.
    OtherAnthropic,
    /// A key of another provider.
    OtherProvider(&'static str),
    /// The right start, but too short: probably cut off when copying.
    CutOff,
    /// Spaces or line breaks inside the key.
    InnerWhitespace,
    /// A key pasted twice in a row (or two keys together).
    PastedTwice,
    /// Words, not a key: a sentence or a paragraph was pasted. `with_key`:
    /// an API key is among them.
    Prose {
        with_key: bool,
    },
    /// Characters that never appear in a key.
    StrayCharacters(char),
    /// Not recognisable as a key at all.
    Unrecognised,
}

impl Kind {
    /// What to tell the person: a short headline and what to do, in plain
    /// words. `None` for a key that looks right.
    pub fn message(&self) -> Option<(&'static str, String)> {
        const CREATE: &str = "Create an API key in the Claude Console (Settings → API keys); it starts with sk-ant-api03-.";
        Some(match self {
            Kind::ApiKey(_) => return None,
            Kind::Empty => ("Nothing pasted yet.", "Paste your API key from the Claude Console.".to_owned()),
            Kind::SubscriptionToken => (
                "This is a Claude subscription token, not an API key.",
                format!("Tokens from a Pro or Max plan (for example from `claude setup-token`) only work in Claude's own apps; Anthropic offers no sign-in for other apps. {CREATE}"),
            ),
            Kind::AdminKey => (
                "This is an Admin key, which cannot talk to Claude.",
                format!("Admin keys manage an organization. {CREATE}"),
            ),
            Kind::OtherAnthropic => (
                "This Anthropic credential is not an API key.",
                CREATE.to_owned(),
            ),
            Kind::OtherProvider(provider) => (
                "This is another provider's key.",
                format!("It looks like {provider} key. BrainDump talks to Claude, so it needs an Anthropic key. {CREATE}"),
            ),
            Kind::CutOff => (
                "This key is too short.",
                "It was probably cut off when copying. Copy it again in full; the Console shows a key only once, so if it is gone, create a new one.".to_owned(),
            ),
            Kind::InnerWhitespace => (
                "There are spaces or line breaks inside the key.",
                "Copy it again in one piece.".to_owned(),
            ),
            Kind::PastedTwice => (
                "The key is in there twice.",
                "It was pasted twice in a row. Clear the field and paste it once.".to_owned(),
            ),
            Kind::Prose { with_key: true } => (
                "This is text with a key in it, not the key alone.",
                "Copy just the key (it starts with sk-ant-api03-), without the words around it, and paste it here.".to_owned(),
            ),
            Kind::Prose { with_key: false } => (
                "This looks like a piece of writing, not an API key.",
                format!("Perhaps the clipboard held something else. {CREATE}"),
            ),
            Kind::StrayCharacters(c) => (
                "The key contains a character keys never have.",
                format!("{} never appears in an API key. Copy the key again from the Console, on its own.", character_name(*c)),
            ),
            Kind::Unrecognised => (
                "This doesn't look like an Anthropic API key.",
                CREATE.to_owned(),
            ),
        })
    }
}

/// A character as a person can recognise it: invisible ones by name (a
/// zero-width space shown as `"\u{200b}"` tells nobody anything).
fn character_name(c: char) -> String {
    let name = match c {
        '\u{200b}' => "A zero-width space (invisible)",
        '\u{200c}' => "A zero-width non-joiner (invisible)",
        '\u{200d}' => "A zero-width joiner (invisible)",
        '\u{2060}' => "A word joiner (invisible)",
        '\u{feff}' => "A byte-order mark (invisible)",
        '\u{00ad}' => "A soft hyphen (invisible)",
        '\u{200e}' | '\u{200f}' => "A text-direction mark (invisible)",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "A typographic dash (–, —), not a plain hyphen,",
        '…' => "An ellipsis (…), which usually means the key was shortened for display,",
        c if c.is_control() => {
            return format!("An invisible control character (U+{:04X})", u32::from(c));
        }
        c => return format!("“{c}”"),
    };
    name.to_owned()
}

/// Trims what people often paste around a key: spaces, line breaks,
/// quotes, and an `ANTHROPIC_API_KEY=` in front.
pub fn clean(input: &str) -> &str {
    const QUOTES: &[char] = &['"', '\'', '`', '“', '”', '‘', '’', '«', '»'];
    let mut text = input.trim();
    for prefix in ["export ", "ANTHROPIC_API_KEY=", "ANTHROPIC_API_KEY:"] {
        text = text.strip_prefix(prefix).unwrap_or(text).trim();
    }
    text.trim_matches(|c: char| c.is_whitespace() || QUOTES.contains(&c) || c == ',' || c == ';')
}

pub fn classify(input: &str) -> Kind {
    let text = clean(input);
    if text.is_empty() {
        return Kind::Empty;
    }
    // Twice the key, with or without a break between: keys hold no
    // "sk-ant-" of their own.
    if text.matches("sk-ant-").count() >= 2 {
        return Kind::PastedTwice;
    }
    if text.chars().any(char::is_whitespace) {
        return prose(text).unwrap_or(Kind::InnerWhitespace);
    }
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';

    if let Some(rest) = text.strip_prefix("sk-ant-") {
        if rest.starts_with("oat") || rest.starts_with("ort") {
            return Kind::SubscriptionToken;
        }
        if rest.starts_with("admin") {
            return Kind::AdminKey;
        }
        let Some(body) = rest.strip_prefix("api03-").or_else(|| api_prefix(rest)) else {
            return Kind::OtherAnthropic;
        };
        if let Some(c) = body.chars().find(|&c| !is_key_char(c)) {
            return Kind::StrayCharacters(c);
        }
        return match body.len() {
            n if n < MIN_BODY => Kind::CutOff,
            n if n > MAX_BODY => Kind::Unrecognised,
            _ => Kind::ApiKey(ApiKey::new(text)),
        };
    }
    if let Some(provider) = other_provider(text) {
        return Kind::OtherProvider(provider);
    }
    if "sk-ant-api03-".starts_with(text) || text.starts_with("sk-an") && text.len() < 13 {
        return Kind::CutOff;
    }
    Kind::Unrecognised
}

/// Several words, most of them made of letters: something written, not a
/// key broken by a space (whose pieces are long runs of key characters).
fn prose(text: &str) -> Option<Kind> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let wordlike = words
        .iter()
        .filter(|word| {
            let word = word.trim_matches(|c: char| c.is_ascii_punctuation());
            (1..=20).contains(&word.chars().count()) && word.chars().all(char::is_alphabetic)
        })
        .count();
    (words.len() >= 3 && wordlike * 2 >= words.len()).then(|| Kind::Prose {
        with_key: words.iter().any(|word| word.contains("sk-ant-")),
    })
}

/// Future API key versions (`api04-`, …) are accepted too.
fn api_prefix(rest: &str) -> Option<&str> {
    let version = rest.strip_prefix("api")?;
    let (digits, body) = version.split_once('-')?;
    (digits.len() == 2 && digits.chars().all(|c| c.is_ascii_digit())).then_some(body)
}

fn other_provider(text: &str) -> Option<&'static str> {
    const PREFIXES: &[(&str, &str)] = &[
        ("sk-proj-", "an OpenAI"),
        ("sk-svcacct-", "an OpenAI"),
        ("sk-or-", "an OpenRouter"),
        ("AIza", "a Google (Gemini)"),
        ("gsk_", "a Groq"),
        ("xai-", "an xAI (Grok)"),
        ("hf_", "a Hugging Face"),
        ("pplx-", "a Perplexity"),
        ("r8_", "a Replicate"),
        ("ghp_", "a GitHub"),
        ("github_pat_", "a GitHub"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| text.starts_with(prefix))
        .map(|(_, provider)| *provider)
        .or_else(|| {
            (text.starts_with("sk-") && text.len() > 20).then_some("an OpenAI (or similar)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQ";

    fn key() -> String {
        format!("sk-ant-api03-{BODY}")
    }

    #[test]
    fn the_table() {
        let good = key();
        let cases: Vec<(String, &str)> = vec![
            (good.clone(), "key"),
            (format!("  {good}\n"), "key"),
            (format!("\"{good}\""), "key"),
            (format!("'{good}'"), "key"),
            (format!("“{good}”"), "key"),
            (format!("`{good}`"), "key"),
            (format!("ANTHROPIC_API_KEY={good}"), "key"),
            (format!("export ANTHROPIC_API_KEY=\"{good}\""), "key"),
            (format!("\r\n\t{good} \r\n"), "key"),
            (format!("sk-ant-api04-{BODY}"), "key"),
            (String::new(), "empty"),
            ("   \n ".into(), "empty"),
            ("\"\"".into(), "empty"),
            (format!("sk-ant-oat01-{BODY}"), "subscription"),
            (format!("sk-ant-ort01-{BODY}"), "subscription"),
            (format!("sk-ant-admin01-{BODY}"), "admin"),
            (format!("sk-ant-sid01-{BODY}"), "other anthropic"),
            (format!("sk-proj-{BODY}"), "provider"),
            (format!("sk-{BODY}"), "provider"),
            ("AIzaSyA1234567890abcdefghijklmnopqrstuv".into(), "provider"),
            (
                "gsk_abcdefghijklmnopqrstuvwxyz0123456789".into(),
                "provider",
            ),
            ("xai-abcdefghijklmnopqrstuvwxyz".into(), "provider"),
            ("sk-or-v1-abcdefghijklmnopqrstuvwxyz".into(), "provider"),
            (format!("sk-ant-api03-{}", &BODY[..40]), "cut off"),
            ("sk-ant-api03-".into(), "cut off"),
            ("sk-ant".into(), "cut off"),
            (
                format!("sk-ant-api03-{} {}", &BODY[..50], &BODY[50..]),
                "whitespace",
            ),
            (
                format!("sk-ant-api03-{}\n{}", &BODY[..50], &BODY[50..]),
                "whitespace",
            ),
            (
                format!("sk-ant-api03-{}!{}", &BODY[..50], &BODY[50..]),
                "stray",
            ),
            (format!("sk-ant-api03-{}…", &BODY[..90]), "stray"),
            ("hello world".into(), "whitespace"),
            (
                "Dear team, here are the notes from today's meeting.".into(),
                "prose",
            ),
            (format!("my new key is {good} thanks"), "prose with key"),
            (format!("{good}{good}"), "twice"),
            (format!("{good}\n{good}"), "twice"),
            (format!("{good} {good}"), "twice"),
            ("my-password".into(), "unrecognised"),
            (format!("sk-ant-api03-{BODY}{BODY}{BODY}"), "unrecognised"),
        ];
        assert!(cases.len() >= 25);
        for (input, expected) in cases {
            let kind = classify(&input);
            let actual = match &kind {
                Kind::ApiKey(_) => "key",
                Kind::Empty => "empty",
                Kind::SubscriptionToken => "subscription",
                Kind::AdminKey => "admin",
                Kind::OtherAnthropic => "other anthropic",
                Kind::OtherProvider(_) => "provider",
                Kind::CutOff => "cut off",
                Kind::InnerWhitespace => "whitespace",
                Kind::PastedTwice => "twice",
                Kind::Prose { with_key: true } => "prose with key",
                Kind::Prose { with_key: false } => "prose",
                Kind::StrayCharacters(_) => "stray",
                Kind::Unrecognised => "unrecognised",
            };
            assert_eq!(actual, expected, "input {input:?}");
            assert_eq!(kind.message().is_none(), expected == "key");
        }
    }

    #[test]
    fn the_key_is_kept_trimmed() {
        let Kind::ApiKey(found) = classify(&format!(" \"{}\"\n", key())) else {
            panic!("not a key");
        };
        assert_eq!(found.expose(), key());
    }

    #[test]
    fn invisible_characters_are_named_in_words() {
        let message = |c: char| {
            let (_, detail) = classify(&format!("sk-ant-api03-{}{c}{}", &BODY[..50], &BODY[50..]))
                .message()
                .unwrap();
            detail
        };
        assert!(message('\u{200b}').starts_with("A zero-width space (invisible) never appears"));
        assert!(message('\u{feff}').starts_with("A byte-order mark"));
        assert!(message('\u{7}').starts_with("An invisible control character (U+0007)"));
        assert!(message('–').starts_with("A typographic dash"));
        assert!(message('!').starts_with("“!” never appears"));
        for c in ['\u{200b}', '\u{feff}', '\u{7}'] {
            assert!(!message(c).contains("\\u"), "{}", message(c));
        }
    }

    #[test]
    fn the_subscription_message_says_why_and_what_to_do() {
        let (headline, detail) = classify(&format!("sk-ant-oat01-{BODY}")).message().unwrap();
        assert!(headline.contains("subscription"));
        assert!(detail.contains("API key"));
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// Something pasted: a key, a token or another provider's key
        /// (whole, cut, with a character changed), with what people paste
        /// around keys, or anything at all.
        fn pasted() -> impl Strategy<Value = String> {
            let body = "[A-Za-z0-9_-]{0,120}";
            let prefix = prop_oneof![
                Just("sk-ant-api03-"),
                Just("sk-ant-api04-"),
                Just("sk-ant-oat01-"),
                Just("sk-ant-admin01-"),
                Just("sk-ant-sid01-"),
                Just("sk-proj-"),
                Just("sk-"),
                Just(""),
            ];
            let around = prop_oneof![
                Just(("", "")),
                Just(("  ", "\n")),
                Just(("\"", "\"")),
                Just(("“", "”")),
                Just(("ANTHROPIC_API_KEY=", "")),
                Just(("export ANTHROPIC_API_KEY='", "';")),
            ];
            prop_oneof![
                (
                    prefix,
                    body,
                    around,
                    any::<Option<(prop::sample::Index, char)>>()
                )
                    .prop_map(|(prefix, body, (before, after), change)| {
                        let mut key = format!("{prefix}{body}");
                        if let Some((at, c)) = change {
                            let at = at.index(key.chars().count().max(1));
                            key = key
                                .chars()
                                .enumerate()
                                .map(|(i, old)| if i == at { c } else { old })
                                .collect();
                        }
                        format!("{before}{key}{after}")
                    }),
                any::<String>(),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

            /// Whatever is pasted: no panic, and neither what to tell the
            /// person nor `Debug` repeats the pasted text (at most the one
            /// stray character keys never have).
            #[test]
            fn never_panics_nor_repeats_what_was_pasted(input in pasted()) {
                let kind = classify(&input);
                let cleaned = clean(&input);
                let debug = format!("{kind:?}");
                let told = kind
                    .message()
                    .map(|(headline, detail)| format!("{headline} {detail}"))
                    .unwrap_or_default();
                // Pieces of the pasted text long enough to matter.
                let chars: Vec<char> = cleaned.chars().collect();
                for piece in chars.windows(12) {
                    let piece: String = piece.iter().collect();
                    if piece.trim().len() < 12 || told_anyway(&piece) {
                        continue;
                    }
                    prop_assert!(!told.contains(&piece), "{piece:?} is in {told:?}");
                    prop_assert!(!debug.contains(&piece), "{piece:?} is in {debug:?}");
                }
            }

            /// A key-shaped paste is a key, whatever is around it, and the
            /// key kept is exactly the key.
            #[test]
            fn a_whole_key_is_found_in_what_is_around_it(
                body in "[A-Za-z0-9_-]{80,200}",
                before in prop_oneof![Just(""), Just(" \t"), Just("\"")],
                after in prop_oneof![Just(""), Just("\n"), Just("\","), Just("\r\n")],
            ) {
                let key = format!("sk-ant-api03-{body}");
                let Kind::ApiKey(found) = classify(&format!("{before}{key}{after}")) else {
                    return Err(TestCaseError::fail("not a key"));
                };
                prop_assert_eq!(found.expose(), key.as_str());
            }
        }

        /// Words the messages themselves use (a 12-character piece of
        /// pasted text that is one of them is not the paste showing).
        fn told_anyway(piece: &str) -> bool {
            [
                "sk-ant-api03-",
                "ANTHROPIC_API_KEY",
                "API key",
                "Console",
                "setup-token",
            ]
            .iter()
            .any(|word| word.contains(piece) || piece.contains(word))
        }
    }
}
