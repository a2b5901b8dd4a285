//! The resolved intermediate representation of a botocore service model.
//!
//! Every shape reference is resolved to a [`ShapeId`], every trait the generators care about is a
//! typed field, and recursion has already been decided (see [`Member::needs_indirection`]).
//! Emitters read this and never look at JSON again.

use std::collections::BTreeMap;

/// Index of a shape in [`Service::shapes`]. Shapes are sorted by name, so ids are stable for a
/// given model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(pub(crate) u32);

impl ShapeId {
    /// Position of the shape in [`Service::shapes`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A whole service model: metadata, operations, shapes, paginators and waiters.
#[derive(Debug, Clone)]
pub struct Service {
    pub metadata: Metadata,
    pub documentation: Option<String>,
    /// Operations by name (sorted).
    pub operations: BTreeMap<String, Operation>,
    /// Shapes sorted by name; a [`ShapeId`] indexes this vector.
    pub shapes: Vec<Shape>,
    /// Paginators by operation name, from `paginators-1.json`.
    pub paginators: BTreeMap<String, Paginator>,
    /// Waiters by name, from `waiters-2.json` ([`crate::load_waiters`]); empty until loaded.
    pub waiters: BTreeMap<String, Waiter>,
    /// The text of `endpoint-rule-set-1.json`, where the service's requests go
    /// ([`crate::load_endpoint_rules_file`]); `None` until loaded.
    pub endpoint_rules: Option<String>,
}

impl Service {
    /// The shape behind an id.
    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id.index()]
    }

    /// Looks a shape up by its model name.
    pub fn shape_id(&self, name: &str) -> Option<ShapeId> {
        self.shapes
            .binary_search_by(|shape| shape.name.as_str().cmp(name))
            .ok()
            .map(|index| ShapeId(index as u32))
    }

    /// All shape ids, in name order.
    pub fn shape_ids(&self) -> impl Iterator<Item = ShapeId> + '_ {
        (0..self.shapes.len()).map(|index| ShapeId(index as u32))
    }
}

/// The `metadata` block of a model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub api_version: String,
    pub endpoint_prefix: String,
    /// The protocol botocore speaks to the service: the first of botocore's preference order
    /// ([`Protocol::PREFERENCE`]) that `protocols` lists, else `protocol`.
    pub protocol: Protocol,
    /// `protocol` as the model writes it (empty when it has none).
    pub declared_protocol: String,
    /// `protocols` as the model lists them (empty when it has no list).
    pub protocols: Vec<Protocol>,
    pub service_full_name: String,
    pub service_abbreviation: Option<String>,
    pub service_id: String,
    pub signature_version: String,
    pub signing_name: Option<String>,
    pub uid: Option<String>,
    pub json_version: Option<String>,
    pub target_prefix: Option<String>,
    /// `awsQueryCompatible`: a json or CBOR service that was a query one, whose errors also
    /// carry their query code (`x-amzn-query-error`).
    pub aws_query_compatible: bool,
    /// `xmlNamespace` of the service (rest-xml and query).
    pub xml_namespace: Option<String>,
    /// `auth`: the service's authentication schemes, in preference order.
    pub auth: Vec<String>,
}

/// A wire protocol, as botocore names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// awsJson 1.0 or 1.1 (`jsonVersion`).
    Json,
    /// REST bindings with JSON bodies.
    #[default]
    RestJson,
    /// REST bindings with XML bodies.
    RestXml,
    /// Smithy RPC v2 with CBOR bodies.
    SmithyRpcV2Cbor,
    /// awsQuery: form-encoded requests, XML responses.
    Query,
    /// The EC2 variant of query.
    Ec2,
    /// A protocol botocore does not speak.
    Other(String),
}

impl Protocol {
    /// botocore's order of preference (`PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`).
    pub const PREFERENCE: [Protocol; 6] = [
        Protocol::Json,
        Protocol::RestJson,
        Protocol::RestXml,
        Protocol::SmithyRpcV2Cbor,
        Protocol::Query,
        Protocol::Ec2,
    ];

