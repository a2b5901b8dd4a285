//! Random bytes into every response decoder: the JSON, CBOR and XML body readers (typed, into
//! generated output types through the operations' own `parse`, and untyped), and each
//! protocol's error reader. Whatever the bytes,
//! a decoder returns (a value or an error); it never panics. Random bytes rarely get past the
//! first byte, so each decoder is also fed a valid body with a few bytes changed, inserted or
//! removed.

use botocore_runtime::client::Operation;
use botocore_runtime::http::HttpResponse;
use botocore_runtime::protocol::Protocol;
use botocore_runtime::protocol::aws_json::{AwsJson, JsonVersion};
use botocore_runtime::protocol::query::Query;
use botocore_runtime::protocol::rest_json::RestJson;
use botocore_runtime::protocol::rest_xml::RestXml;
use botocore_runtime::protocol::rpc_v2_cbor::{self, RpcV2Cbor};
use proptest::prelude::*;

/// A valid S3 `ListObjectsV2` response with a namespace, escapes and several contents.
fn xml_body() -> Vec<u8> {
    br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><Contents><Key>a &amp; b</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>&#x65e5;&#9;c</Key><Size>0</Size><Owner><ID>o</ID></Owner></Contents><NextContinuationToken>t</NextContinuationToken></ListBucketResult>"#.to_vec()
}

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
    let _ = <s3::operations::ListObjectsV2 as Operation>::parse(&response);
    let _ = <s3::operations::GetBucketLocation as Operation>::parse(&response);
    let _ = <iam::operations::ListUsers as Operation>::parse(&response);
    let _ = <ec2::operations::DescribeVpcs as Operation>::parse(&response);
    let meta = RestXml.error_meta(&response);
    let _ = <s3::operations::GetObject as Operation>::parse_error(&meta, &response);
    let meta = Query::new("2010-05-08").error_meta(&response);
    let _ = <iam::operations::GetUser as Operation>::parse_error(&meta, &response);
    let _ = botocore_runtime::s3::is_error_in_success(&response);
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
    fn damaged_xml_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)) {
        let body = mutate(xml_body(), &edits);
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

#[test]
fn the_valid_xml_body_decodes() {
    let response = HttpResponse::new(200, xml_body());
    let page = <s3::operations::ListObjectsV2 as Operation>::parse(&response).expect("XML decodes");
    let keys: Vec<_> = page
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|object| object.key)
        .collect();
    assert_eq!(keys, ["a & b", "日\tc"]);
    assert_eq!(page.next_continuation_token.as_deref(), Some("t"));
}

/// Hostile XML through the generated S3 reader: every one a `Decode` error, never a panic, a
/// stack overflow or memory growing with an expansion.
#[test]
fn hostile_xml_is_a_decode_error() {
    let deep = format!(
        "<ListBucketResult>{}{}</ListBucketResult>",
        "<Contents>".repeat(10_000),
        "</Contents>".repeat(10_000)
    );
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><ListBucketResult><Name>&lol3;</Name></ListBucketResult>"#;
    let cases: [(&str, Vec<u8>); 4] = [
        ("10,000-deep nesting", deep.into_bytes()),
        ("entity expansion", bomb.as_bytes().to_vec()),
        (
            "invalid UTF-8",
            b"<ListBucketResult><Name>\xff\xfe</Name></ListBucketResult>".to_vec(),
        ),
        (
            "an unterminated tag",
            b"<ListBucketResult><Name>b</Name".to_vec(),
        ),
    ];
    for (what, body) in cases {
        let response = HttpResponse::new(200, body);
        let error = <s3::operations::ListObjectsV2 as Operation>::parse(&response)
            .expect_err(what)
            .to_string();
        assert!(!error.is_empty(), "{what}");
    }
    // 100 MB in one attribute, known to the model or not, closed or not: refused at the tag,
    // which quick-xml borrows from the body (no copy, no growth).
    for (what, tail, expected) in [
        (
            "a 100 MB attribute",
            "\"><Name>b</Name></ListBucketResult>",
            "past the limit",
        ),
        ("an unterminated 100 MB attribute", "", "not closed"),
    ] {
        let mut huge = String::with_capacity((100 << 20) + 64);
        huge.push_str("<ListBucketResult junk=\"");
        huge.extend(std::iter::repeat_n('x', 100 << 20));
        huge.push_str(tail);
        let response = HttpResponse::new(200, huge.into_bytes());
        let error = <s3::operations::ListObjectsV2 as Operation>::parse(&response)
            .expect_err(what)
            .to_string();
        assert!(error.contains(expected), "{what}: {error}");
    }
}
