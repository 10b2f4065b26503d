//! A thread-safe Rust plugin in safe Rust whose host callback (log) may lead the host to call it again on the same
//! thread. The host allows re-entry into thread-safe plugins; the SDK must refuse it (`PB_ERR_REENTERED`), because
//! the plugin holds `&mut self`, instead of deadlocking on its own lock.
#![forbid(unsafe_code)]

use plugboard::{Call, Error, Host, LogLevel, Output, PB_FLAG_THREAD_SAFE, Plugin};

struct Reenter {
    host: Host,
}

impl Plugin for Reenter {
    const ID: &'static str = "rust-reenter";
    const NAME: &'static str = "Re-entered through a host callback";
    const VERSION: &'static str = "1.0.0";
    const FLAGS: u64 = PB_FLAG_THREAD_SAFE;

    fn init(host: Host) -> Result<Self, Error> {
        Ok(Self { host })
    }

    fn invoke(&mut self, _call: Call, op: &str, input: &[u8], output: &mut Output) -> Result<(), Error> {
        match op {
            "log" => {
                self.host.log(LogLevel::Info, &String::from_utf8_lossy(input))?;
                output.write_str("logged")
            }
            _ => output.write(input),
        }
    }
}

plugboard::export_plugin!(Reenter);
