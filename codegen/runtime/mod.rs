//! Runtime support shared by every generated type. Copied verbatim from the generator's
//! `runtime/` folder.

// One runtime serves every model, and no model uses every wire format.
#![allow(dead_code, unused_imports)]

pub(crate) mod json;
pub(crate) mod time;
mod unknown;
pub mod validate;

pub(crate) use unknown::{Redacted, redact};
pub use unknown::{UnknownMember, UnknownValue};

/// A timestamp (UTC unless the service says otherwise).
pub type DateTime = ::time::OffsetDateTime;

/// An untyped JSON value: document members, and the raw value of an unknown union member.
pub type Document = ::serde_json::Value;
