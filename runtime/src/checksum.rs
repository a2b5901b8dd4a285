//! Request checksums as botocore (1.36 and later) sends them: an operation with `httpChecksum`
//! gets the checksum of its body in `x-amz-checksum-<algorithm>`, with the algorithm the input's
//! `requestAlgorithmMember` names, else CRC32 (botocore's default `when_supported`); an
//! operation with `httpChecksumRequired` gets a CRC32 too. The algorithm member's own header
//! (`x-amz-sdk-checksum-algorithm`) says which one was used. A streamed body is checksummed
//! piece by piece ([`RunningChecksum`]) when its caller chose the algorithm.
//!
//! Responses are checked as botocore checks them (`handle_checksum_body`): an operation whose
//! `httpChecksum` has a `requestValidationModeMember` (S3's GetObject) asks for checksums
//! (`ChecksumMode=ENABLED`, unless [`ChecksumValidation::WhenRequired`] and the caller did not),
//! and the first of the response's `x-amz-checksum-*` headers in botocore's order of preference
//! is checked against the body: whole, or as it streams ([`ResponseChecksum`]).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine as _;
use bytes::Bytes;
use futures_core::Stream;
use sha1::Digest as _;

use crate::ByteStream;
use crate::http::HttpResponse;

/// CRC-64/NVME, slice-by-16: about as fast as CRC32 without SIMD.
static CRC64_NVME: crc::Crc<u64, crc::Table<16>> =
    crc::Crc::<u64, crc::Table<16>>::new(&crc::CRC_64_NVME);

/// A checksum algorithm of the `httpChecksum` trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC32 (IEEE), botocore's default.
    Crc32,
    /// CRC32C (Castagnoli).
    Crc32c,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// CRC-64/NVME, S3's default for objects stored without a checksum of their own.
    Crc64Nvme,
}

impl ChecksumAlgorithm {
    /// Every algorithm, in botocore's order of preference for checking a response
    /// (`_ALGORITHMS_PRIORITY_LIST`, less those this runtime does not compute).
    pub const PREFERENCE: [ChecksumAlgorithm; 5] = [
        ChecksumAlgorithm::Crc64Nvme,
        ChecksumAlgorithm::Crc32c,
        ChecksumAlgorithm::Crc32,
        ChecksumAlgorithm::Sha1,
        ChecksumAlgorithm::Sha256,
    ];

    /// The algorithm of a model's name for it (`CRC32`, `crc32c`, `SHA256`); `None` for one
    /// this runtime does not compute (`SHA512`, `MD5`, the `XXHASH` ones, which botocore
    /// computes only with its CRT).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "crc32" => ChecksumAlgorithm::Crc32,
            "crc32c" => ChecksumAlgorithm::Crc32c,
            "sha1" => ChecksumAlgorithm::Sha1,
            "sha256" => ChecksumAlgorithm::Sha256,
            "crc64nvme" => ChecksumAlgorithm::Crc64Nvme,
            _ => return None,
        })
    }

    /// The name the algorithm member's header carries.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
        }
    }

    /// The header the checksum goes in.
    pub fn header(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
        }
    }

    /// The checksum of `body`, base64 of its big-endian bytes as the header carries it.
    pub fn checksum(self, body: &[u8]) -> String {
        let mut running = self.start();
        running.update(body);
        running.finish()
    }

    /// A checksum fed piece by piece, for a body read as a stream.
    pub fn start(self) -> RunningChecksum {
        RunningChecksum(match self {
            ChecksumAlgorithm::Crc32 => Running::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => Running::Crc32c(0),
            ChecksumAlgorithm::Sha1 => Running::Sha1(sha1::Sha1::new()),
            ChecksumAlgorithm::Sha256 => Running::Sha256(sha2::Sha256::new()),
            ChecksumAlgorithm::Crc64Nvme => Running::Crc64Nvme(CRC64_NVME.digest()),
        })
    }
}

/// A flexible checksum a streamed body is still to get, which the client gives it as the
/// scheme allows: over HTTPS an `aws-chunked` trailer, as
/// botocore and the SDKs send one; over plain HTTP a header, the body read ahead for it, only
/// where the caller chose the algorithm (botocore reads a file there; a default is not worth a
/// second read of a large body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamChecksum {
    /// The algorithm.
    pub algorithm: ChecksumAlgorithm,
    /// The header of the input's algorithm member (`x-amz-sdk-checksum-algorithm`), told the
    /// algorithm when the checksum goes.
    pub algorithm_header: Option<&'static str>,
    /// The caller chose the algorithm; else it is the default.
    pub chosen: bool,
}

