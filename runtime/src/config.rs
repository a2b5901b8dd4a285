//! The configuration clients are made from: what aws-sdk-rust users know as `SdkConfig`.
//!
//! One [`Config`] serves the clients of any number of services. Its clones share one
//! connection pool (the default transport is made once, on first use) and one credential cache,
//! so three clients made from one configuration resolve credentials once and reuse connections.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::checksum::ChecksumValidation;
use crate::credentials::{self, Credentials, ProvideCredentials, SharedCredentialsProvider};
use crate::error::CredentialsError;
use crate::http::{Timeouts, Transport};
use crate::retry::RetryConfig;

/// Region, credentials, endpoints, retries, time-outs and transport for the clients made from
/// it. Requests are signed and inputs validated unless this says otherwise.
///
/// ```
/// use botocore_runtime::Config;
/// use botocore_runtime::credentials::Credentials;
///
/// let config = Config::new()
///     .region("eu-west-1")
///     .credentials(Credentials::new("AKIDEXAMPLE", "secret", None));
/// assert_eq!(config.get_region(), Some("eu-west-1"));
/// ```
#[derive(Clone)]
pub struct Config {
    region: Option<String>,
    /// Set in code: every service's endpoint.
    endpoint_url: Option<String>,
    /// Set in code: one service's endpoint, by service id.
    service_endpoints: BTreeMap<String, String>,
    /// Read from the environment or the profile by [`Config::from_env`].
    environment: Option<Arc<credentials::Environment>>,
    credentials: Option<SharedCredentialsProvider>,
    /// Set in code: the bearer token of services that take one.
    bearer_token: Option<String>,
    /// The application's id, which requests name in their `User-Agent`.
    app_id: Option<String>,
    sign_requests: bool,
    timeouts: Timeouts,
    retry: RetryConfig,
    validate_inputs: bool,
    /// S3: address buckets by path even where a host name would do.
    force_path_style: bool,
    response_checksum_validation: ChecksumValidation,
    /// Put the model's host prefixes (`hostPrefix`) before the endpoint's host.
    inject_host_prefix: bool,
    /// Ask the endpoint rules for FIPS endpoints.
    use_fips: bool,
    /// Ask the endpoint rules for dual-stack (IPv4 and IPv6) endpoints.
    use_dual_stack: bool,
    transport: SharedTransport,
}

/// The transport every client of a configuration (and of its clones) sends through: one given
/// in code, or the default one, made on first use and kept.
#[derive(Clone, Default)]
struct SharedTransport {
    given: Option<Arc<dyn Transport>>,
    default: Arc<OnceLock<Arc<dyn Transport>>>,
}

impl Default for Config {
    /// The same as [`Config::new`]: requests are signed and inputs validated.
    fn default() -> Self {
        Config::new()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("service_endpoints", &self.service_endpoints)
            .field("credentials", &self.credentials)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| crate::Redacted),
            )
            .field("sign_requests", &self.sign_requests)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("validate_inputs", &self.validate_inputs)
            .field("force_path_style", &self.force_path_style)
            .field(
                "response_checksum_validation",
                &self.response_checksum_validation,
            )
            .field("inject_host_prefix", &self.inject_host_prefix)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("app_id", &self.app_id)
            .field("custom_transport", &self.transport.given.is_some())
            .finish()
    }
}

impl Config {
    /// Nothing set yet: give a region (or an endpoint) and credentials. Requests are signed and
    /// inputs validated.
    pub fn new() -> Self {
        Config {
            region: None,
            endpoint_url: None,
            service_endpoints: BTreeMap::new(),
            environment: None,
            credentials: None,
            bearer_token: None,
            app_id: None,
            sign_requests: true,
            timeouts: Timeouts::default(),
            retry: RetryConfig::default(),
            validate_inputs: true,
            force_path_style: false,
            response_checksum_validation: ChecksumValidation::WhenSupported,
            inject_host_prefix: true,
            use_fips: false,
            use_dual_stack: false,
            transport: SharedTransport::default(),
        }
    }

