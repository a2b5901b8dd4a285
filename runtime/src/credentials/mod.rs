//! Credentials: the keys requests are signed with, where they come from, and the cache every
//! client of one [`Config`](crate::Config) shares.
//!
//! A [`ProvideCredentials`] implementation fetches credentials; [`SharedCredentialsProvider`]
//! caches what it fetched, refreshes it ahead of its expiry (five minutes by default) with one
//! fetch however many calls wait for it, and keeps credentials that are still valid when a
//! refresh fails.
//!
//! [`DefaultCredentialsChain`] looks where botocore looks, in botocore's order: the environment,
//! a role assumed from the profile, a web identity token, IAM Identity Center (SSO), the shared
//! files' static keys and `credential_process`, container credentials, then EC2 instance
//! metadata. The calls some of these need (STS, the SSO portal and SSO-OIDC, the container and
//! instance metadata endpoints) are small hand-written requests sent through a
//! [`Transport`], so this module depends on no generated crate.
//! [`EnvironmentProvider`] reads static keys only.

use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use crate::error::CredentialsError;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

mod chain;
mod container;
mod env;
mod imds;
mod process;
mod profile;
pub(crate) mod region;
mod role;
mod sso;
mod sts;

pub use chain::DefaultCredentialsChain;
pub use env::Env;

/// An access key, its secret, an optional session token and, for temporary credentials, when
/// they expire.
///
/// `Debug` shows the access key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-lived credentials (or temporary ones whose expiry is not known).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, expiring at `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Whether the credentials expire within `margin` of `now`.
    fn expires_within(&self, margin: Duration, now: SystemTime) -> bool {
        self.expiry
            .is_some_and(|expiry| expiry <= now.checked_add(margin).unwrap_or(now))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::Redacted)
            .field("session_token", &crate::redact(&self.session_token))
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// A source of credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Fetches credentials. [`SharedCredentialsProvider`] caches what this returns, so it is
    /// called once, and again only when the credentials near their expiry.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Static credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// A credential provider with its cache, shared by every clone (and so by every client of one
/// configuration).
#[derive(Clone)]
pub struct SharedCredentialsProvider {
    inner: Arc<Cache>,
}

struct Cache {
    provider: Box<dyn ProvideCredentials>,
    /// How long before their expiry credentials are refreshed.
    refresh_margin: Duration,
    current: RwLock<Option<Cached>>,
    /// Held while fetching, so that callers who find the cache stale wait for one fetch.
    refreshing: tokio::sync::Mutex<()>,
}

impl fmt::Debug for SharedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedCredentialsProvider")
            .field("provider", &self.inner.provider)
            .field("refresh_margin", &self.inner.refresh_margin)
            .finish()
    }
}

/// Cached credentials, and after a failed refresh, when to try again.
struct Cached {
    credentials: Credentials,
    /// Set by a failed refresh that kept these (still valid) credentials: callers use them
    /// until then rather than each waiting for another failing fetch.
    retry_after: Option<SystemTime>,
}

/// How long still-valid credentials are used after a failed refresh before the next attempt.
const RETRY_FAILED_REFRESH_AFTER: Duration = Duration::from_secs(10);

/// The margin by which the AWS SDKs refresh credentials before they expire.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

impl SharedCredentialsProvider {
    /// Caches `provider`'s credentials, refreshing them five minutes before they expire.
    pub fn new(provider: impl ProvideCredentials) -> Self {
        SharedCredentialsProvider::with_refresh_margin(provider, DEFAULT_REFRESH_MARGIN)
    }

