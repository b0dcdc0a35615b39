//! Stage 6, emit: writes the validated site to disk atomically. Files go
//! into a temporary folder beside the target, which replaces the target
//! only when everything was written. A failed or interrupted build leaves
//! the previous output untouched.

//!
//! An interrupt (SIGINT, SIGTERM) is a process-wide event, so this module
//! keeps the one piece of process-wide state of the pipeline: which output
//! is being written. The CLI's signal thread calls [`request_stop`]; the
//! writers notice it between files, remove the temporary folder and return
//! [`EmitError`], or (if they do not within a few seconds)
//! [`force_cleanup`] does it for them.

use crate::render::Copy;
use crate::validate::ValidSite;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Marker file identifying a folder kader may replace.
pub const MARKER: &str = ".kader-output";

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmitStats {
    pub files: usize,
    pub bytes: u64,
}

/// An I/O failure while writing the output (exit code 2).
#[derive(Debug)]
pub struct EmitError(pub String);

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Set once a stop was requested; never cleared.
static STOP: AtomicBool = AtomicBool::new(false);
/// The signal that requested the stop (0: none).
static STOP_SIGNAL: AtomicI32 = AtomicI32::new(0);
/// The emit in progress, if any. Held while the output is swapped, so an
/// interrupt never sees it half-swapped.
static ACTIVE: Mutex<Option<Active>> = Mutex::new(None);

#[derive(Debug, Clone)]
struct Active {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
}

fn active() -> MutexGuard<'static, Option<Active>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// What an interrupt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopState {
    /// Nothing is being written (and nothing will be): exit at once.
    Idle,
    /// An output is being written; it stops at the next file and cleans up.
    Writing,
}

/// Asks the emit in progress, and any later one, to stop. `signal` is
/// remembered for [`stop_signal`].
pub fn request_stop(signal: i32) -> StopState {
    let _ = STOP_SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    STOP.store(true, Ordering::SeqCst);
    if active().is_some() {
        StopState::Writing
    } else {
        StopState::Idle
    }
}

/// The signal of a requested stop, if one was requested.
pub fn stop_signal() -> Option<i32> {
    STOP.load(Ordering::SeqCst)
        .then(|| STOP_SIGNAL.load(Ordering::SeqCst))
}

/// Whether an emit is in progress.
pub fn is_writing() -> bool {
    active().is_some()
}

/// Removes the temporary folder of the emit in progress and puts the
/// previous output back if it had been moved aside. For an interrupt whose
/// writers did not stop in time; the process must exit right after.
pub fn force_cleanup() {
    let mut guard = active();
    if let Some(a) = guard.take() {
        let _ = std::fs::remove_dir_all(&a.tmp);
        if a.old.exists() {
            if a.out.exists() {
                let _ = std::fs::remove_dir_all(&a.old);
            } else {
                let _ = std::fs::rename(&a.old, &a.out);
            }
        }
    }
    // Keep the lock: no emit may start before the process exits.
    std::mem::forget(guard);
}

fn stopped() -> bool {
    STOP.load(Ordering::Relaxed)
}

fn interrupted() -> EmitError {
    EmitError("interrupted; the previous output is unchanged".into())
}

/// Temporary folders of this process, so an interrupt can remove them.
pub fn temp_path(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.kader-{tag}-{}", std::process::id()))
}

/// Refuses to replace a folder that kader did not create.
fn check_replaceable(out: &Path) -> Result<(), EmitError> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(EmitError(format!(
            "{} exists and is not a folder",
            out.display()
        )));
    }
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if empty || out.join(MARKER).is_file() {
        return Ok(());
    }
    Err(EmitError(format!(
        "refusing to replace {}: it was not created by kader (no {MARKER} file); remove it or choose another --out",
        out.display()
    )))
}

/// Checks that a file can be created in the existing folder `out`, which
/// the swap will move aside and delete.
fn check_writable(out: &Path) -> Result<(), EmitError> {
    if !out.is_dir() {
        return Ok(());
    }
    let probe = out.join(format!(".kader-write-test-{}", std::process::id()));
    match std::fs::write(&probe, b"") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(EmitError(format!(
            "cannot replace {}: the folder is not writable ({e}); the previous output is unchanged",
            out.display()
        ))),
    }
}

/// An output being written: a temporary folder beside `out` that replaces
/// it in [`Staging::finish`]. Pages can be written into it while the rest
/// of the site is still being rendered ([`crate::render::Sink`]). Dropped
/// unfinished, it removes the temporary folder and leaves `out` as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    /// Whether `out` existed when the build began: only then can an
    /// unchanged file be linked from it.
    previous: bool,
    /// Cleared when a reflink fails: the file systems cannot make one, and
    /// the other copies go straight to a plain copy.
    reflinks: AtomicBool,
    done: bool,
}

