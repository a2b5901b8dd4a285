//! Event streams in responses (`application/vnd.amazon.eventstream`): a body that is a
//! sequence of binary messages, each an event, an exception or an error, read as they arrive
//! (Bedrock's `ConverseStream`, S3's `SelectObjectContent`, Kinesis's `SubscribeToShard`).
//!
//! The framing is AWS's event-stream encoding, as botocore's `eventstream.py` reads it: a
//! 12-byte prelude (total length, headers length, the prelude's CRC32), typed headers, the
//! payload, and the whole message's CRC32. It is small and fixed, so it is written here rather
//! than taken from `aws-smithy-eventstream`, which would bring smithy-rs's type system with it.
//! Every length is checked against botocore's limits and against the bytes that arrived before
//! anything is allocated or read, so a hostile stream gives a decode error, never a panic or an
//! allocation the size of a claimed length.
//!
//! A generated crate implements [`Event`] for each event-stream union: which member an event
//! names and how its payload decodes (in the protocol's format), and the enum of the exceptions
//! the union models. [`EventReceiver`] does the rest.

use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;

use crate::error::{DecodeError, Error, ErrorMeta, OperationError};
use crate::http::{HttpResponse, TransportError, TransportErrorKind};
use crate::stream::ByteStream;

/// Bytes of the prelude: total length, headers length, prelude CRC32.
const PRELUDE_LENGTH: usize = 12;
/// Bytes of a message around its headers and payload: the prelude and the message CRC32.
const FRAME_OVERHEAD: usize = PRELUDE_LENGTH + 4;
/// botocore's `_MAX_HEADERS_LENGTH`.
const MAX_HEADERS_LENGTH: usize = 128 * 1024;
/// botocore's `_MAX_PAYLOAD_LENGTH`.
const MAX_PAYLOAD_LENGTH: usize = 24 * 1024 * 1024;

/// The value of a message header, by its wire type (0 to 9).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderValue {
    /// Types 0 (true) and 1 (false).
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Short(i16),
    /// Type 4.
    Integer(i32),
    /// Type 5.
    Long(i64),
    /// Type 6.
    Bytes(Bytes),
    /// Type 7.
    String(String),
    /// Type 8: milliseconds since the epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

/// One message of an event stream: its headers in order and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    headers: Vec<(String, HeaderValue)>,
    payload: Bytes,
}

impl Message {
    /// A message of these headers and payload.
    pub fn new(headers: Vec<(String, HeaderValue)>, payload: impl Into<Bytes>) -> Self {
        Message {
            headers,
            payload: payload.into(),
        }
    }

    /// The headers, in the order they came.
    pub fn headers(&self) -> &[(String, HeaderValue)] {
        &self.headers
    }

