//! Waiters (feature `waiters`): an operation called again and again until its response shows
//! what was waited for, as `waiters-2.json` describes it and botocore's `waiter.py` decides it.
//!
//! A generated crate describes each waiter as a static [`Waiter`]; [`wait`] drives a typed call
//! and the command line's `wait` drives a call by name. Acceptors look at a response in its
//! botocore form ([`Params`]), because the model's JMESPath expressions are written against
//! that form; the expressions run on the `jmespath` crate, as botocore runs them on Python's.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde_json::Value;

use crate::error::Error;
use crate::params::{Params, ResultStyle};

/// One waiter of a service.
#[derive(Debug)]
pub struct Waiter {
    /// The model's name (`TableExists`).
    pub name: &'static str,
    /// The model's name of the operation polled (`DescribeTable`).
    pub operation: &'static str,
    /// The time between two calls, unless [`WaitConfig::delay`] says otherwise.
    pub delay: Duration,
    /// Calls at most, unless [`WaitConfig::max_attempts`] says otherwise.
    pub max_attempts: u32,
    /// The status of the operation's successful responses (the model's `responseCode`), which
    /// `status` acceptors compare with: a typed output does not carry its status.
    pub success_status: u16,
    /// Tried in order on every response; the first that matches decides.
    pub acceptors: &'static [Acceptor],
}

/// When its matcher matches a response, the waiter enters its state.
#[derive(Debug)]
pub struct Acceptor {
    /// What a match means.
    pub state: State,
    /// How the response is looked at.
    pub matcher: Matcher,
}

/// What an acceptor's match means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// What was waited for holds: the wait is over.
    Success,
    /// What was waited for cannot hold any more: the wait fails.
    Failure,
    /// Call again.
    Retry,
}

/// How an acceptor looks at a response.
#[derive(Debug)]
pub enum Matcher {
    /// The JMESPath expression over a result equals the value.
    Path(&'static str, Expected),
    /// The expression gives a non-empty list whose every element equals the value.
    PathAll(&'static str, Expected),
    /// The expression gives a non-empty list with an element equal to the value.
    PathAny(&'static str, Expected),
    /// The response, result or error, has this HTTP status.
    Status(u16),
    /// The response is an error with this code.
    Error(&'static str),
    /// The response is an error (`true`) or a result (`false`).
    AnyError(bool),
}

/// The value a path matcher expects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expected {
    /// A string.
    String(&'static str),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
}

impl fmt::Display for Expected {
    /// As botocore's explanations print the value (Python's `str`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::String(text) => f.write_str(text),
            Expected::Bool(true) => f.write_str("True"),
            Expected::Bool(false) => f.write_str("False"),
            Expected::Number(number) => write!(f, "{number}"),
        }
    }
}

impl Acceptor {
    /// What the acceptor matched, in botocore's words (its `explanation`), which the
    /// waiter's failures quote.
    pub fn explanation(&self) -> String {
        match &self.matcher {
            Matcher::Path(argument, expected) => {
                format!("For expression \"{argument}\" we matched expected path: \"{expected}\"")
            }
            Matcher::PathAll(argument, expected) => format!(
                "For expression \"{argument}\" all members matched expected path: \"{expected}\""
            ),
            Matcher::PathAny(argument, expected) => format!(
                "For expression \"{argument}\" we matched expected path: \"{expected}\" at least once"
            ),
            Matcher::Status(status) => format!("Matched expected HTTP status code: {status}"),
            Matcher::Error(code) => format!("Matched expected service error code: {code}"),
            Matcher::AnyError(true) => "Matched expected service error code: True".to_owned(),
            Matcher::AnyError(false) => "Matched expected service error code: False".to_owned(),
        }
    }

    fn matches(&self, response: &Observation) -> bool {
        match (&self.matcher, response) {
            (Matcher::Path(argument, expected), Observation::Result { value, .. }) => {
                search(argument, value).is_some_and(|found| equals(&found, expected))
            }
            (Matcher::PathAll(argument, expected), Observation::Result { value, .. }) => {
                search(argument, value).is_some_and(|found| match found.as_array() {
                    Some(items) => {
                        !items.is_empty() && items.iter().all(|item| equals(item, expected))
                    }
                    None => false,
                })
            }
            (Matcher::PathAny(argument, expected), Observation::Result { value, .. }) => {
                search(argument, value).is_some_and(|found| match found.as_array() {
                    Some(items) => items.iter().any(|item| equals(item, expected)),
                    None => false,
                })
            }
            (Matcher::Status(status), response) => response.status() == *status,
            (Matcher::Error(code), Observation::Error { code: found, .. }) => found == code,
            (Matcher::AnyError(error), response) => {
                *error == matches!(response, Observation::Error { .. })
            }
            // Paths look at results only; an error code at errors only.
            (
                Matcher::Path(..) | Matcher::PathAll(..) | Matcher::PathAny(..),
                Observation::Error { .. },
            )
            | (Matcher::Error(_), Observation::Result { .. }) => false,
        }
    }
}

/// The expression's value over `value`, or `None` when it does not compile or fails (the
/// generator checks every expression, so neither happens to a generated waiter).
fn search(expression: &str, value: &Value) -> Option<jmespath::Variable> {
    let compiled = jmespath::compile(expression).ok()?;
    let found = compiled.search(value).ok()?;
    Some((*found).clone())
}

/// Python's `==` between what an expression found and the expected value, as botocore compares
/// them: numbers by value, and `True` equal to `1`.
fn equals(found: &jmespath::Variable, expected: &Expected) -> bool {
    use jmespath::Variable;
    let number = |found: &Variable| match found {
        Variable::Number(number) => number.as_f64(),
        Variable::Bool(flag) => Some(f64::from(u8::from(*flag))),
        _ => None,
    };
    match (found, expected) {
        (Variable::String(found), Expected::String(expected)) => found == expected,
        (found, Expected::Bool(expected)) => number(found) == Some(f64::from(u8::from(*expected))),
        (found, Expected::Number(expected)) => number(found) == Some(*expected),
        _ => false,
    }
}

/// A response as acceptors see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// A result, in botocore form.
    Result {
        /// Its HTTP status.
        status: u16,
        /// The result.
        value: Value,
    },
    /// An error the service answered with.
    Error {
        /// Its HTTP status.
        status: u16,
        /// Its code, as [`ErrorMeta::code`](crate::error::ErrorMeta::code) has it.
        code: String,
        /// Its message.
        message: Option<String>,
    },
}

impl Observation {
    fn status(&self) -> u16 {
        match self {
            Observation::Result { status, .. } | Observation::Error { status, .. } => *status,
        }
    }

