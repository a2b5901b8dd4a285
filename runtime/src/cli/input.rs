//! Command-line input (feature `cli`): option values read the way the AWS CLI reads them,
//! `--cli-input-json`/`--cli-input-yaml`, the required and constraint checks with messages that
//! name the option, and skeletons.

use clap::ArgMatches;
use clap::parser::ValueSource;
use serde_json::{Map, Value};

use crate::cli::{Command, Kind, Member, Tool};
use crate::dynamic::InputError as CheckError;

/// Why the options could not be read.
#[derive(Debug)]
pub(crate) enum InputError {
    /// An option's value is not what its member takes.
    Usage(String),
    /// A `file://` or `fileb://` file could not be read: the AWS CLI raises this while it loads
    /// the argument, before it checks any, and exits as a failed call does.
    File {
        /// The option, without its dashes.
        option: String,
        /// The AWS CLI's words for what went wrong.
        message: String,
    },
}

impl From<String> for InputError {
    fn from(message: String) -> Self {
        InputError::Usage(message)
    }
}

/// The operation's parameters in botocore form: `--cli-input-json` (or YAML) first, then every
/// option given on the command line over it.
pub(crate) fn params(
    tool: &Tool,
    command: &Command,
    matches: &ArgMatches,
) -> Result<Value, InputError> {
    let mut params = Map::new();
    if let Some(text) = matches.get_one::<String>("cli-input-json") {
        let text = resolve_file("cli-input-json", text)?;
        params = match serde_json::from_str(&text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => return Err("--cli-input-json: expected a JSON object".to_owned().into()),
            Err(error) => return Err(format!("--cli-input-json: invalid JSON: {error}").into()),
        };
    }
    if let Some(text) = matches.get_one::<String>("cli-input-yaml") {
        let text = resolve_file("cli-input-yaml", text)?;
        params = match serde_norway::from_str(&text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                return Err("--cli-input-yaml: expected a YAML mapping"
                    .to_owned()
                    .into());
            }
            Err(error) => return Err(format!("--cli-input-yaml: invalid YAML: {error}").into()),
        };
    }
    let Some(input) = command.input else {
        return Ok(Value::Object(params));
    };
    let Kind::Structure { members, .. } = &tool.shapes[input].kind else {
        return Ok(Value::Object(params));
    };
    for member in *members {
        if let Some(value) = option_value(tool, member, matches)? {
            params.insert(member.name.to_owned(), value);
        }
    }
    Ok(Value::Object(params))
}

fn given(matches: &ArgMatches, id: &str) -> bool {
    matches!(matches.value_source(id), Some(ValueSource::CommandLine))
}

/// The value of one member's option, if it was given.
fn option_value(
    tool: &Tool,
    member: &Member,
    matches: &ArgMatches,
) -> Result<Option<Value>, InputError> {
    let option = member.option;
    if let Kind::Boolean = tool.shapes[member.shape].kind {
        let negative = format!("no-{option}");
        return Ok(if given(matches, member.name) {
            Some(Value::Bool(true))
        } else if given(matches, &negative) {
            Some(Value::Bool(false))
        } else {
            None
        });
    }
    let Some(values) = matches.get_many::<String>(member.name) else {
        return Ok(None);
    };
    let mut tokens = Vec::new();
    let mut files = Vec::new();
    for value in values {
        match value.strip_prefix("fileb://") {
            Some(path) => files.push(read_file(option, value, path)?),
            None => tokens.push(resolve_file(option, value)?),
        }
    }
    if files.is_empty() {
        return Ok(Some(convert(tool, member.shape, &tokens, option)?));
    }
    // `fileb://` gives bytes, which JSON cannot hold as text: a blob takes them in base64.
    let blob = |bytes: Vec<u8>| crate::params::blob_value(&bytes);
    match &tool.shapes[member.shape].kind {
        Kind::Blob if tokens.is_empty() && files.len() == 1 => Ok(files.pop().map(blob)),
        Kind::List { item }
            if tokens.is_empty() && matches!(tool.shapes[*item].kind, Kind::Blob) =>
        {
            Ok(Some(Value::Array(files.into_iter().map(blob).collect())))
        }
        _ => Err(format!(
            "--{option}: fileb:// gives bytes, which only a blob (or a list of blobs given \
             as files alone) takes; use file:// for text"
        )
        .into()),
    }
}

