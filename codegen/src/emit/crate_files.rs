//! The files around the code: `Cargo.toml`, `lib.rs` (with a quick start that compiles as a
//! doctest), `README.md` and the `types` module.

use models::{Operation, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

use super::inner_doc_lines;
use crate::docs::html_to_markdown;
use crate::naming::ident;
use crate::type_space::TypeSpace;
use crate::{Config, RuntimeDependency};

/// The `[dependencies]` line of the runtime.
fn runtime_dependency(config: &Config, features: &[&str]) -> String {
    let source = match &config.runtime {
        RuntimeDependency::Path(path) => format!("path = {path:?}"),
        RuntimeDependency::Version(version) => format!("version = {version:?}"),
    };
    let features = if features.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        format!(", features = [{}]", list.join(", "))
    };
    format!("botocore-runtime = {{ {source}, default-features = false{features} }}")
}

/// The manifest of the generated crate.
pub(crate) fn cargo_toml(
    config: &Config,
    service: &models::Service,
    runtime_features: &[&str],
    serde_optional: bool,
    has_waiters: bool,
    header: &str,
) -> String {
    let description = format!(
        "Typed Rust for {} (API {}), generated from the botocore model.",
        service.metadata.service_full_name, service.metadata.api_version
    );
    let workspace = if config.standalone {
        "\n# Built on its own, not as part of an enclosing workspace.\n[workspace]\n"
    } else {
        ""
    };
    let serde = if serde_optional {
        "# `Serialize` and `Deserialize` for every type (the JSON form of their body members).\n"
    } else {
        "# `Serialize` and `Deserialize` for every type: always there, as the bodies are their serde\n\
         # form; the feature is for manifests that name it for every service.\n"
    };
    let (waiters, cli_waiters) = if has_waiters {
        (
            "# Waiters (`waiters` module, `Client::wait_until_*`): an operation called until its\n\
             # response shows what was waited for.\n\
             waiters = [\"dynamic\", \"botocore-runtime/waiters\"]\n",
            "\"waiters\", ",
        )
    } else {
        ("", "")
    };
    let features = format!(
        "default = [\"rustls\"]\n\
        # The default transport: reqwest with rustls. Without it, give a transport to `Config::transport`.\n\
        rustls = [\"botocore-runtime/rustls\"]\n\
        {serde}serde = []\n\
        # Operations called by name with botocore-form JSON (`dynamic` module).\n\
        dynamic = [\"botocore-runtime/dynamic\"]\n\
        {waiters}\
        # The command line: the binary named like the crate, as `aws <service>` speaks (`cli.rs`).\n\
        cli = [\"dynamic\", {cli_waiters}\"rustls\", \"botocore-runtime/cli\"]"
    );
    format!(
        "{header}\n[package]\nname = {name:?}\nversion = {version:?}\nedition = \"2024\"\n\
         description = {description:?}\nlicense = \"Apache-2.0\"\npublish = false\n\n\
         [features]\n{features}\n\n[dependencies]\n{runtime}\n\n\
         [[bin]]\nname = {name:?}\npath = \"src/bin/{name}.rs\"\nrequired-features = [\"cli\"]\n{workspace}",
        header = header.replace("//", "#"),
        name = config.crate_name,
        version = config.crate_version,
        runtime = runtime_dependency(config, runtime_features),
    )
}

/// An operation for the quick start: the first whose input needs nothing, preferring one that
/// reads (`List*`, `Describe*`, `Get*`); else the first operation.
fn sample_operation<'a>(space: &TypeSpace<'a>) -> Option<&'a Operation> {
    let operations = &space.service.operations;
    let needs_nothing = |operation: &&Operation| {
        operation.input.is_none_or(|id| {
            space
                .service
                .shape(id)
                .as_structure()
                .is_none_or(|structure| structure.members.iter().all(|member| !member.required))
        })
    };
    let reads = |operation: &&Operation| {
        ["List", "Describe", "Get"]
            .iter()
            .any(|prefix| operation.name.starts_with(prefix))
    };
    operations
        .values()
        .find(|operation| needs_nothing(operation) && reads(operation))
        .or_else(|| operations.values().find(needs_nothing))
        .or_else(|| operations.values().next())
}

