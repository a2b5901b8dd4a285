//! JSON: every change with its fingerprint, and the summary. The schema is
//! `codegen/src/diff/schema.json` ([`SCHEMA`]); fields are only ever added, and a breaking change
//! to it bumps [`SCHEMA_VERSION`].

use serde_json::{Value, json};

use super::super::{Change, Entry, Report, SideSummary};

/// The JSON Schema (draft 2020-12) of [`json`]'s output.
pub const SCHEMA: &str = include_str!("../schema.json");

/// The `schema_version` of the output.
pub const SCHEMA_VERSION: u64 = 1;

/// The JSON form of a report.
pub fn json(report: &Report) -> Value {
    let summary = report.summary();
    json!({
        "schema_version": SCHEMA_VERSION,
        "old": { "service": report.old.service, "api_version": report.old.api_version },
        "new": { "service": report.new.service, "api_version": report.new.api_version },
        "summary": {
            "new": summary.new,
            "removed": summary.removed,
            "updated": summary.updated.iter().map(|operation| json!({
                "operation": operation.name,
                "request": side(&operation.request),
                "response": side(&operation.response),
            })).collect::<Vec<_>>(),
            "counts": {
                "new": summary.new.len(),
                "updated": summary.updated.len(),
                "removed": summary.removed.len(),
                "changes": report.changes.len(),
            },
            "max_severity": report.max_severity().map(|s| s.as_str()),
            "semver": report.semver().map(|s| s.as_str()),
        },
        "changes": report.changes.iter().map(change).collect::<Vec<_>>(),
    })
}

fn side(entries: &SideSummary) -> Value {
    let list = |list: &[Entry]| {
        list.iter()
            .map(|entry| json!({ "path": entry.path, "value": entry.value, "rule": entry.rule.id() }))
            .collect::<Vec<_>>()
    };
    json!({
        "added": list(&entries.added),
        "removed": list(&entries.removed),
        "changed": list(&entries.changed),
    })
}

fn change(change: &Change) -> Value {
    json!({
        "fingerprint": change.fingerprint(),
        "rule": change.rule.id(),
        "category": change.category().as_str(),
        "severity": change.severity().as_str(),
        "direction": change.direction().as_str(),
        "semver": change.semver().as_str(),
        "location": change.location,
        "message": change.message,
        "before": change.before,
        "after": change.after,
        "crate_effect": change.crate_effect,
        "uses": change.uses.iter().map(|used| json!({
            "operation": used.operation,
            "side": used.side.as_str(),
            "path": used.path,
        })).collect::<Vec<_>>(),
    })
}
