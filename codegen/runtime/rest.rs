//! The rest-json wire protocol, as botocore speaks it: URI labels, query strings, headers and
//! bodies on the way out; status, headers, bodies and error codes on the way back. Generated code
//! calls these once per member, so each operation's (de)serializer reads like its HTTP binding.

use std::borrow::Cow;
use std::collections::HashMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::error::{BuildError, DecodeError, UnmodeledError};
use super::http::{HeaderMap, HeaderName, HeaderValue, HttpRequest, HttpResponse, Method};
use super::{DateTime, Document};

/// RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Greedy labels (`{Key+}`) keep their slashes.
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// How a timestamp is written in a URI, query string or header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimestampFormat {
    Iso8601,
    HttpDate,
    EpochSeconds,
}

/// A scalar as text, for labels, query strings and headers.
pub(crate) trait ToText {
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
pub(crate) fn timestamp_text(value: &DateTime, format: TimestampFormat) -> String {
    match format {
        TimestampFormat::Iso8601 => super::time::format_iso8601(value),
        TimestampFormat::HttpDate => super::time::format_http_date(value),
        TimestampFormat::EpochSeconds => super::time::epoch_seconds_text(value),
    }
}

/// A request under construction: path, query string, headers and body, before the endpoint.
#[derive(Debug)]
pub(crate) struct RequestBuilder {
    operation: &'static str,
    method: Method,
    host_prefix: String,
    path: String,
    /// Constant parameters from the request URI, already encoded.
    literal_query: Vec<String>,
    /// Member parameters by key, in first-set order. As in botocore, setting a key again (a
    /// query-bound map naming a member's key) replaces its values.
    query: Vec<(String, Vec<String>)>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RequestBuilder {
    pub(crate) fn new(operation: &'static str, method: Method) -> Self {
        RequestBuilder {
            operation,
            method,
            host_prefix: String::new(),
            path: String::new(),
            literal_query: Vec::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    fn error(&self, message: impl Into<String>) -> BuildError {
        BuildError::new(self.operation, message)
    }

    /// A literal piece of the request URI's path.
    pub(crate) fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// A `{Label}` of the path, percent-encoded; greedy labels keep `/`. A label must be set and
    /// not empty, or the request would go to another resource.
    pub(crate) fn label<T: ToText + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        greedy: bool,
    ) -> Result<(), BuildError> {
        let text = value.map(ToText::to_text);
        self.label_text(name, text.as_deref(), greedy)
    }

    pub(crate) fn label_timestamp(
        &mut self,
        name: &str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) -> Result<(), BuildError> {
        let text = value.map(|value| timestamp_text(value, format));
        self.label_text(name, text.as_deref(), false)
    }

    fn label_text(
        &mut self,
        name: &str,
        text: Option<&str>,
        greedy: bool,
    ) -> Result<(), BuildError> {
        match text {
            None => Err(self.error(format!("{name} is required (it is part of the URI)"))),
            Some("") => {
                Err(self.error(format!("{name} must not be empty (it is part of the URI)")))
            }
            Some(text) => {
                let set = if greedy {
                    UNRESERVED_AND_SLASH
                } else {
                    UNRESERVED
                };
                self.path.extend(utf8_percent_encode(text, set));
                Ok(())
            }
        }
    }

    /// A constant parameter of the request URI (`?type=abc&flag`), already in wire form.
    pub(crate) fn literal_query(&mut self, pair: &str) {
        self.literal_query.push(pair.to_owned());
    }

    /// Sets `key` to `values`, replacing what it had.
    fn set_query(&mut self, key: &str, values: Vec<String>) {
        match self.query.iter_mut().find(|(existing, _)| existing == key) {
            Some((_, existing)) => *existing = values,
            None => self.query.push((key.to_owned(), values)),
        }
    }

    pub(crate) fn query<T: ToText + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.set_query(key, vec![value.to_text().into_owned()]);
        }
    }

    /// Lists repeat the key once per item.
    pub(crate) fn query_list<T: ToText>(&mut self, key: &str, values: Option<&Vec<T>>) {
        if let Some(values) = values {
            let values = values
                .iter()
                .map(|value| value.to_text().into_owned())
                .collect();
            self.set_query(key, values);
        }
    }

