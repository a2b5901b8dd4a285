//! Responses that are event streams (`application/vnd.amazon.eventstream`), read as they
//! arrive: S3 Select (rest-xml) and CloudWatch Logs' `StartLiveTail` (awsJson 1.1) against a
//! real `moto` on 127.0.0.1; exceptions, errors, unknown events and broken streams through a
//! scripted transport, with botocore's own event-stream parser (`botocore.eventstream`) as the
//! oracle for what the same bytes mean.

use std::sync::{Arc, Mutex};

use botocore_runtime::Config;
use botocore_runtime::credentials::Credentials;
use botocore_runtime::error::{Error, OperationError as _};
use botocore_runtime::event_stream::{HeaderValue, Message};
use botocore_runtime::http::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use botocore_runtime::params::{Params as _, ResultStyle};
use botocore_runtime::retry::RetryConfig;
use logs::types::{
    CreateLogGroupRequest, CreateLogStreamRequest, DescribeLogGroupsRequest, InputLogEvent,
    PutLogEventsRequest, StartLiveTailRequest, StartLiveTailResponseStream,
    StartLiveTailResponseStreamError,
};
use s3::types::{
    CreateBucketConfiguration, CreateBucketRequest, CsvInput, CsvOutput, ExpressionType,
    FileHeaderInfo, InputSerialization, OutputSerialization, PutObjectRequest,
    SelectObjectContentEventStream, SelectObjectContentRequest,
};

/// moto serves every operation at one host: StartLiveTail's `stream-` host prefix is left
/// out, as botocore's `inject_host_prefix=False` leaves it out.
fn moto_config(moto: &tests::python::Moto) -> Config {
    Config::new()
        .region("eu-west-1")
        .endpoint_url(&moto.endpoint)
        .credentials(Credentials::new("testing", "testing", None))
        .inject_host_prefix(false)
}

