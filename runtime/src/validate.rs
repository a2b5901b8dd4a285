//! Client-side validation of every constraint the model states: required members, lengths,
//! ranges, patterns, and (on request) enum values and union members the model does not list.
//!
//! Every violation is collected with the path a user can find in their input
//! (`RoutingCriteria.Steps[2].Expression.AndExpression[0].AttributeCondition.Value`). A valid
//! value allocates nothing: paths live on the stack and are only written out for a violation.

use std::fmt;
use std::sync::OnceLock;

/// A value whose model constraints can be checked before it is sent.
pub trait Validate {
    /// Checks every constraint, recursively, and returns all violations.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_with(ValidateOptions::default())
    }

    /// Like [`validate`](Self::validate), with options.
    fn validate_with(&self, options: ValidateOptions) -> Result<(), ValidationError> {
        let mut validator = Validator::new(options);
        self.check(&Path::Root, &mut validator);
        validator.finish()
    }

    /// Adds the violations found in `self`, which sits at `path`, to `validator`.
    fn check(&self, path: &Path<'_>, validator: &mut Validator);
}

/// What to check beyond the model's constraints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidateOptions {
    /// Report enum values and union members this model does not list. Off by default: the
    /// service may know values newer than this crate.
    pub check_unknown_values: bool,
}

impl ValidateOptions {
    /// Also report values the model does not list.
    pub fn check_unknown_values(mut self, check: bool) -> Self {
        self.check_unknown_values = check;
        self
    }
}

/// Where a value sits in the input: built on the stack while walking, written out only for a
/// violation.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The value being validated.
    Root,
    /// A member of a structure or union, by its model name.
    Member(&'a Path<'a>, &'static str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
    /// The entry of a map with this key.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// Member `name` of the value here.
    pub fn member(&'a self, name: &'static str) -> Path<'a> {
        Path::Member(self, name)
    }

    /// Item `index` of the list here.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The entry `key` of the map here.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Member(Path::Root, name) => f.write_str(name),
            Path::Member(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A number in a range violation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer or long.
    Int(i64),
    /// A float or double.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(value) => write!(f, "{value}"),
            Number::Float(value) => write!(f, "{value}"),
        }
    }
}

/// What a length counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values, as Smithy and botocore count string lengths.
    Characters,
    /// Bytes, as blob lengths count.
    Bytes,
    /// Items of a list or entries of a map.
    Entries,
}

impl fmt::Display for LengthUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LengthUnit::Characters => "characters",
            LengthUnit::Bytes => "bytes",
            LengthUnit::Entries => "entries",
        })
    }
}

/// Which constraint a value breaks. Values of `sensitive` members are never kept.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A `required` member is not set.
    Required,
    /// A string, blob, list or map is too short or too long.
    Length {
        /// The least length allowed.
        min: Option<u64>,
        /// The greatest length allowed.
        max: Option<u64>,
        /// The value's length.
        actual: u64,
        /// What the lengths count.
        unit: LengthUnit,
    },
    /// A number is outside its range, or is NaN or infinite where a range is set.
    Range {
        /// The least value allowed.
        min: Option<Number>,
        /// The greatest value allowed.
        max: Option<Number>,
        /// `None` for sensitive members.
        actual: Option<Number>,
    },
    /// A string does not match the model's pattern (searched, not anchored).
    Pattern {
        /// The pattern as the model writes it.
        pattern: &'static str,
        /// `None` for sensitive members.
        value: Option<String>,
    },
    /// The pattern could not be evaluated on this value (the regex engine gave up).
    PatternNotEvaluated {
        /// The pattern as the model writes it.
        pattern: &'static str,
        /// What the regex engine said.
        reason: String,
    },
    /// An enum value the model does not list (only with `check_unknown_values`).
    UnknownEnumValue {
        /// The value given.
        value: String,
    },
    /// A union member the model does not list (only with `check_unknown_values`).
    UnknownUnionMember {
        /// The member's name.
        name: String,
    },
}

