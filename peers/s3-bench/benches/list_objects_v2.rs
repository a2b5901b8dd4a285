//! S3 ListObjectsV2: aws-sdk-s3 (the peer) and our generated `s3` crate, measured in the same run
//! on the same input, `tests/bench-inputs/s3-list-objects-v2-response.xml` (a first page of 1,000
//! keys with varied characters; both sides are set up in `src/lib.rs`).
//!
//! Two criterion groups, each with the peer and ours side by side:
//!
//! - `list_objects_v2_decode`: decoding that response (status 200, the same headers, the body)
//!   into the operation's output, and nothing else. One reference row: quick-xml (the reader
//!   under ours) reading every event and text of the body, keeping nothing.
//! - `list_objects_v2_call`: one whole call, `list_objects_v2` of a bucket with `MaxKeys` 1000,
//!   through an in-memory HTTP client that answers 200 with the canned body: build the request,
//!   serialize, resolve the endpoint, sign (SigV4, static test credentials, us-east-1), "send",
//!   parse.
//!
//! After criterion is done, `main` prints the median (and fastest sample) of every benchmark that
//! ran in this process and, for each group where both are present, the throughput ratio
//! ours / peer beside the goal (2x).
//!
//! Run: `CARGO_TARGET_DIR=../../target/peers cargo bench --bench list_objects_v2` (criterion's
//! usual arguments work after `--`, e.g. `-- decode` or `-- --measurement-time 10`).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};
use s3_bench::{Census, PEER_VERSION, current_thread_runtime, ours, peer, response_body};

const GROUP_DECODE: &str = "list_objects_v2_decode";
const GROUP_CALL: &str = "list_objects_v2_call";
const OURS: &str = "ours s3";
/// Not a contender: quick-xml reading the body into nothing.
const SKIM: &str = "reference quick-xml skimming the body";
/// The goal: ours at least this many times the peer's throughput.
const GOAL: f64 = 2.0;

fn peer_id() -> String {
    format!("peer aws-sdk-s3 {PEER_VERSION}")
}

fn decode(c: &mut Criterion, body: &Bytes, expected: &Census) {
    let mut g = c.benchmark_group(GROUP_DECODE);
    g.throughput(Throughput::Bytes(body.len() as u64));
    peer_decode(&mut g, body, expected);
    ours_decode(&mut g, body, expected);
    g.bench_function(SKIM, |b| b.iter(|| ours::skim(std::hint::black_box(body))));
    g.finish();
}

fn call(c: &mut Criterion, body: &Bytes, expected: &Census) {
    let mut g = c.benchmark_group(GROUP_CALL);
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.measurement_time(Duration::from_secs(8));
    peer_call(&mut g, body, expected);
    ours_call(&mut g, body, expected);
    g.finish();
}

/// The SDK's own response deserializer alone; the output is dropped inside the timed loop, as
/// ours is.
fn peer_decode(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes, expected: &Census) {
    let decoder = peer::Decoder::new(body, expected);
    g.bench_function(peer_id(), |b| b.iter(|| decoder.decode()));
}

/// Ours: what `Operation::parse` of ListObjectsV2 does, on the same response.
fn ours_decode(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes, expected: &Census) {
    let response = ours::canned_response(body);
    ours::check_decode(&response, expected);
    g.bench_function(OURS, |b| {
        b.iter(|| ours::decode(std::hint::black_box(&response)))
    });
}

fn peer_call(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes, expected: &Census) {
    let rt = current_thread_runtime();
    let client = peer::checked_client(body, &rt, expected);
    g.bench_function(peer_id(), |b| b.to_async(&rt).iter(|| peer::call(&client)));
}

fn ours_call(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes, expected: &Census) {
    let rt = current_thread_runtime();
    let client = ours::checked_client(body, &rt, expected);
    g.bench_function(OURS, |b| b.to_async(&rt).iter(|| ours::call(&client)));
}

// ---------------------------------------------------------------------------------------------
// Summary: medians and ratios, read back from criterion's own estimates.
// ---------------------------------------------------------------------------------------------

/// Where criterion writes its results: $CRITERION_HOME, else <target dir>/criterion, with the
/// target dir taken from $CARGO_TARGET_DIR or from this executable's own path
/// (<target>/release/deps/list_objects_v2-HASH).
fn output_directory() -> PathBuf {
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

/// What criterion found for `group/id`, if that benchmark ran in this process (ns per call).
struct Measured {
    /// criterion's median estimate (over its samples of per-iteration means)
    median: f64,
    /// the fastest sample's per-iteration mean: the least disturbed by other work
    fastest: f64,
}

fn measured(out: &Path, group: &str, id: &str, started: SystemTime) -> Option<Measured> {
    let dir = out.join(dir_name(group)).join(dir_name(id)).join("new");
    let read = |name: &str| -> Option<serde_json::Value> {
        let file = dir.join(name);
        let modified = std::fs::metadata(&file).ok()?.modified().ok()?;
        if modified < started {
            return None; // left by an earlier run (filtered out of this one)
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

fn summary(out: &Path, started: SystemTime, body_len: usize) {
    let mut lines = Vec::new();
    let mb_per_s = |ns: f64| body_len as f64 / ns * 1e3;
    for (group, work) in [
        (GROUP_DECODE, "decode ListObjectsV2"),
        (GROUP_CALL, "list_objects_v2 call"),
    ] {
        let peer = measured(out, group, &peer_id(), started);
        let ours = measured(out, group, OURS, started);
        for (who, m) in [("peer", &peer), ("ours", &ours)] {
            if let Some(m) = m {
                lines.push(format!(
                    "{who} {work}: {:.1} us/call, {:.0} MB/s (median; fastest sample {:.1} us)",
                    m.median / 1e3,
                    mb_per_s(m.median),
                    m.fastest / 1e3
                ));
            }
        }
        if let (Some(p), Some(o)) = (&peer, &ours) {
            let ratio = p.median / o.median;
            lines.push(format!(
                "ratio {work}: ours/peer throughput = {ratio:.2}x on medians, {:.2}x on fastest \
                 samples (goal >= {GOAL}x: {})",
                p.fastest / o.fastest,
                if ratio >= GOAL { "met" } else { "NOT met" }
            ));
        }
        if group == GROUP_DECODE
            && let Some(m) = measured(out, group, SKIM, started)
        {
            lines.push(format!(
                "reference {work}: quick-xml skimming the body {:.1} us, {:.0} MB/s",
                m.median / 1e3,
                mb_per_s(m.median)
            ));
        }
    }
    if !lines.is_empty() {
        println!(
            "\n== summary (criterion, {}; body {body_len} bytes) ==",
            out.display()
        );
        for l in lines {
            println!("{l}");
        }
    }
}

fn main() {
    let started = SystemTime::now() - Duration::from_secs(1);
    let out = output_directory();
    let body = response_body();
    let expected = Census::of_body(&body);
    assert_eq!(expected.objects.len(), 1000);
    println!("input: {} bytes, {}", body.len(), expected.describe());

    let mut c = Criterion::default()
        .output_directory(&out)
        .configure_from_args();
    decode(&mut c, &body, &expected);
    call(&mut c, &body, &expected);
    c.final_summary();

    summary(&out, started, body.len());
}
