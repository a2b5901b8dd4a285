//! Reads botocore JSON into the IR.
//!
//! The document is parsed into a `serde_json::Value` first (so syntax errors carry a line and
//! column), then walked by hand: every key the IR needs is checked for type and resolved, and every
//! problem is recorded with its JSON path instead of stopping the walk.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Number, Value};

use crate::error::{ModelError, Problem, ProblemKind, json_type_name};
use crate::ir::*;

type Object = Map<String, Value>;

/// Loads a `service-2.json` document and, optionally, its `paginators-1.json`.
///
/// `source_name` labels the model in errors (usually its path).
pub fn load_service(
    source_name: &str,
    service_json: &str,
    paginators_json: Option<&str>,
) -> Result<Service, ModelError> {
    load_service_with_extras(
        source_name,
        ModelText::new(service_json),
        paginators_json.map(ModelText::new),
    )
}

/// A model file's text, with the `*.sdk-extras.json` botocore's loader merges into it.
#[derive(Debug, Clone, Copy)]
pub struct ModelText<'a> {
    pub text: &'a str,
    pub extras: Option<&'a str>,
}

impl<'a> ModelText<'a> {
    /// A file without extras.
    pub fn new(text: &'a str) -> Self {
        ModelText { text, extras: None }
    }
}

/// Like [`load_service`], merging each file's `sdk-extras` into it first, as botocore's loader
/// does (`{"merge": {...}}`, merged key by key into the model, objects recursively).
pub fn load_service_with_extras(
    source_name: &str,
    service: ModelText<'_>,
    paginators: Option<ModelText<'_>>,
) -> Result<Service, ModelError> {
    let fail = |problems| ModelError {
        source_name: source_name.to_owned(),
        problems,
    };
    let read = |file: ModelText<'_>, path: &str| -> Result<Value, ModelError> {
        let mut root = parse_json(file.text).map_err(|mut problem| {
            problem.path = path.to_owned();
            fail(vec![problem])
        })?;
        if let Some(extras) = file.extras {
            let extras_path = join(path, "sdk-extras");
            let extras = parse_json(extras).map_err(|mut problem| {
                problem.path = extras_path.clone();
                fail(vec![problem])
            })?;
            match extras.get("merge") {
                Some(merge @ Value::Object(_)) => deep_merge(&mut root, merge),
                Some(other) => {
                    return Err(fail(vec![Problem {
                        path: join(&extras_path, "merge"),
                        kind: ProblemKind::WrongType {
                            expected: "an object",
                            found: json_type_name(other),
                        },
                    }]));
                }
                None => {}
            }
        }
        Ok(root)
    };
    let root = read(service, "")?;
    let paginators_root = match paginators {
        Some(file) => Some(read(file, "paginators")?),
        None => None,
    };
    let mut cx = Cx::default();
    let service = cx.service(&root, paginators_root.as_ref());
    match service {
        Some(mut service) if cx.problems.is_empty() => {
            crate::graph::mark_indirections(&mut service);
            Ok(service)
        }
        _ => Err(fail(cx.problems)),
    }
}

/// botocore resolves a reference by copying its target's serialization traits and updating
/// them with the reference's own: every member, list member and map key or value gets the
/// `locationName`, `queryName`, `xmlNamespace`, `xmlAttribute` and `flattened` its target states
/// when it states none itself.
fn inherit_serialization(shapes: &mut [Shape]) {
    let traits: Vec<Serialization> = shapes
        .iter()
        .map(|shape| {
            let mut traits = shape.serialization.clone();
            // A list's or map's own `flattened` is its kind's too.
            if let ShapeKind::List { flattened, .. } | ShapeKind::Map { flattened, .. } =
                &shape.kind
            {
                traits.flattened |= *flattened;
            }
            traits
        })
        .collect();
    let inherit_ref = |reference: &mut MemberRef| {
        let target = &traits[reference.target.index()];
        if reference.location_name.is_none() {
            reference.location_name = target.location_name.clone();
        }
        if reference.xml_namespace.is_none() {
            reference.xml_namespace = target.xml_namespace.clone();
        }
    };
    for shape in shapes.iter_mut() {
        match &mut shape.kind {
            ShapeKind::Structure(structure) => {
                for member in &mut structure.members {
                    let target = &traits[member.target.index()];
                    if member.location_name.is_none() {
                        member.location_name = target.location_name.clone();
                    }
                    if member.query_name.is_none() {
                        member.query_name = target.query_name.clone();
                    }
                    if member.xml_namespace.is_none() {
                        member.xml_namespace = target.xml_namespace.clone();
                    }
                    member.xml_attribute |= target.xml_attribute;
                    member.flattened |= target.flattened;
                }
            }
            ShapeKind::List { member, .. } => inherit_ref(member),
            ShapeKind::Map { key, value, .. } => {
                inherit_ref(key);
                inherit_ref(value);
            }
            _ => {}
        }
    }
}

/// botocore's `deep_merge`: objects merge key by key, recursively; anything else replaces.
fn deep_merge(base: &mut Value, extra: &Value) {
    match (base, extra) {
        (Value::Object(base), Value::Object(extra)) => {
            for (key, value) in extra {
                match base.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        deep_merge(existing, value)
                    }
                    _ => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, extra) => *base = extra.clone(),
    }
}

fn parse_json(text: &str) -> Result<Value, Problem> {
    serde_json::from_str(text).map_err(|error| Problem {
        path: String::new(),
        kind: ProblemKind::InvalidJson {
            line: error.line(),
            column: error.column(),
            message: strip_position(&error.to_string()),
        },
    })
}

/// serde_json appends " at line L column C"; the problem says that itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The walk's state: problems found so far and the shape names known.
#[derive(Default)]
struct Cx {
    problems: Vec<Problem>,
    shape_ids: BTreeMap<String, ShapeId>,
    /// The protocol puts bodies in JSON, where member wire names must be unique.
    json_body: bool,
}

