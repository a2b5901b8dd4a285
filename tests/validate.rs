//! Generated validators on the Connect model: the seed examples from the AWS CLI docs, paths,
//! multi-byte lengths, redaction and options. The model-driven tables and property tests are in
//! `validate_model.rs`.

use std::collections::HashMap;

use connect::types::{
    AttributeCondition, Expression, RoutingCriteriaInput, RoutingCriteriaInputStep,
    TagContactRequest, UpdateContactRoutingDataRequest,
};
use connect::validate::{LengthUnit, ViolationKind};
use connect::{Validate, ValidateOptions};

fn tag_request(tags: &[(&str, &str)]) -> TagContactRequest {
    let tags: HashMap<String, String> = tags
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
    TagContactRequest::default()
        .with_instance_id("instance")
        .with_contact_id("contact")
        .with_tags(tags)
}

/// `(path, kind)` of every violation, for exact comparisons.
fn violations(value: &impl Validate) -> Vec<(String, ViolationKind)> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(error) => error
            .violations()
            .iter()
            .map(|violation| (violation.path().to_owned(), violation.kind().clone()))
            .collect(),
    }
}

#[test]
fn tag_keys_may_not_start_with_aws() {
    assert_eq!(violations(&tag_request(&[("foo", "bar")])), []);
    let found = violations(&tag_request(&[("aws:foo", "bar")]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, r#"Tags["aws:foo"]"#);
    assert!(matches!(
        &found[0].1,
        ViolationKind::Pattern { pattern, value: Some(value) }
            if *pattern == "^(?!aws:)[a-zA-Z+-=._:/]+$" && value == "aws:foo"
    ));
}

#[test]
fn seven_tags_break_the_map_length() {
    let keys = ["a", "b", "c", "d", "e", "f", "g"];
    let six: Vec<(&str, &str)> = keys[..6].iter().map(|key| (*key, "v")).collect();
    let seven: Vec<(&str, &str)> = keys.iter().map(|key| (*key, "v")).collect();
    assert_eq!(violations(&tag_request(&six)), []);
    assert_eq!(
        violations(&tag_request(&seven)),
        [(
            "Tags".to_owned(),
            ViolationKind::Length {
                min: Some(1),
                max: Some(6),
                actual: 7,
                unit: LengthUnit::Entries
            }
        )]
    );
}

fn routing(priority: i64) -> UpdateContactRoutingDataRequest {
    UpdateContactRoutingDataRequest::default()
        .with_instance_id("instance")
        .with_contact_id("contact")
        .with_queue_priority(priority)
}

#[test]
fn queue_priority_covers_the_whole_i64_range() {
    assert_eq!(violations(&routing(i64::MAX)), []);
    assert_eq!(violations(&routing(1)), []);
    let found = violations(&routing(0));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "QueuePriority");
    let message = routing(0).validate().expect_err("invalid").to_string();
    assert!(
        message.contains("QueuePriority: is 0, but the value must be at least 1"),
        "{message}"
    );
}

fn proficiency(level: f32) -> UpdateContactRoutingDataRequest {
    let condition = AttributeCondition::default()
        .with_name("Language")
        .with_value("English")
        .with_proficiency_level(level);
    let expression = Expression::default().with_and_expression(vec![
        Expression::default(),
        Expression::default().with_attribute_condition(condition),
    ]);
    let step = RoutingCriteriaInputStep::default().with_expression(expression);
    let steps = vec![
        RoutingCriteriaInputStep::default(),
        RoutingCriteriaInputStep::default(),
        step,
    ];
    routing(5).with_routing_criteria(RoutingCriteriaInput::default().with_steps(steps))
}

#[test]
fn proficiency_level_is_checked_deep_in_the_routing_criteria() {
    assert_eq!(violations(&proficiency(5.0)), []);
    for level in [5.5, 0.5, f32::NAN, f32::INFINITY] {
        let found = violations(&proficiency(level));
        assert_eq!(found.len(), 1, "{level}: {found:?}");
        assert_eq!(
            found[0].0,
            "RoutingCriteria.Steps[2].Expression.AndExpression[1].AttributeCondition.ProficiencyLevel"
        );
    }
}

#[test]
fn every_violation_is_collected() {
    let request = UpdateContactRoutingDataRequest::default().with_queue_priority(0);
    let paths: Vec<String> = violations(&request)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(paths, ["InstanceId", "ContactId", "QueuePriority"]);
}

#[test]
fn string_lengths_count_characters_not_bytes() {
    // ContactId: 1 to 256 characters. 256 `é` are 512 bytes and still valid.
    let request = tag_request(&[("k", "v")]).with_contact_id("é".repeat(256));
    assert_eq!(violations(&request), []);
    let request = tag_request(&[("k", "v")]).with_contact_id("é".repeat(257));
    assert_eq!(
        violations(&request),
        [(
            "ContactId".to_owned(),
            ViolationKind::Length {
                min: Some(1),
                max: Some(256),
                actual: 257,
                unit: LengthUnit::Characters
            }
        )]
    );
    let request = tag_request(&[("k", "v")]).with_contact_id("");
    assert_eq!(violations(&request).len(), 1);
}

#[test]
fn unknown_enum_values_are_reported_only_on_request() {
    let channel = connect::types::Channel::from("HOLOGRAM");
    assert_eq!(violations(&channel), []);
    let error = channel
        .validate_with(ValidateOptions::default().check_unknown_values(true))
        .expect_err("unknown value");
    assert_eq!(
        error.violations()[0].kind(),
        &ViolationKind::UnknownEnumValue {
            value: "HOLOGRAM".to_owned()
        }
    );
    assert_eq!(connect::types::Channel::Voice.validate(), Ok(()));
}

#[test]
fn sensitive_values_never_appear_in_violations() {
    // `Password` is a sensitive string with a pattern.
    let request = connect::types::CreateUserRequest::default().with_password("weak");
    let error = request.validate().expect_err("invalid");
    let password = error
        .violations()
        .iter()
        .find(|violation| violation.path() == "Password")
        .expect("a password violation");
    assert!(matches!(
        password.kind(),
        ViolationKind::Pattern { value: None, .. }
    ));
    assert!(!error.to_string().contains("weak"), "{error}");
}

/// `generate` reports every pattern it repaired or cannot enforce; this pins the list for the
/// Connect model. Each entry says why: nine patterns were escaped twice in the model (`\\d`
/// where `\d` was meant, which as written would demand a literal backslash, so real phone
/// numbers would fail), and the password pattern is a JavaScript `/.../` literal. Both repairs
/// make the check accept values the model's text rejects, so both are reported as weakened.
/// None is left unenforced.
#[test]
fn pattern_report_for_connect_is_pinned() {
    let generated = codegen::Config::new("connect")
        .generate(&tests::connect_model())
        .expect("Connect generates");
    let report: Vec<String> = generated
        .pattern_notes
        .iter()
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!(report.join("\n"));
    assert!(
        generated
            .pattern_notes
            .iter()
            .all(|note| note.note.starts_with("weakened")),
        "every Connect pattern is enforced"
    );
}

#[test]
fn repaired_patterns_accept_what_the_model_meant() {
    // PhoneNumber was `\\+[1-9]\\d{1,14}$` in the model.
    let request = connect::types::StartOutboundVoiceContactRequest::default()
        .with_destination_phone_number("+12065550123");
    let found = violations(&request);
    assert!(
        !found
            .iter()
            .any(|(path, _)| path == "DestinationPhoneNumber"),
        "{found:?}"
    );
    let request = request.with_destination_phone_number("call me maybe");
    let found = violations(&request);
    assert!(
        found
            .iter()
            .any(|(path, kind)| path == "DestinationPhoneNumber"
                && matches!(kind, ViolationKind::Pattern { .. })),
        "{found:?}"
    );
}

#[test]
fn minimum_lengths_count_characters_too() {
    // OutboundRequestId: exactly 36 characters. 35 `é` are 70 bytes but only 35 characters.
    let campaign =
        |id: String| connect::types::SourceCampaign::default().with_outbound_request_id(id);
    assert_eq!(violations(&campaign("é".repeat(36))), []);
    assert_eq!(
        violations(&campaign("é".repeat(35))),
        [(
            "OutboundRequestId".to_owned(),
            ViolationKind::Length {
                min: Some(36),
                max: Some(36),
                actual: 35,
                unit: LengthUnit::Characters
            }
        )]
    );
}
