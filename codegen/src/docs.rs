//! Converts botocore documentation HTML to rustdoc Markdown.
//!
//! Botocore models document operations, shapes and members with a loose subset of HTML. Pasted
//! verbatim into `///` comments it would trip rustdoc lints (unknown tags, bare URLs), and stray
//! indentation would turn prose into doctests. So it is rendered as conservative Markdown instead:
//! plain text is escaped, code goes into spans or `text` fences, and a forgiving hand-written
//! tokenizer copes with unbalanced or truncated markup without ever panicking.

use std::fmt::Write as _;

use html_escape::decode_html_entities;

/// Converts botocore documentation HTML to rustdoc Markdown, one String with `'\n'`-separated
/// lines, no trailing newline, no leading/trailing blank lines. Empty or whitespace-only input
/// gives `""`.
pub fn html_to_markdown(html: &str) -> String {
    let blocks = render(html);
    let mut out = String::new();
    for (index, block) in blocks.iter().enumerate() {
        if index > 0 {
            let tight = matches!(
                (blocks[index - 1].kind, block.kind),
                (BlockKind::EmptyItem, _)
                    | (BlockKind::Item, BlockKind::Item | BlockKind::EmptyItem)
            );
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        out.push_str(&block.lines.join("\n"));
    }
    out
}

/// The Markdown of the first paragraph (or list item, or code block) of `html`, for short docs.
pub fn summary(html: &str) -> String {
    render(html)
        .first()
        .map(|block| block.lines.join("\n"))
        .unwrap_or_default()
}

fn render(html: &str) -> Vec<Block> {
    let mut renderer = Renderer::default();
    for token in (Tokenizer { rest: html }) {
        renderer.token(token);
    }
    renderer.finish()
}

/// Whitespace inside inline content once HTML whitespace is normalised (`'\n'` comes from `<br>`).
const SPACES: [char; 2] = [' ', '\n'];

/// One piece of documentation HTML; text is raw (entities not decoded), names are lowercase.
#[derive(Debug)]
pub(crate) enum Token<'a> {
    Text(&'a str),
    Open { name: String, href: Option<String> },
    Close(String),
}

/// Splits HTML into text and tags; comments, declarations and unterminated tags are dropped.
#[derive(Debug)]
pub(crate) struct Tokenizer<'a> {
    rest: &'a str,
}

impl<'a> Tokenizer<'a> {
    /// The tokens of `html`; also used by the change page's boto3-style docs.
    pub(crate) fn new(html: &'a str) -> Self {
        Tokenizer { rest: html }
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = self.rest;
            let text_len = rest.find('<').unwrap_or(rest.len());
            if text_len > 0 {
                self.rest = &rest[text_len..];
                return Some(Token::Text(&rest[..text_len]));
            }
            let after = rest.get(1..)?;
            if let Some(comment) = after.strip_prefix("!--") {
                self.rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            } else if after.starts_with(['!', '?']) {
                self.rest = after.find('>').map_or("", |end| &after[end + 1..]);
            } else if let Some(tag) = after
                .strip_prefix('/')
                .filter(|tag| starts_with_letter(tag))
            {
                let end = tag.find('>')?;
                self.rest = &tag[end + 1..];
                return Some(Token::Close(tag_name(tag)));
            } else if starts_with_letter(after) {
                let Some(end) = tag_end(after) else {
                    self.rest = "";
                    return None;
                };
                self.rest = &after[end + 1..];
                let (name, href) = (tag_name(after), href_attribute(&after[..end]));
                return Some(Token::Open { name, href });
            } else {
                self.rest = after;
                return Some(Token::Text("<"));
            }
        }
    }
}

fn starts_with_letter(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | ':')
}

fn tag_name(tag: &str) -> String {
    let len = tag.find(|c| !is_name_char(c)).unwrap_or(tag.len());
    tag[..len].to_ascii_lowercase()
}

/// Index of the `>` closing a tag, skipping quoted attribute values when they are balanced.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (index, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(index),
            (Some(open), _) if open == c => quote = None,
            _ => {}
        }
    }
    tag.find('>')
}

fn href_attribute(tag: &str) -> Option<String> {
    let mut rest = tag.trim_start_matches(is_name_char);
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        let (value, next) = match after.trim_start().strip_prefix('=') {
            Some(value) => split_attribute_value(value.trim_start()),
            None => ("", after),
        };
        if name.eq_ignore_ascii_case("href") {
            return Some(decode_html_entities(value).into_owned());
        }
        rest = next;
    }
}