    /// The value of header `name` (the last, if it came twice).
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// The value of header `name`, if it is a string.
    pub fn string_header(&self, name: &str) -> Option<&str> {
        match self.header(name) {
            Some(HeaderValue::String(value)) => Some(value),
            _ => None,
        }
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The message in its wire form, CRCs included: what a service sends, for test doubles.
    ///
    /// # Panics
    ///
    /// If a header name is longer than 255 bytes or a header value than 65,535 bytes, which the
    /// format cannot hold.
    pub fn encode(&self) -> Vec<u8> {
        let short =
            |length: usize| u16::try_from(length).expect("a header value of 64 KiB at most");
        let mut headers = Vec::new();
        for (name, value) in &self.headers {
            headers.push(u8::try_from(name.len()).expect("a header name of 255 bytes at most"));
            headers.extend_from_slice(name.as_bytes());
            match value {
                HeaderValue::Bool(true) => headers.push(0),
                HeaderValue::Bool(false) => headers.push(1),
                HeaderValue::Byte(value) => {
                    headers.push(2);
                    headers.extend_from_slice(&value.to_be_bytes());
                }
                HeaderValue::Short(value) => {
                    headers.push(3);
                    headers.extend_from_slice(&value.to_be_bytes());
                }
                HeaderValue::Integer(value) => {
                    headers.push(4);
                    headers.extend_from_slice(&value.to_be_bytes());
                }
                HeaderValue::Long(value) => {
                    headers.push(5);
                    headers.extend_from_slice(&value.to_be_bytes());
                }
                HeaderValue::Bytes(value) => {
                    headers.push(6);
                    headers.extend_from_slice(&short(value.len()).to_be_bytes());
                    headers.extend_from_slice(value);
                }
                HeaderValue::String(value) => {
                    headers.push(7);
                    headers.extend_from_slice(&short(value.len()).to_be_bytes());
                    headers.extend_from_slice(value.as_bytes());
                }
                HeaderValue::Timestamp(value) => {
                    headers.push(8);
                    headers.extend_from_slice(&value.to_be_bytes());
                }
                HeaderValue::Uuid(value) => {
                    headers.push(9);
                    headers.extend_from_slice(value);
                }
            }
        }
        let total = FRAME_OVERHEAD + headers.len() + self.payload.len();
        let mut message = Vec::with_capacity(total);
        message.extend_from_slice(&(total as u32).to_be_bytes());
        message.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32fast::hash(&message);
        message.extend_from_slice(&prelude_crc.to_be_bytes());
        message.extend_from_slice(&headers);
        message.extend_from_slice(&self.payload);
        let message_crc = crc32fast::hash(&message);
        message.extend_from_slice(&message_crc.to_be_bytes());
        message
    }
}

/// Why a message or its payload does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDecodeError {
    message: String,
}

impl EventDecodeError {
    /// A message that does not decode, for this reason.
    pub fn new(message: impl fmt::Display) -> Self {
        EventDecodeError {
            message: message.to_string(),
        }
    }
}

impl fmt::Display for EventDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EventDecodeError {}

/// Cuts messages out of the bytes of a stream as they arrive.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    /// Messages read so far, for error messages.
    count: usize,
}

impl MessageDecoder {
    /// A decoder that has seen nothing yet.
    pub fn new() -> Self {
        MessageDecoder::default()
    }

    /// Adds the next bytes of the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Bytes received that are not yet a whole message.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    /// The next whole message, if its bytes have all arrived.
    pub fn next_message(&mut self) -> Result<Option<Message>, EventDecodeError> {
        if self.buffer.len() < PRELUDE_LENGTH {
            return Ok(None);
        }
        let index = self.count;
        let fail = |what: String| EventDecodeError::new(format!("event message {index}: {what}"));
        let prelude = &self.buffer[..PRELUDE_LENGTH];
        let total = u32::from_be_bytes(prelude[0..4].try_into().expect("4 bytes")) as usize;
        let headers_length =
            u32::from_be_bytes(prelude[4..8].try_into().expect("4 bytes")) as usize;
        let prelude_crc = u32::from_be_bytes(prelude[8..12].try_into().expect("4 bytes"));
        let computed = crc32fast::hash(&prelude[..8]);
        if computed != prelude_crc {
            return Err(fail(format!(
                "prelude CRC32 mismatch: the message says {prelude_crc:#010x}, its bytes give \
                 {computed:#010x}"
            )));
        }
        if headers_length > MAX_HEADERS_LENGTH {
            return Err(fail(format!(
                "headers of {headers_length} bytes, more than the {MAX_HEADERS_LENGTH} allowed"
            )));
        }
        let Some(payload_length) = total
            .checked_sub(FRAME_OVERHEAD)
            .and_then(|rest| rest.checked_sub(headers_length))
        else {
            return Err(fail(format!(
                "a total length of {total} bytes cannot hold {headers_length} bytes of headers"
            )));
        };
        if payload_length > MAX_PAYLOAD_LENGTH {
            return Err(fail(format!(
                "a payload of {payload_length} bytes, more than the {MAX_PAYLOAD_LENGTH} allowed"
            )));
        }
        if self.buffer.len() < total {
            return Ok(None);
        }
        let frame = self.buffer.split_to(total).freeze();
        self.count += 1;
        let message_crc = u32::from_be_bytes(frame[total - 4..].try_into().expect("4 bytes"));
        let computed = crc32fast::hash(&frame[..total - 4]);
        if computed != message_crc {
            return Err(fail(format!(
                "message CRC32 mismatch: the message says {message_crc:#010x}, its bytes give \
                 {computed:#010x}"
            )));
        }
        let headers_end = PRELUDE_LENGTH + headers_length;
        let headers = read_headers(frame.slice(PRELUDE_LENGTH..headers_end)).map_err(fail)?;
        Ok(Some(Message {
            headers,
            payload: frame.slice(headers_end..total - 4),
        }))
    }
}

