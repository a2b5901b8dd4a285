//! Endpoint rule sets: where a service's requests go, as botocore decides it.
//!
//! Every botocore model comes with an `endpoint-rule-set-1.json`: a decision tree over a few
//! parameters (the region, FIPS, dual-stack, an endpoint set by the user, and some of the
//! service's own) whose leaves are an endpoint (URL, signing region and name, headers) or an
//! error. It is the only place that knows that IAM in `eu-west-1` is `https://iam.amazonaws.com`
//! signed for `us-east-1`, that Cost Explorer lives at `ce.us-east-1.amazonaws.com`, or what a
//! region of the European Sovereign Cloud is called. A generated crate carries its rule set as
//! JSON text ([`EndpointRules`]); this module reads it once and evaluates it
//! ([`RuleSet::resolve`]) as botocore's `endpoint_provider.py` does: rules in order, the first
//! whose conditions hold decides, each rule seeing the variables its own conditions assign and
//! none of its siblings'; a tree whose rules all fail falls through to the next rule.
//!
//! The partitions (`aws`, `aws-cn`, `aws-us-gov`, the isolated ones, `aws-eusc`) are botocore's
//! `partitions.json`, carried by the runtime (`runtime/data/`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::Value as Json;

/// A rule set carried as JSON text by a generated crate, read on first use.
pub struct EndpointRules {
    source: &'static str,
    parsed: OnceLock<Result<RuleSet, ParseError>>,
}

impl fmt::Debug for EndpointRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointRules")
            .field("bytes", &self.source.len())
            .finish()
    }
}

impl EndpointRules {
    /// The rule set whose `endpoint-rule-set-1.json` text is `source`.
    pub const fn new(source: &'static str) -> Self {
        EndpointRules {
            source,
            parsed: OnceLock::new(),
        }
    }

    /// The rule set, read once; the generator checked it, so an error here means the text was
    /// changed by hand.
    pub fn rule_set(&self) -> Result<&RuleSet, &ParseError> {
        self.parsed
            .get_or_init(|| RuleSet::parse(self.source))
            .as_ref()
    }
}

/// A value of the rules: parameters, function results and variables. `None` (in an `Option`)
/// is botocore's `None`: a parameter not set, a function that found nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer (the indexes `substring` takes).
    Int(i64),
    /// A list (a `stringArray` parameter, an ARN's resource parts).
    Array(Vec<Value>),
    /// A record (a partition, a parsed URL or ARN), read with `getAttr`.
    Object(BTreeMap<String, Value>),
}

impl Value {
    fn from_json(json: &Json) -> Option<Value> {
        Some(match json {
            Json::String(text) => Value::String(text.clone()),
            Json::Bool(flag) => Value::Bool(*flag),
            Json::Number(number) => Value::Int(number.as_i64()?),
            Json::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect::<Option<_>>()?)
            }
            Json::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(key, value)| Some((key.clone(), Value::from_json(value)?)))
                    .collect::<Option<_>>()?,
            ),
            Json::Null => return None,
        })
    }

    fn to_json(&self) -> Json {
        match self {
            Value::String(text) => Json::String(text.clone()),
            Value::Bool(flag) => Json::Bool(*flag),
            Value::Int(number) => Json::from(*number),
            Value::Array(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Object(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_json()))
                    .collect(),
            ),
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// As Python's `str()` writes it into a template.
    fn write_into(&self, out: &mut String) {
        match self {
            Value::String(text) => out.push_str(text),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(number) => out.push_str(&number.to_string()),
            other => out.push_str(&other.to_json().to_string()),
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::String(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::String(text)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Self {
        Value::Bool(flag)
    }
}

/// A rule set that is not one: what is wrong, and where (`rules[2].conditions[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where in the document.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "endpoint rule set: {}", self.message)
        } else {
            write!(f, "endpoint rule set, {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// Why no endpoint came out: an error rule matched (its message, as botocore's
/// `EndpointResolutionError` gives it), a parameter is missing or of the wrong type, or no rule
/// matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError(pub String);

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ResolveError {}

/// The endpoint a rule set gives.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedEndpoint {
    /// The URL requests go to (their path is appended to it).
    pub url: String,
    /// The endpoint's properties (`authSchemes` among them), templates filled in.
    pub properties: serde_json::Map<String, Json>,
    /// Headers every request to it carries.
    pub headers: Vec<(String, Vec<String>)>,
}

/// How a [`ResolvedEndpoint`] asks requests to be signed, from its `authSchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// SigV4, for this region and service name where the endpoint names them.
    SigV4 {
        /// The region to sign for, if not the client's.
        signing_region: Option<String>,
        /// The service name to sign for, if not the model's.
        signing_name: Option<String>,
    },
    /// Not signed (`none`).
    None,
    /// Only schemes the runtime does not sign with (`sigv4a`, `sigv4-s3express`), by name.
    Unsupported(Vec<String>),
}

impl ResolvedEndpoint {
    /// The first scheme of `authSchemes` the runtime signs with, as botocore (without its CRT
    /// extra) takes the first it supports; SigV4 as the model says when there is none.
    pub fn auth_scheme(&self) -> AuthScheme {
        let Some(Json::Array(schemes)) = self.properties.get("authSchemes") else {
            return AuthScheme::SigV4 {
                signing_region: None,
                signing_name: None,
            };
        };
        let text = |scheme: &Json, key: &str| scheme.get(key)?.as_str().map(str::to_owned);
        let mut names = Vec::new();
        for scheme in schemes {
            let name = text(scheme, "name").unwrap_or_default();
            match name.as_str() {
                "sigv4" => {
                    return AuthScheme::SigV4 {
                        signing_region: text(scheme, "signingRegion"),
                        signing_name: text(scheme, "signingName"),
                    };
                }
                "none" => return AuthScheme::None,
                _ => names.push(name),
            }
        }
        AuthScheme::Unsupported(names)
    }
}

/// A value an operation gives a rule set parameter (the model's `staticContextParams`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticParam {
    /// A boolean.
    Bool(bool),
    /// A string.
    String(&'static str),
}

impl From<StaticParam> for Value {
    fn from(param: StaticParam) -> Self {
        match param {
            StaticParam::Bool(flag) => Value::Bool(flag),
            StaticParam::String(text) => Value::String(text.to_owned()),
        }
    }
}

/// What a client gives the rule set's built-in parameters, as botocore's
/// `compute_endpoint_resolver_builtin_defaults` computes them with its default settings:
/// the region; FIPS and dual-stack as configured, unless an endpoint is set; the endpoint set;
/// STS's regional endpoints; S3's `us-east-1` at `s3.amazonaws.com` (botocore's `legacy`
/// default), no acceleration, ARN regions used, multi-region access points allowed; the account
/// id endpoint mode `preferred` with no account id (so the regional endpoint).
pub(crate) fn builtin_values(
    rules: &RuleSet,
    region: Option<&str>,
    endpoint: Option<&str>,
    use_fips: bool,
    use_dual_stack: bool,
    force_path_style: bool,
) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    for parameter in &rules.parameters {
        let Some(built_in) = parameter.built_in.as_deref() else {
            continue;
        };
        let value = match built_in {
            "AWS::Region" => region.map(Value::from),
            "AWS::UseFIPS" => Some(Value::Bool(use_fips && endpoint.is_none())),
            "AWS::UseDualStack" => Some(Value::Bool(use_dual_stack && endpoint.is_none())),
            "SDK::Endpoint" => endpoint.map(Value::from),
            "AWS::STS::UseGlobalEndpoint" => Some(Value::Bool(false)),
            "AWS::S3::UseGlobalEndpoint" => {
                Some(Value::Bool(matches!(region, None | Some("us-east-1"))))
            }
            "AWS::S3::Accelerate" => Some(Value::Bool(false)),
            // botocore: path style for an endpoint set (unless `virtual` is asked for).
            "AWS::S3::ForcePathStyle" => Some(Value::Bool(force_path_style || endpoint.is_some())),
            "AWS::S3::UseArnRegion" => Some(Value::Bool(true)),
            "AWS::S3Control::UseArnRegion" => Some(Value::Bool(false)),
            "AWS::S3::DisableMultiRegionAccessPoints" => Some(Value::Bool(false)),
            "AWS::Auth::AccountIdEndpointMode" => Some(Value::from("preferred")),
            _ => None,
        };
        if let Some(value) = value {
            values.insert(parameter.name.clone(), value);
        }
    }
    values
}

/// The DNS suffix of `region`'s partition (`amazonaws.com`, `amazonaws.com.cn`, `c2s.ic.gov`,
/// `amazonaws.eu`): for the credential calls, which the runtime makes without a rule set.
pub(crate) fn dns_suffix(region: &str) -> String {
    match functions::partition(Some(region)) {
        Value::Object(fields) => match fields.get("dnsSuffix") {
            Some(Value::String(suffix)) => suffix.clone(),
            _ => "amazonaws.com".to_owned(),
        },
        _ => "amazonaws.com".to_owned(),
    }
}

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParameterType {
    String,
    Boolean,
    StringArray,
}

/// A parameter of a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Its name (`Region`, `UseFIPS`, `Bucket`).
    pub name: String,
    /// The value the SDK gives it (`AWS::Region`, `SDK::Endpoint`), if it is a built-in.
    pub built_in: Option<String>,
    kind: ParameterType,
    default: Option<Value>,
    required: bool,
}

