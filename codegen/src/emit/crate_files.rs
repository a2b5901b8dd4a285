//! The files around the types: `Cargo.toml`, `lib.rs` and the `types` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::inner_doc_lines;
use crate::Config;
use crate::docs::html_to_markdown;
use crate::naming::ident;

/// Dependencies of every generated crate, pinned to the major versions the runtime is written for.
const DEPENDENCIES: &str = r#"aws-credential-types = "1"
aws-sigv4 = { version = "1", default-features = false, features = ["http1", "sign-http"] }
base64 = "0.22"
bytes = "1"
clap = { version = "4", default-features = false, features = ["std", "help", "usage", "error-context", "suggestions", "string", "wrap_help"], optional = true }
fancy-regex = "0.20"
fastrand = "2"
futures-core = "0.3"
http = "1"
httpdate = "1"
jmespath = { version = "0.5", optional = true }
percent-encoding = "2"
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"], optional = true }
serde = "1"
serde_json = "1"
serde_norway = { version = "0.9", optional = true }
time = { version = "0.3", features = ["macros", "parsing"] }
tokio = { version = "1", features = ["time"] }
tracing = { version = "0.1", default-features = false, features = ["std"] }
uuid = { version = "1", features = ["v4"] }"#;

/// Features: the default transport, and operations called by name with botocore-form JSON.
const FEATURES: &str = r#"default = ["rustls"]
# The default transport: reqwest with rustls. Without it, give a transport to `Config::transport`.
rustls = ["dep:reqwest"]
# Operations called by name with botocore-form JSON (`dynamic` module).
dynamic = []
# The command line: the binary named like the crate, as `aws <service>` speaks (`cli.rs`).
cli = ["dynamic", "rustls", "dep:clap", "dep:jmespath", "dep:serde_norway", "serde_json/preserve_order", "tokio/rt", "tokio/net"]"#;

/// The manifest of the generated crate.
pub(crate) fn cargo_toml(config: &Config, service: &models::Service, header: &str) -> String {
    let description = format!(
        "Typed Rust for {} (API {}), generated from the botocore model.",
        service.metadata.service_full_name, service.metadata.api_version
    );
    let workspace = if config.standalone {
        "\n# Built on its own, not as part of an enclosing workspace.\n[workspace]\n"
    } else {
        ""
    };
    format!(
        "{header}\n[package]\nname = {name:?}\nversion = {version:?}\nedition = \"2024\"\n\
         description = {description:?}\nlicense = \"Apache-2.0\"\npublish = false\n\n\
         [features]\n{FEATURES}\n\n[dependencies]\n{DEPENDENCIES}\n\n\
         [[bin]]\nname = {name:?}\npath = \"src/bin/{name}.rs\"\nrequired-features = [\"cli\"]\n{workspace}",
        header = header.replace("//", "#"),
        name = config.crate_name,
        version = config.crate_version,
    )
}

/// `lib.rs`: the service's docs, the modules and the runtime types users see.
pub(crate) fn lib_rs(
    service: &models::Service,
    api: &syn::Ident,
    has_types: bool,
    has_patterns: bool,
) -> TokenStream {
    let metadata = &service.metadata;
    let title = format!(
        "# {} (API {})\n\nTyped Rust for the `{}` service model: every structure, enum and \
         union, [`Validate`] to check the model's constraints before a request is sent, and a \
         [`Client`] with one async method per operation (also on the [`{api}`] trait, for mocks), \
         signed with SigV4, retried, with typed errors and paginators.",
        metadata.service_full_name, metadata.api_version, metadata.service_id
    );
    let mut docs = title;
    if let Some(html) = &service.documentation {
        docs.push_str("\n\n");
        docs.push_str(&html_to_markdown(html));
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
    quote! {
        #inner_docs
        #![forbid(unsafe_code)]

        mod client;
        #[cfg(feature = "cli")]
        pub mod cli;
        #[cfg(feature = "dynamic")]
        pub mod dynamic;
        pub mod operations;
        #patterns
        mod rt;
        #types

        pub use client::#api;
        pub use rt::client::{Client, Config, ConfigError};
        pub use rt::credentials::Credentials;
        pub use rt::error::{BuildError, CredentialsError, DecodeError, Error, OperationError, ResponseMeta, UnmodeledError};
        pub use rt::http::{BoxFuture, HttpRequest, HttpResponse, Timeouts, Transport, TransportError, TransportErrorKind};
        #[cfg(feature = "rustls")]
        pub use rt::http::ReqwestTransport;
        pub use rt::paginate::{Items, Pages, Paginated};
        pub use rt::retry::RetryConfig;
        pub use rt::validate;
        pub use rt::validate::{Validate, ValidateOptions, ValidationError};
        pub use rt::{DateTime, Document, Unit, UnknownMember, UnknownValue};

        /// The HTTP types crate behind [`HttpRequest`] and [`HttpResponse`].
        pub use ::http;
        /// The shared byte buffer of request and response bodies.
        pub use ::bytes::Bytes;
        /// The date-time crate behind [`DateTime`].
        pub use ::time;
        /// The JSON crate behind [`Document`].
        pub use ::serde_json;
    }
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
