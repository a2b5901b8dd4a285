//! Endpoint rules: the model's `endpoint-rule-set-1.json` carried by the crate
//! (`src/endpoint_rules.json`), which the runtime evaluates to find where requests go, and the
//! endpoint parameters operations set themselves (`staticContextParams`).
//!
//! Parameters an operation reads from its input (`contextParam`, `operationContextParams`: S3's
//! `Bucket`, DynamoDB's table ARNs for account endpoints) are not passed yet; such an operation
//! goes to the client's endpoint, and `generate` says so ([`input_params`]).

use models::{Operation, Service, StaticContextParam};
use proc_macro2::TokenStream;
use quote::quote;

/// Where the crate carries its rule set, relative to its root.
pub(crate) const RULES_FILE: &str = "src/endpoint_rules.json";

/// Checks the model's rule set with the runtime's own reader, so that a crate never carries one
/// the runtime cannot read.
pub(crate) fn check(service: &Service) -> Result<(), String> {
    match &service.endpoint_rules {
        Some(text) => botocore_runtime::endpoint_rules::RuleSet::parse(text)
            .map(drop)
            .map_err(|error| error.to_string()),
        None => Ok(()),
    }
}

/// The value of the `endpoint_rules` field of the crate's `ServiceInfo`, and the static it
/// points to.
pub(crate) fn service_rules(service: &Service) -> (TokenStream, TokenStream) {
    if service.endpoint_rules.is_none() {
        return (quote!(::std::option::Option::None), TokenStream::new());
    }
    let file = RULES_FILE.trim_start_matches("src/");
    let item = quote! {
        /// The service's endpoint rule set (the model's `endpoint-rule-set-1.json`), which
        /// decides where requests go and how they are signed.
        static ENDPOINT_RULES: crate::rt::endpoint_rules::EndpointRules =
            crate::rt::endpoint_rules::EndpointRules::new(include_str!(#file));
    };
    (quote!(::std::option::Option::Some(&ENDPOINT_RULES)), item)
}

/// The endpoint parameters `operation` reads from its input, as the model declares them.
pub(crate) fn input_params(service: &Service, operation: &Operation) -> Vec<String> {
    let mut names: Vec<String> = operation.operation_context_params.clone();
    if let Some(structure) = operation
        .input
        .and_then(|input| service.shape(input).as_structure())
    {
        names.extend(
            structure
                .members
                .iter()
                .filter_map(|member| member.context_param.clone()),
        );
    }
    names.sort();
    names.dedup();
    names
}

/// `const ENDPOINT_PARAMS` of an operation that sets endpoint parameters and reads none from
/// its input (one that reads some goes to the client's endpoint, static parameters and all).
pub(crate) fn operation_params(service: &Service, operation: &Operation) -> Option<TokenStream> {
    if service.endpoint_rules.is_none()
        || operation.static_context_params.is_empty()
        || !input_params(service, operation).is_empty()
    {
        return None;
    }
    let params = operation.static_context_params.iter().map(|(name, value)| {
        let value = match value {
            StaticContextParam::Bool(flag) => quote!(Bool(#flag)),
            StaticContextParam::String(text) => quote!(String(#text)),
        };
        quote!((#name, crate::rt::endpoint_rules::StaticParam::#value))
    });
    Some(quote! {
        const ENDPOINT_PARAMS: &'static [(&'static str, crate::rt::endpoint_rules::StaticParam)] = &[#(#params),*];
    })
}
