//! Operations: each model operation becomes an `Operation` impl that binds its input to an HTTP
//! request (URI labels, query string, headers, body or payload) and a response back to its
//! output, plus an error enum with one variant per modeled exception and `Unmodeled`.

use std::collections::BTreeSet;

use models::{Location, Member, Operation, ShapeId, ShapeKind, Structure, TimestampFormat};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use crate::naming::{self, Scope, ident};
use crate::type_space::TypeSpace;

/// The Rust type of an operation's input or output (`crate::Unit` when the model has none).
pub(crate) fn io_type(space: &TypeSpace<'_>, shape: Option<ShapeId>) -> TokenStream {
    match shape {
        Some(id) => space.rust_type(id),
        None => quote!(crate::Unit),
    }
}

/// The name of an operation's error enum (`DescribeContactError`).
pub(crate) fn error_enum_name(operation: &Operation) -> syn::Ident {
    ident(&format!("{}Error", naming::type_name(&operation.name)))
}

/// The marker type of an operation in the `operations` module.
pub(crate) fn marker_name(operation: &Operation) -> syn::Ident {
    ident(&naming::type_name(&operation.name))
}

/// The whole `operations.rs`: operation impls, error enums, and one response reader per output
/// or error shape.
pub(crate) fn operations_file(space: &TypeSpace<'_>) -> TokenStream {
    let service = space.service;
    let operations = service
        .operations
        .values()
        .map(|operation| operation_items(space, operation));
    let mut readers = BTreeSet::new();
    for operation in service.operations.values() {
        readers.extend(operation.output);
        readers.extend(operation.errors.iter().copied());
    }
    let readers = readers.into_iter().map(|id| response_reader(space, id));
    quote! {
        //! One item per operation: how its input goes on the wire, how its output and errors
        //! come back, and the enum of the errors it models.

        // The model deprecates some shapes; binding them to the wire is still required.
        #![allow(deprecated)]

        use crate::rt::client::Operation;
        use crate::rt::error::{BuildError, DecodeError, OperationError, UnmodeledError};
        use crate::rt::http::{HttpResponse, Method};
        use crate::rt::rest::{self, RequestBuilder};

        #(#operations)*
        #(#readers)*
    }
}

fn operation_items(space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
    let marker = marker_name(operation);
    let error_type = error_enum_name(operation);
    let name = &operation.name;
    let input = io_type(space, operation.input);
    let output = io_type(space, operation.output);
    let build = build_body(space, operation);
    let parse = match operation.output {
        Some(id) => {
            let reader = reader_name(space, id);
            quote!(#reader(response))
        }
        None => quote!({
            let _ = response;
            ::std::result::Result::Ok(crate::Unit)
        }),
    };
    let doc = format!(" The `{name}` operation.");
    let errors = error_enum(space, operation, &error_type);
    let error_arms = error_variants(space, operation)
        .into_iter()
        .map(|(code, variant, shape)| {
            let reader = reader_name(space, shape);
            quote!(#code => #error_type::#variant(#reader(response)?),)
        });
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub(crate) struct #marker;

        impl Operation for #marker {
            const NAME: &'static str = #name;
            type Input = #input;
            type Output = #output;
            type Error = #error_type;

            fn build(input: &mut Self::Input) -> ::std::result::Result<RequestBuilder, BuildError> {
                #build
            }

            fn parse(response: &HttpResponse) -> ::std::result::Result<Self::Output, DecodeError> {
                #parse
            }

            fn parse_error(
                code: &str,
                response: &HttpResponse,
                body: ::std::option::Option<&::serde_json::Map<::std::string::String, crate::Document>>,
            ) -> ::std::result::Result<Self::Error, DecodeError> {
                ::std::result::Result::Ok(match code {
                    #(#error_arms)*
                    _ => #error_type::Unmodeled(rest::unmodeled(code, response, body)),
                })
            }
        }

        #errors
    }
}

/// `(wire code, variant, shape)` for each error an operation models.
fn error_variants(
    space: &TypeSpace<'_>,
    operation: &Operation,
) -> Vec<(String, syn::Ident, ShapeId)> {
    let mut scope = Scope::with_reserved(["Unmodeled"]);
    operation
        .errors
        .iter()
        .map(|&id| {
            let shape = space.service.shape(id);
            let code = shape
                .as_structure()
                .and_then(|structure| structure.error.as_ref())
                .and_then(|error| error.code.clone())
                .unwrap_or_else(|| shape.name.clone());
            let variant = ident(&scope.claim(naming::type_name(&shape.name)));
            (code, variant, id)
        })
        .collect()
}

