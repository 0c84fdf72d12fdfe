//! The whole first run in iced_test's Emulator, which runs the real app with
//! its real tasks: HTTP to the fake Anthropic server, the real keychain (in
//! `make test`'s private keyring session), files in a temporary HOME. From
//! Welcome to the workspace: a rejected key, then a subscription token, then
//! a good key. Afterwards, the key must be in the keychain and nowhere else:
//! not in a file, not in a log line.

mod support;

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use braindump::app::{Config, application};
use braindump::claude::BaseUrl;
use braindump::key::keychain::{self, Backend};
use braindump::paths::Paths;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

const GOOD: &str = "sk-ant-api03-accepted-by-the-fake-server-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR-AA";
const REJECTED: &str = "sk-ant-api03-rejected-by-the-fake-server-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR-AA";

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|window| window == needle)
        {
            found.push(path.display().to_string());
        }
    }
    found
}

#[test]
fn first_run_from_welcome_to_workspace() {
    let keyring = std::env::var_os("BRAINDUMP_TEST_KEYRING").is_some();
    assert!(
        keyring || std::env::var_os("CI").is_none(),
        "CI must run this inside scripts/test-session (make test)"
    );
    // Every log line of every crate, at the most detailed level, with the
    // app's own filter, kept.
    let log = Log::default();
    let writer = log.clone();
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .with_filter(braindump::logging::filter("trace")),
        )
        .init();

    let server = support::FakeAnthropic::start();
    server.accept_key(GOOD);
    let home = tempfile::tempdir().unwrap();
    let backend = if keyring {
        Backend::Platform
    } else {
        Backend::Store(keyring_core::mock::Store::new().unwrap())
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    if keyring {
        runtime
            .block_on(keychain::remove(Backend::Platform))
            .unwrap();
    }
    let config = Config {
        paths: Paths {
            data_dir: home.path().join("data"),
            config_dir: home.path().join("config"),
            notes_dir_override: None,
        },
        base_url: BaseUrl::parse(&server.url()),
        env_key: None,
        keychain: backend.clone(),
        bench_frames: false,
        bench_search: None,
        #[cfg(unix)]
        instance: None,
        open: None,
        new_note: false,
        capture: false,
        settings: None,
    };

    iced_test::run(
        application(config),
        format!("{}/tests/flows", env!("CARGO_MANIFEST_DIR")),
    )
    .expect("the onboarding flow passes");

    // The rejected key was tried, then the good one; the token never left.
    let keys: Vec<_> = server
        .requests()
        .iter()
        .filter_map(|request| request.headers.get("x-api-key").cloned())
        .collect();
    assert_eq!(keys, [REJECTED, GOOD]);

    let stored = runtime.block_on(keychain::load(backend)).unwrap();
    assert_eq!(
        stored.map(|key| key.expose().to_owned()).as_deref(),
        Some(GOOD)
    );

    // Settings remember the check, and hold no key.
    let settings = std::fs::read_to_string(home.path().join("config/settings.json")).unwrap();
    assert!(settings.contains("claude-sonnet-4-5"), "{settings}");

    for key in [GOOD, REJECTED] {
        let found = files_containing(home.path(), key.as_bytes());
        assert!(found.is_empty(), "the key is in {found:?}");
        let log = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
        assert!(!log.is_empty(), "logging was captured");
        let leaks: Vec<_> = log
            .lines()
            .filter(|line| line.contains(key))
            .map(|line| line.replace(key, "<KEY>"))
            .collect();
        assert!(leaks.is_empty(), "the key is in the log: {leaks:#?}");
    }
    if keyring {
        runtime
            .block_on(keychain::remove(Backend::Platform))
            .unwrap();
    }
}
