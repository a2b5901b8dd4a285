//! A loop for profilers (callgrind, perf): `profile MODE N` runs one piece of work N times.
//!
//! - `decode`: ours decodes the shared body; `peer-decode`: the SDK's deserializer does.
//! - `call`: one whole `describe_contact` call through ours and its in-memory transport;
//!   `peer-call`: the same through the SDK and its in-memory HTTP client.
//!
//! Instruction counts are stable even on a busy machine, so callgrind compares the two sides
//! without the noise of wall time (setup is counted too: subtract a run with N = 1):
//!
//! ```sh
//! CARGO_TARGET_DIR=../../target/peers cargo build --release --example profile
//! valgrind --tool=callgrind ../../target/peers/release/examples/profile decode 200
//! ```
//!
//! Under valgrind, sha2 runs its portable code (no SHA extensions), so signing weighs more in
//! `call` and `peer-call` than it does natively.

use std::hint::black_box;

use sdk_bench::{current_thread_runtime, ours, peer, response_body};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "decode".to_owned());
    let n: usize = args.next().map_or(1000, |n| n.parse().expect("a count"));
    let body = response_body();
    match mode.as_str() {
        "decode" => {
            for _ in 0..n {
                black_box(ours::decode(black_box(&body)));
            }
        }
        "peer-decode" => {
            let decoder = peer::Decoder::new(&body);
            for _ in 0..n {
                black_box(decoder.decode());
            }
        }
        "call" => {
            let rt = current_thread_runtime();
            let client = ours::checked_client(&body, &rt);
            rt.block_on(async {
                for _ in 0..n {
                    black_box(ours::call(&client).await);
                }
            });
        }
        "peer-call" => {
            let rt = current_thread_runtime();
            let client = peer::checked_client(&body, &rt);
            rt.block_on(async {
                for _ in 0..n {
                    black_box(peer::call(&client).await);
                }
            });
        }
        other => panic!("unknown mode {other}: decode, peer-decode, call or peer-call"),
    }
}
