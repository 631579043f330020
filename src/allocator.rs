//! How the reader asks the C allocator for memory back. glibc keeps what a program frees in
//! per-thread arenas and, after a large block is freed, serves larger and larger blocks from
//! them too; a build that allocates and frees much on worker threads then holds twice the
//! memory it uses. Large blocks are mapped on their own here (and so given back when freed),
//! and the free pages inside the arenas are given back after each stretch of such work.
//! Elsewhere than glibc these do nothing.

/// Blocks at least this large get a mapping of their own, given back when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const OWN_MAPPING: i32 = 128 * 1024;

/// Sets the allocator up as the module says; called once, first thing (before any thread),
/// by the reader and the commands that read the library.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocation thresholds; it is called before any
    // other thread exists and takes no pointers.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_MAPPING);
        libc::mallopt(libc::M_TRIM_THRESHOLD, OWN_MAPPING);
    }
}

/// Gives the free pages the allocator holds, in every arena, back to the system.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
