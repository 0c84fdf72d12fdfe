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
    tokio::task::spawn_blocking(|| TimeZone::try_system().unwrap_or(TimeZone::UTC))
        .await
        .unwrap_or(TimeZone::UTC)
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
