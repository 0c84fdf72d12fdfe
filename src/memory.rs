//! Giving freed memory back to the system.
//!
//! A big note in the editor can hold hundreds of megabytes of shaped text:
//! cosmic-text keeps layout data for every line it has shaped, about 21 KB
//! a line, and a 2 MB note read to its end has 32,000 of them (~700 MB;
//! the editor shapes lines as they come into view, see
//! `Workspace::show_text`). When the note is closed that memory is freed,
//! but glibc's allocator keeps freed pages that lie below memory still in
//! use, so the process stayed at its peak (790 MB after going back to a 2
//! KB note). `malloc_trim` hands every whole free page back; measured from
//! outside, the same steps end at 35 MB. No crate wraps this one call, so it is written here; other
//! allocators (macOS, Windows, musl) return memory on their own and get
//! nothing.

/// A note at least this long is big enough for its editor's memory to be
/// worth giving back once it is closed.
pub const BIG_TEXT: usize = 256 * 1024;

/// Hands the memory freed since to the system, on a blocking thread (it
/// walks the allocator's free lists: a few milliseconds with a large heap).
pub async fn give_back() {
    let _ = tokio::task::spawn_blocking(give_back_now).await;
}

/// [`give_back`], here: for a thread that may block.
pub fn give_back_now() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only reads and releases the allocator's own free
    // memory; it takes the allocator's locks itself and is safe to call
    // from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A folder of at least this many notes leaves enough freed behind once
/// listed, or once its words are found (the cache files read, the lookups
/// made), to be worth giving back: 100,000 notes leave ~40 MB.
pub const BIG_FOLDER: usize = 10_000;
