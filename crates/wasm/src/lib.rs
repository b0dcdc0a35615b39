//! WebAssembly exports of kader's pure crates, with a small raw ABI and no
//! generated glue code:
//!
//! * Memory: the host allocates input buffers with [`kader_alloc`], writes
//!   UTF-8 text or bytes into them, passes `(ptr, len)` pairs, and frees
//!   them with [`kader_free`].
//! * Results that are text come back as one `u64`: the pointer in the high
//!   32 bits and the length in the low 32 bits of a buffer the host reads
//!   and then frees with `kader_free(ptr, len)`. Structured results are JSON.
//! * Long-lived objects (a searcher, a decision-tree widget) are [`Handles`]:
//!   an opaque `u32` to pass back, released by the matching `…_close`.
//!
//! The crate is built twice for the browser, once per feature, so a page
//! downloads only what it uses: `--no-default-features --features search`
//! gives `kader-search.wasm`, `--features classify` `kader-classify.wasm`,
//! `--features export` `kader-export.wasm`.

#[cfg(feature = "classify")]
pub mod classify;
#[cfg(feature = "export")]
pub mod export;
#[cfg(feature = "search")]
pub mod search;

/// Allocates `len` bytes for the host to write into.
#[no_mangle]
pub extern "C" fn kader_alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// Frees a buffer from [`kader_alloc`] or a packed result.
///
/// # Safety
/// `ptr` and `len` must describe a buffer this module handed out, freed once.
#[no_mangle]
pub unsafe extern "C" fn kader_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
    }
}

/// Borrows host-written bytes.
///
/// # Safety
/// `(ptr, len)` must be a live buffer from [`kader_alloc`].
pub unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// Borrows host-written UTF-8 text (invalid UTF-8 reads as empty).
///
/// # Safety
/// As [`bytes`].
pub unsafe fn text<'a>(ptr: *const u8, len: usize) -> &'a str {
    std::str::from_utf8(bytes(ptr, len)).unwrap_or("")
}

/// Hands a string to the host as a packed `(ptr << 32) | len`.
pub fn give(s: String) -> u64 {
    let mut bytes = s.into_bytes();
    bytes.shrink_to_fit();
    let len = bytes.len();
    let ptr = kader_alloc(len);
    // SAFETY: `ptr` has room for `len` bytes and does not overlap `bytes`.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, len) };
    ((ptr as usize as u64) << 32) | len as u64
}

/// Hands bytes to the host as a packed `(ptr << 32) | len` (as [`give`]).
pub fn give_bytes(bytes: Vec<u8>) -> u64 {
    let len = bytes.len();
    let ptr = kader_alloc(len);
    // SAFETY: `ptr` has room for `len` bytes and does not overlap `bytes`.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, len) };
    ((ptr as usize as u64) << 32) | len as u64
}

/// Open objects behind `u32` handles: handle h (≥ 1) is slot h − 1; a
/// closed slot is reused. Shared by the search and classify exports.
pub struct Handles<T> {
    slots: Vec<Option<T>>,
}

impl<T> Handles<T> {
    /// An empty table.
    pub const fn new() -> Self {
        Handles { slots: Vec::new() }
    }

    /// Stores `value`; its handle (0 only if the table is full).
    pub fn insert(&mut self, value: T) -> u32 {
        let i = match self.slots.iter().position(Option::is_none) {
            Some(i) => {
                self.slots[i] = Some(value);
                i
            }
            None => {
                self.slots.push(Some(value));
                self.slots.len() - 1
            }
        };
        u32::try_from(i + 1).unwrap_or(0)
    }

    /// The object of a handle.
    pub fn get_mut(&mut self, h: u32) -> Option<&mut T> {
        self.slots.get_mut((h as usize).checked_sub(1)?)?.as_mut()
    }

    /// Takes the object out; unknown handles give `None`.
    pub fn remove(&mut self, h: u32) -> Option<T> {
        let v = self.slots.get_mut((h as usize).checked_sub(1)?)?.take();
        while self.slots.last().is_some_and(Option::is_none) {
            self.slots.pop();
        }
        v
    }
}

impl<T> Default for Handles<T> {
    fn default() -> Self {
        Self::new()
    }
}
