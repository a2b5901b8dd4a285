//! Fault injection for the generated `connect` client: what a call returns when the network or
//! the service misbehaves, and what never leaks out of it.
//!
//! Two fakes stand in for Amazon Connect:
//!
//! - [`Server`], a tiny HTTP/1.1 server on `127.0.0.1:0` that answers each connection with the
//!   next scripted raw response (`Connection: close`) and records every request it read. It
//!   drives the real default transport (`reqwest`): retries of 5xx and throttling errors with
//!   backoff, the read time-out, refused connections, and SigV4 headers on the wire.
//! - [`Canned`], an in-memory [`connect::Transport`] that returns scripted [`HttpResponse`]s and
//!   keeps the [`HttpRequest`]s it was given: bodies that are not JSON or are nested 10,000 levels
//!   deep, inputs rejected before anything is sent, and `Debug` output that must not show
//!   `sensitive` members.
//!
//! The retry-quota tests run an outage of 500s through [`Canned`] with no backoff.
//!
//! The last test implements [`connect::ConnectApi`] by hand, as a user's mock would, and pages
//! through it with the trait's paginator.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use connect::http::{HeaderName, HeaderValue};
use connect::operations::{DescribeContactError, DescribeInstanceError, ListInstancesError};
use connect::types::{
    DescribeContactRequest, DescribeInstanceRequest, DescribeInstanceResponse, InstanceSummary,
    ListInstancesRequest, ListInstancesResponse,
};
use connect::{
    BoxFuture, Client, Config, ConnectApi, Credentials, Error, HttpRequest, HttpResponse,
    OperationError as _, RetryConfig, Timeouts, Transport, TransportError, TransportErrorKind,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

// ---- A scripted HTTP/1.1 server ----

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Recorded {
    /// `GET /instance/abc HTTP/1.1`
    request_line: String,
    /// Names lower-cased, in the order sent.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What the server does with one connection.
#[derive(Debug, Clone)]
struct Reply {
    /// Wait this long after reading the request, before answering.
    delay: Duration,
    raw: String,
}

/// A server answering one connection per scripted reply, in order, then closing its listener.
#[derive(Debug)]
struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    async fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            for reply in replies {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let Some(request) = read_request(&mut stream).await else {
                    continue;
                };
                seen.lock().unwrap().push(request);
                if !reply.delay.is_zero() {
                    tokio::time::sleep(reply.delay).await;
                }
                // The client may have given up already: a failed write is part of the script.
                let _ = stream.write_all(reply.raw.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        Server { addr, requests }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads a request head up to the blank line, then `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Some(Recorded {
        request_line,
        headers,
        body,
    })
}

/// A complete HTTP/1.1 response that closes the connection.
fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let mut raw = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    Reply {
        delay: Duration::ZERO,
        raw,
    }
}

fn json_reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    reply(status, &all, body)
}

fn throttled() -> Reply {
    json_reply(
        400,
        &[("x-amzn-ErrorType", "ThrottlingException")],
        r#"{"message":"slow down"}"#,
    )
}

fn instance_ok() -> Reply {
    json_reply(
        200,
        &[("x-amzn-RequestId", "req-ok")],
        r#"{"Instance":{"Id":"abc","InstanceStatus":"ACTIVE"}}"#,
    )
}

// ---- An in-memory transport ----

/// Returns scripted responses in order and keeps every request it is given.
#[derive(Debug, Clone, Default)]
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

    fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().unwrap().clone()
    }
}

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.requests.lock().unwrap().push(request);
        let next = self.responses.lock().unwrap().pop_front();
        Box::pin(async move {
            next.ok_or_else(|| {
                TransportError::new(TransportErrorKind::Other, "no scripted response left")
            })
        })
    }
}

/// A response with headers.
fn response(
    status: u16,
    headers: &[(&'static str, &str)],
    body: impl Into<connect::Bytes>,
) -> HttpResponse {
    let mut response = HttpResponse::new(status, body);
    for (name, value) in headers {
        response.headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).expect("header value"),
        );
    }
    response
}

// ---- Clients ----

fn base_config() -> Config {
    Config::new()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .retry(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_attempts(3),
        )
        .timeouts(Timeouts {
            connect: Duration::from_secs(2),
            read: Duration::from_millis(300),
        })
}

fn http_client(url: &str, retry: RetryConfig) -> Client {
    Client::new(&base_config().endpoint_url(url).retry(retry)).expect("client")
}

fn fast_retries(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_attempts(attempts)
}

fn canned_client(transport: &Canned) -> Client {
    Client::new(
        &base_config()
            .endpoint_url("http://connect.test")
            .transport(transport.clone()),
    )
    .expect("client")
}

fn describe_abc() -> DescribeInstanceRequest {
    DescribeInstanceRequest::default().with_instance_id("abc")
}

// ---- Retries ----

#[tokio::test(flavor = "current_thread")]
async fn a_500_then_200_is_retried_and_succeeds() {
    let server = Server::start(vec![
        json_reply(
            500,
            &[("x-amzn-ErrorType", "InternalServiceException")],
            r#"{"message":"boom"}"#,
        ),
        instance_ok(),
    ])
    .await;
    let client = http_client(&server.url(), fast_retries(3));

    let output = client
        .describe_instance(describe_abc())
        .await
        .expect("the retry succeeds");

    let instance = output.instance.expect("an instance");
    assert_eq!(instance.id.as_deref(), Some("abc"));
    assert_eq!(
        instance
            .instance_status
            .as_ref()
            .map(|status| status.as_str()),
        Some("ACTIVE")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one failure, one retry: {requests:?}");
    // One invocation id for both attempts, and each attempt numbered, as botocore sends them.
    let invocation = requests[0]
        .header("amz-sdk-invocation-id")
        .expect("an invocation id");
    assert_eq!(invocation.len(), 36, "a UUID: {invocation}");
    assert_eq!(
        requests[1].header("amz-sdk-invocation-id"),
        Some(invocation)
    );
    assert_eq!(
        requests[0].header("amz-sdk-request"),
        Some("attempt=1; max=3")
    );
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
    for request in &requests {
        assert_eq!(request.request_line, "GET /instance/abc HTTP/1.1");
        let authorization = request.header("authorization").expect("signed");
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"),
            "{authorization}"
        );
        assert!(
            authorization.contains("/us-east-1/connect/aws4_request"),
            "{authorization}"
        );
        let date = request.header("x-amz-date").expect("x-amz-date");
        assert_eq!(date.len(), "20240102T030405Z".len(), "{date}");
        assert!(date.ends_with('Z'), "{date}");
        assert!(request.body.is_empty(), "a GET has no body");
    }
}

/// A 200 whose body stops short of its `Content-Length` (the connection dropped mid-answer) is
/// a transport failure, retried, never a truncated document handed to the decoder; botocore,
/// whose HTTP stack may hand such a body over, retries S3's by checking the XML instead.
#[tokio::test(flavor = "current_thread")]
async fn a_body_cut_short_is_retried() {
    let full = r#"{"Instance":{"Id":"abc","InstanceStatus":"ACTIVE"}}"#;
    let cut = Reply {
        delay: Duration::ZERO,
        raw: format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{}",
            full.len(),
            &full[..20]
        ),
    };
    let server = Server::start(vec![cut, instance_ok()]).await;
    let client = http_client(&server.url(), fast_retries(3));
    let output = client
        .describe_instance(describe_abc())
        .await
        .expect("the retry succeeds");
    assert_eq!(
        output.instance.and_then(|instance| instance.id).as_deref(),
        Some("abc")
    );
    assert_eq!(
        server.requests().len(),
        2,
        "the cut body was sent for again"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn throttling_is_retried_with_backoff_then_reported() {
    let server = Server::start(vec![throttled(), throttled(), throttled()]).await;
    // Backoff is full jitter under a ceiling of 20 ms, then 25 ms: at most 45 ms of waiting.
    let retry = fast_retries(3).with_max_backoff(Duration::from_millis(25));
    let client = http_client(&server.url(), retry);

    let started = Instant::now();
    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("throttled every time");
    let elapsed = started.elapsed();

    assert_eq!(server.requests().len(), 3, "max attempts is 3");
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    // DescribeInstance does not model ThrottlingException, so it is `Unmodeled`.
    let Error::Service { error, meta } = error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(error.code(), "ThrottlingException");
    assert_eq!(error.message(), Some("slow down"));
    assert_eq!(meta.status, 400);
    match &error {
        DescribeInstanceError::Unmodeled(unmodeled) => {
            assert_eq!(unmodeled.code, "ThrottlingException");
            assert_eq!(unmodeled.status, 400);
        }
        other => panic!("expected Unmodeled, got {other:?}"),
    }
    assert_eq!(error.to_string(), "ThrottlingException: slow down");
}

#[tokio::test(flavor = "current_thread")]
async fn two_throttles_then_a_success_succeed() {
    let server = Server::start(vec![throttled(), throttled(), instance_ok()]).await;
    let client = http_client(&server.url(), fast_retries(3));

    let output = client
        .describe_instance(describe_abc())
        .await
        .expect("the third attempt succeeds");

    assert_eq!(
        output.instance.and_then(|instance| instance.id).as_deref(),
        Some("abc")
    );
    assert_eq!(server.requests().len(), 3);
}

/// A client over `transport` that retries at once, up to `attempts` times.
fn outage_client(transport: &Canned, retry: RetryConfig) -> Client {
    Client::new(
        &base_config()
            .endpoint_url("http://connect.test")
            .transport(transport.clone())
            .retry(retry.with_initial_backoff(Duration::ZERO)),
    )
    .expect("client")
}

fn server_errors(count: usize) -> impl Iterator<Item = HttpResponse> {
    (0..count).map(|_| response(500, &[], "{}"))
}

fn successes(count: usize) -> impl Iterator<Item = HttpResponse> {
    (0..count).map(|_| response(200, &[], "{}"))
}

/// Fails the call, as a 500 from the service.
async fn expect_server_error(client: &Client) {
    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("every attempt gets a 500");
    assert!(
        matches!(&error, Error::Service { meta, .. } if meta.status == 500),
        "{error:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn retries_stop_when_the_retry_quota_is_spent() {
    // 500 tokens at 5 a retry: 100 retries for the whole client, then one attempt per call.
    let transport = Canned::new(server_errors(200));
    let client = outage_client(&transport, RetryConfig::standard().with_max_attempts(1000));

    expect_server_error(&client).await;
    assert_eq!(transport.requests().len(), 101, "1 attempt and 100 retries");

    expect_server_error(&client).await;
    assert_eq!(transport.requests().len(), 102, "no tokens left: no retry");
    // Clones share the quota.
    expect_server_error(&client.clone()).await;
    assert_eq!(transport.requests().len(), 103);
}

#[tokio::test(flavor = "current_thread")]
async fn successes_refill_the_retry_quota() {
    let transport = Canned::new(
        server_errors(101)
            .chain(successes(5))
            .chain(server_errors(1))
            .chain(successes(1)),
    );
    let client = outage_client(&transport, RetryConfig::standard().with_max_attempts(1000));
    expect_server_error(&client).await;
    // Five calls that need no retry give back a token each: one retry's worth.
    for _ in 0..5 {
        client.describe_instance(describe_abc()).await.expect("200");
    }

    client
        .describe_instance(describe_abc())
        .await
        .expect("the 500 is retried, and the retry succeeds");
    assert_eq!(transport.requests().len(), 101 + 5 + 2);
}

#[tokio::test(flavor = "current_thread")]
async fn without_the_quota_every_attempt_is_made() {
    let transport = Canned::new(server_errors(150));
    let client = outage_client(
        &transport,
        RetryConfig::standard()
            .with_max_attempts(150)
            .with_quota(false),
    );

    expect_server_error(&client).await;
    assert_eq!(transport.requests().len(), 150);
}

// ---- Transport failures ----

#[tokio::test(flavor = "current_thread")]
async fn a_slow_server_hits_the_read_timeout() {
    let mut slow = instance_ok();
    slow.delay = Duration::from_secs(2);
    let server = Server::start(vec![slow]).await;
    let client = http_client(&server.url(), RetryConfig::disabled());

    let started = Instant::now();
    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("the server is too slow");
    let elapsed = started.elapsed();

    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
    match &error {
        Error::Timeout(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Timeout);
            assert!(error.to_string().starts_with("timed out"), "{error}");
        }
        other => panic!("expected a time-out, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "the request did arrive");
}

#[tokio::test(flavor = "current_thread")]
async fn connection_refused_is_a_transport_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        listener.local_addr().expect("local address").port()
    };
    let client = http_client(&format!("http://127.0.0.1:{port}"), RetryConfig::disabled());

    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("nothing listens there");

    match &error {
        Error::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Connect);
            let message = transport.to_string();
            assert!(message.contains("connect"), "{message}");
            assert!(
                std::error::Error::source(transport).is_some(),
                "the cause is kept"
            );
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

// ---- Bodies that do not decode ----

#[tokio::test(flavor = "current_thread")]
async fn a_body_that_is_not_json_is_a_decode_error() {
    let transport = Canned::new([response(
        200,
        &[("x-amzn-requestid", "req-html")],
        "<html>oops</html>",
    )]);
    let client = canned_client(&transport);

    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("HTML is not JSON");

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status, 200);
    assert_eq!(decode.request_id.as_deref(), Some("req-html"));
    assert!(!decode.message.is_empty());
    assert!(
        !error.to_string().contains("oops"),
        "the body is not echoed: {error}"
    );
    assert_eq!(transport.requests().len(), 1, "a 200 is not retried");
}

/// DynamoDB's `x-amz-crc32`: a body damaged on its way (its CRC32 is not the header's) is
/// retried; one that never arrives whole is a decode error, not a decoded wrong answer.
#[tokio::test(flavor = "current_thread")]
async fn dynamodb_bodies_that_fail_their_crc32_are_retried_then_refused() {
    let body = r#"{"TableNames":["a","b"]}"#;
    let good = crc32fast::hash(body.as_bytes()).to_string();
    let damaged = || response(200, &[("x-amz-crc32", "12345")], body);
    let whole = || response(200, &[("x-amz-crc32", good.as_str())], body);
    let client = |transport: &Canned| {
        dynamodb::Client::new(
            &base_config()
                .endpoint_url("http://dynamodb.test")
                .transport(transport.clone()),
        )
        .expect("client")
    };
    let list = dynamodb::types::ListTablesInput::default;

    let transport = Canned::new([damaged(), whole()]);
    let output = client(&transport)
        .list_tables(list())
        .await
        .expect("the retry's body is whole");
    assert_eq!(
        output.table_names,
        Some(vec!["a".to_owned(), "b".to_owned()])
    );
    assert_eq!(transport.requests().len(), 2);

    // Three attempts (the base configuration's), every body damaged.
    let transport = Canned::new([damaged(), damaged(), damaged()]);
    let error = client(&transport)
        .list_tables(list())
        .await
        .expect_err("never whole");
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(decode.message.contains("x-amz-crc32"), "{error}");
    assert_eq!(transport.requests().len(), 3);

    // Connect's responses carry no such header, and a header on them is not Connect's to check.
    let transport = Canned::new([response(200, &[("x-amz-crc32", "1")], r#"{"Instance":{}}"#)]);
    canned_client(&transport)
        .describe_instance(describe_abc())
        .await
        .expect("not checked");
}

/// `[[[ … ]]]` nested `depth` times.
fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A `SegmentAttributeValue` whose `ValueMap` holds another, `depth` times: a shape the model
/// itself makes recursive, so the typed decoder recurses on it.
fn nested_segment_attributes(depth: usize) -> String {
    let mut body = String::from(r#"{"Contact":{"Id":"c1","SegmentAttributes":{"k":"#);
    body.push_str(&r#"{"ValueMap":{"k":"#.repeat(depth));
    body.push_str(r#"{"ValueString":"leaf"}"#);
    body.push_str(&"}}".repeat(depth));
    body.push_str("}}}");
    body
}

/// Runs `test` on a thread with a 1 MiB stack (half a tokio worker's), in its own single-threaded
/// runtime. Decoding recurses once per JSON level, about 3 KiB a level in a debug build, but
/// serde_json stops at 128 levels: the bounded recursion needs about 0.5 MiB in a debug build
/// (and fits 256 KiB in release), while one that followed a 10,000-level body to the bottom
/// would need some 60 MiB and abort the whole test process.
fn on_a_small_stack(test: impl std::future::Future<Output = ()> + Send + 'static) {
    std::thread::Builder::new()
        .name("small-stack".to_owned())
        .stack_size(1024 * 1024)
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(test);
        })
        .expect("spawn")
        .join()
        .expect("the test thread did not panic");
}

#[test]
fn a_body_nested_10000_levels_is_an_error_not_a_crash() {
    const DEPTH: usize = 10_000;
    on_a_small_stack(async {
        let transport = Canned::new([
            // Arrays where a structure is expected.
            response(
                200,
                &[],
                format!(r#"{{"Instance":{}}}"#, nested_arrays(DEPTH)),
            ),
            // A recursive shape of the model, 10,000 levels deep.
            response(200, &[], nested_segment_attributes(DEPTH)),
            // The same depth in a member the model does not know: skipped, not recursed into.
            response(
                200,
                &[],
                format!(
                    r#"{{"Instance":{{"Id":"abc","Future":{}}}}}"#,
                    nested_arrays(DEPTH)
                ),
            ),
            // And in an error response.
            response(
                400,
                &[("x-amzn-errortype", "SomethingNew")],
                format!(r#"{{"message":{}}}"#, nested_arrays(DEPTH)),
            ),
        ]);
        let client = canned_client(&transport);

        let error = client
            .describe_instance(describe_abc())
            .await
            .expect_err("arrays are not an Instance");
        assert!(matches!(error, Error::Decode(_)), "{error:?}");

        let error = client
            .describe_contact(
                DescribeContactRequest::default()
                    .with_instance_id("abc")
                    .with_contact_id("c1"),
            )
            .await
            .expect_err("deeper than the recursion limit");
        let Error::Decode(decode) = &error else {
            panic!("expected a decode error, got {error:?}");
        };
        assert!(
            decode.message.contains("recursion limit"),
            "{}",
            decode.message
        );
        assert_eq!(decode.status, 200);

        let output: DescribeInstanceResponse = client
            .describe_instance(describe_abc())
            .await
            .expect("an unknown member is skipped, however deep");
        assert_eq!(
            output.instance.and_then(|instance| instance.id).as_deref(),
            Some("abc")
        );

        let error = client
            .describe_instance(describe_abc())
            .await
            .expect_err("an error response");
        let Error::Service {
            error: DescribeInstanceError::Unmodeled(unmodeled),
            meta,
        } = &error
        else {
            panic!("expected an unmodeled service error, got {error:?}");
        };
        assert_eq!(unmodeled.code, "SomethingNew");
        assert_eq!(unmodeled.message, None, "the body is too deep to read");
        assert_eq!(meta.status, 400);

        assert_eq!(transport.requests().len(), 4);
    });
}

#[tokio::test(flavor = "current_thread")]
async fn an_error_response_that_is_not_json_keeps_status_and_code() {
    let gateway = reply(
        502,
        &[
            ("Content-Type", "text/html"),
            ("x-amzn-RequestId", "req-502"),
        ],
        "<html><body>Bad Gateway</body></html>",
    );
    let server = Server::start(vec![gateway]).await;
    let client = http_client(&server.url(), RetryConfig::disabled());

    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("a 502");

    assert_eq!(server.requests().len(), 1, "max attempts is 1");
    let Error::Service { error, meta } = error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(meta.status, 502);
    assert_eq!(meta.request_id.as_deref(), Some("req-502"));
    let DescribeInstanceError::Unmodeled(unmodeled) = &error else {
        panic!("expected Unmodeled, got {error:?}");
    };
    assert_eq!(unmodeled.status, 502);
    // As botocore reads a 5xx whose body is an HTML page: the status is the code, the
    // reason phrase the message.
    assert_eq!(unmodeled.code, "502", "no header and no JSON body");
    assert_eq!(unmodeled.message.as_deref(), Some("Bad Gateway"));
    assert_eq!(unmodeled.request_id.as_deref(), Some("req-502"));
    assert_eq!(unmodeled.to_string(), "502: Bad Gateway");
}

#[tokio::test(flavor = "current_thread")]
async fn an_error_without_a_code_still_describes_itself() {
    let transport = Canned::new([response(502, &[], "<html>Bad Gateway</html>")]);
    let client = Client::new(
        &base_config()
            .endpoint_url("http://connect.test")
            .retry(RetryConfig::disabled())
            .transport(transport.clone()),
    )
    .expect("client");

    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("a 502");

    let Error::Service { error: service, .. } = &error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(service.to_string(), "502: Bad Gateway");
    assert_eq!(error.to_string(), "502: Bad Gateway (HTTP 502)");
}

#[tokio::test(flavor = "current_thread")]
async fn a_modeled_error_with_a_body_that_is_not_json_keeps_its_code() {
    let transport = Canned::new([response(
        500,
        &[("x-amzn-errortype", "InternalServiceException")],
        "<html>Internal Server Error</html>",
    )]);
    let client = Client::new(
        &base_config()
            .endpoint_url("http://connect.test")
            .retry(RetryConfig::disabled())
            .transport(transport.clone()),
    )
    .expect("client");

    let error = client
        .describe_instance(describe_abc())
        .await
        .expect_err("a 500");

    let Error::Service { error, meta } = &error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(meta.status, 500);
    assert_eq!(error.code(), "InternalServiceException");
    assert!(
        matches!(error, DescribeInstanceError::InternalServiceException(_)),
        "{error:?}"
    );
}

// ---- Secrets ----

const MARKER: &str = "S3cr3t-Marker-9f2";

#[tokio::test(flavor = "current_thread")]
async fn debug_never_shows_sensitive_values() {
    // An input with a sensitive member (`Password`).
    let input = connect::types::CreateUserRequest::default()
        .with_instance_id("abc")
        .with_username("agent1")
        .with_password(MARKER)
        .with_security_profile_ids(vec!["sp-1".to_owned()])
        .with_routing_profile_id("rp-1");
    let shown = format!("{input:?}");
    assert!(!shown.contains(MARKER), "{shown}");
    assert!(shown.contains("Sensitive Data Redacted"), "{shown}");
    assert!(shown.contains("agent1"), "other members are shown: {shown}");

    // An output whose member is a sensitive structure, decoded from the wire.
    let body = format!(
        r#"{{"Credentials":{{"AccessToken":"{MARKER}","RefreshToken":"{MARKER}"}},"SignInUrl":"https://example.test"}}"#
    );
    let transport = Canned::new([
        response(
            200,
            &[],
            r#"{"UserId":"u1","UserArn":"arn:aws:connect:u1"}"#,
        ),
        response(200, &[], body),
    ]);
    let client = canned_client(&transport);

    let created = client.create_user(input).await.expect("created");
    assert_eq!(created.user_id.as_deref(), Some("u1"));

    let output = client
        .get_federation_token(
            connect::types::GetFederationTokenRequest::default().with_instance_id("abc"),
        )
        .await
        .expect("a token");
    let credentials = output.credentials.as_ref().expect("credentials");
    assert_eq!(credentials.access_token.as_deref(), Some(MARKER));
    let shown = format!("{output:?}");
    assert!(!shown.contains(MARKER), "{shown}");
    assert!(shown.contains("Sensitive Data Redacted"), "{shown}");
    let shown = format!("{credentials:?}");
    assert!(!shown.contains(MARKER), "{shown}");

    // The request that carried the password: the body has it, `Debug` does not.
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    let sent = &requests[0];
    assert_eq!(sent.operation, "CreateUser");
    let json: serde_json::Value = serde_json::from_slice(&sent.body).expect("a JSON body");
    assert_eq!(json["Password"], MARKER, "the password is sent");
    let shown = format!("{sent:?}");
    assert!(!shown.contains(MARKER), "{shown}");
    assert!(
        !shown.contains("AKID/"),
        "header values are hidden: {shown}"
    );
    assert!(
        shown.contains("authorization"),
        "header names are shown: {shown}"
    );

    // Credentials.
    let shown = format!("{:?}", Credentials::new("AKID", "SECRETMARK", None));
    assert!(!shown.contains("SECRETMARK"), "{shown}");
    let shown = format!(
        "{:?}",
        Credentials::new("AKID", "SECRETMARK", Some("TOKENMARK".to_owned()))
    );
    assert!(
        !shown.contains("SECRETMARK") && !shown.contains("TOKENMARK"),
        "{shown}"
    );
    let shown = format!("{client:?}");
    assert!(!shown.contains("SECRET\""), "{shown}");
    assert!(shown.contains("Sensitive Data Redacted"), "{shown}");
}

// ---- Validation ----

/// `Config::default()` is `Config::new()`: a client made from it signs every request and checks
/// every input, exactly like one made from `Config::new()`.
#[tokio::test(flavor = "current_thread")]
async fn a_client_from_the_default_config_signs_and_validates() {
    let transport = Canned::new([response(
        200,
        &[("content-type", "application/json")],
        r#"{"Instance":{"Id":"abc"}}"#,
    )]);
    let client = Client::new(
        &Config::default()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url("http://connect.test")
            .transport(transport.clone()),
    )
    .expect("client");

    let error = client
        .describe_instance(DescribeInstanceRequest::default().with_instance_id(""))
        .await
        .expect_err("an empty instance id is too short");
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(
        transport.requests().is_empty(),
        "nothing sent for a bad input"
    );

    client
        .describe_instance(describe_abc())
        .await
        .expect("a valid input is sent");
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    let authorization = requests[0]
        .headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .expect("the request is signed");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/")
            && authorization.contains("/us-east-1/connect/aws4_request"),
        "{authorization}"
    );
    assert!(requests[0].headers.contains_key("x-amz-date"));
}

#[tokio::test(flavor = "current_thread")]
async fn inputs_are_validated_before_sending() {
    let transport = Canned::new([]);
    let client = canned_client(&transport);

    let error = client
        .describe_instance(DescribeInstanceRequest::default().with_instance_id(""))
        .await
        .expect_err("an empty instance id is too short");
    let Error::InvalidInput(invalid) = &error else {
        panic!("expected invalid input, got {error:?}");
    };
    assert!(invalid.to_string().contains("InstanceId"), "{invalid}");

    let error = client
        .describe_instance(DescribeInstanceRequest::default())
        .await
        .expect_err("the instance id is required");
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");

    let unchecked = Client::new(
        &base_config()
            .endpoint_url("http://connect.test")
            .validate_inputs(false)
            .transport(transport.clone()),
    )
    .expect("client");
    let error = unchecked
        .describe_instance(DescribeInstanceRequest::default().with_instance_id(""))
        .await
        .expect_err("an empty URI label cannot be sent");
    let Error::Build(build) = &error else {
        panic!("expected a build error, got {error:?}");
    };
    assert!(build.to_string().contains("DescribeInstance"), "{build}");

    assert!(transport.requests().is_empty(), "nothing was sent");
}

// ---- Mocks ----

/// A hand-written mock: only `list_instances` is implemented.
#[derive(Debug, Clone, Default)]
struct Mock {
    calls: Arc<Mutex<Vec<Option<String>>>>,
}

fn summary(id: &str) -> InstanceSummary {
    InstanceSummary::default().with_id(id)
}

impl ConnectApi for Mock {
    async fn list_instances(
        &self,
        input: ListInstancesRequest,
    ) -> Result<ListInstancesResponse, Error<ListInstancesError>> {
        self.calls.lock().unwrap().push(input.next_token.clone());
        let (items, next) = match input.next_token.as_deref() {
            None => (["i-1", "i-2"], Some("2")),
            Some("2") => (["i-3", "i-4"], Some("3")),
            Some("3") => (["i-5", "i-6"], None),
            Some(other) => panic!("unexpected token {other}"),
        };
        let mut page = ListInstancesResponse::default()
            .with_instance_summary_list(items.map(summary).to_vec());
        page.next_token = next.map(str::to_owned);
        Ok(page)
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_mock_of_the_service_trait() {
    let mock = Mock::default();

    let items = mock
        .list_instances_pages(ListInstancesRequest::default())
        .items()
        .collect()
        .await
        .expect("every page");
    let ids: Vec<&str> = items.iter().filter_map(|item| item.id.as_deref()).collect();
    assert_eq!(ids, ["i-1", "i-2", "i-3", "i-4", "i-5", "i-6"]);
    assert_eq!(
        *mock.calls.lock().unwrap(),
        [None, Some("2".to_owned()), Some("3".to_owned())]
    );

    let mut pages = mock.list_instances_pages(ListInstancesRequest::default().with_next_token("3"));
    let last = pages.next().await.expect("a page").expect("ok");
    assert_eq!(last.next_token, None);
    assert!(pages.next().await.is_none(), "no page after the last");

    let error = mock
        .describe_instance(describe_abc())
        .await
        .expect_err("not implemented");
    assert!(
        matches!(
            error,
            Error::NotImplemented {
                operation: "DescribeInstance"
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "DescribeInstance is not implemented by this client"
    );
    let error = mock
        .describe_contact(DescribeContactRequest::default())
        .await
        .expect_err("not implemented");
    let _: &Error<DescribeContactError> = &error;
    assert!(matches!(error, Error::NotImplemented { .. }), "{error:?}");
}
