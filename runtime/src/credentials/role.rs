//! Roles: a role assumed from a profile (`role_arn` with `source_profile`, which may itself
//! assume a role, or with `credential_source`), and a role assumed with a web identity token.
//!
//! A `source_profile` chain is walked first (refusing loops, as botocore's
//! `InfiniteLoopConfigError` does; a profile may name itself when it has static keys), then the
//! roles are assumed from the innermost out: each `AssumeRole` is signed with the credentials
//! of the one before.

use super::Credentials;
use super::chain::{PROFILE_CHAIN, Source, Sources, default_session_name, run};
use super::profile::Profile;
use super::sts::RoleRequest;
use crate::error::CredentialsError;

/// Where the first credentials of a role chain come from.
enum Base {
    /// A profile's own credentials (web identity, SSO, static keys, `credential_process`).
    Profile(String),
    /// `credential_source`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
    CredentialSource(String),
}

/// The credentials of the role profile `name` assumes, if it is a role profile.
pub(crate) async fn assume_role(
    sources: &Sources<'_>,
    name: &str,
) -> Result<Credentials, CredentialsError> {
    let is_role = |profile: &Profile| {
        profile.get("role_arn").is_some() && profile.get("web_identity_token_file").is_none()
    };
    if !sources.shared.profiles.get(name).is_some_and(is_role) {
        return Err(CredentialsError::not_loaded(format!(
            "profile {name} has no role_arn (without web_identity_token_file)"
        )));
    }
    let mut steps = Vec::new();
    let mut visited = vec![name.to_owned()];
    let mut current = name.to_owned();
    let base = loop {
        let profile = sources.shared.profile(&current)?;
        steps.push(role_request(&current, profile)?);
        match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::new(format!(
                    "profile {current} sets both source_profile and credential_source; set one"
                )));
            }
            (None, None) => {
                return Err(CredentialsError::new(format!(
                    "profile {current} sets role_arn but neither source_profile nor credential_source"
                )));
            }
            (None, Some(source)) => break Base::CredentialSource(source.to_owned()),
            (Some(source_name), None) => {
                let source = sources.shared.profiles.get(source_name).ok_or_else(|| {
                    CredentialsError::new(format!(
                        "profile {current} names source_profile {source_name}, which could not be found in {}",
                        sources.shared.files_looked_in()
                    ))
                })?;
                let has_keys = source.get("aws_access_key_id").is_some();
                if source_name == current {
                    if !has_keys {
                        return Err(CredentialsError::new(format!(
                            "profile {current} names itself as source_profile but has no static keys"
                        )));
                    }
                    break Base::Profile(current);
                }
                if visited.iter().any(|seen| seen == source_name) {
                    visited.push(source_name.to_owned());
                    return Err(CredentialsError::new(format!(
                        "source_profile loop: {}",
                        visited.join(" -> ")
                    )));
                }
                visited.push(source_name.to_owned());
                // As botocore: a source profile with static keys is used for them, not for its role.
                if !has_keys && is_role(source) {
                    current = source_name.to_owned();
                    continue;
                }
                break Base::Profile(source_name.to_owned());
            }
        }
    };
    let mut credentials = match base {
        Base::Profile(profile) => match run(sources, &PROFILE_CHAIN, &profile, false).await {
            Err(error) if !error.tried().is_empty() => {
                let reasons: Vec<String> = error
                    .tried()
                    .iter()
                    .map(|tried| format!("{}: {}", tried.source, tried.reason))
                    .collect();
                return Err(CredentialsError::new(format!(
                    "source_profile {profile} has no credentials ({})",
                    reasons.join("; ")
                )));
            }
            outcome => outcome?,
        },
        Base::CredentialSource(source) => credential_source(sources, &source).await?,
    };
    let sts = sources.sts();
    for step in steps.iter().rev() {
        credentials = sts.assume_role(sources.http, &credentials, step).await?;
        tracing::debug!(role_arn = %step.role_arn, "assumed role");
    }
    Ok(credentials)
}

/// `AssumeRole`'s parameters from a profile.
fn role_request(name: &str, profile: &Profile) -> Result<RoleRequest, CredentialsError> {
    if profile.get("mfa_serial").is_some() {
        return Err(CredentialsError::new(format!(
            "profile {name} needs an MFA code (mfa_serial), which this client cannot prompt for"
        )));
    }
    let duration_seconds = profile
        .get("duration_seconds")
        .map(|text| {
            text.parse::<u32>().map_err(|_| {
                CredentialsError::new(format!(
                    "duration_seconds of profile {name} is {text:?}, not a whole number of seconds"
                ))
            })
        })
        .transpose()?;
    Ok(RoleRequest {
        role_arn: profile.get("role_arn").unwrap_or_default().to_owned(),
        session_name: profile
            .get("role_session_name")
            .map_or_else(default_session_name, str::to_owned),
        external_id: profile.get("external_id").map(str::to_owned),
        duration_seconds,
    })
}

/// The credentials `credential_source` names; a source with none is an error here.
async fn credential_source(
    sources: &Sources<'_>,
    name: &str,
) -> Result<Credentials, CredentialsError> {
    let source = match name {
        "Environment" => Source::Environment,
        "Ec2InstanceMetadata" => Source::InstanceMetadata,
        "EcsContainer" => Source::Container,
        other => {
            return Err(CredentialsError::new(format!(
                "credential_source {other:?} is not one of Environment, Ec2InstanceMetadata, EcsContainer"
            )));
        }
    };
    source
        .load(sources, sources.profile, true)
        .await
        .map_err(|error| match error.is_not_loaded() {
            true => CredentialsError::new(format!(
                "credential_source {name} has no credentials: {}",
                error.message()
            )),
            false => error.context(format_args!("credential_source {name}")),
        })
}

/// A web identity role: the environment's `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME` (when `use_env`), else the profile's `web_identity_token_file`,
/// `role_arn` and `role_session_name`. The token file is read on every fetch: it rotates.
pub(crate) async fn web_identity(
    sources: &Sources<'_>,
    name: &str,
    use_env: bool,
) -> Result<Credentials, CredentialsError> {
    let profile = sources.shared.profiles.get(name);
    let setting = |variable: &str, key: &str| {
        use_env
            .then(|| sources.env.get(variable))
            .flatten()
            .or_else(|| profile?.get(key).map(str::to_owned))
    };
    let Some(token_file) = setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file") else {
        return Err(CredentialsError::not_loaded(if use_env {
            format!(
                "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile {name} has no web_identity_token_file"
            )
        } else {
            format!("profile {name} has no web_identity_token_file")
        }));
    };
    let role_arn = setting("AWS_ROLE_ARN", "role_arn").ok_or_else(|| {
        CredentialsError::new(format!(
            "a web identity token file is set ({token_file}) but no role: set AWS_ROLE_ARN or role_arn in profile {name}"
        ))
    })?;
    let session_name =
        setting("AWS_ROLE_SESSION_NAME", "role_session_name").unwrap_or_else(default_session_name);
    let path = sources.env.expand_home(&token_file);
    let token = std::fs::read_to_string(&path).map_err(|error| {
        CredentialsError::new(format!(
            "cannot read the web identity token file {}: {error}",
            path.display()
        ))
    })?;
    sources
        .sts()
        .assume_role_with_web_identity(sources.http, &role_arn, &session_name, token.trim())
        .await
}