    /// How a call's outcome looks to the acceptors of `waiter`; `None` when no response came
    /// (or none that decodes), which ends the wait with that error, as botocore lets such an
    /// exception through its waiters.
    pub fn of<O: Params, E>(waiter: &Waiter, outcome: &Result<O, Error<E>>) -> Option<Self> {
        match outcome {
            Ok(output) => Some(Observation::Result {
                status: waiter.success_status,
                value: output.to_params(ResultStyle::Botocore),
            }),
            Err(error) => Observation::of_error(error),
        }
    }

    /// The observation of an error: `Some` for an error the service answered with.
    pub fn of_error<E>(error: &Error<E>) -> Option<Self> {
        match error {
            Error::Service { meta, .. } => Some(Observation::Error {
                status: meta.status,
                code: meta.code.clone(),
                message: meta.message.clone(),
            }),
            _ => None,
        }
    }
}

/// How long and how often to wait, where a caller wants other than the model's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaitConfig {
    delay: Option<Duration>,
    max_attempts: Option<u32>,
}

impl WaitConfig {
    /// The model's delay and attempts (botocore's `WaiterConfig` left empty).
    pub fn new() -> Self {
        WaitConfig::default()
    }

    /// The time between two calls (botocore's `Delay`).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Calls at most, the first included (botocore's `MaxAttempts`); at least one call is
    /// always made.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }
}

/// A wait that succeeded.
#[derive(Debug)]
pub struct Waited<T> {
    /// The calls made.
    pub attempts: u32,
    /// The response that matched the success acceptor: a result, or the error a waiter for
    /// something's absence waits for.
    pub last: T,
}

/// Why a wait failed, with botocore's reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitFailure {
    /// An acceptor with the failure state matched (its [`explanation`](Acceptor::explanation)).
    Failure(String),
    /// No success after the last attempt; the explanation of the acceptor that matched last,
    /// if one did.
    MaxAttempts(Option<String>),
    /// The service answered with an error no acceptor expects.
    UnexpectedError {
        /// The error's code.
        code: String,
        /// The error's message.
        message: Option<String>,
    },
    /// No response came, or none that decodes: the call's own error is the last response.
    NoResponse,
}

/// A wait that failed.
#[derive(Debug)]
pub struct WaitError<T> {
    /// The waiter's name.
    pub waiter: &'static str,
    /// Why.
    pub reason: WaitFailure,
    /// The calls made.
    pub attempts: u32,
    /// The last response (or the call's error).
    pub last: T,
}

