//! The Rust view of a model: which shapes become named types, what every name is, and which Rust
//! type and wire format every member uses. Decided once, before any tokens are emitted.

use std::collections::{BTreeMap, BTreeSet};

use models::{Member, Service, ShapeId, ShapeKind, Structure, TimestampFormat};
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::PatternTable;
use crate::naming::{self, OperationNames, Scope, WaiterNames, ident};

/// Adds `id` and every shape it holds to `held`.
fn hold(service: &Service, id: ShapeId, held: &mut BTreeSet<ShapeId>) {
    let mut pending = vec![id];
    while let Some(id) = pending.pop() {
        if !held.insert(id) {
            continue;
        }
        match &service.shape(id).kind {
            ShapeKind::Structure(structure) => {
                pending.extend(structure.members.iter().map(|member| member.target));
            }
            ShapeKind::List { member, .. } => pending.push(member.target),
            ShapeKind::Map { key, value, .. } => pending.extend([key.target, value.target]),
            _ => {}
        }
    }
}

/// What kind of named Rust type a shape becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeKind {
    Struct,
    Union,
    Enum,
}

/// A shape that becomes a named Rust type.
#[derive(Debug, Clone)]
pub(crate) struct NamedType {
    pub(crate) shape: ShapeId,
    pub(crate) kind: TypeKind,
    pub(crate) rust_name: String,
}

/// A structure member as a Rust field (or a union member as a variant).
#[derive(Debug, Clone)]
pub(crate) struct Field<'a> {
    pub(crate) member: &'a Member,
    /// Field name (snake case) or, in unions, variant name (camel case).
    pub(crate) rust_name: String,
    /// The value type, without the `Option` around struct fields or the `Box` of recursion.
    pub(crate) rust_type: TokenStream,
    /// The value is stored behind a `Box` to break a cycle of direct containment.
    pub(crate) boxed: bool,
    /// The `rt::json` format type that (de)serializes the value.
    pub(crate) format: TokenStream,
    /// A structure held directly (not boxed) by a structure: read in place, with
    /// `json::Structure::read_into`.
    pub(crate) read_in_place: bool,
    /// `Debug` must not show the value.
    pub(crate) sensitive: bool,
    /// The structure's `payload` is this `streaming` blob (a REST protocol's): a
    /// `rt::ByteStream`, sent and received as the body, never part of a body's form.
    pub(crate) streaming: bool,
    /// The member is an event stream a response carries (an `eventstream` union only responses
    /// hold): a `rt::event_stream::EventReceiver` of the union, read from the body as it
    /// arrives. Such a field is also [`streaming`](Self::streaming).
    pub(crate) event_stream: bool,
    /// The member is part of the type's serde form: of the body, for the REST protocols
    /// (the others are bound to the URI, headers, query string or status code); always, for
    /// the RPC protocols, whose serializers ignore `location`.
    pub(crate) in_body: bool,
    /// The member's key in the serde form: its wire name for the JSON protocols, whose bodies
    /// this form is; its model name otherwise (XML element names may repeat, keys may not).
    pub(crate) serde_key: &'a str,
}

impl Field<'_> {
    /// The member appears in the body (see [`Field::in_body`]).
    pub(crate) fn in_body(&self) -> bool {
        self.in_body
    }

    /// The type as stored: boxed when recursion requires it.
    pub(crate) fn stored_type(&self) -> TokenStream {
        let rust_type = &self.rust_type;
        if self.boxed {
            quote!(::std::boxed::Box<#rust_type>)
        } else {
            rust_type.clone()
        }
    }
}

