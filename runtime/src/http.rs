//! HTTP as the client sees it: a request ready to sign and send, the response that came back,
//! and the [`Transport`] that carries one to the other. The transport is a trait so that tests
//! and users can plug in their own (an in-memory fake, a proxy, another HTTP stack).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub use ::bytes::Bytes;
pub use ::http::{HeaderMap, HeaderName, HeaderValue, Method};

/// A boxed future, as [`Transport::send`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request, serialized and ready to sign.
///
/// `Debug` shows the operation, the method and the header names, never the URI, the header
/// values or the body: all three may carry sensitive members.
#[derive(Clone)]
pub struct HttpRequest {
    /// The model's name for the operation, for logs and errors.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The full URL: endpoint, path and query string, percent-encoded.
    pub uri: String,
    /// The headers, signing headers included once signed.
    pub headers: HeaderMap,
    /// `Bytes`, so that each retry's copy of the request shares one body.
    pub body: Bytes,
    /// A body too large to hold (a `streaming` blob: S3's `PutObject`), sent chunk by chunk
    /// in place of `body`, which is then empty. It is signed as `UNSIGNED-PAYLOAD`, its hash
    /// where the body can be read ahead for it, or `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.
    pub body_stream: Option<crate::ByteStream>,
    /// A flexible checksum of `body_stream` still to compute: the client trails it over HTTPS
    /// or reads the stream ahead for it over plain HTTP.
    pub stream_checksum: Option<crate::checksum::StreamChecksum>,
    /// Glacier's upload hashes of the body ([`crate::glacier`]) are still to compute: the
    /// client adds them before the first attempt, reading a streamed body once for them.
    pub upload_hashes: bool,
}

impl HttpRequest {
    /// Reads a streamed body into `body`, for a transport that sends bodies whole.
    pub async fn collect_body(&mut self) -> std::io::Result<()> {
        if let Some(stream) = self.body_stream.take() {
            self.body = stream.collect().await?;
        }
        Ok(())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("uri", &crate::Redacted)
            .field("headers", &HeaderNames(&self.headers))
            .field("body", &format_args!("{} bytes", self.body.len()))
            .field("body_stream", &self.body_stream)
            .field("stream_checksum", &self.stream_checksum)
            .field("upload_hashes", &self.upload_hashes)
            .finish()
    }
}

/// A response whose body is still arriving: the status and headers (in `head`, whose `body`
/// is empty) and the body as a stream.
#[derive(Debug)]
pub struct StreamingResponse {
    /// The status and headers.
    pub head: HttpResponse,
    /// The body, read as it arrives.
    pub body: crate::ByteStream,
}

impl From<HttpResponse> for StreamingResponse {
    /// A response received whole, handed over as a stream of its one chunk.
    fn from(mut response: HttpResponse) -> Self {
        let body = crate::ByteStream::from_bytes(std::mem::take(&mut response.body));
        StreamingResponse {
            head: response,
            body,
        }
    }
}

/// A response as the transport received it.
///
/// `Debug` shows the status and header names, not the values or the body.
#[derive(Clone)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// `Bytes`, as HTTP stacks hand bodies over: taken without a copy, and a canned response
    /// (a test double, a mock) is cloned without copying its body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// The first value of header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The request id AWS returns in `x-amzn-RequestId` (or `x-amz-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &HeaderNames(&self.headers))
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

struct HeaderNames<'a>(&'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// Sends a signed request and returns the response, whatever its status.
///
/// Implementations report failures to connect, time-outs and I/O errors as [`TransportError`];
/// an HTTP error status is a response, not a transport error.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and waits for the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Sends `request` and returns as soon as the status and headers are in, with the body to
    /// read as it arrives (a streaming output: S3's `GetObject`). The default waits for the
    /// whole response ([`send`](Self::send)); a transport that can stream overrides it.
    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move { self.send(request).await.map(StreamingResponse::from) })
    }
}

/// What kind of transport failure happened; the client retries all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS handshake).
    Connect,
    /// The connect or read timeout expired.
    Timeout,
    /// The connection failed while sending or receiving.
    Io,
    /// Anything else the transport reports.
    Other,
}

/// A failure below HTTP: no response was received.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// A failure of this kind, caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::Other => "transport failed",
        };
        // The whole chain: reqwest's own message is often only "error sending request".
        write!(f, "{what}: {}", self.source)?;
        let mut source = self.source.source();
        while let Some(error) = source {
            write!(f, ": {error}")?;
            source = error.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// Connect and read time-outs of the default transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time to establish a connection (AWS CLI default: 60 s).
    pub connect: Duration,
    /// Time to wait for each read of the response (AWS CLI default: 60 s).
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(60),
            read: Duration::from_secs(60),
        }
    }
}

/// The default transport: `reqwest` with rustls.
#[cfg(feature = "rustls")]
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: ::reqwest::Client,
}

#[cfg(feature = "rustls")]
impl ReqwestTransport {
    /// A connection pool with these time-outs.
    pub fn new(timeouts: Timeouts) -> Result<Self, TransportError> {
        let client = ::reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .build()
            .map_err(|error| TransportError::new(TransportErrorKind::Other, error))?;
        Ok(ReqwestTransport { client })
    }

    /// Wraps a `reqwest::Client` configured by the caller.
    pub fn from_client(client: ::reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

#[cfg(feature = "rustls")]
impl ReqwestTransport {
    /// Sends the request (its body streamed when it is a stream) and returns the response
    /// with its headers in.
    async fn start(&self, request: HttpRequest) -> Result<::reqwest::Response, TransportError> {
        let body = match request.body_stream {
            Some(stream) => ::reqwest::Body::wrap_stream(stream),
            None => ::reqwest::Body::from(request.body),
        };
        self.client
            .request(request.method, &request.uri)
            .headers(request.headers)
            .body(body)
            .send()
            .await
            .map_err(classify)
    }
}

#[cfg(feature = "rustls")]
fn classify(error: ::reqwest::Error) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_request() || error.is_body() || error.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    TransportError::new(kind, error)
}

#[cfg(feature = "rustls")]
impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let response = self.start(request).await?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(classify)?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let response = self.start(request).await?;
            let head = HttpResponse {
                status: response.status().as_u16(),
                headers: response.headers().clone(),
                body: Bytes::new(),
            };
            let length = response.content_length();
            let chunks = ResponseChunks(Box::pin(response.bytes_stream()));
            Ok(StreamingResponse {
                head,
                body: crate::ByteStream::from_chunks(Box::pin(chunks), length),
            })
        })
    }
}

/// reqwest's body chunks, their errors as I/O errors (as a `ByteStream` carries them).
#[cfg(feature = "rustls")]
struct ResponseChunks(
    Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, ::reqwest::Error>> + Send>>,
);

#[cfg(feature = "rustls")]
impl futures_core::Stream for ResponseChunks {
    type Item = std::io::Result<Bytes>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|chunk| {
            chunk.map(|chunk| chunk.map_err(|error| std::io::Error::other(classify(error))))
        })
    }
}
