//! The environment variables credentials and region are read from: the process's, or a fixed
//! set (tests, or a program that resolves credentials for someone else's environment).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where `AWS_*` variables (and `HOME`) are read from.
///
/// `Debug` lists the names of a fixed set, never the values: they hold secrets.
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<BTreeMap<String, String>>>,
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env(process)"),
            Some(vars) => f.debug_tuple("Env").field(&vars.keys()).finish(),
        }
    }
}

impl Env {
    /// The process's environment, read each time a variable is needed.
    pub fn process() -> Self {
        Env { fixed: None }
    }

    /// Exactly these variables, and no others.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let vars = vars
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        Env {
            fixed: Some(Arc::new(vars)),
        }
    }

    /// The variable's value, if it is set and not empty.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            None => std::env::var(name).ok(),
            Some(vars) => vars.get(name).cloned(),
        };
        value.filter(|value| !value.is_empty())
    }

    /// The home directory: `HOME`, else `USERPROFILE`.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// A path from `variable` (a leading `~` is the home directory), else `~/.aws/<name>`.
    pub(crate) fn aws_file(&self, variable: &str, name: &str) -> Option<PathBuf> {
        match self.get(variable) {
            Some(path) => Some(self.expand_home(&path)),
            None => self.home().map(|home| home.join(".aws").join(name)),
        }
    }

    /// `path` with a leading `~` replaced by the home directory.
    pub(crate) fn expand_home(&self, path: &str) -> PathBuf {
        match (path.strip_prefix('~'), self.home()) {
            (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
                home.join(rest.trim_start_matches(['/', '\\']))
            }
            _ => PathBuf::from(path),
        }
    }
}

/// `true`/`false` as the SDKs read boolean settings (case-insensitive); `None` for anything else.
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_env_shows_names_only_and_skips_empty_values() {
        let env = Env::from_vars([
            ("AWS_SECRET_ACCESS_KEY", "hidden-value"),
            ("AWS_REGION", ""),
            ("HOME", "/home/u"),
        ]);
        assert!(!format!("{env:?}").contains("hidden-value"));
        assert_eq!(env.get("AWS_REGION"), None);
        assert_eq!(
            env.aws_file("AWS_CONFIG_FILE", "config"),
            Some(PathBuf::from("/home/u/.aws/config"))
        );
        assert_eq!(env.expand_home("~/x"), PathBuf::from("/home/u/x"));
        assert_eq!(env.expand_home("~user/x"), PathBuf::from("~user/x"));
    }
}
