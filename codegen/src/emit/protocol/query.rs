//! query and ec2: every input member as form pairs (`QueryWrite` impls on the shapes inputs
//! hold), sent as `POST /` with `Action` and `Version`; outputs read from XML under the result
//! wrapper (query) or the root (ec2), errors from the error element. The two differ only in
//! names and list layouts, decided here: query keys are `locationName`s with lists as
//! `.member.N` (`.N` flattened) and empty lists sent as `Key=`; ec2 keys are `queryName` or the
//! capitalized `locationName`, lists always `.N`, empty lists not sent.

use models::{Member, MemberRef, Operation, Service, ShapeId, ShapeKind, TimestampFormat};
use proc_macro2::TokenStream;
use quote::quote;

use super::{ProtocolEmitter, Read, rest, xml};
use crate::emit::customization;
use crate::naming::{self, ident};
use crate::type_space::{Field, NamedType, TypeKind, TypeSpace};

pub(super) struct Query {
    ec2: bool,
}

impl Query {
    pub(super) const QUERY: Query = Query { ec2: false };
    pub(super) const EC2: Query = Query { ec2: true };

    /// A member's key.
    fn key(&self, member: &Member) -> String {
        if !self.ec2 {
            return member.wire_name().to_owned();
        }
        if let Some(name) = &member.query_name {
            return name.clone();
        }
        match &member.location_name {
            Some(name) => capitalize(name),
            None => member.name.clone(),
        }
    }

    /// A map key's or value's name.
    fn entry_name(&self, reference: &MemberRef, default: &str) -> String {
        match &reference.location_name {
            Some(name) if self.ec2 => capitalize(name),
            Some(name) => name.clone(),
            None => default.to_owned(),
        }
    }
}

