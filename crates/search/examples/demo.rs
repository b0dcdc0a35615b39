//! Searches the test corpus: `cargo run -p kader-search --example demo -- "systeemrisico’s"`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let index = common::build();
    let searcher = common::full(&index);
    for query in std::env::args().skip(1) {
        println!("== {query}");
        for hit in searcher.search(&query, 10) {
            let view = searcher.result(&hit).expect("fragment loaded");
            println!(
                "{:>3} {:>9.4} words={} {} — {} [{}]\n      {}\n      terms={:?} highlights={:?}",
                hit.page,
                hit.score,
                hit.matched_words,
                view.title,
                view.section_heading,
                view.url_with_anchor,
                view.snippet,
                hit.matched_terms,
                view.highlights
                    .iter()
                    .map(|&(s, e)| &view.snippet[s..e])
                    .collect::<Vec<_>>()
            );
        }
    }
}
