//! Times `codegen::diff::diff` on two full Amazon Connect models: botocore 1.44.4 and 1.44.5
//! (about 2 MB each, vendored gzip-compressed under `tests/fixtures/diff/botocore/`).
//!
//! `cargo bench -p codegen --bench diff` prints the median and min of 21 runs (after one warm-up)
//! of the diff alone, of loading both models, and of rendering the report as text and JSON; then
//! of the change page of botocore 1.35.46 → 1.35.47 (Connect's page of 2024/10/23) built and
//! rendered as text and as HTML.

use std::io::Read as _;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 21;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/diff/botocore");
    let read = |version: &str| {
        let path = dir.join(version).join("service-2.json.gz");
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("vendored model"))
            .read_to_string(&mut text)
            .expect("gzip");
        text
    };
    let (old_text, new_text) = (read("1.44.4"), read("1.44.5"));
    println!(
        "models: botocore 1.44.4 ({} bytes) and 1.44.5 ({} bytes)",
        old_text.len(),
        new_text.len()
    );
    let load = |text: &str| models::load_service("service-2.json", text, None).expect("loads");
    let (old, new) = (load(&old_text), load(&new_text));

    let report = codegen::diff::diff(&old, &new);
    println!(
        "report: {} changes, {} updated operations",
        report.changes.len(),
        report.summary().updated.len()
    );
    measure("diff (both models loaded)", || {
        std::hint::black_box(codegen::diff::diff(&old, &new));
    });
    measure("load both models + diff", || {
        let (old, new) = (load(&old_text), load(&new_text));
        std::hint::black_box(codegen::diff::diff(&old, &new));
    });
    measure("render text + JSON", || {
        std::hint::black_box(codegen::diff::render::text(&report, false));
        std::hint::black_box(codegen::diff::render::json(&report).to_string());
    });

    let (old, new) = (load(&read("1.35.46")), load(&read("1.35.47")));
    let options = codegen::diff::page::PageOptions::default();
    measure("change page 1.35.46 -> 1.35.47 (build, text, HTML)", || {
        let page = codegen::diff::page::ChangePage::new(&old, &new, &options);
        std::hint::black_box(codegen::diff::render::change_page(&page));
        std::hint::black_box(codegen::diff::render::change_page_html(&page));
    });
}

fn measure(label: &str, mut run: impl FnMut()) {
    run();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label:<28} median {:>7.2} ms   min {:>7.2} ms",
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
}
