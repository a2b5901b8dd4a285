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

/// A request's URL and the region and service of its signature's scope.
type Sent = (String, Vec<String>);

/// Records the URL and the signature scope of every request, and answers 200 with an empty
/// body.
#[derive(Debug, Clone, Default)]
struct Recorder {
    seen: std::sync::Arc<std::sync::Mutex<Vec<Sent>>>,
}

impl botocore_runtime::http::Transport for Recorder {
    fn send(
        &self,
        request: botocore_runtime::http::HttpRequest,
    ) -> botocore_runtime::http::BoxFuture<
        '_,
        Result<botocore_runtime::http::HttpResponse, botocore_runtime::http::TransportError>,
    > {
        let scope = request
            .headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split("Credential=").nth(1))
            .map(|credential| {
                let parts: Vec<&str> = credential.split(',').next().unwrap().split('/').collect();
                parts[2..4].iter().map(|part| (*part).to_owned()).collect()
            })
            .unwrap_or_default();
        self.seen.lock().unwrap().push((request.uri.clone(), scope));
        Box::pin(async { Ok(botocore_runtime::http::HttpResponse::new(200, "")) })
    }
}

/// A table given by its ARN, which DynamoDB's endpoint rules read.
const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";

/// One call of `operation` of `service` through a client of `config`; its error, if it was not
/// sent (the response, empty, may well not decode: that does not matter here).
async fn call(service: &str, operation: &str, config: &botocore_runtime::Config) -> Option<String> {
    macro_rules! send {
        ($krate:ident, $method:ident, $input:expr) => {{
            let client = $krate::Client::new(config).map_err(|error| error.to_string());
            match client {
                Ok(client) => client
                    .$method($input)
                    .await
                    .err()
                    .map(|error| error.to_string()),
                Err(error) => Some(error),
            }
        }};
    }
    match (service, operation) {
        ("iam", "ListUsers") => send!(iam, list_users, iam::types::ListUsersRequest::default()),
        ("sts", "GetCallerIdentity") => send!(
            sts,
            get_caller_identity,
            sts::types::GetCallerIdentityRequest::default()
        ),
        ("s3", "ListBuckets") => send!(s3, list_buckets, s3::types::ListBucketsRequest::default()),
        ("s3", "ListObjectsV2") => send!(
            s3,
            list_objects_v2,
            s3::types::ListObjectsV2Request::default().with_bucket("my-bucket")
        ),
        ("s3", "ListDirectoryBuckets") => send!(
            s3,
            list_directory_buckets,
            s3::types::ListDirectoryBucketsRequest::default()
        ),
        ("dynamodb", "DescribeTable") => send!(
            dynamodb,
            describe_table,
            dynamodb::types::DescribeTableInput::default().with_table_name(TABLE_ARN)
        ),
        ("dynamodb", "ListTables") => send!(
            dynamodb,
            list_tables,
            dynamodb::types::ListTablesInput::default()
        ),
        ("sqs", "ListQueues") => send!(sqs, list_queues, sqs::types::ListQueuesRequest::default()),
        ("ec2", "DescribeVpcs") => {
            send!(
                ec2,
                describe_vpcs,
                ec2::types::DescribeVpcsRequest::default()
            )
        }
        ("connect", "ListInstances") => send!(
            connect,
            list_instances,
            connect::types::ListInstancesRequest::default()
        ),
        ("logs", "DescribeLogGroups") => send!(
            logs,
            describe_log_groups,
            logs::types::DescribeLogGroupsRequest::default()
        ),
        ("cloudwatch", "ListMetrics") => send!(
            cloudwatch,
            list_metrics,
            cloudwatch::types::ListMetricsInput::default()
        ),
        ("secretsmanager", "ListSecrets") => send!(
            secretsmanager,
            list_secrets,
            secretsmanager::types::ListSecretsRequest::default()
        ),
        ("glacier", "ListVaults") => send!(
            glacier,
            list_vaults,
            glacier::types::ListVaultsInput::default().with_account_id("-")
        ),
        other => panic!("no call for {other:?}"),
    }
}

