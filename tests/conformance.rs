//! botocore's rest-json protocol tests, run against generated crates.
//!
//! Every suite of a suite file becomes part of one model (shapes and operations prefixed with the
//! suite's number, error shapes keeping their wire code), generated with the `dynamic` feature,
//! and driven by a small harness through `dynamic::build_request` (input cases) and
//! `dynamic::parse_response` (output cases). One crate per file instead of one per suite keeps
//! the build to seconds; nothing on the wire depends on shape names except error codes, which
//! are kept.
//!
//! Extra suite files of the same format run with `CONFORMANCE_SUITES=path1:path2`.
//!
//! Skipped: what `protocol-tests-ignore-list.json` lists for rest-json (and its general input
//! suites), plus the exclusions in [`EXCLUDED`], each with its reason.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{Map, Value, json};

/// Cases we skip beyond botocore's own ignore list, by id, with the reason.
const EXCLUDED: &[(&str, &str)] = &[];

struct SuiteFile {
    path: PathBuf,
    /// `input` or `output`.
    kind: String,
    suites: Vec<Value>,
}

fn suite_files() -> Vec<SuiteFile> {
    let dir = tests::conformance_dir();
    let mut paths = vec![
        dir.join("input/rest-json.json"),
        dir.join("output/rest-json.json"),
    ];
    if let Ok(extra) = std::env::var("CONFORMANCE_SUITES") {
        paths.extend(
            extra
                .split(':')
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
        );
    }
    paths
        .into_iter()
        .map(|path| {
            let text =
                fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let suites: Vec<Value> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let has_params = suites
                .iter()
                .flat_map(|s| s["cases"].as_array().into_iter().flatten())
                .any(|c| c.get("serialized").is_some());
            SuiteFile {
                kind: if has_params { "input" } else { "output" }.to_owned(),
                path,
                suites,
            }
        })
        .collect()
}

/// What botocore itself skips: suites and case ids, for rest-json and in general.
fn ignored(kind: &str) -> (Vec<String>, Vec<String>) {
    let path = tests::conformance_dir().join("protocol-tests-ignore-list.json");
    let list: Value =
        serde_json::from_str(&fs::read_to_string(path).expect("ignore list")).expect("JSON");
    let strings = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let mut suites = strings(&list["general"][kind]["suites"]);
    suites.extend(strings(&list["protocols"]["rest-json"][kind]["suites"]));
    let mut cases = strings(&list["general"][kind]["cases"]);
    cases.extend(strings(&list["protocols"]["rest-json"][kind]["cases"]));
    (suites, cases)
}

/// A case to run, after the model is merged.
struct Case {
    id: String,
    operation: String,
    case: Value,
}

/// One model for a whole suite file: shapes and operations prefixed `S{n}_`.
fn merged_model(file: &SuiteFile, skip: &dyn Fn(&Value, &Value) -> bool) -> (Value, Vec<Case>) {
    let mut shapes = Map::new();
    let mut operations = Map::new();
    let mut cases = Vec::new();
    for (index, suite) in file.suites.iter().enumerate() {
        let prefix = format!("S{index}_");
        let rename = |name: &str| format!("{prefix}{name}");
        for (name, shape) in suite["shapes"].as_object().expect("shapes") {
            let mut shape = shape.clone();
            rename_references(&mut shape, &rename);
            if shape.get("exception").and_then(Value::as_bool) == Some(true)
                || shape.get("error").is_some()
            {
                let error = shape
                    .as_object_mut()
                    .expect("shape object")
                    .entry("error")
                    .or_insert_with(|| json!({}));
                if error.get("code").is_none() {
                    error["code"] = Value::from(name.as_str());
                }
            }
            shapes.insert(rename(name), shape);
        }
        let mut givens: Vec<(String, Value)> = Vec::new();
        for case in suite["cases"].as_array().expect("cases") {
            if skip(suite, case) {
                continue;
            }
            let mut given = case["given"].clone();
            let base = given["name"].as_str().expect("operation name").to_owned();
            rename_references(&mut given, &rename);
            let name = match givens.iter().find(|(_, g)| *g == given) {
                Some((name, _)) => name.clone(),
                None => {
                    let name = format!(
                        "{prefix}{base}{}",
                        if givens.is_empty() {
                            String::new()
                        } else {
                            format!("_{}", givens.len())
                        }
                    );
                    givens.push((name.clone(), given.clone()));
                    name
                }
            };
            let mut operation = given.clone();
            operation["name"] = Value::from(name.as_str());
            operations.insert(name.clone(), operation);
            let mut case = case.clone();
            if let Some(endpoint) = suite.get("clientEndpoint") {
                case["clientEndpoint"] = endpoint.clone();
            }
            cases.push(Case {
                id: case["id"].as_str().unwrap_or("?").to_owned(),
                operation: name,
                case,
            });
        }
    }
    let metadata = json!({
        "apiVersion": "2019-12-16",
        "endpointPrefix": "conformance",
        "protocol": "rest-json",
        "protocols": ["rest-json"],
        "serviceFullName": "botocore protocol tests",
        "serviceId": "Conformance",
        "signatureVersion": "v4",
        "uid": "conformance-2019-12-16"
    });
    let model = json!({ "version": "2.0", "metadata": metadata, "operations": operations, "shapes": shapes });
    (model, cases)
}

