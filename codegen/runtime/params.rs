//! The botocore form of values: JSON keyed by member names (not wire names), every member
//! (URI, header and query members too), timestamps as epoch seconds or ISO 8601 text. It is what
//! boto3 users pass as parameters and get back as results, what the AWS CLI reads from
//! `--cli-input-json` and prints, and what botocore's protocol tests are written in; operations
//! called by name (the `dynamic` feature) speak it.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use super::client::Operation;
use super::validate::Path;
use super::{DateTime, Document, UnknownMember};

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimestampStyle {
    /// Seconds since the epoch, as a number (botocore's test suites).
    #[default]
    EpochSeconds,
    /// ISO 8601 with an offset, `2023-11-14T22:13:20.123000+00:00` (the AWS CLI).
    Iso8601,
}

/// A value that does not fit the shape it is given for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    /// Where, as in validation messages (`Tags["k"]`, `Steps[2].Expression`); empty for the
    /// value itself.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ParamsError {}

pub(crate) fn error(path: &Path<'_>, message: impl Into<String>) -> ParamsError {
    ParamsError {
        path: path.to_string(),
        message: message.into(),
    }
}

fn expected(path: &Path<'_>, what: &str, value: &Value) -> ParamsError {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    error(path, format!("expected {what}, found {found}"))
}

/// A value in botocore form.
pub(crate) trait Params: Sized {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError>;
    fn to_params(&self, style: TimestampStyle) -> Value;
}

impl Params for String {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(expected(path, "a string", other)),
        }
    }

    fn to_params(&self, _: TimestampStyle) -> Value {
        Value::String(self.clone())
    }
}

impl Params for bool {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Bool(flag) => Ok(*flag),
            other => Err(expected(path, "a boolean", other)),
        }
    }

    fn to_params(&self, _: TimestampStyle) -> Value {
        Value::Bool(*self)
    }
}

impl Params for i64 {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Number(number) => number
                .as_i64()
                .ok_or_else(|| error(path, format!("expected an integer, found {number}"))),
            other => Err(expected(path, "an integer", other)),
        }
    }

    fn to_params(&self, _: TimestampStyle) -> Value {
        Value::from(*self)
    }
}

impl Params for i32 {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        let wide = i64::from_params(value, path)?;
        i32::try_from(wide).map_err(|_| error(path, format!("{wide} does not fit in 32 bits")))
    }

    fn to_params(&self, _: TimestampStyle) -> Value {
        Value::from(*self)
    }
}

impl Params for f64 {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Number(number) => number
                .as_f64()
                .ok_or_else(|| error(path, "expected a number")),
            Value::String(text) => match text.as_str() {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => Err(error(path, format!("expected a number, found {text:?}"))),
            },
            other => Err(expected(path, "a number", other)),
        }
    }

    fn to_params(&self, _: TimestampStyle) -> Value {
        match serde_json::Number::from_f64(*self) {
            Some(number) => Value::Number(number),
            None if self.is_nan() => Value::from("NaN"),
            None if *self > 0.0 => Value::from("Infinity"),
            None => Value::from("-Infinity"),
        }
    }
}

impl Params for f32 {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        f64::from_params(value, path).map(|wide| wide as f32)
    }

    fn to_params(&self, style: TimestampStyle) -> Value {
        if self.is_finite() {
            // Through the shortest decimal text, so 1.1f32 is written 1.1.
            self.to_string()
                .parse::<f64>()
                .map_or(Value::Null, |wide| wide.to_params(style))
        } else {
            f64::from(*self).to_params(style)
        }
    }
}

impl Params for DateTime {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Number(number) => super::time::parse_epoch_seconds(&number.to_string())
                .ok_or_else(|| error(path, format!("{number} is not a timestamp"))),
            Value::String(text) => super::time::parse_epoch_seconds(text)
                .map(Ok)
                .unwrap_or_else(|| super::time::parse_iso8601(text))
                .or_else(|_| super::time::parse_http_date(text))
                .or_else(|_| parse_naive_iso8601(text))
                .map_err(|_| {
                    error(
                        path,
                        format!(
                            "{text:?} is not a timestamp (seconds since the epoch or ISO 8601)"
                        ),
                    )
                }),
            other => Err(expected(path, "a timestamp", other)),
        }
    }

    fn to_params(&self, style: TimestampStyle) -> Value {
        match style {
            TimestampStyle::EpochSeconds => {
                let text = super::time::epoch_seconds_text(self);
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            }
            TimestampStyle::Iso8601 => Value::String(iso8601_with_offset(self)),
        }
    }
}

