//! Streaming replies from the fake Anthropic server over real HTTP: whole
//! streams, skipped block types, errors mid-stream, cut-off streams,
//! retries (429 with retry-after, 529 twice), errors that are not retried,
//! a hang, and a 20,000-token reply.

mod support;

use std::time::{Duration, Instant};

use braindump::claude::stream::{self, Event, Request, RetryPolicy, Role, Turn};
use braindump::claude::{BaseUrl, Client, ErrorKind};
use braindump::key::ApiKey;
use futures::StreamExt;
use serde_json::json;
use support::{FakeAnthropic, Reply, message_events};

const KEY: &str =
    "sk-ant-api03-stream-test-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY-AA";
const MODEL: &str = "claude-sonnet-4-5-20250929";

fn server() -> FakeAnthropic {
    let server = FakeAnthropic::start();
    server.accept_key(KEY);
    server
}

fn request(text: &str) -> Request {
    Request {
        model: MODEL.into(),
        max_tokens: 1024,
        system: "Reflect.".into(),
        messages: vec![Turn {
            role: Role::User,
            content: text.into(),
        }],
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy {
        initial: Duration::from_millis(20),
        max: Duration::from_millis(100),
        ..RetryPolicy::default()
    }
}

async fn collect(server: &FakeAnthropic, policy: RetryPolicy) -> Vec<Event> {
    let client = Client::new(BaseUrl::parse(&server.url()).unwrap());
    stream::stream(client, ApiKey::new(KEY), request("I feel stuck"), policy)
        .collect()
        .await
}

fn text_of(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Delta(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_full_stream_arrives_with_usage_and_the_documented_request() {
    let server = server();
    let events = collect(&server, fast()).await;
    assert_eq!(text_of(&events), "You wrote: I feel stuck");
    assert!(
        matches!(&events[0], Event::Started { request_id: Some(id), model, input_tokens, cache } if id.starts_with("req_") && model == MODEL && *input_tokens > 0 && cache.is_empty()),
        "{:?}",
        events[0]
    );
    assert!(
        events
            .iter()
            .any(|event| matches!(event, Event::Usage { output_tokens } if *output_tokens > 0))
    );
    assert_eq!(
        events.last(),
        Some(&Event::Finished {
            stop_reason: Some("end_turn".into())
        })
    );

    let sent = &server.requests()[0];
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v1/messages")
    );
    assert_eq!(sent.headers["x-api-key"], KEY);
    assert_eq!(sent.headers["anthropic-version"], "2023-06-01");
    assert_eq!(sent.headers["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_str(&sent.body).unwrap();
    assert_eq!(body["stream"], true);
    assert_eq!(body["model"], MODEL);
    // The system prompt and the note as blocks marked for the prompt
    // cache, so that follow-ups read them from it.
    let cached = json!({"type": "ephemeral"});
    assert_eq!(
        body["system"],
        json!([{"type": "text", "text": "Reflect.", "cache_control": cached}])
    );
    assert_eq!(
        body["messages"][0],
        json!({"role": "user", "content": [{"type": "text", "text": "I feel stuck", "cache_control": cached}]})
    );
    assert!(
        matches!(&events[0], Event::Started { input_tokens, .. } if *input_tokens == support::input_tokens(&body))
    );
}

#[tokio::test]
async fn pings_thinking_and_tool_blocks_are_skipped() {
    let server = server();
    let mut events = message_events(&["Hello", " there"], MODEL);
    let extra = [
        support::Event::new(
            "content_block_start",
            json!({"type": "content_block_start", "index": 1, "content_block": {"type": "thinking", "thinking": ""}}),
        ),
        support::Event::new(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "thinking_delta", "thinking": "hmm"}}),
        ),
        support::Event::new(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "signature_delta", "signature": "abc"}}),
        ),
        support::Event::new("ping", json!({"type": "ping"})),
        support::Event::new(
            "content_block_start",
            json!({"type": "content_block_start", "index": 2, "content_block": {"type": "tool_use", "id": "t", "name": "x", "input": {}}}),
        ),
        support::Event::new(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 2, "delta": {"type": "input_json_delta", "partial_json": "{}"}}),
        ),
        support::Event::new("some_future_event", json!({"type": "some_future_event"})),
    ];
    for (offset, event) in extra.into_iter().enumerate() {
        events.insert(2 + offset, event);
    }
    server.script("/v1/messages", [Reply::Stream(events)]);
    let events = collect(&server, fast()).await;
    assert_eq!(text_of(&events), "Hello there");
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
}

