//! The report's forms: human text (optionally coloured), Markdown, JSON (schema in
//! `codegen/src/diff/schema.json`), and the AWS change page as text and as HTML.
//!
//! The report forms read a [`Report`], the change page forms a
//! [`ChangePage`](super::page::ChangePage); every renderer is deterministic: the same models give
//! the same bytes.

mod change_page;
mod change_page_html;
mod json;
mod markdown;
mod text;

pub use change_page::change_page;
pub use change_page_html::change_page_html;
pub use json::{SCHEMA, SCHEMA_VERSION, json};
pub use markdown::{change_page_summary, markdown, markdown_summary};
pub use text::text;

use super::{Change, Entry, Report, Rule, Summary};

/// `Amazon Connect Service - 1 new, 2 updated api methods` (and removed ones, if any).
pub(crate) fn headline(report: &Report, summary: &Summary) -> String {
    let mut line = format!(
        "{} - {} new, {} updated api methods",
        report.new.service,
        summary.new.len(),
        summary.updated.len()
    );
    if !summary.removed.is_empty() {
        line.push_str(&format!(", {} removed", summary.removed.len()));
    }
    line
}

/// One line of an updated operation's tree, without the sign.
pub(crate) fn entry_line(entry: &Entry) -> String {
    match entry.rule {
        Rule::EnumValueAdded | Rule::EnumValueRemoved => {
            format!("{} = '{}'", display_path(&entry.path), entry.value)
        }
        Rule::MemberRenamed | Rule::MemberTypeChanged | Rule::ShapeRenamed => {
            format!("{}: {}", display_path(&entry.path), entry.value)
        }
        _ => format!("{} ({})", display_path(&entry.path), entry.value),
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "(root)" } else { path }
}

/// Up to `limit` uses of a change as `Operation side path`, and how many more there are.
pub(crate) fn uses_line(change: &Change, limit: usize) -> Option<String> {
    if change.uses.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = change
        .uses
        .iter()
        .take(limit)
        .map(|used| {
            if used.path.is_empty() {
                format!("{} {}", used.operation, used.side.as_str())
            } else {
                format!("{} {} {}", used.operation, used.side.as_str(), used.path)
            }
        })
        .collect();
    if change.uses.len() > limit {
        parts.push(format!("+{} more", change.uses.len() - limit));
    }
    Some(parts.join(", "))
}