impl Cx {
    fn report(&mut self, path: impl Into<String>, kind: ProblemKind) {
        self.problems.push(Problem {
            path: path.into(),
            kind,
        });
    }

    fn wrong_type(&mut self, path: String, expected: &'static str, found: &Value) {
        let found = json_type_name(found);
        self.report(path, ProblemKind::WrongType { expected, found });
    }

    fn object<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Object> {
        match value {
            Value::Object(object) => Some(object),
            other => {
                self.wrong_type(path.to_owned(), "an object", other);
                None
            }
        }
    }

    fn required<'v>(&mut self, object: &'v Object, key: &str, path: &str) -> Option<&'v Value> {
        let value = object.get(key);
        if value.is_none() {
            self.report(path, ProblemKind::MissingKey(key.to_owned()));
        }
        value
    }

    fn opt_str<'v>(&mut self, object: &'v Object, key: &str, path: &str) -> Option<&'v str> {
        match object.get(key)? {
            Value::String(text) => Some(text),
            other => {
                self.wrong_type(join(path, key), "a string", other);
                None
            }
        }
    }

    fn req_str<'v>(&mut self, object: &'v Object, key: &str, path: &str) -> Option<&'v str> {
        self.required(object, key, path)?;
        self.opt_str(object, key, path)
    }

    fn opt_string(&mut self, object: &Object, key: &str, path: &str) -> Option<String> {
        self.opt_str(object, key, path).map(str::to_owned)
    }

    fn flag(&mut self, object: &Object, key: &str, path: &str) -> bool {
        match object.get(key) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(other) => {
                self.wrong_type(join(path, key), "a boolean", other);
                false
            }
        }
    }

    fn opt_object<'v>(&mut self, object: &'v Object, key: &str, path: &str) -> Option<&'v Object> {
        let value = object.get(key)?;
        self.object(value, &join(path, key))
    }

    fn opt_array<'v>(&mut self, object: &'v Object, key: &str, path: &str) -> Option<&'v [Value]> {
        match object.get(key)? {
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(join(path, key), "an array", other);
                None
            }
        }
    }

    /// An array of strings, or a single string standing for a one-element array.
    fn string_or_strings(&mut self, object: &Object, key: &str, path: &str) -> Vec<String> {
        match object.get(key) {
            None => Vec::new(),
            Some(Value::String(text)) => vec![text.clone()],
            Some(Value::Array(items)) => self.strings(items, &join(path, key)),
            Some(other) => {
                self.wrong_type(join(path, key), "a string or an array of strings", other);
                Vec::new()
            }
        }
    }

    fn strings(&mut self, items: &[Value], path: &str) -> Vec<String> {
        let mut strings = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(text) => strings.push(text.clone()),
                other => self.wrong_type(format!("{path}[{index}]"), "a string", other),
            }
        }
        strings
    }

    fn number<'v>(&mut self, object: &'v Object, key: &str, path: &str) -> Option<&'v Number> {
        match object.get(key)? {
            Value::Number(number) => Some(number),
            other => {
                self.wrong_type(join(path, key), "a number", other);
                None
            }
        }
    }

    fn deprecation(&mut self, object: &Object, path: &str) -> Option<Deprecation> {
        let deprecated = self.flag(object, "deprecated", path);
        let message = self.opt_string(object, "deprecatedMessage", path);
        let since = self.opt_string(object, "deprecatedSince", path);
        deprecated.then_some(Deprecation { message, since })
    }

    /// Resolves a `{"shape": "Name"}` reference.
    fn shape_ref(&mut self, object: &Object, path: &str) -> Option<ShapeId> {
        let name = self.req_str(object, "shape", path)?;
        match self.shape_ids.get(name) {
            Some(id) => Some(*id),
            None => {
                self.report(
                    join(path, "shape"),
                    ProblemKind::UnknownShape(name.to_owned()),
                );
                None
            }
        }
    }

    fn service(&mut self, root: &Value, paginators: Option<&Value>) -> Option<Service> {
        let root = self.object(root, "")?;
        let metadata = self.required(root, "metadata", "");
        let metadata = metadata.and_then(|value| self.metadata(value));
        self.json_body = metadata.as_ref().is_some_and(|metadata| {
            matches!(
                metadata.protocol,
                Protocol::Json | Protocol::RestJson | Protocol::SmithyRpcV2Cbor
            )
        });
        let documentation = self.opt_string(root, "documentation", "");

        // Shapes first: names must be known before any reference is resolved.
        let shapes_value = self.required(root, "shapes", "")?;
        let shapes_object = self.object(shapes_value, "shapes")?;
        self.shape_ids = shapes_object
            .keys()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .enumerate()
            .map(|(index, name)| (name.clone(), ShapeId(index as u32)))
            .collect();
        let names: Vec<String> = self.shape_ids.keys().cloned().collect();
        let mut shapes = Vec::with_capacity(names.len());
        for name in &names {
            let path = join("shapes", name);
            shapes.push(self.shape(name, &shapes_object[name], &path));
        }
        // A shape that failed to load is a reported problem; keep going to find the others.
        let shapes_complete = shapes.iter().all(Option::is_some);
        self.check_targets(&shapes);
        let mut operations = BTreeMap::new();
        if let Some(value) = self.required(root, "operations", "")
            && let Some(object) = self.object(value, "operations")
        {
            for (name, value) in object {
                let path = join("operations", name);
                if let Some(operation) = self.operation(name, value, &path, &shapes) {
                    operations.insert(name.clone(), operation);
                }
            }
        }

        if !shapes_complete {
            return None;
        }
        let mut shapes: Vec<Shape> = shapes.into_iter().flatten().collect();
        inherit_serialization(&mut shapes);
        let mut service = Service {
            metadata: metadata.unwrap_or_default(),
            documentation,
            operations,
            shapes,
            paginators: BTreeMap::new(),
            waiters: BTreeMap::new(),
            endpoint_rules: None,
        };
        if let Some(paginators) = paginators {
            service.paginators = self.paginators(paginators, &service);
        }
        Some(service)
    }

    /// botocore reads metadata keys only when a client needs them, and its own protocol test
    /// models carry few of them: every key is optional here, and absent text is empty.
    fn metadata(&mut self, value: &Value) -> Option<Metadata> {
        let path = "metadata";
        let object = self.object(value, path)?;
        let text = |cx: &mut Self, key: &str| cx.opt_string(object, key, path).unwrap_or_default();
        let declared_protocol = text(self, "protocol");
        let protocols: Vec<Protocol> = match self.opt_array(object, "protocols", path) {
            Some(items) => self
                .strings(items, &join(path, "protocols"))
                .iter()
                .map(|name| Protocol::parse(name))
                .collect(),
            None => Vec::new(),
        };
        let aws_query_compatible = match object.get("awsQueryCompatible") {
            None => false,
            Some(Value::Object(_)) => true,
            Some(other) => {
                self.wrong_type(join(path, "awsQueryCompatible"), "an object", other);
                false
            }
        };
        Some(Metadata {
            api_version: text(self, "apiVersion"),
            endpoint_prefix: text(self, "endpointPrefix"),
            protocol: Protocol::resolve(&protocols, &declared_protocol),
            declared_protocol,
            protocols,
            service_full_name: text(self, "serviceFullName"),
            service_abbreviation: self.opt_string(object, "serviceAbbreviation", path),
            service_id: text(self, "serviceId"),
            signature_version: text(self, "signatureVersion"),
            signing_name: self.opt_string(object, "signingName", path),
            uid: self.opt_string(object, "uid", path),
            json_version: self.opt_string(object, "jsonVersion", path),
            target_prefix: self.opt_string(object, "targetPrefix", path),
            aws_query_compatible,
            xml_namespace: self.opt_string(object, "xmlNamespace", path),
            auth: match self.opt_array(object, "auth", path) {
                Some(items) => self.strings(items, &join(path, "auth")),
                None => Vec::new(),
            },
        })
    }

    fn shape(&mut self, name: &str, value: &Value, path: &str) -> Option<Shape> {
        let object = self.object(value, path)?;
        let type_name = self.req_str(object, "type", path)?;
        let kind = match type_name {
            "structure" if self.flag(object, "document", path) => Some(ShapeKind::Document),
            "structure" => self.structure(object, path).map(ShapeKind::Structure),
            "string" => self.string(object, path),
            "integer" => self.int_range(object, path).map(ShapeKind::Integer),
            "long" => self.int_range(object, path).map(ShapeKind::Long),
            "float" => self.float_range(object, path).map(ShapeKind::Float),
            "double" => self.float_range(object, path).map(ShapeKind::Double),
            "boolean" => Some(ShapeKind::Boolean),
            "timestamp" => Some(ShapeKind::Timestamp {
                format: self.timestamp_format(object, path),
            }),
            "blob" => Some(ShapeKind::Blob {
                length: self.length(object, path)?,
                streaming: self.flag(object, "streaming", path),
                requires_length: self.flag(object, "requiresLength", path),
            }),
            "list" => {
                let member = self.member_ref(object, "member", path);
                let length = self.length(object, path);
                Some(ShapeKind::List {
                    member: member?,
                    length: length?,
                    sparse: self.flag(object, "sparse", path),
                    flattened: self.flag(object, "flattened", path),
                })
            }
            "map" => {
                let key = self.member_ref(object, "key", path);
                let value = self.member_ref(object, "value", path);
                let length = self.length(object, path);
                Some(ShapeKind::Map {
                    key: key?,
                    value: value?,
                    length: length?,
                    sparse: self.flag(object, "sparse", path),
                    flattened: self.flag(object, "flattened", path),
                })
            }
            other => {
                self.report(
                    join(path, "type"),
                    ProblemKind::Unsupported(format!("shape type `{other}`")),
                );
                None
            }
        };
        Some(Shape {
            name: name.to_owned(),
            kind: kind?,
            documentation: self.opt_string(object, "documentation", path),
            deprecated: self.deprecation(object, path),
            sensitive: self.flag(object, "sensitive", path),
            serialization: Serialization {
                location_name: self.opt_string(object, "locationName", path),
                query_name: self.opt_string(object, "queryName", path),
                xml_namespace: self.xml_namespace(object, path),
                xml_attribute: self.flag(object, "xmlAttribute", path),
                flattened: self.flag(object, "flattened", path),
            },
        })
    }

    fn structure(&mut self, object: &Object, path: &str) -> Option<Structure> {
        let members_path = join(path, "members");
        let mut members = Vec::new();
        // Members that failed are reported already; they still count as declared below.
        let mut failed = BTreeSet::new();
        if let Some(members_object) = self.opt_object(object, "members", path) {
            for (name, value) in members_object {
                match self.member(name, value, &join(&members_path, name)) {
                    Some(member) => members.push(member),
                    None => {
                        failed.insert(name.as_str());
                    }
                }
            }
        }
        let loaded: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
        let declared = |name: &str| failed.contains(name) || loaded.contains(name);
        if let Some(required) = self.opt_array(object, "required", path) {
            let required_path = join(path, "required");
            for (index, name) in self.strings(required, &required_path).iter().enumerate() {
                if !declared(name) {
                    self.report(
                        format!("{required_path}[{index}]"),
                        ProblemKind::UnknownMember(name.clone()),
                    );
                }
            }
            for member in &mut members {
                member.required |= required
                    .iter()
                    .any(|name| name.as_str() == Some(&member.name));
            }
        }
        let payload = self.opt_string(object, "payload", path);
        if let Some(name) = &payload
            && !declared(name)
        {
            self.report(
                join(path, "payload"),
                ProblemKind::UnknownMember(name.clone()),
            );
        }
        self.check_wire_names(&members, path);
        let complete = failed.is_empty();
        let error = self.error_trait(object, path);
        Some(Structure {
            members,
            union: self.flag(object, "union", path),
            payload,
            error,
            event: self.flag(object, "event", path),
            eventstream: self.flag(object, "eventstream", path),
            wrapper: self.flag(object, "wrapper", path),
        })
        .filter(|_| complete)
    }

    fn error_trait(&mut self, object: &Object, path: &str) -> Option<ErrorTrait> {
        let exception = self.flag(object, "exception", path);
        let fault = self.flag(object, "fault", path);
        let error = self.opt_object(object, "error", path);
        let retryable = self.opt_object(object, "retryable", path);
        if !exception && !fault && error.is_none() {
            return None;
        }
        let error_path = join(path, "error");
        let mut trait_ = ErrorTrait {
            sender_fault: !fault,
            ..ErrorTrait::default()
        };
        if let Some(error) = error {
            trait_.code = self.opt_string(error, "code", &error_path);
            if let Some(number) = self.number(error, "httpStatusCode", &error_path) {
                match number.as_u64().and_then(|code| u16::try_from(code).ok()) {
                    Some(code) if (100..600).contains(&code) => trait_.http_status = Some(code),
                    _ => self.report(
                        join(&error_path, "httpStatusCode"),
                        ProblemKind::InvalidValue {
                            value: number.to_string(),
                            reason: "not an HTTP status code".to_owned(),
                        },
                    ),
                }
            }
            if error.contains_key("senderFault") {
                trait_.sender_fault = self.flag(error, "senderFault", &error_path);
            }
        }
        if let Some(retryable) = retryable {
            trait_.retryable = Some(Retryable {
                throttling: self.flag(retryable, "throttling", &join(path, "retryable")),
            });
        }
        Some(trait_)
    }

    fn member(&mut self, name: &str, value: &Value, path: &str) -> Option<Member> {
        let object = self.object(value, path)?;
        let target = self.shape_ref(object, path);
        let location = match self.opt_str(object, "location", path) {
            None => Location::Body,
            Some("uri") => Location::Uri,
            Some("querystring") => Location::Querystring,
            Some("header") => Location::Header,
            Some("headers") => Location::Headers,
            Some("statusCode") => Location::StatusCode,
            Some(other) => {
                self.report(
                    join(path, "location"),
                    ProblemKind::InvalidValue {
                        value: format!("`{other}`"),
                        reason: "expected uri, querystring, header, headers or statusCode"
                            .to_owned(),
                    },
                );
                Location::Body
            }
        };
        Some(Member {
            name: name.to_owned(),
            target: target?,
            required: false,
            location,
            location_name: self.opt_string(object, "locationName", path),
            query_name: self.opt_string(object, "queryName", path),
            xml_namespace: self.xml_namespace(object, path),
            xml_attribute: self.flag(object, "xmlAttribute", path),
            flattened: self.flag(object, "flattened", path),
            documentation: self.opt_string(object, "documentation", path),
            deprecated: self.deprecation(object, path),
            idempotency_token: self.flag(object, "idempotencyToken", path),
            jsonvalue: self.flag(object, "jsonvalue", path),
            host_label: self.flag(object, "hostLabel", path),
            boxed: self.flag(object, "box", path),
            streaming: self.flag(object, "streaming", path),
            event_payload: self.flag(object, "eventpayload", path),
            event_header: self.flag(object, "eventheader", path),
            sensitive: self.flag(object, "sensitive", path),
            timestamp_format: self.timestamp_format(object, path),
            constraints: self.member_constraints(object, path),
            context_param: self
                .opt_object(object, "contextParam", path)
                .and_then(|param| self.req_str(param, "name", &join(path, "contextParam")))
                .map(str::to_owned),
            needs_indirection: false,
        })
    }

    fn member_constraints(&mut self, object: &Object, path: &str) -> MemberConstraints {
        let bound = |cx: &mut Self, key: &str| cx.number(object, key, path)?.as_f64();
        let constraints = MemberConstraints {
            min: bound(self, "min"),
            max: bound(self, "max"),
            pattern: self.opt_string(object, "pattern", path),
            enum_values: self
                .opt_array(object, "enum", path)
                .map(|items| self.strings(items, &join(path, "enum"))),
        };
        self.check_order(constraints.min, constraints.max, path);
        constraints
    }

    /// Two members that land on the same wire name in the same place cannot both be sent.
    fn check_wire_names(&mut self, members: &[Member], path: &str) {
        let mut seen: BTreeMap<(Location, String), &str> = BTreeMap::new();
        for member in members {
            let wire_name = match member.location {
                // Prefix maps and the status code have no name to collide on.
                Location::Headers | Location::StatusCode => continue,
                // XML bodies may repeat element names (flattened lists); JSON objects may not.
                Location::Body if !self.json_body => continue,
                // HTTP header names are case-insensitive.
                Location::Header => member.wire_name().to_ascii_lowercase(),
                _ => member.wire_name().to_owned(),
            };
            let key = (member.location, wire_name);
            if let Some(first) = seen.get(&key) {
                self.report(
                    join(&join(path, "members"), &member.name),
                    ProblemKind::DuplicateWireName {
                        first: (*first).to_owned(),
                        second: member.name.clone(),
                        wire_name: member.wire_name().to_owned(),
                        location: member.location.as_str(),
                    },
                );
            } else {
                seen.insert(key, &member.name);
            }
        }
    }

    fn member_ref(&mut self, object: &Object, key: &str, path: &str) -> Option<MemberRef> {
        let value = self.required(object, key, path)?;
        let path = join(path, key);
        let object = self.object(value, &path)?;
        Some(MemberRef {
            target: self.shape_ref(object, &path)?,
            location_name: self.opt_string(object, "locationName", &path),
            xml_namespace: self.xml_namespace(object, &path),
            documentation: self.opt_string(object, "documentation", &path),
            jsonvalue: self.flag(object, "jsonvalue", &path),
        })
    }

    fn string(&mut self, object: &Object, path: &str) -> Option<ShapeKind> {
        let enum_values = match self.opt_array(object, "enum", path) {
            Some(items) => {
                let enum_path = join(path, "enum");
                let values = self.strings(items, &enum_path);
                let mut seen = BTreeSet::new();
                for (index, value) in values.iter().enumerate() {
                    if !seen.insert(value) {
                        self.report(
                            format!("{enum_path}[{index}]"),
                            ProblemKind::DuplicateEnumValue(value.clone()),
                        );
                    }
                }
                Some(values)
            }
            None => None,
        };
        Some(ShapeKind::String {
            enum_values,
            length: self.length(object, path)?,
            pattern: self.opt_string(object, "pattern", path),
        })
    }

    fn timestamp_format(&mut self, object: &Object, path: &str) -> Option<TimestampFormat> {
        match self.opt_str(object, "timestampFormat", path)? {
            "unixTimestamp" => Some(TimestampFormat::UnixTimestamp),
            "iso8601" => Some(TimestampFormat::Iso8601),
            "rfc822" => Some(TimestampFormat::Rfc822),
            other => {
                self.report(
                    join(path, "timestampFormat"),
                    ProblemKind::InvalidValue {
                        value: format!("`{other}`"),
                        reason: "expected unixTimestamp, iso8601 or rfc822".to_owned(),
                    },
                );
                None
            }
        }
    }

    fn length(&mut self, object: &Object, path: &str) -> Option<Length> {
        let bound = |cx: &mut Self, key: &str| {
            let number = cx.number(object, key, path)?;
            let value = number.as_u64().or_else(|| {
                number
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            });
            if value.is_none() {
                cx.report(
                    join(path, key),
                    ProblemKind::InvalidValue {
                        value: number.to_string(),
                        reason: "a length must be a whole number of at least 0".to_owned(),
                    },
                );
            }
            value
        };
        let length = Length {
            min: bound(self, "min"),
            max: bound(self, "max"),
        };
        self.check_order(length.min, length.max, path);
        Some(length)
    }

    fn int_range(&mut self, object: &Object, path: &str) -> Option<IntRange> {
        let bound = |cx: &mut Self, key: &str| {
            let number = cx.number(object, key, path)?;
            let value = number.as_i64().or_else(|| {
                number
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            });
            if value.is_none() {
                cx.report(
                    join(path, key),
                    ProblemKind::InvalidValue {
                        value: number.to_string(),
                        reason: "an integer range must be a whole number within i64".to_owned(),
                    },
                );
            }
            value
        };
        let range = IntRange {
            min: bound(self, "min"),
            max: bound(self, "max"),
        };
        self.check_order(range.min, range.max, path);
        Some(range)
    }

    fn float_range(&mut self, object: &Object, path: &str) -> Option<FloatRange> {
        let bound = |cx: &mut Self, key: &str| cx.number(object, key, path)?.as_f64();
        let range = FloatRange {
            min: bound(self, "min"),
            max: bound(self, "max"),
        };
        self.check_order(range.min, range.max, path);
        Some(range)
    }

    fn check_order<T: PartialOrd + ToString>(
        &mut self,
        min: Option<T>,
        max: Option<T>,
        path: &str,
    ) {
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            self.report(
                path,
                ProblemKind::EmptyRange {
                    min: min.to_string(),
                    max: max.to_string(),
                },
            );
        }
    }

    /// List members and map keys must target shapes that make sense there.
    fn check_targets(&mut self, shapes: &[Option<Shape>]) {
        for shape in shapes.iter().flatten() {
            if let ShapeKind::Map { key, .. } = &shape.kind {
                let Some(target) = &shapes[key.target.index()] else {
                    continue;
                };
                if !matches!(target.kind, ShapeKind::String { .. }) {
                    self.report(
                        join(&join("shapes", &shape.name), "key"),
                        ProblemKind::WrongTarget {
                            member: target.name.clone(),
                            role: "a map key",
                            expected: "a string",
                            found: format!("a {}", target.kind.type_name()),
                        },
                    );
                }
            }
        }
    }

    fn operation(
        &mut self,
        name: &str,
        value: &Value,
        path: &str,
        shapes: &[Option<Shape>],
    ) -> Option<Operation> {
        let object = self.object(value, path)?;
        // CloudFront keys `CreateDistribution` but sends `CreateDistribution2020_05_31`.
        let wire_name = self
            .opt_string(object, "name", path)
            .unwrap_or_else(|| name.to_owned());
        let http = self.http(object, path);
        let structure_ref = |cx: &mut Self, key: &str| -> Option<ShapeId> {
            let ref_path = join(path, key);
            let reference = cx.opt_object(object, key, path)?;
            let id = cx.shape_ref(reference, &ref_path)?;
            let target = shapes.get(id.index())?.as_ref()?;
            if !matches!(target.kind, ShapeKind::Structure(_)) {
                cx.report(
                    join(&ref_path, "shape"),
                    ProblemKind::WrongTarget {
                        member: target.name.clone(),
                        role: "an operation's input, output or error",
                        expected: "a structure",
                        found: format!("a {}", target.kind.type_name()),
                    },
                );
            }
            Some(id)
        };
        let input = structure_ref(self, "input");
        let output = structure_ref(self, "output");
        let mut errors = Vec::new();
        if let Some(items) = self.opt_array(object, "errors", path) {
            let errors_path = join(path, "errors");
            for (index, item) in items.iter().enumerate() {
                let item_path = format!("{errors_path}[{index}]");
                if let Some(reference) = self.object(item, &item_path)
                    && let Some(id) = self.shape_ref(reference, &item_path)
                {
                    errors.push(id);
                }
            }
        }
        let host_prefix = self
            .opt_object(object, "endpoint", path)
            .and_then(|endpoint| self.opt_string(endpoint, "hostPrefix", &join(path, "endpoint")));
        let host_template = host_prefix
            .as_deref()
            .map(parse_template)
            .unwrap_or_default();
        let endpoint_discovery_required = self
            .opt_object(object, "endpointdiscovery", path)
            .is_some_and(|discovery| {
                self.flag(discovery, "required", &join(path, "endpointdiscovery"))
            });
        let http_checksum = self
            .opt_object(object, "httpChecksum", path)
            .map(|checksum| {
                let checksum_path = join(path, "httpChecksum");
                HttpChecksum {
                    request_algorithm_member: self.opt_string(
                        checksum,
                        "requestAlgorithmMember",
                        &checksum_path,
                    ),
                    request_checksum_required: self.flag(
                        checksum,
                        "requestChecksumRequired",
                        &checksum_path,
                    ),
                    request_validation_mode_member: self.opt_string(
                        checksum,
                        "requestValidationModeMember",
                        &checksum_path,
                    ),
                    response_algorithms: match self.opt_array(
                        checksum,
                        "responseAlgorithms",
                        &checksum_path,
                    ) {
                        Some(items) => {
                            self.strings(items, &join(&checksum_path, "responseAlgorithms"))
                        }
                        None => Vec::new(),
                    },
                }
            });
        let request_compression = self
            .opt_object(object, "requestcompression", path)
            .and_then(|compression| {
                let compression_path = join(path, "requestcompression");
                let items = self.opt_array(compression, "encodings", &compression_path)?;
                Some(self.strings(items, &join(&compression_path, "encodings")))
            })
            .unwrap_or_default();
        let xml_name = |cx: &mut Self, key: &str| -> XmlName {
            let Some(reference) = cx.opt_object(object, key, path) else {
                return XmlName::default();
            };
            let reference_path = join(path, key);
            XmlName {
                name: cx.opt_string(reference, "locationName", &reference_path),
                namespace: cx.xml_namespace(reference, &reference_path),
            }
        };
        let input_xml = xml_name(self, "input");
        let result_wrapper = self
            .opt_object(object, "output", path)
            .and_then(|output| self.opt_string(output, "resultWrapper", &join(path, "output")));
        Some(Operation {
            name: name.to_owned(),
            wire_name,
            http: http?,
            input,
            output,
            errors,
            idempotent: self.flag(object, "idempotent", path),
            readonly: self.flag(object, "readonly", path),
            deprecated: self.deprecation(object, path),
            documentation: self.opt_string(object, "documentation", path),
            host_prefix,
            host_template,
            auth_type: self.opt_string(object, "authtype", path),
            auth: match self.opt_array(object, "auth", path) {
                Some(items) => self.strings(items, &join(path, "auth")),
                None => Vec::new(),
            },
            endpoint_discovery_required,
            http_checksum_required: self.flag(object, "httpChecksumRequired", path),
            http_checksum,
            request_compression,
            unsigned_payload: self.flag(object, "unsignedPayload", path),
            input_xml,
            result_wrapper,
            static_context_params: self.static_context_params(object, path),
            operation_context_params: self
                .opt_object(object, "operationContextParams", path)
                .map(|params| params.keys().cloned().collect())
                .unwrap_or_default(),
        })
    }

    /// `staticContextParams`: `{"Name": {"value": true}}`, a boolean or string value each.
    fn static_context_params(
        &mut self,
        object: &Object,
        path: &str,
    ) -> Vec<(String, StaticContextParam)> {
        let Some(params) = self.opt_object(object, "staticContextParams", path) else {
            return Vec::new();
        };
        let params_path = join(path, "staticContextParams");
        let mut read = Vec::new();
        for (name, param) in params {
            let param_path = join(&params_path, name);
            let Some(param) = self.object(param, &param_path) else {
                continue;
            };
            match self.required(param, "value", &param_path) {
                Some(Value::Bool(flag)) => {
                    read.push((name.clone(), StaticContextParam::Bool(*flag)));
                }
                Some(Value::String(text)) => {
                    read.push((name.clone(), StaticContextParam::String(text.clone())));
                }
                Some(other) => {
                    self.wrong_type(join(&param_path, "value"), "a boolean or a string", other);
                }
                None => {}
            }
        }
        read
    }

    /// `xmlNamespace`: a URI (`"http://..."`) or an object with `uri` and `prefix`.
    fn xml_namespace(&mut self, object: &Object, path: &str) -> Option<XmlNamespace> {
        match object.get("xmlNamespace")? {
            Value::String(uri) => Some(XmlNamespace {
                uri: uri.clone(),
                prefix: None,
            }),
            Value::Object(namespace) => {
                let namespace_path = join(path, "xmlNamespace");
                Some(XmlNamespace {
                    uri: self
                        .opt_string(namespace, "uri", &namespace_path)
                        .unwrap_or_default(),
                    prefix: self.opt_string(namespace, "prefix", &namespace_path),
                })
            }
            other => {
                self.wrong_type(join(path, "xmlNamespace"), "a string or an object", other);
                None
            }
        }
    }

    /// `http`, with botocore's defaults: the RPC protocols send `POST /` when the model says
    /// nothing (the REST protocols' models always say).
    fn http(&mut self, object: &Object, path: &str) -> Option<HttpBinding> {
        let empty = Object::new();
        let http = match object.get("http") {
            None => &empty,
            Some(value) => self.object(value, &join(path, "http"))?,
        };
        let path = join(path, "http");
        let method = self
            .opt_str(http, "method", &path)
            .unwrap_or("POST")
            .to_ascii_uppercase();
        let request_uri = self.opt_str(http, "requestUri", &path).unwrap_or("/");
        let response_code = match self.number(http, "responseCode", &path) {
            None => None,
            Some(number) => match number.as_u64().and_then(|code| u16::try_from(code).ok()) {
                Some(code) if (100..600).contains(&code) => Some(code),
                _ => {
                    self.report(
                        join(&path, "responseCode"),
                        ProblemKind::InvalidValue {
                            value: number.to_string(),
                            reason: "not an HTTP status code".to_owned(),
                        },
                    );
                    None
                }
            },
        };
        if !request_uri.starts_with('/') {
            self.report(
                join(&path, "requestUri"),
                ProblemKind::InvalidValue {
                    value: format!("`{request_uri}`"),
                    reason: "a request URI must start with `/`".to_owned(),
                },
            );
        }
        let (uri_path, query) = request_uri.split_once('?').unwrap_or((request_uri, ""));
        Some(HttpBinding {
            method,
            request_uri: request_uri.to_owned(),
            path: parse_template(uri_path),
            literal_query: query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(str::to_owned)
                .collect(),
            response_code,
        })
    }

    fn paginators(&mut self, root: &Value, service: &Service) -> BTreeMap<String, Paginator> {
        let mut paginators = BTreeMap::new();
        let Some(root) = self.object(root, "paginators") else {
            return paginators;
        };
        let Some(entries) = self.opt_object(root, "pagination", "paginators") else {
            return paginators;
        };
        for (name, value) in entries {
            let path = format!("paginators.pagination.{name}");
            let Some(object) = self.object(value, &path) else {
                continue;
            };
            let Some(operation) = service.operations.get(name) else {
                self.report(path, ProblemKind::UnknownOperation(name.clone()));
                continue;
            };
            let paginator = Paginator {
                input_token: self.string_or_strings(object, "input_token", &path),
                output_token: self.string_or_strings(object, "output_token", &path),
                result_key: self.string_or_strings(object, "result_key", &path),
                limit_key: self.opt_string(object, "limit_key", &path),
                more_results: self.opt_string(object, "more_results", &path),
                non_aggregate_keys: self.string_or_strings(object, "non_aggregate_keys", &path),
            };
            let input = operation
                .input
                .and_then(|id| service.shape(id).as_structure());
            let output = operation
                .output
                .and_then(|id| service.shape(id).as_structure());
            let checks = [
                ("input_token", &paginator.input_token[..], input),
                ("limit_key", paginator.limit_key.as_slice(), input),
                ("output_token", &paginator.output_token[..], output),
                ("result_key", &paginator.result_key[..], output),
            ];
            for (key, member_paths, structure) in checks {
                for member_path in member_paths {
                    // Only plain member names are checked; JMESPath expressions are left alone.
                    let is_plain = member_path
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if is_plain && structure.is_none_or(|s| s.member(member_path).is_none()) {
                        self.report(
                            join(&path, key),
                            ProblemKind::UnknownMember(member_path.clone()),
                        );
                    }
                }
            }
            paginators.insert(name.clone(), paginator);
        }
        paginators
    }
}

