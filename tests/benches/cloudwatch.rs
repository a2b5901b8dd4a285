//! The same CloudWatch calls over awsJson 1.0 (`services/cloudwatch`) and smithy-rpc-v2-cbor
//! (`services/cloudwatch-cbor`), measured in one run:
//!
//! ```text
//! cargo bench -p tests --bench cloudwatch
//! ```
//!
//! - encode `PutMetricData`: what `Operation::build` does with the input in
//!   `tests/bench-inputs/cloudwatch-put-metric-data-input.json` (20 metrics of 100 values and
//!   counts each), and `RequestBuilder::finish`, as the client prepares a request (less
//!   validation);
//! - decode `GetMetricData`: what `Operation::parse` does with the committed response,
//!   `cloudwatch-get-metric-data-response.json` and `.cbor` (6 results of 360 timestamps and
//!   values each, the same values in both);
//! - a whole `get_metric_data` and `put_metric_data` call through an in-memory transport
//!   (validate, serialize, sign, "send", parse).
//!
//! `-- --loop MODE N` (MODE `encode-json`, `encode-cbor`, `decode-json` or `decode-cbor`) runs
//! one encode or decode N times and nothing else, for a profiler.
//!
//! Each is the median of 15 batches (the fastest batch beside it), in microseconds per call,
//! with the ratio json / cbor and the body sizes in bytes. Both decodes are checked once to give
//! equal outputs (every double to the bit), and the CBOR request to read back as the input.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use botocore_runtime::error::{BuildError, DecodeError};
use botocore_runtime::http::{
    BoxFuture, Bytes, HeaderValue, HttpRequest, HttpResponse, Transport, TransportError,
};
use botocore_runtime::protocol::aws_json::{AwsJson, JsonVersion};
use botocore_runtime::protocol::rpc_v2_cbor::{self, RpcV2Cbor};
use botocore_runtime::serde::Serialize;
use botocore_runtime::serde::de::DeserializeOwned;

const ENDPOINT: &str = "https://monitoring.us-east-1.amazonaws.com";

// The crates' operations are private to them; these are what their `Operation::build` and
// `Operation::parse` are, word for word: the protocol as each crate's `client::PROTOCOL` makes
// it (query-compatible CloudWatch), the target or path of the operation, the runtime's readers.

/// `cloudwatch`'s `Operation::build` for `operation`, and the request finished.
fn build_json<T: Serialize>(operation: &'static str, input: &T) -> Result<HttpRequest, BuildError> {
    const PROTOCOL: AwsJson = AwsJson::new(JsonVersion::V1_0, true);
    let target = match operation {
        "PutMetricData" => "GraniteServiceVersion20100801.PutMetricData",
        "GetMetricData" => "GraniteServiceVersion20100801.GetMetricData",
        other => unreachable!("{other}"),
    };
    Ok(PROTOCOL.request(operation, target, input)?.finish(ENDPOINT))
}

/// `cloudwatch-cbor`'s `Operation::build` for `operation`, and the request finished.
fn build_cbor<T: Serialize>(operation: &'static str, input: &T) -> Result<HttpRequest, BuildError> {
    const PROTOCOL: RpcV2Cbor = RpcV2Cbor::new(true);
    let path = match operation {
        "PutMetricData" => "/service/GraniteServiceVersion20100801/operation/PutMetricData",
        "GetMetricData" => "/service/GraniteServiceVersion20100801/operation/GetMetricData",
        other => unreachable!("{other}"),
    };
    Ok(PROTOCOL
        .request(operation, path, Some(input))?
        .finish(ENDPOINT))
}

/// `cloudwatch`'s `Operation::parse` of GetMetricData.
fn parse_json(
    response: &HttpResponse,
) -> Result<cloudwatch::types::GetMetricDataOutput, DecodeError> {
    botocore_runtime::json::read_body(response)
}

/// `cloudwatch-cbor`'s `Operation::parse` of GetMetricData.
fn parse_cbor(
    response: &HttpResponse,
) -> Result<cloudwatch_cbor::types::GetMetricDataOutput, DecodeError> {
    rpc_v2_cbor::read_body(response)
}
const BATCHES: usize = 15;
/// Each batch runs about this long.
const BATCH_TIME: Duration = Duration::from_millis(60);

