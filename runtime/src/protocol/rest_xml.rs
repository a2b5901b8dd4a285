//! rest-xml: members bound to the URI, query string, headers and status code as in every REST
//! protocol ([`rest`](crate::rest)), the rest in an XML body ([`xml`](crate::xml)) whose root
//! is named by the input's `locationName`; errors as `<ErrorResponse><Error>` (Route 53,
//! CloudFront) or S3's bare `<Error>`.

use super::{Protocol, generic_error};
use crate::error::ErrorMeta;
use crate::http::HttpResponse;

/// The rest-xml protocol.
#[derive(Debug, Clone, Copy, Default)]
pub struct RestXml;

impl Protocol for RestXml {
    fn error_meta(&self, response: &HttpResponse) -> ErrorMeta {
        if let Some(generic) = generic_error(response) {
            return generic;
        }
        let mut meta = super::query::xml_error_meta(response);
        if meta.request_id.is_none() {
            meta.request_id = response.header("x-amz-request-id").map(str::to_owned);
        }
        meta
    }
}