/// The headers of one message, from the bytes that hold exactly them.
fn read_headers(mut bytes: Bytes) -> Result<Vec<(String, HeaderValue)>, String> {
    fn take(bytes: &mut Bytes, length: usize, what: &str) -> Result<Bytes, String> {
        if bytes.remaining() < length {
            return Err(format!(
                "the headers end inside {what} ({length} bytes claimed, {} left)",
                bytes.remaining()
            ));
        }
        Ok(bytes.split_to(length))
    }
    fn array<const N: usize>(bytes: &mut Bytes, what: &str) -> Result<[u8; N], String> {
        let taken = take(bytes, N, what)?;
        Ok(taken[..].try_into().expect("N bytes"))
    }
    let mut headers = Vec::new();
    while bytes.has_remaining() {
        let [name_length] = array::<1>(&mut bytes, "a header name's length")?;
        let name = take(&mut bytes, usize::from(name_length), "a header name")?;
        let name = std::str::from_utf8(&name)
            .map_err(|_| "a header name is not UTF-8".to_owned())?
            .to_owned();
        let [kind] = array::<1>(&mut bytes, "a header type")?;
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes(array(&mut bytes, "a byte header")?)),
            3 => HeaderValue::Short(i16::from_be_bytes(array(&mut bytes, "a short header")?)),
            4 => HeaderValue::Integer(i32::from_be_bytes(array(&mut bytes, "an integer header")?)),
            5 => HeaderValue::Long(i64::from_be_bytes(array(&mut bytes, "a long header")?)),
            6 | 7 => {
                let length = u16::from_be_bytes(array(&mut bytes, "a header value's length")?);
                let value = take(&mut bytes, usize::from(length), "a header value")?;
                if kind == 6 {
                    HeaderValue::Bytes(value)
                } else {
                    let text = std::str::from_utf8(&value)
                        .map_err(|_| format!("header {name:?} is not UTF-8"))?;
                    HeaderValue::String(text.to_owned())
                }
            }
            8 => {
                HeaderValue::Timestamp(i64::from_be_bytes(array(&mut bytes, "a timestamp header")?))
            }
            9 => HeaderValue::Uuid(array(&mut bytes, "a UUID header")?),
            other => return Err(format!("header {name:?} has unknown type {other}")),
        };
        headers.push((name, value));
    }
    Ok(headers)
}

/// Implemented by each event-stream union of a generated crate: how a message becomes one of
/// its events, or one of the exceptions it models.
pub trait Event: Sized {
    /// The enum of the union's exception members, and `Unmodeled` for any other error.
    type Error: OperationError;

    /// The event a message of type `event_type` (the member's name) carries. A type the model
    /// does not list is kept as an unknown member, with its name.
    fn read_event(event_type: &str, message: &Message) -> Result<Self, EventDecodeError>;

    /// The exception a message of type `exception_type` (the member's name) carries; `meta`
    /// holds that name as its code, for an exception the union does not model.
    fn read_exception(
        exception_type: &str,
        message: &Message,
        meta: &ErrorMeta,
    ) -> Result<Self::Error, EventDecodeError>;

