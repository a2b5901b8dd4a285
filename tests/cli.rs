//! The generated command line (`connect`, feature `cli`) next to the AWS CLI v1 (`aws connect`,
//! pinned in `tests/awscli-requirements.txt` and pointed at our model with `AWS_DATA_PATH`).
//!
//! - `session_matches_the_aws_cli`: one scripted session against moto, run through both tools
//!   (moto reset in between); every step must print the same parsed JSON (or the same text) and
//!   end the same way.
//! - `skeletons_match_the_aws_cli`: `--generate-cli-skeleton` as parsed JSON.
//! - `bad_options_exit_252_and_send_nothing`: constraint, JSON and missing-option errors.
//! - `s3_files_in_and_out_match_the_aws_cli`: the `s3` command line's file arguments next to
//!   `aws s3api`: a streaming body from a file, an output body into `outfile`.
//! - `secretsmanager_file_arguments_match_the_aws_cli`: `fileb://` and `file://` next to
//!   `aws secretsmanager`, blobs printed in base64.
//! - `waiters_match_the_aws_cli`: `wait` next to `aws s3api wait` and `aws ec2 wait`.
//!
//! Exit codes: every session step, the service error included (255), must end with the same code
//! in both tools. Bad options exit 252 here, checked before anything is sent; the AWS CLI v1
//! exits 255 or 2 for those, so that test asserts our code alone.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value;

fn connect_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| tests::connect_cli(false))
}

/// Runs a tool with test credentials and a region, and no user configuration.
fn run(program: &Path, prefix: &[&str], args: &[String]) -> Output {
    let home = std::env::temp_dir().join("connect-cli-test-home");
    std::fs::create_dir_all(&home).expect("home");
    tests::cli_command(program, &home)
        .args(prefix)
        .args(args)
        .output()
        .expect("the tool runs")
}

fn ours(args: &[String]) -> Output {
    run(connect_binary(), &[], args)
}

fn theirs(args: &[String]) -> Output {
    static AWS: OnceLock<PathBuf> = OnceLock::new();
    let aws = AWS.get_or_init(tests::python::aws_cli);
    run(aws, &["connect"], args)
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| (*arg).to_owned()).collect()
}

/// One step of the session: arguments with `{name}` placeholders filled from values captured
/// by earlier steps, how to compare the outputs, and what to capture from ours.
struct Step {
    args: &'static [&'static str],
    compare: Compare,
    capture: &'static [(&'static str, &'static str)],
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Compare {
    Json,
    Text,
    /// Both fail with a service error: the same `An error occurred (...)` line.
    ServiceError,
}

const SESSION: &[Step] = &[
    Step {
        args: &[
            "create-instance",
            "--identity-management-type",
            "CONNECT_MANAGED",
            "--instance-alias",
            "alpha",
            "--inbound-calls-enabled",
            "--outbound-calls-enabled",
        ],
        compare: Compare::Json,
        capture: &[("id1", "Id"), ("arn1", "Arn")],
    },
    Step {
        args: &[
            "create-instance",
            "--cli-input-json",
            r#"{"IdentityManagementType": "CONNECT_MANAGED", "InstanceAlias": "beta", "InboundCallsEnabled": true, "OutboundCallsEnabled": true}"#,
            "--no-outbound-calls-enabled",
        ],
        compare: Compare::Json,
        capture: &[("id2", "Id")],
    },
    Step {
        args: &["list-instances"],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &[
            "list-instances",
            "--query",
            "InstanceSummaryList[].{Alias: InstanceAlias, Outbound: OutboundCallsEnabled}",
        ],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &[
            "list-instances",
            "--page-size",
            "1",
            "--query",
            "InstanceSummaryList[].InstanceAlias",
        ],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &["list-instances", "--max-items", "1"],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &[
            "list-instances",
            "--output",
            "text",
            "--query",
            "InstanceSummaryList[].[InstanceAlias, InboundCallsEnabled]",
        ],
        compare: Compare::Text,
        capture: &[],
    },
    Step {
        args: &[
            "tag-resource",
            "--resource-arn",
            "{arn1}",
            "--tags",
            "env=prod,team=ops",
        ],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &["list-tags-for-resource", "--resource-arn", "{arn1}"],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &[
            "list-tags-for-resource",
            "--resource-arn",
            "{arn1}",
            "--output",
            "text",
        ],
        compare: Compare::Text,
        capture: &[],
    },
    Step {
        args: &[
            "untag-resource",
            "--resource-arn",
            "{arn1}",
            "--tag-keys",
            "team",
        ],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &["list-tags-for-resource", "--resource-arn", "{arn1}"],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &["describe-instance", "--instance-id", "{id1}"],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &[
            "describe-instance",
            "--instance-id",
            "{id1}",
            "--query",
            "Instance.[InstanceAlias, InstanceStatus]",
            "--output",
            "text",
        ],
        compare: Compare::Text,
        capture: &[],
    },
    Step {
        args: &["delete-instance", "--instance-id", "{id2}"],
        compare: Compare::Json,
        capture: &[],
    },
    Step {
        args: &["describe-instance", "--instance-id", "{id2}"],
        compare: Compare::ServiceError,
        capture: &[],
    },
];

