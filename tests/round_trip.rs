//! The generated Connect types read a fully populated `DescribeContact` response and write it
//! back unchanged, including what this model version does not know.

use connect::types::{Channel, Contact, DescribeContactResponse, NextContactMetadata};
use serde_json::{Value, json};

fn response_json() -> Value {
    let path = tests::bench_input("describe-contact-response.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).expect("the benchmark response is JSON")
}

/// Parses JSON text into the typed response and writes it back to text, as on the wire.
fn round_trip(value: &Value) -> (DescribeContactResponse, Value) {
    let text = value.to_string();
    let parsed: DescribeContactResponse = serde_json::from_str(&text).expect("the response parses");
    let written = serde_json::to_string(&parsed).expect("the response serializes");
    (
        parsed,
        serde_json::from_str(&written).expect("written JSON parses"),
    )
}

/// Fails with the path of the first difference rather than two 13 KB dumps.
fn assert_same_json(written: &Value, original: &Value, path: &str) {
    match (written, original) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let (Some(x), Some(y)) = (a.get(key), b.get(key)) else {
                    panic!("{path}.{key}: present on one side only");
                };
                assert_same_json(x, y, &format!("{path}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                assert_same_json(x, y, &format!("{path}[{index}]"));
            }
        }
        _ => assert_eq!(written, original, "at {path}"),
    }
}

#[test]
fn describe_contact_response_round_trips_unchanged() {
    let original = response_json();
    let (parsed, written) = round_trip(&original);
    assert_same_json(&written, &original, "$");

    let contact = parsed.contact.expect("Contact is set");
    assert_eq!(contact.channel, Some(Channel::Voice));
    let next = contact.next_contacts.expect("NextContacts is set");
    assert!(matches!(
        next[0].next_contact_metadata,
        Some(NextContactMetadata::QuickConnectContactData(_))
    ));
}

#[test]
fn epoch_timestamps_keep_their_exact_milliseconds() {
    let contact: Contact =
        serde_json::from_value(json!({"InitiationTimestamp": 1700000000.123})).expect("parses");
    let timestamp = contact.initiation_timestamp.expect("set");
    assert_eq!(timestamp.unix_timestamp(), 1_700_000_000);
    assert_eq!(timestamp.nanosecond(), 123_000_000);
}

#[test]
fn unknown_enum_values_and_union_members_survive() {
    let mut original = response_json();
    let contact = &mut original["Contact"];
    contact["Channel"] = json!("HOLOGRAM");
    contact["NextContacts"][0]["NextContactMetadata"] =
        json!({"TeleportContactData": {"Destination": "mars", "Depth": [1, 2.5, null]}});

    let (parsed, written) = round_trip(&original);
    assert_same_json(&written, &original, "$");

    let contact = parsed.contact.expect("Contact is set");
    let channel = contact.channel.expect("Channel is set");
    assert_eq!(channel.as_str(), "HOLOGRAM");
    assert!(!Channel::values().contains(&"HOLOGRAM"));
    let next = contact.next_contacts.expect("NextContacts is set");
    let Some(NextContactMetadata::Unknown(member)) = &next[0].next_contact_metadata else {
        panic!(
            "expected an unknown member, got {:?}",
            next[0].next_contact_metadata
        );
    };
    assert_eq!(member.name(), "TeleportContactData");
    assert_eq!(member.value()["Destination"], "mars");
}

#[test]
fn unions_need_exactly_one_member() {
    let none = json!({"NextContactMetadata": {}});
    let error = serde_json::from_value::<connect::types::NextContactEntry>(none)
        .expect_err("no member set");
    assert!(error.to_string().contains("no member is set"), "{error}");

    let two = json!({"NextContactMetadata": {
        "QuickConnectContactData": {"ContactId": "a"},
        "Other": {"x": 1}
    }});
    let error = serde_json::from_value::<connect::types::NextContactEntry>(two)
        .expect_err("two members set");
    assert!(error.to_string().contains("are both set"), "{error}");

    // `null` members and `__type` do not count, as in botocore.
    let one = json!({"NextContactMetadata": {
        "__type": "ignored",
        "Other": null,
        "QuickConnectContactData": {"ContactId": "a"}
    }});
    serde_json::from_value::<connect::types::NextContactEntry>(one).expect("one member set");
}

#[test]
fn missing_required_members_still_parse() {
    // `Contact` in a response is not required to carry anything; neither is a structure whose
    // members the model marks required.
    let parsed: connect::types::DescribeContactResponse =
        serde_json::from_value(json!({"Contact": {}})).expect("parses");
    assert_eq!(parsed.contact, Some(Contact::default()));
}
