//! The REST binding of members, shared by the REST protocols: the request's path labels,
//! literal and member query parameters, headers and prefix headers; the response's headers and
//! status code. The protocols differ only in their bodies.
//!
//! Idempotency tokens and host prefixes apply to every protocol and live here too.

use models::{Location, Member, Operation, ShapeId, ShapeKind, TemplatePart, TimestampFormat};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::naming::ident;
use crate::type_space::{Field, TypeSpace};

/// The fields of an operation's input structure (none when it has no input).
pub(crate) fn input_fields<'a>(space: &TypeSpace<'a>, operation: &Operation) -> Vec<Field<'a>> {
    operation
        .input
        .and_then(|id| space.service.shape(id).as_structure())
        .map(|structure| space.fields(structure))
        .unwrap_or_default()
}

/// The value of a member, as the request builder wants it: `Option<&T>`.
fn member_ref(field: &Field<'_>) -> TokenStream {
    let name = ident(&field.rust_name);
    if field.boxed {
        quote!(input.#name.as_deref())
    } else {
        quote!(input.#name.as_ref())
    }
}

/// Statements filling unset idempotency tokens with fresh UUIDs, as botocore does.
pub(super) fn idempotency_tokens(fields: &[Field<'_>]) -> Vec<TokenStream> {
    fields
        .iter()
        .filter(|field| field.member.idempotency_token)
        .map(|field| {
            let name = ident(&field.rust_name);
            quote! {
                if input.#name.is_none() {
                    input.#name = ::std::option::Option::Some(crate::rt::request::idempotency_token());
                }
            }
        })
        .collect()
}

/// Statements building the host prefix (`{AccountId}.`) from its template.
pub(super) fn host_prefix(operation: &Operation, fields: &[Field<'_>]) -> Vec<TokenStream> {
    operation
        .host_template
        .iter()
        .map(|part| match part {
            TemplatePart::Literal(text) => quote!(request.host_prefix(#text);),
            TemplatePart::Label { name, greedy } => {
                match fields
                    .iter()
                    .find(|field| field.member.host_label && field.member.name == *name)
                {
                    Some(field) => {
                        let value = member_ref(field);
                        quote!(request.host_label(#name, #value)?;)
                    }
                    // No member fills the label: botocore leaves it as it is.
                    None => {
                        let literal = template_label(name, *greedy);
                        quote!(request.host_prefix(#literal);)
                    }
                }
            }
        })
        .collect()
}

fn template_label(name: &str, greedy: bool) -> String {
    if greedy {
        format!("{{{name}+}}")
    } else {
        format!("{{{name}}}")
    }
}

/// `RequestBuilder::new(Self::NAME, Method::GET)`.
pub(super) fn new_request(operation: &Operation) -> TokenStream {
    let method = format_ident!("{}", operation.http.method);
    quote!(crate::rt::request::RequestBuilder::new(Self::NAME, crate::rt::http::Method::#method))
}

/// The value of an output's event-stream member, from a response read whole (`parse`; the
/// streamed path hands the body to `parse_streaming`): its messages, read as the caller asks.
pub(super) fn event_stream_payload() -> TokenStream {
    quote!(::std::option::Option::Some(
        crate::rt::event_stream::EventReceiver::from_response(response)
    ))
}

/// An output whose `payload` member (`name`) is read by `read`, the others left to their
/// defaults for the bindings that follow: a struct literal, not a default then an assignment.
pub(super) fn payload_init(
    rust_type: &TokenStream,
    name: &syn::Ident,
    read: TokenStream,
    fields: usize,
) -> TokenStream {
    if fields == 1 {
        quote!(#rust_type { #name: #read })
    } else {
        quote!(#rust_type { #name: #read, ..::std::default::Default::default() })
    }
}

/// Statements binding members to the path, the query string and the headers.
pub(super) fn request_bindings(
    space: &TypeSpace<'_>,
    operation: &Operation,
    fields: &[Field<'_>],
) -> Vec<TokenStream> {
    let located = |location: Location| {
        fields
            .iter()
            .filter(move |field| field.member.location == location)
    };
    let mut statements = Vec::new();
    for part in &operation.http.path {
        statements.push(match part {
            TemplatePart::Literal(text) => quote!(request.path(#text);),
            TemplatePart::Label { name, greedy } => {
                match located(Location::Uri)
                    .find(|field| field.member.wire_name().trim_end_matches('+') == name)
                {
                    Some(field) => label(space, field, name, *greedy),
                    // The model names a label no member fills: kept literally, as botocore does.
                    None => {
                        let literal = template_label(name, *greedy);
                        quote!(request.path(#literal);)
                    }
                }
            }
        });
    }
    for pair in &operation.http.literal_query {
        statements.push(quote!(request.literal_query(#pair);));
    }
    statements.extend(located(Location::Querystring).map(|field| query(space, field)));
    statements.extend(located(Location::Header).map(|field| header(space, field)));
    statements.extend(located(Location::Headers).map(|field| {
        let value = member_ref(field);
        let prefix = field.member.wire_name();
        quote!(request.prefix_headers(#prefix, #value)?;)
    }));
    statements.extend(crate::emit::customization::bucket_binding(space, fields));
    statements.extend(crate::emit::customization::default_accept(space));
    statements.extend(crate::emit::customization::glacier_headers(
        space, operation,
    ));
    statements.extend(crate::emit::customization::query_as_form_body(
        space, operation,
    ));
    statements.extend(request_checksum(operation, fields));
    statements
}

/// The flexible checksum botocore computes over the body: of the algorithm the input names,
/// else CRC32 for an operation that requires a checksum or, botocore's default
/// `when_supported`, names an algorithm member.
fn request_checksum(operation: &Operation, fields: &[Field<'_>]) -> Option<TokenStream> {
    let checksum = operation.http_checksum.as_ref();
    let required = operation.http_checksum_required
        || checksum.is_some_and(|checksum| checksum.request_checksum_required);
    let member = checksum
        .and_then(|checksum| checksum.request_algorithm_member.as_deref())
        .and_then(|name| fields.iter().find(|field| field.member.name == name));
    if !required && member.is_none() {
        return None;
    }
    let (chosen, header) = match member {
        Some(field) => {
            let name = ident(&field.rust_name);
            let header = match field.member.location {
                Location::Header => {
                    let header = field.member.wire_name().to_ascii_lowercase();
                    quote!(::std::option::Option::Some(#header))
                }
                _ => quote!(::std::option::Option::None),
            };
            (
                quote!(input.#name.as_ref().map(|algorithm| algorithm.as_str())),
                header,
            )
        }
        None => (
            quote!(::std::option::Option::None),
            quote!(::std::option::Option::None),
        ),
    };
    Some(quote!(request.request_checksum(#chosen, #header)?;))
}

fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::Iso8601 => quote!(crate::rt::rest::TimestampFormat::Iso8601),
        TimestampFormat::Rfc822 => quote!(crate::rt::rest::TimestampFormat::HttpDate),
        TimestampFormat::UnixTimestamp => quote!(crate::rt::rest::TimestampFormat::EpochSeconds),
    }
}

/// The format of a shape's timestamps: its own, or the location's default.
fn shape_timestamp_format(
    space: &TypeSpace<'_>,
    id: ShapeId,
    member_format: Option<TimestampFormat>,
    default: TimestampFormat,
) -> TokenStream {
    let shape_format = match &space.service.shape(id).kind {
        ShapeKind::Timestamp { format } => *format,
        _ => None,
    };
    timestamp_format(member_format.or(shape_format).unwrap_or(default))
}

/// A member's timestamp format: its own, its shape's, or the location's default.
fn member_timestamp_format(
    space: &TypeSpace<'_>,
    member: &Member,
    default: TimestampFormat,
) -> TokenStream {
    shape_timestamp_format(space, member.target, member.timestamp_format, default)
}

fn is_timestamp(space: &TypeSpace<'_>, id: ShapeId) -> bool {
    matches!(space.service.shape(id).kind, ShapeKind::Timestamp { .. })
}

fn label(space: &TypeSpace<'_>, field: &Field<'_>, name: &str, greedy: bool) -> TokenStream {
    let value = member_ref(field);
    if is_timestamp(space, field.member.target) {
        let format = member_timestamp_format(space, field.member, TimestampFormat::Iso8601);
        quote!(request.label_timestamp(#name, #value, #format)?;)
    } else {
        quote!(request.label(#name, #value, #greedy)?;)
    }
}

fn query(space: &TypeSpace<'_>, field: &Field<'_>) -> TokenStream {
    let member = field.member;
    let key = member.wire_name();
    let value = member_ref(field);
    match &space.service.shape(member.target).kind {
        ShapeKind::Timestamp { .. } => {
            let format = member_timestamp_format(space, member, TimestampFormat::Iso8601);
            quote!(request.query_timestamp(#key, #value, #format);)
        }
        ShapeKind::List { member: item, .. } if is_timestamp(space, item.target) => {
            let format = shape_timestamp_format(space, item.target, None, TimestampFormat::Iso8601);
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

fn header(space: &TypeSpace<'_>, field: &Field<'_>) -> TokenStream {
    let member = field.member;
    let name = member.wire_name();
    let value = member_ref(field);
    match &space.service.shape(member.target).kind {
        ShapeKind::Timestamp { .. } => {
            let format = member_timestamp_format(space, member, TimestampFormat::Rfc822);
            quote!(request.header_timestamp(#name, #value, #format)?;)
        }
        ShapeKind::String { .. } if member.jsonvalue => {
            quote!(request.header_base64(#name, #value)?;)
        }
        ShapeKind::List { member: item, .. } if is_timestamp(space, item.target) => {
            let format = shape_timestamp_format(space, item.target, None, TimestampFormat::Rfc822);
            quote!(request.header_timestamp_list(#name, #value, #format)?;)
        }
        ShapeKind::List { member: item, .. } => {
            let quote_strings = matches!(
                space.service.shape(item.target).kind,
                ShapeKind::String { .. }
            );
            quote!(request.header_list(#name, #value, #quote_strings)?;)
        }
        _ => {
            let value =
                crate::emit::customization::copy_source_header(space, field).unwrap_or(value);
            quote!(request.header(#name, #value)?;)
        }
    }
}

/// Statements reading the members bound to response headers and the status code.
pub(super) fn response_bindings(space: &TypeSpace<'_>, fields: &[Field<'_>]) -> Vec<TokenStream> {
    let mut statements = Vec::new();
    for field in fields {
        let member = field.member;
        let name = ident(&field.rust_name);
        let wire = member.wire_name();
        let read = match member.location {
            Location::Header => match &space.service.shape(member.target).kind {
                ShapeKind::Timestamp { .. } => {
                    let format = member_timestamp_format(space, member, TimestampFormat::Rfc822);
                    crate::emit::customization::expires_header_read(space, member, &format)
                        .unwrap_or_else(
                            || quote!(crate::rt::rest::header_timestamp(response, #wire, #format)?),
                        )
                }
                ShapeKind::String { .. } if member.jsonvalue => {
                    quote!(crate::rt::rest::header_base64(response, #wire)?)
                }
                ShapeKind::List { member: item, .. } if is_timestamp(space, item.target) => {
                    let format =
                        shape_timestamp_format(space, item.target, None, TimestampFormat::Rfc822);
                    quote!(crate::rt::rest::header_timestamp_list(response, #wire, #format)?)
                }
                ShapeKind::List { .. } => {
                    quote!(crate::rt::rest::header_list(response, #wire)?)
                }
                _ => quote!(crate::rt::rest::header(response, #wire)?),
            },
            Location::Headers => quote!(crate::rt::rest::prefix_headers(response, #wire)?),
            Location::StatusCode => quote!(::std::option::Option::Some(
                ::std::convert::From::from(response.status)
            )),
            _ => continue,
        };
        statements.push(quote!(output.#name = #read;));
    }
    statements
}
