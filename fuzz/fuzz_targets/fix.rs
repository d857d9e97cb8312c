//! Fuzz target `fix`: Arbitrary text (format picked by the first byte) scanned, fixed and scanned again.
//! The invariants are in `fuzz/checks.rs`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_fix(data));
