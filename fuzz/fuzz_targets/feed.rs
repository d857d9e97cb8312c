//! Fuzz target `feed`: Arbitrary bytes as a JSON Lines feed or JSON array of articles.
//! The invariants are in `fuzz/checks.rs`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_feed(data));
