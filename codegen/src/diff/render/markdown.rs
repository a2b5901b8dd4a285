//! Markdown: the summary as lists, then one table per section.

use std::fmt::Write as _;

use super::super::page::ChangePage;
use super::super::{Category, Report};
use super::{entry_line, headline, uses_line};

/// How many uses of a change a table row lists before `+N more`.
const USES_SHOWN: usize = 3;

/// The summary alone: headline, new, removed and updated methods, and the count of changes in
/// the other sections. Used for CHANGELOG entries.
pub fn markdown_summary(report: &Report) -> String {
    let summary = report.summary();
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", headline(report, &summary));
    for (title, names) in [
        ("New api methods", &summary.new),
        ("Removed api methods", &summary.removed),
    ] {
        if !names.is_empty() {
            let _ = writeln!(out, "{title}:\n");
            for name in names {
                let _ = writeln!(out, "- `{name}`");
            }
            out.push('\n');
        }
    }
    if !summary.updated.is_empty() {
        out.push_str("Updated api methods:\n\n");
        for operation in &summary.updated {
            let _ = writeln!(out, "- `{}`", operation.name);
            for (side, entries) in [
                ("request", &operation.request),
                ("response", &operation.response),
            ] {
                for (verb, list) in [
                    ("added", &entries.added),
                    ("removed", &entries.removed),
                    ("changed", &entries.changed),
                ] {
                    for entry in list {
                        let _ = writeln!(out, "  - {side} {verb}: `{}`", entry_line(entry));
                    }
                }
            }
        }
        out.push('\n');
    }
    let others: Vec<String> = [
        Category::Constraint,
        Category::Http,
        Category::Errors,
        Category::Paginator,
        Category::Waiter,
        Category::Docs,
    ]
    .into_iter()
    .filter_map(|category| {
        let count = report.in_category(category).count();
        (count > 0).then(|| format!("{count} {}", category.title().to_lowercase()))
    })
    .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "Also: {}.", others.join(", "));
    }
    out
}

/// The Markdown form of a report.
pub fn markdown(report: &Report) -> String {
    let mut out = format!(
        "# {} {} → {}\n\n",
        report.new.service, report.old.api_version, report.new.api_version
    );
    out.push_str(markdown_summary(report).trim_end());
    out.push('\n');
    match (report.max_severity(), report.semver()) {
        (Some(severity), Some(semver)) => {
            let _ = writeln!(
                out,
                "\nHighest severity: **{severity}**. Crate bump: **{semver}**."
            );
        }
        _ => out.push_str("\nNo changes.\n"),
    }
    for category in [
        Category::Api,
        Category::Constraint,
        Category::Http,
        Category::Errors,
        Category::Paginator,
        Category::Waiter,
        Category::Docs,
    ] {
        let changes: Vec<_> = report.in_category(category).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {}\n", category.title());
        out.push_str(
            "| severity | rule | location | direction | change | reached from | crate | bump |\n",
        );
        out.push_str("|---|---|---|---|---|---|---|---|\n");
        for change in changes {
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | {} | {} | {} | {} | {} |",
                change.severity(),
                change.rule,
                change.location,
                change.direction().as_str(),
                cell(&change.message),
                cell(&uses_line(change, USES_SHOWN).unwrap_or_default()),
                cell(&change.crate_effect),
                change.semver()
            );
        }
    }
    out
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The change page's summary for a CHANGELOG: its title and release note, the new methods, the
/// updated methods with what they gained (as the page prints it), then what the page leaves out
/// and the report has: removed methods, removed or retyped members, and the count of changes in
/// the other sections.
pub fn change_page_summary(page: &ChangePage, report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", page.title());
    if let Some(changes) = &page.changes {
        let _ = writeln!(out, "Changes: {changes}\n");
    }
    for method in &page.new {
        let _ = writeln!(out, "- `{}` (new)", method.name);
    }
    for method in &page.updated {
        let Some(changes) = &method.changes else {
            continue;
        };
        let _ = writeln!(out, "- `{}` (updated: {})", method.name, changes.sides());
        for (label, delta) in changes.parts() {
            if let Some(label) = label {
                let _ = writeln!(out, "\n  {label}:");
            }
            out.push_str("\n  ```python\n");
            for line in delta.to_py().pformat().lines() {
                let _ = writeln!(out, "  {line}");
            }
            out.push_str("  ```\n\n");
        }
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    let summary = report.summary();
    if !summary.removed.is_empty() {
        out.push_str("Removed api methods:\n\n");
        for name in &summary.removed {
            let _ = writeln!(out, "- `{name}`");
        }
        out.push('\n');
    }
    let mut lost = Vec::new();
    for operation in &summary.updated {
        for (side, entries) in [
            ("request", &operation.request),
            ("response", &operation.response),
        ] {
            for (verb, list) in [("removed", &entries.removed), ("changed", &entries.changed)] {
                for entry in list {
                    lost.push(format!(
                        "- `{}` {side} {verb}: `{}`",
                        operation.name,
                        entry_line(entry)
                    ));
                }
            }
        }
    }
    if !lost.is_empty() {
        out.push_str("Removed or changed members:\n\n");
        for line in lost {
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    let others: Vec<String> = [
        Category::Constraint,
        Category::Http,
        Category::Errors,
        Category::Paginator,
        Category::Waiter,
        Category::Docs,
    ]
    .into_iter()
    .filter_map(|category| {
        let count = report.in_category(category).count();
        (count > 0).then(|| format!("{count} {}", category.title().to_lowercase()))
    })
    .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "Also: {}.", others.join(", "));
    }
    out
}
