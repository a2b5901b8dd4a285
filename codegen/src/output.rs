//! Writing a generated crate to disk, and checking that a committed one is fresh.
//!
//! The generator owns `Cargo.toml`, `rustfmt.toml` and everything under `src/` of the output
//! directory. Writes
//! touch only files whose bytes change (so cargo rebuilds only what changed), and happen in two
//! phases: every new file is first written beside its target, and only when all of them were
//! written are they renamed into place. A failure in the first phase removes what it wrote and
//! leaves the tree as it was.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::GeneratedCrate;

/// A file of the output directory that differs from what the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// The file exists with other content.
    Changed(PathBuf),
    /// The file should exist and does not.
    Missing(PathBuf),
    /// The file is in a directory the generator owns but is not generated.
    Extra(PathBuf),
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::Changed(path) => write!(f, "changed: {}", path.display()),
            Stale::Missing(path) => write!(f, "missing: {}", path.display()),
            Stale::Extra(path) => write!(f, "not generated: {}", path.display()),
        }
    }
}

/// What [`GeneratedCrate::write`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
    pub unchanged: usize,
}

/// A write that failed. A failure while staging leaves the output directory as it was; only a
/// failing rename (which needs a disk fault between two renames) can leave it partly updated.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl GeneratedCrate {
    /// Compares the generated files with `out_dir`, writing nothing.
    pub fn check(&self, out_dir: &Path) -> io::Result<Vec<Stale>> {
        let mut stale = Vec::new();
        for (path, content) in &self.files {
            match fs::read(out_dir.join(path)) {
                Ok(existing) if existing == content.as_bytes() => {}
                Ok(_) => stale.push(Stale::Changed(path.clone())),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {
                    stale.push(Stale::Missing(path.clone()))
                }
                Err(error) => return Err(error),
            }
        }
        stale.extend(self.extra_files(out_dir)?.into_iter().map(Stale::Extra));
        Ok(stale)
    }

    /// Writes changed files into `out_dir` and removes files the generator no longer produces.
    pub fn write(&self, out_dir: &Path) -> Result<WriteReport, WriteError> {
        let stale = self.check(out_dir).map_err(|source| WriteError {
            path: out_dir.to_owned(),
            source,
        })?;
        let mut report = WriteReport {
            unchanged: self.files.len(),
            ..WriteReport::default()
        };
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        for entry in &stale {
            let (Stale::Changed(path) | Stale::Missing(path)) = entry else {
                continue;
            };
            let target = out_dir.join(path);
            let temporary = temporary_path(&target);
            let result = target
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::write(&temporary, &self.files[path]));
            if let Err(source) = result {
                for (temporary, _) in &staged {
                    let _ = fs::remove_file(temporary);
                }
                let _ = fs::remove_file(&temporary);
                return Err(WriteError {
                    path: target,
                    source,
                });
            }
            staged.push((temporary, target));
            report.written.push(path.clone());
        }
        for (temporary, target) in &staged {
            fs::rename(temporary, target).map_err(|source| WriteError {
                path: target.clone(),
                source,
            })?;
        }
        report.unchanged -= report.written.len();
        for entry in &stale {
            if let Stale::Extra(path) = entry {
                let target = out_dir.join(path);
                fs::remove_file(&target).map_err(|source| WriteError {
                    path: target.clone(),
                    source,
                })?;
                report.removed.push(path.clone());
            }
        }
        remove_empty_dirs(&out_dir.join("src"));
        Ok(report)
    }

    /// Files under `src/` that the generator does not produce.
    fn extra_files(&self, out_dir: &Path) -> io::Result<Vec<PathBuf>> {
        let generated: BTreeSet<&Path> = self.files.keys().map(PathBuf::as_path).collect();
        let mut extra = Vec::new();
        let mut pending = vec![PathBuf::from("src")];
        while let Some(dir) = pending.pop() {
            let entries = match fs::read_dir(out_dir.join(&dir)) {
                Ok(entries) => entries,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error),
            };
            for entry in entries {
                let entry = entry?;
                let relative = dir.join(entry.file_name());
                if entry.file_type()?.is_dir() {
                    pending.push(relative);
                } else if !generated.contains(relative.as_path()) {
                    extra.push(relative);
                }
            }
        }
        extra.sort();
        Ok(extra)
    }
}

fn temporary_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_owned();
    name.push(".codegen-tmp");
    target.with_file_name(name)
}

/// Removes directories left empty by removed files (best effort: a non-empty one stays).
fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            remove_empty_dirs(&entry.path());
            let _ = fs::remove_dir(entry.path());
        }
    }
}