impl Staging {
    /// Checks that `out` may be replaced and creates the temporary folder.
    pub fn begin(out: &Path) -> Result<Staging, EmitError> {
        check_replaceable(out)?;
        check_writable(out)?;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| EmitError(format!("cannot create {}: {e}", parent.display())))?;
        }
        let tmp = temp_path(out, "tmp");
        {
            let mut a = active();
            if stopped() {
                return Err(interrupted());
            }
            *a = Some(Active {
                out: out.to_path_buf(),
                tmp: tmp.clone(),
                old: temp_path(out, "old"),
            });
        }
        let staging = Staging {
            out: out.to_path_buf(),
            tmp,
            previous: out.is_dir(),
            reflinks: AtomicBool::new(true),
            done: false,
        };
        let _ = std::fs::remove_dir_all(&staging.tmp);
        std::fs::create_dir(&staging.tmp).map_err(|e| {
            EmitError(format!(
                "cannot create the temporary output folder {}: {e}",
                staging.tmp.display()
            ))
        })?;
        Ok(staging)
    }

    /// Writes one file at `rel` (`/`-separated, relative to the output).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), EmitError> {
        if stopped() {
            return Err(interrupted());
        }
        let p = self.tmp.join(rel);
        self.make_folder_of(&p)
            .and_then(|()| std::fs::write(&p, bytes))
            .map_err(|e| failed(format!("cannot write {}: {e}", p.display())))
    }

    /// Creates the folder of the file `p` in the temporary folder. Most
    /// files are pages, each in a new folder whose parent exists.
    fn make_folder_of(&self, p: &Path) -> std::io::Result<()> {
        let Some(dir) = p.parent().filter(|d| *d != self.tmp) else {
            return Ok(());
        };
        match std::fs::create_dir(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dir),
            other => other,
        }
    }

    /// Copies one file unchanged into the output; returns its size.
    pub fn copy(&self, c: &Copy) -> Result<u64, EmitError> {
        if stopped() {
            return Err(interrupted());
        }
        match c {
            Copy::Disk { from, to } => {
                let p = self.tmp.join(to);
                self.make_folder_of(&p)
                    .and_then(|()| self.place(from, to, &p))
                    .map_err(|e| {
                        failed(format!(
                            "cannot copy {} to {}: {e}",
                            from.display(),
                            p.display()
                        ))
                    })
            }
            Copy::Bytes { bytes, to } => {
                self.write(to, bytes)?;
                Ok(bytes.len() as u64)
            }
        }
    }

    /// Puts a copy of the source file `from` at `p` (`to` in the output)
    /// and returns its size. When the previous output holds the same file
    /// (same size and modification time: copies carry their source's time),
    /// that file is hard-linked into the new output instead of copied again;
    /// otherwise the copy is a reflink where the file system can make one,
    /// else a plain copy. Never a link to the source itself: saving a source
    /// in place must not change the published site.
    fn place(&self, from: &Path, to: &str, p: &Path) -> std::io::Result<u64> {
        let mut source = std::fs::File::open(from)?;
        let meta = source.metadata()?;
        let modified = meta.modified()?;
        if self.previous {
            let previous = self.out.join(to);
            let unchanged = std::fs::symlink_metadata(&previous).is_ok_and(|m| {
                m.is_file() && m.len() == meta.len() && m.modified().is_ok_and(|t| t == modified)
            });
            if unchanged && std::fs::hard_link(&previous, p).is_ok() {
                return Ok(meta.len());
            }
        }
        if self.reflinks.load(Ordering::Relaxed) {
            match reflink_copy::reflink(from, p) {
                Ok(()) => {
                    std::fs::File::options()
                        .write(true)
                        .open(p)?
                        .set_modified(modified)?;
                    return Ok(meta.len());
                }
                Err(_) => self.reflinks.store(false, Ordering::Relaxed),
            }
        }
        let mut copy = std::fs::File::create_new(p)?;
        std::io::copy(&mut source, &mut copy)?;
        copy.set_modified(modified)?;
        Ok(meta.len())
    }

    /// Writes the files of `site` still held in memory and its copies, then
    /// puts the output in place of the previous one.
    pub fn finish(mut self, site: &ValidSite) -> Result<EmitStats, EmitError> {
        let stats = self.write_rest(site)?;
        swap(&self.tmp, &self.out)?;
        self.done = true;
        *active() = None;
        Ok(stats)
    }

    fn write_rest(&self, site: &ValidSite) -> Result<EmitStats, EmitError> {
        // Folders are made as files need them (see `write` and `copy`).
        let r = site.rendered();
        let written: Result<Vec<u64>, EmitError> = r
            .files
            .par_iter()
            .map(|f| {
                self.write(&f.path, &f.bytes)?;
                Ok(f.bytes.len() as u64)
            })
            .collect();
        let mut bytes: u64 = written?.iter().sum();
        let copies: &[Copy] = if r.streamed.copies { &[] } else { &r.copies };
        let copied: Result<Vec<u64>, EmitError> = copies.par_iter().map(|c| self.copy(c)).collect();
        bytes += copied?.iter().sum::<u64>() + r.streamed.bytes;
        self.write(
            MARKER,
            b"This folder is written by kader build and replaced on every build.\n",
        )?;
        Ok(EmitStats {
            files: r.files.len() + copies.len() + r.streamed.files,
            bytes,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
            *active() = None;
        }
    }
}

impl crate::render::Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        Staging::write(self, path, bytes).map_err(|e| e.0)
    }

    fn copy(&self, copy: &Copy) -> Result<u64, String> {
        Staging::copy(self, copy).map_err(|e| e.0)
    }
}

/// An error while writing, as reported: an interrupt says so.
fn failed(msg: String) -> EmitError {
    if stopped() {
        interrupted()
    } else {
        EmitError(format!("{msg}; the previous output is unchanged"))
    }
}

/// Puts `tmp` in place of `out`.
fn swap(tmp: &Path, out: &Path) -> Result<(), EmitError> {
    let _swapping = active();
    if stopped() {
        return Err(interrupted());
    }
    if out.exists() {
        let old = temp_path(out, "old");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old).map_err(|e| {
            EmitError(format!(
                "cannot move the previous output {} aside: {e}",
                out.display()
            ))
        })?;
        if let Err(e) = std::fs::rename(tmp, out) {
            let _ = std::fs::rename(&old, out);
            return Err(EmitError(format!(
                "cannot move the new output into {}: {e}",
                out.display()
            )));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(tmp, out).map_err(|e| {
            EmitError(format!(
                "cannot move the new output into {}: {e}",
                out.display()
            ))
        })?;
    }
    Ok(())
}