impl<T> fmt::Display for WaitError<T> {
    /// botocore's `WaiterError` message; for [`WaitFailure::NoResponse`], the call's error
    /// follows through [`source`](std::error::Error::source).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Waiter {} failed: ", self.waiter)?;
        match &self.reason {
            WaitFailure::Failure(explanation) => write!(
                f,
                "Waiter encountered a terminal failure state: {explanation}"
            ),
            WaitFailure::MaxAttempts(None) => f.write_str("Max attempts exceeded"),
            WaitFailure::MaxAttempts(Some(explanation)) => write!(
                f,
                "Max attempts exceeded. Previously accepted state: {explanation}"
            ),
            WaitFailure::UnexpectedError { code, message } => write!(
                f,
                "An error occurred ({}): {}",
                if code.is_empty() { "Unknown" } else { code },
                message.as_deref().unwrap_or("Unknown")
            ),
            WaitFailure::NoResponse => f.write_str("the call got no response"),
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error
    for WaitError<Result<O, Error<E>>>
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.last.as_ref().err().map(|error| error as _)
    }
}

/// Calls `call` until an acceptor of `waiter` says the wait is over, sleeping between calls,
/// as botocore's `Waiter.wait` does: the first acceptor that matches a response decides; an
/// error response none matches fails the wait; so does the last attempt without success.
/// `observe` tells how a response looks to the acceptors (`None`: no response, which ends the
/// wait).
pub async fn wait_with<T, F, Fut>(
    waiter: &'static Waiter,
    config: WaitConfig,
    mut call: F,
    observe: impl Fn(&T) -> Option<Observation>,
) -> Result<Waited<T>, WaitError<T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let delay = config.delay.unwrap_or(waiter.delay);
    let max_attempts = config.max_attempts.unwrap_or(waiter.max_attempts);
    let mut attempts = 0;
    let mut last_matched: Option<&'static Acceptor> = None;
    let fail = |reason, attempts, last| WaitError {
        waiter: waiter.name,
        reason,
        attempts,
        last,
    };
    loop {
        let response = call().await;
        attempts += 1;
        let Some(observation) = observe(&response) else {
            return Err(fail(WaitFailure::NoResponse, attempts, response));
        };
        let matched = waiter
            .acceptors
            .iter()
            .find(|acceptor| acceptor.matches(&observation));
        tracing::debug!(
            waiter = waiter.name,
            attempts,
            matched = ?matched.map(|acceptor| acceptor.state),
            "waiter attempt"
        );
        match matched {
            Some(acceptor) => {
                last_matched = Some(acceptor);
                match acceptor.state {
                    State::Success => {
                        return Ok(Waited {
                            attempts,
                            last: response,
                        });
                    }
                    State::Failure => {
                        let reason = WaitFailure::Failure(acceptor.explanation());
                        return Err(fail(reason, attempts, response));
                    }
                    State::Retry => {}
                }
            }
            None => {
                if let Observation::Error { code, message, .. } = observation {
                    let reason = WaitFailure::UnexpectedError { code, message };
                    return Err(fail(reason, attempts, response));
                }
            }
        }
        if attempts >= max_attempts {
            let reason = WaitFailure::MaxAttempts(last_matched.map(Acceptor::explanation));
            return Err(fail(reason, attempts, response));
        }
        drop(response);
        tokio::time::sleep(delay).await;
    }
}

/// What a typed wait ends with: the call's outcome that ended it, inside a success or a
/// failure.
pub type WaitResult<O, E> = Result<Waited<Result<O, Error<E>>>, WaitError<Result<O, Error<E>>>>;

