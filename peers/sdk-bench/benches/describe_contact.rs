//! DescribeContact: aws-sdk-connect 1.220.0 (the peer) and our generated `connect` crate,
//! measured in the same run on the same input, `tests/bench-inputs/describe-contact-response.json`
//! (both sides are set up in `src/lib.rs`).
//!
//! Two criterion groups, each with the peer and ours side by side:
//!
//! - `describe_contact_call`: one whole call, `client.describe_contact()...send().await`, through
//!   an in-memory HTTP client that answers 200 with the canned body: build the request, serialize,
//!   resolve the endpoint, sign (SigV4, static test credentials, us-east-1), "send", parse.
//! - `describe_contact_decode`: decoding that response (status 200, the same headers, the body)
//!   into the operation's output alone, with nothing else of the orchestrator.
//!
//! After criterion is done, `main` prints the median (and fastest sample) of every benchmark that
//! ran in this process and, for each group where both are present, the ratio ours / peer.
//!
//! Run: `CARGO_TARGET_DIR=../../target/peers cargo bench` (criterion's usual arguments work
//! after `--`, e.g. `cargo bench -- decode` or `cargo bench -- --measurement-time 10`).

use std::path::Path;
use std::time::{Duration, SystemTime};

use bench_report::measured;
use bytes::Bytes;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};
use sdk_bench::{current_thread_runtime, ours, peer, response_body};

/// The two groups and the ids used in them; `summary` reads these back.
const GROUP_CALL: &str = "describe_contact_call";
const GROUP_DECODE: &str = "describe_contact_decode";
const PEER: &str = "peer aws-sdk-connect 1.220.0";
const OURS: &str = "ours connect";
/// Not a contender: serde_json reading the body into nothing, the least any serde_json decoder
/// of it can cost, beside the goal (a third of the peer's time) in the summary.
const SKIM: &str = "reference serde_json skimming the body";

/// Peer (a): the whole call through an in-memory HTTP client.
fn peer_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let rt = current_thread_runtime();
    let client = peer::checked_client(body, &rt);
    g.bench_function(PEER, |b| b.to_async(&rt).iter(|| peer::call(&client)));
}

/// Peer (b): the SDK's own response deserializer alone. The output is dropped inside the timed
/// loop, as it is for ours.
fn peer_decode_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let decoder = peer::Decoder::new(body);
    g.bench_function(PEER, |b| b.iter(|| decoder.decode()));
}

/// Ours (a): one whole `describe_contact` call: validate, serialize, sign, "send", parse.
fn ours_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let rt = current_thread_runtime();
    let client = ours::checked_client(body, &rt);
    g.bench_function(OURS, |b| b.to_async(&rt).iter(|| ours::call(&client)));
}

/// Ours (b): decoding the same body alone, as the client does it.
fn ours_decode_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    ours::check_decode(body);
    g.bench_function(OURS, |b| {
        b.iter(|| ours::decode(std::hint::black_box(body)))
    });
}

/// The reference row: serde_json skimming the body into `IgnoredAny`.
fn skim_body(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    g.bench_function(SKIM, |b| b.iter(|| ours::skim(std::hint::black_box(body))));
}

// ---------------------------------------------------------------------------------------------
// Groups: peer and ours side by side.
// ---------------------------------------------------------------------------------------------

fn describe_contact_call(c: &mut Criterion, body: &Bytes) {
    let mut g = c.benchmark_group(GROUP_CALL);
    g.measurement_time(Duration::from_secs(8));
    peer_describe_contact(&mut g, body);
    ours_describe_contact(&mut g, body);
    g.finish();
}

fn describe_contact_decode(c: &mut Criterion, body: &Bytes) {
    let mut g = c.benchmark_group(GROUP_DECODE);
    g.throughput(Throughput::Bytes(body.len() as u64));
    peer_decode_describe_contact(&mut g, body);
    ours_decode_describe_contact(&mut g, body);
    skim_body(&mut g, body);
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Summary: medians and ratios, read back from criterion's own estimates.
// ---------------------------------------------------------------------------------------------

fn summary(out: &Path, started: SystemTime) {
    let mut lines = Vec::new();
    for (group, work) in [
        (GROUP_CALL, "describe_contact"),
        (GROUP_DECODE, "decode DescribeContact"),
    ] {
        let peer = measured(out, group, PEER, started);
        let ours = measured(out, group, OURS, started);
        for (who, m) in [("peer", &peer), ("ours", &ours)] {
            if let Some(m) = m {
                lines.push(format!(
                    "{who} {work}: {:.1} us/call (median; fastest sample {:.1} us)",
                    m.median / 1e3,
                    m.fastest / 1e3
                ));
            }
        }
        if let (Some(p), Some(o)) = (&peer, &ours) {
            lines.push(format!(
                "ratio {work}: ours/peer = {:.3} on medians, {:.3} on fastest samples",
                o.median / p.median,
                o.fastest / p.fastest
            ));
        }
        if group == GROUP_DECODE
            && let (Some(p), Some(skim)) = (&peer, measured(out, group, SKIM, started))
        {
            lines.push(format!(
                "reference {work}: serde_json skimming the body {:.1} us; the 3x goal is {:.1} us",
                skim.median / 1e3,
                p.median / 3e3
            ));
        }
    }
    if !lines.is_empty() {
        println!("\n== summary (criterion, {}) ==", out.display());
        for l in lines {
            println!("{l}");
        }
    }
}

fn main() {
    let started = SystemTime::now() - Duration::from_secs(1);
    let out = bench_report::criterion_dir();
    let body = response_body();

    let mut c = Criterion::default()
        .output_directory(&out)
        .configure_from_args();
    describe_contact_call(&mut c, &body);
    describe_contact_decode(&mut c, &body);
    c.final_summary();

    summary(&out, started);
}