    /// The protocol botocore names `name`.
    pub fn parse(name: &str) -> Protocol {
        match name {
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::SmithyRpcV2Cbor,
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            other => Protocol::Other(other.to_owned()),
        }
    }

    /// botocore's name of the protocol.
    pub fn as_str(&self) -> &str {
        match self {
            Protocol::Json => "json",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::SmithyRpcV2Cbor => "smithy-rpc-v2-cbor",
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
            Protocol::Other(name) => name,
        }
    }

    /// The protocol botocore speaks for a model's `protocols` list and `protocol`.
    pub fn resolve(protocols: &[Protocol], declared: &str) -> Protocol {
        if protocols.is_empty() {
            return Protocol::parse(declared);
        }
        Protocol::PREFERENCE
            .into_iter()
            .find(|protocol| protocols.contains(protocol))
            .unwrap_or_else(|| protocols[0].clone())
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The name the operation is keyed by in the model.
    pub name: String,
    /// The `name` the model declares, which some services suffix with a version.
    pub wire_name: String,
    pub http: HttpBinding,
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    /// Modeled errors, in model order.
    pub errors: Vec<ShapeId>,
    pub idempotent: bool,
    pub readonly: bool,
    pub deprecated: Option<Deprecation>,
    pub documentation: Option<String>,
    /// `endpoint.hostPrefix`, e.g. `"{AccountId}."`, as the model writes it.
    pub host_prefix: Option<String>,
    /// The host prefix, parsed: literals and member labels.
    pub host_template: Vec<TemplatePart>,
    /// `authtype` (`none`, `v4-unsigned-body`, ...).
    pub auth_type: Option<String>,
    /// `auth`: the authentication schemes, in preference order.
    pub auth: Vec<String>,
    /// `endpointdiscovery.required`: requests must go to an endpoint the service names first.
    pub endpoint_discovery_required: bool,
    /// `httpChecksumRequired`: the request needs a `Content-MD5` (or a flexible checksum).
    pub http_checksum_required: bool,
    /// `httpChecksum`: flexible checksums.
    pub http_checksum: Option<HttpChecksum>,
    /// `requestcompression.encodings`: encodings the service accepts for the request body.
    pub request_compression: Vec<String>,
    /// `unsignedPayload`: the body's hash is not signed.
    pub unsigned_payload: bool,
    /// `input.locationName` and `input.xmlNamespace`: the root element of an XML request body.
    pub input_xml: XmlName,
    /// `output.resultWrapper`: the element of a query response that holds the output.
    pub result_wrapper: Option<String>,
    /// `staticContextParams`: endpoint rule set parameters this operation sets, by name.
    pub static_context_params: Vec<(String, StaticContextParam)>,
    /// `operationContextParams`: endpoint rule set parameters read from the input by a path.
    pub operation_context_params: Vec<String>,
}

/// The value of a `staticContextParams` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticContextParam {
    Bool(bool),
    String(String),
}

/// `httpChecksum` of an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpChecksum {
    /// The input member naming the checksum algorithm.
    pub request_algorithm_member: Option<String>,
    /// A checksum is required even when no algorithm is chosen.
    pub request_checksum_required: bool,
    /// The input member asking for response validation.
    pub request_validation_mode_member: Option<String>,
    /// Algorithms the response may carry.
    pub response_algorithms: Vec<String>,
}

/// An XML element's name and namespace, as `locationName` and `xmlNamespace` give them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlName {
    pub name: Option<String>,
    pub namespace: Option<XmlNamespace>,
}

/// `xmlNamespace`: a URI, and the prefix it is declared with (`xmlns:prefix`), if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlNamespace {
    pub uri: String,
    pub prefix: Option<String>,
}

