//! API errors, mapped to what the person should do.

use std::time::Duration;

use crate::key::ApiKey;
use serde::Deserialize;

/// The kinds of failure the API documents, plus the transport's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400 invalid_request_error.
    InvalidRequest,
    /// 400 "Your credit balance is too low…".
    CreditTooLow,
    /// 401 authentication_error.
    Authentication,
    /// 402 billing_error.
    Billing,
    /// 403 permission_error.
    Permission,
    /// 404 not_found_error.
    NotFound,
    /// 413 request_too_large.
    TooLarge,
    /// 429 rate_limit_error.
    RateLimited,
    /// 500 api_error and other 5xx.
    Server,
    /// 504 timeout_error.
    GatewayTimeout,
    /// 529 overloaded_error.
    Overloaded,
    /// Could not connect: offline, DNS, TLS, refused.
    Connection,
    /// No (complete) answer in time.
    TimedOut,
    /// Connected, and the request sent, but nothing came back in time: a
    /// hung server or gateway. Not retried, not queued: it is reachable.
    NotAnswering,
    /// The answer was not what the API sends.
    Unexpected,
    /// A streamed reply broke off before it was complete.
    Interrupted,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    /// The API's own message, or the transport's.
    pub message: String,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    /// `x-should-retry`, when the server says.
    pub should_retry: Option<bool>,
}

#[derive(Deserialize)]
struct Envelope {
    error: Body,
    #[serde(default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    message: String,
}

pub(super) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get("request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// `retry-after-ms`, else `retry-after` (seconds, or an HTTP date), capped
/// at 60 s.
pub(super) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let duration = header("retry-after-ms")
        .and_then(|ms| ms.trim().parse::<f64>().ok())
        .map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0))
        .or_else(|| {
            let value = header("retry-after")?.trim();
            match value.parse::<f64>() {
                Ok(seconds) => Some(Duration::from_secs_f64(seconds.max(0.0))),
                Err(_) => {
                    let at = jiff::fmt::rfc2822::DateTimeParser::new()
                        .parse_timestamp(value)
                        .ok()?;
                    // A date already past means "now".
                    let wait = at.duration_since(jiff::Timestamp::now());
                    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
                }
            }
        })?;
    (duration <= Duration::from_secs(60)).then_some(duration)
}

impl ApiError {
    /// The error, with the key's text taken out of its message: a server
    /// or proxy that echoes the request's headers back must not put the
    /// key on screen or in the log.
    #[must_use]
    pub fn without_key(mut self, key: &ApiKey) -> Self {
        let key = key.expose();
        if !key.is_empty() && self.message.contains(key) {
            self.message = self.message.replace(key, "[your API key]");
        }
        self
    }

    pub(super) async fn from_response(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Self::from_parts(status, &headers, &body)
    }

    pub fn from_parts(status: u16, headers: &reqwest::header::HeaderMap, body: &str) -> Self {
        let envelope: Option<Envelope> = serde_json::from_str(body).ok();
        let (kind_name, message, body_request_id) = match envelope {
            Some(envelope) => (
                Some(envelope.error.kind),
                envelope.error.message,
                envelope.request_id,
            ),
            None => (None, String::new(), None),
        };
        let kind = match (status, kind_name.as_deref()) {
            (400, _) if message.to_ascii_lowercase().contains("credit balance") => {
                ErrorKind::CreditTooLow
            }
            (_, Some("authentication_error")) | (401, _) => ErrorKind::Authentication,
            (_, Some("billing_error")) | (402, _) => ErrorKind::Billing,
            (_, Some("permission_error")) | (403, _) => ErrorKind::Permission,
            (_, Some("not_found_error")) | (404, _) => ErrorKind::NotFound,
            (_, Some("request_too_large")) | (413, _) => ErrorKind::TooLarge,
            (_, Some("rate_limit_error")) | (429, _) => ErrorKind::RateLimited,
            (_, Some("overloaded_error")) | (529, _) => ErrorKind::Overloaded,
            (_, Some("timeout_error")) | (504, _) => ErrorKind::GatewayTimeout,
            (_, Some("api_error")) | (500..=599, _) => ErrorKind::Server,
            (_, Some("invalid_request_error")) | (400, _) => ErrorKind::InvalidRequest,
            _ => ErrorKind::Unexpected,
        };
        let message = if (300..400).contains(&status) {
            // Redirects are not followed (see `Client::http`): say where it
            // pointed, so a wrong ANTHROPIC_BASE_URL can be fixed.
            let location = headers
                .get(reqwest::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("nowhere");
            format!(
                "HTTP {status}: a redirect to {location}, which BrainDump does not follow, so that your key only ever goes to the address you set"
            )
        } else if message.is_empty() {
            format!("HTTP {status} with an unexpected body")
        } else {
            message
        };
        Self {
            kind,
            status: Some(status),
            message,
            request_id: request_id(headers).or(body_request_id),
            retry_after: retry_after(headers),
            should_retry: headers
                .get("x-should-retry")
                .and_then(|value| value.to_str().ok())
                .map(|value| value.trim() == "true"),
        }
    }

    pub(super) fn from_transport(error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            ErrorKind::TimedOut
        } else if error.is_connect() || error.is_request() {
            ErrorKind::Connection
        } else {
            ErrorKind::Unexpected
        };
        Self {
            kind,
            status: error.status().map(|status| status.as_u16()),
            message: transport_message(&error),
            request_id: None,
            retry_after: None,
            should_retry: None,
        }
    }

