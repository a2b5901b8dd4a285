//! Snapshots of the code generated for small fixture models, one behaviour each, and of the
//! errors for models that must be rejected. Each snapshot is an assertion: review diffs with
//! `cargo insta review` before accepting them.

use std::fmt::Write as _;

/// The crate generated for a fixture.
fn generate(fixture: &str) -> codegen::GeneratedCrate {
    let service = tests::load_fixture(fixture);
    codegen::Config::new("fixture")
        .source_label(format!("tests/fixtures/{fixture}"))
        .generate(&service)
        .unwrap_or_else(|error| panic!("{fixture} does not generate: {error}"))
}

/// The generated `lib.rs` and `types` files of a fixture, in path order.
fn generated(fixture: &str) -> String {
    let mut out = String::new();
    for (path, source) in &generate(fixture).files {
        let path = path.to_string_lossy();
        if path == "src/lib.rs"
            || path == "src/patterns.rs"
            || path.starts_with("src/types/") && path != "src/types/mod.rs"
        {
            let _ = write!(out, "// ===== {path} =====\n{source}\n");
        }
    }
    out
}

/// The files `paths` generated for a fixture, in that order.
fn generated_files(fixture: &str, paths: &[&str]) -> String {
    let generated = generate(fixture);
    let mut out = String::new();
    for path in paths {
        let source = &generated.files[std::path::Path::new(path)];
        let _ = write!(out, "// ===== {path} =====\n{source}\n");
    }
    out
}

