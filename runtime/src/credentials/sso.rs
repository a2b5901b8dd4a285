//! IAM Identity Center (SSO): the access token `aws sso login` left in
//! `~/.aws/sso/cache/<sha1>.json`, exchanged for role credentials by the portal's
//! `GetRoleCredentials` (a rest-json `GET` with the token in `x-amz-sso_bearer_token`).
//!
//! A profile with `sso_session` names an `[sso-session]` section (start URL, region); its token
//! is cached under the SHA-1 of the session's name and, as botocore's `SSOTokenProvider` does,
//! refreshed through SSO-OIDC `CreateToken` within 15 minutes of its expiry, the new token
//! written back to the cache. A legacy profile (`sso_start_url` and `sso_region` in the profile)
//! caches under the SHA-1 of the start URL and is not refreshed: `aws sso login` again.
//! A session's token is also the bearer token of a service that takes no SigV4 (CodeCatalyst):
//! [`session_token`].
//!
//! Endpoints: `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL_SSO_OIDC` (or the profile's
//! `services`, `AWS_ENDPOINT_URL`, `endpoint_url`), else `https://portal.sso.<region>.<suffix>`
//! and `https://oidc.<region>.<suffix>`, the domain of the region's partition.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::{Digest as _, Sha1};

use super::chain::Sources;
use super::profile::Profile;
use super::{Credentials, parse_expiry};
use crate::error::CredentialsError;
use crate::http::{HeaderMap, HeaderValue, HttpRequest, HttpResponse, Method};

/// How long before its expiry a refreshable token is refreshed (botocore's window).
pub(crate) const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Where an SSO access token comes from: the portal signed in to.
struct SsoLogin {
    start_url: String,
    region: String,
    /// `sso_session`'s name: the token is cached under it and can be refreshed.
    session: Option<String>,
}

/// What a profile says about SSO role credentials.
struct SsoProfile {
    login: SsoLogin,
    account_id: String,
    role_name: String,
}

/// The role credentials of profile `name`'s SSO settings.
pub(crate) async fn credentials(
    sources: &Sources<'_>,
    name: &str,
    profile: &Profile,
) -> Result<Credentials, CredentialsError> {
    let sso = sso_profile(sources, name, profile)?;
    let (token, _) = access_token(sources, name, &sso.login).await?;
    get_role_credentials(sources, &sso, &token).await
}

/// The access token of profile `name`'s `sso_session` and its expiry, refreshed first when it
/// nears its expiry: the bearer token of a service that takes no SigV4 (botocore's
/// `SSOTokenProvider`, which reads only `sso_session` profiles).
pub(crate) async fn session_token(
    sources: &Sources<'_>,
    name: &str,
    profile: &Profile,
) -> Result<(String, SystemTime), CredentialsError> {
    let session = profile
        .get("sso_session")
        .ok_or_else(|| CredentialsError::new(format!("profile {name} has no sso_session")))?;
    let login = session_login(sources, name, session)?;
    access_token(sources, name, &login).await
}

/// The start URL and region of `[sso-session session]`, which profile `name` names.
fn session_login(
    sources: &Sources<'_>,
    name: &str,
    session: &str,
) -> Result<SsoLogin, CredentialsError> {
    let section = sources.shared.sso_sessions.get(session).ok_or_else(|| {
        CredentialsError::new(format!(
            "profile {name} names sso_session {session}, but {} has no [sso-session {session}] section",
            sources.shared.config_file_name()
        ))
    })?;
    let required = |key: &str| {
        section
            .get(key)
            .map(str::to_owned)
            .ok_or_else(|| CredentialsError::new(format!("[sso-session {session}] has no {key}")))
    };
    Ok(SsoLogin {
        start_url: required("sso_start_url")?,
        region: required("sso_region")?,
        session: Some(session.to_owned()),
    })
}

fn sso_profile(
    sources: &Sources<'_>,
    name: &str,
    profile: &Profile,
) -> Result<SsoProfile, CredentialsError> {
    let legacy = [
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
    ];
    let session = profile.get("sso_session");
    if session.is_none() && legacy.iter().all(|key| profile.get(key).is_none()) {
        return Err(CredentialsError::not_loaded(format!(
            "profile {name} has neither sso_session nor sso_start_url"
        )));
    }
    let login = match session {
        Some(session) => session_login(sources, name, session)?,
        None => {
            let missing: Vec<&str> = legacy
                .iter()
                .copied()
                .filter(|key| profile.get(key).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(CredentialsError::new(format!(
                    "profile {name} is an SSO profile without {}",
                    missing.join(", ")
                )));
            }
            let setting = |key: &str| profile.get(key).unwrap_or_default().to_owned();
            SsoLogin {
                start_url: setting("sso_start_url"),
                region: setting("sso_region"),
                session: None,
            }
        }
    };
    let required = |key: &str| {
        profile
            .get(key)
            .map(str::to_owned)
            .ok_or_else(|| CredentialsError::new(format!("SSO profile {name} has no {key}")))
    };
    Ok(SsoProfile {
        login,
        account_id: required("sso_account_id")?,
        role_name: required("sso_role_name")?,
    })
}