/// Median and fastest of the batches, in nanoseconds per call.
#[derive(Clone, Copy)]
struct Timing {
    median: f64,
    fastest: f64,
}

/// Times `f`, calibrated so that one batch runs about [`BATCH_TIME`].
fn time(mut f: impl FnMut()) -> Timing {
    let mut calls = 1u32;
    loop {
        let started = Instant::now();
        for _ in 0..calls {
            f();
        }
        let elapsed = started.elapsed();
        if elapsed >= BATCH_TIME / 4 || calls >= 1 << 20 {
            let per_call = elapsed.as_secs_f64() / f64::from(calls);
            calls = ((BATCH_TIME.as_secs_f64() / per_call) as u32).max(1);
            break;
        }
        calls *= 2;
    }
    let mut batches: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..calls {
                f();
            }
            started.elapsed().as_nanos() as f64 / f64::from(calls)
        })
        .collect();
    batches.sort_by(f64::total_cmp);
    Timing {
        median: batches[BATCHES / 2],
        fastest: batches[0],
    }
}

/// Answers every request with one canned response (the body a `Bytes` clone).
#[derive(Clone)]
struct Canned(HttpResponse);

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        debug_assert!(request.headers.contains_key("authorization"));
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

fn response(content_type: &'static str, cbor: bool, body: impl Into<Bytes>) -> HttpResponse {
    let mut response = HttpResponse::new(200, body);
    let headers = &mut response.headers;
    headers.insert("content-type", HeaderValue::from_static(content_type));
    headers.insert(
        "x-amzn-requestid",
        HeaderValue::from_static("5a3f1c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"),
    );
    if cbor {
        headers.insert("smithy-protocol", HeaderValue::from_static("rpc-v2-cbor"));
    }
    response
}

fn config(transport: Canned) -> botocore_runtime::Config {
    botocore_runtime::Config::new()
        .region("us-east-1")
        .credentials(botocore_runtime::credentials::Credentials::new(
            "ANOTREAL",
            "notrealrnrELgWzOk3IfjzDKtFBhDby",
            None,
        ))
        .transport(transport)
}

/// The `GetMetricData` request a dashboard would send for the six results in the response.
fn get_metric_data_input<T: DeserializeOwned>() -> T {
    let stat = |id: &str, metric: &str, stat: &str| {
        serde_json::json!({
            "Id": id,
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/EC2",
                    "MetricName": metric,
                    "Dimensions": [{"Name": "InstanceId", "Value": "i-0abcdef1234567890"}],
                },
                "Period": 60,
                "Stat": stat,
            },
            "ReturnData": true,
        })
    };
    serde_json::from_value(serde_json::json!({
        "MetricDataQueries": [
            stat("cpu_avg", "CPUUtilization", "Average"),
            stat("cpu_max", "CPUUtilization", "Maximum"),
            stat("net_in", "NetworkIn", "Sum"),
            stat("net_out", "NetworkOut", "Sum"),
            stat("disk_read", "EBSReadOps", "Sum"),
            stat("latency_p99", "TargetResponseTime", "p99"),
        ],
        "StartTime": 1_714_538_460,
        "EndTime": 1_714_560_060,
        "ScanBy": "TimestampDescending",
        "MaxDatapoints": 2160,
    }))
    .expect("a GetMetricData input")
}

/// One row of the report.
fn row(what: &str, json: Timing, cbor: Timing, sizes: Option<(usize, usize)>) {
    let sizes = sizes.map_or(String::new(), |(json, cbor)| {
        format!(
            "  bytes json {json} cbor {cbor} (cbor/json {:.2})",
            cbor as f64 / json as f64
        )
    });
    println!(
        "  {what:<24} json {:8.1} us  cbor {:8.1} us  json/cbor {:.2}x (fastest batches {:.1} / \
         {:.1} us, {:.2}x){sizes}",
        json.median / 1e3,
        cbor.median / 1e3,
        json.median / cbor.median,
        json.fastest / 1e3,
        cbor.fastest / 1e3,
        json.fastest / cbor.fastest,
    );
}