/// `2023-11-14T22:13:20.123000+00:00`, as Python's `isoformat()` writes it.
fn iso8601_with_offset(value: &DateTime) -> String {
    let value = value.to_offset(::time::UtcOffset::UTC);
    let micros = value.microsecond();
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        value.year(),
        u8::from(value.month()),
        value.day(),
        value.hour(),
        value.minute(),
        value.second()
    );
    if micros == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{micros:06}+00:00")
    }
}

/// `2023-11-14T22:13:20` or `2023-11-14`, read as UTC, as botocore accepts them.
fn parse_naive_iso8601(text: &str) -> Result<DateTime, ()> {
    use ::time::macros::format_description;
    let with_time = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let with_fraction =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");
    let date_only = format_description!("[year]-[month]-[day]");
    ::time::PrimitiveDateTime::parse(text, with_fraction)
        .or_else(|_| ::time::PrimitiveDateTime::parse(text, with_time))
        .or_else(|_| {
            ::time::Date::parse(text, date_only).map(|date| date.with_time(::time::Time::MIDNIGHT))
        })
        .map(|naive| naive.assume_utc())
        .map_err(|_| ())
}

impl Params for Document {
    fn from_params(value: &Value, _: &Path<'_>) -> Result<Self, ParamsError> {
        Ok(value.clone())
    }

    fn to_params(&self, _: TimestampStyle) -> Value {
        self.clone()
    }
}

impl<T: Params> Params for Box<T> {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        T::from_params(value, path).map(Box::new)
    }

    fn to_params(&self, style: TimestampStyle) -> Value {
        (**self).to_params(style)
    }
}

impl<T: Params> Params for Vec<T> {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| T::from_params(item, &path.index(index)))
                .collect(),
            other => Err(expected(path, "a list", other)),
        }
    }

    fn to_params(&self, style: TimestampStyle) -> Value {
        Value::Array(self.iter().map(|item| item.to_params(style)).collect())
    }
}

/// A map key: strings, or enums (values the model does not list are kept).
pub(crate) trait MapKey: Sized + Eq + std::hash::Hash {
    fn from_key(key: &str) -> Self;
    fn as_key(&self) -> &str;
}

impl MapKey for String {
    fn from_key(key: &str) -> Self {
        key.to_owned()
    }

    fn as_key(&self) -> &str {
        self
    }
}

impl<K: MapKey, T: Params> Params for HashMap<K, T> {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Object(entries) => entries
                .iter()
                .map(|(key, item)| Ok((K::from_key(key), T::from_params(item, &path.key(key))?)))
                .collect(),
            other => Err(expected(path, "a map", other)),
        }
    }

    fn to_params(&self, style: TimestampStyle) -> Value {
        // Sorted, so output is the same on every run.
        let mut entries: Vec<_> = self.iter().collect();
        entries.sort_by(|a, b| a.0.as_key().cmp(b.0.as_key()));
        Value::Object(
            entries
                .into_iter()
                .map(|(key, item)| (key.as_key().to_owned(), item.to_params(style)))
                .collect(),
        )
    }
}

/// Blobs: botocore takes bytes or text; in JSON they are text.
pub(crate) struct Blob;

impl Blob {
    pub(crate) fn from_params(value: &Value, path: &Path<'_>) -> Result<Vec<u8>, ParamsError> {
        match value {
            Value::String(text) => Ok(text.as_bytes().to_vec()),
            other => Err(expected(path, "a blob (text)", other)),
        }
    }

    pub(crate) fn to_params(value: &[u8]) -> Value {
        Value::String(String::from_utf8_lossy(value).into_owned())
    }
}

