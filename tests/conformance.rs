//! botocore's protocol tests, every vendored suite file, run against generated crates.
//!
//! Every suite of a suite file becomes part of one model (shapes and operations prefixed with the
//! suite's number; operations keep their wire name, error shapes their wire code), with the
//! file's metadata (protocol, `jsonVersion`, `targetPrefix`, `awsQueryCompatible`). Each model
//! is generated with the `dynamic` feature and driven by a small harness through
//! `dynamic::build_request` (input cases) and `dynamic::parse_response` (output cases). One crate
//! per file instead of one per suite keeps the build to seconds.
//!
//! A case checks only what it specifies: a field it leaves out is not compared. Bodies are
//! compared as their protocol reads them (JSON values, CBOR values, form parameters), not as
//! bytes.
//!
//! Extra suite files of the same format run with `CONFORMANCE_SUITES=path1:path2`; their
//! protocol comes from their metadata.
//!
//! Skipped: what `protocol-tests-ignore-list.json` lists (for the file's protocol, and in
//! general), plus the exclusions in [`EXCLUDED`], each with its reason. Files of a protocol the
//! generator does not speak yet are not run, and counted as such.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use serde_json::{Map, Value, json};

/// Cases we skip beyond botocore's own ignore list: the suite file (`kind/stem`), the case id,
/// and the reason.
const EXCLUDED: &[(&str, &str, &str)] = &[
    // Map members are `HashMap`s, which keep no order; the XML writer sends their entries in
    // key order so that a request is the same on every run. These cases expect the order the
    // caller inserted the keys in (botocore's dicts keep it), and compare documents with
    // order: the entries we send are the same, in another order, which services ignore.
    (
        "input/rest-xml",
        "FlattenedXmlMap",
        "map entries in key order, not insertion order",
    ),
    (
        "input/rest-xml",
        "NestedXmlMapWithXmlNameSerializes",
        "map entries in key order, not insertion order",
    ),
    (
        "input/rest-xml",
        "XmlMaps",
        "map entries in key order, not insertion order",
    ),
    (
        "input/rest-xml",
        "XmlMapsXmlName",
        "map entries in key order, not insertion order",
    ),
];

struct SuiteFile {
    path: PathBuf,
    /// `input` or `output`.
    kind: &'static str,
    /// The key of the ignore list: the file's stem (`json_1_0`, `rest-json`).
    key: String,
    /// The file's metadata (every suite of a file shares it).
    metadata: Value,
    suites: Vec<Value>,
}

impl SuiteFile {
    fn protocol(&self) -> &str {
        self.metadata["protocol"].as_str().unwrap_or_default()
    }

    /// CBOR bodies are base64 in the suites.
    fn binary_bodies(&self) -> bool {
        self.protocol() == "smithy-rpc-v2-cbor"
    }
}

fn suite_files() -> Vec<SuiteFile> {
    let dir = tests::conformance_dir();
    let mut paths = Vec::new();
    for kind in ["input", "output"] {
        let mut files: Vec<PathBuf> = fs::read_dir(dir.join(kind))
            .expect("conformance folder")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        paths.extend(files);
    }
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
            let metadata = suites
                .first()
                .map(|suite| suite["metadata"].clone())
                .unwrap_or_else(|| json!({}));
            SuiteFile {
                kind: if has_params { "input" } else { "output" },
                key: path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
                metadata,
                suites,
            }
        })
        .collect()
}

/// What botocore itself skips for a file: suites and case ids, for its protocol and in general.
fn ignored(file: &SuiteFile) -> (Vec<String>, Vec<String>) {
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
    let kind = file.kind;
    let mut suites = strings(&list["general"][kind]["suites"]);
    suites.extend(strings(&list["protocols"][&file.key][kind]["suites"]));
    let mut cases = strings(&list["general"][kind]["cases"]);
    cases.extend(strings(&list["protocols"][&file.key][kind]["cases"]));
    (suites, cases)
}

/// A case to run, after the model is merged.
struct Case {
    id: String,
    operation: String,
    case: Value,
}

