//! Safe SDK for Plugboard native plugins in Rust (ABI v1).
//!
//! Implement [`Plugin`] and export it with [`export_plugin!`]. Every export the macro generates runs inside
//! `catch_unwind`: a panic becomes `PB_ERR_PANIC` plus a `set_error` message, never an abort across the FFI edge.
//! Rust plugins never declare themselves unloadable (thread-local destructors registered by std would run after
//! `dlclose`), so the host keeps the library mapped.
//!
//! Soundness: no safe Rust written against this crate can crash or hang the host.
//! - [`Host`] may be copied anywhere (other threads, statics) but is checked on every use: after `shutdown` (or
//!   once a later `init` replaced it) every method returns `Err` with `PB_ERR_NO_CALL`, and `shutdown` waits for a
//!   host function in progress to return before the host table goes away.
//! - `invoke` is never re-entered: a call that would enter the plugin again on a thread where it is already running
//!   (a host callback that calls back in) gets `PB_ERR_REENTERED` instead of the deadlock a mutex would give.

pub mod abi;

use std::any::Any;
use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};

pub use abi::{PB_ERR_FAILED, PB_ERR_INVALID_ARGUMENT, PB_ERR_NO_CALL, PB_ERR_REENTERED, PB_ERR_UNSUPPORTED, PB_FLAG_THREAD_SAFE, PB_OK};

/// A failed plugin function: a negative status and a message the host shows.
#[derive(Debug, Clone)]
pub struct Error {
    pub status: i32,
    pub message: String,
}

impl Error {
    /// A failure with `PB_ERR_FAILED`.
    pub fn new(message: impl Into<String>) -> Self {
        Self { status: abi::PB_ERR_FAILED, message: message.into() }
    }

    /// A failure with a specific negative status.
    pub fn with_status(status: i32, message: impl Into<String>) -> Self {
        Self { status: if status < 0 { status } else { abi::PB_ERR_FAILED }, message: message.into() }
    }
}

/// Log levels of `host->log` (match `Plugboard.PluginLogLevel`).
#[derive(Clone, Copy, Debug)]
pub enum LogLevel {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warning = 3,
    Error = 4,
    Critical = 5,
}

/// The host table as seen by one `init`: which table, and which generation of the plugin it belongs to.
/// Owned by the plugin's slot; [`Host`] handles read it under the lock, `shutdown` clears it under the lock.
pub struct HostState {
    current: RwLock<Option<(usize, u64)>>,
}

impl HostState {
    const fn new() -> Self {
        Self { current: RwLock::new(None) }
    }
}

static GENERATIONS: AtomicU64 = AtomicU64::new(0);

/// A handle to the host table. Copy it freely (also to other threads or statics): every method checks that the
/// plugin instance it was given to is still initialized, and holds a read lock while the host function runs, so
/// `shutdown` cannot free the table under it. After `shutdown` every method returns `Err` (`PB_ERR_NO_CALL`).
#[derive(Clone, Copy)]
pub struct Host {
    state: &'static HostState,
    generation: u64,
}

impl Host {
    fn with<R>(&self, f: impl FnOnce(&abi::PbHost) -> R) -> Result<R, Error> {
        let guard = self.state.current.read().unwrap_or_else(|e| e.into_inner());
        match *guard {
            // The table lives until shutdown returns, and shutdown takes the write lock before it returns.
            Some((raw, generation)) if generation == self.generation => Ok(f(unsafe { &*(raw as *const abi::PbHost) })),
            _ => Err(Error::with_status(abi::PB_ERR_NO_CALL, "the host table was used after the plugin was shut down")),
        }
    }

    /// Writes a log line to the host's log. `Err` after shutdown or when the host refuses the line.
    pub fn log(&self, level: LogLevel, message: &str) -> Result<(), Error> {
        let status = self.with(|host| match host.log {
            Some(log) => unsafe { log(host.host_ctx, level as i32, message.as_ptr(), message.len()) },
            None => abi::PB_OK,
        })?;
        if status < 0 { Err(Error::with_status(status, "the host refused the log line")) } else { Ok(()) }
    }