/// Clients of the committed crates, in regions of five partitions with and without FIPS and
/// dual-stack, send where botocore's clients (reading the same models and rule sets) send: the
/// same host and path, signed for the same region and service name; where botocore finds no
/// endpoint, ours sends nothing and says the same. One call passes an input member to the rules
/// (DynamoDB's table ARN).
#[test]
fn clients_send_where_botocore_sends() {
    let operations: &[(&str, &str, serde_json::Value)] = &[
        ("iam", "ListUsers", serde_json::json!({})),
        ("sts", "GetCallerIdentity", serde_json::json!({})),
        ("s3", "ListBuckets", serde_json::json!({})),
        (
            "s3",
            "ListObjectsV2",
            serde_json::json!({"Bucket": "my-bucket"}),
        ),
        ("s3", "ListDirectoryBuckets", serde_json::json!({})),
        ("dynamodb", "ListTables", serde_json::json!({})),
        // Its table's ARN is an endpoint parameter (`contextParam` `ResourceArn`).
        (
            "dynamodb",
            "DescribeTable",
            serde_json::json!({"TableName": TABLE_ARN}),
        ),
        ("sqs", "ListQueues", serde_json::json!({})),
        ("ec2", "DescribeVpcs", serde_json::json!({})),
        ("connect", "ListInstances", serde_json::json!({})),
        ("logs", "DescribeLogGroups", serde_json::json!({})),
        ("cloudwatch", "ListMetrics", serde_json::json!({})),
        ("secretsmanager", "ListSecrets", serde_json::json!({})),
        (
            "glacier",
            "ListVaults",
            serde_json::json!({"accountId": "-"}),
        ),
    ];
    let regions = [
        "us-east-1",
        "eu-west-1",
        "cn-north-1",
        "us-gov-west-1",
        "eusc-de-east-1",
    ];
    let mut cases = Vec::new();
    for (service, operation, params) in operations {
        for region in regions {
            for (fips, dual_stack) in [(false, false), (true, false), (false, true), (true, true)] {
                cases.push(serde_json::json!([
                    service, operation, params, region, fips, dual_stack
                ]));
            }
        }
    }
    let python = tests::python::venv("moto-venv", "moto-requirements.txt", "moto.server");
    let root = tests::workspace_root();
    let output = std::process::Command::new(python)
        .arg(root.join("tests/scripts/endpoint_clients.py"))
        .arg(serde_json::Value::Array(cases).to_string())
        .env("AWS_DATA_PATH", root.join("service-json"))
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut sent, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let answer: serde_json::Value = serde_json::from_str(line).unwrap();
        let case = &answer["case"];
        let (service, operation) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
        let region = case[3].as_str().unwrap();
        let recorder = Recorder::default();
        let config = botocore_runtime::Config::new()
            .region(region)
            .use_fips(case[4].as_bool().unwrap())
            .use_dual_stack(case[5].as_bool().unwrap())
            .credentials(botocore_runtime::credentials::Credentials::new(
                "AKIDEXAMPLE",
                "secret",
                None,
            ))
            .retry(botocore_runtime::retry::RetryConfig::standard().with_max_attempts(1))
            .transport(recorder.clone());
        let error = runtime.block_on(call(service, operation, &config));
        let seen = recorder.seen.lock().unwrap().first().cloned();
        let agrees = match (&seen, answer.get("url")) {
            (Some((url, scope)), Some(expected)) => {
                sent += 1;
                let without_query = |url: &str| url.split('?').next().unwrap().to_owned();
                without_query(url) == without_query(expected.as_str().unwrap())
                    && serde_json::json!(scope) == answer["scope"]
            }
            (None, None) => {
                refused += 1;
                let expected = answer["error"].as_str().unwrap();
                let message = expected
                    .split_once(": ")
                    .map_or(expected, |(_, message)| message);
                error
                    .as_deref()
                    .is_some_and(|error| error.contains(message))
            }
            _ => false,
        };
        if !agrees {
            failures.push(format!(
                "{case}\n  botocore: {answer}\n  ours: {seen:?} {error:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} calls differ from botocore's:\n{}",
        failures.len(),
        sent + refused + failures.len(),
        failures.join("\n")
    );
    println!(
        "{sent} calls sent where botocore sends them, {refused} refused as botocore refuses them"
    );
    assert!(sent > 200 && refused > 0);
}

/// The generator carries a model's rule set into the crate, passes an operation's static and
/// input parameters, names the input parameters it does not pass, and refuses a rule set the
/// runtime cannot read, saying where it is wrong.
#[test]
fn the_generator_carries_checks_and_reports_rule_sets() {
    let rules = r#"{"version": "1.0", "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region"},
        "Bucket": {"type": "String"}, "Keys": {"type": "stringArray"}, "Mode": {"type": "String"}},
        "rules": [
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Keys"}]}],
             "endpoint": {"url": "https://keys.example.com"}},
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]}],
             "endpoint": {"url": "https://{Bucket}.example.com"}},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region}.example.com"}}
        ]}"#;
    let mut service = tests::load_fixture("traits.json");
    service.endpoint_rules = Some(rules.to_owned());
    let generated = tests::codegen_config("traits").generate(&service).unwrap();
    let file = |path: &str| &generated.files[std::path::Path::new(path)];
    assert_eq!(file("src/endpoint_rules.json"), &format!("{rules}\n"));
    assert!(
        file("src/client.rs")
            .contains("endpoint_rules: ::std::option::Option::Some(&ENDPOINT_RULES)")
    );
    // Upload's static parameters, and its `Bucket` member (a `contextParam`).
    let operations = file("src/operations.rs");
    assert!(
        operations.contains(r#"("Mode", crate::rt::endpoint_rules::StaticParam::String("fast"))"#),
        "{operations}"
    );
    assert!(operations.contains("&input.bucket"), "{operations}");
    assert!(operations.contains(r#""Bucket","#), "{operations}");
    // `Keys` is read by a JMESPath (`operationContextParams`), which is not done: named.
    let notes: Vec<String> = generated
        .capability_notes
        .iter()
        .map(ToString::to_string)
        .filter(|note| note.starts_with("endpoint"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("parameters.Keys") && notes[0].contains("(Upload)"),
        "{notes:?}"
    );

    service.endpoint_rules = Some(rules.replace("isSet", "isSett"));
    let error = tests::codegen_config("traits")
        .generate(&service)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "endpoint rule set, .rules[0].conditions[0]: unknown function `isSett`"
    );
}

/// A rule set file that is not a JSON object is refused, naming the file.
#[test]
fn a_rule_set_file_that_is_no_object_is_refused() {
    let dir = std::env::temp_dir().join(format!("endpoint-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (text, expected) in [
        ("{\"rules\": [", "not JSON"),
        ("[1, 2]", "an endpoint rule set is a JSON object"),
    ] {
        let path = dir.join("endpoint-rule-set-1.json");
        std::fs::write(&path, text).unwrap();
        let error = models::load_endpoint_rules_file(&path)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("endpoint-rule-set-1.json") && error.contains(expected),
            "{error}"
        );
    }
    let missing = models::load_endpoint_rules_file(&dir.join("absent.json")).unwrap_err();
    assert!(missing.to_string().starts_with("cannot read"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}