fn split_attribute_value(text: &str) -> (&str, &str) {
    if let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let body = &text[1..];
        return body
            .find(quote)
            .map_or((body, ""), |end| (&body[..end], &body[end + 1..]));
    }
    text.split_at(text.find(char::is_whitespace).unwrap_or(text.len()))
}

/// Finished output lines, separated from the next block by a blank line unless that would split
/// a list.
#[derive(Debug)]
struct Block {
    lines: Vec<String>,
    kind: BlockKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Paragraph,
    Item,
    /// A bare list marker whose content (a nested list or code block) follows on the next lines.
    EmptyItem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullet,
    Ordered,
    Definition,
}

#[derive(Debug)]
struct List {
    kind: ListKind,
    /// Columns before the item markers.
    indent: usize,
    items_emitted: usize,
    item_open: bool,
    /// The open item's marker, set once its first line has been emitted.
    marker: Option<String>,
}

impl List {
    /// Numbers the open item and returns the indented marker that starts its first line.
    fn emit_marker(&mut self) -> String {
        self.items_emitted += 1;
        let marker = self.kind.marker(self.items_emitted);
        let line = format!("{}{marker}", " ".repeat(self.indent));
        self.marker = Some(marker);
        line
    }

    /// The column of the open item's content (its marker may still be to come).
    fn content_indent(&self) -> usize {
        let marker_width = match &self.marker {
            Some(marker) => marker.len(),
            None if self.item_open => self.kind.marker(self.items_emitted + 1).len(),
            None => 0,
        };
        self.indent + marker_width
    }