fn error_enum(space: &TypeSpace<'_>, operation: &Operation, name: &syn::Ident) -> TokenStream {
    let variants = error_variants(space, operation);
    let params = super::params::error_impl(name, &variants);
    let doc = format!(
        " The errors `{}` models, and `Unmodeled` for any other error the service returns.",
        operation.name
    );
    let defs = variants.iter().map(|(_, variant, shape)| {
        let docs = doc_attrs(space.service.shape(*shape).documentation.as_deref());
        let rust_type = space.rust_type(*shape);
        quote! {
            #docs
            #variant(#rust_type),
        }
    });
    let codes = variants
        .iter()
        .map(|(code, variant, _)| quote!(Self::#variant(_) => #code,));
    let messages = variants
        .iter()
        .map(|(_, variant, shape)| match message_field(space, *shape) {
            Some(field) => quote!(Self::#variant(error) => error.#field.as_deref(),),
            None => quote!(Self::#variant(_) => ::std::option::Option::None,),
        });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            /// An error this operation does not model, with its code, message, status and request id.
            Unmodeled(UnmodeledError),
        }

        impl OperationError for #name {
            fn code(&self) -> &str {
                match self {
                    #(#codes)*
                    Self::Unmodeled(error) => &error.code,
                }
            }

            fn message(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#messages)*
                    Self::Unmodeled(error) => error.message.as_deref(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let code = match self.code() {
                    "" => "unknown error",
                    code => code,
                };
                match self.message() {
                    ::std::option::Option::Some(message) => write!(f, "{code}: {message}"),
                    ::std::option::Option::None => f.write_str(code),
                }
            }
        }

        impl ::std::error::Error for #name {}

        #params
    }
}

/// The field holding an exception's message (`message`, `Message` or `errorMessage`), if it is a
/// plain string.
fn message_field(space: &TypeSpace<'_>, shape: ShapeId) -> Option<syn::Ident> {
    let structure = space.service.shape(shape).as_structure()?;
    let fields = space.fields(structure);
    fields
        .iter()
        .find(|field| {
            matches!(
                field.member.name.as_str(),
                "message" | "Message" | "errorMessage"
            ) && !field.boxed
                && matches!(
                    space.service.shape(field.member.target).kind,
                    ShapeKind::String {
                        enum_values: None,
                        ..
                    }
                )
        })
        .map(|field| ident(&field.rust_name))
}

fn reader_name(space: &TypeSpace<'_>, shape: ShapeId) -> syn::Ident {
    format_ident!(
        "read_{}",
        naming::field_name(&space.service.shape(shape).name).trim_start_matches("r#")
    )
}

/// The value of a non-body member, as the request builder wants it: `Option<&T>`.
fn member_ref(field: &syn::Ident, boxed: bool) -> TokenStream {
    if boxed {
        quote!(input.#field.as_deref())
    } else {
        quote!(input.#field.as_ref())
    }
}

fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::Iso8601 => quote!(rest::TimestampFormat::Iso8601),
        TimestampFormat::Rfc822 => quote!(rest::TimestampFormat::HttpDate),
        TimestampFormat::UnixTimestamp => quote!(rest::TimestampFormat::EpochSeconds),
    }
}

/// The format of a list item's timestamps: its shape's, or the location's default.
fn item_timestamp_format(
    space: &TypeSpace<'_>,
    item: ShapeId,
    default: TimestampFormat,
) -> TokenStream {
    let shape_format = match &space.service.shape(item).kind {
        ShapeKind::Timestamp { format } => *format,
        _ => None,
    };
    timestamp_format(shape_format.unwrap_or(default))
}

/// A member's timestamp format: its own, its shape's, or the location's default.
fn member_timestamp_format(
    space: &TypeSpace<'_>,
    member: &Member,
    target: ShapeId,
    default: TimestampFormat,
) -> TokenStream {
    let shape_format = match &space.service.shape(target).kind {
        ShapeKind::Timestamp { format } => *format,
        _ => None,
    };
    timestamp_format(member.timestamp_format.or(shape_format).unwrap_or(default))
}

fn is_timestamp(space: &TypeSpace<'_>, id: ShapeId) -> bool {
    matches!(space.service.shape(id).kind, ShapeKind::Timestamp { .. })
}

fn is_plain_string(space: &TypeSpace<'_>, id: ShapeId) -> bool {
    matches!(space.service.shape(id).kind, ShapeKind::String { .. })
}

/// The pieces of a request URI: path literals and labels, then literal query parameters.
struct RequestUri<'a> {
    path: Vec<UriPiece<'a>>,
    literal_query: Vec<&'a str>,
}

enum UriPiece<'a> {
    Literal(&'a str),
    Label { name: &'a str, greedy: bool },
}

fn parse_request_uri(uri: &str) -> RequestUri<'_> {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            pieces.push(UriPiece::Literal(&rest[..start]));
        }
        let label = &rest[start + 1..start + end];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        pieces.push(UriPiece::Label { name, greedy });
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(UriPiece::Literal(rest));
    }
    RequestUri {
        path: pieces,
        literal_query: query.split('&').filter(|pair| !pair.is_empty()).collect(),
    }
}

