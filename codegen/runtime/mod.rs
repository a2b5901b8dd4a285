//! Runtime support shared by every generated crate. Copied verbatim from the generator's
//! `runtime/` folder.

// One runtime serves every model, and no model uses every wire format.
#![allow(dead_code, unused_imports)]
// `Error` keeps what the service said; boxing it would cost every call an allocation.
#![allow(clippy::result_large_err)]

#[cfg(feature = "cli")]
pub(crate) mod cli;
#[cfg(feature = "cli")]
pub(crate) mod cli_input;
#[cfg(feature = "cli")]
pub(crate) mod cli_output;
pub(crate) mod client;
pub(crate) mod credentials;
pub(crate) mod error;
pub(crate) mod http;
pub(crate) mod json;
pub(crate) mod paginate;
#[cfg(feature = "dynamic")]
pub(crate) mod params;
pub(crate) mod rest;
pub(crate) mod retry;
mod sign;
pub(crate) mod time;
mod unknown;
pub mod validate;

pub(crate) use unknown::{Redacted, redact};
pub use unknown::{Unit, UnknownMember, UnknownValue};

/// A timestamp (UTC unless the service says otherwise).
pub type DateTime = ::time::OffsetDateTime;

/// An untyped JSON value: document members, and the raw value of an unknown union member.
pub type Document = ::serde_json::Value;