#[tokio::test]
async fn an_error_event_after_200_fails_with_its_type_and_keeps_the_text() {
    let server = server();
    let mut events = message_events(&["Partial"], MODEL);
    events.truncate(4);
    events.push(support::Event::new(
        "error",
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    ));
    server.script("/v1/messages", [Reply::Stream(events)]);
    let events = collect(&server, fast()).await;
    assert_eq!(text_of(&events), "Partial");
    let Some(Event::Failed(error)) = events.last() else {
        panic!("expected a failure, got {events:?}");
    };
    assert_eq!(error.kind, ErrorKind::Overloaded);
    assert!(
        error.request_id.is_some(),
        "the request-id of the response is kept"
    );
}

#[tokio::test]
async fn a_damaged_event_in_the_middle_marks_the_reply_incomplete() {
    let server = server();
    let mut events = message_events(&["First ", "lost ", "last"], MODEL);
    // The second text delta arrives cut in half.
    let position = events
        .iter()
        .position(|event| event.data["delta"]["text"] == "lost ")
        .unwrap();
    events[position] = support::Event::raw(
        "content_block_delta",
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_de"#,
    );
    server.script("/v1/messages", [Reply::Stream(events)]);
    let events = collect(&server, fast()).await;
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, Event::Finished { .. })),
        "not shown as complete: {events:?}"
    );
    let Some(Event::Failed(error)) = events.last() else {
        panic!("expected a failure, got {events:?}");
    };
    assert_eq!(error.kind, ErrorKind::Interrupted);
    assert_eq!(text_of(&events), "First ");
}

#[tokio::test]
async fn a_stream_cut_off_before_message_stop_is_incomplete() {
    let server = server();
    let mut events = message_events(&["Half ", "a thought"], MODEL);
    events.truncate(5);
    server.script(
        "/v1/messages",
        [Reply::StreamThenDrop(events.clone()), Reply::Stream(events)],
    );
    for _ in 0..2 {
        let events = collect(&server, fast()).await;
        assert_eq!(text_of(&events), "Half a thought");
        let Some(Event::Failed(error)) = events.last() else {
            panic!("expected a failure, got {events:?}");
        };
        assert_eq!(error.kind, ErrorKind::Interrupted);
    }
    assert_eq!(
        server.requests().len(),
        2,
        "a broken stream is not retried by itself"
    );
}

#[tokio::test]
async fn rate_limited_with_retry_after_then_success() {
    let server = server();
    server.script(
        "/v1/messages",
        [Reply::error(
            429,
            "rate_limit_error",
            "Number of requests has exceeded your rate limit",
        )
        .with_header("retry-after", "1")],
    );
    let started = Instant::now();
    let events = collect(&server, fast()).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retry-after was honoured"
    );
    let Event::Retrying {
        attempt: 1,
        wait,
        error,
    } = &events[0]
    else {
        panic!("expected a retry first, got {events:?}");
    };
    assert_eq!(*wait, Duration::from_secs(1));
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert_eq!(text_of(&events), "You wrote: I feel stuck");
}

