//! A request under construction: the method, the path with its labels, the query string, the
//! headers, the body and the host prefix, before the endpoint is known. Every protocol builds
//! its requests here; the REST protocols bind members to each part, the RPC protocols set a
//! few headers and a body.

use std::borrow::Cow;
use std::collections::HashMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::DateTime;
use crate::checksum::{ChecksumAlgorithm, StreamChecksum};
use crate::error::BuildError;
use crate::http::{HeaderMap, HeaderName, HeaderValue, HttpRequest, Method};
use crate::rest::{TimestampFormat, ToText, timestamp_text};

/// RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The content type of the query and ec2 protocols' form bodies.
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Greedy labels (`{Key+}`) keep their slashes.
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// A request under construction: path, query string, headers and body, before the endpoint.
#[derive(Debug)]
pub struct RequestBuilder {
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
    /// A streamed body, sent in place of `body`.
    body_stream: Option<crate::ByteStream>,
    /// The S3 bucket the path starts with, which [`finish`](Self::finish) may move into the
    /// host name.
    bucket: Option<String>,
    /// Move a DNS-compatible bucket into the host name (S3's virtual-hosted addressing).
    virtual_host: bool,
    /// The checksum to compute over the finished body.
    checksum: Option<RequestChecksum>,
    /// The body is form pairs (query, ec2), which a presigned request carries in its URL.
    form_body: bool,
    /// The request will be presigned, not sent: see [`presigned`](Self::presigned).
    presigned: bool,
    /// A GET goes as a POST with its query string as a form body:
    /// see [`query_as_form_body`](Self::query_as_form_body).
    query_as_form: bool,
    /// Glacier's upload hashes: see [`upload_hashes`](Self::upload_hashes).
    upload_hashes: bool,
}

/// A flexible checksum [`RequestBuilder::finish`] computes.
#[derive(Debug, Clone, Copy)]
struct RequestChecksum {
    algorithm: ChecksumAlgorithm,
    /// The header of the input's algorithm member, told the algorithm used.
    algorithm_header: Option<&'static str>,
    /// The caller chose the algorithm.
    chosen: bool,
}

impl RequestBuilder {
    /// A request of `operation` (the model's name, for errors and logs) with `method`.
    pub fn new(operation: &'static str, method: Method) -> Self {
        RequestBuilder {
            operation,
            method,
            host_prefix: String::new(),
            path: String::new(),
            literal_query: Vec::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Vec::new(),
            body_stream: None,
            bucket: None,
            virtual_host: false,
            checksum: None,
            form_body: false,
            presigned: false,
            query_as_form: false,
            upload_hashes: false,
        }
    }

    /// The request is to be presigned, not sent, so [`finish`](Self::finish) shapes it as
    /// botocore's `generate_presigned_url` does: no checksum is computed over a body that
    /// whoever uses the URL sends (botocore adds none, not even the default CRC32), and a form
    /// body (query, ec2) moves into the query string, without its content type, so that the URL
    /// alone makes the call.
    pub fn presigned(&mut self) {
        self.presigned = true;
    }

    /// Sends a GET with a query string as a POST whose form body is that query string, as
    /// botocore's `change_get_to_post` sends CloudSearch Domain's Search, whose query may be
    /// longer than a URL can be. A presigned request stays a GET.
    pub fn query_as_form_body(&mut self) {
        self.query_as_form = true;
    }

    /// Glacier's UploadArchive and UploadMultipartPart: the body's SHA-256 and tree hash go
    /// in `x-amz-content-sha256` and `x-amz-sha256-tree-hash` (unless a member set them), and
    /// the request is signed with the first, as botocore's `add_glacier_checksums` sends them
    /// ([`crate::glacier`]). The client computes them before the first attempt, reading a
    /// streamed body once for them.
    pub fn upload_hashes(&mut self) {
        self.upload_hashes = true;
    }

    /// The S3 bucket the request's path starts with (`/{Bucket}/...`).
    pub fn bucket(&mut self, bucket: Option<&str>) {
        self.bucket = bucket.map(str::to_owned);
    }