/// Replaces what differs from run to run (UUIDs, times, pagination tokens) by placeholders
/// numbered in order of appearance.
fn normalize(text: &str) -> String {
    let patterns = [
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "uuid",
        ),
        (
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?",
            "time",
        ),
        (r#"(?<="NextToken": ")[^"]*"#, "token"),
        // The AWS CLI v1 prints a header's timestamp as it came (an HTTP date); ours ISO 8601.
        (
            r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT",
            "time",
        ),
    ];
    let mut text = text.to_owned();
    for (pattern, name) in patterns {
        let regex = fancy_regex::Regex::new(pattern).expect("pattern");
        let mut seen: Vec<String> = Vec::new();
        let mut out = String::new();
        let mut last = 0;
        for found in regex.find_iter(&text) {
            let found = found.expect("match");
            let index = match seen.iter().position(|s| s == found.as_str()) {
                Some(index) => index,
                None => {
                    seen.push(found.as_str().to_owned());
                    seen.len() - 1
                }
            };
            out.push_str(&text[last..found.start()]);
            out.push_str(&format!("<{name}{index}>"));
            last = found.end();
        }
        out.push_str(&text[last..]);
        text = out;
    }
    text
}

fn parsed(output: &Output) -> Value {
    let text = normalize(&String::from_utf8_lossy(&output.stdout));
    if text.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

fn error_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .find(|line| line.starts_with("An error occurred"))
        .map(normalize)
        .unwrap_or_else(|| panic!("no service error in {output:?}"))
}

#[test]
fn session_matches_the_aws_cli() {
    let moto = tests::python::Moto::start();
    let endpoint = moto.endpoint.clone();
    let with_endpoint = |args: &[String]| {
        let mut all = vec!["--endpoint-url".to_owned(), endpoint.clone()];
        all.extend_from_slice(args);
        all
    };
    // Both tools are built before either runs, so that the build is not timed or interleaved.
    connect_binary();
    tests::python::aws_cli();

    let theirs_outputs = {
        let run = |args: &[String]| theirs(&with_endpoint(args));
        session_with(&run)
    };
    moto.reset();
    let ours_outputs = {
        let run = |args: &[String]| ours(&with_endpoint(args));
        session_with(&run)
    };

    for ((step, ours), theirs) in SESSION.iter().zip(&ours_outputs).zip(&theirs_outputs) {
        let what = step.args.join(" ");
        match step.compare {
            Compare::Json => {
                assert_eq!(ours.status.code(), Some(0), "{what}: ours failed: {ours:?}");
                assert_eq!(
                    theirs.status.code(),
                    Some(0),
                    "{what}: aws failed: {theirs:?}"
                );
                assert_eq!(parsed(ours), parsed(theirs), "{what}");
            }
            Compare::Text => {
                assert_eq!(ours.status.code(), Some(0), "{what}: ours failed: {ours:?}");
                assert_eq!(
                    theirs.status.code(),
                    Some(0),
                    "{what}: aws failed: {theirs:?}"
                );
                assert_eq!(
                    normalize(&String::from_utf8_lossy(&ours.stdout)),
                    normalize(&String::from_utf8_lossy(&theirs.stdout)),
                    "{what}"
                );
            }
            Compare::ServiceError => {
                assert_eq!(ours.status.code(), Some(255), "{what}: {ours:?}");
                assert_eq!(
                    ours.status.code(),
                    theirs.status.code(),
                    "{what}: {theirs:?}"
                );
                assert_eq!(error_line(ours), error_line(theirs), "{what}");
                assert!(ours.stdout.is_empty(), "{what}");
            }
        }
    }
    eprintln!(
        "{} steps: same output and exit codes as aws connect",
        SESSION.len()
    );
}

