//! rest-xml: the REST binding of [`rest`](super::rest), and an XML body of the members left,
//! rooted in the element the input names (its `locationName` and `xmlNamespace`), or of the one
//! `payload` member (a blob or string payload is the raw body).

use models::{Operation, Service, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

use super::{ProtocolEmitter, Read, rest, xml};
use crate::naming::ident;
use crate::type_space::{Field, NamedType, TypeSpace};

pub(super) struct RestXml;

impl ProtocolEmitter for RestXml {
    fn runtime_protocol(&self, _: &Service) -> (TokenStream, TokenStream) {
        (
            quote!(crate::rt::protocol::rest_xml::RestXml),
            quote!(crate::rt::protocol::rest_xml::RestXml),
        )
    }

    fn runtime_features(&self) -> &'static [&'static str] {
        &["xml"]
    }

    fn build(&self, space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
        let fields = rest::input_fields(space, operation);
        let mut statements = rest::idempotency_tokens(&fields);
        let new_request = rest::new_request(operation);
        statements.extend(rest::host_prefix(operation, &fields));
        statements.extend(rest::request_bindings(space, operation, &fields));
        statements.extend(body(space, operation, &fields));
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
        Some(quote!(crate::rt::xml::read_event))
    }

    fn type_impls(&self, space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
        let read = xml::read_impl(space, named);
        let write = xml::write_impl(space, named);
        quote!(#read #write)
    }
}

/// The body: the payload member, or the input's body members under the input's root element.
fn body(space: &TypeSpace<'_>, operation: &Operation, fields: &[Field<'_>]) -> Option<TokenStream> {
    let input = operation.input?;
    let shape = space.service.shape(input);
    let structure = shape.as_structure()?;
    if let Some(payload) = &structure.payload {
        let field = fields.iter().find(|field| field.member.name == *payload)?;
        let name = ident(&field.rust_name);
        return Some(match &space.service.shape(field.member.target).kind {
            ShapeKind::Blob { .. } if field.streaming => quote! {
                if let ::std::option::Option::Some(body) = input.#name.take() {
                    request.stream_body(body, ::std::option::Option::None);
                }
            },
            ShapeKind::Blob { .. } => quote! {
                if let ::std::option::Option::Some(body) = &input.#name {
                    request.raw_body(body.clone());
                }
            },
            ShapeKind::String { .. } => quote! {
                if let ::std::option::Option::Some(body) = &input.#name {
                    request.raw_body(::std::string::ToString::to_string(body).into_bytes());
                }
            },
            _ => {
                // botocore names the root after the payload member's `locationName`.
                let root = field.member.wire_name();
                let namespace = xml::namespace(field.member.xml_namespace.as_ref());
                let unbox = field.boxed.then(|| quote!(let body = &**body;));
                quote! {
                    if let ::std::option::Option::Some(body) = &input.#name {
                        #unbox
                        let mut writer = crate::rt::xml::XmlWriter::new();
                        crate::rt::xml::XmlWrite::write_xml(body, &mut writer, #root, #namespace);
                        request.xml_body(writer.finish());
                    }
                }
            }
        });
    }
    let body_fields: Vec<&Field<'_>> = fields.iter().filter(|field| field.in_body()).collect();
    if body_fields.is_empty() {
        return None;
    }
    // The root is named by the operation's input reference, else the input shape.
    let root = operation
        .input_xml
        .name
        .as_deref()
        .or(shape.serialization.location_name.as_deref())
        .unwrap_or(&shape.name);
    let namespace = xml::namespace(
        operation
            .input_xml
            .namespace
            .as_ref()
            .or(shape.serialization.xml_namespace.as_ref()),
    );
    let set = body_fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        quote!(input.#name.is_some())
    });
    Some(quote! {
        // botocore sends a body only when a body member is set.
        if #(#set)||* {
            let mut writer = crate::rt::xml::XmlWriter::new();
            crate::rt::xml::XmlWrite::write_xml(&*input, &mut writer, #root, #namespace);
            request.xml_body(writer.finish());
        }
    })
}

/// The body (or payload), then headers and status code. An error keeps its code even when its
/// body is not XML.
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
    let shape = space.service.shape(id);
    if let Some((name, read)) = (!error)
        .then(|| crate::emit::customization::root_text_read(space, shape, &fields))
        .flatten()
    {
        let init = rest::payload_init(&rust_type, &name, read, fields.len());
        return Read {
            init,
            statements: rest::response_bindings(space, &fields),
        };
    }
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
                ShapeKind::Structure(target) if target.is_union() => {
                    quote!(crate::rt::xml::read_union_payload(response)?)
                }
                _ => quote!(crate::rt::xml::read_payload(response)?),
            };
            let read = if field.boxed {
                quote!(#read.map(::std::boxed::Box::new))
            } else {
                read
            };
            rest::payload_init(&rust_type, &name, read, fields.len())
        }
        None if error => quote!(crate::rt::xml::read_error(response)),
        None => quote!(crate::rt::xml::read_body(response)?),
    };
    statements.extend(rest::response_bindings(space, &fields));
    Read { init, statements }
}
