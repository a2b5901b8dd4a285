//! SigV4 signing with the `aws-sigv4` crate: in headers for every call, in the query string
//! for presigned URLs.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use percent_encoding::utf8_percent_encode;

use crate::credentials::Credentials;
use crate::error::CredentialsError;
use crate::http::{HeaderName, HeaderValue, HttpRequest};

/// How one request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SigningOptions<'a> {
    /// The body is not hashed: `X-Amz-Content-SHA256: UNSIGNED-PAYLOAD` says so.
    pub(crate) unsigned_payload: bool,
    /// S3's rules: the path is percent-encoded once and never normalized (keys may hold `//`
    /// and `..`), and the payload hash is sent as `X-Amz-Content-SHA256` on every request.
    pub(crate) s3: bool,
    /// The SHA-256 (hex) of a body streamed in place of `HttpRequest::body`, computed ahead.
    pub(crate) payload_hash: Option<&'a str>,
}

impl SigningOptions<'_> {
    /// What `request`'s body is signed as: `UNSIGNED-PAYLOAD`, the hash computed ahead for a
    /// streamed body, or the hash of the body held.
    fn body<'r>(&self, request: &'r HttpRequest) -> SignableBody<'r> {
        match self.payload_hash {
            _ if self.unsigned_payload => SignableBody::UnsignedPayload,
            Some(hash) => SignableBody::Precomputed(hash.to_owned()),
            None => SignableBody::Bytes(&request.body),
        }
    }

    fn settings(self) -> SigningSettings {
        let mut settings = SigningSettings::default();
        let trailer = self.payload_hash == Some(crate::aws_chunked::UNSIGNED_TRAILER);
        if self.unsigned_payload || self.s3 || trailer {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        if self.s3 {
            settings.percent_encoding_mode = PercentEncodingMode::Single;
            settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        }
        settings
    }
}

/// Whether a presigned URL (or a token made as one) can be valid for `expires_in`: 1 s to
/// SigV4's seven days.
pub(crate) fn is_valid_expiry(expires_in: Duration) -> bool {
    const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);
    !expires_in.is_zero() && expires_in <= WEEK
}

fn cannot_sign(error: impl std::fmt::Display) -> CredentialsError {
    CredentialsError::new(format!("cannot sign: {error}"))
}

/// The signing instructions for `request`: headers to add and query parameters to append.
fn instructions(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    settings: SigningSettings,
    body: SignableBody<'_>,
    time: SystemTime,
) -> Result<aws_sigv4::http_request::SigningInstructions, CredentialsError> {
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        credentials.expiry(),
        "botocore-runtime",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
        .build()
        .map_err(cannot_sign)?
        .into();
    let headers = request
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
    let signable = SignableRequest::new(request.method.as_str(), &request.uri, headers, body)
        .map_err(cannot_sign)?;
    // aws-sigv4 traces the canonical request, session token included: nothing it logs while
    // signing reaches the application's subscriber.
    let signed =
        tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::new(), || {
            sign(signable, &params)
        });
    let (instructions, _signature) = signed.map_err(cannot_sign)?.into_parts();
    Ok(instructions)
}

/// Adds `Authorization`, `X-Amz-Date`, (with a session token) `X-Amz-Security-Token` and, as
/// `options` say, `X-Amz-Content-SHA256`.
pub(crate) fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    options: SigningOptions<'_>,
    time: SystemTime,
) -> Result<(), CredentialsError> {
    let instructions = instructions(
        request,
        credentials,
        region,
        signing_name,
        options.settings(),
        options.body(request),
        time,
    )?;
    let (headers, _params) = instructions.into_parts();
    for header in headers {
        let value = HeaderValue::from_str(header.value()).map_err(cannot_sign)?;
        request
            .headers
            .insert(HeaderName::from_static(header.name()), value);
    }
    Ok(())
}