/// Runs the session through one tool and returns each step's output.
fn session_with(tool: &dyn Fn(&[String]) -> Output) -> Vec<Output> {
    let mut captured: HashMap<&str, String> = HashMap::new();
    let mut outputs = Vec::new();
    for step in SESSION {
        let args: Vec<String> = step
            .args
            .iter()
            .map(|arg| {
                let mut arg = (*arg).to_owned();
                for (name, value) in &captured {
                    arg = arg.replace(&format!("{{{name}}}"), value);
                }
                arg
            })
            .collect();
        let output = tool(&args);
        if !step.capture.is_empty() {
            let value: Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|error| panic!("{args:?}: not JSON ({error}): {output:?}"));
            for (name, key) in step.capture {
                let found = value[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("{args:?}: no {key}"));
                captured.insert(name, found.to_owned());
            }
        }
        outputs.push(output);
    }
    outputs
}

/// Equal, except where ours has an enum's first value and the AWS CLI another value of the
/// same enum (it picks one at random).
fn same_skeleton(
    ours: &Value,
    theirs: &Value,
    enums: &[Vec<String>],
    path: &str,
) -> Result<(), String> {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: Vec<&String> = a.keys().collect();
            let keys_b: Vec<&String> = b.keys().collect();
            if keys_a != keys_b {
                return Err(format!("{path}: members {keys_a:?} vs {keys_b:?}"));
            }
            for (key, value) in a {
                same_skeleton(value, &b[key], enums, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                same_skeleton(x, y, enums, &format!("{path}[{index}]"))?;
            }
            Ok(())
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let same_enum = enums
                .iter()
                .any(|values| values.first() == Some(a) && values.contains(b));
            if same_enum {
                Ok(())
            } else {
                Err(format!("{path}: {a:?} vs {b:?}"))
            }
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{path}: {a} vs {b}")),
    }
}

#[test]
fn skeletons_match_the_aws_cli() {
    let model = tests::connect_model_cached();
    let enums: Vec<Vec<String>> = model
        .shapes
        .iter()
        .filter_map(|shape| match &shape.kind {
            models::ShapeKind::String {
                enum_values: Some(values),
                ..
            } => Some(values.clone()),
            _ => None,
        })
        .collect();
    for command in ["describe-contact", "start-chat-contact", "create-instance"] {
        for form in [
            vec!["--generate-cli-skeleton"],
            vec!["--generate-cli-skeleton", "input"],
        ] {
            let mut args = strings(&[command]);
            args.extend(strings(&form));
            let ours = ours(&args);
            let theirs = theirs(&args);
            assert_eq!(ours.status.code(), Some(0), "{args:?}: {ours:?}");
            assert_eq!(theirs.status.code(), Some(0), "{args:?}: {theirs:?}");
            let a: Value = serde_json::from_slice(&ours.stdout).expect("our skeleton is JSON");
            let b: Value = serde_json::from_slice(&theirs.stdout).expect("their skeleton is JSON");
            same_skeleton(&a, &b, &enums, command)
                .unwrap_or_else(|error| panic!("{args:?}: {error}"));
        }
    }
    // The output skeleton checks the inputs first, then prints member names as values. (Not
    // `describe-contact`: the AWS CLI v1 validates its stub response against the output's
    // constraints and fails on `QueuePriority: 0`, exit 255; ours prints the skeleton.)
    for args in [
        strings(&[
            "create-instance",
            "--identity-management-type",
            "SAML",
            "--inbound-calls-enabled",
            "--outbound-calls-enabled",
            "--generate-cli-skeleton",
            "output",
        ]),
        strings(&["list-instances", "--generate-cli-skeleton", "output"]),
    ] {
        let (ours, theirs) = (ours(&args), theirs(&args));
        assert_eq!(ours.status.code(), Some(0), "{ours:?}");
        assert_eq!(theirs.status.code(), Some(0), "{theirs:?}");
        let a: Value = serde_json::from_slice(&ours.stdout).expect("JSON");
        let b: Value = serde_json::from_slice(&theirs.stdout).expect("JSON");
        same_skeleton(&a, &b, &enums, &args[0]).unwrap_or_else(|error| panic!("{args:?}: {error}"));
    }
    let args = strings(&[
        "describe-contact",
        "--instance-id",
        "i",
        "--contact-id",
        "c",
        "--generate-cli-skeleton",
        "output",
    ]);
    let skeleton: Value = serde_json::from_slice(&ours(&args).stdout).expect("JSON");
    assert_eq!(skeleton["Contact"]["Id"], "Id");
    assert_eq!(skeleton["Contact"]["QueuePriority"], 0);
    let missing = ours(&strings(&[
        "describe-contact",
        "--generate-cli-skeleton",
        "output",
    ]));
    assert_eq!(
        missing.status.code(),
        Some(252),
        "the output skeleton checks required options"
    );
}

