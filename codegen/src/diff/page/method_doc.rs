//! A method's documentation as boto3 gives it (botocore's `document_model_driven_method`, as the
//! change pages call it): description, Request Syntax, parameters with their types, `[REQUIRED]`
//! and docs, Response Syntax and Response Structure.
//!
//! The parameters and the response structure are kept as a tree ([`Param`]) for the HTML page;
//! [`MethodDoc::rst`] lays the whole out as boto3's reStructuredText through botocore's section
//! rules, so that the syntax blocks and structure lines match boto3's byte for byte.

use models::{Location, Operation, Service, ShapeId, ShapeKind};

use super::doc_markup;
use super::section::{Id, Sections};
use super::xform::xform_name;

/// `document_model_driven_method`'s link to the API reference.
const AWS_DOC_BASE: &str = "https://docs.aws.amazon.com/goto/WebAPI";

/// What boto3 says of a deprecated operation.
const DEPRECATED: &str = "This operation is deprecated and may not function as expected. This \
                          operation should not be used going forward and is only kept for the \
                          purpose of backwards compatiblity.";

/// What boto3 says of an output with an event stream.
const EVENT_STREAM_OUTPUT: &str = "The response of this operation contains an :class:`.EventStream` \
                                   member. When iterated the :class:`.EventStream` will yield events \
                                   based on the structure below, where only one of the top level \
                                   keys will be present for any given event.";

/// Where boto3 sends readers when a section is too large, if the method has no API link.
const DEFAULT_AWS_DOCS_LINK: &str = "https://docs.aws.amazon.com/index.html";

/// boto3 replaces a section of more lines than this with a pointer to the API reference
/// (`SECTION_LINE_LIMIT_CONFIG`): Request Syntax, Parameters, Response Syntax, Response Structure.
const SYNTAX_LINE_LIMIT: usize = 1500;
const PARAMS_LINE_LIMIT: usize = 5000;

/// How the Request Syntax starts: the change pages write `client.name(`, boto3's reference
/// pages `response = client.name(`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    Client,
    ResponseAssignment,
}

/// One method's documentation.
#[derive(Debug, Clone)]
pub struct MethodDoc {
    /// The model's operation name.
    pub operation: String,
    /// boto3's method name, `start_web_rtc_contact`.
    pub python_name: String,
    /// The operation's documentation (model HTML).
    pub description: Option<String>,
    pub deprecated: bool,
    /// The AWS API Documentation link, when the model has a `uid`.
    pub api_link: Option<String>,
    /// The Request Syntax code, e.g. `client.describe_contact(\n    InstanceId='string',\n...)`.
    pub request_syntax: String,
    /// The input's members, in model order.
    pub request: Vec<Param>,
    pub response: Option<Response>,
    /// The sections boto3 leaves out for their size.
    pub too_large: TooLarge,
    rst: String,
}

/// The sections too large for boto3 to render, each replaced by a pointer to the API reference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TooLarge {
    pub request_syntax: bool,
    pub parameters: bool,
    pub response_syntax: bool,
    pub response_structure: bool,
}

/// What the method returns.
#[derive(Debug, Clone)]
pub struct Response {
    /// The output has an event stream member.
    pub event_stream: bool,
    /// The Response Syntax code.
    pub syntax: String,
    /// The output itself: `(dict) --` with its members below.
    pub structure: Param,
}

/// A parameter or response member with what is below it.
#[derive(Debug, Clone)]
pub struct Param {
    /// The member name; `None` for list items, map keys and values, and the output itself.
    pub name: Option<String>,
    /// boto3's type: `string`, `integer`, `dict`, `list`, `datetime`, ... or a special one such
    /// as `JSON serializable`.
    pub type_name: String,
    /// The type is a special one, written without emphasis.
    pub special: bool,
    /// A required request member.
    pub required: bool,
    /// The member's documentation (model HTML), or its shape's.
    pub documentation: Option<String>,
    /// boto3 fills the member in when it is left out.
    pub idempotency_token: bool,
    /// The member names of a tagged union.
    pub union_members: Option<Vec<String>>,
    pub body: Body,
}

