//! Bodies too large to hold whole: a `streaming` blob member (S3's `PutObject` and `GetObject`
//! bodies) is a [`ByteStream`], sent and received chunk by chunk.
//!
//! A request body can be bytes in memory, a region of a file (opened when it is sent, so a
//! retry sends it again) or any async reader (sent once: a request that needs it again fails
//! instead of sending something else). A response body arrives from the transport as it is
//! read; the caller collects it, streams it to a writer or a file, or polls it as a `Stream`.

use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use tokio::io::{AsyncRead, AsyncSeekExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};

/// The size of the chunks read from files and readers.
const CHUNK: usize = 64 * 1024;

/// Chunks of a body, as a transport hands them over.
pub type Chunks = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// What a body is fed to, piece by piece in order: a checksum or hash being computed
/// ([`ByteStream::digest`]).
pub trait Digest: Send + 'static {
    /// Feeds the next piece of the body.
    fn update(&mut self, piece: &[u8]);
}

impl Digest for crate::checksum::RunningChecksum {
    fn update(&mut self, piece: &[u8]) {
        crate::checksum::RunningChecksum::update(self, piece);
    }
}

impl Digest for crate::glacier::UploadHashes {
    fn update(&mut self, piece: &[u8]) {
        crate::glacier::UploadHashes::update(self, piece);
    }
}

impl Digest for sha2::Sha256 {
    fn update(&mut self, piece: &[u8]) {
        sha2::Digest::update(self, piece);
    }
}

/// A body read or sent chunk by chunk.
pub struct ByteStream {
    source: Source,
    state: State,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// `length` bytes of the file at `path` from `offset`, opened when read.
    File {
        path: Arc<PathBuf>,
        offset: u64,
        length: u64,
    },
    /// Chunks that can be read once: a reader the caller gave, or a response body. Clones
    /// share them; the first to read takes them.
    Once {
        chunks: Arc<Mutex<Option<Chunks>>>,
        length: Option<u64>,
    },
}

enum State {
    Start,
    Opening(Pin<Box<dyn Future<Output = io::Result<Chunks>> + Send>>),
    Reading(Chunks),
    Done,
}

impl ByteStream {
    /// A body held in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        ByteStream::with_source(Source::Bytes(bytes.into()))
    }

    fn with_source(source: Source) -> Self {
        ByteStream {
            source,
            state: State::Start,
        }
    }

    /// The whole file at `path`, read as it is sent (and read again by a retry).
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_owned();
        let length = tokio::fs::metadata(&path).await?.len();
        Ok(ByteStream::from_file_region(path, 0, length))
    }

    /// `length` bytes of the file at `path` from `offset`: one part of a multipart upload.
    pub fn from_file_region(path: impl Into<PathBuf>, offset: u64, length: u64) -> Self {
        ByteStream::with_source(Source::File {
            path: Arc::new(path.into()),
            offset,
            length,
        })
    }

    /// Whatever `reader` yields, sent once; `length`, when known, is sent as the body's
    /// `Content-Length` (S3 needs one for `PutObject`).
    pub fn from_reader(reader: impl AsyncRead + Send + 'static, length: Option<u64>) -> Self {
        ByteStream::from_chunks(Box::pin(ReaderChunks::new(reader)), length)
    }

    /// Chunks read once (a transport's response body); `length` if the sender stated it.
    pub fn from_chunks(chunks: Chunks, length: Option<u64>) -> Self {
        ByteStream::with_source(Source::Once {
            chunks: Arc::new(Mutex::new(Some(chunks))),
            length,
        })
    }

    /// The body's length, when it is known before reading it.
    pub fn length(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::File { length, .. } => Some(*length),
            Source::Once { length, .. } => *length,
        }
    }

    /// The checksum of the whole body, read for it chunk by chunk (never held whole): bytes
    /// and files, which a clone reads again from the start; `None` for a reader, which can be
    /// read only once.
    pub fn checksum(
        &self,
        algorithm: crate::checksum::ChecksumAlgorithm,
    ) -> impl Future<Output = Option<io::Result<String>>> + Send + 'static {
        let digest = self.digest(algorithm.start());
        async move {
            digest
                .await
                .map(|result| result.map(|running| running.finish()))
        }
    }

    /// `digest` fed the whole body, read for it as [`checksum`](Self::checksum) reads it;
    /// `None` for a reader.
    ///
    /// The future owns its clone: one borrowing `self` would not be `Send`, a stream not
    /// being `Sync`.
    pub fn digest<D: Digest>(
        &self,
        mut digest: D,
    ) -> impl Future<Output = Option<io::Result<D>>> + Send + 'static {
        let copy = match self.source {
            Source::Once { .. } => None,
            _ => Some(self.clone()),
        };
        async move {
            let mut copy = copy?;
            while let Some(chunk) = next_chunk(&mut copy).await {
                match chunk {
                    Ok(chunk) => digest.update(&chunk),
                    Err(error) => return Some(Err(error)),
                }
            }
            Some(Ok(digest))
        }
    }

    /// The bytes, when the body is held in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The body can be sent again (a retry): it is in memory or in a file.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Once { .. })
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> io::Result<Bytes> {
        if let (Source::Bytes(bytes), State::Start) = (&self.source, &self.state) {
            return Ok(bytes.clone());
        }
        let mut whole = Vec::with_capacity(self.length().unwrap_or(0).min(64 << 20) as usize);
        while let Some(chunk) = next_chunk(&mut self).await {
            whole.extend_from_slice(&chunk?);
        }
        Ok(whole.into())
    }

    /// Writes the body to `writer` as it arrives, holding one chunk at a time; the number of
    /// bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(
        mut self,
        writer: &mut W,
    ) -> io::Result<u64> {
        let mut written = 0;
        while let Some(chunk) = next_chunk(&mut self).await {
            let chunk = chunk?;
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Writes the body to a new file at `path` (replacing one that is there).
    pub async fn write_to_file(self, path: impl AsRef<Path>) -> io::Result<u64> {
        let mut file = tokio::fs::File::create(path).await?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await?;
        Ok(written)
    }

    fn open(&self) -> io::Result<State> {
        Ok(match &self.source {
            Source::Bytes(bytes) => {
                let bytes = bytes.clone();
                State::Reading(Box::pin(Once(Some(bytes))))
            }
            Source::File {
                path,
                offset,
                length,
            } => {
                let (path, offset, length) = (path.clone(), *offset, *length);
                State::Opening(Box::pin(async move {
                    let mut file = tokio::fs::File::open(&*path).await?;
                    file.seek(io::SeekFrom::Start(offset)).await?;
                    let region = tokio::io::AsyncReadExt::take(file, length);
                    Ok(Box::pin(ReaderChunks::new(region)) as Chunks)
                }))
            }
            Source::Once { chunks, .. } => {
                let taken = chunks
                    .lock()
                    .unwrap_or_else(|poison| poison.into_inner())
                    .take();
                match taken {
                    Some(chunks) => State::Reading(chunks),
                    None => {
                        return Err(io::Error::other(
                            "this body was read already; a body from a reader is sent once",
                        ));
                    }
                }
            }
        })
    }
}

fn next_chunk(stream: &mut ByteStream) -> impl Future<Output = Option<io::Result<Bytes>>> + '_ {
    std::future::poll_fn(move |cx| Pin::new(&mut *stream).poll_next(cx))
}

