//! Logging setup, shared by the binary and the tests that check it.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::Directive;

/// Targets held below TRACE whatever `RUST_LOG` asks for: at TRACE, iced
/// logs the text of every paragraph it lays out, and its text input lays out
/// the real value of a secure (masked) field when it is edited, so the API
/// key would reach the log. Text content is never worth that risk.
const NEVER_TRACE: &[&str] = &[
    "iced_graphics::text=debug",
    "cosmic_text=debug",
    "iced_wgpu::text=debug",
    "iced_tiny_skia::text=debug",
];

/// The filter for `base` (what `RUST_LOG` says, or a default), with the
/// guards above.
pub fn filter(base: &str) -> EnvFilter {
    NEVER_TRACE
        .iter()
        .filter_map(|directive| directive.parse::<Directive>().ok())
        .fold(EnvFilter::new(base), EnvFilter::add_directive)
}

/// Logs to stderr: warnings by default, `RUST_LOG` to change that.
pub fn init() {
    let base = std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned());
    tracing_subscriber::fmt()
        .with_env_filter(filter(&base))
        .init();
}
