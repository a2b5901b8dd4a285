//! The botocore form of values: JSON keyed by member names (not wire names), every member
//! (URI, header and query members too), timestamps as epoch seconds or ISO 8601 text. It is what
//! boto3 users pass as parameters and get back as results, what the AWS CLI reads from
//! `--cli-input-json` and prints, and what botocore's protocol tests are written in; operations
//! called by name (the `dynamic` feature) speak it.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::validate::Path;
use crate::{DateTime, Document, UnknownMember};

/// How results are written: the two places botocore's results are seen as JSON write
/// timestamps and blobs differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResultStyle {
    /// As botocore's protocol test suites write them: timestamps as seconds since the epoch (a
    /// number), blobs as their text.
    #[default]
    Botocore,
    /// As the AWS CLI prints them: timestamps in ISO 8601 with an offset
    /// (`2023-11-14T22:13:20.123000+00:00`), blobs in base64.
    AwsCli,
}

/// A value that does not fit the shape it is given for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    /// Where, as in validation messages (`Tags["k"]`, `Steps[2].Expression`); empty for the
    /// value itself.
    pub path: String,
    /// What is wrong with the value.
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

/// An error at `path`.
pub fn error(path: &Path<'_>, message: impl Into<String>) -> ParamsError {
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
pub trait Params: Sized {
    /// Reads a value at `path`.
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError>;
    /// Writes the value, its timestamps and blobs as `style` says.
    fn to_params(&self, style: ResultStyle) -> Value;
}

impl Params for String {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(expected(path, "a string", other)),
        }
    }

    fn to_params(&self, _: ResultStyle) -> Value {
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

    fn to_params(&self, _: ResultStyle) -> Value {
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

    fn to_params(&self, _: ResultStyle) -> Value {
        Value::from(*self)
    }
}

impl Params for i32 {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        let wide = i64::from_params(value, path)?;
        i32::try_from(wide).map_err(|_| error(path, format!("{wide} does not fit in 32 bits")))
    }

    fn to_params(&self, _: ResultStyle) -> Value {
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

    fn to_params(&self, _: ResultStyle) -> Value {
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

    fn to_params(&self, style: ResultStyle) -> Value {
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
            Value::Number(number) => crate::time::parse_epoch_seconds(&number.to_string())
                .ok_or_else(|| error(path, format!("{number} is not a timestamp"))),
            Value::String(text) => crate::time::parse_epoch_seconds(text)
                .map(Ok)
                .unwrap_or_else(|| crate::time::parse_iso8601(text))
                .or_else(|_| crate::time::parse_http_date(text))
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

    fn to_params(&self, style: ResultStyle) -> Value {
        match style {
            ResultStyle::Botocore => {
                let text = crate::time::epoch_seconds_text(self);
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            }
            ResultStyle::AwsCli => Value::String(iso8601_with_offset(self)),
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

    fn to_params(&self, _: ResultStyle) -> Value {
        self.clone()
    }
}

impl<T: Params> Params for Box<T> {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        T::from_params(value, path).map(Box::new)
    }

    fn to_params(&self, style: ResultStyle) -> Value {
        (**self).to_params(style)
    }
}

/// A map key: strings, or enums (values the model does not list are kept).
pub trait MapKey: Sized + Eq + std::hash::Hash {
    /// The key for this text.
    fn from_key(key: &str) -> Self;
    /// The key's text.
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

/// How a value of type `T` is read and written in botocore form. Generated code names the form
/// of every member (`params::List::<params::Blob>` for a list of blobs), as it names its JSON
/// format, so that every combination of lists, maps and blobs has one.
pub trait Form<T>: Sized {
    /// Reads a value at `path`.
    fn read(value: &Value, path: &Path<'_>) -> Result<T, ParamsError>;
    /// Writes a value.
    fn write(value: &T, style: ResultStyle) -> Value;

    /// Reads a member's value; `null` is the same as absent.
    fn read_member(value: &Value, path: &Path<'_>) -> Result<Option<T>, ParamsError> {
        match value {
            Value::Null => Ok(None),
            value => Self::read(value, path).map(Some),
        }
    }

    /// Writes a member when it is set.
    fn put_member(
        object: &mut Map<String, Value>,
        name: &str,
        value: &Option<T>,
        style: ResultStyle,
    ) {
        if let Some(value) = value {
            object.insert(name.to_owned(), Self::write(value, style));
        }
    }
}

/// The type's own form ([`Params`]): scalars, structures, enums, unions.
#[derive(Debug)]
pub enum Plain {}

impl<T: Params> Form<T> for Plain {
    fn read(value: &Value, path: &Path<'_>) -> Result<T, ParamsError> {
        T::from_params(value, path)
    }

    fn write(value: &T, style: ResultStyle) -> Value {
        value.to_params(style)
    }
}

/// Blobs: botocore takes bytes or text, and JSON has only text, so a blob is read from text (its
/// UTF-8 bytes, as botocore and the AWS CLI v1 take a `str`) or, for bytes that are no text,
/// from `{"base64": "..."}` (what the command line's `fileb://` gives). Results are written as
/// [`ResultStyle`] says.
#[derive(Debug)]
pub enum Blob {}

/// The one member of the object that gives a blob's bytes in base64.
const BLOB_BASE64: &str = "base64";

/// `bytes` as a blob's value when they may be no text: `{"base64": "..."}`.
pub fn blob_value(bytes: &[u8]) -> Value {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    Value::Object(Map::from_iter([(
        BLOB_BASE64.to_owned(),
        Value::String(encoded),
    )]))
}

impl Form<Vec<u8>> for Blob {
    fn read(value: &Value, path: &Path<'_>) -> Result<Vec<u8>, ParamsError> {
        use base64::Engine as _;
        match value {
            Value::String(text) => Ok(text.as_bytes().to_vec()),
            Value::Object(object) if object.len() == 1 => match object.get(BLOB_BASE64) {
                Some(Value::String(encoded)) => base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .map_err(|wrong| error(path, format!("invalid base64 of a blob: {wrong}"))),
                _ => Err(expected(path, "a blob (text or {\"base64\": text})", value)),
            },
            other => Err(expected(path, "a blob (text or {\"base64\": text})", other)),
        }
    }

    fn write(value: &Vec<u8>, style: ResultStyle) -> Value {
        use base64::Engine as _;
        match style {
            ResultStyle::Botocore => Value::String(String::from_utf8_lossy(value).into_owned()),
            ResultStyle::AwsCli => {
                Value::String(base64::engine::general_purpose::STANDARD.encode(value))
            }
        }
    }
}

impl Form<crate::ByteStream> for Blob {
    fn read(value: &Value, path: &Path<'_>) -> Result<crate::ByteStream, ParamsError> {
        <Blob as Form<Vec<u8>>>::read(value, path).map(crate::ByteStream::from)
    }

    /// A body in memory as text; a body still arriving (or in a file) as `null`: the AWS CLI
    /// writes such bodies to a file, never into its JSON.
    fn write(value: &crate::ByteStream, style: ResultStyle) -> Value {
        match value.as_bytes() {
            Some(bytes) => <Blob as Form<Vec<u8>>>::write(&bytes.to_vec(), style),
            None => Value::Null,
        }
    }
}

/// A `jsonvalue` header's JSON text: botocore takes any JSON value for it and sends its
/// compact text (base64 in the header); its output is the value parsed back. Text is taken
/// as the JSON text itself, as the AWS CLI takes its argument (botocore would quote it again).
#[derive(Debug)]
pub enum JsonText {}

impl Form<String> for JsonText {
    fn read(value: &Value, _: &Path<'_>) -> Result<String, ParamsError> {
        Ok(match value {
            Value::String(text) => text.clone(),
            value => value.to_string(),
        })
    }

    /// The value the text holds; text that is not JSON stays text.
    fn write(value: &String, _: ResultStyle) -> Value {
        serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.clone()))
    }
}

/// A list whose items have form `F`.
#[derive(Debug)]
pub struct List<F>(std::marker::PhantomData<F>);

impl<T, F: Form<T>> Form<Vec<T>> for List<F> {
    fn read(value: &Value, path: &Path<'_>) -> Result<Vec<T>, ParamsError> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| F::read(item, &path.index(index)))
                .collect(),
            other => Err(expected(path, "a list", other)),
        }
    }

    fn write(value: &Vec<T>, style: ResultStyle) -> Value {
        Value::Array(value.iter().map(|item| F::write(item, style)).collect())
    }
}

/// A map whose values have form `F`.
#[derive(Debug)]
pub struct MapOf<F>(std::marker::PhantomData<F>);

impl<K: MapKey, T, F: Form<T>> Form<HashMap<K, T>> for MapOf<F> {
    fn read(value: &Value, path: &Path<'_>) -> Result<HashMap<K, T>, ParamsError> {
        match value {
            Value::Object(entries) => entries
                .iter()
                .map(|(key, item)| Ok((K::from_key(key), F::read(item, &path.key(key))?)))
                .collect(),
            other => Err(expected(path, "a map", other)),
        }
    }

    fn write(value: &HashMap<K, T>, style: ResultStyle) -> Value {
        // Sorted, so output is the same on every run.
        let mut entries: Vec<_> = value.iter().collect();
        entries.sort_by(|a, b| a.0.as_key().cmp(b.0.as_key()));
        Value::Object(
            entries
                .into_iter()
                .map(|(key, item)| (key.as_key().to_owned(), F::write(item, style)))
                .collect(),
        )
    }
}

/// The members of a structure in botocore form.
pub fn object<'v>(
    value: &'v Value,
    path: &Path<'_>,
) -> Result<&'v Map<String, Value>, ParamsError> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(expected(path, "a structure (an object)", other)),
    }
}

