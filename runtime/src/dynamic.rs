//! Operations called by name, with botocore-form JSON ([`params`](crate::params)): what a
//! command line, a protocol test harness or a scripting layer needs. A generated crate lists its
//! operations in a table of [`DynamicOperation`]s; every operation whose input, output and
//! errors have a botocore form is one, through the blanket implementation here.

use std::fmt;

use serde_json::Value;

use crate::client::{Operation, ServiceClient, decode, decode_call};
use crate::error::{BuildError, Error, OperationError};
use crate::http::{BoxFuture, HttpRequest, HttpResponse};
use crate::params::{Params, ParamsError, ResultStyle};
use crate::validate::{Path, Validate as _, ValidationError};

/// One operation, called by name with botocore-form parameters.
pub trait DynamicOperation: Sync {
    /// The model's name of the operation.
    fn name(&self) -> &'static str;

    /// The request, built from `params` and addressed to `endpoint`, without validation or
    /// signing.
    fn build_request(&self, params: &Value, endpoint: &str) -> Result<HttpRequest, DynamicError>;

    /// Reads `params` into the input and runs its validators, building and sending nothing:
    /// what a command line checks before it loads credentials.
    fn check_input(&self, params: &Value) -> Result<(), InputError>;

    /// Decodes a response into its botocore-form result or error.
    fn parse_response(
        &self,
        response: &HttpResponse,
        style: ResultStyle,
    ) -> Result<Value, Error<ServiceErrorValue>>;

    /// Validates, sends (with the client's retries and signing) and decodes one call.
    fn call<'a>(
        &self,
        client: &'a ServiceClient,
        params: &'a Value,
        style: ResultStyle,
    ) -> BoxFuture<'a, Result<Value, Error<ServiceErrorValue>>> {
        let called = self.call_with_body(client, params, style, None);
        Box::pin(async move { called.await.map(|(result, _)| result) })
    }

    /// [`call`](Self::call), with `body` as the input's streaming member (which JSON cannot
    /// carry), and the response's body, undecoded, beside the result (a blob payload, which
    /// the JSON form holds only as text): what a command line needs for a file in and a file
    /// out.
    fn call_with_body<'a>(
        &self,
        client: &'a ServiceClient,
        params: &'a Value,
        style: ResultStyle,
        body: Option<crate::ByteStream>,
    ) -> BoxFuture<'a, Result<(Value, crate::Bytes), Error<ServiceErrorValue>>>;
}

impl<O> DynamicOperation for O
where
    O: Operation,
    O::Input: Params,
    O::Output: Params,
    O::Error: ErrorParams,
{
    fn name(&self) -> &'static str {
        O::NAME
    }

    fn build_request(&self, params: &Value, endpoint: &str) -> Result<HttpRequest, DynamicError> {
        if let Some(feature) = O::UNSUPPORTED {
            return Err(DynamicError::Unsupported { feature });
        }
        let mut input = O::Input::from_params(params, &Path::Root).map_err(DynamicError::Params)?;
        O::prepare_input(&mut input);
        let builder = O::build(&mut input).map_err(DynamicError::Build)?;
        Ok(builder.finish(endpoint))
    }

    fn check_input(&self, params: &Value) -> Result<(), InputError> {
        let mut input = O::Input::from_params(params, &Path::Root).map_err(InputError::Params)?;
        O::prepare_input(&mut input);
        input.validate().map_err(InputError::Invalid)
    }

    fn parse_response(
        &self,
        response: &HttpResponse,
        style: ResultStyle,
    ) -> Result<Value, Error<ServiceErrorValue>> {
        decode::<O>(response)
            .map(|output| output.to_params(style))
            .map_err(|error| error.map_service(|error| ServiceErrorValue::of(&error, style)))
    }

    fn call_with_body<'a>(
        &self,
        client: &'a ServiceClient,
        params: &'a Value,
        style: ResultStyle,
        body: Option<crate::ByteStream>,
    ) -> BoxFuture<'a, Result<(Value, crate::Bytes), Error<ServiceErrorValue>>> {
        Box::pin(async move {
            if O::EVENT_STREAM_OUTPUT {
                // The typed client reads these responses as they arrive; as JSON they have no
                // form (the AWS CLI v1 leaves most such commands out).
                return Err(Error::Unsupported {
                    operation: O::NAME,
                    feature: "its event stream read into JSON, which only the typed client does",
                });
            }
            let mut input = O::Input::from_params(params, &Path::Root)
                .map_err(|error| Error::Build(BuildError::new(O::NAME, error.to_string())))?;
            if let Some(body) = body {
                O::set_streaming_input(&mut input, body);
            }
            let (response, url_encoded) = client
                .respond::<O>(&mut input)
                .await
                .map_err(|error| error.map_service(|error| ServiceErrorValue::of(&error, style)))?;
            decode_call::<O>(&response, url_encoded)
                .map(|output| (output.to_params(style), response.body.clone()))
                .map_err(|error| error.map_service(|error| ServiceErrorValue::of(&error, style)))
        })
    }
}

