//! Wall time of one `describe-instance` against moto: our `connect` binary (release) next to
//! the AWS CLI v1 (`aws connect`, pinned in `tests/awscli-requirements.txt`), in the same run.
//! Both processes are started fresh for every sample, alternately, so that both see the same
//! machine load; each is run a few times first to warm the page cache.
//!
//! Run: `cargo bench -p tests --bench cli` (`CLI_BENCH_SAMPLES=N` for more samples; default 21).

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

fn run(program: &Path, prefix: &[&str], args: &[&str], home: &Path) -> (Duration, Output) {
    let started = Instant::now();
    let output = tests::cli_command(program, home)
        .args(prefix)
        .args(args)
        .output()
        .expect("the tool runs");
    (started.elapsed(), output)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not ours means "not this benchmark".
    if std::env::args()
        .skip(1)
        .any(|arg| !arg.starts_with("--") && arg != "cli")
    {
        return;
    }
    let samples: usize = std::env::var("CLI_BENCH_SAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(21);
    let ours = tests::connect_cli(true);
    let aws = tests::python::aws_cli();
    let moto = tests::python::Moto::start();
    let home = std::env::temp_dir().join("connect-cli-bench-home");
    std::fs::create_dir_all(&home).expect("home");

    let endpoint = moto.endpoint.as_str();
    let (_, created) = run(
        &ours,
        &[],
        &[
            "--endpoint-url",
            endpoint,
            "create-instance",
            "--identity-management-type",
            "CONNECT_MANAGED",
            "--instance-alias",
            "bench",
            "--inbound-calls-enabled",
            "--outbound-calls-enabled",
        ],
        &home,
    );
    assert!(created.status.success(), "create-instance: {created:?}");
    let created: serde_json::Value = serde_json::from_slice(&created.stdout).expect("JSON");
    let id = created["Id"].as_str().expect("instance id").to_owned();
    let args = [
        "--endpoint-url",
        endpoint,
        "describe-instance",
        "--instance-id",
        id.as_str(),
    ];

    let mut ours_times = Vec::new();
    let mut aws_times = Vec::new();
    for round in 0..samples + 3 {
        let (ours_time, ours_output) = run(&ours, &[], &args, &home);
        let (aws_time, aws_output) = run(&aws, &["connect"], &args, &home);
        assert!(ours_output.status.success(), "ours: {ours_output:?}");
        assert!(aws_output.status.success(), "aws: {aws_output:?}");
        let a: serde_json::Value = serde_json::from_slice(&ours_output.stdout).expect("JSON");
        let b: serde_json::Value = serde_json::from_slice(&aws_output.stdout).expect("JSON");
        assert_eq!(a, b, "both print the same instance");
        if round >= 3 {
            ours_times.push(ours_time);
            aws_times.push(aws_time);
        }
    }
    let ours_median = median(&mut ours_times);
    let aws_median = median(&mut aws_times);
    println!("describe-instance against moto, {samples} samples each, alternating:");
    println!(
        "  ours connect (release): median {:>8.2} ms, fastest {:>8.2} ms",
        ours_median.as_secs_f64() * 1e3,
        ours_times[0].as_secs_f64() * 1e3
    );
    println!(
        "  aws connect (v1 1.46.2): median {:>8.2} ms, fastest {:>8.2} ms",
        aws_median.as_secs_f64() * 1e3,
        aws_times[0].as_secs_f64() * 1e3
    );
    println!(
        "  ratio aws/ours: {:.1}x on medians (goal: at least 20x)",
        aws_median.as_secs_f64() / ours_median.as_secs_f64()
    );
}