/// Loads a `waiters-2.json` document (version 2) of `service`: each waiter's operation must be
/// one of the service's, each acceptor's state `success`, `failure` or `retry`, and each matcher
/// one botocore knows (`path`, `pathAll`, `pathAny` with an `argument`, `status`, `error`).
///
/// `source_name` labels the file in errors (usually its path).
pub fn load_waiters(
    source_name: &str,
    waiters_json: &str,
    service: &Service,
) -> Result<BTreeMap<String, Waiter>, ModelError> {
    let fail = |problems| ModelError {
        source_name: source_name.to_owned(),
        problems,
    };
    let root = parse_json(waiters_json).map_err(|problem| fail(vec![problem]))?;
    let mut cx = Cx::default();
    let waiters = cx.waiters(&root, service);
    if cx.problems.is_empty() {
        Ok(waiters)
    } else {
        Err(fail(cx.problems))
    }
}

impl Cx {
    fn waiters(&mut self, root: &Value, service: &Service) -> BTreeMap<String, Waiter> {
        let mut waiters = BTreeMap::new();
        let Some(root) = self.object(root, "") else {
            return waiters;
        };
        match root.get("version") {
            Some(Value::Number(version)) if version.as_f64() == Some(2.0) => {}
            Some(other) => self.report(
                "version",
                ProblemKind::InvalidValue {
                    value: other.to_string(),
                    reason: "only waiters version 2 is known".to_owned(),
                },
            ),
            None => self.report("", ProblemKind::MissingKey("version".to_owned())),
        }
        if self.required(root, "waiters", "").is_none() {
            return waiters;
        }
        let Some(entries) = self.opt_object(root, "waiters", "") else {
            return waiters;
        };
        for (name, value) in entries {
            let path = join("waiters", name);
            if let Some(waiter) = self.waiter(value, &path, service) {
                waiters.insert(name.clone(), waiter);
            }
        }
        waiters
    }

