//! DescribeContact: aws-sdk-connect 1.220.0 (the peer) and, later, our generated `connect` crate,
//! measured in the same run on the same input, `shared/bench/describe-contact-response.json`.
//!
//! Two criterion groups, each meant to hold the peer and ours side by side:
//!
//! - `describe_contact_call`: one whole call, `client.describe_contact()...send().await`, through
//!   an in-memory HTTP client that answers 200 with the canned body: build the request, serialize,
//!   resolve the endpoint, sign (SigV4, static test credentials, us-east-1), "send", parse.
//! - `describe_contact_decode`: decoding that response (status 200, the same headers, the body)
//!   into the operation's output alone, with nothing else of the orchestrator.
//!
//! After criterion is done, `main` prints the median (and fastest sample) of every benchmark that
//! ran in this process and, for each group where both are present, the ratio ours / peer.
//!
//! Run: `CARGO_TARGET_DIR=/work/main/target/peers cargo bench` (criterion's usual arguments work
//! after `--`, e.g. `cargo bench -- decode` or `cargo bench -- --measurement-time 10`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::operation::RequestId as _;
use aws_sdk_connect::operation::describe_contact::{DescribeContact, DescribeContactOutput};
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_runtime_api::client::ser_de::{DeserializeResponse, SharedResponseDeserializer};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};

/// The two groups and the ids used in them; `summary` reads these back.
const GROUP_CALL: &str = "describe_contact_call";
const GROUP_DECODE: &str = "describe_contact_decode";
const PEER: &str = "peer aws-sdk-connect 1.220.0";
const OURS: &str = "ours connect";
/// Not a contender: serde_json reading the body into nothing, the least any serde_json decoder
/// of it can cost, beside the goal (a third of the peer's time) in the summary.
const SKIM: &str = "reference serde_json skimming the body";

const INSTANCE_ID: &str = "a1b2c3d4-5678-90ab-cdef-111111111111";
const CONTACT_ID: &str = "9f8e7d6c-5b4a-4321-8fed-cba987654321";
const REQUEST_ID: &str = "2d0b1d27-6c55-4b8e-9e3a-6f0c3c2a1e55";

/// The shared response body, read once at startup.
fn response_body() -> Bytes {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/bench/describe-contact-response.json");
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Bytes::from(body)
}

/// The canned HTTP response every benchmark sees: 200, JSON, a request id, the shared body.
fn canned_http_response(body: &Bytes) -> http::Response<SdkBody> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("x-amzn-RequestId", REQUEST_ID)
        .header("content-length", body.len())
        .body(SdkBody::from(body.clone()))
        .expect("valid response")
}

/// Checks that the decoded output is the whole shared document, not an empty or partial one.
fn check_output(out: &DescribeContactOutput) {
    let contact = out.contact().expect("Contact decoded");
    assert_eq!(contact.id(), Some(CONTACT_ID));
    assert!(contact.arn().is_some_and(|a| a.ends_with(CONTACT_ID)));
    assert_eq!(contact.recordings().len(), 3, "three recordings");
    assert!(contact.initiation_timestamp().is_some());
    assert_eq!(out.request_id(), Some(REQUEST_ID));
}

// ---------------------------------------------------------------------------------------------
// Peer (a): the whole call through an in-memory HTTP client.
// ---------------------------------------------------------------------------------------------

/// A client whose HTTP client answers every request with `canned_http_response`, with static
/// test credentials and region us-east-1. `signed` is set if a request carried a SigV4
/// `authorization` header.
fn peer_client(body: Bytes, signed: Arc<AtomicBool>) -> aws_sdk_connect::Client {
    let http_client = infallible_client_fn(move |req: http::Request<SdkBody>| {
        if req
            .headers()
            .get("authorization")
            .is_some_and(|v| v.as_bytes().starts_with(b"AWS4-HMAC-SHA256 "))
        {
            signed.store(true, Ordering::Relaxed);
        }
        canned_http_response(&body)
    });
    let config = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::for_tests())
        .http_client(http_client)
        .build();
    aws_sdk_connect::Client::from_conf(config)
}

async fn peer_call(client: &aws_sdk_connect::Client) -> DescribeContactOutput {
    client
        .describe_contact()
        .instance_id(INSTANCE_ID)
        .contact_id(CONTACT_ID)
        .send()
        .await
        .expect("describe_contact succeeds against the canned response")
}

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn peer_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let signed = Arc::new(AtomicBool::new(false));
    let client = peer_client(body.clone(), signed.clone());
    let rt = current_thread_runtime();
    // One call before measuring: it must succeed, be signed and decode the whole document.
    check_output(&rt.block_on(peer_call(&client)));
    assert!(signed.load(Ordering::Relaxed), "request was SigV4-signed");

    g.bench_function(PEER, |b| b.to_async(&rt).iter(|| peer_call(&client)));
}

// ---------------------------------------------------------------------------------------------
// Peer (b): decoding the response alone.
// ---------------------------------------------------------------------------------------------

