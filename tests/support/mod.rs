//! A fake Anthropic API on 127.0.0.1 that speaks the documented wire format:
//! `GET /v1/models`, `POST /v1/messages` (JSON and SSE), JSON errors with
//! `request-id`, `retry-after` and `x-should-retry` headers, and on demand
//! hangs and connections dropped mid-answer. BrainDump's own client is never
//! stubbed: it talks real HTTP to this.
//!
//! It also answers `POST /v1/messages/count_tokens` (the message body
//! without `max_tokens`, as documented; a token is about four characters
//! here), lists each model's `max_input_tokens` and `max_tokens`, stops a
//! reply at its `max_tokens` with `stop_reason: "max_tokens"` (and goes on
//! from an assistant prefill), and keeps a prompt cache: a prefix up to a
//! `cache_control` block of at least 1,024 tokens is written on first use
//! and read after, reported as `cache_creation_input_tokens` and
//! `cache_read_input_tokens`.
//!
//! The key may come as `x-api-key` or as `Authorization: Bearer` (what the
//! official SDKs send from 2.0 on). Replies can be scripted per path; an
//! unscripted request gets the default, realistic answer.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

pub const MODELS: &[(&str, &str)] = &[
    ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
    ("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
    ("claude-opus-4-1-20250805", "Claude Opus 4.1"),
];

/// `max_input_tokens` and `max_tokens` of each of [`MODELS`].
pub fn limits(model: &str) -> (u64, u32) {
    if model.contains("opus-4-1") {
        (200_000, 32_000)
    } else {
        (200_000, 64_000)
    }
}

/// The smallest prefix the fake caches (Sonnet's and Opus's minimum).
pub const CACHE_MINIMUM: u64 = 1024;

/// Tokens of a text, as the fake counts them: about four characters each.
pub fn tokens_of(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// The text of a `content` or `system` field: a string, or text blocks.
pub fn text_of_content(content: &serde_json::Value) -> String {
    match content {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(blocks) => blocks
            .iter()
            .filter_map(|block| block["text"].as_str())
            .collect(),
        _ => String::new(),
    }
}

/// The pieces of a request's prompt in order (system blocks, then each
/// message), each with its tokens and whether it carries `cache_control`.
fn prompt_pieces(request: &serde_json::Value) -> Vec<(String, u64, bool)> {
    let mut pieces = Vec::new();
    let mut push = |role: &str, content: &serde_json::Value| match content {
        serde_json::Value::Array(blocks) => {
            for block in blocks {
                let text = block["text"].as_str().unwrap_or_default();
                pieces.push((
                    format!("{role}:{text}"),
                    tokens_of(text),
                    block.get("cache_control").is_some(),
                ));
            }
        }
        other => {
            let text = text_of_content(other);
            pieces.push((format!("{role}:{text}"), tokens_of(&text), false));
        }
    };
    push("system", &request["system"]);
    if let Some(messages) = request["messages"].as_array() {
        for message in messages {
            push(
                message["role"].as_str().unwrap_or_default(),
                &message["content"],
            );
        }
    }
    pieces
}

/// Input tokens of a request: its pieces, and 3 for each message.
pub fn input_tokens(request: &serde_json::Value) -> u64 {
    let messages = request["messages"].as_array().map_or(0, Vec::len) as u64;
    prompt_pieces(request)
        .iter()
        .map(|piece| piece.1)
        .sum::<u64>()
        + 3 * messages
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A documented API error: status, `error.type`, message; with headers.
    Error {
        status: u16,
        kind: &'static str,
        message: String,
        headers: Vec<(&'static str, String)>,
    },
    /// Any status, content type and body (for answers the API never gives).
    Raw {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// A redirect (301, 302, 307, 308) to `location`.
    Redirect { status: u16, location: String },
    /// Accept the request and never answer.
    Hang,
    /// Send `200` and the first `events`, then drop the connection.
    StreamThenDrop(Vec<Event>),
    /// Send `200` and `events`, then nothing more, keeping the
    /// connection open (a gateway that hangs mid-answer).
    StreamThenHang(Vec<Event>),
    /// A whole SSE stream of these events.
    Stream(Vec<Event>),
    /// The default answer for the path, once.
    Default,
}

impl Reply {
    pub fn error(status: u16, kind: &'static str, message: &str) -> Self {
        Self::Error {
            status,
            kind,
            message: message.to_owned(),
            headers: Vec::new(),
        }
    }

    pub fn with_header(self, name: &'static str, value: &str) -> Self {
        match self {
            Self::Error {
                status,
                kind,
                message,
                mut headers,
            } => {
                headers.push((name, value.to_owned()));
                Self::Error {
                    status,
                    kind,
                    message,
                    headers,
                }
            }
            other => other,
        }
    }
}

/// One server-sent event: its `event:` name and JSON `data:`.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: serde_json::Value,
    /// Sent as the `data:` line instead of `data`, for damaged events.
    pub raw: Option<String>,
}

impl Event {
    pub fn new(name: &str, data: serde_json::Value) -> Self {
        Self {
            name: name.to_owned(),
            data,
            raw: None,
        }
    }

    /// An event whose data is `text` as it stands (not JSON, say).
    pub fn raw(name: &str, text: &str) -> Self {
        Self {
            name: name.to_owned(),
            data: serde_json::Value::Null,
            raw: Some(text.to_owned()),
        }
    }
}

/// The events of a complete streamed message whose text arrives in
/// `chunks`, as the API sends them (with a ping).
pub fn message_events(chunks: &[&str], model: &str) -> Vec<Event> {
    use serde_json::json;
    let mut events = vec![
        Event::new(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_fake", "type": "message", "role": "assistant", "content": [], "model": model, "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}),
        ),
        Event::new(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        Event::new("ping", json!({"type": "ping"})),
    ];
    for chunk in chunks {
        events.push(Event::new(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": chunk}}),
        ));
    }
    events.push(Event::new(
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    events.push(Event::new(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": chunks.len().max(1)}}),
    ));
    events.push(Event::new("message_stop", json!({"type": "message_stop"})));
    events
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

#[derive(Default)]
struct Inner {
    keys: HashSet<String>,
    scripts: HashMap<String, VecDeque<Reply>>,
    requests: Vec<Recorded>,
    next_id: u64,
    /// Hanging requests whose client went away (the connection closed and
    /// the server dropped the request's handler).
    hangs_abandoned: usize,
    /// Prompt prefixes written to the cache (model and text).
    cache: HashSet<String>,
}

/// Counts a hanging request as abandoned when its handler is dropped.
struct Abandoned(Shared);

impl Drop for Abandoned {
    fn drop(&mut self) {
        self.0.0.lock().unwrap().hangs_abandoned += 1;
    }
}

#[derive(Clone)]
struct Shared(Arc<Mutex<Inner>>);

pub struct FakeAnthropic {
    pub addr: SocketAddr,
    shared: Shared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeAnthropic {
    /// Starts the server on a port of its own, on a thread of its own (so
    /// it serves sync and async tests alike).
    pub fn start() -> Self {
        Self::start_on("127.0.0.1")
    }

    /// [`Self::start`] on another loopback address (e.g. `127.0.0.2`).
    pub fn start_on(host: &'static str) -> Self {
        let shared = Shared(Arc::new(Mutex::new(Inner::default())));
        let (addr_sender, addr_receiver) = std::sync::mpsc::channel();
        let (shutdown, shutdown_receiver) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind((host, 0))
                    .await
                    .expect("bind");
                addr_sender.send(listener.local_addr().unwrap()).unwrap();
                let app = axum::Router::new().fallback(handle).with_state(state);
                // Not a graceful shutdown: a hanging request would hold it.
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = shutdown_receiver => {}
                }
            });
            // Hanging requests must not keep the test waiting.
            runtime.shutdown_timeout(Duration::from_millis(100));
        });
        let addr = addr_receiver.recv().expect("the fake server started");
        Self {
            addr,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Was this key ever sent here, in any header?
    pub fn saw_key(&self, key: &str) -> bool {
        self.requests()
            .iter()
            .any(|request| request.headers.values().any(|value| value.contains(key)))
    }

    /// Keys that authenticate.
    pub fn accept_key(&self, key: &str) {
        self.shared.0.lock().unwrap().keys.insert(key.to_owned());
    }

    /// Queues replies for a path (e.g. `/v1/models`), used in order, one
    /// per request; then the default answer again.
    pub fn script(&self, path: &str, replies: impl IntoIterator<Item = Reply>) {
        self.shared
            .0
            .lock()
            .unwrap()
            .scripts
            .entry(path.to_owned())
            .or_default()
            .extend(replies);
    }

    /// How many hanging requests the client gave up on, closing the
    /// connection (the server notices and drops them).
    pub fn hangs_abandoned(&self) -> usize {
        self.shared.0.lock().unwrap().hangs_abandoned
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.0.lock().unwrap().requests.clone()
    }
}

impl Drop for FakeAnthropic {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn error_body(kind: &str, message: &str, request_id: &str) -> String {
    serde_json::json!({
        "type": "error",
        "error": {"type": kind, "message": message},
        "request_id": request_id,
    })
    .to_string()
}

fn json_response(status: u16, request_id: &str, body: String) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("request-id", request_id)
        .body(Body::from(body))
        .unwrap()
}

fn sse_bytes(event: &Event) -> Bytes {
    match &event.raw {
        Some(raw) => Bytes::from(format!("event: {}\ndata: {raw}\n\n", event.name)),
        None => Bytes::from(format!("event: {}\ndata: {}\n\n", event.name, event.data)),
    }
}

/// How an SSE answer ends.
#[derive(Clone, Copy, PartialEq)]
enum End {
    Whole,
    Drop,
    Hang,
}

fn sse_response(request_id: &str, events: Vec<Event>, end: End) -> Response {
    use futures::StreamExt;

    let chunks: Vec<Result<Bytes, std::io::Error>> =
        events.iter().map(|event| Ok(sse_bytes(event))).collect();
    let body = futures::stream::iter(chunks);
    let body = if end == End::Hang {
        body.chain(futures::stream::once(async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(Bytes::new())
        }))
        .boxed()
    } else if end == End::Drop {
        // Let what was sent reach the client, then break the connection.
        body.chain(futures::stream::once(async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "dropped by the fake server",
            ))
        }))
        .boxed()
    } else {
        body.boxed()
    };
    Response::builder()
        .status(200)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .header("request-id", request_id)
        .body(Body::from_stream(body))
        .unwrap()
}

