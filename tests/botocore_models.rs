//! Every `service-2.json` shipped in botocore 1.44.5 (472 models), with its paginators,
//! waiters and endpoint rule set, must give a crate that compiles without a warning (every feature on), or be refused
//! with a named reason (only a protocol the generator does not speak yet may be refused). Each model is generated into one scratch workspace under
//! `target/botocore-sweep/`, and one `cargo check --all-features --all-targets` checks every crate
//! in one shared target directory. It downloads the botocore wheel from PyPI on first use and
//! takes a long time, so it runs on demand:
//!
//! ```text
//! cargo test --release -p tests --test botocore_models -- --ignored --nocapture
//! ```
//!
//! Set `BOTOCORE_DATA` to an extracted `botocore/data` folder to skip the download, and
//! `SWEEP_ONLY=s3,iam` to sweep some services only. It prints, per protocol, how many models
//! compiled, were refused and failed, the total time, and for the largest model (ec2) the time
//! to generate it and the time and peak memory of checking it alone.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn service_models(data: &Path) -> Vec<PathBuf> {
    let mut models = Vec::new();
    for service in std::fs::read_dir(data)
        .expect("botocore/data is readable")
        .flatten()
    {
        for version in std::fs::read_dir(service.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let model = version.path().join("service-2.json");
            if model.is_file() {
                models.push(model);
            }
        }
    }
    models.sort();
    models
}

/// What became of one model.
#[derive(Debug)]
enum Outcome {
    /// Generated and written; compiled or not is known after `cargo check`.
    Generated { crate_name: String },
    /// Refused by the generator, with its reason.
    Refused(String),
    /// Failed before `cargo check`: a load error, a generation error, a panic.
    Failed(String),
}

/// The service folder of a model in `botocore/data/<service>/<version>/service-2.json`.
fn service_of(model: &Path) -> String {
    model
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The crate name of a model: `sweep-<service>`, with the API version added for the services
/// botocore ships several models of (`sweep-ec2-2016-11-15`).
fn crate_name(model: &Path, models: &[PathBuf]) -> String {
    let service = service_of(model);
    let versions = models
        .iter()
        .filter(|other| service_of(other) == service)
        .count();
    if versions == 1 {
        return format!("sweep-{service}");
    }
    let version = model
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("sweep-{service}-{version}")
}

fn generate(model: &Path, name: &str, out: &Path) -> (models::Protocol, Outcome, Duration) {
    let started = Instant::now();
    let paginators = model.with_file_name("paginators-1.json");
    let paginators = paginators.is_file().then_some(paginators);
    let mut protocol = models::Protocol::Other("unreadable".to_owned());
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut service = match models::load_service_files(model, paginators.as_deref()) {
            Ok(service) => service,
            Err(error) => return Outcome::Failed(format!("load: {error}")),
        };
        let waiters = model.with_file_name("waiters-2.json");
        if waiters.is_file() {
            match models::load_waiters_file(&waiters, &service) {
                Ok(loaded) => service.waiters = loaded,
                Err(error) => return Outcome::Failed(format!("load waiters: {error}")),
            }
        }
        let rules = model.with_file_name("endpoint-rule-set-1.json");
        if rules.is_file() {
            match models::load_endpoint_rules_file(&rules) {
                Ok(loaded) => service.endpoint_rules = Some(loaded),
                Err(error) => return Outcome::Failed(format!("load endpoint rules: {error}")),
            }
        }
        let config = tests::codegen_config(name);
        protocol = config.protocol(&service);
        match config.generate(&service) {
            Ok(generated) => match generated.write(&out.join(name)) {
                Ok(_) => Outcome::Generated {
                    crate_name: name.to_owned(),
                },
                Err(error) => Outcome::Failed(format!("write: {error}")),
            },
            Err(error @ codegen::GenerateError::UnsupportedProtocol { .. }) => {
                Outcome::Refused(error.to_string())
            }
            Err(error) => Outcome::Failed(format!("generate: {error}")),
        }
    }))
    .unwrap_or_else(|_| Outcome::Failed("the generator panicked".to_owned()));
    (protocol, outcome, started.elapsed())
}

