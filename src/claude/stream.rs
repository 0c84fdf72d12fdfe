//! Streaming a message: `POST /v1/messages` with `stream: true`, read as
//! server-sent events, retried before the first byte like the official SDKs.
//!
//! The result is a plain `Stream` of [`Event`]s. Dropping it cancels the
//! HTTP request at once (that is how Stop works).

use std::time::Duration;

use eventsource_stream::Eventsource;
use futures::stream::{BoxStream, Stream, StreamExt};
use serde::{Deserialize, Serialize};

use super::Client;
use super::error::{self, ApiError, ErrorKind};
use crate::key::ApiKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

/// One turn of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub role: Role,
    pub content: String,
}

/// What to ask.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    pub model: String,
    pub max_tokens: u32,
    pub system: String,
    pub messages: Vec<Turn>,
}

/// The request as sent to `/v1/messages` (`stream` set) or, without
/// `max_tokens`, to `/v1/messages/count_tokens`.
///
/// Prompt caching: the system prompt and the note (the first user turn)
/// are marked `cache_control: ephemeral`, so that each follow-up reads
/// them from Anthropic's cache (a tenth of the input price) instead of
/// paying for them again; so is the latest answer before a follow-up, so
/// that the next follow-up reads the whole conversation so far. (Three of
/// the four marks a request may carry.) A prefix shorter than the model's
/// minimum (about 1,024 tokens) is simply not cached; nothing fails.
pub fn body(request: &Request, stream: bool) -> serde_json::Value {
    use serde_json::json;
    let cached = json!({"type": "ephemeral"});
    let turns = request.messages.len();
    let latest_answer = request
        .messages
        .iter()
        .rposition(|turn| turn.role == Role::Assistant)
        .filter(|&at| at + 1 < turns && at > 0);
    let messages: Vec<serde_json::Value> = request
        .messages
        .iter()
        .enumerate()
        .map(|(index, turn)| {
            // The API refuses an empty turn that is not the last.
            if turn.content.is_empty() && turn.role == Role::Assistant {
                return json!({"role": turn.role, "content": "(no reply)"});
            }
            if (index == 0 && turn.role == Role::User) || Some(index) == latest_answer {
                json!({
                    "role": turn.role,
                    "content": [{"type": "text", "text": turn.content, "cache_control": cached}],
                })
            } else {
                json!({"role": turn.role, "content": turn.content})
            }
        })
        .collect();
    let mut body = json!({
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": messages,
    });
    if !request.system.is_empty() {
        body["system"] = json!([{"type": "text", "text": request.system, "cache_control": cached}]);
    }
    if stream {
        body["stream"] = json!(true);
    }
    body
}

/// The body `count_tokens` takes: the message's, without `max_tokens`.
pub fn count_body(request: &Request) -> serde_json::Value {
    let mut body = body(request, false);
    if let Some(fields) = body.as_object_mut() {
        fields.remove("max_tokens");
    }
    body
}

/// What happens while a reply streams in.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The attempt failed in a way worth retrying; the next one starts
    /// after `wait`.
    Retrying {
        attempt: u32,
        wait: Duration,
        error: ApiError,
    },
    /// Anthropic accepted the request. `input_tokens` are those billed at
    /// the full price; the cache's are apart.
    Started {
        request_id: Option<String>,
        model: String,
        input_tokens: u64,
        cache: CacheUsage,
    },
    /// More text.
    Delta(String),
    /// Output tokens so far (cumulative, as the API reports them).
    Usage { output_tokens: u64 },
    /// The reply is complete.
    Finished { stop_reason: Option<String> },
    /// The reply failed. Text received before stays valid, and is
    /// incomplete when `kind` is `Interrupted` or the stream had started.
    Failed(ApiError),
}

/// What Continue asks of a model that takes no prefill: the reply so far
/// is its last turn, and this is the user's next.
pub const CONTINUE_INSTRUCTION: &str = "Your last reply was cut off. Continue it exactly where it stopped, without repeating anything and without a preamble.";

/// Whether `model` takes an assistant prefill (a conversation ending with
/// Claude's own unfinished turn). Claude 4.6 and later refuse one ("This
/// model does not support assistant message prefill"); so does any model
/// not known to take it.
pub fn takes_prefill(model: &str) -> bool {
    const TAKE: &[&str] = &[
        "claude-3",
        "claude-opus-4-0",
        "claude-opus-4-1",
        "claude-opus-4-2025",
        "claude-opus-4-5",
        "claude-sonnet-4-0",
        "claude-sonnet-4-2025",
        "claude-sonnet-4-5",
        "claude-haiku-4-5",
    ];
    model == "claude-opus-4"
        || model == "claude-sonnet-4"
        || TAKE.iter().any(|prefix| model.starts_with(prefix))
}

/// Whether a reply that ended for `stop_reason` ended before its natural
/// end: the length limit, a refusal, a full context window, a pause.
pub fn cut_short(stop_reason: &str) -> bool {
    !matches!(stop_reason, "end_turn" | "stop_sequence" | "tool_use")
}

