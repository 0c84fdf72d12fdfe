//! Logging setup, shared by the binary and the tests that check it.

use std::io::IsTerminal;

use tracing::{Level, Metadata, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::filter::{FilterExt, filter_fn};
use tracing_subscriber::layer::Filter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// Targets never logged at TRACE, whatever `RUST_LOG` asks for: at TRACE,
/// iced logs the text of every paragraph it lays out, and its text input
/// lays out the real value of a secure (masked) field when it is edited, so
/// the API key would reach the log. Text content is never worth that risk.
const NEVER_TRACE: &[&str] = &[
    "iced_graphics::text",
    "cosmic_text",
    "iced_wgpu::text",
    "iced_tiny_skia::text",
];

/// What `spec` (a `RUST_LOG` value) asks for, less TRACE for the targets
/// above.
///
/// The guard is a filter of its own: as `EnvFilter` directives
/// (`cosmic_text=debug`) it would also turn those targets *up* to DEBUG when
/// the rest logs only warnings.
pub fn filter<S>(spec: &str) -> impl Filter<S> + use<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    EnvFilter::new(spec).and(filter_fn(|metadata| !never_traced(metadata)))
}

fn never_traced(metadata: &Metadata<'_>) -> bool {
    *metadata.level() == Level::TRACE
        && NEVER_TRACE
            .iter()
            .any(|guarded| within(metadata.target(), guarded))
}

/// Is `target` the module `module` or inside it? (`iced_graphics::texture`
/// is not inside `iced_graphics::text`.)
fn within(target: &str, module: &str) -> bool {
    target
        .strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// What is logged without `RUST_LOG`: BrainDump's own warnings, and the
/// errors of the libraries below it. Their warnings are about the desktop
/// more than about BrainDump (winit warns that a display without a desktop
/// has no XSETTINGS and measures 0 mm), and nobody using the app can act
/// on them; `RUST_LOG=warn` shows them. Nothing to parse: levels and a
/// prefix are all it takes.
pub fn default_filter<S>() -> impl Filter<S> + use<S> {
    filter_fn(|metadata| match *metadata.level() {
        Level::ERROR => true,
        Level::WARN => within(metadata.target(), "braindump"),
        _ => false,
    })
    .with_max_level_hint(Level::WARN)
}

/// Logs to stderr (in colour only on a terminal): see [`default_filter`],
/// and `RUST_LOG` to change it.
pub fn init() {
    let layer = tracing_subscriber::fmt::layer().with_ansi(std::io::stderr().is_terminal());
    match std::env::var("RUST_LOG") {
        Ok(spec) => tracing_subscriber::registry()
            .with(layer.with_filter(filter(&spec)))
            .init(),
        Err(_) => tracing_subscriber::registry()
            .with(layer.with_filter(default_filter()))
            .init(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::Layer as _;

    use super::*;

    /// The messages of a set of events that `spec` lets through.
    fn logged(spec: &str) -> Vec<String> {
        logged_by(filter(spec))
    }

    fn logged_by(
        filter: impl Filter<tracing_subscriber::Registry> + Send + Sync + 'static,
    ) -> Vec<String> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let layer = Recorder(seen.clone()).with_filter(filter);
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
            tracing::error!(target: "winit::x11", "winit error");
            tracing::warn!(target: "braindump::app", "braindump warn");
            tracing::warn!(target: "braindumper", "braindumper warn");
            tracing::warn!(target: "winit::x11", "winit warn");
            tracing::info!(target: "braindump", "braindump info");
            tracing::debug!(target: "cosmic_text::buffer", "cosmic debug");
            tracing::trace!(target: "cosmic_text::buffer", "cosmic trace");
            tracing::trace!(target: "iced_graphics::text", "graphics text trace");
            tracing::trace!(target: "iced_graphics::texture", "graphics texture trace");
            tracing::trace!(target: "iced_widget", "widget trace");
        });
        seen.lock().unwrap().clone()
    }

    struct Recorder(Arc<Mutex<Vec<String>>>);

    impl<S: Subscriber> tracing_subscriber::Layer<S> for Recorder {
        fn on_event(
            &self,
            event: &tracing::Event<'_>,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            event.record(
                &mut |_: &tracing::field::Field, value: &dyn std::fmt::Debug| {
                    self.0.lock().unwrap().push(format!("{value:?}"));
                },
            );
        }
    }

    const WARNINGS: [&str; 4] = [
        "winit error",
        "braindump warn",
        "braindumper warn",
        "winit warn",
    ];

    #[test]
    fn by_default_our_warnings_and_everyones_errors() {
        assert_eq!(
            logged_by(default_filter()),
            ["winit error", "braindump warn"]
        );
    }

    #[test]
    fn the_guard_never_turns_a_target_up() {
        assert_eq!(logged("warn"), WARNINGS);
        assert_eq!(logged("info")[4..], ["braindump info"]);
    }

    #[test]
    fn text_targets_stop_at_debug_when_everything_else_traces() {
        assert_eq!(logged("trace")[..4], WARNINGS);
        assert_eq!(
            logged("trace")[4..],
            [
                "braindump info",
                "cosmic debug",
                "graphics texture trace",
                "widget trace"
            ]
        );
        assert_eq!(logged("warn,cosmic_text=trace")[4..], ["cosmic debug"]);
    }
}
