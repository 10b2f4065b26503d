//! Misuse of the SDK written in 100 % safe Rust: it keeps `Host` past shutdown, in a thread it leaves running.
//! The SDK must turn every such use into an `Err`, never a crash of the host.
#![forbid(unsafe_code)]

use plugboard::{Call, Error, Host, LogLevel, Output, Plugin};
use std::time::{Duration, Instant};

struct Misuse {
    host: Host,
}

impl Plugin for Misuse {
    const ID: &'static str = "rust-misuse";
    const NAME: &'static str = "Misuses the SDK in safe Rust";
    const VERSION: &'static str = "1.0.0";

    fn init(host: Host) -> Result<Self, Error> {
        Ok(Self { host })
    }

    fn invoke(&mut self, _call: Call, op: &str, input: &[u8], output: &mut Output) -> Result<(), Error> {
        match op {
            // Logs the input; a host whose log handler calls this plugin again makes this a re-entry.
            "log" => {
                self.host.log(LogLevel::Info, &String::from_utf8_lossy(input))?;
                output.write_str("logged")
            }
            // Starts a thread that keeps logging through a copy of Host until the host table is gone, then writes
            // what the SDK said into the file named by input. Gives up after 20 s.
            "keep-logging" => {
                let host = self.host;
                let marker = String::from_utf8_lossy(input).into_owned();
                std::thread::spawn(move || {
                    let started = Instant::now();
                    while started.elapsed() < Duration::from_secs(20) {
                        if let Err(error) = host.log(LogLevel::Debug, "still here") {
                            let _ = std::fs::write(&marker, format!("{} {}", error.status, error.message));
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(1));
                    }
                });
                output.write_str("started")
            }
            _ => Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, format!("unknown operation '{op}'"))),
        }
    }
}

plugboard::export_plugin!(Misuse);
