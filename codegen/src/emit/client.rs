//! The client surface: one async method per operation on `Client`, the same methods on a trait
//! (`ConnectApi`) that users can implement to mock the service, and paginators.

use models::{Operation, Paginator, ShapeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use super::operation::{error_enum_name, io_type, marker_name};
use crate::naming::{self, ident};
use crate::type_space::TypeSpace;

/// The trait's name: `Connect` → `ConnectApi`.
pub(crate) fn trait_name(space: &TypeSpace<'_>) -> syn::Ident {
    ident(&format!(
        "{}Api",
        naming::type_name(&space.service.metadata.service_id)
    ))
}

pub(crate) fn method_name(operation: &Operation) -> syn::Ident {
    ident(&naming::field_name(&operation.name))
}

pub(crate) fn client_file(space: &TypeSpace<'_>) -> TokenStream {
    let service = space.service;
    let metadata = &service.metadata;
    let service_id = &metadata.service_id;
    let endpoint_prefix = &metadata.endpoint_prefix;
    let signing_name = metadata.signing_name.as_deref().unwrap_or(endpoint_prefix);
    let mut retryable: Vec<String> = service
        .shapes
        .iter()
        .filter_map(|shape| {
            let error = shape.as_structure()?.error.as_ref()?;
            error.retryable.as_ref()?;
            Some(error.code.clone().unwrap_or_else(|| shape.name.clone()))
        })
        .collect();
    retryable.sort();
    retryable.dedup();
    let api = trait_name(space);

    let methods = service.operations.values().map(|operation| {
        let method = method_name(operation);
        let marker = marker_name(operation);
        let input = io_type(space, operation.input);
        let output = io_type(space, operation.output);
        let error = error_enum_name(operation);
        let docs = doc_attrs(operation.documentation.as_deref());
        let deprecated = super::deprecated_attr(operation.deprecated.as_ref());
        quote! {
            #docs
            #deprecated
            pub async fn #method(&self, input: #input) -> ::std::result::Result<#output, Error<operations::#error>> {
                self.invoke::<operations::#marker>(input).await
            }
        }
    });
    let trait_methods = service.operations.values().map(|operation| {
        let signature = trait_signature(space, operation);
        let name = &operation.name;
        let method = method_name(operation);
        let doc = format!(" `{name}`: see [`Client::{method}`]. Not implemented unless overridden.");
        quote! {
            #[doc = #doc]
            #signature {
                let _ = input;
                ::std::future::ready(::std::result::Result::Err(Error::NotImplemented { operation: #name }))
            }
        }
    });
    let trait_impls = service.operations.values().map(|operation| {
        let signature = trait_signature(space, operation);
        let method = method_name(operation);
        quote! {
            #signature {
                Client::#method(self, input)
            }
        }
    });
    // One `Paginated` impl per output type, even if two paginators shared one.
    let mut paginated_outputs = std::collections::BTreeSet::new();
    let paginators: Vec<_> = service
        .paginators
        .iter()
        .filter_map(|(name, paginator)| {
            let operation = service.operations.get(name)?;
            let output = operation.output?;
            let items = paginator_items(space, operation, paginator)?;
            paginated_outputs.insert(output).then_some(items)
        })
        .collect();
    let paginate_imports = (!paginators.is_empty()).then(|| {
        quote!(
            use crate::rt::paginate::{Pages, Paginated};
        )
    });
    let (pager_methods, paginated_impls): (Vec<_>, Vec<_>) = paginators.into_iter().unzip();
    let trait_doc = super::doc_lines(&format!(
        "Every operation of {}, implemented by [`Client`].\n\nImplement it to mock the service: \
         each method you do not override fails with [`Error::NotImplemented`]. Paginators work on \
         any implementation that is `Clone`.",
        metadata.service_full_name
    ));
    quote! {
        //! The client's operations, the service trait and paginators.

        #![allow(deprecated)]

        use crate::Client;
        use crate::operations;
        use crate::rt::client::ServiceInfo;
        use crate::rt::error::Error;
        #paginate_imports

        pub(crate) static SERVICE: ServiceInfo = ServiceInfo {
            service_id: #service_id,
            endpoint_prefix: #endpoint_prefix,
            signing_name: #signing_name,
            retryable_codes: &[#(#retryable),*],
        };

        impl Client {
            #(#methods)*
        }

        #trait_doc
        pub trait #api: Send + Sync {
            #(#trait_methods)*
            #(#pager_methods)*
        }

        impl #api for Client {
            #(#trait_impls)*
        }

        #(#paginated_impls)*
    }
}

/// `fn describe_contact(&self, input: ...) -> impl Future<Output = Result<...>> + Send`: the
/// trait's method, as declared and as `Client` implements it.
fn trait_signature(space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
    let method = method_name(operation);
    let input = io_type(space, operation.input);
    let output = io_type(space, operation.output);
    let error = error_enum_name(operation);
    quote! {
        fn #method(&self, input: #input) -> impl ::std::future::Future<Output = ::std::result::Result<#output, Error<operations::#error>>> + Send
    }
}

/// A provided trait method returning the pages of one paginated operation, and the
/// `Paginated` impl of its output.
fn paginator_items(
    space: &TypeSpace<'_>,
    operation: &Operation,
    paginator: &Paginator,
) -> Option<(TokenStream, TokenStream)> {
    let service = space.service;
    let input_shape = service.shape(operation.input?).as_structure()?;
    let output_id = operation.output?;
    let output_shape = service.shape(output_id).as_structure()?;
    let [input_token] = paginator.input_token.as_slice() else {
        return None;
    };
    let [output_token] = paginator.output_token.as_slice() else {
        return None;
    };
    let input_fields = space.fields(input_shape);
    let output_fields = space.fields(output_shape);
    let input_token = input_fields
        .iter()
        .find(|f| f.member.name == *input_token)?;
    let output_token = output_fields
        .iter()
        .find(|f| f.member.name == *output_token)?;
    let result = paginator
        .result_key
        .first()
        .and_then(|key| output_fields.iter().find(|f| f.member.name == *key))?;
    let ShapeKind::List { member: item, .. } = &service.shape(result.member.target).kind else {
        return None;
    };
    let item_type = space.rust_type(item.target);
    let method = method_name(operation);
    let pages = format_ident!("{}_pages", method.to_string().trim_start_matches("r#"));
    let input = space.rust_type(operation.input?);
    let output = space.rust_type(output_id);
    let error = error_enum_name(operation);
    let input_field = ident(&input_token.rust_name);
    let output_field = ident(&output_token.rust_name);
    let result_field = ident(&result.rust_name);
    let doc = format!(
        " Every page of `{}`, following `{}`. `.items()` gives the `{}` of every page.",
        operation.name, output_token.member.name, result.member.name
    );
    let method_tokens = quote! {
        #[doc = #doc]
        fn #pages(&self, input: #input) -> Pages<#output, operations::#error>
        where
            Self: Clone + 'static,
        {
            let api = self.clone();
            let first = input.#input_field.clone();
            Pages::new(first, move |token| {
                let api = api.clone();
                let mut input = input.clone();
                input.#input_field = token;
                ::std::boxed::Box::pin(async move { api.#method(input).await })
            })
        }
    };
    let impl_tokens = quote! {
        impl Paginated for #output {
            type Item = #item_type;

            fn next_token(&self) -> ::std::option::Option<&str> {
                self.#output_field.as_deref()
            }

            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                self.#result_field.unwrap_or_default()
            }
        }
    };
    Some((method_tokens, impl_tokens))
}
