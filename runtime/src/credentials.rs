//! Credentials: the keys requests are signed with, where they come from, and the cache every
//! client of one [`Config`](crate::Config) shares.
//!
//! A [`ProvideCredentials`] implementation fetches credentials; [`SharedCredentialsProvider`]
//! caches what it fetched, refreshes it ahead of its expiry (five minutes by default) with one
//! fetch however many calls wait for it, and keeps credentials that are still valid when a
//! refresh fails. [`EnvironmentProvider`] reads what the AWS CLI reads for static keys: the
//! `AWS_*` environment variables, then the selected profile of the shared `credentials` and
//! `config` files (`[profile]` sections, `key = value` lines, `#` and `;` comments).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use crate::error::CredentialsError;
use crate::http::BoxFuture;

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
    current: RwLock<Option<Credentials>>,
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
    /// waiting callers. A failed fetch keeps the cached credentials while they are still valid.
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
                *cache.current.write().unwrap_or_else(|e| e.into_inner()) =
                    Some(credentials.clone());
                Ok(credentials)
            }
            Err(error) => {
                let current = cache.current.read().unwrap_or_else(|e| e.into_inner());
                match &*current {
                    Some(still_valid)
                        if !still_valid.expires_within(Duration::ZERO, SystemTime::now()) =>
                    {
                        tracing::warn!(%error, "refreshing credentials failed; using the cached ones until they expire");
                        Ok(still_valid.clone())
                    }
                    _ => Err(error),
                }
            }
        }
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let current = self.inner.current.read().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|credentials| !credentials.expires_within(self.inner.refresh_margin, now))
            .cloned()
    }
}

/// Static credentials from the `AWS_*` environment variables or the selected profile of the
/// shared files, read when the credentials are first needed.
///
/// `profile` (else `AWS_PROFILE`, else `default`) selects the profile; as in the AWS CLI, a
/// profile named explicitly wins over keys in the environment.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    profile: Option<String>,
}

impl EnvironmentProvider {
    /// Reads the environment, then `profile` (or `AWS_PROFILE`, or `default`).
    pub fn new(profile: Option<&str>) -> Self {
        EnvironmentProvider {
            profile: profile.map(str::to_owned),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let files = SharedFiles::load(self.profile.as_deref())?;
            let from_files = match (
                files.setting("aws_access_key_id"),
                files.setting("aws_secret_access_key"),
            ) {
                (Some(id), Some(secret)) => Some(Credentials::new(
                    id,
                    secret,
                    files.setting("aws_session_token"),
                )),
                _ => None,
            };
            let from_env = match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
                (Some(id), Some(secret)) => {
                    Some(Credentials::new(id, secret, var("AWS_SESSION_TOKEN")))
                }
                _ => None,
            };
            let found = if self.profile.is_some() {
                from_files.or(from_env)
            } else {
                from_env.or(from_files)
            };
            found.ok_or_else(|| {
                CredentialsError::new(format!(
                    "no credentials found: neither AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                     nor keys in profile `{}` of the shared files",
                    files.profile
                ))
            })
        })
    }
}

/// What the environment and the shared files say about region and endpoints.
#[derive(Debug, Clone, Default)]
pub(crate) struct Environment {
    pub(crate) region: Option<String>,
    /// `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`.
    global_endpoint: Option<String>,
    /// `AWS_ENDPOINT_URL_<SERVICE>` variables, by the upper-cased suffix.
    service_endpoints: BTreeMap<String, String>,
}

impl Environment {
    /// Reads the environment and the profile (`profile`, else `AWS_PROFILE`, else `default`).
    /// A profile named explicitly must exist.
    pub(crate) fn load(profile: Option<&str>) -> Result<Environment, CredentialsError> {
        let files = SharedFiles::load(profile)?;
        if profile.is_some() && !files.found {
            return Err(CredentialsError::new(format!(
                "the config profile ({}) could not be found",
                files.profile
            )));
        }
        let service_endpoints = std::env::vars()
            .filter_map(|(name, value)| {
                let service = name.strip_prefix("AWS_ENDPOINT_URL_")?;
                (!value.is_empty()).then(|| (service.to_owned(), value))
            })
            .collect();
        Ok(Environment {
            region: var("AWS_REGION")
                .or_else(|| var("AWS_DEFAULT_REGION"))
                .or_else(|| files.setting("region")),
            global_endpoint: var("AWS_ENDPOINT_URL").or_else(|| files.setting("endpoint_url")),
            service_endpoints,
        })
    }

