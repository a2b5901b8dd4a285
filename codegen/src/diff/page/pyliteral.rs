//! The Python values a change page prints, and Python's `pprint.pformat` layout of them.
//!
//! The AWS change pages print each method's delta with Jinja's `pprint` filter, which is
//! `pprint.pformat(value)`: width 80, indent 1, dict keys sorted. Laying the text out the same
//! way keeps our page comparable with theirs line for line, and the text still reads back as the
//! same Python literal.

use std::collections::{BTreeMap, BTreeSet};

/// The width `pprint.pformat` lays values out in.
const WIDTH: usize = 80;

/// A Python value of the kinds a delta holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PyValue {
    Str(String),
    /// Keys are sorted, as `pprint` sorts them.
    Dict(BTreeMap<String, PyValue>),
    List(Vec<PyValue>),
    /// New enum values. A set's `repr` follows hash order in Python; sorted here, as `pprint`
    /// does whenever the set does not fit on one line, so the output is the same on every run.
    Set(BTreeSet<String>),
    /// `()`: the page's type walk met a shape it was already inside (a recursive structure).
    Recursion,
}

impl PyValue {
    /// `repr(value)`, on one line.
    pub fn repr(&self) -> String {
        let mut out = String::new();
        self.write_repr(&mut out);
        out
    }

    fn write_repr(&self, out: &mut String) {
        match self {
            PyValue::Str(text) => out.push_str(&str_repr(text)),
            PyValue::Dict(map) => {
                out.push('{');
                for (index, (key, value)) in map.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&str_repr(key));
                    out.push_str(": ");
                    value.write_repr(out);
                }
                out.push('}');
            }
            PyValue::List(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    item.write_repr(out);
                }
                out.push(']');
            }
            // An empty set is `set()`; a delta never holds one, but the repr stays valid Python.
            PyValue::Set(values) if values.is_empty() => out.push_str("set()"),
            PyValue::Set(values) => {
                out.push('{');
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&str_repr(value));
                }
                out.push('}');
            }
            PyValue::Recursion => out.push_str("()"),
        }
    }

    /// `pprint.pformat(value)`.
    pub fn pformat(&self) -> String {
        let mut out = String::new();
        self.format(&mut out, 0, 0, 0);
        out
    }

    /// `PrettyPrinter._format`: the repr when it fits in what is left of the line, otherwise the
    /// value's own multi-line layout.
    fn format(&self, out: &mut String, indent: usize, allowance: usize, level: usize) {
        let rep = self.repr();
        let max_width = WIDTH.saturating_sub(indent + allowance);
        if rep.chars().count() <= max_width {
            out.push_str(&rep);
            return;
        }
        let level = level + 1;
        match self {
            PyValue::Dict(map) if !map.is_empty() => {
                out.push('{');
                let indent = indent + 1;
                let last = map.len() - 1;
                for (index, (key, value)) in map.iter().enumerate() {
                    let key = str_repr(key);
                    out.push_str(&key);
                    out.push_str(": ");
                    let allowance = if index == last { allowance + 1 } else { 1 };
                    value.format(out, indent + key.chars().count() + 2, allowance, level);
                    if index != last {
                        out.push_str(",\n");
                        out.push_str(&" ".repeat(indent));
                    }
                }
                out.push('}');
            }
            PyValue::List(items) if !items.is_empty() => {
                out.push('[');
                format_items(items.iter(), out, indent, allowance + 1, level);
                out.push(']');
            }
            PyValue::Set(values) if !values.is_empty() => {
                out.push('{');
                let items: Vec<PyValue> = values.iter().cloned().map(PyValue::Str).collect();
                format_items(items.iter(), out, indent, allowance + 1, level);
                out.push('}');
            }
            PyValue::Str(text) if !text.is_empty() => {
                format_str(text, out, indent, allowance, level);
            }
            _ => out.push_str(&rep),
        }
    }
}

/// `PrettyPrinter._format_items`: one item a line, each laid out in the room left.
fn format_items<'a>(
    items: impl ExactSizeIterator<Item = &'a PyValue>,
    out: &mut String,
    indent: usize,
    allowance: usize,
    level: usize,
) {
    let indent = indent + 1;
    let last = items.len().saturating_sub(1);
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push_str(",\n");
            out.push_str(&" ".repeat(indent));
        }
        let allowance = if index == last { allowance } else { 1 };
        item.format(out, indent, allowance, level);
    }
}