/// botocore capitalizes the first letter only (`vpcId` → `VpcId`).
fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl ProtocolEmitter for Query {
    fn runtime_protocol(&self, service: &Service) -> (TokenStream, TokenStream) {
        let version = &service.metadata.api_version;
        (
            quote!(crate::rt::protocol::query::Query),
            quote!(crate::rt::protocol::query::Query::new(#version)),
        )
    }

    fn runtime_features(&self) -> &'static [&'static str] {
        &["xml"]
    }

    fn build(&self, space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
        let fields = rest::input_fields(space, operation);
        let action = &operation.wire_name;
        let mut statements = rest::idempotency_tokens(&fields);
        let write = match operation.input {
            Some(_) => quote!(|writer| crate::rt::query::QueryWrite::write_query(&*input, writer)),
            None => quote!(|_| {}),
        };
        let unused = operation.input.is_none().then(|| quote!(let _ = input;));
        let host = rest::host_prefix(operation, &fields);
        let mutable = (!host.is_empty()).then(|| quote!(mut));
        statements.push(quote! {
            let #mutable request = crate::client::PROTOCOL.request(Self::NAME, #action, #write)?;
        });
        statements.extend(host);
        quote! {
            #unused
            #(#statements)*
            ::std::result::Result::Ok(request)
        }
    }

    fn output_wrapper(&self, operation: &Operation) -> Option<String> {
        operation.result_wrapper.clone()
    }

    fn read_output(&self, space: &TypeSpace<'_>, id: ShapeId, wrapper: Option<&str>) -> Read {
        let rust_type = space.rust_type(id);
        let init = if space.service.shape(id).as_structure().is_none() {
            quote!(<#rust_type>::default())
        } else {
            let wrapper = match wrapper {
                Some(wrapper) => quote!(::std::option::Option::Some(#wrapper)),
                None => quote!(::std::option::Option::None),
            };
            quote!(crate::rt::xml::read_wrapped(response, #wrapper)?)
        };
        Read {
            init,
            statements: Vec::new(),
        }
    }

    fn read_error(&self, space: &TypeSpace<'_>, id: ShapeId) -> Read {
        let rust_type = space.rust_type(id);
        let init = if space.service.shape(id).as_structure().is_none() {
            quote!(<#rust_type>::default())
        } else {
            quote!(crate::rt::xml::read_error(response))
        };
        Read {
            init,
            statements: Vec::new(),
        }
    }

    fn type_impls(&self, space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
        let read = xml::read_impl(space, named);
        let write = self.write_impl(space, named);
        quote!(#read #write)
    }
}

impl Query {
    /// The `QueryWrite` impl of a named type that requests hold.
    fn write_impl(&self, space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
        if !space.is_sent(named.shape) {
            return TokenStream::new();
        }
        let Some(structure) = space.service.shape(named.shape).as_structure() else {
            return TokenStream::new();
        };
        let name = ident(&named.rust_name);
        let fields = space.fields(structure);
        let body = if named.kind == TypeKind::Union {
            let unknown = ident(naming::UNKNOWN_VARIANT);
            let arms = fields.iter().map(|field| {
                let variant = ident(&field.rust_name);
                let write = self.write_member(space, field);
                quote!(Self::#variant(value) => { #write })
            });
            quote! {
                match self {
                    #(#arms)*
                    // A member this model does not know cannot be written.
                    Self::#unknown(_) => {}
                }
            }
        } else {
            let writes = fields.iter().map(|field| {
                let member = ident(&field.rust_name);
                let write =
                    if customization::is_base64_user_data(space.service, named.shape, field.member)
                    {
                        let key = self.key(field.member);
                        quote!(writer.member(#key, |writer| writer.blob(value.as_bytes()));)
                    } else {
                        self.write_member(space, field)
                    };
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#member {
                        #write
                    }
                }
            });
            let unused = fields.is_empty().then(|| quote!(let _ = (self, writer);));
            quote!(#unused #(#writes)*)
        };
        quote! {
            impl crate::rt::query::QueryWrite for #name {
                fn write_query(&self, writer: &mut crate::rt::query::QueryWriter) {
                    #body
                }
            }
        }
    }

    /// Writes the member's `value` (a reference, maybe boxed) under its key.
    fn write_member(&self, space: &TypeSpace<'_>, field: &Field<'_>) -> TokenStream {
        let member = field.member;
        let key = self.key(member);
        let unbox = field.boxed.then(|| quote!(let value = &**value;));
        let value = match &space.service.shape(member.target).kind {
            ShapeKind::List { member: item, .. } if member.flattened && !self.ec2 => {
                let layout = match &item.location_name {
                    Some(name) => {
                        quote!(crate::rt::query::ListLayout::Flattened(::std::option::Option::Some(#name)))
                    }
                    None => {
                        quote!(crate::rt::query::ListLayout::Flattened(
                            ::std::option::Option::None
                        ))
                    }
                };
                let item = self.write_value(space, item.target, None);
                quote!(writer.list(value, #layout, |writer, value| #item))
            }
            ShapeKind::Map { key, value, .. } => {
                self.write_map(space, key, value, member.flattened)
            }
            _ => self.write_value(space, member.target, member.timestamp_format),
        };
        quote! {
            #unbox
            writer.member(#key, |writer| #value);
        }
    }

    fn write_map(
        &self,
        space: &TypeSpace<'_>,
        key: &MemberRef,
        value: &MemberRef,
        flattened: bool,
    ) -> TokenStream {
        let key_name = self.entry_name(key, "key");
        let value_name = self.entry_name(value, "value");
        let write = self.write_value(space, value.target, None);
        quote! {
            writer.map(
                value,
                crate::rt::query::MapLayout { flattened: #flattened, key: #key_name, value: #value_name },
                |writer, value| #write,
            )
        }
    }

    /// An expression writing `value` (a reference) of shape `id` at the writer's key.
    fn write_value(
        &self,
        space: &TypeSpace<'_>,
        id: ShapeId,
        format: Option<TimestampFormat>,
    ) -> TokenStream {
        match &space.service.shape(id).kind {
            ShapeKind::Structure(_) => {
                quote!(crate::rt::query::QueryWrite::write_query(value, writer))
            }
            ShapeKind::String { .. }
            | ShapeKind::Integer(_)
            | ShapeKind::Long(_)
            | ShapeKind::Float(_)
            | ShapeKind::Double(_)
            | ShapeKind::Boolean => quote!(writer.text(value)),
            ShapeKind::Document => quote!(writer.text(&value.to_string())),
            ShapeKind::Timestamp {
                format: shape_format,
            } => {
                let format = xml::timestamp_format(format.or(*shape_format));
                quote!(writer.timestamp(value, #format))
            }
            ShapeKind::Blob { .. } => quote!(writer.blob(value)),
            ShapeKind::List { member, .. } => {
                let layout = if self.ec2 {
                    quote!(crate::rt::query::ListLayout::Ec2)
                } else {
                    let name = member.location_name.as_deref().unwrap_or("member");
                    quote!(crate::rt::query::ListLayout::Wrapped(#name))
                };
                let item = self.write_value(space, member.target, None);
                quote!(writer.list(value, #layout, |writer, value| #item))
            }
            ShapeKind::Map { key, value, .. } => self.write_map(space, key, value, false),
        }
    }
}
