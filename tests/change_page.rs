//! The AWS API change page (`codegen diff --format change-page`, `change-page-html`): the Connect
//! release of 2024/10/23 against the page AWS published, `describe_contact` against boto3's
//! reference page, one fixture per rendering rule with its page as a snapshot, the HTML form, and
//! ignore files.
//!
//! The published pages are vendored under `tests/fixtures/diff/reference/`, the botocore models
//! (gzip) under `tests/fixtures/diff/botocore/`, the rule fixtures under
//! `tests/fixtures/diff/page/`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::PathBuf;

use codegen::diff::page::method_doc::Prefix;
use codegen::diff::page::{ChangePage, MethodDoc, PageOptions, PyValue, release_note};
use codegen::diff::render;

fn diff_dir() -> PathBuf {
    tests::fixture_path("diff")
}

/// A vendored botocore release of the Connect model.
fn botocore(version: &str) -> models::Service {
    let path = diff_dir().join(format!("botocore/{version}/service-2.json.gz"));
    let file = std::fs::File::open(&path).expect("vendored model");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip");
    models::load_service(&path.display().to_string(), &text, None).expect("loads")
}

fn reference(name: &str) -> String {
    std::fs::read_to_string(diff_dir().join("reference").join(name)).expect("vendored page")
}

/// The page of a rule fixture, `tests/fixtures/diff/page/<name>/{old,new}.json`.
fn fixture_page(name: &str) -> ChangePage {
    let dir = diff_dir().join("page").join(name);
    let load = |side: &str| {
        models::load_service_files(&dir.join(format!("{side}.json")), None)
            .unwrap_or_else(|error| panic!("{name}/{side}.json does not load: {error}"))
    };
    let options = PageOptions::default().date("2024-01-01").expect("a date");
    ChangePage::new(&load("old"), &load("new"), &options)
}

