//! What articles are made of: a small pool of sentences, and the pieces (new prose,
//! pastes, near copies, headings, chrome) a newsroom assembles them into, so that most
//! generated articles hold the duplicates the checks are about.

use proptest::collection::vec;
use proptest::prelude::*;

/// Sentences of 12 words or more, so that a paragraph of one is well over `--min-words`
/// and its repeats are reported. Some hold a curly quote, an accent or a dash, so that
/// offsets cross multi-byte characters (and HTML entities, and `\u` escapes in feeds).
pub(crate) const SENTENCES: [&str; 12] = [
    "The city council voted on Tuesday to expand the downtown bus network by next spring.",
    "Officials said the plan would add twelve new routes and extend evening service hours.",
    "Residents who spoke at the meeting were divided over the cost of the proposal.",
    "The regional transit authority expects ridership to grow by about eight percent next year.",
    "Critics argued that the money would be better spent repairing existing roads and bridges.",
    "A spokesperson for the mayor’s office declined to comment on the final budget figures.",
    "Construction is scheduled to begin in March and should last roughly eighteen months.",
    "Café owners along Main Street welcomed the news after years of declining foot traffic.",
    "The storm knocked out power to more than forty thousand homes across the county overnight.",
    "Crews worked through the night to restore electricity — most customers were back by noon.",
    "Forecasters warned that another band of heavy rain could arrive later this week.",
    "Schools in the northern district will remain closed on Friday as a precaution.",
];

/// Headings: short, never duplicate candidates.
pub(crate) const HEADINGS: [&str; 4] = [
    "City expands bus network",
    "Storm leaves thousands without power",
    "What happens next",
    "Reaction from residents",
];

/// Lines below `--min-words`: share bars, photo credits.
const SHORT: [&str; 5] = [
    "Photo: staff",
    "Share this article",
    "Advertisement",
    "Read more:",
    "Updated at 9:41 a.m.",
];

/// The outlet's footer, long enough to be compared: boilerplate once it is in several
/// stories.
pub(crate) const FOOTER: &str = "Copyright 2024 Example Media Group. All rights reserved. This material \
                      may not be published, broadcast or redistributed.";

/// Words a near copy puts in place of one of the original's.
const WORDS: [&str; 6] = [
    "Monday",
    "fifteen",
    "county",
    "several",
    "quickly",
    "reporters",
];

/// One step in writing an article. Indices are reduced modulo what they index, so any
/// value is valid and shrinking moves towards the first choice.
#[derive(Clone, Debug)]
enum Piece {
    /// A paragraph of new prose: these sentences.
    Prose(Vec<usize>),
    /// An exact copy of `len` earlier blocks from `of` (a paste, or a repeated block),
    /// with its line wrapping flipped when `rewrap` (the same text once normalized).
    Repeat {
        of: usize,
        len: usize,
        rewrap: bool,
    },
    /// A copy of an earlier paragraph with one word replaced: a near duplicate.
    Edit {
        of: usize,
        word: usize,
        with: usize,
    },
    Heading(usize),
    /// A list item of these sentences.
    Item(Vec<usize>),
    Quote(usize),
    Short(usize),
    Footer,
    /// A code block (`pre`) holding a copy of an earlier paragraph: not prose.
    Code(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Prose,
    Heading,
    Item,
    Quote,
    Short,
    Footer,
    Code,
}

/// A block of an article, ready to render.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub(crate) kind: Kind,
    pub(crate) sentences: Vec<String>,
    /// One sentence a line, rather than all on one.
    pub(crate) wrap: bool,
    /// Which separator precedes it (an index into the format's list).
    pub(crate) gap: usize,
}

impl Block {
    fn new(kind: Kind, sentences: Vec<String>, wrap: bool, gap: usize) -> Self {
        Block {
            kind,
            sentences,
            wrap,
            gap,
        }
    }

    /// The text, its wrapped lines joined by `newline`.
    pub(crate) fn text(&self, newline: &str) -> String {
        self.sentences.join(if self.wrap { newline } else { " " })
    }

    /// Replaces the `word`-th word (modulo the word count) with `with`.
    fn replace_word(&mut self, word: usize, with: &str) {
        let total: usize = self
            .sentences
            .iter()
            .map(|s| s.split_whitespace().count())
            .sum();
        let mut target = word % total.max(1);
        for sentence in &mut self.sentences {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            if target < words.len() {
                let mut words = words;
                words[target] = with;
                *sentence = words.join(" ");
                return;
            }
            target -= words.len();
        }
    }
}