    /// The endpoint the environment sets for `service_id`, or for every service.
    pub(crate) fn endpoint_url(&self, service_id: &str) -> Option<String> {
        let key = service_id.to_ascii_uppercase().replace([' ', '-'], "_");
        self.service_endpoints
            .get(&key)
            .or(self.global_endpoint.as_ref())
            .cloned()
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The selected profile of the shared `credentials` and `config` files.
struct SharedFiles {
    profile: String,
    /// The profile is in one of the files.
    found: bool,
    from_credentials: HashMap<String, String>,
    from_config: HashMap<String, String>,
}

impl SharedFiles {
    fn load(profile: Option<&str>) -> Result<SharedFiles, CredentialsError> {
        let profile = profile
            .map(str::to_owned)
            .or_else(|| var("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        let home = var("HOME")
            .or_else(|| var("USERPROFILE"))
            .map(PathBuf::from);
        let file = |variable: &str, name: &str| {
            var(variable)
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|home| home.join(".aws").join(name)))
        };
        let mut credentials =
            read_sections(file("AWS_SHARED_CREDENTIALS_FILE", "credentials"), false)?;
        let mut config = read_sections(file("AWS_CONFIG_FILE", "config"), true)?;
        let from_credentials = credentials.remove(&profile);
        let from_config = config.remove(&profile);
        Ok(SharedFiles {
            found: from_credentials.is_some() || from_config.is_some(),
            from_credentials: from_credentials.unwrap_or_default(),
            from_config: from_config.unwrap_or_default(),
            profile,
        })
    }

    /// A setting of the profile: the credentials file first, then the config file.
    fn setting(&self, key: &str) -> Option<String> {
        self.from_credentials
            .get(key)
            .or_else(|| self.from_config.get(key))
            .cloned()
    }
}

type Sections = HashMap<String, HashMap<String, String>>;

/// The sections of one shared file; a missing file has none.
fn read_sections(path: Option<PathBuf>, config_file: bool) -> Result<Sections, CredentialsError> {
    let Some(path) = path else {
        return Ok(Sections::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(parse_sections(&text, config_file)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Sections::new()),
        Err(error) => Err(CredentialsError::new(format!(
            "cannot read {}: {error}",
            path.display()
        ))),
    }
}

fn parse_sections(text: &str, config_file: bool) -> Sections {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            let header = header.trim();
            // In `config`, profiles other than `default` are `[profile name]`; other sections
            // (`[sso-session x]`, `[services x]`) are not profiles.
            current = if !config_file || header == "default" {
                Some(header.to_owned())
            } else {
                header
                    .strip_prefix("profile ")
                    .map(|name| name.trim().to_owned())
            };
            if let Some(name) = &current {
                sections.entry(name.clone()).or_default();
            }
            continue;
        }
        // Nested settings (`s3 =` followed by indented lines) are skipped with their parent.
        if let (Some(name), Some((key, value))) = (&current, line.split_once('=')) {
            let value = value.trim();
            if !value.is_empty() {
                sections
                    .entry(name.clone())
                    .or_default()
                    .insert(key.trim().to_ascii_lowercase(), value.to_owned());
            }
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn config_profiles_need_the_profile_prefix() {
        let text = "[default]\nregion = eu-west-1\n[profile dev]\naws_access_key_id = A\n# note\n[sso-session x]\nregion = no\n";
        let sections = parse_sections(text, true);
        assert_eq!(sections["default"]["region"], "eu-west-1");
        assert_eq!(sections["dev"]["aws_access_key_id"], "A");
        assert!(!sections.contains_key("sso-session x"));
    }

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