    /// Records why the current call fails; the SDK does this for returned [`Error`]s already.
    pub fn set_error(&self, status: i32, message: &str) -> Result<(), Error> {
        self.with(|host| {
            if let Some(set_error) = host.set_error {
                unsafe { set_error(host.host_ctx, status, message.as_ptr(), message.len()) };
            }
        })
    }

    /// Looks up a host interface by versioned id ("notebook.notes/1"); null when the host has none or after shutdown.
    /// The caller casts the pointer to the interface's `#[repr(C)]` table (which needs `unsafe` to use).
    pub fn get_interface(&self, id: &str) -> *const c_void {
        self.with(|host| match host.get_interface {
            Some(get) => unsafe { get(host.host_ctx, id.as_ptr(), id.len()) },
            None => std::ptr::null(),
        })
        .unwrap_or(std::ptr::null())
    }
}

/// The host's opaque per-call context (`call_ctx`), to pass to call-scoped host interfaces. Valid only during invoke.
#[derive(Clone, Copy)]
pub struct Call {
    raw: *mut c_void,
}

impl Call {
    /// The raw pointer, for calling host interface functions.
    pub fn as_ptr(&self) -> *mut c_void {
        self.raw
    }
}

/// The host's output sink for one invoke. Bytes are copied by the host; nothing changes owner.
pub struct Output {
    ctx: *mut c_void,
    write: Option<abi::PbWriteFn>,
}

impl Output {
    /// Appends bytes to the output.
    pub fn write(&mut self, data: &[u8]) -> Result<(), Error> {
        let write = self.write.ok_or_else(|| Error::with_status(abi::PB_ERR_INVALID_ARGUMENT, "the host passed no output sink"))?;
        let status = unsafe { write(self.ctx, data.as_ptr(), data.len()) };
        if status < 0 { Err(Error::with_status(status, "the host's output sink refused the data")) } else { Ok(()) }
    }

    /// Appends UTF-8 text to the output.
    pub fn write_str(&mut self, text: &str) -> Result<(), Error> {
        self.write(text.as_bytes())
    }
}

/// A plugin-owned sink that collects what a host function writes (for host functions that return text).
/// Pass [`TextSink::ctx`] and [`TextSink::WRITE`] as the `(out_ctx, out_write)` pair.
#[derive(Default)]
pub struct TextSink {
    bytes: Vec<u8>,
}

impl TextSink {
    /// The write function matching `pb_write_fn`.
    pub const WRITE: abi::PbWriteFn = text_sink_write;

    /// The sink context pointer for this sink.
    pub fn ctx(&mut self) -> *mut c_void {
        self as *mut TextSink as *mut c_void
    }

    /// The collected text, checked to be UTF-8.
    pub fn into_string(self) -> Result<String, Error> {
        String::from_utf8(self.bytes).map_err(|_| Error::with_status(abi::PB_ERR_INVALID_UTF8, "the host wrote invalid UTF-8"))
    }
}

unsafe extern "C" fn text_sink_write(ctx: *mut c_void, data: *const u8, len: usize) -> i32 {
    if ctx.is_null() || (data.is_null() && len != 0) {
        return abi::PB_ERR_INVALID_ARGUMENT;
    }
    let sink = unsafe { &mut *(ctx as *mut TextSink) };
    if len > 0 {
        sink.bytes.extend_from_slice(unsafe { std::slice::from_raw_parts(data, len) });
    }
    abi::PB_OK
}

