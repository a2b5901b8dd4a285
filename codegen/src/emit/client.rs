//! The client surface: `Client`, with one async method per operation and one paginator method
//! per paginated operation; the same methods on a trait (`ConnectApi`) that users can implement
//! to mock the service; and the `ServiceInfo` the runtime needs.

use models::Operation;
use proc_macro2::TokenStream;
use quote::quote;

use super::doc_attrs;
use super::operation::io_type;
use crate::naming::{self, ident};
use crate::paginators::{self, Plan};
use crate::type_space::TypeSpace;

/// The trait's name: `Connect` → `ConnectApi`.
pub(crate) fn trait_name(space: &TypeSpace<'_>) -> syn::Ident {
    ident(&format!(
        "{}Api",
        naming::type_name(&space.service.metadata.service_id)
    ))
}

/// The paginators that can be emitted, by operation, in operation order.
pub(crate) fn paginator_plans<'s, 'a>(
    space: &'s TypeSpace<'a>,
) -> impl Iterator<Item = (&'a Operation, Plan)> + 's {
    let service = space.service;
    service
        .paginators
        .iter()
        .filter_map(move |(name, paginator)| {
            let operation = service.operations.get(name)?;
            let plan = paginators::plan(space, operation, paginator).ok()?;
            Some((operation, plan))
        })
}

pub(crate) fn client_file(
    space: &TypeSpace<'_>,
    (protocol_type, protocol): (TokenStream, TokenStream),
) -> TokenStream {
    let service = space.service;
    let metadata = &service.metadata;
    let service_id = &metadata.service_id;
    let endpoint_prefix = &metadata.endpoint_prefix;
    let signing_name = metadata.signing_name.as_deref().unwrap_or(endpoint_prefix);
    let customization = super::customization::service_customization(service);
    let bearer = super::customization::service_bearer(service);
    let (endpoint_rules, endpoint_rules_item) = super::endpoint::service_rules(service);
    let auth_tokens = super::customization::db_auth_token_methods(service);
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
    let full_name = &metadata.service_full_name;

    let methods = service.operations.values().map(|operation| {
        let names = space.operation_names(operation);
        let method = ident(&names.method);
        let marker = ident(&names.marker);
        let input = io_type(space, operation.input);
        let output = io_type(space, operation.output);
        let error = ident(&names.error);
        let docs = doc_attrs(operation.documentation.as_deref());
        let errors = error_docs(&operation.name, &names.error);
        let deprecated = super::deprecated_attr(operation.deprecated.as_ref());
        quote! {
            #docs
            #errors
            #deprecated
            pub fn #method(&self, input: #input) -> impl ::std::future::Future<Output = ::std::result::Result<#output, crate::Error<crate::operations::#error>>> + ::std::marker::Send + '_ {
                self.inner.invoke::<crate::operations::#marker>(input)
            }
        }
    });
    let trait_methods = service.operations.values().map(|operation| {
        let signature = trait_signature(space, operation);
        let name = &operation.name;
        let method = &space.operation_names(operation).method;
        let doc = format!(
            " `{name}`: see [`Client::{}`]. Fails with [`Error::NotImplemented`](crate::Error::NotImplemented) unless overridden.",
            method.trim_start_matches("r#")
        );
        quote! {
            #[doc = #doc]
            #signature {
                let _ = input;
                ::std::future::ready(::std::result::Result::Err(crate::Error::NotImplemented { operation: #name }))
            }
        }
    });
    let trait_impls = service.operations.values().map(|operation| {
        let signature = trait_signature(space, operation);
        let method = ident(&space.operation_names(operation).method);
        quote! {
            #signature {
                Client::#method(self, input)
            }
        }
    });
    let plans: Vec<_> = paginator_plans(space).collect();
    let pager_methods = plans
        .iter()
        .map(|(operation, plan)| pager_method(space, operation, plan));
    let pager_inherent = plans.iter().map(|(operation, plan)| {
        let names = space.operation_names(operation);
        let pages = ident(names.pages.as_deref().unwrap_or_default());
        let signature = pager_signature(space, operation, plan);
        let doc = pager_doc(operation, plan);
        quote! {
            #[doc = #doc]
            pub #signature {
                <Self as #api>::#pages(self, input)
            }
        }
    });
    let waiter_methods = super::waiter::trait_methods(space);
    let waiter_inherent = super::waiter::inherent_methods(space, &api);
    let trait_doc = super::doc_lines(&format!(
        "Every operation of {full_name}, implemented by [`Client`].\n\nImplement it to mock the \
         service: each method you do not override fails with \
         [`Error::NotImplemented`](crate::Error::NotImplemented). Paginators work on any \
         implementation that is `Clone`, waiters on any."
    ));
    let client_doc = super::doc_lines(&format!(
        "A client of {full_name}: one async method per operation (each future `Send`, for \
         tasks of a multi-threaded runtime), and one `*_pages` method per \
         paginated operation.\n\nCheap to clone (clones share everything). Clients of several \
         services made from one [`Config`](crate::Config) share its connection pool and its \
         credential cache."
    ));
    quote! {
        //! The client, the service trait and paginators.

        #![allow(deprecated)]

        /// The service's protocol, as the runtime speaks it.
        pub(crate) static PROTOCOL: #protocol_type = #protocol;

        /// What the runtime needs to know about the service.
        pub(crate) static SERVICE: crate::rt::client::ServiceInfo = crate::rt::client::ServiceInfo {
            service_id: #service_id,
            endpoint_prefix: #endpoint_prefix,
            signing_name: #signing_name,
            retryable_codes: &[#(#retryable),*],
            protocol: &PROTOCOL,
            customization: #customization,
            bearer: #bearer,
            endpoint_rules: #endpoint_rules,
        };

        #endpoint_rules_item

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: crate::rt::client::ServiceClient,
        }

        impl Client {
            /// A client made from `config`, which can serve the clients of other services too.
            /// Fails when the configuration names neither a region nor an endpoint, or the
            /// endpoint is not an `http` or `https` URL.
            pub fn new(config: &crate::Config) -> ::std::result::Result<Self, crate::ConfigError> {
                ::std::result::Result::Ok(Client {
                    inner: crate::rt::client::ServiceClient::new(&SERVICE, config)?,
                })
            }

            /// A client configured from the environment, as
            /// [`Config::from_env`](crate::Config::from_env) reads it.
            pub fn from_env() -> ::std::result::Result<Self, ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>> {
                ::std::result::Result::Ok(Client::new(&crate::Config::from_env()?)?)
            }

            /// The configuration the client was made from.
            pub fn config(&self) -> &crate::Config {
                self.inner.config()
            }

            /// The endpoint requests go to.
            pub fn endpoint(&self) -> &str {
                self.inner.endpoint()
            }

            /// The runtime's client, which sends requests this crate builds (the `dynamic`
            /// module uses it).
            #[allow(dead_code)]
            pub(crate) fn service_client(&self) -> &crate::rt::client::ServiceClient {
                &self.inner
            }

            /// A presigned request of operation `O` (an `operations` marker type): its input
            /// validated and serialized as for a call, then signed (SigV4) in the URL's query
            /// string, so that anyone can make the call without credentials until `expires_in`
            /// passes (at most seven days), as boto3's `generate_presigned_url` gives it.
            pub async fn presign<O: crate::rt::client::Operation>(
                &self,
                input: O::Input,
                expires_in: ::std::time::Duration,
            ) -> ::std::result::Result<crate::rt::client::PresignedRequest, crate::Error<O::Error>> {
                self.inner.presign::<O>(input, expires_in).await
            }

            #auth_tokens

            #(#methods)*

            #(#pager_inherent)*

            #(#waiter_inherent)*
        }

        #trait_doc
        pub trait #api: ::std::marker::Send + ::std::marker::Sync {
            #(#trait_methods)*
            #(#pager_methods)*
            #(#waiter_methods)*
        }

        impl #api for Client {
            #(#trait_impls)*
        }
    }
}

