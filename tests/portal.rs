//! The quick-capture shortcut through the XDG GlobalShortcuts portal
//! (Wayland), against a fake portal on the private session bus of
//! `make test` that speaks the documented interface: CreateSession and
//! BindShortcuts answer through `org.freedesktop.portal.Request` objects'
//! `Response` signal, and a press is the `Activated` signal.

#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use braindump::capture::{self, Shortcut, portal};
use futures::StreamExt;
use zbus::message::Header;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

const PATH: &str = "/org/freedesktop/portal/desktop";

#[derive(Default)]
struct Seen {
    /// (id, preferred trigger) of each shortcut asked for.
    bound: Vec<(String, String)>,
    sessions: Vec<String>,
}

struct FakePortal {
    seen: Arc<Mutex<Seen>>,
    /// Answer BindShortcuts with this response code (0 yes, 1 cancelled).
    bind_answer: u32,
}

/// The path of the `Request` object for a call from `header`'s sender
/// with this `handle_token`, as the documentation defines it.
fn request_path(header: &Header<'_>, options: &HashMap<String, OwnedValue>) -> String {
    let sender = header
        .sender()
        .unwrap()
        .trim_start_matches(':')
        .replace('.', "_");
    let token: String = options["handle_token"]
        .try_clone()
        .unwrap()
        .try_into()
        .unwrap();
    format!("{PATH}/request/{sender}/{token}")
}

/// Answers a call through its `Request` object, once the call's own reply
/// has gone (as a real portal does).
fn respond(
    connection: &zbus::Connection,
    header: &Header<'_>,
    path: &str,
    code: u32,
    results: HashMap<&'static str, OwnedValue>,
) {
    let connection = connection.clone();
    let sender = header.sender().unwrap().to_owned();
    let path = path.to_owned();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        futures::executor::block_on(connection.emit_signal(
            Some(sender.as_str()),
            path.as_str(),
            "org.freedesktop.portal.Request",
            "Response",
            &(code, results),
        ))
        .unwrap();
    });
}

#[zbus::interface(name = "org.freedesktop.portal.GlobalShortcuts")]
impl FakePortal {
    async fn create_session(
        &self,
        options: HashMap<String, OwnedValue>,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
    ) -> OwnedObjectPath {
        let path = request_path(&header, &options);
        let sender = header
            .sender()
            .unwrap()
            .trim_start_matches(':')
            .replace('.', "_");
        let token: String = options["session_handle_token"]
            .try_clone()
            .unwrap()
            .try_into()
            .unwrap();
        let session = format!("{PATH}/session/{sender}/{token}");
        self.seen.lock().unwrap().sessions.push(session.clone());
        // Documented as a string.
        respond(
            connection,
            &header,
            &path,
            0,
            HashMap::from([(
                "session_handle",
                OwnedValue::try_from(Value::from(session)).unwrap(),
            )]),
        );
        OwnedObjectPath::try_from(path).unwrap()
    }

    async fn bind_shortcuts(
        &self,
        _session: OwnedObjectPath,
        shortcuts: Vec<(String, HashMap<String, OwnedValue>)>,
        _parent_window: String,
        options: HashMap<String, OwnedValue>,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
    ) -> OwnedObjectPath {
        let path = request_path(&header, &options);
        for (id, info) in shortcuts {
            let trigger: String = info["preferred_trigger"]
                .try_clone()
                .unwrap()
                .try_into()
                .unwrap();
            self.seen.lock().unwrap().bound.push((id, trigger));
        }
        respond(connection, &header, &path, self.bind_answer, HashMap::new());
        OwnedObjectPath::try_from(path).unwrap()
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        2
    }
}

/// The settings portal, holding GNOME's text-scaling factor.
struct FakeSettings {
    text_scale: f64,
}