/// A value of shape `id` to pass to a `with_*` setter in an example.
fn sample_value(space: &TypeSpace<'_>, krate: &syn::Ident, id: ShapeId) -> TokenStream {
    match &space.service.shape(id).kind {
        ShapeKind::String {
            enum_values: Some(values),
            ..
        } => {
            let value = values.first().map(String::as_str).unwrap_or("VALUE");
            quote!(#value)
        }
        ShapeKind::String { .. } => quote!("example"),
        ShapeKind::Integer(_) => quote!(1),
        ShapeKind::Long(_) => quote!(1i64),
        ShapeKind::Float(_) => quote!(1.0f32),
        ShapeKind::Double(_) => quote!(1.0),
        ShapeKind::Boolean => quote!(true),
        ShapeKind::Timestamp { .. } => quote!(#krate::DateTime::now_utc()),
        ShapeKind::Blob { .. } => quote!(::std::vec::Vec::<u8>::new()),
        ShapeKind::Document => quote!(#krate::Document::Null),
        ShapeKind::List { .. } => quote!(::std::vec::Vec::new()),
        ShapeKind::Map { .. } => quote!(::std::collections::HashMap::new()),
        ShapeKind::Structure(_) => match space.named_type(id) {
            Some(named) => {
                let name = ident(&named.rust_name);
                quote!(#krate::types::#name::default())
            }
            None => quote!(::std::default::Default::default()),
        },
    }
}

/// The quick start: make a client from the environment and call one operation.
pub(crate) fn quick_start(space: &TypeSpace<'_>, crate_name: &str) -> String {
    let krate = ident(&crate_name.replace('-', "_"));
    let Some(operation) = sample_operation(space) else {
        return format!(
            "```no_run\nlet config = {krate}::Config::from_env()?;\nlet client = {krate}::Client::new(&config)?;\n# Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())\n```"
        );
    };
    let method = ident(&space.operation_names(operation).method);
    let input = match operation.input {
        Some(id) => {
            let type_ident = match space.named_type(id) {
                Some(named) => ident(&named.rust_name),
                None => return String::new(),
            };
            let setters = space
                .service
                .shape(id)
                .as_structure()
                .map(|structure| {
                    space
                        .fields(structure)
                        .into_iter()
                        .filter(|field| field.member.required)
                        .map(|field| {
                            let setter = ident(&crate::naming::setter_name(&field.rust_name));
                            let value = sample_value(space, &krate, field.member.target);
                            quote!(.#setter(#value))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            quote!(#krate::types::#type_ident::default() #(#setters)*)
        }
        None => quote!(#krate::Unit),
    };
    let call: syn::Expr = syn::parse2(quote!(client.#method(#input).await?))
        .unwrap_or_else(|_| syn::parse_quote!(()));
    let statement = prettyplease::unparse(&syn::parse_quote!(
        fn sample() {
            let output = #call;
        }
    ));
    let body: Vec<&str> = statement
        .lines()
        .skip(1)
        .take_while(|line| *line != "}")
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect();
    format!(
        "```no_run\n# async fn quick_start() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {{\n\
         // Region and credentials as the AWS CLI finds them: AWS_* variables, ~/.aws files.\n\
         let config = {krate}::Config::from_env()?;\n\
         let client = {krate}::Client::new(&config)?;\n\
         {}\n\
         println!(\"{{output:?}}\");\n\
         # Ok(())\n# }}\n```",
        body.join("\n")
    )
}

/// `lib.rs`: the service's docs, a quick start, the modules and the runtime items users see.
pub(crate) fn lib_rs(
    space: &TypeSpace<'_>,
    config: &Config,
    api: &syn::Ident,
    has_types: bool,
    has_patterns: bool,
    has_waiters: bool,
) -> TokenStream {
    let service = space.service;
    let metadata = &service.metadata;
    let mut docs = format!(
        "# {} (API {})\n\nTyped Rust for the `{}` service model: every structure, enum and \
         union in [`types`], [`Validate`] to check the model's constraints before a request is \
         sent, and a [`Client`] with one async method per operation (also on the [`{api}`] \
         trait, for mocks), signed with SigV4, retried, with typed errors \
         ([`operations`]) and paginators{}. The runtime it is built on is \
         [`botocore_runtime`](crate::runtime).\n\n## Quick start\n\n{}",
        metadata.service_full_name,
        metadata.api_version,
        metadata.service_id,
        if has_waiters {
            ", and waiters (`wait_until_*`, the `waiters` module, feature `waiters`)"
        } else {
            ""
        },
        quick_start(space, &config.crate_name),
    );
    if let Some(html) = &service.documentation {
        let markdown = html_to_markdown(html);
        if !markdown.is_empty() {
            docs.push_str("\n\n## The service\n\n");
            docs.push_str(&markdown);
        }
    }
    let inner_docs = inner_doc_lines(&docs);
    let types = has_types.then(|| {
        quote!(
            pub mod types;
        )
    });
    let patterns = has_patterns.then(|| {
        quote!(
            mod patterns;
        )
    });
    let waiters = has_waiters.then(|| {
        quote!(
            #[cfg(feature = "waiters")]
            pub mod waiters;
        )
    });
    quote! {
        #inner_docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        use ::botocore_runtime as rt;

        mod client;
        #[cfg(feature = "cli")]
        pub mod cli;
        #[cfg(feature = "dynamic")]
        pub mod dynamic;
        pub mod operations;
        #patterns
        #types
        #waiters

        pub use client::{Client, #api};
        pub use rt::config::{Config, ConfigError, ConfigLoader};
        pub use rt::credentials::{Credentials, DefaultCredentialsChain, ProvideCredentials};
        pub use rt::error::{BuildError, CredentialsError, DecodeError, Error, ErrorMeta, OperationError, UnmodeledError};
        pub use rt::http::{BoxFuture, HttpRequest, HttpResponse, Timeouts, Transport, TransportError, TransportErrorKind};
        #[cfg(feature = "rustls")]
        pub use rt::http::ReqwestTransport;
        pub use rt::paginate::{Items, Pages};
        pub use rt::retry::RetryConfig;
        pub use rt::validate;
        pub use rt::validate::{Validate, ValidateOptions, ValidationError};
        pub use rt::{Bytes, DateTime, Document, Unit, UnknownMember, UnknownValue};

        /// The runtime this crate is built on, shared by every generated crate.
        pub use ::botocore_runtime as runtime;
        /// The HTTP types crate behind [`HttpRequest`] and [`HttpResponse`].
        pub use rt::http_types as http;
        /// The date-time crate behind [`DateTime`].
        pub use rt::time_types as time;
        /// The JSON crate behind [`Document`].
        pub use rt::serde_json;
    }
}

/// `README.md` of the generated crate.
pub(crate) fn readme(space: &TypeSpace<'_>, config: &Config) -> String {
    let service = space.service;
    let metadata = &service.metadata;
    let name = &config.crate_name;
    let model = match &config.model_version {
        Some(version) => format!("`{}` from {version}", config.source_label),
        None => format!("`{}`", config.source_label),
    };
    let summary = service
        .documentation
        .as_deref()
        .map(crate::docs::summary)
        .filter(|summary| !summary.is_empty())
        .map(|summary| format!("{summary}\n\n"))
        .unwrap_or_default();
    let quick_start = quick_start(space, name)
        .replace("```no_run\n", "```rust\n")
        .lines()
        .filter(|line| !line.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n");
    let paginators = crate::emit::client::paginator_plans(space).count();
    let waiters_row = if crate::emit::waiter::emitted(space).next().is_some() {
        "| `waiters` | `Client::wait_until_*`: an operation called until its response shows what was waited for (`waiters` module) |\n"
    } else {
        ""
    };
    format!(
        "<!-- {header} -->\n\n# {name}\n\n\
         Typed Rust for **{full_name}** (`{service_id}`, API {api_version}), generated from the \
         botocore service model {model}: every structure, enum and union, validators for every \
         constraint of the model, and an async client with {operations} operations and \
         {paginators} paginators, speaking {protocol} through \
         the shared `botocore-runtime` crate (SigV4, {endpoints}retries, typed errors).\n\n{summary}\
         ## Quick start\n\nIn an async function (any runtime; the examples use tokio):\n\n{quick_start}\n\n\
         Clients of several services made from one `Config` share its connection pool and \
         credential cache. `Config::new().region(..).credentials(..)` configures one in code; \
         `Config::endpoint_url` points it at a local emulator.\n\n\
         ## Features\n\n\
         | feature | what |\n|---|---|\n\
         | `rustls` (default) | the default transport: reqwest with rustls; without it, give one to `Config::transport` |\n\
         | `serde` | {serde} |\n\
         | `dynamic` | operations called by name with botocore-form JSON (`dynamic` module, `Client::call_operation`) |\n\
         {waiters_row}\
         | `cli` | the `{name}` binary: the service from the command line, as `aws {prefix}` speaks it |\n\n\
         ## Regenerating\n\n\
         This crate is generated; do not edit it. Regenerate it with:\n\n\
         ```sh\n{command}\n```\n",
        header = config
            .header_text()
            .lines()
            .map(|line| line.trim_start_matches("// "))
            .collect::<Vec<_>>()
            .join(" "),
        full_name = metadata.service_full_name,
        service_id = metadata.service_id,
        api_version = metadata.api_version,
        operations = service.operations.len(),
        protocol = metadata.protocol,
        prefix = metadata.endpoint_prefix,
        command = config.regenerate_command,
        endpoints = if service.endpoint_rules.is_some() {
            "endpoints from the model's endpoint rule set, "
        } else {
            ""
        },
        serde = if crate::emit::serde_is_optional(&space.protocol) {
            "`Serialize` and `Deserialize` for every type, in the JSON form of its body members"
        } else {
            "always on: the bodies (JSON or CBOR) are read and written through the types' `Serialize` and `Deserialize`"
        },
    )
}

/// `types/mod.rs`: one file per kind of type, re-exported flat.
pub(crate) fn types_mod_rs(kinds: &[&str]) -> TokenStream {
    let modules = kinds.iter().map(|kind| {
        let kind = ident(kind);
        quote! {
            mod #kind;
            pub use #kind::*;
        }
    });
    quote! {
        //! Every structure, enum and union of the model.
        #(#modules)*
    }
}
