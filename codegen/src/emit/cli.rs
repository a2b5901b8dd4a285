//! `cli.rs` of the generated crate (feature `cli`): the model as static tables that the runtime's
//! command line reads. Commands, options and help come from the model at generation time, so the
//! binary starts without parsing anything but its arguments.

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{html_to_markdown, summary};
use crate::type_space::TypeSpace;
use models::{Length, Member, Service, Shape, ShapeId, ShapeKind};

/// The AWS CLI's name for an operation or a member: botocore's `xform_name(name, '-')`
/// (`DescribeContact` → `describe-contact`, `GatewayARNs` → `gateway-arns`).
pub(crate) fn cli_name(name: &str) -> String {
    use std::sync::LazyLock;
    static FIRST_CAP: LazyLock<fancy_regex::Regex> =
        LazyLock::new(|| fancy_regex::Regex::new("(.)([A-Z][a-z]+)").expect("valid regex"));
    static END_CAP: LazyLock<fancy_regex::Regex> =
        LazyLock::new(|| fancy_regex::Regex::new("([a-z0-9])([A-Z])").expect("valid regex"));
    static PLURAL_ACRONYM: LazyLock<fancy_regex::Regex> =
        LazyLock::new(|| fancy_regex::Regex::new("[A-Z]{2,}s$").expect("valid regex"));
    if name.contains('-') {
        return name.to_owned();
    }
    let mut name = name.to_owned();
    if let Ok(Some(found)) = PLURAL_ACRONYM.find(&name) {
        let start = found.start();
        name = format!("{}-{}", &name[..start], name[start..].to_lowercase());
    }
    let first = FIRST_CAP.replace_all(&name, "$1-$2").into_owned();
    END_CAP.replace_all(&first, "$1-$2").to_lowercase()
}

