//! One emitter per protocol family, behind one seam: how an operation's input becomes a
//! request, and how its output and errors are read back. Everything else the generator emits
//! (types, validators, the client, the error enums) is the same for every protocol; a new
//! protocol adds a module here and a module in the runtime.

mod aws_json;
mod rest;
mod rest_json;
mod rpc_v2_cbor;

use models::{Operation, Protocol, Service, ShapeId};
use proc_macro2::TokenStream;

use crate::type_space::TypeSpace;

/// What the generator needs from a protocol.
pub(crate) trait ProtocolEmitter: Sync {
    /// The runtime's protocol of the service: its type and its constant value, which the
    /// generated `client::PROTOCOL` holds (the `ServiceInfo` and the operations use it).
    fn runtime_protocol(&self, service: &Service) -> (TokenStream, TokenStream);

    /// Features of the runtime crate the protocol needs.
    fn runtime_features(&self) -> &'static [&'static str] {
        &[]
    }

    /// The body of `Operation::build`: `input` is `&mut Input`, the value a
    /// `Result<RequestBuilder, BuildError>`.
    fn build(&self, space: &TypeSpace<'_>, operation: &Operation) -> TokenStream;

    /// How an output shape is read from `response`.
    fn read_output(&self, space: &TypeSpace<'_>, id: ShapeId) -> Read;

    /// How an error shape is read; a body that does not decode must still give the error (its
    /// default), so that the error keeps its code and status.
    fn read_error(&self, space: &TypeSpace<'_>, id: ShapeId) -> Read;
}

/// How a shape is read from `response`: `let output: T = init;`, then statements that set
/// members of `output`. Each may use `?` on a `DecodeError`.
pub(crate) struct Read {
    pub(crate) init: TokenStream,
    pub(crate) statements: Vec<TokenStream>,
}

/// The emitter of `protocol`, if the generator speaks it.
pub(crate) fn emitter(protocol: &Protocol) -> Option<&'static dyn ProtocolEmitter> {
    match protocol {
        Protocol::RestJson => Some(&rest_json::RestJson),
        Protocol::Json => Some(&aws_json::AwsJson),
        Protocol::SmithyRpcV2Cbor => Some(&rpc_v2_cbor::RpcV2Cbor),
        _ => None,
    }
}

/// The protocols the generator speaks.
pub(crate) const SUPPORTED: &[Protocol] = &[
    Protocol::Json,
    Protocol::RestJson,
    Protocol::SmithyRpcV2Cbor,
];