    /// The S3 bucket the request is for, if [`bucket`](Self::bucket) named one.
    pub fn bucket_name(&self) -> Option<&str> {
        self.bucket.as_deref()
    }

    /// Addresses the bucket (if it is a DNS-compatible name) as a host name,
    /// `https://bucket.s3.<region>.amazonaws.com/key`, instead of as the path's first segment.
    pub fn virtual_host(&mut self) {
        self.virtual_host = true;
    }

    /// A flexible checksum of the body (`httpChecksum`, `httpChecksumRequired`): of the
    /// algorithm the input names, else CRC32, as botocore's default `when_supported` sends it
    /// for every operation that requires or supports one. `algorithm_header` is the algorithm
    /// member's header (`x-amz-sdk-checksum-algorithm`), told the algorithm used.
    ///
    /// Called after the members are bound to headers: a checksum the caller gave in any
    /// `x-amz-checksum-*` header is sent as given and nothing is added beside it, whatever the
    /// algorithm (botocore's `has_checksum_header`), so even one this client does not compute
    /// (`CRC64NVME`) goes through when its value is given.
    pub fn request_checksum(
        &mut self,
        chosen: Option<&str>,
        algorithm_header: Option<&'static str>,
    ) -> Result<(), BuildError> {
        if self
            .headers
            .keys()
            .any(|name| is_checksum_header(name.as_str()))
        {
            self.checksum = None;
            return Ok(());
        }
        let algorithm = match chosen {
            Some(name) => ChecksumAlgorithm::from_name(name).ok_or_else(|| {
                self.error(format!(
                    "the checksum algorithm {name:?} is not one this client computes (CRC32, CRC32C, SHA1, SHA256, CRC64NVME); compute it and set its checksum member"
                ))
            })?,
            None => ChecksumAlgorithm::Crc32,
        };
        self.checksum = Some(RequestChecksum {
            algorithm,
            algorithm_header,
            chosen: chosen.is_some(),
        });
        Ok(())
    }

    fn error(&self, message: impl Into<String>) -> BuildError {
        BuildError::new(self.operation, message)
    }