/// `file://path` reads the value from a file, as the AWS CLI does for every option.
fn resolve_file(option: &str, value: &str) -> Result<String, InputError> {
    let Some(path) = value.strip_prefix("file://") else {
        return Ok(value.to_owned());
    };
    let bytes = read_file(option, value, path)?;
    String::from_utf8(bytes).map_err(|_| InputError::File {
        option: option.to_owned(),
        message: format!(
            "Unable to load paramfile ({}), text contents could not be decoded.  If this is \
             a binary file, please use the fileb:// prefix instead of the file:// prefix.",
            expand_path(path)
        ),
    })
}

/// The bytes of the file `path` (given as `value`), as the AWS CLI reads a `file://` or
/// `fileb://` argument.
fn read_file(option: &str, value: &str, path: &str) -> Result<Vec<u8>, InputError> {
    std::fs::read(expand_path(path)).map_err(|error| InputError::File {
        option: option.to_owned(),
        message: format!("Unable to load paramfile {value}: {error}"),
    })
}

/// A path with its environment variables and leading `~` expanded, in the AWS CLI's order.
fn expand_path(path: &str) -> String {
    expand_home(&expand_variables(path))
}

/// Python's `os.path.expandvars`: `$NAME` and `${NAME}` replaced by the variable's value when it
/// is set, left as written when not.
fn expand_variables(path: &str) -> String {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut expanded = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(at) = rest.find('$') {
        expanded.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, written) = match after.strip_prefix('{') {
            Some(braced) => match braced.find('}') {
                Some(end) => (&braced[..end], &rest[at..at + end + 3]),
                None => ("", "$"),
            },
            None => {
                let end = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
                (&after[..end], &rest[at..at + end + 1])
            }
        };
        match std::env::var(name) {
            Ok(value) if !name.is_empty() => expanded.push_str(&value),
            _ => expanded.push_str(written),
        }
        rest = &rest[at + written.len()..];
    }
    expanded.push_str(rest);
    expanded
}

/// Python's `os.path.expanduser` for the current user: a leading `~` (alone or before `/`) is
/// `$HOME`.
fn expand_home(path: &str) -> String {
    match (path.strip_prefix('~'), std::env::var("HOME")) {
        (Some(rest), Ok(home)) if rest.is_empty() || rest.starts_with('/') => home + rest,
        _ => path.to_owned(),
    }
}

/// The tokens given to one option, read as a value of `shape`.
fn convert(tool: &Tool, shape: usize, tokens: &[String], option: &str) -> Result<Value, String> {
    let first = tokens.first().map(String::as_str).unwrap_or("");
    match &tool.shapes[shape].kind {
        Kind::List { item } => {
            if tokens.len() == 1 && first.trim_start().starts_with('[') {
                return json(option, first);
            }
            let mut items = Vec::new();
            for token in tokens {
                items.push(convert(tool, *item, std::slice::from_ref(token), option)?);
            }
            Ok(Value::Array(items))
        }
        Kind::Structure { .. } | Kind::Map { .. } => {
            if first.trim_start().starts_with('{') {
                return json(option, first);
            }
            let parsed = shorthand::parse(first)
                .map_err(|error| format!("--{option}: invalid shorthand syntax: {error}"))?;
            coerce(tool, shape, parsed).map_err(|error| format!("--{option}: {error}"))
        }
        Kind::Document => json(option, first),
        // Numbers, booleans and strings read as a shorthand scalar does.
        _ => coerce(tool, shape, shorthand::Value::Text(first.to_owned()))
            .map_err(|error| format!("--{option}: {error}")),
    }
}