/// Where and how an operation is sent over HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpBinding {
    /// The method, upper case (`POST` when the model gives none, as botocore sends).
    pub method: String,
    /// The request URI template as the model writes it, e.g. `/contacts/{InstanceId}/{ContactId}`
    /// (`/` when the model gives none); may carry a literal query string after `?`.
    pub request_uri: String,
    /// The path of the request URI, parsed: literals and labels.
    pub path: Vec<TemplatePart>,
    /// The literal query parameters of the request URI (`type=abc`, `flag`), as written.
    pub literal_query: Vec<String>,
    /// The status code of a successful response, when the model states one.
    pub response_code: Option<u16>,
}

/// A piece of a URI path or host prefix template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Text sent as it is.
    Literal(String),
    /// `{Name}`, or `{Name+}` (greedy: slashes kept) in a path: a member's value.
    Label { name: String, greedy: bool },
}

/// Parses `/a/{B}/{C+}` or `{AccountId}.` into its parts. A `{` without its `}` is literal text.
pub fn parse_template(template: &str) -> Vec<TemplatePart> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            parts.push(TemplatePart::Literal(rest[..start].to_owned()));
        }
        let label = &rest[start + 1..start + length];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        parts.push(TemplatePart::Label {
            name: name.to_owned(),
            greedy,
        });
        rest = &rest[start + length + 1..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest.to_owned()));
    }
    parts
}

/// `deprecated` with its optional message and date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecation {
    pub message: Option<String>,
    pub since: Option<String>,
}

/// A named shape of the model.
#[derive(Debug, Clone)]
pub struct Shape {
    pub name: String,
    pub kind: ShapeKind,
    pub documentation: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// Values of this shape must not be logged.
    pub sensitive: bool,
    /// The serialization traits the shape itself states, which every reference to it inherits
    /// unless the reference states its own (botocore's `serialization`).
    pub serialization: Serialization,
}

/// The serialization traits botocore reads from a shape and lets each reference override.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Serialization {
    /// `locationName`.
    pub location_name: Option<String>,
    /// `queryName`: the ec2 protocol's name for a member.
    pub query_name: Option<String>,
    /// `xmlNamespace`.
    pub xml_namespace: Option<XmlNamespace>,
    /// `xmlAttribute`: an attribute of the enclosing element, not a child element.
    pub xml_attribute: bool,
    /// `flattened`: a list's items (or a map's entries) are elements of the enclosing
    /// structure, without a wrapper element.
    pub flattened: bool,
}

impl Shape {
    /// The structure or union behind this shape, if it is one.
    pub fn as_structure(&self) -> Option<&Structure> {
        match &self.kind {
            ShapeKind::Structure(structure) => Some(structure),
            _ => None,
        }
    }
}

/// What a shape is, with the constraints that apply to that kind.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    /// A structure, or a tagged union when [`Structure::union`] is set.
    Structure(Structure),
    /// An untyped JSON document (`"document": true`).
    Document,
    /// A string, an enum when `enum_values` is set.
    String {
        enum_values: Option<Vec<String>>,
        length: Length,
        pattern: Option<String>,
    },
    Integer(IntRange),
    Long(IntRange),
    Float(FloatRange),
    Double(FloatRange),
    Boolean,
    Timestamp {
        format: Option<TimestampFormat>,
    },
    Blob {
        length: Length,
        streaming: bool,
        requires_length: bool,
    },
    List {
        member: MemberRef,
        length: Length,
        sparse: bool,
        flattened: bool,
    },
    Map {
        key: MemberRef,
        value: MemberRef,
        length: Length,
        sparse: bool,
        flattened: bool,
    },
}

impl ShapeKind {
    /// The botocore `type` this kind came from.
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Structure(_) | ShapeKind::Document => "structure",
            ShapeKind::String { .. } => "string",
            ShapeKind::Integer(_) => "integer",
            ShapeKind::Long(_) => "long",
            ShapeKind::Float(_) => "float",
            ShapeKind::Double(_) => "double",
            ShapeKind::Boolean => "boolean",
            ShapeKind::Timestamp { .. } => "timestamp",
            ShapeKind::Blob { .. } => "blob",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
        }
    }
}

