//! The shared `config` and `credentials` files, read as botocore's `configloader` reads them:
//! `[section]` headers, `key = value` (or `key: value`) settings, `#` and `;` comment lines,
//! indented lines that continue a value or, under a setting with an empty value, nest
//! `key = value` pairs (`s3 =` then `  endpoint_url = ...`). In `config`, profiles are
//! `[default]` and `[profile name]`; `[sso-session name]` and `[services name]` are sections of
//! their own. In `credentials`, every section is a profile. A profile's settings in
//! `credentials` win over the same settings in `config`.
//!
//! A line that is none of these is an error naming the file and the line, never echoing the
//! line: it may hold a secret.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::env::Env;
use crate::error::CredentialsError;

/// One setting: its value, the nested pairs under it (when its value is empty), and its line.
#[derive(Clone, Default)]
pub(crate) struct Setting {
    pub(crate) value: String,
    pub(crate) nested: BTreeMap<String, String>,
    pub(crate) line: usize,
}

/// The settings of one section, keys lower-cased.
#[derive(Clone, Default)]
pub(crate) struct Section {
    pub(crate) settings: BTreeMap<String, Setting>,
}

impl Section {
    /// A setting's value, if set and not empty.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.settings
            .get(key)
            .map(|setting| setting.value.as_str())
            .filter(|value| !value.is_empty())
    }

    /// The pairs nested under `key` (`s3 =` followed by indented lines).
    pub(crate) fn nested(&self, key: &str) -> Option<&BTreeMap<String, String>> {
        self.settings
            .get(key)
            .map(|setting| &setting.nested)
            .filter(|nested| !nested.is_empty())
    }

    fn merge(&mut self, other: Section) {
        self.settings.extend(other.settings);
    }
}

/// A profile as both files give it.
#[derive(Clone, Default)]
pub(crate) struct Profile {
    /// From the `credentials` file.
    pub(crate) credentials: Section,
    /// From the `config` file.
    pub(crate) config: Section,
}

impl Profile {
    /// A setting: the `credentials` file's, else the `config` file's.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.credentials.get(key).or_else(|| self.config.get(key))
    }
}

/// Both shared files, parsed.
#[derive(Clone, Default)]
pub(crate) struct SharedConfig {
    pub(crate) config_file: Option<PathBuf>,
    pub(crate) credentials_file: Option<PathBuf>,
    pub(crate) profiles: BTreeMap<String, Profile>,
    pub(crate) sso_sessions: BTreeMap<String, Section>,
    pub(crate) services: BTreeMap<String, Section>,
}

impl SharedConfig {
    /// Reads `AWS_CONFIG_FILE` (else `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (else
    /// `~/.aws/credentials`). A missing file has no sections; an unreadable or malformed one is
    /// an error naming it.
    pub(crate) fn load(env: &Env) -> Result<SharedConfig, CredentialsError> {
        let config_file = env.aws_file("AWS_CONFIG_FILE", "config");
        let credentials_file = env.aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
        let mut shared = SharedConfig {
            config_file: config_file.clone(),
            credentials_file: credentials_file.clone(),
            ..SharedConfig::default()
        };
        if let Some(path) = &config_file {
            for (header, section) in read_file(path)? {
                shared.add_config_section(&header, section);
            }
        }
        if let Some(path) = &credentials_file {
            for (header, section) in read_file(path)? {
                shared
                    .profiles
                    .entry(header)
                    .or_default()
                    .credentials
                    .merge(section);
            }
        }
        Ok(shared)
    }

    fn add_config_section(&mut self, header: &str, section: Section) {
        let named = |prefix: &str| {
            let rest = header.strip_prefix(prefix)?;
            rest.starts_with([' ', '\t'])
                .then(|| rest.trim().to_owned())
                .filter(|name| !name.is_empty())
        };
        if header == "default" {
            self.profiles
                .entry("default".to_owned())
                .or_default()
                .config
                .merge(section);
        } else if let Some(name) = named("profile") {
            self.profiles.entry(name).or_default().config.merge(section);
        } else if let Some(name) = named("sso-session") {
            self.sso_sessions.entry(name).or_default().merge(section);
        } else if let Some(name) = named("services") {
            self.services.entry(name).or_default().merge(section);
        }
        // Other sections (`[plugins]`, `[preview]`) belong to the AWS CLI, not to profiles.
    }

    /// The profile named `name`, or an error naming it and the files looked in.
    pub(crate) fn profile(&self, name: &str) -> Result<&Profile, CredentialsError> {
        self.profiles.get(name).ok_or_else(|| {
            CredentialsError::new(format!(
                "the config profile ({name}) could not be found in {}",
                self.files_looked_in()
            ))
        })
    }

