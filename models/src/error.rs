//! Errors for models that cannot be loaded.
//!
//! The loader never stops at the first problem: it walks the whole model, collects every
//! [`Problem`] with the JSON path where it was found, and fails once with a [`ModelError`].

use std::fmt;

/// Why a model could not be loaded: every problem found, in the order found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ModelError {
    /// The file (or label) the model was read from.
    pub source_name: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        let plural = if count == 1 { "" } else { "s" };
        write!(
            f,
            "{}: {count} problem{plural} in the model",
            self.source_name
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

impl ModelError {
    /// True when every problem is an unsupported feature rather than a broken model.
    pub fn is_unsupported(&self) -> bool {
        !self.problems.is_empty()
            && self
                .problems
                .iter()
                .all(|problem| matches!(problem.kind, ProblemKind::Unsupported(_)))
    }
}

/// One thing wrong with a model, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the JSON document, e.g. `shapes.Contact.members.Id.shape`.
    pub path: String,
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "at {}: {}", self.path, self.kind)
        }
    }
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("missing required key `{0}`")]
    MissingKey(String),
    #[error("expected {expected}, found {found}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    #[error("unknown shape `{0}`")]
    UnknownShape(String),
    #[error("unknown member `{0}`")]
    UnknownMember(String),
    #[error("unknown operation `{0}`")]
    UnknownOperation(String),
    #[error("invalid value {value}: {reason}")]
    InvalidValue { value: String, reason: String },
    #[error(
        "members `{first}` and `{second}` both use the wire name `{wire_name}` in the {location}"
    )]
    DuplicateWireName {
        first: String,
        second: String,
        wire_name: String,
        location: &'static str,
    },
    #[error("duplicate enum value `{0}`")]
    DuplicateEnumValue(String),
    #[error("min {min} is greater than max {max}")]
    EmptyRange { min: String, max: String },
    #[error("{role} must be {expected}, but `{member}` is {found}")]
    WrongTarget {
        member: String,
        role: &'static str,
        expected: &'static str,
        found: String,
    },
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// Name of a JSON value's type, for [`ProblemKind::WrongType`].
pub(crate) fn json_type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
