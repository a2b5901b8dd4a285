//! Request checksums as botocore (1.36 and later) sends them: an operation with `httpChecksum`
//! gets the checksum of its body in `x-amz-checksum-<algorithm>`, with the algorithm the input's
//! `requestAlgorithmMember` names, else CRC32 (botocore's default `when_supported`); an
//! operation with `httpChecksumRequired` gets a CRC32 too. The algorithm member's own header
//! (`x-amz-sdk-checksum-algorithm`) says which one was used.

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
        let engine = &base64::engine::general_purpose::STANDARD;
        match self {
            ChecksumAlgorithm::Crc32 => engine.encode(crc32fast::hash(body).to_be_bytes()),
            ChecksumAlgorithm::Crc32c => engine.encode(crc32c::crc32c(body).to_be_bytes()),
            ChecksumAlgorithm::Sha1 => engine.encode(sha1::Sha1::digest(body)),
            ChecksumAlgorithm::Sha256 => engine.encode(sha2::Sha256::digest(body)),
        }
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
    }
}