    /// Region and endpoints from the `AWS_*` environment variables and the selected profile
    /// (`AWS_PROFILE`, else `default`) of the shared `config` and `credentials` files, as the
    /// AWS CLI finds them; credentials from the
    /// [default chain](crate::credentials::DefaultCredentialsChain), resolved on the first call
    /// and cached. [`Config::load`] also asks instance metadata for the region.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Config::loader().build()
    }

    /// Like [`from_env`](Self::from_env), with this profile of the shared files. As in the AWS
    /// CLI, the profile must exist, and it wins over credentials in the environment.
    pub fn from_profile(profile: &str) -> Result<Self, CredentialsError> {
        Config::loader().profile(profile).build()
    }

    /// Like [`from_env`](Self::from_env), and when neither the environment nor the profile
    /// sets a region, the region of the EC2 instance (from instance metadata), as the SDKs do.
    pub async fn load() -> Result<Self, CredentialsError> {
        Config::loader().load().await
    }

    /// A loader, to read another environment or profile, or to send the credential sources'
    /// calls through another transport.
    pub fn loader() -> ConfigLoader {
        ConfigLoader::default()
    }

    /// The region requests go to and are signed for.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Send every service's requests here instead of the region's endpoint
    /// (`http://127.0.0.1:5000`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Send one service's requests here; `service_id` is the model's `serviceId`
    /// (`"DynamoDB"`, `"Connect"`). It wins over [`endpoint_url`](Self::endpoint_url).
    pub fn service_endpoint_url(
        mut self,
        service_id: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        self.service_endpoints.insert(service_id.into(), url.into());
        self
    }

    /// These credentials, for every call.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Credentials from `provider`, cached and refreshed ahead of their expiry; the clients made
    /// from this configuration and its clones share the cache.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Authorizes requests with this bearer token where the service takes one: in place of
    /// SigV4 for a service that offers both and whose token botocore reads (Bedrock's API keys),
    /// and for a service that takes nothing else (CodeCatalyst). It wins over
    /// `AWS_BEARER_TOKEN_{SIGNING NAME}` and the profile's SSO session.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Names the application in every request's `User-Agent` (`app/{id}`, at most 50
    /// characters), as botocore's `user_agent_appid`; read from `AWS_SDK_UA_APP_ID` or the
    /// profile's `sdk_ua_app_id` by [`Config::from_env`].
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }

    /// The application's id, when one is set.
    pub fn get_app_id(&self) -> Option<&str> {
        self.app_id.as_deref()
    }

    /// Send requests unsigned (the AWS CLI's `--no-sign-request`).
    pub fn sign_requests(mut self, sign: bool) -> Self {
        self.sign_requests = sign;
        self
    }

    /// Connect and read time-outs of the default transport. A configuration with other
    /// time-outs gets a transport (and connection pool) of its own.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        if timeouts != self.timeouts {
            self.transport.default = Arc::default();
        }
        self.timeouts = timeouts;
        self
    }

    /// How calls are retried.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Check inputs against the model before sending (on by default).
    pub fn validate_inputs(mut self, validate: bool) -> Self {
        self.validate_inputs = validate;
        self
    }

    /// S3: always address buckets by path (`https://s3.<region>.amazonaws.com/bucket/key`), as
    /// botocore's `addressing_style = path` does. By default a bucket whose name can be a host
    /// label is addressed as a host (`https://bucket.s3.<region>.amazonaws.com/key`) on AWS
    /// endpoints, and by path on an endpoint set in code or in the environment.
    pub fn force_path_style(mut self, path_style: bool) -> Self {
        self.force_path_style = path_style;
        self
    }

    /// Whether S3 buckets are always addressed by path.
    pub fn forces_path_style(&self) -> bool {
        self.force_path_style
    }

    /// When responses are checked against the checksums they carry (S3's GetObject):
    /// [`ChecksumValidation::WhenSupported`] by default, as in botocore, so that every GetObject
    /// asks for them (`ChecksumMode=ENABLED`); `WhenRequired` checks only when the caller asks.
    /// [`Config::from_env`] reads `AWS_RESPONSE_CHECKSUM_VALIDATION`, else the profile's
    /// `response_checksum_validation`.
    pub fn response_checksum_validation(mut self, validation: ChecksumValidation) -> Self {
        self.response_checksum_validation = validation;
        self
    }

    /// When responses are checked against their checksums.
    pub fn get_response_checksum_validation(&self) -> ChecksumValidation {
        self.response_checksum_validation
    }

    /// Whether an operation's host prefix (the model's `hostPrefix`: Logs' `StartLiveTail` goes
    /// to `stream-logs...`) is put before the endpoint's host; true by default, as in botocore.
    /// Turn it off for an endpoint that serves every operation at one host (a local test
    /// server), as botocore's `inject_host_prefix=False` does. [`Config::from_env`] reads
    /// `AWS_DISABLE_HOST_PREFIX_INJECTION`, else the profile's `disable_host_prefix_injection`.
    /// S3's virtual-hosted buckets are not a host prefix and stay.
    pub fn inject_host_prefix(mut self, inject: bool) -> Self {
        self.inject_host_prefix = inject;
        self
    }

    /// Whether operations' host prefixes are put before the endpoint's host.
    pub fn injects_host_prefix(&self) -> bool {
        self.inject_host_prefix
    }

    /// Send to the services' FIPS 140 endpoints (`https://iam-fips.amazonaws.com`), as the
    /// endpoint rules of each service give them; a service or region without one fails the call
    /// with the rules' message. Ignored for an endpoint set in code or the environment, as in
    /// botocore. [`Config::from_env`] reads `AWS_USE_FIPS_ENDPOINT`, else the profile's
    /// `use_fips_endpoint`.
    pub fn use_fips(mut self, fips: bool) -> Self {
        self.use_fips = fips;
        self
    }

    /// Whether FIPS endpoints are asked for.
    pub fn uses_fips(&self) -> bool {
        self.use_fips
    }

    /// Send to the services' dual-stack endpoints, reachable over IPv6 as well as IPv4
    /// (`https://ec2.us-east-1.api.aws`), as the endpoint rules give them. Ignored for an
    /// endpoint set in code or the environment, as in botocore. [`Config::from_env`] reads
    /// `AWS_USE_DUALSTACK_ENDPOINT`, else the profile's `use_dualstack_endpoint`.
    pub fn use_dual_stack(mut self, dual_stack: bool) -> Self {
        self.use_dual_stack = dual_stack;
        self
    }

    /// Whether dual-stack endpoints are asked for.
    pub fn uses_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Send through `transport` instead of the default `reqwest` one.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport.given = Some(Arc::new(transport));
        self
    }

    /// The region, if one is set.
    pub fn get_region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint set in code for every service, if any.
    pub fn get_endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether requests are signed.
    pub fn signs_requests(&self) -> bool {
        self.sign_requests
    }

    /// Whether inputs are validated before they are sent.
    pub fn validates_inputs(&self) -> bool {
        self.validate_inputs
    }

    /// The retry settings.
    pub fn get_retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The credential provider and its cache, if credentials are configured.
    pub fn get_credentials(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref()
    }

    /// The bearer token for the service signed for as `signing_name`, when one is given: in
    /// code, else in `AWS_BEARER_TOKEN_{SIGNING NAME}` (a configuration read from the
    /// environment).
    pub(crate) fn given_bearer_token(&self, signing_name: &str) -> Option<String> {
        self.bearer_token
            .clone()
            .or_else(|| self.environment.as_ref()?.bearer_token(signing_name))
    }

    /// The access token of the profile's SSO session, for a service that takes only bearer
    /// tokens; `None` for a configuration not read from the environment.
    pub(crate) async fn sso_bearer_token(&self) -> Option<Result<String, CredentialsError>> {
        let environment = self.environment.clone()?;
        Some(environment.sso_token().await)
    }

    /// The endpoint set for service `service_id`, checked: in code for the service, in code
    /// for all, `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL` or the profile's
    /// `endpoint_url`; without a trailing `/`.
    pub(crate) fn configured_endpoint(
        &self,
        service_id: &str,
    ) -> Result<Option<String>, ConfigError> {
        let configured = self
            .service_endpoints
            .get(service_id)
            .or(self.endpoint_url.as_ref())
            .cloned()
            .or_else(|| {
                let environment = self.environment.as_ref()?;
                environment.endpoint_url(service_id)
            });
        let Some(url) = configured else {
            return Ok(None);
        };
        let valid = (url.starts_with("http://") || url.starts_with("https://"))
            && url
                .split_once("://")
                .is_some_and(|(_, rest)| !rest.is_empty());
        if !valid {
            return Err(ConfigError::InvalidEndpoint(url));
        }
        Ok(Some(url.trim_end_matches('/').to_owned()))
    }

    /// The transport of this configuration: the one given, or the default one (made once).
    pub(crate) fn shared_transport(&self) -> Result<Arc<dyn Transport>, ConfigError> {
        if let Some(transport) = &self.transport.given {
            return Ok(transport.clone());
        }
        if let Some(transport) = self.transport.default.get() {
            return Ok(transport.clone());
        }
        let made = default_transport(self.timeouts)?;
        // Another client may have made one meanwhile; the first one stored wins.
        Ok(self.transport.default.get_or_init(|| made).clone())
    }
}