/// Checks that the two decodes hold the same results, and counts the values that differ at all:
/// the JSON reader may land one unit in the last place off the double its text names (serde_json
/// without `float_roundtrip`), while CBOR carries the double's bits.
fn compare(
    json: &cloudwatch::types::GetMetricDataOutput,
    cbor: &cloudwatch_cbor::types::GetMetricDataOutput,
) -> Result<(), String> {
    let json_results = json.metric_data_results.as_deref().unwrap_or_default();
    let cbor_results = cbor.metric_data_results.as_deref().unwrap_or_default();
    let points: usize = json_results
        .iter()
        .map(|r| r.values.as_ref().map_or(0, Vec::len))
        .sum();
    if json_results.len() != 6 || points != 6 * 360 {
        return Err(format!("{} results, {points} values", json_results.len()));
    }
    if json_results.len() != cbor_results.len() || json.next_token != cbor.next_token {
        return Err("the JSON and CBOR responses decode differently".into());
    }
    for (j, c) in json_results.iter().zip(cbor_results) {
        let same = j.id == c.id
            && j.label == c.label
            && j.timestamps == c.timestamps
            && j.status_code.as_ref().map(|s| s.as_str())
                == c.status_code.as_ref().map(|s| s.as_str());
        let (jv, cv) = (
            j.values.as_deref().unwrap_or_default(),
            c.values.as_deref().unwrap_or_default(),
        );
        if !same || jv.len() != cv.len() {
            return Err(format!("result {:?} decodes differently", j.id));
        }
        // Exact: JSON's decimals must read back as the bits CBOR carries.
        for (a, b) in jv.iter().zip(cv) {
            if a.to_bits() != b.to_bits() {
                return Err(format!("result {:?}: {a} against {b}", j.id));
            }
        }
    }
    Ok(())
}