/// The members of a structure in botocore form.
pub(crate) fn object<'v>(
    value: &'v Value,
    path: &Path<'_>,
) -> Result<&'v Map<String, Value>, ParamsError> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(expected(path, "a structure (an object)", other)),
    }
}

pub(crate) fn unknown_member(path: &Path<'_>, name: &str, known: &[&str]) -> ParamsError {
    let mut message = format!("unknown member {name:?}");
    if !known.is_empty() {
        message.push_str(&format!("; members are {}", known.join(", ")));
    }
    error(path, message)
}

/// A member's value; `null` is the same as absent.
pub(crate) fn member<T: Params>(value: &Value, path: &Path<'_>) -> Result<Option<T>, ParamsError> {
    match value {
        Value::Null => Ok(None),
        value => T::from_params(value, path).map(Some),
    }
}

/// Writes a member when it is set.
pub(crate) fn put<T: Params>(
    object: &mut Map<String, Value>,
    name: &str,
    value: &Option<T>,
    style: TimestampStyle,
) {
    if let Some(value) = value {
        object.insert(name.to_owned(), value.to_params(style));
    }
}

/// An enum value: any string (values the model does not list are kept).
pub(crate) fn enum_from_params<T: for<'a> From<&'a str>>(
    value: &Value,
    path: &Path<'_>,
) -> Result<T, ParamsError> {
    match value {
        Value::String(text) => Ok(T::from(text.as_str())),
        other => Err(expected(path, "a string", other)),
    }
}

/// An unknown union member, as botocore shows it: `{"SDK_UNKNOWN_MEMBER": {"name": ...}}`.
pub(crate) fn unknown_union_member(member: &UnknownMember) -> Value {
    let mut name = Map::new();
    name.insert("name".to_owned(), Value::String(member.name().to_owned()));
    let mut object = Map::new();
    object.insert("SDK_UNKNOWN_MEMBER".to_owned(), Value::Object(name));
    Value::Object(object)
}

/// A union in botocore form must set exactly one member.
pub(crate) fn union_member<'v>(
    value: &'v Value,
    path: &Path<'_>,
) -> Result<(&'v str, &'v Value), ParamsError> {
    let object = object(value, path)?;
    let mut set = object.iter().filter(|(_, value)| !value.is_null());
    match (set.next(), set.next()) {
        (Some((name, value)), None) => Ok((name, value)),
        (None, _) => Err(error(
            path,
            "a union must set exactly one member, found none",
        )),
        (Some(_), Some(_)) => Err(error(
            path,
            "a union must set exactly one member, found several",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_in_every_botocore_form() {
        let path = Path::Root;
        for text in [
            "1700000000",
            "2023-11-14T22:13:20Z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20+00:00",
        ] {
            let value = DateTime::from_params(&Value::from(text), &path).unwrap();
            assert_eq!(value.unix_timestamp(), 1_700_000_000, "{text}");
        }
        let value = DateTime::from_params(&serde_json::json!(1700000000.123), &path).unwrap();
        assert_eq!(
            iso8601_with_offset(&value),
            "2023-11-14T22:13:20.123000+00:00"
        );
    }
}

/// A blob member: text in JSON.
pub(crate) fn member_blob(value: &Value, path: &Path<'_>) -> Result<Option<Vec<u8>>, ParamsError> {
    match value {
        Value::Null => Ok(None),
        value => Blob::from_params(value, path).map(Some),
    }
}

pub(crate) fn put_blob(object: &mut Map<String, Value>, name: &str, value: &Option<Vec<u8>>) {
    if let Some(value) = value {
        object.insert(name.to_owned(), Blob::to_params(value));
    }
}

impl Params for super::Unit {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Null => Ok(super::Unit),
            Value::Object(object) => match object.keys().next() {
                None => Ok(super::Unit),
                Some(key) => Err(unknown_member(path, key, &[])),
            },
            other => Err(expected(path, "an empty structure", other)),
        }
    }

    fn to_params(&self, _: TimestampStyle) -> Value {
        Value::Object(Map::new())
    }
}

/// An operation's error enum in botocore form.
pub(crate) trait ErrorParams: super::error::OperationError {
    /// The members of a modeled exception; `None` for an unmodeled one.
    fn members(&self, style: TimestampStyle) -> Option<Value>;
}

/// A service error of an operation called by name.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceErrorValue {
    pub code: String,
    pub message: Option<String>,
    /// The exception's members in botocore form, when the operation models the error.
    pub members: Option<Value>,
}