#[tokio::test]
async fn overloaded_twice_then_success() {
    let server = server();
    server.script(
        "/v1/messages",
        [
            Reply::error(529, "overloaded_error", "Overloaded"),
            Reply::error(529, "overloaded_error", "Overloaded"),
        ],
    );
    let events = collect(&server, fast()).await;
    let retries: Vec<u32> = events
        .iter()
        .filter_map(|event| match event {
            Event::Retrying { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(retries, [1, 2]);
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn three_overloads_give_up_after_two_retries() {
    let server = server();
    server.script(
        "/v1/messages",
        (0..3).map(|_| Reply::error(529, "overloaded_error", "Overloaded")),
    );
    let events = collect(&server, fast()).await;
    assert!(
        matches!(events.last(), Some(Event::Failed(error)) if error.kind == ErrorKind::Overloaded)
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn x_should_retry_overrides_the_status() {
    let server = server();
    server.script(
        "/v1/messages",
        [Reply::error(500, "api_error", "Internal error").with_header("x-should-retry", "false")],
    );
    let events = collect(&server, fast()).await;
    assert_eq!(events.len(), 1);
    assert!(matches!(&events[0], Event::Failed(error) if error.kind == ErrorKind::Server));

    let server = self::server();
    server.script(
        "/v1/messages",
        [Reply::error(400, "invalid_request_error", "try again")
            .with_header("x-should-retry", "true")],
    );
    let events = collect(&server, fast()).await;
    assert!(matches!(&events[0], Event::Retrying { .. }));
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
}

#[tokio::test]
async fn a_rejected_key_is_not_retried() {
    let server = FakeAnthropic::start();
    let events = collect(&server, fast()).await;
    assert_eq!(events.len(), 1);
    let Event::Failed(error) = &events[0] else {
        panic!("expected a failure");
    };
    assert_eq!(error.kind, ErrorKind::Authentication);
    assert!(error.request_id.is_some());
}

#[tokio::test]
async fn a_low_credit_balance_is_its_own_error() {
    let server = server();
    server.script(
        "/v1/messages",
        [Reply::error(
            400,
            "invalid_request_error",
            "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
        )],
    );
    let events = collect(&server, fast()).await;
    assert!(matches!(&events[0], Event::Failed(error) if error.kind == ErrorKind::CreditTooLow));
}

#[tokio::test]
async fn a_hung_server_is_said_to_be_not_answering_soon_and_not_retried() {
    let server = server();
    server.script("/v1/messages", [Reply::Hang, Reply::Hang, Reply::Hang]);
    let policy = RetryPolicy {
        response_timeout: Duration::from_millis(300),
        ..fast()
    };
    let started = Instant::now();
    let events = collect(&server, policy).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    let Some(Event::Failed(error)) = events.last() else {
        panic!("expected a failure, got {events:?}");
    };
    assert_eq!(error.kind, ErrorKind::NotAnswering);
    let (headline, detail, _) = braindump::claude::advice(error);
    assert_eq!(headline, "Anthropic is not answering.");
    assert!(detail.contains("stopped waiting"), "{detail}");
    assert_eq!(
        server.requests().len(),
        1,
        "a hung server is not asked again and again (that was six minutes of waiting)"
    );
    let policy = RetryPolicy::default();
    assert!(
        policy.first_byte_limit(10_000) <= Duration::from_secs(45),
        "given up on well before minutes pass"
    );
    assert!(
        policy.first_byte_limit(2_000_000) <= Duration::from_secs(120),
        "a 2 MB note may take longer to send and read, not forever"
    );
    assert!(policy.first_byte_limit(2_000_000) > policy.first_byte_limit(10_000));
}

#[tokio::test]
async fn headers_then_silence_before_the_reply_begins_is_not_answering() {
    let server = server();
    server.script("/v1/messages", [Reply::StreamThenHang(Vec::new())]);
    let policy = RetryPolicy {
        response_timeout: Duration::from_millis(300),
        ..fast()
    };
    let started = Instant::now();
    let events = collect(&server, policy).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "not the 90 s idle wait"
    );
    assert!(
        matches!(events.last(), Some(Event::Failed(error)) if error.kind == ErrorKind::NotAnswering),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_stream_gone_quiet_after_the_start_waits_the_idle_time_not_the_start_time() {
    let server = server();
    let mut events = message_events(&["Half ", "a thought"], MODEL);
    events.truncate(4);
    server.script("/v1/messages", [Reply::StreamThenHang(events)]);
    let policy = RetryPolicy {
        response_timeout: Duration::from_millis(100),
        idle_timeout: Duration::from_millis(600),
        ..fast()
    };
    let started = Instant::now();
    let events = collect(&server, policy).await;
    assert!(started.elapsed() >= Duration::from_millis(600));
    let Some(Event::Failed(error)) = events.last() else {
        panic!("expected a failure, got {events:?}");
    };
    assert_eq!(
        error.kind,
        ErrorKind::Interrupted,
        "some text came: kept, incomplete"
    );
    assert_eq!(text_of(&events), "Half ");
}

#[tokio::test]
async fn a_damaged_answer_before_any_text_is_not_called_a_broken_off_reply() {
    let server = server();
    server.script(
        "/v1/messages",
        [Reply::Stream(vec![support::Event::raw(
            "message_start",
            "<html>Bad gateway</html>",
        )])],
    );
    let events = collect(&server, fast()).await;
    let Some(Event::Failed(error)) = events.last() else {
        panic!("expected a failure, got {events:?}");
    };
    assert_eq!(error.kind, ErrorKind::Unexpected, "{error:?}");
    let (headline, detail, _) = braindump::claude::advice(error);
    assert!(!headline.contains("broke off"), "{headline}");
    assert!(!detail.contains("What arrived is kept"), "{detail}");
    assert!(text_of(&events).is_empty());
}

#[tokio::test]
async fn a_504_has_its_own_words_and_is_retried() {
    let server = server();
    let timeout = || Reply::error(504, "timeout_error", "Request timed out");
    server.script("/v1/messages", [timeout(), timeout(), timeout()]);
    let events = collect(&server, fast()).await;
    let Some(Event::Failed(error)) = events.last() else {
        panic!("expected a failure, got {events:?}");
    };
    assert_eq!(error.kind, ErrorKind::GatewayTimeout);
    assert_eq!(server.requests().len(), 3, "retried twice, as the SDKs do");
    let (headline, detail, _) = braindump::claude::advice(error);
    assert_eq!(
        headline,
        "Anthropic timed out before the reply was done (504)."
    );
    assert!(detail.contains("shorter note"), "{detail}");
    let mut server_error = error.clone();
    server_error.kind = ErrorKind::Server;
    assert_ne!(braindump::claude::advice(&server_error).0, headline);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported_as_offline() {
    let client = Client::new(BaseUrl::parse(&support::refused_url()).unwrap());
    let events: Vec<_> = stream::stream(client, ApiKey::new(KEY), request("x"), fast())
        .collect()
        .await;
    assert_eq!(events.len(), 3);
    assert!(
        matches!(events.last(), Some(Event::Failed(error)) if error.kind == ErrorKind::Connection)
    );
}

#[tokio::test]
async fn a_20000_token_reply_streamed_at_full_speed_arrives_whole() {
    let server = server();
    let tokens: Vec<String> = (0..20_000).map(|i| format!("t{i} ")).collect();
    let chunks: Vec<&str> = tokens.iter().map(String::as_str).collect();
    server.script(
        "/v1/messages",
        [Reply::Stream(message_events(&chunks, MODEL))],
    );
    let events = collect(&server, fast()).await;
    let expected: String = tokens.concat();
    assert_eq!(text_of(&events), expected);
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
}

#[tokio::test]
async fn dropping_the_stream_cancels_the_request() {
    let server = server();
    server.script("/v1/messages", [Reply::Hang]);
    let client = Client::new(BaseUrl::parse(&server.url()).unwrap());
    let mut events = Box::pin(stream::stream(
        client,
        ApiKey::new(KEY),
        request("x"),
        RetryPolicy::default(),
    ));
    let next = tokio::time::timeout(Duration::from_millis(300), events.next()).await;
    assert!(next.is_err(), "still waiting on the hanging server");
    assert_eq!(server.hangs_abandoned(), 0);
    drop(events);
    // The connection is closed: the server sees the request abandoned.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.hangs_abandoned() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.hangs_abandoned(), 1, "the request was not dropped");
}

/// Any bytes in place of a well-formed event stream (damaged events,
/// events out of order or of the wrong shape, stray bytes, odd line
/// endings, a server echoing the key): the stream ends with exactly one
/// `Finished` or `Failed`, last, promptly; nothing panics; no event
/// carries the key's text.
mod any_bytes {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;

    static SERVER: LazyLock<FakeAnthropic> = LazyLock::new(server);

    /// One piece of a stream: a whole event, a line, or raw bytes.
    fn piece() -> impl Strategy<Value = Vec<u8>> {
        let name = prop_oneof![
            Just("message_start".to_owned()),
            Just("content_block_start".to_owned()),
            Just("content_block_delta".to_owned()),
            Just("message_delta".to_owned()),
            Just("message_stop".to_owned()),
            Just("error".to_owned()),
            Just("ping".to_owned()),
            "[a-z_]{0,12}",
        ];
        let text = prop_oneof![
            ".{0,20}",
            Just(KEY.to_owned()),
            Just(format!("invalid x-api-key: {KEY}")),
        ];
        let data = prop_oneof![
            text.clone().prop_map(|text| {
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}).to_string()
            }),
            text.clone().prop_map(|text| {
                json!({"type": "error", "error": {"type": "api_error", "message": text}}).to_string()
            }),
            Just(json!({"type": "message_start", "message": {"model": 5, "usage": {"input_tokens": "x"}}}).to_string()),
            Just(json!({"type": "message_delta", "delta": {"stop_reason": 7}, "usage": {"output_tokens": -1}}).to_string()),
            Just(json!({"delta": {"type": "text_delta", "text": null}}).to_string()),
            Just("[1, 2".to_owned()),
            text,
        ];
        let line_end = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
        prop_oneof![
            4 => (name, data, line_end.clone()).prop_map(|(name, data, end)| {
                format!("event: {name}{end}data: {data}{end}{end}").into_bytes()
            }),
            1 => (prop_oneof![Just(": comment"), Just("retry: 10"), Just("id: 7"), Just("data:"), Just("event:")], line_end)
                .prop_map(|(line, end)| format!("{line}{end}").into_bytes()),
            1 => proptest::collection::vec(any::<u8>(), 0..48),
            1 => Just(
                message_events(&["whole"], MODEL)
                    .iter()
                    .map(|event| format!("event: {}\ndata: {}\n\n", event.name, event.data))
                    .collect::<String>()
                    .into_bytes()
            ),
        ]
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn end_cleanly_and_never_show_the_key(body in body(), status in prop_oneof![Just(200u16), Just(400), Just(401), Just(500)]) {
            SERVER.script(
                "/v1/messages",
                [Reply::Raw { status, content_type: "text/event-stream", body }],
            );
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let policy = RetryPolicy {
                max_retries: 0,
                idle_timeout: Duration::from_secs(5),
                ..fast()
            };
            let events = runtime
                .block_on(async {
                    tokio::time::timeout(Duration::from_secs(30), collect(&SERVER, policy)).await
                })
                .expect("the stream ends");
            let last = events.last().expect("something is said");
            prop_assert!(
                matches!(last, Event::Finished { .. } | Event::Failed(_)),
                "ends with Finished or Failed: {last:?}"
            );
            let ends = events
                .iter()
                .filter(|event| matches!(event, Event::Finished { .. } | Event::Failed(_)))
                .count();
            prop_assert_eq!(ends, 1, "one end: {:?}", events);
            for event in &events {
                if let Event::Failed(error) | Event::Retrying { error, .. } = event {
                    prop_assert!(!error.message.contains(KEY), "the key in {error:?}");
                    let debug = format!("{error:?}");
                    prop_assert!(!debug.contains(KEY), "the key in {}", debug);
                }
            }
        }
    }
}

#[tokio::test]
async fn an_error_event_that_echoes_the_key_does_not_carry_it() {
    let server = server();
    let mut events = message_events(&["Half"], MODEL);
    events.truncate(4);
    events.push(support::Event::new(
        "error",
        json!({"type": "error", "error": {"type": "api_error", "message": format!("bad key {KEY}")}}),
    ));
    server.script("/v1/messages", [Reply::Stream(events)]);
    let events = collect(&server, fast()).await;
    let Some(Event::Failed(error)) = events.last() else {
        panic!("expected a failure: {events:?}");
    };
    assert_eq!(error.message, "bad key [your API key]");
}

fn client(server: &FakeAnthropic) -> Client {
    Client::new(BaseUrl::parse(&server.url()).unwrap())
}

#[tokio::test]
async fn count_tokens_sends_the_message_body_without_max_tokens() {
    let server = server();
    let request = request("I feel stuck about work, and I do not know why.");
    let count = client(&server)
        .count_tokens(&ApiKey::new(KEY), &request)
        .await
        .expect("counted (the fake refuses a body with max_tokens or stream)");
    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/v1/messages/count_tokens");
    assert_eq!(sent.headers["x-api-key"], KEY);
    let body: serde_json::Value = serde_json::from_str(&sent.body).unwrap();
    assert!(body.get("max_tokens").is_none() && body.get("stream").is_none());
    assert_eq!(body["messages"], stream::body(&request, true)["messages"]);
    assert_eq!(count, support::input_tokens(&body));

    // A count that cannot be had is an error the panel shows as nothing.
    server.script(
        "/v1/messages/count_tokens",
        [Reply::error(
            429,
            "rate_limit_error",
            "Number of requests has exceeded your rate limit",
        )],
    );
    let refused = client(&server)
        .count_tokens(&ApiKey::new(KEY), &request)
        .await;
    assert!(matches!(refused, Err(error) if error.kind == ErrorKind::RateLimited));
}

#[tokio::test]
async fn the_model_list_gives_each_models_limits() {
    let server = server();
    let models = client(&server)
        .models(&ApiKey::new(KEY), Duration::from_secs(5))
        .await
        .unwrap();
    let opus = models
        .iter()
        .find(|model| model.id.contains("opus"))
        .unwrap();
    assert_eq!(opus.max_tokens, Some(32_000));
    assert_eq!(opus.max_input_tokens, Some(200_000));
    assert_eq!(opus.name(), "Claude Opus 4.1");
}

async fn started_usage(
    server: &FakeAnthropic,
    request: Request,
) -> (u64, stream::CacheUsage, Vec<Event>) {
    let events: Vec<Event> = stream::stream(client(server), ApiKey::new(KEY), request, fast())
        .collect()
        .await;
    match &events[0] {
        Event::Started {
            input_tokens,
            cache,
            ..
        } => (*input_tokens, *cache, events.clone()),
        other => panic!("expected the start, got {other:?}"),
    }
}

#[tokio::test]
async fn a_follow_up_reads_the_note_from_the_prompt_cache() {
    let server = server();
    let note = "A long note about a long week. ".repeat(200);
    let first = Request {
        model: MODEL.into(),
        max_tokens: 4096,
        system: "Reflect.".into(),
        messages: vec![Turn {
            role: Role::User,
            content: note.clone(),
        }],
    };
    let (_, cache, events) = started_usage(&server, first.clone()).await;
    assert!(cache.written >= support::CACHE_MINIMUM, "{cache:?}");
    assert_eq!(cache.read, 0);
    let answer = text_of(&events);
    let mut follow_up = first;
    follow_up.messages.push(Turn {
        role: Role::Assistant,
        content: answer,
    });
    follow_up.messages.push(Turn {
        role: Role::User,
        content: "And what should I do first?".into(),
    });
    let (input, cache, _) = started_usage(&server, follow_up).await;
    assert!(
        cache.read >= support::CACHE_MINIMUM,
        "the note came from the cache: {cache:?}"
    );
    assert!(
        input < cache.read / 2,
        "only the new turns at full price: {input}"
    );
}

#[tokio::test]
async fn a_reply_cut_at_the_limit_says_so_and_a_prefill_gets_the_rest() {
    let server = server();
    let mut cut = request("one two three four five six");
    cut.max_tokens = 3;
    let events = collect_request(&server, cut.clone()).await;
    assert_eq!(
        events.last(),
        Some(&Event::Finished {
            stop_reason: Some("max_tokens".into())
        })
    );
    assert!(stream::cut_short("max_tokens") && !stream::cut_short("end_turn"));
    let first = text_of(&events);
    assert_eq!(first, "You wrote: one ");
    let mut more = cut;
    more.max_tokens = 100;
    more.messages.push(Turn {
        role: Role::Assistant,
        content: first.trim_end().into(),
    });
    let events = collect_request(&server, more).await;
    assert_eq!(text_of(&events), " two three four five six");
    assert_eq!(
        events.last(),
        Some(&Event::Finished {
            stop_reason: Some("end_turn".into())
        })
    );
}

async fn collect_request(server: &FakeAnthropic, request: Request) -> Vec<Event> {
    stream::stream(client(server), ApiKey::new(KEY), request, fast())
        .collect()
        .await
}
