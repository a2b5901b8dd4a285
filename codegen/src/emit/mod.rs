//! Turns the type space into Rust source files: tokens through `quote!`, then `syn` and
//! `prettyplease`, so malformed output fails here and never in a user's build.

mod cli;
pub(crate) mod client;
mod crate_files;
pub(crate) mod customization;
pub(crate) mod endpoint;
mod enumeration;
mod operation;
mod params;
mod print;
pub(crate) mod protocol;
mod structure;
mod union;
mod validate;
pub(crate) mod waiter;

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::html_to_markdown;
use crate::type_space::{Field, NamedType, TypeKind, TypeSpace};

pub(crate) use cli::{cli_file, cli_main};
pub(crate) use client::{client_file, trait_name};
pub(crate) use crate_files::{cargo_toml, lib_rs, readme, types_mod_rs};
pub(crate) use operation::operations_file;
pub(crate) use params::dynamic_file;
pub(crate) use validate::PatternTable;
pub(crate) use waiter::waiters_file;

/// The file of every named type of one kind, in shape-name order, under `prelude` (inner
/// attributes and imports). Types are independent, so the work (tokens, parsing, printing) is
/// split across threads in contiguous runs and joined in order: the bytes do not depend on the
/// number of threads.
pub(crate) fn types_file(
    space: &TypeSpace<'_>,
    kind: TypeKind,
    prelude: TokenStream,
    header: &str,
) -> Result<String, String> {
    let named: Vec<&NamedType> = space
        .named_types()
        .filter(|named| named.kind == kind)
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let run_length = named.len().div_ceil(threads).max(1);
    let runs: Result<Vec<String>, String> = std::thread::scope(|scope| {
        let handles: Vec<_> = named
            .chunks(run_length)
            .map(|run| scope.spawn(move || print_items(space, kind, run)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err("a generator thread panicked".to_owned()))
            })
            .collect()
    });
    let prelude = print::print_file(prelude).map_err(|error| error.to_string())?;
    let items = runs?.join("\n");
    let separator = if prelude.is_empty() || items.is_empty() {
        ""
    } else {
        "\n"
    };
    Ok(format!("{header}\n{prelude}{separator}{items}"))
}