    /// Caches `provider`'s credentials, refreshing them `margin` before they expire.
    pub fn with_refresh_margin(provider: impl ProvideCredentials, margin: Duration) -> Self {
        SharedCredentialsProvider {
            inner: Arc::new(Cache {
                provider: Box::new(provider),
                refresh_margin: margin,
                current: RwLock::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Credentials to sign with: the cached ones while they are fresh, else one fetch for all
    /// waiting callers. A failed fetch keeps the cached credentials while they are still valid,
    /// and the next attempt waits 10 seconds (or until they expire) rather than every caller.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let cache = &self.inner;
        if let Some(fresh) = self.fresh(SystemTime::now()) {
            return Ok(fresh);
        }
        let _refreshing = cache.refreshing.lock().await;
        // Another caller may have refreshed while this one waited.
        if let Some(fresh) = self.fresh(SystemTime::now()) {
            return Ok(fresh);
        }
        match cache.provider.provide_credentials().await {
            Ok(credentials) => {
                *cache.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
                    credentials: credentials.clone(),
                    retry_after: None,
                });
                Ok(credentials)
            }
            Err(error) => {
                let now = SystemTime::now();
                let mut current = cache.current.write().unwrap_or_else(|e| e.into_inner());
                match &mut *current {
                    Some(cached) if !cached.credentials.expires_within(Duration::ZERO, now) => {
                        tracing::warn!(%error, "refreshing credentials failed; using the cached ones until they expire");
                        cached.retry_after = Some(now + RETRY_FAILED_REFRESH_AFTER);
                        Ok(cached.credentials.clone())
                    }
                    _ => Err(error),
                }
            }
        }
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let current = self.inner.current.read().unwrap_or_else(|e| e.into_inner());
        let cached = current.as_ref()?;
        let fresh = !cached
            .credentials
            .expires_within(self.inner.refresh_margin, now);
        let waiting_to_retry = cached.retry_after.is_some_and(|after| now < after)
            && !cached.credentials.expires_within(Duration::ZERO, now);
        (fresh || waiting_to_retry).then(|| cached.credentials.clone())
    }
}

/// Static credentials from the `AWS_*` environment variables or the selected profile of the
/// shared files, read when the credentials are first needed. [`DefaultCredentialsChain`] looks
/// in more places; this provider is for programs that want static keys and nothing else.
///
/// `profile` (else `AWS_PROFILE`, else `default`) selects the profile; as in the AWS CLI, a
/// profile named explicitly wins over keys in the environment.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    profile: Option<String>,
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the environment, then `profile` (or `AWS_PROFILE`, or `default`).
    pub fn new(profile: Option<&str>) -> Self {
        EnvironmentProvider {
            profile: profile.map(str::to_owned),
            env: Env::process(),
        }
    }

    /// Reads these variables instead of the process's.
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let shared = profile::SharedConfig::load(&self.env)?;
            let name = profile::selected_profile(&shared, &self.env, self.profile.as_deref())?;
            let profile = shared.profiles.get(&name).cloned().unwrap_or_default();
            let from_env = || chain::environment_keys(&self.env);
            let from_files = || {
                let credentials_file = shared.credentials_file_name();
                let config_file = shared.config_file_name();
                chain::static_keys(&profile.credentials, &name, &credentials_file).or_else(
                    |error| {
                        chain::if_not_loaded(error, || {
                            chain::static_keys(&profile.config, &name, &config_file)
                        })
                    },
                )
            };
            let found = if self.profile.is_some() {
                from_files().or_else(|error| chain::if_not_loaded(error, from_env))
            } else {
                from_env().or_else(|error| chain::if_not_loaded(error, from_files))
            };
            found.map_err(|error| match error.is_not_loaded() {
                true => CredentialsError::new(format!(
                    "no credentials found: neither AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                     nor keys in profile `{name}` of {}",
                    shared.files_looked_in()
                )),
                false => error,
            })
        })
    }
}

/// What the environment and the shared files say about region, endpoints and bearer tokens.
#[derive(Clone, Default)]
pub(crate) struct Environment {
    pub(crate) region: Option<String>,
    env: Env,
    shared: Arc<profile::SharedConfig>,
    profile: String,
    /// What an SSO token is refreshed through.
    pub(crate) http: HttpClient,
    /// The SSO session's token and its expiry, once read, for clients of this configuration.
    sso_token: Arc<tokio::sync::Mutex<Option<(String, SystemTime)>>>,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("region", &self.region)
            .field("profile", &self.profile)
            .finish()
    }
}

impl Environment {
    /// Reads the environment and the profile (`profile`, else `AWS_PROFILE`, else `default`).
    /// A profile named explicitly (or by `AWS_PROFILE`) must exist.
    pub(crate) fn load(env: &Env, profile: Option<&str>) -> Result<Environment, CredentialsError> {
        let shared = profile::SharedConfig::load(env)?;
        let profile = profile::selected_profile(&shared, env, profile)?;
        Ok(Environment {
            region: region::from_env_and_profile(env, &shared, &profile),
            env: env.clone(),
            shared: Arc::new(shared),
            profile,
            http: HttpClient::default(),
            sso_token: Arc::default(),
        })
    }

    /// `AWS_BEARER_TOKEN_{SIGNING NAME}` (`-` and spaces as `_`, upper case): a bearer token
    /// for the service signed for as `signing_name` (botocore's `ScopedEnvTokenProvider`;
    /// Bedrock's API keys are `AWS_BEARER_TOKEN_BEDROCK`).
    pub(crate) fn bearer_token(&self, signing_name: &str) -> Option<String> {
        let scoped = signing_name.replace(['-', ' '], "_").to_ascii_uppercase();
        self.env
            .get(&format!("AWS_BEARER_TOKEN_{scoped}"))
            .filter(|token| !token.is_empty())
    }