/// The Connect page of 2024/10/23: botocore 1.35.46 → 1.35.47 with its changelog entry.
fn connect_2024_10_23() -> ChangePage {
    let (old, new) = (botocore("1.35.46"), botocore("1.35.47"));
    let changelog = std::fs::read_to_string(diff_dir().join("botocore/1.35.47/changes.json"))
        .expect("vendored changelog entry");
    let note = release_note(&new.metadata, &changelog)
        .expect("botocore's format")
        .expect("an entry for connect");
    let options = PageOptions::default()
        .date("2024-10-23")
        .expect("a date")
        .changes(note);
    ChangePage::new(&old, &new, &options)
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One method of a text page: its heading, the printed deltas, and its boto3 documentation.
#[derive(Debug)]
struct MethodText {
    name: String,
    deltas: Vec<String>,
    request_syntax: String,
    response_syntax: Option<String>,
    /// `Name (type) --` (or `(type) --`) of each Response Structure line, in order.
    structure: Vec<String>,
}

/// Splits our text page into its methods.
fn methods_of(page: &str) -> Vec<MethodText> {
    let lines: Vec<&str> = page.lines().collect();
    let mut starts: Vec<usize> = (0..lines.len().saturating_sub(1))
        .filter(|&at| {
            (lines[at].ends_with(" (new)") || lines[at].ends_with(" (updated)"))
                && !lines[at + 1].is_empty()
                && lines[at + 1].chars().all(|c| c == '=')
        })
        .collect();
    starts.push(lines.len());
    starts
        .windows(2)
        .map(|range| method_text(&lines[range[0]..range[1]]))
        .collect()
}

fn method_text(lines: &[&str]) -> MethodText {
    let name = lines[0].split(' ').next().unwrap_or("").to_owned();
    let mut deltas = Vec::new();
    let mut at = 2;
    if lines
        .get(at)
        .is_some_and(|line| line.starts_with("Changes ("))
    {
        at += 1;
        let mut current = String::new();
        while at < lines.len() && !lines[at].is_empty() {
            if lines[at] == "Request" || lines[at] == "Response" {
                if !current.is_empty() {
                    deltas.push(std::mem::take(&mut current));
                }
            } else {
                current.push_str(lines[at]);
                current.push('\n');
            }
            at += 1;
        }
        deltas.push(current);
    }
    let block_after = |title: &str| -> Option<String> {
        let start = lines.iter().position(|line| line.trim() == title)?;
        let code = lines[start..].iter().position(|line| line.trim() == "::")? + start + 2;
        let end = lines[code..]
            .iter()
            .position(|line| line.is_empty())
            .map_or(lines.len(), |end| end + code);
        Some(lines[code..end].join("\n"))
    };
    let structure = lines
        .iter()
        .position(|line| line.trim() == "**Response Structure**")
        .map(|start| {
            lines[start..]
                .iter()
                .filter_map(|line| structure_line(line))
                .collect()
        })
        .unwrap_or_default();
    MethodText {
        name,
        deltas,
        request_syntax: block_after("**Request Syntax**").expect("a Request Syntax"),
        response_syntax: block_after("**Response Syntax**"),
        structure,
    }
}

/// `- **Name** *(type) --*` → `Name (type) --`; `- *(dict) --*` → `(dict) --`.
fn structure_line(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("- ")?;
    let (name, rest) = match rest.strip_prefix("**") {
        Some(named) => {
            let (name, rest) = named.split_once("** ")?;
            (Some(name), rest)
        }
        None => (None, rest),
    };
    let rest = rest.strip_prefix('*').unwrap_or(rest);
    let kind = rest.strip_prefix('(')?.split_once(") --")?.0;
    if kind.contains(' ') {
        return None;
    }
    Some(match name {
        Some(name) => format!("{name} ({kind}) --"),
        None => format!("({kind}) --"),
    })
}

/// The published page's methods: its text keeps the syntax blocks and dicts on one line each.
struct PublishedMethod {
    request_syntax: String,
    response_syntax: String,
    structure: Vec<String>,
}

fn published_methods(page: &str) -> (Vec<PublishedMethod>, Vec<String>) {
    let lines: Vec<&str> = page.lines().collect();
    let requests: Vec<usize> = (0..lines.len())
        .filter(|&at| lines[at] == "Request Syntax")
        .collect();
    let mut methods = Vec::new();
    for (index, &request) in requests.iter().enumerate() {
        let end = requests.get(index + 1).copied().unwrap_or(lines.len());
        let response = (request..end)
            .find(|&at| lines[at] == "Response Syntax")
            .expect("a Response Syntax");
        let structure_start = (response..end)
            .find(|&at| lines[at] == "Response Structure")
            .expect("a Response Structure");
        methods.push(PublishedMethod {
            request_syntax: lines[request + 1].to_owned(),
            response_syntax: lines[response + 1].to_owned(),
            structure: lines[structure_start..end]
                .iter()
                .filter_map(|line| published_structure_line(line))
                .collect(),
        });
    }
    // The deltas: the dicts that are not a Response Syntax.
    let deltas = (1..lines.len())
        .filter(|&at| lines[at].starts_with("{'") && lines[at - 1] != "Response Syntax")
        .map(|at| lines[at].to_owned())
        .collect();
    (methods, deltas)
}

/// `Name (type) --` at the start of a published line, or `(type) --`.
fn published_structure_line(line: &str) -> Option<String> {
    let (head, _) = line.split_once(" --")?;
    let (name, kind) = match head.split_once(" (") {
        Some((name, kind)) => (Some(name), kind),
        None => (None, head.strip_prefix('(')?),
    };
    let kind = kind.strip_suffix(')')?;
    let simple = |text: &str| text.chars().all(|c| c.is_ascii_alphanumeric());
    if !simple(kind) || !name.is_none_or(simple) {
        return None;
    }
    Some(match name {
        Some(name) => format!("{name} ({kind}) --"),
        None => format!("({kind}) --"),
    })
}

/// Acceptance: the text page reproduces the page AWS published for Connect on 2024/10/23: the
/// title, the release note, every delta equal as a Python literal, each method's Request and
/// Response Syntax equal whitespace aside, and the same Response Structure lines in order.
#[test]
fn connect_2024_10_23_matches_the_published_page() {
    let page = connect_2024_10_23();
    let text = render::change_page(&page);
    let published = reference("change-page-2024-10-23.txt");
    let mut published_lines = published.lines();

    assert_eq!(
        page.title(),
        "2024/10/23 - Amazon Connect Service - 1 new 2 updated api methods"
    );
    assert_eq!(
        without_whitespace(text.lines().next().expect("a title")),
        without_whitespace(published_lines.next().expect("a title"))
    );
    let changes = text
        .lines()
        .find(|line| line.starts_with("Changes "))
        .expect("a Changes line");
    assert_eq!(
        changes.split_whitespace().collect::<Vec<_>>(),
        published_lines
            .next()
            .expect("a Changes line")
            .split_whitespace()
            .collect::<Vec<_>>()
    );

    let ours = methods_of(&text);
    let names: Vec<&str> = ours.iter().map(|method| method.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "StartScreenSharing",
            "DescribeContact",
            "StartWebRTCContact"
        ]
    );
    let (theirs, published_deltas) = published_methods(&published);
    assert_eq!(theirs.len(), ours.len());

    let our_deltas: Vec<&String> = ours.iter().flat_map(|method| &method.deltas).collect();
    assert_eq!(our_deltas.len(), published_deltas.len());
    assert_eq!(published_deltas.len(), 2);
    for (mine, published) in our_deltas.iter().zip(&published_deltas) {
        assert_eq!(
            python::parse(mine),
            python::parse(published),
            "{mine} is not {published}"
        );
    }

    for (mine, published) in ours.iter().zip(&theirs) {
        assert_eq!(
            without_whitespace(&mine.request_syntax),
            without_whitespace(&published.request_syntax),
            "{}: Request Syntax",
            mine.name
        );
        assert_eq!(
            without_whitespace(mine.response_syntax.as_deref().unwrap_or("")),
            without_whitespace(&published.response_syntax),
            "{}: Response Syntax",
            mine.name
        );
        assert_eq!(mine.structure, published.structure, "{}", mine.name);
    }
    // The figures for the record: 1 + 106 + 20 Response Structure lines.
    let lines: Vec<usize> = ours.iter().map(|method| method.structure.len()).collect();
    assert_eq!(lines, [1, 106, 20]);
}

