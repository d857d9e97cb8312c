//! Folders of rendered files (and a copy, a binary file, a Windows-1252 one) with the
//! options they are scanned with: the input of property 4, written to disk together with
//! what the validator needs to know about it.

use std::path::Path;

use proptest::collection::vec;
use proptest::prelude::*;

use crate::render::{Doc, Rendered, any_doc};
use crate::schema::Scanned;

/// Sub-folders files are put in.
const DIRS: [&str; 3] = ["", "outlet-a/", "outlet-b/"];

/// A folder of articles of mixed formats, and the options it is scanned with.
#[allow(clippy::struct_excessive_bools)] // independent switches a strategy draws
#[derive(Clone, Debug)]
pub(crate) struct Folder {
    docs: Vec<(usize, Doc)>,
    /// A byte-for-byte copy of one of the files, elsewhere (a syndicated story).
    copy: Option<usize>,
    /// A binary file (an error entry).
    binary: bool,
    /// A Windows-1252 file (a warning) that repeats a paragraph.
    legacy: bool,
    exact_only: bool,
    suggest_boilerplate: bool,
    /// A `--max-paragraph-bytes` most paragraphs are over (warnings with lines).
    small_paragraphs: bool,
}

pub(crate) fn folder() -> impl Strategy<Value = Folder> {
    (
        vec((0..DIRS.len(), any_doc()), 1..5),
        proptest::option::weighted(0.4, any::<usize>()),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(docs, copy, binary, legacy, exact_only, suggest_boilerplate, small_paragraphs)| {
                Folder {
                    docs,
                    copy,
                    binary,
                    legacy,
                    exact_only,
                    suggest_boilerplate,
                    small_paragraphs,
                }
            },
        )
}

impl Folder {
    pub(crate) fn write(&self, root: &Path) -> Scanned {
        let mut scanned = Scanned {
            exact_only: self.exact_only,
            suggest_boilerplate: self.suggest_boilerplate,
            ..Scanned::default()
        };
        let rendered: Vec<(String, Rendered)> = self
            .docs
            .iter()
            .enumerate()
            .map(|(i, (dir, doc))| {
                let path = format!("{}{i}.{}", DIRS[*dir], doc.format().ext());
                (path, doc.render())
            })
            .collect();
        for (path, r) in &rendered {
            scanned.add(path, r);
        }
        if let Some(k) = self.copy {
            let (path, r) = &rendered[k % rendered.len()];
            let name = path.rsplit('/').next().expect("a file name");
            scanned.add(&format!("wire/copy-{name}"), r);
        }
        if self.legacy {
            // Not UTF-8, no multi-byte sequence: read as Windows-1252, with a warning.
            let para = b"Caf\xe9 owners along Main Street welcomed the news after years of \
                         \x93declining\x94 foot traffic.";
            let mut bytes = para.to_vec();
            bytes.extend_from_slice(b"\r\n\r\n");
            bytes.extend_from_slice(para);
            bytes.extend_from_slice(b"\r\n");
            let path = "outlet-b/legacy.txt";
            scanned.warned.insert(path.to_string());
            scanned.add(
                path,
                &Rendered {
                    bytes,
                    documents: 1,
                    broken_lines: Vec::new(),
                },
            );
        }
        if self.binary {
            let path = "outlet-a/photo.txt".to_string();
            scanned.errors.insert((path.clone(), None));
            scanned
                .files
                .insert(path, b"GIF89a\x01\x00\x01\x00\x00\xff\x00,".to_vec());
        }
        for (path, bytes) in &scanned.files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
            std::fs::write(&path, bytes).expect("write a file");
        }
        scanned
    }

    pub(crate) fn options(&self) -> paradup::ScanOptions {
        let mut opts = paradup::ScanOptions::default();
        opts.matching.exact_only = self.exact_only;
        opts.suggest.boilerplate = self.suggest_boilerplate;
        if self.small_paragraphs {
            opts.segment.max_paragraph_bytes = 160;
        }
        opts
    }
}
