//! Error responses of the JSON protocols (rest-json, awsJson 1.0 and 1.1): the code from the
//! `X-Amzn-ErrorType` header, else from the body's keys in the protocol's order
//! ([`REST_JSON_CODE_KEYS`], [`AWS_JSON_CODE_KEYS`]); the message from `message`, `Message` or
//! `errorMessage`; for query-compatible services, the code of `x-amzn-query-error`.

use serde_json::{Map, Value};

use super::{generic_error, sanitize_error_code};
use crate::error::ErrorMeta;
use crate::http::HttpResponse;

/// rest-json's keys for the code, as botocore's `RestJSONParser` reads them: `code` (or
/// `Code`) before `__type`.
pub(crate) const REST_JSON_CODE_KEYS: &[&str] = &["code", "Code", "__type"];

/// awsJson's: `__type` first (botocore reads only it; `code` is kept as a fallback, for the
/// services that send nothing else).
pub(crate) const AWS_JSON_CODE_KEYS: &[&str] = &["__type", "code"];

/// The facts of an error response; `code_keys` are the body's keys that may name the code, in
/// the protocol's order.
pub(crate) fn error_meta(
    response: &HttpResponse,
    code_keys: &[&str],
    query_compatible: bool,
) -> ErrorMeta {
    let header = response.header("x-amzn-errortype");
    if header.is_none()
        && let Some(generic) = generic_error(response)
    {
        return generic;
    }
    let body = error_body(response);
    let raw = header.map(str::to_owned).or_else(|| {
        let body = body.as_ref()?;
        code_keys
            .iter()
            .find_map(|key| body.get(*key)?.as_str().map(str::to_owned))
    });
    let mut meta = ErrorMeta {
        // botocore falls back to the status when the response names no code.
        code: match &raw {
            Some(raw) => sanitize_error_code(raw).to_owned(),
            None => response.status.to_string(),
        },
        message: match &body {
            Some(body) => ["message", "Message", "errorMessage"]
                .iter()
                .find_map(|key| body.get(*key)?.as_str().map(str::to_owned)),
            None => text_message(response),
        },
        ..ErrorMeta::of(response)
    };
    if query_compatible {
        apply_query_error(&mut meta, response);
    }
    meta
}

/// `x-amzn-query-error: Code;Sender`: the code the service had under the query protocol, which
/// modeled errors' `error.code` names. The code read from the body is kept as `type_code`.
pub(crate) fn apply_query_error(meta: &mut ErrorMeta, response: &HttpResponse) {
    let Some(header) = response.header("x-amzn-query-error") else {
        return;
    };
    let mut parts = header.split(';');
    if let (Some(code), Some(fault), None) = (parts.next(), parts.next(), parts.next())
        && !code.is_empty()
    {
        let type_code = std::mem::replace(&mut meta.code, code.to_owned());
        meta.type_code = Some(type_code);
        meta.fault = Some(fault.to_owned());
    }
}

/// A body that is not JSON is the message, as botocore reads it: when it is text, not JSON
/// that failed to parse (a hostile body nested too deep says nothing), and at most
/// [`MAX_TEXT_MESSAGE`] bytes.
fn text_message(response: &HttpResponse) -> Option<String> {
    let text = std::str::from_utf8(&response.body).ok()?.trim();
    let malformed_json = text.starts_with(['{', '[']);
    (!text.is_empty() && !malformed_json && text.len() <= MAX_TEXT_MESSAGE).then(|| text.to_owned())
}

/// The longest text body kept as an error's message.
const MAX_TEXT_MESSAGE: usize = 1024;

/// The body of an error response as a JSON object, if it is one.
fn error_body(response: &HttpResponse) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&response.body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{HeaderName, HeaderValue};

    fn response(status: u16, body: &str, headers: &[(&'static str, &str)]) -> HttpResponse {
        let mut response = HttpResponse::new(status, body.to_owned());
        for (name, value) in headers {
            response.headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        response
    }

    #[test]
    fn the_header_wins_then_the_body_in_the_protocols_order() {
        let meta = error_meta(
            &response(
                400,
                r#"{"__type":"a#BodyType","code":"Coded","message":"m"}"#,
                &[("x-amzn-errortype", "HeaderType:http://x/")],
            ),
            REST_JSON_CODE_KEYS,
            false,
        );
        assert_eq!(meta.code, "HeaderType");
        assert_eq!(meta.message.as_deref(), Some("m"));
        // botocore's rest-json reads `code` (or `Code`) before `__type`; awsJson `__type` first.
        let both = response(400, r#"{"__type":"a#TypeCode","code":"CodeCode"}"#, &[]);
        assert_eq!(
            error_meta(&both, REST_JSON_CODE_KEYS, false).code,
            "CodeCode"
        );
        assert_eq!(
            error_meta(&both, AWS_JSON_CODE_KEYS, false).code,
            "TypeCode"
        );
        let capital = response(400, r#"{"Code":"ValidationException","Message":"M"}"#, &[]);
        let meta = error_meta(&capital, REST_JSON_CODE_KEYS, false);
        assert_eq!(meta.code, "ValidationException");
        assert_eq!(meta.message.as_deref(), Some("M"));
        let meta = error_meta(
            &response(400, r#"{"code":"Coded","Message":"M"}"#, &[]),
            AWS_JSON_CODE_KEYS,
            false,
        );
        assert_eq!(meta.code, "Coded");
        let meta = error_meta(&response(404, "not json", &[]), REST_JSON_CODE_KEYS, false);
        assert_eq!(meta.code, "404");
        assert_eq!(meta.message.as_deref(), Some("not json"));
    }

    #[test]
    fn query_compatible_codes_come_from_the_header() {
        let meta = error_meta(
            &response(
                400,
                r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#,
                &[(
                    "x-amzn-query-error",
                    "AWS.SimpleQueueService.NonExistentQueue;Sender",
                )],
            ),
            AWS_JSON_CODE_KEYS,
            true,
        );
        assert_eq!(meta.code, "AWS.SimpleQueueService.NonExistentQueue");
        assert_eq!(meta.type_code.as_deref(), Some("QueueDoesNotExist"));
        assert_eq!(meta.fault.as_deref(), Some("Sender"));
        assert_eq!(
            meta.codes().collect::<Vec<_>>(),
            [
                "AWS.SimpleQueueService.NonExistentQueue",
                "QueueDoesNotExist"
            ]
        );
    }
}