    fn waiter(&mut self, value: &Value, path: &str, service: &Service) -> Option<Waiter> {
        let object = self.object(value, path)?;
        let operation = self.req_str(object, "operation", path).map(str::to_owned);
        if let Some(name) = &operation
            && !service.operations.contains_key(name)
        {
            self.report(
                join(path, "operation"),
                ProblemKind::UnknownOperation(name.clone()),
            );
        }
        let delay = self.count(object, "delay", path);
        let max_attempts = self.count(object, "maxAttempts", path);
        let description = self.opt_string(object, "description", path);
        self.required(object, "acceptors", path)?;
        let items = self.opt_array(object, "acceptors", path)?;
        let acceptors: Vec<Option<Acceptor>> = items
            .iter()
            .enumerate()
            .map(|(index, item)| self.acceptor(item, &format!("{path}.acceptors[{index}]")))
            .collect();
        Some(Waiter {
            operation: operation?,
            delay: delay?,
            max_attempts: max_attempts?,
            description,
            acceptors: acceptors.into_iter().collect::<Option<_>>()?,
        })
    }

    /// A required whole number of at least zero that fits 32 bits.
    fn count(&mut self, object: &Object, key: &str, path: &str) -> Option<u32> {
        let value = self.required(object, key, path)?;
        match value.as_u64().and_then(|count| u32::try_from(count).ok()) {
            Some(count) => Some(count),
            None => {
                self.report(
                    join(path, key),
                    ProblemKind::InvalidValue {
                        value: value.to_string(),
                        reason: "expected a whole number of at least 0".to_owned(),
                    },
                );
                None
            }
        }
    }