/// A structure or a tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Members in model order.
    pub members: Vec<Member>,
    /// A tagged union: exactly one member is set.
    pub union: bool,
    /// The member bound to the whole HTTP body (`payload`).
    pub payload: Option<String>,
    /// Set when the shape is a modeled error.
    pub error: Option<ErrorTrait>,
    /// An event of an event stream (`event`).
    pub event: bool,
    /// An event stream union (`eventstream`).
    pub eventstream: bool,
    /// Output wrapper for query protocols (`wrapper`).
    pub wrapper: bool,
}

impl Structure {
    /// Exactly one member is set: a union, or an event stream, whose messages each carry one
    /// event (botocore marks those `eventstream`, not `union`).
    pub fn is_union(&self) -> bool {
        self.union || self.eventstream
    }

    /// A member by its model name.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|member| member.name == name)
    }
}

/// The error traits of an exception shape (`exception`, `error`, `fault`, `retryable`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorTrait {
    /// The error code on the wire when it differs from the shape name (`error.code`).
    pub code: Option<String>,
    /// `error.httpStatusCode`.
    pub http_status: Option<u16>,
    /// `error.senderFault`, or not `fault`.
    pub sender_fault: bool,
    /// `retryable`, with its `throttling` flag.
    pub retryable: Option<Retryable>,
}

/// The `retryable` trait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retryable {
    pub throttling: bool,
}

/// A member of a structure or union.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The name in the model (and the JSON key unless `location_name` says otherwise).
    pub name: String,
    pub target: ShapeId,
    pub required: bool,
    pub location: Location,
    /// The wire name: header or query key, the JSON key or XML element name in a body; the
    /// reference's own `locationName`, else its target's.
    pub location_name: Option<String>,
    /// `queryName` (ec2), the reference's or its target's.
    pub query_name: Option<String>,
    /// `xmlNamespace`, the reference's or its target's.
    pub xml_namespace: Option<XmlNamespace>,
    /// `xmlAttribute`: the member is an attribute of its structure's element.
    pub xml_attribute: bool,
    /// `flattened`, stated on the reference or on the target list or map.
    pub flattened: bool,
    pub documentation: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub idempotency_token: bool,
    /// A JSON value carried as a string (base64 in headers).
    pub jsonvalue: bool,
    pub host_label: bool,
    /// botocore's `box`: a nullable primitive in Smithy terms.
    pub boxed: bool,
    /// The member is a streaming blob payload.
    pub streaming: bool,
    /// The member is the payload of an event (`eventpayload`).
    pub event_payload: bool,
    /// The member is bound to a header of an event message (`eventheader`).
    pub event_header: bool,
    /// The member's own `sensitive` flag (the target shape may also be sensitive).
    pub sensitive: bool,
    /// Member-level `timestampFormat`, which overrides the target's.
    pub timestamp_format: Option<TimestampFormat>,
    /// Constraints the member reference states itself, which botocore merges over its
    /// target's (as it merges every trait of a reference).
    pub constraints: MemberConstraints,
    /// `contextParam.name`: the endpoint rule set parameter this input member sets.
    pub context_param: Option<String>,
    /// Set by the recursion pass: the member closes a cycle of direct containment and must be
    /// stored behind a pointer. Cycles that pass through a list or map never need one.
    pub needs_indirection: bool,
}

impl Member {
    /// The name used on the wire for this member's location.
    pub fn wire_name(&self) -> &str {
        self.location_name.as_deref().unwrap_or(&self.name)
    }
}

/// `min`, `max`, `pattern` and `enum` on a member reference.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberConstraints {
    /// A length (strings, blobs, lists, maps) or a range (numbers), by the target's kind.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    /// Values a string member takes; its Rust type stays the target's.
    pub enum_values: Option<Vec<String>>,
}

