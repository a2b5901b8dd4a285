//! Waiters (`waiters-2.json`): a static description of each in `waiters.rs`, which the runtime's
//! `waiter` module drives, and a `wait_until_*` method per waiter on the client and the service
//! trait, behind the crate's `waiters` feature. The model's JMESPath expressions are checked
//! here, with the crate that runs them, so a generated waiter never meets one it cannot read.

use models::{Matcher, Operation, Waiter, WaiterState};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::operation::io_type;
use crate::naming::ident;
use crate::type_space::TypeSpace;

/// Why a waiter cannot be emitted: an expression the `jmespath` crate does not read, or an
/// expected number that is not finite.
pub(crate) fn check(waiter: &Waiter) -> Result<(), String> {
    for acceptor in &waiter.acceptors {
        if let Matcher::Path { argument, expected }
        | Matcher::PathAll { argument, expected }
        | Matcher::PathAny { argument, expected } = &acceptor.matcher
        {
            jmespath::compile(argument).map_err(|error| {
                // The crate's message goes on to draw a caret under the expression.
                let error = error.to_string();
                let first_line = error.lines().next().unwrap_or_default();
                format!(
                    "`{argument}` is not a JMESPath expression the jmespath crate reads: \
                     {first_line}"
                )
            })?;
            if expected.is_number() && expected.as_f64().is_none_or(|n| !n.is_finite()) {
                return Err(format!("expected value {expected} is not a finite number"));
            }
        }
    }
    Ok(())
}

