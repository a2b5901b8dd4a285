//! The REST binding of members to the parts of an HTTP message, as botocore reads it: scalars
//! as text in labels, query strings and headers, header lists, prefix-header maps, and payloads
//! bound to the whole body. Shared by the REST protocols; the builder side is
//! [`RequestBuilder`](crate::request::RequestBuilder).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::DateTime;
use crate::error::DecodeError;
use crate::http::HttpResponse;

/// How a timestamp is written in a URI, query string or header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 (`2019-12-16T23:48:18Z`): the default in URIs and query strings.
    Iso8601,
    /// An HTTP date (`Mon, 16 Dec 2019 23:48:18 GMT`): the default in headers.
    HttpDate,
    /// Seconds since the epoch, with a fraction.
    EpochSeconds,
}

/// A scalar as text, for labels, query strings and headers.
pub trait ToText {
    /// The value's text.
    fn to_text(&self) -> Cow<'_, str>;
}

impl ToText for String {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToText for str {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToText for bool {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! integer_text {
    ($($ty:ty),*) => {$(
        impl ToText for $ty {
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
integer_text!(i32, i64);

impl ToText for f64 {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(float_text(*self))
    }
}

impl ToText for f32 {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(if self.is_finite() {
            self.to_string()
        } else {
            float_text(f64::from(*self))
        })
    }
}

fn float_text(value: f64) -> String {
    match value {
        v if v.is_nan() => "NaN".to_owned(),
        v if v == f64::INFINITY => "Infinity".to_owned(),
        v if v == f64::NEG_INFINITY => "-Infinity".to_owned(),
        v => v.to_string(),
    }
}

/// A timestamp in the format its location calls for.
pub fn timestamp_text(value: &DateTime, format: TimestampFormat) -> String {
    match format {
        TimestampFormat::Iso8601 => crate::time::format_iso8601(value),
        TimestampFormat::HttpDate => crate::time::format_http_date(value),
        TimestampFormat::EpochSeconds => crate::time::epoch_seconds_text(value),
    }
}

// ---- Responses ----

/// A `streaming` blob payload of a response read whole (an error path or a transport that does
/// not stream): the body as a [`ByteStream`](crate::ByteStream) of its bytes. Always set, even
/// when empty, as botocore always gives a streaming body.
pub fn stream_payload(response: &HttpResponse) -> Option<crate::ByteStream> {
    Some(crate::ByteStream::from_bytes(response.body.clone()))
}

/// A blob bound to the whole body: absent when the body is empty.
pub fn blob_payload(response: &HttpResponse) -> Option<Vec<u8>> {
    (!response.body.is_empty()).then(|| response.body.to_vec())
}

/// A string bound to the whole body: absent when the body is empty.
pub fn string_payload(response: &HttpResponse) -> Result<Option<String>, DecodeError> {
    if response.body.is_empty() {
        return Ok(None);
    }
    String::from_utf8(response.body.to_vec())
        .map(Some)
        .map_err(|_| DecodeError::new(response, "the body is not UTF-8"))
}

/// A scalar parsed from text (headers).
pub trait FromText: Sized {
    /// Parses the text, or says why it cannot.
    fn from_text(text: &str) -> Result<Self, String>;
}

impl FromText for String {
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

impl FromText for bool {
    fn from_text(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("{other:?} is not a boolean")),
        }
    }
}

macro_rules! number_from_text {
    ($($ty:ty),*) => {$(
        impl FromText for $ty {
            fn from_text(text: &str) -> Result<Self, String> {
                text.parse().map_err(|_| format!("{text:?} is not a {}", stringify!($ty)))
            }
        }
    )*};
}
number_from_text!(i32, i64);

impl FromText for f64 {
    fn from_text(text: &str) -> Result<Self, String> {
        match text {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => text
                .parse()
                .map_err(|_| format!("{text:?} is not a number")),
        }
    }
}

impl FromText for f32 {
    fn from_text(text: &str) -> Result<Self, String> {
        f64::from_text(text).map(|value| value as f32)
    }
}

fn header_str<'a>(response: &'a HttpResponse, name: &str) -> Result<Option<&'a str>, DecodeError> {
    match response.headers.get(name) {
        None => Ok(None),
        Some(value) => std::str::from_utf8(value.as_bytes())
            .map(|text| Some(text.trim()))
            .map_err(|_| DecodeError::new(response, format!("header {name} is not UTF-8"))),
    }
}

fn header_error(response: &HttpResponse, name: &str, message: String) -> DecodeError {
    DecodeError::new(response, format!("header {name}: {message}"))
}

/// A header bound to a member.
pub fn header<T: FromText>(response: &HttpResponse, name: &str) -> Result<Option<T>, DecodeError> {
    match header_str(response, name)? {
        None => Ok(None),
        Some(text) => T::from_text(text)
            .map(Some)
            .map_err(|message| header_error(response, name, message)),
    }
}

/// Splits a header list at commas outside double quotes, unquoting quoted items.
fn split_header_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => quoted = false,
            '"' if current.trim().is_empty() => {
                current.clear();
                quoted = true;
                was_quoted = true;
            }
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => {
                items.push(finish_item(&mut current, was_quoted));
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    items.push(finish_item(&mut current, was_quoted));
    items
}

fn finish_item(current: &mut String, was_quoted: bool) -> String {
    let item = if was_quoted {
        current.clone()
    } else {
        current.trim().to_owned()
    };
    current.clear();
    item
}

/// A comma-separated header bound to a list member.
pub fn header_list<T: FromText>(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<Vec<T>>, DecodeError> {
    let Some(text) = header_str(response, name)? else {
        return Ok(None);
    };
    split_header_list(text)
        .iter()
        .map(|item| T::from_text(item).map_err(|message| header_error(response, name, message)))
        .collect::<Result<Vec<T>, _>>()
        .map(Some)
}

/// A timestamp header in the model's format, or failing that any form botocore reads.
fn parse_timestamp(text: &str, format: TimestampFormat) -> Result<DateTime, String> {
    let declared = match format {
        TimestampFormat::HttpDate => crate::time::parse_http_date(text).map_err(|e| e.to_string()),
        TimestampFormat::Iso8601 => crate::time::parse_iso8601(text).map_err(|e| e.to_string()),
        TimestampFormat::EpochSeconds => crate::time::parse_epoch_seconds(text)
            .ok_or_else(|| format!("{text:?} is not seconds since the epoch")),
    };
    declared.or_else(|message| crate::time::parse_any_timestamp(text).ok_or(message))
}

/// A timestamp header.
pub fn header_timestamp(
    response: &HttpResponse,
    name: &str,
    format: TimestampFormat,
) -> Result<Option<DateTime>, DecodeError> {
    match header_str(response, name)? {
        None => Ok(None),
        Some(text) => parse_timestamp(text, format)
            .map(Some)
            .map_err(|message| header_error(response, name, message)),
    }
}

/// HTTP dates contain a comma themselves (`Mon, 16 Dec 2019 23:48:18 GMT`), so a list of them
/// is split at every second comma.
pub fn header_timestamp_list(
    response: &HttpResponse,
    name: &str,
    format: TimestampFormat,
) -> Result<Option<Vec<DateTime>>, DecodeError> {
    let Some(text) = header_str(response, name)? else {
        return Ok(None);
    };
    let pieces: Vec<&str> = text.split(',').map(str::trim).collect();
    let items: Vec<String> = if format == TimestampFormat::HttpDate {
        pieces.chunks(2).map(|pair| pair.join(", ")).collect()
    } else {
        pieces.iter().map(|piece| (*piece).to_owned()).collect()
    };
    items
        .iter()
        .map(|item| {
            parse_timestamp(item, format).map_err(|message| header_error(response, name, message))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A `jsonvalue` header: base64 of JSON text.
pub fn header_base64(response: &HttpResponse, name: &str) -> Result<Option<String>, DecodeError> {
    use base64::Engine as _;
    let Some(text) = header_str(response, name)? else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|error| header_error(response, name, format!("invalid base64: {error}")))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| header_error(response, name, "the decoded value is not UTF-8".to_owned()))
}

/// Every header starting with `prefix` (case-insensitively), keyed by the rest of its name; an
/// empty map when there is none, as botocore reads it.
pub fn prefix_headers(
    response: &HttpResponse,
    prefix: &str,
) -> Result<Option<HashMap<String, String>>, DecodeError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut map = HashMap::new();
    for (name, value) in &response.headers {
        if let Some(key) = name.as_str().strip_prefix(&prefix) {
            let value = std::str::from_utf8(value.as_bytes())
                .map_err(|_| DecodeError::new(response, format!("header {name} is not UTF-8")))?;
            map.insert(key.to_owned(), value.to_owned());
        }
    }
    Ok(Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_respect_quotes() {
        assert_eq!(
            split_header_list(r#"a, "b,c", "d\"e""#),
            ["a", "b,c", "d\"e"]
        );
    }
}
