//! The runtime's endpoint rules engine against botocore's own (`EndpointProvider`, botocore
//! 1.44.8 from `tests/moto-requirements.txt`), on the same rule sets and the same
//! `partitions.json` (the runtime's copy): a grid of regions of every partition with FIPS and
//! dual-stack, endpoints set by the user, and random choices of every parameter among telling
//! values (`tests/scripts/endpoint_oracle.py`). Every answer must be botocore's: the same URL,
//! properties and headers, or the same error message.
//!
//! The committed services' rule sets run with the workspace's tests; every rule set of the
//! botocore wheel (473) runs on demand:
//!
//! ```text
//! cargo test -p tests --test endpoint_rules -- --ignored --nocapture
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use botocore_runtime::endpoint_rules::{RuleSet, Value};

/// Random cases per rule set, beside the grid of built-ins.
const CASES_PER_FILE: usize = 300;

fn value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::String(text) => Value::String(text.clone()),
        serde_json::Value::Bool(flag) => Value::Bool(*flag),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(value).collect()),
        other => panic!("a parameter value {other}"),
    }
}

/// Asks botocore about every case of `files`, checks ours gives the same, and returns how many
/// cases ran, how many gave an endpoint and how many an error.
fn compare(files: &[PathBuf]) -> (usize, usize, usize) {
    let python = tests::python::venv("moto-venv", "moto-requirements.txt", "moto.server");
    let root = tests::workspace_root();
    let output = std::process::Command::new(python)
        .arg(root.join("tests/scripts/endpoint_oracle.py"))
        .arg(root.join("runtime/data/partitions.json"))
        .arg(CASES_PER_FILE.to_string())
        .args(files)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut parsed: BTreeMap<String, RuleSet> = BTreeMap::new();
    let (mut cases, mut endpoints, mut errors) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = case["file"].as_str().unwrap();
        let rules = parsed.entry(file.to_owned()).or_insert_with(|| {
            let text = std::fs::read_to_string(file).unwrap();
            RuleSet::parse(&text).unwrap_or_else(|error| panic!("{file}: {error}"))
        });
        let params: BTreeMap<String, Value> = case["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, json)| (name.clone(), value(json)))
            .collect();
        let ours = rules.resolve(&params);
        cases += 1;
        let agrees = match (&ours, case.get("url"), case.get("error")) {
            (Ok(endpoint), Some(url), _) => {
                endpoints += 1;
                let headers: serde_json::Map<String, serde_json::Value> = endpoint
                    .headers
                    .iter()
                    .map(|(name, values)| (name.clone(), serde_json::json!(values)))
                    .collect();
                url == &endpoint.url
                    && case["properties"] == serde_json::Value::Object(endpoint.properties.clone())
                    && case["headers"] == serde_json::Value::Object(headers)
            }
            (Err(error), None, Some(message)) => {
                errors += 1;
                message == &error.0
            }
            // botocore itself failed (a `KeyError` in its library): ours must not answer.
            (Err(_), None, None) => {
                errors += 1;
                case.get("crash").is_some()
            }
            _ => false,
        };
        if !agrees {
            failures.push(format!(
                "{file} {}\n  botocore: {}\n  ours:     {ours:?}",
                case["params"],
                serde_json::json!({
                    "url": case.get("url"), "error": case.get("error"), "crash": case.get("crash"),
                    "properties": case.get("properties"), "headers": case.get("headers"),
                }),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ from botocore; the first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
    (cases, endpoints, errors)
}

fn rule_sets_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for service in std::fs::read_dir(dir).unwrap().flatten() {
        for version in std::fs::read_dir(service.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let file = version.path().join("endpoint-rule-set-1.json");
            if file.is_file() {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_committed_rule_sets_resolve_as_botocore_resolves_them() {
    let files = rule_sets_under(&tests::workspace_root().join("service-json"));
    assert_eq!(files.len(), 14, "every committed model has its rule set");
    let (cases, endpoints, errors) = compare(&files);
    println!(
        "{cases} cases of {} rule sets: {endpoints} endpoints, {errors} errors, all as botocore's",
        files.len()
    );
    assert!(
        endpoints > 1000 && errors > 1000,
        "both outcomes are exercised"
    );
}

#[test]
#[ignore = "every rule set of the botocore wheel: on demand"]
fn every_botocore_rule_set_resolves_as_botocore_resolves_it() {
    let files = rule_sets_under(&tests::botocore_data());
    let (cases, endpoints, errors) = compare(&files);
    println!(
        "{cases} cases of {} rule sets: {endpoints} endpoints, {errors} errors, all as botocore's",
        files.len()
    );
}
