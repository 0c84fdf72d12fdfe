//! The quick-capture shortcut through the XDG GlobalShortcuts portal, for
//! Wayland, where no program may grab keys itself: BrainDump asks the
//! desktop to bind the shortcut (it may show the user a dialog to confirm
//! or change it), then listens for its `Activated` signal.
//!
//! Written against the documented D-Bus interface with zbus, which the
//! keychain already brings: `org.freedesktop.portal.GlobalShortcuts`
//! (CreateSession, BindShortcuts, Activated) and the `Request` objects
//! whose `Response` signal carries each call's result.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use futures::StreamExt;
use futures::channel::mpsc::UnboundedSender;
use zbus::zvariant::{ObjectPath, OwnedObjectPath, OwnedValue, Value};

use super::Shortcut;

const DESTINATION: &str = "org.freedesktop.portal.Desktop";
const PATH: &str = "/org/freedesktop/portal/desktop";
pub const INTERFACE: &str = "org.freedesktop.portal.GlobalShortcuts";
const REQUEST: &str = "org.freedesktop.portal.Request";
/// The one shortcut BrainDump binds.
pub const SHORTCUT_ID: &str = "quick-capture";

/// `ctrl+alt+space` as the XDG shortcuts specification writes it:
/// `CTRL+ALT+space`.
pub fn trigger(shortcut: &str) -> String {
    shortcut
        .split('+')
        .map(|part| match part.trim().to_lowercase().as_str() {
            "ctrl" | "control" => "CTRL".to_owned(),
            "alt" | "option" => "ALT".to_owned(),
            "shift" => "SHIFT".to_owned(),
            "super" | "meta" | "cmd" | "command" | "logo" => "LOGO".to_owned(),
            key => key.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// Binds `shortcut` and says [`Shortcut::Held`], then [`Shortcut::Pressed`]
/// for each press, until `events` has no listener; the reason if the
/// portal is missing or said no.
pub async fn hold(shortcut: String, events: UnboundedSender<Shortcut>) -> Result<(), String> {
    let connection = zbus::Connection::session()
        .await
        .map_err(|error| format!("there is no session bus ({error})"))?;
    // A program outside a sandbox says who it is first (portal 1.19 on);
    // older portals have no registry, and guess.
    let _ = connection
        .call_method(
            Some(DESTINATION),
            PATH,
            Some("org.freedesktop.host.portal.Registry"),
            "Register",
            &(crate::desktop::APP_ID, HashMap::<&str, Value>::new()),
        )
        .await;
    let token = token();
    let options = HashMap::from([
        ("handle_token", Value::from(token.as_str())),
        ("session_handle_token", Value::from(token.as_str())),
    ]);
    let created = request(
        &connection,
        "CreateSession",
        &token,
        &(options,),
        Some(Duration::from_secs(10)),
    )
    .await?;
    let session = created
        .get("session_handle")
        .and_then(object_path)
        .ok_or("the portal gave no session")?;
    let shortcuts = vec![(
        SHORTCUT_ID,
        HashMap::from([
            (
                "description",
                Value::from("Quick capture: jot a thought down"),
            ),
            ("preferred_trigger", Value::from(trigger(&shortcut))),
        ]),
    )];
    // Presses are listened for before the shortcut is bound: one that
    // comes at once is not lost.
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(INTERFACE)
        .and_then(|rule| rule.member("Activated"))
        .map_err(|error| error.to_string())?
        .build();
    let mut activations = zbus::MessageStream::for_match_rule(rule, &connection, None)
        .await
        .map_err(|error| error.to_string())?;
    // The desktop may ask the user first: no time limit but theirs.
    let token = self::token();
    let options = HashMap::from([("handle_token", Value::from(token.as_str()))]);
    request(
        &connection,
        "BindShortcuts",
        &token,
        &(&session, shortcuts, "", options),
        None,
    )
    .await?;
    if events.unbounded_send(Shortcut::Held).is_err() {
        return Ok(());
    }
    loop {
        tokio::select! {
            message = activations.next() => {
                let Some(Ok(message)) = message else {
                    return Err("the portal went away".to_owned());
                };
                let Ok((from, id, _, _)) = message
                    .body()
                    .deserialize::<(OwnedObjectPath, String, u64, HashMap<String, OwnedValue>)>()
                else {
                    continue;
                };
                if from == session && id == SHORTCUT_ID
                    && events.unbounded_send(Shortcut::Pressed).is_err()
                {
                    return Ok(());
                }
            }
            () = tokio::time::sleep(Duration::from_millis(500)) => {
                if events.is_closed() {
                    return Ok(());
                }
            }
        }
    }
}

/// A session handle, whether sent as a string (as documented) or as an
/// object path.
fn object_path(value: &OwnedValue) -> Option<OwnedObjectPath> {
    match &**value {
        Value::Str(text) => ObjectPath::try_from(text.as_str()).ok().map(Into::into),
        Value::ObjectPath(path) => Some(path.clone().into()),
        _ => None,
    }
}

/// A name for the `Request` object of one call.
fn token() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("braindump{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Calls a portal method that answers through a `Request` object: the
/// `Response` signal is listened for before the call (its path is known
/// from the token), as the portal documentation asks.
async fn request<B>(
    connection: &zbus::Connection,
    method: &str,
    token: &str,
    body: &B,
    within: Option<Duration>,
) -> Result<HashMap<String, OwnedValue>, String>
where
    B: serde::Serialize + zbus::zvariant::DynamicType,
{
    let sender = connection
        .unique_name()
        .ok_or("no name on the session bus")?
        .trim_start_matches(':')
        .replace('.', "_");
    let path = format!("{PATH}/request/{sender}/{token}");
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(REQUEST)
        .and_then(|rule| rule.member("Response"))
        .and_then(|rule| rule.path(path.as_str()))
        .map_err(|error| error.to_string())?
        .build();
    let mut responses = zbus::MessageStream::for_match_rule(rule, connection, None)
        .await
        .map_err(|error| error.to_string())?;
    connection
        .call_method(Some(DESTINATION), PATH, Some(INTERFACE), method, body)
        .await
        .map_err(|error| match error {
            zbus::Error::MethodError(name, _, _)
                if [
                    "org.freedesktop.DBus.Error.ServiceUnknown",
                    "org.freedesktop.DBus.Error.UnknownInterface",
                    "org.freedesktop.DBus.Error.UnknownMethod",
                    "org.freedesktop.DBus.Error.UnknownObject",
                ]
                .contains(&name.as_str()) =>
            {
                "this desktop offers no global-shortcuts portal".to_owned()
            }
            other => format!("the global-shortcuts portal failed ({other})"),
        })?;
    let response = match within {
        None => responses.next().await,
        Some(within) => tokio::time::timeout(within, responses.next())
            .await
            .map_err(|_| "the global-shortcuts portal did not answer".to_owned())?,
    };
    let Some(Ok(response)) = response else {
        return Err("the global-shortcuts portal did not answer".to_owned());
    };
    let (code, results) = response
        .body()
        .deserialize::<(u32, HashMap<String, OwnedValue>)>()
        .map_err(|error| error.to_string())?;
    match code {
        0 => Ok(results),
        1 => Err("the shortcut was not allowed".to_owned()),
        _ => Err("the desktop did not bind the shortcut".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shortcuts_are_written_as_the_xdg_specification_does() {
        assert_eq!(super::trigger("ctrl+alt+space"), "CTRL+ALT+space");
        assert_eq!(super::trigger("super+shift+n"), "LOGO+SHIFT+n");
    }
}