/// A checksum being computed: [`update`](Self::update) with each piece of the body in order,
/// then [`finish`](Self::finish) for the header's value.
#[derive(Clone)]
pub struct RunningChecksum(Running);

#[derive(Clone)]
enum Running {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Crc64Nvme(crc::Digest<'static, u64, crc::Table<16>>),
}

impl RunningChecksum {
    /// Feeds the next piece of the body.
    pub fn update(&mut self, piece: &[u8]) {
        match &mut self.0 {
            Running::Crc32(hasher) => hasher.update(piece),
            Running::Crc32c(crc) => *crc = crc32c::crc32c_append(*crc, piece),
            Running::Sha1(hasher) => hasher.update(piece),
            Running::Sha256(hasher) => hasher.update(piece),
            Running::Crc64Nvme(digest) => digest.update(piece),
        }
    }

    /// The checksum of everything fed, base64 of its big-endian bytes.
    pub fn finish(self) -> String {
        let engine = &base64::engine::general_purpose::STANDARD;
        match self.0 {
            Running::Crc32(hasher) => engine.encode(hasher.finalize().to_be_bytes()),
            Running::Crc32c(crc) => engine.encode(crc.to_be_bytes()),
            Running::Sha1(hasher) => engine.encode(hasher.finalize()),
            Running::Sha256(hasher) => engine.encode(hasher.finalize()),
            Running::Crc64Nvme(digest) => engine.encode(digest.finalize().to_be_bytes()),
        }
    }
}

impl std::fmt::Debug for RunningChecksum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RunningChecksum")
    }
}

/// When responses are checked against their checksums, as botocore's
/// `response_checksum_validation` setting says (`AWS_RESPONSE_CHECKSUM_VALIDATION`, a profile's
/// `response_checksum_validation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChecksumValidation {
    /// Every operation that can ask for checksums asks (botocore's default, `when_supported`).
    #[default]
    WhenSupported,
    /// Only when the caller set the operation's validation-mode member (`ChecksumMode`).
    WhenRequired,
}

impl ChecksumValidation {
    /// The setting of its name in the environment or a profile, in any case.
    pub fn from_setting(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "when_supported" => Some(ChecksumValidation::WhenSupported),
            "when_required" => Some(ChecksumValidation::WhenRequired),
            _ => None,
        }
    }
}

/// The checksum a response carries for its body, to check the body against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseChecksum {
    algorithm: ChecksumAlgorithm,
    /// The header's value: base64 of the checksum's big-endian bytes.
    expected: String,
}

impl ResponseChecksum {
    /// The checksum to check `response` against, among the `algorithms` the operation's model
    /// lists (`responseAlgorithms`): the first header present in botocore's order of
    /// preference. A value with a `-` (S3's checksum of a multipart object's part checksums,
    /// `...-3`) is not the body's, and is passed over, as botocore passes it over.
    pub fn of(response: &HttpResponse, algorithms: &[&str]) -> Option<Self> {
        ChecksumAlgorithm::PREFERENCE
            .into_iter()
            .filter(|algorithm| {
                algorithms
                    .iter()
                    .any(|name| name.eq_ignore_ascii_case(algorithm.name()))
            })
            .find_map(|algorithm| {
                let expected = response.header(algorithm.header())?.trim();
                (!expected.contains('-')).then(|| ResponseChecksum {
                    algorithm,
                    expected: expected.to_owned(),
                })
            })
    }

    /// The algorithm of the checksum.
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    /// `Err` with what is wrong when `body` does not have the checksum.
    pub fn check(&self, body: &[u8]) -> Result<(), String> {
        let mut running = self.algorithm.start();
        running.update(body);
        self.verify(running)
    }

    /// `body`, checked as it is read: its last read is an error of kind `InvalidData` when
    /// what came does not have the checksum.
    pub fn wrap(self, body: ByteStream) -> ByteStream {
        let length = body.length();
        let running = self.algorithm.start();
        ByteStream::from_chunks(
            Box::pin(CheckedBody {
                body,
                running: Some(running),
                checksum: self,
            }),
            length,
        )
    }