/// One broken constraint and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    path: String,
    kind: ViolationKind,
}

impl Violation {
    /// The path of the value in the input, e.g. `Tags["aws:x"]`; empty for the input itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which constraint is broken.
    pub fn kind(&self) -> &ViolationKind {
        &self.kind
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "input"
        } else {
            &self.path
        };
        write!(f, "{path}: ")?;
        match &self.kind {
            ViolationKind::Required => f.write_str("is required"),
            ViolationKind::Length {
                min,
                max,
                actual,
                unit,
            } => {
                write!(f, "has {actual} {unit}, ")?;
                write_bounds(f, min, max, "length")
            }
            ViolationKind::Range { min, max, actual } => {
                match actual {
                    Some(actual) => write!(f, "is {actual}, ")?,
                    None => f.write_str("(sensitive value) is ")?,
                }
                write_bounds(f, min, max, "value")
            }
            ViolationKind::Pattern { pattern, value } => match value {
                Some(value) => write!(f, "{value:?} does not match the pattern `{pattern}`"),
                None => write!(
                    f,
                    "does not match the pattern `{pattern}` (sensitive value)"
                ),
            },
            ViolationKind::PatternNotEvaluated { pattern, reason } => {
                write!(
                    f,
                    "the pattern `{pattern}` could not be evaluated: {reason}"
                )
            }
            ViolationKind::UnknownEnumValue { value } => {
                write!(f, "{value:?} is not a value this model lists")
            }
            ViolationKind::UnknownUnionMember { name } => {
                write!(f, "member `{name}` is not one this model lists")
            }
        }
    }
}

fn write_bounds<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    min: &Option<T>,
    max: &Option<T>,
    what: &str,
) -> fmt::Result {
    match (min, max) {
        (Some(min), Some(max)) => write!(f, "but the {what} must be from {min} to {max}"),
        (Some(min), None) => write!(f, "but the {what} must be at least {min}"),
        (None, Some(max)) => write!(f, "but the {what} must be at most {max}"),
        (None, None) => write!(f, "but the {what} must be finite"),
    }
}