/// Input tokens written to or read from the prompt cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheUsage {
    /// `cache_creation_input_tokens`: billed at 1.25× the input price.
    #[serde(default)]
    pub written: u64,
    /// `cache_read_input_tokens`: billed at 0.1×.
    #[serde(default)]
    pub read: u64,
}

impl CacheUsage {
    pub fn is_empty(&self) -> bool {
        self.written == 0 && self.read == 0
    }
}

/// How hard to try. The defaults are the official SDKs': 2 retries, 0.5 s
/// doubling to 8 s, with jitter; `retry-after(-ms)` honoured up to 60 s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub initial: Duration,
    pub max: Duration,
    /// How long to wait for the reply to start (its headers, and then its
    /// `message_start`). Streaming replies start within seconds; a server
    /// silent for longer is hung, and saying so soon beats minutes of
    /// "waiting" (the panel says it is still waiting from 15 s on).
    pub response_timeout: Duration,
    /// How long the stream may go quiet (the API pings in between).
    pub idle_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial: Duration::from_millis(500),
            max: Duration::from_secs(8),
            response_timeout: Duration::from_secs(45),
            idle_timeout: Duration::from_secs(90),
        }
    }
}

impl RetryPolicy {
    /// How long a request of `bytes` may wait for its reply to begin: the
    /// response timeout, and a second more for every 10 KB above 100 KB
    /// (a long note takes longer to send and to read), at most 2 minutes.
    pub fn first_byte_limit(&self, bytes: usize) -> Duration {
        let extra = Duration::from_secs((bytes.saturating_sub(100_000) / 10_000) as u64);
        (self.response_timeout + extra).min(Duration::from_secs(120).max(self.response_timeout))
    }

    /// Whether a failed attempt is worth another: connection errors,
    /// timeouts, 408, 409, 429 and 5xx, unless `x-should-retry` says.
    pub fn should_retry(error: &ApiError) -> bool {
        if let Some(verdict) = error.should_retry {
            return verdict;
        }
        match error.kind {
            ErrorKind::Connection | ErrorKind::TimedOut => true,
            _ => matches!(error.status, Some(408 | 409 | 429 | 500..=599)),
        }
    }

    /// The wait before retry number `attempt` (1-based).
    pub fn delay(&self, attempt: u32, error: &ApiError) -> Duration {
        if let Some(after) = error.retry_after {
            return after;
        }
        let base = self
            .initial
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let base = base.min(self.max);
        // Jitter: up to a quarter less, so clients do not retry in step.
        base.mul_f64(1.0 - 0.25 * rand::random::<f64>())
    }
}

enum State {
    Connect {
        attempt: u32,
    },
    Wait {
        attempt: u32,
        wait: Duration,
    },
    Streaming {
        events: BoxStream<'static, Result<eventsource_stream::Event, String>>,
        stop_reason: Option<String>,
        /// `message_start` came: the reply has begun.
        started: bool,
        /// Some text came: a break now loses part of a reply, not all.
        text: bool,
    },
    Done,
}

struct Context {
    client: Client,
    key: ApiKey,
    body: String,
    policy: RetryPolicy,
    request_id: Option<String>,
}

/// Streams the reply to `request`.
pub fn stream(
    client: Client,
    key: ApiKey,
    request: Request,
    policy: RetryPolicy,
) -> impl Stream<Item = Event> {
    let body = body(&request, true).to_string();
    let context = Context {
        client,
        key,
        body,
        policy,
        request_id: None,
    };
    futures::stream::unfold(
        (State::Connect { attempt: 0 }, context),
        |(state, mut context)| async move {
            let (event, next) = step(state, &mut context).await?;
            let event = match event {
                Event::Failed(error) => Event::Failed(error.without_key(&context.key)),
                Event::Retrying {
                    attempt,
                    wait,
                    error,
                } => Event::Retrying {
                    attempt,
                    wait,
                    error: error.without_key(&context.key),
                },
                other => other,
            };
            Some((event, (next, context)))
        },
    )
}

