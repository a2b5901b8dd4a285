//! A clean debug build of one crate alone, ours against the peer's, in one run, in four groups:
//!
//! - `dynamodb`: `dynamodb` (services/dynamodb) against aws-sdk-dynamodb;
//! - `connect`: `connect` (generated/) against aws-sdk-connect 1.220.0;
//! - `xml`: `ec2` generated from the whole botocore EC2 model (not the subset in services/ec2;
//!   written to `<target>/build-alone/generated/ec2` by this bench with the workspace's
//!   generator, whose run is timed and reported) against aws-sdk-ec2 and against aws-sdk-s3, and
//!   `s3` (services/s3) against aws-sdk-s3;
//! - `s3`: `s3` against aws-sdk-s3 alone.
//!
//! "Alone" means with its dependencies already built: for each group, a probe crate depending on
//! all its crates is written to `<target>/build-alone/<group>/` with the lock file of the peer
//! workspace that benchmarks them at run time (this workspace's for DynamoDB, `peers/sdk-bench`'s
//! for Connect, `peers/s3-bench`'s for S3 and EC2, which pins aws-sdk-ec2 as an optional
//! dependency), so the same versions are built. One `cargo build` builds everything (not timed).
//! Then, for each run and crate, `cargo clean -p <crate>` and a timed `cargo build`, which
//! recompiles that crate and the empty probe. Two measures:
//!
//! - `cargo build`: wall time and peak RSS of the whole `cargo build` (`/usr/bin/time`: peak RSS
//!   is that of the largest process in the tree, which is the crate's rustc);
//! - `rustc`: the crate's rustc process alone, timed by a `RUSTC_WRAPPER` that runs it under
//!   `/usr/bin/time` (wall, user + system CPU, peak RSS) and passes every other rustc through.
//!
//! Everything is the default `dev` profile (debug info on, opt-level 0), `CARGO_INCREMENTAL=0`
//! (registry crates are never incremental; this keeps ours from being so), cargo's default jobs.
//! The order alternates, the group's list on odd runs (peer first in the pairs) and its reverse
//! on even ones; medians are printed with the ratio ours/peer beside the goal (ours at most a
//! quarter of the peer's).
//!
//! Run it under the machine-wide build lock, so that nothing else builds alongside:
//!
//! ```sh
//! cd peers/dynamodb-bench
//! CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=../../target/peers \
//!   flock /tmp/cargo-build.lock cargo bench --bench build_alone -- [--runs N] [dynamodb] [connect] [xml] [s3]
//! ```
//!
//! It needs the peers' crates in cargo's cache (building the runtime benches fetches them; for
//! aws-sdk-ec2, `cargo fetch` in peers/s3-bench).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The goal: ours at most this fraction of the peer's time and peak memory.
const GOAL: f64 = 0.25;

/// One crate of a group.
struct Side {
    /// Package name, for `cargo clean -p`.
    package: &'static str,
    /// `--crate-name` as rustc sees it.
    crate_name: &'static str,
    /// The dependency line in the probe's Cargo.toml.
    dependency: String,
}

/// Crates built in one probe, with the same dependency builds: each is cleaned and rebuilt
/// alone, and compared as `comparisons` say.
struct Group {
    name: &'static str,
    /// In the order of odd runs; even runs take them in reverse.
    sides: Vec<Side>,
    /// (ours, peer), indices into `sides`.
    comparisons: Vec<(usize, usize)>,
    /// The lock file whose versions the probe builds.
    lock: PathBuf,
    /// Run before the probe is written: writes a crate the probe depends on, and reports on it.
    prepare: Option<fn(&Path, &Path) -> Result<String, String>>,
}

/// The pinned aws-sdk-s3 and aws-sdk-ec2, as `peers/s3-bench/Cargo.toml` takes them.
const S3_PEER: &str = "1.157.0";
const EC2_PEER: &str = "1.274.0";

/// The SDK's features, as every peer workspace takes them: no default HTTPS client.
fn sdk_dependency(package: &str, version: &str) -> String {
    format!(
        "{package} = {{ version = \"={version}\", default-features = false, \
         features = [\"behavior-version-latest\", \"rt-tokio\", \"test-util\"] }}"
    )
}

