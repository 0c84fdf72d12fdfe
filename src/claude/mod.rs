//! Anthropic's Messages API: the client, its errors, and key validation.
//!
//! No iced in here. The wire format lives in this module alone: how the key
//! is sent, which version header, which paths.

mod error;
pub mod stream;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use error::{ApiError, ErrorKind, NextStep, advice};
use serde::{Deserialize, Serialize};

use crate::key::ApiKey;

pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
pub const BASE_URL_ENV: &str = "ANTHROPIC_BASE_URL";
pub const API_VERSION: &str = "2023-06-01";
/// Where people create API keys.
pub const CONSOLE_KEYS_URL: &str = "https://platform.claude.com/settings/keys";
pub const BILLING_URL: &str = "https://platform.claude.com/settings/billing";

/// Validation is a single small request: give up on it after this long.
pub const VALIDATE_TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The endpoint, checked: `https://`, or plain `http://` only to this
/// machine (proxies and tests), so a key never crosses a network in clear.
///
/// `None` is Anthropic's own address, parsed when a request is first made:
/// parsing a URL at start-up would bring in the `url` and `idna` code
/// (about 0.25 MiB of resident memory) before anything needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseUrl(Option<reqwest::Url>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("{BASE_URL_ENV} is not a valid URL ({0})")]
    Invalid(String),
    #[error(
        "{BASE_URL_ENV} uses plain http:// to a host that is not this machine; use https://, or http:// only with localhost"
    )]
    InsecureRemote,
    #[error("{BASE_URL_ENV} must start with https:// (or http:// for localhost)")]
    Scheme,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<Self, BaseUrlError> {
        let url = reqwest::Url::parse(text.trim())
            .map_err(|error| BaseUrlError::Invalid(error.to_string()))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(BaseUrlError::InsecureRemote),
            _ => return Err(BaseUrlError::Scheme),
        }
        Ok(Self(Some(url)))
    }

    /// `ANTHROPIC_BASE_URL` if set, else Anthropic's.
    pub fn from_env() -> Result<Self, BaseUrlError> {
        match std::env::var(BASE_URL_ENV) {
            Ok(value) if !value.trim().is_empty() => Self::parse(&value),
            _ => Ok(Self::default()),
        }
    }

    pub(crate) fn join(&self, path: &str) -> reqwest::Url {
        let mut url = match &self.0 {
            Some(url) => url.clone(),
            None => reqwest::Url::parse(DEFAULT_BASE_URL).expect("the default base URL is valid"),
        };
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url
    }

    pub fn as_str(&self) -> &str {
        self.0
            .as_ref()
            .map_or(DEFAULT_BASE_URL, reqwest::Url::as_str)
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost" || domain.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A model, as listed by `GET /v1/models` (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Model {
    pub id: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub created_at: String,
    /// The most input (prompt) tokens it takes, when the API says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_tokens: Option<u64>,
    /// The most output tokens it writes in one reply, when the API says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
}

impl Model {
    /// What people read: the display name, or the id when there is none.
    pub fn name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.id
        } else {
            &self.display_name
        }
    }
}

/// `count_tokens` is free but separately rate-limited; a count that takes
/// longer than this is not worth showing.
pub const COUNT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Deserialize)]
struct ModelList {
    data: Vec<Model>,
    #[serde(default)]
    has_more: bool,
    #[serde(default)]
    last_id: Option<String>,
}

/// Talks to the Messages API. Cheap to create and to clone: the HTTP client
/// (TLS set-up, connection pool) is built on first use, inside a request's
/// task, so neither start-up nor the UI thread pays for it.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client, or why it could not be made (no trusted certificates
    /// on this system, say): told as a connection problem, never a panic.
    http: Arc<OnceLock<Result<reqwest::Client, String>>>,
    pub(crate) base: BaseUrl,
}