fn json(option: &str, text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|error| format!("--{option}: invalid JSON: {error}"))
}

/// Types a shorthand value by the shape it is given for: numbers and booleans parsed, a single
/// value where a list is expected made a list of one.
fn coerce(tool: &Tool, shape: usize, value: shorthand::Value) -> Result<Value, String> {
    use shorthand::Value as Sh;
    let scalar = |value: Sh| match value {
        Sh::Text(text) => Ok(text),
        _ => Err(format!(
            "expected a single value for {}",
            tool.shapes[shape].name
        )),
    };
    match &tool.shapes[shape].kind {
        Kind::Structure { members, .. } => match value {
            Sh::Pairs(pairs) => {
                let mut object = Map::new();
                for (key, value) in pairs {
                    let value = match members.iter().find(|member| member.name == key) {
                        Some(member) => coerce(tool, member.shape, value)
                            .map_err(|error| format!("{key}: {error}"))?,
                        // Left for the parameter check to report with the known names.
                        None => value.into_json(),
                    };
                    object.insert(key, value);
                }
                Ok(Value::Object(object))
            }
            _ => Err("expected Key=Value pairs".to_owned()),
        },
        Kind::Map { value: item, .. } => match value {
            Sh::Pairs(pairs) => {
                let mut object = Map::new();
                for (key, value) in pairs {
                    let value =
                        coerce(tool, *item, value).map_err(|error| format!("{key}: {error}"))?;
                    object.insert(key, value);
                }
                Ok(Value::Object(object))
            }
            _ => Err("expected Key=Value pairs".to_owned()),
        },
        Kind::List { item } => match value {
            Sh::List(items) => items
                .into_iter()
                .map(|value| coerce(tool, *item, value))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            single => Ok(Value::Array(vec![coerce(tool, *item, single)?])),
        },
        Kind::Integer | Kind::Long => {
            let text = scalar(value)?;
            text.trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| format!("expected an integer, got {text:?}"))
        }
        Kind::Float | Kind::Double => {
            let text = scalar(value)?;
            text.trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| format!("expected a number, got {text:?}"))
        }
        Kind::Boolean => {
            let text = scalar(value)?;
            match text.to_ascii_lowercase().as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(format!("expected true or false, got {text:?}")),
            }
        }
        Kind::Document => Err("document values take JSON, not shorthand".to_owned()),
        Kind::String { .. } | Kind::Timestamp | Kind::Blob => scalar(value).map(Value::String),
    }
}

/// The options of required members that the parameters leave unset.
pub(crate) fn missing_required(tool: &Tool, input: usize, params: &Value) -> Vec<String> {
    let Kind::Structure { members, .. } = &tool.shapes[input].kind else {
        return Vec::new();
    };
    members
        .iter()
        .filter(|member| member.required)
        .filter(|member| params.get(member.name).is_none_or(Value::is_null))
        .map(|member| format!("--{}", member.option))
        .collect()
}

/// Reads the parameters into the operation's input and runs its validators, before anything
/// is sent. Messages name the option (`--contact-id`) and the constraint.
pub(crate) fn check(tool: &Tool, command: &Command, params: &Value) -> Result<(), String> {
    let option = |path: &str| option_for_path(tool, command, path);
    match tool.operations.check_input(command.operation, params) {
        Ok(()) => Ok(()),
        Err(CheckError::Params(error)) => Err(format!(
            "Parameter validation failed:\nInvalid value for {}: {}",
            option(&error.path),
            error.message
        )),
        Err(CheckError::Invalid(error)) => {
            let mut message = String::from("Parameter validation failed:");
            for violation in error.violations() {
                let text = violation.to_string();
                let detail = text
                    .strip_prefix(violation.path())
                    .map(|rest| rest.trim_start_matches(": "))
                    .unwrap_or(&text);
                message.push_str(&format!(
                    "\nInvalid value for {}: {detail}",
                    option(violation.path())
                ));
            }
            Err(message)
        }
        Err(CheckError::UnknownOperation(name)) => Err(format!("unknown operation {name}")),
    }
}

