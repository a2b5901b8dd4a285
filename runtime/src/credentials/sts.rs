//! The two STS calls credential sources make, hand-written so that the runtime needs no
//! generated STS crate (which would depend on the runtime: a cycle): `AssumeRole`, signed with
//! the source credentials, and `AssumeRoleWithWebIdentity`, unsigned (the token is the proof).
//! Both are `awsQuery` form POSTs; the XML answer is read with quick-xml, which expands no
//! entity declarations (a document type declaration is refused).

use std::time::{Duration, SystemTime};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use quick_xml::events::Event;

use super::env::Env;
use super::profile::SharedConfig;
use super::{Credentials, HttpClient, parse_expiry};
use crate::error::CredentialsError;
use crate::http::{HeaderMap, HeaderValue, HttpRequest, Method};

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Attempts per call: transport failures, 5xx answers and throttling are tried again.
const ATTEMPTS: u32 = 3;

/// Where STS calls go and the region they are signed for.
#[derive(Debug, Clone)]
pub(crate) struct Sts {
    url: String,
    signing_region: String,
}

/// What `AssumeRole` asks for.
#[derive(Debug, Clone)]
pub(crate) struct RoleRequest {
    pub(crate) role_arn: String,
    pub(crate) session_name: String,
    pub(crate) external_id: Option<String>,
    pub(crate) duration_seconds: Option<u32>,
}

impl Sts {
    /// The endpoint configured for `STS` (`AWS_ENDPOINT_URL_STS`, the profile's `services`,
    /// `AWS_ENDPOINT_URL`, `endpoint_url`), else the region's (`https://sts.<region>.<suffix>`, the
    /// domain of the region's partition, as botocore's regional default), else the global one,
    /// signed for `us-east-1`.
    pub(crate) fn new(
        env: &Env,
        shared: &SharedConfig,
        profile: &str,
        region: Option<&str>,
    ) -> Sts {
        let signing_region = region.unwrap_or("us-east-1").to_owned();
        let url = match (shared.configured_endpoint(env, profile, "STS"), region) {
            (Some(url), _) => url.trim_end_matches('/').to_owned(),
            (None, Some(region)) => format!(
                "https://sts.{region}.{}",
                crate::endpoint_rules::dns_suffix(region)
            ),
            (None, None) => "https://sts.amazonaws.com".to_owned(),
        };
        Sts {
            url,
            signing_region,
        }
    }

    /// `AssumeRole`, signed with `source`.
    pub(crate) async fn assume_role(
        &self,
        http: &HttpClient,
        source: &Credentials,
        role: &RoleRequest,
    ) -> Result<Credentials, CredentialsError> {
        let duration = role.duration_seconds.map(|seconds| seconds.to_string());
        let mut params = vec![
            ("RoleArn", role.role_arn.as_str()),
            ("RoleSessionName", role.session_name.as_str()),
        ];
        if let Some(external_id) = &role.external_id {
            params.push(("ExternalId", external_id));
        }
        if let Some(duration) = &duration {
            params.push(("DurationSeconds", duration));
        }
        self.call(http, "AssumeRole", &params, Some(source))
            .await
            .map_err(|error| error.context(format_args!("assuming role {}", role.role_arn)))
    }

    /// `AssumeRoleWithWebIdentity`, unsigned.
    pub(crate) async fn assume_role_with_web_identity(
        &self,
        http: &HttpClient,
        role_arn: &str,
        session_name: &str,
        token: &str,
    ) -> Result<Credentials, CredentialsError> {
        let params = [
            ("RoleArn", role_arn),
            ("RoleSessionName", session_name),
            ("WebIdentityToken", token),
        ];
        self.call(http, "AssumeRoleWithWebIdentity", &params, None)
            .await
            .map_err(|error| {
                error.context(format_args!("assuming role {role_arn} with a web identity"))
            })
    }

    async fn call(
        &self,
        http: &HttpClient,
        action: &'static str,
        params: &[(&str, &str)],
        signer: Option<&Credentials>,
    ) -> Result<Credentials, CredentialsError> {
        let mut body = format!("Action={action}&Version=2011-06-15");
        for (name, value) in params {
            body.push_str(&format!(
                "&{name}={}",
                utf8_percent_encode(value, FORM_VALUE)
            ));
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
        );
        let request = HttpRequest {
            operation: action,
            method: Method::POST,
            uri: format!("{}/", self.url),
            headers,
            body: body.into(),
            body_stream: None,
            stream_checksum: None,
            upload_hashes: false,
        };
        let mut attempt = 1;
        loop {
            let mut signed = request.clone();
            if let Some(credentials) = signer {
                crate::sign::sign_request(
                    &mut signed,
                    credentials,
                    &self.signing_region,
                    "sts",
                    crate::sign::SigningOptions::default(),
                    SystemTime::now(),
                )?;
            }
            tracing::debug!(action, attempt, endpoint = %self.url, "calling STS");
            let outcome = http.send(signed, None).await?;
            let retry = match &outcome {
                Ok(response) if response.status < 300 => {
                    return parse_credentials(&response.body, action);
                }
                Ok(response) => {
                    let (code, _) = parse_error(&response.body);
                    response.status >= 500 || code.contains("Throttl")
                }
                Err(_) => true,
            };
            if !retry || attempt >= ATTEMPTS {
                return Err(match outcome {
                    Ok(response) => {
                        let (code, message) = parse_error(&response.body);
                        CredentialsError::new(format!(
                            "STS {action} answered HTTP {} {code}: {message}",
                            response.status
                        ))
                    }
                    Err(error) => {
                        CredentialsError::new(format!("STS {action} at {}: {error}", self.url))
                    }
                });
            }
            tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
            attempt += 1;
        }
    }
}