    pub(crate) fn query_timestamp(
        &mut self,
        key: &str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) {
        if let Some(value) = value {
            self.set_query(key, vec![timestamp_text(value, format)]);
        }
    }

    pub(crate) fn query_timestamp_list(
        &mut self,
        key: &str,
        values: Option<&Vec<DateTime>>,
        format: TimestampFormat,
    ) {
        if let Some(values) = values {
            let values = values
                .iter()
                .map(|value| timestamp_text(value, format))
                .collect();
            self.set_query(key, values);
        }
    }

    /// A map bound to the query string: each entry is a parameter, in key order (a `HashMap`
    /// has none, and the request must be the same on every run).
    pub(crate) fn query_map<T: ToText>(&mut self, values: Option<&HashMap<String, T>>) {
        for (key, value) in sorted(values) {
            self.set_query(key, vec![value.to_text().into_owned()]);
        }
    }

    pub(crate) fn query_map_of_lists<T: ToText>(
        &mut self,
        values: Option<&HashMap<String, Vec<T>>>,
    ) {
        for (key, list) in sorted(values) {
            let list = list
                .iter()
                .map(|value| value.to_text().into_owned())
                .collect();
            self.set_query(key, list);
        }
    }

    fn header_text(&mut self, name: &'static str, text: &str) -> Result<(), BuildError> {
        let value = HeaderValue::from_bytes(text.as_bytes())
            .map_err(|_| self.error(format!("header {name} cannot hold the value given")))?;
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| self.error(format!("{name} is not a valid header name")))?;
        self.headers.append(name, value);
        Ok(())
    }

    pub(crate) fn header<T: ToText + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<(), BuildError> {
        match value {
            Some(value) => self.header_text(name, &value.to_text()),
            None => Ok(()),
        }
    }

    /// Lists are comma-separated; strings holding a comma or a quote are quoted.
    pub(crate) fn header_list<T: ToText>(
        &mut self,
        name: &'static str,
        values: Option<&Vec<T>>,
        quote_strings: bool,
    ) -> Result<(), BuildError> {
        let Some(values) = values else {
            return Ok(());
        };
        let items: Vec<Cow<'_, str>> = values
            .iter()
            .map(|value| {
                let text = value.to_text();
                if quote_strings && (text.contains(',') || text.contains('"')) {
                    Cow::Owned(format!(
                        "\"{}\"",
                        text.replace('\\', "\\\\").replace('"', "\\\"")
                    ))
                } else {
                    text
                }
            })
            .collect();
        self.header_text(name, &items.join(", "))
    }

    pub(crate) fn header_timestamp(
        &mut self,
        name: &'static str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) -> Result<(), BuildError> {
        match value {
            Some(value) => self.header_text(name, &timestamp_text(value, format)),
            None => Ok(()),
        }
    }

    pub(crate) fn header_timestamp_list(
        &mut self,
        name: &'static str,
        values: Option<&Vec<DateTime>>,
        format: TimestampFormat,
    ) -> Result<(), BuildError> {
        let Some(values) = values else {
            return Ok(());
        };
        let items: Vec<String> = values
            .iter()
            .map(|value| timestamp_text(value, format))
            .collect();
        self.header_text(name, &items.join(", "))
    }

