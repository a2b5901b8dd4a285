//! `codegen::diff`: one fixture pair per rule with its report as a snapshot, consecutive botocore
//! releases of the Connect model with their summaries asserted, symmetry (identical models report
//! nothing, swapping OLD and NEW swaps additions and removals), the JSON schema, fingerprints and
//! ignore files.
//!
//! The botocore models are vendored gzip-compressed under `tests/fixtures/diff/botocore/`.

use std::io::Read as _;
use std::path::PathBuf;

use codegen::diff::{self, Report, Rule, Severity};
use serde_json::Value;

fn diff_dir() -> PathBuf {
    tests::fixture_path("diff")
}

/// Loads `tests/fixtures/diff/<name>/{old,new}.json` and their paginators and waiters, if any.
fn fixture_pair(name: &str) -> (models::Service, models::Service) {
    let dir = diff_dir().join(name);
    let load = |side: &str| {
        let paginators = dir.join(format!("{side}-paginators.json"));
        let mut service = models::load_service_files(
            &dir.join(format!("{side}.json")),
            paginators.exists().then_some(&*paginators),
        )
        .unwrap_or_else(|error| panic!("{name}/{side}.json does not load: {error}"));
        let waiters = dir.join(format!("{side}-waiters.json"));
        if waiters.exists() {
            service.waiters =
                models::load_waiters_file(&waiters, &service).unwrap_or_else(|error| {
                    panic!("{name}/{side}-waiters.json does not load: {error}")
                });
        }
        service
    };
    (load("old"), load("new"))
}

/// A vendored botocore release of the Connect model.
fn botocore(version: &str) -> models::Service {
    let path = diff_dir().join(format!("botocore/{version}/service-2.json.gz"));
    let file = std::fs::File::open(&path).expect("vendored model");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip");
    models::load_service(&path.display().to_string(), &text, None).expect("loads")
}

fn has(report: &Report, rule: Rule) -> bool {
    report.changes.iter().any(|change| change.rule == rule)
}

/// The rule that undoes `rule` when OLD and NEW are swapped.
fn inverse(rule: Rule) -> Rule {
    use Rule::*;
    match rule {
        OperationAdded => OperationRemoved,
        OperationRemoved => OperationAdded,
        MemberAdded | RequiredMemberAdded => MemberRemoved,
        MemberRemoved => MemberAdded,
        UnionMemberAdded => UnionMemberRemoved,
        UnionMemberRemoved => UnionMemberAdded,
        EnumValueAdded => EnumValueRemoved,
        EnumValueRemoved => EnumValueAdded,
        MemberBecameRequired => MemberBecameOptional,
        MemberBecameOptional => MemberBecameRequired,
        LengthTightened => LengthLoosened,
        LengthLoosened => LengthTightened,
        RangeTightened => RangeLoosened,
        RangeLoosened => RangeTightened,
        PatternAdded => PatternRemoved,
        PatternRemoved => PatternAdded,
        ErrorAdded => ErrorRemoved,
        ErrorRemoved => ErrorAdded,
        PaginatorAdded => PaginatorRemoved,
        PaginatorRemoved => PaginatorAdded,
        WaiterAdded => WaiterRemoved,
        WaiterRemoved => WaiterAdded,
        other => other,
    }
}

/// Swapping OLD and NEW swaps new and removed operations and each side's additions and
/// removals, and turns every change into its inverse (a required member added comes back as a
/// plain member removed).
fn assert_swaps(old: &models::Service, new: &models::Service) {
    let forward = diff::diff(old, new);
    let backward = diff::diff(new, old);
    assert_eq!(forward.changes.len(), backward.changes.len());
    let (f, b) = (forward.summary(), backward.summary());
    assert_eq!(f.new, b.removed);
    assert_eq!(f.removed, b.new);
    assert_eq!(f.updated.len(), b.updated.len());
    for (x, y) in f.updated.iter().zip(&b.updated) {
        assert_eq!(x.name, y.name);
        let paths = |entries: &[diff::Entry]| -> Vec<(String, String)> {
            entries
                .iter()
                .map(|e| (e.path.clone(), e.value.clone()))
                .collect()
        };
        assert_eq!(paths(&x.request.added), paths(&y.request.removed));
        assert_eq!(paths(&x.request.removed), paths(&y.request.added));
        assert_eq!(paths(&x.response.added), paths(&y.response.removed));
        assert_eq!(paths(&x.response.removed), paths(&y.response.added));
    }
    for change in &forward.changes {
        let undo = inverse(change.rule);
        let location_matches = |other: &diff::Change| match change.rule {
            // A rename is found at the new member's name either way.
            Rule::MemberRenamed | Rule::ShapeRenamed | Rule::MemberTypeChanged => true,
            _ => other.location == change.location,
        };
        assert!(
            backward
                .changes
                .iter()
                .any(|other| other.rule == undo && location_matches(other)),
            "{} at {} has no inverse {undo}",
            change.rule,
            change.location
        );
    }
}