#[test]
fn bad_options_exit_252_and_send_nothing() {
    // A server that must never see a connection.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let long_id = "x".repeat(101);
    let cases: Vec<(Vec<String>, &[&str])> = vec![
        (
            strings(&["describe-contact", "--instance-id", "i", "--contact-id", ""]),
            &["--contact-id", "has 0 characters", "from 1 to 256"],
        ),
        (
            strings(&[
                "describe-contact",
                "--instance-id",
                &long_id,
                "--contact-id",
                "c",
            ]),
            &["--instance-id", "has 101 characters", "from 1 to 100"],
        ),
        (
            strings(&[
                "start-chat-contact",
                "--instance-id",
                "i",
                "--contact-flow-id",
                "f",
                "--participant-details",
                "{\"DisplayName\": ",
            ]),
            &["--participant-details", "invalid JSON"],
        ),
        (
            strings(&[
                "start-chat-contact",
                "--instance-id",
                "i",
                "--contact-flow-id",
                "f",
                "--participant-details",
                "DisplayName",
            ]),
            &["--participant-details", "shorthand"],
        ),
        (
            strings(&["describe-contact", "--instance-id", "i"]),
            &["required", "--contact-id"],
        ),
        (
            strings(&["list-instances", "--max-results", "many"]),
            &["--max-results", "expected an integer"],
        ),
        (
            strings(&["list-instances", "--max-results", "1000"]),
            &["--max-results", "from 1 to 10"],
        ),
        (
            strings(&["tag-resource", "--resource-arn", "a", "--tags", "aws:x=1"]),
            &["--tags", "aws:x", "pattern"],
        ),
        (
            strings(&["describe-contact", "--no-such-option", "x"]),
            &["--no-such-option"],
        ),
        (strings(&["describe-kontact"]), &["describe-kontact"]),
    ];
    for (args, needles) in cases {
        let mut all = strings(&["--endpoint-url", &endpoint]);
        all.extend(args.iter().cloned());
        let output = ours(&all);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(252), "{args:?}: {stderr}");
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "{args:?}: {needle:?} not in {stderr}"
            );
        }
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert!(listener.accept().is_err(), "a request reached the server");
}

#[test]
fn help_shows_types_required_flags_and_constraints() {
    let output = ours(&strings(&["describe-contact", "--help"]));
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "--instance-id <string>",
        "(string) [required]",
        "Constraints: length 1 to 100 characters.",
        "--contact-id <string>",
        "Constraints: length 1 to 256 characters.",
        "--cli-input-json",
        "--generate-cli-skeleton",
        "--endpoint-url",
    ] {
        assert!(help.contains(needle), "{needle:?} not in:\n{help}");
    }
    let output = ours(&strings(&["create-instance", "--help"]));
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("--inbound-calls-enabled"), "{help}");
    assert!(
        help.contains("Possible values: SAML, CONNECT_MANAGED, EXISTING_DIRECTORY."),
        "{help}"
    );
}

#[test]
fn yaml_skeleton_is_the_json_skeleton() {
    // YAML skeleton parses to the same value as the JSON one.
    let json = ours(&strings(&["create-instance", "--generate-cli-skeleton"]));
    let yaml = ours(&strings(&[
        "create-instance",
        "--generate-cli-skeleton",
        "yaml-input",
    ]));
    assert_eq!(yaml.status.code(), Some(0), "{yaml:?}");
    let a: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let b: Value = serde_norway::from_slice(&yaml.stdout).expect("YAML");
    assert_eq!(a, b);
}

