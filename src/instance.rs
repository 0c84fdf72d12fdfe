//! One BrainDump per notes folder. The first launch listens on a Unix
//! socket in the runtime folder, named after the notes folder; a later
//! launch on the same folder connects, asks it to come to the front (and
//! to open the note it was given, if any), and exits instead of opening a
//! second window on the same notes. A socket
//! whose BrainDump has gone (crashed, killed) refuses connections: it is
//! replaced.
//!
//! Where there is no runtime folder (`XDG_RUNTIME_DIR` unset, macOS,
//! Windows), every launch opens its own window, and the queue's lock keeps
//! two of them safe on one folder.

use std::hash::{Hash, Hasher};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::Stream;

// The requests: `activate\n`, `new-note\n`, `capture\n`, or `open\n` and a path's bytes up to the
// end of the stream (a path may hold any byte but NUL, newlines too).
const ACTIVATE: &[u8] = b"activate\n";
const OPEN: &[u8] = b"open\n";
const NEW_NOTE: &[u8] = b"new-note\n";
const CAPTURE: &[u8] = b"capture\n";
/// A request longer than this is not ours.
const MAX_REQUEST: usize = 64 * 1024;
const ANSWER: &[u8] = b"ok\n";
/// How long a launch waits for the running BrainDump to answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// What a later launch asks of the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Come to the front.
    Activate,
    /// Come to the front and open this file (an absolute path).
    Open(PathBuf),
    /// Come to the front with a fresh note.
    NewNote,
    /// Open the quick-capture window.
    Capture,
}

impl Request {
    fn encode(&self) -> Vec<u8> {
        match self {
            Request::Activate => ACTIVATE.to_vec(),
            Request::NewNote => NEW_NOTE.to_vec(),
            Request::Capture => CAPTURE.to_vec(),
            Request::Open(path) => [OPEN, path.as_os_str().as_bytes()].concat(),
        }
    }

    /// `None` while more may come (or for bytes that are no request).
    fn decode(bytes: &[u8], complete: bool) -> Option<Self> {
        if bytes == ACTIVATE {
            return Some(Request::Activate);
        }
        if bytes == NEW_NOTE {
            return Some(Request::NewNote);
        }
        if bytes == CAPTURE {
            return Some(Request::Capture);
        }
        let path = bytes
            .strip_prefix(OPEN)
            .filter(|path| complete && !path.is_empty())?;
        Some(Request::Open(PathBuf::from(std::ffi::OsStr::from_bytes(
            path,
        ))))
    }
}

/// What a launch found.
#[derive(Debug)]
pub enum Claim {
    /// This process has the folder: it listens for later launches.
    First(Listener),
    /// The BrainDump that has the folder was asked to come to the front.
    HandedOver,
    /// Another BrainDump has the socket but did not answer in time (busy
    /// or stuck): this launch opens a window of its own, unlistened.
    Unanswered,
}

/// The socket this process listens on.
#[derive(Clone)]
pub struct Listener {
    path: PathBuf,
    /// The socket file's inode, to remove only our own at exit.
    inode: u64,
    socket: Arc<UnixListener>,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("path", &self.path)
            .finish()
    }
}

/// Subscriptions are told apart by what they hash to.
impl Hash for Listener {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.path.hash(state);
    }
}

/// The socket for `notes_dir`, in `runtime_dir`: named by a hash of the
/// folder's canonical path (FNV, which unlike std's hasher is the same in
/// every build, so that two versions of BrainDump find each other).
pub fn socket_path(runtime_dir: &Path, notes_dir: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(notes_dir).unwrap_or_else(|_| notes_dir.to_path_buf());
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(canonical.as_os_str().as_bytes());
    runtime_dir.join(format!("braindump-{:016x}.sock", hasher.finish()))
}