fn groups(root: &Path, base: &Path) -> Vec<Group> {
    let path = |p: &str| root.join(p).display().to_string();
    vec![
        Group {
            name: "dynamodb",
            sides: vec![
                Side {
                    package: "aws-sdk-dynamodb",
                    crate_name: "aws_sdk_dynamodb",
                    // As this workspace's Cargo.toml takes it.
                    dependency: sdk_dependency("aws-sdk-dynamodb", dynamodb_bench::PEER_VERSION),
                },
                Side {
                    package: "dynamodb",
                    crate_name: "dynamodb",
                    dependency: format!("dynamodb = {{ path = {:?} }}", path("services/dynamodb")),
                },
            ],
            comparisons: vec![(1, 0)],
            lock: root.join("peers/dynamodb-bench/Cargo.lock"),
            prepare: None,
        },
        Group {
            name: "connect",
            sides: vec![
                Side {
                    package: "aws-sdk-connect",
                    crate_name: "aws_sdk_connect",
                    // As peers/sdk-bench/Cargo.toml takes it.
                    dependency: sdk_dependency("aws-sdk-connect", "1.220.0"),
                },
                Side {
                    package: "connect",
                    crate_name: "connect",
                    dependency: format!("connect = {{ path = {:?} }}", path("generated")),
                },
            ],
            comparisons: vec![(1, 0)],
            lock: root.join("peers/sdk-bench/Cargo.lock"),
            prepare: None,
        },
        // The XML protocols: the whole EC2 model (generated here by `prepare`, not the subset
        // in services/ec2) against aws-sdk-ec2 and aws-sdk-s3, our s3 against aws-sdk-s3.
        Group {
            name: "xml",
            sides: vec![
                Side {
                    package: "aws-sdk-ec2",
                    crate_name: "aws_sdk_ec2",
                    dependency: sdk_dependency("aws-sdk-ec2", EC2_PEER),
                },
                Side {
                    package: "ec2",
                    crate_name: "ec2",
                    dependency: format!(
                        "ec2 = {{ path = {:?} }}",
                        base.join(EC2_OUT).display().to_string()
                    ),
                },
                Side {
                    package: "aws-sdk-s3",
                    crate_name: "aws_sdk_s3",
                    dependency: sdk_dependency("aws-sdk-s3", S3_PEER),
                },
                Side {
                    package: "s3",
                    crate_name: "s3",
                    dependency: format!("s3 = {{ path = {:?} }}", path("services/s3")),
                },
            ],
            comparisons: vec![(1, 0), (1, 2), (3, 2)],
            // It pins aws-sdk-ec2 too (an optional dependency there).
            lock: root.join("peers/s3-bench/Cargo.lock"),
            prepare: Some(generate_ec2),
        },
        // Our s3 against aws-sdk-s3 alone: the `xml` group's last comparison without EC2's
        // half hour.
        Group {
            name: "s3",
            sides: vec![
                Side {
                    package: "aws-sdk-s3",
                    crate_name: "aws_sdk_s3",
                    dependency: sdk_dependency("aws-sdk-s3", S3_PEER),
                },
                Side {
                    package: "s3",
                    crate_name: "s3",
                    dependency: format!("s3 = {{ path = {:?} }}", path("services/s3")),
                },
            ],
            comparisons: vec![(1, 0)],
            lock: root.join("peers/s3-bench/Cargo.lock"),
            prepare: None,
        },
    ]
}

/// Where `generate_ec2` writes the crate, under `<target>/build-alone`.
const EC2_OUT: &str = "generated/ec2";