/// Every violation found in a value.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// Every violation, in the order the value was walked.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.violations.len();
        write!(
            f,
            "{count} constraint violation{}",
            if count == 1 { "" } else { "s" }
        )?;
        for violation in &self.violations {
            write!(f, "\n  {violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects violations while generated `check` methods walk a value.
#[derive(Debug)]
pub struct Validator {
    options: ValidateOptions,
    violations: Vec<Violation>,
}

impl Validator {
    /// A validator with nothing found yet.
    pub fn new(options: ValidateOptions) -> Self {
        Validator {
            options,
            violations: Vec::new(),
        }
    }

    /// The violations found, if any.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                violations: self.violations,
            })
        }
    }

    fn report(&mut self, path: &Path<'_>, kind: ViolationKind) {
        self.violations.push(Violation {
            path: path.to_string(),
            kind,
        });
    }

    /// Member `name` of the structure at `path` must be set.
    pub fn required<T>(&mut self, path: &Path<'_>, name: &'static str, value: &Option<T>) {
        if value.is_none() {
            self.report(&path.member(name), ViolationKind::Required);
        }
    }

    /// `min` 0 and `max` `u64::MAX` stand for "no bound".
    pub fn length(&mut self, path: &Path<'_>, actual: usize, min: u64, max: u64, unit: LengthUnit) {
        let actual = actual as u64;
        if actual < min || actual > max {
            self.report(
                path,
                ViolationKind::Length {
                    min: (min != 0).then_some(min),
                    max: (max != u64::MAX).then_some(max),
                    actual,
                    unit,
                },
            );
        }
    }

    /// Length in Unicode scalar values, then the pattern.
    pub fn string(
        &mut self,
        path: &Path<'_>,
        value: &str,
        min: u64,
        max: u64,
        pattern: Option<&Pattern>,
        sensitive: bool,
    ) {
        // A character takes one to four bytes, so when the byte length already proves both
        // bounds (`bytes <= max` and `bytes / 4 >= min`) the characters need no counting.
        let bytes = value.len() as u64;
        if bytes > max || bytes / 4 < min {
            self.length(
                path,
                value.chars().count(),
                min,
                max,
                LengthUnit::Characters,
            );
        }
        if let Some(pattern) = pattern {
            match pattern.is_match(value) {
                Ok(true) => {}
                Ok(false) => {
                    let value = (!sensitive).then(|| value.to_owned());
                    let pattern = pattern.source;
                    self.report(path, ViolationKind::Pattern { pattern, value });
                }
                Err(reason) => {
                    let pattern = pattern.source;
                    self.report(path, ViolationKind::PatternNotEvaluated { pattern, reason });
                }
            }
        }
    }

    /// `i64::MIN` and `i64::MAX` stand for "no bound".
    pub fn int_range(&mut self, path: &Path<'_>, actual: i64, min: i64, max: i64, sensitive: bool) {
        if actual < min || actual > max {
            self.report(
                path,
                ViolationKind::Range {
                    min: (min != i64::MIN).then_some(Number::Int(min)),
                    max: (max != i64::MAX).then_some(Number::Int(max)),
                    actual: (!sensitive).then_some(Number::Int(actual)),
                },
            );
        }
    }

    /// Infinite bounds stand for "no bound". NaN and infinities break any range: this is only
    /// called where the model sets one.
    pub fn float_range(
        &mut self,
        path: &Path<'_>,
        actual: f64,
        min: f64,
        max: f64,
        sensitive: bool,
    ) {
        if !actual.is_finite() || actual < min || actual > max {
            self.report(
                path,
                ViolationKind::Range {
                    min: min.is_finite().then_some(Number::Float(min)),
                    max: max.is_finite().then_some(Number::Float(max)),
                    actual: (!sensitive).then_some(Number::Float(actual)),
                },
            );
        }
    }

    /// An enum value the model does not list, reported only when the options ask for it.
    pub fn unknown_enum_value(&mut self, path: &Path<'_>, value: &str) {
        if self.options.check_unknown_values {
            let value = value.to_owned();
            self.report(path, ViolationKind::UnknownEnumValue { value });
        }
    }

    /// A union member the model does not list, reported only when the options ask for it.
    pub fn unknown_union_member(&mut self, path: &Path<'_>, name: &str) {
        if self.options.check_unknown_values {
            let name = name.to_owned();
            self.report(path, ViolationKind::UnknownUnionMember { name });
        }
    }
}

/// A model pattern, compiled on first use. The generator has already checked that it compiles.
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as the model writes it, for messages.
    source: &'static str,
    /// The same pattern in `fancy-regex` syntax.
    regex: &'static str,
    compiled: OnceLock<Result<fancy_regex::Regex, String>>,
}

impl Pattern {
    /// The pattern `source` of the model, compiled as `regex` (its `fancy-regex` form).
    pub const fn new(source: &'static str, regex: &'static str) -> Self {
        Pattern {
            source,
            regex,
            compiled: OnceLock::new(),
        }
    }

    /// Searches `value` (model patterns are not anchored).
    fn is_match(&self, value: &str) -> Result<bool, String> {
        let compiled = self.compiled.get_or_init(|| {
            fancy_regex::RegexBuilder::new(self.regex)
                // The limit the generator checked the pattern with.
                .delegate_size_limit(64 << 20)
                .build()
                .map_err(|error| error.to_string())
        });
        match compiled {
            Ok(regex) => regex.is_match(value).map_err(|error| error.to_string()),
            Err(error) => Err(error.clone()),
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn check(&self, path: &Path<'_>, validator: &mut Validator) {
        (**self).check(path, validator);
    }
}
