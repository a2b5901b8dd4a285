//! Human text: the change-page summary first, then every change by section with its severity,
//! rule, location, uses, effect on the crate and implied bump. Styled with ANSI colours when
//! asked (the CLI asks when stdout is a terminal and `NO_COLOR` is unset).

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::super::{Category, Report, Severity, SideSummary};
use super::{entry_line, headline, uses_line};

/// How many uses of a change the text form lists before `+N more`.
const USES_SHOWN: usize = 3;

/// The text form of a report.
pub fn text(report: &Report, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    };
    let bold = Style::new().bold();
    let summary = report.summary();
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(bold, &headline(report, &summary)));
    let verdict = match (report.max_severity(), report.semver()) {
        (Some(severity), Some(semver)) => format!(
            "{} change{}, highest severity {}, crate bump {semver}",
            report.changes.len(),
            if report.changes.len() == 1 { "" } else { "s" },
            paint(severity_style(severity), severity.as_str()),
        ),
        _ => "no changes".to_owned(),
    };
    let _ = writeln!(out, "{verdict}");

    for (title, names) in [
        ("New api methods", &summary.new),
        ("Removed api methods", &summary.removed),
    ] {
        if !names.is_empty() {
            let _ = writeln!(out, "\n{}", paint(bold, title));
            for name in names {
                let _ = writeln!(out, "  {name}");
            }
        }
    }
    if !summary.updated.is_empty() {
        let _ = writeln!(out, "\n{}", paint(bold, "Updated api methods"));
        for operation in &summary.updated {
            let _ = writeln!(out, "  {}", operation.name);
            for (side, entries) in [
                ("request", &operation.request),
                ("response", &operation.response),
            ] {
                if !entries.is_empty() {
                    let _ = writeln!(out, "    {side}");
                    tree_lines(&mut out, entries, &paint);
                }
            }
        }
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
        let _ = writeln!(
            out,
            "\n{} ({})",
            paint(bold, category.title()),
            changes.len()
        );
        for change in changes {
            let severity = change.severity();
            let _ = writeln!(
                out,
                "  {:<7} {} {}  [{}]",
                paint(severity_style(severity), severity.as_str()),
                change.rule,
                change.location,
                change.direction().as_str()
            );
            let _ = writeln!(out, "          {}", change.message);
            if let Some(uses) = uses_line(change, USES_SHOWN) {
                let _ = writeln!(out, "          reached from: {uses}");
            }
            let _ = writeln!(
                out,
                "          crate: {} ({})",
                change.crate_effect,
                change.semver()
            );
        }
    }
    out
}

fn tree_lines(out: &mut String, entries: &SideSummary, paint: &dyn Fn(Style, &str) -> String) {
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into()));
    for (sign, style, list) in [
        ("+", green, &entries.added),
        ("-", red, &entries.removed),
        ("~", yellow, &entries.changed),
    ] {
        for entry in list {
            let _ = writeln!(out, "      {} {}", paint(style, sign), entry_line(entry));
        }
    }
}

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Note => AnsiColor::Cyan,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Danger => AnsiColor::Magenta,
        Severity::Error => AnsiColor::Red,
    };
    Style::new().fg_color(Some(color.into())).bold()
}
