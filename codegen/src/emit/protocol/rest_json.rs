//! rest-json: the REST binding of [`rest`](super::rest), and a JSON body of the members left
//! (or of the one `payload` member; a blob or string payload is the raw body).

use models::{Operation, Service, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

use super::{ProtocolEmitter, Read, rest};
use crate::naming::ident;
use crate::type_space::{Field, TypeSpace};

pub(super) struct RestJson;

impl ProtocolEmitter for RestJson {
    fn bodies_use_serde(&self) -> bool {
        true
    }

    fn runtime_protocol(&self, _: &Service) -> (TokenStream, TokenStream) {
        (
            quote!(crate::rt::protocol::rest_json::RestJson),
            quote!(crate::rt::protocol::rest_json::RestJson),
        )
    }

    fn build(&self, space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
        let fields = rest::input_fields(space, operation);
        let payload = operation
            .input
            .and_then(|id| space.service.shape(id).as_structure())
            .and_then(|structure| structure.payload.as_ref());
        let mut statements = rest::idempotency_tokens(&fields);
        let new_request = rest::new_request(operation);
        statements.extend(rest::host_prefix(operation, &fields));
        statements.extend(rest::request_bindings(space, operation, &fields));
        statements.extend(body(space, &fields, payload));
        let input_binding = (fields.is_empty()).then(|| quote!(let _ = input;));
        let mutable = (!statements.is_empty()).then(|| quote!(mut));
        quote! {
            #input_binding
            let #mutable request = #new_request;
            #(#statements)*
            ::std::result::Result::Ok(request)
        }
    }

    fn read_output(&self, space: &TypeSpace<'_>, id: ShapeId, _: Option<&str>) -> Read {
        read(space, id, false)
    }

    fn read_error(&self, space: &TypeSpace<'_>, id: ShapeId) -> Read {
        read(space, id, true)
    }

    fn event_reader(&self) -> Option<TokenStream> {
        Some(quote!(crate::rt::json::read_event))
    }
}

/// The body: an explicit payload member, or the JSON of the body members.
fn body(
    space: &TypeSpace<'_>,
    fields: &[Field<'_>],
    payload: Option<&String>,
) -> Option<TokenStream> {
    if let Some(payload) = payload {
        let field = fields.iter().find(|field| field.member.name == *payload)?;
        let name = ident(&field.rust_name);
        return Some(match &space.service.shape(field.member.target).kind {
            ShapeKind::Blob { .. } if field.streaming => quote! {
                if let ::std::option::Option::Some(body) = input.#name.take() {
                    request.stream_body(body, ::std::option::Option::Some("application/octet-stream"));
                }
            },
            ShapeKind::Blob { .. } => quote! {
                if let ::std::option::Option::Some(body) = &input.#name {
                    request.body(body.clone(), "application/octet-stream");
                }
            },
            ShapeKind::String { .. } => quote! {
                if let ::std::option::Option::Some(body) = &input.#name {
                    request.body(::std::string::ToString::to_string(body).into_bytes(), "text/plain");
                }
            },
            _ => quote! {
                match &input.#name {
                    ::std::option::Option::Some(body) => request.json_body(body)?,
                    ::std::option::Option::None => request.empty_json_body(),
                }
            },
        });
    }
    fields
        .iter()
        .any(|field| field.in_body())
        .then(|| quote!(request.json_body(&*input)?;))
}

/// The body (or payload), then headers and status code. An error keeps its code even when its
/// body is not JSON (an HTML page from a proxy).
fn read(space: &TypeSpace<'_>, id: ShapeId, error: bool) -> Read {
    let rust_type = space.rust_type(id);
    let Some(structure) = space.service.shape(id).as_structure() else {
        return Read {
            init: quote!(<#rust_type>::default()),
            statements: Vec::new(),
        };
    };
    let fields = space.fields(structure);
    let payload = structure
        .payload
        .as_ref()
        .and_then(|payload| fields.iter().find(|field| field.member.name == *payload));
    let mut statements = Vec::new();
    let init = match payload {
        Some(field) => {
            let name = ident(&field.rust_name);
            let read = match &space.service.shape(field.member.target).kind {
                _ if field.event_stream => rest::event_stream_payload(),
                ShapeKind::Blob { .. } if field.streaming => {
                    quote!(crate::rt::rest::stream_payload(response))
                }
                ShapeKind::Blob { .. } => quote!(crate::rt::rest::blob_payload(response)),
                ShapeKind::String {
                    enum_values: Some(_),
                    ..
                } => quote!(
                    crate::rt::rest::string_payload(response)?
                        .map(|text| ::std::convert::From::from(text.as_str()))
                ),
                ShapeKind::String { .. } => quote!(crate::rt::rest::string_payload(response)?),
                _ if field.boxed => {
                    quote!(crate::rt::json::read_payload(response)?.map(::std::boxed::Box::new))
                }
                _ => quote!(crate::rt::json::read_payload(response)?),
            };
            rest::payload_init(&rust_type, &name, read, fields.len())
        }
        None if error => quote!(crate::rt::json::read_error_body(response)),
        None => quote!(crate::rt::json::read_body(response)?),
    };
    statements.extend(rest::response_bindings(space, &fields));
    Read { init, statements }
}
