//! Measures the generator on the full Amazon Connect model, and optionally the cost of building
//! the crate it generates.
//!
//! `cargo bench -p codegen --bench generate` times loading the model and generating the crate
//! (median and min of 10 runs after one warm-up) and counts the files and lines generated.
//!
//! `cargo bench -p codegen --bench generate -- --build` also writes the crate, standalone, to a
//! fresh temporary directory with the workspace's `Cargo.lock`, and measures under
//! `/usr/bin/time` a clean debug build of its whole dependency tree, a rebuild of the `connect`
//! crate alone (after touching `src/lib.rs`) and a `cargo check` of it alone, all with
//! `CARGO_INCREMENTAL=0`, next to the figures of aws-sdk-connect on the same machine. It takes
//! minutes and needs the dependencies in cargo's local cache (`--offline`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, bail};
use codegen::GeneratedCrate;
use models::Service;

/// Timed runs of the generator, after one warm-up run.
const ITERATIONS: usize = 10;

// aws-sdk-connect 1.220.0 as measured by the team; the figures in `tests/bench-inputs/README.md`.
// `peers/dynamodb-bench`'s `build_alone` measures the SDK crate alone beside ours in one run.
/// Clean debug build of the SDK's whole dependency tree: wall seconds.
const PEER_TREE_BUILD_SECS: f64 = 151.0;
/// Clean debug build of the SDK's whole dependency tree: peak RSS in GB.
const PEER_TREE_PEAK_GB: f64 = 4.8;
/// The SDK crate alone in that build.
const PEER_CRATE_BUILD_SECS: f64 = 86.0;
/// `cargo check` of the SDK crate alone (given in the types issue; not in the shared README).
const PEER_CRATE_CHECK_SECS: f64 = 47.0;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen is a member of the workspace");
    let service = bench_generation(root)?;
    if std::env::args().any(|arg| arg == "--build") {
        println!();
        bench_build(root, &service)?;
    }
    Ok(())
}

/// Times loading and generating the Connect model; returns the loaded model.
fn bench_generation(root: &Path) -> anyhow::Result<Service> {
    let model = root.join("service-json/connect/2017-08-08");
    let warm_up = Run::new(&model)?;
    let mut loads = Vec::with_capacity(ITERATIONS);
    let mut generates = Vec::with_capacity(ITERATIONS);
    for _ in 0..ITERATIONS {
        let run = Run::new(&model)?;
        loads.push(run.load);
        generates.push(run.generate);
    }
    let totals = loads.iter().zip(&generates).map(|(l, g)| *l + *g).collect();

    println!("Generating the Connect crate ({ITERATIONS} runs after 1 warm-up)");
    print_times("load", loads);
    print_times("generate", generates);
    print_times("total", totals);
    let files = &warm_up.generated.files;
    let lines: usize = files.values().map(|file| file.lines().count()).sum();
    let bytes: usize = files.values().map(String::len).sum();
    println!(
        "  output    {} files, {lines} lines, {:.1} MB",
        files.len(),
        bytes as f64 / 1e6
    );
    Ok(warm_up.service)
}

/// One load and one generation, each timed; the times exclude dropping the results.
struct Run {
    load: Duration,
    generate: Duration,
    service: Service,
    generated: GeneratedCrate,
}

impl Run {
    fn new(model: &Path) -> anyhow::Result<Run> {
        let service_path = model.join("service-2.json");
        let paginators_path = model.join("paginators-1.json");
        let start = Instant::now();
        let service = models::load_service_files(&service_path, Some(&paginators_path))
            .with_context(|| format!("cannot load {}", service_path.display()))?;
        let loaded = Instant::now();
        let generated = codegen::Config::new("connect").generate(&service)?;
        let generate = loaded.elapsed();
        Ok(Run {
            load: loaded - start,
            generate,
            service,
            generated,
        })
    }
}

