//! SigV4 signing.
//!
//! Requests of the usual shape (a path of unreserved characters and percent escapes, no query
//! string, header values in visible ASCII) are signed here directly: the canonical request is
//! simple for them, and building it without the general machinery of the `aws-sigv4` crate
//! takes a fraction of the time. Every other request is signed by `aws-sigv4`, which also
//! derives the signing key and computes the signature for both. A test checks that both give
//! the same headers.

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use sha2::{Digest as _, Sha256};

use super::credentials::Credentials;
use super::error::CredentialsError;
use super::http::{HeaderName, HeaderValue, HttpRequest};

/// Adds `Authorization`, `X-Amz-Date` and (with a session token) `X-Amz-Security-Token`.
pub(crate) fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), CredentialsError> {
    match canonical_request(request, credentials, time) {
        Some(canonical) => {
            sign_canonical(request, credentials, region, signing_name, time, canonical)
        }
        None => sign_with_aws_sigv4(request, credentials, region, signing_name, time),
    }
}

/// Headers `aws-sigv4` leaves unsigned by default (proxies may change them).
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// The canonical request of SigV4 and what goes with it, for a request of the usual shape.
struct Canonical {
    /// `YYYYMMDD'T'HHMMSS'Z'`
    date_time: String,
    signed_headers: String,
    text: String,
}

/// The canonical request as `aws-sigv4` builds it with its default settings (path normalized,
/// then percent-encoded again; headers trimmed, sorted and joined), or `None` for a request
/// whose shape is left to `aws-sigv4`.
fn canonical_request(
    request: &HttpRequest,
    credentials: &Credentials,
    time: SystemTime,
) -> Option<Canonical> {
    let (scheme, rest) = request.uri.split_once("://")?;
    let default_port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    // User info, IPv6 literals, query strings and fragments: left to aws-sigv4.
    if authority.is_empty() || authority.contains(['@', '[', '?', '#']) {
        return None;
    }
    let host = authority.strip_suffix(default_port).unwrap_or(authority);
    // Dots would call for normalization (`/./`, `/../`) and `//` collapses; `%` is the one
    // character encoded again.
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'/' | b'%');
    if !path.bytes().all(plain) || path.contains("//") {
        return None;
    }
    let token = credentials.session_token.as_deref();
    if token.is_some_and(|token| !token.bytes().all(is_visible_ascii)) {
        return None;
    }

    let date_time = format_date_time(time);
    let mut headers: Vec<(&str, String)> = Vec::with_capacity(request.headers.keys_len() + 3);
    for name in request.headers.keys() {
        let name = name.as_str();
        if matches!(name, "host" | "x-amz-date" | "x-amz-security-token") {
            return None;
        }
        if UNSIGNED_HEADERS.contains(&name) {
            continue;
        }
        let mut joined = String::new();
        for (index, value) in request.headers.get_all(name).iter().enumerate() {
            let value = value.to_str().ok()?;
            if index > 0 {
                joined.push(',');
            }
            push_trimmed(&mut joined, value);
        }
        headers.push((name, joined));
    }
    headers.push(("host", host.to_owned()));
    headers.push(("x-amz-date", date_time.clone()));
    if let Some(token) = token {
        headers.push(("x-amz-security-token", token.to_owned()));
    }
    headers.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut text = String::with_capacity(256 + request.uri.len());
    text.push_str(request.method.as_str());
    text.push('\n');
    match path {
        "" => text.push('/'),
        path => {
            for piece in path.split_inclusive('%') {
                text.push_str(piece);
                if piece.ends_with('%') {
                    text.push_str("25");
                }
            }
        }
    }
    text.push_str("\n\n");
    for (name, value) in &headers {
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        text.push('\n');
    }
    text.push('\n');
    let signed_start = text.len();
    for (index, (name, _)) in headers.iter().enumerate() {
        if index > 0 {
            text.push(';');
        }
        text.push_str(name);
    }
    let signed_headers = text[signed_start..].to_owned();
    text.push('\n');
    push_hex(&mut text, &Sha256::digest(&request.body));
    Some(Canonical {
        date_time,
        signed_headers,
        text,
    })
}

fn sign_canonical(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    canonical: Canonical,
) -> Result<(), CredentialsError> {
    let date = canonical
        .date_time
        .split_once('T')
        .map_or("", |(date, _)| date);
    let scope = format!("{date}/{region}/{signing_name}/aws4_request");
    let mut string_to_sign = String::with_capacity(160);
    string_to_sign.push_str("AWS4-HMAC-SHA256\n");
    string_to_sign.push_str(&canonical.date_time);
    string_to_sign.push('\n');
    string_to_sign.push_str(&scope);
    string_to_sign.push('\n');
    push_hex(
        &mut string_to_sign,
        &Sha256::digest(canonical.text.as_bytes()),
    );
    let key = v4::generate_signing_key(&credentials.secret_access_key, time, region, signing_name);
    let signature = v4::calculate_signature(key, string_to_sign.as_bytes());
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        credentials.access_key_id, canonical.signed_headers
    );
    let value = |text: &str| {
        HeaderValue::from_str(text)
            .map_err(|error| CredentialsError::new(format!("cannot sign: {error}")))
    };
    let headers = &mut request.headers;
    headers.insert(
        HeaderName::from_static("x-amz-date"),
        value(&canonical.date_time)?,
    );
    headers.insert(::http::header::AUTHORIZATION, value(&authorization)?);
    if let Some(token) = &credentials.session_token {
        headers.insert(
            HeaderName::from_static("x-amz-security-token"),
            value(token)?,
        );
    }
    Ok(())
}

