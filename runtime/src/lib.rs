//! The runtime every crate generated from a botocore model shares.
//!
//! A generated crate holds what its model says: the types, their validators, one
//! [`Operation`](client::Operation) per operation that binds its input and output to the wire,
//! and a `Client` with one method per operation. Everything else lives here, once for every
//! service, versioned with the generator:
//!
//! - [`Config`]: region, credentials, endpoints, retries, time-outs and the transport, shared by
//!   the clients of several services (one connection pool, one credential cache);
//! - [`client`]: the path every call takes (validate, serialize, sign, send, retry, decode);
//! - [`endpoint_rules`]: where requests go, from the model's endpoint rule set;
//! - [`event_stream`]: responses that are a stream of events, read as they arrive;
//! - [`credentials`], [`http`] (the [`Transport`](http::Transport) trait and the reqwest
//!   transport), [`retry`], [`error`], [`paginate`], [`validate`], [`time`];
//! - one module per protocol family behind [`protocol`]: `rest_json`, `aws_json`,
//!   `rpc_v2_cbor`, `query` (query and ec2) and `rest_xml`, with the codecs they call at token
//!   level ([`json`], `cbor`, `xml`, `query`);
//! - what botocore's handlers add for some services: [`s3`], [`glacier`], [`auth_token`] (RDS's
//!   and Aurora DSQL's database auth tokens) and [`handlers`];
//! - behind features: operations called by name with botocore-form JSON (`dynamic`), waiters
//!   (`waiter`, feature `waiters`) and the engine of the generated command lines (`cli`).
//!
//! Nothing here names generated code: a generated crate hands its tables
//! ([`ServiceInfo`](client::ServiceInfo), its operations) to the runtime.

#![warn(missing_docs)]
// `Error` keeps what the service said; boxing it would cost every call an allocation.
#![allow(clippy::result_large_err)]

pub mod auth_token;
mod aws_chunked;
#[cfg(feature = "cbor")]
pub mod cbor;
pub mod checksum;
#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod config;
pub mod credentials;
#[cfg(feature = "dynamic")]
pub mod dynamic;
pub mod endpoint_rules;
pub mod error;
pub mod event_stream;
pub mod glacier;
pub mod handlers;
pub mod http;
pub mod json;
pub mod paginate;
#[cfg(feature = "dynamic")]
pub mod params;
pub mod protocol;
#[cfg(feature = "xml")]
pub mod query;
pub mod request;
pub mod rest;
pub mod retry;
pub mod s3;
mod sign;
pub mod stream;
pub mod time;
mod unknown;
pub mod validate;
#[cfg(feature = "waiters")]
pub mod waiter;
#[cfg(feature = "xml")]
pub mod xml;

pub use config::{Config, ConfigError, ConfigLoader};
pub use stream::ByteStream;
pub use unknown::{Redacted, Unit, UnknownMember, UnknownValue, redact};

/// A timestamp (UTC unless the service says otherwise).
pub type DateTime = ::time::OffsetDateTime;

/// An untyped JSON value: document members, and the raw value of an unknown union member.
pub type Document = ::serde_json::Value;

/// The shared byte buffer of request and response bodies.
pub use ::bytes::Bytes;
/// The HTTP types crate behind [`HttpRequest`](http::HttpRequest) and
/// [`HttpResponse`](http::HttpResponse).
pub use ::http as http_types;
/// The serialization framework generated types implement.
pub use ::serde;
/// The JSON crate behind [`Document`].
pub use ::serde_json;
/// The date-time crate behind [`DateTime`].
pub use ::time as time_types;