/// The cached token of `sso` and its expiry, refreshed first if it is a session's and nears
/// its expiry.
async fn access_token(
    sources: &Sources<'_>,
    profile: &str,
    sso: &SsoLogin,
) -> Result<(String, SystemTime), CredentialsError> {
    let key = sso.session.as_deref().unwrap_or(&sso.start_url);
    let path = cache_path(sources, key)?;
    let login = format!("run `aws sso login --profile {profile}`");
    let text = std::fs::read(&path).map_err(|error| {
        CredentialsError::new(format!(
            "no SSO token cached at {} ({error}): {login}",
            path.display()
        ))
    })?;
    let mut cached: serde_json::Value = serde_json::from_slice(&text).map_err(|error| {
        CredentialsError::new(format!(
            "the SSO token cache {} is not JSON ({error})",
            path.display()
        ))
    })?;
    let field = |cached: &serde_json::Value, name: &str| {
        cached
            .get(name)
            .and_then(serde_json::Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    let what = |name: &str| format!("{name} in {}", path.display());
    let token = field(&cached, "accessToken")
        .ok_or_else(|| CredentialsError::new(format!("no {}", what("accessToken"))))?;
    let expires_at = parse_expiry(
        &field(&cached, "expiresAt")
            .ok_or_else(|| CredentialsError::new(format!("no {}", what("expiresAt"))))?,
        &what("expiresAt"),
    )?;
    let now = SystemTime::now();
    let expired = expires_at <= now;
    let needs_refresh = expires_at <= now + REFRESH_WINDOW;
    let Some(session) = sso.session.as_deref().filter(|_| needs_refresh) else {
        if expired {
            return Err(CredentialsError::new(format!(
                "the SSO token for {} has expired: {login}",
                sso.start_url
            )));
        }
        return Ok((token, expires_at));
    };
    let registration_valid = field(&cached, "registrationExpiresAt")
        .map(|at| parse_expiry(&at, &what("registrationExpiresAt")))
        .transpose()?
        .is_none_or(|at| at > now);
    let grant = (
        field(&cached, "clientId"),
        field(&cached, "clientSecret"),
        field(&cached, "refreshToken"),
    );
    let refreshed = match grant {
        (Some(client_id), Some(client_secret), Some(refresh_token)) if registration_valid => {
            create_token(sources, sso, &client_id, &client_secret, &refresh_token).await
        }
        _ => Err(CredentialsError::new(format!(
            "the token of sso-session {session} cannot be refreshed (no refresh token, or its client registration expired)"
        ))),
    };
    match refreshed {
        Ok(fresh) => {
            let expires_at = crate::time::format_iso8601(&(now + fresh.expires_in).into());
            cached["accessToken"] = fresh.access_token.clone().into();
            cached["expiresAt"] = expires_at.into();
            if let Some(refresh_token) = fresh.refresh_token {
                cached["refreshToken"] = refresh_token.into();
            }
            if let Err(error) = write_cache(&path, &cached) {
                tracing::warn!(path = %path.display(), %error, "cannot write the refreshed SSO token to its cache");
            }
            tracing::debug!(session, "refreshed the SSO token");
            Ok((fresh.access_token, now + fresh.expires_in))
        }
        Err(error) if !expired => {
            tracing::warn!(%error, "refreshing the SSO token failed; using it until it expires");
            Ok((token, expires_at))
        }
        Err(error) => Err(error.context(format_args!(
            "the SSO token of sso-session {session} has expired and was not refreshed ({login})"
        ))),
    }
}

/// `~/.aws/sso/cache/<sha1 of key>.json`.
fn cache_path(sources: &Sources<'_>, key: &str) -> Result<PathBuf, CredentialsError> {
    let home = sources.env.home().ok_or_else(|| {
        CredentialsError::new("no home directory (HOME) to find the SSO token cache in")
    })?;
    let digest = Sha1::digest(key.as_bytes());
    let name: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(home.join(".aws/sso/cache").join(format!("{name}.json")))
}

/// Replaces the cache file whole (a temporary file renamed over it), readable by its owner only.
fn write_cache(path: &std::path::Path, cached: &serde_json::Value) -> std::io::Result<()> {
    let temporary = path.with_extension("json.tmp");
    let text = serde_json::to_vec_pretty(cached).map_err(std::io::Error::other)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(&temporary)?, &text)?;
    std::fs::rename(&temporary, path)
}

struct FreshToken {
    access_token: String,
    expires_in: Duration,
    refresh_token: Option<String>,
}

/// SSO-OIDC `CreateToken` with the `refresh_token` grant.
async fn create_token(
    sources: &Sources<'_>,
    sso: &SsoLogin,
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
) -> Result<FreshToken, CredentialsError> {
    let endpoint = endpoint(
        sources,
        "SSO OIDC",
        &format!(
            "https://oidc.{}.{}",
            sso.region,
            crate::endpoint_rules::dns_suffix(&sso.region)
        ),
    );
    let body = serde_json::json!({
        "clientId": client_id,
        "clientSecret": client_secret,
        "grantType": "refresh_token",
        "refreshToken": refresh_token,
    });
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let request = HttpRequest {
        operation: "CreateToken",
        method: Method::POST,
        uri: format!("{endpoint}/token"),
        headers,
        body: body.to_string().into(),
        body_stream: None,
        stream_checksum: None,
        upload_hashes: false,
    };
    let answer = send(sources, request, "SSO-OIDC CreateToken").await?;
    let document: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|error| {
        CredentialsError::new(format!(
            "the SSO-OIDC CreateToken answer is not JSON ({error})"
        ))
    })?;
    let access_token = document
        .get("accessToken")
        .and_then(serde_json::Value::as_str)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            CredentialsError::new("the SSO-OIDC CreateToken answer has no accessToken")
        })?;
    let expires_in = document
        .get("expiresIn")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| CredentialsError::new("the SSO-OIDC CreateToken answer has no expiresIn"))?;
    Ok(FreshToken {
        access_token: access_token.to_owned(),
        expires_in: Duration::from_secs(expires_in),
        refresh_token: document
            .get("refreshToken")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
    })
}

