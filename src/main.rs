//! The `kader` command line.

use clap::{Parser, Subcommand, ValueEnum};
use kader::diagnostics::{render_github, render_human, render_json, render_sarif, summary_line};
use kader::{BuildOptions, Outcome};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// kader renders a knowledge base of requirements (vereisten) and measures
/// (maatregelen) from Markdown into a cross-linked, searchable static site,
/// and checks every reference on the way.
#[derive(Parser)]
#[command(name = "kader", version, about, long_about = None)]
struct Cli {
    /// Print nothing but diagnostics (no progress, no summary).
    #[arg(long, short, global = true)]
    quiet: bool,
    /// The folder holding the icon packages (`@mdi/svg`, …) for icon
    /// shortcodes, instead of site.toml's `[markdown] icons` (default
    /// `node_modules` in the site folder); also read from `KADER_ICONS`.
    #[arg(long, global = true, value_name = "DIR")]
    icons: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render the site into the output folder.
    ///
    /// The output is written into a temporary folder beside the target and
    /// swapped in only when the build succeeded; a failed build leaves the
    /// previous output untouched. Exit code 0: built (warnings allowed);
    /// 1: content errors (nothing written); 2: usage or I/O error.
    Build {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder; defaults to site.toml's `output_dir` (public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Publish under this base URL instead of site.toml's `base_url`
        /// (e.g. `https://example.org/kennisbank/`).
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time spent per stage and the peak memory use.
        #[arg(long)]
        timings: bool,
    },
    /// Check the site without writing anything and print every problem.
    ///
    /// Runs everything `build` does except writing. Exit code 0: no errors
    /// (warnings allowed); 1: content errors; 2: usage or I/O error.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` (file:line:col, source line, caret), `json` (one array),
        /// `github` (GitHub Actions annotations) or `sarif` (SARIF 2.1.0).
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Report only what the files changed since this git commit, branch
        /// or tag (staged, unstaged or untracked) are responsible for.
        #[arg(long, value_name = "REF", conflicts_with = "changed")]
        changed_since: Option<String>,
        /// Report only what these files are responsible for (a pre-commit
        /// hook passes the staged files).
        #[arg(long, value_name = "PATH", num_args = 1..)]
        changed: Option<Vec<PathBuf>>,
    },
    /// Run the language server (Language Server Protocol over stdio).
    ///
    /// Editors start it for a site: diagnostics as you type, quick fixes,
    /// completion, hover, go to definition, references, rename and symbols
    /// for pages, front matter, taxonomies and directives.
    Lsp {
        /// The site folder; default: the editor's workspace folder.
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Build the site, serve it for previewing, and rebuild on every change.
    ///
    /// Watches content, templates, static files, the glossary, decision
    /// trees and site.toml; rebuilds only what a change affects; open pages
    /// reload themselves (a CSS-only change swaps styles in place). When a
    /// change breaks the site, the last good version stays up and every open
    /// page shows the errors until they are fixed.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Interface to listen on; other than 127.0.0.1 only when asked.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Search the site's pages, ranked as the site's search box ranks them.
    ///
    /// Uses the same analysis and ranking as the browser (Dutch compounds,
    /// stemming, prefixes, one typo). Prints rank, score, URL, title and the
    /// best matching section.
    Search {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Language of the pages to search (default: the site's default language).
        #[arg(long)]
        lang: Option<String>,
        /// Number of results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// What to search for.
        query: String,
    },
    /// Walk a decision tree of the site and print where it leads.
    ///
    /// Starts at the tree's first question and follows the given answers
    /// (in any order; each names its question). Prints the next question
    /// with its answers, or the conclusion, with the labels per
    /// subcategory, the AI-Act profile and the requirements and measures
    /// that apply to it. Exit code 2 for an unknown tree, question or
    /// answer (the message names the valid ones).
    Decide {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The tree: its file's name without `.yaml` (e.g. `ai-verordening`).
        #[arg(long)]
        tree: String,
        /// An answer, as QUESTION_ID=ANSWER_TEXT (a value for a numeric question).
        #[arg(long = "answer", value_name = "QUESTION_ID=ANSWER_TEXT")]
        answers: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// List the requirements and measures that apply to an AI-Act profile.
    ///
    /// The profile is made by hand from `--term TAXONOMY/TERM` (repeatable),
    /// with the same rules as the site's "Vereisten voor jou".
    Applicable {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// A term of an AI-Act taxonomy, e.g. `rol-ai-act/aanbieder`.
        #[arg(long = "term", value_name = "TAXONOMY/TERM")]
        terms: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write the knowledge base as a spreadsheet (XLSX, ODS), CSV or JSON.
    ///
    /// The same sheets as the site's kennisbank.xlsx: an explanation sheet,
    /// then one sheet per collection with links, a frozen bold header and an
    /// autofilter. `--term` narrows the rows (AI-Act terms by the rules of
    /// "Vereisten voor jou"); `--checklist` writes that page's checklist
    /// (status drop-down, owner, notes) instead. Exit code 2 for an unknown
    /// taxonomy, term or language.
    Export {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Keep only pages with this term (repeatable), e.g. `rol-ai-act/aanbieder`.
        #[arg(long = "term", value_name = "TAXONOMY/TERM")]
        terms: Vec<String>,
        /// The checklist of "Vereisten voor jou" (with `--term`: for that profile).
        #[arg(long)]
        checklist: bool,
        /// Language of the texts and pages (default: the site's default language).
        #[arg(long)]
        lang: Option<String>,
        /// Write here instead of to standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write a site.toml equivalent to a MkDocs site's mkdocs.yml.
    ///
    /// kader builds a folder with mkdocs.yml directly; importing makes the
    /// switch permanent and lets the team edit the configuration.
    Import {
        /// The format to import from.
        #[arg(value_enum)]
        from: ImportFrom,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new requirement or measure page with valid front matter.
    ///
    /// The file name is a slug of the title; the page gets the collection's
    /// required fields and the standard sections.
    New {
        /// `vereiste` or `maatregel`.
        #[arg(value_enum)]
        kind: NewKind,
        /// The page title, e.g. "Logboeken worden bewaard".
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Xlsx,
    Ods,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportFrom {
    Mkdocs,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Vereiste,
    Maatregel,
}

// Rendering allocates many small, short-lived strings on every core; this
// allocator handles that with less contention than the system one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let interactive =
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && !cli.quiet;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let progress = |stage: &str| {
        if interactive {
            eprint!("\r\x1b[2K  {stage}…");
            let _ = std::io::stderr().flush();
        }
    };
    let clear = || {
        if interactive {
            eprint!("\r\x1b[2K");
        }
    };
    let icons = cli
        .icons
        .clone()
        .or_else(|| std::env::var_os("KADER_ICONS").map(PathBuf::from))
        // Relative to where kader runs, not to the site folder.
        .map(|p| std::path::absolute(&p).unwrap_or(p));
    match cli.command {
        Command::Build {
            root,
            out,
            strict,
            base_url,
            timings,
        } => {
            signals::stop_builds_on_interrupt();
            let opts = BuildOptions {
                strict,
                base_url,
                origin: None,
                icons: icons.clone(),
            };
            let result = kader::build_site(&root, out.as_deref(), &opts, &progress);
            // A signal that came after the new output was in place stopped
            // nothing: the build is reported as it finished.
            let written = matches!(result, Ok((_, Some(_))));
            if let Some(sig) = kader::emit::stop_signal().filter(|_| !written) {
                clear();
                eprintln!("interrupted; the previous output is unchanged");
                return ExitCode::from(signals::exit_code(sig));
            }
            match result {
                Err(e) => {
                    clear();
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
                Ok((outcome, stats)) => {
                    clear();
                    report(&outcome, color);
                    if let (Some(s), false) = (stats, cli.quiet) {
                        let out = out.or(outcome.output_dir.clone()).unwrap_or_default();
                        eprintln!(
                            "built {} pages ({} files, {:.1} MB) into {} in {} ms",
                            outcome.pages,
                            s.files,
                            s.bytes as f64 / 1e6,
                            out.display(),
                            outcome.timings.total().as_millis()
                        );
                    }
                    if !cli.quiet {
                        eprintln!("{}", summary(&outcome));
                    }
                    if timings {
                        print_timings(&outcome);
                    }
                    exit_for(outcome)
                }
            }
        }
        Command::Check {
            root,
            format,
            strict,
            changed_since,
            changed,
        } => {
            let opts = BuildOptions {
                strict,
                icons: icons.clone(),
                ..BuildOptions::default()
            };
            let changed = match (changed_since, changed) {
                (Some(r), _) => match kader::changes::changed_since(&root, &r) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                },
                (None, Some(paths)) => Some(kader::changes::relative_to(&root, &paths)),
                (None, None) => None,
            };
            match kader::check_site(&root, &opts, &progress) {
                Err(e) => {
                    clear();
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
                Ok(mut outcome) => {
                    clear();
                    if let Some(changed) = changed {
                        let all = std::mem::take(&mut outcome.diagnostics);
                        match kader::changes::responsible(&root, all, &changed) {
                            Ok(kept) => outcome.keep_only(kept),
                            Err(e) => {
                                eprintln!("error: {e}");
                                return ExitCode::from(2);
                            }
                        }
                    }
                    // Annotations name files of the repository, whose root
                    // is the current folder in CI.
                    let cwd = std::env::current_dir().unwrap_or_default();
                    let prefix = root.strip_prefix(&cwd).unwrap_or(&root).to_string_lossy();
                    match format {
                        CheckFormat::Json => println!("{}", render_json(&outcome.diagnostics)),
                        CheckFormat::Human => report(&outcome, color),
                        CheckFormat::Github => {
                            print!("{}", render_github(&outcome.diagnostics, &prefix))
                        }
                        CheckFormat::Sarif => {
                            println!("{}", render_sarif(&outcome.diagnostics, &prefix))
                        }
                    }
                    if !cli.quiet {
                        for t in &outcome.trees {
                            let state = if t.broken {
                                " (left out: it has errors)"
                            } else {
                                ""
                            };
                            eprintln!("decision tree {}: {}{state}", t.path, t.summary);
                        }
                        eprintln!("{}", summary(&outcome));
                        for (lang, missing, total) in &outcome.untranslated {
                            if *missing > 0 {
                                eprintln!(
                                    "{lang}: {missing} of {total} pages have no translation \
                                     (set [severity] missing_translation = \"warning\" to list them)"
                                );
                            }
                        }
                    }
                    exit_for(outcome)
                }
            }
        }
        Command::Decide {
            root,
            tree,
            answers,
            format,
        } => {
            let mut pairs = Vec::new();
            for a in &answers {
                match a.split_once('=') {
                    Some((q, t)) => pairs.push((q.trim().to_string(), t.trim().to_string())),
                    None => {
                        eprintln!("error: `--answer {a}` is not QUESTION_ID=ANSWER_TEXT");
                        return ExitCode::from(2);
                    }
                }
            }
            print_decision(kader::decide_site(&root, &tree, &pairs), format)
        }
        Command::Applicable {
            root,
            terms,
            format,
        } => print_decision(kader::applicable_site(&root, &terms), format),
        Command::Export {
            root,
            format,
            terms,
            checklist,
            lang,
            output,
        } => export(root, format, terms, checklist, lang, output),
        Command::Search {
            root,
            lang,
            limit,
            query,
        } => match kader::search_site(&root, lang.as_deref(), &query, limit) {
            Ok(results) => {
                if results.is_empty() && !cli.quiet {
                    eprintln!("no results for `{query}`");
                }
                for (i, r) in results.iter().enumerate() {
                    let section = if r.section.is_empty() {
                        String::new()
                    } else {
                        format!(" › {}", r.section)
                    };
                    println!(
                        "{:>2}. {:>8.2}  {}  {}{section}",
                        i + 1,
                        r.score,
                        r.url,
                        r.title
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Lsp { root } => match kader::lsp::run_stdio(root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => match kader::serve::run(
            &root,
            kader::serve::ServeOptions {
                port,
                bind,
                open,
                verbose: !cli.quiet,
                icons: icons.clone(),
            },
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Import {
            from: ImportFrom::Mkdocs,
            root,
        } => match kader::mkdocs::write_site_toml(&root) {
            Ok((path, warnings)) => {
                if !warnings.is_empty() {
                    eprint!("{}", render_human(&warnings.sorted(), color));
                }
                println!("{}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::New { kind, title, root } => {
            let kind = match kind {
                NewKind::Vereiste => kader::scaffold::Kind::Vereiste,
                NewKind::Maatregel => kader::scaffold::Kind::Maatregel,
            };
            match kader::scaffold::create(&root, kind, &title) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// `kader export`: writes the file to `output` or standard output.
fn export(
    root: PathBuf,
    format: ExportFormat,
    terms: Vec<String>,
    checklist: bool,
    lang: Option<String>,
    output: Option<PathBuf>,
) -> ExitCode {
    use kader::export::Format;
    let format = match format {
        ExportFormat::Xlsx => Format::Xlsx,
        ExportFormat::Ods => Format::Ods,
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Json => Format::Json,
    };
    if output.is_none() && format.is_binary() && std::io::stdout().is_terminal() {
        eprintln!(
            "error: a spreadsheet is binary; write it to a file with `-o FILE` (or redirect)"
        );
        return ExitCode::from(2);
    }
    let opts = kader::export::ExportOptions {
        format,
        terms,
        lang,
        checklist,
    };
    let bytes = match kader::export_site(&root, &opts) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let written = match &output {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| format!("standard output: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints a decision (`decide`, `applicable`) or its error.
fn print_decision(
    result: Result<kader::decide::Decision, kader::QueryError>,
    format: Format,
) -> ExitCode {
    match result {
        Ok(d) => {
            match format {
                Format::Json => {
                    println!("{}", serde_json::to_string_pretty(&d).unwrap_or_default())
                }
                Format::Human => print!("{}", d.human()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Stage times and peak resident memory, one `name value` per line on stdout.
fn print_timings(outcome: &Outcome) {
    let parts = &outcome.timings.render_parts;
    for (stage, d) in &outcome.timings.stages {
        println!("{stage:<9} {:>8.1} ms", d.as_secs_f64() * 1e3);
        if *stage == "render" {
            for (part, d) in parts {
                println!("  {part:<7} {:>8.1} ms", d.as_secs_f64() * 1e3);
            }
        }
    }
    println!(
        "{:<9} {:>8.1} ms",
        "total",
        outcome.timings.total().as_secs_f64() * 1e3
    );
    if let Some(kb) = peak_rss_kb() {
        println!("{:<9} {:>8.1} MB", "peak_rss", kb as f64 / 1024.0);
    }
    println!("{:<9} {:>8}", "pages", outcome.pages);
}

/// Peak resident set size of this process (Linux), in KiB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn report(outcome: &Outcome, color: bool) {
    if !outcome.diagnostics.is_empty() {
        eprint!("{}", render_human(&outcome.diagnostics, color));
    }
}

fn summary(outcome: &Outcome) -> String {
    summary_line(
        outcome.errors,
        outcome.warnings,
        outcome.files_with_problems,
    )
}

/// The exit code for a finished build or check. The process ends right
/// after, so the site is not freed piece by piece (on large sites that
/// takes a noticeable share of the run).
fn exit_for(outcome: Outcome) -> ExitCode {
    let code = if outcome.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    std::mem::forget(outcome);
    code
}

/// SIGINT and SIGTERM during `kader build`: nothing half-written stays
/// behind. The signals are blocked in every thread and taken by one thread
/// with `sigwait`, so the cleanup runs as ordinary code, not in a signal
/// handler. Before the output is written the process exits at once; while
/// it is written the writers stop at the next file and remove their
/// temporary folder (see `kader::emit`), then the build exits. Exit code:
/// 128 + the signal (130 for SIGINT, 143 for SIGTERM).
mod signals {
    pub fn exit_code(sig: i32) -> u8 {
        u8::try_from(128 + sig).unwrap_or(1)
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    pub fn stop_builds_on_interrupt() {
        use std::os::raw::c_int;
        use std::time::{Duration, Instant};

        /// Room for any platform's `sigset_t` (128 bytes on Linux, 4 on macOS).
        #[repr(C)]
        #[derive(Clone)]
        struct SigSet([u64; 32]);
        extern "C" {
            fn sigemptyset(set: *mut SigSet) -> c_int;
            fn sigaddset(set: *mut SigSet, signum: c_int) -> c_int;
            fn pthread_sigmask(how: c_int, set: *const SigSet, old: *mut SigSet) -> c_int;
            fn sigwait(set: *const SigSet, sig: *mut c_int) -> c_int;
        }
        const SIGINT: c_int = 2;
        const SIGTERM: c_int = 15;
        #[cfg(target_os = "linux")]
        const SIG_BLOCK: c_int = 0;
        #[cfg(target_os = "macos")]
        const SIG_BLOCK: c_int = 1;

        let mut set = SigSet([0; 32]);
        // SAFETY: `set` is a valid, large enough `sigset_t`; called before
        // any other thread exists, so every later thread inherits the mask.
        let blocked = unsafe {
            sigemptyset(&mut set) == 0
                && sigaddset(&mut set, SIGINT) == 0
                && sigaddset(&mut set, SIGTERM) == 0
                && pthread_sigmask(SIG_BLOCK, &set, std::ptr::null_mut()) == 0
        };
        if !blocked {
            return;
        }
        let waited = set.clone();
        let spawned = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || loop {
                let mut sig: c_int = 0;
                // SAFETY: `waited` is an initialised set owned by this thread.
                if unsafe { sigwait(&waited, &mut sig) } != 0 {
                    continue;
                }
                if kader::emit::request_stop(sig) == kader::emit::StopState::Idle {
                    eprintln!("\ninterrupted");
                    std::process::exit(128 + sig);
                }
                // The writers stop at their next file and clean up; the
                // main thread then exits. If they hang, clean up for them.
                let deadline = Instant::now() + Duration::from_secs(5);
                while kader::emit::is_writing() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
                if kader::emit::is_writing() {
                    kader::emit::force_cleanup();
                    eprintln!("\ninterrupted; the previous output is unchanged");
                    std::process::exit(128 + sig);
                }
            });
        if spawned.is_err() {
            // Without the thread, restore the default behaviour.
            #[cfg(target_os = "linux")]
            const SIG_UNBLOCK: c_int = 1;
            #[cfg(target_os = "macos")]
            const SIG_UNBLOCK: c_int = 2;
            // SAFETY: as above.
            unsafe {
                pthread_sigmask(SIG_UNBLOCK, &set, std::ptr::null_mut());
            }
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    pub fn stop_builds_on_interrupt() {}
}