/// A function of the rules language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    Substring,
    IsValidHostLabel,
    ParseUrl,
    UriEncode,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    fn named(name: &str) -> Option<(Function, usize)> {
        Some(match name {
            "isSet" => (Function::IsSet, 1),
            "not" => (Function::Not, 1),
            "booleanEquals" => (Function::BooleanEquals, 2),
            "stringEquals" => (Function::StringEquals, 2),
            "getAttr" => (Function::GetAttr, 2),
            "substring" => (Function::Substring, 4),
            "isValidHostLabel" => (Function::IsValidHostLabel, 2),
            "parseURL" => (Function::ParseUrl, 1),
            "uriEncode" => (Function::UriEncode, 1),
            "aws.partition" => (Function::Partition, 1),
            "aws.parseArn" => (Function::ParseArn, 1),
            "aws.isVirtualHostableS3Bucket" => (Function::IsVirtualHostableS3Bucket, 2),
            _ => return None,
        })
    }
}

/// A piece of a template string: text, or a variable with an attribute path (`{url#scheme}`).
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Variable(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Literal(Value),
    Template(Vec<Piece>),
    Ref(String),
    Call(Box<Call>),
}

#[derive(Debug, Clone, PartialEq)]
struct Call {
    function: Function,
    args: Vec<Expr>,
    assign: Option<String>,
}

/// A property value: JSON whose strings may be templates.
#[derive(Debug, Clone, PartialEq)]
enum Property {
    Json(Json),
    Template(Vec<Piece>),
    List(Vec<Property>),
    Map(Vec<(String, Property)>),
}

#[derive(Debug, Clone, PartialEq)]
enum Rule {
    Endpoint {
        conditions: Vec<Call>,
        url: Expr,
        properties: Vec<(String, Property)>,
        headers: Vec<(String, Vec<Expr>)>,
    },
    Error {
        conditions: Vec<Call>,
        message: Expr,
    },
    Tree {
        conditions: Vec<Call>,
        rules: Vec<Rule>,
    },
}

/// A rule set, read and checked: every function known, with its number of arguments, every
/// template well formed.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    parameters: Vec<Parameter>,
    rules: Vec<Rule>,
}

/// The variables in scope while a rule is evaluated: parameters that are set, then what
/// conditions assign (`None` included, as botocore keeps it).
type Scope = Vec<(String, Option<Value>)>;

impl RuleSet {
    /// Reads an `endpoint-rule-set-1.json`.
    pub fn parse(text: &str) -> Result<RuleSet, ParseError> {
        let json: Json = serde_json::from_str(text).map_err(|error| ParseError {
            path: String::new(),
            message: format!("not JSON: {error}"),
        })?;
        Parser::default().rule_set(&json)
    }