/// The portal's `GetRoleCredentials`.
async fn get_role_credentials(
    sources: &Sources<'_>,
    sso: &SsoProfile,
    token: &str,
) -> Result<Credentials, CredentialsError> {
    let endpoint = endpoint(
        sources,
        "SSO",
        &format!(
            "https://portal.sso.{}.{}",
            sso.login.region,
            crate::endpoint_rules::dns_suffix(&sso.login.region)
        ),
    );
    let mut bearer = HeaderValue::from_str(token)
        .map_err(|_| CredentialsError::new("the cached SSO token is not a valid header value"))?;
    bearer.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert("x-amz-sso_bearer_token", bearer);
    let request = HttpRequest {
        operation: "GetRoleCredentials",
        method: Method::GET,
        uri: format!(
            "{endpoint}/federation/credentials?account_id={}&role_name={}",
            utf8_percent_encode(&sso.account_id, NON_ALPHANUMERIC),
            utf8_percent_encode(&sso.role_name, NON_ALPHANUMERIC)
        ),
        headers,
        body: Default::default(),
        body_stream: None,
        stream_checksum: None,
        upload_hashes: false,
    };
    let what = format!(
        "SSO GetRoleCredentials for role {} in account {}",
        sso.role_name, sso.account_id
    );
    let answer = send(sources, request, &what).await?;
    let document: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|error| {
        CredentialsError::new(format!("the {what} answer is not JSON ({error})"))
    })?;
    let role = &document["roleCredentials"];
    let text = |name: &str| {
        role.get(name)
            .and_then(serde_json::Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                CredentialsError::new(format!("the {what} answer has no roleCredentials.{name}"))
            })
    };
    let expiration = role
        .get("expiration")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| {
            CredentialsError::new(format!(
                "the {what} answer has no roleCredentials.expiration"
            ))
        })?;
    Ok(Credentials::new(
        text("accessKeyId")?,
        text("secretAccessKey")?,
        Some(text("sessionToken")?),
    )
    .with_expiry(SystemTime::UNIX_EPOCH + Duration::from_millis(expiration)))
}

/// The configured endpoint of `service_id`, else `default`.
fn endpoint(sources: &Sources<'_>, service_id: &str, default: &str) -> String {
    sources
        .shared
        .configured_endpoint(sources.env, sources.profile, service_id)
        .unwrap_or_else(|| default.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// Sends `request`; anything but a 200 is an error with the service's error type.
async fn send(
    sources: &Sources<'_>,
    request: HttpRequest,
    what: &str,
) -> Result<HttpResponse, CredentialsError> {
    tracing::debug!(operation = request.operation, "calling IAM Identity Center");
    let answer = sources
        .http
        .send(request, None)
        .await?
        .map_err(|error| CredentialsError::new(format!("{what}: {error}")))?;
    if answer.status == 200 {
        return Ok(answer);
    }
    let document: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
    let kind = answer
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| {
            ["error", "__type"]
                .iter()
                .find_map(|key| document.get(key)?.as_str().map(str::to_owned))
        })
        .unwrap_or_default();
    let kind = kind.split(':').next().unwrap_or_default();
    let advice = if matches!(answer.status, 400 | 401 | 403) {
        ": the SSO session may have ended; run `aws sso login`"
    } else {
        ""
    };
    Err(CredentialsError::new(format!(
        "{what} answered HTTP {} {kind}{advice}",
        answer.status
    )))
}
