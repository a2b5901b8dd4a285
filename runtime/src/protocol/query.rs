//! query and ec2, as botocore speaks them: a form POST to `/` with `Action` and `Version`
//! ([`QueryWriter`]), answered with XML: the output under
//! `<OpResponse><OpResult>` for query (`resultWrapper`), directly under the root for ec2;
//! errors as `<ErrorResponse><Error>` (query) or `<Response><Errors><Error>` (ec2), with a
//! `Code` that modeled errors' `error.code` names (IAM's `NoSuchEntityException` is
//! `NoSuchEntity`). EC2 models no errors: its codes (`InvalidVpcID.NotFound`) stay on the
//! unmodeled error.

use super::{Protocol, generic_error};
use crate::error::{BuildError, ErrorMeta};
use crate::http::{HttpResponse, Method};
use crate::query::QueryWriter;
use crate::request::RequestBuilder;

/// The query protocol or its ec2 variant, for one API version. The two differ in how members
/// are named and lists laid out, which generated code decides, and in where an error's facts
/// are, which [`error_meta`](Protocol::error_meta) finds in either.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    version: &'static str,
}

impl Query {
    /// query or ec2, for API `version` (the model's `apiVersion`).
    pub const fn new(version: &'static str) -> Self {
        Query { version }
    }

    /// The request for `action` (the operation's name): the members `write` adds, after
    /// `Action` and `Version`.
    pub fn request(
        &self,
        operation: &'static str,
        action: &str,
        write: impl FnOnce(&mut QueryWriter),
    ) -> Result<RequestBuilder, BuildError> {
        let mut writer = QueryWriter::new(action, self.version);
        write(&mut writer);
        let mut request = RequestBuilder::new(operation, Method::POST);
        request.path("/");
        request.form_body(writer.finish());
        Ok(request)
    }
}

impl Protocol for Query {
    fn error_meta(&self, response: &HttpResponse) -> ErrorMeta {
        if let Some(generic) = generic_error(response) {
            return generic;
        }
        xml_error_meta(response)
    }
}

/// The facts of an XML error body (every XML protocol writes `Code`, `Message` and a request
/// id); a body that is not XML keeps the status as its code, as botocore does.
pub(crate) fn xml_error_meta(response: &HttpResponse) -> ErrorMeta {
    let mut meta = ErrorMeta::of(response);
    match crate::xml::error_fields(&response.body) {
        Ok(fields) => {
            meta.code = fields.code.unwrap_or_default();
            meta.message = fields.message;
            meta.fault = fields.fault;
            if meta.request_id.is_none() {
                meta.request_id = fields.request_id;
            }
        }
        Err(_) => {
            meta.code = response.status.to_string();
            meta.message = http::StatusCode::from_u16(response.status)
                .ok()
                .and_then(|status| status.canonical_reason())
                .map(str::to_owned);
        }
    }
    if meta.code.is_empty() && response.body.iter().all(u8::is_ascii_whitespace) {
        meta.code = response.status.to_string();
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_ec2_errors() {
        let query = HttpResponse::new(
            404,
            "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code>\
             <Message>The user with name x cannot be found.</Message></Error>\
             <RequestId>abc</RequestId></ErrorResponse>",
        );
        let meta = Query::new("2010-05-08").error_meta(&query);
        assert_eq!(meta.code, "NoSuchEntity");
        assert_eq!(meta.fault.as_deref(), Some("Sender"));
        assert_eq!(meta.request_id.as_deref(), Some("abc"));
        let ec2 = HttpResponse::new(
            400,
            "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>gone</Message>\
             </Error></Errors><RequestID>r</RequestID></Response>",
        );
        let meta = Query::new("2016-11-15").error_meta(&ec2);
        assert_eq!(meta.code, "InvalidVpcID.NotFound");
        assert_eq!(meta.message.as_deref(), Some("gone"));
        let html = HttpResponse::new(403, "<html><body>denied");
        assert_eq!(Query::new("v").error_meta(&html).code, "403");
    }
}