    /// The parameters, in name order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// Whether any rule reads parameter (or variable) `name`: S3's rules declare `Key`,
    /// `Prefix` and `CopySource` and read none of them.
    pub fn reads(&self, name: &str) -> bool {
        fn in_pieces(pieces: &[Piece], name: &str) -> bool {
            pieces
                .iter()
                .any(|piece| matches!(piece, Piece::Variable(path) if path[0] == name))
        }
        fn in_expr(expr: &Expr, name: &str) -> bool {
            match expr {
                Expr::Literal(_) => false,
                Expr::Template(pieces) => in_pieces(pieces, name),
                Expr::Ref(bound) => bound == name,
                Expr::Call(call) => in_call(call, name),
            }
        }
        fn in_call(call: &Call, name: &str) -> bool {
            call.args.iter().any(|arg| in_expr(arg, name))
        }
        fn in_property(property: &Property, name: &str) -> bool {
            match property {
                Property::Json(_) => false,
                Property::Template(pieces) => in_pieces(pieces, name),
                Property::List(items) => items.iter().any(|item| in_property(item, name)),
                Property::Map(fields) => fields.iter().any(|(_, value)| in_property(value, name)),
            }
        }
        fn in_rules(rules: &[Rule], name: &str) -> bool {
            rules.iter().any(|rule| match rule {
                Rule::Endpoint {
                    conditions,
                    url,
                    properties,
                    headers,
                } => {
                    conditions.iter().any(|call| in_call(call, name))
                        || in_expr(url, name)
                        || properties.iter().any(|(_, value)| in_property(value, name))
                        || headers
                            .iter()
                            .any(|(_, values)| values.iter().any(|value| in_expr(value, name)))
                }
                Rule::Error {
                    conditions,
                    message,
                } => conditions.iter().any(|call| in_call(call, name)) || in_expr(message, name),
                Rule::Tree { conditions, rules } => {
                    conditions.iter().any(|call| in_call(call, name)) || in_rules(rules, name)
                }
            })
        }
        in_rules(&self.rules, name)
    }

    /// Whether the rule set has a parameter of this name.
    pub fn has_parameter(&self, name: &str) -> bool {
        self.parameters
            .iter()
            .any(|parameter| parameter.name == name)
    }

    /// The endpoint for these parameter values (by name; names the rule set does not declare
    /// are ignored), as botocore's `EndpointProvider.resolve_endpoint` gives it.
    pub fn resolve(
        &self,
        values: &BTreeMap<String, Value>,
    ) -> Result<ResolvedEndpoint, ResolveError> {
        let mut scope: Scope = Vec::new();
        for parameter in &self.parameters {
            let value = match values.get(&parameter.name) {
                Some(value) => {
                    let fits = matches!(
                        (parameter.kind, value),
                        (ParameterType::String, Value::String(_))
                            | (ParameterType::Boolean, Value::Bool(_))
                            | (ParameterType::StringArray, Value::Array(_))
                    );
                    if !fits {
                        return Err(ResolveError(format!(
                            "Value ({}) is the wrong type. Must be {:?}.",
                            parameter.name, parameter.kind
                        )));
                    }
                    value.clone()
                }
                None => match &parameter.default {
                    Some(default) => default.clone(),
                    None if parameter.required => {
                        return Err(ResolveError(format!(
                            "Cannot find value for required parameter {}",
                            parameter.name
                        )));
                    }
                    None => continue,
                },
            };
            scope.push((parameter.name.clone(), Some(value)));
        }
        match evaluate_rules(&self.rules, &mut scope)? {
            Some(endpoint) => Ok(endpoint),
            None => {
                let given: Vec<String> = values
                    .iter()
                    .map(|(name, value)| format!("{name}: {}", value.to_json()))
                    .collect();
                Err(ResolveError(format!(
                    "No endpoint found for parameters:\n{}",
                    given.join("\n")
                )))
            }
        }
    }
}

/// Reads the JSON of a rule set, keeping the path for errors.
#[derive(Default)]
struct Parser {
    path: Vec<String>,
}