/// A generated crate's operations, sorted by name.
#[derive(Clone, Copy)]
pub struct Operations(&'static [&'static dyn DynamicOperation]);

impl fmt::Debug for Operations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Operations {
    /// The table of a generated crate, which lists its operations sorted by name.
    pub const fn new(operations: &'static [&'static dyn DynamicOperation]) -> Self {
        Operations(operations)
    }

    /// The operation named `name`.
    pub fn get(&self, name: &str) -> Option<&'static dyn DynamicOperation> {
        self.0
            .binary_search_by(|operation| operation.name().cmp(name))
            .ok()
            .map(|index| self.0[index])
    }

    /// Every operation's name, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        self.0.iter().map(|operation| operation.name())
    }

    /// [`DynamicOperation::build_request`] of the operation named `operation`.
    pub fn build_request(
        &self,
        operation: &str,
        params: &Value,
        endpoint: &str,
    ) -> Result<HttpRequest, DynamicError> {
        self.get(operation)
            .ok_or_else(|| DynamicError::UnknownOperation(operation.to_owned()))?
            .build_request(params, endpoint)
    }

    /// [`DynamicOperation::check_input`] of the operation named `operation`.
    pub fn check_input(&self, operation: &str, params: &Value) -> Result<(), InputError> {
        self.get(operation)
            .ok_or_else(|| InputError::UnknownOperation(operation.to_owned()))?
            .check_input(params)
    }

    /// [`DynamicOperation::parse_response`] of the operation named `operation`.
    pub fn parse_response(
        &self,
        operation: &str,
        response: &HttpResponse,
        style: ResultStyle,
    ) -> Result<Value, Error<ServiceErrorValue>> {
        self.get(operation)
            .ok_or_else(|| Error::Build(unknown_operation(operation)))?
            .parse_response(response, style)
    }

    /// [`DynamicOperation::call_with_body`] of the operation named `operation`.
    pub async fn call_with_body(
        &self,
        client: &ServiceClient,
        operation: &str,
        params: &Value,
        style: ResultStyle,
        body: Option<crate::ByteStream>,
    ) -> Result<(Value, crate::Bytes), Error<ServiceErrorValue>> {
        let found = self
            .get(operation)
            .ok_or_else(|| Error::Build(unknown_operation(operation)))?;
        found.call_with_body(client, params, style, body).await
    }

    /// [`DynamicOperation::call`] of the operation named `operation`.
    pub async fn call(
        &self,
        client: &ServiceClient,
        operation: &str,
        params: &Value,
        style: ResultStyle,
    ) -> Result<Value, Error<ServiceErrorValue>> {
        self.call_with_body(client, operation, params, style, None)
            .await
            .map(|(result, _)| result)
    }
}

fn unknown_operation(name: &str) -> BuildError {
    BuildError::new("(dynamic)", format!("unknown operation {name:?}"))
}

/// An operation's error enum in botocore form.
pub trait ErrorParams: OperationError {
    /// The members of a modeled exception; `None` for an unmodeled one.
    fn members(&self, style: ResultStyle) -> Option<Value>;
}

/// A service error of an operation called by name.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceErrorValue {
    /// The error code.
    pub code: String,
    /// The service's message, if it sent one.
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

impl OperationError for ServiceErrorValue {
    fn code(&self) -> &str {
        &self.code
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl ServiceErrorValue {
    fn of<E: ErrorParams>(error: &E, style: ResultStyle) -> Self {
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
    /// The crate has no operation of this name.
    UnknownOperation(String),
    /// A value does not fit its member's shape.
    Params(ParamsError),
    /// The input cannot be put on the wire.
    Build(BuildError),
    /// The operation needs a feature the generator could not honour.
    Unsupported {
        /// What is not supported, e.g. `event streams`.
        feature: &'static str,
    },
}

impl fmt::Display for DynamicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DynamicError::UnknownOperation(name) => write!(f, "unknown operation {name:?}"),
            DynamicError::Params(error) => write!(f, "invalid parameters: {error}"),
            DynamicError::Build(error) => error.fmt(f),
            DynamicError::Unsupported { feature } => {
                write!(
                    f,
                    "the operation needs {feature}, which is not supported yet"
                )
            }
        }
    }
}

impl std::error::Error for DynamicError {}

/// Why botocore-form parameters do not make a valid input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InputError {
    /// The crate has no operation of this name.
    UnknownOperation(String),
    /// A value does not fit its member's shape.
    Params(ParamsError),
    /// The input breaks the model's constraints.
    Invalid(ValidationError),
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
