//! Operations: each model operation becomes an `Operation` impl on a marker type, binding its
//! input to a request and a response back to its output through the service's protocol
//! emitter, plus an error enum with one variant per modeled exception and `Unmodeled`.

use std::collections::BTreeMap;

use models::{Operation, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::protocol::{ProtocolEmitter, Read};
use crate::capabilities::{self, Capabilities, Signing};
use crate::docs::html_to_markdown;
use crate::naming::{self, Scope, ident};
use crate::type_space::{Field, TypeSpace};

/// The Rust type of an operation's input or output (`crate::Unit` when the model has none).
pub(crate) fn io_type(space: &TypeSpace<'_>, shape: Option<ShapeId>) -> TokenStream {
    match shape {
        Some(id) => space.rust_type(id),
        None => quote!(crate::Unit),
    }
}

/// Names of the response readers: one per output shape (and result wrapper, for the protocols
/// that wrap outputs), one per error shape.
struct Readers {
    outputs: BTreeMap<(ShapeId, Option<String>), syn::Ident>,
    errors: BTreeMap<ShapeId, syn::Ident>,
}

impl Readers {
    fn new(space: &TypeSpace<'_>, protocol: &dyn ProtocolEmitter) -> Self {
        let service = space.service;
        let mut scope = Scope::default();
        let mut name = |id: ShapeId, suffix: &str| {
            let base = naming::field_name(&service.shape(id).name);
            format_ident!(
                "{}",
                scope.claim(format!("read_{}{suffix}", base.trim_start_matches("r#")))
            )
        };
        let outputs: std::collections::BTreeSet<(ShapeId, Option<String>)> = service
            .operations
            .values()
            .filter_map(|operation| Some((operation.output?, protocol.output_wrapper(operation))))
            .collect();
        let errors: std::collections::BTreeSet<ShapeId> = service
            .operations
            .values()
            .flat_map(|operation| operation.errors.iter().copied())
            .collect();
        Readers {
            outputs: outputs
                .into_iter()
                .map(|(id, wrapper)| {
                    let reader = name(id, "");
                    ((id, wrapper), reader)
                })
                .collect(),
            errors: errors
                .into_iter()
                .map(|id| (id, name(id, "_error")))
                .collect(),
        }
    }
}

/// The whole `operations.rs`: operation impls, error enums, and the response readers.
pub(crate) fn operations_file(
    space: &TypeSpace<'_>,
    protocol: &dyn ProtocolEmitter,
    capabilities: &Capabilities,
) -> TokenStream {
    let service = space.service;
    let readers = Readers::new(space, protocol);
    let operations = service
        .operations
        .values()
        .map(|operation| operation_items(space, protocol, capabilities, &readers, operation));
    let output_readers = readers.outputs.iter().map(|((id, wrapper), name)| {
        let rust_type = space.rust_type(*id);
        let read = protocol.read_output(space, *id, wrapper.as_deref());
        let body = read_body(&rust_type, read, None);
        let doc = format!(" Reads a `{}` from a response.", service.shape(*id).name);
        quote! {
            #[doc = #doc]
            fn #name(response: &crate::rt::http::HttpResponse) -> ::std::result::Result<#rust_type, crate::rt::error::DecodeError> {
                #body
            }
        }
    });
    let error_readers = readers
        .errors
        .iter()
        .map(|(id, name)| error_reader(space, protocol, *id, name));
    quote! {
        //! One item per operation: how its input goes on the wire, how its output and errors
        //! come back, and the enum of the errors it models.

        // The model deprecates some shapes; binding them to the wire is still required.
        #![allow(deprecated)]

        #(#operations)*
        #(#output_readers)*
        #(#error_readers)*
    }
}

/// Reads an error shape, filling its message from what the protocol read when the body did not
/// name it: AWS writes `message` or `Message` whatever the model calls it.
fn error_reader(
    space: &TypeSpace<'_>,
    protocol: &dyn ProtocolEmitter,
    id: ShapeId,
    name: &syn::Ident,
) -> TokenStream {
    let rust_type = space.rust_type(id);
    let doc = format!(
        " Reads the error `{}` from a response.",
        space.service.shape(id).name
    );
    let message = message_field(space, id);
    let meta = match message {
        Some(_) => quote!(meta),
        None => quote!(_meta),
    };
    let body = read_body(&rust_type, protocol.read_error(space, id), message.as_ref());
    quote! {
        #[doc = #doc]
        fn #name(response: &crate::rt::http::HttpResponse, #meta: &crate::rt::error::ErrorMeta) -> ::std::result::Result<#rust_type, crate::rt::error::DecodeError> {
            #body
        }
    }
}