/// An article: pieces (each with its gap and wrapping) and, usually, one planted exact
/// copy of a prose paragraph (`at`, `of`), so most articles hold a within-document repeat.
#[derive(Clone, Debug)]
pub(crate) struct Article {
    pieces: Vec<(Piece, usize, bool)>,
    plant: Option<(usize, usize)>,
}

impl Article {
    /// The blocks the pieces make.
    pub(crate) fn blocks(&self) -> Vec<Block> {
        let sentences = |ids: &[usize]| -> Vec<String> {
            ids.iter()
                .map(|&i| SENTENCES[i % SENTENCES.len()].to_string())
                .collect()
        };
        let mut out: Vec<Block> = Vec::new();
        let prose = |out: &[Block]| -> Vec<usize> {
            (0..out.len())
                .filter(|&i| matches!(out[i].kind, Kind::Prose | Kind::Item | Kind::Quote))
                .collect()
        };
        for (piece, gap, wrap) in &self.pieces {
            let (gap, wrap) = (*gap, *wrap);
            match piece {
                Piece::Prose(ids) => out.push(Block::new(Kind::Prose, sentences(ids), wrap, gap)),
                Piece::Repeat { of, len, rewrap } => {
                    if out.is_empty() {
                        continue;
                    }
                    let start = of % out.len();
                    let end = (start + (*len).max(1)).min(out.len());
                    let copies = out[start..end].to_vec();
                    for (i, mut block) in copies.into_iter().enumerate() {
                        if *rewrap {
                            block.wrap = !block.wrap;
                        }
                        if i == 0 {
                            block.gap = gap;
                        }
                        out.push(block);
                    }
                }
                Piece::Edit { of, word, with } => {
                    let candidates = prose(&out);
                    if candidates.is_empty() {
                        continue;
                    }
                    let mut block = out[candidates[of % candidates.len()]].clone();
                    block.replace_word(*word, WORDS[with % WORDS.len()]);
                    block.gap = gap;
                    out.push(block);
                }
                Piece::Heading(i) => out.push(Block::new(
                    Kind::Heading,
                    vec![HEADINGS[i % HEADINGS.len()].to_string()],
                    false,
                    gap,
                )),
                Piece::Item(ids) => out.push(Block::new(Kind::Item, sentences(ids), wrap, gap)),
                Piece::Quote(i) => out.push(Block::new(Kind::Quote, sentences(&[*i]), wrap, gap)),
                Piece::Short(i) => out.push(Block::new(
                    Kind::Short,
                    vec![SHORT[i % SHORT.len()].to_string()],
                    false,
                    gap,
                )),
                Piece::Footer => out.push(Block::new(
                    Kind::Footer,
                    vec![FOOTER.to_string()],
                    false,
                    gap,
                )),
                Piece::Code(of) => {
                    let candidates = prose(&out);
                    let text = if candidates.is_empty() {
                        sentences(&[*of])
                    } else {
                        out[candidates[of % candidates.len()]].sentences.clone()
                    };
                    out.push(Block::new(Kind::Code, text, wrap, gap));
                }
            }
        }
        if out.is_empty() {
            out.push(Block::new(Kind::Prose, sentences(&[0]), false, 0));
        }
        if let Some((at, of)) = self.plant {
            let candidates = prose(&out);
            if !candidates.is_empty() {
                let copy = out[candidates[of % candidates.len()]].clone();
                out.insert(at % (out.len() + 1), copy);
            }
        }
        out
    }
}

fn piece() -> impl Strategy<Value = Piece> {
    let sentence = 0..SENTENCES.len();
    prop_oneof![
        5 => vec(sentence.clone(), 1..=3).prop_map(Piece::Prose),
        2 => (any::<usize>(), 1..=3usize, any::<bool>())
            .prop_map(|(of, len, rewrap)| Piece::Repeat { of, len, rewrap }),
        2 => (any::<usize>(), any::<usize>(), 0..WORDS.len())
            .prop_map(|(of, word, with)| Piece::Edit { of, word, with }),
        1 => (0..HEADINGS.len()).prop_map(Piece::Heading),
        1 => vec(sentence.clone(), 1..=2).prop_map(Piece::Item),
        1 => sentence.prop_map(Piece::Quote),
        1 => (0..SHORT.len()).prop_map(Piece::Short),
        1 => Just(Piece::Footer),
        1 => any::<usize>().prop_map(Piece::Code),
    ]
}

pub(crate) fn article() -> impl Strategy<Value = Article> {
    (
        vec((piece(), 0..4usize, prop::bool::weighted(0.3)), 1..8),
        proptest::option::weighted(0.85, (any::<usize>(), any::<usize>())),
    )
        .prop_map(|(pieces, plant)| Article { pieces, plant })
}
