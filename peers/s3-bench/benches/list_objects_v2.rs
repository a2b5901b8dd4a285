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

use std::path::Path;
use std::time::{Duration, SystemTime};

use bench_report::measured;
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
    let out = bench_report::criterion_dir();
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
