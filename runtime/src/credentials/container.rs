//! Container credentials: an ECS task role (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, read from
//! `http://169.254.170.2`) or a full URI (`AWS_CONTAINER_CREDENTIALS_FULL_URI`: EKS Pod
//! Identity, Greengrass, local agents), with the authorization token of
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch: it rotates) or
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
//!
//! As in botocore, a plain-HTTP full URI must name a loopback address or one of the container
//! agents' addresses, so that the token is never sent across a network in clear; time-out 2 s,
//! 3 attempts a second apart.

use std::net::IpAddr;
use std::time::Duration;

use super::env::Env;
use super::{Credentials, HttpClient, credentials_from_json, seconds};
use crate::error::CredentialsError;
use crate::http::{HeaderMap, HeaderValue, HttpRequest, Method};

const ECS_HOST: &str = "http://169.254.170.2";
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;
const PAUSE: Duration = Duration::from_secs(1);

/// Fetches the container's credentials, or says why there are none to fetch.
pub(crate) async fn credentials(
    env: &Env,
    http: &HttpClient,
) -> Result<Credentials, CredentialsError> {
    let uri = if let Some(relative) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        format!("{ECS_HOST}{relative}")
    } else if let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        check_full_uri(&full)?;
        full
    } else {
        return Err(CredentialsError::not_loaded(
            "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
        ));
    };
    let mut headers = HeaderMap::new();
    if let Some(token) = authorization_token(env)? {
        headers.insert("authorization", token);
    }
    let request = HttpRequest {
        operation: "ContainerCredentials",
        method: Method::GET,
        uri,
        headers,
        body: Default::default(),
        body_stream: None,
        stream_checksum: None,
        upload_hashes: false,
    };
    let mut attempt = 1;
    loop {
        let failure = match http.send(request.clone(), Some(TIMEOUT)).await? {
            Ok(answer) if answer.status == 200 => {
                return credentials_from_json(&answer.body, "the container credentials");
            }
            Ok(answer) => {
                let failure = format!("the container endpoint answered HTTP {}", answer.status);
                if answer.status < 500 {
                    return Err(CredentialsError::new(failure));
                }
                failure
            }
            Err(error) => format!(
                "no answer from the container endpoint within {}: {error}",
                seconds(TIMEOUT)
            ),
        };
        if attempt >= ATTEMPTS {
            return Err(CredentialsError::new(format!(
                "{failure} ({ATTEMPTS} attempts)"
            )));
        }
        tracing::debug!(attempt, "container credentials: trying again");
        tokio::time::sleep(PAUSE).await;
        attempt += 1;
    }
}

/// The `Authorization` value: the token file's content, else the token variable's.
fn authorization_token(env: &Env) -> Result<Option<HeaderValue>, CredentialsError> {
    let (token, origin) = match env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some(path) => {
            let token = std::fs::read_to_string(&path).map_err(|error| {
                CredentialsError::new(format!(
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {error}"
                ))
            })?;
            (token, "the file of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        }
        None => match env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            Some(token) => (token, "AWS_CONTAINER_AUTHORIZATION_TOKEN"),
            None => return Ok(None),
        },
    };
    let token = token.trim();
    if token.contains(['\r', '\n']) {
        return Err(CredentialsError::new(format!(
            "the authorization token in {origin} has a line break"
        )));
    }
    let mut value = HeaderValue::from_str(token).map_err(|_| {
        CredentialsError::new(format!(
            "the authorization token in {origin} is not a valid header value"
        ))
    })?;
    value.set_sensitive(true);
    Ok(Some(value))
}

/// A full URI must be HTTPS, or HTTP to a loopback address or a container agent.
fn check_full_uri(uri: &str) -> Result<(), CredentialsError> {
    let invalid =
        |why: &str| CredentialsError::new(format!("AWS_CONTAINER_CREDENTIALS_FULL_URI {why}"));
    let parsed: ::http::Uri = uri.parse().map_err(|_| invalid("is not a URI"))?;
    let host = parsed.host().ok_or_else(|| invalid("has no host"))?;
    match parsed.scheme_str() {
        Some("https") => Ok(()),
        Some("http") => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let allowed = bare == "localhost"
                || ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(&bare)
                || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if allowed {
                Ok(())
            } else {
                Err(invalid(&format!(
                    "names host {host}: plain HTTP is allowed only to loopback addresses, 169.254.170.2, 169.254.170.23 and fd00:ec2::23"
                )))
            }
        }
        _ => Err(invalid("is neither http nor https")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_full_uris_must_stay_on_the_host() {
        for allowed in [
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/x",
            "http://localhost/x",
            "http://[::1]:80/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://example.com/creds",
        ] {
            assert!(check_full_uri(allowed).is_ok(), "{allowed}");
        }
        for refused in [
            "http://10.0.0.1/x",
            "http://example.com/x",
            "ftp://127.0.0.1/x",
        ] {
            assert!(check_full_uri(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_token_with_a_line_break_is_refused_without_quoting_it() {
        let env = Env::from_vars([("AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nInjected: x")]);
        let error = authorization_token(&env).unwrap_err();
        assert!(error.message().contains("line break"));
        assert!(!error.message().contains("Injected"));
    }
}