/// Claims `notes_dir` for this process, or hands `request` over to the
/// BrainDump that has it.
pub fn claim(runtime_dir: &Path, notes_dir: &Path, request: &Request) -> io::Result<Claim> {
    std::fs::create_dir_all(runtime_dir)?;
    let path = socket_path(runtime_dir, notes_dir);
    // Again when another launch binds between our two steps.
    for _ in 0..3 {
        match UnixStream::connect(&path) {
            Ok(stream) => {
                return Ok(if hand_over(stream, request).is_ok() {
                    Claim::HandedOver
                } else {
                    Claim::Unanswered
                });
            }
            // Nobody listens: a socket left by a BrainDump that is gone.
            Err(error) if error.kind() == io::ErrorKind::ConnectionRefused => {
                let _ = std::fs::remove_file(&path);
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
        match UnixListener::bind(&path) {
            Ok(socket) => {
                let inode = std::fs::metadata(&path)?.ino();
                return Ok(Claim::First(Listener {
                    path,
                    inode,
                    socket: Arc::new(socket),
                }));
            }
            Err(error) if error.kind() == io::ErrorKind::AddrInUse => continue,
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other(
        "the single-instance socket kept changing hands",
    ))
}

fn hand_over(mut stream: UnixStream, request: &Request) -> io::Result<()> {
    stream.set_read_timeout(Some(ANSWER_WITHIN))?;
    stream.set_write_timeout(Some(ANSWER_WITHIN))?;
    stream.write_all(&request.encode())?;
    // The end of the request.
    stream.shutdown(std::net::Shutdown::Write)?;
    let mut answer = [0; ANSWER.len()];
    stream.read_exact(&mut answer)?;
    if answer == ANSWER {
        Ok(())
    } else {
        Err(io::Error::other("an unexpected answer"))
    }
}

impl Listener {
    /// Each later launch's request to come to the front. Runs on the
    /// app's async runtime (a subscription), never on the UI thread.
    pub fn requests(&self) -> impl Stream<Item = Request> + Send + use<> {
        let socket = self.socket.try_clone().and_then(|socket| {
            socket.set_nonblocking(true)?;
            Ok(socket)
        });
        futures::stream::unfold(
            (socket.ok(), None::<tokio::net::UnixListener>),
            |(mut std_socket, mut listener)| async move {
                if listener.is_none() {
                    listener = tokio::net::UnixListener::from_std(std_socket.take()?).ok();
                }
                let socket = listener.as_ref()?;
                loop {
                    let Ok((stream, _)) = socket.accept().await else {
                        // Out of file descriptors, most likely: give the
                        // process a moment rather than spin.
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    };
                    if let Ok(request) = answer(stream).await {
                        return Some((request, (None, listener)));
                    }
                }
            },
        )
    }

    /// Removes the socket file at exit, if it is still ours.
    pub fn release(&self) {
        if std::fs::metadata(&self.path).is_ok_and(|metadata| metadata.ino() == self.inode) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

async fn answer(mut stream: tokio::net::UnixStream) -> io::Result<Request> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let read = async {
        let mut bytes = Vec::new();
        let mut chunk = [0; 4096];
        loop {
            let read = stream.read(&mut chunk).await?;
            bytes.extend_from_slice(&chunk[..read]);
            // An older BrainDump sends `activate\n` and waits for the
            // answer without closing its end: it is answered at once.
            if let Some(request) = Request::decode(&bytes, read == 0) {
                return Ok(request);
            }
            if read == 0 || bytes.len() > MAX_REQUEST {
                return Err(io::Error::other("an unexpected request"));
            }
        }
    };
    let request = tokio::time::timeout(ANSWER_WITHIN, read)
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
    stream.write_all(ANSWER).await?;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;

    #[tokio::test]
    async fn a_second_launch_hands_over_and_a_stale_socket_is_replaced() {
        let runtime = tempfile::tempdir().unwrap();
        let notes = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(runtime.path(), notes.path(), &Request::Activate).unwrap()
        else {
            panic!("the first launch has the folder");
        };
        let mut requests = Box::pin(first.requests());
        // The second launch blocks on its answer: on a thread of its own.
        let second = {
            let (runtime, notes) = (runtime.path().to_owned(), notes.path().to_owned());
            tokio::task::spawn_blocking(move || claim(&runtime, &notes, &Request::Activate))
        };
        assert_eq!(requests.next().await, Some(Request::Activate));
        assert!(matches!(second.await.unwrap().unwrap(), Claim::HandedOver));

        // A note to open travels with the request, whatever its name holds.
        let note = PathBuf::from("/somewhere/a note\nwith a newline.md");
        let third = {
            let (runtime, notes) = (runtime.path().to_owned(), notes.path().to_owned());
            let request = Request::Open(note.clone());
            tokio::task::spawn_blocking(move || claim(&runtime, &notes, &request))
        };
        assert_eq!(requests.next().await, Some(Request::Open(note)));
        assert!(matches!(third.await.unwrap().unwrap(), Claim::HandedOver));
        let fourth = {
            let (runtime, notes) = (runtime.path().to_owned(), notes.path().to_owned());
            tokio::task::spawn_blocking(move || claim(&runtime, &notes, &Request::NewNote))
        };
        assert_eq!(requests.next().await, Some(Request::NewNote));
        assert!(matches!(fourth.await.unwrap().unwrap(), Claim::HandedOver));

        // Another folder is another BrainDump's.
        let other = tempfile::tempdir().unwrap();
        let Claim::First(elsewhere) =
            claim(runtime.path(), other.path(), &Request::Activate).unwrap()
        else {
            panic!("another folder is not handed over");
        };
        elsewhere.release();

        // The first one gone without cleaning up: its socket file stays,
        // refusing connections; the next launch takes the folder.
        drop(requests);
        drop(first);
        assert!(socket_path(runtime.path(), notes.path()).exists());
        let Claim::First(next) = claim(runtime.path(), notes.path(), &Request::Activate).unwrap()
        else {
            panic!("a stale socket is replaced");
        };
        next.release();
        assert!(!socket_path(runtime.path(), notes.path()).exists());
    }
}
