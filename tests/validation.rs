//! Key validation against the fake Anthropic server over real HTTP: one test
//! per outcome onboarding must handle.

mod support;

use std::time::{Duration, Instant};

use braindump::claude::{self, BaseUrl, Client, ErrorKind, Validation};
use braindump::key::ApiKey;
use support::{FakeAnthropic, MODELS, Reply};

const KEY: &str = "sk-ant-api03-test-key-for-the-fake-server-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP-AA";

fn client(url: &str) -> Client {
    Client::new(BaseUrl::parse(url).unwrap())
}

async fn validate(server: &FakeAnthropic) -> Validation {
    claude::validate(client(&server.url()), ApiKey::new(KEY)).await
}

fn server() -> FakeAnthropic {
    let server = FakeAnthropic::start();
    server.accept_key(KEY);
    server
}

#[tokio::test]
async fn a_valid_key_lists_the_models_and_sends_the_documented_headers() {
    let server = server();
    let Validation::Valid(models) = validate(&server).await else {
        panic!("expected a valid key");
    };
    let ids: Vec<_> = models.iter().map(|model| model.id.as_str()).collect();
    let expected: Vec<_> = MODELS.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, expected);
    assert_eq!(models[0].display_name, "Claude Sonnet 4.5");

    let request = &server.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/v1/models")
    );
    assert_eq!(request.headers["x-api-key"], KEY);
    assert_eq!(request.headers["anthropic-version"], "2023-06-01");
}

#[tokio::test]
async fn a_rejected_key_is_401_with_the_request_id() {
    let server = FakeAnthropic::start();
    let Validation::Rejected(error) = validate(&server).await else {
        panic!("expected a rejection");
    };
    assert_eq!(error.status, Some(401));
    assert_eq!(error.message, "invalid x-api-key");
    assert_eq!(error.request_id.as_deref(), Some("req_fake0001"));
    assert!(error.request_suffix().contains("req_fake0001"));
}

#[tokio::test]
async fn no_permission_is_403() {
    let server = server();
    server.script(
        "/v1/models",
        [Reply::error(
            403,
            "permission_error",
            "Your API key does not have permission",
        )],
    );
    assert!(
        matches!(validate(&server).await, Validation::NoPermission(error) if error.status == Some(403))
    );
}

#[tokio::test]
async fn rate_limited_means_valid_and_keeps_retry_after() {
    let server = server();
    server.script(
        "/v1/models",
        [Reply::error(
            429,
            "rate_limit_error",
            "Number of requests has exceeded your rate limit",
        )
        .with_header("retry-after", "7")],
    );
    let Validation::RateLimited(error) = validate(&server).await else {
        panic!("expected rate limited");
    };
    assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn server_errors_and_overload_are_anthropic_trouble_not_the_key() {
    for (status, kind) in [
        (500, "api_error"),
        (529, "overloaded_error"),
        (504, "timeout_error"),
    ] {
        let server = server();
        server.script("/v1/models", [Reply::error(status, kind, "Overloaded")]);
        let validation = validate(&server).await;
        assert!(
            matches!(&validation, Validation::ServiceTrouble(error) if error.status == Some(status)),
            "{status}: {validation:?}"
        );
    }
}

#[tokio::test]
async fn a_hang_times_out_on_our_clock() {
    let server = server();
    server.script("/v1/models", [Reply::Hang]);
    let started = Instant::now();
    let result = client(&server.url())
        .models(&ApiKey::new(KEY), Duration::from_millis(300))
        .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    let validation = Validation::from_result(result);
    assert!(
        matches!(validation, Validation::TimedOut(_)),
        "{validation:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_offline() {
    let validation = claude::validate(client(&support::refused_url()), ApiKey::new(KEY)).await;
    let Validation::Offline(error) = validation else {
        panic!("expected offline, got {validation:?}");
    };
    assert_eq!(error.kind, ErrorKind::Connection);
    assert!(
        error.message.to_lowercase().contains("refused"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn a_tls_failure_is_offline() {
    let server = server();
    let url = format!("https://{}", server.addr);
    let validation = claude::validate(client(&url), ApiKey::new(KEY)).await;
    assert!(
        matches!(validation, Validation::Offline(_)),
        "{validation:?}"
    );
}

#[tokio::test]
async fn a_dns_failure_is_offline() {
    let validation =
        claude::validate(client("https://api.anthropic.invalid"), ApiKey::new(KEY)).await;
    assert!(
        matches!(validation, Validation::Offline(_)),
        "{validation:?}"
    );
}

#[tokio::test]
async fn an_unexpected_body_is_reported_as_such() {
    let server = server();
    server.script(
        "/v1/models",
        [
            Reply::Raw {
                status: 200,
                content_type: "text/html",
                body: "<html>captive portal</html>".into(),
            },
            Reply::Raw {
                status: 418,
                content_type: "text/plain",
                body: "I'm a teapot".into(),
            },
        ],
    );
    let first = validate(&server).await;
    assert!(
        matches!(&first, Validation::Unexpected(error) if error.request_id.is_some()),
        "{first:?}"
    );
    let second = validate(&server).await;
    assert!(matches!(second, Validation::Unexpected(_)), "{second:?}");
}

#[tokio::test]
async fn the_fake_server_also_accepts_bearer_keys_like_the_newer_sdks() {
    let server = server();
    let response = reqwest::Client::new()
        .get(format!("{}/v1/models", server.url()))
        .header("authorization", format!("Bearer {KEY}"))
        .header("anthropic-version", "2026-10-21")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("request-id"));
}

#[tokio::test]
async fn a_redirect_is_reported_and_never_followed_with_the_key() {
    // The redirect's target: another port here, and another loopback host.
    for elsewhere in [FakeAnthropic::start(), FakeAnthropic::start_on("127.0.0.2")] {
        let server = server();
        let target = format!("{}/v1/models", elsewhere.url());
        for status in [301, 302, 307, 308] {
            server.script(
                "/v1/models",
                [Reply::Redirect {
                    status,
                    location: target.clone(),
                }],
            );
            let Validation::Unexpected(error) = validate(&server).await else {
                panic!("a {status} is not a valid key");
            };
            assert_eq!(error.status, Some(status));
            assert!(error.message.contains(&target), "{}", error.message);
        }
        assert!(
            !elsewhere.saw_key(KEY),
            "the key went to {}",
            elsewhere.url()
        );
        assert!(elsewhere.requests().is_empty());
    }
}

#[tokio::test]
async fn a_server_that_echoes_the_key_back_does_not_put_it_on_screen() {
    let server = server();
    server.script(
        "/v1/models",
        [Reply::error(
            401,
            "authentication_error",
            &format!("invalid x-api-key: {KEY}"),
        )],
    );
    let Validation::Rejected(error) = validate(&server).await else {
        panic!("expected a rejection");
    };
    assert_eq!(error.message, "invalid x-api-key: [your API key]");
    assert!(!format!("{error:?}").contains(KEY));
}
