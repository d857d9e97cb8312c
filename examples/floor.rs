//! The hardware floor for a scan: read every file under a folder and hash its bytes with
//! xxh3, in parallel, nothing else. `benches/compare.sh` times paradup against it.
//!
//! ```sh
//! cargo run --release --example floor -- target/bench-corpus-100mb
//! ```

use std::time::Instant;

use rayon::prelude::*;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: floor DIR");
        std::process::exit(2);
    };
    let started = Instant::now();
    let files: Vec<std::path::PathBuf> = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .collect();
    let (bytes, hash) = files
        .par_iter()
        .map(|path| {
            let data = std::fs::read(path).unwrap_or_default();
            (data.len() as u64, xxhash_rust::xxh3::xxh3_64(&data))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 ^ b.1));
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} files, {bytes} bytes, {seconds:.3} s, {:.0} MB/s (xor of hashes {hash:016x})",
        files.len(),
        bytes as f64 / seconds / 1e6
    );
}