#[tokio::test(flavor = "current_thread")]
async fn s3_select_streams_records_stats_and_end() {
    let moto = tests::python::Moto::start();
    let client = s3::Client::new(&moto_config(&moto)).expect("client");
    let bucket = "select-bucket";
    client
        .create_bucket(
            CreateBucketRequest::default()
                .with_bucket(bucket)
                .with_create_bucket_configuration(
                    CreateBucketConfiguration::default().with_location_constraint("eu-west-1"),
                ),
        )
        .await
        .expect("CreateBucket");
    let csv = "name,city\nalice,paris\nbob,berlin\ncarol,paris\n";
    client
        .put_object(
            PutObjectRequest::default()
                .with_bucket(bucket)
                .with_key("people.csv")
                .with_body(csv),
        )
        .await
        .expect("PutObject");

    let output = client
        .select_object_content(
            SelectObjectContentRequest::default()
                .with_bucket(bucket)
                .with_key("people.csv")
                // moto's PartiQL parser wants the table name in lower case.
                .with_expression("SELECT * FROM s3object s WHERE s.city = 'paris'")
                .with_expression_type(ExpressionType::Sql)
                .with_input_serialization(
                    InputSerialization::default()
                        .with_csv(CsvInput::default().with_file_header_info(FileHeaderInfo::Use)),
                )
                .with_output_serialization(
                    OutputSerialization::default().with_csv(CsvOutput::default()),
                ),
        )
        .await
        .expect("SelectObjectContent");
    let mut events = output.payload.expect("the event stream");
    let mut records = Vec::new();
    let mut kinds = Vec::new();
    let mut stats = None;
    while let Some(event) = events.recv().await.expect("an event") {
        match event {
            SelectObjectContentEventStream::Records(event) => {
                kinds.push("Records");
                records.extend(event.payload.expect("records carry a payload"));
            }
            SelectObjectContentEventStream::Stats(event) => {
                kinds.push("Stats");
                stats = event.details;
            }
            SelectObjectContentEventStream::End(_) => kinds.push("End"),
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert_eq!(kinds, ["Records", "Stats", "End"]);
    let records = String::from_utf8(records).expect("CSV text");
    assert!(
        records.contains("alice,paris")
            && records.contains("carol,paris")
            && !records.contains("bob"),
        "{records:?}"
    );
    let stats = stats.expect("Stats carries its details");
    assert_eq!(stats.bytes_returned, Some(records.len() as i64));
    assert!(stats.bytes_scanned.is_some_and(|scanned| scanned > 0));
    // The stream has ended, and stays ended.
    assert!(
        events
            .recv()
            .await
            .expect("no error after the end")
            .is_none()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn logs_live_tail_over_aws_json() {
    let moto = tests::python::Moto::start();
    let client = logs::Client::new(&moto_config(&moto)).expect("client");
    let group = "/e2e/live-tail";
    client
        .create_log_group(CreateLogGroupRequest::default().with_log_group_name(group))
        .await
        .expect("CreateLogGroup");
    client
        .create_log_stream(
            CreateLogStreamRequest::default()
                .with_log_group_name(group)
                .with_log_stream_name("one"),
        )
        .await
        .expect("CreateLogStream");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    client
        .put_log_events(
            PutLogEventsRequest::default()
                .with_log_group_name(group)
                .with_log_stream_name("one")
                .with_log_events(vec![
                    InputLogEvent::default()
                        .with_timestamp(now)
                        .with_message("first line"),
                    InputLogEvent::default()
                        .with_timestamp(now + 1)
                        .with_message("second line"),
                ]),
        )
        .await
        .expect("PutLogEvents");
    let arn = client
        .describe_log_groups(DescribeLogGroupsRequest::default())
        .await
        .expect("DescribeLogGroups")
        .log_groups
        .unwrap_or_default()
        .into_iter()
        .find(|candidate| candidate.log_group_name.as_deref() == Some(group))
        .and_then(|found| found.log_group_arn)
        .expect("the group's ARN");

    let output = client
        .start_live_tail(
            StartLiveTailRequest::default().with_log_group_identifiers(vec![arn.clone()]),
        )
        .await
        .expect("StartLiveTail");
    let events = output
        .response_stream
        .expect("the event stream")
        .collect()
        .await
        .expect("every event");
    let [
        StartLiveTailResponseStream::SessionStart(start),
        StartLiveTailResponseStream::SessionUpdate(update),
    ] = events.as_slice()
    else {
        panic!("expected a session start and an update, got {events:?}");
    };
    assert!(start.session_id.as_deref().is_some_and(|id| !id.is_empty()));
    assert_eq!(start.log_group_identifiers.as_deref(), Some(&[arn][..]));
    let messages: Vec<&str> = update
        .session_results
        .iter()
        .flatten()
        .filter_map(|event| event.message.as_deref())
        .collect();
    assert_eq!(messages, ["first line", "second line"]);
    assert_eq!(
        update
            .session_metadata
            .as_ref()
            .and_then(|meta| meta.sampled),
        Some(false)
    );
}

/// Answers every request with one scripted response.
#[derive(Clone)]
struct Scripted {
    response: HttpResponse,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Transport for Scripted {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.requests.lock().unwrap().push(request);
        let response = self.response.clone();
        Box::pin(async move { Ok(response) })
    }
}

/// A logs client whose every call is answered with `body`, an event stream.
fn scripted_logs(body: Vec<u8>) -> (logs::Client, Arc<Mutex<Vec<HttpRequest>>>) {
    let mut response = HttpResponse::new(200, body);
    response.headers.insert(
        "content-type",
        "application/vnd.amazon.eventstream".parse().unwrap(),
    );
    let requests = Arc::new(Mutex::new(Vec::new()));
    let transport = Scripted {
        response,
        requests: requests.clone(),
    };
    let config = Config::new()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .retry(RetryConfig::standard().with_max_attempts(1))
        .transport(transport);
    (logs::Client::new(&config).expect("client"), requests)
}

/// A message of these string headers and payload, in its wire form.
fn frame(headers: &[(&str, &str)], payload: &str) -> Vec<u8> {
    let headers = headers
        .iter()
        .map(|(name, value)| ((*name).to_owned(), HeaderValue::String((*value).to_owned())))
        .collect();
    Message::new(headers, payload.as_bytes().to_vec()).encode()
}

fn event(event_type: &str, payload: &str) -> Vec<u8> {
    let headers = [
        (":message-type", "event"),
        (":event-type", event_type),
        (":content-type", "application/json"),
    ];
    frame(&headers, payload)
}

fn exception(exception_type: &str, payload: &str) -> Vec<u8> {
    let headers = [
        (":message-type", "exception"),
        (":exception-type", exception_type),
        (":content-type", "application/json"),
    ];
    frame(&headers, payload)
}

fn error(code: &str, message: &str) -> Vec<u8> {
    let headers = [
        (":message-type", "error"),
        (":error-code", code),
        (":error-message", message),
    ];
    frame(&headers, "")
}

/// What botocore makes of an event stream of `operation`'s `member`: its events in order (an
/// event of a type the model does not list gives nothing, as botocore's iteration skips
/// empty events), then the error that ended it, if any, as `{"error": {Code, Message}}`.
fn botocore_reads(operation: &str, member: &str, body: &[u8]) -> serde_json::Value {
    let python = tests::python::venv("moto-venv", "moto-requirements.txt", "moto.server");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("stream.bin");
    std::fs::write(&path, body).expect("stream written");
    let script = r#"
import json, sys
import botocore.session
from botocore import parsers
from botocore.eventstream import EventStream
from botocore.exceptions import EventStreamError

service, operation, member, path = sys.argv[1:5]
model = botocore.session.get_session().get_service_model(service)
shape = model.operation_model(operation).output_shape.members[member]
data = open(path, "rb").read()

class Raw:
    def stream(self):
        for start in range(0, len(data), 7):
            yield data[start:start + 7]

read = []
try:
    for parsed in EventStream(Raw(), shape, parsers.EventStreamJSONParser(), operation):
        read.append(parsed)
except EventStreamError as error:
    read.append({"error": error.response["Error"]})
print(json.dumps(read))
"#;
    let output = std::process::Command::new(python)
        .args(["-c", script, "logs", operation, member])
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "botocore failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("botocore's events as JSON")
}

/// What our receiver makes of the same stream, in botocore's form: each event as its union
/// member (an unknown event is kept, with its name, but botocore drops it, so it is counted
/// apart), then the error that ended the stream.
async fn ours_reads(
    body: Vec<u8>,
) -> (
    serde_json::Value,
    Vec<String>,
    Option<Error<StartLiveTailResponseStreamError>>,
) {
    let (client, requests) = scripted_logs(body);
    let output = client
        .start_live_tail(
            StartLiveTailRequest::default().with_log_group_identifiers(vec!["g".into()]),
        )
        .await
        .expect("StartLiveTail");
    // The host prefix is the model's: `stream-logs.<region>...`.
    let uri = requests.lock().unwrap()[0].uri.clone();
    assert!(
        uri.starts_with("https://stream-logs.us-east-1.amazonaws.com/"),
        "{uri}"
    );
    let mut events = output.response_stream.expect("the event stream");
    let mut read = Vec::new();
    let mut unknown = Vec::new();
    let mut failure = None;
    loop {
        match events.recv().await {
            Ok(Some(StartLiveTailResponseStream::Unknown(member))) => {
                unknown.push(member.name().to_owned());
            }
            Ok(Some(event)) => read.push(event.to_params(ResultStyle::Botocore)),
            Ok(None) => break,
            Err(error) => {
                if let Error::Service { meta, .. } = &error {
                    read.push(serde_json::json!({"error": {
                        "Code": meta.code,
                        "Message": meta.message.clone().unwrap_or_default(),
                    }}));
                }
                failure = Some(error);
            }
        }
    }
    (serde_json::Value::Array(read), unknown, failure)
}

#[tokio::test(flavor = "current_thread")]
async fn events_and_a_modeled_exception_read_as_botocore_reads_them() {
    let body: Vec<u8> = [
        event("initial-response", "{}"),
        event(
            "sessionStart",
            r#"{"requestId":"r-1","sessionId":"s-1","logGroupIdentifiers":["arn:aws:logs:us-east-1:1:log-group:g"],"logEventFilterPattern":""}"#,
        ),
        event("futureEvent", r#"{"x":1}"#),
        event(
            "sessionUpdate",
            r#"{"sessionMetadata":{"sampled":false},"sessionResults":[{"logStreamName":"one","message":"hé \"quoted\"","timestamp":1700000000123,"ingestionTime":1700000000456}]}"#,
        ),
        exception("SessionTimeoutException", r#"{"message":"the session timed out"}"#),
        // Nothing after an exception is read.
        event("sessionUpdate", "{}"),
    ]
    .concat();
    let expected = botocore_reads("StartLiveTail", "responseStream", &body);
    let (ours, unknown, failure) = ours_reads(body).await;
    assert_eq!(ours, expected);
    assert_eq!(unknown, ["futureEvent"]);
    match failure {
        Some(Error::Service {
            error: StartLiveTailResponseStreamError::SessionTimeoutException(exception),
            meta,
        }) => {
            assert_eq!(exception.message.as_deref(), Some("the session timed out"));
            assert_eq!(meta.status, 200);
            assert_eq!(meta.code, "SessionTimeoutException");
        }
        other => panic!("expected the typed exception, got {other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_error_message_and_an_unmodeled_exception_are_unmodeled() {
    for (body, code, message) in [
        (
            error("InternalFailure", "it broke"),
            "InternalFailure",
            "it broke",
        ),
        (
            exception("BrandNewException", r#"{"message":"new"}"#),
            "BrandNewException",
            "",
        ),
    ] {
        let body = [event("sessionUpdate", "{}"), body].concat();
        let mut expected = botocore_reads("StartLiveTail", "responseStream", &body);
        // The one difference, on purpose: botocore gives an exception type its model does not
        // list the code of the `:error-code` header, which exceptions do not carry (so `""`);
        // the receiver keeps the type's name, as unknown union members keep theirs.
        if expected[1]["error"]["Code"] == "" {
            expected[1]["error"]["Code"] = code.into();
        }
        let (ours, _, failure) = ours_reads(body).await;
        assert_eq!(ours, expected, "{code}");
        let Some(Error::Service { error, .. }) = failure else {
            panic!("{code}: expected a service error, got {failure:?}");
        };
        assert!(
            matches!(&error, StartLiveTailResponseStreamError::Unmodeled(unmodeled) if unmodeled.code == code),
            "{error:?}"
        );
        assert_eq!(error.message().unwrap_or_default(), message);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn broken_streams_are_decode_errors() {
    let whole = event("sessionUpdate", "{}");
    let mut corrupt = whole.clone();
    let last = corrupt.len() - 6;
    corrupt[last] ^= 0x20;
    let cases = [
        (whole[..whole.len() - 3].to_vec(), "ended inside a message"),
        (corrupt, "CRC32 mismatch"),
        (event("sessionUpdate", "{not json"), "event stream"),
        (
            frame(&[(":message-type", "event")], ""),
            "without an :event-type",
        ),
    ];
    for (body, expected) in cases {
        let (_, _, failure) = ours_reads(body).await;
        match failure {
            Some(Error::Decode(error)) => {
                assert!(error.to_string().contains(expected), "{expected}: {error}");
            }
            other => panic!("{expected}: expected a decode error, got {other:?}"),
        }
    }
}