/// The SDK's response deserializer for DescribeContact, reached through public API only.
///
/// `DescribeContactResponseDeserializer` and `protocol_serde` are private, but the public
/// operation type `DescribeContact` is the operation's `RuntimePlugin`, and its `config()` layer
/// is where the SDK itself puts that deserializer, as a `SharedResponseDeserializer`, for the
/// orchestrator to load. We load it from the same layer the same way, and call it the way the
/// orchestrator's deserialization phase does (`deserialize_nonstreaming_with_config` on a
/// response whose body is already in memory).
struct PeerDecoder {
    cfg: ConfigBag,
}

impl PeerDecoder {
    fn new() -> Self {
        let layer = DescribeContact::new()
            .config()
            .expect("the operation plugin has a config layer");
        let mut cfg = ConfigBag::base();
        cfg.push_shared_layer(layer);
        let decoder = Self { cfg };
        let _ = decoder.deserializer();
        decoder
    }

    /// Loaded from the bag on each use, as the orchestrator does (a type-keyed lookup; the
    /// shared deserializer is not `Clone`, so it stays in the bag).
    fn deserializer(&self) -> &SharedResponseDeserializer {
        self.cfg
            .load::<SharedResponseDeserializer>()
            .expect("the operation layer holds its response deserializer")
    }

    fn decode(&self, response: &HttpResponse) -> DescribeContactOutput {
        // As the orchestrator does: the streaming hook first (None for this operation: it takes
        // `&mut` and is checked once in `peer_decode_describe_contact`, not on every iteration),
        // then the non-streaming deserializer on the in-memory body.
        self.deserializer()
            .deserialize_nonstreaming_with_config(response, &self.cfg)
            .expect("decodes")
            .downcast::<DescribeContactOutput>()
            .expect("DescribeContactOutput")
    }
}

fn peer_http_response(body: &Bytes) -> HttpResponse {
    HttpResponse::try_from(canned_http_response(body)).expect("http 1.x response converts")
}

fn peer_decode_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let decoder = PeerDecoder::new();
    let mut response = peer_http_response(body);
    assert_eq!(response.status(), StatusCode::try_from(200).unwrap());
    assert!(
        decoder
            .deserializer()
            .deserialize_streaming_with_config(&mut response, &decoder.cfg)
            .is_none(),
        "DescribeContact is not a streaming operation"
    );
    check_output(&decoder.decode(&response));

    // The output is dropped inside the timed loop, as it would be for ours.
    g.bench_function(PEER, |b| b.iter(|| decoder.decode(&response)));
}

// ---------------------------------------------------------------------------------------------
// OURS: our generated client's equivalents, same work, same input.
// ---------------------------------------------------------------------------------------------

/// Our in-memory transport: every request gets 200 with the shared body and a request id. The
/// body is a `Bytes` clone, as in the peer's `canned_http_response`: neither side copies it.
struct CannedTransport {
    body: connect::Bytes,
}

impl connect::Transport for CannedTransport {
    fn send(
        &self,
        _request: connect::HttpRequest,
    ) -> connect::BoxFuture<'_, Result<connect::HttpResponse, connect::TransportError>> {
        let mut response = connect::HttpResponse::new(200, self.body.clone());
        response.headers.insert(
            "content-type",
            connect::http::HeaderValue::from_static("application/json"),
        );
        response.headers.insert(
            "x-amzn-requestid",
            connect::http::HeaderValue::from_static(REQUEST_ID),
        );
        Box::pin(std::future::ready(Ok(response)))
    }
}

/// (a) One whole `describe_contact` call: validate, serialize, sign, "send", parse.
fn ours_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let client = connect::Client::new(
        connect::Config::new()
            .region("us-east-1")
            .credentials(connect::Credentials::new(
                "ANOTREAL",
                "notrealrnrELgWzOk3IfjzDKtFBhDby",
                None,
            ))
            .transport(CannedTransport {
                body: body.clone(),
            }),
    )
    .expect("client");
    let rt = current_thread_runtime();
    let input = || {
        connect::types::DescribeContactRequest::default()
            .with_instance_id(INSTANCE_ID)
            .with_contact_id(CONTACT_ID)
    };
    let output = rt.block_on(client.describe_contact(input())).expect("call");
    let contact = output.contact.expect("contact");
    assert!(contact.id.is_some());
    assert_eq!(contact.recordings.as_ref().map(Vec::len), Some(3));
    g.bench_function(OURS, |b| {
        b.to_async(&rt)
            .iter(|| async { client.describe_contact(input()).await.expect("call") })
    });
}

/// (b) Decoding the same body alone into our output type, as the client does it: the body is
/// checked for UTF-8 once, then read by serde_json as text (`rt::rest::from_json`).
fn ours_decode_describe_contact(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let decode = |body: &[u8]| {
        let text = std::str::from_utf8(body).expect("UTF-8");
        serde_json::from_str::<connect::types::DescribeContactResponse>(text).expect("decodes")
    };
    let contact = decode(body).contact.expect("contact");
    assert_eq!(contact.recordings.as_ref().map(Vec::len), Some(3));
    g.bench_function(OURS, |b| b.iter(|| decode(std::hint::black_box(body))));
}