/// A native plugin. The SDK keeps one instance, created by `init` and dropped after `shutdown`.
/// `invoke` gets `&mut self`: the SDK serializes calls with a mutex (declare `FLAGS = PB_FLAG_THREAD_SAFE` only
/// if the host may call concurrently; the SDK still takes the lock, so the plugin stays memory-safe).
pub trait Plugin: Sized + Send + 'static {
    /// Must equal the manifest's id.
    const ID: &'static str;
    /// Human-readable name.
    const NAME: &'static str;
    /// Semantic version.
    const VERSION: &'static str;
    /// `PB_FLAG_*`; never `PB_FLAG_UNLOADABLE` for Rust (see crate docs).
    const FLAGS: u64 = 0;

    /// Creates the plugin. Runs once, on the host's loading thread.
    fn init(host: Host) -> Result<Self, Error>;

    /// Runs an operation.
    fn invoke(&mut self, call: Call, op: &str, input: &[u8], output: &mut Output) -> Result<(), Error>;

    /// The table this plugin serves for an interface id (the descriptor's `get_interface`), or null. A contract the
    /// host calls the plugin through (e.g. `notebook.processor/1`) is served with the `..._plugin_table::<Self>()`
    /// the module `plugboard bindgen --lang rust` emits: its functions reach this instance as `invoke` does.
    fn get_interface(_id: &str) -> *const c_void {
        std::ptr::null()
    }

    /// Called once before the instance is dropped.
    fn shutdown(&mut self) {}
}

/// Per-plugin static state the [`export_plugin!`] macro creates. Not for direct use.
pub struct PluginSlot<P> {
    descriptor: OnceLock<SyncDescriptor>,
    host: AtomicPtr<abi::PbHost>,
    host_state: HostState,
    state: Mutex<Option<P>>,
    /// The thread running `invoke` (an address unique per live thread), 0 when none: the re-entrancy check.
    invoking: AtomicUsize,
}

struct SyncDescriptor(abi::PbPlugin);
// The descriptor is immutable after creation and only holds pointers to 'static data and functions.
unsafe impl Send for SyncDescriptor {}
unsafe impl Sync for SyncDescriptor {}

impl<P> PluginSlot<P> {
    /// An empty slot (const so it can be a `static`).
    pub const fn new() -> Self {
        Self {
            descriptor: OnceLock::new(),
            host: AtomicPtr::new(std::ptr::null_mut()),
            host_state: HostState::new(),
            state: Mutex::new(None),
            invoking: AtomicUsize::new(0),
        }
    }
}

impl<P> Default for PluginSlot<P> {
    fn default() -> Self {
        Self::new()
    }
}

fn panic_message(payload: &Box<dyn Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

fn report(host: *const abi::PbHost, error: &Error) -> i32 {
    // Only called inside init, invoke or shutdown, while the table is valid.
    if !host.is_null() {
        let table = unsafe { &*host };
        if let Some(set_error) = table.set_error {
            unsafe { set_error(table.host_ctx, error.status, error.message.as_ptr(), error.message.len()) };
        }
    }
    error.status
}

thread_local! {
    // Its address names the current thread while the thread lives; a u8 registers no TLS destructor.
    static THREAD_MARK: u8 = const { 0 };
}

fn current_thread_mark() -> usize {
    THREAD_MARK.with(|mark| mark as *const u8 as usize)
}

/// Clears the re-entrancy mark when `invoke` ends, also when it panicked.
struct Invoking<'a>(&'a AtomicUsize);

impl Drop for Invoking<'_> {
    fn drop(&mut self) {
        self.0.store(0, Ordering::Release);
    }
}

/// Runs `f` so that neither a panic nor an `Err` crosses the FFI boundary.
fn guarded(host: *const abi::PbHost, what: &str, f: impl FnOnce() -> Result<(), Error>) -> i32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => abi::PB_OK,
        Ok(Err(error)) => report(host, &error),
        Err(payload) => {
            let error = Error::with_status(abi::PB_ERR_PANIC, format!("panic in {what}: {}", panic_message(&payload)));
            report(host, &error)
        }
    }
}

