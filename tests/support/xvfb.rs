//! A private X server for the tests and the bench that open real windows:
//! `tests/smoke.rs`, `tests/keyboard.rs` and `examples/bench.rs` include
//! this file.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the child when dropped.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Xvfb on a display numbered from `first` and this process's id;
/// returns the display (`:N`) once its socket is there, and the server.
pub fn start(first: u32) -> (String, Guard) {
    let number = first + std::process::id() % 300;
    let display = format!(":{number}");
    let xvfb = Command::new("Xvfb")
        .args([
            &display,
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            // Without it the server resets when its last client leaves.
            "-noreset",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb runs (apt-get install xvfb)");
    let xvfb = Guard(xvfb);
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
    let started = Instant::now();
    while !socket.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "Xvfb did not open display {display} within 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (display, xvfb)
}

/// Polls `probe` every 100 ms until it has something, or fails the test
/// after `timeout`.
#[allow(dead_code)] // Not every includer waits.
pub fn wait_for<T>(what: &str, timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs xdotool on `display`; what it printed, trimmed.
#[allow(dead_code)] // Not every includer drives the window.
pub fn xdotool(display: &str, args: &[&str]) -> String {
    let output = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool runs");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
