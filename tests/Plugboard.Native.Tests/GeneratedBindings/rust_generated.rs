// A Notebook plugin in Rust written against the module `plugboard bindgen --lang rust` emits from Notebook.Api (no
// hand-written mirror of notebook.notes/1). Built and loaded by GeneratedBindingsPluginTests.
#![deny(warnings)]

mod notebook_api;

use notebook_api::{NOTEBOOK_NOTES_V1_ID, NotebookNotesRef};
use plugboard::{Call, Error, Host, Output, Plugin};
use std::ffi::c_void;

struct Generated {
    // The host-owned table, valid until shutdown (an address: raw pointers are not Send).
    notes: usize,
}

impl Plugin for Generated {
    const ID: &'static str = "rust-generated";
    const NAME: &'static str = "Generated bindings (Rust)";
    const VERSION: &'static str = "1.0.0";

    fn init(host: Host) -> Result<Self, Error> {
        let table = host.get_interface(NOTEBOOK_NOTES_V1_ID);
        if table.is_null() {
            return Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, "the host does not offer notebook.notes/1"));
        }
        Ok(Self { notes: table as usize })
    }

    fn invoke(&mut self, call: Call, op: &str, _input: &[u8], output: &mut Output) -> Result<(), Error> {
        if op != "process" {
            return Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, format!("unknown operation '{op}'")));
        }
        // Each function acts on this invoke's note: its context is the call token.
        let notes = unsafe { NotebookNotesRef::from_raw(self.notes as *const c_void, call.as_ptr()) }.ok_or_else(|| Error::new("the notes table is truncated"))?;
        let title = notes.get_title()?;
        let body = notes.get_body()?;
        let words = notes.count_words(&body)?;
        notes.set_metric("generated_words", words as f64)?;
        notes.add_tag("rust generated")?;
        let id = notes.get_note_id()?;
        let added = notes.add_note(&format!("Seen: {title}"), "by the generated Rust bindings")?;
        output.write_str(&format!("rust-generated: note #{id} '{title}' has {words} words; added note #{added}"))
    }
}

plugboard::export_plugin!(Generated);