/// The body of `plugboard_entry_v1`; the macro calls it. Not for direct use.
pub fn entry<P: Plugin>(slot: &'static PluginSlot<P>, host: *const abi::PbHost) -> *const abi::PbPlugin {
    let result = catch_unwind(AssertUnwindSafe(|| {
        if host.is_null() {
            return std::ptr::null();
        }
        // Refuse a host that is not an ABI-1 host table rather than misreading its fields.
        let table = unsafe { &*host };
        if table.magic != abi::HOST_MAGIC || table.abi_major != abi::ABI_MAJOR || (table.struct_size as usize) < std::mem::size_of::<abi::PbHost>() {
            return std::ptr::null();
        }
        let descriptor = slot.descriptor.get_or_init(|| {
            SyncDescriptor(abi::PbPlugin {
                magic: abi::PLUGIN_MAGIC,
                struct_size: std::mem::size_of::<abi::PbPlugin>() as u32,
                abi_major: abi::ABI_MAJOR,
                abi_minor: abi::ABI_MINOR,
                id: P::ID.as_ptr(),
                id_len: P::ID.len(),
                name: P::NAME.as_ptr(),
                name_len: P::NAME.len(),
                version: P::VERSION.as_ptr(),
                version_len: P::VERSION.len(),
                flags: P::FLAGS & !abi::PB_FLAG_UNLOADABLE,
                plugin_ctx: slot as *const PluginSlot<P> as *mut c_void,
                init: Some(init_thunk::<P>),
                shutdown: Some(shutdown_thunk::<P>),
                get_interface: Some(get_interface_thunk::<P>),
                invoke: Some(invoke_thunk::<P>),
            })
        });
        &descriptor.0 as *const abi::PbPlugin
    }));
    result.unwrap_or(std::ptr::null())
}

fn slot<P>(ctx: *mut c_void) -> &'static PluginSlot<P> {
    unsafe { &*(ctx as *const PluginSlot<P>) }
}

unsafe extern "C" fn init_thunk<P: Plugin>(ctx: *mut c_void, host: *const abi::PbHost) -> i32 {
    let slot = slot::<P>(ctx);
    slot.host.store(host as *mut abi::PbHost, Ordering::Release);
    guarded(host, "init", || {
        if host.is_null() {
            return Err(Error::with_status(abi::PB_ERR_INVALID_ARGUMENT, "host table is null"));
        }
        let generation = GENERATIONS.fetch_add(1, Ordering::Relaxed) + 1;
        *slot.host_state.current.write().unwrap_or_else(|e| e.into_inner()) = Some((host as usize, generation));
        let plugin = match P::init(Host { state: &slot.host_state, generation }) {
            Ok(plugin) => plugin,
            Err(error) => {
                *slot.host_state.current.write().unwrap_or_else(|e| e.into_inner()) = None;
                return Err(error);
            }
        };
        *slot.state.lock().unwrap_or_else(|e| e.into_inner()) = Some(plugin);
        Ok(())
    })
}