    fn acceptor(&mut self, value: &Value, path: &str) -> Option<Acceptor> {
        let object = self.object(value, path)?;
        let state = match self.req_str(object, "state", path)? {
            "success" => WaiterState::Success,
            "failure" => WaiterState::Failure,
            "retry" => WaiterState::Retry,
            other => {
                self.report(
                    join(path, "state"),
                    ProblemKind::InvalidValue {
                        value: format!("`{other}`"),
                        reason: "expected `success`, `failure` or `retry`".to_owned(),
                    },
                );
                return None;
            }
        };
        let matcher = self.req_str(object, "matcher", path)?.to_owned();
        let expected = self.required(object, "expected", path)?.clone();
        let invalid = |reason: &str| ProblemKind::InvalidValue {
            value: expected.to_string(),
            reason: reason.to_owned(),
        };
        let matcher = match matcher.as_str() {
            "path" | "pathAll" | "pathAny" => {
                let argument = self.req_str(object, "argument", path)?.to_owned();
                if !matches!(
                    expected,
                    Value::String(_) | Value::Bool(_) | Value::Number(_)
                ) {
                    self.report(
                        join(path, "expected"),
                        invalid("a path matcher expects a string, a boolean or a number"),
                    );
                    return None;
                }
                match matcher.as_str() {
                    "path" => Matcher::Path { argument, expected },
                    "pathAll" => Matcher::PathAll { argument, expected },
                    _ => Matcher::PathAny { argument, expected },
                }
            }
            "status" => match expected.as_u64().and_then(|code| u16::try_from(code).ok()) {
                Some(code) => Matcher::Status(code),
                None => {
                    self.report(join(path, "expected"), invalid("expected an HTTP status"));
                    return None;
                }
            },
            "error" => match &expected {
                Value::String(code) => Matcher::Error(code.clone()),
                Value::Bool(flag) => Matcher::AnyError(*flag),
                _ => {
                    self.report(
                        join(path, "expected"),
                        invalid("an error matcher expects an error code or a boolean"),
                    );
                    return None;
                }
            },
            other => {
                self.report(
                    join(path, "matcher"),
                    ProblemKind::InvalidValue {
                        value: format!("`{other}`"),
                        reason: "expected `path`, `pathAll`, `pathAny`, `status` or `error`"
                            .to_owned(),
                    },
                );
                return None;
            }
        };
        Some(Acceptor { state, matcher })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_extras_merge_as_botocore_merges_them() {
        let model = r#"{"metadata": {"protocol": "json", "serviceId": "Old", "apiVersion": "1"},
            "operations": {}, "shapes": {}}"#;
        let extras = r#"{"version": 1.0, "merge": {"metadata": {"serviceId": "New Name"}}}"#;
        let service = load_service_with_extras(
            "model",
            ModelText {
                text: model,
                extras: Some(extras),
            },
            None,
        )
        .expect("loads");
        assert_eq!(service.metadata.service_id, "New Name");
        assert_eq!(service.metadata.api_version, "1", "other keys are kept");

        let bad = r#"{"merge": []}"#;
        let error = load_service_with_extras(
            "model",
            ModelText {
                text: model,
                extras: Some(bad),
            },
            None,
        )
        .expect_err("a merge that is not an object");
        assert_eq!(
            error.to_string(),
            "model: 1 problem in the model\n  at sdk-extras.merge: expected an object, found an array"
        );
    }