/// The leaf elements of an STS answer, each with its parent's name.
fn leaves(body: &[u8]) -> Result<Vec<(String, String, String)>, String> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut leaves = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                path.push(start.local_name().into_inner().to_owned());
                text.clear();
            }
            Ok(Event::Text(chunk)) => {
                text.push_str(&chunk.xml10_content());
            }
            Ok(Event::CData(chunk)) => {
                text.push_str(&chunk.xml10_content());
            }
            Ok(Event::GeneralRef(reference)) => {
                if let Some(character) = reference
                    .resolve_char_ref()
                    .map_err(|error| error.to_string())?
                {
                    text.push(character);
                } else {
                    let name: &str = &reference;
                    let resolved = quick_xml::escape::resolve_predefined_entity(name)
                        .ok_or_else(|| format!("an unknown entity &{name};"))?;
                    text.push_str(resolved);
                }
            }
            Ok(Event::End(_)) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().cloned().unwrap_or_default();
                leaves.push((parent, name, std::mem::take(&mut text)));
            }
            Ok(Event::DocType(_)) => {
                return Err("a document type declaration, which is not accepted".to_owned());
            }
            Ok(Event::Eof) => return Ok(leaves),
            Ok(_) => {}
            Err(error) => return Err(error.to_string()),
        }
    }
}

/// The `Credentials` of a successful answer.
fn parse_credentials(body: &[u8], action: &str) -> Result<Credentials, CredentialsError> {
    let leaves = leaves(body).map_err(|error| {
        CredentialsError::new(format!("the STS {action} answer is not XML: {error}"))
    })?;
    let field = |name: &str| {
        leaves
            .iter()
            .find(|(parent, leaf, _)| parent == "Credentials" && leaf == name)
            .map(|(_, _, value)| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .ok_or_else(|| {
                CredentialsError::new(format!("the STS {action} answer has no Credentials/{name}"))
            })
    };
    let expiry = parse_expiry(
        &field("Expiration")?,
        &format!("the Expiration of the STS {action} answer"),
    )?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("SessionToken")?),
    )
    .with_expiry(expiry))
}

/// The `Code` and `Message` of an error answer (placeholders when it has none).
fn parse_error(body: &[u8]) -> (String, String) {
    let leaves = leaves(body).unwrap_or_default();
    let field = |name: &str| {
        leaves
            .iter()
            .find(|(parent, leaf, _)| parent == "Error" && leaf == name)
            .map(|(_, _, value)| value.trim().to_owned())
    };
    (
        field("Code").unwrap_or_else(|| "(no code)".to_owned()),
        field("Message").unwrap_or_else(|| "(no message)".to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn><AssumedRoleId>X:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>se&#x2F;cret&amp;1</SecretAccessKey>
      <SessionToken><![CDATA[tok]]>en</SessionToken>
      <Expiration>2030-01-02T03:04:05Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;

    #[test]
    fn credentials_are_read_with_their_escapes() {
        let credentials = parse_credentials(ANSWER.as_bytes(), "AssumeRole").unwrap();
        assert_eq!(credentials.access_key_id(), "ASIAEXAMPLE");
        assert_eq!(credentials.secret_access_key(), "se/cret&1");
        assert_eq!(credentials.session_token(), Some("token"));
        let expected = crate::time::parse_iso8601("2030-01-02T03:04:05Z").unwrap();
        assert_eq!(credentials.expiry(), Some(SystemTime::from(expected)));
    }

    #[test]
    fn entity_declarations_are_refused() {
        let body = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><AssumeRoleResponse><Credentials><AccessKeyId>&a;</AccessKeyId></Credentials></AssumeRoleResponse>"#;
        let error = parse_credentials(body.as_bytes(), "AssumeRole").unwrap_err();
        assert!(error.message().contains("document type"), "{error}");
        let body = "<R><Credentials><AccessKeyId>&a;</AccessKeyId></Credentials></R>";
        let error = parse_credentials(body.as_bytes(), "AssumeRole").unwrap_err();
        assert!(error.message().contains("unknown entity &a;"), "{error}");
    }

    #[test]
    fn error_answers_give_code_and_message() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>1</RequestId></ErrorResponse>";
        assert_eq!(
            parse_error(body.as_bytes()),
            ("AccessDenied".to_owned(), "not allowed".to_owned())
        );
        let missing = "<R><Credentials><AccessKeyId>A</AccessKeyId></Credentials></R>";
        let error = parse_credentials(missing.as_bytes(), "AssumeRole").unwrap_err();
        assert!(
            error.message().contains("Credentials/Expiration"),
            "{error}"
        );
    }

    #[test]
    fn endpoints_follow_the_region_unless_configured() {
        let shared = SharedConfig::default();
        let plain = Env::from_vars([("HOME", "/nonexistent")]);
        assert_eq!(
            Sts::new(&plain, &shared, "default", Some("eu-west-1")).url,
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            Sts::new(&plain, &shared, "default", None).url,
            "https://sts.amazonaws.com"
        );
        let configured = Env::from_vars([("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/")]);
        let sts = Sts::new(&configured, &shared, "default", Some("eu-west-1"));
        assert_eq!(sts.url, "http://127.0.0.1:9");
        assert_eq!(sts.signing_region, "eu-west-1");
    }
}