/// Signs `request` with Signature Version 2 (`signatureVersion: v2`: SimpleDB and
/// Import/Export), as botocore's `SigV2Auth` does: `AWSAccessKeyId`, `SignatureVersion=2`,
/// `SignatureMethod=HmacSHA256`, `Timestamp` and (with a session token) `SecurityToken` join
/// the parameters (the form body, else the query string), and `Signature` is the base64
/// HMAC-SHA256 of `{method}\n{host}\n{path}\n{every parameter, sorted by name, RFC 3986-encoded}`.
/// Written here: aws-sigv4 signs version 4 only, and this is twenty lines over `hmac`.
pub(crate) fn sign_v2(
    request: &mut HttpRequest,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<(), CredentialsError> {
    use hmac::Mac as _;
    // botocore's `time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())`: whole seconds.
    let whole_seconds = time::OffsetDateTime::from(time)
        .replace_nanosecond(0)
        .map_err(cannot_sign)?;
    let timestamp = crate::time::format_iso8601(&whole_seconds);
    let mut added = vec![
        ("AWSAccessKeyId", credentials.access_key_id().to_owned()),
        ("SignatureVersion", "2".to_owned()),
        ("SignatureMethod", "HmacSHA256".to_owned()),
        ("Timestamp", timestamp),
    ];
    if let Some(token) = credentials.session_token() {
        added.push(("SecurityToken", token.to_owned()));
    }
    let (address, query) = match request.uri.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (&request.uri[..], None),
    };
    let in_body = !request.body.is_empty() || query.is_none();
    let given = if in_body {
        std::str::from_utf8(&request.body).map_err(cannot_sign)?
    } else {
        query.unwrap_or_default()
    };
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map(|text| text.into_owned())
            .map_err(cannot_sign)
    };
    let mut parameters = Vec::new();
    for pair in given.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        parameters.push((decode(name)?, decode(value)?));
    }
    parameters.extend(
        added
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone())),
    );
    parameters.retain(|(name, _)| name != "Signature");
    parameters.sort_by(|a, b| a.0.cmp(&b.0));
    let encode = |text: &str| utf8_percent_encode(text, crate::request::UNRESERVED).to_string();
    let canonical: Vec<String> = parameters
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect();
    let (host, path) = match address.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        },
        None => ("", address),
    };
    let to_sign = format!(
        "{}\n{host}\n{path}\n{}",
        request.method.as_str(),
        canonical.join("&")
    );
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(credentials.secret_access_key().as_bytes())
            .map_err(cannot_sign)?;
    mac.update(to_sign.as_bytes());
    use base64::Engine as _;
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    added.push(("Signature", signature));
    let mut appended = String::new();
    for (name, value) in &added {
        if !(appended.is_empty() && given.is_empty()) {
            appended.push('&');
        }
        appended.push_str(name);
        appended.push('=');
        appended.push_str(&encode(value));
    }
    if in_body {
        let mut body = request.body.to_vec();
        body.extend_from_slice(appended.as_bytes());
        request.body = body.into();
        request.headers.insert(
            ::http::header::CONTENT_LENGTH,
            HeaderValue::from(request.body.len()),
        );
    } else {
        request.uri.push_str(&appended);
    }
    Ok(())
}