/// Prefixes every `"shape": NAME` reference (and operation input, output and errors).
fn rename_references(value: &mut Value, rename: &dyn Fn(&str) -> String) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "shape" {
                    if let Value::String(name) = child {
                        *name = rename(name);
                    }
                } else {
                    rename_references(child, rename);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rename_references(item, rename)),
        _ => {}
    }
}

/// The harness: one `match` arm per generated crate, building requests or parsing responses.
fn harness_source(crates: &[String]) -> String {
    let arms_build = crates.iter().map(|name| {
        let krate = quote::format_ident!("{}", name);
        quote::quote!(#name => run_case!(#krate, case),)
    });
    let file: syn::File = syn::parse2(quote::quote! {
        use serde_json::{Value, json};
        use std::io::Read as _;

        macro_rules! run_case {
            ($krate:ident, $case:expr) => {{
                let case: &Value = $case;
                let operation = case["operation"].as_str().unwrap_or_default();
                if case["kind"] == "input" {
                    let endpoint = case["endpoint"].as_str().unwrap_or("https://example.com");
                    match $krate::dynamic::build_request(operation, &case["params"], endpoint) {
                        Ok(request) => {
                            let headers: serde_json::Map<String, Value> = request
                                .headers
                                .iter()
                                .map(|(name, value)| (name.as_str().to_owned(), Value::from(String::from_utf8_lossy(value.as_bytes()).into_owned())))
                                .collect();
                            json!({
                                "method": request.method.as_str(),
                                "uri": request.uri,
                                "headers": headers,
                                "body": String::from_utf8_lossy(&request.body),
                            })
                        }
                        Err(error) => json!({ "build_error": error.to_string() }),
                    }
                } else {
                    let mut response = $krate::HttpResponse::new(
                        case["status"].as_u64().unwrap_or(200) as u16,
                        case["body"].as_str().unwrap_or_default().as_bytes().to_vec(),
                    );
                    for (name, value) in case["headers"].as_object().into_iter().flatten() {
                        if let (Ok(name), Ok(value)) = (
                            $krate::http::HeaderName::from_bytes(name.as_bytes()),
                            $krate::http::HeaderValue::from_str(value.as_str().unwrap_or_default()),
                        ) {
                            response.headers.append(name, value);
                        }
                    }
                    match $krate::dynamic::parse_response(operation, &response, $krate::dynamic::TimestampStyle::EpochSeconds) {
                        Ok(result) => json!({ "result": result }),
                        Err($krate::Error::Service { error, .. }) => json!({
                            "error": { "code": error.code, "message": error.message, "members": error.members }
                        }),
                        Err(other) => json!({ "other_error": other.to_string() }),
                    }
                }
            }};
        }

        fn main() {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).expect("stdin");
            let cases: Vec<Value> = serde_json::from_str(&text).expect("cases");
            let results: Vec<Value> = cases
                .iter()
                .map(|case| match case["crate"].as_str().unwrap_or_default() {
                    #(#arms_build)*
                    other => json!({ "other_error": format!("no crate {other}") }),
                })
                .collect();
            println!("{}", serde_json::to_string(&results).expect("results"));
        }
    })
    .expect("harness parses");
    prettyplease::unparse(&file)
}