/// Names and types for every shape of a service.
#[derive(Debug)]
pub(crate) struct TypeSpace<'a> {
    pub(crate) service: &'a Service,
    /// The protocol the crate speaks.
    pub(crate) protocol: models::Protocol,
    /// Every pattern of the model, translated and checked.
    pub(crate) patterns: PatternTable,
    named: BTreeMap<ShapeId, NamedType>,
    /// The Rust names of every operation's items, by operation name.
    operations: BTreeMap<String, OperationNames>,
    /// The Rust names of every waiter's items, by waiter name.
    waiters: BTreeMap<String, WaiterNames>,
    /// The operations whose input, output or error each shape is, in operation order.
    roles: BTreeMap<ShapeId, Vec<(Role, String)>>,
    /// Shapes some operation's input holds (itself included): the ones a request writes.
    sent: BTreeSet<ShapeId>,
    /// Shapes some operation's output or error holds: the ones a response reads.
    received: BTreeSet<ShapeId>,
    /// The event-stream unions only responses hold, with the name of the enum of the
    /// exceptions each models.
    event_streams: BTreeMap<ShapeId, String>,
}

/// What a shape is to an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Input,
    Output,
    Error,
}

impl<'a> TypeSpace<'a> {
    /// Decides the type of every shape. Shapes whose converted name is their model name claim it
    /// first, so a later `ARN` next to an existing `Arn` cannot take `Arn` away from it.
    pub(crate) fn new(service: &'a Service, protocol: &models::Protocol) -> Self {
        let mut candidates = Vec::new();
        for id in service.shape_ids() {
            let shape = service.shape(id);
            let kind = match &shape.kind {
                ShapeKind::Structure(structure) if structure.is_union() => TypeKind::Union,
                ShapeKind::Structure(_) => TypeKind::Struct,
                ShapeKind::String {
                    enum_values: Some(_),
                    ..
                } => TypeKind::Enum,
                _ => continue,
            };
            candidates.push((id, kind, naming::type_name(&shape.name)));
        }
        let mut scope = Scope::default();
        let mut named = BTreeMap::new();
        let exact_first = |exact: bool| {
            candidates
                .iter()
                .filter(move |(id, _, name)| (service.shape(*id).name == *name) == exact)
        };
        for (id, kind, name) in exact_first(true).chain(exact_first(false)) {
            let rust_name = scope.claim(name.clone());
            named.insert(
                *id,
                NamedType {
                    shape: *id,
                    kind: *kind,
                    rust_name,
                },
            );
        }
        let (mut sent, mut received) = (BTreeSet::new(), BTreeSet::new());
        for operation in service.operations.values() {
            let replies = operation.output.iter().chain(&operation.errors);
            operation
                .input
                .iter()
                .for_each(|id| hold(service, *id, &mut sent));
            replies.for_each(|id| hold(service, *id, &mut received));
        }
        // Event streams whose payloads the protocol reads (`emit::protocol`'s `event_reader`).
        let reads_events = crate::emit::protocol::emitter(protocol)
            .is_some_and(|emitter| emitter.event_reader().is_some());
        let mut event_streams = BTreeMap::new();
        for (id, named_type) in named.iter().filter(|_| reads_events) {
            let is_event_stream = matches!(
                &service.shape(*id).kind,
                ShapeKind::Structure(structure) if structure.eventstream
            );
            if is_event_stream && received.contains(id) && !sent.contains(id) {
                let error = scope.claim(format!("{}Error", named_type.rust_name));
                event_streams.insert(*id, error);
            }
        }
        let operation_names = naming::operation_names(
            service
                .operations
                .keys()
                .map(|name| (name.as_str(), service.paginators.contains_key(name))),
        );
        let operations = service
            .operations
            .keys()
            .cloned()
            .zip(operation_names)
            .collect::<BTreeMap<String, OperationNames>>();
        let waiter_names = naming::waiter_names(
            service.waiters.keys().map(String::as_str),
            &operations.values().collect::<Vec<_>>(),
        );
        let waiters = service.waiters.keys().cloned().zip(waiter_names).collect();
        let mut roles: BTreeMap<ShapeId, Vec<(Role, String)>> = BTreeMap::new();
        for operation in service.operations.values() {
            let uses = operation
                .input
                .map(|id| (id, Role::Input))
                .into_iter()
                .chain(operation.output.map(|id| (id, Role::Output)))
                .chain(operation.errors.iter().map(|id| (*id, Role::Error)));
            for (id, role) in uses {
                let entry = roles.entry(id).or_default();
                if !entry
                    .iter()
                    .any(|(r, name)| *r == role && *name == operation.name)
                {
                    entry.push((role, operation.name.clone()));
                }
            }
        }
        TypeSpace {
            service,
            protocol: protocol.clone(),
            patterns: PatternTable::new(service),
            named,
            operations,
            waiters,
            roles,
            sent,
            received,
            event_streams,
        }
    }

