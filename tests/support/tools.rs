//! The system tools a test drives (Xvfb, xdotool, make, validators):
//! `tests/install.rs` and `tests/smoke.rs` both include this file.

use std::process::{Command, Stdio};

/// True when `program` is on the PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The tools a check needs, each with the Debian package that has it: all
/// present, or (outside CI) the check says so and is skipped. In CI a
/// missing tool fails the test, so that a check never passes unrun.
pub fn need(tools: &[(&str, &str)]) -> bool {
    let missing: Vec<_> = tools.iter().filter(|(program, _)| !have(program)).collect();
    if missing.is_empty() {
        return true;
    }
    let programs: Vec<_> = missing.iter().map(|(program, _)| *program).collect();
    let packages: Vec<_> = missing.iter().map(|(_, package)| *package).collect();
    assert!(
        std::env::var_os("CI").is_none(),
        "{} needed (apt-get install {})",
        programs.join(", "),
        packages.join(" ")
    );
    eprintln!("skipped: {} not installed", programs.join(", "));
    false
}
