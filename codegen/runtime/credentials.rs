//! Credentials and region from where the AWS CLI looks: the `AWS_*` environment variables, then
//! the profile in the shared `credentials` and `config` files.
//!
//! The reader understands what those files hold for static credentials: `[profile]` sections
//! (`[profile name]` in `config`), `key = value` lines, `#` and `;` comments. Role assumption,
//! SSO and credential processes are not supported; pass [`Credentials`] explicitly for those.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use super::error::CredentialsError;

/// An access key, its secret and an optional session token.
///
/// `Debug` shows the access key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: String,
    pub(crate) session_token: Option<String>,
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &super::Redacted)
            .field("session_token", &super::redact(&self.session_token))
            .finish()
    }
}

/// What the environment and the shared files say, for one profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct Environment {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
}

/// Reads the environment and the shared files. `profile` overrides `AWS_PROFILE`; as in the AWS
/// CLI, an explicit profile wins over credentials in the environment.
pub(crate) fn load(
    profile: Option<&str>,
    service_id: &str,
) -> Result<Environment, CredentialsError> {
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let explicit_profile = profile.is_some();
    let profile_name = profile
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
    let credentials_file =
        read_sections(file("AWS_SHARED_CREDENTIALS_FILE", "credentials"), false)?;
    let config_file = read_sections(file("AWS_CONFIG_FILE", "config"), true)?;
    let empty = HashMap::new();
    let from_credentials = credentials_file.get(&profile_name).unwrap_or(&empty);
    let from_config = config_file.get(&profile_name).unwrap_or(&empty);
    let setting = |key: &str| {
        from_credentials
            .get(key)
            .or_else(|| from_config.get(key))
            .cloned()
    };
    let from_files = match (
        setting("aws_access_key_id"),
        setting("aws_secret_access_key"),
    ) {
        (Some(id), Some(secret)) => {
            Some(Credentials::new(id, secret, setting("aws_session_token")))
        }
        _ => None,
    };
    let from_env = match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Some(Credentials::new(id, secret, var("AWS_SESSION_TOKEN"))),
        _ => None,
    };
    if explicit_profile
        && !credentials_file.contains_key(&profile_name)
        && !config_file.contains_key(&profile_name)
    {
        return Err(CredentialsError::new(format!(
            "the config profile ({profile_name}) could not be found"
        )));
    }
    let credentials = if explicit_profile {
        from_files.or(from_env)
    } else {
        from_env.or(from_files)
    };
    let service_variable = format!(
        "AWS_ENDPOINT_URL_{}",
        service_id.to_ascii_uppercase().replace([' ', '-'], "_")
    );
    Ok(Environment {
        credentials,
        region: var("AWS_REGION")
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .or_else(|| setting("region")),
        endpoint_url: var(&service_variable)
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .or_else(|| setting("endpoint_url")),
    })
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

    #[test]
    fn config_profiles_need_the_profile_prefix() {
        let text = "[default]\nregion = eu-west-1\n[profile dev]\naws_access_key_id = A\n# note\n[sso-session x]\nregion = no\n";
        let sections = parse_sections(text, true);
        assert_eq!(sections["default"]["region"], "eu-west-1");
        assert_eq!(sections["dev"]["aws_access_key_id"], "A");
        assert!(!sections.contains_key("sso-session x"));
    }
}