    /// The name of the exception enum of event-stream union `id`, if responses carry it as an
    /// event stream.
    pub(crate) fn event_stream_error(&self, id: ShapeId) -> Option<&str> {
        self.event_streams.get(&id).map(String::as_str)
    }

    /// Some operation's input holds shape `id`: requests write it.
    pub(crate) fn is_sent(&self, id: ShapeId) -> bool {
        self.sent.contains(&id)
    }

    /// Some operation's output or error holds shape `id`: responses read it.
    pub(crate) fn is_received(&self, id: ShapeId) -> bool {
        self.received.contains(&id)
    }

    /// The Rust names of an operation's items.
    pub(crate) fn operation_names(&self, operation: &models::Operation) -> &OperationNames {
        &self.operations[&operation.name]
    }

    /// The Rust names of a waiter's items (`name` is a key of `Service::waiters`).
    pub(crate) fn waiter_names(&self, name: &str) -> &WaiterNames {
        &self.waiters[name]
    }

    /// The operations whose input, output or error shape `id` is.
    pub(crate) fn roles(&self, id: ShapeId) -> &[(Role, String)] {
        self.roles.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    /// The named type of shape `id`, if it has one.
    pub(crate) fn named_type(&self, id: ShapeId) -> Option<&NamedType> {
        self.named.get(&id)
    }

    /// Every named type, in shape-name order.
    pub(crate) fn named_types(&self) -> impl Iterator<Item = &NamedType> {
        self.named.values()
    }

    /// The Rust type of a value of shape `id` (not wrapped in `Option`).
    pub(crate) fn rust_type(&self, id: ShapeId) -> TokenStream {
        if let Some(named) = self.named.get(&id) {
            let name = ident(&named.rust_name);
            return quote!(crate::types::#name);
        }
        match &self.service.shape(id).kind {
            ShapeKind::Structure(_) => unreachable!("every structure has a named type"),
            ShapeKind::Document => quote!(crate::Document),
            ShapeKind::String { .. } => quote!(::std::string::String),
            ShapeKind::Integer(_) => quote!(i32),
            ShapeKind::Long(_) => quote!(i64),
            ShapeKind::Float(_) => quote!(f32),
            ShapeKind::Double(_) => quote!(f64),
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Timestamp { .. } => quote!(crate::DateTime),
            ShapeKind::Blob { .. } => quote!(::std::vec::Vec<u8>),
            ShapeKind::List { member, .. } => {
                let item = self.rust_type(member.target);
                quote!(::std::vec::Vec<#item>)
            }
            ShapeKind::Map { key, value, .. } => {
                let key = self.rust_type(key.target);
                let value = self.rust_type(value.target);
                quote!(::std::collections::HashMap<#key, #value>)
            }
        }
    }

    /// The `rt::json` format of shape `id`, as an expression path (`json::List::<json::Float>`)
    /// for files that `use crate::rt::json`; `timestamp_format` is a member-level override.
    pub(crate) fn format(
        &self,
        id: ShapeId,
        timestamp_format: Option<TimestampFormat>,
    ) -> TokenStream {
        match &self.service.shape(id).kind {
            ShapeKind::Float(_) | ShapeKind::Double(_) => quote!(json::Float),
            ShapeKind::Blob { .. } => quote!(json::Blob),
            ShapeKind::Timestamp { format } => match timestamp_format.or(*format) {
                None | Some(TimestampFormat::UnixTimestamp) => quote!(json::EpochSeconds),
                Some(TimestampFormat::Iso8601) => quote!(json::Iso8601),
                Some(TimestampFormat::Rfc822) => quote!(json::HttpDate),
            },
            ShapeKind::List { member, .. } => {
                let item = self.element_format(member.target);
                quote!(json::List::<#item>)
            }
            ShapeKind::Map { value, .. } => {
                let value = self.element_format(value.target);
                quote!(json::Map::<#value>)
            }
            _ => quote!(json::Plain),
        }
    }

    /// The format of list items and map values: structures are read in place, into the list
    /// or map (`json::Structure`); other values as [`format`](Self::format) says.
    fn element_format(&self, id: ShapeId) -> TokenStream {
        match &self.service.shape(id).kind {
            ShapeKind::Structure(target) if !target.is_union() => quote!(json::Structure),
            _ => self.format(id, None),
        }
    }

    /// A value of shape `id` must not be shown: the shape is sensitive, or it is a list or map
    /// of sensitive values.
    pub(crate) fn is_sensitive(&self, id: ShapeId) -> bool {
        let shape = self.service.shape(id);
        shape.sensitive
            || match &shape.kind {
                ShapeKind::List { member, .. } => self.is_sensitive(member.target),
                ShapeKind::Map { key, value, .. } => {
                    self.is_sensitive(key.target) || self.is_sensitive(value.target)
                }
                _ => false,
            }
    }

    /// The fields of a structure (or variants of a union), named and typed.
    pub(crate) fn fields(&self, structure: &'a Structure) -> Vec<Field<'a>> {
        let mut scope = if structure.is_union() {
            Scope::with_reserved([naming::UNKNOWN_VARIANT])
        } else {
            Scope::default()
        };
        use models::Protocol;
        let rest = matches!(self.protocol, Protocol::RestJson | Protocol::RestXml);
        let json = matches!(
            self.protocol,
            Protocol::RestJson | Protocol::Json | Protocol::SmithyRpcV2Cbor
        );
        structure
            .members
            .iter()
            .map(|member| {
                let name = if structure.is_union() {
                    naming::variant_name(&member.name)
                } else {
                    naming::field_name(&member.name)
                };
                // `streaming` is set on the reference (S3's `Body`) or on the blob shape.
                let streaming = rest
                    && !structure.is_union()
                    && structure.payload.as_deref() == Some(member.name.as_str())
                    && match self.service.shape(member.target).kind {
                        ShapeKind::Blob { streaming, .. } => streaming || member.streaming,
                        _ => false,
                    };
                let event_stream =
                    !structure.is_union() && self.event_streams.contains_key(&member.target);
                let streaming = streaming || event_stream;
                let read_in_place = !structure.is_union()
                    && !event_stream
                    && !member.needs_indirection
                    && matches!(
                        &self.service.shape(member.target).kind,
                        ShapeKind::Structure(target) if !target.is_union()
                    );
                Field {
                    member,
                    rust_name: scope.claim(name),
                    rust_type: if event_stream {
                        let union = self.rust_type(member.target);
                        quote!(crate::rt::event_stream::EventReceiver<#union>)
                    } else if streaming {
                        quote!(crate::rt::ByteStream)
                    } else {
                        self.rust_type(member.target)
                    },
                    boxed: member.needs_indirection,
                    format: if read_in_place {
                        quote!(json::Structure)
                    } else {
                        self.format(member.target, member.timestamp_format)
                    },
                    read_in_place,
                    sensitive: member.sensitive || self.is_sensitive(member.target),
                    in_body: !streaming && (!rest || member.location == models::Location::Body),
                    streaming,
                    event_stream,
                    serde_key: if json {
                        member.wire_name()
                    } else {
                        &member.name
                    },
                }
            })
            .collect()
    }
}
