//! Fuzz target `html`: Arbitrary bytes as an HTML page, segmented with and without `body_only`.
//! The invariants are in `fuzz/checks.rs`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_html(data));