async fn step(state: State, context: &mut Context) -> Option<(Event, State)> {
    match state {
        State::Done => None,
        State::Wait { attempt, wait } => {
            tokio::time::sleep(wait).await;
            Box::pin(step(State::Connect { attempt }, context)).await
        }
        State::Connect { attempt } => match connect(context).await {
            Ok(events) => {
                Box::pin(step(
                    State::Streaming {
                        events,
                        stop_reason: None,
                        started: false,
                        text: false,
                    },
                    context,
                ))
                .await
            }
            Err(error)
                if attempt < context.policy.max_retries && RetryPolicy::should_retry(&error) =>
            {
                let attempt = attempt + 1;
                let wait = context.policy.delay(attempt, &error);
                Some((
                    Event::Retrying {
                        attempt,
                        wait,
                        error,
                    },
                    State::Wait { attempt, wait },
                ))
            }
            Err(error) => Some((Event::Failed(error), State::Done)),
        },
        State::Streaming {
            mut events,
            mut stop_reason,
            mut started,
            mut text,
        } => loop {
            // Until the reply has begun, a quiet server is a hung one.
            let quiet = if started {
                context.policy.idle_timeout
            } else {
                context.policy.first_byte_limit(context.body.len())
            };
            let next = match tokio::time::timeout(quiet, events.next()).await {
                Ok(next) => next,
                Err(_) if !started => {
                    let mut error = ApiError::not_answering(quiet);
                    error.request_id = context.request_id.clone();
                    return Some((Event::Failed(error), State::Done));
                }
                Err(_) => {
                    let error = broke_off(
                        format!("the stream went quiet for {} seconds", quiet.as_secs()),
                        text,
                        context,
                    );
                    return Some((Event::Failed(error), State::Done));
                }
            };
            let event = match next {
                None => {
                    let error = broke_off(
                        "the connection closed before the reply was complete".into(),
                        text,
                        context,
                    );
                    return Some((Event::Failed(error), State::Done));
                }
                Some(Err(message)) => {
                    return Some((
                        Event::Failed(broke_off(message, text, context)),
                        State::Done,
                    ));
                }
                Some(Ok(event)) => event,
            };
            let data: serde_json::Value = match serde_json::from_str(&event.data) {
                Ok(data) => data,
                // A ping may come without data; anything else that is not
                // JSON lost a piece of the reply: incomplete, as if cut off.
                Err(_) if event.event == "ping" || event.data.trim().is_empty() => {
                    serde_json::Value::Null
                }
                Err(_) => {
                    let error = broke_off(
                        format!(
                            "a piece of the reply arrived damaged ({} event that is not JSON)",
                            event.event
                        ),
                        text,
                        context,
                    );
                    return Some((Event::Failed(error), State::Done));
                }
            };
            let emitted = match event.event.as_str() {
                "message_start" => Some(Event::Started {
                    request_id: context.request_id.clone(),
                    model: data["message"]["model"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    input_tokens: data["message"]["usage"]["input_tokens"]
                        .as_u64()
                        .unwrap_or(0),
                    cache: CacheUsage {
                        written: data["message"]["usage"]["cache_creation_input_tokens"]
                            .as_u64()
                            .unwrap_or(0),
                        read: data["message"]["usage"]["cache_read_input_tokens"]
                            .as_u64()
                            .unwrap_or(0),
                    },
                }),
                "content_block_delta" if data["delta"]["type"] == "text_delta" => {
                    data["delta"]["text"]
                        .as_str()
                        .map(|text| Event::Delta(text.to_owned()))
                }
                "message_delta" => {
                    if let Some(reason) = data["delta"]["stop_reason"].as_str() {
                        stop_reason = Some(reason.to_owned());
                    }
                    data["usage"]["output_tokens"]
                        .as_u64()
                        .map(|output_tokens| Event::Usage { output_tokens })
                }
                "message_stop" => {
                    return Some((Event::Finished { stop_reason }, State::Done));
                }
                "error" => {
                    let mut error = ApiError::from_parts(200, &Default::default(), &event.data);
                    error.request_id = error.request_id.or_else(|| context.request_id.clone());
                    return Some((Event::Failed(error), State::Done));
                }
                // ping, block start/stop, and block or delta types this
                // app does not show (thinking, tool use, …): skipped.
                _ => None,
            };
            // Any event but a ping shows the reply has begun.
            started |= event.event != "ping";
            text |= matches!(emitted, Some(Event::Delta(_)));
            if let Some(emitted) = emitted {
                return Some((
                    emitted,
                    State::Streaming {
                        events,
                        stop_reason,
                        started,
                        text,
                    },
                ));
            }
        },
    }
}

/// The stream ended wrongly: a reply broken off when some of it came, or,
/// when none did, an answer that was not one (the panel must not say
/// "what arrived is kept" of nothing).
fn broke_off(message: String, text: bool, context: &Context) -> ApiError {
    if !text {
        return ApiError::unexpected(
            format!("{message}, before any of the reply"),
            context.request_id.clone(),
        );
    }
    ApiError {
        kind: ErrorKind::Interrupted,
        status: Some(200),
        message,
        request_id: context.request_id.clone(),
        retry_after: None,
        should_retry: None,
    }
}

async fn connect(
    context: &mut Context,
) -> Result<BoxStream<'static, Result<eventsource_stream::Event, String>>, ApiError> {
    let request = context
        .client
        .authorized(
            context
                .client
                .http()?
                .post(context.client.base.join("/v1/messages")),
            &context.key,
        )
        .header("content-type", "application/json")
        .header("accept", "text/event-stream")
        .body(context.body.clone());
    let limit = context.policy.first_byte_limit(context.body.len());
    let response = match tokio::time::timeout(limit, request.send()).await {
        Ok(result) => result.map_err(ApiError::from_transport)?,
        Err(_) => return Err(ApiError::not_answering(limit)),
    };
    context.request_id = error::request_id(response.headers());
    if !response.status().is_success() {
        return Err(ApiError::from_response(response).await);
    }
    Ok(response
        .bytes_stream()
        .eventsource()
        .map(|event| event.map_err(|error| error.to_string()))
        .boxed())
}
