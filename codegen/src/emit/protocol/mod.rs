//! One emitter per protocol family, behind one seam: how an operation's input becomes a
//! request, and how its output and errors are read back. Everything else the generator emits
//! (types, validators, the client, the error enums) is the same for every protocol; a new
//! protocol adds a module here and a module in the runtime.

mod aws_json;
mod query;
pub(crate) mod rest;
mod rest_json;
mod rest_xml;
mod rpc_v2_cbor;
mod xml;

use models::{Operation, Protocol, Service, ShapeId};
use proc_macro2::TokenStream;

use crate::type_space::{NamedType, TypeSpace};

/// What the generator needs from a protocol.
pub(crate) trait ProtocolEmitter: Sync {
    /// The runtime's protocol of the service: its type and its constant value, which the
    /// generated `client::PROTOCOL` holds (the `ServiceInfo` and the operations use it).
    fn runtime_protocol(&self, service: &Service) -> (TokenStream, TokenStream);

    /// Whether bodies are the types' serde form (JSON, CBOR). When they are not (the XML
    /// protocols), the serde impls are only for users, and sit behind the crate's `serde`
    /// feature.
    fn bodies_use_serde(&self) -> bool {
        false
    }

    /// Features of the runtime crate the protocol needs.
    fn runtime_features(&self) -> &'static [&'static str] {
        &[]
    }

    /// The body of `Operation::build`: `input` is `&mut Input`, the value a
    /// `Result<RequestBuilder, BuildError>`.
    fn build(&self, space: &TypeSpace<'_>, operation: &Operation) -> TokenStream;

    /// The element an operation's output is wrapped in, for the protocols that wrap outputs
    /// (query's `resultWrapper`); output readers are shared by the operations that agree on it.
    fn output_wrapper(&self, operation: &Operation) -> Option<String> {
        let _ = operation;
        None
    }

    /// How an output shape is read from `response`, inside `wrapper` (see
    /// [`output_wrapper`](Self::output_wrapper)).
    fn read_output(&self, space: &TypeSpace<'_>, id: ShapeId, wrapper: Option<&str>) -> Read;

    /// How an error shape is read; a body that does not decode must still give the error (its
    /// default), so that the error keeps its code and status.
    fn read_error(&self, space: &TypeSpace<'_>, id: ShapeId) -> Read;

    /// The runtime function that reads an event-stream message's payload as a structure
    /// (`rt::json::read_event`), for the protocols whose event streams the generator reads.
    fn event_reader(&self) -> Option<TokenStream> {
        None
    }

    /// Items the protocol adds beside a named type: its codec impls (XML reading and
    /// writing, query forms), for the protocols that do not use the types' serde form.
    fn type_impls(&self, space: &TypeSpace<'_>, named: &NamedType) -> TokenStream {
        let _ = (space, named);
        TokenStream::new()
    }
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
        Protocol::RestXml => Some(&rest_xml::RestXml),
        Protocol::Query => Some(&query::Query::QUERY),
        Protocol::Ec2 => Some(&query::Query::EC2),
        Protocol::Other(_) => None,
    }
}

/// The protocols the generator speaks.
pub(crate) const SUPPORTED: &[Protocol] = &Protocol::PREFERENCE;