#[zbus::interface(name = "org.freedesktop.portal.Settings")]
impl FakeSettings {
    async fn read_one(&self, namespace: String, key: String) -> zbus::fdo::Result<OwnedValue> {
        if namespace == "org.gnome.desktop.interface" && key == "text-scaling-factor" {
            Ok(OwnedValue::from(self.text_scale))
        } else {
            Err(zbus::fdo::Error::Failed("no such setting".into()))
        }
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        2
    }
}

async fn serve(bind_answer: u32) -> Option<(zbus::Connection, Arc<Mutex<Seen>>)> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let portal = FakePortal {
        seen: seen.clone(),
        bind_answer,
    };
    let connection = zbus::connection::Builder::session()
        .ok()?
        .name("org.freedesktop.portal.Desktop")
        .ok()?
        .serve_at(PATH, portal)
        .ok()?
        .build()
        .await
        .ok()?;
    // A second interface on the same object.
    connection
        .object_server()
        .at(PATH, FakeSettings { text_scale: 1.25 })
        .await
        .ok()?;
    Some((connection, seen))
}

fn on_private_bus() -> bool {
    let keyring = std::env::var_os("BRAINDUMP_TEST_KEYRING").is_some();
    assert!(
        keyring || std::env::var_os("CI").is_none(),
        "CI must run this inside scripts/test-session (make test)"
    );
    if !keyring {
        eprintln!("skipped: needs the private session bus of scripts/test-session");
    }
    keyring
}

async fn next(stream: &mut futures::stream::BoxStream<'static, Shortcut>) -> Shortcut {
    tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("the shortcut says something within 10 s")
        .expect("the stream goes on")
}

/// One test, so that the fake portal's well-known name is never claimed
/// twice at once.
#[tokio::test(flavor = "multi_thread")]
async fn the_portal_binds_the_shortcut_and_its_presses_open_capture() {
    if !on_private_bus() {
        return;
    }
    // No portal: said so, in words.
    let mut none = capture::portal_shortcut("ctrl+alt+space");
    match next(&mut none).await {
        Shortcut::Failed(why) => assert!(why.contains("no global-shortcuts portal"), "{why}"),
        other => panic!("{other:?}"),
    }
    drop(none);

    assert_eq!(
        braindump::app::text_scale().await,
        1.0,
        "no settings portal: the desktop's text is taken as 1"
    );
    let (server, seen) = serve(0).await.expect("the fake portal is on the bus");
    assert_eq!(
        braindump::app::text_scale().await,
        1.25,
        "GNOME's Large Text, read at start"
    );
    let mut shortcut = capture::portal_shortcut("ctrl+alt+space");
    assert_eq!(next(&mut shortcut).await, Shortcut::Held);
    let session = {
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen.bound,
            [(portal::SHORTCUT_ID.to_owned(), "CTRL+ALT+space".to_owned())]
        );
        seen.sessions[0].clone()
    };
    let activated = |session: &str, id: &str| {
        let server = server.clone();
        let (session, id) = (session.to_owned(), id.to_owned());
        async move {
            server
                .emit_signal(
                    None::<()>,
                    PATH,
                    portal::INTERFACE,
                    "Activated",
                    &(
                        zbus::zvariant::ObjectPath::try_from(session.as_str()).unwrap(),
                        id.as_str(),
                        0u64,
                        HashMap::<&str, Value>::new(),
                    ),
                )
                .await
                .unwrap();
        }
    };
    // Another session's shortcut, or another id, is not ours.
    activated(&format!("{PATH}/session/1_1/other"), portal::SHORTCUT_ID).await;
    activated(&session, "something-else").await;
    activated(&session, portal::SHORTCUT_ID).await;
    assert_eq!(next(&mut shortcut).await, Shortcut::Pressed);
    drop(shortcut);
    drop(server);

    // The desktop (or the user, in its dialog) says no.
    let (_server, _) = serve(1).await.expect("the fake portal is on the bus again");
    let mut refused = capture::portal_shortcut("ctrl+alt+space");
    match next(&mut refused).await {
        Shortcut::Failed(why) => assert!(why.contains("not allowed"), "{why}"),
        other => panic!("{other:?}"),
    }
}