/// The body of `Operation::build`.
fn build_body(space: &TypeSpace<'_>, operation: &Operation) -> TokenStream {
    let method = format_ident!("{}", operation.http.method.to_ascii_uppercase());
    let uri = parse_request_uri(&operation.http.request_uri);
    let structure = operation
        .input
        .and_then(|id| space.service.shape(id).as_structure());
    let fields = structure
        .map(|structure| space.fields(structure))
        .unwrap_or_default();
    let field_of = |member: &Member| {
        fields
            .iter()
            .find(|field| std::ptr::eq(field.member, member))
            .map(|field| (ident(&field.rust_name), field.boxed))
            .expect("every member has a field")
    };
    let members: Vec<&Member> = structure
        .map(|s| s.members.iter().collect())
        .unwrap_or_default();
    let by_location = |location: Location| {
        members
            .iter()
            .copied()
            .filter(move |m| m.location == location)
    };

    let mut statements = Vec::new();
    for member in members.iter().filter(|member| member.idempotency_token) {
        let (field, _) = field_of(member);
        statements.push(quote! {
            if input.#field.is_none() {
                input.#field = ::std::option::Option::Some(rest::idempotency_token());
            }
        });
    }
    if let Some(prefix) = &operation.host_prefix {
        statements.extend(host_prefix(prefix, &members, &field_of));
    }
    for piece in &uri.path {
        match piece {
            UriPiece::Literal(text) => statements.push(quote!(request.path(#text);)),
            UriPiece::Label { name, greedy } => {
                let member = by_location(Location::Uri)
                    .find(|m| m.wire_name().trim_end_matches('+') == *name);
                statements.push(match member {
                    Some(member) => {
                        let (field, boxed) = field_of(member);
                        let value = member_ref(&field, boxed);
                        if is_timestamp(space, member.target) {
                            let format = member_timestamp_format(
                                space,
                                member,
                                member.target,
                                TimestampFormat::Iso8601,
                            );
                            quote!(request.label_timestamp(#name, #value, #format)?;)
                        } else {
                            quote!(request.label(#name, #value, #greedy)?;)
                        }
                    }
                    // The model names a label no member fills: keep it literally, as botocore does.
                    None => {
                        let literal = if *greedy {
                            format!("{{{name}+}}")
                        } else {
                            format!("{{{name}}}")
                        };
                        quote!(request.path(#literal);)
                    }
                });
            }
        }
    }
    for pair in &uri.literal_query {
        statements.push(quote!(request.literal_query(#pair);));
    }
    for member in by_location(Location::Querystring) {
        statements.push(query_statement(space, member, &field_of(member)));
    }
    for member in by_location(Location::Header) {
        statements.push(header_statement(space, member, &field_of(member)));
    }
    for member in by_location(Location::Headers) {
        let (field, boxed) = field_of(member);
        let value = member_ref(&field, boxed);
        let prefix = member.wire_name();
        statements.push(quote!(request.prefix_headers(#prefix, #value)?;));
    }
    statements.extend(body_statements(space, structure, &fields));

    let input_binding = if structure.is_some_and(|s| !s.members.is_empty()) {
        quote!()
    } else {
        quote!(let _ = input;)
    };
    let request_binding = if statements.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    quote! {
        #input_binding
        #request_binding = RequestBuilder::new(Self::NAME, Method::#method);
        #(#statements)*
        ::std::result::Result::Ok(request)
    }
}

fn host_prefix(
    prefix: &str,
    members: &[&Member],
    field_of: &dyn Fn(&Member) -> (syn::Ident, bool),
) -> Vec<TokenStream> {
    let mut statements = Vec::new();
    let mut rest = prefix;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            let literal = &rest[..start];
            statements.push(quote!(request.host_prefix(#literal);));
        }
        let name = &rest[start + 1..start + end];
        match members.iter().find(|m| m.host_label && m.name == name) {
            Some(member) => {
                let (field, _) = field_of(member);
                statements.push(quote!(request.host_label(#name, input.#field.as_ref())?;));
            }
            None => {
                let literal = format!("{{{name}}}");
                statements.push(quote!(request.host_prefix(#literal);));
            }
        }
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        statements.push(quote!(request.host_prefix(#rest);));
    }
    statements
}

fn query_statement(
    space: &TypeSpace<'_>,
    member: &Member,
    (field, boxed): &(syn::Ident, bool),
) -> TokenStream {
    let key = member.wire_name();
    let value = member_ref(field, *boxed);
    match &space.service.shape(member.target).kind {
        ShapeKind::Timestamp { .. } => {
            let format =
                member_timestamp_format(space, member, member.target, TimestampFormat::Iso8601);
            quote!(request.query_timestamp(#key, #value, #format);)
        }
        ShapeKind::List { member: item, .. } if is_timestamp(space, item.target) => {
            let format = item_timestamp_format(space, item.target, TimestampFormat::Iso8601);
            quote!(request.query_timestamp_list(#key, #value, #format);)
        }
        ShapeKind::List { .. } => quote!(request.query_list(#key, #value);),
        ShapeKind::Map {
            value: map_value, ..
        } => {
            if matches!(
                space.service.shape(map_value.target).kind,
                ShapeKind::List { .. }
            ) {
                quote!(request.query_map_of_lists(#value);)
            } else {
                quote!(request.query_map(#value);)
            }
        }
        _ => quote!(request.query(#key, #value);),
    }
}

fn header_statement(
    space: &TypeSpace<'_>,
    member: &Member,
    (field, boxed): &(syn::Ident, bool),
) -> TokenStream {
    let name = member.wire_name();
    let value = member_ref(field, *boxed);
    match &space.service.shape(member.target).kind {
        ShapeKind::Timestamp { .. } => {
            let format =
                member_timestamp_format(space, member, member.target, TimestampFormat::Rfc822);
            quote!(request.header_timestamp(#name, #value, #format)?;)
        }
        ShapeKind::String { .. } if member.jsonvalue => {
            quote!(request.header_base64(#name, #value)?;)
        }
        ShapeKind::List { member: item, .. } if is_timestamp(space, item.target) => {
            let format = item_timestamp_format(space, item.target, TimestampFormat::Rfc822);
            quote!(request.header_timestamp_list(#name, #value, #format)?;)
        }
        ShapeKind::List { member: item, .. } => {
            let quote_strings = is_plain_string(space, item.target);
            quote!(request.header_list(#name, #value, #quote_strings)?;)
        }
        _ => quote!(request.header(#name, #value)?;),
    }
}

/// The body: an explicit payload member, or the JSON of the body members.
fn body_statements(
    space: &TypeSpace<'_>,
    structure: Option<&Structure>,
    fields: &[crate::type_space::Field<'_>],
) -> Option<TokenStream> {
    let structure = structure?;
    if let Some(payload) = &structure.payload {
        let field = fields.iter().find(|field| field.member.name == *payload)?;
        let name = ident(&field.rust_name);
        return Some(match &space.service.shape(field.member.target).kind {
            ShapeKind::Blob { .. } => quote! {
                if let ::std::option::Option::Some(body) = &input.#name {
                    request.raw_body(body.clone(), "application/octet-stream");
                }
            },
            ShapeKind::String { .. } => quote! {
                if let ::std::option::Option::Some(body) = &input.#name {
                    request.raw_body(::std::string::ToString::to_string(body).into_bytes(), "text/plain");
                }
            },
            _ => quote! {
                match &input.#name {
                    ::std::option::Option::Some(body) => request.json_body(body)?,
                    ::std::option::Option::None => request.empty_json_body(),
                }
            },
        });
    }
    fields
        .iter()
        .any(|field| field.in_body())
        .then(|| quote!(request.json_body(&*input)?;))
}

/// `fn read_<shape>(response) -> Result<T, DecodeError>`: the body (or payload), then headers
/// and status code.
fn response_reader(space: &TypeSpace<'_>, id: ShapeId) -> TokenStream {
    let name = reader_name(space, id);
    let rust_type = space.rust_type(id);
    let Some(structure) = space.service.shape(id).as_structure() else {
        return TokenStream::new();
    };
    let fields = space.fields(structure);
    let mut statements = Vec::new();
    let payload = structure
        .payload
        .as_ref()
        .and_then(|payload| fields.iter().find(|field| field.member.name == *payload));
    let start = match payload {
        Some(field) => {
            let field_name = ident(&field.rust_name);
            let read = match &space.service.shape(field.member.target).kind {
                ShapeKind::Blob { .. } => quote!(rest::blob_payload(response)),
                ShapeKind::String {
                    enum_values: Some(_),
                    ..
                } => {
                    quote!(
                        rest::string_payload(response)?
                            .map(|text| ::std::convert::From::from(text.as_str()))
                    )
                }
                ShapeKind::String { .. } => quote!(rest::string_payload(response)?),
                _ if field.boxed => {
                    quote!(rest::json_payload(response)?.map(::std::boxed::Box::new))
                }
                _ => quote!(rest::json_payload(response)?),
            };
            statements.push(quote!(output.#field_name = #read;));
            quote!(let mut output = <#rust_type>::default();)
        }
        // An error keeps its code even when its body is not JSON (an HTML page from a proxy).
        None if structure.error.is_some() => {
            quote!(let mut output: #rust_type = rest::error_json_body(response);)
        }
        None => quote!(let mut output: #rust_type = rest::json_body(response)?;),
    };
    for field in &fields {
        let member = field.member;
        let field_name = ident(&field.rust_name);
        let wire = member.wire_name();
        let read = match member.location {
            Location::Header => match &space.service.shape(member.target).kind {
                ShapeKind::Timestamp { .. } => {
                    let format = member_timestamp_format(
                        space,
                        member,
                        member.target,
                        TimestampFormat::Rfc822,
                    );
                    quote!(rest::header_timestamp(response, #wire, #format)?)
                }
                ShapeKind::String { .. } if member.jsonvalue => {
                    quote!(rest::header_base64(response, #wire)?)
                }
                ShapeKind::List { member: item, .. } if is_timestamp(space, item.target) => {
                    let format = item_timestamp_format(space, item.target, TimestampFormat::Rfc822);
                    quote!(rest::header_timestamp_list(response, #wire, #format)?)
                }
                ShapeKind::List { .. } => quote!(rest::header_list(response, #wire)?),
                _ => quote!(rest::header(response, #wire)?),
            },
            Location::Headers => quote!(rest::prefix_headers(response, #wire)?),
            Location::StatusCode => quote!(::std::option::Option::Some(
                ::std::convert::From::from(response.status)
            )),
            _ => continue,
        };
        statements.push(quote!(output.#field_name = #read;));
    }
    // AWS writes the message as `message` or `Message` whatever the model calls it; botocore
    // reads either, and so do we.
    if let Some(field) = structure
        .error
        .is_some()
        .then(|| message_field(space, id))
        .flatten()
    {
        statements.push(quote! {
            if output.#field.is_none() {
                output.#field = rest::error_message(rest::error_body(response).as_ref());
            }
        });
    }
    let start = if statements.is_empty() && structure.error.is_some() {
        quote!(let output: #rust_type = rest::error_json_body(response);)
    } else if statements.is_empty() {
        quote!(let output: #rust_type = rest::json_body(response)?;)
    } else {
        start
    };
    let doc = format!(
        " Reads a `{}` from a response.",
        space.service.shape(id).name
    );
    quote! {
        #[doc = #doc]
        fn #name(response: &HttpResponse) -> ::std::result::Result<#rust_type, DecodeError> {
            #start
            #(#statements)*
            ::std::result::Result::Ok(output)
        }
    }
}