impl Stream for ByteStream {
    type Item = io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Start => match this.open() {
                    Ok(state) => this.state = state,
                    Err(error) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                State::Opening(opening) => match opening.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(chunks)) => this.state = State::Reading(chunks),
                    Poll::Ready(Err(error)) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                State::Reading(chunks) => {
                    return match chunks.as_mut().poll_next(cx) {
                        Poll::Ready(None) => {
                            this.state = State::Done;
                            Poll::Ready(None)
                        }
                        // Empty chunks say nothing; a transport may still hand them over.
                        Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                        other => other,
                    };
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl Clone for ByteStream {
    /// The same body, read from its start: bytes and files again, a reader's chunks by
    /// whichever clone reads first.
    fn clone(&self) -> Self {
        ByteStream::with_source(self.source.clone())
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::from_bytes(Bytes::new())
    }
}

impl PartialEq for ByteStream {
    /// Bodies in memory compare by their bytes, files by their region, others by identity.
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (
                Source::File {
                    path: a,
                    offset: o,
                    length: l,
                },
                Source::File {
                    path: b,
                    offset: p,
                    length: m,
                },
            ) => a == b && o == p && l == m,
            (Source::Once { chunks: a, .. }, Source::Once { chunks: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.source {
            Source::Bytes(_) => "bytes",
            Source::File { .. } => "file",
            Source::Once { .. } => "stream",
        };
        f.debug_struct("ByteStream")
            .field("source", &kind)
            .field("length", &self.length())
            .finish()
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream::from_bytes(bytes)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::from_bytes(bytes)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::from_bytes(text)
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream::from_bytes(bytes)
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream::from_bytes(text)
    }
}

/// One chunk, then the end.
struct Once(Option<Bytes>);

impl Stream for Once {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().map(Ok))
    }
}

/// An async reader as chunks of up to [`CHUNK`] bytes.
struct ReaderChunks<R> {
    reader: Pin<Box<R>>,
    done: bool,
}

impl<R: AsyncRead> ReaderChunks<R> {
    fn new(reader: R) -> Self {
        ReaderChunks {
            reader: Box::pin(reader),
            done: false,
        }
    }
}

impl<R: AsyncRead> Stream for ReaderChunks<R> {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let mut buffer = vec![0; CHUNK];
        let mut read = ReadBuf::new(&mut buffer);
        match self.reader.as_mut().poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(error)) => {
                self.done = true;
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(Ok(())) => {
                let filled = read.filled().len();
                if filled == 0 {
                    self.done = true;
                    return Poll::Ready(None);
                }
                buffer.truncate(filled);
                Poll::Ready(Some(Ok(Bytes::from(buffer))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn bytes_files_and_readers() {
        let bytes = ByteStream::from("hello");
        assert_eq!(bytes.length(), Some(5));
        assert_eq!(bytes.clone().collect().await.unwrap(), "hello");

        let dir = std::env::temp_dir().join(format!("bytestream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("body");
        let content: Vec<u8> = (0..200_000u32).map(|n| n as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let file = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(file.length(), Some(200_000));
        assert!(file.is_replayable());
        assert_eq!(file.clone().collect().await.unwrap(), content);
        assert_eq!(file.collect().await.unwrap(), content, "read again");
        let region = ByteStream::from_file_region(&path, 10, 100);
        assert_eq!(region.collect().await.unwrap(), content[10..110]);

        let reader = ByteStream::from_reader(std::io::Cursor::new(content.clone()), None);
        let copy = reader.clone();
        let out = dir.join("out");
        assert_eq!(reader.write_to_file(&out).await.unwrap(), 200_000);
        assert_eq!(std::fs::read(&out).unwrap(), content);
        let again = copy.collect().await.expect_err("a reader is read once");
        assert!(again.to_string().contains("read already"), "{again}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
