//! The `dynamic` feature: every type in botocore form (`rt::params::Params`), and operations
//! called by name with botocore-form JSON. The AWS CLI's input and output, boto3's parameters
//! and botocore's protocol tests are all written in that form.

use models::ShapeKind;
use proc_macro2::TokenStream;
use quote::quote;

use super::operation::marker_name;
use crate::naming::ident;
use crate::type_space::{Field, TypeSpace};

fn is_blob(space: &TypeSpace<'_>, field: &Field<'_>) -> bool {
    matches!(
        space.service.shape(field.member.target).kind,
        ShapeKind::Blob { .. }
    )
}

pub(crate) fn structure_impl(
    space: &TypeSpace<'_>,
    name: &syn::Ident,
    fields: &[Field<'_>],
) -> TokenStream {
    let known: Vec<&str> = fields.iter().map(|f| f.member.name.as_str()).collect();
    let reads = fields.iter().map(|field| {
        let key = &field.member.name;
        let rust = ident(&field.rust_name);
        let read = if is_blob(space, field) {
            quote!(params::member_blob(value, &path.member(#key))?)
        } else {
            quote!(params::member(value, &path.member(#key))?)
        };
        quote!(#key => output.#rust = #read,)
    });
    let writes = fields.iter().map(|field| {
        let key = &field.member.name;
        let rust = ident(&field.rust_name);
        if is_blob(space, field) {
            quote!(crate::rt::params::put_blob(&mut object, #key, &self.#rust);)
        } else {
            quote!(crate::rt::params::put(&mut object, #key, &self.#rust, style);)
        }
    });
    let object_binding = if fields.is_empty() {
        quote!(object)
    } else {
        quote!(mut object)
    };
    let style_binding = if fields.iter().all(|field| is_blob(space, field)) {
        quote!(_style)
    } else {
        quote!(style)
    };
    let read = if fields.is_empty() {
        quote! {
            match crate::rt::params::object(value, path)?.keys().next() {
                ::std::option::Option::Some(key) => ::std::result::Result::Err(crate::rt::params::unknown_member(path, key, &[])),
                ::std::option::Option::None => ::std::result::Result::Ok(Self::default()),
            }
        }
    } else {
        quote! {
            use crate::rt::params;
            let mut output = Self::default();
            for (key, value) in params::object(value, path)? {
                match key.as_str() {
                    #(#reads)*
                    _ => return ::std::result::Result::Err(params::unknown_member(path, key, &[#(#known),*])),
                }
            }
            ::std::result::Result::Ok(output)
        }
    };
    quote! {
        #[cfg(feature = "dynamic")]
        impl crate::rt::params::Params for #name {
            fn from_params(
                value: &::serde_json::Value,
                path: &crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, crate::rt::params::ParamsError> {
                #read
            }

            fn to_params(&self, #style_binding: crate::rt::params::TimestampStyle) -> ::serde_json::Value {
                let #object_binding = ::serde_json::Map::new();
                #(#writes)*
                ::serde_json::Value::Object(object)
            }
        }
    }
}

pub(crate) fn enum_impl(name: &syn::Ident) -> TokenStream {
    quote! {
        #[cfg(feature = "dynamic")]
        impl crate::rt::params::Params for #name {
            fn from_params(
                value: &::serde_json::Value,
                path: &crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, crate::rt::params::ParamsError> {
                crate::rt::params::enum_from_params(value, path)
            }

            fn to_params(&self, _style: crate::rt::params::TimestampStyle) -> ::serde_json::Value {
                ::serde_json::Value::String(self.as_str().to_owned())
            }
        }

        #[cfg(feature = "dynamic")]
        impl crate::rt::params::MapKey for #name {
            fn from_key(key: &str) -> Self {
                Self::from(key)
            }

            fn as_key(&self) -> &str {
                self.as_str()
            }
        }
    }
}

pub(crate) fn union_impl(
    space: &TypeSpace<'_>,
    name: &syn::Ident,
    variants: &[Field<'_>],
) -> TokenStream {
    let known: Vec<&str> = variants.iter().map(|f| f.member.name.as_str()).collect();
    let reads = variants.iter().map(|variant| {
        let key = &variant.member.name;
        let rust = ident(&variant.rust_name);
        let read = if is_blob(space, variant) {
            quote!(params::Blob::from_params(value, &path.member(#key))?)
        } else {
            quote!(params::Params::from_params(value, &path.member(#key))?)
        };
        quote!(#key => Self::#rust(#read),)
    });
    let writes = variants.iter().map(|variant| {
        let key = &variant.member.name;
        let rust = ident(&variant.rust_name);
        let write = if is_blob(space, variant) {
            quote!(params::Blob::to_params(value))
        } else {
            quote!(params::Params::to_params(value, style))
        };
        quote!(Self::#rust(value) => (#key, #write),)
    });
    let style_binding = if variants.iter().all(|variant| is_blob(space, variant)) {
        quote!(_style)
    } else {
        quote!(style)
    };
    quote! {
        #[cfg(feature = "dynamic")]
        impl crate::rt::params::Params for #name {
            fn from_params(
                value: &::serde_json::Value,
                path: &crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, crate::rt::params::ParamsError> {
                use crate::rt::params;
                let (key, value) = params::union_member(value, path)?;
                ::std::result::Result::Ok(match key {
                    #(#reads)*
                    _ => return ::std::result::Result::Err(params::unknown_member(path, key, &[#(#known),*])),
                })
            }

            fn to_params(&self, #style_binding: crate::rt::params::TimestampStyle) -> ::serde_json::Value {
                use crate::rt::params;
                let (key, value) = match self {
                    #(#writes)*
                    Self::Unknown(member) => return params::unknown_union_member(member),
                };
                let mut object = ::serde_json::Map::new();
                object.insert(key.to_owned(), value);
                ::serde_json::Value::Object(object)
            }
        }
    }
}

/// The error enum of an operation in botocore form: its code and its members.
pub(crate) fn error_impl(
    name: &syn::Ident,
    variants: &[(String, syn::Ident, models::ShapeId)],
) -> TokenStream {
    let arms = variants.iter().map(|(_, variant, _)| {
        quote!(Self::#variant(error) => ::std::option::Option::Some(crate::rt::params::Params::to_params(error, style)),)
    });
    quote! {
        #[cfg(feature = "dynamic")]
        impl crate::rt::params::ErrorParams for #name {
            fn members(&self, style: crate::rt::params::TimestampStyle) -> ::std::option::Option<::serde_json::Value> {
                match self {
                    #(#arms)*
                    Self::Unmodeled(_) => {
                        let _ = style;
                        ::std::option::Option::None
                    }
                }
            }
        }
    }
}

/// `dynamic.rs`: operations by name.
pub(crate) fn dynamic_file(space: &TypeSpace<'_>) -> TokenStream {
    let operations = &space.service.operations;
    let names = operations.keys();
    let build_arms = operations.values().map(|operation| {
        let name = &operation.name;
        let marker = marker_name(operation);
        quote!(#name => params::build::<operations::#marker>(params, endpoint),)
    });
    let parse_arms = operations.values().map(|operation| {
        let name = &operation.name;
        let marker = marker_name(operation);
        quote!(#name => params::parse::<operations::#marker>(response, style),)
    });
    let check_arms = operations.values().map(|operation| {
        let name = &operation.name;
        let marker = marker_name(operation);
        quote!(#name => params::check::<operations::#marker>(params),)
    });
    let call_arms = operations.values().map(|operation| {
        let name = &operation.name;
        let marker = marker_name(operation);
        quote!(#name => self.call_dynamic::<operations::#marker>(params, style).await,)
    });
    quote! {
        //! Operations called by name, with botocore-form JSON: member names as in the model,
        //! every member (URI, header and query ones too), timestamps as epoch seconds or ISO 8601.
        //! It is the form of boto3's parameters and results and of the AWS CLI's JSON.

        // `Error` carries the service's error as JSON; calls are not a hot path.
        #![allow(clippy::result_large_err)]

        use crate::operations;
        use crate::rt::error::Error;
        use crate::rt::http::{HttpRequest, HttpResponse};
        use crate::rt::params;

        pub use crate::rt::params::{DynamicError, InputError, ParamsError, ServiceErrorValue, TimestampStyle};

        /// Every operation of the model, by name.
        pub const OPERATIONS: &[&str] = &[#(#names),*];

        /// The request for `operation`, built from botocore-form `params` and addressed to
        /// `endpoint`, without validation or signing.
        pub fn build_request(operation: &str, params: &::serde_json::Value, endpoint: &str) -> ::std::result::Result<HttpRequest, DynamicError> {
            match operation {
                #(#build_arms)*
                _ => ::std::result::Result::Err(DynamicError::UnknownOperation(operation.to_owned())),
            }
        }

        /// Reads botocore-form `params` into `operation`'s input and runs its validators,
        /// without building or sending a request.
        pub fn check_input(operation: &str, params: &::serde_json::Value) -> ::std::result::Result<(), InputError> {
            match operation {
                #(#check_arms)*
                _ => ::std::result::Result::Err(InputError::UnknownOperation(operation.to_owned())),
            }
        }

        /// Decodes a response to `operation` into its botocore-form result or error.
        pub fn parse_response(operation: &str, response: &HttpResponse, style: TimestampStyle) -> ::std::result::Result<::serde_json::Value, Error<ServiceErrorValue>> {
            match operation {
                #(#parse_arms)*
                _ => ::std::result::Result::Err(Error::Build(params::unknown_operation(operation))),
            }
        }

        impl crate::Client {
            /// Calls `operation` with botocore-form `params`: validated, signed, retried like
            /// the typed methods.
            pub async fn call(&self, operation: &str, params: &::serde_json::Value, style: TimestampStyle) -> ::std::result::Result<::serde_json::Value, Error<ServiceErrorValue>> {
                match operation {
                    #(#call_arms)*
                    _ => ::std::result::Result::Err(Error::Build(params::unknown_operation(operation))),
                }
            }
        }
    }
}
