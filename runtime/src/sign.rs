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
pub(crate) struct SigningOptions {
    /// The body is not hashed: `X-Amz-Content-SHA256: UNSIGNED-PAYLOAD` says so.
    pub(crate) unsigned_payload: bool,
    /// S3's rules: the path is percent-encoded once and never normalized (keys may hold `//`
    /// and `..`), and the payload hash is sent as `X-Amz-Content-SHA256` on every request.
    pub(crate) s3: bool,
}

impl SigningOptions {
    fn settings(self) -> SigningSettings {
        let mut settings = SigningSettings::default();
        if self.unsigned_payload || self.s3 {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        if self.s3 {
            settings.percent_encoding_mode = PercentEncodingMode::Single;
            settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        }
        settings
    }
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
    unsigned_payload: bool,
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
    let signable = SignableRequest::new(
        request.method.as_str(),
        &request.uri,
        headers,
        if unsigned_payload {
            SignableBody::UnsignedPayload
        } else {
            SignableBody::Bytes(&request.body)
        },
    )
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
    options: SigningOptions,
    time: SystemTime,
) -> Result<(), CredentialsError> {
    let instructions = instructions(
        request,
        credentials,
        region,
        signing_name,
        options.settings(),
        options.unsigned_payload,
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

/// The request's URL with the signature in its query string (`X-Amz-Algorithm`, ...,
/// `X-Amz-Signature`), valid for `expires_in` from `time`. The payload is unsigned, as boto3's
/// `generate_presigned_url` signs it: whoever uses the URL sends the body.
pub(crate) fn presign_url(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    s3: bool,
    expires_in: Duration,
    time: SystemTime,
) -> Result<String, CredentialsError> {
    let mut settings = SigningOptions {
        unsigned_payload: true,
        s3,
    }
    .settings();
    settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(expires_in);
    let instructions = instructions(
        request,
        credentials,
        region,
        signing_name,
        settings,
        true,
        time,
    )?;
    let (_headers, params) = instructions.into_parts();
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
