//! Raw `#[repr(C)]` mirrors of `native/include/plugboard.h`. Field order and types must match the header exactly.

use std::ffi::c_void;

pub const ABI_MAJOR: u32 = 1;
pub const ABI_MINOR: u32 = 1;
pub const HOST_MAGIC: u32 = 0x5448_4250;
pub const PLUGIN_MAGIC: u32 = 0x4450_4250;

pub const PB_OK: i32 = 0;
pub const PB_ERR_FAILED: i32 = -1;
pub const PB_ERR_INVALID_ARGUMENT: i32 = -2;
pub const PB_ERR_UNSUPPORTED: i32 = -3;
pub const PB_ERR_NOT_FOUND: i32 = -4;
pub const PB_ERR_INVALID_UTF8: i32 = -5;
pub const PB_ERR_PANIC: i32 = -6;
pub const PB_ERR_BUFFER_TOO_SMALL: i32 = -7;
pub const PB_ERR_NO_CALL: i32 = -8;
pub const PB_ERR_REENTERED: i32 = -9;

pub const PB_FLAG_THREAD_SAFE: u64 = 1;
pub const PB_FLAG_UNLOADABLE: u64 = 2;

/// `pb_write_fn`: a caller-owned output sink.
pub type PbWriteFn = unsafe extern "C" fn(sink_ctx: *mut c_void, data: *const u8, len: usize) -> i32;

/// `pb_host`.
#[repr(C)]
pub struct PbHost {
    pub magic: u32,
    pub struct_size: u32,
    pub abi_major: u32,
    pub abi_minor: u32,
    pub host_ctx: *mut c_void,
    pub log: Option<unsafe extern "C" fn(*mut c_void, i32, *const u8, usize) -> i32>,
    pub set_error: Option<unsafe extern "C" fn(*mut c_void, i32, *const u8, usize) -> i32>,
    pub get_interface: Option<unsafe extern "C" fn(*mut c_void, *const u8, usize) -> *const c_void>,
}

/// `pb_plugin`.
#[repr(C)]
pub struct PbPlugin {
    pub magic: u32,
    pub struct_size: u32,
    pub abi_major: u32,
    pub abi_minor: u32,
    pub id: *const u8,
    pub id_len: usize,
    pub name: *const u8,
    pub name_len: usize,
    pub version: *const u8,
    pub version_len: usize,
    pub flags: u64,
    pub plugin_ctx: *mut c_void,
    pub init: Option<unsafe extern "C" fn(*mut c_void, *const PbHost) -> i32>,
    pub shutdown: Option<unsafe extern "C" fn(*mut c_void)>,
    pub get_interface: Option<unsafe extern "C" fn(*mut c_void, *const u8, usize) -> *const c_void>,
    pub invoke: Option<
        unsafe extern "C" fn(
            plugin_ctx: *mut c_void,
            call_ctx: *mut c_void,
            op: *const u8,
            op_len: usize,
            input: *const u8,
            input_len: usize,
            out_ctx: *mut c_void,
            out_write: Option<PbWriteFn>,
        ) -> i32,
    >,
}