/// A member the structure does not have, listing those it has.
pub fn unknown_member(path: &Path<'_>, name: &str, known: &[&str]) -> ParamsError {
    let mut message = format!("unknown member {name:?}");
    if !known.is_empty() {
        message.push_str(&format!("; members are {}", known.join(", ")));
    }
    error(path, message)
}

/// An enum value: any string (values the model does not list are kept).
pub fn enum_from_params<T: for<'a> From<&'a str>>(
    value: &Value,
    path: &Path<'_>,
) -> Result<T, ParamsError> {
    match value {
        Value::String(text) => Ok(T::from(text.as_str())),
        other => Err(expected(path, "a string", other)),
    }
}

/// An unknown union member, as botocore shows it: `{"SDK_UNKNOWN_MEMBER": {"name": ...}}`.
pub fn unknown_union_member(member: &UnknownMember) -> Value {
    let mut name = Map::new();
    name.insert("name".to_owned(), Value::String(member.name().to_owned()));
    let mut object = Map::new();
    object.insert("SDK_UNKNOWN_MEMBER".to_owned(), Value::Object(name));
    Value::Object(object)
}

/// A union in botocore form must set exactly one member.
pub fn union_member<'v>(
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

impl Params for crate::Unit {
    fn from_params(value: &Value, path: &Path<'_>) -> Result<Self, ParamsError> {
        match value {
            Value::Null => Ok(crate::Unit),
            Value::Object(object) => match object.keys().next() {
                None => Ok(crate::Unit),
                Some(key) => Err(unknown_member(path, key, &[])),
            },
            other => Err(expected(path, "an empty structure", other)),
        }
    }

    fn to_params(&self, _: ResultStyle) -> Value {
        Value::Object(Map::new())
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

    /// A `jsonvalue` header takes any JSON value (sent as its compact text) or the text
    /// itself, and gives back the value.
    #[test]
    fn json_value_headers_take_any_value() {
        let path = Path::Root;
        let value = serde_json::json!({"a": [1, {"b": null}]});
        let text = JsonText::read(&value, &path).unwrap();
        assert_eq!(text, r#"{"a":[1,{"b":null}]}"#);
        assert_eq!(
            JsonText::read(&Value::from(text.clone()), &path).unwrap(),
            text
        );
        assert_eq!(JsonText::write(&text, ResultStyle::default()), value);
        assert_eq!(
            JsonText::write(&"not json".to_owned(), ResultStyle::default()),
            Value::from("not json")
        );
    }
}
