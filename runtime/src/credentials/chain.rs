//! The default credential chain, in botocore's order (`create_credential_resolver`):
//!
//! 1. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//!    `AWS_CREDENTIAL_EXPIRATION`), skipped when a profile is named explicitly;
//! 2. a role assumed from the profile (`role_arn` with `source_profile` or `credential_source`);
//! 3. a web identity token (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
//!    `AWS_ROLE_SESSION_NAME`, or the profile's `web_identity_token_file`);
//! 4. IAM Identity Center (the profile's `sso_session`, or legacy `sso_start_url`);
//! 5. static keys of the profile in the `credentials` file;
//! 6. the profile's `credential_process`;
//! 7. static keys of the profile in the `config` file;
//! 8. container credentials;
//! 9. EC2 instance metadata.
//!
//! A source that is not set up says why and the chain goes on; a source that is set up but
//! fails stops the chain with its error, as in botocore (a broken `credential_process` is not
//! silently replaced by the instance role). When no source has credentials, the error lists
//! every source and why it had none.

use std::fmt;
use std::time::SystemTime;

use super::env::Env;
use super::imds::Imds;
use super::profile::{Section, SharedConfig, selected_profile};
use super::sts::Sts;
use super::{
    Credentials, HttpClient, ProvideCredentials, container, parse_expiry, process, region, role,
    sso,
};
use crate::error::{CredentialsError, TriedSource};
use crate::http::{BoxFuture, Transport};

/// Credentials from wherever the AWS CLI would find them, looked up in botocore's order: the
/// environment, a role assumed from the profile, a web identity token, IAM Identity Center, the
/// profile's static keys in `credentials`, its `credential_process`, its static keys in
/// `config`, container credentials, then EC2 instance metadata. A source that is not set up
/// gives way to the next; one that is set up but fails stops the chain; when none has
/// credentials, the error lists each and why ([`CredentialsError::tried`]). Cache it behind a
/// [`SharedCredentialsProvider`](super::SharedCredentialsProvider), as
/// [`Config::from_env`](crate::Config::from_env) does: every fetch reads the files again and
/// tries the sources in order.
///
/// STS, SSO, container and instance metadata calls go through the default (reqwest) transport
/// unless [`transport`](Self::transport) gives another one.
#[derive(Clone, Default)]
pub struct DefaultCredentialsChain {
    env: Env,
    profile: Option<String>,
    http: HttpClient,
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .field("http", &self.http)
            .finish()
    }
}

impl DefaultCredentialsChain {
    /// The process's environment, and the profile it selects (`AWS_PROFILE`, else `default`).
    pub fn new() -> Self {
        DefaultCredentialsChain::default()
    }

    /// Reads these variables instead of the process's (`HOME` included, which locates
    /// `~/.aws`).
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Uses this profile. As in the AWS CLI's `--profile`, it must exist, and the
    /// environment's keys are then not looked at.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Sends the chain's HTTP calls through `transport`.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.http = HttpClient::new(std::sync::Arc::new(transport));
        self
    }

    /// Sends through a transport shared with its owner.
    pub(crate) fn shared_transport(mut self, transport: std::sync::Arc<dyn Transport>) -> Self {
        self.http = HttpClient::new(transport);
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let shared = SharedConfig::load(&self.env)?;
        let explicit = self.profile.as_deref();
        let profile = selected_profile(&shared, &self.env, explicit)?;
        let sources = Sources {
            env: &self.env,
            http: &self.http,
            region: region::from_env_and_profile(&self.env, &shared, &profile),
            shared: &shared,
            profile: &profile,
        };
        let use_env = explicit.is_none();
        run(&sources, &DEFAULT_CHAIN, &profile, use_env).await
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// What every source may need: the environment, the files, the transport, and the selected
/// profile and its region (for STS and SSO endpoints).
pub(crate) struct Sources<'a> {
    pub(crate) env: &'a Env,
    pub(crate) http: &'a HttpClient,
    pub(crate) shared: &'a SharedConfig,
    /// The selected profile: its settings choose the STS and SSO endpoints.
    pub(crate) profile: &'a str,
    pub(crate) region: Option<String>,
}

impl Sources<'_> {
    pub(crate) fn sts(&self) -> Sts {
        Sts::new(self.env, self.shared, self.profile, self.region.as_deref())
    }

    pub(crate) fn imds(&self) -> Result<Imds, CredentialsError> {
        Imds::from_settings(self.env, self.shared.profiles.get(self.profile))
    }
}

/// One place credentials can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Environment,
    AssumeRole,
    WebIdentity,
    Sso,
    CredentialsFile,
    Process,
    ConfigFile,
    Container,
    InstanceMetadata,
}

/// The default chain, in botocore's order.
const DEFAULT_CHAIN: [Source; 9] = [
    Source::Environment,
    Source::AssumeRole,
    Source::WebIdentity,
    Source::Sso,
    Source::CredentialsFile,
    Source::Process,
    Source::ConfigFile,
    Source::Container,
    Source::InstanceMetadata,
];

/// What a `source_profile` is read with (botocore's `ProfileProviderBuilder`): the sources that
/// live in a profile, the environment left out.
pub(crate) const PROFILE_CHAIN: [Source; 5] = [
    Source::WebIdentity,
    Source::Sso,
    Source::CredentialsFile,
    Source::Process,
    Source::ConfigFile,
];

impl Source {
    /// The source's name in errors and logs.
    pub(crate) fn name(self, profile: &str) -> String {
        match self {
            Source::Environment => "environment".to_owned(),
            Source::AssumeRole => format!("assume role (profile {profile})"),
            Source::WebIdentity => "web identity".to_owned(),
            Source::Sso => format!("SSO (profile {profile})"),
            Source::CredentialsFile => format!("credentials file (profile {profile})"),
            Source::Process => format!("credential_process (profile {profile})"),
            Source::ConfigFile => format!("config file (profile {profile})"),
            Source::Container => "container".to_owned(),
            Source::InstanceMetadata => "instance metadata".to_owned(),
        }
    }