/// What a parameter holds.
#[derive(Debug, Clone)]
pub enum Body {
    Scalar,
    /// A structure already being described further up: described without its members.
    Recursive,
    Structure(Vec<Param>),
    List(Box<Param>),
    Map {
        key: Box<Param>,
        value: Box<Param>,
    },
}

/// Which side of the call a shape is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// The types boto3 documents apart from their shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Document,
    JsonValueHeader,
    StreamingInput,
    StreamingOutput,
    EventStreamOutput,
}

impl Special {
    fn type_name(self) -> &'static str {
        match self {
            Special::Document => ":ref:`document<document>`",
            Special::JsonValueHeader => "JSON serializable",
            Special::StreamingInput => "bytes or seekable file-like object",
            Special::StreamingOutput => ":class:`.StreamingBody`",
            Special::EventStreamOutput => ":class:`.EventStream`",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Special::Document | Special::JsonValueHeader => {
                "{...}|[...]|123|123.4|'string'|True|None"
            }
            Special::StreamingInput => "b'bytes'|file",
            Special::StreamingOutput => "StreamingBody()",
            Special::EventStreamOutput => "EventStream()",
        }
    }
}

/// A shape as a member reaches it: the member's own traits override the shape's.
#[derive(Debug, Clone, Copy)]
struct Reach<'a> {
    id: ShapeId,
    documentation: Option<&'a str>,
    idempotency_token: bool,
    special: Option<Special>,
}

impl MethodDoc {
    /// The documentation of `operation` of `service`, with the change pages' Request Syntax.
    pub fn new(service: &Service, operation: &Operation) -> Self {
        MethodDoc::with_prefix(service, operation, Prefix::Client)
    }

    /// The documentation with the given start of the Request Syntax.
    pub fn with_prefix(service: &Service, operation: &Operation, prefix: Prefix) -> Self {
        let python_name = xform_name(&operation.name);
        let prefix = match prefix {
            Prefix::Client => format!("client.{python_name}"),
            Prefix::ResponseAssignment => format!("response = client.{python_name}"),
        };
        let writer = Writer {
            service,
            input_special: top_level_specials(service, operation.input, Side::Request),
            output_special: top_level_specials(service, operation.output, Side::Response),
        };
        let request = operation
            .input
            .map(|id| writer.members(id, &mut vec![id], Side::Request, 1))
            .unwrap_or_default();
        let response = operation.output.map(|id| {
            let reach = Reach {
                id,
                documentation: service.shape(id).documentation.as_deref(),
                idempotency_token: false,
                special: None,
            };
            Response {
                event_stream: writer
                    .output_special
                    .iter()
                    .any(|(_, special)| *special == Special::EventStreamOutput),
                syntax: writer.example_code(id, Side::Response, None),
                structure: writer.param(reach, None, false, &mut Vec::new(), Side::Response),
            }
        });
        let mut doc = MethodDoc {
            operation: operation.name.clone(),
            python_name,
            description: operation.documentation.clone().filter(|d| !d.is_empty()),
            deprecated: operation.deprecated.is_some(),
            api_link: service
                .metadata
                .uid
                .as_ref()
                .map(|uid| format!("{AWS_DOC_BASE}/{uid}/{}", operation.name)),
            request_syntax: match operation.input {
                Some(id) => writer.example_code(id, Side::Request, Some(&prefix)),
                None => format!("{prefix}()"),
            },
            request,
            response,
            too_large: TooLarge::default(),
            rst: String::new(),
        };
        (doc.rst, doc.too_large) = writer.rst(&doc, operation, &prefix);
        doc
    }

    /// The whole documentation as boto3's reStructuredText (a method docstring without its
    /// signature).
    pub fn rst(&self) -> &str {
        &self.rst
    }
}

