//! `make install` puts exactly the files the desktop expects where it
//! expects them, `make uninstall` takes every one away again, and the
//! launcher entry and AppStream metainfo pass their validators.

use std::path::{Path, PathBuf};
use std::process::Command;

use braindump::desktop::APP_ID;

#[path = "support/tools.rs"]
mod tools;

use tools::need;

fn make(target: &str, destdir: &Path) {
    let status = Command::new("make")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .args(["-s", target, "PREFIX=/usr"])
        .arg(format!("DESTDIR={}", destdir.display()))
        .arg(format!("BIN={}", env!("CARGO_BIN_EXE_braindump")))
        .status()
        .expect("make runs");
    assert!(status.success(), "make {target} failed");
}

fn files_under(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                found.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    found.sort();
    found
}

#[test]
fn make_install_puts_exactly_the_expected_files_and_uninstall_removes_them() {
    if !need(&[("make", "make")]) {
        return;
    }
    let staged = tempfile::tempdir().unwrap();
    make("install", staged.path());
    let mut expected = vec![
        "usr/bin/braindump".to_owned(),
        format!("usr/share/applications/{APP_ID}.desktop"),
        format!("usr/share/metainfo/{APP_ID}.metainfo.xml"),
        format!("usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"),
    ];
    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        expected.push(format!(
            "usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        ));
    }
    expected.sort();
    assert_eq!(files_under(staged.path()), expected);

    let binary = staged.path().join("usr/bin/braindump");
    let mode = std::os::unix::fs::PermissionsExt::mode(&binary.metadata().unwrap().permissions());
    assert_eq!(mode & 0o777, 0o755);
    assert_eq!(
        std::fs::read(&binary).unwrap(),
        std::fs::read(env!("CARGO_BIN_EXE_braindump")).unwrap()
    );

    make("uninstall", staged.path());
    assert_eq!(files_under(staged.path()), Vec::<String>::new());
}

fn resource(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("resources")
        .join(path)
}

#[test]
fn the_launcher_entry_is_valid() {
    if !need(&[("desktop-file-validate", "desktop-file-utils")]) {
        return;
    }
    let output = Command::new("desktop-file-validate")
        .arg(resource(&format!("linux/{APP_ID}.desktop")))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    // Hints are advice; errors and warnings are not accepted.
    assert!(
        !said.contains("error:") && !said.contains("warning:"),
        "{said}"
    );
}

#[test]
fn the_appstream_metainfo_is_valid() {
    if !need(&[("appstreamcli", "appstream")]) {
        return;
    }
    let output = Command::new("appstreamcli")
        .args(["validate", "--no-net"])
        .arg(resource(&format!("linux/{APP_ID}.metainfo.xml")))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
