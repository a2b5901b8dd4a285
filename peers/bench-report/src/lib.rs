//! Criterion's own results, read back after a run, so that each peer benchmark can end with
//! one summary of both sides and their ratio. Criterion has no API for its estimates; it writes
//! them as JSON, which is what this reads.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where criterion writes its results: `$CRITERION_HOME`, else `<target dir>/criterion`, with
/// the target directory taken from `$CARGO_TARGET_DIR` or from the running bench's own path
/// (`<target>/release/deps/<bench>-HASH`), so it is known without asking cargo.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let exe = std::env::current_exe().expect("current exe");
    exe.ancestors()
        .nth(3)
        .map(|target| target.join("criterion"))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// Criterion's directory name for an id (its `make_filename_safe`).
fn dir_name(s: &str) -> String {
    s.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_")
}

/// What criterion found for one benchmark, in nanoseconds per iteration.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// Criterion's median estimate (over its samples of per-iteration means).
    pub median: f64,
    /// The fastest sample's per-iteration mean: the least disturbed by other work on the machine.
    pub fastest: f64,
}

/// What criterion found for `group/id` under `out`, if that benchmark ran in this process
/// (its files are no older than `started`; older ones are left from runs filtered out of
/// this one).
pub fn measured(out: &Path, group: &str, id: &str, started: SystemTime) -> Option<Measured> {
    let dir = out.join(dir_name(group)).join(dir_name(id)).join("new");
    let read = |name: &str| -> Option<serde_json::Value> {
        let file = dir.join(name);
        let modified = std::fs::metadata(&file).ok()?.modified().ok()?;
        if modified < started {
            return None;
        }
        serde_json::from_slice(&std::fs::read(&file).ok()?).ok()
    };
    let estimates = read("estimates.json")?;
    let median = estimates["median"]["point_estimate"].as_f64()?;
    let sample = read("sample.json")?;
    let iters = sample["iters"].as_array()?;
    let times = sample["times"].as_array()?;
    let fastest = iters
        .iter()
        .zip(times)
        .filter_map(|(n, t)| Some(t.as_f64()? / n.as_f64()?))
        .fold(f64::INFINITY, f64::min);
    Some(Measured { median, fastest })
}
