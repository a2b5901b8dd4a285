//! The change page as text: the title, the release note, then each new and updated method with
//! what it gained (as the page prints it, `pprint`'s layout of a Python literal) and its boto3
//! documentation in boto3's reStructuredText.
//!
//! ```text
//! 2024/10/23 - Amazon Connect Service - 1 new 2 updated api methods
//!
//! Changes  Amazon Connect Service Feature: Add support to start screen sharing ...
//!
//! DescribeContact (updated)
//! =========================
//! Changes (response)
//! {'Contact': {'AgentInfo': {'Capabilities': {'ScreenShare': 'SEND'}},
//!              'Customer': {'Capabilities': {'ScreenShare': 'SEND'}}}}
//!
//! This API is in preview release for Amazon Connect and is subject to change.
//! ...
//! ```
//!
//! The documentation is boto3's text with trailing spaces trimmed and runs of blank lines
//! folded into one.

use std::fmt::Write as _;

use super::super::page::{ChangePage, Method};

/// The text form of a change page.
pub fn change_page(page: &ChangePage) -> String {
    let mut out = page.title();
    out.push('\n');
    if let Some(changes) = &page.changes {
        let _ = writeln!(out, "\nChanges  {changes}");
    }
    for (method, kind) in page
        .new
        .iter()
        .map(|method| (method, "new"))
        .chain(page.updated.iter().map(|method| (method, "updated")))
    {
        method_text(&mut out, method, kind);
    }
    out
}

fn method_text(out: &mut String, method: &Method, kind: &str) {
    let heading = format!("{} ({kind})", method.name);
    let _ = writeln!(out, "\n{heading}\n{}", "=".repeat(heading.chars().count()));
    if let Some(changes) = &method.changes {
        let _ = writeln!(out, "Changes ({})", changes.sides());
        for (label, delta) in changes.parts() {
            if let Some(label) = label {
                let _ = writeln!(out, "{label}");
            }
            let _ = writeln!(out, "{}", delta.to_py().pformat());
        }
    }
    out.push('\n');
    out.push_str(&tidy(method.doc.rst()));
}

/// `text` with trailing spaces trimmed, blank-line runs folded, and no blank lines at either end.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
