//! Validation speed against botocore's `ParamValidator`, measured in the same run:
//!
//! ```text
//! cargo bench -p tests --bench validate
//! ```
//!
//! Both validate `tests/bench-inputs/start-chat-contact-input.json`, a realistic `StartChatContact`
//! request, against the committed Connect model. botocore comes from the Python environment, or
//! is installed with pip into `target/bench-python` on first use.

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use connect::Validate;
use connect::types::StartChatContactRequest;

const BOTOCORE_VERSION: &str = "1.44.5";

/// Times `validate` on the parsed request; the median of 15 batches, in nanoseconds per call.
fn ours(request: &StartChatContactRequest) -> f64 {
    const CALLS: u32 = 20_000;
    let mut batches: Vec<f64> = (0..15)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..CALLS {
                let _ = black_box(black_box(request).validate());
            }
            started.elapsed().as_nanos() as f64 / f64::from(CALLS)
        })
        .collect();
    batches.sort_by(f64::total_cmp);
    batches[batches.len() / 2]
}

const PYTHON_BENCH: &str = r#"
import json, sys, time
from botocore.model import ServiceModel
from botocore.validate import ParamValidator
model = ServiceModel(json.load(open(sys.argv[1])), service_name="connect")
shape = model.operation_model("StartChatContact").input_shape
params = json.load(open(sys.argv[2]))
validator = ParamValidator()
report = validator.validate(params, shape)
assert not report.has_errors(), report.generate_report()
batches = []
for _ in range(7):
    started = time.perf_counter()
    for _ in range(500):
        validator.validate(params, shape)
    batches.append((time.perf_counter() - started) / 500 * 1e9)
batches.sort()
print(batches[len(batches) // 2])
"#;

/// botocore's median, in nanoseconds per call.
fn botocore(root: &Path, input: &Path) -> Result<f64, String> {
    let site = root.join("target/bench-python");
    let importable = |extra: &Path| {
        Command::new("python3")
            .args(["-c", "import botocore"])
            .env("PYTHONPATH", extra)
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if !importable(&site) {
        let status = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--target"])
            .arg(&site)
            .arg(format!("botocore=={BOTOCORE_VERSION}"))
            .status()
            .map_err(|error| format!("python3 -m pip: {error}"))?;
        if !status.success() {
            return Err(format!("pip install botocore=={BOTOCORE_VERSION} failed"));
        }
    }
    let model = root.join("service-json/connect/2017-08-08/service-2.json");
    let output = Command::new("python3")
        .args(["-c", PYTHON_BENCH])
        .arg(&model)
        .arg(input)
        .env("PYTHONPATH", &site)
        .output()
        .map_err(|error| format!("python3: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "the botocore benchmark failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse()
        .map_err(|error| format!("unexpected botocore output {text:?}: {error}"))
}

fn main() -> ExitCode {
    let input = tests::bench_input("start-chat-contact-input.json");
    let text = match std::fs::read_to_string(&input) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", input.display());
            return ExitCode::FAILURE;
        }
    };
    let request: StartChatContactRequest = match serde_json::from_str(&text) {
        Ok(request) => request,
        Err(error) => {
            eprintln!(
                "error: {} is not a StartChatContact request: {error}",
                input.display()
            );
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = request.validate() {
        eprintln!("error: the benchmark input is invalid: {error}");
        return ExitCode::FAILURE;
    }
    let ours = ours(&request);
    println!("validate StartChatContact ({})", input.display());
    println!("  ours (Validate::validate)     {:>10.0} ns/call", ours);
    match botocore(&tests::workspace_root(), &input) {
        Ok(theirs) => {
            println!(
                "  botocore {BOTOCORE_VERSION} ParamValidator {:>10.0} ns/call",
                theirs
            );
            println!(
                "  ratio: {:.0}x faster than botocore (goal: 50x)",
                theirs / ours
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
