//! awsJson 1.0 and 1.1: every input member in one JSON object (`{}` when empty), sent as
//! `POST /` with `X-Amz-Target: {targetPrefix}.{Operation}`; the output read from one.

use models::{Operation, Service, ShapeId};
use proc_macro2::TokenStream;
use quote::quote;

use super::{ProtocolEmitter, Read, rest};
use crate::naming::ident;
use crate::type_space::TypeSpace;

pub(super) struct AwsJson;

impl ProtocolEmitter for AwsJson {
    fn bodies_use_serde(&self) -> bool {
        true
    }

    fn runtime_protocol(&self, service: &Service) -> (TokenStream, TokenStream) {
        let version = match service.metadata.json_version.as_deref() {
            Some("1.0") => quote!(V1_0),
            // botocore sends what `jsonVersion` says; 1.1 is what models without one use.
            _ => quote!(V1_1),
        };
        let query_compatible = service.metadata.aws_query_compatible;
        (
            quote!(crate::rt::protocol::aws_json::AwsJson),
            quote! {
                crate::rt::protocol::aws_json::AwsJson::new(
                    crate::rt::protocol::aws_json::JsonVersion::#version,
                    #query_compatible,
                )
            },
        )
    }

    fn build(&self, space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
        let fields = rest::input_fields(space, operation);
        let prefix = space
            .service
            .metadata
            .target_prefix
            .as_deref()
            .unwrap_or_default();
        // botocore sends the operation's `name`, which every real model keys it by too.
        let target = format!("{prefix}.{}", operation.wire_name);
        let mut statements = rest::idempotency_tokens(&fields);
        let host = rest::host_prefix(operation, &fields);
        let mutable = (!host.is_empty()).then(|| quote!(mut));
        statements.push(quote! {
            let #mutable request = crate::client::PROTOCOL.request(Self::NAME, #target, &*input)?;
        });
        statements.extend(host);
        quote! {
            #(#statements)*
            ::std::result::Result::Ok(request)
        }
    }

    fn read_output(&self, space: &TypeSpace<'_>, id: ShapeId, _: Option<&str>) -> Read {
        // An output holding an event stream is that stream: the body is its messages (the
        // first, `initial-response`, would carry the other members; no model has any).
        let fields = space
            .service
            .shape(id)
            .as_structure()
            .map(|structure| space.fields(structure))
            .unwrap_or_default();
        let init = match fields.iter().find(|field| field.event_stream) {
            Some(field) => {
                let rust_type = space.rust_type(id);
                let name = ident(&field.rust_name);
                rest::payload_init(
                    &rust_type,
                    &name,
                    rest::event_stream_payload(),
                    fields.len(),
                )
            }
            None => quote!(crate::rt::json::read_body(response)?),
        };
        Read {
            init,
            statements: Vec::new(),
        }
    }

    fn event_reader(&self) -> Option<TokenStream> {
        Some(quote!(crate::rt::json::read_event))
    }

    fn read_error(&self, _: &TypeSpace<'_>, _: ShapeId) -> Read {
        Read {
            init: quote!(crate::rt::json::read_error_body(response)),
            statements: Vec::new(),
        }
    }
}
