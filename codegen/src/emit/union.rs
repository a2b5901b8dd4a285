//! Unions: one variant per member plus `Unknown`, which keeps the name and raw value of a member
//! this model does not list (botocore's `SDK_UNKNOWN_MEMBER`). Reading zero or several members
//! is an error, never a silent pick.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, member_docs};
use crate::naming::{self, Scope, ident};
use crate::type_space::{Field, NamedType, TypeSpace};

pub(crate) fn union(space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
    let shape = space.service.shape(named.shape);
    let Some(structure) = shape.as_structure() else {
        return TokenStream::new();
    };
    let name = ident(&named.rust_name);
    let shape_name = &shape.name;
    let docs = super::shape_docs(space, named.shape);
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let unknown = ident(naming::UNKNOWN_VARIANT);
    let variants = space.fields(structure);
    let validate = super::validate::union_impl(space, &name, &variants);
    let params = super::params::union_impl(space, &name, &variants);
    let gate = super::serde_gate(space);
    let events = event_stream_items(space, named, &variants);
    let redacts = shape.sensitive || variants.iter().any(|variant| variant.sensitive);
    let derive_debug = (!redacts).then(|| quote!(Debug,));

    let variant_defs = variants.iter().map(|variant| {
        let docs = member_docs(space, named.shape, variant);
        let deprecated = deprecated_attr(variant.member.deprecated.as_ref());
        let name = ident(&variant.rust_name);
        let stored = variant.stored_type();
        quote! {
            #docs
            #deprecated
            #name(#stored),
        }
    });
    let accessors = variants.iter().map(|variant| {
        let name = ident(&variant.rust_name);
        let accessor = ident(&format!("as_{}", variant.rust_name.to_snake_case()));
        let stored = variant.stored_type();
        let doc = format!(
            " The `{}` member, if that is the one set.",
            variant.member.name
        );
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> ::std::option::Option<&#stored> {
                match self {
                    Self::#name(value) => ::std::option::Option::Some(value),
                    _ => ::std::option::Option::None,
                }
            }
        }
    });
    let writes = variants.iter().map(|variant| {
        let name = ident(&variant.rust_name);
        let key = variant.serde_key;
        let format = &variant.format;
        quote!(Self::#name(value) => #format::write_union(serializer, #key, value),)
    });
    let reads = variants.iter().map(|variant| {
        let name = ident(&variant.rust_name);
        let key = variant.serde_key;
        let format = &variant.format;
        let key = proc_macro2::Literal::byte_string(key.as_bytes());
        quote!(#key => #format::read_member(map)?.map(Self::#name),)
    });
    let debug = redacts.then(|| {
        let arms = variants.iter().map(|variant| {
            let name = ident(&variant.rust_name);
            let label = &variant.rust_name;
            if shape.sensitive || variant.sensitive {
                quote!(Self::#name(_) => f.debug_tuple(#label).field(&crate::rt::Redacted).finish(),)
            } else {
                quote!(Self::#name(value) => f.debug_tuple(#label).field(value).finish(),)
            }
        });
        quote! {
            /// Sensitive members are redacted.
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        Self::#unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                    }
                }
            }
        }
    });

    quote! {
        #docs
        #deprecated
        #[derive(Clone, PartialEq, #derive_debug)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variant_defs)*
            /// A member this version of the model does not list, with its name and raw value.
            #unknown(crate::UnknownMember),
        }

        impl #name {
            #(#accessors)*

            /// True when the member set is one this model does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }

        #debug

        #gate
        impl crate::rt::serde::Serialize for #name {
            fn serialize<S: crate::rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                    Self::#unknown(member) => json::Plain::write_union(serializer, member.name(), member.value()),
                }
            }
        }

        #gate
        impl<'de> crate::rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: crate::rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                json::read_union(deserializer)
            }
        }

        #gate
        impl json::JsonUnion for #name {
            const NAME: &'static str = #shape_name;

            fn read_member<'de, A: crate::rt::serde::de::MapAccess<'de>>(key: &[u8], map: &mut A) -> ::std::result::Result<::std::option::Option<Self>, A::Error> {
                ::std::result::Result::Ok(match key {
                    #(#reads)*
                    _ => json::read_unknown_member(key, map)?.map(Self::#unknown),
                })
            }
        }

        #validate
        #params
        #events
    }
}

