//! What the model does not know yet: enum values and union members from newer service versions.

use std::fmt;

use crate::Document;

/// An enum value this crate's model does not list. It is kept as sent and written back as is;
/// the enum's `as_str()` returns it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Keeps `value`, which the model does not list.
    pub fn new(value: &str) -> Self {
        UnknownValue(value.to_owned())
    }

    /// The value as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A union member this crate's model does not list (botocore's `SDK_UNKNOWN_MEMBER`): its name
/// and raw JSON value are kept, and it is written back as it was read.
#[derive(Clone, PartialEq)]
pub struct UnknownMember {
    name: String,
    value: Document,
}

impl UnknownMember {
    /// Keeps member `name` and its raw value.
    pub fn new(name: &str, value: Document) -> Self {
        UnknownMember {
            name: name.to_owned(),
            value,
        }
    }

    /// The member's name on the wire.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member's raw JSON value.
    pub fn value(&self) -> &Document {
        &self.value
    }
}

/// The value is not shown: nothing says whether the unknown member is sensitive.
impl fmt::Debug for UnknownMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownMember")
            .field("name", &self.name)
            .field("value", &Redacted)
            .finish()
    }
}

/// Stands in for a `sensitive` value in `Debug` output.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*** Sensitive Data Redacted ***")
    }
}

/// `Some(*** Sensitive Data Redacted ***)` or `None`: whether a value is set is not secret.
pub fn redact<T>(value: &Option<T>) -> Option<Redacted> {
    value.as_ref().map(|_| Redacted)
}

/// The input or output of an operation the model gives none: no members, `{}` on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Unit;

impl serde::Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        serializer.serialize_map(Some(0))?.end()
    }
}

impl<'de> serde::Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Unit)
    }
}

impl crate::validate::Validate for Unit {
    fn check(&self, _: &crate::validate::Path<'_>, _: &mut crate::validate::Validator) {}
}
