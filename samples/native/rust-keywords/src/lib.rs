//! rust-keywords: a Notebook sample plugin in Rust. For each note it finds the most frequent word of four
//! letters or more, tags the note "kw-<word>", and stores the number of distinct words as metric "unique_words".
//!
//! It implements the host's contract INoteProcessor itself, notebook.processor/2, through the module `plugboard bindgen
//! --lang rust` emits from Notebook.Api (`src/notebook_api.rs`, checked in): the host calls `process` through the
//! generated proxy with its own Note and NotebookStore, which the plugin gets as `NoteRef` and `NotebookStoreRef`
//! handles, valid during the call. No hand-written mirror of any table.
#![deny(warnings)]

mod notebook_api;

use std::collections::HashMap;
use std::ffi::c_void;

use notebook_api::{NOTEBOOK_PROCESSOR_V2_ID, NoteProcessorPlugin, NoteRef, NotebookStoreRef, notebook_processor_v2_plugin_table};
use plugboard::{Call, Error, Host, Output, Plugin};

struct Keywords;

impl Plugin for Keywords {
    const ID: &'static str = "rust-keywords";
    const NAME: &'static str = "Keywords (Rust)";
    const VERSION: &'static str = "1.0.0";

    fn init(_host: Host) -> Result<Self, Error> {
        Ok(Self)
    }

    fn get_interface(id: &str) -> *const c_void {
        match id {
            NOTEBOOK_PROCESSOR_V2_ID => notebook_processor_v2_plugin_table::<Self>(),
            _ => std::ptr::null(),
        }
    }

    fn invoke(&mut self, _call: Call, op: &str, _input: &[u8], output: &mut Output) -> Result<(), Error> {
        if op == "ping" {
            // Health check: no host calls, used to measure the bare call cost.
            return output.write(b"pong");
        }
        Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, format!("unknown operation '{op}': the host calls rust-keywords through notebook.processor/2")))
    }
}

/// The word counts of a body and its most frequent word of four letters or more (ties: the alphabetically first).
fn keywords(body: &str) -> (usize, Option<String>) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    let top = counts
        .iter()
        .filter(|(w, _)| w.chars().count() >= 4)
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(w, _)| w.clone());
    (counts.len(), top)
}

fn report(distinct: usize, top: &Option<String>) -> String {
    match top {
        Some(word) => format!("rust-keywords: top word '{word}', {distinct} distinct words"),
        None => "rust-keywords: no keyword".to_string(),
    }
}

impl NoteProcessorPlugin for Keywords {
    fn get_name(&mut self) -> Result<String, Error> {
        Ok(Self::NAME.to_string())
    }

    fn process(&mut self, note: NoteRef<'_>, _store: NotebookStoreRef<'_>) -> Result<String, Error> {
        let (distinct, top) = keywords(&note.get_body()?);
        note.set_metric("unique_words", distinct as f64)?;
        if let Some(word) = &top {
            note.add_tag(&format!("kw-{word}"))?;
        }
        Ok(report(distinct, &top))
    }
}

plugboard::export_plugin!(Keywords);