    /// While true, paragraphs of the open item are joined into its single first line.
    fn awaits_first_line(&self) -> bool {
        self.item_open && self.marker.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InlineKind {
    Strong,
    Emphasis,
    Code,
    Link,
    /// A `<dt>`, rendered as `**term**:`.
    Term,
    Heading,
}

/// An open inline element and the Markdown of its content so far.
#[derive(Debug)]
struct Frame {
    kind: InlineKind,
    href: Option<String>,
    text: String,
}

impl Frame {
    fn render(self) -> String {
        match self.kind {
            InlineKind::Strong | InlineKind::Heading => {
                surround(&self.text, |t| format!("**{t}**"))
            }
            InlineKind::Term => surround(&self.text, |t| format!("**{t}**:")),
            InlineKind::Emphasis => surround(&self.text, |t| format!("*{t}*")),
            InlineKind::Code => surround(&self.text, code_span),
            InlineKind::Link => link(&self.text, self.href.as_deref()),
        }
    }
}

#[derive(Debug, Default)]
struct Renderer {
    blocks: Vec<Block>,
    /// Markdown of the current paragraph or list item line, outside any open inline element.
    paragraph: String,
    frames: Vec<Frame>,
    lists: Vec<List>,
    /// `**Note:** ` and the like, written before the next content of a callout.
    label: Option<&'static str>,
    /// Raw text of an open `<pre>`.
    pre: Option<String>,
}

impl Renderer {
    fn token(&mut self, token: Token<'_>) {
        let Some(pre) = &mut self.pre else {
            return match token {
                Token::Text(text) => self.text(text),
                Token::Open { name, href } => self.open(&name, href),
                Token::Close(name) => self.close(&name),
            };
        };
        match token {
            Token::Text(text) => pre.push_str(&decode_html_entities(text)),
            Token::Open { name, .. } if name == "br" => pre.push('\n'),
            Token::Close(name) if name == "pre" => self.end_pre(),
            _ => {}
        }
    }

    fn open(&mut self, name: &str, href: Option<String>) {
        if let Some(kind) = inline_kind(name) {
            return self.push_frame(kind, href);
        }
        if let Some(kind) = list_kind(name) {
            return self.start_list(kind);
        }
        match name {
            _ if is_paragraph_tag(name) => self.block_break(),
            _ if is_heading(name) => {
                self.block_break();
                self.push_frame(InlineKind::Heading, None);
            }
            "note" => self.start_callout("**Note:** "),
            "important" => self.start_callout("**Important:** "),
            "li" => self.start_item(),
            "dt" => {
                self.start_item();
                self.push_frame(InlineKind::Term, None);
            }
            "dd" if self.lists.last().is_some_and(List::awaits_first_line) => {
                self.close_frame(InlineKind::Term);
                self.current().push(' ');
            }
            "dd" => self.start_item(),
            "pre" => self.start_pre(),
            "br" => {
                let line_break = if self.in_frame(InlineKind::Code) {
                    ' '
                } else {
                    '\n'
                };
                self.current().push(line_break);
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if let Some(kind) = inline_kind(name) {
            return self.close_frame(kind);
        }
        if let Some(kind) = list_kind(name) {
            return self.end_list(kind);
        }
        match name {
            _ if is_paragraph_tag(name) => self.block_break(),
            _ if is_heading(name) => {
                self.close_frame(InlineKind::Heading);
                self.block_break();
            }
            "note" | "important" => {
                self.label = None;
                self.block_break();
            }
            "li" => self.end_item(),
            "dt" => self.close_frame(InlineKind::Term),
            _ => {}
        }
    }

    fn text(&mut self, raw: &str) {
        let decoded = decode_html_entities(raw);
        let text: String = decoded
            .chars()
            .map(|c| if is_html_space(c) { ' ' } else { c })
            .collect();
        if !text.trim_matches(' ').is_empty() {
            self.insert_label();
        }
        let rendered = if self.in_frame(InlineKind::Code) {
            text
        } else {
            escape_text(&text, !self.in_frame(InlineKind::Link))
        };
        self.current().push_str(&rendered);
    }

    fn current(&mut self) -> &mut String {
        match self.frames.last_mut() {
            Some(frame) => &mut frame.text,
            None => &mut self.paragraph,
        }
    }

    fn in_frame(&self, kind: InlineKind) -> bool {
        self.frames.iter().any(|frame| frame.kind == kind)
    }

    fn insert_label(&mut self) {
        if let Some(label) = self.label.take() {
            self.current().push_str(label);
        }
    }

    /// Opens an inline element; nothing nests inside code, and links do not nest.
    fn push_frame(&mut self, kind: InlineKind, href: Option<String>) {
        if self.in_frame(InlineKind::Code) || (kind == InlineKind::Link && self.in_frame(kind)) {
            return;
        }
        self.insert_label();
        self.frames.push(Frame {
            kind,
            href,
            text: String::new(),
        });
    }

    /// Closes the innermost open `kind` and everything opened inside it; stray closers are ignored.
    fn close_frame(&mut self, kind: InlineKind) {
        if let Some(position) = self.frames.iter().rposition(|frame| frame.kind == kind) {
            self.close_frames_from(position);
        }
    }

    fn close_frames_from(&mut self, position: usize) {
        let closed = self.frames.split_off(position);
        let rendered = closed
            .into_iter()
            .rev()
            .fold(String::new(), |inner, mut frame| {
                frame.text.push_str(&inner);
                frame.render()
            });
        self.current().push_str(&rendered);
    }

    /// Ends a paragraph, except inside a list item's first line where paragraphs are joined.
    fn block_break(&mut self) {
        if self.lists.last().is_some_and(List::awaits_first_line) {
            self.current().push(' ');
        } else {
            self.flush();
        }
    }

    fn start_callout(&mut self, label: &'static str) {
        self.block_break();
        self.label = Some(label);
    }

    fn start_list(&mut self, kind: ListKind) {
        self.flush();
        let indent = self.lists.last().map_or(0, List::content_indent);
        let list = List {
            kind,
            indent,
            items_emitted: 0,
            item_open: false,
            marker: None,
        };
        self.lists.push(list);
    }

    fn end_list(&mut self, kind: ListKind) {
        if let Some(position) = self.lists.iter().rposition(|list| list.kind == kind) {
            self.flush();
            self.lists.truncate(position);
        }
    }

    fn start_item(&mut self) {
        self.flush();
        if self.lists.is_empty() {
            self.start_list(ListKind::Bullet);
        }
        if let Some(list) = self.lists.last_mut() {
            list.item_open = true;
            list.marker = None;
        }
    }

    fn end_item(&mut self) {
        self.flush();
        if let Some(list) = self.lists.last_mut() {
            list.item_open = false;
            list.marker = None;
        }
    }

    fn start_pre(&mut self) {
        self.insert_label();
        self.flush();
        self.pre = Some(String::new());
    }

    fn end_pre(&mut self) {
        let Some(raw) = self.pre.take().filter(|raw| !raw.trim().is_empty()) else {
            return;
        };
        self.emit_bare_markers(self.lists.len());
        let pad = " ".repeat(self.lists.last().map_or(0, List::content_indent));
        let lines = fenced_lines(&raw).into_iter().map(|line| {
            if line.is_empty() {
                line
            } else {
                format!("{pad}{line}")
            }
        });
        self.blocks.push(Block {
            lines: lines.collect(),
            kind: BlockKind::Paragraph,
        });
    }

    /// Emits the pending paragraph as a block: the first line of an open list item, or else a
    /// paragraph indented to belong to the innermost list item.
    fn flush(&mut self) {
        self.close_frames_from(0);
        let paragraph = std::mem::take(&mut self.paragraph);
        let lines: Vec<String> = paragraph.split('\n').filter_map(tidy_line).collect();
        if lines.is_empty() {
            return;
        }
        let starts_item = self.lists.last().is_some_and(List::awaits_first_line);
        self.emit_bare_markers(self.lists.len() - usize::from(starts_item));
        let marker = self
            .lists
            .last_mut()
            .filter(|_| starts_item)
            .map(List::emit_marker);
        let pad = " ".repeat(self.lists.last().map_or(0, List::content_indent));
        let prefixes = marker.into_iter().chain(std::iter::repeat(pad));
        let lines = prefixes
            .zip(lines)
            .map(|(prefix, line)| prefix + &line)
            .collect();
        let kind = if starts_item {
            BlockKind::Item
        } else {
            BlockKind::Paragraph
        };
        self.blocks.push(Block { lines, kind });
    }

    /// Gives each of the outermost `count` lists whose open item has no line yet a bare marker
    /// line, so that nested content has an item to belong to.
    fn emit_bare_markers(&mut self, count: usize) {
        for list in self.lists[..count]
            .iter_mut()
            .filter(|list| list.awaits_first_line())
        {
            let line = list.emit_marker().trim_end().to_owned();
            self.blocks.push(Block {
                lines: vec![line],
                kind: BlockKind::EmptyItem,
            });
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.end_pre();
        self.flush();
        self.blocks
    }
}

impl ListKind {
    fn marker(self, number: usize) -> String {
        match self {
            Self::Ordered => format!("{number}. "),
            Self::Bullet | Self::Definition => "- ".to_owned(),
        }
    }
}

fn inline_kind(name: &str) -> Option<InlineKind> {
    match name {
        "b" | "strong" => Some(InlineKind::Strong),
        "i" | "em" => Some(InlineKind::Emphasis),
        "code" | "tt" => Some(InlineKind::Code),
        "a" => Some(InlineKind::Link),
        _ => None,
    }
}

fn list_kind(name: &str) -> Option<ListKind> {
    match name {
        "ul" => Some(ListKind::Bullet),
        "ol" => Some(ListKind::Ordered),
        "dl" => Some(ListKind::Definition),
        _ => None,
    }
}

/// Tags that separate paragraphs and otherwise carry no meaning here.
fn is_paragraph_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "fullname" | "title" | "examples" | "blockquote" | "hr" | "table" | "tr"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C')
}

/// Applies `wrap` to the text without its surrounding whitespace, which stays outside the markers.
fn surround(text: &str, wrap: impl FnOnce(&str) -> String) -> String {
    let inner = text.trim_matches(SPACES);
    if inner.is_empty() {
        return text.to_owned();
    }
    let lead = &text[..text.len() - text.trim_start_matches(SPACES).len()];
    let trail = &text[text.trim_end_matches(SPACES).len()..];
    format!("{lead}{}{trail}", wrap(inner))
}

fn code_span(code: &str) -> String {
    let code = code
        .split(SPACES)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let fence = "`".repeat(longest_backtick_run(&code) + 1);
    let pad = if code.contains('`') { " " } else { "" };
    format!("{fence}{pad}{code}{pad}{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn link(text: &str, href: Option<&str>) -> String {
    let url = href.map(link_destination).unwrap_or_default();
    if url.is_empty() {
        text.to_owned()
    } else if text.trim_matches(SPACES).is_empty() {
        let bare = if has_scheme(&url) {
            format!("<{url}>")
        } else {
            format!("[{}]({url})", escape_text(&url, false))
        };
        format!("{text}{bare}")
    } else {
        surround(text, |label| format!("[{label}]({url})"))
    }
}

/// Percent-encodes the characters that would end or break a Markdown link destination.
fn link_destination(href: &str) -> String {
    let mut url = String::new();
    for c in href.trim().chars() {
        if c.is_ascii_control() || matches!(c, ' ' | '(' | ')' | '<' | '>' | '\\') {
            let _ = write!(url, "%{:02X}", u32::from(c));
        } else {
            url.push(c);
        }
    }
    url
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() >= 2
            && starts_with_letter(scheme)
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Escapes Markdown syntax in plain text and turns bare http(s) URLs into autolinks.
fn escape_text(text: &str, autolink: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = None;
    let mut index = 0;
    while let Some(c) = text[index..].chars().next() {
        let rest = &text[index..];
        if let Some(url) = bare_url(rest).filter(|_| autolink) {
            let _ = write!(out, "<{url}>");
            index += url.len();
            previous = url.chars().last();
            continue;
        }
        let next = rest[c.len_utf8()..].chars().next();
        let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        match c {
            '\\' | '`' | '*' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(is_word(previous) && is_word(next)) => out.push_str("\\_"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if looks_like_entity(&rest[1..]) => out.push_str("&amp;"),
            _ => out.push(c),
        }
        previous = Some(c);
        index += c.len_utf8();
    }
    out
}

fn looks_like_entity(text: &str) -> bool {
    let len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .unwrap_or(text.len());
    len > 0 && text[len..].starts_with(';')
}

/// The http(s) URL at the start of `text`, without trailing punctuation or an unbalanced `)`.
fn bare_url(text: &str) -> Option<&str> {
    let scheme_len = ["http://", "https://"]
        .into_iter()
        .find(|scheme| text.starts_with(scheme))?
        .len();
    let end = text
        .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
        let unbalanced = trimmed.matches(')').count() > trimmed.matches('(').count();
        let trimmed = if unbalanced {
            trimmed.strip_suffix(')').unwrap_or(trimmed)
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    (url.len() > scheme_len).then_some(url)
}

/// Collapses spaces, trims, and escapes a start that Markdown would read as a block marker.
fn tidy_line(line: &str) -> Option<String> {
    let collapsed = line
        .split(' ')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let line = collapsed.trim();
    if line.is_empty() {
        return None;
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    Some(if line.starts_with(['#', '-', '+', '=']) {
        format!("\\{line}")
    } else if digits > 0 && line[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &line[..digits], &line[digits..])
    } else {
        line.to_owned()
    })
}

/// A ```` ```text ```` fence around the non-blank lines of `raw`.
fn fenced_lines(raw: &str) -> Vec<String> {
    let body = raw.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = body.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|line| !line.is_empty()).unwrap_or(0);
    let last = lines.iter().rposition(|line| !line.is_empty()).unwrap_or(0);
    let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
    let body = lines[first..=last].iter().map(|line| (*line).to_owned());
    std::iter::once(format!("{fence}text"))
        .chain(body)
        .chain([fence])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (what, input HTML, expected Markdown)
    #[rustfmt::skip]
    const CASES: &[(&str, &str, &str)] = &[
        ("empty", "", ""),
        ("blank", " \n\t <p> </p> ", ""),
        ("bare text", "Just text", "Just text"),
        ("whitespace", "<p>Hello \n  <b>big</b>\n world.</p>", "Hello **big** world."),
        ("paragraphs", "<p>One</p> <p>Two</p>Three", "One\n\nTwo\n\nThree"),
        ("code", "<p>Use <code>Get  User</code>, <code> x </code>.</p>", "Use `Get User`, `x` ."),
        ("code backticks", "<code>a`b</code>", "`` a`b ``"),
        ("code unescaped", "<code>&lt;id&gt;:$SAVED a_b *c* [d]</code>", "`<id>:$SAVED a_b *c* [d]`"),
        ("code empty", "a<code> </code>b", "a b"),
        ("code ignores tags", "<code>x<b>y</b><br>z</code>", "`xy z`"),
        ("link", "see <a href=\"https://x.com/a b\">the [docs]</a>", "see [the \\[docs\\]](https://x.com/a%20b)"),
        ("link relative", "<a href='API_Foo.html'> Foo </a>.", "[Foo](API_Foo.html) ."),
        ("link quoted >", "<a title=\"a>b\" href=u.html>x</a>", "[x](u.html)"),
        ("link without href", "<a name=\"x\">text</a>", "text"),
        ("link without text", "<a href=\"https://x.com\"></a>", "<https://x.com>"),
        ("relative link without text", "<a href=\"Foo.html\"></a>", "[Foo.html](Foo.html)"),
        ("link text url", "<a href=\"https://a.com\">https://a.com</a>", "[https://a.com](https://a.com)"),
        ("emphasis", "<b> bold </b>and <i>it</i>.<em></em><strong> </strong>", "**bold** and *it*."),
        ("strong em", "<strong>S</strong> <em>E</em>", "**S** *E*"),
        ("bullets", "<ul><li>a</li> <li><p>b</p> <p>c</p></li></ul>", "- a\n- b c"),
        ("ordered", "<ol><li>x</li><li></li><li>y</li></ol>", "1. x\n2. y"),
        ("nested", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"),
        ("nested in ordered", "<ol><li>a<ul><li>b</li></ul></li></ol>", "1. a\n   - b"),
        ("nested first", "<ul><li><ul><li>b</li></ul></li></ul>", "-\n  - b"),
        ("item continuation", "<ul><li>a<ul><li>b</li></ul>c</li></ul>", "- a\n  - b\n\n  c"),
        ("list between paragraphs", "<p>x</p><ul><li>a</li></ul><p>y</p>", "x\n\n- a\n\ny"),
        ("stray items", "<li>a</li><li>b", "- a\n- b"),
        ("item escapes", "<ul><li>-1 means none</li><li>2. two</li></ul>", "- \\-1 means none\n- 2\\. two"),
        ("definitions", "<dl> <dt>INLINE</dt> <dd> <p>Shows it.</p> </dd> <dt>B</dt><dd>c</dd><dd>d</dd></dl>", "- **INLINE**: Shows it.\n- **B**: c d"),
        ("note", "<note> <p>Only <b>this</b>.</p> <p>More.</p> </note>", "**Note:** Only **this**.\n\nMore."),
        ("important", "<important><p><code>X</code> only.</p></important>", "**Important:** `X` only."),
        ("empty note", "<note> </note><p>x</p>", "x"),
        ("note in item", "<ul><li>a<note>b</note></li></ul>", "- a **Note:** b"),
        ("pre", "<pre><code>{\n    \"a\": 1\n}</code></pre>", "```text\n{\n    \"a\": 1\n}\n```"),
        ("pre backticks", "<pre>```\nx</pre>", "````text\n```\nx\n````"),
        ("pre in item", "<ul><li>a<pre>x\n\n  y</pre></li></ul>", "- a\n\n  ```text\n  x\n\n    y\n  ```"),
        ("pre unclosed", "<p>a</p><pre>&lt;x&gt;", "a\n\n```text\n<x>\n```"),
        ("pre blank", "<pre> \n </pre>", ""),
        ("line break", "<p>a<br>b<br/>c</p>", "a\nb\nc"),
        ("line break in item", "<ul><li>a<BR>- b</li></ul>", "- a\n  \\- b"),
        ("heading", "<h2>Title</h2><p>x</p>", "**Title**\n\nx"),
        ("dropped tags", "<fullname>Connect</fullname><!-- <b> --><p>Hi <span class='x'>there</span><?x?></p>", "Connect\n\nHi there"),
        ("escapes", "a*b [c] \\ x_y _z_ `t` ~s &lt;tag&gt; &amp;lt; &amp; 5 < 6", "a\\*b \\[c\\] \\\\ x_y \\_z\\_ \\`t\\` \\~s &lt;tag&gt; &amp;lt; & 5 &lt; 6"),
        ("line starts", "<p># h</p><p>+ p</p><p>=</p><p>1. x</p><p>2019) y</p>", "\\# h\n\n\\+ p\n\n\\=\n\n1\\. x\n\n2019\\) y"),
        ("bare urls", "See https://example.com/a_b. Or (http://x.org/f(1)). Not http:// here", "See <https://example.com/a_b>. Or (<http://x.org/f(1)>). Not http:// here"),
        ("unbalanced", "<p>a <b>b</p><p>c</b> d</i></p></ul></li>", "a **b**\n\nc d"),
        ("truncated tag", "<p>x <a hr", "x"),
        ("truncated close", "x</co", "x"),
        ("uppercase", "<P>A<B>b</B></P>", "A**b**"),
        ("unclosed term", "<dl><dt>A<dd>b</dl>", "- **A**: b"),
    ];

    #[test]
    fn renders_each_rule() {
        let failures: Vec<_> = CASES
            .iter()
            .filter(|(_, html, expected)| html_to_markdown(html) != *expected)
            .map(|(what, html, expected)| {
                format!(
                    "{what}: {html:?}\n  got  {:?}\n  want {expected:?}",
                    html_to_markdown(html)
                )
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn summary_is_first_block() {
        assert_eq!(
            summary("<p>First <b>one</b>.</p><p>Second.</p>"),
            "First **one**."
        );
        assert_eq!(summary("<ul><li>a</li><li>b</li></ul>"), "- a");
        assert_eq!(summary(" "), "");
    }

    /// Real documentation strings from the Connect model.
    const CONNECT_DOCS: &[&str] = &[
        "<p>Specifies how a browser handles the file at the pre-signed URL. The valid values are the following:</p> <dl> <dt>INLINE</dt> <dd> <p>Displays the file in the browser.</p> </dd> <dt>ATTACHMENT</dt> <dd> <p>Downloads the file. This is the default.</p> </dd> </dl>",
        "<p>Gets the real-time metric data from the specified Connect Customer instance.</p> <p>For a description of each metric, see <a href=\"https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html\">Metrics definitions</a> in the <i>Connect Customer Administrator Guide</i>.</p> <note> <p>When you make a successful API request, you can expect the following metric values in the response:</p> <ol> <li> <p> <b>Metric value is null</b>: The calculation cannot be performed due to divide by zero or insufficient data</p> </li> <li> <p> <b>Metric value is a number (including 0) of defined type</b>: The number provided is the calculation result</p> </li> <li> <p> <b>MetricResult list is empty</b>: The request cannot find any data in the system</p> </li> </ol> <p>The following guidelines can help you work with the API:</p> <ul> <li> <p>Each dimension in the metric response must contain a value</p> </li> <li> <p>Each item in MetricResult must include all requested metrics</p> </li> <li> <p>If the response is slow due to large result sets, try these approaches:</p> <ul> <li> <p>Add filters to reduce the amount of data returned</p> </li> </ul> </li> </ul> </note>",
        "<p>A leaf node condition which can be used to specify a string condition.</p> <note> <p>The currently supported values for <code>FieldName</code> are <code>name</code> and <code>value</code>.</p> </note>",
        "<p>If there are additional results, this is the token for the next set of results.</p> <important> <p>This is always returned as null in the response.</p> </important>",
        "<p>Thrown for analyzed content when requested OutputType was not enabled for a given contact. For example, if an OutputType.Raw was requested for a contact that had `RedactedOnly` Redaction policy set in the flow.</p>",
        "<p>The type of the flow. For descriptions of the available types, see <a href=\"https://docs.aws.amazon.com/connect/latest/adminguide/create-contact-flow.html#contact-flow-types\">Choose a flow type</a> in the <i>Connect Customer Administrator Guide</i>.</p>",
        "<p>Time range that you <b>additionally</b> want to filter on.</p> <note> <p>This is different from the <a href=\"https://docs.aws.amazon.com/connect/latest/APIReference/API_SearchContactsTimeRange.html\">SearchContactsTimeRange</a> data type.</p> </note>",
        "<p>Retrieves the view for the specified Connect Customer instance and view identifier.</p> <p>The view identifier can be supplied as a ViewId or ARN.</p> <p> <code>$SAVED</code> needs to be supplied if a view is unpublished.</p> <p>The view identifier can contain an optional qualifier, for example, <code>&lt;view-id&gt;:$SAVED</code>, which is either an actual version number or an Connect Customer managed qualifier <code>$SAVED | $LATEST</code>.</p>",
        "<p>The phone number. Phone numbers are formatted <code>[+] [country code] [subscriber number including area code]</code>.</p>",
        "<p>The formula expression that defines how the metric is calculated. Uses component aliases (for example, <code>100 * SUM(M1) / SUM(M2)</code>).</p>",
        "<p>Information about the reference when the referenceType is <code>EMAIL_MESSAGE</code>. Otherwise, null.</p>",
        "<p>A list of resource identifiers to retrieve flow associations.</p> <ul> <li> <p>Amazon Web Services End User Messaging SMS phone number ARN when using <code>SMS_PHONE_NUMBER</code> </p> </li> <li> <p>Amazon Web Services End User Messaging Social phone number ARN when using <code>WHATSAPP_MESSAGING_PHONE_NUMBER</code> </p> </li> </ul>",
        "<p>Information about the conversation participant. Following are the participant types: [Agent, Customer, Supervisor].</p>",
        "<p> Only supported type is AI_AGENT. </p>",
    ];

    #[test]
    fn renders_real_connect_docs() {
        for html in CONNECT_DOCS {
            assert_well_formed(&html_to_markdown(html));
        }
        assert_eq!(
            html_to_markdown(CONNECT_DOCS[1])
                .lines()
                .skip(6)
                .take(7)
                .collect::<Vec<_>>(),
            [
                "1. **Metric value is null**: The calculation cannot be performed due to divide by zero or insufficient data",
                "2. **Metric value is a number (including 0) of defined type**: The number provided is the calculation result",
                "3. **MetricResult list is empty**: The request cannot find any data in the system",
                "",
                "The following guidelines can help you work with the API:",
                "",
                "- Each dimension in the metric response must contain a value",
            ],
        );
        assert_eq!(
            html_to_markdown(CONNECT_DOCS[4]),
            "Thrown for analyzed content when requested OutputType was not enabled for a given contact. \
             For example, if an OutputType.Raw was requested for a contact that had \\`RedactedOnly\\` \
             Redaction policy set in the flow.",
        );
    }

    #[test]
    fn survives_every_prefix() {
        let html = format!(
            "{}<pre class='x'>a &amp; `b`\n  c</pre><h3>T</h3><a href=\"u\">x</a> <dl><dt>A<b>b</dt>",
            CONNECT_DOCS[1]
        );
        for end in (0..=html.len()).filter(|&end| html.is_char_boundary(end)) {
            assert_well_formed(&html_to_markdown(&html[..end]));
        }
    }

    #[test]
    fn survives_garbage() {
        let pieces = [
            "<", ">", "</", "/>", "\"", "'", "&", ";", "&lt;", "p", "li", "ul", "ol", "pre",
            "code", "a", " href=", "b", "dt", "dd", "note", "br", "`", "*", "_", "-", "\n", "    ",
            "x", "é", "<!--", "-->", "http://", "\u{0}", "h2", "em", "1.", "#", "[", "dl",
        ];
        let mut seed: u64 = 0x5eed;
        for _ in 0..3000 {
            let mut html = String::new();
            for _ in 0..40 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                html.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_well_formed(&html_to_markdown(&html));
        }
    }

    /// No blank edges or doubled blank lines, closed fences, no indented code blocks (lines
    /// indented 4+ columns past the enclosing list item's content), no bare list marker left
    /// without content, and no `<` outside code except in autolinks.
    fn assert_well_formed(markdown: &str) {
        assert_eq!(
            markdown,
            markdown.trim_matches('\n'),
            "blank edge in:\n{markdown}"
        );
        assert!(
            !markdown.contains("\n\n\n"),
            "doubled blank line in:\n{markdown}"
        );
        let mut fence: Option<&str> = None;
        let mut item_columns: Vec<usize> = Vec::new();
        let mut after_bare_marker = false;
        for line in markdown.lines() {
            let trimmed = line.trim_start();
            if let Some(open) = fence {
                fence = fence.filter(|_| trimmed != open);
                continue;
            }
            assert!(
                !(after_bare_marker && line.is_empty()),
                "empty item in:\n{markdown}"
            );
            if line.is_empty() {
                continue;
            }
            let indent = line.len() - trimmed.len();
            while item_columns.last().is_some_and(|&column| column > indent) {
                item_columns.pop();
            }
            let base = item_columns.last().copied().unwrap_or(0);
            assert!(
                indent < base + 4,
                "indented code block at {line:?} in:\n{markdown}"
            );
            let marker = list_marker_width(trimmed);
            item_columns.extend(marker.map(|width| indent + width));
            after_bare_marker = marker.is_some_and(|width| trimmed.len() < width);
            if trimmed.starts_with("```") {
                fence = Some(trimmed.trim_end_matches("text"));
            }
            for (index, _) in without_code_spans(line).match_indices('<') {
                assert!(
                    line[index..].starts_with("<http"),
                    "raw tag in {line:?} of:\n{markdown}"
                );
            }
        }
        assert!(fence.is_none(), "unclosed fence in:\n{markdown}");
    }

    /// Width of a `- ` or `12. ` list marker (with its space) starting `line`.
    fn list_marker_width(line: &str) -> Option<usize> {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = match line.as_bytes().get(digits) {
            Some(b'-') if digits == 0 => 1,
            Some(b'.') if digits > 0 => digits + 1,
            _ => return None,
        };
        (line.len() == marker || line[marker..].starts_with(' ')).then_some(marker + 1)
    }

    /// `line` with code span contents blanked out (same length, so indices still match).
    fn without_code_spans(line: &str) -> String {
        let mut out = String::new();
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            let run = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..run];
            if c == '\\' {
                let len = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            } else if let Some(end) = (run > 0).then(|| rest[run..].find(fence)).flatten() {
                out.push_str(&" ".repeat(run * 2 + end));
                rest = &rest[run * 2 + end..];
            } else {
                out.push_str(&rest[..c.len_utf8()]);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }
}
