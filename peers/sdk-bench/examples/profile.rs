//! A loop for profilers (callgrind, perf): `profile decode N` decodes the shared body N times,
//! `profile call N` makes N whole `describe_contact` calls through the in-memory transport.
//!
//! Build and run (instruction counts are stable even on a busy machine):
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/perf-target-peers cargo build --release --example profile
//! valgrind --tool=callgrind /work/perf-target-peers/release/examples/profile decode 200
//! ```

use std::hint::black_box;

const REQUEST_ID: &str = "2d0b1d27-6c55-4b8e-9e3a-6f0c3c2a1e55";

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

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "decode".to_owned());
    let n: usize = args.next().map_or(1000, |n| n.parse().expect("a count"));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/describe-contact-response.json"
    );
    let body = std::fs::read(path).expect("the shared body");
    match what.as_str() {
        "decode" => {
            for _ in 0..n {
                let output: connect::types::DescribeContactResponse =
                    serde_json::from_slice(black_box(&body)).expect("decodes");
                black_box(output);
            }
        }
        "call" => {
            let client = connect::Client::new(
                connect::Config::new()
                    .region("us-east-1")
                    .credentials(connect::Credentials::new(
                        "ANOTREAL",
                        "notrealrnrELgWzOk3IfjzDKtFBhDby",
                        None,
                    ))
                    .transport(CannedTransport { body: body.into() }),
            )
            .expect("client");
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            rt.block_on(async {
                for _ in 0..n {
                    let input = connect::types::DescribeContactRequest::default()
                        .with_instance_id("a1b2c3d4-5678-90ab-cdef-111111111111")
                        .with_contact_id("9f8e7d6c-5b4a-4321-8fed-cba987654321");
                    black_box(client.describe_contact(input).await.expect("call"));
                }
            });
        }
        other => panic!("unknown mode {other}: decode or call"),
    }
}
