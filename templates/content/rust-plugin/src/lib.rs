//! hello_rust: a native Plugboard plugin in Rust (ABI v1 through the `plugboard` SDK crate).
//!
//! Operations: "echo" returns its input, "ping" returns "pong". Add yours in `invoke`.
//! The SDK catches panics at the boundary (the host reports them as PB0409) and serializes calls.

use plugboard::{Call, Error, Host, LogLevel, Output, Plugin};

struct HelloRust;

impl Plugin for HelloRust {
    // Must equal the "id" in plugin.json.
    const ID: &'static str = "hello_rust";
    const NAME: &'static str = "hello_rust";
    const VERSION: &'static str = "1.0.0";

    fn init(host: Host) -> Result<Self, Error> {
        let _ = host.log(LogLevel::Info, "hello_rust ready");
        Ok(HelloRust)
    }

    fn invoke(&mut self, _call: Call, op: &str, input: &[u8], out: &mut Output) -> Result<(), Error> {
        match op {
            "echo" => out.write(input),
            "ping" => out.write(b"pong"),
            _ => Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, format!("unknown operation '{op}'"))),
        }
    }
}

plugboard::export_plugin!(HelloRust);