    /// The access token of the selected profile's `sso_session`, refreshed when it nears its
    /// expiry (botocore's `SSOTokenProvider`). Kept in memory until then, so that calls read
    /// the cache file once; concurrent callers wait for one read (or refresh).
    pub(crate) async fn sso_token(&self) -> Result<String, CredentialsError> {
        let mut held = self.sso_token.lock().await;
        if let Some((token, expires_at)) = &*held
            && *expires_at > SystemTime::now() + sso::REFRESH_WINDOW
        {
            return Ok(token.clone());
        }
        let profile = self.shared.profiles.get(&self.profile).ok_or_else(|| {
            CredentialsError::new(format!("no profile {} for an SSO token", self.profile))
        })?;
        let sources = chain::Sources {
            env: &self.env,
            http: &self.http,
            shared: &self.shared,
            profile: &self.profile,
            region: self.region.clone(),
        };
        let (token, expires_at) = sso::session_token(&sources, &self.profile, profile).await?;
        *held = Some((token.clone(), expires_at));
        Ok(token)
    }

    /// The endpoint the environment or the profile sets for `service_id`, or for every
    /// service.
    pub(crate) fn endpoint_url(&self, service_id: &str) -> Option<String> {
        self.shared
            .configured_endpoint(&self.env, &self.profile, service_id)
    }

    /// A setting from the environment variable `variable`, else the profile's `key`, with where
    /// it came from (for errors).
    pub(crate) fn setting(&self, variable: &str, key: &str) -> Option<(String, String)> {
        if let Some(value) = self.env.get(variable) {
            return Some((value, variable.to_owned()));
        }
        let value = self.shared.profiles.get(&self.profile)?.get(key)?;
        Some((
            value.to_owned(),
            format!("{key} of profile {:?}", self.profile),
        ))
    }

    /// The instance metadata settings of the environment and the profile.
    pub(crate) fn imds(&self) -> Result<imds::Imds, CredentialsError> {
        imds::Imds::from_settings(&self.env, self.shared.profiles.get(&self.profile))
    }
}

/// The transport credential sources send through: the one given, else the default (reqwest)
/// transport, made on first use and shared by clones.
#[derive(Clone, Default)]
pub(crate) struct HttpClient {
    given: Option<Arc<dyn Transport>>,
    default: Arc<OnceLock<Arc<dyn Transport>>>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("custom_transport", &self.given.is_some())
            .finish()
    }
}

impl HttpClient {
    /// Sends through `transport`.
    pub(crate) fn new(transport: Arc<dyn Transport>) -> Self {
        HttpClient {
            given: Some(transport),
            default: Arc::default(),
        }
    }

    fn transport(&self) -> Result<Arc<dyn Transport>, CredentialsError> {
        if let Some(transport) = &self.given {
            return Ok(transport.clone());
        }
        if let Some(transport) = self.default.get() {
            return Ok(transport.clone());
        }
        let made = crate::config::default_transport(crate::http::Timeouts::default())
            .map_err(|error| CredentialsError::not_loaded(error.to_string()))?;
        Ok(self.default.get_or_init(|| made).clone())
    }

    /// Sends `request` with the runtime's `User-Agent` (unless it has one), giving up after
    /// `timeout` if one is given. `Ok(Err(_))` is a transport failure (time-outs included);
    /// `Err(_)` means there is no transport at all.
    pub(crate) async fn send(
        &self,
        mut request: HttpRequest,
        timeout: Option<Duration>,
    ) -> Result<Result<HttpResponse, TransportError>, CredentialsError> {
        request
            .headers
            .entry(::http::header::USER_AGENT)
            .or_insert_with(|| crate::client::user_agent_of(None, None));
        let transport = self.transport()?;
        let sent = transport.send(request);
        Ok(match timeout {
            None => sent.await,
            Some(limit) => match tokio::time::timeout(limit, sent).await {
                Ok(outcome) => outcome,
                Err(_) => Err(TransportError::new(
                    crate::http::TransportErrorKind::Timeout,
                    format!("no response within {}", seconds(limit)),
                )),
            },
        })
    }
}

/// `1s`, `0.5s`: a duration as messages show it.
pub(crate) fn seconds(duration: Duration) -> String {
    format!("{}s", duration.as_secs_f64())
}

/// An RFC 3339 timestamp as a `SystemTime`; `what` names the field for the error.
pub(crate) fn parse_expiry(text: &str, what: &str) -> Result<SystemTime, CredentialsError> {
    // The AWS CLI v1 wrote SSO token expiries as `2024-01-01T00:00:00UTC`.
    let text = text
        .strip_suffix("UTC")
        .map_or(text.to_owned(), |t| format!("{t}Z"));
    crate::time::parse_iso8601(&text)
        .map(SystemTime::from)
        .map_err(|_| CredentialsError::new(format!("{what} is not an RFC 3339 timestamp")))
}