/// `InstanceId` → `--instance-id`; `Steps[2].Expression` → `--routing-criteria (at Steps[2]...)`.
fn option_for_path(tool: &Tool, command: &Command, path: &str) -> String {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    let (name, rest) = path.split_at(end);
    let member = command
        .input
        .and_then(|input| match &tool.shapes[input].kind {
            Kind::Structure { members, .. } => members.iter().find(|member| member.name == name),
            _ => None,
        });
    match (member, rest) {
        (Some(member), "") => format!("--{}", member.option),
        (Some(member), rest) => format!("--{} (at {name}{rest})", member.option),
        (None, _) if path.is_empty() => "the input".to_owned(),
        (None, _) => format!("parameter {path}"),
    }
}

/// A sample value of `shape`, as botocore's `ArgumentGenerator` makes them: every member, one
/// list item, one map entry `KeyName`, `{}` where a structure recurs. Inputs get empty strings
/// (an enum's first value: the AWS CLI picks one at random), outputs the member names.
pub(crate) fn skeleton(tool: &Tool, shape: usize, member_names: bool) -> Value {
    let mut stack = Vec::new();
    sample(tool, shape, "", member_names, &mut stack)
}

fn sample(
    tool: &Tool,
    shape: usize,
    name: &str,
    member_names: bool,
    stack: &mut Vec<usize>,
) -> Value {
    stack.push(shape);
    let value = match &tool.shapes[shape].kind {
        Kind::Structure { members, .. } => {
            if stack.iter().filter(|&&seen| seen == shape).count() > 1 {
                Value::Object(Map::new())
            } else {
                let mut object = Map::new();
                for member in *members {
                    let value = sample(tool, member.shape, member.name, member_names, stack);
                    object.insert(member.name.to_owned(), value);
                }
                Value::Object(object)
            }
        }
        Kind::Document => Value::Object(Map::new()),
        Kind::List { item } => {
            let name = if member_names {
                tool.shapes[*item].name
            } else {
                ""
            };
            Value::Array(vec![sample(tool, *item, name, member_names, stack)])
        }
        Kind::Map { value, .. } => {
            let mut object = Map::new();
            object.insert(
                "KeyName".to_owned(),
                sample(tool, *value, "", member_names, stack),
            );
            Value::Object(object)
        }
        Kind::String { enum_values } => {
            if member_names {
                Value::String(name.to_owned())
            } else {
                Value::String(enum_values.first().copied().unwrap_or("").to_owned())
            }
        }
        Kind::Integer | Kind::Long => Value::from(0),
        Kind::Float | Kind::Double => Value::from(0.0),
        Kind::Boolean => Value::Bool(true),
        Kind::Timestamp => Value::String("1970-01-01T00:00:00".to_owned()),
        Kind::Blob => Value::Null,
    };
    stack.pop();
    value
}

/// The AWS CLI's shorthand syntax: `Key=Value,Key2=Value2`, `Key=a,b,c` (a list),
/// `Key=[a,b]`, `Key={Inner=x}`, quoted values and `\,` escapes.
pub(crate) mod shorthand {
    use std::fmt;