fn sign_with_aws_sigv4(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), CredentialsError> {
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id.clone(),
        credentials.secret_access_key.clone(),
        credentials.session_token.clone(),
        None,
        "codegen",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|error| CredentialsError::new(format!("cannot sign: {error}")))?
        .into();
    let headers = request
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
    let signable = SignableRequest::new(
        request.method.as_str(),
        &request.uri,
        headers,
        SignableBody::Bytes(&request.body),
    )
    .map_err(|error| CredentialsError::new(format!("cannot sign: {error}")))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|error| CredentialsError::new(format!("cannot sign: {error}")))?
        .into_parts();
    let (headers, _params) = instructions.into_parts();
    for header in headers {
        let value = HeaderValue::from_str(header.value())
            .map_err(|error| CredentialsError::new(format!("cannot sign: {error}")))?;
        request
            .headers
            .insert(HeaderName::from_static(header.name()), value);
    }
    Ok(())
}

/// What `HeaderValue::to_str` accepts.
fn is_visible_ascii(b: u8) -> bool {
    (32..127).contains(&b) || b == b'\t'
}

/// `value` without leading and trailing spaces and with runs of spaces as one (other
/// whitespace stays), as SigV4 canonical headers have it.
fn push_trimmed(out: &mut String, value: &str) {
    let mut previous_space = false;
    for c in value.trim_matches(' ').chars() {
        if c == ' ' && previous_space {
            continue;
        }
        previous_space = c == ' ';
        out.push(c);
    }
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
}

/// `YYYYMMDD'T'HHMMSS'Z'` in UTC, as `aws-sigv4` writes it.
fn format_date_time(time: SystemTime) -> String {
    let time = ::time::OffsetDateTime::from(time);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::http::Method;

    fn request(method: Method, uri: &str, headers: &[(&str, &[u8])], body: &[u8]) -> HttpRequest {
        let mut request = HttpRequest {
            operation: "Test",
            method,
            uri: uri.to_owned(),
            headers: Default::default(),
            body: body.to_vec(),
        };
        for (name, value) in headers {
            request.headers.append(
                HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                HeaderValue::from_bytes(value).expect("a header value"),
            );
        }
        request
    }

    /// Signs `request` both ways; says whether it took the direct way.
    fn check(request: &HttpRequest, credentials: &Credentials, time: SystemTime) -> bool {
        let direct = canonical_request(request, credentials, time).is_some();
        let mut ours = request.clone();
        sign_request(&mut ours, credentials, "us-east-1", "connect", time).expect("signs");
        let mut theirs = request.clone();
        sign_with_aws_sigv4(&mut theirs, credentials, "us-east-1", "connect", time).expect("signs");
        assert_eq!(
            ours.headers, theirs.headers,
            "{} {}",
            request.method, request.uri
        );
        direct
    }

    #[test]
    fn the_usual_request_is_signed_directly_and_as_aws_sigv4_does() {
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let get = request(
            Method::GET,
            "https://connect.us-east-1.amazonaws.com/contacts/a1b2/9f8e",
            &[],
            b"",
        );
        assert!(check(&get, &credentials, time));
        let post = request(
            Method::POST,
            "https://connect.us-east-1.amazonaws.com/instance/a%2Fb/users",
            &[
                ("content-type", b"application/json"),
                ("content-length", b"2"),
            ],
            b"{}",
        );
        assert!(check(&post, &credentials, time));
        let session = Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            Some("token/with+chars=".to_owned()),
        );
        assert!(check(&post, &session, time));
    }

    #[test]
    fn any_request_is_signed_as_aws_sigv4_does() {
        let mut rng = fastrand::Rng::with_seed(11);
        let endpoints = [
            "https://connect.us-east-1.amazonaws.com",
            "https://connect.us-east-1.amazonaws.com:443",
            "https://example.com:8443",
            "http://127.0.0.1:5000",
            "http://localhost:80",
            "http://localhost",
            "https://prefix.example.com/base",
        ];
        let pieces = [
            "a", "Z9", "-", "_", "~", ".", "..", "%2F", "%20", "%25", "/", "//", ":", "+", "=",
            "%C3%A9",
        ];
        let names = [
            "content-type",
            "x-amz-meta-a",
            "x-custom",
            "user-agent",
            "x-amz-date",
            "host",
        ];
        let values: [&[u8]; 8] = [
            b"plain",
            b"  padded  ",
            b"two  spaces",
            b"tab\there",
            b"a,b",
            b"caf\xc3\xa9",
            b"",
            b"x  y  z ",
        ];
        let methods = [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ];
        let mut direct = 0;
        for _ in 0..6000 {
            let mut uri = endpoints[rng.usize(..endpoints.len())].to_owned();
            for _ in 0..rng.usize(0..6) {
                uri.push('/');
                for _ in 0..rng.usize(0..4) {
                    uri.push_str(pieces[rng.usize(..pieces.len())]);
                }
            }
            if rng.u8(..) < 20 {
                uri.push_str("?b=2&a=1");
            }
            let headers: Vec<(&str, &[u8])> = (0..rng.usize(0..4))
                .map(|_| {
                    (
                        names[rng.usize(..names.len())],
                        values[rng.usize(..values.len())],
                    )
                })
                .collect();
            let body: Vec<u8> = (0..rng.usize(0..100)).map(|_| rng.u8(..)).collect();
            let method = methods[rng.usize(..methods.len())].clone();
            let request = request(method, &uri, &headers, &body);
            let token = rng.bool().then(|| "session-token".to_owned());
            let credentials = Credentials::new("AKIDEXAMPLE", "secret", token);
            let time =
                SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(rng.u64(0..4_000_000_000));
            direct += usize::from(check(&request, &credentials, time));
        }
        assert!(direct > 600, "only {direct} requests took the direct way");
    }
}