/// `# Errors`: where the operation's error enum is.
fn error_docs(operation: &str, error: &str) -> TokenStream {
    let text = format!(
        " # Errors\n\n [`Error::Service`](crate::Error::Service) with \
         [`{error}`](crate::operations::{error}) when the service answers `{operation}` with an \
         error; the other [`Error`](crate::Error) variants when the input is invalid or no \
         answer comes."
    );
    let lines = text.lines();
    quote!(
        #[doc = ""]
        #(#[doc = #lines])*
    )
}

/// `fn describe_contact(&self, input: ...) -> impl Future<Output = Result<...>> + Send`: the
/// trait's method, as declared and as `Client` implements it.
fn trait_signature(space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
    let names = space.operation_names(operation);
    let method = ident(&names.method);
    let input = io_type(space, operation.input);
    let output = io_type(space, operation.output);
    let error = ident(&names.error);
    quote! {
        fn #method(&self, input: #input) -> impl ::std::future::Future<Output = ::std::result::Result<#output, crate::Error<crate::operations::#error>>> + ::std::marker::Send
    }
}

/// `fn list_instances_pages(&self, input) -> Pages<...>`.
fn pager_signature(space: &TypeSpace<'_>, operation: &Operation, plan: &Plan) -> TokenStream {
    let names = space.operation_names(operation);
    let pages = ident(names.pages.as_deref().unwrap_or_default());
    let input = io_type(space, operation.input);
    let output = io_type(space, operation.output);
    let error = ident(&names.error);
    let item = &plan.item;
    quote! {
        fn #pages(&self, input: #input) -> crate::Pages<#output, crate::operations::#error, #item>
        where
            Self: ::std::clone::Clone + 'static
    }
}

fn pager_doc(operation: &Operation, plan: &Plan) -> String {
    let items = match &plan.result_key {
        Some(key) => format!("`.items()` gives the `{key}` of every page."),
        None => "`.items()` gives the pages themselves.".to_owned(),
    };
    format!(
        " Every page of `{}`, following `{}`. {items}",
        operation.name,
        plan.output_tokens.join("`, `")
    )
}

/// The trait's provided paginator method.
fn pager_method(space: &TypeSpace<'_>, operation: &Operation, plan: &Plan) -> TokenStream {
    let method = ident(&space.operation_names(operation).method);
    let signature = pager_signature(space, operation, plan);
    let doc = pager_doc(operation, plan);
    let input = io_type(space, operation.input);
    let output = io_type(space, operation.output);
    let next_input = &plan.next_input;
    let results = &plan.results;
    let item = &plan.item;
    quote! {
        #[doc = #doc]
        #signature {
            let api = self.clone();
            crate::Pages::new(
                input,
                move |input| {
                    let api = api.clone();
                    ::std::boxed::Box::pin(async move { api.#method(input).await })
                },
                |input: &#input, page: &#output| -> ::std::option::Option<#input> {
                    #next_input
                },
                |page: #output| -> ::std::vec::Vec<#item> {
                    #results
                },
            )
        }
    }
}