/// Acceptance: `describe_contact` rendered from the Connect model of botocore 1.42.84 (the
/// release boto3's reference page was made from: 1.42.85 added `AgentInfo.VoiceEnhancementMode`,
/// later releases `Contact.Cases` and `Contact.ContactLens`) has the reference page's Request and
/// Response Syntax, whitespace aside, and its Response Structure lines in order.
#[test]
fn describe_contact_matches_boto3_reference_page() {
    let model = botocore("1.42.84");
    let operation = &model.operations["DescribeContact"];
    let doc = MethodDoc::with_prefix(&model, operation, Prefix::ResponseAssignment);
    let page = reference("boto3-describe-contact.txt");

    let between = |start: &str, end: &str| -> String {
        let from = page.find(start).expect("start") + start.len();
        let to = page[from..].find(end).expect("end") + from;
        page[from..to]
            .trim_start_matches(|c: char| c.is_whitespace() || c == ':')
            .to_owned()
    };
    let request = between("**Request Syntax**", ":type");
    let response = between("**Response Syntax**", "**Response Structure**");
    assert_eq!(
        without_whitespace(&doc.request_syntax),
        without_whitespace(&request)
    );
    let response_syntax = &doc.response.as_ref().expect("an output").syntax;
    assert_eq!(
        without_whitespace(response_syntax),
        without_whitespace(&response)
    );

    let structure = |text: &str| -> Vec<String> {
        let start = text.find("**Response Structure**").expect("a structure");
        text[start..]
            .lines()
            .filter_map(structure_line)
            .collect::<Vec<_>>()
    };
    let ours = structure(doc.rst());
    assert_eq!(
        ours,
        structure(&between("**Response Syntax**", "**Exceptions**"))
    );
    assert!(ours.len() > 200, "{} lines", ours.len());
}

/// One fixture per rendering rule: the text page (title, deltas and documentation) as a
/// snapshot, and every delta read back as the Python value it prints.
macro_rules! page_snapshots {
    ($($name:ident => $fixture:literal,)*) => {
        $(
            #[test]
            fn $name() {
                let page = fixture_page($fixture);
                assert!(!page.updated.is_empty(), "{}: nothing updated", $fixture);
                assert_reads_back(&page);
                insta::assert_snapshot!(
                    concat!("page_", stringify!($name)),
                    render::change_page(&page)
                );
            }
        )*
    };
}

page_snapshots! {
    new_enum_member => "new-enum-member",
    new_enum_values => "new-enum-values",
    new_structure => "new-structure",
    recursive_structure => "recursive-structure",
    several_paths => "several-paths",
    lists_and_maps => "lists-and-maps",
}

/// Every printed delta parses back to the value it prints.
fn assert_reads_back(page: &ChangePage) {
    for method in &page.updated {
        for (_, delta) in method.changes.as_ref().expect("updated").parts() {
            let value = delta.to_py();
            assert_eq!(
                python::parse(&value.pformat()),
                python::Value::from(&value),
                "{}",
                method.name
            );
        }
    }
}