/// Members of the input or output that boto3 marks specially: the streaming payload and the
/// event stream, by member name.
fn top_level_specials(
    service: &Service,
    id: Option<ShapeId>,
    side: Side,
) -> Vec<(String, Special)> {
    let Some(structure) = id.and_then(|id| service.shape(id).as_structure()) else {
        return Vec::new();
    };
    let mut specials = Vec::new();
    if let Some(payload) = &structure.payload
        && let Some(member) = structure.member(payload)
        && matches!(service.shape(member.target).kind, ShapeKind::Blob { .. })
    {
        let special = match side {
            Side::Request => Special::StreamingInput,
            Side::Response => Special::StreamingOutput,
        };
        specials.push((member.name.clone(), special));
    }
    if side == Side::Response {
        for member in &structure.members {
            if service
                .shape(member.target)
                .as_structure()
                .is_some_and(|target| target.eventstream)
            {
                specials.push((member.name.clone(), Special::EventStreamOutput));
            }
        }
    }
    specials
}

/// botocore's `py_type_name`.
fn py_type_name(kind: &ShapeKind) -> &'static str {
    match kind.type_name() {
        "blob" => "bytes",
        "double" => "float",
        "long" => "integer",
        "map" | "structure" => "dict",
        "timestamp" => "datetime",
        other => other,
    }
}

/// botocore's `py_default`: the example value of a scalar.
fn py_default(kind: &ShapeKind) -> &'static str {
    match kind.type_name() {
        "double" => "123.0",
        "long" | "integer" => "123",
        "string" => "'string'",
        "blob" => "b'bytes'",
        "boolean" => "True|False",
        "list" => "[...]",
        "map" | "structure" => "{...}",
        "timestamp" => "datetime(2015, 1, 1)",
        _ => "...",
    }
}

struct Writer<'a> {
    service: &'a Service,
    input_special: Vec<(String, Special)>,
    output_special: Vec<(String, Special)>,
}

