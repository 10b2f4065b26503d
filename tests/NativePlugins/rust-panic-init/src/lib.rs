//! Test plugin: panics inside init. The SDK must turn the panic into PB_ERR_PANIC + set_error, not an abort.

use plugboard::{Call, Error, Host, Output, Plugin};

struct PanicInInit;

impl Plugin for PanicInInit {
    const ID: &'static str = "rust-panic-init";
    const NAME: &'static str = "Panics in init";
    const VERSION: &'static str = "1.0.0";

    fn init(_host: Host) -> Result<Self, Error> {
        let config: Option<&str> = None;
        panic!("configuration missing: {}", config.unwrap_or("wordlist.txt"));
    }

    fn invoke(&mut self, _call: Call, _op: &str, _input: &[u8], _output: &mut Output) -> Result<(), Error> {
        Ok(())
    }
}

plugboard::export_plugin!(PanicInInit);
