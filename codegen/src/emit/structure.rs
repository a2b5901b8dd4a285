//! Structures: a `#[non_exhaustive]` struct of optional fields, `with_*` setters, a `Debug` that
//! redacts sensitive members, and the rest-json body form.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, member_docs};
use crate::naming::{ident, setter_name};
use crate::type_space::{Field, NamedType, TypeSpace};

pub(crate) fn structure(space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
    let shape = space.service.shape(named.shape);
    let Some(structure) = shape.as_structure() else {
        return TokenStream::new();
    };
    let name = ident(&named.rust_name);
    let fields = space.fields(structure);
    let docs = super::shape_docs(space, named.shape);
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let redacts = shape.sensitive || fields.iter().any(|field| field.sensitive);
    let derive_debug = (!redacts).then(|| quote!(Debug,));

    let field_defs = fields.iter().map(|field| {
        let docs = member_docs(space, named.shape, field);
        let deprecated = deprecated_attr(field.member.deprecated.as_ref());
        let name = ident(&field.rust_name);
        let stored = field.stored_type();
        quote! {
            #docs
            #deprecated
            pub #name: ::std::option::Option<#stored>,
        }
    });
    let setters = fields.iter().map(setter);
    let debug = redacts.then(|| debug_impl(&name, &fields, shape.sensitive));
    let serde = serde_impls(&name, &shape.name, &fields, &super::serde_gate(space));
    let validate = super::validate::structure_impl(space, &name, &fields);
    let params = super::params::structure_impl(space, &name, &shape.name, &fields);

    quote! {
        #docs
        #deprecated
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_defs)*
        }

        impl #name {
            #(#setters)*
        }

        #debug
        #serde
        #validate
        #params
    }
}

fn setter(field: &Field<'_>) -> TokenStream {
    let name = ident(&field.rust_name);
    let setter = ident(&setter_name(&field.rust_name));
    let rust_type = &field.rust_type;
    let value = if field.boxed {
        quote!(::std::boxed::Box::new(value.into()))
    } else {
        quote!(value.into())
    };
    let doc = format!(
        " Sets [`{0}`](Self::{0}).",
        field.rust_name.trim_start_matches("r#")
    );
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, value: impl ::std::convert::Into<#rust_type>) -> Self {
            self.#name = ::std::option::Option::Some(#value);
            self
        }
    }
}

fn debug_impl(name: &syn::Ident, fields: &[Field<'_>], all_sensitive: bool) -> TokenStream {
    let type_name = name.to_string();
    let entries = fields.iter().map(|field| {
        let label = field.rust_name.trim_start_matches("r#");
        let name = ident(&field.rust_name);
        if all_sensitive || field.sensitive {
            quote!(.field(#label, &crate::rt::redact(&self.#name)))
        } else {
            quote!(.field(#label, &self.#name))
        }
    });
    quote! {
        /// Sensitive members are redacted.
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#entries)*
                    .finish()
            }
        }
    }
}

/// The JSON body form: body members only, under their wire names; unset members are omitted.
fn serde_impls(
    name: &syn::Ident,
    shape_name: &str,
    fields: &[Field<'_>],
    gate: &TokenStream,
) -> TokenStream {
    let body: Vec<&Field<'_>> = fields.iter().filter(|field| field.in_body()).collect();
    let writes = body.iter().map(|field| {
        let key = field.serde_key;
        let name = ident(&field.rust_name);
        let format = &field.format;
        quote!(#format::write_member(&mut map, #key, &self.#name)?;)
    });
    let map_binding = if body.is_empty() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    let read_body = if body.is_empty() {
        quote! {
            let _ = key;
            json::skip_member(map)
        }
    } else {
        let arms = body.iter().map(|field| {
            let key = field.serde_key;
            let name = ident(&field.rust_name);
            let format = &field.format;
            let key = proc_macro2::Literal::byte_string(key.as_bytes());
            if field.read_in_place {
                quote!(#key => #format::read_into(map, &mut self.#name)?,)
            } else {
                quote!(#key => self.#name = #format::read_member(map)?,)
            }
        });
        quote! {
            match key {
                #(#arms)*
                _ => json::skip_member(map)?,
            }
            ::std::result::Result::Ok(())
        }
    };
    quote! {
        #gate
        impl crate::rt::serde::Serialize for #name {
            fn serialize<S: crate::rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use crate::rt::serde::ser::SerializeMap as _;
                let #map_binding = serializer.serialize_map(::std::option::Option::None)?;
                #(#writes)*
                map.end()
            }
        }

        #gate
        impl<'de> crate::rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: crate::rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                json::read_structure(deserializer)
            }
        }

        #gate
        impl json::JsonStructure for #name {
            const NAME: &'static str = #shape_name;

            fn read_member<'de, A: crate::rt::serde::de::MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> ::std::result::Result<(), A::Error> {
                #read_body
            }
        }
    }
}