/// [`wait_with`] for a typed call: `call` makes the waiter's operation with the same input
/// each time.
pub async fn wait<O, E, F, Fut>(
    waiter: &'static Waiter,
    config: WaitConfig,
    call: F,
) -> WaitResult<O, E>
where
    O: Params,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, Error<E>>>,
{
    wait_with(waiter, config, call, |outcome| {
        Observation::of(waiter, outcome)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static READY: Waiter = Waiter {
        name: "Ready",
        operation: "Describe",
        delay: Duration::ZERO,
        max_attempts: 3,
        success_status: 200,
        acceptors: &[
            Acceptor {
                state: State::Success,
                matcher: Matcher::PathAll("Items[].State", Expected::String("ready")),
            },
            Acceptor {
                state: State::Failure,
                matcher: Matcher::PathAny("Items[].State", Expected::String("failed")),
            },
            Acceptor {
                state: State::Retry,
                matcher: Matcher::Error("NotFound"),
            },
        ],
    };

    fn result(value: Value) -> Observation {
        Observation::Result { status: 200, value }
    }

    fn error(code: &str) -> Observation {
        Observation::Error {
            status: 400,
            code: code.to_owned(),
            message: Some("gone".to_owned()),
        }
    }

    /// Runs `READY` over `responses` in turn (the last repeated), returning the calls made and
    /// the outcome's text.
    fn run(responses: Vec<Observation>) -> (u32, String) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let mut calls = 0;
        let outcome = runtime.block_on(wait_with(
            &READY,
            WaitConfig::new(),
            || {
                let response = responses[calls.min(responses.len() - 1)].clone();
                calls += 1;
                std::future::ready(response)
            },
            |response| Some(response.clone()),
        ));
        match outcome {
            Ok(waited) => (waited.attempts, "success".to_owned()),
            Err(error) => (error.attempts, error.to_string()),
        }
    }

    #[test]
    fn acceptors_decide_as_botocore_does() {
        let ready = result(json!({"Items": [{"State": "ready"}, {"State": "ready"}]}));
        let pending = result(json!({"Items": [{"State": "ready"}, {"State": "pending"}]}));
        let failed = result(json!({"Items": [{"State": "failed"}, {"State": "ready"}]}));
        let empty = result(json!({"Items": []}));
        assert_eq!(run(vec![ready.clone()]), (1, "success".to_owned()));
        assert_eq!(
            run(vec![error("NotFound"), pending.clone(), ready]),
            (3, "success".to_owned())
        );
        assert_eq!(
            run(vec![pending.clone(), failed]),
            (
                2,
                "Waiter Ready failed: Waiter encountered a terminal failure state: For expression \
                 \"Items[].State\" we matched expected path: \"failed\" at least once"
                    .to_owned()
            )
        );
        // An empty list matches neither `pathAll` nor `pathAny`, so the waiter keeps asking.
        assert_eq!(
            run(vec![empty]),
            (3, "Waiter Ready failed: Max attempts exceeded".to_owned())
        );
        assert_eq!(
            run(vec![pending, error("NotFound")]),
            (
                3,
                "Waiter Ready failed: Max attempts exceeded. Previously accepted state: Matched \
                 expected service error code: NotFound"
                    .to_owned()
            )
        );
        assert_eq!(
            run(vec![error("Throttled")]),
            (
                1,
                "Waiter Ready failed: An error occurred (Throttled): gone".to_owned()
            )
        );
    }

    #[test]
    fn matchers_compare_as_python_does() {
        let acceptor = |matcher| Acceptor {
            state: State::Success,
            matcher,
        };
        let value = result(json!({
            "Count": 2, "Ratio": 0.5, "Flag": true, "One": 1,
            "Tables": [{"Name": "a"}], "Status": "ACTIVE"
        }));
        let cases = [
            (Matcher::Path("Count", Expected::Number(2.0)), true),
            (Matcher::Path("Ratio", Expected::Number(0.5)), true),
            (Matcher::Path("Flag", Expected::Bool(true)), true),
            (Matcher::Path("One", Expected::Bool(true)), true),
            (Matcher::Path("Flag", Expected::String("true")), false),
            (
                Matcher::Path("length(Tables[]) > `0`", Expected::Bool(true)),
                true,
            ),
            (Matcher::Path("Missing", Expected::String("ACTIVE")), false),
            (Matcher::Path("Status", Expected::String("ACTIVE")), true),
            (
                Matcher::PathAll("Status", Expected::String("ACTIVE")),
                false,
            ),
            (Matcher::Status(200), true),
            (Matcher::Status(404), false),
            (Matcher::AnyError(false), true),
            (Matcher::AnyError(true), false),
            (Matcher::Error("ACTIVE"), false),
        ];
        for (matcher, expected) in cases {
            let acceptor = acceptor(matcher);
            assert_eq!(acceptor.matches(&value), expected, "{acceptor:?}");
        }
        let missing = error("NotFound");
        assert!(acceptor(Matcher::Error("NotFound")).matches(&missing));
        assert!(acceptor(Matcher::AnyError(true)).matches(&missing));
        assert!(acceptor(Matcher::Status(400)).matches(&missing));
        assert!(!acceptor(Matcher::Path("Status", Expected::String("ACTIVE"))).matches(&missing));
    }
}
