//! Command-line output (feature `cli`): `--query` (JMESPath) and the `--output` formats, and
//! the pagination tokens printed when `--max-items` stops early.

use std::io::Write;

use base64::Engine as _;
use serde::Serialize as _;
use serde_json::{Map, Value};

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputFormat {
    Json,
    Text,
    Table,
    Yaml,
    YamlStream,
}

impl OutputFormat {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "json" => OutputFormat::Json,
            "text" => OutputFormat::Text,
            "table" => OutputFormat::Table,
            "yaml" => OutputFormat::Yaml,
            "yaml-stream" => OutputFormat::YamlStream,
            _ => return None,
        })
    }
}

#[derive(Debug)]
pub(crate) enum OutputError {
    /// The `--query` expression does not compile or fails on the result.
    Query(String),
    Io(String),
}

/// Applies `query` to `result` and prints it. An empty result (`{}`) prints nothing, as in the
/// AWS CLI.
pub(crate) fn print(
    out: &mut dyn Write,
    result: &Value,
    format: OutputFormat,
    query: Option<&str>,
    title: &str,
    color: bool,
) -> Result<(), OutputError> {
    let queried;
    let value = match query {
        Some(expression) => {
            queried = search(expression, result)?;
            &queried
        }
        None => result,
    };
    if query.is_none() && value.as_object().is_some_and(Map::is_empty) {
        return Ok(());
    }
    let text = match format {
        OutputFormat::Json => json_indent4(value),
        OutputFormat::Yaml | OutputFormat::YamlStream => yaml(value).map_err(OutputError::Io)?,
        OutputFormat::Text => text(value),
        OutputFormat::Table => table(value, title, color),
    };
    let io = |error: std::io::Error| OutputError::Io(error.to_string());
    out.write_all(text.as_bytes()).map_err(io)?;
    if !text.ends_with('\n') {
        out.write_all(b"\n").map_err(io)?;
    }
    out.flush().map_err(io)
}

fn search(expression: &str, value: &Value) -> Result<Value, OutputError> {
    let query = |error: jmespath::JmespathError| OutputError::Query(format!("--query: {error}"));
    let compiled = jmespath::compile(expression).map_err(query)?;
    let found = compiled.search(value).map_err(query)?;
    serde_json::to_value(&*found).map_err(|error| OutputError::Query(format!("--query: {error}")))
}

/// JSON indented by four spaces, as the AWS CLI prints it.
pub(crate) fn json_indent4(value: &Value) -> String {
    let mut bytes = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    // Writing a `Value` to memory cannot fail.
    let _ = value.serialize(&mut serializer);
    String::from_utf8(bytes).unwrap_or_default()
}

pub(crate) fn yaml(value: &Value) -> Result<String, String> {
    serde_norway::to_string(value).map_err(|error| format!("cannot write YAML: {error}"))
}

/// The AWS CLI's `text` output: the scalars of each object on one tab-separated line (sorted by
/// key), nested objects and lists below, prefixed by their key in upper case; objects in a list
/// share the list's scalar columns.
pub(crate) fn text(value: &Value) -> String {
    let mut out = String::new();
    text_value(value, None, None, &mut out);
    out
}

