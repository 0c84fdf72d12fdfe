//! A proxy from the environment never sees requests to a loopback base URL
//! (in a process of its own: the proxy is set in the environment).

mod support;

use braindump::claude::{self, BaseUrl, Client, Validation};
use braindump::key::ApiKey;
use support::FakeAnthropic;

const KEY: &str = "sk-ant-api03-test-key-for-the-fake-server-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP-AA";

#[tokio::test]
async fn http_proxy_does_not_see_requests_to_this_machine() {
    let proxy = FakeAnthropic::start();
    // SAFETY: set before any client is built, in this test binary's one
    // test; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("HTTP_PROXY", proxy.url());
        std::env::set_var("http_proxy", proxy.url());
        std::env::set_var("ALL_PROXY", proxy.url());
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    let server = FakeAnthropic::start();
    server.accept_key(KEY);
    let client = Client::new(BaseUrl::parse(&server.url()).unwrap());
    let validation = claude::validate(client, ApiKey::new(KEY)).await;
    assert!(matches!(validation, Validation::Valid(_)), "{validation:?}");
    assert!(
        proxy.requests().is_empty(),
        "the proxy saw {:?}",
        proxy.requests().len()
    );
    assert!(!proxy.saw_key(KEY));
}