/// Generates the `ec2` crate from the whole botocore model (every operation) with this
/// workspace's generator, built in release first (not timed), into a fresh
/// `<target>/build-alone/generated/ec2`: `--standalone`, with the runtime by absolute path.
/// The generation is timed (wall, CPU, peak RSS) and reported with the size of what it wrote.
fn generate_ec2(root: &Path, base: &Path) -> Result<String, String> {
    let model = "service-json/ec2/2016-11-15/service-2.json";
    let out = base.join(EC2_OUT);
    println!("[xml] building codegen (release) in {} ...", root.display());
    // The parent workspace's own target directory, not this bench's.
    let mut build = Command::new("cargo");
    build
        .args(["build", "--release", "-p", "codegen"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_INCREMENTAL", "0");
    run(build, "cargo build --release -p codegen")?;
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let codegen = root.join("target/release/codegen");
    let report = base.join("codegen-time.txt");
    let (out_arg, report_arg) = (out.display().to_string(), report.display().to_string());
    let runtime = root.join("runtime").display().to_string();
    let args = [
        "-o",
        &report_arg,
        "-f",
        TIME_FORMAT,
        codegen.to_str().unwrap_or("codegen"),
        "generate",
        "--model",
        model,
        "--out",
        &out_arg,
        "--crate-name",
        "ec2",
        "--standalone",
        "--runtime-path",
        &runtime,
    ];
    println!("[xml] codegen generate --model {model} --out {out_arg} ...");
    let mut generate = Command::new("/usr/bin/time");
    generate.args(args).current_dir(root);
    run(generate, "codegen generate (ec2)")?;
    let (secs, cpu, kb) = read_time(&report)?;
    let (files, lines, bytes) = rust_sources(&out.join("src"))?;
    Ok(format!(
        "ec2 generated from the whole model ({model}) by target/release/codegen: {secs:.1} s \
         wall, {cpu:.1} s CPU, {:.2} GB peak RSS; {files} Rust files, {lines} lines, {:.1} MB\n",
        gb(kb),
        bytes as f64 / 1e6
    ))
}

/// Rust files, lines and bytes under `dir`.
fn rust_sources(dir: &Path) -> Result<(usize, usize, usize), String> {
    let (mut files, mut lines, mut bytes) = (0, 0, 0);
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let (f, l, b) = rust_sources(&path)?;
            (files, lines, bytes) = (files + f, lines + l, bytes + b);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            (files, lines, bytes) = (files + 1, lines + text.lines().count(), bytes + text.len());
        }
    }
    Ok((files, lines, bytes))
}

/// What `/usr/bin/time` reports: wall seconds, user and system CPU seconds, peak RSS in KB.
const TIME_FORMAT: &str = "%e %U %S %M";

/// Runs rustc under `/usr/bin/time` when it compiles `$BUILD_ALONE_CRATE`, else as is.
const WRAPPER: &str = r#"#!/bin/sh
# RUSTC_WRAPPER of build_alone: times the rustc of one crate, passes every other through.
rustc="$1"; shift
case " $* " in
  *" --crate-name $BUILD_ALONE_CRATE "*)
    exec /usr/bin/time -o "$BUILD_ALONE_REPORT" -f '%e %U %S %M' "$rustc" "$@" ;;
esac
exec "$rustc" "$@"
"#;

/// One timed build of one side.
#[derive(Clone, Copy)]
struct Sample {
    /// `cargo build`: wall seconds and peak RSS (KB) of the tree.
    cargo_secs: f64,
    cargo_kb: f64,
    /// The crate's rustc alone: wall and CPU seconds, peak RSS (KB).
    rustc_secs: f64,
    rustc_cpu: f64,
    rustc_kb: f64,
}

struct Probe {
    dir: PathBuf,
    target: PathBuf,
    wrapper: PathBuf,
}