impl Parser {
    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            path: self.path.join(""),
            message: message.into(),
        }
    }

    fn within<T>(
        &mut self,
        step: String,
        read: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        self.path.push(step);
        let result = read(self);
        self.path.pop();
        result
    }

    fn field<'a>(&self, json: &'a Json, key: &str) -> Result<&'a Json, ParseError> {
        json.get(key)
            .ok_or_else(|| self.error(format!("no `{key}`")))
    }

    fn list<'a>(&self, json: &'a Json, key: &str) -> Result<&'a [Json], ParseError> {
        match json.get(key) {
            Some(Json::Array(items)) => Ok(items),
            Some(_) => Err(self.error(format!("`{key}` is not a list"))),
            None => Err(self.error(format!("no `{key}`"))),
        }
    }

    fn rule_set(&mut self, json: &Json) -> Result<RuleSet, ParseError> {
        let Some(Json::Object(parameters)) = json.get("parameters") else {
            return Err(self.error("no `parameters` object"));
        };
        let mut read = Vec::new();
        for (name, spec) in parameters {
            read.push(self.within(format!("parameters.{name}"), |p| p.parameter(name, spec))?);
        }
        let rules = self.rules(json, "rules")?;
        Ok(RuleSet {
            parameters: read,
            rules,
        })
    }

    fn parameter(&mut self, name: &str, spec: &Json) -> Result<Parameter, ParseError> {
        let kind = match self
            .field(spec, "type")?
            .as_str()
            .map(str::to_ascii_lowercase)
        {
            Some(kind) if kind == "string" => ParameterType::String,
            Some(kind) if kind == "boolean" => ParameterType::Boolean,
            Some(kind) if kind == "stringarray" => ParameterType::StringArray,
            _ => return Err(self.error("`type` is not string, boolean or stringArray")),
        };
        let default = match spec.get("default") {
            None | Some(Json::Null) => None,
            Some(json) => {
                Some(Value::from_json(json).ok_or_else(|| self.error("`default` is not a value"))?)
            }
        };
        Ok(Parameter {
            name: name.to_owned(),
            built_in: spec
                .get("builtIn")
                .and_then(Json::as_str)
                .map(str::to_owned),
            kind,
            default,
            required: spec.get("required").and_then(Json::as_bool) == Some(true),
        })
    }

    fn rules(&mut self, json: &Json, key: &str) -> Result<Vec<Rule>, ParseError> {
        let items = self.list(json, key)?;
        let mut rules = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            rules.push(self.within(format!(".{key}[{index}]"), |p| p.rule(item))?);
        }
        Ok(rules)
    }

    fn rule(&mut self, json: &Json) -> Result<Rule, ParseError> {
        let conditions = match json.get("conditions") {
            None => Vec::new(),
            Some(_) => {
                let items = self.list(json, "conditions")?;
                let mut calls = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    calls.push(self.within(format!(".conditions[{index}]"), |p| p.call(item))?);
                }
                calls
            }
        };
        match self.field(json, "type")?.as_str() {
            Some("endpoint") => {
                let endpoint = self.field(json, "endpoint")?;
                let url = self.within(".endpoint.url".to_owned(), |p| {
                    let url = p.field(endpoint, "url")?;
                    p.expr(url)
                })?;
                let properties = match endpoint.get("properties") {
                    Some(Json::Object(fields)) => {
                        self.within(".endpoint.properties".into(), |p| {
                            fields
                                .iter()
                                .map(|(key, value)| Ok((key.clone(), p.property(value)?)))
                                .collect::<Result<_, _>>()
                        })?
                    }
                    None | Some(Json::Null) => Vec::new(),
                    Some(_) => return Err(self.error("`properties` is not an object")),
                };
                let headers = match endpoint.get("headers") {
                    Some(Json::Object(fields)) => {
                        let mut headers = Vec::new();
                        for (name, values) in fields {
                            let values = self.within(format!(".endpoint.headers.{name}"), |p| {
                                let Json::Array(items) = values else {
                                    return Err(p.error("not a list"));
                                };
                                items.iter().map(|item| p.expr(item)).collect()
                            })?;
                            headers.push((name.clone(), values));
                        }
                        headers
                    }
                    None | Some(Json::Null) => Vec::new(),
                    Some(_) => return Err(self.error("`headers` is not an object")),
                };
                Ok(Rule::Endpoint {
                    conditions,
                    url,
                    properties,
                    headers,
                })
            }
            Some("error") => {
                let message = self.within(".error".to_owned(), |p| {
                    let message = p.field(json, "error")?;
                    p.expr(message)
                })?;
                Ok(Rule::Error {
                    conditions,
                    message,
                })
            }
            Some("tree") => Ok(Rule::Tree {
                conditions,
                rules: self.rules(json, "rules")?,
            }),
            _ => Err(self.error("`type` is not endpoint, error or tree")),
        }
    }

    fn call(&mut self, json: &Json) -> Result<Call, ParseError> {
        let name = self
            .field(json, "fn")?
            .as_str()
            .ok_or_else(|| self.error("`fn` is not a string"))?;
        let (function, arity) = Function::named(name)
            .ok_or_else(|| self.error(format!("unknown function `{name}`")))?;
        let argv = self.list(json, "argv")?;
        if argv.len() != arity {
            return Err(self.error(format!(
                "`{name}` takes {arity} arguments, not {}",
                argv.len()
            )));
        }
        let mut args = Vec::with_capacity(arity);
        for (index, arg) in argv.iter().enumerate() {
            args.push(self.within(format!(".argv[{index}]"), |p| p.expr(arg))?);
        }
        if function == Function::GetAttr && !matches!(args[1], Expr::Literal(Value::String(_))) {
            return Err(self.error("`getAttr` takes a literal path"));
        }
        let assign = match json.get("assign") {
            None => None,
            Some(Json::String(name)) => Some(name.clone()),
            Some(_) => return Err(self.error("`assign` is not a string")),
        };
        Ok(Call {
            function,
            args,
            assign,
        })
    }

    fn expr(&mut self, json: &Json) -> Result<Expr, ParseError> {
        match json {
            Json::Object(fields) if fields.contains_key("fn") => {
                Ok(Expr::Call(Box::new(self.call(json)?)))
            }
            Json::Object(fields) => match fields.get("ref") {
                Some(Json::String(name)) => Ok(Expr::Ref(name.clone())),
                _ => Err(self.error("an object that is neither a function nor a reference")),
            },
            Json::String(text) if is_template(text) => Ok(Expr::Template(
                template(text).map_err(|message| self.error(message))?,
            )),
            other => Value::from_json(other)
                .map(Expr::Literal)
                .ok_or_else(|| self.error("not a value")),
        }
    }

    fn property(&mut self, json: &Json) -> Result<Property, ParseError> {
        Ok(match json {
            Json::Array(items) => Property::List(
                items
                    .iter()
                    .map(|item| self.property(item))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(fields) => Property::Map(
                fields
                    .iter()
                    .map(|(key, value)| Ok((key.clone(), self.property(value)?)))
                    .collect::<Result<_, ParseError>>()?,
            ),
            Json::String(text) if is_template(text) => {
                Property::Template(template(text).map_err(|message| self.error(message))?)
            }
            other => Property::Json(other.clone()),
        })
    }
}

/// Whether a string is a template: botocore's test, a `{` then letters and `#` then `}`.
fn is_template(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(start, &byte)| {
        if byte != b'{' {
            return false;
        }
        let name = bytes[start + 1..]
            .iter()
            .take_while(|byte| byte.is_ascii_alphabetic() || **byte == b'#')
            .count();
        name > 0 && bytes.get(start + 1 + name) == Some(&b'}')
    })
}

/// Splits a template as Python's `str.format` reads it: `{{` and `}}` are braces, `{a#b}` a
/// variable and its attribute path.
fn template(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("template {text:?}: `{{` not closed")),
                    }
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Variable(
                    name.split('#').map(str::to_owned).collect(),
                ));
            }
            '}' => return Err(format!("template {text:?}: a single `}}`")),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

fn lookup<'a>(scope: &'a Scope, name: &str) -> Option<&'a Option<Value>> {
    scope
        .iter()
        .rev()
        .find(|(bound, _)| bound == name)
        .map(|(_, value)| value)
}

fn fill(pieces: &[Piece], scope: &Scope) -> Result<String, ResolveError> {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Variable(path) => {
                let missing = || ResolveError(format!("template variable {} is not set", path[0]));
                let mut value = lookup(scope, &path[0])
                    .and_then(Option::as_ref)
                    .ok_or_else(missing)?;
                for key in &path[1..] {
                    value = match value {
                        Value::Object(fields) => fields.get(key),
                        _ => None,
                    }
                    .ok_or_else(|| {
                        ResolveError(format!("template: {} has no attribute {key}", path[0]))
                    })?;
                }
                value.write_into(&mut out);
            }
        }
    }
    Ok(out)
}

fn evaluate(expr: &Expr, scope: &mut Scope) -> Result<Option<Value>, ResolveError> {
    match expr {
        Expr::Literal(value) => Ok(Some(value.clone())),
        Expr::Template(pieces) => fill(pieces, scope).map(|text| Some(Value::String(text))),
        Expr::Ref(name) => Ok(lookup(scope, name).cloned().flatten()),
        Expr::Call(call) => call_function(call, scope),
    }
}

fn call_function(call: &Call, scope: &mut Scope) -> Result<Option<Value>, ResolveError> {
    let mut args = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        args.push(evaluate(arg, scope)?);
    }
    let result = functions::apply(call.function, args)?;
    if let Some(name) = &call.assign {
        if lookup(scope, name).is_some() {
            return Err(ResolveError(format!(
                "Assignment {name} already exists in scoped variables and cannot be overwritten"
            )));
        }
        scope.push((name.clone(), result.clone()));
    }
    Ok(result)
}

