//! The `dynamic` feature: every type in botocore form (`rt::params::Params`), and operations
//! called by name with botocore-form JSON. The AWS CLI's input and output, boto3's parameters
//! and botocore's protocol tests are all written in that form.

use models::{ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

use crate::naming::ident;
use crate::type_space::{Field, TypeSpace};

/// The botocore form of a value of shape `id` (`params::List::<params::Blob>`): blobs, and
/// lists and maps holding them, have forms of their own; everything else is `Plain`.
fn form(space: &TypeSpace<'_>, id: ShapeId) -> TokenStream {
    match &space.service.shape(id).kind {
        ShapeKind::Blob { .. } => quote!(params::Blob),
        ShapeKind::List { member, .. } => {
            let item = form(space, member.target);
            quote!(params::List::<#item>)
        }
        ShapeKind::Map { value, .. } => {
            let value = form(space, value.target);
            quote!(params::MapOf::<#value>)
        }
        _ => quote!(params::Plain),
    }
}

/// The botocore form of member `member` of structure `holder`: a `jsonvalue` header (a JSON
/// value sent as base64 of its text), an IAM policy document and CloudFormation's template in
/// GetTemplate's output take any JSON value and give back the value, as botocore does;
/// otherwise its target's [`form`].
fn member_form(space: &TypeSpace<'_>, holder: &str, member: &models::Member) -> TokenStream {
    let json_header = member.jsonvalue
        && member.location == models::Location::Header
        && matches!(
            space.service.shape(member.target).kind,
            ShapeKind::String { .. }
        );
    let json_text = json_header
        || crate::emit::customization::is_policy_document(space.service, member.target)
        || crate::emit::customization::is_json_template_body(space.service, holder, member);
    if json_text {
        quote!(params::JsonText)
    } else {
        form(space, member.target)
    }
}

pub(crate) fn structure_impl(
    space: &TypeSpace<'_>,
    name: &syn::Ident,
    holder: &str,
    fields: &[Field<'_>],
) -> TokenStream {
    let known: Vec<&str> = fields.iter().map(|f| f.member.name.as_str()).collect();
    let reads = fields.iter().map(|field| {
        let key = &field.member.name;
        let rust = ident(&field.rust_name);
        let form = member_form(space, holder, field.member);
        quote!(#key => output.#rust = #form::read_member(value, &path.member(#key))?,)
    });
    let writes = fields.iter().map(|field| {
        let key = &field.member.name;
        let rust = ident(&field.rust_name);
        let form = member_form(space, holder, field.member);
        quote!(#form::put_member(&mut object, #key, &self.#rust, style);)
    });
    let object_binding = if fields.is_empty() {
        quote!(object)
    } else {
        quote!(mut object)
    };
    let style_binding = if fields.is_empty() {
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
            use crate::rt::params::{self, Form as _};
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
                value: &crate::rt::serde_json::Value,
                path: &crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, crate::rt::params::ParamsError> {
                #read
            }

            fn to_params(&self, #style_binding: crate::rt::params::ResultStyle) -> crate::rt::serde_json::Value {
                #[allow(unused_imports)]
                use crate::rt::params::{self, Form as _};
                let #object_binding = crate::rt::serde_json::Map::new();
                #(#writes)*
                crate::rt::serde_json::Value::Object(object)
            }
        }
    }
}

pub(crate) fn enum_impl(name: &syn::Ident) -> TokenStream {
    quote! {
        #[cfg(feature = "dynamic")]
        impl crate::rt::params::Params for #name {
            fn from_params(
                value: &crate::rt::serde_json::Value,
                path: &crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, crate::rt::params::ParamsError> {
                crate::rt::params::enum_from_params(value, path)
            }

            fn to_params(&self, _style: crate::rt::params::ResultStyle) -> crate::rt::serde_json::Value {
                crate::rt::serde_json::Value::String(self.as_str().to_owned())
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
        let form = form(space, variant.member.target);
        let read = quote!(#form::read(value, &path.member(#key))?);
        let read = if variant.boxed {
            quote!(::std::boxed::Box::new(#read))
        } else {
            read
        };
        quote!(#key => Self::#rust(#read),)
    });
    let writes = variants.iter().map(|variant| {
        let key = &variant.member.name;
        let rust = ident(&variant.rust_name);
        let form = form(space, variant.member.target);
        let value = if variant.boxed {
            quote!(&**value)
        } else {
            quote!(value)
        };
        quote!(Self::#rust(value) => (#key, #form::write(#value, style)),)
    });
    let style_binding = if variants.is_empty() {
        quote!(_style)
    } else {
        quote!(style)
    };
    quote! {
        #[cfg(feature = "dynamic")]
        impl crate::rt::params::Params for #name {
            fn from_params(
                value: &crate::rt::serde_json::Value,
                path: &crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, crate::rt::params::ParamsError> {
                use crate::rt::params::{self, Form as _};
                let (key, value) = params::union_member(value, path)?;
                ::std::result::Result::Ok(match key {
                    #(#reads)*
                    _ => return ::std::result::Result::Err(params::unknown_member(path, key, &[#(#known),*])),
                })
            }

            fn to_params(&self, #style_binding: crate::rt::params::ResultStyle) -> crate::rt::serde_json::Value {
                #[allow(unused_imports)]
                use crate::rt::params::{self, Form as _};
                let (key, value) = match self {
                    #(#writes)*
                    Self::Unknown(member) => return params::unknown_union_member(member),
                };
                let mut object = crate::rt::serde_json::Map::new();
                object.insert(key.to_owned(), value);
                crate::rt::serde_json::Value::Object(object)
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
        impl crate::rt::dynamic::ErrorParams for #name {
            fn members(&self, style: crate::rt::params::ResultStyle) -> ::std::option::Option<crate::rt::serde_json::Value> {
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
    let operations = space.service.operations.values().map(|operation| {
        let marker = ident(&space.operation_names(operation).marker);
        quote!(&crate::operations::#marker)
    });
    quote! {
        //! Operations called by name, with botocore-form JSON: member names as in the model,
        //! every member (URI, header and query ones too), timestamps as epoch seconds or ISO 8601.
        //! It is the form of boto3's parameters and results and of the AWS CLI's JSON.

        // `Error` carries the service's error as JSON; calls are not a hot path.
        #![allow(clippy::result_large_err)]

        pub use crate::rt::dynamic::{DynamicError, InputError, Operations, ServiceErrorValue};
        pub use crate::rt::params::{ParamsError, ResultStyle};

        /// Every operation of the model, sorted by name.
        pub static OPERATIONS: crate::rt::dynamic::Operations = crate::rt::dynamic::Operations::new(&[#(#operations),*]);

        /// The request for `operation`, built from botocore-form `params` and addressed to
        /// `endpoint`, without validation or signing.
        pub fn build_request(operation: &str, params: &crate::rt::serde_json::Value, endpoint: &str) -> ::std::result::Result<crate::HttpRequest, DynamicError> {
            OPERATIONS.build_request(operation, params, endpoint)
        }

        /// Reads botocore-form `params` into `operation`'s input and runs its validators,
        /// without building or sending a request.
        pub fn check_input(operation: &str, params: &crate::rt::serde_json::Value) -> ::std::result::Result<(), InputError> {
            OPERATIONS.check_input(operation, params)
        }

        /// Decodes a response to `operation` into its botocore-form result or error.
        pub fn parse_response(operation: &str, response: &crate::HttpResponse, style: ResultStyle) -> ::std::result::Result<crate::rt::serde_json::Value, crate::Error<ServiceErrorValue>> {
            OPERATIONS.parse_response(operation, response, style)
        }

        impl crate::Client {
            /// Calls `operation` with botocore-form `params`: validated, signed and retried
            /// like the typed methods.
            pub async fn call_operation(&self, operation: &str, params: &crate::rt::serde_json::Value, style: ResultStyle) -> ::std::result::Result<crate::rt::serde_json::Value, crate::Error<ServiceErrorValue>> {
                OPERATIONS.call(self.service_client(), operation, params, style).await
            }
        }
    }
}