impl fmt::Display for ServiceErrorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(f, "{}: {message}", self.code),
            None => f.write_str(&self.code),
        }
    }
}

impl std::error::Error for ServiceErrorValue {}

impl super::error::OperationError for ServiceErrorValue {
    fn code(&self) -> &str {
        &self.code
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl ServiceErrorValue {
    fn of<E: ErrorParams>(error: &E, style: TimestampStyle) -> Self {
        ServiceErrorValue {
            code: error.code().to_owned(),
            message: error.message().map(str::to_owned),
            members: error.members(style),
        }
    }
}

/// Why a request could not be built from botocore-form parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DynamicError {
    UnknownOperation(String),
    Params(ParamsError),
    Build(super::error::BuildError),
}

impl fmt::Display for DynamicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DynamicError::UnknownOperation(name) => write!(f, "unknown operation {name:?}"),
            DynamicError::Params(error) => write!(f, "invalid parameters: {error}"),
            DynamicError::Build(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for DynamicError {}

pub(crate) fn unknown_operation(name: &str) -> super::error::BuildError {
    super::error::BuildError::new("(dynamic)", format!("unknown operation {name:?}"))
}

/// Builds an operation's request from botocore-form parameters, without validation.
pub(crate) fn build<O: Operation>(
    params: &Value,
    endpoint: &str,
) -> Result<super::http::HttpRequest, DynamicError>
where
    O::Input: Params,
{
    let mut input = O::Input::from_params(params, &Path::Root).map_err(DynamicError::Params)?;
    let builder = O::build(&mut input).map_err(DynamicError::Build)?;
    Ok(builder.finish(endpoint))
}

/// Why botocore-form parameters do not make a valid input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InputError {
    UnknownOperation(String),
    /// A value does not fit its member's shape.
    Params(ParamsError),
    /// The input breaks the model's constraints.
    Invalid(super::validate::ValidationError),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::UnknownOperation(name) => write!(f, "unknown operation {name:?}"),
            InputError::Params(error) => write!(f, "invalid parameters: {error}"),
            InputError::Invalid(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for InputError {}

/// Reads botocore-form parameters into an operation's input and validates it, building and
/// sending nothing: what a command line checks before it loads credentials.
pub(crate) fn check<O: Operation>(params: &Value) -> Result<(), InputError>
where
    O::Input: Params,
{
    use super::validate::Validate as _;
    let input = O::Input::from_params(params, &Path::Root).map_err(InputError::Params)?;
    input.validate().map_err(InputError::Invalid)
}

/// Decodes a response to an operation into botocore form.
pub(crate) fn parse<O: Operation>(
    response: &super::http::HttpResponse,
    style: TimestampStyle,
) -> Result<Value, super::error::Error<ServiceErrorValue>>
where
    O::Output: Params,
    O::Error: ErrorParams,
{
    super::client::decode::<O>(response)
        .map(|output| output.to_params(style))
        .map_err(|error| error.map_service(|error| ServiceErrorValue::of(&error, style)))
}

impl super::client::Client {
    pub(crate) async fn call_dynamic<O: Operation>(
        &self,
        params: &Value,
        style: TimestampStyle,
    ) -> Result<Value, super::error::Error<ServiceErrorValue>>
    where
        O::Input: Params,
        O::Output: Params,
        O::Error: ErrorParams,
    {
        let mut input = O::Input::from_params(params, &Path::Root).map_err(|error| {
            super::error::Error::Build(super::error::BuildError::new(O::NAME, error.to_string()))
        })?;
        let request = self
            .prepare::<O>(&mut input)
            .map_err(|error| error.map_service(|error| ServiceErrorValue::of(&error, style)))?;
        let response = self
            .send(request)
            .await
            .map_err(|error| error.map_service(|never| match never {}))?;
        parse::<O>(&response, style)
    }
}