/// The waiters that can be emitted, with their operations, in name order.
pub(crate) fn emitted<'a>(
    space: &TypeSpace<'a>,
) -> impl Iterator<Item = (&'a str, &'a Waiter, &'a Operation)> + use<'a> {
    let service = space.service;
    service.waiters.iter().filter_map(move |(name, waiter)| {
        let operation = service.operations.get(&waiter.operation)?;
        check(waiter).ok()?;
        Some((name.as_str(), waiter, operation))
    })
}

/// `waiters.rs`, or `None` for a model without waiters.
pub(crate) fn waiters_file(space: &TypeSpace<'_>) -> Option<TokenStream> {
    let waiters: Vec<_> = emitted(space).collect();
    if waiters.is_empty() {
        return None;
    }
    let statics = waiters.iter().map(|(name, waiter, operation)| {
        let constant = ident(&space.waiter_names(name).constant);
        let docs = super::doc_lines(&format!("`{name}`{}", summary(space, waiter, operation)));
        let operation_name = &operation.name;
        let delay = Literal::u32_unsuffixed(waiter.delay);
        let max_attempts = Literal::u32_unsuffixed(waiter.max_attempts);
        let success_status = Literal::u16_unsuffixed(operation.http.response_code.unwrap_or(200));
        let acceptors = waiter.acceptors.iter().map(|acceptor| {
            let state = match acceptor.state {
                WaiterState::Success => quote!(State::Success),
                WaiterState::Failure => quote!(State::Failure),
                WaiterState::Retry => quote!(State::Retry),
            };
            let matcher = match &acceptor.matcher {
                Matcher::Path { argument, expected } => {
                    let expected = expected_tokens(expected);
                    quote!(Matcher::Path(#argument, #expected))
                }
                Matcher::PathAll { argument, expected } => {
                    let expected = expected_tokens(expected);
                    quote!(Matcher::PathAll(#argument, #expected))
                }
                Matcher::PathAny { argument, expected } => {
                    let expected = expected_tokens(expected);
                    quote!(Matcher::PathAny(#argument, #expected))
                }
                Matcher::Status(status) => {
                    let status = Literal::u16_unsuffixed(*status);
                    quote!(Matcher::Status(#status))
                }
                Matcher::Error(code) => quote!(Matcher::Error(#code)),
                Matcher::AnyError(error) => quote!(Matcher::AnyError(#error)),
            };
            quote!(Acceptor { state: #state, matcher: #matcher })
        });
        quote! {
            #docs
            pub static #constant: Waiter = Waiter {
                name: #name,
                operation: #operation_name,
                delay: ::std::time::Duration::from_secs(#delay),
                max_attempts: #max_attempts,
                success_status: #success_status,
                acceptors: &[#(#acceptors),*],
            };
        }
    });
    // Import only what the statics use, so that the file builds without warnings.
    let has_paths = waiters.iter().any(|(_, waiter, _)| {
        waiter.acceptors.iter().any(|acceptor| {
            matches!(
                acceptor.matcher,
                Matcher::Path { .. } | Matcher::PathAll { .. } | Matcher::PathAny { .. }
            )
        })
    });
    let expected = has_paths.then(|| quote!(Expected,));
    Some(quote! {
        //! The service's waiters, as `waiters-2.json` describes them: the client's
        //! `wait_until_*` methods and the command line's `wait` run them.

        pub use crate::rt::waiter::{WaitConfig, WaitError, WaitFailure, WaitResult, Waited};
        use crate::rt::waiter::{Acceptor, #expected Matcher, State, Waiter};

        #(#statics)*
    })
}

/// A path matcher's expected value (the loader admits strings, booleans and numbers only).
fn expected_tokens(expected: &serde_json::Value) -> TokenStream {
    match expected {
        serde_json::Value::Bool(flag) => quote!(Expected::Bool(#flag)),
        serde_json::Value::Number(number) => {
            let number = Literal::f64_unsuffixed(number.as_f64().unwrap_or_default());
            quote!(Expected::Number(#number))
        }
        other => {
            let text = other.as_str().unwrap_or_default();
            quote!(Expected::String(#text))
        }
    }
}

/// Markdown inline code, with double backticks around text that holds one.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// What the waiter does, for its docs, to follow its name: the model's description, then how
/// it polls and what each acceptor means.
fn summary(space: &TypeSpace<'_>, waiter: &Waiter, operation: &Operation) -> String {
    let method = space
        .operation_names(operation)
        .method
        .trim_start_matches("r#");
    let mut text = match waiter
        .description
        .as_deref()
        .filter(|text| !text.is_empty())
    {
        Some(description) => format!(": {}.\n\n", description.trim_end_matches('.')),
        None => ".\n\n".to_owned(),
    };
    let every = match waiter.delay {
        1 => "every second".to_owned(),
        seconds => format!("every {seconds} seconds"),
    };
    let times = match waiter.max_attempts {
        1 => "once".to_owned(),
        attempts => format!("{attempts} times"),
    };
    text.push_str(&format!(
        "Calls [`{}`](crate::Client::{method}) {every}, at most {times} (a \
         [`WaitConfig`](crate::waiters::WaitConfig) changes either), until one of these holds \
         (the first that does decides):\n",
        operation.name
    ));
    for acceptor in &waiter.acceptors {
        let state = match acceptor.state {
            WaiterState::Success => "success",
            WaiterState::Failure => "failure",
            WaiterState::Retry => "retry",
        };
        let condition = match &acceptor.matcher {
            Matcher::Path { argument, expected } => format!("{} is `{expected}`", code(argument)),
            Matcher::PathAll { argument, expected } => {
                format!("every element of {} is `{expected}`", code(argument))
            }
            Matcher::PathAny { argument, expected } => {
                format!("an element of {} is `{expected}`", code(argument))
            }
            Matcher::Status(status) => format!("the response has status {status}"),
            Matcher::Error(code) => format!("the service answers with error `{code}`"),
            Matcher::AnyError(true) => "the service answers with an error".to_owned(),
            Matcher::AnyError(false) => "the service answers without an error".to_owned(),
        };
        text.push_str(&format!("\n- {state} when {condition};"));
    }
    text.pop();
    text.push_str(
        ".\n\nAn error response that none of these expects fails the wait, as botocore's \
         waiter does.",
    );
    text
}

/// `fn wait_until_table_exists(&self, input, config) -> impl Future<...> + Send`: the trait's
/// method, as declared and as `Client` implements it.
fn signature(space: &TypeSpace<'_>, name: &str, operation: &Operation) -> TokenStream {
    let method = ident(&space.waiter_names(name).method);
    let names = space.operation_names(operation);
    let input = io_type(space, operation.input);
    let output = io_type(space, operation.output);
    let error = ident(&names.error);
    quote! {
        fn #method(&self, input: #input, config: crate::waiters::WaitConfig) -> impl ::std::future::Future<Output = crate::waiters::WaitResult<#output, crate::operations::#error>> + ::std::marker::Send
    }
}

fn method_doc(
    space: &TypeSpace<'_>,
    name: &str,
    waiter: &Waiter,
    operation: &Operation,
) -> TokenStream {
    let constant = &space.waiter_names(name).constant;
    super::doc_lines(&format!(
        "Waits until `{name}` ([`waiters::{constant}`](crate::waiters::{constant})){}",
        summary(space, waiter, operation)
    ))
}

/// The service trait's provided `wait_until_*` methods, which work on any implementation.
pub(crate) fn trait_methods(space: &TypeSpace<'_>) -> Vec<TokenStream> {
    emitted(space)
        .map(|(name, waiter, operation)| {
            let signature = signature(space, name, operation);
            let docs = method_doc(space, name, waiter, operation);
            let constant = ident(&space.waiter_names(name).constant);
            let call = ident(&space.operation_names(operation).method);
            quote! {
                #docs
                #[cfg(feature = "waiters")]
                #signature {
                    crate::rt::waiter::wait(&crate::waiters::#constant, config, move || {
                        self.#call(::std::clone::Clone::clone(&input))
                    })
                }
            }
        })
        .collect()
}

/// `Client`'s inherent `wait_until_*` methods, which call the trait's.
pub(crate) fn inherent_methods(space: &TypeSpace<'_>, api: &syn::Ident) -> Vec<TokenStream> {
    emitted(space)
        .map(|(name, waiter, operation)| {
            let signature = signature(space, name, operation);
            let docs = method_doc(space, name, waiter, operation);
            let method = ident(&space.waiter_names(name).method);
            quote! {
                #docs
                #[cfg(feature = "waiters")]
                pub #signature + '_ {
                    <Self as #api>::#method(self, input, config)
                }
            }
        })
        .collect()
}