async fn handle(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let (request_id, scripted, authorized) = {
        let mut inner = shared.0.lock().unwrap();
        inner.next_id += 1;
        let request_id = format!("req_fake{:04}", inner.next_id);
        inner.requests.push(Recorded {
            method: method.to_string(),
            path: path.clone(),
            headers: headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        value.to_str().unwrap_or("").to_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let key = headers
            .get("x-api-key")
            .and_then(|value| value.to_str().ok())
            .or_else(|| {
                headers
                    .get("authorization")
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.strip_prefix("Bearer "))
            });
        let authorized = key.is_some_and(|key| inner.keys.contains(key));
        let scripted = inner.scripts.get_mut(&path).and_then(VecDeque::pop_front);
        (request_id, scripted, authorized)
    };

    match scripted {
        Some(Reply::Error {
            status,
            kind,
            message,
            headers,
        }) => {
            let mut response =
                json_response(status, &request_id, error_body(kind, &message, &request_id));
            for (name, value) in headers {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            return response;
        }
        Some(Reply::Raw {
            status,
            content_type,
            body,
        }) => {
            return Response::builder()
                .status(status)
                .header("content-type", content_type)
                .header("request-id", &request_id)
                .body(Body::from(body))
                .unwrap();
        }
        Some(Reply::Redirect { status, location }) => {
            return Response::builder()
                .status(status)
                .header("location", location)
                .header("request-id", &request_id)
                .body(Body::empty())
                .unwrap();
        }
        Some(Reply::Hang) => {
            let _abandoned = Abandoned(shared.clone());
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return StatusCode::GATEWAY_TIMEOUT.into_response();
        }
        Some(Reply::Stream(events)) => return sse_response(&request_id, events, End::Whole),
        Some(Reply::StreamThenDrop(events)) => {
            return sse_response(&request_id, events, End::Drop);
        }
        Some(Reply::StreamThenHang(events)) => {
            return sse_response(&request_id, events, End::Hang);
        }
        Some(Reply::Default) | None => {}
    }

    if !headers.contains_key("anthropic-version") {
        return json_response(
            400,
            &request_id,
            error_body(
                "invalid_request_error",
                "anthropic-version: header is required",
                &request_id,
            ),
        );
    }
    if !authorized {
        return json_response(
            401,
            &request_id,
            error_body("authentication_error", "invalid x-api-key", &request_id),
        );
    }
    match (method.as_str(), path.as_str()) {
        ("GET", "/v1/models") => {
            let data: Vec<_> = MODELS
                .iter()
                .map(|(id, name)| {
                    let (max_input_tokens, max_tokens) = limits(id);
                    serde_json::json!({"type": "model", "id": id, "display_name": name, "created_at": "2025-09-29T00:00:00Z", "max_input_tokens": max_input_tokens, "max_tokens": max_tokens})
                })
                .collect();
            let body = serde_json::json!({
                "data": data,
                "has_more": false,
                "first_id": MODELS[0].0,
                "last_id": MODELS[MODELS.len() - 1].0,
            });
            json_response(200, &request_id, body.to_string())
        }
        ("POST", "/v1/messages") => messages(&shared, &request_id, &body),
        ("POST", "/v1/messages/count_tokens") => count_tokens(&request_id, &body),
        _ => json_response(
            404,
            &request_id,
            error_body(
                "not_found_error",
                &format!("{method} {path} not found"),
                &request_id,
            ),
        ),
    }
}

/// `count_tokens`: the message body without `max_tokens` or `stream`
/// (the API refuses fields it does not take).
fn count_tokens(request_id: &str, body: &[u8]) -> Response {
    let invalid = |message: &str| {
        json_response(
            400,
            request_id,
            error_body("invalid_request_error", message, request_id),
        )
    };
    let Ok(request) = serde_json::from_slice::<serde_json::Value>(body) else {
        return invalid("the body is not valid JSON");
    };
    for extra in ["max_tokens", "stream"] {
        if request.get(extra).is_some() {
            return invalid(&format!("{extra}: Extra inputs are not permitted"));
        }
    }
    if request["model"].as_str().is_none_or(str::is_empty) || !request["messages"].is_array() {
        return invalid("model and messages are required");
    }
    let body = serde_json::json!({"input_tokens": input_tokens(&request)});
    json_response(200, request_id, body.to_string())
}

/// The default answer to a message: echo the last user message back
/// ("You wrote: …"), a word a token, cut at `max_tokens`; after an
/// assistant prefill, the rest of that answer.
fn messages(shared: &Shared, request_id: &str, body: &[u8]) -> Response {
    let Ok(request) = serde_json::from_slice::<serde_json::Value>(body) else {
        return json_response(
            400,
            request_id,
            error_body(
                "invalid_request_error",
                "the body is not valid JSON",
                request_id,
            ),
        );
    };
    let model = request["model"].as_str().unwrap_or_default().to_owned();
    if model.is_empty()
        || request["max_tokens"].as_u64().is_none()
        || !request["messages"].is_array()
    {
        return json_response(
            400,
            request_id,
            error_body(
                "invalid_request_error",
                "model, max_tokens and messages are required",
                request_id,
            ),
        );
    }
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let prefill = messages
        .last()
        .filter(|message| message["role"] == "assistant")
        .map(|message| text_of_content(&message["content"]));
    if prefill.is_some() && (model.contains("-4-6") || model.contains("-4-7")) {
        return json_response(
            400,
            request_id,
            error_body(
                "invalid_request_error",
                "This model does not support assistant message prefill. The conversation must end with a user message.",
                request_id,
            ),
        );
    }
    if prefill
        .as_ref()
        .is_some_and(|prefill| prefill.ends_with(char::is_whitespace))
    {
        return json_response(
            400,
            request_id,
            error_body(
                "invalid_request_error",
                "final assistant content cannot end with trailing whitespace",
                request_id,
            ),
        );
    }
    // Asked to continue in words: the answer before it is the prefill.
    let continued = messages.last().is_some_and(|message| {
        text_of_content(&message["content"]) == braindump::claude::stream::CONTINUE_INSTRUCTION
    });
    let prefill = if continued {
        messages
            .iter()
            .rev()
            .nth(1)
            .filter(|message| message["role"] == "assistant")
            .map(|message| text_of_content(&message["content"]))
    } else {
        prefill
    };
    let last_user = messages
        .iter()
        .rev()
        .filter(|message| message["role"] == "user")
        .map(|message| text_of_content(&message["content"]))
        .find(|text| text != braindump::claude::stream::CONTINUE_INSTRUCTION)
        .unwrap_or_default();
    let whole = format!("You wrote: {last_user}");
    let reply = match &prefill {
        Some(prefill) => whole
            .strip_prefix(prefill.as_str())
            .unwrap_or("")
            .to_owned(),
        None => whole,
    };
    let max_tokens = request["max_tokens"].as_u64().unwrap_or(0) as usize;
    let words: Vec<String> = reply.split_inclusive(' ').map(str::to_owned).collect();
    let cut = words.len() > max_tokens;
    let words = &words[..words.len().min(max_tokens)];
    let stop_reason = if cut { "max_tokens" } else { "end_turn" };
    let usage = cache_usage(shared, &model, &request);
    if request["stream"].as_bool() == Some(true) {
        let chunks: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut events = message_events(&chunks, &model);
        events[0].data["message"]["usage"] = usage;
        let delta = events.len() - 2;
        events[delta].data["delta"]["stop_reason"] = serde_json::json!(stop_reason);
        sse_response(request_id, events, End::Whole)
    } else {
        let mut usage = usage;
        usage["output_tokens"] = serde_json::json!(words.len());
        let body = serde_json::json!({
            "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": words.concat()}],
            "stop_reason": stop_reason, "stop_sequence": null,
            "usage": usage,
        });
        json_response(200, request_id, body.to_string())
    }
}

