//! The files around the types: `Cargo.toml`, `lib.rs` and the `types` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::inner_doc_lines;
use crate::Config;
use crate::docs::html_to_markdown;
use crate::naming::ident;

/// Dependencies of every generated crate, pinned to the major versions the runtime is written for.
const DEPENDENCIES: &str = r#"base64 = "0.22"
httpdate = "1"
serde = "1"
serde_json = "1"
time = { version = "0.3", features = ["parsing"] }
fancy-regex = "0.20""#;

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
         [dependencies]\n{DEPENDENCIES}\n{workspace}",
        header = header.replace("//", "#"),
        name = config.crate_name,
        version = config.crate_version,
    )
}

/// `lib.rs`: the service's docs, the modules and the runtime types users see.
pub(crate) fn lib_rs(
    service: &models::Service,
    has_types: bool,
    has_patterns: bool,
) -> TokenStream {
    let metadata = &service.metadata;
    let title = format!(
        "# {} (API {})\n\nTyped Rust for every shape of the `{}` service model: structures, enums \
         and unions, with their rest-json body form through `serde`, and [`Validate`] to check every \
         constraint of the model before a request is sent.",
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

        #patterns
        mod rt;
        #types

        pub use rt::validate;
        pub use rt::validate::{Validate, ValidateOptions, ValidationError};
        pub use rt::{DateTime, Document, UnknownMember, UnknownValue};

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