    /// An error the union does not model (a message of type `error`, or an unknown exception).
    fn unmodeled(meta: &ErrorMeta) -> Self::Error;
}

/// The events of a response, read as they arrive: [`recv`](Self::recv) them one by one, or
/// use the receiver as a [`Stream`].
///
/// An exception or error message ends the stream: it is returned as `Error::Service`, its
/// code the exception's member name (botocore's `EventStreamError`), and nothing is read
/// after it. The `initial-response` event of the JSON protocols is skipped, as botocore's
/// iteration skips it.
pub struct EventReceiver<T> {
    body: ByteStream,
    decoder: MessageDecoder,
    status: u16,
    request_id: Option<String>,
    /// The body has ended, or an error ended the stream.
    finished: bool,
    event: PhantomData<fn() -> T>,
}

impl<T: Event> EventReceiver<T> {
    /// The events of `response`, whose body is `body`, still arriving.
    pub fn new(response: &HttpResponse, body: ByteStream) -> Self {
        EventReceiver {
            body,
            decoder: MessageDecoder::new(),
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            finished: false,
            event: PhantomData,
        }
    }

    /// The events of a response read whole (a transport that does not stream, a test double).
    pub fn from_response(response: &HttpResponse) -> Self {
        EventReceiver::new(response, ByteStream::from_bytes(response.body.clone()))
    }

    /// The next event; `None` once the stream has ended.
    pub async fn recv(&mut self) -> Result<Option<T>, Error<T::Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Reads every event left, into a list (the stream's end is awaited).
    pub async fn collect(mut self) -> Result<Vec<T>, Error<T::Error>> {
        let mut events = Vec::new();
        while let Some(event) = self.recv().await? {
            events.push(event);
        }
        Ok(events)
    }

    fn decode_error(&self, message: impl fmt::Display) -> DecodeError {
        DecodeError {
            status: self.status,
            request_id: self.request_id.clone(),
            message: format!("event stream: {message}"),
        }
    }

    /// What one whole message is: an event, nothing (skipped), or the error that ends the
    /// stream.
    fn read(&self, message: &Message) -> Result<Option<T>, Error<T::Error>> {
        let decode = |error: EventDecodeError| Error::Decode(self.decode_error(error));
        let meta = |code: &str, text: Option<&str>| ErrorMeta {
            status: self.status,
            request_id: self.request_id.clone(),
            code: code.to_owned(),
            message: text.map(str::to_owned),
            ..ErrorMeta::default()
        };
        match message.string_header(":message-type") {
            Some("event") => match message.string_header(":event-type") {
                Some("initial-response") => Ok(None),
                Some(event_type) => T::read_event(event_type, message).map(Some).map_err(decode),
                None => Err(decode(EventDecodeError::new(
                    "an event without an :event-type header",
                ))),
            },
            Some("exception") => {
                let exception_type = message.string_header(":exception-type").unwrap_or_default();
                let mut meta = meta(exception_type, None);
                let error = T::read_exception(exception_type, message, &meta).map_err(decode)?;
                meta.message = error.message().map(str::to_owned);
                Err(Error::Service { error, meta })
            }
            Some("error") => {
                let meta = meta(
                    message.string_header(":error-code").unwrap_or_default(),
                    message.string_header(":error-message"),
                );
                Err(Error::Service {
                    error: T::unmodeled(&meta),
                    meta,
                })
            }
            Some(other) => Err(decode(EventDecodeError::new(format!(
                "unknown :message-type {other:?}"
            )))),
            None => Err(decode(EventDecodeError::new(
                "a message without a :message-type header",
            ))),
        }
    }
}

impl<T: Event> Stream for EventReceiver<T> {
    type Item = Result<T, Error<T::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.finished {
                return Poll::Ready(None);
            }
            match this.decoder.next_message() {
                Ok(Some(message)) => match this.read(&message) {
                    Ok(Some(event)) => return Poll::Ready(Some(Ok(event))),
                    Ok(None) => continue,
                    Err(error) => {
                        this.finished = true;
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                Ok(None) => {}
                Err(error) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(Error::Decode(this.decode_error(error)))));
                }
            }
            match Pin::new(&mut this.body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.decoder.push(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(body_error(error))));
                }
                Poll::Ready(None) => {
                    this.finished = true;
                    let pending = this.decoder.pending();
                    if pending > 0 {
                        let error = this.decode_error(format_args!(
                            "the body ended inside a message ({pending} bytes left over)"
                        ));
                        return Poll::Ready(Some(Err(Error::Decode(error))));
                    }
                    return Poll::Ready(None);
                }
            }
        }
    }
}

