//! XML codecs of named types, shared by the XML protocols: `XmlStructure`/`XmlUnion` impls for
//! the shapes responses hold (query, ec2 and rest-xml read XML), `XmlWrite` impls for the
//! shapes rest-xml requests hold. Element names follow botocore: a member's `locationName`
//! (its own or its target's), a flattened list's items named by the list member's
//! `locationName`; namespace prefixes are ignored when reading.

use std::collections::BTreeMap;

use models::{Location, Member, MemberRef, ShapeId, ShapeKind, TimestampFormat, XmlNamespace};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::customization;
use crate::naming::{self, ident};
use crate::type_space::{Field, NamedType, TypeKind, TypeSpace};

/// The reading impl of a named type that responses hold.
pub(super) fn read_impl(space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
    if !space.is_received(named.shape) {
        return TokenStream::new();
    }
    let shape = space.service.shape(named.shape);
    let Some(structure) = shape.as_structure() else {
        return TokenStream::new();
    };
    let name = ident(&named.rust_name);
    let shape_name = &shape.name;
    // botocore reads every member from the body but those bound to headers and the status:
    // a member bound to the URI of a request is in the body of a response.
    let fields: Vec<Field<'_>> = space
        .fields(structure)
        .into_iter()
        .filter(|field| {
            !matches!(
                field.member.location,
                Location::Header | Location::Headers | Location::StatusCode
            ) && !is_document(space, field.member.target)
                && !field.streaming
        })
        .collect();
    if named.kind == TypeKind::Union {
        let unknown = ident(naming::UNKNOWN_VARIANT);
        let arms = fields.iter().map(|field| {
            let variant = ident(&field.rust_name);
            let tag = Literal::byte_string(element_name(space, field.member).as_bytes());
            let value = read_value(space, field.member.target);
            let value = boxed(field, value);
            quote!(#tag => Self::#variant(#value),)
        });
        return quote! {
            impl crate::rt::xml::XmlUnion for #name {
                const NAME: &'static str = #shape_name;

                fn read_member<'a>(reader: &mut crate::rt::xml::XmlReader<'a>, element: &crate::rt::xml::Element<'a>) -> ::std::result::Result<Self, crate::rt::xml::XmlError> {
                    ::std::result::Result::Ok(match element.local_name() {
                        #(#arms)*
                        _ => Self::#unknown(crate::rt::xml::read_unknown_member(reader, element)?),
                    })
                }
            }
        };
    }

    // Members sharing an element name (flattened lists of one item name) all take its values,
    // as botocore gives every member the elements of its name.
    let mut by_tag: BTreeMap<String, Vec<&Field<'_>>> = BTreeMap::new();
    let mut attributes = Vec::new();
    for field in &fields {
        if field.member.xml_attribute {
            attributes.push(field);
        } else {
            by_tag
                .entry(element_name(space, field.member))
                .or_default()
                .push(field);
        }
    }
    let arms = by_tag.iter().map(|(tag, fields)| {
        let tag = Literal::byte_string(tag.as_bytes());
        let (first, rest) = fields.split_first().expect("at least one member per tag");
        // Members of another type under the same name cannot take these values (botocore
        // would fill them with whatever parses); the first member's type decides.
        let first_type = member_value_type(space, first).to_string();
        let rest: Vec<&&Field<'_>> = rest
            .iter()
            .filter(|field| member_value_type(space, field).to_string() == first_type)
            .collect();
        let store = |field: &Field<'_>, value: TokenStream| {
            let member = ident(&field.rust_name);
            if flattened(space, field.member) {
                match &space.service.shape(field.member.target).kind {
                    ShapeKind::List { .. } => {
                        quote!(crate::rt::xml::push(&mut self.#member, #value);)
                    }
                    _ => quote!(crate::rt::xml::insert(&mut self.#member, #value);),
                }
            } else {
                quote!(self.#member = ::std::option::Option::Some(#value);)
            }
        };
        let value = member_value(space, first);
        if rest.is_empty() {
            let statement = store(first, value);
            quote!(#tag => { #statement })
        } else {
            let copies = rest.iter().map(|field| store(field, quote!(value.clone())));
            let last = store(first, quote!(value));
            let value_type = member_value_type(space, first);
            quote!(#tag => {
                let value: #value_type = #value;
                #(#copies)*
                #last
            })
        }
    });
    let read_attributes = (!attributes.is_empty()).then(|| {
        let reads = attributes.iter().map(|field| {
            let member = ident(&field.rust_name);
            let name = field.member.wire_name();
            let parse = parse_attribute(space, field.member.target, name);
            quote! {
                if let ::std::option::Option::Some(text) = element.attribute(#name)? {
                    self.#member = ::std::option::Option::Some(#parse);
                }
            }
        });
        quote! {
            fn read_attributes(&mut self, element: &crate::rt::xml::Element<'_>) -> ::std::result::Result<(), crate::rt::xml::XmlError> {
                #(#reads)*
                ::std::result::Result::Ok(())
            }
        }
    });
    let body = if by_tag.is_empty() {
        quote!(reader.skip(element)?;)
    } else {
        quote! {
            match element.local_name() {
                #(#arms)*
                _ => reader.skip(element)?,
            }
        }
    };
    quote! {
        impl crate::rt::xml::XmlStructure for #name {
            const NAME: &'static str = #shape_name;

            #read_attributes

            fn read_member<'a>(&mut self, reader: &mut crate::rt::xml::XmlReader<'a>, element: &crate::rt::xml::Element<'a>) -> ::std::result::Result<(), crate::rt::xml::XmlError> {
                #body
                ::std::result::Result::Ok(())
            }
        }
    }
}

fn is_document(space: &TypeSpace<'_>, id: ShapeId) -> bool {
    matches!(space.service.shape(id).kind, ShapeKind::Document)
}

/// The member's list or map is flattened into its structure.
fn flattened(space: &TypeSpace<'_>, member: &Member) -> bool {
    member.flattened
        && matches!(
            space.service.shape(member.target).kind,
            ShapeKind::List { .. } | ShapeKind::Map { .. }
        )
}

/// The element a member is read from and written to: its `locationName` or name; for a
/// flattened list whose items have a `locationName`, that name (botocore's `_member_key_name`).
pub(super) fn element_name(space: &TypeSpace<'_>, member: &Member) -> String {
    if member.flattened
        && let ShapeKind::List { member: item, .. } = &space.service.shape(member.target).kind
        && let Some(name) = &item.location_name
    {
        return name.clone();
    }
    member.wire_name().to_owned()
}

/// The value of a structure member read from `element` (one item or entry, for a flattened
/// list or map).
fn member_value(space: &TypeSpace<'_>, field: &Field<'_>) -> TokenStream {
    let member = field.member;
    if flattened(space, member) {
        return match &space.service.shape(member.target).kind {
            ShapeKind::List { member: item, .. } => read_value(space, item.target),
            ShapeKind::Map { key, value, .. } => {
                let names = map_names(key, value);
                let key = read_closure(space, key.target);
                let value = read_closure(space, value.target);
                quote!(crate::rt::xml::read_map_entry(reader, element, #names, #key, #value)?)
            }
            _ => unreachable!("only lists and maps are flattened"),
        };
    }
    boxed(field, read_value(space, member.target))
}

/// The type of [`member_value`].
fn member_value_type(space: &TypeSpace<'_>, field: &Field<'_>) -> TokenStream {
    if flattened(space, field.member) {
        return match &space.service.shape(field.member.target).kind {
            ShapeKind::List { member: item, .. } => space.rust_type(item.target),
            ShapeKind::Map { key, value, .. } => {
                let key = space.rust_type(key.target);
                let value = space.rust_type(value.target);
                quote!(::std::option::Option<(#key, #value)>)
            }
            _ => unreachable!("only lists and maps are flattened"),
        };
    }
    field.stored_type()
}

fn boxed(field: &Field<'_>, value: TokenStream) -> TokenStream {
    if field.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}

/// `(b"key", b"value")`, or the names the model gives.
fn map_names(key: &MemberRef, value: &MemberRef) -> TokenStream {
    let key = Literal::byte_string(key.location_name.as_deref().unwrap_or("key").as_bytes());
    let value = Literal::byte_string(value.location_name.as_deref().unwrap_or("value").as_bytes());
    quote!((#key, #value))
}

fn read_closure(space: &TypeSpace<'_>, id: ShapeId) -> TokenStream {
    let result = read_result(space, id);
    quote!(|reader, element| #result)
}

/// An expression reading a value of shape `id` from `element` with `reader` (`?` applied).
fn read_value(space: &TypeSpace<'_>, id: ShapeId) -> TokenStream {
    let result = read_result(space, id);
    quote!(#result?)
}

/// An expression reading a value of shape `id` from `element` with `reader`, as a `Result`.
fn read_result(space: &TypeSpace<'_>, id: ShapeId) -> TokenStream {
    match &space.service.shape(id).kind {
        ShapeKind::Structure(structure) if structure.is_union() => {
            quote!(crate::rt::xml::read_union(reader, element))
        }
        ShapeKind::Structure(_) => quote!(crate::rt::xml::read_structure(reader, element)),
        ShapeKind::String { .. } if customization::is_policy_document(space.service, id) => {
            quote!(crate::rt::xml::read_quoted_json(reader, element))
        }
        ShapeKind::String { .. } => quote!(crate::rt::xml::read_string(reader, element)),
        ShapeKind::Document => {
            quote!(crate::rt::xml::read_string(reader, element).map(crate::Document::String))
        }
        ShapeKind::Integer(_)
        | ShapeKind::Long(_)
        | ShapeKind::Float(_)
        | ShapeKind::Double(_)
        | ShapeKind::Boolean => quote!(crate::rt::xml::read_scalar(reader, element)),
        ShapeKind::Timestamp { .. } => quote!(crate::rt::xml::read_timestamp(reader, element)),
        ShapeKind::Blob { .. } => quote!(crate::rt::xml::read_blob(reader, element)),
        ShapeKind::List { member, .. } => {
            let item = read_closure(space, member.target);
            quote!(crate::rt::xml::read_list(reader, element, #item))
        }
        ShapeKind::Map { key, value, .. } => {
            let names = map_names(key, value);
            let key = read_closure(space, key.target);
            let value = read_closure(space, value.target);
            quote!(crate::rt::xml::read_map(reader, element, #names, #key, #value))
        }
    }
}

/// A value of shape `id` parsed from the attribute text `text`.
fn parse_attribute(space: &TypeSpace<'_>, id: ShapeId, name: &str) -> TokenStream {
    let invalid = quote! {
        |message| crate::rt::xml::XmlError::attribute(#name, message)
    };
    match &space.service.shape(id).kind {
        ShapeKind::String { .. } => quote!(::std::convert::From::from(text.as_str())),
        ShapeKind::Timestamp { .. } => quote! {
            crate::rt::time::parse_any_timestamp(&text)
                .ok_or_else(|| crate::rt::xml::XmlError::attribute(#name, "not a timestamp"))?
        },
        _ => quote! {
            crate::rt::rest::FromText::from_text(text.trim()).map_err(#invalid)?
        },
    }
}

// ---- Writing ----

/// The `XmlWrite` impl of a named type that rest-xml requests hold.
pub(super) fn write_impl(space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
    if !space.is_sent(named.shape) {
        return TokenStream::new();
    }
    let shape = space.service.shape(named.shape);
    let Some(structure) = shape.as_structure() else {
        return TokenStream::new();
    };
    let name = ident(&named.rust_name);
    let fields: Vec<Field<'_>> = space
        .fields(structure)
        .into_iter()
        .filter(|field| field.in_body() && !is_document(space, field.member.target))
        .collect();
    let unit = fields.is_empty().then(|| quote!(let _ = self;));
    if named.kind == TypeKind::Union {
        let unknown = ident(naming::UNKNOWN_VARIANT);
        let arms = fields.iter().map(|field| {
            let variant = ident(&field.rust_name);
            let write = write_member_value(space, field, field.member.wire_name());
            quote!(Self::#variant(value) => { #write })
        });
        return quote! {
            impl crate::rt::xml::XmlWrite for #name {
                fn write_xml(&self, writer: &mut crate::rt::xml::XmlWriter, name: &str, namespace: ::std::option::Option<crate::rt::xml::Namespace>) {
                    writer.start(name, namespace);
                    match self {
                        #(#arms)*
                        // A member this model does not know cannot be written.
                        Self::#unknown(_) => {}
                    }
                    writer.end(name);
                }
            }
        };
    }
    let attributes = fields
        .iter()
        .filter(|field| field.member.xml_attribute)
        .map(|field| {
            let member = ident(&field.rust_name);
            let attribute = field.member.wire_name();
            quote! {
                if let ::std::option::Option::Some(value) = &self.#member {
                    writer.attribute(#attribute, &crate::rt::rest::ToText::to_text(value));
                }
            }
        });
    let elements = fields
        .iter()
        .filter(|field| !field.member.xml_attribute)
        .map(|field| {
            let member = ident(&field.rust_name);
            // botocore writes a flattened list's items under the member's name (it reads them
            // under the items' name; see `element_name`).
            let write = write_member_value(space, field, field.member.wire_name());
            quote! {
                if let ::std::option::Option::Some(value) = &self.#member {
                    #write
                }
            }
        });
    quote! {
        impl crate::rt::xml::XmlWrite for #name {
            fn write_xml(&self, writer: &mut crate::rt::xml::XmlWriter, name: &str, namespace: ::std::option::Option<crate::rt::xml::Namespace>) {
                #unit
                writer.start(name, namespace);
                #(#attributes)*
                #(#elements)*
                writer.end(name);
            }
        }
    }
}

/// `Some(Namespace { .. })` or `None`.
pub(super) fn namespace(namespace: Option<&XmlNamespace>) -> TokenStream {
    match namespace {
        None => quote!(::std::option::Option::None),
        Some(XmlNamespace { uri, prefix }) => {
            let prefix = match prefix {
                Some(prefix) => quote!(::std::option::Option::Some(#prefix)),
                None => quote!(::std::option::Option::None),
            };
            quote!(::std::option::Option::Some(crate::rt::xml::Namespace { prefix: #prefix, uri: #uri }))
        }
    }
}

/// Statements writing `value` (a reference to the member's value, maybe boxed) as element
/// `element`.
pub(super) fn write_member_value(
    space: &TypeSpace<'_>,
    field: &Field<'_>,
    element: &str,
) -> TokenStream {
    let member = field.member;
    let ns = namespace(member.xml_namespace.as_ref());
    let format = member.timestamp_format;
    let unbox = field.boxed.then(|| quote!(let value = &**value;));
    let write = match &space.service.shape(member.target).kind {
        ShapeKind::List { member: item, .. } if member.flattened => {
            let write_item = write_closure(space, item.target, item.xml_namespace.as_ref(), None);
            quote!(crate::rt::xml::write_list(writer, #element, #ns, crate::rt::xml::ListLayout::Flattened, value, #write_item);)
        }
        ShapeKind::Map {
            key,
            value: map_value,
            ..
        } if member.flattened => {
            let layout = map_layout(key, map_value, true);
            let write_key = write_closure(space, key.target, key.xml_namespace.as_ref(), None);
            let write_value = write_closure(
                space,
                map_value.target,
                map_value.xml_namespace.as_ref(),
                None,
            );
            quote!(crate::rt::xml::write_map(writer, #element, #ns, #layout, value, #write_key, #write_value);)
        }
        _ => {
            let write = write_value(space, member.target, quote!(#element), ns, format);
            quote!(#write;)
        }
    };
    quote!(#unbox #write)
}

fn map_layout(key: &MemberRef, value: &MemberRef, flattened: bool) -> TokenStream {
    let key = key.location_name.as_deref().unwrap_or("key");
    let value = value.location_name.as_deref().unwrap_or("value");
    quote!(crate::rt::xml::MapLayout { flattened: #flattened, key: #key, value: #value })
}

/// `|writer, name, value| ...` writing a value of shape `id`.
fn write_closure(
    space: &TypeSpace<'_>,
    id: ShapeId,
    xml_namespace: Option<&XmlNamespace>,
    format: Option<TimestampFormat>,
) -> TokenStream {
    let write = write_value(space, id, quote!(name), namespace(xml_namespace), format);
    quote!(|writer, name, value| #write)
}

/// An expression writing `value` (a reference) of shape `id` as element `name`.
fn write_value(
    space: &TypeSpace<'_>,
    id: ShapeId,
    name: TokenStream,
    ns: TokenStream,
    format: Option<TimestampFormat>,
) -> TokenStream {
    match &space.service.shape(id).kind {
        ShapeKind::Structure(_) => {
            quote!(crate::rt::xml::XmlWrite::write_xml(value, writer, #name, #ns))
        }
        ShapeKind::String { .. }
        | ShapeKind::Integer(_)
        | ShapeKind::Long(_)
        | ShapeKind::Float(_)
        | ShapeKind::Double(_)
        | ShapeKind::Boolean => quote!(crate::rt::xml::write_text(writer, #name, #ns, value)),
        ShapeKind::Document => {
            quote!(crate::rt::xml::write_text(writer, #name, #ns, &value.to_string()))
        }
        ShapeKind::Timestamp {
            format: shape_format,
        } => {
            let format = timestamp_format(format.or(*shape_format));
            quote!(crate::rt::xml::write_timestamp(writer, #name, #ns, value, #format))
        }
        ShapeKind::Blob { .. } => quote!(crate::rt::xml::write_blob(writer, #name, #ns, value)),
        ShapeKind::List { member, .. } => {
            let item_name = member.location_name.as_deref().unwrap_or("member");
            let write_item =
                write_closure(space, member.target, member.xml_namespace.as_ref(), None);
            quote!(crate::rt::xml::write_list(writer, #name, #ns, crate::rt::xml::ListLayout::Wrapped(#item_name), value, #write_item))
        }
        ShapeKind::Map {
            key,
            value: map_value,
            ..
        } => {
            let layout = map_layout(key, map_value, false);
            let write_key = write_closure(space, key.target, key.xml_namespace.as_ref(), None);
            let write_value = write_closure(
                space,
                map_value.target,
                map_value.xml_namespace.as_ref(),
                None,
            );
            quote!(crate::rt::xml::write_map(writer, #name, #ns, #layout, value, #write_key, #write_value))
        }
    }
}

/// The runtime's name for a timestamp format: iso8601 unless the model says otherwise.
pub(super) fn timestamp_format(format: Option<TimestampFormat>) -> TokenStream {
    match format.unwrap_or(TimestampFormat::Iso8601) {
        TimestampFormat::Iso8601 => quote!(crate::rt::rest::TimestampFormat::Iso8601),
        TimestampFormat::Rfc822 => quote!(crate::rt::rest::TimestampFormat::HttpDate),
        TimestampFormat::UnixTimestamp => quote!(crate::rt::rest::TimestampFormat::EpochSeconds),
    }
}