/// The loader's error for a fixture that must be rejected.
fn rejection(fixture: &str) -> String {
    let text = std::fs::read_to_string(tests::fixture_path(fixture)).expect("fixture exists");
    let label = format!("tests/fixtures/{fixture}");
    match models::load_service(&label, &text, None) {
        Ok(_) => panic!("{fixture} must be rejected"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn structures() {
    insta::assert_snapshot!(generated("structures.json"));
}

#[test]
fn enums() {
    insta::assert_snapshot!(generated("enums.json"));
}

#[test]
fn unions() {
    insta::assert_snapshot!(generated("unions.json"));
}

#[test]
fn scalars() {
    insta::assert_snapshot!(generated("scalars.json"));
}

#[test]
fn collections() {
    insta::assert_snapshot!(generated("collections.json"));
}

#[test]
fn sensitive() {
    insta::assert_snapshot!(generated("sensitive.json"));
}

#[test]
fn recursion() {
    insta::assert_snapshot!(generated("recursion.json"));
}

#[test]
fn naming_obstacle_course() {
    insta::assert_snapshot!(generated("naming.json"));
}

/// Every form of paginator botocore's `paginators-1.json` uses: string, integer and map tokens,
/// several tokens, `more_results` at any depth, token expressions (`a || b[-1].c`), nested
/// tokens and result keys, no result key; and one the generator cannot express, left out and
/// reported.
#[test]
fn paginators_of_every_form() {
    let generated = generate("paginators.json");
    let notes: Vec<String> = generated
        .capability_notes
        .iter()
        .map(ToString::to_string)
        .collect();
    let client = &generated.files[std::path::Path::new("src/client.rs")];
    insta::assert_snapshot!(format!(
        "// ===== capability notes =====\n{}\n\n// ===== src/client.rs =====\n{client}",
        notes.join("\n")
    ));
}

/// Waiters with every matcher (a `path` to a number, `status`, an error code, any error,
/// `pathAll`, `pathAny` to a boolean, a filter expression), their docs and methods; the one
/// whose expression the jmespath crate cannot read is left out and reported.
#[test]
fn waiters_of_every_matcher() {
    let generated = generate("traits.json");
    let notes: Vec<String> = generated
        .capability_notes
        .iter()
        .filter(|note| note.path.starts_with("waiters."))
        .map(ToString::to_string)
        .collect();
    let waiters = &generated.files[std::path::Path::new("src/waiters.rs")];
    insta::assert_snapshot!(format!(
        "// ===== capability notes =====\n{}\n\n// ===== src/waiters.rs =====\n{waiters}",
        notes.join("\n")
    ));
}

/// Operations named like the client's own methods (`New`, `Config`, `Call`...) or like each
/// other once converted (`ListFoo`, `ListFOO`, `ListFooPages` beside `list_foo_pages`) all
/// get distinct names; `Invoke` keeps its own.
#[test]
fn operation_name_clashes() {
    insta::assert_snapshot!(generated_files(
        "clashes.json",
        &["src/client.rs", "src/dynamic.rs"]
    ));
}

/// The IR keeps every trait botocore uses, resolved and typed.
#[test]
fn traits_in_the_ir() {
    let service = tests::load_fixture("traits.json");
    insta::assert_debug_snapshot!(service);
}

#[test]
fn rejected_model_lists_every_problem() {
    insta::assert_snapshot!(rejection("rejected.json"));
}

#[test]
fn invalid_json_names_line_and_column() {
    insta::assert_snapshot!(rejection("invalid-json.json"));
}

/// The client side of a model that uses every HTTP binding: operation impls (labels, greedy
/// labels, literal query, query lists and maps, headers, prefix headers, payloads, idempotency
/// tokens, status codes), error enums, the service trait and paginators.
#[test]
fn client_and_operations() {
    insta::assert_snapshot!(generated_files(
        "traits.json",
        &["src/client.rs", "src/operations.rs"]
    ));
}

/// The command line's tables for the fixture with every trait: option names (botocore's
/// `xform_name`), help with types, constraints and docs, paginators, and the binary.
#[test]
fn command_line_tables() {
    insta::assert_snapshot!(generated_files(
        "traits.json",
        &["src/cli.rs", "src/bin/fixture.rs", "Cargo.toml"]
    ));
}

/// The types' serde impls are the body codec of the JSON and CBOR protocols, so always there;
/// for the XML protocols they serve only users and sit behind the `serde` feature. The unions
/// fixture (two structures and a union) generated for each protocol: every serde impl, and the
/// `json` import they use, gated exactly when the protocol is an XML one.
#[test]
fn serde_impls_are_a_feature_for_the_xml_protocols() {
    let text = std::fs::read_to_string(tests::fixture_path("unions.json")).expect("fixture");
    for protocol in [
        "rest-json",
        "json",
        "smithy-rpc-v2-cbor",
        "rest-xml",
        "query",
        "ec2",
    ] {
        let model = text.replace("\"rest-json\"", &format!("{protocol:?}"));
        let mut model: serde_json::Value = serde_json::from_str(&model).expect("JSON");
        if protocol == "json" {
            model["metadata"]["jsonVersion"] = "1.0".into();
            model["metadata"]["targetPrefix"] = "Fixture".into();
        }
        let service = models::load_service("unions.json", &model.to_string(), None)
            .unwrap_or_else(|error| panic!("{protocol}: {error}"));
        let generated = codegen::Config::new("fixture")
            .generate(&service)
            .unwrap_or_else(|error| panic!("{protocol}: {error}"));
        let gated = matches!(protocol, "rest-xml" | "query" | "ec2");
        let gate = "#[cfg(feature = \"serde\")]";
        let mut serde_items = 0;
        for (path, source) in &generated.files {
            let lines: Vec<&str> = source.lines().collect();
            for (at, line) in lines.iter().enumerate() {
                let serde_item = line.starts_with("impl crate::rt::serde::")
                    || line.starts_with("impl<'de> crate::rt::serde::")
                    || line.starts_with("impl json::Json")
                    || line.starts_with("use crate::rt::json");
                if !serde_item {
                    continue;
                }
                serde_items += 1;
                let previous = at.checked_sub(1).map(|at| lines[at]);
                assert_eq!(
                    previous == Some(gate),
                    gated,
                    "{protocol}: {}:{}: `{line}` after {previous:?}",
                    path.display(),
                    at + 1
                );
            }
        }
        // Serialize, Deserialize and JsonStructure/JsonUnion of two structures and a union,
        // and the import of the two type files.
        assert_eq!(serde_items, 11, "{protocol}");
        let manifest = &generated.files[std::path::Path::new("Cargo.toml")];
        assert!(
            manifest.contains("\nserde = []\n"),
            "{protocol}: {manifest}"
        );
    }
}