/// The AWS endpoint of a service in `region`, `https://{endpoint_prefix}.{region}.{suffix}`: for
/// a crate generated without an endpoint rule set.
pub(crate) fn aws_endpoint(region: &str, endpoint_prefix: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{endpoint_prefix}.{region}.{suffix}")
}

/// Reads region, endpoints and credentials as [`Config::from_env`] does, from the environment
/// and profile it is given.
#[derive(Default)]
pub struct ConfigLoader {
    env: credentials::Env,
    profile: Option<String>,
    credentials_transport: Option<Arc<dyn Transport>>,
}

impl fmt::Debug for ConfigLoader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigLoader")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .field("custom_transport", &self.credentials_transport.is_some())
            .finish()
    }
}

impl ConfigLoader {
    /// Reads these variables instead of the process's.
    pub fn env(mut self, env: credentials::Env) -> Self {
        self.env = env;
        self
    }

    /// Uses this profile, which must exist, and which wins over keys in the environment.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Sends the credential sources' calls (STS, SSO, container, instance metadata) through
    /// `transport` instead of the default one.
    pub fn credentials_transport(mut self, transport: impl Transport) -> Self {
        self.credentials_transport = Some(Arc::new(transport));
        self
    }

    /// The configuration, without asking instance metadata for the region.
    pub fn build(self) -> Result<Config, CredentialsError> {
        let mut environment = credentials::Environment::load(&self.env, self.profile.as_deref())?;
        if let Some(transport) = &self.credentials_transport {
            environment.http = credentials::HttpClient::new(transport.clone());
        }
        let mut chain = credentials::DefaultCredentialsChain::new().env(self.env);
        if let Some(profile) = self.profile {
            chain = chain.profile(profile);
        }
        if let Some(transport) = self.credentials_transport {
            chain = chain.shared_transport(transport);
        }
        let mut config = Config::new();
        config.region = environment.region.clone();
        if let Some((value, name)) = environment.setting(
            "AWS_RESPONSE_CHECKSUM_VALIDATION",
            "response_checksum_validation",
        ) {
            config.response_checksum_validation = ChecksumValidation::from_setting(&value)
                .ok_or_else(|| {
                    CredentialsError::new(format!(
                        "{name} is {value:?}, not when_supported or when_required"
                    ))
                })?;
        }
        if let Some((value, _)) = environment.setting("AWS_SDK_UA_APP_ID", "sdk_ua_app_id") {
            config.app_id = Some(value);
        }
        if let Some((value, _)) = environment.setting(
            "AWS_DISABLE_HOST_PREFIX_INJECTION",
            "disable_host_prefix_injection",
        ) {
            // botocore's `ensure_boolean`: "true" in any case is true, anything else false.
            config.inject_host_prefix = !value.eq_ignore_ascii_case("true");
        }
        if let Some((value, _)) = environment.setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
        {
            config.use_fips = value.eq_ignore_ascii_case("true");
        }
        if let Some((value, _)) =
            environment.setting("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
        {
            config.use_dual_stack = value.eq_ignore_ascii_case("true");
        }
        config.credentials = Some(SharedCredentialsProvider::new(chain));
        config.environment = Some(Arc::new(environment));
        Ok(config)
    }

    /// The configuration; without a region from the environment or the profile, the
    /// instance's region from instance metadata (none if it does not answer).
    pub async fn load(self) -> Result<Config, CredentialsError> {
        let http = match &self.credentials_transport {
            Some(transport) => credentials::HttpClient::new(transport.clone()),
            None => credentials::HttpClient::default(),
        };
        let mut config = self.build()?;
        if config.region.is_some() {
            return Ok(config);
        }
        let Some(environment) = config.environment.clone() else {
            return Ok(config);
        };
        match environment.imds()?.region(&http).await {
            Ok(region) => config.region = Some(region),
            Err(error) => tracing::debug!(%error, "no region from instance metadata"),
        }
        Ok(config)
    }
}

/// Why a client could not be made from a [`Config`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// Neither a region nor an endpoint URL was given.
    NoRegion,
    /// The endpoint URL is not an absolute `http` or `https` URL.
    InvalidEndpoint(String),
    /// The default transport could not be set up.
    Transport(crate::http::TransportError),
    /// No transport: the runtime was built without its `rustls` feature and none was given.
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
                "no transport: enable the `rustls` feature or give one with Config::transport",
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(feature = "rustls")]
pub(crate) fn default_transport(timeouts: Timeouts) -> Result<Arc<dyn Transport>, ConfigError> {
    let transport = crate::http::ReqwestTransport::new(timeouts).map_err(ConfigError::Transport)?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "rustls"))]
