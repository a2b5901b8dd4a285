//! S3 GetObject of 256 MiB through an in-memory transport with our generated `s3` crate, against
//! the limit: copying the same 256 MiB. Both are measured in the same run.
//!
//! Ours is `client.get_object` (validate, serialize, sign, "send", parse the headers), the
//! transport handing the body over as a `ByteStream` of 256 slices of 1 MiB of one shared `Bytes`
//! (zero-copy), then the body polled chunk by chunk and copied with one `extend_from_slice` a
//! chunk into a buffer with room for the whole object. The limit is the same bytes copied into the
//! same kind of buffer with one `extend_from_slice` (a memcpy of 256 MiB). So both sides end with
//! the same copy of the same bytes; ours does it in 1 MiB pieces, after the call.
//!
//! Two criterion groups, each with the limit and ours:
//!
//! - `get_object_256mib_fresh`: a fresh `Vec` preallocated at 256 MiB in every iteration (ours:
//!   at the output's `content_length`), dropped in the loop: a fresh mapping each time, so the
//!   kernel's page faults and zeroing are timed on both sides, as for any reader into new memory.
//!   One more row, informational: ours reading with `ByteStream::collect()` (which preallocates
//!   at most 64 MiB and grows past it).
//! - `get_object_256mib_warm`: one 256 MiB buffer, faulted in before timing, cleared and refilled
//!   every iteration: the copy alone, so ours' overhead on top of it shows most. One reference
//!   row: the limit's copy done in 1 MiB pieces (as ours copies its chunks), with no client.
//!
//! Before timing, one call is checked: the headers decoded (Content-Length, ETag, Content-Type,
//! Last-Modified) and the bytes read equal the object's, by every way of reading.
//!
//! Run: `CARGO_TARGET_DIR=../../target/peers cargo bench --bench get_object`.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use bench_report::measured;
use criterion::{Criterion, Throughput};
use s3_bench::current_thread_runtime;
use s3_bench::get_object::{self, SIZE};

const FRESH: &str = "get_object_256mib_fresh";
const WARM: &str = "get_object_256mib_warm";
const LIMIT: &str = "limit: copy";
const OURS: &str = "ours s3";
const COLLECT: &str = "ours s3, ByteStream::collect";
/// Not a contender: the limit's copy in 1 MiB pieces, no client.
const PIECES: &str = "reference: copy in 1 MiB pieces";
/// The goal: ours takes at most this many times the copy's time (within 10% of it).
const GOAL: f64 = 1.10;

fn bench(c: &mut Criterion) {
    let object = get_object::object();
    let rt = current_thread_runtime();
    let client = get_object::client(&object);
    rt.block_on(get_object::check(&client, &object));

    let mut g = c.benchmark_group(FRESH);
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function(LIMIT, |b| {
        b.iter(|| get_object::copy(std::hint::black_box(&object)))
    });
    g.bench_function(OURS, |b| b.to_async(&rt).iter(|| get_object::get(&client)));
    g.bench_function(COLLECT, |b| {
        b.to_async(&rt).iter(|| get_object::get_collect(&client))
    });
    g.finish();

    // One buffer for both sides, faulted in (filled) before timing.
    let mut whole = get_object::copy(&object);
    let mut g = c.benchmark_group(WARM);
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function(LIMIT, |b| {
        b.iter(|| {
            get_object::copy_into(std::hint::black_box(&object), &mut whole);
            std::hint::black_box(whole.as_ptr());
        })
    });
    g.bench_function(OURS, |b| {
        // iter_custom: the buffer is borrowed mutably across the loop; one block_on per sample.
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    std::hint::black_box(get_object::get_into(&client, &mut whole).await);
                    std::hint::black_box(whole.as_ptr());
                }
                start.elapsed()
            })
        })
    });
    g.bench_function(PIECES, |b| {
        b.iter(|| {
            get_object::copy_into_pieces(std::hint::black_box(&object), &mut whole);
            std::hint::black_box(whole.as_ptr());
        })
    });
    g.finish();
    assert!(whole == object[..]);
}

// ---------------------------------------------------------------------------------------------
// Summary, read back from criterion's own estimates (through `bench_report`).
// ---------------------------------------------------------------------------------------------

fn summary(out: &Path, started: SystemTime) {
    let gib_per_s = |ns: f64| SIZE as f64 / (1u64 << 30) as f64 / (ns / 1e9);
    let mut lines = Vec::new();
    for (group, buffer) in [
        (FRESH, "a fresh buffer each call"),
        (WARM, "one warm buffer, reused"),
    ] {
        let limit = measured(out, group, LIMIT, started);
        let ours = measured(out, group, OURS, started);
        let collect = measured(out, group, COLLECT, started);
        let pieces = measured(out, group, PIECES, started);
        for (who, m) in [
            ("limit (copy: one extend_from_slice)", &limit),
            ("ours (get_object, 1 MiB extend_from_slice)", &ours),
            ("ours (get_object, ByteStream::collect)", &collect),
            ("reference (copy in 1 MiB pieces, no client)", &pieces),
        ] {
            if let Some(m) = m {
                lines.push(format!(
                    "[{buffer}] {who}: {:.1} ms/call, {:.2} GiB/s (median; fastest sample \
                     {:.1} ms, {:.2} GiB/s)",
                    m.median / 1e6,
                    gib_per_s(m.median),
                    m.fastest / 1e6,
                    gib_per_s(m.fastest)
                ));
            }
        }
        for (label, contender, judged) in [
            ("ours", &ours, true),
            ("collect", &collect, false),
            ("1 MiB pieces", &pieces, false),
        ] {
            if let (Some(l), Some(o)) = (&limit, contender) {
                let ratio = o.median / l.median;
                let verdict = match (judged, ratio <= GOAL) {
                    (false, _) => "informational",
                    (true, true) => "met",
                    (true, false) => "NOT met",
                };
                lines.push(format!(
                    "[{buffer}] ratio {label}/limit: {:.3} of the copy's throughput, {ratio:.3}x \
                     its time on medians ({:.3}x on fastest samples); goal: time <= {GOAL:.2}x: \
                     {verdict}",
                    l.median / o.median,
                    o.fastest / l.fastest,
                ));
            }
        }
    }
    if !lines.is_empty() {
        println!(
            "\n== summary (criterion, {}; object {SIZE} bytes = 256 MiB) ==",
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
    let mut c = Criterion::default()
        .output_directory(&out)
        .configure_from_args();
    bench(&mut c);
    c.final_summary();
    summary(&out, started);
}
