//! EC2 instance metadata (IMDS), as botocore's `InstanceMetadataFetcher` reads it: a session
//! token first (IMDSv2: `PUT /latest/api/token`), then the role name and its credentials, and
//! the region for [`Config::load`](crate::Config::load).
//!
//! Settings, each from its variable else the profile: `AWS_EC2_METADATA_DISABLED`,
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` (`ec2_metadata_service_endpoint`),
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (`IPv4`, `IPv6`), `AWS_METADATA_SERVICE_TIMEOUT`
//! (`metadata_service_timeout`, seconds, default 1), `AWS_METADATA_SERVICE_NUM_ATTEMPTS`
//! (`metadata_service_num_attempts`, default 1) and `AWS_EC2_METADATA_V1_DISABLED`
//! (`ec2_metadata_v1_disabled`).
//!
//! An endpoint that refuses tokens (403, 404, 405) is read without one (IMDSv1), unless v1 is
//! disabled. An endpoint that does not answer within the time-out is taken as "not on EC2": the
//! chain goes on (botocore also falls back to v1 then; that only doubles the wait).

use std::time::Duration;

use super::env::{Env, parse_bool};
use super::profile::Profile;
use super::{Credentials, HttpClient, credentials_from_json, seconds};
use crate::error::CredentialsError;
use crate::http::{HeaderMap, HeaderValue, HttpRequest, HttpResponse, Method};

const TOKEN_TTL_SECONDS: &str = "21600";

/// The instance metadata endpoint and how it is asked.
#[derive(Debug, Clone)]
pub(crate) struct Imds {
    endpoint: String,
    timeout: Duration,
    attempts: u32,
    v1_disabled: bool,
    disabled: bool,
}

impl Imds {
    /// The settings of the environment, then of `profile`. A value that does not parse is an
    /// error naming the setting.
    pub(crate) fn from_settings(
        env: &Env,
        profile: Option<&Profile>,
    ) -> Result<Imds, CredentialsError> {
        let setting = |variable: &str, key: &str| {
            env.get(variable)
                .map(|value| (value, variable.to_owned()))
                .or_else(|| {
                    let value = profile?.get(key)?;
                    Some((value.to_owned(), format!("{key} of the profile")))
                })
        };
        let flag = |variable: &str, key: &str| match setting(variable, key) {
            None => Ok(false),
            Some((value, name)) => parse_bool(&value).ok_or_else(|| {
                CredentialsError::new(format!("{name} is {value:?}, not true or false"))
            }),
        };
        let number = |variable: &str, key: &str, default: f64| match setting(variable, key) {
            None => Ok(default),
            Some((value, name)) => value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|number| number.is_finite() && *number > 0.0)
                .ok_or_else(|| {
                    CredentialsError::new(format!("{name} is {value:?}, not a positive number"))
                }),
        };
        let endpoint = match setting(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        ) {
            Some((url, _)) => url.trim_end_matches('/').to_owned(),
            None => match setting(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                "ec2_metadata_service_endpoint_mode",
            ) {
                None => "http://169.254.169.254".to_owned(),
                Some((mode, _)) if mode.eq_ignore_ascii_case("ipv4") => {
                    "http://169.254.169.254".to_owned()
                }
                Some((mode, _)) if mode.eq_ignore_ascii_case("ipv6") => {
                    "http://[fd00:ec2::254]".to_owned()
                }
                Some((mode, name)) => {
                    return Err(CredentialsError::new(format!(
                        "{name} is {mode:?}, not IPv4 or IPv6"
                    )));
                }
            },
        };
        let attempts = number(
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "metadata_service_num_attempts",
            1.0,
        )?;
        Ok(Imds {
            endpoint,
            timeout: Duration::from_secs_f64(number(
                "AWS_METADATA_SERVICE_TIMEOUT",
                "metadata_service_timeout",
                1.0,
            )?),
            attempts: (attempts as u32).max(1),
            v1_disabled: flag("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")?,
            // As botocore: only `true` disables, and only the variable does.
            disabled: env
                .get("AWS_EC2_METADATA_DISABLED")
                .is_some_and(|value| value.eq_ignore_ascii_case("true")),
        })
    }

    /// The credentials of the instance's role.
    pub(crate) async fn credentials(
        &self,
        http: &HttpClient,
    ) -> Result<Credentials, CredentialsError> {
        let mut session = self.session(http).await?;
        let listing = self
            .get(
                http,
                "/latest/meta-data/iam/security-credentials/",
                &mut session,
            )
            .await?;
        if listing.status == 404 {
            return Err(CredentialsError::not_loaded(format!(
                "{} has no IAM role for this instance",
                self.endpoint
            )));
        }
        let body = self.success(listing, "the role name")?;
        let role = String::from_utf8_lossy(&body)
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                CredentialsError::not_loaded(format!("{} lists no IAM role", self.endpoint))
            })?;
        let path = format!("/latest/meta-data/iam/security-credentials/{role}");
        let answer = self.get(http, &path, &mut session).await?;
        let body = self.success(answer, "the role's credentials")?;
        let document: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if let Some(code) = document.get("Code").and_then(serde_json::Value::as_str)
            && code != "Success"
        {
            return Err(CredentialsError::new(format!(
                "instance metadata answered {code:?} for role {role}"
            )));
        }
        credentials_from_json(
            &body,
            &format!("the instance metadata credentials of role {role}"),
        )
    }

    /// The instance's region.
    pub(crate) async fn region(&self, http: &HttpClient) -> Result<String, CredentialsError> {
        let mut session = self.session(http).await?;
        let answer = self
            .get(http, "/latest/meta-data/placement/region", &mut session)
            .await?;
        let body = self.success(answer, "the region")?;
        let region = String::from_utf8_lossy(&body).trim().to_owned();
        if region.is_empty() {
            return Err(CredentialsError::new(
                "instance metadata gave an empty region",
            ));
        }
        Ok(region)
    }

    /// A session token, or `None` where the endpoint does not issue them and v1 is allowed.
    async fn session(&self, http: &HttpClient) -> Result<Option<String>, CredentialsError> {
        if self.disabled {
            return Err(CredentialsError::not_loaded(
                "disabled by AWS_EC2_METADATA_DISABLED",
            ));
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-aws-ec2-metadata-token-ttl-seconds",
            HeaderValue::from_static(TOKEN_TTL_SECONDS),
        );
        let answer = self
            .send(http, Method::PUT, "/latest/api/token", headers)
            .await?;
        match answer.status {
            200 => {
                let token = String::from_utf8_lossy(&answer.body).trim().to_owned();
                HeaderValue::from_str(&token).map_err(|_| {
                    CredentialsError::new("the instance metadata token is not a header value")
                })?;
                Ok(Some(token))
            }
            403..=405 if !self.v1_disabled => {
                tracing::debug!(
                    status = answer.status,
                    "instance metadata issues no token; reading it without one (IMDSv1)"
                );
                Ok(None)
            }
            status => Err(CredentialsError::new(format!(
                "{} answered HTTP {status} to the token request{}",
                self.endpoint,
                if self.v1_disabled {
                    " and IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED)"
                } else {
                    ""
                }
            ))),
        }
    }

    /// `GET path` with the session token; a 401 (the token expired) gets a new token once.
    async fn get(
        &self,
        http: &HttpClient,
        path: &str,
        session: &mut Option<String>,
    ) -> Result<HttpResponse, CredentialsError> {
        let headers = |token: &Option<String>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = token.as_deref().and_then(|t| HeaderValue::from_str(t).ok()) {
                headers.insert("x-aws-ec2-metadata-token", value);
            }
            headers
        };
        let answer = self.send(http, Method::GET, path, headers(session)).await?;
        if answer.status != 401 {
            return Ok(answer);
        }
        *session = self.session(http).await?;
        self.send(http, Method::GET, path, headers(session)).await
    }

    /// One request, tried `attempts` times while it gets no answer or a 5xx. No answer at all is
    /// "not on EC2".
    async fn send(
        &self,
        http: &HttpClient,
        method: Method,
        path: &str,
        headers: HeaderMap,
    ) -> Result<HttpResponse, CredentialsError> {
        let request = HttpRequest {
            operation: "InstanceMetadata",
            method,
            uri: format!("{}{path}", self.endpoint),
            headers,
            body: Default::default(),
            body_stream: None,
            stream_checksum: None,
            upload_hashes: false,
        };
        let mut attempt = 1;
        loop {
            let outcome = http.send(request.clone(), Some(self.timeout)).await?;
            match outcome {
                Ok(answer) if answer.status < 500 || attempt >= self.attempts => return Ok(answer),
                Err(error) if attempt >= self.attempts => {
                    return Err(CredentialsError::not_loaded(format!(
                        "no answer from {} within {} ({} attempt{}): {error}",
                        self.endpoint,
                        seconds(self.timeout),
                        self.attempts,
                        if self.attempts == 1 { "" } else { "s" }
                    )));
                }
                _ => attempt += 1,
            }
        }
    }

    /// The body of a 200 answer, else an error saying what was asked.
    fn success(&self, answer: HttpResponse, what: &str) -> Result<bytes::Bytes, CredentialsError> {
        match answer.status {
            200 => Ok(answer.body),
            status => Err(CredentialsError::new(format!(
                "{} answered HTTP {status} when asked for {what}",
                self.endpoint
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_environment_and_are_checked() {
        let env = Env::from_vars([
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "0.5"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"),
        ]);
        let imds = Imds::from_settings(&env, None).unwrap();
        assert_eq!(imds.endpoint, "http://[fd00:ec2::254]");
        assert_eq!(imds.timeout, Duration::from_millis(500));
        assert_eq!(imds.attempts, 3);
        let bad = Env::from_vars([("AWS_METADATA_SERVICE_TIMEOUT", "soon")]);
        let error = Imds::from_settings(&bad, None).unwrap_err();
        assert_eq!(
            error.message(),
            "AWS_METADATA_SERVICE_TIMEOUT is \"soon\", not a positive number"
        );
    }
}