/// The snapshot of one rule's fixture, with the checks every fixture must pass.
fn rule_fixture(id: &str) -> String {
    let rule = Rule::from_id(id).expect("a rule id");
    let (old, new) = fixture_pair(id);
    let report = diff::diff(&old, &new);
    assert!(
        has(&report, rule),
        "{id}: the fixture does not trigger its rule"
    );
    assert_swaps(&old, &new);
    diff::render::text(&report, false)
}

macro_rules! rule_snapshots {
    ($($name:ident => $id:literal,)*) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(stringify!($name), rule_fixture($id));
            }
        )*

        /// Every rule has a fixture.
        #[test]
        fn every_rule_has_a_fixture() {
            let covered = [$($id),*];
            for rule in Rule::ALL {
                assert!(covered.contains(&rule.id()), "no fixture for {rule}");
            }
        }
    };
}

rule_snapshots! {
    operation_added => "operation-added",
    operation_removed => "operation-removed",
    member_added => "member-added",
    required_member_added => "required-member-added",
    member_removed => "member-removed",
    member_renamed => "member-renamed",
    union_member_added => "union-member-added",
    union_member_removed => "union-member-removed",
    enum_value_added => "enum-value-added",
    enum_value_removed => "enum-value-removed",
    member_type_changed => "member-type-changed",
    shape_renamed => "shape-renamed",
    member_became_required => "member-became-required",
    member_became_optional => "member-became-optional",
    length_tightened => "length-tightened",
    length_loosened => "length-loosened",
    range_tightened => "range-tightened",
    range_loosened => "range-loosened",
    pattern_added => "pattern-added",
    pattern_removed => "pattern-removed",
    pattern_changed => "pattern-changed",
    http_method_changed => "http-method-changed",
    http_uri_changed => "http-uri-changed",
    http_response_code_changed => "http-response-code-changed",
    http_location_changed => "http-location-changed",
    http_location_name_changed => "http-location-name-changed",
    http_payload_changed => "http-payload-changed",
    timestamp_format_changed => "timestamp-format-changed",
    error_added => "error-added",
    error_removed => "error-removed",
    paginator_added => "paginator-added",
    paginator_removed => "paginator-removed",
    paginator_changed => "paginator-changed",
    waiter_added => "waiter-added",
    waiter_removed => "waiter-removed",
    waiter_changed => "waiter-changed",
    documentation_changed => "documentation-changed",
    deprecated => "deprecated",
    sensitive_changed => "sensitive-changed",
}

#[test]
fn other_forms_of_a_report() {
    let (old, new) = fixture_pair("enum-value-added");
    let report = diff::diff(&old, &new);
    insta::assert_snapshot!("forms_markdown", diff::render::markdown(&report));
    let page = diff::page::ChangePage::new(&old, &new, &diff::page::PageOptions::default());
    insta::assert_snapshot!("forms_change_page", diff::render::change_page(&page));
    let json = serde_json::to_string_pretty(&diff::render::json(&report)).expect("serialises");
    insta::assert_snapshot!("forms_json", json);
}

#[test]
fn direction_grades_severity() {
    let (old, new) = fixture_pair("enum-value-added");
    let report = diff::diff(&old, &new);
    let severity = |location: &str| {
        report
            .changes
            .iter()
            .find(|change| change.location == location)
            .map(|change| (change.severity(), change.direction()))
    };
    // Mode is only sent, Status only read.
    assert_eq!(
        severity("shapes.Mode.enum.TURBO"),
        Some((Severity::Note, diff::Direction::Request))
    );
    assert_eq!(
        severity("shapes.Status.enum.ARCHIVED"),
        Some((Severity::Warning, diff::Direction::Response))
    );
}

