//! What the generator cannot honour yet, found once, before anything is emitted.
//!
//! A model whose protocol the generator does not speak is refused whole. A feature of one
//! operation it cannot honour (an event stream, an authentication scheme it cannot sign with,
//! required endpoint discovery) makes that operation fail at run time with
//! `Error::Unsupported`, naming the feature, while the rest of the crate works. A paginator it
//! cannot express is left out, and so is a waiter whose expressions it cannot read. `generate` lists every one of these, with where it is.

use std::collections::BTreeMap;
use std::fmt;

use models::{Operation, Service, ShapeKind};

use crate::type_space::TypeSpace;

/// Something the generated crate does not do, and where the model asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityNote {
    /// Where in the model, in the loader's path form (`operations.SubscribeToShard`).
    pub path: String,
    /// What the generated crate does instead.
    pub note: String,
}

impl fmt::Display for CapabilityNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.note)
    }
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signing {
    /// SigV4 over the whole request.
    SigV4,
    /// SigV4 with `UNSIGNED-PAYLOAD` as the body's hash (`authtype: v4-unsigned-body`).
    SigV4UnsignedPayload,
    /// Not signed (`authtype: none`, `smithy.api#noAuth`).
    None,
    /// Signature Version 2 (`signatureVersion: v2`, or `authtype: v2`).
    SigV2,
}

/// The features of a model the generator cannot honour, by operation.
#[derive(Debug, Default)]
pub(crate) struct Capabilities {
    /// Operations that fail at run time, with the feature they need.
    unsupported: BTreeMap<String, &'static str>,
    /// Everything `generate` reports.
    pub(crate) notes: Vec<CapabilityNote>,
}

impl Capabilities {
    /// Finds what the generator cannot honour in `space`'s model. (The protocol is checked
    /// before: a model of an unknown protocol never gets this far.)
    pub(crate) fn of(space: &TypeSpace<'_>) -> Self {
        let service = space.service;
        let mut capabilities = Capabilities::default();
        let service_auth = service_auth_unsupported(service);
        for operation in service.operations.values() {
            let feature = event_stream(service, &space.protocol, operation)
                .or_else(|| operation_auth_unsupported(operation).or(service_auth))
                .or_else(|| required_endpoint_discovery(operation));
            if let Some(feature) = feature {
                capabilities.notes.push(CapabilityNote {
                    path: format!("operations.{}", operation.name),
                    note: format!(
                        "needs {feature}, which this generator does not support yet; the \
                         operation fails with Error::Unsupported"
                    ),
                });
                capabilities
                    .unsupported
                    .insert(operation.name.clone(), feature);
            }
        }
        for (name, paginator) in &service.paginators {
            let Some(operation) = service.operations.get(name) else {
                continue;
            };
            if let Err(reason) = crate::paginators::plan(space, operation, paginator) {
                capabilities.notes.push(CapabilityNote {
                    path: format!("paginators.pagination.{name}"),
                    note: format!("paginator left out: {reason}"),
                });
            }
        }
        capabilities.notes.extend(endpoint_notes(service));
        for (name, waiter) in &service.waiters {
            if let Err(reason) = crate::emit::waiter::check(waiter) {
                capabilities.notes.push(CapabilityNote {
                    path: format!("waiters.{name}"),
                    note: format!("waiter left out: {reason}"),
                });
            }
        }
        capabilities
    }

    /// The feature an operation needs that the generator cannot honour, if any.
    pub(crate) fn unsupported(&self, operation: &Operation) -> Option<&'static str> {
        self.unsupported.get(&operation.name).copied()
    }
}

