//! S3 bodies streamed both ways against `moto` on 127.0.0.1: a 64 MiB file is put from disk and
//! got back to disk, the same SHA-256 at both ends, while this process's peak memory grows by
//! less than 16 MiB. Its own test binary, so that no other test's allocations share the peak.

use std::io::{Read as _, Write as _};
use std::path::Path;

use base64::Engine as _;
use botocore_runtime::credentials::Credentials;
use botocore_runtime::{ByteStream, Config};
use s3::types::{CreateBucketRequest, GetObjectRequest, HeadObjectRequest, PutObjectRequest};
use sha2::Digest as _;

const SIZE: usize = 64 * 1024 * 1024;

/// Writes `SIZE` pseudo-random bytes (xorshift, so nothing compresses or repeats) a chunk at a
/// time, returning their SHA-256.
fn write_random_file(path: &Path) -> Vec<u8> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut hasher = sha2::Sha256::new();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunk = vec![0u8; 1024 * 1024];
    for _ in 0..SIZE / chunk.len() {
        for word in chunk.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        hasher.update(&chunk);
        file.write_all(&chunk).expect("write");
    }
    file.flush().expect("flush");
    hasher.finalize().to_vec()
}

fn sha256_of_file(path: &Path) -> Vec<u8> {
    let mut file = std::fs::File::open(path).expect("open");
    let mut hasher = sha2::Sha256::new();
    let mut chunk = vec![0u8; 1024 * 1024];
    loop {
        let read = file.read(&mut chunk).expect("read");
        if read == 0 {
            return hasher.finalize().to_vec();
        }
        hasher.update(&chunk[..read]);
    }
}

/// A line of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

#[tokio::test(flavor = "current_thread")]
async fn a_64_mib_object_streams_both_ways_in_bounded_memory() {
    let moto = tests::python::Moto::start();
    let client = s3::Client::new(
        &Config::new()
            .region("us-east-1")
            .endpoint_url(&moto.endpoint)
            .credentials(Credentials::new("testing", "testing", None)),
    )
    .expect("client");
    let bucket = "streams";
    client
        .create_bucket(CreateBucketRequest::default().with_bucket(bucket))
        .await
        .expect("CreateBucket");

    let dir = tempfile::tempdir().expect("temporary directory");
    let source = dir.path().join("source.bin");
    let target = dir.path().join("target.bin");
    let expected = write_random_file(&source);

    // Everything is set up (the client, its connection pool, TLS-less HTTP): from here on,
    // the peak resident size is what streaming 64 MiB each way costs.
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident size");
    let before = status_kib("VmRSS");

    client
        .put_object(
            PutObjectRequest::default()
                .with_bucket(bucket)
                .with_key("big/object.bin")
                .with_body(ByteStream::from_path(&source).await.expect("the file"))
                // Chosen, so the file is read once ahead of sending for its checksum.
                .with_checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256),
        )
        .await
        .expect("PutObject");
    let object = client
        .get_object(
            GetObjectRequest::default()
                .with_bucket(bucket)
                .with_key("big/object.bin"),
        )
        .await
        .expect("GetObject");
    assert_eq!(object.content_length, Some(SIZE as i64));
    // Asked for by default (`x-amz-checksum-mode: ENABLED`): the body is checked against it
    // as it streams to the file.
    let sha256 = base64::engine::general_purpose::STANDARD.encode(&expected);
    assert_eq!(object.checksum_sha256.as_deref(), Some(sha256.as_str()));
    let written = object
        .body
        .expect("a body")
        .write_to_file(&target)
        .await
        .expect("written to the file");

    let peak = status_kib("VmHWM");
    assert_eq!(written, SIZE as u64);
    assert_eq!(
        sha256_of_file(&target),
        expected,
        "the same bytes came back"
    );
    let head = client
        .head_object(
            HeadObjectRequest::default()
                .with_bucket(bucket)
                .with_key("big/object.bin")
                .with_checksum_mode(s3::types::ChecksumMode::Enabled),
        )
        .await
        .expect("HeadObject");
    assert_eq!(head.content_length, Some(SIZE as i64));
    assert_eq!(
        head.checksum_sha256.as_deref(),
        Some(
            base64::engine::general_purpose::STANDARD
                .encode(&expected)
                .as_str()
        ),
        "the SHA-256 sent with the streamed PutObject is the one S3 (moto) kept"
    );
    let growth_mib = peak.saturating_sub(before) as f64 / 1024.0;
    println!(
        "64 MiB put and got: resident {before} KiB before, peak {peak} KiB during, growth {growth_mib:.1} MiB"
    );
    assert!(
        growth_mib < 16.0,
        "streaming 64 MiB each way grew the peak resident size by {growth_mib:.1} MiB"
    );
}
