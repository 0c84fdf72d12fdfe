//! Human-friendly times for the notes list.

use std::time::SystemTime;

use jiff::{Timestamp, Zoned, tz::TimeZone};

/// "just now", "5 min ago", "14:05", "Yesterday", "Mon", "12 Nov",
/// "12 Nov 2025": short, and relative to `now`.
pub fn relative(then: SystemTime, now: &Zoned) -> String {
    let Ok(then) = Timestamp::try_from(then) else {
        return String::new();
    };
    let then = then.to_zoned(now.time_zone().clone());
    let seconds = now.timestamp().as_second() - then.timestamp().as_second();

    // A little in the future is "now": the list's clock ticks every half
    // minute and the note may have been touched since.
    if seconds < -120 {
        return then.strftime("%-d %b %Y").to_string();
    }
    if seconds < 45 {
        return "just now".to_owned();
    }
    if seconds < 60 * 60 {
        return format!("{} min ago", (seconds + 30) / 60);
    }
    match now.date().since(then.date()).map(|span| span.get_days()) {
        Ok(0) => then.strftime("%H:%M").to_string(),
        Ok(1) => "Yesterday".to_owned(),
        Ok(2..=6) => then.strftime("%a").to_string(),
        _ if then.year() == now.year() => then.strftime("%-d %b").to_string(),
        _ => then.strftime("%-d %b %Y").to_string(),
    }
}

/// The current time in `zone`. No disk access: the zone is already loaded.
pub fn now_in(zone: &TimeZone) -> Zoned {
    Timestamp::now().to_zoned(zone.clone())
}

/// The system's time zone, read from the disk (tzdb) on a blocking thread;
/// UTC where none is known. Loaded once, then kept in state, so that views
/// and `update` never touch the disk for a clock.
pub async fn system_zone() -> TimeZone {
    tokio::task::spawn_blocking(read_system_zone)
        .await
        .unwrap_or(TimeZone::UTC)
}

/// Where Unix systems keep the local zone, as a TZif file (usually a link
/// into the tzdb).
const LOCALTIME: &str = "/etc/localtime";

/// The system's zone. Where `TZ` is not set, it is read straight from
/// `/etc/localtime` instead of through jiff's `TimeZone::try_system`: to
/// put a name on the zone, that lists the whole tzdb folder first and keeps
/// the list for the life of the app (~1,800 names, 160 KB of heap), and
/// BrainDump never shows a zone's name. Everything else (`TZ`, Windows, a
/// missing or unreadable file) goes through jiff.
pub fn read_system_zone() -> TimeZone {
    let local = if std::env::var_os("TZ").is_none() {
        read_tzif(std::path::Path::new(LOCALTIME))
    } else {
        None
    };
    local
        .or_else(|| TimeZone::try_system().ok())
        .unwrap_or(TimeZone::UTC)
}

/// A zone from its TZif file, named after where it lies in the tzdb when
/// the path says ("Europe/Berlin"), else "Local".
fn read_tzif(path: &std::path::Path) -> Option<TimeZone> {
    let data = std::fs::read(path).ok()?;
    let target = std::fs::canonicalize(path).ok();
    let name = target
        .as_deref()
        .and_then(|target| target.to_str())
        .and_then(|target| target.rsplit_once("zoneinfo/"))
        .map_or("Local", |(_, name)| name);
    TimeZone::tzif(name, &data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        text.parse().unwrap()
    }

    fn ago(now: &Zoned, seconds: i64) -> SystemTime {
        SystemTime::from(now.timestamp() - jiff::SignedDuration::from_secs(seconds))
    }

    #[test]
    fn a_zone_is_read_from_its_tzif_file() {
        let berlin = std::path::Path::new("/usr/share/zoneinfo/Europe/Berlin");
        assert!(berlin.exists(), "needs the tzdb (Debian: tzdata)");
        let zone = read_tzif(berlin).expect("a TZif file");
        assert_eq!(zone.iana_name(), Some("Europe/Berlin"));
        let summer = at("2026-07-01T12:00:00[UTC]").timestamp();
        let winter = at("2026-01-01T12:00:00[UTC]").timestamp();
        assert_eq!(zone.to_offset(summer).seconds(), 2 * 3600);
        assert_eq!(zone.to_offset(winter).seconds(), 3600);
        assert!(read_tzif(std::path::Path::new("/nonexistent/zone")).is_none());
        let text = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(text.path(), "not a zone").unwrap();
        assert!(read_tzif(text.path()).is_none(), "a broken file is no zone");
    }

    #[test]
    fn short_relative_times() {
        let now = at("2026-11-26T22:50:00[UTC]");
        assert_eq!(relative(ago(&now, 10), &now), "just now");
        assert_eq!(relative(ago(&now, 5 * 60), &now), "5 min ago");
        assert_eq!(relative(ago(&now, 3 * 3600), &now), "19:50");
        assert_eq!(relative(ago(&now, 24 * 3600), &now), "Yesterday");
        assert_eq!(relative(ago(&now, 3 * 24 * 3600), &now), "Mon");
        assert_eq!(relative(ago(&now, 30 * 24 * 3600), &now), "27 Oct");
        assert_eq!(relative(ago(&now, 400 * 24 * 3600), &now), "22 Oct 2025");
    }
}
