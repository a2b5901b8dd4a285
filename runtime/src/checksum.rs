//! Request checksums as botocore (1.36 and later) sends them: an operation with `httpChecksum`
//! gets the checksum of its body in `x-amz-checksum-<algorithm>`, with the algorithm the input's
//! `requestAlgorithmMember` names, else CRC32 (botocore's default `when_supported`); an
//! operation with `httpChecksumRequired` gets a CRC32 too. The algorithm member's own header
//! (`x-amz-sdk-checksum-algorithm`) says which one was used. A streamed body is checksummed
//! piece by piece ([`RunningChecksum`]) when its caller chose the algorithm.

use base64::Engine as _;
use sha1::Digest as _;

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
}

impl ChecksumAlgorithm {
    /// The algorithm of a model's name for it (`CRC32`, `crc32c`, `SHA256`); `None` for one
    /// this runtime does not compute (`CRC64NVME`, which botocore computes only with its CRT).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "crc32" => ChecksumAlgorithm::Crc32,
            "crc32c" => ChecksumAlgorithm::Crc32c,
            "sha1" => ChecksumAlgorithm::Sha1,
            "sha256" => ChecksumAlgorithm::Sha256,
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
        }
    }

    /// The header the checksum goes in.
    pub fn header(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
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
        })
    }
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
}

impl RunningChecksum {
    /// Feeds the next piece of the body.
    pub fn update(&mut self, piece: &[u8]) {
        match &mut self.0 {
            Running::Crc32(hasher) => hasher.update(piece),
            Running::Crc32c(crc) => *crc = crc32c::crc32c_append(*crc, piece),
            Running::Sha1(hasher) => hasher.update(piece),
            Running::Sha256(hasher) => hasher.update(piece),
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
        }
    }
}

impl std::fmt::Debug for RunningChecksum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RunningChecksum")
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
        assert_eq!(
            ChecksumAlgorithm::from_name("crc32c"),
            Some(ChecksumAlgorithm::Crc32c)
        );
        assert_eq!(ChecksumAlgorithm::from_name("CRC64NVME"), None);
        // Piece by piece gives the same as whole.
        let body: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for algorithm in [
            ChecksumAlgorithm::Crc32,
            ChecksumAlgorithm::Crc32c,
            ChecksumAlgorithm::Sha1,
            ChecksumAlgorithm::Sha256,
        ] {
            let mut running = algorithm.start();
            for piece in body.chunks(4093) {
                running.update(piece);
            }
            assert_eq!(running.finish(), algorithm.checksum(&body), "{algorithm:?}");
        }
    }
}
