//! The client: configuration, and the path every call takes (validate, serialize, sign, send,
//! retry, decode). Generated code supplies one [`Operation`] per model operation; everything
//! here is shared, so each operation adds only its own wire binding to the build.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use tracing::Instrument as _;

use super::credentials::{self, Credentials};
use super::error::{
    BuildError, CredentialsError, DecodeError, Error, OperationError, ResponseMeta,
};
use super::http::{HttpRequest, HttpResponse, Timeouts, Transport, TransportErrorKind};
use super::rest::{self, RequestBuilder};
use super::retry::{self, RetryConfig, RetryQuota};
use super::validate::Validate;

/// What the generated crate knows about its service.
#[derive(Debug)]
pub(crate) struct ServiceInfo {
    pub(crate) service_id: &'static str,
    pub(crate) endpoint_prefix: &'static str,
    pub(crate) signing_name: &'static str,
    /// Error codes the model marks `retryable`.
    pub(crate) retryable_codes: &'static [&'static str],
}

/// One operation of the model: how its input goes on the wire and its output comes back.
pub(crate) trait Operation {
    const NAME: &'static str;
    type Input: Validate + Send;
    type Output;
    type Error: OperationError;

    /// Fills unset idempotency tokens and serializes the input.
    fn build(input: &mut Self::Input) -> Result<RequestBuilder, BuildError>;

    /// Binds a success response to the output.
    fn parse(response: &HttpResponse) -> Result<Self::Output, DecodeError>;

    /// Maps an error code to the operation's error enum (`Unmodeled` when it is not modeled).
    fn parse_error(
        code: &str,
        response: &HttpResponse,
        body: Option<&serde_json::Map<String, crate::Document>>,
    ) -> Result<Self::Error, DecodeError>;
}

/// How a [`Client`] reaches and authenticates to the service.
#[derive(Clone, Default)]
pub struct Config {
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<Credentials>,
    sign_requests: bool,
    timeouts: Timeouts,
    retry: RetryConfig,
    validate_inputs: bool,
    transport: Option<Arc<dyn Transport>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field("sign_requests", &self.sign_requests)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("validate_inputs", &self.validate_inputs)
            .field("custom_transport", &self.transport.is_some())
            .finish()
    }
}

impl Config {
    /// Nothing set: give a region (or an endpoint) and credentials. Requests are signed and
    /// inputs validated.
    pub fn new() -> Self {
        Config {
            sign_requests: true,
            validate_inputs: true,
            ..Config::default()
        }
    }

    /// Region, credentials and endpoint from the `AWS_*` environment variables and the default
    /// profile of the shared files, as the AWS CLI finds them.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Config::new().load_profile(None)
    }

    /// Like [`from_env`](Self::from_env), with this profile of the shared files.
    pub fn from_profile(profile: &str) -> Result<Self, CredentialsError> {
        Config::new().load_profile(Some(profile))
    }

    fn load_profile(mut self, profile: Option<&str>) -> Result<Self, CredentialsError> {
        let environment = credentials::load(profile, crate::client::SERVICE.service_id)?;
        self.region = environment.region;
        self.credentials = environment.credentials;
        self.endpoint_url = environment.endpoint_url;
        Ok(self)
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Send requests here instead of the region's endpoint (`http://127.0.0.1:5000`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Send requests unsigned (the AWS CLI's `--no-sign-request`).
    pub fn sign_requests(mut self, sign: bool) -> Self {
        self.sign_requests = sign;
        self
    }

    /// Connect and read time-outs of the default transport.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Check inputs against the model before sending (on by default).
    pub fn validate_inputs(mut self, validate: bool) -> Self {
        self.validate_inputs = validate;
        self
    }

    /// Send through `transport` instead of the default `reqwest` one.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    pub fn get_region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn get_endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }
}