fn print_times(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let middle = times.len() / 2;
    let median = if times.len().is_multiple_of(2) {
        (times[middle - 1] + times[middle]) / 2
    } else {
        times[middle]
    };
    println!(
        "  {label:<9} median {:7.1} ms   min {:7.1} ms",
        millis(median),
        millis(times[0])
    );
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Builds the generated crate from scratch outside the workspace and compares with the peer.
fn bench_build(root: &Path, service: &Service) -> anyhow::Result<()> {
    let temp = tempfile::Builder::new()
        .prefix("connect-build-bench-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let crate_dir = temp.path().join("connect");
    // The runtime by path: the crate cannot take it from a registry (it is not published).
    let runtime = root.join("runtime").display().to_string();
    codegen::Config::new("connect")
        .standalone(true)
        .runtime(codegen::RuntimeDependency::Path(runtime))
        .generate(service)?
        .write(&crate_dir)?;
    let lock = root.join("Cargo.lock");
    fs::copy(&lock, crate_dir.join("Cargo.lock"))
        .with_context(|| format!("cannot copy {}", lock.display()))?;
    let cargo = TimedCargo {
        crate_dir,
        target_dir: temp.path().join("target"),
        time_output: temp.path().join("time.txt"),
    };
    println!(
        "Building the generated crate (standalone, debug, non-incremental, in {}); peer: \
         aws-sdk-connect 1.220.0",
        temp.path().display()
    );

    let tree = cargo.timed("build")?;
    println!(
        "  whole tree clean build:    {}; peak RSS {:.2} GB vs {PEER_TREE_PEAK_GB} GB ({})",
        compare_secs(tree.secs, PEER_TREE_BUILD_SECS),
        tree.peak_gb(),
        ratio(tree.peak_gb(), PEER_TREE_PEAK_GB, "less", "more")
    );

    cargo.touch_lib()?;
    let alone = cargo.timed("build")?;
    println!(
        "  connect crate alone:       {}; peak RSS {:.2} GB",
        compare_secs(alone.secs, PEER_CRATE_BUILD_SECS),
        alone.peak_gb()
    );

    // `check` compiles dependencies to metadata only, units the build above did not make.
    cargo.timed("check")?;
    cargo.touch_lib()?;
    let check = cargo.timed("check")?;
    println!(
        "  cargo check, crate alone:  {}; peak RSS {:.2} GB",
        compare_secs(check.secs, PEER_CRATE_CHECK_SECS),
        check.peak_gb()
    );
    Ok(())
}

/// "18.2 s vs 86 s (4.7x faster)".
fn compare_secs(ours: f64, peer: f64) -> String {
    format!(
        "{ours:.1} s vs {peer} s ({})",
        ratio(ours, peer, "faster", "slower")
    )
}

/// How many times smaller `ours` is than `peer`, or larger when it is.
fn ratio(ours: f64, peer: f64, smaller: &str, larger: &str) -> String {
    if ours <= peer {
        format!("{:.1}x {smaller}", peer / ours)
    } else {
        format!("{:.1}x {larger}", ours / peer)
    }
}

/// Runs cargo in the generated crate, under `/usr/bin/time`, with its own target directory.
struct TimedCargo {
    crate_dir: PathBuf,
    target_dir: PathBuf,
    time_output: PathBuf,
}

/// What `/usr/bin/time -f '%e %M'` reports.
struct Usage {
    secs: f64,
    /// Peak resident set of the largest process, in KB.
    peak_kb: u64,
}

impl Usage {
    fn peak_gb(&self) -> f64 {
        self.peak_kb as f64 * 1024.0 / 1e9
    }
}

impl TimedCargo {
    fn timed(&self, subcommand: &str) -> anyhow::Result<Usage> {
        let described = format!(
            "`/usr/bin/time -f '%e %M' cargo {subcommand} --offline` in {}",
            self.crate_dir.display()
        );
        let output = Command::new("/usr/bin/time")
            .arg("-o")
            .arg(&self.time_output)
            .args(["-f", "%e %M", "cargo", subcommand, "--offline"])
            .current_dir(&self.crate_dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            // Without it the rebuilds after a touch reuse the incremental cache of the first
            // build and measure next to nothing; the peer, a registry crate, is never incremental.
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .with_context(|| format!("cannot run {described}"))?;
        if !output.status.success() {
            bail!(
                "{described} failed ({}):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let report = fs::read_to_string(&self.time_output)
            .with_context(|| format!("cannot read the report of {described}"))?;
        parse_usage(&report).with_context(|| format!("{described} reported {report:?}"))
    }

    /// Marks the crate's root as changed so cargo recompiles the crate and nothing else.
    fn touch_lib(&self) -> anyhow::Result<()> {
        let lib = self.crate_dir.join("src/lib.rs");
        fs::File::options()
            .write(true)
            .open(&lib)
            .and_then(|file| file.set_modified(SystemTime::now()))
            .with_context(|| format!("cannot touch {}", lib.display()))
    }
}

/// Parses the last line of `%e %M`: wall seconds and peak KB.
fn parse_usage(report: &str) -> anyhow::Result<Usage> {
    let line = report.lines().last().unwrap_or_default();
    let Some((secs, peak_kb)) = line.split_once(' ') else {
        bail!("expected \"<seconds> <KB>\"");
    };
    Ok(Usage {
        secs: secs.parse().context("wall seconds")?,
        peak_kb: peak_kb.trim().parse().context("peak KB")?,
    })
}