/// The request's URL with the signature in its query string (`X-Amz-Algorithm`, ...,
/// `X-Amz-Signature`), valid for `expires_in` from `time`. As botocore signs presigned URLs,
/// S3's payload is `UNSIGNED-PAYLOAD` (whoever uses the URL sends the body), while other
/// services' is the hash of the request's body, which their servers check against the body
/// they receive: empty for query and ec2, whose form the builder moved into the URL.
pub(crate) fn presign_url(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    s3: bool,
    expires_in: Duration,
    time: SystemTime,
) -> Result<String, CredentialsError> {
    let options = SigningOptions {
        unsigned_payload: s3,
        s3,
        payload_hash: None,
    };
    let mut settings = options.settings();
    settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(expires_in);
    let instructions = instructions(
        request,
        credentials,
        region,
        signing_name,
        settings,
        options.body(request),
        time,
    )?;
    let (_headers, mut params) = instructions.into_parts();
    // The signature last, as botocore appends it (aws-sigv4 puts a session token after it):
    // the order is not signed, but the URL is then byte for byte botocore's.
    params.sort_by_key(|(name, _)| *name == "X-Amz-Signature");
    let mut uri = request.uri.clone();
    let mut separator = if uri.contains('?') { '&' } else { '?' };
    for (name, value) in params {
        uri.push(separator);
        separator = '&';
        uri.extend(utf8_percent_encode(name, crate::request::UNRESERVED));
        uri.push('=');
        uri.extend(utf8_percent_encode(&value, crate::request::UNRESERVED));
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;
    use crate::request::RequestBuilder;

    /// 2024-01-02T03:04:05Z.
    fn time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
    }

    /// STS's GetCallerIdentity as the query protocol builds it, to be presigned.
    fn get_caller_identity() -> HttpRequest {
        let mut request = RequestBuilder::new("GetCallerIdentity", Method::POST);
        request.path("/");
        request.form_body(b"Action=GetCallerIdentity&Version=2011-06-15".to_vec());
        request.presigned();
        request.finish("https://sts.us-east-1.amazonaws.com")
    }

    /// SimpleDB's PutAttributes signed with Signature Version 2: the parameters botocore
    /// 1.43.11's `SigV2Auth` adds and its signature, byte for byte, for these credentials with
    /// its clock fixed at `time()` (`time.gmtime` patched), with and without a session token.
    /// The names sort by code point, as Python's `sorted` sorts them (`Attribute.1.Value`
    /// before `Attribute.10.Name`); values hold `/`, `=`, `&`, a space and `é`.
    #[test]
    fn a_sigv2_request_carries_the_signature_botocore_gives() {
        let sign = |token: Option<&str>| {
            let mut request = RequestBuilder::new("PutAttributes", Method::POST);
            request.path("/");
            request.form_body(
                b"Action=PutAttributes&Version=2009-04-15&DomainName=my%20domain%20%C3%A9\
                  &ItemName=item~1&Attribute.1.Name=a%2Fb&Attribute.1.Value=x%3Dy%26z\
                  &Attribute.10.Name=n"
                    .to_vec(),
            );
            let mut request = request.finish("https://sdb.eu-west-1.amazonaws.com");
            let credentials = Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                token.map(str::to_owned),
            );
            sign_v2(&mut request, &credentials, time()).expect("signed");
            assert_eq!(
                request.headers[::http::header::CONTENT_LENGTH],
                request.body.len().to_string()
            );
            assert!(request.headers.get("authorization").is_none());
            String::from_utf8(request.body.to_vec()).unwrap()
        };
        let common = "&AWSAccessKeyId=AKIDEXAMPLE&SignatureVersion=2&SignatureMethod=HmacSHA256\
                      &Timestamp=2024-01-02T03%3A04%3A05Z";
        let body = sign(None);
        assert!(
            body.ends_with(&format!(
                "n{common}&Signature=glmPLX0ib3qNNhn18C7Ac0bDsHp78a%2BPd9efGae4vkE%3D"
            )),
            "{body}"
        );
        let body = sign(Some("SESSION/TOKEN+1"));
        assert!(
            body.ends_with(&format!(
                "n{common}&SecurityToken=SESSION%2FTOKEN%2B1\
                 &Signature=LMg8%2Fdhnh8QGx3YJ5TZJsWkuYZFJ4pZriaBqgzX9sMw%3D"
            )),
            "{body}"
        );
    }

    #[test]
    fn a_presigned_query_request_is_the_url_botocore_gives() {
        // botocore 1.43.11's `generate_presigned_url('get_caller_identity', ExpiresIn=900)`
        // with these credentials, its clock fixed at `time()`.
        let presign = |credentials: &Credentials| {
            presign_url(
                &get_caller_identity(),
                credentials,
                "us-east-1",
                "sts",
                false,
                Duration::from_secs(900),
                time(),
            )
            .unwrap()
        };
        let uri = presign(&Credentials::new("AKIDEXAMPLE", "secret", None));
        assert_eq!(
            uri,
            "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15\
             &X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fsts%2Faws4_request\
             &X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=89aa5f847cc5abd9c4c056d91b41c075a2d35375d2ca13d7346009057fa3613a"
        );
        // With a session token, signed in the query string too, before the signature.
        let uri = presign(&Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            Some("token/with+odd=chars".to_owned()),
        ));
        assert_eq!(
            uri,
            "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15\
             &X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fsts%2Faws4_request\
             &X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\
             &X-Amz-Security-Token=token%2Fwith%2Bodd%3Dchars\
             &X-Amz-Signature=8cb5882a886ce6886d14fd73c104cb60c721baaa31ed3a33c5ed69a485715bcd"
        );
    }

    #[test]
    fn a_cross_region_copy_s_source_url_is_the_one_botocore_gives() {
        // botocore 1.43.11's CopySnapshot(SourceRegion='us-east-1', SourceSnapshotId=
        // 'snap-123', Description='a b+c') from a us-west-2 client, its clock fixed at `time()`:
        // the `PresignedUrl` `inject_presigned_url_ec2` fills in.
        let mut request = RequestBuilder::new("CopySnapshot", Method::POST);
        request.path("/");
        request.form_body(
            b"Action=CopySnapshot&Version=2016-11-15&SourceRegion=us-east-1\
              &SourceSnapshotId=snap-123&Description=a%20b%2Bc"
                .to_vec(),
        );
        request.form_pair("DestinationRegion", "us-west-2");
        request.presigned();
        let mut request = request.finish("https://ec2.us-east-1.amazonaws.com");
        request.method = Method::GET;
        let uri = presign_url(
            &request,
            &Credentials::new("AKIDEXAMPLE", "secret", None),
            "us-east-1",
            "ec2",
            false,
            Duration::from_secs(3600),
            time(),
        )
        .unwrap();
        assert_eq!(
            uri,
            "https://ec2.us-east-1.amazonaws.com/?Action=CopySnapshot&Version=2016-11-15\
             &SourceRegion=us-east-1&SourceSnapshotId=snap-123&Description=a%20b%2Bc\
             &DestinationRegion=us-west-2&X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fec2%2Faws4_request\
             &X-Amz-Date=20240102T030405Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=9b47fc8a70db76475f9586dfd8bb5574def01aa266e686ed9c204f49b26b7511"
        );
    }

    #[test]
    fn a_presigned_put_object_signs_no_checksum() {
        // botocore 1.43.11's `generate_presigned_url('put_object', Params={'Bucket':
        // 'my-bucket', 'Key': 'dir/a b+c'}, ExpiresIn=900)` (s3v4, us-west-2, which presigns
        // on the global endpoint), its clock fixed at `time()`: no default CRC32 is signed.
        let mut request = RequestBuilder::new("PutObject", Method::PUT);
        request.path("/");
        request.label("Bucket", Some("my-bucket"), false).unwrap();
        request.path("/");
        request.label("Key", Some("dir/a b+c"), true).unwrap();
        request.bucket(Some("my-bucket"));
        request
            .request_checksum(None, Some("x-amz-sdk-checksum-algorithm"))
            .unwrap();
        request.virtual_host();
        request.presigned();
        let request = request.finish("https://s3.amazonaws.com");
        let credentials = Credentials::new("AKIDEXAMPLE", "secret", None);
        let uri = presign_url(
            &request,
            &credentials,
            "us-west-2",
            "s3",
            true,
            Duration::from_secs(900),
            time(),
        )
        .unwrap();
        assert_eq!(
            uri,
            "https://my-bucket.s3.amazonaws.com/dir/a%20b%2Bc?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-west-2%2Fs3%2Faws4_request\
             &X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=862b2a2113fea0594e7eccf3a2d7cc7234198736849d6ac0c959c623aef42bad"
        );
    }
}
