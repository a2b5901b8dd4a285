//! What a call can fail with. [`Error`] is generic over the operation's own error enum, so a
//! `match` lists exactly the exceptions that operation models; everything that is not the
//! service's answer (bad input, credentials, transport, time-outs, undecodable bodies) is a
//! variant of its own.

use std::fmt;

use crate::http::{HttpResponse, TransportError};
use crate::validate::ValidationError;

/// The error of one call; `E` is the operation's error enum (`DescribeContactError`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with an error: one the operation models, or `Unmodeled`.
    Service {
        /// The operation's error.
        error: E,
        /// Status, request id, code and message of the error response.
        meta: ErrorMeta,
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
    NotImplemented {
        /// The model's name of the operation.
        operation: &'static str,
    },
    /// The service's endpoint rules give no endpoint for this call (FIPS asked for where there
    /// is none, a parameter missing), or one signed in a way the runtime does not sign; nothing
    /// was sent. The message is the rules' own, as botocore's `EndpointResolutionError` gives it.
    Endpoint {
        /// The model's name of the operation.
        operation: &'static str,
        /// Why there is no endpoint.
        message: String,
    },
    /// The operation needs a feature of its model this crate cannot honour yet; nothing was
    /// sent. `codegen generate` lists these operations.
    Unsupported {
        /// The model's name of the operation.
        operation: &'static str,
        /// What is not supported, e.g. `event streams`.
        feature: &'static str,
    },
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
            Error::Service { error, meta } => Error::Service {
                error: map(error),
                meta,
            },
            Error::InvalidInput(error) => Error::InvalidInput(error),
            Error::Build(error) => Error::Build(error),
            Error::Credentials(error) => Error::Credentials(error),
            Error::Transport(error) => Error::Transport(error),
            Error::Timeout(error) => Error::Timeout(error),
            Error::Decode(error) => Error::Decode(error),
            Error::NotImplemented { operation } => Error::NotImplemented { operation },
            Error::Endpoint { operation, message } => Error::Endpoint { operation, message },
            Error::Unsupported { operation, feature } => Error::Unsupported { operation, feature },
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service { error, meta } => {
                write!(f, "{error} (HTTP {}", meta.status)?;
                if let Some(id) = &meta.request_id {
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
            Error::Endpoint { operation, message } => {
                write!(f, "no endpoint for {operation}: {message}")
            }
            Error::Unsupported { operation, feature } => write!(
                f,
                "{operation} is not supported by this crate yet: it needs {feature}"
            ),
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
            Error::NotImplemented { .. } | Error::Endpoint { .. } | Error::Unsupported { .. } => {
                None
            }
        }
    }
}

/// What every error response carries, as its protocol reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The HTTP status.
    pub status: u16,
    /// The request id AWS returned, if any.
    pub request_id: Option<String>,
    /// The error code as the service sent it, without namespace prefix or `:` suffix: for
    /// query-compatible services, the query code of `x-amzn-query-error`
    /// (`AWS.SimpleQueueService.NonExistentQueue`). Empty when the response had none.
    pub code: String,
    /// The service's message, if it sent one.
    pub message: Option<String>,
    /// Query-compatible services: `Sender` or `Receiver`, from `x-amzn-query-error`.
    pub fault: Option<String>,
    /// Query-compatible services: the code of the body's `__type` when [`code`](Self::code)
    /// came from `x-amzn-query-error`. It is what names the modeled shape when the model gives
    /// no `error.code` (SQS).
    pub type_code: Option<String>,
}

impl ErrorMeta {
    /// Status and request id of `response`, and nothing else yet.
    pub fn of(response: &HttpResponse) -> Self {
        ErrorMeta {
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            ..ErrorMeta::default()
        }
    }

    /// The codes a modeled error is looked up by, in order: [`code`](Self::code), then
    /// [`type_code`](Self::type_code).
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.code.as_str()).chain(self.type_code.as_deref())
    }

    /// The first of [`codes`](Self::codes) that an operation models (`modeled` lists the codes
    /// of its modeled errors).
    pub fn modeled_code<'a>(&self, modeled: &[&'a str]) -> Option<&'a str> {
        self.codes()
            .find_map(|code| modeled.iter().copied().find(|modeled| *modeled == code))
    }

    /// The error as an unmodeled one.
    pub fn unmodeled(&self) -> UnmodeledError {
        UnmodeledError {
            code: self.code.clone(),
            message: self.message.clone(),
            status: self.status,
            request_id: self.request_id.clone(),
        }
    }
}

/// An error code the operation does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmodeledError {
    /// The code, without namespace prefix or `:` suffix; empty when the response had none.
    pub code: String,
    /// The service's message, if it sent one.
    pub message: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// The request id AWS returned, if any.
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
    operation: &'static str,
    message: String,
}

impl BuildError {
    /// Why `operation`'s input cannot be put on the wire.
    pub fn new(operation: &'static str, message: impl Into<String>) -> Self {
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
    /// The HTTP status of the response.
    pub status: u16,
    /// The request id AWS returned, if any.
    pub request_id: Option<String>,
    /// What does not decode, and where.
    pub message: String,
}

impl DecodeError {
    /// Why `response` does not decode.
    pub fn new(response: &HttpResponse, message: impl fmt::Display) -> Self {
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

/// No usable credentials: a source failed, a source is not set up here (a chain goes on to the
/// next one), or no source of a chain had any, with what each one said.
///
/// Messages name sources, files, lines, variables and profiles, never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    tried: Vec<TriedSource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CredentialsErrorKind {
    Failed,
    NotLoaded,
    NoneFound,
}

/// One source a credential chain tried, and why it gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriedSource {
    /// The source (`environment`, `instance metadata`, `profile dev: credential_process`).
    pub source: String,
    /// Why it gave nothing (`AWS_ACCESS_KEY_ID is not set`).
    pub reason: String,
}

impl CredentialsError {
    /// Credentials could not be found or used, for this reason. A chain stops here: the
    /// source is set up but failed.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            kind: CredentialsErrorKind::Failed,
            message: message.into(),
            tried: Vec::new(),
        }
    }

    /// The source is not set up here (no variable, no setting, no endpoint answering); a chain
    /// goes on to its next source.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        CredentialsError {
            kind: CredentialsErrorKind::NotLoaded,
            ..CredentialsError::new(message)
        }
    }

    /// No source of a chain yielded credentials; `tried` says, in order, why each gave none.
    pub fn none_found(tried: Vec<TriedSource>) -> Self {
        CredentialsError {
            kind: CredentialsErrorKind::NoneFound,
            message: "no credentials found".to_owned(),
            tried,
        }
    }

    /// Whether the source is merely not set up here (see [`not_loaded`](Self::not_loaded)).
    pub fn is_not_loaded(&self) -> bool {
        self.kind == CredentialsErrorKind::NotLoaded
    }

    /// The sources a chain tried, when none yielded credentials; empty otherwise.
    pub fn tried(&self) -> &[TriedSource] {
        &self.tried
    }

    /// The reason alone, without the sources tried.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error, its message prefixed with where it happened.
    pub(crate) fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "credentials: {}", self.message)?;
        if !self.tried.is_empty() {
            f.write_str("; tried, in order:")?;
            for tried in &self.tried {
                write!(f, "\n  - {}: {}", tried.source, tried.reason)?;
            }
        }
        Ok(())
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