    /// A literal piece of the request URI's path.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// A `{Label}` of the path, percent-encoded; greedy labels keep `/`. A label must be set and
    /// not empty, or the request would go to another resource.
    pub fn label<T: ToText + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        greedy: bool,
    ) -> Result<(), BuildError> {
        let text = value.map(ToText::to_text);
        self.label_text(name, text.as_deref(), greedy)
    }

    /// A timestamp `{Label}` of the path.
    pub fn label_timestamp(
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
    pub fn literal_query(&mut self, pair: &str) {
        self.literal_query.push(pair.to_owned());
    }

    /// Sets `key` to `values`, replacing what it had.
    fn set_query(&mut self, key: &str, values: Vec<String>) {
        match self.query.iter_mut().find(|(existing, _)| existing == key) {
            Some((_, existing)) => *existing = values,
            None => self.query.push((key.to_owned(), values)),
        }
    }

    /// A query parameter, when the member is set.
    pub fn query<T: ToText + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.set_query(key, vec![value.to_text().into_owned()]);
        }
    }

    /// Lists repeat the key once per item.
    pub fn query_list<T: ToText>(&mut self, key: &str, values: Option<&Vec<T>>) {
        if let Some(values) = values {
            let values = values
                .iter()
                .map(|value| value.to_text().into_owned())
                .collect();
            self.set_query(key, values);
        }
    }

    /// A timestamp query parameter.
    pub fn query_timestamp(
        &mut self,
        key: &str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) {
        if let Some(value) = value {
            self.set_query(key, vec![timestamp_text(value, format)]);
        }
    }

    /// A list of timestamps as a repeated query parameter.
    pub fn query_timestamp_list(
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
    pub fn query_map<T: ToText>(&mut self, values: Option<&HashMap<String, T>>) {
        for (key, value) in sorted(values) {
            self.set_query(key, vec![value.to_text().into_owned()]);
        }
    }

    /// A map of lists bound to the query string: each key repeated once per value.
    pub fn query_map_of_lists<T: ToText>(&mut self, values: Option<&HashMap<String, Vec<T>>>) {
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

    /// A header, when the member is set.
    pub fn header<T: ToText + ?Sized>(
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
    pub fn header_list<T: ToText>(
        &mut self,
        name: &'static str,
        values: Option<&Vec<T>>,
        quote_strings: bool,
    ) -> Result<(), BuildError> {
        // An empty list sets no header, as botocore leaves it out.
        let Some(values) = values.filter(|values| !values.is_empty()) else {
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

    /// A timestamp header.
    pub fn header_timestamp(
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

    /// A list of timestamps as one comma-separated header.
    pub fn header_timestamp_list(
        &mut self,
        name: &'static str,
        values: Option<&Vec<DateTime>>,
        format: TimestampFormat,
    ) -> Result<(), BuildError> {
        let Some(values) = values.filter(|values| !values.is_empty()) else {
            return Ok(());
        };
        let items: Vec<String> = values
            .iter()
            .map(|value| timestamp_text(value, format))
            .collect();
        self.header_text(name, &items.join(", "))
    }

    /// A `jsonvalue` header: the JSON text, base64-encoded.
    pub fn header_base64(
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

    /// A map bound to headers that start with `prefix` (S3's `Metadata`, `x-amz-meta-`). A key
    /// or value with characters other than ASCII is refused, as botocore's
    /// `validate_ascii_metadata` refuses it: a header cannot carry them faithfully, and one
    /// that is not ASCII cannot be signed, which S3 answers with an error about the signature.
    pub fn prefix_headers(
        &mut self,
        prefix: &str,
        values: Option<&HashMap<String, String>>,
    ) -> Result<(), BuildError> {
        for (key, value) in sorted(values) {
            if !(key.is_ascii() && value.is_ascii()) {
                return Err(self.error(format!(
                    "non-ASCII characters in the {prefix} header of key {key:?}, value {value:?}: \
                     such headers (S3's metadata) can only hold ASCII characters"
                )));
            }
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
    pub fn host_prefix(&mut self, literal: &str) {
        self.host_prefix.push_str(literal);
    }

    /// Leaves the host prefix out (`Config::inject_host_prefix(false)`); its labels were still
    /// checked.
    pub(crate) fn drop_host_prefix(&mut self) {
        self.host_prefix.clear();
    }

    /// A `{Label}` of the host prefix: a member's value, which must be a valid host label.
    pub fn host_label(&mut self, name: &str, value: Option<&String>) -> Result<(), BuildError> {
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

    /// A JSON body (rest-json's `application/json`).
    pub fn json_body<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), BuildError> {
        self.body = crate::json::to_body(self.operation, body)?;
        self.content_type("application/json");
        Ok(())
    }

    /// An empty JSON object: botocore sends one whenever the input has body members.
    pub fn empty_json_body(&mut self) {
        self.body = b"{}".to_vec();
        self.content_type("application/json");
    }

    /// A body sent without a content type unless a member sets one, as botocore sends rest-xml
    /// payloads (S3 then stores objects as `binary/octet-stream`, its own default).
    pub fn raw_body(&mut self, body: Vec<u8>) {
        self.body = body;
    }

    /// A `streaming` blob payload, sent as it is read (unless it is bytes in memory, sent as
    /// any body), with `content_type` unless a member set one (rest-xml sends none); its
    /// length (when known) is the `Content-Length`, which S3 requires.
    pub fn stream_body(&mut self, body: crate::ByteStream, content_type: Option<&'static str>) {
        if let Some(content_type) = content_type {
            self.content_type(content_type);
        }
        // Bytes already in memory go as an ordinary body: signed, and checksummed.
        if let Some(bytes) = body.as_bytes() {
            self.body = bytes.to_vec();
            self.body_stream = None;
            return;
        }
        if let Some(length) = body.length() {
            self.headers
                .insert(::http::header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        self.body.clear();
        self.body_stream = Some(body);
    }

    /// An XML document (rest-xml), without a content type, as botocore sends it.
    pub fn xml_body(&mut self, body: Vec<u8>) {
        self.body = body;
    }

    /// The body, with its content type unless a member set one.
    pub fn body(&mut self, body: Vec<u8>, content_type: &'static str) {
        self.body = body;
        self.content_type(content_type);
    }

    /// A form body (query, ec2: `Action=...&Version=...&...`, percent-encoded pairs), sent as
    /// `application/x-www-form-urlencoded`; a presigned request carries the pairs in its URL.
    pub fn form_body(&mut self, body: Vec<u8>) {
        self.body(body, FORM_CONTENT_TYPE);
        self.form_body = true;
    }

    /// Adds a pair to the form body (`&key=value`, percent-encoded) that no member of the
    /// input holds: RDS's `DestinationRegion` in a presigned source-region URL.
    pub(crate) fn form_pair(&mut self, key: &str, value: &str) {
        for (separator, part) in [("&", key), ("=", value)] {
            self.body.extend_from_slice(separator.as_bytes());
            self.body
                .extend(utf8_percent_encode(part, UNRESERVED).flat_map(str::bytes));
        }
    }

    /// Sets a header unless a member set it (API Gateway's `Accept`).
    pub fn default_header(&mut self, name: &'static str, value: &'static str) {
        let name = HeaderName::from_static(name);
        if !self.headers.contains_key(&name) {
            self.headers.insert(name, HeaderValue::from_static(value));
        }
    }

    /// Sets a header the protocol fixes (`X-Amz-Target`), replacing any value it had.
    pub fn set_header(&mut self, name: &'static str, value: HeaderValue) {
        self.headers.insert(HeaderName::from_static(name), value);
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
    pub fn finish(mut self, endpoint: &str) -> HttpRequest {
        let endpoint = endpoint.trim_end_matches('/');
        if self.presigned {
            self.checksum = None;
        }
        // A form body moves into the URL, after its parameters, as botocore's `SigV4QueryAuth`
        // moves it.
        let form_pairs = self.take_presigned_form();
        // A streamed body's checksum is the client's to give, as the scheme allows
        // (`HttpRequest::stream_checksum`); a body in memory gets its header here.
        let mut stream_checksum = None;
        if let Some(RequestChecksum {
            algorithm,
            algorithm_header,
            chosen,
        }) = self.checksum
        {
            if self.body_stream.is_some() {
                stream_checksum = Some(StreamChecksum {
                    algorithm,
                    algorithm_header,
                    chosen,
                });
            } else {
                if let Some(header) = algorithm_header {
                    self.set_header(header, HeaderValue::from_static(algorithm.name()));
                }
                let value = HeaderValue::from_str(&algorithm.checksum(&self.body))
                    .expect("base64 is a valid header value");
                self.set_header(algorithm.header(), value);
            }
        }
        if self.virtual_host {
            self.move_bucket_to_host();
        }
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
        if let Some(pairs) = form_pairs.filter(|pairs| !pairs.is_empty()) {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&pairs);
        }
        if self.query_as_form && !self.presigned && self.method == Method::GET && !query.is_empty()
        {
            self.method = Method::POST;
            self.body = std::mem::take(&mut query).into_bytes();
            self.headers.insert(
                ::http::header::CONTENT_TYPE,
                HeaderValue::from_static(FORM_CONTENT_TYPE),
            );
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
            body_stream: self.body_stream,
            stream_checksum,
            upload_hashes: self.upload_hashes && !self.presigned,
        }
    }
}

impl RequestBuilder {
    /// A presigned form request's pairs (already percent-encoded, as a query string wants
    /// them), taken out of the body with its content type, so that only `host` is signed beside
    /// them; `None` when the request is not one.
    fn take_presigned_form(&mut self) -> Option<String> {
        if !(self.presigned && self.form_body) {
            return None;
        }
        let pairs = std::str::from_utf8(&self.body).ok()?.to_owned();
        self.body.clear();
        // `form_body` set it.
        self.headers.remove(::http::header::CONTENT_TYPE);
        Some(pairs)
    }

    /// Virtual-hosted addressing: `/{bucket}/key` becomes `/key` on host `{bucket}.` + the
    /// endpoint's, when the bucket name can be a host label under TLS.
    fn move_bucket_to_host(&mut self) {
        let Some(bucket) = self.bucket.as_deref() else {
            return;
        };
        if !crate::s3::is_virtual_hostable(bucket) {
            return;
        }
        // A DNS-compatible name needs no percent-encoding: the path starts with it verbatim.
        let Some(rest) = self
            .path
            .strip_prefix('/')
            .and_then(|path| path.strip_prefix(bucket))
        else {
            return;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return;
        }
        let rest = if rest.is_empty() { "/" } else { rest };
        self.path = rest.to_owned();
        self.host_prefix = format!("{bucket}.{}", self.host_prefix);
    }
}

/// `x-amz-checksum-<algorithm>`, a checksum of the body, as botocore's
/// `CHECKSUM_HEADER_PATTERN` matches it (header names here are lowercase).
fn is_checksum_header(name: &str) -> bool {
    name.strip_prefix("x-amz-checksum-")
        .is_some_and(|algorithm| {
            algorithm
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())
        })
}

fn sorted<T>(values: Option<&HashMap<String, T>>) -> Vec<(&String, &T)> {
    let mut entries: Vec<_> = values.into_iter().flatten().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// Keeps what follows the last `/`: Route 53 takes ids (`Z123`) where its answers give paths
/// (`/hostedzone/Z123`), and botocore's `fix_route53_ids` lets either be passed.
pub fn keep_last_segment(value: &mut String) {
    if let Some(slash) = value.rfind('/') {
        value.drain(..=slash);
    }
}

/// A fresh idempotency token: a random UUID, version 4.
pub fn idempotency_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty list bound to a header sets no header (botocore leaves it out); a list of
    /// one empty string still sends the header.
    #[test]
    fn empty_header_lists_are_left_out() {
        let mut builder = RequestBuilder::new("Op", crate::http::Method::GET);
        builder.path("/");
        builder
            .header_list::<String>("x-list", Some(&Vec::new()), true)
            .unwrap();
        builder
            .header_timestamp_list("x-times", Some(&Vec::new()), TimestampFormat::HttpDate)
            .unwrap();
        builder
            .header_list("x-one", Some(&vec![String::new()]), true)
            .unwrap();
        let request = builder.finish("https://example.com");
        assert!(request.headers.get("x-list").is_none());
        assert!(request.headers.get("x-times").is_none());
        assert_eq!(
            request.headers.get("x-one").map(|value| value.as_bytes()),
            Some(&b""[..])
        );
    }

    /// Metadata that is not ASCII is refused before anything is sent, naming the key, as
    /// botocore's `validate_ascii_metadata` refuses it.
    #[test]
    fn prefix_headers_hold_only_ascii() {
        let metadata = |key: &str, value: &str| {
            let mut builder = RequestBuilder::new("PutObject", crate::http::Method::PUT);
            let values = HashMap::from([(key.to_owned(), value.to_owned())]);
            builder
                .prefix_headers("x-amz-meta-", Some(&values))
                .map(|()| builder)
        };
        let request = metadata("Colour", "blue")
            .unwrap()
            .finish("https://example.com");
        assert_eq!(request.headers["x-amz-meta-colour"], "blue");
        for (key, value) in [("colour", "bleu clair é"), ("café", "blue")] {
            let error = metadata(key, value).unwrap_err().to_string();
            assert!(
                error.contains("non-ASCII") && error.contains(key),
                "{error}"
            );
        }
    }

    #[test]
    fn route53_ids_keep_their_last_segment() {
        for (given, kept) in [
            ("/hostedzone/Z123", "Z123"),
            ("Z123", "Z123"),
            ("/change/C1", "C1"),
            ("a/b/", ""),
        ] {
            let mut value = given.to_owned();
            keep_last_segment(&mut value);
            assert_eq!(value, kept, "{given}");
        }
    }

    /// CloudSearch Domain's Search, as botocore's `change_get_to_post` sends it: the query
    /// string becomes a form body of a POST; presigned, it stays a GET.
    #[test]
    fn a_get_can_go_as_a_post_with_its_query_as_form() {
        let search = |presigned: bool| {
            let mut request = RequestBuilder::new("Search", Method::GET);
            request.path("/2013-01-01/search");
            request.literal_query("format=sdk");
            request.literal_query("pretty=true");
            request.query("q", Some("star wars & more"));
            request.query_as_form_body();
            if presigned {
                request.presigned();
            }
            request.finish("https://search-movies.us-east-1.cloudsearch.amazonaws.com")
        };
        let sent = search(false);
        assert_eq!(sent.method, Method::POST);
        assert_eq!(
            sent.uri,
            "https://search-movies.us-east-1.cloudsearch.amazonaws.com/2013-01-01/search"
        );
        assert_eq!(
            &sent.body[..],
            b"format=sdk&pretty=true&q=star%20wars%20%26%20more"
        );
        assert_eq!(
            sent.headers.get(::http::header::CONTENT_TYPE).unwrap(),
            FORM_CONTENT_TYPE
        );
        assert_eq!(
            sent.headers.get(::http::header::CONTENT_LENGTH).unwrap(),
            "49"
        );
        let presigned = search(true);
        assert_eq!(presigned.method, Method::GET);
        assert!(
            presigned
                .uri
                .ends_with("/2013-01-01/search?format=sdk&pretty=true&q=star%20wars%20%26%20more")
        );
        assert!(presigned.body.is_empty());
    }

    const ALGORITHM_HEADER: &str = "x-amz-sdk-checksum-algorithm";

    /// An S3 PutObject of `body` as the generated code builds it: the caller's checksum members
    /// bound to headers first, then the flexible checksum.
    fn put_object(body: &[u8], members: &[(&'static str, &str)]) -> RequestBuilder {
        let mut request = RequestBuilder::new("PutObject", Method::PUT);
        request.path("/bucket/key");
        for (name, value) in members {
            request.header(name, Some(*value)).unwrap();
        }
        let chosen = members
            .iter()
            .find(|(name, _)| *name == ALGORITHM_HEADER)
            .map(|(_, value)| *value);
        request
            .request_checksum(chosen, Some(ALGORITHM_HEADER))
            .unwrap();
        request.raw_body(body.to_vec());
        request
    }

    fn checksum_headers(request: &HttpRequest) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = request
            .headers
            .iter()
            .filter(|(name, _)| name.as_str().starts_with("x-amz-"))
            .map(|(name, value)| {
                let value = value.to_str().unwrap_or_default().to_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        headers.sort();
        headers
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn crc32_goes_by_default_and_the_chosen_algorithm_when_one_is() {
        let request = put_object(b"foo", &[]).finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[
                ("x-amz-checksum-crc32", "jHNlIQ=="),
                (ALGORITHM_HEADER, "CRC32")
            ])
        );
        let request =
            put_object(b"foo", &[(ALGORITHM_HEADER, "SHA256")]).finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[
                (
                    "x-amz-checksum-sha256",
                    "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564="
                ),
                (ALGORITHM_HEADER, "SHA256"),
            ])
        );
    }

    #[test]
    fn a_checksum_the_caller_gave_goes_alone() {
        // As botocore sends them: the given header, and the algorithm member only if set.
        let sha256 = "LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=";
        let request = put_object(b"foo", &[("x-amz-checksum-sha256", sha256)])
            .finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[("x-amz-checksum-sha256", sha256)])
        );
        // A value given is not computed again, even when this client could compute it.
        let request = put_object(
            b"foo",
            &[
                (ALGORITHM_HEADER, "CRC64NVME"),
                ("x-amz-checksum-crc64nvme", "BPe7BPZfgVg="),
            ],
        )
        .finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[
                ("x-amz-checksum-crc64nvme", "BPe7BPZfgVg="),
                (ALGORITHM_HEADER, "CRC64NVME"),
            ])
        );
        // A value given for another algorithm than the one named is sent as given too.
        let request = put_object(
            b"foo",
            &[(ALGORITHM_HEADER, "CRC32"), ("x-amz-checksum-sha1", "x")],
        )
        .finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[("x-amz-checksum-sha1", "x"), (ALGORITHM_HEADER, "CRC32")])
        );
    }

    #[test]
    fn an_algorithm_not_computed_without_its_value_is_refused() {
        let mut request = RequestBuilder::new("PutObject", Method::PUT);
        request.header(ALGORITHM_HEADER, Some("XXHASH64")).unwrap();
        let error = request
            .request_checksum(Some("XXHASH64"), Some(ALGORITHM_HEADER))
            .unwrap_err();
        assert!(error.to_string().contains("XXHASH64"), "{error}");
        // CRC64NVME, S3's default for objects, is computed.
        let request = put_object(b"foo", &[(ALGORITHM_HEADER, "CRC64NVME")])
            .finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[
                ("x-amz-checksum-crc64nvme", "5O33DmauDQI="),
                (ALGORITHM_HEADER, "CRC64NVME"),
            ])
        );
    }

    #[test]
    fn a_presigned_request_gets_no_checksum() {
        let mut request = put_object(b"foo", &[]);
        request.presigned();
        let request = request.finish("https://s3.amazonaws.com");
        assert_eq!(checksum_headers(&request), pairs(&[]));
        // A chosen algorithm stays in its member's header, uncomputed, as botocore presigns it;
        // a given value is kept.
        let mut request = put_object(b"", &[(ALGORITHM_HEADER, "SHA256")]);
        request.presigned();
        let request = request.finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[(ALGORITHM_HEADER, "SHA256")])
        );
        let mut request = put_object(b"", &[("x-amz-checksum-crc32", "jHNlIQ==")]);
        request.presigned();
        let request = request.finish("https://s3.amazonaws.com");
        assert_eq!(
            checksum_headers(&request),
            pairs(&[("x-amz-checksum-crc32", "jHNlIQ==")])
        );
    }

    #[test]
    fn a_presigned_form_request_carries_its_pairs_in_the_url() {
        let form = || {
            let mut request = RequestBuilder::new("AssumeRole", Method::POST);
            request.path("/");
            request.form_body(b"Action=AssumeRole&Version=2011-06-15&RoleArn=a%3Ab".to_vec());
            request
        };
        let sent = form().finish("https://sts.amazonaws.com");
        assert_eq!(sent.uri, "https://sts.amazonaws.com/");
        assert_eq!(
            &sent.body[..],
            b"Action=AssumeRole&Version=2011-06-15&RoleArn=a%3Ab"
        );
        assert_eq!(
            sent.headers[::http::header::CONTENT_TYPE],
            FORM_CONTENT_TYPE
        );

        let mut presigned = form();
        presigned.presigned();
        let presigned = presigned.finish("https://sts.amazonaws.com");
        assert_eq!(
            presigned.uri,
            "https://sts.amazonaws.com/?Action=AssumeRole&Version=2011-06-15&RoleArn=a%3Ab"
        );
        assert_eq!(
            presigned.method,
            Method::POST,
            "the method stays, as botocore's"
        );
        assert!(presigned.body.is_empty());
        assert!(presigned.headers.is_empty(), "{:?}", presigned.headers);
    }

    #[test]
    fn checksum_headers_are_those_botocore_matches() {
        for name in [
            "x-amz-checksum-crc32",
            "x-amz-checksum-crc64nvme",
            "x-amz-checksum-sha512",
            "x-amz-checksum-type",
        ] {
            assert!(is_checksum_header(name), "{name}");
        }
        for name in [
            "x-amz-sdk-checksum-algorithm",
            "x-amz-checksum-crc32-x",
            "content-md5",
        ] {
            assert!(!is_checksum_header(name), "{name}");
        }
    }
}
