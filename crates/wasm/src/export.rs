//! Spreadsheet exports of `kader-export` behind the raw C ABI (see the
//! crate docs for the memory conventions): the browser's "Exporteer" menu
//! writes the rows a visitor sees with the code that writes the site's
//! own files.
//!
//! ```text
//! export_write(format, catalog, selection)  // format 0 xlsx, 1 ods, 2 csv;
//!                                           // catalog: kennisbank-export.json,
//!                                           // selection: {checklist?, sheet?, keys?, filters?}
//!                                           // -> the file's bytes; empty on an error
//! export_error()                            // the last error, as text
//! ```

use kader_export::{Catalog, Selection};
use std::cell::RefCell;

use crate::{bytes, give, give_bytes};

thread_local! {
    static ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The file of `format` for `selection` of `catalog` (both JSON).
pub fn write(format: u32, catalog: &[u8], selection: &[u8]) -> Result<Vec<u8>, String> {
    let catalog: Catalog =
        serde_json::from_slice(catalog).map_err(|e| format!("export data: {e}"))?;
    let selection: Selection =
        serde_json::from_slice(selection).map_err(|e| format!("selection: {e}"))?;
    let book = kader_export::select(&catalog, &selection);
    match format {
        0 => kader_export::xlsx(&book).map_err(|e| e.to_string()),
        1 => kader_export::ods(&book).map_err(|e| e.to_string()),
        2 => Ok(kader_export::csv(&book).into_bytes()),
        n => Err(format!("unknown format {n}")),
    }
}

/// Writes a file: see [`write`].
///
/// # Safety
/// Both `(ptr, len)` pairs must be live buffers from [`crate::kader_alloc`] (or null).
#[no_mangle]
pub unsafe extern "C" fn export_write(
    format: u32,
    catalog_ptr: *const u8,
    catalog_len: usize,
    selection_ptr: *const u8,
    selection_len: usize,
) -> u64 {
    let result = write(
        format,
        bytes(catalog_ptr, catalog_len),
        bytes(selection_ptr, selection_len),
    );
    match result {
        Ok(file) => {
            ERROR.with(|e| e.borrow_mut().clear());
            give_bytes(file)
        }
        Err(message) => {
            ERROR.with(|e| *e.borrow_mut() = message);
            give_bytes(Vec::new())
        }
    }
}

/// The error of the last [`export_write`] that failed (empty after a success).
#[no_mangle]
pub extern "C" fn export_error() -> u64 {
    give(ERROR.with(|e| e.borrow().clone()))
}
