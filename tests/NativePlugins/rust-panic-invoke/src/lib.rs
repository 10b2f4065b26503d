//! Test plugin: echoes, panics on op "panic", errors on op "fail". After a panic it must keep answering.

use plugboard::{Call, Error, Host, Output, Plugin};

struct PanicInInvoke {
    calls: u64,
}

impl Plugin for PanicInInvoke {
    const ID: &'static str = "rust-panic-invoke";
    const NAME: &'static str = "Panics in invoke";
    const VERSION: &'static str = "1.0.0";

    fn init(_host: Host) -> Result<Self, Error> {
        Ok(Self { calls: 0 })
    }

    fn invoke(&mut self, _call: Call, op: &str, input: &[u8], output: &mut Output) -> Result<(), Error> {
        self.calls += 1;
        match op {
            "panic" => {
                let items: Vec<u32> = Vec::new();
                let index = input.len() + 3;
                output.write_str(&items[index].to_string())
            }
            "fail" => Err(Error::with_status(plugboard::PB_ERR_INVALID_ARGUMENT, "rust says no")),
            "calls" => output.write_str(&self.calls.to_string()),
            _ => output.write(input),
        }
    }
}

plugboard::export_plugin!(PanicInInvoke);