/// Whether every condition holds (neither `None` nor `false`), assigning as they go.
fn conditions_hold(conditions: &[Call], scope: &mut Scope) -> Result<bool, ResolveError> {
    for condition in conditions {
        match call_function(condition, scope)? {
            None | Some(Value::Bool(false)) => return Ok(false),
            Some(_) => {}
        }
    }
    Ok(true)
}

/// The first rule that gives an endpoint; an error rule that matches is the error. Each rule
/// sees the scope as it was before it: what its conditions assign is gone for the next one.
fn evaluate_rules(
    rules: &[Rule],
    scope: &mut Scope,
) -> Result<Option<ResolvedEndpoint>, ResolveError> {
    for rule in rules {
        let depth = scope.len();
        let outcome = evaluate_rule(rule, scope);
        scope.truncate(depth);
        if let Some(endpoint) = outcome? {
            return Ok(Some(endpoint));
        }
    }
    Ok(None)
}

fn evaluate_rule(rule: &Rule, scope: &mut Scope) -> Result<Option<ResolvedEndpoint>, ResolveError> {
    match rule {
        Rule::Endpoint {
            conditions,
            url,
            properties,
            headers,
        } => {
            if !conditions_hold(conditions, scope)? {
                return Ok(None);
            }
            let url = match evaluate(url, scope)? {
                Some(Value::String(url)) => url,
                other => {
                    return Err(ResolveError(format!(
                        "the endpoint's URL is not a string: {other:?}"
                    )));
                }
            };
            let mut resolved_properties = serde_json::Map::new();
            for (key, property) in properties {
                resolved_properties.insert(key.clone(), resolve_property(property, scope)?);
            }
            let mut resolved_headers = Vec::new();
            for (name, values) in headers {
                let mut texts = Vec::new();
                for value in values {
                    match evaluate(value, scope)? {
                        Some(Value::String(text)) => texts.push(text),
                        other => {
                            return Err(ResolveError(format!(
                                "header {name} is not a string: {other:?}"
                            )));
                        }
                    }
                }
                resolved_headers.push((name.clone(), texts));
            }
            Ok(Some(ResolvedEndpoint {
                url,
                properties: resolved_properties,
                headers: resolved_headers,
            }))
        }
        Rule::Error {
            conditions,
            message,
        } => {
            if !conditions_hold(conditions, scope)? {
                return Ok(None);
            }
            let message = match evaluate(message, scope)? {
                Some(Value::String(text)) => text,
                other => format!("{other:?}"),
            };
            Err(ResolveError(message))
        }
        Rule::Tree { conditions, rules } => {
            if !conditions_hold(conditions, scope)? {
                return Ok(None);
            }
            evaluate_rules(rules, scope)
        }
    }
}

fn resolve_property(property: &Property, scope: &Scope) -> Result<Json, ResolveError> {
    Ok(match property {
        Property::Json(json) => json.clone(),
        Property::Template(pieces) => Json::String(fill(pieces, scope)?),
        Property::List(items) => Json::Array(
            items
                .iter()
                .map(|item| resolve_property(item, scope))
                .collect::<Result<_, _>>()?,
        ),
        Property::Map(fields) => Json::Object(
            fields
                .iter()
                .map(|(key, value)| Ok((key.clone(), resolve_property(value, scope)?)))
                .collect::<Result<_, ResolveError>>()?,
        ),
    })
}

/// The functions of the rules language, as botocore's `RuleSetStandardLibrary` has them.
mod functions {
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

    use super::{Function, ResolveError, Value};

    /// botocore's `percent_encode`: everything but letters, digits and `-._~`.
    const URI_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');

    /// Python's `urllib.parse.quote` with its default safe `/`.
    const PATH_UNRESERVED: &AsciiSet = &URI_UNRESERVED.remove(b'/');

    pub(super) fn apply(
        function: Function,
        args: Vec<Option<Value>>,
    ) -> Result<Option<Value>, ResolveError> {
        let mut args = args.into_iter();
        let mut next = || args.next().flatten();
        Ok(match function {
            Function::IsSet => Some(Value::Bool(next().is_some())),
            Function::Not => Some(Value::Bool(!truthy(next().as_ref()))),
            Function::BooleanEquals => match (next(), next()) {
                (Some(Value::Bool(a)), Some(Value::Bool(b))) => Some(Value::Bool(a == b)),
                (a, b) => {
                    return Err(ResolveError(format!(
                        "Both arguments must be bools, not {} and {}.",
                        python_type(&a),
                        python_type(&b)
                    )));
                }
            },
            Function::StringEquals => match (next(), next()) {
                (Some(Value::String(a)), Some(Value::String(b))) => Some(Value::Bool(a == b)),
                (a, b) => {
                    return Err(ResolveError(format!(
                        "Both values must be strings, not {} and {}.",
                        python_type(&a),
                        python_type(&b)
                    )));
                }
            },
            Function::GetAttr => {
                let value = next();
                let path = next();
                get_attr(value, path.as_ref().and_then(Value::as_str).unwrap_or(""))?
            }
            Function::Substring => {
                let (value, start, stop, reverse) = (next(), next(), next(), next());
                let Some(Value::String(value)) = value else {
                    return Err(ResolveError(format!(
                        "Input must be a string, not {}.",
                        python_type(&value)
                    )));
                };
                let (Some(Value::Int(start)), Some(Value::Int(stop))) = (start, stop) else {
                    return Err(ResolveError("substring takes integer indexes".into()));
                };
                substring(&value, start, stop, reverse == Some(Value::Bool(true)))
                    .map(Value::String)
            }
            Function::IsValidHostLabel => {
                let (value, subdomains) = (next(), next());
                Some(Value::Bool(
                    value.as_ref().and_then(Value::as_str).is_some_and(|label| {
                        is_valid_host_label(label, subdomains == Some(Value::Bool(true)))
                    }),
                ))
            }
            Function::ParseUrl => next().as_ref().and_then(Value::as_str).and_then(parse_url),
            Function::UriEncode => next()
                .as_ref()
                .and_then(Value::as_str)
                .map(|text| Value::String(utf8_percent_encode(text, URI_UNRESERVED).to_string())),
            Function::Partition => Some(partition(next().as_ref().and_then(Value::as_str))),
            Function::ParseArn => next().as_ref().and_then(Value::as_str).and_then(parse_arn),
            Function::IsVirtualHostableS3Bucket => {
                let (value, subdomains) = (next(), next());
                Some(Value::Bool(
                    value
                        .as_ref()
                        .and_then(Value::as_str)
                        .is_some_and(|bucket| {
                            bucket.chars().count() >= 3
                                && bucket.to_lowercase() == bucket
                                && !is_ipv4(bucket)
                                && is_valid_host_label(
                                    bucket,
                                    subdomains == Some(Value::Bool(true)),
                                )
                        }),
                ))
            }
        })
    }