/// The usage of a request, with the prompt cache, as documented: the
/// longest cached prefix that ends at or before the last `cache_control`
/// block is read (Anthropic looks back from each mark for earlier hits);
/// each marked prefix of at least [`CACHE_MINIMUM`] tokens is written.
fn cache_usage(shared: &Shared, model: &str, request: &serde_json::Value) -> serde_json::Value {
    let pieces = prompt_pieces(request);
    let total = input_tokens(request);
    let mut inner = shared.0.lock().unwrap();
    let mut prefixes = Vec::new();
    let (mut prefix, mut tokens) = (model.to_owned(), 0u64);
    for (text, piece_tokens, marked) in &pieces {
        prefix.push('\u{1f}');
        prefix.push_str(text);
        tokens += piece_tokens;
        prefixes.push((prefix.clone(), tokens, *marked));
    }
    let last_mark = prefixes.iter().rposition(|(_, _, marked)| *marked);
    let Some(last_mark) = last_mark else {
        return serde_json::json!({"input_tokens": total, "output_tokens": 1});
    };
    let read = prefixes[..=last_mark]
        .iter()
        .filter(|(prefix, ..)| inner.cache.contains(prefix))
        .map(|(_, tokens, _)| *tokens)
        .max()
        .unwrap_or(0);
    let mut written_to = read;
    for (prefix, tokens, marked) in &prefixes[..=last_mark] {
        if *marked && *tokens >= CACHE_MINIMUM && *tokens > read {
            inner.cache.insert(prefix.clone());
            written_to = written_to.max(*tokens);
        }
    }
    let written = written_to - read;
    serde_json::json!({
        "input_tokens": total - read - written,
        "cache_creation_input_tokens": written,
        "cache_read_input_tokens": read,
        "output_tokens": 1,
    })
}

/// A local port with nothing listening on it: connections are refused.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
