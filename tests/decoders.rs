//! Random bytes into every response decoder: the JSON and CBOR body readers (typed, into
//! generated output types, and untyped), and each protocol's error reader. Whatever the bytes,
//! a decoder returns (a value or an error); it never panics. Random bytes rarely get past the
//! first byte, so each decoder is also fed a valid body with a few bytes changed, inserted or
//! removed.

use botocore_runtime::http::HttpResponse;
use botocore_runtime::protocol::Protocol;
use botocore_runtime::protocol::aws_json::{AwsJson, JsonVersion};
use botocore_runtime::protocol::rest_json::RestJson;
use botocore_runtime::protocol::rpc_v2_cbor::{self, RpcV2Cbor};
use proptest::prelude::*;

/// A valid JSON response body: the benchmark's full `DescribeContact` response.
fn json_body() -> Vec<u8> {
    std::fs::read(tests::bench_input("describe-contact-response.json")).expect("bench input")
}

/// A valid CBOR response body of CloudWatch Omni's `GetView`.
fn cbor_body() -> Vec<u8> {
    let value = serde_json::json!({
        "name": "view.errors",
        "type": "SAVED_QUERY",
        "definition": "fields @message",
        "description": "recent errors",
    });
    botocore_runtime::cbor::to_vec(&value).expect("CBOR")
}

/// `body` with `edits` applied: (position, byte, kind) flips, inserts or removes a byte.
fn mutate(mut body: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for &(position, byte, kind) in edits {
        if body.is_empty() {
            body.push(byte);
            continue;
        }
        let at = position % body.len();
        match kind % 3 {
            0 => body[at] = byte,
            1 => body.insert(at, byte),
            _ => {
                body.remove(at);
            }
        }
    }
    body
}

/// Every decoder, on one body, as a response of `status`.
fn decode_everything(body: &[u8], status: u16) {
    let response = HttpResponse::new(status, body.to_vec());
    let _ = botocore_runtime::json::read_body::<connect::types::DescribeContactResponse>(&response);
    let _ = botocore_runtime::json::read_body::<serde_json::Value>(&response);
    let _ = rpc_v2_cbor::read_body::<cloudwatchomni::types::GetViewResponse>(&response);
    let _ = botocore_runtime::cbor::from_slice::<serde_json::Value>(body);
    let _ = RestJson.error_meta(&response);
    let _ = AwsJson::new(JsonVersion::V1_0, true).error_meta(&response);
    let _ = RpcV2Cbor::new(true).error_meta(&response);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512), status in prop_oneof![Just(200u16), Just(400), Just(500)]) {
        decode_everything(&body, status);
    }

    #[test]
    fn damaged_json_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)) {
        let body = mutate(json_body(), &edits);
        decode_everything(&body, 200);
        decode_everything(&body, 400);
    }

    #[test]
    fn damaged_cbor_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)) {
        let body = mutate(cbor_body(), &edits);
        decode_everything(&body, 200);
        decode_everything(&body, 400);
    }
}

#[test]
fn the_valid_bodies_decode() {
    let response = HttpResponse::new(200, json_body());
    let contact =
        botocore_runtime::json::read_body::<connect::types::DescribeContactResponse>(&response)
            .expect("JSON decodes");
    assert!(contact.contact.is_some());
    let response = HttpResponse::new(200, cbor_body());
    let view = rpc_v2_cbor::read_body::<cloudwatchomni::types::GetViewResponse>(&response)
        .expect("CBOR decodes");
    assert_eq!(view.name.as_deref(), Some("view.errors"));
}