fn read(name: &str) -> Result<Vec<u8>, String> {
    let path = tests::bench_input(name);
    std::fs::read(&path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut looped = None;
    while let Some(arg) = args.next() {
        if arg == "--loop" {
            let mode = args.next().ok_or("--loop MODE N")?;
            let n: usize = args
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or("--loop MODE N")?;
            looped = Some((mode, n));
        }
    }
    let put_text = read("cloudwatch-put-metric-data-input.json")?;
    let get_json = Bytes::from(read("cloudwatch-get-metric-data-response.json")?);
    let get_cbor = Bytes::from(read("cloudwatch-get-metric-data-response.cbor")?);

    let put_json: cloudwatch::types::PutMetricDataInput =
        serde_json::from_slice(&put_text).map_err(|e| format!("PutMetricData input: {e}"))?;
    let put_cbor: cloudwatch_cbor::types::PutMetricDataInput =
        serde_json::from_slice(&put_text).map_err(|e| format!("PutMetricData input: {e}"))?;
    let get_in_json: cloudwatch::types::GetMetricDataInput = get_metric_data_input();
    let get_in_cbor: cloudwatch_cbor::types::GetMetricDataInput = get_metric_data_input();

    // ---- encode PutMetricData ----
    let encode_json = || build_json("PutMetricData", &put_json).expect("builds");
    let encode_cbor = || build_cbor("PutMetricData", &put_cbor).expect("builds");
    let put_body_json = encode_json().body;
    let put_body_cbor = encode_cbor().body;
    let read_back: cloudwatch_cbor::types::PutMetricDataInput =
        botocore_runtime::cbor::from_slice(&put_body_cbor).map_err(|e| e.to_string())?;
    if read_back != put_cbor {
        return Err("the CBOR PutMetricData body does not read back as the input".into());
    }

    // ---- decode GetMetricData ----
    let response_json = response("application/x-amz-json-1.0", false, get_json.clone());
    let response_cbor = response("application/cbor", true, get_cbor.clone());
    let decode_json = || parse_json(black_box(&response_json)).expect("decodes");
    let decode_cbor = || parse_cbor(black_box(&response_cbor)).expect("decodes");
    let out_json = parse_json(&response_json).map_err(|e| format!("JSON GetMetricData: {e}"))?;
    let out_cbor = parse_cbor(&response_cbor).map_err(|e| format!("CBOR GetMetricData: {e}"))?;
    compare(&out_json, &out_cbor)?;

    // For a profiler: `--loop MODE N` runs one of the four N times, and nothing else.
    if let Some((mode, n)) = looped {
        for _ in 0..n {
            match mode.as_str() {
                "encode-json" => drop(black_box(encode_json())),
                "encode-cbor" => drop(black_box(encode_cbor())),
                "decode-json" => drop(black_box(decode_json())),
                "decode-cbor" => drop(black_box(decode_cbor())),
                other => {
                    return Err(format!(
                        "--loop {other}: encode-json, encode-cbor, decode-json or decode-cbor"
                    ));
                }
            }
        }
        return Ok(());
    }

    let encode = (
        time(|| drop(black_box(encode_json()))),
        time(|| drop(black_box(encode_cbor()))),
    );
    let decode = (
        time(|| drop(black_box(decode_json()))),
        time(|| drop(black_box(decode_cbor()))),
    );
    // The calls take their input by value: the clone each one makes is timed alone and taken
    // off.
    let clone_json = time(|| drop(black_box(put_json.clone())));
    let clone_cbor = time(|| drop(black_box(put_cbor.clone())));
    let minus = |t: Timing, c: Timing| Timing {
        median: t.median - c.median,
        fastest: t.fastest - c.fastest,
    };

    // ---- whole calls ----
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client_json = cloudwatch::Client::new(&config(Canned(response_json.clone())))
        .map_err(|e| e.to_string())?;
    let client_cbor = cloudwatch_cbor::Client::new(&config(Canned(response_cbor.clone())))
        .map_err(|e| e.to_string())?;
    let get_json_call = || {
        rt.block_on(client_json.get_metric_data(get_in_json.clone()))
            .expect("get_metric_data")
    };
    let get_cbor_call = || {
        rt.block_on(client_cbor.get_metric_data(get_in_cbor.clone()))
            .expect("get_metric_data")
    };
    if get_json_call() != out_json || get_cbor_call() != out_cbor {
        return Err("a GetMetricData call decoded something else".into());
    }
    let get_request_sizes = (
        build_json("GetMetricData", &get_in_json)
            .map_err(|e| e.to_string())?
            .body
            .len(),
        build_cbor("GetMetricData", &get_in_cbor)
            .map_err(|e| e.to_string())?
            .body
            .len(),
    );
    let call_get = (
        time(|| drop(black_box(get_json_call()))),
        time(|| drop(black_box(get_cbor_call()))),
    );

    // PutMetricData answers with an empty body: awsJson's `{}`, CBOR's nothing.
    let put_client_json = cloudwatch::Client::new(&config(Canned(response(
        "application/x-amz-json-1.0",
        false,
        &b"{}"[..],
    ))))
    .map_err(|e| e.to_string())?;
    let put_client_cbor =
        cloudwatch_cbor::Client::new(&config(Canned(response("application/cbor", true, &[][..]))))
            .map_err(|e| e.to_string())?;
    let call_put = (
        minus(
            time(|| {
                rt.block_on(put_client_json.put_metric_data(put_json.clone()))
                    .expect("put_metric_data");
            }),
            clone_json,
        ),
        minus(
            time(|| {
                rt.block_on(put_client_cbor.put_metric_data(put_cbor.clone()))
                    .expect("put_metric_data");
            }),
            clone_cbor,
        ),
    );

    println!(
        "CloudWatch over awsJson 1.0 (cloudwatch) and smithy-rpc-v2-cbor (cloudwatch-cbor), \
         medians of {BATCHES} batches"
    );
    row(
        "encode PutMetricData",
        encode.0,
        encode.1,
        Some((put_body_json.len(), put_body_cbor.len())),
    );
    row(
        "decode GetMetricData",
        decode.0,
        decode.1,
        Some((get_json.len(), get_cbor.len())),
    );
    row(
        "call get_metric_data",
        call_get.0,
        call_get.1,
        Some(get_request_sizes),
    );
    row(
        "call put_metric_data",
        call_put.0,
        call_put.1,
        Some((put_body_json.len(), put_body_cbor.len())),
    );
    println!(
        "  (bytes: the request body for encode and the calls' requests, the response body for \
         decode; the input clone each put_metric_data call makes, taken off: {:.1} / {:.1} us)",
        clone_json.median / 1e3,
        clone_cbor.median / 1e3
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