unsafe extern "C" fn shutdown_thunk<P: Plugin>(ctx: *mut c_void) {
    let slot = slot::<P>(ctx);
    let host = slot.host.load(Ordering::Acquire);
    let _ = guarded(host, "shutdown", || {
        let mut state = slot.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(mut plugin) = state.take() {
            plugin.shutdown();
        }
        drop(state);
        // Waits for any host function in progress on a copied Host, then makes every copy fail from now on.
        *slot.host_state.current.write().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    });
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn invoke_thunk<P: Plugin>(
    ctx: *mut c_void,
    call_ctx: *mut c_void,
    op: *const u8,
    op_len: usize,
    input: *const u8,
    input_len: usize,
    out_ctx: *mut c_void,
    out_write: Option<abi::PbWriteFn>,
) -> i32 {
    let slot = slot::<P>(ctx);
    let host = slot.host.load(Ordering::Acquire);
    guarded(host, "invoke", || {
        let op = unsafe { borrowed(op, op_len) }?;
        let op = std::str::from_utf8(op).map_err(|_| Error::with_status(abi::PB_ERR_INVALID_UTF8, "operation name is not UTF-8"))?;
        let input = unsafe { borrowed(input, input_len) }?;
        let mut output = Output { ctx: out_ctx, write: out_write };
        entered(slot, || format!("invoke('{op}')"), |plugin| plugin.invoke(Call { raw: call_ctx }, op, input, &mut output))
    })
}

/// Runs `f` on the plugin instance: one call at a time (the mutex), never re-entered on this thread.
/// `what` names the call in an error (formatted only then: the call itself allocates nothing).
fn entered<P: Plugin>(slot: &PluginSlot<P>, what: impl Fn() -> String, f: impl FnOnce(&mut P) -> Result<(), Error>) -> Result<(), Error> {
    // The plugin gets `&mut self`, so it must never be entered twice at once. Another thread waits for the lock;
    // this thread (re-entering through a host callback) would wait for itself forever: refuse instead.
    let me = current_thread_mark();
    if slot.invoking.load(Ordering::Acquire) == me {
        return Err(Error::with_status(
            abi::PB_ERR_REENTERED,
            format!("{} re-entered the plugin on a thread where it is already running (through a host callback); the Rust SDK refuses re-entry", what()),
        ));
    }
    // A panic while holding the lock poisons it; recover the guard so the plugin stays callable.
    let mut state = slot.state.lock().unwrap_or_else(|e| e.into_inner());
    slot.invoking.store(me, Ordering::Release);
    let _invoking = Invoking(&slot.invoking);
    let plugin = state.as_mut().ok_or_else(|| Error::new(format!("{} before init or after shutdown", what())))?;
    f(plugin)
}

unsafe extern "C" fn get_interface_thunk<P: Plugin>(_ctx: *mut c_void, id: *const u8, id_len: usize) -> *const c_void {
    // Not an error path: an id the plugin does not know (or cannot read) is answered with NULL.
    catch_unwind(|| match unsafe { borrowed(id, id_len) }.ok().and_then(|id| std::str::from_utf8(id).ok()) {
        Some(id) => P::get_interface(id),
        None => std::ptr::null(),
    })
    .unwrap_or(std::ptr::null())
}

/// The body of a function of a contract table the plugin serves (the emitted `..._plugin_table::<P>()`): the same
/// rules as `invoke` (serialized, never re-entered, `Err` and panics reported with `set_error`). Not for direct use.
///
/// # Safety
/// `plugin_ctx` must be the context the host passes to the plugin's functions: the descriptor's `plugin_ctx` of `P`.
#[doc(hidden)]
pub unsafe fn contract_call<P: Plugin>(plugin_ctx: *mut c_void, what: &str, f: impl FnOnce(&mut P) -> Result<(), Error>) -> i32 {
    if plugin_ctx.is_null() {
        return abi::PB_ERR_INVALID_ARGUMENT;
    }
    let slot = slot::<P>(plugin_ctx);
    let host = slot.host.load(Ordering::Acquire);
    guarded(host, what, || entered(slot, || what.to_string(), f))
}

unsafe fn borrowed<'a>(data: *const u8, len: usize) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(Error::with_status(abi::PB_ERR_INVALID_ARGUMENT, "null pointer with non-zero length"));
    }
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Exports `plugboard_entry_v1` for a [`Plugin`] type: `plugboard::export_plugin!(MyPlugin);`
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        #[unsafe(no_mangle)]
        pub extern "C" fn plugboard_entry_v1(host: *const $crate::abi::PbHost) -> *const $crate::abi::PbPlugin {
            static SLOT: $crate::PluginSlot<$plugin> = $crate::PluginSlot::new();
            $crate::entry::<$plugin>(&SLOT, host)
        }
    };
}