/// `s3 put-object --body FILE` and `s3 get-object ... OUTFILE` next to `aws s3api`: the file's
/// bytes go up (not its name), the object comes down into the file and the rest prints as the
/// AWS CLI prints it; a body that is no file and a missing `outfile` fail as they fail there.
#[test]
fn s3_files_in_and_out_match_the_aws_cli() {
    let moto = tests::python::Moto::start();
    let s3 = tests::service_cli("s3", false);
    let aws = tests::python::aws_cli();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    // Bytes that are not UTF-8, so that nothing may pass through text on the way.
    let data: Vec<u8> = (0..3000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(path("upload.bin"), &data).expect("upload file");
    let with_endpoint = |args: &[&str]| {
        let mut all = strings(&["--endpoint-url", &moto.endpoint]);
        all.extend(strings(args));
        all
    };
    let ours = |args: &[&str]| run(&s3, &[], &with_endpoint(args));
    let theirs = |args: &[&str]| run(&aws, &["s3api"], &with_endpoint(args));
    let created = theirs(&["create-bucket", "--bucket", "cli-files"]);
    assert_eq!(created.status.code(), Some(0), "{created:?}");

    let upload = path("upload.bin");
    let put = |tool: &dyn Fn(&[&str]) -> Output, key: &str| {
        let output = tool(&[
            "put-object",
            "--bucket",
            "cli-files",
            "--key",
            key,
            "--body",
            &upload,
        ]);
        assert_eq!(output.status.code(), Some(0), "put {key}: {output:?}");
        parsed(&output)
    };
    assert_eq!(put(&ours, "ours.bin"), put(&theirs, "theirs.bin"));

    // Each tool reads back what the other put.
    let (ours_file, theirs_file) = (path("ours-out.bin"), path("theirs-out.bin"));
    let got_ours = ours(&[
        "get-object",
        "--bucket",
        "cli-files",
        "--key",
        "theirs.bin",
        &ours_file,
    ]);
    let got_theirs = theirs(&[
        "get-object",
        "--bucket",
        "cli-files",
        "--key",
        "ours.bin",
        &theirs_file,
    ]);
    assert_eq!(got_ours.status.code(), Some(0), "{got_ours:?}");
    assert_eq!(got_theirs.status.code(), Some(0), "{got_theirs:?}");
    let printed = parsed(&got_ours);
    assert!(
        printed.get("Body").is_none(),
        "the body goes to the file: {printed}"
    );
    assert_eq!(printed, parsed(&got_theirs));
    assert_eq!(std::fs::read(&ours_file).expect("ours wrote"), data);
    assert_eq!(std::fs::read(&theirs_file).expect("aws wrote"), data);

    let missing = path("missing.bin");
    let no_file = [
        "put-object",
        "--bucket",
        "cli-files",
        "--key",
        "x",
        "--body",
        &missing,
    ];
    let (ours_failed, theirs_failed) = (ours(&no_file), theirs(&no_file));
    assert_eq!(ours_failed.status.code(), Some(255), "{ours_failed:?}");
    assert_eq!(ours_failed.status.code(), theirs_failed.status.code());
    let message = |output: &Output| {
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .find(|line| line.starts_with("Error parsing parameter"))
            .map(str::to_owned)
    };
    assert_eq!(message(&ours_failed), message(&theirs_failed));
    assert!(message(&ours_failed).is_some(), "{ours_failed:?}");

    let no_outfile = ["get-object", "--bucket", "cli-files", "--key", "ours.bin"];
    let (ours_failed, theirs_failed) = (ours(&no_outfile), theirs(&no_outfile));
    assert_eq!(ours_failed.status.code(), Some(2), "{ours_failed:?}");
    assert_eq!(ours_failed.status.code(), theirs_failed.status.code());
}

/// `fileb://` and `file://` as the AWS CLI reads them, next to `aws secretsmanager` against
/// moto: a binary secret from `fileb://~/…` goes up as its bytes and prints back in base64 as
/// the AWS CLI prints blobs; a file that is missing or no text fails as it fails there.
#[test]
fn secretsmanager_file_arguments_match_the_aws_cli() {
    use base64::Engine as _;
    let moto = tests::python::Moto::start();
    let secrets = tests::service_cli("secretsmanager", false);
    let aws = tests::python::aws_cli();
    // `run` gives both tools this home, so `~` names it.
    let home = std::env::temp_dir().join("connect-cli-test-home");
    std::fs::create_dir_all(&home).expect("home");
    let file = format!("cli-blob-{}.bin", std::process::id());
    // Bytes that are not UTF-8, so that nothing may pass through text on the way.
    let data: Vec<u8> = (0..600u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(home.join(&file), &data).expect("blob file");
    let fileb = format!("fileb://~/{file}");
    let with_endpoint = |args: &[&str]| {
        let mut all = strings(&["--endpoint-url", &moto.endpoint]);
        all.extend(strings(args));
        all
    };
    let ours = |args: &[&str]| run(&secrets, &[], &with_endpoint(args));
    let theirs = |args: &[&str]| run(&aws, &["secretsmanager"], &with_endpoint(args));

    for (tool, name) in [
        (&ours as &dyn Fn(&[&str]) -> Output, "ours-bin"),
        (&theirs, "theirs-bin"),
    ] {
        let created = tool(&["create-secret", "--name", name, "--secret-binary", &fileb]);
        assert_eq!(created.status.code(), Some(0), "{name}: {created:?}");
    }
    // Each secret read by both tools prints the same, its bytes in base64.
    for name in ["ours-bin", "theirs-bin"] {
        let get = ["get-secret-value", "--secret-id", name];
        let (ours_got, theirs_got) = (ours(&get), theirs(&get));
        assert_eq!(ours_got.status.code(), Some(0), "{ours_got:?}");
        assert_eq!(theirs_got.status.code(), Some(0), "{theirs_got:?}");
        let (mut printed, mut printed_there) = (parsed(&ours_got), parsed(&theirs_got));
        assert_eq!(
            printed["SecretBinary"],
            base64::engine::general_purpose::STANDARD.encode(&data),
            "{name}"
        );
        // The AWS CLI v1 prints a timestamp as it came (here epoch seconds), ours in ISO 8601
        // (the README says so): present in both, compared no further.
        for output in [&mut printed, &mut printed_there] {
            let created = output.as_object_mut().and_then(|o| o.remove("CreatedDate"));
            assert!(created.is_some(), "{name}: CreatedDate printed");
        }
        assert_eq!(printed, printed_there, "{name}");
    }

    // A missing file and a file that is no text, where text is read: the same exit and words.
    let message = |output: &Output| {
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .find(|line| line.starts_with("Error parsing parameter"))
            .map(str::to_owned)
    };
    let missing = format!("fileb://~/{file}.missing");
    let not_text = format!("file://~/{file}");
    for (option, value, expected) in [
        (
            "--secret-binary",
            &missing,
            "Error parsing parameter '--secret-binary': Unable to load paramfile fileb://~/",
        ),
        (
            "--secret-string",
            &not_text,
            "Error parsing parameter '--secret-string': Unable to load paramfile (",
        ),
    ] {
        let args = ["create-secret", "--name", "never", option, value];
        let (ours_failed, theirs_failed) = (ours(&args), theirs(&args));
        assert_eq!(ours_failed.status.code(), Some(255), "{ours_failed:?}");
        assert_eq!(ours_failed.status.code(), theirs_failed.status.code());
        let (ours_said, theirs_said) = (message(&ours_failed), message(&theirs_failed));
        assert!(
            ours_said
                .as_deref()
                .is_some_and(|said| said.starts_with(expected)),
            "{ours_said:?}"
        );
        if option == "--secret-string" {
            // Word for word where no operating system's error text is in it.
            assert_eq!(ours_said, theirs_said);
        } else {
            assert!(theirs_said.is_some_and(|said| said.starts_with(expected)));
        }
    }
    // Bytes where text is taken: a parameter error before anything is sent (252 here; the AWS
    // CLI v1 exits 255 for its parameter validation, as `bad_options_exit_252_and_send_nothing`
    // says).
    let bytes_for_text = ours(&[
        "create-secret",
        "--name",
        "never",
        "--secret-string",
        &fileb,
    ]);
    assert_eq!(
        bytes_for_text.status.code(),
        Some(252),
        "{bytes_for_text:?}"
    );
    assert!(
        String::from_utf8_lossy(&bytes_for_text.stderr).contains("fileb:// gives bytes"),
        "{bytes_for_text:?}"
    );
    let listed = parsed(&ours(&["list-secrets"]));
    let mut names: Vec<&str> = listed["SecretList"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|secret| secret["Name"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["ours-bin", "theirs-bin"],
        "nothing else was created"
    );
    let _ = std::fs::remove_file(home.join(&file));
}

/// `wait`, next to the AWS CLI's (`aws s3api wait`, `aws ec2 wait`) against moto: a wait that
/// succeeds prints nothing and exits 0 in both, whether a result (a VPC `available`, status
/// 200) or an error (status 404 for an absent object) ends it; one that meets an error no
/// acceptor expects exits 255 with botocore's `WaiterError`, word for word.
#[test]
fn waiters_match_the_aws_cli() {
    let moto = tests::python::Moto::start();
    let (s3, ec2) = (
        tests::service_cli("s3", false),
        tests::service_cli("ec2", false),
    );
    let aws = tests::python::aws_cli();
    let with_endpoint = |args: &[&str]| {
        let mut all = strings(&["--endpoint-url", &moto.endpoint]);
        all.extend(strings(args));
        all
    };
    let theirs = |service: &str, args: &[&str]| run(&aws, &[service], &with_endpoint(args));
    let created = theirs("s3api", &["create-bucket", "--bucket", "waits"]);
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let put = theirs(
        "s3api",
        &["put-object", "--bucket", "waits", "--key", "here"],
    );
    assert_eq!(put.status.code(), Some(0), "{put:?}");
    let vpc = theirs("ec2", &["create-vpc", "--cidr-block", "10.40.0.0/16"]);
    assert_eq!(vpc.status.code(), Some(0), "{vpc:?}");
    let vpc_id = parsed(&vpc)["Vpc"]["VpcId"]
        .as_str()
        .expect("a VPC id")
        .to_owned();

    let cases: [(&Path, &str, Vec<&str>, i32); 6] = [
        (&s3, "s3api", vec!["bucket-exists", "--bucket", "waits"], 0),
        (
            &s3,
            "s3api",
            vec!["object-exists", "--bucket", "waits", "--key", "here"],
            0,
        ),
        (
            &s3,
            "s3api",
            vec!["object-not-exists", "--bucket", "waits", "--key", "nowhere"],
            0,
        ),
        (&ec2, "ec2", vec!["vpc-available", "--vpc-ids", &vpc_id], 0),
        (
            &ec2,
            "ec2",
            vec!["vpc-available", "--vpc-ids", "vpc-12345678"],
            255,
        ),
        (
            &ec2,
            "ec2",
            vec!["subnet-available", "--subnet-ids", "subnet-12345678"],
            255,
        ),
    ];
    for (binary, service, waiter, code) in cases {
        let mut args = vec!["wait"];
        args.extend(&waiter);
        let ours = run(binary, &[], &with_endpoint(&args));
        let theirs = theirs(service, &args);
        assert_eq!(ours.status.code(), Some(code), "ours, {args:?}: {ours:?}");
        assert_eq!(
            theirs.status.code(),
            Some(code),
            "aws, {args:?}: {theirs:?}"
        );
        assert_eq!(ours.stdout, theirs.stdout, "{args:?}: nothing is printed");
        assert!(ours.stdout.is_empty(), "{args:?}: {ours:?}");
        let stderr = |output: &Output| String::from_utf8_lossy(&output.stderr).into_owned();
        if code == 0 {
            assert_eq!(stderr(&ours), "", "{args:?}");
        } else {
            assert_eq!(stderr(&ours), stderr(&theirs), "{args:?}");
            assert!(
                stderr(&ours).starts_with("\nWaiter "),
                "{args:?}: {}",
                stderr(&ours)
            );
        }
    }

    // Bad options fail before anything is sent, as the operation's command fails them.
    for bad in [
        run(&s3, &[], &with_endpoint(&["wait", "bucket-exists"])),
        run(
            &ec2,
            &[],
            &with_endpoint(&["wait", "vpc-available", "--bogus"]),
        ),
    ] {
        assert_eq!(bad.status.code(), Some(252), "{bad:?}");
    }
}