    /// `~/.aws/config and ~/.aws/credentials`, as they are set.
    pub(crate) fn files_looked_in(&self) -> String {
        let shown = |path: &Option<PathBuf>| {
            path.as_ref()
                .map_or("(no home directory)".to_owned(), |path| {
                    path.display().to_string()
                })
        };
        format!(
            "{} and {}",
            shown(&self.config_file),
            shown(&self.credentials_file)
        )
    }

    /// The endpoint configured for `service_id` (`STS`, `SSO OIDC`, a model's `serviceId`):
    /// `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services` section, `AWS_ENDPOINT_URL`, then
    /// the profile's `endpoint_url`; none when `ignore_configured_endpoint_urls` is set.
    pub(crate) fn configured_endpoint(
        &self,
        env: &Env,
        profile: &str,
        service_id: &str,
    ) -> Option<String> {
        let profile = self.profiles.get(profile);
        let setting = |key: &str| profile.and_then(|profile| profile.get(key));
        let ignored = env
            .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .or_else(|| setting("ignore_configured_endpoint_urls").map(str::to_owned))
            .and_then(|value| super::env::parse_bool(&value))
            .unwrap_or(false);
        if ignored {
            return None;
        }
        let variable = service_id.to_ascii_uppercase().replace([' ', '-'], "_");
        let key = variable.to_ascii_lowercase();
        let from_services = || {
            let section = self.services.get(setting("services")?)?;
            section.nested(&key)?.get("endpoint_url").cloned()
        };
        env.get(&format!("AWS_ENDPOINT_URL_{variable}"))
            .or_else(from_services)
            .or_else(|| env.get("AWS_ENDPOINT_URL"))
            .or_else(|| setting("endpoint_url").map(str::to_owned))
            .filter(|url| !url.is_empty())
    }

    /// The `config` file's path, for messages.
    pub(crate) fn config_file_name(&self) -> String {
        self.config_file
            .as_ref()
            .map_or("the config file".to_owned(), |path| {
                path.display().to_string()
            })
    }

    /// The `credentials` file's path, for messages.
    pub(crate) fn credentials_file_name(&self) -> String {
        self.credentials_file
            .as_ref()
            .map_or("the credentials file".to_owned(), |path| {
                path.display().to_string()
            })
    }
}

/// The profile selected: `explicit` (a `--profile`, `Config::from_profile`), else
/// `AWS_PROFILE`, else `default`. A profile named either way must exist; `default` may not.
pub(crate) fn selected_profile(
    shared: &SharedConfig,
    env: &Env,
    explicit: Option<&str>,
) -> Result<String, CredentialsError> {
    let name = explicit
        .map(str::to_owned)
        .or_else(|| env.get("AWS_PROFILE"))
        .unwrap_or_else(|| "default".to_owned());
    if name != "default" || explicit.is_some() {
        shared.profile(&name)?;
    }
    Ok(name)
}

fn read_file(path: &Path) -> Result<Vec<(String, Section)>, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(CredentialsError::new(format!(
            "cannot read {}: {error}",
            path.display()
        ))),
    }
}

/// The sections of one file, in order, by header text (`profile dev`). Headers that repeat are
/// merged, later settings winning.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Vec<(String, Section)>, CredentialsError> {
    let error = |line: usize, what: &str| {
        CredentialsError::new(format!("{} line {line}: {what}", path.display()))
    };
    let mut sections: Vec<(String, Section)> = Vec::new();
    // The setting the last line belongs to, for continuation lines.
    let mut last_key: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented
            && let (Some((_, section)), Some(key)) = (sections.last_mut(), &last_key)
            && let Some(setting) = section.settings.get_mut(key)
        {
            if setting.value.is_empty() {
                let (name, value) = split_setting(line).ok_or_else(|| {
                    error(
                        number,
                        &format!("a line nested under `{key}` must be `name = value`"),
                    )
                })?;
                setting.nested.insert(name, value);
            } else {
                setting.value.push('\n');
                setting.value.push_str(line);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(end) = rest.find(']') else {
                return Err(error(number, "a section header without its closing `]`"));
            };
            let trailing = rest[end + 1..].trim();
            if !trailing.is_empty() && !trailing.starts_with(['#', ';']) {
                return Err(error(number, "text after a section header's `]`"));
            }
            let header = rest[..end].trim();
            if header.is_empty() {
                return Err(error(number, "a section header with no name"));
            }
            // A repeated header reopens its section: later settings win.
            match sections.iter().position(|(name, _)| name == header) {
                Some(at) => {
                    let reopened = sections.remove(at);
                    sections.push(reopened);
                }
                None => sections.push((header.to_owned(), Section::default())),
            }
            last_key = None;
            continue;
        }
        let Some((key, value)) = split_setting(line) else {
            return Err(error(
                number,
                "expected a `[section]` header, a `name = value` setting or a comment",
            ));
        };
        let Some((_, section)) = sections.last_mut() else {
            return Err(error(number, "a setting before any `[section]` header"));
        };
        section.settings.insert(
            key.clone(),
            Setting {
                value,
                nested: BTreeMap::new(),
                line: number,
            },
        );
        last_key = Some(key);
    }
    Ok(sections)
}