/// `PrettyPrinter._pprint_str`: a string too long for its line, split after whitespace into
/// adjacent literals (parenthesised at the top level), which Python reads back as one string.
fn format_str(text: &str, out: &mut String, mut indent: usize, mut allowance: usize, level: usize) {
    if level == 1 {
        indent += 1;
        allowance += 1;
    }
    let max_width = WIDTH.saturating_sub(indent);
    let lines = split_lines_keep_ends(text);
    let mut chunks = Vec::new();
    for (line_index, line) in lines.iter().enumerate() {
        let last_line = line_index == lines.len() - 1;
        let rep = str_repr(line);
        let max_width1 = if last_line {
            max_width.saturating_sub(allowance)
        } else {
            max_width
        };
        if rep.chars().count() <= max_width1 {
            chunks.push(rep);
            continue;
        }
        let parts = words_with_trailing_space(line);
        let mut current = String::new();
        for (part_index, part) in parts.iter().enumerate() {
            let candidate = format!("{current}{part}");
            let max_width2 = if last_line && part_index == parts.len() - 1 {
                max_width.saturating_sub(allowance)
            } else {
                max_width
            };
            if str_repr(&candidate).chars().count() > max_width2 {
                if !current.is_empty() {
                    chunks.push(str_repr(&current));
                }
                current = (*part).to_owned();
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            chunks.push(str_repr(&current));
        }
    }
    if chunks.len() == 1 {
        out.push_str(&chunks[0]);
        return;
    }
    if level == 1 {
        out.push('(');
    }
    for (index, chunk) in chunks.iter().enumerate() {
        if index > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(chunk);
    }
    if level == 1 {
        out.push(')');
    }
}

/// `str.splitlines(True)` for the line breaks a model's names can hold.
fn split_lines_keep_ends(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (index, c) in text.char_indices() {
        if c == '\n' {
            lines.push(&text[start..=index]);
            start = index + 1;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// `re.findall(r'\S*\s*', line)` without its final empty match.
fn words_with_trailing_space(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (index, c) in line.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            parts.push(&line[start..index]);
            start = index;
            in_space = false;
        }
    }
    if start < line.len() {
        parts.push(&line[start..]);
    }
    parts
}

/// Python's `repr` of a string: single quotes unless the text has one and no double quote,
/// backslash escapes for the quote, backslash and control characters.
pub fn str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(entries: &[(&str, PyValue)]) -> PyValue {
        PyValue::Dict(
            entries
                .iter()
                .map(|(key, value)| ((*key).to_owned(), value.clone()))
                .collect(),
        )
    }

    fn s(text: &str) -> PyValue {
        PyValue::Str(text.to_owned())
    }

    #[test]
    fn short_values_stay_on_one_line() {
        let value = dict(&[("b", s("x")), ("a", PyValue::Recursion)]);
        assert_eq!(value.pformat(), "{'a': (), 'b': 'x'}");
        let set = PyValue::Set(["Z".to_owned(), "A".to_owned()].into());
        assert_eq!(set.pformat(), "{'A', 'Z'}");
    }

    /// The Connect page of 2024/10/23, as `pprint.pformat` printed it (checked with CPython
    /// 3.11).
    #[test]
    fn long_dicts_break_like_pprint() {
        let capabilities = dict(&[("Capabilities", dict(&[("ScreenShare", s("SEND"))]))]);
        let value = dict(&[(
            "Contact",
            dict(&[
                ("AgentInfo", capabilities.clone()),
                ("Customer", capabilities),
            ]),
        )]);
        assert_eq!(
            value.pformat(),
            "{'Contact': {'AgentInfo': {'Capabilities': {'ScreenShare': 'SEND'}},\n             \
             'Customer': {'Capabilities': {'ScreenShare': 'SEND'}}}}"
        );
    }

    /// Checked against CPython 3.11's `pprint.pformat`.
    #[test]
    fn long_strings_and_lists_break_like_pprint() {
        let values: Vec<String> = (0..12).map(|n| format!("VALUE_NUMBER_{n}")).collect();
        let value = dict(&[
            ("Kind", s(&values.join(" | "))),
            ("Items", PyValue::List(vec![s(&"x".repeat(90))])),
        ]);
        let expected = format!(
            "{{'Items': ['{}'],\n \
             'Kind': 'VALUE_NUMBER_0 | VALUE_NUMBER_1 | VALUE_NUMBER_2 | VALUE_NUMBER_3 | '\n         \
             'VALUE_NUMBER_4 | VALUE_NUMBER_5 | VALUE_NUMBER_6 | VALUE_NUMBER_7 | '\n         \
             'VALUE_NUMBER_8 | VALUE_NUMBER_9 | VALUE_NUMBER_10 | VALUE_NUMBER_11'}}",
            "x".repeat(90)
        );
        assert_eq!(value.pformat(), expected);
    }

    #[test]
    fn quotes_like_python() {
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("tab\there\u{1}"), "'tab\\there\\x01'");
    }
}
