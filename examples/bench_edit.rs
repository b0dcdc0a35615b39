//! Edit-to-rebuilt time of the pipeline that `kader serve` (and the
//! language server) run after a save: `cargo run --release --example
//! bench_edit -- <site root> [edits] [--no-complete] [--collection NAME]`.
//!
//! Builds the site once in memory, then edits one page of the first
//! collection (or of `--collection`) again and again (its title, so that
//! lists and term pages depend on it too), calling `Session::rebuild` with that path each time,
//! and prints the time per rebuild (median, p95, max) and how many output
//! pages were rendered again. With `--analyze`, the same edits are then
//! timed through the language server's analysis (`Session::analyze`: the
//! problems of the site, without rendering). Beside the wall time it prints the CPU time
//! all threads spent (from /proc, on Linux), which a busy machine disturbs
//! less. The site folder is written to: point it at a copy.

use kader::{BuildOptions, Session};

// The allocator of the kader binary, so that the figures are its figures.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!(
            "usage: bench_edit <site root> [edits] [--no-complete] [--collection NAME] [--analyze]"
        );
        std::process::exit(2);
    };
    let rest: Vec<String> = args.collect();
    let edits: usize = rest.first().and_then(|n| n.parse().ok()).unwrap_or(50);
    // `--no-complete`: leave the search index and exports stale between
    // edits (as when saves follow each other quickly), e.g. for profiling.
    let complete = !rest.iter().any(|a| a == "--no-complete");
    let collection = rest
        .iter()
        .position(|a| a == "--collection")
        .and_then(|i| rest.get(i + 1))
        .cloned();
    let mut session = Session::new(&root, BuildOptions::default());
    let t = Instant::now();
    let cold = session.cold(&|_| {}).expect("the site can be read");
    println!(
        "cold build in memory: {:.1} ms, {} pages, {} errors",
        t.elapsed().as_secs_f64() * 1e3,
        cold.pages,
        cold.errors
    );
    let Some(page) = first_page(&session, &root, collection.as_deref()) else {
        eprintln!("the site has no page in that collection to edit");
        std::process::exit(2);
    };
    let original = std::fs::read_to_string(&page).expect("the page can be read");
    let mut times = Vec::with_capacity(edits);
    let mut rendered = Vec::with_capacity(edits);
    let mut completes = Vec::with_capacity(edits);
    let mut cpus = Vec::with_capacity(edits);
    for i in 0..edits {
        let edited = original.replacen("title: ", &format!("title: Bewerking {i} - "), 1);
        std::fs::write(&page, edited).expect("the page can be written");
        let t = Instant::now();
        let cpu0 = cpu_ms();
        // As `kader serve` does: pages first, the search index and exports
        // once no further change is waiting.
        let outcome = session
            .rebuild_pages_first(std::slice::from_ref(&page))
            .expect("rebuild");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        cpus.push(cpu_ms() - cpu0);
        if i == edits - 1 {
            let split: Vec<String> = outcome
                .timings
                .stages
                .iter()
                .map(|(s, d)| format!("{s} {:.1} ms", d.as_secs_f64() * 1e3))
                .collect();
            println!("last edit: {}", split.join(", "));
        }
        if complete {
            let t = Instant::now();
            session.complete();
            completes.push(t.elapsed().as_secs_f64() * 1e3);
        }
        rendered.push(outcome.rendered);
        assert!(outcome.incremental, "edit {i} was not incremental");
    }
    std::fs::write(&page, &original).expect("the page can be restored");
    times.sort_by(f64::total_cmp);
    rendered.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "edit → rebuilt and validated ({} edits of {}): median {:.1} ms, p95 {:.1} ms, max {:.1} ms; pages rendered again: median {}",
        edits,
        page.strip_prefix(&root).unwrap_or(&page).display(),
        at(0.5),
        at(0.95),
        times[times.len() - 1],
        rendered[rendered.len() / 2]
    );
    cpus.sort_by(f64::total_cmp);
    println!(
        "CPU time per rebuild (all threads): median {:.1} ms, p95 {:.1} ms",
        cpus[cpus.len() / 2],
        cpus[((cpus.len() - 1) as f64 * 0.95).round() as usize]
    );
    completes.sort_by(f64::total_cmp);
    if let Some(m) = completes.get(completes.len() / 2) {
        println!("search index and exports brought up to date afterwards: median {m:.1} ms");
    }
    if rest.iter().any(|a| a == "--analyze") {
        analyses(&mut session, &page, &original, edits);
    }
}

/// Times the language server's analysis after each of `edits` edits.
fn analyses(session: &mut Session, page: &Path, original: &str, edits: usize) {
    session.analyze(&[]).expect("the site can be read");
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        let edited = original.replacen("title: ", &format!("title: Analyse {i} - "), 1);
        std::fs::write(page, edited).expect("the page can be written");
        let t = Instant::now();
        let analysis = session.analyze(&[page.to_path_buf()]).expect("analysis");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(analysis.incremental, "analysis {i} started over");
    }
    std::fs::write(page, original).expect("the page can be restored");
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "edit → analysed (language server, {edits} edits): median {:.1} ms, p95 {:.1} ms",
        at(0.5),
        at(0.95)
    );
}

/// The file of the first page of `collection`, else of the first collection.
fn first_page(session: &Session, root: &Path, collection: Option<&str>) -> Option<PathBuf> {
    let site = &session.current()?.rendered().index.site;
    let p = site.pages.iter().find(|p| match collection {
        Some(c) => p.collection.as_deref() == Some(c) && !p.content_path.ends_with("index.md"),
        None => p.collection.is_some(),
    })?;
    Some(root.join(&site.config.content_dir).join(&p.content_path))
}

/// CPU time of all threads of this process so far, in milliseconds (0 where
/// /proc does not tell).
fn cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}
