//! One BrainDump per notes folder. The first launch listens on a Unix
//! socket in the runtime folder, named after the notes folder; a later
//! launch on the same folder connects, asks it to come to the front, and
//! exits instead of opening a second window on the same notes. A socket
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

const REQUEST: &[u8] = b"activate\n";
const ANSWER: &[u8] = b"ok\n";
/// How long a launch waits for the running BrainDump to answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);

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

/// Claims `notes_dir` for this process, or hands over to the BrainDump
/// that has it.
pub fn claim(runtime_dir: &Path, notes_dir: &Path) -> io::Result<Claim> {
    std::fs::create_dir_all(runtime_dir)?;
    let path = socket_path(runtime_dir, notes_dir);
    // Again when another launch binds between our two steps.
    for _ in 0..3 {
        match UnixStream::connect(&path) {
            Ok(stream) => {
                return Ok(if hand_over(stream).is_ok() {
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

fn hand_over(mut stream: UnixStream) -> io::Result<()> {
    stream.set_read_timeout(Some(ANSWER_WITHIN))?;
    stream.set_write_timeout(Some(ANSWER_WITHIN))?;
    stream.write_all(REQUEST)?;
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
    pub fn requests(&self) -> impl Stream<Item = ()> + Send + use<> {
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
                    if answer(stream).await.is_ok() {
                        return Some(((), (None, listener)));
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

async fn answer(mut stream: tokio::net::UnixStream) -> io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut request = [0; REQUEST.len()];
    tokio::time::timeout(ANSWER_WITHIN, stream.read_exact(&mut request))
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
    if request != REQUEST {
        return Err(io::Error::other("an unexpected request"));
    }
    stream.write_all(ANSWER).await
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;

    use super::*;

    #[tokio::test]
    async fn a_second_launch_hands_over_and_a_stale_socket_is_replaced() {
        let runtime = tempfile::tempdir().unwrap();
        let notes = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(runtime.path(), notes.path()).unwrap() else {
            panic!("the first launch has the folder");
        };
        let mut requests = Box::pin(first.requests());
        // The second launch blocks on its answer: on a thread of its own.
        let second = {
            let (runtime, notes) = (runtime.path().to_owned(), notes.path().to_owned());
            tokio::task::spawn_blocking(move || claim(&runtime, &notes))
        };
        requests.next().await.expect("the first launch is asked");
        assert!(matches!(second.await.unwrap().unwrap(), Claim::HandedOver));

        // Another folder is another BrainDump's.
        let other = tempfile::tempdir().unwrap();
        let Claim::First(elsewhere) = claim(runtime.path(), other.path()).unwrap() else {
            panic!("another folder is not handed over");
        };
        elsewhere.release();

        // The first one gone without cleaning up: its socket file stays,
        // refusing connections; the next launch takes the folder.
        drop(requests);
        drop(first);
        assert!(socket_path(runtime.path(), notes.path()).exists());
        let Claim::First(next) = claim(runtime.path(), notes.path()).unwrap() else {
            panic!("a stale socket is replaced");
        };
        next.release();
        assert!(!socket_path(runtime.path(), notes.path()).exists());
    }
}
