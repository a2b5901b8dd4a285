//! awsJson 1.0 and 1.1, as botocore speaks them: `POST /` with
//! `X-Amz-Target: {targetPrefix}.{Operation}` and
//! `Content-Type: application/x-amz-json-{version}`, the input as a JSON object (always an
//! object, `{}` when empty), the output as one (an empty body reads as `{}`). Services that moved
//! from the query protocol (`awsQueryCompatible`: SQS, CloudWatch) also send
//! `x-amzn-query-mode: true` and answer errors with `x-amzn-query-error`.

use serde::Serialize;

use super::{Protocol, json_errors};
use crate::error::{BuildError, ErrorMeta};
use crate::http::{HeaderValue, HttpResponse, Method};
use crate::request::RequestBuilder;

/// awsJson, in one of its versions, maybe query-compatible.
#[derive(Debug, Clone, Copy)]
pub struct AwsJson {
    /// `application/x-amz-json-1.0` or `-1.1`.
    content_type: &'static str,
    query_compatible: bool,
}

impl AwsJson {
    /// The protocol for a model's `jsonVersion` (`"1.0"` or `"1.1"`) and `awsQueryCompatible`.
    pub const fn new(version: JsonVersion, query_compatible: bool) -> Self {
        AwsJson {
            content_type: match version {
                JsonVersion::V1_0 => "application/x-amz-json-1.0",
                JsonVersion::V1_1 => "application/x-amz-json-1.1",
            },
            query_compatible,
        }
    }

    /// The request for an operation: `target` is `{targetPrefix}.{Operation}`, `input` the
    /// operation's input (or [`Unit`](crate::Unit)).
    pub fn request<T: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        target: &'static str,
        input: &T,
    ) -> Result<RequestBuilder, BuildError> {
        let mut request = RequestBuilder::new(operation, Method::POST);
        request.path("/");
        request.set_header("x-amz-target", HeaderValue::from_static(target));
        if self.query_compatible {
            request.set_header("x-amzn-query-mode", HeaderValue::from_static("true"));
        }
        request.body(crate::json::to_body(operation, input)?, self.content_type);
        Ok(request)
    }
}

/// The versions of awsJson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    /// awsJson 1.0 (DynamoDB, SQS).
    V1_0,
    /// awsJson 1.1 (most json services).
    V1_1,
}

impl Protocol for AwsJson {
    fn error_meta(&self, response: &HttpResponse) -> ErrorMeta {
        json_errors::error_meta(
            response,
            json_errors::AWS_JSON_CODE_KEYS,
            self.query_compatible,
        )
    }
}