#[test]
fn deltas_of_real_releases_read_back() {
    for (old, new) in [
        ("1.35.46", "1.35.47"),
        ("1.44.4", "1.44.5"),
        ("1.35.47", "1.42.84"),
    ] {
        let page = ChangePage::new(&botocore(old), &botocore(new), &PageOptions::default());
        assert!(!page.updated.is_empty());
        assert_reads_back(&page);
    }
}

#[test]
fn html_page_is_self_contained() {
    let page = connect_2024_10_23();
    let html = render::change_page_html(&page);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "<title>2024/10/23 - Amazon Connect Service - 1 new 2 updated api methods</title>"
    ));
    for method in [
        "StartScreenSharing",
        "DescribeContact",
        "StartWebRTCContact",
    ] {
        assert!(
            html.contains(&format!("<details id=\"{method}\" open>")),
            "{method}"
        );
    }
    assert!(
        html.contains("<pre>{'Contact': {'AgentInfo': {'Capabilities': {'ScreenShare': 'SEND'}},")
    );
    // Nothing is fetched: no scripts, no stylesheets or images from elsewhere.
    for forbidden in ["<script", "<link", "<img", "src=", "@import"] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // Every tag opened is closed.
    for tag in ["details", "ul", "li", "dl", "pre", "p", "div", "section"] {
        let opened =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closed = html.matches(&format!("</{tag}>")).count();
        assert_eq!(opened, closed, "<{tag}>");
    }
    let small = fixture_page("several-paths");
    insta::assert_snapshot!("page_html_several_paths", render::change_page_html(&small));
}

/// EC2's request deltas leave `TagSpecifications` out, as the pages do (checked with
/// aws-sdk-api-changes' `diff_model`); a method whose request gained nothing else is not updated.
#[test]
fn ec2_requests_leave_tag_specifications_out() {
    let page = fixture_page("ec2-tag-specifications");
    let names: Vec<&str> = page
        .updated
        .iter()
        .map(|method| method.name.as_str())
        .collect();
    assert_eq!(names, ["RunThings"]);
    let text = render::change_page(&page);
    assert!(
        text.contains(
            "Changes (request, response)\nRequest\n{'DryRun': 'string'}\nResponse\n\
             {'TagSpecifications': {'ResourceType': {'thing'}}}\n"
        ),
        "{text}"
    );
}

/// The additions an ignore file silences leave the page, and so does a method left with none.
#[test]
fn retain_drops_silenced_additions() {
    let mut page = fixture_page("lists-and-maps");
    page.retain(&|location| location != "shapes.Thing.members.Size");
    let text = render::change_page(&page);
    assert!(text.contains("{'Things': {'Color': {'BLUE'}}}"), "{text}");
    page.retain(&|location| !location.starts_with("shapes.Color.enum."));
    assert!(page.updated.is_empty());
    assert_eq!(
        page.title(),
        "2024/01/01 - Fixture Pages Service - api methods"
    );
}

#[test]
fn page_options_reject_bad_dates() {
    for bad in ["2024/10/23", "2024-13-01", "24-10-23", "2024-10-2x"] {
        assert!(PageOptions::default().date(bad).is_err(), "{bad}");
    }
    let page = ChangePage::new(
        &botocore("1.44.3"),
        &botocore("1.44.4"),
        &PageOptions::default(),
    );
    assert_eq!(page.title(), "Amazon Connect Service - 1 new api methods");
}