impl Client {
    pub fn new(base: BaseUrl) -> Self {
        Self {
            http: Arc::default(),
            base,
        }
    }

    pub(crate) fn http(&self) -> Result<&reqwest::Client, ApiError> {
        let made = self.http.get_or_init(|| {
            // reqwest is built without a crypto provider of its own: ring
            // is the process's (an error only says one is already set).
            let _ = rustls::crypto::ring::default_provider().install_default();
            // Certificates are checked by the platform's verifier (reqwest
            // 0.13's default), so a TLS-inspecting proxy whose root the OS
            // trusts works as it does for the system's own programs.
            let builder = reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .user_agent(concat!("BrainDump/", env!("CARGO_PKG_VERSION")))
                // reqwest strips only `authorization`-like headers on a
                // redirect, not `x-api-key`: following one would hand the
                // key to whatever host it names. A 3xx is reported instead.
                .redirect(reqwest::redirect::Policy::none());
            // A proxy from HTTP_PROXY/HTTPS_PROXY is for the outside world;
            // requests to this machine (a local gateway, the tests' fake)
            // must not pass through it with the key.
            let builder = match &self.base.0 {
                Some(url) if is_loopback(url) => builder.no_proxy(),
                _ => builder,
            };
            builder.build().map_err(|error| {
                let mut deepest: &dyn std::error::Error = &error;
                while let Some(source) = deepest.source() {
                    deepest = source;
                }
                deepest.to_string()
            })
        });
        made.as_ref().map_err(|problem| ApiError {
            kind: ErrorKind::Connection,
            status: None,
            message: format!(
                "no secure connection can be made on this system: {problem} (is the ca-certificates package installed?)"
            ),
            request_id: None,
            retry_after: None,
            should_retry: Some(false),
        })
    }

    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The one place that decides how a request is authenticated.
    pub(crate) fn authorized(
        &self,
        request: reqwest::RequestBuilder,
        key: &ApiKey,
    ) -> reqwest::RequestBuilder {
        // Marked sensitive so that no debug output of the request shows it.
        // A key with characters a header cannot hold is sent empty, and
        // comes back as "rejected".
        let mut value = reqwest::header::HeaderValue::from_str(key.expose())
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(""));
        value.set_sensitive(true);
        request
            .header("x-api-key", value)
            .header("anthropic-version", API_VERSION)
    }

    /// Lists the models the key may use. Costs no tokens, so it doubles as
    /// the key check. Follows pagination.
    pub async fn models(&self, key: &ApiKey, timeout: Duration) -> Result<Vec<Model>, ApiError> {
        let work = async {
            let mut models = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let mut url = self.base.join("/v1/models");
                url.query_pairs_mut().append_pair("limit", "1000");
                if let Some(after) = &after {
                    url.query_pairs_mut().append_pair("after_id", after);
                }
                let response = self
                    .authorized(self.http()?.get(url), key)
                    .send()
                    .await
                    .map_err(ApiError::from_transport)?;
                let request_id = error::request_id(response.headers());
                if !response.status().is_success() {
                    return Err(ApiError::from_response(response).await);
                }
                let page: ModelList = response
                    .json()
                    .await
                    .map_err(|error| ApiError::unexpected(error.to_string(), request_id))?;
                let more = page.has_more && page.last_id.is_some() && !page.data.is_empty();
                after = page.last_id;
                models.extend(page.data);
                if !more || models.len() > 10_000 {
                    return Ok(models);
                }
            }
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(result) => result.map_err(|error| error.without_key(key)),
            Err(_) => Err(ApiError::timed_out(timeout)),
        }
    }
}