    /// A `jsonvalue` header: the JSON text, base64-encoded.
    pub(crate) fn header_base64(
        &mut self,
        name: &'static str,
        value: Option<&String>,
    ) -> Result<(), BuildError> {
        use base64::Engine as _;
        match value {
            Some(value) => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(value);
                self.header_text(name, &encoded)
            }
            None => Ok(()),
        }
    }

    /// A map bound to headers that start with `prefix`.
    pub(crate) fn prefix_headers(
        &mut self,
        prefix: &str,
        values: Option<&HashMap<String, String>>,
    ) -> Result<(), BuildError> {
        for (key, value) in sorted(values) {
            let name = format!("{prefix}{key}").to_ascii_lowercase();
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| self.error(format!("{prefix}{key} is not a valid header name")))?;
            let value = HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
                self.error(format!("header {prefix}{key} cannot hold the value given"))
            })?;
            self.headers.append(name, value);
        }
        Ok(())
    }

    /// A label of the operation's host prefix (`{Name}.` in `hostPrefix`).
    pub(crate) fn host_prefix(&mut self, literal: &str) {
        self.host_prefix.push_str(literal);
    }

    pub(crate) fn host_label(
        &mut self,
        name: &str,
        value: Option<&String>,
    ) -> Result<(), BuildError> {
        match value.map(String::as_str) {
            Some(label)
                if !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') =>
            {
                self.host_prefix.push_str(label);
                Ok(())
            }
            Some(_) => Err(self.error(format!(
                "{name} must be a valid host label (letters, digits, '-' and '.')"
            ))),
            None => Err(self.error(format!("{name} is required (it is part of the host name)"))),
        }
    }

    /// A JSON body.
    pub(crate) fn json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
    ) -> Result<(), BuildError> {
        self.body = serde_json::to_vec(body).map_err(|error| self.error(error.to_string()))?;
        self.content_type("application/json");
        Ok(())
    }

    /// An empty JSON object: botocore sends one whenever the input has body members.
    pub(crate) fn empty_json_body(&mut self) {
        self.body = b"{}".to_vec();
        self.content_type("application/json");
    }

    /// A raw payload (a blob or string member bound to the body).
    pub(crate) fn raw_body(&mut self, body: Vec<u8>, content_type: &'static str) {
        self.body = body;
        self.content_type(content_type);
    }

    fn content_type(&mut self, content_type: &'static str) {
        if !self.headers.contains_key(::http::header::CONTENT_TYPE) {
            self.headers.insert(
                ::http::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            );
        }
    }

    /// The request, addressed to `endpoint` (`https://connect.us-east-1.amazonaws.com`, maybe
    /// with a path of its own).
    pub(crate) fn finish(mut self, endpoint: &str) -> HttpRequest {
        let endpoint = endpoint.trim_end_matches('/');
        let mut query = self.literal_query.join("&");
        for (key, values) in &self.query {
            for value in values {
                if !query.is_empty() {
                    query.push('&');
                }
                query.extend(utf8_percent_encode(key, UNRESERVED));
                query.push('=');
                query.extend(utf8_percent_encode(value, UNRESERVED));
            }
        }
        if !self.body.is_empty() {
            self.headers.insert(
                ::http::header::CONTENT_LENGTH,
                HeaderValue::from(self.body.len()),
            );
        }
        let mut uri = String::with_capacity(endpoint.len() + self.path.len() + query.len() + 1);
        match endpoint.split_once("://") {
            Some((scheme, rest)) if !self.host_prefix.is_empty() => {
                uri.push_str(scheme);
                uri.push_str("://");
                uri.push_str(&self.host_prefix);
                uri.push_str(rest);
            }
            _ => uri.push_str(endpoint),
        }
        uri.push_str(&self.path);
        if !query.is_empty() {
            uri.push('?');
            uri.push_str(&query);
        }
        HttpRequest {
            operation: self.operation,
            method: self.method,
            uri,
            headers: self.headers,
            body: self.body.into(),
        }
    }
}

fn sorted<T>(values: Option<&HashMap<String, T>>) -> Vec<(&String, &T)> {
    let mut entries: Vec<_> = values.into_iter().flatten().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// A fresh idempotency token: a random UUID, version 4.
pub(crate) fn idempotency_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

// ---- Responses ----

/// A JSON body, or the default value when the body is empty.
pub(crate) fn json_body<T: serde::de::DeserializeOwned + Default>(
    response: &HttpResponse,
) -> Result<T, DecodeError> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    from_json(response)
}

/// Reads the body as JSON. JSON text is UTF-8: the body is checked once, as a whole, so that
/// serde_json need not check each string in it again. serde_json stops at 128 levels of
/// nesting, so a hostile body cannot overflow the stack.
fn from_json<T: serde::de::DeserializeOwned>(response: &HttpResponse) -> Result<T, DecodeError> {
    let text = std::str::from_utf8(&response.body).map_err(|error| {
        DecodeError::new(response, format_args!("the body is not UTF-8: {error}"))
    })?;
    serde_json::from_str(text).map_err(|error| DecodeError::new(response, error))
}

