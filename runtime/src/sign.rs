//! SigV4 signing with the `aws-sigv4` crate.

use std::time::SystemTime;

use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign,
};
use aws_sigv4::sign::v4;

use crate::credentials::Credentials;
use crate::error::CredentialsError;
use crate::http::{HeaderName, HeaderValue, HttpRequest};

/// Adds `Authorization`, `X-Amz-Date` and (with a session token) `X-Amz-Security-Token`; with
/// `unsigned_payload`, the body is not hashed and `X-Amz-Content-SHA256: UNSIGNED-PAYLOAD` says
/// so.
pub(crate) fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    unsigned_payload: bool,
    time: SystemTime,
) -> Result<(), CredentialsError> {
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        credentials.expiry(),
        "botocore-runtime",
    )
    .into();
    let mut settings = SigningSettings::default();
    if unsigned_payload {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
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
        if unsigned_payload {
            SignableBody::UnsignedPayload
        } else {
            SignableBody::Bytes(&request.body)
        },
    )
    .map_err(|error| CredentialsError::new(format!("cannot sign: {error}")))?;
    // aws-sigv4 traces the canonical request, session token included: nothing it logs while
    // signing reaches the application's subscriber.
    let signed =
        tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::new(), || {
            sign(signable, &params)
        });
    let (instructions, _signature) = signed
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
