//! The `aws-chunked` content encoding with an unsigned trailer
//! (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`): how botocore and the SDKs send
//! a flexible checksum of a streamed body over HTTPS without reading the body twice. Each piece
//! goes as `{length in hex}\r\n{bytes}\r\n`; after the last, `0\r\n`, the checksum as a
//! trailing header (`x-amz-checksum-crc32:{base64}`) and `\r\n\r\n`, as botocore's
//! `AwsChunkedWrapper` writes it. Written here, not taken from a crate: it is twenty lines of
//! framing, and smithy-rs's `aws-smithy-http` would bring its body types with it.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{BufMut as _, Bytes, BytesMut};
use futures_core::Stream;

use crate::ByteStream;
use crate::checksum::{ChecksumAlgorithm, RunningChecksum};
use crate::http::{HeaderName, HeaderValue, HttpRequest};
use ::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, TRANSFER_ENCODING};

/// The payload hash a request with this encoding is signed with.
pub(crate) const UNSIGNED_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The fewest bytes a piece other than the last carries: S3 refuses pieces under 8 KiB, and a
/// reader may hand over far smaller ones, which are gathered up to this.
const PIECE: usize = 64 * 1024;

/// Sets the headers that say `request`'s body is encoded with `algorithm`'s checksum trailing
/// it, as botocore's `_apply_request_trailer_checksum` sets them: `aws-chunked` added to its
/// content encoding, the trailer's name, the length before encoding when it is known, and
/// chunked transfer in place of a `Content-Length`, which the encoding changes.
pub(crate) fn set_headers(request: &mut HttpRequest, algorithm: ChecksumAlgorithm) {
    let headers = &mut request.headers;
    let encoding = match headers.get(CONTENT_ENCODING).map(HeaderValue::to_str) {
        Some(Ok(existing)) if !existing.is_empty() => {
            HeaderValue::from_str(&format!("{existing},aws-chunked"))
                .expect("a header value and a token")
        }
        _ => HeaderValue::from_static("aws-chunked"),
    };
    headers.insert(CONTENT_ENCODING, encoding);
    headers.insert(
        HeaderName::from_static("x-amz-trailer"),
        HeaderValue::from_static(algorithm.header()),
    );
    let stated = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    let length = request
        .body_stream
        .as_ref()
        .and_then(ByteStream::length)
        .or(stated);
    if let Some(length) = length {
        headers.insert(
            HeaderName::from_static("x-amz-decoded-content-length"),
            HeaderValue::from(length),
        );
    }
    headers.remove(CONTENT_LENGTH);
    headers.insert(TRANSFER_ENCODING, HeaderValue::from_static("chunked"));
}

/// `body` encoded, its `algorithm` checksum trailing it. Made once per attempt from a fresh
/// clone of the body, so a retry sends it again from its start.
pub(crate) fn encode(body: ByteStream, algorithm: ChecksumAlgorithm) -> ByteStream {
    let encoder = Encoder {
        body,
        checksum: Some(algorithm.start()),
        header: algorithm.header(),
        gathered: BytesMut::new(),
    };
    ByteStream::from_chunks(Box::pin(encoder), None)
}

/// The body's length once encoded in pieces of these lengths, for tests that check framing.
#[cfg(test)]
fn encoded_length(pieces: &[usize], trailer: &str) -> usize {
    let framed: usize = pieces
        .iter()
        .map(|piece| format!("{piece:x}").len() + 2 + piece + 2)
        .sum();
    framed + "0\r\n".len() + trailer.len() + "\r\n\r\n".len()
}

struct Encoder {
    body: ByteStream,
    /// `None` once the trailer is out.
    checksum: Option<RunningChecksum>,
    header: &'static str,
    /// Bytes held back until there are enough for a piece.
    gathered: BytesMut,
}

impl Encoder {
    fn frame(&mut self, piece: &[u8]) -> Bytes {
        if let Some(checksum) = &mut self.checksum {
            checksum.update(piece);
        }
        let length = format!("{:x}\r\n", piece.len());
        let mut framed = BytesMut::with_capacity(length.len() + piece.len() + 2);
        framed.put_slice(length.as_bytes());
        framed.put_slice(piece);
        framed.put_slice(b"\r\n");
        framed.freeze()
    }

    /// The last piece (what is gathered, if anything) and the trailer.
    fn finish(&mut self) -> Bytes {
        let rest = std::mem::take(&mut self.gathered);
        let mut tail = BytesMut::new();
        if !rest.is_empty() {
            tail.put_slice(&self.frame(&rest));
        }
        let checksum = self.checksum.take().map(RunningChecksum::finish);
        tail.put_slice(b"0\r\n");
        tail.put_slice(self.header.as_bytes());
        tail.put_u8(b':');
        tail.put_slice(checksum.unwrap_or_default().as_bytes());
        tail.put_slice(b"\r\n\r\n");
        tail.freeze()
    }
}