    /// A parsed value, untyped until it meets its shape.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Value {
        Text(String),
        List(Vec<Value>),
        Pairs(Vec<(String, Value)>),
    }

    impl Value {
        /// The value as JSON strings, lists and objects.
        pub(crate) fn into_json(self) -> serde_json::Value {
            match self {
                Value::Text(text) => serde_json::Value::String(text),
                Value::List(items) => {
                    serde_json::Value::Array(items.into_iter().map(Value::into_json).collect())
                }
                Value::Pairs(pairs) => serde_json::Value::Object(
                    pairs
                        .into_iter()
                        .map(|(key, value)| (key, value.into_json()))
                        .collect(),
                ),
            }
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) struct Error {
        pub(crate) message: String,
        /// Character offset in the input.
        pub(crate) at: usize,
    }

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{} at character {}", self.message, self.at)
        }
    }

    /// Parses `Key=Value,...`.
    pub(crate) fn parse(text: &str) -> Result<Value, Error> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        let pairs = parser.pairs(None)?;
        parser.skip_spaces();
        if parser.at < parser.chars.len() {
            return Err(parser.error(format!("unexpected {:?}", parser.chars[parser.at])));
        }
        Ok(Value::Pairs(pairs))
    }

    struct Parser {
        chars: Vec<char>,
        at: usize,
    }

    impl Parser {
        fn error(&self, message: impl Into<String>) -> Error {
            Error {
                message: message.into(),
                at: self.at,
            }
        }

        fn peek(&self) -> Option<char> {
            self.chars.get(self.at).copied()
        }

        fn skip_spaces(&mut self) {
            while self.peek().is_some_and(char::is_whitespace) {
                self.at += 1;
            }
        }

        fn expect(&mut self, wanted: char) -> Result<(), Error> {
            self.skip_spaces();
            if self.peek() == Some(wanted) {
                self.at += 1;
                Ok(())
            } else {
                Err(self.error(format!("expected {wanted:?}")))
            }
        }

        /// `key=values` separated by commas, up to the end or `close`.
        fn pairs(&mut self, close: Option<char>) -> Result<Vec<(String, Value)>, Error> {
            let mut pairs = Vec::new();
            loop {
                self.skip_spaces();
                if close.is_some() && self.peek() == close {
                    return Ok(pairs);
                }
                let key = self.key()?;
                self.expect('=')?;
                let value = self.values(close)?;
                pairs.push((key, value));
                self.skip_spaces();
                match self.peek() {
                    Some(',') => self.at += 1,
                    None if close.is_none() => return Ok(pairs),
                    Some(c) if Some(c) == close => return Ok(pairs),
                    Some(c) => return Err(self.error(format!("unexpected {c:?}"))),
                    None => return Err(self.error(format!("expected {:?}", close.unwrap_or(',')))),
                }
            }
        }

        fn key(&mut self) -> Result<String, Error> {
            self.skip_spaces();
            let start = self.at;
            while let Some(c) = self.peek() {
                if matches!(c, '=' | ',' | '[' | ']' | '{' | '}') {
                    break;
                }
                self.at += 1;
            }
            let key: String = self.chars[start..self.at].iter().collect();
            let key = key.trim().to_owned();
            if key.is_empty() {
                return Err(self.error("expected a key"));
            }
            Ok(key)
        }

        /// A value after `=`: a list, a hash, or one value followed by more comma-separated
        /// values that are not themselves `key=` (then the values form a list).
        fn values(&mut self, close: Option<char>) -> Result<Value, Error> {
            self.skip_spaces();
            match self.peek() {
                Some('[') => return self.list(),
                Some('{') => return self.hash(),
                _ => {}
            }
            let first = self.value(close)?;
            let mut items = vec![first];
            while self.peek() == Some(',') && !self.next_is_key() {
                self.at += 1;
                items.push(self.value(close)?);
            }
            Ok(if items.len() == 1 {
                items.pop().expect("one item")
            } else {
                Value::List(items)
            })
        }

        /// After a comma: does a `key=` follow (a new pair), rather than another value?
        fn next_is_key(&self) -> bool {
            let mut at = self.at + 1;
            while let Some(&c) = self.chars.get(at) {
                match c {
                    '=' => return true,
                    ',' | '[' | ']' | '{' | '}' | '\'' | '"' => return false,
                    _ => at += 1,
                }
            }
            false
        }

        fn list(&mut self) -> Result<Value, Error> {
            self.expect('[')?;
            let mut items = Vec::new();
            loop {
                self.skip_spaces();
                if self.peek() == Some(']') {
                    self.at += 1;
                    return Ok(Value::List(items));
                }
                let item = match self.peek() {
                    Some('[') => self.list()?,
                    Some('{') => self.hash()?,
                    _ => self.value(Some(']'))?,
                };
                items.push(item);
                self.skip_spaces();
                match self.peek() {
                    Some(',') => self.at += 1,
                    Some(']') => {}
                    _ => return Err(self.error("expected ',' or ']'")),
                }
            }
        }

        fn hash(&mut self) -> Result<Value, Error> {
            self.expect('{')?;
            let pairs = self.pairs(Some('}'))?;
            self.expect('}')?;
            Ok(Value::Pairs(pairs))
        }

        /// One scalar: quoted, or a word up to a comma or the closing bracket, with `\,`.
        fn value(&mut self, close: Option<char>) -> Result<Value, Error> {
            self.skip_spaces();
            if let Some(quote @ ('\'' | '"')) = self.peek() {
                self.at += 1;
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error(format!("unterminated {quote} quote"))),
                        Some('\\') if self.chars.get(self.at + 1) == Some(&quote) => {
                            text.push(quote);
                            self.at += 2;
                        }
                        Some(c) if c == quote => {
                            self.at += 1;
                            return Ok(Value::Text(text));
                        }
                        Some(c) => {
                            text.push(c);
                            self.at += 1;
                        }
                    }
                }
            }
            let mut text = String::new();
            while let Some(c) = self.peek() {
                if c == ',' || Some(c) == close {
                    break;
                }
                if c == '\\' && self.chars.get(self.at + 1) == Some(&',') {
                    text.push(',');
                    self.at += 2;
                    continue;
                }
                text.push(c);
                self.at += 1;
            }
            Ok(Value::Text(text.trim_end().to_owned()))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::{Value, parse};

        fn text(value: &str) -> Value {
            Value::Text(value.to_owned())
        }

        #[test]
        fn reads_the_aws_cli_forms() {
            assert_eq!(
                parse("Key=k1,Value=v1").unwrap(),
                Value::Pairs(vec![
                    ("Key".into(), text("k1")),
                    ("Value".into(), text("v1"))
                ])
            );
            assert_eq!(
                parse("Ids=a,b,c,Name=x").unwrap(),
                Value::Pairs(vec![
                    (
                        "Ids".into(),
                        Value::List(vec![text("a"), text("b"), text("c")])
                    ),
                    ("Name".into(), text("x")),
                ])
            );
            assert_eq!(
                parse("A=[1,2],B={C=d,E='x,y'},F=a\\,b").unwrap(),
                Value::Pairs(vec![
                    ("A".into(), Value::List(vec![text("1"), text("2")])),
                    (
                        "B".into(),
                        Value::Pairs(vec![("C".into(), text("d")), ("E".into(), text("x,y"))])
                    ),
                    ("F".into(), text("a,b")),
                ])
            );
            assert!(parse("Key").is_err());
            assert!(parse("A=[1,2").is_err());
            assert!(parse("A={B=c").is_err());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{expand_home, expand_variables};

    #[test]
    fn paths_expand_as_python_expands_them() {
        // Tests cannot set variables (no unsafe code here): HOME is the one that is set, and a
        // name nobody sets the one that is not.
        let Ok(home) = std::env::var("HOME") else {
            return;
        };
        assert_eq!(expand_variables("$HOME/a.bin"), format!("{home}/a.bin"));
        assert_eq!(expand_variables("${HOME}x"), format!("{home}x"));
        let unset = "$AWS_CLI_INPUT_UNSET_7F3A/${AWS_CLI_INPUT_UNSET_7F3A}";
        assert_eq!(expand_variables(unset), unset);
        assert_eq!(expand_variables("a$/b${}c${d"), "a$/b${}c${d");
        assert_eq!(expand_variables("100$"), "100$");
        assert_eq!(expand_home("~/x.json"), format!("{home}/x.json"));
        assert_eq!(expand_home("~"), home);
        assert_eq!(expand_home("~other/x"), "~other/x");
        assert_eq!(expand_home("a/~/x"), "a/~/x");
    }
}