/// Where the endpoint rules are not followed: a model without its rule set, and operations that
/// read endpoint parameters from their input, which go to the client's endpoint.
fn endpoint_notes(service: &Service) -> Vec<CapabilityNote> {
    let Some(text) = &service.endpoint_rules else {
        return vec![CapabilityNote {
            path: "endpoint-rule-set-1.json".to_owned(),
            note: format!(
                "no endpoint rule set beside the model: requests go to the configured endpoint, \
                 else https://{}.{{region}}.amazonaws.com (.com.cn in China), signed for the \
                 region, which is wrong for global services and other partitions",
                service.metadata.endpoint_prefix
            ),
        }];
    };
    // Checked before; a parameter the rules never read (S3's `Key`) changes no endpoint.
    let Ok(rules) = botocore_runtime::endpoint_rules::RuleSet::parse(text) else {
        return Vec::new();
    };
    let mut by_param: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for operation in service.operations.values() {
        let params = crate::emit::endpoint::unpassed_params(service, operation);
        for param in params.into_iter().filter(|param| rules.reads(param)) {
            by_param.entry(param).or_default().push(&operation.name);
        }
    }
    by_param
        .into_iter()
        .map(|(param, operations)| {
            let count = operations.len();
            let (first, plural) = (operations[0], if count == 1 { "" } else { "s" });
            CapabilityNote {
                path: format!("endpoint-rule-set-1.json: parameters.{param}"),
                note: format!(
                    "read from the input of {count} operation{plural} ({first}{}) by botocore; \
                     not passed to the endpoint rules, which resolve without it{}",
                    if count > 1 { ", ..." } else { "" },
                    if param == "Bucket" {
                        " (the client's endpoint, where the runtime's S3 addressing places the \
                         bucket)"
                    } else {
                        ""
                    }
                ),
            }
        })
        .collect()
}

/// How an operation is signed: its `authtype` (or `auth`), else the service's
/// `signatureVersion` where that is `v2` (and no `auth` list says otherwise), else SigV4.
pub(crate) fn signing(service: &Service, operation: &Operation) -> Signing {
    let metadata = &service.metadata;
    match operation.auth_type.as_deref() {
        Some("none") => Signing::None,
        Some("v4-unsigned-body") => Signing::SigV4UnsignedPayload,
        Some("v2") => Signing::SigV2,
        _ if operation.auth == ["smithy.api#noAuth"] => Signing::None,
        None if metadata.signature_version == "v2" && metadata.auth.is_empty() => Signing::SigV2,
        _ => Signing::SigV4,
    }
}

/// An event stream the generated crate cannot read or send: any in an input (they need a
/// request body that is itself a stream of signed events, over HTTP/2); in an output, one of a
/// protocol whose event payloads are not read yet, or with members bound to event headers
/// (no model has them) or a payload member other than a blob, string or structure (a union
/// has no value to start from).
fn event_stream(
    service: &Service,
    protocol: &models::Protocol,
    operation: &Operation,
) -> Option<&'static str> {
    let stream_of = |id: Option<models::ShapeId>| {
        let structure = service.shape(id?).as_structure()?;
        structure.members.iter().find_map(|member| {
            let target = service.shape(member.target).as_structure()?;
            target.eventstream.then_some(target)
        })
    };
    if stream_of(operation.input).is_some() {
        return Some("input event streams");
    }
    let union = stream_of(operation.output)?;
    let emitter = crate::emit::protocol::emitter(protocol);
    if emitter.and_then(|emitter| emitter.event_reader()).is_none() {
        return Some("event streams over this protocol");
    }
    for event in &union.members {
        let Some(event) = service.shape(event.target).as_structure() else {
            return Some("event-stream members that are not structures");
        };
        for member in &event.members {
            if member.event_header {
                return Some("event-stream header members");
            }
            let readable = match &service.shape(member.target).kind {
                ShapeKind::Blob { .. } | ShapeKind::String { .. } => true,
                ShapeKind::Structure(target) => !target.is_union(),
                _ => false,
            };
            if member.event_payload && !readable {
                return Some("event-stream payload members of this type");
            }
        }
    }
    None
}

/// The service's `auth` list offers no scheme the runtime signs with (SigV4, bearer tokens;
/// SigV2 comes from `signatureVersion`, which no `auth` list names).
fn service_auth_unsupported(service: &Service) -> Option<&'static str> {
    let auth = &service.metadata.auth;
    let known = |scheme: &String| {
        matches!(
            scheme.as_str(),
            "aws.auth#sigv4" | "aws.auth#sigv4a" | "smithy.api#httpBearerAuth"
        )
    };
    (!auth.is_empty() && !auth.iter().any(known))
        .then_some("authentication schemes other than SigV4 and bearer tokens")
}

/// An operation-level scheme the generator cannot sign with.
fn operation_auth_unsupported(operation: &Operation) -> Option<&'static str> {
    match operation.auth_type.as_deref() {
        Some("bearer") => Some("bearer-token authentication"),
        _ => None,
    }
}

/// Operations that must be sent to an endpoint the service names first (`DescribeEndpoints`).
fn required_endpoint_discovery(operation: &Operation) -> Option<&'static str> {
    operation
        .endpoint_discovery_required
        .then_some("endpoint discovery")
}
