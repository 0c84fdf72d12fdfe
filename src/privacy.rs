//! What a note holds that should not leave the machine unasked: API keys
//! and tokens, private keys, e-mail addresses, phone numbers, payment card
//! numbers (Luhn-checked) and IBANs (checksum). Found locally, before
//! anything is sent; masked on request with placeholders (`[email 1]`)
//! that are the same for the same text throughout a request, and put back
//! in what Claude answers.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    PrivateKey,
    /// An Anthropic API key (`sk-ant-…`), perhaps the user's own.
    AnthropicKey,
    /// Another service's key or token.
    Token,
    Iban,
    Card,
    Email,
    Phone,
}

impl Kind {
    /// The placeholder's word: `[email 1]`.
    fn placeholder(self) -> &'static str {
        match self {
            Kind::PrivateKey => "private key",
            Kind::AnthropicKey => "Anthropic key",
            Kind::Token => "API key",
            Kind::Iban => "IBAN",
            Kind::Card => "card",
            Kind::Email => "email",
            Kind::Phone => "phone",
        }
    }

    /// "2 e-mail addresses".
    pub fn counted(self, count: usize) -> String {
        let (one, many) = match self {
            Kind::PrivateKey => ("private key", "private keys"),
            Kind::AnthropicKey => ("Anthropic API key", "Anthropic API keys"),
            Kind::Token => ("API key or token", "API keys or tokens"),
            Kind::Iban => ("IBAN", "IBANs"),
            Kind::Card => ("payment card number", "payment card numbers"),
            Kind::Email => ("e-mail address", "e-mail addresses"),
            Kind::Phone => ("phone number", "phone numbers"),
        };
        format!("{count} {}", if count == 1 { one } else { many })
    }
}

/// Something found: what, where (bytes of the text), and on which line
/// (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub range: Range<usize>,
    pub line: usize,
}

struct Patterns {
    private_key: Regex,
    anthropic: Regex,
    tokens: Regex,
    iban: Regex,
    card: Regex,
    email: Regex,
    phone: Regex,
    date: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let regex = |pattern: &str| Regex::new(pattern).expect("the privacy patterns compile");
        Patterns {
            private_key: regex(
                r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\z)",
            ),
            anthropic: regex(r"\bsk-ant-[A-Za-z0-9_-]{16,}"),
            tokens: regex(concat!(
                r"\bsk-[A-Za-z0-9_-]{20,}",
                r"|\bAIza[0-9A-Za-z_-]{30,}",
                r"|\bgh[pousr]_[A-Za-z0-9]{30,}",
                r"|\bgithub_pat_[A-Za-z0-9_]{20,}",
                r"|\bxox[abposr]-[A-Za-z0-9-]{10,}",
                r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
            )),
            iban: regex(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),
            card: regex(r"\b[0-9](?:[ -]?[0-9]){12,18}\b"),
            email: regex(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
            phone: regex(r"(?:\+|\b)[0-9][0-9 ().-]{6,18}[0-9]\b"),
            date: regex(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}"),
        }
    })
}

/// Everything found in `text`, in order. Where two finds overlap, the
/// more specific wins (a key over a card number over a phone number).
pub fn scan(text: &str) -> Vec<Finding> {
    let patterns = patterns();
    let mut found: Vec<(Kind, Range<usize>)> = Vec::new();
    let mut add = |kind: Kind, regex: &Regex, keep: &dyn Fn(&str) -> bool| {
        for hit in regex.find_iter(text) {
            if keep(hit.as_str()) {
                found.push((kind, hit.range()));
            }
        }
    };
    add(Kind::PrivateKey, &patterns.private_key, &|_| true);
    add(Kind::AnthropicKey, &patterns.anthropic, &|_| true);
    add(Kind::Token, &patterns.tokens, &|hit| {
        !hit.starts_with("sk-ant-")
    });
    add(Kind::Iban, &patterns.iban, &iban_checks);
    add(Kind::Card, &patterns.card, &luhn_checks);
    add(Kind::Email, &patterns.email, &|_| true);
    add(Kind::Phone, &patterns.phone, &looks_like_a_phone);

    // The more specific first; then each place is taken once.
    found.sort_by_key(|(kind, range)| (*kind, range.start));
    let mut taken: Vec<(Kind, Range<usize>)> = Vec::new();
    for (kind, range) in found {
        if !taken
            .iter()
            .any(|(_, other)| range.start < other.end && other.start < range.end)
        {
            taken.push((kind, range));
        }
    }
    taken.sort_by_key(|(_, range)| range.start);

    // Lines, counted once through the text.
    let mut findings = Vec::with_capacity(taken.len());
    let (mut line, mut counted_to) = (0, 0);
    for (kind, range) in taken {
        line += memchr_count(&text.as_bytes()[counted_to..range.start]);
        counted_to = range.start;
        findings.push(Finding { kind, range, line });
    }
    findings
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| byte == b'\n').count()
}