    #[test]
    fn waiters_load_as_botocore_reads_them() {
        let model = r#"{"metadata": {"protocol": "json", "apiVersion": "1"},
            "operations": {"Describe": {"name": "Describe", "http": {"method": "POST", "requestUri": "/"}}},
            "shapes": {}}"#;
        let service = load_service("model", model, None).expect("loads");
        let waiters = r#"{"version": 2, "waiters": {"Ready": {"operation": "Describe",
            "delay": 5, "maxAttempts": 3, "acceptors": [
              {"state": "success", "matcher": "pathAll", "argument": "Items[].State", "expected": "ready"},
              {"state": "retry", "matcher": "error", "expected": "NotFound"},
              {"state": "failure", "matcher": "error", "expected": true},
              {"state": "retry", "matcher": "status", "expected": 500}]}}}"#;
        let loaded = load_waiters("waiters", waiters, &service).expect("loads");
        let ready = &loaded["Ready"];
        assert_eq!(
            (ready.operation.as_str(), ready.delay, ready.max_attempts),
            ("Describe", 5, 3)
        );
        assert_eq!(
            ready.acceptors,
            [
                Acceptor {
                    state: WaiterState::Success,
                    matcher: Matcher::PathAll {
                        argument: "Items[].State".to_owned(),
                        expected: Value::from("ready"),
                    },
                },
                Acceptor {
                    state: WaiterState::Retry,
                    matcher: Matcher::Error("NotFound".to_owned()),
                },
                Acceptor {
                    state: WaiterState::Failure,
                    matcher: Matcher::AnyError(true),
                },
                Acceptor {
                    state: WaiterState::Retry,
                    matcher: Matcher::Status(500),
                },
            ]
        );

        let bad = r#"{"version": 2, "waiters": {"Bad": {"operation": "Missing",
            "delay": -1, "maxAttempts": 3, "acceptors": [
              {"state": "done", "matcher": "path", "argument": "A", "expected": "x"},
              {"state": "success", "matcher": "regex", "expected": "x"},
              {"state": "success", "matcher": "path", "expected": "x"}]}}}"#;
        let error = load_waiters("waiters", bad, &service).expect_err("every problem");
        assert_eq!(
            error.to_string(),
            "waiters: 5 problems in the model\n  \
             at waiters.Bad.operation: unknown operation `Missing`\n  \
             at waiters.Bad.delay: invalid value -1: expected a whole number of at least 0\n  \
             at waiters.Bad.acceptors[0].state: invalid value `done`: expected `success`, `failure` or `retry`\n  \
             at waiters.Bad.acceptors[1].matcher: invalid value `regex`: expected `path`, `pathAll`, `pathAny`, `status` or `error`\n  \
             at waiters.Bad.acceptors[2]: missing required key `argument`"
        );
    }
}
