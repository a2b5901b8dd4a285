//! Model `pattern`s, from ECMA-262 (what Smithy specifies) to `fancy-regex` syntax.
//!
//! Patterns are not implicitly anchored, so they are searched, not matched whole. ECMA-262
//! differs from Rust's regex syntax in a few places this module translates: `\uXXXX` escapes,
//! and `\d`/`\w` that are ASCII-only in ECMA-262 but Unicode-aware in Rust. Models also carry a
//! few patterns that were escaped twice (`\\d` where `\d` was meant) or written as a JavaScript
//! literal (`/^...$/`); those are repaired, and every repair or failure is reported so that
//! nothing is silently enforced differently from the model.

use std::fmt;

/// A pattern ready for the generated code, or the reason it cannot be enforced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translation {
    /// Compiles as translated; `repair` says what was changed beyond syntax translation.
    Ready {
        regex: String,
        repair: Option<Repair>,
    },
    /// Does not compile even after repair: reported, documented, not enforced.
    Unusable { reason: String },
}

/// A change to a model's pattern beyond translating its syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repair {
    /// What was changed, and why.
    pub what: &'static str,
    /// The enforced pattern accepts values the model's text rejects: the check is weaker than
    /// the text, and is reported as weakened, never as merely repaired.
    pub weakens: bool,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.what)
    }
}

/// What `generate` reports about one pattern of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternNote {
    /// The first shape (by name) that uses the pattern.
    pub shape: String,
    pub pattern: String,
    pub note: String,
}

impl fmt::Display for PatternNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.shape, self.pattern, self.note)
    }
}

/// Translates and compiles a model pattern.
pub fn translate(pattern: &str) -> Translation {
    let (source, repair) = repair(pattern);
    let regex = translate_syntax(&source);
    match compile(&regex) {
        Ok(_) => Translation::Ready { regex, repair },
        Err(error) => Translation::Unusable {
            reason: error.to_string(),
        },
    }
}

/// Large Unicode classes under a counted repetition (`[\P{C}]{1,250}`) outgrow the regex
/// crate's default NFA limit. The generated runtime compiles with the same limit.
pub const SIZE_LIMIT: usize = 64 << 20;

fn compile(regex: &str) -> Result<fancy_regex::Regex, fancy_regex::Error> {
    fancy_regex::RegexBuilder::new(regex)
        .delegate_size_limit(SIZE_LIMIT)
        .build()
}

/// Undoes the two authoring mistakes seen in botocore models. Both make the enforced check
/// accept values the model's text rejects (the text demands characters no real value has), so
/// both weaken it.
fn repair(pattern: &str) -> (String, Option<Repair>) {
    if let Some(inner) = pattern
        .strip_prefix('/')
        .and_then(|rest| rest.strip_suffix('/'))
        .filter(|inner| !inner.is_empty())
    {
        return (
            inner.to_owned(),
            Some(Repair {
                what: "written as a /.../ literal, which as written demands slashes around \
                       every value; the slashes were dropped",
                weakens: true,
            }),
        );
    }
    // `\\` followed by a character that only makes sense escaped once: `\\d`, `\\p{L}`, `\\+`.
    let doubled = pattern.match_indices("\\\\").any(|(index, _)| {
        pattern[index + 2..]
            .chars()
            .next()
            .is_some_and(|next| "dDsSwWpP+.-".contains(next))
    });
    if doubled {
        let repaired = pattern.replace("\\\\", "\\");
        return (
            repaired,
            Some(Repair {
                what: "escaped twice (`\\\\d` for `\\d`), which as written demands a \
                       backslash; one level was removed",
                weakens: true,
            }),
        );
    }
    (pattern.to_owned(), None)
}

/// ECMA-262 escapes that mean something else (or nothing) in Rust's syntax.
fn translate_syntax(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(escaped) = chars.next() else {
                    out.push('\\');
                    break;
                };
                match escaped {
                    'u' => {
                        let hex: String = chars.clone().take(4).collect();
                        if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            chars.nth(3);
                            out.push_str(&format!("\\x{{{hex}}}"));
                        } else {
                            out.push_str("\\u");
                        }
                    }
                    'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                    'w' => out.push_str(if in_class {
                        "0-9A-Za-z_"
                    } else {
                        "[0-9A-Za-z_]"
                    }),
                    'D' if !in_class => out.push_str("[^0-9]"),
                    'W' if !in_class => out.push_str("[^0-9A-Za-z_]"),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is literal in both syntaxes.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(pattern: &str) -> (String, Option<Repair>) {
        match translate(pattern) {
            Translation::Ready { regex, repair } => (regex, repair),
            Translation::Unusable { reason } => panic!("{pattern} is unusable: {reason}"),
        }
    }

    fn matches(pattern: &str, text: &str) -> bool {
        let (regex, _) = ready(pattern);
        compile(&regex)
            .and_then(|regex| regex.is_match(text))
            .expect("compiles and runs")
    }

    #[test]
    fn translation_table() {
        let cases = [
            ("\\u0009[\\u0020-\\u007E]", "\\x{0009}[\\x{0020}-\\x{007E}]"),
            ("^\\d{4}$", "^[0-9]{4}$"),
            ("[\\d\\w]", "[0-9 0-9A-Za-z_]"),
            ("\\D\\W", "[^0-9][^0-9A-Za-z_]"),
            ("^(?!aws:)[a-zA-Z+-=._:/]+$", "^(?!aws:)[a-zA-Z+-=._:/]+$"),
            ("\\p{L}\\P{C}", "\\p{L}\\P{C}"),
        ];
        for (pattern, expected) in cases {
            let expected = expected.replace(' ', "");
            assert_eq!(ready(pattern).0, expected, "{pattern}");
        }
    }

    #[test]
    fn lookaheads_and_unicode_classes_work() {
        let tag_key = "^(?!aws:)[a-zA-Z+-=._:/]+$";
        assert!(matches(tag_key, "foo"));
        assert!(!matches(tag_key, "aws:foo"));
        let password = "/^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)[a-zA-Z\\d\\S]{8,64}$/";
        assert!(matches(password, "Passw0rdX"));
        assert!(!matches(password, "password"));
        assert!(matches(
            "^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$",
            "héllo wörld 42"
        ));
        assert!(!matches("^\\P{C}*$", "bell\u{7}"));
    }

    #[test]
    fn patterns_are_not_anchored() {
        assert!(matches("[a-z]{2}(-[a-z]+){1,2}", "XX en-us YY"));
        assert!(matches("\\+[1-9]\\d{1,14}$", "call +12065550123"));
    }

    #[test]
    fn digits_are_ascii_as_in_ecma_262() {
        assert!(!matches("^\\d+$", "٣"));
    }

    #[test]
    fn repairs_are_reported() {
        let (regex, repair) = ready("\\\\+[1-9]\\\\d{1,14}$");
        assert_eq!(regex, "\\+[1-9][0-9]{1,14}$");
        assert!(
            repair.is_some_and(|repair| repair.what.contains("escaped twice") && repair.weakens)
        );
        let (regex, repair) = ready("/^a$/");
        assert_eq!(regex, "^a$");
        assert!(repair.is_some_and(|repair| repair.what.contains("literal") && repair.weakens));
        assert_eq!(ready("^a$").1, None);
    }

    #[test]
    fn broken_patterns_are_unusable_not_panics() {
        for pattern in ["(", "[a-", "\\", "(?<"] {
            assert!(
                matches!(translate(pattern), Translation::Unusable { .. }),
                "{pattern}"
            );
        }
    }
}
