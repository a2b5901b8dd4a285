//! Retries as the AWS SDKs' "standard" mode does them: up to 3 attempts, exponential backoff
//! with full jitter (`random(0, 1) * base * 2^retry`, at most 20 s), for throttling errors,
//! transient errors (HTTP 500, 502, 503, 504 and time-outs) and transport failures.

use std::time::Duration;

/// How many times to try a call, and how long to wait in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// 3 attempts, backoff from 1 s up to 20 s.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig::standard().with_max_attempts(1)
    }

    /// Attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff scale before the first retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first), for a uniform `random` in [0, 1).
    pub(crate) fn backoff(&self, retry: u32, random: f64) -> Duration {
        let scale = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
        let ceiling = self.initial_backoff.saturating_mul(scale).min(self.max_backoff);
        ceiling.mul_f64(random.clamp(0.0, 1.0))
    }
}

/// Error codes the AWS SDKs treat as throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes the AWS SDKs treat as transient.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// Whether an error response is worth another attempt. `retryable_codes` are the errors the
/// model marks `retryable`.
pub(crate) fn is_retryable_response(status: u16, code: &str, retryable_codes: &[&str]) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
        || THROTTLING_CODES.contains(&code)
        || TRANSIENT_CODES.contains(&code)
        || retryable_codes.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_ceiling() {
        let config = RetryConfig::standard();
        assert_eq!(config.backoff(1, 0.5), Duration::from_millis(500));
        assert_eq!(config.backoff(2, 0.5), Duration::from_secs(1));
        assert_eq!(config.backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(config.backoff(10, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(40, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(1, 0.0), Duration::ZERO);
    }
}
