//! rust-keywords: a Notebook sample plugin in Rust. For each note it finds the most frequent word of four
//! letters or more, tags the note "kw-<word>", and stores the number of distinct words as metric "unique_words".

use std::collections::HashMap;
use std::ffi::c_void;

use plugboard::abi::PbWriteFn;
use plugboard::{Call, Error, Host, Output, Plugin, TextSink};

/// Mirror of `notebook_notes_v1` (samples/Notebook.NativeBridge/include/notebook_notes.h).
#[repr(C)]
struct NotebookNotesV1 {
    struct_size: u32,
    reserved: u32,
    get_title: unsafe extern "C" fn(*mut c_void, *mut c_void, PbWriteFn) -> i32,
    get_body: unsafe extern "C" fn(*mut c_void, *mut c_void, PbWriteFn) -> i32,
    add_tag: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> i32,
    set_metric: unsafe extern "C" fn(*mut c_void, *const u8, usize, f64) -> i32,
    count_words: unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut i64) -> i32,
    add_note: unsafe extern "C" fn(*mut c_void, *const u8, usize, *const u8, usize, *mut i32) -> i32,
    get_note_id: unsafe extern "C" fn(*mut c_void, *mut i32) -> i32,
}

/// Safe view of the interface for the duration of one call.
struct Notes<'a> {
    table: &'a NotebookNotesV1,
    call: Call,
}

fn check(status: i32, what: &str) -> Result<(), Error> {
    if status < 0 { Err(Error::with_status(status, format!("{what} failed with status {status}"))) } else { Ok(()) }
}

impl Notes<'_> {
    fn body(&self) -> Result<String, Error> {
        let mut sink = TextSink::default();
        check(unsafe { (self.table.get_body)(self.call.as_ptr(), sink.ctx(), TextSink::WRITE) }, "get_body")?;
        sink.into_string()
    }

    fn add_tag(&self, tag: &str) -> Result<(), Error> {
        check(unsafe { (self.table.add_tag)(self.call.as_ptr(), tag.as_ptr(), tag.len()) }, "add_tag")
    }

    fn set_metric(&self, name: &str, value: f64) -> Result<(), Error> {
        check(unsafe { (self.table.set_metric)(self.call.as_ptr(), name.as_ptr(), name.len(), value) }, "set_metric")
    }
}

struct Keywords {
    notes: &'static NotebookNotesV1,
}

// The table is host-owned, immutable and valid until shutdown.
unsafe impl Send for Keywords {}

impl Plugin for Keywords {
    const ID: &'static str = "rust-keywords";
    const NAME: &'static str = "Keywords (Rust)";
    const VERSION: &'static str = "1.0.0";

    fn init(host: Host) -> Result<Self, Error> {
        let table = host.get_interface("notebook.notes/1") as *const NotebookNotesV1;
        if table.is_null() {
            return Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, "the host does not offer notebook.notes/1"));
        }
        Ok(Self { notes: unsafe { &*table } })
    }

    fn invoke(&mut self, call: Call, op: &str, _input: &[u8], output: &mut Output) -> Result<(), Error> {
        if op == "ping" {
            // Health check: no host calls, used to measure the bare call cost.
            return output.write(b"pong");
        }
        if op != "process" {
            return Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, format!("unknown operation '{op}'")));
        }
        let notes = Notes { table: self.notes, call };
        let body = notes.body()?;
        let mut counts: HashMap<String, usize> = HashMap::new();
        for word in body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            *counts.entry(word.to_lowercase()).or_default() += 1;
        }
        notes.set_metric("unique_words", counts.len() as f64)?;
        // Ties go to the alphabetically first word so the result is deterministic.
        let top = counts
            .iter()
            .filter(|(w, _)| w.chars().count() >= 4)
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(w, _)| w.clone());
        match top {
            Some(word) => {
                notes.add_tag(&format!("kw-{word}"))?;
                output.write_str(&format!("rust-keywords: top word '{word}', {} distinct words", counts.len()))
            }
            None => output.write_str("rust-keywords: no keyword"),
        }
    }
}

plugboard::export_plugin!(Keywords);