#[test]
fn identical_models_report_nothing() {
    let base = tests::load_fixture("diff/base.json");
    assert!(diff::diff(&base, &base).is_empty());
    let connect = tests::connect_model();
    let report = diff::diff(&connect, &connect);
    assert!(report.is_empty(), "{}", diff::render::text(&report, false));
    assert_eq!(report.semver(), None);
}

#[test]
fn fingerprints_are_stable() {
    let (old, new) = fixture_pair("enum-value-added");
    let report = diff::diff(&old, &new);
    let fingerprints: Vec<(String, String)> = report
        .changes
        .iter()
        .map(|change| (change.location.clone(), change.fingerprint()))
        .collect();
    // Fixed values: a change of hash function or inputs must be deliberate.
    insta::assert_debug_snapshot!("fingerprints", fingerprints);
    let again = diff::diff(&old, &new);
    assert_eq!(report, again);
}

#[test]
fn ignore_files_silence_changes() {
    let (old, new) = fixture_pair("enum-value-added");
    let mut report = diff::diff(&old, &new);
    let status = report
        .changes
        .iter()
        .find(|change| change.location == "shapes.Status.enum.ARCHIVED")
        .expect("found")
        .fingerprint();
    let list = diff::IgnoreList::parse(&format!(
        "# known\nenum-value-added shapes.Mode.enum.*\n{status}\n"
    ))
    .expect("parses");
    assert_eq!(report.ignore(&list), 2);
    assert!(report.is_empty());
}

#[test]
fn botocore_1_43_105_to_106_constraint_only_is_not_updated() {
    let (old, new) = (botocore("1.43.105"), botocore("1.43.106"));
    let report = diff::diff(&old, &new);
    let summary = report.summary();
    assert!(summary.new.is_empty() && summary.removed.is_empty());
    let updated: Vec<&str> = summary.updated.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        updated,
        [
            "CreateRule",
            "DescribeRule",
            "ListRules",
            "SearchRules",
            "UpdateRule"
        ]
    );
    let create_rule = &summary.updated[0];
    let added: Vec<(&str, &str)> = create_rule
        .request
        .added
        .iter()
        .map(|e| (e.path.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        added,
        [
            ("Actions[].ActionType", "SEND_IN_APP_NOTIFICATION"),
            (
                "Actions[].SendInAppNotificationAction",
                "SendInAppNotificationActionDefinition"
            ),
        ]
    );
    // LocalizedString's max went from 500 to 3000: CreateNotification reaches it, and only it.
    let loosened = report
        .changes
        .iter()
        .find(|change| change.rule == Rule::LengthLoosened)
        .expect("the constraint change");
    assert_eq!(loosened.location, "shapes.LocalizedString");
    assert!(
        loosened
            .uses
            .iter()
            .any(|u| u.operation == "CreateNotification" && u.path == "Content{}")
    );
    assert!(!updated.contains(&"CreateNotification"));
    assert_eq!(report.in_category(diff::Category::Constraint).count(), 1);
    assert_eq!(report.in_category(diff::Category::Docs).count(), 9);
    let page = diff::page::ChangePage::new(&old, &new, &diff::page::PageOptions::default());
    insta::assert_snapshot!(
        "botocore_1_43_105_to_1_43_106",
        diff::render::change_page_summary(&page, &report)
    );
    assert_swaps(&old, &new);
}

#[test]
fn botocore_1_44_3_to_1_44_4_one_new_operation() {
    let (old, new) = (botocore("1.44.3"), botocore("1.44.4"));
    let report = diff::diff(&old, &new);
    let summary = report.summary();
    assert_eq!(summary.new, ["DeleteAllEntitySessions"]);
    assert!(summary.removed.is_empty());
    assert!(summary.updated.is_empty());
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.semver(), Some(diff::Semver::Minor));
    let page = diff::page::ChangePage::new(&old, &new, &diff::page::PageOptions::default());
    let text = diff::render::change_page(&page);
    assert!(
        text.starts_with(
            "Amazon Connect Service - 1 new api methods\n\n\
             DeleteAllEntitySessions (new)\n=============================\n"
        ),
        "{text}"
    );
    assert!(page.updated.is_empty());
    assert_swaps(&old, &new);
}

