//! S3 Glacier's upload hashes, which botocore's `add_glacier_checksums` adds to UploadArchive
//! and UploadMultipartPart: `x-amz-content-sha256`, the SHA-256 of the body (which the request
//! is then signed with), and `x-amz-sha256-tree-hash`, the root of the tree of SHA-256 hashes
//! of the body's 1 MiB pieces, which Glacier keeps as the archive's checksum.
//!
//! Glacier's other needs are the generated code's: the `x-amz-glacier-version` header on every
//! request, and the account id `-` (the caller's account) when the caller gives none.

use sha2::{Digest as _, Sha256};

use crate::http::{HeaderName, HeaderValue, HttpRequest};

/// The header carrying the body's SHA-256, in hex.
pub(crate) const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// The header carrying the body's tree hash, in hex.
pub(crate) const TREE_HASH: &str = "x-amz-sha256-tree-hash";

/// The size of the pieces whose hashes are the tree's leaves.
const PIECE: usize = 1024 * 1024;

/// Both hashes of a body, fed piece by piece in order (a body read as a stream is never held
/// whole), then [`finish`](Self::finish)ed.
#[derive(Clone, Default)]
pub struct UploadHashes {
    whole: Sha256,
    /// The hash of the 1 MiB piece being read, and how much of it has been.
    piece: Sha256,
    piece_len: usize,
    /// The hashes of the pieces read whole.
    leaves: Vec<[u8; 32]>,
}

impl UploadHashes {
    /// Feeds the next bytes of the body.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.whole.update(bytes);
        while !bytes.is_empty() {
            let take = bytes.len().min(PIECE - self.piece_len);
            self.piece.update(&bytes[..take]);
            self.piece_len += take;
            bytes = &bytes[take..];
            if self.piece_len == PIECE {
                self.end_piece();
            }
        }
    }

    fn end_piece(&mut self) {
        self.leaves.push(self.piece.finalize_reset().into());
        self.piece_len = 0;
    }

    /// The body's SHA-256 and its tree hash, both in hex. An empty body's tree hash is the
    /// SHA-256 of nothing, as botocore's `calculate_tree_hash` gives it.
    pub fn finish(mut self) -> (String, String) {
        if self.piece_len > 0 || self.leaves.is_empty() {
            self.end_piece();
        }
        let mut level = self.leaves;
        // Each level hashes its hashes in pairs; an odd one out goes up as it is.
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair {
                    [left, right] => Sha256::new()
                        .chain_update(left)
                        .chain_update(right)
                        .finalize()
                        .into(),
                    [single] => *single,
                    _ => unreachable!("chunks of two"),
                })
                .collect();
        }
        (hex::encode(self.whole.finalize()), hex::encode(level[0]))
    }

    /// Both hashes of a body held whole.
    pub fn of(body: &[u8]) -> (String, String) {
        let mut hashes = UploadHashes::default();
        hashes.update(body);
        hashes.finish()
    }
}

impl std::fmt::Debug for UploadHashes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UploadHashes")
    }
}

/// Sets the hashes' headers, each unless the caller gave it (the tree hash is the input's
/// `checksum` member), as `add_glacier_checksums` does.
pub(crate) fn set_headers(request: &mut HttpRequest, (whole, tree): (String, String)) {
    for (name, value) in [(CONTENT_SHA256, whole), (TREE_HASH, tree)] {
        let name = HeaderName::from_static(name);
        if !request.headers.contains_key(&name) {
            let value = HeaderValue::from_str(&value).expect("hex is a valid header value");
            request.headers.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashes botocore 1.44.8 gives (`botocore.utils.calculate_tree_hash` and
    /// `calculate_sha256` over `bytes(i % 251 for i in range(n))`), for bodies of no piece, part
    /// of one, exactly one, three (an odd one out) and six (an odd one out a level up).
    #[test]
    fn hashes_equal_botocore_s() {
        let body = |len: usize| (0..len).map(|i| (i % 251) as u8).collect::<Vec<u8>>();
        let cases: &[(usize, &str, &str)] = &[
            (
                0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                1000,
                "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d",
                "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d",
            ),
            (
                PIECE,
                "631b84027d6b9e52b539c4e8373622d23032dfadc64d60af87339c9037e4f769",
                "631b84027d6b9e52b539c4e8373622d23032dfadc64d60af87339c9037e4f769",
            ),
            (
                2 * PIECE + 1,
                "72bcf8fa6c73c0a650f5c83f47e54290ba2fe60ac6cb0d8fe5b0a41dd57a0844",
                "3123aa01ebcf47b74ddc6f0efd82c0e6680203b476c4d20c26a0c60a5b4a8181",
            ),
            (
                5 * PIECE + 7,
                "d711f6eaa60f8a7f09186ff7fdf7d182b7e58dce9fce38b1e070ef085c0a7b27",
                "39119a173a11e05648146d51f35437d6960dcfe76ddd40b818dce8fedcef76e3",
            ),
        ];
        for &(len, whole, tree) in cases {
            let expected = (whole.to_owned(), tree.to_owned());
            assert_eq!(UploadHashes::of(&body(len)), expected, "{len} bytes whole");
            // Fed in pieces that straddle the 1 MiB boundaries.
            let mut hashes = UploadHashes::default();
            for piece in body(len).chunks(64 * 1024 + 3) {
                hashes.update(piece);
            }
            assert_eq!(hashes.finish(), expected, "{len} bytes in pieces");
        }
    }
}