/// The body of an error response: like [`json_body`], but a body that does not decode gives the
/// default value, so the error keeps its code and status.
pub(crate) fn error_json_body<T: serde::de::DeserializeOwned + Default>(
    response: &HttpResponse,
) -> T {
    json_body(response).unwrap_or_default()
}

/// A body bound to one member (`payload`) that is itself JSON: absent when the body is empty.
pub(crate) fn json_payload<T: serde::de::DeserializeOwned>(
    response: &HttpResponse,
) -> Result<Option<T>, DecodeError> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    from_json(response).map(Some)
}

pub(crate) fn blob_payload(response: &HttpResponse) -> Option<Vec<u8>> {
    (!response.body.is_empty()).then(|| response.body.to_vec())
}

pub(crate) fn string_payload(response: &HttpResponse) -> Result<Option<String>, DecodeError> {
    if response.body.is_empty() {
        return Ok(None);
    }
    String::from_utf8(response.body.to_vec())
        .map(Some)
        .map_err(|_| DecodeError::new(response, "the body is not UTF-8"))
}

/// A scalar parsed from text (headers).
pub(crate) trait FromText: Sized {
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

pub(crate) fn header<T: FromText>(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<T>, DecodeError> {
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

pub(crate) fn header_list<T: FromText>(
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

fn parse_timestamp(text: &str, format: TimestampFormat) -> Result<DateTime, String> {
    match format {
        TimestampFormat::HttpDate => super::time::parse_http_date(text).map_err(|e| e.to_string()),
        TimestampFormat::Iso8601 => super::time::parse_iso8601(text).map_err(|e| e.to_string()),
        TimestampFormat::EpochSeconds => super::time::parse_epoch_seconds(text)
            .ok_or_else(|| format!("{text:?} is not seconds since the epoch")),
    }
}

pub(crate) fn header_timestamp(
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
pub(crate) fn header_timestamp_list(
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
pub(crate) fn header_base64(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<String>, DecodeError> {
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

/// Every header starting with `prefix` (case-insensitively), keyed by the rest of its name.
pub(crate) fn prefix_headers(
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
    Ok((!map.is_empty()).then_some(map))
}

// ---- Errors ----

/// A response with this status is an error (botocore and smithy agree on 300 and up).
pub(crate) fn is_error(response: &HttpResponse) -> bool {
    response.status >= 300
}

/// The error code of an error response: `X-Amzn-ErrorType`, else the body's `__type` or
/// `code`, without a namespace (`aws.example#`) or a suffix after `:`.
pub(crate) fn error_code(
    response: &HttpResponse,
    body: Option<&serde_json::Map<String, Document>>,
) -> String {
    let raw = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| {
            let body = body?;
            ["__type", "code"]
                .iter()
                .find_map(|key| body.get(*key)?.as_str().map(str::to_owned))
        })
        .unwrap_or_default();
    sanitize_error_code(&raw).to_owned()
}

fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or_default();
    let code = code.rsplit('#').next().unwrap_or_default();
    code.trim()
}

/// The body of an error response as a JSON object, if it is one.
pub(crate) fn error_body(response: &HttpResponse) -> Option<serde_json::Map<String, Document>> {
    match serde_json::from_slice(&response.body) {
        Ok(Document::Object(map)) => Some(map),
        _ => None,
    }
}

/// The message of an error body (`message`, `Message` or `errorMessage`).
pub(crate) fn error_message(body: Option<&serde_json::Map<String, Document>>) -> Option<String> {
    let body = body?;
    ["message", "Message", "errorMessage"]
        .iter()
        .find_map(|key| body.get(*key)?.as_str().map(str::to_owned))
}

pub(crate) fn unmodeled(
    code: &str,
    response: &HttpResponse,
    body: Option<&serde_json::Map<String, Document>>,
) -> UnmodeledError {
    UnmodeledError {
        code: code.to_owned(),
        message: error_message(body),
        status: response.status,
        request_id: response.request_id().map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_lose_namespace_and_suffix() {
        assert_eq!(
            sanitize_error_code(
                "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"),
            "FooError"
        );
    }

    #[test]
    fn header_lists_respect_quotes() {
        assert_eq!(
            split_header_list(r#"a, "b,c", "d\"e""#),
            ["a", "b,c", "d\"e"]
        );
    }
}