impl Probe {
    fn new(base: &Path, group: &Group) -> Result<Probe, String> {
        let dir = base.join(group.name);
        fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let dependencies: Vec<&str> = group.sides.iter().map(|s| s.dependency.as_str()).collect();
        let manifest = format!(
            "# Written by peers/dynamodb-bench/benches/build_alone.rs.\n[package]\n\
             name = \"build-alone-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[workspace]\n\n[dependencies]\n{}\n",
            dependencies.join("\n")
        );
        write(&dir.join("Cargo.toml"), &manifest)?;
        write(&dir.join("src/lib.rs"), "//! Builds its dependencies.\n")?;
        let lock = fs::read_to_string(&group.lock)
            .map_err(|e| format!("{}: {e}", group.lock.display()))?;
        write(&dir.join("Cargo.lock"), &lock)?;
        let wrapper = dir.join("rustc-wrapper.sh");
        write(&wrapper, WRAPPER)?;
        let status = Command::new("chmod")
            .arg("+x")
            .arg(&wrapper)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("chmod +x {}", wrapper.display()));
        }
        Ok(Probe {
            target: dir.join("target"),
            dir,
            wrapper,
        })
    }

    /// `<program> <args>` in the probe, with cargo's environment: the probe's target
    /// directory, no incremental compilation, and the wrapper (always, so that fingerprints never
    /// change between calls) timing the rustc of `crate_name` into `rustc-time.txt`.
    fn command(&self, program: &str, args: &[&str], crate_name: &str) -> Command {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTC_WRAPPER", &self.wrapper)
            .env("BUILD_ALONE_CRATE", crate_name)
            .env("BUILD_ALONE_REPORT", self.rustc_report());
        command
    }

    fn rustc_report(&self) -> PathBuf {
        self.dir.join("rustc-time.txt")
    }

    fn build_all(&self) -> Result<f64, String> {
        let started = std::time::Instant::now();
        run(
            self.command("cargo", &["build"], "-"),
            "cargo build (dependencies)",
        )?;
        Ok(started.elapsed().as_secs_f64())
    }

    fn build_alone(&self, side: &Side) -> Result<Sample, String> {
        run(
            self.command("cargo", &["clean", "-p", side.package], side.crate_name),
            "cargo clean -p",
        )?;
        let cargo_report = self.dir.join("cargo-time.txt");
        let cargo_report_arg = cargo_report.display().to_string();
        let _ = fs::remove_file(self.rustc_report());
        run(
            self.command(
                "/usr/bin/time",
                &["-o", &cargo_report_arg, "-f", TIME_FORMAT, "cargo", "build"],
                side.crate_name,
            ),
            "timed cargo build",
        )?;
        let (cargo_secs, _, cargo_kb) = read_time(&cargo_report)?;
        let (rustc_secs, rustc_cpu, rustc_kb) = read_time(&self.rustc_report()).map_err(|e| {
            format!(
                "{e} (the wrapper did not see --crate-name {})",
                side.crate_name
            )
        })?;
        Ok(Sample {
            cargo_secs,
            cargo_kb,
            rustc_secs,
            rustc_cpu,
            rustc_kb,
        })
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(mut command: Command, what: &str) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The last line of a [`TIME_FORMAT`] report: (wall s, CPU s, peak KB).
fn read_time(path: &Path) -> Result<(f64, f64, f64), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let line = text.lines().last().unwrap_or_default();
    let fields: Vec<f64> = line
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {line:?}: {e}", path.display()))?;
    match fields[..] {
        [wall, user, system, kb] => Ok((wall, user + system, kb)),
        _ => Err(format!("{}: {line:?}", path.display())),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

/// Medians of each measure over the samples.
fn medians(samples: &[Sample]) -> Sample {
    let of = |f: fn(&Sample) -> f64| median(samples.iter().map(f).collect());
    Sample {
        cargo_secs: of(|s| s.cargo_secs),
        cargo_kb: of(|s| s.cargo_kb),
        rustc_secs: of(|s| s.rustc_secs),
        rustc_cpu: of(|s| s.rustc_cpu),
        rustc_kb: of(|s| s.rustc_kb),
    }
}

fn gb(kb: f64) -> f64 {
    kb * 1024.0 / 1e9
}

fn verdict(ratio: f64) -> &'static str {
    if ratio <= GOAL { "met" } else { "NOT met" }
}

fn bench_group(root: &Path, base: &Path, group: &Group, runs: usize) -> Result<String, String> {
    let mut out = String::new();
    if let Some(prepare) = group.prepare {
        let report = prepare(root, base)?;
        print!("[{}] {report}", group.name);
        out.push_str(&report);
    }
    let probe = Probe::new(base, group)?;
    println!(
        "[{}] building the dependencies in {} ...",
        group.name,
        probe.dir.display()
    );
    let all = probe.build_all()?;
    println!(
        "[{}] everything built in {all:.0} s (not a clean build: the target may be warm)",
        group.name
    );
    let mut samples: Vec<Vec<Sample>> = group.sides.iter().map(|_| Vec::new()).collect();
    for run in 1..=runs {
        let mut order: Vec<usize> = (0..group.sides.len()).collect();
        if run % 2 == 0 {
            order.reverse();
        }
        for index in order {
            let side = &group.sides[index];
            let sample = probe.build_alone(side)?;
            println!(
                "[{}] run {run}: {:<17} cargo build {:6.1} s, {:.2} GB | rustc {:6.1} s wall, \
                 {:6.1} s CPU, {:.2} GB",
                group.name,
                side.package,
                sample.cargo_secs,
                gb(sample.cargo_kb),
                sample.rustc_secs,
                sample.rustc_cpu,
                gb(sample.rustc_kb)
            );
            samples[index].push(sample);
        }
    }
    let medians: Vec<Sample> = samples.iter().map(|s| medians(s)).collect();
    let row = |out: &mut String, what: &str, ours: f64, peer: f64, unit: &str, goal: bool| {
        let ratio = ours / peer;
        let _ = writeln!(
            out,
            "  {what:<24} ours {ours:7.2} {unit}  peer {peer:7.2} {unit}  ours/peer {ratio:.3} \
             ({:.1}x){}",
            peer / ours,
            if goal {
                format!("  goal <= {GOAL}: {}", verdict(ratio))
            } else {
                String::new()
            }
        );
    };
    for &(ours, peer) in &group.comparisons {
        let (o, p) = (&medians[ours], &medians[peer]);
        let (ours, peer) = (&group.sides[ours], &group.sides[peer]);
        let _ = writeln!(
            out,
            "{} ({}) against {} ({}), medians of {runs}:",
            ours.package, ours.crate_name, peer.package, peer.crate_name
        );
        row(
            &mut out,
            "cargo build wall",
            o.cargo_secs,
            p.cargo_secs,
            "s ",
            true,
        );
        row(
            &mut out,
            "cargo build peak RSS",
            gb(o.cargo_kb),
            gb(p.cargo_kb),
            "GB",
            true,
        );
        row(
            &mut out,
            "rustc wall",
            o.rustc_secs,
            p.rustc_secs,
            "s ",
            true,
        );
        row(
            &mut out,
            "rustc CPU (user+sys)",
            o.rustc_cpu,
            p.rustc_cpu,
            "s ",
            false,
        );
        row(
            &mut out,
            "rustc peak RSS",
            gb(o.rustc_kb),
            gb(p.rustc_kb),
            "GB",
            true,
        );
    }
    Ok(out)
}

/// `<target>/build-alone`, created and canonical: $CARGO_TARGET_DIR, else from this executable's
/// path (<target>/release/deps/build_alone-HASH).
fn base_directory() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            exe.ancestors().nth(3).map(Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from("target"));
    let target = if target.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(target)
    } else {
        target
    };
    let base = target.join("build-alone");
    // Without `..` in it: codegen makes the runtime's path relative to the crate it writes by
    // counting the components of `--out`, `..` included.
    let _ = fs::create_dir_all(&base);
    base.canonicalize().unwrap_or(base)
}

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let mut runs = 3;
    let mut chosen = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--bench" => {} // what `cargo bench` passes
            name if !name.starts_with('-') => chosen.push(name.to_owned()),
            other => {
                eprintln!("unknown argument {other}: [--runs N] [dynamodb] [connect] [xml] [s3]");
                return ExitCode::FAILURE;
            }
        }
    }
    let base = base_directory();
    let mut report = String::new();
    for group in groups(&root, &base) {
        if !chosen.is_empty() && !chosen.iter().any(|c| c == group.name) {
            continue;
        }
        match bench_group(&root, &base, &group, runs) {
            Ok(text) => report.push_str(&text),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    let version = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    println!("\n== summary: clean debug build of each crate alone ({version}) ==\n{report}");
    ExitCode::SUCCESS
}