impl Client {
    /// How many input tokens `request` would be billed for:
    /// `POST /v1/messages/count_tokens`, which costs nothing.
    pub async fn count_tokens(
        &self,
        key: &ApiKey,
        request: &stream::Request,
    ) -> Result<u64, ApiError> {
        #[derive(Deserialize)]
        struct Count {
            input_tokens: u64,
        }
        let body = stream::count_body(request).to_string();
        let work = async {
            let response = self
                .authorized(
                    self.http()?
                        .post(self.base.join("/v1/messages/count_tokens")),
                    key,
                )
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map_err(ApiError::from_transport)?;
            let request_id = error::request_id(response.headers());
            if !response.status().is_success() {
                return Err(ApiError::from_response(response).await);
            }
            let count: Count = response
                .json()
                .await
                .map_err(|error| ApiError::unexpected(error.to_string(), request_id))?;
            Ok(count.input_tokens)
        };
        match tokio::time::timeout(COUNT_TIMEOUT, work).await {
            Ok(result) => result.map_err(|error| error.without_key(key)),
            Err(_) => Err(ApiError::timed_out(COUNT_TIMEOUT)),
        }
    }
}

/// What checking a key found, in the terms onboarding acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Validation {
    Valid(Vec<Model>),
    /// Valid, but rate-limited right now: continue, with a notice.
    RateLimited(ApiError),
    /// 401: mistyped, revoked or expired.
    Rejected(ApiError),
    /// 403: the key may not use the API.
    NoPermission(ApiError),
    /// 5xx, 529, 504: Anthropic's trouble, not the key's.
    ServiceTrouble(ApiError),
    /// No connection (refused, DNS, TLS): keep the key unverified.
    Offline(ApiError),
    /// No answer in time.
    TimedOut(ApiError),
    /// An answer that is not what the API sends.
    Unexpected(ApiError),
}

impl Validation {
    pub fn from_result(result: Result<Vec<Model>, ApiError>) -> Self {
        let error = match result {
            Ok(models) => return Self::Valid(models),
            Err(error) => error,
        };
        match error.kind {
            ErrorKind::RateLimited => Self::RateLimited(error),
            ErrorKind::Authentication => Self::Rejected(error),
            ErrorKind::Permission | ErrorKind::Billing => Self::NoPermission(error),
            ErrorKind::Overloaded | ErrorKind::Server | ErrorKind::GatewayTimeout => {
                Self::ServiceTrouble(error)
            }
            ErrorKind::Connection => Self::Offline(error),
            ErrorKind::TimedOut => Self::TimedOut(error),
            _ => Self::Unexpected(error),
        }
    }
}

pub async fn validate(client: Client, key: ApiKey) -> Validation {
    Validation::from_result(client.models(&key, VALIDATE_TIMEOUT).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_this_machine() {
        assert!(BaseUrl::parse("https://api.anthropic.com").is_ok());
        assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
        assert!(BaseUrl::parse("http://localhost:1234/proxy/").is_ok());
        assert!(BaseUrl::parse("http://[::1]:9").is_ok());
        assert_eq!(
            BaseUrl::parse("http://example.com"),
            Err(BaseUrlError::InsecureRemote)
        );
        assert_eq!(
            BaseUrl::parse("http://10.0.0.5"),
            Err(BaseUrlError::InsecureRemote)
        );
        assert_eq!(BaseUrl::parse("ftp://localhost"), Err(BaseUrlError::Scheme));
        assert!(matches!(
            BaseUrl::parse("not a url"),
            Err(BaseUrlError::Invalid(_))
        ));
    }

    #[test]
    fn paths_join_under_a_prefix() {
        let base = BaseUrl::parse("http://localhost:1/proxy/").unwrap();
        assert_eq!(
            base.join("/v1/models").as_str(),
            "http://localhost:1/proxy/v1/models"
        );
        let base = BaseUrl::parse("https://api.anthropic.com").unwrap();
        assert_eq!(
            base.join("/v1/models").as_str(),
            "https://api.anthropic.com/v1/models"
        );
        assert_eq!(
            BaseUrl::default().join("/v1/messages").as_str(),
            "https://api.anthropic.com/v1/messages"
        );
    }
}
