//! rust-keywords: a Notebook sample plugin in Rust. For each note it finds the most frequent word of four
//! letters or more, tags the note "kw-<word>", and stores the number of distinct words as metric "unique_words".
//!
//! It implements the host's contract, notebook.processor/1, through the module `plugboard bindgen --lang rust` emits
//! from Notebook.Api (`src/notebook_api.rs`, checked in): the host calls `process` through its INoteProcessor with the
//! note's shared data and a handle to notebook.notes/1; no hand-written mirror of either table.
#![deny(warnings)]

mod notebook_api;

use std::collections::HashMap;
use std::ffi::c_void;

use notebook_api::{NOTEBOOK_PROCESSOR_V1_ID, NativeNoteProcessorPlugin, NoteInfo, NotebookNotesRef, notebook_processor_v1_plugin_table};
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
        if id == NOTEBOOK_PROCESSOR_V1_ID { notebook_processor_v1_plugin_table::<Self>() } else { std::ptr::null() }
    }

    fn invoke(&mut self, _call: Call, op: &str, _input: &[u8], output: &mut Output) -> Result<(), Error> {
        if op == "ping" {
            // Health check: no host calls, used to measure the bare call cost.
            return output.write(b"pong");
        }
        Err(Error::with_status(plugboard::PB_ERR_UNSUPPORTED, format!("unknown operation '{op}': the host calls rust-keywords through notebook.processor/1")))
    }
}

impl NativeNoteProcessorPlugin for Keywords {
    fn process(&mut self, _note: &NoteInfo, notes: NotebookNotesRef<'_>) -> Result<String, Error> {
        let body = notes.get_body()?;
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
                Ok(format!("rust-keywords: top word '{word}', {} distinct words", counts.len()))
            }
            None => Ok("rust-keywords: no keyword".to_string()),
        }
    }
}

plugboard::export_plugin!(Keywords);