/// `cli.rs`: every shape, every command, and `main`.
pub(crate) fn cli_file(space: &TypeSpace<'_>, binary: &str) -> TokenStream {
    let service = space.service;
    let input_shapes: std::collections::BTreeSet<ShapeId> = service
        .operations
        .values()
        .filter_map(|operation| operation.input)
        .collect();
    let shapes = service.shape_ids().map(|id| {
        let shape = service.shape(id);
        shape_entry(service, shape, input_shapes.contains(&id))
    });
    let commands = service.operations.values().map(|operation| {
        let name = cli_name(&operation.name);
        let wire = &operation.name;
        let docs = operation
            .documentation
            .as_deref()
            .map(html_to_markdown)
            .unwrap_or_default();
        let about = operation
            .documentation
            .as_deref()
            .map(summary)
            .unwrap_or_default();
        let input = optional_index(operation.input);
        let output = optional_index(operation.output);
        let paginator = match service.paginators.get(&operation.name) {
            Some(paginator) => {
                let input_token = &paginator.input_token;
                let output_token = &paginator.output_token;
                let result_key = &paginator.result_key;
                let limit_key = optional_str(paginator.limit_key.as_deref());
                let more_results = optional_str(paginator.more_results.as_deref());
                let non_aggregate_keys = &paginator.non_aggregate_keys;
                quote!(Some(Paginator {
                    input_token: &[#(#input_token),*],
                    output_token: &[#(#output_token),*],
                    result_key: &[#(#result_key),*],
                    limit_key: #limit_key,
                    more_results: #more_results,
                    non_aggregate_keys: &[#(#non_aggregate_keys),*],
                }))
            }
            None => quote!(None),
        };
        let outfile = optional_str(payload_member(service, operation.output, |_, target| {
            matches!(target, ShapeKind::Blob { .. })
        }));
        let streaming_input = optional_str(payload_member(service, operation.input, |member, target| {
            matches!(target, ShapeKind::Blob { streaming, .. } if *streaming || member.streaming)
        }));
        quote! {
            Command {
                name: #name,
                operation: #wire,
                about: #about,
                docs: #docs,
                input: #input,
                output: #output,
                paginator: #paginator,
                outfile: #outfile,
                streaming_input: #streaming_input,
            },
        }
    });
    let about = format!(
        "{} (API {}) from the command line, as `aws {}` speaks it.",
        service.metadata.service_full_name,
        service.metadata.api_version,
        service.metadata.endpoint_prefix
    );
    // Import only what the tables use, so that a model without paginators (or members) builds
    // without warnings.
    let mut imports = vec![quote!(Command), quote!(Kind)];
    let has_members = service.shapes.iter().any(|shape| {
        shape
            .as_structure()
            .is_some_and(|structure| !structure.members.is_empty())
    });
    if has_members {
        imports.push(quote!(Member));
    }
    if service
        .paginators
        .keys()
        .any(|name| service.operations.contains_key(name))
    {
        imports.push(quote!(Paginator));
    }
    imports.extend([quote!(Shape), quote!(Tool)]);
    let waiters: Vec<TokenStream> = crate::emit::waiter::emitted(space)
        .map(|(name, waiter, operation)| {
            let cli = cli_name(name);
            let constant = crate::naming::ident(&space.waiter_names(name).constant);
            let command = service
                .operations
                .keys()
                .position(|key| *key == operation.name)
                .unwrap_or_default();
            let command = proc_macro2::Literal::usize_unsuffixed(command);
            let about = wait_description(waiter);
            quote! {
                WaitCommand {
                    name: #cli,
                    waiter: &crate::waiters::#constant,
                    command: #command,
                    about: #about,
                },
            }
        })
        .collect();
    let waiters_table = if waiters.is_empty() {
        quote! {}
    } else {
        imports.push(quote!(WaitCommand));
        quote! {
            /// Every waiter, in name order: the subcommands of `wait`.
            static WAITERS: &[WaitCommand] = &[#(#waiters)*];
        }
    };
    let waiters_field = if waiters.is_empty() {
        quote!(&[])
    } else {
        quote!(WAITERS)
    };
    quote! {
        //! The command line (feature `cli`): one subcommand per operation and one option per input
        //! member, named as the AWS CLI names them, with its global options, input forms, output
        //! formats, pagination and exit codes. These tables are the model; `rt::cli` runs them.

        use crate::rt::cli::{#(#imports),*};

        /// Runs the command line on the process's arguments and returns its exit code.
        pub fn main() -> ::std::process::ExitCode {
            crate::rt::cli::main(&TOOL)
        }

        static TOOL: Tool = Tool {
            binary: #binary,
            about: #about,
            service: &crate::client::SERVICE,
            operations: crate::dynamic::OPERATIONS,
            commands: COMMANDS,
            waiters: #waiters_field,
            shapes: SHAPES,
        };

        /// Every operation, in model order (sorted by name).
        static COMMANDS: &[Command] = &[#(#commands)*];

        #waiters_table

        /// Every shape, indexed as the model's shape ids.
        static SHAPES: &[Shape] = &[#(#shapes)*];
    }
}

/// What a `wait` subcommand waits for, as the AWS CLI's `WaiterStateDocBuilder` words it: the
/// model's description, else the first success acceptor and the operation, then how it polls.
fn wait_description(waiter: &models::Waiter) -> String {
    use models::{Matcher, WaiterState};
    let mut text = match waiter
        .description
        .as_deref()
        .filter(|text| !text.is_empty())
    {
        Some(description) => description.to_owned(),
        None => {
            let mut text = "Wait until ".to_owned();
            // Python's `str` of the expected value: strings bare, booleans capitalised.
            let python = |value: &serde_json::Value| match value {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Bool(true) => "True".to_owned(),
                serde_json::Value::Bool(false) => "False".to_owned(),
                other => other.to_string(),
            };
            let success = waiter
                .acceptors
                .iter()
                .find(|acceptor| acceptor.state == WaiterState::Success);
            if let Some(acceptor) = success {
                text.push_str(&match &acceptor.matcher {
                    Matcher::Path { argument, expected } => {
                        format!("JMESPath query {argument} returns {} ", python(expected))
                    }
                    Matcher::PathAll { argument, expected } => format!(
                        "JMESPath query {argument} returns {} for all elements ",
                        python(expected)
                    ),
                    Matcher::PathAny { argument, expected } => format!(
                        "JMESPath query {argument} returns {} for any element ",
                        python(expected)
                    ),
                    Matcher::Status(status) => format!("{status} response is received "),
                    Matcher::Error(code) => format!("{code} is thrown "),
                    Matcher::AnyError(error) => {
                        format!("{} is thrown ", if *error { "True" } else { "False" })
                    }
                });
            }
            text.push_str(&format!(
                "when polling with ``{}``.",
                cli_name(&waiter.operation)
            ));
            text
        }
    };
    text.push_str(&format!(
        " It will poll every {} seconds until a successful state has been reached. This will \
         exit with a return code of 255 after {} failed checks.",
        waiter.delay, waiter.max_attempts
    ));
    text
}

/// `src/bin/<crate>.rs`: the binary (feature `cli`).
pub(crate) fn cli_main(crate_name: &str) -> TokenStream {
    let library = crate::naming::ident(&crate_name.replace('-', "_"));
    let docs = format!(
        " `{crate_name}`: the service from the command line, as the AWS CLI speaks it. Run \
         `{crate_name} --help`, or `{crate_name} <command> --help` for one operation."
    );
    quote! {
        #![doc = #docs]

        fn main() -> ::std::process::ExitCode {
            #library::cli::main()
        }
    }
}

/// The name of the `payload` member of structure `id`, when `wanted` says so of it and its
/// target: botocore's `_get_streaming_body` (any blob payload) for the AWS CLI's `outfile`, a
/// streaming blob for its file inputs.
fn payload_member(
    service: &Service,
    id: Option<ShapeId>,
    wanted: impl Fn(&Member, &ShapeKind) -> bool,
) -> Option<&str> {
    let structure = service.shape(id?).as_structure()?;
    let member = structure.member(structure.payload.as_deref()?)?;
    wanted(member, &service.shape(member.target).kind).then_some(member.name.as_str())
}

fn optional_index(id: Option<ShapeId>) -> TokenStream {
    match id {
        Some(id) => {
            let index = proc_macro2::Literal::usize_unsuffixed(id.index());
            quote!(Some(#index))
        }
        None => quote!(None),
    }
}

fn optional_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// One shape; the members of operation inputs carry their option name and help.
fn shape_entry(service: &Service, shape: &Shape, is_input: bool) -> TokenStream {
    let name = &shape.name;
    let kind = match &shape.kind {
        ShapeKind::Structure(structure) => {
            let union = structure.is_union();
            let members = structure
                .members
                .iter()
                .map(|member| member_entry(service, member, is_input));
            quote!(Kind::Structure { union: #union, members: &[#(#members),*] })
        }
        ShapeKind::Document => quote!(Kind::Document),
        ShapeKind::String { enum_values, .. } => {
            let values = enum_values.iter().flatten();
            quote!(Kind::String { enum_values: &[#(#values),*] })
        }
        ShapeKind::Integer(_) => quote!(Kind::Integer),
        ShapeKind::Long(_) => quote!(Kind::Long),
        ShapeKind::Float(_) => quote!(Kind::Float),
        ShapeKind::Double(_) => quote!(Kind::Double),
        ShapeKind::Boolean => quote!(Kind::Boolean),
        ShapeKind::Timestamp { .. } => quote!(Kind::Timestamp),
        ShapeKind::Blob { .. } => quote!(Kind::Blob),
        ShapeKind::List { member, .. } => {
            let item = proc_macro2::Literal::usize_unsuffixed(member.target.index());
            quote!(Kind::List { item: #item })
        }
        ShapeKind::Map { key, value, .. } => {
            let key = proc_macro2::Literal::usize_unsuffixed(key.target.index());
            let value = proc_macro2::Literal::usize_unsuffixed(value.target.index());
            quote!(Kind::Map { key: #key, value: #value })
        }
    };
    quote!(Shape { name: #name, kind: #kind },)
}

fn member_entry(service: &Service, member: &Member, is_input: bool) -> TokenStream {
    let name = &member.name;
    let shape = proc_macro2::Literal::usize_unsuffixed(member.target.index());
    let required = member.required;
    let (option, help) = if is_input {
        (cli_name(&member.name), member_help(service, member))
    } else {
        (String::new(), String::new())
    };
    quote!(Member { name: #name, option: #option, shape: #shape, required: #required, help: #help })
}

/// An option's help: its constraints, then the member's docs.
fn member_help(service: &Service, member: &Member) -> String {
    let target = service.shape(member.target);
    let mut lines = Vec::new();
    let constraints = constraints(&target.kind);
    if !constraints.is_empty() {
        lines.push(format!("Constraints: {}.", constraints.join("; ")));
    }
    if let ShapeKind::String {
        enum_values: Some(values),
        ..
    } = &target.kind
    {
        lines.push(format!("Possible values: {}.", values.join(", ")));
    }
    if member.idempotency_token {
        lines.push("Filled with a random UUID when not given (idempotency token).".to_owned());
    }
    if member.sensitive || target.sensitive {
        lines.push("Sensitive: never printed in logs or errors.".to_owned());
    }
    let docs = member
        .documentation
        .as_deref()
        .or(target.documentation.as_deref())
        .map(html_to_markdown)
        .unwrap_or_default();
    if !docs.is_empty() {
        lines.push(docs);
    }
    lines.join("\n\n")
}

/// The model's constraints on a value of this kind, as the help shows them.
fn constraints(kind: &ShapeKind) -> Vec<String> {
    let mut out = Vec::new();
    let mut length = |length: &Length, unit: &str| match (length.min, length.max) {
        (Some(min), Some(max)) => out.push(format!("length {min} to {max} {unit}")),
        (Some(min), None) => out.push(format!("length at least {min} {unit}")),
        (None, Some(max)) => out.push(format!("length at most {max} {unit}")),
        (None, None) => {}
    };
    match kind {
        ShapeKind::String {
            length: bounds,
            pattern,
            ..
        } => {
            length(bounds, "characters");
            if let Some(pattern) = pattern {
                out.push(format!("pattern `{pattern}`"));
            }
        }
        ShapeKind::Blob { length: bounds, .. } => length(bounds, "bytes"),
        ShapeKind::List { length: bounds, .. } => length(bounds, "items"),
        ShapeKind::Map { length: bounds, .. } => length(bounds, "entries"),
        ShapeKind::Integer(range) | ShapeKind::Long(range) => match (range.min, range.max) {
            (Some(min), Some(max)) => out.push(format!("from {min} to {max}")),
            (Some(min), None) => out.push(format!("at least {min}")),
            (None, Some(max)) => out.push(format!("at most {max}")),
            (None, None) => {}
        },
        ShapeKind::Float(range) | ShapeKind::Double(range) => match (range.min, range.max) {
            (Some(min), Some(max)) => out.push(format!("from {min} to {max}")),
            (Some(min), None) => out.push(format!("at least {min}")),
            (None, Some(max)) => out.push(format!("at most {max}")),
            (None, None) => {}
        },
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cli_name;

    #[test]
    fn names_follow_botocore_xform_name() {
        for (name, expected) in [
            ("DescribeContact", "describe-contact"),
            ("InstanceId", "instance-id"),
            ("MaxResults", "max-results"),
            ("GatewayARNs", "gateway-arns"),
            ("SAMLAssertion", "saml-assertion"),
            ("InboundCallsEnabled", "inbound-calls-enabled"),
            ("ListWebACLs", "list-web-acls"),
            ("S3Config", "s3-config"),
            ("Ipv4Address", "ipv4-address"),
            ("already-kebab", "already-kebab"),
        ] {
            assert_eq!(cli_name(name), expected, "{name}");
        }
    }
}