    /// A value's type as Python prints it, for botocore's messages.
    fn python_type(value: &Option<Value>) -> &'static str {
        match value {
            None => "<class 'NoneType'>",
            Some(Value::String(_)) => "<class 'str'>",
            Some(Value::Bool(_)) => "<class 'bool'>",
            Some(Value::Int(_)) => "<class 'int'>",
            Some(Value::Array(_)) => "<class 'list'>",
            Some(Value::Object(_)) => "<class 'dict'>",
        }
    }

    /// Python's truth of a value.
    fn truthy(value: Option<&Value>) -> bool {
        match value {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(Value::String(text)) => !text.is_empty(),
            Some(Value::Int(number)) => *number != 0,
            Some(Value::Array(items)) => !items.is_empty(),
            Some(Value::Object(fields)) => !fields.is_empty(),
        }
    }

    /// `getAttr`: names separated by `.`, the last of which may end with an index (`a.b[0]`).
    fn get_attr(value: Option<Value>, path: &str) -> Result<Option<Value>, ResolveError> {
        let mut value = value;
        for part in path.split('.') {
            if let Some((name, index)) = indexed(part) {
                if !name.is_empty() {
                    value = match value {
                        Some(Value::Object(mut fields)) => fields.remove(name),
                        _ => None,
                    };
                }
                return Ok(match value {
                    Some(Value::Array(mut items)) if index < items.len() => {
                        Some(items.swap_remove(index))
                    }
                    Some(Value::String(text)) => {
                        text.chars().nth(index).map(|c| Value::String(c.into()))
                    }
                    _ => None,
                });
            }
            value = match value {
                Some(Value::Object(mut fields)) => Some(fields.remove(part).ok_or_else(|| {
                    ResolveError(format!("getAttr: no attribute {part:?} in path {path:?}"))
                })?),
                other => {
                    return Err(ResolveError(format!(
                        "getAttr: {other:?} has no attribute {part:?}"
                    )));
                }
            };
        }
        Ok(value)
    }

    /// `name[index]`, as botocore's `(\w*)\[(\d+)\]` finds it in a part.
    fn indexed(part: &str) -> Option<(&str, usize)> {
        let open = part.find('[')?;
        let close = open + part[open..].find(']')?;
        let index = &part[open + 1..close];
        if index.is_empty() || !index.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let name = &part[..open];
        let word_start = name
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map_or(name.len(), |(at, _)| at);
        Some((&name[word_start..], index.parse().ok()?))
    }

    fn substring(value: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
        if start >= stop || (value.len() as i64) < stop || !value.is_ascii() || start < 0 {
            return None;
        }
        let (start, stop) = (start as usize, stop as usize);
        let (from, to) = match reverse {
            true => (value.len() - stop, value.len() - start),
            false => (start, stop),
        };
        Some(value[from..to].to_owned())
    }

    /// RFC 1123 host labels: 1 to 63 letters, digits and `-`, not starting or ending with
    /// `-`; with `subdomains`, each `.`-separated label.
    pub(super) fn is_valid_host_label(value: &str, subdomains: bool) -> bool {
        if subdomains {
            return value
                .split('.')
                .all(|label| is_valid_host_label(label, false));
        }
        (1..=63).contains(&value.len())
            && value
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-')
    }

    /// botocore's `IPV4_RE`: four groups of one to three digits.
    fn is_ipv4(text: &str) -> bool {
        let groups: Vec<&str> = text.split('.').collect();
        groups.len() == 4
            && groups.iter().all(|group| {
                (1..=3).contains(&group.len()) && group.bytes().all(|byte| byte.is_ascii_digit())
            })
    }

    /// `parseURL`: an `http` or `https` URL without a query, as Python's `urlparse` splits it.
    fn parse_url(url: &str) -> Option<Value> {
        let (scheme, rest) = url.split_once(':')?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        let (authority, after) = match rest.strip_prefix("//") {
            Some(rest) => {
                let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
            None => ("", rest),
        };
        let (before_fragment, _) = after.split_once('#').unwrap_or((after, ""));
        let (path, query) = before_fragment
            .split_once('?')
            .unwrap_or((before_fragment, ""));
        if !query.is_empty() {
            return None;
        }
        let host_port = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let (host, port) = match host_port.strip_prefix('[') {
            Some(bracketed) => {
                let (host, after) = bracketed.split_once(']')?;
                (host, after.strip_prefix(':'))
            }
            None => match host_port.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (host_port, None),
            },
        };
        if let Some(port) = port
            && !port.is_empty()
            && port.parse::<u16>().is_err()
        {
            return None;
        }
        let host = host.to_ascii_lowercase();
        let is_ip = is_ipv4(&host)
            || (host_port.starts_with('[')
                && host
                    .split('%')
                    .next()?
                    .parse::<std::net::Ipv6Addr>()
                    .is_ok());
        let mut normalized =
            utf8_percent_encode(&remove_dot_segments(path), PATH_UNRESERVED).to_string();
        if !normalized.ends_with('/') {
            normalized.push('/');
        }
        let fields = BTreeMap::from([
            ("scheme".to_owned(), Value::String(scheme)),
            ("authority".to_owned(), Value::String(authority.to_owned())),
            ("path".to_owned(), Value::String(path.to_owned())),
            ("normalizedPath".to_owned(), Value::String(normalized)),
            ("isIp".to_owned(), Value::Bool(is_ip)),
        ]);
        Some(Value::Object(fields))
    }

    /// botocore's `normalize_url_path`: dot segments and empty segments removed, the leading
    /// and trailing `/` kept; `/` for an empty path.
    fn remove_dot_segments(path: &str) -> String {
        if path.is_empty() {
            return "/".to_owned();
        }
        let mut kept: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    kept.pop();
                }
                segment => kept.push(segment),
            }
        }
        let first = if path.starts_with('/') { "/" } else { "" };
        let last = if path.ends_with('/') && !kept.is_empty() {
            "/"
        } else {
            ""
        };
        format!("{first}{}{last}", kept.join("/"))
    }

    /// `aws.parseArn`: `arn:partition:service:region:account:resource`, the resource split on
    /// `:` and `/`; `None` unless partition, service and resource are there.
    fn parse_arn(arn: &str) -> Option<Value> {
        if !arn.starts_with("arn:") {
            return None;
        }
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [_, partition, service, region, account, resource] = parts[..] else {
            return None;
        };
        if partition.is_empty() || service.is_empty() || resource.is_empty() {
            return None;
        }
        let resource_id = resource
            .replace(':', "/")
            .split('/')
            .map(|part| Value::String(part.to_owned()))
            .collect();
        let text = |text: &str| Value::String(text.to_owned());
        Some(Value::Object(BTreeMap::from([
            ("partition".to_owned(), text(partition)),
            ("service".to_owned(), text(service)),
            ("region".to_owned(), text(region)),
            ("accountId".to_owned(), text(account)),
            ("resourceId".to_owned(), Value::Array(resource_id)),
        ])))
    }

    /// One partition of `partitions.json`.
    struct Partition {
        regions: Vec<String>,
        region_regex: fancy_regex::Regex,
        outputs: Value,
    }

    /// botocore's `partitions.json`, carried by the runtime.
    const PARTITIONS: &str = include_str!("../data/partitions.json");

    fn partitions() -> &'static [Partition] {
        static PARSED: OnceLock<Vec<Partition>> = OnceLock::new();
        PARSED.get_or_init(|| {
            let json: serde_json::Value =
                serde_json::from_str(PARTITIONS).expect("the runtime's partitions.json is JSON");
            let mut partitions = Vec::new();
            for partition in json["partitions"].as_array().into_iter().flatten() {
                let mut outputs = Value::from_json(&partition["outputs"])
                    .expect("a partition's outputs are values");
                if let (Value::Object(fields), Some(id)) = (&mut outputs, partition["id"].as_str())
                {
                    fields.insert("name".to_owned(), Value::String(id.to_owned()));
                }
                let regex = partition["regionRegex"].as_str().unwrap_or("^$");
                partitions.push(Partition {
                    regions: partition["regions"]
                        .as_object()
                        .map(|regions| regions.keys().cloned().collect())
                        .unwrap_or_default(),
                    region_regex: fancy_regex::Regex::new(regex)
                        .expect("a partition's region pattern compiles"),
                    outputs,
                });
            }
            partitions
        })
    }

    /// `aws.partition`: the first partition that lists the region or whose pattern matches it
    /// (from its start, as Python's `re.match`), else the first partition (`aws`).
    pub(super) fn partition(region: Option<&str>) -> Value {
        let partitions = partitions();
        let matched = region.and_then(|region| {
            partitions.iter().find(|partition| {
                partition.regions.iter().any(|known| known == region)
                    || matches!(partition.region_regex.find(region), Ok(Some(found)) if found.start() == 0)
            })
        });
        matched
            .or(partitions.first())
            .map(|partition| partition.outputs.clone())
            .unwrap_or(Value::Object(BTreeMap::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(rules: &str, values: &[(&str, Value)]) -> Result<ResolvedEndpoint, ResolveError> {
        let set = RuleSet::parse(rules).expect("the rule set parses");
        let values = values
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect();
        set.resolve(&values)
    }

    const REGIONAL: &str = r#"{
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "type": "tree", "rules": [
                {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                 "type": "error", "error": "Invalid Configuration: FIPS and custom endpoint are not supported"},
                {"conditions": [], "type": "endpoint", "endpoint": {"url": {"ref": "Endpoint"}}}
             ]},
            {"conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
             ],
             "type": "tree", "rules": [
                {"conditions": [{"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "name"]}, "aws"]},
                                {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, false]},
                                {"fn": "stringEquals", "argv": [{"ref": "Region"}, "eu-west-1"]}],
                 "type": "endpoint",
                 "endpoint": {"url": "https://global.{PartitionResult#dnsSuffix}",
                              "properties": {"authSchemes": [{"name": "sigv4a"}, {"name": "sigv4", "signingRegion": "us-east-1", "signingName": "{Region}x"}]},
                              "headers": {"x-a": ["{Region}", "b"]}}},
                {"conditions": [], "type": "endpoint",
                 "endpoint": {"url": "https://svc{{}}.{Region}.{PartitionResult#dnsSuffix}"}}
             ]},
            {"conditions": [], "type": "error", "error": "Invalid Configuration: Missing Region"}
        ]
    }"#;

    #[test]
    fn rules_decide_in_order_with_their_own_variables() {
        let global = resolve(REGIONAL, &[("Region", "eu-west-1".into())]).unwrap();
        assert_eq!(global.url, "https://global.amazonaws.com");
        assert_eq!(
            global.headers,
            vec![(
                "x-a".to_owned(),
                vec!["eu-west-1".to_owned(), "b".to_owned()]
            )]
        );
        assert_eq!(
            global.auth_scheme(),
            AuthScheme::SigV4 {
                signing_region: Some("us-east-1".into()),
                signing_name: Some("eu-west-1x".into())
            }
        );
        let china = resolve(REGIONAL, &[("Region", "cn-north-1".into())]).unwrap();
        assert_eq!(china.url, "https://svc{}.cn-north-1.amazonaws.com.cn");
        let custom = resolve(
            REGIONAL,
            &[
                ("Endpoint", "http://127.0.0.1:1".into()),
                ("Region", "x".into()),
            ],
        )
        .unwrap();
        assert_eq!(custom.url, "http://127.0.0.1:1");
        let both = resolve(
            REGIONAL,
            &[("Endpoint", "http://h".into()), ("UseFIPS", true.into())],
        );
        assert_eq!(
            both.unwrap_err().0,
            "Invalid Configuration: FIPS and custom endpoint are not supported"
        );
        assert_eq!(
            resolve(REGIONAL, &[]).unwrap_err().0,
            "Invalid Configuration: Missing Region"
        );
        let wrong = resolve(REGIONAL, &[("UseFIPS", "yes".into())]).unwrap_err();
        assert!(wrong.0.contains("UseFIPS"), "{wrong}");
    }

    #[test]
    fn partitions_are_matched_by_list_then_pattern_else_aws() {
        let name = |region: Option<&str>| match functions::partition(region) {
            Value::Object(fields) => fields["name"].clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(name(Some("us-gov-west-1")), "aws-us-gov".into());
        assert_eq!(name(Some("us-isob-east-1")), "aws-iso-b".into());
        assert_eq!(name(Some("eusc-de-east-1")), "aws-eusc".into());
        assert_eq!(name(Some("aws-global")), "aws".into());
        assert_eq!(name(Some("mars-north-1")), "aws".into());
        assert_eq!(name(None), "aws".into());
        assert_eq!(dns_suffix("us-isob-east-1"), "sc2s.sgov.gov");
        assert_eq!(dns_suffix("eusc-de-east-1"), "amazonaws.eu");
        assert_eq!(dns_suffix("cn-north-1"), "amazonaws.com.cn");
    }

    #[test]
    fn bad_rule_sets_are_refused_with_where() {
        let error = RuleSet::parse(
            r#"{"parameters": {}, "rules": [{"type": "tree", "conditions": [], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "frobnicate", "argv": []}], "endpoint": {"url": "x"}}]}]}"#,
        )
        .unwrap_err();
        assert_eq!(error.path, ".rules[0].rules[0].conditions[0]");
        assert!(error.message.contains("frobnicate"), "{error}");
        let arity = RuleSet::parse(
            r#"{"parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "not", "argv": [true, false]}], "error": "e"}]}"#,
        )
        .unwrap_err();
        assert!(arity.message.contains("takes 1 arguments"), "{arity}");
        assert!(RuleSet::parse("[").is_err());
        assert!(RuleSet::parse(r#"{"parameters": {"A": {"type": "Int"}}, "rules": []}"#).is_err());
        let template = RuleSet::parse(
            r#"{"parameters": {}, "rules": [{"type": "error", "conditions": [], "error": "a {b"}]}"#,
        );
        assert!(
            template.is_ok(),
            "not a template: botocore leaves it as text"
        );
        let unclosed = RuleSet::parse(
            r#"{"parameters": {}, "rules": [{"type": "error", "conditions": [], "error": "{a} {b"}]}"#,
        )
        .unwrap_err();
        assert!(unclosed.message.contains("not closed"), "{unclosed}");
    }

    #[test]
    fn what_the_rules_read_is_known() {
        let set = RuleSet::parse(REGIONAL).unwrap();
        assert!(set.reads("Region") && set.reads("UseFIPS") && set.reads("PartitionResult"));
        assert!(!set.reads("Bucket"));
    }

    #[test]
    fn no_matching_rule_names_the_parameters() {
        let set = r#"{"parameters": {"Region": {"type": "string"}}, "rules": [
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "endpoint": {"url": "x"}}]}"#;
        let error = resolve(set, &[("Region", "r".into())]).unwrap_err();
        assert_eq!(error.0, "No endpoint found for parameters:\nRegion: \"r\"");
    }

    fn call(function: Function, args: Vec<Option<Value>>) -> Option<Value> {
        functions::apply(function, args).unwrap()
    }

    fn text(value: &str) -> Option<Value> {
        Some(Value::String(value.to_owned()))
    }

    #[test]
    fn functions_behave_as_botocore_s() {
        let url = call(
            Function::ParseUrl,
            vec![text("https://Example.com:8443/a/./b//../c")],
        );
        let Some(Value::Object(url)) = url else {
            panic!("parsed")
        };
        assert_eq!(url["authority"], "Example.com:8443".into());
        assert_eq!(url["path"], "/a/./b//../c".into());
        assert_eq!(url["normalizedPath"], "/a/c/".into());
        assert_eq!(url["isIp"], false.into());
        let Some(Value::Object(ip)) = call(Function::ParseUrl, vec![text("http://[::1]:80")])
        else {
            panic!("parsed")
        };
        assert_eq!(ip["isIp"], true.into());
        assert_eq!(ip["normalizedPath"], "/".into());
        assert_eq!(call(Function::ParseUrl, vec![text("https://h/?a=b")]), None);
        assert_eq!(call(Function::ParseUrl, vec![text("ftp://h/")]), None);
        assert_eq!(call(Function::ParseUrl, vec![text("https://h:x/")]), None);

        let arn = call(
            Function::ParseArn,
            vec![text("arn:aws:s3:us-west-2:123456789012:accesspoint/my:ap")],
        );
        let Some(Value::Object(arn)) = arn else {
            panic!("parsed")
        };
        assert_eq!(arn["accountId"], "123456789012".into());
        assert_eq!(
            arn["resourceId"],
            Value::Array(vec!["accesspoint".into(), "my".into(), "ap".into()])
        );
        assert_eq!(call(Function::ParseArn, vec![text("arn:aws:s3:::")]), None);
        assert_eq!(call(Function::ParseArn, vec![text("arn:aws:s3")]), None);

        let get =
            |value: Option<Value>, path: &str| call(Function::GetAttr, vec![value, text(path)]);
        assert_eq!(
            get(Some(Value::Object(arn.clone())), "resourceId[1]"),
            text("my")
        );
        assert_eq!(get(Some(Value::Object(arn)), "resourceId[9]"), None);

        assert_eq!(
            call(
                Function::Substring,
                vec![
                    text("abcdef"),
                    Some(Value::Int(0)),
                    Some(Value::Int(2)),
                    Some(false.into())
                ]
            ),
            text("ab")
        );
        assert_eq!(
            call(
                Function::Substring,
                vec![
                    text("abcdef"),
                    Some(Value::Int(0)),
                    Some(Value::Int(2)),
                    Some(true.into())
                ]
            ),
            text("ef")
        );
        assert_eq!(
            call(
                Function::Substring,
                vec![
                    text("ab"),
                    Some(Value::Int(0)),
                    Some(Value::Int(3)),
                    Some(false.into())
                ]
            ),
            None
        );
        assert_eq!(
            call(Function::UriEncode, vec![text("a b/c~")]),
            text("a%20b%2Fc~")
        );
        let host = |label: &str, sub: bool| {
            call(
                Function::IsValidHostLabel,
                vec![text(label), Some(sub.into())],
            )
        };
        assert_eq!(host("a-b", false), Some(true.into()));
        assert_eq!(host("a.b", false), Some(false.into()));
        assert_eq!(host("a.b", true), Some(true.into()));
        assert_eq!(host("-a", false), Some(false.into()));
        let bucket = |name: &str| {
            call(
                Function::IsVirtualHostableS3Bucket,
                vec![text(name), Some(false.into())],
            )
        };
        assert_eq!(bucket("my-bucket"), Some(true.into()));
        assert_eq!(bucket("My-bucket"), Some(false.into()));
        assert_eq!(bucket("ab"), Some(false.into()));
        assert_eq!(bucket("1.2.3.4"), Some(false.into()));
        assert_eq!(call(Function::Not, vec![None]), Some(true.into()));
        assert_eq!(call(Function::IsSet, vec![None]), Some(false.into()));
        assert!(functions::apply(Function::BooleanEquals, vec![None, Some(true.into())]).is_err());
    }
}
