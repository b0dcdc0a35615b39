//! Prints index sizes (and, natively, query timings) for the test corpus and
//! for a synthetic Dutch corpus.
//!
//! ```text
//! cargo run --release -p kader-search --example index_sizes -- [--pages 250] [--out DIR]
//!     [--lang en] [--chunk-target BYTES] [--fragment-target BYTES]
//! ```
//!
//! With `--out DIR` the synthetic index is written there (`meta.bin`,
//! `chunks/`, `fragments/`) so that compressed sizes can be measured.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use kader_search::{BuiltIndex, IndexBuilder, Language, PageInput, Searcher, Section};

fn report(name: &str, index: &BuiltIndex) {
    let chunk_total: usize = index.chunks.iter().map(|c| c.1.len()).sum();
    let chunk_max = index.chunks.iter().map(|c| c.1.len()).max().unwrap_or(0);
    let frag_total: usize = index.fragments.iter().map(|c| c.1.len()).sum();
    let frag_max = index.fragments.iter().map(|c| c.1.len()).max().unwrap_or(0);
    println!("{name}:");
    println!("  meta       {:>10} bytes", index.meta.len());
    println!(
        "  chunks     {:>10} bytes in {} files (largest {}, mean {})",
        chunk_total,
        index.chunks.len(),
        chunk_max,
        chunk_total / index.chunks.len().max(1)
    );
    println!(
        "  fragments  {:>10} bytes in {} files (largest {}, mean {})",
        frag_total,
        index.fragments.len(),
        frag_max,
        frag_total / index.fragments.len().max(1)
    );
    println!("  total      {:>10} bytes", index.total_bytes());
}

/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "be", "ver", "ge", "ont", "aan", "uit", "over", "on", "der", "ra", "ri", "co", "sys", "teem",
    "mo", "del", "ling", "ing", "heid", "lijk", "baar", "wer", "king", "toe", "zicht", "hou",
    "gen", "stel", "len", "ma", "ken", "re", "gel", "wet", "ge", "ving", "plicht", "da", "ta",
    "in", "for", "ma", "tie", "pro", "ces", "markt", "dienst", "amb", "te", "naar", "bij", "kwa",
    "li", "teit", "vei", "lig", "be", "oor", "de",
];
const FUNCTION_WORDS: &[&str] = &[
    "de", "het", "een", "en", "van", "in", "op", "te", "dat", "die", "is", "voor", "met", "aan",
    "er", "als", "bij", "of", "om", "ook", "naar", "door", "zijn", "wordt", "worden", "niet",
    "kan", "moet",
];

struct Corpus {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Corpus {
    fn new(rng: &mut Rng, size: usize) -> Corpus {
        let mut words: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while words.len() < size {
            let n = 1 + rng.below(3) + rng.below(2);
            let mut w = String::new();
            for _ in 0..n {
                w.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
            }
            // a third of the words are compounds of two earlier words
            if words.len() > 200 && rng.below(3) == 0 {
                let a = words[rng.below(200)].clone();
                let b = words[rng.below(words.len())].clone();
                w = format!("{a}{}{b}", if rng.below(4) == 0 { "s" } else { "" });
            }
            if w.len() >= 3 && seen.insert(w.clone()) {
                words.push(w);
            }
        }
        // Zipf-like: weight 1/rank
        let mut cumulative = Vec::with_capacity(words.len());
        let mut acc = 0.0;
        for r in 0..words.len() {
            acc += 1.0 / (r as f64 + 1.0);
            cumulative.push(acc);
        }
        Corpus { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        if rng.below(3) == 0 {
            return FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())];
        }
        let total = *self.cumulative.last().unwrap();
        let x = (rng.next() % 1_000_000_007) as f64 / 1_000_000_007.0 * total;
        let i = self
            .cumulative
            .partition_point(|&c| c < x)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            let w = self.word(rng);
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push_str(w);
            }
            if rng.below(12) == 0 {
                s.push(',');
            }
        }
        s.push('.');
        s
    }

    fn page(&self, rng: &mut Rng, i: usize) -> PageInput {
        let nsec = 3 + rng.below(5);
        let words_total = 400 + rng.below(300);
        let sections = (0..nsec)
            .map(|j| {
                let mut text = String::new();
                let mut left = words_total / nsec;
                while left > 0 {
                    let n = (6 + rng.below(14)).min(left);
                    left -= n;
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&self.sentence(rng, n));
                }
                let n = 2 + rng.below(3);
                Section {
                    heading: self.sentence(rng, n),
                    anchor: format!("s{j}"),
                    text,
                }
            })
            .collect();
        let n = 1 + rng.below(4);
        let title = self.sentence(rng, n);
        let boost = if rng.below(3) == 0 {
            vec![self.word(rng).to_string()]
        } else {
            vec![]
        };
        PageInput {
            url: format!("/pagina/{i}/"),
            title,
            sections,
            boost_terms: boost,
        }
    }
}

