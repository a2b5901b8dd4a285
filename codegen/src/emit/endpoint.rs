//! Endpoint rules: the model's `endpoint-rule-set-1.json` carried by the crate
//! (`src/endpoint_rules.json`), which the runtime evaluates to find where requests go, and the
//! endpoint parameters operations set: their own (`staticContextParams`) and their input's
//! string members (`contextParam`: Kinesis's stream ARNs, DynamoDB's table ARNs).
//!
//! Not passed, and named by `generate` ([`unpassed_params`]): parameters read from the input by
//! a JMESPath (`operationContextParams`), and every input parameter of S3 and S3 Control, whose
//! buckets and account ids the runtime's S3 addressing and the models' host prefixes place.

use models::{Member, Operation, Service, ShapeKind, StaticContextParam};
use proc_macro2::TokenStream;
use quote::quote;

use crate::type_space::TypeSpace;

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

/// Whether the service's operations pass their input's parameters to the rules: not S3's and
/// S3 Control's (see the module's documentation).
fn passes_input_params(service: &Service) -> bool {
    !matches!(
        service.metadata.endpoint_prefix.as_str(),
        "s3" | "s3-control"
    )
}

/// The input parameters of `operation` that are not passed to the rules, by name: all of them
/// for S3 and S3 Control, else those read by a JMESPath and those of members that are not plain
/// strings.
pub(crate) fn unpassed_params(service: &Service, operation: &Operation) -> Vec<String> {
    if !passes_input_params(service) {
        return input_params(service, operation);
    }
    let mut names = operation.operation_context_params.clone();
    names.extend(
        input_members(service, operation)
            .into_iter()
            .filter(|(_, plain)| !plain)
            .map(|(name, _)| name),
    );
    names.sort();
    names.dedup();
    names
}

/// The `contextParam` members of `operation`'s input: each parameter's name, and whether the
/// member is a plain string (which is passed).
fn input_members(service: &Service, operation: &Operation) -> Vec<(String, bool)> {
    let Some(structure) = operation
        .input
        .and_then(|input| service.shape(input).as_structure())
    else {
        return Vec::new();
    };
    structure
        .members
        .iter()
        .filter_map(|member| {
            let name = member.context_param.clone()?;
            Some((name, is_plain_string(service, member)))
        })
        .collect()
}

/// Whether a member holds a string without an enum: what `input_endpoint_params` passes (every
/// `contextParam` of botocore 1.44.5 is one).
fn is_plain_string(service: &Service, member: &Member) -> bool {
    matches!(
        service.shape(member.target).kind,
        ShapeKind::String {
            enum_values: None,
            ..
        }
    )
}

/// The endpoint parameters `operation` reads from its input, as the model declares them.
pub(crate) fn input_params(service: &Service, operation: &Operation) -> Vec<String> {
    let mut names = operation.operation_context_params.clone();
    names.extend(
        input_members(service, operation)
            .into_iter()
            .map(|(name, _)| name),
    );
    names.sort();
    names.dedup();
    names
}

/// The items of `operation`'s `Operation` impl that give the rules its parameters:
/// `ENDPOINT_PARAMS` (its static ones) and `input_endpoint_params` (its input's). For S3 and S3
/// Control, an operation reading parameters from its input gives none: without its bucket, a
/// static parameter would send it elsewhere (CreateBucket's `UseS3ExpressControlEndpoint`).
pub(crate) fn operation_params(space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
    let service = space.service;
    if service.endpoint_rules.is_none() {
        return TokenStream::new();
    }
    let passes = passes_input_params(service);
    if !passes && !input_params(service, operation).is_empty() {
        return TokenStream::new();
    }
    let statics = (!operation.static_context_params.is_empty()).then(|| {
        let params = operation.static_context_params.iter().map(|(name, value)| {
            let value = match value {
                StaticContextParam::Bool(flag) => quote!(Bool(#flag)),
                StaticContextParam::String(text) => quote!(String(#text)),
            };
            quote!((#name, crate::rt::endpoint_rules::StaticParam::#value))
        });
        quote! {
            const ENDPOINT_PARAMS: &'static [(&'static str, crate::rt::endpoint_rules::StaticParam)] = &[#(#params),*];
        }
    });
    let structure = operation
        .input
        .and_then(|input| service.shape(input).as_structure());
    let members: Vec<TokenStream> = match (passes, structure) {
        (true, Some(structure)) => space
            .fields(structure)
            .into_iter()
            .filter_map(|field| {
                let name = field.member.context_param.as_ref()?;
                if !is_plain_string(service, field.member) {
                    return None;
                }
                let field = crate::naming::ident(&field.rust_name);
                Some(quote! {
                    if let ::std::option::Option::Some(value) = &input.#field {
                        params.push((#name, crate::rt::endpoint_rules::Value::String(value.clone())));
                    }
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    let reads = (!members.is_empty()).then(|| {
        quote! {
            const INPUT_ENDPOINT_PARAMS: bool = true;

            fn input_endpoint_params(input: &Self::Input) -> ::std::vec::Vec<(&'static str, crate::rt::endpoint_rules::Value)> {
                let mut params = ::std::vec::Vec::new();
                #(#members)*
                params
            }
        }
    });
    quote!(#statics #reads)
}
