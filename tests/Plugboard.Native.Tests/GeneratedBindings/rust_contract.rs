// A Notebook plugin in Rust that implements the contract notebook.processor/2 (INoteProcessor itself) through the module
// `plugboard bindgen --lang rust` emits from Notebook.Api: the generated trait (`&str`, `Result`), the generated
// table served from `Plugin::get_interface`. Built and loaded by ContractProxyTests; the host calls it through
// INoteProcessor (the generated proxy), never through invoke.
#![deny(warnings)]

mod notebook_api;

use notebook_api::{NOTEBOOK_PROCESSOR_V2_ID, NoteProcessorPlugin, NoteRef, NotebookStoreRef, notebook_processor_v2_plugin_table};
use plugboard::{Call, Error, Host, Output, Plugin};
use std::ffi::c_void;

struct Contract {
    calls: u32,
}

impl Plugin for Contract {
    const ID: &'static str = "rust-contract";
    const NAME: &'static str = "Contract (Rust)";
    const VERSION: &'static str = "1.0.0";

    fn init(_host: Host) -> Result<Self, Error> {
        Ok(Self { calls: 0 })
    }

    fn get_interface(id: &str) -> *const c_void {
        if id == NOTEBOOK_PROCESSOR_V2_ID { notebook_processor_v2_plugin_table::<Self>() } else { std::ptr::null() }
    }

    fn invoke(&mut self, _call: Call, _op: &str, _input: &[u8], _output: &mut Output) -> Result<(), Error> {
        Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, "rust-contract has no operations: call it through notebook.processor/2"))
    }
}

impl NoteProcessorPlugin for Contract {
    fn get_name(&mut self) -> Result<String, Error> {
        Ok(Self::NAME.to_string())
    }

    fn process(&mut self, note: NoteRef<'_>, store: NotebookStoreRef<'_>) -> Result<String, Error> {
        self.calls += 1;
        let title = note.get_title()?;
        match title.as_str() {
            "fail" => return Err(Error::new("rust-contract refuses notes titled 'fail'")),
            "panic" => panic!("rust-contract panics on notes titled 'panic'"),
            _ => {}
        }
        let (id, tags) = (note.get_id()?, note.get_tag_count()?);
        let words = note.count_words()?;
        note.set_metric("contract_words", words as f64)?;
        note.add_tag("rust-contract")?;
        let added = store.add_note(&format!("Seen: {title}"), "from the Rust contract", Self::NAME)?;
        Ok(format!("rust-contract: note #{id} '{title}' ({tags} tags before) has {words} words; added note #{added}; call {}", self.calls))
    }
}

plugboard::export_plugin!(Contract);