fn write_out(dir: &str, index: &BuiltIndex) -> std::io::Result<()> {
    let root = std::path::Path::new(dir);
    std::fs::create_dir_all(root.join("chunks"))?;
    std::fs::create_dir_all(root.join("fragments"))?;
    std::fs::write(root.join("meta.bin"), &index.meta)?;
    for (n, b) in &index.chunks {
        std::fs::write(root.join("chunks").join(n), b)?;
    }
    for (n, b) in &index.fragments {
        std::fs::write(root.join("fragments").join(n), b)?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n_pages: usize = arg("--pages").and_then(|s| s.parse().ok()).unwrap_or(250);

    report("test corpus (tests/common, 15 pages)", &common::build());

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let corpus = Corpus::new(&mut rng, (n_pages * 60).clamp(5_000, 120_000));
    let pages: Vec<PageInput> = (0..n_pages).map(|i| corpus.page(&mut rng, i)).collect();
    let text_bytes: usize = pages
        .iter()
        .map(|p| {
            p.title.len()
                + p.sections
                    .iter()
                    .map(|s| s.heading.len() + s.text.len())
                    .sum::<usize>()
        })
        .sum();
    let t = Instant::now();
    let lang = if arg("--lang").as_deref() == Some("en") {
        Language::En
    } else {
        Language::Nl
    };
    let mut b = IndexBuilder::new(lang);
    if let Some(n) = arg("--chunk-target").and_then(|s| s.parse().ok()) {
        b = b.with_chunk_target(n);
    }
    if let Some(n) = arg("--fragment-target").and_then(|s| s.parse().ok()) {
        b = b.with_fragment_target(n);
    }
    for p in pages {
        b.add_page(p);
    }
    let index = b.build();
    let build_time = t.elapsed();
    println!();
    report(
        &format!("synthetic corpus ({n_pages} pages, {text_bytes} bytes of text)"),
        &index,
    );
    println!("  build time {build_time:?}");
    if let Some(dir) = arg("--out") {
        write_out(&dir, &index).expect("write index");
        println!("  written to {dir}");
    }

    // Queries: frequent, medium and rare words, prefixes, typos, two words.
    let mut queries: Vec<String> = Vec::new();
    for rank in [0usize, 3, 10, 30, 100, 300, 1000, 3000] {
        let w = &corpus.words[rank.min(corpus.words.len() - 1)];
        queries.push(w.clone());
        queries.push(w[..w.len().min(5)].to_string());
        let mut typo: Vec<char> = w.chars().collect();
        if typo.len() >= 5 {
            typo.swap(3, 4);
        }
        queries.push(typo.into_iter().collect());
        queries.push(format!(
            "{w} {}",
            corpus.words[(rank * 7 + 5) % corpus.words.len()]
        ));
    }
    if let Some(dir) = arg("--out") {
        std::fs::write(
            std::path::Path::new(&dir).join("queries.txt"),
            queries.join("\n"),
        )
        .expect("write queries");
    }
    let full = index.searcher().expect("valid");
    let mut times = Vec::new();
    let mut loaded = Vec::new();
    for q in &queries {
        // bytes a browser would fetch for this query (cold cache)
        let mut s = Searcher::new(&index.meta).unwrap();
        let mut bytes = 0;
        for name in s.chunks_needed(q) {
            let (_, b) = index.chunks.iter().find(|c| c.0 == name).unwrap();
            bytes += b.len();
            s.add_chunk(&name, b).unwrap();
        }
        let hits = s.search(q, 10);
        for name in s.fragments_needed(&hits) {
            let (_, b) = index.fragments.iter().find(|c| c.0 == name).unwrap();
            bytes += b.len();
        }
        loaded.push(bytes);
        for _ in 0..5 {
            let t = Instant::now();
            let hits = full.search(q, 10);
            for h in &hits {
                std::hint::black_box(full.result(h));
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    loaded.sort_unstable();
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p) as usize];
    println!(
        "  native query+10 results: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} runs)",
        pct(&times, 0.5),
        pct(&times, 0.95),
        times.last().unwrap(),
        times.len()
    );
    println!(
        "  raw bytes fetched per query (chunks + 10 fragments, cold): median {}, max {}",
        loaded[loaded.len() / 2],
        loaded.last().unwrap()
    );
}
