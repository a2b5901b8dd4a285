//! What a call can fail with. [`Error`] is generic over the operation's own error enum, so a
//! `match` lists exactly the exceptions that operation models; everything that is not the
//! service's answer (bad input, credentials, transport, time-outs, undecodable bodies) is a
//! variant of its own.

use std::fmt;

use super::http::{HttpResponse, TransportError};
use super::validate::ValidationError;

/// The error of one call; `E` is the operation's error enum (`DescribeContactError`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with an error: one the operation models, or `Unmodeled`.
    Service {
        error: E,
        /// Status and request id of the error response.
        response: ResponseMeta,
    },
    /// The input breaks the model's constraints; nothing was sent.
    InvalidInput(ValidationError),
    /// The input cannot be put on the wire (for example an empty URI label); nothing was sent.
    Build(BuildError),
    /// No credentials were found, or they could not be used to sign.
    Credentials(CredentialsError),
    /// No response: the connection could not be made or broke.
    Transport(TransportError),
    /// No response within the connect or read time-out.
    Timeout(TransportError),
    /// A response came back but its body or headers do not decode.
    Decode(DecodeError),
    /// A mock implementation of the service trait does not provide this operation.
    NotImplemented { operation: &'static str },
}

impl<E> Error<E> {
    /// The operation's error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            Error::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The operation's error, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            Error::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Converts the service error, keeping every other variant.
    pub fn map_service<F>(self, map: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Service { error, response } => Error::Service {
                error: map(error),
                response,
            },
            Error::InvalidInput(error) => Error::InvalidInput(error),
            Error::Build(error) => Error::Build(error),
            Error::Credentials(error) => Error::Credentials(error),
            Error::Transport(error) => Error::Transport(error),
            Error::Timeout(error) => Error::Timeout(error),
            Error::Decode(error) => Error::Decode(error),
            Error::NotImplemented { operation } => Error::NotImplemented { operation },
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service { error, response } => {
                write!(f, "{error} (HTTP {}", response.status)?;
                if let Some(id) = &response.request_id {
                    write!(f, ", request id {id}")?;
                }
                f.write_str(")")
            }
            Error::InvalidInput(error) => write!(f, "invalid input: {error}"),
            Error::Build(error) => error.fmt(f),
            Error::Credentials(error) => error.fmt(f),
            Error::Transport(error) | Error::Timeout(error) => error.fmt(f),
            Error::Decode(error) => error.fmt(f),
            Error::NotImplemented { operation } => {
                write!(f, "{operation} is not implemented by this client")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Service { error, .. } => Some(error),
            Error::InvalidInput(error) => Some(error),
            Error::Build(error) => Some(error),
            Error::Credentials(error) => Some(error),
            Error::Transport(error) | Error::Timeout(error) => Some(error),
            Error::Decode(error) => Some(error),
            Error::NotImplemented { .. } => None,
        }
    }
}

/// The parts of an error response every error keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    pub status: u16,
    pub request_id: Option<String>,
}

impl ResponseMeta {
    pub(crate) fn of(response: &HttpResponse) -> Self {
        ResponseMeta {
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
        }
    }
}

/// An error code the operation does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmodeledError {
    /// The code, without namespace prefix or `:` suffix; empty when the response had none.
    pub code: String,
    pub message: Option<String>,
    pub status: u16,
    pub request_id: Option<String>,
}

impl fmt::Display for UnmodeledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = if self.code.is_empty() {
            "unknown error"
        } else {
            &self.code
        };
        match &self.message {
            Some(message) => write!(f, "{code}: {message}"),
            None => f.write_str(code),
        }
    }
}

impl std::error::Error for UnmodeledError {}

/// Why an input could not be serialized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub(crate) operation: &'static str,
    pub(crate) message: String,
}

impl BuildError {
    pub(crate) fn new(operation: &'static str, message: impl Into<String>) -> Self {
        BuildError {
            operation,
            message: message.into(),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot build the {} request: {}",
            self.operation, self.message
        )
    }
}

impl std::error::Error for BuildError {}

/// A response that does not decode. The body is not kept: it may hold sensitive members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub status: u16,
    pub request_id: Option<String>,
    pub message: String,
}

impl DecodeError {
    pub(crate) fn new(response: &HttpResponse, message: impl fmt::Display) -> Self {
        DecodeError {
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the HTTP {} response does not decode: {}",
            self.status, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

/// No usable credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    pub(crate) message: String,
}

impl CredentialsError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// Implemented by every operation's error enum.
pub trait OperationError: fmt::Debug + fmt::Display + Send + Sync + 'static {
    /// The error code (`ResourceNotFoundException`).
    fn code(&self) -> &str;
    /// The service's message, if it sent one.
    fn message(&self) -> Option<&str>;
}