    /// The source's credentials for `profile`; `use_env` says whether the environment's
    /// variables count (not when a profile was named explicitly, nor for a `source_profile`).
    pub(crate) fn load<'a>(
        self,
        sources: &'a Sources<'a>,
        profile_name: &'a str,
        use_env: bool,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let profile = sources.shared.profiles.get(profile_name);
            let profile_file = |section: fn(&super::profile::Profile) -> &Section, file: String| {
                let Some(profile) = profile else {
                    return Err(CredentialsError::not_loaded(format!(
                        "no profile {profile_name}"
                    )));
                };
                static_keys(section(profile), profile_name, &file)
            };
            match self {
                Source::Environment if !use_env => Err(CredentialsError::not_loaded(format!(
                    "skipped: profile {profile_name} was named explicitly"
                ))),
                Source::Environment => environment_keys(sources.env),
                Source::AssumeRole => role::assume_role(sources, profile_name).await,
                Source::WebIdentity => role::web_identity(sources, profile_name, use_env).await,
                Source::Sso => match profile {
                    Some(profile) => sso::credentials(sources, profile_name, profile).await,
                    None => Err(CredentialsError::not_loaded(format!(
                        "no profile {profile_name}"
                    ))),
                },
                Source::CredentialsFile => profile_file(
                    |profile| &profile.credentials,
                    sources.shared.credentials_file_name(),
                ),
                Source::Process => match profile.and_then(|p| p.get("credential_process")) {
                    Some(command) => process::credentials(command).await,
                    None => Err(CredentialsError::not_loaded(format!(
                        "profile {profile_name} has no credential_process"
                    ))),
                },
                Source::ConfigFile => {
                    profile_file(|profile| &profile.config, sources.shared.config_file_name())
                }
                Source::Container => container::credentials(sources.env, sources.http).await,
                Source::InstanceMetadata => sources.imds()?.credentials(sources.http).await,
            }
        })
    }
}

/// The first credentials `chain` yields for `profile`, or why none did.
pub(crate) async fn run(
    sources: &Sources<'_>,
    chain: &[Source],
    profile: &str,
    use_env: bool,
) -> Result<Credentials, CredentialsError> {
    let mut tried = Vec::new();
    for source in chain {
        let name = source.name(profile);
        match source.load(sources, profile, use_env).await {
            Ok(credentials) => {
                tracing::debug!(source = %name, "credentials found");
                return Ok(credentials);
            }
            Err(error) if error.is_not_loaded() => {
                tracing::debug!(source = %name, reason = error.message(), "no credentials here");
                tried.push(TriedSource {
                    source: name,
                    reason: error.message().to_owned(),
                });
            }
            Err(error) => return Err(error.context(name)),
        }
    }
    Err(CredentialsError::none_found(tried))
}

/// Static keys from `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`,
/// else the older `AWS_SECURITY_TOKEN`, and `AWS_CREDENTIAL_EXPIRATION`). One key without the
/// other is an error.
pub(crate) fn environment_keys(env: &Env) -> Result<Credentials, CredentialsError> {
    let (id, secret) = match (
        env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"),
    ) {
        (Some(id), Some(secret)) => (id, secret),
        (None, None) => {
            return Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            ));
        }
        (Some(_), None) => {
            return Err(CredentialsError::new(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ));
        }
        (None, Some(_)) => {
            return Err(CredentialsError::new(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            ));
        }
    };
    let token = env
        .get("AWS_SESSION_TOKEN")
        .or_else(|| env.get("AWS_SECURITY_TOKEN"));
    let credentials = Credentials::new(id, secret, token);
    match env.get("AWS_CREDENTIAL_EXPIRATION") {
        Some(expiry) => {
            Ok(credentials.with_expiry(parse_expiry(&expiry, "AWS_CREDENTIAL_EXPIRATION")?))
        }
        None => Ok(credentials),
    }
}

/// Static keys of profile `name` in one `file`; one key without the other is an error.
pub(crate) fn static_keys(
    section: &Section,
    name: &str,
    file: &str,
) -> Result<Credentials, CredentialsError> {
    let id = section.get("aws_access_key_id");
    let secret = section.get("aws_secret_access_key");
    let line = |key: &str| section.settings.get(key).map_or(0, |setting| setting.line);
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Credentials::new(
            id,
            secret,
            section.get("aws_session_token").map(str::to_owned),
        )),
        (None, None) => Err(CredentialsError::not_loaded(format!(
            "profile {name} has no aws_access_key_id in {file}"
        ))),
        (Some(_), None) => Err(CredentialsError::new(format!(
            "{file} line {}: profile {name} has aws_access_key_id but no aws_secret_access_key",
            line("aws_access_key_id")
        ))),
        (None, Some(_)) => Err(CredentialsError::new(format!(
            "{file} line {}: profile {name} has aws_secret_access_key but no aws_access_key_id",
            line("aws_secret_access_key")
        ))),
    }
}

/// `then()` when `error` only says the source is not set up; `error` otherwise.
pub(crate) fn if_not_loaded(
    error: CredentialsError,
    then: impl FnOnce() -> Result<Credentials, CredentialsError>,
) -> Result<Credentials, CredentialsError> {
    if error.is_not_loaded() {
        then()
    } else {
        Err(error)
    }
}

/// `botocore-session-<unix seconds>`, botocore's default session name.
pub(crate) fn default_session_name() -> String {
    let seconds = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default();
    format!("botocore-session-{seconds}")
}
