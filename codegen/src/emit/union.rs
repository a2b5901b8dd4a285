//! Unions: one variant per member plus `Unknown`, which keeps the name and raw value of a member
//! this model does not list (botocore's `SDK_UNKNOWN_MEMBER`). Reading zero or several members
//! is an error, never a silent pick.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, member_docs};
use crate::naming::{self, ident};
use crate::type_space::{NamedType, TypeSpace};

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
    }
}