/// A reader for the Python literals a change page prints: strings (adjacent ones joined), dicts,
/// lists, sets and tuples.
mod python {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) enum Value {
        Str(String),
        Dict(BTreeMap<String, Value>),
        List(Vec<Value>),
        Set(BTreeSet<String>),
        Tuple(Vec<Value>),
    }

    impl From<&PyValue> for Value {
        fn from(value: &PyValue) -> Self {
            match value {
                PyValue::Str(text) => Value::Str(text.clone()),
                PyValue::Dict(map) => Value::Dict(
                    map.iter()
                        .map(|(key, value)| (key.clone(), Value::from(value)))
                        .collect(),
                ),
                PyValue::List(items) => Value::List(items.iter().map(Value::from).collect()),
                PyValue::Set(values) => Value::Set(values.clone()),
                PyValue::Recursion => Value::Tuple(Vec::new()),
            }
        }
    }

    /// Parses one literal, panicking with the position on anything else.
    pub(super) fn parse(text: &str) -> Value {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        let value = parser.value();
        parser.skip_space();
        assert_eq!(parser.at, parser.chars.len(), "trailing text in {text}");
        value
    }

    struct Parser {
        chars: Vec<char>,
        at: usize,
    }

    impl Parser {
        fn skip_space(&mut self) {
            while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
                self.at += 1;
            }
        }

        fn peek(&mut self) -> Option<char> {
            self.skip_space();
            self.chars.get(self.at).copied()
        }

        fn expect(&mut self, expected: char) {
            assert_eq!(self.peek(), Some(expected), "at {}", self.at);
            self.at += 1;
        }

        fn value(&mut self) -> Value {
            match self.peek() {
                Some('\'' | '"') => Value::Str(self.strings()),
                Some('[') => {
                    self.at += 1;
                    Value::List(self.items(']'))
                }
                Some('(') => {
                    self.at += 1;
                    if self.peek() == Some(')') {
                        self.at += 1;
                        return Value::Tuple(Vec::new());
                    }
                    let first = self.value();
                    match self.peek() {
                        Some(')') => {
                            self.at += 1;
                            first
                        }
                        _ => {
                            self.expect(',');
                            let mut items = vec![first];
                            items.extend(self.items(')'));
                            Value::Tuple(items)
                        }
                    }
                }
                Some('{') => {
                    self.at += 1;
                    self.dict_or_set()
                }
                other => panic!("unexpected {other:?} at {}", self.at),
            }
        }

        /// Items up to `end`, a trailing comma allowed.
        fn items(&mut self, end: char) -> Vec<Value> {
            let mut items = Vec::new();
            loop {
                if self.peek() == Some(end) {
                    self.at += 1;
                    return items;
                }
                items.push(self.value());
                if self.peek() == Some(',') {
                    self.at += 1;
                }
            }
        }

        fn dict_or_set(&mut self) -> Value {
            if self.peek() == Some('}') {
                self.at += 1;
                return Value::Dict(BTreeMap::new());
            }
            let first = self.value();
            if self.peek() == Some(':') {
                let mut map = BTreeMap::new();
                let mut key = first;
                loop {
                    self.expect(':');
                    let Value::Str(name) = key else {
                        panic!("a dict key that is not a string")
                    };
                    map.insert(name, self.value());
                    if self.peek() == Some(',') {
                        self.at += 1;
                    }
                    if self.peek() == Some('}') {
                        self.at += 1;
                        return Value::Dict(map);
                    }
                    key = self.value();
                }
            }
            let mut values = vec![first];
            if self.peek() == Some(',') {
                self.at += 1;
            }
            values.extend(self.items('}'));
            Value::Set(
                values
                    .into_iter()
                    .map(|value| match value {
                        Value::Str(text) => text,
                        other => panic!("a set of {other:?}"),
                    })
                    .collect(),
            )
        }

        /// One or more adjacent string literals, joined.
        fn strings(&mut self) -> String {
            let mut text = String::new();
            while let Some(quote @ ('\'' | '"')) = self.peek() {
                self.at += 1;
                loop {
                    let c = self.chars.get(self.at).copied().expect("a closing quote");
                    self.at += 1;
                    match c {
                        c if c == quote => break,
                        '\\' => {
                            let escaped = self.chars.get(self.at).copied().expect("an escape");
                            self.at += 1;
                            match escaped {
                                'n' => text.push('\n'),
                                't' => text.push('\t'),
                                'r' => text.push('\r'),
                                'x' => {
                                    let hex: String =
                                        self.chars[self.at..self.at + 2].iter().collect();
                                    self.at += 2;
                                    let code = u32::from_str_radix(&hex, 16).expect("hex");
                                    text.push(char::from_u32(code).expect("a char"));
                                }
                                other => text.push(other),
                            }
                        }
                        c => text.push(c),
                    }
                }
            }
            text
        }
    }

    #[test]
    fn reads_pprint_output() {
        assert_eq!(
            parse("{'a': ('x '\n 'y'), 'b': {'C', 'D'}, 'c': [()], 'd': {}}"),
            Value::Dict(BTreeMap::from([
                ("a".to_owned(), Value::Str("x y".to_owned())),
                (
                    "b".to_owned(),
                    Value::Set(["C".to_owned(), "D".to_owned()].into())
                ),
                ("c".to_owned(), Value::List(vec![Value::Tuple(Vec::new())])),
                ("d".to_owned(), Value::Dict(BTreeMap::new())),
            ]))
        );
    }
}
