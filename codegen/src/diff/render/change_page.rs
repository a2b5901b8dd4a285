//! The compact form of the AWS API change pages: a headline, the new methods, and for each
//! updated method a nested tree of what was added to (and removed from) its request and
//! response, e.g. `{'Contact': {'AgentInfo': {'Capabilities': {'ScreenShare': 'SEND'}}}}`.
//!
//! Lists are `[...]`, map values sit under `'{}'` and map keys under `'{key}'`; a new member's
//! leaf is its shape, an enum value's leaf is the value (several values make a list).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::super::{Entry, Report, Rule};
use super::headline;

/// The change-page form of a report.
pub fn change_page(report: &Report) -> String {
    let summary = report.summary();
    let mut out = headline(report, &summary);
    out.push('\n');
    for name in &summary.new {
        let _ = writeln!(out, "\nNew api method: {name}");
    }
    for name in &summary.removed {
        let _ = writeln!(out, "\nRemoved api method: {name}");
    }
    for operation in &summary.updated {
        let _ = writeln!(out, "\nUpdated api method: {}", operation.name);
        for (side, entries) in [
            ("Request", &operation.request),
            ("Response", &operation.response),
        ] {
            for (verb, list) in [
                ("added", &entries.added),
                ("removed", &entries.removed),
                ("changed", &entries.changed),
            ] {
                if !list.is_empty() {
                    let _ = writeln!(out, "  {side} {verb}: {}", tree(list));
                }
            }
        }
    }
    out
}

#[derive(Debug, Default)]
struct Node {
    children: BTreeMap<String, Node>,
    item: Option<Box<Node>>,
    values: Vec<String>,
}

impl Node {
    fn insert(&mut self, path: &str, value: String) {
        let mut node = self;
        let mut rest = path;
        while !rest.is_empty() {
            rest = rest.strip_prefix('.').unwrap_or(rest);
            if let Some(after) = rest.strip_prefix("[]") {
                node = node.item.get_or_insert_with(Default::default);
                rest = after;
                continue;
            }
            let (key, after) = if rest.starts_with('{') {
                let end = rest.find('}').map_or(rest.len(), |at| at + 1);
                rest.split_at(end)
            } else {
                let end = rest.find(['.', '[', '{']).unwrap_or(rest.len());
                rest.split_at(end)
            };
            node = node.children.entry(key.to_owned()).or_default();
            rest = after;
        }
        if !node.values.contains(&value) {
            node.values.push(value);
        }
    }

    fn render(&self, out: &mut String) {
        if let Some(item) = &self.item {
            out.push('[');
            item.render(out);
            out.push(']');
        } else if !self.children.is_empty() {
            out.push('{');
            for (index, (key, child)) in self.children.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "'{key}': ");
                child.render(out);
            }
            out.push('}');
        } else if let [value] = &self.values[..] {
            let _ = write!(out, "'{value}'");
        } else {
            out.push('[');
            for (index, value) in self.values.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "'{value}'");
            }
            out.push(']');
        }
    }
}

/// The nested tree of a side's entries.
fn tree(entries: &[Entry]) -> String {
    let mut root = Node::default();
    for entry in entries {
        let value = match entry.rule {
            Rule::MemberRenamed | Rule::MemberTypeChanged | Rule::ShapeRenamed => {
                entry.value.replace('\'', "")
            }
            _ => entry.value.clone(),
        };
        root.insert(&entry.path, value);
    }
    let mut out = String::new();
    root.render(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, value: &str) -> Entry {
        Entry {
            path: path.to_owned(),
            value: value.to_owned(),
            rule: Rule::EnumValueAdded,
        }
    }

    #[test]
    fn nests_paths_like_the_change_pages() {
        let entries = [
            entry("Contact.AgentInfo.Capabilities.ScreenShare", "SEND"),
            entry("MetricResults[].Collections[].Metric.Name", "X"),
            entry("MetricResults[].Collections[].Metric.Name", "Y"),
            entry("Tags{}", "V"),
        ];
        assert_eq!(
            tree(&entries),
            "{'Contact': {'AgentInfo': {'Capabilities': {'ScreenShare': 'SEND'}}}, \
             'MetricResults': [{'Collections': [{'Metric': {'Name': ['X', 'Y']}}]}], \
             'Tags': {'{}': 'V'}}"
        );
    }
}