fn text_value(
    value: &Value,
    identifier: Option<&str>,
    columns: Option<&[String]>,
    out: &mut String,
) {
    match value {
        Value::Object(object) => text_object(object, identifier, columns, out),
        Value::Array(items) => text_list(items, identifier, out),
        scalar => {
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
}

fn text_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let mut columns: Vec<String> = items
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|object| {
                object
                    .iter()
                    .filter(|(_, value)| !value.is_object() && !value.is_array())
                    .map(|(key, _)| key.clone())
            })
            .collect();
        columns.sort();
        columns.dedup();
        for item in items {
            text_value(item, identifier, Some(&columns), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, nested): (Vec<&Value>, Vec<&Value>) = items
            .iter()
            .partition(|item| !item.is_array() && !item.is_object());
        if !scalars.is_empty() {
            text_scalars(&scalars, identifier, out);
        }
        for item in nested {
            text_value(item, identifier, None, out);
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        text_scalars(&scalars, identifier, out);
    }
}

fn text_scalars(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            for item in items {
                out.push_str(&format!(
                    "{}\t{}\n",
                    identifier.to_uppercase(),
                    scalar_text(item)
                ));
            }
        }
        None => {
            let line: Vec<String> = items.iter().map(|item| scalar_text(item)).collect();
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

fn text_object(
    object: &Map<String, Value>,
    identifier: Option<&str>,
    columns: Option<&[String]>,
    out: &mut String,
) {
    let mut scalars = Vec::new();
    let mut nested: Vec<(&String, &Value)> = Vec::new();
    match columns {
        None => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in entries {
                if value.is_object() || value.is_array() {
                    nested.push((key, value));
                } else {
                    scalars.push(scalar_text(value));
                }
            }
        }
        Some(columns) => {
            for column in columns {
                scalars.push(object.get(column).map(scalar_text).unwrap_or_default());
            }
            let mut rest: Vec<(&String, &Value)> = object
                .iter()
                .filter(|(key, _)| !columns.contains(key))
                .collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            nested.extend(rest);
        }
    }
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in nested {
        text_value(value, Some(key), None, out);
    }
}

/// A scalar as Python's `str()` shows it: `True`, `None`, numbers and strings as they are.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        other => other.to_string(),
    }
}

/// The `table` output: an object's scalars as a two-column table, a list of objects as one row
/// each under shared column headers, nested values as sections titled by their key.
pub(crate) fn table(value: &Value, title: &str, color: bool) -> String {
    let mut out = String::new();
    table_section(value, title, 0, color, &mut out);
    out
}

fn table_section(value: &Value, title: &str, depth: usize, color: bool, out: &mut String) {
    let indent = "|".repeat(depth);
    match value {
        Value::Object(object) => {
            let scalars: Vec<(String, String)> = object
                .iter()
                .filter(|(_, value)| !value.is_object() && !value.is_array())
                .map(|(key, value)| (key.clone(), scalar_text(value)))
                .collect();
            let rows: Vec<Vec<String>> = scalars
                .iter()
                .map(|(k, v)| vec![k.clone(), v.clone()])
                .collect();
            draw(&indent, title, color, None, &rows, out);
            for (key, value) in object.iter().filter(|(_, v)| v.is_object() || v.is_array()) {
                table_section(value, key, depth + 1, color, out);
            }
        }
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let mut columns: Vec<String> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for (key, value) in item {
                    if !value.is_object() && !value.is_array() && !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .filter_map(Value::as_object)
                .map(|item| {
                    columns
                        .iter()
                        .map(|c| item.get(c).map(scalar_text).unwrap_or_default())
                        .collect()
                })
                .collect();
            draw(&indent, title, color, Some(&columns), &rows, out);
            for item in items.iter().filter_map(Value::as_object) {
                for (key, value) in item.iter().filter(|(_, v)| v.is_object() || v.is_array()) {
                    table_section(value, key, depth + 1, color, out);
                }
            }
        }
        Value::Array(items) => {
            let rows: Vec<Vec<String>> = items.iter().map(|item| vec![scalar_text(item)]).collect();
            draw(&indent, title, color, None, &rows, out);
        }
        scalar => draw(
            &indent,
            title,
            color,
            None,
            &[vec![scalar_text(scalar)]],
            out,
        ),
    }
}

