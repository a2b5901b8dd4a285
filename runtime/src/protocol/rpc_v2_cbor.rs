//! smithy-rpc-v2-cbor, as botocore speaks it: `POST /service/{targetPrefix}/operation/{Op}`
//! with `smithy-protocol: rpc-v2-cbor` and `Accept: application/cbor`; the input as a CBOR map
//! (`Content-Type: application/cbor`, only when there is a body: an operation without input
//! sends none); the output read from one (an empty body reads as an empty map). Errors name
//! their shape in the body's `__type`. Query-compatible services (CloudWatch) also send
//! `x-amzn-query-mode: true` and answer errors with `x-amzn-query-error`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Protocol, generic_error, json_errors, sanitize_error_code};
use crate::error::{BuildError, DecodeError, ErrorMeta};
use crate::http::{HeaderValue, HttpResponse, Method};
use crate::request::RequestBuilder;

/// smithy-rpc-v2-cbor, maybe query-compatible.
#[derive(Debug, Clone, Copy)]
pub struct RpcV2Cbor {
    query_compatible: bool,
}

impl RpcV2Cbor {
    /// The protocol for a model with (or without) `awsQueryCompatible`.
    pub const fn new(query_compatible: bool) -> Self {
        RpcV2Cbor { query_compatible }
    }

    /// The request for an operation: `path` is `/service/{targetPrefix}/operation/{Op}`,
    /// `input` the operation's input (`None` when the model gives it none).
    pub fn request<T: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        path: &'static str,
        input: Option<&T>,
    ) -> Result<RequestBuilder, BuildError> {
        let mut request = RequestBuilder::new(operation, Method::POST);
        request.path(path);
        request.set_header("smithy-protocol", HeaderValue::from_static("rpc-v2-cbor"));
        request.set_header("accept", HeaderValue::from_static("application/cbor"));
        if self.query_compatible {
            request.set_header("x-amzn-query-mode", HeaderValue::from_static("true"));
        }
        if let Some(input) = input {
            let body = crate::cbor::to_vec(input)
                .map_err(|error| BuildError::new(operation, error.to_string()))?;
            request.body(body, "application/cbor");
        }
        Ok(request)
    }
}

/// A CBOR body, or the default value when the body is empty.
pub fn read_body<T: DeserializeOwned + Default>(response: &HttpResponse) -> Result<T, DecodeError> {
    if response.body.is_empty() {
        return Ok(T::default());
    }
    crate::cbor::from_slice(&response.body).map_err(|error| DecodeError::new(response, error))
}

/// The body of an error response: like [`read_body`], but a body that does not decode gives
/// the default value, so that the error keeps its code and status.
pub fn read_error_body<T: DeserializeOwned + Default>(response: &HttpResponse) -> T {
    read_body(response).unwrap_or_default()
}

impl Protocol for RpcV2Cbor {
    fn error_meta(&self, response: &HttpResponse) -> ErrorMeta {
        if let Some(generic) = generic_error(response) {
            return generic;
        }
        let body: Option<serde_json::Map<String, serde_json::Value>> =
            crate::cbor::from_slice(&response.body).ok();
        let text = |key: &str| {
            body.as_ref()
                .and_then(|body| body.get(key)?.as_str().map(str::to_owned))
        };
        let mut meta = ErrorMeta {
            // botocore falls back to the status when the body names no code.
            code: match text("__type") {
                Some(raw) => sanitize_error_code(&raw).to_owned(),
                None => response.status.to_string(),
            },
            message: text("message").or_else(|| text("Message")),
            ..ErrorMeta::of(response)
        };
        if self.query_compatible {
            json_errors::apply_query_error(&mut meta, response);
        }
        meta
    }
}