    pub(super) fn unexpected(message: String, request_id: Option<String>) -> Self {
        Self {
            kind: ErrorKind::Unexpected,
            status: Some(200),
            message: format!("the answer was not what the API sends ({message})"),
            request_id,
            retry_after: None,
            should_retry: None,
        }
    }

    pub(super) fn timed_out(after: Duration) -> Self {
        Self {
            kind: ErrorKind::TimedOut,
            status: None,
            message: format!("no answer within {} seconds", after.as_secs()),
            request_id: None,
            retry_after: None,
            should_retry: None,
        }
    }

    /// The request went out but no reply began within `after`.
    pub(super) fn not_answering(after: Duration) -> Self {
        Self {
            kind: ErrorKind::NotAnswering,
            status: None,
            message: format!("nothing came back within {} seconds", after.as_secs()),
            request_id: None,
            retry_after: None,
            should_retry: Some(false),
        }
    }

    /// " (request req_…)" for showing with a message, or nothing.
    pub fn request_suffix(&self) -> String {
        self.request_id
            .as_deref()
            .map(|id| format!(" (request {id})"))
            .unwrap_or_default()
    }
}

/// What actually went wrong, in the words of the deepest cause
/// ("Connection refused", "failed to lookup address information", "invalid
/// peer certificate"), without reqwest's wrapping and the URL.
fn transport_message(error: &reqwest::Error) -> String {
    let mut deepest: &dyn std::error::Error = error;
    while let Some(source) = deepest.source() {
        deepest = source;
    }
    let message = deepest.to_string();
    // "Connection refused (os error 111)" reads better without the number.
    match message.find(" (os error") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn error(status: u16, kind: &str, message: &str) -> ApiError {
        let body = format!(
            r#"{{"type":"error","error":{{"type":"{kind}","message":"{message}"}},"request_id":"req_1"}}"#
        );
        ApiError::from_parts(status, &HeaderMap::new(), &body)
    }

    #[test]
    fn every_documented_error_has_its_kind() {
        let table = [
            (
                400,
                "invalid_request_error",
                "bad",
                ErrorKind::InvalidRequest,
            ),
            (
                400,
                "invalid_request_error",
                "Your credit balance is too low to access the Anthropic API.",
                ErrorKind::CreditTooLow,
            ),
            (
                401,
                "authentication_error",
                "invalid x-api-key",
                ErrorKind::Authentication,
            ),
            (402, "billing_error", "billing", ErrorKind::Billing),
            (403, "permission_error", "no", ErrorKind::Permission),
            (404, "not_found_error", "no model", ErrorKind::NotFound),
            (413, "request_too_large", "too big", ErrorKind::TooLarge),
            (429, "rate_limit_error", "slow down", ErrorKind::RateLimited),
            (500, "api_error", "oops", ErrorKind::Server),
            (504, "timeout_error", "slow", ErrorKind::GatewayTimeout),
            (529, "overloaded_error", "Overloaded", ErrorKind::Overloaded),
        ];
        for (status, kind, message, expected) in table {
            let error = error(status, kind, message);
            assert_eq!(error.kind, expected, "{status} {kind}");
            assert_eq!(error.request_id.as_deref(), Some("req_1"));
            assert_eq!(error.message, message);
        }
    }

    #[test]
    fn an_unexpected_body_is_said_to_be_one() {
        let error = ApiError::from_parts(502, &HeaderMap::new(), "<html>Bad gateway</html>");
        assert_eq!(error.kind, ErrorKind::Server);
        assert!(error.message.contains("unexpected body"));
        let error = ApiError::from_parts(418, &HeaderMap::new(), "teapot");
        assert_eq!(error.kind, ErrorKind::Unexpected);
    }

    #[test]
    fn retry_after_headers_are_honoured_up_to_a_minute() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert("retry-after-ms", HeaderValue::from_static("1500"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(1500)));
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("3600"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let printer = jiff::fmt::rfc2822::DateTimePrinter::new();
        let date = |seconds: i64| {
            let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(seconds);
            let mut headers = HeaderMap::new();
            let value = printer.timestamp_to_rfc9110_string(&at).unwrap();
            headers.insert("retry-after", HeaderValue::from_str(&value).unwrap());
            retry_after(&headers)
        };
        let wait = date(10).expect("a date 10 s ahead");
        assert!(
            wait > Duration::from_secs(8) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        assert_eq!(date(-30), Some(Duration::ZERO), "already past: now");
        assert_eq!(date(3600), None, "an hour: too long to wait");
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}

/// What the person can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Open the key flow (and come back to the note).
    FixKey,
    /// Open Plans & Billing in the Console.
    Billing,
    /// Try the same thing again.
    Retry,
    /// Nothing to press: the text says what to change.
    None,
}

/// A plain-words headline and detail for an error, and the next step.
pub fn advice(error: &ApiError) -> (&'static str, String, NextStep) {
    let id = error.request_suffix();
    let said = &error.message;
    match error.kind {
        ErrorKind::Authentication => (
            "Anthropic did not accept your API key.",
            format!("It may have been revoked or expired. Replace it; your note is untouched.{id}"),
            NextStep::FixKey,
        ),
        ErrorKind::Permission => (
            "Your API key may not do this.",
            format!(
                "Anthropic said: {said}. Check the key's workspace in the Console, or use another key.{id}"
            ),
            NextStep::FixKey,
        ),
        ErrorKind::CreditTooLow | ErrorKind::Billing => (
            "Your Anthropic credit balance is too low.",
            format!("Add credits in the Console under Plans & Billing, then try again.{id}"),
            NextStep::Billing,
        ),
        ErrorKind::TooLarge => (
            "This note is too large to send.",
            format!("Split it into smaller notes, or process a part of it.{id}"),
            NextStep::None,
        ),
        ErrorKind::RateLimited => (
            "Anthropic is limiting how often your key can be used.",
            format!("Wait a minute and try again. {said}{id}"),
            NextStep::Retry,
        ),
        ErrorKind::Overloaded => (
            "Anthropic is overloaded right now.",
            format!("This is not your fault and not your key's. Try again in a little while.{id}"),
            NextStep::Retry,
        ),
        ErrorKind::GatewayTimeout => (
            "Anthropic timed out before the reply was done (504).",
            format!(
                "A long note takes longer to answer: try again, or send a shorter note or a part of it.{id}"
            ),
            NextStep::Retry,
        ),
        ErrorKind::NotAnswering => (
            "Anthropic is not answering.",
            format!(
                "The request went out, but {said}, so BrainDump stopped waiting. Anthropic may be having trouble (status.claude.com says): try again in a minute. Your note is untouched.{id}"
            ),
            NextStep::Retry,
        ),
        ErrorKind::Server => (
            "Anthropic had a problem answering.",
            format!("It is on their side: try again in a moment. ({said}){id}"),
            NextStep::Retry,
        ),
        ErrorKind::NotFound => (
            "The model was not found.",
            format!(
                "Choose another model; the list is refreshed when you re-check your key in Settings. ({said}){id}"
            ),
            NextStep::None,
        ),
        ErrorKind::InvalidRequest => (
            "Anthropic could not use this request.",
            format!("Anthropic said: {said}{id}"),
            NextStep::Retry,
        ),
        ErrorKind::Connection => (
            "BrainDump can't reach Anthropic.",
            format!(
                "You may be offline ({said}). The request waits in the queue and is sent when the connection is back."
            ),
            NextStep::Retry,
        ),
        ErrorKind::TimedOut => (
            "Anthropic did not answer in time.",
            format!("Try again.{id}"),
            NextStep::Retry,
        ),
        ErrorKind::Interrupted => (
            "The reply broke off before it was complete.",
            format!("What arrived is kept, marked incomplete. ({said}){id}"),
            NextStep::Retry,
        ),
        ErrorKind::Unexpected => (
            "Anthropic's answer was not what BrainDump expected.",
            format!("If you set ANTHROPIC_BASE_URL, check it. ({said}){id}"),
            NextStep::Retry,
        ),
    }
}
