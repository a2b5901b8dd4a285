//! One module per protocol family. The protocol-neutral client needs one thing from a protocol:
//! how to read the facts of an error response ([`Protocol::error_meta`]), to classify retries and
//! pick the modeled error. Everything else a protocol does (how a request is built, how an
//! output is read) is called by generated code directly, at token level, from the protocol's
//! module.
//!
//! Adding a protocol adds a module here and an emitter in the generator; nothing else changes.

use std::fmt;

use crate::error::ErrorMeta;
use crate::http::HttpResponse;

pub mod aws_json;
mod json_errors;
#[cfg(feature = "xml")]
pub mod query;
pub mod rest_json;
#[cfg(feature = "xml")]
pub mod rest_xml;
#[cfg(feature = "cbor")]
pub mod rpc_v2_cbor;

/// How a protocol writes error responses.
pub trait Protocol: Send + Sync + fmt::Debug {
    /// The status, request id, code and message of an error response.
    fn error_meta(&self, response: &HttpResponse) -> ErrorMeta;
}

/// botocore's reading of an error no body explains: a 5xx with an empty body or an HTML page
/// (a load balancer's, a proxy's) has the status as its code and the reason phrase as message.
pub(crate) fn generic_error(response: &HttpResponse) -> Option<ErrorMeta> {
    let body = response.body.trim_ascii_start();
    let html = body.len() >= 6 && body[..6].eq_ignore_ascii_case(b"<html>");
    (response.status >= 500 && (body.is_empty() || html)).then(|| ErrorMeta {
        code: response.status.to_string(),
        message: http::StatusCode::from_u16(response.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .map(str::to_owned),
        ..ErrorMeta::of(response)
    })
}

/// An error code without a namespace (`aws.protocoltests#`) or a suffix after `:`.
pub(crate) fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or_default();
    let code = code.rsplit('#').next().unwrap_or_default();
    code.trim()
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
    fn empty_5xx_bodies_are_generic_errors() {
        let meta = generic_error(&HttpResponse::new(503, "")).expect("generic");
        assert_eq!(meta.code, "503");
        assert_eq!(meta.message.as_deref(), Some("Service Unavailable"));
        assert!(generic_error(&HttpResponse::new(400, "")).is_none());
        assert!(generic_error(&HttpResponse::new(500, "{}")).is_none());
    }
}