/// For an event-stream union responses carry: how a message becomes one of its members
/// (`rt::event_stream::Event`), and the enum of the exceptions it models.
fn event_stream_items(
    space: &TypeSpace<'_>,
    named: &NamedType,
    variants: &[Field<'_>],
) -> Option<TokenStream> {
    let error_name = space.event_stream_error(named.shape)?;
    let read_event = super::protocol::emitter(&space.protocol)?.event_reader()?;
    let name = ident(&named.rust_name);
    let error_name = ident(error_name);
    let service = space.service;
    let is_exception = |variant: &Field<'_>| {
        service
            .shape(variant.member.target)
            .as_structure()
            .is_some_and(|structure| structure.error.is_some())
    };
    let mut scope = Scope::with_reserved(["Unmodeled"]);
    let exceptions: Vec<(String, syn::Ident, models::ShapeId)> = variants
        .iter()
        .filter(|variant| is_exception(variant))
        .map(|variant| {
            let shape = service.shape(variant.member.target);
            let variant_name = ident(&scope.claim(naming::type_name(&shape.name)));
            (
                variant.member.name.clone(),
                variant_name,
                variant.member.target,
            )
        })
        .collect();
    let doc = format!(
        " The exceptions the `{}` event stream models, and `Unmodeled` for any other error \
         its messages carry.",
        service.shape(named.shape).name
    );
    let errors =
        super::operation::error_enum(space, &error_name, &doc, "event stream", &exceptions);
    let unknown = ident(naming::UNKNOWN_VARIANT);
    let event_arms = variants.iter().map(|variant| {
        let wire = &variant.member.name;
        let variant_name = ident(&variant.rust_name);
        let value = event_value(space, variant, &read_event);
        let value = if variant.boxed {
            quote!(::std::boxed::Box::new(#value))
        } else {
            value
        };
        quote!(#wire => Self::#variant_name(#value),)
    });
    let exception_arms: Vec<TokenStream> = exceptions
        .iter()
        .map(|(wire, variant, shape)| {
            let rust_type = space.rust_type(*shape);
            quote!(#wire => #error_name::#variant(#read_event::<#rust_type>(message)?),)
        })
        .collect();
    let (exception_binding, read_exception) = if exceptions.is_empty() {
        (
            quote!(_exception_type: &str, _message),
            quote!(::std::result::Result::Ok(Self::unmodeled(meta))),
        )
    } else {
        (
            quote!(exception_type: &str, message),
            quote! {
                ::std::result::Result::Ok(match exception_type {
                    #(#exception_arms)*
                    _ => Self::unmodeled(meta),
                })
            },
        )
    };
    Some(quote! {
        impl crate::rt::event_stream::Event for #name {
            type Error = #error_name;

            fn read_event(event_type: &str, message: &crate::rt::event_stream::Message) -> ::std::result::Result<Self, crate::rt::event_stream::EventDecodeError> {
                ::std::result::Result::Ok(match event_type {
                    #(#event_arms)*
                    other => Self::#unknown(crate::UnknownMember::new(other, crate::rt::json::read_event_document(message))),
                })
            }

            fn read_exception(#exception_binding: &crate::rt::event_stream::Message, meta: &crate::rt::error::ErrorMeta) -> ::std::result::Result<Self::Error, crate::rt::event_stream::EventDecodeError> {
                #read_exception
            }

            fn unmodeled(meta: &crate::rt::error::ErrorMeta) -> Self::Error {
                #error_name::Unmodeled(meta.unmodeled())
            }
        }

        #errors
    })
}

/// The value of one member, from a message: the structure its payload is, or the structure
/// whose `eventpayload` member the payload is (raw bytes, text, or a structure read in the
/// protocol's format).
fn event_value(
    space: &TypeSpace<'_>,
    variant: &Field<'_>,
    read_event: &TokenStream,
) -> TokenStream {
    let rust_type = space.rust_type(variant.member.target);
    let Some(event) = space.service.shape(variant.member.target).as_structure() else {
        return quote!(#read_event::<#rust_type>(message)?);
    };
    let fields = space.fields(event);
    let Some(payload) = fields.iter().find(|field| field.member.event_payload) else {
        return quote!(#read_event::<#rust_type>(message)?);
    };
    let field = ident(&payload.rust_name);
    let value = match &space.service.shape(payload.member.target).kind {
        models::ShapeKind::Blob { .. } => quote!(message.payload().to_vec()),
        models::ShapeKind::String { .. } => quote! {
            ::std::convert::From::from(
                ::std::str::from_utf8(message.payload())
                    .map_err(crate::rt::event_stream::EventDecodeError::new)?,
            )
        },
        _ => {
            let target = space.rust_type(payload.member.target);
            quote!(#read_event::<#target>(message)?)
        }
    };
    let value = if payload.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    };
    let rest = (fields.len() > 1).then(|| quote!(..::std::default::Default::default()));
    quote!(#rust_type { #field: ::std::option::Option::Some(#value), #rest })
}
