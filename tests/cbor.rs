//! A CBOR-only service, CloudWatch Omni (smithy-rpc-v2-cbor), through an in-memory transport:
//! moto has no CBOR, so the requests the client sends are read back with an independent CBOR
//! reader (ciborium) and the responses it reads are written with one. Then hostile bodies: each
//! is a `Decode` error, never a panic or an allocation the size of a claimed length.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use botocore_runtime::Config;
use botocore_runtime::credentials::Credentials;
use botocore_runtime::error::Error;
use botocore_runtime::http::{
    BoxFuture, HeaderValue, HttpRequest, HttpResponse, Transport, TransportError,
    TransportErrorKind,
};
use ciborium::Value;
use cloudwatchomni::operations::GetViewError;
use cloudwatchomni::types::{CreateViewRequest, GetViewRequest, ListViewsRequest, ViewType};

/// Answers each request with the next canned response and keeps the requests.
#[derive(Clone, Default)]
struct Canned {
    responses: Arc<Mutex<VecDeque<HttpResponse>>>,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Canned {
    fn new(responses: impl IntoIterator<Item = HttpResponse>) -> Self {
        Canned {
            responses: Arc::new(Mutex::new(responses.into_iter().collect())),
            requests: Arc::default(),
        }
    }
}

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.requests.lock().unwrap().push(request);
        let next = self.responses.lock().unwrap().pop_front();
        Box::pin(async move {
            next.ok_or_else(|| TransportError::new(TransportErrorKind::Other, "no response left"))
        })
    }
}

fn client(transport: &Canned) -> cloudwatchomni::Client {
    cloudwatchomni::Client::new(
        &Config::new()
            .region("us-east-1")
            .credentials(Credentials::new("testing", "testing", None))
            .transport(transport.clone()),
    )
    .expect("client")
}

fn cbor(value: &Value) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::ser::into_writer(value, &mut bytes).expect("CBOR");
    bytes
}

fn text(value: &str) -> Value {
    Value::Text(value.to_owned())
}

fn response(status: u16, body: Vec<u8>) -> HttpResponse {
    let mut response = HttpResponse::new(status, body);
    response
        .headers
        .insert("content-type", HeaderValue::from_static("application/cbor"));
    response
        .headers
        .insert("smithy-protocol", HeaderValue::from_static("rpc-v2-cbor"));
    response
}

/// The value of key `key` in a CBOR map.
fn field<'v>(map: &'v Value, key: &str) -> &'v Value {
    map.as_map()
        .and_then(|entries| entries.iter().find(|(k, _)| k.as_text() == Some(key)))
        .map(|(_, value)| value)
        .unwrap_or_else(|| panic!("no {key} in {map:?}"))
}