/// `cargo` in the sweep workspace, warnings denied, into its own target directory.
fn sweep_cargo(workspace: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", workspace.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings");
    command
}

/// What cargo's JSON messages say of each package: the ones it checked (an artifact for
/// each), and the ones with errors or warnings (with their first few).
#[derive(Default)]
struct CheckReport {
    checked: BTreeSet<String>,
    failed: BTreeMap<String, Vec<String>>,
}

fn check_report(messages: &str) -> CheckReport {
    let mut report = CheckReport::default();
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        // `path+file:///…/sweep-s3#0.1.0`, or `sweep-s3 0.1.0 (path+…)` on older cargo.
        let id = message["package_id"].as_str().unwrap_or_default();
        let package = id
            .rsplit('/')
            .next()
            .and_then(|tail| tail.split(['#', ' ']).next())
            .unwrap_or(id)
            .to_owned();
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                report.checked.insert(package);
            }
            Some("compiler-message") => {
                let level = message["message"]["level"].as_str().unwrap_or_default();
                if level != "error" && level != "warning" {
                    continue;
                }
                let errors = report.failed.entry(package).or_default();
                if errors.len() < 3 {
                    let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
                    errors.push(rendered.lines().take(6).collect::<Vec<_>>().join("\n"));
                }
            }
            _ => {}
        }
    }
    report
}

/// Runs `command` under `/usr/bin/time -v`, giving its output, its wall time and the peak
/// resident memory of the largest process in its tree (`ru_maxrss`: here, rustc), in MiB.
fn timed(command: Command) -> (std::process::Output, Duration, Option<f64>) {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped.arg("-v").arg(program).args(args);
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    let started = Instant::now();
    let output = wrapped.output().expect("/usr/bin/time runs cargo");
    let elapsed = started.elapsed();
    let peak = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|kib| kib.trim().parse::<f64>().ok())
        .map(|kib| kib / 1024.0);
    (output, elapsed, peak)
}

