//! Stage 6, emit: writes the validated site to disk atomically. Files go
//! into a temporary folder beside the target, which replaces the target
//! only when everything was written. A failed or interrupted build leaves
//! the previous output untouched.

use crate::render::Copy;
use crate::validate::ValidatedSite;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

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

pub fn emit(site: &ValidatedSite, out: &Path) -> Result<EmitStats, EmitError> {
    check_replaceable(out)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| EmitError(format!("cannot create {}: {e}", parent.display())))?;
    }
    let tmp = temp_path(out, "tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    let result = write_all(site, &tmp).and_then(|stats| swap(&tmp, out).map(|()| stats));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn write_all(site: &ValidatedSite, tmp: &Path) -> Result<EmitStats, EmitError> {
    let io = |p: &Path, e: std::io::Error| EmitError(format!("cannot write {}: {e}", p.display()));
    std::fs::create_dir_all(tmp).map_err(|e| io(tmp, e))?;
    let r = &site.rendered;
    let mut dirs: Vec<PathBuf> = r
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(r.copies.iter().map(Copy::dest))
        .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        let p = tmp.join(d);
        std::fs::create_dir_all(&p).map_err(|e| io(&p, e))?;
    }
    let written: Result<Vec<u64>, EmitError> = r
        .files
        .par_iter()
        .map(|f| {
            let p = tmp.join(&f.path);
            std::fs::write(&p, &f.bytes).map_err(|e| io(&p, e))?;
            Ok(f.bytes.len() as u64)
        })
        .collect();
    let mut bytes: u64 = written?.iter().sum();
    let copied: Result<Vec<u64>, EmitError> = r
        .copies
        .par_iter()
        .map(|c| match c {
            Copy::Disk { from, to } => {
                let p = tmp.join(to);
                std::fs::copy(from, &p).map_err(|e| {
                    EmitError(format!(
                        "cannot copy {} to {}: {e}",
                        from.display(),
                        p.display()
                    ))
                })
            }
            Copy::Bytes { bytes, to } => {
                let p = tmp.join(to);
                std::fs::write(&p, bytes).map_err(|e| io(&p, e))?;
                Ok(bytes.len() as u64)
            }
        })
        .collect();
    bytes += copied?.iter().sum::<u64>();
    let marker = tmp.join(MARKER);
    std::fs::write(
        &marker,
        b"This folder is written by kader build and replaced on every build.\n",
    )
    .map_err(|e| io(&marker, e))?;
    Ok(EmitStats {
        files: r.files.len() + r.copies.len(),
        bytes,
    })
}

/// Puts `tmp` in place of `out`.
fn swap(tmp: &Path, out: &Path) -> Result<(), EmitError> {
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
