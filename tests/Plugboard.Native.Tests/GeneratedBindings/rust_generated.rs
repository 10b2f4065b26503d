// A Notebook plugin in Rust written against the module `plugboard bindgen --lang rust` emits from Notebook.Api at test
// time (no hand-written mirror of any table): it implements the generated trait of notebook.processor/2 and reaches
// the host's note and store through the handles it is given. Built and loaded by GeneratedBindingsPluginTests.
#![deny(warnings)]

mod notebook_api;

use notebook_api::{NOTEBOOK_PROCESSOR_V2_ID, NoteProcessorPlugin, NoteRef, NotebookStoreRef, notebook_processor_v2_plugin_table};
use plugboard::{Call, Error, Host, Output, Plugin};
use std::ffi::c_void;

struct Generated;

impl Plugin for Generated {
    const ID: &'static str = "rust-generated";
    const NAME: &'static str = "Generated bindings (Rust)";
    const VERSION: &'static str = "1.0.0";

    fn init(_host: Host) -> Result<Self, Error> {
        Ok(Self)
    }

    fn get_interface(id: &str) -> *const c_void {
        if id == NOTEBOOK_PROCESSOR_V2_ID { notebook_processor_v2_plugin_table::<Self>() } else { std::ptr::null() }
    }

    fn invoke(&mut self, _call: Call, op: &str, _input: &[u8], _output: &mut Output) -> Result<(), Error> {
        Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, format!("unknown operation '{op}'")))
    }
}

impl NoteProcessorPlugin for Generated {
    fn get_name(&mut self) -> Result<String, Error> {
        Ok(Self::NAME.to_string())
    }

    fn process(&mut self, note: NoteRef<'_>, store: NotebookStoreRef<'_>) -> Result<String, Error> {
        let title = note.get_title()?;
        let words = note.count_words()?;
        note.set_metric("generated_words", words as f64)?;
        note.add_tag("rust generated")?;
        let id = note.get_id()?;
        let added = store.add_note(&format!("Seen: {title}"), "by the generated Rust bindings", Self::NAME)?;
        Ok(format!("rust-generated: note #{id} '{title}' has {words} words; added note #{added}"))
    }
}

plugboard::export_plugin!(Generated);
