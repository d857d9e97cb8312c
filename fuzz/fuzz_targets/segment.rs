//! Fuzz target `segment`: Arbitrary bytes read like a file, segmented as plain text and as Markdown.
//! The invariants are in `fuzz/checks.rs`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_segment(data));