#[tokio::test(flavor = "current_thread")]
async fn requests_and_responses_round_trip() {
    // Timestamps as tag 1 around a double with a fraction, and around an integer.
    let created = Value::Tag(1, Box::new(Value::Float(1_700_000_000.5)));
    let updated = Value::Tag(1, Box::new(Value::Integer(1_700_000_100.into())));
    let body = cbor(&Value::Map(vec![
        (text("name"), text("view.errors")),
        (text("type"), text("SOMETHING_NEW")),
        (text("definition"), text("fields @message")),
        (text("createdAt"), created),
        (text("updatedAt"), updated),
        (text("unknownMember"), Value::Bytes(vec![1, 2, 3])),
    ]));
    let transport = Canned::new([response(200, body)]);
    let output = client(&transport)
        .create_view(
            CreateViewRequest::default()
                .with_name("view.errors")
                .with_definition("fields @message")
                .with_tags(HashMap::from([("team".to_owned(), "ops".to_owned())])),
        )
        .await
        .expect("CreateView");
    assert_eq!(output.name.as_deref(), Some("view.errors"));
    assert_eq!(
        output.r#type.as_ref().map(ViewType::as_str),
        Some("SOMETHING_NEW"),
        "unknown enum values are kept"
    );
    let created = output.created_at.expect("createdAt");
    assert_eq!(created.unix_timestamp(), 1_700_000_000);
    assert_eq!(created.millisecond(), 500);
    assert_eq!(
        output.updated_at.expect("updatedAt").unix_timestamp(),
        1_700_000_100
    );

    let request = transport.requests.lock().unwrap()[0].clone();
    assert_eq!(request.method, "POST");
    assert!(
        request
            .uri
            .ends_with("/service/CloudWatchOmniFrontend/operation/CreateView"),
        "{}",
        request.uri
    );
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(header("content-type"), Some("application/cbor"));
    assert_eq!(header("accept"), Some("application/cbor"));
    assert!(header("x-amz-target").is_none());
    assert!(header("authorization").is_some(), "signed");
    let sent: Value = ciborium::de::from_reader(&request.body[..]).expect("the body is CBOR");
    assert_eq!(field(&sent, "name"), &text("view.errors"));
    assert_eq!(field(&sent, "definition"), &text("fields @message"));
    assert_eq!(
        field(field(&sent, "tags"), "team"),
        &text("ops"),
        "maps are CBOR maps"
    );
    assert!(
        field(&sent, "clientToken")
            .as_text()
            .is_some_and(|token| token.len() == 36),
        "the idempotency token is filled"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn pages_follow_tokens() {
    let page = |names: &[&str], next: Option<&str>| {
        let items = names
            .iter()
            .map(|name| Value::Map(vec![(text("name"), text(name))]))
            .collect();
        let mut entries = vec![(text("items"), Value::Array(items))];
        if let Some(next) = next {
            entries.push((text("nextToken"), text(next)));
        }
        response(200, cbor(&Value::Map(entries)))
    };
    let transport = Canned::new([page(&["a", "b"], Some("t1")), page(&["c"], None)]);
    let names: Vec<String> = client(&transport)
        .list_views_pages(ListViewsRequest::default().with_max_results(2))
        .items()
        .collect()
        .await
        .expect("ListViews pages")
        .into_iter()
        .filter_map(|view| view.name)
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    let requests = transport.requests.lock().unwrap();
    let second: Value = ciborium::de::from_reader(&requests[1].body[..]).expect("CBOR");
    assert_eq!(field(&second, "nextToken"), &text("t1"));
}

#[tokio::test(flavor = "current_thread")]
async fn errors_are_typed_by_their_type() {
    let body = cbor(&Value::Map(vec![
        (
            text("__type"),
            text("com.amazonaws.cloudwatchomni#ResourceNotFoundException"),
        ),
        (text("message"), text("no such view")),
    ]));
    let transport = Canned::new([response(404, body)]);
    let error = client(&transport)
        .get_view(GetViewRequest::default().with_name("view.missing"))
        .await
        .expect_err("not found");
    let Error::Service { error, meta } = &error else {
        panic!("expected a service error, got {error:?}");
    };
    let GetViewError::ResourceNotFoundException(not_found) = error else {
        panic!("expected ResourceNotFoundException, got {error:?}");
    };
    assert_eq!(not_found.message.as_deref(), Some("no such view"));
    assert_eq!(meta.code, "ResourceNotFoundException");
    assert_eq!(meta.status, 404);
}

/// Hostile bodies: each a `Decode` error, quickly, without a panic or a large allocation.
#[tokio::test(flavor = "current_thread")]
async fn hostile_bodies_are_decode_errors() {
    let mut deep = vec![0x81u8; 10_000];
    deep.push(0x01);
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("10,000 nested arrays", deep),
        (
            "a text string claiming 2^63 bytes",
            vec![0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x61],
        ),
        (
            "a map claiming 2^32 entries",
            vec![0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x61, 0x61],
        ),
        (
            "an unknown tag",
            vec![0xa1, 0x64, b'n', b'a', b'm', b'e', 0xd8, 0x20, 0x61, 0x61],
        ),
        (
            "invalid UTF-8",
            vec![0xa1, 0x64, b'n', b'a', b'm', b'e', 0x62, 0xc3, 0x28],
        ),
        (
            "a truncated float",
            vec![0xa1, 0x64, b'n', b'a', b'm', b'e', 0xfb, 0x40],
        ),
        ("a break outside anything", vec![0xff]),
    ];
    for (what, body) in bodies {
        let transport = Canned::new([response(200, body)]);
        let error = client(&transport)
            .get_view(GetViewRequest::default().with_name("view.x"))
            .await
            .expect_err(what);
        assert!(matches!(error, Error::Decode(_)), "{what}: {error:?}");
    }
}
