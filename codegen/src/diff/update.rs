//! The pieces of `codegen update` that are not file moves: the crate version in the generated
//! manifest, the bump a report implies, and the CHANGELOG entry.

use std::fmt::Write as _;

use super::page::ChangePage;
use super::render::change_page_summary;
use super::{Report, Semver};

/// The `version` of the `[package]` table of a generated `Cargo.toml`.
pub fn crate_version(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(rest) = line.strip_prefix("version") {
            let value = rest.trim_start().strip_prefix('=')?.trim();
            return Some(value.strip_prefix('"')?.strip_suffix('"')?.to_owned());
        }
    }
    None
}

/// Bumps `major.minor.patch` by `semver`, the Cargo way: below 1.0 a breaking change bumps the
/// minor number and anything else the patch number.
pub fn bump(version: &str, semver: Semver) -> Result<String, String> {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let numbers: Vec<u64> = core
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{version}` is not a semver version"))?;
    let [major, minor, patch] = numbers[..] else {
        return Err(format!("`{version}` is not a semver version"));
    };
    Ok(match (major, semver) {
        (0, Semver::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Semver::Major) => format!("{}.0.0", major + 1),
        (_, Semver::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Semver::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// The CHANGELOG entry for a regenerated crate: the change page's summary, and what the report
/// adds to it.
pub fn changelog_entry(
    crate_name: &str,
    version: &str,
    semver: Semver,
    model: &str,
    report: &Report,
    page: &ChangePage,
) -> String {
    let mut entry = format!("## {crate_name} {version}\n\n");
    let _ = writeln!(
        entry,
        "Regenerated from {model} ({} {}). Implied bump: **{semver}**.\n",
        report.new.service, report.new.api_version
    );
    entry.push_str(&change_page_summary(page, report));
    entry
}

/// `existing` with `entry` added as the newest entry, under a `# Changelog` title.
pub fn add_entry(existing: Option<&str>, entry: &str) -> String {
    const TITLE: &str = "# Changelog\n";
    let body = existing
        .map(|text| text.strip_prefix(TITLE).unwrap_or(text).trim_start())
        .unwrap_or("");
    let mut text = format!("{TITLE}\n{}", entry.trim_end());
    if !body.is_empty() {
        text.push_str("\n\n");
        text.push_str(body.trim_end());
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_like_cargo() {
        assert_eq!(bump("0.1.0", Semver::Major).unwrap(), "0.2.0");
        assert_eq!(bump("0.1.0", Semver::Minor).unwrap(), "0.1.1");
        assert_eq!(bump("0.1.3", Semver::Patch).unwrap(), "0.1.4");
        assert_eq!(bump("1.2.3", Semver::Major).unwrap(), "2.0.0");
        assert_eq!(bump("1.2.3", Semver::Minor).unwrap(), "1.3.0");
        assert_eq!(bump("1.2.3", Semver::Patch).unwrap(), "1.2.4");
        assert!(bump("1.2", Semver::Patch).is_err());
    }

    #[test]
    fn reads_the_package_version() {
        let manifest = "# header\n[package]\nname = \"connect\"\nversion = \"0.3.1\"\n\n\
                        [dependencies]\nversion = \"9\"\n";
        assert_eq!(crate_version(manifest).as_deref(), Some("0.3.1"));
        assert_eq!(crate_version("[dependencies]\nversion = \"1\"\n"), None);
    }

    #[test]
    fn newest_entry_first() {
        let once = add_entry(None, "## c 0.1.1\n\nfirst\n");
        let twice = add_entry(Some(&once), "## c 0.2.0\n\nsecond\n");
        assert_eq!(
            twice,
            "# Changelog\n\n## c 0.2.0\n\nsecond\n\n## c 0.1.1\n\nfirst\n"
        );
    }
}