/// Credentials from the JSON document container endpoints, instance metadata and
/// `credential_process` return: `AccessKeyId`, `SecretAccessKey`, `Token` or `SessionToken`,
/// and an optional `Expiration`. `what` names the document for errors, which never quote it.
pub(crate) fn credentials_from_json(
    body: &[u8],
    what: &str,
) -> Result<Credentials, CredentialsError> {
    let document: serde_json::Value = serde_json::from_slice(body)
        .map_err(|error| CredentialsError::new(format!("{what} is not JSON ({error})")))?;
    let text = |name: &str| {
        document
            .get(name)
            .and_then(serde_json::Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    let required = |name: &str| {
        text(name).ok_or_else(|| CredentialsError::new(format!("{what} has no {name}")))
    };
    let credentials = Credentials::new(
        required("AccessKeyId")?,
        required("SecretAccessKey")?,
        text("Token").or_else(|| text("SessionToken")),
    );
    match text("Expiration") {
        Some(expiration) => Ok(credentials.with_expiry(parse_expiry(
            &expiration,
            &format!("the Expiration of {what}"),
        )?)),
        None => Ok(credentials),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn debug_shows_no_secret() {
        let credentials = Credentials::new("AKID", "very-secret", Some("token-secret".into()));
        let debug = format!("{credentials:?}");
        assert!(debug.contains("AKID"));
        assert!(!debug.contains("very-secret"));
        assert!(!debug.contains("token-secret"));
    }

    /// Hands out credentials that expire `lifetime` after each fetch, counting fetches; fails
    /// once `failing` is set.
    #[derive(Debug)]
    struct Expiring {
        fetches: Arc<AtomicUsize>,
        lifetime: Duration,
        failing: Arc<std::sync::atomic::AtomicBool>,
    }

    impl ProvideCredentials for Expiring {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                let number = self.fetches.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                if self.failing.load(Ordering::SeqCst) {
                    return Err(CredentialsError::new("the source is down"));
                }
                Ok(Credentials::new(format!("AKID{number}"), "secret", None)
                    .with_expiry(SystemTime::now() + self.lifetime))
            })
        }
    }

    fn expiring(
        lifetime: Duration,
    ) -> (
        SharedCredentialsProvider,
        Arc<AtomicUsize>,
        Arc<std::sync::atomic::AtomicBool>,
    ) {
        let fetches = Arc::new(AtomicUsize::new(0));
        let failing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let provider = SharedCredentialsProvider::new(Expiring {
            fetches: fetches.clone(),
            lifetime,
            failing: failing.clone(),
        });
        (provider, fetches, failing)
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch() {
        let (provider, fetches, _) = expiring(Duration::from_secs(3600));
        let calls = (0..50).map(|_| {
            let provider = provider.clone();
            async move { provider.credentials().await }
        });
        let results = futures_join_all(calls).await;
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn credentials_near_expiry_are_refreshed() {
        // Inside the five-minute margin from the start: every call refreshes.
        let (provider, fetches, _) = expiring(Duration::from_secs(60));
        let first = provider.credentials().await.unwrap();
        let second = provider.credentials().await.unwrap();
        assert_ne!(first.access_key_id(), second.access_key_id());
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_valid_credentials() {
        let (provider, _, failing) = expiring(Duration::from_secs(60));
        let first = provider.credentials().await.unwrap();
        failing.store(true, Ordering::SeqCst);
        let kept = provider.credentials().await.unwrap();
        assert_eq!(first, kept);
    }

    #[tokio::test]
    async fn after_a_failed_refresh_callers_use_valid_credentials_without_waiting_again() {
        let (provider, fetches, failing) = expiring(Duration::from_secs(60));
        provider.credentials().await.unwrap();
        failing.store(true, Ordering::SeqCst);
        let calls = (0..20).map(|_| {
            let provider = provider.clone();
            async move { provider.credentials().await }
        });
        let results = futures_join_all(calls).await;
        assert!(results.iter().all(Result::is_ok));
        // The first fetch, then one failed refresh for all twenty callers.
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    /// Runs futures to completion on the current task, in order of readiness.
    async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
    where
        F: std::future::Future + 'static,
        F::Output: 'static,
    {
        let mut handles = Vec::new();
        let local = tokio::task::LocalSet::new();
        for future in futures {
            handles.push(local.spawn_local(future));
        }
        let mut outputs = Vec::new();
        local
            .run_until(async {
                for handle in handles {
                    outputs.push(handle.await.expect("task"));
                }
            })
            .await;
        outputs
    }
}