#[test]
fn botocore_rest_json_protocol_suites() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let workspace = scratch.path();
    let root = tests::workspace_root();
    let mut crates = Vec::new();
    let mut requests = Vec::new();
    let mut expectations = Vec::new();
    let mut skipped = 0;
    let mut failures = Vec::new();

    for (file_index, file) in suite_files().iter().enumerate() {
        let (ignored_suites, ignored_cases) = ignored(&file.kind);
        let skip = |suite: &Value, case: &Value| {
            let description = suite["description"].as_str().unwrap_or_default();
            let id = case["id"].as_str().unwrap_or_default();
            ignored_suites.iter().any(|s| s == description)
                || ignored_cases.iter().any(|c| c == id)
                || EXCLUDED.iter().any(|(c, _)| *c == id)
        };
        let total: usize = file
            .suites
            .iter()
            .map(|s| s["cases"].as_array().map_or(0, Vec::len))
            .sum();
        let (model, cases) = merged_model(file, &skip);
        skipped += total - cases.len();
        let name = format!("suite_{}_{file_index}", file.kind);
        let text = serde_json::to_string(&model).expect("model JSON");
        let service = match models::load_service(&file.path.display().to_string(), &text, None) {
            Ok(service) => service,
            Err(error) => {
                failures.push(format!(
                    "{}: the merged model does not load: {error}",
                    file.path.display()
                ));
                continue;
            }
        };
        let generated = tests::codegen_config(&name)
            .generate(&service)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        generated
            .write(&workspace.join(&name))
            .expect("write crate");
        for case in cases {
            let mut request =
                json!({ "crate": name, "kind": file.kind, "operation": case.operation });
            if file.kind == "input" {
                request["params"] = case.case["params"].clone();
                if let Some(endpoint) = case.case.get("clientEndpoint") {
                    request["endpoint"] = endpoint.clone();
                }
            } else {
                let response = &case.case["response"];
                request["status"] = response["status_code"].clone();
                request["headers"] = response["headers"].clone();
                request["body"] = response["body"].clone();
            }
            requests.push(request);
            expectations.push(case);
        }
        crates.push(name);
    }

    let harness = workspace.join("harness");
    fs::create_dir_all(harness.join("src")).expect("harness dir");
    let dependencies: String = crates
        .iter()
        .map(|name| format!("{name} = {{ path = \"../{name}\", default-features = false, features = [\"dynamic\"] }}\n"))
        .collect();
    fs::write(
        harness.join("Cargo.toml"),
        format!("[package]\nname = \"harness\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nserde_json = \"1\"\n{dependencies}"),
    )
    .expect("harness manifest");
    fs::write(harness.join("src/main.rs"), harness_source(&crates)).expect("harness source");
    let mut members: Vec<String> = crates.clone();
    members.push("harness".to_owned());
    fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = {members:?}\n\n[profile.dev.package.\"*\"]\ndebug = false\n"),
    )
    .expect("workspace manifest");
    fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).expect("Cargo.lock");
    let build = tests::nested_cargo(workspace)
        .args(["build", "--offline", "-p", "harness"])
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "conformance crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let mut child = Command::new(tests::nested_target_dir().join("debug/harness"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("harness runs");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(serde_json::to_string(&requests).expect("cases").as_bytes())
            .expect("write cases");
    }
    let output = child.wait_with_output().expect("harness output");
    assert!(output.status.success(), "the harness failed");
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).expect("harness JSON");

    let mut passed = 0;
    for ((case, result), request) in expectations.iter().zip(&results).zip(&requests) {
        let outcome = if request["kind"] == "input" {
            check_request(&case.case, result)
        } else {
            check_response(&case.case, result)
        };
        match outcome {
            Ok(()) => passed += 1,
            Err(message) => failures.push(format!("{} ({}): {message}", case.id, case.operation)),
        }
    }
    println!(
        "{passed} passed, {} failed, {skipped} skipped ({} excluded here, the rest by botocore's ignore list)",
        failures.len(),
        EXCLUDED.len()
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_request(case: &Value, actual: &Value) -> Result<(), String> {
    if let Some(error) = actual.get("build_error") {
        return Err(format!("request not built: {error}"));
    }
    let expected = &case["serialized"];
    if actual["method"] != expected["method"] {
        return Err(format!(
            "method {} != {}",
            actual["method"], expected["method"]
        ));
    }
    let uri = actual["uri"].as_str().unwrap_or_default();
    let endpoint = case["clientEndpoint"]
        .as_str()
        .unwrap_or("https://example.com");
    let (authority, path_and_query) = split_uri(uri);
    if let Some(host) = expected["host"].as_str() {
        let endpoint_path = split_uri(endpoint).1;
        let actual_host = format!("{authority}{}", endpoint_path.trim_end_matches('/'));
        if actual_host != host {
            return Err(format!("host {actual_host} != {host}"));
        }
    }
    let endpoint_path = split_uri(endpoint).1.trim_end_matches('/').to_owned();
    let path_and_query = path_and_query
        .strip_prefix(&endpoint_path)
        .unwrap_or(path_and_query);
    let expected_uri = expected["uri"].as_str().unwrap_or_default();
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let (expected_path, expected_query) =
        expected_uri.split_once('?').unwrap_or((expected_uri, ""));
    if path != expected_path {
        return Err(format!("path {path} != {expected_path}"));
    }
    let pairs = |query: &str| {
        let mut pairs: Vec<String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        pairs.sort();
        pairs
    };
    if pairs(query) != pairs(expected_query) {
        return Err(format!("query {query:?} != {expected_query:?}"));
    }
    let headers = actual["headers"].as_object().cloned().unwrap_or_default();
    let header = |name: &str| {
        headers
            .get(&name.to_ascii_lowercase())
            .and_then(Value::as_str)
    };
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        if header(name) != value.as_str() {
            return Err(format!("header {name}: {:?} != {value}", header(name)));
        }
    }
    for name in expected["forbidHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if header(name).is_some() {
            return Err(format!("header {name} must not be sent"));
        }
    }
    for name in expected["requireHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if header(name).is_none() {
            return Err(format!("header {name} must be sent"));
        }
    }
    let body = actual["body"].as_str().unwrap_or_default();
    let expected_body = expected["body"].as_str().unwrap_or_default();
    let same_body = match (
        serde_json::from_str::<Value>(body),
        serde_json::from_str::<Value>(expected_body),
    ) {
        (Ok(a), Ok(b)) => same_json(&a, &b),
        _ => body == expected_body,
    };
    if !same_body {
        return Err(format!("body {body:?} != {expected_body:?}"));
    }
    Ok(())
}