/// Why a [`Client`] could not be made.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// Neither a region nor an endpoint URL was given.
    NoRegion,
    /// The endpoint URL is not an absolute `http` or `https` URL.
    InvalidEndpoint(String),
    /// The default transport could not be set up.
    Transport(super::http::TransportError),
    /// No transport: the crate was built without its `rustls` feature and none was given.
    NoTransport,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoRegion => f.write_str(
                "no region: set one in the config, AWS_REGION, AWS_DEFAULT_REGION or the profile, or give an endpoint URL",
            ),
            ConfigError::InvalidEndpoint(url) => {
                write!(f, "the endpoint URL {url:?} is not an absolute http or https URL")
            }
            ConfigError::Transport(error) => write!(f, "cannot set up HTTP: {error}"),
            ConfigError::NoTransport => f.write_str(
                "no transport: enable the crate's `rustls` feature or give one with Config::transport",
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The client: cheap to clone (the connection pool is shared), safe to share across tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    endpoint: String,
    /// The region requests are signed for.
    signing_region: String,
    transport: Arc<dyn Transport>,
    /// Shared by every call (and clone) of this client.
    retry_quota: RetryQuota,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Client {
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        let service = &crate::client::SERVICE;
        let endpoint = match (&config.endpoint_url, &config.region) {
            (Some(url), _) => {
                let valid = (url.starts_with("http://") || url.starts_with("https://"))
                    && url
                        .split_once("://")
                        .is_some_and(|(_, rest)| !rest.is_empty());
                if !valid {
                    return Err(ConfigError::InvalidEndpoint(url.clone()));
                }
                url.trim_end_matches('/').to_owned()
            }
            (None, Some(region)) => {
                let suffix = if region.starts_with("cn-") {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                format!("https://{}.{region}.{suffix}", service.endpoint_prefix)
            }
            (None, None) => return Err(ConfigError::NoRegion),
        };
        let transport = match &config.transport {
            Some(transport) => transport.clone(),
            None => default_transport(config.timeouts)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                signing_region: config
                    .region
                    .clone()
                    .unwrap_or_else(|| "us-east-1".to_owned()),
                endpoint,
                transport,
                retry_quota: RetryQuota::new(),
                config,
            }),
        })
    }

    /// A client configured from the environment, as [`Config::from_env`] reads it.
    pub fn from_env() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Client::new(Config::from_env()?)?)
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// Validates, serializes, sends (with retries) and decodes one call.
    pub(crate) async fn invoke<O: Operation>(
        &self,
        mut input: O::Input,
    ) -> Result<O::Output, Error<O::Error>> {
        let span = tracing::debug_span!(
            "call",
            service = crate::client::SERVICE.service_id,
            operation = O::NAME
        );
        let request = self.prepare::<O>(&mut input)?;
        drop(input);
        let response = self
            .send(request)
            .instrument(span)
            .await
            .map_err(|error| error.map_service(|never| match never {}))?;
        decode::<O>(&response)
    }

    pub(crate) fn prepare<O: Operation>(
        &self,
        input: &mut O::Input,
    ) -> Result<HttpRequest, Error<O::Error>> {
        if self.inner.config.validate_inputs {
            input.validate().map_err(Error::InvalidInput)?;
        }
        let builder = O::build(input).map_err(Error::Build)?;
        Ok(builder.finish(&self.inner.endpoint))
    }

    /// Signs and sends a request, retrying throttling, transient and transport failures while
    /// attempts and the retry quota last; the last response is returned whatever its status.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error<Infallible>> {
        let inner = &self.inner;
        let config = &inner.config;
        let credentials = match (config.sign_requests, &config.credentials) {
            (false, _) => None,
            (true, Some(credentials)) => Some(credentials),
            (true, None) => {
                return Err(Error::Credentials(CredentialsError::new(
                    "no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use a profile, or give them in the config",
                )));
            }
        };
        let service = &crate::client::SERVICE;
        let mut attempt = 1;
        let mut last_retry_cost = None;
        loop {
            let mut signed = request.clone();
            if let Some(credentials) = credentials {
                super::sign::sign_request(
                    &mut signed,
                    credentials,
                    &inner.signing_region,
                    service.signing_name,
                    SystemTime::now(),
                )
                .map_err(Error::Credentials)?;
            }
            let outcome = inner.transport.send(signed).await;
            let retryable = match &outcome {
                Ok(response) if rest::is_error(response) => {
                    let body = rest::error_body(response);
                    let code = rest::error_code(response, body.as_ref());
                    retry::is_retryable_response(response.status, &code, service.retryable_codes)
                }
                Ok(_) => false,
                Err(_) => true,
            };
            match &outcome {
                Ok(response) => tracing::debug!(attempt, status = response.status, "response"),
                Err(error) => tracing::debug!(attempt, %error, "no response"),
            }
            if config.retry.has_quota()
                && matches!(&outcome, Ok(response) if !rest::is_error(response))
            {
                inner.retry_quota.release(last_retry_cost);
            }
            let after_timeout =
                matches!(&outcome, Err(error) if error.kind() == TransportErrorKind::Timeout);
            let mut retry = retryable && attempt < config.retry.max_attempts();
            if retry && config.retry.has_quota() {
                last_retry_cost = inner.retry_quota.acquire(after_timeout);
                if last_retry_cost.is_none() {
                    tracing::debug!(attempt, "retry quota exhausted");
                    retry = false;
                }
            }
            if !retry {
                return outcome.map_err(|error| match error.kind() {
                    TransportErrorKind::Timeout => Error::Timeout(error),
                    _ => Error::Transport(error),
                });
            }
            let wait = config.retry.backoff(attempt, fastrand::f64());
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// Decodes a response into the operation's output or error.
pub(crate) fn decode<O: Operation>(response: &HttpResponse) -> Result<O::Output, Error<O::Error>> {
    if rest::is_error(response) {
        let body = rest::error_body(response);
        let code = rest::error_code(response, body.as_ref());
        let error = O::parse_error(&code, response, body.as_ref()).map_err(Error::Decode)?;
        return Err(Error::Service {
            error,
            response: ResponseMeta::of(response),
        });
    }
    O::parse(response).map_err(Error::Decode)
}

#[cfg(feature = "rustls")]
fn default_transport(timeouts: Timeouts) -> Result<Arc<dyn Transport>, ConfigError> {
    let transport = super::http::ReqwestTransport::new(timeouts).map_err(ConfigError::Transport)?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "rustls"))]
fn default_transport(_timeouts: Timeouts) -> Result<Arc<dyn Transport>, ConfigError> {
    Err(ConfigError::NoTransport)
}