fn digits(text: &str) -> Vec<u32> {
    text.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// The Luhn check every payment card number passes.
fn luhn_checks(text: &str) -> bool {
    let digits = digits(text);
    if !(13..=19).contains(&digits.len()) || digits.iter().all(|&digit| digit == digits[0]) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, &digit)| {
            if index % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// ISO 13616: the country and check digits moved to the end, letters as
/// numbers (A = 10), the whole mod 97 is 1.
fn iban_checks(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u64 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = match c.to_digit(36) {
            Some(value) => value as u64,
            None => return false,
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

/// A phone number: 10 to 15 digits (8 or more after a `+`), not a date or
/// a time, nor a plain long number with no separators and no `+`.
fn looks_like_a_phone(text: &str) -> bool {
    let count = digits(text).len();
    let international = text.starts_with('+');
    if !(if international { 8..=15 } else { 10..=15 }).contains(&count) {
        return false;
    }
    let separated = text.contains([' ', '-', '.', '(', ')']);
    if !international && !separated {
        return false;
    }
    // 2026-12-03 10:30 and the like.
    !patterns().date.is_match(text)
}

/// What was replaced in a request, to put the originals back in replies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masks {
    /// (placeholder, original), in the order first met.
    pairs: Vec<(String, String)>,
}

impl Masks {
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `text` with everything found replaced by placeholders; the same
    /// original gets the same placeholder in every text masked with these
    /// masks (the note and each follow-up of one request).
    pub fn mask(&mut self, text: &str) -> String {
        let findings = scan(text);
        let mut masked = String::with_capacity(text.len());
        let mut at = 0;
        for finding in findings {
            masked.push_str(&text[at..finding.range.start]);
            let original = &text[finding.range.clone()];
            masked.push_str(&self.placeholder_for(finding.kind, original));
            at = finding.range.end;
        }
        masked.push_str(&text[at..]);
        masked
    }

    fn placeholder_for(&mut self, kind: Kind, original: &str) -> String {
        if let Some((placeholder, _)) = self.pairs.iter().find(|(_, known)| known == original) {
            return placeholder.clone();
        }
        let word = kind.placeholder();
        let number = self
            .pairs
            .iter()
            .filter(|(placeholder, _)| {
                placeholder
                    .strip_prefix('[')
                    .and_then(|rest| rest.strip_prefix(word))
                    .is_some_and(|rest| rest.starts_with(' '))
            })
            .count()
            + 1;
        let placeholder = format!("[{word} {number}]");
        self.pairs.push((placeholder.clone(), original.to_owned()));
        placeholder
    }

    /// `reply` with the originals back where their placeholders came back.
    pub fn unmask(&self, reply: &str) -> String {
        let mut text = reply.to_owned();
        // Longest first: "[email 12]" before "[email 1]".
        let mut pairs: Vec<&(String, String)> = self.pairs.iter().collect();
        pairs.sort_by_key(|(placeholder, _)| std::cmp::Reverse(placeholder.len()));
        for (placeholder, original) in pairs {
            if text.contains(placeholder.as_str()) {
                text = text.replace(placeholder.as_str(), original);
            }
        }
        text
    }
}

/// "2 e-mail addresses (lines 3 and 9), 1 Anthropic API key (line 12)".
pub fn summary(findings: &[Finding]) -> String {
    let mut kinds: Vec<Kind> = findings.iter().map(|finding| finding.kind).collect();
    kinds.sort();
    kinds.dedup();
    let parts: Vec<String> = kinds
        .iter()
        .map(|&kind| {
            let mut lines: Vec<usize> = findings
                .iter()
                .filter(|finding| finding.kind == kind)
                .map(|finding| finding.line + 1)
                .collect();
            let count = lines.len();
            lines.dedup();
            let shown: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
            let more = if lines.len() > 5 { ", …" } else { "" };
            let word = if lines.len() == 1 { "line" } else { "lines" };
            format!(
                "{} ({word} {}{more})",
                kind.counted(count),
                shown.join(", ")
            )
        })
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        scan(text)
            .into_iter()
            .map(|finding| (finding.kind, &text[finding.range]))
            .collect()
    }

    #[test]
    fn each_kind_is_found_and_lines_are_counted() {
        let key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        let text = format!(
            "Call me on +44 20 7946 0958 or write to ana.lopez@example.org.\n\
             My key: {key}\n\
             OpenAI: sk-proj-abcdefghijklmnopqrstuvwx12\n\
             Google AIzaSyA1234567890abcdefghijklmnopqrstuv and ghp_abcdefghijklmnopqrstuvwxyz0123456789\n\
             slack xoxb-1234567890-abcdefghij, aws AKIAIOSFODNN7EXAMPLE\n\
             card 4111 1111 1111 1111, iban GB82 WEST 1234 5698 7654 32\n\
             -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
        );
        let found = kinds(&text);
        let of = |kind: Kind| -> Vec<&str> {
            found
                .iter()
                .filter(|(found, _)| *found == kind)
                .map(|(_, text)| *text)
                .collect()
        };
        assert_eq!(of(Kind::Phone), ["+44 20 7946 0958"]);
        assert_eq!(of(Kind::Email), ["ana.lopez@example.org"]);
        assert_eq!(of(Kind::AnthropicKey), [key]);
        assert_eq!(of(Kind::Token).len(), 5, "{found:?}");
        assert_eq!(of(Kind::Card), ["4111 1111 1111 1111"]);
        assert_eq!(of(Kind::Iban), ["GB82 WEST 1234 5698 7654 32"]);
        assert_eq!(of(Kind::PrivateKey).len(), 1);
        let lines: Vec<usize> = scan(&text).iter().map(|finding| finding.line).collect();
        assert_eq!(lines[..3], [0, 0, 1]);
    }

    #[test]
    fn checksums_and_shapes_keep_ordinary_numbers_out() {
        for ordinary in [
            "Meeting on 2026-12-03 at 10:30.",
            "Order 4111 1111 1111 1112 (a bad checksum).",
            "Room 101, page 12345, year 1999.",
            "Invoice 20261203001 paid.",
            "0000 0000 0000 0000",
            "version 1.2.3.4",
            "me at example dot com",
        ] {
            assert!(
                scan(ordinary).is_empty(),
                "{ordinary}: {:?}",
                kinds(ordinary)
            );
        }
        assert_eq!(kinds("Ring 555-123-4567 today")[0].0, Kind::Phone);
        let bad_iban = "GB82 WEST 1234 5698 7654 33";
        assert!(
            !kinds(bad_iban).iter().any(|(kind, _)| *kind == Kind::Iban),
            "a bad check digit is no IBAN"
        );
    }

    #[test]
    fn masks_are_consistent_and_come_back_in_replies() {
        let mut masks = Masks::default();
        let note = "Mail ana@example.org, then bob@example.org, then ana@example.org again.";
        let masked = masks.mask(note);
        assert_eq!(
            masked,
            "Mail [email 1], then [email 2], then [email 1] again."
        );
        let follow_up = masks.mask("Should I cc ana@example.org?");
        assert_eq!(follow_up, "Should I cc [email 1]?");
        let reply = "Write to [email 1] first; [email 2] can wait.";
        assert_eq!(
            masks.unmask(reply),
            "Write to ana@example.org first; bob@example.org can wait."
        );
        assert!(!masked.contains('@'));
    }

    #[test]
    fn the_summary_says_what_and_where() {
        let text = "a@example.org\n\nb@example.org\nsk-ant-api03-AbCdEfGhIjKlMnOpQrSt";
        assert_eq!(
            summary(&scan(text)),
            "1 Anthropic API key (line 4), 2 e-mail addresses (lines 1, 3)"
        );
    }
}
