//! Enums: one variant per model value plus `Unknown`, which keeps any other value so that it
//! round-trips; `as_str()`, `values()`, `From<&str>`, `FromStr`, `Display` and the wire form.

use proc_macro2::TokenStream;
use quote::quote;

use super::deprecated_attr;
use crate::naming::{self, Scope, ident};
use crate::type_space::{NamedType, TypeSpace};

pub(crate) fn enumeration(space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
    let shape = space.service.shape(named.shape);
    let models::ShapeKind::String {
        enum_values: Some(values),
        ..
    } = &shape.kind
    else {
        return TokenStream::new();
    };
    let name = ident(&named.rust_name);
    let docs = super::shape_docs(space, named.shape);
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let unknown = ident(naming::UNKNOWN_VARIANT);
    let mut scope = Scope::with_reserved([naming::UNKNOWN_VARIANT]);
    let variants: Vec<_> = values
        .iter()
        .map(|value| {
            (
                value.as_str(),
                ident(&scope.claim(naming::variant_name(value))),
            )
        })
        .collect();

    let variant_defs = variants.iter().map(|(value, variant)| {
        let doc = format!(" `{value}`");
        quote! {
            #[doc = #doc]
            #variant,
        }
    });
    let to_str = variants
        .iter()
        .map(|(value, variant)| quote!(Self::#variant => #value,));
    let from_str = variants
        .iter()
        .map(|(value, variant)| quote!(#value => Self::#variant,));
    let wire_values = variants.iter().map(|(value, _)| value);
    let validate = super::validate::enum_impl(&name);
    let params = super::params::enum_impl(&name);
    let gate = super::serde_gate(space);

    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A value this version of the model does not list, kept as sent.
            #unknown(crate::UnknownValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#unknown(value) => value.as_str(),
                }
            }

            /// Every value the model lists, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#wire_values),*]
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#unknown(crate::UnknownValue::new(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl crate::rt::rest::ToText for #name {
            fn to_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        impl crate::rt::rest::FromText for #name {
            fn from_text(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(Self::from(text))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #gate
        impl crate::rt::serde::Serialize for #name {
            fn serialize<S: crate::rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #gate
        impl<'de> crate::rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: crate::rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                json::read_enum(deserializer)
            }
        }

        #validate
        #params
    }
}
