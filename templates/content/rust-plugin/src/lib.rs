//! hello_rust: a native Plugboard plugin (Rust).
//!
//! PREVIEW TEMPLATE. Plugboard's native ABI and its Rust SDK crate are not part of the release this template
//! shipped with, so this crate only exports the entry point the host looks for:
//!
//! ```c
//! const pb_plugin *plugboard_entry_v1(const pb_host *host);
//! ```
//!
//! It returns null ("no plugin"), which the host reports as a load error. Once the ABI is available, depend on the
//! Plugboard crate, return a static descriptor and catch every panic at the boundary (docs/native-abi.md).

use std::ffi::c_void;

/// The ABI-1 entry point. Returns null until the plugin is filled in.
///
/// # Safety
/// Called by the host with its host table; the pointer is not dereferenced here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn plugboard_entry_v1(_host: *const c_void) -> *const c_void {
    std::ptr::null()
}
