//! A private X server for the tests and the bench that open real windows:
//! `tests/smoke.rs` and `examples/bench.rs` both include this file.

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