impl MemberConstraints {
    /// Whether the reference states no constraint.
    pub fn is_empty(&self) -> bool {
        self == &MemberConstraints::default()
    }
}

/// The target of a list member or map key/value.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRef {
    pub target: ShapeId,
    /// The reference's own `locationName`, else its target's.
    pub location_name: Option<String>,
    /// `xmlNamespace`, the reference's or its target's.
    pub xml_namespace: Option<XmlNamespace>,
    pub documentation: Option<String>,
    pub jsonvalue: bool,
}

/// Where a member is bound in an HTTP message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// In the body (the default).
    #[default]
    Body,
    /// A label of the request URI.
    Uri,
    /// A query string parameter.
    Querystring,
    /// A single header.
    Header,
    /// A map of headers sharing a prefix.
    Headers,
    /// The HTTP status code of the response.
    StatusCode,
}

impl Location {
    /// The botocore spelling, as in `"location": "uri"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Body => "body",
            Location::Uri => "uri",
            Location::Querystring => "querystring",
            Location::Header => "header",
            Location::Headers => "headers",
            Location::StatusCode => "statusCode",
        }
    }
}

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimestampFormat {
    /// Seconds since the epoch, with a fraction.
    UnixTimestamp,
    /// RFC 3339 / ISO 8601.
    Iso8601,
    /// HTTP date (RFC 7231 IMF-fixdate).
    Rfc822,
}

impl TimestampFormat {
    /// The botocore spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TimestampFormat::UnixTimestamp => "unixTimestamp",
            TimestampFormat::Iso8601 => "iso8601",
            TimestampFormat::Rfc822 => "rfc822",
        }
    }
}

/// `min`/`max` on strings (Unicode scalar values), blobs (bytes), lists and maps (entries).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Length {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// `min`/`max` on integers and longs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntRange {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// `min`/`max` on floats and doubles.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FloatRange {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// One entry of `paginators-1.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paginator {
    /// Input members that receive the token (usually one).
    pub input_token: Vec<String>,
    /// Output paths that hold the next token (usually one member name).
    pub output_token: Vec<String>,
    /// Output members whose items are aggregated across pages.
    pub result_key: Vec<String>,
    /// Input member that limits the page size.
    pub limit_key: Option<String>,
    pub more_results: Option<String>,
    pub non_aggregate_keys: Vec<String>,
}

/// One waiter of `waiters-2.json`: an operation called every `delay` seconds, at most
/// `max_attempts` times, until one of its acceptors names a final state.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The operation polled (a key of [`Service::operations`]).
    pub operation: String,
    /// Seconds between two calls.
    pub delay: u32,
    /// Calls at most.
    pub max_attempts: u32,
    pub description: Option<String>,
    /// Tried in order on every response; the first that matches decides.
    pub acceptors: Vec<Acceptor>,
}

/// A waiter's acceptor: when its matcher matches a response, the waiter enters its state.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    pub state: WaiterState,
    pub matcher: Matcher,
}

/// What an acceptor's match means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiterState {
    /// The wait is over: what was waited for holds.
    Success,
    /// The wait is over: what was waited for cannot hold.
    Failure,
    /// Call again.
    Retry,
}

/// How an acceptor looks at a response, as botocore's `waiter.py` reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// The JMESPath `argument` over a result equals `expected`.
    Path {
        argument: String,
        expected: serde_json::Value,
    },
    /// Every element of the (non-empty) list `argument` gives equals `expected`.
    PathAll {
        argument: String,
        expected: serde_json::Value,
    },
    /// Some element of the (non-empty) list `argument` gives equals `expected`.
    PathAny {
        argument: String,
        expected: serde_json::Value,
    },
    /// The response has this HTTP status.
    Status(u16),
    /// The response is an error with this code.
    Error(String),
    /// The response is an error (`true`) or is not one (`false`).
    AnyError(bool),
}