/// `name = value` or `name: value` (the first delimiter counts), the name lower-cased; `None`
/// without a delimiter or a name.
fn split_setting(line: &str) -> Option<(String, String)> {
    let at = line.find(['=', ':'])?;
    let key = line[..at].trim();
    if key.is_empty() {
        return None;
    }
    Some((key.to_ascii_lowercase(), line[at + 1..].trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Vec<(String, Section)> {
        parse(text, Path::new("/cfg")).expect("parses")
    }

    #[test]
    fn sections_settings_comments_and_nesting() {
        let sections = parsed(
            "# top\n[default]\nregion = eu-west-1\n; note\nS3 =\n  endpoint_url = http://x\n  addressing_style: path\n[profile dev]\nrole_arn=arn:aws:iam::1:role/r\n",
        );
        let (name, default) = &sections[0];
        assert_eq!(name, "default");
        assert_eq!(default.get("region"), Some("eu-west-1"));
        assert_eq!(default.settings["region"].line, 3);
        let s3 = default.nested("s3").expect("nested");
        assert_eq!(s3["endpoint_url"], "http://x");
        assert_eq!(s3["addressing_style"], "path");
        assert_eq!(sections[1].0, "profile dev");
        assert_eq!(sections[1].1.get("role_arn"), Some("arn:aws:iam::1:role/r"));
    }

    #[test]
    fn a_continuation_line_extends_the_value() {
        let sections = parsed("[a]\nkey = one\n  two\n");
        assert_eq!(sections[0].1.get("key"), Some("one\ntwo"));
    }

    #[test]
    fn malformed_lines_name_file_and_line_without_echoing_them() {
        let cases = [
            (
                "[default]\nregion = x\naws_secret_access_key hunter2\n",
                "line 3",
            ),
            ("region = x\n", "line 1: a setting before any `[section]`"),
            (
                "[default\n",
                "line 1: a section header without its closing `]`",
            ),
            ("[]\n", "line 1: a section header with no name"),
            ("[a]\ns3 =\n  hunter2\n", "line 3: a line nested under `s3`"),
        ];
        for (text, expected) in cases {
            let error = parse(text, Path::new("/home/u/.aws/config"))
                .err()
                .expect("an error")
                .to_string();
            assert!(error.contains("/home/u/.aws/config"), "{error}");
            assert!(error.contains(expected), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
    }

    #[test]
    fn config_sections_are_sorted_into_profiles_sessions_and_services() {
        let mut shared = SharedConfig::default();
        let text = "[default]\nregion = a\n[profile dev]\nregion = b\n[sso-session corp]\nsso_region = c\n[services local]\nsts =\n  endpoint_url = http://d\n[plugins]\nx = y\n[profilex]\nregion = e\n";
        for (header, section) in parsed(text) {
            shared.add_config_section(&header, section);
        }
        assert_eq!(shared.profiles["default"].get("region"), Some("a"));
        assert_eq!(shared.profiles["dev"].get("region"), Some("b"));
        assert_eq!(shared.sso_sessions["corp"].get("sso_region"), Some("c"));
        assert_eq!(
            shared.services["local"].nested("sts").unwrap()["endpoint_url"],
            "http://d"
        );
        assert_eq!(shared.profiles.len(), 2);
    }

    #[test]
    fn a_missing_profile_is_named() {
        let shared = SharedConfig {
            config_file: Some(PathBuf::from("/c")),
            credentials_file: Some(PathBuf::from("/k")),
            ..SharedConfig::default()
        };
        let env = Env::from_vars([("AWS_PROFILE", "ghost")]);
        let error = selected_profile(&shared, &env, None).err().unwrap();
        assert_eq!(
            error.message(),
            "the config profile (ghost) could not be found in /c and /k"
        );
        assert_eq!(
            selected_profile(&shared, &Env::from_vars([("X", "")]), None).unwrap(),
            "default"
        );
        assert!(selected_profile(&shared, &env, Some("default")).is_err());
    }
}