fn split_uri(uri: &str) -> (&str, &str) {
    let rest = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, ""),
    }
}

fn check_response(case: &Value, actual: &Value) -> Result<(), String> {
    if let Some(error) = actual.get("other_error") {
        return Err(format!("not decoded: {error}"));
    }
    if let Some(code) = case.get("errorCode") {
        let Some(error) = actual.get("error") else {
            return Err(format!("expected error {code}, got {actual}"));
        };
        if error["code"] != *code {
            return Err(format!("error code {} != {code}", error["code"]));
        }
        if let Some(message) = case.get("errorMessage")
            && error["message"] != *message
        {
            return Err(format!("error message {} != {message}", error["message"]));
        }
        let expected_members = case.get("error").cloned().unwrap_or_else(|| json!({}));
        let members = error
            .get("members")
            .cloned()
            .filter(|m| !m.is_null())
            .unwrap_or_else(|| json!({}));
        if !same_json(&members, &expected_members) {
            return Err(format!("error members {members} != {expected_members}"));
        }
        return Ok(());
    }
    let Some(result) = actual.get("result") else {
        return Err(format!("expected a result, got {actual}"));
    };
    if !same_json(result, &case["result"]) {
        return Err(format!("result {result} != {}", case["result"]));
    }
    Ok(())
}

/// JSON equality with float tolerance and `"NaN"` equal to itself.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-6 * x.abs().max(y.abs()),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}