/// The reference: the same UTF-8 check and serde_json parse, keeping nothing (`IgnoredAny`).
fn skim_body(g: &mut BenchmarkGroup<'_, WallTime>, body: &Bytes) {
    let skim = |body: &[u8]| {
        let text = std::str::from_utf8(body).expect("UTF-8");
        serde_json::from_str::<serde::de::IgnoredAny>(text).expect("JSON")
    };
    g.bench_function(SKIM, |b| b.iter(|| skim(std::hint::black_box(body))));
}

// ---------------------------------------------------------------------------------------------
// Groups: peer and ours side by side.
// ---------------------------------------------------------------------------------------------

fn describe_contact_call(c: &mut Criterion, body: &Bytes) {
    let mut g = c.benchmark_group(GROUP_CALL);
    g.measurement_time(Duration::from_secs(8));
    peer_describe_contact(&mut g, body);
    ours_describe_contact(&mut g, body);
    g.finish();
}

fn describe_contact_decode(c: &mut Criterion, body: &Bytes) {
    let mut g = c.benchmark_group(GROUP_DECODE);
    g.throughput(Throughput::Bytes(body.len() as u64));
    peer_decode_describe_contact(&mut g, body);
    ours_decode_describe_contact(&mut g, body);
    skim_body(&mut g, body);
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Summary: medians and ratios, read back from criterion's own estimates.
// ---------------------------------------------------------------------------------------------

/// Where criterion writes its results: as criterion decides by default ($CRITERION_HOME, else
/// <target dir>/criterion), with the target dir taken from this executable's own path
/// (<target>/release/deps/describe_contact-HASH) so it is known without asking cargo.
fn output_directory() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let exe = std::env::current_exe().expect("current exe");
    exe.ancestors()
        .nth(3)
        .map(|target| target.join("criterion"))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// Criterion's directory name for an id (its `make_filename_safe`).
fn dir_name(s: &str) -> String {
    s.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_")
}

/// What criterion found for `group/id`, if that benchmark ran in this process (ns per call).
struct Measured {
    /// criterion's median estimate (over its samples of per-iteration means)
    median: f64,
    /// the fastest sample's per-iteration mean: the least disturbed by other work on the machine
    fastest: f64,
}

fn measured(out: &Path, group: &str, id: &str, started: SystemTime) -> Option<Measured> {
    let dir = out.join(dir_name(group)).join(dir_name(id)).join("new");
    let read = |name: &str| -> Option<serde_json::Value> {
        let file = dir.join(name);
        let modified = std::fs::metadata(&file).ok()?.modified().ok()?;
        if modified < started {
            return None; // left by an earlier run (filtered out of this one)
        }
        serde_json::from_slice(&std::fs::read(&file).ok()?).ok()
    };
    let estimates = read("estimates.json")?;
    let median = estimates["median"]["point_estimate"].as_f64()?;
    let sample = read("sample.json")?;
    let iters = sample["iters"].as_array()?;
    let times = sample["times"].as_array()?;
    let fastest = iters
        .iter()
        .zip(times)
        .filter_map(|(n, t)| Some(t.as_f64()? / n.as_f64()?))
        .fold(f64::INFINITY, f64::min);
    Some(Measured { median, fastest })
}

fn summary(out: &Path, started: SystemTime) {
    let mut lines = Vec::new();
    for (group, work) in [
        (GROUP_CALL, "describe_contact"),
        (GROUP_DECODE, "decode DescribeContact"),
    ] {
        let peer = measured(out, group, PEER, started);
        let ours = measured(out, group, OURS, started);
        for (who, m) in [("peer", &peer), ("ours", &ours)] {
            if let Some(m) = m {
                lines.push(format!(
                    "{who} {work}: {:.1} us/call (median; fastest sample {:.1} us)",
                    m.median / 1e3,
                    m.fastest / 1e3
                ));
            }
        }
        if let (Some(p), Some(o)) = (&peer, &ours) {
            lines.push(format!(
                "ratio {work}: ours/peer = {:.3} on medians, {:.3} on fastest samples",
                o.median / p.median,
                o.fastest / p.fastest
            ));
        }
        if group == GROUP_DECODE
            && let (Some(p), Some(skim)) = (&peer, measured(out, group, SKIM, started))
        {
            lines.push(format!(
                "reference {work}: serde_json skimming the body {:.1} us; the 3x goal is {:.1} us",
                skim.median / 1e3,
                p.median / 3e3
            ));
        }
    }
    if !lines.is_empty() {
        println!("\n== summary (criterion, {}) ==", out.display());
        for l in lines {
            println!("{l}");
        }
    }
}

fn main() {
    let started = SystemTime::now() - Duration::from_secs(1);
    let out = output_directory();
    let body = response_body();

    let mut c = Criterion::default()
        .output_directory(&out)
        .configure_from_args();
    describe_contact_call(&mut c, &body);
    describe_contact_decode(&mut c, &body);
    c.final_summary();

    summary(&out, started);
}
