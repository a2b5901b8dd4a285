//! Retries as the AWS SDKs' "standard" mode does them: up to 3 attempts, exponential backoff
//! with full jitter (`random(0, 1) * base * 2^retry`, at most 20 s), for throttling errors,
//! transient errors (HTTP 500, 502, 503, 504 and time-outs) and transport failures, drawn from a
//! client-wide retry quota so that an outage does not multiply the load by the attempts.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// How many times to try a call, and how long to wait in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    quota: bool,
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
            quota: true,
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

    /// Whether retries draw on the client's retry quota (on by default, as in standard mode):
    /// 500 tokens, 5 a retry (10 after a time-out), given back by successes. Without it, every
    /// retryable failure is retried up to the attempt limit.
    pub fn with_quota(mut self, quota: bool) -> Self {
        self.quota = quota;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether retries draw on the client's retry quota.
    pub fn has_quota(&self) -> bool {
        self.quota
    }

    /// The wait before retry number `retry` (1 for the first), for a uniform `random` in [0, 1).
    pub(crate) fn backoff(&self, retry: u32, random: f64) -> Duration {
        let scale = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
        let ceiling = self
            .initial_backoff
            .saturating_mul(scale)
            .min(self.max_backoff);
        ceiling.mul_f64(random.clamp(0.0, 1.0))
    }
}

/// Standard mode's retry quota: a bucket of tokens shared by every call of one client. A retry
/// takes 5 tokens (10 after a time-out) and is not made when the bucket cannot pay; a call that
/// succeeds gives back what its last retry took, or 1 when it needed none. The figures are
/// botocore's and the AWS SDKs'.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    available: AtomicU32,
}

impl RetryQuota {
    pub(crate) const CAPACITY: u32 = 500;
    const RETRY_COST: u32 = 5;
    const TIMEOUT_RETRY_COST: u32 = 10;
    const SUCCESS_REFUND: u32 = 1;

    pub(crate) fn new() -> Self {
        RetryQuota {
            available: AtomicU32::new(Self::CAPACITY),
        }
    }

    /// Takes the cost of one retry; `None` when the bucket holds less.
    pub(crate) fn acquire(&self, after_timeout: bool) -> Option<u32> {
        let cost = if after_timeout {
            Self::TIMEOUT_RETRY_COST
        } else {
            Self::RETRY_COST
        };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                available.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// Refunds a successful call: what its last retry took, or 1 when it made none.
    pub(crate) fn release(&self, last_retry_cost: Option<u32>) {
        let refund = last_retry_cost.unwrap_or(Self::SUCCESS_REFUND);
        // Never fails: the closure always returns a value.
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                Some(available.saturating_add(refund).min(Self::CAPACITY))
            });
    }

    #[cfg(test)]
    fn available(&self) -> u32 {
        self.available.load(Ordering::Acquire)
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

    #[test]
    fn the_quota_pays_for_retries_until_it_is_empty() {
        let quota = RetryQuota::new();
        let mut retries = 0;
        while quota.acquire(false).is_some() {
            retries += 1;
        }
        assert_eq!(retries, 100, "500 tokens at 5 a retry");
        assert_eq!(quota.available(), 0);
        // Four successes without retries give back 4 tokens: still not one retry's worth.
        for _ in 0..4 {
            quota.release(None);
        }
        assert_eq!(quota.acquire(false), None);
        quota.release(None);
        assert_eq!(quota.acquire(false), Some(5));
    }

    #[test]
    fn a_timeout_retry_costs_more_and_a_success_refunds_it() {
        let quota = RetryQuota::new();
        assert_eq!(quota.acquire(true), Some(10));
        assert_eq!(quota.available(), 490);
        quota.release(Some(10));
        assert_eq!(quota.available(), 500);
        // The bucket never holds more than its capacity.
        quota.release(None);
        assert_eq!(quota.available(), RetryQuota::CAPACITY);
    }
}