pub(crate) fn default_transport(_timeouts: Timeouts) -> Result<Arc<dyn Transport>, ConfigError> {
    Err(ConfigError::NoTransport)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_new() {
        let default = Config::default();
        assert!(default.signs_requests());
        assert!(default.validates_inputs());
        assert_eq!(format!("{default:?}"), format!("{:?}", Config::new()));
    }

    #[test]
    fn service_endpoints_win_over_the_global_one() {
        let config = Config::new()
            .region("eu-west-1")
            .endpoint_url("http://127.0.0.1:1/")
            .service_endpoint_url("DynamoDB", "http://127.0.0.1:2");
        assert_eq!(
            config.configured_endpoint("DynamoDB").unwrap().as_deref(),
            Some("http://127.0.0.1:2")
        );
        assert_eq!(
            config.configured_endpoint("SQS").unwrap().as_deref(),
            Some("http://127.0.0.1:1")
        );
        assert_eq!(Config::new().configured_endpoint("SQS").unwrap(), None);
        assert_eq!(
            aws_endpoint("cn-north-1", "sqs"),
            "https://sqs.cn-north-1.amazonaws.com.cn"
        );
        assert!(matches!(
            Config::new()
                .endpoint_url("ftp://x")
                .configured_endpoint("SQS"),
            Err(ConfigError::InvalidEndpoint(_))
        ));
    }

    #[test]
    fn host_prefix_injection_is_on_unless_turned_off() {
        assert!(Config::new().injects_host_prefix());
        assert!(
            !Config::new()
                .inject_host_prefix(false)
                .injects_host_prefix()
        );
        let loaded = |value: &str| {
            let env = credentials::Env::from_vars([
                ("AWS_DISABLE_HOST_PREFIX_INJECTION", value),
                ("AWS_CONFIG_FILE", "/nonexistent/config"),
                ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ]);
            Config::loader()
                .env(env)
                .build()
                .unwrap()
                .injects_host_prefix()
        };
        assert!(!loaded("true"));
        assert!(!loaded("TRUE"));
        assert!(loaded("false"));
        assert!(
            loaded("yes"),
            "botocore's ensure_boolean takes only \"true\""
        );
    }

    #[test]
    fn clones_share_the_default_transport() {
        let config = Config::new();
        let clone = config.clone();
        let first = config.shared_transport();
        let second = clone.shared_transport();
        if let (Ok(first), Ok(second)) = (first, second) {
            assert!(Arc::ptr_eq(&first, &second));
        }
    }
}