/// A body that broke off while being read: a time-out or a failed connection.
fn body_error<E>(error: io::Error) -> Error<E> {
    if error.kind() == io::ErrorKind::TimedOut {
        Error::Timeout(TransportError::new(TransportErrorKind::Timeout, error))
    } else {
        Error::Transport(TransportError::new(TransportErrorKind::Io, error))
    }
}

impl<T> Clone for EventReceiver<T> {
    /// A receiver of the same body from its start (see [`ByteStream`]'s `Clone`).
    fn clone(&self) -> Self {
        EventReceiver {
            body: self.body.clone(),
            decoder: MessageDecoder::new(),
            status: self.status,
            request_id: self.request_id.clone(),
            finished: false,
            event: PhantomData,
        }
    }
}

impl<T> Default for EventReceiver<T> {
    /// A stream with no events.
    fn default() -> Self {
        EventReceiver {
            body: ByteStream::default(),
            decoder: MessageDecoder::new(),
            status: 200,
            request_id: None,
            finished: false,
            event: PhantomData,
        }
    }
}

impl<T> PartialEq for EventReceiver<T> {
    /// Receivers compare by their bodies (see [`ByteStream`]'s `PartialEq`).
    fn eq(&self, other: &Self) -> bool {
        self.body == other.body
    }
}

impl<T> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("body", &self.body)
            .field("pending", &self.decoder.pending())
            .field("finished", &self.finished)
            .finish()
    }
}

/// Event streams have no botocore form the command line or `dynamic` calls could take or give.
#[cfg(feature = "dynamic")]
impl<T> crate::params::Params for EventReceiver<T> {
    fn from_params(
        _: &serde_json::Value,
        path: &crate::validate::Path<'_>,
    ) -> Result<Self, crate::params::ParamsError> {
        Err(crate::params::ParamsError {
            path: path.to_string(),
            message: "an event stream cannot be given as a parameter".to_owned(),
        })
    }

    fn to_params(&self, _: crate::params::ResultStyle) -> serde_json::Value {
        serde_json::Value::Null
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event_type: &str, payload: &str) -> Message {
        Message::new(
            vec![
                (":message-type".into(), HeaderValue::String("event".into())),
                (":event-type".into(), HeaderValue::String(event_type.into())),
                (
                    ":content-type".into(),
                    HeaderValue::String("application/json".into()),
                ),
            ],
            payload.as_bytes().to_vec(),
        )
    }

    #[test]
    fn messages_are_cut_from_any_split_of_the_bytes() {
        let messages = [event("a", "{\"x\":1}"), event("b", ""), event("c", "{}")];
        let wire: Vec<u8> = messages.iter().flat_map(Message::encode).collect();
        for step in [1, 3, 7, 16, wire.len()] {
            let mut decoder = MessageDecoder::new();
            let mut read = Vec::new();
            for chunk in wire.chunks(step) {
                decoder.push(chunk);
                while let Some(message) = decoder.next_message().unwrap() {
                    read.push(message);
                }
            }
            assert_eq!(read, messages, "chunks of {step}");
            assert_eq!(decoder.pending(), 0);
        }
    }

