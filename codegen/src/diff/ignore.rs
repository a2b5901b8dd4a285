//! Ignore files: silence known changes by rule and location, or by fingerprint.
//!
//! One entry a line; `#` starts a comment:
//!
//! ```text
//! # rule id (or *)     location pattern (* matches any run of characters)
//! enum-value-added     shapes.EvaluationFormLanguageCode.enum.*
//! documentation-changed *
//! # or a fingerprint from the JSON report
//! 5b3c2a1f0e9d8c7b
//! ```

use std::fmt;

use super::{Change, Rule};

/// A parsed ignore file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreList {
    entries: Vec<IgnoreEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum IgnoreEntry {
    /// A rule (`None` for `*`) and a location pattern.
    Pattern {
        rule: Option<Rule>,
        location: String,
    },
    Fingerprint(String),
}

/// A line of an ignore file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct IgnoreError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for IgnoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl IgnoreList {
    /// Parses an ignore file; every bad line is an error naming it.
    pub fn parse(text: &str) -> Result<IgnoreList, IgnoreError> {
        let mut entries = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let error = |message: String| IgnoreError {
                line: index + 1,
                message,
            };
            let words: Vec<&str> = line.split_whitespace().collect();
            let entry = match words[..] {
                [word] if word.len() == 16 && word.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    IgnoreEntry::Fingerprint(word.to_ascii_lowercase())
                }
                [rule, location] => IgnoreEntry::Pattern {
                    rule: match rule {
                        "*" => None,
                        id => Some(
                            Rule::from_id(id)
                                .ok_or_else(|| error(format!("unknown rule `{id}`")))?,
                        ),
                    },
                    location: location.to_owned(),
                },
                _ => {
                    return Err(error(format!(
                        "expected `RULE LOCATION` or a 16-digit fingerprint, found `{line}`"
                    )));
                }
            };
            entries.push(entry);
        }
        Ok(IgnoreList { entries })
    }

    /// Whether some entry silences the change.
    pub fn matches(&self, change: &Change) -> bool {
        self.entries.iter().any(|entry| match entry {
            IgnoreEntry::Fingerprint(fingerprint) => *fingerprint == change.fingerprint(),
            IgnoreEntry::Pattern { rule, location } => {
                rule.is_none_or(|rule| rule == change.rule) && glob(location, &change.location)
            }
        })
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*", "shapes.A"));
        assert!(glob("shapes.A.enum.*", "shapes.A.enum.X"));
        assert!(!glob("shapes.A.enum.*", "shapes.B.enum.X"));
        assert!(glob("shapes.*.members.Id", "shapes.Contact.members.Id"));
        assert!(!glob("shapes.*.members.Id", "shapes.Contact.members.IdX"));
        assert!(glob("shapes.A", "shapes.A"));
        assert!(!glob("shapes.A", "shapes.AB"));
        assert!(!glob("a*ab", "ab"));
    }

    #[test]
    fn bad_lines_are_named() {
        let error = IgnoreList::parse("# ok\nmember-added *\nno-such-rule *\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.message.contains("no-such-rule"));
        assert!(IgnoreList::parse("a b c").is_err());
    }
}