/// A reader's body: the protocol's reading, then (for an error) the message the protocol read
/// when the body did not name one.
fn read_body(rust_type: &TokenStream, read: Read, message: Option<&syn::Ident>) -> TokenStream {
    let Read {
        init,
        mut statements,
    } = read;
    if let Some(field) = message {
        statements.push(quote! {
            if output.#field.is_none() {
                output.#field = meta.message.clone();
            }
        });
    }
    let mutable = (!statements.is_empty()).then(|| quote!(mut));
    quote! {
        let #mutable output: #rust_type = #init;
        #(#statements)*
        ::std::result::Result::Ok(output)
    }
}

fn operation_items(
    space: &TypeSpace<'_>,
    protocol: &dyn ProtocolEmitter,
    capabilities: &Capabilities,
    readers: &Readers,
    operation: &Operation,
) -> TokenStream {
    let names = space.operation_names(operation);
    let marker = ident(&names.marker);
    let error_type = ident(&names.error);
    let name = &operation.name;
    let input = io_type(space, operation.input);
    let output = io_type(space, operation.output);
    let build = protocol.build(space, operation);
    let input_fields = super::protocol::rest::input_fields(space, operation);
    let prepare = {
        let mut statements = super::customization::route53_ids(space, &input_fields);
        statements.extend(super::customization::glacier_account_id(
            space,
            &input_fields,
        ));
        (!statements.is_empty()).then(|| {
            quote! {
                fn prepare_input(input: &mut Self::Input) {
                    #(#statements)*
                }
            }
        })
    };
    let response_checksums = response_checksums(operation, &input_fields);
    let url_encoding = super::customization::url_encoded_keys(space, operation);
    let finish_output = super::customization::finish_output(space, operation);
    let cross_region = super::customization::cross_region_presign(space, operation, &input_fields);
    let streaming_input = input_fields
        .iter()
        .find(|field| field.streaming && !field.event_stream)
        .map(|field| {
            let name = ident(&field.rust_name);
            quote! {
                fn set_streaming_input(input: &mut Self::Input, body: crate::rt::ByteStream) {
                    input.#name = ::std::option::Option::Some(body);
                }
            }
        });
    let parse = match operation.output {
        Some(id) => {
            let reader = &readers.outputs[&(id, protocol.output_wrapper(operation))];
            quote!(#reader(response))
        }
        None => quote! {
            let _ = response;
            ::std::result::Result::Ok(crate::Unit)
        },
    };
    let doc = format!(
        " The `{name}` operation, as a type: it names the operation to \
         [`Client::presign`](crate::Client::presign)."
    );
    let signing = match capabilities::signing(space.service, operation) {
        Signing::SigV4 => None,
        Signing::SigV4UnsignedPayload => Some(quote!(SigV4UnsignedPayload)),
        Signing::None => Some(quote!(None)),
        Signing::SigV2 => Some(quote!(SigV2)),
    }
    .map(|signing| {
        quote!(const SIGNING: crate::rt::client::Signing = crate::rt::client::Signing::#signing;)
    });
    let unsupported = capabilities.unsupported(operation).map(|feature| {
        quote!(const UNSUPPORTED: ::std::option::Option<&'static str> = ::std::option::Option::Some(#feature);)
    });
    let endpoint_params = super::endpoint::operation_params(space, operation);
    let streaming = streaming_output(space, operation).or_else(|| payload_output(space, operation));
    let variants = error_variants(space, operation);
    let errors = error_enum(
        space,
        &error_type,
        &format!(
            " The errors `{}` models, and `Unmodeled` for any other error the service returns.",
            operation.name
        ),
        "operation",
        &variants,
    );
    let parse_error = if variants.is_empty() {
        quote! {
            let _ = response;
            ::std::result::Result::Ok(#error_type::Unmodeled(meta.unmodeled()))
        }
    } else {
        // Two error shapes may share a code; the first in the model's order answers to it.
        let mut seen = std::collections::BTreeSet::new();
        let unique: Vec<_> = variants
            .iter()
            .filter(|(code, _, _)| seen.insert(code.clone()))
            .collect();
        let codes = unique.iter().map(|(code, _, _)| code);
        let arms = unique.iter().map(|(code, variant, shape)| {
            let reader = &readers.errors[shape];
            quote!(::std::option::Option::Some(#code) => #error_type::#variant(#reader(response, meta)?),)
        });
        quote! {
            ::std::result::Result::Ok(match meta.modeled_code(&[#(#codes),*]) {
                #(#arms)*
                _ => #error_type::Unmodeled(meta.unmodeled()),
            })
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #marker;

        impl crate::rt::client::Operation for #marker {
            const NAME: &'static str = #name;
            const SERVICE: &'static crate::rt::client::ServiceInfo = &crate::client::SERVICE;
            #signing
            #endpoint_params
            #unsupported
            type Input = #input;
            type Output = #output;
            type Error = #error_type;

            #prepare
            #response_checksums
            #url_encoding
            #finish_output
            #cross_region
            #streaming_input

            fn build(input: &mut Self::Input) -> ::std::result::Result<crate::rt::request::RequestBuilder, crate::rt::error::BuildError> {
                #build
            }

            fn parse(response: &crate::rt::http::HttpResponse) -> ::std::result::Result<Self::Output, crate::rt::error::DecodeError> {
                #parse
            }

            #streaming

            fn parse_error(meta: &crate::rt::error::ErrorMeta, response: &crate::rt::http::HttpResponse) -> ::std::result::Result<Self::Error, crate::rt::error::DecodeError> {
                #parse_error
            }
        }

        #errors
    }
}

/// `(wire code, variant, shape)` for each error an operation models: botocore matches an
/// exception by its `error.code`, else by its shape name.
fn error_variants(
    space: &TypeSpace<'_>,
    operation: &Operation,
) -> Vec<(String, syn::Ident, ShapeId)> {
    let mut scope = Scope::with_reserved(["Unmodeled"]);
    let mut seen = std::collections::BTreeSet::new();
    operation
        .errors
        .iter()
        .filter(|id| seen.insert(**id))
        .map(|&id| {
            let shape = space.service.shape(id);
            let code = shape
                .as_structure()
                .and_then(|structure| structure.error.as_ref())
                .and_then(|error| error.code.clone())
                .unwrap_or_else(|| shape.name.clone());
            let variant = ident(&scope.claim(naming::type_name(&shape.name)));
            (code, variant, id)
        })
        .collect()
}

/// When an error arises, for its variant's docs: the model's docs, and the code and status.
fn error_variant_docs(space: &TypeSpace<'_>, id: ShapeId, code: &str) -> TokenStream {
    let shape = space.service.shape(id);
    let mut markdown = shape
        .documentation
        .as_deref()
        .map(html_to_markdown)
        .unwrap_or_default();
    let status = shape
        .as_structure()
        .and_then(|structure| structure.error.as_ref())
        .and_then(|error| error.http_status);
    let when = match status {
        Some(status) => format!("The service answers with code `{code}` (HTTP {status})."),
        None => format!("The service answers with code `{code}`."),
    };
    if !markdown.is_empty() {
        markdown.push_str("\n\n");
    }
    markdown.push_str(&when);
    super::doc_lines(&markdown)
}

/// An enum of errors, one variant per `(code, variant, shape)` and `Unmodeled`: an operation's
/// errors, or the exceptions an event stream models (`subject` says which, for the docs).
pub(crate) fn error_enum(
    space: &TypeSpace<'_>,
    name: &syn::Ident,
    doc: &str,
    subject: &str,
    variants: &[(String, syn::Ident, ShapeId)],
) -> TokenStream {
    let unmodeled_doc = format!(
        " An error this {subject} does not model, with its code, message, status and request id."
    );
    let params = super::params::error_impl(name, variants);
    let defs = variants.iter().map(|(code, variant, shape)| {
        let docs = error_variant_docs(space, *shape, code);
        let rust_type = space.rust_type(*shape);
        quote! {
            #docs
            #variant(#rust_type),
        }
    });
    let codes = variants
        .iter()
        .map(|(code, variant, _)| quote!(Self::#variant(_) => #code,));
    let messages = variants
        .iter()
        .map(|(_, variant, shape)| match message_field(space, *shape) {
            Some(field) => quote!(Self::#variant(error) => error.#field.as_deref(),),
            None => quote!(Self::#variant(_) => ::std::option::Option::None,),
        });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            #[doc = #unmodeled_doc]
            Unmodeled(crate::UnmodeledError),
        }

        impl crate::OperationError for #name {
            fn code(&self) -> &str {
                match self {
                    #(#codes)*
                    Self::Unmodeled(error) => &error.code,
                }
            }

            fn message(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#messages)*
                    Self::Unmodeled(error) => error.message.as_deref(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let code = match crate::OperationError::code(self) {
                    "" => "unknown error",
                    code => code,
                };
                match crate::OperationError::message(self) {
                    ::std::option::Option::Some(message) => write!(f, "{code}: {message}"),
                    ::std::option::Option::None => f.write_str(code),
                }
            }
        }

        impl ::std::error::Error for #name {}

        #params
    }
}

/// The field holding an exception's message (`message`, `Message` or `errorMessage`), if it is a
/// plain string.
fn message_field(space: &TypeSpace<'_>, shape: ShapeId) -> Option<syn::Ident> {
    let structure = space.service.shape(shape).as_structure()?;
    let fields = space.fields(structure);
    fields
        .iter()
        .find(|field| {
            matches!(
                field.member.name.as_str(),
                "message" | "Message" | "errorMessage"
            ) && !field.boxed
                && matches!(
                    space.service.shape(field.member.target).kind,
                    ShapeKind::String {
                        enum_values: None,
                        ..
                    }
                )
        })
        .map(|field| ident(&field.rust_name))
}

/// For an operation whose `httpChecksum` names a validation-mode member (S3's GetObject and
/// its `ChecksumMode`): the algorithms its responses may carry, and the member set to `ENABLED`
/// by default, as botocore's `when_supported` sets it.
fn response_checksums(operation: &Operation, fields: &[Field<'_>]) -> Option<TokenStream> {
    let checksum = operation.http_checksum.as_ref()?;
    let mode = checksum.request_validation_mode_member.as_deref()?;
    let field = fields
        .iter()
        .find(|field| field.member.name == mode && !field.boxed)?;
    let name = ident(&field.rust_name);
    let algorithms = &checksum.response_algorithms;
    Some(quote! {
        const RESPONSE_CHECKSUMS: &'static [&'static str] = &[#(#algorithms),*];

        fn ask_for_response_checksums(input: &mut Self::Input, default: bool) -> bool {
            if default && input.#name.is_none() {
                input.#name = ::std::option::Option::Some(::std::convert::From::from("ENABLED"));
            }
            input.#name.is_some()
        }
    })
}

/// For an operation whose output payload is a blob or string read whole (S3's
/// GetBucketPolicy): its body is that value, never an error document in a success.
fn payload_output(space: &TypeSpace<'_>, operation: &Operation) -> Option<TokenStream> {
    let structure = space.service.shape(operation.output?).as_structure()?;
    let payload = structure.payload.as_deref()?;
    let member = structure
        .members
        .iter()
        .find(|member| member.name == payload)?;
    matches!(
        space.service.shape(member.target).kind,
        ShapeKind::Blob { .. } | ShapeKind::String { .. }
    )
    .then(|| {
        quote!(
            const PAYLOAD_OUTPUT: bool = true;
        )
    })
}

/// For an operation whose output payload is a `streaming` blob or an event stream: the
/// `Operation` items that hand the body over as it arrives (the headers are read as `parse`
/// reads them).
fn streaming_output(space: &TypeSpace<'_>, operation: &Operation) -> Option<TokenStream> {
    let structure = space.service.shape(operation.output?).as_structure()?;
    let fields = space.fields(structure);
    let field = fields.iter().find(|field| field.streaming)?;
    let name = ident(&field.rust_name);
    let (value, event_stream) = if field.event_stream {
        (
            quote!(crate::rt::event_stream::EventReceiver::new(response, body)),
            Some(quote!(
                const EVENT_STREAM_OUTPUT: bool = true;
            )),
        )
    } else {
        (quote!(body), None)
    };
    Some(quote! {
        const STREAMING_OUTPUT: bool = true;
        const PAYLOAD_OUTPUT: bool = true;
        #event_stream

        fn parse_streaming(
            response: &crate::rt::http::HttpResponse,
            body: crate::rt::ByteStream,
        ) -> ::std::result::Result<Self::Output, crate::rt::error::DecodeError> {
            let mut output = Self::parse(response)?;
            output.#name = ::std::option::Option::Some(#value);
            ::std::result::Result::Ok(output)
        }
    })
}