#[test]
#[ignore = "downloads the botocore wheel and checks 472 crates; run with --ignored"]
fn every_botocore_model_compiles_or_is_refused() {
    let started = Instant::now();
    let data = tests::botocore_data();
    let mut models = service_models(&data);
    assert_eq!(
        models.len(),
        472,
        "botocore {} ships 472 service models",
        tests::BOTOCORE_VERSION
    );
    if let Ok(only) = std::env::var("SWEEP_ONLY") {
        let only: BTreeSet<&str> = only.split(',').collect();
        models.retain(|model| only.contains(service_of(model).as_str()));
    }
    // The largest model: ec2's newest.
    let largest = models
        .iter()
        .filter(|model| service_of(model) == "ec2")
        .max()
        .map(|model| crate_name(model, &models));

    let workspace = tests::workspace_root().join("target/botocore-sweep");
    // Fresh crates each run, but the target directory (and its built dependencies) is kept.
    if let Ok(entries) = std::fs::read_dir(&workspace) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with("sweep-") {
                std::fs::remove_dir_all(entry.path()).expect("old sweep crate removed");
            }
        }
    }
    std::fs::create_dir_all(&workspace).expect("sweep workspace");

    let mut outcomes = Vec::new();
    let mut ec2_generation = None;
    for model in &models {
        let name = crate_name(model, &models);
        let (protocol, outcome, elapsed) = generate(model, &name, &workspace);
        if Some(&name) == largest.as_ref() {
            ec2_generation = Some(elapsed);
        }
        outcomes.push((model.clone(), protocol, outcome));
    }
    let members: Vec<&String> = outcomes
        .iter()
        .filter_map(|(_, _, outcome)| match outcome {
            Outcome::Generated { crate_name } => Some(crate_name),
            _ => None,
        })
        .collect();
    let generated_in = started.elapsed();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = {members:?}\n\n[profile.dev]\ndebug = false\n"
    );
    std::fs::write(workspace.join("Cargo.toml"), manifest).expect("workspace manifest");
    std::fs::copy(
        tests::workspace_root().join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .expect("Cargo.lock");

    let check_started = Instant::now();
    let output = sweep_cargo(&workspace)
        .args([
            "check",
            "--offline",
            "--workspace",
            "--keep-going",
            "--all-features",
            "--all-targets",
            "--message-format=json",
        ])
        .output()
        .expect("cargo runs");
    let checked_in = check_started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = check_report(&stdout);
    // A failure outside the generated crates (the runtime, a dependency) is not theirs.
    let outside: Vec<_> = report
        .failed
        .iter()
        .filter(|(package, _)| !package.starts_with("sweep-"))
        .collect();
    assert!(
        outside.is_empty() && (output.status.success() || !report.failed.is_empty()),
        "cargo check failed outside the generated crates: {outside:#?}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The largest model alone: its dependencies are built, so this is the crate itself.
    let mut ec2_report = String::new();
    if let Some(ec2) = largest.filter(|name| members.contains(&name)) {
        let clean = sweep_cargo(&workspace)
            .args(["clean", "--offline", "-p", &ec2])
            .output()
            .expect("cargo runs");
        assert!(clean.status.success());
        let mut check = sweep_cargo(&workspace);
        check.args(["check", "--offline", "-p", &ec2, "--all-features"]);
        let (output, elapsed, peak) = timed(check);
        assert!(output.status.success(), "ec2 checks alone");
        let _ = write!(
            ec2_report,
            "{ec2}: generated in {:.1} s; `cargo check --all-features` of the crate alone {:.1} s, peak memory {}",
            ec2_generation.unwrap_or_default().as_secs_f64(),
            elapsed.as_secs_f64(),
            peak.map_or("unknown".to_owned(), |mib| format!("{mib:.0} MiB")),
        );
    }

    #[derive(Default)]
    struct Row {
        compiled: usize,
        refused: usize,
        failed: usize,
    }
    let mut table: BTreeMap<String, Row> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut refusals = Vec::new();
    for (model, protocol, outcome) in &outcomes {
        let row = table.entry(protocol.to_string()).or_default();
        match outcome {
            Outcome::Generated { crate_name } => match report.failed.get(crate_name) {
                None if report.checked.contains(crate_name) => row.compiled += 1,
                None => {
                    row.failed += 1;
                    failures.push(format!("{}: cargo did not check it", model.display()));
                }
                Some(errors) => {
                    row.failed += 1;
                    failures.push(format!("{}:\n{}", model.display(), errors.join("\n")));
                }
            },
            Outcome::Refused(reason) => {
                row.refused += 1;
                refusals.push((protocol.clone(), format!("{}: {reason}", model.display())));
            }
            Outcome::Failed(reason) => {
                row.failed += 1;
                failures.push(format!("{}: {reason}", model.display()));
            }
        }
    }
    println!("\n| protocol | compiled | refused | failed |\n|---|---|---|---|");
    for (protocol, row) in &table {
        println!(
            "| {protocol} | {} | {} | {} |",
            row.compiled, row.refused, row.failed
        );
    }
    let total = |field: fn(&Row) -> usize| table.values().map(field).sum::<usize>();
    println!(
        "| all {} | {} | {} | {} |",
        outcomes.len(),
        total(|row| row.compiled),
        total(|row| row.refused),
        total(|row| row.failed)
    );
    println!(
        "\ntotal {:.0} s: generating {:.0} s, `cargo check` of every crate {:.0} s",
        started.elapsed().as_secs_f64(),
        generated_in.as_secs_f64(),
        checked_in.as_secs_f64()
    );
    if !ec2_report.is_empty() {
        println!("{ec2_report}");
    }

    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // Only a protocol not spoken yet may be refused.
    let spoken: BTreeSet<String> = codegen::SUPPORTED_PROTOCOLS
        .iter()
        .map(ToString::to_string)
        .collect();
    let wrongly_refused: Vec<_> = refusals
        .iter()
        .filter(|(protocol, _)| spoken.contains(&protocol.to_string()))
        .map(|(_, reason)| reason)
        .collect();
    assert!(
        wrongly_refused.is_empty(),
        "refused though their protocol is spoken: {wrongly_refused:#?}"
    );
}