/// One model for a whole suite file: shapes and operations prefixed `S{n}_`; operations keep
/// their wire name (`name`), which the RPC protocols send.
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
            // botocore's runner wraps query outputs that have members in `{Operation}Result`.
            if file.protocol() == "query"
                && file.kind == "output"
                && let Some(output) = given["output"]["shape"].as_str()
                && suite["shapes"][output]["members"]
                    .as_object()
                    .is_some_and(|members| !members.is_empty())
                && given["output"].get("resultWrapper").is_none()
            {
                given["output"]["resultWrapper"] = Value::from(format!("{base}Result"));
            }
            rename_references(&mut given, &rename);
            let key = match givens.iter().find(|(_, g)| *g == given) {
                Some((key, _)) => key.clone(),
                None => {
                    let key = format!(
                        "{prefix}{base}{}",
                        if givens.is_empty() {
                            String::new()
                        } else {
                            format!("_{}", givens.len())
                        }
                    );
                    givens.push((key.clone(), given.clone()));
                    key
                }
            };
            operations.insert(key.clone(), given.clone());
            let mut case = case.clone();
            if let Some(endpoint) = suite.get("clientEndpoint") {
                case["clientEndpoint"] = endpoint.clone();
            }
            cases.push(Case {
                id: case["id"].as_str().unwrap_or("?").to_owned(),
                operation: key,
                case,
            });
        }
    }
    let mut metadata = file.metadata.clone();
    for (key, default) in [
        ("serviceId", "Conformance"),
        ("serviceFullName", "botocore protocol tests"),
        ("endpointPrefix", "conformance"),
        ("signatureVersion", "v4"),
    ] {
        if metadata.get(key).is_none() {
            metadata[key] = Value::from(default);
        }
    }
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
/// Bodies travel as base64, so that binary ones (CBOR) arrive intact.
fn harness_source(crates: &[String]) -> String {
    let arms_build = crates.iter().map(|name| {
        let krate = quote::format_ident!("{}", name);
        quote::quote!(#name => run_case!(#krate, case),)
    });
    let file: syn::File = syn::parse2(quote::quote! {
        use base64::Engine as _;
        use serde_json::{Value, json};
        use std::io::Read as _;

        fn base64(bytes: &[u8]) -> String {
            base64::engine::general_purpose::STANDARD.encode(bytes)
        }

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
                                "body": base64(&request.body),
                            })
                        }
                        Err(error) => json!({ "build_error": error.to_string() }),
                    }
                } else {
                    let body = base64::engine::general_purpose::STANDARD
                        .decode(case["body"].as_str().unwrap_or_default())
                        .unwrap_or_default();
                    let mut response = $krate::HttpResponse::new(
                        case["status"].as_u64().unwrap_or(200) as u16,
                        body,
                    );
                    for (name, value) in case["headers"].as_object().into_iter().flatten() {
                        if let (Ok(name), Ok(value)) = (
                            $krate::http::HeaderName::from_bytes(name.as_bytes()),
                            $krate::http::HeaderValue::from_str(value.as_str().unwrap_or_default()),
                        ) {
                            response.headers.append(name, value);
                        }
                    }
                    match $krate::dynamic::parse_response(operation, &response, $krate::dynamic::ResultStyle::Botocore) {
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

/// Counts for one protocol.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    not_run: usize,
}

#[test]
fn botocore_protocol_suites() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let workspace = scratch.path();
    let root = tests::workspace_root();
    let mut crates = Vec::new();
    let mut requests = Vec::new();
    let mut expectations: Vec<(String, Case)> = Vec::new();
    let mut failures = Vec::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();

    for (file_index, file) in suite_files().iter().enumerate() {
        let protocol_key = file.key.clone();
        let (ignored_suites, ignored_cases) = ignored(file);
        let skip = |suite: &Value, case: &Value| {
            let description = suite["description"].as_str().unwrap_or_default();
            let id = case["id"].as_str().unwrap_or_default();
            ignored_suites.iter().any(|s| s == description)
                || ignored_cases.iter().any(|c| c == id)
                || EXCLUDED
                    .iter()
                    .any(|(f, c, _)| *c == id && *f == format!("{}/{}", file.kind, file.key))
        };
        let total: usize = file
            .suites
            .iter()
            .map(|s| s["cases"].as_array().map_or(0, Vec::len))
            .sum();
        let (model, cases) = merged_model(file, &skip);
        let tally = tallies.entry(protocol_key).or_default();
        tally.skipped += total - cases.len();
        if cases.is_empty() {
            continue;
        }
        let name = format!("suite_{}_{file_index}", file.kind);
        let text = serde_json::to_string(&model).expect("model JSON");
        let service = match models::load_service(&file.path.display().to_string(), &text, None) {
            Ok(service) => service,
            Err(error) => {
                tally.failed += cases.len();
                failures.push(format!(
                    "{}: the merged model does not load: {error}",
                    file.path.display()
                ));
                continue;
            }
        };
        let generated = match tests::codegen_config(&name).generate(&service) {
            Ok(generated) => generated,
            Err(codegen::GenerateError::UnsupportedProtocol { .. }) => {
                tally.not_run += cases.len();
                continue;
            }
            Err(error) => panic!("{name}: {error}"),
        };
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
                // botocore's runner gives query responses without a body `<xml/>`.
                let default_body = if file.protocol() == "query" {
                    "<xml/>"
                } else {
                    ""
                };
                let body = response["body"].as_str().unwrap_or(default_body);
                request["body"] = Value::from(if file.binary_bodies() {
                    body.to_owned()
                } else {
                    base64::engine::general_purpose::STANDARD.encode(body)
                });
            }
            requests.push(request);
            expectations.push((file.key.clone(), case));
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
        format!("[package]\nname = \"harness\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nbase64 = \"0.22\"\nserde_json = \"1\"\n{dependencies}"),
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

    for ((key, case), (result, request)) in expectations.iter().zip(results.iter().zip(&requests)) {
        let protocol = request_protocol(key);
        let outcome = if request["kind"] == "input" {
            check_request(&case.case, result, protocol)
        } else {
            check_response(&case.case, result)
        };
        let tally = tallies.entry(key.clone()).or_default();
        match outcome {
            Ok(()) => tally.passed += 1,
            Err(message) => {
                tally.failed += 1;
                failures.push(format!(
                    "{key}: {} ({}): {message}",
                    case.id, case.operation
                ));
            }
        }
    }
    let mut total = Tally::default();
    for (key, tally) in &tallies {
        println!(
            "{key}: {} passed, {} failed, {} skipped, {} not run (protocol not supported yet)",
            tally.passed, tally.failed, tally.skipped, tally.not_run
        );
        total.passed += tally.passed;
        total.failed += tally.failed;
        total.skipped += tally.skipped;
        total.not_run += tally.not_run;
    }
    println!(
        "total: {} passed, {} failed, {} skipped ({} excluded here, the rest by botocore's ignore list), {} not run",
        total.passed,
        total.failed,
        total.skipped,
        EXCLUDED.len(),
        total.not_run
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// How bodies of a file's protocol compare.
#[derive(Clone, Copy)]
enum BodyForm {
    Json,
    Cbor,
    Form,
    Xml,
    Text,
}

fn request_protocol(key: &str) -> BodyForm {
    if key.starts_with("smithy-rpc-v2-cbor") {
        BodyForm::Cbor
    } else if key.starts_with("json") || key == "rest-json" {
        BodyForm::Json
    } else if key == "query" || key == "ec2" {
        BodyForm::Form
    } else if key == "rest-xml" {
        BodyForm::Xml
    } else {
        BodyForm::Text
    }
}

fn check_request(case: &Value, actual: &Value, form: BodyForm) -> Result<(), String> {
    if let Some(error) = actual.get("build_error") {
        return Err(format!("request not built: {error}"));
    }
    let expected = &case["serialized"];
    if let Some(method) = expected.get("method")
        && actual["method"] != *method
    {
        return Err(format!("method {} != {method}", actual["method"]));
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
    if let Some(expected_uri) = expected["uri"].as_str() {
        let endpoint_path = split_uri(endpoint).1.trim_end_matches('/').to_owned();
        let path_and_query = path_and_query
            .strip_prefix(&endpoint_path)
            .unwrap_or(path_and_query);
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
    }
    let headers = actual["headers"].as_object().cloned().unwrap_or_default();
    let header = |name: &str| {
        headers
            .get(&name.to_ascii_lowercase())
            .and_then(Value::as_str)
    };
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        let mut value = value.as_str().map(str::to_owned);
        if name.eq_ignore_ascii_case("content-type") {
            match form {
                // botocore's runner adds the charset botocore sends.
                BodyForm::Form => {
                    value = value.map(|value| {
                        if value.contains("charset=utf-8") {
                            value
                        } else {
                            format!("{value}; charset=utf-8")
                        }
                    })
                }
                // and leaves rest-xml's content type out, as botocore sends none.
                BodyForm::Xml => continue,
                _ => {}
            }
        }
        if header(name) != value.as_deref() {
            return Err(format!("header {name}: {:?} != {value:?}", header(name)));
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
    let Some(expected_body) = expected.get("body").and_then(Value::as_str) else {
        return Ok(());
    };
    let body = base64::engine::general_purpose::STANDARD
        .decode(actual["body"].as_str().unwrap_or_default())
        .map_err(|error| format!("harness body: {error}"))?;
    compare_bodies(&body, expected_body, form)
}

/// Compares a request body with a case's, as its protocol reads both.
fn compare_bodies(body: &[u8], expected: &str, form: BodyForm) -> Result<(), String> {
    let text = String::from_utf8_lossy(body);
    let same = match form {
        BodyForm::Json => match (
            serde_json::from_slice::<Value>(body),
            serde_json::from_str::<Value>(expected),
        ) {
            (Ok(a), Ok(b)) => same_json(&a, &b),
            _ => text == expected,
        },
        BodyForm::Cbor => {
            let expected = base64::engine::general_purpose::STANDARD
                .decode(expected)
                .map_err(|error| format!("the case's body is not base64: {error}"))?;
            match (cbor_value(body), cbor_value(&expected)) {
                (Ok(a), Ok(b)) => a == b,
                (Err(error), _) => return Err(format!("the body is not CBOR: {error}")),
                (_, Err(error)) => return Err(format!("the case's body is not CBOR: {error}")),
            }
        }
        BodyForm::Form => form_pairs(&text) == form_pairs(expected),
        BodyForm::Xml => match (canonical_xml(&text), canonical_xml(expected)) {
            (Ok(a), Ok(b)) => a == b,
            _ => text == expected,
        },
        BodyForm::Text => text == expected,
    };
    if same {
        Ok(())
    } else {
        Err(format!("body {text:?} != {expected:?}"))
    }
}

/// A CBOR body as a comparable value: maps sorted, so that key order does not matter, and
/// numbers as doubles.
fn cbor_value(bytes: &[u8]) -> Result<String, String> {
    if bytes.is_empty() {
        return Ok(String::new());
    }
    let value: ciborium::Value =
        ciborium::de::from_reader(bytes).map_err(|error| error.to_string())?;
    Ok(format!("{:?}", canonical(value)))
}

fn canonical(value: ciborium::Value) -> ciborium::Value {
    match value {
        ciborium::Value::Map(entries) => {
            let mut entries: Vec<(ciborium::Value, ciborium::Value)> = entries
                .into_iter()
                .map(|(key, value)| (canonical(key), canonical(value)))
                .collect();
            entries.sort_by_key(|(key, _)| format!("{key:?}"));
            ciborium::Value::Map(entries)
        }
        ciborium::Value::Array(items) => {
            ciborium::Value::Array(items.into_iter().map(canonical).collect())
        }
        ciborium::Value::Tag(tag, inner) => ciborium::Value::Tag(tag, Box::new(canonical(*inner))),
        // Numbers compare by value, as botocore's own check compares them (1 == 1.0): a
        // timestamp of whole seconds may be written as an integer or as a double.
        ciborium::Value::Integer(integer) => ciborium::Value::Float(i128::from(integer) as f64),
        // NaN is not equal to itself; its debug form is.
        other => other,
    }
}

/// `a=1&b=2` as sorted, decoded pairs.
fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |part: &str| percent_decode(&part.replace('+', " "));
    let mut pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect();
    pairs.sort();
    pairs
}

/// An XML document as `ET.canonicalize(strip_text=True)` compares it: attributes sorted, text
/// stripped, comments and the declaration dropped.
fn canonical_xml(text: &str) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = String::new();
    loop {
        match reader.read_event().map_err(|error| error.to_string())? {
            Event::Start(start) => {
                out.push_str(&open_tag(&start)?);
            }
            Event::Empty(start) => {
                out.push_str(&open_tag(&start)?);
                out.push_str(&format!("</{}>", start.name().into_inner()));
            }
            Event::End(end) => {
                out.push_str(&format!("</{}>", end.name().into_inner()));
            }
            Event::Text(text) => out.push_str(text.xml10_content().trim()),
            Event::CData(text) => out.push_str(text.xml10_content().trim()),
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(character)) => out.push(character),
                _ => out.push_str(
                    quick_xml::escape::resolve_predefined_entity(&reference).unwrap_or("?"),
                ),
            },
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

fn open_tag(start: &quick_xml::events::BytesStart<'_>) -> Result<String, String> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| error.to_string())?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|error| error.to_string())?;
        attributes.push(format!("{}={:?}", attribute.key.into_inner(), value));
    }
    attributes.sort();
    let mut tag = format!("<{}", start.name().into_inner());
    for attribute in attributes {
        tag.push(' ');
        tag.push_str(&attribute);
    }
    tag.push('>');
    Ok(tag)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |byte: u8| (byte as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && index + 3 <= bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[index + 1]), hex(bytes[index + 2]))
        {
            out.push((high * 16 + low) as u8);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
    if let Some(expected) = case.get("result")
        && !same_json(result, expected)
    {
        return Err(format!("result {result} != {expected}"));
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