impl Stream for Encoder {
    type Item = io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.checksum.is_none() {
            return Poll::Ready(None);
        }
        loop {
            match Pin::new(&mut this.body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(error))) => {
                    this.checksum = None;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => return Poll::Ready(Some(Ok(this.finish()))),
                // A piece large enough on its own goes as it came, not copied into the
                // gathered bytes.
                Poll::Ready(Some(Ok(chunk)))
                    if this.gathered.is_empty() && chunk.len() >= PIECE =>
                {
                    return Poll::Ready(Some(Ok(this.frame(&chunk))));
                }
                Poll::Ready(Some(Ok(chunk))) => {
                    this.gathered.extend_from_slice(&chunk);
                    if this.gathered.len() >= PIECE {
                        let piece = std::mem::take(&mut this.gathered);
                        return Poll::Ready(Some(Ok(this.frame(&piece))));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body handed over in these pieces, as a reader hands them over.
    struct Pieces(std::vec::IntoIter<io::Result<Bytes>>);

    impl Stream for Pieces {
        type Item = io::Result<Bytes>;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next())
        }
    }

    fn chunks(pieces: Vec<io::Result<Bytes>>) -> ByteStream {
        ByteStream::from_chunks(Box::pin(Pieces(pieces.into_iter())), None)
    }

    /// Reads an encoded body back: its pieces and its trailer.
    fn decode(mut encoded: &[u8]) -> (Vec<Vec<u8>>, String) {
        let mut pieces = Vec::new();
        loop {
            let end = encoded
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("a length line");
            let length =
                usize::from_str_radix(std::str::from_utf8(&encoded[..end]).unwrap(), 16).unwrap();
            encoded = &encoded[end + 2..];
            if length == 0 {
                let trailer = std::str::from_utf8(encoded).expect("a text trailer");
                let trailer = trailer.strip_suffix("\r\n\r\n").expect("the end");
                return (pieces, trailer.to_owned());
            }
            pieces.push(encoded[..length].to_vec());
            assert_eq!(&encoded[length..length + 2], b"\r\n");
            encoded = &encoded[length + 2..];
        }
    }

    #[tokio::test]
    async fn small_pieces_are_gathered_and_the_checksum_trails_them() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
        // A reader's small pieces, a large one, then small ones again.
        let piece = |bytes: &[u8]| Ok(Bytes::copy_from_slice(bytes));
        let mut pieces: Vec<_> = data[..30_000].chunks(1000).map(piece).collect();
        pieces.push(piece(&data[30_000..130_000]));
        pieces.extend(data[130_000..].chunks(7000).map(piece));
        let encoded = encode(chunks(pieces), ChecksumAlgorithm::Crc32)
            .collect()
            .await
            .unwrap();
        let (sent, trailer) = decode(&encoded);
        assert_eq!(sent.concat(), data);
        let sizes: Vec<usize> = sent.iter().map(Vec::len).collect();
        // Thirty pieces of 1,000 and the 100,000 after them gathered into one; then ten of
        // 7,000 gathered into another, which reaches 64 KiB with the tenth.
        assert_eq!(sizes, [130_000, 70_000]);
        let expected = ChecksumAlgorithm::Crc32.checksum(&data);
        assert_eq!(trailer, format!("x-amz-checksum-crc32:{expected}"));
        assert_eq!(encoded.len(), encoded_length(&sizes, &trailer));
    }

    #[tokio::test]
    async fn an_empty_body_is_the_trailer_alone_and_a_clone_encodes_again() {
        let body = ByteStream::from_bytes(Bytes::new());
        let encoded = encode(body.clone(), ChecksumAlgorithm::Sha256)
            .collect()
            .await
            .unwrap();
        // SHA-256 of nothing, in base64 (Python: `base64.b64encode(hashlib.sha256(b"").digest())`).
        assert_eq!(
            &encoded[..],
            b"0\r\nx-amz-checksum-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n"
        );
        let again = encode(body, ChecksumAlgorithm::Sha256)
            .collect()
            .await
            .unwrap();
        assert_eq!(encoded, again);
    }

    #[tokio::test]
    async fn a_failing_body_fails_the_encoding() {
        let body = chunks(vec![
            Ok(Bytes::from_static(b"abc")),
            Err(io::Error::other("disk gone")),
        ]);
        let error = encode(body, ChecksumAlgorithm::Crc32)
            .collect()
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "disk gone");
    }
}