    #[test]
    fn every_header_type_round_trips() {
        let message = Message::new(
            vec![
                ("t".into(), HeaderValue::Bool(true)),
                ("f".into(), HeaderValue::Bool(false)),
                ("b".into(), HeaderValue::Byte(-3)),
                ("s".into(), HeaderValue::Short(-300)),
                ("i".into(), HeaderValue::Integer(70_000)),
                ("l".into(), HeaderValue::Long(-5_000_000_000)),
                (
                    "y".into(),
                    HeaderValue::Bytes(Bytes::from_static(b"\0\x01")),
                ),
                ("z".into(), HeaderValue::String("héllo".into())),
                ("m".into(), HeaderValue::Timestamp(1_700_000_000_123)),
                ("u".into(), HeaderValue::Uuid([7; 16])),
            ],
            b"payload".to_vec(),
        );
        let mut decoder = MessageDecoder::new();
        decoder.push(&message.encode());
        assert_eq!(decoder.next_message().unwrap(), Some(message));
    }

    /// botocore's `EMPTY_MESSAGE` (its `test_eventstream.py`); the CRCs checked with Python's
    /// `binascii.crc32`.
    #[test]
    fn an_empty_message_is_sixteen_bytes() {
        let wire = Message::new(Vec::new(), Vec::new()).encode();
        assert_eq!(
            wire,
            [
                0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98,
                0xc8, 0xff
            ]
        );
    }

    #[test]
    fn hostile_frames_are_decode_errors() {
        let good = event("a", "{}").encode();
        let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
        let mut prelude_crc = good.clone();
        prelude_crc[9] ^= 1;
        cases.push(("prelude CRC32", prelude_crc));
        let mut message_crc = good.clone();
        let last = message_crc.len() - 1;
        message_crc[last] ^= 1;
        cases.push(("message CRC32", message_crc));
        // A claimed length of 4 GB with a valid prelude CRC: refused before anything waits
        // for (or allocates) that much.
        let mut huge = Vec::new();
        huge.extend_from_slice(&u32::MAX.to_be_bytes());
        huge.extend_from_slice(&0u32.to_be_bytes());
        let crc = crc32fast::hash(&huge);
        huge.extend_from_slice(&crc.to_be_bytes());
        cases.push(("more than the", huge));
        let mut short = Vec::new();
        short.extend_from_slice(&20u32.to_be_bytes());
        short.extend_from_slice(&100u32.to_be_bytes());
        let crc = crc32fast::hash(&short);
        short.extend_from_slice(&crc.to_be_bytes());
        short.resize(20, 0);
        cases.push(("cannot hold", short));
        // Headers that claim a longer value than they hold, with both CRCs right.
        let mut headers = vec![1, b'x', 7, 0xff, 0xff, b'a'];
        let total = (FRAME_OVERHEAD + headers.len()) as u32;
        let mut frame = Vec::new();
        frame.extend_from_slice(&total.to_be_bytes());
        frame.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let crc = crc32fast::hash(&frame);
        frame.extend_from_slice(&crc.to_be_bytes());
        frame.append(&mut headers);
        let crc = crc32fast::hash(&frame);
        frame.extend_from_slice(&crc.to_be_bytes());
        cases.push(("the headers end inside", frame.clone()));
        let mut kind = frame;
        kind[PRELUDE_LENGTH + 2] = 42;
        let end = kind.len() - 4;
        let crc = crc32fast::hash(&kind[..end]);
        kind[end..].copy_from_slice(&crc.to_be_bytes());
        cases.push(("unknown type 42", kind));
        for (expected, bytes) in cases {
            let mut decoder = MessageDecoder::new();
            decoder.push(&bytes);
            let error = decoder.next_message().expect_err(expected);
            assert!(error.to_string().contains(expected), "{expected}: {error}");
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let mut bytes = Vec::new();
            for _ in 0..(state % 64) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                bytes.push(state as u8);
            }
            let mut decoder = MessageDecoder::new();
            decoder.push(&bytes);
            while let Ok(Some(_)) = decoder.next_message() {}
        }
    }
}