fn draw(
    indent: &str,
    title: &str,
    color: bool,
    header: Option<&[String]>,
    rows: &[Vec<String>],
    out: &mut String,
) {
    let columns = header
        .map(<[String]>::len)
        .unwrap_or_else(|| rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; columns];
    for row in header
        .into_iter()
        .map(<[String]>::to_vec)
        .chain(rows.iter().cloned())
    {
        for (index, cell) in row.iter().enumerate() {
            widths[index] = widths[index].max(cell.chars().count());
        }
    }
    // Cells get two spaces on each side; the last column takes what the title needs beyond.
    let title_width = title.chars().count();
    let natural = widths.iter().map(|w| w + 4).sum::<usize>() + columns.saturating_sub(1);
    let inner = natural.max(title_width + 4);
    if let Some(last) = widths.last_mut() {
        *last += inner - natural;
    }
    let centered = |text: &str, width: usize| {
        let pad = width.saturating_sub(text.chars().count());
        format!("{}{text}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
    };
    let separator = {
        let cells: Vec<String> = widths.iter().map(|w| "-".repeat(w + 4)).collect();
        format!("{indent}+{}+{indent}\n", cells.join("+"))
    };
    out.push_str(&format!("{indent}{}{indent}\n", "-".repeat(inner + 2)));
    let title_line = centered(title, inner);
    let title_line = if color {
        title_line.replace(title, &format!("\x1b[1m{title}\x1b[0m"))
    } else {
        title_line
    };
    out.push_str(&format!("{indent}|{title_line}|{indent}\n"));
    let row_line = |cells: &[String]| {
        let cells: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(index, width)| {
                let cell = cells.get(index).map(String::as_str).unwrap_or("");
                centered(cell, width + 4)
            })
            .collect();
        format!("{indent}|{}|{indent}\n", cells.join("|"))
    };
    out.push_str(&separator);
    if columns > 0 {
        if let Some(header) = header {
            out.push_str(&row_line(header));
            out.push_str(&separator);
        }
        for row in rows {
            out.push_str(&row_line(row));
        }
        out.push_str(&separator);
    }
}

/// The `NextToken` printed when `--max-items` stops early: base64 of a JSON object of the input
/// token values, plus how many items of the next page were already printed.
pub(crate) fn encode_token(tokens: &Value, names: &[&str], truncate: usize) -> Value {
    let mut object = Map::new();
    if let Value::Array(values) = tokens {
        for (name, value) in names.iter().zip(values) {
            object.insert((*name).to_owned(), value.clone());
        }
    }
    if truncate > 0 {
        object.insert("boto_truncate_amount".to_owned(), Value::from(truncate));
    }
    let text = Value::Object(object).to_string();
    Value::String(base64::engine::general_purpose::STANDARD.encode(text))
}

/// Reads a token from [`encode_token`] (or the AWS CLI): the input token values in order, and
/// how many items to skip.
pub(crate) fn decode_token(token: &str, names: usize) -> Result<(Vec<Value>, usize), String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .map_err(|_| "not a token printed by --max-items".to_owned())?;
    let object: Map<String, Value> = serde_json::from_slice(&bytes)
        .map_err(|_| "not a token printed by --max-items".to_owned())?;
    let truncate = object
        .get("boto_truncate_amount")
        .and_then(Value::as_u64)
        .unwrap_or(0) as usize;
    let values: Vec<Value> = object
        .into_iter()
        .filter(|(key, _)| key != "boto_truncate_amount")
        .map(|(_, value)| value)
        .collect();
    if values.len() != names {
        return Err(format!(
            "expected {names} token value(s), found {}",
            values.len()
        ));
    }
    Ok((values, truncate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_output_follows_the_aws_cli() {
        let value = json!({
            "InstanceSummaryList": [
                {"Id": "a", "Arn": "arn:a", "InboundCallsEnabled": true},
                {"Id": "b", "Arn": "arn:b"}
            ],
            "NextToken": "t"
        });
        assert_eq!(
            text(&value),
            "t\nINSTANCESUMMARYLIST\tarn:a\ta\tTrue\nINSTANCESUMMARYLIST\tarn:b\tb\t\n"
        );
        assert_eq!(text(&json!(["x", "y"])), "x\ty\n");
    }

    #[test]
    fn table_output_draws_rows_under_shared_columns() {
        let value = json!([{"Alias": "a1", "In": true}, {"Alias": "b", "In": false}]);
        let expected = "\
---------------------
|   ListInstances   |
+---------+---------+
|  Alias  |   In    |
+---------+---------+
|   a1    |  True   |
|    b    |  False  |
+---------+---------+
";
        assert_eq!(table(&value, "ListInstances", false), expected);
    }

    #[test]
    fn tokens_round_trip() {
        let token = encode_token(&json!(["abc"]), &["NextToken"], 2);
        let (values, skip) = decode_token(token.as_str().unwrap(), 1).unwrap();
        assert_eq!((values, skip), (vec![json!("abc")], 2));
        assert!(decode_token("%%%", 1).is_err());
    }
}