#[test]
fn botocore_1_44_4_to_1_44_5_evaluation_forms() {
    let (old, new) = (botocore("1.44.4"), botocore("1.44.5"));
    let report = diff::diff(&old, &new);
    let summary = report.summary();
    assert!(summary.new.is_empty() && summary.removed.is_empty());
    let updated: Vec<&str> = summary.updated.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        updated,
        [
            "CreateEvaluationForm",
            "DescribeContactEvaluation",
            "DescribeEvaluationForm",
            "UpdateEvaluationForm"
        ]
    );
    let describe = &summary.updated[1];
    assert!(describe.request.is_empty());
    let paths: Vec<&str> = describe
        .response
        .added
        .iter()
        .map(|e| e.path.as_str())
        .collect();
    for path in [
        "Evaluation.SourceValues",
        "Evaluation.ItemEnablementStatus",
        "Evaluation.Answers{}.SuggestedAnswers[].AnalysisType",
    ] {
        assert!(paths.contains(&path), "{path} missing from {paths:?}");
    }
    assert_eq!(report.changes.len(), 52);
    assert_eq!(report.max_severity(), Some(Severity::Warning));
    assert_swaps(&old, &new);
}

#[test]
fn botocore_swapped_pair_reports_a_removed_operation() {
    let report = diff::diff(&botocore("1.44.4"), &botocore("1.44.3"));
    let summary = report.summary();
    assert_eq!(summary.removed, ["DeleteAllEntitySessions"]);
    assert!(report.fails(Severity::Error));
    assert_eq!(report.semver(), Some(diff::Semver::Major));
}

/// Every fixture report and a botocore report validate against the documented schema.
#[test]
fn json_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(diff::render::SCHEMA).expect("the schema is JSON");
    let mut reports = Vec::new();
    for rule in Rule::ALL {
        let (old, new) = fixture_pair(rule.id());
        reports.push(diff::diff(&old, &new));
    }
    reports.push(diff::diff(&botocore("1.44.4"), &botocore("1.44.5")));
    for report in &reports {
        let json = diff::render::json(report);
        let mut errors = Vec::new();
        validate(&schema, &schema, &json, "$", &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The validator does reject what the schema forbids.
    let mut bad = diff::render::json(&reports[0]);
    bad["changes"][0]["severity"] = Value::from("fatal");
    bad["extra"] = Value::from(1);
    let mut errors = Vec::new();
    validate(&schema, &schema, &bad, "$", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

/// A validator for the subset of JSON Schema the report schema uses (`type`, `const`, `enum`,
/// `required`, `properties`, `additionalProperties: false`, `items`, `$ref`, `oneOf`, `minimum`,
/// and the one `pattern`, a 16-digit lowercase hex string). The `jsonschema` crate would pull
/// in an HTTP client and a regex engine for this; the subset is 50 lines.
fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        return validate(root, &root["$defs"][name], value, at, errors);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = options
            .iter()
            .filter(|option| {
                let mut inner = Vec::new();
                validate(root, option, value, at, &mut inner);
                inner.is_empty()
            })
            .count();
        if passing != 1 {
            errors.push(format!("{at}: {passing} oneOf branches match"));
        }
    }
    if let Some(expected) = schema.get("const")
        && expected != value
    {
        errors.push(format!("{at}: expected {expected}"));
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types.contains(&actual) {
            errors.push(format!("{at}: {actual} is not {types:?}"));
            return;
        }
    }
    if let (Some(minimum), Some(number)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) && number < minimum
    {
        errors.push(format!("{at}: {number} < {minimum}"));
    }
    if schema.get("pattern").is_some() {
        let text = value.as_str().unwrap_or("");
        let hex = text.len() == 16
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hex {
            errors.push(format!("{at}: `{text}` is not 16 lowercase hex digits"));
        }
    }
    if let Value::Object(object) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(key) {
                errors.push(format!("{at}: missing {key}"));
            }
        }
        for (key, item) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(property) => validate(root, property, item, &format!("{at}.{key}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: unexpected {key}"));
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (index, item) in items.iter().enumerate() {
            validate(root, item_schema, item, &format!("{at}[{index}]"), errors);
        }
    }
}
