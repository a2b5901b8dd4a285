//! rest-json: members bound to the URI, query string, headers and status code
//! ([`rest`](crate::rest), [`RequestBuilder`](crate::request::RequestBuilder)), the rest in a
//! JSON body ([`json`](crate::json)).

use super::{Protocol, json_errors};
use crate::error::ErrorMeta;
use crate::http::HttpResponse;

/// The rest-json protocol.
#[derive(Debug, Clone, Copy, Default)]
pub struct RestJson;

impl Protocol for RestJson {
    fn error_meta(&self, response: &HttpResponse) -> ErrorMeta {
        json_errors::error_meta(response, json_errors::REST_JSON_CODE_KEYS, false)
    }
}
