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

/// `cargo deb` (`[package.metadata.deb]` in Cargo.toml) packs the very
/// files `make install PREFIX=/usr` installs, with the same modes and
/// bytes, plus the copyright file Debian asks of every package. The test's
/// own binary stands in for the release one, so no release build is needed.
#[test]
fn the_debian_package_holds_what_make_install_installs() {
    if !need(&[
        ("make", "make"),
        ("cargo-deb", "cargo install cargo-deb"),
        ("dpkg-deb", "dpkg"),
    ]) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("target");
    std::fs::create_dir_all(target.join("release")).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_braindump"),
        target.join("release/braindump"),
    )
    .unwrap();
    let deb = work.path().join("braindump.deb");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", &target)
        .args([
            "deb",
            "--no-build",
            "--no-strip",
            "--fast",
            "--locked",
            "-o",
        ])
        .arg(&deb)
        .output()
        .expect("cargo deb runs");
    assert!(
        output.status.success(),
        "cargo deb failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let unpacked = work.path().join("unpacked");
    let status = Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(status.success());

    let staged = work.path().join("staged");
    make("install", &staged);
    let mut expected = files_under(&staged);
    expected.push("usr/share/doc/braindump/copyright".to_owned());
    expected.sort();
    assert_eq!(files_under(&unpacked), expected);
    for file in files_under(&staged) {
        let (packed, installed) = (unpacked.join(&file), staged.join(&file));
        let mode = |path: &Path| {
            std::os::unix::fs::PermissionsExt::mode(&path.metadata().unwrap().permissions()) & 0o777
        };
        assert_eq!(mode(&packed), mode(&installed), "{file}'s mode");
        assert!(
            std::fs::read(&packed).unwrap() == std::fs::read(&installed).unwrap(),
            "{file} differs between the package and the install"
        );
    }

    let field = |name: &str| {
        let output = Command::new("dpkg-deb")
            .args(["--field"])
            .arg(&deb)
            .arg(name)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    assert_eq!(field("Package"), "braindump");
    assert!(
        field("Depends").contains("libxkbcommon-x11-0"),
        "the libraries opened at run time are listed: {}",
        field("Depends")
    );
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

/// The macOS bundle's description (built by `make app` on macOS) carries
/// the same id as everywhere else, the binary's name, and the version
/// `make app` fills in; checked here because CI has no Mac.
#[test]
fn the_macos_bundle_description_matches_the_app() {
    let plist = std::fs::read_to_string(resource("macos/Info.plist")).unwrap();
    let value = |key: &str| {
        let after = plist
            .split_once(&format!("<key>{key}</key>"))
            .unwrap_or_else(|| panic!("Info.plist has {key}"))
            .1;
        let start = after.find("<string>").unwrap() + "<string>".len();
        after[start..start + after[start..].find("</string>").unwrap()].to_owned()
    };
    assert_eq!(value("CFBundleIdentifier"), APP_ID);
    assert_eq!(value("CFBundleExecutable"), "braindump");
    assert_eq!(value("CFBundleShortVersionString"), "@VERSION@");
    let makefile =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Makefile")).unwrap();
    assert!(makefile.contains("s/@VERSION@/$(VERSION)/g"));
    assert!(makefile.contains("BrainDump.icns") && value("CFBundleIconFile") == "BrainDump");
}