impl<'a> Writer<'a> {
    /// How a structure member reaches its shape; `depth` 1 means a member of the input or
    /// output, where the streaming and event stream marks apply.
    fn member_reach(&self, member: &'a models::Member, side: Side, depth: usize) -> Reach<'a> {
        let service = self.service;
        let target = service.shape(member.target);
        let json_header = member.jsonvalue
            && member.location == Location::Header
            && matches!(target.kind, ShapeKind::String { .. });
        let marked = if depth == 1 {
            let specials = match side {
                Side::Request => &self.input_special,
                Side::Response => &self.output_special,
            };
            specials
                .iter()
                .find(|(name, _)| *name == member.name)
                .map(|(_, special)| *special)
        } else {
            None
        };
        Reach {
            id: member.target,
            documentation: member
                .documentation
                .as_deref()
                .or(target.documentation.as_deref()),
            idempotency_token: member.idempotency_token,
            special: if json_header {
                Some(Special::JsonValueHeader)
            } else if matches!(target.kind, ShapeKind::Document) {
                Some(Special::Document)
            } else {
                marked
            },
        }
    }

    /// A list item, map key or map value.
    fn ref_reach(&self, member: &'a models::MemberRef) -> Reach<'a> {
        let target = self.service.shape(member.target);
        Reach {
            id: member.target,
            documentation: member
                .documentation
                .as_deref()
                .or(target.documentation.as_deref()),
            idempotency_token: false,
            special: matches!(target.kind, ShapeKind::Document).then_some(Special::Document),
        }
    }

    /// The documented members of a structure.
    fn members(
        &self,
        id: ShapeId,
        history: &mut Vec<ShapeId>,
        side: Side,
        depth: usize,
    ) -> Vec<Param> {
        let Some(structure) = self.service.shape(id).as_structure() else {
            return Vec::new();
        };
        structure
            .members
            .iter()
            .map(|member| {
                let reach = self.member_reach(member, side, depth);
                let required = side == Side::Request && member.required;
                self.param(reach, Some(&member.name), required, history, side)
            })
            .collect()
    }

    /// `traverse_and_document_shape` for the parameter documenters.
    fn param(
        &self,
        reach: Reach<'a>,
        name: Option<&str>,
        required: bool,
        history: &mut Vec<ShapeId>,
        side: Side,
    ) -> Param {
        let shape = self.service.shape(reach.id);
        let recursive = history.contains(&reach.id);
        let mut param = Param {
            name: name.map(str::to_owned),
            type_name: reach
                .special
                .map_or_else(|| py_type_name(&shape.kind), Special::type_name)
                .to_owned(),
            special: reach.special.is_some(),
            // boto3 documents a member met again without `[REQUIRED]`.
            required: required && !recursive,
            documentation: reach
                .documentation
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
            idempotency_token: reach.idempotency_token,
            union_members: shape
                .as_structure()
                .filter(|structure| structure.union)
                .map(|structure| structure.members.iter().map(|m| m.name.clone()).collect()),
            body: Body::Scalar,
        };
        if recursive {
            param.body = Body::Recursive;
            return param;
        }
        history.push(reach.id);
        let depth = history.len();
        param.body = match &shape.kind {
            // A request event stream is documented as a plain value, as boto3 does.
            ShapeKind::Structure(structure)
                if !(structure.eventstream && side == Side::Request) =>
            {
                Body::Structure(self.members(reach.id, history, side, depth))
            }
            ShapeKind::List { member, .. } => Body::List(Box::new(self.param(
                self.ref_reach(member),
                None,
                false,
                history,
                side,
            ))),
            ShapeKind::Map { key, value, .. } => {
                let key_reach = self.ref_reach(key);
                let key_shape = self.service.shape(key.target);
                let key = Param {
                    name: None,
                    type_name: key_reach
                        .special
                        .map_or_else(|| py_type_name(&key_shape.kind), Special::type_name)
                        .to_owned(),
                    special: key_reach.special.is_some(),
                    required: false,
                    documentation: key_reach
                        .documentation
                        .filter(|d| !d.is_empty())
                        .map(str::to_owned),
                    idempotency_token: false,
                    union_members: None,
                    body: Body::Scalar,
                };
                let value = self.param(self.ref_reach(value), None, false, history, side);
                Body::Map {
                    key: Box::new(key),
                    value: Box::new(value),
                }
            }
            _ => Body::Scalar,
        };
        history.pop();
        param
    }

    /// The code of a Request or Response Syntax block, without the block's indentation.
    fn example_code(&self, id: ShapeId, side: Side, prefix: Option<&str>) -> String {
        let mut doc = Sections::new();
        let root = Sections::ROOT;
        if let Some(prefix) = prefix {
            doc.write(root, prefix);
        }
        self.example(&mut doc, root, id, None, &mut Vec::new(), side);
        let code = doc.flush(root);
        let lines: Vec<&str> = code.lines().map(str::trim_end).collect();
        lines.join("\n").trim_end().to_owned()
    }

    /// `document_example`: the Syntax block, as a literal block in `section`.
    fn document_example(
        &self,
        doc: &mut Sections,
        section: Id,
        id: ShapeId,
        side: Side,
        prefix: Option<&str>,
    ) {
        doc.new_line(section);
        doc.start_codeblock(section);
        if let Some(prefix) = prefix {
            doc.write(section, prefix);
        }
        self.example(doc, section, id, None, &mut Vec::new(), side);
        let last = doc.add(section);
        doc.new_line(last);
    }

    /// The example documenters' `traverse_and_document_shape`.
    fn example(
        &self,
        doc: &mut Sections,
        section: Id,
        id: ShapeId,
        special: Option<Special>,
        history: &mut Vec<ShapeId>,
        side: Side,
    ) {
        let shape = self.service.shape(id);
        if history.contains(&id) {
            doc.write(section, "{'... recursive ...'}");
            return;
        }
        history.push(id);
        match &shape.kind {
            _ if special.is_some() && special != Some(Special::EventStreamOutput) => {
                doc.write(section, special.map_or("", Special::example));
            }
            ShapeKind::Structure(structure) if structure.eventstream && side == Side::Request => {
                doc.write(section, py_default(&shape.kind));
            }
            ShapeKind::Structure(structure) if structure.eventstream => {
                doc.write(section, "EventStream(");
                self.example_structure(doc, section, id, history, side);
                let end = doc.add(section);
                doc.write(end, ")");
            }
            ShapeKind::Structure(_) => self.example_structure(doc, section, id, history, side),
            ShapeKind::Document => {
                doc.write(section, Special::Document.example());
            }
            ShapeKind::List { member, .. } => {
                let list = doc.add(section);
                start_nested(doc, list, "[");
                let item = doc.add(list);
                let item_special = self.ref_reach(member).special;
                self.example(doc, item, member.target, item_special, history, side);
                let comma = doc.add(list);
                doc.write(comma, ",");
                let end = doc.add(list);
                end_nested(doc, end, "]");
            }
            ShapeKind::Map { value, .. } => {
                let map = doc.add(section);
                start_nested(doc, map, "{");
                let key = doc.add(map);
                doc.write(key, "'string': ");
                let value_section = doc.add(map);
                let value_special = self.ref_reach(value).special;
                self.example(
                    doc,
                    value_section,
                    value.target,
                    value_special,
                    history,
                    side,
                );
                let end = doc.add(map);
                end_nested(doc, end, "}");
            }
            ShapeKind::String {
                enum_values: Some(values),
                ..
            } => {
                let quoted: Vec<String> = values.iter().map(|value| format!("'{value}'")).collect();
                doc.write(section, &quoted.join("|"));
            }
            kind => doc.write(section, py_default(kind)),
        }
        history.pop();
    }

    /// A structure in an example: keyword arguments at the top of a request, a dict elsewhere.
    fn example_structure(
        &self,
        doc: &mut Sections,
        section: Id,
        id: ShapeId,
        history: &mut Vec<ShapeId>,
        side: Side,
    ) {
        let Some(structure) = self.service.shape(id).as_structure() else {
            return;
        };
        let call = side == Side::Request && history.len() <= 1;
        if side == Side::Response && structure.members.is_empty() {
            doc.write(section, "{}");
            return;
        }
        let (start, end) = if call { ("(", ")") } else { ("{", "}") };
        let value = doc.add(section);
        start_nested(doc, value, start);
        let count = structure.members.len();
        for (index, member) in structure.members.iter().enumerate() {
            let param = doc.add(value);
            if call {
                doc.write(param, &format!("{}=", member.name));
            } else {
                doc.write(param, &format!("'{}': ", member.name));
            }
            let member_value = doc.add(param);
            let special = self.member_reach(member, side, history.len()).special;
            self.example(doc, member_value, member.target, special, history, side);
            if index + 1 < count {
                let comma = doc.add(param);
                doc.write(comma, ",");
                doc.new_line(comma);
            }
        }
        if doc.has_children(value) {
            let bracket = doc.add(value);
            end_nested(doc, bracket, end);
        } else {
            doc.clear_text(value);
            doc.write(value, &format!("{start}{end}"));
            doc.dedent(value);
            doc.dedent(value);
            doc.new_line(value);
        }
    }

    /// `document_model_driven_method` without the signature, and the sections left out.
    fn rst(&self, method: &MethodDoc, operation: &Operation, prefix: &str) -> (String, TooLarge) {
        let mut doc = Sections::new();
        let root = Sections::ROOT;
        let mut too_large = TooLarge::default();
        let link = too_large_link(method);
        let limit = |doc: &mut Sections, id: Id, title: &str, lines: usize| {
            let over = doc.flush(id).lines().count() > lines;
            if over {
                doc.replace(id, &too_large_message(title, &link));
            }
            over
        };

        let intro = doc.add(root);
        if let Some(description) = &method.description {
            doc_markup::write_rst(&mut doc, intro, description);
        }
        if method.deprecated {
            doc.new_paragraph(intro);
            doc.write(intro, ".. danger::");
            doc.indent(intro);
            doc.new_paragraph(intro);
            doc.writeln(intro, DEPRECATED);
            doc.dedent(intro);
            doc.new_paragraph(intro);
        }
        if let Some(link) = &method.api_link {
            doc.new_paragraph(intro);
            doc.write(intro, "See also: ");
            doc.write(intro, &format!("`AWS API Documentation <{link}>`_"));
            doc.writeln(intro, "");
        }

        let example = doc.add(root);
        doc.new_paragraph(example);
        doc.bold(example, "Request Syntax");
        match operation.input {
            Some(id) => self.document_example(&mut doc, example, id, Side::Request, Some(prefix)),
            None => {
                doc.new_paragraph(example);
                doc.start_codeblock(example);
                doc.write(example, &format!("{prefix}()"));
            }
        }
        too_large.request_syntax = limit(&mut doc, example, "Request Syntax", SYNTAX_LINE_LIMIT);

        let params = doc.add(root);
        for param in &method.request {
            let section = doc.add(params);
            doc.new_line(section);
            request_param(&mut doc, section, param, true);
        }
        if operation.input.is_some() {
            let end = doc.add(params);
            doc.new_line(end);
        }
        too_large.parameters = limit(&mut doc, params, "Parameters", PARAMS_LINE_LIMIT);

        let returns = doc.add(root);
        doc.new_line(returns);
        match (operation.output, &method.response) {
            (Some(id), Some(response)) => {
                doc.write(returns, ":rtype: dict");
                doc.new_line(returns);
                doc.write(returns, ":returns: ");
                doc.indent(returns);
                doc.new_line(returns);
                if response.event_stream {
                    let events = doc.add(returns);
                    doc.new_paragraph(events);
                    doc.write(events, EVENT_STREAM_OUTPUT);
                    doc.new_line(events);
                }
                let example = doc.add(returns);
                doc.new_line(example);
                doc.bold(example, "Response Syntax");
                doc.new_paragraph(example);
                self.document_example(&mut doc, example, id, Side::Response, None);
                too_large.response_syntax =
                    limit(&mut doc, example, "Response Syntax", SYNTAX_LINE_LIMIT);
                let structure = doc.add(returns);
                doc.new_line(structure);
                doc.bold(structure, "Response Structure");
                doc.new_paragraph(structure);
                response_param(&mut doc, structure, &response.structure);
                too_large.response_structure =
                    limit(&mut doc, structure, "Response Structure", PARAMS_LINE_LIMIT);
            }
            _ => doc.write(returns, ":returns: None"),
        }
        (doc.flush(root), too_large)
    }
}

/// The API link boto3 points to from a section too large to render: the method's, written as in
/// its description, when boto3's pattern finds it there (a uid of lowercase letters, digits, `-`
/// and `.`, an operation name of letters only), else the AWS documentation's home page.
fn too_large_link(method: &MethodDoc) -> String {
    let found = method.api_link.as_ref().filter(|link| {
        let rest = link
            .strip_prefix(AWS_DOC_BASE)
            .and_then(|rest| rest.strip_prefix('/'));
        rest.and_then(|rest| rest.split_once('/'))
            .is_some_and(|(uid, name)| {
                uid.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
                    && name.chars().all(|c| c.is_ascii_alphabetic())
            })
    });
    match found {
        Some(link) => format!("`AWS API Documentation <{link}>`_\n\n"),
        None => DEFAULT_AWS_DOCS_LINK.to_owned(),
    }
}

/// boto3's `LARGE_SECTION_MESSAGE`.
fn too_large_message(title: &str, link: &str) -> String {
    format!(
        "\n\n    **{title}**\n    ::\n\n        # This section is too large to render.\n        \
         # Please see the AWS API Documentation linked below.\n\n    {link}\n    "
    )
}

fn start_nested(doc: &mut Sections, section: Id, start: &str) {
    doc.write(section, start);
    doc.indent(section);
    doc.indent(section);
    doc.new_line(section);
}

fn end_nested(doc: &mut Sections, section: Id, end: &str) {
    doc.dedent(section);
    doc.dedent(section);
    doc.new_line(section);
    doc.write(section, end);
}

/// `(string) --`, emphasised unless the type is a special one.
fn write_type(doc: &mut Sections, section: Id, param: &Param) {
    let text = format!("({}) --", param.type_name);
    if param.special {
        doc.write(section, &text);
    } else {
        doc.italics(section, &text);
    }
    doc.write(section, " ");
}

/// `RequestParamsDocumenter`: one parameter and what is below it.
fn request_param(doc: &mut Sections, section: Id, param: &Param, top_level: bool) {
    match &param.body {
        Body::Recursive => request_member_doc(doc, section, param, false),
        Body::Scalar => request_member_doc(doc, section, param, top_level),
        Body::Structure(members) => {
            request_member_doc(doc, section, param, top_level);
            doc.indent(section);
            for member in members {
                let child = doc.add(section);
                doc.new_line(child);
                request_param(doc, child, member, false);
            }
            let end = doc.add(section);
            doc.dedent(end);
            doc.new_line(end);
        }
        Body::List(item) => {
            request_member_doc(doc, section, param, top_level);
            let child = doc.add(section);
            doc.indent(child);
            doc.new_line(child);
            request_param(doc, child, item, false);
            let end = doc.add(section);
            doc.dedent(end);
            doc.new_line(end);
        }
        Body::Map { key, value } => {
            request_member_doc(doc, section, param, top_level);
            let key_section = doc.add(section);
            doc.indent(key_section);
            doc.new_line(key_section);
            request_member_doc(doc, key_section, key, false);
            let value_section = doc.add(section);
            doc.indent(value_section);
            doc.indent(value_section);
            doc.new_line(value_section);
            request_param(doc, value_section, value, false);
            let end = doc.add(section);
            doc.dedent(end);
            doc.new_line(end);
            doc.dedent(end);
            doc.new_line(end);
        }
    }
}

/// `RequestParamsDocumenter._add_member_documentation`.
fn request_member_doc(doc: &mut Sections, section: Id, param: &Param, top_level: bool) {
    let name = param.name.as_deref().unwrap_or("");
    if top_level {
        let type_section = doc.add(section);
        doc.write(type_section, &format!(":type {name}: {}", param.type_name));
        let end_type = doc.add(type_section);
        doc.new_line(end_type);
        let name_section = doc.add(section);
        doc.write(name_section, &format!(":param {name}: "));
    } else {
        let name_section = doc.add(section);
        doc.write(name_section, "- ");
        if param.name.is_some() {
            doc.bold(name_section, name);
            doc.write(name_section, " ");
        }
        let type_section = doc.add(section);
        write_type(doc, type_section, param);
    }
    if param.required {
        let required = doc.add(section);
        doc.indent(required);
        doc.bold(required, "[REQUIRED]");
        doc.write(required, " ");
    }
    if let Some(documentation) = &param.documentation {
        let docs = doc.add(section);
        doc.indent(docs);
        if let Some(members) = &param.union_members {
            let note = doc.add(section);
            doc.write(
                note,
                &format!(
                    ".. note::    This is a Tagged Union structure. Only one of the     \
                     following top level keys can be set: {}. ",
                    union_list(members)
                ),
            );
        }
        doc_markup::write_rst(doc, docs, documentation);
        if param.idempotency_token {
            doc.write(docs, "This field is autopopulated if not provided.");
        }
    }
    let end = doc.add(section);
    doc.new_paragraph(end);
}

/// `ResponseParamsDocumenter`: one member and what is below it.
fn response_param(doc: &mut Sections, section: Id, param: &Param) {
    response_member_doc(doc, section, param);
    match &param.body {
        Body::Scalar | Body::Recursive => {}
        Body::Structure(members) => {
            for member in members {
                let child = doc.add(section);
                doc.indent(child);
                doc.new_line(child);
                response_param(doc, child, member);
            }
            let end = doc.add(section);
            doc.dedent(end);
            doc.new_line(end);
        }
        Body::List(item) => {
            let child = doc.add(section);
            doc.indent(child);
            doc.new_line(child);
            response_param(doc, child, item);
            let end = doc.add(section);
            doc.dedent(end);
            doc.new_line(end);
        }
        Body::Map { key, value } => {
            let key_section = doc.add(section);
            doc.indent(key_section);
            doc.new_line(key_section);
            response_member_doc(doc, key_section, key);
            let value_section = doc.add(section);
            doc.indent(value_section);
            doc.indent(value_section);
            doc.new_line(value_section);
            response_param(doc, value_section, value);
            let end = doc.add(section);
            doc.dedent(end);
            doc.new_line(end);
            doc.dedent(end);
            doc.new_line(end);
        }
    }
}

/// `ResponseParamsDocumenter._add_member_documentation`.
fn response_member_doc(doc: &mut Sections, section: Id, param: &Param) {
    let name_section = doc.add(section);
    doc.write(name_section, "- ");
    if let Some(name) = &param.name {
        doc.bold(name_section, name);
        doc.write(name_section, " ");
    }
    let type_section = doc.add(section);
    write_type(doc, type_section, param);
    let docs = doc.add(section);
    if let Some(documentation) = &param.documentation {
        doc.indent(docs);
        if let Some(members) = &param.union_members {
            let note = doc.add(section);
            doc.write(
                note,
                &format!(
                    ".. note::    This is a Tagged Union structure. Only one of the     \
                     following top level keys will be set: {}.     If a client receives an \
                     unknown member it will     set ``SDK_UNKNOWN_MEMBER`` as the top level \
                     key,     which maps to the name or tag of the unknown     member. The \
                     structure of ``SDK_UNKNOWN_MEMBER`` is     as follows",
                    union_list(members)
                ),
            );
            let example = doc.add(section);
            doc.codeblock(
                example,
                "'SDK_UNKNOWN_MEMBER': {'name': 'UnknownMemberName'}",
            );
        }
        doc_markup::write_rst(doc, docs, documentation);
    }
    doc.new_paragraph(section);
}

fn union_list(members: &[String]) -> String {
    members
        .iter()
        .map(|member| format!("``{member}``"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service whose one operation returns a structure of `members` strings.
    fn wide_service(members: usize) -> Service {
        let fields: serde_json::Map<String, serde_json::Value> = (0..members)
            .map(|index| {
                (
                    format!("Field{index}"),
                    serde_json::json!({"shape": "String"}),
                )
            })
            .collect();
        let model = serde_json::json!({
            "version": "2.0",
            "metadata": {
                "apiVersion": "2024-01-01", "endpointPrefix": "wide", "protocol": "rest-json",
                "serviceFullName": "Wide Service", "serviceId": "Wide",
                "signatureVersion": "v4", "uid": "wide-2024-01-01"
            },
            "operations": {
                "GetWide": {
                    "name": "GetWide",
                    "http": {"method": "GET", "requestUri": "/"},
                    "output": {"shape": "GetWideResponse"}
                }
            },
            "shapes": {
                "GetWideResponse": {"type": "structure", "members": fields},
                "String": {"type": "string"}
            }
        });
        models::load_service("wide.json", &model.to_string(), None).expect("a valid model")
    }

    /// Past 1,500 lines boto3 replaces a syntax block with a pointer to the API reference.
    #[test]
    fn sections_too_large_point_to_the_api_reference() {
        let service = wide_service(1600);
        let doc = MethodDoc::new(&service, &service.operations["GetWide"]);
        assert_eq!(
            doc.too_large,
            TooLarge {
                response_syntax: true,
                ..TooLarge::default()
            }
        );
        assert!(doc.rst().contains(
            "\n\n    **Response Syntax**\n    ::\n\n        # This section is too large to \
             render.\n        # Please see the AWS API Documentation linked below.\n\n    \
             `AWS API Documentation <https://docs.aws.amazon.com/goto/WebAPI/wide-2024-01-01/\
             GetWide>`_\n\n\n    "
        ));
        assert!(doc.rst().contains("- **Field1599** *(string) --*"));

        let narrow = wide_service(10);
        let doc = MethodDoc::new(&narrow, &narrow.operations["GetWide"]);
        assert_eq!(doc.too_large, TooLarge::default());
        assert!(doc.rst().contains("'Field9': 'string'"));
    }
}
