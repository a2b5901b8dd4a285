//! A loop for profilers (callgrind, perf): `profile MODE N` runs one piece of work N times.
//!
//! - `decode`: ours decodes the shared Query response; `peer-decode`: the SDK's deserializer.
//! - `call`: one whole `query` call through ours and its in-memory transport; `peer-call`: the
//!   same through the SDK and its in-memory HTTP client.
//!
//! Instruction counts are stable even on a busy machine (setup is counted too: subtract a run
//! with N = 1):
//!
//! ```sh
//! CARGO_TARGET_DIR=../../target/peers cargo build --release --example profile
//! valgrind --tool=callgrind ../../target/peers/release/examples/profile decode 21
//! ```

use std::hint::black_box;

use dynamodb_bench::{Census, current_thread_runtime, ours, peer, response_body};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "decode".to_owned());
    let n: usize = args.next().map_or(100, |n| n.parse().expect("a count"));
    let body = response_body();
    let expected = Census::of_body(&body);
    match mode.as_str() {
        "decode" => {
            let response = ours::canned_response(&body);
            ours::check_decode(&response, &expected);
            for _ in 0..n {
                black_box(ours::decode(black_box(&response)));
            }
        }
        "peer-decode" => {
            let decoder = peer::Decoder::new(&body, &expected);
            for _ in 0..n {
                black_box(decoder.decode());
            }
        }
        "call" => {
            let rt = current_thread_runtime();
            let client = ours::checked_client(&body, &rt, &expected);
            rt.block_on(async {
                for _ in 0..n {
                    black_box(ours::call(&client).await);
                }
            });
        }
        "peer-call" => {
            let rt = current_thread_runtime();
            let client = peer::checked_client(&body, &rt, &expected);
            rt.block_on(async {
                for _ in 0..n {
                    black_box(peer::call(&client).await);
                }
            });
        }
        other => panic!("unknown mode {other}: decode, peer-decode, call or peer-call"),
    }
}
