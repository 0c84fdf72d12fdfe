//! Whether a file dialog can be shown here, and paths typed instead.
//!
//! rfd shows the desktop's file dialog through the XDG portal on Linux and
//! the BSDs, else through zenity; with neither (a bare window manager, a
//! minimal install) it returns at once with nothing, exactly as when the
//! user cancels. So BrainDump asks first, and where there is no dialog it
//! lets the user type the path instead of silently doing nothing.

#[cfg(all(unix, not(target_os = "macos")))]
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
#[cfg(all(unix, not(target_os = "macos")))]
use std::time::Duration;

/// The portal's well-known name on the session bus.
#[cfg(all(unix, not(target_os = "macos")))]
const PORTAL: &str = "org.freedesktop.portal.Desktop";

/// Can rfd show a file dialog? Always on macOS and Windows; on other
/// systems when the portal is on the session bus (running or startable)
/// or zenity is installed. Asked off the UI thread; a bus that does not
/// answer within two seconds counts as none.
#[cfg(all(unix, not(target_os = "macos")))]
pub async fn available() -> bool {
    let path = std::env::var_os("PATH");
    let check = tokio::task::spawn_blocking(move || {
        program_on(path.as_deref(), "zenity") || portal_on_session_bus()
    });
    matches!(
        tokio::time::timeout(Duration::from_secs(2), check).await,
        Ok(Ok(true))
    )
}

/// Can rfd show a file dialog? Always, on macOS and Windows.
#[cfg(not(all(unix, not(target_os = "macos"))))]
pub async fn available() -> bool {
    true
}

/// Is `program` an executable file in one of `path`'s folders?
#[cfg(all(unix, not(target_os = "macos")))]
fn program_on(path: Option<&OsStr>, program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.is_some_and(|path| {
        std::env::split_paths(path).any(|folder| {
            std::fs::metadata(folder.join(program)).is_ok_and(|metadata| {
                metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
            })
        })
    })
}

#[cfg(all(unix, not(target_os = "macos")))]
fn portal_on_session_bus() -> bool {
    let Ok(connection) = zbus::blocking::Connection::session() else {
        return false;
    };
    let Ok(bus) = zbus::blocking::fdo::DBusProxy::new(&connection) else {
        return false;
    };
    let Ok(name) = zbus::names::BusName::try_from(PORTAL) else {
        return false;
    };
    bus.name_has_owner(name).unwrap_or(false)
        || bus
            .list_activatable_names()
            .is_ok_and(|names| names.iter().any(|name| name.as_str() == PORTAL))
}

/// A path the user typed: `~` is their home; it must be a full path (a
/// relative one would depend on where BrainDump was started).
pub fn typed_path(typed: &str, home: Option<&Path>) -> Result<PathBuf, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("Type a path first.".to_owned());
    }
    let path = match (typed.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => home.join(&rest[1..]),
        _ => PathBuf::from(typed),
    };
    if path.is_absolute() {
        Ok(path)
    } else {
        Err(format!(
            "{typed} is not a full path: start it with / (or ~ for your home folder)."
        ))
    }
}

/// The user's home folder, for [`typed_path`].
pub fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths() {
        let home = Path::new("/home/me");
        assert_eq!(
            typed_path(" ~/Notes ", Some(home)),
            Ok(PathBuf::from("/home/me/Notes"))
        );
        assert_eq!(typed_path("~", Some(home)), Ok(PathBuf::from("/home/me")));
        assert_eq!(
            typed_path("/srv/notes", Some(home)),
            Ok(PathBuf::from("/srv/notes"))
        );
        assert!(
            typed_path("Notes", Some(home))
                .unwrap_err()
                .contains("not a full path")
        );
        assert!(typed_path("~other/x", Some(home)).is_err());
        assert!(typed_path("  ", Some(home)).is_err());
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn zenity_is_found_only_where_it_is() {
        let folder = tempfile::tempdir().unwrap();
        let path = std::env::join_paths([folder.path()]).unwrap();
        assert!(!program_on(Some(&path), "zenity"));
        let zenity = folder.path().join("zenity");
        std::fs::write(&zenity, "#!/bin/sh\n").unwrap();
        assert!(!program_on(Some(&path), "zenity"), "not executable");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(program_on(Some(&path), "zenity"));
        assert!(!program_on(None, "zenity"));
    }
}