    fn verify(&self, running: RunningChecksum) -> Result<(), String> {
        let actual = running.finish();
        if actual == self.expected {
            return Ok(());
        }
        Err(format!(
            "the body's {} is {actual}, not the {:?} its {} header gives: the response was \
             damaged on its way",
            self.algorithm.name(),
            self.expected,
            self.algorithm.header()
        ))
    }
}

/// A response body checked against its checksum as it streams ([`ResponseChecksum::wrap`]).
struct CheckedBody {
    body: ByteStream,
    /// `None` once the end was reached and checked.
    running: Option<RunningChecksum>,
    checksum: ResponseChecksum,
}

impl Stream for CheckedBody {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.running.is_none() {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.body).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some(running) = &mut this.running {
                    running.update(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => {
                // The body is cut short: nothing left to check.
                this.running = None;
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(None) => {
                let running = this.running.take().expect("checked above");
                match this.checksum.verify(running) {
                    Ok(()) => Poll::Ready(None),
                    Err(mismatch) => Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        mismatch,
                    )))),
                }
            }
        }
    }
}

/// DynamoDB's `x-amz-crc32`: `Some` with what is wrong when the header is there and does not
/// give the CRC32 of the body (as a decimal number, as botocore reads it).
pub(crate) fn crc32_header_mismatch(response: &crate::http::HttpResponse) -> Option<String> {
    let header = response.header("x-amz-crc32")?;
    let actual = crc32fast::hash(&response.body);
    match header.trim().parse::<u32>() {
        Ok(expected) if expected == actual => None,
        _ => Some(format!(
            "the body's CRC32 is {actual}, not the {header:?} its x-amz-crc32 header gives: \
             the response was damaged on its way"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_the_published_values() {
        // Independently computed (Python: zlib, hashlib, a bitwise CRC32C) for b"foo" and b"".
        assert_eq!(ChecksumAlgorithm::Crc32.checksum(b"foo"), "jHNlIQ==");
        assert_eq!(ChecksumAlgorithm::Crc32c.checksum(b"foo"), "z8SuHQ==");
        assert_eq!(
            ChecksumAlgorithm::Sha1.checksum(b"foo"),
            "C+7Hteo/D9vJXQ3UfzxbwnXaijM="
        );
        assert_eq!(
            ChecksumAlgorithm::Sha256.checksum(b"foo"),
            "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564="
        );
        assert_eq!(ChecksumAlgorithm::Crc32.checksum(b""), "AAAAAA==");
        // CRC-64/NVME: a bitwise Python implementation, which gives the catalogue's check
        // value 0xae8b14860a799888 for b"123456789".
        assert_eq!(
            ChecksumAlgorithm::Crc64Nvme.checksum(b"foo"),
            "5O33DmauDQI="
        );
        assert_eq!(
            ChecksumAlgorithm::Crc64Nvme.checksum(b"123456789"),
            base64::engine::general_purpose::STANDARD
                .encode(0xae8b_1486_0a79_9888u64.to_be_bytes())
        );
        assert_eq!(ChecksumAlgorithm::Crc64Nvme.checksum(b""), "AAAAAAAAAAA=");
        assert_eq!(
            ChecksumAlgorithm::from_name("crc32c"),
            Some(ChecksumAlgorithm::Crc32c)
        );
        assert_eq!(
            ChecksumAlgorithm::from_name("CRC64NVME"),
            Some(ChecksumAlgorithm::Crc64Nvme)
        );
        assert_eq!(ChecksumAlgorithm::from_name("SHA512"), None);
        // Piece by piece gives the same as whole.
        let body: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for algorithm in ChecksumAlgorithm::PREFERENCE {
            let mut running = algorithm.start();
            for piece in body.chunks(4093) {
                running.update(piece);
            }
            assert_eq!(running.finish(), algorithm.checksum(&body), "{algorithm:?}");
        }
    }

    /// GetObject's algorithms, as S3's model lists them.
    const GET_OBJECT: &[&str] = &[
        "CRC64NVME",
        "CRC32",
        "CRC32C",
        "SHA256",
        "SHA1",
        "SHA512",
        "MD5",
        "XXHASH64",
    ];

    fn response(headers: &[(&'static str, &str)], body: &'static [u8]) -> HttpResponse {
        let mut response = HttpResponse {
            status: 200,
            headers: crate::http::HeaderMap::new(),
            body: Bytes::from_static(body),
        };
        for (name, value) in headers {
            response
                .headers
                .insert(*name, crate::http::HeaderValue::from_str(value).unwrap());
        }
        response
    }

    #[test]
    fn the_preferred_checksum_of_the_response_is_checked() {
        let sha256 = ChecksumAlgorithm::Sha256.checksum(b"foo");
        // CRC32C is preferred to CRC32 and SHA-256, whatever the order of the headers.
        let both = response(
            &[
                ("x-amz-checksum-sha256", &sha256),
                ("x-amz-checksum-crc32", "jHNlIQ=="),
                ("x-amz-checksum-crc32c", "z8SuHQ=="),
            ],
            b"foo",
        );
        let checksum = ResponseChecksum::of(&both, GET_OBJECT).expect("a checksum");
        assert_eq!(checksum.algorithm(), ChecksumAlgorithm::Crc32c);
        assert_eq!(checksum.check(b"foo"), Ok(()));
        let mismatch = checksum.check(b"fop").unwrap_err();
        assert!(
            mismatch.contains("CRC32C") && mismatch.contains("z8SuHQ=="),
            "{mismatch}"
        );
        // Only the algorithms the model lists count.
        let checksum = ResponseChecksum::of(&both, &["SHA256"]).expect("a checksum");
        assert_eq!(checksum.algorithm(), ChecksumAlgorithm::Sha256);
        // A multipart object's checksum of checksums is passed over for the next one.
        let composite = response(
            &[
                ("x-amz-checksum-crc64nvme", "5O33DmauDQI=-2"),
                ("x-amz-checksum-crc32", "jHNlIQ=="),
            ],
            b"foo",
        );
        let checksum = ResponseChecksum::of(&composite, GET_OBJECT).expect("a checksum");
        assert_eq!(checksum.algorithm(), ChecksumAlgorithm::Crc32);
        let only_composite = response(&[("x-amz-checksum-crc32", "jHNlIQ==-3")], b"foo");
        assert_eq!(ResponseChecksum::of(&only_composite, GET_OBJECT), None);
        // An algorithm this runtime does not compute is no checksum to check.
        let sha512 = response(&[("x-amz-checksum-sha512", "AAAA")], b"foo");
        assert_eq!(ResponseChecksum::of(&sha512, GET_OBJECT), None);
        assert_eq!(
            ResponseChecksum::of(&response(&[], b"foo"), GET_OBJECT),
            None
        );
    }

    async fn read(body: ByteStream) -> Vec<io::Result<Bytes>> {
        let mut body = Box::pin(body);
        let mut reads = Vec::new();
        while let Some(read) = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await {
            reads.push(read);
        }
        reads
    }

    fn chunks(pieces: &[&'static [u8]]) -> ByteStream {
        let pieces: Vec<io::Result<Bytes>> = pieces
            .iter()
            .map(|piece| Ok(Bytes::from_static(piece)))
            .collect();
        ByteStream::from_chunks(Box::pin(Pieces(pieces.into())), None)
    }

    struct Pieces(std::collections::VecDeque<io::Result<Bytes>>);

    impl Stream for Pieces {
        type Item = io::Result<Bytes>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.pop_front())
        }
    }

    #[tokio::test]
    async fn a_streamed_body_is_checked_at_its_end() {
        let crc64 = ResponseChecksum::of(
            &response(&[("x-amz-checksum-crc64nvme", "5O33DmauDQI=")], b""),
            GET_OBJECT,
        )
        .expect("a checksum");
        // Every chunk is handed over as it comes (an empty one says nothing); the end is the
        // end when the body matches.
        let reads = read(crc64.clone().wrap(chunks(&[b"f", b"", b"oo"]))).await;
        let pieces: Vec<_> = reads.into_iter().map(|read| read.unwrap()).collect();
        assert_eq!(pieces, [&b"f"[..], b"oo"]);
        // A body that differs ends with an InvalidData error after its last chunk.
        let mut reads = read(crc64.clone().wrap(chunks(&[b"f", b"oO"]))).await;
        let error = reads.pop().expect("a last read").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(
            error.to_string().contains("x-amz-checksum-crc64nvme"),
            "{error}"
        );
        assert_eq!(reads.len(), 2);
        // So does one cut short (the check needs every byte) ...
        let error = crc64
            .clone()
            .wrap(chunks(&[b"fo"]))
            .collect()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        // ... and collecting a good one gives it whole.
        let body = crc64.wrap(chunks(&[b"fo", b"o"])).collect().await.unwrap();
        assert_eq!(&body[..], b"foo");
    }
}
