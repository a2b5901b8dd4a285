//! smithy-rpc-v2-cbor: every input member in one CBOR map, sent as
//! `POST /service/{targetPrefix}/operation/{Operation}`; the output read from one. The types'
//! serde form is the codec, through the runtime's CBOR serializer.

use models::{Operation, Service, ShapeId};
use proc_macro2::TokenStream;
use quote::quote;

use super::{ProtocolEmitter, Read, rest};
use crate::type_space::TypeSpace;

pub(super) struct RpcV2Cbor;

impl ProtocolEmitter for RpcV2Cbor {
    fn bodies_use_serde(&self) -> bool {
        true
    }

    fn runtime_protocol(&self, service: &Service) -> (TokenStream, TokenStream) {
        let query_compatible = service.metadata.aws_query_compatible;
        (
            quote!(crate::rt::protocol::rpc_v2_cbor::RpcV2Cbor),
            quote!(crate::rt::protocol::rpc_v2_cbor::RpcV2Cbor::new(#query_compatible)),
        )
    }

    fn runtime_features(&self) -> &'static [&'static str] {
        &["cbor"]
    }

    fn build(&self, space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
        let fields = rest::input_fields(space, operation);
        let service_name = space
            .service
            .metadata
            .target_prefix
            .as_deref()
            .unwrap_or_default();
        let path = format!("/service/{service_name}/operation/{}", operation.wire_name);
        let input = match operation.input {
            Some(_) => quote!(::std::option::Option::Some(&*input)),
            None => quote! {{
                let _ = input;
                ::std::option::Option::None::<&crate::Unit>
            }},
        };
        let mut statements = rest::idempotency_tokens(&fields);
        let host = rest::host_prefix(operation, &fields);
        let mutable = (!host.is_empty()).then(|| quote!(mut));
        statements.push(quote! {
            let #mutable request = crate::client::PROTOCOL.request(Self::NAME, #path, #input)?;
        });
        statements.extend(host);
        quote! {
            #(#statements)*
            ::std::result::Result::Ok(request)
        }
    }

    fn read_output(&self, _: &TypeSpace<'_>, _: ShapeId, _: Option<&str>) -> Read {
        Read {
            init: quote!(crate::rt::protocol::rpc_v2_cbor::read_body(response)?),
            statements: Vec::new(),
        }
    }

    fn read_error(&self, _: &TypeSpace<'_>, _: ShapeId) -> Read {
        Read {
            init: quote!(crate::rt::protocol::rpc_v2_cbor::read_error_body(response)),
            statements: Vec::new(),
        }
    }
}