fn print_items(
    space: &TypeSpace<'_>,
    kind: TypeKind,
    run: &[&NamedType],
) -> Result<String, String> {
    let codecs = protocol::emitter(&space.protocol);
    let items = run.iter().map(|named| {
        let item = match kind {
            TypeKind::Struct => structure::structure(space, named),
            TypeKind::Enum => enumeration::enumeration(space, named),
            TypeKind::Union => union::union(space, named),
        };
        let codec = codecs.map(|codecs| codecs.type_impls(space, named));
        quote!(#item #codec)
    });
    print::print_items(quote!(#(#items)*)).map_err(|error| error.to_string())
}

/// Put before each serde impl of a type: `#[cfg(feature = "serde")]` when the crate's protocol
/// does not write its bodies in the types' serde form (the XML protocols), so that users who
/// do not ask for serde do not compile those impls (a third of ec2's items, all generic);
/// nothing for the JSON and CBOR protocols, whose bodies are that form.
pub(crate) fn serde_gate(space: &TypeSpace<'_>) -> TokenStream {
    if serde_is_optional(&space.protocol) {
        quote!(#[cfg(feature = "serde")])
    } else {
        TokenStream::new()
    }
}

/// Whether the types' serde impls are behind the crate's `serde` feature (see [`serde_gate`]).
pub(crate) fn serde_is_optional(protocol: &models::Protocol) -> bool {
    protocol::emitter(protocol).is_some_and(|emitter| !emitter.bodies_use_serde())
}

/// `#[doc]` attributes from botocore HTML, one per Markdown line.
pub(crate) fn doc_attrs(html: Option<&str>) -> TokenStream {
    let markdown = html.map(html_to_markdown).unwrap_or_default();
    doc_lines(&markdown)
}

pub(crate) fn doc_lines(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(doc_line);
    quote!(#(#[doc = #lines])*)
}

/// Inner (`//!`) docs, for the top of a file.
fn inner_doc_lines(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(doc_line);
    quote!(#(#![doc = #lines])*)
}

/// rustdoc strips one leading space; prettyplease prints `/// line` for `" line"`.
fn doc_line(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// A shape's docs: the model's, then which operations it is the input, output or error of,
/// with links to the client's methods. A shape the model leaves undocumented and no operation
/// uses is described by name.
pub(crate) fn shape_docs(space: &TypeSpace<'_>, id: models::ShapeId) -> TokenStream {
    use crate::type_space::Role;
    let shape = space.service.shape(id);
    let mut markdown = shape
        .documentation
        .as_deref()
        .map(html_to_markdown)
        .unwrap_or_default();
    let link = |operation: &str| {
        let operation = &space.service.operations[operation];
        let method = space
            .operation_names(operation)
            .method
            .trim_start_matches("r#")
            .to_owned();
        format!("[`Client::{method}`](crate::Client::{method})")
    };
    let mut uses = Vec::new();
    for (role, what) in [
        (Role::Input, "The input of"),
        (Role::Output, "The output of"),
        (Role::Error, "An error of"),
    ] {
        let links: Vec<String> = space
            .roles(id)
            .iter()
            .filter(|(r, _)| *r == role)
            .map(|(_, operation)| link(operation))
            .collect();
        if !links.is_empty() {
            uses.push(format!("{what} {}.", links.join(", ")));
        }
    }
    if !uses.is_empty() {
        if !markdown.is_empty() {
            markdown.push_str("\n\n");
        }
        markdown.push_str(&uses.join(" "));
    }
    if markdown.is_empty() {
        markdown = format!("The `{}` shape of the model.", shape.name);
    }
    doc_lines(&markdown)
}

/// A member's docs, with a note when the model marks it required, and one when the client
/// fills it in or transforms it (as boto3's docs note what botocore's handlers do).
pub(crate) fn member_docs(
    space: &TypeSpace<'_>,
    holder: models::ShapeId,
    field: &Field<'_>,
) -> TokenStream {
    let member = field.member;
    let html = member.documentation.as_deref().or(space
        .service
        .shape(member.target)
        .documentation
        .as_deref());
    let mut markdown = html.map(html_to_markdown).unwrap_or_default();
    if markdown.is_empty() {
        markdown = format!("The `{}` member.", member.name);
    }
    let note = customization::member_note(space.service, holder, member);
    let mut facts = Vec::new();
    if member.required && !note.as_ref().is_some_and(|note| note.fills_in) {
        facts.push("*Required.*".to_owned());
    }
    if let Some(values) = &member.constraints.enum_values {
        let values: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
        facts.push(format!("*One of:* {}.", values.join(", ")));
    }
    facts.extend(constraints(space, &validate::effective_kind(space, member)));
    facts.extend(note.map(|note| note.text.to_owned()));
    if !facts.is_empty() {
        if !markdown.is_empty() {
            markdown.push_str("\n\n");
        }
        markdown.push_str(&facts.join(" "));
    }
    doc_lines(&markdown)
}

/// The constraints of a shape of kind `kind`, as the AWS CLI documents them.
fn constraints(space: &TypeSpace<'_>, kind: &models::ShapeKind) -> Option<String> {
    use models::ShapeKind;
    fn bounds<T: std::fmt::Display>(what: &str, min: Option<T>, max: Option<T>) -> Option<String> {
        match (min, max) {
            (Some(min), Some(max)) => Some(format!("{what} {min} to {max}")),
            (Some(min), None) => Some(format!("{what} at least {min}")),
            (None, Some(max)) => Some(format!("{what} at most {max}")),
            (None, None) => None,
        }
    }
    let mut parts = Vec::new();
    match kind {
        ShapeKind::String {
            length, pattern, ..
        } => {
            parts.extend(bounds("length", length.min, length.max));
            if let Some(pattern) = pattern {
                let ticks = if pattern.contains('`') { "``" } else { "`" };
                parts.push(format!("pattern {ticks}{pattern}{ticks}"));
                parts.extend(space.patterns.doc_note(pattern));
            }
        }
        ShapeKind::Blob { length, .. } => parts.extend(bounds("bytes", length.min, length.max)),
        ShapeKind::List { length, .. } | ShapeKind::Map { length, .. } => {
            parts.extend(bounds("entries", length.min, length.max))
        }
        ShapeKind::Integer(range) | ShapeKind::Long(range) => {
            parts.extend(bounds("range", range.min, range.max))
        }
        ShapeKind::Float(range) | ShapeKind::Double(range) => {
            parts.extend(bounds("range", range.min, range.max))
        }
        _ => {}
    }
    (!parts.is_empty()).then(|| format!("*Constraints:* {}.", parts.join("; ")))
}

/// `#[deprecated]` with the model's message and date.
pub(crate) fn deprecated_attr(deprecation: Option<&models::Deprecation>) -> TokenStream {
    let Some(deprecation) = deprecation else {
        return TokenStream::new();
    };
    // `since` must be a semver version for rustc; botocore gives dates, so they go in the note.
    let note = match (&deprecation.message, &deprecation.since) {
        (Some(message), Some(since)) => format!("{message} (deprecated since {since})"),
        (Some(message), None) => message.clone(),
        (None, Some(since)) => format!("deprecated since {since}"),
        (None, None) => return quote!(#[deprecated]),
    };
    quote!(#[deprecated(note = #note)])
}

/// Parses and pretty-prints a file, under a `// @generated` header.
pub(crate) fn render(tokens: TokenStream, header: &str) -> Result<String, syn::Error> {
    Ok(format!("{header}\n{}", print::print_file(tokens)?))
}
