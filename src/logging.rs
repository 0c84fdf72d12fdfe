//! Logging setup, shared by the binary and the tests that check it.

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
        && NEVER_TRACE.iter().any(|guarded| {
            metadata
                .target()
                .strip_prefix(guarded)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
}

/// Logs to stderr: warnings by default, `RUST_LOG` to change that.
pub fn init() {
    match std::env::var("RUST_LOG") {
        Ok(spec) => tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer().with_filter(filter(&spec)))
            .init(),
        // Nothing to parse: a level is all it takes.
        Err(_) => tracing_subscriber::fmt().with_max_level(Level::WARN).init(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::Layer as _;

    use super::*;

    /// The messages of a set of events that `spec` lets through.
    fn logged(spec: &str) -> Vec<String> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let layer = Recorder(seen.clone()).with_filter(filter(spec));
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
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

    #[test]
    fn the_guard_never_turns_a_target_up() {
        assert_eq!(logged("warn"), ["winit warn"]);
        assert_eq!(logged("info"), ["winit warn", "braindump info"]);
    }

    #[test]
    fn text_targets_stop_at_debug_when_everything_else_traces() {
        assert_eq!(
            logged("trace"),
            [
                "winit warn",
                "braindump info",
                "cosmic debug",
                "graphics texture trace",
                "widget trace"
            ]
        );
        assert_eq!(
            logged("warn,cosmic_text=trace"),
            ["winit warn", "cosmic debug"]
        );
    }
}
